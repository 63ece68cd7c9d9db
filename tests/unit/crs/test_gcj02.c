/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GCJ-02 / BD-09 offsets against coordinate pairs published by other projects, plus round trips
 * over a grid covering China and identity outside China.
 */
#include "carecircle/crs.h"
#include "cc_test.h"

/* Ground distance in metres between two nearby lon/lat points (equirectangular, WGS 84 radii). */
static double dist_m(double lon1, double lat1, double lon2, double lat2)
{
    double rad = 3.14159265358979323846 / 180.0;
    double dx = (lon2 - lon1) * rad * 6378137.0 * cos(0.5 * (lat1 + lat2) * rad);
    double dy = (lat2 - lat1) * rad * 6367449.0;
    return sqrt(dx * dx + dy * dy);
}

typedef struct ref_pair {
    const char *where;
    double wgs_lon, wgs_lat;
    double gcj_lon, gcj_lat;
    double bd_lon, bd_lat; /* NAN when the source gives no BD-09 value */
} ref_pair;

/*
 * Published WGS-84 -> GCJ-02 pairs computed with the published formula:
 * [E] googollee/eviltransform, go/transform_test.go (test table "tests": shanghai, shenzhen,
 *     beijing), github.com/googollee/eviltransform.
 * [W] wandergis/coordtransform, test/app.js ("wgs84togcj02: [116.41024449916938,
 *     39.91640428150164]" for 116.404, 39.915), github.com/wandergis/coordtransform.
 * [C] cuihw/collection, app/src/test/java/com/data/collection/util/PositionUtilTest.java
 *     (gps84_To_Gcj02 of 113.647881, 34.829793 in Zhengzhou), github.com/cuihw/collection.
 */
static const ref_pair FORMULA_PAIRS[] = {
    {"Shanghai [E]", 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597, NAN, NAN},
    {"Shenzhen [E]", 113.912316, 22.543847, 113.9171764808363, 22.540796131694766, NAN, NAN},
    {"Beijing [E]", 116.377817, 39.911954, 116.38404722455657, 39.91334545536069, NAN, NAN},
    {"Beijing [W]", 116.404, 39.915, 116.41024449916938, 39.91640428150164, NAN, NAN},
    {"Zhengzhou [C]", 113.647881, 34.829793, 113.65396374215176, 34.8287280094783, NAN, NAN},
};

/*
 * [G] hujiulong/gcoord, test/fixtures/china-cities.json, github.com/hujiulong/gcoord: WGS84,
 *     GCJ02 and BD09 of city centres across China, 7 decimals (~1 cm). Its GCJ02 and BD09 agree
 *     with the BD-09 formula to millimetres, but its WGS84 column sits a systematic ~0.67 m
 *     (about -5e-6 deg lon, -4e-6 deg lat) away from the published GCJ-02 formula at every city,
 *     so WGS84 <-> GCJ02 is asserted within 1 m here (the formula pairs above pin 0.5 m).
 */
static const ref_pair CITY_PAIRS[] = {
    {"Ezhou, Hubei (Wuhan area)", 114.8898012, 30.3946322, 114.8948492, 30.3919431, 114.9014563,
     30.397616},
    {"Jingmen, Hubei", 112.1935849, 31.0376011, 112.1994301, 31.0354012, 112.2058231, 31.0417338},
    {"Yichang, Hubei", 111.2808211, 30.6944096, 111.2864741, 30.6919691, 111.2930248, 30.6977103},
    {"Shenzhen Futian", 114.0527534, 22.5458236, 114.0578659, 22.5431014, 114.064418, 22.5487584},
    {"Chengdu", 104.0640437, 30.5747262, 104.0665489, 30.5722732, 104.0730134, 30.5783237},
    {"Chongqing", 106.5478343, 29.565849, 106.5515641, 29.563013, 106.5579989, 29.5693061},
    {"Changchun", 125.3170587, 43.8146335, 125.3235533, 43.8170782, 125.3301537, 43.8228384},
    {"Lhasa", 91.1706414, 29.655277, 91.1721167, 29.6524954, 91.1786184, 29.6585294},
    {"Aksu, Xinjiang", 80.2584377, 41.1677969, 80.2606106, 41.1687815, 80.2670534, 41.1749125},
    {"Jixi, Heilongjiang", 130.9619049, 45.292929, 130.9693362, 45.2950784, 130.9759563,
     45.3007468},
    {"Zhumadian, Henan", 114.0164322, 33.0133556, 114.022306, 33.0115324, 114.0287781, 33.0176697},
};

