/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The analytics stage: a pass over the snapped points and the incidence list (no routing):
 * capacity-aware access (2SFCA family), a reason code and gap minutes for every point,
 * per-district statistics for every demand group, and the policy targets.
 */
#include "carecircle/analysis.h"
#include "core/internal.h"
#include "stages.h"
#include "targets_units.h"

#include <math.h>
#include <string.h>

/* The type's coverage table (cc_cov_row): every served group, circle and network, at every
   scenario threshold and at the type's own; the one place these sums are taken. */
static cc_status coverage_table(cc_ctx *ctx, const cc_study *st, cc_fac_set *f)
{
    const cc_scenario *sc = st->sc;
    size_t nth = sc->n_thresholds, own_extra = 1;
    for (size_t i = 0; i < nth; i++)
        if (sc->thresholds_min[i] == f->spec->threshold_min) own_extra = 0;
    size_t cap = f->n_serves * 2 * (nth + own_extra);
    f->n_cov = 0;
    f->cov = cap ? cc_calloc(ctx, cap, sizeof *f->cov) : NULL;
    if (cap && !f->cov) return CC_ERR_NOMEM;
    for (size_t k = 0; k < f->n_serves; k++) {
        size_t g = f->serves[k], ng = st->dem.n_groups;
        for (int m = 0; m < 2; m++) {
            if (m == 1 && !f->net_min) continue;
            for (size_t i = 0; i < nth + own_extra; i++) {
                double th = i < nth ? sc->thresholds_min[i] : f->spec->threshold_min;
                cc_cov_row *r = &f->cov[f->n_cov++];
                r->group = g;
                r->network = m;
                r->threshold_min = th;
                r->scenario = i < nth;
                r->population = st->dem.total[g];
                r->within_reach =
                    m == 0 ? cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->circle_m,
                                                     f->radius_m * th / f->spec->threshold_min)
                           : cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->net_min, th);
                r->served = NAN;
                if (m == 1 && i < nth && f->served_at)
                    r->served = f->served_at[i * ng + g];
                else if (m == 1 && th == f->spec->threshold_min && f->reason_pop)
                    r->served = f->reason_pop[g * CC_REASON_COUNT + CC_REASON_COVERED];
            }
        }
    }
    return CC_OK;
}

/* The type's minute curves (f->curve, f->curve_pop): for each served group, the share and the
   people within each whole minute of the nearest facility, over the network and by straight
   line at the type's speed; curve.csv prints them and the report draws them. */
static cc_status minute_curve(cc_ctx *ctx, const cc_study *st, cc_fac_set *f)
{
    size_t steps = (size_t)ceil(cc__max_threshold(st->sc)) + 1, n = st->dem.n;
    if (steps < 2) steps = 2;
    f->curve_steps = steps;
    size_t len = (f->n_serves ? f->n_serves : 1) * 2 * steps;
    f->curve = cc_malloc_array(ctx, len, sizeof *f->curve);
    f->curve_pop = cc_malloc_array(ctx, len, sizeof *f->curve_pop);
    double *minutes = cc_malloc_array(ctx, n ? n : 1, sizeof *minutes);
    cc_status rc = f->curve && f->curve_pop && minutes ? CC_OK : CC_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++)
        minutes[i] = f->circle_m[i] * f->spec->threshold_min / f->radius_m;
    for (size_t k = 0; !rc && k < f->n_serves; k++)
        for (int m = 0; !rc && m < 2; m++) {
            double *out = f->curve + (k * 2 + (size_t)m) * steps;
            double *pop = f->curve_pop + (k * 2 + (size_t)m) * steps;
            if (m == 1 && !f->net_min) {
                for (size_t s = 0; s < steps; s++) out[s] = pop[s] = NAN;
                continue;
            }
            rc = cc_analysis_curve(ctx, n, st->dem.count[f->serves[k]], m ? f->net_min : minutes,
                                   steps, NULL, out, pop);
        }
    cc_free(minutes);
    return rc;
}

