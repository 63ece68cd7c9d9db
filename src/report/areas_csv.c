/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The area tables: districts.csv, targets.csv, curve.csv and sensitivity.csv. Each formats
 * stage results (the district statistics, the target verdicts, the minute curves, the
 * walking-speed rows) and totals nothing itself. A number that is unknown (NaN) is an empty
 * cell.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

const char *cc__district_label(const cc_study *st, size_t d)
{
    if (d == st->n_districts) return "(outside every district)";
    if (d == st->n_districts + 1) return "(whole study area)";
    /* A district without a name (null or empty in the input) shows its id. */
    const char *nm = st->district_name[d];
    return nm && *nm ? nm : st->district_id[d] ? st->district_id[d] : "";
}

/* district_area_km2, analysed_area_km2, analysed_share, partial (empty for "outside"). */
static void area_cols(cc_tw *w, const cc_district_stats *s, int outside)
{
    int known = !outside && s->area_m2 > 0;
    cc_tw_csv_num(w, known ? s->area_m2 / 1e6 : NAN, 3);
    cc_tw_csv_num(w, known ? s->analysed_m2 / 1e6 : NAN, 3);
    cc_tw_csv_num(w, known ? s->analysed_m2 / s->area_m2 : NAN, 4);
    if (known)
        cc_tw_csv_raw(w, cc_district_partial(s) ? "yes" : "no");
    else
        cc_tw_csv_empty(w);
}

/* One districts.csv row: district d, type f, group g. */
static void district_row(cc_tw *w, const cc_study *st, const cc_fac_set *f, size_t g, size_t d)
{
    const cc_scenario *sc = st->sc;
    size_t nd = st->n_districts;
    const cc_district_stats *s = &f->dstats[g * (nd + 2) + d];
    /* A share of nobody is unknown (empty), not 0. */
    double pop = s->population;
    cc_tw_csv_field(w, sc->name);
    cc_tw_csv_field(w, d < nd ? st->district_id[d] : "");
    cc_tw_csv_field(w, cc__district_label(st, d));
    cc_tw_csv_raw(w, f->spec->name);
    cc_tw_csv_raw(w, sc->demand[g].name);
    cc_tw_csv_num(w, pop, 2);
    cc_tw_csv_num(w, f->net_min ? s->covered_net : NAN, 2);
    cc_tw_csv_num(w, f->net_min && pop > 0 ? s->covered_net / pop : NAN, 6);
    /* Served within capacity (reason covered) and the people within reach whose facilities
       are full: within reach - served = over_capacity. Without a network the circle decides
       reach and nothing is over capacity. */
    double within = f->net_min ? s->covered_net : s->covered_circle;
    cc_tw_csv_num(w, s->served, 2);
    cc_tw_csv_num(w, isfinite(s->served) && pop > 0 ? s->served / pop : NAN, 6);
    cc_tw_csv_num(w, within - s->served, 2);
    cc_tw_csv_num(w, s->covered_circle, 2);
    cc_tw_csv_num(w, pop > 0 ? s->covered_circle / pop : NAN, 6);
    cc_tw_csv_int(w, (long long)s->n_fac);
    cc_tw_csv_int(w, (long long)s->n_fac_unknown);
    cc_tw_csv_num(w, s->capacity, 2);
    cc_tw_csv_num(w, s->per_1000, 3);
    area_cols(w, s, d == nd);
    cc_tw_csv_row_end(w);
}

/* districts.csv: one row per district (plus outside and whole area) x type x served group. */
cc_status cc__districts_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,district_id,district,facility_type,group,"
                  "population,within_reach_network,within_reach_network_share,"
                  "served_within_capacity,served_within_capacity_share,"
                  "over_capacity,within_reach_circle,within_reach_circle_share,"
                  "facilities,"
                  "facilities_without_capacity,capacity,capacity_per_1000,"
                  "district_area_km2,analysed_area_km2,analysed_share,partial\n");
    for (size_t d = 0; d < st->n_districts + 2 && !w.rc; d++)
        for (size_t t = 0; t < st->n_types; t++) {
            const cc_fac_set *f = &st->fac[t];
            for (size_t k = 0; k < f->n_serves; k++)
                district_row(&w, st, f, f->serves[k], d);
        }
    return cc_tw_end(&w);
}

