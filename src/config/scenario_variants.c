/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser: `scenarios:` variants. Each variant is the scenario parsed again with its
 * `set:` turned into overrides after the command line's, plus its own facility changes.
 */
#include "scenario_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const variant_keys[] = {"name", "set", "add_facilities", "remove_facilities"};

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

/* add_facilities / remove_facilities of one variant, read against the variant scenario. */
static cc_status variant_facilities(conv *c, const cc__ynode *item, const char *vl)
{
    cc_status st;
    const cc__ynode *af = cc__yvalue(item, "add_facilities", NULL);
    if (af && !cc__yis_null(af)) {
        char lb[300];
        cc_snprintf(lb, sizeof lb, "%s.add_facilities", vl);
        if ((st = cc__scn_need_map(c, af, lb,
                                   "add_facilities: {day_care: {source: planned.geojson}}")))
            return st;
        for (size_t i = 0; i + 1 < af->n; i += 2) {
            const cc__ynode *k = af->kids[i], *v = af->kids[i + 1];
            cc_facility_spec *f = (cc_facility_spec *)cc_scenario_facility(c->sc, k->text);
            if (!f) return ERR(k, "%s: '%s' is not a facility type of the scenario", lb, k->text);
            char fl[400];
            cc_snprintf(fl, sizeof fl, "%s.%s", lb, k->text);
            if ((st = cc__scn_need_map(c, v, fl, "{source: planned.geojson}")) ||
                (st = cc__scn_check_keys(c, v, fl, cc__scn_layer_keys, N_OF(cc__scn_layer_keys),
                                         NULL, 0)) ||
                (st = cc__scn_read_layer(c, v, fl, &f->add)))
                return st;
        }
    }
    const cc__ynode *rf = cc__yvalue(item, "remove_facilities", NULL);
    if (rf && !cc__yis_null(rf)) {
        char lb[300];
        cc_snprintf(lb, sizeof lb, "%s.remove_facilities", vl);
        if ((st = cc__scn_need_map(c, rf, lb, "remove_facilities: {day_care: [dc-01, dc-04]}")))
            return st;
        for (size_t i = 0; i + 1 < rf->n; i += 2) {
            const cc__ynode *k = rf->kids[i], *v = rf->kids[i + 1];
            cc_facility_spec *f = (cc_facility_spec *)cc_scenario_facility(c->sc, k->text);
            if (!f) return ERR(k, "%s: '%s' is not a facility type of the scenario", lb, k->text);
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
cc_status cc__scn_read_variants(conv *c, const cc__ynode *root, const char *text, size_t len)
{
    cc_scenario *sc = c->sc;
    const cc__ynode *v = cc__yvalue(root, "scenarios", NULL);
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
        if ((st = cc__scn_need_map(c, item, vl,
                                   "{name: 2025 plan, set: {demand.elderly.scale: 1.3}}")) ||
            (st = cc__scn_check_keys(c, item, vl, variant_keys, N_OF(variant_keys), NULL, 0)))
            return st;
        const cc__ynode *nm = cc__yvalue(item, "name", NULL);
        if (!nm || nm->kind != CC__Y_SCALAR || nm->len == 0)
            return ERR(item, "%s needs a name, e.g. name: 2025 plan", vl);
        if ((st = variant_name_ok(c, nm, vl))) return st;
        /* The variant's overrides come after the command line's. */
        const cc__ynode *set = cc__yvalue(item, "set", NULL);
        size_t nset = set && set->kind == CC__Y_MAP ? set->n / 2 : 0;
        if (set && !cc__yis_null(set) && set->kind != CC__Y_MAP)
            return ERR(set,
                       "%s.set must be a mapping of keys to values, e.g. set: "
                       "{facilities.day_care.threshold_min: 10}",
                       vl);
        size_t no = sc->n_overrides + nset;
        char **ov = cc_calloc(c->ctx, no ? no : 1, sizeof *ov);
        if (!ov) return CC_ERR_NOMEM;
        for (size_t j = 0; j < sc->n_overrides; j++)
            ov[j] = sc->overrides[j];
        for (size_t j = 0; !st && j < nset; j++) {
            cc_buf b = {0};
            st = cc_buf_puts(c->ctx, &b, set->kids[2 * j]->text);
            if (!st) st = cc_buf_putc(c->ctx, &b, '=');
            if (!st) st = to_flow(c->ctx, set->kids[2 * j + 1], &b);
            ov[sc->n_overrides + j] = b.s;
            if (st) cc_buf_free(&b);
        }
        cc_scenario *var = NULL;
        if (!st)
            st = cc__scn_parse_inner(c->ctx, sc->path, text, len, (const char *const *)ov, no, 1,
                                     &var);
        for (size_t j = sc->n_overrides; j < no; j++)
            cc_free(ov[j]);
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
