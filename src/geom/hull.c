/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Convex hull of a point cloud on plain arrays (no GEOS: a GEOS multipoint of ten million
 * demand cells would cost gigabytes). The points inside the octagon of the eight extreme
 * points are dropped first (Akl & Toussaint, 1978), then Andrew's monotone chain (1979) runs on
 * the rest, so a regular grid of cells sorts only its border. The hull is the study area of a
 * run (docs/analysis.md, "Districts").
 */
#include "carecircle/geom.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct hpt {
    double x, y;
} hpt;

static int cmp_pt(const void *a, const void *b)
{
    const hpt *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    if (p->y != q->y) return p->y < q->y ? -1 : 1;
    return 0;
}

/* > 0 when o -> a -> b turns counter-clockwise. */
static double cross(hpt o, hpt a, hpt b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

cc_status cc_geom_convex_hull(cc_ctx *ctx, size_t n, const double *x, const double *y,
                              size_t *n_out, double **x_out, double **y_out)
{
    *n_out = 0;
    *x_out = *y_out = NULL;
    if (n && (!x || !y)) return cc_error(ctx, CC_ERR_INVALID, "convex hull: missing coordinates");
    /* The eight extremes: min/max of x, y, x + y and x - y (first finite point wins ties). */
    size_t ext[8];
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        double v[8] = {x[i],        -x[i],        y[i],        -y[i],
                       x[i] + y[i], -x[i] - y[i], x[i] - y[i], y[i] - x[i]};
        for (int k = 0; k < 8; k++) {
            if (!any) {
                ext[k] = i;
                continue;
            }
            size_t e = ext[k];
            double w[8] = {x[e],        -x[e],        y[e],        -y[e],
                           x[e] + y[e], -x[e] - y[e], x[e] - y[e], y[e] - x[e]};
            if (v[k] < w[k]) ext[k] = i;
        }
        any = 1;
    }
    if (!any) return CC_OK;
    hpt oct[8];
    size_t no = 0;
    /* The octagon through the extremes, counter-clockwise: min x, min x+y, min y, max x-y,
       max x, max x+y, max y, max y-x (indices into v above). */
    static const int ccw[8] = {0, 4, 2, 7, 1, 5, 3, 6};
    for (int k = 0; k < 8; k++) {
        size_t e = ext[ccw[k]];
        hpt p = {x[e], y[e]};
        if (no && oct[no - 1].x == p.x && oct[no - 1].y == p.y) continue;
        oct[no++] = p;
    }
    while (no > 1 && oct[no - 1].x == oct[0].x && oct[no - 1].y == oct[0].y)
        no--;
    hpt *keep = cc_malloc_array(ctx, n + 1, sizeof *keep);
    if (!keep) return CC_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        hpt p = {x[i], y[i]};
        /* Strictly inside the octagon (every edge turns left to p): cannot be a vertex. */
        int inside = no >= 3;
        for (size_t k = 0; inside && k < no; k++)
            inside = cross(oct[k], oct[(k + 1) % no], p) > 0;
        if (!inside) keep[m++] = p;
    }
    qsort(keep, m, sizeof *keep, cmp_pt);
    size_t u = 0; /* drop duplicates */
    for (size_t i = 0; i < m; i++)
        if (!u || keep[u - 1].x != keep[i].x || keep[u - 1].y != keep[i].y) keep[u++] = keep[i];
    m = u;
    hpt *h = cc_malloc_array(ctx, 2 * m + 1, sizeof *h);
    if (!h) {
        cc_free(keep);
        return CC_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++) { /* lower chain */
        while (k >= 2 && cross(h[k - 2], h[k - 1], keep[i]) <= 0)
            k--;
        h[k++] = keep[i];
    }
    for (size_t i = m - 1, t = k + 1; i-- > 0;) { /* upper chain */
        while (k >= t && cross(h[k - 2], h[k - 1], keep[i]) <= 0)
            k--;
        h[k++] = keep[i];
    }
    if (k > 1) k--; /* the last point repeats the first */
    cc_free(keep);
    double *hx = cc_malloc_array(ctx, k ? k : 1, sizeof *hx);
    double *hy = cc_malloc_array(ctx, k ? k : 1, sizeof *hy);
    if (!hx || !hy) {
        cc_free(h);
        cc_free(hx);
        cc_free(hy);
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < k; i++) {
        hx[i] = h[i].x;
        hy[i] = h[i].y;
    }
    cc_free(h);
    *n_out = k;
    *x_out = hx;
    *y_out = hy;
    return CC_OK;
}
