/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser: the network (mode, speeds, profile classes), demand, facilities and
 * districts sections.
 */
#include "scenario_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const network_keys[] = {
    "mode",        "speed_kmh",    "snap_tolerance_m", "max_snap_m", "demand_max_snap_m",
    "class_field", "oneway_field", "profile"};
static const char *const profile_keys[] = {"speed_kmh", "classes", "default", "oneway"};
static const char *const class_rule_keys[] = {"speed_kmh", "factor"};
static const char *const oneway_policies[] = {"ignore", "respect"};
static const char *const demand_keys[] = {"label",  "count_field", "scale",      "buildings",
                                          "cell_m", "basis",       "counterpart"};
static const char *const demand_bases[] = {"resident", "registered"};
static const char *const facility_keys[] = {"label",         "capacity_field",    "serves",
                                            "threshold_min", "speed_kmh",         "radius_m",
                                            "mode",          "capacity_per_1000", "decay",
                                            "capacities",    "flags",             "floor_area_field",
                                            "condition"};
static const char *const district_keys[] = {"level"};
static const char *const levels[] = {"city", "county", "street", "community"};
static const char *const decays[] = {"none", "e2sfca", "gaussian"};

/* ---------------------------------------------------------------- blocks */

/* A YAML 1.1 boolean word: 1 yes, 0 no, -1 neither. */
static int yes_no(const cc__ynode *v)
{
    if (!v || v->kind != CC__Y_SCALAR || strlen(v->text) != v->len) return -1;
    if (!strcasecmp(v->text, "yes") || !strcasecmp(v->text, "true")) return 1;
    if (!strcasecmp(v->text, "no") || !strcasecmp(v->text, "false")) return 0;
    return -1;
}

/* One entry of network.profile.classes: yes, no, or {speed_kmh: .., factor: ..}. */
static cc_status read_class_rule(conv *c, const cc__ynode *k, const cc__ynode *v, cc_class_spec *cs)
{
    char lb[300], d[64];
    cc_snprintf(lb, sizeof lb, "network.profile.classes.%s", k->text);
    cs->pos = cc__scn_pos_of(k);
    cs->factor = 1;
    if (k->len == 0 || strlen(k->text) != k->len)
        return ERR(k, "network.profile.classes has an empty class name or one with a NUL "
                      "character; use the class value as it appears in the class field, e.g. "
                      "footway");
    if (!(cs->name = cc_strdup(c->ctx, k->text))) return CC_ERR_NOMEM;
    if (cc__yis_null(v))
        return ERR(k,
                   "%s has no value; write yes, no, or a mapping such as {speed_kmh: 3.5} "
                   "or {factor: 1.3}",
                   lb);
    if (v->kind == CC__Y_MAP) {
        cc_status st =
            cc__scn_check_keys(c, v, lb, class_rule_keys, N_OF(class_rule_keys), NULL, 0);
        if (st) return st;
        const cc__ynode *n;
        cs->allow = 1;
        if ((st = cc__scn_opt_number(c, v, "speed_kmh", lb, "speed_kmh: 3.5", &cs->speed_kmh, &n)))
            return st;
        if (n && (st = cc__scn_check_range(c, n, lb, "speed_kmh", cs->speed_kmh, CC__SPEED_MIN_KMH,
                                           0, CC__SPEED_MAX_KMH, "km/h",
                                           "; remove the key to keep the mode's speed")))
            return st;
        if ((st = cc__scn_opt_number(c, v, "factor", lb, "factor: 1.3", &cs->factor, &n)))
            return st;
        if (n && (st = cc__scn_check_range(c, n, lb, "factor", cs->factor, CC__CLASS_FACTOR_MIN, 0,
                                           CC__CLASS_FACTOR_MAX, "",
                                           "(it multiplies the travel time; 1 = unchanged)")))
            return st;
        return CC_OK;
    }
    int yn = yes_no(v);
    if (yn < 0)
        return ERR(v,
                   "%s must be yes, no or a mapping such as {speed_kmh: 3.5} or {factor: "
                   "1.3}, not %s",
                   lb, cc__ydescribe(v, d, sizeof d));
    cs->allow = yn;
    return CC_OK;
}

