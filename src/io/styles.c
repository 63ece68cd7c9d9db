/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QGIS layer styles inside a GeoPackage: the `layer_styles` table that QGIS reads when a layer
 * of the file is opened (and writes when a style is saved "in the database"), so that every
 * layer of carecircle.gpkg opens styled. The table layout follows QGIS's OGR provider
 * (QgsOgrProviderMetadata::saveStyle, QGIS 3) and the QGIS GeoPackage styling extension
 * description at https://github.com/pka/qgpkg/blob/master/qgis_geopackage_extension.md.
 * update_time holds GDAL's date for the file when one is set (OGR_CURRENT_DATE), so a file the
 * writer created has the same bytes on every run (write.c, io.h: cc_io_gpkg_date).
 */
#include "io/io_internal.h"

#include <string.h>

#define STYLE_TABLE "layer_styles"
#define STYLE_NAME_MAX 30 /* QGIS's styleName column is TEXT(30) */

/* Number of UTF-8 characters (bytes that do not continue a sequence). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* s as an SQL string literal: quoted, single quotes doubled. */
static cc_status sql_literal(cc_ctx *ctx, cc_buf *b, const char *s)
{
    cc_status rc = cc_buf_putc(ctx, b, '\'');
    for (; !rc && *s; s++)
        rc = *s == '\'' ? cc_buf_puts(ctx, b, "''") : cc_buf_putc(ctx, b, *s);
    if (!rc) rc = cc_buf_putc(ctx, b, '\'');
    return rc;
}

/* Run one statement that returns no rows; a GDAL failure becomes a one-line error. */
static cc_status exec_sql(cc_ctx *ctx, cc__gdal_errs *e, GDALDatasetH ds, const char *path,
                          const char *sql)
{
    int fail0 = e->n_fail;
    e->msg[0] = '\0';
    OGRLayerH res = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (res) GDALDatasetReleaseResultSet(ds, res);
    if (e->n_fail > fail0)
        return cc_error(ctx, CC_ERR_IO, "%s: cannot update table '" STYLE_TABLE "' (%s)", path,
                        cc__io_gdal_msg(e, "unknown reason"));
    return CC_OK;
}

/* The names of the data layers (for the "layer not found" message). */
static cc_status layer_list(cc_ctx *ctx, GDALDatasetH ds, cc_buf *b)
{
    cc_status rc = CC_OK;
    int n = GDALDatasetGetLayerCount(ds), k = 0;
    for (int i = 0; !rc && i < n; i++) {
        const char *name = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
        if (strcmp(name, STYLE_TABLE) == 0) continue;
        if (k++) rc = cc_buf_puts(ctx, b, ", ");
        if (!rc) rc = cc_buf_puts(ctx, b, name);
    }
    if (!rc && k == 0) rc = cc_buf_puts(ctx, b, "none");
    return rc;
}

static const struct {
    const char *name;
    OGRFieldType type;
    int width; /* 0 = unbounded TEXT */
} COLS[] = {
    {"f_table_catalog", OFTString, 256},
    {"f_table_schema", OFTString, 256},
    {"f_table_name", OFTString, 256},
    {"f_geometry_column", OFTString, 256},
    {"styleName", OFTString, STYLE_NAME_MAX},
    {"styleQML", OFTString, 0},
    {"styleSLD", OFTString, 0},
    {"useAsDefault", OFTInteger, 0}, /* boolean subtype: SQLite BOOLEAN */
    {"description", OFTString, 0},
    {"owner", OFTString, 30},
    {"ui", OFTString, 30},
    {"update_time", OFTDateTime, 0}, /* defaults to the time of insertion */
};
enum { N_COLS = sizeof COLS / sizeof COLS[0] };

/* Create the table with QGIS's layout; GDAL registers it in gpkg_contents as 'attributes'. */
static cc_status create_table(cc_ctx *ctx, cc__gdal_errs *e, GDALDatasetH ds, const char *path,
                              OGRLayerH *out)
{
    char **lco = CSLSetNameValue(NULL, "FID", "id");
    e->msg[0] = '\0';
    OGRLayerH t = GDALDatasetCreateLayer(ds, STYLE_TABLE, NULL, wkbNone, lco);
    CSLDestroy(lco);
    if (!t)
        return cc_error(ctx, CC_ERR_IO, "%s: cannot create table '" STYLE_TABLE "' (%s)", path,
                        cc__io_gdal_msg(e, "unknown reason"));
    for (size_t j = 0; j < N_COLS; j++) {
        OGRFieldDefnH fd = OGR_Fld_Create(COLS[j].name, COLS[j].type);
        if (COLS[j].width) OGR_Fld_SetWidth(fd, COLS[j].width);
        if (COLS[j].type == OFTInteger) OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (COLS[j].type == OFTDateTime) OGR_Fld_SetDefault(fd, "CURRENT_TIMESTAMP");
        OGRErr err = OGR_L_CreateField(t, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE)
            return cc_error(ctx, CC_ERR_IO,
                            "%s: cannot create column '%s' of '" STYLE_TABLE "' (%s)", path,
                            COLS[j].name, cc__io_gdal_msg(e, "unknown reason"));
    }
    *out = t;
    return CC_OK;
}

