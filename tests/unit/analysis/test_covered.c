/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two coverage figures (issue 13.3, docs/analysis.md): people per reason give within
 * reach (covered + over_capacity) and served within capacity (covered), and every sum holds;
 * districts leave "served" unknown (NaN) for the caller; a coverage target reads the figure
 * it names and says how many people within reach are at full facilities.
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <stdlib.h>

#define NP 6

/* Threshold 15 min, standard 0.06 per person. f0 (capacity 3) reaches p0 (10 min) and p1
   (12 min): load (100 + 40) x 0.06 = 8.4 > 3, full. f1 (capacity 100) reaches p1 (14 min)
   and p2 (5 min): load (40 + 200) x 0.06 = 14.4, room. So p0 is over_capacity (its only
   facility is full), p1 and p2 are covered (f1 has room), p3 is beyond on the network
   (detour), p4 is off the network (unsnapped), p5 is beyond everything. */
static void reasons_fixture(cc_ctx *ctx, uint8_t *r)
{
    size_t off[] = {0, 2, 4};
    uint32_t pt[] = {0, 1, 1, 2};
    uint32_t tds[] = {6000, 7200, 8400, 3000};
    cc_incidence inc = {2, off, pt, tds, 4};
    double cap[] = {3, 100};
    double demand[NP] = {100, 40, 200, 30, 50, 7};
    double net[NP] = {10, 12, 5, 40, INFINITY, INFINITY};
    double circ[NP] = {500, 600, 200, 700, 400, INFINITY};
    cc_snap snap[NP];
    for (int i = 0; i < NP; i++)
        snap[i] = (cc_snap){1, 0, 0, 10, 0, 0};
    snap[4].edge = CC_NONE; /* beyond the demand snap limit: the pipeline unsnaps it */
    snap[4].dist_m = 2000;
    cc_reason_input in = {0};
    in.n_pts = NP;
    in.net_min = net;
    in.circle_m = circ;
    in.snap = snap;
    in.inc = &inc;
    in.capacity = cap;
    in.demand = demand;
    in.threshold_min = 15;
    in.radius_m = 1000;
    in.speed_kmh = 4;
    in.max_snap_m = 250;
    in.standard_per_person = 0.06;
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, NULL, NULL, NULL, NULL), CC_OK);
}

static void test_people_per_reason(cc_ctx *ctx)
{
    uint8_t r[NP];
    reasons_fixture(ctx, r);
    const cc_reason want[NP] = {CC_REASON_OVER_CAPACITY, CC_REASON_COVERED,
                                CC_REASON_COVERED,       CC_REASON_NETWORK_DETOUR,
                                CC_REASON_OFF_NETWORK,   CC_REASON_NO_FACILITY_IN_REACH};
    for (int i = 0; i < NP; i++)
        CHECK_STR(cc_reason_name((cc_reason)r[i]), cc_reason_name(want[i]));
    /* People of a group (not the served demand): a NaN and a negative count count 0. */
    double pop[NP] = {10, 4, 20, 3, 5, 0.7};
    double by[CC_REASON_COUNT];
    CHECK_INT(cc_analysis_reason_people(ctx, NP, pop, r, by), CC_OK);
    double within = by[CC_REASON_COVERED] + by[CC_REASON_OVER_CAPACITY];
    double served = by[CC_REASON_COVERED], total = 0, unserved = 0;
    for (int k = 0; k < CC_REASON_COUNT; k++) {
        total += by[k];
        if (k != CC_REASON_COVERED) unserved += by[k];
    }
    CHECK_NEAR(within, 34, 1e-12); /* p0 + p1 + p2 */
    CHECK_NEAR(served, 24, 1e-12); /* p1 + p2: p0's only centre is full */
    CHECK_NEAR(by[CC_REASON_OVER_CAPACITY], 10, 1e-12);
    CHECK_NEAR(within - served, by[CC_REASON_OVER_CAPACITY], 1e-12);
    CHECK_NEAR(total, 42.7, 1e-12);
    CHECK_NEAR(unserved, total - served, 1e-12);
    CHECK_NEAR(total - within, 8.7, 1e-12); /* outside reach: 3 + 5 + 0.7 */
    CHECK_NEAR(by[CC_REASON_OFF_NETWORK], 5, 1e-12);
    double odd[NP] = {NAN, -4, 20, 3, 5, 0.7};
    CHECK_INT(cc_analysis_reason_people(ctx, NP, odd, r, by), CC_OK);
    CHECK_NEAR(by[CC_REASON_OVER_CAPACITY], 0, 0);
    CHECK_NEAR(by[CC_REASON_COVERED], 20, 1e-12);
    uint8_t bad[NP] = {0, 1, 2, 3, 4, 9};
    CHECK_INT(cc_analysis_reason_people(ctx, NP, pop, bad, by), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "point 5 has reason code 9");
    CHECK_INT(cc_analysis_reason_people(ctx, 0, NULL, NULL, by), CC_OK);
    CHECK_NEAR(by[CC_REASON_COVERED], 0, 0);
}

