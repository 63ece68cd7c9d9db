/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tables of report.html: districts (population, shares within reach, served within
 * capacity, circle, capacity per 1000, target verdicts), policy targets and proposed sites.
 * Every figure is a stage result (district statistics, target results, the siting run); the
 * tables scroll inside their own box on a phone and repeat their header rows in print.
 */
#include "html_internal.h"

#include <math.h>
#include <string.h>

/* Target notes as targets.csv writes them (with the registered-basis caveat). The analysis
   words its notes in English; a Chinese page says what is still needed from the number. */
static cc_status target_note(cc_tw *w, const cc_study *st, const cc_target *t,
                             const cc_target_result *r)
{
    if (!CC__ZH(st))
        cc__h_esc(w, r->note);
    else if (isfinite(r->need) && r->need > 0) {
        cc_tw_str(w, "尚需 ");
        cc__h_num(w, r->need, 2);
    }
    if (cc__registered_caveat(st, t) && r->status != CC_TARGET_NOT_EVALUATED) {
        cc_tw_str(w, S(REGISTERED_A));
        cc__h_esc(w, t->denom_group);
        cc_tw_str(w, S(REGISTERED_B));
    }
    return w->rc;
}

/* 1 when some type serves demand group g (the district table shows its population). */
static int group_served(const cc_study *st, size_t g)
{
    for (size_t t = 0; t < st->n_types; t++)
        for (size_t k = 0; k < st->fac[t].n_serves; k++)
            if (st->fac[t].serves[k] == g) return 1;
    return 0;
}

/* The district table's two header rows: population, then each facility type's columns. */
/* The district tables: the first (t == ALL_TYPES) holds the population per group and the
   targets, then one per facility type (t) its figures, so that each fits a printed page however
   many types the run has. */
#define ALL_TYPES ((size_t)-1)

static cc_status district_head(cc_tw *w, const cc_study *st, size_t t)
{
    cc_tw_printf(w, "<div class=\"wrap\"><table>\n<thead><tr><th rowspan=\"2\">%s</th>",
                 S(DISTRICT_H));
    if (t == ALL_TYPES) {
        size_t npop = 0;
        for (size_t g = 0; g < st->dem.n_groups; g++)
            npop += (size_t)group_served(st, g);
        cc_tw_printf(w, "<th colspan=\"%zu\" class=\"grp\">%s</th>", npop, S(POPULATION));
        if (st->n_target_sets) cc_tw_printf(w, "<th rowspan=\"2\">%s</th>", S(TARGETS_H));
        cc_tw_str(w, "</tr>\n<tr>");
        for (size_t g = 0; g < st->dem.n_groups; g++) {
            if (!group_served(st, g)) continue;
            cc_tw_str(w, "<th class=\"n\">");
            cc__h_esc(w, cc__h_group_label(st, g));
            cc_tw_str(w, "</th>");
        }
        return cc_tw_str(w, "</tr></thead>\n<tbody>\n");
    }
    const cc_fac_set *f = &st->fac[t];
    cc_tw_printf(w, "<th colspan=\"%zu\" class=\"grp\" style=\"border-top:3px solid %s\">",
                 f->n_serves * (f->net_min ? 4 : 2) + 1, cc__h_type_col(t));
    cc__h_esc(w, cc__h_fac_label(f));
    cc_tw_str(w, "</th></tr>\n<tr>");
    const cc__sid cols[] = {CC_S_COL_WITHIN, CC_S_COL_SERVED, CC_S_COL_CIRCLE, CC_S_COL_PER1000};
    for (size_t k = 0; !w->rc && k < f->n_serves; k++)
        for (int c = 0; c < 4; c++) {
            if (c < 2 && !f->net_min) continue;
            cc_tw_str(w, "<th class=\"n\">");
            if (f->n_serves > 1) {
                cc__h_esc(w, cc__h_group_label(st, f->serves[k]));
                cc_tw_str(w, "<br/>");
            }
            cc_tw_printf(w, "%s</th>", cc__str(CC__ZH(st), cols[c]));
        }
    cc_tw_printf(w, "<th class=\"n\">%s</th>", S(COL_FACILITIES));
    return cc_tw_str(w, "</tr></thead>\n<tbody>\n");
}

