/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Service areas on a small hand-built network (1 ds per metre): a fully reached edge, an edge
 * cut at the interpolated point past a polyline bend, an unreached edge, a one-way edge that
 * counts only in the direction of travel, and a facility in the middle of a long edge whose
 * end nodes are out of reach. Checks containment of points, the area against the hand value of
 * the band, the reached length, errors, the same bytes on every call (with or without a
 * reused workspace), an allocation-failure sweep, interruption, and a very large area traced
 * on a coarser grid.
 */
#include "carecircle/geom.h"
#include "cc_test.h"

#include <stdint.h>
#include <string.h>

#define NONE UINT32_MAX

/* Nodes: 0 (0,0), 1 (1000,0), 2 (1500,500), 3 (2500,500), 4 (1000,-1000),
 * 5 (0,2000), 6 (4000,2000). */
static const uint32_t e_from[] = {0, 1, 2, 1, 5};
static const uint32_t e_to[] = {1, 2, 3, 4, 6};
static const uint32_t e_fwd[] = {1000, 1000, 1000, 1000, 4000};
static const uint32_t e_bwd[] = {1000, 1000, 1000, NONE, 4000};
static const double ex0[] = {0, 1000}, ey0[] = {0, 0};
static const double ex1[] = {1000, 1000, 1500}, ey1[] = {0, 500, 500}; /* bend at (1000,500) */
static const double ex2[] = {1500, 2500}, ey2[] = {500, 500};
static const double ex3[] = {1000, 1000}, ey3[] = {0, -1000};
static const double ex4[] = {0, 4000}, ey4[] = {2000, 2000};

/* Incident edges (edge << 1 | end): out of a node / into it, as cc_graph_get_view lists them. */
static const uint32_t out_off[] = {0, 1, 4, 6, 7, 7, 8, 9};
static const uint32_t out_edge[] = {0 << 1, 0 << 1 | 1, 1 << 1, 3 << 1,    1 << 1 | 1,
                                    2 << 1, 2 << 1 | 1, 4 << 1, 4 << 1 | 1};
static const uint32_t in_off[] = {0, 1, 3, 5, 6, 7, 8, 9};
static const uint32_t in_edge[] = {0 << 1,     0 << 1 | 1, 1 << 1, 1 << 1 | 1, 2 << 1,
                                   2 << 1 | 1, 3 << 1 | 1, 4 << 1, 4 << 1 | 1};
static const cc_geom_line lines[] = {
    {ex0, ey0, 2}, {ex1, ey1, 3}, {ex2, ey2, 2}, {ex3, ey3, 2}, {ex4, ey4, 2}};

static const cc_geom_network net = {7,       5,        e_from, e_to,    e_fwd, e_bwd,
                                    out_off, out_edge, in_off, in_edge, lines};

/* A service area from a full node-time array (UINT32_MAX = unreached), as a reached list. */
static cc_status area(cc_ctx *ctx, cc_service_ws *ws, const cc_geom_network *nw, const uint32_t *t,
                      int reverse, size_t n_src, const cc_geom_source *src, uint32_t limit,
                      const cc_service_params *sp, cc_geom_polys *p, double *len)
{
    uint32_t node[16], tm[16];
    size_t n = 0;
    for (uint32_t v = 0; v < 7; v++)
        if (t[v] <= limit) {
            node[n] = v;
            tm[n++] = t[v];
        }
    return cc_geom_service_area(ctx, ws, nw, n, node, tm, reverse, n_src, src, limit, sp, p, len);
}

/* Which of the points lie in the polygon. */
static void locate(cc_ctx *ctx, const cc_geom_polys *p, size_t n, const double *x, const double *y,
                   int32_t *idx)
{
    cc_polyset *ps = NULL;
    CHECK_INT(cc_geom_polyset_create(ctx, p->n, p->feat_part, p->part_coord, p->part_hole, p->x,
                                     p->y, &ps, NULL),
              CC_OK);
    for (size_t i = 0; i < n; i++)
        idx[i] = -2;
    if (ps) CHECK_INT(cc_geom_polyset_locate(ctx, ps, n, x, y, idx), CC_OK);
    cc_geom_polyset_destroy(ps);
}

