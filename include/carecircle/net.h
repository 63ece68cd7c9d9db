/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle net: the routable network. Mode profiles (which OSM highway classes a mode may
 * use and at what speed), graph build from projected line arrays (junctions at shared
 * vertices, one edge per chain between junctions, integer decisecond arc times, Hilbert node
 * order, CSR arrays), weakly connected components (islands), edge accessors for export and a
 * uniform-grid snapping index (point -> edge + offset).
 *
 * Plain arrays only: no GDAL, PROJ or GEOS. A built graph is immutable; every const function
 * here may be called from many threads at once. docs/network.md explains the rules.
 */
#ifndef CARECIRCLE_NET_H
#define CARECIRCLE_NET_H

#include "carecircle/core.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** "No such edge / node / time" marker in uint32 fields (absent direction, unsnapped point). */
#define CC_NONE UINT32_MAX

/** Lines to build a graph from; coordinates already projected to metres (working CRS). */
typedef struct cc_net_input {
    size_t n_lines;
    const size_t *line_coord; /* [n_lines+1]: vertices of line i are line_coord[i]..[i+1]-1 */
    const double *x, *y;      /* vertices, metres */
    const int64_t *line_id;   /* source feature id per line (export, messages); may be NULL */
    /* OSM-style tag values per line: each is an array of n_lines strings; the array, or any
     * entry of it, may be NULL (tag absent). cc_profile_rule explains how they are read. */
    const char *const *highway;  /* road class ("footway", "residential", ...) */
    const char *const *foot;     /* foot=yes, designated, no, use_sidepath, ... */
    const char *const *access;   /* access=no and private close a line (unless foot allows) */
    const char *const *sidewalk; /* a sidewalk opens a trunk road to walking modes */
    const char *const *oneway;   /* yes, 1, true: forward only; -1, reverse: backward only */
    const char *const *bridge;   /* any value but "no": points are not snapped onto it */
    const char *const *tunnel;   /* the same, except tunnel=building_passage */
    const char *const *maxspeed; /* "50", "50 km/h" or "30 mph"; drive mode only */
} cc_net_input;

/* ---- Mode profiles ---- */

typedef struct cc_profile cc_profile;

/**
 * Create a built-in profile: "walk" (4.0 km/h), "walk_elderly" (3.2 km/h, steps take twice as
 * long), "bike" (12 km/h), "drive" (speed by highway class or maxspeed, base 30 km/h).
 * speed_kmh > 0 overrides the base speed (for drive it is used for lines without a highway
 * class and for the off-network legs). Unknown mode -> CC_ERR_INVALID naming the modes.
 * The caller owns *out (cc_profile_destroy). Thread-safe.
 */
cc_status cc_profile_create(cc_ctx *ctx, const char *mode, double speed_kmh, cc_profile **out);
void cc_profile_destroy(cc_profile *p);
/** Base speed in km/h: untagged lines, and the walk between a point and the network. */
double cc_profile_speed_kmh(const cc_profile *p);
/** The mode name ("walk", ...). Owned by the profile. */
const char *cc_profile_mode(const cc_profile *p);
/** Default base speed of a built-in mode in km/h; 0 for an unknown mode. */
double cc_mode_default_speed_kmh(const char *mode);

/** What a profile makes of one line (tag values may be NULL). */
typedef struct cc_line_rule {
    int forward;      /* may travel in digitising direction */
    int backward;     /* may travel against it */
    double speed_kmh; /* travel speed on this line, after maxspeed and per-class rules */
    double factor;    /* time multiplier (walk_elderly on steps: 2) */
} cc_line_rule;

/** Apply the profile's tag rules to one line's tags (the same rules cc_graph_build uses). */
void cc_profile_rule(const cc_profile *p, const char *highway, const char *foot, const char *access,
                     const char *sidewalk, const char *oneway, const char *maxspeed,
                     cc_line_rule *out);

/* ---- User-defined profiles: per-class rules on top of a built-in mode ---- */

