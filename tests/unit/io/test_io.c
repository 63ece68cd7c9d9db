/* SPDX-License-Identifier: Apache-2.0 */
/* io: vector, coordinate-table, OSM and raster readers, validation messages, info, writer. */
#include "carecircle/io.h"
#include "cc_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FX CC_FIXTURES "/io/"

static cc_ctx *ctx;

#include "io_test_util.h"

/* Even-odd point-in-polygon over all rings of feature i. */
static int inside(const cc_geomcol *g, size_t i, double x, double y)
{
    int in = 0;
    for (size_t p = g->feat_part[i]; p < g->feat_part[i + 1]; p++)
        for (size_t a = g->part_coord[p], b = g->part_coord[p + 1] - 1, k = a; k < b + 1; k++) {
            size_t j = (k == a) ? b : k - 1;
            if ((g->y[k] > y) != (g->y[j] > y) &&
                x < g->x[j] + (y - g->y[j]) * (g->x[k] - g->x[j]) / (g->y[k] - g->y[j]))
                in = !in;
        }
    return in;
}

static void test_gpkg_points(void)
{
    const char *nums[] = {"beds", "capacity"};
    const char *strs[] = {"kind", "no_such_column"};
    cc_vector_request r = base(FX "facilities.gpkg");
    r.layer = "facilities";
    r.name_field = "name";
    r.num_fields = nums;
    r.n_num = 2;
    r.str_fields = strs;
    r.n_str = 2;
    r.num_allow_null = 1;
    r.num_nonneg = 1;
    r.expect = CC_GEOM_POINT;
    r.want_geometry = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (!L) return;
    CHECK_INT(L->n, 4);
    CHECK_STR(L->driver, "GPKG");
    CHECK_STR(L->layer_name, "facilities");
    CHECK_INT(L->crs_geographic, 1);
    CHECK_INT(L->crs_epsg, 4326);
    CHECK(L->crs && strstr(L->crs, "WGS 84"));
    CHECK_INT(L->fid[0], 1);
    CHECK_INT(L->fid[3], 4);
    CHECK_STR(L->id[2], "3");
    CHECK_STR(L->name[0], "Alpha");
    CHECK_STR(L->name[1], "Beta 日间照料中心");
    CHECK(L->name[3] == NULL);
    CHECK_NEAR(L->num[0][1], 20, 0);
    CHECK_NEAR(L->num[0][3], 0, 0);
    CHECK_NEAR(L->num[1][0], 12.5, 0);
    CHECK_NEAR(L->num[1][2], 7.25, 0);
    CHECK(isnan(L->num[1][3]));
    CHECK_STR(L->str[0][2], "childcare");
    CHECK(L->str[1][0] == NULL && L->str[1][3] == NULL);
    CHECK_NEAR(L->rep_x[2], 114.32, 1e-12);
    CHECK_NEAR(L->rep_y[2], 30.52, 1e-12);
    CHECK_NEAR(L->extent[0], 114.30, 1e-12);
    CHECK_NEAR(L->extent[3], 30.53, 1e-12);
    CHECK_INT(L->geom.kind, CC_GEOM_POINT);
    CHECK_INT(L->geom.n_parts, 4);
    CHECK_INT(L->geom.feat_part[4], 4);
    CHECK_NEAR(L->geom.x[1], 114.31, 1e-12);
    CHECK_NEAR(L->cell_w, 0, 0);
    /* The empty text column goes, the other stays; then every attribute goes, the geometry
       stays (the road network's memory, pipeline/load_network.c and network.c). */
    cc_layer_drop_empty_text(L);
    CHECK(L->str[1] == NULL);
    CHECK(L->str[0] != NULL);
    CHECK_STR(L->str[0][2], "childcare");
    cc_layer_drop_attributes(L);
    CHECK(!L->id && !L->name && !L->num && !L->str && !L->fid && !L->rep_x && !L->rep_y);
    CHECK_INT(L->n_num + L->n_str, 0);
    CHECK_INT(L->n, 4);
    CHECK_NEAR(L->geom.x[1], 114.31, 1e-12);
    CHECK_STR(L->layer_name, "facilities");
    cc_layer_destroy(L);

    /* where: two features; no layer given picks the first point layer. */
    r.layer = NULL;
    r.where = "beds >= 10";
    r.want_geometry = 0;
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_STR(L->name[1], "Beta 日间照料中心");
        CHECK(L->geom.x == NULL);
        CHECK_INT(L->geom.kind, CC_GEOM_POINT);
        CHECK_NEAR(L->rep_x[1], 114.31, 1e-12);
    }
    cc_layer_destroy(L);

    r.layer = "facilities";
    r.where = "kind = 'hospital'";
    READ_FAIL(r, "layer 'facilities': no features match where \"kind = 'hospital'\"");
    r.where = "beds >>> 3";
    READ_FAIL(r, "invalid where expression \"beds >>> 3\"");
    r.where = "bedz > 3";
    READ_FAIL(r, "invalid where expression");
    r.where = NULL;

    /* Nulls not allowed. */
    r.num_allow_null = 0;
    READ_FAIL(r, "facilities.gpkg: feature 4: field 'capacity' is empty");
    r.num_allow_null = 1;

    /* A misspelt field: list and suggestion. */
    const char *bad[] = {"bedz"};
    r.num_fields = bad;
    r.n_num = 1;
    READ_FAIL(r, "field 'bedz' not found (fields: name, beds, capacity, kind); did you mean "
                 "'beds'?");
    r.name_field = "title";
    r.n_num = 0;
    READ_FAIL(r, "name_field 'title' not found");
    r.name_field = "name";
    r.num_fields = nums;
    r.n_num = 2;

    /* Wrong geometry kind. */
    r.expect = CC_GEOM_LINE;
    READ_FAIL(r, "layer 'facilities': points given where lines are needed (test)");
    r.expect = CC_GEOM_POINT;

    /* Unknown layer lists the layers. */
    r.layer = "facilitys";
    READ_FAIL(r, "layer 'facilitys' not found (layers: facilities, projected, nocrs, negatives, "
                 "nan_line, outofrange, swapped_geom, empty)");
    r.layer = "empty";
    READ_FAIL(r, "layer 'empty' has no features");
    r.layer = "negatives";
    READ_FAIL(r, "feature 2: field 'beds' is negative (-3)");
    r.num_nonneg = 0;
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) CHECK_NEAR(L->num[0][1], -3, 0);
    cc_layer_destroy(L);
    r.layer = "nan_line";
    r.expect = CC_GEOM_NONE;
    r.n_num = 0;
    r.n_str = 0;
    r.name_field = NULL;
    READ_FAIL(r, "facilities.gpkg: feature 2: a coordinate is NaN or infinite");
    r.layer = "outofrange";
    READ_FAIL(r, "feature 2: coordinate (500000, 3375000) is out of range for a geographic CRS");
    r.layer = "swapped_geom";
    READ_FAIL(r, "coordinates look swapped");

    /* CRS: missing, overridden, projected. */
    r.layer = "nocrs";
    READ_FAIL(r, "layer 'nocrs' has no CRS; set crs: EPSG:xxxx for this layer (test)");
    r.crs_override = "EPSG:4547";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_STR(L->crs, "EPSG:4547");
        CHECK_INT(L->crs_epsg, 4547);
        CHECK_INT(L->crs_geographic, 0);
        CHECK_NEAR(L->rep_x[0], 1.0, 0);
    }
    cc_layer_destroy(L);
    r.layer = "facilities";
    r.crs_override = "gcj-02";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_STR(L->crs, "gcj-02");
        CHECK_INT(L->crs_geographic, 1);
        CHECK_INT(L->crs_epsg, 0);
    }
    cc_layer_destroy(L);
    r.crs_override = "EPSG:99999999";
    READ_FAIL(r, "crs 'EPSG:99999999' is not a coordinate system GDAL/PROJ knows");
    r.crs_override = NULL;
    r.layer = "projected";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->crs_epsg, 4547);
        CHECK_INT(L->crs_geographic, 0);
        CHECK_NEAR(L->rep_x[1], 500250.5, 0);
        CHECK_NEAR(L->rep_y[1], 3375100.25, 0);
    }
    cc_layer_destroy(L);
}

