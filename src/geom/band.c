/*
 * The band around a set of line segments (the points within r of any of them) traced without
 * polygon overlay, for service areas:
 *
 * 1. A regular grid of `cell` metres covers the segments' box plus r and two cells. Tiles of
 *    2 x 2 cells lying wholly within r - 1.01 cell of one segment are marked deep: their points
 *    are inside the band and no outline passes next to them, so they need no distance. Then
 *    every segment with a point that is not deep within r + cell of it writes its squared
 *    distance into the grid points within that reach (the box of its capsule, or per row for
 *    a long segment), keeping the smallest and the segment it belongs to. Points out of every
 *    segment's reach are outside. The distance loops run on fixed-width blocks without
 *    branches, so they vectorise.
 * 2. Marching squares on "distance < r": every grid edge whose ends differ holds one crossing,
 *    placed exactly on the band edge (the line's exit from the capsules of the segments
 *    nearest to the edge's two ends) and kept a hundredth of a cell from either end, so
 *    crossings never coincide. Saddle cells are resolved by the distance at the cell centre.
 *    Each cell links its crossings with the inside on the left (outer rings counter-clockwise,
 *    holes clockwise); where two segments' band edges meet inside a cell (a concave corner,
 *    e.g. the inner side of a bend) the corner is added, so corners are not cut.
 * 3. Rings are followed, simplified by Douglas-Peucker, checked for steps that cross or come
 *    within GAP_M of another step (a sweep over the steps' boxes) and simplified steps
 *    involved are put back to their original vertices until none is left; holes are assigned
 *    to the smallest outer ring holding them.
 *
 * Everything runs in one thread in a fixed order: the output depends only on the input.
 * Step 1 is in band_raster.c, step 2 in band_trace.c (band_internal.h joins them); this file
 * sizes the grid, runs the steps and does step 3.
 */
#include "geom/band_internal.h"
#include "core/internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Grid points at most (about 40 bytes each): larger areas get coarser cells. */
#define MAX_GRID ((size_t)1 << 21)
/* Steps of the simplified outline closer than this count as touching. */
#define GAP_M 0.05

/* Grow arrays that share one capacity: each is reallocated to the new capacity, which is
 * recorded only when all succeeded (the others are then merely larger than needed). */
static cc_status grow_group(cc_ctx *ctx, size_t *cap, size_t need, int n, void **arr[],
                            const size_t *elem)
{
    if (need <= *cap) return CC_OK;
    size_t c = *cap ? *cap : 256;
    while (c < need) {
        if (c > SIZE_MAX / 2) return cc_error(ctx, CC_ERR_NOMEM, "service area: too large");
        c *= 2;
    }
    for (int k = 0; k < n; k++) {
        void *q = cc_realloc_array(ctx, *arr[k], c, elem[k]);
        if (!q) return CC_ERR_NOMEM;
        *arr[k] = q;
    }
    *cap = c;
    return CC_OK;
}

/* Twice the signed area of ring vertices [a, b) (relative to the first, for precision). */
static double ring_area2(const double *x, const double *y, size_t a, size_t b)
{
    double s = 0, ox = x[a], oy = y[a];
    for (size_t k = a + 1; k + 1 < b; k++)
        s += (x[k] - ox) * (y[k + 1] - oy) - (x[k + 1] - ox) * (y[k] - oy);
    return s;
}

