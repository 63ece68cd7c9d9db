/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Graph storage after the build: forward and reverse CSR arrays, weakly connected
 * components (islands), accessors for export and the routing core, destroy.
 */
#include "net_internal.h"

#include <stdlib.h>
#include <string.h>

void cc_graph_destroy(cc_graph *g)
{
    if (!g) return;
    cc_free(g->node_x);
    cc_free(g->node_y);
    cc_free(g->edge_from);
    cc_free(g->edge_to);
    cc_free(g->edge_tf);
    cc_free(g->edge_tb);
    cc_free(g->edge_len);
    cc_free(g->edge_line);
    cc_free(g->edge_hw);
    cc_free(g->edge_nosnap);
    cc_free(g->edge_coord);
    cc_free(g->cx);
    cc_free(g->cy);
    cc_free(g->ccum);
    for (uint32_t i = 0; i < g->n_hw; i++)
        cc_free(g->hw_names[i]);
    cc_free(g->hw_names);
    cc_free(g->fwd_off);
    cc_free(g->fwd_arc);
    cc_free(g->fwd_edge);
    cc_free(g->rev_off);
    cc_free(g->rev_arc);
    cc_free(g->rev_edge);
    cc_free(g->node_comp);
    cc_free(g->comp_size);
    cc_free(g->comp_node);
    cc_free(g->grid_off);
    cc_free(g->grid_seg);
    cc_free(g->seg_edge);
    cc_free(g->node_global);
    cc_free(g->edge_global);
    cc_free(g);
}

/* The node and edge arrays of g for nn nodes and ne edges (at least one element each; node
 * coordinates and the no-snap flags zeroed, the others left to the caller). All are tried, so
 * g is whole or each missing array is NULL; cc_graph_destroy frees what there is. */
cc_status cc__graph_alloc(cc_ctx *ctx, cc_graph *g, size_t nn, size_t ne)
{
    size_t nn1 = nn ? nn : 1, ne1 = ne ? ne : 1;
    g->node_x = cc_calloc(ctx, nn1, sizeof *g->node_x);
    g->node_y = cc_calloc(ctx, nn1, sizeof *g->node_y);
    g->edge_from = cc_malloc_array(ctx, ne1, sizeof *g->edge_from);
    g->edge_to = cc_malloc_array(ctx, ne1, sizeof *g->edge_to);
    g->edge_tf = cc_malloc_array(ctx, ne1, sizeof *g->edge_tf);
    g->edge_tb = cc_malloc_array(ctx, ne1, sizeof *g->edge_tb);
    g->edge_len = cc_malloc_array(ctx, ne1, sizeof *g->edge_len);
    g->edge_line = cc_malloc_array(ctx, ne1, sizeof *g->edge_line);
    g->edge_hw = cc_malloc_array(ctx, ne1, sizeof *g->edge_hw);
    g->edge_nosnap = cc_calloc(ctx, ne1, 1);
    g->edge_coord = cc_malloc_array(ctx, ne + 1, sizeof *g->edge_coord);
    if (!g->node_x || !g->node_y || !g->edge_from || !g->edge_to || !g->edge_tf || !g->edge_tb ||
        !g->edge_len || !g->edge_line || !g->edge_hw || !g->edge_nosnap || !g->edge_coord)
        return CC_ERR_NOMEM;
    return CC_OK;
}

