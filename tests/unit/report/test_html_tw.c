/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.html's helpers and sections on the text writer (issue 15 items 4 and 1): people with
 * thousands separators, shares as percentages, "–" for unknown figures, HTML escaping, ring
 * paths (rings below 3 px-distinct vertices left out) and stars; the colours and reason labels
 * are the one palette's (palette.c); a section writes its rows on a study, and after the
 * writer's first failure every helper and section writes nothing and returns that failure.
 */
#include "cc_test.h"
#include "report/html_internal.h"

#include <math.h>
#include <string.h>

/* The text a writer holds (fp NULL), as a string. */
static const char *text(cc_tw *w)
{
    return w->buf.s ? w->buf.s : "";
}

static void restart(cc_tw *w, cc_ctx *ctx)
{
    cc_buf_free(&w->buf);
    cc_tw_init(w, ctx, NULL, CC_TW_JSON);
}

static void numbers(cc_ctx *ctx)
{
    cc_tw w = {0};
    restart(&w, ctx);
    CHECK_INT(cc__h_people(&w, 7630), CC_OK);
    cc_tw_putc(&w, ' ');
    cc__h_people(&w, -1234567.4);
    cc_tw_putc(&w, ' ');
    cc__h_people(&w, 999);
    cc_tw_putc(&w, ' ');
    cc__h_people(&w, NAN);
    cc_tw_putc(&w, ' ');
    cc__h_pct(&w, 0.21134);
    cc_tw_putc(&w, ' ');
    cc__h_pct(&w, NAN);
    cc_tw_putc(&w, ' ');
    cc__h_num(&w, 2.25, 1);
    cc_tw_putc(&w, ' ');
    cc__h_num(&w, INFINITY, 1);
    CHECK_STR(text(&w), "7,630 -1,234,567 999 – 21.1% – 2.3 –");
    restart(&w, ctx);
    CHECK_INT(cc__h_esc(&w, "<b a=\"1\">&x</b>"), CC_OK);
    cc__h_esc(&w, NULL);
    CHECK_STR(text(&w), "&lt;b a=&quot;1&quot;&gt;&amp;x&lt;/b&gt;");
    cc_buf_free(&w.buf);
}

/* A square of 1 x 1 degree at 100 px per degree, and a ring of 0.2 px beside it. */
static void rings(cc_ctx *ctx)
{
    cc__hproj p = {.lon0 = 0, .lat1 = 1, .k = 1, .s = 100, .w = 720, .h = 720, .ok = 1};
    const double x[] = {0, 1, 1, 0, 0, 2, 2.001, 2.001, 2, 2};
    const double y[] = {0, 0, 1, 1, 0, 0, 0, 0.001, 0.001, 0};
    const size_t pc[] = {0, 5, 10}, fp_both[] = {0, 2}, fp_tiny[] = {1, 2};
    cc__ringbuf rb = {0};
    cc_tw d = {0};
    restart(&d, ctx);
    CHECK_INT(cc__h_ring_path(&d, &p, fp_both, pc, x, y, 0, &rb), CC_OK);
    CHECK_STR(text(&d), "M14 114L114 114L114 14L14 14Z");
    restart(&d, ctx);
    CHECK_INT(cc__h_ring_path(&d, &p, fp_tiny, pc, x, y, 0, &rb), CC_OK);
    CHECK_INT(d.buf.len, 0);
    restart(&d, ctx);
    cc__h_star(&d, 10, 10, 9, "fill=\"#ffd700\"");
    CHECK(strncmp(text(&d), "<path d=\"M10 1L", 15) == 0);
    CHECK(strstr(text(&d), "Z\" fill=\"#ffd700\"/>") != NULL);
    cc_buf_free(&d.buf);
    cc__h_ringbuf_free(&rb);
}

