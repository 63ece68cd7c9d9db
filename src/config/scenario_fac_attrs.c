/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser, the attributes of a facility type beyond its one capacity: named
 * capacities (each possibly part of another), flags, floor area and the condition a facility
 * must meet to count as the type, `condition:` (docs/scenario.md, "Facility attributes").
 */
#include "scenario_internal.h"

#include <string.h>

#define CAP_EXAMPLE "capacities: {beds: beds, nursing_beds: {field: nursing_beds, part_of: beds}}"

static const char *const cap_keys[] = {"field", "part_of"};

size_t cc_facility_attr_count(const cc_facility_spec *fs)
{
    return fs->n_capacities + fs->n_flags + (fs->floor_area_field ? 1 : 0);
}

const char *cc_facility_attr_name(const cc_facility_spec *fs, size_t i)
{
    if (i < fs->n_capacities) return fs->capacities[i].name;
    i -= fs->n_capacities;
    if (i < fs->n_flags) return fs->flags[i].name;
    return "floor_area";
}

const char *cc_facility_attr_field(const cc_facility_spec *fs, size_t i)
{
    if (i < fs->n_capacities) return fs->capacities[i].field;
    i -= fs->n_capacities;
    if (i < fs->n_flags) return fs->flags[i].field;
    return fs->floor_area_field;
}

/* A name not yet used by another attribute of the type. */
static cc_status check_new_name(conv *c, const cc__ynode *k, const char *label,
                                const cc_facility_spec *f, size_t n_so_far)
{
    cc_status st = cc__scn_check_name(c, k, "attribute");
    if (st) return st;
    if (strcmp(k->text, "floor_area") == 0)
        return ERR(k, "%s: the name 'floor_area' is reserved for floor_area_field; choose "
                      "another name", label);
    for (size_t i = 0; i < n_so_far; i++)
        if (strcmp(cc_facility_attr_name(f, i), k->text) == 0)
            return ERR(k, "%s: '%s' is declared twice (capacities and flags share one list of "
                          "names); rename one", label, k->text);
    return CC_OK;
}

/* One entry of capacities: (name: field) or (name: {field: .., part_of: ..}); flags take
   only the first form. */
static cc_status read_attr(conv *c, const cc__ynode *k, const cc__ynode *v, const char *label,
                           int is_cap, cc_fac_attr *a)
{
    char fk[300];
    cc_snprintf(fk, sizeof fk, "%s.%s", label, k->text);
    a->pos = cc__scn_pos_of(k);
    if (!(a->name = cc_strdup(c->ctx, k->text))) return CC_ERR_NOMEM;
    cc_status st;
    if (is_cap && v && v->kind == CC__Y_MAP) {
        if ((st = cc__scn_check_keys(c, v, fk, cap_keys, N_OF(cap_keys), NULL, 0)) ||
            (st = cc__scn_opt_string(c, v, "field", fk, &a->field)) ||
            (st = cc__scn_opt_string(c, v, "part_of", fk, &a->part_of)))
            return st;
        if (!a->field)
            return ERR(v, "missing required key 'field' in %s; name the column, e.g. " CAP_EXAMPLE,
                       fk);
        return CC_OK;
    }
    if ((st = cc__scn_scalar_text(c, v, fk, is_cap ? CAP_EXAMPLE : "flags: {public: is_public}")))
        return st;
    if (!(a->field = cc_strdup(c->ctx, v->text))) return CC_ERR_NOMEM;
    return CC_OK;
}

static cc_status read_attr_map(conv *c, const cc__ynode *g, const char *label, const char *key,
                               cc_facility_spec *f, cc_fac_attr **out, size_t *n_out)
{
    const cc__ynode *m = cc__yvalue(g, key, NULL);
    if (!m || cc__yis_null(m)) return CC_OK;
    char fk[300];
    cc_snprintf(fk, sizeof fk, "%s.%s", label, key);
    int is_cap = strcmp(key, "capacities") == 0;
    cc_status st = cc__scn_need_map(c, m, fk, is_cap ? CAP_EXAMPLE : "flags: {public: is_public}");
    if (st) return st;
    size_t n = m->n / 2;
    if (!(*out = cc_calloc(c->ctx, n ? n : 1, sizeof **out))) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if ((st = check_new_name(c, m->kids[2 * i], fk, f, cc_facility_attr_count(f)))) return st;
        *n_out = i + 1; /* counted before reading, so a failed entry is freed */
        if ((st = read_attr(c, m->kids[2 * i], m->kids[2 * i + 1], fk, is_cap, &(*out)[i])))
            return st;
    }
    return CC_OK;
}

/* part_of names another declared capacity (not itself). */
static cc_status check_part_of(conv *c, const cc__ynode *g, const char *label,
                               const cc_facility_spec *f)
{
    const cc__ynode *m = cc__yvalue(g, "capacities", NULL);
    for (size_t i = 0; i < f->n_capacities; i++) {
        const cc_fac_attr *a = &f->capacities[i];
        if (!a->part_of) continue;
        size_t j = 0;
        while (j < f->n_capacities && strcmp(f->capacities[j].name, a->part_of) != 0)
            j++;
        if (j < f->n_capacities && j != i) continue;
        const cc__ynode *at = cc__yvalue(m->kids[2 * i + 1], "part_of", NULL);
        return ERR(at,
                   "%s.capacities.%s: part_of names '%s', which is not another capacity of the "
                   "type; declare it under capacities or remove part_of",
                   label, a->name, a->part_of);
    }
    return CC_OK;
}

cc_status cc__scn_read_fac_attrs(conv *c, const cc__ynode *g, const char *label,
                                 cc_facility_spec *f)
{
    cc_status st;
    if ((st = read_attr_map(c, g, label, "capacities", f, &f->capacities, &f->n_capacities)) ||
        (st = read_attr_map(c, g, label, "flags", f, &f->flags, &f->n_flags)) ||
        (st = check_part_of(c, g, label, f)) ||
        (st = cc__scn_opt_string(c, g, "floor_area_field", label, &f->floor_area_field)) ||
        (st = cc__scn_opt_string(c, g, "condition", label, &f->where_text)))
        return st;
    if (!f->where_text) return CC_OK;
    const cc__ynode *w = cc__yvalue(g, "condition", NULL);
    f->where_pos = cc__scn_pos_of(w);
    size_t na = cc_facility_attr_count(f);
    const char *names[256];
    if (na > N_OF(names)) na = N_OF(names);
    for (size_t i = 0; i < na; i++)
        names[i] = cc_facility_attr_name(f, i);
    char err[400];
    st = cc_where_parse(c->ctx, f->where_text, names, na, &f->where, err, sizeof err);
    if (st == CC_ERR_SCENARIO) return ERR(w, "%s.condition: %s", label, err);
    return st;
}

static void free_attrs(cc_fac_attr *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cc_free(a[i].name);
        cc_free(a[i].field);
        cc_free(a[i].part_of);
    }
    cc_free(a);
}

void cc__scn_free_fac_attrs(cc_facility_spec *f)
{
    free_attrs(f->capacities, f->n_capacities);
    free_attrs(f->flags, f->n_flags);
    cc_free(f->floor_area_field);
    cc_free(f->where_text);
    cc_where_free(&f->where);
}