/* Fill a CSR: reverse = 0 lists arcs out of each node, 1 arcs into it (head = tail node). */
static cc_status build_csr(cc_ctx *ctx, cc_graph *g, int reverse, uint32_t **off_out,
                           cc_arc **arc_out, uint32_t **edge_out)
{
    uint32_t n = g->n_nodes;
    uint32_t *off = cc_calloc(ctx, (size_t)n + 2, sizeof *off);
    cc_arc *arc = cc_malloc_array(ctx, g->n_arcs ? g->n_arcs : 1, sizeof *arc);
    uint32_t *edge = cc_malloc_array(ctx, g->n_arcs ? g->n_arcs : 1, sizeof *edge);
    if (!off || !arc || !edge) {
        cc_free(off);
        cc_free(arc);
        cc_free(edge);
        return CC_ERR_NOMEM;
    }
    for (uint32_t e = 0; e < g->n_edges; e++) {
        uint32_t a = g->edge_from[e], b = g->edge_to[e];
        /* dir 0 arc a->b sits at a (forward) or b (reverse); dir 1 arc b->a at b or a */
        if (g->edge_tf[e] != CC_NONE) off[(reverse ? b : a) + 2]++;
        if (g->edge_tb[e] != CC_NONE) off[(reverse ? a : b) + 2]++;
    }
    for (uint32_t i = 2; i < n + 2; i++)
        off[i] += off[i - 1];
    for (uint32_t e = 0; e < g->n_edges; e++) {
        uint32_t a = g->edge_from[e], b = g->edge_to[e];
        if (g->edge_tf[e] != CC_NONE) {
            uint32_t k = off[(reverse ? b : a) + 1]++;
            arc[k].head = reverse ? a : b;
            arc[k].time_ds = g->edge_tf[e];
            edge[k] = e << 1 | (uint32_t)reverse;
        }
        if (g->edge_tb[e] != CC_NONE) {
            uint32_t k = off[(reverse ? a : b) + 1]++;
            arc[k].head = reverse ? b : a;
            arc[k].time_ds = g->edge_tb[e];
            edge[k] = e << 1 | (uint32_t)!reverse;
        }
    }
    *off_out = off;
    *arc_out = arc;
    *edge_out = edge;
    return CC_OK;
}

static uint32_t find(uint32_t *p, uint32_t a)
{
    while (p[a] != a) {
        p[a] = p[p[a]];
        a = p[a];
    }
    return a;
}

typedef struct comp_key {
    uint32_t size, node, root;
} comp_key;

static int cmp_comp(const void *a, const void *b)
{
    const comp_key *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

static cc_status components(cc_ctx *ctx, cc_graph *g)
{
    cc_status st = CC_ERR_NOMEM;
    uint32_t n = g->n_nodes;
    uint32_t *parent = cc_malloc_array(ctx, n ? n : 1, sizeof *parent);
    uint32_t *size = cc_calloc(ctx, n ? n : 1, sizeof *size);
    uint32_t *first = cc_malloc_array(ctx, n ? n : 1, sizeof *first);
    comp_key *keys = NULL;
    g->node_comp = cc_malloc_array(ctx, n ? n : 1, sizeof *g->node_comp);
    if (!parent || !size || !first || !g->node_comp) goto fail;
    for (uint32_t i = 0; i < n; i++)
        parent[i] = i;
    for (uint32_t e = 0; e < g->n_edges; e++) {
        if (g->edge_tf[e] == CC_NONE && g->edge_tb[e] == CC_NONE) continue;
        uint32_t a = find(parent, g->edge_from[e]), b = find(parent, g->edge_to[e]);
        if (a < b)
            parent[b] = a;
        else if (b < a)
            parent[a] = b;
    }
    uint32_t nc = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = find(parent, i);
        if (r == i) first[i] = nc++; /* roots are the lowest node of their set */
        size[r]++;
    }
    keys = cc_malloc_array(ctx, nc ? nc : 1, sizeof *keys);
    g->comp_size = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g->comp_size);
    g->comp_node = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g->comp_node);
    if (!keys || !g->comp_size || !g->comp_node) goto fail;
    for (uint32_t i = 0; i < n; i++)
        if (parent[i] == i) keys[first[i]] = (comp_key){size[i], i, i};
    qsort(keys, nc, sizeof *keys, cmp_comp);
    for (uint32_t c = 0; c < nc; c++) {
        g->comp_size[c] = keys[c].size;
        g->comp_node[c] = keys[c].node;
        first[keys[c].root] = c;
    }
    for (uint32_t i = 0; i < n; i++)
        g->node_comp[i] = first[find(parent, i)];
    g->n_comp = nc;
    st = CC_OK;
fail:
    cc_free(parent);
    cc_free(size);
    cc_free(first);
    cc_free(keys);
    return st;
}