static cc_status type_points(cc_ctx *ctx, cc_study *st, cc_fac_set *f)
{
    size_t n = st->dem.n ? st->dem.n : 1;
    f->served = cc_calloc(ctx, n, sizeof *f->served);
    f->reason = cc_malloc_array(ctx, n, sizeof *f->reason);
    f->gap_min = cc_malloc_array(ctx, n, sizeof *f->gap_min);
    f->detour = cc_malloc_array(ctx, n, sizeof *f->detour);
    f->binding = cc_malloc_array(ctx, n, sizeof *f->binding);
    if (!f->served || !f->reason || !f->gap_min || !f->detour || !f->binding) return CC_ERR_NOMEM;
    for (size_t k = 0; k < f->n_serves; k++)
        for (size_t i = 0; i < st->dem.n; i++)
            f->served[i] += st->dem.count[f->serves[k]][i];

    /* Capacity-aware access needs capacities and the incidence list. */
    int have_cap = f->spec->capacity_field != NULL;
    if (have_cap && f->inc) {
        f->access = cc_malloc_array(ctx, n, sizeof *f->access);
        f->ratio_fac = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *f->ratio_fac);
        if (!f->access || !f->ratio_fac) return CC_ERR_NOMEM;
        /* The decay follows the type's own threshold (E2SFCA bands are its thirds), never a
           fixed minute scale, so a row beyond the threshold weighs nothing. */
        cc_decay d;
        cc_decay_band bands[3];
        cc_status rc =
            cc_decay_for_threshold(ctx, f->spec->decay, f->spec->threshold_min, bands, &d);
        if (rc) return rc;
        size_t unknown = 0;
        rc = cc_analysis_fca(ctx, f->inc, f->capacity, st->dem.n, f->served, &d, f->ratio_fac,
                             f->access, &unknown);
        if (rc) return rc;
    }

    /* Without a network the circle decides coverage: straight-line minutes stand in. */
    double *circle_min = NULL;
    if (!f->net_min) {
        circle_min = cc_malloc_array(ctx, n, sizeof *circle_min);
        if (!circle_min) return CC_ERR_NOMEM;
        /* minutes at which the scaled circle reaches the point; kept on the right side of
           the threshold exactly when circle_m <= radius_m, so the reasons agree with every
           circle tally (rounding in the scaling must not move a point across) */
        double T = f->spec->threshold_min;
        for (size_t i = 0; i < st->dem.n; i++) {
            double m = f->circle_m[i] * T / f->radius_m;
            circle_min[i] =
                f->circle_m[i] <= f->radius_m ? fmin(m, T) : fmax(m, nextafter(T, INFINITY));
        }
    }
    cc_reason_input in = {0};
    in.n_pts = st->dem.n;
    in.net_min = f->net_min ? f->net_min : circle_min;
    in.net_fac = f->net_min ? f->net_fac : f->circle_fac;
    in.circle_m = f->circle_m;
    in.snap = f->net_min && !f->matrix_reach ? st->vars[f->variant].pts : NULL;
    in.inc = f->inc;
    in.capacity = f->capacity;
    in.demand = f->served;
    in.threshold_min = f->spec->threshold_min;
    in.radius_m = f->radius_m;
    in.speed_kmh = f->speed_kmh;
    in.max_snap_m = st->sc->network.present ? st->sc->network.max_snap_m : 0;
    in.standard_per_person = f->spec->capacity_per_1000 / 1000.0;
    cc_status rc = cc_analysis_reasons(ctx, &in, f->reason, f->gap_min, f->detour, f->binding,
                                       f->reason_count);
    /* Served within capacity at every threshold of coverage.csv (the same rule, the catchments
       cut at that threshold), on the network only. */
    const cc_scenario *sc = st->sc;
    if (!rc && f->net_min && sc->n_thresholds) {
        size_t ng = st->dem.n_groups;
        uint8_t *r_at = cc_malloc_array(ctx, n, sizeof *r_at);
        f->served_at = cc_calloc(ctx, sc->n_thresholds * (ng ? ng : 1), sizeof *f->served_at);
        if (!r_at || !f->served_at) rc = CC_ERR_NOMEM;
        for (size_t k = 0; !rc && k < sc->n_thresholds; k++) {
            in.threshold_min = sc->thresholds_min[k];
            rc = cc_analysis_reasons(ctx, &in, r_at, NULL, NULL, NULL, NULL);
            for (size_t g = 0; !rc && g < ng; g++) {
                double by[CC_REASON_COUNT];
                rc = cc_analysis_reason_people(ctx, st->dem.n, st->dem.count[g], r_at, by);
                f->served_at[k * ng + g] = by[CC_REASON_COVERED];
            }
        }
        cc_free(r_at);
    }
    cc_free(circle_min);
    /* People per reason for every group: the headline figures (within reach, served within
       capacity, unserved by reason) all come from these, so they add up by construction. */
    size_t ng = st->dem.n_groups;
    if (!rc &&
        !(f->reason_pop = cc_calloc(ctx, (ng ? ng : 1) * CC_REASON_COUNT, sizeof *f->reason_pop)))
        rc = CC_ERR_NOMEM;
    for (size_t g = 0; !rc && g < ng; g++)
        rc = cc_analysis_reason_people(ctx, st->dem.n, st->dem.count[g], f->reason,
                                       f->reason_pop + g * CC_REASON_COUNT);
    if (!rc) rc = coverage_table(ctx, st, f);
    if (!rc) rc = minute_curve(ctx, st, f);
    return rc;
}

