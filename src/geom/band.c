/* SPDX-License-Identifier: Apache-2.0 */
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
 */
#include "geom/band.h"
#include "core/internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
/* Grid points at most (about 40 bytes each): larger areas get coarser cells. */
#define MAX_GRID ((size_t)1 << 21)
/* A crossing stays this fraction of a cell away from the grid points. */
#define EDGE_EPS 0.01
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

/* Intersect [*a, *b] with the t where lo <= k0 + t k1 <= hi; 0 when empty. */
static int slab(double k0, double k1, double lo, double hi, double *a, double *b)
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
static int capsule_line(const double *s, double r, double px, double py, double ux, double uy,
                        double *t0, double *t1)
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
static double seg_d2(const double *s, double x, double y, double *cx, double *cy)
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

static inline float bits_float(int32_t b)
{
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

/* Intersect [*lo, *hi] with the i where blo <= c0 + i c1 <= bhi. */
static void row_limit(double c0, double c1, double blo, double bhi, double *lo, double *hi)
{
    if (c1 == 0) {
        if (c0 < blo || c0 > bhi) *hi = -1;
        return;
    }
    double a = (blo - c0) / c1, b = (bhi - c0) / c1;
    if (a > b) {
        double x = a;
        a = b;
        b = x;
    }
    if (a > *lo) *lo = a;
    if (b < *hi) *hi = b;
}

/* floor and ceil of x clamped to [lo, hi] (small integers >= 0), without libm or branches. */
static inline long clamp_floor(double x, long lo, long hi)
{
    x = x > (double)lo ? x : (double)lo; /* also NaN: lo */
    x = x < (double)hi ? x : (double)hi;
    return (long)x;
}

static inline long clamp_ceil(double x, long lo, long hi)
{
    x = x > (double)lo ? x : (double)lo;
    x = x < (double)hi ? x : (double)hi;
    long i = (long)x;
    return i + ((double)i < x);
}

/* Squared distances from the n points (x0 + k step, py), k = 0 .. n-1, to the segment from
 * (ax, ay) by (dx, dy) (il2 = 1 / its squared length, 0 for a point), into out[], or their
 * minimum with out[] (keeping in sid[] the segment sv of the smaller) when sid is not NULL.
 * The loop works on the float bits so that it has no branches and vectorises: squared
 * distances are >= 0, so their bits order like the numbers, and a negative projection (sign
 * bit set) clears to 0. Callers pass a constant n where they can (whole vectors, no rest). */
static inline void dist_run(float *restrict out, uint32_t *restrict sid, int n, float x0,
                            float step, float py, float dx, float dy, float il2, uint32_t sv)
{
    const int32_t one = float_bits(1.0f);
    for (int k = 0; k < n; k++) {
        float px = x0 + (float)k * step;
        int32_t tb = float_bits((px * dx + py * dy) * il2);
        tb &= ~(tb >> 31);        /* < 0 (or -0): 0 */
        tb = tb < one ? tb : one; /* > 1: 1 */
        float t = bits_float(tb);
        float ex = px - t * dx, ey = py - t * dy;
        float d = ex * ex + ey * ey;
        if (!sid) {
            out[k] = d;
            continue;
        }
        int32_t db = float_bits(d), o = float_bits(out[k]);
        int32_t m = -(int32_t)(db < o);
        out[k] = bits_float((db & m) | (o & ~m));
        sid[k] = (sv & (uint32_t)m) | (sid[k] & ~(uint32_t)m);
    }
}

/* Fixed widths: a row of the fine pass is covered by blocks of FINE_W points (blocks may
 * overlap or pass the segment's reach: the minimum of true distances stays true), a segment's
 * tile corners by one block of DEEP_W when they fit. With GCC on x86-64 Linux these two
 * kernels also get an AVX2 copy chosen at load time (twice the lanes); without fused
 * multiply-add the results are the same bits either way. */
#define FINE_W 16
#define DEEP_W 8
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define CC__CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CC__CLONES
#endif

CC__CLONES static void dist_min_fine(float *restrict out, uint32_t *restrict sid, float x0,
                                     float step, float py, float dx, float dy, float il2,
                                     uint32_t sv)
{
    dist_run(out, sid, FINE_W, x0, step, py, dx, dy, il2, sv);
}

CC__CLONES static void dist_deep(float *restrict out, float x0, float step, float py, float dx,
                                 float dy, float il2)
{
    dist_run(out, NULL, DEEP_W, x0, step, py, dx, dy, il2, 0);
}

static void dist_any(float *restrict out, int n, float x0, float step, float py, float dx, float dy,
                     float il2)
{
    dist_run(out, NULL, n, x0, step, py, dx, dy, il2, 0);
}

static void dist_min_any(float *restrict out, uint32_t *restrict sid, int n, float x0, float step,
                         float py, float dx, float dy, float il2, uint32_t sv)
{
    dist_run(out, sid, n, x0, step, py, dx, dy, il2, sv);
}

/* Grid rows [j0, j1] and columns [c0, c1] within reach of a segment's capsule of radius R. */
static void seg_box(const grid *g, const double *sg, double R, long *j0, long *j1, long *c0,
                    long *c1)
{
    long lastc = (long)g->ncol - 1, lastr = (long)g->nrow - 1;
    double xa = sg[0] < sg[2] ? sg[0] : sg[2], xb = sg[0] < sg[2] ? sg[2] : sg[0];
    double ya = sg[1] < sg[3] ? sg[1] : sg[3], yb = sg[1] < sg[3] ? sg[3] : sg[1];
    *j0 = clamp_ceil((ya - R - g->y0) * g->ih, 0, lastr);
    *j1 = clamp_floor((yb + R - g->y0) * g->ih, 0, lastr);
    *c0 = clamp_ceil((xa - R - g->x0) * g->ih, 0, lastc);
    *c1 = clamp_floor((xb + R - g->x0) * g->ih, 0, lastc);
}

static void widen(cc_service_ws *ws, long j, long i0, long i1)
{
    if (i0 < ws->rlo[j]) ws->rlo[j] = (int32_t)i0;
    if (i1 > ws->rhi[j]) ws->rhi[j] = (int32_t)i1;
}

/* Step 1a: tiles of 2 x 2 cells lying wholly within rd = r - 1.01 h of one segment (their four
 * corners are: the capsule is convex). Every grid point of such a tile is inside the band and
 * so are its neighbours: no outline passes there, and the tile's points need no distance.
 * They get distance 0. */
static cc_status deep_tiles(cc_ctx *ctx, cc_service_ws *ws, const grid *g, size_t n_seg, double r,
                            size_t ntx, size_t nty)
{
    cc_status st;
    memset(ws->deep, 0, ntx * nty);
    double H = 2 * g->h, rd = r - 1.01 * g->h;
    if (!(rd > 0) || ntx == 0 || nty == 0) return CC_OK;
    const int32_t rdb = float_bits((float)(rd * rd));
    float Hf = (float)H;
    /* tile corners: the even grid points, a grid of H */
    grid tg = {g->x0, g->y0, H, 1.0 / H, ntx + 1, nty + 1};
    for (size_t s = 0; s < n_seg; s++) {
        const double *sg = ws->seg + 4 * s;
        long b0, b1, a0, a1;
        seg_box(&tg, sg, rd, &b0, &b1, &a0, &a1);
        if (a1 <= a0 || b1 <= b0) continue; /* no whole tile */
        int n = (int)(a1 - a0 + 1);
        int fixed = n <= DEEP_W && ntx + 1 >= DEEP_W;
        if (fixed) {
            if (a0 + DEEP_W > (long)ntx + 1) a0 = (long)ntx + 1 - DEEP_W;
            n = DEEP_W;
        }
        if (2 * (size_t)n > ws->run_cap &&
            (st = cc_grow_array(ctx, (void **)&ws->run, &ws->run_cap, 2 * (size_t)n, sizeof *ws->run)))
            return st;
        float dx = (float)(sg[2] - sg[0]), dy = (float)(sg[3] - sg[1]);
        float l2 = dx * dx + dy * dy, il2 = l2 > 0 ? 1.0f / l2 : 0.0f;
        float x0 = (float)(tg.x0 + (double)a0 * H - sg[0]);
        if (fixed) {
            /* one mask of DEEP_W corners a row; a tile is deep when its four corners are in */
            unsigned prev = 0;
            for (long b = b0; b <= b1; b++) {
                float py = (float)(tg.y0 + (double)b * H - sg[1]);
                float d[DEEP_W];
                dist_deep(d, x0, Hf, py, dx, dy, il2);
                unsigned m = 0;
                for (int k = 0; k < DEEP_W; k++)
                    m |= (unsigned)(float_bits(d[k]) < rdb) << k;
                unsigned t = prev & m;
                t &= t >> 1;
                if (b > b0 && t) {
                    unsigned char *dt = ws->deep + (size_t)(b - 1) * ntx + a0;
                    for (int k = 0; k + 1 < DEEP_W; k++)
                        dt[k] |= (unsigned char)((t >> k) & 1);
                }
                prev = m;
            }
            continue;
        }
        float *prev = ws->run, *cur = ws->run + n;
        for (long b = b0; b <= b1; b++) {
            float py = (float)(tg.y0 + (double)b * H - sg[1]);
            dist_any(cur, n, x0, Hf, py, dx, dy, il2);
            if (b > b0) {
                /* squared distances are >= 0: compare their bits */
                unsigned char *dt = ws->deep + (size_t)(b - 1) * ntx + a0;
                for (int k = 0; k + 1 < n; k++) {
                    int32_t m = float_bits(prev[k]);
                    int32_t q = float_bits(prev[k + 1]);
                    m = m > q ? m : q;
                    q = float_bits(cur[k]);
                    m = m > q ? m : q;
                    q = float_bits(cur[k + 1]);
                    m = m > q ? m : q;
                    dt[k] |= (unsigned char)(m < rdb);
                }
            }
            float *x = prev;
            prev = cur;
            cur = x;
        }
    }
    /* Distance 0 at their points. */
    for (size_t b = 0; b < nty; b++) {
        const unsigned char *dt = ws->deep + b * ntx;
        for (size_t a = 0; a < ntx; a++) {
            if (!dt[a]) continue;
            for (size_t j = 2 * b; j <= 2 * b + 2; j++) {
                float *row = ws->d2 + j * g->ncol;
                row[2 * a] = row[2 * a + 1] = row[2 * a + 2] = 0.0f;
                widen(ws, (long)j, (long)(2 * a), (long)(2 * a + 2));
            }
        }
    }
    return CC_OK;
}

/* Is every grid point of rows [j0, j1] and columns [c0, c1] in a deep tile? */
static int all_deep(const cc_service_ws *ws, size_t ntx, size_t nty, long j0, long j1, long c0,
                    long c1)
{
    long a0 = c0 / 2, a1 = c1 / 2, b0 = j0 / 2, b1 = j1 / 2;
    /* the last even point closes the last tile */
    if (a1 == (long)ntx && c1 == 2 * (long)ntx) a1--;
    if (b1 == (long)nty && j1 == 2 * (long)nty) b1--;
    if (a1 >= (long)ntx || b1 >= (long)nty) return 0;
    /* deep tiles in the box from the summed-area table */
    size_t w = ntx + 1;
    const uint32_t *t = ws->sat;
    uint32_t n = t[(size_t)(b1 + 1) * w + (size_t)(a1 + 1)] - t[(size_t)b0 * w + (size_t)(a1 + 1)] -
                 t[(size_t)(b1 + 1) * w + (size_t)a0] + t[(size_t)b0 * w + (size_t)a0];
    return n == (uint32_t)((a1 - a0 + 1) * (b1 - b0 + 1));
}

/* Summed-area table of the deep tiles: sat[(b + 1) (ntx + 1) + a + 1] counts the deep tiles
 * of columns 0..a and rows 0..b. */
static void deep_sums(cc_service_ws *ws, size_t ntx, size_t nty)
{
    size_t w = ntx + 1;
    uint32_t *t = ws->sat;
    memset(t, 0, w * sizeof *t);
    for (size_t b = 0; b < nty; b++) {
        const unsigned char *dt = ws->deep + b * ntx;
        uint32_t *row = t + (b + 1) * w, *up = row - w, acc = 0;
        row[0] = 0;
        for (size_t a = 0; a < ntx; a++) {
            acc += dt[a];
            row[a + 1] = up[a + 1] + acc;
        }
    }
}

/* Step 1: nearest segment and its squared distance at every grid point within r + h (and at
 * some a little further: a short segment takes the box of its capsule, a long one per row the
 * points of its rectangle widened by r + h on all sides), except where only deep tiles are.
 * Records the columns written in each row. */
static cc_status rasterize(cc_ctx *ctx, cc_service_ws *ws, const grid *g, size_t n_seg, double r)
{
    size_t nv = g->ncol * g->nrow;
    float *d2 = ws->d2;
    uint32_t *sid = ws->sid;
    cc_status st;
    for (size_t v = 0; v < nv; v++)
        d2[v] = FLT_MAX;
    memset(sid, 0xff, nv * sizeof *sid);
    for (size_t j = 0; j < g->nrow; j++) {
        ws->rlo[j] = INT32_MAX;
        ws->rhi[j] = -1;
    }
    size_t ntx = (g->ncol - 1) / 2, nty = (g->nrow - 1) / 2;
    if ((st = cc_grow_array(ctx, (void **)&ws->deep, &ws->deep_cap, ntx * nty + 1, 1))) return st;
    if ((st = deep_tiles(ctx, ws, g, n_seg, r, ntx, nty))) return st;
    if ((st = cc_grow_array(ctx, (void **)&ws->sat, &ws->sat_cap, (ntx + 1) * (nty + 1),
                       sizeof *ws->sat)))
        return st;
    deep_sums(ws, ntx, nty);
    double R = r + g->h, h = g->h;
    long lastc = (long)g->ncol - 1;
    float hf = (float)h;
    for (size_t s = 0; s < n_seg; s++) {
        if ((s & 4095) == 4095 && (st = cc_check_interrupt(ctx))) return st;
        const double *sg = ws->seg + 4 * s;
        long j0, j1, c0, c1;
        seg_box(g, sg, R, &j0, &j1, &c0, &c1);
        if (j0 > j1 || c0 > c1 || all_deep(ws, ntx, nty, j0, j1, c0, c1)) continue;
        double ddx = sg[2] - sg[0], ddy = sg[3] - sg[1], len = sqrt(ddx * ddx + ddy * ddy);
        int by_row = len > 2 * R;
        float ax = (float)(sg[0] - g->x0);
        float dx = (float)ddx, dy = (float)ddy;
        float l2 = dx * dx + dy * dy, il2 = l2 > 0 ? 1.0f / l2 : 0.0f;
        for (long j = j0; j <= j1; j++) {
            double wy = g->y0 + (double)j * h - sg[1];
            long i0 = c0, i1 = c1;
            if (by_row) {
                /* along the segment within [-R, len + R], across it within R */
                double wx = g->x0 - sg[0], lo = -1, hi = (double)g->ncol;
                row_limit((wx * ddx + wy * ddy) / len, h * ddx / len, -R, len + R, &lo, &hi);
                row_limit((wx * ddy - wy * ddx) / len, h * ddy / len, -R, R, &lo, &hi);
                if (lo > hi) continue;
                i0 = clamp_ceil(lo, 0, lastc);
                i1 = clamp_floor(hi, 0, lastc);
                if (i0 > i1) continue;
            }
            widen(ws, j, i0, i1);
            size_t o = (size_t)j * g->ncol;
            if (g->ncol >= FINE_W) {
                for (long i = i0; i <= i1; i += FINE_W) {
                    long b = i + FINE_W <= (long)g->ncol ? i : (long)g->ncol - FINE_W;
                    dist_min_fine(d2 + o + b, sid + o + b, (float)b * hf - ax, hf, (float)wy, dx,
                                  dy, il2, (uint32_t)s);
                }
            } else {
                dist_min_any(d2 + o + i0, sid + o + i0, (int)(i1 - i0 + 1), (float)i0 * hf - ax, hf,
                             (float)wy, dx, dy, il2, (uint32_t)s);
            }
        }
    }
    return CC_OK;
}

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
static cc_status trace_cells(cc_ctx *ctx, cc_service_ws *ws, const grid *g, double r, size_t *n_pt)
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
                if (np == ws->pt_cap &&
                    (st = cc_grow_array(ctx, (void **)&ws->pt, &ws->pt_cap, np + 1, sizeof *ws->pt)))
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
    if ((st = cc_grow_array(ctx, (void **)&ws->stack, &ws->stack_cap, 4, sizeof *ws->stack))) return st;
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
        if ((st = cc_grow_array(ctx, (void **)&ws->stack, &ws->stack_cap, sp + 4, sizeof *ws->stack)))
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
                if ((st = cc_grow_array(ctx, (void **)&ws->bs, &ws->bs_cap, ns + 1, sizeof *ws->bs)))
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
    if ((st = rasterize(ctx, ws, &g, n_seg, r))) return st;
    size_t np = 0, nr = 0;
    if ((st = trace_cells(ctx, ws, &g, r, &np))) return st;
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
