/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Spreading polygon counts to points: grid cells of a rectangle, an L shape, a holed square,
 * a ring-shaped piece whose centroid falls outside it, a repaired bow-tie, building targets
 * with weights (and overlapping polygons: lowest index wins), tiny, collapsed and empty
 * polygons, errors, out-of-memory paths, determinism, and random star-shaped polygons checked
 * against an independent Sutherland-Hodgman clipping oracle and a point-in-polygon oracle.
 */
#include "carecircle/geom.h"
#include "cc_test.h"

#include <stdint.h>
#include <stdlib.h>

/* ---- Building the flat ring layout ---- */
typedef struct layout {
    size_t feat_part[128], part_coord[256];
    unsigned char part_hole[256];
    double x[4096], y[4096];
    size_t n_feat, n_part, n_coord;
} layout;

static void ring(layout *l, int hole, size_t n, const double *xy)
{
    if (l->n_part == 0) l->part_coord[0] = 0;
    for (size_t k = 0; k < n; k++) {
        l->x[l->n_coord] = xy[2 * k];
        l->y[l->n_coord] = xy[2 * k + 1];
        l->n_coord++;
    }
    l->part_hole[l->n_part] = (unsigned char)hole;
    l->n_part++;
    l->part_coord[l->n_part] = l->n_coord;
}

static void end_feature(layout *l)
{
    if (l->n_part == 0) l->part_coord[0] = 0;
    l->n_feat++;
    l->feat_part[l->n_feat] = l->n_part;
}

#define RING(l, hole, ...)                                                                         \
    do {                                                                                           \
        const double cc__xy[] = {__VA_ARGS__};                                                     \
        ring(l, hole, sizeof cc__xy / sizeof cc__xy[0] / 2, cc__xy);                               \
    } while (0)

static cc_status spread(cc_ctx *ctx, const layout *l, size_t nt, const double *tx, const double *ty,
                        const double *tw, double cell_m, cc_spread_result *r)
{
    return cc_geom_spread(ctx, l->n_feat, l->feat_part, l->part_coord, l->part_hole, l->x, l->y, nt,
                          tx, ty, tw, cell_m, r);
}

/* Weights of polygon i sum to 1, points are ordered by polygon. */
static void check_sums(const cc_spread_result *r, size_t n_poly)
{
    for (size_t i = 0; i < n_poly; i++) {
        double s = 0.0;
        size_t m = 0;
        for (size_t k = 0; k < r->n; k++)
            if (r->src[k] == (int32_t)i) {
                s += r->weight[k];
                m++;
            }
        if (m) CC__REPORT(fabs(s - 1.0) <= 1e-12, "polygon %zu: weights sum to %.17g", i, s);
    }
    for (size_t k = 1; k < r->n; k++)
        CC__REPORT(r->src[k - 1] <= r->src[k], "point %zu out of polygon order", k);
}

static void check_point(const cc_spread_result *r, size_t k, int32_t src, double x, double y,
                        double w)
{
    if (k >= r->n) {
        CC__REPORT(0, "point %zu missing (n = %zu)", k, r->n);
        return;
    }
    CC__REPORT(r->src[k] == src && fabs(r->x[k] - x) <= 1e-9 && fabs(r->y[k] - y) <= 1e-9 &&
                   fabs(r->weight[k] - w) <= 1e-12,
               "point %zu: got src %d (%.10g, %.10g) w %.15g; want src %d (%.10g, %.10g) w %.15g",
               k, r->src[k], r->x[k], r->y[k], r->weight[k], src, x, y, w);
}

/* A 300 m x 200 m rectangle on the grid: six cells, weight 1/6 each at the cell centres. An
 * unaligned 200 m x 100 m rectangle: half, whole, half cell. */
