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

/** Bounding box of feature i (after repair) in metres; returns 0 when i is out of range. */
int cc_geom_polyset_bounds(const cc_polyset *ps, size_t i, double *xmin, double *ymin, double *xmax,
                           double *ymax);

/** Destroy a polygon set. Accepts NULL. */
void cc_geom_polyset_destroy(cc_polyset *ps);

#ifdef __cplusplus
}
#endif
#endif
