/*
 * Output writers for a study: coverage.csv, demand.geojson and summary.json. Numbers are
 * written with cc_fmt_double (locale-independent) and rows in a fixed order, so the same
 * inputs give the same bytes for any thread count and locale.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <omp.h>
#include <string.h>

/* Write the buffer to fp when it grows past 1 MiB (and at the end). */
cc_status cc__flush(cc_ctx *ctx, cc_buf *b, FILE *fp, int force)
{
    if (!force && b->len < (1u << 20)) return CC_OK;
    if (b->len && fwrite(b->s, 1, b->len, fp) != b->len)
        return cc_error(ctx, CC_ERR_IO,
                        "write failed (disk full?); free disk space or choose another --out");
    cc_buf_reset(b);
    return CC_OK;
}

cc_status cc__geojson_begin(cc_ctx *ctx, cc_buf *b, const char *name, const cc_study *st)
{
    cc_status rc = cc_buf_puts(ctx, b, "{\"type\":\"FeatureCollection\",\"name\":");
    if (!rc) rc = cc_buf_put_json_string(ctx, b, name);
    /* Provenance: the run this file came from (summary.json's scenario sha256). */
    if (!rc) rc = cc_buf_puts(ctx, b, ",\"carecircle_run\":");
    if (!rc) rc = cc_buf_put_json_string(ctx, b, st->sc->sha256);
    if (!rc) rc = cc_buf_puts(ctx, b, ",\"features\":[\n");
    return rc;
}

cc_status cc__geojson_feature(cc_ctx *ctx, cc_buf *b, size_t index, const char *id)
{
    cc_status rc = cc_buf_puts(
        ctx, b, index ? ",\n{\"type\":\"Feature\",\"id\":" : "{\"type\":\"Feature\",\"id\":");
    if (!rc) rc = cc_buf_put_json_string(ctx, b, id);
    if (!rc) rc = cc_buf_puts(ctx, b, ",\"geometry\":");
    return rc;
}

cc_status cc__geojson_end(cc_ctx *ctx, cc_buf *b)
{
    return cc_buf_puts(ctx, b, "\n]}\n");
}

/* Circle radius for threshold t of a type: its radius scales with the minutes. */
static double radius_at(const cc_fac_set *f, double t)
{
    return f->radius_m * t / f->spec->threshold_min;
}

static cc_status coverage_csv(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_buf b = {0};
    cc_status rc = cc_buf_puts(ctx, &b,
                               "scenario,facility_type,group,method,threshold_min,"
                               "population,within_reach_population,within_reach_share,"
                               "served_within_capacity_population,"
                               "served_within_capacity_share\n");
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        for (size_t k = 0; !rc && k < f->n_serves; k++) {
            size_t g = f->serves[k];
            for (int m = 0; !rc && m < 2; m++) {
                if (m == 1 && !f->net_min) continue;
                for (size_t i = 0; !rc && i < sc->n_thresholds; i++) {
                    double th = sc->thresholds_min[i];
                    const cc_cov_row *row = cc__cov_row(f, g, m, th);
                    if (!row) {
                        rc = cc_error(ctx, CC_ERR_INTERNAL, "coverage row missing");
                        break;
                    }
                    double pop = row->population, cov = row->within_reach;
                    rc = cc_buf_put_csv_field(ctx, &b, sc->name);
                    if (!rc) rc = cc_buf_putc(ctx, &b, ',');
                    if (!rc) rc = cc_buf_puts(ctx, &b, f->spec->name);
                    if (!rc) rc = cc_buf_putc(ctx, &b, ',');
                    if (!rc) rc = cc_buf_puts(ctx, &b, sc->demand[g].name);
                    if (!rc) rc = cc_buf_puts(ctx, &b, m == 0 ? ",circle," : ",network,");
                    if (!rc) rc = cc_buf_put_double(ctx, &b, th, 3);
                    if (!rc) rc = cc_buf_putc(ctx, &b, ',');
                    if (!rc) rc = cc_buf_put_double(ctx, &b, pop, 2);
                    if (!rc) rc = cc_buf_putc(ctx, &b, ',');
                    if (!rc) rc = cc_buf_put_double(ctx, &b, cov, 2);
                    if (!rc) rc = cc_buf_putc(ctx, &b, ',');
                    /* A share of nobody is unknown: an empty cell, not 0. */
                    if (!rc && pop > 0) rc = cc_buf_put_double(ctx, &b, cov / pop, 6);
                    /* Served within capacity: network rows only (capacity is allocated on
                       the network's catchments); empty for the circle. */
                    double sv = row->served;
                    if (!rc) rc = cc_buf_putc(ctx, &b, ',');
                    if (!rc && isfinite(sv)) rc = cc_buf_put_double(ctx, &b, sv, 2);
                    if (!rc) rc = cc_buf_putc(ctx, &b, ',');
                    if (!rc && isfinite(sv) && pop > 0) rc = cc_buf_put_double(ctx, &b, sv / pop, 6);
                    if (!rc) rc = cc_buf_putc(ctx, &b, '\n');
                }
            }
        }
    }
    if (!rc) rc = cc__flush(ctx, &b, fp, 1);
    cc_buf_free(&b);
    return rc;
}