static void test_rectangles(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 1000, 2000, 1300, 2000, 1300, 2200, 1000, 2200); /* not closed */
    end_feature(&l);
    RING(&l, 0, 1050, 2000, 1250, 2000, 1250, 2100, 1050, 2100, 1050, 2000); /* closed */
    end_feature(&l);
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 9);
    CHECK_INT(r.n_grid, 2);
    CHECK_INT(r.n_targets, 0);
    CHECK_INT(r.n_repaired, 0);
    CHECK_INT(r.n_collapsed + r.n_empty, 0);
    /* Row by row (y), then column by column (x). */
    check_point(&r, 0, 0, 1050, 2050, 1.0 / 6);
    check_point(&r, 1, 0, 1150, 2050, 1.0 / 6);
    check_point(&r, 2, 0, 1250, 2050, 1.0 / 6);
    check_point(&r, 3, 0, 1050, 2150, 1.0 / 6);
    check_point(&r, 4, 0, 1150, 2150, 1.0 / 6);
    check_point(&r, 5, 0, 1250, 2150, 1.0 / 6);
    check_point(&r, 6, 1, 1075, 2050, 0.25);
    check_point(&r, 7, 1, 1150, 2050, 0.5);
    check_point(&r, 8, 1, 1225, 2050, 0.25);
    check_sums(&r, 2);
    cc_geom_spread_result_free(&r);
    CHECK(r.n == 0 && r.x == NULL && r.weight == NULL);
    cc_geom_spread_result_free(NULL);
}

/*
 * L shape: [0,200]x[0,50] plus [0,50]x[50,200], area 17500. Cell (0,0) holds [0,100]x[0,50]
 * (5000, centroid (50,25)) and [0,50]x[50,100] (2500, centroid (25,75)): 7500 at
 * (41.667, 41.667); cell (1,0) holds [100,200]x[0,50]: 5000 at (150,25); cell (0,1) holds
 * [0,50]x[100,200]: 5000 at (25,150); cell (1,1) nothing. Weights 3/7, 2/7, 2/7.
 */
static void test_l_shape(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 200, 0, 200, 50, 50, 50, 50, 200, 0, 200);
    end_feature(&l);
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 3);
    check_point(&r, 0, 0, 125.0 / 3, 125.0 / 3, 3.0 / 7);
    check_point(&r, 1, 0, 150, 25, 2.0 / 7);
    check_point(&r, 2, 0, 25, 150, 2.0 / 7);
    check_sums(&r, 1);
    cc_geom_spread_result_free(&r);

    /* With a 50 m grid: 7 whole cells of 2500, weight 1/7 each. */
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 50.0, &r), CC_OK);
    CHECK_INT(r.n, 7);
    check_point(&r, 0, 0, 25, 25, 1.0 / 7);
    check_point(&r, 3, 0, 175, 25, 1.0 / 7);
    check_point(&r, 4, 0, 25, 75, 1.0 / 7);
    check_point(&r, 6, 0, 25, 175, 1.0 / 7);
    cc_geom_spread_result_free(&r);
}

/* A 300 m square with a 100 m hole on the middle cell: 8 points, none in the hole. */
static void test_hole(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 300, 0, 300, 300, 0, 300);
    RING(&l, 1, 100, 100, 200, 100, 200, 200, 100, 200);
    end_feature(&l);
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 8);
    for (size_t k = 0; k < r.n; k++) {
        CHECK_NEAR(r.weight[k], 0.125, 1e-15);
        CC__REPORT(!(r.x[k] == 150 && r.y[k] == 150), "point %zu in the hole", k);
    }
    check_point(&r, 3, 0, 50, 150, 0.125);
    check_point(&r, 4, 0, 250, 150, 0.125);
    check_sums(&r, 1);
    cc_geom_spread_result_free(&r);
}

/*
 * [0,100]x[0,300] with a hole [10,90]x[10,90]: the piece in cell (0,0) is a square ring of
 * 3600 m2 whose centroid (50,50) lies in the hole, so its point moves onto the ring. Cells
 * (0,1) and (0,2) are whole. Total 23600.
 */
