/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit-based siting: the fewest sites for a share of units covered (greedy with lookahead)
 * by hand, against exhaustive search on random small instances, the best site inside each
 * unit, bad inputs.
 */
#include "carecircle/siting.h"
#include "cc_test.h"

#include <stdlib.h>
#include <string.h>

/* An incidence from per-candidate point lists (-1 ends a list, -2 ends the candidates). */
static cc_incidence *make_inc(const int *lists)
{
    cc_incidence *inc = calloc(1, sizeof *inc);
    size_t n = 0, nf = 0;
    for (const int *p = lists; *p != -2; p++)
        *p == -1 ? nf++ : n++;
    inc->n_fac = nf;
    inc->n = n;
    inc->fac_off = calloc(nf + 1, sizeof *inc->fac_off);
    inc->pt = malloc((n ? n : 1) * sizeof *inc->pt);
    inc->time_ds = malloc((n ? n : 1) * sizeof *inc->time_ds);
    size_t f = 0, q = 0;
    for (const int *p = lists; *p != -2; p++) {
        if (*p == -1) {
            inc->fac_off[++f] = q;
            continue;
        }
        inc->pt[q] = (uint32_t)*p;
        inc->time_ds[q++] = 3000;
    }
    return inc;
}

static void free_inc(cc_incidence *inc)
{
    free(inc->fac_off);
    free(inc->pt);
    free(inc->time_ds);
    free(inc);
}

/* Per-unit people and people already within reach, from the points (the stage's figures). */
static void unit_sums(size_t np, const double *pop, const uint8_t *reached, const int32_t *unit,
                      size_t nu, double *upop, double *ureach)
{
    memset(upop, 0, nu * sizeof *upop);
    memset(ureach, 0, nu * sizeof *ureach);
    for (size_t i = 0; i < np; i++)
        if (unit[i] >= 0) {
            upop[unit[i]] += pop[i];
            if (reached && reached[i]) ureach[unit[i]] += pop[i];
        }
}

/* Four units of 100 people, rule 50 %: c0 brings units 0 and 1 at once, units 2 needs c1 and
   c2 together, unit 3 is out of every candidate's reach. */
