/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polygons as written (issue 13.8): cc_geom_polys_finish rounds to the writers' decimals and
 * leaves every feature valid by GEOS on the rounded coordinates; cc_geom_polys_check finds the
 * invalid ones. Cases: a polygon valid at full precision whose notch touches its own edge once
 * rounded to 1e-7 degrees; a bow-tie (invalid from the start); a valid square kept vertex for
 * vertex; an empty feature; a hole without an outer ring.
 */
#include "carecircle/geom.h"
#include "cc_test.h"

#include <stdint.h>
#include <stdlib.h>

#define X0 114.0
#define Y0 30.0
#define U 1e-7 /* one unit of the output grid, degrees */

typedef struct builder {
    cc_geom_polys p;
    size_t cap;
} builder;

static void start_feature(builder *b)
{
    if (b->p.n == 0) {
        b->p.feat_part = calloc(64, sizeof(size_t));
        b->p.part_coord = calloc(64, sizeof(size_t));
        b->p.part_hole = calloc(64, 1);
        b->p.x = calloc(256, sizeof(double));
        b->p.y = calloc(256, sizeof(double));
    }
    b->p.n++;
    b->p.feat_part[b->p.n] = b->p.n_parts;
}

/* A closed ring of k vertices given in grid units from (X0, Y0). */
static void add_ring(builder *b, int hole, size_t k, const double *gx, const double *gy)
{
    for (size_t i = 0; i <= k; i++) {
        b->p.x[b->p.n_coords] = X0 + U * gx[i % k];
        b->p.y[b->p.n_coords++] = Y0 + U * gy[i % k];
    }
    b->p.part_hole[b->p.n_parts++] = (unsigned char)hole;
    b->p.part_coord[b->p.n_parts] = b->p.n_coords;
    b->p.feat_part[b->p.n] = b->p.n_parts;
}

/* Area of feature i in grid units squared. */
static double area_units(const cc_geom_polys *p, size_t i)
{
    return cc_geom_polys_area(p, i) / (U * U);
}

static int on_grid(double v, double o)
{
    double k = (v - o) / U;
    return fabs(k - round(k)) < 1e-6;
}

