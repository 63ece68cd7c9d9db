/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the routing core shared by the files of src/route and the benchmarks: per-thread
 * search workspace, the two priority queues (Dial buckets, binary heap), the search kernel and the
 * snapped-position cost helpers. Not part of the public API.
 */
#ifndef CC_ROUTE_INTERNAL_H
#define CC_ROUTE_INTERNAL_H

#include "carecircle/route.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CC__NIL UINT32_MAX

/* The kernel's small helpers are forced inline: measured with callgrind, the calls cost a
 * fifth of the catchment instructions (benchmarks/RESULTS.md). */
#define CC__HOT static inline __attribute__((always_inline))

/** Priority queue used by the searches. */
enum { CC_QUEUE_DIAL = 0, CC_QUEUE_HEAP = 1 };

/** Counters for benchmarks. */
typedef struct cc_route_stats {
    uint64_t arcs_scanned;
    uint64_t nodes_settled;
    int threads;
    int queue;
} cc_route_stats;

/* Variants with a queue choice and counters (st may be NULL); the public functions call these
 * with the default queue. */
cc_status cc__route_catchments(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                               const cc_snap *fac, size_t n_pts, const cc_snap *pts,
                               uint32_t limit_ds, int queue, cc_incidence **out,
                               cc_route_stats *st);
cc_status cc__route_nearest(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                            const cc_snap *fac, size_t n_pts, const cc_snap *pts, uint32_t limit_ds,
                            int queue, uint32_t *time_ds, int32_t *fac_out, cc_route_stats *st);

/* Default queue (measured in benchmarks/RESULTS.md). */
#define CC__QUEUE_DEFAULT CC_QUEUE_DIAL

/* ---- Per-node search state and workspace ---- */

typedef struct cc__node {
    uint32_t dist; /* CC__NIL = not reached by this search */
} cc__node;

/** Dial queue entry: lazy deletion, an entry whose key no longer equals its node's dist is
 * stale and skipped when popped. */
typedef struct cc__entry {
    uint32_t node, next;
} cc__entry;

/** A search start: node, start time, owner (facility index, for multi-source labels). */
typedef struct cc__seed {
    uint32_t key, node;
    int32_t owner;
} cc__seed;

/** Point attached to a node: reaching the node at d puts the point at d + cost. */
typedef struct cc__att {
    uint32_t pt, cost;
} cc__att;

typedef struct cc__ws {
    cc_ctx *ctx; /* the owning thread's context (NULL: none): its growth meets the run's hook */
    uint32_t n_nodes;
    cc__node *node;
    /* Nodes this search reached; the next search resets only those (4 bytes of state per
     * node, so twice as many fit in cache as with a per-node stamp). Room for every node,
     * so a push needs no check: the pages are only committed as far as searches reach. */
    uint32_t *touched;
    size_t n_touched;
    /* Settled nodes and their times in settling order, kept by cc__search_list only. */
    uint32_t *rec_node, *rec_time;
    size_t rec_n, rec_cap;
    int32_t *owner; /* only for multi-source labels; NULL otherwise */
    /* Dial: circular buckets (a power of two > the largest arc, >= 64) with a bitmap of the
     * non-empty ones. Every search drains its queue, so both are empty between searches. */
    uint32_t *bhead; /* first entry of each bucket */
    uint64_t *bits;
    uint32_t bmask;
    cc__entry *pool; /* entries of this search: bump-allocated, popped ones recycled */
    size_t pool_n, pool_cap;
    uint32_t pool_free; /* list of popped entries */
    /* heap of key << 32 | node */
    uint64_t *heap;
    size_t heap_n, heap_cap;
    int nomem;
    uint64_t scanned, settled;
} cc__ws;

/** Workspace for a graph; max_arc_ds sizes the Dial buckets. Allocates (now and as searches
 * grow it) through ctx: the calling thread's own (a child inside a parallel region) or NULL
 * (unchecked, no message). Returns NULL on failure, the message on ctx. */
