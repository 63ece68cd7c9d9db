/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Written polygons as a GIS client reads them (issue 13.8 and 13.9).
 *
 * 1. The sample scenario with its three variants: every polygon of every GeoJSON and of every
 *    layer of carecircle.gpkg, in the base folder and in each variants/<name>/, read back with
 *    GDAL exactly as written (EPSG:4326, rounded) and checked with GEOS through the geom module
 *    (cc_geom_polys_check): none may be invalid (QGIS's Clip, Intersection and
 *    Count-points-in-polygon stop on invalid ones). The sample's district file has two
 *    self-touching rings, so districts.geojson and the districts layer failed before.
 * 2. tests/fixtures/oneway: a centre snapped onto the end of a one-way street. The service area
 *    written to catchments.geojson must hold the demand points routing reaches (it was drawn
 *    from a seeding of its own that missed the end node), and not the one it does not.
 */
#include "carecircle/config.h"
#include "carecircle/core.h"
#include "carecircle/geom.h"
#include "carecircle/pipeline.h"
#include "cc_test.h"

#include <dirent.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void quiet_log(void *ud, cc_log_level lv, const char *msg)
{
    (void)ud;
    (void)lv;
    (void)msg;
}

static cc_status run(const char *scenario, const char *out_dir)
{
    cc_ctx *ctx = NULL;
    cc_scenario *sc = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return CC_ERR_NOMEM;
    cc_ctx_set_log(ctx, quiet_log, NULL, CC_LOG_DEBUG);
    cc_status st = cc_scenario_load(ctx, scenario, NULL, 0, &sc);
    if (st == CC_OK) {
        cc_run_options opt = {.out_dir = out_dir};
        st = cc_pipeline_run(ctx, sc, &opt, NULL);
    }
    if (st) fprintf(stderr, "%s: %s\n", scenario, cc_ctx_message(ctx));
    cc_scenario_destroy(sc);
    cc_ctx_destroy(ctx);
    return st;
}

/* Grow-as-needed append of one ring. */
static void put_ring(cc_geom_polys *p, size_t *cap_p, size_t *cap_c, OGRGeometryH ring, int hole)
{
    int m = OGR_G_GetPointCount(ring);
    if (p->n_parts + 2 > *cap_p) {
        *cap_p = 2 * (p->n_parts + 2);
        p->part_coord = realloc(p->part_coord, *cap_p * sizeof *p->part_coord);
        p->part_hole = realloc(p->part_hole, *cap_p);
    }
    if (p->n_coords + (size_t)m > *cap_c) {
        *cap_c = 2 * (p->n_coords + (size_t)m);
        p->x = realloc(p->x, *cap_c * sizeof *p->x);
        p->y = realloc(p->y, *cap_c * sizeof *p->y);
    }
    for (int k = 0; k < m; k++) {
        p->x[p->n_coords] = OGR_G_GetX(ring, k);
        p->y[p->n_coords++] = OGR_G_GetY(ring, k);
    }
    p->part_hole[p->n_parts++] = (unsigned char)hole;
    p->part_coord[p->n_parts] = p->n_coords;
}

/* Every feature of a polygon layer as written (a feature without geometry has no rings).
 * Returns 0 when the layer does not hold polygons. */
static int read_polys(OGRLayerH L, cc_geom_polys *p)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_L_GetGeomType(L));
    if (t != wkbPolygon && t != wkbMultiPolygon) return 0;
    size_t cap_f = 16, cap_p = 0, cap_c = 0;
    memset(p, 0, sizeof *p);
    p->feat_part = calloc(cap_f, sizeof *p->feat_part);
    OGR_L_ResetReading(L);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(L)) != NULL) {
        if (p->n + 2 > cap_f) {
            cap_f *= 2;
            p->feat_part = realloc(p->feat_part, cap_f * sizeof *p->feat_part);
        }
        if (!p->part_coord) {
            cap_p = 16;
            p->part_coord = calloc(cap_p, sizeof *p->part_coord);
            p->part_hole = calloc(cap_p, 1);
        }
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType gt = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbUnknown;
        int n_poly = gt == wkbMultiPolygon ? OGR_G_GetGeometryCount(g) : gt == wkbPolygon;
        for (int i = 0; i < n_poly; i++) {
            OGRGeometryH poly = gt == wkbMultiPolygon ? OGR_G_GetGeometryRef(g, i) : g;
            int nr = OGR_G_GetGeometryCount(poly);
            for (int r = 0; r < nr; r++)
                put_ring(p, &cap_p, &cap_c, OGR_G_GetGeometryRef(poly, r), r > 0);
        }
        p->feat_part[++p->n] = p->n_parts;
        OGR_F_Destroy(f);
    }
    return 1;
}

