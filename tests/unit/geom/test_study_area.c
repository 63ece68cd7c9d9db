/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The study area (convex hull of the demand points) and each district's area inside it
 * (issue 13.5), against hand-computed areas.
 */
#include "carecircle/geom.h"
#include "cc_test.h"

#include <math.h>
#include <stdlib.h>

static double shoelace(size_t n, const double *x, const double *y)
{
    double a = 0;
    for (size_t k = 0; k < n; k++) {
        size_t j = (k + 1) % n;
        a += x[k] * y[j] - x[j] * y[k];
    }
    return a / 2;
}

static void test_hull(cc_ctx *ctx)
{
    /* An 11 x 11 grid of cells 100 m apart (0..1000 m) plus one cell at (1500, 500): the hull
       is the square with a triangle on its right side, area 1000^2 + 1000*500/2 = 1,250,000. */
    enum { N = 11 * 11 + 2 };
    double x[N], y[N];
    size_t n = 0;
    for (int i = 0; i <= 10; i++)
        for (int j = 0; j <= 10; j++) {
            x[n] = 100.0 * j;
            y[n++] = 100.0 * i;
        }
    x[n] = 1500, y[n++] = 500;
    x[n] = NAN, y[n++] = 0; /* ignored */
    size_t nh = 0;
    double *hx = NULL, *hy = NULL;
    CHECK_INT(cc_geom_convex_hull(ctx, n, x, y, &nh, &hx, &hy), CC_OK);
    CHECK_INT(nh, 5); /* (0,0) (1000,0) (1500,500) (1000,1000) (0,1000) */
    CHECK_NEAR(shoelace(nh, hx, hy), 1250000, 1e-6); /* counter-clockwise: positive */
    /* Every point lies inside or on the hull. */
    int outside = 0;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t k = 0; k < nh; k++) {
            size_t j = (k + 1) % nh;
            double c = (hx[j] - hx[k]) * (y[i] - hy[k]) - (hy[j] - hy[k]) * (x[i] - hx[k]);
            outside += c < -1e-9;
        }
    CHECK_INT(outside, 0);

    /* Districts: A = [0,1000]^2 (wholly inside), B = [1000,3000] x [0,1000] (only the
       triangle (1000,0) (1500,500) (1000,1000) of 250,000 m2 inside, of 2,000,000),
       C = [5000,6000]^2 (outside). */
    size_t fp[] = {0, 1, 2, 3}, pc[] = {0, 4, 8, 12};
    unsigned char hole[] = {0, 0, 0};
    double px[] = {0, 1000, 1000, 0, 1000, 3000, 3000, 1000, 5000, 6000, 6000, 5000};
    double py[] = {0, 0, 1000, 1000, 0, 0, 1000, 1000, 5000, 5000, 6000, 6000};
    cc_polyset *ps = NULL;
    CHECK_INT(cc_geom_polyset_create(ctx, 3, fp, pc, hole, px, py, &ps, NULL), CC_OK);
    double in[3] = {-1, -1, -1};
    CHECK_INT(cc_geom_polyset_area_within(ctx, ps, nh, hx, hy, in), CC_OK);
    CHECK_NEAR(in[0], 1000000, 1e-6);
    CHECK_NEAR(in[1], 250000, 1e-6);
    CHECK_NEAR(in[2], 0, 0);
    CHECK_NEAR(cc_geom_polyset_area(ps, 1), 2000000, 1e-6);
    /* A degenerate study area (a line) holds nothing. */
    CHECK_INT(cc_geom_polyset_area_within(ctx, ps, 2, hx, hy, in), CC_OK);
    CHECK_NEAR(in[0], 0, 0);
    cc_geom_polyset_destroy(ps);
    cc_free(hx);
    cc_free(hy);

    /* One point, collinear points, no finite point. */
    double lx[] = {0, 1, 2, 3}, ly[] = {0, 1, 2, 3};
    CHECK_INT(cc_geom_convex_hull(ctx, 4, lx, ly, &nh, &hx, &hy), CC_OK);
    CHECK_INT(nh, 2);
    cc_free(hx);
    cc_free(hy);
    CHECK_INT(cc_geom_convex_hull(ctx, 1, lx, ly, &nh, &hx, &hy), CC_OK);
    CHECK_INT(nh, 1);
    cc_free(hx);
    cc_free(hy);
    double nx[] = {NAN};
    CHECK_INT(cc_geom_convex_hull(ctx, 1, nx, nx, &nh, &hx, &hy), CC_OK);
    CHECK_INT(nh, 0);
    CHECK(hx == NULL);
}

/* Random clouds: the hull equals a brute-force one (every vertex is a point of the cloud,
   every point inside), whatever the order of the points. */
static void test_random(cc_ctx *ctx)
{
    enum { N = 3000 };
    static double x[N], y[N];
    srand(11);
    for (int rep = 0; rep < 5; rep++) {
        for (int i = 0; i < N; i++) {
            double a = rand() / (double)RAND_MAX * 6.283185307179586;
            double r = sqrt(rand() / (double)RAND_MAX) * 1000;
            x[i] = r * cos(a) + (rep == 4 ? (rand() % 7) * 100 : 0);
            y[i] = r * sin(a);
        }
        size_t nh = 0;
        double *hx = NULL, *hy = NULL;
        CHECK_INT(cc_geom_convex_hull(ctx, N, x, y, &nh, &hx, &hy), CC_OK);
        CHECK(nh >= 3);
        int bad = 0;
        for (int i = 0; i < N; i++)
            for (size_t k = 0; k < nh; k++) {
                size_t j = (k + 1) % nh;
                double c = (hx[j] - hx[k]) * (y[i] - hy[k]) - (hy[j] - hy[k]) * (x[i] - hx[k]);
                bad += c < -1e-6;
            }
        /* Strictly convex: every consecutive triple turns left. */
        for (size_t k = 0; k < nh; k++) {
            size_t j = (k + 1) % nh, l = (k + 2) % nh;
            bad += (hx[j] - hx[k]) * (hy[l] - hy[k]) - (hy[j] - hy[k]) * (hx[l] - hx[k]) <= 0;
        }
        CHECK_INT(bad, 0);
        cc_free(hx);
        cc_free(hy);
    }
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx)) return 1;
    test_hull(ctx);
    test_random(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
