/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Coordinate reference systems: choosing the metric working CRS, transforming points between
 * any two CRSs PROJ knows, and the Chinese web-map offsets GCJ-02 ("Mars coordinates", used by
 * Amap/Tencent/Google China) and BD-09 (Baidu), which PROJ does not know.
 *
 * Axis order is always x = easting/longitude, y = northing/latitude, whatever the CRS
 * definition says (EPSG:4326 is lat/lon and EPSG:4547 northing/easting by the book).
 * docs/coordinates.md explains the choices and the accuracy of the offsets.
 */
#ifndef CARECIRCLE_CRS_H
#define CARECIRCLE_CRS_H

#include "carecircle/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A point transformer src -> dst. Owns its own PROJ context, so one transformer may be used
 *  from any one thread at a time (use one transformer per thread for parallel work). */
typedef struct cc_crs_tx cc_crs_tx;

/**
 * Choose the working CRS.
 *
 * spec "auto" (case-insensitive): the WGS 84 / UTM zone that contains lon/lat (the centre of the
 * data in WGS 84 degrees): EPSG:326zz in the northern hemisphere, EPSG:327zz in the southern one,
 * with the Norway (32V) and Svalbard (31X..37X) zone exceptions. Beyond 84N / 80S, where UTM is
 * not defined, it is an error asking for an explicit CRS.
 * Any other spec ("EPSG:4547", a PROJ string, WKT) must be a projected CRS in metres.
 *
 * @param out_def  receives a definition usable by cc_crs_tx_create ("EPSG:32650"; an
 *                 authority code when PROJ knows one, else a copy of spec). Caller frees (cc_free).
 * @param out_name receives the CRS name ("WGS 84 / UTM zone 50N"). Caller frees (cc_free).
 *                 May be NULL when the name is not wanted.
 * Uses the context's shared PROJ handle: call from the main thread only.
 */
cc_status cc_crs_working(cc_ctx *ctx, const char *spec, double lon, double lat, char **out_def,
                         char **out_name);

/**
 * Robust centre of a study for working_crs: auto (issue 14 item 4): the weighted median
 * longitude and the weighted median latitude of n points in WGS 84 degrees, so that a few
 * stray points (a failed geocode at (0, 0), a raster whose nodata margin reaches far away) do
 * not move the UTM zone. Points that are not finite, lie outside lon/lat range or have weight
 * <= 0 or NAN are skipped; weight NULL, or all weights skipped, gives the plain median of the
 * usable points. At most CC_CRS_CENTRE_SAMPLE points are used (an even stride over the input),
 * so the cost is bounded; the result is deterministic. No PROJ call, thread-safe.
 * *found = 0 (centre untouched) when no point is usable. Errors: CC_ERR_NOMEM only.
 */
#define CC_CRS_CENTRE_SAMPLE 262144
cc_status cc_crs_centre(cc_ctx *ctx, size_t n, const double *lon, const double *lat,
                        const double *weight, double *lon0, double *lat0, int *found);

/** Great-circle distance in km between two WGS 84 points (spherical, radius 6371.0088 km). */
double cc_crs_distance_km(double lon1, double lat1, double lon2, double lat2);

/**
 * Radius in km beyond which a point counts as an outlier of a study centred on (lon0, lat0):
 * max(CC_CRS_OUTLIER_MIN_KM, CC_CRS_OUTLIER_FACTOR x the 90th-percentile distance of the
 * points from the centre) (sampled as cc_crs_centre; points not finite skipped). 0 points:
 * CC_CRS_OUTLIER_MIN_KM. Errors: CC_ERR_NOMEM only.
 */
#define CC_CRS_OUTLIER_MIN_KM 100.0
#define CC_CRS_OUTLIER_FACTOR 5.0
cc_status cc_crs_outlier_km(cc_ctx *ctx, size_t n, const double *lon, const double *lat,
                            double lon0, double lat0, double *km);

/** 1 for a point at null island (0, 0) within 1e-9 degrees: what failed geocoders return. */
int cc_crs_null_island(double lon, double lat);

