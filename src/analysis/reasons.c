/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reason codes: for every demand point and one facility type, why it is or is not served
 * within the threshold, how many minutes it is short, how much the network lengthens the
 * straight line, and which facility binds. Precedence and definitions: docs/analysis.md.
 */
#include "carecircle/analysis.h"

#include <math.h>

static const char *const reason_names[CC_REASON_COUNT] = {
    "covered", "over_capacity", "no_facility_in_reach", "network_detour", "off_network", "island"};

const char *cc_reason_name(cc_reason r)
{
    return (unsigned)r < CC_REASON_COUNT ? reason_names[r] : "unknown";
}

cc_status cc_analysis_reasons(cc_ctx *ctx, const cc_reason_input *in, uint8_t *reason,
                              double *gap_min, double *detour, int32_t *binding_fac, size_t *counts)
{
    if (!in || (in->n_pts && !in->net_min))
        return cc_error(ctx, CC_ERR_INVALID, "reasons: missing network minutes");
    if (!(in->threshold_min >= 0) || !isfinite(in->threshold_min))
        return cc_error(ctx, CC_ERR_INVALID,
                        "reasons: threshold %g min must be a finite number >= 0",
                        in->threshold_min);
    const cc_incidence *inc = in->inc;
    const size_t n = in->n_pts;
    if (inc) {
        if ((inc->n_fac && (!inc->fac_off || !in->capacity)) ||
            (inc->n && (!inc->pt || !inc->time_ds)))
            return cc_error(ctx, CC_ERR_INVALID, "reasons: incidence list without capacities");
        for (size_t k = 0; k < inc->n; k++)
            if (inc->pt[k] >= n)
                return cc_error(ctx, CC_ERR_INVALID,
                                "reasons: incidence row %zu names point %u of only %zu points", k,
                                inc->pt[k], n);
    }
    const double T = in->threshold_min;
    const int capacity_test =
        inc && in->demand && in->standard_per_person > 0 && isfinite(in->standard_per_person);
    uint8_t *has_room = NULL; /* 1 = a facility within T is not oversubscribed */
    int32_t *fastest = NULL;  /* nearest facility from the incidence list when net_fac is NULL */
    uint32_t *fastest_ds = NULL;
    cc_status st = CC_OK;
    if (capacity_test) {
        if (!(has_room = cc_calloc(ctx, n ? n : 1, 1))) goto nomem;
        for (size_t j = 0; j < inc->n_fac; j++) {
            double served = 0;
            for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++) {
                double d = in->demand[inc->pt[k]];
                if (inc->time_ds[k] / 600.0 <= T && d > 0 && isfinite(d)) served += d;
            }
            /* Unknown capacity: we cannot say it is full, so it counts as having room. */
            int over =
                !isnan(in->capacity[j]) && served * in->standard_per_person > in->capacity[j];
            if (over) continue;
            for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++)
                if (inc->time_ds[k] / 600.0 <= T) has_room[inc->pt[k]] = 1;
        }
    }
    if (!in->net_fac && inc && binding_fac) {
        if (!(fastest = cc_malloc_array(ctx, n ? n : 1, sizeof *fastest)) ||
            !(fastest_ds = cc_malloc_array(ctx, n ? n : 1, sizeof *fastest_ds)))
            goto nomem;
        for (size_t i = 0; i < n; i++) {
            fastest[i] = -1;
            fastest_ds[i] = UINT32_MAX;
        }
        /* Facilities in ascending order, strict '<': ties keep the lowest index. */
        for (size_t j = 0; j < inc->n_fac; j++)
            for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++)
                if (inc->time_ds[k] < fastest_ds[inc->pt[k]]) {
                    fastest_ds[inc->pt[k]] = inc->time_ds[k];
                    fastest[inc->pt[k]] = (int32_t)j;
                }
    }
    if (counts)
        for (int r = 0; r < CC_REASON_COUNT; r++)
            counts[r] = 0;
    const double m_per_min = in->speed_kmh * 1000.0 / 60.0;
    for (size_t i = 0; i < n; i++) {
        double t = in->net_min[i];
        double c = in->circle_m ? in->circle_m[i] : INFINITY;
        cc_reason r;
        if (t <= T) {
            r = capacity_test && !has_room[i] ? CC_REASON_OVER_CAPACITY : CC_REASON_COVERED;
        } else if (in->snap && (in->snap[i].edge == CC_NONE ||
                                (in->max_snap_m > 0 && in->snap[i].dist_m > in->max_snap_m))) {
            r = CC_REASON_OFF_NETWORK;
        } else if (in->snap && in->snap[i].component != 0) {
            r = CC_REASON_ISLAND;
        } else if (c <= in->radius_m) {
            r = CC_REASON_NETWORK_DETOUR;
        } else {
            r = CC_REASON_NO_FACILITY_IN_REACH;
        }
        if (reason) reason[i] = (uint8_t)r;
        if (counts) counts[r]++;
        if (gap_min) gap_min[i] = isfinite(t) ? fmax(0.0, t - T) : NAN;
        if (detour)
            detour[i] =
                isfinite(t) && isfinite(c) && c > 0 && m_per_min > 0 ? t / (c / m_per_min) : NAN;
        if (binding_fac) binding_fac[i] = in->net_fac ? in->net_fac[i] : fastest ? fastest[i] : -1;
    }
    goto done;
nomem:
    st = CC_ERR_NOMEM;
done:
    cc_free(has_room);
    cc_free(fastest);
    cc_free(fastest_ds);
    return st;
}

cc_status cc_analysis_reason_people(cc_ctx *ctx, size_t n, const double *weight,
                                    const uint8_t *reason, double *pop_out)
{
    for (int r = 0; r < CC_REASON_COUNT; r++)
        pop_out[r] = 0;
    if (n && (!weight || !reason))
        return cc_error(ctx, CC_ERR_INVALID, "reason people: missing weights or reasons");
    for (size_t i = 0; i < n; i++) {
        if (reason[i] >= CC_REASON_COUNT)
            return cc_error(ctx, CC_ERR_INVALID, "reason people: point %zu has reason code %u", i,
                            (unsigned)reason[i]);
        if (weight[i] > 0 && isfinite(weight[i])) pop_out[reason[i]] += weight[i];
    }
    return CC_OK;
}