/* network.profile: a user-defined profile on top of network.mode; runs after speed_kmh. */
static cc_status read_profile(conv *c, const cc__ynode *nwmap, const cc__ynode *speed_node)
{
    cc_network_spec *nw = &c->sc->network;
    cc_profile_spec *ps = &nw->profile;
    const char *lb = "network.profile";
    const cc__ynode *v = cc__yvalue(nwmap, "profile", NULL);
    if (!v) return CC_OK;
    cc_status st;
    if ((st = cc__scn_need_map(c, v, lb,
                               "profile: {classes: {steps: no, primary: {factor: 1.3}}}")) ||
        (st = cc__scn_check_keys(c, v, lb, profile_keys, N_OF(profile_keys), NULL, 0)))
        return st;
    ps->present = 1;
    ps->pos = cc__scn_pos_of(v);
    char d[64], xs[40], ys[40];

    /* speed_kmh: the same speed as network.speed_kmh; given in both places they must agree. */
    double sp = 0;
    const cc__ynode *n;
    if ((st = cc__scn_opt_number(c, v, "speed_kmh", lb, "speed_kmh: 2.5", &sp, &n))) return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "speed_kmh", sp, CC__SPEED_MIN_KMH, 0,
                                       CC__SPEED_MAX_KMH, "km/h",
                                       "; remove the key to use the mode's speed")))
        return st;
    if (n && speed_node && nw->speed_kmh > 0 && sp != nw->speed_kmh)
        return ERR(n,
                   "network.profile.speed_kmh is %s but network.speed_kmh is %s; give the "
                   "base speed once, in either key",
                   cc__scn_fmt_num(xs, sp), cc__scn_fmt_num(ys, nw->speed_kmh));
    if (n) nw->speed_kmh = sp;

    const cc__ynode *dv = cc__yvalue(v, "default", NULL);
    if (dv) {
        int yn = yes_no(dv);
        if (yn < 0)
            return ERR(dv,
                       "network.profile.default must be yes (classes not listed: as the mode "
                       "decides) or no (classes not listed are not used), not %s",
                       cc__ydescribe(dv, d, sizeof d));
        ps->forbid_unlisted = !yn;
    }

    const cc__ynode *ov = cc__yvalue(v, "oneway", NULL);
    if (ov) {
        if ((st = cc__scn_scalar_text(c, ov, "network.profile.oneway", "oneway: respect")))
            return st;
        size_t i;
        for (i = 0; i < N_OF(oneway_policies); i++)
            if (strcmp(ov->text, oneway_policies[i]) == 0) break;
        if (i == N_OF(oneway_policies)) {
            const char *s = cc__suggest(ov->text, oneway_policies, N_OF(oneway_policies));
            if (s)
                return ERR(ov,
                           "network.profile.oneway %s is not ignore or respect; did you mean "
                           "'%s'?",
                           cc__ydescribe(ov, d, sizeof d), s);
            return ERR(ov,
                       "network.profile.oneway %s is not ignore or respect; remove the key to "
                       "keep the mode's rule",
                       cc__ydescribe(ov, d, sizeof d));
        }
        ps->oneway = (int)i + 1;
    }

    const cc__ynode *cv = cc__yvalue(v, "classes", NULL);
    if (!cv) return CC_OK;
    if ((st = cc__scn_need_map(c, cv, "network.profile.classes",
                               "classes: {steps: no, footway: {speed_kmh: 3.5}}")))
        return st;
    size_t nc = cv->n / 2;
    if (!nc) return CC_OK;
    if (!(ps->classes = cc_calloc(c->ctx, nc, sizeof *ps->classes))) return CC_ERR_NOMEM;
    ps->n_classes = nc; /* zeroed entries free safely if we stop early */
    for (size_t i = 0; i < nc; i++)
        if ((st = read_class_rule(c, cv->kids[2 * i], cv->kids[2 * i + 1], &ps->classes[i])))
            return st;
    return CC_OK;
}

