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

static cc_status describe_layer(cc_ctx *ctx, cc_buf *b, OGRLayerH l, int index)
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
    GIntBig count = OGR_L_GetFeatureCount(l, TRUE);
    if (count >= 0)
        cc_buf_put_int(ctx, b, (long long)count);
    else
        cc_buf_puts(ctx, b, "unknown (this format is counted only when read)");
    cc_buf_putc(ctx, b, '\n');
    OGREnvelope env;
    if (OGR_FD_GetGeomFieldCount(defn) > 0 && OGR_L_GetExtent(l, &env, TRUE) == OGRERR_NONE)
        put_extent(ctx, b, env.MinX, env.MinY, env.MaxX, env.MaxY);
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
    if (nl > 0) {
        cc_buf_puts(ctx, out, "layers: ");
        cc_buf_put_int(ctx, out, nl);
        cc_buf_putc(ctx, out, '\n');
    }
    for (int i = 0; i < nl; i++)
        describe_layer(ctx, out, GDALDatasetGetLayer(ds, i), i);
    if (GDALGetRasterCount(ds) > 0) describe_raster(ctx, out, ds);
    if (cc_ctx_last_status(ctx) == CC_ERR_NOMEM) st = CC_ERR_NOMEM;
    GDALClose(ds);
done:
    cc__io_end(&errs);
    return st;
}
