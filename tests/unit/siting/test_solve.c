/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cc_siting_solve and the capacitated exact MCLP, by hand (issue 13.10). Points P1 and P2 of
 * 100 people each; site A reaches P1 (1 min) and P2 (2 min) with room for 100, B reaches P1
 * (1 min) with room for 100, C reaches P2 (1 min) with room for 50. Two sites:
 *   - the greedy picks A first (gain 100, the larger reach), which fills up with P1, its
 *     nearest; then C adds 50: 150 people;
 *   - the best pair is A and B: B serves P1, A serves P2: 200 people. The greedy's own
 *     nearest-first rule within {A, B} gets only 100, so the sites are ranked by what each
 *     serves in the optimal assignment (100 and 100; A first on the tie).
 */
#include "carecircle/siting.h"
#include "cc_test.h"

#include <math.h>

static void test_capacitated_by_hand(void)
{
    cc_ctx *ctx;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    double dem[2] = {100, 100};
    size_t off[4] = {0, 2, 3, 4};
    uint32_t pt[4] = {0, 1, 0, 1}, tm[4] = {600, 1200, 600, 600};
    cc_incidence cand = {3, off, pt, tm, 4};
    double cap[3] = {100, 100, 50};
    cc_siting_input in = {.n_pts = 2,
                          .demand_pop = dem,
                          .cand = &cand,
                          .limit_ds = 9000,
                          .cand_cap_pop = cap,
                          .district = -1};
    cc_siting_opts o = {.k = 2};

    cc_siting_result *gr = NULL;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &gr), CC_OK);
    if (gr) {
        CHECK_INT(gr->n_picks, 2);
        CHECK_INT(gr->picks[0].cand, 0);
        CHECK_INT(gr->picks[1].cand, 2);
        CHECK_NEAR(gr->covered_pop, 150, 1e-9);
        CHECK_INT(gr->method, CC_SITING_METHOD_GREEDY);
        CHECK(isnan(gr->bound_pop));
    }
    cc_siting_result_destroy(gr);

    cc_siting_result *ex = NULL;
    CHECK_INT(cc_siting_mclp_exact(ctx, &in, 2, 0, &ex), CC_OK);
    if (ex) {
        CHECK(ex->proven_optimal);
        CHECK_INT(ex->method, CC_SITING_METHOD_EXACT);
        CHECK_NEAR(ex->optimum_pop, 200, 1e-6);
        CHECK_NEAR(ex->greedy_pop, 150, 1e-9);
        CHECK_NEAR(ex->greedy_gap, 0.25, 1e-9);
        CHECK_INT(ex->n_picks, 2);
        CHECK_INT(ex->picks[0].cand, 0);
        CHECK_INT(ex->picks[1].cand, 1);
        CHECK_NEAR(ex->picks[0].gain_pop, 100, 1e-6);
        CHECK_NEAR(ex->picks[1].cum_pop, 200, 1e-6);
        CHECK_NEAR(ex->picks[1].cum_share, 1, 1e-9);
    }
    cc_siting_result_destroy(ex);

    /* exact: auto gives the optimal pair, with the greedy's figure for comparison. */
    cc_siting_result *a = NULL;
    CHECK_INT(cc_siting_solve(ctx, &in, &o, CC_SITING_EXACT_AUTO, 10, &a), CC_OK);
    if (a) {
        CHECK_INT(a->method, CC_SITING_METHOD_EXACT);
        CHECK_INT(a->why, CC_SITING_WHY_NONE);
        CHECK_NEAR(a->covered_pop, 200, 1e-6);
        CHECK_NEAR(a->bound_pop, 200, 1e-6);
        CHECK_NEAR(a->bound_gap, 0, 0);
        CHECK_NEAR(a->greedy_pop, 150, 1e-9);
    }
    cc_siting_result_destroy(a);

    /* exact: no: the greedy list; the bound is the two largest single-site gains, 100 + 100. */
    CHECK_INT(cc_siting_solve(ctx, &in, &o, CC_SITING_EXACT_NO, 10, &a), CC_OK);
    if (a) {
        CHECK_INT(a->method, CC_SITING_METHOD_GREEDY);
        CHECK_INT(a->why, CC_SITING_WHY_ASKED);
        CHECK_NEAR(a->covered_pop, 150, 1e-9);
        CHECK_NEAR(a->bound_pop, 200, 1e-9);
        CHECK_NEAR(a->bound_gap, 0.25, 1e-9);
    }
    cc_siting_result_destroy(a);

    /* Without capacities A alone covers both points: one site, 200 people, and the
       uncapacitated greedy bound f(S) + the best gain left = 200 + 0 is tight. */
    in.cand_cap_pop = NULL;
    o.k = 1;
    CHECK_INT(cc_siting_solve(ctx, &in, &o, CC_SITING_EXACT_NO, 10, &a), CC_OK);
    if (a) {
        CHECK_NEAR(a->covered_pop, 200, 1e-9);
        CHECK_NEAR(a->bound_pop, 200, 1e-9);
        CHECK_NEAR(a->bound_gap, 0, 1e-12);
    }
    cc_siting_result_destroy(a);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_capacitated_by_hand();
    return cc_test_done();
}
