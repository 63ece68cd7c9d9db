/* SPDX-License-Identifier: Apache-2.0 */
/*
 * io: hostile and broken inputs for the readers (issues 13 and 14): point tables that a
 * raster driver would grid, numbers cut by typed columns, GBK text that passes as UTF-8,
 * FIFOs, network and zip paths, NaN coordinates, empty ids, field names under a Turkish
 * locale, suggestions, where type mismatches, `info` on OSM, messages in valid UTF-8.
 */
#include "carecircle/io.h"
#include "cc_test.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FX CC_FIXTURES "/io/"
#define HX CC_FIXTURES "/io/hostile/"

static cc_ctx *ctx;
static char dir[64];

#include "io_test_util.h"

/* Write text to dir/name; returns the path (static buffer, one at a time per slot). */
static const char *put(int slot, const char *name, const char *text)
{
    static char paths[4][256];
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", dir, name);
    FILE *f = fopen(paths[slot], "wb");
    if (!f) return paths[slot];
    fputs(text, f);
    fclose(f);
    return paths[slot];
}

/* Every byte sequence of s is valid UTF-8. */
static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80                    ? 0
                : (*p >= 0xC2 && *p <= 0xDF) ? 1
                : (*p & 0xF0) == 0xE0        ? 2
                : (*p >= 0xF0 && *p <= 0xF4) ? 3
                                             : -1;
        if (n < 0) return 0;
        p++;
        for (; n > 0; n--, p++)
            if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

/* 13.2: x,y,total,elderly on a regular grid is a table of 9 points, not a 3x3 raster. */
static void test_grid_table(void)
{
    const char *csv = put(0, "grid.csv",
                          "x,y,total,elderly\n"
                          "450000,3372000,100,5\n450100,3372000,100,5\n450200,3372000,100,5\n"
                          "450000,3372100,100,5\n450100,3372100,100,5\n450200,3372100,100,5\n"
                          "450000,3372200,100,5\n450100,3372200,100,5\n450200,3372200,100,5\n");
    int is_raster = -1;
    CHECK_INT(cc_io_source_kind(ctx, csv, &is_raster), CC_OK);
    CHECK_INT(is_raster, 0); /* GDAL's XYZ driver would have taken it */
    const char *nums[] = {"elderly"};
    cc_vector_request r = table(csv, "x", "y", NULL, nums, 1);
    r.crs_override = "EPSG:32650";
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 9);
        double sum = 0;
        for (size_t i = 0; i < L->n; i++)
            sum += L->num[0][i];
        CHECK_NEAR(sum, 45, 0);
        CHECK_STR(L->driver, "CSV");
    }
    cc_layer_destroy(L);
    /* numeric ids on a grid: "Couldn't determine X spacing" before */
    const char *fac = put(1, "fac.csv",
                          "id,x,y,beds\n1,450000,3372000,10\n2,450100,3372000,10\n"
                          "3,450000,3372100,10\n4,450100,3372100,10\n");
    CHECK_INT(cc_io_source_kind(ctx, fac, &is_raster), CC_OK);
    CHECK_INT(is_raster, 0);
    /* the same table named .xyz / .txt is still a table when x_field is set */
    const char *xyz = put(2, "grid.xyz",
                          "x,y,elderly\n450000,3372000,5\n450100,3372000,5\n"
                          "450000,3372100,5\n450100,3372100,5\n");
    r.path = xyz;
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 4);
        CHECK_NEAR(L->num[0][3], 5, 0);
    }
    cc_layer_destroy(L);
    /* a table in a list of rasters is refused, not gridded */
    const char *paths[] = {FX "pop_a.tif", csv};
    cc_raster_request rr = {paths, 2, 1, NULL, "test"};
    L = NULL;
    CHECK_INT(cc_io_read_raster_cells(ctx, &rr, &L), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx),
                   "grid.csv: cannot be read as a raster dataset: it is a table or vector file");
    /* info describes the CSV as a table */
    cc_buf b = {0};
    CHECK_INT(cc_io_info(ctx, csv, &b), CC_OK);
    CHECK(b.s && strstr(b.s, "driver: CSV") && strstr(b.s, "features: 9"));
    cc_buf_free(&b);
    /* real rasters are still rasters */
    CHECK_INT(cc_io_source_kind(ctx, FX "pop_a.tif", &is_raster), CC_OK);
    CHECK_INT(is_raster, 1);
}