static void test_nodes(cc_ctx *ctx)
{
    /* Facility at node 0; limit 1700: edge 0 whole, edge 1 up to 700 m from node 1 (the bend
     * at 500 m, then 200 m east: the cut is at (1200, 500)), node 2 at 2000 > limit. */
    const uint32_t t[7] = {0, 1000, 2000, NONE, NONE, NONE, NONE};
    cc_service_params sp = {50.0, 0.0, 0.0};
    cc_geom_polys p = {0};
    double len = -1;
    CHECK_INT(area(ctx, NULL, &net, t, 1, 0, NULL, 1700, &sp, &p, &len), CC_OK);
    CHECK_INT(p.n, 1);
    CHECK_NEAR(len, 1700.0, 1e-9);
    /* Band of half-width r around a polyline of length L: 2 r L + pi r^2 (the two end caps),
     * and at each 90-degree bend the outer quarter-circle adds pi r^2 / 4 while the inner
     * r x r square is counted twice: r^2 (1 - pi / 4) less per bend (two bends here). */
    const double pi = 3.14159265358979, r = 50.0;
    double want = 2 * r * 1700.0 + pi * r * r - 2 * r * r * (1 - pi / 4);
    CHECK_NEAR(cc_geom_polys_area(&p, 0), want, 0.001 * want);
    CHECK_INT(p.feat_part[1], 1); /* one ring, no hole */
    static const double px[] = {500,  500,  500,  1000, 1150, 1200, 1240,
                                1260, 1300, 2000, 1000, 1000, 1000, 1000};
    static const double py[] = {0, 40, 60, 250, 500, 500, 500, 500, 500, 500, -40, -300, 545, 560};
    static const int32_t in[] = {0, 0, -1, 0, 0, 0, 0, -1, -1, -1, 0, -1, 0, -1};
    int32_t idx[14];
    locate(ctx, &p, 14, px, py, idx);
    for (int i = 0; i < 14; i++)
        CHECK_INT(idx[i], in[i]);
    cc_geom_polys_free(&p);

    /* reverse 0 (times from the facility): the one-way edge 1 -> 4 is travelled forwards, so
     * 700 m of it are reached; reverse 1 (the resident travels to the facility) cannot use it. */
    CHECK_INT(area(ctx, NULL, &net, t, 0, 0, NULL, 1700, &sp, &p, &len), CC_OK);
    CHECK_NEAR(len, 2400.0, 1e-9);
    static const double qx[] = {1000, 1000, 1000};
    static const double qy[] = {-300, -690, -800};
    int32_t qi[3];
    locate(ctx, &p, 3, qx, qy, qi);
    CHECK_INT(qi[0], 0);
    CHECK_INT(qi[1], 0);
    CHECK_INT(qi[2], -1);
    cc_geom_polys_free(&p);

    /* Default parameters (50 m, simplified by 2 m): area within 1% of the tube formula. */
    CHECK_INT(area(ctx, NULL, &net, t, 1, 0, NULL, 1700, NULL, &p, NULL), CC_OK);
    CHECK_NEAR(cc_geom_polys_area(&p, 0), want, 0.01 * want);
    /* Outer ring counter-clockwise and closed. */
    double a2 = 0;
    size_t c1 = p.part_coord[1];
    for (size_t k = 0; k + 1 < c1; k++)
        a2 += p.x[k] * p.y[k + 1] - p.x[k + 1] * p.y[k];
    CHECK(a2 > 0);
    CHECK(p.x[0] == p.x[c1 - 1] && p.y[0] == p.y[c1 - 1]);
    cc_geom_polys_free(&p);
}

