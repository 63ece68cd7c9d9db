/*
 * Generic vector writer: column arrays and a cc_geomcol into one GDAL layer (GeoPackage bundle,
 * graph export, any GDAL vector driver that can create files).
 */
#include "io/io_internal.h"

#include <math.h>
#include <string.h>

static int count_outer(const cc_geomcol *g, size_t p0, size_t p1)
{
    int n = 0;
    for (size_t p = p0; p < p1; p++)
        if (!g->part_hole || !g->part_hole[p]) n++;
    return n;
}

static void set_points(OGRGeometryH h, const cc_geomcol *g, size_t p)
{
    size_t a = g->part_coord[p], b = g->part_coord[p + 1];
    OGR_G_SetPointCount(h, (int)(b - a));
    for (size_t i = a; i < b; i++)
        OGR_G_SetPoint_2D(h, (int)(i - a), g->x[i], g->y[i]);
}

/* Geometry of feature i, or NULL for a feature without parts (*bad set on invalid input). */
static OGRGeometryH build_geom(const cc_geomcol *g, size_t i, int multi, int *bad)
{
    size_t p0 = g->feat_part[i], p1 = g->feat_part[i + 1];
    *bad = 0;
    if (p1 <= p0) return NULL;
    OGRGeometryH out = NULL, cur = NULL;
    if (g->kind == CC_GEOM_POINT) {
        out = OGR_G_CreateGeometry(multi ? wkbMultiPoint : wkbPoint);
        for (size_t p = p0; p < p1 && out; p++) {
            size_t c = g->part_coord[p];
            if (g->part_coord[p + 1] == c) continue;
            if (!multi) {
                OGR_G_SetPoint_2D(out, 0, g->x[c], g->y[c]);
                break;
            }
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(pt, 0, g->x[c], g->y[c]);
            OGR_G_AddGeometryDirectly(out, pt);
        }
    } else if (g->kind == CC_GEOM_LINE) {
        if (multi) out = OGR_G_CreateGeometry(wkbMultiLineString);
        for (size_t p = p0; p < p1; p++) {
            OGRGeometryH ls = OGR_G_CreateGeometry(wkbLineString);
            set_points(ls, g, p);
            if (!multi) {
                out = ls;
                break;
            }
            OGR_G_AddGeometryDirectly(out, ls);
        }
    } else if (g->kind == CC_GEOM_POLYGON) {
        if (multi) out = OGR_G_CreateGeometry(wkbMultiPolygon);
        for (size_t p = p0; p < p1; p++) {
            int hole = g->part_hole && g->part_hole[p];
            if (hole && !cur) {
                *bad = 1;
                break;
            }
            if (!hole) {
                if (cur && !multi) break; /* cannot happen: multi was chosen from the count */
                cur = OGR_G_CreateGeometry(wkbPolygon);
                if (multi)
                    OGR_G_AddGeometryDirectly(out, cur);
                else
                    out = cur;
            }
            OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
            set_points(ring, g, p);
            OGR_G_AddGeometryDirectly(cur, ring);
        }
        if (out && !*bad) OGR_G_CloseRings(out);
    }
    if (*bad && out) {
        OGR_G_DestroyGeometry(out);
        out = NULL;
    }
    return out;
}

static cc_status check_args(cc_ctx *ctx, const char *path, const char *driver,
                            const char *layer_name, const cc_geomcol *geom, size_t n,
                            const cc_out_field *fields, size_t n_fields)
{
    if (!path || !*path || !driver || !*driver || !layer_name || !*layer_name)
        return cc_error(ctx, CC_ERR_INVALID,
                        "cc_io_write_layer: path, driver and layer name are "
                        "required");
    if (n_fields && !fields)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_write_layer: fields is NULL");
    for (size_t j = 0; j < n_fields; j++)
        if (!fields[j].name || !*fields[j].name || (n && !fields[j].values))
            return cc_error(ctx, CC_ERR_INVALID,
                            "cc_io_write_layer: %s: field %zu has no name or no values", path, j);
    if (geom && geom->kind != CC_GEOM_NONE && n > 0) {
        if (!geom->feat_part || geom->feat_part[n] > geom->n_parts ||
            (geom->n_parts &&
             (!geom->part_coord || geom->part_coord[geom->n_parts] > geom->n_coords)) ||
            (geom->n_coords && (!geom->x || !geom->y)))
            return cc_error(ctx, CC_ERR_INVALID,
                            "cc_io_write_layer: %s: geometry arrays do not match %zu features",
                            path, n);
        for (size_t c = 0; c < geom->n_coords; c++)
            if (!isfinite(geom->x[c]) || !isfinite(geom->y[c]))
                return cc_error(ctx, CC_ERR_INVALID,
                                "cc_io_write_layer: %s: coordinate %zu is not finite", path, c);
    }
    return CC_OK;
}

