/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Flat polygon columns (cc_geom_polys): GEOS polygons -> closed, RFC 7946-wound rings in flat
 * arrays, appending, areas, and the per-call GEOS handle used by the hexagon and service-area
 * code.
 */
#include "geom/geom_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void geos_message(const char *message, void *userdata)
{
    cc__geos *g = userdata;
    size_t i = 0;
    for (; message && message[i] && i + 1 < sizeof g->msg; i++)
        g->msg[i] = (message[i] == '\n' || message[i] == '\r') ? ' ' : message[i];
    g->msg[i] = '\0';
}

cc_status cc__geos_open(cc_ctx *ctx, cc__geos *g)
{
    memset(g, 0, sizeof *g);
    g->ctx = ctx;
    g->h = GEOS_init_r();
    if (!g->h) return cc_error(ctx, CC_ERR_NOMEM, "cannot create a GEOS context (out of memory)");
    GEOSContext_setErrorMessageHandler_r(g->h, geos_message, g);
    return CC_OK;
}

void cc__geos_close(cc__geos *g)
{
    if (g && g->h) GEOS_finish_r(g->h);
    if (g) g->h = NULL;
}

const char *cc__geos_reason(const cc__geos *g)
{
    return g->msg[0] ? g->msg : "GEOS gave no reason";
}

void cc_geom_polys_free(cc_geom_polys *p)
{
    if (!p) return;
    cc_free(p->feat_part);
    cc_free(p->part_coord);
    cc_free(p->part_hole);
    cc_free(p->x);
    cc_free(p->y);
    memset(p, 0, sizeof *p);
}

/* Twice the signed area of ring [c0, c1) (positive = counter-clockwise). */
static double ring_area2(const double *x, const double *y, size_t c0, size_t c1)
{
    double s = 0.0;
    if (c1 - c0 < 3) return 0.0;
    /* Relative to the first vertex, to keep precision with large UTM coordinates. */
    double x0 = x[c0], y0 = y[c0];
    for (size_t k = c0; k + 1 < c1; k++)
        s += (x[k] - x0) * (y[k + 1] - y0) - (x[k + 1] - x0) * (y[k] - y0);
    s += (x[c1 - 1] - x0) * (y[c0] - y0) - (x[c0] - x0) * (y[c1 - 1] - y0);
    return s;
}

double cc_geom_polys_area(const cc_geom_polys *p, size_t i)
{
    if (!p || i >= p->n) return 0.0;
    double a = 0.0;
    for (size_t j = p->feat_part[i]; j < p->feat_part[i + 1]; j++) {
        double r = fabs(ring_area2(p->x, p->y, p->part_coord[j], p->part_coord[j + 1])) / 2.0;
        a += p->part_hole[j] ? -r : r;
    }
    return a;
}

/* Grow dst to hold extra features, rings and coordinates. Leaves the counts unchanged. */
static cc_status grow(cc_ctx *ctx, cc_geom_polys *dst, size_t add_feat, size_t add_parts,
                      size_t add_coords)
{
    size_t nf = dst->n + add_feat + 1, np = dst->n_parts + add_parts,
           nc = dst->n_coords + add_coords;
    if (nf < add_feat || np < add_parts || nc < add_coords)
        return cc_error(ctx, CC_ERR_NOMEM, "polygon too large");
    size_t *fp = cc_realloc_array(ctx, dst->feat_part, nf, sizeof *fp);
    if (!fp) return CC_ERR_NOMEM;
    dst->feat_part = fp;
    if (dst->n == 0) dst->feat_part[0] = 0;
    size_t *pc = cc_realloc_array(ctx, dst->part_coord, np + 1, sizeof *pc);
    if (!pc) return CC_ERR_NOMEM;
    dst->part_coord = pc;
    if (dst->n_parts == 0) dst->part_coord[0] = 0;
    unsigned char *ph = cc_realloc_array(ctx, dst->part_hole, np ? np : 1, sizeof *ph);
    if (!ph) return CC_ERR_NOMEM;
    dst->part_hole = ph;
    double *x = cc_realloc_array(ctx, dst->x, nc ? nc : 1, sizeof *x);
    if (!x) return CC_ERR_NOMEM;
    dst->x = x;
    double *y = cc_realloc_array(ctx, dst->y, nc ? nc : 1, sizeof *y);
    if (!y) return CC_ERR_NOMEM;
    dst->y = y;
    return CC_OK;
}

