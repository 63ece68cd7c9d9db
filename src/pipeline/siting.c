/*
 * The siting stage: candidate sites (a layer, or cells of underserved demand thinned to a
 * spacing), one bounded network search per candidate (in parallel, in the routing core),
 * then lazy-greedy maximal covering with capacities over the sparse incidence, optionally an
 * exact GLPK solve to report the greedy list's gap; written as a ranked project list.
 */
#include "carecircle/siting.h"
#include "core/internal.h"
#include "study.h"

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
    cc_siting_result_destroy(s->exact);
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
        s->name[j] = cc_asprintf(ctx, "demand cell %s", st->dem.id[i]);
        if (st->dem.district) s->district[j] = st->dem.district[i];
        if (!s->id[j] || !s->name[j]) rc = CC_ERR_NOMEM;
    }
    cc_free(best);
    cc_free(key);
    cc_free(slot);
    return rc;
}

cc_status cc__load_candidates(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, double **x,
                              double **y, double **lon, double **lat, char ***id, char ***name,
                              size_t *n);

static cc_status layer_candidates(cc_ctx *ctx, cc_study *st, cc_siting_run *s)
{
    size_t n = 0;
    cc_status rc = cc__load_candidates(ctx, st, &st->sc->siting.cand, &s->x, &s->y, &s->lon,
                                       &s->lat, &s->id, &s->name, &n);
    s->n = n;
    if (rc) return rc;
    s->district = cc_malloc_array(ctx, n ? n : 1, sizeof *s->district);
    if (!s->district) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        s->district[i] = -1;
    if (st->districts) rc = cc_geom_polyset_locate(ctx, st->districts, n, s->x, s->y, s->district);
    return rc;
}

cc_status cc__load_polyset(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, const char *role,
                           cc_polyset **out);

/* Remove candidates inside the exclusion polygons (keeping the order of the rest). */
static cc_status drop_excluded(cc_ctx *ctx, cc_study *st, cc_siting_run *s)
{
    cc_polyset *ps = NULL;
    int32_t *in = cc_malloc_array(ctx, s->n ? s->n : 1, sizeof *in);
    cc_status rc = in ? cc__load_polyset(ctx, st, &st->sc->siting.exclude, "siting.exclude", &ps)
                      : CC_ERR_NOMEM;
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

static cc_status find_district(cc_ctx *ctx, const cc_study *st, const char *name, int32_t *out)
{
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
                    cc_scenario_where(st->sc, st->sc->siting.pos, where, sizeof where), name,
                    st->n_districts,
                    !st->n_districts                                  ? "none"
                    : st->district_name[0] && st->district_name[0][0] ? st->district_name[0]
                    : st->district_id[0]                              ? st->district_id[0]
                                                                      : "");
}

/* How the scenario's siting.matrix is read for type f. */
static cc_siting_matrix_spec matrix_spec(const cc_siting_spec *ss, const cc_fac_set *f)
{
    double to_ds = strcmp(ss->m_unit, "min") == 0 ? 600 : strcmp(ss->m_unit, "s") == 0 ? 10 : 1;
    double cutoff = ss->m_cutoff > 0
                        ? ss->m_cutoff
                        : f->spec->threshold_min * (strcmp(ss->m_unit, "s") == 0 ? 60 : 1);
    return (cc_siting_matrix_spec){ss->m_origin, ss->m_dest, ss->m_cost, cutoff, to_ds, 1};
}

/* The matrix's times for the candidates (s->inc) and the existing facilities (s->exist_inc). */
static cc_status read_matrix(cc_ctx *ctx, const cc_study *st, const cc_fac_set *f,
                             const cc_siting_matrix_spec *ms, cc_siting_run *s)
{
    const char *path = st->sc->siting.matrix;
    const char *const *pts = (const char *const *)st->dem.id;
    cc_status rc = cc_siting_matrix_read(ctx, path, ms, st->dem.n, pts, s->n,
                                         (const char *const *)s->id, &s->inc, NULL);
    if (!rc)
        rc = cc_siting_matrix_read(ctx, path, ms, st->dem.n, pts, f->n, (const char *const *)f->id,
                                   &s->exist_inc, NULL);
    return rc;
}

/* The siting inputs a run reads after routing, read now for carecircle check (issue 14 item
 * 15: check must not call usable what run rejects): the district to site in, the candidates
 * layer, the exclusion polygons and the matrix against the candidates' and facilities' ids.
 * One line per input into report. */
