/* SPDX-License-Identifier: Apache-2.0 */
/*
 * siting: lazy-greedy maximal covering with optional capacities and a coverage target.
 *
 * The gain of a candidate, min(uncovered people in reach, capacity), can only fall as sites
 * are picked (residual demand only decreases), so a gain computed in an earlier round is an
 * upper bound (Minoux's lazy greedy, 1978). A max-heap holds those bounds; the top is
 * re-evaluated until a fresh value stays on top. Equal gains (typically capacitated sites that
 * would all fill up) go to the candidate with the most uncovered people in reach, the site
 * whose catchment needs it most, then to the lowest index. The uncovered people in reach also
 * only fall, so the pair (gain, reach) is an upper bound in that order and the picks are
 * those of the plain greedy with the same tie-break.
 */
#include "siting/siting_internal.h"

#include <math.h>
#include <stdlib.h>

/* Gains below this many people count as nothing (float noise from partial assignments). */
#define GAIN_EPS 1e-9

typedef struct hent {
    double bound; /* gain: min(uncovered people in reach, capacity) */
    double reach; /* uncovered people in reach: the tie-break */
    uint32_t cand;
    uint32_t round; /* the pick round in which bound was computed */
} hent;

static int h_before(const hent *a, const hent *b)
{
    if (a->bound != b->bound) return a->bound > b->bound;
    if (a->reach != b->reach) return a->reach > b->reach;
    return a->cand < b->cand;
}

static void h_down(hent *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, best = i;
        if (l < n && h_before(&h[l], &h[best])) best = l;
        if (l + 1 < n && h_before(&h[l + 1], &h[best])) best = l + 1;
        if (best == i) return;
        hent t = h[i];
        h[i] = h[best];
        h[best] = t;
        i = best;
    }
}

static void h_up(hent *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!h_before(&h[i], &h[p])) return;
        hent t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

/* Uncovered people within reach of candidate j (rows in order: deterministic sum). */
static double reach_of(const cc_siting_input *in, const double *resid, size_t j)
{
    const cc_incidence *c = in->cand;
    double s = 0;
    for (size_t k = c->fac_off[j]; k < c->fac_off[j + 1]; k++)
        if (c->time_ds[k] <= in->limit_ds) s += resid[c->pt[k]];
    return s;
}

typedef struct trow {
    uint32_t time_ds, pt;
} trow;

static int cmp_trow(const void *a, const void *b)
{
    const trow *x = a, *y = b;
    if (x->time_ds != y->time_ds) return x->time_ds < y->time_ds ? -1 : 1;
    return (x->pt > y->pt) - (x->pt < y->pt);
}

/* Give candidate j's capacity to the residual demand in reach, nearest first; returns the
 * people assigned. tmp holds at least the candidate's row count. */
static double assign_site(const cc_siting_input *in, double *resid, size_t j, trow *tmp)
{
    const cc_incidence *c = in->cand;
    double cap = cc__siting_cand_cap(in, j), got = 0;
    if (isinf(cap)) {
        for (size_t k = c->fac_off[j]; k < c->fac_off[j + 1]; k++)
            if (c->time_ds[k] <= in->limit_ds) {
                got += resid[c->pt[k]];
                resid[c->pt[k]] = 0;
            }
        return got;
    }
    size_t n = 0;
    for (size_t k = c->fac_off[j]; k < c->fac_off[j + 1]; k++)
        if (c->time_ds[k] <= in->limit_ds && resid[c->pt[k]] > 0)
            tmp[n++] = (trow){c->time_ds[k], c->pt[k]};
    qsort(tmp, n, sizeof *tmp, cmp_trow);
    for (size_t k = 0; k < n && cap > 0; k++) {
        double take = fmin(resid[tmp[k].pt], cap);
        resid[tmp[k].pt] -= take;
        cap -= take;
        got += take;
    }
    return got;
}