/** What the custom profile does with one road class value. */
typedef struct cc_class_rule {
    const char *cls;  /* class value as it appears in the highway / class field (UTF-8, exact) */
    int allow;        /* 0 = lines of this class are forbidden; 1 = allowed (even where the
                         base mode would not use the class; foot/access tags still apply) */
    double speed_kmh; /* > 0: speed on this class, replacing the mode's class speed, maxspeed
                         and built-in factor; 0 = as the base mode (or its base speed) */
    double factor;    /* > 0: travel time multiplier on this class, on top of the speed;
                         0 = 1 (no change) */
} cc_class_rule;

/** How a custom profile treats one-way tags. */
typedef enum cc_oneway_policy {
    CC_ONEWAY_MODE = 0,   /* as the base mode: walking modes ignore, bike and drive respect */
    CC_ONEWAY_IGNORE = 1, /* every allowed line both ways */
    CC_ONEWAY_RESPECT = 2 /* oneway=yes|1|true forward only, -1|reverse backward only (drive
                             also keeps the implied one-way of untagged motorways) */
} cc_oneway_policy;

/** A user-defined profile: class rules, what to do with unlisted classes, one-way policy.
 *  A zero-initialised struct changes nothing. */
typedef struct cc_profile_custom {
    const cc_class_rule *classes; /* n_classes rules; class names must be distinct */
    size_t n_classes;
    int forbid_unlisted; /* 1 = classes not listed, and lines without a class, are forbidden;
                            0 = as the base mode decides */
    cc_oneway_policy oneway;
} cc_profile_custom;

/**
 * Customise a profile (normally fresh from cc_profile_create): from now on cc_profile_rule,
 * and so cc_graph_build, apply spec on top of the base mode's rules. The spec is copied (the
 * caller keeps ownership of it and its strings); a second call replaces the first. A line's
 * class is its highway value, matched exactly, then, for a list such as "footway;steps", its
 * first value. Classes that never occur in the data are not an error (see
 * cc_profile_unused_classes). Invalid spec (NULL or empty class name, duplicate class,
 * speed_kmh or factor negative, above 1000 or not finite, unknown oneway policy) ->
 * CC_ERR_INVALID naming the class; p is then unchanged. Not thread-safe on p: customise
 * before sharing the profile.
 */
cc_status cc_profile_customize(cc_ctx *ctx, cc_profile *p, const cc_profile_custom *spec);

/** 1 when cc_profile_customize was applied to p (with any rule or policy), else 0. */
int cc_profile_is_custom(const cc_profile *p);

/**
 * Count the custom class rules of p whose class occurs on no line of in (compared as
 * cc_profile_rule does), for a "class 'x' never occurs" warning; *first (optional) receives
 * the first such class in the order they were given (owned by p), or NULL. 0 for a profile
 * that is not custom. Thread-safe.
 */
size_t cc_profile_unused_classes(const cc_profile *p, const cc_net_input *in, const char **first);

/** Decisecond travel time of length_m at speed_kmh times factor, rounded, >= 1 when > 0. */
uint32_t cc_time_ds(double length_m, double speed_kmh, double factor);

/* ---- Graph ---- */

typedef struct cc_graph cc_graph;

/**
 * Build the routable graph for a profile. Junctions are vertices shared by lines (exactly
 * equal coordinates) and line endpoints; snap_tolerance_m > 0 also joins a dangling line end
 * to the nearest vertex of another line within that distance. Edges are maximal chains
 * between junctions with their polylines; zero-length edges and exact duplicate parallel edges
 * are dropped. Node ids follow the Hilbert order of node coordinates. Lines the profile does
 * not allow, and non-finite coordinates (CC_ERR_DATA naming the line), are handled here.
 * An input without any usable line gives CC_ERR_DATA. The caller owns *out.
 */
cc_status cc_graph_build(cc_ctx *ctx, const cc_net_input *in, const cc_profile *prof,
                         double snap_tolerance_m, cc_graph **out);

/**
 * Build a graph from an explicit edge list (oracle tests, user-supplied matrices). Node ids are
 * kept as given (0..n_nodes-1, no reordering); edge i keeps id i. time_fwd_ds[i] is the time
 * from[i] -> to[i], time_bwd_ds[i] the time back; CC_NONE (UINT32_MAX) = no such direction,
 * 0 is rejected (times are >= 1 ds). x, y (node coordinates, metres) may be NULL: then the
 * graph cannot snap. length_m may be NULL: straight-line length from x, y (or 0).
 */
