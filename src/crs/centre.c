/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a study is, robustly: the weighted median of its points in WGS 84 degrees (what
 * working_crs: auto picks the UTM zone from) and the radius beyond which a point counts as an
 * outlier (a failed geocode at (0, 0), a coordinate typo). Plain arithmetic, no PROJ.
 */
#include "carecircle/crs.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct vw {
    double v, w;
} vw;

static int cmp_vw(const void *a, const void *b)
{
    const vw *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->w > y->w) - (x->w < y->w);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int usable(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lon >= -180.0 && lon <= 180.0 && lat >= -90.0 &&
           lat <= 90.0;
}

/* Stride that keeps a pass over n points to at most CC_CRS_CENTRE_SAMPLE of them. */
static size_t sample_stride(size_t n)
{
    return n > CC_CRS_CENTRE_SAMPLE ? (n + CC_CRS_CENTRE_SAMPLE - 1) / CC_CRS_CENTRE_SAMPLE : 1;
}

/* The value where the cumulative weight first reaches half the total (a sorted copy). */
static double weighted_median(vw *a, size_t m, double total)
{
    qsort(a, m, sizeof *a, cmp_vw);
    double acc = 0;
    for (size_t i = 0; i < m; i++) {
        acc += a[i].w;
        if (acc >= total / 2) return a[i].v;
    }
    return a[m - 1].v;
}

cc_status cc_crs_centre(cc_ctx *ctx, size_t n, const double *lon, const double *lat,
                        const double *weight, double *lon0, double *lat0, int *found)
{
    *found = 0;
    size_t stride = sample_stride(n), cap = (n + stride - 1) / stride;
    if (!cap) return CC_OK;
    vw *a = cc_malloc_array(ctx, cap, sizeof *a), *b = cc_malloc_array(ctx, cap, sizeof *b);
    if (!a || !b) {
        cc_free(a);
        cc_free(b);
        return CC_ERR_NOMEM;
    }
    /* Weighted first; when no point carries a weight, every usable point counts once. */
    for (int plain = weight ? 0 : 1; plain < 2 && !*found; plain++) {
        size_t m = 0;
        double total = 0;
        for (size_t i = 0; i < n; i += stride) {
            if (!usable(lon[i], lat[i])) continue;
            double w = plain ? 1.0 : weight[i];
            if (!(w > 0) || !isfinite(w)) continue;
            a[m] = (vw){lon[i], w};
            b[m] = (vw){lat[i], w};
            total += w;
            m++;
        }
        if (!m || !(total > 0) || !isfinite(total)) continue;
        *lon0 = weighted_median(a, m, total);
        *lat0 = weighted_median(b, m, total);
        *found = 1;
    }
    cc_free(a);
    cc_free(b);
    return CC_OK;
}

double cc_crs_distance_km(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371.0088, d2r = 3.14159265358979323846 / 180.0;
    double p1 = lat1 * d2r, p2 = lat2 * d2r;
    double dp = p2 - p1, dl = (lon2 - lon1) * d2r;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (h > 1) h = 1;
    return 2 * r * asin(sqrt(h));
}

cc_status cc_crs_outlier_km(cc_ctx *ctx, size_t n, const double *lon, const double *lat,
                            double lon0, double lat0, double *km)
{
    *km = CC_CRS_OUTLIER_MIN_KM;
    size_t stride = sample_stride(n), cap = (n + stride - 1) / stride;
    if (!cap) return CC_OK;
    double *d = cc_malloc_array(ctx, cap, sizeof *d);
    if (!d) return CC_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i += stride)
        if (usable(lon[i], lat[i])) d[m++] = cc_crs_distance_km(lon0, lat0, lon[i], lat[i]);
    if (m) {
        qsort(d, m, sizeof *d, cmp_double);
        double p90 = d[(size_t)floor(0.9 * (double)(m - 1))];
        if (CC_CRS_OUTLIER_FACTOR * p90 > *km) *km = CC_CRS_OUTLIER_FACTOR * p90;
    }
    cc_free(d);
    return CC_OK;
}

int cc_crs_null_island(double lon, double lat)
{
    return fabs(lon) <= 1e-9 && fabs(lat) <= 1e-9;
}