/* The notes of the first three targets district row `unit` does not meet, and how many more. */
static cc_status district_notes(cc_tw *w, const cc_study *st, int64_t unit)
{
    size_t shown = 0;
    cc_tw_str(w, "<ul class=\"notes\">");
    for (size_t s = 0; !w->rc && s < st->n_target_sets; s++)
        for (size_t i = 0; i < st->n_target_res[s]; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            if (r->unit != unit || r->status != CC_TARGET_NOT_MET) continue;
            if (shown++ >= 3) continue;
            const cc_target *tg = &st->targets[s]->items[r->target];
            cc_tw_str(w, "<li>");
            cc__h_esc(w, CC__ZH(st) && tg->name_zh ? tg->name_zh
                         : tg->indicator           ? tg->indicator
                                                   : tg->id);
            cc_tw_putc(w, ' ');
            cc_tw_str(w, cc__h_cmp(tg->cmp));
            cc_tw_num(w, tg->value, 4);
            if (tg->unit) cc__h_esc(w, tg->unit);
            cc_tw_str(w, ": ");
            target_note(w, st, tg, r);
            cc_tw_str(w, "</li>");
        }
    if (shown > 3) {
        cc_tw_str(w, "<li>");
        cc_tw_printf(w, S(AND_MORE), shown - 3);
        cc_tw_str(w, "</li>");
    }
    return cc_tw_str(w, "</ul>");
}

/* The targets cell of district row d: verdict badge, counts and the first notes. */
static cc_status district_targets(cc_tw *w, const cc_study *st, size_t d)
{
    size_t nd = st->n_districts;
    int64_t unit = d < nd ? (int64_t)d : d == nd + 1 ? -1 : -2;
    size_t met = 0, nm = 0, np = 0;
    for (size_t s = 0; s < st->n_target_sets; s++)
        for (size_t i = 0; i < st->n_target_res[s]; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            if (r->unit != unit) continue;
            met += r->status == CC_TARGET_MET;
            nm += r->status == CC_TARGET_NOT_MET;
            np += r->status == CC_TARGET_MET_PARTIAL || r->status == CC_TARGET_NOT_MET_PARTIAL;
        }
    cc_tw_str(w, "<td class=\"tg\">");
    if (np) {
        cc_tw_printf(w, "<span class=\"badge partial_area\">%s</span> <span class=\"muted\">",
                     S(NO_VERDICT));
        cc_tw_printf(w, S(JUDGED_PART), np);
        cc_tw_str(w, "</span>");
    } else if (met + nm == 0)
        cc_tw_printf(w, "<span class=\"badge no_target\">%s</span>", S(NO_TARGET));
    else {
        cc_tw_printf(w, "<span class=\"badge %s\">%s</span> <span class=\"muted\">",
                     nm ? "not_met" : "met", nm ? S(NOT_MET) : S(MET));
        cc_tw_printf(w, S(MET_NOT_MET), met, nm);
        cc_tw_str(w, "</span>");
    }
    if (nm) district_notes(w, st, unit);
    return cc_tw_str(w, "</td>");
}

/* The figures of row d for type f: per served group the shares and capacity per 1000. */
static cc_status district_cells(cc_tw *w, const cc_study *st, const cc_fac_set *f, size_t d)
{
    size_t nfac = 0;
    for (size_t k = 0; k < f->n_serves; k++) {
        const cc_district_stats *s = cc__h_dstat(st, f, f->serves[k], d);
        nfac = s->n_fac;
        double pop = s->population;
        if (f->net_min) {
            cc_tw_str(w, "<td class=\"n\">");
            cc__h_pct(w, pop > 0 ? s->covered_net / pop : NAN);
            cc_tw_str(w, "</td><td class=\"n\">");
            cc__h_pct(w, pop > 0 ? s->served / pop : NAN);
            cc_tw_str(w, "</td>");
        }
        cc_tw_str(w, "<td class=\"n\">");
        cc__h_pct(w, pop > 0 ? s->covered_circle / pop : NAN);
        cc_tw_str(w, "</td><td class=\"n\">");
        /* Unknown capacities make the figure unknown, never 0. */
        if (s->n_fac_unknown && pop > 0)
            cc_tw_str(w, S(UNKNOWN));
        else
            cc__h_num(w, s->per_1000, 1);
        cc_tw_str(w, "</td>");
    }
    return cc_tw_printf(w, "<td class=\"n\">%zu</td>", nfac);
}

