/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Window graphs: the part of a built graph near a rectangle, for a part of a partitioned run
 * (issue 18). Every edge whose polyline bounding box meets the rectangle is kept with its end
 * nodes, both in ascending global order, so every "lowest id" tie rule picks the same element;
 * edge times, lengths, polylines, flags and classes are the global ones, and so are the
 * component ids and sizes (an island stays an island, component 0 the largest). The CSR and
 * the snapping grid are rebuilt; max_arc_ds stays the global one. cc__graph_subset is shared
 * with the prepared graph file reader (file.c), whose source arrays are the mapped file.
 */
#include "net_internal.h"

#include <math.h>
#include <string.h>

/* 1 when the bounding box of edge e's polyline meets [xmin,xmax] x [ymin,ymax]. */
int cc__edge_meets(const cc_graph *g, uint32_t e, const double r[4])
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t k = g->edge_coord[e]; k < g->edge_coord[e + 1]; k++) {
        x0 = cc__min(x0, g->cx[k]);
        y0 = cc__min(y0, g->cy[k]);
        x1 = cc__max(x1, g->cx[k]);
        y1 = cc__max(y1, g->cy[k]);
    }
    return x0 <= r[2] && x1 >= r[0] && y0 <= r[3] && y1 >= r[1];
}

/* Sort n uint32 values ascending (two 16-bit counting passes) and drop repeats; returns the
 * count kept. tmp holds n values, cnt 65537. */
size_t cc__sort_unique(uint32_t *a, uint32_t *tmp, size_t *cnt, size_t n)
{
    for (int shift = 0; shift < 32; shift += 16) {
        memset(cnt, 0, 65537 * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[((a[i] >> shift) & 0xffff) + 1]++;
        for (size_t b = 1; b <= 65536; b++)
            cnt[b] += cnt[b - 1];
        for (size_t i = 0; i < n; i++)
            tmp[cnt[(a[i] >> shift) & 0xffff]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || a[i] != a[m - 1]) a[m++] = a[i];
    return m;
}

/* Index of v in the ascending array a[0..n-1] (v is there). */
static uint32_t find_sorted(const uint32_t *a, size_t n, uint32_t v)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* The window's nodes: the end nodes of the kept edges, ascending (into w->node_global). */
static cc_status window_nodes(cc_ctx *ctx, const cc_graph *src, size_t ne, const uint32_t *edges,
                              cc_graph *w)
{
    size_t n2 = 2 * ne;
    uint32_t *a = cc_malloc_array(ctx, n2 ? n2 : 1, sizeof *a);
    uint32_t *tmp = cc_malloc_array(ctx, n2 ? n2 : 1, sizeof *tmp);
    size_t *cnt = cc_malloc_array(ctx, 65537, sizeof *cnt);
    if (!a || !tmp || !cnt) {
        cc_free(a);
        cc_free(tmp);
        cc_free(cnt);
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < ne; i++) {
        a[2 * i] = src->edge_from[edges[i]];
        a[2 * i + 1] = src->edge_to[edges[i]];
    }
    w->n_nodes = (uint32_t)cc__sort_unique(a, tmp, cnt, n2);
    cc_free(tmp);
    cc_free(cnt);
    w->node_global = a; /* over-long by the repeats; never read beyond n_nodes */
    return CC_OK;
}

/* Node, edge and polyline arrays of the window from src. */
static cc_status window_arrays(cc_ctx *ctx, const cc_graph *src, const uint32_t *edges,
                               cc_graph *w)
{
    uint32_t nn = w->n_nodes, ne = w->n_edges;
    if (cc__graph_alloc(ctx, w, nn, ne) != CC_OK) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < nn; i++) {
        w->node_x[i] = src->node_x[w->node_global[i]];
        w->node_y[i] = src->node_y[w->node_global[i]];
    }
    size_t nc = 0;
    for (uint32_t i = 0; i < ne; i++) {
        w->edge_coord[i] = nc;
        nc += src->edge_coord[edges[i] + 1] - src->edge_coord[edges[i]];
    }
    w->edge_coord[ne] = nc;
    w->cx = cc_malloc_array(ctx, nc ? nc : 1, sizeof *w->cx);
    w->cy = cc_malloc_array(ctx, nc ? nc : 1, sizeof *w->cy);
    w->ccum = cc_malloc_array(ctx, nc ? nc : 1, sizeof *w->ccum);
    if (!w->cx || !w->cy || !w->ccum) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < ne; i++) {
        uint32_t e = edges[i];
        w->edge_from[i] = find_sorted(w->node_global, nn, src->edge_from[e]);
        w->edge_to[i] = find_sorted(w->node_global, nn, src->edge_to[e]);
        w->edge_tf[i] = src->edge_tf[e];
        w->edge_tb[i] = src->edge_tb[e];
        w->edge_len[i] = src->edge_len[e];
        w->edge_line[i] = src->edge_line[e];
        w->edge_hw[i] = src->edge_hw[e];
        w->edge_nosnap[i] = src->edge_nosnap[e];
        size_t a = src->edge_coord[e], n = src->edge_coord[e + 1] - a, b = w->edge_coord[i];
        memcpy(w->cx + b, src->cx + a, n * sizeof *w->cx);
        memcpy(w->cy + b, src->cy + a, n * sizeof *w->cy);
        memcpy(w->ccum + b, src->ccum + a, n * sizeof *w->ccum);
    }
    return CC_OK;
}