static void test_centroid_outside(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 100, 0, 100, 300, 0, 300);
    RING(&l, 1, 10, 10, 90, 10, 90, 90, 10, 90);
    end_feature(&l);
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 3);
    if (r.n == 3) {
        CHECK_NEAR(r.weight[0], 3600.0 / 23600, 1e-15);
        double px = r.x[0], py = r.y[0];
        int on_ring = px >= 0 && px <= 100 && py >= 0 && py <= 100 &&
                      (px <= 10 || px >= 90 || py <= 10 || py >= 90);
        CC__REPORT(on_ring, "point (%g, %g) is not on the ring piece", px, py);
    }
    check_point(&r, 1, 0, 50, 150, 10000.0 / 23600);
    check_point(&r, 2, 0, 50, 250, 10000.0 / 23600);
    check_sums(&r, 1);
    cc_geom_spread_result_free(&r);
}

/*
 * Bow-tie (0,0)-(200,0)-(0,200)-(200,200): repaired into two triangles of 10000 m2 meeting at
 * (100,100). Each of the four cells holds a right triangle of 5000 m2; in cell (0,0) it is
 * (0,0)-(100,0)-(100,100) with centroid (200/3, 100/3).
 */
static void test_bowtie(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 200, 0, 0, 200, 200, 200);
    end_feature(&l);
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n_repaired, 1);
    CHECK_INT(r.n, 4);
    check_point(&r, 0, 0, 200.0 / 3, 100.0 / 3, 0.25);
    check_point(&r, 1, 0, 100 + 100.0 / 3, 100.0 / 3, 0.25);
    check_point(&r, 2, 0, 200.0 / 3, 200 - 100.0 / 3, 0.25);
    check_point(&r, 3, 0, 100 + 100.0 / 3, 200 - 100.0 / 3, 0.25);
    cc_geom_spread_result_free(&r);
}

/*
 * Polygon 0 ([0,100]^2) holds targets 0, 1, 3 with weights 1, 1, 2; target 2 lies outside
 * every polygon; polygon 1 ([1000,1300]x[0,100]) holds none and falls back to the grid.
 */
static void test_targets(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 100, 0, 100, 100, 0, 100);
    end_feature(&l);
    RING(&l, 0, 1000, 0, 1300, 0, 1300, 100, 1000, 100);
    end_feature(&l);
    const double tx[4] = {10, 20, 500, 50}, ty[4] = {10, 20, 500, 50}, tw[4] = {1, 1, 7, 2};
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 4, tx, ty, tw, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 6);
    CHECK_INT(r.n_targets, 1);
    CHECK_INT(r.n_grid, 1);
    check_point(&r, 0, 0, 10, 10, 0.25);
    check_point(&r, 1, 0, 20, 20, 0.25);
    check_point(&r, 2, 0, 50, 50, 0.5);
    check_point(&r, 3, 1, 1050, 50, 1.0 / 3);
    check_point(&r, 4, 1, 1150, 50, 1.0 / 3);
    check_point(&r, 5, 1, 1250, 50, 1.0 / 3);
    double sum = 0;
    for (size_t k = 0; k < r.n; k++)
        sum += r.weight[k];
    CHECK_NEAR(sum, 2.0, 1e-12);
    cc_geom_spread_result_free(&r);

    /* No weights: equal shares. */
    CHECK_INT(spread(ctx, &l, 4, tx, ty, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 6);
    check_point(&r, 0, 0, 10, 10, 1.0 / 3);
    check_point(&r, 2, 0, 50, 50, 1.0 / 3);
    cc_geom_spread_result_free(&r);

    /* Zero weights inside: equal shares; a zero-weight target among others gets no point. */
    const double tz[4] = {0, 0, 5, 0}, tp[4] = {3, 0, 5, 1};
    CHECK_INT(spread(ctx, &l, 4, tx, ty, tz, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 6);
    check_point(&r, 1, 0, 20, 20, 1.0 / 3);
    cc_geom_spread_result_free(&r);
    CHECK_INT(spread(ctx, &l, 4, tx, ty, tp, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 5);
    check_point(&r, 0, 0, 10, 10, 0.75);
    check_point(&r, 1, 0, 50, 50, 0.25);
    check_point(&r, 2, 1, 1050, 50, 1.0 / 3);
    cc_geom_spread_result_free(&r);
}

/* Overlapping polygons: a target in both goes to the lower index, boundaries count inside. */
static void test_overlap(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 50, 0, 150, 0, 150, 100, 50, 100);
    end_feature(&l);
    RING(&l, 0, 0, 0, 100, 0, 100, 100, 0, 100);
    end_feature(&l);
    /* (75,50): both -> 0; (20,50): 1 only; (50,50): edge of 0, inside 1 -> 0;
     * (0,100): corner of 1 only -> 1; (120,50): 0 only. */
    const double tx[5] = {75, 20, 50, 0, 120}, ty[5] = {50, 50, 50, 100, 50};
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 5, tx, ty, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 5);
    check_point(&r, 0, 0, 75, 50, 1.0 / 3);
    check_point(&r, 1, 0, 50, 50, 1.0 / 3);
    check_point(&r, 2, 0, 120, 50, 1.0 / 3);
    check_point(&r, 3, 1, 20, 50, 0.5);
    check_point(&r, 4, 1, 0, 100, 0.5);
    cc_geom_spread_result_free(&r);
}

