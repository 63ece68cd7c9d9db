/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Out-of-memory sweep through parallel regions on 2 threads: the catchments (route/, one
 * search workspace, row buffers and a child context per thread) and the analysis stages that
 * run in parallel over their result (nearest, 2SFCA, straight-line circles). The allocation
 * hook fails the Nth allocation and every later one, N = 1, 2, ... until the chain succeeds:
 * every failure must be a clean CC_ERR_NOMEM saying "out of memory", with no result handed
 * out (the sanitizer build checks that nothing leaks), and some failure must fall inside the
 * routing threads' own allocations, which the hook reaches through their child contexts. The
 * run that succeeds gives the results of the run without the hook, bit for bit.
 */
#include "carecircle/analysis.h"
#include "carecircle/route.h"
#include "cc_test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { W = 24, H = 18, NN = W * H, NF = 30, NP = 500 };

typedef struct result {
    cc_incidence *inc;
    uint32_t near_ds[NP];
    int32_t near_fac[NP];
    double ratio[NF], access[NP];
    double circ_m[NP];
    int32_t circ_fac[NP];
} result;

/* A street grid at 60 m, two-way, the cross streets slower (4 and 3 km/h). */
static cc_status grid(cc_ctx *ctx, cc_graph **g)
{
    static double x[NN], y[NN], len[2 * NN];
    static uint32_t from[2 * NN], to[2 * NN], tf[2 * NN];
    size_t m = 0;
    for (uint32_t v = 0; v < NN; v++) {
        x[v] = (v % W) * 60.0;
        y[v] = (v / W) * 60.0;
    }
    for (uint32_t v = 0; v < NN; v++) {
        if (v % W + 1 < W) {
            from[m] = v, to[m] = v + 1, len[m] = 60, tf[m] = cc_time_ds(60, 4.0, 1);
            m++;
        }
        if (v / W + 1 < H) {
            from[m] = v, to[m] = v + W, len[m] = 60, tf[m] = cc_time_ds(60, 3.0, 1);
            m++;
        }
    }
    return cc_graph_from_arcs(ctx, NN, x, y, m, from, to, tf, tf, len, g);
}

/* The chain under test; on failure nothing is handed out (r->inc NULL). */
static cc_status chain(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, const cc_snap *fs,
                       const cc_snap *ps, const double *fxy, const double *pxy, result *r)
{
    double demand[NP], cap[NF];
    for (int i = 0; i < NP; i++)
        demand[i] = 1 + i % 3;
    for (int j = 0; j < NF; j++)
        cap[j] = 5 + j % 4;
    cc_decay dec = {CC_DECAY_GAUSSIAN, 9.0, NULL, 0};
    cc_status st = cc_route_catchments(ctx, g, prof, NF, fs, NP, ps, 6000, &r->inc);
    if (!st) st = cc_analysis_nearest(ctx, r->inc, NP, r->near_ds, r->near_fac);
    if (!st) st = cc_analysis_fca(ctx, r->inc, cap, NP, demand, &dec, r->ratio, r->access, NULL);
    if (!st)
        st = cc_analysis_circle_nearest(ctx, NF, fxy, fxy + NF, NP, pxy, pxy + NP, 500.0, r->circ_m,
                                        r->circ_fac);
    if (st) {
        cc_incidence_destroy(r->inc);
        r->inc = NULL;
    }
    return st;
}

static int same(const result *a, const result *b)
{
    const cc_incidence *x = a->inc, *y = b->inc;
    return x->n == y->n && !memcmp(x->fac_off, y->fac_off, (NF + 1) * sizeof *x->fac_off) &&
           !memcmp(x->pt, y->pt, x->n * sizeof *x->pt) &&
           !memcmp(x->time_ds, y->time_ds, x->n * sizeof *x->time_ds) &&
           !memcmp(a->near_ds, b->near_ds, sizeof a->near_ds) &&
           !memcmp(a->near_fac, b->near_fac, sizeof a->near_fac) &&
           !memcmp(a->ratio, b->ratio, sizeof a->ratio) &&
           !memcmp(a->access, b->access, sizeof a->access) &&
           !memcmp(a->circ_m, b->circ_m, sizeof a->circ_m) &&
           !memcmp(a->circ_fac, b->circ_fac, sizeof a->circ_fac);
}