static void test_shapefile_gbk(void)
{
    const char *nums[] = {"slots"};
    cc_vector_request r = base(FX "gbk/shops.shp");
    r.name_field = "name";
    r.num_fields = nums;
    r.n_num = 1;
    r.encoding = "GBK";
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 3);
        CHECK_STR(L->name[0], "幼儿园");
        CHECK_STR(L->name[1], "日间照料中心");
        CHECK_STR(L->name[2], "Plain ASCII");
        CHECK_NEAR(L->num[0][1], 12, 0);
        CHECK_INT(L->crs_epsg, 4326);
        CHECK_STR(L->id[0], "0");
    }
    cc_layer_destroy(L);
    r.encoding = NULL;
    READ_FAIL(r, "shops.shp: feature 0: field 'name' is not valid UTF-8; declare its encoding, "
                 "e.g. encoding: GBK");
    r.encoding = "NO-SUCH-ENCODING";
    READ_FAIL(r, "encoding 'NO-SUCH-ENCODING' is not known");
}

static void test_geojson_polygons(void)
{
    const char *nums[] = {"pop"};
    cc_vector_request r = base(FX "polygons.geojson");
    r.id_field = "pid";
    r.num_fields = nums;
    r.n_num = 1;
    r.expect = CC_GEOM_POLYGON;
    r.want_geometry = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (!L) return;
    const cc_geomcol *g = &L->geom;
    CHECK_INT(L->n, 4);
    CHECK_INT(g->kind, CC_GEOM_POLYGON);
    CHECK_STR(L->id[1], "holed");
    CHECK_NEAR(L->num[0][1], 250.5, 0);
    CHECK_INT(g->feat_part[1] - g->feat_part[0], 1);
    CHECK_INT(g->feat_part[2] - g->feat_part[1], 2);
    CHECK_INT(g->part_hole[g->feat_part[1]], 0);
    CHECK_INT(g->part_hole[g->feat_part[1] + 1], 1);
    CHECK_INT(g->feat_part[4] - g->feat_part[3], 2);
    CHECK_INT(g->n_parts, 6);
    /* Rings are closed: 5 coordinates for a square. */
    CHECK_INT(g->part_coord[1] - g->part_coord[0], 5);
    for (size_t i = 0; i < L->n; i++)
        CHECK(inside(g, i, L->rep_x[i], L->rep_y[i]));
    /* Holed square: not in the hole although the box centre is. */
    CHECK(!(L->rep_x[1] > 114.11 && L->rep_x[1] < 114.12 && L->rep_y[1] > 30.01 &&
            L->rep_y[1] < 30.02));
    CHECK_NEAR(L->rep_y[1], 30.015, 1e-9);
    /* U shape: in a leg, on the scan line halfway between 30.01 and 30.03. */
    CHECK_NEAR(L->rep_y[2], 30.02, 1e-9);
    CHECK(L->rep_x[2] < 114.21 || L->rep_x[2] > 114.22);
    /* Multipolygon: in the larger second part, at its centre. */
    CHECK_NEAR(L->rep_x[3], 114.41, 1e-9);
    CHECK_NEAR(L->rep_y[3], 30.01, 1e-9);
    CHECK_NEAR(L->rep_x[0], 114.005, 1e-9);
    CHECK_NEAR(L->extent[2], 114.42, 1e-12);
    CHECK_INT(L->crs_epsg, 4326);
    cc_layer_destroy(L);

    r.expect = CC_GEOM_POINT;
    READ_FAIL(r, "polygons given where points are needed");
}