/* Tiny, collapsed and empty polygons, and a multipolygon. */
static void test_small_and_degenerate(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 5, 5, 15, 5, 15, 15, 5, 15); /* 0: 100 m2, smaller than a cell */
    end_feature(&l);
    RING(&l, 0, 0, 0, 10, 0, 20, 0); /* 1: collinear: no area */
    end_feature(&l);
    end_feature(&l);            /* 2: no ring */
    RING(&l, 0, 400, 400, 410, 400); /* 3: a two-point ring: dropped, then collapsed */
    end_feature(&l);
    /* 4: two 100 m squares on two cells (a multipolygon). 5: a thin L of 5900 m2 spanning
     * three cells: smaller than one cell, so one point inside it. */
    RING(&l, 0, 1000, 0, 1100, 0, 1100, 100, 1000, 100);
    RING(&l, 0, 1200, 0, 1300, 0, 1300, 100, 1200, 100);
    end_feature(&l);
    RING(&l, 0, 2000, 0, 2300, 0, 2300, 10, 2010, 10, 2010, 300, 2000, 300);
    end_feature(&l);
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_OK);
    CHECK_INT(r.n, 6);
    CHECK_INT(r.n_grid, 3);
    CHECK_INT(r.n_collapsed, 2);
    CHECK_INT(r.n_empty, 1);
    CHECK_INT(r.n_repaired, 2); /* the collinear ring (invalid) and the two-point ring */
    if (r.n == 6) {
        CHECK_INT(r.src[0], 0);
        CHECK(r.x[0] > 5 && r.x[0] < 15 && r.y[0] > 5 && r.y[0] < 15);
        CHECK_NEAR(r.weight[0], 1.0, 0);
        check_point(&r, 1, 1, 10, 0, 1.0);
        check_point(&r, 2, 3, 405, 400, 1.0);
        check_point(&r, 3, 4, 1050, 50, 0.5);
        check_point(&r, 4, 4, 1250, 50, 0.5);
        CHECK_INT(r.src[5], 5);
        CHECK_NEAR(r.weight[5], 1.0, 0);
        int in_l = (r.x[5] >= 2000 && r.x[5] <= 2300 && r.y[5] >= 0 && r.y[5] <= 10) ||
                   (r.x[5] >= 2000 && r.x[5] <= 2010 && r.y[5] >= 0 && r.y[5] <= 300);
        CC__REPORT(in_l, "thin L point (%g, %g) outside", r.x[5], r.y[5]);
    }
    check_sums(&r, 6);
    cc_geom_spread_result_free(&r);
}

