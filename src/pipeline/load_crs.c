/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the study lies: the working CRS chosen from the demand (choose_crs), points far from
 * the rest flagged (flag_outliers), and each layer reprojected into the working CRS with WGS 84
 * copies of its points for the outputs.
 */
#include "carecircle/crs.h"
#include "core/internal.h"
#include "load.h"

#include <math.h>
#include <string.h>

/*
 * The study's working CRS, chosen from where the people are (issue 14 item 4): the
 * population-weighted median of every demand point in WGS 84 (cc_crs_centre), not the extent
 * of the layers, so a failed geocode at (0, 0) or a raster whose nodata margin reaches far
 * away cannot move the UTM zone. Raster nodata cells are not points at all. The same centre
 * and an outlier radius (cc_crs_outlier_km) then flag points far from the rest.
 */
cc_status cc__choose_crs(cc_ctx *ctx, cc_study *st, cc_layer *const *blocks, double *const *lon,
                         double *const *lat, size_t nb)
{
    size_t total = 0;
    for (size_t b = 0; b < nb; b++)
        total += blocks[b]->n;
    /* An even sample over all blocks, so the cost stays bounded for 1e7 cells. */
    size_t stride = total > CC_CRS_CENTRE_SAMPLE
                        ? (total + CC_CRS_CENTRE_SAMPLE - 1) / CC_CRS_CENTRE_SAMPLE
                        : 1;
    size_t cap = total ? (total + stride - 1) / stride : 1;
    double *sx = cc_malloc_array(ctx, cap, sizeof *sx), *sy = cc_malloc_array(ctx, cap, sizeof *sy),
           *sw = cc_malloc_array(ctx, cap, sizeof *sw);
    cc_status rc = sx && sy && sw ? CC_OK : CC_ERR_NOMEM;
    size_t m = 0, at = 0;
    for (size_t b = 0; !rc && b < nb; b++) {
        const cc_layer *L = blocks[b];
        for (size_t i = (stride - at % stride) % stride; i < L->n && m < cap; i += stride) {
            double w = 0;
            for (size_t c = 0; c < L->n_num; c++)
                if (isfinite(L->num[c][i]) && L->num[c][i] > 0) w += L->num[c][i];
            sx[m] = lon[b][i];
            sy[m] = lat[b][i];
            sw[m++] = w;
        }
        at += L->n;
    }
    int found = 0;
    double cx = NAN, cy = NAN;
    if (!rc) rc = cc_crs_centre(ctx, m, sx, sy, sw, &cx, &cy, &found);
    if (!rc && found) rc = cc_crs_outlier_km(ctx, m, sx, sy, cx, cy, &st->outlier_km);
    cc_free(sx);
    cc_free(sy);
    cc_free(sw);
    if (rc) return rc;
    st->centre_lon = cx;
    st->centre_lat = cy;
    if (!found) st->outlier_km = INFINITY; /* nothing to compare with */
    rc = cc_crs_working(ctx, st->sc->working_crs, cx, cy, &st->crs_def, &st->crs_name);
    /* The study's one transform to WGS 84, for every stage that writes degrees. */
    if (!rc) rc = cc_crs_tx_create(ctx, st->crs_def, "EPSG:4326", &st->to_wgs84);
    if (rc) cc_error_prefix(ctx, "%s", st->sc->path);
    return rc;
}

/*
 * Points of one layer far from the study's centre (beyond st->outlier_km) or at null island
 * (0, 0): counted, and named in one warning (issue 14 item 4). They stay in the study.
 */
