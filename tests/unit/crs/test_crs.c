/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PROJ wrapper: working-CRS choice, CRS classification, transformers (including GCJ-02/BD-09
 * chains), error messages, threads and out-of-memory paths.
 */
#include "carecircle/crs.h"
#include "cc_test.h"

#include <pthread.h>
#include <stdlib.h>

/* cs2cs reference: `echo '30.48 114.5' | cs2cs -f %.6f EPSG:4326 EPSG:32650` (PROJ 9.1.1) gives
 * 260012.375754 3374631.999777; `... EPSG:4326 EPSG:4547` gives 3373430.776506 548009.579083
 * (northing first, as EPSG:4547 defines its axes). */
#define WUHAN_LON 114.5
#define WUHAN_LAT 30.48
#define WUHAN_UTM50_E 260012.375754
#define WUHAN_UTM50_N 3374631.999777
#define WUHAN_GK114_E 548009.579083
#define WUHAN_GK114_N 3373430.776506

static void test_utm_known_value_and_round_trip(cc_ctx *ctx)
{
    cc_crs_tx *fwd = NULL, *inv = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4326", "EPSG:32650", &fwd), CC_OK);
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:32650", "EPSG:4326", &inv), CC_OK);
    if (!fwd || !inv) goto done;
    CHECK_STR(cc_crs_tx_src(fwd), "EPSG:4326");
    CHECK_STR(cc_crs_tx_dst(fwd), "EPSG:32650");
    double x[2] = {WUHAN_LON, 114.0}, y[2] = {WUHAN_LAT, 30.0};
    CHECK_INT(cc_crs_tx_apply(ctx, fwd, 2, x, y), CC_OK);
    CHECK_NEAR(x[0], WUHAN_UTM50_E, 1e-3);
    CHECK_NEAR(y[0], WUHAN_UTM50_N, 1e-3);
    CHECK_INT(cc_crs_tx_apply(ctx, inv, 2, x, y), CC_OK);
    CHECK_NEAR(x[0], WUHAN_LON, 1e-8);
    CHECK_NEAR(y[0], WUHAN_LAT, 1e-8);
    CHECK_NEAR(x[1], 114.0, 1e-8);
    CHECK_NEAR(y[1], 30.0, 1e-8);
    /* n = 0 is a no-op. */
    CHECK_INT(cc_crs_tx_apply(ctx, fwd, 0, x, y), CC_OK);
done:
    cc_crs_tx_destroy(fwd);
    cc_crs_tx_destroy(inv);
}

/* A PROJ string (without +type=crs) and WKT give the same result as the EPSG code. */
static void test_other_definitions(cc_ctx *ctx)
{
    const char *defs[] = {
        "+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs",
        "PROJCRS[\"UTM 50N\",BASEGEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\","
        "ELLIPSOID[\"WGS 84\",6378137,298.257223563]]],CONVERSION[\"UTM zone 50N\","
        "METHOD[\"Transverse Mercator\",ID[\"EPSG\",9807]],"
        "PARAMETER[\"Latitude of natural origin\",0],PARAMETER[\"Longitude of natural origin\","
        "117],PARAMETER[\"Scale factor at natural origin\",0.9996],"
        "PARAMETER[\"False easting\",500000],PARAMETER[\"False northing\",0]],"
        "CS[Cartesian,2],AXIS[\"easting\",east,LENGTHUNIT[\"metre\",1]],"
        "AXIS[\"northing\",north,LENGTHUNIT[\"metre\",1]]]",
    };
    for (size_t i = 0; i < 2; i++) {
        cc_crs_tx *tx = NULL;
        CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4326", defs[i], &tx), CC_OK);
        if (!tx) continue;
        double x = WUHAN_LON, y = WUHAN_LAT;
        CHECK_INT(cc_crs_tx_apply(ctx, tx, 1, &x, &y), CC_OK);
        CHECK_NEAR(x, WUHAN_UTM50_E, 1e-3);
        CHECK_NEAR(y, WUHAN_UTM50_N, 1e-3);
        cc_crs_tx_destroy(tx);
    }
}