cc_status cc__scn_read_network(conv *c, const cc__ynode *root)
{
    cc_network_spec *nw = &c->sc->network;
    cc_status st;
    /* Defaults hold even without a network, so later stages can read them. */
    nw->max_snap_m = 250;
    nw->demand_max_snap_m = CC__DEMAND_MAX_SNAP_M;
    const cc__ynode *v = cc__yvalue(root, "network", NULL);
    if (v) {
        const char *lb = "network";
        if ((st = cc__scn_need_map(c, v, lb, "network: {source: roads.osm.pbf, mode: walk}")) ||
            (st = cc__scn_check_keys(c, v, lb, cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                     network_keys, N_OF(network_keys))) ||
            (st = cc__scn_read_layer(c, v, lb, &nw->src)))
            return st;
        nw->present = 1;
        nw->pos = cc__scn_pos_of(v);
        const cc__ynode *m = cc__yvalue(v, "mode", NULL);
        if (m && (st = cc__scn_check_mode(c, m, lb, &nw->mode))) return st;
        const cc__ynode *n;
        if ((st = cc__scn_opt_number(c, v, "speed_kmh", lb, "speed_kmh: 4.5", &nw->speed_kmh, &n)))
            return st;
        if (n && (st = cc__scn_check_zero_or_range(c, n, lb, "speed_kmh", nw->speed_kmh,
                                                   CC__SPEED_MIN_KMH, CC__SPEED_MAX_KMH, "km/h",
                                                   " (0 = the mode's default speed)")))
            return st;
        if ((st = read_profile(c, v, n))) return st;
        if ((st = cc__scn_opt_number(c, v, "snap_tolerance_m", lb, "snap_tolerance_m: 1",
                                     &nw->snap_tolerance_m, &n)))
            return st;
        if (n &&
            (st = cc__scn_check_range(c, n, lb, "snap_tolerance_m", nw->snap_tolerance_m, 0, 0,
                                      CC__SNAP_TOL_MAX_M, "m", " (0 = join only shared vertices)")))
            return st;
        if ((st = cc__scn_opt_number(c, v, "max_snap_m", lb, "max_snap_m: 250", &nw->max_snap_m,
                                     &n)))
            return st;
        if (n && (st = cc__scn_check_range(c, n, lb, "max_snap_m", nw->max_snap_m, 1, 0,
                                           CC__MAX_SNAP_MAX_M, "m", NULL)))
            return st;
        if ((st = cc__scn_opt_number(c, v, "demand_max_snap_m", lb, "demand_max_snap_m: 500",
                                     &nw->demand_max_snap_m, &n)))
            return st;
        if (n && (st = cc__scn_check_range(c, n, lb, "demand_max_snap_m", nw->demand_max_snap_m, 0,
                                           1, 1e7, "m", NULL)))
            return st;
        if ((st = cc__scn_opt_string(c, v, "class_field", lb, &nw->class_field)) ||
            (st = cc__scn_opt_string(c, v, "oneway_field", lb, &nw->oneway_field)))
            return st;
    }
    if ((st = cc__scn_set_default(c, &nw->mode, "walk")) ||
        (st = cc__scn_set_default(c, &nw->class_field, "highway")) ||
        (st = cc__scn_set_default(c, &nw->oneway_field, "oneway")))
        return st;
    return CC_OK;
}

/* counterpart: another demand group, on the other basis (docs/scenario.md). */
static cc_status demand_counterparts(conv *c, const cc__ynode *v)
{
    const cc_scenario *sc = c->sc;
    for (size_t i = 0; i < sc->n_demand; i++) {
        const cc_demand_spec *d = &sc->demand[i];
        if (!d->counterpart) continue;
        const cc__ynode *at = cc__yvalue(v->kids[2 * i + 1], "counterpart", NULL);
        const cc_demand_spec *o = cc_scenario_demand(sc, d->counterpart);
        if (!o || o == d)
            return ERR(at,
                       "demand.%s.counterpart '%s' is no other demand group; name the group "
                       "that counts the same people on the other basis, e.g. counterpart: "
                       "elderly",
                       d->name, d->counterpart);
        if (!d->basis || !o->basis || strcmp(d->basis, o->basis) == 0)
            return ERR(at,
                       "demand.%s.counterpart '%s': the two groups need different bases; give "
                       "one basis: resident and the other basis: registered",
                       d->name, d->counterpart);
    }
    return CC_OK;
}

