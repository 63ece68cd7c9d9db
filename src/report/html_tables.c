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
static cc_status target_note(cc_ctx *ctx, const cc_study *st, cc_buf *b, const cc_target *t,
                             const cc_target_result *r)
{
    cc_status rc = CC_OK;
    if (CC__ZH(st)) {
        if (isfinite(r->need) && r->need > 0) {
            P(cc_buf_puts(ctx, b, "尚需 "));
            P(cc__h_num(ctx, b, r->need, 2));
        }
    } else
        P(cc__h_esc(ctx, b, r->note));
    if (t->denom_basis && strcmp(t->denom_basis, "户籍") == 0 &&
        r->status != CC_TARGET_NOT_EVALUATED) {
        P(cc_buf_puts(ctx, b, S(REGISTERED_A)));
        P(cc__h_esc(ctx, b, t->denom_group));
        P(cc_buf_puts(ctx, b, S(REGISTERED_B)));
    }
    return rc;
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
static cc_status district_head(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    size_t npop = 0;
    for (size_t g = 0; g < st->dem.n_groups; g++)
        npop += (size_t)group_served(st, g);
    cc_status rc = cc__h_putf(ctx, b,
                              "<section id=\"districts\"><h2>%s</h2>\n<div class=\"wrap\"><table>\n"
                              "<thead><tr><th rowspan=\"2\">%s</th>"
                              "<th colspan=\"%zu\" class=\"grp\">%s</th>",
                              S(DISTRICTS), S(DISTRICT_H), npop, S(POPULATION));
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        if (!f->dstats) continue;
        P(cc__h_putf(ctx, b, "<th colspan=\"%zu\" class=\"grp\" style=\"border-top:3px solid %s\">",
                     f->n_serves * (f->net_min ? 4 : 2) + 1, cc__h_type_col(t)));
        P(cc__h_esc(ctx, b, cc__h_fac_label(f)));
        P(cc_buf_puts(ctx, b, "</th>"));
    }
    if (st->n_target_sets) P(cc__h_putf(ctx, b, "<th rowspan=\"2\">%s</th>", S(TARGETS_H)));
    P(cc_buf_puts(ctx, b, "</tr>\n<tr>"));
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        if (!group_served(st, g)) continue;
        P(cc_buf_puts(ctx, b, "<th class=\"n\">"));
        P(cc__h_esc(ctx, b, cc__h_group_label(st, g)));
        P(cc_buf_puts(ctx, b, "</th>"));
    }
    const cc__sid cols[] = {CC_S_COL_WITHIN, CC_S_COL_SERVED, CC_S_COL_CIRCLE, CC_S_COL_PER1000};
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        if (!f->dstats) continue;
        for (size_t k = 0; !rc && k < f->n_serves; k++)
            for (int c = 0; !rc && c < 4; c++) {
                if (c < 2 && !f->net_min) continue;
                P(cc_buf_puts(ctx, b, "<th class=\"n\">"));
                if (f->n_serves > 1) {
                    P(cc__h_esc(ctx, b, cc__h_group_label(st, f->serves[k])));
                    P(cc_buf_puts(ctx, b, "<br/>"));
                }
                P(cc__h_putf(ctx, b, "%s</th>", cc__str(CC__ZH(st), cols[c])));
            }
        P(cc__h_putf(ctx, b, "<th class=\"n\">%s</th>", S(COL_FACILITIES)));
    }
    P(cc_buf_puts(ctx, b, "</tr></thead>\n<tbody>\n"));
    return rc;
}

