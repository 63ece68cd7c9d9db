/*
 * Scenario file -> cc_scenario: reads the file, parses it into the generic YAML tree, applies
 * --set overrides, then converts the final tree into plain structs with defaults and
 * validation. Every message names path:line:col (or the --set text), says what is wrong and
 * what to do; unknown keys and names suggest the nearest valid one.
 */
#include "carecircle/config.h"
#include "ytree.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CC__SCENARIO_MAX_BYTES (16u << 20)
#define CC__THRESHOLD_MAX_MIN 240.0
#define CC__SPEED_MAX_KMH 200.0
#define CC__RADIUS_MAX_M 100000.0
#define CC__SNAP_TOL_MAX_M 50.0
/* Demand farther than this from the network is off_network (docs/network.md, section 4). */
#define CC__DEMAND_MAX_SNAP_M 500.0
#define CC__CLASS_FACTOR_MAX 100.0
/* Lower ends of the plausible ranges (docs/scenario.md): a value below these is a typo or a
 * unit mix-up, and tiny values such as 4.9e-324 would print as 0 or overflow travel times. */
#define CC__THRESHOLD_MIN_MIN 1.0
#define CC__THRESHOLD_DECIMALS 3 /* outputs write threshold_min with this many decimals */
#define CC__SPEED_MIN_KMH 0.5
#define CC__CLASS_FACTOR_MIN 0.01
#define CC__RADIUS_MIN_M 1.0
#define CC__SCALE_MIN 1e-6
#define CC__SCALE_MAX 1e6
#define CC__MAX_SNAP_MAX_M 100000.0
#define CC__SMALLEST_POSITIVE 0.001 /* capacities, target_share: 0 or at least this */

static const double default_thresholds_min[] = {5, 10, 15, 20, 30};

static const char *const top_keys[] = {"name",    "working_crs", "output_dir", "thresholds_min",
                                       "network", "demand",      "facilities", "districts",
                                       "targets", "target_year", "siting",
                                       "scenarios", "outputs"};
static const char *const output_keys[] = {"catchment_polygons", "bundle", "report", "csv_bom"};
static const char *const variant_keys[] = {"name", "set", "add_facilities", "remove_facilities"};
static const char *const siting_keys[] = {"facility",   "candidates", "count",    "capacity",
                                          "target_share", "district", "spacing_m", "exact",
                                          "labels",   "matrix",   "exclude", "exact_time_limit_s",
                                          "objective"};
static const char *const siting_objectives[] = {"coverage", "p_median"};
static const char *const matrix_keys[] = {"source",    "origin_field", "destination_field",
                                          "cost_field", "unit",        "cutoff"};
static const char *const matrix_units[] = {"min", "s", "m"};
static const char *const label_langs[] = {"en", "zh"};
static const char *const layer_keys[] = {"source",  "layer",   "where",    "crs",       "encoding",
                                         "x_field", "y_field", "id_field", "name_field"};
static const char *const network_keys[] = {
    "mode",        "speed_kmh",    "snap_tolerance_m", "max_snap_m", "demand_max_snap_m",
    "class_field", "oneway_field", "profile"};
static const char *const profile_keys[] = {"speed_kmh", "classes", "default", "oneway"};
static const char *const class_rule_keys[] = {"speed_kmh", "factor"};
static const char *const oneway_policies[] = {"ignore", "respect"};
static const char *const demand_keys[] = {"label", "count_field", "scale", "buildings",
                                          "cell_m"};
static const char *const facility_keys[] = {"label",         "capacity_field",    "serves",
                                            "threshold_min", "speed_kmh",         "radius_m",
                                            "mode",          "capacity_per_1000", "decay"};
static const char *const district_keys[] = {"level"};
static const char *const levels[] = {"city", "county", "street", "community"};
static const char *const decays[] = {"none", "e2sfca", "gaussian"};
static const char *const modes[] = {"walk", "walk_elderly", "bike", "drive"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct conv {
    cc_ctx *ctx;
    cc__yorigin org;
    cc_scenario *sc;
    int is_variant; /* parsing a variant: `scenarios:` is not read again */
} conv;

#define ERR(node, ...) cc__yerror(c->ctx, CC_ERR_SCENARIO, &c->org, (node), __VA_ARGS__)

static cc_srcpos pos_of(const cc__ynode *n)
{
    cc_srcpos p = {0, 0, 0};
    if (n) {
        p.line = n->line;
        p.col = n->col;
        p.set_index = n->set_index;
    }
    return p;
}

/* "label.key" (or "key" at the top level) for messages. */
static const char *full_key(char *buf, size_t cap, const char *label, const char *key)
{
    cc_snprintf(buf, cap, "%s%s%s", label, label[0] ? "." : "", key);
    return buf;
}

static const char *fmt_num(char *buf, double v)
{
    /* Tiny and huge values in exponent form: 4.9e-324 must not read as "0". */
    if (v != 0 && isfinite(v) && (fabs(v) < 0.001 || fabs(v) >= 1e12))
        cc_snprintf(buf, 40, "%g", v);
    else
        cc_fmt_double(buf, 40, v, 3);
    return buf;
}

/* "a, b, c" into buf. */
static const char *join_names(char *buf, size_t cap, const char *const *names, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        int w = cc_snprintf(buf + k, cap - k, "%s%s", i ? ", " : "", names[i]);
        if (w < 0) break;
        k += (size_t)w;
    }
    return buf;
}

/* ---------------------------------------------------------------- key checks and getters */

static cc_status check_keys(conv *c, const cc__ynode *map, const char *label, const char *const *k1,
                            size_t n1, const char *const *k2, size_t n2)
{
    const char *all[32];
    size_t n = 0;
    for (size_t i = 0; i < n1 && n < N_OF(all); i++)
        all[n++] = k1[i];
    for (size_t i = 0; i < n2 && n < N_OF(all); i++)
        all[n++] = k2[i];
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const cc__ynode *k = map->kids[i];
        int known = 0;
        for (size_t j = 0; j < n && !known; j++)
            known = strcmp(k->text, all[j]) == 0;
        if (known) continue;
        char where[300];
        if (label[0])
            cc_snprintf(where, sizeof where, "in %s", label);
        else
            cc_snprintf(where, sizeof where, "at the top level");
        const char *s = cc__suggest(k->text, all, n);
        if (s) return ERR(k, "unknown key '%s' %s; did you mean '%s'?", k->text, where, s);
        char list[512];
        return ERR(k, "unknown key '%s' %s; valid keys are: %s", k->text, where,
                   join_names(list, sizeof list, all, n));
    }
    return CC_OK;
}

/* The value of key unless absent or null; *keynode receives the key when present. */
static const cc__ynode *get(const cc__ynode *map, const char *key, const cc__ynode **keynode)
{
    cc__ynode *k = NULL;
    const cc__ynode *v = cc__yget(map, key, &k);
    if (keynode) *keynode = k;
    return cc__yis_null(v) ? NULL : v;
}

/* A scalar as text; lists, mappings and embedded NULs are errors. */
static cc_status scalar_text(conv *c, const cc__ynode *v, const char *fk, const char *example)
{
    char d[64];
    if (v->kind != CC__Y_SCALAR)
        return ERR(v, "%s must be a single text value, not %s; write it like %s", fk,
                   cc__ydescribe(v, d, sizeof d), example);
    if (strlen(v->text) != v->len)
        return ERR(v, "%s contains a NUL character; remove the \\0 escape", fk);
    return CC_OK;
}

/* Optional text: *out keeps its value (default or NULL) when the key is absent or null. */
static cc_status opt_string(conv *c, const cc__ynode *map, const char *key, const char *label,
                            char **out)
{
    const cc__ynode *v = get(map, key, NULL);
    if (!v) return CC_OK;
    char fk[300], ex[300];
    full_key(fk, sizeof fk, label, key);
    cc_snprintf(ex, sizeof ex, "%s: some_value", key);
    cc_status st = scalar_text(c, v, fk, ex);
    if (st) return st;
    char *s = cc_strdup(c->ctx, v->text);
    if (!s) return CC_ERR_NOMEM;
    cc_free(*out);
    *out = s;
    return CC_OK;
}

static cc_status set_default(conv *c, char **field, const char *value)
{
    if (*field) return CC_OK;
    *field = cc_strdup(c->ctx, value);
    return *field ? CC_OK : CC_ERR_NOMEM;
}