static cc_status key(cc_ctx *ctx, cc_buf *b, const char *prefix, const char *name,
                     const char *suffix)
{
    cc_status rc = cc_buf_puts(ctx, b, ",\"");
    if (!rc) rc = cc_buf_puts(ctx, b, prefix);
    if (!rc) rc = cc_buf_puts(ctx, b, name);
    if (!rc) rc = cc_buf_puts(ctx, b, suffix);
    if (!rc) rc = cc_buf_puts(ctx, b, "\":");
    return rc;
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

/* One point's feature (properties of every group and type). */
static cc_status demand_feature(cc_ctx *ctx, cc_buf *b, const cc_study *st, int same_points,
                                size_t i)
{
    const cc_scenario *sc = st->sc;
    const cc_demand_pts *d = &st->dem;
    cc_status rc = cc__geojson_feature(ctx, b, i, d->id[i]);
    if (!rc) rc = cc_buf_puts(ctx, b, "{\"type\":\"Point\",\"coordinates\":[");
    if (!rc) rc = cc_buf_put_double(ctx, b, d->lon[i], 7);
    if (!rc) rc = cc_buf_putc(ctx, b, ',');
    if (!rc) rc = cc_buf_put_double(ctx, b, d->lat[i], 7);
    if (!rc) rc = cc_buf_puts(ctx, b, "]},\"properties\":{\"id\":");
    if (!rc) rc = cc_buf_put_json_string(ctx, b, d->id[i]);
    if (!rc && d->district) {
        rc = cc_buf_puts(ctx, b, ",\"district\":");
        int32_t k = d->district[i];
        if (!rc)
            rc = k >= 0 && st->district_name && st->district_name[k]
                     ? cc_buf_put_json_string(ctx, b, st->district_name[k])
                     : cc_buf_puts(ctx, b, "null");
    }
    for (size_t g = 0; !rc && g < d->n_groups; g++) {
        rc = key(ctx, b, "", sc->demand[g].name, "");
        if (!rc) rc = cc_buf_put_double(ctx, b, d->count[g][i], 3);
    }
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        const char *tn = f->spec->name;
        double dist = f->circle_m[i];
        int in_circle = isfinite(dist) && dist <= radius_at(f, f->spec->threshold_min);
        rc = key(ctx, b, "d_", tn, "_m");
        if (!rc) rc = cc_buf_put_double(ctx, b, dist, 1);
        if (!rc) rc = key(ctx, b, "circle_", tn, "");
        if (!rc) rc = cc_buf_puts(ctx, b, in_circle ? "true" : "false");
        int covered = in_circle;
        int32_t near = f->circle_fac[i];
        if (!rc && f->net_min) {
            double tm = f->net_min[i];
            covered = isfinite(tm) && tm <= f->spec->threshold_min;
            near = f->net_fac[i];
            rc = key(ctx, b, "t_", tn, "_min");
            if (!rc) rc = cc_buf_put_double(ctx, b, tm, 2);
            /* the point's off-network leg on this type's graph (null when unsnappable) */
            const cc_snap *p = st->vars ? &st->vars[f->variant].pts[i] : NULL;
            if (!rc && p) rc = key(ctx, b, "snap_", tn, "_m");
            if (!rc && p) rc = cc_buf_put_double(ctx, b, p->dist_m, 1);
        }
        if (!rc) rc = key(ctx, b, "within_reach_", tn, "");
        if (!rc) rc = cc_buf_puts(ctx, b, covered ? "true" : "false");
        if (!rc && f->reason) rc = key(ctx, b, "served_", tn, "");
        if (!rc && f->reason)
            rc = cc_buf_puts(ctx, b, f->reason[i] == CC_REASON_COVERED ? "true" : "false");
        if (!rc && same_points) { /* a variant: what changed against the baseline */
            const cc_fac_set *fb = base_type(st->base, tn);
            if (fb) {
                double tb = fb->net_min ? fb->net_min[i] : NAN;
                double db = fb->circle_m[i];
                int cb = fb->net_min ? isfinite(tb) && tb <= fb->spec->threshold_min
                                     : isfinite(db) && db <= fb->radius_m;
                rc = key(ctx, b, "change_", tn, "");
                if (!rc)
                    rc = cc_buf_put_json_string(ctx, b,
                                                covered == cb ? "same"
                                                : covered     ? "gained"
                                                              : "lost");
                if (!rc && f->net_min) {
                    double tv = f->net_min[i];
                    rc = key(ctx, b, "delta_", tn, "_min");
                    if (!rc)
                        rc = cc_buf_put_double(ctx, b,
                                               isfinite(tv) && isfinite(tb) ? tv - tb : NAN, 2);
                }
            }
        }
        if (!rc && f->reason) {
            rc = key(ctx, b, "gap_", tn, "_min");
            if (!rc) rc = cc_buf_put_double(ctx, b, f->gap_min[i], 2);
            if (!rc) rc = key(ctx, b, "reason_", tn, "");
            if (!rc) rc = cc_buf_put_json_string(ctx, b, cc_reason_name(f->reason[i]));
            if (!rc) rc = key(ctx, b, "detour_", tn, "");
            if (!rc) rc = cc_buf_put_double(ctx, b, f->detour[i], 3);
            if (!rc) rc = key(ctx, b, "access_", tn, "");
            if (!rc) rc = cc_buf_put_double(ctx, b, f->access ? f->access[i] : NAN, 6);
        }
        if (!rc) rc = key(ctx, b, "nearest_", tn, "");
        if (!rc)
            rc = near >= 0 ? cc_buf_put_json_string(ctx, b, f->id[near])
                           : cc_buf_puts(ctx, b, "null");
    }
    if (!rc) rc = cc_buf_puts(ctx, b, "}}");
    return rc;
}

