/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polygons as they are written: every coordinate rounded the way the writers print it, and
 * every feature valid by GEOS on exactly those coordinates. A polygon valid in the working CRS
 * can turn invalid once reprojected to degrees and rounded (two nearby vertices merge, a thin
 * spike folds over), and an input polygon can be invalid to begin with; such a feature is
 * repaired with make-valid and snap-rounded onto the writers' grid (GEOS overlay with a fixed
 * precision model), then checked again. Valid features keep their rings, only rounded.
 */
#include "geom/geom_internal.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_tab[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

/* v rounded to the grid 1/scale, half away from zero: the number cc_fmt_double prints, as the
 * double a reader parses back (u / scale is the double nearest to the printed decimal). */
static double round_to(double v, double scale)
{
    double a = fabs(v) * scale;
    if (!(a < 9.0e18)) return v;
    double r = (double)(unsigned long long)(a + 0.5) / scale;
    return v < 0 ? -r : r;
}

/* Feature i of p as a GEOS MultiPolygon: each outer ring with the holes that follow it. A ring
 * with fewer than 4 coordinates once closed, or a hole before any outer ring, is left out and
 * sets *flawed (the feature as written would not be a valid polygon). NULL on GEOS failure. */
static GEOSGeometry *build(cc__geos *g, const cc_geom_polys *p, size_t i, int *flawed)
{
    GEOSContextHandle_t h = g->h;
    size_t j0 = p->feat_part[i], j1 = p->feat_part[i + 1], nr = j1 - j0;
    GEOSGeometry **ring = cc_calloc(g->ctx, nr ? nr : 1, sizeof *ring);
    GEOSGeometry **poly = cc_calloc(g->ctx, nr ? nr : 1, sizeof *poly);
    GEOSGeometry *out = NULL;
    size_t n_ring = 0, n_poly = 0;
    int fail = !ring || !poly;
    if (fail) {
        g->nomem = 1;
        snprintf(g->msg, sizeof g->msg, "out of memory");
    }
    *flawed = 0;
    for (size_t j = j0; !fail && j <= j1; j++) {
        int hole = j < j1 && p->part_hole && p->part_hole[j];
        if (j == j1 || !hole) { /* the polygon in progress is complete */
            if (n_ring) {
                poly[n_poly] =
                    GEOSGeom_createPolygon_r(h, ring[0], ring + 1, (unsigned)(n_ring - 1));
                if (!poly[n_poly]) {
                    fail = 1;
                    break;
                }
                n_poly++;
                n_ring = 0;
            }
            if (j == j1) break;
        } else if (n_ring == 0) {
            *flawed = 1; /* a hole of no outer ring (or of a dropped one) */
            continue;
        }
        int degenerate = 0;
        GEOSGeometry *r =
            cc__geos_ring(h, p->x, p->y, p->part_coord[j], p->part_coord[j + 1], &degenerate);
        if (!r && !degenerate) fail = 1;
        if (!r) {
            *flawed = 1;
            continue;
        }
        ring[n_ring++] = r;
    }
    if (!fail) {
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, poly, (unsigned)n_poly);
        if (out) n_poly = 0; /* owned by out */
    }
    for (size_t k = 0; k < n_ring; k++)
        GEOSGeom_destroy_r(h, ring[k]);
    for (size_t k = 0; k < n_poly; k++)
        GEOSGeom_destroy_r(h, poly[k]);
    cc_free(ring);
    cc_free(poly);
    return out;
}

/* 1 when feature i is valid (and has no flawed ring), 0 when not, -1 on GEOS failure; the
 * reason GEOS gives goes to why. */
