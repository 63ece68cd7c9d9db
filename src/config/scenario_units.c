/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser: `units:` (levels of statistical units, top level first) and
 * `unit_coverage:` (the share of a unit's people within reach that makes it covered).
 */
#include "scenario_internal.h"

#include <string.h>

static const char *const unit_keys[] = {"level", "parent_field", "unit_coverage"};
static const char *const unit_levels[] = {"county", "street", "community", "village"};
static const char *const coverage_keys[] = {"min_share"};
#define CC__UNIT_MIN_SHARE 0.5

/* unit_coverage: {min_share: x} under map (the top level or one level); *out kept when absent. */
static cc_status read_coverage(conv *c, const cc__ynode *map, const char *label, double *out)
{
    const cc__ynode *v = cc__yvalue(map, "unit_coverage", NULL);
    if (!v) return CC_OK;
    char lb[96];
    cc__scn_full_key(lb, sizeof lb, label, "unit_coverage");
    const cc__ynode *n = NULL;
    cc_status st;
    if ((st = cc__scn_need_map(c, v, lb, "unit_coverage: {min_share: 0.5}")) ||
        (st = cc__scn_check_keys(c, v, lb, coverage_keys, N_OF(coverage_keys), NULL, 0)) ||
        (st = cc__scn_opt_number(c, v, "min_share", lb, "min_share: 0.5", out, &n)))
        return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "min_share", *out, 0, 1, 1, "",
                                       "(a share of the unit's people, e.g. 0.5)")))
        return st;
    return CC_OK;
}

static cc_status read_level(conv *c, const cc__ynode *v, size_t i, double def, cc_unit_spec *u)
{
    char lb[32];
    cc_snprintf(lb, sizeof lb, "units[%zu]", i);
    cc_status st;
    u->min_share = def;
    if ((st = cc__scn_need_map(c, v, lb,
                               "units: [{level: street, source: streets.geojson, name_field: "
                               "name, id_field: code, parent_field: county_code}]")) ||
        (st = cc__scn_check_keys(c, v, lb, cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                 unit_keys, N_OF(unit_keys))) ||
        (st = cc__scn_read_layer(c, v, lb, &u->src)) ||
        (st = cc__scn_opt_string(c, v, "parent_field", lb, &u->parent_field)) ||
        (st = read_coverage(c, v, lb, &u->min_share)))
        return st;
    if (!cc__yvalue(v, "level", NULL))
        return ERR(v, "missing required key 'level' in %s; add one of county, street, community, "
                      "village",
                   lb);
    if ((st = cc__scn_opt_choice(c, v, "level", lb, unit_levels, N_OF(unit_levels), "county",
                                 &u->level)))
        return st;
    if (!u->src.name_field)
        return ERR(v, "missing required key 'name_field' in %s; add the column that holds the "
                      "unit names, e.g. name_field: name",
                   lb);
    if (u->parent_field && !i && !c->sc->districts.present)
        return ERR(v, "%s has a parent_field but there is no level above it; add `districts:` "
                      "(the parent of the first level) or remove parent_field",
                   lb);
    u->pos = cc__scn_pos_of(v);
    return CC_OK;
}

cc_status cc__scn_read_units(conv *c, const cc__ynode *root)
{
    double def = CC__UNIT_MIN_SHARE;
    cc_status st = read_coverage(c, root, "", &def);
    const cc__ynode *v = cc__yvalue(root, "units", NULL);
    if (st || !v) return st;
    if (v->kind != CC__Y_SEQ || v->n == 0)
        return ERR(v, "units must be a list of levels, top level first, e.g. units: [{level: "
                      "street, source: streets.geojson, name_field: name}]");
    c->sc->units = cc_calloc(c->ctx, v->n, sizeof *c->sc->units);
    if (!c->sc->units) return CC_ERR_NOMEM;
    c->sc->n_units = v->n;
    for (size_t i = 0; i < v->n; i++) {
        if ((st = read_level(c, v->kids[i], i, def, &c->sc->units[i]))) return st;
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->sc->units[j].level, c->sc->units[i].level) == 0)
                return ERR(v->kids[i], "units[%zu]: level '%s' is listed twice; give each level "
                                       "once",
                           i, c->sc->units[i].level);
    }
    return CC_OK;
}