/* Which coverage figure a coverage_share record reads (docs/targets.md); NULL otherwise. */
static const char *coverage_figure(const cc_target *t)
{
    if (t->metric != CC_METRIC_COVERAGE_SHARE) return NULL;
    return t->method_circle     ? "within_reach_circle"
           : t->served_capacity ? "served_within_capacity"
                                : "within_reach";
}

/* A text cell, empty for NULL. */
static void text(cc_tw *w, const char *s)
{
    cc_tw_csv_field(w, s ? s : "");
}

int cc__registered_caveat(const cc_study *st, const cc_target *t)
{
    if (!t->denom_basis || strcmp(t->denom_basis, "户籍") != 0) return 0;
    const cc_demand_spec *g = t->denom_group ? cc_scenario_demand(st->sc, t->denom_group) : NULL;
    return !(g && g->basis && strcmp(g->basis, "registered") == 0);
}

/* The note of a verdict: a target on registered (户籍) people computed on a group that does
   not say it counts registered people (demand `basis: registered`) is flagged. */
static void target_note(cc_tw *w, const cc_study *st, const cc_target *t, const cc_target_result *r)
{
    if (!cc__registered_caveat(st, t) || r->status == CC_TARGET_NOT_EVALUATED) {
        cc_tw_csv_field(w, r->note);
        return;
    }
    char note[600];
    cc_snprintf(note, sizeof note,
                "%s; the target counts registered (户籍) people, computed here on "
                "group '%s': give that group registered counts to match",
                r->note, t->denom_group ? t->denom_group : "");
    cc_tw_csv_field(w, note);
}

/* One targets.csv row: verdict r of record t from file `file`. */
static void target_row(cc_tw *w, const cc_study *st, const char *file, const cc_target *t,
                       const cc_target_result *r)
{
    text(w, st->sc->name);
    text(w, file);
    text(w, t->id);
    text(w, t->document);
    text(w, t->clause);
    text(w, t->attribute);
    text(w, t->jurisdiction);
    text(w, t->indicator);
    text(w, t->name_zh);
    cc_tw_csv_int(w, t->year);
    cc_tw_csv_raw(w, cc_unit_level_name(t->level));
    const cc_unit_layer *ul = r->layer >= 0 ? &st->units[r->layer] : NULL;
    int whole = !ul && (r->unit < 0 || (size_t)r->unit >= st->n_districts);
    text(w, whole || ul ? "" : st->district_id[r->unit]);
    text(w, ul ? "" : whole ? "(whole study area)" : cc__district_label(st, (size_t)r->unit));
    if (!whole && !ul) {
        cc_tw_csv_num(w, cc__district_share(st, (size_t)r->unit), 4);
        cc_tw_csv_raw(w, cc__district_partial(st, (size_t)r->unit) ? "yes" : "no");
    } else {
        cc_tw_csv_empty(w);
        cc_tw_csv_empty(w);
    }
    text(w, cc_metric_name(t->metric));
    text(w, t->facility_type);
    text(w, t->group);
    text(w, t->denom_group);
    text(w, t->denom_basis);
    text(w, coverage_figure(t));
    text(w, cc_cmp_symbol(t->cmp));
    cc_tw_csv_num(w, t->value, 4);
    text(w, t->unit);
    cc_tw_csv_num(w, r->value, 4);
    cc_tw_csv_raw(w, cc_target_status_name(r->status));
    cc_tw_csv_num(w, r->shortfall, 4);
    cc_tw_csv_num(w, r->need, 2);
    target_note(w, st, t, r);
    if (st->n_units) { /* the unit a unit-level record was evaluated on (docs/outputs.md) */
        text(w, ul ? ul->spec->level : NULL);
        text(w, ul ? ul->id[r->unit] : NULL);
        text(w, ul ? (ul->name[r->unit] && *ul->name[r->unit] ? ul->name[r->unit] : ul->id[r->unit])
                   : NULL);
    }
    cc_tw_csv_row_end(w);
}

