/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Coverage curve, per-district tallies (hand values and totals = sums of points) and the
 * evaluation of target records with hand-computed values, statuses and shortfalls.
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <stdlib.h>

static void test_curve(cc_ctx *ctx)
{
    double w[] = {10, 20, 30, 40}, t[] = {0, 2.5, 3, INFINITY}, share[5], cov[5];
    CHECK_INT(cc_analysis_curve(ctx, 4, w, t, 5, NULL, share, cov), CC_OK);
    /* 0 min: 10; 1: 10; 2: 10; 3: 10+20+30 = 60; 4: 60; the unreachable 40 stays in the 100. */
    const double want[5] = {0.1, 0.1, 0.1, 0.6, 0.6};
    for (int s = 0; s < 5; s++)
        CHECK_NEAR(share[s], want[s], 1e-15);
    CHECK_NEAR(cov[3], 60, 0);
    /* Circle: 0, 100, 200 m, INF at 4 km/h (66.667 m/min) -> 0, 1.5, 3, INF minutes. */
    double d[] = {0, 100, 200, INFINITY}, cm[4];
    CHECK_INT(cc_analysis_circle_minutes(ctx, 4, d, 4.0, cm), CC_OK);
    CHECK_NEAR(cm[1], 1.5, 1e-12);
    CHECK(isinf(cm[3]));
    CHECK_INT(cc_analysis_curve(ctx, 4, w, cm, 5, NULL, share, NULL), CC_OK);
    const double wc[5] = {0.1, 0.1, 0.3, 0.6, 0.6};
    for (int s = 0; s < 5; s++)
        CHECK_NEAR(share[s], wc[s], 1e-15);
    double steps[] = {1.5, 10};
    CHECK_INT(cc_analysis_curve(ctx, 4, w, cm, 2, steps, share, cov), CC_OK);
    CHECK_NEAR(cov[0], 30, 0);
    CHECK_NEAR(share[1], 0.6, 1e-15);
    double zero[] = {0, 0, 0, 0};
    CHECK_INT(cc_analysis_curve(ctx, 4, zero, cm, 2, steps, share, NULL), CC_OK);
    CHECK(isnan(share[0]));
    double bad[] = {5, 5};
    CHECK_INT(cc_analysis_curve(ctx, 4, w, cm, 2, bad, share, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "ascending");
    CHECK_INT(cc_analysis_circle_minutes(ctx, 4, d, 0, cm), CC_ERR_INVALID);
}

/* Shared by the district and target tests: 3 districts, 7 points, 5 facilities. */
static cc_district_stats day_care[5];

static void test_districts(cc_ctx *ctx)
{
    int32_t pd[] = {0, 0, 1, -1, 2, 1, 0};
    double pop[] = {10, 20, 30, 40, 50, 60, NAN};
    double net[] = {5, 20, 10, 1, INFINITY, 15, 1};
    double circ[] = {500, 900, 1200, 100, INFINITY, 300, 0};
    int32_t fd[] = {0, 1, 1, -1, 2};
    double cap[] = {10, NAN, 5, 7, 3};
    cc_district_stats *s = day_care;
    CHECK_INT(cc_analysis_districts(ctx, 3, 7, pd, pop, net, circ, 15, 1000, 5, fd, cap, s), CC_OK);
    /* d0: p0 (10, net 5, circle 500) + p1 (20, net 20, circle 900); p6 has no count. */
    CHECK_NEAR(s[0].population, 30, 0);
    CHECK_NEAR(s[0].covered_net, 10, 0);
    CHECK_NEAR(s[0].covered_circle, 30, 0);
    CHECK_INT(s[0].n_fac, 1);
    CHECK_NEAR(s[0].capacity, 10, 0);
    CHECK_NEAR(s[0].per_1000, 10000.0 / 30, 1e-12);
    /* d1: p2 (30, net 10, circle 1200) + p5 (60, net 15 inclusive, circle 300). */
    CHECK_NEAR(s[1].population, 90, 0);
    CHECK_NEAR(s[1].covered_net, 90, 0);
    CHECK_NEAR(s[1].covered_circle, 60, 0);
    CHECK_INT(s[1].n_fac, 2);
    CHECK_INT(s[1].n_fac_unknown, 1);
    CHECK_NEAR(s[1].capacity, 5, 0);
    /* d2: p4 unreachable. Outside: p3 and facility 3. Whole area: the sums. */
    CHECK_NEAR(s[2].population, 50, 0);
    CHECK_NEAR(s[2].covered_net, 0, 0);
    CHECK_NEAR(s[3].population, 40, 0);
    CHECK_NEAR(s[3].covered_circle, 40, 0);
    CHECK_NEAR(s[3].capacity, 7, 0);
    CHECK_NEAR(s[4].population, 210, 0);
    CHECK_NEAR(s[4].covered_net, 140, 0);
    CHECK_NEAR(s[4].covered_circle, 130, 0);
    CHECK_INT(s[4].n_fac, 5);
    CHECK_NEAR(s[4].capacity, 25, 0);
    /* Facility 1's capacity is unknown: the per-1000 figure of d1 and of the whole area is
       unknown (NaN), not 25000 / 210 from the known ones; d0 keeps its figure. */
    CHECK(isnan(s[1].per_1000));
    CHECK(isnan(s[4].per_1000));
    CHECK_NEAR(s[4].capacity_known, 25, 0);
    int32_t bad[] = {0, 0, 3, -1, 2, 1, 0};
    cc_district_stats tmp[5];
    CHECK_INT(cc_analysis_districts(ctx, 3, 7, bad, pop, net, circ, 15, 1000, 0, NULL, NULL, tmp),
              CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "demand point 2 has district 3 of 3");
}

static void test_district_sums(cc_ctx *ctx)
{
    enum { N = 2000, ND = 7 };
    static int32_t pd[N];
    static double pop[N], net[N], circ[N];
    cc_district_stats s[ND + 2];
    srand(3);
    for (int i = 0; i < N; i++) {
        pd[i] = rand() % (ND + 1) - 1;
        pop[i] = rand() % 10000 / 7.0;
        net[i] = rand() % 40;
        circ[i] = rand() % 3000;
    }
    CHECK_INT(cc_analysis_districts(ctx, ND, N, pd, pop, net, circ, 15, 1000, 0, NULL, NULL, s),
              CC_OK);
    /* Each district's figures equal the sum over its own points, in index order. */
    int bad = 0;
    for (int d = -1; d < ND; d++) {
        double p = 0, cn = 0, cc = 0;
        for (int i = 0; i < N; i++) {
            if (pd[i] != d) continue;
            p += pop[i];
            if (net[i] <= 15) cn += pop[i];
            if (circ[i] <= 1000) cc += pop[i];
        }
        const cc_district_stats *x = &s[d < 0 ? ND : d];
        bad += x->population != p || x->covered_net != cn || x->covered_circle != cc;
    }
    CHECK_INT(bad, 0);
    double total = 0;
    for (int i = 0; i < N; i++)
        total += pop[i];
    CHECK_NEAR(s[ND + 1].population, total, 1e-9 * total);
}

static cc_target rec(const char *id, cc_metric m, cc_cmp c, double v, cc_unit_level lvl,
                     const char *type, const char *group, const char *denom, const char *noun)
{
    cc_target t;
    memset(&t, 0, sizeof t);
    t.id = (char *)id;
    t.metric = m;
    t.cmp = c;
    t.value = v;
    t.level = lvl;
    t.year = 2025;
    t.unit = (char *)"%";
    t.facility_type = (char *)type;
    t.group = (char *)group;
    t.denom_group = (char *)denom;
    t.noun = (char *)noun;
    return t;
}

static void test_targets(cc_ctx *ctx)
{
    /* childcare per residents: d0 4518 slots for 1,000,000 people (4.518 per 1000),
       d1 10 slots for 2000 (5.0), d2 nobody; whole area 4528 / 1,002,000. */
    cc_district_stats child[5];
    memset(child, 0, sizeof child);
    child[0].population = 1000000, child[0].capacity = 4518, child[0].n_fac = 9;
    child[1].population = 2000, child[1].capacity = 10, child[1].n_fac = 1;
    child[4].population = 1002000, child[4].capacity = 4528, child[4].n_fac = 10;
    cc_stats_table tables[] = {{"day_care", "elderly", day_care, NULL, 0},
                               {"childcare", "residents", child, NULL, 0}};
    cc_target t[9];
    t[0] = rec("cov", CC_METRIC_COVERAGE_SHARE, CC_CMP_GE, 50, CC_LEVEL_COUNTY, "day_care",
               "elderly", NULL, NULL);
    t[1] = rec("slots", CC_METRIC_CAPACITY_PER_1000, CC_CMP_GE, 4.73, CC_LEVEL_COUNTY, "childcare",
               NULL, "residents", "slots");
    t[2] = rec("count", CC_METRIC_FACILITY_COUNT, CC_CMP_GE, 2, CC_LEVEL_COUNTY, "day_care", NULL,
               NULL, "day-care centres");
    t[3] = rec("meal", CC_METRIC_COVERAGE_SHARE, CC_CMP_GE, 50, CC_LEVEL_CITY, "meal_point",
               "elderly", NULL, NULL);
    t[4] = rec("nursing", CC_METRIC_NONE, CC_CMP_GE, 60, CC_LEVEL_COUNTY, NULL, NULL, NULL, NULL);
    t[4].needs = (char *)"a nursing-bed field";
    t[5] = rec("infants", CC_METRIC_COVERAGE_SHARE, CC_CMP_GE, 80, CC_LEVEL_CITY, "day_care",
               "infants", NULL, NULL);
    t[6] = rec("circle", CC_METRIC_COVERAGE_SHARE, CC_CMP_GT, 60, CC_LEVEL_CITY, "day_care",
               "elderly", NULL, NULL);
    t[6].method_circle = 1;
    t[7] = rec("street", CC_METRIC_FACILITY_COUNT, CC_CMP_GE, 1, CC_LEVEL_STREET, "day_care", NULL,
               NULL, NULL);
    t[8] = rec("gt", CC_METRIC_CAPACITY_PER_1000, CC_CMP_GT, 5, CC_LEVEL_COUNTY, "childcare", NULL,
               "residents", "slots");
    t[0].year = 2024;
    cc_target_set set = {(char *)"t.yaml", t, 9};
    cc_target_result *r = NULL;
    size_t n = 0;
    CHECK_INT(cc_analysis_targets_evaluate(ctx, &set, 2, tables, 3, CC_LEVEL_COUNTY, 0, &r, &n),
              CC_OK);
    CHECK_INT(n, 21); /* 3+3+3+1+3+1+1+3+3 */
    if (n != 21) {
        cc_free(r);
        return;
    }
    /* t0 coverage >= 50%: d0 10/30 = 33.33% -> needs ceil(15 - 10) = 5 people;
       d1 90/90 met; d2 0/50 -> needs 25. */
    CHECK_INT(r[0].status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r[0].value, 100.0 / 3, 1e-12);
    CHECK_NEAR(r[0].shortfall, 50 - 100.0 / 3, 1e-12);
    CHECK_NEAR(r[0].need, 5, 0);
    CHECK_STR(r[0].note, "needs 5 more people to bring within reach");
    CHECK_INT(r[1].status, CC_TARGET_MET);
    CHECK_NEAR(r[1].need, 0, 0);
    CHECK_STR(cc_target_status_name(r[1].status), "met");
    CHECK_NEAR(r[2].need, 25, 0);
    /* t1 slots >= 4.73 per 1000: d0 4.518 -> ceil(4730 - 4518) = 212 more slots. */
    CHECK_INT(r[3].status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r[3].value, 4.518, 1e-12);
    CHECK_NEAR(r[3].shortfall, 4.73 - 4.518, 1e-12);
    CHECK_NEAR(r[3].need, 212, 0);
    CHECK_STR(r[3].note, "needs 212 more slots");
    CHECK_INT(r[4].status, CC_TARGET_MET); /* 5.0 >= 4.73 */
    CHECK_INT(r[5].status, CC_TARGET_NOT_EVALUATED);
    CHECK_CONTAINS(r[5].note, "no people of denominator group 'residents'");
    /* t2 at least 2 day-care centres: d0 has 1 -> 1 more; d1 has 2 -> met; d2 1 -> 1 more. */
    CHECK_STR(r[6].note, "needs 1 more day-care centres");
    CHECK_INT(r[7].status, CC_TARGET_MET);
    CHECK_NEAR(r[8].need, 1, 0);
    /* t3 names a facility type the scenario lacks: one city row, not evaluated. */
    CHECK_INT(r[9].unit, -1);
    CHECK_INT(r[9].status, CC_TARGET_NOT_EVALUATED);
    CHECK_STR(r[9].note, "facility type 'meal_point' is not in the scenario");
    CHECK(isnan(r[9].value));
    /* t4 needs data the engine lacks: reported for each county. */
    CHECK_INT(r[10].status, CC_TARGET_NOT_EVALUATED);
    CHECK_STR(r[10].note, "not computed by carecircle: needs a nursing-bed field");
    CHECK_INT(r[12].unit, 2);
    /* t5 group missing for the type. */
    CHECK_STR(r[13].note, "demand group 'infants' is not in the scenario for facility type "
                          "'day_care'");
    /* t6 circle coverage of the whole area 130/210 = 61.9% > 60: met. */
    CHECK_INT(r[14].target, 6);
    CHECK_INT(r[14].status, CC_TARGET_MET);
    CHECK_NEAR(r[14].value, 13000.0 / 210, 1e-12);
    /* t7 street-level target against county districts. */
    CHECK_INT(r[15].status, CC_TARGET_NOT_EVALUATED);
    CHECK_STR(r[15].note,
              "the target applies to street units but the districts layer holds county units");
    /* t8 "> 5" with exactly 5.0 in d1: not met, 1 more slot makes 5.5. */
    CHECK_INT(r[19].status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r[19].need, 1, 0);
    CHECK_NEAR(r[19].shortfall, 0, 1e-12);
    cc_free(r);

    /* Year filter: the 2024 record is left out. */
    CHECK_INT(cc_analysis_targets_evaluate(ctx, &set, 2, tables, 3, -1, 2025, &r, &n), CC_OK);
    CHECK_INT(n, 18);
    if (n == 18) {
        CHECK_INT(r[0].target, 1);
        CHECK_INT(r[12].target, 7); /* district level unknown: street records are evaluated */
        CHECK_INT(r[12].status, CC_TARGET_MET);
    }
    cc_free(r);

    /* Upper bounds: coverage <= 20% in d1 (100%) -> excess 80, no concrete need. */
    cc_target up = rec("up", CC_METRIC_COVERAGE_SHARE, CC_CMP_LE, 20, CC_LEVEL_COUNTY, "day_care",
                       "elderly", NULL, NULL);
    cc_target_set one = {(char *)"u.yaml", &up, 1};
    CHECK_INT(cc_analysis_targets_evaluate(ctx, &one, 2, tables, 3, -1, 0, &r, &n), CC_OK);
    CHECK_INT(r[1].status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r[1].shortfall, 80, 1e-12);
    CHECK(isnan(r[1].need));
    CHECK_STR(r[1].note, "100 is not <= 20 %");
    cc_free(r);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx)) return 1;
    test_curve(ctx);
    test_districts(ctx);
    test_district_sums(ctx);
    test_targets(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
