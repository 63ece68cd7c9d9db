/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Siting: lazy-greedy MCLP against a plain (non-lazy) greedy and brute force on random small
 * instances, capacity cases checked by hand, reach-a-target and district modes, thread-count
 * determinism, exact MCLP against exhaustive enumeration, bad inputs.
 */
#include "carecircle/siting.h"
#include "cc_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 12345;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((rng_state >> 33) % n);
}

/* Random incidence: each of n_fac facilities reaches each point with probability pct/100. */
static cc_incidence *rand_inc(size_t n_fac, size_t n_pts, uint32_t pct)
{
    cc_incidence *inc = calloc(1, sizeof *inc);
    inc->n_fac = n_fac;
    inc->fac_off = calloc(n_fac + 1, sizeof *inc->fac_off);
    inc->pt = malloc(n_fac * n_pts * sizeof *inc->pt);
    inc->time_ds = malloc(n_fac * n_pts * sizeof *inc->time_ds);
    for (size_t f = 0; f < n_fac; f++) {
        for (size_t i = 0; i < n_pts; i++)
            if (rnd(100) < pct) {
                inc->pt[inc->n] = (uint32_t)i;
                inc->time_ds[inc->n] = 100 + rnd(9000);
                inc->n++;
            }
        inc->fac_off[f + 1] = inc->n;
    }
    return inc;
}

static void free_inc(cc_incidence *inc)
{
    if (!inc) return;
    free(inc->fac_off);
    free(inc->pt);
    free(inc->time_ds);
    free(inc);
}