static void test_by_hand(void)
{
    cc_ctx *ctx = NULL;
    cc_ctx_create(&ctx);
    double pop[] = {60, 40, 60, 40, 30, 30, 40, 100};
    int32_t unit[] = {0, 0, 1, 1, 2, 2, 2, 3};
    int lists[] = {0, 2, -1, 4, -1, 5, -1, 0, -1, -2};
    cc_incidence *inc = make_inc(lists);
    double upop[4], ureach[4];
    unit_sums(8, pop, NULL, unit, 4, upop, ureach);
    cc_siting_unit_input in = {8, pop, NULL, unit, 4, upop, ureach, 0.5, inc, 6000};
    cc_siting_unit_result *r = NULL;
    CHECK_INT(cc_siting_units_greedy(ctx, &in, 0, 0.75, &r), CC_OK);
    CHECK_INT(r->n_picks, 3);
    CHECK_INT(r->picks[0].cand, 0);
    CHECK_INT(r->picks[0].n_new, 2);
    CHECK_INT(r->new_units[r->picks[0].first_new], 0);
    CHECK_INT(r->new_units[r->picks[0].first_new + 1], 1);
    CHECK_NEAR(r->picks[0].gain_pop, 120, 1e-9);
    /* no site brings unit 2 alone: the lookahead takes c1 (0.6 of its missing 50 people;
       c2 ties and has the higher index) */
    CHECK_INT(r->picks[1].cand, 1);
    CHECK_INT(r->picks[1].n_new, 0);
    CHECK_NEAR(r->picks[1].progress, 0.6, 1e-12);
    CHECK_INT(r->picks[2].cand, 2);
    CHECK_INT(r->picks[2].n_new, 1);
    CHECK_INT(r->new_units[r->picks[2].first_new], 2);
    CHECK_INT(r->picks[2].cum_units, 3);
    CHECK_INT(r->n_with_people, 4);
    CHECK_INT(r->target_units, 3);
    CHECK_INT(r->reachable_units, 3);
    CHECK(r->target_reached);
    cc_siting_unit_result_destroy(r);
    /* 100 %: unit 3 cannot be reached; the list stops exhausted after the same three */
    CHECK_INT(cc_siting_units_greedy(ctx, &in, 0, 1.0, &r), CC_OK);
    CHECK_INT(r->n_picks, 3);
    CHECK(!r->target_reached);
    CHECK(r->exhausted);
    cc_siting_unit_result_destroy(r);
    /* count: 1 stops after one pick */
    CHECK_INT(cc_siting_units_greedy(ctx, &in, 1, 0, &r), CC_OK);
    CHECK_INT(r->n_picks, 1);
    CHECK_INT(r->covered_units, 2);
    cc_siting_unit_result_destroy(r);
    /* best site inside units 0 and 2: c0 (120 people) beats c3 (60) in unit 0; c1 ties c2 */
    int32_t cu[] = {0, 2, 2, 0}, best[4];
    uint8_t want[] = {1, 0, 1, 1};
    double bp[4];
    CHECK_INT(cc_siting_units_best_inside(ctx, &in, cu, want, best, bp), CC_OK);
    CHECK_INT(best[0], 0);
    CHECK_NEAR(bp[0], 120, 1e-9);
    CHECK_INT(best[1], -1);
    CHECK_INT(best[2], 1);
    CHECK_NEAR(bp[2], 30, 1e-9);
    CHECK_INT(best[3], -1);
    /* bad inputs */
    CHECK_INT(cc_siting_units_greedy(ctx, &in, 0, 0, &r), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "target share");
    in.min_share = 1.5;
    CHECK_INT(cc_siting_units_greedy(ctx, &in, 0, 0.5, &r), CC_ERR_INVALID);
    free_inc(inc);
    cc_ctx_destroy(ctx);
}

/* Without the lookahead, a tie at zero units would go to the site with the most people (c0,
   200 people in no unit); the lookahead takes the two sites the unit needs. */
static void test_lookahead(void)
{
    cc_ctx *ctx = NULL;
    cc_ctx_create(&ctx);
    double pop[] = {200, 30, 30, 40};
    int32_t unit[] = {-1, 0, 0, 0};
    int lists[] = {0, -1, 1, -1, 2, -1, -2};
    cc_incidence *inc = make_inc(lists);
    double upop[1], ureach[1];
    unit_sums(4, pop, NULL, unit, 1, upop, ureach);
    cc_siting_unit_input in = {4, pop, NULL, unit, 1, upop, ureach, 0.5, inc, 6000};
    cc_siting_unit_result *r = NULL;
    CHECK_INT(cc_siting_units_greedy(ctx, &in, 0, 1.0, &r), CC_OK);
    CHECK_INT(r->n_picks, 2);
    CHECK_INT(r->picks[0].cand, 1);
    CHECK_INT(r->picks[1].cand, 2);
    CHECK(r->target_reached);
    cc_siting_unit_result_destroy(r);
    free_inc(inc);
    cc_ctx_destroy(ctx);
}

static uint64_t rng = 99;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((rng >> 33) % n);
}

/* Units covered when the sites of mask are built (exhaustive reference, own code). */
static size_t covered_with(size_t np, const double *pop, const uint8_t *reached,
                           const int32_t *unit, size_t nu, double share, const cc_incidence *inc,
                           unsigned mask)
{
    uint8_t cov[64];
    double got[16] = {0}, upop[16] = {0};
    for (size_t i = 0; i < np; i++)
        cov[i] = reached[i];
    for (size_t j = 0; j < inc->n_fac; j++)
        if (mask >> j & 1)
            for (size_t q = inc->fac_off[j]; q < inc->fac_off[j + 1]; q++)
                cov[inc->pt[q]] = 1;
    for (size_t i = 0; i < np; i++) {
        upop[unit[i]] += pop[i];
        if (cov[i]) got[unit[i]] += pop[i];
    }
    size_t n = 0;
    for (size_t d = 0; d < nu; d++)
        n += upop[d] > 0 && got[d] / upop[d] >= share;
    return n;
}

