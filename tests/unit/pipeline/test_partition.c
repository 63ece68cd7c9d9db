/* SPDX-License-Identifier: Apache-2.0 */
/* The partition plan's rules (src/pipeline/partition.c): grid cells are closed and a point on a
   shared edge goes to the first cell in row-major order from the south-west; an item in no
   core goes to the nearest core rectangle, ties to the lower part; jobs get parts largest
   first, round robin; the halo's reach on a known profile. */
#include "cc_test.h"
#include "pipeline/partition.h"

#include <string.h>

static void test_grid_cell(void)
{
    /* 4 x 3 cells of 500 m from (1000, 2000) */
    CHECK_INT(cc__grid_cell(1000, 2000, 1000, 2000, 500, 4, 3), 0);  /* the south-west corner */
    CHECK_INT(cc__grid_cell(1250, 2250, 1000, 2000, 500, 4, 3), 0);  /* inside cell 0 */
    CHECK_INT(cc__grid_cell(1500, 2250, 1000, 2000, 500, 4, 3), 0);  /* on the edge of 0 and 1 */
    CHECK_INT(cc__grid_cell(1500.001, 2250, 1000, 2000, 500, 4, 3), 1);
    CHECK_INT(cc__grid_cell(1250, 2500, 1000, 2000, 500, 4, 3), 0);  /* edge of rows 0 and 1 */
    CHECK_INT(cc__grid_cell(1250, 2500.01, 1000, 2000, 500, 4, 3), 4);
    CHECK_INT(cc__grid_cell(1500, 2500, 1000, 2000, 500, 4, 3), 0);  /* the corner of four */
    CHECK_INT(cc__grid_cell(3000, 3500, 1000, 2000, 500, 4, 3), 11); /* the north-east corner */
    CHECK_INT(cc__grid_cell(900, 2100, 1000, 2000, 500, 4, 3), 0);   /* west of the grid */
    CHECK_INT(cc__grid_cell(9000, 9000, 1000, 2000, 500, 4, 3), 11); /* beyond it */
    CHECK_INT(cc__grid_cell(2200, 1000, 1000, 2000, 500, 4, 3), 2);  /* south of column 2 */
}

static void test_nearest_core_and_jobs(void)
{
    double core[12] = {0, 0, 10, 10, 20, 0, 30, 10, 0, 20, 10, 30};
    size_t n_pts[3] = {5, 9, 5};
    cc__plan p;
    memset(&p, 0, sizeof p);
    p.n = 3;
    p.core = core;
    p.n_pts = n_pts;
    CHECK_INT(cc__plan_nearest_core(&p, 15, 5), 0);  /* 5 from parts 0 and 1: the lower */
    CHECK_INT(cc__plan_nearest_core(&p, 16, 5), 1);
    CHECK_INT(cc__plan_nearest_core(&p, 5, 16), 2);
    CHECK_INT(cc__plan_nearest_core(&p, 15, 15), 0); /* 5 * sqrt 2 from 0, 1 and 2 */
    /* largest first: part 1 (9), then 0 and 2 (5, the lower first) */
    CHECK_INT(cc__plan_job(&p, 1, 2), 1);
    CHECK_INT(cc__plan_job(&p, 0, 2), 2);
    CHECK_INT(cc__plan_job(&p, 2, 2), 1);
    CHECK_INT(cc__plan_job(&p, 2, 3), 3);
    CHECK_INT(cc__plan_job(&p, 0, 1), 1);
}

/* Two edges: 100 m at 36 ds (1 m per 0.36 ds, the fastest) and 100 m at 90 ds. A route of
   600 ds covers at most 100 / 35.5 * 601 m. */
static void test_halo(cc_ctx *ctx)
{
    double x[3] = {0, 100, 200}, y[3] = {0, 0, 0};
    uint32_t from[2] = {0, 1}, to[2] = {1, 2}, tf[2] = {36, 90}, tb[2] = {36, 90};
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, 3, x, y, 2, from, to, tf, tb, NULL, &g), CC_OK);
    CHECK_NEAR(cc__halo_reach_m(g, 600), 100.0 / 35.5 * 601.0, 1e-9);
    /* one way only: the direction that exists counts */
    cc_graph_destroy(g);
    uint32_t none[2] = {CC_NONE, CC_NONE};
    CHECK_INT(cc_graph_from_arcs(ctx, 3, x, y, 2, from, to, tf, none, NULL, &g), CC_OK);
    CHECK_NEAR(cc__halo_reach_m(g, 100), 100.0 / 35.5 * 101.0, 1e-9);
    cc_graph_destroy(g);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_grid_cell();
    test_nearest_core_and_jobs();
    test_halo(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
