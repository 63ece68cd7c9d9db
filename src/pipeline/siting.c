/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The siting stage: candidate sites (a layer, or cells of underserved demand thinned to a
 * spacing), one bounded network search per candidate (in parallel, in the routing core),
 * then the list (cc_siting_solve: the exact optimum when GLPK proves it within the time limit,
 * else the lazy greedy with a proven bound), or the exact p-median; written as a ranked project
 * list. A scenario's siting.matrix is the planner's definition of reach: it replaces the
 * network's times of the sited type for coverage, gaps and access too (cc__study_matrix).
 */
#include "carecircle/siting.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <string.h>

void cc__siting_free(cc_siting_run *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        cc_free(s->id ? s->id[i] : NULL);
        cc_free(s->name ? s->name[i] : NULL);
    }
    cc_free(s->x);
    cc_free(s->y);
    cc_free(s->lon);
    cc_free(s->lat);
    cc_free(s->id);
    cc_free(s->name);
    cc_free(s->district);
    cc_free(s->snap);
    cc_incidence_destroy(s->inc);
    cc_incidence_destroy(s->exist_inc);
    cc_free(s->cap_pop);
    cc_free(s->exist_cap);
    cc_siting_result_destroy(s->res);
    cc_siting_unit_result_destroy(s->ures);
    cc_free(s->cand_unit);
    cc_free(s->unit_lacks);
    cc_free(s->unit_best);
    cc_free(s->unit_best_pop);
    cc_free(s->unit_n_cand);
    cc_free(s);
}