static void test_districts_leave_served_unknown(cc_ctx *ctx)
{
    int32_t dist[2] = {0, -1};
    double pop[2] = {5, 7}, net[2] = {3, 30};
    cc_district_stats out[3];
    CHECK_INT(cc_analysis_districts(ctx, 1, 2, dist, pop, net, NULL, 15, 1000, 0, NULL, NULL, out),
              CC_OK);
    CHECK_NEAR(out[0].covered_net, 5, 0);
    for (int d = 0; d < 3; d++)
        CHECK(isnan(out[d].served));
}

/* One city-level coverage target at 90% on a whole area with 100 people, 80 within reach and
   50 served within capacity. */
static cc_target_result eval_share(cc_ctx *ctx, int served_capacity, double served)
{
    cc_district_stats u[2] = {{0}};
    u[1].population = 100;
    u[1].covered_net = 80;
    u[1].covered_circle = 95;
    u[1].served = served;
    cc_stats_table tab = {"day_care", "elderly", u, NULL, 0};
    cc_target t = {0};
    t.id = "x";
    t.cmp = CC_CMP_GE;
    t.value = 90;
    t.unit = "%";
    t.level = CC_LEVEL_CITY;
    t.metric = CC_METRIC_COVERAGE_SHARE;
    t.facility_type = "day_care";
    t.group = "elderly";
    t.served_capacity = served_capacity;
    cc_target_set set = {"t.yaml", &t, 1};
    cc_target_result *res = NULL, r;
    size_t n = 0;
    memset(&r, 0, sizeof r);
    CHECK_INT(cc_analysis_targets_evaluate(ctx, &set, 1, &tab, 0, -1, 0, &res, &n), CC_OK);
    CHECK_INT(n, 1);
    if (res && n) r = res[0];
    cc_free(res);
    return r;
}

static void test_targets_name_their_figure(cc_ctx *ctx)
{
    cc_target_result r = eval_share(ctx, 0, 50); /* default: within reach */
    CHECK_INT(r.status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r.value, 80, 1e-9);
    CHECK_NEAR(r.need, 10, 0);
    CHECK_STR(r.note, "needs 10 more people to bring within reach; of those within reach, 30 are "
                      "over capacity (not served within capacity)");
    r = eval_share(ctx, 1, 50); /* coverage: served_within_capacity */
    CHECK_INT(r.status, CC_TARGET_NOT_MET);
    CHECK_NEAR(r.value, 50, 1e-9);
    CHECK_NEAR(r.need, 40, 0);
    CHECK_STR(r.note, "needs 40 more people to serve within capacity");
    r = eval_share(ctx, 1, NAN); /* not computed: never a silent 0 */
    CHECK_INT(r.status, CC_TARGET_NOT_EVALUATED);
    CHECK_CONTAINS(r.note, "served within capacity is not known");
    r = eval_share(ctx, 0, 80); /* nobody at a full facility: no remark */
    CHECK_STR(r.note, "needs 10 more people to bring within reach");
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_people_per_reason(ctx);
    test_districts_leave_served_unknown(ctx);
    test_targets_name_their_figure(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