cc_status cc__study_siting_check(cc_ctx *ctx, cc_study *st, cc_buf *report)
{
    const cc_siting_spec *ss = &st->sc->siting;
    if (!ss->present) return CC_OK;
    size_t t;
    for (t = 0; t < st->n_types; t++)
        if (strcmp(st->fac[t].spec->name, ss->facility) == 0) break;
    const cc_fac_set *f = &st->fac[t];
    char where[512], line[600];
    if (!st->roads && !ss->matrix)
        return cc_error(ctx, CC_ERR_SCENARIO,
                        "%s: siting needs travel times: add a network: block to the scenario",
                        cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    if (ss->district && !st->sc->districts.present)
        return cc_error(ctx, CC_ERR_SCENARIO, "%s: siting.district needs a districts: layer",
                        cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    cc_siting_run *s = cc_calloc(ctx, 1, sizeof *s);
    if (!s) return CC_ERR_NOMEM;
    cc_status rc = find_district(ctx, st, ss->district, &s->district_sel);
    if (!rc && !ss->auto_candidates) {
        rc = layer_candidates(ctx, st, s);
        if (!rc && ss->exclude.n_sources) rc = drop_excluded(ctx, st, s);
        cc_snprintf(line, sizeof line, "siting candidates: %zu (%s)\n", s->n, ss->cand.sources[0]);
        if (!rc) rc = cc_buf_puts(ctx, report, line);
    } else if (!rc && ss->exclude.n_sources) {
        cc_polyset *ps = NULL;
        rc = cc__load_polyset(ctx, st, &ss->exclude, "siting.exclude", &ps);
        cc_geom_polyset_destroy(ps);
    }
    if (!rc && ss->matrix) {
        cc_siting_matrix_spec ms = matrix_spec(ss, f);
        rc = read_matrix(ctx, st, f, &ms, s);
        cc_snprintf(line, sizeof line, "siting matrix: %zu pairs within the cutoff (%s)\n",
                    s->inc ? s->inc->n : 0, ss->matrix);
        if (!rc) rc = cc_buf_puts(ctx, report, line);
    }
    cc__siting_free(s);
    return rc;
}

cc_status cc__study_siting(cc_ctx *ctx, cc_study *st)
{
    const cc_siting_spec *ss = &st->sc->siting;
    if (!ss->present) return CC_OK;
    double t0 = cc_now();
    size_t t;
    for (t = 0; t < st->n_types; t++)
        if (strcmp(st->fac[t].spec->name, ss->facility) == 0) break;
    cc_fac_set *f = &st->fac[t];
    char where[512];
    if (!f->inc && !ss->matrix)
        return cc_error(ctx, CC_ERR_SCENARIO,
                        "%s: siting needs travel times: add a network: block to the scenario",
                        cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    cc_siting_run *s = cc_calloc(ctx, 1, sizeof *s);
    if (!s) return CC_ERR_NOMEM;
    st->siting = s;
    s->type = t;
    cc_status rc = find_district(ctx, st, ss->district, &s->district_sel);
    if (!rc && (ss->district && !st->sc->districts.present))
        rc = cc_error(ctx, CC_ERR_SCENARIO, "%s: siting.district needs a districts: layer",
                      cc_scenario_where(st->sc, ss->pos, where, sizeof where));
    if (!rc)
        rc = ss->auto_candidates ? auto_candidates(ctx, st, f, ss->spacing_m, s)
                                 : layer_candidates(ctx, st, s);
    if (!rc && ss->exclude.n_sources) rc = drop_excluded(ctx, st, s);
    if (rc) return rc;
    if (s->n == 0) {
        /* Nothing underserved (or an empty layer): no site is needed. */
        rc = cc__study_warn(ctx, st, "siting: no candidate sites (nothing underserved for %s)",
                            f->spec->name);
        st->t_siting += cc_now() - t0;
        return rc;
    }
    uint32_t lim = (uint32_t)llround(f->spec->threshold_min * 600.0);
    const cc_incidence *existing = f->inc;
    if (ss->matrix) {
        /* Times (or distances) from the planner's own matrix, for candidates and existing
           facilities alike; rows naming other ids are skipped. */
        cc_siting_matrix_spec ms = matrix_spec(ss, f);
        lim = (uint32_t)llround(ms.cutoff * ms.cost_to_ds);
        rc = read_matrix(ctx, st, f, &ms, s);
        if (rc) return rc;
        existing = s->exist_inc;
        if (s->inc->n == 0)
            rc = cc__study_warn(ctx, st,
                                "siting.matrix: no row pairs a demand point with a "
                                "candidate within the cutoff; check the ids");
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
    cc_siting_input in = {st->dem.n,  f->served,    s->inc,           existing,       lim,
                          s->cap_pop, s->exist_cap, st->dem.district, s->district_sel};
    cc_siting_opts opt = {(size_t)ss->count, ss->target_share};
    rc = cc_siting_greedy(ctx, &in, &opt, &s->res);
    if (!rc && ss->exact && s->res->n_picks) {
        if (s->cap_pop)
            rc = cc__study_warn(ctx, st,
                                "siting: the exact mode handles sites without a capacity "
                                "limit only; remove siting.capacity to compare with it");
        else
            rc = cc_siting_mclp_exact(ctx, &in, s->res->n_picks, 60.0, &s->exact);
    }
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

/* ---- Outputs: sites.csv (a project-list table), sites.geojson, the summary block ---- */

static const char *const HEAD_EN[] = {"rank",
                                      "site_id",
                                      "name",
                                      "facility_type",
                                      "lon",
                                      "lat",
                                      "district",
                                      "new_covered",
                                      "groups",
                                      "cumulative_covered",
                                      "cumulative_share",
                                      "uncovered_in_reach",
                                      "suggested_capacity",
                                      "threshold_min",
                                      "reason"};
/* 项目清单 (annual project list) headers, POLICY.md §7. */
static const char *const HEAD_ZH[] = {
    "排名",     "选址编号",       "名称",     "设施类型",     "经度",       "纬度",
    "所属区县", "新增覆盖人口",   "服务人群", "累计覆盖人口", "累计覆盖率", "服务范围内未覆盖人口",
    "建设规模", "服务时间(分钟)", "选址理由"};

void cc__site_row(const cc_study *st, const cc_siting_run *s, size_t k, cc__site_text *r)
{
    const cc_fac_set *f = &st->fac[s->type];
    const cc_siting_pick *p = &s->res->picks[k];
    size_t at = 0;
    r->groups[0] = '\0';
    for (size_t g = 0; g < f->n_serves && at < sizeof r->groups; g++)
        at += (size_t)cc_snprintf(r->groups + at, sizeof r->groups - at, "%s%s", g ? ";" : "",
                                  st->sc->demand[f->serves[g]].name);
    int32_t d = s->district[p->cand];
    /* The district's label as in districts.csv: its name, or its id when it has none. */
    const char *dn = d >= 0 && st->district_name ? st->district_name[d] : NULL;
    const char *di = d >= 0 && st->district_id ? st->district_id[d] : NULL;
    r->district = dn && *dn ? dn : di ? di : "";
    double before = p->cum_pop - p->gain_pop;
    double share0 = s->res->total_pop > 0 ? 100 * before / s->res->total_pop : 0;
    cc_snprintf(r->reason, sizeof r->reason,
                "adds %.0f people (%s) within %g min, the most of any remaining candidate; "
                "coverage %.1f%% -> %.1f%%",
                p->gain_pop, st->sc->demand[f->serves[0]].label, f->spec->threshold_min, share0,
                100 * p->cum_share);
    double per1000 = f->spec->capacity_per_1000;
    r->scale[0] = '\0';
    if (per1000 > 0)
        cc_snprintf(r->scale, sizeof r->scale, "%.0f", ceil(p->gain_pop * per1000 / 1000 - 1e-9));
}

static cc_status sites_csv(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    const cc_siting_run *s = st->siting;
    const char *const *H = st->sc->siting.labels_zh ? HEAD_ZH : HEAD_EN;
    cc_buf b = {0};
    cc_status rc = CC_OK;
    for (int i = 0; !rc && i < 15; i++) {
        if (i) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_puts(ctx, &b, H[i]);
    }
    if (!rc) rc = cc_buf_putc(ctx, &b, '\n');
    const cc_fac_set *f = &st->fac[s->type];
    for (size_t k = 0; !rc && k < s->res->n_picks; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        rc = cc_buf_put_int(ctx, &b, (long long)k + 1);
        const char *txt[] = {s->id[p->cand], s->name[p->cand] ? s->name[p->cand] : "",
                             f->spec->name};
        for (int i = 0; !rc && i < 3; i++) {
            rc = cc_buf_putc(ctx, &b, ',');
            if (!rc) rc = cc_buf_put_csv_field(ctx, &b, txt[i]);
        }
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lon[p->cand], 7);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lat[p->cand], 7);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_csv_field(ctx, &b, r.district);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->gain_pop, 2);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_csv_field(ctx, &b, r.groups);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_pop, 2);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_share, 6);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->reach_pop, 2);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_puts(ctx, &b, r.scale);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, f->spec->threshold_min, 3);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_csv_field(ctx, &b, r.reason);
        if (!rc) rc = cc_buf_putc(ctx, &b, '\n');
    }
    if (!rc) rc = cc__flush(ctx, &b, fp, 1);
    cc_buf_free(&b);
    return rc;
}