cc__ws *cc__ws_create(cc_ctx *ctx, uint32_t n_nodes, uint32_t max_arc_ds, int queue,
                      int with_owner);
void cc__ws_destroy(cc__ws *w);
/** Start a new search: resets the nodes the previous one reached. */
void cc__ws_new_search(cc__ws *w);

/* ---- Costs at snapped positions ---- */

/** Time for the fraction frac of an edge traversal of t ds; CC_NONE if t is CC_NONE unless
 * frac == 0 (already there). */
static inline uint32_t cc__part(uint32_t t, double frac)
{
    if (frac <= 0) return 0;
    if (t == CC_NONE) return CC_NONE;
    if (frac >= 1) return t;
    return (uint32_t)llround((double)t * frac);
}

static inline double cc__frac(const cc_graph_view *v, uint32_t e, double off)
{
    double len = v->edge_len_m[e];
    if (!(len > 0)) return 0;
    double f = off / len;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

static inline uint32_t cc__add(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s >= CC_NONE ? CC_NONE : (uint32_t)s;
}

/** Time from a point's snapped position to its edge's from node (a) and to node (b). */
static inline void cc__pt_to_ends(const cc_graph_view *v, const cc_snap *s, uint32_t *to_a,
                                  uint32_t *to_b)
{
    double f = cc__frac(v, s->edge, s->offset_m);
    *to_a = cc__part(v->edge_time_bwd[s->edge], f);
    *to_b = cc__part(v->edge_time_fwd[s->edge], 1 - f);
}

/** Time from the edge's ends to a facility's snapped position. */
static inline void cc__ends_to_fac(const cc_graph_view *v, const cc_snap *s, uint32_t *from_a,
                                   uint32_t *from_b)
{
    double f = cc__frac(v, s->edge, s->offset_m);
    *from_a = cc__part(v->edge_time_fwd[s->edge], f);
    *from_b = cc__part(v->edge_time_bwd[s->edge], 1 - f);
}

/** Direct time along a shared edge from point position to facility position (no legs). */
static inline uint32_t cc__same_edge(const cc_graph_view *v, uint32_t e, double off_p, double off_f)
{
    double len = v->edge_len_m[e];
    if (off_p == off_f) return 0;
    if (!(len > 0)) return 0;
    if (off_p < off_f) return cc__part(v->edge_time_fwd[e], (off_f - off_p) / len);
    return cc__part(v->edge_time_bwd[e], (off_p - off_f) / len);
}

/** Facility seeds: both ends of the facility's edge with the partial edge and its leg, keys
 * <= limit (cc_route_facility_seeds; search.c). */
size_t cc__fac_seeds(const cc_graph_view *v, const cc_profile *prof, const cc_snap *f,
                     int32_t owner, uint32_t limit, cc__seed *s);

/* ---- The search kernel ---- */

/* Room in the Dial pool for `more` pushes (0 and w->nomem on failure). The search reserves
 * before every push from a seed and before the pushes from a settled node's arcs, so a push
 * itself has no check. */
static inline int cc__pool_reserve(cc__ws *w, size_t more)
{
    if (w->pool_n + more <= w->pool_cap) return 1;
    size_t cap = 2 * w->pool_cap + more + 4096;
    cc__entry *p = cc_realloc_array(w->ctx, w->pool, cap, sizeof *p);
    if (!p) {
        w->nomem = 1;
        return 0;
    }
    w->pool = p;
    w->pool_cap = cap;
    return 1;
}

CC__HOT void cc__dial_push(cc__ws *w, uint32_t v, uint32_t key)
{
    uint32_t b = key & w->bmask, i = w->pool_free;
    if (i != CC__NIL)
        w->pool_free = w->pool[i].next; /* reuse a popped entry: the pool stays frontier-sized */
    else
        i = (uint32_t)w->pool_n++;
    assert(i < w->pool_cap); /* the search reserved room before this push */
    uint32_t h = w->bhead[b];
    w->pool[i].node = v;
    w->pool[i].next = h;
    w->bhead[b] = i;
    if (h == CC__NIL) w->bits[b >> 6] |= (uint64_t)1 << (b & 63); /* else already set */
}

/* Smallest queued key >= cur (the queue is not empty; keys lie in [cur, cur + buckets)). */
CC__HOT uint32_t cc__dial_next(const cc__ws *w, uint32_t cur)
{
    for (;;) {
        uint32_t b = cur & w->bmask;
        uint64_t word = w->bits[b >> 6] >> (b & 63);
        if (word) return cur + (uint32_t)__builtin_ctzll(word);
        cur += 64 - (b & 63);
    }
}

static inline void cc__heap_push(cc__ws *w, uint64_t item)
{
    if (w->heap_n == w->heap_cap) {
        size_t cap = w->heap_cap ? 2 * w->heap_cap : 1024;
        uint64_t *h = cc_realloc_array(w->ctx, w->heap, cap, sizeof *h);
        if (!h) {
            w->nomem = 1;
            return;
        }
        w->heap = h;
        w->heap_cap = cap;
    }
    size_t i = w->heap_n++;
    uint64_t *h = w->heap;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p] <= item) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = item;
}

