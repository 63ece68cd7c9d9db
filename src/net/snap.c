/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapping index: a uniform grid over the polyline segments of the edges, searched in rings
 * of cells around the query point until no closer segment can exist. Points go to the
 * nearest edge (not to the nearest node: a point across a river stays on its own bank).
 */
#include "net_internal.h"

#include <math.h>
#include <string.h>

static int snappable(const cc_graph *g, uint32_t e)
{
    return g->snap_all || !g->edge_nosnap[e];
}

static uint32_t cell_index(double d, double cell, uint32_t n)
{
    double c = floor(d / cell);
    if (!(c > 0)) return 0;
    if (c >= n - 1) return n - 1;
    return (uint32_t)c;
}

/* Cells a segment passes through: the segment is cut into pieces no longer than a cell and
 * each piece's bounding box is marked. fill == NULL counts. */
static void seg_cells(const cc_graph *g, double x0, double y0, double x1, double y1, size_t *count,
                      uint32_t *fill, size_t *pos, uint32_t seg)
{
    double len = cc__dist(x1 - x0, y1 - y0);
    size_t pieces = (size_t)(len / g->gcell) + 1;
    size_t recent[8];
    int nrec = 0, rpos = 0;
    for (size_t i = 0; i < pieces; i++) {
        double t0 = (double)i / (double)pieces, t1 = (double)(i + 1) / (double)pieces;
        double ax = x0 + (x1 - x0) * t0, ay = y0 + (y1 - y0) * t0;
        double bx = x0 + (x1 - x0) * t1, by = y0 + (y1 - y0) * t1;
        uint32_t i0 = cell_index(cc__min(ax, bx) - g->gx0, g->gcell, g->gnx);
        uint32_t i1 = cell_index(cc__max(ax, bx) - g->gx0, g->gcell, g->gnx);
        uint32_t j0 = cell_index(cc__min(ay, by) - g->gy0, g->gcell, g->gny);
        uint32_t j1 = cell_index(cc__max(ay, by) - g->gy0, g->gcell, g->gny);
        for (uint32_t j = j0; j <= j1; j++)
            for (uint32_t ii = i0; ii <= i1; ii++) {
                size_t c = (size_t)j * g->gnx + ii;
                int seen = 0;
                for (int r = 0; r < nrec; r++)
                    if (recent[r] == c) seen = 1;
                if (seen) continue;
                recent[rpos] = c;
                rpos = (rpos + 1) % 8;
                if (nrec < 8) nrec++;
                if (fill)
                    fill[pos[c]++] = seg;
                else
                    count[c + 1]++;
            }
    }
}

cc_status cc__graph_build_snap(cc_ctx *ctx, cc_graph *g)
{
    size_t nc = g->edge_coord[g->n_edges];
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY, total = 0;
    size_t nseg = 0;
    for (uint32_t e = 0; e < g->n_edges; e++) {
        if (!snappable(g, e)) continue;
        for (size_t k = g->edge_coord[e]; k < g->edge_coord[e + 1]; k++) {
            x0 = cc__min(x0, g->cx[k]);
            y0 = cc__min(y0, g->cy[k]);
            x1 = cc__max(x1, g->cx[k]);
            y1 = cc__max(y1, g->cy[k]);
        }
        nseg += g->edge_coord[e + 1] - g->edge_coord[e] - 1;
        total += g->edge_len[e];
    }
    if (nseg == 0) {
        g->gnx = g->gny = 0;
        return CC_OK;
    }
    /* Cell about one average segment, and about one segment per cell over the extent. */
    double w = x1 - x0, h = y1 - y0;
    double cell = cc__max(total / (double)nseg, sqrt(w * h / (double)nseg));
    if (!(cell > 0)) cell = cc__max(cc__max(w, h), 1.0);
    while ((w / cell + 1) * (h / cell + 1) > 2.0 * (double)nseg + 16)
        cell *= 1.5;
    g->gx0 = x0;
    g->gy0 = y0;
    g->gcell = cell;
    g->gnx = (uint32_t)(w / cell) + 1;
    g->gny = (uint32_t)(h / cell) + 1;
    size_t ncell = (size_t)g->gnx * g->gny;
    g->grid_off = cc_calloc(ctx, ncell + 1, sizeof *g->grid_off);
    g->seg_edge = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g->seg_edge);
    size_t *pos = cc_malloc_array(ctx, ncell, sizeof *pos);
    if (!g->grid_off || !g->seg_edge || !pos) {
        cc_free(pos);
        return CC_ERR_NOMEM;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t e = 0; e < g->n_edges; e++) {
            for (size_t k = g->edge_coord[e]; k < g->edge_coord[e + 1]; k++) {
                g->seg_edge[k] = e;
                if (!snappable(g, e) || k + 1 == g->edge_coord[e + 1]) continue;
                seg_cells(g, g->cx[k], g->cy[k], g->cx[k + 1], g->cy[k + 1], g->grid_off,
                          pass ? g->grid_seg : NULL, pos, (uint32_t)k);
            }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncell; c++)
                g->grid_off[c + 1] += g->grid_off[c];
            memcpy(pos, g->grid_off, ncell * sizeof *pos);
            g->grid_seg = cc_malloc_array(ctx, g->grid_off[ncell] ? g->grid_off[ncell] : 1,
                                          sizeof *g->grid_seg);
            if (!g->grid_seg) {
                cc_free(pos);
                return CC_ERR_NOMEM;
            }
        }
    }
    cc_free(pos);
    return CC_OK;
}

