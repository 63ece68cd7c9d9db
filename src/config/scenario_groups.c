/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser, `service_groups:`: named groups of facility types whose coverage is the
 * union of their types' facilities (docs/scenario.md, "Service groups"). Every member type
 * must exist and serve the same demand groups.
 */
#include "scenario_internal.h"

#include <string.h>

#define SG_EXAMPLE                                                                                 \
    "service_groups: {community_elderly_care: {types: [day_care, care_station], label_zh: "      \
    "社区养老服务设施}}"

static const char *const sg_keys[] = {"types", "label", "label_zh"};

/* 1 when a and b serve the same demand groups (in any order). */
static int same_serves(const cc_facility_spec *a, const cc_facility_spec *b)
{
    if (a->n_serves != b->n_serves) return 0;
    for (size_t i = 0; i < a->n_serves; i++) {
        size_t j = 0;
        while (j < b->n_serves && strcmp(a->serves[i], b->serves[j]) != 0)
            j++;
        if (j == b->n_serves) return 0;
    }
    return 1;
}

static cc_status read_member(conv *c, const cc__ynode *v, const char *fk, cc_service_group *g)
{
    cc_status st = cc__scn_scalar_text(c, v, fk, SG_EXAMPLE);
    if (st) return st;
    size_t t = 0;
    while (t < c->sc->n_facilities && strcmp(c->sc->facilities[t].name, v->text) != 0)
        t++;
    if (t == c->sc->n_facilities)
        return ERR(v, "%s names facility type '%s', which the scenario does not declare under "
                      "facilities:; use one of its facility types",
                   fk, v->text);
    for (size_t i = 0; i < g->n_types; i++)
        if (g->types[i] == t) return ERR(v, "%s names '%s' twice; list each type once", fk, v->text);
    const cc_facility_spec *first = &c->sc->facilities[g->n_types ? g->types[0] : t];
    if (!same_serves(first, &c->sc->facilities[t]))
        return ERR(v, "%s: '%s' serves other demand groups than '%s'; a service group's types "
                      "must serve the same groups (make serves: equal or split the group)",
                   fk, v->text, first->name);
    g->types[g->n_types++] = t;
    return CC_OK;
}

static cc_status read_group(conv *c, const cc__ynode *k, const cc__ynode *v, cc_service_group *g)
{
    char lb[300], fk[320];
    cc_snprintf(lb, sizeof lb, "service_groups.%s", k->text);
    g->pos = cc__scn_pos_of(k);
    cc_status st;
    if ((st = cc__scn_check_name(c, k, "service group"))) return st;
    if (!(g->name = cc_strdup(c->ctx, k->text))) return CC_ERR_NOMEM;
    for (size_t t = 0; t < c->sc->n_facilities; t++)
        if (strcmp(c->sc->facilities[t].name, k->text) == 0)
            return ERR(k, "%s: the name '%s' is a facility type's; choose another name", lb,
                       k->text);
    if ((st = cc__scn_need_map(c, v, lb, SG_EXAMPLE)) ||
        (st = cc__scn_check_keys(c, v, lb, sg_keys, N_OF(sg_keys), NULL, 0)) ||
        (st = cc__scn_opt_string(c, v, "label", lb, &g->label)) ||
        (st = cc__scn_set_label(c, &g->label, g->name)) ||
        (st = cc__scn_opt_string(c, v, "label_zh", lb, &g->label_zh)))
        return st;
    const cc__ynode *ts = cc__yvalue(v, "types", NULL);
    cc_snprintf(fk, sizeof fk, "%s.types", lb);
    if (!ts || ts->kind != CC__Y_SEQ || ts->n == 0)
        return ERR(ts ? ts : v, "%s needs a list of its facility types under types:, e.g. %s",
                   lb, SG_EXAMPLE);
    if (!(g->types = cc_calloc(c->ctx, ts->n, sizeof *g->types))) return CC_ERR_NOMEM;
    for (size_t i = 0; i < ts->n; i++)
        if ((st = read_member(c, ts->kids[i], fk, g))) return st;
    return CC_OK;
}

cc_status cc__scn_read_service_groups(conv *c, const cc__ynode *root)
{
    const cc__ynode *m = cc__yvalue(root, "service_groups", NULL);
    if (!m) return CC_OK;
    cc_status st = cc__scn_need_map(c, m, "service_groups", SG_EXAMPLE);
    if (st) return st;
    cc_scenario *sc = c->sc;
    size_t n = m->n / 2;
    if (!(sc->service_groups = cc_calloc(c->ctx, n ? n : 1, sizeof *sc->service_groups)))
        return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        sc->n_service_groups = i + 1; /* counted first, so a failed entry is freed */
        if ((st = read_group(c, m->kids[2 * i], m->kids[2 * i + 1], &sc->service_groups[i])))
            return st;
    }
    return CC_OK;
}

void cc__scn_free_service_groups(cc_scenario *sc)
{
    for (size_t i = 0; i < sc->n_service_groups; i++) {
        cc_service_group *g = &sc->service_groups[i];
        cc_free(g->name);
        cc_free(g->label);
        cc_free(g->label_zh);
        cc_free(g->types);
    }
    cc_free(sc->service_groups);
    sc->service_groups = NULL;
    sc->n_service_groups = 0;
}
