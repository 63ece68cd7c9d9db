/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Figures a planner reads per district (issue 13.5-13.7): a district the study area only
 * clips gets no district-wide verdict (met_partial_area / not_met_partial_area), unknown
 * capacities give unknown (NaN) capacity and per-1000 figures, never 0, and a city-wide
 * facility count is evaluated on the whole area only, saying so.
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <math.h>
#include <string.h>

/* A day-care record of the given metric and level (the fields the evaluation reads). */
static cc_target day_care_rec(cc_metric m, cc_cmp c, double v, cc_unit_level lvl)
{
    return (cc_target){.id = (char *)"t",
                       .metric = m,
                       .cmp = c,
                       .value = v,
                       .level = lvl,
                       .year = 2025,
                       .unit = (char *)"%",
                       .facility_type = (char *)"day_care",
                       .group = m == CC_METRIC_COVERAGE_SHARE ? (char *)"elderly" : NULL,
                       .denom_group = m == CC_METRIC_CAPACITY_PER_1000 ? (char *)"elderly" : NULL};
}

/* Evaluates n records against one table of nd districts (county level): *r (cc_free) holds
   the rows, their count is returned (0 on error). */
static size_t evaluate(cc_ctx *ctx, cc_target *t, size_t n, const cc_district_stats *units,
                       size_t nd, cc_target_result **r)
{
    cc_stats_table tab[] = {{"day_care", "elderly", units, NULL, 0}};
    cc_target_set set = {(char *)"t.yaml", t, n};
    size_t m = 0;
    *r = NULL;
    CHECK_INT(
        cc_analysis_targets_evaluate(ctx, &set, 1, tab, nd, nd ? CC_LEVEL_COUNTY : -1, 0, r, &m),
        CC_OK);
    return m;
}

/* Capacities: unknown everywhere, partly unknown, none needed (no facility). */
static void test_unknown_capacity(cc_ctx *ctx)
{
    /* d0: facilities 0 (NaN) and 1 (NaN): nothing known. d1: facility 2 (40) and 3 (NaN).
       d2: no facility. 100 people in each district. */
    int32_t pd[] = {0, 1, 2};
    double pop[] = {100, 100, 100};
    int32_t fd[] = {0, 0, 1, 1};
    double cap[] = {NAN, NAN, 40, NAN};
    cc_district_stats s[5];
    CHECK_INT(cc_analysis_districts(ctx, 3, 3, pd, pop, NULL, NULL, 15, 1000, 4, fd, cap, s),
              CC_OK);
    /* d0: capacity unknown (not 0), per 1000 unknown (not 0). */
    CHECK(isnan(s[0].capacity));
    CHECK(isnan(s[0].per_1000));
    CHECK_NEAR(s[0].capacity_known, 0, 0);
    CHECK_INT(s[0].n_fac_unknown, 2);
    /* d1: 40 known beds, one centre unknown: the sum of the known is 40, the per-1000 figure
       (which 40 / 100 * 1000 = 400 would understate) is unknown. */
    CHECK_NEAR(s[1].capacity, 40, 0);
    CHECK_NEAR(s[1].capacity_known, 40, 0);
    CHECK(isnan(s[1].per_1000));
    /* d2: no facility is a known zero. */
    CHECK_NEAR(s[2].capacity, 0, 0);
    CHECK_NEAR(s[2].per_1000, 0, 0);
    /* Without any capacity (no capacity field: every one NaN) the whole area is unknown. */
    double none[] = {NAN, NAN, NAN, NAN};
    CHECK_INT(cc_analysis_districts(ctx, 3, 3, pd, pop, NULL, NULL, 15, 1000, 4, fd, none, s),
              CC_OK);
    CHECK(isnan(s[4].capacity));
    CHECK(isnan(s[4].per_1000));
    CHECK_NEAR(s[2].per_1000, 0, 0);

    /* Targets on capacity per 1000 with unknown capacities (d1: 40 known per 100 people =
       400 per 1000 at least). */
    CHECK_INT(cc_analysis_districts(ctx, 3, 3, pd, pop, NULL, NULL, 15, 1000, 4, fd, cap, s),
              CC_OK);
    cc_target t[3] = {
        /* >= 300: the known 400 already reach it: met, the value itself unknown. */
        day_care_rec(CC_METRIC_CAPACITY_PER_1000, CC_CMP_GE, 300, CC_LEVEL_COUNTY),
        /* >= 500: the known 400 do not decide it: not evaluated, capacity unknown. */
        day_care_rec(CC_METRIC_CAPACITY_PER_1000, CC_CMP_GE, 500, CC_LEVEL_COUNTY),
        /* <= 300: the known 400 already exceed it: not met. */
        day_care_rec(CC_METRIC_CAPACITY_PER_1000, CC_CMP_LE, 300, CC_LEVEL_COUNTY),
    };
    cc_target_result *r = NULL;
    size_t n = evaluate(ctx, t, 3, s, 3, &r);
    CHECK_INT(n, 9);
    if (n == 9) {
        /* d0 (nothing known, 0 per 1000 at least): >= 300 undecided. */
        CHECK_INT(r[0].status, CC_TARGET_NOT_EVALUATED);
        CHECK_STR(r[0].note, "capacity unknown: none of the unit's 2 facilities has a capacity");
        CHECK_INT(r[1].status, CC_TARGET_MET);
        CHECK(isnan(r[1].value));
        CHECK_NEAR(r[1].need, 0, 0);
        CHECK_STR(r[1].note, "met: at least 400 >= 300 from the facilities of known capacity; "
                             "1 of 2 have none (value unknown)");
        /* d2 has no facility: a known 0 per 1000, not met, needs 30 beds. */
        CHECK_INT(r[2].status, CC_TARGET_NOT_MET);
        CHECK_NEAR(r[2].value, 0, 0);
        CHECK_NEAR(r[2].need, 30, 0);
        CHECK_INT(r[4].status, CC_TARGET_NOT_EVALUATED);
        CHECK(isnan(r[4].value));
        CHECK_CONTAINS(r[4].note, "the others give 400 per 1000, a lower bound");
        CHECK_INT(r[6].status, CC_TARGET_NOT_EVALUATED); /* d0: 0 <= 300 decides nothing */
        CHECK_INT(r[7].status, CC_TARGET_NOT_MET);
        CHECK(isnan(r[7].value));
        CHECK_CONTAINS(r[7].note, "not met: at least 400 <= 300");
    }
    cc_free(r);
}

