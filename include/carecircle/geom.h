/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Geometry on top of GEOS: polygon sets (districts, statistical areas) made valid, indexed with
 * an STRtree and prepared for fast point-in-polygon lookups. Coordinates are in the metric
 * working CRS (metres).
 *
 * Ring layout shared with the io module (flat arrays, no per-feature allocations):
 *   feat_part[n + 1]       rings of feature i are feat_part[i] .. feat_part[i+1]-1
 *   part_coord[n_parts+1]  coordinates of ring j are x/y[part_coord[j] .. part_coord[j+1]-1]
 *   part_hole[n_parts]     1 when ring j is a hole of the nearest preceding outer ring (a feature
 *                          may hold several outer rings: a multipolygon)
 * Rings may or may not repeat their first point at the end.
 */
#ifndef CARECIRCLE_GEOM_H
#define CARECIRCLE_GEOM_H

#include "carecircle/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of polygons, valid, indexed and prepared. Immutable after creation. */
typedef struct cc_polyset cc_polyset;

/**
 * Build a polygon set from n polygon features in the ring layout above.
 *
 * Invalid polygons (self-intersections, bow-ties, wrongly nested holes) are repaired with
 * GEOSMakeValid (structure method: shells unioned, holes subtracted, collapsed parts dropped);
 * rings with fewer than 3 distinct points are dropped. *n_repaired (may be NULL) counts the
 * features that needed either. A feature that is empty after repair, a hole with no outer ring
 * before it, or a non-finite coordinate is a CC_ERR_GEOM error naming the feature's index
 * ("feature 7: ..."); the caller adds the file name with cc_error_prefix.
 * The arrays are copied; the caller keeps ownership.
 * Thread-safety: the set owns its own GEOS handle; sets may be built in parallel.
 * @param out receives the set; destroy with cc_geom_polyset_destroy.
 */
cc_status cc_geom_polyset_create(cc_ctx *ctx, size_t n, const size_t *feat_part,
                                 const size_t *part_coord, const unsigned char *part_hole,
                                 const double *x, const double *y, cc_polyset **out,
                                 size_t *n_repaired);

/**
 * For each of n points (metres), write to index_out the index of the polygon containing it, or
 * -1. Points on a boundary count as inside; where polygons overlap the lowest index wins, so the
 * answer never depends on the order of the index. Checks for interruption every few thousand
 * points. Thread-safety: do not call concurrently on the same set (GEOS prepared geometries
 * build their internal index lazily).
 */
cc_status cc_geom_polyset_locate(cc_ctx *ctx, const cc_polyset *ps, size_t n, const double *x,
                                 const double *y, int32_t *index_out);

/** Number of polygon features in the set. */
size_t cc_geom_polyset_count(const cc_polyset *ps);

/** Area of feature i in square metres, after repair (0 when i is out of range). */
double cc_geom_polyset_area(const cc_polyset *ps, size_t i);

/**
 * Area (m2) of each feature of the set inside one simple polygon given by its ring rx/ry
 * [n_ring] (metres, not repeating the first point; e.g. a convex hull): in_m2 [count] is
 * caller-owned; 0 for a feature outside it, and for every feature when n_ring < 3; NaN
 * (unknown) for a feature GEOS cannot intersect with it. CC_ERR_GEOM when GEOS cannot build
 * the polygon. Not thread-safe on the same set.
 */
cc_status cc_geom_polyset_area_within(cc_ctx *ctx, const cc_polyset *ps, size_t n_ring,
                                      const double *rx, const double *ry, double *in_m2);

/**
 * Convex hull of the finite points among x/y [n] (metres; plain arrays, no GEOS): *n_out
 * vertices counter-clockwise, the first not repeated, in *x_out / *y_out (cc_free both); 0
 * vertices (NULL arrays) without a finite point, 1 or 2 when the points are one or collinear.
 * Deterministic; about O(n) for gridded points (an octagon of extremes filters the interior).
 */
cc_status cc_geom_convex_hull(cc_ctx *ctx, size_t n, const double *x, const double *y,
                              size_t *n_out, double **x_out, double **y_out);

/** Bounding box of feature i (after repair) in metres; returns 0 when i is out of range. */
int cc_geom_polyset_bounds(const cc_polyset *ps, size_t i, double *xmin, double *ymin, double *xmax,
                           double *ymax);

