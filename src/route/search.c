/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Search workspaces, node-level Dijkstra, parallel snapping and the multi-source nearest
 * facility search (one search seeded at every facility's edge ends with their offset costs).
 */
#include "route_internal.h"


void cc__ws_destroy(cc__ws *w)
{
    if (!w) return;
    cc_free(w->node);
    cc_free(w->touched);
    cc_free(w->rec_node);
    cc_free(w->rec_time);
    cc_free(w->owner);
    cc_free(w->bhead);
    cc_free(w->bits);
    cc_free(w->heap);
    cc_free(w->pool);
    cc_free(w);
}

/* Through the caller's context: inside a parallel region that is the thread's child context,
 * so the allocation-failure hook reaches these too. */
cc__ws *cc__ws_create(cc_ctx *ctx, uint32_t n_nodes, uint32_t max_arc_ds, int queue, int with_owner)
{
    size_t nn = n_nodes ? n_nodes : 1;
    cc__ws *w = cc_calloc(ctx, 1, sizeof *w);
    if (!w) goto fail;
    w->ctx = ctx;
    w->n_nodes = n_nodes;
    w->node = cc_malloc_array(ctx, nn, sizeof *w->node);
    if (!w->node) goto fail;
    memset(w->node, 0xff, nn * sizeof *w->node); /* all CC__NIL */
    if (!(w->touched = cc_malloc_array(ctx, nn, sizeof *w->touched))) goto fail;
    if (with_owner && !(w->owner = cc_malloc_array(ctx, nn, sizeof *w->owner))) goto fail;
    if (queue == CC_QUEUE_DIAL) {
        uint64_t nb = 64;
        while (nb <= max_arc_ds)
            nb *= 2;
        w->bmask = (uint32_t)(nb - 1);
        w->bhead = cc_malloc_array(ctx, (size_t)nb, sizeof *w->bhead);
        w->bits = cc_calloc(ctx, (size_t)nb / 64, sizeof *w->bits);
        if (!w->bhead || !w->bits) goto fail;
        memset(w->bhead, 0xff, (size_t)nb * sizeof *w->bhead);
    }
    return w;
fail:
    cc__ws_destroy(w);
    if (ctx)
        cc_error(ctx, CC_ERR_NOMEM,
                 "out of memory for a routing workspace of %u nodes; "
                 "use fewer threads or a smaller study area",
                 n_nodes);
    return NULL;
}

void cc__ws_new_search(cc__ws *w)
{
    for (size_t i = 0; i < w->n_touched; i++)
        w->node[w->touched[i]].dist = CC__NIL;
    w->n_touched = 0;
}

/* Buckets only pay while they stay small; a graph with very long arcs uses the heap. */
static int pick_queue(int queue, uint32_t max_arc)
{
    return (queue == CC_QUEUE_DIAL && max_arc < (1u << 22)) ? CC_QUEUE_DIAL : CC_QUEUE_HEAP;
}

uint32_t cc_route_leg_ds(const cc_profile *prof, double dist_m)
{
    return cc_time_ds(dist_m, cc_profile_speed_kmh(prof), 1.0);
}

static int cmp_seed(const void *a, const void *b)
{
    const cc__seed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->owner != y->owner) return x->owner < y->owner ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

static void run_labels(cc__ws *w, int queue, const uint32_t *off, const cc_arc *arc,
                       const cc__seed *s, size_t ns, uint32_t limit)
{
    if (queue == CC_QUEUE_DIAL)
        cc__search(w, 1, off, arc, s, ns, limit, NULL, NULL, NULL);
    else
        cc__search(w, 0, off, arc, s, ns, limit, NULL, NULL, NULL);
}

cc_status cc_route_nodes(cc_ctx *ctx, const cc_graph *g, int reverse, size_t n_src,
                         const uint32_t *src_node, const uint32_t *src_time_ds, uint32_t limit_ds,
                         uint32_t *dist_ds, int32_t *owner)
{
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    if (n_src > INT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "routing: too many sources (%zu)", n_src);
    if (limit_ds >= CC_NONE) limit_ds = CC_NONE - 1;
    uint32_t maxw = v.max_arc_ds;
    int queue = pick_queue(CC__QUEUE_DEFAULT, maxw);
    cc__seed *s = cc_malloc_array(ctx, n_src ? n_src : 1, sizeof *s);
    if (!s) return CC_ERR_NOMEM;
    size_t ns = 0;
    for (size_t i = 0; i < n_src; i++) {
        if (src_node[i] >= v.n_nodes) {
            cc_free(s);
            return cc_error(ctx, CC_ERR_INVALID,
                            "routing: source %zu is node %u but the graph "
                            "has %u nodes",
                            i, src_node[i], v.n_nodes);
        }
        uint32_t t = src_time_ds ? src_time_ds[i] : 0;
        if (t > limit_ds) continue;
        s[ns++] = (cc__seed){t, src_node[i], (int32_t)i};
    }
    qsort(s, ns, sizeof *s, cmp_seed);
    cc__ws *w = cc__ws_create(ctx, v.n_nodes, maxw, queue, 1);
    if (!w) {
        cc_free(s);
        return CC_ERR_NOMEM;
    }
    run_labels(w, queue, reverse ? v.rev_off : v.fwd_off, reverse ? v.rev_arc : v.fwd_arc, s, ns,
               limit_ds);
    cc_status st = CC_OK;
    if (w->nomem) {
        st = cc_error(ctx, CC_ERR_NOMEM, "out of memory in a routing search");
    } else {
        for (uint32_t i = 0; i < v.n_nodes; i++) {
            int hit = w->node[i].dist != CC__NIL;
            dist_ds[i] = hit ? w->node[i].dist : CC_NONE;
            if (owner) owner[i] = hit ? w->owner[i] : -1;
        }
    }
    cc__ws_destroy(w);
    cc_free(s);
    return st;
}

cc_status cc_route_snap(cc_ctx *ctx, const cc_graph *g, size_t n, const double *x, const double *y,
                        cc_snap *out)
{
    /* The one failure (a graph without coordinates) is the same for every slice: report it
     * here, once and from this thread, so the parallel calls below cannot fail. Each point's
     * result depends on the graph and the point only: the same for any thread count. */
    cc_status st = cc_graph_snap(ctx, g, 0, x, y, out);
    if (st) return st;
    int nt = cc_ctx_thread_count(ctx);
    size_t chunk = 4096;
    size_t nchunk = (n + chunk - 1) / chunk;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1) if (nchunk > 1 && nt > 1)
    for (size_t c = 0; c < nchunk; c++) {
        size_t a = c * chunk, b = a + chunk < n ? a + chunk : n;
        cc_graph_snap(ctx, g, b - a, x + a, y + a, out + a);
    }
    return CC_OK;
}

