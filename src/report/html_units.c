/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report's units section: per level of `units:` and facility type, the units with a
 * facility of the type and the units covered (unit_coverage.csv), then the uncovered units by
 * name (units_<level>.csv rows with covered = no). Every count is a stage result of
 * cc_unit_layer (load_units.c); each row carries the exact counts in data- attributes so that
 * checks can compare it with the CSV.
 */
#include "html_internal.h"

#include <math.h>

/* The level's name for people. */
static const char *level_label(const cc_study *st, const char *level)
{
    static const cc__sid ID[] = {CC_S_LV_COUNTY, CC_S_LV_STREET, CC_S_LV_COMMUNITY,
                                 CC_S_LV_VILLAGE};
    int k = cc_unit_level_of(level); /* units: levels are county … village, never city */
    return k >= CC_LEVEL_COUNTY ? cc__str(CC__ZH(st), ID[k - CC_LEVEL_COUNTY]) : level;
}

/* A share of units as a percentage, "–" when no unit counts. */
static void pct(cc_tw *w, size_t num, size_t den)
{
    cc_tw_str(w, "<td class=\"n\">");
    if (den) {
        cc_tw_num(w, 100.0 * (double)num / (double)den, 1);
        cc_tw_putc(w, '%');
    } else
        cc_tw_str(w, "–");
    cc_tw_str(w, "</td>");
}

/* The names of the level's units that type t does not cover, in the layer's order. */
static void uncovered(cc_tw *w, const cc_study *st, const cc_unit_layer *u, size_t t)
{
    size_t shown = 0;
    for (size_t d = 0; d < u->n && !w->rc; d++) {
        if (isnan(u->share[t][d]) || u->covered[t][d]) continue;
        if (shown++) cc_tw_str(w, CC__ZH(st) ? "、" : ", ");
        cc__h_esc(w, u->name[d] && *u->name[d] ? u->name[d] : u->id[d]);
    }
    if (!shown) cc_tw_str(w, "–");
}

static void level_table(cc_tw *w, const cc_study *st, const cc_unit_layer *u)
{
    cc_tw_str(w, "<h3>");
    cc__h_esc(w, level_label(st, u->spec->level));
    cc_tw_printf(w, "</h3>\n<div class=\"wrap\"><table class=\"units\" data-level=\"");
    cc__h_esc(w, u->spec->level);
    cc_tw_printf(w,
                 "\"><thead><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th></tr></thead><tbody>\n",
                 S(UNITS_TH_TYPE), S(UNITS_TH_UNITS), S(UNITS_TH_WITH_FAC), S(UNITS_TH_COVERED),
                 S(UNITS_TH_RULE), S(UNITS_TH_NOT_COVERED));
    for (size_t t = 0; t < st->n_types && !w->rc; t++) {
        cc_tw_str(w, "<tr data-type=\"");
        cc__h_esc(w, st->fac[t].spec->name);
        cc_tw_printf(w, "\" data-units=\"%zu\" data-with-facility=\"%zu\" data-with-people=\"%zu\""
                        " data-covered=\"%zu\"><td>",
                     u->n, u->n_with_fac[t], u->n_with_people[t], u->n_covered[t]);
        cc__h_esc(w, cc__h_fac_label(&st->fac[t]));
        cc_tw_printf(w, "</td><td class=\"n\">%zu</td>", u->n);
        pct(w, u->n_with_fac[t], u->n);
        pct(w, u->n_covered[t], u->n_with_people[t]);
        cc_tw_str(w, "<td class=\"n\">≥ ");
        cc_tw_num(w, u->spec->min_share * 100, 1);
        cc_tw_str(w, "%</td><td>");
        uncovered(w, st, u, t);
        cc_tw_str(w, "</td></tr>\n");
    }
    cc_tw_str(w, "</tbody></table></div>\n");
}

cc_status cc__h_units(cc_tw *w, const cc_study *st)
{
    if (!st->n_units || !st->n_types) return w->rc;
    cc_tw_printf(w, "<section id=\"units\"><h2>%s</h2>\n<p class=\"note\">%s</p>\n", S(UNITS_H),
                 S(UNITS_NOTE));
    for (size_t l = 0; l < st->n_units && !w->rc; l++)
        level_table(w, st, &st->units[l]);
    return cc_tw_str(w, "</section>\n");
}
