/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polygon sets for point-in-polygon lookups (which district or statistical area holds each
 * demand point): flat rings -> GEOS polygons, repaired with GEOSMakeValid, indexed with an
 * STRtree and prepared. Like all of src/geom (the only place that includes geos_c.h) it uses only
 * the reentrant (_r) API with one GEOS handle per set, so sets are independent across threads.
 */

#include "geom/geom_internal.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cc_polyset {
    GEOSContextHandle_t h;
    size_t n;
    GEOSGeometry **geom;               /* valid Polygon or MultiPolygon per feature */
    const GEOSPreparedGeometry **prep; /* prepared geom[i] */
    double *area;                      /* m2 */
    double *bbox;                      /* xmin, ymin, xmax, ymax per feature */
    size_t *ids;                       /* ids[i] == i; the STRtree items point here */
    GEOSSTRtree *tree;
    char msg[256]; /* last GEOS error message */
};

static void geos_error_handler(const char *message, void *userdata)
{
    cc_polyset *ps = userdata;
    size_t i = 0;
    for (; message && message[i] && i + 1 < sizeof ps->msg; i++)
        ps->msg[i] = (message[i] == '\n' || message[i] == '\r') ? ' ' : message[i];
    ps->msg[i] = '\0';
}

static const char *geos_reason(const cc_polyset *ps)
{
    return ps->msg[0] ? ps->msg : "GEOS gave no reason";
}

/* Destroy a polygon under construction: its shell and holes. */
static void drop_parts(cc_polyset *ps, GEOSGeometry **parts, size_t n)
{
    for (size_t k = 0; k < n; k++)
        GEOSGeom_destroy_r(ps->h, parts[k]);
}

/* Build feature i as a valid Polygon/MultiPolygon into ps->geom[i]. rings/polys: scratch arrays
 * with room for the feature's ring count. */