static void free_polys(cc_geom_polys *p)
{
    free(p->feat_part);
    free(p->part_coord);
    free(p->part_hole);
    free(p->x);
    free(p->y);
    memset(p, 0, sizeof *p);
}

typedef struct tally {
    size_t files, layers, features, invalid;
    size_t districts_geojson, districts_gpkg; /* district features seen in each form */
} tally;

/* Check every polygon layer of one written file. */
static void check_file(cc_ctx *ctx, const char *path, tally *t)
{
    OGRDataSourceH ds = OGROpen(path, 0, NULL);
    CHECK(ds != NULL);
    if (!ds) return;
    t->files++;
    int is_gpkg = strstr(path, ".gpkg") != NULL;
    for (int i = 0; i < OGR_DS_GetLayerCount(ds); i++) {
        OGRLayerH L = OGR_DS_GetLayer(ds, i);
        cc_geom_polys p;
        if (!read_polys(L, &p)) continue;
        t->layers++;
        t->features += p.n;
        if (strcmp(OGR_L_GetName(L), "districts") == 0) {
            if (is_gpkg)
                t->districts_gpkg += p.n;
            else
                t->districts_geojson += p.n;
        }
        size_t bad = 0, first = 0;
        char why[256] = "";
        CHECK_INT(cc_geom_polys_check(ctx, &p, &bad, &first, why, sizeof why), CC_OK);
        if (bad)
            fprintf(stderr, "%s, layer %s: %zu invalid polygons, first feature %zu: %s\n", path,
                    OGR_L_GetName(L), bad, first, why);
        t->invalid += bad;
        free_polys(&p);
    }
    OGR_DS_Destroy(ds);
}

static int ends_with(const char *s, const char *sfx)
{
    size_t a = strlen(s), b = strlen(sfx);
    return a >= b && strcmp(s + a - b, sfx) == 0;
}

/* Every GeoJSON and GeoPackage in dir (not below it). */
static void check_dir(cc_ctx *ctx, const char *dir, tally *t)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    while ((e = readdir(d)) != NULL)
        if (ends_with(e->d_name, ".geojson") || ends_with(e->d_name, ".gpkg")) {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n++] = strdup(e->d_name);
        }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        check_file(ctx, path, t);
        free(names[i]);
    }
    free(names);
}

static void test_sample_outputs(const char *tmp)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/sample", tmp);
    CHECK_INT(run(CC_SOURCE_DIR "/data/sample/scenario.yaml", out), CC_OK);
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    tally t = {0};
    check_dir(ctx, out, &t);
    const char *variants[] = {"2025-ageing", "10-minute-circles", "plan-adds-two-centres"};
    for (size_t v = 0; v < 3; v++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/variants/%s", out, variants[v]);
        check_dir(ctx, dir, &t);
    }
    printf("sample: %zu files, %zu polygon layers, %zu polygon features, %zu invalid\n", t.files,
           t.layers, t.features, t.invalid);
    /* Per run: demand, underserved, catchments, districts, units_street, units_community,
     * estates, sites and the three named siting blocks' sites_<name> (GeoJSON) and the
     * GeoPackage; polygons in underserved, catchments, districts, estates and the two unit
     * levels, in both forms. */
    CHECK_INT(t.files, 4 * 12);
    CHECK_INT(t.layers, 4 * 12);
    CHECK_INT(t.districts_geojson, 4 * 2);
    CHECK_INT(t.districts_gpkg, 4 * 2);
    CHECK(t.features >= 4 * 2 * (2 + 12 + 1));
    CHECK_INT(t.invalid, 0);
    cc_ctx_destroy(ctx);
}

