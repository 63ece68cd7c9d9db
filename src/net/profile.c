/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode profiles: which OSM highway classes each mode may use, in which directions and at
 * what speed, and user-defined profiles (per-class allow / speed / factor, unlisted classes,
 * one-way policy) applied on top of a built-in mode. The rules are documented in
 * docs/network.md; keep the two in step.
 */
#include "carecircle/net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MODE_WALK, MODE_WALK_ELDERLY, MODE_BIKE, MODE_DRIVE };

/* One class rule of a custom profile; kept sorted by cls for binary search. */
typedef struct crule {
    char *cls;
    int allow;
    double speed_kmh; /* 0 = as the base mode */
    double factor;    /* >= 0 after normalising: 1 when the spec said 0 */
    size_t order;     /* position in the spec (cc_profile_unused_classes reports the first) */
} crule;

struct cc_profile {
    int mode;
    double speed_kmh;
    const char *name;
    /* User-defined part (cc_profile_customize). */
    int custom;
    crule *rules; /* sorted by strcmp(cls) */
    size_t n_rules;
    int forbid_unlisted;
    cc_oneway_policy oneway;
};

static const struct {
    const char *name;
    double speed_kmh;
} modes[] = {{"walk", 4.0}, {"walk_elderly", 3.2}, {"bike", 12.0}, {"drive", 30.0}};

double cc_mode_default_speed_kmh(const char *mode)
{
    if (!mode) return 0;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strcmp(modes[i].name, mode) == 0) return modes[i].speed_kmh;
    return 0;
}

cc_status cc_profile_create(cc_ctx *ctx, const char *mode, double speed_kmh, cc_profile **out)
{
    *out = NULL;
    int m = -1;
    for (size_t i = 0; mode && i < sizeof modes / sizeof modes[0]; i++)
        if (strcmp(modes[i].name, mode) == 0) m = (int)i;
    if (m < 0)
        return cc_error(ctx, CC_ERR_INVALID,
                        "network mode '%s' is unknown; use one of walk, walk_elderly, bike, drive",
                        mode ? mode : "(null)");
    if (!(speed_kmh >= 0) || speed_kmh > 1000 || !isfinite(speed_kmh))
        return cc_error(
            ctx, CC_ERR_INVALID,
            "network speed_kmh %g is not a usable speed; give a positive number of km/h "
            "(e.g. 4.0) or leave it out",
            speed_kmh);
    cc_profile *p = cc_calloc(ctx, 1, sizeof *p);
    if (!p) return CC_ERR_NOMEM;
    p->mode = m;
    p->name = modes[m].name;
    p->speed_kmh = speed_kmh > 0 ? speed_kmh : modes[m].speed_kmh;
    *out = p;
    return CC_OK;
}

static void free_rules(crule *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        cc_free(r[i].cls);
    cc_free(r);
}

void cc_profile_destroy(cc_profile *p)
{
    if (!p) return;
    free_rules(p->rules, p->n_rules);
    cc_free(p);
}

double cc_profile_speed_kmh(const cc_profile *p)
{
    return p->speed_kmh;
}

const char *cc_profile_mode(const cc_profile *p)
{
    return p->name;
}

uint32_t cc_time_ds(double length_m, double speed_kmh, double factor)
{
    if (!(length_m > 0)) return 0;
    /* length / (speed / 3.6) seconds, times 10 for deciseconds. */
    double t = length_m * 36.0 * factor / speed_kmh;
    if (t >= 4e9) return 4000000000u;
    uint32_t ds = (uint32_t)llround(t);
    return ds ? ds : 1;
}

static int is(const char *v, const char *s)
{
    return v && strcmp(v, s) == 0;
}

static int in(const char *v, const char *const *list)
{
    if (!v) return 0;
    for (; *list; list++)
        if (strcmp(v, *list) == 0) return 1;
    return 0;
}