/* 13.2 (audit): a spreadsheet's first row is its header even when every cell is text. */
static void test_spreadsheet_header(void)
{
    const char *nums[] = {"beds"};
    cc_vector_request r = table(HX "alltext.xlsx", "lon", "lat", "id", nums, 1);
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_STR(L->id[1], "f2");
        CHECK_NEAR(L->num[0][1], 20, 0);
        CHECK_NEAR(L->rep_x[1], 114.31, 1e-12);
    }
    cc_layer_destroy(L);
    r.path = HX "alltext.xlsx";
    nums[0] = "bed";
    READ_FAIL(r, "alltext.xlsx: layer 'alltext': field 'bed' not found (fields: id, lon, lat, "
                 "beds); did you mean 'beds'?");
}

/* 14.5: numbers are numbers whatever the column type says. */
static void test_numbers(void)
{
    const char *nums[] = {"beds"};
    /* .csvt declares beds Integer: GDAL would give 1, 40 and 2147483647 */
    const char *csv = put(0, "beds.csv",
                          "id,x,y,beds\nf1,1,2,1.5e3\nf2,1,2,40.9\nf3,1,2,99999999999\n"
                          "f4,1,2,12\nf5,1,2,\n");
    put(1, "beds.csvt", "String,Real,Real,Integer\n");
    cc_vector_request r = table(csv, "x", "y", "id", nums, 1);
    r.num_allow_null = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 5);
        CHECK_NEAR(L->num[0][0], 1500, 0);
        CHECK_NEAR(L->num[0][1], 40.9, 0);
        CHECK_NEAR(L->num[0][2], 99999999999.0, 0);
        CHECK_NEAR(L->num[0][3], 12, 0);
        CHECK(isnan(L->num[0][4])); /* empty stays unknown */
    }
    cc_layer_destroy(L);
    /* "1,000" in a typed column: GDAL leaves it unset; an error with the value, not "unknown" */
    r.path = put(0, "comma.csv", "id,x,y,beds\nf1,1,2,7\nf2,1,2,\"1,000\"\n");
    put(1, "comma.csvt", "String,Real,Real,Integer\n");
    READ_FAIL(r, "comma.csv: line 3: field 'beds' value '1,000' is not a number (use '.' as the "
                 "decimal mark");
    /* and in a text column, with the value */
    r.path = put(0, "comma2.csv", "id,x,y,beds\nf1,1,2,7\nf2,1,2,\"1,000\"\n");
    READ_FAIL(r, "comma2.csv: line 3: field 'beds' value '1,000' is not a number");
    /* out of range */
    r.path = put(0, "huge.csv", "id,x,y,beds\nf1,1,2,1e300\n");
    READ_FAIL(r, "huge.csv: line 2: field 'beds' value '1e300' is out of range");
    /* a .dbf whose numeric column holds "1.5e3" and "40.9" (read by GDAL as 1 and 40) */
    cc_vector_request s = base(HX "numtext/beds.shp");
    s.num_fields = nums;
    s.n_num = 1;
    s.id_field = "id";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &s, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 3);
        CHECK_NEAR(L->num[0][0], 1500, 0);
        CHECK_NEAR(L->num[0][1], 40.9, 0);
        CHECK_NEAR(L->num[0][2], 12, 0);
    }
    cc_layer_destroy(L);
    /* a where filter that skips the cut values keeps the good ones as they are */
    s.where = "id = 'c'";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &s, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 1);
        CHECK_NEAR(L->num[0][0], 12, 0);
    }
    cc_layer_destroy(L);
    s.where = "id <> 'a'";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &s, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_NEAR(L->num[0][0], 40.9, 0);
        CHECK_NEAR(L->num[0][1], 12, 0);
    }
    cc_layer_destroy(L);
}

/* The numeric field of a successful read, or NAN (and a failed check) when the read fails. */
static void read_beds(const cc_vector_request *r, size_t n, const double *want)
{
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, r, &L), CC_OK);
    if (!L) return;
    CHECK_INT(L->n, n);
    for (size_t i = 0; i < n && i < L->n; i++) {
        if (isnan(want[i]))
            CHECK(isnan(L->num[0][i]));
        else
            CHECK_NEAR(L->num[0][i], want[i], 0);
    }
    cc_layer_destroy(L);
}