static int feature_valid(cc__geos *g, const cc_geom_polys *p, size_t i, char *why, size_t cap)
{
    int flawed = 0;
    GEOSGeometry *geom = build(g, p, i, &flawed);
    if (!geom) return -1;
    int ok = flawed ? 0 : 1;
    if (ok) {
        char v = GEOSisValid_r(g->h, geom);
        if (v == 2) ok = -1;
        if (v == 0) ok = 0;
    }
    if (why && cap) {
        why[0] = '\0';
        if (flawed)
            snprintf(why, cap, "a ring has fewer than 4 points or a hole has no outer ring");
        else if (ok == 0) {
            char *r = GEOSisValidReason_r(g->h, geom);
            snprintf(why, cap, "%s", r ? r : "invalid");
            if (r) GEOSFree_r(g->h, r);
        }
    }
    GEOSGeom_destroy_r(g->h, geom);
    return ok;
}

cc_status cc_geom_polys_check(cc_ctx *ctx, const cc_geom_polys *p, size_t *n_invalid,
                              size_t *first_invalid, char *why, size_t why_cap)
{
    *n_invalid = 0;
    if (first_invalid) *first_invalid = SIZE_MAX;
    if (why && why_cap) why[0] = '\0';
    cc__geos g;
    cc_status st = cc__geos_open(ctx, &g);
    if (st) return st;
    char reason[256];
    for (size_t i = 0; i < p->n; i++) {
        int v = feature_valid(&g, p, i, reason, sizeof reason);
        if (v < 0) {
            st = cc_error(ctx, g.nomem ? CC_ERR_NOMEM : CC_ERR_GEOM,
                          "feature %zu: cannot check the polygon (%s)", i, cc__geos_reason(&g));
            break;
        }
        if (v == 0 && (*n_invalid)++ == 0) {
            if (first_invalid) *first_invalid = i;
            if (why && why_cap) snprintf(why, why_cap, "%s", reason);
        }
    }
    cc__geos_close(&g);
    return st;
}

/* Round the coordinates of q from c0 on to the grid. */
static void round_rings(cc_geom_polys *q, size_t c0, double scale)
{
    for (size_t c = c0; c < q->n_coords; c++) {
        q->x[c] = round_to(q->x[c], scale);
        q->y[c] = round_to(q->y[c], scale);
    }
}

/* Feature i of src (original coordinates), repaired onto the grid and appended to dst: make-valid,
 * snap-rounding to the grid, and again while the result as rounded is not valid. */
static cc_status repair(cc_ctx *ctx, cc__geos *g, const cc_geom_polys *src, size_t i, double scale,
                        cc_geom_polys *dst)
{
    int flawed = 0;
    GEOSGeometry *geom = build(g, src, i, &flawed);
    cc_geom_polys one = {0};
    cc_status st = CC_OK;
    for (int attempt = 0; attempt < 4; attempt++) {
        if (!geom) {
            st = cc_error(ctx, g->nomem ? CC_ERR_NOMEM : CC_ERR_GEOM,
                          "feature %zu: cannot build the polygon (%s)", i, cc__geos_reason(g));
            break;
        }
        /* First make-valid alone (it keeps the vertices), then, when rounding its new
         * vertices breaks it again, snap-rounding onto the grid. */
        GEOSGeometry *v = cc__geos_make_valid(g->h, geom);
        geom = v && attempt ? GEOSGeom_setPrecision_r(g->h, v, 1.0 / scale, 0) : v;
        if (v && attempt) GEOSGeom_destroy_r(g->h, v);
        if (!geom) {
            st = cc_error(ctx, CC_ERR_GEOM,
                          "feature %zu: the polygon is invalid as written and could not be "
                          "repaired (%s)",
                          i, cc__geos_reason(g));
            break;
        }
        cc_geom_polys_free(&one);
        if ((st = cc__geos_append_polys(ctx, g, geom, &one))) break;
        round_rings(&one, 0, scale); /* on the grid already: a no-op but for ties */
        int ok = feature_valid(g, &one, 0, NULL, 0);
        if (ok < 0) {
            st = cc_error(ctx, g->nomem ? CC_ERR_NOMEM : CC_ERR_GEOM,
                          "feature %zu: cannot check the polygon (%s)", i, cc__geos_reason(g));
            break;
        }
        if (ok) {
            st = cc_geom_polys_append(ctx, dst, &one);
            GEOSGeom_destroy_r(g->h, geom);
            geom = NULL;
            cc_geom_polys_free(&one);
            return st;
        }
        GEOSGeom_destroy_r(g->h, geom);
        geom = build(g, &one, 0, &flawed);
    }
    if (!st)
        st = cc_error(ctx, CC_ERR_GEOM,
                      "feature %zu: the polygon stays invalid once rounded to the output's "
                      "decimals; simplify it or fix its geometry (e.g. QGIS 'Fix geometries')",
                      i);
    if (geom) GEOSGeom_destroy_r(g->h, geom);
    cc_geom_polys_free(&one);
    return st;
}