static const char *const walk_classes[] = {"footway",       "pedestrian",
                                           "path",          "steps",
                                           "living_street", "residential",
                                           "service",       "unclassified",
                                           "road",          "track",
                                           "tertiary",      "tertiary_link",
                                           "secondary",     "secondary_link",
                                           "primary",       "primary_link",
                                           "cycleway",      "bridleway",
                                           "corridor",      "crossing",
                                           "platform",      NULL};
static const char *const bike_classes[] = {
    "cycleway",  "path",           "track",   "living_street", "residential",
    "service",   "unclassified",   "road",    "tertiary",      "tertiary_link",
    "secondary", "secondary_link", "primary", "primary_link",  NULL};
static const char *const foot_yes[] = {"yes", "designated", "permissive", NULL};
static const char *const sidewalk_yes[] = {"both", "left", "right", "yes", "separate", NULL};

/* Drive speeds by class (km/h), typical urban values. */
static double drive_class_speed(const char *hw)
{
    static const struct {
        const char *hw;
        double kmh;
    } t[] = {{"motorway", 100}, {"motorway_link", 60}, {"trunk", 80},        {"trunk_link", 50},
             {"primary", 60},   {"primary_link", 40},  {"secondary", 50},    {"secondary_link", 40},
             {"tertiary", 40},  {"tertiary_link", 30}, {"unclassified", 30}, {"residential", 30},
             {"road", 30},      {"living_street", 10}, {"service", 15},      {"track", 15}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].hw, hw) == 0) return t[i].kmh;
    return 0;
}

/* maxspeed: "50", "50 km/h", "30 mph"; anything else (none, signals, RU:urban) -> 0. */
static double parse_maxspeed(const char *s)
{
    if (!s) return 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0) || v > 300) return 0;
    while (*end == ' ')
        end++;
    if (strncmp(end, "mph", 3) == 0) v *= 1.609344;
    return v;
}

/* "yes;no" style lists: the first value decides. */
static void first_value(const char *v, char *buf, size_t cap, const char **out)
{
    *out = v;
    if (!v) return;
    const char *semi = strchr(v, ';');
    if (!semi) return;
    size_t n = (size_t)(semi - v);
    if (n >= cap) n = cap - 1;
    memcpy(buf, v, n);
    buf[n] = '\0';
    *out = buf;
}

static int walking_mode(const cc_profile *p)
{
    return p->mode == MODE_WALK || p->mode == MODE_WALK_ELDERLY;
}

/* Directions on an allowed line when one-way tags are respected. */
static void respect_oneway(const cc_profile *p, const char *highway, const char *oneway,
                           cc_line_rule *out)
{
    out->forward = out->backward = 1;
    if (is(oneway, "yes") || is(oneway, "1") || is(oneway, "true")) {
        out->backward = 0;
    } else if (is(oneway, "-1") || is(oneway, "reverse")) {
        out->forward = 0;
    } else if (!oneway && p->mode == MODE_DRIVE &&
               (is(highway, "motorway") || is(highway, "motorway_link"))) {
        out->backward = 0; /* OSM: motorways are implied one-way */
    }
}

/* The built-in rules; tag values are already reduced to their first value. */
static void builtin_rule(const cc_profile *p, const char *highway, const char *foot,
                         const char *access, const char *sidewalk, const char *oneway,
                         const char *maxspeed, cc_line_rule *out)
{
    out->forward = out->backward = 0;
    out->speed_kmh = p->speed_kmh;
    out->factor = 1.0;
    int walking = walking_mode(p);
    int allowed;
    if (walking) {
        int foot_ok = in(foot, foot_yes);
        if (!highway)
            allowed = 1; /* non-OSM layer without a class: every mode may use it */
        else if (is(highway, "motorway") || is(highway, "motorway_link"))
            allowed = foot_ok;
        else if (is(highway, "trunk") || is(highway, "trunk_link"))
            allowed = foot_ok || in(sidewalk, sidewalk_yes);
        else
            allowed = in(highway, walk_classes) || foot_ok;
        if (is(foot, "no") || is(foot, "use_sidepath")) allowed = 0;
        if ((is(access, "no") || is(access, "private")) && !foot_ok) allowed = 0;
        if (!allowed) return;
        out->forward = out->backward = 1; /* walking ignores oneway */
        if (p->mode == MODE_WALK_ELDERLY && is(highway, "steps")) out->factor = 2.0;
        return;
    }
    if (!highway) {
        allowed = 1;
    } else if (p->mode == MODE_BIKE) {
        allowed = in(highway, bike_classes);
    } else {
        allowed = drive_class_speed(highway) > 0;
        if (allowed) out->speed_kmh = drive_class_speed(highway);
        double ms = parse_maxspeed(maxspeed);
        if (allowed && ms > 0) out->speed_kmh = ms;
    }
    if (is(access, "no") || is(access, "private")) allowed = 0;
    if (!allowed) return;
    respect_oneway(p, highway, oneway, out);
}

