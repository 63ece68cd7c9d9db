/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Output writers for a study: coverage.csv, demand.geojson and summary.json. Numbers are
 * written with cc_fmt_double (locale-independent) and rows in a fixed order, so the same
 * inputs give the same bytes for any thread count and locale.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

cc_status cc__gj_begin(cc_tw *w, const char *name, const cc_study *st)
{
    cc_tw_str(w, "{\"type\":\"FeatureCollection\",\"name\":");
    cc_tw_fail(w, cc_buf_put_json_string(w->ctx, &w->buf, name));
    /* Provenance: the run this file came from (summary.json's scenario sha256). */
    cc_tw_str(w, ",\"carecircle_run\":");
    cc_tw_fail(w, cc_buf_put_json_string(w->ctx, &w->buf, st->sc->sha256));
    return cc_tw_str(w, ",\"features\":[\n");
}

cc_status cc__gj_feature(cc_tw *w, size_t index, const char *id)
{
    /* Features stand at depth 0 of the writer (threads format them apart), one a line. */
    if (index) cc_tw_str(w, ",\n");
    cc_tw_json_object(w, CC_TW_COMPACT);
    cc_tw_json_kstr(w, "type", "Feature");
    cc_tw_json_kstr(w, "id", id);
    return cc_tw_json_key(w, "geometry");
}

cc_status cc__gj_point(cc_tw *w, size_t index, const char *id, double lon, double lat)
{
    cc__gj_feature(w, index, id);
    cc_tw_json_object(w, CC_TW_COMPACT);
    cc_tw_json_kstr(w, "type", "Point");
    cc_tw_json_key(w, "coordinates");
    cc_tw_json_array(w, CC_TW_COMPACT);
    cc_tw_json_num(w, lon, 7);
    cc_tw_json_num(w, lat, 7);
    cc_tw_json_close(w);
    cc_tw_json_close(w);
    cc_tw_json_key(w, "properties");
    return cc_tw_json_object(w, CC_TW_COMPACT);
}

cc_status cc__gj_feature_end(cc_tw *w)
{
    cc_tw_json_close(w);
    return cc_tw_json_close(w);
}

cc_status cc__gj_end(cc_tw *w)
{
    return cc_tw_str(w, "\n]}\n");
}

/* Circle radius for threshold t of a type: its radius scales with the minutes. */
static double radius_at(const cc_fac_set *f, double t)
{
    return f->radius_m * t / f->spec->threshold_min;
}

static cc_status coverage_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,facility_type,group,method,threshold_min,"
                  "population,within_reach_population,within_reach_share,"
                  "served_within_capacity_population,served_within_capacity_share\n");
    for (size_t t = 0; t < st->n_types && !w.rc; t++) {
        const cc_fac_set *f = &st->fac[t];
        for (size_t k = 0; k < f->n_serves; k++)
            for (int m = 0; m < 2; m++) {
                if (m == 1 && !f->net_min) continue;
                for (size_t i = 0; i < sc->n_thresholds && !w.rc; i++) {
                    double th = sc->thresholds_min[i];
                    const cc_cov_row *row = cc__cov_row(f, f->serves[k], m, th);
                    if (!row)
                        return cc_tw_fail(&w,
                                          cc_error(ctx, CC_ERR_INTERNAL, "coverage row missing"));
                    double pop = row->population, cov = row->within_reach, sv = row->served;
                    cc_tw_csv_field(&w, sc->name);
                    cc_tw_csv_raw(&w, f->spec->name);
                    cc_tw_csv_raw(&w, sc->demand[row->group].name);
                    cc_tw_csv_raw(&w, m == 0 ? "circle" : "network");
                    cc_tw_csv_num(&w, th, 3);
                    cc_tw_csv_num(&w, pop, 2);
                    cc_tw_csv_num(&w, cov, 2);
                    /* A share of nobody is unknown: an empty cell, not 0. Served within
                       capacity: network rows only (capacity is allocated on the network's
                       catchments); NaN, an empty cell, for the circle. */
                    cc_tw_csv_num(&w, pop > 0 ? cov / pop : NAN, 6);
                    cc_tw_csv_num(&w, sv, 2);
                    cc_tw_csv_num(&w, pop > 0 ? sv / pop : NAN, 6);
                    cc_tw_csv_row_end(&w);
                }
            }
    }
    return cc_tw_end(&w);
}

