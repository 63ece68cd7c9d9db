/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GEOS building blocks shared by the geom sources: rings from flat coordinates and the repair
 * of invalid polygons (make-valid keeping only the polygonal parts).
 */
#include "geom/geom_internal.h"

#include <stdlib.h>

/* A closed linear ring from coordinates [c0, c1), closed when the input is not. NULL with
 * *degenerate = 1 when fewer than 4 coordinates once closed; NULL otherwise is a GEOS failure. */
GEOSGeometry *cc__geos_ring(GEOSContextHandle_t h, const double *x, const double *y, size_t c0,
                            size_t c1, int *degenerate)
{
    size_t m = c1 - c0;
    *degenerate = 0;
    int closed = m >= 2 && x[c0] == x[c1 - 1] && y[c0] == y[c1 - 1];
    size_t need = closed ? m : m + 1;
    if (m == 0 || need < 4) {
        *degenerate = 1;
        return NULL;
    }
    if (need > (size_t)0xffffffffu) return NULL;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, (unsigned)need, 2);
    if (!seq) return NULL;
    for (size_t k = 0; k < m; k++)
        if (!GEOSCoordSeq_setXY_r(h, seq, (unsigned)k, x[c0 + k], y[c0 + k])) goto fail;
    if (!closed && !GEOSCoordSeq_setXY_r(h, seq, (unsigned)m, x[c0], y[c0])) goto fail;
    return GEOSGeom_createLinearRing_r(h, seq); /* owns seq from here */
fail:
    GEOSCoordSeq_destroy_r(h, seq);
    return NULL;
}

/* Count the polygons in g (Polygon, MultiPolygon, nested collections); lines and points count
 * 0. When parts is not NULL, also clone them into parts[*np ...]. Returns 0 on GEOS failure. */
static int gather_polygons(GEOSContextHandle_t h, const GEOSGeometry *geom, GEOSGeometry **parts,
                           size_t *np)
{
    int t = GEOSGeomTypeId_r(h, geom);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, geom)) return 1;
        if (parts && !(parts[*np] = GEOSGeom_clone_r(h, geom))) return 0;
        (*np)++;
        return 1;
    }
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, geom);
        for (int k = 0; k < n; k++)
            if (!gather_polygons(h, GEOSGetGeometryN_r(h, geom, k), parts, np)) return 0;
        return 1;
    }
    return t >= 0;
}

/* Repair g with GEOSMakeValid (structure method, collapsed parts dropped) and keep only its
 * polygons as a MultiPolygon. Consumes g; NULL on GEOS failure. */
GEOSGeometry *cc__geos_make_valid(GEOSContextHandle_t h, GEOSGeometry *geom)
{
    GEOSGeometry *v = NULL, *out = NULL, **parts = NULL;
    GEOSMakeValidParams *params = GEOSMakeValidParams_create_r(h);
    if (params) {
        GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE);
        GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
        v = GEOSMakeValidWithParams_r(h, geom, params);
        GEOSMakeValidParams_destroy_r(h, params);
    }
    GEOSGeom_destroy_r(h, geom);
    if (!v) return NULL;
    int t = GEOSGeomTypeId_r(h, v);
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) return v;
    size_t n = 0;
    if (!gather_polygons(h, v, NULL, &n) || n > 0x7fffffffu) goto done;
    parts = calloc(n ? n : 1, sizeof *parts);
    if (!parts) goto done;
    size_t got = 0;
    if (gather_polygons(h, v, parts, &got)) {
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)got);
        if (out) got = 0; /* owned by out */
    }
    for (size_t k = 0; k < got; k++)
        GEOSGeom_destroy_r(h, parts[k]);
done:
    free(parts);
    GEOSGeom_destroy_r(h, v);
    return out;
}
