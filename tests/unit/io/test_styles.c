/* SPDX-License-Identifier: Apache-2.0 */
/* io: QGIS styles in a GeoPackage's layer_styles table (schema, rows, defaults, errors). */
#include "carecircle/io.h"
#include "cc_test.h"

#include <gdal.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cc_ctx *ctx;
static char dir[256];

/* A GeoPackage with one point layer "pts" (2 features) and one table "tab". */
static void make_gpkg(const char *path)
{
    size_t fp[3] = {0, 1, 2}, pc[3] = {0, 1, 2};
    unsigned char hole[2] = {0, 0};
    double x[2] = {114.3, 114.4}, y[2] = {30.5, 30.6};
    cc_geomcol g = {CC_GEOM_POINT, 2, 2, fp, pc, hole, x, y};
    int64_t ids[2] = {1, 2};
    cc_out_field fld = {"n", CC_FIELD_INT, ids};
    CHECK_INT(cc_io_write_layer(ctx, path, "GPKG", "pts", 0, "EPSG:4326", &g, 2, &fld, 1), CC_OK);
    CHECK_INT(cc_io_write_layer(ctx, path, "GPKG", "tab", 1, NULL, NULL, 2, &fld, 1), CC_OK);
}

/* One row of `sql` (first column as text, or NULL); *rows gets the row count. */
static char *query1(const char *path, const char *sql, int *rows)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    char *out = NULL;
    *rows = -1;
    if (!ds) return NULL;
    OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (r) {
        OGRFeatureH f;
        *rows = 0;
        while ((f = OGR_L_GetNextFeature(r))) {
            if (!out && OGR_F_IsFieldSetAndNotNull(f, 0))
                out = strdup(OGR_F_GetFieldAsString(f, 0));
            (*rows)++;
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(ds, r);
    }
    GDALClose(ds);
    return out;
}

static void test_add_and_read_back(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/styles.gpkg", dir);
    make_gpkg(path);
    const char *qml = "<!DOCTYPE qgis><qgis version=\"3.22\"><renderer-v2 type=\"singleSymbol\"/>"
                      "<!-- it's quoted --></qgis>\n";
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "pts", "carecircle", qml, 1), CC_OK);

    int rows;
    char *s = query1(path, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'pts'", &rows);
    CHECK_INT(rows, 1);
    CHECK_STR(s, qml); /* byte for byte, quotes and newline included */
    free(s);
    s = query1(path,
               "SELECT f_geometry_column || '|' || f_table_catalog || '|' || f_table_schema || "
               "'|' || styleName || '|' || useAsDefault FROM layer_styles",
               &rows);
    CHECK_STR(s, "geom|||carecircle|1");
    free(s);
    /* update_time gets the column default: an ISO 8601 timestamp of the insertion. */
    s = query1(path,
               "SELECT substr(update_time, 5, 1) || substr(update_time, 11, 1) || "
               "substr(update_time, -1, 1) FROM layer_styles",
               &rows);
    CHECK_STR(s, "-TZ"); /* stored as SQLite text like 2025-01-31T08:00:00.000Z */
    free(s);
    /* Registered like GDAL and QGIS do: a non-spatial 'attributes' table in gpkg_contents. */
    s = query1(path, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'",
               &rows);
    CHECK_STR(s, "attributes");
    free(s);
    /* QGIS's column types: BOOLEAN default flag, TEXT(30) style name, DATETIME time. */
    s = query1(path, "SELECT sql FROM sqlite_master WHERE name = 'layer_styles'", &rows);
    CHECK_CONTAINS(s, "\"useAsDefault\" BOOLEAN");
    CHECK_CONTAINS(s, "\"styleName\" TEXT(30)");
    CHECK_CONTAINS(s, "\"update_time\" DATETIME");
    CHECK_CONTAINS(s, "\"id\" INTEGER PRIMARY KEY AUTOINCREMENT");
    free(s);

    /* A second default for the same layer demotes the first; another layer keeps its own. */
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "pts", "alt", "<qgis/>", 1), CC_OK);
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "tab", "table", "<qgis>t</qgis>", 1), CC_OK);
    s = query1(path,
               "SELECT styleName FROM layer_styles WHERE f_table_name = 'pts' AND useAsDefault",
               &rows);
    CHECK_INT(rows, 1);
    CHECK_STR(s, "alt");
    free(s);
    s = query1(path, "SELECT f_geometry_column FROM layer_styles WHERE f_table_name = 'tab'",
               &rows);
    CHECK_INT(rows, 1);
    CHECK(s == NULL || s[0] == '\0'); /* a table without geometry has no geometry column */
    free(s);
    s = query1(path, "SELECT styleName FROM layer_styles WHERE useAsDefault = 1 ORDER BY id",
               &rows);
    CHECK_INT(rows, 2);
    free(s);
    /* The same name again replaces the row instead of adding one. */
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "pts", "carecircle", "<qgis>v2</qgis>", 0), CC_OK);
    s = query1(path, "SELECT styleQML FROM layer_styles WHERE styleName = 'carecircle'", &rows);
    CHECK_INT(rows, 1);
    CHECK_STR(s, "<qgis>v2</qgis>");
    free(s);
    s = query1(path, "SELECT count(*) FROM layer_styles", &rows);
    CHECK_STR(s, "3");
    free(s);
    /* A layer name with a quote is stored verbatim (SQL literals are escaped). */
    size_t fp1[2] = {0, 1}, pc1[2] = {0, 1};
    double x1 = 1, y1 = 2;
    cc_geomcol g1 = {CC_GEOM_POINT, 1, 1, fp1, pc1, NULL, &x1, &y1};
    CHECK_INT(cc_io_write_layer(ctx, path, "GPKG", "o'brien", 1, "EPSG:4326", &g1, 1, NULL, 0),
              CC_OK);
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "o'brien", "q'uote", "<qgis/>", 1), CC_OK);
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "o'brien", "q'uote", "<qgis>2</qgis>", 1), CC_OK);
    s = query1(path, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'o''brien'", &rows);
    CHECK_INT(rows, 1);
    CHECK_STR(s, "<qgis>2</qgis>");
    free(s);
    /* The data layers are untouched. */
    s = query1(path, "SELECT count(*) FROM pts", &rows);
    CHECK_STR(s, "2");
    free(s);
    unlink(path);
}