/* Row d of the district table (nd: outside every district, nd + 1: the whole area). */
static cc_status district_row(cc_tw *w, const cc_study *st, size_t d, size_t t)
{
    size_t nd = st->n_districts;
    cc_tw_str(w, d == nd + 1 ? "<tr class=\"total\"><td>" : "<tr><td>");
    cc__h_esc(w, cc__h_district(st, d));
    if (d < nd && cc__district_partial(st, d)) {
        /* Figures of a district the study area only clips describe that part only. */
        cc__fmtpool F = {0};
        cc_tw_printf(w, "<br/><span class=\"badge partial_area\">%s</span> <span class=\"muted\">",
                     S(PARTLY_BADGE));
        cc_tw_printf(w, S(KM2_IN), cc__h_fd(&F, st->district_in_m2[d] / 1e6, 1),
                     cc__h_fd(&F, st->district_area_m2[d] / 1e6, 0),
                     cc__h_fd(&F, 100 * cc__district_share(st, d), 1));
        cc_tw_str(w, "</span>");
    }
    cc_tw_str(w, "</td>");
    if (t != ALL_TYPES) {
        district_cells(w, st, &st->fac[t], d);
        return cc_tw_str(w, "</tr>\n");
    }
    for (size_t g = 0; g < st->dem.n_groups; g++) {
        if (!group_served(st, g)) continue;
        const cc_district_stats *s = NULL;
        for (size_t i = 0; !s && i < st->n_types; i++)
            for (size_t k = 0; !s && k < st->fac[i].n_serves; k++)
                if (st->fac[i].serves[k] == g) s = cc__h_dstat(st, &st->fac[i], g, d);
        cc_tw_str(w, "<td class=\"n\">");
        if (s)
            cc__h_people(w, s->population);
        else
            cc_tw_str(w, "–");
        cc_tw_str(w, "</td>");
    }
    if (st->n_target_sets) district_targets(w, st, d);
    return cc_tw_str(w, "</tr>\n");
}

/* One district table (t as district_head): the districts, the people outside every district
   when there are any, the whole area. */
static cc_status district_table(cc_tw *w, const cc_study *st, size_t t)
{
    size_t nd = st->n_districts;
    district_head(w, st, t);
    for (size_t d = 0; !w->rc && d < nd + 2; d++) {
        if (d == nd) { /* outside: only when someone lives there */
            double pop = 0;
            for (size_t k = 0; k < st->n_types; k++)
                for (size_t j = 0; st->fac[k].dstats && j < st->fac[k].n_serves; j++)
                    pop += cc__h_dstat(st, &st->fac[k], st->fac[k].serves[j], d)->population;
            if (!(pop > 0)) continue;
        }
        district_row(w, st, d, t);
    }
    return cc_tw_str(w, "</tbody></table></div>\n");
}

cc_status cc__h_districts(cc_tw *w, const cc_study *st)
{
    size_t nd = st->n_districts;
    if (!nd) return w->rc;
    int any = 0;
    for (size_t t = 0; t < st->n_types; t++)
        any |= st->fac[t].dstats != NULL;
    if (!any) return w->rc;
    cc_tw_printf(w, "<section id=\"districts\"><h2>%s</h2>\n", S(DISTRICTS));
    district_table(w, st, ALL_TYPES);
    for (size_t t = 0; !w->rc && t < st->n_types; t++)
        if (st->fac[t].dstats) district_table(w, st, t);
    return cc_tw_printf(w, "<p class=\"note\">%s</p></section>\n", S(DISTRICT_NOTE));
}

