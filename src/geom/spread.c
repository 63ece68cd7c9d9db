/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Spreading polygon counts to points: a population known per polygon (community, census unit)
 * becomes demand points, either the target points (residential buildings) inside the polygon,
 * weighted by e.g. footprint area, or the cells of a fixed square grid weighted by the area of
 * polygon-cell intersection (areal weighting). Only the weights are computed here; the caller
 * multiplies them by the polygon's count, so counts are conserved exactly up to rounding.
 */
#include "geom/geom_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SPREAD_MAX_CELLS 16777216.0 /* 2^24 grid cells in one polygon's bounding box */

void cc_geom_spread_result_free(cc_spread_result *r)
{
    if (!r) return;
    cc_free(r->x);
    cc_free(r->y);
    cc_free(r->src);
    cc_free(r->weight);
    memset(r, 0, sizeof *r);
}

/* Append one point (weight may still be an unnormalised area). */
static cc_status push(cc_ctx *ctx, cc_spread_result *r, size_t *cap, double x, double y, size_t src,
                      double w)
{
    if (r->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        if (nc < *cap) return cc_error(ctx, CC_ERR_NOMEM, "too many spread points");
        double *nx = cc_realloc_array(ctx, r->x, nc, sizeof *nx);
        if (!nx) return CC_ERR_NOMEM;
        r->x = nx;
        double *ny = cc_realloc_array(ctx, r->y, nc, sizeof *ny);
        if (!ny) return CC_ERR_NOMEM;
        r->y = ny;
        int32_t *ns = cc_realloc_array(ctx, r->src, nc, sizeof *ns);
        if (!ns) return CC_ERR_NOMEM;
        r->src = ns;
        double *nw = cc_realloc_array(ctx, r->weight, nc, sizeof *nw);
        if (!nw) return CC_ERR_NOMEM;
        r->weight = nw;
        *cap = nc;
    }
    r->x[r->n] = x;
    r->y[r->n] = y;
    r->src[r->n] = (int32_t)src;
    r->weight[r->n] = w;
    r->n++;
    return CC_OK;
}

/* An axis-aligned rectangle polygon. */
static GEOSGeometry *make_rect(cc__geos *g, double x0, double y0, double x1, double y1)
{
    const double xs[5] = {x0, x1, x1, x0, x0}, ys[5] = {y0, y0, y1, y1, y0};
    int degenerate;
    GEOSGeometry *ring = cc__geos_ring(g->h, xs, ys, 0, 5, &degenerate);
    if (!ring) return NULL;
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(g->h, ring, NULL, 0);
    if (!poly) GEOSGeom_destroy_r(g->h, ring);
    return poly;
}

/* What became of one input feature. */
typedef enum feat_kind { FEAT_AREA, FEAT_COLLAPSED, FEAT_EMPTY } feat_kind;

/*
 * Build feature i as a valid Polygon/MultiPolygon (*out, FEAT_AREA), or report that it has no
 * area after repair (FEAT_COLLAPSED; bbox = its vertices' bounding box) or no ring at all
 * (FEAT_EMPTY). rings: scratch room for the feature's ring count.
 */