/*
 * Each district's area and the part of it inside the study area, the convex hull of the
 * demand points (the extent whose demand is analysed; docs/analysis.md). A district the study
 * area only clips is marked partial in every table and map, and no target verdict speaks for
 * the whole of it.
 */
cc_status cc__district_areas(cc_ctx *ctx, cc_study *st)
{
    size_t nd = st->n_districts, nh = 0;
    double *hx = NULL, *hy = NULL;
    st->district_area_m2 = cc_calloc(ctx, nd ? nd : 1, sizeof *st->district_area_m2);
    st->district_in_m2 = cc_calloc(ctx, nd ? nd : 1, sizeof *st->district_in_m2);
    if (!st->district_area_m2 || !st->district_in_m2) return CC_ERR_NOMEM;
    cc_status rc = cc_geom_convex_hull(ctx, st->dem.n, st->dem.x, st->dem.y, &nh, &hx, &hy);
    if (!rc) rc = cc_geom_polyset_area_within(ctx, st->districts, nh, hx, hy, st->district_in_m2);
    double a = 0; /* shoelace: the hull is counter-clockwise */
    for (size_t k = 0; !rc && k < nh; k++) {
        size_t j = k + 1 == nh ? 0 : k + 1;
        a += hx[k] * hy[j] - hx[j] * hy[k];
    }
    st->study_area_m2 = nh >= 3 ? a / 2 : 0;
    cc_free(hx);
    cc_free(hy);
    if (rc) return rc;
    size_t partial = 0, unknown = 0;
    const char *example = NULL;
    double ex_share = 0;
    for (size_t d = 0; d < nd; d++) {
        st->district_area_m2[d] = cc_geom_polyset_area(st->districts, d);
        unknown += isnan(st->district_in_m2[d]);
        if (cc__district_partial(st, d)) {
            if (!partial++) {
                example = st->district_name[d] ? st->district_name[d] : st->district_id[d];
                ex_share = cc__district_share(st, d);
            }
        }
    }
    if (unknown)
        rc = cc__study_warn(ctx, st,
                            "districts: the analysed area of %zu districts could not be computed "
                            "(GEOS could not intersect them with the study area); their "
                            "analysed_share is empty",
                            unknown);
    if (!rc && partial)
        rc = cc__study_warn(ctx, st,
                            "districts: %zu of %zu districts lie only partly in the study area "
                            "(e.g. '%s', %.1f%% of its area); their figures and target verdicts "
                            "cover the analysed part only (partial = yes)",
                            partial, nd, example ? example : "", 100 * ex_share);
    return rc;
}

/* Served within capacity per unit (reason covered), for the units cc_analysis_districts
   filled: each point into its district or "outside", the whole area as their sum. */
void cc__fill_served(const cc_study *st, const cc_fac_set *f, size_t g, size_t nd,
                     const int32_t *pt_district, cc_district_stats *u)
{
    for (size_t d = 0; d < nd + 2; d++)
        u[d].served = 0;
    for (size_t i = 0; f->reason && i < st->dem.n; i++) {
        double p = st->dem.count[g][i];
        if (!(p > 0) || !isfinite(p) || f->reason[i] != CC_REASON_COVERED) continue;
        int32_t d = pt_district[i];
        u[d < 0 || (size_t)d >= nd ? nd : (size_t)d].served += p;
    }
    for (size_t d = 0; d <= nd; d++)
        u[nd + 1].served += u[d].served;
}

