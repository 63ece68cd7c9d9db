/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A variant that changes little routes little (issue 18 item 4).
 *
 * Graphs: when a variant's network inputs, travel settings, snapping, working CRS and demand
 * coordinates are the baseline's (cc__net_key equal), each of its graphs is the baseline's
 * graph of the same (mode, speed, profile), with the same demand snaps: it borrows them (the
 * baseline study outlives its variants' runs) instead of building and snapping again.
 *
 * Catchments: on a borrowed graph a facility's snap depends only on its coordinates, and
 * cc_route_catchments searches every facility on its own (its rows depend on the graph, the
 * profile, its snap, the points' snaps and the limit, never on the other facilities). So a
 * facility with the same id and coordinates as a baseline facility of its type has, at the
 * same routed limit, exactly the baseline facility's rows: they are copied, only the other
 * facilities are routed, and the rows are assembled in the variant's facility order. That
 * incidence is row for row the one a full routing makes; each point's nearest time and
 * facility then come from cc_analysis_nearest on it, which is how a full routing gets them
 * too (network.c), so they are the same, ties included.
 *
 * Areas: a kept facility's service-area outline depends on the graph, its snap, the type's
 * threshold and the CRS: copied when the threshold is the baseline's. Its people reached
 * depend on those rows, the threshold and the demand counts: copied when the counts are equal
 * too. The other facilities are traced and summed as in a baseline.
 *
 * CC_VARIANT_FULL_ROUTE=1 in the environment turns all of it off (a test aid: the variant
 * then builds, routes and traces everything itself, as before; tests/cli/test_variant_reuse.sh).
 */
#include "carecircle/route.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int reuse_off(void)
{
    const char *e = getenv("CC_VARIANT_FULL_ROUTE");
    return e && strcmp(e, "1") == 0;
}

cc_status cc__variant_borrow_graph(cc_ctx *ctx, cc_study *st, cc_net_variant *v)
{
    const cc_study *b = st->base;
    if (!b || !b->vars || !st->roads || !b->roads || st->net_as_base == 2) return CC_OK;
    if (!st->net_as_base) {
        unsigned char kv[32], kb[32];
        cc_status rc = cc__net_key(ctx, st, kv);
        if (!rc) rc = cc__net_key(ctx, b, kb);
        if (rc) return rc;
        st->net_as_base = !reuse_off() && memcmp(kv, kb, 32) == 0 ? 1 : 2;
        if (st->net_as_base == 2) return CC_OK;
    }
    for (size_t k = 0; k < b->n_vars; k++) {
        const cc_net_variant *bv = &b->vars[k];
        if (strcmp(bv->mode, v->mode) != 0 || bv->speed_kmh != v->speed_kmh ||
            bv->custom != v->custom || !bv->g || !bv->prof || !bv->pts)
            continue;
        v->g = bv->g;
        v->prof = bv->prof;
        v->pts = bv->pts;
        v->borrowed = 1;
        break;
    }
    return CC_OK;
}

/* A facility as matched: id, working-CRS coordinates, index in its set. */
typedef struct fac_key {
    const char *id;
    double x, y;
    int32_t ix;
} fac_key;

static int cmp_key(const void *pa, const void *pb)
{
    const fac_key *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c) return c;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return a->ix < b->ix ? -1 : a->ix > b->ix;
}

/* The baseline's facility set of f's type on the very graph f routes on, else NULL. */
static const cc_fac_set *base_set(const cc_study *st, const cc_fac_set *f)
{
    const cc_study *b = st->base;
    const cc_net_variant *v = st->vars ? &st->vars[f->variant] : NULL;
    if (!b || !v || !v->borrowed || f->matrix_reach || !f->fsnap) return NULL;
    for (size_t t = 0; t < b->n_types; t++) {
        const cc_fac_set *bf = &b->fac[t];
        if (strcmp(bf->spec->name, f->spec->name) != 0) continue;
        if (bf->matrix_reach || !bf->inc || bf->inc->n_fac != bf->n || !bf->fsnap) return NULL;
        return b->vars[bf->variant].g == v->g ? bf : NULL;
    }
    return NULL;
}

/* Snapping is deterministic, so a twin snaps where its baseline facility did; checked all
   the same, since everything copied rests on it. */
static int same_snap(const cc_snap *a, const cc_snap *b)
{
    return a->edge == b->edge && a->component == b->component && a->offset_m == b->offset_m &&
           a->dist_m == b->dist_m && a->x == b->x && a->y == b->y;
}

/* f->base_ix: each facility's baseline twin (same id, same coordinates, so the same snap on
   the same graph), -1 when none. */
static cc_status match(cc_ctx *ctx, const cc_fac_set *bf, cc_fac_set *f)
{
    size_t nb = bf->n;
    fac_key *keys = cc_malloc_array(ctx, nb ? nb : 1, sizeof *keys);
    f->base_ix = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *f->base_ix);
    if (!keys || !f->base_ix) {
        cc_free(keys);
        cc_free(f->base_ix);
        f->base_ix = NULL;
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < nb; i++)
        keys[i] = (fac_key){bf->id[i] ? bf->id[i] : "", bf->x[i], bf->y[i], (int32_t)i};
    qsort(keys, nb, sizeof *keys, cmp_key);
    for (size_t j = 0; j < f->n; j++) {
        f->base_ix[j] = -1;
        if (!isfinite(f->x[j]) || !isfinite(f->y[j])) continue;
        /* the first key not below (id, x, y, -1) */
        fac_key q = {f->id[j] ? f->id[j] : "", f->x[j], f->y[j], -1};
        size_t lo = 0, hi = nb;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_key(&keys[mid], &q) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < nb && strcmp(keys[lo].id, q.id) == 0 && keys[lo].x == q.x && keys[lo].y == q.y &&
            same_snap(&f->fsnap[j], &bf->fsnap[keys[lo].ix]))
            f->base_ix[j] = keys[lo].ix;
    }
    cc_free(keys);
    return CC_OK;
}

