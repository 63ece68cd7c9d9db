/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writers for the district, target, area and curve outputs: districts.csv, districts.geojson,
 * targets.csv, underserved.geojson, catchments.geojson, curve.csv and the QGIS .qml styles
 * that sit beside each GeoJSON (QGIS loads <name>.qml with <name>.geojson).
 */
#include "carecircle/report.h"
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

/* Signed area of ring k (shoelace): > 0 counter-clockwise in lon/lat. */
static double ring_area(const size_t *pc, const double *x, const double *y, size_t k)
{
    double a = 0;
    for (size_t i = pc[k]; i + 1 < pc[k + 1]; i++)
        a += x[i] * y[i + 1] - x[i + 1] * y[i];
    return a / 2;
}

/* One ring, written counter-clockwise (outer) or clockwise (hole) per RFC 7946, closed. */
static cc_status put_ring(cc_ctx *ctx, cc_buf *b, const size_t *pc, const double *x,
                          const double *y, size_t k, int hole)
{
    size_t a = pc[k], e = pc[k + 1];
    int reverse = (ring_area(pc, x, y, k) > 0) == hole;
    int closed = e - a > 1 && x[a] == x[e - 1] && y[a] == y[e - 1];
    cc_status rc = cc_buf_putc(ctx, b, '[');
    size_t n = e - a;
    for (size_t j = 0; !rc && j <= n - (closed ? 1 : 0); j++) {
        size_t i = j == n - (closed ? 1 : 0) ? 0 : j; /* close with the first vertex */
        size_t at = reverse ? a + (n - (closed ? 1 : 0) - i) % (n - (closed ? 1 : 0)) : a + i;
        if (j) P(cc_buf_putc(ctx, b, ','));
        P(cc_buf_putc(ctx, b, '['));
        P(cc_buf_put_double(ctx, b, x[at], CC_GEOM_WGS84_DECIMALS));
        P(cc_buf_putc(ctx, b, ','));
        P(cc_buf_put_double(ctx, b, y[at], CC_GEOM_WGS84_DECIMALS));
        P(cc_buf_putc(ctx, b, ']'));
    }
    P(cc_buf_putc(ctx, b, ']'));
    return rc;
}