/* Step 3a: follow the steps into rings (vertex lists in ws->rx / ry, offsets in ws->roff). */
static cc_status follow(cc_ctx *ctx, cc_service_ws *ws, size_t np, size_t *n_ring)
{
    size_t nr = 0, nv = 0;
    cc_status st;
    for (size_t k = 0; k < np; k++) {
        if (ws->pt[k].has_corner & 2) continue;
        void **ra[] = {(void **)&ws->roff, (void **)&ws->rarea, (void **)&ws->rshell};
        const size_t re[] = {sizeof *ws->roff, sizeof *ws->rarea, sizeof *ws->rshell};
        if ((st = grow_group(ctx, &ws->ring_cap, nr + 2, 3, ra, re))) return st;
        ws->roff[nr] = nv;
        size_t cur = k, steps = 0;
        do {
            cc__xpt *p = &ws->pt[cur];
            void **va[] = {(void **)&ws->rx, (void **)&ws->ry, (void **)&ws->keep};
            const size_t ve[] = {sizeof *ws->rx, sizeof *ws->ry, sizeof *ws->keep};
            if ((st = grow_group(ctx, &ws->rv_cap, nv + 2, 3, va, ve))) return st;
            ws->rx[nv] = p->x;
            ws->ry[nv++] = p->y;
            if (p->has_corner & 1) {
                ws->rx[nv] = p->cx;
                ws->ry[nv++] = p->cy;
            }
            p->has_corner |= 2;
            cur = p->next;
            if (cur == NIL || ++steps > np)
                return cc_error(ctx, CC_ERR_GEOM, "service area: an outline does not close");
        } while (cur != k);
        ws->rarea[nr] = ring_area2(ws->rx, ws->ry, ws->roff[nr], nv);
        nr++;
    }
    if (nr) ws->roff[nr] = nv;
    *n_ring = nr;
    return CC_OK;
}

/* Squared distance from (px, py) to segment (ax, ay)-(bx, by). */
static double pt_seg_d2(double px, double py, double ax, double ay, double bx, double by)
{
    const double s[4] = {ax, ay, bx, by};
    return seg_d2(s, px, py, NULL, NULL);
}

/* Step 3b: Douglas-Peucker on a closed ring of n vertices (x, y), marking keep[]. */
static cc_status simplify_ring(cc_ctx *ctx, cc_service_ws *ws, const double *x, const double *y,
                               size_t n, double tol, unsigned char *keep)
{
    memset(keep, 0, n);
    keep[0] = 1;
    if (n < 4 || !(tol > 0)) {
        memset(keep, 1, n);
        return CC_OK;
    }
    size_t far = 0;
    double best = -1;
    for (size_t k = 1; k < n; k++) {
        double d = (x[k] - x[0]) * (x[k] - x[0]) + (y[k] - y[0]) * (y[k] - y[0]);
        if (d > best) {
            best = d;
            far = k;
        }
    }
    keep[far] = 1;
    double t2 = tol * tol;
    size_t sp = 0;
    cc_status st;
    if ((st = cc_grow_array(ctx, (void **)&ws->stack, &ws->stack_cap, 4, sizeof *ws->stack)))
        return st;
    ws->stack[sp++] = 0;
    ws->stack[sp++] = (uint32_t)far;
    ws->stack[sp++] = (uint32_t)far;
    ws->stack[sp++] = (uint32_t)n; /* n stands for vertex 0 closing the ring */
    while (sp) {
        uint32_t b = ws->stack[--sp], a = ws->stack[--sp];
        if (b - a < 2) continue;
        size_t bi = b == n ? 0 : b, m = 0;
        double dm = -1;
        for (size_t k = (size_t)a + 1; k < b; k++) {
            double d = pt_seg_d2(x[k], y[k], x[a], y[a], x[bi], y[bi]);
            if (d > dm) {
                dm = d;
                m = k;
            }
        }
        if (dm <= t2) continue;
        keep[m] = 1;
        if ((st = cc_grow_array(ctx, (void **)&ws->stack, &ws->stack_cap, sp + 4,
                                sizeof *ws->stack)))
            return st;
        ws->stack[sp++] = a;
        ws->stack[sp++] = (uint32_t)m;
        ws->stack[sp++] = (uint32_t)m;
        ws->stack[sp++] = b;
    }
    /* At least a triangle. */
    size_t kept = 0;
    for (size_t k = 0; k < n; k++)
        kept += keep[k];
    if (kept < 3) {
        double dm = -1;
        size_t m = 0;
        for (size_t k = 1; k < n; k++) {
            if (keep[k]) continue;
            double d = pt_seg_d2(x[k], y[k], x[0], y[0], x[far], y[far]);
            if (d > dm) {
                dm = d;
                m = k;
            }
        }
        keep[m] = 1;
    }
    return CC_OK;
}

