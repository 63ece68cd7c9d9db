/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QGIS styles: each .qml is parsed by Python's XML parser (well-formedness, and the field name
 * and filters read back exactly after unescaping a hostile field name), plus direct checks of
 * the classes, the null class, categories, colours, transparency and bad field names.
 */
#include "carecircle/report.h"
#include "cc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Prints, per file: the renderer type and attr, each rule's filter and label, each category's
 * value and label, and the symbol count. Fails (exit 1) on malformed XML. */
static const char *checker =
    "import sys, xml.dom.minidom as m\n"
    "for path in sys.argv[1:]:\n"
    "    d = m.parse(path)\n"
    "    q = d.documentElement\n"
    "    assert q.tagName == 'qgis', q.tagName\n"
    "    assert d.doctype is not None and d.doctype.name == 'qgis'\n"
    "    print('VERSION', q.getAttribute('version'), q.getAttribute('styleCategories'))\n"
    "    r = q.getElementsByTagName('renderer-v2')[0]\n"
    "    print('RENDERER', r.getAttribute('type'), '|' + r.getAttribute('attr') + '|')\n"
    "    for e in r.getElementsByTagName('rule'):\n"
    "        print('RULE', e.getAttribute('symbol'), e.getAttribute('filter'), '#',\n"
    "              e.getAttribute('label'))\n"
    "    for e in r.getElementsByTagName('category'):\n"
    "        print('CAT', e.getAttribute('symbol'), '|' + e.getAttribute('value') + '|',\n"
    "              e.getAttribute('label'))\n"
    "    print('SYMBOLS', len(r.getElementsByTagName('symbol')))\n"
    "    for s in r.getElementsByTagName('symbol'):\n"
    "        for o in s.getElementsByTagName('Option'):\n"
    "            if o.getAttribute('name') == 'color':\n"
    "                print('COLOR', s.getAttribute('name'), o.getAttribute('value'))\n";

static char out[65536];

