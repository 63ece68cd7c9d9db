/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `carecircle info FILE`: a plain-text description of any GDAL-readable file (layers,
 * geometry types, CRS with EPSG code, feature counts, fields, extents; raster grids).
 */
#include "io/io_internal.h"

#include <math.h>
#include <string.h>

static cc_status put_num(cc_ctx *ctx, cc_buf *b, double v)
{
    /* 15 significant digits (geotransforms of degree grids need them); CPLsnprintf always
     * writes '.' as the decimal mark, whatever the locale. */
    char s[64];
    if (isnan(v)) return cc_buf_puts(ctx, b, "nan");
    CPLsnprintf(s, sizeof s, "%.15g", v);
    return cc_buf_puts(ctx, b, s);
}

static cc_status put_crs(cc_ctx *ctx, cc_buf *b, OGRSpatialReferenceH srs)
{
    cc_buf_puts(ctx, b, "  crs: ");
    if (!cc__io_srs_defined(srs))
        return cc_buf_puts(ctx, b, "none (set crs: EPSG:xxxx when using this file)\n");
    const char *name = OSRGetName(srs);
    cc_buf_puts(ctx, b, name ? name : "unnamed");
    int epsg = cc__io_srs_epsg(srs);
    if (epsg > 0) {
        cc_buf_puts(ctx, b, " (EPSG:");
        cc_buf_put_int(ctx, b, epsg);
        cc_buf_putc(ctx, b, ')');
    }
    cc_buf_puts(ctx, b, OSRIsGeographic(srs) ? ", geographic" : ", projected");
    return cc_buf_putc(ctx, b, '\n');
}

static cc_status put_extent(cc_ctx *ctx, cc_buf *b, double minx, double miny, double maxx,
                            double maxy)
{
    cc_buf_puts(ctx, b, "  extent: ");
    put_num(ctx, b, minx);
    cc_buf_puts(ctx, b, ", ");
    put_num(ctx, b, miny);
    cc_buf_puts(ctx, b, " - ");
    put_num(ctx, b, maxx);
    cc_buf_puts(ctx, b, ", ");
    put_num(ctx, b, maxy);
    return cc_buf_puts(ctx, b, " (minx, miny - maxx, maxy)\n");
}

/* Feature count and extent of one layer counted by reading it (OSM); n < 0 when unknown. */
typedef struct lcount {
    long long n;
    int have_ext;
    OGREnvelope ext;
} lcount;

static int CPL_STDCALL count_progress(double frac, const char *msg, void *ud)
{
    (void)msg;
    cc_ctx *ctx = ud;
    cc_progress(ctx, "info", frac);
    return !cc_ctx_interrupted(ctx);
}

/*
 * OSM files cannot count a layer without reading the file (and the driver reads all layers
 * in one interleaved pass): read every feature once, counting per layer and growing each
 * layer's extent, with progress.
 */
static cc_status count_by_reading(cc_ctx *ctx, cc__gdal_errs *e, GDALDatasetH ds, lcount *c,
                                  int nl)
{
    for (int i = 0; i < nl; i++)
        c[i].n = 0;
    GDALDatasetResetReading(ds);
    int fail0 = e->n_fail;
    for (;;) {
        OGRLayerH l = NULL;
        OGRFeatureH f = GDALDatasetGetNextFeature(ds, &l, NULL, count_progress, ctx);
        if (!f) break;
        int k = -1;
        for (int i = 0; i < nl && k < 0; i++)
            if (GDALDatasetGetLayer(ds, i) == l) k = i;
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (k >= 0) {
            c[k].n++;
            if (g && !OGR_G_IsEmpty(g)) {
                OGREnvelope env;
                OGR_G_GetEnvelope(g, &env);
                if (!c[k].have_ext) {
                    c[k].ext = env;
                    c[k].have_ext = 1;
                } else {
                    if (env.MinX < c[k].ext.MinX) c[k].ext.MinX = env.MinX;
                    if (env.MinY < c[k].ext.MinY) c[k].ext.MinY = env.MinY;
                    if (env.MaxX > c[k].ext.MaxX) c[k].ext.MaxX = env.MaxX;
                    if (env.MaxY > c[k].ext.MaxY) c[k].ext.MaxY = env.MaxY;
                }
            }
        }
        OGR_F_Destroy(f);
    }
    cc_status st = cc_check_interrupt(ctx);
    if (st) return st;
    if (e->n_fail > fail0)
        return cc_error(ctx, CC_ERR_IO, "cannot count the features (%s); the file may be corrupt",
                        cc__io_gdal_msg(e, "read error"));
    cc_progress(ctx, "info", 1.0);
    return CC_OK;
}