/* Highway class names, all of them (edge_hw indexes them unchanged). */
static cc_status window_classes(cc_ctx *ctx, const cc_graph *src, cc_graph *w)
{
    w->hw_names = cc_calloc(ctx, src->n_hw ? src->n_hw : 1, sizeof *w->hw_names);
    if (!w->hw_names) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < src->n_hw; i++) {
        if (!(w->hw_names[i] = cc_strdup(ctx, src->hw_names[i]))) return CC_ERR_NOMEM;
        w->n_hw = i + 1;
    }
    return CC_OK;
}

/* Global component ids and sizes: ids 0 .. the largest one present; comp_node is the lowest
 * window node of each component, CC_NONE for a component without a node here. */
static cc_status window_components(cc_ctx *ctx, const cc_graph *src, cc_graph *w)
{
    uint32_t nn = w->n_nodes, nc = 0;
    w->node_comp = cc_malloc_array(ctx, nn ? nn : 1, sizeof *w->node_comp);
    if (!w->node_comp) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < nn; i++) {
        uint32_t c = src->node_comp[w->node_global[i]];
        w->node_comp[i] = c;
        if (c + 1 > nc) nc = c + 1;
    }
    w->comp_size = cc_malloc_array(ctx, nc ? nc : 1, sizeof *w->comp_size);
    w->comp_node = cc_malloc_array(ctx, nc ? nc : 1, sizeof *w->comp_node);
    if (!w->comp_size || !w->comp_node) return CC_ERR_NOMEM;
    for (uint32_t c = 0; c < nc; c++) {
        w->comp_size[c] = src->comp_size[c];
        w->comp_node[c] = CC_NONE;
    }
    for (uint32_t i = nn; i-- > 0;)
        w->comp_node[w->node_comp[i]] = i;
    w->n_comp = nc;
    return CC_OK;
}

/* Global ids: through src's own when src is itself a window. */
static cc_status window_ids(cc_ctx *ctx, const cc_graph *src, const uint32_t *edges, cc_graph *w)
{
    w->edge_global = cc_malloc_array(ctx, w->n_edges ? w->n_edges : 1, sizeof *w->edge_global);
    if (!w->edge_global) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < w->n_edges; i++)
        w->edge_global[i] = src->edge_global ? src->edge_global[edges[i]] : edges[i];
    if (src->node_global)
        for (uint32_t i = 0; i < w->n_nodes; i++)
            w->node_global[i] = src->node_global[w->node_global[i]];
    return CC_OK;
}

cc_status cc__graph_subset(cc_ctx *ctx, const cc_graph *src, size_t ne, const uint32_t *edges,
                           cc_graph **out)
{
    *out = NULL;
    cc_graph *w = cc_calloc(ctx, 1, sizeof *w);
    if (!w) return CC_ERR_NOMEM;
    w->n_edges = (uint32_t)ne;
    w->has_xy = 1;
    cc_status st = window_nodes(ctx, src, ne, edges, w);
    if (st == CC_OK) st = window_arrays(ctx, src, edges, w);
    if (st == CC_OK) st = window_classes(ctx, src, w);
    if (st == CC_OK) st = window_components(ctx, src, w);
    if (st == CC_OK) st = cc__graph_arcs(ctx, w);
    if (st == CC_OK) {
        w->max_arc_ds = src->max_arc_ds; /* the routing queue is sized as the global one */
        w->snap_all = src->snap_all;     /* no-snap edges stay unsnappable if any other exists */
        st = cc__graph_build_snap(ctx, w);
    }
    if (st == CC_OK) st = window_ids(ctx, src, edges, w);
    if (st != CC_OK) {
        cc_graph_destroy(w);
        return st;
    }
    *out = w;
    return CC_OK;
}

cc_status cc_graph_window(cc_ctx *ctx, const cc_graph *g, double xmin, double ymin, double xmax,
                          double ymax, cc_graph **out)
{
    *out = NULL;
    if (!g->has_xy)
        return cc_error(ctx, CC_ERR_INVALID,
                        "graph: a window needs a graph with node coordinates");
    if (!(xmin <= xmax) || !(ymin <= ymax))
        return cc_error(ctx, CC_ERR_INVALID,
                        "graph: window %g %g %g %g is not a rectangle; give xmin <= xmax and "
                        "ymin <= ymax",
                        xmin, ymin, xmax, ymax);
    const double r[4] = {xmin, ymin, xmax, ymax};
    size_t ne = 0;
    for (uint32_t e = 0; e < g->n_edges; e++)
        ne += (size_t)cc__edge_meets(g, e, r);
    uint32_t *edges = cc_malloc_array(ctx, ne ? ne : 1, sizeof *edges);
    if (!edges) return CC_ERR_NOMEM;
    ne = 0;
    for (uint32_t e = 0; e < g->n_edges; e++)
        if (cc__edge_meets(g, e, r)) edges[ne++] = e;
    cc_status st = cc__graph_subset(ctx, g, ne, edges, out);
    cc_free(edges);
    return st;
}

const uint32_t *cc_graph_node_global(const cc_graph *g)
{
    return g->node_global;
}

const uint32_t *cc_graph_edge_global(const cc_graph *g)
{
    return g->edge_global;
}