static int orient_sign(double ax, double ay, double bx, double by, double cx, double cy)
{
    double v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    return (v > 0) - (v < 0);
}

/* Do two steps cross, or come within GAP_M of each other? */
static int steps_clash(const cc__bseg *s, const cc__bseg *t)
{
    int o1 = orient_sign(s->x1, s->y1, s->x2, s->y2, t->x1, t->y1);
    int o2 = orient_sign(s->x1, s->y1, s->x2, s->y2, t->x2, t->y2);
    int o3 = orient_sign(t->x1, t->y1, t->x2, t->y2, s->x1, s->y1);
    int o4 = orient_sign(t->x1, t->y1, t->x2, t->y2, s->x2, s->y2);
    if (o1 * o2 <= 0 && o3 * o4 <= 0 && !(o1 == 0 && o2 == 0 && o3 == 0 && o4 == 0)) return 1;
    double g2 = GAP_M * GAP_M;
    return pt_seg_d2(t->x1, t->y1, s->x1, s->y1, s->x2, s->y2) < g2 ||
           pt_seg_d2(t->x2, t->y2, s->x1, s->y1, s->x2, s->y2) < g2 ||
           pt_seg_d2(s->x1, s->y1, t->x1, t->y1, t->x2, t->y2) < g2 ||
           pt_seg_d2(s->x2, s->y2, t->x1, t->y1, t->x2, t->y2) < g2;
}

/* Consecutive steps p -> q -> r that fold back on themselves. */
static int folds(const cc__bseg *s, const cc__bseg *t)
{
    double ux = s->x1 - s->x2, uy = s->y1 - s->y2, vx = t->x2 - t->x1, vy = t->y2 - t->y1;
    double cr = ux * vy - uy * vx, dot = ux * vx + uy * vy;
    return dot > 0 && fabs(cr) <= 1e-12 * (ux * ux + uy * uy + vx * vx + vy * vy);
}

static int cmp_bseg(const void *a, const void *b)
{
    const cc__bseg *s = a, *t = b;
    if (s->xmin != t->xmin) return s->xmin < t->xmin ? -1 : 1;
    if (s->ring != t->ring) return s->ring < t->ring ? -1 : 1;
    return (s->k > t->k) - (s->k < t->k);
}