cc_status cc__scn_read_demand(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = cc__yvalue(root, "demand", NULL);
    if (!v)
        return ERR(root, "missing required key 'demand' at the top level; add the population "
                         "groups, e.g. demand: {elderly: {source: pop60plus.tif}}");
    cc_status st = cc__scn_need_map(c, v, "demand", "demand: {elderly: {source: pop60plus.tif}}");
    if (st) return st;
    if (v->n == 0)
        return ERR(v, "demand has no groups; add at least one, e.g. demand: {elderly: {source: "
                      "pop60plus.tif}}");
    size_t n = v->n / 2;
    c->sc->demand = cc_calloc(c->ctx, n, sizeof *c->sc->demand);
    if (!c->sc->demand) return CC_ERR_NOMEM;
    c->sc->n_demand = n; /* zeroed entries free safely if we stop early */
    for (size_t i = 0; i < n; i++) {
        const cc__ynode *k = v->kids[2 * i], *g = v->kids[2 * i + 1];
        cc_demand_spec *d = &c->sc->demand[i];
        char lb[300], ex[300];
        cc_snprintf(lb, sizeof lb, "demand.%s", k->text);
        cc_snprintf(ex, sizeof ex, "%.100s: {source: pop.tif}", k->text);
        if ((st = cc__scn_check_name(c, k, "demand group")) ||
            (st = cc__scn_need_map(c, g, lb, ex)) ||
            (st = cc__scn_check_keys(c, g, lb, cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                     demand_keys, N_OF(demand_keys))))
            return st;
        if (!(d->name = cc_strdup(c->ctx, k->text))) return CC_ERR_NOMEM;
        d->pos = cc__scn_pos_of(g);
        if ((st = cc__scn_read_layer(c, g, lb, &d->src)) ||
            (st = cc__scn_opt_string(c, g, "label", lb, &d->label)) ||
            (st = cc__scn_set_label(c, &d->label, d->name)) ||
            (st = cc__scn_opt_string(c, g, "count_field", lb, &d->count_field)) ||
            (cc__yvalue(g, "basis", NULL) &&
             (st = cc__scn_opt_choice(c, g, "basis", lb, demand_bases, N_OF(demand_bases),
                                      "resident", &d->basis))) ||
            (st = cc__scn_opt_string(c, g, "counterpart", lb, &d->counterpart)))
            return st;
        d->scale = 1;
        const cc__ynode *sn;
        if ((st = cc__scn_opt_number(c, g, "scale", lb, "scale: 1.3", &d->scale, &sn))) return st;
        if (sn && (st = cc__scn_check_range(c, sn, lb, "scale", d->scale, CC__SCALE_MIN, 0,
                                            CC__SCALE_MAX, "",
                                            "(it multiplies the counts: 1 = as they are, 1.3 = 30% "
                                            "more)")))
            return st;
        d->cell_m = 100;
        if ((st = cc__scn_opt_number(c, g, "cell_m", lb, "cell_m: 100", &d->cell_m, &sn)))
            return st;
        if (sn && (st = cc__scn_check_range(c, sn, lb, "cell_m", d->cell_m, 1, 0, 100000, "m", "")))
            return st;
        const cc__ynode *bv = cc__yvalue(g, "buildings", NULL);
        if (bv && !cc__yis_null(bv)) {
            char bl[330];
            cc_snprintf(bl, sizeof bl, "%s.buildings", lb);
            if ((st = cc__scn_need_map(c, bv, bl, "buildings: {source: buildings.gpkg}")) ||
                (st = cc__scn_check_keys(c, bv, bl, cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                         NULL, 0)) ||
                (st = cc__scn_read_layer(c, bv, bl, &d->buildings)))
                return st;
        }
    }
    return demand_counterparts(c, v);
}

