/* SPDX-License-Identifier: Apache-2.0 */
/*
 * io: GeoPackage writing through cc_io_writer. The packed spatial index must hold exactly the
 * entries GDAL's own index would (same ids, same float boxes), pass SQLite's rtreecheck(),
 * answer spatial filters and stay maintained by the triggers on later edits; a layer written by
 * two threads must equal the one-thread result row for row (count, extent, index included);
 * failures leave no file (and no part file) behind.
 */
#include "carecircle/io.h"
#include "cc_test.h"

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static cc_ctx *ctx;
static char dir[256];

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* All rows of `sql` as one FNV-1a hash of their fields' text; *rows gets the row count and
   *first the first column of the first row (as text, NULL when none; caller frees). */
static uint64_t query(const char *path, const char *sql, long *rows, char **first)
{
    uint64_t h = 1469598103934665603u;
    *rows = -1;
    if (first) *first = NULL;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds) return 0;
    OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (r) {
        OGRFeatureH f;
        *rows = 0;
        while ((f = OGR_L_GetNextFeature(r))) {
            int nf = OGR_F_GetFieldCount(f);
            for (int j = 0; j < nf; j++) {
                const char *s = OGR_F_IsFieldSetAndNotNull(f, j) ? OGR_F_GetFieldAsString(f, j)
                                                                 : "<null>";
                if (first && !*first && *rows == 0 && j == 0) *first = strdup(s);
                for (const char *p = s; *p; p++)
                    h = (h ^ (unsigned char)*p) * 1099511628211u;
                h = (h ^ 0x1f) * 1099511628211u;
            }
            (*rows)++;
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(ds, r);
    }
    GDALClose(ds);
    return h;
}

/* First column of the first row of `sql` as text (caller frees), NULL when none. */
static char *query1(const char *path, const char *sql)
{
    long rows;
    char *s = NULL;
    query(path, sql, &rows, &s);
    return s;
}

static long query_long(const char *path, const char *sql)
{
    char *s = query1(path, sql);
    long v = s ? atol(s) : -1;
    free(s);
    return v;
}

/* Features inside a box through GDAL's spatial filter (which uses the index), as a hash of
   their fids that does not depend on their order (the tree's shape decides it), and their
   count in *n. */
