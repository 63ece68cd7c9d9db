/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser: key checks ("did you mean"), typed values with their plausible ranges,
 * names, choices, and layer blocks (source, layer, where, crs, fields).
 */
#include "scenario_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const modes[] = {"walk", "walk_elderly", "bike", "drive"};

const char *const cc__scn_layer_keys[9] = {
    "source", "layer", "where", "crs", "encoding", "x_field", "y_field", "id_field", "name_field"};

cc_srcpos cc__scn_pos_of(const cc__ynode *n)
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
const char *cc__scn_full_key(char *buf, size_t cap, const char *label, const char *key)
{
    cc_snprintf(buf, cap, "%s%s%s", label, label[0] ? "." : "", key);
    return buf;
}

const char *cc__scn_fmt_num(char *buf, double v)
{
    /* Tiny and huge values in exponent form: 4.9e-324 must not read as "0". */
    if (v != 0 && isfinite(v) && (fabs(v) < 0.001 || fabs(v) >= 1e12))
        cc_snprintf(buf, 40, "%g", v);
    else
        cc_fmt_double(buf, 40, v, 3);
    return buf;
}

/* ---------------------------------------------------------------- key checks and getters */

cc_status cc__scn_check_keys(conv *c, const cc__ynode *map, const char *label,
                             const char *const *k1, size_t n1, const char *const *k2, size_t n2)
{
    const char *all[32];
    size_t n = 0;
    for (size_t i = 0; i < n1 && n < N_OF(all); i++)
        all[n++] = k1[i];
    for (size_t i = 0; i < n2 && n < N_OF(all); i++)
        all[n++] = k2[i];
    char where[300];
    if (label[0])
        cc_snprintf(where, sizeof where, "in %s", label);
    else
        cc_snprintf(where, sizeof where, "at the top level");
    return cc__ycheck_keys(c->ctx, &c->org, map, where, all, n);
}

/* A scalar as text; lists, mappings and embedded NULs are errors. */
cc_status cc__scn_scalar_text(conv *c, const cc__ynode *v, const char *fk, const char *example)
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
cc_status cc__scn_opt_string(conv *c, const cc__ynode *map, const char *key, const char *label,
                             char **out)
{
    const cc__ynode *v = cc__yvalue(map, key, NULL);
    if (!v) return CC_OK;
    char fk[300], ex[300];
    cc__scn_full_key(fk, sizeof fk, label, key);
    cc_snprintf(ex, sizeof ex, "%s: some_value", key);
    cc_status st = cc__scn_scalar_text(c, v, fk, ex);
    if (st) return st;
    char *s = cc_strdup(c->ctx, v->text);
    if (!s) return CC_ERR_NOMEM;
    cc_free(*out);
    *out = s;
    return CC_OK;
}

cc_status cc__scn_set_default(conv *c, char **field, const char *value)
{
    if (*field) return CC_OK;
    *field = cc_strdup(c->ctx, value);
    return *field ? CC_OK : CC_ERR_NOMEM;
}

/* A display label: an empty one (label: "") reads as absent, so outputs show the name. */
cc_status cc__scn_set_label(conv *c, char **field, const char *name)
{
    if (*field && !**field) {
        cc_free(*field);
        *field = NULL;
    }
    return cc__scn_set_default(c, field, name);
}

