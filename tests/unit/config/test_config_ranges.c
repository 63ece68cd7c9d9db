/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario numbers in a sensible range at parse time (issue 14 item 10): tiny values that print
 * as 0 (4.9e-324), huge ones that overflow later (1e308), thresholds that would print alike,
 * each refused with file:line:col and the key's name; the values at the edges of each range
 * still accepted. Runs in tests/fixtures/scenarios like test_config.c.
 */
#include "carecircle/config.h"
#include "cc_test.h"

#include <stdlib.h>
#include <unistd.h>

static cc_ctx *ctx;

static cc_status parse(const char *text, cc_scenario **out)
{
    return cc_scenario_parse(ctx, "scenario.yaml", text, strlen(text), NULL, 0, out);
}

/* Parse must fail as CC_ERR_SCENARIO with exactly msg. */
static void expect_error(int line, const char *text, const char *msg)
{
    cc_scenario *sc = NULL;
    cc_status got = parse(text, &sc);
    if (got != CC_ERR_SCENARIO || sc || strcmp(cc_ctx_message(ctx), msg) != 0) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL: status %s, message\n  got:  %s\n  want: %s\n", __FILE__, line,
                cc_status_name(got), cc_ctx_message(ctx), msg);
    } else {
        cc_test_pass++;
    }
    cc_scenario_destroy(sc);
}
#define EXPECT(text, msg) expect_error(__LINE__, text, msg)

/* Parse must succeed; returns the scenario (caller destroys) or NULL after a failure. */
static cc_scenario *expect_ok(int line, const char *text)
{
    cc_scenario *sc = NULL;
    if (parse(text, &sc) != CC_OK) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL: refused: %s\n", __FILE__, line, cc_ctx_message(ctx));
        return NULL;
    }
    cc_test_pass++;
    return sc;
}
#define EXPECT_OK(text) expect_ok(__LINE__, text)

/* Lines 1-8 valid; line 9 and on are the case under test. */
#define BASE                                                                                       \
    "name: t\n"                                                                                    \
    "demand:\n"                                                                                    \
    "  elderly: {source: data/pop60plus_a.tif}\n"                                                  \
    "  infants: {source: data/census.gpkg, count_field: n}\n"                                      \
    "facilities:\n"                                                                                \
    "  day_care:\n"                                                                                \
    "    source: data/day_care.geojson\n"                                                          \
    "    serves: elderly\n"

static void test_thresholds(void)
{
    /* The case: a subnormal threshold was > 0 and printed as 0. */
    EXPECT(BASE "thresholds_min: [4.9e-324]\n",
           "scenario.yaml:9:18: thresholds_min[0] is 4.94066e-324 minutes; a threshold must be at "
           "least 1 minute (thresholds are minutes, not hours or seconds), e.g. 15");
    EXPECT(BASE "    threshold_min: 0.25\n",
           "scenario.yaml:9:20: facilities.day_care.threshold_min is 0.25 minutes; a threshold "
           "must be at least 1 minute (thresholds are minutes, not hours or seconds), e.g. 15");
    /* Two thresholds that print alike at the outputs' 3 decimals. */
    EXPECT(BASE "thresholds_min: [10, 10.0001]\n",
           "scenario.yaml:9:22: thresholds_min[1] is 10.0001; give at most 3 decimals (outputs "
           "write minutes to 0.001, so more would print as 10), e.g. 12.5");
    /* The edges stay valid: 1 minute, 3 decimals, 240 minutes. */
    cc_scenario *sc = EXPECT_OK(BASE "thresholds_min: [1, 12.125, 240]\n");
    if (sc) {
        CHECK_INT(sc->n_thresholds, 4); /* with day_care's default 15 */
        CHECK_NEAR(sc->thresholds_min[0], 1, 0);
        CHECK_NEAR(sc->thresholds_min[1], 12.125, 0);
        CHECK_NEAR(sc->thresholds_min[3], 240, 0);
    }
    cc_scenario_destroy(sc);
}