/* Status of a target result as shown to people. */
static const char *status_text(const cc_study *st, cc_target_status s)
{
    return s == CC_TARGET_MET               ? S(MET)
           : s == CC_TARGET_NOT_MET         ? S(NOT_MET)
           : s == CC_TARGET_MET_PARTIAL     ? S(ST_MET_PART)
           : s == CC_TARGET_NOT_MET_PARTIAL ? S(ST_NOT_MET_PART)
                                            : S(ST_NOT_EVAL);
}

/* A targets row's first two cells: the indicator with `code` under it, and where. */
static void row_head(cc_tw *w, const cc_study *st, const cc_target *t, const cc_target_result *r,
                     const char *code)
{
    int whole = r->unit < 0 || (size_t)r->unit >= st->n_districts;
    cc_tw_str(w, "<tr><td><strong>");
    cc__h_esc(w, t->name_zh ? t->name_zh : t->indicator);
    cc_tw_str(w, "</strong><br/><code>");
    cc__h_esc(w, code);
    cc_tw_str(w, "</code></td><td>");
    cc__h_esc(w, whole ? S(WHOLE_AREA) : cc__h_district(st, (size_t)r->unit));
}

/* A targets row's last cell and its end: the document, the clause (a ramp's row leaves it
   out: each year has its own) and the attribute. */
static cc_status doc_cell(cc_tw *w, const cc_study *st, const cc_target *t, int clause)
{
    cc_tw_str(w, "</td><td>");
    cc__h_esc(w, t->document);
    if (clause && t->clause) {
        cc_tw_str(w, CC__ZH(st) ? "，" : ", ");
        cc__h_esc(w, t->clause);
    }
    if (t->attribute) {
        cc_tw_str(w, " <span class=\"muted\">(");
        cc__h_esc(w, t->attribute);
        cc_tw_str(w, ")</span>");
    }
    return cc_tw_str(w, "</td></tr>\n");
}

/* One row of the targets table. */
static cc_status target_row(cc_tw *w, const cc_study *st, const cc_target *t,
                            const cc_target_result *r)
{
    row_head(w, st, t, r, t->id);
    cc_tw_str(w, "</td><td class=\"n\">");
    cc_tw_str(w, cc__h_cmp(t->cmp));
    cc_tw_putc(w, ' ');
    cc_tw_num(w, t->value, 4);
    cc_tw_putc(w, ' ');
    cc__h_esc(w, t->unit);
    cc_tw_str(w, "</td><td class=\"n\">");
    if (r->status != CC_TARGET_NOT_EVALUATED && !isfinite(r->value))
        cc_tw_str(w, S(UNKNOWN));
    else
        cc__h_num(w, r->value, 2);
    cc_tw_printf(w, "</td><td><span class=\"badge %s\">%s</span></td><td>",
                 cc_target_status_name(r->status), status_text(st, r->status));
    target_note(w, st, t, r);
    return doc_cell(w, st, t, 1);
}

/* Texts equal, NULL equal to NULL. */
static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* 1 when records a and b are two years of one ramp: the same indicator of the same document,
   computed the same way on the same denominator. */
static int same_ramp(const cc_target *a, const cc_target *b)
{
    return a->year != b->year && a->metric == b->metric && a->level == b->level &&
           a->cmp == b->cmp && same_text(a->indicator, b->indicator) &&
           same_text(a->document, b->document) && same_text(a->facility_type, b->facility_type) &&
           same_text(a->group, b->group) && same_text(a->denom_group, b->denom_group) &&
           same_text(a->denom_basis, b->denom_basis) && same_text(a->unit, b->unit) &&
           same_text(a->capacity, b->capacity) && same_text(a->unit_level, b->unit_level);
}

/* Result j of set s is a later year of a ramp whose row result i (i < j) shows. */
static int ramp_of(const cc_study *st, size_t s, size_t i, size_t j)
{
    const cc_target_result *a = &st->target_res[s][i], *b = &st->target_res[s][j];
    return a->unit == b->unit &&
           same_ramp(&st->targets[s]->items[a->target], &st->targets[s]->items[b->target]);
}

/* One row for the years of a ramp (results `first` and the later ones of set s): the value
   once (it is today's), each year's target, verdict and need on a line of its own. */