/* A display label: an empty one (label: "") reads as absent, so outputs show the name. */
static cc_status set_label(conv *c, char **field, const char *name)
{
    if (*field && !**field) {
        cc_free(*field);
        *field = NULL;
    }
    return set_default(c, field, name);
}

/* A number (plain or quoted) that must be finite. */
static cc_status node_number(conv *c, const cc__ynode *v, const char *fk, const char *example,
                             double *out)
{
    char d[64];
    double x;
    if (v->kind != CC__Y_SCALAR || strlen(v->text) != v->len || cc_parse_double(v->text, &x))
        return ERR(v, "%s must be a number, not %s; write it like %s", fk,
                   cc__ydescribe(v, d, sizeof d), example);
    if (!isfinite(x))
        return ERR(v, "%s must be a finite number, not %s; write it like %s", fk,
                   cc__ydescribe(v, d, sizeof d), example);
    *out = x;
    return CC_OK;
}

/* Optional number; *node_out is the value node when given (NULL otherwise). */
static cc_status opt_number(conv *c, const cc__ynode *map, const char *key, const char *label,
                            const char *example, double *out, const cc__ynode **node_out)
{
    const cc__ynode *v = get(map, key, NULL);
    *node_out = v;
    if (!v) return CC_OK;
    char fk[300];
    return node_number(c, v, full_key(fk, sizeof fk, label, key), example, out);
}

/* " unit note" after a range's upper end: one space before the unit, none before a note that
 * starts with ';', one before any other note. */
static const char *range_tail(char *buf, size_t cap, const char *unit, const char *note)
{
    while (note && *note == ' ')
        note++;
    cc_snprintf(buf, cap, "%s%s%s%s", unit && *unit ? " " : "", unit ? unit : "",
                note && *note && *note != ';' ? " " : "", note ? note : "");
    return buf;
}

/* lo < x <= hi (lo_open) or lo <= x <= hi. */
static cc_status check_range(conv *c, const cc__ynode *v, const char *label, const char *key,
                             double x, double lo, int lo_open, double hi, const char *unit,
                             const char *note)
{
    if ((lo_open ? x > lo : x >= lo) && x <= hi) return CC_OK;
    char fk[300], a[40], b[40], xs[40], tail[300];
    full_key(fk, sizeof fk, label, key);
    return ERR(v, "%s is %s; it must be %s %s and at most %s%s", fk, fmt_num(xs, x),
               lo_open ? "greater than" : "at least", fmt_num(a, lo), fmt_num(b, hi),
               range_tail(tail, sizeof tail, unit, note));
}

/* 0, or lo <= x <= hi: for values where 0 means "none" or "unlimited" and a tiny positive
 * value is a typo that would print as 0. */
static cc_status check_zero_or_range(conv *c, const cc__ynode *v, const char *label,
                                     const char *key, double x, double lo, double hi,
                                     const char *unit, const char *note)
{
    if (x == 0 || (x >= lo && x <= hi)) return CC_OK;
    char fk[300], a[40], b[40], xs[40], tail[300];
    full_key(fk, sizeof fk, label, key);
    return ERR(v, "%s is %s; it must be 0 or between %s and %s%s", fk, fmt_num(xs, x),
               fmt_num(a, lo), fmt_num(b, hi), range_tail(tail, sizeof tail, unit, note));
}

/* "a week", "3 days", "5 hours" for a threshold that is too long. */
static void human_minutes(double v, char *buf, size_t cap)
{
    if (v < 1e9 && v == floor(v)) {
        long m = (long)v;
        if (m % 10080 == 0) {
            if (m == 10080)
                cc_snprintf(buf, cap, "a week");
            else
                cc_snprintf(buf, cap, "%ld weeks", m / 10080);
            return;
        }
        if (m % 1440 == 0) {
            if (m == 1440)
                cc_snprintf(buf, cap, "a day");
            else
                cc_snprintf(buf, cap, "%ld days", m / 1440);
            return;
        }
        if (m % 60 == 0) {
            cc_snprintf(buf, cap, "%ld hours", m / 60);
            return;
        }
    }
    char h[40];
    cc_fmt_double(h, sizeof h, v / 60.0, 1);
    cc_snprintf(buf, cap, "about %s hours", h);
}

static cc_status check_threshold(conv *c, const cc__ynode *v, const char *fk, double x)
{
    char xs[40];
    if (!(x > 0))
        return ERR(v, "%s is %s; a threshold must be more than 0 minutes, e.g. 15", fk,
                   fmt_num(xs, x));
    if (x < CC__THRESHOLD_MIN_MIN)
        return ERR(v,
                   "%s is %s minutes; a threshold must be at least %g minute (thresholds are "
                   "minutes, not hours or seconds), e.g. 15",
                   fk, fmt_num(xs, x), CC__THRESHOLD_MIN_MIN);
    if (x > CC__THRESHOLD_MAX_MIN) {
        char h[64];
        human_minutes(x, h, sizeof h);
        return ERR(v, "%s: a threshold of %s minutes (%s) is not a service circle; use at most %d",
                   fk, fmt_num(xs, x), h, (int)CC__THRESHOLD_MAX_MIN);
    }
    /* Outputs write thresholds to 3 decimals: more would print two thresholds alike. */
    double scaled = x * 1000.0;
    if (fabs(scaled - nearbyint(scaled)) > 1e-6 * scaled) {
        char full[40];
        cc_snprintf(full, sizeof full, "%.10g", x);
        return ERR(v,
                   "%s is %s; give at most %d decimals (outputs write minutes to 0.001, so "
                   "more would print as %s), e.g. 12.5",
                   fk, full, CC__THRESHOLD_DECIMALS, fmt_num(xs, x));
    }
    return CC_OK;
}

static cc_status check_mode(conv *c, const cc__ynode *v, const char *label, char **out)
{
    char fk[300];
    full_key(fk, sizeof fk, label, "mode");
    cc_status st = scalar_text(c, v, fk, "mode: walk");
    if (st) return st;
    for (size_t i = 0; i < N_OF(modes); i++) {
        if (strcmp(v->text, modes[i]) == 0) {
            char *s = cc_strdup(c->ctx, v->text);
            if (!s) return CC_ERR_NOMEM;
            cc_free(*out);
            *out = s;
            return CC_OK;
        }
    }
    char list[128], d[64];
    join_names(list, sizeof list, modes, N_OF(modes));
    const char *s = cc__suggest(v->text, modes, N_OF(modes));
    if (s)
        return ERR(v, "%s %s is not a travel mode (%s); did you mean '%s'?", fk,
                   cc__ydescribe(v, d, sizeof d), list, s);
    return ERR(v, "%s %s is not a travel mode; use one of %s", fk, cc__ydescribe(v, d, sizeof d),
               list);
}

