/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser: `siting:`, one block (a mapping, as before) or a list of named blocks
 * (the first writes sites.csv, the others sites_<name>.csv), each with its objective:
 * people newly covered (coverage), p_median, or the unit objectives (units: the fewest sites
 * for a share of units covered; each_unit: the best site inside each unit lacking one).
 * docs/scenario.md, docs/siting.md.
 */
#include "scenario_internal.h"

#include <string.h>

static const char *const siting_keys[] = {
    "facility",  "candidates", "count",      "capacity",  "target_share", "district",
    "spacing_m", "exact",      "labels",     "matrix",    "exclude",      "exact_time_limit_s",
    "objective", "name",       "unit_level", "unit_rule", "unit_types"};
static const char *const siting_objectives[] = {"coverage", "p_median", "units", "each_unit"};
static const char *const matrix_keys[] = {"source",     "origin_field", "destination_field",
                                          "cost_field", "unit",         "cutoff"};
static const char *const matrix_units[] = {"min", "s", "m"};
static const char *const label_langs[] = {"en", "zh"};
static const char *const unit_rules[] = {"covered", "has_facility"};
#define CC__SITING_MAX_BLOCKS 16
#define CC__SITING_NAME_MAX 24

void cc__scn_free_siting(cc_siting_spec *ss)
{
    cc_free(ss->name);
    cc_free(ss->facility);
    cc_free(ss->district);
    cc__scn_free_layer(&ss->cand);
    cc__scn_free_layer(&ss->exclude);
    cc_free(ss->matrix);
    cc_free(ss->m_origin);
    cc_free(ss->m_dest);
    cc_free(ss->m_cost);
    cc_free(ss->m_unit);
    cc_free(ss->unit_types);
    memset(ss, 0, sizeof *ss);
}

int cc__scn_siting_places(const cc_scenario *sc, const char *type)
{
    if (sc->siting.present && strcmp(sc->siting.facility, type) == 0) return 1;
    for (size_t b = 0; b < sc->n_siting_more; b++)
        if (strcmp(sc->siting_more[b].facility, type) == 0) return 1;
    return 0;
}

/* unit_types: [a, b]: facility types whose presence in a unit counts as "has one". */
static cc_status read_unit_types(conv *c, const cc__ynode *v, const char *lb, cc_siting_spec *ss)
{
    const cc__ynode *tv = cc__yvalue(v, "unit_types", NULL);
    if (!tv) return CC_OK;
    size_t n = tv->kind == CC__Y_SEQ ? tv->n : 1;
    ss->unit_types = cc_calloc(c->ctx, n ? n : 1, sizeof *ss->unit_types);
    if (!ss->unit_types) return CC_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        const cc__ynode *e = tv->kind == CC__Y_SEQ ? tv->kids[k] : tv;
        size_t t = c->sc->n_facilities;
        if (e->kind == CC__Y_SCALAR)
            for (t = 0; t < c->sc->n_facilities; t++)
                if (strcmp(c->sc->facilities[t].name, e->text) == 0) break;
        if (t == c->sc->n_facilities) {
            char d[64];
            return ERR(e,
                       "%s.unit_types: %s is not a facility type of this scenario; list keys "
                       "under facilities:, e.g. unit_types: [%s]",
                       lb, cc__ydescribe(e, d, sizeof d), c->sc->facilities[0].name);
        }
        ss->unit_types[ss->n_unit_types++] = t;
    }
    return CC_OK;
}