cc_status cc_geom_polys_append(cc_ctx *ctx, cc_geom_polys *dst, const cc_geom_polys *src)
{
    cc_status st = grow(ctx, dst, src->n, src->n_parts, src->n_coords);
    if (st) return st;
    for (size_t i = 0; i < src->n; i++)
        dst->feat_part[dst->n + i + 1] = dst->n_parts + src->feat_part[i + 1];
    for (size_t j = 0; j < src->n_parts; j++) {
        dst->part_coord[dst->n_parts + j + 1] = dst->n_coords + src->part_coord[j + 1];
        dst->part_hole[dst->n_parts + j] = src->part_hole[j];
    }
    if (src->n_coords) {
        memcpy(dst->x + dst->n_coords, src->x, src->n_coords * sizeof *src->x);
        memcpy(dst->y + dst->n_coords, src->y, src->n_coords * sizeof *src->y);
    }
    dst->n += src->n;
    dst->n_parts += src->n_parts;
    dst->n_coords += src->n_coords;
    return CC_OK;
}

/* Count the polygons, rings and coordinates of the polygonal parts of geom. */
static int count_polys(cc__geos *g, const GEOSGeometry *geom, size_t *n_parts, size_t *n_coords)
{
    int t = GEOSGeomTypeId_r(g->h, geom);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(g->h, geom)) return 1;
        int nh = GEOSGetNumInteriorRings_r(g->h, geom);
        if (nh < 0) return 0;
        for (int k = -1; k < nh; k++) {
            const GEOSGeometry *ring =
                k < 0 ? GEOSGetExteriorRing_r(g->h, geom) : GEOSGetInteriorRingN_r(g->h, geom, k);
            int m = ring ? GEOSGetNumCoordinates_r(g->h, ring) : -1;
            if (m < 0) return 0;
            *n_parts += 1;
            *n_coords += (size_t)m;
        }
        return 1;
    }
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(g->h, geom);
        for (int k = 0; k < n; k++)
            if (!count_polys(g, GEOSGetGeometryN_r(g->h, geom, k), n_parts, n_coords)) return 0;
        return 1;
    }
    return t >= 0; /* points and lines: ignored */
}

/* Copy the rings of the polygonal parts of geom into dst after its current rings. */
static int copy_polys(cc__geos *g, const GEOSGeometry *geom, cc_geom_polys *dst)
{
    int t = GEOSGeomTypeId_r(g->h, geom);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(g->h, geom)) return 1;
        int nh = GEOSGetNumInteriorRings_r(g->h, geom);
        for (int k = -1; k < nh; k++) {
            const GEOSGeometry *ring =
                k < 0 ? GEOSGetExteriorRing_r(g->h, geom) : GEOSGetInteriorRingN_r(g->h, geom, k);
            const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(g->h, ring);
            unsigned m = 0;
            if (!seq || !GEOSCoordSeq_getSize_r(g->h, seq, &m)) return 0;
            size_t c0 = dst->n_coords;
            double *x = dst->x + c0, *y = dst->y + c0;
            if (m && !GEOSCoordSeq_copyToArrays_r(g->h, seq, x, y, NULL, NULL)) return 0;
            /* RFC 7946: outer rings counter-clockwise, holes clockwise. */
            double a2 = ring_area2(dst->x, dst->y, c0, c0 + m);
            int hole = k >= 0;
            if ((hole && a2 > 0) || (!hole && a2 < 0)) {
                for (unsigned i = 0, j = m ? m - 1 : 0; i < j; i++, j--) {
                    double tx = x[i], ty = y[i];
                    x[i] = x[j];
                    y[i] = y[j];
                    x[j] = tx;
                    y[j] = ty;
                }
            }
            dst->part_hole[dst->n_parts] = (unsigned char)hole;
            dst->n_coords += m;
            dst->n_parts++;
            dst->part_coord[dst->n_parts] = dst->n_coords;
        }
        return 1;
    }
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(g->h, geom);
        for (int k = 0; k < n; k++)
            if (!copy_polys(g, GEOSGetGeometryN_r(g->h, geom, k), dst)) return 0;
    }
    return 1;
}

cc_status cc__geos_append_polys(cc_ctx *ctx, cc__geos *g, const GEOSGeometry *geom,
                                cc_geom_polys *dst)
{
    size_t np = 0, nc = 0;
    if (!count_polys(g, geom, &np, &nc))
        return cc_error(ctx, CC_ERR_GEOM, "cannot read a polygon (%s)", cc__geos_reason(g));
    cc_status st = grow(ctx, dst, 1, np, nc);
    if (st) return st;
    size_t parts0 = dst->n_parts, coords0 = dst->n_coords;
    if (!copy_polys(g, geom, dst)) {
        dst->n_parts = parts0;
        dst->n_coords = coords0;
        return cc_error(ctx, CC_ERR_GEOM, "cannot read a polygon's coordinates (%s)",
                        cc__geos_reason(g));
    }
    dst->n++;
    dst->feat_part[dst->n] = dst->n_parts;
    return CC_OK;
}