/*
 * 14.5: every cell of a .csvt-typed numeric column that is no number is refused with its line,
 * not only the first of the layer: GDAL warns once per layer (an Integer column's "1.5e3"
 * already uses that warning) and leaves the others unset, like an empty cell.
 */
static void test_csvt_every_cell(void)
{
    const char *nums[] = {"beds"};
    const char *csvt = "String,Real,Real,Integer\n";
    /* the first bad cell at line 5, after an empty cell and a 1.5e3 */
    cc_vector_request r = table(put(0, "bad5.csv",
                                    "id,x,y,beds\nf1,1,2,10\nf2,1,2,\nf3,1,2,1.5e3\n"
                                    "f4,1,2,\"1,000\"\nf5,1,2,abc\n"),
                                "x", "y", "id", nums, 1);
    put(1, "bad5.csvt", csvt);
    r.num_allow_null = 1;
    READ_FAIL(r, "bad5.csv: line 5: field 'beds' value '1,000' is not a number");
    /* the only bad cell on the last line, after valid 1.5e3 values */
    r.path = put(0, "last.csv",
                 "id,x,y,beds\nf1,1,2,1.5e3\nf2,1,2,1.5e3\nf3,1,2,40.9\nf4,1,2,12\n"
                 "f5,1,2,n/a\n");
    put(1, "last.csvt", csvt);
    READ_FAIL(r, "last.csv: line 6: field 'beds' value 'n/a' is not a number");
    /* a count (empty not allowed) says what the cell holds, not that it is empty */
    r.num_allow_null = 0;
    READ_FAIL(r, "last.csv: line 6: field 'beds' value 'n/a' is not a number");
    /* coordinates: the first bad cell in a row a where filter leaves out, the next one read */
    r.path =
        put(0, "coord.csv", "id,x,y,beds\nf1,1,2,1\nf2,abc,2,1\nf3,1,2,1\nf4,1,30;5,1\nf5,1,2,1\n");
    put(1, "coord.csvt", csvt);
    r.where = "id <> 'f2'";
    READ_FAIL(r, "coord.csv: line 5: column 'y' value '30;5' is not a number");
    r.where = NULL;
    READ_FAIL(r, "coord.csv: line 3: column 'x' value 'abc' is not a number");
    /* blank coordinates are still "empty" */
    r.path = put(0, "blankxy.csv", "id,x,y,beds\nf1,1,2,1\nf2,1.5e3,\"  \",1\n");
    put(1, "blankxy.csvt", csvt);
    READ_FAIL(r, "blankxy.csv: line 3: column 'y' is empty; every row needs coordinates");

    /* a valid typed table with empty cells: exact values, also with rows left out */
    r.path = put(0, "valid.csv",
                 "id,x,y,beds\nf1,1,2,1.5e3\nf2,1,2,\nf3,1,2,40.9\nf4,1,2,\"  \"\n"
                 "f5,1,2,7\nf6,1,2,99999999999\n");
    put(1, "valid.csvt", csvt);
    r.num_allow_null = 1;
    const double all[] = {1500, NAN, 40.9, NAN, 7, 99999999999.0};
    read_beds(&r, 6, all);
    r.where = "id <> 'f2' AND id <> 'f3'";
    const double some[] = {1500, NAN, 7, 99999999999.0};
    read_beds(&r, 4, some);
    r.where = NULL;
    /* a Real column likewise, and a folder of CSV files (the layer's file is read again) */
    char sub[128];
    snprintf(sub, sizeof sub, "%s/tables", dir);
    CHECK(mkdir(sub, 0700) == 0);
    put(0, "tables/fac.csv", "id,x,y,beds\nf1,1,2,\nf2,1,2,2.5\nf3,1,2,1 000\n");
    put(1, "tables/fac.csvt", "String,Real,Real,Real\n");
    r.path = sub;
    r.layer = "fac";
    READ_FAIL(r, "tables: line 4: field 'beds' value '1 000' is not a number");
    put(0, "tables/fac.csv", "id,x,y,beds\nf1,1,2,\nf2,1,2,2.5\nf3,1,2,1e3\n");
    const double dir3[] = {NAN, 2.5, 1000};
    read_beds(&r, 3, dir3);
}

