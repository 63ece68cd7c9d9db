/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the band tracer (band.c, band_raster.c, band_trace.c): the grid, the segment
 * geometry both the distance raster and the crossing placement use (inline: they sit in the
 * inner loops), and the two steps band.c drives.
 */
#ifndef CC_GEOM_BAND_INTERNAL_H
#define CC_GEOM_BAND_INTERNAL_H

#include "geom/band.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define NIL UINT32_MAX
/* A crossing stays this fraction of a cell away from the grid points. */
#define EDGE_EPS 0.01

typedef struct grid {
    double x0, y0, h, ih; /* origin, cell and 1 / cell */
    size_t ncol, nrow;
} grid;

static inline int32_t float_bits(float f)
{
    int32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

/* Intersect [*a, *b] with the t where lo <= k0 + t k1 <= hi; 0 when empty. */
static inline int slab(double k0, double k1, double lo, double hi, double *a, double *b)
{
    if (k1 == 0) return k0 >= lo && k0 <= hi;
    double t0 = (lo - k0) / k1, t1 = (hi - k0) / k1;
    if (t0 > t1) {
        double x = t0;
        t0 = t1;
        t1 = x;
    }
    if (t0 > *a) *a = t0;
    if (t1 < *b) *b = t1;
    return *a <= *b;
}

/* The parameters t of the points P + t U within r of segment s (ax, ay, bx, by): the capsule
 * is convex, so they form one interval [*t0, *t1]. Returns 0 when the line misses it. */
static inline int capsule_line(const double *s, double r, double px, double py, double ux,
                               double uy, double *t0, double *t1)
{
    double lo = INFINITY, hi = -INFINITY, uu = ux * ux + uy * uy;
    for (int e = 0; e < 2; e++) { /* the end discs */
        double wx = px - s[2 * e], wy = py - s[2 * e + 1];
        double b = wx * ux + wy * uy, c = wx * wx + wy * wy - r * r;
        double disc = b * b - uu * c;
        if (disc >= 0) {
            double q = sqrt(disc), a0 = (-b - q) / uu, a1 = (-b + q) / uu;
            if (a0 < lo) lo = a0;
            if (a1 > hi) hi = a1;
        }
    }
    double dx = s[2] - s[0], dy = s[3] - s[1], l2 = dx * dx + dy * dy;
    if (l2 > 0) { /* the rectangle: projection on the segment, within r of its line */
        double wx = px - s[0], wy = py - s[1], a = -INFINITY, b = INFINITY;
        double rl = r * sqrt(l2);
        if (slab(wx * dx + wy * dy, ux * dx + uy * dy, 0, l2, &a, &b) &&
            slab(wx * dy - wy * dx, ux * dy - uy * dx, -rl, rl, &a, &b)) {
            if (a < lo) lo = a;
            if (b > hi) hi = b;
        }
    }
    if (!(lo <= hi)) return 0;
    *t0 = lo;
    *t1 = hi;
    return 1;
}

/* Squared distance from (x, y) to segment s; the nearest point in *cx, *cy. */
static inline double seg_d2(const double *s, double x, double y, double *cx, double *cy)
{
    double dx = s[2] - s[0], dy = s[3] - s[1], l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - s[0]) * dx + (y - s[1]) * dy) / l2 : 0.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double qx = s[0] + t * dx, qy = s[1] + t * dy;
    if (cx) {
        *cx = qx;
        *cy = qy;
    }
    return (x - qx) * (x - qx) + (y - qy) * (y - qy);
}

/**
 * Step 1: squared distance (capped) and nearest segment of every grid point near the
 * n_seg segments ws->seg, and the in-band flags (ws->d2, ws->sid, ws->in; deep tiles in
 * ws->deep). The grid arrays must hold g's points.
 */
cc_status cc__band_rasterize(cc_ctx *ctx, cc_service_ws *ws, const grid *g, size_t n_seg, double r);

/**
 * Step 2: marching squares on "distance < r": the crossings of the band edge with the grid
 * edges, linked cell by cell with the inside on the left (ws->pt, *n_pt of them).
 */
cc_status cc__band_trace_cells(cc_ctx *ctx, cc_service_ws *ws, const grid *g, double r,
                               size_t *n_pt);

#endif