cc_status cc__targets_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,targets_file,target_id,document,clause,attribute,"
                  "jurisdiction,indicator,name_zh,year,level,district_id,"
                  "district,analysed_share,partial,metric,facility_type,group,"
                  "denominator,basis,coverage_figure,"
                  "comparator,target,unit,value,status,shortfall,need,note");
    cc_tw_str(&w, st->n_units ? ",unit_level,unit_id,unit_name\n" : "\n");
    for (size_t s = 0; s < st->n_target_sets && !w.rc; s++) {
        const cc_target_set *ts = st->targets[s];
        const char *file = strrchr(ts->path, '/') ? strrchr(ts->path, '/') + 1 : ts->path;
        for (size_t i = 0; i < st->n_target_res[s] && !w.rc; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            target_row(&w, st, file, &ts->items[r->target], r);
        }
        /* then the rows of records of a `units:` level, one per unit of it */
        for (size_t i = 0; st->unit_target_res && i < st->n_unit_target_res[s] && !w.rc; i++) {
            const cc_target_result *r = &st->unit_target_res[s][i];
            target_row(&w, st, file, &ts->items[r->target], r);
        }
    }
    return cc_tw_end(&w);
}

/* curve.csv: people and share within every whole minute up to the largest threshold (the
   type's minute curves, f->curve_pop and f->curve). */
cc_status cc__curve_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,facility_type,group,method,minutes,within_reach_population,"
                  "within_reach_share\n");
    for (size_t t = 0; t < st->n_types && !w.rc; t++) {
        const cc_fac_set *f = &st->fac[t];
        size_t steps = f->curve_steps;
        for (size_t k = 0; k < f->n_serves; k++)
            for (int m = 0; m < 2; m++) {
                if (m == 1 && !f->net_min) continue;
                const double *share = f->curve + (k * 2 + (size_t)m) * steps;
                const double *pop = f->curve_pop + (k * 2 + (size_t)m) * steps;
                for (size_t s = 0; s < steps; s++) {
                    cc_tw_csv_field(&w, sc->name);
                    cc_tw_csv_raw(&w, f->spec->name);
                    cc_tw_csv_raw(&w, sc->demand[f->serves[k]].name);
                    cc_tw_csv_raw(&w, m ? "network" : "circle");
                    cc_tw_csv_int(&w, (long long)s);
                    cc_tw_csv_num(&w, pop[s], 2);
                    cc_tw_csv_num(&w, share[s], 6); /* empty without people, not "null" */
                    cc_tw_csv_row_end(&w);
                }
            }
    }
    return cc_tw_end(&w);
}

/* sensitivity.csv: coverage at other walking speeds (the stage's rows, f->sens). */
cc_status cc__sensitivity_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,facility_type,group,speed_kmh,threshold_min,"
                  "population,within_reach_population,within_reach_share\n");
    for (size_t t = 0; t < st->n_types && !w.rc; t++) {
        const cc_fac_set *f = &st->fac[t];
        for (size_t i = 0; i < f->n_sens; i++) {
            const cc_sens_row *r = &f->sens[i];
            cc_tw_csv_field(&w, sc->name);
            cc_tw_csv_raw(&w, f->spec->name);
            cc_tw_csv_raw(&w, sc->demand[r->group].name);
            cc_tw_csv_num(&w, r->speed_kmh, 3);
            cc_tw_csv_num(&w, r->threshold_min, 3);
            cc_tw_csv_num(&w, r->population, 2);
            cc_tw_csv_num(&w, r->within_reach, 2);
            cc_tw_csv_num(&w, r->share, 6);
            cc_tw_csv_row_end(&w);
        }
    }
    return cc_tw_end(&w);
}