/* A property key prefix + name + suffix (e.g. t_day_care_min). */
/* demand.geojson's per-type property keys: prefix, the type's name, suffix. */
enum {
    DK_D,
    DK_CIRCLE,
    DK_T,
    DK_SNAP,
    DK_WITHIN,
    DK_SERVED,
    DK_CHANGE,
    DK_DELTA,
    DK_GAP,
    DK_REASON,
    DK_DETOUR,
    DK_ACCESS,
    DK_NEAREST,
    DK_COUNT
};
static const char *const DK_AFFIX[DK_COUNT][2] = {
    [DK_D] = {"d_", "_m"},
    [DK_CIRCLE] = {"circle_", ""},
    [DK_T] = {"t_", "_min"},
    [DK_SNAP] = {"snap_", "_m"},
    [DK_WITHIN] = {"within_reach_", ""},
    [DK_SERVED] = {"served_", ""},
    [DK_CHANGE] = {"change_", ""},
    [DK_DELTA] = {"delta_", "_min"},
    [DK_GAP] = {"gap_", "_min"},
    [DK_REASON] = {"reason_", ""},
    [DK_DETOUR] = {"detour_", ""},
    [DK_ACCESS] = {"access_", ""},
    [DK_NEAREST] = {"nearest_", ""},
};

/* Every key of a point's properties, JSON-encoded once per file (ten keys a point and type in
   the hottest writer): type[t * DK_COUNT + k], then group[g]. */
typedef struct dkeys {
    cc_buf *type, *group;
    size_t n_type, n_group;
} dkeys;

static void dkeys_free(dkeys *K)
{
    for (size_t i = 0; K->type && i < K->n_type; i++)
        cc_buf_free(&K->type[i]);
    for (size_t i = 0; K->group && i < K->n_group; i++)
        cc_buf_free(&K->group[i]);
    cc_free(K->type);
    cc_free(K->group);
}

static cc_status dkeys_make(cc_ctx *ctx, const cc_study *st, dkeys *K)
{
    memset(K, 0, sizeof *K);
    K->n_type = st->n_types * DK_COUNT;
    K->n_group = st->dem.n_groups;
    K->type = cc_calloc(ctx, K->n_type ? K->n_type : 1, sizeof *K->type);
    K->group = cc_calloc(ctx, K->n_group ? K->n_group : 1, sizeof *K->group);
    if (!K->type || !K->group) return CC_ERR_NOMEM;
    cc_buf name = {0};
    cc_status rc = CC_OK;
    for (size_t t = 0; !rc && t < st->n_types; t++)
        for (int k = 0; !rc && k < DK_COUNT; k++) {
            cc_buf_reset(&name);
            rc = cc_buf_puts(ctx, &name, DK_AFFIX[k][0]);
            if (!rc) rc = cc_buf_puts(ctx, &name, st->fac[t].spec->name);
            if (!rc) rc = cc_buf_puts(ctx, &name, DK_AFFIX[k][1]);
            if (!rc) rc = cc_buf_put_json_string(ctx, &K->type[t * DK_COUNT + k], name.s);
        }
    for (size_t g = 0; !rc && g < K->n_group; g++)
        rc = cc_buf_put_json_string(ctx, &K->group[g], st->sc->demand[g].name);
    cc_buf_free(&name);
    return rc;
}

static void key(cc_tw *w, const cc_buf *k)
{
    cc_tw_json_key_encoded(w, k->s, k->len);
}

static const cc_fac_set *base_type(const cc_study *b, const char *name)
{
    for (size_t t = 0; b && t < b->n_types; t++)
        if (strcmp(b->fac[t].spec->name, name) == 0) return &b->fac[t];
    return NULL;
}

/* A variant whose demand points are the baseline's (same ids in the same order). */
static int same_demand(const cc_study *st)
{
    if (!st->base || st->base->dem.n != st->dem.n) return 0;
    for (size_t i = 0; i < st->dem.n; i++)
        if (strcmp(st->base->dem.id[i], st->dem.id[i]) != 0) return 0;
    return 1;
}

/* A variant's point against the baseline: gained, lost or the same, and the minutes. */
static void demand_change(cc_tw *w, const cc_study *st, const cc_fac_set *f, const cc_buf *K,
                          size_t i, int covered)
{
    const char *tn = f->spec->name;
    const cc_fac_set *fb = base_type(st->base, tn);
    if (!fb) return;
    double tb = fb->net_min ? fb->net_min[i] : NAN;
    double db = fb->circle_m[i];
    int cb = fb->net_min ? isfinite(tb) && tb <= fb->spec->threshold_min
                         : isfinite(db) && db <= fb->radius_m;
    key(w, &K[DK_CHANGE]);
    cc_tw_json_str(w, covered == cb ? "same" : covered ? "gained" : "lost");
    if (f->net_min) {
        double tv = f->net_min[i];
        key(w, &K[DK_DELTA]);
        cc_tw_json_num(w, isfinite(tv) && isfinite(tb) ? tv - tb : NAN, 2);
    }
}