static cc_status add_serves(conv *c, cc_facility_spec *f, const cc__ynode *v, const char *lb)
{
    char fk[300];
    cc__scn_full_key(fk, sizeof fk, lb, "serves");
    cc_status st = cc__scn_scalar_text(c, v, fk, "serves: elderly");
    if (st) return st;
    const char *names[64];
    size_t nn = 0;
    for (size_t i = 0; i < c->sc->n_demand && nn < N_OF(names); i++)
        names[nn++] = c->sc->demand[i].name;
    if (!cc_scenario_demand(c->sc, v->text)) {
        char list[512], d[64];
        const char *s = cc__suggest(v->text, names, nn);
        cc__ydescribe(v, d, sizeof d);
        if (s) return ERR(v, "%s: %s is not a demand group; did you mean '%s'?", fk, d, s);
        return ERR(v, "%s: %s is not a demand group; use one of: %s", fk, d,
                   cc__yjoin(list, sizeof list, names, nn));
    }
    for (size_t i = 0; i < f->n_serves; i++)
        if (strcmp(f->serves[i], v->text) == 0)
            return ERR(v, "%s lists '%s' twice; remove one", fk, v->text);
    if (!(f->serves[f->n_serves] = cc_strdup(c->ctx, v->text))) return CC_ERR_NOMEM;
    f->n_serves++;
    return CC_OK;
}

static cc_status read_facility(conv *c, const cc__ynode *k, const cc__ynode *g, cc_facility_spec *f)
{
    char lb[300], ex[300];
    cc_snprintf(lb, sizeof lb, "facilities.%s", k->text);
    cc_snprintf(ex, sizeof ex, "%.100s: {source: sites.geojson, serves: elderly}", k->text);
    cc_status st;
    if ((st = cc__scn_check_name(c, k, "facility type")) || (st = cc__scn_need_map(c, g, lb, ex)) ||
        (st = cc__scn_check_keys(c, g, lb, cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                 facility_keys, N_OF(facility_keys))))
        return st;
    if ((st = cc__scn_opt_choice(c, g, "decay", lb, decays, N_OF(decays), "none", &f->decay)))
        return st;
    if (!(f->name = cc_strdup(c->ctx, k->text))) return CC_ERR_NOMEM;
    f->pos = cc__scn_pos_of(g);
    /* No source: a greenfield type (no facility yet), allowed only for the type that siting:
       places (check_greenfield). */
    if (cc__yvalue(g, "source", NULL) && (st = cc__scn_read_layer(c, g, lb, &f->src))) return st;
    if (!cc__yvalue(g, "source", NULL)) f->src.pos = cc__scn_pos_of(g);
    if ((st = cc__scn_opt_string(c, g, "label", lb, &f->label)) ||
        (st = cc__scn_set_label(c, &f->label, f->name)) ||
        (st = cc__scn_opt_string(c, g, "capacity_field", lb, &f->capacity_field)))
        return st;

    const cc__ynode *sv = cc__yvalue(g, "serves", NULL);
    if (!sv)
        return ERR(g,
                   "missing required key 'serves' in %s; name the demand group(s) it serves, "
                   "e.g. serves: %s",
                   lb, c->sc->demand[0].name);
    if (sv->kind == CC__Y_MAP) {
        char d[64];
        return ERR(sv,
                   "%s.serves must be a group name or a list of names, not %s; write e.g. "
                   "serves: [%s]",
                   lb, cc__ydescribe(sv, d, sizeof d), c->sc->demand[0].name);
    }
    size_t ns = sv->kind == CC__Y_SEQ ? sv->n : 1;
    if (ns == 0)
        return ERR(sv,
                   "%s.serves is an empty list; name at least one demand group, e.g. "
                   "serves: [%s]",
                   lb, c->sc->demand[0].name);
    if (!(f->serves = cc_calloc(c->ctx, ns, sizeof *f->serves))) return CC_ERR_NOMEM;
    for (size_t i = 0; i < ns; i++)
        if ((st = add_serves(c, f, sv->kind == CC__Y_SEQ ? sv->kids[i] : sv, lb))) return st;

    const cc__ynode *n;
    char fk[300];
    f->threshold_min = 15;
    if ((st = cc__scn_opt_number(c, g, "threshold_min", lb, "threshold_min: 15", &f->threshold_min,
                                 &n)))
        return st;
    if (n && (st = cc__scn_check_threshold(
                  c, n, cc__scn_full_key(fk, sizeof fk, lb, "threshold_min"), f->threshold_min)))
        return st;
    if ((st = cc__scn_opt_number(c, g, "speed_kmh", lb, "speed_kmh: 3.6", &f->speed_kmh, &n)))
        return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "speed_kmh", f->speed_kmh, CC__SPEED_MIN_KMH, 0,
                                       CC__SPEED_MAX_KMH, "km/h",
                                       "; remove the key to use the network's speed")))
        return st;
    if ((st = cc__scn_opt_number(c, g, "radius_m", lb, "radius_m: 1000", &f->radius_m, &n)))
        return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "radius_m", f->radius_m, CC__RADIUS_MIN_M, 0,
                                       CC__RADIUS_MAX_M, "m",
                                       "; remove the key to use speed x threshold")))
        return st;
    const cc__ynode *m = cc__yvalue(g, "mode", NULL);
    if (m && (st = cc__scn_check_mode(c, m, lb, &f->mode))) return st;
    if ((st = cc__scn_opt_number(c, g, "capacity_per_1000", lb, "capacity_per_1000: 60",
                                 &f->capacity_per_1000, &n)))
        return st;
    if (n &&
        (st = cc__scn_check_zero_or_range(c, n, lb, "capacity_per_1000", f->capacity_per_1000,
                                          CC__SMALLEST_POSITIVE, 1000000, "per 1000 people",
                                          "; it is the capacity needed per 1000 served people")))
        return st;
    return cc__scn_read_fac_attrs(c, g, lb, f);
}