static void check_pair(const ref_pair *p, double fwd_tol_m, double inv_tol_m)
{
    double lon, lat;
    cc_crs_wgs84_to_gcj02(p->wgs_lon, p->wgs_lat, &lon, &lat);
    double fwd = dist_m(lon, lat, p->gcj_lon, p->gcj_lat);
    CC__REPORT(fwd <= fwd_tol_m, "%s: WGS84->GCJ02 is %.3f m from the published value", p->where,
               fwd);
    cc_crs_gcj02_to_wgs84(p->gcj_lon, p->gcj_lat, &lon, &lat);
    double inv = dist_m(lon, lat, p->wgs_lon, p->wgs_lat);
    CC__REPORT(inv <= inv_tol_m, "%s: GCJ02->WGS84 is %.3f m from the published value", p->where,
               inv);
    if (isnan(p->bd_lon)) return;
    cc_crs_gcj02_to_bd09(p->gcj_lon, p->gcj_lat, &lon, &lat);
    double bfwd = dist_m(lon, lat, p->bd_lon, p->bd_lat);
    CC__REPORT(bfwd <= 0.5, "%s: GCJ02->BD09 is %.3f m from the published value", p->where, bfwd);
    cc_crs_bd09_to_gcj02(p->bd_lon, p->bd_lat, &lon, &lat);
    double binv = dist_m(lon, lat, p->gcj_lon, p->gcj_lat);
    CC__REPORT(binv <= 1.0, "%s: BD09->GCJ02 is %.3f m from the published value", p->where, binv);
    cc_crs_wgs84_to_bd09(p->wgs_lon, p->wgs_lat, &lon, &lat);
    double wb = dist_m(lon, lat, p->bd_lon, p->bd_lat);
    CC__REPORT(wb <= fwd_tol_m, "%s: WGS84->BD09 is %.3f m from the published value", p->where, wb);
    cc_crs_bd09_to_wgs84(p->bd_lon, p->bd_lat, &lon, &lat);
    double bw = dist_m(lon, lat, p->wgs_lon, p->wgs_lat);
    CC__REPORT(bw <= inv_tol_m, "%s: BD09->WGS84 is %.3f m from the published value", p->where, bw);
}

static void test_published_pairs(void)
{
    for (size_t i = 0; i < sizeof FORMULA_PAIRS / sizeof FORMULA_PAIRS[0]; i++)
        check_pair(&FORMULA_PAIRS[i], 0.5, 1.0);
    for (size_t i = 0; i < sizeof CITY_PAIRS / sizeof CITY_PAIRS[0]; i++)
        check_pair(&CITY_PAIRS[i], 1.0, 1.0);
    /* The formula pairs agree far better than 0.5 m: to a few millimetres at most (they were
     * printed with 13-17 digits). */
    for (size_t i = 0; i < sizeof FORMULA_PAIRS / sizeof FORMULA_PAIRS[0]; i++) {
        const ref_pair *p = &FORMULA_PAIRS[i];
        double lon, lat;
        cc_crs_wgs84_to_gcj02(p->wgs_lon, p->wgs_lat, &lon, &lat);
        CHECK(dist_m(lon, lat, p->gcj_lon, p->gcj_lat) < 0.005);
        cc_crs_gcj02_to_wgs84(p->gcj_lon, p->gcj_lat, &lon, &lat);
        CHECK(dist_m(lon, lat, p->wgs_lon, p->wgs_lat) < 0.005);
    }
    /* [W] also publishes gcj02tobd09(116.404, 39.915) = [116.41036949371029, 39.92133699351021]
     * (the forward formula, so it must agree to rounding) and bd09togcj02(116.404, 39.915) =
     * [116.39762729119315, 39.90865673957631] from the one-step closed form, which our iterated
     * inverse improves on by a fraction of a metre. */
    double lon, lat;
    cc_crs_gcj02_to_bd09(116.404, 39.915, &lon, &lat);
    CHECK_NEAR(lon, 116.41036949371029, 1e-12);
    CHECK_NEAR(lat, 39.92133699351021, 1e-12);
    cc_crs_bd09_to_gcj02(116.404, 39.915, &lon, &lat);
    CHECK(dist_m(lon, lat, 116.39762729119315, 39.90865673957631) < 1.0);
    CHECK(dist_m(lon, lat, 116.39762729119315, 39.90865673957631) > 0.01);
    /* [W] forward value to the last digits: the same formula in the same order. */
    cc_crs_wgs84_to_gcj02(116.404, 39.915, &lon, &lat);
    CHECK_NEAR(lon, 116.41024449916938, 1e-11);
    CHECK_NEAR(lat, 39.91640428150164, 1e-11);
}