static uint64_t filter_fids(const char *path, const char *layer, double x0, double y0, double x1,
                            double y1, long *n)
{
    uint64_t h = 0;
    *n = -1;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds) return 0;
    OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
    if (l) {
        *n = 0;
        OGR_L_SetSpatialFilterRect(l, x0, y0, x1, y1);
        OGRFeatureH f;
        while ((f = OGR_L_GetNextFeature(l))) {
            uint64_t v = (uint64_t)OGR_F_GetFID(f) * 0x9E3779B97F4A7C15u;
            h += v ^ (v >> 29);
            (*n)++;
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
    return h;
}

/* ---- test data: points with fields, some without geometry; polygons with holes ---- */

typedef struct pts {
    size_t n;
    size_t *fp, *pc;
    double *x, *y;
    int64_t *k;
    double *v;
    const char **s;
    char (*sbuf)[24];
    cc_geomcol g;
    cc_out_field f[3];
} pts;

/* n points on a scrambled grid; every 97th has no geometry, every 13th a null v. */
static void pts_make(pts *P, size_t n)
{
    memset(P, 0, sizeof *P);
    P->n = n;
    P->fp = malloc((n + 1) * sizeof *P->fp);
    P->pc = malloc((n + 1) * sizeof *P->pc);
    P->x = malloc(n * sizeof *P->x);
    P->y = malloc(n * sizeof *P->y);
    P->k = malloc(n * sizeof *P->k);
    P->v = malloc(n * sizeof *P->v);
    P->s = malloc(n * sizeof *P->s);
    P->sbuf = malloc(n * sizeof *P->sbuf);
    size_t parts = 0;
    P->fp[0] = 0;
    P->pc[0] = 0;
    uint64_t r = 88172645463325252u;
    for (size_t i = 0; i < n; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        if (i % 97 != 50) {
            P->x[parts] = 114.0 + (double)(r % 100000) * 1e-6 + 1e-9 * (double)(i % 7);
            P->y[parts] = 30.0 + (double)((r >> 20) % 100000) * 1e-6 + 3e-10 * (double)i;
            parts++;
            P->pc[parts] = parts;
        }
        P->fp[i + 1] = parts;
        P->k[i] = (int64_t)(i * 7) - 50;
        P->v[i] = i % 13 == 0 ? NAN : (double)i / 8.0;
        snprintf(P->sbuf[i], sizeof P->sbuf[i], "p%zu", i);
        P->s[i] = i % 11 == 3 ? NULL : P->sbuf[i];
    }
    cc_geomcol g = {CC_GEOM_POINT, parts, parts, P->fp, P->pc, NULL, P->x, P->y};
    P->g = g;
    P->f[0] = (cc_out_field){"k", CC_FIELD_INT, P->k};
    P->f[1] = (cc_out_field){"v", CC_FIELD_REAL, P->v};
    P->f[2] = (cc_out_field){"s", CC_FIELD_STRING, P->s};
}

static void pts_free(pts *P)
{
    free(P->fp);
    free(P->pc);
    free(P->x);
    free(P->y);
    free(P->k);
    free(P->v);
    free(P->s);
    free(P->sbuf);
}

/* The same points written by GDAL alone (its own spatial index), as the reference. */
static void write_reference(const char *path, const pts *P)
{
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRSetFromUserInput(srs, "EPSG:4326");
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayerH l = GDALDatasetCreateLayer(ds, "pts", srs, wkbPoint, NULL);
    OGRFieldDefnH fd[3] = {OGR_Fld_Create("k", OFTInteger64), OGR_Fld_Create("v", OFTReal),
                           OGR_Fld_Create("s", OFTString)};
    for (int j = 0; j < 3; j++) {
        OGR_L_CreateField(l, fd[j], TRUE);
        OGR_Fld_Destroy(fd[j]);
    }
    GDALDatasetStartTransaction(ds, FALSE);
    for (size_t i = 0; i < P->n; i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGR_F_SetFieldInteger64(f, 0, P->k[i]);
        if (isnan(P->v[i]))
            OGR_F_SetFieldNull(f, 1);
        else
            OGR_F_SetFieldDouble(f, 1, P->v[i]);
        if (P->s[i])
            OGR_F_SetFieldString(f, 2, P->s[i]);
        else
            OGR_F_SetFieldNull(f, 2);
        if (P->fp[i + 1] > P->fp[i]) {
            OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(g, 0, P->x[P->fp[i]], P->y[P->fp[i]]);
            OGR_F_SetGeometryDirectly(f, g);
        }
        if (OGR_L_CreateFeature(l, f) != OGRERR_NONE) CHECK(!"reference feature");
        OGR_F_Destroy(f);
    }
    GDALDatasetCommitTransaction(ds);
    GDALClose(ds);
    OSRDestroySpatialReference(srs);
}

#define RTREE_ROWS "SELECT id, minx, maxx, miny, maxy FROM rtree_pts_geom ORDER BY id"
#define PTS_ROWS "SELECT fid, hex(geom), k, v, s FROM pts ORDER BY fid"

/* The index of our file holds GDAL's entries, is a valid tree and answers filters. */
static void check_index_like(const char *ours, const char *ref, long n_geom)
{
    long ra, rb;
    uint64_t ha = query(ours, RTREE_ROWS, &ra, NULL), hb = query(ref, RTREE_ROWS, &rb, NULL);
    CHECK_INT(ra, n_geom);
    CHECK_INT(rb, n_geom);
    CHECK(ha == hb);
    char *ok = query1(ours, "SELECT rtreecheck('rtree_pts_geom')");
    CHECK_STR(ok, "ok");
    free(ok);
    ha = query(ours, PTS_ROWS, &ra, NULL);
    hb = query(ref, PTS_ROWS, &rb, NULL);
    CHECK(ra > 0 && ra == rb && ha == hb);
    CHECK_INT(query_long(ours, "SELECT HasSpatialIndex('pts', 'geom')"), 1);
    CHECK_INT(query_long(ours, "SELECT count(*) FROM gpkg_extensions WHERE table_name = 'pts' "
                               "AND extension_name = 'gpkg_rtree_index'"),
              1);
    CHECK_INT(query_long(ours, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                               "name LIKE 'rtree_pts_geom_%'"),
              6);
    /* Same extent and feature count as GDAL records. */
    const char *meta = "SELECT min_x, min_y, max_x, max_y, (SELECT feature_count FROM "
                       "gpkg_ogr_contents WHERE table_name = 'pts') FROM gpkg_contents WHERE "
                       "table_name = 'pts'";
    ha = query(ours, meta, &ra, NULL);
    hb = query(ref, meta, &rb, NULL);
    CHECK(ra == 1 && rb == 1 && ha == hb);
    long fa, fb;
    for (int k = 0; k < 3; k++) {
        double x0 = 114.01 + 0.03 * k, y0 = 30.02 + 0.02 * k;
        uint64_t a = filter_fids(ours, "pts", x0, y0, x0 + 0.011, y0 + 0.013, &fa);
        uint64_t b = filter_fids(ref, "pts", x0, y0, x0 + 0.011, y0 + 0.013, &fb);
        CHECK(fa > 0 && fa == fb && a == b);
    }
}

static void test_index_matches_gdal(void)
{
    char ours[300], ref[300];
    snprintf(ours, sizeof ours, "%s/ours.gpkg", dir);
    snprintf(ref, sizeof ref, "%s/ref.gpkg", dir);
    pts P;
    pts_make(&P, 5000); /* about 100 leaves: a tree of depth 2 */
    cc_ctx_set_threads(ctx, 1);
    CHECK_INT(cc_io_write_layer(ctx, ours, "GPKG", "pts", 0, "EPSG:4326", &P.g, P.n, P.f, 3),
              CC_OK);
    write_reference(ref, &P);
    check_index_like(ours, ref, (long)P.g.n_parts);

    /* The triggers keep the index in step with edits made later (as QGIS would). */
    GDALDatasetH ds = GDALOpenEx(ours, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    OGRLayerH l = ds ? GDALDatasetGetLayerByName(ds, "pts") : NULL;
    CHECK(l != NULL);
    if (l) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, 114.5, 30.5);
        OGR_F_SetGeometryDirectly(f, g);
        CHECK_INT(OGR_L_CreateFeature(l, f), OGRERR_NONE);
        OGR_F_Destroy(f);
        CHECK_INT(OGR_L_DeleteFeature(l, 1), OGRERR_NONE);
        CHECK_INT(OGR_L_DeleteFeature(l, 2), OGRERR_NONE);
    }
    if (ds) GDALClose(ds);
    CHECK_INT(query_long(ours, "SELECT count(*) FROM rtree_pts_geom"), (long)P.g.n_parts - 1);
    CHECK_INT(query_long(ours, "SELECT count(*) FROM rtree_pts_geom WHERE minx <= 114.5 AND "
                               "maxx >= 114.5 AND miny <= 30.5 AND maxy >= 30.5"),
              1);
    char *ok = query1(ours, "SELECT rtreecheck('rtree_pts_geom')");
    CHECK_STR(ok, "ok");
    free(ok);
    unlink(ours);
    unlink(ref);
    pts_free(&P);
}