cc_status cc_geom_polys_finish(cc_ctx *ctx, cc_geom_polys *p, int decimals, size_t *n_repaired)
{
    if (n_repaired) *n_repaired = 0;
    if (decimals < 0 || decimals > 9)
        return cc_error(ctx, CC_ERR_INVALID, "polygons: %d decimals (0 to 9 are allowed)",
                        decimals);
    double scale = pow10_tab[decimals];
    cc_geom_polys r = {0}; /* p rounded; p itself stays untouched until the end */
    cc_geom_polys out = {0};
    unsigned char *bad = NULL;
    size_t n_bad = 0;
    cc__geos g = {0};
    cc_status st = cc_geom_polys_append(ctx, &r, p);
    if (!st) st = cc__geos_open(ctx, &g);
    if (!st && !(bad = cc_calloc(ctx, p->n ? p->n : 1, 1))) st = CC_ERR_NOMEM;
    if (st) goto done;
    for (size_t c = 0; c < r.n_coords; c++) {
        r.x[c] = round_to(r.x[c], scale);
        r.y[c] = round_to(r.y[c], scale);
    }
    for (size_t i = 0; i < r.n; i++) {
        int v = feature_valid(&g, &r, i, NULL, 0);
        if (v < 0) {
            st = cc_error(ctx, g.nomem ? CC_ERR_NOMEM : CC_ERR_GEOM,
                          "feature %zu: cannot check the polygon (%s)", i, cc__geos_reason(&g));
            goto done;
        }
        if (!v) {
            bad[i] = 1;
            n_bad++;
        }
        if ((i & 255) == 255 && (st = cc_check_interrupt(ctx))) goto done;
    }
    if (n_bad) {
        /* Rebuild: the valid features as rounded, the others repaired from the original. */
        for (size_t i = 0; !st && i < r.n; i++) {
            if (bad[i]) {
                st = repair(ctx, &g, p, i, scale, &out);
                continue;
            }
            size_t j0 = r.feat_part[i], j1 = r.feat_part[i + 1];
            cc_geom_polys one = {1,
                                 j1 - j0,
                                 r.part_coord[j1] - r.part_coord[j0],
                                 (size_t[]){0, j1 - j0},
                                 NULL,
                                 r.part_hole + j0,
                                 r.x + r.part_coord[j0],
                                 r.y + r.part_coord[j0]};
            size_t *pc = cc_malloc_array(ctx, j1 - j0 + 1, sizeof *pc);
            if (!pc) {
                st = CC_ERR_NOMEM;
                break;
            }
            for (size_t j = j0; j <= j1; j++)
                pc[j - j0] = r.part_coord[j] - r.part_coord[j0];
            one.part_coord = pc;
            st = cc_geom_polys_append(ctx, &out, &one);
            cc_free(pc);
        }
        if (st) goto done;
        cc_geom_polys_free(&r);
        r = out;
        out = (cc_geom_polys){0};
    }
    cc_geom_polys_free(p);
    *p = r;
    r = (cc_geom_polys){0};
    if (n_repaired) *n_repaired = n_bad;
done:
    cc__geos_close(&g);
    cc_free(bad);
    cc_geom_polys_free(&r);
    cc_geom_polys_free(&out);
    return st;
}