/* Forward(inverse(p)) == p to 1e-9 deg and inverse(forward(p)) == p to 1e-7 deg everywhere in
 * China, for GCJ-02 and BD-09. */
static void test_round_trips(void)
{
    double worst_gcj = 0, worst_gcj_back = 0, worst_bd = 0, worst_bd_back = 0;
    size_t n = 0;
    for (double lon = 73.0; lon <= 135.0; lon += 0.37) {
        for (double lat = 3.9; lat <= 53.5; lat += 0.29) {
            double a, b, c, d;
            cc_crs_gcj02_to_wgs84(lon, lat, &a, &b);
            cc_crs_wgs84_to_gcj02(a, b, &c, &d);
            worst_gcj = fmax(worst_gcj, fmax(fabs(c - lon), fabs(d - lat)));
            cc_crs_wgs84_to_gcj02(lon, lat, &a, &b);
            cc_crs_gcj02_to_wgs84(a, b, &c, &d);
            worst_gcj_back = fmax(worst_gcj_back, fmax(fabs(c - lon), fabs(d - lat)));
            cc_crs_bd09_to_gcj02(lon, lat, &a, &b);
            cc_crs_gcj02_to_bd09(a, b, &c, &d);
            worst_bd = fmax(worst_bd, fmax(fabs(c - lon), fabs(d - lat)));
            cc_crs_wgs84_to_bd09(lon, lat, &a, &b);
            cc_crs_bd09_to_wgs84(a, b, &c, &d);
            worst_bd_back = fmax(worst_bd_back, fmax(fabs(c - lon), fabs(d - lat)));
            n++;
        }
    }
    CHECK(n > 25000);
    CHECK_NEAR(worst_gcj, 0, 1e-9);
    CHECK_NEAR(worst_gcj_back, 0, 1e-7);
    CHECK_NEAR(worst_bd, 0, 1e-9);
    CHECK_NEAR(worst_bd_back, 0, 1e-7);
}

static void test_outside_china(void)
{
    CHECK_INT(cc_crs_in_china(114.3, 30.6), 1);
    CHECK_INT(cc_crs_in_china(2.35, 48.85), 0);   /* Paris */
    CHECK_INT(cc_crs_in_china(139.69, 35.69), 0); /* Tokyo: east of the rectangle */
    CHECK_INT(cc_crs_in_china(-51.2, -30.03), 0); /* Porto Alegre */
    CHECK_INT(cc_crs_in_china(100.5, 0.5), 0);    /* south of the rectangle */
    const double pts[][2] = {{2.35, 48.85}, {139.69, 35.69}, {-51.2, -30.03}, {37.6, 55.75}};
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        double lon, lat;
        cc_crs_wgs84_to_gcj02(pts[i][0], pts[i][1], &lon, &lat);
        CHECK(lon == pts[i][0] && lat == pts[i][1]);
        cc_crs_gcj02_to_wgs84(pts[i][0], pts[i][1], &lon, &lat);
        CHECK(lon == pts[i][0] && lat == pts[i][1]);
    }
    /* Inside China the shift is a few hundred metres, never zero. */
    double lon, lat;
    cc_crs_wgs84_to_gcj02(114.3, 30.6, &lon, &lat);
    double d = dist_m(114.3, 30.6, lon, lat);
    CHECK(d > 100.0 && d < 1000.0);
}

static void test_offset_kind(void)
{
    CHECK_INT(cc_crs_offset_kind("GCJ02"), CC_CRS_GCJ02);
    CHECK_INT(cc_crs_offset_kind("gcj-02"), CC_CRS_GCJ02);
    CHECK_INT(cc_crs_offset_kind(" Gcj02 "), CC_CRS_GCJ02);
    CHECK_INT(cc_crs_offset_kind("BD09"), CC_CRS_BD09);
    CHECK_INT(cc_crs_offset_kind("bd-09"), CC_CRS_BD09);
    CHECK_INT(cc_crs_offset_kind("BD09MC"), CC_CRS_PLAIN);
    CHECK_INT(cc_crs_offset_kind("EPSG:4326"), CC_CRS_PLAIN);
    CHECK_INT(cc_crs_offset_kind(NULL), CC_CRS_PLAIN);
}

int main(void)
{
    test_published_pairs();
    test_round_trips();
    test_outside_china();
    test_offset_kind();
    return cc_test_done();
}