/* Geometry of polygon feature i as a MultiPolygon (null when it has no rings). */
static cc_status put_polygon(cc_ctx *ctx, cc_buf *b, const size_t *fp, const size_t *pc,
                             const unsigned char *hole, const double *x, const double *y, size_t i)
{
    size_t a = fp[i], e = fp[i + 1];
    if (a == e) return cc_buf_puts(ctx, b, "null");
    cc_status rc = cc_buf_puts(ctx, b, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
    int open = 0;
    for (size_t k = a; !rc && k < e; k++) {
        if (pc[k + 1] - pc[k] < 3) continue;
        int h = hole && hole[k];
        if (!h) {
            if (open) P(cc_buf_puts(ctx, b, "],"));
            P(cc_buf_putc(ctx, b, '['));
            open = 1;
        } else if (!open)
            continue; /* a hole before any outer ring cannot be placed */
        else
            P(cc_buf_putc(ctx, b, ','));
        P(put_ring(ctx, b, pc, x, y, k, h));
    }
    if (open) P(cc_buf_putc(ctx, b, ']'));
    P(cc_buf_puts(ctx, b, "]}"));
    return rc;
}

static cc_status kv_num(cc_ctx *ctx, cc_buf *b, const char *k, double v, int dec)
{
    cc_status rc = cc_buf_puts(ctx, b, ",\"");
    P(cc_buf_puts(ctx, b, k));
    P(cc_buf_puts(ctx, b, "\":"));
    P(cc_buf_put_double(ctx, b, v, dec));
    return rc;
}

static cc_status kv_str(cc_ctx *ctx, cc_buf *b, const char *k, const char *v)
{
    cc_status rc = cc_buf_puts(ctx, b, ",\"");
    P(cc_buf_puts(ctx, b, k));
    P(cc_buf_puts(ctx, b, "\":"));
    P(v ? cc_buf_put_json_string(ctx, b, v) : cc_buf_puts(ctx, b, "null"));
    return rc;
}

static const char *district_label(const cc_study *st, size_t d)
{
    if (d == st->n_districts) return "(outside every district)";
    if (d == st->n_districts + 1) return "(whole study area)";
    /* A district without a name (null or empty in the input) shows its id. */
    const char *nm = st->district_name[d];
    return nm && *nm ? nm : st->district_id[d] ? st->district_id[d] : "";
}

/* A CSV number, or an empty cell when it is unknown (NaN). */
static cc_status csv_num(cc_ctx *ctx, cc_buf *b, double v, int dec)
{
    return isfinite(v) ? cc_buf_put_double(ctx, b, v, dec) : CC_OK;
}

/* district_area_km2, analysed_area_km2, analysed_share, partial (empty for "outside"). */
static cc_status put_area_cols(cc_ctx *ctx, cc_buf *b, const cc_district_stats *s, int outside)
{
    int known = !outside && s->area_m2 > 0;
    cc_status rc = csv_num(ctx, b, known ? s->area_m2 / 1e6 : NAN, 3);
    P(cc_buf_putc(ctx, b, ','));
    P(csv_num(ctx, b, known ? s->analysed_m2 / 1e6 : NAN, 3));
    P(cc_buf_putc(ctx, b, ','));
    P(csv_num(ctx, b, known ? s->analysed_m2 / s->area_m2 : NAN, 4));
    P(cc_buf_putc(ctx, b, ','));
    if (known) P(cc_buf_puts(ctx, b, cc_district_partial(s) ? "yes" : "no"));
    return rc;
}

/* districts.csv: one row per district (plus outside and whole area) x type x served group. */
static cc_status districts_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    size_t nd = st->n_districts;
    cc_buf b = {0};
    cc_status rc = cc_buf_puts(ctx, &b,
                               "scenario,district_id,district,facility_type,group,"
                               "population,within_reach_network,within_reach_network_share,"
                               "served_within_capacity,served_within_capacity_share,"
                               "over_capacity,within_reach_circle,within_reach_circle_share,"
                               "facilities,"
                               "facilities_without_capacity,capacity,capacity_per_1000,"
                               "district_area_km2,analysed_area_km2,analysed_share,partial\n");
    for (size_t d = 0; !rc && d < nd + 2; d++)
        for (size_t t = 0; !rc && t < st->n_types; t++) {
            const cc_fac_set *f = &st->fac[t];
            for (size_t k = 0; !rc && k < f->n_serves; k++) {
                size_t g = f->serves[k];
                const cc_district_stats *s = &f->dstats[g * (nd + 2) + d];
                P(cc_buf_put_csv_field(ctx, &b, sc->name));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_csv_field(ctx, &b, d < nd ? st->district_id[d] : ""));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_csv_field(ctx, &b, district_label(st, d)));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_puts(ctx, &b, f->spec->name));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_puts(ctx, &b, sc->demand[g].name));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_double(ctx, &b, s->population, 2));
                P(cc_buf_putc(ctx, &b, ','));
                /* A share of nobody is unknown (empty), not 0. */
                if (f->net_min) {
                    P(cc_buf_put_double(ctx, &b, s->covered_net, 2));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(csv_num(ctx, &b, s->population > 0 ? s->covered_net / s->population : NAN,
                              6));
                } else
                    P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_putc(ctx, &b, ','));
                /* Served within capacity (reason covered) and the people within reach whose
                   facilities are full: within reach - served = over_capacity. Without a
                   network the circle decides reach and nothing is over capacity. */
                double within = f->net_min ? s->covered_net : s->covered_circle;
                if (isfinite(s->served)) {
                    P(cc_buf_put_double(ctx, &b, s->served, 2));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(csv_num(ctx, &b, s->population > 0 ? s->served / s->population : NAN, 6));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_put_double(ctx, &b, within - s->served, 2));
                } else
                    P(cc_buf_puts(ctx, &b, ",,"));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_double(ctx, &b, s->covered_circle, 2));
                P(cc_buf_putc(ctx, &b, ','));
                P(csv_num(ctx, &b, s->population > 0 ? s->covered_circle / s->population : NAN, 6));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_int(ctx, &b, (long long)s->n_fac));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_int(ctx, &b, (long long)s->n_fac_unknown));
                P(cc_buf_putc(ctx, &b, ','));
                P(csv_num(ctx, &b, s->capacity, 2));
                P(cc_buf_putc(ctx, &b, ','));
                P(csv_num(ctx, &b, s->per_1000, 3));
                P(cc_buf_putc(ctx, &b, ','));
                P(put_area_cols(ctx, &b, s, d == nd));
                P(cc_buf_putc(ctx, &b, '\n'));
            }
        }
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    return rc;
}