/* Polygons with holes and multipolygons, and a layer whose features all lack geometry. */
static void test_polygons_and_empty(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/poly.gpkg", dir);
    size_t zfp[] = {0, 2, 4, 4};
    size_t zpc[] = {0, 5, 10, 14, 18};
    unsigned char zph[] = {0, 1, 0, 0};
    double zx[] = {0, 100, 100, 0, 0, 40, 40, 60, 60, 40, 200, 210, 210, 200, 300, 330, 330, 300};
    double zy[] = {0, 0, 100, 100, 0, 40, 60, 60, 40, 40, 0, 0, 10, 10, 0, 0, 30, 30};
    cc_geomcol zones = {CC_GEOM_POLYGON, 4, 18, zfp, zpc, zph, zx, zy};
    int64_t zid[] = {1, 2, 3};
    cc_out_field f = {"zid", CC_FIELD_INT, zid};
    size_t efp[] = {0, 0, 0};
    cc_geomcol none = {CC_GEOM_POINT, 0, 0, efp, zpc, NULL, zx, zy};
    cc_io_writer *w = NULL;
    CHECK_INT(cc_io_writer_open(ctx, path, "GPKG", 0, &w), CC_OK);
    CHECK_INT(cc_io_writer_add_layer(ctx, w, "zones", "EPSG:4547", &zones, 3, &f, 1), CC_OK);
    CHECK_INT(cc_io_writer_add_layer(ctx, w, "nogeom", "EPSG:4326", &none, 2, &f, 1), CC_OK);
    CHECK_INT(cc_io_writer_add_style(ctx, w, "zones", "zones", "<qgis/>", 1), CC_OK);
    CHECK_INT(cc_io_writer_add_layer(ctx, w, "zones", "EPSG:4547", &zones, 3, &f, 1), CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "already has a layer 'zones'");
    CHECK_INT(cc_io_writer_close(ctx, w), CC_OK);
    /* Two boxes (the third feature has no geometry), the multipolygon's box spans both parts. */
    long rows;
    char *first = NULL;
    query(path, "SELECT id, minx, maxx, miny, maxy FROM rtree_zones_geom ORDER BY id", &rows,
          &first);
    CHECK_INT(rows, 2);
    free(first);
    CHECK_INT(query_long(path, "SELECT maxx FROM rtree_zones_geom WHERE id = 2"), 330);
    CHECK_INT(query_long(path, "SELECT minx FROM rtree_zones_geom WHERE id = 2"), 200);
    char *ok = query1(path, "SELECT rtreecheck('rtree_zones_geom')");
    CHECK_STR(ok, "ok");
    free(ok);
    /* An empty index is still a complete one (the triggers need its table). */
    CHECK_INT(query_long(path, "SELECT count(*) FROM rtree_nogeom_geom"), 0);
    ok = query1(path, "SELECT rtreecheck('rtree_nogeom_geom')");
    CHECK_STR(ok, "ok");
    free(ok);
    CHECK_INT(query_long(path, "SELECT count(*) FROM layer_styles WHERE f_table_name = 'zones'"),
              1);
    unlink(path);
}

