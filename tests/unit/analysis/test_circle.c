/* SPDX-License-Identifier: Apache-2.0 */
/* Circle coverage: nearest facility within a radius against brute force and hand counts. */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <stdlib.h>

static void hand_fixture(cc_ctx *ctx)
{
    /* Two facilities 1 km apart; radius 300 m. Points placed by hand:
       p0 at 100 m from f0, p1 exactly 300 m from f1 (inclusive), p2 at 301 m (outside),
       p3 equidistant (tie -> f0), p4 far away. */
    double fx[] = {0, 1000}, fy[] = {0, 0};
    double px[] = {100, 1000, 1301, 500, 5000}, py[] = {0, 300, 0, 0, 5000};
    double pop[] = {10, 20, 30, 40, 50};
    double d[5];
    int32_t f[5];
    CHECK_INT(cc_analysis_circle_nearest(ctx, 2, fx, fy, 5, px, py, 300, d, f), CC_OK);
    CHECK_INT(f[0], 0);
    CHECK_NEAR(d[0], 100, 1e-9);
    CHECK_INT(f[1], 1);
    CHECK_NEAR(d[1], 300, 1e-9);
    CHECK_INT(f[2], -1);
    CHECK(isinf(d[2]));
    CHECK_INT(f[3], -1); /* 500 m from both */
    CHECK_INT(f[4], -1);
    /* Hand count: covered within 300 m = p0 + p1 = 30 of 150. */
    CHECK_NEAR(cc_analysis_covered_sum(5, pop, d, 300), 30, 0);
    CHECK_NEAR(cc_analysis_covered_sum(5, pop, d, 100), 10, 0);
    /* Bigger radius: the tie at 500 m goes to the lower index. */
    CHECK_INT(cc_analysis_circle_nearest(ctx, 2, fx, fy, 5, px, py, 600, d, f), CC_OK);
    CHECK_INT(f[3], 0);
    CHECK_NEAR(d[3], 500, 1e-9);
    CHECK_INT(cc_analysis_circle_nearest(ctx, 2, fx, fy, 5, px, py, -1, d, f), CC_ERR_INVALID);
}

static void random_vs_brute(cc_ctx *ctx, int threads)
{
    enum { NF = 300, NP = 5000 };
    static double fx[NF], fy[NF], px[NP], py[NP], d[NP];
    static int32_t f[NP];
    srand(42);
    for (int i = 0; i < NF; i++) {
        fx[i] = (rand() % 200000) / 10.0;
        fy[i] = (rand() % 100000) / 10.0;
    }
    for (int i = 0; i < NP; i++) {
        px[i] = (rand() % 220000) / 10.0 - 1000;
        py[i] = (rand() % 120000) / 10.0 - 1000;
    }
    cc_ctx_set_threads(ctx, threads);
    CHECK_INT(cc_analysis_circle_nearest(ctx, NF, fx, fy, NP, px, py, 800, d, f), CC_OK);
    int bad = 0;
    for (int i = 0; i < NP; i++) {
        double best = INFINITY;
        int bf = -1;
        for (int k = 0; k < NF; k++) {
            double dd = (fx[k] - px[i]) * (fx[k] - px[i]) + (fy[k] - py[i]) * (fy[k] - py[i]);
            if (dd <= 800.0 * 800.0 && dd < best) {
                best = dd;
                bf = k;
            }
        }
        if (bf != f[i]) bad++;
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    hand_fixture(ctx);
    random_vs_brute(ctx, 1);
    random_vs_brute(ctx, 2);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
