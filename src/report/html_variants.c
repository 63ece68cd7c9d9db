/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The variants section of report.html: per variant, facility type and served group, the
 * people within reach at the type's threshold against the baseline (people, share, change).
 * Every figure is a row of the comparison table the pipeline built when the variant ran
 * (st->vres, the rows of comparison.csv); the section looks them up and formats them.
 */
#include "html_layers.h"

#include <math.h>
#include <string.h>

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The comparison row of a variant with these keys (group and method NULL when the row has
   none, thr NaN), or NULL. */
static const cc_cmp_row *find_row(const cc_variant_res *r, const char *table, const char *type,
                                  const char *group, const char *method, double thr,
                                  const char *metric)
{
    for (size_t i = 0; i < r->rows.len; i++) {
        const cc_cmp_row *x = &CC_VEC_AT(&r->rows, cc_cmp_row, i);
        if (strcmp(x->table, table) == 0 && same(x->type, type) && same(x->group, group) &&
            same(x->method, method) && strcmp(x->metric, metric) == 0 && !x->district &&
            ((isnan(thr) && isnan(x->threshold_min)) || x->threshold_min == thr))
            return x;
    }
    return NULL;
}

/* A change with its sign (+ for a gain), rounded to dec decimals; people with separators. */
static void signed_cell(cc_tw *w, double v, int dec, int people)
{
    cc_tw_str(w, "<td class=\"n\">");
    double k = pow(10, dec), r = round(v * k) / k;
    if (r == 0) r = 0; /* no "-0" */
    if (isfinite(r) && r > 0) cc_tw_str(w, "+");
    if (people)
        cc__h_people(w, r);
    else
        cc__h_num(w, r, dec);
    cc_tw_str(w, "</td>");
}

static void people_cell(cc_tw *w, double v)
{
    cc_tw_str(w, "<td class=\"n\">");
    cc__h_people(w, v);
    cc_tw_str(w, "</td>");
}

static void pct_cell(cc_tw *w, double share)
{
    cc_tw_str(w, "<td class=\"n\">");
    cc__h_pct(w, share);
    cc_tw_str(w, "</td>");
}

static void text_cell(cc_tw *w, const char *s)
{
    cc_tw_str(w, "<td>");
    cc__h_esc(w, s);
    cc_tw_str(w, "</td>");
}

/* One line: variant r, baseline type fb, group g (baseline index), at the type's threshold on
   the network when the runs have those rows, else on the circle; nothing when neither. */
static void variant_line(cc_tw *w, const cc_study *st, const cc_variant_res *r,
                         const cc_fac_set *fb, size_t g)
{
    const char *tn = fb->spec->name, *gn = st->sc->demand[g].name, *m = "network";
    double thr = fb->spec->threshold_min;
    const cc_cmp_row *pop = find_row(r, "coverage", tn, gn, m, thr, "within_reach_population");
    if (!pop) pop = find_row(r, "coverage", tn, gn, m = "circle", thr, "within_reach_population");
    if (!pop) return;
    const cc_cmp_row *share = find_row(r, "coverage", tn, gn, m, thr, "within_reach_share");
    const cc_cmp_row *nf = find_row(r, "facilities", tn, NULL, NULL, NAN, "facilities");
    cc__fmtpool F = {0};
    cc_tw_str(w, "<tr data-variant=\"");
    cc__h_esc(w, r->sc->variant);
    cc_tw_str(w, "\" data-type=\"");
    cc__h_esc(w, tn);
    cc_tw_str(w, "\" data-group=\"");
    cc__h_esc(w, gn);
    cc_tw_printf(w, "\" data-method=\"%s\" data-threshold=\"%s\">", m, cc__h_fd(&F, thr, 3));
    text_cell(w, r->sc->variant);
    text_cell(w, cc__h_fac_label(fb));
    text_cell(w, cc__h_group_label(st, g));
    cc_tw_str(w, "<td>");
    cc_tw_printf(w, strcmp(m, "network") == 0 ? S(VAR_NET) : S(VAR_CIRCLE), cc__h_fd(&F, thr, 2));
    cc_tw_str(w, "</td><td class=\"n\">");
    if (nf) cc_tw_printf(w, "%s → %s", cc__h_fd(&F, nf->base, 0), cc__h_fd(&F, nf->value, 0));
    cc_tw_str(w, "</td>");
    people_cell(w, pop->base);
    people_cell(w, pop->value);
    signed_cell(w, pop->value - pop->base, 0, 1);
    pct_cell(w, share ? share->base : NAN);
    pct_cell(w, share ? share->value : NAN);
    signed_cell(w, share ? (share->value - share->base) * 100 : NAN, 1, 0);
    cc_tw_str(w, "</tr>\n");
}

cc_status cc__h_variants(cc_tw *w, const cc_study *st)
{
    if (!st->n_vres) return w->rc;
    cc_tw_printf(w, "<section id=\"variants\"><h2>%s</h2>\n<p class=\"note\">", S(VAR_H));
    cc_tw_printf(w, S(VAR_NOTE), "<code>variants/</code>", "<code>comparison.csv</code>");
    cc_tw_str(w, "</p>\n");
    cc_tw_str(w, "<div class=\"wrap\"><table class=\"variants\"><thead><tr>");
    const cc__sid th[] = {CC_S_VAR_TH_VARIANT, CC_S_VAR_TH_TYPE,     CC_S_VAR_TH_GROUP,
                          CC_S_VAR_TH_REACH,   CC_S_VAR_TH_FAC,      CC_S_VAR_TH_BASE,
                          CC_S_VAR_TH_VALUE,   CC_S_VAR_TH_CHANGE,   CC_S_VAR_TH_BASE_SHARE,
                          CC_S_VAR_TH_SHARE,   CC_S_VAR_TH_CHANGE_PP};
    for (size_t i = 0; i < sizeof th / sizeof th[0]; i++)
        cc_tw_printf(w, "<th%s>%s</th>", i < 4 ? "" : " class=\"n\"", cc__str(CC__ZH(st), th[i]));
    cc_tw_str(w, "</tr></thead>\n<tbody>\n");
    for (size_t v = 0; v < st->n_vres; v++)
        for (size_t t = 0; t < st->n_types; t++)
            for (size_t k = 0; k < st->fac[t].n_serves; k++)
                variant_line(w, st, &st->vres[v], &st->fac[t], st->fac[t].serves[k]);
    cc_tw_str(w, "</tbody></table></div></section>\n");
    return w->rc;
}