/* A layer big enough for two threads equals the one-thread file; failures clean up. */
/* Whether two files hold the same bytes. */
static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        if (ca != cb) same = 0;
        if (ca == EOF || cb == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

static void test_two_threads(void)
{
    char one[300], two[300], part[320];
    snprintf(one, sizeof one, "%s/one.gpkg", dir);
    snprintf(two, sizeof two, "%s/two.gpkg", dir);
    snprintf(part, sizeof part, "%s-part", two);
    pts P;
    pts_make(&P, 70001);
    cc_ctx_set_threads(ctx, 1);
    CHECK_INT(cc_io_write_layer(ctx, one, "GPKG", "pts", 0, "EPSG:4326", &P.g, P.n, P.f, 3),
              CC_OK);
    cc_ctx_set_threads(ctx, 2);
    CHECK_INT(cc_io_write_layer(ctx, two, "GPKG", "pts", 0, "EPSG:4326", &P.g, P.n, P.f, 3),
              CC_OK);
    CHECK(!exists(part));
    /* one thread or two: the same bytes (the part file is merged the same way either way) */
    CHECK(same_bytes(one, two));
    check_index_like(two, one, (long)P.g.n_parts);
    CHECK_INT(query_long(two, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                              "'pts'"),
              70001);
    CHECK_INT(query_long(two, "SELECT seq FROM sqlite_sequence WHERE name = 'pts'"), 70001);
    /* GDAL's feature-count triggers are back and counting. */
    CHECK_INT(query_long(two, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                              "tbl_name = 'pts' AND name LIKE 'trigger_%_feature_count_pts'"),
              2);
    GDALDatasetH ds = GDALOpenEx(two, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    OGRLayerH l = ds ? GDALDatasetGetLayerByName(ds, "pts") : NULL;
    if (l) CHECK_INT(OGR_L_GetFeatureCount(l, 0), 70001);
    if (l) CHECK_INT(OGR_L_DeleteFeature(l, 70001), OGRERR_NONE);
    if (ds) GDALClose(ds);
    CHECK_INT(query_long(two, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                              "'pts'"),
              70000);
    unlink(one);
    unlink(two);

    /* A polygon starting with an inner ring among the rows the second thread writes: an error
       naming the feature, and no file left behind. */
    size_t n = 70000;
    unsigned char *hole = calloc(n, 1);
    size_t *rfp = malloc((n + 1) * sizeof *rfp), *rpc = malloc((n + 1) * sizeof *rpc);
    double *rx = malloc(4 * n * sizeof *rx), *ry = malloc(4 * n * sizeof *ry);
    for (size_t i = 0; i <= n; i++) {
        rfp[i] = i;
        rpc[i] = 4 * i;
    }
    for (size_t i = 0; i < n; i++) {
        double x0 = 114 + 1e-4 * (double)(i % 300), y0 = 30 + 1e-4 * (double)(i / 300);
        double cx[4] = {x0, x0 + 5e-5, x0, x0}, cy[4] = {y0, y0, y0 + 5e-5, y0};
        memcpy(rx + 4 * i, cx, sizeof cx);
        memcpy(ry + 4 * i, cy, sizeof cy);
    }
    hole[n - 2] = 1;
    cc_geomcol tri = {CC_GEOM_POLYGON, n, 4 * n, rfp, rpc, hole, rx, ry};
    CHECK_INT(cc_io_write_layer(ctx, two, "GPKG", "tri", 0, "EPSG:4326", &tri, n, NULL, 0),
              CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "feature 69998 starts with an inner ring");
    CHECK(!exists(two));
    CHECK(!exists(part));
    /* The same layer without the bad ring is fine and indexed. */
    hole[n - 2] = 0;
    CHECK_INT(cc_io_write_layer(ctx, two, "GPKG", "tri", 0, "EPSG:4326", &tri, n, NULL, 0), CC_OK);
    CHECK(!exists(part));
    CHECK_INT(query_long(two, "SELECT count(*) FROM rtree_tri_geom"), (long)n);
    char *ok = query1(two, "SELECT rtreecheck('rtree_tri_geom')");
    CHECK_STR(ok, "ok");
    free(ok);
    CHECK_INT(query_long(two, "SELECT count(*) FROM tri"), (long)n);
    unlink(two);
    free(hole);
    free(rfp);
    free(rpc);
    free(rx);
    free(ry);
    pts_free(&P);
}

/* The writer's contract: discard removes what it created; styles need a GeoPackage. */
static void test_writer_contract(void)
{
    char path[300], js[300];
    snprintf(path, sizeof path, "%s/gone.gpkg", dir);
    snprintf(js, sizeof js, "%s/w.geojson", dir);
    size_t fp1[2] = {0, 1}, pc1[2] = {0, 1};
    double x1 = 114, y1 = 30;
    cc_geomcol g1 = {CC_GEOM_POINT, 1, 1, fp1, pc1, NULL, &x1, &y1};
    cc_io_writer *w = NULL;
    CHECK_INT(cc_io_writer_open(ctx, path, "GPKG", 0, &w), CC_OK);
    CHECK_INT(cc_io_writer_add_layer(ctx, w, "a", "EPSG:4326", &g1, 1, NULL, 0), CC_OK);
    CHECK(exists(path));
    cc_io_writer_discard(w);
    CHECK(!exists(path));
    CHECK_INT(cc_io_writer_open(ctx, js, "GeoJSON", 0, &w), CC_OK);
    CHECK_INT(cc_io_writer_add_layer(ctx, w, "a", "EPSG:4326", &g1, 1, NULL, 0), CC_OK);
    CHECK_INT(cc_io_writer_add_style(ctx, w, "a", "a", "<qgis/>", 1), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "not a GeoPackage");
    CHECK_INT(cc_io_writer_close(ctx, w), CC_OK);
    CHECK(exists(js));
    unlink(js);
    CHECK_INT(cc_io_writer_open(ctx, path, "NoSuchDriver", 0, &w), CC_ERR_INVALID);
    CHECK(w == NULL);
    CHECK_INT(cc_io_writer_close(ctx, NULL), CC_OK);
    cc_io_writer_discard(NULL);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/cc_gpkgw_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    GDALAllRegister();
    test_index_matches_gdal();
    test_polygons_and_empty();
    test_two_threads();
    test_writer_contract();
    cc_ctx_destroy(ctx);
    rmdir(dir);
    return cc_test_done();
}