/** Destroy a polygon set. Accepts NULL. */
void cc_geom_polyset_destroy(cc_polyset *ps);

/* ---- Polygon output in the flat ring layout ---- */

/**
 * Polygons produced by this module, in the ring layout described at the top of this file.
 * Rings are closed (first point repeated), outer rings counter-clockwise and holes clockwise
 * (RFC 7946 winding), coordinates in metres (working CRS). A feature with no rings
 * (feat_part[i] == feat_part[i+1]) has an empty geometry. Zero-initialise before use;
 * every array is owned by the struct (cc_geom_polys_free).
 */
typedef struct cc_geom_polys {
    size_t n;                 /* features */
    size_t n_parts, n_coords; /* rings, vertices */
    size_t *feat_part;        /* [n + 1] */
    size_t *part_coord;       /* [n_parts + 1] */
    unsigned char *part_hole; /* [n_parts] */
    double *x, *y;            /* [n_coords] */
} cc_geom_polys;

/** Free the arrays of p (not the struct itself) and zero it. Accepts NULL. */
void cc_geom_polys_free(cc_geom_polys *p);

/**
 * Append every feature of src to dst (both in the layout above; dst may be zeroed/empty).
 * Used to gather one service area per facility into one column. On failure dst is unchanged.
 */
cc_status cc_geom_polys_append(cc_ctx *ctx, cc_geom_polys *dst, const cc_geom_polys *src);

/** Area of feature i in square metres (outer rings minus holes; 0 when out of range). */
double cc_geom_polys_area(const cc_geom_polys *p, size_t i);

/** Decimals of longitude and latitude in every written polygon (GeoJSON and GeoPackage): 1e-7
 * degrees, about 1 cm. */
#define CC_GEOM_WGS84_DECIMALS 7

/**
 * Make p ready to write: every coordinate rounded to `decimals` decimals (0 to 9; half away
 * from zero, the number the writers print, so that a reader parses back exactly these
 * doubles), and every feature valid by GEOS on the rounded coordinates. A feature that is
 * invalid once rounded (or was invalid before) is repaired from its unrounded rings with
 * make-valid (polygonal parts kept), snap-rounded onto the grid (GEOSGeom_setPrecision) and
 * checked again; a repair that collapses to nothing gives an empty feature. Valid features
 * keep their rings. *n_repaired (may be NULL) counts repaired features. Call it after the
 * last change to the coordinates (reprojection included). On failure p is unchanged.
 */
cc_status cc_geom_polys_finish(cc_ctx *ctx, cc_geom_polys *p, int decimals, size_t *n_repaired);

/**
 * Check every feature of p with GEOS (GEOSisValid; a ring of fewer than 4 points or a hole
 * without an outer ring counts as invalid; an empty feature is valid). *n_invalid gets the
 * number of invalid features, *first_invalid (may be NULL) the first one's index (SIZE_MAX
 * when none) and why (may be NULL, why_cap bytes) GEOS's reason for it.
 */
cc_status cc_geom_polys_check(cc_ctx *ctx, const cc_geom_polys *p, size_t *n_invalid,
                              size_t *first_invalid, char *why, size_t why_cap);

/* ---- Underserved areas: hexagon aggregation and dissolve ---- */

/** Hexagon grid. Hexagon i lies at a fixed place for a given size and origin, whatever the data. */
typedef struct cc_hex_params {
    double size_m;   /* distance between opposite edges (flat-to-flat), metres; > 0 */
    int flat_top;    /* 0 = pointy-topped (rows of hexagons along x), 1 = flat-topped */
    double origin_x; /* centre of hexagon (0, 0), metres */
    double origin_y;
} cc_hex_params;

/** Default grid: 250 m pointy-topped hexagons centred on the working CRS origin. */
#define CC_HEX_PARAMS_DEFAULT                                                                      \
    {                                                                                              \
        250.0, 0, 0.0, 0.0                                                                         \
    }