cc_status cc__graph_arcs(cc_ctx *ctx, cc_graph *g)
{
    cc_status st;
    size_t arcs = 0;
    int sym = 1;
    uint32_t maxw = 1;
    for (uint32_t e = 0; e < g->n_edges; e++) {
        uint32_t tf = g->edge_tf[e], tb = g->edge_tb[e];
        arcs += (tf != CC_NONE) + (tb != CC_NONE);
        if (tf != tb) sym = 0;
        if (tf != CC_NONE && tf > maxw) maxw = tf;
        if (tb != CC_NONE && tb > maxw) maxw = tb;
    }
    g->max_arc_ds = maxw;
    if (arcs >= CC_NONE)
        return cc_error(ctx, CC_ERR_DATA,
                        "network: %zu arcs is more than this build handles; "
                        "clip the network to the study area",
                        arcs);
    g->n_arcs = arcs;
    g->symmetric = sym;
    if ((st = build_csr(ctx, g, 0, &g->fwd_off, &g->fwd_arc, &g->fwd_edge)) != CC_OK) return st;
    if (!sym && (st = build_csr(ctx, g, 1, &g->rev_off, &g->rev_arc, &g->rev_edge)) != CC_OK)
        return st;
    return CC_OK;
}

cc_status cc__graph_finish(cc_ctx *ctx, cc_graph *g)
{
    cc_status st;
    if ((st = cc__graph_arcs(ctx, g)) != CC_OK) return st;
    if ((st = components(ctx, g)) != CC_OK) return st;
    g->snap_all = 1;
    for (uint32_t e = 0; e < g->n_edges; e++)
        if (!g->edge_nosnap[e]) g->snap_all = 0;
    if (g->has_xy && (st = cc__graph_build_snap(ctx, g)) != CC_OK) return st;
    return CC_OK;
}

size_t cc_graph_node_count(const cc_graph *g)
{
    return g->n_nodes;
}

size_t cc_graph_edge_count(const cc_graph *g)
{
    return g->n_edges;
}

size_t cc_graph_arc_count(const cc_graph *g)
{
    return g->n_arcs;
}

void cc_graph_node_xy(const cc_graph *g, uint32_t node, double *x, double *y)
{
    *x = g->node_x[node];
    *y = g->node_y[node];
}

void cc_graph_edge(const cc_graph *g, uint32_t e, cc_edge_info *out)
{
    out->from = g->edge_from[e];
    out->to = g->edge_to[e];
    out->length_m = g->edge_len[e];
    out->time_fwd_ds = g->edge_tf[e];
    out->time_bwd_ds = g->edge_tb[e];
    out->highway = g->edge_hw[e] == CC_NONE ? NULL : g->hw_names[g->edge_hw[e]];
    out->line_id = g->edge_line[e];
    out->component = g->node_comp[g->edge_from[e]];
    out->no_snap = g->edge_nosnap[e];
    size_t a = g->edge_coord[e], b = g->edge_coord[e + 1];
    out->n_coords = b - a;
    out->x = g->cx + a;
    out->y = g->cy + a;
}

size_t cc_graph_component_count(const cc_graph *g)
{
    return g->n_comp;
}

size_t cc_graph_component_size(const cc_graph *g, uint32_t c)
{
    return c < g->n_comp ? g->comp_size[c] : 0;
}

uint32_t cc_graph_node_component(const cc_graph *g, uint32_t node)
{
    return g->node_comp[node];
}

uint32_t cc_graph_component_node(const cc_graph *g, uint32_t c, double *x, double *y)
{
    uint32_t v = g->comp_node[c];
    if (x) *x = v == CC_NONE ? NAN : g->node_x[v];
    if (y) *y = v == CC_NONE ? NAN : g->node_y[v];
    return v;
}

void cc_graph_get_view(const cc_graph *g, cc_graph_view *v)
{
    v->n_nodes = g->n_nodes;
    v->n_edges = g->n_edges;
    v->fwd_off = g->fwd_off;
    v->fwd_arc = g->fwd_arc;
    v->fwd_edge = g->fwd_edge;
    v->symmetric = g->symmetric;
    v->rev_off = g->symmetric ? g->fwd_off : g->rev_off;
    v->rev_arc = g->symmetric ? g->fwd_arc : g->rev_arc;
    v->rev_edge = g->symmetric ? g->fwd_edge : g->rev_edge;
    v->edge_from = g->edge_from;
    v->edge_to = g->edge_to;
    v->edge_time_fwd = g->edge_tf;
    v->edge_time_bwd = g->edge_tb;
    v->edge_len_m = g->edge_len;
    v->node_comp = g->node_comp;
    v->max_arc_ds = g->max_arc_ds;
}