static inline uint64_t cc__heap_pop(cc__ws *w)
{
    uint64_t *h = w->heap;
    uint64_t top = h[0], last = h[--w->heap_n];
    size_t n = w->heap_n, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && h[c + 1] < h[c]) c++;
        if (h[c] >= last) break;
        h[i] = h[c];
        i = c;
    }
    if (n) h[i] = last;
    return top;
}

/* Offer key to node v (owner o; own = the workspace keeps owners, a constant in the
 * specialised kernels). */
CC__HOT void cc__offer_k(cc__ws *w, int dial, int own, uint32_t v, uint32_t key, int32_t o,
                         size_t *live)
{
    cc__node *n = &w->node[v];
    if (n->dist == CC__NIL) {
        w->touched[w->n_touched++] = v;
        n->dist = key;
        if (own) w->owner[v] = o;
    } else if (key < n->dist) {
        n->dist = key;
        if (own) w->owner[v] = o;
    } else {
        if (own && key == n->dist && o < w->owner[v]) w->owner[v] = o;
        return;
    }
    if (dial)
        cc__dial_push(w, v, key);
    else
        cc__heap_push(w, (uint64_t)key << 32 | v);
    (*live)++;
}

/** Where a catchment search reports points: a list of (point, time) rows, point << 32 | time,
 * a point twice when two of its attachments are in reach (the caller keeps the smaller time).
 * Room for two rows per point and one more per point of the facility's own edge, committed
 * only as far as it is used. */
typedef struct cc__sink {
    uint64_t *row;
    size_t n;
} cc__sink;

CC__HOT void cc__sink_put(cc__sink *k, uint32_t pt, uint32_t time)
{
    k->row[k->n++] = (uint64_t)pt << 32 | time;
}

/**
 * Dijkstra over (off, arc) from seeds sorted by key, keys <= limit (< CC_NONE). Arc times
 * must be >= 1. With att_off/att, settling u at d reports every attached point with
 * d + cost <= limit to the sink. Inline so each caller gets a specialised copy for its
 * constant `dial`.
 */