static void test_working_crs(cc_ctx *ctx)
{
    char *def = NULL, *name = NULL;
    CHECK_INT(cc_crs_working(ctx, "auto", WUHAN_LON, WUHAN_LAT, &def, &name), CC_OK);
    CHECK_STR(def, "EPSG:32650");
    CHECK_STR(name, "WGS 84 / UTM zone 50N");
    cc_free(def);
    cc_free(name);

    CHECK_INT(cc_crs_working(ctx, "AUTO", -51.2, -30.03, &def, &name), CC_OK); /* Porto Alegre */
    CHECK_STR(def, "EPSG:32722");
    CHECK_STR(name, "WGS 84 / UTM zone 22S");
    cc_free(def);
    cc_free(name);

    /* UTM grid exceptions: Bergen is in 32V, Longyearbyen in 33X. */
    CHECK_INT(cc_crs_working(ctx, "auto", 5.32, 60.39, &def, NULL), CC_OK);
    CHECK_STR(def, "EPSG:32632");
    cc_free(def);
    CHECK_INT(cc_crs_working(ctx, "auto", 15.6, 78.2, &def, NULL), CC_OK);
    CHECK_STR(def, "EPSG:32633");
    cc_free(def);
    /* Zone edges: 180E is zone 60, 180W zone 1. */
    CHECK_INT(cc_crs_working(ctx, "auto", 180.0, 10.0, &def, NULL), CC_OK);
    CHECK_STR(def, "EPSG:32660");
    cc_free(def);
    CHECK_INT(cc_crs_working(ctx, "auto", -180.0, 10.0, &def, NULL), CC_OK);
    CHECK_STR(def, "EPSG:32601");
    cc_free(def);

    /* CGCS2000 Gauss-Krueger accepted; its northing-first axes come out easting-first. */
    CHECK_INT(cc_crs_working(ctx, "EPSG:4547", WUHAN_LON, WUHAN_LAT, &def, &name), CC_OK);
    CHECK_STR(def, "EPSG:4547");
    CHECK_STR(name, "CGCS2000 / 3-degree Gauss-Kruger CM 114E");
    cc_crs_tx *tx = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4326", def, &tx), CC_OK);
    if (tx) {
        double x = WUHAN_LON, y = WUHAN_LAT;
        CHECK_INT(cc_crs_tx_apply(ctx, tx, 1, &x, &y), CC_OK);
        CHECK_NEAR(x, WUHAN_GK114_E, 1e-3);
        CHECK_NEAR(y, WUHAN_GK114_N, 1e-3);
    }
    cc_crs_tx_destroy(tx);
    cc_free(def);
    cc_free(name);

    /* A PROJ string without an authority code is returned as given. */
    const char *utm = "+proj=utm +zone=50 +datum=WGS84 +units=m";
    CHECK_INT(cc_crs_working(ctx, utm, 0, 0, &def, NULL), CC_OK);
    CHECK_STR(def, utm);
    cc_free(def);

    /* Not metric / not projected / not parsable / out of UTM range. */
    def = (char *)"x";
    CHECK_INT(cc_crs_working(ctx, "EPSG:4326", WUHAN_LON, WUHAN_LAT, &def, &name), CC_ERR_CRS);
    CHECK(def == NULL && name == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "working_crs 'EPSG:4326' is a geographic CRS (degrees)");
    CHECK_CONTAINS(cc_ctx_message(ctx), "must be a projected CRS in metres");
    CHECK_CONTAINS(cc_ctx_message(ctx), "working_crs: auto");
    CHECK_INT(cc_crs_working(ctx, "EPSG:2249", 0, 0, &def, &name), CC_ERR_CRS); /* US feet */
    CHECK_CONTAINS(cc_ctx_message(ctx), "is a projected CRS in US survey foot, but it must be");
    CHECK_INT(cc_crs_working(ctx, "EPSG:4978", 0, 0, &def, &name), CC_ERR_CRS); /* geocentric */
    CHECK_CONTAINS(cc_ctx_message(ctx), "not a projected CRS");
    CHECK_INT(cc_crs_working(ctx, "EPSG:999999", 0, 0, &def, &name), CC_ERR_CRS);
    CHECK_CONTAINS(cc_ctx_message(ctx), "working_crs 'EPSG:999999' is not a CRS PROJ understands");
    CHECK_INT(cc_crs_working(ctx, "auto", 10.0, 88.0, &def, &name), CC_ERR_CRS);
    CHECK_CONTAINS(cc_ctx_message(ctx), "UTM covers 80S to 84N");
    CHECK_INT(cc_crs_working(ctx, "auto", NAN, 30.0, &def, &name), CC_ERR_CRS);
    CHECK_CONTAINS(cc_ctx_message(ctx), "needs the data's centre in degrees");
    CHECK(strchr(cc_ctx_message(ctx), '\n') == NULL);
}

