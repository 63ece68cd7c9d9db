/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two-step floating catchment area (2SFCA) family over the sparse incidence list.
 *
 * Formulas (written here from the papers, docs/analysis.md has the details):
 *  - 2SFCA: Luo, W. & Wang, F. (2003), "Measures of spatial accessibility to health care in a
 *    GIS environment", Environment and Planning B 30(6):865-884. R_j = S_j / sum_k D_k over
 *    the points k within t0 of facility j; A_i = sum_j R_j over the facilities within t0.
 *  - E2SFCA: Luo, W. & Qi, Y. (2009), "An enhanced two-step floating catchment area (E2SFCA)
 *    method for measuring spatial accessibility to primary care physicians", Health & Place
 *    15(4):1100-1107: the same two steps with a weight W_r per travel-time zone r in both
 *    steps; their weights for three zones are 1.00, 0.68 and 0.22.
 *  - Gaussian 2SFCA: Dai, D. (2010), "Black residential segregation, disparities in spatial
 *    access to health care facilities, and late-stage breast cancer diagnosis in metropolitan
 *    Detroit", Health & Place 16(5):1038-1052: W(t) = (exp(-1/2 (t/t0)^2) - exp(-1/2)) /
 *    (1 - exp(-1/2)) for t <= t0, else 0.
 */
#include "carecircle/analysis.h"
#include "core/internal.h"

#include <math.h>
#include <omp.h>
#include <string.h>

/* Luo & Qi's (2009) weights of their three travel-time zones. */
static const double e2sfca_weight[3] = {1.00, 0.68, 0.22};

cc_status cc_decay_for_threshold(cc_ctx *ctx, const char *name, double threshold_min,
                                 cc_decay_band bands[3], cc_decay *out)
{
    if (!out || !bands) return cc_error(ctx, CC_ERR_INVALID, "decay: missing output");
    if (!(threshold_min > 0) || !isfinite(threshold_min))
        return cc_error(ctx, CC_ERR_INVALID,
                        "decay: the threshold must be a positive number of minutes, not %g",
                        threshold_min);
    *out = (cc_decay){CC_DECAY_NONE, threshold_min, NULL, 0};
    if (!name || strcmp(name, "none") == 0) return CC_OK;
    if (strcmp(name, "gaussian") == 0) {
        out->kind = CC_DECAY_GAUSSIAN;
        return CC_OK;
    }
    if (strcmp(name, "e2sfca") == 0) {
        /* Edges k * T / 3 with k * T exact, so an edge equals a row's time_ds / 600 whenever
           both are the same number of minutes (both correctly rounded), and the last edge is
           the threshold itself: nothing beyond it weighs anything. */
        for (int k = 0; k < 3; k++)
            bands[k] = (cc_decay_band){k == 2 ? threshold_min : (k + 1) * threshold_min / 3.0,
                                       e2sfca_weight[k]};
        out->kind = CC_DECAY_STEP;
        out->bands = bands;
        out->n_bands = 3;
        return CC_OK;
    }
    return cc_error(ctx, CC_ERR_INVALID, "decay: unknown decay '%s'; use none, e2sfca or gaussian",
                    name);
}

double cc_decay_weight(const cc_decay *d, double t_min)
{
    if (!d || !(t_min >= 0)) return 0.0;
    switch (d->kind) {
    case CC_DECAY_NONE:
        return t_min <= d->t0_min ? 1.0 : 0.0;
    case CC_DECAY_GAUSSIAN: {
        if (!(t_min <= d->t0_min)) return 0.0;
        double r = t_min / d->t0_min, e = exp(-0.5);
        return (exp(-0.5 * r * r) - e) / (1.0 - e);
    }
    case CC_DECAY_STEP:
        for (size_t b = 0; b < d->n_bands; b++)
            if (t_min <= d->bands[b].upper_min) return d->bands[b].weight;
        return 0.0;
    }
    return 0.0;
}

cc_status cc_decay_check(cc_ctx *ctx, const cc_decay *d)
{
    if (!d) return cc_error(ctx, CC_ERR_INVALID, "decay: missing decay description");
    switch (d->kind) {
    case CC_DECAY_NONE:
    case CC_DECAY_GAUSSIAN:
        if (!(d->t0_min > 0) || !isfinite(d->t0_min))
            return cc_error(ctx, CC_ERR_INVALID,
                            "decay: catchment t0 must be a positive number of minutes, not %g",
                            d->t0_min);
        return CC_OK;
    case CC_DECAY_STEP:
        if (!d->bands || d->n_bands == 0)
            return cc_error(ctx, CC_ERR_INVALID,
                            "decay: step decay needs at least one (upper_min, weight) band, "
                            "e.g. 0-5:1.0, 5-10:0.68, 10-15:0.22");
        for (size_t b = 0; b < d->n_bands; b++) {
            double up = d->bands[b].upper_min, w = d->bands[b].weight;
            double prev = b ? d->bands[b - 1].upper_min : 0;
            if (!isfinite(up) || !(up > prev))
                return cc_error(ctx, CC_ERR_INVALID,
                                "decay: band %zu upper bound %g min must be finite and above "
                                "the previous bound %g; list bands in ascending order",
                                b + 1, up, prev);
            if (!(w >= 0) || !isfinite(w))
                return cc_error(ctx, CC_ERR_INVALID,
                                "decay: band %zu weight %g must be a finite number >= 0", b + 1, w);
        }
        return CC_OK;
    }
    return cc_error(ctx, CC_ERR_INVALID, "decay: unknown kind %d", (int)d->kind);
}

