/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unit_share targets on hand-checked units: five communities in two districts, which have a
 * day-care centre and which are covered; the share, the need in units, per-district rows, a
 * level the scenario lacks and units without parent codes (not evaluated), a list of years;
 * capacity_total with unknown capacities.
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <math.h>
#include <stdlib.h>

static cc_ctx *ctx;

#define REC(id, level, year, cmp, value, ulevel, rule)                                             \
    "  - {id: " id ", jurisdiction: x, indicator: x, name_zh: x, comparator: \"" cmp "\", "        \
    "value: " value ", unit: \"%\", level: " level ", year: " year ", document: d, clause: c, "    \
    "attribute: 约束性, quote: q, metric: unit_share, facility_type: day_care, "                \
    "unit_level: " ulevel ", unit_rule: " rule "}\n"

static const char *TEXT =
    "targets:\n" REC("a", "city", "2025", ">=", "90", "community", "has_facility")
        REC("b", "county", "2025", ">", "50", "community", "covered")
            REC("c", "city", "2025", ">=", "100", "village", "has_facility")
                REC("d", "city", "2024", ">=", "40", "community", "has_facility");

/* Communities 0-2 in district 0, 3-4 in district 1; community 4 has nobody to cover. */
static const uint8_t HAS[5] = {1, 0, 0, 1, 1}, COV[5] = {1, 1, 0, 0, 0};
static const int32_t IN[5] = {0, 0, 0, 1, 1};

static void run(const cc_target_set *s, const int32_t *in, const int *years, size_t n_years,
                cc_target_result **res, size_t *n)
{
    static cc_district_stats units[4];
    static const double share[5] = {0.9, 0.6, 0.1, 0.2, NAN};
    cc_stats_table tab = {"day_care", "elderly", units, NULL, 0};
    cc_unit_rule_table rt = {"community", "day_care", 5, HAS, COV, share, in};
    cc_target_opts o = {&rt, 1, years, n_years, 0, "districts"};
    CHECK_INT(cc_analysis_targets_evaluate_opts(ctx, s, 1, &tab, 2, CC_LEVEL_COUNTY, &o, res, n),
              CC_OK);
}

static void test_shares(const cc_target_set *s)
{
    cc_target_result *r = NULL;
    size_t n = 0;
    int y2025 = 2025;
    run(s, IN, &y2025, 1, &r, &n);
    CHECK_INT(n, 4); /* a (whole area), b (two districts), c (whole area) */
    if (n != 4) goto done;
    /* a: 3 of 5 communities have a centre: 60% < 90%; 0.9 x 5 = 4.5 -> 2 more */
    CHECK_INT(r[0].unit, -1);
    CHECK_INT(r[0].status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r[0].value, 60, 1e-9);
    CHECK_NEAR(r[0].shortfall, 30, 1e-9);
    CHECK_NEAR(r[0].need, 2, 0);
    CHECK_STR(r[0].note, "needs 2 more communities with a day_care facility (of 5; 3 now)");
    /* b, district 0: communities 0 and 1 of 0-2 covered: 66.67% > 50% */
    CHECK_INT(r[1].unit, 0);
    CHECK_INT(r[1].status, CC_TARGET_MET);
    CHECK_NEAR(r[1].value, 200.0 / 3, 1e-9);
    CHECK_NEAR(r[1].need, 0, 0);
    /* b, district 1: community 4 has nobody (no verdict); 3 is not covered: 0 of 1, and
       "more than 50%" of one community needs it */
    CHECK_INT(r[2].unit, 1);
    CHECK_INT(r[2].status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r[2].value, 0, 0);
    CHECK_NEAR(r[2].need, 1, 0);
    CHECK_STR(r[2].note, "needs 1 more communities covered by day_care (of 1; 0 now)");
    /* c: no village level */
    CHECK_INT(r[3].status, CC_TARGET_NOT_EVALUATED);
    CHECK(isnan(r[3].value) && isnan(r[3].need));
    CHECK_STR(r[3].note,
              "unit level 'village' is not among the scenario's units (add it under units:)");
done:
    cc_free(r);
}

static void test_no_parents_and_years(const cc_target_set *s)
{
    cc_target_result *r = NULL;
    size_t n = 0;
    run(s, NULL, NULL, 0, &r, &n); /* every year; units without parent codes */
    CHECK_INT(n, 5);
    if (n != 5) goto done;
    CHECK_INT(r[0].status, CC_TARGET_NOT_MET); /* the whole area needs no parents */
    CHECK_INT(r[1].status, CC_TARGET_NOT_EVALUATED);
    CHECK_STR(r[1].note, "the community units have no parent codes leading to the districts "
                         "evaluated here");
    /* d (2024, 40%): 60% met */
    CHECK_INT(r[4].status, CC_TARGET_MET);
    CHECK_STR(r[4].note, "met (60 >= 40)");
    cc_free(r);
    r = NULL;
    const int years[2] = {2024, 2023};
    run(s, IN, years, 2, &r, &n);
    CHECK_INT(n, 1);
    if (n == 1) CHECK_STR(s->items[r[0].target].id, "d");
done:
    cc_free(r);
}

/* capacity_total with a facility of unknown capacity: the known 40 beds decide ">= 30" (met,
   value unknown) but not ">= 100". */
static void test_capacity_total(void)
{
    const char *text =
        "targets:\n"
        "  - {id: t30, jurisdiction: x, indicator: x, name_zh: x, comparator: \">=\", value: 30, "
        "unit: 张, level: city, year: 2025, document: d, clause: c, attribute: 约束性, quote: q, "
        "metric: capacity_total, facility_type: day_care}\n"
        "  - {id: t100, jurisdiction: x, indicator: x, name_zh: x, comparator: \">=\", value: 100, "
        "unit: 张, level: city, year: 2025, document: d, clause: c, attribute: 约束性, quote: q, "
        "metric: capacity_total, facility_type: day_care}\n";
    cc_target_set *s = NULL;
    CHECK_INT(cc_targets_parse(ctx, "c.yaml", text, strlen(text), &s), CC_OK);
    if (!s) return;
    cc_district_stats units[2];
    memset(units, 0, sizeof units);
    units[1].n_fac = 3;
    units[1].n_fac_unknown = 1;
    units[1].capacity_known = 40;
    cc_stats_table tab = {"day_care", "elderly", units, NULL, 0};
    cc_target_result *r = NULL;
    size_t n = 0;
    CHECK_INT(cc_analysis_targets_evaluate(ctx, s, 1, &tab, 0, -1, 0, &r, &n), CC_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(r[0].status, CC_TARGET_MET);
        CHECK(isnan(r[0].value));
        CHECK_INT(r[1].status, CC_TARGET_NOT_EVALUATED);
        CHECK_STR(r[1].note, "capacity unknown: 1 of the unit's 3 facilities have no capacity; "
                             "the others give 40 in all, a lower bound");
    }
    cc_free(r);
    cc_targets_destroy(s);
}

int main(void)
{
    if (cc_ctx_create(&ctx)) return 1;
    cc_target_set *s = NULL;
    CHECK_INT(cc_targets_parse(ctx, "u.yaml", TEXT, strlen(TEXT), &s), CC_OK);
    if (!s) {
        fprintf(stderr, "%s\n", cc_ctx_message(ctx));
        return 1;
    }
    test_shares(s);
    test_no_parents_and_years(s);
    test_capacity_total();
    cc_targets_destroy(s);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