static void test_csv(void)
{
    const char *nums[] = {"slots"};
    cc_vector_request r = base(FX "lonlat.csv");
    r.x_field = "lon";
    r.y_field = "lat";
    r.id_field = "id";
    r.name_field = "name";
    r.num_fields = nums;
    r.n_num = 1;
    r.num_allow_null = 1;
    r.expect = CC_GEOM_POINT;
    r.want_geometry = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 3);
        CHECK_STR(L->id[0], "c1");
        CHECK_STR(L->name[1], "Rainbow, East");
        CHECK_STR(L->name[2], "小星星");
        CHECK_NEAR(L->rep_x[0], 114.301, 1e-12);
        CHECK_NEAR(L->rep_y[2], 30.503, 1e-12);
        CHECK_NEAR(L->num[0][0], 40, 0);
        CHECK(isnan(L->num[0][1]));
        CHECK_INT(L->crs_epsg, 4326);
        CHECK_INT(L->crs_geographic, 1);
        CHECK_INT(L->geom.n_coords, 3);
        CHECK_NEAR(L->geom.y[1], 30.502, 1e-12);
    }
    cc_layer_destroy(L);
    r.num_allow_null = 0;
    READ_FAIL(r, "lonlat.csv: line 3: field 'slots' is empty");
    r.num_allow_null = 1;
    r.x_field = "longitude";
    READ_FAIL(r, "x_field 'longitude' not found (fields: id, name, lon, lat, slots)");
    r.x_field = "lon";
    r.expect = CC_GEOM_LINE;
    READ_FAIL(r, "points (from x_field/y_field) given where lines are needed");
    r.expect = CC_GEOM_POINT;

    cc_vector_request s = base(FX "swapped.csv");
    s.x_field = "lon";
    s.y_field = "lat";
    READ_FAIL(s, "coordinates look swapped");
    READ_FAIL(s, "swap x_field and y_field");

    cc_vector_request b = base(FX "badcoord.csv");
    b.x_field = "lon";
    b.y_field = "lat";
    READ_FAIL(b, "badcoord.csv: line 3: column 'lat' value 'abc' is not a number");
    b.path = FX "badnum.csv";
    b.num_fields = nums;
    b.n_num = 1;
    READ_FAIL(b, "badnum.csv: line 4: field 'slots' value 'many' is not a number");

    cc_vector_request p = base(FX "projected.csv");
    p.x_field = "x";
    p.y_field = "y";
    READ_FAIL(p, "has no CRS and its coordinates are not longitude/latitude; set crs: EPSG:xxxx");
    p.crs_override = "EPSG:4547";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &p, &L), CC_OK);
    if (L) {
        CHECK_NEAR(L->rep_x[0], 500000, 0);
        CHECK_NEAR(L->rep_y[0], 3375000, 0);
        CHECK_INT(L->crs_epsg, 4547);
    }
    cc_layer_destroy(L);

    /* A GBK-encoded CSV: recoded by us (GDAL's CSV driver has no encoding option). */
    cc_vector_request e = base(FX "gbk_names.csv");
    e.x_field = "lon";
    e.y_field = "lat";
    e.name_field = "name";
    READ_FAIL(e, "gbk_names.csv: line 2: field 'name' is not valid UTF-8; declare its encoding");
    e.encoding = "GBK";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &e, &L), CC_OK);
    if (L) {
        CHECK_STR(L->name[0], "托育中心");
        CHECK_STR(L->name[1], "Plain");
    }
    cc_layer_destroy(L);

    /* The network reader passes x_field only to get this message; the column need not exist. */
    cc_vector_request n = base(FX "lonlat.csv");
    n.x_field = "nope_x";
    n.y_field = "nope_y";
    n.expect = CC_GEOM_LINE;
    READ_FAIL(n, "lonlat.csv: layer 'lonlat': points (from x_field/y_field) given where lines "
                 "are needed (test)");

    n.x_field = n.y_field = NULL;
    n.expect = CC_GEOM_POINT;
    READ_FAIL(n, "layer 'lonlat' has no geometry; for a table with coordinate columns set x_field "
                 "and y_field (columns: id, name, lon, lat, slots)");

    cc_vector_request g = base(FX "range.csv");
    g.x_field = "lon";
    g.y_field = "lat";
    g.crs_override = "EPSG:4326";
    READ_FAIL(g, "range.csv: line 3: coordinate (200.5, 30.5) is out of range");
}