static cc_status build_feature(cc_ctx *ctx, cc__geos *g, size_t i, const size_t *feat_part,
                               const size_t *part_coord, const unsigned char *part_hole,
                               const double *x, const double *y, GEOSGeometry **rings,
                               GEOSGeometry **out, feat_kind *kind, int *repaired, double bbox[4])
{
    *out = NULL;
    *repaired = 0;
    *kind = FEAT_EMPTY;
    cc_status st = CC_OK;
    size_t j0 = feat_part[i], j1 = feat_part[i + 1];
    if (j1 < j0) return cc_error(ctx, CC_ERR_INTERNAL, "feature %zu: ring range is reversed", i);

    /* Check every vertex first and take the bounding box (used for collapsed features). */
    bbox[0] = bbox[1] = INFINITY;
    bbox[2] = bbox[3] = -INFINITY;
    size_t n_vert = 0;
    for (size_t j = j0; j < j1; j++) {
        if (part_hole[j] && j == j0)
            return cc_error(ctx, CC_ERR_GEOM,
                            "feature %zu: ring 0 is a hole but no outer ring comes before it; "
                            "check the polygon's ring order (outer ring first)",
                            i);
        if (part_coord[j + 1] < part_coord[j])
            return cc_error(ctx, CC_ERR_INTERNAL, "feature %zu: ring %zu has a negative length", i,
                            j - j0);
        for (size_t c = part_coord[j]; c < part_coord[j + 1]; c++) {
            if (!isfinite(x[c]) || !isfinite(y[c]))
                return cc_error(ctx, CC_ERR_GEOM,
                                "feature %zu: ring %zu, vertex %zu is not a finite number; fix "
                                "or remove the feature",
                                i, j - j0, c - part_coord[j]);
            bbox[0] = fmin(bbox[0], x[c]);
            bbox[1] = fmin(bbox[1], y[c]);
            bbox[2] = fmax(bbox[2], x[c]);
            bbox[3] = fmax(bbox[3], y[c]);
            n_vert++;
        }
    }
    if (n_vert == 0) return CC_OK; /* FEAT_EMPTY */
    *kind = FEAT_COLLAPSED;

    /* Polygons are assembled in place: rings[0 .. np) finished polygons, then the shell and
     * holes of the one in progress at rings[np .. np + nr). */
    size_t np = 0, nr = 0;
    int skip = 0; /* the current shell was degenerate: drop its holes too */
    for (size_t j = j0; j <= j1; j++) {
        int last = j == j1, hole = !last && part_hole[j];
        if ((last || !hole) && nr > 0) {
            GEOSGeometry *poly =
                GEOSGeom_createPolygon_r(g->h, rings[np], rings + np + 1, (unsigned)(nr - 1));
            if (!poly) {
                st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot build a polygon (%s)", i,
                              cc__geos_reason(g));
                goto fail;
            }
            rings[np++] = poly;
            nr = 0;
        }
        if (last) break;
        if (!hole) skip = 0;
        if (skip) continue;
        int degenerate;
        GEOSGeometry *ring =
            cc__geos_ring(g->h, x, y, part_coord[j], part_coord[j + 1], &degenerate);
        if (!ring && !degenerate) {
            st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot build ring %zu (%s)", i, j - j0,
                          cc__geos_reason(g));
            goto fail;
        }
        if (!ring) {
            *repaired = 1;
            if (!hole) skip = 1;
            continue;
        }
        rings[np + nr++] = ring;
    }
    if (np == 0) return CC_OK; /* every ring degenerate: FEAT_COLLAPSED */

    GEOSGeometry *geom =
        np == 1 ? rings[0]
                : GEOSGeom_createCollection_r(g->h, GEOS_MULTIPOLYGON, rings, (unsigned)np);
    if (!geom) {
        st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot build a multipolygon (%s)", i,
                      cc__geos_reason(g));
        goto fail;
    }
    np = 0; /* owned by geom */
    char valid = GEOSisValid_r(g->h, geom);
    if (valid == 2) {
        GEOSGeom_destroy_r(g->h, geom);
        return cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot check the polygon (%s)", i,
                        cc__geos_reason(g));
    }
    if (!valid) {
        *repaired = 1;
        geom = cc__geos_make_valid(g->h, geom);
        if (!geom)
            return cc_error(ctx, CC_ERR_GEOM,
                            "feature %zu: the polygon is invalid and could not be repaired (%s); "
                            "fix its geometry (e.g. QGIS 'Fix geometries')",
                            i, cc__geos_reason(g));
    }
    double area = 0.0;
    if (GEOSisEmpty_r(g->h, geom) != 0 || !GEOSArea_r(g->h, geom, &area) || !(area > 0.0)) {
        GEOSGeom_destroy_r(g->h, geom);
        return CC_OK; /* FEAT_COLLAPSED */
    }
    *out = geom;
    *kind = FEAT_AREA;
    return CC_OK;
fail:
    for (size_t k = 0; k < np + nr; k++)
        GEOSGeom_destroy_r(g->h, rings[k]);
    return st;
}

/* x, y of a point geometry; consumes it. 0 on failure. */
static int take_xy(cc__geos *g, GEOSGeometry *pt, double *px, double *py)
{
    if (!pt) return 0;
    int ok = !GEOSisEmpty_r(g->h, pt) && GEOSGeomGetX_r(g->h, pt, px) == 1 &&
             GEOSGeomGetY_r(g->h, pt, py) == 1;
    GEOSGeom_destroy_r(g->h, pt);
    return ok;
}

/* A point inside piece: its centroid when that lies in it, else its point-on-surface. */
static int piece_point(cc__geos *g, const GEOSGeometry *piece, double *px, double *py)
{
    GEOSGeometry *c = GEOSGetCentroid_r(g->h, piece);
    if (!c) return 0;
    char in = GEOSIntersects_r(g->h, piece, c);
    if (in == 1) return take_xy(g, c, px, py);
    GEOSGeom_destroy_r(g->h, c);
    if (in == 2) return 0;
    return take_xy(g, GEOSPointOnSurface_r(g->h, piece), px, py);
}

