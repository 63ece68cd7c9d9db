/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issue 13.3/13.4 settings: network.demand_max_snap_m (default 500 m, its range) and a
 * target's `coverage` key (within_reach by default, served_within_capacity on request, not
 * with the circle method).
 */
#include "carecircle/config.h"
#include "carecircle/targets.h"
#include "cc_test.h"

#include <unistd.h>

static cc_ctx *ctx;

#define BASE                                                                                       \
    "name: t\n"                                                                                    \
    "demand:\n"                                                                                    \
    "  elderly: {source: data/pop60plus_a.tif}\n"                                                  \
    "facilities:\n"                                                                                \
    "  day_care: {source: data/day_care.geojson, serves: elderly}\n"

static void test_demand_max_snap(void)
{
    cc_scenario *sc = NULL;
    const char *t1 = BASE;
    CHECK_INT(cc_scenario_parse(ctx, "scenario.yaml", t1, strlen(t1), NULL, 0, &sc), CC_OK);
    if (sc) CHECK_NEAR(sc->network.demand_max_snap_m, 500, 0);
    cc_scenario_destroy(sc);
    sc = NULL;
    const char *t2 = BASE "network: {source: data/roads.geojson, demand_max_snap_m: 350}\n";
    CHECK_INT(cc_scenario_parse(ctx, "scenario.yaml", t2, strlen(t2), NULL, 0, &sc), CC_OK);
    if (sc) CHECK_NEAR(sc->network.demand_max_snap_m, 350, 0);
    cc_scenario_destroy(sc);
    sc = NULL;
    const char *t3 = BASE "network: {source: data/roads.geojson, demand_max_snap_m: 0}\n";
    CHECK_INT(cc_scenario_parse(ctx, "scenario.yaml", t3, strlen(t3), NULL, 0, &sc),
              CC_ERR_SCENARIO);
    CHECK(sc == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "scenario.yaml:6:");
    CHECK_CONTAINS(cc_ctx_message(ctx), "demand_max_snap_m is 0; it must be greater than 0");
}

#define REC                                                                                        \
    "targets:\n"                                                                                   \
    "  - id: a\n"                                                                                  \
    "    jurisdiction: x\n"                                                                        \
    "    indicator: T1\n"                                                                          \
    "    name_zh: 覆盖率\n"                                                                     \
    "    comparator: \">=\"\n"                                                                     \
    "    value: 90\n"                                                                              \
    "    unit: \"%\"\n"                                                                            \
    "    level: city\n"                                                                            \
    "    year: 2025\n"                                                                             \
    "    document: D\n"                                                                            \
    "    clause: C\n"                                                                              \
    "    attribute: 约束性\n"                                                                   \
    "    quote: \"90%\"\n"                                                                         \
    "    metric: coverage_share\n"                                                                 \
    "    facility_type: day_care\n"                                                                \
    "    group: elderly\n"

static int coverage_of(const char *extra, cc_status want_st)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", REC, extra);
    cc_target_set *s = NULL;
    cc_status st = cc_targets_parse(ctx, "t.yaml", text, strlen(text), &s);
    CHECK_INT(st, want_st);
    int k = s && s->n ? s->items[0].served_capacity : -1;
    cc_targets_destroy(s);
    return k;
}

static void test_target_coverage_key(void)
{
    CHECK_INT(coverage_of("", CC_OK), 0);
    CHECK_INT(coverage_of("    coverage: within_reach\n", CC_OK), 0);
    CHECK_INT(coverage_of("    coverage: served_within_capacity\n", CC_OK), 1);
    coverage_of("    coverage: served\n", CC_ERR_SCENARIO);
    CHECK_CONTAINS(cc_ctx_message(ctx),
                   "coverage 'served' is not valid; did you mean 'served_within_capacity'?");
    coverage_of("    method: circle\n    coverage: served_within_capacity\n", CC_ERR_SCENARIO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "t.yaml:19:15:");
    CHECK_CONTAINS(cc_ctx_message(ctx), "served_within_capacity needs method network");
}

int main(void)
{
    if (chdir(CC_FIXTURES "/scenarios") != 0) {
        perror(CC_FIXTURES "/scenarios");
        return 1;
    }
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_demand_max_snap();
    test_target_coverage_key();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
