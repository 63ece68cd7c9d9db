/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writers for the area outputs: underserved.geojson, catchments.geojson, districts.geojson and
 * the QGIS .qml styles that sit beside each GeoJSON (QGIS loads <name>.qml with
 * <name>.geojson); the area tables (districts.csv, targets.csv, curve.csv, sensitivity.csv)
 * are in areas_csv.c. Every figure is a stage result; these writers only format them.
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
static void put_ring(cc_tw *w, const size_t *pc, const double *x, const double *y, size_t k,
                     int hole)
{
    size_t a = pc[k], e = pc[k + 1];
    int reverse = (ring_area(pc, x, y, k) > 0) == hole;
    int closed = e - a > 1 && x[a] == x[e - 1] && y[a] == y[e - 1];
    size_t n = e - a - (closed ? 1 : 0); /* distinct vertices */
    cc_tw_json_array(w, CC_TW_COMPACT);
    for (size_t j = 0; j <= n && !w->rc; j++) {
        size_t i = j == n ? 0 : j; /* close with the first vertex */
        size_t at = reverse ? a + (n - i) % n : a + i;
        cc_tw_json_array(w, CC_TW_COMPACT);
        cc_tw_json_num(w, x[at], CC_GEOM_WGS84_DECIMALS);
        cc_tw_json_num(w, y[at], CC_GEOM_WGS84_DECIMALS);
        cc_tw_json_close(w);
    }
    cc_tw_json_close(w);
}

/* Geometry of polygon feature i as a MultiPolygon (null when it has no rings). */
void cc__gj_polygon(cc_tw *w, const size_t *fp, const size_t *pc, const unsigned char *hole,
                        const double *x, const double *y, size_t i)
{
    size_t a = fp[i], e = fp[i + 1];
    if (a == e) {
        cc_tw_json_null(w);
        return;
    }
    cc_tw_json_object(w, CC_TW_COMPACT);
    cc_tw_json_kstr(w, "type", "MultiPolygon");
    cc_tw_json_key(w, "coordinates");
    cc_tw_json_array(w, CC_TW_COMPACT);
    int open = 0; /* a polygon (outer ring and its holes) is open */
    for (size_t k = a; k < e && !w->rc; k++) {
        if (pc[k + 1] - pc[k] < 3) continue;
        int h = hole && hole[k];
        if (h && !open) continue; /* a hole before any outer ring cannot be placed */
        if (!h) {
            if (open) cc_tw_json_close(w);
            cc_tw_json_array(w, CC_TW_COMPACT);
            open = 1;
        }
        put_ring(w, pc, x, y, k, h);
    }
    if (open) cc_tw_json_close(w);
    cc_tw_json_close(w);
    cc_tw_json_close(w);
}

static void geom_polys(cc_tw *w, const cc_geom_polys *G, size_t i)
{
    cc__gj_polygon(w, G->feat_part, G->part_coord, G->part_hole, G->x, G->y, i);
}

/* A property named prefix_a or prefix_a_b (b may be NULL) with a number. */
static void knum2(cc_tw *w, const char *prefix, const char *a, const char *b, double v, int dec)
{
    char k[300];
    if (b)
        cc_snprintf(k, sizeof k, "%s%s_%s", prefix, a, b);
    else
        cc_snprintf(k, sizeof k, "%s%s", prefix, a);
    cc_tw_json_knum(w, k, v, dec);
}

/* The district's figures for each type and served group. */
static void district_type_props(cc_tw *w, const cc_study *st, const cc_fac_set *f, size_t d)
{
    const cc_scenario *sc = st->sc;
    size_t nd = st->n_districts;
    const char *tn = f->spec->name;
    for (size_t j = 0; j < f->n_serves; j++) {
        size_t g = f->serves[j];
        const char *gn = sc->demand[g].name;
        const cc_district_stats *s = &f->dstats[g * (nd + 2) + d];
        double pop = s->population;
        double cov = f->net_min ? s->covered_net : s->covered_circle;
        knum2(w, "", gn, "pop", pop, 2);
        knum2(w, "within_reach_share_", tn, gn, pop > 0 ? cov / pop : NAN, 6);
        knum2(w, "served_share_", tn, gn, pop > 0 ? s->served / pop : NAN, 6);
        knum2(w, "capacity_per_1000_", tn, gn, s->per_1000, 3);
        if (j == 0) knum2(w, "facilities_", tn, NULL, (double)s->n_fac, 0);
    }
}