static cc_status demand_geojson(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    const cc_demand_pts *d = &st->dem;
    int same_points = same_demand(st);
    int nt = cc_ctx_threads(ctx) > 0 ? cc_ctx_threads(ctx) : omp_get_max_threads();
    if (nt < 1) nt = 1;
    const size_t chunk = 8192;
    cc_buf head = {0};
    cc_buf *bufs = cc_calloc(ctx, (size_t)nt, sizeof *bufs);
    cc_status rc = bufs ? cc__geojson_begin(ctx, &head, "demand", st) : CC_ERR_NOMEM;
    if (!rc) rc = cc__flush(ctx, &head, fp, 1);
    /* The points in rounds of nt chunks: each thread formats one chunk into its own buffer
       (no shared state; out of memory is reported after the round), then the chunks are
       written in point order, so the bytes do not depend on the thread count. */
    for (size_t start = 0; !rc && start < d->n; start += chunk * (size_t)nt) {
        int failed = 0;
#pragma omp parallel for num_threads(nt) schedule(static, 1) reduction(| : failed)
        for (int c = 0; c < nt; c++) {
            size_t lo = start + (size_t)c * chunk, hi = lo + chunk;
            if (hi > d->n) hi = d->n;
            cc_status r = CC_OK;
            for (size_t i = lo; !r && i < hi; i++)
                r = demand_feature(NULL, &bufs[c], st, same_points, i);
            failed |= r != CC_OK;
        }
        if (failed) {
            rc = cc_error(ctx, CC_ERR_NOMEM, "out of memory while writing demand.geojson");
            break;
        }
        for (int c = 0; !rc && c < nt; c++)
            rc = cc__flush(ctx, &bufs[c], fp, 1);
    }
    if (!rc) rc = cc__geojson_end(ctx, &head);
    if (!rc) rc = cc__flush(ctx, &head, fp, 1);
    cc_buf_free(&head);
    for (int c = 0; bufs && c < nt; c++)
        cc_buf_free(&bufs[c]);
    cc_free(bufs);
    return rc;
}

/* Path as written relative to the scenario folder, so records do not depend on the clone. */
static const char *rel_path(const cc_study *st, const char *p)
{
    size_t n = strlen(st->sc->dir);
    if (strcmp(st->sc->dir, ".") != 0 && strncmp(p, st->sc->dir, n) == 0 && p[n] == '/')
        return p + n + 1;
    return p;
}

