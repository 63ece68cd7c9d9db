/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Band tracer, step 2 (see band.c): marching squares on "distance < r", crossings placed
 * exactly on the band edge, saddles resolved by the cell centre, concave corners kept.
 */
#include "geom/band_internal.h"
#include "core/internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Step 2a: the crossing on the grid edge from the inside point (px, py) towards the outside
 * point (px + ux, py + uy); s_in / s_out are the segments nearest to them. */
static void crossing(const double *seg, double r, double px, double py, double ux, double uy,
                     uint32_t s_in, uint32_t s_out, cc__xpt *o)
{
    double t = 0, a, b;
    uint32_t on = s_in != NIL ? s_in : s_out;
    if (s_in != NIL && capsule_line(seg + 4 * (size_t)s_in, r, px, py, ux, uy, &a, &b) && b > 0)
        t = b;
    if (s_out != NIL && s_out != s_in &&
        capsule_line(seg + 4 * (size_t)s_out, r, px, py, ux, uy, &a, &b) && a <= t && b > t) {
        t = b; /* the two capsules overlap along the edge: the exit is the farther one's */
        on = s_out;
    }
    if (t < EDGE_EPS) t = EDGE_EPS;
    if (t > 1 - EDGE_EPS) t = 1 - EDGE_EPS;
    o->x = px + t * ux;
    o->y = py + t * uy;
    o->seg = on;
    o->next = NIL;
    o->has_corner = 0;
}

/* Step 2b: the corner where the band edges through p and q meet, when it lies strictly inside
 * the cell [cx0, cx0 + h] x [cy0, cy0 + h], on the inner side of the chord p -> q (a concave
 * corner of the band) and at least r from every segment that matters here. */
static int corner(const double *seg, double r, const cc__xpt *p, const cc__xpt *q, double cx0,
                  double cy0, double h, const uint32_t *near4, double *ox, double *oy)
{
    if (p->seg == q->seg || p->seg == NIL || q->seg == NIL) return 0;
    double ax, ay, bx, by;
    seg_d2(seg + 4 * (size_t)p->seg, p->x, p->y, &ax, &ay);
    seg_d2(seg + 4 * (size_t)q->seg, q->x, q->y, &bx, &by);
    double npx = p->x - ax, npy = p->y - ay, nqx = q->x - bx, nqy = q->y - by;
    double lp = hypot(npx, npy), lq = hypot(nqx, nqy);
    if (!(lp > 1e-9 * r) || !(lq > 1e-9 * r)) return 0;
    npx /= lp;
    npy /= lp;
    nqx /= lq;
    nqy /= lq;
    double det = npx * nqy - npy * nqx;
    if (fabs(det) < 0.05) return 0; /* nearly parallel edges: no corner worth adding */
    double c1 = npx * p->x + npy * p->y, c2 = nqx * q->x + nqy * q->y;
    double cx = (c1 * nqy - npy * c2) / det, cy = (npx * c2 - c1 * nqx) / det;
    double m = 1e-3 * h;
    if (!(cx > cx0 + m && cx < cx0 + h - m && cy > cy0 + m && cy < cy0 + h - m)) return 0;
    if ((q->x - p->x) * (cy - p->y) - (q->y - p->y) * (cx - p->x) <= 0) return 0;
    double lim = r * r * (1 - 1e-9);
    if (seg_d2(seg + 4 * (size_t)p->seg, cx, cy, NULL, NULL) < lim ||
        seg_d2(seg + 4 * (size_t)q->seg, cx, cy, NULL, NULL) < lim)
        return 0;
    for (int k = 0; k < 4; k++)
        if (near4[k] != NIL && seg_d2(seg + 4 * (size_t)near4[k], cx, cy, NULL, NULL) < lim)
            return 0;
    *ox = cx;
    *oy = cy;
    return 1;
}

/* Cell cases (bit 1 = lower left inside, 2 = lower right, 4 = upper right, 8 = upper left):
 * the steps from one crossing edge to another with the inside on the left. Edges: 0 bottom,
 * 1 right, 2 top, 3 left. Saddles 5 and 10 are listed for a centre inside; STEP_SADDLE_OUT
 * holds them for a centre outside. */
static const signed char STEP[16][4] = {
    {-1, -1, -1, -1}, {0, 3, -1, -1}, {1, 0, -1, -1}, {1, 3, -1, -1},
    {2, 1, -1, -1},   {0, 1, 2, 3},   {2, 0, -1, -1}, {2, 3, -1, -1},
    {3, 2, -1, -1},   {0, 2, -1, -1}, {3, 0, 1, 2},   {1, 2, -1, -1},
    {3, 1, -1, -1},   {0, 1, -1, -1}, {3, 0, -1, -1}, {-1, -1, -1, -1},
};
static const signed char STEP_SADDLE_OUT[2][4] = {{0, 3, 2, 1}, {1, 0, 3, 2}};

/* Columns [*a, *b] of rows j and j + 1 (when there is one) that may hold a crossing or a
 * cell with one: those written, widened by one. 0 when none. */
static int active(const cc_service_ws *ws, const grid *g, size_t j, long *a, long *b)
{
    long lo = ws->rlo[j], hi = ws->rhi[j];
    if (j + 1 < g->nrow) {
        if (ws->rlo[j + 1] < lo) lo = ws->rlo[j + 1];
        if (ws->rhi[j + 1] > hi) hi = ws->rhi[j + 1];
    }
    if (hi < lo) return 0;
    *a = lo > 0 ? lo - 1 : 0;
    *b = hi + 1 < (long)g->ncol ? hi + 1 : (long)g->ncol - 1;
    return 1;
}

