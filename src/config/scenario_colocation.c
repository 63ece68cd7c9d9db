/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser, `colocation:`: pairs of facility types (from, to) with a time limit; for
 * each facility of `from` the run reports the nearest facility of `to` (docs/scenario.md,
 * "colocation").
 */
#include "scenario_internal.h"

#include <math.h>
#include <string.h>

#define CO_EXAMPLE "colocation: [{from: day_care, to: health_centre, max_min: 15}]"

static const char *const co_keys[] = {"from", "to", "max_min"};

/* The facility type named by key k of rule map v, as an index. */
static cc_status read_type(conv *c, const cc__ynode *v, const char *key, const char *lb,
                           size_t *out)
{
    char fk[300];
    cc_snprintf(fk, sizeof fk, "%s.%s", lb, key);
    const cc__ynode *n = cc__yvalue(v, key, NULL);
    if (!n)
        return ERR(v, "missing required key '%s' in %s; name a facility type, e.g. " CO_EXAMPLE,
                   key, lb);
    cc_status st = cc__scn_scalar_text(c, n, fk, CO_EXAMPLE);
    if (st) return st;
    for (size_t t = 0; t < c->sc->n_facilities; t++)
        if (strcmp(c->sc->facilities[t].name, n->text) == 0) {
            *out = t;
            return CC_OK;
        }
    return ERR(n, "%s names facility type '%s', which the scenario does not declare under "
                  "facilities:; use one of its facility types",
               fk, n->text);
}

static cc_status read_rule(conv *c, const cc__ynode *v, size_t i, cc_colocation *r)
{
    char lb[64];
    cc_snprintf(lb, sizeof lb, "colocation[%zu]", i);
    r->pos = cc__scn_pos_of(v);
    cc_status st;
    const cc__ynode *mn = NULL;
    if ((st = cc__scn_need_map(c, v, lb, CO_EXAMPLE)) ||
        (st = cc__scn_check_keys(c, v, lb, co_keys, N_OF(co_keys), NULL, 0)) ||
        (st = read_type(c, v, "from", lb, &r->from)) || (st = read_type(c, v, "to", lb, &r->to)))
        return st;
    if (r->from == r->to)
        return ERR(cc__yvalue(v, "to", NULL),
                   "%s: from and to are both '%s'; name two different facility types", lb,
                   c->sc->facilities[r->from].name);
    r->max_min = NAN;
    if ((st = cc__scn_opt_number(c, v, "max_min", lb, CO_EXAMPLE, &r->max_min, &mn))) return st;
    if (!mn)
        return ERR(v, "missing required key 'max_min' in %s; give the minutes within which the "
                      "nearest facility should lie, e.g. " CO_EXAMPLE,
                   lb);
    char fk[80];
    cc_snprintf(fk, sizeof fk, "%s.max_min", lb);
    return cc__scn_check_threshold(c, mn, fk, r->max_min);
}

cc_status cc__scn_read_colocation(conv *c, const cc__ynode *root)
{
    const cc__ynode *m = cc__yvalue(root, "colocation", NULL);
    if (!m) return CC_OK;
    if (m->kind != CC__Y_SEQ) {
        char d[64];
        return ERR(m, "colocation must be a list of rules, not %s; write e.g. " CO_EXAMPLE,
                   cc__ydescribe(m, d, sizeof d));
    }
    cc_scenario *sc = c->sc;
    if (!(sc->colocation = cc_calloc(c->ctx, m->n ? m->n : 1, sizeof *sc->colocation)))
        return CC_ERR_NOMEM;
    sc->n_colocation = m->n;
    for (size_t i = 0; i < m->n; i++) {
        cc_status st = read_rule(c, m->kids[i], i, &sc->colocation[i]);
        if (st) return st;
    }
    return CC_OK;
}