/* unit_level, unit_rule, unit_types: only with objective: units or each_unit. */
static cc_status read_unit_keys(conv *c, const cc__ynode *v, const char *lb, cc_siting_spec *ss)
{
    static const char *const only[] = {"unit_level", "unit_rule", "unit_types"};
    const cc__ynode *k = NULL;
    if (!ss->unit_obj) {
        for (size_t i = 0; i < N_OF(only); i++)
            if (cc__yvalue(v, only[i], &k))
                return ERR(k, "%s.%s needs objective: units or objective: each_unit", lb, only[i]);
        return CC_OK;
    }
    const char *obj = ss->unit_obj == 1 ? "units" : "each_unit";
    const cc__ynode *lv = cc__yvalue(v, "unit_level", NULL);
    if (!lv)
        return ERR(v,
                   "missing required key 'unit_level' in %s (objective: %s); name a level of "
                   "units:, e.g. unit_level: %s",
                   lb, obj, c->sc->n_units ? c->sc->units[0].level : "community");
    char *level = NULL;
    cc_status st = cc__scn_opt_string(c, v, "unit_level", lb, &level);
    if (st) return st;
    size_t l;
    for (l = 0; l < c->sc->n_units; l++)
        if (strcmp(c->sc->units[l].level, level) == 0) break;
    char have[160] = "";
    for (size_t i = 0, at = 0; i < c->sc->n_units && at < sizeof have; i++)
        at += (size_t)cc_snprintf(have + at, sizeof have - at, "%s%s", i ? ", " : "",
                                  c->sc->units[i].level);
    if (l == c->sc->n_units) {
        st = ERR(lv,
                 "%s.unit_level '%s' is not a level of units: (%s); add that level under "
                 "units: or name one of them",
                 lb, level, c->sc->n_units ? have : "none given");
        cc_free(level);
        return st;
    }
    cc_free(level);
    ss->unit_level = l;
    char *rule = NULL;
    if ((st = cc__scn_opt_choice(c, v, "unit_rule", lb, unit_rules, N_OF(unit_rules),
                                 ss->unit_obj == 2 ? "has_facility" : "covered", &rule)))
        return st;
    ss->unit_has_fac = strcmp(rule, "has_facility") == 0;
    cc_free(rule);
    if (ss->unit_obj == 2 && !ss->unit_has_fac)
        return ERR(cc__yvalue(v, "unit_rule", NULL),
                   "%s.unit_rule: objective: each_unit places a site in every unit without a "
                   "facility (has_facility); use objective: units for unit_rule: covered",
                   lb);
    static const char *const no[] = {"capacity", "district", "exclude"};
    for (size_t i = 0; i < N_OF(no); i++)
        if (cc__yvalue(v, no[i], &k))
            return ERR(k,
                       "%s.%s does not go with objective: %s (the unit rule counts units, "
                       "not people within a district or places); leave it out",
                       lb, no[i], obj);
    if (ss->unit_obj == 1 && !ss->count_given && ss->target_share > 0) ss->count = 0;
    return read_unit_types(c, v, lb, ss);
}