/* 14.5: a GeoPackage INTEGER column holding a real or text (SQLite allows it). */
static void test_gpkg_stored_types(void)
{
    const char *nums[] = {"beds"};
    cc_vector_request r = base(HX "mixed.gpkg");
    r.layer = "real";
    r.id_field = "id";
    r.num_fields = nums;
    r.n_num = 1;
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_NEAR(L->num[0][0], 40.9, 0); /* GDAL: 40 */
        CHECK_NEAR(L->num[0][1], 30, 0);
    }
    cc_layer_destroy(L);
    r.layer = "text";
    READ_FAIL(r, "mixed.gpkg: feature 2: field 'beds' value '1,000' is not a number");
}

/* 14.15: NaN coordinates say "not a number"; empty ids are refused with the line. */
static void test_nan_and_ids(void)
{
    cc_vector_request r =
        table(put(0, "nan.csv", "id,x,y\na,114.3,30.5\nb,nan,30.5\n"), "x", "y", "id", NULL, 0);
    put(1, "nan.csvt", "String,Real,Real\n");
    READ_FAIL(r, "nan.csv: line 3: column 'x' value 'nan' is not a number");
    r.path = put(0, "nan2.csv", "id,x,y\na,114.3,30.5\nb,NaN,30.5\n");
    READ_FAIL(r, "nan2.csv: line 3: column 'x' value 'NaN' is not a number");
    r.path = put(0, "noid.csv", "id,x,y\na,114.3,30.5\n,114.4,30.5\n");
    READ_FAIL(r, "noid.csv: line 3: id field 'id' is empty; every feature needs an id");
    r.path = put(0, "blankid.csv", "id,x,y\na,114.3,30.5\n\"  \",114.4,30.5\n");
    READ_FAIL(r, "blankid.csv: line 3: id field 'id' is empty");
}

/* 14.6: GBK Shapefiles without .cpg whose bytes pass as UTF-8 are caught. */
static void test_gbk(void)
{
    cc_vector_request r = base(HX "gbk_nocpg/hosp.shp");
    r.name_field = "name";
    READ_FAIL(r, "hosp.shp: feature 0: field 'name' looks like GBK-encoded Chinese ('全元医院' "
                 "when read as GBK) but the Shapefile declares no encoding (no .cpg); add "
                 "encoding: GBK to this layer");
    r.encoding = "GBK";
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_INT(L->n, 2);
        CHECK_STR(L->name[0], "全元医院");
        CHECK_STR(L->name[1], "Plain");
    }
    cc_layer_destroy(L);
    /* a Chinese field name in GBK: the message says so and stays valid UTF-8 */
    cc_vector_request f = base(HX "gbk_nocpg/fields.shp");
    f.name_field = "名称";
    READ_FAIL(f, "field names look GBK-encoded");
    CHECK(valid_utf8(cc_ctx_message(ctx)));
    f.name_field = "nmae";
    READ_FAIL(f, "name_field 'nmae' not found; the field names look GBK-encoded");
    CHECK(valid_utf8(cc_ctx_message(ctx)));
    f.encoding = "GBK";
    f.name_field = "名称";
    L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &f, &L), CC_OK);
    if (L) CHECK_STR(L->name[0], "Plain");
    cc_layer_destroy(L);
}