/* Spread feature i (valid, positive area) over the grid; appends its points to r. */
static cc_status spread_grid(cc_ctx *ctx, cc__geos *g, size_t i, const GEOSGeometry *geom,
                             double cell_m, cc_spread_result *r, size_t *cap)
{
    cc_status st = CC_OK;
    double area = 0.0, px, py;
    if (!GEOSArea_r(g->h, geom, &area))
        return cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot compute the area (%s)", i,
                        cc__geos_reason(g));
    if (area < cell_m * cell_m) {
        if (!take_xy(g, GEOSPointOnSurface_r(g->h, geom), &px, &py))
            return cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot find a point inside (%s)", i,
                            cc__geos_reason(g));
        return push(ctx, r, cap, px, py, i, 1.0);
    }
    double xmin, ymin, xmax, ymax;
    if (!GEOSGeom_getXMin_r(g->h, geom, &xmin) || !GEOSGeom_getYMin_r(g->h, geom, &ymin) ||
        !GEOSGeom_getXMax_r(g->h, geom, &xmax) || !GEOSGeom_getYMax_r(g->h, geom, &ymax))
        return cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot compute the extent (%s)", i,
                        cc__geos_reason(g));
    double c0 = floor(xmin / cell_m), r0 = floor(ymin / cell_m);
    double c1 = fmax(c0, ceil(xmax / cell_m) - 1.0), r1 = fmax(r0, ceil(ymax / cell_m) - 1.0);
    if ((c1 - c0 + 1.0) * (r1 - r0 + 1.0) > SPREAD_MAX_CELLS)
        return cc_error(ctx, CC_ERR_DATA,
                        "feature %zu: its extent (%.0f x %.0f m) spans more than %.0f grid cells "
                        "of %g m; use a larger cell size",
                        i, xmax - xmin, ymax - ymin, SPREAD_MAX_CELLS, cell_m);

    const GEOSPreparedGeometry *prep = GEOSPrepare_r(g->h, geom);
    if (!prep)
        return cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot prepare the polygon (%s)", i,
                        cc__geos_reason(g));
    size_t first = r->n, n_cells = 0;
    double sum = 0.0;
    for (double row = r0; row <= r1; row++) {
        for (double col = c0; col <= c1; col++) {
            if ((++n_cells & 4095) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) goto done;
            double x0 = col * cell_m, x1 = (col + 1.0) * cell_m;
            double y0 = row * cell_m, y1 = (row + 1.0) * cell_m;
            GEOSGeometry *cell = make_rect(g, x0, y0, x1, y1);
            GEOSGeometry *piece = NULL;
            double a = 0.0;
            int ok = cell != NULL;
            char rel = ok ? GEOSPreparedContains_r(g->h, prep, cell) : 2;
            if (rel == 1) {
                /* Whole cell inside: its exact area and centre. */
                a = (x1 - x0) * (y1 - y0);
                px = (x0 + x1) / 2.0;
                py = (y0 + y1) / 2.0;
            } else if (rel == 0) {
                rel = GEOSPreparedIntersects_r(g->h, prep, cell);
                if (rel == 1) {
                    piece = GEOSIntersection_r(g->h, geom, cell);
                    ok = piece && GEOSArea_r(g->h, piece, &a);
                    if (ok && a > 0.0) ok = piece_point(g, piece, &px, &py);
                }
                ok = ok && rel != 2;
            } else {
                ok = 0;
            }
            if (piece) GEOSGeom_destroy_r(g->h, piece);
            if (cell) GEOSGeom_destroy_r(g->h, cell);
            if (!ok) {
                st = cc_error(ctx, CC_ERR_GEOM,
                              "feature %zu: cannot intersect the polygon with grid cell at "
                              "(%.0f, %.0f) (%s)",
                              i, x0, y0, cc__geos_reason(g));
                goto done;
            }
            if (a > 0.0) {
                if ((st = push(ctx, r, cap, px, py, i, a)) != CC_OK) goto done;
                sum += a;
            }
        }
    }
    if (r->n == first || !(sum > 0.0)) {
        /* No piece with area (only possible through rounding): one point, nothing lost. */
        r->n = first;
        if (!take_xy(g, GEOSPointOnSurface_r(g->h, geom), &px, &py)) {
            st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot find a point inside (%s)", i,
                          cc__geos_reason(g));
            goto done;
        }
        st = push(ctx, r, cap, px, py, i, 1.0);
        goto done;
    }
    for (size_t k = first; k < r->n; k++)
        r->weight[k] /= sum;