/* siting.matrix: {source, origin_field, destination_field, cost_field, unit, cutoff}. */
static cc_status read_matrix(conv *c, const cc__ynode *v, cc_siting_spec *ss)
{
    cc_status st;
    const cc__ynode *n;
    const cc__ynode *mv = cc__yvalue(v, "matrix", NULL);
    if (mv && !cc__yis_null(mv)) {
        const char *ml = "siting.matrix";
        if ((st = cc__scn_need_map(c, mv, ml, "matrix: {source: times.csv, unit: min}")) ||
            (st = cc__scn_check_keys(c, mv, ml, matrix_keys, N_OF(matrix_keys), NULL, 0)))
            return st;
        cc_layer_spec tmp;
        memset(&tmp, 0, sizeof tmp);
        if ((st = cc__scn_read_sources(c, mv, ml, &tmp))) {
            cc__scn_free_layer(&tmp);
            return st;
        }
        ss->matrix = tmp.sources[0];
        for (size_t i = 1; i < tmp.n_sources; i++)
            cc_free(tmp.sources[i]);
        cc_free(tmp.sources);
        if ((st = cc__scn_opt_string(c, mv, "origin_field", ml, &ss->m_origin)) ||
            (st = cc__scn_set_default(c, &ss->m_origin, "origin")) ||
            (st = cc__scn_opt_string(c, mv, "destination_field", ml, &ss->m_dest)) ||
            (st = cc__scn_set_default(c, &ss->m_dest, "destination")) ||
            (st = cc__scn_opt_string(c, mv, "cost_field", ml, &ss->m_cost)) ||
            (st = cc__scn_set_default(c, &ss->m_cost, "cost")) ||
            (st = cc__scn_opt_choice(c, mv, "unit", ml, matrix_units, N_OF(matrix_units), "min",
                                     &ss->m_unit)) ||
            (st = cc__scn_opt_number(c, mv, "cutoff", ml, "cutoff: 5000", &ss->m_cutoff, &n)))
            return st;
        if (n) {
            /* A plausible coverage limit in the matrix's unit (a day, or 1000 km). */
            int u = strcmp(ss->m_unit, "min") == 0 ? 0 : strcmp(ss->m_unit, "s") == 0 ? 1 : 2;
            static const double lo[] = {0.1, 1, 1}, hi[] = {1440, 86400, 1e6};
            static const char *const un[] = {"min", "s", "m"};
            if ((st = cc__scn_check_range(c, n, ml, "cutoff", ss->m_cutoff, lo[u], 0, hi[u], un[u],
                                          " (in the matrix's unit)")))
                return st;
        }
        if (strcmp(ss->m_unit, "m") == 0 && !(ss->m_cutoff > 0))
            return ERR(mv, "siting.matrix with unit: m needs a cutoff in metres, e.g. cutoff: "
                           "1000");
        if (ss->auto_candidates)
            return ERR(mv, "siting.matrix needs a candidates layer whose id_field matches the "
                           "matrix's destination ids; candidates: auto has no such ids");
    }
    return CC_OK;
}