/* ---- a plain greedy, written independently of the library, as the reference ---- */
typedef struct ref_row {
    uint32_t t, a, b;
} ref_row;
static int cmp_ref(const void *x, const void *y)
{
    const ref_row *p = x, *q = y;
    if (p->t != q->t) return p->t < q->t ? -1 : 1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static void ref_residual(const cc_siting_input *in, double *r)
{
    for (size_t i = 0; i < in->n_pts; i++)
        r[i] = in->demand_pop[i];
    const cc_incidence *e = in->existing;
    if (!e) return;
    ref_row *rows = malloc((e->n + 1) * sizeof *rows);
    size_t n = 0;
    for (size_t f = 0; f < e->n_fac; f++)
        for (size_t k = e->fac_off[f]; k < e->fac_off[f + 1]; k++)
            if (e->time_ds[k] <= in->limit_ds)
                rows[n++] = (ref_row){e->time_ds[k], (uint32_t)f, e->pt[k]};
    qsort(rows, n, sizeof *rows, cmp_ref);
    double *spare = malloc((e->n_fac + 1) * sizeof *spare);
    for (size_t f = 0; f < e->n_fac; f++)
        spare[f] = in->exist_cap_pop ? in->exist_cap_pop[f] : INFINITY;
    for (size_t k = 0; k < n; k++) {
        double take = fmin(r[rows[k].b], spare[rows[k].a]);
        r[rows[k].b] -= take;
        spare[rows[k].a] -= take;
    }
    free(spare);
    free(rows);
}

/* Gain of candidate j; *reach (may be NULL) gets the uncovered people in its reach. */
static double ref_gain2(const cc_siting_input *in, const double *r, size_t j, double *reach)
{
    const cc_incidence *c = in->cand;
    double s = 0;
    for (size_t k = c->fac_off[j]; k < c->fac_off[j + 1]; k++)
        if (c->time_ds[k] <= in->limit_ds) s += r[c->pt[k]];
    double cap = in->cand_cap_pop ? in->cand_cap_pop[j] : INFINITY;
    if (reach) *reach = s;
    return fmin(s, cap);
}

static void ref_assign(const cc_siting_input *in, double *r, size_t j)
{
    const cc_incidence *c = in->cand;
    ref_row rows[256];
    size_t n = 0;
    for (size_t k = c->fac_off[j]; k < c->fac_off[j + 1]; k++)
        if (c->time_ds[k] <= in->limit_ds) rows[n++] = (ref_row){c->time_ds[k], c->pt[k], 0};
    qsort(rows, n, sizeof *rows, cmp_ref);
    double cap = in->cand_cap_pop ? in->cand_cap_pop[j] : INFINITY;
    for (size_t k = 0; k < n; k++) {
        double take = fmin(r[rows[k].a], cap);
        r[rows[k].a] -= take;
        cap -= take;
    }
}

/* Plain greedy: picks[] gets up to k candidates; returns how many. */
static size_t ref_greedy(const cc_siting_input *in, size_t k, uint32_t *picks, double *gains)
{
    double r[512];
    int used[64] = {0};
    ref_residual(in, r);
    size_t n = 0;
    while (n < k) {
        long best = -1;
        double bg = 1e-9, br = 0;
        /* largest gain; equal gains: most uncovered people in reach, then the lower index */
        for (size_t j = 0; j < in->cand->n_fac; j++)
            if (!used[j]) {
                double reach, g = ref_gain2(in, r, j, &reach);
                if (g > bg || (best >= 0 && g == bg && reach > br)) bg = g, br = reach, best = (long)j;
            }
        if (best < 0) break;
        used[best] = 1;
        ref_assign(in, r, (size_t)best);
        picks[n] = (uint32_t)best;
        gains[n++] = bg;
    }
    return n;
}

/* Brute force over every k-subset (uncapacitated): the best newly covered demand. */
static double brute(const cc_siting_input *in, size_t k)
{
    double r[512], best = 0;
    ref_residual(in, r);
    size_t nc = in->cand->n_fac;
    for (uint32_t mask = 0; mask < (1u << nc); mask++) {
        if ((size_t)__builtin_popcount(mask) != k) continue;
        char cov[512] = {0};
        for (size_t j = 0; j < nc; j++)
            if (mask >> j & 1)
                for (size_t q = in->cand->fac_off[j]; q < in->cand->fac_off[j + 1]; q++)
                    if (in->cand->time_ds[q] <= in->limit_ds) cov[in->cand->pt[q]] = 1;
        double s = 0;
        for (size_t i = 0; i < in->n_pts; i++)
            if (cov[i]) s += r[i];
        if (s > best) best = s;
    }
    return best;
}

static void test_random_vs_reference(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    int exact_checked = 0;
    for (int trial = 0; trial < 40; trial++) {
        size_t np = 60, nc = 12;
        double dem[60], capc[12], cape[3];
        for (size_t i = 0; i < np; i++)
            dem[i] = (double)rnd(100) + (trial % 3 == 0 ? 0.5 : 0); /* some ties, some not */
        for (size_t j = 0; j < nc; j++) /* every sixth trial: equal caps that fill up (ties) */
            capc[j] = trial % 6 == 1 ? 100 : 50 + rnd(400);
        for (size_t f = 0; f < 3; f++)
            cape[f] = 100 + rnd(300);
        cc_incidence *cand = rand_inc(nc, np, 10 + (uint32_t)trial % 20);
        cc_incidence *ex = rand_inc(3, np, 15);
        int capacitated = trial % 2;
        cc_siting_input in = {.n_pts = np,
                              .demand_pop = dem,
                              .cand = cand,
                              .existing = trial % 4 == 3 ? NULL : ex,
                              .limit_ds = trial % 5 == 0 ? UINT32_MAX : 6000,
                              .cand_cap_pop = capacitated ? capc : NULL,
                              .exist_cap_pop = capacitated ? cape : NULL,
                              .district = -1};
        uint32_t rp[12];
        double rg[12];
        size_t rn = ref_greedy(&in, 6, rp, rg);
        cc_siting_opts o = {.k = 6};
        for (int threads = 1; threads <= 3; threads += 2) {
            cc_ctx_set_threads(ctx, threads);
            cc_siting_result *res = NULL;
            CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
            if (!res) continue;
            CHECK_INT(res->n_picks, rn);
            for (size_t k = 0; k < rn && k < res->n_picks; k++) {
                CHECK_INT(res->picks[k].cand, rp[k]);
                CHECK_NEAR(res->picks[k].gain_pop, rg[k], 1e-9);
            }
            if (res->n_picks > 1)
                CHECK(res->picks[res->n_picks - 1].cum_pop <= res->total_pop + 1e-9);
            cc_siting_result_destroy(res);
        }
        if (!capacitated) {
            for (size_t k = 1; k <= 4; k++) {
                cc_siting_result *er = NULL;
                CHECK_INT(cc_siting_mclp_exact(ctx, &in, k, 0, &er), CC_OK);
                if (!er) continue;
                double bf = brute(&in, k);
                CHECK_NEAR(er->optimum_pop, bf, 1e-6);
                CHECK_NEAR(er->covered_pop - er->base_pop, bf, 1e-6);
                CHECK(er->greedy_pop <= bf + 1e-9);
                CHECK(er->greedy_gap >= -1e-12);
                /* Greedy is (1 - 1/e)-optimal for coverage (Nemhauser et al. 1978). */
                CHECK(er->greedy_pop >= (1 - 1 / M_E) * bf - 1e-9);
                exact_checked++;
                cc_siting_result_destroy(er);
            }
        }
        free_inc(cand);
        free_inc(ex);
    }
    CHECK_INT(exact_checked, 80);
    cc_ctx_destroy(ctx);
}

/* Hand-checked capacity case (docs/siting.md walks through it). */
static void test_capacity_by_hand(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    CHECK_NEAR(cc_siting_people_capacity(40, 60), 666.6666666666666, 1e-9);
    CHECK(isinf(cc_siting_people_capacity(40, 0)));
    /* Points p0 500, p1 300, p2 400 people. Existing E reaches p0 (5 s) and p1 (10 s), capacity
     * 600: p0 takes 500, p1 gets the last 100, so 200 of p1 are left; base 600 of 1200. */
    double dem[3] = {500, 300, 400};
    size_t eoff[2] = {0, 2};
    uint32_t ept[2] = {0, 1}, et[2] = {50, 100};
    cc_incidence ex = {1, eoff, ept, et, 2};
    double ecap[1] = {600};
    /* A reaches p1 (3 s) and p2 (8 s), 20 beds at 60 per 1000 = 333.33 people;
     * B reaches p0 and p2, 1000 people; C reaches p2, 250 people. */
    size_t coff[4] = {0, 2, 4, 5};
    uint32_t cpt[5] = {1, 2, 0, 2, 2}, ct[5] = {30, 80, 40, 40, 10};
    cc_incidence cand = {3, coff, cpt, ct, 5};
    double ccap[3] = {cc_siting_people_capacity(20, 60), 1000, 250};
    cc_siting_input in = {.n_pts = 3,
                          .demand_pop = dem,
                          .cand = &cand,
                          .existing = &ex,
                          .limit_ds = UINT32_MAX,
                          .cand_cap_pop = ccap,
                          .exist_cap_pop = ecap,
                          .district = -1};
    cc_siting_opts o = {.k = 3};
    cc_siting_result *res = NULL;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        CHECK_NEAR(res->total_pop, 1200, 1e-9);
        CHECK_NEAR(res->base_pop, 600, 1e-9);
        /* Round 1 gains: A min(600, 333.3) = 333.3, B min(400, 1000) = 400, C 250 -> B. */
        CHECK_INT(res->n_picks, 2);
        CHECK_INT(res->picks[0].cand, 1);
        CHECK_NEAR(res->picks[0].gain_pop, 400, 1e-9);
        CHECK_NEAR(res->picks[0].reach_pop, 400, 1e-9);
        /* Round 2: A min(200, 333.3) = 200; C has nothing left. */
        CHECK_INT(res->picks[1].cand, 0);
        CHECK_NEAR(res->picks[1].gain_pop, 200, 1e-9);
        CHECK_NEAR(res->picks[1].cum_pop, 1200, 1e-9);
        CHECK_NEAR(res->picks[1].cum_share, 1.0, 1e-12);
        CHECK_INT(res->exhausted, 1);
    }
    cc_siting_result_destroy(res);

    /* k = 1 with A alone binding: A fills p1 (nearest, 200) then 133.33 of p2. */
    double ccap2[3] = {cc_siting_people_capacity(20, 60), 0, 0};
    in.cand_cap_pop = ccap2;
    o.k = 1;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        CHECK_INT(res->n_picks, 1);
        CHECK_INT(res->picks[0].cand, 0);
        CHECK_NEAR(res->picks[0].gain_pop, 1000.0 / 3.0, 1e-9);
        CHECK_NEAR(res->picks[0].reach_pop, 600, 1e-9);
        CHECK_NEAR(res->covered_pop, 600 + 1000.0 / 3.0, 1e-9);
    }
    cc_siting_result_destroy(res);

    /* Unlimited existing capacity: p0 and p1 fully covered, base 800; the threshold 6 s drops
     * E's row to p1 (10 s) so base is 500 at limit 60 ds. */
    in.exist_cap_pop = NULL;
    in.cand_cap_pop = NULL;
    o.k = 2;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) CHECK_NEAR(res->base_pop, 800, 1e-9);
    cc_siting_result_destroy(res);
    in.limit_ds = 60;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        CHECK_NEAR(res->base_pop, 500, 1e-9);
        /* Within 6 s: A reaches p1 only (p2 is 8 s) = 300, B p0 + p2 = 0 + 400, C p2 = 400.
         * B and C tie at 400: the lower index (B) wins; then A adds 300. */
        CHECK_INT(res->n_picks, 2);
        CHECK_INT(res->picks[0].cand, 1);
        CHECK_INT(res->picks[1].cand, 0);
        CHECK_NEAR(res->covered_pop, 1200, 1e-9);
    }
    cc_siting_result_destroy(res);
    cc_ctx_destroy(ctx);
}

