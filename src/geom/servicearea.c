/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Service areas: the part of the network a facility reaches within its threshold, drawn as a
 * band of buffer_m around every reached stretch of edge. Each reached node spends its spare
 * time along the edges it may be reached by (time spread uniformly along the edge, cut point
 * interpolated along the polyline); the facility's own edge contributes the stretch around its
 * snapped position. Only the reached nodes' edges are visited, each edge once (at the first of
 * its reached ends in the list that may reach it, found through a per-workspace node index
 * reset after each call): its stretches from both ends and from the sources are merged, cut
 * into straight segments, and band.c traces the band around them.
 */
#include "geom/band.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const cc_service_params service_default = CC_SERVICE_PARAMS_DEFAULT;

typedef struct span {
    double a, b; /* fractions of the edge, 0 = from node, 1 = to node */
} span;

cc_service_ws *cc_geom_service_ws_create(cc_ctx *ctx)
{
    return cc_calloc(ctx, 1, sizeof(cc_service_ws));
}

void cc_geom_service_ws_destroy(cc_service_ws *ws)
{
    if (!ws) return;
    cc_free(ws->span);
    cc_free(ws->nidx);
    cc_free(ws->src_done);
    cc_free(ws->elist);
    cc_free(ws->seg);
    cc_free(ws->d2);
    cc_free(ws->sid);
    cc_free(ws->hx);
    cc_free(ws->vx);
    cc_free(ws->in);
    cc_free(ws->rlo);
    cc_free(ws->rhi);
    cc_free(ws->deep);
    cc_free(ws->sat);
    cc_free(ws->run);
    cc_free(ws->pt);
    cc_free(ws->rx);
    cc_free(ws->ry);
    cc_free(ws->keep);
    cc_free(ws->roff);
    cc_free(ws->rarea);
    cc_free(ws->rshell);
    cc_free(ws->stack);
    cc_free(ws->bs);
    cc_free(ws);
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
        s += sqrt((x[k + 1] - x[k]) * (x[k + 1] - x[k]) + (y[k + 1] - y[k]) * (y[k + 1] - y[k]));
    return s;
}

