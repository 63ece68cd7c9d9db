/*
 * Loading the study: every layer of the scenario read through the io module, checked,
 * reprojected into the working CRS (chosen from the data unless the scenario names one) and
 * copied into the study's flat arrays. Demand groups that share a source share points.
 */
#include "carecircle/crs.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
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

/* Checksum of one source file, worked out ahead (see net_read). */
typedef struct pre_hash {
    cc_status rc; /* of cc_sha256_file; its message in msg */
    char sha256[65];
    uint64_t size;
    char *msg;
} pre_hash;

/* Record path, checksum and size of every source once; pre (may be NULL) holds checksums
 * already worked out, one per source. */
static cc_status record_inputs_pre(cc_ctx *ctx, cc_study *st, const char *role,
                                   const cc_layer_spec *src, size_t features, const pre_hash *pre)
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

static cc_status record_inputs(cc_ctx *ctx, cc_study *st, const char *role,
                               const cc_layer_spec *src, size_t features)
{
    return record_inputs_pre(ctx, st, role, src, features, NULL);
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
static cc_status check_unique_ids(cc_ctx *ctx, const cc_layer *L, const char *role)
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
static cc_vector_request request_for(const cc_layer_spec *src, const char *role)
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
static cc_status read_points(cc_ctx *ctx, cc_study *st, const char *role, const cc_layer_spec *src,
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
        cc_vector_request rq = request_for(src, role);
        rq.num_fields = num;
        rq.n_num = n_num;
        rq.num_nonneg = 1;
        rq.num_allow_null = allow_null;
        rq.want_geometry = want_geom;
        rq.expect = CC_GEOM_NONE;
        rq.role = role;
        rc = cc_io_read_vector(ctx, &rq, out);
    }
    if (!rc && src->id_field) rc = check_unique_ids(ctx, *out, role);
    if (rc) return rc;
    return record_inputs(ctx, st, role, src, (*out)->n);
}

/*
 * The study's working CRS, chosen from where the people are (issue 14 item 4): the
 * population-weighted median of every demand point in WGS 84 (cc_crs_centre), not the extent
 * of the layers, so a failed geocode at (0, 0) or a raster whose nodata margin reaches far
 * away cannot move the UTM zone. Raster nodata cells are not points at all. The same centre
 * and an outlier radius (cc_crs_outlier_km) then flag points far from the rest.
 */
static cc_status choose_crs(cc_ctx *ctx, cc_study *st, cc_layer *const *blocks, double *const *lon,
                            double *const *lat, size_t nb)
{
    size_t total = 0;
    for (size_t b = 0; b < nb; b++)
        total += blocks[b]->n;
    /* An even sample over all blocks, so the cost stays bounded for 1e7 cells. */
    size_t stride = total > CC_CRS_CENTRE_SAMPLE
                        ? (total + CC_CRS_CENTRE_SAMPLE - 1) / CC_CRS_CENTRE_SAMPLE
                        : 1;
    size_t cap = total ? (total + stride - 1) / stride : 1;
    double *sx = cc_malloc_array(ctx, cap, sizeof *sx), *sy = cc_malloc_array(ctx, cap, sizeof *sy),
           *sw = cc_malloc_array(ctx, cap, sizeof *sw);
    cc_status rc = sx && sy && sw ? CC_OK : CC_ERR_NOMEM;
    size_t m = 0, at = 0;
    for (size_t b = 0; !rc && b < nb; b++) {
        const cc_layer *L = blocks[b];
        for (size_t i = (stride - at % stride) % stride; i < L->n && m < cap; i += stride) {
            double w = 0;
            for (size_t c = 0; c < L->n_num; c++)
                if (isfinite(L->num[c][i]) && L->num[c][i] > 0) w += L->num[c][i];
            sx[m] = lon[b][i];
            sy[m] = lat[b][i];
            sw[m++] = w;
        }
        at += L->n;
    }
    int found = 0;
    double cx = NAN, cy = NAN;
    if (!rc) rc = cc_crs_centre(ctx, m, sx, sy, sw, &cx, &cy, &found);
    if (!rc && found) rc = cc_crs_outlier_km(ctx, m, sx, sy, cx, cy, &st->outlier_km);
    cc_free(sx);
    cc_free(sy);
    cc_free(sw);
    if (rc) return rc;
    st->centre_lon = cx;
    st->centre_lat = cy;
    if (!found) st->outlier_km = INFINITY; /* nothing to compare with */
    rc = cc_crs_working(ctx, st->sc->working_crs, cx, cy, &st->crs_def, &st->crs_name);
    if (rc) cc_error_prefix(ctx, "%s", st->sc->path);
    return rc;
}