/* Random instances: 9 candidates, 6 units of 4 points, rule 50 %, target 2/3 of the units.
   The greedy is never below the optimum, reaches the target whenever any set does, and its
   excess over the fewest sites is measured (docs/siting.md quotes these counts). */
static void test_vs_exhaustive(void)
{
    cc_ctx *ctx = NULL;
    cc_ctx_create(&ctx);
    enum { NP = 24, NU = 6, NC = 9, RUNS = 300 };
    size_t same = 0, plus1 = 0, plus2 = 0, unreachable = 0;
    for (int run = 0; run < RUNS; run++) {
        double pop[NP];
        uint8_t reached[NP];
        int32_t unit[NP];
        for (size_t i = 0; i < NP; i++) {
            pop[i] = 10 + rnd(90);
            reached[i] = rnd(100) < 15;
            unit[i] = (int32_t)(i / 4);
        }
        cc_incidence *inc = calloc(1, sizeof *inc);
        inc->n_fac = NC;
        inc->fac_off = calloc(NC + 1, sizeof *inc->fac_off);
        inc->pt = malloc(NC * NP * sizeof *inc->pt);
        inc->time_ds = malloc(NC * NP * sizeof *inc->time_ds);
        for (size_t j = 0; j < NC; j++) {
            for (size_t i = 0; i < NP; i++)
                if (rnd(100) < 15) {
                    inc->pt[inc->n] = (uint32_t)i;
                    inc->time_ds[inc->n++] = 1000;
                }
            inc->fac_off[j + 1] = inc->n;
        }
        double upop[NU], ureach[NU];
        unit_sums(NP, pop, reached, unit, NU, upop, ureach);
        cc_siting_unit_input in = {NP, pop, reached, unit, NU, upop, ureach, 0.5, inc, 6000};
        cc_siting_unit_result *r = NULL;
        CHECK_INT(cc_siting_units_greedy(ctx, &in, 0, 2.0 / 3, &r), CC_OK);
        size_t best = NC + 1;
        for (unsigned m = 0; m < 1u << NC; m++) {
            size_t k = (size_t)__builtin_popcount(m);
            if (k < best && covered_with(NP, pop, reached, unit, NU, 0.5, inc, m) >= 4) best = k;
        }
        CHECK_INT(r->target_units, 4);
        CHECK_INT(r->target_reached, best <= NC);
        if (best > NC) {
            unreachable++;
        } else {
            CHECK(r->n_picks >= best);
            same += r->n_picks == best;
            plus1 += r->n_picks == best + 1;
            plus2 += r->n_picks >= best + 2;
            /* the greedy's own count of covered units is the reference's for its set */
            unsigned mask = 0;
            for (size_t k = 0; k < r->n_picks; k++)
                mask |= 1u << r->picks[k].cand;
            CHECK_INT(r->covered_units, covered_with(NP, pop, reached, unit, NU, 0.5, inc, mask));
        }
        cc_siting_unit_result_destroy(r);
        free_inc(inc);
    }
    printf("units greedy vs exhaustive: %zu optimal, %zu one site more, %zu two or more, %zu "
           "unreachable of %d\n",
           same, plus1, plus2, unreachable, RUNS);
    CHECK_INT(same + plus1 + plus2 + unreachable, RUNS);
    /* measured once (deterministic generator): the figures docs/siting.md quotes */
    CHECK_INT(same, 286);
    CHECK_INT(plus1, 10);
    CHECK_INT(plus2, 0);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_by_hand();
    test_lookahead();
    test_vs_exhaustive();
    return cc_test_done();
}