/* f's baseline set when f may copy from it, its twins matched (once); NULL otherwise. */
static const cc_fac_set *twins(cc_ctx *ctx, cc_study *st, cc_fac_set *f, cc_status *rc)
{
    *rc = CC_OK;
    const cc_fac_set *bf = base_set(st, f);
    if (bf && !f->base_ix) *rc = match(ctx, bf, f);
    return *rc ? NULL : bf;
}

/* The incidence of f in its own facility order: the twins' rows from bf, the others' from
   sub (their rows in the order of `fresh`). */
static cc_status assemble(cc_ctx *ctx, const cc_fac_set *f, const cc_incidence *bi,
                          const cc_incidence *sub, cc_incidence **out)
{
    cc_incidence *inc = cc_calloc(ctx, 1, sizeof *inc);
    if (!inc) return CC_ERR_NOMEM;
    *out = inc;
    inc->n_fac = f->n;
    inc->fac_off = cc_malloc_array(ctx, f->n + 1, sizeof *inc->fac_off);
    if (!inc->fac_off) return CC_ERR_NOMEM;
    size_t rows = 0, k = 0;
    for (size_t j = 0; j < f->n; j++) {
        const cc_incidence *src = f->base_ix[j] >= 0 ? bi : sub;
        size_t s = f->base_ix[j] >= 0 ? (size_t)f->base_ix[j] : k++;
        inc->fac_off[j] = rows;
        rows += src->fac_off[s + 1] - src->fac_off[s];
    }
    inc->fac_off[f->n] = inc->n = rows;
    inc->pt = cc_malloc_array(ctx, rows ? rows : 1, sizeof *inc->pt);
    inc->time_ds = cc_malloc_array(ctx, rows ? rows : 1, sizeof *inc->time_ds);
    if (!inc->pt || !inc->time_ds) return CC_ERR_NOMEM;
    k = 0;
    for (size_t j = 0; j < f->n; j++) {
        const cc_incidence *src = f->base_ix[j] >= 0 ? bi : sub;
        size_t s = f->base_ix[j] >= 0 ? (size_t)f->base_ix[j] : k++;
        size_t r0 = src->fac_off[s], nr = src->fac_off[s + 1] - r0;
        if (!nr) continue;
        memcpy(inc->pt + inc->fac_off[j], src->pt + r0, nr * sizeof *inc->pt);
        memcpy(inc->time_ds + inc->fac_off[j], src->time_ds + r0, nr * sizeof *inc->time_ds);
    }
    return CC_OK;
}