/* Target status of district d (SIZE_MAX = whole area): met when every evaluated record is;
   verdicts on a partly analysed district count apart (partial). */
static void district_status(const cc_study *st, int64_t d, size_t *met, size_t *not_met,
                            size_t *not_eval, size_t *partial)
{
    *met = *not_met = *not_eval = *partial = 0;
    for (size_t s = 0; s < st->n_target_sets; s++)
        for (size_t i = 0; i < st->n_target_res[s]; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            if (r->unit != d) continue;
            if (r->status == CC_TARGET_MET)
                (*met)++;
            else if (r->status == CC_TARGET_NOT_MET)
                (*not_met)++;
            else if (r->status == CC_TARGET_NOT_EVALUATED)
                (*not_eval)++;
            else
                (*partial)++;
        }
}

static cc_status districts_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    size_t nd = st->n_districts;
    const cc_geomcol *g = &st->district_geom;
    cc_buf b = {0};
    cc_status rc = cc__geojson_begin(ctx, &b, "districts", st);
    for (size_t d = 0; !rc && d < nd; d++) {
        P(cc__geojson_feature(ctx, &b, d, st->district_id[d]));
        P(put_polygon(ctx, &b, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, d));
        P(cc_buf_puts(ctx, &b, ",\"properties\":{\"id\":"));
        P(cc_buf_put_json_string(ctx, &b, st->district_id[d]));
        P(kv_str(ctx, &b, "name", st->district_name[d]));
        for (size_t t = 0; !rc && t < st->n_types; t++) {
            const cc_fac_set *f = &st->fac[t];
            char k[200];
            for (size_t j = 0; !rc && j < f->n_serves; j++) {
                size_t gi = f->serves[j];
                const cc_district_stats *s = &f->dstats[gi * (nd + 2) + d];
                cc_snprintf(k, sizeof k, "%s_%s", sc->demand[gi].name, "pop");
                P(kv_num(ctx, &b, k, s->population, 2));
                double cov = f->net_min ? s->covered_net : s->covered_circle;
                cc_snprintf(k, sizeof k, "within_reach_share_%s_%s", f->spec->name,
                            sc->demand[gi].name);
                P(kv_num(ctx, &b, k, s->population > 0 ? cov / s->population : NAN, 6));
                cc_snprintf(k, sizeof k, "served_share_%s_%s", f->spec->name, sc->demand[gi].name);
                P(kv_num(ctx, &b, k, s->population > 0 ? s->served / s->population : NAN, 6));
                cc_snprintf(k, sizeof k, "capacity_per_1000_%s_%s", f->spec->name,
                            sc->demand[gi].name);
                P(kv_num(ctx, &b, k, s->per_1000, 3));
                if (j == 0) {
                    cc_snprintf(k, sizeof k, "facilities_%s", f->spec->name);
                    P(kv_num(ctx, &b, k, (double)s->n_fac, 0));
                }
            }
        }
        double area = st->district_area_m2 ? st->district_area_m2[d] : NAN;
        double in = st->district_in_m2 ? st->district_in_m2[d] : NAN;
        int partial = cc__district_partial(st, d);
        P(kv_num(ctx, &b, "area_km2", area / 1e6, 3));
        P(kv_num(ctx, &b, "analysed_area_km2", in / 1e6, 3));
        P(kv_num(ctx, &b, "analysed_share", cc__district_share(st, d), 4));
        P(cc_buf_puts(ctx, &b, partial ? ",\"partial\":true" : ",\"partial\":false"));
        size_t met, nm, ne, np;
        district_status(st, (int64_t)d, &met, &nm, &ne, &np);
        P(kv_num(ctx, &b, "targets_met", (double)met, 0));
        P(kv_num(ctx, &b, "targets_not_met", (double)nm, 0));
        P(kv_num(ctx, &b, "targets_not_evaluated", (double)ne, 0));
        P(kv_num(ctx, &b, "targets_partial_area", (double)np, 0));
        /* A district the study area only clips is never painted met or not met. */
        P(kv_str(ctx, &b, "status",
                 np              ? "partial_area"
                 : met + nm == 0 ? "no_target"
                 : nm            ? "not_met"
                                 : "met"));
        P(cc_buf_puts(ctx, &b, "}}"));
        P(cc__flush(ctx, &b, fp, 0));
    }
    P(cc__geojson_end(ctx, &b));
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    return rc;
}

