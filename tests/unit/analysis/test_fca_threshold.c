/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The 2SFCA family follows the facility type's own threshold (issue 13.1): E2SFCA bands are
 * the thirds of the threshold, the Gaussian reaches 0 at it, and nothing beyond it weighs
 * anything, so the result does not depend on how far the incidence list reaches (the
 * scenario's `thresholds_min`). Hand-computed values at 10, 15, 20 and 30 minutes.
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <math.h>
#include <string.h>

/* Two facilities, six points (minutes; 600 ds = 1 min), the list reaching 40 minutes as a
   run with thresholds_min up to 45 would compute it:
     f0 (S=60): p0 3, p1 8, p2 12, p3 18, p4 25, p5 40
     f1 (S=30): p1 2, p3 6, p5 14
   demand p0=100, p1=50, p2=40, p3=20, p4=10, p5=30. */
#define M(x) ((uint32_t)((x)*600))
static size_t off[] = {0, 6, 9};
static uint32_t pt[] = {0, 1, 2, 3, 4, 5, 1, 3, 5};
static uint32_t tds[] = {M(3), M(8), M(12), M(18), M(25), M(40), M(2), M(6), M(14)};
static double dem[] = {100, 50, 40, 20, 10, 30};
static double cap[] = {60, 30};

/* The same list cut at the threshold: what a run with thresholds_min = [T] holds. */
static cc_incidence cut(double T, size_t *o, uint32_t *p, uint32_t *t)
{
    size_t n = 0;
    for (size_t j = 0; j < 2; j++) {
        o[j] = n;
        for (size_t k = off[j]; k < off[j + 1]; k++)
            if (tds[k] / 600.0 <= T) {
                p[n] = pt[k];
                t[n++] = tds[k];
            }
    }
    o[2] = n;
    return (cc_incidence){2, o, p, t, n};
}

typedef struct expect {
    double T, R[2], A[6];
} expect;

/* Runs decay `name` at each threshold on the full list and on the cut list: the hand values,
   and the same bits either way. */
static void run(cc_ctx *ctx, const char *name, const expect *e, size_t n)
{
    cc_incidence full = {2, off, pt, tds, 9};
    for (size_t c = 0; c < n; c++) {
        cc_decay d;
        cc_decay_band bands[3];
        CHECK_INT(cc_decay_for_threshold(ctx, name, e[c].T, bands, &d), CC_OK);
        double R[2], A[6], R2[2], A2[6];
        CHECK_INT(cc_analysis_fca(ctx, &full, cap, 6, dem, &d, R, A, NULL), CC_OK);
        for (int j = 0; j < 2; j++)
            CHECK_NEAR(R[j], e[c].R[j], 1e-9);
        for (int i = 0; i < 6; i++)
            CHECK_NEAR(A[i], e[c].A[i], 1e-9);
        size_t o[3];
        uint32_t p[9], t[9];
        cc_incidence short_list = cut(e[c].T, o, p, t);
        CHECK_INT(cc_analysis_fca(ctx, &short_list, cap, 6, dem, &d, R2, A2, NULL), CC_OK);
        CHECK(memcmp(R, R2, sizeof R) == 0);
        CHECK(memcmp(A, A2, sizeof A) == 0);
    }
}

/* 2SFCA: weight 1 up to T.
   T=10: f0 {p0,p1} 150 -> R0 = 60/150 = 0.4; f1 {p1,p3} 70 -> R1 = 30/70 = 0.4285714286;
         A = (R0, R0+R1, 0, R1, 0, 0).
   T=15: f0 {p0,p1,p2} 190 -> R0 = 0.3157894737; f1 {p1,p3,p5} 100 -> R1 = 0.3;
         A = (R0, R0+R1, R0, R1, 0, R1).
   T=20: f0 adds p3: 210 -> R0 = 0.2857142857; R1 = 0.3; A = (R0, R0+R1, R0, R0+R1, 0, R1).
   T=30: f0 adds p4: 220 -> R0 = 0.2727272727; A = (R0, R0+R1, R0, R0+R1, R0, R1). */
static void test_2sfca(cc_ctx *ctx)
{
    const expect e[] = {
        {10, {0.4, 30.0 / 70}, {0.4, 0.4 + 30.0 / 70, 0, 30.0 / 70, 0, 0}},
        {15, {60.0 / 190, 0.3}, {60.0 / 190, 60.0 / 190 + 0.3, 60.0 / 190, 0.3, 0, 0.3}},
        {20,
         {60.0 / 210, 0.3},
         {60.0 / 210, 60.0 / 210 + 0.3, 60.0 / 210, 60.0 / 210 + 0.3, 0, 0.3}},
        {30,
         {60.0 / 220, 0.3},
         {60.0 / 220, 60.0 / 220 + 0.3, 60.0 / 220, 60.0 / 220 + 0.3, 60.0 / 220, 0.3}},
    };
    run(ctx, "none", e, 4);
    run(ctx, NULL, e, 4); /* no decay named: the classic 2SFCA */
}

/* E2SFCA: bands (0, T/3] 1.00, (T/3, 2T/3] 0.68, (2T/3, T] 0.22, 0 beyond T.
   T=10 (edges 3.33, 6.67, 10): f0 p0 3 -> 1, p1 8 -> 0.22, p2 12 -> 0 (beyond 10, although
         the list holds it); f1 p1 2 -> 1, p3 6 -> 0.68, p5 14 -> 0.
         R0 = 60 / (100 + 0.22*50) = 60/111; R1 = 30 / (50 + 0.68*20) = 30/63.6;
         A0 = R0; A1 = 0.22 R0 + R1; A3 = 0.68 R1; A2 = A4 = A5 = 0.
   T=15 (5, 10, 15): f0 p0 1, p1 0.68, p2 0.22; f1 p1 1, p3 0.68, p5 0.22.
         R0 = 60 / (100 + 34 + 8.8) = 60/142.8; R1 = 30 / (50 + 13.6 + 6.6) = 30/70.2;
         A0 = R0; A1 = 0.68 R0 + R1; A2 = 0.22 R0; A3 = 0.68 R1; A5 = 0.22 R1.
   T=20 (6.67, 13.33, 20): f0 p0 1, p1 0.68, p2 0.68, p3 0.22 (18 min: covered, weighted);
         f1 p1 1, p3 1, p5 0.22.
         R0 = 60 / (100 + 34 + 27.2 + 4.4) = 60/165.6; R1 = 30 / (50 + 20 + 6.6) = 30/76.6;
         A0 = R0; A1 = 0.68 R0 + R1; A2 = 0.68 R0; A3 = 0.22 R0 + R1; A5 = 0.22 R1.
   T=30 (10, 20, 30): f0 p0 1, p1 1, p2 0.68, p3 0.68, p4 0.22; f1 p1 1, p3 1, p5 0.68.
         R0 = 60 / (100 + 50 + 27.2 + 13.6 + 2.2) = 60/193; R1 = 30 / (50 + 20 + 20.4) = 30/90.4;
         A0 = R0; A1 = R0 + R1; A2 = 0.68 R0; A3 = 0.68 R0 + R1; A4 = 0.22 R0; A5 = 0.68 R1. */
static void test_e2sfca(cc_ctx *ctx)
{
    const double a = 60.0 / 111, b = 30.0 / 63.6;
    const double c = 60.0 / 142.8, d = 30.0 / 70.2;
    const double f = 60.0 / 165.6, g = 30.0 / 76.6;
    const double h = 60.0 / 193, k = 30.0 / 90.4;
    const expect e[] = {
        {10, {a, b}, {a, 0.22 * a + b, 0, 0.68 * b, 0, 0}},
        {15, {c, d}, {c, 0.68 * c + d, 0.22 * c, 0.68 * d, 0, 0.22 * d}},
        {20, {f, g}, {f, 0.68 * f + g, 0.68 * f, 0.22 * f + g, 0, 0.22 * g}},
        {30, {h, k}, {h, h + k, 0.68 * h, 0.68 * h + k, 0.22 * h, 0.68 * k}},
    };
    /* (The fixed 5/10/15-minute bands gave other numbers at T=10: p2 at 12 min and f1's p5
       at 14 min weighed 0.22 there, f0's p1 at 8 min 0.68.) */
    run(ctx, "e2sfca", e, 4);

    /* Band edges at T=20 (20/3 and 40/3 min): a row exactly on an edge belongs to the
       lower band, one decisecond later to the next; exactly T weighs 0.22, T + 1 ds 0. */
    cc_decay dd;
    cc_decay_band bands[3];
    CHECK_INT(cc_decay_for_threshold(ctx, "e2sfca", 20, bands, &dd), CC_OK);
    CHECK_NEAR(cc_decay_weight(&dd, 4000 / 600.0), 1.00, 0);
    CHECK_NEAR(cc_decay_weight(&dd, 4001 / 600.0), 0.68, 0);
    CHECK_NEAR(cc_decay_weight(&dd, 8000 / 600.0), 0.68, 0);
    CHECK_NEAR(cc_decay_weight(&dd, 8001 / 600.0), 0.22, 0);
    CHECK_NEAR(cc_decay_weight(&dd, 12000 / 600.0), 0.22, 0);
    CHECK_NEAR(cc_decay_weight(&dd, 12001 / 600.0), 0, 0);
    /* At T=10 people 10-15 minutes away no longer weigh anything. */
    CHECK_INT(cc_decay_for_threshold(ctx, "e2sfca", 10, bands, &dd), CC_OK);
    CHECK_NEAR(cc_decay_weight(&dd, 12.0), 0, 0);
    CHECK_NEAR(cc_decay_weight(&dd, 10.0), 0.22, 0);
}

/* Gaussian with t0 = T: W(t) = (exp(-(t/T)^2/2) - exp(-1/2)) / (1 - exp(-1/2)), 0 beyond T.
   T=10: W(3) = 0.8881678605, W(8) = 0.3040093982, W(2) = 0.9496750454, W(6) = 0.5813402171;
         R0 = 60 / (100 W(3) + 50 W(8)) = 0.5768273682, R1 = 30 / (50 W(2) + 20 W(6))
         = 0.5075235579; A0 = W(3) R0 = 0.5123195295, A1 = W(8) R0 + W(2) R1 = 0.6573433990,
         A3 = W(6) R1 = 0.2950438553.
   T=15: R = (0.4277117496, 0.4408794395), A = (0.4061871752, 0.7145665781, 0.1300283916,
         0.3547318833, 0, 0.0452393415).
   T=20: R = (0.3664951283, 0.3723843926), A = (0.3560750924, 0.6625463577, 0.2130583575,
         0.3870421266, 0, 0.1667332014).
   T=30: R = (0.3147146294, 0.3302318965), A = (0.3107253839, 0.6151442203, 0.2532195951,
         0.4965692623, 0.0800786131, 0.2436431803). */
static void test_gaussian(cc_ctx *ctx)
{
    const expect e[] = {
        {10, {0.5768273682, 0.5075235579}, {0.5123195295, 0.6573433990, 0, 0.2950438553, 0, 0}},
        {15,
         {0.4277117496, 0.4408794395},
         {0.4061871752, 0.7145665781, 0.1300283916, 0.3547318833, 0, 0.0452393415}},
        {20,
         {0.3664951283, 0.3723843926},
         {0.3560750924, 0.6625463577, 0.2130583575, 0.3870421266, 0, 0.1667332014}},
        {30,
         {0.3147146294, 0.3302318965},
         {0.3107253839, 0.6151442203, 0.2532195951, 0.4965692623, 0.0800786131, 0.2436431803}},
    };
    run(ctx, "gaussian", e, 4);
    cc_decay d;
    cc_decay_band bands[3];
    CHECK_INT(cc_decay_for_threshold(ctx, "gaussian", 20, bands, &d), CC_OK);
    CHECK_NEAR(cc_decay_weight(&d, 20), 0, 1e-15);
    CHECK_NEAR(cc_decay_weight(&d, 20.01), 0, 0);
}

static void test_errors(cc_ctx *ctx)
{
    cc_decay d;
    cc_decay_band bands[3];
    CHECK_INT(cc_decay_for_threshold(ctx, "linear", 15, bands, &d), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "unknown decay 'linear'");
    CHECK_INT(cc_decay_for_threshold(ctx, "e2sfca", 0, bands, &d), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "positive number of minutes");
    CHECK_INT(cc_decay_for_threshold(ctx, "gaussian", NAN, bands, &d), CC_ERR_INVALID);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx)) return 1;
    test_2sfca(ctx);
    test_e2sfca(ctx);
    test_gaussian(ctx);
    test_errors(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