static cc_status ramp_row(cc_tw *w, const cc_study *st, size_t s, size_t first)
{
    const cc_target_result *r0 = &st->target_res[s][first];
    const cc_target *t0 = &st->targets[s]->items[r0->target];
    row_head(w, st, t0, r0, t0->indicator);
    for (int col = 0; col < 4; col++) {
        cc_tw_str(w, col == 2 ? "</td><td>" : col == 3 ? "</td><td>" : "</td><td class=\"n\">");
        if (col == 1) { /* today's value, the same for every year */
            if (r0->status != CC_TARGET_NOT_EVALUATED && !isfinite(r0->value))
                cc_tw_str(w, S(UNKNOWN));
            else
                cc__h_num(w, r0->value, 2);
            continue;
        }
        for (size_t j = first; j < st->n_target_res[s]; j++) {
            if (j != first && !ramp_of(st, s, first, j)) continue;
            const cc_target_result *r = &st->target_res[s][j];
            const cc_target *t = &st->targets[s]->items[r->target];
            if (j != first) cc_tw_str(w, "<br/>");
            cc_tw_printf(w, "%d: ", t->year);
            if (col == 0) {
                cc_tw_str(w, cc__h_cmp(t->cmp));
                cc_tw_num(w, t->value, 4);
                if (t->unit) cc__h_esc(w, t->unit);
            } else if (col == 2) {
                cc_tw_printf(w, "<span class=\"badge %s\">%s</span>",
                             cc_target_status_name(r->status), status_text(st, r->status));
            } else {
                target_note(w, st, t, r);
            }
        }
    }
    return doc_cell(w, st, t0, 0);
}

/* The row of result i of set s: a ramp's row at its first year, nothing at its later years. */
static cc_status result_row(cc_tw *w, const cc_study *st, size_t s, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (ramp_of(st, s, j, i)) return w->rc; /* shown in the ramp's row */
    for (size_t j = i + 1; j < st->n_target_res[s]; j++)
        if (ramp_of(st, s, i, j)) return ramp_row(w, st, s, i);
    const cc_target_result *r = &st->target_res[s][i];
    return target_row(w, st, &st->targets[s]->items[r->target], r);
}

cc_status cc__h_targets(cc_tw *w, const cc_study *st)
{
    if (!st->n_target_sets) return w->rc;
    cc_tw_printf(w,
                 "<section id=\"targets\"><h2>%s</h2>\n<div class=\"wrap\"><table>\n"
                 "<thead><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                 S(POLICY_TARGETS), S(TH_TARGET), S(TH_WHERE), S(TH_TARGET_VALUE), S(TH_VALUE),
                 S(TH_STATUS), S(TH_NEED), S(TH_DOC));
    size_t rows = 0, total = 0;
    for (size_t s = 0; !w->rc && s < st->n_target_sets; s++)
        for (size_t i = 0; !w->rc && i < st->n_target_res[s]; i++, total++) {
            if (rows >= CC__MAX_TARGET_ROWS) continue;
            rows++;
            result_row(w, st, s, i);
        }
    cc_tw_str(w, "</tbody></table></div>\n");
    if (total > rows) {
        cc_tw_str(w, "<p class=\"note\">");
        cc_tw_printf(w, S(ROWS_SHOWN), rows, total);
        cc_tw_str(w, "</p>\n");
    }
    return cc_tw_str(w, "</section>\n");
}