/* Facility seeds: both ends of the facility's edge with the partial edge and its leg. An end
 * at the facility's own position costs no edge time even against a one-way edge (cc__part). */
size_t cc__fac_seeds(const cc_graph_view *v, const cc_profile *prof, const cc_snap *f,
                     int32_t owner, uint32_t limit, cc__seed *s)
{
    if (f->edge == CC_NONE) return 0;
    uint32_t leg = cc_route_leg_ds(prof, f->dist_m), fa, fb;
    cc__ends_to_fac(v, f, &fa, &fb);
    size_t n = 0;
    uint32_t ka = cc__add(leg, fa), kb = cc__add(leg, fb);
    if (ka <= limit) s[n++] = (cc__seed){ka, v->edge_from[f->edge], owner};
    if (kb <= limit) s[n++] = (cc__seed){kb, v->edge_to[f->edge], owner};
    return n;
}

size_t cc_route_facility_seeds(const cc_graph *g, const cc_profile *prof, const cc_snap *fac,
                               uint32_t limit_ds, uint32_t node[2], uint32_t time_ds[2])
{
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    if (fac->edge != CC_NONE && fac->edge >= v.n_edges) return 0;
    cc__seed s[2];
    size_t n = cc__fac_seeds(&v, prof, fac, 0, limit_ds >= CC_NONE ? CC_NONE - 1 : limit_ds, s);
    for (size_t k = 0; k < n; k++) {
        node[k] = s[k].node;
        time_ds[k] = s[k].key;
    }
    return n;
}

/* Items grouped by edge, ascending index within an edge (counting sort). */
cc_status cc__by_edge(cc_ctx *ctx, uint32_t n_edges, size_t n, const cc_snap *s, uint32_t **off_out,
                      uint32_t **idx_out);
cc_status cc__by_edge(cc_ctx *ctx, uint32_t n_edges, size_t n, const cc_snap *s, uint32_t **off_out,
                      uint32_t **idx_out)
{
    uint32_t *off = cc_calloc(ctx, (size_t)n_edges + 2, sizeof *off);
    uint32_t *idx = cc_malloc_array(ctx, n ? n : 1, sizeof *idx);
    if (!off || !idx) {
        cc_free(off);
        cc_free(idx);
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (s[i].edge < n_edges) off[s[i].edge + 2]++;
    for (uint32_t e = 2; e < n_edges + 2; e++)
        off[e] += off[e - 1];
    for (size_t i = 0; i < n; i++)
        if (s[i].edge < n_edges) idx[off[s[i].edge + 1]++] = (uint32_t)i;
    *off_out = off;
    *idx_out = idx;
    return CC_OK;
}

static cc_status check_snaps(cc_ctx *ctx, const cc_graph_view *v, size_t n, const cc_snap *s,
                             const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].edge != CC_NONE && (s[i].edge >= v->n_edges || !(s[i].dist_m >= 0)))
            return cc_error(ctx, CC_ERR_INVALID,
                            "routing: %s %zu is snapped to edge %u, which this graph does not "
                            "have; snap with the same graph",
                            what, i, s[i].edge);
    return CC_OK;
}

cc_status cc__check_inputs(cc_ctx *ctx, const cc_graph_view *v, size_t n_fac, const cc_snap *fac,
                           size_t n_pts, const cc_snap *pts);