static cc_status describe_layer(cc_ctx *ctx, cc_buf *b, OGRLayerH l, int index, const lcount *c)
{
    cc_buf_puts(ctx, b, "layer ");
    cc_buf_put_int(ctx, b, index + 1);
    cc_buf_puts(ctx, b, ": ");
    cc_buf_puts(ctx, b, OGR_L_GetName(l));
    cc_buf_puts(ctx, b, "\n  geometry: ");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    if (OGR_FD_GetGeomFieldCount(defn) == 0)
        cc_buf_puts(ctx, b, "none (a table)");
    else
        cc_buf_puts(ctx, b, OGRGeometryTypeToName(OGR_L_GetGeomType(l)));
    cc_buf_putc(ctx, b, '\n');
    if (OGR_FD_GetGeomFieldCount(defn) > 0) put_crs(ctx, b, OGR_L_GetSpatialRef(l));
    cc_buf_puts(ctx, b, "  features: ");
    GIntBig count = c ? (GIntBig)c->n : OGR_L_GetFeatureCount(l, TRUE);
    if (count >= 0)
        cc_buf_put_int(ctx, b, (long long)count);
    else
        cc_buf_puts(ctx, b, "unknown (this format is counted only when read)");
    cc_buf_putc(ctx, b, '\n');
    OGREnvelope env;
    if (c) {
        if (c->have_ext) put_extent(ctx, b, c->ext.MinX, c->ext.MinY, c->ext.MaxX, c->ext.MaxY);
    } else if (OGR_FD_GetGeomFieldCount(defn) > 0 &&
               OGR_L_GetExtent(l, &env, TRUE) == OGRERR_NONE) {
        put_extent(ctx, b, env.MinX, env.MinY, env.MaxX, env.MaxY);
    }
    int nf = OGR_FD_GetFieldCount(defn);
    cc_buf_puts(ctx, b, "  fields (");
    cc_buf_put_int(ctx, b, nf);
    cc_buf_puts(ctx, b, "):");
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        cc_buf_puts(ctx, b, i ? ", " : " ");
        cc_buf_puts(ctx, b, OGR_Fld_GetNameRef(fd));
        cc_buf_puts(ctx, b, " (");
        cc_buf_puts(ctx, b, OGR_GetFieldTypeName(OGR_Fld_GetType(fd)));
        cc_buf_putc(ctx, b, ')');
    }
    return cc_buf_putc(ctx, b, '\n');
}