/* Which coverage figure a coverage_share record reads (docs/targets.md); NULL otherwise. */
static const char *coverage_figure(const cc_target *t)
{
    if (t->metric != CC_METRIC_COVERAGE_SHARE) return NULL;
    return t->method_circle     ? "within_reach_circle"
           : t->served_capacity ? "served_within_capacity"
                                : "within_reach";
}

static cc_status targets_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_buf b = {0};
    cc_status rc = cc_buf_puts(ctx, &b,
                               "scenario,targets_file,target_id,document,clause,attribute,"
                               "jurisdiction,indicator,name_zh,year,level,district_id,"
                               "district,analysed_share,partial,metric,facility_type,group,"
                               "denominator,basis,coverage_figure,"
                               "comparator,target,unit,value,status,shortfall,need,note\n");
    for (size_t s = 0; !rc && s < st->n_target_sets; s++) {
        const cc_target_set *ts = st->targets[s];
        const char *file = strrchr(ts->path, '/') ? strrchr(ts->path, '/') + 1 : ts->path;
        for (size_t i = 0; !rc && i < st->n_target_res[s]; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            const cc_target *t = &ts->items[r->target];
            const char *cols[] = {st->sc->name,    file,         t->id,
                                  t->document,     t->clause,    t->attribute,
                                  t->jurisdiction, t->indicator, t->name_zh};
            for (size_t c = 0; !rc && c < 9; c++) {
                if (c) P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_csv_field(ctx, &b, cols[c] ? cols[c] : ""));
            }
            P(cc_buf_putc(ctx, &b, ','));
            P(cc_buf_put_int(ctx, &b, t->year));
            P(cc_buf_putc(ctx, &b, ','));
            P(cc_buf_puts(ctx, &b, cc_unit_level_name(t->level)));
            P(cc_buf_putc(ctx, &b, ','));
            int whole = r->unit < 0 || (size_t)r->unit >= st->n_districts;
            P(cc_buf_put_csv_field(ctx, &b, whole ? "" : st->district_id[r->unit]));
            P(cc_buf_putc(ctx, &b, ','));
            P(cc_buf_put_csv_field(
                ctx, &b, whole ? "(whole study area)" : district_label(st, (size_t)r->unit)));
            P(cc_buf_putc(ctx, &b, ','));
            if (!whole) {
                P(csv_num(ctx, &b, cc__district_share(st, (size_t)r->unit), 4));
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_puts(ctx, &b, cc__district_partial(st, (size_t)r->unit) ? "yes" : "no"));
            } else
                P(cc_buf_putc(ctx, &b, ','));
            const char *cols2[] = {cc_metric_name(t->metric),
                                   t->facility_type,
                                   t->group,
                                   t->denom_group,
                                   t->denom_basis,
                                   coverage_figure(t),
                                   cc_cmp_symbol(t->cmp)};
            for (size_t c = 0; !rc && c < 7; c++) {
                P(cc_buf_putc(ctx, &b, ','));
                P(cc_buf_put_csv_field(ctx, &b, cols2[c] ? cols2[c] : ""));
            }
            P(cc_buf_putc(ctx, &b, ','));
            P(cc_buf_put_double(ctx, &b, t->value, 4));
            P(cc_buf_putc(ctx, &b, ','));
            P(cc_buf_put_csv_field(ctx, &b, t->unit ? t->unit : ""));
            P(cc_buf_putc(ctx, &b, ','));
            if (isfinite(r->value)) P(cc_buf_put_double(ctx, &b, r->value, 4));
            P(cc_buf_putc(ctx, &b, ','));
            P(cc_buf_puts(ctx, &b, cc_target_status_name(r->status)));
            P(cc_buf_putc(ctx, &b, ','));
            if (isfinite(r->shortfall)) P(cc_buf_put_double(ctx, &b, r->shortfall, 4));
            P(cc_buf_putc(ctx, &b, ','));
            if (isfinite(r->need)) P(cc_buf_put_double(ctx, &b, r->need, 2));
            P(cc_buf_putc(ctx, &b, ','));
            if (t->denom_basis && strcmp(t->denom_basis, "户籍") == 0 &&
                r->status != CC_TARGET_NOT_EVALUATED) {
                /* The scenario's groups do not say resident or registered: flag the basis. */
                char note[600];
                cc_snprintf(note, sizeof note,
                            "%s; the target counts registered (户籍) people, computed here on "
                            "group '%s': give that group registered counts to match",
                            r->note, t->denom_group ? t->denom_group : "");
                P(cc_buf_put_csv_field(ctx, &b, note));
            } else
                P(cc_buf_put_csv_field(ctx, &b, r->note));
            P(cc_buf_putc(ctx, &b, '\n'));
            P(cc__flush(ctx, &b, fp, 0));
        }
    }
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    return rc;
}