cc_status cc_graph_from_arcs(cc_ctx *ctx, size_t n_nodes, const double *x, const double *y,
                             size_t n_edges, const uint32_t *from, const uint32_t *to,
                             const uint32_t *time_fwd_ds, const uint32_t *time_bwd_ds,
                             const double *length_m, cc_graph **out);

/** Free a graph. Accepts NULL. */
void cc_graph_destroy(cc_graph *g);

size_t cc_graph_node_count(const cc_graph *g);
size_t cc_graph_edge_count(const cc_graph *g);
/** Number of directed arcs (each allowed direction of each edge). */
size_t cc_graph_arc_count(const cc_graph *g);
/** Node coordinates in metres (0, 0 for a graph built without coordinates). */
void cc_graph_node_xy(const cc_graph *g, uint32_t node, double *x, double *y);

/** One edge, for export and messages. Pointers are owned by the graph. */
typedef struct cc_edge_info {
    uint32_t from, to;    /* node ids; the polyline runs from -> to */
    double length_m;      /* along the polyline */
    uint32_t time_fwd_ds; /* from -> to; CC_NONE if not allowed */
    uint32_t time_bwd_ds; /* to -> from; CC_NONE if not allowed */
    const char *highway;  /* highway class of the source line; NULL when untagged */
    int64_t line_id;      /* source feature id (or line index when ids were not given) */
    uint32_t component;   /* 0 = the largest component */
    int no_snap;          /* 1 for bridges and tunnels: points are not snapped onto them */
    size_t n_coords;      /* polyline vertices (>= 2 when the graph has coordinates) */
    const double *x, *y;  /* polyline vertices, metres */
} cc_edge_info;

/** Fill *out for edge e (< cc_graph_edge_count). */
void cc_graph_edge(const cc_graph *g, uint32_t e, cc_edge_info *out);

/* ---- Components: weakly connected; id 0 is the largest, islands are ids 1.. ---- */

size_t cc_graph_component_count(const cc_graph *g);
/** Nodes in component c. Components are numbered by size descending, ties by lowest node. */
size_t cc_graph_component_size(const cc_graph *g, uint32_t c);
uint32_t cc_graph_node_component(const cc_graph *g, uint32_t node);
/** Lowest-id node of component c and its coordinates (where to point a planner at). In a
 *  window graph: the lowest window node of c, or CC_NONE (coordinates NaN) when none of c's
 *  nodes is in the window. */
uint32_t cc_graph_component_node(const cc_graph *g, uint32_t c, double *x, double *y);

/* ---- Windows: the part of a graph near a rectangle (partitioned runs) ---- */

/**
 * A sub-graph of g: every edge whose polyline bounding box meets [xmin,xmax] x [ymin,ymax]
 * (edges touching it included) and the end nodes of those edges, in ascending global order
 * (so every "lowest id" tie rule picks the same element); the global times, lengths,
 * polylines, line ids, no-snap flags, highway classes and component ids, with the global
 * size of each component present (component ids 0 .. the largest present; one without a
 * node in the window has size as in g and node CC_NONE). CSR and snapping grid are rebuilt;
 * the largest arc time and the rule that bridges are not snapped to while any other edge
 * exists are g's. A point whose snap distance on g is less than its distance to the window's
 * border snaps to the same edge, offset and position; a route of length L from such a point
 * is the same while it stays L inside the window. node_global / edge_global give each window
 * id's id in g (through g's own when g is a window). The infinite rectangle gives g again
 * (with the ids). A graph without coordinates, or min > max or NaN, is CC_ERR_INVALID.
 * The caller owns *out (cc_graph_destroy). Thread-safe on g.
 */
cc_status cc_graph_window(cc_ctx *ctx, const cc_graph *g, double xmin, double ymin, double xmax,
                          double ymax, cc_graph **out);
/** Global id of each window node [cc_graph_node_count]; NULL for a graph that is not a window.
 *  Owned by the graph. */
