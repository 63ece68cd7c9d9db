/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit-based siting: the fewest new sites that bring a target share of statistical units
 * (communities, streets) over the unit coverage rule, and the best site inside each unit that
 * lacks a facility. Plain arrays; the rule and its figures come from the caller (the units
 * stage), never from a second definition here. docs/siting.md, "Units".
 */
#include "core/internal.h"
#include "siting_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cc_siting_unit_result_destroy(cc_siting_unit_result *res)
{
    if (!res) return;
    cc_free(res->picks);
    cc_free(res->new_units);
    cc_free(res);
}

static cc_status check_input(cc_ctx *ctx, const cc_siting_unit_input *in)
{
    if (!in || !in->demand_pop || !in->pt_unit || !in->cand || (in->n_units && !in->unit_pop) ||
        (in->n_units && !in->unit_reach))
        return cc_error(ctx, CC_ERR_INVALID, "siting units: missing input arrays");
    if (!(in->min_share >= 0 && in->min_share <= 1))
        return cc_error(ctx, CC_ERR_INVALID, "siting units: min_share %g is not in [0, 1]",
                        in->min_share);
    for (size_t i = 0; i < in->n_pts; i++)
        if (in->pt_unit[i] < -1 || (in->pt_unit[i] >= 0 && (size_t)in->pt_unit[i] >= in->n_units))
            return cc_error(ctx, CC_ERR_INVALID, "siting units: point %zu has unit %d of %zu", i,
                            (int)in->pt_unit[i], in->n_units);
    const cc_incidence *c = in->cand;
    for (size_t q = 0; q < c->n; q++)
        if (c->pt[q] >= in->n_pts)
            return cc_error(ctx, CC_ERR_INVALID, "siting units: incidence point %u of %zu",
                            (unsigned)c->pt[q], in->n_pts);
    return CC_OK;
}

/* The rule of unit_coverage.csv, with extra people within reach. */
static int passes(const cc_siting_unit_input *in, size_t d, double extra)
{
    double pop = in->unit_pop[d];
    return pop > 0 && (in->unit_reach[d] + extra) / pop >= in->min_share;
}

typedef struct ustate {
    const cc_siting_unit_input *in;
    uint8_t *cov;       /* [n_pts] within reach now */
    double *got;        /* [n_units] people brought within reach by the picks */
    uint8_t *passed;    /* [n_units] covered now */
    uint8_t *reachable; /* [n_units] covered if every candidate were built */
    double *need0;      /* [n_units] people missing at the start (> 0 for units short of it) */
    double *add;        /* [n_units] scratch: people one candidate adds */
    uint32_t *touched;  /* [n_units] scratch: units with add > 0 */
    size_t n_touched;
    uint8_t *picked; /* [n_cand] */
} ustate;

typedef struct ueval {
    size_t n_new;
    double progress, gain;
} ueval;

/* What candidate j adds now; leaves the touched units in s->touched / s->add (reset by the
   caller with clear_touched). */
static ueval eval_cand(ustate *s, size_t j)
{
    const cc_siting_unit_input *in = s->in;
    const cc_incidence *c = in->cand;
    ueval e = {0, 0, 0};
    s->n_touched = 0;
    for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++) {
        if (c->time_ds[q] > in->limit_ds) continue;
        uint32_t i = c->pt[q];
        double p = in->demand_pop[i];
        if (s->cov[i] || !(p > 0)) continue;
        e.gain += p;
        int32_t d = in->pt_unit[i];
        if (d < 0 || s->passed[d]) continue;
        if (s->add[d] == 0) s->touched[s->n_touched++] = (uint32_t)d;
        s->add[d] += p;
    }
    for (size_t k = 0; k < s->n_touched; k++) {
        uint32_t d = s->touched[k];
        if (passes(in, d, s->got[d] + s->add[d])) e.n_new++;
        if (s->reachable[d] && s->need0[d] > 0) {
            double left = s->need0[d] - s->got[d];
            e.progress += (s->add[d] < left ? s->add[d] : left > 0 ? left : 0) / s->need0[d];
        }
    }
    return e;
}

