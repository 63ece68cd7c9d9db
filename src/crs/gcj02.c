/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GCJ-02 and BD-09: the offsets Chinese web maps apply to WGS 84 longitude/latitude.
 *
 * GCJ-02 (the "Mars" datum of Amap, Tencent and Google China) is not a datum PROJ can express:
 * it adds a deliberately irregular polynomial-and-sine shift of a few hundred metres. We use the
 * formula as published in the leaked reference implementation and reproduced in many places
 * (e.g. the eviltransform project, github.com/googollee/eviltransform, and the coordtransform
 * project, github.com/wandergis/coordtransform): the shift is computed with the series
 * "transformLat"/"transformLon" of (lon - 105, lat - 35) and turned into degrees with the radii
 * of curvature of the Krasovsky 1940 ellipsoid (a = 6378245.0 m, e^2 = 0.00669342162296594323).
 *
 * BD-09 (Baidu) is a further shift of GCJ-02, published with Baidu's coordinate documentation
 * and in the same projects: a polar-coordinate tweak with 0.00002 sin / 0.000003 cos terms at a
 * frequency of 3000 pi / 180 plus a constant shift of +0.0065 deg lon, +0.006 deg lat.
 *
 * Neither has a closed-form inverse, so the inverses iterate the forward function (fixed point
 * x <- x + (target - forward(x))). The shift's Jacobian differs from identity by less than 1 %,
 * so each step gains more than two digits; we stop when the residual is below 1e-11 degrees.
 *
 * All functions are pure and thread-safe.
 */
#include "carecircle/crs.h"

#include <math.h>

#define CC__PI 3.14159265358979323846
/* Krasovsky 1940 semi-major axis (m) and first eccentricity squared, as used by GCJ-02. */
#define CC__KRASOVSKY_A 6378245.0
#define CC__KRASOVSKY_EE 0.00669342162296594323
/* BD-09's angular frequency: pi * 3000 / 180. */
#define CC__BD_XPI (CC__PI * 3000.0 / 180.0)

#define CC__INV_TOL_DEG 1e-11
#define CC__INV_MAX_ITER 50

int cc_crs_in_china(double lon, double lat)
{
    /* The rectangle used by the published implementations; GCJ-02 is identity outside it. */
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/* The periodic part shared by both series: terms in x at periods 1/3 and 1 degree. */
static double shift_common(double x)
{
    return (20.0 * sin(6.0 * x * CC__PI) + 20.0 * sin(2.0 * x * CC__PI)) * 2.0 / 3.0;
}

/* Latitude series (in "metres" before scaling by the meridian radius). */
static double shift_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += shift_common(x);
    r += (20.0 * sin(y * CC__PI) + 40.0 * sin(y / 3.0 * CC__PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * CC__PI) + 320.0 * sin(y * CC__PI / 30.0)) * 2.0 / 3.0;
    return r;
}

/* Longitude series (scaled later by the parallel radius). */
static double shift_lon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += shift_common(x);
    r += (20.0 * sin(x * CC__PI) + 40.0 * sin(x / 3.0 * CC__PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * CC__PI) + 300.0 * sin(x / 30.0 * CC__PI)) * 2.0 / 3.0;
    return r;
}

/* The GCJ-02 shift (degrees) at a WGS 84 point, without the China test. */
static void gcj_delta(double lon, double lat, double *dlon, double *dlat)
{
    double x = lon - 105.0, y = lat - 35.0;
    double rad_lat = lat / 180.0 * CC__PI;
    double s = sin(rad_lat);
    double w = 1.0 - CC__KRASOVSKY_EE * s * s;
    double sw = sqrt(w);
    /* Meridian radius M = a(1-e^2)/w^1.5 and parallel radius N cos(lat) = a cos(lat)/sqrt(w). */
    double m = CC__KRASOVSKY_A * (1.0 - CC__KRASOVSKY_EE) / (w * sw);
    double n = CC__KRASOVSKY_A / sw;
    *dlat = shift_lat(x, y) * 180.0 / (m * CC__PI);
    *dlon = shift_lon(x, y) * 180.0 / (n * cos(rad_lat) * CC__PI);
}

void cc_crs_wgs84_to_gcj02(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!cc_crs_in_china(lon, lat)) {
        *out_lon = lon;
        *out_lat = lat;
        return;
    }
    double dlon, dlat;
    gcj_delta(lon, lat, &dlon, &dlat);
    *out_lon = lon + dlon;
    *out_lat = lat + dlat;
}

void cc_crs_gcj02_to_wgs84(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!cc_crs_in_china(lon, lat) || !isfinite(lon) || !isfinite(lat)) {
        *out_lon = lon;
        *out_lat = lat;
        return;
    }
    /* Start from the point shifted back by the shift at the GCJ point itself, then iterate. */
    double dlon, dlat;
    gcj_delta(lon, lat, &dlon, &dlat);
    double wlon = lon - dlon, wlat = lat - dlat;
    for (int it = 0; it < CC__INV_MAX_ITER; it++) {
        gcj_delta(wlon, wlat, &dlon, &dlat);
        double rlon = lon - (wlon + dlon), rlat = lat - (wlat + dlat);
        wlon += rlon;
        wlat += rlat;
        if (fabs(rlon) < CC__INV_TOL_DEG && fabs(rlat) < CC__INV_TOL_DEG) break;
    }
    *out_lon = wlon;
    *out_lat = wlat;
}

void cc_crs_gcj02_to_bd09(double lon, double lat, double *out_lon, double *out_lat)
{
    double z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * CC__BD_XPI);
    double theta = atan2(lat, lon) + 0.000003 * cos(lon * CC__BD_XPI);
    *out_lon = z * cos(theta) + 0.0065;
    *out_lat = z * sin(theta) + 0.006;
}

void cc_crs_bd09_to_gcj02(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!isfinite(lon) || !isfinite(lat)) {
        *out_lon = lon;
        *out_lat = lat;
        return;
    }
    /* The published closed-form inverse evaluates the small terms at the shifted point, which
     * leaves an error of up to about 1e-5 degrees (~1 m); refine it against the forward map. */
    double x = lon - 0.0065, y = lat - 0.006;
    double z = sqrt(x * x + y * y) - 0.00002 * sin(y * CC__BD_XPI);
    double theta = atan2(y, x) - 0.000003 * cos(x * CC__BD_XPI);
    double glon = z * cos(theta), glat = z * sin(theta);
    for (int it = 0; it < CC__INV_MAX_ITER; it++) {
        double blon, blat;
        cc_crs_gcj02_to_bd09(glon, glat, &blon, &blat);
        double rlon = lon - blon, rlat = lat - blat;
        glon += rlon;
        glat += rlat;
        if (fabs(rlon) < CC__INV_TOL_DEG && fabs(rlat) < CC__INV_TOL_DEG) break;
    }
    *out_lon = glon;
    *out_lat = glat;
}

void cc_crs_wgs84_to_bd09(double lon, double lat, double *out_lon, double *out_lat)
{
    double glon, glat;
    cc_crs_wgs84_to_gcj02(lon, lat, &glon, &glat);
    cc_crs_gcj02_to_bd09(glon, glat, out_lon, out_lat);
}

void cc_crs_bd09_to_wgs84(double lon, double lat, double *out_lon, double *out_lat)
{
    double glon, glat;
    cc_crs_bd09_to_gcj02(lon, lat, &glon, &glat);
    cc_crs_gcj02_to_wgs84(glon, glat, out_lon, out_lat);
}