/** Points to aggregate. Arrays are borrowed for the call. */
typedef struct cc_hex_input {
    size_t n;                         /* points */
    const double *x, *y;              /* [n] metres */
    const unsigned char *underserved; /* [n] nonzero = aggregate this point; NULL = all */
    size_t n_groups;                  /* demand groups (may be 0) */
    const double *const *pop;         /* [n_groups][n] people per group; >= 0, finite */
    const double *gap_min;            /* [n] gap minutes, NAN = null; NULL = all null */
    size_t n_reasons;                 /* reason codes 0 .. n_reasons-1 (may be 0) */
    const int32_t *reason;            /* [n] reason index, or -1 = none; NULL = all none */
} cc_hex_input;

/**
 * Dissolved underserved areas, one feature per connected group of hexagons (hexagons that
 * share an edge), in the order of each group's lowest hexagon (row r, then column q). All
 * per-area arrays have `geom.n` entries (per group / per reason: [g * n + k]).
 */
typedef struct cc_hex_areas {
    cc_geom_polys geom; /* one (possibly holed) polygon per area */
    size_t n_groups, n_reasons;
    double *pop;              /* [n_groups * n] unserved people per group (exact sum) */
    double *pop_total;        /* [n] over all groups */
    size_t *n_points;         /* [n] underserved points inside */
    size_t *n_hex;            /* [n] hexagons */
    double *area_m2;          /* [n] n_hex * hexagon area */
    double *gap_mean_min;     /* [n] population-weighted mean gap over points with a gap
                                 (unweighted when they hold no people); NAN when none has one */
    double *gap_max_min;      /* [n] largest gap; NAN when no point has one */
    size_t *n_gap_null;       /* [n] points with a null gap (left out of mean and max) */
    double *reason_pop;       /* [n_reasons * n] people per reason code */
    size_t *reason_points;    /* [n_reasons * n] points per reason code */
    int32_t *dominant_reason; /* [n] reason with the most people (ties: more points, then the
                                 lower code); -1 when no point has a reason */
    int64_t *hex_q, *hex_r;   /* [n] axial index of the area's lowest hexagon: a stable id */
    int32_t *area_of_point;   /* [input n] area index of each point, -1 when not aggregated */
} cc_hex_areas;

/**
 * Aggregate the underserved points into a regular hexagon grid and dissolve edge-sharing
 * hexagons into connected polygons (GEOS union per group; connectivity is decided on hexagon
 * indices, not on geometry). Population sums are conserved: each aggregated point counts in
 * exactly one area. A non-finite coordinate or population of an aggregated point, a reason
 * >= n_reasons, or a coordinate beyond 2^40 hexagons is a CC_ERR_DATA error naming the point.
 * params may be NULL (CC_HEX_PARAMS_DEFAULT). The caller owns *out
 * (cc_geom_hex_areas_destroy); *out is NULL on failure. Thread-safety: uses its own GEOS
 * handle; calls on different inputs may run in parallel (with different contexts).
 */
cc_status cc_geom_hex_dissolve(cc_ctx *ctx, const cc_hex_input *in, const cc_hex_params *params,
                               cc_hex_areas **out);

/** Destroy hex areas. Accepts NULL. */
void cc_geom_hex_areas_destroy(cc_hex_areas *a);

/**
 * Axial index (q, r) of the hexagon holding point (x, y) in the grid of params (NULL =
 * default). Pointy-topped: centre x = origin_x + size*(q + r/2), y = origin_y + size*r*sqrt(3)/2;
 * flat-topped: the same with x and y swapped. Returns 0 for a non-finite or too distant point.
 */
int cc_geom_hex_index(const cc_hex_params *params, double x, double y, int64_t *q, int64_t *r);

/* ---- Service areas along the network ---- */

/** One edge's polyline: pointers into the graph, nothing is copied. */
typedef struct cc_geom_line {
    const double *x, *y; /* metres, from the edge's `from` node to its `to` node */
    size_t n;            /* vertices */
} cc_geom_line;

/**
 * A routable network as plain arrays (geom does not link the net module). Fill it from a
 * cc_graph: n_nodes / n_edges, from / to / time_fwd_ds / time_bwd_ds from cc_graph_get_view
 * (edge_from, edge_to, edge_time_fwd, edge_time_bwd), out_off / out_edge from its fwd_off /
 * fwd_edge, in_off / in_edge from its rev_off / rev_edge, and lines from cc_graph_edge.
 */