/* Step 3c: undo simplified steps that clash with another step until none does. */
static cc_status untangle(cc_ctx *ctx, cc_service_ws *ws, size_t nr)
{
    cc_status st;
    for (int round = 0;; round++) {
        if ((round & 15) == 15 && (st = cc_check_interrupt(ctx))) return st;
        size_t ns = 0;
        for (size_t r = 0; r < nr; r++) {
            size_t a = ws->roff[r], n = ws->roff[r + 1] - a;
            const unsigned char *keep = ws->keep + a;
            size_t first = ns;
            uint32_t k = 0;
            for (size_t i = 0; i < n; i++) {
                if (!keep[i]) continue;
                size_t j = i + 1;
                while (j < n && !keep[j])
                    j++;
                if ((st =
                         cc_grow_array(ctx, (void **)&ws->bs, &ws->bs_cap, ns + 1, sizeof *ws->bs)))
                    return st;
                cc__bseg *s = &ws->bs[ns++];
                size_t jj = j == n ? 0 : j;
                s->x1 = ws->rx[a + i];
                s->y1 = ws->ry[a + i];
                s->x2 = ws->rx[a + jj];
                s->y2 = ws->ry[a + jj];
                s->xmin = s->x1 < s->x2 ? s->x1 : s->x2;
                s->xmax = s->x1 < s->x2 ? s->x2 : s->x1;
                s->ymin = s->y1 < s->y2 ? s->y1 : s->y2;
                s->ymax = s->y1 < s->y2 ? s->y2 : s->y1;
                s->ring = (uint32_t)r;
                s->k = k++;
                s->a = (uint32_t)i;
                s->b = (uint32_t)j;
                s->bad = 0;
            }
            /* consecutive steps of a ring: only a fold back is a clash */
            size_t m = ns - first;
            for (size_t i = 0; i < m; i++) {
                cc__bseg *s = &ws->bs[first + i], *t = &ws->bs[first + (i + 1) % m];
                if (m > 1 && folds(s, t)) s->bad = t->bad = 1;
            }
        }
        qsort(ws->bs, ns, sizeof *ws->bs, cmp_bseg);
        for (size_t i = 0; i < ns; i++) {
            cc__bseg *s = &ws->bs[i];
            for (size_t j = i + 1; j < ns && ws->bs[j].xmin <= s->xmax + GAP_M; j++) {
                cc__bseg *t = &ws->bs[j];
                if (t->ymin > s->ymax + GAP_M || s->ymin > t->ymax + GAP_M) continue;
                if (s->ring == t->ring) {
                    uint32_t m = (uint32_t)(ws->roff[s->ring + 1] - ws->roff[s->ring]);
                    /* neighbours share a vertex: handled by folds() */
                    if (s->b == t->a || t->b == s->a || (s->b == m && t->a == 0) ||
                        (t->b == m && s->a == 0))
                        continue;
                }
                if (steps_clash(s, t)) s->bad = t->bad = 1;
            }
        }
        int undone = 0;
        for (size_t i = 0; i < ns; i++) {
            const cc__bseg *s = &ws->bs[i];
            if (!s->bad || s->b - s->a < 2) continue;
            unsigned char *keep = ws->keep + ws->roff[s->ring];
            for (uint32_t k = s->a + 1; k < s->b; k++)
                keep[k] = 1;
            undone = 1;
        }
        if (!undone) return CC_OK;
    }
}

/* Is (px, py) inside the kept vertices of ring r (crossing number)? */
static int in_ring(const cc_service_ws *ws, size_t r, double px, double py)
{
    size_t a = ws->roff[r], b = ws->roff[r + 1];
    int in = 0;
    size_t prev = 0, have = 0, first = 0;
    for (size_t k = a; k < b; k++) {
        if (!ws->keep[k]) continue;
        if (!have) {
            first = k;
            have = 1;
        } else {
            double x1 = ws->rx[prev], y1 = ws->ry[prev], x2 = ws->rx[k], y2 = ws->ry[k];
            if ((y1 > py) != (y2 > py) && px < x1 + (py - y1) * (x2 - x1) / (y2 - y1)) in = !in;
        }
        prev = k;
    }
    if (have) {
        double x1 = ws->rx[prev], y1 = ws->ry[prev], x2 = ws->rx[first], y2 = ws->ry[first];
        if ((y1 > py) != (y2 > py) && px < x1 + (py - y1) * (x2 - x1) / (y2 - y1)) in = !in;
    }
    return in;
}

