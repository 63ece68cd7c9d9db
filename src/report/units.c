/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The unit tables of `units:` (docs/outputs.md): units_<level>.csv and units_<level>.geojson per
 * level, and unit_coverage.csv (per level and type, the share of units with a facility and the
 * share covered). They format cc_study.units (load_units.c, the counts of units included) and
 * total nothing. A number that is unknown (NaN) is an empty cell; so is `covered` of a unit whose
 * served groups have nobody (the share of nobody is undefined).
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>

static const char *unit_label(const cc_unit_layer *u, size_t d)
{
    if (d == u->n) return "(outside every unit)";
    if (d == u->n + 1) return "(whole study area)";
    const char *nm = u->name[d];
    return nm && *nm ? nm : u->id[d] ? u->id[d] : "";
}

const char *cc__unit_status(const cc_study *st, const cc_unit_layer *u, size_t d)
{
    if (u->types_not_covered[d]) return "not_covered";
    for (size_t t = 0; t < st->n_types; t++)
        if (!isnan(u->share[t][d])) return "covered";
    return "no_people";
}

/* One units_<level>.csv row: unit d (or outside, whole area), type t, group g. */
static void unit_row(cc_tw *w, const cc_study *st, const cc_unit_layer *u, size_t t, size_t g,
                     size_t d)
{
    const cc_fac_set *f = &st->fac[t];
    const cc_district_stats *s = &u->stats[t][g * (u->n + 2) + d];
    double pop = s->population;
    int unit = d < u->n;
    cc_tw_csv_field(w, st->sc->name);
    cc_tw_csv_raw(w, u->spec->level);
    cc_tw_csv_field(w, unit ? u->id[d] : "");
    cc_tw_csv_field(w, unit_label(u, d));
    cc_tw_csv_field(w, unit && u->parent && u->parent[d] ? u->parent[d] : "");
    cc_tw_csv_raw(w, f->spec->name);
    cc_tw_csv_raw(w, st->sc->demand[g].name);
    cc_tw_csv_num(w, pop, 2);
    cc_tw_csv_num(w, f->net_min ? s->covered_net : NAN, 2);
    cc_tw_csv_num(w, f->net_min && pop > 0 ? s->covered_net / pop : NAN, 6);
    cc_tw_csv_num(w, s->served, 2);
    cc_tw_csv_num(w, isfinite(s->served) && pop > 0 ? s->served / pop : NAN, 6);
    cc_tw_csv_num(w, s->covered_circle, 2);
    cc_tw_csv_num(w, pop > 0 ? s->covered_circle / pop : NAN, 6);
    cc_tw_csv_int(w, (long long)s->n_fac);
    cc_tw_csv_num(w, s->capacity, 2);
    cc_tw_csv_num(w, s->per_1000, 3);
    if (unit) {
        cc_tw_csv_raw(w, u->has_fac[t][d] ? "yes" : "no");
        cc_tw_csv_num(w, u->share[t][d], 6);
        if (isnan(u->share[t][d]))
            cc_tw_csv_empty(w);
        else
            cc_tw_csv_raw(w, u->covered[t][d] ? "yes" : "no");
        cc_tw_csv_num(w, u->mean_min[t][d], 1);
        cc_tw_csv_num(w, u->max_min[t][d], 1);
        cc_tw_csv_num(w, u->reached[t][d], 4);
    } else {
        for (int k = 0; k < 6; k++)
            cc_tw_csv_empty(w);
    }
    cc_tw_csv_row_end(w);
}

static cc_status units_csv(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    const cc_unit_layer *u = arg;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,level,unit_id,unit,parent_id,facility_type,group,population,"
                  "within_reach_network,within_reach_network_share,served_within_capacity,"
                  "served_within_capacity_share,within_reach_circle,within_reach_circle_share,"
                  "facilities,capacity,capacity_per_1000,has_facility,served_groups_share,"
                  "covered,mean_minutes,max_minutes,reached_share\n");
    for (size_t d = 0; d < u->n + 2 && !w.rc; d++)
        for (size_t t = 0; t < st->n_types; t++)
            for (size_t k = 0; k < st->fac[t].n_serves; k++)
                unit_row(&w, st, u, t, st->fac[t].serves[k], d);
    return cc_tw_end(&w);
}