/* Write the texts to files, run the checker on them, collect its output in `out`. */
static int run_checker(const char *const *texts, size_t n)
{
    char dir[1024], cmd[8192];
    snprintf(dir, sizeof dir, "%s/qml_test", CC_BINARY_DIR);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0) return -1;
    char script[1100];
    snprintf(script, sizeof script, "%s/check.py", dir);
    FILE *f = fopen(script, "w");
    if (!f) return -1;
    fputs(checker, f);
    fclose(f);
    int len = snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s'", script);
    for (size_t i = 0; i < n; i++) {
        char path[1100];
        snprintf(path, sizeof path, "%s/style%zu.qml", dir, i);
        f = fopen(path, "w");
        if (!f) return -1;
        fputs(texts[i], f);
        fclose(f);
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " '%s'", path);
    }
    snprintf(cmd + len, sizeof cmd - (size_t)len, " 2>&1");
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = '\0';
    return pclose(p);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    /* A field name with every XML special character and a QGIS expression quote. */
    const char *nasty = "t_a&b<\"c\">'d'_min";
    char *minutes = NULL, *reasons = NULL, *catch = NULL, *districts = NULL, *plain = NULL;
    CHECK_INT(cc_report_qml_minutes(ctx, nasty, CC_QML_POINT, &minutes), CC_OK);
    CHECK_INT(cc_report_qml_reasons(ctx, "dominant_reason", &reasons), CC_OK);
    CHECK_INT(cc_report_qml_catchments(ctx, &catch), CC_OK);
    CHECK_INT(cc_report_qml_districts(ctx, "status_Ü", &districts), CC_OK);
    CHECK_INT(cc_report_qml_minutes(ctx, "t_day_care_min", CC_QML_POLYGON, &plain), CC_OK);
    if (!minutes || !reasons || !catch || !districts || !plain) return cc_test_done();

    /* Direct text checks. */
    CHECK(strncmp(minutes, "<!DOCTYPE qgis", 14) == 0);
    CHECK_CONTAINS(minutes, "<qgis version=\"3.22\" styleCategories=\"Symbology\">");
    CHECK_CONTAINS(minutes, "type=\"RuleRenderer\"");
    CHECK(strstr(minutes, "<\"c\">") == NULL); /* nothing raw */
    CHECK_CONTAINS(minutes,
                   "&quot;t_a&amp;b&lt;&quot;&quot;c&quot;&quot;&gt;&apos;d&apos;_min&quot;");
    CHECK_CONTAINS(minutes, "<symbol type=\"marker\"");
    CHECK_CONTAINS(plain, "filter=\"&quot;t_day_care_min&quot; &gt; 10 AND "
                          "&quot;t_day_care_min&quot; &lt;= 15\" label=\"10-15 min\"");
    CHECK_CONTAINS(plain, "<symbol type=\"fill\"");
    CHECK_CONTAINS(plain, "class=\"SimpleFill\"");
    CHECK_CONTAINS(plain, "<prop k=\"color\" v=\"26,152,80,255\"/>");
    CHECK_CONTAINS(catch, "type=\"singleSymbol\"");
    CHECK_CONTAINS(catch, "name=\"color\" value=\"49,130,189,77\""); /* 30 % opaque fill */
    CHECK_CONTAINS(reasons, "attr=\"dominant_reason\"");
    CHECK_CONTAINS(districts, "<category value=\"not_met\" symbol=\"1\" label=\"target not met\"");

    /* Parsed back by a real XML parser. */
    const char *texts[4] = {minutes, reasons, catch, districts};
    int rc = run_checker(texts, 4);
    CHECK_INT(rc, 0);
    if (rc != 0) fprintf(stderr, "%s\n", out);
    CHECK_CONTAINS(out, "VERSION 3.22 Symbology");
    CHECK_CONTAINS(out, "RENDERER RuleRenderer ||");
    /* The filters read back as QGIS expressions: the column quoted, inner quotes doubled. */
    CHECK_CONTAINS(out, "RULE 0 \"t_a&b<\"\"c\"\">'d'_min\" >= 0 AND \"t_a&b<\"\"c\"\">'d'_min\" "
                        "<= 5 # 0-5 min");
    CHECK_CONTAINS(out, "RULE 1 \"t_a&b<\"\"c\"\">'d'_min\" > 5 AND \"t_a&b<\"\"c\"\">'d'_min\" "
                        "<= 10 # 5-10 min");
    CHECK_CONTAINS(out, "RULE 4 \"t_a&b<\"\"c\"\">'d'_min\" > 20 AND \"t_a&b<\"\"c\"\">'d'_min\" "
                        "<= 30 # 20-30 min");
    CHECK_CONTAINS(out, "RULE 5 \"t_a&b<\"\"c\"\">'d'_min\" > 30 # > 30 min");
    CHECK_CONTAINS(out, "RULE 6 \"t_a&b<\"\"c\"\">'d'_min\" IS NULL # unreachable (no time)");
    CHECK_CONTAINS(out, "SYMBOLS 7\nCOLOR 0 26,152,80,255");
    CHECK_CONTAINS(out, "COLOR 5 215,48,39,255\nCOLOR 6 160,160,160,255"); /* red, null grey */
    CHECK_CONTAINS(out, "RENDERER categorizedSymbol |dominant_reason|");
    CHECK_CONTAINS(out, "CAT 0 |no_facility_in_reach| no facility in reach");
    CHECK_CONTAINS(out, "CAT 1 |over_capacity|");
    CHECK_CONTAINS(out, "CAT 2 |network_detour|");
    CHECK_CONTAINS(out, "CAT 3 |off_network|");
    CHECK_CONTAINS(out, "CAT 4 |island|");
    CHECK_CONTAINS(out, "CAT 5 |covered|");
    CHECK_CONTAINS(out, "CAT 6 || other");
    CHECK_CONTAINS(out, "RENDERER singleSymbol ||\nSYMBOLS 1");
    CHECK_CONTAINS(out, "RENDERER categorizedSymbol |status_Ü|");
    CHECK_CONTAINS(out, "CAT 0 |met| target met\nCAT 1 |not_met| target not met\n"
                        "CAT 2 |partial_area| only partly in the study area: no district "
                        "verdict\nCAT 3 || no");
    CHECK_CONTAINS(out, "COLOR 1 215,48,39,255");

    /* Field names that cannot go into a style. */
    char *bad = (char *)1;
    CHECK_INT(cc_report_qml_minutes(ctx, "", CC_QML_POINT, &bad), CC_ERR_INVALID);
    CHECK(bad == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "field name is empty");
    CHECK_INT(cc_report_qml_reasons(ctx, "a\tb", &bad), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "control character or invalid UTF-8 at byte 1");
    CHECK_INT(cc_report_qml_districts(ctx, "ab\xff", &bad), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "at byte 2");
    CHECK_INT(cc_report_qml_minutes(ctx, "x", (cc_qml_geom)7, &bad), CC_ERR_INVALID);

    cc_free(minutes);
    cc_free(reasons);
    cc_free(catch);
    cc_free(districts);
    cc_free(plain);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