/* Step 3d: write shells (each followed by its holes) as one feature. */
static cc_status emit(cc_ctx *ctx, cc_service_ws *ws, size_t nr, cc_geom_polys *out)
{
    size_t nc = 0;
    for (size_t r = 0; r < nr; r++) {
        for (size_t k = ws->roff[r]; k < ws->roff[r + 1]; k++)
            nc += ws->keep[k];
        nc++;
    }
    /* bounding boxes of the kept vertices, in rarea's place once the sign is read */
    double *box = cc_malloc_array(ctx, nr ? 4 * nr : 1, sizeof *box);
    if (!box) return CC_ERR_NOMEM;
    for (size_t r = 0; r < nr; r++) {
        double *b = box + 4 * r;
        b[0] = b[1] = INFINITY;
        b[2] = b[3] = -INFINITY;
        for (size_t k = ws->roff[r]; k < ws->roff[r + 1]; k++) {
            if (!ws->keep[k]) continue;
            if (ws->rx[k] < b[0]) b[0] = ws->rx[k];
            if (ws->ry[k] < b[1]) b[1] = ws->ry[k];
            if (ws->rx[k] > b[2]) b[2] = ws->rx[k];
            if (ws->ry[k] > b[3]) b[3] = ws->ry[k];
        }
    }
    /* Each hole's shell: the smallest outer ring holding its first vertex. */
    for (size_t r = 0; r < nr; r++) {
        ws->rshell[r] = NIL;
        if (ws->rarea[r] > 0) continue;
        const double *hb = box + 4 * r;
        double px = ws->rx[ws->roff[r]], py = ws->ry[ws->roff[r]];
        size_t cand = 0, last = 0;
        for (size_t s = 0; s < nr; s++) {
            const double *sb = box + 4 * s;
            if (ws->rarea[s] > 0 && sb[0] <= hb[0] && sb[1] <= hb[1] && sb[2] >= hb[2] &&
                sb[3] >= hb[3]) {
                cand++;
                last = s;
            }
        }
        if (cand == 1) {
            ws->rshell[r] = (uint32_t)last;
            continue;
        }
        double best = INFINITY;
        for (size_t s = 0; s < nr; s++) {
            const double *sb = box + 4 * s;
            if (!(ws->rarea[s] > 0 && sb[0] <= hb[0] && sb[1] <= hb[1] && sb[2] >= hb[2] &&
                  sb[3] >= hb[3]))
                continue;
            if (ws->rarea[s] < best && in_ring(ws, s, px, py)) {
                best = ws->rarea[s];
                ws->rshell[r] = (uint32_t)s;
            }
        }
    }
    cc_free(box);
    for (size_t r = 0; r < nr; r++)
        if (ws->rarea[r] <= 0 && ws->rshell[r] == NIL)
            return cc_error(ctx, CC_ERR_GEOM, "service area: a hole outside every outline");

    cc_geom_polys p = {0};
    p.n = 1;
    p.feat_part = cc_malloc_array(ctx, 2, sizeof *p.feat_part);
    p.part_coord = cc_malloc_array(ctx, nr + 1, sizeof *p.part_coord);
    p.part_hole = cc_malloc_array(ctx, nr ? nr : 1, sizeof *p.part_hole);
    p.x = cc_malloc_array(ctx, nc ? nc : 1, sizeof *p.x);
    p.y = cc_malloc_array(ctx, nc ? nc : 1, sizeof *p.y);
    if (!p.feat_part || !p.part_coord || !p.part_hole || !p.x || !p.y) {
        cc_geom_polys_free(&p);
        return CC_ERR_NOMEM;
    }
    size_t c = 0, part = 0;
    p.part_coord[0] = 0;
    for (size_t s = 0; s < nr; s++) {
        if (ws->rarea[s] <= 0) continue;
        for (size_t r = s; r < nr; r++) {
            if (r != s && ws->rshell[r] != s) continue;
            size_t a = ws->roff[r], b = ws->roff[r + 1], c0 = c;
            for (size_t k = a; k < b; k++)
                if (ws->keep[k]) {
                    p.x[c] = ws->rx[k];
                    p.y[c++] = ws->ry[k];
                }
            p.x[c] = p.x[c0];
            p.y[c++] = p.y[c0];
            p.part_hole[part] = r != s;
            p.part_coord[++part] = c;
        }
    }
    p.feat_part[0] = 0;
    p.feat_part[1] = part;
    p.n_parts = part;
    p.n_coords = c;
    *out = p;
    return CC_OK;
}

/* Rings whose kept vertices run the other way round than the ring (or enclose nothing) get
 * all their vertices back. Returns 1 when any did. */
static int restore_turned(cc_service_ws *ws, size_t nr)
{
    int any = 0;
    for (size_t k = 0; k < nr; k++) {
        size_t a = ws->roff[k], b = ws->roff[k + 1];
        double s = 0;
        size_t prev = NIL, all = 1;
        for (size_t i = a; i <= b; i++) {
            size_t v = i == b ? a : i; /* vertex a is always kept: close on it */
            if (i < b && !ws->keep[v]) {
                all = 0;
                continue;
            }
            if (prev != NIL)
                s += (ws->rx[prev] - ws->rx[a]) * (ws->ry[v] - ws->ry[a]) -
                     (ws->rx[v] - ws->rx[a]) * (ws->ry[prev] - ws->ry[a]);
            prev = v;
        }
        if (!all && (s > 0) != (ws->rarea[k] > 0)) {
            memset(ws->keep + a, 1, b - a);
            any = 1;
        }
    }
    return any;
}

