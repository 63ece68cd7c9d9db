/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The facilities: each type's layer read, a variant's added facilities appended and its
 * removed ones left out, capacities checked, the circle radius set and facilities far outside
 * the study area named.
 */
#include "core/internal.h"
#include "load.h"

#include <math.h>
#include <string.h>

/* Walking speed that sets a type's circle radius: its own, the network's, or the mode's. */
static double type_speed_kmh(const cc_scenario *sc, const cc_facility_spec *fs)
{
    if (fs->speed_kmh > 0) return fs->speed_kmh;
    if (sc->network.speed_kmh > 0 && !fs->mode) return sc->network.speed_kmh;
    const char *mode = fs->mode ? fs->mode : (sc->network.mode ? sc->network.mode : "walk");
    double v = cc_mode_default_speed_kmh(mode);
    return v > 0 ? v : 4.0;
}

/* One facility layer into the arrays of a cc_fac_set (n, x, y, lon, lat, id, name, capacity,
   and the type's named attributes). */
static cc_status fac_arrays(cc_ctx *ctx, cc_study *st, const cc_scenario *sc,
                            const cc_facility_spec *fs, const cc_layer_spec *src, const char *role,
                            cc_fac_set *f)
{
    memset(f, 0, sizeof *f);
    size_t na = cc_facility_attr_count(fs), nc = fs->capacity_field ? 1 : 0;
    const char **num = cc_calloc(ctx, nc + na + 1, sizeof *num);
    if (!num) return CC_ERR_NOMEM;
    if (nc) num[0] = fs->capacity_field;
    for (size_t a = 0; a < na; a++)
        num[nc + a] = cc_facility_attr_field(fs, a);
    cc_layer *L = NULL;
    cc_status rc = cc__read_points(ctx, st, role, src, num, nc + na, 1, 0, &L);
    cc_free(num);
    if (!rc && L->cell_w != 0) {
        char where[512];
        rc = cc_error(ctx, CC_ERR_SCENARIO,
                      "%s: %s: '%s' is a raster; facilities must be a point layer",
                      cc_scenario_where(sc, fs->pos, where, sizeof where), role, src->sources[0]);
    }
    if (!rc) rc = cc__project_layer(ctx, st, L, role, &f->lon, &f->lat);
    if (!rc)
        rc = cc__flag_outliers(ctx, st, role, "facilities", L->n, f->lon, f->lat, L->id, L->name);
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
    if (!rc && na) {
        f->n_attr = na;
        f->attr = cc_malloc_array(ctx, f->n ? f->n * na : 1, sizeof *f->attr);
        if (!f->attr) rc = CC_ERR_NOMEM;
        for (size_t i = 0; !rc && i < f->n; i++)
            for (size_t a = 0; a < na; a++) {
                double v = L->num[nc + a][i];
                /* a flag is 0 or 1 (a GeoJSON true/false reads as 1/0) */
                int flag = a >= fs->n_capacities && a < fs->n_capacities + fs->n_flags;
                f->attr[i * na + a] = flag && !isnan(v) ? (v != 0) : v;
            }
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
    cc_free(f->attr);
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
        grow(ctx, (void **)&a->capacity, n, sizeof *a->capacity) ||
        (a->n_attr && grow(ctx, (void **)&a->attr, n * a->n_attr, sizeof *a->attr)))
        return CC_ERR_NOMEM;
    if (a->n_attr)
        memcpy(a->attr + a->n * a->n_attr, b->attr, b->n * b->n_attr * sizeof *b->attr);
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

/* Keep the facilities whose keep[i] is set, in order; free the others' strings. */
static void fac_keep(cc_fac_set *f, const unsigned char *keep)
{
    size_t k = 0, na = f->n_attr;
    for (size_t i = 0; i < f->n; i++) {
        if (!keep[i]) {
            cc_free(f->id[i]);
            cc_free(f->name[i]);
            continue;
        }
        f->x[k] = f->x[i];
        f->y[k] = f->y[i];
        f->lon[k] = f->lon[i];
        f->lat[k] = f->lat[i];
        f->id[k] = f->id[i];
        f->name[k] = f->name[i];
        f->capacity[k] = f->capacity[i];
        if (na) memmove(f->attr + k * na, f->attr + i * na, na * sizeof *f->attr);
        k++;
    }
    f->n = k;
}

/* Leave out a variant's removed facilities; an id that does not exist is an error. */
static cc_status fac_remove(cc_ctx *ctx, cc_fac_set *f, const cc_facility_spec *fs,
                            const char *role)
{
    unsigned char *keep = cc_malloc(ctx, f->n ? f->n : 1);
    if (!keep) return CC_ERR_NOMEM;
    cc_status rc = CC_OK;
    for (size_t r = 0; !rc && r < fs->n_remove; r++) {
        size_t hit = 0;
        for (size_t i = 0; i < f->n; i++) {
            keep[i] = strcmp(f->id[i], fs->remove_ids[r]) != 0;
            hit += !keep[i];
        }
        fac_keep(f, keep);
        if (!hit)
            rc = cc_error(ctx, CC_ERR_SCENARIO,
                          "%s: remove_facilities names id '%s', which no facility has; check "
                          "the id (id_field of the layer)",
                          role, fs->remove_ids[r]);
    }
    cc_free(keep);
    return rc;
}

/* Leave out the facilities that fail the type's condition:, with a warning. */
static cc_status fac_where(cc_ctx *ctx, cc_study *st, cc_fac_set *f, const cc_facility_spec *fs,
                           const char *role)
{
    unsigned char *keep = cc_malloc(ctx, f->n ? f->n : 1);
    if (!keep) return CC_ERR_NOMEM;
    size_t n0 = f->n;
    for (size_t i = 0; i < f->n; i++)
        keep[i] = (unsigned char)cc_where_eval(&fs->where, f->attr + i * f->n_attr);
    fac_keep(f, keep);
    cc_free(keep);
    f->n_where_out = n0 - f->n;
    if (!f->n_where_out) return CC_OK;
    return cc__study_warn(ctx, st,
                          "%s: %zu of %zu facilities do not meet condition: %s (or lack a value it "
                          "reads) and are left out",
                          role, f->n_where_out, n0, fs->where_text);
}

cc_status cc__load_facilities(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
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
        if (!rc && fs->where.n) rc = fac_where(ctx, st, f, fs, role);
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
