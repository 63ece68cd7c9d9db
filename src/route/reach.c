/*
 * Sparse bounded search for service areas: the nodes a facility reaches within its threshold,
 * as a (node, time) list. It uses the routing workspace of route_internal.h (O(1) reset by a
 * stamp, the Dial buckets or the heap), so after the workspace is made once per thread a
 * search costs O(reached nodes and their arcs), whatever the size of the graph.
 */
#include "route_internal.h"

struct cc_reach_ws {
    cc_graph_view v;
    cc__ws *w;
    int dial;
    cc__seed *seed;
    size_t seed_cap;
    uint32_t *node, *time; /* the last search's result */
    size_t n, cap;
};

void cc_reach_ws_destroy(cc_reach_ws *ws)
{
    if (!ws) return;
    cc__ws_destroy(ws->w);
    cc_free(ws->seed);
    cc_free(ws->node);
    cc_free(ws->time);
    cc_free(ws);
}

cc_status cc_reach_ws_create(cc_ctx *ctx, const cc_graph *g, cc_reach_ws **out)
{
    *out = NULL;
    cc_reach_ws *ws = cc_calloc(ctx, 1, sizeof *ws);
    if (!ws) return CC_ERR_NOMEM;
    cc_graph_get_view(g, &ws->v);
    uint32_t maxw = cc__max_arc_ds(&ws->v);
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

/* Append a settled node; 0 when out of memory. */
static int put(cc_ctx *ctx, cc_reach_ws *ws, uint32_t u, uint32_t d)
{
    if (ws->n == ws->cap) {
        size_t cap = ws->cap ? 2 * ws->cap : 1024;
        uint32_t *a = cc_realloc_array(ctx, ws->node, cap, sizeof *a);
        if (!a) return 0;
        ws->node = a;
        uint32_t *b = cc_realloc_array(ctx, ws->time, cap, sizeof *b);
        if (!b) return 0;
        ws->time = b;
        ws->cap = cap;
    }
    ws->node[ws->n] = u;
    ws->time[ws->n++] = d;
    return 1;
}

/* Dijkstra from the sorted seeds, listing every node as it is settled. The loop follows
 * cc__search (same queue operations and lazy deletion) without the point attachments. */
static int run(cc_ctx *ctx, cc_reach_ws *ws, const uint32_t *off, const cc_arc *arc, size_t n_seed,
               uint32_t limit)
{
    cc__ws *w = ws->w;
    const cc__seed *seed = ws->seed;
    int dial = ws->dial;
    cc__ws_new_search(w);
    w->heap_n = 0;
    w->pool_n = 0;
    w->pool_free = CC__NIL;
    ws->n = 0;
    size_t si = 0, live = 0;
    uint32_t cur = n_seed ? seed[0].key : 0;
    for (;;) {
        uint32_t u, d;
        if (dial) {
            while (si < n_seed && seed[si].key == cur) {
                cc__offer(w, 1, seed[si].node, cur, 0, &live);
                si++;
            }
            if (live == 0) {
                if (si == n_seed) break;
                cur = seed[si].key;
                continue;
            }
            uint32_t nk = cc__dial_next(w, cur);
            if (si < n_seed && seed[si].key <= nk) {
                cur = seed[si].key;
                continue;
            }
            cur = nk;
            uint32_t b = cur & w->bmask, i = w->bhead[b];
            w->bhead[b] = w->pool[i].next;
            if (w->bhead[b] == CC__NIL) w->bits[b >> 6] &= ~((uint64_t)1 << (b & 63));
            live--;
            u = w->pool[i].node;
            w->pool[i].next = w->pool_free;
            w->pool_free = i;
            d = cur;
            if (w->node[u].dist != d) continue; /* stale entry */
            if (w->nomem) break;
        } else {
            while (si < n_seed) {
                cc__offer(w, 0, seed[si].node, seed[si].key, 0, &live);
                si++;
            }
            if (w->heap_n == 0 || w->nomem) break;
            uint64_t it = cc__heap_pop(w);
            u = (uint32_t)it;
            d = (uint32_t)(it >> 32);
            if (d != w->node[u].dist) continue;
        }
        if (!put(ctx, ws, u, d)) {
            w->nomem = 1;
            break;
        }
        for (uint32_t k = off[u], ke = off[u + 1]; k < ke; k++) {
            uint64_t nd = (uint64_t)d + arc[k].time_ds;
            if (nd > limit) continue;
            cc__offer(w, dial, arc[k].head, (uint32_t)nd, 0, &live);
        }
    }
    if (w->nomem && dial) {
        /* Leave the buckets empty for the next search (a search normally drains them). */
        memset(w->bhead, 0xff, ((size_t)w->bmask + 1) * sizeof *w->bhead);
        memset(w->bits, 0, ((size_t)w->bmask + 1) / 64 * sizeof *w->bits);
    }
    return !w->nomem;
}

cc_status cc_route_reach(cc_ctx *ctx, cc_reach_ws *ws, int reverse, size_t n_src,
                         const uint32_t *src_node, const uint32_t *src_time_ds, uint32_t limit_ds,
                         size_t *n_out, const uint32_t **node_out, const uint32_t **time_out)
{
    *n_out = 0;
    *node_out = ws->node;
    *time_out = ws->time;
    ws->n = 0;
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
    const cc_graph_view *v = &ws->v;
    if (!run(ctx, ws, reverse ? v->rev_off : v->fwd_off, reverse ? v->rev_arc : v->fwd_arc, ns,
             limit_ds)) {
        ws->w->nomem = 0;
        ws->n = 0;
        return cc_error(ctx, CC_ERR_NOMEM, "out of memory in a routing search");
    }
    *n_out = ws->n;
    *node_out = ws->node;
    *time_out = ws->time;
    return CC_OK;
}
