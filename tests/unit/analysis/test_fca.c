/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 2SFCA family: classic, E2SFCA step weights and Gaussian decay against hand computations,
 * unknown capacities, and the properties A_i = S / sum D (one facility reaching everyone)
 * and sum_i A_i D_i = sum_j S_j (supply conservation).
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <stdlib.h>

/* Two facilities, three points (times in deciseconds, 600 ds = 1 min):
     f0 (S=10): p0 at 2 min, p1 at 7 min
     f1 (S=20): p1 at 4 min, p2 at 12 min
   demand p0=100, p1=50, p2=200. */
static size_t off[] = {0, 2, 4};
static uint32_t pt[] = {0, 1, 1, 2};
static uint32_t tds[] = {1200, 4200, 2400, 7200};
static double dem[] = {100, 50, 200};

static cc_incidence fixture(void)
{
    cc_incidence inc = {2, off, pt, tds, 4};
    return inc;
}

static void test_classic(cc_ctx *ctx)
{
    cc_incidence inc = fixture();
    double cap[] = {10, 20}, R[2], A[3];
    cc_decay d = {CC_DECAY_NONE, 15, NULL, 0};
    size_t unk = 99;
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 3, dem, &d, R, A, &unk), CC_OK);
    /* R0 = 10 / (100 + 50) = 0.0666..., R1 = 20 / (50 + 200) = 0.08
       A0 = R0, A1 = R0 + R1 = 0.14666..., A2 = R1 */
    CHECK_INT(unk, 0);
    CHECK_NEAR(R[0], 10.0 / 150, 1e-12);
    CHECK_NEAR(R[1], 0.08, 1e-12);
    CHECK_NEAR(A[0], 10.0 / 150, 1e-12);
    CHECK_NEAR(A[1], 10.0 / 150 + 0.08, 1e-12);
    CHECK_NEAR(A[2], 0.08, 1e-12);
    /* Conservation: 100*0.0667 + 50*0.1467 + 200*0.08 = 6.667 + 7.333 + 16 = 30 = 10 + 20. */
    CHECK_NEAR(A[0] * 100 + A[1] * 50 + A[2] * 200, 30, 1e-9);

    /* A 5-minute catchment drops p1 from f0 (7 min) and p2 from f1 (12 min):
       R0 = 10/100, R1 = 20/50; A0 = 0.1, A1 = 0.4, A2 = 0. */
    d.t0_min = 5;
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 3, dem, &d, R, A, NULL), CC_OK);
    CHECK_NEAR(A[0], 0.1, 1e-12);
    CHECK_NEAR(A[1], 0.4, 1e-12);
    CHECK_NEAR(A[2], 0, 0);

    /* Unknown capacity of f1: excluded (R1 NaN) and counted; the points it reaches (p1, p2)
       have unknown access (NaN), not f0's share only; p0, reached by f0 alone, keeps R0. */
    d.t0_min = 15;
    double cap2[] = {10, NAN};
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap2, 3, dem, &d, R, A, &unk), CC_OK);
    CHECK_INT(unk, 1);
    CHECK(isnan(R[1]));
    CHECK_NEAR(A[0], 10.0 / 150, 1e-12);
    CHECK(isnan(A[1]));
    CHECK(isnan(A[2]));

    /* No demand in the catchment: ratio NaN, nothing handed out. */
    double zero[] = {0, 0, 200};
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 3, zero, &d, R, A, NULL), CC_OK);
    CHECK(isnan(R[0]));
    CHECK_NEAR(R[1], 0.1, 1e-12); /* 20 / (0 + 200) */
    CHECK_NEAR(A[0], 0, 0);
    CHECK_NEAR(A[1], 0.1, 1e-12);
}

static void test_e2sfca(cc_ctx *ctx)
{
    cc_incidence inc = fixture();
    double cap[] = {10, 20}, R[2], A[3];
    cc_decay d;
    cc_decay_band bands[3];
    CHECK_INT(cc_decay_for_threshold(ctx, "e2sfca", 15, bands, &d), CC_OK);
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 3, dem, &d, R, A, NULL), CC_OK);
    /* Weights: 2 min -> 1, 7 min -> 0.68, 4 min -> 1, 12 min -> 0.22.
       f0: 100*1 + 50*0.68 = 134 -> R0 = 10/134 = 0.0746268657
       f1: 50*1 + 200*0.22 = 94  -> R1 = 20/94  = 0.2127659574
       A0 = R0; A1 = 0.68 R0 + R1 = 0.2635122261; A2 = 0.22 R1 = 0.0468085106 */
    CHECK_NEAR(R[0], 10.0 / 134, 1e-12);
    CHECK_NEAR(R[1], 20.0 / 94, 1e-12);
    CHECK_NEAR(A[0], 0.0746268657, 1e-9);
    CHECK_NEAR(A[1], 0.2635122261, 1e-9);
    CHECK_NEAR(A[2], 0.0468085106, 1e-9);
    /* Band edges are inclusive: exactly 5 min weighs 1, 5 min + 1 ds 0.68, 15 min 0.22. */
    CHECK_NEAR(cc_decay_weight(&d, 5.0), 1.0, 0);
    CHECK_NEAR(cc_decay_weight(&d, 3001 / 600.0), 0.68, 0);
    CHECK_NEAR(cc_decay_weight(&d, 15.0), 0.22, 0);
    CHECK_NEAR(cc_decay_weight(&d, 15.01), 0, 0);
    CHECK_NEAR(cc_decay_weight(&d, NAN), 0, 0);
}