/**
 * Create a transformer from src to dst.
 *
 * src/dst: anything PROJ accepts ("EPSG:4326", WKT, PROJJSON, "+proj=... " strings; a PROJ string
 * without +type=crs gets it added), or "GCJ02"/"GCJ-02"/"BD09"/"BD-09" (case-insensitive):
 * longitude/latitude on WGS 84 shifted by the Chinese web-map offsets. Network access (grid
 * downloads) is disabled. PROJ never prints; its errors become the context message.
 * Thread-safety: may be called from any thread; the result has its own PROJ context.
 * @param out receives the transformer; destroy with cc_crs_tx_destroy.
 */
cc_status cc_crs_tx_create(cc_ctx *ctx, const char *src, const char *dst, cc_crs_tx **out);

/**
 * Transform n points in place (x = easting/longitude in metres/degrees, y = northing/latitude).
 * A point that cannot be transformed (non-finite input or result) is a CC_ERR_CRS error naming
 * its 0-based index ("point 12 ..."); the caller adds the file name with cc_error_prefix.
 * On error the arrays hold partly transformed values.
 * Thread-safety: not on the same tx from two threads at once.
 */
cc_status cc_crs_tx_apply(cc_ctx *ctx, cc_crs_tx *tx, size_t n, double *x, double *y);

/** Source and target definitions as given to cc_crs_tx_create (owned by tx). */
const char *cc_crs_tx_src(const cc_crs_tx *tx);
const char *cc_crs_tx_dst(const cc_crs_tx *tx);

/** Destroy a transformer. Accepts NULL. */
void cc_crs_tx_destroy(cc_crs_tx *tx);

/**
 * *geographic = 1 if def is a geographic CRS (degrees; also GCJ02 and BD09), 0 if projected.
 * An error if PROJ cannot parse def or it is neither (geocentric, vertical, engineering); the
 * message says what to write instead. Uses the context's shared PROJ handle: main thread only.
 */
cc_status cc_crs_is_geographic(cc_ctx *ctx, const char *def, int *geographic);

/** Kinds of coordinate definitions that PROJ does not know. */
enum { CC_CRS_PLAIN = 0, CC_CRS_GCJ02 = 1, CC_CRS_BD09 = 2 };
/** CC_CRS_GCJ02 for "GCJ02"/"GCJ-02", CC_CRS_BD09 for "BD09"/"BD-09" (case-insensitive,
 *  surrounding blanks ignored), CC_CRS_PLAIN for anything else (including NULL). */
int cc_crs_offset_kind(const char *def);

/* ---- GCJ-02 and BD-09: pure functions in degrees, thread-safe, no PROJ. ---- */

/** WGS 84 -> GCJ-02. Identity outside China (cc_crs_in_china false). */
void cc_crs_wgs84_to_gcj02(double lon, double lat, double *out_lon, double *out_lat);
/** GCJ-02 -> WGS 84 by fixed-point iteration: wgs84_to_gcj02(result) equals the input to
 *  better than 1e-9 degrees. Identity outside China. */
void cc_crs_gcj02_to_wgs84(double lon, double lat, double *out_lon, double *out_lat);
/** GCJ-02 -> BD-09 (applies everywhere: Baidu shifts whatever its base coordinates are). */
void cc_crs_gcj02_to_bd09(double lon, double lat, double *out_lon, double *out_lat);
/** BD-09 -> GCJ-02: the published closed-form inverse refined by iteration so that
 *  gcj02_to_bd09(result) equals the input to better than 1e-9 degrees. */
void cc_crs_bd09_to_gcj02(double lon, double lat, double *out_lon, double *out_lat);
/** WGS 84 <-> BD-09 through GCJ-02. */
void cc_crs_wgs84_to_bd09(double lon, double lat, double *out_lon, double *out_lat);
void cc_crs_bd09_to_wgs84(double lon, double lat, double *out_lon, double *out_lat);
/** 1 inside the rectangle where the GCJ-02 offset applies (lon 72.004..137.8347,
 *  lat 0.8293..55.8271, the bounding box used by the published implementations), else 0. */
int cc_crs_in_china(double lon, double lat);

#ifdef __cplusplus
}
#endif
#endif