static cc_status districts_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    size_t nd = st->n_districts;
    const cc_geomcol *g = &st->district_geom;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc__gj_begin(&w, "districts", st);
    for (size_t d = 0; d < nd && !w.rc; d++) {
        cc__gj_feature(&w, d, st->district_id[d]);
        cc__gj_polygon(&w, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, d);
        cc_tw_json_key(&w, "properties");
        cc_tw_json_object(&w, CC_TW_COMPACT);
        cc_tw_json_kstr(&w, "id", st->district_id[d]);
        cc_tw_json_kstr(&w, "name", st->district_name[d]);
        for (size_t t = 0; t < st->n_types; t++)
            district_type_props(&w, st, &st->fac[t], d);
        double area = st->district_area_m2 ? st->district_area_m2[d] : NAN;
        double in = st->district_in_m2 ? st->district_in_m2[d] : NAN;
        cc_tw_json_knum(&w, "area_km2", area / 1e6, 3);
        cc_tw_json_knum(&w, "analysed_area_km2", in / 1e6, 3);
        cc_tw_json_knum(&w, "analysed_share", cc__district_share(st, d), 4);
        cc_tw_json_kbool(&w, "partial", cc__district_partial(st, d));
        /* Verdicts on the district (st->district_verdicts): met, not met, not evaluated,
           partial area. */
        const size_t *v = st->district_verdicts + d * 4;
        cc_tw_json_kint(&w, "targets_met", (long long)v[0]);
        cc_tw_json_kint(&w, "targets_not_met", (long long)v[1]);
        cc_tw_json_kint(&w, "targets_not_evaluated", (long long)v[2]);
        cc_tw_json_kint(&w, "targets_partial_area", (long long)v[3]);
        /* A district the study area only clips is never painted met or not met. */
        cc_tw_json_kstr(&w, "status",
                        v[3]               ? "partial_area"
                        : v[0] + v[1] == 0 ? "no_target"
                        : v[1]             ? "not_met"
                                           : "met");
        cc__gj_feature_end(&w);
    }
    cc__gj_end(&w);
    return cc_tw_end(&w);
}

/* underserved.geojson: one feature per facility type and reason (the areas stage dissolves
 * each reason apart, all its areas one multipolygon), with its people per served group. */
static cc_status underserved_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    size_t nf = 0;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc__gj_begin(&w, "underserved", st);
    for (size_t t = 0; t < st->n_types && !w.rc; t++) {
        const cc_fac_set *f = &st->fac[t];
        const cc_hex_areas *A = f->areas;
        if (!A) continue;
        size_t n = A->geom.n;
        for (size_t k = 0; k < n && !w.rc; k++, nf++) {
            const char *reason = cc_reason_name((cc_reason)A->dominant_reason[k]);
            char id[200];
            cc_snprintf(id, sizeof id, "%s:%s", f->spec->name, reason);
            cc__gj_feature(&w, nf, id);
            geom_polys(&w, &A->geom, k);
            cc_tw_json_key(&w, "properties");
            cc_tw_json_object(&w, CC_TW_COMPACT);
            cc_tw_json_kstr(&w, "id", id);
            cc_tw_json_kstr(&w, "facility_type", f->spec->name);
            cc_tw_json_kstr(&w, "reason", reason);
            for (size_t g = 0; g < A->n_groups; g++) /* the served groups */
                knum2(&w, "pop_", sc->demand[f->serves[g]].name, NULL, A->pop[g * n + k], 2);
            cc_tw_json_kint(&w, "points", (long long)A->n_points[k]);
            cc_tw_json_kint(&w, "hexagons", (long long)A->n_hex[k]);
            cc_tw_json_knum(&w, "area_m2", A->area_m2[k], 0);
            cc_tw_json_knum(&w, "gap_mean_min", A->gap_mean_min[k], 2);
            cc_tw_json_knum(&w, "gap_max_min", A->gap_max_min[k], 2);
            cc_tw_json_kint(&w, "gap_null_points", (long long)A->n_gap_null[k]);
            cc__gj_feature_end(&w);
        }
    }
    cc__gj_end(&w);
    return cc_tw_end(&w);
}

/* One catchment: facility j of type f, feature number nf. */
static void catchment(cc_tw *w, const cc_study *st, const cc_fac_set *f, size_t j, size_t nf)
{
    char id[300];
    cc_snprintf(id, sizeof id, "%s:%s", f->spec->name, f->id[j]);
    cc__gj_feature(w, nf, id);
    if (j < f->catch_geom.n)
        geom_polys(w, &f->catch_geom, j);
    else
        cc_tw_json_null(w);
    cc_tw_json_key(w, "properties");
    cc_tw_json_object(w, CC_TW_COMPACT);
    cc_tw_json_kstr(w, "id", id);
    cc_tw_json_kstr(w, "facility_type", f->spec->name);
    cc_tw_json_kstr(w, "facility_id", f->id[j]);
    cc_tw_json_kstr(w, "name", f->name ? f->name[j] : NULL);
    cc_tw_json_knum(w, "threshold_min", f->spec->threshold_min, 3);
    cc_tw_json_knum(w, "capacity", f->capacity[j], 2);
    for (size_t k = 0; k < f->n_serves; k++) {
        size_t g = f->serves[k];
        knum2(w, "reached_", st->sc->demand[g].name, NULL, f->reached[g * f->n + j], 2);
    }
    cc_tw_json_knum(w, "capacity_per_1000_reached",
                    f->reached_per_1000 ? f->reached_per_1000[j] : NAN, 3);
    cc_tw_json_knum(w, "access_ratio", f->ratio_fac ? f->ratio_fac[j] : NAN, 6);
    int snapped = f->fsnap && f->fsnap[j].edge != CC_NONE;
    cc_tw_json_knum(w, "snap_m", snapped ? f->fsnap[j].dist_m : NAN, 1);
    cc__gj_feature_end(w);
}

