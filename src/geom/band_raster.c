/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Band tracer, step 1 (see band.c): deep tiles and the squared distance of every grid point
 * near a segment to the nearest segment, in fixed-width branch-free blocks that vectorise.
 */
#include "geom/band_internal.h"
#include "core/internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline float bits_float(int32_t b)
{
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

/* Intersect [*lo, *hi] with the i where blo <= c0 + i c1 <= bhi (slab's clip); a constant
 * c0 outside [blo, bhi] empties it (*hi = -1). */
static void row_limit(double c0, double c1, double blo, double bhi, double *lo, double *hi)
{
    if (!slab(c0, c1, blo, bhi, lo, hi) && c1 == 0) *hi = -1;
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
        if (2 * (size_t)n > ws->run_cap && (st = cc_grow_array(ctx, (void **)&ws->run, &ws->run_cap,
                                                               2 * (size_t)n, sizeof *ws->run)))
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
cc_status cc__band_rasterize(cc_ctx *ctx, cc_service_ws *ws, const grid *g, size_t n_seg, double r)
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