static void palette(void)
{
    cc_scenario sc = {0};
    cc_study st = {0};
    st.sc = &sc;
    for (size_t t = 0; t < 9; t++)
        CHECK_STR(cc__h_type_col(t), cc_report_type_color(t, NULL));
    CHECK_STR(cc__h_type_col(0), "#d95f02");
    for (int r = 1; r < CC_REASON_COUNT; r++) {
        CHECK_STR(cc__h_reason_col(r), cc_report_reason_style(r)->hex);
        CHECK_STR(cc__h_reason(&st, r), cc_report_reason_style(r)->label_en);
    }
    /* "covered" and unknown codes mark no underserved area: the palette's grey. */
    CHECK_STR(cc__h_reason_col(CC_REASON_COVERED), "#a0a0a0");
    CHECK_STR(cc__h_reason_col(CC_REASON_COUNT), "#a0a0a0");
    sc.siting.labels_zh = 1;
    CHECK_STR(cc__h_reason(&st, CC_REASON_NO_FACILITY_IN_REACH), "可达范围内无设施");
    CHECK_STR(cc__h_reason(&st, CC_REASON_NETWORK_DETOUR),
              cc_report_reason_style(CC_REASON_NETWORK_DETOUR)->label_zh);
}

/* The data quality section on a study with two warnings and some counts, then the first
   failure kept: helpers and sections write nothing more. */
static void sections(cc_ctx *ctx)
{
    cc_scenario sc = {0};
    cc_study st = {0};
    sc.dir = (char *)".";
    sc.path = (char *)"scenario.yaml";
    st.sc = &sc;
    st.q_off_network = 12;
    st.q_fac_outside = 3;
    char *warn[] = {"demand point p1 <off> the network", "second"};
    st.warnings.data = warn;
    st.warnings.len = 2;
    cc_tw w = {0};
    restart(&w, ctx);
    CHECK_INT(cc__h_quality(&w, &st), CC_OK);
    const char *s = text(&w);
    CHECK(strncmp(s, "<section id=\"quality\"><h2>", 26) == 0);
    CHECK(strstr(s, "<li>demand point p1 &lt;off&gt; the network</li>\n<li>second</li>") != NULL);
    char row[256];
    snprintf(row, sizeof row, "<tr><td>%s</td><td class=\"n\">12</td></tr>",
             cc__str(0, CC_S_Q_OFFNET));
    CHECK(strstr(s, row) != NULL);
    snprintf(row, sizeof row, "<tr><td>%s</td><td class=\"n\">3</td></tr>",
             cc__str(0, CC_S_Q_FAC_OUTSIDE));
    CHECK(strstr(s, row) != NULL);
    CHECK(strstr(s, "</tbody></table></section>\n") != NULL);
    /* Chinese: the note that the warnings are English, and the list marked lang="en". */
    sc.siting.labels_zh = 1;
    restart(&w, ctx);
    cc__h_quality(&w, &st);
    CHECK(strstr(text(&w), "<ul class=\"warn\" lang=\"en\">") != NULL);

    restart(&w, ctx);
    cc_tw_str(&w, "kept");
    CHECK_INT(cc_tw_fail(&w, CC_ERR_IO), CC_ERR_IO);
    CHECK_INT(cc__h_esc(&w, "x"), CC_ERR_IO);
    CHECK_INT(cc__h_people(&w, 1), CC_ERR_IO);
    CHECK_INT(cc__h_pct(&w, 0.5), CC_ERR_IO);
    CHECK_INT(cc__h_num(&w, 1, 0), CC_ERR_IO);
    CHECK_INT(cc__h_star(&w, 1, 1, 1, ""), CC_ERR_IO);
    CHECK_INT(cc__h_quality(&w, &st), CC_ERR_IO);
    CHECK_INT(cc__h_provenance(&w, &st), CC_ERR_IO);
    CHECK_INT(cc__h_districts(&w, &st), CC_ERR_IO);
    CHECK_INT(cc_tw_fail(&w, CC_ERR_NOMEM), CC_ERR_IO); /* the first failure stays */
    CHECK_STR(text(&w), "kept");
    cc_buf_free(&w.buf);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    numbers(ctx);
    rings(ctx);
    palette();
    sections(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