cc_status cc_io_write_layer(cc_ctx *ctx, const char *path, const char *driver,
                            const char *layer_name, int append, const char *crs,
                            const cc_geomcol *geom, size_t n_features, const cc_out_field *fields,
                            size_t n_fields)
{
    cc_status st = check_args(ctx, path, driver, layer_name, geom, n_features, fields, n_fields);
    if (st) return st;
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = NULL;
    OGRFeatureH f = NULL;
    char **lco = NULL;
    int *idx = NULL;
    int created = 0, in_tx = 0;
    GDALDriverH drv = GDALGetDriverByName(driver);

    if (!drv || !GDALGetMetadataItem(drv, GDAL_DCAP_VECTOR, NULL)) {
        st = cc_error(ctx, CC_ERR_INVALID,
                      "%s: '%s' is not a GDAL vector driver (use GPKG or "
                      "GeoJSON)",
                      path, driver);
        goto fail;
    }
    if (crs && *crs) {
        srs = OSRNewSpatialReference(NULL);
        if (!srs || OSRSetFromUserInput(srs, crs) != OGRERR_NONE) {
            st = cc_error(ctx, CC_ERR_CRS, "%s: output crs '%s' is not known to GDAL/PROJ", path,
                          crs);
            goto fail;
        }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    if (append) {
        ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR, NULL, NULL,
                        NULL);
        if (!ds) {
            st = cc_error(ctx, CC_ERR_IO, "%s: cannot be opened to add layer '%s' (%s)", path,
                          layer_name, cc__io_gdal_msg(&errs, "unknown reason"));
            goto fail;
        }
        if (GDALDatasetGetLayerByName(ds, layer_name)) {
            st = cc_error(ctx, CC_ERR_IO, "%s: already has a layer '%s'; choose another name", path,
                          layer_name);
            goto fail;
        }
        if (!GDALDatasetTestCapability(ds, ODsCCreateLayer)) {
            st = cc_error(ctx, CC_ERR_IO, "%s: the %s format cannot hold another layer", path,
                          driver);
            goto fail;
        }
    } else {
        VSIStatBufL sb;
        if (VSIStatL(path, &sb) == 0) {
            /* Replace: the caller writes to a temporary name (cc_outset) and renames. */
            if (GDALDeleteDataset(drv, path) != CE_None) VSIUnlink(path);
        }
        errs.msg[0] = '\0';
        ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
        if (!ds) {
            st = cc_error(ctx, CC_ERR_IO,
                          "%s: cannot be created (%s); check the folder exists and "
                          "is writable",
                          path, cc__io_gdal_msg(&errs, "unknown reason"));
            goto fail;
        }
        created = 1;
    }

    OGRwkbGeometryType gtype = wkbNone;
    int multi = 0;
    if (geom && geom->kind != CC_GEOM_NONE) {
        for (size_t i = 0; i < n_features && !multi; i++) {
            size_t p0 = geom->feat_part[i], p1 = geom->feat_part[i + 1];
            multi = geom->kind == CC_GEOM_POLYGON ? count_outer(geom, p0, p1) > 1 : p1 - p0 > 1;
        }
        if (geom->kind == CC_GEOM_POINT) gtype = multi ? wkbMultiPoint : wkbPoint;
        if (geom->kind == CC_GEOM_LINE) gtype = multi ? wkbMultiLineString : wkbLineString;
        if (geom->kind == CC_GEOM_POLYGON) gtype = multi ? wkbMultiPolygon : wkbPolygon;
    }
    if (strcmp(driver, "GeoJSON") == 0 && srs && cc__io_srs_epsg(srs) == 4326)
        lco = CSLSetNameValue(lco, "RFC7946", "YES");
    errs.msg[0] = '\0';
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, layer_name, srs, gtype, lco);
    if (!lyr) {
        st = cc_error(ctx, CC_ERR_IO, "%s: cannot create layer '%s' (%s)", path, layer_name,
                      cc__io_gdal_msg(&errs, "unknown reason"));
        goto fail;
    }
    for (size_t j = 0; j < n_fields; j++) {
        OGRFieldType t = fields[j].type == CC_FIELD_INT    ? OFTInteger64
                         : fields[j].type == CC_FIELD_REAL ? OFTReal
                                                           : OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(fields[j].name, t);
        OGRErr err = OGR_L_CreateField(lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE) {
            st = cc_error(ctx, CC_ERR_IO, "%s: cannot create field '%s' in layer '%s' (%s)", path,
                          fields[j].name, layer_name, cc__io_gdal_msg(&errs, "unknown reason"));
            goto fail;
        }
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    if (n_fields) {
        idx = cc_malloc_array(ctx, n_fields, sizeof *idx);
        if (!idx) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
        for (size_t j = 0; j < n_fields; j++)
            idx[j] = OGR_FD_GetFieldIndex(defn, fields[j].name);
    }
    if (GDALDatasetTestCapability(ds, ODsCTransactions) &&
        GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE)
        in_tx = 1;
    for (size_t i = 0; i < n_features; i++) {
        if ((i & 4095) == 4095 && (st = cc_check_interrupt(ctx))) goto fail;
        f = OGR_F_Create(defn);
        for (size_t j = 0; j < n_fields; j++) {
            if (idx[j] < 0) continue;
            if (fields[j].type == CC_FIELD_INT) {
                OGR_F_SetFieldInteger64(f, idx[j], ((const int64_t *)fields[j].values)[i]);
            } else if (fields[j].type == CC_FIELD_REAL) {
                double v = ((const double *)fields[j].values)[i];
                if (isnan(v))
                    OGR_F_SetFieldNull(f, idx[j]);
                else
                    OGR_F_SetFieldDouble(f, idx[j], v);
            } else {
                const char *s = ((const char *const *)fields[j].values)[i];
                if (s)
                    OGR_F_SetFieldString(f, idx[j], s);
                else
                    OGR_F_SetFieldNull(f, idx[j]);
            }
        }
        if (gtype != wkbNone) {
            int bad = 0;
            OGRGeometryH g = build_geom(geom, i, multi, &bad);
            if (bad) {
                st = cc_error(ctx, CC_ERR_INVALID,
                              "cc_io_write_layer: %s: feature %zu starts with an inner ring", path,
                              i);
                goto fail;
            }
            if (g) OGR_F_SetGeometryDirectly(f, g);
        }
        errs.msg[0] = '\0';
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
            st = cc_error(ctx, CC_ERR_IO, "%s: cannot write feature %zu of layer '%s' (%s)", path,
                          i, layer_name, cc__io_gdal_msg(&errs, "unknown reason"));
            goto fail;
        }
        OGR_F_Destroy(f);
        f = NULL;
    }
    if (in_tx) {
        in_tx = 0;
        if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
            st = cc_error(ctx, CC_ERR_IO, "%s: cannot commit layer '%s' (%s); is the disk full?",
                          path, layer_name, cc__io_gdal_msg(&errs, "unknown reason"));
            goto fail;
        }
    }
    int fail0 = errs.n_fail;
    GDALClose(ds);
    ds = NULL;
    if (errs.n_fail > fail0) {
        st = cc_error(ctx, CC_ERR_IO, "%s: finishing the file failed (%s); is the disk full?", path,
                      cc__io_gdal_msg(&errs, "unknown reason"));
        goto fail;
    }
    cc_free(idx);
    CSLDestroy(lco);
    if (srs) OSRDestroySpatialReference(srs);
    cc__io_end(&errs);
    return CC_OK;

fail:
    if (f) OGR_F_Destroy(f);
    if (ds) {
        if (in_tx) GDALDatasetRollbackTransaction(ds);
        GDALClose(ds);
    }
    if (created) {
        if (GDALDeleteDataset(drv, path) != CE_None) VSIUnlink(path);
    }
    cc_free(idx);
    CSLDestroy(lco);
    if (srs) OSRDestroySpatialReference(srs);
    cc__io_end(&errs);
    return st;
}
