/*
 * Service areas on a small hand-built network (1 ds per metre): a fully reached edge, an edge
 * cut at the interpolated point past a polyline bend, an unreached edge, a one-way edge that
 * counts only in the direction of travel, and a facility in the middle of a long edge whose
 * end nodes are out of reach. Checks containment of points, the area against the hand value of the
 * band, the reached length, and errors.
 */
#include "carecircle/geom.h"
#include "cc_test.h"

#include <stdint.h>

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
static const size_t e_nc[] = {2, 3, 2, 2, 2};
static const double *const e_x[] = {ex0, ex1, ex2, ex3, ex4};
static const double *const e_y[] = {ey0, ey1, ey2, ey3, ey4};

static const cc_geom_network net = {7, 5, e_from, e_to, e_fwd, e_bwd, e_nc, e_x, e_y};

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
    cc_service_params sp = {50.0, 0.0, 16};
    cc_geom_polys p = {0};
    double len = -1;
    CHECK_INT(cc_geom_service_area(ctx, &net, t, 1, 0, NULL, 1700, &sp, &p, &len), CC_OK);
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
    CHECK_INT(cc_geom_service_area(ctx, &net, t, 0, 0, NULL, 1700, &sp, &p, &len), CC_OK);
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
    CHECK_INT(cc_geom_service_area(ctx, &net, t, 1, 0, NULL, 1700, NULL, &p, NULL), CC_OK);
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
    cc_service_params sp = {50.0, 0.0, 8};
    cc_geom_polys p = {0};
    double len = 0;
    CHECK_INT(cc_geom_service_area(ctx, &net, t, 1, 2, src, 1500, &sp, &p, &len), CC_OK);
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
    CHECK_NEAR(cc_geom_polys_area(&p, 0), 2 * 50 * 2800.0 + 3.14159265 * 2500, 60);
    cc_geom_polys_free(&p);

    /* Two facilities' areas gathered into one column. */
    cc_geom_polys all = {0}, one = {0};
    const uint32_t t0[7] = {0, 1000, 2000, NONE, NONE, NONE, NONE};
    CHECK_INT(cc_geom_service_area(ctx, &net, t0, 1, 0, NULL, 1700, &sp, &one, NULL), CC_OK);
    CHECK_INT(cc_geom_polys_append(ctx, &all, &one), CC_OK);
    size_t coords0 = one.n_coords;
    cc_geom_polys_free(&one);
    CHECK_INT(cc_geom_service_area(ctx, &net, t, 1, 1, src, 1500, &sp, &one, NULL), CC_OK);
    CHECK_INT(cc_geom_polys_append(ctx, &all, &one), CC_OK);
    CHECK_INT(all.n, 2);
    CHECK_INT(all.n_coords, coords0 + one.n_coords);
    CHECK_NEAR(cc_geom_polys_area(&all, 1), cc_geom_polys_area(&one, 0), 1e-6);
    cc_geom_polys_free(&one);
    cc_geom_polys_free(&all);

    /* Nothing reached: one feature without rings. */
    const uint32_t none[7] = {NONE, NONE, NONE, NONE, NONE, NONE, NONE};
    CHECK_INT(cc_geom_service_area(ctx, &net, none, 1, 0, NULL, 1500, &sp, &p, &len), CC_OK);
    CHECK_INT(p.n, 1);
    CHECK_INT(p.n_parts, 0);
    CHECK_NEAR(len, 0, 0);
    cc_geom_polys_free(&p);
}

static void test_errors(cc_ctx *ctx)
{
    const uint32_t t[7] = {0, 1000, 2000, NONE, NONE, NONE, NONE};
    cc_geom_polys p = {0};
    cc_service_params bad = {0.0, 0.0, 8};
    CHECK_INT(cc_geom_service_area(ctx, &net, t, 1, 0, NULL, 1700, &bad, &p, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "buffer_m must be > 0 (got 0)");
    cc_geom_source src = {9, 0.0, 0};
    CHECK_INT(cc_geom_service_area(ctx, &net, t, 1, 1, &src, 1700, NULL, &p, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "source 0 is on edge 9");
    CHECK_INT(p.n, 0);
    cc_geom_network broken = net;
    broken.n_nodes = 3;
    CHECK_INT(cc_geom_service_area(ctx, &broken, t, 1, 0, NULL, 1700, NULL, &p, NULL),
              CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "edge 2 joins nodes 2 and 3");
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_nodes(ctx);
    test_source(ctx);
    test_errors(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