static cc_status sites_geojson(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    const cc_siting_run *s = st->siting;
    const cc_fac_set *f = &st->fac[s->type];
    cc_buf b = {0};
    cc_status rc = cc__geojson_begin(ctx, &b, "sites", st);
    for (size_t k = 0; !rc && k < s->res->n_picks; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        rc = cc__geojson_feature(ctx, &b, k, s->id[p->cand]);
        if (!rc) rc = cc_buf_puts(ctx, &b, "{\"type\":\"Point\",\"coordinates\":[");
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lon[p->cand], 7);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lat[p->cand], 7);
        if (!rc) rc = cc_buf_puts(ctx, &b, "]},\"properties\":{\"rank\":");
        if (!rc) rc = cc_buf_put_int(ctx, &b, (long long)k + 1);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"site_id\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, s->id[p->cand]);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"name\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, s->name[p->cand] ? s->name[p->cand] : "");
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"facility_type\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, f->spec->name);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"district\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, r.district);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"new_covered\":");
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->gain_pop, 2);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"cumulative_covered\":");
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_pop, 2);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"cumulative_share\":");
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_share, 6);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"suggested_capacity\":");
        if (!rc) rc = r.scale[0] ? cc_buf_puts(ctx, &b, r.scale) : cc_buf_puts(ctx, &b, "null");
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"reason\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, r.reason);
        if (!rc) rc = cc_buf_puts(ctx, &b, "}}");
    }
    if (!rc) rc = cc__geojson_end(ctx, &b);
    if (!rc) rc = cc__flush(ctx, &b, fp, 1);
    cc_buf_free(&b);
    return rc;
}

