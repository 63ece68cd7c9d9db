/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser: `estates:` (residential estates checked against the estate rules of the
 * targets files, docs/scenario.md): a layer block plus the fields of households, residents,
 * build year and provided floor areas, how new estates are told from old ones, and which
 * targets files' estate_rules apply.
 */
#include "scenario_internal.h"

#include <string.h>

static const char *const estate_keys[] = {
    "households_field", "residents_field", "build_year_field", "elderly_m2_field",
    "childcare_m2_field", "new_field", "new_from_year", "rules"};

/* rules: a path or a list of paths (targets files), resolved like targets:. */
static cc_status read_rules(conv *c, const cc__ynode *map, cc_estate_spec *e)
{
    const cc__ynode *v = cc__yvalue(map, "rules", NULL);
    char d[64];
    if (!v || cc__yis_null(v)) return CC_OK;
    if (v->kind == CC__Y_MAP || (v->kind == CC__Y_SEQ && !v->n))
        return ERR(v, "estates.rules must be a targets file or a list of them, not %s; write "
                      "e.g. rules: [../targets/ankang-2025.yaml]",
                   cc__ydescribe(v, d, sizeof d));
    cc_layer_spec ls;
    memset(&ls, 0, sizeof ls);
    size_t cnt = v->kind == CC__Y_SEQ ? v->n : 1;
    ls.sources = cc_calloc(c->ctx, cnt, sizeof *ls.sources);
    if (!ls.sources) return CC_ERR_NOMEM;
    cc_status st = CC_OK;
    for (size_t i = 0; !st && i < cnt; i++)
        st = cc__scn_add_source(c, &ls, v->kind == CC__Y_SEQ ? v->kids[i] : v, "estates.rules");
    e->rules = ls.sources;
    e->n_rules = ls.n_sources;
    return st;
}

static cc_status read_fields(conv *c, const cc__ynode *v, cc_estate_spec *e)
{
    const char *lb = "estates";
    cc_status st;
    if ((st = cc__scn_opt_string(c, v, "households_field", lb, &e->households_field)) ||
        (st = cc__scn_opt_string(c, v, "residents_field", lb, &e->residents_field)) ||
        (st = cc__scn_opt_string(c, v, "build_year_field", lb, &e->build_year_field)) ||
        (st = cc__scn_opt_string(c, v, "elderly_m2_field", lb, &e->elderly_m2_field)) ||
        (st = cc__scn_opt_string(c, v, "childcare_m2_field", lb, &e->childcare_m2_field)) ||
        (st = cc__scn_opt_string(c, v, "new_field", lb, &e->new_field)))
        return st;
    if (!e->households_field || !e->residents_field)
        return ERR(v, "estates needs households_field and residents_field (the columns with "
                      "each estate's households and residents); add both");
    if (!e->elderly_m2_field && !e->childcare_m2_field)
        return ERR(v, "estates needs elderly_m2_field or childcare_m2_field (the provided floor "
                      "area in m2); add the one(s) the data has");
    const cc__ynode *n = NULL;
    if ((st = cc__scn_opt_number(c, v, "new_from_year", lb, "new_from_year: 2000",
                                 &e->new_from_year, &n)))
        return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "new_from_year", e->new_from_year, 1800, 0,
                                       2100, "", "(estates built in or after it are new)")))
        return st;
    if (n && !e->build_year_field)
        return ERR(n, "estates.new_from_year needs build_year_field (the column with the build "
                      "year); add it or use new_field");
    if (!n && !e->new_field)
        return ERR(v, "estates must say which estates are new: add new_from_year: 2000 (with "
                      "build_year_field) or new_field (a column holding new or old)");
    return CC_OK;
}

cc_status cc__scn_read_estates(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = cc__yvalue(root, "estates", NULL);
    if (!v) return CC_OK;
    cc_estate_spec *e = &c->sc->estates;
    cc_status st;
    if ((st = cc__scn_need_map(c, v, "estates",
                               "estates: {source: estates.geojson, id_field: id, name_field: "
                               "name, households_field: households, residents_field: residents, "
                               "elderly_m2_field: elderly_m2, build_year_field: build_year, "
                               "new_from_year: 2000}")) ||
        (st = cc__scn_check_keys(c, v, "estates", cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                 estate_keys, N_OF(estate_keys))) ||
        (st = cc__scn_read_layer(c, v, "estates", &e->src)) || (st = read_fields(c, v, e)) ||
        (st = read_rules(c, v, e)))
        return st;
    if (!e->n_rules && !c->sc->n_targets)
        return ERR(v, "estates has no rules to check: add rules: [../targets/ankang-2025.yaml] "
                      "or a top-level targets: file with estate_rules");
    e->present = 1;
    e->pos = cc__scn_pos_of(v);
    return CC_OK;
}

void cc__scn_free_estates(cc_scenario *sc)
{
    cc_estate_spec *e = &sc->estates;
    cc__scn_free_layer(&e->src);
    char *s[] = {e->households_field,   e->residents_field, e->build_year_field,
                 e->elderly_m2_field,   e->childcare_m2_field, e->new_field};
    for (size_t i = 0; i < N_OF(s); i++)
        cc_free(s[i]);
    for (size_t i = 0; i < e->n_rules; i++)
        cc_free(e->rules[i]);
    cc_free(e->rules);
}
