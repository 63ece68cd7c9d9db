/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The demand: every group's source read (groups sharing a source share one read and its
 * points), polygon counts spread to points, all reprojected into the working CRS (which the
 * demand chooses) and merged into the study's demand points.
 */
#include "carecircle/crs.h"
#include "core/internal.h"
#include "load.h"

#include <math.h>
#include <string.h>

static int same_str(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static int same_source(const cc_layer_spec *a, const cc_layer_spec *b)
{
    if (a->n_sources != b->n_sources) return 0;
    for (size_t i = 0; i < a->n_sources; i++)
        if (strcmp(a->sources[i], b->sources[i]) != 0) return 0;
    return same_str(a->layer, b->layer) && same_str(a->where, b->where) &&
           same_str(a->crs, b->crs) && same_str(a->encoding, b->encoding) &&
           same_str(a->x_field, b->x_field) && same_str(a->y_field, b->y_field) &&
           same_str(a->id_field, b->id_field);
}

/*
 * Counts per polygon (communities, census units) are spread to points: to the buildings
 * inside when a buildings layer is given, else over a cell_m grid by area (cc_geom_spread).
 * The layer's per-feature arrays are replaced by per-point arrays; counts are split by weight.
 */
static cc_status spread_polygons(cc_ctx *ctx, cc_study *st, const cc_demand_spec *ds,
                                 const char *role, cc_layer *L, double **lon, double **lat)
{
    cc_layer *B = NULL;
    cc_spread_result r;
    memset(&r, 0, sizeof r);
    cc_status rc = CC_OK;
    if (ds->buildings.n_sources) {
        char brole[300];
        cc_snprintf(brole, sizeof brole, "%s.buildings", role);
        rc = cc__read_points(ctx, st, brole, &ds->buildings, NULL, 0, 1, 0, &B);
        if (!rc) rc = cc__project_layer(ctx, st, B, brole, NULL, NULL);
    }
    if (!rc)
        rc = cc_geom_spread(ctx, L->n, L->geom.feat_part, L->geom.part_coord, L->geom.part_hole,
                            L->geom.x, L->geom.y, B ? B->n : 0, B ? B->rep_x : NULL,
                            B ? B->rep_y : NULL, NULL, ds->cell_m, &r);
    if (rc) {
        if (cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "%s (%s)", L->path, role);
        goto done;
    }
    size_t n = r.n, m = n ? n : 1;
    int64_t *fid = cc_malloc_array(ctx, m, sizeof *fid);
    char **id = cc_calloc(ctx, m, sizeof *id);
    double **num = cc_calloc(ctx, L->n_num ? L->n_num : 1, sizeof *num);
    double *nlon = cc_malloc_array(ctx, m, sizeof *nlon),
           *nlat = cc_malloc_array(ctx, m, sizeof *nlat);
    rc = fid && id && num && nlon && nlat ? CC_OK : CC_ERR_NOMEM;
    for (size_t c = 0; !rc && c < L->n_num; c++)
        if (!(num[c] = cc_malloc_array(ctx, m, sizeof **num))) rc = CC_ERR_NOMEM;
    size_t lost = 0;
    double lost_pop = 0;
    if (!rc) {
        unsigned char *has = cc_calloc(ctx, L->n ? L->n : 1, 1);
        if (!has) rc = CC_ERR_NOMEM;
        for (size_t i = 0; !rc && i < n; i++) {
            size_t p = (size_t)r.src[i];
            has[p] = 1;
            fid[i] = L->fid[p];
            id[i] = cc_asprintf(ctx, "%s#%zu", L->id[p], i);
            if (!id[i]) rc = CC_ERR_NOMEM;
            for (size_t c = 0; c < L->n_num; c++)
                num[c][i] = L->num[c][p] * r.weight[i];
            nlon[i] = r.x[i];
            nlat[i] = r.y[i];
        }
        for (size_t p = 0; has && p < L->n; p++)
            if (!has[p]) {
                lost++;
                for (size_t c = 0; c < L->n_num; c++)
                    lost_pop += L->num[c][p];
            }
        cc_free(has);
    }
    if (!rc) { /* WGS 84 of the new points */
        rc = cc_crs_tx_apply(ctx, st->to_wgs84, n, nlon, nlat);
    }
    if (rc) {
        for (size_t i = 0; id && i < n; i++)
            cc_free(id[i]);
        for (size_t c = 0; num && c < L->n_num; c++)
            cc_free(num[c]);
        cc_free(fid);
        cc_free(id);
        cc_free(num);
        cc_free(nlon);
        cc_free(nlat);
        goto done;
    }
    /* Swap the per-point arrays into the layer. */
    for (size_t i = 0; i < L->n; i++) {
        cc_free(L->id[i]);
        if (L->name) cc_free(L->name[i]);
    }
    cc_free(L->id);
    cc_free(L->name);
    L->name = NULL;
    for (size_t c = 0; c < L->n_num; c++)
        cc_free(L->num[c]);
    cc_free(L->num);
    cc_free(L->fid);
    cc_free(L->rep_x);
    cc_free(L->rep_y);
    cc_free(*lon);
    cc_free(*lat);
    cc_io_geomcol_free(&L->geom);
    L->n = n;
    L->fid = fid;
    L->id = id;
    L->num = num;
    L->rep_x = r.x;
    L->rep_y = r.y;
    r.x = r.y = NULL;
    *lon = nlon;
    *lat = nlat;
    if (lost)
        rc = cc__study_warn(ctx, st,
                            "%s: %zu polygons have no area and no point, so their %g people are "
                            "left out; check their geometry",
                            role, lost, lost_pop);
done:
    cc_geom_spread_result_free(&r);
    cc_layer_destroy(B);
    return rc;
}

/* The distinct count fields of the groups read from block b, in first-seen order. */
static size_t block_fields(const cc_scenario *sc, const size_t *block_of, size_t b,
                           const char **fields, size_t cap)
{
    size_t nf = 0;
    for (size_t g = 0; g < sc->n_demand; g++) {
        if (block_of[g] != b || !sc->demand[g].count_field) continue;
        int dup = 0;
        for (size_t k = 0; k < nf; k++)
            dup |= strcmp(fields[k], sc->demand[g].count_field) == 0;
        if (!dup && nf < cap) fields[nf++] = sc->demand[g].count_field;
    }
    return nf;
}

cc_status cc__load_demand(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    size_t ng = sc->n_demand;
    cc_demand_pts *d = &st->dem;
    cc_status rc = CC_OK;
    size_t *block_of = cc_calloc(ctx, ng, sizeof *block_of);       /* group -> block */
    cc_layer **blocks = cc_calloc(ctx, ng, sizeof *blocks);        /* at most one per group */
    size_t *first_group = cc_calloc(ctx, ng, sizeof *first_group); /* block -> a group */
    double **lon = cc_calloc(ctx, ng, sizeof *lon), **lat = cc_calloc(ctx, ng, sizeof *lat);
    size_t nb = 0;
    if (!block_of || !blocks || !first_group || !lon || !lat) {
        rc = CC_ERR_NOMEM;
        goto done;
    }
    for (size_t g = 0; g < ng; g++) {
        size_t b;
        for (b = 0; b < nb; b++)
            if (same_source(&sc->demand[first_group[b]].src, &sc->demand[g].src)) break;
        block_of[g] = b;
        if (b == nb) first_group[nb++] = g;
    }
    /* Read each block with the count fields of all its groups. */
    for (size_t b = 0; b < nb; b++) {
        const char *fields[64];
        size_t nf = block_fields(sc, block_of, b, fields, 64);
        const cc_demand_spec *ds = &sc->demand[first_group[b]];
        char role[256];
        cc_snprintf(role, sizeof role, "demand.%s", ds->name);
        rc = cc__read_points(ctx, st, role, &ds->src, fields, nf, 0, 1, &blocks[b]);
        if (rc) goto done;
        if (blocks[b]->cell_w == 0) {
            for (size_t g = 0; g < ng; g++)
                if (block_of[g] == b && !sc->demand[g].count_field) {
                    char where[512];
                    rc = cc_error(ctx, CC_ERR_SCENARIO,
                                  "%s: demand.%s: '%s' is a vector layer, so count_field "
                                  "(people per feature) is required",
                                  cc_scenario_where(sc, sc->demand[g].pos, where, sizeof where),
                                  sc->demand[g].name, ds->src.sources[0]);
                    goto done;
                }
        }
        double t = cc_now();
        rc = cc__layer_lonlat(ctx, blocks[b], role, &lon[b], &lat[b]);
        st->t_crs += cc_now() - t;
        if (rc) goto done;
    }
    /* The working CRS from all demand points at once, then every block into it. */
    double t = cc_now();
    rc = cc__choose_crs(ctx, st, blocks, lon, lat, nb);
    for (size_t b = 0; !rc && b < nb; b++) {
        const cc_demand_spec *ds = &sc->demand[first_group[b]];
        char role[256];
        cc_snprintf(role, sizeof role, "demand.%s", ds->name);
        rc = cc__flag_outliers(ctx, st, role, "points", blocks[b]->n, lon[b], lat[b], blocks[b]->id,
                               blocks[b]->name);
        if (!rc) rc = cc__project_layer(ctx, st, blocks[b], role, NULL, NULL);
        if (!rc && blocks[b]->geom.kind == CC_GEOM_POLYGON)
            rc = spread_polygons(ctx, st, ds, role, blocks[b], &lon[b], &lat[b]);
    }
    st->t_crs += cc_now() - t;
    if (rc) goto done;
    /* Concatenate blocks into the study's points. */
    size_t n = 0;
    for (size_t b = 0; b < nb; b++)
        n += blocks[b]->n;
    d->n = n;
    d->n_groups = ng;
    d->x = cc_malloc_array(ctx, n ? n : 1, sizeof *d->x);
    d->y = cc_malloc_array(ctx, n ? n : 1, sizeof *d->y);
    d->lon = cc_malloc_array(ctx, n ? n : 1, sizeof *d->lon);
    d->lat = cc_malloc_array(ctx, n ? n : 1, sizeof *d->lat);
    d->id = cc_calloc(ctx, n ? n : 1, sizeof *d->id);
    d->count = cc_calloc(ctx, ng, sizeof *d->count);
    d->total = cc_calloc(ctx, ng, sizeof *d->total);
    if (!d->x || !d->y || !d->lon || !d->lat || !d->id || !d->count || !d->total) {
        rc = CC_ERR_NOMEM;
        goto done;
    }
    for (size_t g = 0; g < ng; g++) {
        d->count[g] = cc_calloc(ctx, n ? n : 1, sizeof **d->count);
        if (!d->count[g]) {
            rc = CC_ERR_NOMEM;
            goto done;
        }
    }
    size_t at = 0;
    for (size_t b = 0; b < nb; b++) {
        cc_layer *L = blocks[b];
        for (size_t i = 0; i < L->n; i++) {
            d->x[at + i] = L->rep_x[i];
            d->y[at + i] = L->rep_y[i];
            d->lon[at + i] = lon[b][i];
            d->lat[at + i] = lat[b][i];
            if (nb > 1) {
                d->id[at + i] = cc_asprintf(ctx, "s%zu:%s", b + 1, L->id[i]);
            } else { /* one block: take its strings over */
                d->id[at + i] = L->id[i];
                L->id[i] = NULL;
            }
            if (!d->id[at + i]) {
                rc = CC_ERR_NOMEM;
                goto done;
            }
        }
        for (size_t g = 0; g < ng; g++) {
            if (block_of[g] != b) continue;
            const cc_demand_spec *ds = &sc->demand[g];
            size_t col = 0; /* rasters: the cell value is column 0 */
            if (L->cell_w == 0) {
                const char *fields[64];
                size_t nf = block_fields(sc, block_of, b, fields, 64);
                for (col = 0; col < nf; col++)
                    if (strcmp(fields[col], ds->count_field) == 0) break;
            }
            for (size_t i = 0; i < L->n; i++) {
                double v = L->num[col][i] * ds->scale;
                d->count[g][at + i] = v;
                d->total[g] += v;
            }
        }
        at += L->n;
    }
done:
    for (size_t b = 0; b < nb; b++) {
        cc_layer_destroy(blocks ? blocks[b] : NULL);
        cc_free(lon ? lon[b] : NULL);
        cc_free(lat ? lat[b] : NULL);
    }
    cc_free(blocks);
    cc_free(lon);
    cc_free(lat);
    cc_free(block_of);
    cc_free(first_group);
    return rc;
}