cc_status cc__variant_catchments(cc_ctx *ctx, cc_study *st, size_t t, uint32_t limit_ds)
{
    cc_fac_set *f = &st->fac[t];
    const cc_net_variant *var = &st->vars[f->variant];
    cc_status rc;
    const cc_fac_set *bf = twins(ctx, st, f, &rc);
    if (rc) return rc;
    if (!bf || cc__limit_ds(st->base->sc) != limit_ds) {
        st->routed_facilities += f->n;
        return cc_route_catchments(ctx, var->g, var->prof, f->n, f->fsnap, st->dem.n, var->pts,
                                   limit_ds, &f->inc);
    }
    size_t n_new = 0;
    for (size_t j = 0; j < f->n; j++)
        n_new += f->base_ix[j] < 0;
    cc_snap *snap = cc_malloc_array(ctx, n_new ? n_new : 1, sizeof *snap);
    if (!snap) return CC_ERR_NOMEM;
    for (size_t j = 0, k = 0; j < f->n; j++)
        if (f->base_ix[j] < 0) snap[k++] = f->fsnap[j];
    cc_incidence *sub = NULL;
    if (n_new)
        rc = cc_route_catchments(ctx, var->g, var->prof, n_new, snap, st->dem.n, var->pts,
                                 limit_ds, &sub);
    cc_free(snap);
    if (!rc) rc = assemble(ctx, f, bf->inc, sub, &f->inc);
    cc_incidence_destroy(sub);
    st->routed_facilities += n_new;
    st->reused_facilities += f->n - n_new;
    return rc;
}

/* Feature k of g as a polygon set of its own (one feature), as service_areas makes one. */
static cc_status feature_copy(cc_ctx *ctx, const cc_geom_polys *g, size_t k, cc_geom_polys *out)
{
    size_t p0 = g->feat_part[k], np = g->feat_part[k + 1] - p0;
    size_t c0 = g->part_coord[p0], nc = g->part_coord[p0 + np] - c0;
    out->n = 1;
    out->n_parts = np;
    out->n_coords = nc;
    out->feat_part = cc_malloc_array(ctx, 2, sizeof *out->feat_part);
    out->part_coord = cc_malloc_array(ctx, np + 1, sizeof *out->part_coord);
    out->part_hole = cc_malloc_array(ctx, np ? np : 1, sizeof *out->part_hole);
    out->x = cc_malloc_array(ctx, nc ? nc : 1, sizeof *out->x);
    out->y = cc_malloc_array(ctx, nc ? nc : 1, sizeof *out->y);
    if (!out->feat_part || !out->part_coord || !out->part_hole || !out->x || !out->y)
        return CC_ERR_NOMEM;
    out->feat_part[0] = 0;
    out->feat_part[1] = np;
    for (size_t i = 0; i <= np; i++)
        out->part_coord[i] = g->part_coord[p0 + i] - c0;
    if (np) memcpy(out->part_hole, g->part_hole + p0, np);
    if (nc) memcpy(out->x, g->x + c0, nc * sizeof *out->x);
    if (nc) memcpy(out->y, g->y + c0, nc * sizeof *out->y);
    return CC_OK;
}

cc_status cc__variant_outlines(cc_ctx *ctx, cc_study *st, cc_fac_set *f, cc_geom_polys *parts,
                               int *copied)
{
    *copied = 0;
    cc_status rc;
    const cc_fac_set *bf = twins(ctx, st, f, &rc);
    if (rc || !bf || !st->base->sc->out_catchment_polygons || bf->catch_geom.n != bf->n ||
        bf->spec->threshold_min != f->spec->threshold_min)
        return rc;
    for (size_t j = 0; !rc && j < f->n; j++)
        if (f->base_ix[j] >= 0)
            rc = feature_copy(ctx, &bf->catch_geom, (size_t)f->base_ix[j], &parts[j]);
    *copied = !rc;
    return rc;
}

cc_status cc__variant_reached(cc_ctx *ctx, cc_study *st, cc_fac_set *f, int *copied)
{
    *copied = 0;
    cc_status rc;
    const cc_fac_set *bf = twins(ctx, st, f, &rc);
    const cc_study *b = st->base;
    if (rc || !bf || !bf->reached || bf->spec->threshold_min != f->spec->threshold_min ||
        b->dem.n_groups != st->dem.n_groups || b->dem.n != st->dem.n)
        return rc;
    size_t ng = st->dem.n_groups, n = st->dem.n;
    for (size_t g = 0; g < ng; g++)
        if (n && memcmp(b->dem.count[g], st->dem.count[g], n * sizeof *st->dem.count[g]) != 0)
            return CC_OK;
    for (size_t j = 0; j < f->n; j++)
        for (size_t g = 0; f->base_ix[j] >= 0 && g < ng; g++)
            f->reached[g * f->n + j] = bf->reached[g * bf->n + (size_t)f->base_ix[j]];
    *copied = 1;
    return CC_OK;
}