/* The targets cell of district row d: verdict badge, counts and the first notes. */
static cc_status district_targets(cc_ctx *ctx, const cc_study *st, size_t d, cc_buf *b)
{
    size_t nd = st->n_districts;
    int64_t unit = d < nd ? (int64_t)d : d == nd + 1 ? -1 : -2;
    size_t met = 0, nm = 0, np = 0, shown = 0;
    for (size_t s = 0; s < st->n_target_sets; s++)
        for (size_t i = 0; i < st->n_target_res[s]; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            if (r->unit != unit) continue;
            met += r->status == CC_TARGET_MET;
            nm += r->status == CC_TARGET_NOT_MET;
            np += r->status == CC_TARGET_MET_PARTIAL || r->status == CC_TARGET_NOT_MET_PARTIAL;
        }
    cc_status rc = cc_buf_puts(ctx, b, "<td class=\"tg\">");
    if (np) {
        P(cc__h_putf(ctx, b, "<span class=\"badge partial_area\">%s</span> <span class=\"muted\">",
                     S(NO_VERDICT)));
        P(cc__h_putf(ctx, b, S(JUDGED_PART), np));
        P(cc_buf_puts(ctx, b, "</span>"));
    } else if (met + nm == 0)
        P(cc__h_putf(ctx, b, "<span class=\"badge no_target\">%s</span>", S(NO_TARGET)));
    else {
        P(cc__h_putf(ctx, b, "<span class=\"badge %s\">%s</span> <span class=\"muted\">",
                     nm ? "not_met" : "met", nm ? S(NOT_MET) : S(MET)));
        P(cc__h_putf(ctx, b, S(MET_NOT_MET), met, nm));
        P(cc_buf_puts(ctx, b, "</span>"));
    }
    if (nm) {
        P(cc_buf_puts(ctx, b, "<ul class=\"notes\">"));
        for (size_t s = 0; !rc && s < st->n_target_sets; s++)
            for (size_t i = 0; !rc && i < st->n_target_res[s]; i++) {
                const cc_target_result *r = &st->target_res[s][i];
                if (r->unit != unit || r->status != CC_TARGET_NOT_MET) continue;
                if (shown++ >= 3) continue;
                const cc_target *tg = &st->targets[s]->items[r->target];
                P(cc_buf_puts(ctx, b, "<li>"));
                P(cc__h_esc(ctx, b,
                            CC__ZH(st) && tg->name_zh ? tg->name_zh
                            : tg->indicator           ? tg->indicator
                                                      : tg->id));
                P(cc_buf_puts(ctx, b, " "));
                P(cc_buf_puts(ctx, b, cc__h_cmp(tg->cmp)));
                P(cc_buf_put_double(ctx, b, tg->value, 4));
                if (tg->unit) P(cc__h_esc(ctx, b, tg->unit));
                P(cc_buf_puts(ctx, b, ": "));
                P(target_note(ctx, st, b, tg, r));
                P(cc_buf_puts(ctx, b, "</li>"));
            }
        if (shown > 3) {
            P(cc_buf_puts(ctx, b, "<li>"));
            P(cc__h_putf(ctx, b, S(AND_MORE), shown - 3));
            P(cc_buf_puts(ctx, b, "</li>"));
        }
        P(cc_buf_puts(ctx, b, "</ul>"));
    }
    P(cc_buf_puts(ctx, b, "</td>"));
    return rc;
}

/* The figures of row d for type f: per served group the shares and capacity per 1000. */
static cc_status district_cells(cc_ctx *ctx, const cc_study *st, const cc_fac_set *f, size_t d,
                                cc_buf *b)
{
    size_t nfac = 0;
    cc_status rc = CC_OK;
    for (size_t k = 0; !rc && k < f->n_serves; k++) {
        const cc_district_stats *s = cc__h_dstat(st, f, f->serves[k], d);
        nfac = s->n_fac;
        double pop = s->population;
        if (f->net_min) {
            P(cc_buf_puts(ctx, b, "<td class=\"n\">"));
            P(cc__h_pct(ctx, b, pop > 0 ? s->covered_net / pop : NAN));
            P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
            P(cc__h_pct(ctx, b, pop > 0 ? s->served / pop : NAN));
            P(cc_buf_puts(ctx, b, "</td>"));
        }
        P(cc_buf_puts(ctx, b, "<td class=\"n\">"));
        P(cc__h_pct(ctx, b, pop > 0 ? s->covered_circle / pop : NAN));
        P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
        /* Unknown capacities make the figure unknown, never 0. */
        P(s->n_fac_unknown && pop > 0 ? cc_buf_puts(ctx, b, S(UNKNOWN))
                                      : cc__h_num(ctx, b, s->per_1000, 1));
        P(cc_buf_puts(ctx, b, "</td>"));
    }
    P(cc__h_putf(ctx, b, "<td class=\"n\">%zu</td>", nfac));
    return rc;
}