/* ---- User-defined profiles ---- */

static int cmp_crule(const void *a, const void *b)
{
    return strcmp(((const crule *)a)->cls, ((const crule *)b)->cls);
}

static const crule *find_rule(const cc_profile *p, const char *cls)
{
    if (!cls || !p->n_rules) return NULL;
    crule key;
    key.cls = (char *)cls;
    return bsearch(&key, p->rules, p->n_rules, sizeof *p->rules, cmp_crule);
}

/* The rule for a line's raw class value: the whole value, else its first list value. */
static const crule *line_rule(const cc_profile *p, const char *raw, const char *first)
{
    const crule *r = find_rule(p, raw);
    if (!r && first != raw) r = find_rule(p, first);
    return r;
}

/* Line-level restrictions that a class rule does not lift (docs/network.md, section 2). */
static int tags_deny(const cc_profile *p, const char *foot, const char *access)
{
    int priv = is(access, "no") || is(access, "private");
    if (!walking_mode(p)) return priv;
    if (is(foot, "no") || is(foot, "use_sidepath")) return 1;
    return priv && !in(foot, foot_yes);
}

cc_status cc_profile_customize(cc_ctx *ctx, cc_profile *p, const cc_profile_custom *spec)
{
    if (!p || !spec || (spec->n_classes && !spec->classes))
        return cc_error(ctx, CC_ERR_INVALID, "cc_profile_customize: missing argument");
    if (spec->oneway != CC_ONEWAY_MODE && spec->oneway != CC_ONEWAY_IGNORE &&
        spec->oneway != CC_ONEWAY_RESPECT)
        return cc_error(ctx, CC_ERR_INVALID,
                        "custom profile: oneway policy %d is unknown; use CC_ONEWAY_MODE, "
                        "CC_ONEWAY_IGNORE or CC_ONEWAY_RESPECT",
                        (int)spec->oneway);
    size_t n = spec->n_classes;
    for (size_t i = 0; i < n; i++) {
        const cc_class_rule *c = &spec->classes[i];
        if (!c->cls || !*c->cls)
            return cc_error(ctx, CC_ERR_INVALID,
                            "custom profile: class rule %zu has no class name; give the value "
                            "of the class field, e.g. footway",
                            i);
        if (!(c->speed_kmh >= 0) || c->speed_kmh > 1000 || !isfinite(c->speed_kmh))
            return cc_error(ctx, CC_ERR_INVALID,
                            "custom profile: class '%s' has speed %g km/h; give a positive "
                            "number of km/h (at most 1000) or 0 for the mode's speed",
                            c->cls, c->speed_kmh);
        if (!(c->factor >= 0) || c->factor > 1000 || !isfinite(c->factor))
            return cc_error(ctx, CC_ERR_INVALID,
                            "custom profile: class '%s' has time factor %g; give a positive "
                            "number (at most 1000, 1 = unchanged)",
                            c->cls, c->factor);
    }
    crule *r = cc_calloc(ctx, n ? n : 1, sizeof *r);
    if (!r) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const cc_class_rule *c = &spec->classes[i];
        if (!(r[i].cls = cc_strdup(ctx, c->cls))) {
            free_rules(r, n);
            return CC_ERR_NOMEM;
        }
        r[i].allow = c->allow != 0;
        r[i].speed_kmh = c->speed_kmh;
        r[i].factor = c->factor > 0 ? c->factor : 1.0;
        r[i].order = i;
    }
    qsort(r, n, sizeof *r, cmp_crule);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(r[i - 1].cls, r[i].cls) == 0) {
            cc_status st = cc_error(ctx, CC_ERR_INVALID,
                                    "custom profile: class '%s' is listed twice; keep one rule "
                                    "per class",
                                    r[i].cls);
            free_rules(r, n);
            return st;
        }
    }
    free_rules(p->rules, p->n_rules);
    p->rules = r;
    p->n_rules = n;
    p->forbid_unlisted = spec->forbid_unlisted != 0;
    p->oneway = spec->oneway;
    p->custom = 1;
    return CC_OK;
}