static void test_gaussian(cc_ctx *ctx)
{
    cc_incidence inc = fixture();
    double cap[] = {10, 20}, R[2], A[3];
    cc_decay d = {CC_DECAY_GAUSSIAN, 15, NULL, 0};
    /* W(t) = (exp(-(t/15)^2/2) - exp(-1/2)) / (1 - exp(-1/2)):
       W(0) = 1, W(15) = 0, W(2) = 0.9775090494, W(7) = 0.7377942074,
       W(4) = 0.9112233696, W(12) = 0.3040093982. */
    CHECK_NEAR(cc_decay_weight(&d, 0), 1, 1e-15);
    CHECK_NEAR(cc_decay_weight(&d, 15), 0, 1e-15);
    CHECK_NEAR(cc_decay_weight(&d, 2), 0.9775090494, 1e-9);
    CHECK_NEAR(cc_decay_weight(&d, 12), 0.3040093982, 1e-9);
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 3, dem, &d, R, A, NULL), CC_OK);
    /* f0: 100*0.97751 + 50*0.73779 = 134.6406153 -> R0 = 0.0742717937
       f1: 50*0.91122 + 200*0.30401 = 106.3630481 -> R1 = 0.1880352280
       A0 = 0.97751 R0 = 0.0726013504; A1 = 0.73779 R0 + 0.91122 R1 = 0.2261393932;
       A2 = 0.30401 R1 = 0.0571644765 */
    CHECK_NEAR(R[0], 0.0742717937, 1e-9);
    CHECK_NEAR(R[1], 0.1880352280, 1e-9);
    CHECK_NEAR(A[0], 0.0726013504, 1e-9);
    CHECK_NEAR(A[1], 0.2261393932, 1e-9);
    CHECK_NEAR(A[2], 0.0571644765, 1e-9);
}

static void test_properties(cc_ctx *ctx)
{
    enum { NP = 500, NF = 20 };
    static double demand[NP], A[NP], R[NF], cap[NF];
    static size_t o[NF + 1];
    static uint32_t p[NF * NP], t[NF * NP];
    srand(7);
    double total_d = 0;
    for (int i = 0; i < NP; i++) {
        demand[i] = rand() % 1000 / 10.0;
        total_d += demand[i];
    }
    /* One facility reaching every point within 15 min (weight 1 under NONE). */
    o[0] = 0;
    o[1] = NP;
    for (int i = 0; i < NP; i++) {
        p[i] = (uint32_t)i;
        t[i] = (uint32_t)(rand() % 9001);
    }
    cc_incidence one = {1, o, p, t, NP};
    cap[0] = 1234.5;
    cc_decay d = {CC_DECAY_NONE, 15, NULL, 0};
    CHECK_INT(cc_analysis_fca(ctx, &one, cap, NP, demand, &d, R, A, NULL), CC_OK);
    int bad = 0;
    for (int i = 0; i < NP; i++)
        bad += fabs(A[i] - 1234.5 / total_d) > 1e-12;
    CHECK_INT(bad, 0);

    /* Many facilities, random catchments, each reaching its first point (demand > 0). */
    size_t n = 0;
    double total_s = 0;
    for (int j = 0; j < NF; j++) {
        o[j] = n;
        for (int i = 0; i < NP; i++)
            if (i == j || rand() % 5 == 0) {
                p[n] = (uint32_t)i;
                t[n++] = (uint32_t)(rand() % 9001);
            }
        cap[j] = 1 + rand() % 100;
        total_s += cap[j];
        demand[j] = 5 + j; /* positive demand for the point every facility reaches */
    }
    o[NF] = n;
    cc_incidence many = {NF, o, p, t, n};
    CHECK_INT(cc_analysis_fca(ctx, &many, cap, NP, demand, &d, R, A, NULL), CC_OK);
    double sum = 0;
    for (int i = 0; i < NP; i++)
        sum += A[i] * demand[i];
    CHECK_NEAR(sum, total_s, 1e-9 * total_s);
}

static void test_errors(cc_ctx *ctx)
{
    cc_incidence inc = fixture();
    double cap[] = {10, 20}, R[2], A[3];
    cc_decay bad = {CC_DECAY_NONE, 0, NULL, 0};
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 3, dem, &bad, R, A, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "t0 must be a positive number");
    cc_decay_band unsorted[] = {{10, 1}, {5, 0.5}};
    cc_decay st = {CC_DECAY_STEP, 0, unsorted, 2};
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 3, dem, &st, R, A, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "band 2 upper bound 5 min");
    cc_decay d = {CC_DECAY_NONE, 15, NULL, 0};
    CHECK_INT(cc_analysis_fca(ctx, &inc, cap, 2, dem, &d, R, A, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "names point 2 of only 2 points");
    /* Served demand within 5 min: f0 reaches p0 (100), f1 reaches p1 (50). */
    double served[2];
    CHECK_INT(cc_analysis_served_demand(ctx, &inc, 3, dem, 5, served), CC_OK);
    CHECK_NEAR(served[0], 100, 0);
    CHECK_NEAR(served[1], 50, 0);
    CHECK_INT(cc_analysis_served_demand(ctx, &inc, 3, dem, 12, served), CC_OK);
    CHECK_NEAR(served[0], 150, 0);
    CHECK_NEAR(served[1], 250, 0);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx)) return 1;
    test_classic(ctx);
    test_e2sfca(ctx);
    test_gaussian(ctx);
    test_properties(ctx);
    test_errors(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