static void test_source(cc_ctx *ctx)
{
    /* Facility in the middle of edge 4 (offset 2000 m), 100 ds of off-network walk; its end
     * nodes (2000 ds away) are beyond the 1500 ds limit: reached stretch x in [600, 3400]. */
    const uint32_t t[7] = {NONE, NONE, NONE, NONE, NONE, 2100, 2100};
    cc_geom_source src[2] = {{4, 2000.0, 100}, {NONE, 0.0, 0}};
    cc_service_params sp = {50.0, 0.0, 0.0};
    cc_geom_polys p = {0};
    double len = 0;
    CHECK_INT(area(ctx, NULL, &net, t, 1, 2, src, 1500, &sp, &p, &len), CC_OK);
    CHECK_NEAR(len, 2800.0, 1e-9);
    static const double px[] = {580, 520, 2000, 3420, 3480, 2000};
    static const double py[] = {2000, 2000, 2040, 2000, 2000, 1000};
    int32_t idx[6];
    locate(ctx, &p, 6, px, py, idx);
    CHECK_INT(idx[0], 0);
    CHECK_INT(idx[1], -1);
    CHECK_INT(idx[2], 0);
    CHECK_INT(idx[3], 0);
    CHECK_INT(idx[4], -1);
    CHECK_INT(idx[5], -1);
    /* the end caps are drawn with chords inside the circle, as GEOS drew them */
    CHECK_NEAR(cc_geom_polys_area(&p, 0), 2 * 50 * 2800.0 + 3.14159265 * 2500, 100);
    cc_geom_polys_free(&p);

    /* Two facilities' areas gathered into one column. */
    cc_geom_polys all = {0}, one = {0};
    const uint32_t t0[7] = {0, 1000, 2000, NONE, NONE, NONE, NONE};
    CHECK_INT(area(ctx, NULL, &net, t0, 1, 0, NULL, 1700, &sp, &one, NULL), CC_OK);
    CHECK_INT(cc_geom_polys_append(ctx, &all, &one), CC_OK);
    size_t coords0 = one.n_coords;
    cc_geom_polys_free(&one);
    CHECK_INT(area(ctx, NULL, &net, t, 1, 1, src, 1500, &sp, &one, NULL), CC_OK);
    CHECK_INT(cc_geom_polys_append(ctx, &all, &one), CC_OK);
    CHECK_INT(all.n, 2);
    CHECK_INT(all.n_coords, coords0 + one.n_coords);
    CHECK_NEAR(cc_geom_polys_area(&all, 1), cc_geom_polys_area(&one, 0), 1e-6);
    cc_geom_polys_free(&one);
    cc_geom_polys_free(&all);

    /* Nothing reached: one feature without rings. */
    const uint32_t none[7] = {NONE, NONE, NONE, NONE, NONE, NONE, NONE};
    CHECK_INT(area(ctx, NULL, &net, none, 1, 0, NULL, 1500, &sp, &p, &len), CC_OK);
    CHECK_INT(p.n, 1);
    CHECK_INT(p.n_parts, 0);
    CHECK_NEAR(len, 0, 0);
    cc_geom_polys_free(&p);
}