static cc_status check_inc(cc_ctx *ctx, const cc_incidence *inc, size_t n_pts, const char *fn)
{
    if (!inc || (inc->n_fac && !inc->fac_off) || (inc->n && (!inc->pt || !inc->time_ds)))
        return cc_error(ctx, CC_ERR_INVALID, "%s: missing incidence list", fn);
    if (inc->n_fac && inc->fac_off[inc->n_fac] != inc->n)
        return cc_error(ctx, CC_ERR_INVALID, "%s: incidence offsets do not end at the row count",
                        fn);
    for (size_t k = 0; k < inc->n; k++)
        if (inc->pt[k] >= n_pts)
            return cc_error(ctx, CC_ERR_INVALID,
                            "%s: incidence row %zu names point %u of only %zu points; the "
                            "catchments were computed for other demand points",
                            fn, k, inc->pt[k], n_pts);
    return CC_OK;
}

static double people(const double *demand, uint32_t i)
{
    double v = demand[i];
    return v > 0 && isfinite(v) ? v : 0.0;
}

/* Weight per whole decisecond 0..max_ds, the same values cc_decay_weight gives row by row
 * (a row's time is always whole deciseconds), so lookups change no bit of the sums. NULL when
 * the times run too long for a table; callers then compute each weight. */
static double *weight_table(const cc_decay *decay, const cc_incidence *inc, uint32_t *max_out)
{
    uint32_t mx = 0;
    for (size_t k = 0; k < inc->n; k++)
        if (inc->time_ds[k] > mx) mx = inc->time_ds[k];
    *max_out = mx;
    if (mx > (1u << 20)) return NULL;
    double *w = cc_malloc_array(NULL, (size_t)mx + 1, sizeof *w);
    if (!w) return NULL;
    for (uint32_t t = 0; t <= mx; t++)
        w[t] = cc_decay_weight(decay, t / 600.0);
    return w;
}

static inline double row_weight(const double *table, const cc_decay *decay, uint32_t t)
{
    return table ? table[t] : cc_decay_weight(decay, t / 600.0);
}

cc_status cc_analysis_fca(cc_ctx *ctx, const cc_incidence *inc, const double *capacity,
                          size_t n_pts, const double *demand, const cc_decay *decay,
                          double *ratio_fac, double *access, size_t *n_unknown)
{
    cc_status st;
    if ((st = check_inc(ctx, inc, n_pts, "2SFCA"))) return st;
    if ((n_pts && (!demand || !access)) || (inc->n_fac && (!capacity || !ratio_fac)))
        return cc_error(ctx, CC_ERR_INVALID, "2SFCA: missing input or output array");
    if ((st = cc_decay_check(ctx, decay))) return st;
    uint32_t max_ds;
    /* Without the table (no memory, or hours-long times) every weight is computed: slower,
       same answer. */
    double *table = weight_table(decay, inc, &max_ds);
    int nt = cc_ctx_thread_count(ctx);
    size_t unknown = 0;
    const size_t nf = inc->n_fac;
    /* Step 1: supply-to-demand ratio per facility, weighted demand summed in row order. Each
       facility is one thread's sequential sum, so the result does not depend on threads. */
#pragma omp parallel for num_threads(nt) schedule(dynamic, 64) reduction(+ : unknown)
    for (size_t j = 0; j < nf; j++) {
        if (isnan(capacity[j])) {
            unknown++;
            ratio_fac[j] = NAN;
            continue;
        }
        double wd = 0;
        for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++)
            wd += row_weight(table, decay, inc->time_ds[k]) * people(demand, inc->pt[k]);
        ratio_fac[j] = wd > 0 ? capacity[j] / wd : NAN;
    }
    /* Step 2: each point sums the weighted ratios of the facilities reaching it, in facility
       order (the incidence list is ordered by facility). Threads own disjoint point ranges
       and each reads the rows in the same order, so every point's sum is formed exactly as
       by one thread. */
#pragma omp parallel num_threads(nt)
    {
        size_t T = (size_t)omp_get_num_threads(), me = (size_t)omp_get_thread_num();
        uint32_t lo = (uint32_t)(n_pts * me / T), hi = (uint32_t)(n_pts * (me + 1) / T);
        for (uint32_t i = lo; i < hi; i++)
            access[i] = 0;
        for (size_t j = 0; j < nf; j++) {
            double r = ratio_fac[j];
            /* A facility of unknown capacity makes the sum of every point it reaches unknown
               (NaN), not smaller; one without weighted demand hands out nothing. */
            int unknown_cap = isnan(capacity[j]);
            if (isnan(r) && !unknown_cap) continue;
            for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++) {
                uint32_t p = inc->pt[k];
                if (p < lo || p >= hi) continue;
                double w = row_weight(table, decay, inc->time_ds[k]);
                if (w > 0) access[p] = unknown_cap ? NAN : access[p] + w * r;
            }
        }
    }
    cc_free(table);
    if (n_unknown) *n_unknown = unknown;
    return CC_OK;
}

cc_status cc_analysis_served_demand(cc_ctx *ctx, const cc_incidence *inc, size_t n_pts,
                                    const double *demand, double threshold_min, double *served)
{
    cc_status st;
    if ((st = check_inc(ctx, inc, n_pts, "served demand"))) return st;
    if ((n_pts && !demand) || (inc->n_fac && !served))
        return cc_error(ctx, CC_ERR_INVALID, "served demand: missing input or output array");
    for (size_t j = 0; j < inc->n_fac; j++) {
        double s = 0;
        for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++)
            if (inc->time_ds[k] / 600.0 <= threshold_min) s += people(demand, inc->pt[k]);
        served[j] = s;
    }
    return CC_OK;
}