/*
 * Points of one layer far from the study's centre (beyond st->outlier_km) or at null island
 * (0, 0): counted, and named in one warning (issue 14 item 4). They stay in the study.
 */
static cc_status flag_outliers(cc_ctx *ctx, cc_study *st, const char *role, const char *what,
                               size_t n, const double *lon, const double *lat, char *const *id,
                               char *const *name)
{
    enum { SHOW = 3 };
    if (!isfinite(st->centre_lon)) return CC_OK;
    size_t bad = 0, null_island = 0;
    char ex[700] = "";
    size_t len = 0;
    /* Points well inside the radius (a box of half of it, in degrees) need no trigonometry. */
    double dlat = st->outlier_km * 0.5 / 111.2;
    double dlon = dlat / fmax(cos(st->centre_lat * 3.14159265358979323846 / 180.0), 0.01);
    for (size_t i = 0; i < n; i++) {
        int ni = cc_crs_null_island(lon[i], lat[i]);
        if (!ni && fabs(lat[i] - st->centre_lat) < dlat && fabs(lon[i] - st->centre_lon) < dlon)
            continue;
        double km = cc_crs_distance_km(st->centre_lon, st->centre_lat, lon[i], lat[i]);
        if (!ni && !(km > st->outlier_km)) continue;
        null_island += ni;
        if (bad < SHOW) {
            char xs[40], ys[40], ds[40];
            cc_fmt_double(xs, sizeof xs, lon[i], 5);
            cc_fmt_double(ys, sizeof ys, lat[i], 5);
            cc_fmt_double(ds, sizeof ds, km, 0);
            const char *nm = name && name[i] && *name[i] ? name[i] : id && id[i] ? id[i] : "?";
            cc_snprintf(ex + len, sizeof ex - len, "%s'%s' at (%s, %s), %s km away%s",
                        bad ? "; " : "", nm, xs, ys, ds,
                        ni ? " (null island: a failed geocode?)" : "");
            len = strlen(ex);
        }
        bad++;
    }
    st->q_outliers += bad;
    if (!bad) return CC_OK;
    char cx[40], cy[40], lim[40];
    cc_fmt_double(cx, sizeof cx, st->centre_lon, 4);
    cc_fmt_double(cy, sizeof cy, st->centre_lat, 4);
    cc_fmt_double(lim, sizeof lim, st->outlier_km, 0);
    return cc__study_warn(ctx, st,
                          "%s: %zu of %zu %s lie far from the rest of the data (more than %s km "
                          "from its centre %s, %s%s): %s%s; check their coordinates or remove "
                          "them",
                          role, bad, n, what, lim, cx, cy, null_island ? ", or at (0, 0)" : "", ex,
                          bad > SHOW ? "; ..." : "");
}

/* WGS 84 copies of a layer's rep points (for outputs, the centre and the outlier check). */
static cc_status layer_lonlat(cc_ctx *ctx, const cc_layer *L, const char *role, double **lon,
                              double **lat)
{
    *lon = cc_malloc_array(ctx, L->n ? L->n : 1, sizeof **lon);
    *lat = cc_malloc_array(ctx, L->n ? L->n : 1, sizeof **lat);
    if (!*lon || !*lat) return CC_ERR_NOMEM;
    memcpy(*lon, L->rep_x, L->n * sizeof **lon);
    memcpy(*lat, L->rep_y, L->n * sizeof **lat);
    cc_crs_tx *tx = NULL;
    cc_status rc = cc_crs_tx_create(ctx, L->crs, "EPSG:4326", &tx);
    if (!rc) rc = cc_crs_tx_apply(ctx, tx, L->n, *lon, *lat);
    cc_crs_tx_destroy(tx);
    if (rc) cc_error_prefix(ctx, "%s (%s)", L->path, role);
    return rc;
}