static cc_status type_districts(cc_ctx *ctx, cc_study *st, cc_fac_set *f)
{
    size_t nd = st->n_districts, ng = st->dem.n_groups;
    f->dstats = cc_calloc(ctx, ng * (nd + 2), sizeof *f->dstats);
    if (!f->dstats) return CC_ERR_NOMEM;
    /* Every group, not only the served ones: targets may use another denominator
       (slots per 1000 of the total population, say). */
    for (size_t g = 0; g < ng; g++) {
        cc_status rc =
            cc_analysis_districts(ctx, nd, st->dem.n, st->dem.district, st->dem.count[g],
                                  f->net_min, f->circle_m, f->spec->threshold_min, f->radius_m,
                                  f->n, f->fac_district, f->capacity, f->dstats + g * (nd + 2));
        if (rc) return rc;
        cc_district_stats *u = f->dstats + g * (nd + 2);
        for (size_t d = 0; d < nd; d++) {
            u[d].area_m2 = st->district_area_m2[d];
            u[d].analysed_m2 = st->district_in_m2[d];
        }
        u[nd + 1].area_m2 = u[nd + 1].analysed_m2 = st->study_area_m2;
        cc__fill_served(st, f, g, nd, st->dem.district, f->dstats + g * (nd + 2));
    }
    return CC_OK;
}

/*
 * A city-wide target (e.g. 95% coverage) is also the yardstick each district is measured
 * against: evaluate city records once more on every district, as records of the districts'
 * level, and append those rows (marked in the note) after the set's own rows.
 */
static cc_status city_per_district(cc_ctx *ctx, cc_study *st, size_t set, size_t n_tables,
                                   const cc_stats_table *tables, size_t nd, int level,
                                   const cc_target_opts *o)
{
    const cc_target_set *ts = st->targets[set];
    size_t nc = 0;
    /* Ratios and shares carry over to a district; a city-wide count (170 institutions) does
       not, so count records stay city-wide only. */
#define CC__PER_DISTRICT(t)                                                                        \
    ((t)->level == CC_LEVEL_CITY &&                                                                \
     ((t)->metric == CC_METRIC_COVERAGE_SHARE || (t)->metric == CC_METRIC_CAPACITY_PER_1000 ||   \
      (t)->metric == CC_METRIC_CAPACITY_SHARE || (t)->metric == CC_METRIC_UNIT_SHARE ||    \
      (t)->metric == CC_METRIC_FLAG_SHARE))
    for (size_t k = 0; k < ts->n; k++)
        nc += CC__PER_DISTRICT(&ts->items[k]);
    if (!nc) return CC_OK;
    cc_target *items = cc_malloc_array(ctx, nc, sizeof *items);
    size_t *orig = cc_malloc_array(ctx, nc, sizeof *orig);
    cc_target_result *res = NULL;
    size_t nres = 0;
    cc_status rc = items && orig ? CC_OK : CC_ERR_NOMEM;
    size_t m = 0;
    for (size_t k = 0; !rc && k < ts->n; k++)
        if (CC__PER_DISTRICT(&ts->items[k])) {
            items[m] = ts->items[k]; /* shallow: the strings stay owned by the set */
            items[m].level = (cc_unit_level)level;
            orig[m++] = k;
        }
    cc_target_set copy = {ts->path, items, nc};
    if (!rc)
        rc = cc_analysis_targets_evaluate_opts(ctx, &copy, n_tables, tables, nd, level, o, &res,
                                               &nres);
    if (!rc && nres) {
        size_t old = st->n_target_res[set];
        cc_target_result *all = cc_realloc_array(ctx, st->target_res[set], old + nres, sizeof *all);
        if (!all)
            rc = CC_ERR_NOMEM;
        else {
            st->target_res[set] = all;
            for (size_t j = 0; j < nres; j++) {
                cc_target_result *r = &all[old + j];
                *r = res[j];
                r->target = orig[res[j].target];
                char note[sizeof r->note];
                cc_snprintf(note, sizeof note, "city-wide target applied to the district: %s",
                            res[j].note);
                memcpy(r->note, note, sizeof note);
            }
            st->n_target_res[set] = old + nres;
        }
    }
    cc_free(res);
    cc_free(items);
    cc_free(orig);
    return rc;
}