/* The properties of one type at point i. */
static void demand_type(cc_tw *w, const cc_study *st, const cc_fac_set *f, const cc_buf *K,
                        int same_points, size_t i)
{
    double dist = f->circle_m[i];
    int in_circle = isfinite(dist) && dist <= radius_at(f, f->spec->threshold_min);
    key(w, &K[DK_D]);
    cc_tw_json_num(w, dist, 1);
    key(w, &K[DK_CIRCLE]);
    cc_tw_json_bool(w, in_circle);
    int covered = in_circle;
    int32_t near = f->circle_fac[i];
    if (f->net_min) {
        double tm = f->net_min[i];
        covered = isfinite(tm) && tm <= f->spec->threshold_min;
        near = f->net_fac[i];
        key(w, &K[DK_T]);
        cc_tw_json_num(w, tm, 2);
        /* the point's off-network leg on this type's graph (null when unsnappable) */
        const cc_snap *p = st->vars ? &st->vars[f->variant].pts[i] : NULL;
        if (p) key(w, &K[DK_SNAP]);
        if (p) cc_tw_json_num(w, p->dist_m, 1);
    }
    key(w, &K[DK_WITHIN]);
    cc_tw_json_bool(w, covered);
    if (f->reason) key(w, &K[DK_SERVED]);
    if (f->reason) cc_tw_json_bool(w, f->reason[i] == CC_REASON_COVERED);
    if (same_points) demand_change(w, st, f, K, i, covered);
    if (f->reason) {
        key(w, &K[DK_GAP]);
        cc_tw_json_num(w, f->gap_min[i], 2);
        key(w, &K[DK_REASON]);
        cc_tw_json_str(w, cc_report_reason_style(f->reason[i])->name);
        key(w, &K[DK_DETOUR]);
        cc_tw_json_num(w, f->detour[i], 3);
        key(w, &K[DK_ACCESS]);
        cc_tw_json_num(w, f->access ? f->access[i] : NAN, 6);
    }
    key(w, &K[DK_NEAREST]);
    cc_tw_json_str(w, near >= 0 ? f->id[near] : NULL);
}

/* One point's feature (properties of every group and type). */
static cc_status demand_feature(cc_tw *w, const cc_study *st, const dkeys *K, int same_points,
                                size_t i)
{
    const cc_demand_pts *d = &st->dem;
    cc__gj_point(w, i, d->id[i], d->lon[i], d->lat[i]);
    cc_tw_json_kstr(w, "id", d->id[i]);
    if (d->district) {
        int32_t k = d->district[i];
        cc_tw_json_kstr(w, "district", k >= 0 && st->district_name ? st->district_name[k] : NULL);
    }
    for (size_t g = 0; g < d->n_groups; g++) {
        key(w, &K->group[g]);
        cc_tw_json_num(w, d->count[g][i], 3);
    }
    for (size_t t = 0; t < st->n_types; t++)
        demand_type(w, st, &st->fac[t], &K->type[t * DK_COUNT], same_points, i);
    return cc__gj_feature_end(w);
}

