/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sparse bounded search for service areas: the nodes a facility reaches within its threshold,
 * as a (node, time) list. It runs the routing kernel of route_internal.h in its listing form
 * (cc__search_list) on a workspace reset through its touched list, so after the workspace is
 * made once per thread a search costs O(reached nodes and their arcs), whatever the size of
 * the graph.
 */
#include "route_internal.h"

struct cc_reach_ws {
    cc_graph_view v;
    cc__ws *w;
    int dial;
    cc__seed *seed;
    size_t seed_cap;
};

void cc_reach_ws_destroy(cc_reach_ws *ws)
{
    if (!ws) return;
    cc__ws_destroy(ws->w);
    cc_free(ws->seed);
    cc_free(ws);
}

cc_status cc_reach_ws_create(cc_ctx *ctx, const cc_graph *g, cc_reach_ws **out)
{
    *out = NULL;
    cc_reach_ws *ws = cc_calloc(ctx, 1, sizeof *ws);
    if (!ws) return CC_ERR_NOMEM;
    cc_graph_get_view(g, &ws->v);
    uint32_t maxw = ws->v.max_arc_ds;
    /* As the other searches: buckets while they stay small, else the heap. */
    ws->dial = CC__QUEUE_DEFAULT == CC_QUEUE_DIAL && maxw < (1u << 22);
    ws->w = cc__ws_create(ctx, ws->v.n_nodes, maxw, ws->dial ? CC_QUEUE_DIAL : CC_QUEUE_HEAP, 0);
    if (!ws->w) {
        cc_reach_ws_destroy(ws);
        return CC_ERR_NOMEM;
    }
    *out = ws;
    return CC_OK;
}

static int cmp_seed(const void *a, const void *b)
{
    const cc__seed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

cc_status cc_route_reach(cc_ctx *ctx, cc_reach_ws *ws, int reverse, size_t n_src,
                         const uint32_t *src_node, const uint32_t *src_time_ds, uint32_t limit_ds,
                         size_t *n_out, const uint32_t **node_out, const uint32_t **time_out)
{
    cc__ws *w = ws->w;
    *n_out = 0;
    *node_out = w->rec_node;
    *time_out = w->rec_time;
    w->rec_n = 0;
    if (limit_ds >= CC_NONE) limit_ds = CC_NONE - 1;
    if (n_src > ws->seed_cap) {
        cc__seed *s = cc_realloc_array(ctx, ws->seed, n_src, sizeof *s);
        if (!s) return CC_ERR_NOMEM;
        ws->seed = s;
        ws->seed_cap = n_src;
    }
    size_t ns = 0;
    for (size_t i = 0; i < n_src; i++) {
        if (src_node[i] >= ws->v.n_nodes)
            return cc_error(ctx, CC_ERR_INVALID,
                            "routing: source %zu is node %u but the graph has %u nodes", i,
                            src_node[i], ws->v.n_nodes);
        uint32_t t = src_time_ds ? src_time_ds[i] : 0;
        if (t > limit_ds) continue;
        ws->seed[ns++] = (cc__seed){t, src_node[i], 0};
    }
    if (ns > 1) qsort(ws->seed, ns, sizeof *ws->seed, cmp_seed);
    const uint32_t *off = reverse ? ws->v.rev_off : ws->v.fwd_off;
    const cc_arc *arc = reverse ? ws->v.rev_arc : ws->v.fwd_arc;
    w->heap_n = 0;
    if (ws->dial)
        cc__search_list(w, 1, off, arc, ws->seed, ns, limit_ds);
    else
        cc__search_list(w, 0, off, arc, ws->seed, ns, limit_ds);
    if (w->nomem) {
        /* Leave the queue empty for the next search (a search normally drains it). */
        if (ws->dial) {
            memset(w->bhead, 0xff, ((size_t)w->bmask + 1) * sizeof *w->bhead);
            memset(w->bits, 0, ((size_t)w->bmask + 1) / 64 * sizeof *w->bits);
        }
        w->nomem = 0;
        w->rec_n = 0;
        return cc_error(ctx, CC_ERR_NOMEM, "out of memory in a routing search");
    }
    *n_out = w->rec_n;
    *node_out = w->rec_node;
    *time_out = w->rec_time;
    return CC_OK;
}
