/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The graph's storage, shared by the files of src/net only (other modules use net.h).
 */
#ifndef CC_NET_INTERNAL_H
#define CC_NET_INTERNAL_H

#include "carecircle/net.h"

struct cc_graph {
    uint32_t n_nodes, n_edges;
    size_t n_arcs;
    int has_xy;
    double *node_x, *node_y;
    /* edges */
    uint32_t *edge_from, *edge_to, *edge_tf, *edge_tb;
    double *edge_len;
    int64_t *edge_line;
    uint32_t *edge_hw; /* index into hw_names; CC_NONE = untagged */
    uint8_t *edge_nosnap;
    size_t *edge_coord;     /* [n_edges+1] into cx, cy, ccum */
    double *cx, *cy, *ccum; /* polyline vertices and distance along the edge */
    char **hw_names;
    uint32_t n_hw;
    /* CSR */
    uint32_t *fwd_off, *fwd_edge;
    cc_arc *fwd_arc;
    uint32_t *rev_off, *rev_edge; /* NULL when symmetric */
    cc_arc *rev_arc;
    int symmetric;
    uint32_t max_arc_ds; /* largest arc time (>= 1): sizes the routing queue's buckets */
    /* components */
    uint32_t *node_comp, *comp_size, *comp_node;
    uint32_t n_comp;
    /* snapping grid over polyline segments: cell (i, j) holds the segments starting at
     * cx[grid_seg[k]] for k in grid_off[j * gnx + i] .. grid_off[...+1]-1 */
    double gx0, gy0, gcell;
    uint32_t gnx, gny;
    size_t *grid_off;
    uint32_t *grid_seg; /* index of the segment's first vertex in cx */
    uint32_t *seg_edge; /* per vertex index: the edge it belongs to */
    int snap_all;       /* 1 when every edge is no_snap: then snap to them anyway */
    /* window graphs (window.c): global id of each node and edge; NULL for a whole graph */
    uint32_t *node_global, *edge_global;
};

#include <math.h>

/* Plain Euclidean length (hypot's overflow care is not needed for metre coordinates and it is
 * several times slower) and min/max that inline (NaN never reaches them). */
static inline double cc__dist(double dx, double dy)
{
    return sqrt(dx * dx + dy * dy);
}
static inline double cc__min(double a, double b)
{
    return a < b ? a : b;
}
static inline double cc__max(double a, double b)
{
    return a > b ? a : b;
}

/* The node and edge arrays for nn nodes and ne edges (graph.c; see there). */
cc_status cc__graph_alloc(cc_ctx *ctx, cc_graph *g, size_t nn, size_t ne);
/* Finish a graph whose nodes, edges and polylines are set: CSR, components, snap grid. It runs
 * the steps below; a window graph (window.c) runs them itself with the global components. */
cc_status cc__graph_finish(cc_ctx *ctx, cc_graph *g);
/* The sub-graph of src made of its edges edges[0..ne-1] (ascending) and their end nodes, as
 * cc_graph_window describes (window.c). src may be a graph whose arrays lie in a mapped file.
 * With every edge (ne == src->n_edges) src's snapping grid is copied, not rebuilt: it must be
 * valid (file.c checks a mapped one first). */
cc_status cc__graph_subset(cc_ctx *ctx, const cc_graph *src, size_t ne, const uint32_t *edges,
                           cc_graph **out);
/* CC_ERR_INVALID with a message unless xmin <= xmax and ymin <= ymax (NaN fails). */
cc_status cc__window_rect(cc_ctx *ctx, double xmin, double ymin, double xmax, double ymax);
/* The bounding box of edge e's polyline, b = {xmin, ymin, xmax, ymax}; 1 when it meets r. */
void cc__edge_box(const cc_graph *g, uint32_t e, double b[4]);
int cc__edge_meets(const cc_graph *g, uint32_t e, const double r[4]);
/* Sort n values ascending and drop repeats (tmp: n values, cnt: 65537); returns the count. */
size_t cc__sort_unique(uint32_t *a, uint32_t *tmp, size_t *cnt, size_t n);
/* Arc count, symmetry, max_arc_ds and the CSR arrays. */
cc_status cc__graph_arcs(cc_ctx *ctx, cc_graph *g);
/* The snapping grid over the snappable edges (g->snap_all set by the caller). */
cc_status cc__graph_build_snap(cc_ctx *ctx, cc_graph *g);

#endif
