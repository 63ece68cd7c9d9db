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

/* The bounding box of edge e's polyline: xmin, ymin, xmax, ymax. */
void cc__edge_box(const cc_graph *g, uint32_t e, double b[4])
{
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (size_t k = g->edge_coord[e]; k < g->edge_coord[e + 1]; k++) {
        b[0] = cc__min(b[0], g->cx[k]);
        b[1] = cc__min(b[1], g->cy[k]);
        b[2] = cc__max(b[2], g->cx[k]);
        b[3] = cc__max(b[3], g->cy[k]);
    }
}

/* 1 when the bounding box of edge e's polyline meets [xmin,xmax] x [ymin,ymax]. */
int cc__edge_meets(const cc_graph *g, uint32_t e, const double r[4])
{
    double b[4];
    cc__edge_box(g, e, b);
    return b[0] <= r[2] && b[2] >= r[0] && b[1] <= r[3] && b[3] >= r[1];
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

/* Every edge kept: its nodes are those of src on an edge, found by marking (a sort of
 * 2 x edges values costs more). */
static cc_status all_nodes(cc_ctx *ctx, const cc_graph *src, cc_graph *w)
{
    uint32_t n = src->n_nodes;
    uint8_t *mark = cc_calloc(ctx, n ? n : 1, 1);
    if (!mark) return CC_ERR_NOMEM;
    for (uint32_t e = 0; e < src->n_edges; e++)
        mark[src->edge_from[e]] = mark[src->edge_to[e]] = 1;
    uint32_t nn = 0;
    for (uint32_t i = 0; i < n; i++)
        nn += mark[i];
    w->node_global = cc_malloc_array(ctx, nn ? nn : 1, sizeof *w->node_global);
    if (w->node_global)
        for (uint32_t i = 0, k = 0; i < n; i++)
            if (mark[i]) w->node_global[k++] = i;
    cc_free(mark);
    w->n_nodes = nn;
    return w->node_global ? CC_OK : CC_ERR_NOMEM;
}

/* The window's nodes: the end nodes of the kept edges, ascending (into w->node_global). */
static cc_status window_nodes(cc_ctx *ctx, const cc_graph *src, size_t ne, const uint32_t *edges,
                              cc_graph *w)
{
    if (ne == src->n_edges) return all_nodes(ctx, src, w);
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

/* Window id of global node v: through map (global - node_global[0] -> window id) when there
 * is one, else by binary search. */
static uint32_t window_node(const cc_graph *w, uint32_t nn, const uint32_t *map, uint32_t v)
{
    return map ? map[v - w->node_global[0]] : find_sorted(w->node_global, nn, v);
}

/* A direct map over the window's global node range when it is not much wider than the window
 * (a whole graph, a window of Hilbert-ordered nodes), else *out NULL: binary search. */
static cc_status node_map(cc_ctx *ctx, const cc_graph *w, uint32_t **out)
{
    uint32_t nn = w->n_nodes;
    *out = NULL;
    if (nn == 0) return CC_OK;
    size_t range = (size_t)w->node_global[nn - 1] - w->node_global[0] + 1;
    if (range > 4 * (size_t)nn) return CC_OK;
    uint32_t *map = cc_malloc_array(ctx, range, sizeof *map);
    if (!map) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < nn; i++)
        map[w->node_global[i] - w->node_global[0]] = i;
    *out = map;
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
    uint32_t *map = NULL;
    if (!w->cx || !w->cy || !w->ccum || node_map(ctx, w, &map) != CC_OK) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < ne; i++) {
        uint32_t e = edges[i];
        w->edge_from[i] = window_node(w, nn, map, src->edge_from[e]);
        w->edge_to[i] = window_node(w, nn, map, src->edge_to[e]);
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
    cc_free(map);
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

/* A window of every edge of src: src's snapping grid is the one a rebuild would give (the same
 * segments in the same order), so it is copied. */
static cc_status copy_grid(cc_ctx *ctx, const cc_graph *src, cc_graph *w)
{
    w->gx0 = src->gx0;
    w->gy0 = src->gy0;
    w->gcell = src->gcell;
    w->gnx = src->gnx;
    w->gny = src->gny;
    if (!src->gnx) return CC_OK;
    size_t ncell = (size_t)src->gnx * src->gny, nseg = src->grid_off[ncell];
    size_t nc = src->edge_coord[src->n_edges];
    w->grid_off = cc_malloc_array(ctx, ncell + 1, sizeof *w->grid_off);
    w->grid_seg = cc_malloc_array(ctx, nseg ? nseg : 1, sizeof *w->grid_seg);
    w->seg_edge = cc_malloc_array(ctx, nc ? nc : 1, sizeof *w->seg_edge);
    if (!w->grid_off || !w->grid_seg || !w->seg_edge) return CC_ERR_NOMEM;
    memcpy(w->grid_off, src->grid_off, (ncell + 1) * sizeof *w->grid_off);
    memcpy(w->grid_seg, src->grid_seg, nseg * sizeof *w->grid_seg);
    memcpy(w->seg_edge, src->seg_edge, nc * sizeof *w->seg_edge);
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
        st = ne == src->n_edges ? copy_grid(ctx, src, w) : cc__graph_build_snap(ctx, w);
    }
    if (st == CC_OK) st = window_ids(ctx, src, edges, w);
    if (st != CC_OK) {
        cc_graph_destroy(w);
        return st;
    }
    *out = w;
    return CC_OK;
}

cc_status cc__window_rect(cc_ctx *ctx, double xmin, double ymin, double xmax, double ymax)
{
    if (!(xmin <= xmax) || !(ymin <= ymax))
        return cc_error(ctx, CC_ERR_INVALID,
                        "graph: window %g %g %g %g is not a rectangle; give xmin <= xmax and "
                        "ymin <= ymax",
                        xmin, ymin, xmax, ymax);
    return CC_OK;
}

cc_status cc_graph_window(cc_ctx *ctx, const cc_graph *g, double xmin, double ymin, double xmax,
                          double ymax, cc_graph **out)
{
    *out = NULL;
    if (!g->has_xy)
        return cc_error(ctx, CC_ERR_INVALID,
                        "graph: a window needs a graph with node coordinates");
    cc_status st = cc__window_rect(ctx, xmin, ymin, xmax, ymax);
    if (st) return st;
    const double r[4] = {xmin, ymin, xmax, ymax};
    uint32_t *edges = cc_malloc_array(ctx, g->n_edges ? g->n_edges : 1, sizeof *edges);
    if (!edges) return CC_ERR_NOMEM;
    size_t ne = 0; /* one pass over the polylines; the list is freed right after the subset */
    for (uint32_t e = 0; e < g->n_edges; e++)
        if (cc__edge_meets(g, e, r)) edges[ne++] = e;
    st = cc__graph_subset(ctx, g, ne, edges, out);
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