done:
    GEOSPreparedGeom_destroy_r(g->h, prep);
    return st;
}

typedef struct locate_job {
    cc__geos *g;
    const GEOSPreparedGeometry *const *prep;
    const GEOSGeometry *pt;
    size_t best; /* lowest containing polygon so far; n_poly when none */
    int failed;
} locate_job;

static void locate_cb(void *item, void *userdata)
{
    locate_job *job = userdata;
    size_t idx = *(const size_t *)item;
    if (idx >= job->best) return; /* the lowest index wins whatever the tree order */
    char in = GEOSPreparedIntersects_r(job->g->h, job->prep[idx], job->pt);
    if (in == 1)
        job->best = idx;
    else if (in == 2)
        job->failed = 1;
}

/* owner[k] = lowest-index polygon containing target k (boundary included), n_poly when none. */
static cc_status locate_targets(cc_ctx *ctx, cc__geos *g, size_t n_poly, GEOSGeometry **geom,
                                const size_t *ids, size_t n_targets, const double *tx,
                                const double *ty, size_t *owner)
{
    cc_status st = CC_OK;
    const GEOSPreparedGeometry **prep = cc_calloc(ctx, n_poly ? n_poly : 1, sizeof *prep);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(g->h, 10);
    if (!prep) {
        st = CC_ERR_NOMEM;
        goto done;
    }
    if (!tree) {
        st = cc_error(ctx, CC_ERR_NOMEM, "cannot create a spatial index (%s)", cc__geos_reason(g));
        goto done;
    }
    for (size_t i = 0; i < n_poly; i++) {
        if (!geom[i]) continue;
        if (!(prep[i] = GEOSPrepare_r(g->h, geom[i]))) {
            st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot prepare the polygon (%s)", i,
                          cc__geos_reason(g));
            goto done;
        }
        GEOSSTRtree_insert_r(g->h, tree, geom[i], (void *)&ids[i]);
    }
    locate_job job = {g, prep, NULL, n_poly, 0};
    for (size_t k = 0; k < n_targets; k++) {
        if ((k & 4095) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) goto done;
        if (!isfinite(tx[k]) || !isfinite(ty[k])) {
            st = cc_error(ctx, CC_ERR_DATA,
                          "target %zu: coordinate is not a finite number; fix or remove it", k);
            goto done;
        }
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->h, tx[k], ty[k]);
        if (!pt) {
            st = cc_error(ctx, CC_ERR_GEOM, "target %zu: cannot build a point (%s)", k,
                          cc__geos_reason(g));
            goto done;
        }
        job.pt = pt;
        job.best = n_poly;
        GEOSSTRtree_query_r(g->h, tree, pt, locate_cb, &job);
        GEOSGeom_destroy_r(g->h, pt);
        if (job.failed) {
            st = cc_error(ctx, CC_ERR_GEOM, "target %zu: point-in-polygon test failed (%s)", k,
                          cc__geos_reason(g));
            goto done;
        }
        owner[k] = job.best;
    }
done:
    if (tree) GEOSSTRtree_destroy_r(g->h, tree);
    if (prep)
        for (size_t i = 0; i < n_poly; i++)
            if (prep[i]) GEOSPreparedGeom_destroy_r(g->h, prep[i]);
    cc_free(prep);
    return st;
}