/* Project rep points (and geometry) of a layer into the working CRS; lon/lat copies optional. */
static cc_status project_layer(cc_ctx *ctx, cc_study *st, cc_layer *L, const char *role,
                               double **lon, double **lat)
{
    cc_crs_tx *tx = NULL;
    cc_status rc = CC_OK;
    if (lon) {
        rc = layer_lonlat(ctx, L, role, lon, lat);
        if (rc) return rc;
    }
    rc = cc_crs_tx_create(ctx, L->crs, st->crs_def, &tx);
    if (!rc) rc = cc_crs_tx_apply(ctx, tx, L->n, L->rep_x, L->rep_y);
    if (!rc && L->geom.n_coords)
        rc = cc_crs_tx_apply(ctx, tx, L->geom.n_coords, L->geom.x, L->geom.y);
    cc_crs_tx_destroy(tx);
    if (rc) cc_error_prefix(ctx, "%s (%s)", L->path, role);
    return rc;
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
        rc = read_points(ctx, st, brole, &ds->buildings, NULL, 0, 1, 0, &B);
        if (!rc) rc = project_layer(ctx, st, B, brole, NULL, NULL);
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
        cc_crs_tx *tx = NULL;
        rc = cc_crs_tx_create(ctx, st->crs_def, "EPSG:4326", &tx);
        if (!rc) rc = cc_crs_tx_apply(ctx, tx, n, nlon, nlat);
        cc_crs_tx_destroy(tx);
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

static cc_status load_demand(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
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
        rc = read_points(ctx, st, role, &ds->src, fields, nf, 0, 1, &blocks[b]);
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
        rc = layer_lonlat(ctx, blocks[b], role, &lon[b], &lat[b]);
        st->t_crs += cc_now() - t;
        if (rc) goto done;
    }
    /* The working CRS from all demand points at once, then every block into it. */
    double t = cc_now();
    rc = choose_crs(ctx, st, blocks, lon, lat, nb);
    for (size_t b = 0; !rc && b < nb; b++) {
        const cc_demand_spec *ds = &sc->demand[first_group[b]];
        char role[256];
        cc_snprintf(role, sizeof role, "demand.%s", ds->name);
        rc = flag_outliers(ctx, st, role, "points", blocks[b]->n, lon[b], lat[b], blocks[b]->id,
                           blocks[b]->name);
        if (!rc) rc = project_layer(ctx, st, blocks[b], role, NULL, NULL);
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

/* Walking speed that sets a type's circle radius: its own, the network's, or the mode's. */
static double type_speed_kmh(const cc_scenario *sc, const cc_facility_spec *fs)
{
    if (fs->speed_kmh > 0) return fs->speed_kmh;
    if (sc->network.speed_kmh > 0 && !fs->mode) return sc->network.speed_kmh;
    const char *mode = fs->mode ? fs->mode : (sc->network.mode ? sc->network.mode : "walk");
    double v = cc_mode_default_speed_kmh(mode);
    return v > 0 ? v : 4.0;
}

/* One facility layer into the arrays of a cc_fac_set (n, x, y, lon, lat, id, name, capacity). */
static cc_status fac_arrays(cc_ctx *ctx, cc_study *st, const cc_scenario *sc,
                            const cc_facility_spec *fs, const cc_layer_spec *src, const char *role,
                            cc_fac_set *f)
{
    memset(f, 0, sizeof *f);
    const char *num[1] = {fs->capacity_field};
    cc_layer *L = NULL;
    cc_status rc = read_points(ctx, st, role, src, num, fs->capacity_field ? 1 : 0, 1, 0, &L);
    if (!rc && L->cell_w != 0) {
        char where[512];
        rc = cc_error(ctx, CC_ERR_SCENARIO,
                      "%s: %s: '%s' is a raster; facilities must be a point layer",
                      cc_scenario_where(sc, fs->pos, where, sizeof where), role, src->sources[0]);
    }
    if (!rc) rc = project_layer(ctx, st, L, role, &f->lon, &f->lat);
    if (!rc) rc = flag_outliers(ctx, st, role, "facilities", L->n, f->lon, f->lat, L->id, L->name);
    if (!rc) {
        f->n = L->n;
        f->x = L->rep_x;
        f->y = L->rep_y;
        f->id = L->id;
        f->name = L->name ? L->name : cc_calloc(ctx, L->n ? L->n : 1, sizeof *f->name);
        L->rep_x = L->rep_y = NULL;
        L->id = L->name = NULL;
        f->capacity = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *f->capacity);
        if (!f->capacity || !f->name) rc = CC_ERR_NOMEM;
        for (size_t i = 0; !rc && i < f->n; i++)
            f->capacity[i] = fs->capacity_field ? L->num[0][i] : NAN;
    }
    cc_layer_destroy(L);
    return rc;
}

static void fac_arrays_free(cc_fac_set *f)
{
    for (size_t i = 0; i < f->n; i++) {
        cc_free(f->id ? f->id[i] : NULL);
        cc_free(f->name ? f->name[i] : NULL);
    }
    cc_free(f->id);
    cc_free(f->name);
    cc_free(f->x);
    cc_free(f->y);
    cc_free(f->lon);
    cc_free(f->lat);
    cc_free(f->capacity);
    memset(f, 0, sizeof *f);
}

static cc_status grow(cc_ctx *ctx, void **p, size_t n, size_t size)
{
    void *q = cc_realloc_array(ctx, *p, n ? n : 1, size);
    if (!q) return CC_ERR_NOMEM;
    *p = q;
    return CC_OK;
}

/* Append b's facilities to a (taking b's strings). */
static cc_status fac_append(cc_ctx *ctx, cc_fac_set *a, cc_fac_set *b)
{
    size_t n = a->n + b->n;
    if (grow(ctx, (void **)&a->x, n, sizeof *a->x) || grow(ctx, (void **)&a->y, n, sizeof *a->y) ||
        grow(ctx, (void **)&a->lon, n, sizeof *a->lon) ||
        grow(ctx, (void **)&a->lat, n, sizeof *a->lat) ||
        grow(ctx, (void **)&a->id, n, sizeof *a->id) ||
        grow(ctx, (void **)&a->name, n, sizeof *a->name) ||
        grow(ctx, (void **)&a->capacity, n, sizeof *a->capacity))
        return CC_ERR_NOMEM;
    for (size_t i = 0; i < b->n; i++) {
        size_t k = a->n + i;
        a->x[k] = b->x[i];
        a->y[k] = b->y[i];
        a->lon[k] = b->lon[i];
        a->lat[k] = b->lat[i];
        a->id[k] = b->id[i];
        a->name[k] = b->name[i];
        a->capacity[k] = b->capacity[i];
        b->id[i] = b->name[i] = NULL;
    }
    a->n = n;
    return CC_OK;
}

/* Leave out a variant's removed facilities; an id that does not exist is an error. */
static cc_status fac_remove(cc_ctx *ctx, cc_fac_set *f, const cc_facility_spec *fs,
                            const char *role)
{
    for (size_t r = 0; r < fs->n_remove; r++) {
        size_t k = 0, hit = 0;
        for (size_t i = 0; i < f->n; i++) {
            if (strcmp(f->id[i], fs->remove_ids[r]) == 0) {
                cc_free(f->id[i]);
                cc_free(f->name[i]);
                hit++;
                continue;
            }
            f->x[k] = f->x[i];
            f->y[k] = f->y[i];
            f->lon[k] = f->lon[i];
            f->lat[k] = f->lat[i];
            f->id[k] = f->id[i];
            f->name[k] = f->name[i];
            f->capacity[k] = f->capacity[i];
            k++;
        }
        f->n = k;
        if (!hit)
            return cc_error(ctx, CC_ERR_SCENARIO,
                            "%s: remove_facilities names id '%s', which no facility has; check "
                            "the id (id_field of the layer)",
                            role, fs->remove_ids[r]);
    }
    return CC_OK;
}

static cc_status load_facilities(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    st->n_types = sc->n_facilities;
    st->fac = cc_calloc(ctx, sc->n_facilities ? sc->n_facilities : 1, sizeof *st->fac);
    if (!st->fac) return CC_ERR_NOMEM;
    /* The study area: demand extent grown by the largest circle radius. */
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < st->dem.n; i++) {
        minx = fmin(minx, st->dem.x[i]);
        maxx = fmax(maxx, st->dem.x[i]);
        miny = fmin(miny, st->dem.y[i]);
        maxy = fmax(maxy, st->dem.y[i]);
    }
    for (size_t t = 0; t < sc->n_facilities; t++) {
        const cc_facility_spec *fs = &sc->facilities[t];
        cc_fac_set *f = &st->fac[t];
        char role[256];
        cc_snprintf(role, sizeof role, "facilities.%s", fs->name);
        /* No source: a greenfield type that siting plans (config checks that it is). */
        cc_status rc = fs->src.n_sources ? fac_arrays(ctx, st, sc, fs, &fs->src, role, f) : CC_OK;
        f->spec = fs;                   /* after fac_arrays, which clears the set */
        if (!rc && fs->add.n_sources) { /* a variant's added facilities */
            cc_fac_set more;
            char arole[300];
            cc_snprintf(arole, sizeof arole, "%s (added)", role);
            rc = fac_arrays(ctx, st, sc, fs, &fs->add, arole, &more);
            if (!rc) rc = fac_append(ctx, f, &more);
            fac_arrays_free(&more);
        }
        if (!rc && fs->n_remove) rc = fac_remove(ctx, f, fs, role);
        if (rc) return rc;
        size_t no_cap = 0;
        for (size_t i = 0; i < f->n; i++)
            if (fs->capacity_field && isnan(f->capacity[i])) no_cap++;
        st->q_fac_no_capacity += fs->capacity_field ? no_cap : f->n;
        if (no_cap)
            rc = cc__study_warn(ctx, st, "%s: %zu of %zu facilities have no %s (capacity unknown)",
                                role, no_cap, f->n, fs->capacity_field);
        if (rc) return rc;
        f->speed_kmh = type_speed_kmh(sc, fs);
        f->radius_m =
            fs->radius_m > 0 ? fs->radius_m : f->speed_kmh * fs->threshold_min * 1000.0 / 60.0;
        f->serves = cc_calloc(ctx, fs->n_serves ? fs->n_serves : 1, sizeof *f->serves);
        if (!f->serves) return CC_ERR_NOMEM;
        for (size_t k = 0; k < fs->n_serves; k++)
            for (size_t g = 0; g < sc->n_demand; g++)
                if (strcmp(sc->demand[g].name, fs->serves[k]) == 0) f->serves[f->n_serves++] = g;
        /* Facilities far outside the demand area usually mean a wrong crs. */
        double margin = f->radius_m * 2 + 1000;
        size_t outside = 0;
        double nearest_km = INFINITY;
        const char *example = NULL;
        for (size_t i = 0; i < f->n; i++) {
            double dx = fmax(0, fmax(minx - f->x[i], f->x[i] - maxx));
            double dy = fmax(0, fmax(miny - f->y[i], f->y[i] - maxy));
            double d = sqrt(dx * dx + dy * dy);
            if (d > margin) {
                outside++;
                if (!example) example = f->id[i];
            }
            nearest_km = fmin(nearest_km, d / 1000);
        }
        if (f->n && outside == f->n)
            return cc_error(ctx, CC_ERR_DATA,
                            "%s (%s): all %zu facilities lie outside the study area (the nearest "
                            "is %.1f km from any demand); check the layer's crs and coordinates",
                            fs->src.sources[0], role, f->n, nearest_km);
        st->q_fac_outside += outside;
        if (outside) {
            rc = cc__study_warn(ctx, st,
                                "%s: %zu of %zu facilities lie outside the study area (e.g. '%s'); "
                                "they can still serve residents near the edge",
                                role, outside, f->n, example);
            if (rc) return rc;
        }
    }
    return CC_OK;
}

