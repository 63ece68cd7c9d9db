/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Circle coverage: the straight-line distance from each demand point to its nearest facility
 * within a radius, found through a uniform grid hash with cell size = radius (so only the
 * 3x3 neighbouring cells are searched) rather than buffers and point-in-polygon tests.
 */
#include "carecircle/analysis.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct grid {
    double x0, y0, cell;
    int64_t nx, ny;
    size_t *start; /* [nx*ny+1] CSR of facility indices per cell */
    int32_t *item;
} grid;

static cc_status grid_build(cc_ctx *ctx, size_t n, const double *fx, const double *fy, double cell,
                            grid *g)
{
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    size_t valid = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(fx[i]) || !isfinite(fy[i])) continue;
        valid++;
        minx = fmin(minx, fx[i]);
        miny = fmin(miny, fy[i]);
        maxx = fmax(maxx, fx[i]);
        maxy = fmax(maxy, fy[i]);
    }
    g->cell = cell;
    if (!valid) {
        g->nx = g->ny = 0;
        return CC_OK;
    }
    g->x0 = minx;
    g->y0 = miny;
    /* Cap the grid size: very sparse facilities just get bigger cells. */
    double w = maxx - minx, h = maxy - miny;
    while ((w / g->cell + 1) * (h / g->cell + 1) > 4.0 * (double)valid + 1024)
        g->cell *= 2;
    g->nx = (int64_t)(w / g->cell) + 1;
    g->ny = (int64_t)(h / g->cell) + 1;
    size_t cells = (size_t)(g->nx * g->ny);
    g->start = cc_calloc(ctx, cells + 1, sizeof *g->start);
    g->item = cc_malloc_array(ctx, valid, sizeof *g->item);
    if (!g->start || !g->item) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(fx[i]) || !isfinite(fy[i])) continue;
        int64_t cx = (int64_t)((fx[i] - g->x0) / g->cell),
                cy = (int64_t)((fy[i] - g->y0) / g->cell);
        g->start[(size_t)(cy * g->nx + cx) + 1]++;
    }
    for (size_t c = 0; c < cells; c++)
        g->start[c + 1] += g->start[c];
    size_t *fill = cc_malloc_array(ctx, cells, sizeof *fill);
    if (!fill) return CC_ERR_NOMEM;
    for (size_t c = 0; c < cells; c++)
        fill[c] = g->start[c];
    /* Ascending facility index within each cell keeps tie-breaking simple. */
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(fx[i]) || !isfinite(fy[i])) continue;
        int64_t cx = (int64_t)((fx[i] - g->x0) / g->cell),
                cy = (int64_t)((fy[i] - g->y0) / g->cell);
        g->item[fill[cy * g->nx + cx]++] = (int32_t)i;
    }
    cc_free(fill);
    return CC_OK;
}

cc_status cc_analysis_circle_nearest(cc_ctx *ctx, size_t n_fac, const double *fx, const double *fy,
                                     size_t n_pts, const double *px, const double *py,
                                     double max_dist_m, double *dist_m, int32_t *fac)
{
    if (!(max_dist_m > 0) || !isfinite(max_dist_m))
        return cc_error(ctx, CC_ERR_INVALID, "circle radius must be a positive number of metres");
    if (n_fac > INT32_MAX) return cc_error(ctx, CC_ERR_INVALID, "too many facilities");
    grid g = {0};
    cc_status st = grid_build(ctx, n_fac, fx, fy, max_dist_m, &g);
    if (st) goto done;
    const double r2 = max_dist_m * max_dist_m;
    int threads = cc_ctx_thread_count(ctx);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (size_t i = 0; i < n_pts; i++) {
        double best = INFINITY;
        int32_t bf = -1;
        if (g.nx > 0 && isfinite(px[i]) && isfinite(py[i])) {
            double gx = (px[i] - g.x0) / g.cell, gy = (py[i] - g.y0) / g.cell;
            int64_t cx = (int64_t)floor(gx), cy = (int64_t)floor(gy);
            for (int64_t yy = cy - 1; yy <= cy + 1; yy++) {
                if (yy < 0 || yy >= g.ny) continue;
                for (int64_t xx = cx - 1; xx <= cx + 1; xx++) {
                    if (xx < 0 || xx >= g.nx) continue;
                    size_t c = (size_t)(yy * g.nx + xx);
                    for (size_t k = g.start[c]; k < g.start[c + 1]; k++) {
                        int32_t f = g.item[k];
                        double dx = fx[f] - px[i], dy = fy[f] - py[i];
                        double d2 = dx * dx + dy * dy;
                        if (d2 <= r2 && (d2 < best || (d2 == best && f < bf))) {
                            best = d2;
                            bf = f;
                        }
                    }
                }
            }
        }
        dist_m[i] = bf >= 0 ? sqrt(best) : INFINITY;
        fac[i] = bf;
    }
done:
    cc_free(g.start);
    cc_free(g.item);
    return st;
}

double cc_analysis_covered_sum(size_t n, const double *weight, const double *value, double limit)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(value[i]) && value[i] <= limit) s += weight[i];
    return s;
}