int cc_profile_is_custom(const cc_profile *p)
{
    return p && p->custom;
}

size_t cc_profile_unused_classes(const cc_profile *p, const cc_net_input *in, const char **first)
{
    size_t unused = 0, first_order = SIZE_MAX;
    if (first) *first = NULL;
    if (!p || !p->custom || !in) return 0;
    for (size_t i = 0; i < p->n_rules; i++) {
        const char *cls = p->rules[i].cls;
        int seen = 0;
        for (size_t l = 0; in->highway && l < in->n_lines && !seen; l++) {
            const char *raw = in->highway[l];
            if (!raw) continue;
            char buf[64];
            const char *fv;
            first_value(raw, buf, sizeof buf, &fv);
            seen = strcmp(raw, cls) == 0 || strcmp(fv, cls) == 0;
        }
        if (seen) continue;
        unused++;
        if (first && p->rules[i].order < first_order) {
            first_order = p->rules[i].order;
            *first = cls;
        }
    }
    return unused;
}

void cc_profile_rule(const cc_profile *p, const char *highway, const char *foot, const char *access,
                     const char *sidewalk, const char *oneway, const char *maxspeed,
                     cc_line_rule *out)
{
    char b1[64], b2[64], b3[64], b4[64];
    const char *raw = highway;
    first_value(highway, b1, sizeof b1, &highway);
    first_value(foot, b2, sizeof b2, &foot);
    first_value(access, b3, sizeof b3, &access);
    first_value(oneway, b4, sizeof b4, &oneway);
    if (highway && !*highway) highway = NULL;
    builtin_rule(p, highway, foot, access, sidewalk, oneway, maxspeed, out);
    if (!p->custom) return;

    /* A forbidden line keeps the base mode's speed and factor in *out, as the built-in
       rules leave them, so an empty customisation changes no field at all. */
    int base_ok = out->forward || out->backward;
    double speed = out->speed_kmh, factor = out->factor;
    const crule *r = line_rule(p, raw, highway);
    out->forward = out->backward = 0;
    if (!r) {
        if (p->forbid_unlisted || !base_ok) return;
    } else {
        if (!r->allow || tags_deny(p, foot, access)) return;
        if (!base_ok) {
            /* A class the base mode does not know (or excludes): its base speed, or for drive
               a numeric maxspeed. */
            speed = p->speed_kmh;
            factor = 1.0;
            double ms = p->mode == MODE_DRIVE ? parse_maxspeed(maxspeed) : 0;
            if (ms > 0) speed = ms;
        }
        if (r->speed_kmh > 0) {
            speed = r->speed_kmh;
            factor = 1.0;
        }
        factor *= r->factor;
    }
    out->speed_kmh = speed;
    out->factor = factor;
    cc_oneway_policy pol = p->oneway;
    if (pol == CC_ONEWAY_MODE) pol = walking_mode(p) ? CC_ONEWAY_IGNORE : CC_ONEWAY_RESPECT;
    if (pol == CC_ONEWAY_IGNORE)
        out->forward = out->backward = 1;
    else
        respect_oneway(p, highway, oneway, out);
}