/* Row d of the district table (nd: outside every district, nd + 1: the whole area). */
static cc_status district_row(cc_ctx *ctx, const cc_study *st, size_t d, cc_buf *b)
{
    size_t nd = st->n_districts;
    cc_status rc = cc_buf_puts(ctx, b, d == nd + 1 ? "<tr class=\"total\"><td>" : "<tr><td>");
    P(cc__h_esc(ctx, b, cc__h_district(st, d)));
    if (d < nd && cc__district_partial(st, d)) {
        /* Figures of a district the study area only clips describe that part only. */
        cc__fmtpool F = {0};
        P(cc__h_putf(ctx, b,
                     "<br/><span class=\"badge partial_area\">%s</span> <span class=\"muted\">",
                     S(PARTLY_BADGE)));
        P(cc__h_putf(ctx, b, S(KM2_IN), cc__h_fd(&F, st->district_in_m2[d] / 1e6, 1),
                     cc__h_fd(&F, st->district_area_m2[d] / 1e6, 0),
                     cc__h_fd(&F, 100 * cc__district_share(st, d), 1)));
        P(cc_buf_puts(ctx, b, "</span>"));
    }
    P(cc_buf_puts(ctx, b, "</td>"));
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        if (!group_served(st, g)) continue;
        const cc_district_stats *s = NULL;
        for (size_t t = 0; !s && t < st->n_types; t++)
            for (size_t k = 0; !s && k < st->fac[t].n_serves; k++)
                if (st->fac[t].serves[k] == g) s = cc__h_dstat(st, &st->fac[t], g, d);
        P(cc_buf_puts(ctx, b, "<td class=\"n\">"));
        P(s ? cc__h_people(ctx, b, s->population) : cc_buf_puts(ctx, b, "–"));
        P(cc_buf_puts(ctx, b, "</td>"));
    }
    for (size_t t = 0; !rc && t < st->n_types; t++)
        if (st->fac[t].dstats) P(district_cells(ctx, st, &st->fac[t], d, b));
    if (st->n_target_sets) P(district_targets(ctx, st, d, b));
    P(cc_buf_puts(ctx, b, "</tr>\n"));
    return rc;
}