/* Deep copy of a polygon column (for the WGS 84 copy written to districts.geojson). */
static cc_status geomcol_copy(cc_ctx *ctx, const cc_geomcol *a, size_t n, cc_geomcol *b)
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
                           cc_polyset **out);
cc_status cc__load_polyset(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, const char *role,
                           cc_polyset **out)
{
    cc_vector_request rq = request_for(src, role);
    rq.expect = CC_GEOM_POLYGON;
    rq.want_geometry = 1;
    cc_layer *L = NULL;
    size_t repaired = 0;
    cc_status rc = cc_io_read_vector(ctx, &rq, &L);
    if (!rc) rc = record_inputs(ctx, st, role, src, L->n);
    if (!rc) rc = project_layer(ctx, st, L, role, NULL, NULL);
    if (!rc)
        rc = cc_geom_polyset_create(ctx, L->n, L->geom.feat_part, L->geom.part_coord,
                                    L->geom.part_hole, L->geom.x, L->geom.y, out, &repaired);
    cc_layer_destroy(L);
    return rc;
}

/* Candidate sites for siting: any point or polygon layer (representative points). */
cc_status cc__load_candidates(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, double **x,
                              double **y, double **lon, double **lat, char ***id, char ***name,
                              size_t *n);
cc_status cc__load_candidates(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, double **x,
                              double **y, double **lon, double **lat, char ***id, char ***name,
                              size_t *n)
{
    cc_layer *L = NULL;
    *n = 0;
    cc_status rc = read_points(ctx, st, "siting.candidates", src, NULL, 0, 1, 0, &L);
    if (!rc && L->cell_w != 0)
        rc = cc_error(ctx, CC_ERR_DATA,
                      "%s: siting candidates must be points or polygons, not a "
                      "raster",
                      src->sources[0]);
    if (!rc) rc = project_layer(ctx, st, L, "siting.candidates", lon, lat);
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

static cc_status load_districts(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    if (!sc->districts.present) return CC_OK;
    const cc_layer_spec *src = &sc->districts.src;
    cc_vector_request rq = request_for(src, "districts");
    rq.expect = CC_GEOM_POLYGON;
    rq.want_geometry = 1;
    cc_layer *L = NULL;
    cc_status rc = cc_io_read_vector(ctx, &rq, &L);
    if (!rc && src->id_field) rc = check_unique_ids(ctx, L, "districts");
    if (!rc) rc = record_inputs(ctx, st, "districts", src, L->n);
    if (!rc) rc = geomcol_copy(ctx, &L->geom, L->n, &st->district_geom);
    if (!rc) {
        cc_crs_tx *tx = NULL;
        rc = cc_crs_tx_create(ctx, L->crs, "EPSG:4326", &tx);
        if (!rc)
            rc = cc_crs_tx_apply(ctx, tx, st->district_geom.n_coords, st->district_geom.x,
                                 st->district_geom.y);
        cc_crs_tx_destroy(tx);
    }
    if (!rc) rc = project_layer(ctx, st, L, "districts", NULL, NULL);
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

/* The network layer's read request (x_field/y_field only serve to say "points given where
 * lines are needed"). str[] receives the tag fields and must outlive the request. */
static cc_vector_request network_request(const cc_network_spec *ns, const char *str[8])
{
    const char *tags[8] = {ns->class_field,  "foot",   "access", "sidewalk",
                           ns->oneway_field, "bridge", "tunnel", "maxspeed"};
    memcpy(str, tags, sizeof tags);
    cc_vector_request rq = request_for(&ns->src, "network");
    rq.name_field = NULL;
    rq.str_fields = str;
    rq.n_str = 8;
    rq.expect = CC_GEOM_LINE;
    rq.want_geometry = 1;
    rq.role = "network";
    return rq;
}

/*
 * The road network (usually the largest layer) is read on a thread of its own while the
 * demand, facility and district layers load (and its files are checksummed once they have).
 * The thread has a context of its own: its log lines are kept and replayed, and its error
 * reported, at the point where the network used to be read (after the other layers), so
 * messages and their order are those of a one-thread load. The thread's progress is not
 * shown (the run's progress sink need not be thread-safe); a Ctrl-C reaches it through its
 * progress callback.
 */
typedef struct net_read {
    cc_ctx *ctx;    /* the thread's context */
    cc_ctx *parent; /* the run's (read only for its interrupt flag) */
    const cc_network_spec *ns;
    cc_layer *roads;
    cc_status rc;
    pre_hash *hash; /* [ns->src.n_sources] */
    char **log_line;
    cc_log_level *log_level;
    size_t n_log, cap_log;
    int log_oom;
    pthread_t tid;
    int running;
} net_read;

static void net_read_log(void *ud, cc_log_level level, const char *msg)
{
    net_read *nr = ud;
    if (nr->n_log == nr->cap_log) {
        size_t nc = nr->cap_log ? 2 * nr->cap_log : 8;
        char **l = cc_realloc_array(nr->ctx, nr->log_line, nc, sizeof *l);
        if (l) nr->log_line = l;
        cc_log_level *v = l ? cc_realloc_array(nr->ctx, nr->log_level, nc, sizeof *v) : NULL;
        if (v) nr->log_level = v;
        if (!l || !v) {
            nr->log_oom = 1;
            return;
        }
        nr->cap_log = nc;
    }
    char *line = cc_strdup(nr->ctx, msg);
    if (!line) {
        nr->log_oom = 1;
        return;
    }
    nr->log_line[nr->n_log] = line;
    nr->log_level[nr->n_log++] = level;
}

/* The reader reports progress every few thousand features: pass a Ctrl-C of the run on. */
static void net_read_progress(void *ud, const char *stage, double fraction)
{
    net_read *nr = ud;
    (void)stage;
    (void)fraction;
    if (cc_ctx_interrupted(nr->parent)) cc_ctx_interrupt(nr->ctx);
}

static void *net_read_main(void *arg)
{
    net_read *nr = arg;
    const char *str[8];
    cc_vector_request rq = network_request(nr->ns, str);
    nr->rc = cc_io_read_vector(nr->ctx, &rq, &nr->roads);
    return NULL;
}

/* Start reading the network on its own thread; nothing starts (the network is then read in
 * turn) with one thread, without a network, or when the thread cannot be had. */
static void net_read_start(cc_ctx *ctx, const cc_scenario *sc, net_read *nr)
{
    memset(nr, 0, sizeof *nr);
    if (!sc->network.present || cc_ctx_threads(ctx) == 1 || sc->network.src.n_sources == 0) return;
    if (cc_ctx_create(&nr->ctx) != CC_OK) {
        nr->ctx = NULL;
        return;
    }
    nr->ns = &sc->network;
    nr->parent = ctx;
    cc_ctx_set_log(nr->ctx, net_read_log, nr, CC_LOG_DEBUG);
    cc_ctx_set_progress(nr->ctx, net_read_progress, nr);
    cc_ctx_set_threads(nr->ctx, 1);
    nr->hash = cc_calloc(ctx, sc->network.src.n_sources, sizeof *nr->hash);
    if (!nr->hash || pthread_create(&nr->tid, NULL, net_read_main, nr) != 0) {
        cc_free(nr->hash);
        cc_ctx_destroy(nr->ctx);
        memset(nr, 0, sizeof *nr);
        return;
    }
    nr->running = 1;
}

/*
 * Checksum the network's files while the thread may still be reading them (on the critical
 * path otherwise); a file already recorded is skipped, as record_inputs would skip it. A
 * failure is kept for record_inputs_pre to report after any error of the read itself.
 */
static cc_status net_read_hash(cc_ctx *ctx, const cc_study *st, net_read *nr)
{
    const cc_layer_spec *src = &nr->ns->src;
    for (size_t i = 0; i < src->n_sources; i++) {
        const char *p = src->sources[i];
        int dup = strncmp(p, "/vsi", 4) == 0;
        for (size_t k = 0; k < st->inputs.len && !dup; k++)
            dup = strcmp(CC_VEC_AT(&st->inputs, cc_input_rec, k).path, p) == 0;
        if (dup) continue;
        pre_hash *h = &nr->hash[i];
        h->rc = cc_sha256_file(ctx, p, h->sha256, &h->size);
        if (h->rc == CC_ERR_NOMEM) return h->rc;
        if (h->rc && !(h->msg = cc_strdup(ctx, cc_ctx_message(ctx)))) return CC_ERR_NOMEM;
    }
    return CC_OK;
}

/* Wait for the thread; with use = 1 hand its layer, log lines and error over to the run. */
static cc_status net_read_finish(cc_ctx *ctx, cc_study *st, net_read *nr, int use)
{
    if (!nr->running) return CC_OK;
    cc_status hrc = use ? net_read_hash(ctx, st, nr) : CC_OK;
    pthread_join(nr->tid, NULL);
    nr->running = 0;
    cc_status rc = CC_OK;
    if (use) {
        for (size_t i = 0; i < nr->n_log; i++)
            cc_log(ctx, nr->log_level[i], "%s", nr->log_line[i]);
        if (nr->log_oom)
            rc = cc_error(ctx, CC_ERR_NOMEM, "out of memory");
        else if (nr->rc)
            rc = cc_error(ctx, nr->rc, "%s", cc_ctx_message(nr->ctx));
        else if (hrc)
            rc = cc_error(ctx, hrc, "out of memory");
    }
    if (use && !rc) {
        st->roads = nr->roads;
        nr->roads = NULL;
        rc = record_inputs_pre(ctx, st, "network", &nr->ns->src, st->roads->n, nr->hash);
        if (!rc) rc = project_layer(ctx, st, st->roads, "network", NULL, NULL);
    }
    for (size_t i = 0; i < nr->n_log; i++)
        cc_free(nr->log_line[i]);
    cc_free(nr->log_line);
    cc_free(nr->log_level);
    for (size_t i = 0; nr->hash && i < nr->ns->src.n_sources; i++)
        cc_free(nr->hash[i].msg);
    cc_free(nr->hash);
    cc_layer_destroy(nr->roads);
    cc_ctx_destroy(nr->ctx);
    memset(nr, 0, sizeof *nr);
    return rc;
}

static cc_status load_network(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    if (!sc->network.present) return CC_OK;
    const cc_network_spec *ns = &sc->network;
    const char *str[8];
    cc_vector_request rq = network_request(ns, str);
    cc_status rc = cc_io_read_vector(ctx, &rq, &st->roads);
    if (!rc) rc = record_inputs(ctx, st, "network", &ns->src, st->roads->n);
    if (!rc) rc = project_layer(ctx, st, st->roads, "network", NULL, NULL);
    return rc;
}

cc_status cc__study_load(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    memset(st, 0, sizeof *st);
    st->sc = sc;
    st->inputs.elem = sizeof(cc_input_rec);
    st->warnings.elem = sizeof(char *);
    double t0 = cc_now();
    cc_progress(ctx, "loading", 0);
    net_read nr;
    net_read_start(ctx, sc, &nr);
    cc_status rc = load_demand(ctx, sc, st);
    if (!rc) rc = cc_check_interrupt(ctx);
    if (!rc) rc = load_facilities(ctx, sc, st);
    if (!rc) rc = load_districts(ctx, sc, st);
    if (!rc) rc = cc_check_interrupt(ctx);
    if (nr.running) {
        cc_status nrc = net_read_finish(ctx, st, &nr, !rc);
        if (!rc) rc = nrc;
    } else if (!rc) {
        rc = load_network(ctx, sc, st);
    }
    cc_progress(ctx, "loading", 1);
    st->t_load = cc_now() - t0 - st->t_crs;
    return rc;
}

static void free_strs(char **s, size_t n)
{
    if (!s) return;
    for (size_t i = 0; i < n; i++)
        cc_free(s[i]);
    cc_free(s);
}

void cc__study_free(cc_study *st)
{
    cc_demand_pts *d = &st->dem;
    cc_free(d->x);
    cc_free(d->y);
    cc_free(d->lon);
    cc_free(d->lat);
    free_strs(d->id, d->n);
    if (d->count)
        for (size_t g = 0; g < d->n_groups; g++)
            cc_free(d->count[g]);
    cc_free(d->count);
    cc_free(d->total);
    cc_free(d->district);
    for (size_t t = 0; st->fac && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        cc_free(f->x);
        cc_free(f->y);
        cc_free(f->lon);
        cc_free(f->lat);
        free_strs(f->id, f->n);
        free_strs(f->name, f->n);
        cc_free(f->capacity);
        cc_free(f->serves);
        cc_free(f->circle_m);
        cc_free(f->circle_fac);
        cc_free(f->net_min);
        cc_free(f->net_fac);
        cc_free(f->fsnap);
        cc_free(f->served);
        cc_free(f->access);
        cc_free(f->ratio_fac);
        cc_free(f->reason);
        cc_free(f->reason_pop);
        cc_free(f->served_at);
        cc_free(f->cov);
        cc_free(f->curve);
        cc_free(f->gap_min);
        cc_free(f->detour);
        cc_free(f->binding);
        cc_free(f->fac_district);
        cc_free(f->dstats);
        cc_geom_hex_areas_destroy(f->areas);
        cc_geom_polys_free(&f->catch_geom);
        cc_free(f->reached);
        cc_incidence_destroy(f->inc);
    }
    cc_free(st->fac);
    free_strs(st->district_name, st->n_districts);
    free_strs(st->district_id, st->n_districts);
    cc_geom_polyset_destroy(st->districts);
    cc_free(st->district_area_m2);
    cc_free(st->district_in_m2);
    cc_io_geomcol_free(&st->district_geom);
    for (size_t i = 0; i < st->n_target_sets; i++) {
        cc_targets_destroy(st->targets[i]);
        cc_free(st->target_res ? st->target_res[i] : NULL);
    }
    cc_free(st->targets);
    cc_free(st->target_res);
    cc_free(st->n_target_res);
    cc_layer_destroy(st->roads);
    for (size_t v = 0; st->vars && v < st->n_vars; v++) {
        cc_graph_destroy(st->vars[v].g);
        cc_profile_destroy(st->vars[v].prof);
        cc_free(st->vars[v].pts);
    }
    cc_free(st->vars);
    cc_free(st->q_dem_beyond_snap_pop);
    for (size_t t = 0; st->cache_tds && t < st->n_types; t++)
        cc_free(st->cache_tds[t]);
    cc_free(st->cache_tds);
    for (size_t i = 0; i < st->inputs.len; i++) {
        cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        cc_free(r->role);
        cc_free(r->path);
    }
    cc_vec_free(&st->inputs);
    for (size_t i = 0; i < st->warnings.len; i++)
        cc_free(CC_VEC_AT(&st->warnings, char *, i));
    cc_vec_free(&st->warnings);
    cc__siting_free(st->siting);
    cc_free(st->crs_def);
    cc_free(st->crs_name);
    memset(st, 0, sizeof *st);
}