static cc_status build_feature(cc_ctx *ctx, cc_polyset *ps, size_t i, const size_t *feat_part,
                               const size_t *part_coord, const unsigned char *part_hole,
                               const double *x, const double *y, GEOSGeometry **rings,
                               GEOSGeometry **polys, int *repaired)
{
    size_t nr = 0; /* rings of the polygon being built: rings[0] shell, then holes */
    size_t np = 0; /* finished polygons */
    int skip = 0;  /* the current shell was dropped: drop its holes too */
    int have_shell = 0;
    cc_status st = CC_OK;
    *repaired = 0;
    for (size_t j = feat_part[i]; j <= feat_part[i + 1]; j++) {
        int last = j == feat_part[i + 1];
        int hole = !last && part_hole[j];
        /* A new shell (or the end) finishes the polygon in progress. */
        if ((last || !hole) && nr > 0) {
            GEOSGeometry *poly =
                GEOSGeom_createPolygon_r(ps->h, rings[0], rings + 1, (unsigned)(nr - 1));
            if (!poly) {
                drop_parts(ps, rings, nr);
                nr = 0;
                st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot build a polygon (%s)", i,
                              geos_reason(ps));
                goto fail;
            }
            polys[np++] = poly;
            nr = 0;
        }
        if (last) break;
        if (hole && !have_shell) {
            st = cc_error(ctx, CC_ERR_GEOM,
                          "feature %zu: ring %zu is a hole but no outer ring comes before it; "
                          "check the polygon's ring order (outer ring first)",
                          i, j - feat_part[i]);
            goto fail;
        }
        if (!hole) {
            have_shell = 1;
            skip = 0;
        }
        if (part_coord[j] > part_coord[j + 1]) {
            st = cc_error(ctx, CC_ERR_INTERNAL, "feature %zu: ring %zu has a negative length", i,
                          j - feat_part[i]);
            goto fail;
        }
        for (size_t c = part_coord[j]; c < part_coord[j + 1]; c++) {
            if (!isfinite(x[c]) || !isfinite(y[c])) {
                st = cc_error(ctx, CC_ERR_GEOM,
                              "feature %zu: ring %zu, vertex %zu is not a finite number; fix or "
                              "remove the feature",
                              i, j - feat_part[i], c - part_coord[j]);
                goto fail;
            }
        }
        if (skip) continue;
        int degenerate;
        GEOSGeometry *ring =
            cc__geos_ring(ps->h, x, y, part_coord[j], part_coord[j + 1], &degenerate);
        if (!ring && !degenerate) {
            st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot build ring %zu (%s)", i,
                          j - feat_part[i], geos_reason(ps));
            goto fail;
        }
        if (!ring) {
            /* Fewer than 3 points: no area. A dropped shell takes its holes with it. */
            *repaired = 1;
            if (!hole) skip = 1;
            continue;
        }
        rings[nr++] = ring;
    }

    GEOSGeometry *g =
        np == 1 ? polys[0]
                : GEOSGeom_createCollection_r(ps->h, GEOS_MULTIPOLYGON, polys, (unsigned)np);
    np = 0; /* owned by g now (or lost with it on failure) */
    if (!g) {
        st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot build a multipolygon (%s)", i,
                      geos_reason(ps));
        goto fail;
    }
    char valid = GEOSisValid_r(ps->h, g);
    if (valid == 2) {
        GEOSGeom_destroy_r(ps->h, g);
        st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot check the polygon (%s)", i,
                      geos_reason(ps));
        goto fail;
    }
    if (valid == 0) {
        *repaired = 1;
        g = cc__geos_make_valid(ps->h, g);
        if (!g) {
            st = cc_error(ctx, CC_ERR_GEOM,
                          "feature %zu: the polygon is invalid and could not be repaired (%s); "
                          "fix its geometry (e.g. QGIS 'Fix geometries')",
                          i, geos_reason(ps));
            goto fail;
        }
    }
    if (GEOSisEmpty_r(ps->h, g) != 0) {
        GEOSGeom_destroy_r(ps->h, g);
        st = cc_error(ctx, CC_ERR_GEOM,
                      "feature %zu: the polygon is empty%s (no ring encloses any area); remove "
                      "the feature or fix its geometry",
                      i, *repaired ? " after repair" : "");
        goto fail;
    }
    ps->geom[i] = g;
    return CC_OK;
fail:
    drop_parts(ps, rings, nr);
    drop_parts(ps, polys, np);
    return st;
}

typedef struct locate_job {
    const cc_polyset *ps;
    const GEOSGeometry *pt;
    size_t best; /* lowest containing index so far; ps->n when none */
    int failed;
} locate_job;

static void query_cb(void *item, void *userdata)
{
    locate_job *job = userdata;
    size_t idx = *(const size_t *)item;
    if (idx >= job->best) return; /* the lowest index wins: skip what cannot improve */
    char r = GEOSPreparedIntersects_r(job->ps->h, job->ps->prep[idx], job->pt);
    if (r == 1)
        job->best = idx;
    else if (r == 2)
        job->failed = 1;
}