static void test_is_geographic(cc_ctx *ctx)
{
    int g = -1;
    CHECK_INT(cc_crs_is_geographic(ctx, "EPSG:4326", &g), CC_OK);
    CHECK_INT(g, 1);
    CHECK_INT(cc_crs_is_geographic(ctx, "EPSG:4490", &g), CC_OK); /* CGCS2000 */
    CHECK_INT(g, 1);
    CHECK_INT(cc_crs_is_geographic(ctx, "EPSG:32650", &g), CC_OK);
    CHECK_INT(g, 0);
    CHECK_INT(cc_crs_is_geographic(ctx, "EPSG:4547", &g), CC_OK);
    CHECK_INT(g, 0);
    CHECK_INT(cc_crs_is_geographic(ctx, "gcj02", &g), CC_OK);
    CHECK_INT(g, 1);
    CHECK_INT(cc_crs_is_geographic(ctx, "BD-09", &g), CC_OK);
    CHECK_INT(g, 1);
    CHECK_INT(cc_crs_is_geographic(ctx, "+proj=longlat +datum=WGS84", &g), CC_OK);
    CHECK_INT(g, 1);
    CHECK_INT(cc_crs_is_geographic(ctx, "+proj=utm +zone=50 +datum=WGS84", &g), CC_OK);
    CHECK_INT(g, 0);
    /* Compound (projected + vertical) and bound (+towgs84) CRSs classify by their horizontal
     * part. */
    CHECK_INT(cc_crs_is_geographic(ctx, "EPSG:32650+5773", &g), CC_OK);
    CHECK_INT(g, 0);
    CHECK_INT(cc_crs_is_geographic(ctx, "+proj=longlat +ellps=krass +towgs84=15,-130,-84", &g),
              CC_OK);
    CHECK_INT(g, 1);
    CHECK_INT(cc_crs_is_geographic(ctx, "wgs-84 please", &g), CC_ERR_CRS);
    CHECK_CONTAINS(cc_ctx_message(ctx), "CRS 'wgs-84 please' is not a CRS PROJ understands");
    CHECK_CONTAINS(cc_ctx_message(ctx), "crs: EPSG:4326");
    CHECK_INT(cc_crs_is_geographic(ctx, "", &g), CC_ERR_CRS);
    CHECK_CONTAINS(cc_ctx_message(ctx), "CRS is empty");
    CHECK_INT(cc_crs_is_geographic(ctx, "EPSG:5773", &g), CC_ERR_CRS); /* vertical only */
    CHECK_CONTAINS(cc_ctx_message(ctx), "neither geographic nor projected");
    /* An operation (UTM zone 50N as a conversion) is not a CRS. */
    CHECK_INT(cc_crs_is_geographic(ctx, "urn:ogc:def:coordinateOperation:EPSG::16050", &g),
              CC_ERR_CRS);
    CHECK_CONTAINS(cc_ctx_message(ctx), "coordinate operation, not a CRS");
}

/* GCJ02 -> EPSG:32650 equals gcj02_to_wgs84 followed by the PROJ transform; the other
 * directions and BD09 chain the same way. */