static cc_status check_style_args(cc_ctx *ctx, const char *gpkg_path, const char *layer,
                                  const char *style_name, const char *qml)
{
    if (!gpkg_path || !*gpkg_path || !layer || !*layer || !style_name || !*style_name || !qml)
        return cc_error(ctx, CC_ERR_INVALID,
                        "cc_io_gpkg_add_style: path, layer, style name and QML are required");
    if (utf8_chars(style_name) > STYLE_NAME_MAX)
        return cc_error(ctx, CC_ERR_INVALID,
                        "%s: style name '%s' is longer than %d characters (the QGIS limit); "
                        "choose a shorter name",
                        gpkg_path, style_name, STYLE_NAME_MAX);
    return CC_OK;
}

/* 1 when `sql` (a count) returns a positive number. */
static int any_rows(GDALDatasetH ds, const char *sql)
{
    int found = 1; /* when in doubt, run the statement it guards */
    OGRLayerH res = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (res) {
        OGRFeatureH f = OGR_L_GetNextFeature(res);
        if (f) {
            found = OGR_F_GetFieldAsInteger64(f, 0) > 0;
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(ds, res);
    }
    return found;
}

/* The style row, written into the open GeoPackage ds. */
static cc_status add_style(cc_ctx *ctx, cc__gdal_errs *errs, GDALDatasetH ds,
                           const char *gpkg_path, const char *layer, const char *style_name,
                           const char *qml, int use_as_default)
{
    OGRFeatureH f = NULL;
    char *geomcol = NULL;
    cc_buf sql = {0};
    int in_tx = 0;
    cc_status rc = CC_OK;
    const char *drv = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    if (strcmp(drv, "GPKG") != 0) {
        rc = cc_error(ctx, CC_ERR_INVALID,
                      "%s: is a %s file, not a GeoPackage; QGIS styles can only be stored in a "
                      "GeoPackage (.gpkg)",
                      gpkg_path, drv);
        goto done;
    }
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, layer);
    if (!lyr || strcmp(layer, STYLE_TABLE) == 0) {
        cc_buf names = {0};
        rc = layer_list(ctx, ds, &names);
        if (!rc)
            rc = cc_error(ctx, CC_ERR_INVALID,
                          "%s: layer '%s' not found (layers: %s); write the layer before its "
                          "style",
                          gpkg_path, layer, names.s);
        cc_buf_free(&names);
        goto done;
    }
    geomcol = cc_strdup(ctx, OGR_L_GetGeometryColumn(lyr));
    if (!geomcol) {
        rc = CC_ERR_NOMEM;
        goto done;
    }

    OGRLayerH styles = GDALDatasetGetLayerByName(ds, STYLE_TABLE);
    int fresh = !styles;
    if (!styles) {
        if ((rc = create_table(ctx, errs, ds, gpkg_path, &styles))) goto done;
    } else {
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(styles);
        for (size_t j = 0; j < N_COLS; j++)
            if (OGR_FD_GetFieldIndex(d, COLS[j].name) < 0) {
                rc = cc_error(ctx, CC_ERR_DATA,
                              "%s: table '" STYLE_TABLE "' has no column '%s', so it is not "
                              "QGIS's style table; rename or drop that table",
                              gpkg_path, COLS[j].name);
                goto done;
            }
    }
    if (GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE) in_tx = 1;

    /* Replace a style of the same name; a new default demotes the layer's other styles. The
       statements run only when a row would change: GDAL forgets every layer's feature count
       after a DELETE through SQL, and readers would then have to count the rows. */
    rc = cc_buf_puts(ctx, &sql, "SELECT count(*) FROM " STYLE_TABLE " WHERE f_table_name = ");
    if (!rc) rc = sql_literal(ctx, &sql, layer);
    if (!rc) rc = cc_buf_puts(ctx, &sql, " AND styleName = ");
    if (!rc) rc = sql_literal(ctx, &sql, style_name);
    if (!rc && !fresh && any_rows(ds, sql.s)) {
        cc_buf_reset(&sql);
        rc = cc_buf_puts(ctx, &sql, "DELETE FROM " STYLE_TABLE " WHERE f_table_name = ");
        if (!rc) rc = sql_literal(ctx, &sql, layer);
        if (!rc) rc = cc_buf_puts(ctx, &sql, " AND styleName = ");
        if (!rc) rc = sql_literal(ctx, &sql, style_name);
        if (!rc) rc = exec_sql(ctx, errs, ds, gpkg_path, sql.s);
    }
    if (!rc && use_as_default) {
        cc_buf_reset(&sql);
        rc = cc_buf_puts(ctx, &sql,
                         "SELECT count(*) FROM " STYLE_TABLE " WHERE useAsDefault AND "
                         "f_table_name = ");
        if (!rc) rc = sql_literal(ctx, &sql, layer);
        if (!rc && !fresh && any_rows(ds, sql.s)) {
            cc_buf_reset(&sql);
            rc = cc_buf_puts(ctx, &sql,
                             "UPDATE " STYLE_TABLE " SET useAsDefault = 0 WHERE f_table_name = ");
            if (!rc) rc = sql_literal(ctx, &sql, layer);
            if (!rc) rc = exec_sql(ctx, errs, ds, gpkg_path, sql.s);
        }
    }
    if (rc) goto done;

    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(styles);
    f = OGR_F_Create(defn);
    char desc[320];
    cc_snprintf(desc, sizeof desc, "carecircle style for layer %s", layer);
    const char *text[][2] = {{"f_table_catalog", ""},   {"f_table_schema", ""},
                             {"f_table_name", layer},   {"f_geometry_column", geomcol},
                             {"styleName", style_name}, {"styleQML", qml},
                             {"description", desc},     {"owner", ""}};
    for (size_t j = 0; j < sizeof text / sizeof text[0]; j++)
        OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, text[j][0]), text[j][1]);
    OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(defn, "useAsDefault"), use_as_default ? 1 : 0);
    /* update_time: the date GDAL stamps into gpkg_contents.last_change when one is set
       (OGR_CURRENT_DATE: always in a GeoPackage a cc_io_writer created, see below), else left
       unset so that the column default, the insertion time, applies. */
    const char *date = CPLGetConfigOption(CC__DATE_OPTION, NULL);
    if (date && *date) OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "update_time"), date);
    errs->msg[0] = '\0';
    if (OGR_L_CreateFeature(styles, f) != OGRERR_NONE) {
        rc = cc_error(ctx, CC_ERR_IO, "%s: cannot add style '%s' for layer '%s' (%s)", gpkg_path,
                      style_name, layer, cc__io_gdal_msg(errs, "unknown reason"));
        goto done;
    }
    if (in_tx) {
        in_tx = 0;
        if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
            rc = cc_error(ctx, CC_ERR_IO, "%s: cannot commit style '%s' (%s); is the disk full?",
                          gpkg_path, style_name, cc__io_gdal_msg(errs, "unknown reason"));
            goto done;
        }
    }