/* demand.geojson of the one-way fixture: each point's id, position and network minutes. */
typedef struct pt {
    char id[8];
    double lon, lat, t_min;
} pt;

static void test_oneway_service_area(const char *tmp)
{
    char out[1024], path[4096];
    snprintf(out, sizeof out, "%s/oneway", tmp);
    CHECK_INT(run(CC_SOURCE_DIR "/tests/fixtures/oneway/scenario.yaml", out), CC_OK);
    pt p[3];
    size_t np = 0;
    snprintf(path, sizeof path, "%s/demand.geojson", out);
    OGRDataSourceH ds = OGROpen(path, 0, NULL);
    CHECK(ds != NULL);
    if (!ds) return;
    OGRLayerH L = OGR_DS_GetLayer(ds, 0);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(L)) != NULL) {
        if (np < 3) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            snprintf(p[np].id, sizeof p[np].id, "%s",
                     OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "id")));
            p[np].lon = OGR_G_GetX(g, 0);
            p[np].lat = OGR_G_GetY(g, 0);
            p[np].t_min = OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "t_day_care_min"));
        }
        np++;
        OGR_F_Destroy(f);
    }
    OGR_DS_Destroy(ds);
    CHECK_INT(np, 3);
    if (np != 3) return;
    /* The routing's times (scenario.yaml works them out by hand): p1 and p2 reach the centre
     * through B, the one-way edge's end; p3 is beyond the 2 minutes. */
    CHECK_STR(p[0].id, "p1");
    CHECK_NEAR(p[0].t_min, 1.62, 1e-9);
    CHECK_NEAR(p[1].t_min, 1.14, 1e-9);
    CHECK_NEAR(p[2].t_min, 3.12, 1e-9);

    snprintf(path, sizeof path, "%s/catchments.geojson", out);
    ds = OGROpen(path, 0, NULL);
    CHECK(ds != NULL);
    if (!ds) return;
    L = OGR_DS_GetLayer(ds, 0);
    f = OGR_L_GetNextFeature(L);
    CHECK(f != NULL);
    if (f) {
        CHECK_NEAR(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "reached_elderly")), 30, 0);
        OGR_F_Destroy(f);
    }
    cc_geom_polys area;
    CHECK(read_polys(L, &area));
    OGR_DS_Destroy(ds);
    CHECK_INT(area.n, 1);
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    cc_polyset *ps = NULL;
    size_t repaired = 0;
    CHECK_INT(cc_geom_polyset_create(ctx, area.n, area.feat_part, area.part_coord, area.part_hole,
                                     area.x, area.y, &ps, &repaired),
              CC_OK);
    CHECK_INT(repaired, 0);
    double x[3] = {p[0].lon, p[1].lon, p[2].lon}, y[3] = {p[0].lat, p[1].lat, p[2].lat};
    int32_t in[3] = {-2, -2, -2};
    if (ps) CHECK_INT(cc_geom_polyset_locate(ctx, ps, 3, x, y, in), CC_OK);
    /* The service area holds exactly the points routing reaches within the threshold. */
    CHECK_INT(in[0], 0);
    CHECK_INT(in[1], 0);
    CHECK_INT(in[2], -1);
    cc_geom_polyset_destroy(ps);
    free_polys(&area);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    OGRRegisterAll();
    char tmpl[] = "/tmp/cc_outpoly_XXXXXX"; /* short: the paths below fit */
    char *tmp = mkdtemp(tmpl);
    CHECK(tmp != NULL);
    if (!tmp) return cc_test_done();
    test_sample_outputs(tmp);
    test_oneway_service_area(tmp);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
    return cc_test_done();
}
