/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Coverage curve: the covered share of a group as the time budget grows (0..T_max minutes in
 * 1-minute steps, or a given list), for network minutes or straight-line minutes.
 */
#include "carecircle/analysis.h"

#include <math.h>

cc_status cc_analysis_circle_minutes(cc_ctx *ctx, size_t n, const double *dist_m, double speed_kmh,
                                     double *out_min)
{
    if (!(speed_kmh > 0) || !isfinite(speed_kmh))
        return cc_error(ctx, CC_ERR_INVALID,
                        "circle minutes: speed %g km/h must be a positive number", speed_kmh);
    if (n && (!dist_m || !out_min))
        return cc_error(ctx, CC_ERR_INVALID, "circle minutes: missing array");
    const double m_per_min = speed_kmh * 1000.0 / 60.0;
    for (size_t i = 0; i < n; i++)
        out_min[i] = dist_m[i] / m_per_min;
    return CC_OK;
}

cc_status cc_analysis_curve(cc_ctx *ctx, size_t n, const double *weight, const double *minutes,
                            size_t n_steps, const double *steps_min, double *share, double *covered)
{
    if ((n && (!weight || !minutes)) || (n_steps && !share))
        return cc_error(ctx, CC_ERR_INVALID, "coverage curve: missing array");
    for (size_t s = 1; s < n_steps && steps_min; s++)
        if (!(steps_min[s] > steps_min[s - 1]))
            return cc_error(ctx, CC_ERR_INVALID,
                            "coverage curve: step %zu (%g min) is not above the previous (%g "
                            "min); give the steps in ascending order",
                            s + 1, steps_min[s], steps_min[s - 1]);
    if (n_steps == 0) return CC_OK;
    /* bin[s] = weight of points whose first step reached is s; prefix sums give the curve. */
    double *bin = cc_calloc(ctx, n_steps, sizeof *bin);
    if (!bin) return CC_ERR_NOMEM;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double w = weight[i], t = minutes[i];
        if (!isfinite(w)) continue;
        total += w;
        if (!isfinite(t)) continue;
        /* First step with step >= t (binary search; the default steps are 0, 1, 2 ...). */
        size_t lo = 0, hi = n_steps;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            double sv = steps_min ? steps_min[mid] : (double)mid;
            if (sv >= t)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (lo < n_steps) bin[lo] += w;
    }
    double run = 0;
    for (size_t s = 0; s < n_steps; s++) {
        run += bin[s];
        if (covered) covered[s] = run;
        share[s] = total > 0 ? run / total : NAN;
    }
    cc_free(bin);
    return CC_OK;
}
