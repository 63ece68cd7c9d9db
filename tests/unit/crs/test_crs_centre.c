/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The robust study centre behind working_crs: auto (issue 14 item 4): a failed geocode at
 * (0, 0) or weightless cells (a raster's nodata margin) reaching 80°E must not move the UTM
 * zone off 50N; the outlier radius; great-circle distances; null island.
 */
#include "carecircle/crs.h"
#include "cc_test.h"

#include <stdlib.h>

static cc_ctx *ctx;

/* The zone working_crs: auto gives for a centre. */
static void expect_zone(int line, double lon, double lat, const char *want)
{
    char *def = NULL;
    cc_status st = cc_crs_working(ctx, "auto", lon, lat, &def, NULL);
    if (st || !def || strcmp(def, want) != 0) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL: (%g, %g) -> %s, want %s (%s)\n", __FILE__, line, lon, lat,
                def ? def : "(none)", want, st ? cc_ctx_message(ctx) : "");
    } else {
        cc_test_pass++;
    }
    cc_free(def);
}

/* 1000 demand points on a 2 km grid around Wuhan (114.40..114.49E, 30.45..30.54N) plus one
 * failed geocode at (0, 0): the centre stays in Wuhan, zone 50N. */
static void test_null_island(void)
{
    enum { N = 1001 };
    double lon[N], lat[N], w[N];
    for (int i = 0; i < 1000; i++) {
        lon[i] = 114.40 + 0.01 * (i % 10);
        lat[i] = 30.45 + 0.01 * (i / 100);
        w[i] = 3.0;
    }
    lon[1000] = 0;
    lat[1000] = 0;
    w[1000] = 5.0;
    double cx = 0, cy = 0;
    int found = 0;
    CHECK_INT(cc_crs_centre(ctx, N, lon, lat, w, &cx, &cy, &found), CC_OK);
    CHECK_INT(found, 1);
    /* Weighted medians: the 500th of 1000 equal weights (+1 stray below) along each axis. */
    CHECK_NEAR(cx, 114.44, 1e-9);
    CHECK_NEAR(cy, 30.49, 1e-9);
    expect_zone(__LINE__, cx, cy, "EPSG:32650");
    /* What the extent's centre gave before: (57.245, 15.27) -> zone 40N. */
    expect_zone(__LINE__, (0 + 114.49) / 2, (0 + 30.54) / 2, "EPSG:32640");
    /* The plain median (no weights) is just as robust. */
    CHECK_INT(cc_crs_centre(ctx, N, lon, lat, NULL, &cx, &cy, &found), CC_OK);
    CHECK_NEAR(cx, 114.44, 1e-9);
    CHECK_NEAR(cy, 30.49, 1e-9);
    /* The outlier radius: the cluster is ~6 km across, so the 100 km floor applies, and
     * (0, 0) lies 12330 km away. */
    double km = 0;
    CHECK_INT(cc_crs_outlier_km(ctx, N, lon, lat, cx, cy, &km), CC_OK);
    CHECK_NEAR(km, 100, 0);
    CHECK_NEAR(cc_crs_distance_km(cx, cy, 0, 0), 12330.1, 0.1);
    CHECK(cc_crs_null_island(lon[1000], lat[1000]));
    CHECK(!cc_crs_null_island(lon[0], lat[0]));
    CHECK(!cc_crs_null_island(0, 1e-6));
}

/* A raster reaching 80°E whose margin carries no people: 3400 weightless cells from 80 to
 * 114E, 20 populated ones at 114.41..114.60E. The extent's centre (97.3E) gave zone 47N. */
static void test_weightless_margin(void)
{
    enum { N = 3420 };
    double *lon = malloc(N * sizeof *lon), *lat = malloc(N * sizeof *lat),
           *w = malloc(N * sizeof *w);
    if (!lon || !lat || !w) {
        CHECK(0);
        free(lon), free(lat), free(w);
        return;
    }
    for (int i = 0; i < 3400; i++) {
        lon[i] = 80.0 + 0.01 * i;
        lat[i] = 30.5;
        w[i] = i % 2 ? 0.0 : NAN; /* 0 or nodata-like: neither counts */
    }
    for (int i = 0; i < 20; i++) {
        lon[3400 + i] = 114.41 + 0.01 * i;
        lat[3400 + i] = 30.5;
        w[3400 + i] = 50;
    }
    double cx = 0, cy = 0;
    int found = 0;
    CHECK_INT(cc_crs_centre(ctx, N, lon, lat, w, &cx, &cy, &found), CC_OK);
    CHECK_INT(found, 1);
    CHECK_NEAR(cx, 114.50, 1e-9); /* the 10th of 20 equal weights */
    CHECK_NEAR(cy, 30.5, 1e-12);
    expect_zone(__LINE__, cx, cy, "EPSG:32650");
    expect_zone(__LINE__, (80.0 + 114.60) / 2, 30.5, "EPSG:32647");
    free(lon);
    free(lat);
    free(w);
}

static void test_edges(void)
{
    double cx = 7, cy = 7;
    int found = 1;
    /* Nothing usable: not found, centre untouched. */
    double bad[2] = {NAN, 500};
    CHECK_INT(cc_crs_centre(ctx, 2, bad, bad, NULL, &cx, &cy, &found), CC_OK);
    CHECK_INT(found, 0);
    CHECK_NEAR(cx, 7, 0);
    CHECK_INT(cc_crs_centre(ctx, 0, NULL, NULL, NULL, &cx, &cy, &found), CC_OK);
    CHECK_INT(found, 0);
    /* All weights zero: the plain median. */
    double lon[3] = {10, 20, 30}, lat[3] = {1, 2, 3}, w[3] = {0, 0, 0};
    CHECK_INT(cc_crs_centre(ctx, 3, lon, lat, w, &cx, &cy, &found), CC_OK);
    CHECK_INT(found, 1);
    CHECK_NEAR(cx, 20, 0);
    CHECK_NEAR(cy, 2, 0);
    /* One degree of latitude on the sphere of radius 6371.0088 km. */
    CHECK_NEAR(cc_crs_distance_km(0, 0, 0, 1), 111.195, 0.001);
    /* A province-sized spread: 5 x the 90th percentile of the distances. */
    double plon[11], plat[11];
    for (int i = 0; i < 11; i++) {
        plon[i] = 110.0;
        plat[i] = 30.0 + 0.1 * i; /* 0 .. 111.2 km north of the centre */
    }
    double km = 0;
    CHECK_INT(cc_crs_outlier_km(ctx, 11, plon, plat, 110.0, 30.0, &km), CC_OK);
    CHECK_NEAR(km, 5 * cc_crs_distance_km(110, 30, 110, 30.9), 1e-9);
}

int main(void)
{
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_null_island();
    test_weightless_margin();
    test_edges();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
