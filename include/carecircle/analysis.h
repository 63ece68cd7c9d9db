/*
 * Analysis over plain arrays: straight-line (circle) nearest facility, coverage tallies.
 * No GIS library is used here; coordinates are metres in the working CRS.
 */
#ifndef CARECIRCLE_ANALYSIS_H
#define CARECIRCLE_ANALYSIS_H

#include "carecircle/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Straight-line nearest facility for every point, up to max_dist_m, using a uniform grid
 * hash (cell = max_dist_m) and squared distances. dist_m[i] = INFINITY and fac[i] = -1 when
 * no facility lies within max_dist_m (inclusive). Ties go to the lowest facility index, so
 * the result does not depend on the thread count. Runs in parallel over points with
 * cc_ctx_threads(ctx) threads. Facilities with non-finite coordinates are ignored.
 */
cc_status cc_analysis_circle_nearest(cc_ctx *ctx, size_t n_fac, const double *fx, const double *fy,
                                     size_t n_pts, const double *px, const double *py,
                                     double max_dist_m, double *dist_m, int32_t *fac);

/**
 * Population covered: the sum of weight[i] over points with value[i] <= limit (values that
 * are NaN or infinite never count). Summed in index order (deterministic).
 */
double cc_analysis_covered_sum(size_t n, const double *weight, const double *value, double limit);

#ifdef __cplusplus
}
#endif
#endif