/* 14.14 and 14.15: FIFOs, devices, network and zip paths are refused before GDAL opens them. */
static void test_paths(void)
{
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/pipe.csv", dir);
    CHECK_INT(mkfifo(fifo, 0600), 0);
    cc_vector_request r = table(fifo, "x", "y", NULL, NULL, 0);
    READ_FAIL(r, "pipe.csv: is not a regular file (a pipe, terminal or device)");
    int is_raster;
    CHECK_INT(cc_io_source_kind(ctx, fifo, &is_raster), CC_ERR_IO);
    cc_buf b = {0};
    CHECK_INT(cc_io_info(ctx, fifo, &b), CC_ERR_IO);
    cc_buf_free(&b);
    const char *paths[] = {fifo};
    cc_raster_request rr = {paths, 1, 1, NULL, "test"};
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_raster_cells(ctx, &rr, &L), CC_ERR_IO);
    r.path = "/dev/stdin";
    READ_FAIL(r, "/dev/stdin: is not a regular file");
    r.path = "https://example.com/fac.csv";
    READ_FAIL(r, "network sources are not read; download the file first");
    r.path = put(0, "data.zip", "PK\003\004 not really");
    READ_FAIL(r, "data.zip: is a zip archive; give the file inside it as /vsizip/");
    /* /vsi paths stay allowed (GDAL checks them) */
    r.path = "/vsimem/nothing_here.csv";
    READ_FAIL(r, "cannot be read as a vector dataset");
}

/* 14.15: field names match in ASCII whatever the locale (tr_TR folds 'I' differently). */
static void test_turkish_locale(void)
{
    const char *loc = setlocale(LC_ALL, "tr_TR.UTF-8");
    if (!loc) {
        /* Build the locale into the test folder (glibc's localedef reads LOCPATH's). */
        char cmd[512], locdir[128];
        snprintf(locdir, sizeof locdir, "%s/loc", dir);
        snprintf(cmd, sizeof cmd, "localedef -i tr_TR -f UTF-8 '%s/tr_TR.UTF-8' >/dev/null 2>&1",
                 locdir);
        if (mkdir(locdir, 0700) == 0 && system(cmd) == 0) {
            setenv("LOCPATH", locdir, 1);
            loc = setlocale(LC_ALL, "tr_TR.UTF-8");
        }
    }
    if (!loc) {
        printf("tr_TR.UTF-8 not available (set LOCPATH); field-name case test skipped\n");
        return;
    }
    const char *nums[] = {"CAPACITY"};
    cc_vector_request r = table(put(0, "tr.csv", "id,lon,lat,capacity\nf1,114.3,30.5,5\n"), "LON",
                                "LAT", "ID", nums, 1);
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) {
        CHECK_STR(L->id[0], "f1");
        CHECK_NEAR(L->num[0][0], 5, 0);
    }
    cc_layer_destroy(L);
    setlocale(LC_ALL, "C");
}

/* 13.14: suggestions by similarity and type; where type mismatch; OSM info counts. */
static void test_messages(void)
{
    const char *nums[] = {"pop"};
    cc_vector_request r =
        table(put(0, "pop.csv", "id,lon,lat,population,name\na,114.3,30.5,10,x\n"), "lon", "lat",
              NULL, nums, 1);
    READ_FAIL(r, "field 'pop' not found (fields: id, lon, lat, population, name); did you mean "
                 "'population'?");
    nums[0] = "populaton";
    READ_FAIL(r, "did you mean 'population'?");
    nums[0] = "population";
    r.where = "population > 5";
    READ_FAIL(r, "where \"population > 5\" compares a text column with a number (CSV columns are "
                 "text); write CAST(field AS integer)");
    r.where = "CAST(population AS integer) > 5";
    cc_layer *L = NULL;
    CHECK_INT(cc_io_read_vector(ctx, &r, &L), CC_OK);
    if (L) CHECK_INT(L->n, 1);
    cc_layer_destroy(L);

    cc_buf b = {0};
    CHECK_INT(cc_io_info(ctx, FX "ways.osm", &b), CC_OK);
    CHECK(b.s && !strstr(b.s, "unknown"));
    CHECK(b.s && strstr(b.s, "layer 2: lines\n  geometry: Line String\n  crs: WGS 84 (EPSG:4326), "
                             "geographic\n  features: 5\n  extent: 114.3, 30.5 - 114.302, 30.503"));
    CHECK(b.s && strstr(b.s, "layer 1: points") && strstr(b.s, "features: 1\n"));
    cc_buf_free(&b);
}

int main(void)
{
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    snprintf(dir, sizeof dir, "/tmp/cc_hostile_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    test_grid_table();
    test_spreadsheet_header();
    test_numbers();
    test_csvt_every_cell();
    test_gpkg_stored_types();
    test_nan_and_ids();
    test_gbk();
    test_paths();
    test_turkish_locale();
    test_messages();
    cc_ctx_destroy(ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return cc_test_done();
}
