/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reason codes: a hand-built fixture where every reason occurs, with the exact code, gap
 * minutes, detour ratio and binding facility per point, and the precedence rules.
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#define NP 9

static void test_every_reason(cc_ctx *ctx)
{
    /* Threshold 15 min, circle radius 1000 m, 4 km/h (66.667 m/min), max snap 250 m,
       standard 60 per 1000 (0.06 per person).
       f0 (capacity 3):   p1 at 10 min
       f1 (capacity 100): p0 at 5 min, p3 at 20 min (beyond T), p7 at 14 min
       Load within 15 min: f0 = 100 people x 0.06 = 6 > 3 -> oversubscribed;
                           f1 = (200 + 300) x 0.06 = 30 <= 100 -> has room
                           (p3's 2000 people are beyond T; counting them would give 151.8). */
    size_t off[] = {0, 1, 4};
    uint32_t pt[] = {1, 0, 3, 7};
    uint32_t tds[] = {6000, 3000, 12000, 8400};
    cc_incidence inc = {2, off, pt, tds, 4};
    double cap[] = {3, 100};
    double demand[NP] = {200, 100, 50, 2000, 10, 10, 10, 300, 10};
    double net[NP] = {5, 10, 25, 20, INFINITY, INFINITY, INFINITY, 14, INFINITY};
    double circ[NP] = {300, 600, 500, 1500, INFINITY, 400, 100, 900, INFINITY};
    cc_snap snap[NP];
    for (int i = 0; i < NP; i++)
        snap[i] = (cc_snap){1, 0, 0, 10, 0, 0};
    snap[4].dist_m = 300;                        /* off network */
    snap[5].component = 2;                       /* island */
    snap[6].dist_m = 300, snap[6].component = 3; /* both: off_network wins */
    snap[7].dist_m = 300;                        /* off network but reached in 14 min */
    snap[8].edge = CC_NONE;                      /* not snapped at all */
    cc_reason_input in = {NP,     net,  NULL,   circ, snap,  &inc, cap,
                          demand, 15.0, 1000.0, 4.0,  250.0, 0.06};
    uint8_t r[NP];
    double gap[NP], det[NP];
    int32_t bind[NP];
    size_t counts[CC_REASON_COUNT];
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, gap, det, bind, counts), CC_OK);
    const cc_reason want[NP] = {CC_REASON_COVERED,        CC_REASON_OVER_CAPACITY,
                                CC_REASON_NETWORK_DETOUR, CC_REASON_NO_FACILITY_IN_REACH,
                                CC_REASON_OFF_NETWORK,    CC_REASON_ISLAND,
                                CC_REASON_OFF_NETWORK,    CC_REASON_COVERED,
                                CC_REASON_OFF_NETWORK};
    for (int i = 0; i < NP; i++)
        CHECK_STR(cc_reason_name((cc_reason)r[i]), cc_reason_name(want[i]));
    CHECK_INT(counts[CC_REASON_COVERED], 2);
    CHECK_INT(counts[CC_REASON_OVER_CAPACITY], 1);
    CHECK_INT(counts[CC_REASON_NETWORK_DETOUR], 1);
    CHECK_INT(counts[CC_REASON_NO_FACILITY_IN_REACH], 1);
    CHECK_INT(counts[CC_REASON_OFF_NETWORK], 3);
    CHECK_INT(counts[CC_REASON_ISLAND], 1);
    /* gap = max(0, net - 15); null (NaN) when unreachable. */
    CHECK_NEAR(gap[0], 0, 0);
    CHECK_NEAR(gap[2], 10, 1e-12);
    CHECK_NEAR(gap[3], 5, 1e-12);
    CHECK(isnan(gap[4]));
    CHECK(isnan(gap[5]));
    /* detour = net / (circle / 66.667 m/min): p0 5/4.5, p2 25/7.5, p3 20/22.5, p7 14/13.5. */
    CHECK_NEAR(det[0], 5 / 4.5, 1e-12);
    CHECK_NEAR(det[2], 25 / 7.5, 1e-12);
    CHECK_NEAR(det[3], 20 / 22.5, 1e-12);
    CHECK_NEAR(det[7], 14 / 13.5, 1e-12);
    CHECK(isnan(det[4]));
    CHECK(isnan(det[5]));
    /* Binding facility from the incidence list (fastest row). */
    const int32_t wb[NP] = {1, 0, -1, 1, -1, -1, -1, 1, -1};
    for (int i = 0; i < NP; i++)
        CHECK_INT(bind[i], wb[i]);
    CHECK_STR(cc_reason_name(CC_REASON_NETWORK_DETOUR), "network_detour");
    CHECK_STR(cc_reason_name(CC_REASON_COUNT), "unknown");

    /* Without a capacity standard nothing is oversubscribed: p1 becomes covered. */
    in.standard_per_person = 0;
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, NULL, NULL, NULL, counts), CC_OK);
    CHECK_INT(r[1], CC_REASON_COVERED);
    CHECK_INT(counts[CC_REASON_COVERED], 3);
    CHECK_INT(counts[CC_REASON_OVER_CAPACITY], 0);

    /* Unknown capacity of f0: it cannot be called full, so p1 is covered. */
    in.standard_per_person = 0.06;
    double cap_unknown[] = {NAN, 100};
    in.capacity = cap_unknown;
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, NULL, NULL, NULL, NULL), CC_OK);
    CHECK_INT(r[1], CC_REASON_COVERED);

    /* A facility with room beside a full one: p1 also reached by f1 -> covered. Capacity of
       f1 = 30 exactly equals its load (500 x 0.06): not over ("exceeds" is strict). */
    in.capacity = cap;
    double cap_tight[] = {3, 30};
    in.capacity = cap_tight;
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, NULL, NULL, NULL, NULL), CC_OK);
    CHECK_INT(r[0], CC_REASON_COVERED);
    cap_tight[1] = 29.99;
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, NULL, NULL, NULL, NULL), CC_OK);
    CHECK_INT(r[0], CC_REASON_OVER_CAPACITY);
    CHECK_INT(r[7], CC_REASON_OVER_CAPACITY);

    /* Without snaps, the data-problem reasons cannot occur: p4 (circle INF) -> no facility,
       p5 (circle 400) and p6 (100) -> network_detour. net_fac given: used as is. */
    int32_t nf[NP] = {1, 0, 0, 1, -1, -1, -1, 1, -1};
    in.snap = NULL;
    in.net_fac = nf;
    in.inc = NULL;
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, NULL, NULL, bind, NULL), CC_OK);
    CHECK_INT(r[1], CC_REASON_COVERED); /* no incidence: no over_capacity test */
    CHECK_INT(r[4], CC_REASON_NO_FACILITY_IN_REACH);
    CHECK_INT(r[5], CC_REASON_NETWORK_DETOUR);
    CHECK_INT(r[6], CC_REASON_NETWORK_DETOUR);
    CHECK_INT(bind[2], 0);

    in.threshold_min = NAN;
    CHECK_INT(cc_analysis_reasons(ctx, &in, r, NULL, NULL, NULL, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "threshold");
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx)) return 1;
    test_every_reason(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
