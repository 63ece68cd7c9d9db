/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Nearest facility per point from the incidence list (the catchment rows already hold every
 * facility within the limit with its exact time, so the minimum over a point's rows is its
 * nearest facility; no second search).
 */
#include "carecircle/analysis.h"
#include "core/internal.h"

#include <omp.h>

cc_status cc_analysis_nearest(cc_ctx *ctx, const cc_incidence *inc, size_t n_pts,
                              uint32_t *time_ds, int32_t *fac_out)
{
    if (!inc || (inc->n_fac && !inc->fac_off) || (inc->n && (!inc->pt || !inc->time_ds)) ||
        (n_pts && (!time_ds || !fac_out)))
        return cc_error(ctx, CC_ERR_INVALID, "nearest: missing incidence list or output array");
    if (n_pts > (size_t)INT32_MAX || inc->n_fac > (size_t)INT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "nearest: too many points or facilities");
    if (inc->n_fac && inc->fac_off[inc->n_fac] != inc->n)
        return cc_error(ctx, CC_ERR_INVALID, "nearest: incidence offsets do not end at the row count");
    int nt = cc_ctx_thread_count(ctx);
    const size_t nf = inc->n_fac;
    int bad = 0;
    /* Each thread owns a range of points and reads every row in facility order; strict '<'
       keeps the lowest facility index on ties. */
#pragma omp parallel num_threads(nt) reduction(| : bad)
    {
        size_t T = (size_t)omp_get_num_threads(), me = (size_t)omp_get_thread_num();
        uint32_t lo = (uint32_t)(n_pts * me / T), hi = (uint32_t)(n_pts * (me + 1) / T);
        for (uint32_t i = lo; i < hi; i++) {
            time_ds[i] = UINT32_MAX;
            fac_out[i] = -1;
        }
        for (size_t j = 0; j < nf; j++)
            for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++) {
                uint32_t p = inc->pt[k];
                if (p < lo || p >= hi) {
                    bad |= p >= n_pts;
                    continue;
                }
                if (inc->time_ds[k] < time_ds[p]) {
                    time_ds[p] = inc->time_ds[k];
                    fac_out[p] = (int32_t)j;
                }
            }
    }
    if (bad)
        return cc_error(ctx, CC_ERR_INVALID,
                        "nearest: the incidence list names points beyond the %zu given; the "
                        "catchments were computed for other demand points",
                        n_pts);
    return CC_OK;
}