static void test_errors(cc_ctx *ctx)
{
    const uint32_t t[7] = {0, 1000, 2000, NONE, NONE, NONE, NONE};
    cc_geom_polys p = {0};
    cc_service_params bad = {0.0, 0.0, 0.0};
    CHECK_INT(area(ctx, NULL, &net, t, 1, 0, NULL, 1700, &bad, &p, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "buffer_m must be > 0 (got 0)");
    cc_service_params bad_cell = {50.0, 2.0, -1.0};
    CHECK_INT(area(ctx, NULL, &net, t, 1, 0, NULL, 1700, &bad_cell, &p, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "cell_m >= 0 (got -1)");
    cc_geom_source src = {9, 0.0, 0};
    CHECK_INT(area(ctx, NULL, &net, t, 1, 1, &src, 1700, NULL, &p, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "source 0 is on edge 9");
    CHECK_INT(p.n, 0);
    /* A reached node the network does not have, an edge list naming a missing edge. */
    cc_geom_network broken = net;
    broken.n_nodes = 1;
    CHECK_INT(area(ctx, NULL, &broken, t, 1, 0, NULL, 1700, NULL, &p, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "reached node 1, but the network has 1 nodes");
    broken = net;
    broken.n_edges = 1;
    CHECK_INT(area(ctx, NULL, &broken, t, 1, 0, NULL, 1700, NULL, &p, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "node 1 lists edge 1, but the network has 1 edges");
    CHECK_INT(p.n, 0);
    /* Interrupted before it starts. */
    cc_ctx_interrupt(ctx);
    CHECK_INT(area(ctx, NULL, &net, t, 1, 0, NULL, 1700, NULL, &p, NULL), CC_ERR_INTERRUPTED);
    CHECK_INT(p.n, 0);
    cc_ctx_clear_interrupt(ctx);
}

static int same_polys(const cc_geom_polys *a, const cc_geom_polys *b)
{
    if (a->n != b->n || a->n_parts != b->n_parts || a->n_coords != b->n_coords) return 0;
    return !memcmp(a->feat_part, b->feat_part, (a->n + 1) * sizeof *a->feat_part) &&
           !memcmp(a->part_coord, b->part_coord, (a->n_parts + 1) * sizeof *a->part_coord) &&
           !memcmp(a->part_hole, b->part_hole, a->n_parts) &&
           !memcmp(a->x, b->x, a->n_coords * sizeof *a->x) &&
           !memcmp(a->y, b->y, a->n_coords * sizeof *a->y);
}

static void test_repeat_and_oom(cc_ctx *ctx)
{
    /* The same bytes every time, with a fresh or a reused workspace (used in between for a
     * different area), and after allocation failures at every allocation of the call. */
    const uint32_t t[7] = {0, 1000, 2000, NONE, NONE, NONE, NONE};
    const uint32_t t2[7] = {NONE, NONE, NONE, NONE, NONE, 2100, 2100};
    cc_geom_source src = {4, 2000.0, 100};
    cc_geom_polys ref = {0}, p = {0};
    double len0 = 0, len = 0;
    CHECK_INT(area(ctx, NULL, &net, t, 1, 0, NULL, 1700, NULL, &ref, &len0), CC_OK);
    CHECK(ref.n_coords > 20);
    cc_service_ws *ws = cc_geom_service_ws_create(ctx);
    CHECK(ws != NULL);
    for (int k = 0; k < 3; k++) {
        CHECK_INT(area(ctx, ws, &net, t, 1, 0, NULL, 1700, NULL, &p, &len), CC_OK);
        CHECK(same_polys(&p, &ref));
        CHECK_NEAR(len, len0, 0);
        cc_geom_polys_free(&p);
        CHECK_INT(area(ctx, ws, &net, t2, 1, 1, &src, 1500, NULL, &p, NULL), CC_OK);
        cc_geom_polys_free(&p);
    }
    cc_geom_service_ws_destroy(ws);
    long fails = 0;
    for (long n = 1; n < 500; n++) {
        cc_ctx_set_alloc_fail(ctx, n);
        cc_status st = area(ctx, NULL, &net, t, 1, 0, NULL, 1700, NULL, &p, NULL);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            CHECK(same_polys(&p, &ref));
            cc_geom_polys_free(&p);
            break;
        }
        fails++;
        CHECK_INT(st, CC_ERR_NOMEM);
        CHECK_INT(p.n, 0);
        CHECK(p.x == NULL);
    }
    CHECK(fails > 10);
    cc_geom_polys_free(&ref);
}

static void test_large(cc_ctx *ctx)
{
    /* A 60 km square of straight streets: at 12.5 m the grid would hold 23 million points, so
     * it is traced on a coarser one; the band still has its area within 1% (2 r L + pi r^2 per
     * street) and its holes. Streets along x = 0, 30 km, 60 km and y = 0, 30 km, 60 km. */
    double xs[6][2], ys[6][2];
    uint32_t fr[6], to[6], tf[6];
    cc_geom_line ln[6];
    static const double pos[3] = {0, 30000, 60000};
    for (int k = 0; k < 3; k++) {
        xs[k][0] = xs[k][1] = pos[k];
        ys[k][0] = 0;
        ys[k][1] = 60000;
        xs[k + 3][0] = 0;
        xs[k + 3][1] = 60000;
        ys[k + 3][0] = ys[k + 3][1] = pos[k];
    }
    for (int k = 0; k < 6; k++) {
        fr[k] = (uint32_t)(2 * k);
        to[k] = (uint32_t)(2 * k + 1);
        tf[k] = 60000;
        ln[k] = (cc_geom_line){xs[k], ys[k], 2};
    }
    uint32_t off[13], lst[12];
    for (int v = 0; v <= 12; v++)
        off[v] = (uint32_t)v;
    for (int v = 0; v < 12; v++)
        lst[v] = (uint32_t)((v / 2) << 1 | (v & 1)); /* node 2k starts street k, 2k + 1 ends it */
    cc_geom_network big = {12, 6, fr, to, tf, tf, off, lst, off, lst, ln};
    uint32_t node[6] = {0, 2, 4, 6, 8, 10}, tm[6] = {0, 0, 0, 0, 0, 0};
    cc_geom_polys p = {0};
    double len = 0;
    CHECK_INT(cc_geom_service_area(ctx, NULL, &big, 6, node, tm, 0, 0, NULL, 60000, NULL, &p, &len),
              CC_OK);
    CHECK_NEAR(len, 360000.0, 1e-6);
    /* six streets, nine crossings counted twice (each 100 m x 100 m) */
    const double pi = 3.14159265358979, r = 50.0;
    double want = 6 * (2 * r * 60000 + pi * r * r) - 9 * 4 * r * r;
    CHECK_NEAR(cc_geom_polys_area(&p, 0), want, 0.01 * want);
    size_t holes = 0;
    for (size_t k = 0; k < p.n_parts; k++)
        holes += p.part_hole[k];
    CHECK_INT(holes, 4);
    CHECK_INT(p.n_parts, 5);
    cc_geom_polys_free(&p);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_nodes(ctx);
    test_source(ctx);
    test_errors(ctx);
    test_repeat_and_oom(ctx);
    test_large(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