static void test_errors(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 100, 0, 100, 100, 0, 100);
    end_feature(&l);
    cc_spread_result r = {0};
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 0.0, &r), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "cell size");
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, NAN, &r), CC_ERR_INVALID);
    const double tx[3] = {1, 2, 3}, ty[3] = {1, 2, NAN}, tw[3] = {1, 1, -1}, tw2[3] = {1, 1, 1};
    CHECK_INT(spread(ctx, &l, 3, tx, ty, tw, 100.0, &r), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "target 2: weight -1");
    CHECK_INT(spread(ctx, &l, 3, tx, ty, tw2, 100.0, &r), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "target 2: coordinate");
    CHECK(r.n == 0 && r.x == NULL);

    RING(&l, 0, 0, 0, NAN, 0, 100, 100);
    end_feature(&l);
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_ERR_GEOM);
    CHECK_CONTAINS(cc_ctx_message(ctx), "feature 1: ring 0, vertex 1 is not a finite number");

    memset(&l, 0, sizeof l);
    RING(&l, 1, 0, 0, 100, 0, 100, 100, 0, 100);
    end_feature(&l);
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 100.0, &r), CC_ERR_GEOM);
    CHECK_CONTAINS(cc_ctx_message(ctx), "feature 0: ring 0 is a hole");

    /* 100 km x 100 km at 1 m cells: 1e10 cells. */
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 1e5, 0, 1e5, 1e5, 0, 1e5);
    end_feature(&l);
    CHECK_INT(spread(ctx, &l, 0, NULL, NULL, NULL, 1.0, &r), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "use a larger cell size");
    CHECK(r.n == 0 && r.x == NULL && r.src == NULL);

    /* Nothing in, nothing out. */
    CHECK_INT(cc_geom_spread(ctx, 0, l.feat_part, l.part_coord, l.part_hole, l.x, l.y, 0, NULL,
                             NULL, NULL, 100.0, &r),
              CC_OK);
    CHECK_INT(r.n, 0);
    cc_geom_spread_result_free(&r);
}

/* ---- Random polygons against independent oracles ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double urand(void)
{
    /* xorshift64* (Vigna 2016) */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* Area of ring [c0,c1) (open ring) clipped to [x0,x1]x[y0,y1] by Sutherland-Hodgman; correct
 * for area even when the clipped result of a concave ring has degenerate bridges. */
static double clip_area(const double *rx, const double *ry, size_t m, double x0, double y0,
                        double x1, double y1)
{
    static double ax[1024], ay[1024], bx[1024], by[1024];
    size_t n = m;
    memcpy(ax, rx, m * sizeof *rx);
    memcpy(ay, ry, m * sizeof *ry);
    for (int side = 0; side < 4 && n > 0; side++) {
        size_t o = 0;
        for (size_t k = 0; k < n; k++) {
            double px = ax[k], py = ay[k], qx = ax[(k + 1) % n], qy = ay[(k + 1) % n];
            double dp = side == 0 ? px - x0 : side == 1 ? x1 - px : side == 2 ? py - y0 : y1 - py;
            double dq = side == 0 ? qx - x0 : side == 1 ? x1 - qx : side == 2 ? qy - y0 : y1 - qy;
            if (dp >= 0) {
                bx[o] = px;
                by[o++] = py;
            }
            if ((dp >= 0) != (dq >= 0)) {
                double t = dp / (dp - dq);
                bx[o] = px + t * (qx - px);
                by[o++] = py + t * (qy - py);
            }
        }
        memcpy(ax, bx, o * sizeof *bx);
        memcpy(ay, by, o * sizeof *by);
        n = o;
    }
    double s = 0;
    for (size_t k = 0; k < n; k++)
        s += (ax[k] - ax[0]) * (ay[(k + 1) % n] - ay[0]) -
             (ax[(k + 1) % n] - ax[0]) * (ay[k] - ay[0]);
    return fabs(s) / 2;
}