typedef struct cc_geom_network {
    size_t n_nodes, n_edges;
    const uint32_t *from, *to;                 /* [n_edges] node ids; polyline runs from -> to */
    const uint32_t *time_fwd_ds, *time_bwd_ds; /* [n_edges] from->to, to->from; UINT32_MAX =
                                                  direction not allowed */
    /* Edges that may be travelled away from (out) and towards (in) each node: entries
     * out_edge[out_off[v] .. out_off[v+1]-1] are edge << 1 | end, end 0 when v is the edge's
     * `from` node, 1 when it is its `to` node; the same for in_*. They must agree with the
     * times (an edge is listed at an end exactly when that direction is allowed). */
    const uint32_t *out_off, *out_edge;
    const uint32_t *in_off, *in_edge;
    const cc_geom_line *lines; /* [n_edges] */
} cc_geom_network;

/** A facility's position on an edge (a cc_snap) and the time already spent to get there. */
typedef struct cc_geom_source {
    uint32_t edge;    /* edge id; UINT32_MAX = none (the source is ignored) */
    double offset_m;  /* along the edge polyline from its `from` node */
    uint32_t time_ds; /* time at this position (e.g. the off-network walk) */
} cc_geom_source;

/** How to draw a service area. */
typedef struct cc_service_params {
    double buffer_m;   /* half-width of the band around reached network parts, metres; > 0 */
    double simplify_m; /* topology-preserving simplification tolerance; 0 = none */
    double cell_m;     /* spacing of the distance grid the outline is traced on; 0 = buffer_m /
                          4. Grown (by 1.25 at a time) for areas so large that the grid would
                          pass 2^21 points (about 18 km across with the defaults). */
} cc_service_params;

#define CC_SERVICE_PARAMS_DEFAULT                                                                  \
    {                                                                                              \
        50.0, 2.0, 0.0                                                                             \
    }

/** Reusable scratch memory for cc_geom_service_area (one per thread). */
typedef struct cc_service_ws cc_service_ws;

/** A workspace; NULL when out of memory (error recorded on ctx). */
cc_service_ws *cc_geom_service_ws_create(cc_ctx *ctx);
/** Destroy a workspace. Accepts NULL. */
void cc_geom_service_ws_destroy(cc_service_ws *ws);

/**
 * The area reached within limit_ds from one facility: every part of every edge that can be
 * reached in time, drawn as the band of points within buffer_m of it, simplified.
 *
 * The n_reached nodes node[k] with their times time_ds[k] (as cc_route_reach lists them) are
 * the nodes within the limit (a node listed again, or beyond the limit, is ignored); only
 * their incident edges are visited, so the cost follows the area reached, not the network
 * (the workspace keeps one index entry per network node, set and cleared per call). reverse must
 * match the search: 1 = times from the node TO the facility (the resident travels: a position on an
 * edge is reached when walking from it to an end node and on to the facility fits the limit; the
 * in_* lists are used), 0 = times FROM the facility (out_* lists). Within an edge the time is
 * spread uniformly along the polyline, so an edge end reached with t ds to spare contributes the
 * first t / edge_time of the polyline's length from that end (the cut point interpolated along the
 * polyline). sources (may be NULL when n_src == 0) add the facility's own partial edge: the
 * positions of that edge whose time from / to the source's position fits. Edges with fewer than 2
 * vertices are skipped.
 *
 * The band is traced without polygon overlay (src/geom/band.c): the distance to the reached
 * stretches is sampled on a grid of cell_m, the outline at buffer_m follows the grid cells with
 * every crossing point placed on the exact band edge, and the corner added where two bands meet
 * inside a cell; rings are oriented and nested, then simplified by simplify_m (Douglas-Peucker,
 * undone wherever it would make rings cross or come within 5 cm). Before simplification the
 * outline is the exact band edge along straight parts and at corners, and inside it by at
 * most cell_m^2 / (4 buffer_m) on the round ends (0.8 m with the defaults); a gap between two
 * bands narrower than about a cell may close. The result is a valid polygon, and the same
 * bytes for the same reached list.
 *
 * *out receives one feature (a Polygon or MultiPolygon; no rings when nothing is reached).
 * *reached_len_m (may be NULL) gets the length of network reached. params may be NULL
 * (CC_SERVICE_PARAMS_DEFAULT); ws may be NULL (scratch memory allocated for the call).
 * Thread-safety: the network is only read; facilities may be processed in parallel with one
 * context and one workspace per thread.
 */