static void test_target_and_district(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    /* Five points of 100 people, districts 0,0,1,1,1; point 4 reachable by no candidate. */
    double dem[5] = {100, 100, 100, 100, 100};
    int32_t dist[5] = {0, 0, 1, 1, 1};
    size_t off[4] = {0, 2, 3, 4};
    uint32_t pt[4] = {0, 2, 1, 3}, tm[4] = {1, 1, 1, 1};
    cc_incidence cand = {3, off, pt, tm, 4};
    cc_siting_input in = {
        .n_pts = 5, .demand_pop = dem, .cand = &cand, .limit_ds = UINT32_MAX, .district = -1};
    cc_siting_opts o = {.target_share = 0.6};
    cc_siting_result *res = NULL;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        /* 0.6 of 500 = 300: cand 0 (200), then cand 1 (100) reaches it. */
        CHECK_INT(res->n_picks, 2);
        CHECK_INT(res->target_reached, 1);
        CHECK_NEAR(res->picks[1].cum_share, 0.6, 1e-12);
    }
    cc_siting_result_destroy(res);
    o.target_share = 0.9; /* only 400 of 500 reachable */
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        CHECK_INT(res->n_picks, 3);
        CHECK_INT(res->target_reached, 0);
        CHECK_INT(res->exhausted, 1);
        CHECK_NEAR(res->covered_pop, 400, 1e-9);
    }
    cc_siting_result_destroy(res);
    /* District 1 (points 2,3,4; 300 people): target 0.6 needs 200: cand 0 adds 100 (point 2),
     * cand 2 adds 100 (point 3); cand 1 adds nothing there. */
    in.pt_district = dist;
    in.district = 1;
    o.target_share = 0.6;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        CHECK_NEAR(res->total_pop, 300, 1e-9);
        CHECK_INT(res->n_picks, 2);
        CHECK_INT(res->picks[0].cand, 0);
        CHECK_INT(res->picks[1].cand, 2);
        CHECK_NEAR(res->picks[0].gain_pop, 100, 1e-9);
        CHECK_INT(res->target_reached, 1);
    }
    cc_siting_result_destroy(res);
    /* Already reached before any pick. */
    o.target_share = 0.0000001;
    size_t eoff[2] = {0, 1};
    uint32_t ept[1] = {2}, et[1] = {1};
    cc_incidence ex = {1, eoff, ept, et, 1};
    in.existing = &ex;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        CHECK_INT(res->n_picks, 0);
        CHECK_INT(res->target_reached, 1);
        CHECK_NEAR(res->base_pop, 100, 1e-9);
    }
    cc_siting_result_destroy(res);
    cc_ctx_destroy(ctx);
}

