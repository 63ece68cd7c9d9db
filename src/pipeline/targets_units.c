/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy targets on the `units:` levels (docs/targets.md): the inputs of unit_share records
 * (each level's unit verdicts from the units stage, with the district or unit each unit lies
 * in through its parent codes), the evaluation of records whose level is a `units:` level on
 * every unit of it (st->unit_target_res), and the denominator group of a record naming a
 * basis (常住 resident, 户籍 registered) when the scenario declares groups of both bases.
 * Nothing is recomputed: the figures are the units stage's (load_units.c).
 */
#include "core/internal.h"
#include "stages.h"
#include "targets_units.h"

#include <string.h>

/* The ancestor of every unit of level l in level a (a < l; a = -1: the districts) through the
   parent codes, into out[n] (-1 none); returns 0 when a level between has no parent codes. */
static int ancestors(const cc_study *st, size_t l, long a, int32_t *out)
{
    const cc_unit_layer *u = &st->units[l];
    for (size_t i = 0; i < u->n; i++)
        out[i] = (int32_t)i;
    for (long k = (long)l; k > a; k--) {
        const cc_unit_layer *c = &st->units[k];
        if (!c->parent_ix) return 0; /* resolved when the level was read (load_units.c) */
        for (size_t i = 0; i < u->n; i++)
            if (out[i] >= 0) out[i] = c->parent_ix[out[i]];
    }
    return 1;
}

void cc__tu_free(cc__tu *tu)
{
    if (!tu) return;
    for (size_t i = 0; tu->in_unit && i < tu->n_in_unit; i++)
        cc_free(tu->in_unit[i]);
    cc_free(tu->in_unit);
    cc_free(tu->rules);
    memset(tu, 0, sizeof *tu);
}

/* The rules tables of every level and type, each unit placed in level e (-1: districts). */
static cc_status build_rules(cc_ctx *ctx, const cc_study *st, long e, cc__tu *tu)
{
    size_t nl = st->n_units, nt = st->n_types;
    tu->rules = cc_calloc(ctx, nl * nt + 1, sizeof *tu->rules);
    tu->in_unit = cc_calloc(ctx, nl ? nl : 1, sizeof *tu->in_unit);
    if (!tu->rules || !tu->in_unit) return CC_ERR_NOMEM;
    tu->n_in_unit = nl;
    for (size_t l = 0; l < nl; l++) {
        const cc_unit_layer *u = &st->units[l];
        int32_t *in = NULL;
        if ((long)l > e && (e >= 0 || st->n_districts)) {
            in = cc_malloc_array(ctx, u->n ? u->n : 1, sizeof *in);
            if (!in) return CC_ERR_NOMEM;
            tu->in_unit[l] = in;
            if (!ancestors(st, l, e, in)) in = NULL;
        }
        for (size_t t = 0; t < nt; t++)
            tu->rules[tu->opts.n_rules++] =
                (cc_unit_rule_table){u->spec->level, st->fac[t].spec->name, u->n, u->has_fac[t],
                                     u->covered[t],  u->share[t],           in};
    }
    tu->opts.rules = tu->rules;
    return CC_OK;
}

cc_status cc__tu_prepare(cc_ctx *ctx, const cc_study *st, int district_level, cc__tu *tu)
{
    memset(tu, 0, sizeof *tu);
    const cc_scenario *sc = st->sc;
    tu->opts.years = &sc->target_year;
    tu->opts.n_years = sc->target_year ? 1 : 0;
    tu->opts.units_name = "districts";
    /* A record of a `units:` level other than the districts' is evaluated on that level. */
    for (size_t l = 0; l < st->n_units; l++) {
        int lv = cc_unit_level_of(st->units[l].spec->level);
        if (lv > 0 && lv != district_level) tu->opts.skip_levels |= 1u << lv;
    }
    return build_rules(ctx, st, -1, tu);
}

