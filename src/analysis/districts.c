/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-district indicators for one facility type and one demand group: population, covered
 * population (network and circle), facilities located in the district and their capacity,
 * capacity per 1000 people (unknown, NaN, when a facility's capacity is unknown). Slot n_districts
 * is "outside" (points or facilities with district -1), slot n_districts + 1 the whole area.
 */
#include "carecircle/analysis.h"

#include <math.h>
#include <string.h>

cc_status cc_analysis_districts(cc_ctx *ctx, size_t n_districts, size_t n_pts,
                                const int32_t *pt_district, const double *pop,
                                const double *net_min, const double *circle_m, double threshold_min,
                                double radius_m, size_t n_fac, const int32_t *fac_district,
                                const double *capacity, cc_district_stats *out)
{
    if (!out || (n_pts && (!pt_district || !pop)) || (n_fac && !fac_district))
        return cc_error(ctx, CC_ERR_INVALID, "districts: missing array");
    if (n_districts > (size_t)INT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "districts: too many districts");
    const size_t outside = n_districts, all = n_districts + 1;
    memset(out, 0, (n_districts + 2) * sizeof *out);
    for (size_t d = 0; d < n_districts + 2; d++)
        out[d].served = NAN; /* not known here: the caller fills it from the reason codes */
    for (size_t i = 0; i < n_pts; i++) {
        int32_t d = pt_district[i];
        if (d < -1 || (d >= 0 && (size_t)d >= n_districts))
            return cc_error(ctx, CC_ERR_INVALID,
                            "districts: demand point %zu has district %d of %zu", i, (int)d,
                            n_districts);
        double p = pop[i];
        if (!(p > 0) || !isfinite(p)) continue;
        cc_district_stats *s = &out[d < 0 ? outside : (size_t)d];
        s->population += p;
        if (net_min && net_min[i] <= threshold_min) s->covered_net += p;
        if (circle_m && circle_m[i] <= radius_m) s->covered_circle += p;
    }
    for (size_t j = 0; j < n_fac; j++) {
        int32_t d = fac_district[j];
        if (d < -1 || (d >= 0 && (size_t)d >= n_districts))
            return cc_error(ctx, CC_ERR_INVALID, "districts: facility %zu has district %d of %zu",
                            j, (int)d, n_districts);
        cc_district_stats *s = &out[d < 0 ? outside : (size_t)d];
        s->n_fac++;
        if (!capacity || isnan(capacity[j]))
            s->n_fac_unknown++;
        else
            s->capacity += capacity[j];
    }
    /* The whole area sums the units (districts then outside), so it equals their total. */
    for (size_t d = 0; d <= outside; d++) {
        out[all].population += out[d].population;
        out[all].covered_net += out[d].covered_net;
        out[all].covered_circle += out[d].covered_circle;
        out[all].n_fac += out[d].n_fac;
        out[all].n_fac_unknown += out[d].n_fac_unknown;
        out[all].capacity += out[d].capacity;
    }
    /* Unknown is not zero: without one known capacity among the unit's facilities the
       capacity is unknown, and with any unknown one the per-1000 figure would be too low. */
    for (size_t d = 0; d <= all; d++) {
        cc_district_stats *s = &out[d];
        s->capacity_known = s->capacity;
        if (s->n_fac > 0 && s->n_fac_unknown == s->n_fac) s->capacity = NAN;
        s->per_1000 =
            s->population > 0 && s->n_fac_unknown == 0 ? s->capacity * 1000.0 / s->population : NAN;
    }
    return CC_OK;
}

int cc_district_partial(const cc_district_stats *s)
{
    return s && s->area_m2 > 0 && s->analysed_m2 < CC_DISTRICT_PARTIAL_SHARE * s->area_m2;
}