/* underserved.geojson: one feature per facility type and reason (the areas stage dissolves
 * each reason apart, all its areas one multipolygon), with its people per served group. */
static cc_status underserved_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_buf b = {0};
    size_t nf = 0;
    cc_status rc = cc__geojson_begin(ctx, &b, "underserved", st);
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        const cc_hex_areas *A = f->areas;
        if (!A) continue;
        size_t n = A->geom.n;
        for (size_t k = 0; !rc && k < n; k++, nf++) {
            const char *reason = cc_reason_name((cc_reason)A->dominant_reason[k]);
            char id[200];
            cc_snprintf(id, sizeof id, "%s:%s", f->spec->name, reason);
            P(cc__geojson_feature(ctx, &b, nf, id));
            P(put_polygon(ctx, &b, A->geom.feat_part, A->geom.part_coord, A->geom.part_hole,
                          A->geom.x, A->geom.y, k));
            P(cc_buf_puts(ctx, &b, ",\"properties\":{\"id\":"));
            P(cc_buf_put_json_string(ctx, &b, id));
            P(kv_str(ctx, &b, "facility_type", f->spec->name));
            P(kv_str(ctx, &b, "reason", reason));
            for (size_t g = 0; !rc && g < A->n_groups; g++) { /* the served groups */
                char kk[160];
                cc_snprintf(kk, sizeof kk, "pop_%s", sc->demand[f->serves[g]].name);
                P(kv_num(ctx, &b, kk, A->pop[g * n + k], 2));
            }
            P(kv_num(ctx, &b, "points", (double)A->n_points[k], 0));
            P(kv_num(ctx, &b, "hexagons", (double)A->n_hex[k], 0));
            P(kv_num(ctx, &b, "area_m2", A->area_m2[k], 0));
            P(kv_num(ctx, &b, "gap_mean_min", A->gap_mean_min[k], 2));
            P(kv_num(ctx, &b, "gap_max_min", A->gap_max_min[k], 2));
            P(kv_num(ctx, &b, "gap_null_points", (double)A->n_gap_null[k], 0));
            P(cc_buf_puts(ctx, &b, "}}"));
            P(cc__flush(ctx, &b, fp, 0));
        }
    }
    P(cc__geojson_end(ctx, &b));
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    return rc;
}