/* Step 2: crossings and the steps linking them. */
cc_status cc__band_trace_cells(cc_ctx *ctx, cc_service_ws *ws, const grid *g, double r,
                               size_t *n_pt)
{
    size_t ncol = g->ncol, nrow = g->nrow;
    const uint32_t *sid = ws->sid;
    unsigned char *in = ws->in;
    const int32_t r2b = float_bits((float)(r * r));
    double h = g->h;
    size_t np = 0;
    cc_status st;
    /* Flags where rows j - 1 .. j + 1 wrote (the passes below read no further). */
    for (size_t j = 0; j < nrow; j++) {
        long a, b, a2, b2;
        int any = active(ws, g, j, &a, &b);
        if (j > 0 && active(ws, g, j - 1, &a2, &b2)) {
            if (!any || a2 < a) a = a2;
            if (!any || b2 > b) b = b2;
            any = 1;
        }
        if (!any) continue;
        const float *row = ws->d2 + j * ncol;
        unsigned char *fl = in + j * ncol;
        for (long i = a; i <= b; i++)
            fl[i] = float_bits(row[i]) < r2b;
    }
    /* Crossings, grid point by grid point: the edge to the right, then the edge above; eight
     * points at a time are skipped when they, their right and their upper neighbours agree. */
    for (size_t j = 0; j < nrow; j++) {
        long a, b;
        if (!active(ws, g, j, &a, &b)) continue;
        const unsigned char *fl = in + j * ncol, *up = j + 1 < nrow ? fl + ncol : NULL;
        for (long ii = a; ii <= b; ii++) {
            if (up && ii + 8 <= b) {
                uint64_t w0, w1, w2;
                memcpy(&w0, fl + ii, 8);
                memcpy(&w1, fl + ii + 1, 8);
                memcpy(&w2, up + ii, 8);
                if (w0 == w1 && w0 == w2) {
                    ii += 7;
                    continue;
                }
            }
            size_t i = (size_t)ii, v = j * ncol + i;
            int here = fl[i];
            for (int dir = 0; dir < 2; dir++) {
                int there;
                if (dir == 0) {
                    if (ii == b) continue;
                    there = fl[i + 1];
                } else {
                    if (!up) continue;
                    there = up[i];
                }
                if (there == here) continue;
                if (np == ws->pt_cap && (st = cc_grow_array(ctx, (void **)&ws->pt, &ws->pt_cap,
                                                            np + 1, sizeof *ws->pt)))
                    return st;
                cc__xpt *o = &ws->pt[np];
                double px = g->x0 + (double)i * h, py = g->y0 + (double)j * h;
                size_t w = dir == 0 ? v + 1 : v + ncol;
                double ux = dir == 0 ? h : 0, uy = dir == 0 ? 0 : h;
                if (here)
                    crossing(ws->seg, r, px, py, ux, uy, sid[v], sid[w], o);
                else
                    crossing(ws->seg, r, px + ux, py + uy, -ux, -uy, sid[w], sid[v], o);
                /* With the inside on the left, the outline leaves a crossing into the cell
                 * above a horizontal edge whose left end is inside (below it otherwise), and
                 * into the cell left of a vertical edge whose lower end is inside (right of
                 * it otherwise). */
                o->ci = (uint32_t)i;
                o->cj = (uint32_t)j;
                if (dir == 0) {
                    o->side = here ? 0 : 2;
                    if (!here) o->cj--;
                    ws->hx[v] = (uint32_t)np;
                } else {
                    o->side = here ? 1 : 3;
                    if (here) o->ci--;
                    ws->vx[v] = (uint32_t)np;
                }
                np++;
            }
        }
    }
    /* The step out of each crossing, in the cell it leaves into. */
    for (size_t k = 0; k < np; k++) {
        cc__xpt *p = &ws->pt[k];
        size_t i = p->ci, j = p->cj;
        size_t bl = j * ncol + i, br = bl + 1, tl = bl + ncol, tr = tl + 1;
        int code = in[bl] | in[br] << 1 | in[tr] << 2 | in[tl] << 3;
        const signed char *step = STEP[code];
        int saddle = code == 5 || code == 10;
        uint32_t near4[4] = {sid[bl], sid[br], sid[tr], sid[tl]};
        double cx0 = g->x0 + (double)i * h, cy0 = g->y0 + (double)j * h;
        if (saddle) {
            double mx = cx0 + 0.5 * h, my = cy0 + 0.5 * h, best = INFINITY;
            for (int q = 0; q < 4; q++)
                if (near4[q] != NIL) {
                    double d = seg_d2(ws->seg + 4 * (size_t)near4[q], mx, my, NULL, NULL);
                    if (d < best) best = d;
                }
            if (!(best < r * r)) step = STEP_SADDLE_OUT[code == 10];
        }
        int to = step[0] == p->side ? step[1] : step[2] == p->side ? step[3] : -1;
        if (to < 0) return cc_error(ctx, CC_ERR_GEOM, "service area: inconsistent outline");
        uint32_t e4[4] = {ws->hx[bl], ws->vx[br], ws->hx[tl], ws->vx[bl]};
        p->next = e4[to];
        if (!saddle)
            p->has_corner =
                corner(ws->seg, r, p, &ws->pt[p->next], cx0, cy0, h, near4, &p->cx, &p->cy);
    }
    *n_pt = np;
    return CC_OK;
}
