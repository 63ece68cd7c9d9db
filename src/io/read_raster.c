/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Raster reader: cells of one band of one or more grids (e.g. WorldPop population GeoTIFFs)
 * as point features at cell centres. Several files on the same grid are summed cell by cell,
 * reading row by row so memory stays proportional to one row per file.
 */
#include "io/io_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct rgrid {
    GDALDatasetH ds;
    GDALRasterBandH band;
    int w, h;
    double gt[6];
    int has_nodata;
    double nodata;
    OGRSpatialReferenceH srs; /* owned by ds */
} rgrid;

static int gt_equal(const double *a, const double *b)
{
    /* Tolerate float noise of GeoTIFF tags: a millionth of a cell. */
    double tol = 1e-6 * (fabs(a[1]) > fabs(a[5]) ? fabs(a[1]) : fabs(a[5]));
    for (int i = 0; i < 6; i++)
        if (fabs(a[i] - b[i]) > tol) return 0;
    return 1;
}

static cc_status open_grid(cc_ctx *ctx, cc__gdal_errs *e, const char *path, int band, rgrid *g)
{
    cc_status rc = cc__io_check_path(ctx, path);
    if (rc) return rc;
    /* A CSV of x,y,value rows is a table even when GDAL's XYZ driver could grid it. */
    if (cc__io_vector_only_file(path))
        return cc_error(ctx, CC_ERR_DATA,
                        "%s: cannot be read as a raster dataset: it is a table or vector file; "
                        "a list of sources is for rasters on one grid (a table of points needs "
                        "x_field and y_field)",
                        path);
    cc_status st = cc__io_open(ctx, e, path, GDAL_OF_RASTER, NULL, "raster", &g->ds);
    if (st) return st;
    int nb = GDALGetRasterCount(g->ds);
    if (nb < 1)
        return cc_error(ctx, CC_ERR_DATA, "%s: has no raster bands (is it a vector file?)", path);
    if (band > nb)
        return cc_error(ctx, CC_ERR_DATA, "%s: band %d requested but the raster has %d band%s",
                        path, band, nb, nb == 1 ? "" : "s");
    g->band = GDALGetRasterBand(g->ds, band);
    g->w = GDALGetRasterXSize(g->ds);
    g->h = GDALGetRasterYSize(g->ds);
    if (GDALGetGeoTransform(g->ds, g->gt) != CE_None)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s: has no georeferencing (geotransform); georeference it (e.g. with "
                        "gdal_translate -a_ullr -a_srs) first",
                        path);
    if (g->gt[2] != 0.0 || g->gt[4] != 0.0)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s: the grid is rotated; warp it to a north-up grid with gdalwarp first",
                        path);
    if (g->gt[1] == 0.0 || g->gt[5] == 0.0)
        return cc_error(ctx, CC_ERR_DATA, "%s: the geotransform has a zero cell size", path);
    g->nodata = GDALGetRasterNoDataValue(g->band, &g->has_nodata);
    g->srs = GDALGetSpatialRef(g->ds);
    return CC_OK;
}

static cc_status same_grid(cc_ctx *ctx, const char *pa, const rgrid *a, const char *pb,
                           const rgrid *b)
{
    const char *what = NULL;
    if (a->w != b->w || a->h != b->h)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s and %s are not on the same grid (size %dx%d vs %dx%d); resample them "
                        "to one grid (gdalwarp -te -tr) before summing",
                        pa, pb, a->w, a->h, b->w, b->h);
    if (!gt_equal(a->gt, b->gt))
        what = (a->gt[1] != b->gt[1] || a->gt[5] != b->gt[5]) ? "cell size" : "origin";
    else if ((a->srs == NULL) != (b->srs == NULL) ||
             (a->srs && b->srs && !OSRIsSame(a->srs, b->srs)))
        what = "CRS";
    if (what)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s and %s are not on the same grid (different %s); resample them to one "
                        "grid (gdalwarp -te -tr -t_srs) before summing",
                        pa, pb, what);
    return CC_OK;
}

static cc_status grow_cells(cc_ctx *ctx, cc_layer *L, size_t *cap)
{
    if (L->n < *cap) return CC_OK;
    size_t nc = *cap ? *cap * 2 : 1024;
    void *p;
    if (!(p = cc_realloc_array(ctx, L->fid, nc, sizeof *L->fid))) return CC_ERR_NOMEM;
    L->fid = p;
    if (!(p = cc_realloc_array(ctx, L->id, nc, sizeof *L->id))) return CC_ERR_NOMEM;
    L->id = p;
    if (!(p = cc_realloc_array(ctx, L->rep_x, nc, sizeof *L->rep_x))) return CC_ERR_NOMEM;
    L->rep_x = p;
    if (!(p = cc_realloc_array(ctx, L->rep_y, nc, sizeof *L->rep_y))) return CC_ERR_NOMEM;
    L->rep_y = p;
    if (!(p = cc_realloc_array(ctx, L->num[0], nc, sizeof *L->num[0]))) return CC_ERR_NOMEM;
    L->num[0] = p;
    *cap = nc;
    return CC_OK;
}