cc_status cc_geom_polyset_create(cc_ctx *ctx, size_t n, const size_t *feat_part,
                                 const size_t *part_coord, const unsigned char *part_hole,
                                 const double *x, const double *y, cc_polyset **out,
                                 size_t *n_repaired)
{
    *out = NULL;
    if (n_repaired) *n_repaired = 0;
    cc_status st = CC_OK;
    GEOSGeometry **rings = NULL, **polys = NULL;
    cc_polyset *ps = cc_calloc(ctx, 1, sizeof *ps);
    if (!ps) return CC_ERR_NOMEM;
    ps->h = GEOS_init_r();
    if (!ps->h) {
        st = cc_error(ctx, CC_ERR_NOMEM, "cannot create a GEOS context (out of memory)");
        goto fail;
    }
    GEOSContext_setErrorMessageHandler_r(ps->h, geos_error_handler, ps);
    ps->n = n;
    ps->geom = cc_calloc(ctx, n, sizeof *ps->geom);
    ps->prep = cc_calloc(ctx, n, sizeof *ps->prep);
    ps->area = cc_calloc(ctx, n, sizeof *ps->area);
    ps->bbox = cc_calloc(ctx, n, 4 * sizeof *ps->bbox);
    ps->ids = cc_calloc(ctx, n, sizeof *ps->ids);
    if (!ps->geom || !ps->prep || !ps->area || !ps->bbox || !ps->ids) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    size_t max_rings = 0;
    for (size_t i = 0; i < n; i++) {
        if (feat_part[i + 1] < feat_part[i]) {
            st = cc_error(ctx, CC_ERR_INTERNAL, "feature %zu: ring range is reversed", i);
            goto fail;
        }
        if (feat_part[i + 1] - feat_part[i] > max_rings)
            max_rings = feat_part[i + 1] - feat_part[i];
    }
    rings = cc_malloc_array(ctx, max_rings ? max_rings : 1, sizeof *rings);
    polys = cc_malloc_array(ctx, max_rings ? max_rings : 1, sizeof *polys);
    if (!rings || !polys) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    ps->tree = GEOSSTRtree_create_r(ps->h, 10);
    if (!ps->tree) {
        st = cc_error(ctx, CC_ERR_NOMEM, "cannot create a spatial index (%s)", geos_reason(ps));
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        if ((i & 1023) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) goto fail;
        int repaired = 0;
        st = build_feature(ctx, ps, i, feat_part, part_coord, part_hole, x, y, rings, polys,
                           &repaired);
        if (st) goto fail;
        if (repaired && n_repaired) (*n_repaired)++;
        ps->prep[i] = GEOSPrepare_r(ps->h, ps->geom[i]);
        if (!ps->prep[i] || !GEOSArea_r(ps->h, ps->geom[i], &ps->area[i]) ||
            !GEOSGeom_getXMin_r(ps->h, ps->geom[i], &ps->bbox[4 * i]) ||
            !GEOSGeom_getYMin_r(ps->h, ps->geom[i], &ps->bbox[4 * i + 1]) ||
            !GEOSGeom_getXMax_r(ps->h, ps->geom[i], &ps->bbox[4 * i + 2]) ||
            !GEOSGeom_getYMax_r(ps->h, ps->geom[i], &ps->bbox[4 * i + 3])) {
            st = cc_error(ctx, CC_ERR_GEOM, "feature %zu: cannot prepare the polygon (%s)", i,
                          geos_reason(ps));
            goto fail;
        }
        ps->ids[i] = i;
        GEOSSTRtree_insert_r(ps->h, ps->tree, ps->geom[i], &ps->ids[i]);
    }
    cc_free(rings);
    cc_free(polys);
    *out = ps;
    return CC_OK;
fail:
    cc_free(rings);
    cc_free(polys);
    cc_geom_polyset_destroy(ps);
    return st;
}

cc_status cc_geom_polyset_locate(cc_ctx *ctx, const cc_polyset *ps, size_t n, const double *x,
                                 const double *y, int32_t *index_out)
{
    if (ps->n > (size_t)INT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "too many polygons (%zu) for 32-bit indices", ps->n);
    for (size_t k = 0; k < n; k++) {
        if ((k & 4095) == 0) {
            cc_status st = cc_check_interrupt(ctx);
            if (st) return st;
        }
        index_out[k] = -1;
        if (ps->n == 0 || !isfinite(x[k]) || !isfinite(y[k])) continue;
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ps->h, x[k], y[k]);
        if (!pt) return cc_error(ctx, CC_ERR_NOMEM, "cannot create a point (%s)", geos_reason(ps));
        locate_job job = {ps, pt, ps->n, 0};
        GEOSSTRtree_query_r(ps->h, ps->tree, pt, query_cb, &job);
        GEOSGeom_destroy_r(ps->h, pt);
        if (job.failed)
            return cc_error(ctx, CC_ERR_GEOM, "point %zu: point-in-polygon test failed (%s)", k,
                            geos_reason(ps));
        if (job.best < ps->n) index_out[k] = (int32_t)job.best;
    }
    return CC_OK;
}