int main(void)
{
    cc_ctx *ctx;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    cc_ctx_set_threads(ctx, 2);
    cc_profile *prof = NULL;
    cc_graph *g = NULL;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &prof), CC_OK);
    CHECK_INT(grid(ctx, &g), CC_OK);
    /* facilities and points off the streets, spread by a fixed quasi-random sequence */
    static double fxy[2 * NF], pxy[2 * NP];
    for (int i = 0; i < NF; i++) {
        fxy[i] = fmod(i * 431.7, (W - 1) * 60.0);
        fxy[NF + i] = fmod(i * 263.3, (H - 1) * 60.0);
    }
    for (int i = 0; i < NP; i++) {
        pxy[i] = fmod(i * 97.31 + 5, (W - 1) * 60.0);
        pxy[NP + i] = fmod(i * 57.77 + 7, (H - 1) * 60.0);
    }
    static cc_snap fs[NF], ps[NP];
    CHECK_INT(cc_route_snap(ctx, g, NF, fxy, fxy + NF, fs), CC_OK);
    CHECK_INT(cc_route_snap(ctx, g, NP, pxy, pxy + NP, ps), CC_OK);

    static result ref, one, got;
    long base = cc_ctx_alloc_count(ctx);
    CHECK_INT(chain(ctx, g, prof, fs, ps, fxy, pxy, &ref), CC_OK);
    long total = cc_ctx_alloc_count(ctx) - base;
    CHECK(ref.inc && ref.inc->n > 1000);
    /* the same on one thread, whose run allocates less: the workers' allocations count */
    cc_ctx_set_threads(ctx, 1);
    base = cc_ctx_alloc_count(ctx);
    CHECK_INT(chain(ctx, g, prof, fs, ps, fxy, pxy, &one), CC_OK);
    long total1 = cc_ctx_alloc_count(ctx) - base;
    CHECK(one.inc && same(&ref, &one));
    CHECK(total > total1);
    cc_incidence_destroy(one.inc);
    cc_ctx_set_threads(ctx, 2);

    long failed = 0, in_workers = 0, succeeded_at = 0;
    for (long n = 1; n <= total + 50 && !succeeded_at; n++) {
        memset(&got, 0, sizeof got);
        cc_ctx_clear_error(ctx);
        cc_ctx_set_alloc_fail(ctx, n);
        base = cc_ctx_alloc_count(ctx);
        cc_status st = chain(ctx, g, prof, fs, ps, fxy, pxy, &got);
        long made = cc_ctx_alloc_count(ctx) - base;
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            succeeded_at = n;
            CHECK(n > made); /* allocation n was never made: nothing failed */
            CHECK(same(&ref, &got));
            cc_incidence_destroy(got.inc);
            break;
        }
        failed++;
        CHECK_INT(st, CC_ERR_NOMEM);
        CHECK_CONTAINS(cc_ctx_message(ctx), "out of memory");
        CHECK(got.inc == NULL);
        /* the routing threads' workspaces and buffers fail inside the region */
        if (strstr(cc_ctx_message(ctx), "while routing 30 catchments")) in_workers++;
    }
    printf("2 threads: %ld allocations (1 thread: %ld); %ld failing runs, %ld inside the "
           "routing threads, success at N=%ld\n",
           total, total1, failed, in_workers, succeeded_at);
    CHECK(succeeded_at > 0);
    CHECK(failed >= total - 2);
    CHECK(in_workers >= 6); /* 2 threads x (workspace, rows, bitmaps, times, row buffers) */

    cc_incidence_destroy(ref.inc);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