int main(void)
{
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    builder b = {{0}, 0};

    /* 0: a 100 x 100 square whose bottom edge lies at 0.6 units and a notch from the top whose
     * tip stops at 0.9: valid, but both round to 1 and the tip then touches the edge. */
    double nx[] = {0, 100, 100, 55, 50, 45, 0}, ny[] = {0.6, 0.6, 100, 100, 0.9, 100, 100};
    start_feature(&b);
    add_ring(&b, 0, 7, nx, ny);
    /* 1: a bow-tie (the ring crosses itself at (50, 50)). */
    double bx[] = {0, 100, 100, 0}, by[] = {0, 100, 0, 100};
    start_feature(&b);
    add_ring(&b, 0, 4, bx, by);
    /* 2: a valid square with a hole, off the grid by a third of a unit. */
    double sx[] = {200.3, 300.3, 300.3, 200.3}, sy[] = {0.3, 0.3, 100.3, 100.3};
    double hx[] = {220, 220, 240, 240}, hy[] = {20, 40, 40, 20};
    start_feature(&b);
    add_ring(&b, 0, 4, sx, sy);
    add_ring(&b, 1, 4, hx, hy);
    /* 3: no rings. */
    start_feature(&b);
    /* 4: a hole that no outer ring comes before. */
    start_feature(&b);
    add_ring(&b, 1, 4, hx, hy);
    CHECK_INT(b.p.n, 5);

    size_t bad = 0, first = 0;
    char why[256];
    CHECK_INT(cc_geom_polys_check(ctx, &b.p, &bad, &first, why, sizeof why), CC_OK);
    CHECK_INT(bad, 2); /* the bow-tie and the lone hole; the notch is valid unrounded */
    CHECK_INT(first, 1);
    CHECK_CONTAINS(why, "Self-intersection");

    /* Rounded by hand, the notch is what a reader of the written file gets: invalid. */
    cc_geom_polys r = {0};
    CHECK_INT(cc_geom_polys_append(ctx, &r, &b.p), CC_OK);
    for (size_t c = 0; c < r.n_coords; c++) {
        r.x[c] = X0 + U * round((r.x[c] - X0) / U);
        r.y[c] = Y0 + U * round((r.y[c] - Y0) / U);
    }
    CHECK_INT(cc_geom_polys_check(ctx, &r, &bad, &first, why, sizeof why), CC_OK);
    CHECK_INT(bad, 3);
    CHECK_INT(first, 0);
    cc_geom_polys_free(&r);

    CHECK_INT(cc_geom_polys_finish(ctx, &b.p, 10, NULL), CC_ERR_INVALID);
    size_t repaired = 0;
    double a_notch = area_units(&b.p, 0), a_square = area_units(&b.p, 2);
    CHECK_NEAR(a_notch, 100 * 99.4 - 5 * 99.1, 1e-3);
    CHECK_INT(cc_geom_polys_finish(ctx, &b.p, CC_GEOM_WGS84_DECIMALS, &repaired), CC_OK);
    CHECK_INT(repaired, 3);
    CHECK_INT(b.p.n, 5);
    CHECK_INT(cc_geom_polys_check(ctx, &b.p, &bad, &first, why, sizeof why), CC_OK);
    CHECK_INT(bad, 0);
    CHECK_INT(first, SIZE_MAX);
    int all_on_grid = 1;
    for (size_t c = 0; c < b.p.n_coords; c++)
        all_on_grid &= on_grid(b.p.x[c], X0) && on_grid(b.p.y[c], Y0);
    CHECK(all_on_grid);
    /* The notch keeps its area as rounded (99 units high, the tip's 0.1 lost), split where it
     * touched; the bow-tie becomes its two triangles (2 x 2500); the square and its hole are
     * kept ring for ring, only rounded; the empty feature stays empty; the lone hole is gone. */
    CHECK_NEAR(area_units(&b.p, 0), 100 * 99 - 5 * 99, 1e-3); /* the bottom edge moved 0.4 */
    CHECK_NEAR(area_units(&b.p, 1), 5000, 1e-3);
    CHECK_INT(b.p.feat_part[2] - b.p.feat_part[1], 2);
    CHECK_INT(b.p.feat_part[3] - b.p.feat_part[2], 2);
    CHECK_NEAR(area_units(&b.p, 2), a_square, 1e-3);
    size_t c2 = b.p.part_coord[b.p.feat_part[2]];
    CHECK_INT(b.p.part_coord[b.p.feat_part[2] + 2] - c2, 10);
    CHECK_NEAR((b.p.x[c2] - X0) / U, 200, 1e-6);
    CHECK_NEAR((b.p.y[c2] - Y0) / U, 0, 1e-6);
    CHECK_INT(b.p.feat_part[4] - b.p.feat_part[3], 0);
    CHECK_INT(b.p.feat_part[5] - b.p.feat_part[4], 0);

    /* Finished polygons are a fixed point: nothing more to repair, the same coordinates. */
    cc_geom_polys again = {0};
    CHECK_INT(cc_geom_polys_append(ctx, &again, &b.p), CC_OK);
    CHECK_INT(cc_geom_polys_finish(ctx, &again, CC_GEOM_WGS84_DECIMALS, &repaired), CC_OK);
    CHECK_INT(repaired, 0);
    CHECK_INT(again.n_coords, b.p.n_coords);
    int same = again.n_coords == b.p.n_coords;
    for (size_t c = 0; same && c < again.n_coords; c++)
        same = again.x[c] == b.p.x[c] && again.y[c] == b.p.y[c];
    CHECK(same);
    cc_geom_polys_free(&again);
    cc_geom_polys_free(&b.p);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
