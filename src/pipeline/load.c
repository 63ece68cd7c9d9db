/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading the study: every layer of the scenario read through the io module, checked,
 * reprojected into the working CRS (chosen from the data unless the scenario names one) and
 * copied into the study's flat arrays. This file holds the load stage's order and the pieces
 * every layer shares (warnings, provenance records, unique ids, point reads); each kind of
 * layer has a file of its own (load_demand.c, load_facilities.c, load_districts.c,
 * load_network.c), the reprojection and location checks are in load_crs.c and the release of
 * a study in study_free.c.
 */
#include "core/internal.h"
#include "load.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

cc_status cc__study_warn(cc_ctx *ctx, cc_study *st, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    cc_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    char *s = cc_strdup(ctx, line);
    if (!s) return CC_ERR_NOMEM;
    cc_log(ctx, CC_LOG_WARN, "%s", line);
    cc_status rc = cc_vec_push(ctx, &st->warnings, &s);
    if (rc) cc_free(s);
    return rc;
}

/* Record path, checksum and size of every source once; pre (may be NULL) holds checksums
 * already worked out, one per source. */
cc_status cc__record_inputs_pre(cc_ctx *ctx, cc_study *st, const char *role,
                                const cc_layer_spec *src, size_t features, const cc__pre_hash *pre)
{
    for (size_t i = 0; i < src->n_sources; i++) {
        const char *p = src->sources[i];
        int dup = 0;
        for (size_t k = 0; k < st->inputs.len; k++)
            if (strcmp(CC_VEC_AT(&st->inputs, cc_input_rec, k).path, p) == 0) dup = 1;
        if (dup || strncmp(p, "/vsi", 4) == 0) continue;
        cc_input_rec r = {0};
        r.role = cc_strdup(ctx, role);
        r.path = cc_strdup(ctx, p);
        r.features = features;
        if (!r.role || !r.path) {
            cc_free(r.role);
            cc_free(r.path);
            return CC_ERR_NOMEM;
        }
        cc_status rc;
        if (pre) {
            rc = pre[i].rc;
            if (rc) rc = cc_error(ctx, rc, "%s", pre[i].msg ? pre[i].msg : cc_status_message(rc));
            memcpy(r.sha256, pre[i].sha256, sizeof r.sha256);
            r.size = pre[i].size;
        } else {
            rc = cc_sha256_file(ctx, p, r.sha256, &r.size);
        }
        if (!rc) rc = cc_vec_push(ctx, &st->inputs, &r);
        if (rc) {
            cc_free(r.role);
            cc_free(r.path);
            return rc;
        }
    }
    return CC_OK;
}

cc_status cc__record_inputs(cc_ctx *ctx, cc_study *st, const char *role, const cc_layer_spec *src,
                            size_t features)
{
    return cc__record_inputs_pre(ctx, st, role, src, features, NULL);
}

typedef struct id_ref {
    const char *id;
    size_t idx;
} id_ref;

static int cmp_id(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Ids from id_field must be unique: outputs refer to features by them. */
cc_status cc__check_unique_ids(cc_ctx *ctx, const cc_layer *L, const char *role)
{
    if (L->n < 2) return CC_OK;
    id_ref *p = cc_malloc_array(ctx, L->n, sizeof *p);
    if (!p) return CC_ERR_NOMEM;
    for (size_t i = 0; i < L->n; i++)
        p[i] = (id_ref){L->id[i] ? L->id[i] : "", i};
    qsort(p, L->n, sizeof *p, cmp_id);
    cc_status rc = CC_OK;
    for (size_t i = 1; i < L->n; i++)
        if (strcmp(p[i - 1].id, p[i].id) == 0) {
            rc = cc_error(ctx, CC_ERR_DATA,
                          "%s (%s): id '%s' is used by features %lld and %lld; ids must be "
                          "unique, so give id_field a column with one value per feature",
                          L->path, role, p[i].id, (long long)L->fid[p[i - 1].idx],
                          (long long)L->fid[p[i].idx]);
            break;
        }
    cc_free(p);
    return rc;
}

/* A vector read request for a layer spec (selection, coordinates, ids and names). */
cc_vector_request cc__request_for(const cc_layer_spec *src, const char *role)
{
    cc_vector_request rq = {0};
    rq.path = src->sources[0];
    rq.layer = src->layer;
    rq.where = src->where;
    rq.encoding = src->encoding;
    rq.crs_override = src->crs;
    rq.x_field = src->x_field;
    rq.y_field = src->y_field;
    rq.id_field = src->id_field;
    rq.name_field = src->name_field;
    rq.role = role;
    return rq;
}

/* Read one layer spec as points (rasters: one point per cell). */
cc_status cc__read_points(cc_ctx *ctx, cc_study *st, const char *role, const cc_layer_spec *src,
                          const char *const *num, size_t n_num, int allow_null, int want_geom,
                          cc_layer **out)
{
    *out = NULL;
    int is_raster = 0;
    cc_status rc = CC_OK;
    /* A source with coordinate columns is a table, always: never ask GDAL to guess (its XYZ
     * raster driver takes a CSV of points on a regular grid for a raster). */
    if (!(src->x_field && *src->x_field)) rc = cc_io_source_kind(ctx, src->sources[0], &is_raster);
    if (rc) return rc;
    if (is_raster) {
        cc_raster_request rq = {(const char *const *)src->sources, src->n_sources, 1, src->crs,
                                role};
        rc = cc_io_read_raster_cells(ctx, &rq, out);
    } else {
        if (src->n_sources > 1) {
            char where[512];
            return cc_error(ctx, CC_ERR_SCENARIO,
                            "%s: %s: a list of sources is only allowed for rasters on one "
                            "grid; '%s' is a vector file",
                            cc_scenario_where(st->sc, src->pos, where, sizeof where), role,
                            src->sources[0]);
        }
        cc_vector_request rq = cc__request_for(src, role);
        rq.num_fields = num;
        rq.n_num = n_num;
        rq.num_nonneg = 1;
        rq.num_allow_null = allow_null;
        rq.want_geometry = want_geom;
        rq.expect = CC_GEOM_NONE;
        rq.role = role;
        rc = cc_io_read_vector(ctx, &rq, out);
    }
    if (!rc && src->id_field) rc = cc__check_unique_ids(ctx, *out, role);
    if (rc) return rc;
    return cc__record_inputs(ctx, st, role, src, (*out)->n);
}

cc_status cc__study_load(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    memset(st, 0, sizeof *st);
    st->sc = sc;
    st->inputs.elem = sizeof(cc_input_rec);
    st->warnings.elem = sizeof(char *);
    double t0 = cc_now();
    cc_progress(ctx, "loading", 0);
    cc__net_read nr;
    cc__net_read_start(ctx, sc, &nr);
    cc_status rc = cc__load_demand(ctx, sc, st);
    if (!rc) rc = cc_check_interrupt(ctx);
    if (!rc) rc = cc__load_facilities(ctx, sc, st);
    if (!rc) rc = cc__load_districts(ctx, sc, st);
    if (!rc) rc = cc__load_units(ctx, sc, st);
    if (!rc) rc = cc__load_estates(ctx, sc, st);
    if (!rc) rc = cc_check_interrupt(ctx);
    if (nr.running) {
        cc_status nrc = cc__net_read_finish(ctx, st, &nr, !rc);
        if (!rc) rc = nrc;
    } else if (!rc) {
        rc = cc__load_network(ctx, sc, st);
    }
    cc_progress(ctx, "loading", 1);
    st->t_load = cc_now() - t0 - st->t_crs;
    return rc;
}
