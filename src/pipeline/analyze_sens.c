/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Figures the area writers print, made once here after the areas stage: the walking-speed
 * sensitivity of each type (sensitivity.csv, the report), each facility's capacity per 1000
 * people reached (catchments.geojson) and each district's target verdicts
 * (districts.geojson). Writers format these and total nothing themselves.
 */
#include "carecircle/analysis.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <string.h>

/* The speeds a type is tried at: the usual walking speeds and its own, ascending. */
static size_t sens_speeds(double own_kmh, double speeds[8])
{
    static const double usual[] = {3.0, 3.2, 3.6, 4.0, 4.5};
    size_t ns = 0;
    int have = 0;
    for (size_t i = 0; i < sizeof usual / sizeof usual[0]; i++) {
        speeds[ns++] = usual[i];
        have |= fabs(usual[i] - own_kmh) < 1e-9;
    }
    if (!have) speeds[ns++] = own_kmh;
    for (size_t i = 1; i < ns; i++) /* insertion sort (tiny) */
        for (size_t j = i; j > 0 && speeds[j - 1] > speeds[j]; j--) {
            double x = speeds[j];
            speeds[j] = speeds[j - 1];
            speeds[j - 1] = x;
        }
    return ns;
}

/*
 * Coverage at other walking speeds, from the same searches. On walking profiles every arc time
 * and the off-network legs scale with 1/speed, so a time t at the routed speed v is t * v / v'
 * at speed v': covered at threshold T when t <= T * v' / v. Rows whose scaled limit exceeds the
 * routed limit are left out (they would need longer searches). A planner's matrix has no
 * speed, and driving or a custom profile has speeds by road class: no rows.
 */
static cc_status type_sensitivity(cc_ctx *ctx, const cc_study *st, cc_fac_set *f)
{
    const cc_scenario *sc = st->sc;
    if (!f->net_min || f->matrix_reach) return CC_OK;
    const cc_net_variant *var = &st->vars[f->variant];
    if (strcmp(var->mode, "drive") == 0 || var->custom) return CC_OK;
    double v = cc_profile_speed_kmh(var->prof), tmax = cc__max_threshold(sc), speeds[8];
    size_t ns = sens_speeds(v, speeds);
    size_t cap = f->n_serves * ns * sc->n_thresholds;
    if (!cap) return CC_OK;
    f->sens = cc_calloc(ctx, cap, sizeof *f->sens);
    if (!f->sens) return CC_ERR_NOMEM;
    for (size_t k = 0; k < f->n_serves; k++) {
        size_t g = f->serves[k];
        for (size_t si = 0; si < ns; si++)
            for (size_t ti = 0; ti < sc->n_thresholds; ti++) {
                double th = sc->thresholds_min[ti], lim = th * speeds[si] / v;
                if (lim > tmax + 1e-9) continue;
                cc_sens_row *r = &f->sens[f->n_sens++];
                r->group = g;
                r->speed_kmh = speeds[si];
                r->threshold_min = th;
                r->population = st->dem.total[g];
                r->within_reach =
                    cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->net_min, lim);
                r->share = r->population > 0 ? r->within_reach / r->population : NAN;
            }
    }
    return CC_OK;
}

cc_status cc__study_sensitivity(cc_ctx *ctx, cc_study *st)
{
    cc_status rc = CC_OK;
    for (size_t t = 0; !rc && t < st->n_types; t++)
        rc = type_sensitivity(ctx, st, &st->fac[t]);
    return rc;
}

/* Capacity per 1000 people of the served groups within reach of each facility. */
static cc_status reached_per_1000(cc_ctx *ctx, cc_fac_set *f)
{
    if (!f->reached) return CC_OK;
    f->reached_per_1000 = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *f->reached_per_1000);
    if (!f->reached_per_1000) return CC_ERR_NOMEM;
    for (size_t j = 0; j < f->n; j++) {
        double served = 0;
        for (size_t k = 0; k < f->n_serves; k++)
            served += f->reached[f->serves[k] * f->n + j];
        f->reached_per_1000[j] = served > 0 ? f->capacity[j] * 1000.0 / served : NAN;
    }
    return CC_OK;
}

/* Verdicts on each district over every target set: met, not met, not evaluated and partial
   area (a verdict on the analysed part of a district the study area only clips). */
static cc_status district_verdicts(cc_ctx *ctx, cc_study *st)
{
    size_t nd = st->n_districts;
    if (!st->sc->districts.present) return CC_OK;
    st->district_verdicts = cc_calloc(ctx, (nd ? nd : 1) * 4, sizeof *st->district_verdicts);
    if (!st->district_verdicts) return CC_ERR_NOMEM;
    for (size_t s = 0; s < st->n_target_sets; s++)
        for (size_t i = 0; i < st->n_target_res[s]; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            if (r->unit < 0 || (size_t)r->unit >= nd) continue;
            size_t col = r->status == CC_TARGET_MET           ? 0
                         : r->status == CC_TARGET_NOT_MET       ? 1
                         : r->status == CC_TARGET_NOT_EVALUATED ? 2
                                                                : 3;
            st->district_verdicts[(size_t)r->unit * 4 + col]++;
        }
    return CC_OK;
}

cc_status cc__study_tallies(cc_ctx *ctx, cc_study *st)
{
    cc_status rc = CC_OK;
    for (size_t t = 0; !rc && t < st->n_types; t++)
        rc = reached_per_1000(ctx, &st->fac[t]);
    return rc ? rc : district_verdicts(ctx, st);
}