typedef struct best {
    double d2, off, x, y;
    uint32_t edge, seg;
} best;

static void test_cell(const cc_graph *g, size_t c, double px, double py, best *b)
{
    for (size_t k = g->grid_off[c]; k < g->grid_off[c + 1]; k++) {
        uint32_t s = g->grid_seg[k];
        double ax = g->cx[s], ay = g->cy[s], dx = g->cx[s + 1] - ax, dy = g->cy[s + 1] - ay;
        double l2 = dx * dx + dy * dy;
        double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
        if (t < 0) t = 0;
        if (t > 1) t = 1;
        double qx = ax + t * dx, qy = ay + t * dy;
        double d2 = (px - qx) * (px - qx) + (py - qy) * (py - qy);
        uint32_t e = g->seg_edge[s];
        if (d2 > b->d2) continue;
        double off = g->ccum[s] + t * (g->ccum[s + 1] - g->ccum[s]);
        /* ties: lowest edge, offset, then segment (the two segments at a vertex), so the
         * answer does not depend on the grid (a window graph's grid is another one) */
        if (d2 == b->d2 &&
            (e > b->edge || (e == b->edge && (off > b->off || (off == b->off && s >= b->seg)))))
            continue;
        b->d2 = d2;
        b->edge = e;
        b->off = off;
        b->seg = s;
        b->x = qx;
        b->y = qy;
    }
}

static void snap_one(const cc_graph *g, double px, double py, cc_snap *out)
{
    best b = {INFINITY, 0, 0, 0, CC_NONE, CC_NONE};
    out->edge = CC_NONE;
    out->component = CC_NONE;
    out->offset_m = out->dist_m = 0;
    out->x = px;
    out->y = py;
    if (g->gnx == 0 || !isfinite(px) || !isfinite(py)) return;
    double fx = floor((px - g->gx0) / g->gcell), fy = floor((py - g->gy0) / g->gcell);
    /* clamp far-away points to a range that keeps the arithmetic in int64 */
    double lim = 4e9;
    fx = cc__max(-lim, cc__min(lim, fx));
    fy = cc__max(-lim, cc__min(lim, fy));
    int64_t cx = (int64_t)fx, cy = (int64_t)fy, nx = g->gnx, ny = g->gny;
    int64_t r0 = 0, rmax;
    if (-cx > r0) r0 = -cx;
    if (cx - (nx - 1) > r0) r0 = cx - (nx - 1);
    if (-cy > r0) r0 = -cy;
    if (cy - (ny - 1) > r0) r0 = cy - (ny - 1);
    rmax = cx > nx - 1 - cx ? cx : nx - 1 - cx;
    if (cy > rmax) rmax = cy;
    if (ny - 1 - cy > rmax) rmax = ny - 1 - cy;
    if (r0 > rmax) rmax = r0;
    for (int64_t r = r0; r <= rmax; r++) {
        double lb = r > 0 ? (double)(r - 1) * g->gcell : 0;
        if (b.edge != CC_NONE && lb * lb > b.d2) break;
        for (int64_t j = cy - r; j <= cy + r; j++) {
            if (j < 0 || j >= ny) continue;
            int edge_row = (j == cy - r || j == cy + r);
            int64_t step = edge_row ? 1 : 2 * r;
            double ylo = g->gy0 + (double)j * g->gcell,
                   dy = cc__max(0, cc__max(ylo - py, py - ylo - g->gcell));
            for (int64_t i = cx - r; i <= cx + r; i += step ? step : 1) {
                if (i < 0 || i >= nx) continue;
                /* skip a cell that lies farther away than the best segment so far */
                double xlo = g->gx0 + (double)i * g->gcell;
                double dx = cc__max(0, cc__max(xlo - px, px - xlo - g->gcell));
                if (dx * dx + dy * dy > b.d2) continue;
                test_cell(g, (size_t)j * (size_t)nx + (size_t)i, px, py, &b);
            }
        }
    }
    if (b.edge == CC_NONE) return;
    out->edge = b.edge;
    out->component = g->node_comp[g->edge_from[b.edge]];
    out->offset_m = b.off;
    out->dist_m = sqrt(b.d2);
    out->x = b.x;
    out->y = b.y;
}

cc_status cc_graph_snap(cc_ctx *ctx, const cc_graph *g, size_t n, const double *x, const double *y,
                        cc_snap *out)
{
    if (!g->has_xy)
        return cc_error(ctx, CC_ERR_INVALID,
                        "graph: cannot snap points to a graph built without node coordinates");
    for (size_t i = 0; i < n; i++)
        snap_one(g, x[i], y[i], &out[i]);
    return CC_OK;
}