static cc_status jkv_str(cc_ctx *ctx, cc_buf *b, const char *indent, const char *k, const char *v,
                         int comma)
{
    cc_status rc = cc_buf_puts(ctx, b, indent);
    if (!rc) rc = cc_buf_put_json_string(ctx, b, k);
    if (!rc) rc = cc_buf_puts(ctx, b, ": ");
    if (!rc) rc = v ? cc_buf_put_json_string(ctx, b, v) : cc_buf_puts(ctx, b, "null");
    if (!rc) rc = cc_buf_puts(ctx, b, comma ? ",\n" : "\n");
    return rc;
}

static cc_status jkv_num(cc_ctx *ctx, cc_buf *b, const char *indent, const char *k, double v,
                         int dec, int comma)
{
    cc_status rc = cc_buf_puts(ctx, b, indent);
    if (!rc) rc = cc_buf_put_json_string(ctx, b, k);
    if (!rc) rc = cc_buf_puts(ctx, b, ": ");
    if (!rc) rc = cc_buf_put_double(ctx, b, v, dec);
    if (!rc) rc = cc_buf_puts(ctx, b, comma ? ",\n" : "\n");
    return rc;
}

/* The two coverage figures of a type and every served group, in people, and the unserved
   by reason: within_reach - served_within_capacity = over_capacity, population -
   served_within_capacity = unserved = the sum of unserved_by_reason (docs/analysis.md). */
static cc_status summary_people(cc_ctx *ctx, const cc_study *st, const cc_fac_set *f, cc_buf *b)
{
    cc_status rc = cc_buf_puts(ctx, b, "      },\n      \"people\": {\n");
    for (size_t k = 0; !rc && k < f->n_serves; k++) {
        size_t g = f->serves[k];
        const double *by = f->reason_pop + g * CC_REASON_COUNT;
        double served = by[CC_REASON_COVERED], within = served + by[CC_REASON_OVER_CAPACITY];
        double pop = st->dem.total[g];
        P(cc_buf_puts(ctx, b, "        "));
        P(cc_buf_put_json_string(ctx, b, st->sc->demand[g].name));
        P(cc_buf_puts(ctx, b, ": {\"population\": "));
        P(cc_buf_put_double(ctx, b, pop, 2));
        P(cc_buf_puts(ctx, b, ", \"within_reach\": "));
        P(cc_buf_put_double(ctx, b, within, 2));
        P(cc_buf_puts(ctx, b, ", \"served_within_capacity\": "));
        P(cc_buf_put_double(ctx, b, served, 2));
        P(cc_buf_puts(ctx, b, ", \"outside_reach\": "));
        P(cc_buf_put_double(ctx, b, pop - within, 2));
        P(cc_buf_puts(ctx, b, ", \"unserved\": "));
        P(cc_buf_put_double(ctx, b, pop - served, 2));
        P(cc_buf_puts(ctx, b, ", \"unserved_by_reason\": {"));
        for (int r = 1; !rc && r < CC_REASON_COUNT; r++) {
            P(cc_buf_puts(ctx, b, r > 1 ? ", " : ""));
            P(cc_buf_put_json_string(ctx, b, cc_reason_name((cc_reason)r)));
            P(cc_buf_puts(ctx, b, ": "));
            P(cc_buf_put_double(ctx, b, by[r], 2));
        }
        P(cc_buf_puts(ctx, b, k + 1 < f->n_serves ? "}},\n" : "}}\n"));
    }
    return rc;
}

/* data_quality's last entry: demand beyond network.demand_max_snap_m (off_network). */
static cc_status summary_beyond_snap(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    cc_status rc = cc_buf_puts(ctx, b, "    \"demand_beyond_max_snap\": {\"max_snap_m\": ");
    P(cc_buf_put_double(ctx, b, st->roads ? st->sc->network.demand_max_snap_m : NAN, 1));
    P(cc_buf_puts(ctx, b, ", \"points\": "));
    P(cc_buf_put_int(ctx, b, (long long)st->q_dem_beyond_snap));
    P(cc_buf_puts(ctx, b, ", \"people\": {"));
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        P(cc_buf_puts(ctx, b, g ? ", " : ""));
        P(cc_buf_put_json_string(ctx, b, st->sc->demand[g].name));
        P(cc_buf_puts(ctx, b, ": "));
        P(cc_buf_put_double(ctx, b, st->q_dem_beyond_snap_pop ? st->q_dem_beyond_snap_pop[g] : 0,
                            2));
    }
    P(cc_buf_puts(ctx, b, "}}\n"));
    return rc;
}