static void test_errors(void)
{
    char path[300], js[300];
    snprintf(path, sizeof path, "%s/err.gpkg", dir);
    make_gpkg(path);
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "nope", "s", "<qgis/>", 1), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "layer 'nope' not found (layers: pts, tab)");
    CHECK_INT(
        cc_io_gpkg_add_style(ctx, path, "pts", "a-style-name-that-is-far-too-long", "<q/>", 1),
        CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "longer than 30 characters");
    /* 30 Chinese characters are 90 bytes but within the limit. */
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "pts",
                                   "样式样式样式样式样式样式样式样式样式样式样式样式样式样式样式",
                                   "<q/>", 1),
              CC_OK);
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "pts", "s", NULL, 1), CC_ERR_INVALID);
    /* The style table itself is not a layer to style. */
    CHECK_INT(cc_io_gpkg_add_style(ctx, path, "layer_styles", "s", "<q/>", 1), CC_ERR_INVALID);
    snprintf(js, sizeof js, "%s/missing.gpkg", dir);
    CHECK_INT(cc_io_gpkg_add_style(ctx, js, "pts", "s", "<q/>", 1), CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "missing.gpkg: file not found");
    /* Another format is refused with a clear message. */
    snprintf(js, sizeof js, "%s/pts.geojson", dir);
    size_t fp1[2] = {0, 1}, pc1[2] = {0, 1};
    double x1 = 1, y1 = 2;
    cc_geomcol g1 = {CC_GEOM_POINT, 1, 1, fp1, pc1, NULL, &x1, &y1};
    CHECK_INT(cc_io_write_layer(ctx, js, "GeoJSON", "pts", 0, "EPSG:4326", &g1, 1, NULL, 0), CC_OK);
    CHECK_INT(cc_io_gpkg_add_style(ctx, js, "pts", "s", "<q/>", 1), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "is a GeoJSON file, not a GeoPackage");
    unlink(js);
    unlink(path);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/cc_styles_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_add_and_read_back();
    test_errors();
    cc_ctx_destroy(ctx);
    rmdir(dir);
    return cc_test_done();
}