static cc_status catchments_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    size_t nf = 0;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc__gj_begin(&w, "catchments", st);
    for (size_t t = 0; t < st->n_types && !w.rc; t++) {
        const cc_fac_set *f = &st->fac[t];
        if (!f->inc) continue;
        for (size_t j = 0; j < f->n && !w.rc; j++, nf++)
            catchment(&w, st, f, j, nf);
    }
    cc__gj_end(&w);
    return cc_tw_end(&w);
}

/* A style made as text (rc: whether it could be made) written to fp; frees text. */
cc_status cc__put_text(cc_ctx *ctx, FILE *fp, cc_status rc, char *text)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    if (rc)
        cc_tw_fail(&w, rc);
    else
        cc_tw_str(&w, text);
    cc_free(text);
    return cc_tw_end(&w);
}

static int have_network(const cc_study *st)
{
    int have_net = 0;
    for (size_t t = 0; t < st->n_types; t++)
        have_net |= st->fac[t].inc != NULL;
    return have_net;
}

/* demand.qml: minutes to the first type (gap minutes without a network). */
static cc_status demand_qml(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    char field[200], *text = NULL;
    const char *tn = st->n_types ? st->fac[0].spec->name : "x";
    cc_snprintf(field, sizeof field, "%s_%s_min", have_network(st) ? "t" : "gap", tn);
    cc_status rc = cc_report_qml_minutes(ctx, field, CC_QML_POINT, &text);
    return cc__put_text(ctx, fp, rc, text);
}

/* underserved.qml and catchments.qml: a style per facility type. */
static cc_status typed_qml(cc_ctx *ctx, const cc_study *st, FILE *fp, int catchments)
{
    cc_qml_type *types = NULL;
    char *text = NULL;
    cc_status rc = cc__qml_types(ctx, st, &types);
    if (!rc && catchments)
        rc = cc_report_qml_types(ctx, types, st->n_types, CC_QML_POLYGON, &text);
    else if (!rc)
        rc = cc_report_qml_underserved(ctx, types, st->n_types, &text);
    cc_free(types);
    return cc__put_text(ctx, fp, rc, text);
}

static cc_status underserved_qml(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    return typed_qml(ctx, st, fp, 0);
}

static cc_status catchments_qml(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    return typed_qml(ctx, st, fp, 1);
}

static cc_status districts_qml(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    (void)st;
    char *text = NULL;
    cc_status rc = cc_report_qml_districts(ctx, "status", &text);
    return cc__put_text(ctx, fp, rc, text);
}

/* The area outputs in the order they are written, and what each needs. */
enum { ALWAYS, NETWORK, DISTRICTS, TARGETS };
static const struct {
    const char *name;
    cc__writer_fn fn;
    int needs;
} AREA_FILES[] = {
    {"demand.qml", demand_qml, ALWAYS},
    {"curve.csv", cc__curve_csv, ALWAYS},
    {"underserved.geojson", underserved_geojson, ALWAYS},
    {"underserved.qml", underserved_qml, ALWAYS},
    {"sensitivity.csv", cc__sensitivity_csv, NETWORK},
    {"catchments.geojson", catchments_geojson, NETWORK},
    {"catchments.qml", catchments_qml, NETWORK},
    {"districts.csv", cc__districts_csv, DISTRICTS},
    {"districts.geojson", districts_geojson, DISTRICTS},
    {"districts.qml", districts_qml, DISTRICTS},
    {"targets.csv", cc__targets_csv, TARGETS},
};

cc_status cc__write_areas(cc_ctx *ctx, const cc_study *st, cc_outset *out);
cc_status cc__write_areas(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    int have[] = {1, have_network(st), st->sc->districts.present, st->n_target_sets > 0};
    for (size_t i = 0; i < sizeof AREA_FILES / sizeof AREA_FILES[0]; i++) {
        if (!have[AREA_FILES[i].needs]) continue;
        cc_status rc = cc__write_one(ctx, st, out, AREA_FILES[i].name, AREA_FILES[i].fn);
        if (rc) return rc;
    }
    return cc__write_units(ctx, st, out);
}