static cc_status catchments_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_buf b = {0};
    size_t nf = 0;
    cc_status rc = cc__geojson_begin(ctx, &b, "catchments", st);
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        if (!f->inc) continue;
        const cc_geom_polys *G = &f->catch_geom;
        for (size_t j = 0; !rc && j < f->n; j++, nf++) {
            char id[300];
            cc_snprintf(id, sizeof id, "%s:%s", f->spec->name, f->id[j]);
            P(cc__geojson_feature(ctx, &b, nf, id));
            P(j < G->n
                  ? put_polygon(ctx, &b, G->feat_part, G->part_coord, G->part_hole, G->x, G->y, j)
                  : cc_buf_puts(ctx, &b, "null"));
            P(cc_buf_puts(ctx, &b, ",\"properties\":{\"id\":"));
            P(cc_buf_put_json_string(ctx, &b, id));
            P(kv_str(ctx, &b, "facility_type", f->spec->name));
            P(kv_str(ctx, &b, "facility_id", f->id[j]));
            P(kv_str(ctx, &b, "name", f->name ? f->name[j] : NULL));
            P(kv_num(ctx, &b, "threshold_min", f->spec->threshold_min, 3));
            P(kv_num(ctx, &b, "capacity", f->capacity[j], 2));
            double served = 0;
            for (size_t k = 0; !rc && k < f->n_serves; k++) {
                size_t g = f->serves[k];
                char kk[160];
                cc_snprintf(kk, sizeof kk, "reached_%s", sc->demand[g].name);
                P(kv_num(ctx, &b, kk, f->reached[g * f->n + j], 2));
                served += f->reached[g * f->n + j];
            }
            P(kv_num(ctx, &b, "capacity_per_1000_reached",
                     served > 0 ? f->capacity[j] * 1000.0 / served : NAN, 3));
            P(kv_num(ctx, &b, "access_ratio", f->ratio_fac ? f->ratio_fac[j] : NAN, 6));
            P(kv_num(ctx, &b, "snap_m", !f->fsnap || f->fsnap[j].edge == CC_NONE ? NAN : f->fsnap[j].dist_m, 1));
            P(cc_buf_puts(ctx, &b, "}}"));
            P(cc__flush(ctx, &b, fp, 0));
        }
    }
    P(cc__geojson_end(ctx, &b));
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    return rc;
}

/* curve.csv: share covered at every whole minute up to the largest threshold. */
static cc_status curve_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    size_t steps = (size_t)ceil(cc__max_threshold(sc)) + 1;
    double *share = cc_malloc_array(ctx, steps, sizeof *share);
    double *cov = cc_malloc_array(ctx, steps, sizeof *cov);
    double *minutes = cc_malloc_array(ctx, st->dem.n ? st->dem.n : 1, sizeof *minutes);
    cc_buf b = {0};
    cc_status rc = share && cov && minutes ? CC_OK : CC_ERR_NOMEM;
    P(cc_buf_puts(ctx, &b,
                  "scenario,facility_type,group,method,minutes,within_reach_population,"
                  "within_reach_share\n"));
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        for (size_t k = 0; !rc && k < f->n_serves; k++) {
            size_t g = f->serves[k];
            for (int m = 0; !rc && m < 2; m++) {
                if (m == 1 && !f->net_min) continue;
                if (m == 0)
                    for (size_t i = 0; i < st->dem.n; i++)
                        minutes[i] = f->circle_m[i] * f->spec->threshold_min / f->radius_m;
                P(cc_analysis_curve(ctx, st->dem.n, st->dem.count[g], m ? f->net_min : minutes,
                                    steps, NULL, share, cov));
                for (size_t s = 0; !rc && s < steps; s++) {
                    P(cc_buf_put_csv_field(ctx, &b, sc->name));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_puts(ctx, &b, f->spec->name));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_puts(ctx, &b, sc->demand[g].name));
                    P(cc_buf_puts(ctx, &b, m ? ",network," : ",circle,"));
                    P(cc_buf_put_int(ctx, &b, (long long)s));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_put_double(ctx, &b, cov[s], 2));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(csv_num(ctx, &b, share[s], 6)); /* empty without people, not "null" */
                    P(cc_buf_putc(ctx, &b, '\n'));
                }
            }
        }
    }
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    cc_free(share);
    cc_free(cov);
    cc_free(minutes);
    return rc;
}

/*
 * sensitivity.csv: coverage at other walking speeds, from the same searches. On walking
 * profiles every arc time and the off-network legs scale with 1/speed, so a time t at the
 * routed speed v is t * v / v' at speed v': covered at threshold T when t <= T * v' / v. Rows
 * whose scaled limit exceeds the routed limit are left out (they would need longer searches).
 */
