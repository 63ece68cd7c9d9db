/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The estates section of report.html (runs with `estates:`): per estate rule, the estates it
 * applies to in the whole area, how many comply and the total shortfall (the whole-area rows of
 * estates_summary.csv), then the estates short of a rule with their shortfall (the rows of
 * estates.csv with compliant no), the first CC__MAX_ESTATE_ROWS of them. Every figure is a
 * result of the estates stage (cc_study.estates); the section formats them.
 */
#include "html_layers.h"

#include <math.h>

enum { CC__MAX_ESTATE_ROWS = 50 };

static void th_row(cc_tw *w, const cc_study *st, const cc__sid *th, size_t n, size_t n_text)
{
    cc_tw_str(w, "<div class=\"wrap\"><table class=\"estates\"><thead><tr>");
    for (size_t i = 0; i < n; i++)
        cc_tw_printf(w, "<th%s>%s</th>", i < n_text ? "" : " class=\"n\"",
                     cc__str(CC__ZH(st), th[i]));
    cc_tw_str(w, "</tr></thead>\n<tbody>\n");
}

static void text_td(cc_tw *w, const char *s)
{
    cc_tw_str(w, "<td>");
    cc__h_esc(w, s);
    cc_tw_str(w, "</td>");
}

static void num_td(cc_tw *w, double v, int dec)
{
    cc_tw_str(w, "<td class=\"n\">");
    cc__h_num(w, v, dec);
    cc_tw_str(w, "</td>");
}

/* Per rule, the whole area's tally. */
static void rule_table(cc_tw *w, const cc_study *st, const cc_estate_layer *e)
{
    static const cc__sid th[] = {CC_S_EST_TH_RULE,      CC_S_EST_TH_JURIS,
                                 CC_S_EST_TH_APPLIES,   CC_S_EST_TH_SERVICE,
                                 CC_S_EST_TH_ESTATES,   CC_S_EST_TH_COMPLIANT,
                                 CC_S_EST_TH_SHARE,     CC_S_EST_TH_UNASSESSABLE,
                                 CC_S_EST_TH_SHORTFALL};
    size_t nd = st->n_districts;
    th_row(w, st, th, sizeof th / sizeof th[0], 4);
    for (size_t r = 0; r < e->n_rules; r++) {
        const cc_estate_rule *ru = e->rules[r];
        const cc_estate_sum *s = &e->sum[r * (nd + 2) + nd + 1];
        cc_tw_str(w, "<tr>");
        text_td(w, ru->id);
        text_td(w, ru->jurisdiction);
        text_td(w, ru->applies_to == CC_ESTATE_NEW   ? S(EST_NEW)
                   : ru->applies_to == CC_ESTATE_OLD ? S(EST_OLD)
                                                     : S(EST_ALL));
        text_td(w, ru->service == CC_SERVICE_ELDERLY ? S(EST_ELDERLY) : S(EST_CHILDCARE));
        num_td(w, (double)s->estates, 0);
        num_td(w, (double)s->compliant, 0);
        cc_tw_str(w, "<td class=\"n\">");
        cc__h_pct(w, s->assessable ? (double)s->compliant / (double)s->assessable : NAN);
        cc_tw_str(w, "</td>");
        num_td(w, (double)(s->estates - s->assessable), 0);
        num_td(w, s->shortfall_m2, 1);
        cc_tw_str(w, "</tr>\n");
    }
    cc_tw_str(w, "</tbody></table></div>\n");
}

/* The estates short of a rule, in estates.csv's order. */
static void short_table(cc_tw *w, const cc_study *st, const cc_estate_layer *e)
{
    static const cc__sid th[] = {CC_S_EST_TH_ESTATE,   CC_S_EST_TH_DISTRICT,
                                 CC_S_EST_TH_RULE,     CC_S_EST_TH_REQUIRED,
                                 CC_S_EST_TH_PROVIDED, CC_S_EST_TH_SHORTFALL};
    const double *have[2] = {e->elderly_m2, e->childcare_m2};
    size_t shown = 0, total = 0;
    for (size_t i = 0; i < e->n; i++)
        for (size_t r = 0; r < e->n_rules; r++) {
            size_t k = r * e->n + i;
            if (e->status[k] != CC_ESTATE_NOT_COMPLIANT) continue;
            if (!total++) th_row(w, st, th, sizeof th / sizeof th[0], 3);
            if (shown >= CC__MAX_ESTATE_ROWS) continue;
            shown++;
            cc_tw_str(w, "<tr>");
            text_td(w, e->name[i] && *e->name[i] ? e->name[i] : e->id[i]);
            text_td(w, e->district[i] >= 0 ? cc__h_district(st, (size_t)e->district[i]) : "");
            text_td(w, e->rules[r]->id);
            num_td(w, e->required_m2[k], 1);
            num_td(w, have[e->rules[r]->service][i], 1);
            num_td(w, e->shortfall_m2[k], 1);
            cc_tw_str(w, "</tr>\n");
        }
    if (total) cc_tw_str(w, "</tbody></table></div>\n");
    if (!total) {
        cc_tw_printf(w, "<p class=\"note\">%s</p>\n", S(EST_NONE_SHORT));
    } else if (shown < total) {
        cc_tw_str(w, "<p class=\"note\">");
        cc_tw_printf(w, S(EST_MORE), total - shown, "<code>estates.csv</code>");
        cc_tw_str(w, "</p>\n");
    }
}

cc_status cc__h_estates(cc_tw *w, const cc_study *st)
{
    const cc_estate_layer *e = st->estates;
    if (!e) return w->rc;
    cc_tw_printf(w, "<section id=\"estates\"><h2>%s</h2>\n<p class=\"note\">", S(EST_H));
    cc_tw_printf(w, S(EST_NOTE), "<code>estates.csv</code>", "<code>estates_summary.csv</code>",
                 "<code>estates.geojson</code>");
    cc_tw_str(w, "</p>\n");
    rule_table(w, st, e);
    cc_tw_printf(w, "<h3>%s</h3>\n", S(EST_SHORT_H));
    short_table(w, st, e);
    cc_tw_str(w, "</section>\n");
    return w->rc;
}