/* A group or type name becomes an output column (t_<name>_min): [A-Za-z_][A-Za-z0-9_]*. */
static cc_status check_name(conv *c, const cc__ynode *k, const char *what)
{
    const char *s = k->text;
    int ok =
        k->len > 0 && (s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'));
    int ascii = 1;
    for (size_t i = 0; i < k->len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80) ascii = 0;
        if (!(ch == '_' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9')))
            ok = 0;
    }
    if (ok) return CC_OK;
    char sug[96] = "";
    if (ascii && k->len < 60) {
        /* Offer the name with every other character replaced by '_'. */
        char t[64];
        size_t j = 0;
        if (s[0] >= '0' && s[0] <= '9') t[j++] = '_';
        for (size_t i = 0; i < k->len; i++) {
            char ch = s[i];
            int word = ch == '_' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                       (ch >= '0' && ch <= '9');
            t[j++] = word ? ch : '_';
        }
        t[j] = '\0';
        cc_snprintf(sug, sizeof sug, " (e.g. '%s')", t);
    }
    return ERR(k,
               "%s name '%s' cannot become an output column name; use only letters, digits and "
               "'_', not starting with a digit%s, and put the display text in label:",
               what, s, sug);
}

/* A key whose value must be one of a few words. */
static cc_status opt_choice(conv *c, const cc__ynode *map, const char *key, const char *label,
                            const char *const *choices, size_t n, const char *def, char **out)
{
    cc_status st = opt_string(c, map, key, label, out);
    if (st) return st;
    if (!*out) return set_default(c, out, def);
    for (size_t i = 0; i < n; i++)
        if (strcmp(*out, choices[i]) == 0) return CC_OK;
    char names[200], fk[300];
    const cc__ynode *v = get(map, key, NULL);
    return ERR(v, "%s '%s' is not one of %s", full_key(fk, sizeof fk, label, key), *out,
               join_names(names, sizeof names, choices, n));
}

/* ---------------------------------------------------------------- layers */

static cc_status add_source(conv *c, cc_layer_spec *ls, const cc__ynode *v, const char *fk)
{
    cc_status st = scalar_text(c, v, fk, "source: roads.gpkg");
    if (st) return st;
    if (v->len == 0 || cc__yis_null(v))
        return ERR(v, "%s is empty; give a file path relative to the scenario file", fk);
    char *path;
    if (strstr(v->text, "://")) {
        /* http://, https://, ftp://, s3:// ...: not a missing local file (docs/inputs.md). */
        return ERR(v,
                   "%s '%s' is a network address; carecircle reads local files only: download "
                   "the file first and give its local path",
                   fk, v->text);
    }
    if (strncmp(v->text, "/vsi", 4) == 0) {
        path = cc_strdup(c->ctx, v->text); /* GDAL virtual path: GDAL checks it */
        if (!path) return CC_ERR_NOMEM;
    } else {
        path = cc_path_join(c->ctx, c->sc->dir, v->text);
        if (!path) return CC_ERR_NOMEM;
        struct stat sb;
        if (stat(path, &sb) != 0) {
            st = ERR(v,
                     "file '%s' not found (looked for '%s'); check the path, which is relative "
                     "to the scenario file",
                     v->text, path);
            cc_free(path);
            return st;
        }
    }
    ls->sources[ls->n_sources++] = path;
    return CC_OK;
}

static cc_status read_sources(conv *c, const cc__ynode *map, const char *label, cc_layer_spec *ls)
{
    char fk[300];
    full_key(fk, sizeof fk, label, "source");
    const cc__ynode *v = get(map, "source", NULL);
    if (!v)
        return ERR(map,
                   "missing required key 'source' in %s; add the input file, e.g. source: "
                   "data.gpkg",
                   label);
    if (v->kind == CC__Y_MAP) {
        char d[64];
        return ERR(v,
                   "%s must be a file path or a list of paths, not %s; write e.g. source: "
                   "data.gpkg",
                   fk, cc__ydescribe(v, d, sizeof d));
    }
    size_t n = v->kind == CC__Y_SEQ ? v->n : 1;
    if (n == 0)
        return ERR(v, "%s is an empty list; give at least one file, e.g. source: [pop.tif]", fk);
    ls->sources = cc_calloc(c->ctx, n, sizeof *ls->sources);
    if (!ls->sources) return CC_ERR_NOMEM;
    if (v->kind == CC__Y_SCALAR) return add_source(c, ls, v, fk);
    for (size_t i = 0; i < n; i++) {
        char fki[330];
        cc_snprintf(fki, sizeof fki, "%.300s[%zu]", fk, i);
        cc_status st = add_source(c, ls, v->kids[i], fki);
        if (st) return st;
    }
    return CC_OK;
}

/* Layer keys of a block whose unknown keys were already checked. */
static cc_status read_layer(conv *c, const cc__ynode *map, const char *label, cc_layer_spec *ls)
{
    cc_status st;
    ls->pos = pos_of(map);
    if ((st = read_sources(c, map, label, ls))) return st;
    if ((st = opt_string(c, map, "layer", label, &ls->layer)) ||
        (st = opt_string(c, map, "where", label, &ls->where)) ||
        (st = opt_string(c, map, "crs", label, &ls->crs)) ||
        (st = opt_string(c, map, "encoding", label, &ls->encoding)) ||
        (st = opt_string(c, map, "x_field", label, &ls->x_field)) ||
        (st = opt_string(c, map, "y_field", label, &ls->y_field)) ||
        (st = opt_string(c, map, "id_field", label, &ls->id_field)) ||
        (st = opt_string(c, map, "name_field", label, &ls->name_field)))
        return st;
    const cc__ynode *kx = NULL, *ky = NULL;
    get(map, "x_field", &kx);
    get(map, "y_field", &ky);
    if (ls->x_field && !ls->y_field)
        return ERR(kx,
                   "x_field given without y_field in %s; add y_field with the latitude (or "
                   "northing) column",
                   label);
    if (ls->y_field && !ls->x_field)
        return ERR(ky,
                   "y_field given without x_field in %s; add x_field with the longitude (or "
                   "easting) column",
                   label);
    return CC_OK;
}

/* The value of a block key must be a mapping. */
static cc_status need_map(conv *c, const cc__ynode *v, const char *label, const char *example)
{
    if (v->kind == CC__Y_MAP) return CC_OK;
    char d[64];
    return ERR(v, "%s must be a mapping of keys, not %s; write it like %s", label,
               cc__ydescribe(v, d, sizeof d), example);
}

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
    cs->pos = pos_of(k);
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
        cc_status st = check_keys(c, v, lb, class_rule_keys, N_OF(class_rule_keys), NULL, 0);
        if (st) return st;
        const cc__ynode *n;
        cs->allow = 1;
        if ((st = opt_number(c, v, "speed_kmh", lb, "speed_kmh: 3.5", &cs->speed_kmh, &n)))
            return st;
        if (n && (st = check_range(c, n, lb, "speed_kmh", cs->speed_kmh, CC__SPEED_MIN_KMH, 0,
                                   CC__SPEED_MAX_KMH, "km/h",
                                   "; remove the key to keep the mode's speed")))
            return st;
        if ((st = opt_number(c, v, "factor", lb, "factor: 1.3", &cs->factor, &n))) return st;
        if (n && (st = check_range(c, n, lb, "factor", cs->factor, CC__CLASS_FACTOR_MIN, 0,
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
    const cc__ynode *v = get(nwmap, "profile", NULL);
    if (!v) return CC_OK;
    cc_status st;
    if ((st = need_map(c, v, lb, "profile: {classes: {steps: no, primary: {factor: 1.3}}}")) ||
        (st = check_keys(c, v, lb, profile_keys, N_OF(profile_keys), NULL, 0)))
        return st;
    ps->present = 1;
    ps->pos = pos_of(v);
    char d[64], xs[40], ys[40];

    /* speed_kmh: the same speed as network.speed_kmh; given in both places they must agree. */
    double sp = 0;
    const cc__ynode *n;
    if ((st = opt_number(c, v, "speed_kmh", lb, "speed_kmh: 2.5", &sp, &n))) return st;
    if (n && (st = check_range(c, n, lb, "speed_kmh", sp, CC__SPEED_MIN_KMH, 0, CC__SPEED_MAX_KMH,
                               "km/h", "; remove the key to use the mode's speed")))
        return st;
    if (n && speed_node && nw->speed_kmh > 0 && sp != nw->speed_kmh)
        return ERR(n,
                   "network.profile.speed_kmh is %s but network.speed_kmh is %s; give the "
                   "base speed once, in either key",
                   fmt_num(xs, sp), fmt_num(ys, nw->speed_kmh));
    if (n) nw->speed_kmh = sp;

    const cc__ynode *dv = get(v, "default", NULL);
    if (dv) {
        int yn = yes_no(dv);
        if (yn < 0)
            return ERR(dv,
                       "network.profile.default must be yes (classes not listed: as the mode "
                       "decides) or no (classes not listed are not used), not %s",
                       cc__ydescribe(dv, d, sizeof d));
        ps->forbid_unlisted = !yn;
    }

    const cc__ynode *ov = get(v, "oneway", NULL);
    if (ov) {
        if ((st = scalar_text(c, ov, "network.profile.oneway", "oneway: respect"))) return st;
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

    const cc__ynode *cv = get(v, "classes", NULL);
    if (!cv) return CC_OK;
    if ((st = need_map(c, cv, "network.profile.classes",
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

static cc_status read_network(conv *c, const cc__ynode *root)
{
    cc_network_spec *nw = &c->sc->network;
    cc_status st;
    /* Defaults hold even without a network, so later stages can read them. */
    nw->max_snap_m = 250;
    nw->demand_max_snap_m = CC__DEMAND_MAX_SNAP_M;
    const cc__ynode *v = get(root, "network", NULL);
    if (v) {
        const char *lb = "network";
        if ((st = need_map(c, v, lb, "network: {source: roads.osm.pbf, mode: walk}")) ||
            (st = check_keys(c, v, lb, layer_keys, N_OF(layer_keys), network_keys,
                             N_OF(network_keys))) ||
            (st = read_layer(c, v, lb, &nw->src)))
            return st;
        nw->present = 1;
        nw->pos = pos_of(v);
        const cc__ynode *m = get(v, "mode", NULL);
        if (m && (st = check_mode(c, m, lb, &nw->mode))) return st;
        const cc__ynode *n;
        if ((st = opt_number(c, v, "speed_kmh", lb, "speed_kmh: 4.5", &nw->speed_kmh, &n)))
            return st;
        if (n && (st = check_zero_or_range(c, n, lb, "speed_kmh", nw->speed_kmh, CC__SPEED_MIN_KMH,
                                           CC__SPEED_MAX_KMH, "km/h",
                                           " (0 = the mode's default speed)")))
            return st;
        if ((st = read_profile(c, v, n))) return st;
        if ((st = opt_number(c, v, "snap_tolerance_m", lb, "snap_tolerance_m: 1",
                             &nw->snap_tolerance_m, &n)))
            return st;
        if (n && (st = check_range(c, n, lb, "snap_tolerance_m", nw->snap_tolerance_m, 0, 0,
                                   CC__SNAP_TOL_MAX_M, "m", " (0 = join only shared vertices)")))
            return st;
        if ((st = opt_number(c, v, "max_snap_m", lb, "max_snap_m: 250", &nw->max_snap_m, &n)))
            return st;
        if (n && (st = check_range(c, n, lb, "max_snap_m", nw->max_snap_m, 1, 0, CC__MAX_SNAP_MAX_M,
                                   "m", NULL)))
            return st;
        if ((st = opt_number(c, v, "demand_max_snap_m", lb, "demand_max_snap_m: 500",
                             &nw->demand_max_snap_m, &n)))
            return st;
        if (n && (st = check_range(c, n, lb, "demand_max_snap_m", nw->demand_max_snap_m, 0, 1, 1e7,
                                   "m", NULL)))
            return st;
        if ((st = opt_string(c, v, "class_field", lb, &nw->class_field)) ||
            (st = opt_string(c, v, "oneway_field", lb, &nw->oneway_field)))
            return st;
    }
    if ((st = set_default(c, &nw->mode, "walk")) ||
        (st = set_default(c, &nw->class_field, "highway")) ||
        (st = set_default(c, &nw->oneway_field, "oneway")))
        return st;
    return CC_OK;
}

static cc_status read_demand(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = get(root, "demand", NULL);
    if (!v)
        return ERR(root, "missing required key 'demand' at the top level; add the population "
                         "groups, e.g. demand: {elderly: {source: pop60plus.tif}}");
    cc_status st = need_map(c, v, "demand", "demand: {elderly: {source: pop60plus.tif}}");
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
        if ((st = check_name(c, k, "demand group")) || (st = need_map(c, g, lb, ex)) ||
            (st = check_keys(c, g, lb, layer_keys, N_OF(layer_keys), demand_keys,
                             N_OF(demand_keys))))
            return st;
        if (!(d->name = cc_strdup(c->ctx, k->text))) return CC_ERR_NOMEM;
        d->pos = pos_of(g);
        if ((st = read_layer(c, g, lb, &d->src)) ||
            (st = opt_string(c, g, "label", lb, &d->label)) ||
            (st = set_label(c, &d->label, d->name)) ||
            (st = opt_string(c, g, "count_field", lb, &d->count_field)))
            return st;
        d->scale = 1;
        const cc__ynode *sn;
        if ((st = opt_number(c, g, "scale", lb, "scale: 1.3", &d->scale, &sn))) return st;
        if (sn &&
            (st = check_range(c, sn, lb, "scale", d->scale, CC__SCALE_MIN, 0, CC__SCALE_MAX, "",
                              "(it multiplies the counts: 1 = as they are, 1.3 = 30% "
                              "more)")))
            return st;
        d->cell_m = 100;
        if ((st = opt_number(c, g, "cell_m", lb, "cell_m: 100", &d->cell_m, &sn))) return st;
        if (sn && (st = check_range(c, sn, lb, "cell_m", d->cell_m, 1, 0, 100000, "m", "")))
            return st;
        const cc__ynode *bv = get(g, "buildings", NULL);
        if (bv && !cc__yis_null(bv)) {
            char bl[330];
            cc_snprintf(bl, sizeof bl, "%s.buildings", lb);
            if ((st = need_map(c, bv, bl, "buildings: {source: buildings.gpkg}")) ||
                (st = check_keys(c, bv, bl, layer_keys, N_OF(layer_keys), NULL, 0)) ||
                (st = read_layer(c, bv, bl, &d->buildings)))
                return st;
        }
    }
    return CC_OK;
}

static cc_status add_serves(conv *c, cc_facility_spec *f, const cc__ynode *v, const char *lb)
{
    char fk[300];
    full_key(fk, sizeof fk, lb, "serves");
    cc_status st = scalar_text(c, v, fk, "serves: elderly");
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
                   join_names(list, sizeof list, names, nn));
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
    if ((st = check_name(c, k, "facility type")) || (st = need_map(c, g, lb, ex)) ||
        (st = check_keys(c, g, lb, layer_keys, N_OF(layer_keys), facility_keys,
                         N_OF(facility_keys))))
        return st;
    if ((st = opt_choice(c, g, "decay", lb, decays, N_OF(decays), "none", &f->decay))) return st;
    if (!(f->name = cc_strdup(c->ctx, k->text))) return CC_ERR_NOMEM;
    f->pos = pos_of(g);
    /* No source: a greenfield type (no facility yet), allowed only for the type that siting:
       places (check_greenfield). */
    if (get(g, "source", NULL) && (st = read_layer(c, g, lb, &f->src))) return st;
    if (!get(g, "source", NULL)) f->src.pos = pos_of(g);
    if ((st = opt_string(c, g, "label", lb, &f->label)) ||
        (st = set_label(c, &f->label, f->name)) ||
        (st = opt_string(c, g, "capacity_field", lb, &f->capacity_field)))
        return st;

    const cc__ynode *sv = get(g, "serves", NULL);
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
    if ((st = opt_number(c, g, "threshold_min", lb, "threshold_min: 15", &f->threshold_min, &n)))
        return st;
    if (n && (st = check_threshold(c, n, full_key(fk, sizeof fk, lb, "threshold_min"),
                                   f->threshold_min)))
        return st;
    if ((st = opt_number(c, g, "speed_kmh", lb, "speed_kmh: 3.6", &f->speed_kmh, &n))) return st;
    if (n && (st = check_range(c, n, lb, "speed_kmh", f->speed_kmh, CC__SPEED_MIN_KMH, 0,
                               CC__SPEED_MAX_KMH, "km/h",
                               "; remove the key to use the network's speed")))
        return st;
    if ((st = opt_number(c, g, "radius_m", lb, "radius_m: 1000", &f->radius_m, &n))) return st;
    if (n && (st = check_range(c, n, lb, "radius_m", f->radius_m, CC__RADIUS_MIN_M, 0,
                               CC__RADIUS_MAX_M, "m", "; remove the key to use speed x threshold")))
        return st;
    const cc__ynode *m = get(g, "mode", NULL);
    if (m && (st = check_mode(c, m, lb, &f->mode))) return st;
    if ((st = opt_number(c, g, "capacity_per_1000", lb, "capacity_per_1000: 60",
                         &f->capacity_per_1000, &n)))
        return st;
    if (n && (st = check_zero_or_range(c, n, lb, "capacity_per_1000", f->capacity_per_1000,
                                       CC__SMALLEST_POSITIVE, 1000000, "per 1000 people",
                                       "; it is the capacity needed per 1000 served people")))
        return st;
    return CC_OK;
}

static cc_status read_facilities(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = get(root, "facilities", NULL);
    if (!v)
        return ERR(root, "missing required key 'facilities' at the top level; add the service "
                         "types, e.g. facilities: {day_care: {source: sites.geojson, serves: "
                         "elderly}}");
    cc_status st = need_map(c, v, "facilities",
                            "facilities: {day_care: {source: sites.geojson, serves: elderly}}");
    if (st) return st;
    if (v->n == 0)
        return ERR(v, "facilities has no types; add at least one, e.g. facilities: {day_care: "
                      "{source: sites.geojson, serves: elderly}}");
    size_t n = v->n / 2;
    c->sc->facilities = cc_calloc(c->ctx, n, sizeof *c->sc->facilities);
    if (!c->sc->facilities) return CC_ERR_NOMEM;
    c->sc->n_facilities = n;
    for (size_t i = 0; i < n; i++)
        if ((st = read_facility(c, v->kids[2 * i], v->kids[2 * i + 1], &c->sc->facilities[i])))
            return st;
    return CC_OK;
}

static cc_status read_districts(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = get(root, "districts", NULL);
    if (!v) return CC_OK;
    cc_district_spec *ds = &c->sc->districts;
    cc_status st;
    if ((st = need_map(c, v, "districts",
                       "districts: {source: districts.geojson, name_field: "
                       "name}")) ||
        (st = check_keys(c, v, "districts", layer_keys, N_OF(layer_keys), district_keys,
                         N_OF(district_keys))) ||
        (st = read_layer(c, v, "districts", &ds->src)) ||
        (st = opt_choice(c, v, "level", "districts", levels, N_OF(levels), "county", &ds->level)))
        return st;
    if (!ds->src.name_field)
        return ERR(v, "missing required key 'name_field' in districts; add the column that "
                      "holds district names, e.g. name_field: name");
    ds->present = 1;
    ds->pos = pos_of(v);
    return CC_OK;
}

/* siting: {facility, candidates: auto | {layer keys}, count, capacity, target_share, ...} */
static void free_layer(cc_layer_spec *ls);

/* A facility type without a source has no facility yet: only siting can plan one. */
static cc_status check_greenfield(conv *c, const cc__ynode *root)
{
    const cc_scenario *sc = c->sc;
    for (size_t t = 0; t < sc->n_facilities; t++) {
        const cc_facility_spec *f = &sc->facilities[t];
        if (f->src.n_sources || (sc->siting.present && strcmp(sc->siting.facility, f->name) == 0))
            continue;
        const cc__ynode *fs = get(root, "facilities", NULL);
        return ERR(get(fs, f->name, NULL),
                   "missing required key 'source' in facilities.%s; add the input file, e.g. "
                   "source: sites.geojson (only the type that siting: places may have none, for a "
                   "greenfield plan)",
                   f->name);
    }
    return CC_OK;
}

static cc_status read_siting(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = get(root, "siting", NULL);
    if (!v || cc__yis_null(v)) return CC_OK;
    cc_siting_spec *ss = &c->sc->siting;
    cc_status st;
    const char *lb = "siting";
    if ((st = need_map(c, v, lb, "siting: {facility: day_care, candidates: auto, count: 10}")) ||
        (st = check_keys(c, v, lb, siting_keys, N_OF(siting_keys), NULL, 0)))
        return st;
    ss->pos = pos_of(v);
    if (!get(v, "facility", NULL))
        return ERR(v, "missing required key 'facility' in siting; name the facility type to "
                      "site, e.g. facility: %s",
                   c->sc->facilities[0].name);
    if ((st = opt_string(c, v, "facility", lb, &ss->facility))) return st;
    if (!cc_scenario_facility(c->sc, ss->facility)) {
        const cc__ynode *fv = get(v, "facility", NULL);
        return ERR(fv, "siting.facility '%s' is not a facility type of this scenario; use one "
                       "of the keys under facilities:, e.g. %s",
                   ss->facility, c->sc->facilities[0].name);
    }
    const cc__ynode *cv = get(v, "candidates", NULL);
    if (!cv || (cv->kind == CC__Y_SCALAR && strcmp(cv->text, "auto") == 0))
        ss->auto_candidates = 1;
    else {
        if ((st = need_map(c, cv, "siting.candidates",
                           "candidates: auto, or candidates: {source: idle_buildings.gpkg}")) ||
            (st = check_keys(c, cv, "siting.candidates", layer_keys, N_OF(layer_keys), NULL, 0)) ||
            (st = read_layer(c, cv, "siting.candidates", &ss->cand)))
            return st;
    }
    const cc__ynode *n;
    ss->count = 10;
    if ((st = opt_number(c, v, "count", lb, "count: 10", &ss->count, &n))) return st;
    if (n && (st = check_range(c, n, lb, "count", ss->count, 0, 0, 100000, "sites", "")))
        return st;
    if (n && ss->count != (double)(long)ss->count)
        return ERR(n, "siting.count must be a whole number of sites, e.g. count: 10");
    if ((st = opt_number(c, v, "capacity", lb, "capacity: 40", &ss->capacity, &n))) return st;
    if (n && (st = check_zero_or_range(c, n, lb, "capacity", ss->capacity, CC__SMALLEST_POSITIVE,
                                       1e9, "units", "; it is the beds or slots of each new site")))
        return st;
    if ((st = opt_number(c, v, "target_share", lb, "target_share: 0.9", &ss->target_share, &n)))
        return st;
    if (n && (st = check_range(c, n, lb, "target_share", ss->target_share, CC__SMALLEST_POSITIVE, 0,
                               1, "", "; write a share such as 0.9 for 90%")))
        return st;
    ss->spacing_m = 250;
    if ((st = opt_number(c, v, "spacing_m", lb, "spacing_m: 250", &ss->spacing_m, &n))) return st;
    if (n && (st = check_range(c, n, lb, "spacing_m", ss->spacing_m, 1, 0, 100000, "m", "")))
        return st;
    if ((st = opt_string(c, v, "district", lb, &ss->district))) return st;
    char *ex = NULL, *labels = NULL;
    /* exact: auto (default) | yes | no; true/false read as yes/no. */
    if ((st = opt_choice(c, v, "exact", lb,
                         (const char *const[]){"auto", "yes", "no", "true", "false"}, 5, "auto",
                         &ex)))
        return st;
    ss->exact = strcmp(ex, "yes") == 0 || strcmp(ex, "true") == 0     ? 1
                : strcmp(ex, "no") == 0 || strcmp(ex, "false") == 0 ? 2
                                                                    : 0;
    cc_free(ex);
    ss->exact_time_limit_s = 10;
    if ((st = opt_number(c, v, "exact_time_limit_s", lb, "exact_time_limit_s: 10",
                         &ss->exact_time_limit_s, &n)))
        return st;
    if (n && (st = check_range(c, n, lb, "exact_time_limit_s", ss->exact_time_limit_s, 0, 1,
                               86400, "s", "; it bounds the exact solver's run")))
        return st;
    char *obj = NULL;
    if ((st = opt_choice(c, v, "objective", lb, siting_objectives, N_OF(siting_objectives),
                         "coverage", &obj)))
        return st;
    ss->p_median = strcmp(obj, "p_median") == 0;
    cc_free(obj);
    if ((st = opt_choice(c, v, "labels", lb, label_langs, N_OF(label_langs), "en", &labels)))
        return st;
    ss->labels_zh = strcmp(labels, "zh") == 0;
    cc_free(labels);
    const cc__ynode *xv = get(v, "exclude", NULL);
    if (xv && !cc__yis_null(xv) &&
        ((st = need_map(c, xv, "siting.exclude", "exclude: {source: protected_land.gpkg}")) ||
         (st = check_keys(c, xv, "siting.exclude", layer_keys, N_OF(layer_keys), NULL, 0)) ||
         (st = read_layer(c, xv, "siting.exclude", &ss->exclude))))
        return st;
    const cc__ynode *mv = get(v, "matrix", NULL);
    if (mv && !cc__yis_null(mv)) {
        const char *ml = "siting.matrix";
        if ((st = need_map(c, mv, ml, "matrix: {source: times.csv, unit: min}")) ||
            (st = check_keys(c, mv, ml, matrix_keys, N_OF(matrix_keys), NULL, 0)))
            return st;
        cc_layer_spec tmp;
        memset(&tmp, 0, sizeof tmp);
        if ((st = read_sources(c, mv, ml, &tmp))) {
            free_layer(&tmp);
            return st;
        }
        ss->matrix = tmp.sources[0];
        for (size_t i = 1; i < tmp.n_sources; i++) cc_free(tmp.sources[i]);
        cc_free(tmp.sources);
        if ((st = opt_string(c, mv, "origin_field", ml, &ss->m_origin)) ||
            (st = set_default(c, &ss->m_origin, "origin")) ||
            (st = opt_string(c, mv, "destination_field", ml, &ss->m_dest)) ||
            (st = set_default(c, &ss->m_dest, "destination")) ||
            (st = opt_string(c, mv, "cost_field", ml, &ss->m_cost)) ||
            (st = set_default(c, &ss->m_cost, "cost")) ||
            (st = opt_choice(c, mv, "unit", ml, matrix_units, N_OF(matrix_units), "min",
                             &ss->m_unit)) ||
            (st = opt_number(c, mv, "cutoff", ml, "cutoff: 5000", &ss->m_cutoff, &n)))
            return st;
        if (n) {
            /* A plausible coverage limit in the matrix's unit (a day, or 1000 km). */
            int u = strcmp(ss->m_unit, "min") == 0 ? 0 : strcmp(ss->m_unit, "s") == 0 ? 1 : 2;
            static const double lo[] = {0.1, 1, 1}, hi[] = {1440, 86400, 1e6};
            static const char *const un[] = {"min", "s", "m"};
            if ((st = check_range(c, n, ml, "cutoff", ss->m_cutoff, lo[u], 0, hi[u], un[u],
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
    if (ss->count == 0 && ss->target_share == 0)
        return ERR(v, "siting needs count > 0 or a target_share; e.g. count: 10");
    if (ss->p_median && !(ss->count > 0))
        return ERR(v, "siting.objective: p_median places a fixed number of sites; give count > 0, "
                      "e.g. count: 5");
    ss->present = 1;
    return CC_OK;
}

/* outputs: {catchment_polygons, bundle, report, csv_bom}: yes/no, all yes by default. */
static cc_status read_outputs(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    sc->out_catchment_polygons = sc->out_bundle = sc->out_report = sc->out_csv_bom = 1;
    const cc__ynode *v = get(root, "outputs", NULL);
    if (!v || cc__yis_null(v)) return CC_OK;
    cc_status st;
    if ((st = need_map(c, v, "outputs", "outputs: {catchment_polygons: no}")) ||
        (st = check_keys(c, v, "outputs", output_keys, N_OF(output_keys), NULL, 0)))
        return st;
    int *flags[] = {&sc->out_catchment_polygons, &sc->out_bundle, &sc->out_report,
                    &sc->out_csv_bom};
    for (size_t i = 0; i < N_OF(output_keys); i++) {
        char *val = NULL;
        if ((st = opt_choice(c, v, output_keys[i], "outputs",
                             (const char *const[]){"yes", "no", "true", "false"}, 4, "yes", &val)))
            return st;
        *flags[i] = strcmp(val, "yes") == 0 || strcmp(val, "true") == 0;
        cc_free(val);
    }
    return CC_OK;
}

/* targets: a path or a list of paths to policy target files; target_year: 0 = every year. */
static cc_status read_targets(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    const cc__ynode *v = get(root, "targets", NULL);
    cc_status st;
    const cc__ynode *n;
    if ((st = opt_number(c, root, "target_year", "", "target_year: 2025", &sc->target_year_d, &n)))
        return st;
    if (n && (st = check_zero_or_range(c, n, "", "target_year", sc->target_year_d, 1900, 2100, "",
                                       "; give a year such as 2025, or 0 for every year")))
        return st;
    if (n && sc->target_year_d != (int)sc->target_year_d)
        return ERR(n, "target_year must be a whole year such as 2025");
    sc->target_year = (int)sc->target_year_d;
    if (!v || cc__yis_null(v)) return CC_OK;
    if (v->kind == CC__Y_MAP) {
        char d[64];
        return ERR(v,
                   "targets must be a file path or a list of paths, not %s; write e.g. "
                   "targets: ../targets/ankang-2025.yaml",
                   cc__ydescribe(v, d, sizeof d));
    }
    cc_layer_spec ls;
    memset(&ls, 0, sizeof ls);
    size_t cnt = v->kind == CC__Y_SEQ ? v->n : 1;
    ls.sources = cc_calloc(c->ctx, cnt ? cnt : 1, sizeof *ls.sources);
    if (!ls.sources) return CC_ERR_NOMEM;
    for (size_t i = 0; !st && i < cnt; i++)
        st = add_source(c, &ls, v->kind == CC__Y_SEQ ? v->kids[i] : v, "targets");
    sc->targets = ls.sources;
    sc->n_targets = ls.n_sources;
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static cc_status read_thresholds(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    const cc__ynode *v = get(root, "thresholds_min", NULL);
    cc_status st;
    if (v && v->kind == CC__Y_MAP) {
        char d[64];
        return ERR(v,
                   "thresholds_min must be a number or a list of numbers, not %s; write e.g. "
                   "thresholds_min: [5, 10, 15]",
                   cc__ydescribe(v, d, sizeof d));
    }
    if (v && v->kind == CC__Y_SEQ && v->n == 0)
        return ERR(v, "thresholds_min is an empty list; give at least one, e.g. [15], or remove "
                      "the key for the default 5, 10, 15, 20, 30");
    size_t ng = !v ? N_OF(default_thresholds_min) : v->kind == CC__Y_SEQ ? v->n : 1;
    sc->thresholds_min = cc_malloc_array(c->ctx, ng + sc->n_facilities, sizeof(double));
    if (!sc->thresholds_min) return CC_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < ng; i++) {
        if (!v) {
            sc->thresholds_min[k++] = default_thresholds_min[i];
            continue;
        }
        const cc__ynode *e = v->kind == CC__Y_SEQ ? v->kids[i] : v;
        char fk[64];
        if (v->kind == CC__Y_SEQ)
            cc_snprintf(fk, sizeof fk, "thresholds_min[%zu]", i);
        else
            cc_snprintf(fk, sizeof fk, "thresholds_min");
        double x = 0;
        if ((st = node_number(c, e, fk, "thresholds_min: [5, 10, 15]", &x)) ||
            (st = check_threshold(c, e, fk, x)))
            return st;
        sc->thresholds_min[k++] = x;
    }
    for (size_t i = 0; i < sc->n_facilities; i++)
        sc->thresholds_min[k++] = sc->facilities[i].threshold_min;
    qsort(sc->thresholds_min, k, sizeof(double), cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || sc->thresholds_min[i] != sc->thresholds_min[u - 1])
            sc->thresholds_min[u++] = sc->thresholds_min[i];
    sc->n_thresholds = u;
    return CC_OK;
}

static cc_status convert(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    cc_status st;
    cc__ynode top = {0}; /* position 1:1 for an empty file */
    top.line = top.col = 1;
    if (!root)
        return ERR(&top, "the scenario is empty; it needs at least name, demand and facilities "
                         "(see docs/scenario.md)");
    if (root->kind != CC__Y_MAP) {
        char d[64];
        return ERR(root,
                   "the scenario must be a mapping of keys (name:, demand:, facilities: "
                   "...), not %s; see docs/scenario.md",
                   cc__ydescribe(root, d, sizeof d));
    }
    if ((st = check_keys(c, root, "", top_keys, N_OF(top_keys), NULL, 0))) return st;

    if (!get(root, "name", NULL))
        return ERR(root, "missing required key 'name' at the top level; add e.g. name: Jianghan "
                         "2025 baseline");
    if ((st = opt_string(c, root, "name", "", &sc->name))) return st;
    if ((st = opt_string(c, root, "working_crs", "", &sc->working_crs)) ||
        (st = set_default(c, &sc->working_crs, "auto")))
        return st;
    const cc__ynode *od = get(root, "output_dir", NULL);
    if (od) {
        if ((st = scalar_text(c, od, "output_dir", "output_dir: out/baseline"))) return st;
        if (!(sc->output_dir = cc_path_join(c->ctx, sc->dir, od->text))) return CC_ERR_NOMEM;
    }
    if ((st = read_network(c, root)) || (st = read_demand(c, root)) ||
        (st = read_facilities(c, root)) || (st = read_districts(c, root)) ||
        (st = read_thresholds(c, root)) || (st = read_targets(c, root)) ||
        (st = read_siting(c, root)) || (st = check_greenfield(c, root)) ||
        (st = read_outputs(c, root)))
        return st;
    return CC_OK;
}

/* ---------------------------------------------------------------- public API */

static void free_layer(cc_layer_spec *ls)
{
    for (size_t i = 0; i < ls->n_sources; i++)
        cc_free(ls->sources[i]);
    cc_free(ls->sources);
    cc_free(ls->layer);
    cc_free(ls->where);
    cc_free(ls->crs);
    cc_free(ls->encoding);
    cc_free(ls->x_field);
    cc_free(ls->y_field);
    cc_free(ls->id_field);
    cc_free(ls->name_field);
}

void cc_scenario_destroy(cc_scenario *sc)
{
    if (!sc) return;
    cc_free(sc->path);
    cc_free(sc->dir);
    cc_free(sc->name);
    cc_free(sc->working_crs);
    cc_free(sc->output_dir);
    for (size_t i = 0; i < sc->n_targets; i++)
        cc_free(sc->targets[i]);
    cc_free(sc->targets);
    cc_free(sc->districts.level);
    cc_free(sc->siting.facility);
    cc_free(sc->siting.district);
    free_layer(&sc->siting.cand);
    free_layer(&sc->siting.exclude);
    for (size_t i = 0; sc->demand && i < sc->n_demand; i++) free_layer(&sc->demand[i].buildings);
    for (size_t i = 0; i < sc->n_variants; i++) cc_scenario_destroy(sc->variants[i]);
    cc_free(sc->variants);
    cc_free(sc->variant);
    cc_free(sc->siting.matrix);
    cc_free(sc->siting.m_origin);
    cc_free(sc->siting.m_dest);
    cc_free(sc->siting.m_cost);
    cc_free(sc->siting.m_unit);
    cc_free(sc->thresholds_min);
    free_layer(&sc->network.src);
    cc_free(sc->network.mode);
    cc_free(sc->network.class_field);
    cc_free(sc->network.oneway_field);
    for (size_t i = 0; i < sc->network.profile.n_classes; i++)
        cc_free(sc->network.profile.classes[i].name);
    cc_free(sc->network.profile.classes);
    for (size_t i = 0; i < sc->n_demand; i++) {
        cc_demand_spec *d = &sc->demand[i];
        cc_free(d->name);
        cc_free(d->label);
        free_layer(&d->src);
        cc_free(d->count_field);
    }
    cc_free(sc->demand);
    for (size_t i = 0; i < sc->n_facilities; i++) {
        cc_facility_spec *f = &sc->facilities[i];
        cc_free(f->name);
        cc_free(f->label);
        free_layer(&f->src);
        cc_free(f->capacity_field);
        cc_free(f->decay);
        free_layer(&f->add);
        for (size_t j = 0; j < f->n_remove; j++) cc_free(f->remove_ids[j]);
        cc_free(f->remove_ids);
        for (size_t j = 0; j < f->n_serves; j++)
            cc_free(f->serves[j]);
        cc_free(f->serves);
        cc_free(f->mode);
    }
    cc_free(sc->facilities);
    free_layer(&sc->districts.src);
    for (size_t i = 0; i < sc->n_overrides; i++)
        cc_free(sc->overrides[i]);
    cc_free(sc->overrides);
    cc_free(sc);
}

static cc_status hash_scenario(cc_ctx *ctx, cc_scenario *sc, const char *text, size_t len)
{
    cc_buf b = {0};
    cc_status st = cc_buf_append(ctx, &b, text, len);
    for (size_t i = 0; !st && i < sc->n_overrides; i++) {
        if (!(st = cc_buf_puts(ctx, &b, "\n--set "))) st = cc_buf_puts(ctx, &b, sc->overrides[i]);
    }
    if (!st) st = cc_sha256_hex(ctx, b.s ? b.s : "", b.len, sc->sha256);
    cc_buf_free(&b);
    return st;
}

/* A node back as YAML flow text, for turning a variant's `set:` into overrides. */
static cc_status to_flow(cc_ctx *ctx, const cc__ynode *n, cc_buf *b)
{
    cc_status st = CC_OK;
    if (n->kind == CC__Y_SCALAR) {
        int plain = !n->quoted && n->len > 0 && n->text[0] != ' ' && n->text[n->len - 1] != ' ' &&
                    !strpbrk(n->text, ":{}[],#&*!|>'\"%@`\n\t");
        if (plain) return cc_buf_append(ctx, b, n->text, n->len);
        st = cc_buf_putc(ctx, b, '"');
        for (size_t i = 0; !st && i < n->len; i++) {
            char ch = n->text[i];
            if (ch == '"' || ch == '\\') st = cc_buf_putc(ctx, b, '\\');
            if (!st) st = ch == '\n' ? cc_buf_puts(ctx, b, "\\n") : cc_buf_putc(ctx, b, ch);
        }
        if (!st) st = cc_buf_putc(ctx, b, '"');
        return st;
    }
    int map = n->kind == CC__Y_MAP;
    st = cc_buf_putc(ctx, b, map ? '{' : '[');
    for (size_t i = 0; !st && i < n->n; i += map ? 2 : 1) {
        if (i) st = cc_buf_puts(ctx, b, ", ");
        if (!st) st = to_flow(ctx, n->kids[i], b);
        if (!st && map) st = cc_buf_puts(ctx, b, ": ");
        if (!st && map) st = to_flow(ctx, n->kids[i + 1], b);
    }
    if (!st) st = cc_buf_putc(ctx, b, map ? '}' : ']');
    return st;
}

static cc_status parse_inner(cc_ctx *ctx, const char *path, const char *text, size_t len,
                             const char *const *overrides, size_t n_overrides, int is_variant,
                             cc_scenario **out);

/* add_facilities / remove_facilities of one variant, read against the variant scenario. */
static cc_status variant_facilities(conv *c, const cc__ynode *item, const char *vl)
{
    cc_status st;
    const cc__ynode *af = get(item, "add_facilities", NULL);
    if (af && !cc__yis_null(af)) {
        char lb[300];
        cc_snprintf(lb, sizeof lb, "%s.add_facilities", vl);
        if ((st = need_map(c, af, lb, "add_facilities: {day_care: {source: planned.geojson}}")))
            return st;
        for (size_t i = 0; i + 1 < af->n; i += 2) {
            const cc__ynode *k = af->kids[i], *v = af->kids[i + 1];
            cc_facility_spec *f = (cc_facility_spec *)cc_scenario_facility(c->sc, k->text);
            if (!f)
                return ERR(k, "%s: '%s' is not a facility type of the scenario", lb, k->text);
            char fl[400];
            cc_snprintf(fl, sizeof fl, "%s.%s", lb, k->text);
            if ((st = need_map(c, v, fl, "{source: planned.geojson}")) ||
                (st = check_keys(c, v, fl, layer_keys, N_OF(layer_keys), NULL, 0)) ||
                (st = read_layer(c, v, fl, &f->add)))
                return st;
        }
    }
    const cc__ynode *rf = get(item, "remove_facilities", NULL);
    if (rf && !cc__yis_null(rf)) {
        char lb[300];
        cc_snprintf(lb, sizeof lb, "%s.remove_facilities", vl);
        if ((st = need_map(c, rf, lb, "remove_facilities: {day_care: [dc-01, dc-04]}"))) return st;
        for (size_t i = 0; i + 1 < rf->n; i += 2) {
            const cc__ynode *k = rf->kids[i], *v = rf->kids[i + 1];
            cc_facility_spec *f = (cc_facility_spec *)cc_scenario_facility(c->sc, k->text);
            if (!f)
                return ERR(k, "%s: '%s' is not a facility type of the scenario", lb, k->text);
            if (v->kind == CC__Y_MAP)
                return ERR(v, "%s.%s must be an id or a list of ids", lb, k->text);
            size_t n = v->kind == CC__Y_SEQ ? v->n : 1;
            f->remove_ids = cc_calloc(c->ctx, n ? n : 1, sizeof *f->remove_ids);
            if (!f->remove_ids) return CC_ERR_NOMEM;
            for (size_t j = 0; j < n; j++) {
                const cc__ynode *e = v->kind == CC__Y_SEQ ? v->kids[j] : v;
                if (e->kind != CC__Y_SCALAR)
                    return ERR(e, "%s.%s: ids are plain values", lb, k->text);
                if (!(f->remove_ids[j] = cc_strdup(c->ctx, e->text))) return CC_ERR_NOMEM;
                f->n_remove++;
            }
        }
    }
    return CC_OK;
}

/* A variant's name becomes its folder variants/<slug>/: checked here, before any work, so
   that `check` reports it too. Names whose slugs are equal ("Plan A", "plan-a") would share a
   folder; a name of more than CC__VARIANT_NAME_MAX characters would not fit a file name. */
#define CC__VARIANT_NAME_MAX 80
static cc_status variant_name_ok(conv *c, const cc__ynode *nm, const char *vl)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)nm->text; *p; p++)
        chars += (*p & 0xC0) != 0x80; /* UTF-8 characters, not bytes */
    if (chars > CC__VARIANT_NAME_MAX)
        return ERR(nm,
                   "%s: the name has %zu characters, more than %d; give the variant a "
                   "shorter name",
                   vl, chars, CC__VARIANT_NAME_MAX);
    char *slug = cc_path_slug(c->ctx, nm->text);
    if (!slug) return CC_ERR_NOMEM;
    cc_status st = CC_OK;
    for (size_t j = 0; !st && j < c->sc->n_variants; j++) {
        const char *other = c->sc->variants[j]->variant;
        char *os = cc_path_slug(c->ctx, other);
        if (!os)
            st = CC_ERR_NOMEM;
        else if (strcmp(os, slug) == 0)
            st = strcmp(other, nm->text) == 0
                     ? ERR(nm, "%s: the name '%s' is used twice; give each variant its own name",
                           vl, nm->text)
                     : ERR(nm,
                           "%s: the name '%s' and the name '%s' of scenarios[%zu] both give "
                           "the folder variants/%s; give the variants names that differ in "
                           "more than case and punctuation",
                           vl, nm->text, other, j, slug);
        cc_free(os);
    }
    cc_free(slug);
    return st;
}

/* scenarios: [{name, set: {key: value}, add_facilities, remove_facilities}, ...] */
static cc_status read_variants(conv *c, const cc__ynode *root, const char *text, size_t len)
{
    cc_scenario *sc = c->sc;
    const cc__ynode *v = get(root, "scenarios", NULL);
    if (!v || cc__yis_null(v)) return CC_OK;
    if (v->kind != CC__Y_SEQ)
        return ERR(v, "scenarios must be a list of variants, e.g. scenarios: [{name: 2025 plan, "
                      "set: {demand.elderly.scale: 1.3}}]");
    sc->variants = cc_calloc(c->ctx, v->n ? v->n : 1, sizeof *sc->variants);
    if (!sc->variants) return CC_ERR_NOMEM;
    cc_status st = CC_OK;
    for (size_t i = 0; !st && i < v->n; i++) {
        const cc__ynode *item = v->kids[i];
        char vl[64];
        cc_snprintf(vl, sizeof vl, "scenarios[%zu]", i);
        if ((st = need_map(c, item, vl, "{name: 2025 plan, set: {demand.elderly.scale: 1.3}}")) ||
            (st = check_keys(c, item, vl, variant_keys, N_OF(variant_keys), NULL, 0)))
            return st;
        const cc__ynode *nm = get(item, "name", NULL);
        if (!nm || nm->kind != CC__Y_SCALAR || nm->len == 0)
            return ERR(item, "%s needs a name, e.g. name: 2025 plan", vl);
        if ((st = variant_name_ok(c, nm, vl))) return st;
        /* The variant's overrides come after the command line's. */
        const cc__ynode *set = get(item, "set", NULL);
        size_t nset = set && set->kind == CC__Y_MAP ? set->n / 2 : 0;
        if (set && !cc__yis_null(set) && set->kind != CC__Y_MAP)
            return ERR(set, "%s.set must be a mapping of keys to values, e.g. set: "
                            "{facilities.day_care.threshold_min: 10}",
                       vl);
        size_t no = sc->n_overrides + nset;
        char **ov = cc_calloc(c->ctx, no ? no : 1, sizeof *ov);
        if (!ov) return CC_ERR_NOMEM;
        for (size_t j = 0; j < sc->n_overrides; j++) ov[j] = sc->overrides[j];
        for (size_t j = 0; !st && j < nset; j++) {
            cc_buf b = {0};
            st = cc_buf_puts(c->ctx, &b, set->kids[2 * j]->text);
            if (!st) st = cc_buf_putc(c->ctx, &b, '=');
            if (!st) st = to_flow(c->ctx, set->kids[2 * j + 1], &b);
            ov[sc->n_overrides + j] = b.s;
            if (st) cc_buf_free(&b);
        }
        cc_scenario *var = NULL;
        if (!st) st = parse_inner(c->ctx, sc->path, text, len, (const char *const *)ov, no, 1, &var);
        for (size_t j = sc->n_overrides; j < no; j++) cc_free(ov[j]);
        cc_free(ov);
        if (st) {
            if (cc_ctx_last_status(c->ctx) == st) cc_error_prefix(c->ctx, "%s '%s'", vl, nm->text);
            return st;
        }
        sc->variants[sc->n_variants++] = var;
        if (!(var->variant = cc_strdup(c->ctx, nm->text))) return CC_ERR_NOMEM;
        conv vc = {c->ctx, c->org, var, 1};
        if ((st = variant_facilities(&vc, item, vl))) return st;
    }
    return st;
}

static cc_status parse_inner(cc_ctx *ctx, const char *path, const char *text, size_t len,
                             const char *const *overrides, size_t n_overrides, int is_variant,
                             cc_scenario **out)
{
    if (out) *out = NULL;
    if (!path || (!text && len) || !out || (n_overrides && !overrides))
        return cc_error(ctx, CC_ERR_INVALID, "cc_scenario_parse: missing argument");
    for (size_t i = 0; i < n_overrides; i++)
        if (!overrides[i])
            return cc_error(ctx, CC_ERR_INVALID, "cc_scenario_parse: override %zu is NULL", i);
    if (!text) text = "";

    cc__ynode *root = NULL;
    cc_status st = CC_ERR_NOMEM;
    cc_scenario *sc = cc_calloc(ctx, 1, sizeof *sc);
    if (!sc) goto fail;
    if (!(sc->path = cc_strdup(ctx, path)) || !(sc->dir = cc_path_dirname(ctx, path))) goto fail;
    if (n_overrides) {
        if (!(sc->overrides = cc_calloc(ctx, n_overrides, sizeof *sc->overrides))) goto fail;
        for (size_t i = 0; i < n_overrides; i++) {
            if (!(sc->overrides[i] = cc_strdup(ctx, overrides[i]))) goto fail;
            sc->n_overrides++;
        }
    }
    conv c = {ctx, {sc->path, (const char *const *)sc->overrides, sc->n_overrides}, sc,
              is_variant};
    if ((st = cc__yparse(ctx, &c.org, 0, text, len, &root))) goto fail;
    if ((st = cc__yapply_overrides(ctx, &c.org, &root))) goto fail;
    if ((st = convert(&c, root))) goto fail;
    if ((st = hash_scenario(ctx, sc, text, len))) goto fail;
    if (!is_variant && (st = read_variants(&c, root, text, len))) goto fail;
    cc__yfree(root);
    *out = sc;
    return CC_OK;
fail:
    cc__yfree(root);
    cc_scenario_destroy(sc);
    return st;
}

cc_status cc_scenario_parse(cc_ctx *ctx, const char *path, const char *text, size_t len,
                            const char *const *overrides, size_t n_overrides, cc_scenario **out)
{
    return parse_inner(ctx, path, text, len, overrides, n_overrides, 0, out);
}

cc_status cc_scenario_load(cc_ctx *ctx, const char *path, const char *const *overrides,
                           size_t n_overrides, cc_scenario **out)
{
    if (out) *out = NULL;
    if (!path || !out) return cc_error(ctx, CC_ERR_INVALID, "cc_scenario_load: missing argument");
    cc_buf b = {0};
    cc_status st = cc_read_text_file(
        ctx, path, "scenario", CC__SCENARIO_MAX_BYTES,
        "a scenario is a short text file, put data in separate files and name them in source:", &b);
    if (!st) st = cc_scenario_parse(ctx, path, b.s, b.len, overrides, n_overrides, out);
    cc_buf_free(&b);
    return st;
}

const char *cc_scenario_where(const cc_scenario *sc, cc_srcpos pos, char *buf, size_t cap)
{
    if (!buf || cap == 0) return buf;
    const char *path = sc && sc->path ? sc->path : "scenario";
    if (sc && pos.set_index > 0 && (size_t)pos.set_index <= sc->n_overrides)
        cc_snprintf(buf, cap, "--set %s", sc->overrides[pos.set_index - 1]);
    else if (pos.line > 0)
        cc_snprintf(buf, cap, "%s:%d:%d", path, pos.line, pos.col);
    else
        cc_snprintf(buf, cap, "%s", path);
    return buf;
}

const cc_demand_spec *cc_scenario_demand(const cc_scenario *sc, const char *name)
{
    if (!sc || !name) return NULL;
    for (size_t i = 0; i < sc->n_demand; i++)
        if (sc->demand[i].name && strcmp(sc->demand[i].name, name) == 0) return &sc->demand[i];
    return NULL;
}

const cc_facility_spec *cc_scenario_facility(const cc_scenario *sc, const char *name)
{
    if (!sc || !name) return NULL;
    for (size_t i = 0; i < sc->n_facilities; i++)
        if (sc->facilities[i].name && strcmp(sc->facilities[i].name, name) == 0)
            return &sc->facilities[i];
    return NULL;
}