static void test_offset_chains(cc_ctx *ctx)
{
    const double glon[3] = {114.2949, 114.3055, 114.4012}, glat[3] = {30.5843, 30.5928, 30.5000};
    cc_crs_tx *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, "GCJ02", "EPSG:32650", &a), CC_OK);
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4326", "EPSG:32650", &b), CC_OK);
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:32650", "gcj-02", &c), CC_OK);
    CHECK_INT(cc_crs_tx_create(ctx, "bd09", "EPSG:4326", &d), CC_OK);
    if (!a || !b || !c || !d) goto done;
    double x1[3], y1[3], x2[3], y2[3];
    for (int i = 0; i < 3; i++) {
        x1[i] = glon[i];
        y1[i] = glat[i];
        cc_crs_gcj02_to_wgs84(glon[i], glat[i], &x2[i], &y2[i]);
    }
    CHECK_INT(cc_crs_tx_apply(ctx, a, 3, x1, y1), CC_OK);
    CHECK_INT(cc_crs_tx_apply(ctx, b, 3, x2, y2), CC_OK);
    for (int i = 0; i < 3; i++) {
        CHECK(x1[i] == x2[i]);
        CHECK(y1[i] == y2[i]);
        CHECK(x1[i] > 200000 && x1[i] < 300000); /* really projected */
    }
    /* Back to GCJ02 returns the start (PROJ round trip + iterated inverse). */
    CHECK_INT(cc_crs_tx_apply(ctx, c, 3, x1, y1), CC_OK);
    for (int i = 0; i < 3; i++) {
        CHECK_NEAR(x1[i], glon[i], 1e-8);
        CHECK_NEAR(y1[i], glat[i], 1e-8);
    }
    double bx = 114.3120, by = 30.5990, wx, wy;
    cc_crs_bd09_to_wgs84(bx, by, &wx, &wy);
    CHECK_INT(cc_crs_tx_apply(ctx, d, 1, &bx, &by), CC_OK);
    CHECK_NEAR(bx, wx, 1e-9);
    CHECK_NEAR(by, wy, 1e-9);
done:
    cc_crs_tx_destroy(a);
    cc_crs_tx_destroy(b);
    cc_crs_tx_destroy(c);
    cc_crs_tx_destroy(d);
}

static void test_bad_points_and_definitions(cc_ctx *ctx)
{
    cc_crs_tx *tx = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4326", "EPSG:32650", &tx), CC_OK);
    if (tx) {
        double x[3] = {114.0, 114.1, NAN}, y[3] = {30.0, 30.1, 30.2};
        CHECK_INT(cc_crs_tx_apply(ctx, tx, 3, x, y), CC_ERR_CRS);
        CHECK_CONTAINS(cc_ctx_message(ctx), "point 2 (null, 30.2) cannot be transformed from "
                                            "EPSG:4326 to EPSG:32650 (not a finite number)");
        /* Latitude 95 is outside the ellipsoid: PROJ refuses, we name the point as given. */
        double x2[2] = {114.0, 114.0}, y2[2] = {30.0, 95.0};
        CHECK_INT(cc_crs_tx_apply(ctx, tx, 2, x2, y2), CC_ERR_CRS);
        CHECK_CONTAINS(cc_ctx_message(ctx), "point 1 (114, 95) cannot be transformed");
        CHECK(strchr(cc_ctx_message(ctx), '\n') == NULL);
    }
    cc_crs_tx_destroy(tx);
    tx = (cc_crs_tx *)ctx; /* must be reset to NULL on failure */
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4326", "EPSG:0", &tx), CC_ERR_CRS);
    CHECK(tx == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "target CRS 'EPSG:0' is not a CRS PROJ understands");
    CHECK_INT(cc_crs_tx_create(ctx, "GCJ03", "EPSG:32650", &tx), CC_ERR_CRS);
    CHECK_CONTAINS(cc_ctx_message(ctx), "source CRS 'GCJ03'");
    CHECK_CONTAINS(cc_ctx_message(ctx), "crs: GCJ02 / BD09");
}