static cc_status demand_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_demand_pts *d = &st->dem;
    int same_points = same_demand(st);
    int nt = cc_ctx_thread_count(ctx);
    const size_t chunk = 8192;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc_tw *tws = cc_calloc(ctx, (size_t)nt, sizeof *tws);
    if (!tws) cc_tw_fail(&w, CC_ERR_NOMEM);
    dkeys K;
    if (dkeys_make(ctx, st, &K)) cc_tw_fail(&w, CC_ERR_NOMEM);
    cc__gj_begin(&w, "demand", st);
    /* The points in rounds of nt chunks: each thread formats one chunk into its own writer
       (no context, no file: out of memory is reported after the round), then the chunks are
       written in point order, so the bytes do not depend on the thread count. */
    for (size_t start = 0; start < d->n && !w.rc; start += chunk * (size_t)nt) {
        int failed = 0;
#pragma omp parallel for num_threads(nt) schedule(static, 1) reduction(| : failed)
        for (int c = 0; c < nt; c++) {
            size_t lo = start + (size_t)c * chunk, hi = lo + chunk;
            if (hi > d->n) hi = d->n;
            cc_buf keep = tws[c].buf;
            cc_tw_init(&tws[c], ctx, NULL, CC_TW_JSON); /* cc_malloc & co.: thread-safe */
            tws[c].buf = keep;
            cc_buf_reset(&tws[c].buf);
            for (size_t i = lo; i < hi && !tws[c].rc; i++)
                demand_feature(&tws[c], st, &K, same_points, i);
            failed |= tws[c].rc != CC_OK;
        }
        if (failed)
            cc_tw_fail(&w,
                       cc_error(ctx, CC_ERR_NOMEM, "out of memory while writing demand.geojson"));
        for (int c = 0; c < nt && !w.rc; c++)
            if (tws[c].buf.len) cc_tw_append(&w, tws[c].buf.s, tws[c].buf.len);
    }
    cc__gj_end(&w);
    dkeys_free(&K);
    for (int c = 0; tws && c < nt; c++)
        cc_buf_free(&tws[c].buf);
    cc_free(tws);
    return cc_tw_end(&w);
}

/* Path as written relative to the scenario folder, so records do not depend on the clone. */
static const char *rel_path(const cc_study *st, const char *p)
{
    size_t n = strlen(st->sc->dir);
    if (strcmp(st->sc->dir, ".") != 0 && strncmp(p, st->sc->dir, n) == 0 && p[n] == '/')
        return p + n + 1;
    return p;
}

/* The two coverage figures of a type and every served group, in people, and the unserved
   by reason: within_reach - served_within_capacity = over_capacity, population -
   served_within_capacity = unserved = the sum of unserved_by_reason (docs/analysis.md). */
static void summary_people(cc_tw *w, const cc_study *st, const cc_fac_set *f)
{
    cc_tw_json_key(w, "people");
    cc_tw_json_object(w, CC_TW_BLOCK);
    for (size_t k = 0; k < f->n_serves; k++) {
        size_t g = f->serves[k];
        const double *by = f->reason_pop + g * CC_REASON_COUNT;
        double served = by[CC_REASON_COVERED], within = served + by[CC_REASON_OVER_CAPACITY];
        double pop = st->dem.total[g];
        cc_tw_json_key(w, st->sc->demand[g].name);
        cc_tw_json_object(w, CC_TW_INLINE);
        cc_tw_json_knum(w, "population", pop, 2);
        cc_tw_json_knum(w, "within_reach", within, 2);
        cc_tw_json_knum(w, "served_within_capacity", served, 2);
        cc_tw_json_knum(w, "outside_reach", pop - within, 2);
        cc_tw_json_knum(w, "unserved", pop - served, 2);
        cc_tw_json_key(w, "unserved_by_reason");
        cc_tw_json_object(w, CC_TW_INLINE);
        for (int r = 1; r < CC_REASON_COUNT; r++)
            cc_tw_json_knum(w, cc_report_reason_style((int)r)->name, by[r], 2);
        cc_tw_json_close(w);
        cc_tw_json_close(w);
    }
    cc_tw_json_close(w);
}

/* data_quality: counts, and last the demand beyond network.demand_max_snap_m (off_network). */
static void summary_quality(cc_tw *w, const cc_study *st)
{
    const char *qn[] = {"demand_outside_districts", "districts_without_demand",
                        "demand_off_network",       "demand_on_islands",
                        "network_islands",          "facilities_without_capacity",
                        "facilities_off_network",   "facilities_outside_study_area",
                        "facilities_on_islands",    "location_outliers"};
    size_t qv[] = {st->q_outside_districts, st->q_districts_empty, st->q_off_network,
                   st->q_on_islands,        st->q_islands,         st->q_fac_no_capacity,
                   st->q_fac_off_network,   st->q_fac_outside,     st->q_fac_on_islands,
                   st->q_outliers};
    cc_tw_json_key(w, "data_quality");
    cc_tw_json_object(w, CC_TW_BLOCK);
    for (size_t i = 0; i < sizeof qv / sizeof qv[0]; i++)
        cc_tw_json_kint(w, qn[i], (long long)qv[i]);
    cc_tw_json_key(w, "demand_beyond_max_snap");
    cc_tw_json_object(w, CC_TW_INLINE);
    cc_tw_json_knum(w, "max_snap_m", st->roads ? st->sc->network.demand_max_snap_m : NAN, 1);
    cc_tw_json_kint(w, "points", (long long)st->q_dem_beyond_snap);
    cc_tw_json_key(w, "people");
    cc_tw_json_object(w, CC_TW_INLINE);
    for (size_t g = 0; g < st->dem.n_groups; g++)
        cc_tw_json_knum(w, st->sc->demand[g].name,
                        st->q_dem_beyond_snap_pop ? st->q_dem_beyond_snap_pop[g] : 0, 2);
    cc_tw_json_close(w);
    cc_tw_json_close(w);
    cc_tw_json_close(w);
}

