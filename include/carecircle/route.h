/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle route: the parallel shortest-path core. One multi-source search gives every
 * demand point its nearest facility; one bounded search per facility (OpenMP over facilities)
 * gives the sparse incidence list (facility, point, time). Times are integer deciseconds from
 * the demand point TO the facility (the resident travels), and include the off-network walk
 * at both ends (at the profile's base speed) and the partial edges to and from the snapped
 * positions. docs/network.md explains how times are computed.
 *
 * Threads: cc_ctx_thread_count(ctx) (the context's setting, else OpenMP's default). Results do
 * not depend on the thread count.
 * The functions poll cc_ctx_interrupted and return CC_ERR_INTERRUPTED cleanly.
 */
#ifndef CARECIRCLE_ROUTE_H
#define CARECIRCLE_ROUTE_H

#include "carecircle/core.h"
#include "carecircle/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Sparse (facility, point, time) list, ordered by facility then point index. */
typedef struct cc_incidence {
    size_t n_fac;
    size_t *fac_off;   /* [n_fac+1]: facility f's rows are fac_off[f] .. fac_off[f+1]-1 */
    uint32_t *pt;      /* demand point index, ascending within a facility */
    uint32_t *time_ds; /* travel time point -> facility, deciseconds, <= the limit */
    size_t n;          /* rows */
} cc_incidence;

/** Free an incidence list. Accepts NULL. */
void cc_incidence_destroy(cc_incidence *inc);

/** Snap n points like cc_graph_snap, in slices of 4096 on cc_ctx_thread_count threads: the same
 *  snaps for any thread count. Fails (CC_ERR_INVALID) for any n, 0 included, on a graph built
 *  without node coordinates; call from the main thread (it opens the parallel region). */
cc_status cc_route_snap(cc_ctx *ctx, const cc_graph *g, size_t n, const double *x, const double *y,
                        cc_snap *out);

/** Off-network leg in deciseconds: dist_m at the profile's base speed, rounded. */
uint32_t cc_route_leg_ds(const cc_profile *prof, double dist_m);

/**
 * Where every search from one facility starts: the ends of the facility's edge, each with the
 * time from it to the facility (the partial edge at its direction's speed plus the facility's
 * off-network leg). An end the facility sits on (offset 0 or the edge's length) is a start at
 * the leg alone, whatever the edge's direction: a one-way edge ending at the facility still
 * lets residents arrive through that node. Starts later than limit_ds are left out. Writes up to
 * two starts into node[] / time_ds[] (from node first) and returns how many; 0 for an unsnapped
 * facility. cc_route_nearest and cc_route_catchments start from exactly these; a caller drawing
 * a facility's service area passes them to cc_route_reach (reverse = 1) to reach the same nodes
 * at the same times. Thread-safe (reads only).
 */
size_t cc_route_facility_seeds(const cc_graph *g, const cc_profile *prof, const cc_snap *fac,
                               uint32_t limit_ds, uint32_t node[2], uint32_t time_ds[2]);

/**
 * Nearest facility for every point: one multi-source search from every facility's snapped
 * position, bounded by limit_ds (inclusive; UINT32_MAX = unbounded). time_ds[i] and
 * fac_out[i] (arrays of n_pts, caller-owned) get the time and facility index; UINT32_MAX and
 * -1 when no facility is within the limit (or the point or every facility is unsnapped).
 * Ties go to the lowest facility index.
 */
cc_status cc_route_nearest(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                           const cc_snap *fac, size_t n_pts, const cc_snap *pts, uint32_t limit_ds,
                           uint32_t *time_ds, int32_t *fac_out);

/**
 * For every facility, every point whose time to it is <= limit_ds: one bounded search per
 * facility, in parallel. *out is caller-owned (cc_incidence_destroy). The arrays are
 * identical for any thread count. n_pts < 2^31.
 */
cc_status cc_route_catchments(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                              const cc_snap *fac, size_t n_pts, const cc_snap *pts,
                              uint32_t limit_ds, cc_incidence **out);

/**
 * Node-level Dijkstra from n_src source nodes (oracle tests, diagnostics). reverse = 0 gives
 * dist_ds[v] = time from the nearest source to v; reverse = 1 the time from v to the nearest
 * source. src_time_ds (may be NULL = all 0) is each source's start time. dist_ds (and owner,
 * may be NULL) are caller arrays of cc_graph_node_count: UINT32_MAX / -1 beyond limit_ds;
 * owner[v] is the source index reaching v first, ties to the lowest index. Single-threaded.
 */
cc_status cc_route_nodes(cc_ctx *ctx, const cc_graph *g, int reverse, size_t n_src,
                         const uint32_t *src_node, const uint32_t *src_time_ds, uint32_t limit_ds,
                         uint32_t *dist_ds, int32_t *owner);

/* ---- Sparse bounded search: the nodes one source set reaches (service areas) ---- */

/** Per-thread workspace of cc_route_reach for one graph: O(nodes) memory once, then every
 * search costs O(nodes and arcs reached). Not shared between threads. */
typedef struct cc_reach_ws cc_reach_ws;

/** Create a workspace for g (which must outlive it). */
cc_status cc_reach_ws_create(cc_ctx *ctx, const cc_graph *g, cc_reach_ws **out);
/** Destroy a workspace. Accepts NULL. */
void cc_reach_ws_destroy(cc_reach_ws *ws);

/**
 * The nodes within limit_ds of n_src source nodes, with their times: the same times as
 * cc_route_nodes (reverse = 1: from the node TO the nearest source; src_time_ds may be NULL =
 * all 0), but as a list instead of an array over the whole graph. *n_out nodes; (*node_out)[k]
 * is reached at (*time_out)[k] <= limit_ds, in order of non-decreasing time (the order is
 * deterministic). The arrays belong to ws and stay valid until its next search.
 */
cc_status cc_route_reach(cc_ctx *ctx, cc_reach_ws *ws, int reverse, size_t n_src,
                         const uint32_t *src_node, const uint32_t *src_time_ds, uint32_t limit_ds,
                         size_t *n_out, const uint32_t **node_out, const uint32_t **time_out);

#ifdef __cplusplus
}
#endif
#endif