/* A district with 3 % of its area in the study area: no district-wide verdict. */
static void test_partial(cc_ctx *ctx)
{
    cc_district_stats s[4];
    memset(s, 0, sizeof s);
    /* d0: 500 km2, 15 km2 analysed (3 %); d1: 10 km2, 9.6 analysed (96 %: whole). */
    s[0].population = 100, s[0].covered_net = 20, s[0].served = 20, s[0].n_fac = 1;
    s[0].capacity = 10;
    s[0].capacity_known = 10, s[0].per_1000 = 100;
    s[0].area_m2 = 500e6, s[0].analysed_m2 = 15e6;
    s[1] = s[0];
    s[1].area_m2 = 10e6, s[1].analysed_m2 = 9.6e6;
    s[3] = s[0]; /* the whole area */
    s[3].population = 200, s[3].covered_net = 40, s[3].served = 40;
    s[3].area_m2 = s[3].analysed_m2 = 24.6e6;
    CHECK(cc_district_partial(&s[0]));
    CHECK(!cc_district_partial(&s[1]));
    CHECK(!cc_district_partial(&s[2])); /* area unknown (0): never partial */
    CHECK(!cc_district_partial(&s[3]));
    cc_district_stats edge = s[1];
    edge.analysed_m2 = 0.95 * edge.area_m2;
    CHECK(!cc_district_partial(&edge));
    edge.analysed_m2 = 0.9499 * edge.area_m2;
    CHECK(cc_district_partial(&edge));

    cc_target t[2] = {day_care_rec(CC_METRIC_COVERAGE_SHARE, CC_CMP_GE, 50, CC_LEVEL_COUNTY),
                      day_care_rec(CC_METRIC_COVERAGE_SHARE, CC_CMP_GE, 10, CC_LEVEL_COUNTY)};
    cc_target_result *r = NULL;
    size_t n = evaluate(ctx, t, 2, s, 2, &r);
    CHECK_INT(n, 4);
    if (n == 4) {
        /* d0: 20 of 100 = 20 % < 50 % on 3 % of the district: not a district verdict. */
        CHECK_INT(r[0].status, CC_TARGET_NOT_MET_PARTIAL);
        CHECK_STR(cc_target_status_name(r[0].status), "not_met_partial_area");
        CHECK_NEAR(r[0].value, 20, 1e-12);
        CHECK_NEAR(r[0].need, 30, 0);
        CHECK_STR(r[0].note, "only 3% of the district (15 km2) lies in the study area; for that "
                             "part: needs 30 more people to bring within reach");
        /* d1 (96 % analysed): an ordinary verdict. */
        CHECK_INT(r[1].status, CC_TARGET_NOT_MET);
        CHECK_STR(r[1].note, "needs 30 more people to bring within reach");
        CHECK_INT(r[2].status, CC_TARGET_MET_PARTIAL);
        CHECK_STR(cc_target_status_name(r[2].status), "met_partial_area");
        CHECK_INT(r[3].status, CC_TARGET_MET);
    }
    cc_free(r);
}

/* A city-wide count (at least 30 centres) stays a whole-area figure, and says so. */
static void test_city_count(cc_ctx *ctx)
{
    cc_district_stats s[4];
    memset(s, 0, sizeof s);
    s[0].n_fac = 2, s[1].n_fac = 3, s[3].n_fac = 5;
    cc_target t = day_care_rec(CC_METRIC_FACILITY_COUNT, CC_CMP_GE, 30, CC_LEVEL_CITY);
    cc_target_result *r = NULL;
    size_t n = evaluate(ctx, &t, 1, s, 2, &r);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(r[0].unit, -1);
        CHECK_NEAR(r[0].value, 5, 0);
        CHECK_NEAR(r[0].need, 25, 0);
        CHECK_STR(r[0].note, "needs 25 more day_care facilities (a city-wide count: not divided "
                             "among the districts)");
    }
    cc_free(r);
    /* Without districts there is nothing to divide among: the plain note (the whole area is
       slot 1 of a table without districts). */
    cc_district_stats w[2];
    memset(w, 0, sizeof w);
    w[1].n_fac = 5;
    n = evaluate(ctx, &t, 1, w, 0, &r);
    CHECK_INT(n, 1);
    if (n == 1) CHECK_STR(r[0].note, "needs 25 more day_care facilities");
    cc_free(r);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx)) return 1;
    test_unknown_capacity(ctx);
    test_partial(ctx);
    test_city_count(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