static void test_bad_inputs(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    double dem[2] = {1, NAN};
    size_t off[2] = {0, 2};
    uint32_t pt[2] = {1, 0}, tm[2] = {1, 1};
    cc_incidence cand = {1, off, pt, tm, 2};
    cc_siting_input in = {
        .n_pts = 2, .demand_pop = dem, .cand = &cand, .limit_ds = 10, .district = -1};
    cc_siting_opts o = {.k = 1};
    cc_siting_result *res = (cc_siting_result *)&o;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_ERR_INVALID);
    CHECK(res == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "demand of point 1");
    dem[1] = 3;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "points must ascend");
    pt[0] = 0, pt[1] = 1;
    o.k = 0;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "siting.count");
    o.k = 1;
    o.target_share = 1.5;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_ERR_INVALID);
    o.target_share = 0;
    double cap[1] = {5};
    in.cand_cap_pop = cap;
    /* Capacitated new sites are solved exactly too (a flow model): 4 people in reach, 5 of
       room -> 4. */
    CHECK_INT(cc_siting_mclp_exact(ctx, &in, 1, 0, &res), CC_OK);
    if (res) {
        CHECK(res->proven_optimal);
        CHECK_NEAR(res->optimum_pop, 4, 1e-9);
        cc_siting_result_destroy(res);
    }
    in.cand_cap_pop = NULL;
    /* Out-of-memory paths return NOMEM and leak nothing (valgrind run). */
    for (long nth = 1; nth < 12; nth++) {
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = cc_siting_mclp_exact(ctx, &in, 1, 0, &res);
        cc_ctx_set_alloc_fail(ctx, 0);
        CHECK(st == CC_ERR_NOMEM || st == CC_OK);
        if (st == CC_OK) {
            CHECK_NEAR(res->optimum_pop, 4, 1e-9);
            cc_siting_result_destroy(res);
        }
        cc_ctx_set_alloc_fail(ctx, nth);
        st = cc_siting_greedy(ctx, &in, &o, &res);
        cc_ctx_set_alloc_fail(ctx, 0);
        CHECK(st == CC_ERR_NOMEM || st == CC_OK);
        if (st == CC_OK) cc_siting_result_destroy(res);
    }
    /* Size guard. */
    size_t big = 250000;
    size_t boff[2] = {0, big};
    uint32_t *bpt = malloc(big * sizeof *bpt), *btm = calloc(big, sizeof *btm);
    double *bdem = malloc(big * sizeof *bdem);
    for (size_t i = 0; i < big; i++)
        bpt[i] = (uint32_t)i, bdem[i] = 1;
    cc_incidence bc = {1, boff, bpt, btm, big};
    cc_siting_input bin = {
        .n_pts = big, .demand_pop = bdem, .cand = &bc, .limit_ds = 10, .district = -1};
    CHECK_INT(cc_siting_mclp_exact(ctx, &bin, 1, 0, &res), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "use the greedy mode");
    free(bpt);
    free(btm);
    free(bdem);
    cc_ctx_destroy(ctx);
}

