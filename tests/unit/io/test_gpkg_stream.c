/* SPDX-License-Identifier: Apache-2.0 */
/*
 * io: the GeoPackage fast path (GDAL's Arrow stream, WKB decoded by the reader) against the
 * feature-by-feature reader (CARECIRCLE_GPKG_ARROW=NO). Every array of the layer must be the
 * same bit for bit, and every bad input must give the same message, whichever path reads it.
 * The layers are made here with OGR: lines in several batches (more than 65,536 features),
 * multi-parts, Z coordinates, nulls, text numbers, unused fields and a where filter on one,
 * polygons with holes, points, and one layer per input problem.
 */
#include "carecircle/io.h"
#include "cc_test.h"
#include "io/io_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cc_ctx *ctx;
static char dir[] = "/tmp/cc_gpkg_stream_XXXXXX";
static char path[512];
static int n_create_failed; /* features OGR would not write (checked to be 0) */

/* ---- making the GeoPackage ---- */

static OGRLayerH new_layer(GDALDatasetH ds, const char *name, OGRwkbGeometryType type, int epsg)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, epsg);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayerH l = GDALDatasetCreateLayer(ds, name, srs, type, NULL);
    OSRRelease(srs);
    return l;
}

static void add_field(OGRLayerH l, const char *name, OGRFieldType t)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, t);
    OGR_L_CreateField(l, fd, 1);
    OGR_Fld_Destroy(fd);
}

/* One feature: geometry from WKT (NULL = none) or g; fields as "name=value" pairs, a value
 * of "\x01" leaves the field null. */
static void add_feature(OGRLayerH l, const char *wkt, OGRGeometryH g, const char *const *kv,
                        int nkv)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    for (int i = 0; i < nkv; i++) {
        const char *eq = strchr(kv[i], '=');
        char name[64];
        size_t n = (size_t)(eq - kv[i]);
        memcpy(name, kv[i], n);
        name[n] = '\0';
        int idx = OGR_F_GetFieldIndex(f, name);
        if (strcmp(eq + 1, "\x01") == 0)
            OGR_F_SetFieldNull(f, idx);
        else
            OGR_F_SetFieldString(f, idx, eq + 1);
    }
    if (wkt) {
        char *w = (char *)wkt;
        OGR_G_CreateFromWkt(&w, NULL, &g);
    }
    if (g) OGR_F_SetGeometryDirectly(f, g);
    if (OGR_L_CreateFeature(l, f) != OGRERR_NONE) n_create_failed++;
    OGR_F_Destroy(f);
}

#define N_ROADS 70000 /* more than one stream batch (65,536) */