/* One siting block: {facility, candidates: auto | {layer keys}, count, capacity, ...}. */
static cc_status read_block(conv *c, const cc__ynode *v, const char *lb, cc_siting_spec *ss)
{
    cc_status st;
    if ((st = cc__scn_need_map(c, v, lb,
                               "siting: {facility: day_care, candidates: auto, count: 10}")) ||
        (st = cc__scn_check_keys(c, v, lb, siting_keys, N_OF(siting_keys), NULL, 0)))
        return st;
    ss->pos = cc__scn_pos_of(v);
    if (!cc__yvalue(v, "facility", NULL))
        return ERR(v,
                   "missing required key 'facility' in siting; name the facility type to "
                   "site, e.g. facility: %s",
                   c->sc->facilities[0].name);
    if ((st = cc__scn_opt_string(c, v, "facility", lb, &ss->facility))) return st;
    if (!cc_scenario_facility(c->sc, ss->facility)) {
        const cc__ynode *fv = cc__yvalue(v, "facility", NULL);
        return ERR(fv,
                   "siting.facility '%s' is not a facility type of this scenario; use one "
                   "of the keys under facilities:, e.g. %s",
                   ss->facility, c->sc->facilities[0].name);
    }
    const cc__ynode *cv = cc__yvalue(v, "candidates", NULL);
    if (!cv || (cv->kind == CC__Y_SCALAR && strcmp(cv->text, "auto") == 0))
        ss->auto_candidates = 1;
    else {
        if ((st = cc__scn_need_map(
                 c, cv, "siting.candidates",
                 "candidates: auto, or candidates: {source: idle_buildings.gpkg}")) ||
            (st = cc__scn_check_keys(c, cv, "siting.candidates", cc__scn_layer_keys,
                                     N_OF(cc__scn_layer_keys), NULL, 0)) ||
            (st = cc__scn_read_layer(c, cv, "siting.candidates", &ss->cand)))
            return st;
    }
    const cc__ynode *n;
    ss->count = 10;
    if ((st = cc__scn_opt_number(c, v, "count", lb, "count: 10", &ss->count, &n))) return st;
    ss->count_given = n != NULL;
    if (n && (st = cc__scn_check_range(c, n, lb, "count", ss->count, 0, 0, 100000, "sites", "")))
        return st;
    if (n && ss->count != (double)(long)ss->count)
        return ERR(n, "siting.count must be a whole number of sites, e.g. count: 10");
    if ((st = cc__scn_opt_number(c, v, "capacity", lb, "capacity: 40", &ss->capacity, &n)))
        return st;
    if (n && (st = cc__scn_check_zero_or_range(c, n, lb, "capacity", ss->capacity,
                                               CC__SMALLEST_POSITIVE, 1e9, "units",
                                               "; it is the beds or slots of each new site")))
        return st;
    if ((st = cc__scn_opt_number(c, v, "target_share", lb, "target_share: 0.9", &ss->target_share,
                                 &n)))
        return st;
    if (n &&
        (st = cc__scn_check_range(c, n, lb, "target_share", ss->target_share, CC__SMALLEST_POSITIVE,
                                  0, 1, "", "; write a share such as 0.9 for 90%")))
        return st;
    ss->spacing_m = 250;
    if ((st = cc__scn_opt_number(c, v, "spacing_m", lb, "spacing_m: 250", &ss->spacing_m, &n)))
        return st;
    if (n &&
        (st = cc__scn_check_range(c, n, lb, "spacing_m", ss->spacing_m, 1, 0, 100000, "m", "")))
        return st;
    if ((st = cc__scn_opt_string(c, v, "district", lb, &ss->district))) return st;
    char *ex = NULL, *labels = NULL;
    /* exact: auto (default) | yes | no; true/false read as yes/no. */
    if ((st = cc__scn_opt_choice(c, v, "exact", lb,
                                 (const char *const[]){"auto", "yes", "no", "true", "false"}, 5,
                                 "auto", &ex)))
        return st;
    ss->exact = strcmp(ex, "yes") == 0 || strcmp(ex, "true") == 0   ? 1
                : strcmp(ex, "no") == 0 || strcmp(ex, "false") == 0 ? 2
                                                                    : 0;
    cc_free(ex);
    ss->exact_time_limit_s = 10;
    if ((st = cc__scn_opt_number(c, v, "exact_time_limit_s", lb, "exact_time_limit_s: 10",
                                 &ss->exact_time_limit_s, &n)))
        return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "exact_time_limit_s", ss->exact_time_limit_s, 0, 1,
                                       86400, "s", "; it bounds the exact solver's run")))
        return st;
    char *obj = NULL;
    if ((st = cc__scn_opt_choice(c, v, "objective", lb, siting_objectives, N_OF(siting_objectives),
                                 "coverage", &obj)))
        return st;
    ss->p_median = strcmp(obj, "p_median") == 0;
    ss->unit_obj = strcmp(obj, "units") == 0 ? 1 : strcmp(obj, "each_unit") == 0 ? 2 : 0;
    cc_free(obj);
    if ((st = read_unit_keys(c, v, lb, ss))) return st;
    if ((st =
             cc__scn_opt_choice(c, v, "labels", lb, label_langs, N_OF(label_langs), "en", &labels)))
        return st;
    ss->labels_zh = strcmp(labels, "zh") == 0;
    cc_free(labels);
    const cc__ynode *xv = cc__yvalue(v, "exclude", NULL);
    if (xv && !cc__yis_null(xv) &&
        ((st = cc__scn_need_map(c, xv, "siting.exclude",
                                "exclude: {source: protected_land.gpkg}")) ||
         (st = cc__scn_check_keys(c, xv, "siting.exclude", cc__scn_layer_keys,
                                  N_OF(cc__scn_layer_keys), NULL, 0)) ||
         (st = cc__scn_read_layer(c, xv, "siting.exclude", &ss->exclude))))
        return st;
    if ((st = read_matrix(c, v, ss))) return st;
    if (ss->unit_obj && ss->matrix)
        return ERR(cc__yvalue(v, "matrix", NULL),
                   "%s.matrix does not go with objective: %s; the unit objectives read the "
                   "network's reach",
                   lb, ss->unit_obj == 1 ? "units" : "each_unit");
    if (ss->unit_obj == 2) {
        ss->present = 1; /* each unit lacking a facility gets its best site: no count */
        return CC_OK;
    }
    if (ss->count == 0 && ss->target_share == 0)
        return ERR(v, "siting needs count > 0 or a target_share; e.g. count: 10");
    if (ss->p_median && !(ss->count > 0))
        return ERR(v, "siting.objective: p_median places a fixed number of sites; give count > 0, "
                      "e.g. count: 5");
    ss->present = 1;
    return CC_OK;
}