cc_status cc__h_districts(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    size_t nd = st->n_districts;
    if (!nd) return CC_OK;
    int any = 0;
    for (size_t t = 0; t < st->n_types; t++)
        any |= st->fac[t].dstats != NULL;
    if (!any) return CC_OK;
    cc_status rc = district_head(ctx, st, b);
    for (size_t d = 0; !rc && d < nd + 2; d++) {
        if (d == nd) { /* outside: only when someone lives there */
            double pop = 0;
            for (size_t t = 0; t < st->n_types; t++)
                for (size_t k = 0; st->fac[t].dstats && k < st->fac[t].n_serves; k++)
                    pop += cc__h_dstat(st, &st->fac[t], st->fac[t].serves[k], d)->population;
            if (!(pop > 0)) continue;
        }
        P(district_row(ctx, st, d, b));
    }
    P(cc__h_putf(ctx, b, "</tbody></table></div>\n<p class=\"note\">%s</p></section>\n",
                 S(DISTRICT_NOTE)));
    return rc;
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

/* One row of the targets table. */
static cc_status target_row(cc_ctx *ctx, const cc_study *st, const cc_target *t,
                            const cc_target_result *r, cc_buf *b)
{
    int whole = r->unit < 0 || (size_t)r->unit >= st->n_districts;
    cc_status rc = cc_buf_puts(ctx, b, "<tr><td><strong>");
    P(cc__h_esc(ctx, b, t->name_zh ? t->name_zh : t->indicator));
    P(cc_buf_puts(ctx, b, "</strong><br/><code>"));
    P(cc__h_esc(ctx, b, t->id));
    P(cc_buf_puts(ctx, b, "</code></td><td>"));
    P(cc__h_esc(ctx, b, whole ? S(WHOLE_AREA) : cc__h_district(st, (size_t)r->unit)));
    P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
    P(cc_buf_puts(ctx, b, cc__h_cmp(t->cmp)));
    P(cc_buf_puts(ctx, b, " "));
    P(cc_buf_put_double(ctx, b, t->value, 4));
    P(cc_buf_puts(ctx, b, " "));
    P(cc__h_esc(ctx, b, t->unit));
    P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
    P(r->status != CC_TARGET_NOT_EVALUATED && !isfinite(r->value) ? cc_buf_puts(ctx, b, S(UNKNOWN))
                                                                  : cc__h_num(ctx, b, r->value, 2));
    P(cc__h_putf(ctx, b, "</td><td><span class=\"badge %s\">%s</span></td><td>",
                 cc_target_status_name(r->status), status_text(st, r->status)));
    P(target_note(ctx, st, b, t, r));
    P(cc_buf_puts(ctx, b, "</td><td>"));
    P(cc__h_esc(ctx, b, t->document));
    if (t->clause) {
        P(cc_buf_puts(ctx, b, CC__ZH(st) ? "，" : ", "));
        P(cc__h_esc(ctx, b, t->clause));
    }
    if (t->attribute) {
        P(cc_buf_puts(ctx, b, " <span class=\"muted\">("));
        P(cc__h_esc(ctx, b, t->attribute));
        P(cc_buf_puts(ctx, b, ")</span>"));
    }
    P(cc_buf_puts(ctx, b, "</td></tr>\n"));
    return rc;
}

cc_status cc__h_targets(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    if (!st->n_target_sets) return CC_OK;
    cc_status rc =
        cc__h_putf(ctx, b,
                   "<section id=\"targets\"><h2>%s</h2>\n<div class=\"wrap\"><table>\n"
                   "<thead><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                   S(POLICY_TARGETS), S(TH_TARGET), S(TH_WHERE), S(TH_TARGET_VALUE), S(TH_VALUE),
                   S(TH_STATUS), S(TH_NEED), S(TH_DOC));
    size_t rows = 0, total = 0;
    for (size_t s = 0; !rc && s < st->n_target_sets; s++)
        for (size_t i = 0; !rc && i < st->n_target_res[s]; i++, total++) {
            if (rows >= CC__MAX_TARGET_ROWS) continue;
            rows++;
            const cc_target_result *r = &st->target_res[s][i];
            P(target_row(ctx, st, &st->targets[s]->items[r->target], r, b));
        }
    P(cc_buf_puts(ctx, b, "</tbody></table></div>\n"));
    if (total > rows) {
        P(cc_buf_puts(ctx, b, "<p class=\"note\">"));
        P(cc__h_putf(ctx, b, S(ROWS_SHOWN), rows, total));
        P(cc_buf_puts(ctx, b, "</p>\n"));
    }
    P(cc_buf_puts(ctx, b, "</section>\n"));
    return rc;
}

/* The note under the sites table: how the list was chosen and how good it is. */
static cc_status sites_note(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const struct cc_siting_run *s = st->siting;
    const cc_siting_result *R = s->res;
    cc__fmtpool F = {0};
    cc_status rc = cc_buf_puts(ctx, b, "<p class=\"note\">");
    if (s->p_median) {
        P(cc__h_putf(ctx, b, S(PM_NOTE), R->n_picks, cc__h_fd(&F, s->pm_mean, 2),
                     st->sc->siting.matrix ? st->sc->siting.m_unit : S(MIN), s->n));
    } else if (R->method == CC_SITING_METHOD_EXACT) {
        P(cc__h_putf(ctx, b, S(EXACT_NOTE), R->n_picks, s->n));
        P(cc__h_people(ctx, b, R->optimum_pop));
        P(cc_buf_puts(ctx, b, S(GREEDY_WOULD)));
        P(cc__h_people(ctx, b, R->greedy_pop));
        P(cc_buf_puts(ctx, b, S(GREEDY_GAP)));
        P(cc__h_pct(ctx, b, R->greedy_gap));
        P(cc_buf_puts(ctx, b, CC__ZH(st) ? "）" : ")"));
    } else {
        P(cc__h_putf(ctx, b, S(GREEDY_NOTE), s->n));
        if (isfinite(R->bound_pop)) {
            P(cc_buf_puts(ctx, b,
                          R->why == CC_SITING_WHY_TIME   ? S(WHY_TIME)
                          : R->why == CC_SITING_WHY_SIZE ? S(WHY_SIZE)
                                                         : ""));
            P(cc_buf_puts(ctx, b, S(BOUND_A)));
            P(cc__h_people(ctx, b, R->bound_pop));
            P(cc_buf_puts(ctx, b, S(BOUND_B)));
            P(cc__h_pct(ctx, b, R->bound_gap));
            P(cc_buf_puts(ctx, b, S(BOUND_C)));
        }
    }
    P(cc__h_putf(ctx, b, "%s</p></section>\n", S(SITES_TAIL)));
    return rc;
}

cc_status cc__h_sites(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const struct cc_siting_run *s = st->siting;
    if (!s || !s->res) return CC_OK;
    const cc_fac_set *f = &st->fac[s->type];
    const cc_siting_result *R = s->res;
    cc_status rc = cc__h_putf(ctx, b, "<section id=\"sites\"><h2>%s", S(PROPOSED_SITES_C));
    P(cc__h_esc(ctx, b, cc__h_fac_label(f)));
    P(cc_buf_puts(ctx, b, "</h2>\n"));
    if (!R->n_picks) {
        P(cc__h_putf(ctx, b, "<p>%s</p></section>\n", S(NO_SITE_ADDS)));
        return rc;
    }
    P(cc__h_putf(ctx, b,
                 "<div class=\"wrap\"><table>\n<thead><tr><th class=\"n\">%s</th><th>%s</th>"
                 "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                 S(TH_RANK), S(TH_SITE), S(DISTRICT_H), S(TH_NEW), S(TH_CUM), S(TH_CAP),
                 S(TH_REASON)));
    for (size_t k = 0; !rc && k < R->n_picks; k++) {
        const cc_siting_pick *p = &R->picks[k];
        int32_t d = s->district[p->cand];
        P(cc__h_putf(ctx, b, "<tr><td class=\"n\">%zu</td><td><code>", k + 1));
        P(cc__h_esc(ctx, b, s->id[p->cand]));
        P(cc_buf_puts(ctx, b, "</code>"));
        if (s->name[p->cand] && *s->name[p->cand]) {
            P(cc_buf_puts(ctx, b, "<br/><span class=\"muted\">"));
            P(cc__h_esc(ctx, b, s->name[p->cand]));
            P(cc_buf_puts(ctx, b, "</span>"));
        }
        P(cc_buf_puts(ctx, b, "</td><td>"));
        P(cc__h_esc(ctx, b, d >= 0 && st->district_name ? cc__h_district(st, (size_t)d) : "–"));
        P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
        P(cc__h_people(ctx, b, p->gain_pop));
        P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
        P(cc__h_pct(ctx, b, p->cum_share));
        P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
        /* Capacity units for the newly covered people at the type's standard (as sites.csv). */
        double per1000 = f->spec->capacity_per_1000;
        P(per1000 > 0 ? cc__h_num(ctx, b, ceil(p->gain_pop * per1000 / 1000 - 1e-9), 0)
                      : cc_buf_puts(ctx, b, "–"));
        /* The reason as sites.csv words it (one text for every output; Chinese with
           labels: zh). */
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        P(cc_buf_puts(ctx, b, "</td><td>"));
        if (CC__ZH(st)) {
            P(cc_buf_puts(ctx, b, S(SITE_REASON_ZH)));
            P(cc__h_people(ctx, b, p->gain_pop));
            P(cc_buf_puts(ctx, b, S(PEOPLE_UNIT)));
        } else
            P(cc__h_esc(ctx, b, r.reason));
        P(cc_buf_puts(ctx, b, "</td></tr>\n"));
    }
    P(cc_buf_puts(ctx, b, "</tbody></table></div>\n"));
    P(sites_note(ctx, st, b));
    return rc;
}