static void clear_touched(ustate *s)
{
    for (size_t k = 0; k < s->n_touched; k++)
        s->add[s->touched[k]] = 0;
    s->n_touched = 0;
}

static int better(ueval a, ueval b)
{
    if (a.n_new != b.n_new) return a.n_new > b.n_new;
    if (a.progress != b.progress) return a.progress > b.progress;
    return a.gain > b.gain;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Build candidate j: its points are within reach, its units' people grow; the units it brings
   over the rule are appended (ascending) to res->new_units. */
static void apply_cand(ustate *s, size_t j, cc_siting_unit_result *res, size_t *n_new_units)
{
    const cc_siting_unit_input *in = s->in;
    const cc_incidence *c = in->cand;
    eval_cand(s, j);
    size_t first = *n_new_units;
    for (size_t k = 0; k < s->n_touched; k++) {
        uint32_t d = s->touched[k];
        s->got[d] += s->add[d];
        if (passes(in, d, s->got[d])) {
            s->passed[d] = 1;
            res->new_units[(*n_new_units)++] = d;
        }
    }
    clear_touched(s);
    for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
        if (c->time_ds[q] <= in->limit_ds) s->cov[c->pt[q]] = 1;
    qsort(res->new_units + first, *n_new_units - first, sizeof *res->new_units, cmp_u32);
    s->picked[j] = 1;
}

/* Units covered before any pick, units with people, the people each one misses, and which
   units every candidate together would bring over the rule. */
static void start_state(ustate *s, cc_siting_unit_result *res)
{
    const cc_siting_unit_input *in = s->in;
    const cc_incidence *c = in->cand;
    for (size_t i = 0; i < in->n_pts; i++)
        s->cov[i] = in->reached ? in->reached[i] != 0 : 0;
    for (size_t d = 0; d < in->n_units; d++) {
        res->n_with_people += in->unit_pop[d] > 0;
        s->passed[d] = (uint8_t)passes(in, d, 0);
        res->base_units += s->passed[d];
        s->need0[d] = in->min_share * in->unit_pop[d] - in->unit_reach[d];
    }
    /* every candidate at once: got[] as scratch, cleared after */
    for (size_t j = 0; j < c->n_fac; j++)
        for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++) {
            uint32_t i = c->pt[q];
            int32_t d = in->pt_unit[i];
            if (c->time_ds[q] > in->limit_ds || s->cov[i] || d < 0 || !(in->demand_pop[i] > 0))
                continue;
            s->cov[i] = 2; /* counted once */
            s->got[d] += in->demand_pop[i];
        }
    for (size_t d = 0; d < in->n_units; d++) {
        s->reachable[d] = (uint8_t)(s->passed[d] || passes(in, d, s->got[d]));
        res->reachable_units += s->reachable[d];
        s->got[d] = 0;
    }
    for (size_t i = 0; i < in->n_pts; i++)
        s->cov[i] = s->cov[i] == 1;
}