/* A block's name (list form): a short [a-z0-9_] word, unique, for sites_<name>.csv. */
static cc_status read_name(conv *c, const cc__ynode *v, const char *lb, size_t i,
                           cc_siting_spec *ss)
{
    const cc__ynode *nv = cc__yvalue(v, "name", NULL);
    if (!nv) {
        if (i == 0) return CC_OK;
        return ERR(v,
                   "missing required key 'name' in %s; every siting block after the first "
                   "needs a name for its file sites_<name>.csv, e.g. name: meal_points",
                   lb);
    }
    cc_status st = cc__scn_opt_string(c, v, "name", lb, &ss->name);
    if (st) return st;
    size_t len = strlen(ss->name);
    int ok = len > 0 && len <= CC__SITING_NAME_MAX;
    for (size_t k = 0; ok && k < len; k++)
        ok = (ss->name[k] >= 'a' && ss->name[k] <= 'z') ||
             (ss->name[k] >= '0' && ss->name[k] <= '9') || ss->name[k] == '_';
    if (!ok)
        return ERR(nv,
                   "%s.name '%s' must be 1 to %d lower-case letters, digits or '_' (it "
                   "names the file sites_<name>.csv), e.g. name: meal_points",
                   lb, ss->name, CC__SITING_NAME_MAX);
    const cc_scenario *sc = c->sc;
    for (size_t b = 0; b + 1 < i; b++)
        if (sc->siting_more[b].name && strcmp(sc->siting_more[b].name, ss->name) == 0)
            return ERR(nv, "%s.name '%s' is given twice; give each siting block its own name", lb,
                       ss->name);
    if (i > 0 && sc->siting.name && strcmp(sc->siting.name, ss->name) == 0)
        return ERR(nv, "%s.name '%s' is given twice; give each siting block its own name", lb,
                   ss->name);
    return CC_OK;
}

/* siting: one mapping (as before), or a list of blocks; the first is sc->siting. */
cc_status cc__scn_read_siting(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = cc__yvalue(root, "siting", NULL);
    if (!v || cc__yis_null(v)) return CC_OK;
    cc_scenario *sc = c->sc;
    if (v->kind != CC__Y_SEQ) {
        cc_status st = read_name(c, v, "siting", 0, &sc->siting);
        return st ? st : read_block(c, v, "siting", &sc->siting);
    }
    if (v->n == 0 || v->n > CC__SITING_MAX_BLOCKS)
        return ERR(v, "siting: give 1 to %d blocks in the list (found %zu)", CC__SITING_MAX_BLOCKS,
                   v->n);
    if (v->n > 1) {
        sc->siting_more = cc_calloc(c->ctx, v->n - 1, sizeof *sc->siting_more);
        if (!sc->siting_more) return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < v->n; i++) {
        char lb[32];
        cc_snprintf(lb, sizeof lb, "siting[%zu]", i);
        cc_siting_spec *ss = i ? &sc->siting_more[i - 1] : &sc->siting;
        if (i) sc->n_siting_more = i; /* freed with the scenario from here on */
        cc_status st = cc__scn_need_map(c, v->kids[i], lb,
                                        "siting: [{facility: day_care, count: 5}, {name: meals, "
                                        "facility: meal_point, objective: units, ...}]");
        if (!st) st = read_name(c, v->kids[i], lb, i, ss);
        if (!st) st = read_block(c, v->kids[i], lb, ss);
        if (st) return st;
        if (i && ss->matrix)
            return ERR(cc__yvalue(v->kids[i], "matrix", NULL),
                       "%s.matrix: only the first siting block may read a matrix (it replaces "
                       "the network's reach of its type)",
                       lb);
    }
    return CC_OK;
}
