/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario file -> cc_scenario: reads the file, parses it into the generic YAML tree, applies
 * --set overrides, then converts the final tree into plain structs with defaults and
 * validation. Every message names path:line:col (or the --set text), says what is wrong and
 * what to do; unknown keys and names suggest the nearest valid one.
 *
 * This file holds the public API (parse, load, destroy, lookups); the sections are read by
 * scenario_values.c, scenario_sections.c, scenario_study.c and scenario_variants.c
 * (scenario_internal.h says which does what).
 */
#include "scenario_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- public API */

void cc__scn_free_layer(cc_layer_spec *ls)
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
    for (size_t i = 0; sc->demand && i < sc->n_demand; i++)
        cc__scn_free_layer(&sc->demand[i].buildings);
    for (size_t i = 0; i < sc->n_variants; i++)
        cc_scenario_destroy(sc->variants[i]);
    cc_free(sc->variants);
    cc_free(sc->variant);
    cc__scn_free_siting(&sc->siting);
    for (size_t b = 0; b < sc->n_siting_more; b++)
        cc__scn_free_siting(&sc->siting_more[b]);
    cc_free(sc->siting_more);
    cc_free(sc->thresholds_min);
    cc__scn_free_layer(&sc->network.src);
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
        cc__scn_free_layer(&d->src);
        cc_free(d->count_field);
        cc_free(d->basis);
        cc_free(d->counterpart);
    }
    cc_free(sc->demand);
    for (size_t i = 0; i < sc->n_facilities; i++) {
        cc_facility_spec *f = &sc->facilities[i];
        cc_free(f->name);
        cc_free(f->label);
        cc__scn_free_layer(&f->src);
        cc_free(f->capacity_field);
        cc_free(f->decay);
        cc__scn_free_layer(&f->add);
        for (size_t j = 0; j < f->n_remove; j++)
            cc_free(f->remove_ids[j]);
        cc_free(f->remove_ids);
        for (size_t j = 0; j < f->n_serves; j++)
            cc_free(f->serves[j]);
        cc_free(f->serves);
        cc_free(f->mode);
        cc__scn_free_fac_attrs(f);
    }
    cc_free(sc->facilities);
    cc__scn_free_service_groups(sc);
    cc_free(sc->colocation);
    cc__scn_free_layer(&sc->districts.src);
    for (size_t i = 0; sc->units && i < sc->n_units; i++) {
        cc__scn_free_layer(&sc->units[i].src);
        cc_free(sc->units[i].level);
        cc_free(sc->units[i].parent_field);
    }
    cc_free(sc->units);
    cc__scn_free_estates(sc);
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

cc_status cc__scn_parse_inner(cc_ctx *ctx, const char *path, const char *text, size_t len,
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
    conv c = {ctx, {sc->path, (const char *const *)sc->overrides, sc->n_overrides}, sc, is_variant};
    if ((st = cc__yparse(ctx, &c.org, 0, text, len, &root))) goto fail;
    if ((st = cc__yapply_overrides(ctx, &c.org, &root))) goto fail;
    if ((st = cc__scn_convert(&c, root))) goto fail;
    if ((st = hash_scenario(ctx, sc, text, len))) goto fail;
    if (!is_variant && (st = cc__scn_read_variants(&c, root, text, len))) goto fail;
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
    return cc__scn_parse_inner(ctx, path, text, len, overrides, n_overrides, 0, out);
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
