/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report's walking-speed section: for each type routed on a walking network, the share of
 * each served group within each scenario threshold at the usual walking speeds and the routed
 * one. Every figure is a stage row (f->sens, the rows of sensitivity.csv); each cell carries the
 * row's exact figures (data-share, data-people) so that checks can compare it with the CSV.
 */
#include "html_internal.h"

#include <math.h>

/* The cell of one row: its share as a percentage, the exact figures in attributes. */
static void cell(cc_tw *w, const cc_sens_row *r)
{
    if (!r) {
        cc_tw_str(w, "<td class=\"n\">–</td>");
        return;
    }
    cc_tw_str(w, "<td class=\"n\" data-share=\"");
    if (isfinite(r->share)) cc_tw_num(w, r->share, 6); /* unknown: empty, not "null" */
    cc_tw_str(w, "\" data-people=\"");
    cc_tw_num(w, r->within_reach, 2);
    cc_tw_str(w, "\">");
    if (isfinite(r->share)) {
        cc_tw_num(w, r->share * 100, 1);
        cc_tw_putc(w, '%');
    } else
        cc_tw_str(w, "–");
    cc_tw_str(w, "</td>");
}

/* One table row: group and speed of rows r[0 .. n-1], a cell per scenario threshold. */
static void speed_row(cc_tw *w, const cc_study *st, const cc_sens_row *r, size_t n, int routed)
{
    const cc_scenario *sc = st->sc;
    cc_tw_str(w, routed ? "<tr style=\"font-weight:700\"><td>" : "<tr><td>");
    cc__h_esc(w, cc__h_group_label(st, r->group));
    cc_tw_str(w, "</td><td class=\"n\">");
    cc_tw_num(w, r->speed_kmh, 1);
    cc_tw_str(w, "</td>");
    for (size_t i = 0; i < sc->n_thresholds; i++) {
        const cc_sens_row *hit = NULL;
        for (size_t j = 0; j < n && !hit; j++)
            if (r[j].threshold_min == sc->thresholds_min[i]) hit = &r[j];
        cell(w, hit);
    }
    cc_tw_str(w, "</tr>\n");
}

static void type_table(cc_tw *w, const cc_study *st, size_t t)
{
    const cc_scenario *sc = st->sc;
    const cc_fac_set *f = &st->fac[t];
    double routed = st->vars[f->variant].speed_kmh;
    cc_tw_printf(w, "<h3 style=\"border-left:4px solid %s;padding-left:6px\">",
                 cc__h_type_col(t));
    cc__h_esc(w, cc__h_fac_label(f));
    cc_tw_printf(w, "</h3>\n<div class=\"wrap\"><table class=\"q\" data-type=\"");
    cc__h_esc(w, f->spec->name);
    cc_tw_printf(w, "\"><thead><tr><th>%s</th><th class=\"n\">%s</th>", S(SENS_GROUP),
                 S(SENS_SPEED));
    for (size_t i = 0; i < sc->n_thresholds; i++) {
        char th[40];
        cc_fmt_double(th, sizeof th, sc->thresholds_min[i], 3);
        cc_tw_str(w, "<th class=\"n\">");
        cc_tw_printf(w, S(SENS_MIN), th);
        cc_tw_str(w, "</th>");
    }
    cc_tw_str(w, "</tr></thead><tbody>\n");
    /* The stage's rows come by group, then speed, then threshold. */
    for (size_t i = 0; i < f->n_sens && !w->rc;) {
        const cc_sens_row *r = &f->sens[i];
        size_t e = i + 1;
        while (e < f->n_sens && f->sens[e].group == r->group &&
               f->sens[e].speed_kmh == r->speed_kmh)
            e++;
        speed_row(w, st, r, e - i, fabs(r->speed_kmh - routed) < 1e-9);
        i = e;
    }
    cc_tw_str(w, "</tbody></table></div>\n");
}

cc_status cc__h_sensitivity(cc_tw *w, const cc_study *st)
{
    int any = 0;
    for (size_t t = 0; t < st->n_types; t++)
        any |= st->fac[t].n_sens > 0;
    if (!any) return w->rc;
    cc_tw_printf(w, "<section id=\"sensitivity\"><h2>%s</h2>\n<p class=\"note\">%s</p>\n",
                 S(SENS_H), S(SENS_NOTE));
    for (size_t t = 0; t < st->n_types; t++)
        if (st->fac[t].n_sens) type_table(w, st, t);
    return cc_tw_str(w, "</section>\n");
}