static cc_status describe_raster(cc_ctx *ctx, cc_buf *b, GDALDatasetH ds)
{
    int w = GDALGetRasterXSize(ds), h = GDALGetRasterYSize(ds), nb = GDALGetRasterCount(ds);
    cc_buf_puts(ctx, b, "raster: ");
    cc_buf_put_int(ctx, b, w);
    cc_buf_puts(ctx, b, " x ");
    cc_buf_put_int(ctx, b, h);
    cc_buf_puts(ctx, b, " cells, ");
    cc_buf_put_int(ctx, b, nb);
    cc_buf_puts(ctx, b, nb == 1 ? " band\n" : " bands\n");
    for (int k = 1; k <= nb; k++) {
        GDALRasterBandH band = GDALGetRasterBand(ds, k);
        cc_buf_puts(ctx, b, "  band ");
        cc_buf_put_int(ctx, b, k);
        cc_buf_puts(ctx, b, ": ");
        cc_buf_puts(ctx, b, GDALGetDataTypeName(GDALGetRasterDataType(band)));
        int has = 0;
        double nd = GDALGetRasterNoDataValue(band, &has);
        cc_buf_puts(ctx, b, ", nodata ");
        if (!has)
            cc_buf_puts(ctx, b, "none");
        else
            put_num(ctx, b, nd);
        cc_buf_putc(ctx, b, '\n');
    }
    double gt[6];
    if (GDALGetGeoTransform(ds, gt) == CE_None) {
        cc_buf_puts(ctx, b, "  geotransform: ");
        for (int i = 0; i < 6; i++) {
            if (i) cc_buf_puts(ctx, b, ", ");
            put_num(ctx, b, gt[i]);
        }
        cc_buf_putc(ctx, b, '\n');
        cc_buf_puts(ctx, b, "  cell size: ");
        put_num(ctx, b, fabs(gt[1]));
        cc_buf_puts(ctx, b, " x ");
        put_num(ctx, b, fabs(gt[5]));
        cc_buf_putc(ctx, b, '\n');
        double xa = gt[0], xb = gt[0] + w * gt[1] + h * gt[2];
        double ya = gt[3], yb = gt[3] + w * gt[4] + h * gt[5];
        put_crs(ctx, b, GDALGetSpatialRef(ds));
        return put_extent(ctx, b, xa < xb ? xa : xb, ya < yb ? ya : yb, xa < xb ? xb : xa,
                          ya < yb ? yb : ya);
    }
    cc_buf_puts(ctx, b, "  geotransform: none (not georeferenced)\n");
    return put_crs(ctx, b, GDALGetSpatialRef(ds));
}

cc_status cc_io_info(cc_ctx *ctx, const char *path, cc_buf *out)
{
    if (!out) return cc_error(ctx, CC_ERR_INVALID, "cc_io_info: out is NULL");
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    GDALDatasetH ds = NULL;
    cc_status st = cc__io_open_any(ctx, &errs, path, &ds);
    if (st) goto done;
    cc_ctx_clear_error(ctx); /* so that a failed append below is visible afterwards */
    GDALDriverH drv = GDALGetDatasetDriver(ds);
    cc_buf_puts(ctx, out, "file: ");
    cc_buf_puts(ctx, out, path);
    cc_buf_puts(ctx, out, "\ndriver: ");
    cc_buf_puts(ctx, out, GDALGetDriverShortName(drv));
    cc_buf_puts(ctx, out, " (");
    cc_buf_puts(ctx, out, GDALGetDriverLongName(drv));
    cc_buf_puts(ctx, out, ")\n");
    int nl = GDALDatasetGetLayerCount(ds);
    lcount *counts = NULL;
    if (nl > 0 && strcmp(GDALGetDriverShortName(drv), "OSM") == 0) {
        counts = cc_calloc(ctx, (size_t)nl, sizeof *counts);
        if (!counts) {
            st = CC_ERR_NOMEM;
            GDALClose(ds);
            goto done;
        }
        if ((st = count_by_reading(ctx, &errs, ds, counts, nl))) {
            cc_free(counts);
            GDALClose(ds);
            goto done;
        }
    }
    if (nl > 0) {
        cc_buf_puts(ctx, out, "layers: ");
        cc_buf_put_int(ctx, out, nl);
        cc_buf_putc(ctx, out, '\n');
    }
    for (int i = 0; i < nl; i++)
        describe_layer(ctx, out, GDALDatasetGetLayer(ds, i), i, counts ? &counts[i] : NULL);
    cc_free(counts);
    if (GDALGetRasterCount(ds) > 0) describe_raster(ctx, out, ds);
    if (cc_ctx_last_status(ctx) == CC_ERR_NOMEM) st = CC_ERR_NOMEM;
    GDALClose(ds);
done:
    cc__io_end(&errs);
    return st;
}