/* Many points across blocks: the block copy must not shift or drop any. */
static void test_many_points(cc_ctx *ctx)
{
    size_t n = 10007;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    cc_crs_tx *f = NULL, *b = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, "GCJ02", "EPSG:4547", &f), CC_OK);
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4547", "GCJ02", &b), CC_OK);
    if (!x || !y || !f || !b) goto done;
    for (size_t i = 0; i < n; i++) {
        x[i] = 114.0 + 0.5 * (double)(i % 101) / 101.0;
        y[i] = 30.3 + 0.4 * (double)(i / 101) / 100.0;
    }
    CHECK_INT(cc_crs_tx_apply(ctx, f, n, x, y), CC_OK);
    CHECK(x[0] > 400000 && x[0] < 600000);
    CHECK_INT(cc_crs_tx_apply(ctx, b, n, x, y), CC_OK);
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        worst = fmax(worst, fabs(x[i] - (114.0 + 0.5 * (double)(i % 101) / 101.0)));
        worst = fmax(worst, fabs(y[i] - (30.3 + 0.4 * (double)(i / 101) / 100.0)));
    }
    CHECK_NEAR(worst, 0, 1e-8);
done:
    cc_crs_tx_destroy(f);
    cc_crs_tx_destroy(b);
    free(x);
    free(y);
}

/* A transformer created on the main thread works on another one, and two threads with their own
 * transformers give identical results. */
typedef struct job {
    cc_ctx *ctx;
    cc_crs_tx *tx;
    double x[500], y[500];
    cc_status st;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 500; i++) {
        j->x[i] = 113.7 + 0.002 * i;
        j->y[i] = 30.2 + 0.001 * i;
    }
    j->st = cc_crs_tx_apply(j->ctx, j->tx, 500, j->x, j->y);
    return NULL;
}

static void test_threads(cc_ctx *ctx)
{
    static job jobs[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        jobs[i].ctx = ctx;
        CHECK_INT(cc_crs_tx_create(ctx, "GCJ02", "EPSG:32650", &jobs[i].tx), CC_OK);
    }
    for (int i = 0; i < 2; i++)
        CHECK_INT(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    CHECK_INT(jobs[0].st, CC_OK);
    CHECK_INT(jobs[1].st, CC_OK);
    CHECK(memcmp(jobs[0].x, jobs[1].x, sizeof jobs[0].x) == 0);
    CHECK(memcmp(jobs[0].y, jobs[1].y, sizeof jobs[0].y) == 0);
    CHECK(jobs[0].x[0] > 150000 && jobs[0].x[0] < 260000);
    for (int i = 0; i < 2; i++)
        cc_crs_tx_destroy(jobs[i].tx);
}

/* Every allocation failure on the way into a transformer is reported, not crashed on. */
static void test_out_of_memory(cc_ctx *ctx)
{
    int failures = 0;
    for (long k = 1; k <= 6; k++) {
        cc_crs_tx *tx = NULL;
        cc_ctx_set_alloc_fail(ctx, k);
        cc_status st = cc_crs_tx_create(ctx, "GCJ02", "EPSG:32650", &tx);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            double x = 114.3, y = 30.6;
            CHECK_INT(cc_crs_tx_apply(ctx, tx, 1, &x, &y), CC_OK);
            cc_crs_tx_destroy(tx);
            continue;
        }
        failures++;
        CHECK_INT(st, CC_ERR_NOMEM);
        CHECK(tx == NULL);
    }
    CHECK(failures >= 3);
    cc_crs_tx *tx = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, "EPSG:4326", "EPSG:32650", &tx), CC_OK);
    if (tx) {
        double x = 114.3, y = 30.6;
        cc_ctx_set_alloc_fail(ctx, 1);
        CHECK_INT(cc_crs_tx_apply(ctx, tx, 1, &x, &y), CC_ERR_NOMEM);
        cc_ctx_set_alloc_fail(ctx, 0);
    }
    cc_crs_tx_destroy(tx);
    cc_crs_tx_destroy(NULL);
}

int main(void)
{
    cc_ctx *ctx;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_utm_known_value_and_round_trip(ctx);
    test_other_definitions(ctx);
    test_working_crs(ctx);
    test_is_geographic(ctx);
    test_offset_chains(ctx);
    test_bad_points_and_definitions(ctx);
    test_many_points(ctx);
    test_threads(ctx);
    test_out_of_memory(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