static int in_ring(const double *rx, const double *ry, size_t m, double px, double py)
{
    int inside = 0;
    for (size_t a = 0, b = m - 1; a < m; b = a++)
        if ((ry[a] > py) != (ry[b] > py) &&
            px < (rx[b] - rx[a]) * (py - ry[a]) / (ry[b] - ry[a]) + rx[a])
            inside = !inside;
    return inside;
}

static void test_random(cc_ctx *ctx)
{
    enum { NP = 60, NT = 3000 };
    static layout l;
    memset(&l, 0, sizeof l);
    const double cell = 100.0, ox = 512345.6, oy = 3378901.2; /* UTM-like coordinates */
    static double rx[NP][64], ry[NP][64];
    size_t rm[NP];
    for (size_t i = 0; i < NP; i++) {
        /* A star-shaped (simple) polygon in its own 1 km slot. */
        double cx = ox + (double)(i % 8) * 1000 + 500, cy = oy + (double)(i / 8) * 1000 + 500;
        size_t m = 5 + (size_t)(urand() * 40);
        double xy[128];
        double r_max = i % 5 == 0 ? 60 : 150 + urand() * 300;
        for (size_t k = 0; k < m; k++) {
            double ang = 2 * M_PI * ((double)k + 0.8 * urand()) / (double)m;
            double rad = r_max * (0.2 + 0.8 * urand());
            rx[i][k] = xy[2 * k] = cx + rad * cos(ang);
            ry[i][k] = xy[2 * k + 1] = cy + rad * sin(ang);
        }
        rm[i] = m;
        ring(&l, 0, m, xy);
        end_feature(&l);
    }
    /* Targets everywhere; polygons where one falls are spread over their targets. Only the
     * first 30 slots get targets, so the rest use the grid. */
    static double tx[NT], ty[NT], tw[NT];
    for (size_t k = 0; k < NT; k++) {
        tx[k] = ox + urand() * 8000;
        ty[k] = oy + urand() * 3000 + (urand() < 0.02 ? 20000 : 0);
        tw[k] = k % 7 == 0 ? 0.0 : 10 + urand() * 500;
    }
    static int32_t owner[NT];
    size_t cnt[NP] = {0};
    double wsum[NP] = {0};
    for (size_t k = 0; k < NT; k++) {
        owner[k] = -1;
        for (size_t i = 0; i < NP; i++)
            if (in_ring(rx[i], ry[i], rm[i], tx[k], ty[k])) {
                owner[k] = (int32_t)i;
                cnt[i]++;
                wsum[i] += tw[k];
            }
    }
    cc_spread_result r = {0}, r2 = {0};
    CHECK_INT(spread(ctx, &l, NT, tx, ty, tw, cell, &r), CC_OK);
    CHECK_INT(spread(ctx, &l, NT, tx, ty, tw, cell, &r2), CC_OK);
    CHECK(r.n == r2.n && r.n > 0 && memcmp(r.x, r2.x, r.n * sizeof *r.x) == 0 &&
          memcmp(r.y, r2.y, r.n * sizeof *r.y) == 0 &&
          memcmp(r.weight, r2.weight, r.n * sizeof *r.weight) == 0 &&
          memcmp(r.src, r2.src, r.n * sizeof *r.src) == 0);
    cc_geom_spread_result_free(&r2);
    check_sums(&r, NP);

    size_t with_points = 0, n_targets = 0, n_grid = 0, bad = 0;
    double total = 0;
    size_t k = 0;
    for (size_t i = 0; i < NP; i++) {
        size_t k0 = k;
        while (k < r.n && r.src[k] == (int32_t)i)
            total += r.weight[k++];
        if (k > k0) with_points++;
        if (cnt[i] > 0) {
            /* Targets, in index order, with their weight shares. */
            n_targets++;
            size_t q = k0;
            for (size_t t = 0; t < NT; t++) {
                if (owner[t] != (int32_t)i || tw[t] == 0) continue;
                if (q >= k || r.x[q] != tx[t] || r.y[q] != ty[t] ||
                    fabs(r.weight[q] - tw[t] / wsum[i]) > 1e-12)
                    bad++;
                q++;
            }
            if (q != k) bad++;
            continue;
        }
        n_grid++;
        double area = clip_area(rx[i], ry[i], rm[i], -1e300, -1e300, 1e300, 1e300);
        if (area < cell * cell) {
            if (k - k0 != 1 || r.weight[k0] != 1.0 ||
                !in_ring(rx[i], ry[i], rm[i], r.x[k0], r.y[k0]))
                bad++;
            continue;
        }
        /* Each point: the oracle's share of its cell, and the point lies in the polygon and
         * its cell; cells without a point hold (almost) nothing. */
        double matched = 0;
        for (size_t q = k0; q < k; q++) {
            double c = floor(r.x[q] / cell), w = floor(r.y[q] / cell);
            double a =
                clip_area(rx[i], ry[i], rm[i], c * cell, w * cell, (c + 1) * cell, (w + 1) * cell);
            matched += a / area;
            if (fabs(r.weight[q] - a / area) > 1e-9) bad++;
            if (q > k0) {
                double pc = floor(r.x[q - 1] / cell), pw = floor(r.y[q - 1] / cell);
                if (!(pw < w || (pw == w && pc < c))) bad++; /* row, then column order */
            }
        }
        if (fabs(matched - 1.0) > 1e-9) bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(r.n_targets, n_targets);
    CHECK_INT(r.n_grid, n_grid);
    CHECK(n_targets > 5 && n_grid > 5);
    CHECK_INT(with_points, NP);
    /* Conservation: the weights add up to the number of polygons with points. */
    CHECK_NEAR(total, (double)with_points, 1e-9);

    /* Every grid point lies in its own polygon (the polygons do not overlap). */
    cc_polyset *ps = NULL;
    CHECK_INT(cc_geom_polyset_create(ctx, l.n_feat, l.feat_part, l.part_coord, l.part_hole, l.x,
                                     l.y, &ps, NULL),
              CC_OK);
    int32_t *loc = malloc((r.n ? r.n : 1) * sizeof *loc);
    if (ps && loc && cc_geom_polyset_locate(ctx, ps, r.n, r.x, r.y, loc) == CC_OK) {
        size_t wrong = 0;
        for (size_t q = 0; q < r.n; q++)
            if (loc[q] != r.src[q]) wrong++;
        CHECK_INT(wrong, 0);
    } else {
        CHECK(0);
    }
    free(loc);
    cc_geom_polyset_destroy(ps);
    cc_geom_spread_result_free(&r);
}

/* Every allocation failure is reported as CC_ERR_NOMEM with a zeroed result. */
static void test_nomem(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 100, 0, 100, 100, 0, 100);
    end_feature(&l);
    RING(&l, 0, 0, 1000, 3000, 1000, 3000, 2000, 0, 2000); /* 300 cells: the output grows */
    end_feature(&l);
    const double tx[2] = {10, 20}, ty[2] = {10, 20};
    cc_spread_result r = {0};
    int ok = 0;
    long fails = 0;
    for (long nth = 1; nth < 200 && !ok; nth++) {
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = spread(ctx, &l, 2, tx, ty, NULL, 100.0, &r);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            ok = 1;
            CHECK_INT(r.n, 302);
        } else {
            fails++;
            CC__REPORT(st == CC_ERR_NOMEM && r.n == 0 && r.x == NULL,
                       "allocation %ld: status %d, n %zu", nth, (int)st, r.n);
        }
        cc_geom_spread_result_free(&r);
    }
    CHECK(ok);
    CHECK(fails >= 8);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_rectangles(ctx);
    test_l_shape(ctx);
    test_hole(ctx);
    test_centroid_outside(ctx);
    test_bowtie(ctx);
    test_targets(ctx);
    test_overlap(ctx);
    test_small_and_degenerate(ctx);
    test_errors(ctx);
    test_random(ctx);
    test_nomem(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