static cc_status alloc_cands(cc_ctx *ctx, cc_siting_run *s, size_t n)
{
    size_t m = n ? n : 1;
    s->n = n;
    s->x = cc_malloc_array(ctx, m, sizeof *s->x);
    s->y = cc_malloc_array(ctx, m, sizeof *s->y);
    s->lon = cc_malloc_array(ctx, m, sizeof *s->lon);
    s->lat = cc_malloc_array(ctx, m, sizeof *s->lat);
    s->id = cc_calloc(ctx, m, sizeof *s->id);
    s->name = cc_calloc(ctx, m, sizeof *s->name);
    s->district = cc_malloc_array(ctx, m, sizeof *s->district);
    if (!s->x || !s->y || !s->lon || !s->lat || !s->id || !s->name || !s->district) {
        s->n = 0; /* ids not yet filled */
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        s->district[i] = -1;
    return CC_OK;
}

/* Automatic candidates: in each spacing_m grid cell, the underserved demand point with the most
   served people (lowest index on ties). */
static cc_status auto_candidates(cc_ctx *ctx, cc_study *st, const cc_fac_set *f, double spacing,
                                 cc_siting_run *s)
{
    size_t n = st->dem.n, k = 0;
    size_t *best = cc_malloc_array(ctx, n ? n : 1, sizeof *best);
    cc_status rc = best ? CC_OK : CC_ERR_NOMEM;
    /* Sort-free thinning: cells keyed by (row, col) in a simple open-addressed table. */
    size_t cap = 1;
    while (cap < 2 * n + 2)
        cap <<= 1;
    int64_t *key = rc ? NULL : cc_malloc_array(ctx, cap, sizeof *key);
    size_t *slot = rc ? NULL : cc_malloc_array(ctx, cap, sizeof *slot);
    if (!rc && (!key || !slot)) rc = CC_ERR_NOMEM;
    for (size_t i = 0; !rc && i < cap; i++)
        key[i] = INT64_MIN;
    for (size_t i = 0; !rc && i < n; i++) {
        if (f->reason[i] == CC_REASON_COVERED || !(f->served[i] > 0)) continue;
        int64_t cx = (int64_t)floor(st->dem.x[i] / spacing),
                cy = (int64_t)floor(st->dem.y[i] / spacing);
        int64_t kk = cx * 1000003LL + cy;
        size_t h = (size_t)((uint64_t)kk * 0x9E3779B97F4A7C15ULL) & (cap - 1);
        while (key[h] != INT64_MIN && key[h] != kk)
            h = (h + 1) & (cap - 1);
        if (key[h] == INT64_MIN) {
            key[h] = kk;
            slot[h] = k;
            best[k++] = i;
        } else {
            size_t b = best[slot[h]];
            if (f->served[i] > f->served[b]) best[slot[h]] = i;
        }
    }
    if (!rc) rc = alloc_cands(ctx, s, k);
    for (size_t j = 0; !rc && j < k; j++) {
        size_t i = best[j];
        s->x[j] = st->dem.x[i];
        s->y[j] = st->dem.y[i];
        s->lon[j] = st->dem.lon[i];
        s->lat[j] = st->dem.lat[i];
        s->id[j] = cc_asprintf(ctx, "auto-%zu", j + 1);
        /* siting.labels: zh names the cell in Chinese, as every text cell of sites.csv */
        s->name[j] =
            cc_asprintf(ctx, s->spec->labels_zh ? "需求网格 %s" : "demand cell %s", st->dem.id[i]);
        if (st->dem.district) s->district[j] = st->dem.district[i];
        if (!s->id[j] || !s->name[j]) rc = CC_ERR_NOMEM;
    }
    cc_free(best);
    cc_free(key);
    cc_free(slot);
    return rc;
}

static cc_status layer_candidates(cc_ctx *ctx, cc_study *st, cc_siting_run *s)
{
    size_t n = 0;
    cc_status rc = cc__load_candidates(ctx, st, &s->spec->cand, &s->x, &s->y, &s->lon, &s->lat,
                                       &s->id, &s->name, &n);
    s->n = n;
    if (rc) return rc;
    s->district = cc_malloc_array(ctx, n ? n : 1, sizeof *s->district);
    if (!s->district) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        s->district[i] = -1;
    if (st->districts) rc = cc_geom_polyset_locate(ctx, st->districts, n, s->x, s->y, s->district);
    return rc;
}

/* Remove candidates inside the exclusion polygons (keeping the order of the rest). */
static cc_status drop_excluded(cc_ctx *ctx, cc_study *st, cc_siting_run *s)
{
    cc_polyset *ps = NULL;
    int32_t *in = cc_malloc_array(ctx, s->n ? s->n : 1, sizeof *in);
    cc_status rc =
        in ? cc__load_polyset(ctx, st, &s->spec->exclude, "siting.exclude", &ps) : CC_ERR_NOMEM;
    if (!rc) rc = cc_geom_polyset_locate(ctx, ps, s->n, s->x, s->y, in);
    size_t k = 0, dropped = 0;
    for (size_t i = 0; !rc && i < s->n; i++) {
        if (in[i] >= 0) {
            cc_free(s->id[i]);
            cc_free(s->name[i]);
            dropped++;
            continue;
        }
        s->x[k] = s->x[i];
        s->y[k] = s->y[i];
        s->lon[k] = s->lon[i];
        s->lat[k] = s->lat[i];
        s->id[k] = s->id[i];
        s->name[k] = s->name[i];
        s->district[k] = s->district[i];
        k++;
    }
    if (!rc) {
        s->n = k;
        if (dropped)
            rc = cc__study_warn(ctx, st,
                                "siting: %zu candidates lie in siting.exclude and were "
                                "left out",
                                dropped);
    }
    cc_geom_polyset_destroy(ps);
    cc_free(in);
    return rc;
}

static cc_status find_district(cc_ctx *ctx, const cc_study *st, const cc_siting_spec *ss,
                               int32_t *out)
{
    const char *name = ss->district;
    *out = -1;
    if (!name) return CC_OK;
    for (size_t d = 0; d < st->n_districts; d++)
        if ((st->district_name[d] && strcmp(st->district_name[d], name) == 0) ||
            (st->district_id[d] && strcmp(st->district_id[d], name) == 0)) {
            *out = (int32_t)d;
            return CC_OK;
        }
    char where[512];
    return cc_error(ctx, CC_ERR_SCENARIO,
                    "%s: siting.district '%s' is not a district of the districts layer (%zu "
                    "districts, e.g. '%s'); use a name or id from it",
                    cc_scenario_where(st->sc, ss->pos, where, sizeof where), name, st->n_districts,
                    !st->n_districts                                  ? "none"
                    : st->district_name[0] && st->district_name[0][0] ? st->district_name[0]
                    : st->district_id[0]                              ? st->district_id[0]
                                                                      : "");
}

/* The matrix's cost unit as deciseconds per unit, and the siting reach in that unit. Minutes
 * and seconds are times; a metre matrix is read at the pace cutoff / threshold_min (metres per
 * minute), so that "within the threshold" means "within the cutoff" for coverage and siting
 * alike (docs/siting.md, "Bring your own matrix"). */
static void matrix_units(const cc_siting_spec *ss, const cc_facility_spec *fs, double *to_ds,
                         double *cutoff)
{
    if (strcmp(ss->m_unit, "m") == 0) {
        *cutoff = ss->m_cutoff;
        *to_ds = fs->threshold_min * 600.0 / ss->m_cutoff;
    } else if (strcmp(ss->m_unit, "s") == 0) {
        *cutoff = ss->m_cutoff > 0 ? ss->m_cutoff : fs->threshold_min * 60;
        *to_ds = 10;
    } else {
        *cutoff = ss->m_cutoff > 0 ? ss->m_cutoff : fs->threshold_min;
        *to_ds = 600;
    }
}

static size_t siting_type(const cc_study *st, const cc_siting_spec *ss)
{
    size_t t;
    for (t = 0; t + 1 < st->n_types; t++)
        if (strcmp(st->fac[t].spec->name, ss->facility) == 0) break;
    return t;
}

cc_status cc__study_matrix(cc_ctx *ctx, cc_study *st)
{
    const cc_siting_spec *ss = &st->sc->siting; /* only the first block may read a matrix */
    if (!ss->present || !ss->matrix) return CC_OK;
    double t0 = cc_now();
    cc_fac_set *f = &st->fac[siting_type(st, ss)];
    double to_ds, cutoff;
    matrix_units(ss, f->spec, &to_ds, &cutoff);
    /* Rows up to the largest threshold (every report threshold reads the same incidence);
       destination ids that are candidates are skipped here and read by the siting stage. */
    cc_siting_matrix_spec ms = {
        ss->m_origin, ss->m_dest, ss->m_cost, cc__max_threshold(st->sc) * 600.0 / to_ds, to_ds, 1};
    cc_incidence *inc = NULL;
    size_t n = st->dem.n ? st->dem.n : 1;
    uint32_t *tds = cc_malloc_array(ctx, n, sizeof *tds);
    if (!f->net_min) f->net_min = cc_malloc_array(ctx, n, sizeof *f->net_min);
    if (!f->net_fac) f->net_fac = cc_malloc_array(ctx, n, sizeof *f->net_fac);
    cc_status rc = tds && f->net_min && f->net_fac ? CC_OK : CC_ERR_NOMEM;
    if (!rc)
        rc = cc_siting_matrix_read(ctx, ss->matrix, &ms, st->dem.n, (const char *const *)st->dem.id,
                                   f->n, (const char *const *)f->id, &inc, NULL);
    if (!rc) rc = cc_analysis_nearest(ctx, inc, st->dem.n, tds, f->net_fac);
    if (!rc) {
        cc_incidence_destroy(f->inc);
        f->inc = inc;
        f->matrix_reach = 1;
        inc = NULL;
        for (size_t i = 0; i < st->dem.n; i++)
            f->net_min[i] = tds[i] == CC_NONE ? INFINITY : tds[i] / 600.0;
        cc_log(ctx, CC_LOG_INFO,
               "facilities.%s: reach from siting.matrix (%s), not from the network", f->spec->name,
               ss->matrix);
    }
    cc_incidence_destroy(inc);
    cc_free(tds);
    st->t_route += cc_now() - t0;
    return rc;
}

/* Blocks [from, from + n) of a, as a new incidence. */
static cc_status inc_slice(cc_ctx *ctx, const cc_incidence *a, size_t from, size_t n,
                           cc_incidence **out)
{
    cc_incidence *b = cc_calloc(ctx, 1, sizeof *b);
    if (!b) return CC_ERR_NOMEM;
    size_t o = a->fac_off[from], m = a->fac_off[from + n] - o;
    b->n_fac = n;
    b->n = m;
    b->fac_off = cc_malloc_array(ctx, n + 1, sizeof *b->fac_off);
    b->pt = cc_malloc_array(ctx, m ? m : 1, sizeof *b->pt);
    b->time_ds = cc_malloc_array(ctx, m ? m : 1, sizeof *b->time_ds);
    if (!b->fac_off || !b->pt || !b->time_ds) {
        cc_incidence_destroy(b);
        return CC_ERR_NOMEM;
    }
    for (size_t j = 0; j <= n; j++)
        b->fac_off[j] = a->fac_off[from + j] - o;
    if (m) memcpy(b->pt, a->pt + o, m * sizeof *b->pt);
    if (m) memcpy(b->time_ds, a->time_ds + o, m * sizeof *b->time_ds);
    *out = b;
    return CC_OK;
}

/* The planner's matrix for candidates and existing facilities in one read: destinations are
 * candidate ids, then facility ids; an id that matches none is an error listing the first few
 * (cc_siting_matrix_read). dense (may be NULL) gets the candidates' n_pts x n cost columns. */
static cc_status matrix_siting(cc_ctx *ctx, cc_study *st, cc_siting_run *s, const cc_fac_set *f,
                               double **dense)
{
    const cc_siting_spec *ss = s->spec;
    double to_ds, cutoff;
    matrix_units(ss, f->spec, &to_ds, &cutoff);
    size_t nd = s->n + f->n;
    const char **ids = cc_malloc_array(ctx, nd ? nd : 1, sizeof *ids);
    if (!ids) return CC_ERR_NOMEM;
    for (size_t j = 0; j < s->n; j++)
        ids[j] = s->id[j];
    for (size_t j = 0; j < f->n; j++)
        ids[s->n + j] = f->id[j];
    cc_siting_matrix_spec ms = {ss->m_origin, ss->m_dest, ss->m_cost, cutoff, to_ds, 0};
    cc_incidence *all = NULL;
    double *full = NULL;
    cc_status rc =
        cc_siting_matrix_read(ctx, ss->matrix, &ms, st->dem.n, (const char *const *)st->dem.id, nd,
                              ids, &all, dense ? &full : NULL);
    if (rc && strstr(cc_ctx_message(ctx), "given twice"))
        rc = cc_error(ctx, CC_ERR_DATA,
                      "siting.matrix: a candidate and a facility of %s share an id (%s); give "
                      "candidates ids of their own",
                      f->spec->name, cc_ctx_message(ctx));
    if (!rc) rc = inc_slice(ctx, all, 0, s->n, &s->inc);
    if (!rc) rc = inc_slice(ctx, all, s->n, f->n, &s->exist_inc);
    if (!rc && dense) {
        *dense = cc_malloc_array(ctx, (st->dem.n && s->n) ? st->dem.n * s->n : 1, sizeof **dense);
        if (!*dense) rc = CC_ERR_NOMEM;
        for (size_t i = 0; !rc && i < st->dem.n; i++)
            memcpy(*dense + i * s->n, full + i * nd, s->n * sizeof **dense);
    }
    cc_incidence_destroy(all);
    cc_free(full);
    cc_free(ids);
    return rc;
}

/* The siting inputs a run reads after routing, read now for carecircle check (issue 14 item
 * 15: check must not call usable what run rejects): the district to site in, the candidates
 * layer, the exclusion polygons and the matrix against the candidates' and facilities' ids.
 * What was read goes into out, for check's report text. */
static cc_status check_block(cc_ctx *ctx, cc_study *st, const cc_siting_spec *ss,
                             cc_siting_check *out)
{
    const cc_fac_set *f = &st->fac[siting_type(st, ss)];
    char where[512];
    if (!st->roads && !ss->matrix)
        return cc_error(ctx, CC_ERR_SCENARIO,
                        "%s: siting needs travel times: add a network: block to the scenario",
                        cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    if (ss->district && !st->sc->districts.present)
        return cc_error(ctx, CC_ERR_SCENARIO, "%s: siting.district needs a districts: layer",
                        cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    cc_siting_run *s = cc_calloc(ctx, 1, sizeof *s);
    if (!s) return CC_ERR_NOMEM;
    s->spec = ss;
    cc_status rc = find_district(ctx, st, ss, &s->district_sel);
    if (!rc && !ss->auto_candidates) {
        rc = layer_candidates(ctx, st, s);
        if (!rc && ss->exclude.n_sources) rc = drop_excluded(ctx, st, s);
        out->read_candidates = !rc;
        out->n_candidates = s->n;
    } else if (!rc && ss->exclude.n_sources) {
        cc_polyset *ps = NULL;
        rc = cc__load_polyset(ctx, st, &ss->exclude, "siting.exclude", &ps);
        cc_geom_polyset_destroy(ps);
    }
    if (!rc && ss->matrix) {
        rc = matrix_siting(ctx, st, s, f, NULL);
        out->read_matrix = !rc;
        out->n_pairs = s->inc ? s->inc->n : 0;
    }
    cc__siting_free(s);
    return rc;
}

/* The siting inputs a run reads after routing, read now for carecircle check (issue 14 item
 * 15: check must not call usable what run rejects): the district to site in, the candidates
 * layer, the exclusion polygons and the matrix against the candidates' and facilities' ids,
 * for every siting block. What the first block read goes into out, for check's report text. */
cc_status cc__study_siting_check(cc_ctx *ctx, cc_study *st, cc_siting_check *out)
{
    const cc_scenario *sc = st->sc;
    memset(out, 0, sizeof *out);
    if (!sc->siting.present) return CC_OK;
    cc_status rc = check_block(ctx, st, &sc->siting, out);
    for (size_t b = 0; !rc && b < sc->n_siting_more; b++) {
        cc_siting_check more;
        memset(&more, 0, sizeof more);
        rc = check_block(ctx, st, &sc->siting_more[b], &more);
    }
    return rc;
}

/* objective: p_median: the count sites with the least people-weighted mean cost over the people
 * outside reach of existing facilities (reason not covered) that some candidate can reach; the
 * chosen set is then ranked by what each site adds within reach (the greedy on the set). */
static cc_status pmedian_siting(cc_ctx *ctx, cc_study *st, cc_siting_run *s,
                                const cc_siting_input *in, double *dense)
{
    const cc_siting_spec *ss = s->spec;
    const cc_fac_set *f = &st->fac[s->type];
    size_t np = st->dem.n, nc = s->n, k = (size_t)ss->count;
    double *w = cc_malloc_array(ctx, np ? np : 1, sizeof *w);
    cc_status rc = w ? CC_OK : CC_ERR_NOMEM;
    if (!rc && !dense) {
        /* From the network incidence: allowed pairs are those within reach. */
        dense = cc_malloc_array(ctx, (np && nc) ? np * nc : 1, sizeof *dense);
        if (!dense) rc = CC_ERR_NOMEM;
        for (size_t q = 0; !rc && q < np * nc; q++)
            dense[q] = INFINITY;
        for (size_t j = 0; !rc && j < nc; j++)
            for (size_t q = s->inc->fac_off[j]; q < s->inc->fac_off[j + 1]; q++)
                if (s->inc->time_ds[q] <= in->limit_ds)
                    dense[(size_t)s->inc->pt[q] * nc + j] = s->inc->time_ds[q] / 600.0;
    }
    size_t left_out = 0;
    double left_pop = 0;
    for (size_t i = 0; !rc && i < np; i++) {
        int any = 0;
        for (size_t j = 0; j < nc && !any; j++)
            any = isfinite(dense[i * nc + j]);
        int want = f->reason[i] != CC_REASON_COVERED && f->served[i] > 0 &&
                   (in->district < 0 || (st->dem.district && st->dem.district[i] == in->district));
        w[i] = want && any ? f->served[i] : 0;
        if (want && !any) left_out++, left_pop += f->served[i];
    }
    if (!rc && k > nc)
        rc = cc_error(ctx, CC_ERR_SCENARIO,
                      "siting: objective: p_median with count %zu but only %zu candidates; lower "
                      "siting.count",
                      k, nc);
    cc_siting_pmedian *pm = NULL;
    if (!rc) rc = cc_siting_pmedian_exact(ctx, np, nc, dense, w, k, ss->exact_time_limit_s, &pm);
    if (!rc && !pm->proven_optimal)
        rc = cc_error(ctx, CC_ERR_DATA,
                      "siting: the p-median solver did not prove optimality within %g s; raise "
                      "siting.exact_time_limit_s",
                      ss->exact_time_limit_s);
    /* Rank the set: the greedy restricted to the chosen candidates. */
    cc_incidence *sub = NULL;
    if (!rc) {
        sub = cc_calloc(ctx, 1, sizeof *sub);
        if (!sub) rc = CC_ERR_NOMEM;
    }
    if (!rc) {
        size_t m = 0;
        for (size_t a = 0; a < k; a++)
            m += s->inc->fac_off[pm->sites[a] + 1] - s->inc->fac_off[pm->sites[a]];
        sub->n_fac = k;
        sub->fac_off = cc_malloc_array(ctx, k + 1, sizeof *sub->fac_off);
        sub->pt = cc_malloc_array(ctx, m ? m : 1, sizeof *sub->pt);
        sub->time_ds = cc_malloc_array(ctx, m ? m : 1, sizeof *sub->time_ds);
        if (!sub->fac_off || !sub->pt || !sub->time_ds) rc = CC_ERR_NOMEM;
        sub->fac_off[0] = 0;
        for (size_t a = 0; !rc && a < k; a++) {
            size_t j = pm->sites[a], o = sub->fac_off[a];
            size_t len = s->inc->fac_off[j + 1] - s->inc->fac_off[j];
            memcpy(sub->pt + o, s->inc->pt + s->inc->fac_off[j], len * sizeof *sub->pt);
            memcpy(sub->time_ds + o, s->inc->time_ds + s->inc->fac_off[j],
                   len * sizeof *sub->time_ds);
            sub->fac_off[a + 1] = o + len;
        }
        sub->n = sub->fac_off[k];
    }
    if (!rc) {
        cc_siting_input sin = *in;
        sin.cand = sub;
        double *cap = NULL;
        if (in->cand_cap_pop) {
            cap = cc_malloc_array(ctx, k, sizeof *cap);
            if (!cap) rc = CC_ERR_NOMEM;
            for (size_t a = 0; !rc && a < k; a++)
                cap[a] = in->cand_cap_pop[pm->sites[a]];
            sin.cand_cap_pop = cap;
        }
        cc_siting_opts o = {k, 0};
        if (!rc) rc = cc_siting_greedy(ctx, &sin, &o, &s->res);
        cc_free(cap);
    }
    if (!rc) {
        /* Every chosen site is listed, also one that adds nobody within reach. */
        cc_siting_result *r = s->res;
        uint8_t *in_list = cc_calloc(ctx, k, 1);
        cc_siting_pick *pk = cc_realloc_array(ctx, r->picks, k, sizeof *pk);
        if (!in_list || !pk) rc = CC_ERR_NOMEM;
        if (pk) r->picks = pk;
        for (size_t a = 0; !rc && a < r->n_picks; a++)
            in_list[r->picks[a].cand] = 1;
        for (size_t a = 0; !rc && a < k; a++)
            if (!in_list[a]) {
                cc_siting_pick z = {(uint32_t)a, 0, r->covered_pop,
                                    r->total_pop > 0 ? r->covered_pop / r->total_pop : 0, 0};
                r->picks[r->n_picks++] = z;
            }
        for (size_t a = 0; !rc && a < r->n_picks; a++)
            r->picks[a].cand = pm->sites[r->picks[a].cand];
        r->method = CC_SITING_METHOD_EXACT;
        r->why = CC_SITING_WHY_NONE;
        r->bound_pop = r->bound_gap = NAN;
        s->pm_mean = pm->mean_cost;
        s->p_median = 1;
        cc_free(in_list);
    }
    if (!rc && left_out)
        rc = cc__study_warn(ctx, st,
                            "siting: objective p_median: %zu demand points (%.0f people) reach "
                            "no candidate and are not in the mean",
                            left_out, left_pop);
    cc_incidence_destroy(sub);
    cc_siting_pmedian_destroy(pm);
    cc_free(w);
    cc_free(dense);
    return rc;
}

/* Candidates of one siting block (a layer or automatic, less the exclusions) and their
   incidence (a network search each, or the planner's matrix); capacities in people. */
static cc_status block_inputs(cc_ctx *ctx, cc_study *st, cc_siting_run *s, double **dense)
{
    const cc_siting_spec *ss = s->spec;
    cc_fac_set *f = &st->fac[s->type];
    char where[512];
    cc_status rc = find_district(ctx, st, ss, &s->district_sel);
    if (!rc && (ss->district && !st->sc->districts.present))
        rc = cc_error(ctx, CC_ERR_SCENARIO, "%s: siting.district needs a districts: layer",
                      cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    if (!rc)
        rc = ss->auto_candidates ? auto_candidates(ctx, st, f, ss->spacing_m, s)
                                 : layer_candidates(ctx, st, s);
    if (!rc && ss->exclude.n_sources) rc = drop_excluded(ctx, st, s);
    if (rc || s->n == 0) return rc;
    uint32_t lim = (uint32_t)llround(f->spec->threshold_min * 600.0);
    s->limit_ds = lim;
    s->reach = f->spec->threshold_min;
    s->reach_m = 0;
    if (ss->matrix) {
        /* Times (or distances) from the planner's own matrix, for candidates and existing
           facilities alike. */
        double to_ds, cutoff;
        matrix_units(ss, f->spec, &to_ds, &cutoff);
        lim = (uint32_t)llround(cutoff * to_ds);
        s->limit_ds = lim;
        s->reach_m = strcmp(ss->m_unit, "m") == 0;
        s->reach = strcmp(ss->m_unit, "s") == 0 ? cutoff / 60 : cutoff;
        rc = matrix_siting(ctx, st, s, f, ss->p_median ? dense : NULL);
        if (rc) return rc;
    } else {
        const cc_net_variant *var = &st->vars[f->variant];
        s->snap = cc_malloc_array(ctx, s->n, sizeof *s->snap);
        if (!s->snap) return CC_ERR_NOMEM;
        rc = cc_route_snap(ctx, var->g, s->n, s->x, s->y, s->snap);
        if (!rc)
            rc = cc_route_catchments(ctx, var->g, var->prof, s->n, s->snap, st->dem.n, var->pts,
                                     lim, &s->inc);
        if (rc) return rc;
    }
    /* Capacities in people, from capacity units and the type's standard. */
    double per1000 = f->spec->capacity_per_1000;
    if (per1000 > 0) {
        if (ss->capacity > 0) {
            s->cap_pop = cc_malloc_array(ctx, s->n, sizeof *s->cap_pop);
            if (!s->cap_pop) return CC_ERR_NOMEM;
            for (size_t j = 0; j < s->n; j++)
                s->cap_pop[j] = cc_siting_people_capacity(ss->capacity, per1000);
        }
        s->exist_cap = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *s->exist_cap);
        if (!s->exist_cap) return CC_ERR_NOMEM;
        for (size_t j = 0; j < f->n; j++)
            s->exist_cap[j] = isnan(f->capacity[j])
                                  ? 1e18 /* unknown: not limiting */
                                  : cc_siting_people_capacity(f->capacity[j], per1000);
    }
    return CC_OK;
}

/* One siting block: its inputs, then the list by its objective. */
static cc_status run_block(cc_ctx *ctx, cc_study *st, cc_siting_run *s)
{
    const cc_siting_spec *ss = s->spec;
    double t0 = cc_now();
    cc_fac_set *f = &st->fac[s->type];
    char where[512];
    if (!f->inc && !ss->matrix)
        return cc_error(ctx, CC_ERR_SCENARIO,
                        "%s: siting needs travel times: add a network: block to the scenario",
                        cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    double *dense = NULL;
    cc_status rc = block_inputs(ctx, st, s, &dense);
    if (rc) {
        cc_free(dense);
        return rc;
    }
    if (ss->unit_obj) {
        rc = cc__siting_units(ctx, st, s);
        st->t_siting += cc_now() - t0;
        return rc;
    }
    if (s->n == 0) {
        /* Nothing underserved (or an empty layer): no site is needed. */
        rc = cc__study_warn(ctx, st, "siting: no candidate sites (nothing underserved for %s)",
                            f->spec->name);
        st->t_siting += cc_now() - t0;
        return rc;
    }
    uint32_t lim = s->limit_ds;
    const cc_incidence *existing = ss->matrix ? s->exist_inc : f->inc;
    cc_siting_input in = {st->dem.n,  f->served,    s->inc,           existing,       lim,
                          s->cap_pop, s->exist_cap, st->dem.district, s->district_sel};
    cc_siting_opts opt = {(size_t)ss->count, ss->target_share};
    if (ss->p_median)
        rc = pmedian_siting(ctx, st, s, &in, dense); /* takes dense */
    else
        rc = cc_siting_solve(ctx, &in, &opt, (cc_siting_exact_mode)ss->exact,
                             ss->exact_time_limit_s, &s->res);
    if (!rc && s->res->method == CC_SITING_METHOD_GREEDY && s->res->why == CC_SITING_WHY_TIME)
        rc = cc__study_warn(ctx, st,
                            "siting: the exact solver did not prove optimality within %g s; the "
                            "list is the greedy one, within %.1f%% of the optimum (proven bound "
                            "%.2f people); raise siting.exact_time_limit_s for the exact list",
                            ss->exact_time_limit_s, 100 * s->res->bound_gap, s->res->bound_pop);
    if (!rc && s->res->method == CC_SITING_METHOD_GREEDY && s->res->why == CC_SITING_WHY_SIZE)
        rc = cc__study_warn(ctx, st,
                            "siting: the exact model is too large for the solver; the list is "
                            "the greedy one, within %.1f%% of the optimum (proven bound %.2f "
                            "people)",
                            100 * s->res->bound_gap, s->res->bound_pop);
    if (!rc && ss->target_share > 0 && !s->res->target_reached)
        rc = cc__study_warn(ctx, st,
                            "siting: the target share %g is not reached with %zu sites (%.1f%% "
                            "covered); add candidates or allow more sites",
                            ss->target_share, s->res->n_picks,
                            s->res->total_pop > 0 ? 100 * s->res->covered_pop / s->res->total_pop
                                                  : 0);
    st->t_siting += cc_now() - t0; /* candidate searches included: candidates follow the gaps */
    return rc;
}

cc_status cc__study_siting(cc_ctx *ctx, cc_study *st)
{
    const cc_scenario *sc = st->sc;
    if (!sc->siting.present) return CC_OK;
    if (sc->n_siting_more) {
        st->siting_more = cc_calloc(ctx, sc->n_siting_more, sizeof *st->siting_more);
        if (!st->siting_more) return CC_ERR_NOMEM;
        st->n_siting_more = sc->n_siting_more;
    }
    for (size_t b = 0; b <= sc->n_siting_more; b++) {
        cc_siting_run *s = cc_calloc(ctx, 1, sizeof *s);
        if (!s) return CC_ERR_NOMEM;
        *(b ? &st->siting_more[b - 1] : &st->siting) = s;
        s->spec = b ? &sc->siting_more[b - 1] : &sc->siting;
        s->type = siting_type(st, s->spec);
        cc_status rc = run_block(ctx, st, s);
        if (rc) return rc;
    }
    return CC_OK;
}

/* ---- Outputs: sites.csv (a project-list table), sites.geojson, the summary block ---- */