static void test_xlsx(void)
{
    const char *nums[] = {"slots"};
    cc_vector_request r = base(FX "childcare.xlsx");
    r.x_field = "lng";
    r.y_field = "lat";
    r.name_field = "name";
    r.num_fields = nums;
    r.n_num = 1;
    r.num_nonneg = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_STR(L->driver, "XLSX");
        CHECK_STR(L->name[0], "阳光幼儿园");
        CHECK_NEAR(L->rep_x[0], 114.3051, 1e-12);
        CHECK_NEAR(L->rep_y[1], 30.5063, 1e-12);
        CHECK_NEAR(L->num[0][0], 60, 0);
        CHECK_NEAR(L->num[0][1], 35, 0);
        CHECK_INT(L->crs_epsg, 4326);
    }
    cc_layer_destroy(L);
    r.y_field = "latt";
    READ_FAIL(r, "y_field 'latt' not found (fields: name, lng, lat, slots); did you mean 'lat'?");
}

static void test_osm(void)
{
    const char *strs[] = {"highway", "foot",  "oneway", "maxspeed", "sidewalk",
                          "bridge",  "layer", "access", "tunnel",   NULL};
    cc_vector_request r = base(FX "ways.osm");
    r.role = "network";
    r.expect = CC_GEOM_LINE;
    r.name_field = "name";
    r.str_fields = strs;
    r.n_str = 10; /* a NULL column name reads as all NULL */
    r.want_geometry = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_STR(L->layer_name, "lines");
        CHECK_STR(L->driver, "OSM");
        CHECK_INT(L->n, 3);
        CHECK_INT(L->fid[0], 101);
        CHECK_INT(L->fid[2], 103);
        CHECK_STR(L->str[0][0], "footway");
        CHECK_STR(L->str[0][1], "primary");
        CHECK_STR(L->str[0][2], "residential");
        CHECK_STR(L->str[1][0], "designated");
        CHECK(L->str[1][1] == NULL);
        CHECK_STR(L->str[1][2], "no");
        CHECK_STR(L->str[2][1], "yes");
        CHECK_STR(L->str[3][1], "50");
        CHECK_STR(L->str[4][1], "both");
        CHECK_STR(L->str[5][2], "yes");
        CHECK_STR(L->str[6][2], "1");
        CHECK_STR(L->str[7][2], "private");
        CHECK_STR(L->str[8][2], "no");
        CHECK(L->str[9][0] == NULL && L->str[9][2] == NULL);
        CHECK_STR(L->name[0], "光谷步行街");
        CHECK_INT(L->crs_epsg, 4326);
        CHECK_INT(L->geom.kind, CC_GEOM_LINE);
        CHECK_INT(L->geom.part_coord[1], 3);
        CHECK_NEAR(L->geom.x[2], 114.301, 1e-9);
        CHECK_NEAR(L->geom.y[2], 30.501, 1e-9);
        /* Middle vertex of the 3-vertex way 101. */
        CHECK_NEAR(L->rep_x[0], 114.301, 1e-9);
        CHECK_NEAR(L->rep_y[0], 30.500, 1e-9);
    }
    cc_layer_destroy(L);
    /* Not a network: the stream and the fence are lines too. */
    r.role = "other";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 5);
        CHECK(L->str[0][3] == NULL);
    }
    cc_layer_destroy(L);
    /* A network with an extra where. */
    r.role = "network";
    r.where = "highway <> 'primary'";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_INT(L->fid[1], 103);
    }
    cc_layer_destroy(L);
    /* Points: the kindergarten node, amenity exposed by the built-in configuration. */
    const char *pstr[] = {"amenity"};
    cc_vector_request p = base(FX "ways.osm");
    p.expect = CC_GEOM_POINT;
    p.name_field = "name";
    p.str_fields = pstr;
    p.n_str = 1;
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &p, &L), CC_OK);
    if (L) {
        CHECK_STR(L->layer_name, "points");
        CHECK_INT(L->n, 1);
        CHECK_STR(L->str[0][0], "kindergarten");
        CHECK_STR(L->name[0], "小太阳幼儿园");
        CHECK_NEAR(L->rep_x[0], 114.3005, 1e-9);
    }
    cc_layer_destroy(L);
}