static cc_status summary_json(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_buf b = {0};
    cc_status rc = cc_buf_puts(ctx, &b, "{\n");
    if (!rc) rc = jkv_str(ctx, &b, "  ", "program", "carecircle " CC_VERSION_STRING, 1);
    if (!rc) rc = cc_buf_puts(ctx, &b, "  \"scenario\": {\n");
    if (!rc) rc = jkv_str(ctx, &b, "    ", "name", sc->name, 1);
    if (!rc && sc->variant) rc = jkv_str(ctx, &b, "    ", "variant", sc->variant, 1);
    if (!rc) rc = jkv_str(ctx, &b, "    ", "file", rel_path(st, sc->path), 1);
    if (!rc) rc = jkv_str(ctx, &b, "    ", "sha256", sc->sha256, 0);
    if (!rc) rc = cc_buf_puts(ctx, &b, "  },\n  \"working_crs\": {\n");
    if (!rc) rc = jkv_str(ctx, &b, "    ", "definition", st->crs_def, 1);
    if (!rc) rc = jkv_str(ctx, &b, "    ", "name", st->crs_name, 0);
    if (!rc) rc = cc_buf_puts(ctx, &b, "  },\n");
    /* Run-dependent lines (threads, timings) are each on one line, so tools comparing runs
       can leave them out. */
    if (!rc) rc = jkv_num(ctx, &b, "  ", "threads", st->threads_used, 0, 1);
    if (!rc && st->roads)
        rc = jkv_str(ctx, &b, "  ", "routing",
                     st->routing_reused == 2   ? "shared with the baseline"
                     : st->routing_reused == 1 ? "reused from routing.cache"
                                               : "computed",
                     1);
    if (!rc) rc = cc_buf_puts(ctx, &b, "  \"timings_s\": {");
    {
        const char *names[] = {"load",    "crs",      "circles", "network_build",
                               "routing", "analysis", "siting",  "write"};
        double vals[] = {st->t_load,  st->t_crs,      st->t_circle, st->t_network,
                         st->t_route, st->t_analysis, st->t_siting, st->t_write};
        for (int i = 0; !rc && i < 8; i++) {
            rc = cc_buf_puts(ctx, &b, i ? ", \"" : "\"");
            if (!rc) rc = cc_buf_puts(ctx, &b, names[i]);
            if (!rc) rc = cc_buf_puts(ctx, &b, "\": ");
            if (!rc) rc = cc_buf_put_double(ctx, &b, vals[i], 4);
        }
    }
    if (!rc) rc = cc_buf_puts(ctx, &b, "},\n  \"inputs\": [\n");
    for (size_t i = 0; !rc && i < st->inputs.len; i++) {
        const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        rc = cc_buf_puts(ctx, &b, "    {\"role\": ");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, r->role);
        if (!rc) rc = cc_buf_puts(ctx, &b, ", \"path\": ");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, rel_path(st, r->path));
        if (!rc) rc = cc_buf_puts(ctx, &b, ", \"sha256\": ");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, r->sha256);
        if (!rc) rc = cc_buf_puts(ctx, &b, ", \"size_bytes\": ");
        if (!rc) rc = cc_buf_put_int(ctx, &b, (long long)r->size);
        if (!rc) rc = cc_buf_puts(ctx, &b, ", \"features\": ");
        if (!rc) rc = cc_buf_put_int(ctx, &b, (long long)r->features);
        if (!rc) rc = cc_buf_puts(ctx, &b, i + 1 < st->inputs.len ? "},\n" : "}\n");
    }
    if (!rc) rc = cc_buf_puts(ctx, &b, "  ],\n  \"demand\": {\n");
    if (!rc) rc = jkv_num(ctx, &b, "    ", "points", (double)st->dem.n, 0, 1);
    if (!rc) rc = cc_buf_puts(ctx, &b, "    \"groups\": {\n");
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        rc = cc_buf_puts(ctx, &b, "      ");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, sc->demand[g].name);
        if (!rc) rc = cc_buf_puts(ctx, &b, ": {\"label\": ");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, sc->demand[g].label);
        if (!rc) rc = cc_buf_puts(ctx, &b, ", \"scale\": ");
        if (!rc) rc = cc_buf_put_double(ctx, &b, sc->demand[g].scale, 6);
        if (!rc) rc = cc_buf_puts(ctx, &b, ", \"population\": ");
        if (!rc) rc = cc_buf_put_double(ctx, &b, st->dem.total[g], 2);
        if (!rc) rc = cc_buf_puts(ctx, &b, g + 1 < st->dem.n_groups ? "},\n" : "}\n");
    }
    if (!rc) rc = cc_buf_puts(ctx, &b, "    }\n  },\n  \"facility_types\": {\n");
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        rc = cc_buf_puts(ctx, &b, "    ");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, f->spec->name);
        if (!rc) rc = cc_buf_puts(ctx, &b, ": {\n");
        if (!rc) rc = jkv_str(ctx, &b, "      ", "label", f->spec->label, 1);
        if (!rc) rc = jkv_num(ctx, &b, "      ", "facilities", (double)f->n, 0, 1);
        if (!rc) rc = jkv_num(ctx, &b, "      ", "threshold_min", f->spec->threshold_min, 3, 1);
        if (!rc) rc = jkv_num(ctx, &b, "      ", "speed_kmh", f->speed_kmh, 3, 1);
        if (!rc) rc = jkv_num(ctx, &b, "      ", "circle_radius_m", f->radius_m, 1, 1);
        if (!rc) rc = cc_buf_puts(ctx, &b, "      \"within_reach_share\": {\n");
        for (size_t k = 0; !rc && k < f->n_serves; k++) {
            size_t g = f->serves[k];
            double pop = st->dem.total[g];
            double c = cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->circle_m,
                                               radius_at(f, f->spec->threshold_min));
            rc = cc_buf_puts(ctx, &b, "        ");
            if (!rc) rc = cc_buf_put_json_string(ctx, &b, sc->demand[g].name);
            if (!rc) rc = cc_buf_puts(ctx, &b, ": {\"circle\": ");
            if (!rc) rc = cc_buf_put_double(ctx, &b, pop > 0 ? c / pop : NAN, 6); /* null */
            if (!rc && f->net_min) {
                double cn = cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->net_min,
                                                    f->spec->threshold_min);
                rc = cc_buf_puts(ctx, &b, ", \"network\": ");
                if (!rc) rc = cc_buf_put_double(ctx, &b, pop > 0 ? cn / pop : NAN, 6);
            }
            if (!rc) rc = cc_buf_puts(ctx, &b, k + 1 < f->n_serves ? "},\n" : "}\n");
        }
        if (!rc && f->reason_pop) rc = summary_people(ctx, st, f, &b);
        if (!rc)
            rc = cc_buf_puts(ctx, &b,
                             t + 1 < st->n_types ? "      }\n    },\n" : "      }\n    }\n");
    }
    if (!rc) rc = cc_buf_puts(ctx, &b, "  },\n");
    if (!rc) rc = cc__summary_siting(ctx, st, &b);
    if (!rc) rc = cc_buf_puts(ctx, &b, "  \"data_quality\": {\n");
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
        int nq = (int)(sizeof qv / sizeof qv[0]);
        for (int i = 0; !rc && i < nq; i++)
            rc = jkv_num(ctx, &b, "    ", qn[i], (double)qv[i], 0, 1);
    }
    if (!rc) rc = summary_beyond_snap(ctx, st, &b);
    if (!rc) rc = cc_buf_puts(ctx, &b, "  },\n  \"warnings\": [");
    for (size_t i = 0; !rc && i < st->warnings.len; i++) {
        rc = cc_buf_puts(ctx, &b, i ? ",\n    " : "\n    ");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, CC_VEC_AT(&st->warnings, char *, i));
    }
    if (!rc) rc = cc_buf_puts(ctx, &b, st->warnings.len ? "\n  ]\n}\n" : "]\n}\n");
    if (!rc) rc = cc__flush(ctx, &b, fp, 1);
    cc_buf_free(&b);
    return rc;
}

cc_status cc__write_one(cc_ctx *ctx, cc_study *st, cc_outset *out, const char *name,
                        cc__writer_fn fn)
{
    FILE *fp = NULL;
    cc_status rc = cc_outset_begin(ctx, out, name, &fp);
    if (!rc) rc = fn(ctx, st, fp);
    if (fp) {
        cc_status rc2 = cc_outset_end(ctx, out, fp);
        if (!rc) rc = rc2;
    }
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "%s", name);
    return rc;
}

cc_status cc__write_coverage(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "coverage.csv", coverage_csv);
}

cc_status cc__write_demand(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "demand.geojson", demand_geojson);
}

cc_status cc__write_summary(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "summary.json", summary_json);
}