static void test_pmedian_small(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    /* 4 points on a line at 0, 1, 10, 11; candidates at 0, 5, 11; p = 2 -> sites 0 and 2,
     * weighted cost 1*1 (point 1) + 1*2 (point 2 to 11... 1) -> check by hand:
     * point 0->cand0 0, point 1->cand0 1, point 2->cand2 1, point 3->cand2 0: total 2. */
    double pos[4] = {0, 1, 10, 11}, cpos[3] = {0, 5, 11}, cost[12], w[4] = {1, 1, 1, 1};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++)
            cost[i * 3 + j] = fabs(pos[i] - cpos[j]);
    cc_siting_pmedian *pm = NULL;
    CHECK_INT(cc_siting_pmedian_exact(ctx, 4, 3, cost, w, 2, 0, &pm), CC_OK);
    if (pm) {
        CHECK_INT(pm->sites[0], 0);
        CHECK_INT(pm->sites[1], 2);
        CHECK_NEAR(pm->objective, 2, 1e-9);
        CHECK_NEAR(pm->mean_cost, 0.5, 1e-9);
        CHECK_INT(pm->assign[2], 2);
    }
    cc_siting_pmedian_destroy(pm);
    /* p = 1 with a heavy point at 11: candidate 2 (cost 11+10+1+0 weighted). */
    w[3] = 100;
    CHECK_INT(cc_siting_pmedian_exact(ctx, 4, 3, cost, w, 1, 0, &pm), CC_OK);
    if (pm) {
        CHECK_INT(pm->sites[0], 2);
        CHECK_NEAR(pm->objective, 11 + 10 + 1, 1e-9);
    }
    cc_siting_pmedian_destroy(pm);
    cost[3 * 3 + 0] = cost[3 * 3 + 1] = cost[3 * 3 + 2] = INFINITY;
    CHECK_INT(cc_siting_pmedian_exact(ctx, 4, 3, cost, w, 1, 0, &pm), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "point 3");
    cc_ctx_destroy(ctx);
}

