/* SPDX-License-Identifier: Apache-2.0 */
/*
 * siting: input checks, the demand left after existing facilities (nearest-first capacity
 * assignment) and result lifetime. docs/siting.md states the rules.
 */
#include "siting/siting_internal.h"

#include <math.h>
#include <stdlib.h>

void cc_siting_result_destroy(cc_siting_result *res)
{
    if (!res) return;
    cc_free(res->picks);
    cc_free(res);
}

double cc_siting_people_capacity(double capacity_units, double per_1000)
{
    if (!(per_1000 > 0)) return INFINITY;
    return capacity_units * 1000.0 / per_1000;
}

double cc__siting_cand_cap(const cc_siting_input *in, size_t j)
{
    return in->cand_cap_pop ? in->cand_cap_pop[j] : INFINITY;
}

static cc_status check_inc(cc_ctx *ctx, const cc_incidence *inc, size_t n_pts, const char *what)
{
    if (inc->n_fac && !inc->fac_off)
        return cc_error(ctx, CC_ERR_INVALID, "siting: %s incidence has no offsets", what);
    if (inc->n_fac && (inc->fac_off[0] != 0 || inc->fac_off[inc->n_fac] != inc->n))
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: %s incidence offsets do not span its %zu rows", what, inc->n);
    for (size_t f = 0; f < inc->n_fac; f++) {
        if (inc->fac_off[f + 1] < inc->fac_off[f])
            return cc_error(ctx, CC_ERR_INVALID, "siting: %s incidence offsets decrease at %zu",
                            what, f);
        for (size_t r = inc->fac_off[f]; r < inc->fac_off[f + 1]; r++) {
            if (inc->pt[r] >= n_pts)
                return cc_error(ctx, CC_ERR_INVALID,
                                "siting: %s %zu reaches point %u but there are %zu points", what, f,
                                inc->pt[r], n_pts);
            if (r > inc->fac_off[f] && inc->pt[r] <= inc->pt[r - 1])
                return cc_error(ctx, CC_ERR_INVALID,
                                "siting: %s %zu lists point %u twice or out of order; points "
                                "must ascend within a facility",
                                what, f, inc->pt[r]);
        }
    }
    return CC_OK;
}

cc_status cc__siting_check(cc_ctx *ctx, const cc_siting_input *in)
{
    cc_status st;
    if (!in || !in->cand || (in->n_pts && !in->demand_pop))
        return cc_error(ctx, CC_ERR_INVALID, "siting: missing demand or candidate arrays");
    if (in->pt_district == NULL && in->district >= 0)
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: district %d asked for but no point-to-district array given",
                        (int)in->district);
    for (size_t i = 0; i < in->n_pts; i++)
        if (!(in->demand_pop[i] >= 0) || isinf(in->demand_pop[i]))
            return cc_error(ctx, CC_ERR_INVALID,
                            "siting: demand of point %zu is %g; it must be a finite number >= 0", i,
                            in->demand_pop[i]);
    if ((st = check_inc(ctx, in->cand, in->n_pts, "candidate"))) return st;
    if (in->existing && (st = check_inc(ctx, in->existing, in->n_pts, "existing facility")))
        return st;
    if (in->cand_cap_pop)
        for (size_t j = 0; j < in->cand->n_fac; j++)
            if (!(in->cand_cap_pop[j] >= 0))
                return cc_error(ctx, CC_ERR_INVALID,
                                "siting: capacity of candidate %zu is %g; it must be >= 0", j,
                                in->cand_cap_pop[j]);
    if (in->exist_cap_pop && in->existing)
        for (size_t f = 0; f < in->existing->n_fac; f++)
            if (!(in->exist_cap_pop[f] >= 0))
                return cc_error(ctx, CC_ERR_INVALID,
                                "siting: capacity of existing facility %zu is %g; it must be >= 0",
                                f, in->exist_cap_pop[f]);
    return CC_OK;
}

typedef struct erow {
    uint32_t time_ds, fac, pt;
} erow;

static int cmp_erow(const void *a, const void *b)
{
    const erow *x = a, *y = b;
    if (x->time_ds != y->time_ds) return x->time_ds < y->time_ds ? -1 : 1;
    if (x->fac != y->fac) return x->fac < y->fac ? -1 : 1;
    return (x->pt > y->pt) - (x->pt < y->pt);
}

cc_status cc__siting_residual(cc_ctx *ctx, const cc_siting_input *in, double **resid_out,
                              double *total_pop, double *base_pop)
{
    cc_status st = CC_OK;
    erow *rows = NULL;
    double *r = cc_malloc_array(ctx, in->n_pts ? in->n_pts : 1, sizeof *r);
    if (!r) return CC_ERR_NOMEM;
    for (size_t i = 0; i < in->n_pts; i++)
        r[i] = in->demand_pop[i];

    const cc_incidence *ex = in->existing;
    if (ex && !in->exist_cap_pop) {
        /* Unlimited existing facilities: a point within reach of any is fully covered. */
        for (size_t k = 0; k < ex->n; k++)
            if (ex->time_ds[k] <= in->limit_ds) r[ex->pt[k]] = 0;
    } else if (ex) {
        /* Capacitated: every (facility, point) pair within the limit, nearest first (ties:
         * lower facility, then lower point); each pair moves as many people as the point
         * still has and the facility can still take. */
        size_t nr = 0;
        for (size_t k = 0; k < ex->n; k++)
            nr += ex->time_ds[k] <= in->limit_ds;
        rows = cc_malloc_array(ctx, nr ? nr : 1, sizeof *rows);
        double *spare = cc_malloc_array(ctx, ex->n_fac ? ex->n_fac : 1, sizeof *spare);
        if (!rows || !spare) {
            cc_free(spare);
            st = CC_ERR_NOMEM;
            goto fail;
        }
        nr = 0;
        for (size_t f = 0; f < ex->n_fac; f++) {
            spare[f] = in->exist_cap_pop[f];
            for (size_t k = ex->fac_off[f]; k < ex->fac_off[f + 1]; k++)
                if (ex->time_ds[k] <= in->limit_ds)
                    rows[nr++] = (erow){ex->time_ds[k], (uint32_t)f, ex->pt[k]};
        }
        qsort(rows, nr, sizeof *rows, cmp_erow);
        for (size_t k = 0; k < nr; k++) {
            double take = fmin(r[rows[k].pt], spare[rows[k].fac]);
            if (take > 0) {
                r[rows[k].pt] -= take;
                spare[rows[k].fac] -= take;
            }
        }
        cc_free(spare);
    }

    double tot = 0, left = 0;
    for (size_t i = 0; i < in->n_pts; i++) {
        int in_area = in->district < 0 || in->pt_district[i] == in->district;
        if (!in_area) {
            r[i] = 0;
            continue;
        }
        tot += in->demand_pop[i];
        left += r[i];
    }
    *total_pop = tot;
    *base_pop = tot - left;
    *resid_out = r;
    r = NULL;
fail:
    cc_free(rows);
    cc_free(r);
    return st;
}