cc_status cc__flag_outliers(cc_ctx *ctx, cc_study *st, const char *role, const char *what, size_t n,
                            const double *lon, const double *lat, char *const *id,
                            char *const *name)
{
    enum { SHOW = 3 };
    if (!isfinite(st->centre_lon)) return CC_OK;
    size_t bad = 0, null_island = 0;
    char ex[700] = "";
    size_t len = 0;
    /* Points well inside the radius (a box of half of it, in degrees) need no trigonometry. */
    double dlat = st->outlier_km * 0.5 / 111.2;
    double dlon = dlat / fmax(cos(st->centre_lat * 3.14159265358979323846 / 180.0), 0.01);
    for (size_t i = 0; i < n; i++) {
        int ni = cc_crs_null_island(lon[i], lat[i]);
        if (!ni && fabs(lat[i] - st->centre_lat) < dlat && fabs(lon[i] - st->centre_lon) < dlon)
            continue;
        double km = cc_crs_distance_km(st->centre_lon, st->centre_lat, lon[i], lat[i]);
        if (!ni && !(km > st->outlier_km)) continue;
        null_island += ni;
        if (bad < SHOW) {
            char xs[40], ys[40], ds[40];
            cc_fmt_double(xs, sizeof xs, lon[i], 5);
            cc_fmt_double(ys, sizeof ys, lat[i], 5);
            cc_fmt_double(ds, sizeof ds, km, 0);
            const char *nm = name && name[i] && *name[i] ? name[i] : id && id[i] ? id[i] : "?";
            cc_snprintf(ex + len, sizeof ex - len, "%s'%s' at (%s, %s), %s km away%s",
                        bad ? "; " : "", nm, xs, ys, ds,
                        ni ? " (null island: a failed geocode?)" : "");
            len = strlen(ex);
        }
        bad++;
    }
    st->q_outliers += bad;
    if (!bad) return CC_OK;
    char cx[40], cy[40], lim[40];
    cc_fmt_double(cx, sizeof cx, st->centre_lon, 4);
    cc_fmt_double(cy, sizeof cy, st->centre_lat, 4);
    cc_fmt_double(lim, sizeof lim, st->outlier_km, 0);
    return cc__study_warn(ctx, st,
                          "%s: %zu of %zu %s lie far from the rest of the data (more than %s km "
                          "from its centre %s, %s%s): %s%s; check their coordinates or remove "
                          "them",
                          role, bad, n, what, lim, cx, cy, null_island ? ", or at (0, 0)" : "", ex,
                          bad > SHOW ? "; ..." : "");
}

/* WGS 84 copies of a layer's rep points (for outputs, the centre and the outlier check). */
cc_status cc__layer_lonlat(cc_ctx *ctx, const cc_layer *L, const char *role, double **lon,
                           double **lat)
{
    *lon = cc_malloc_array(ctx, L->n ? L->n : 1, sizeof **lon);
    *lat = cc_malloc_array(ctx, L->n ? L->n : 1, sizeof **lat);
    if (!*lon || !*lat) return CC_ERR_NOMEM;
    memcpy(*lon, L->rep_x, L->n * sizeof **lon);
    memcpy(*lat, L->rep_y, L->n * sizeof **lat);
    cc_crs_tx *tx = NULL;
    cc_status rc = cc_crs_tx_create(ctx, L->crs, "EPSG:4326", &tx);
    if (!rc) rc = cc_crs_tx_apply(ctx, tx, L->n, *lon, *lat);
    cc_crs_tx_destroy(tx);
    if (rc) cc_error_prefix(ctx, "%s (%s)", L->path, role);
    return rc;
}

/* Project rep points (and geometry) of a layer into the working CRS; lon/lat copies optional. */
cc_status cc__project_layer(cc_ctx *ctx, cc_study *st, cc_layer *L, const char *role, double **lon,
                            double **lat)
{
    cc_crs_tx *tx = NULL;
    cc_status rc = CC_OK;
    if (lon) {
        rc = cc__layer_lonlat(ctx, L, role, lon, lat);
        if (rc) return rc;
    }
    rc = cc_crs_tx_create(ctx, L->crs, st->crs_def, &tx);
    if (!rc) rc = cc_crs_tx_apply(ctx, tx, L->n, L->rep_x, L->rep_y);
    if (!rc && L->geom.n_coords)
        rc = cc_crs_tx_apply(ctx, tx, L->geom.n_coords, L->geom.x, L->geom.y);
    cc_crs_tx_destroy(tx);
    if (rc) cc_error_prefix(ctx, "%s (%s)", L->path, role);
    return rc;
}