static cc_status units_run(cc_ctx *ctx, ustate *s, size_t k, double target_share,
                           cc_siting_unit_result *res)
{
    const cc_siting_unit_input *in = s->in;
    size_t nc = in->cand->n_fac, n_new_units = 0;
    start_state(s, res);
    res->covered_units = res->base_units;
    if (target_share > 0)
        res->target_units = (size_t)ceil(target_share * (double)res->n_with_people - 1e-9);
    res->picks = cc_malloc_array(ctx, nc ? nc : 1, sizeof *res->picks);
    res->new_units = cc_malloc_array(ctx, in->n_units ? in->n_units : 1, sizeof *res->new_units);
    if (!res->picks || !res->new_units) return CC_ERR_NOMEM;
    for (;;) {
        if (target_share > 0 && res->covered_units >= res->target_units) break;
        if ((k && res->n_picks >= k) || cc_ctx_interrupted(ctx)) break;
        ueval best = {0, 0, 0};
        size_t bj = nc;
        for (size_t j = 0; j < nc; j++) {
            if (s->picked[j]) continue;
            ueval e = eval_cand(s, j);
            clear_touched(s);
            if (bj == nc || better(e, best)) best = e, bj = j;
        }
        if (bj == nc || (best.n_new == 0 && !(best.progress > 0))) {
            res->exhausted = 1;
            break;
        }
        cc_siting_unit_pick *p = &res->picks[res->n_picks++];
        p->cand = (uint32_t)bj;
        p->first_new = n_new_units;
        p->progress = best.progress;
        p->gain_pop = best.gain;
        apply_cand(s, bj, res, &n_new_units);
        p->n_new = n_new_units - p->first_new;
        res->covered_units += p->n_new;
        p->cum_units = res->covered_units;
    }
    if (cc_ctx_interrupted(ctx)) return cc_check_interrupt(ctx);
    res->target_reached = target_share > 0 && res->covered_units >= res->target_units;
    return CC_OK;
}

cc_status cc_siting_units_greedy(cc_ctx *ctx, const cc_siting_unit_input *in, size_t k,
                                 double target_share, cc_siting_unit_result **out)
{
    *out = NULL;
    cc_status rc = check_input(ctx, in);
    if (rc) return rc;
    if (!(target_share >= 0 && target_share <= 1) || (target_share == 0 && k == 0))
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting units: give a target share in (0, 1] or a number of sites");
    size_t nu = in->n_units ? in->n_units : 1, np = in->n_pts ? in->n_pts : 1;
    size_t nc = in->cand->n_fac ? in->cand->n_fac : 1;
    ustate s = {in,
                cc_calloc(ctx, np, 1),
                cc_calloc(ctx, nu, sizeof(double)),
                cc_calloc(ctx, nu, 1),
                cc_calloc(ctx, nu, 1),
                cc_calloc(ctx, nu, sizeof(double)),
                cc_calloc(ctx, nu, sizeof(double)),
                cc_calloc(ctx, nu, sizeof(uint32_t)),
                0,
                cc_calloc(ctx, nc, 1)};
    cc_siting_unit_result *res = cc_calloc(ctx, 1, sizeof *res);
    if (!s.cov || !s.got || !s.passed || !s.reachable || !s.need0 || !s.add || !s.touched ||
        !s.picked || !res)
        rc = CC_ERR_NOMEM;
    if (!rc) rc = units_run(ctx, &s, k, target_share, res);
    cc_free(s.cov);
    cc_free(s.got);
    cc_free(s.passed);
    cc_free(s.reachable);
    cc_free(s.need0);
    cc_free(s.add);
    cc_free(s.touched);
    cc_free(s.picked);
    if (rc) {
        cc_siting_unit_result_destroy(res);
        return rc;
    }
    *out = res;
    return CC_OK;
}

cc_status cc_siting_units_best_inside(cc_ctx *ctx, const cc_siting_unit_input *in,
                                      const int32_t *cand_unit, const uint8_t *want, int32_t *best,
                                      double *best_pop)
{
    cc_status rc = check_input(ctx, in);
    if (rc) return rc;
    const cc_incidence *c = in->cand;
    for (size_t d = 0; d < in->n_units; d++) {
        best[d] = -1;
        best_pop[d] = 0;
    }
    for (size_t j = 0; j < c->n_fac; j++) {
        int32_t d = cand_unit[j];
        if (d < 0 || (size_t)d >= in->n_units || !want[d]) continue;
        double gain = 0;
        for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++) {
            uint32_t i = c->pt[q];
            if (c->time_ds[q] <= in->limit_ds && !(in->reached && in->reached[i]) &&
                in->demand_pop[i] > 0)
                gain += in->demand_pop[i];
        }
        if (best[d] < 0 || gain > best_pop[d]) {
            best[d] = (int32_t)j;
            best_pop[d] = gain;
        }
    }
    return CC_OK;
}
