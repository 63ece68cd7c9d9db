/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polygon layers: the districts (located demand and facilities, a WGS 84 copy for the
 * outputs, data-quality notes), siting's exclusion polygons and its candidate sites.
 */
#include "carecircle/crs.h"
#include "core/internal.h"
#include "load.h"

#include <string.h>

/* Deep copy of a polygon column (for the WGS 84 copy written to districts.geojson). */
cc_status cc__geomcol_copy(cc_ctx *ctx, const cc_geomcol *a, size_t n, cc_geomcol *b)
{
    memset(b, 0, sizeof *b);
    b->kind = a->kind;
    b->n_parts = a->n_parts;
    b->n_coords = a->n_coords;
    b->feat_part = cc_malloc_array(ctx, n + 1, sizeof *b->feat_part);
    b->part_coord = cc_malloc_array(ctx, a->n_parts + 1, sizeof *b->part_coord);
    b->part_hole = cc_malloc_array(ctx, a->n_parts ? a->n_parts : 1, 1);
    b->x = cc_malloc_array(ctx, a->n_coords ? a->n_coords : 1, sizeof *b->x);
    b->y = cc_malloc_array(ctx, a->n_coords ? a->n_coords : 1, sizeof *b->y);
    if (!b->feat_part || !b->part_coord || !b->part_hole || !b->x || !b->y) return CC_ERR_NOMEM;
    memcpy(b->feat_part, a->feat_part, (n + 1) * sizeof *b->feat_part);
    memcpy(b->part_coord, a->part_coord, (a->n_parts + 1) * sizeof *b->part_coord);
    if (a->part_hole)
        memcpy(b->part_hole, a->part_hole, a->n_parts);
    else
        memset(b->part_hole, 0, a->n_parts);
    memcpy(b->x, a->x, a->n_coords * sizeof *b->x);
    memcpy(b->y, a->y, a->n_coords * sizeof *b->y);
    return CC_OK;
}

/* Polygons of a layer spec in the working CRS, as a located set (siting exclusions). */
cc_status cc__load_polyset(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, const char *role,
                           cc_polyset **out)
{
    cc_vector_request rq = cc__request_for(src, role);
    rq.expect = CC_GEOM_POLYGON;
    rq.want_geometry = 1;
    cc_layer *L = NULL;
    size_t repaired = 0;
    cc_status rc = cc_io_read_vector(ctx, &rq, &L);
    if (!rc) rc = cc__record_inputs(ctx, st, role, src, L->n);
    if (!rc) rc = cc__project_layer(ctx, st, L, role, NULL, NULL);
    if (!rc)
        rc = cc_geom_polyset_create(ctx, L->n, L->geom.feat_part, L->geom.part_coord,
                                    L->geom.part_hole, L->geom.x, L->geom.y, out, &repaired);
    cc_layer_destroy(L);
    return rc;
}

/* Candidate sites for siting: any point or polygon layer (representative points). */
cc_status cc__load_candidates(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, double **x,
                              double **y, double **lon, double **lat, char ***id, char ***name,
                              size_t *n)
{
    cc_layer *L = NULL;
    *n = 0;
    cc_status rc = cc__read_points(ctx, st, "siting.candidates", src, NULL, 0, 1, 0, &L);
    if (!rc && L->cell_w != 0)
        rc = cc_error(ctx, CC_ERR_DATA,
                      "%s: siting candidates must be points or polygons, not a "
                      "raster",
                      src->sources[0]);
    if (!rc) rc = cc__project_layer(ctx, st, L, "siting.candidates", lon, lat);
    if (!rc && !L->name) {
        L->name = cc_calloc(ctx, L->n ? L->n : 1, sizeof *L->name);
        if (!L->name) rc = CC_ERR_NOMEM;
    }
    if (!rc) {
        *n = L->n;
        *x = L->rep_x;
        *y = L->rep_y;
        *id = L->id;
        *name = L->name;
        L->rep_x = L->rep_y = NULL;
        L->id = L->name = NULL;
    }
    cc_layer_destroy(L);
    return rc;
}