static void test_raster(void)
{
    const char *ab[] = {FX "pop_a.tif", FX "pop_b.tif"};
    cc_raster_request r;
    memset(&r, 0, sizeof r);
    r.paths = ab;
    r.n_paths = 2;
    r.role = "demand.elderly";
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_raster_cells(ctx, &r, &L), CC_OK);
    if (L) {
        /* a = [[1.5, 0, nd], [-2, NaN, 4]], b = [[1, 0, 3], [2, 5, nd]] */
        CHECK_INT(L->n, 5);
        int64_t fids[] = {0, 2, 3, 4, 5};
        double vals[] = {2.5, 3, 2, 5, 4};
        for (size_t i = 0; i < 5 && i < L->n; i++) {
            CHECK_INT(L->fid[i], fids[i]);
            CHECK_NEAR(L->num[0][i], vals[i], 1e-12);
            CHECK_NEAR(L->rep_x[i], 500000 + ((double)(fids[i] % 3) + 0.5) * 100, 1e-9);
            CHECK_NEAR(L->rep_y[i], 3400000 - ((double)(fids[i] / 3) + 0.5) * 100, 1e-9);
        }
        CHECK_STR(L->id[1], "2");
        CHECK_NEAR(L->cell_w, 100, 0);
        CHECK_NEAR(L->cell_h, 100, 0);
        CHECK_NEAR(L->extent[0], 500000, 0);
        CHECK_NEAR(L->extent[1], 3399800, 0);
        CHECK_NEAR(L->extent[2], 500300, 0);
        CHECK_NEAR(L->extent[3], 3400000, 0);
        CHECK_INT(L->crs_epsg, 32650);
        CHECK_INT(L->crs_geographic, 0);
        CHECK_INT(L->geom.kind, CC_GEOM_NONE);
        CHECK_INT(L->n_num, 1);
    }
    cc_layer_destroy(L);
    /* One file alone. */
    r.n_paths = 1;
    L = NULL;
    CHECK_INT(cc_io_read_raster_cells(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_NEAR(L->num[0][0], 1.5, 0);
        CHECK_NEAR(L->num[0][1], 4, 0);
        CHECK_INT(L->fid[1], 5);
    }
    cc_layer_destroy(L);

    const char *shifted[] = {FX "pop_a.tif", FX "pop_shifted.tif"};
    r.paths = shifted;
    r.n_paths = 2;
    L = (cc_layer *)1;
    CHECK_INT(cc_io_read_raster_cells(ctx, &r, &L), CC_ERR_DATA);
    CHECK(L == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "pop_a.tif and ");
    CHECK_CONTAINS(cc_ctx_message(ctx), "pop_shifted.tif are not on the same grid (different "
                                        "origin)");
    const char *wide[] = {FX "pop_a.tif", FX "pop_wide.tif"};
    r.paths = wide;
    CHECK_INT(cc_io_read_raster_cells(ctx, &r, &L), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "not on the same grid (size 3x2 vs 4x2)");
    r.paths = ab;
    r.band = 2;
    CHECK_INT(cc_io_read_raster_cells(ctx, &r, &L), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "pop_a.tif: band 2 requested but the raster has 1 band");
    r.band = 0;
    const char *vec[] = {FX "polygons.geojson"};
    r.paths = vec;
    r.n_paths = 1;
    CHECK(cc_io_read_raster_cells(ctx, &r, &L) != CC_OK);
    CHECK_CONTAINS(cc_ctx_message(ctx), "polygons.geojson: cannot be read as a raster dataset");
}