cc_status cc__scn_read_facilities(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = cc__yvalue(root, "facilities", NULL);
    if (!v)
        return ERR(root, "missing required key 'facilities' at the top level; add the service "
                         "types, e.g. facilities: {day_care: {source: sites.geojson, serves: "
                         "elderly}}");
    cc_status st = cc__scn_need_map(
        c, v, "facilities", "facilities: {day_care: {source: sites.geojson, serves: elderly}}");
    if (st) return st;
    if (v->n == 0)
        return ERR(v, "facilities has no types; add at least one, e.g. facilities: {day_care: "
                      "{source: sites.geojson, serves: elderly}}");
    size_t n = v->n / 2;
    c->sc->facilities = cc_calloc(c->ctx, n, sizeof *c->sc->facilities);
    if (!c->sc->facilities) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const cc__ynode *g = v->kids[2 * i + 1];
        /* --set facilities.X=null leaves type X out (a null written in the file is an error) */
        if (g->set_index > 0 && cc__yis_null(g)) continue;
        c->sc->n_facilities++;
        if ((st = read_facility(c, v->kids[2 * i], g,
                                &c->sc->facilities[c->sc->n_facilities - 1])))
            return st;
    }
    if (c->sc->n_facilities == 0)
        return ERR(v, "facilities has no types left after the overrides; keep at least one");
    return CC_OK;
}

cc_status cc__scn_read_districts(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = cc__yvalue(root, "districts", NULL);
    if (!v) return CC_OK;
    cc_district_spec *ds = &c->sc->districts;
    cc_status st;
    if ((st = cc__scn_need_map(c, v, "districts",
                               "districts: {source: districts.geojson, name_field: "
                               "name}")) ||
        (st = cc__scn_check_keys(c, v, "districts", cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                 district_keys, N_OF(district_keys))) ||
        (st = cc__scn_read_layer(c, v, "districts", &ds->src)) ||
        (st = cc__scn_opt_choice(c, v, "level", "districts", levels, N_OF(levels), "county",
                                 &ds->level)))
        return st;
    if (!ds->src.name_field)
        return ERR(v, "missing required key 'name_field' in districts; add the column that "
                      "holds district names, e.g. name_field: name");
    ds->present = 1;
    ds->pos = cc__scn_pos_of(v);
    return CC_OK;
}