cc_status cc__band_trace(cc_ctx *ctx, cc_service_ws *ws, size_t n_seg, double r, double cell,
                         double simplify, cc_geom_polys *out)
{
    cc_status st;
    memset(out, 0, sizeof *out);
    double xmin = INFINITY, ymin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
    for (size_t s = 0; s < n_seg; s++) {
        const double *sg = ws->seg + 4 * s;
        for (int e = 0; e < 2; e++) {
            double x = sg[2 * e], y = sg[2 * e + 1];
            if (!isfinite(x) || !isfinite(y))
                return cc_error(ctx, CC_ERR_GEOM, "service area: a non-finite coordinate");
            if (x < xmin) xmin = x;
            if (x > xmax) xmax = x;
            if (y < ymin) ymin = y;
            if (y > ymax) ymax = y;
        }
    }
    /* The grid: two cells and r beyond the segments, so its border is outside the band;
     * anchored at multiples of the cell shifted by 0.618 cell, so that round coordinates of
     * synthetic networks do not fall on grid lines. Coarser when it would be too large. */
    double h = cell;
    for (;;) {
        double pad = r + 2 * h;
        double w = (xmax - xmin) + 2 * pad, ht = (ymax - ymin) + 2 * pad;
        double nv = (w / h + 3) * (ht / h + 3);
        if (nv <= (double)MAX_GRID) break;
        h *= 1.25;
    }
    grid g;
    g.h = h;
    g.ih = 1.0 / h;
    double pad = r + 2 * h;
    g.x0 = (floor((xmin - pad) / h) - 0.618) * h;
    g.y0 = (floor((ymin - pad) / h) - 0.618) * h;
    g.ncol = (size_t)ceil((xmax + pad - g.x0) / h) + 1;
    g.nrow = (size_t)ceil((ymax + pad - g.y0) / h) + 1;
    size_t nv = g.ncol * g.nrow;
    {
        void **ga[] = {(void **)&ws->d2, (void **)&ws->sid, (void **)&ws->hx, (void **)&ws->vx,
                       (void **)&ws->in};
        const size_t ge[] = {sizeof *ws->d2, sizeof *ws->sid, sizeof *ws->hx, sizeof *ws->vx,
                             sizeof *ws->in};
        if ((st = grow_group(ctx, &ws->grid_cap, nv, 5, ga, ge))) return st;
        void **ra[] = {(void **)&ws->rlo, (void **)&ws->rhi};
        const size_t re[] = {sizeof *ws->rlo, sizeof *ws->rhi};
        if ((st = grow_group(ctx, &ws->row_cap, g.nrow, 2, ra, re))) return st;
    }
    if ((st = cc__band_rasterize(ctx, ws, &g, n_seg, r))) return st;
    size_t np = 0, nr = 0;
    if ((st = cc__band_trace_cells(ctx, ws, &g, r, &np))) return st;
    if ((st = follow(ctx, ws, np, &nr))) return st;
    for (size_t k = 0; k < nr; k++) {
        size_t a = ws->roff[k];
        if ((st = simplify_ring(ctx, ws, ws->rx + a, ws->ry + a, ws->roff[k + 1] - a, simplify,
                                ws->keep + a)))
            return st;
    }
    /* Untangle; a ring that simplification turned over keeps all its vertices, and then the
     * steps are checked again (rings only ever get vertices back, so this ends). */
    while (simplify > 0) {
        if ((st = untangle(ctx, ws, nr))) return st;
        if (!restore_turned(ws, nr)) break;
    }
    return emit(ctx, ws, nr, out);
}