/* Capacitated sites that all fill up tie on gain; the one with the most uncovered people in
 * reach goes first, whatever its index. */
static void test_tie_by_reach(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    /* p0 100, p1 100, p2 300, p3 50 people. Site 0 reaches p0 + p1 (200), site 1 reaches p2
     * (300), site 2 reaches p3 (50); capacity 100 each: sites 0 and 1 both gain 100. */
    double dem[4] = {100, 100, 300, 50};
    size_t off[4] = {0, 2, 3, 4};
    uint32_t pt[4] = {0, 1, 2, 3}, tm[4] = {10, 20, 10, 10};
    cc_incidence cand = {3, off, pt, tm, 4};
    double cap[3] = {100, 100, 100};
    cc_siting_input in = {
        .n_pts = 4, .demand_pop = dem, .cand = &cand, .limit_ds = 100, .cand_cap_pop = cap,
        .district = -1};
    cc_siting_opts o = {.k = 3};
    cc_siting_result *res = NULL;
    CHECK_INT(cc_siting_greedy(ctx, &in, &o, &res), CC_OK);
    if (res) {
        CHECK_INT(res->n_picks, 3);
        CHECK_INT(res->picks[0].cand, 1); /* 300 in reach beats 200 at the same gain */
        CHECK_NEAR(res->picks[0].gain_pop, 100, 0);
        CHECK_NEAR(res->picks[0].reach_pop, 300, 0);
        CHECK_INT(res->picks[1].cand, 0);
        CHECK_NEAR(res->picks[1].gain_pop, 100, 0);
        CHECK_INT(res->picks[2].cand, 2);
        CHECK_NEAR(res->picks[2].gain_pop, 50, 0);
        CHECK_NEAR(res->covered_pop, 250, 0);
    }
    cc_siting_result_destroy(res);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_tie_by_reach();
    test_random_vs_reference();
    test_capacity_by_hand();
    test_target_and_district();
    test_bad_inputs();
    test_pmedian_small();
    return cc_test_done();
}