cc_status cc__load_districts(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    if (!sc->districts.present) return CC_OK;
    const cc_layer_spec *src = &sc->districts.src;
    cc_vector_request rq = cc__request_for(src, "districts");
    rq.expect = CC_GEOM_POLYGON;
    rq.want_geometry = 1;
    cc_layer *L = NULL;
    cc_status rc = cc_io_read_vector(ctx, &rq, &L);
    if (!rc && src->id_field) rc = cc__check_unique_ids(ctx, L, "districts");
    if (!rc) rc = cc__record_inputs(ctx, st, "districts", src, L->n);
    if (!rc) rc = cc__geomcol_copy(ctx, &L->geom, L->n, &st->district_geom);
    if (!rc) {
        cc_crs_tx *tx = NULL;
        rc = cc_crs_tx_create(ctx, L->crs, "EPSG:4326", &tx);
        if (!rc)
            rc = cc_crs_tx_apply(ctx, tx, st->district_geom.n_coords, st->district_geom.x,
                                 st->district_geom.y);
        cc_crs_tx_destroy(tx);
    }
    if (!rc) rc = cc__project_layer(ctx, st, L, "districts", NULL, NULL);
    size_t repaired = 0;
    if (!rc)
        rc = cc_geom_polyset_create(ctx, L->n, L->geom.feat_part, L->geom.part_coord,
                                    L->geom.part_hole, L->geom.x, L->geom.y, &st->districts,
                                    &repaired);
    if (rc) {
        if (cc_ctx_last_status(ctx) == rc && L) cc_error_prefix(ctx, "%s (districts)", L->path);
        cc_layer_destroy(L);
        return rc;
    }
    st->n_districts = L->n;
    st->district_name = L->name;
    st->district_id = L->id;
    L->name = L->id = NULL;
    cc_layer_destroy(L);
    if (repaired)
        rc = cc__study_warn(ctx, st, "districts: %zu invalid polygons were repaired (make-valid)",
                            repaired);
    if (rc) return rc;
    st->dem.district = cc_malloc_array(ctx, st->dem.n ? st->dem.n : 1, sizeof *st->dem.district);
    if (!st->dem.district) return CC_ERR_NOMEM;
    rc = cc_geom_polyset_locate(ctx, st->districts, st->dem.n, st->dem.x, st->dem.y,
                                st->dem.district);
    if (rc) return rc;
    for (size_t t = 0; t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        f->fac_district = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *f->fac_district);
        if (!f->fac_district) return CC_ERR_NOMEM;
        rc = cc_geom_polyset_locate(ctx, st->districts, f->n, f->x, f->y, f->fac_district);
        if (rc) return rc;
    }
    size_t outside = 0;
    unsigned char *has = cc_calloc(ctx, st->n_districts ? st->n_districts : 1, 1);
    if (!has) return CC_ERR_NOMEM;
    for (size_t i = 0; i < st->dem.n; i++) {
        outside += st->dem.district[i] < 0;
        if (st->dem.district[i] >= 0) has[st->dem.district[i]] = 1;
    }
    size_t empty = 0;
    const char *example = NULL;
    for (size_t d = 0; d < st->n_districts; d++)
        if (!has[d]) {
            empty++;
            if (!example)
                example = st->district_name[d] && *st->district_name[d] ? st->district_name[d]
                                                                        : st->district_id[d];
        }
    cc_free(has);
    st->q_outside_districts = outside;
    st->q_districts_empty = empty;
    if (empty) {
        rc = cc__study_warn(ctx, st,
                            "districts: %zu of %zu districts hold no demand point (e.g. '%s'); "
                            "check that the districts and the demand cover the same area",
                            empty, st->n_districts, example);
        if (rc) return rc;
    }
    if (outside)
        rc = cc__study_warn(ctx, st, "demand: %zu of %zu demand points lie outside every district",
                            outside, st->dem.n);
    if (!rc) rc = cc__district_areas(ctx, st); /* so that `check` says which are partial */
    return rc;
}