CC__HOT void cc__search_k(cc__ws *w, int dial, int own, int rec, const uint32_t *off,
                          const cc_arc *arc,
                          const cc__seed *seed, size_t n_seed, uint32_t limit,
                          const uint32_t *att_off, const cc__att *att, cc__sink *sink)
{
    cc__ws_new_search(w);
    w->heap_n = 0;
    w->pool_n = 0;
    w->pool_free = CC__NIL;
    size_t si = 0, live = 0;
    uint64_t scanned = 0, settled = 0;
    uint32_t cur = n_seed ? seed[0].key : 0;
    for (;;) {
        uint32_t u, d;
        if (dial) {
            while (si < n_seed && seed[si].key == cur) {
                if (!cc__pool_reserve(w, 1)) break;
                cc__offer_k(w, 1, own, seed[si].node, cur, seed[si].owner, &live);
                si++;
            }
            if (w->nomem) break;
            if (live == 0) {
                if (si == n_seed) break;
                cur = seed[si].key;
                continue;
            }
            /* most pops find more entries at the current key: no bitmap scan then */
            uint32_t nk = w->bhead[cur & w->bmask] != CC__NIL ? cur : cc__dial_next(w, cur);
            if (si < n_seed && seed[si].key <= nk) {
                cur = seed[si].key; /* a seed starts before the next queued key */
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
            if (w->node[u].dist != d) continue; /* stale: u was improved after this entry */
        } else {
            /* seeds first: all go in at once */
            while (si < n_seed) {
                cc__offer_k(w, 0, own, seed[si].node, seed[si].key, seed[si].owner, &live);
                si++;
            }
            if (w->heap_n == 0 || w->nomem) break;
            uint64_t it = cc__heap_pop(w);
            u = (uint32_t)it;
            d = (uint32_t)(it >> 32);
            if (d != w->node[u].dist) continue; /* stale */
        }
        settled++;
        if (rec) {
            if (w->rec_n == w->rec_cap) {
                size_t cap = w->rec_cap ? 2 * w->rec_cap : 1024;
                uint32_t *a = cc_realloc_array(w->ctx, w->rec_node, cap, sizeof *a), *b;
                if (a) w->rec_node = a;
                b = a ? cc_realloc_array(w->ctx, w->rec_time, cap, sizeof *b) : NULL;
                if (b) w->rec_time = b;
                if (!a || !b) {
                    w->nomem = 1;
                    break;
                }
                w->rec_cap = cap;
            }
            w->rec_node[w->rec_n] = u;
            w->rec_time[w->rec_n++] = d;
        }
        uint32_t room = limit - d; /* d <= limit: what is left of the limit after u */
        if (att_off) {
            for (uint32_t k = att_off[u], ke = att_off[u + 1]; k < ke; k++) {
                if (att[k].cost > room) break; /* sorted by cost */
                cc__sink_put(sink, att[k].pt, d + att[k].cost);
            }
        }
        int32_t o = own ? w->owner[u] : 0;
        uint32_t ke = off[u + 1];
        scanned += ke - off[u];
        if (dial && !cc__pool_reserve(w, ke - off[u])) break;
        for (uint32_t k = off[u]; k < ke; k++) {
            uint32_t t = arc[k].time_ds;
            if (t > room) continue;
            cc__offer_k(w, dial, own, arc[k].head, d + t, o, &live);
        }
    }
    w->scanned += scanned;
    w->settled += settled;
}

/* The kernel, specialised for workspaces with and without owners. */
CC__HOT void cc__search(cc__ws *w, int dial, const uint32_t *off, const cc_arc *arc,
                        const cc__seed *seed, size_t n_seed, uint32_t limit,
                        const uint32_t *att_off, const cc__att *att, cc__sink *sink)
{
    if (w->owner)
        cc__search_k(w, dial, 1, 0, off, arc, seed, n_seed, limit, att_off, att, sink);
    else
        cc__search_k(w, dial, 0, 0, off, arc, seed, n_seed, limit, att_off, att, sink);
}

/* The kernel listing every settled node with its time in w->rec_node / w->rec_time (rec_n
 * of them, in settling order: non-decreasing time); no owners, no points. */
CC__HOT void cc__search_list(cc__ws *w, int dial, const uint32_t *off, const cc_arc *arc,
                             const cc__seed *seed, size_t n_seed, uint32_t limit)
{
    w->rec_n = 0;
    cc__search_k(w, dial, 0, 1, off, arc, seed, n_seed, limit, NULL, NULL, NULL);
}

#endif