static void test_source_kind_and_file_errors(void)
{
    int is_raster = -1;
    CHECK_INT(cc_io_source_kind(ctx, FX "pop_a.tif", &is_raster), CC_OK);
    CHECK_INT(is_raster, 1);
    CHECK_INT(cc_io_source_kind(ctx, FX "facilities.gpkg", &is_raster), CC_OK);
    CHECK_INT(is_raster, 0);
    CHECK_INT(cc_io_source_kind(ctx, FX "ways.osm", &is_raster), CC_OK);
    CHECK_INT(is_raster, 0);
    CHECK_INT(cc_io_source_kind(ctx, FX "childcare.xlsx", &is_raster), CC_OK);
    CHECK_INT(is_raster, 0);
    CHECK_INT(cc_io_source_kind(ctx, FX "missing.tif", &is_raster), CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "missing.tif: file not found");

    cc_vector_request r = base(FX "does_not_exist.gpkg");
    READ_FAIL(r, "does_not_exist.gpkg: file not found");
    r.path = FX "corrupt.gpkg";
    READ_FAIL(r, "corrupt.gpkg: cannot be read as a vector dataset (");
    r.path = FX "empty.geojson";
    READ_FAIL(r, "empty.geojson: the file is empty (0 bytes)");
    r.path = FX "pop_a.tif";
    READ_FAIL(r, "pop_a.tif: is a raster, not a vector layer");
    r.path = "https://example.com/roads.geojson";
    READ_FAIL(r, "network sources are not read");
    r.path = "/vsicurl/http://example.com/x.gpkg";
    READ_FAIL(r, "network sources are not read");
    if (geteuid() != 0) {
        /* Unreadable file (root ignores permissions, so only as a normal user). */
        char tmp[] = "/tmp/cc_io_unreadable_XXXXXX";
        int fd = mkstemp(tmp);
        if (fd >= 0) {
            CHECK(write(fd, "x", 1) == 1);
            close(fd);
            chmod(tmp, 0);
            r.path = tmp;
            READ_FAIL(r, "not readable");
            unlink(tmp);
        }
    }
}