done:
    if (in_tx) GDALDatasetRollbackTransaction(ds);
    if (f) OGR_F_Destroy(f);
    cc_free(geomcol);
    cc_buf_free(&sql);
    return rc;
}

cc_status cc_io_writer_add_style(cc_ctx *ctx, cc_io_writer *w, const char *layer,
                                 const char *style_name, const char *qml, int use_as_default)
{
    if (!w || !w->ds)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_writer_add_style: the writer is not open");
    cc_status rc = check_style_args(ctx, w->path, layer, style_name, qml);
    if (rc) return rc;
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    /* A GeoPackage the writer created has one date, cc_io_gpkg_date's: set for this thread
       only, around these calls, as write.c does around its own. */
    cc__date_pin pin;
    cc__io_pin_date(&pin, w->gpkg && w->created);
    rc = add_style(ctx, &errs, w->ds, w->path, layer, style_name, qml, use_as_default);
    cc__io_unpin_date(&pin);
    cc__io_end(&errs);
    return rc;
}

cc_status cc_io_gpkg_add_style(cc_ctx *ctx, const char *gpkg_path, const char *layer,
                               const char *style_name, const char *qml, int use_as_default)
{
    cc_status rc = check_style_args(ctx, gpkg_path, layer, style_name, qml);
    if (rc) return rc;
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    GDALDatasetH ds = NULL;
    rc = cc__io_open(ctx, &errs, gpkg_path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, "GeoPackage",
                     &ds);
    if (!rc) rc = add_style(ctx, &errs, ds, gpkg_path, layer, style_name, qml, use_as_default);
    if (ds) {
        int fail0 = errs.n_fail;
        GDALClose(ds);
        if (!rc && errs.n_fail > fail0)
            rc = cc_error(ctx, CC_ERR_IO,
                          "%s: finishing the file failed (%s); is the disk full?", gpkg_path,
                          cc__io_gdal_msg(&errs, "unknown reason"));
    }
    cc__io_end(&errs);
    return rc;
}