cc_status cc_geom_service_area(cc_ctx *ctx, cc_service_ws *ws, const cc_geom_network *net,
                               size_t n_reached, const uint32_t *node, const uint32_t *time_ds,
                               int reverse, size_t n_src, const cc_geom_source *sources,
                               uint32_t limit_ds, const cc_service_params *params,
                               cc_geom_polys *out, double *reached_len_m);

/* ---- Spreading polygon counts to points (demand given per polygon) ---- */

/**
 * Points that carry the people of polygons: point k holds the share weight[k] of the count of
 * polygon src[k]. Zero-initialise before use; every array is owned by the struct
 * (cc_geom_spread_result_free).
 */
typedef struct cc_spread_result {
    size_t n;           /* output points */
    double *x, *y;      /* [n] metres, working CRS */
    int32_t *src;       /* [n] index of the polygon each point came from (non-decreasing) */
    double *weight;     /* [n] share of its polygon's count, in (0, 1]; sums to 1 (within
                           1e-12) over the points of every polygon that has any */
    size_t n_targets;   /* polygons spread over the target points inside them */
    size_t n_grid;      /* polygons with no target inside, spread over the grid (or one point
                           at their point-on-surface when smaller than a cell) */
    size_t n_collapsed; /* polygons without area after repair: one point at the centre of
                           their vertices' bounding box */
    size_t n_empty;     /* polygons without any ring: no point (their count is lost; warn) */
    size_t n_repaired;  /* polygons repaired with GEOSMakeValid or with degenerate rings dropped */
} cc_spread_result;

/**
 * Spread each of n_poly polygons (ring layout above, metres) over points inside it.
 *
 * - Targets (e.g. residential buildings: their representative points, with footprint area as
 *   tweight, or tweight NULL for equal shares): a target belongs to the lowest-index polygon
 *   that contains it (the boundary counts as inside). A polygon holding at least one target is
 *   spread over its targets, weight = tweight / sum of its targets' tweight (equal shares when
 *   tweight is NULL or its targets' tweights are all 0), in target index order.
 * - Otherwise (no target inside, or n_targets == 0) over a square grid of cell_m (e.g. 100 m)
 *   anchored at the working CRS origin: cell (c, r) is [c*cell_m, (c+1)*cell_m) x
 *   [r*cell_m, (r+1)*cell_m). One point per cell where polygon and cell share a positive
 *   area, at the centroid of that piece (its point-on-surface when the centroid falls outside
 *   the piece, e.g. an L or ring shape), weight = piece area / sum of piece areas, ordered by
 *   row (y) then column (x).
 * - A polygon without targets and smaller than one cell (area < cell_m^2): one point at its
 *   point-on-surface, weight 1.
 * - A polygon with no area after repair: one point at the centre of its vertices' bounding box.
 *
 * Points are ordered by polygon. Invalid polygons are repaired first (GEOSMakeValid, structure
 * method; rings with fewer than 3 distinct points dropped).
 *
 * Errors: cell_m not positive and finite or n_poly > INT32_MAX (CC_ERR_INVALID); a
 * non-finite vertex or a hole without an outer ring before it (CC_ERR_GEOM, "feature i: ...");
 * a non-finite target coordinate or a negative / non-finite tweight (CC_ERR_DATA, "target
 * k: ..."); a polygon whose bounding box spans more than 2^24 cells (CC_ERR_DATA, asks for a
 * larger cell). Checks for interruption. On failure *out is zeroed.
 * All input arrays are borrowed for the call; tx/ty/tweight may be NULL when n_targets == 0.
 * Thread-safety: uses its own GEOS handle per call; calls may run in parallel (one context
 * per thread). The result is deterministic.
 */
cc_status cc_geom_spread(cc_ctx *ctx, size_t n_poly, const size_t *feat_part,
                         const size_t *part_coord, const unsigned char *part_hole, const double *x,
                         const double *y, size_t n_targets, const double *tx, const double *ty,
                         const double *tweight, double cell_m, cc_spread_result *out);

/** Free the arrays of r (not the struct itself) and zero it. Accepts NULL. */
void cc_geom_spread_result_free(cc_spread_result *r);

#ifdef __cplusplus
}
#endif
#endif