static cc_status sensitivity_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    double tmax = cc__max_threshold(sc);
    cc_buf b = {0};
    cc_status rc = cc_buf_puts(ctx, &b,
                               "scenario,facility_type,group,speed_kmh,threshold_min,"
                               "population,within_reach_population,within_reach_share\n");
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        if (!f->net_min || f->matrix_reach) continue; /* a planner's matrix has no speed */
        const cc_net_variant *var = &st->vars[f->variant];
        if (strcmp(var->mode, "drive") == 0 || var->custom) continue; /* speeds by class */
        double v = cc_profile_speed_kmh(var->prof);
        double speeds[8] = {3.0, 3.2, 3.6, 4.0, 4.5};
        size_t ns = 5;
        int have = 0;
        for (size_t i = 0; i < ns; i++)
            have |= fabs(speeds[i] - v) < 1e-9;
        if (!have) speeds[ns++] = v;
        for (size_t i = 1; i < ns; i++) /* sort (tiny) */
            for (size_t j = i; j > 0 && speeds[j - 1] > speeds[j]; j--) {
                double x = speeds[j];
                speeds[j] = speeds[j - 1];
                speeds[j - 1] = x;
            }
        for (size_t k = 0; !rc && k < f->n_serves; k++) {
            size_t g = f->serves[k];
            double pop = st->dem.total[g];
            for (size_t si = 0; !rc && si < ns; si++)
                for (size_t ti = 0; !rc && ti < sc->n_thresholds; ti++) {
                    double th = sc->thresholds_min[ti], lim = th * speeds[si] / v;
                    if (lim > tmax + 1e-9) continue;
                    double cov =
                        cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->net_min, lim);
                    P(cc_buf_put_csv_field(ctx, &b, sc->name));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_puts(ctx, &b, f->spec->name));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_puts(ctx, &b, sc->demand[g].name));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_put_double(ctx, &b, speeds[si], 3));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_put_double(ctx, &b, th, 3));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_put_double(ctx, &b, pop, 2));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(cc_buf_put_double(ctx, &b, cov, 2));
                    P(cc_buf_putc(ctx, &b, ','));
                    P(csv_num(ctx, &b, pop > 0 ? cov / pop : NAN, 6));
                    P(cc_buf_putc(ctx, &b, '\n'));
                }
        }
    }
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    return rc;
}

static cc_status write_text(cc_ctx *ctx, cc_outset *out, const char *name, char *text)
{
    FILE *fp = NULL;
    cc_status rc = text ? cc_outset_begin(ctx, out, name, &fp) : CC_ERR_NOMEM;
    if (!rc && fputs(text, fp) < 0) rc = cc_error(ctx, CC_ERR_IO, "cannot write %s", name);
    if (fp) {
        cc_status r2 = cc_outset_end(ctx, out, fp);
        if (!rc) rc = r2;
    }
    cc_free(text);
    return rc;
}

cc_status cc__write_areas(cc_ctx *ctx, const cc_study *st, cc_outset *out);
cc_status cc__write_areas(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    cc_status rc = CC_OK;
    int have_net = 0;
    for (size_t t = 0; t < st->n_types; t++)
        have_net |= st->fac[t].inc != NULL;
    char *text = NULL;
    char field[200];
    cc_snprintf(field, sizeof field, "%s_%s_min", have_net ? "t" : "d",
                st->n_types ? st->fac[0].spec->name : "x");
    if (!have_net) cc_snprintf(field, sizeof field, "gap_%s_min", st->fac[0].spec->name);
    P(cc_report_qml_minutes(ctx, field, CC_QML_POINT, &text));
    P(write_text(ctx, out, "demand.qml", text));
    text = NULL;
    P(cc__write_one(ctx, st, out, "curve.csv", curve_csv));
    cc_qml_type *types = NULL;
    P(cc__qml_types(ctx, st, &types));
    P(cc__write_one(ctx, st, out, "underserved.geojson", underserved_geojson));
    P(cc_report_qml_underserved(ctx, types, st->n_types, &text));
    P(write_text(ctx, out, "underserved.qml", text));
    text = NULL;
    if (have_net) {
        P(cc__write_one(ctx, st, out, "sensitivity.csv", sensitivity_csv));
        P(cc__write_one(ctx, st, out, "catchments.geojson", catchments_geojson));
        P(cc_report_qml_types(ctx, types, st->n_types, CC_QML_POLYGON, &text));
        P(write_text(ctx, out, "catchments.qml", text));
        text = NULL;
    }
    if (st->sc->districts.present) {
        P(cc__write_one(ctx, st, out, "districts.csv", districts_csv));
        P(cc__write_one(ctx, st, out, "districts.geojson", districts_geojson));
        P(cc_report_qml_districts(ctx, "status", &text));
        P(write_text(ctx, out, "districts.qml", text));
        text = NULL;
    }
    cc_free(types);
    if (st->n_target_sets) P(cc__write_one(ctx, st, out, "targets.csv", targets_csv));
    return rc;
}