cc_status cc__check_inputs(cc_ctx *ctx, const cc_graph_view *v, size_t n_fac, const cc_snap *fac,
                           size_t n_pts, const cc_snap *pts)
{
    if (n_fac >= INT32_MAX || n_pts >= INT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID,
                        "routing: %zu facilities / %zu points is more than 2^31; split the study "
                        "area",
                        n_fac, n_pts);
    cc_status st = check_snaps(ctx, v, n_fac, fac, "facility");
    if (st == CC_OK) st = check_snaps(ctx, v, n_pts, pts, "point");
    return st;
}

cc_status cc__route_nearest(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                            const cc_snap *fac, size_t n_pts, const cc_snap *pts, uint32_t limit_ds,
                            int queue, uint32_t *time_ds, int32_t *fac_out, cc_route_stats *stats)
{
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    cc_status st = cc__check_inputs(ctx, &v, n_fac, fac, n_pts, pts);
    if (st != CC_OK) return st;
    if (limit_ds >= CC_NONE) limit_ds = CC_NONE - 1;
    uint32_t maxw = v.max_arc_ds;
    queue = pick_queue(queue, maxw);
    cc__seed *s = cc_malloc_array(ctx, 2 * n_fac + 1, sizeof *s);
    uint32_t *fe_off = NULL, *fe_idx = NULL;
    cc__ws *w = NULL;
    st = CC_ERR_NOMEM;
    if (!s) goto fail;
    size_t ns = 0;
    for (size_t f = 0; f < n_fac; f++)
        ns += cc__fac_seeds(&v, prof, &fac[f], (int32_t)f, limit_ds, s + ns);
    qsort(s, ns, sizeof *s, cmp_seed);
    if ((st = cc__by_edge(ctx, v.n_edges, n_fac, fac, &fe_off, &fe_idx)) != CC_OK) goto fail;
    st = CC_ERR_NOMEM;
    if (!(w = cc__ws_create(ctx, v.n_nodes, maxw, queue, 1))) goto fail;
    if ((st = cc_check_interrupt(ctx)) != CC_OK) goto fail;
    cc_progress(ctx, "nearest", 0.0);
    run_labels(w, queue, v.rev_off, v.rev_arc, s, ns, limit_ds);
    if (w->nomem) {
        st = cc_error(ctx, CC_ERR_NOMEM, "out of memory in the nearest-facility search");
        goto fail;
    }
    if ((st = cc_check_interrupt(ctx)) != CC_OK) goto fail;
    int nt = cc_ctx_thread_count(ctx);
    const cc__node *node = w->node;
    const int32_t *own = w->owner;
#pragma omp parallel for num_threads(nt) schedule(static, 4096)
    for (size_t i = 0; i < n_pts; i++) {
        const cc_snap *p = &pts[i];
        uint32_t bt = CC_NONE;
        int32_t bf = -1;
        if (p->edge != CC_NONE) {
            uint32_t leg = cc_route_leg_ds(prof, p->dist_m), ta, tb;
            cc__pt_to_ends(&v, p, &ta, &tb);
            uint32_t a = v.edge_from[p->edge], b = v.edge_to[p->edge];
            if (ta != CC_NONE && node[a].dist != CC__NIL) {
                bt = cc__add(cc__add(node[a].dist, ta), leg);
                bf = own[a];
            }
            if (tb != CC_NONE && node[b].dist != CC__NIL) {
                uint32_t t = cc__add(cc__add(node[b].dist, tb), leg);
                if (t < bt || (t == bt && own[b] < bf)) {
                    bt = t;
                    bf = own[b];
                }
            }
            for (uint32_t k = fe_off[p->edge]; k < fe_off[p->edge + 1]; k++) {
                uint32_t f = fe_idx[k];
                uint32_t d = cc__same_edge(&v, p->edge, p->offset_m, fac[f].offset_m);
                if (d == CC_NONE) continue;
                uint32_t t = cc__add(cc__add(d, leg), cc_route_leg_ds(prof, fac[f].dist_m));
                if (t < bt || (t == bt && (int32_t)f < bf)) {
                    bt = t;
                    bf = (int32_t)f;
                }
            }
        }
        if (bt > limit_ds) {
            bt = CC_NONE;
            bf = -1;
        }
        time_ds[i] = bt;
        fac_out[i] = bf;
    }
    cc_progress(ctx, "nearest", 1.0);
    if (stats) {
        stats->arcs_scanned = w->scanned;
        stats->nodes_settled = w->settled;
        stats->threads = 1;
        stats->queue = queue;
    }
    st = CC_OK;
fail:
    cc__ws_destroy(w);
    cc_free(s);
    cc_free(fe_off);
    cc_free(fe_idx);
    return st;
}

cc_status cc_route_nearest(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                           const cc_snap *fac, size_t n_pts, const cc_snap *pts, uint32_t limit_ds,
                           uint32_t *time_ds, int32_t *fac_out)
{
    return cc__route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, limit_ds, CC__QUEUE_DEFAULT,
                             time_ds, fac_out, NULL);
}