/* The note under the sites table: how the list was chosen and how good it is. */
static cc_status sites_note(cc_tw *w, const cc_study *st)
{
    const struct cc_siting_run *s = st->siting;
    const cc_siting_result *R = s->res;
    cc__fmtpool F = {0};
    cc_tw_str(w, "<p class=\"note\">");
    if (s->p_median) {
        cc_tw_printf(w, S(PM_NOTE), R->n_picks, cc__h_fd(&F, s->pm_mean, 2),
                     st->sc->siting.matrix ? st->sc->siting.m_unit : S(MIN), s->n);
    } else if (R->method == CC_SITING_METHOD_EXACT) {
        cc_tw_printf(w, S(EXACT_NOTE), R->n_picks, s->n);
        cc__h_people(w, R->optimum_pop);
        cc_tw_str(w, S(GREEDY_WOULD));
        cc__h_people(w, R->greedy_pop);
        cc_tw_str(w, S(GREEDY_GAP));
        cc__h_pct(w, R->greedy_gap);
        cc_tw_str(w, CC__ZH(st) ? "）" : ")");
    } else {
        cc_tw_printf(w, S(GREEDY_NOTE), s->n);
        if (isfinite(R->bound_pop)) {
            cc_tw_str(w, R->why == CC_SITING_WHY_TIME   ? S(WHY_TIME)
                         : R->why == CC_SITING_WHY_SIZE ? S(WHY_SIZE)
                                                        : "");
            cc_tw_str(w, S(BOUND_A));
            cc__h_people(w, R->bound_pop);
            cc_tw_str(w, S(BOUND_B));
            cc__h_pct(w, R->bound_gap);
            cc_tw_str(w, S(BOUND_C));
        }
    }
    return cc_tw_printf(w, "%s</p></section>\n", S(SITES_TAIL));
}

/* Row k of the sites table. */
static cc_status site_row(cc_tw *w, const cc_study *st, const cc_fac_set *f, size_t k)
{
    const struct cc_siting_run *s = st->siting;
    const cc_siting_pick *p = &s->res->picks[k];
    int32_t d = s->district[p->cand];
    cc_tw_printf(w, "<tr><td class=\"n\">%zu</td><td><code>", k + 1);
    cc__h_esc(w, s->id[p->cand]);
    cc_tw_str(w, "</code>");
    if (s->name[p->cand] && *s->name[p->cand]) {
        cc_tw_str(w, "<br/><span class=\"muted\">");
        cc__h_esc(w, s->name[p->cand]);
        cc_tw_str(w, "</span>");
    }
    cc_tw_str(w, "</td><td>");
    cc__h_esc(w, d >= 0 && st->district_name ? cc__h_district(st, (size_t)d) : "–");
    cc_tw_str(w, "</td><td class=\"n\">");
    cc__h_people(w, p->gain_pop);
    cc_tw_str(w, "</td><td class=\"n\">");
    cc__h_pct(w, p->cum_share);
    cc_tw_str(w, "</td><td class=\"n\">");
    /* Capacity units for the newly covered people at the type's standard (as sites.csv). */
    double per1000 = f->spec->capacity_per_1000;
    if (per1000 > 0)
        cc__h_num(w, ceil(p->gain_pop * per1000 / 1000 - 1e-9), 0);
    else
        cc_tw_str(w, "–");
    cc_tw_str(w, "</td><td>");
    /* The reason as sites.csv words it (one text for every output; Chinese with labels: zh). */
    if (CC__ZH(st)) {
        cc_tw_str(w, S(SITE_REASON_ZH));
        cc__h_people(w, p->gain_pop);
        cc_tw_str(w, S(PEOPLE_UNIT));
    } else {
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        cc__h_esc(w, r.reason);
    }
    return cc_tw_str(w, "</td></tr>\n");
}

cc_status cc__h_sites(cc_tw *w, const cc_study *st)
{
    const struct cc_siting_run *s = st->siting;
    if (!s || !s->res) return w->rc;
    const cc_fac_set *f = &st->fac[s->type];
    cc_tw_printf(w, "<section id=\"sites\"><h2>%s", S(PROPOSED_SITES_C));
    cc__h_esc(w, cc__h_fac_label(f));
    cc_tw_str(w, "</h2>\n");
    if (!s->res->n_picks) return cc_tw_printf(w, "<p>%s</p></section>\n", S(NO_SITE_ADDS));
    cc_tw_printf(w,
                 "<div class=\"wrap\"><table>\n<thead><tr><th class=\"n\">%s</th><th>%s</th>"
                 "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                 S(TH_RANK), S(TH_SITE), S(DISTRICT_H), S(TH_NEW), S(TH_CUM), S(TH_CAP),
                 S(TH_REASON));
    for (size_t k = 0; !w->rc && k < s->res->n_picks; k++)
        site_row(w, st, f, k);
    cc_tw_str(w, "</tbody></table></div>\n");
    return sites_note(w, st);
}
