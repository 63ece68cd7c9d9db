/*
 * Service areas: the part of the network a facility reaches within its threshold, drawn as a
 * band of buffer_m around every reached stretch of edge. Each edge end reached with spare time
 * contributes the stretch of polyline that the spare time covers (time spread uniformly along
 * the edge, cut point interpolated along the polyline); the facility's own edge contributes the
 * stretch around its snapped position. Each stretch is buffered, the bands are unioned
 * (GEOSUnaryUnion, a cascaded union) and the result is simplified.
 */
#include "geom/geom_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const cc_service_params service_default = CC_SERVICE_PARAMS_DEFAULT;

typedef struct span {
    double a, b; /* fractions of the edge, 0 = from node, 1 = to node */
} span;

static int cmp_span(const void *va, const void *vb)
{
    const span *a = va, *b = vb;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* Fraction of an edge that `spare` deciseconds cover at edge time t (CC_NONE: none). */
static double reach_frac(double spare, uint32_t t)
{
    if (t == UINT32_MAX || spare < 0) return -1.0;
    return spare / (double)t;
}

/* Length of polyline (n >= 2). */
static double poly_len(const double *x, const double *y, size_t n)
{
    double s = 0.0;
    for (size_t k = 0; k + 1 < n; k++)
        s += hypot(x[k + 1] - x[k], y[k + 1] - y[k]);
    return s;
}

/* Position at distance d along the polyline: segment index and the point. */
static void locate(const double *x, const double *y, size_t n, double d, size_t *seg, double *px,
                   double *py)
{
    double acc = 0.0;
    for (size_t k = 0; k + 1 < n; k++) {
        double l = hypot(x[k + 1] - x[k], y[k + 1] - y[k]);
        if (d <= acc + l || k + 2 == n) {
            double t = l > 0 ? (d - acc) / l : 0.0;
            if (t < 0) t = 0;
            if (t > 1) t = 1;
            *seg = k;
            *px = x[k] + t * (x[k + 1] - x[k]);
            *py = y[k] + t * (y[k + 1] - y[k]);
            return;
        }
        acc += l;
    }
    *seg = 0;
    *px = x[0];
    *py = y[0];
}

/* The stretch [da, db] (metres along the polyline, da < db) as a LineString. */
static GEOSGeometry *substring(cc__geos *g, const double *x, const double *y, size_t n, double da,
                               double db)
{
    size_t sa, sb;
    double ax, ay, bx, by;
    locate(x, y, n, da, &sa, &ax, &ay);
    locate(x, y, n, db, &sb, &bx, &by);
    /* Start point, the vertices strictly inside, end point. */
    size_t m = 2 + (sb > sa ? sb - sa : 0);
    if (m > (size_t)0xffffffffu) return NULL;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(g->h, (unsigned)m, 2);
    if (!seq) return NULL;
    unsigned c = 0;
    int ok = GEOSCoordSeq_setXY_r(g->h, seq, c++, ax, ay);
    for (size_t k = sa + 1; ok && k <= sb; k++)
        ok = GEOSCoordSeq_setXY_r(g->h, seq, c++, x[k], y[k]);
    ok = ok && GEOSCoordSeq_setXY_r(g->h, seq, c++, bx, by);
    if (!ok) {
        GEOSCoordSeq_destroy_r(g->h, seq);
        return NULL;
    }
    return GEOSGeom_createLineString_r(g->h, seq);
}

cc_status cc_geom_service_area(cc_ctx *ctx, const cc_geom_network *net,
                               const uint32_t *node_time_ds, int reverse, size_t n_src,
                               const cc_geom_source *sources, uint32_t limit_ds,
                               const cc_service_params *params, cc_geom_polys *out,
                               double *reached_len_m)
{
    const cc_service_params *p = params ? params : &service_default;
    cc_status st = CC_OK;
    cc__geos g = {0};
    cc_vec lines = {0, 0, 0, sizeof(GEOSGeometry *)};
    span *spans = NULL;
    size_t *src_first = NULL, *src_order = NULL;
    GEOSGeometry *coll = NULL, *buf = NULL, *simple = NULL;
    double reached = 0.0;
    memset(out, 0, sizeof *out);
    if (reached_len_m) *reached_len_m = 0.0;

    if (!(p->buffer_m > 0) || !isfinite(p->buffer_m) || !(p->simplify_m >= 0) ||
        !isfinite(p->simplify_m) || p->quad_segs < 1)
        return cc_error(ctx, CC_ERR_INVALID,
                        "service area: buffer_m must be > 0 (got %g), simplify_m >= 0 (got %g) "
                        "and quad_segs >= 1 (got %d)",
                        p->buffer_m, p->simplify_m, p->quad_segs);
    if (net->n_nodes && !node_time_ds)
        return cc_error(ctx, CC_ERR_INVALID, "service area: no node times given");

    /* Sources grouped by edge (counting sort keeps their order). */
    src_first = cc_calloc(ctx, net->n_edges + 1, sizeof *src_first);
    src_order = cc_malloc_array(ctx, n_src ? n_src : 1, sizeof *src_order);
    spans = cc_malloc_array(ctx, n_src + 2, sizeof *spans);
    if (!src_first || !src_order || !spans) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    for (size_t s = 0; s < n_src; s++) {
        if (sources[s].edge == UINT32_MAX) continue;
        if (sources[s].edge >= net->n_edges || !isfinite(sources[s].offset_m)) {
            st = cc_error(ctx, CC_ERR_INVALID,
                          "service area: source %zu is on edge %u at offset %g, but the network "
                          "has %zu edges",
                          s, (unsigned)sources[s].edge, sources[s].offset_m, net->n_edges);
            goto fail;
        }
        src_first[sources[s].edge + 1]++;
    }
    for (size_t e = 0; e < net->n_edges; e++)
        src_first[e + 1] += src_first[e];
    {
        size_t *fill = cc_malloc_array(ctx, net->n_edges ? net->n_edges : 1, sizeof *fill);
        if (!fill) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
        if (net->n_edges) memcpy(fill, src_first, net->n_edges * sizeof *fill);
        for (size_t s = 0; s < n_src; s++)
            if (sources[s].edge != UINT32_MAX) src_order[fill[sources[s].edge]++] = s;
        cc_free(fill);
    }
    if ((st = cc__geos_open(ctx, &g)) != CC_OK) goto fail;

    double limit = (double)limit_ds;
    for (size_t e = 0; e < net->n_edges; e++) {
        if ((e & 4095) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) goto fail;
        uint32_t u = net->from[e], v = net->to[e];
        if (u >= net->n_nodes || v >= net->n_nodes) {
            st = cc_error(ctx, CC_ERR_INVALID,
                          "service area: edge %zu joins nodes %u and %u, but the network has "
                          "%zu nodes",
                          e, (unsigned)u, (unsigned)v, net->n_nodes);
            goto fail;
        }
        size_t nc = net->n_coords[e];
        if (nc < 2) continue;
        /* Leaving the edge's from end towards `to` uses time_fwd when the traveller is the
         * facility (reverse 0); a resident going to the from node walks backwards (reverse 1). */
        uint32_t t_from_end = reverse ? net->time_bwd_ds[e] : net->time_fwd_ds[e];
        uint32_t t_to_end = reverse ? net->time_fwd_ds[e] : net->time_bwd_ds[e];
        size_t ns = 0;
        if (node_time_ds[u] != UINT32_MAX && node_time_ds[u] <= limit_ds) {
            double f = reach_frac(limit - node_time_ds[u], t_from_end);
            if (f > 0) spans[ns++] = (span){0.0, f < 1 ? f : 1.0};
        }
        if (node_time_ds[v] != UINT32_MAX && node_time_ds[v] <= limit_ds) {
            double f = reach_frac(limit - node_time_ds[v], t_to_end);
            if (f > 0) spans[ns++] = (span){f < 1 ? 1.0 - f : 0.0, 1.0};
        }
        const double *x = net->x[e], *y = net->y[e];
        double len = -1.0;
        for (size_t k = src_first[e]; k < src_first[e + 1]; k++) {
            const cc_geom_source *s = &sources[src_order[k]];
            if (s->time_ds > limit_ds) continue;
            if (len < 0) len = poly_len(x, y, nc);
            double pos = len > 0 ? s->offset_m / len : 0.0;
            if (pos < 0) pos = 0;
            if (pos > 1) pos = 1;
            /* Positions past the source (towards `to`): the facility travels forwards to them
             * (reverse 0), a resident there travels backwards to the facility (reverse 1).
             * Positions before it: the other way round. */
            double spare = limit - s->time_ds;
            double f_up = reach_frac(spare, reverse ? net->time_bwd_ds[e] : net->time_fwd_ds[e]);
            double f_down = reach_frac(spare, reverse ? net->time_fwd_ds[e] : net->time_bwd_ds[e]);
            double a = f_down > 0 ? pos - f_down : pos, b = f_up > 0 ? pos + f_up : pos;
            if (a < 0) a = 0;
            if (b > 1) b = 1;
            if (b > a) spans[ns++] = (span){a, b};
        }
        if (ns == 0) continue;
        qsort(spans, ns, sizeof *spans, cmp_span);
        if (len < 0) len = poly_len(x, y, nc);
        if (!(len > 0)) continue;
        /* Merge overlapping stretches and emit each as a LineString. */
        size_t k = 0;
        while (k < ns) {
            double a = spans[k].a, b = spans[k].b;
            for (k++; k < ns && spans[k].a <= b; k++)
                if (spans[k].b > b) b = spans[k].b;
            GEOSGeometry *ls = substring(&g, x, y, nc, a * len, b * len);
            if (!ls) {
                st = cc_error(ctx, CC_ERR_GEOM, "service area: edge %zu: cannot cut the line (%s)",
                              e, cc__geos_reason(&g));
                goto fail;
            }
            if ((st = cc_vec_push(ctx, &lines, &ls)) != CC_OK) {
                GEOSGeom_destroy_r(g.h, ls);
                goto fail;
            }
            reached += (b - a) * len;
        }
    }

    if (lines.len == 0) {
        /* Nothing reached: one feature without rings. */
        GEOSGeometry *empty = GEOSGeom_createEmptyPolygon_r(g.h);
        if (!empty) {
            st = cc_error(ctx, CC_ERR_GEOM, "service area: %s", cc__geos_reason(&g));
            goto fail;
        }
        st = cc__geos_append_polys(ctx, &g, empty, out);
        GEOSGeom_destroy_r(g.h, empty);
        if (st) goto fail;
    } else {
        if (lines.len > (size_t)0xffffffffu) {
            st = cc_error(ctx, CC_ERR_GEOM, "service area: too many stretches (%zu)", lines.len);
            goto fail;
        }
        /* Buffer each stretch, then union the bands (cascaded union): about three times
         * faster than buffering one MultiLineString of thousands of stretches. Each slot of
         * `lines` is replaced by its band as we go, so cleanup stays uniform. */
        GEOSGeometry **items = (GEOSGeometry **)lines.data;
        for (size_t k = 0; k < lines.len; k++) {
            if ((k & 1023) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) goto fail;
            GEOSGeometry *band = GEOSBuffer_r(g.h, items[k], p->buffer_m, p->quad_segs);
            if (!band) {
                st = cc_error(ctx, CC_ERR_GEOM, "service area: buffering failed (%s)",
                              cc__geos_reason(&g));
                goto fail;
            }
            GEOSGeom_destroy_r(g.h, items[k]);
            items[k] = band;
        }
        coll =
            GEOSGeom_createCollection_r(g.h, GEOS_GEOMETRYCOLLECTION, items, (unsigned)lines.len);
        if (!coll) {
            st = cc_error(ctx, CC_ERR_GEOM, "service area: cannot collect the bands (%s)",
                          cc__geos_reason(&g));
            goto fail;
        }
        lines.len = 0; /* owned by coll */
        buf = GEOSUnaryUnion_r(g.h, coll);
        if (!buf) {
            st = cc_error(ctx, CC_ERR_GEOM, "service area: union of the bands failed (%s)",
                          cc__geos_reason(&g));
            goto fail;
        }
        const GEOSGeometry *res = buf;
        if (p->simplify_m > 0) {
            simple = GEOSTopologyPreserveSimplify_r(g.h, buf, p->simplify_m);
            if (!simple) {
                st = cc_error(ctx, CC_ERR_GEOM, "service area: simplification failed (%s)",
                              cc__geos_reason(&g));
                goto fail;
            }
            res = simple;
        }
        if ((st = cc__geos_append_polys(ctx, &g, res, out)) != CC_OK) goto fail;
    }
    if (reached_len_m) *reached_len_m = reached;

fail:
    if (g.h) {
        for (size_t k = 0; k < lines.len; k++)
            GEOSGeom_destroy_r(g.h, CC_VEC_AT(&lines, GEOSGeometry *, k));
        if (coll) GEOSGeom_destroy_r(g.h, coll);
        if (buf) GEOSGeom_destroy_r(g.h, buf);
        if (simple) GEOSGeom_destroy_r(g.h, simple);
    }
    cc_vec_free(&lines);
    cc__geos_close(&g);
    cc_free(spans);
    cc_free(src_first);
    cc_free(src_order);
    if (st) cc_geom_polys_free(out);
    return st;
}