static void make_roads(GDALDatasetH ds)
{
    OGRLayerH l = new_layer(ds, "roads", wkbUnknown, 32650);
    add_field(l, "osm_id", OFTInteger64);
    add_field(l, "highway", OFTString);
    add_field(l, "name", OFTString);
    add_field(l, "lanes", OFTInteger);
    add_field(l, "width", OFTReal);
    add_field(l, "pop", OFTString);
    add_field(l, "note", OFTString);  /* never asked for */
    add_field(l, "keep", OFTInteger); /* only in a where filter */
    static const char *const hw[] = {"residential", "footway", "primary", "service", "steps"};
    char kv[8][96], wkt[256];
    const char *kvp[8];
    for (int i = 0; i < 8; i++)
        kvp[i] = kv[i];
    GDALDatasetStartTransaction(ds, 0);
    for (int i = 0; i < N_ROADS; i++) {
        double x = 450000 + (i % 300) * 10.0, y = 3370000 + (i / 300) * 10.0;
        if (i % 11 == 0)
            snprintf(wkt, sizeof wkt,
                     "MULTILINESTRING ((%.3f %.3f,%.3f %.3f),(%.3f %.3f,%.3f %.3f,%.3f %.3f))", x,
                     y, x + 3, y, x, y + 1, x + 4, y + 1, x + 9, y + 2);
        else if (i % 7 == 0)
            snprintf(wkt, sizeof wkt, "LINESTRING Z (%.3f %.3f 1,%.3f %.3f 2,%.3f %.3f 3)", x, y,
                     x + 5, y + 0.25, x + 10, y);
        else
            snprintf(wkt, sizeof wkt, "LINESTRING (%.3f %.3f,%.3f %.3f)", x, y, x + 10, y);
        snprintf(kv[0], sizeof kv[0], "osm_id=%lld", 5000000000LL + i);
        snprintf(kv[1], sizeof kv[1], "highway=%s", i % 13 == 0 ? "\x01" : hw[i % 5]);
        if (i % 3 == 0)
            snprintf(kv[2], sizeof kv[2], "name=\xe8\xa1\x97 %d", i); /* 街 */
        else
            snprintf(kv[2], sizeof kv[2], "name=%s", i % 3 == 1 ? "\x01" : "Main St");
        snprintf(kv[3], sizeof kv[3], "lanes=%s", i % 5 == 0 ? "\x01" : (i % 2 ? "2" : "1"));
        snprintf(kv[4], sizeof kv[4], "width=%.17g", 2.5 + i * 1e-3);
        snprintf(kv[5], sizeof kv[5], "pop=%s", i % 4 == 0 ? " 12.5 " : (i % 4 == 1 ? "" : "7"));
        snprintf(kv[6], sizeof kv[6], "note=n%d", i);
        snprintf(kv[7], sizeof kv[7], "keep=%d", i % 9 == 0);
        add_feature(l, wkt, NULL, kvp, 8);
    }
    GDALDatasetCommitTransaction(ds);
}

static void make_small(GDALDatasetH ds)
{
    OGRLayerH l = new_layer(ds, "polys", wkbUnknown, 4326);
    add_field(l, "zone", OFTString);
    add_field(l, "people", OFTInteger64);
    const char *kv1[] = {"zone=A", "people=120"}, *kv2[] = {"zone=B", "people=\x01"};
    add_feature(l,
                "POLYGON ((113 22,113.1 22,113.1 22.1,113 22.1,113 22),"
                "(113.02 22.02,113.02 22.05,113.05 22.05,113.02 22.02))",
                NULL, kv1, 2);
    add_feature(l,
                "MULTIPOLYGON (((114 22,114.01 22,114 22.01,114 22)),"
                "((114.1 22,114.3 22,114.3 22.2,114.1 22)))",
                NULL, kv2, 2);
    add_feature(l, "POLYGON Z ((115 23 5,115.1 23 5,115 23.1 5,115 23 5))", NULL, kv1, 2);

    l = new_layer(ds, "pts", wkbUnknown, 4326);
    add_field(l, "cap", OFTReal);
    add_field(l, "code", OFTInteger);
    const char *p1[] = {"cap=3.5", "code=7"}, *p2[] = {"cap=\x01", "code=-2"};
    add_feature(l, "POINT (113.5 22.5)", NULL, p1, 2);
    add_feature(l, "MULTIPOINT ((113.6 22.6),(113.7 22.7))", NULL, p2, 2);
    add_feature(l, "POINT Z (113.8 22.8 40)", NULL, p1, 2);
    /* fids with a gap (feature 2 deleted) */
    l = new_layer(ds, "holes", wkbPoint, 32650);
    add_field(l, "v", OFTReal);
    for (int i = 0; i < 5; i++) {
        char kv[32], wkt[64];
        const char *kvp[] = {kv};
        snprintf(kv, sizeof kv, "v=%d.25", i);
        snprintf(wkt, sizeof wkt, "POINT (%d %d)", 100 + i, 200 - i);
        add_feature(l, wkt, NULL, kvp, 1);
    }
    if (OGR_L_DeleteFeature(l, 2) != OGRERR_NONE) n_create_failed++;
    /* a multi with an empty member: OGR skips it, so the stream hands this one back */
    l = new_layer(ds, "emptymember", wkbUnknown, 32650);
    add_feature(l, "MULTILINESTRING ((0 0,1 1),EMPTY,(2 2,3 3))", NULL, NULL, 0);
    add_feature(l, "LINESTRING (5 5,6 6)", NULL, NULL, 0);
}