static void test_info(void)
{
    cc_buf b = {0};
    CHECK_INT(cc_io_info(ctx, FX "facilities.gpkg", &b), CC_OK);
    CHECK_CONTAINS(b.s, "driver: GPKG (GeoPackage)");
    CHECK_CONTAINS(b.s, "layers: 8");
    CHECK_CONTAINS(b.s, "layer 1: facilities\n  geometry: Point\n  crs: WGS 84 (EPSG:4326), "
                        "geographic\n  features: 4\n");
    CHECK_CONTAINS(b.s, "extent: 114.3, 30.5 - 114.33, 30.53");
    CHECK_CONTAINS(b.s, "fields (4): name (String), beds (Integer), capacity (Real), kind "
                        "(String)");
    CHECK_CONTAINS(b.s, "layer 2: projected");
    CHECK_CONTAINS(b.s, "(EPSG:4547), projected\n  features: 2");
    CHECK_CONTAINS(b.s, "layer 8: empty\n  geometry: Point\n  crs: WGS 84 (EPSG:4326), "
                        "geographic\n  features: 0");
    cc_buf_reset(&b);
    CHECK_INT(cc_io_info(ctx, FX "pop_b.tif", &b), CC_OK);
    CHECK_CONTAINS(b.s, "driver: GTiff");
    CHECK_CONTAINS(b.s, "raster: 3 x 2 cells, 1 band");
    CHECK_CONTAINS(b.s, "band 1: Int16, nodata -9999");
    CHECK_CONTAINS(b.s, "geotransform: 500000, 100, 0, 3400000, 0, -100");
    CHECK_CONTAINS(b.s, "(EPSG:32650), projected");
    CHECK_CONTAINS(b.s, "extent: 500000, 3399800 - 500300, 3400000");
    cc_buf_reset(&b);
    CHECK_INT(cc_io_info(ctx, FX "ways.osm", &b), CC_OK);
    CHECK_CONTAINS(b.s, "layer 2: lines\n  geometry: Line String");
    CHECK_CONTAINS(b.s, "sidewalk (String)");
    cc_buf_reset(&b);
    CHECK_INT(cc_io_info(ctx, FX "nothing_here.gpkg", &b), CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "nothing_here.gpkg: file not found");
    cc_buf_free(&b);
}