static void test_scales_and_speeds(void)
{
    /* The case: scale 1e308 failed late as "population ... not finite". */
    EXPECT(
        "name: t\ndemand:\n  elderly: {source: data/census.gpkg, count_field: n, scale: 1e308}\n",
        "scenario.yaml:3:62: demand.elderly.scale is 1e+308; it must be at least 1e-06 and at "
        "most 1000000 (it multiplies the counts: 1 = as they are, 1.3 = 30% more)");
    EXPECT("name: t\ndemand:\n  elderly: {source: data/census.gpkg, count_field: n, "
           "scale: 4.9e-324}\n",
           "scenario.yaml:3:62: demand.elderly.scale is 4.94066e-324; it must be at least 1e-06 "
           "and at most 1000000 (it multiplies the counts: 1 = as they are, 1.3 = 30% more)");
    EXPECT(BASE "    speed_kmh: 1e-300\n",
           "scenario.yaml:9:16: facilities.day_care.speed_kmh is 1e-300; it must be at least 0.5 "
           "and at most 200 km/h; remove the key to use the network's speed");
    EXPECT(BASE "network: {source: data/roads.geojson, speed_kmh: 0.001}\n",
           "scenario.yaml:9:50: network.speed_kmh is 0.001; it must be 0 or between 0.5 and 200 "
           "km/h (0 = the mode's default speed)");
    EXPECT(BASE "network:\n  source: data/roads.geojson\n  profile:\n    classes:\n"
                "      steps: {factor: 1e-9}\n",
           "scenario.yaml:13:23: network.profile.classes.steps.factor is 1e-09; it must be at "
           "least 0.01 and at most 100 (it multiplies the travel time; 1 = unchanged)");
    EXPECT(BASE "    radius_m: 0.5\n",
           "scenario.yaml:9:15: facilities.day_care.radius_m is 0.5; it must be at least 1 and at "
           "most 100000 m; remove the key to use speed x threshold");
    EXPECT(BASE "network: {source: data/roads.geojson, max_snap_m: 1e9}\n",
           "scenario.yaml:9:51: network.max_snap_m is 1000000000; it must be at least 1 and at "
           "most 100000 m");
    EXPECT(BASE "    capacity_per_1000: 1e-12\n",
           "scenario.yaml:9:24: facilities.day_care.capacity_per_1000 is 1e-12; it must be 0 or "
           "between 0.001 and 1000000 per 1000 people; it is the capacity needed per 1000 served "
           "people");
    /* Values inside the ranges still pass, 0 where 0 means "default". */
    cc_scenario *sc = EXPECT_OK(BASE "    speed_kmh: 0.5\n    radius_m: 1\n"
                                     "network: {source: data/roads.geojson, speed_kmh: 0}\n");
    if (sc) {
        CHECK_NEAR(sc->facilities[0].speed_kmh, 0.5, 0);
        CHECK_NEAR(sc->facilities[0].radius_m, 1, 0);
    }
    cc_scenario_destroy(sc);
}

static void test_siting_and_targets(void)
{
    EXPECT(BASE "siting: {facility: day_care, capacity: 1e-300}\n",
           "scenario.yaml:9:40: siting.capacity is 1e-300; it must be 0 or between 0.001 and "
           "1000000000 units; it is the beds or slots of each new site");
    EXPECT(BASE "siting: {facility: day_care, count: 0, target_share: 1e-9}\n",
           "scenario.yaml:9:54: siting.target_share is 1e-09; it must be at least 0.001 and at "
           "most 1; write a share such as 0.9 for 90%");
    EXPECT(BASE "siting:\n  facility: day_care\n  candidates: {source: data/day_care.geojson}\n"
                "  matrix: {source: data/childcare.csv, unit: min, cutoff: 1e12}\n",
           "scenario.yaml:12:59: siting.matrix.cutoff is 1e+12; it must be at least 0.1 "
           "and at most 1440 min (in the matrix's unit)");
    EXPECT(BASE "target_year: 5\n",
           "scenario.yaml:9:14: target_year is 5; it must be 0 or between 1900 and 2100; give a "
           "year such as 2025, or 0 for every year");
    cc_scenario *sc = EXPECT_OK(BASE "target_year: 2025\nsiting: {facility: day_care, capacity: 0, "
                                     "target_share: 0.9}\n");
    if (sc) {
        CHECK_INT(sc->target_year, 2025);
        CHECK_NEAR(sc->siting.target_share, 0.9, 0);
    }
    cc_scenario_destroy(sc);
}

int main(void)
{
    if (chdir(CC_FIXTURES "/scenarios") != 0) {
        perror(CC_FIXTURES "/scenarios");
        return 1;
    }
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_thresholds();
    test_scales_and_speeds();
    test_siting_and_targets();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
