/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the geom sources: a per-call GEOS handle that records the last GEOS
 * message, and the conversion of GEOS polygons into the flat ring layout of cc_geom_polys.
 */
#ifndef CC_GEOM_INTERNAL_H
#define CC_GEOM_INTERNAL_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include "carecircle/geom.h"

/** One GEOS handle with its last error message (one line). */
typedef struct cc__geos {
    GEOSContextHandle_t h;
    cc_ctx *ctx; /* the opener's (a worker's child context in a parallel region): allocations */
    int nomem;   /* set when one of those failed (msg then says "out of memory") */
    char msg[256];
} cc__geos;

/** Open a handle (CC_ERR_NOMEM with a message when GEOS cannot start). */
cc_status cc__geos_open(cc_ctx *ctx, cc__geos *g);
/** Close a handle opened with cc__geos_open. Accepts a zeroed struct. */
void cc__geos_close(cc__geos *g);
/** The last GEOS message, or a fixed text when there is none. */
const char *cc__geos_reason(const cc__geos *g);

/**
 * Append one feature made of the polygonal parts of geom (Polygon, MultiPolygon, or a
 * collection holding them; other parts are ignored; empty gives a feature without rings) to
 * dst, with closed rings, outer rings counter-clockwise and holes clockwise. On failure dst
 * keeps its earlier features.
 */
cc_status cc__geos_append_polys(cc_ctx *ctx, cc__geos *g, const GEOSGeometry *geom,
                                cc_geom_polys *dst);

/**
 * A closed linear ring from coordinates [c0, c1), closed when the input is not. NULL with
 * *degenerate = 1 when it has fewer than 4 coordinates once closed; NULL otherwise is a GEOS
 * failure.
 */
GEOSGeometry *cc__geos_ring(GEOSContextHandle_t h, const double *x, const double *y, size_t c0,
                            size_t c1, int *degenerate);
/**
 * Repair geom with GEOSMakeValid (structure method, collapsed parts dropped) and keep only its
 * polygons: a Polygon, or a MultiPolygon of the non-empty polygons. Consumes geom; NULL on
 * GEOS failure.
 */
GEOSGeometry *cc__geos_make_valid(GEOSContextHandle_t h, GEOSGeometry *geom);

#endif