cc_status cc__siting_greedy_run(cc_ctx *ctx, const cc_siting_input *in, const cc_siting_opts *o,
                                double *resid, double total_pop, double base_pop,
                                cc_siting_result *res)
{
    cc_status st = CC_OK;
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac, maxrows = 0, nh = 0;
    hent *heap = NULL;
    trow *tmp = NULL;
    double *g0 = NULL, *r0 = NULL;
    size_t kmax = o->k ? o->k : nc;
    if (kmax > nc) kmax = nc;
    double target = o->target_share;

    res->total_pop = total_pop;
    res->base_pop = base_pop;
    res->covered_pop = base_pop;
    res->n_picks = 0;
    res->picks = cc_malloc_array(ctx, kmax ? kmax : 1, sizeof *res->picks);
    heap = cc_malloc_array(ctx, nc ? nc : 1, sizeof *heap);
    g0 = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g0);
    r0 = cc_malloc_array(ctx, nc ? nc : 1, sizeof *r0);
    for (size_t j = 0; j < nc; j++)
        if (c->fac_off[j + 1] - c->fac_off[j] > maxrows)
            maxrows = c->fac_off[j + 1] - c->fac_off[j];
    tmp = cc_malloc_array(ctx, maxrows ? maxrows : 1, sizeof *tmp);
    if (!res->picks || !heap || !g0 || !r0 || !tmp) {
        st = CC_ERR_NOMEM;
        goto fail;
    }

    /* Initial gains: independent per candidate, each a fixed-order sum -> thread-count
     * independent. */
    int nt = cc_ctx_thread_count(ctx);
#pragma omp parallel for schedule(dynamic, 64) num_threads(nt)
    for (long j = 0; j < (long)nc; j++) {
        r0[j] = reach_of(in, resid, (size_t)j);
        g0[j] = fmin(r0[j], cc__siting_cand_cap(in, (size_t)j));
    }
    for (size_t j = 0; j < nc; j++) {
        heap[nh] = (hent){g0[j], r0[j], (uint32_t)j, 0};
        h_up(heap, nh++);
    }

    double share = total_pop > 0 ? res->covered_pop / total_pop : 0;
    if (target > 0 && total_pop > 0 && share >= target) {
        res->target_reached = 1;
        goto done;
    }
    uint32_t round = 0;
    while (res->n_picks < kmax) {
        if ((st = cc_check_interrupt(ctx))) goto fail;
        /* Find the best fresh candidate. */
        for (;;) {
            if (nh == 0 || heap[0].bound <= GAIN_EPS) break;
            if (heap[0].round == round) break;
            double reach = reach_of(in, resid, heap[0].cand);
            heap[0].bound = fmin(reach, cc__siting_cand_cap(in, heap[0].cand));
            heap[0].reach = reach;
            heap[0].round = round;
            h_down(heap, nh, 0);
        }
        if (nh == 0 || heap[0].bound <= GAIN_EPS) {
            res->exhausted = 1;
            break;
        }
        hent top = heap[0];
        heap[0] = heap[--nh];
        h_down(heap, nh, 0);

        cc_siting_pick *pk = &res->picks[res->n_picks++];
        pk->cand = top.cand;
        pk->reach_pop = reach_of(in, resid, top.cand);
        pk->gain_pop = assign_site(in, resid, top.cand, tmp);
        res->covered_pop += pk->gain_pop;
        pk->cum_pop = res->covered_pop;
        pk->cum_share = total_pop > 0 ? res->covered_pop / total_pop : 0;
        round++;
        if (target > 0 && pk->cum_share >= target) {
            res->target_reached = 1;
            break;
        }
    }
    if (nh == 0 && !res->target_reached) res->exhausted = 1; /* every candidate used */
done:
    cc_free(heap);
    cc_free(tmp);
    cc_free(g0);
    cc_free(r0);
    return CC_OK;
fail:
    cc_free(heap);
    cc_free(tmp);
    cc_free(g0);
    cc_free(r0);
    return st;
}

cc_status cc_siting_greedy(cc_ctx *ctx, const cc_siting_input *in, const cc_siting_opts *opts,
                           cc_siting_result **out)
{
    cc_status st;
    double *resid = NULL, total = 0, base = 0;
    cc_siting_result *res = NULL;
    *out = NULL;
    if ((st = cc__siting_check(ctx, in))) return st;
    if (!opts || (opts->k == 0 && !(opts->target_share > 0)))
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: neither a site count nor a target share given; set "
                        "siting.count or siting.target_share");
    if (opts->target_share > 1 || opts->target_share < 0 || isnan(opts->target_share))
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: target share %g is outside 0..1; give a share such as 0.9",
                        opts->target_share);
    if (in->cand->n_fac >= UINT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "siting: too many candidates (%zu)", in->cand->n_fac);
    res = cc_calloc(ctx, 1, sizeof *res);
    if (!res) return CC_ERR_NOMEM;
    if ((st = cc__siting_residual(ctx, in, &resid, &total, &base))) goto fail;
    if ((st = cc__siting_greedy_run(ctx, in, opts, resid, total, base, res))) goto fail;
    cc_free(resid);
    res->method = CC_SITING_METHOD_GREEDY;
    res->bound_pop = res->bound_gap = NAN; /* cc_siting_solve gives a bound */
    *out = res;
    return CC_OK;
fail:
    cc_free(resid);
    cc_siting_result_destroy(res);
    return st;
}