static void test_write_roundtrip(void)
{
    char dir[] = "/tmp/cc_io_test_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char path[256], gj[256];
    snprintf(path, sizeof path, "%s/out.gpkg", dir);
    snprintf(gj, sizeof gj, "%s/out.geojson", dir);

    /* Layer 1: three points with int, real (one null) and string (one null) fields. */
    size_t fp[] = {0, 1, 2, 3}, pc[] = {0, 1, 2, 3};
    unsigned char ph[] = {0, 0, 0};
    double px[] = {114.1, 114.2, 114.3}, py[] = {30.1, 30.2, 30.3};
    cc_geomcol pts = {CC_GEOM_POINT, 3, 3, fp, pc, ph, px, py};
    int64_t ids[] = {7, 8, 9};
    double score[] = {1.5, NAN, -2.25};
    const char *label[] = {"一", NULL, "three, with comma"};
    cc_out_field f1[] = {{"nid", CC_FIELD_INT, ids},
                         {"score", CC_FIELD_REAL, score},
                         {"label", CC_FIELD_STRING, label}};
    CHECK_INT(cc_io_write_layer(ctx, path, "GPKG", "sites", 0, "EPSG:4326", &pts, 3, f1, 3), CC_OK);

    /* Layer 2: a polygon with a hole and a two-part multipolygon (rings left open). */
    size_t zfp[] = {0, 2, 4};
    size_t zpc[] = {0, 5, 10, 14, 18};
    unsigned char zph[] = {0, 1, 0, 0};
    double zx[] = {0, 100, 100, 0, 0, 40, 40, 60, 60, 40, 200, 210, 210, 200, 300, 330, 330, 300};
    double zy[] = {0, 0, 100, 100, 0, 40, 60, 60, 40, 40, 0, 0, 10, 10, 0, 0, 30, 30};
    cc_geomcol zones = {CC_GEOM_POLYGON, 4, 18, zfp, zpc, zph, zx, zy};
    int64_t zid[] = {1, 2};
    cc_out_field f2[] = {{"zid", CC_FIELD_INT, zid}};
    CHECK_INT(cc_io_write_layer(ctx, path, "GPKG", "zones", 1, "EPSG:4547", &zones, 2, f2, 1),
              CC_OK);
    CHECK_INT(cc_io_write_layer(ctx, path, "GPKG", "zones", 1, "EPSG:4547", &zones, 2, f2, 1),
              CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "already has a layer 'zones'");

    const char *nums[] = {"nid", "score"};
    const char *strs[] = {"label"};
    cc_vector_request r = base(path);
    r.layer = "sites";
    r.num_fields = nums;
    r.n_num = 2;
    r.str_fields = strs;
    r.n_str = 1;
    r.num_allow_null = 1;
    r.want_geometry = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 3);
        CHECK_NEAR(L->num[0][2], 9, 0);
        CHECK_NEAR(L->num[1][0], 1.5, 0);
        CHECK(isnan(L->num[1][1]));
        CHECK_NEAR(L->num[1][2], -2.25, 0);
        CHECK_STR(L->str[0][0], "一");
        CHECK(L->str[0][1] == NULL);
        CHECK_STR(L->str[0][2], "three, with comma");
        CHECK_NEAR(L->rep_x[1], 114.2, 0);
        CHECK_NEAR(L->rep_y[2], 30.3, 0);
        CHECK_INT(L->crs_epsg, 4326);
    }
    cc_layer_destroy(L);

    const char *znum[] = {"zid"};
    cc_vector_request z = base(path);
    z.layer = "zones";
    z.num_fields = znum;
    z.n_num = 1;
    z.expect = CC_GEOM_POLYGON;
    z.want_geometry = 1;
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &z, &L), CC_OK);
    if (L) {
        const cc_geomcol *g = &L->geom;
        CHECK_INT(L->n, 2);
        CHECK_INT(L->crs_epsg, 4547);
        CHECK_NEAR(L->num[0][1], 2, 0);
        CHECK_INT(g->n_parts, 4);
        CHECK_INT(g->feat_part[1], 2);
        CHECK_INT(g->part_hole[1], 1);
        CHECK_INT(g->part_hole[2], 0);
        CHECK_INT(g->part_hole[3], 0);
        /* Closed ring 0 kept 5 coordinates; open rings of feature 2 were closed (4 -> 5). */
        CHECK_INT(g->part_coord[1], 5);
        CHECK_INT(g->part_coord[3] - g->part_coord[2], 5);
        CHECK_INT(g->n_coords, 20);
        CHECK_NEAR(g->x[6], 40, 0);
        CHECK_NEAR(g->y[6], 60, 0);
        CHECK_NEAR(g->x[14], 200, 0);
        CHECK_NEAR(g->y[14], 0, 0);
        /* Feature 1's interior point avoids the hole; feature 2's lies in its larger part. */
        CHECK(inside(g, 0, L->rep_x[0], L->rep_y[0]));
        CHECK(L->rep_x[1] > 300 && L->rep_x[1] < 330);
        CHECK_NEAR(L->extent[2], 330, 0);
    }
    cc_layer_destroy(L);

    /* GeoJSON in EPSG:4326, a table-free write check. */
    CHECK_INT(cc_io_write_layer(ctx, gj, "GeoJSON", "sites", 0, "EPSG:4326", &pts, 3, f1, 3),
              CC_OK);
    r.path = gj;
    r.layer = NULL;
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 3);
        CHECK_STR(L->str[0][2], "three, with comma");
        CHECK_NEAR(L->rep_x[2], 114.3, 1e-7);
    }
    cc_layer_destroy(L);
    CHECK_INT(cc_io_write_layer(ctx, gj, "GeoJSON", "more", 1, "EPSG:4326", &pts, 3, f1, 3),
              CC_ERR_IO);
    CHECK_INT(cc_io_write_layer(ctx, gj, "NoSuchDriver", "x", 0, NULL, NULL, 0, NULL, 0),
              CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "'NoSuchDriver' is not a GDAL vector driver");

    unlink(path);
    unlink(gj);
    rmdir(dir);
}

/* Every allocation failure while reading returns CC_ERR_NOMEM cleanly (checked by valgrind). */
static void test_alloc_failures(void)
{
    const char *nums[] = {"beds"};
    const char *strs[] = {"kind"};
    cc_vector_request r = base(FX "facilities.gpkg");
    r.layer = "facilities";
    r.name_field = "name";
    r.num_fields = nums;
    r.n_num = 1;
    r.str_fields = strs;
    r.n_str = 1;
    r.want_geometry = 1;
    int ok = 0, nomem = 0, other = 0;
    for (long nth = 1; nth < 200 && !ok; nth++) {
        cc_layer *L = NULL;
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = cc_io_read_vector(ctx, &r, &L);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            ok = 1;
            CHECK_INT(L->n, 4);
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
}

int main(void)
{
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_gpkg_points();
    test_shapefile_gbk();
    test_geojson_polygons();
    test_csv();
    test_xlsx();
    test_osm();
    test_raster();
    test_source_kind_and_file_errors();
    test_info();
    test_write_roundtrip();
    test_alloc_failures();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