cc_status cc__write_sites(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    if (!st->siting || !st->siting->res) return CC_OK;
    cc_status rc = cc__write_one(ctx, st, out, "sites.csv", sites_csv);
    if (!rc) rc = cc__write_one(ctx, st, out, "sites.geojson", sites_geojson);
    return rc;
}

cc_status cc__summary_siting(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const cc_siting_run *s = st->siting;
    if (!s || !s->res) return CC_OK;
    char line[1024];
    const cc_siting_result *r = s->res;
    cc_snprintf(line, sizeof line,
                "  \"siting\": {\"facility_type\": \"%s\", \"candidates\": %zu, \"sites\": %zu, "
                "\"population\": %.2f, \"covered_before\": %.2f, \"covered_after\": %.2f, "
                "\"target_reached\": %s",
                st->fac[s->type].spec->name, s->n, r->n_picks, r->total_pop, r->base_pop,
                r->covered_pop, r->target_reached ? "true" : "false");
    cc_status rc = cc_buf_puts(ctx, b, line);
    if (!rc && s->exact) {
        cc_snprintf(line, sizeof line,
                    ", \"exact_optimum\": %.2f, \"greedy\": %.2f, \"greedy_gap\": %.6f, "
                    "\"proven_optimal\": %s, \"exact_sites\": [",
                    s->exact->optimum_pop, s->exact->greedy_pop, s->exact->greedy_gap,
                    s->exact->proven_optimal ? "true" : "false");
        rc = cc_buf_puts(ctx, b, line);
        for (size_t k = 0; !rc && k < s->exact->n_picks; k++) {
            if (k) rc = cc_buf_puts(ctx, b, ", ");
            if (!rc) rc = cc_buf_put_json_string(ctx, b, s->id[s->exact->picks[k].cand]);
        }
        if (!rc) rc = cc_buf_putc(ctx, b, ']');
    }
    if (!rc) rc = cc_buf_puts(ctx, b, "},\n");
    return rc;
}