static cc_status units_geojson(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    const cc_unit_layer *u = arg;
    const cc_geomcol *g = &u->geom;
    char key[160];
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    char name[96];
    cc_snprintf(name, sizeof name, "units_%s", u->spec->level); /* the layer name: the file's */
    cc__gj_begin(&w, name, st);
    for (size_t d = 0; d < u->n && !w.rc; d++) {
        cc__gj_feature(&w, d, u->id[d]);
        cc__gj_polygon(&w, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, d);
        cc_tw_json_key(&w, "properties");
        cc_tw_json_object(&w, CC_TW_COMPACT);
        cc_tw_json_kstr(&w, "id", u->id[d]);
        cc_tw_json_kstr(&w, "name", u->name[d]);
        cc_tw_json_kstr(&w, "level", u->spec->level);
        cc_tw_json_kstr(&w, "parent_id", u->parent ? u->parent[d] : NULL);
        for (size_t t = 0; t < st->n_types; t++) {
            const char *tn = st->fac[t].spec->name;
            cc_snprintf(key, sizeof key, "%s_facilities", tn);
            cc_tw_json_kint(&w, key, (long long)u->stats[t][d].n_fac);
            cc_snprintf(key, sizeof key, "%s_share", tn);
            cc_tw_json_knum(&w, key, u->share[t][d], 4);
            cc_snprintf(key, sizeof key, "%s_covered", tn);
            if (isnan(u->share[t][d]))
                cc_tw_json_kstr(&w, key, NULL);
            else
                cc_tw_json_kbool(&w, key, u->covered[t][d]);
            cc_snprintf(key, sizeof key, "%s_mean_min", tn);
            cc_tw_json_knum(&w, key, u->mean_min[t][d], 1);
        }
        cc_tw_json_kint(&w, "types_not_covered", (long long)u->types_not_covered[d]);
        cc_tw_json_kstr(&w, "status", cc__unit_status(st, u, d));
        cc__gj_feature_end(&w);
    }
    cc__gj_end(&w);
    return cc_tw_end(&w);
}

/* unit_coverage.csv: per level and type, units with a facility and covered units. */
static cc_status coverage_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,level,facility_type,units,with_facility,with_facility_share,"
                  "units_with_people,covered,covered_share,min_share\n");
    for (size_t l = 0; l < st->n_units && !w.rc; l++) {
        const cc_unit_layer *u = &st->units[l];
        for (size_t t = 0; t < st->n_types; t++) {
            size_t has = u->n_with_fac[t], people = u->n_with_people[t], cov = u->n_covered[t];
            cc_tw_csv_field(&w, st->sc->name);
            cc_tw_csv_raw(&w, u->spec->level);
            cc_tw_csv_raw(&w, st->fac[t].spec->name);
            cc_tw_csv_int(&w, (long long)u->n);
            cc_tw_csv_int(&w, (long long)has);
            cc_tw_csv_num(&w, u->n ? (double)has / (double)u->n : NAN, 4);
            cc_tw_csv_int(&w, (long long)people);
            cc_tw_csv_int(&w, (long long)cov);
            cc_tw_csv_num(&w, people ? (double)cov / (double)people : NAN, 4);
            cc_tw_csv_num(&w, u->spec->min_share, 4);
            cc_tw_csv_row_end(&w);
        }
    }
    return cc_tw_end(&w);
}

/* units_<level>.qml: the units by status (qml.c). */
static cc_status units_qml(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    (void)st, (void)arg;
    char *text = NULL;
    cc_status rc = cc_report_qml_units(ctx, "status", &text);
    return cc__put_text(ctx, fp, rc, text);
}

/* units_<level>.<ext> of level u through fn. */
static cc_status write_level(cc_ctx *ctx, const cc_study *st, const cc_unit_layer *u,
                             cc_outset *out, const char *ext, cc__writer_arg_fn fn)
{
    char name[96];
    cc_snprintf(name, sizeof name, "units_%s.%s", u->spec->level, ext);
    return cc__write_one_arg(ctx, st, out, name, fn, u);
}

cc_status cc__write_units(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    if (!st->n_units) return CC_OK;
    cc_status rc = CC_OK;
    for (size_t l = 0; !rc && l < st->n_units; l++) {
        rc = write_level(ctx, st, &st->units[l], out, "csv", units_csv);
        if (!rc) rc = write_level(ctx, st, &st->units[l], out, "geojson", units_geojson);
        if (!rc) rc = write_level(ctx, st, &st->units[l], out, "qml", units_qml);
    }
    if (!rc) rc = cc__write_one(ctx, st, out, "unit_coverage.csv", coverage_csv);
    return rc;
}