/* Position at distance d along the polyline: segment index and the point. */
static void locate(const double *x, const double *y, size_t n, double d, size_t *seg, double *px,
                   double *py)
{
    double acc = 0.0;
    for (size_t k = 0; k + 1 < n; k++) {
        double l =
            sqrt((x[k + 1] - x[k]) * (x[k + 1] - x[k]) + (y[k + 1] - y[k]) * (y[k + 1] - y[k]));
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

/* Append the straight pieces of the stretch [da, db] (metres along the polyline of length len)
 * to ws->seg. */
static cc_status add_stretch(cc_ctx *ctx, cc_service_ws *ws, size_t *n_seg, const double *x,
                             const double *y, size_t n, double len, double da, double db)
{
    size_t sa, sb;
    double ax, ay, bx, by;
    if (da <= 0 && db >= len) { /* the whole polyline */
        sa = 0;
        sb = n - 2;
        ax = x[0];
        ay = y[0];
        bx = x[n - 1];
        by = y[n - 1];
    } else if (n == 2) {
        double ta = da / len, tb = db / len;
        sa = sb = 0;
        ax = x[0] + ta * (x[1] - x[0]);
        ay = y[0] + ta * (y[1] - y[0]);
        bx = x[0] + tb * (x[1] - x[0]);
        by = y[0] + tb * (y[1] - y[0]);
    } else {
        locate(x, y, n, da, &sa, &ax, &ay);
        locate(x, y, n, db, &sb, &bx, &by);
    }
    double px = ax, py = ay;
    size_t room = sb >= sa ? sb - sa + 1 : 1;
    cc_status st =
        cc_grow_array(ctx, (void **)&ws->seg, &ws->seg_cap, 4 * (*n_seg + room), sizeof *ws->seg);
    if (st) return st;
    for (size_t k = sa + 1; k <= sb + 1; k++) {
        double qx = k <= sb ? x[k] : bx, qy = k <= sb ? y[k] : by;
        if (qx == px && qy == py) continue;
        double *s = ws->seg + 4 * (*n_seg)++;
        s[0] = px;
        s[1] = py;
        s[2] = qx;
        s[3] = qy;
        px = qx;
        py = qy;
    }
    return CC_OK;
}

/* One feature without rings (nothing reached). */
static cc_status empty_feature(cc_ctx *ctx, cc_geom_polys *out)
{
    memset(out, 0, sizeof *out);
    out->feat_part = cc_calloc(ctx, 2, sizeof *out->feat_part);
    out->part_coord = cc_calloc(ctx, 1, sizeof *out->part_coord);
    if (!out->feat_part || !out->part_coord) {
        cc_geom_polys_free(out);
        return CC_ERR_NOMEM;
    }
    out->n = 1;
    return CC_OK;
}

/* What one call works on. */
typedef struct job {
    const cc_geom_network *net;
    size_t n_reached;
    const uint32_t *node, *time;
    int reverse;
    size_t n_src;
    const cc_geom_source *src;
    unsigned char *src_done;
    uint32_t limit;
    size_t n_seg;
    double reached;
} job;

/* The time that spreads along edge e from its end `end` (0 = from node): leaving the from end
 * towards `to` uses time_fwd when the traveller is the facility (reverse 0); a resident going
 * to the from node walks backwards (reverse 1). The other way round at the to end. */
static uint32_t end_time(const job *jb, uint32_t e, int end)
{
    const cc_geom_network *net = jb->net;
    return (end == 0) == (jb->reverse != 0) ? net->time_bwd_ds[e] : net->time_fwd_ds[e];
}

/* The reached node index of v (NIL when not reached within the limit). */
static uint32_t reached_at(const job *jb, const cc_service_ws *ws, uint32_t v)
{
    uint32_t k = ws->nidx[v];
    return k != UINT32_MAX && jb->time[k] <= jb->limit ? k : UINT32_MAX;
}

/* Every stretch of edge e: from its reached ends and from the sources on it, merged. */
static cc_status do_edge(cc_ctx *ctx, cc_service_ws *ws, job *jb, uint32_t e)
{
    const cc_geom_network *net = jb->net;
    const cc_geom_line *ln = &net->lines[e];
    if (ln->n < 2) return CC_OK;
    double len = poly_len(ln->x, ln->y, ln->n), limit = (double)jb->limit;
    cc_status st = cc_grow_array(ctx, &ws->span, &ws->span_cap, jb->n_src + 2, sizeof(span));
    if (st) return st;
    span *sp = ws->span;
    size_t ns = 0;
    for (int end = 0; end < 2; end++) {
        uint32_t k = reached_at(jb, ws, end ? net->to[e] : net->from[e]);
        if (k == UINT32_MAX) continue;
        double f = reach_frac(limit - jb->time[k], end_time(jb, e, end));
        if (!(f > 0)) continue;
        sp[ns++] = end == 0 ? (span){0.0, f < 1 ? f : 1.0} : (span){f < 1 ? 1.0 - f : 0.0, 1.0};
    }
    for (size_t s = 0; s < jb->n_src; s++) {
        const cc_geom_source *src = &jb->src[s];
        if (src->edge != e || src->time_ds > jb->limit) continue;
        jb->src_done[s] = 1;
        double pos = len > 0 ? src->offset_m / len : 0.0;
        if (pos < 0) pos = 0;
        if (pos > 1) pos = 1;
        /* Positions past the source (towards `to`) are left from it as from an edge's from
         * end, positions before it as from its to end. */
        double spare = limit - src->time_ds;
        double f_up = reach_frac(spare, end_time(jb, e, 0));
        double f_down = reach_frac(spare, end_time(jb, e, 1));
        double a = f_down > 0 ? pos - f_down : pos, b = f_up > 0 ? pos + f_up : pos;
        if (a < 0) a = 0;
        if (b > 1) b = 1;
        if (b > a) sp[ns++] = (span){a, b};
    }
    if (ns == 0 || !(len > 0)) return CC_OK;
    for (size_t k = 1; k < ns; k++) { /* a few: insertion sort by (a, b) */
        span x = sp[k];
        size_t j = k;
        while (j > 0 && (sp[j - 1].a > x.a || (sp[j - 1].a == x.a && sp[j - 1].b > x.b))) {
            sp[j] = sp[j - 1];
            j--;
        }
        sp[j] = x;
    }
    for (size_t k = 0; k < ns;) {
        double a = sp[k].a, b = sp[k].b;
        for (k++; k < ns && sp[k].a <= b; k++)
            if (sp[k].b > b) b = sp[k].b;
        if ((st = add_stretch(ctx, ws, &jb->n_seg, ln->x, ln->y, ln->n, len, a * len, b * len)))
            return st;
        jb->reached += (b - a) * len;
    }
    return CC_OK;
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif

/* Walk the reached nodes' edges, each edge once, then the sources' edges not walked. The graph
 * is read at random and memory latency is most of the cost here, so the work goes in three
 * sweeps that each fetch a few steps ahead: the reached nodes' edge entries (reached index
 * << 32 | entry), the entries kept (each edge once), and the edges drawn. */
static cc_status collect(cc_ctx *ctx, cc_service_ws *ws, job *jb)
{
    const cc_geom_network *net = jb->net;
    const uint32_t *off = jb->reverse ? net->in_off : net->out_off;
    const uint32_t *lst = jb->reverse ? net->in_edge : net->out_edge;
    const uint32_t *node = jb->node;
    size_t nr = jb->n_reached, ne = 0;
    cc_status st;
    memset(jb->src_done, 0, jb->n_src);
    for (size_t k = 0; k < nr; k++) {
        if (k + 8 < nr) PREFETCH(&off[node[k + 8]]);
        if (k + 4 < nr) PREFETCH(&lst[off[node[k + 4]]]);
        uint32_t u = node[k];
        if (ws->nidx[u] != k || jb->time[k] > jb->limit) continue; /* a repeat, or too far */
        uint32_t i0 = off[u], i1 = off[u + 1];
        if ((st = cc_grow_array(ctx, (void **)&ws->elist, &ws->elist_cap, ne + (i1 - i0),
                           sizeof *ws->elist)))
            return st;
        for (uint32_t i = i0; i < i1; i++)
            ws->elist[ne++] = (uint64_t)k << 32 | lst[i];
    }
    size_t kept = 0;
    for (size_t q = 0; q < ne; q++) {
        if (q + 8 < ne) {
            uint32_t e8 = (uint32_t)ws->elist[q + 8] >> 1;
            if (e8 < net->n_edges) {
                PREFETCH(&net->from[e8]);
                PREFETCH(&net->to[e8]);
                PREFETCH(&net->time_fwd_ds[e8]);
                PREFETCH(&net->time_bwd_ds[e8]);
            }
        }
        uint32_t k = (uint32_t)(ws->elist[q] >> 32), ent = (uint32_t)ws->elist[q];
        uint32_t u = node[k], e = ent >> 1;
        int end = (int)(ent & 1);
        if (e >= net->n_edges)
            return cc_error(ctx, CC_ERR_INVALID,
                            "service area: node %u lists edge %u, but the network has %zu edges",
                            (unsigned)u, (unsigned)e, net->n_edges);
        uint32_t w = end ? net->from[e] : net->to[e];
        if (w >= net->n_nodes)
            return cc_error(ctx, CC_ERR_INVALID,
                            "service area: edge %u joins node %u, but the network has %zu nodes",
                            (unsigned)e, (unsigned)w, net->n_nodes);
        if (w == u) {
            /* a loop: listed once per end that may be left; take it at the first */
            if (end == 1 && end_time(jb, e, 0) != UINT32_MAX) continue;
        } else {
            /* done at w when w came first and lists it */
            uint32_t kw = reached_at(jb, ws, w);
            if (kw < k && end_time(jb, e, !end) != UINT32_MAX) continue;
        }
        PREFETCH(&net->lines[e]);
        ws->elist[kept++] = e;
    }
    for (size_t i = 0; i < kept; i++) {
        if (i + 4 < kept) {
            const cc_geom_line *l = &net->lines[(uint32_t)ws->elist[i + 4]];
            PREFETCH(l->x);
            PREFETCH(l->y);
        }
        if ((st = do_edge(ctx, ws, jb, (uint32_t)ws->elist[i]))) return st;
    }
    for (size_t s = 0; s < jb->n_src; s++)
        if (!jb->src_done[s] && jb->src[s].edge != UINT32_MAX &&
            (st = do_edge(ctx, ws, jb, jb->src[s].edge)))
            return st;
    return CC_OK;
}

cc_status cc_geom_service_area(cc_ctx *ctx, cc_service_ws *ws, const cc_geom_network *net,
                               size_t n_reached, const uint32_t *node, const uint32_t *time_ds,
                               int reverse, size_t n_src, const cc_geom_source *sources,
                               uint32_t limit_ds, const cc_service_params *params,
                               cc_geom_polys *out, double *reached_len_m)
{
    const cc_service_params *p = params ? params : &service_default;
    cc_status st = CC_OK;
    cc_service_ws *own = NULL;
    size_t marked = 0;
    memset(out, 0, sizeof *out);
    if (reached_len_m) *reached_len_m = 0.0;

    if (!(p->buffer_m > 0) || !isfinite(p->buffer_m) || !(p->simplify_m >= 0) ||
        !isfinite(p->simplify_m) || !(p->cell_m >= 0) || !isfinite(p->cell_m))
        return cc_error(ctx, CC_ERR_INVALID,
                        "service area: buffer_m must be > 0 (got %g), simplify_m >= 0 (got %g) "
                        "and cell_m >= 0 (got %g)",
                        p->buffer_m, p->simplify_m, p->cell_m);
    if (n_reached && (!node || !time_ds))
        return cc_error(ctx, CC_ERR_INVALID, "service area: no reached nodes given");
    if (n_reached >= UINT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "service area: %zu reached nodes", n_reached);
    for (size_t k = 0; k < n_reached; k++)
        if (node[k] >= net->n_nodes)
            return cc_error(ctx, CC_ERR_INVALID,
                            "service area: reached node %u, but the network has %zu nodes",
                            (unsigned)node[k], net->n_nodes);
    for (size_t s = 0; s < n_src; s++)
        if (sources[s].edge != UINT32_MAX &&
            (sources[s].edge >= net->n_edges || !isfinite(sources[s].offset_m)))
            return cc_error(ctx, CC_ERR_INVALID,
                            "service area: source %zu is on edge %u at offset %g, but the "
                            "network has %zu edges",
                            s, (unsigned)sources[s].edge, sources[s].offset_m, net->n_edges);
    if ((st = cc_check_interrupt(ctx)) != CC_OK) return st;
    if (!ws && !(ws = own = cc_geom_service_ws_create(ctx))) return CC_ERR_NOMEM;

    /* The node index: grown to the network once, all UINT32_MAX between calls. */
    if (net->n_nodes > ws->nidx_cap) {
        uint32_t *q = cc_realloc_array(ctx, ws->nidx, net->n_nodes, sizeof *q);
        if (!q) {
            st = CC_ERR_NOMEM;
            goto done;
        }
        memset(q + ws->nidx_cap, 0xff, (net->n_nodes - ws->nidx_cap) * sizeof *q);
        ws->nidx = q;
        ws->nidx_cap = net->n_nodes;
    }
    if ((st = cc_grow_array(ctx, (void **)&ws->src_done, &ws->src_done_cap, n_src + 1, 1))) goto done;
    for (; marked < n_reached; marked++)
        if (ws->nidx[node[marked]] == UINT32_MAX) ws->nidx[node[marked]] = (uint32_t)marked;

    job jb = {net,     n_reached,    node,     time_ds, reverse, n_src,
              sources, ws->src_done, limit_ds, 0,       0.0};
    if ((st = collect(ctx, ws, &jb))) goto done;
    if (jb.n_seg == 0)
        st = empty_feature(ctx, out);
    else
        st = cc__band_trace(ctx, ws, jb.n_seg, p->buffer_m,
                            p->cell_m > 0 ? p->cell_m : p->buffer_m / 4.0, p->simplify_m, out);
    if (!st && reached_len_m) *reached_len_m = jb.reached;
done:
    for (size_t k = 0; k < marked; k++)
        ws->nidx[node[k]] = UINT32_MAX;
    cc_geom_service_ws_destroy(own);
    if (st) cc_geom_polys_free(out);
    return st;
}