/* One facility type: its settings, the within-reach shares at its own threshold (from the
   coverage table) and the people by reason. */
static void summary_type(cc_tw *w, const cc_study *st, const cc_fac_set *f)
{
    double thr = f->spec->threshold_min;
    cc_tw_json_key(w, f->spec->name);
    cc_tw_json_object(w, CC_TW_BLOCK);
    cc_tw_json_kstr(w, "label", f->spec->label);
    cc_tw_json_kint(w, "facilities", (long long)f->n);
    cc_tw_json_knum(w, "threshold_min", thr, 3);
    cc_tw_json_knum(w, "speed_kmh", f->speed_kmh, 3);
    cc_tw_json_knum(w, "circle_radius_m", f->radius_m, 1);
    cc_tw_json_key(w, "within_reach_share");
    cc_tw_json_object(w, CC_TW_BLOCK);
    for (size_t k = 0; k < f->n_serves; k++) {
        size_t g = f->serves[k];
        const cc_cov_row *rc = cc__cov_row(f, g, 0, thr), *rn = cc__cov_row(f, g, 1, thr);
        if (!rc) {
            cc_tw_fail(w, cc_error(w->ctx, CC_ERR_INTERNAL, "coverage row missing"));
            return;
        }
        cc_tw_json_key(w, st->sc->demand[g].name);
        cc_tw_json_object(w, CC_TW_INLINE);
        double pop = rc->population; /* a share of nobody is null */
        cc_tw_json_knum(w, "circle", pop > 0 ? rc->within_reach / pop : NAN, 6);
        if (f->net_min && rn)
            cc_tw_json_knum(w, "network", pop > 0 ? rn->within_reach / pop : NAN, 6);
        cc_tw_json_close(w);
    }
    cc_tw_json_close(w);
    if (f->reason_pop) summary_people(w, st, f);
    cc_tw_json_close(w);
}

/* Provenance: every input with its checksum, size and features. */
static void summary_inputs(cc_tw *w, const cc_study *st)
{
    cc_tw_json_key(w, "inputs");
    cc_tw_json_array(w, CC_TW_BLOCK);
    for (size_t i = 0; i < st->inputs.len; i++) {
        const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        cc_tw_json_object(w, CC_TW_INLINE);
        cc_tw_json_kstr(w, "role", r->role);
        cc_tw_json_kstr(w, "path", rel_path(st, r->path));
        cc_tw_json_kstr(w, "sha256", r->sha256);
        cc_tw_json_kint(w, "size_bytes", (long long)r->size);
        cc_tw_json_kint(w, "features", (long long)r->features);
        cc_tw_json_close(w);
    }
    cc_tw_json_close(w);
}

/* The run: program, scenario, working CRS, threads, routing and timings. */
static void summary_run(cc_tw *w, const cc_study *st)
{
    const cc_scenario *sc = st->sc;
    cc_tw_json_kstr(w, "program", "carecircle " CC_VERSION_STRING);
    cc_tw_json_key(w, "scenario");
    cc_tw_json_object(w, CC_TW_BLOCK);
    cc_tw_json_kstr(w, "name", sc->name);
    if (sc->variant) cc_tw_json_kstr(w, "variant", sc->variant);
    cc_tw_json_kstr(w, "file", rel_path(st, sc->path));
    cc_tw_json_kstr(w, "sha256", sc->sha256);
    cc_tw_json_close(w);
    cc_tw_json_key(w, "working_crs");
    cc_tw_json_object(w, CC_TW_BLOCK);
    cc_tw_json_kstr(w, "definition", st->crs_def);
    cc_tw_json_kstr(w, "name", st->crs_name);
    cc_tw_json_close(w);
    /* Run-dependent lines (threads, timings) are each on one line, so tools comparing runs
       can leave them out. */
    cc_tw_json_kint(w, "threads", st->threads_used);
    if (st->roads)
        cc_tw_json_kstr(w, "routing",
                        st->routing_reused == 2   ? "shared with the baseline"
                        : st->routing_reused == 1 ? "reused from routing.cache"
                                                  : "computed");
    if (st->roads) {
        /* catchments searched by this run, and taken from the baseline or routing.cache */
        cc_tw_json_kint(w, "routed_facilities", (long long)st->routed_facilities);
        cc_tw_json_kint(w, "reused_facilities", (long long)st->reused_facilities);
    }
    const char *names[] = {"load",    "crs",      "circles", "network_build",
                           "routing", "analysis", "siting",  "write"};
    double vals[] = {st->t_load,  st->t_crs,      st->t_circle, st->t_network,
                     st->t_route, st->t_analysis, st->t_siting, st->t_write};
    cc_tw_json_key(w, "timings_s");
    cc_tw_json_object(w, CC_TW_INLINE);
    for (int i = 0; i < 8; i++)
        cc_tw_json_knum(w, names[i], vals[i], 4);
    cc_tw_json_close(w);
}