const uint32_t *cc_graph_node_global(const cc_graph *g);
/** Global id of each window edge [cc_graph_edge_count]; NULL for a graph that is not a window. */
const uint32_t *cc_graph_edge_global(const cc_graph *g);

/* ---- Prepared graph files: written once, read by window through a tile index ---- */

/**
 * Write g (a whole graph with coordinates) to path: its arrays and a tile index (about 64
 * edges per tile; each tile lists the edges whose polyline box meets it) behind a header with
 * a checksum over the header, the index and the class names. Host byte order, which must be
 * little-endian (64-bit). A file that cannot be written is CC_ERR_IO naming it (and removed).
 */
cc_status cc_graph_save(cc_ctx *ctx, const cc_graph *g, const char *path);

typedef struct cc_graph_file cc_graph_file;

/** Open a prepared graph file (mapped, not read): the header and the tile index are checked
 *  (magic, version, byte order, counts against the file's size, checksum); a damaged, cut or
 *  foreign file is CC_ERR_DATA with one line naming it. Close with cc_graph_file_close. */
cc_status cc_graph_file_open(cc_ctx *ctx, const char *path, cc_graph_file **out);

/** The window of the saved graph: equal, array by array, to cc_graph_window of the graph that
 *  was saved (global ids are the saved graph's ids). Reads only the tiles meeting the
 *  rectangle, their edges and those edges' nodes; every id, offset, time and coordinate it
 *  uses is checked (a damaged file is CC_ERR_DATA naming it, never a read out of bounds).
 *  Not thread-safe on one f (open one per thread). */
cc_status cc_graph_file_window(cc_ctx *ctx, cc_graph_file *f, double xmin, double ymin,
                               double xmax, double ymax, cc_graph **out);

/** Unmap and free. Accepts NULL. Window graphs read from f stay valid. */
void cc_graph_file_close(cc_graph_file *f);

/* ---- Low-level view for the routing core (read-only arrays owned by the graph) ---- */

/** One directed arc in CSR: head node and travel time in deciseconds (>= 1). */
typedef struct cc_arc {
    uint32_t head;
    uint32_t time_ds;
} cc_arc;

typedef struct cc_graph_view {
    uint32_t n_nodes, n_edges;
    /* Forward CSR: arcs out of u are fwd_arc[fwd_off[u] .. fwd_off[u+1]-1]. fwd_edge[k] and
     * rev_edge[k] are edge << 1 | dir: dir 0 when the listing node is the edge's `from` node
     * and the head its `to` node, 1 the other way round. */
    const uint32_t *fwd_off;
    const cc_arc *fwd_arc;
    const uint32_t *fwd_edge;
    /* Reverse CSR: arcs INTO u, as (tail, time). Same arrays as forward when every edge has
     * equal times both ways (symmetric == 1). */
    const uint32_t *rev_off;
    const cc_arc *rev_arc;
    const uint32_t *rev_edge;
    int symmetric;
    const uint32_t *edge_from, *edge_to, *edge_time_fwd, *edge_time_bwd;
    const double *edge_len_m;
    const uint32_t *node_comp;
    uint32_t max_arc_ds; /* the largest arc time, at least 1 */
} cc_graph_view;

void cc_graph_get_view(const cc_graph *g, cc_graph_view *v);

/* ---- Snapping ---- */

/** A point placed on the network. */
typedef struct cc_snap {
    uint32_t edge;      /* CC_NONE when the graph has no edge to snap to */
    uint32_t component; /* component of the edge */
    double offset_m;    /* along the edge polyline from its `from` node */
    double dist_m;      /* straight-line distance point -> snapped position (off-network leg) */
    double x, y;        /* snapped position, metres */
} cc_snap;

/**
 * Snap n points to their nearest edge (bridges and tunnels excluded while any other edge
 * exists). Ties: lowest edge id, then lowest offset. Thread-safe and deterministic; callers
 * may split the points across threads. Non-finite coordinates give edge = CC_NONE.
 * Returns CC_ERR_INVALID if the graph has no coordinates.
 */
cc_status cc_graph_snap(cc_ctx *ctx, const cc_graph *g, size_t n, const double *x, const double *y,
                        cc_snap *out);

#ifdef __cplusplus
}
#endif
#endif