/* Records of set ts at the level of unit level l, evaluated on each of its units. */
static cc_status eval_level(cc_ctx *ctx, cc_study *st, size_t set, size_t l)
{
    const cc_target_set *ts = st->targets[set];
    const cc_unit_layer *u = &st->units[l];
    int lv = cc_unit_level_of(u->spec->level);
    size_t nr = 0, ng = st->dem.n_groups, nt = st->n_types;
    for (size_t k = 0; k < ts->n; k++)
        nr += (int)ts->items[k].level == lv;
    if (!nr || lv <= 0) return CC_OK;
    cc__tu tu = {0};
    cc_target *items = cc_malloc_array(ctx, nr, sizeof *items);
    size_t *orig = cc_malloc_array(ctx, nr, sizeof *orig);
    cc_stats_table *tables = cc_calloc(ctx, nt * ng + 1, sizeof *tables);
    cc_cap_units **caps = cc_calloc(ctx, nt ? nt : 1, sizeof *caps);
    cc_target_result *res = NULL;
    size_t nres = 0, m = 0, k = 0;
    cc_status rc = items && orig && tables && caps ? CC_OK : CC_ERR_NOMEM;
    for (size_t i = 0; !rc && i < ts->n; i++)
        if ((int)ts->items[i].level == lv) {
            items[m] = ts->items[i]; /* shallow: the strings stay the set's */
            orig[m++] = i;
        }
    for (size_t t = 0; !rc && t < nt; t++) {
        rc = cc__cap_units(ctx, &st->fac[t], u->n, u->fac_unit[t], &caps[t]);
        for (size_t g = 0; !rc && g < ng; g++)
            tables[k++] = (cc_stats_table){
                st->fac[t].spec->name, st->sc->demand[g].name, u->stats[t] + g * (u->n + 2),
                caps[t], st->fac[t].spec->n_capacities + st->fac[t].spec->n_flags};
    }
    if (!rc) rc = build_rules(ctx, st, (long)l, &tu);
    if (!rc) {
        tu.opts.years = &st->sc->target_year;
        tu.opts.n_years = st->sc->target_year ? 1 : 0;
        tu.opts.units_name = u->spec->level;
        cc_target_set copy = {ts->path, items, nr};
        rc = cc_analysis_targets_evaluate_opts(ctx, &copy, k, tables, u->n, lv, &tu.opts, &res,
                                               &nres);
    }
    if (!rc && nres) {
        size_t old = st->n_unit_target_res[set];
        cc_target_result *all =
            cc_realloc_array(ctx, st->unit_target_res[set], old + nres, sizeof *all);
        if (!all)
            rc = CC_ERR_NOMEM;
        else {
            st->unit_target_res[set] = all;
            for (size_t j = 0; j < nres; j++) {
                all[old + j] = res[j];
                all[old + j].target = orig[res[j].target];
                all[old + j].layer = (int32_t)l;
            }
            st->n_unit_target_res[set] = old + nres;
        }
    }
    for (size_t t = 0; caps && t < nt; t++)
        cc_free(caps[t]);
    cc_free(caps);
    cc_free(tables);
    cc_free(items);
    cc_free(orig);
    cc_free(res);
    cc__tu_free(&tu);
    return rc;
}

cc_status cc__tu_eval_units(cc_ctx *ctx, cc_study *st, size_t set, int district_level)
{
    if (!st->n_units) return CC_OK;
    if (!st->unit_target_res) {
        st->unit_target_res = cc_calloc(ctx, st->n_target_sets, sizeof *st->unit_target_res);
        st->n_unit_target_res = cc_calloc(ctx, st->n_target_sets, sizeof *st->n_unit_target_res);
        if (!st->unit_target_res || !st->n_unit_target_res) return CC_ERR_NOMEM;
    }
    cc_status rc = CC_OK;
    for (size_t l = 0; !rc && l < st->n_units; l++)
        if (cc_unit_level_of(st->units[l].spec->level) != district_level)
            rc = eval_level(ctx, st, set, l);
    return rc;
}

/* The demand group of basis b ("resident", "registered") standing for group g: g itself when
   it has that basis or states none and no group of basis b names it; else its counterpart. */
static const cc_demand_spec *on_basis(const cc_scenario *sc, const cc_demand_spec *g, const char *b)
{
    if (g->basis && strcmp(g->basis, b) == 0) return g;
    if (g->counterpart) {
        const cc_demand_spec *o = cc_scenario_demand(sc, g->counterpart);
        if (o && o->basis && strcmp(o->basis, b) == 0) return o;
    }
    for (size_t i = 0; i < sc->n_demand; i++) {
        const cc_demand_spec *o = &sc->demand[i];
        if (o->basis && strcmp(o->basis, b) == 0 && o->counterpart &&
            strcmp(o->counterpart, g->name) == 0)
            return o;
    }
    return g;
}

cc_status cc__tu_resolve_basis(cc_ctx *ctx, const cc_scenario *sc, cc_target_set *ts)
{
    for (size_t k = 0; k < ts->n; k++) {
        cc_target *t = &ts->items[k];
        if (!t->denom_basis || !t->denom_group) continue;
        const cc_demand_spec *g = cc_scenario_demand(sc, t->denom_group);
        if (!g) continue; /* reported not_evaluated by the evaluation */
        const char *b = strcmp(t->denom_basis, "户籍") == 0 ? "registered" : "resident";
        const cc_demand_spec *o = on_basis(sc, g, b);
        if (o == g) continue;
        char *name = cc_strdup(ctx, o->name);
        if (!name) return CC_ERR_NOMEM;
        cc_free(t->denom_group);
        t->denom_group = name;
    }
    return CC_OK;
}