/* One layer per input problem, each with a good first feature. */
static void make_bad(GDALDatasetH ds)
{
    const char *good[] = {"id=1", "cnt=3", "txt=5"};
    struct {
        const char *layer, *wkt, *id, *cnt, *txt;
    } cases[] = {
        {"neg", "LINESTRING (0 0,1 1)", "id=2", "cnt=-3", "txt=1"},
        {"nogeom", NULL, "id=2", "cnt=1", "txt=1"},
        {"emptygeom", "LINESTRING EMPTY", "id=2", "cnt=1", "txt=1"},
        {"noid", "LINESTRING (0 0,1 1)", "id=\x01", "cnt=1", "txt=1"},
        {"mixed", "POINT (0 0)", "id=2", "cnt=1", "txt=1"},
        {"coll", "GEOMETRYCOLLECTION (POINT (0 0))", "id=2", "cnt=1", "txt=1"},
        {"badnum", "LINESTRING (0 0,1 1)", "id=2", "cnt=1", "txt=12 km"},
        {"nullnum", "LINESTRING (0 0,1 1)", "id=2", "cnt=\x01", "txt=1"},
        {"curve", "CIRCULARSTRING (0 0,1 1,2 0)", "id=2", "cnt=1", "txt=1"},
        {"nan", "", "id=2", "cnt=1", "txt=1"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        OGRLayerH l = new_layer(ds, cases[c].layer, wkbUnknown, 32650);
        add_field(l, "id", OFTString);
        add_field(l, "cnt", OFTInteger);
        add_field(l, "txt", OFTString);
        add_feature(l, "LINESTRING (10 10,20 20)", NULL, good, 3);
        const char *kv[] = {cases[c].id, cases[c].cnt, cases[c].txt};
        OGRGeometryH g = NULL;
        const char *wkt = cases[c].wkt;
        if (wkt && !*wkt) { /* NaN vertex */
            g = OGR_G_CreateGeometry(wkbLineString);
            OGR_G_AddPoint_2D(g, 0, 0);
            OGR_G_AddPoint_2D(g, NAN, 1);
            wkt = NULL;
        }
        add_feature(l, wkt, g, kv, 3);
    }
}

/* ---- reading both ways ---- */

static cc_layer *read_as(const cc_vector_request *r, int stream, cc_status *st, char *msg,
                         size_t cap)
{
    CPLSetConfigOption("CARECIRCLE_GPKG_ARROW", stream ? NULL : "NO");
    cc_layer *L = NULL;
    long before = cc__io_stream_layers();
    *st = cc_io_read_vector(ctx, r, &L);
    long used = cc__io_stream_layers() - before;
    CPLSetConfigOption("CARECIRCLE_GPKG_ARROW", NULL);
    snprintf(msg, cap, "%s", *st ? cc_ctx_message(ctx) : "");
    if (!stream) CHECK_INT(used, 0);
    return L;
}

static int same_doubles(const double *a, const double *b, size_t n)
{
    return n == 0 || (a && b && memcmp(a, b, n * sizeof *a) == 0);
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The layer read through the stream (which must be used: expect_stream) equals the layer
 * read feature by feature; returns the stream's layer (caller destroys). */
static cc_layer *both_ways(const cc_vector_request *r, int expect_stream)
{
    char m1[1024], m2[1024];
    cc_status s1, s2;
    long before = cc__io_stream_layers();
    cc_layer *A = read_as(r, 1, &s1, m1, sizeof m1);
    CHECK_INT(cc__io_stream_layers() - before, expect_stream);
    cc_layer *B = read_as(r, 0, &s2, m2, sizeof m2);
    CHECK_INT(s1, CC_OK);
    CHECK_INT(s2, CC_OK);
    if (!A || !B) {
        fprintf(stderr, "read failed: %s / %s\n", m1, m2);
        cc_layer_destroy(A);
        cc_layer_destroy(B);
        return NULL;
    }
    CHECK_INT(A->n, B->n);
    CHECK_INT(A->geom.kind, B->geom.kind);
    CHECK_STR(A->crs, B->crs);
    CHECK_INT(A->crs_epsg, B->crs_epsg);
    CHECK(memcmp(A->extent, B->extent, sizeof A->extent) == 0);
    size_t n = A->n < B->n ? A->n : B->n;
    CHECK(memcmp(A->fid, B->fid, n * sizeof *A->fid) == 0);
    CHECK(same_doubles(A->rep_x, B->rep_x, n));
    CHECK(same_doubles(A->rep_y, B->rep_y, n));
    size_t bad_id = 0, bad_name = 0, bad_str = 0;
    for (size_t i = 0; i < n; i++) {
        bad_id += !same_str(A->id[i], B->id[i]);
        bad_name +=
            (A->name || B->name) && !(A->name && B->name && same_str(A->name[i], B->name[i]));
        for (size_t k = 0; k < A->n_str; k++)
            bad_str += !same_str(A->str[k][i], B->str[k][i]);
    }
    CHECK_INT(bad_id, 0);
    CHECK_INT(bad_name, 0);
    CHECK_INT(bad_str, 0);
    for (size_t k = 0; k < A->n_num; k++)
        CHECK(same_doubles(A->num[k], B->num[k], n)); /* NaN bits too */
    const cc_geomcol *g = &A->geom, *h = &B->geom;
    CHECK_INT(g->n_parts, h->n_parts);
    CHECK_INT(g->n_coords, h->n_coords);
    if (g->feat_part && h->feat_part && g->n_parts == h->n_parts && g->n_coords == h->n_coords) {
        CHECK(memcmp(g->feat_part, h->feat_part, (n + 1) * sizeof *g->feat_part) == 0);
        CHECK(memcmp(g->part_coord, h->part_coord, (g->n_parts + 1) * sizeof *g->part_coord) == 0);
        CHECK(memcmp(g->part_hole, h->part_hole, g->n_parts) == 0);
        CHECK(same_doubles(g->x, h->x, g->n_coords));
        CHECK(same_doubles(g->y, h->y, g->n_coords));
    } else {
        CHECK(!g->feat_part && !h->feat_part);
    }
    cc_layer_destroy(B);
    return A;
}

static cc_vector_request req(const char *layer)
{
    cc_vector_request r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.layer = layer;
    r.role = "test";
    return r;
}

static void test_roads(void)
{
    const char *nums[] = {"lanes", "width", "pop"};
    const char *strs[] = {"highway", "no_such_field"};
    cc_vector_request r = req("roads");
    r.id_field = "osm_id";
    r.name_field = "name";
    r.num_fields = nums;
    r.n_num = 3;
    r.num_allow_null = 1;
    r.num_nonneg = 1;
    r.str_fields = strs;
    r.n_str = 2;
    r.expect = CC_GEOM_LINE;
    r.want_geometry = 1;
    cc_layer *L = both_ways(&r, 1);
    if (L) {
        CHECK_INT(L->n, N_ROADS);
        CHECK_INT(L->fid[0], 1);
        CHECK_STR(L->id[0], "5000000000");
        CHECK_STR(L->id[N_ROADS - 1], "5000069999");
        CHECK_STR(L->name[3], "\xe8\xa1\x97 3");
        CHECK(L->name[1] == NULL);
        CHECK(L->str[0][13] == NULL);
        CHECK_STR(L->str[0][1], "footway");
        CHECK(L->str[1][1] == NULL);
        CHECK(isnan(L->num[0][5]));
        CHECK_NEAR(L->num[0][1], 2, 0);
        CHECK_NEAR(L->num[2][4], 12.5, 0);
        CHECK(isnan(L->num[2][5]));
        /* feature 12 (i = 11) is a two-part multiline: the longer part's middle vertex */
        CHECK_INT(L->geom.feat_part[12] - L->geom.feat_part[11], 2);
        CHECK_NEAR(L->rep_x[11], 450000 + 11 * 10.0 + 4, 1e-9);
        /* feature 8 (i = 7) has Z: read past, the middle vertex of three */
        CHECK_NEAR(L->rep_y[7], 3370000.25, 1e-9);
    }
    cc_layer_destroy(L);

    /* A where filter on a field the request does not read (the query does not select it). */
    r.where = "keep = 1";
    L = both_ways(&r, 1);
    if (L) {
        CHECK_INT(L->n, (N_ROADS + 8) / 9);
        CHECK_INT(L->fid[1], 10);
    }
    cc_layer_destroy(L);

    /* Ids from the fid, no geometry kept. */
    r.where = NULL;
    r.id_field = NULL;
    r.name_field = NULL;
    r.want_geometry = 0;
    L = both_ways(&r, 1);
    if (L) {
        CHECK_STR(L->id[N_ROADS - 1], "70000");
        CHECK(L->geom.x == NULL);
    }
    cc_layer_destroy(L);
}

static void test_polygons_points(void)
{
    const char *nums[] = {"people"};
    cc_vector_request r = req("polys");
    r.id_field = "zone";
    r.num_fields = nums;
    r.n_num = 1;
    r.num_allow_null = 1;
    r.expect = CC_GEOM_POLYGON;
    r.want_geometry = 1;
    cc_layer *L = both_ways(&r, 1);
    if (L) {
        CHECK_INT(L->n, 3);
        CHECK_INT(L->geom.n_parts, 5);
        CHECK_INT(L->geom.part_hole[1], 1);
        CHECK_NEAR(L->num[0][0], 120, 0);
        CHECK_INT(L->crs_geographic, 1);
    }
    cc_layer_destroy(L);

    const char *pn[] = {"cap", "code"};
    cc_vector_request p = req("pts");
    p.num_fields = pn;
    p.n_num = 2;
    p.num_allow_null = 1;
    p.name_field = "code"; /* an integer read as text */
    p.want_geometry = 1;
    L = both_ways(&p, 1);
    if (L) {
        CHECK_INT(L->n, 3);
        CHECK_STR(L->name[1], "-2");
        CHECK_NEAR(L->rep_x[1], 113.6, 0);
        CHECK_INT(L->geom.n_parts, 4);
    }
    cc_layer_destroy(L);

    /* Gaps in the fids; and only the geometry (no field at all). */
    const char *hn[] = {"v"};
    cc_vector_request h = req("holes");
    h.num_fields = hn;
    h.n_num = 1;
    h.want_geometry = 1;
    L = both_ways(&h, 1);
    if (L) {
        CHECK_INT(L->n, 4);
        CHECK_INT(L->fid[2], 4);
        CHECK_STR(L->id[2], "4");
        CHECK_NEAR(L->num[0][2], 3.25, 0);
        CHECK_NEAR(L->rep_y[3], 196, 0);
    }
    cc_layer_destroy(L);
    h.num_fields = NULL;
    h.n_num = 0;
    L = both_ways(&h, 1);
    if (L) CHECK_INT(L->geom.n_coords, 4);
    cc_layer_destroy(L);

    /* The empty member sends the layer to the feature reader; same result either way. */
    cc_vector_request e = req("emptymember");
    e.want_geometry = 1;
    L = both_ways(&e, 0);
    if (L) CHECK_INT(L->geom.n_parts, 3);
    cc_layer_destroy(L);
}

/* Each problem gives the feature reader's message, naming the feature, on both paths. */
static void test_problems(void)
{
    struct {
        const char *layer, *fragment;
    } cases[] = {
        {"neg", "feature 2: field 'cnt' is negative (-3)"},
        {"nogeom", "feature 2 has no geometry"},
        {"emptygeom", "feature 2 has no geometry"},
        {"noid", "feature 2: id field 'id' is empty"},
        {"mixed", "feature 2: points mixed with lines"},
        {"coll", "feature 2: Geometry Collection geometries are not supported"},
        {"badnum", "feature 2: field 'txt' value '12 km' is not a number"},
        {"nullnum", "feature 2: field 'cnt' is empty"},
        {"nan", "feature 2: a coordinate is NaN or infinite"},
    };
    const char *nums[] = {"cnt", "txt"};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        cc_vector_request r = req(cases[c].layer);
        r.id_field = "id";
        r.num_fields = nums;
        r.n_num = 2;
        r.num_nonneg = 1;
        r.want_geometry = 1;
        char m1[1024], m2[1024];
        cc_status s1, s2;
        cc_layer *A = read_as(&r, 1, &s1, m1, sizeof m1);
        cc_layer *B = read_as(&r, 0, &s2, m2, sizeof m2);
        CHECK(A == NULL && B == NULL);
        CHECK(s1 != CC_OK);
        CHECK_INT(s1, s2);
        CHECK_STR(m1, m2);
        CHECK_CONTAINS(m1, cases[c].fragment);
        cc_layer_destroy(A);
        cc_layer_destroy(B);
    }
    /* A curve is made linear by OGR: the feature reader takes it (same result). */
    cc_vector_request r = req("curve");
    r.want_geometry = 1;
    cc_layer *L = both_ways(&r, 0);
    if (L) CHECK(L->geom.n_coords > 3);
    cc_layer_destroy(L);
    /* A where expression SQLite rejects. */
    r = req("neg");
    r.where = "nosuch = 1";
    char m1[1024], m2[1024];
    cc_status s1, s2;
    cc_layer *A = read_as(&r, 1, &s1, m1, sizeof m1);
    cc_layer *B = read_as(&r, 0, &s2, m2, sizeof m2);
    CHECK(A == NULL && B == NULL);
    CHECK_STR(m1, m2);
    CHECK_CONTAINS(m1, "invalid where expression \"nosuch = 1\"");
}

/* Out of memory at every allocation of a stream read: a clean CC_ERR_NOMEM each time. */
static void test_alloc_failures(void)
{
    const char *nums[] = {"people"};
    cc_vector_request r = req("polys");
    r.id_field = "zone";
    r.num_fields = nums;
    r.n_num = 1;
    r.num_allow_null = 1;
    r.want_geometry = 1;
    int ok = 0, nomem = 0, other = 0;
    long before = cc__io_stream_layers();
    for (long nth = 1; nth < 400 && !ok; nth++) {
        cc_layer *L = NULL;
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = cc_io_read_vector(ctx, &r, &L);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            ok = 1;
            CHECK_INT(L->n, 3);
        } else if (st == CC_ERR_NOMEM) {
            nomem++;
            CHECK(L == NULL);
        } else {
            other++;
        }
        cc_layer_destroy(L);
    }
    CHECK(ok);
    CHECK(nomem > 10);
    CHECK_INT(other, 0);
    CHECK_INT(cc__io_stream_layers() - before, 1); /* only the run that succeeded */
}

int main(void)
{
    if (cc_ctx_create(&ctx) != CC_OK || !mkdtemp(dir)) return 1;
    GDALAllRegister();
    snprintf(path, sizeof path, "%s/layers.gpkg", dir);
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds) return 1;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    make_roads(ds);
    make_small(ds);
    make_bad(ds);
    CPLPopErrorHandler();
    GDALClose(ds);
    CHECK_INT(n_create_failed, 0);
    test_roads();
    test_polygons_points();
    test_problems();
    test_alloc_failures();
    unlink(path);
    rmdir(dir);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