cc_status cc_geom_spread(cc_ctx *ctx, size_t n_poly, const size_t *feat_part,
                         const size_t *part_coord, const unsigned char *part_hole, const double *x,
                         const double *y, size_t n_targets, const double *tx, const double *ty,
                         const double *tweight, double cell_m, cc_spread_result *out)
{
    memset(out, 0, sizeof *out);
    if (!(cell_m > 0.0) || !isfinite(cell_m))
        return cc_error(ctx, CC_ERR_INVALID,
                        "spread: grid cell size %g m is not a positive number; use e.g. 100",
                        cell_m);
    if (n_poly > (size_t)INT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "spread: %zu polygons is more than %d", n_poly,
                        (int)INT32_MAX);
    if (n_targets > 0 && (!tx || !ty))
        return cc_error(ctx, CC_ERR_INVALID, "spread: target coordinates missing");
    for (size_t k = 0; tweight && k < n_targets; k++)
        if (!(tweight[k] >= 0.0) || !isfinite(tweight[k]))
            return cc_error(ctx, CC_ERR_DATA,
                            "target %zu: weight %g is negative or not a number; use a "
                            "non-negative value (e.g. footprint area in m2)",
                            k, tweight[k]);

    cc_status st = CC_OK;
    cc__geos g = {0};
    cc_spread_result r = {0};
    size_t cap = 0, max_rings = 0;
    GEOSGeometry **geom = NULL, **rings = NULL;
    unsigned char *kind = NULL;
    double *bbox = NULL;
    size_t *ids = NULL, *owner = NULL, *start = NULL, *order = NULL;

    for (size_t i = 0; i < n_poly; i++)
        if (feat_part[i + 1] >= feat_part[i] && feat_part[i + 1] - feat_part[i] > max_rings)
            max_rings = feat_part[i + 1] - feat_part[i];
    geom = cc_calloc(ctx, n_poly ? n_poly : 1, sizeof *geom);
    kind = cc_calloc(ctx, n_poly ? n_poly : 1, sizeof *kind);
    bbox = cc_calloc(ctx, n_poly ? n_poly : 1, 4 * sizeof *bbox);
    ids = cc_malloc_array(ctx, n_poly ? n_poly : 1, sizeof *ids);
    rings = cc_malloc_array(ctx, max_rings ? max_rings : 1, sizeof *rings);
    if (!geom || !kind || !bbox || !ids || !rings) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    if ((st = cc__geos_open(ctx, &g)) != CC_OK) goto fail;

    for (size_t i = 0; i < n_poly; i++) {
        if ((i & 1023) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) goto fail;
        feat_kind fk;
        int repaired;
        st = build_feature(ctx, &g, i, feat_part, part_coord, part_hole, x, y, rings, &geom[i], &fk,
                           &repaired, bbox + 4 * i);
        if (st) goto fail;
        kind[i] = (unsigned char)fk;
        ids[i] = i;
        if (repaired) r.n_repaired++;
    }

    /* Targets grouped by polygon (counting sort, stable in target index). */
    if (n_targets > 0) {
        owner = cc_malloc_array(ctx, n_targets, sizeof *owner);
        order = cc_malloc_array(ctx, n_targets, sizeof *order);
        start = cc_calloc(ctx, n_poly + 2, sizeof *start);
        if (!owner || !order || !start) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
        st = locate_targets(ctx, &g, n_poly, geom, ids, n_targets, tx, ty, owner);
        if (st) goto fail;
        for (size_t k = 0; k < n_targets; k++)
            if (owner[k] < n_poly) start[owner[k] + 2]++; /* n_poly = in no polygon */
        for (size_t i = 0; i < n_poly; i++)
            start[i + 2] += start[i + 1];
        for (size_t k = 0; k < n_targets; k++)
            if (owner[k] < n_poly) order[start[owner[k] + 1]++] = k;
        /* now start[i] .. start[i+1] are polygon i's targets */
    }

    for (size_t i = 0; i < n_poly; i++) {
        if ((i & 255) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) goto fail;
        if (kind[i] == FEAT_EMPTY) {
            r.n_empty++;
        } else if (kind[i] == FEAT_COLLAPSED) {
            const double *b = bbox + 4 * i;
            st = push(ctx, &r, &cap, (b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0, i, 1.0);
            if (st) goto fail;
            r.n_collapsed++;
        } else if (start && start[i + 1] > start[i]) {
            size_t k0 = start[i], k1 = start[i + 1];
            double sum = 0.0;
            for (size_t k = k0; tweight && k < k1; k++)
                sum += tweight[order[k]];
            for (size_t k = k0; k < k1; k++) {
                size_t t = order[k];
                /* Equal shares without weights, or when all of them are zero. */
                double w = sum > 0.0 ? tweight[t] / sum : 1.0 / (double)(k1 - k0);
                if (w > 0.0 && (st = push(ctx, &r, &cap, tx[t], ty[t], i, w)) != CC_OK) goto fail;
            }
            r.n_targets++;
        } else {
            if ((st = spread_grid(ctx, &g, i, geom[i], cell_m, &r, &cap)) != CC_OK) goto fail;
            r.n_grid++;
        }
    }
    *out = r;
    r = (cc_spread_result){0};
fail:
    if (geom)
        for (size_t i = 0; i < n_poly; i++)
            if (geom[i]) GEOSGeom_destroy_r(g.h, geom[i]);
    cc__geos_close(&g);
    cc_geom_spread_result_free(&r);
    cc_free(geom);
    cc_free(kind);
    cc_free(bbox);
    cc_free(ids);
    cc_free(rings);
    cc_free(owner);
    cc_free(order);
    cc_free(start);
    return st;
}