/* A number (plain or quoted) that must be finite. */
cc_status cc__scn_node_number(conv *c, const cc__ynode *v, const char *fk, const char *example,
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
cc_status cc__scn_opt_number(conv *c, const cc__ynode *map, const char *key, const char *label,
                             const char *example, double *out, const cc__ynode **node_out)
{
    const cc__ynode *v = cc__yvalue(map, key, NULL);
    *node_out = v;
    if (!v) return CC_OK;
    char fk[300];
    return cc__scn_node_number(c, v, cc__scn_full_key(fk, sizeof fk, label, key), example, out);
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
cc_status cc__scn_check_range(conv *c, const cc__ynode *v, const char *label, const char *key,
                              double x, double lo, int lo_open, double hi, const char *unit,
                              const char *note)
{
    if ((lo_open ? x > lo : x >= lo) && x <= hi) return CC_OK;
    char fk[300], a[40], b[40], xs[40], tail[300];
    cc__scn_full_key(fk, sizeof fk, label, key);
    return ERR(v, "%s is %s; it must be %s %s and at most %s%s", fk, cc__scn_fmt_num(xs, x),
               lo_open ? "greater than" : "at least", cc__scn_fmt_num(a, lo),
               cc__scn_fmt_num(b, hi), range_tail(tail, sizeof tail, unit, note));
}

/* 0, or lo <= x <= hi: for values where 0 means "none" or "unlimited" and a tiny positive
 * value is a typo that would print as 0. */
cc_status cc__scn_check_zero_or_range(conv *c, const cc__ynode *v, const char *label,
                                      const char *key, double x, double lo, double hi,
                                      const char *unit, const char *note)
{
    if (x == 0 || (x >= lo && x <= hi)) return CC_OK;
    char fk[300], a[40], b[40], xs[40], tail[300];
    cc__scn_full_key(fk, sizeof fk, label, key);
    return ERR(v, "%s is %s; it must be 0 or between %s and %s%s", fk, cc__scn_fmt_num(xs, x),
               cc__scn_fmt_num(a, lo), cc__scn_fmt_num(b, hi),
               range_tail(tail, sizeof tail, unit, note));
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

cc_status cc__scn_check_threshold(conv *c, const cc__ynode *v, const char *fk, double x)
{
    char xs[40];
    if (!(x > 0))
        return ERR(v, "%s is %s; a threshold must be more than 0 minutes, e.g. 15", fk,
                   cc__scn_fmt_num(xs, x));
    if (x < CC__THRESHOLD_MIN_MIN)
        return ERR(v,
                   "%s is %s minutes; a threshold must be at least %g minute (thresholds are "
                   "minutes, not hours or seconds), e.g. 15",
                   fk, cc__scn_fmt_num(xs, x), CC__THRESHOLD_MIN_MIN);
    if (x > CC__THRESHOLD_MAX_MIN) {
        char h[64];
        human_minutes(x, h, sizeof h);
        return ERR(v, "%s: a threshold of %s minutes (%s) is not a service circle; use at most %d",
                   fk, cc__scn_fmt_num(xs, x), h, (int)CC__THRESHOLD_MAX_MIN);
    }
    /* Outputs write thresholds to 3 decimals: more would print two thresholds alike. */
    double scaled = x * 1000.0;
    if (fabs(scaled - nearbyint(scaled)) > 1e-6 * scaled) {
        char full[40];
        cc_snprintf(full, sizeof full, "%.10g", x);
        return ERR(v,
                   "%s is %s; give at most %d decimals (outputs write minutes to 0.001, so "
                   "more would print as %s), e.g. 12.5",
                   fk, full, CC__THRESHOLD_DECIMALS, cc__scn_fmt_num(xs, x));
    }
    return CC_OK;
}

cc_status cc__scn_check_mode(conv *c, const cc__ynode *v, const char *label, char **out)
{
    char fk[300];
    cc__scn_full_key(fk, sizeof fk, label, "mode");
    cc_status st = cc__scn_scalar_text(c, v, fk, "mode: walk");
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
    cc__yjoin(list, sizeof list, modes, N_OF(modes));
    const char *s = cc__suggest(v->text, modes, N_OF(modes));
    if (s)
        return ERR(v, "%s %s is not a travel mode (%s); did you mean '%s'?", fk,
                   cc__ydescribe(v, d, sizeof d), list, s);
    return ERR(v, "%s %s is not a travel mode; use one of %s", fk, cc__ydescribe(v, d, sizeof d),
               list);
}

/* A group or type name becomes an output column (t_<name>_min): [A-Za-z_][A-Za-z0-9_]*. */
cc_status cc__scn_check_name(conv *c, const cc__ynode *k, const char *what)
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
cc_status cc__scn_opt_choice(conv *c, const cc__ynode *map, const char *key, const char *label,
                             const char *const *choices, size_t n, const char *def, char **out)
{
    cc_status st = cc__scn_opt_string(c, map, key, label, out);
    if (st) return st;
    if (!*out) return cc__scn_set_default(c, out, def);
    for (size_t i = 0; i < n; i++)
        if (strcmp(*out, choices[i]) == 0) return CC_OK;
    char names[200], fk[300];
    const cc__ynode *v = cc__yvalue(map, key, NULL);
    st = ERR(v, "%s '%s' is not one of %s", cc__scn_full_key(fk, sizeof fk, label, key), *out,
             cc__yjoin(names, sizeof names, choices, n));
    cc_free(*out); /* the caller gets no value on failure */
    *out = NULL;
    return st;
}

/* ---------------------------------------------------------------- layers */

cc_status cc__scn_add_source(conv *c, cc_layer_spec *ls, const cc__ynode *v, const char *fk)
{
    cc_status st = cc__scn_scalar_text(c, v, fk, "source: roads.gpkg");
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

cc_status cc__scn_read_sources(conv *c, const cc__ynode *map, const char *label, cc_layer_spec *ls)
{
    char fk[300];
    cc__scn_full_key(fk, sizeof fk, label, "source");
    const cc__ynode *v = cc__yvalue(map, "source", NULL);
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
    if (v->kind == CC__Y_SCALAR) return cc__scn_add_source(c, ls, v, fk);
    for (size_t i = 0; i < n; i++) {
        char fki[330];
        cc_snprintf(fki, sizeof fki, "%.300s[%zu]", fk, i);
        cc_status st = cc__scn_add_source(c, ls, v->kids[i], fki);
        if (st) return st;
    }
    return CC_OK;
}

/* Layer keys of a block whose unknown keys were already checked. */
cc_status cc__scn_read_layer(conv *c, const cc__ynode *map, const char *label, cc_layer_spec *ls)
{
    cc_status st;
    ls->pos = cc__scn_pos_of(map);
    if ((st = cc__scn_read_sources(c, map, label, ls))) return st;
    if ((st = cc__scn_opt_string(c, map, "layer", label, &ls->layer)) ||
        (st = cc__scn_opt_string(c, map, "where", label, &ls->where)) ||
        (st = cc__scn_opt_string(c, map, "crs", label, &ls->crs)) ||
        (st = cc__scn_opt_string(c, map, "encoding", label, &ls->encoding)) ||
        (st = cc__scn_opt_string(c, map, "x_field", label, &ls->x_field)) ||
        (st = cc__scn_opt_string(c, map, "y_field", label, &ls->y_field)) ||
        (st = cc__scn_opt_string(c, map, "id_field", label, &ls->id_field)) ||
        (st = cc__scn_opt_string(c, map, "name_field", label, &ls->name_field)))
        return st;
    const cc__ynode *kx = NULL, *ky = NULL;
    cc__yvalue(map, "x_field", &kx);
    cc__yvalue(map, "y_field", &ky);
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
cc_status cc__scn_need_map(conv *c, const cc__ynode *v, const char *label, const char *example)
{
    if (v->kind == CC__Y_MAP) return CC_OK;
    char d[64];
    return ERR(v, "%s must be a mapping of keys, not %s; write it like %s", label,
               cc__ydescribe(v, d, sizeof d), example);
}