static cc_status evaluate_targets(cc_ctx *ctx, cc_study *st)
{
    const cc_scenario *sc = st->sc;
    if (!sc->n_targets) return CC_OK;
    size_t nt = sc->n_targets, ng = st->dem.n_groups, nd = st->n_districts;
    st->targets = cc_calloc(ctx, nt, sizeof *st->targets);
    st->target_res = cc_calloc(ctx, nt, sizeof *st->target_res);
    st->n_target_res = cc_calloc(ctx, nt, sizeof *st->n_target_res);
    cc_stats_table *tables = cc_calloc(ctx, st->n_types * ng + 1, sizeof *tables);
    cc_district_stats *whole = NULL;
    int32_t *none = NULL; /* "outside every district" for every point and facility */
    if (!st->targets || !st->target_res || !st->n_target_res || !tables) {
        cc_free(tables);
        return CC_ERR_NOMEM;
    }
    st->n_target_sets = nt;
    /* Without districts the whole study area is the only unit. */
    if (!sc->districts.present) {
        size_t m = st->dem.n;
        for (size_t t = 0; t < st->n_types; t++)
            m = st->fac[t].n > m ? st->fac[t].n : m;
        whole = cc_calloc(ctx, st->n_types * ng * 2, sizeof *whole);
        none = cc_malloc_array(ctx, m ? m : 1, sizeof *none);
        if (!whole || !none) {
            cc_free(tables);
            cc_free(whole);
            cc_free(none);
            return CC_ERR_NOMEM;
        }
        for (size_t i = 0; i < m; i++)
            none[i] = -1;
    }
    size_t k = 0;
    cc_status rc = CC_OK;
    cc_cap_units **caps = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *caps);
    if (!caps) rc = CC_ERR_NOMEM;
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        rc = cc__cap_units(ctx, f, sc->districts.present ? nd : 0,
                           sc->districts.present ? f->fac_district : NULL, &caps[t]);
        for (size_t g = 0; !rc && g < ng; g++) {
            const cc_district_stats *units;
            if (sc->districts.present)
                units = f->dstats + g * (nd + 2);
            else {
                cc_district_stats *w = whole + (t * ng + g) * 2;
                rc = cc_analysis_districts(ctx, 0, st->dem.n, none, st->dem.count[g], f->net_min,
                                           f->circle_m, f->spec->threshold_min, f->radius_m, f->n,
                                           none, f->capacity, w);
                if (!rc) cc__fill_served(st, f, g, 0, none, w);
                units = w;
            }
            tables[k++] = (cc_stats_table){f->spec->name, sc->demand[g].name, units, caps[t],
                                           f->spec->n_capacities + f->spec->n_flags};
        }
    }
    int level = sc->districts.present ? cc_unit_level_of(sc->districts.level) : -1;
    cc__tu tu = {0}; /* unit_share inputs, records left to the `units:` levels */
    if (!rc) rc = cc__tu_prepare(ctx, st, level, &tu);
    for (size_t i = 0; !rc && i < nt; i++) {
        rc = cc_targets_load(ctx, sc->targets[i], &st->targets[i]);
        if (!rc) rc = cc__tu_resolve_basis(ctx, sc, st->targets[i]);
        if (!rc)
            rc = cc_analysis_targets_evaluate_opts(ctx, st->targets[i], k, tables,
                                                   sc->districts.present ? nd : 0, level,
                                                   &tu.opts, &st->target_res[i],
                                                   &st->n_target_res[i]);
        if (!rc && sc->districts.present && level > 0)
            rc = city_per_district(ctx, st, i, k, tables, nd, level, &tu.opts);
        if (!rc) rc = cc__tu_eval_units(ctx, st, i, level);
    }
    cc__tu_free(&tu);
    for (size_t t = 0; caps && t < st->n_types; t++)
        cc_free(caps[t]);
    cc_free(caps);
    cc_free(tables);
    cc_free(whole);
    cc_free(none);
    return rc;
}

cc_status cc__study_analyze(cc_ctx *ctx, cc_study *st)
{
    double t0 = cc_now();
    cc_status rc = CC_OK;
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        rc = type_points(ctx, st, &st->fac[t]);
        if (!rc && st->sc->districts.present) rc = type_districts(ctx, st, &st->fac[t]);
        cc_progress(ctx, "analysis", (double)(t + 1) / (double)(st->n_types + 1));
    }
    if (!rc) rc = cc__study_units(ctx, st);
    if (!rc) rc = evaluate_targets(ctx, st);
    cc_progress(ctx, "analysis", 1);
    st->t_analysis = cc_now() - t0;
    if (!rc) rc = cc_check_interrupt(ctx);
    return rc;
}
