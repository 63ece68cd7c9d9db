/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report's string table (src/report/strings.c): every id has an English and a Chinese
 * string; both take the same printf conversions in the same order (one argument list serves
 * either language); a Chinese string holds no ASCII word of 3+ letters but the allowed names
 * (OpenStreetMap, ODbL, WorldPop, its address, file names) outside markup; ids out of range
 * give "".
 */
#include "cc_test.h"
#include "report/strings.h"

#include <ctype.h>
#include <string.h>

/* The conversions of a format string ("%s%zu%d"), '%%' left out. */
static void conversions(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; *s && k + 4 < cap; s++) {
        if (*s != '%') continue;
        if (s[1] == '%') {
            s++;
            continue;
        }
        out[k++] = '%';
        while (s[1] && !isalpha((unsigned char)s[1]))
            s++;
        while (s[1] && strchr("zl", s[1]))
            out[k++] = *++s;
        if (s[1]) out[k++] = *++s;
    }
    out[k] = '\0';
}

static int allowed(const char *w, size_t n)
{
    static const char *const ok[] = {"OpenStreetMap", "ODbL",    "WorldPop", "www",   "worldpop",
                                     "org",           "csv",     "geojson",  "sites", "targets",
                                     "json",          "summary", "SHA",      "WGS",   "carecircle",
                                     "units",         "unit",    "coverage", "level",
                                     "estates"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strlen(ok[i]) == n && strncmp(ok[i], w, n) == 0) return 1;
    return 0;
}

int main(void)
{
    int bad_words = 0, bad_conv = 0, empty = 0;
    for (int id = 0; id < CC_S_COUNT; id++) {
        const char *en = cc__str(0, (cc__sid)id), *zh = cc__str(1, (cc__sid)id);
        /* BOUND_C (" of the optimum") has no Chinese words: the sentence ends before it. */
        if (!*en || (!*zh && id != CC_S_BOUND_C)) empty++;
        char ce[64], cz[64];
        conversions(en, ce, sizeof ce);
        conversions(zh, cz, sizeof cz);
        if (strcmp(ce, cz) != 0) {
            bad_conv++;
            fprintf(stderr, "id %d: '%s' vs '%s'\n", id, ce, cz);
        }
        for (const char *p = zh; *p;) {
            if (*p == '<') { /* markup, not text */
                while (*p && *p != '>')
                    p++;
                continue;
            }
            size_t n = 0;
            while (isalpha((unsigned char)p[n]) && !((unsigned char)p[n] & 0x80))
                n++;
            if (n >= 3 && !allowed(p, n)) {
                bad_words++;
                fprintf(stderr, "id %d: English in Chinese '%s'\n", id, zh);
            }
            p += n ? n : 1;
        }
    }
    CHECK_INT(empty, 0);
    CHECK_INT(bad_conv, 0);
    CHECK_INT(bad_words, 0);
    CHECK_STR(cc__str(0, CC_S_HEADLINE), "Headline");
    CHECK_STR(cc__str(1, CC_S_HEADLINE), "概览");
    CHECK_STR(cc__str(1, CC_S_OUTSIDE_DISTRICTS), "（不在任何行政区内）");
    CHECK_STR(cc__str(0, CC_S_COUNT), "");
    CHECK_STR(cc__str(1, (cc__sid)-1), "");
    return cc_test_done();
}