cc_status cc_io_read_raster_cells(cc_ctx *ctx, const cc_raster_request *req, cc_layer **out)
{
    if (!out) return cc_error(ctx, CC_ERR_INVALID, "cc_io_read_raster_cells: out is NULL");
    *out = NULL;
    if (!req || !req->paths || req->n_paths == 0)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_read_raster_cells: no raster paths given");
    for (size_t k = 0; k < req->n_paths; k++)
        if (!req->paths[k] || !*req->paths[k])
            return cc_error(ctx, CC_ERR_INVALID, "cc_io_read_raster_cells: empty raster path");
    int band = req->band > 0 ? req->band : 1;
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    cc_status st = CC_OK;
    double *row = NULL, *sum = NULL;
    size_t cap = 0;
    rgrid *g = cc_calloc(ctx, req->n_paths, sizeof *g);
    cc_layer *L = cc_calloc(ctx, 1, sizeof *L);
    if (!g || !L) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    for (size_t k = 0; k < req->n_paths; k++) {
        if ((st = open_grid(ctx, &errs, req->paths[k], band, &g[k]))) goto fail;
        if (k > 0 && (st = same_grid(ctx, req->paths[0], &g[0], req->paths[k], &g[k]))) goto fail;
    }
    L->path = cc_strdup(ctx, req->paths[0]);
    L->layer_name = cc_strdup(ctx, CPLGetBasename(req->paths[0]));
    L->driver = cc_strdup(ctx, GDALGetDriverShortName(GDALGetDatasetDriver(g[0].ds)));
    L->n_num = 1;
    L->num = cc_calloc(ctx, 1, sizeof *L->num);
    if (!L->path || !L->layer_name || !L->driver || !L->num) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    if ((st = cc__io_layer_crs(ctx, L, g[0].srs, req->crs_override, req->role))) goto fail;
    if (!L->crs) {
        st = cc_error(ctx, CC_ERR_CRS, "%s: the raster has no CRS; set crs: EPSG:xxxx for it%s%s%s",
                      req->paths[0], req->role ? " (" : "", req->role ? req->role : "",
                      req->role ? ")" : "");
        goto fail;
    }

    int w = g[0].w, h = g[0].h;
    const double *gt = g[0].gt;
    L->cell_w = fabs(gt[1]);
    L->cell_h = fabs(gt[5]);
    double xa = gt[0], xb = gt[0] + w * gt[1], ya = gt[3], yb = gt[3] + h * gt[5];
    L->extent[0] = xa < xb ? xa : xb;
    L->extent[2] = xa < xb ? xb : xa;
    L->extent[1] = ya < yb ? ya : yb;
    L->extent[3] = ya < yb ? yb : ya;
    L->geom.kind = CC_GEOM_NONE;

    row = cc_malloc_array(ctx, (size_t)w, sizeof *row);
    sum = cc_malloc_array(ctx, (size_t)w, sizeof *sum);
    if (!row || !sum) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    for (int r = 0; r < h; r++) {
        if ((r & 63) == 0) {
            if ((st = cc_check_interrupt(ctx))) goto fail;
            cc_progress(ctx, "load", (double)r / (double)h);
        }
        for (int c = 0; c < w; c++)
            sum[c] = 0.0;
        for (size_t k = 0; k < req->n_paths; k++) {
            errs.msg[0] = '\0';
            if (GDALRasterIO(g[k].band, GF_Read, 0, r, w, 1, row, w, 1, GDT_Float64, 0, 0) !=
                CE_None) {
                st = cc_error(ctx, CC_ERR_IO,
                              "%s: cannot read raster row %d (%s); the file may be corrupt or "
                              "truncated",
                              req->paths[k], r, cc__io_gdal_msg(&errs, "read error"));
                goto fail;
            }
            for (int c = 0; c < w; c++) {
                double v = row[c];
                if (!isfinite(v) || v <= 0.0) continue;
                if (g[k].has_nodata && v == g[k].nodata) continue;
                sum[c] += v;
            }
        }
        for (int c = 0; c < w; c++) {
            if (!(sum[c] > 0.0)) continue;
            if ((st = grow_cells(ctx, L, &cap))) goto fail;
            size_t i = L->n;
            L->fid[i] = (int64_t)r * w + c;
            L->rep_x[i] = gt[0] + (c + 0.5) * gt[1];
            L->rep_y[i] = gt[3] + (r + 0.5) * gt[5];
            L->num[0][i] = sum[c];
            if (!(L->id[i] = cc__i64_str(ctx, L->fid[i]))) {
                st = CC_ERR_NOMEM;
                goto fail;
            }
            L->n++;
        }
    }
    cc_progress(ctx, "load", 1.0);
    if (L->n == 0) cc_log(ctx, CC_LOG_WARN, "%s: no cell holds a value above 0", req->paths[0]);

    cc_free(row);
    cc_free(sum);
    for (size_t k = 0; k < req->n_paths; k++)
        if (g[k].ds) GDALClose(g[k].ds);
    cc_free(g);
    cc__io_end(&errs);
    *out = L;
    return CC_OK;

fail:
    cc_free(row);
    cc_free(sum);
    if (g)
        for (size_t k = 0; k < req->n_paths; k++)
            if (g[k].ds) GDALClose(g[k].ds);
    cc_free(g);
    cc__io_end(&errs);
    cc_layer_destroy(L);
    return st;
}

cc_status cc_io_source_kind(cc_ctx *ctx, const char *path, int *is_raster)
{
    if (!is_raster) return cc_error(ctx, CC_ERR_INVALID, "cc_io_source_kind: out is NULL");
    *is_raster = 0;
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    GDALDatasetH ds = NULL;
    cc_status st = cc__io_open_any(ctx, &errs, path, &ds);
    if (!st) {
        if (GDALDatasetGetLayerCount(ds) > 0)
            *is_raster = 0;
        else if (GDALGetRasterCount(ds) > 0)
            *is_raster = 1;
        else
            st = cc_error(ctx, CC_ERR_DATA, "%s: holds neither vector layers nor raster bands",
                          path);
        GDALClose(ds);
    }
    cc__io_end(&errs);
    return st;
}