static cc_status summary_json(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc_tw_json_object(&w, CC_TW_BLOCK);
    summary_run(&w, st);
    summary_inputs(&w, st);
    cc_tw_json_key(&w, "demand");
    cc_tw_json_object(&w, CC_TW_BLOCK);
    cc_tw_json_kint(&w, "points", (long long)st->dem.n);
    cc_tw_json_key(&w, "groups");
    cc_tw_json_object(&w, CC_TW_BLOCK);
    for (size_t g = 0; g < st->dem.n_groups; g++) {
        cc_tw_json_key(&w, sc->demand[g].name);
        cc_tw_json_object(&w, CC_TW_INLINE);
        cc_tw_json_kstr(&w, "label", sc->demand[g].label);
        cc_tw_json_knum(&w, "scale", sc->demand[g].scale, 6);
        cc_tw_json_knum(&w, "population", st->dem.total[g], 2);
        cc_tw_json_close(&w);
    }
    cc_tw_json_close(&w);
    cc_tw_json_close(&w);
    cc_tw_json_key(&w, "facility_types");
    cc_tw_json_object(&w, CC_TW_BLOCK);
    for (size_t t = 0; t < st->n_types; t++)
        summary_type(&w, st, &st->fac[t]);
    cc_tw_json_close(&w);
    cc__summary_siting(&w, st);
    summary_quality(&w, st);
    cc_tw_json_key(&w, "warnings");
    cc_tw_json_array(&w, CC_TW_BLOCK);
    for (size_t i = 0; i < st->warnings.len; i++)
        cc_tw_json_str(&w, CC_VEC_AT(&st->warnings, char *, i));
    cc_tw_json_close(&w);
    cc_tw_json_close(&w);
    cc_tw_str(&w, "\n");
    return cc_tw_end(&w);
}

/* Begin, write with fn or fn_arg, end (the file appears on publish); errors name the file. */
static cc_status write_file(cc_ctx *ctx, const cc_study *st, cc_outset *out, const char *name,
                            cc__writer_fn fn, cc__writer_arg_fn fn_arg, const void *arg)
{
    FILE *fp = NULL;
    cc_status rc = cc_outset_begin(ctx, out, name, &fp);
    /* Excel on Chinese Windows reads a CSV without a byte-order mark as GBK (outputs.csv_bom). */
    if (!rc && cc__csv_bom(st->sc, name)) fputs(CC_UTF8_BOM, fp); /* checked at cc_outset_end */
    if (!rc) rc = fn ? fn(ctx, st, fp) : fn_arg(ctx, st, arg, fp);
    if (fp) {
        cc_status rc2 = cc_outset_end(ctx, out, fp);
        if (!rc) rc = rc2;
    }
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "%s", name);
    return rc;
}

cc_status cc__write_one(cc_ctx *ctx, const cc_study *st, cc_outset *out, const char *name,
                        cc__writer_fn fn)
{
    return write_file(ctx, st, out, name, fn, NULL, NULL);
}

cc_status cc__write_one_arg(cc_ctx *ctx, const cc_study *st, cc_outset *out, const char *name,
                            cc__writer_arg_fn fn, const void *arg)
{
    return write_file(ctx, st, out, name, NULL, fn, arg);
}

cc_status cc__write_coverage(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "coverage.csv", coverage_csv);
}

cc_status cc__write_demand(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "demand.geojson", demand_geojson);
}

cc_status cc__write_summary(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "summary.json", summary_json);
}