size_t cc_geom_polyset_count(const cc_polyset *ps)
{
    return ps ? ps->n : 0;
}

double cc_geom_polyset_area(const cc_polyset *ps, size_t i)
{
    return ps && i < ps->n ? ps->area[i] : 0.0;
}

int cc_geom_polyset_bounds(const cc_polyset *ps, size_t i, double *xmin, double *ymin, double *xmax,
                           double *ymax)
{
    if (!ps || i >= ps->n) return 0;
    *xmin = ps->bbox[4 * i];
    *ymin = ps->bbox[4 * i + 1];
    *xmax = ps->bbox[4 * i + 2];
    *ymax = ps->bbox[4 * i + 3];
    return 1;
}

cc_status cc_geom_polyset_area_within(cc_ctx *ctx, const cc_polyset *ps, size_t n_ring,
                                      const double *rx, const double *ry, double *in_m2)
{
    if (!ps || !in_m2 || (n_ring && (!rx || !ry)))
        return cc_error(ctx, CC_ERR_INVALID, "area within: missing argument");
    for (size_t i = 0; i < ps->n; i++)
        in_m2[i] = 0;
    if (n_ring < 3) return CC_OK; /* a point or a line holds no area */
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(ps->h, (unsigned)(n_ring + 1), 2);
    int ok = cs != NULL;
    for (size_t k = 0; ok && k <= n_ring; k++) {
        size_t j = k == n_ring ? 0 : k;
        ok = GEOSCoordSeq_setXY_r(ps->h, cs, (unsigned)k, rx[j], ry[j]);
    }
    GEOSGeometry *shell = ok ? GEOSGeom_createLinearRing_r(ps->h, cs) : NULL;
    if (!shell && cs) GEOSCoordSeq_destroy_r(ps->h, cs); /* a ring owns its sequence */
    GEOSGeometry *area = shell ? GEOSGeom_createPolygon_r(ps->h, shell, NULL, 0) : NULL;
    if (!area) {
        if (shell) GEOSGeom_destroy_r(ps->h, shell);
        return cc_error(ctx, CC_ERR_GEOM, "area within: cannot build the polygon (%s)",
                        geos_reason(ps));
    }
    for (size_t i = 0; i < ps->n; i++) {
        char hit = GEOSIntersects_r(ps->h, area, ps->geom[i]);
        if (hit == 0) continue;
        /* A topology failure leaves this one feature's figure unknown, not the run failed. */
        GEOSGeometry *part = hit == 1 ? GEOSIntersection_r(ps->h, ps->geom[i], area) : NULL;
        double a = 0;
        in_m2[i] = part && GEOSArea_r(ps->h, part, &a) ? fmin(a, ps->area[i]) : NAN;
        if (part) GEOSGeom_destroy_r(ps->h, part);
    }
    GEOSGeom_destroy_r(ps->h, area);
    return CC_OK;
}

void cc_geom_polyset_destroy(cc_polyset *ps)
{
    if (!ps) return;
    if (ps->h) {
        if (ps->tree) GEOSSTRtree_destroy_r(ps->h, ps->tree);
        for (size_t i = 0; i < ps->n; i++) {
            if (ps->prep && ps->prep[i]) GEOSPreparedGeom_destroy_r(ps->h, ps->prep[i]);
            if (ps->geom && ps->geom[i]) GEOSGeom_destroy_r(ps->h, ps->geom[i]);
        }
        GEOS_finish_r(ps->h);
    }
    cc_free(ps->geom);
    cc_free(ps->prep);
    cc_free(ps->area);
    cc_free(ps->bbox);
    cc_free(ps->ids);
    cc_free(ps);
}
