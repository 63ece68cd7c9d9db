/* SPDX-License-Identifier: Apache-2.0 */
/* net: profiles, graph build from a hand-made line fixture, components, snapping. */
#include "carecircle/net.h"
#include "cc_test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* The fixture, metres:
 *  L0 residential (0,0)-(100,0)-(100,0)-(200,0)   repeated vertex is ignored
 *  L1 residential (100,-100)-(100,0)-(100,100)     crosses L0 at a shared vertex
 *  L2 secondary bridge (150,-100)-(150,100)        crosses L0 without a shared vertex
 *  L3 footway (200,0)-(200,100)
 *  L4 motorway (0,0)-(0,-300)                      walk: excluded; drive: implied one-way
 *  L5 residential oneway=yes (100,100)-(200,100)
 *  L6 service (1000,1000)-(1100,1000)              an island
 *  L7 steps (200,100)-(200,130)
 *  L8 service access=private (200,0)-(300,0)       excluded
 *  L9 service (1100,1000)-(1000,1000)              exact duplicate of L6, reversed
 *  L10 residential (500,500)-(500,500)             zero length
 */
static const double fx[] = {0,   100, 100,  200,  100, 100, 100, 150, 150,  200,  200, 0,  0,
                            100, 200, 1000, 1100, 200, 200, 200, 300, 1100, 1000, 500, 500};
static const double fy[] = {0,   0,   0,    0,    -100, 0,   100, -100, 100,  0,    100, 0,  -300,
                            100, 100, 1000, 1000, 100,  130, 0,   0,    1000, 1000, 500, 500};
static const size_t fcoord[] = {0, 4, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25};
static const char *const fhw[] = {"residential", "residential", "secondary",  "footway",
                                  "motorway",    "residential", "service",    "steps",
                                  "service",     "service",     "residential"};
static const char *const fbridge[] = {NULL, NULL, "yes", NULL, NULL, NULL,
                                      NULL, NULL, NULL,  NULL, NULL};
static const char *const faccess[] = {NULL, NULL, NULL,      NULL, NULL, NULL,
                                      NULL, NULL, "private", NULL, NULL};
static const char *const foneway[] = {NULL, NULL, NULL, NULL, NULL, "yes",
                                      NULL, NULL, NULL, NULL, NULL};
static const int64_t fid[] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110};

static cc_net_input fixture(void)
{
    cc_net_input in = {0};
    in.n_lines = 11;
    in.line_coord = fcoord;
    in.x = fx;
    in.y = fy;
    in.line_id = fid;
    in.highway = fhw;
    in.bridge = fbridge;
    in.access = faccess;
    in.oneway = foneway;
    return in;
}

/* Find the edge between two coordinates (either orientation); CC_NONE if none. */
static uint32_t edge_between(const cc_graph *g, double ax, double ay, double bx, double by)
{
    for (uint32_t e = 0; e < cc_graph_edge_count(g); e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        double x0, y0, x1, y1;
        cc_graph_node_xy(g, ei.from, &x0, &y0);
        cc_graph_node_xy(g, ei.to, &x1, &y1);
        if ((x0 == ax && y0 == ay && x1 == bx && y1 == by) ||
            (x0 == bx && y0 == by && x1 == ax && y1 == ay))
            return e;
    }
    return CC_NONE;
}

static int from_is(const cc_graph *g, uint32_t e, double x, double y)
{
    cc_edge_info ei;
    cc_graph_edge(g, e, &ei);
    double fx0, fy0;
    cc_graph_node_xy(g, ei.from, &fx0, &fy0);
    return fx0 == x && fy0 == y;
}

static void test_profiles(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *p = NULL;
    CHECK_INT(cc_profile_create(ctx, "hover", 0, &p), CC_ERR_INVALID);
    CHECK(p == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "walk, walk_elderly, bike, drive");
    CHECK_NEAR(cc_mode_default_speed_kmh("walk"), 4.0, 0);
    CHECK_NEAR(cc_mode_default_speed_kmh("walk_elderly"), 3.2, 0);
    CHECK_NEAR(cc_mode_default_speed_kmh("bike"), 12.0, 0);
    CHECK_NEAR(cc_mode_default_speed_kmh("nope"), 0, 0);
    CHECK_INT(cc_time_ds(100, 4.0, 1), 900);
    CHECK_INT(cc_time_ds(0.01, 4.0, 1), 1);  /* at least 1 ds */
    CHECK_INT(cc_time_ds(1.25, 3.6, 1), 13); /* 12.5 rounds up, not truncated */
    CHECK_INT(cc_time_ds(0, 4.0, 1), 0);

    cc_line_rule r;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &p), CC_OK);
    CHECK_NEAR(cc_profile_speed_kmh(p), 4.0, 0);
    cc_profile_rule(p, "motorway", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(!r.forward && !r.backward);
    cc_profile_rule(p, "trunk", "designated", NULL, NULL, NULL, NULL, &r);
    CHECK(r.forward && r.backward);
    cc_profile_rule(p, "trunk", NULL, NULL, "both", NULL, NULL, &r);
    CHECK(r.forward && r.backward);
    cc_profile_rule(p, "footway", "no", NULL, NULL, NULL, NULL, &r);
    CHECK(!r.forward);
    cc_profile_rule(p, "service", NULL, "private", NULL, NULL, NULL, &r);
    CHECK(!r.forward);
    cc_profile_rule(p, "service", "yes", "private", NULL, NULL, NULL, &r);
    CHECK(r.forward && r.backward);
    cc_profile_rule(p, "residential", NULL, NULL, NULL, "yes", NULL, &r);
    CHECK(r.forward && r.backward); /* walking ignores oneway */
    cc_profile_rule(p, "construction", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(!r.forward);
    cc_profile_rule(p, NULL, NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(r.forward && r.backward);
    CHECK_NEAR(r.speed_kmh, 4.0, 0);
    cc_profile_destroy(p);

    CHECK_INT(cc_profile_create(ctx, "walk_elderly", 0, &p), CC_OK);
    cc_profile_rule(p, "steps", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK_NEAR(r.factor, 2.0, 0);
    cc_profile_destroy(p);

    CHECK_INT(cc_profile_create(ctx, "drive", 0, &p), CC_OK);
    cc_profile_rule(p, "footway", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(!r.forward && !r.backward);
    cc_profile_rule(p, "primary", NULL, NULL, NULL, "-1", "30 mph", &r);
    CHECK(!r.forward && r.backward);
    CHECK_NEAR(r.speed_kmh, 48.28032, 1e-9);
    cc_profile_rule(p, "secondary", NULL, NULL, NULL, "yes", "70", &r);
    CHECK(r.forward && !r.backward);
    CHECK_NEAR(r.speed_kmh, 70, 0);
    cc_profile_rule(p, "residential", NULL, NULL, NULL, NULL, "none", &r);
    CHECK_NEAR(r.speed_kmh, 30, 0);
    cc_profile_destroy(p);

    CHECK_INT(cc_profile_create(ctx, "bike", 15, &p), CC_OK);
    CHECK_NEAR(cc_profile_speed_kmh(p), 15, 0);
    cc_profile_rule(p, "steps", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(!r.forward);
    cc_profile_destroy(p);
    CHECK_INT(cc_profile_create(ctx, "walk", -3, &p), CC_ERR_INVALID);
    cc_profile_destroy(NULL);
    cc_ctx_destroy(ctx);
}

static void test_walk_graph(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *p;
    cc_profile_create(ctx, "walk", 0, &p);
    cc_net_input in = fixture();
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_OK);
    if (!g) return;
    CHECK_INT(cc_graph_node_count(g), 11);
    CHECK_INT(cc_graph_edge_count(g), 9);
    CHECK_INT(cc_graph_arc_count(g), 18);
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    CHECK_INT(v.symmetric, 1);

    /* the shared vertex (100,0) is a junction of degree 4 */
    uint32_t e0 = edge_between(g, 0, 0, 100, 0), e1 = edge_between(g, 100, 0, 200, 0);
    uint32_t e2 = edge_between(g, 100, -100, 100, 0), e3 = edge_between(g, 100, 0, 100, 100);
    CHECK(e0 != CC_NONE && e1 != CC_NONE && e2 != CC_NONE && e3 != CC_NONE);
    /* the bridge shares no vertex with L0: it is one edge of 200 m, an island */
    uint32_t eb = edge_between(g, 150, -100, 150, 100);
    CHECK(eb != CC_NONE);
    CHECK(edge_between(g, 0, 0, 0, -300) == CC_NONE);  /* motorway */
    CHECK(edge_between(g, 200, 0, 300, 0) == CC_NONE); /* private */
    uint32_t es = edge_between(g, 200, 100, 200, 130);
    uint32_t ei6 = edge_between(g, 1000, 1000, 1100, 1000);
    CHECK(es != CC_NONE && ei6 != CC_NONE);
    cc_edge_info ei;
    cc_graph_edge(g, e0, &ei);
    CHECK_NEAR(ei.length_m, 100, 1e-12);
    CHECK_INT(ei.time_fwd_ds, 900);
    CHECK_INT(ei.time_bwd_ds, 900);
    CHECK_STR(ei.highway, "residential");
    CHECK_INT(ei.line_id, 100);
    CHECK_INT(ei.n_coords, 2);
    CHECK_INT(ei.component, 0);
    CHECK_INT(ei.no_snap, 0);
    cc_graph_edge(g, eb, &ei);
    CHECK_NEAR(ei.length_m, 200, 1e-12);
    CHECK_INT(ei.time_fwd_ds, 1800);
    CHECK_INT(ei.no_snap, 1);
    CHECK_INT(ei.line_id, 102);
    CHECK(ei.component != 0);
    cc_graph_edge(g, es, &ei);
    CHECK_INT(ei.time_fwd_ds, 270);
    CHECK_STR(ei.highway, "steps");
    /* the duplicate of L6 was dropped: one edge only, from the first line */
    cc_graph_edge(g, ei6, &ei);
    CHECK_INT(ei.line_id, 106);
    /* components: 7 main nodes, two islands of 2 */
    CHECK_INT(cc_graph_component_count(g), 3);
    CHECK_INT(cc_graph_component_size(g, 0), 7);
    CHECK_INT(cc_graph_component_size(g, 1), 2);
    CHECK_INT(cc_graph_component_size(g, 2), 2);
    double rx, ry;
    uint32_t rn = cc_graph_component_node(g, 1, &rx, &ry);
    CHECK_INT(cc_graph_node_component(g, rn), 1);
    CHECK((rx == 150 || rx == 1000 || rx == 1100));
    /* Hilbert numbering is a permutation of the 11 junctions */
    int seen_origin = 0;
    for (uint32_t i = 0; i < cc_graph_node_count(g); i++) {
        double x, y;
        cc_graph_node_xy(g, i, &x, &y);
        if (x == 0 && y == 0) seen_origin++;
        CHECK(!(x == 500 && y == 500));
    }
    CHECK_INT(seen_origin, 1);
    /* CSR: every arc's head and time match its edge */
    for (uint32_t u = 0; u < v.n_nodes; u++)
        for (uint32_t k = v.fwd_off[u]; k < v.fwd_off[u + 1]; k++) {
            uint32_t e = v.fwd_edge[k] >> 1, dir = v.fwd_edge[k] & 1;
            CHECK_INT(dir ? v.edge_to[e] : v.edge_from[e], u);
            CHECK_INT(v.fwd_arc[k].head, dir ? v.edge_from[e] : v.edge_to[e]);
        }

    /* snapping */
    double sx[] = {30, 150, 1050, 200, 100, NAN};
    double sy[] = {10, 5, 1003, 115, 0, 0};
    cc_snap s[6];
    CHECK_INT(cc_graph_snap(ctx, g, 6, sx, sy, s), CC_OK);
    CHECK_INT(s[0].edge, e0);
    CHECK_NEAR(s[0].offset_m, from_is(g, e0, 0, 0) ? 30 : 70, 1e-9);
    CHECK_NEAR(s[0].dist_m, 10, 1e-12);
    CHECK_NEAR(s[0].x, 30, 1e-12);
    CHECK_NEAR(s[0].y, 0, 1e-12);
    CHECK_INT(s[0].component, 0);
    CHECK_INT(s[1].edge, e1); /* not onto the bridge right above it */
    CHECK_NEAR(s[1].dist_m, 5, 1e-12);
    CHECK_NEAR(s[1].offset_m, 50, 1e-9);
    CHECK_INT(s[2].edge, ei6);
    CHECK_NEAR(s[2].dist_m, 3, 1e-12);
    CHECK(s[2].component != 0);
    CHECK_INT(s[3].edge, es);
    CHECK_NEAR(s[3].dist_m, 0, 1e-12);
    CHECK_NEAR(s[3].offset_m, from_is(g, es, 200, 100) ? 15 : 15, 1e-9);
    /* a point exactly on a junction: the lowest edge id among the four */
    uint32_t lowest = e0;
    if (e1 < lowest) lowest = e1;
    if (e2 < lowest) lowest = e2;
    if (e3 < lowest) lowest = e3;
    CHECK_INT(s[4].edge, lowest);
    CHECK_NEAR(s[4].dist_m, 0, 0);
    CHECK_INT(s[5].edge, CC_NONE);
    cc_graph_destroy(g);

    /* walk_elderly: 3.2 km/h and steps twice as long */
    cc_profile_destroy(p);
    cc_profile_create(ctx, "walk_elderly", 0, &p);
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_OK);
    cc_graph_edge(g, edge_between(g, 200, 100, 200, 130), &ei);
    CHECK_INT(ei.time_fwd_ds, 675);
    cc_graph_edge(g, edge_between(g, 0, 0, 100, 0), &ei);
    CHECK_INT(ei.time_fwd_ds, 1125);
    cc_graph_destroy(g);
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

static void test_drive_graph(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *p;
    cc_profile_create(ctx, "drive", 0, &p);
    cc_net_input in = fixture();
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_OK);
    if (!g) return;
    CHECK_INT(cc_graph_node_count(g), 11);
    CHECK_INT(cc_graph_edge_count(g), 8);
    CHECK_INT(cc_graph_arc_count(g), 14);
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    CHECK_INT(v.symmetric, 0);
    CHECK(v.rev_off != v.fwd_off);
    uint32_t em = edge_between(g, 0, 0, 0, -300), eo = edge_between(g, 100, 100, 200, 100);
    CHECK(em != CC_NONE && eo != CC_NONE);
    CHECK(edge_between(g, 200, 0, 200, 100) == CC_NONE); /* footway */
    cc_edge_info ei;
    cc_graph_edge(g, em, &ei);
    /* 300 m at 100 km/h = 10.8 s, only from (0,0) towards (0,-300) */
    int fw = from_is(g, em, 0, 0);
    CHECK_INT(fw ? ei.time_fwd_ds : ei.time_bwd_ds, 108);
    CHECK_INT(fw ? ei.time_bwd_ds : ei.time_fwd_ds, CC_NONE);
    cc_graph_edge(g, eo, &ei);
    fw = from_is(g, eo, 100, 100);
    CHECK_INT(fw ? ei.time_fwd_ds : ei.time_bwd_ds, 120); /* 100 m at 30 km/h */
    CHECK_INT(fw ? ei.time_bwd_ds : ei.time_fwd_ds, CC_NONE);
    /* reverse CSR lists the one-way arc at its head */
    uint32_t a = fw ? ei.to : ei.from, b = fw ? ei.from : ei.to; /* a = (200,100) */
    int found = 0;
    for (uint32_t k = v.rev_off[a]; k < v.rev_off[a + 1]; k++)
        if (v.rev_arc[k].head == b && v.rev_arc[k].time_ds == 120) found++;
    CHECK_INT(found, 1);
    for (uint32_t k = v.fwd_off[a]; k < v.fwd_off[a + 1]; k++)
        CHECK(v.fwd_arc[k].head != b);
    /* components (weak): main 7 incl. (0,-300), bridge 2, island 2 */
    CHECK_INT(cc_graph_component_count(g), 3);
    CHECK_INT(cc_graph_component_size(g, 0), 7);
    cc_graph_destroy(g);
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

static void test_snap_tolerance_and_errors(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *p;
    cc_profile_create(ctx, "walk", 0, &p);
    /* A (0,0)-(50,0)-(100,0); B (100.5,0)-(200,0); C (50,0.4)-(50,100) */
    double x[] = {0, 50, 100, 100.5, 200, 50, 50};
    double y[] = {0, 0, 0, 0, 0, 0.4, 100};
    size_t lc[] = {0, 3, 5, 7};
    cc_net_input in = {0};
    in.n_lines = 3;
    in.line_coord = lc;
    in.x = x;
    in.y = y;
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_OK);
    CHECK_INT(cc_graph_node_count(g), 6);
    CHECK_INT(cc_graph_edge_count(g), 3);
    CHECK_INT(cc_graph_component_count(g), 3);
    cc_graph_destroy(g);
    CHECK_INT(cc_graph_build(ctx, &in, p, 1.0, &g), CC_OK);
    CHECK_INT(cc_graph_node_count(g), 5);
    CHECK_INT(cc_graph_edge_count(g), 4);
    CHECK_INT(cc_graph_component_count(g), 1);
    uint32_t eb = edge_between(g, 100, 0, 200, 0);
    CHECK(eb != CC_NONE);
    cc_edge_info ei;
    cc_graph_edge(g, eb, &ei);
    CHECK_NEAR(ei.length_m, 100, 1e-12); /* the end moved onto (100,0) */
    CHECK(edge_between(g, 50, 0, 50, 100) != CC_NONE);
    cc_graph_destroy(g);
    /* tolerance smaller than the gap: nothing joins */
    CHECK_INT(cc_graph_build(ctx, &in, p, 0.3, &g), CC_OK);
    CHECK_INT(cc_graph_component_count(g), 3);
    cc_graph_destroy(g);

    x[1] = NAN;
    g = NULL;
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_ERR_DATA);
    CHECK(g == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "non-finite coordinate at vertex 1");
    x[1] = 50;
    const char *hw[] = {"motorway", "motorway", "proposed"};
    in.highway = hw;
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "no usable line for mode 'walk'");
    in.highway = NULL;
    /* every allocation failure is reported, never a crash */
    for (long nth = 1; nth < 80; nth++) {
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = cc_graph_build(ctx, &in, p, 1.0, &g);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            cc_graph_destroy(g);
            break;
        }
        CHECK_INT(st, CC_ERR_NOMEM);
    }
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

static void test_from_arcs(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    uint32_t from[] = {0, 1, 2}, to[] = {1, 2, 0};
    uint32_t tf[] = {10, 20, 30}, tb[] = {10, CC_NONE, 30};
    cc_graph *g = NULL;
    double x4[] = {0, 10, 10, 50}, y4[] = {0, 0, 10, 50};
    CHECK_INT(cc_graph_from_arcs(ctx, 4, x4, y4, 3, from, to, tf, tb, NULL, &g), CC_OK);
    CHECK_INT(cc_graph_node_count(g), 4);
    CHECK_INT(cc_graph_arc_count(g), 5);
    CHECK_INT(cc_graph_component_count(g), 2);
    CHECK_INT(cc_graph_component_size(g, 1), 1);
    CHECK_INT(cc_graph_component_node(g, 1, NULL, NULL), 3);
    cc_edge_info ei;
    cc_graph_edge(g, 2, &ei);
    CHECK_NEAR(ei.length_m, sqrt(200.0), 1e-12);
    CHECK_INT(ei.from, 2);
    cc_graph_destroy(g);
    uint32_t bad_to[] = {1, 9, 0};
    CHECK_INT(cc_graph_from_arcs(ctx, 4, NULL, NULL, 3, from, bad_to, tf, tb, NULL, &g),
              CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "edge 1 joins node 1 and 9");
    uint32_t zero[] = {10, 0, 30};
    CHECK_INT(cc_graph_from_arcs(ctx, 4, NULL, NULL, 3, from, to, zero, tb, NULL, &g),
              CC_ERR_INVALID);
    CHECK_INT(cc_graph_from_arcs(ctx, 4, NULL, NULL, 3, from, to, tf, tb, NULL, &g), CC_OK);
    cc_snap s;
    double px = 1, py = 1;
    CHECK_INT(cc_graph_snap(ctx, g, 1, &px, &py, &s), CC_ERR_INVALID);
    cc_graph_destroy(g);
    cc_ctx_destroy(ctx);
}

/* Snapping many points agrees with brute force over every segment. */
static void test_snap_brute(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *p;
    cc_profile_create(ctx, "walk", 0, &p);
    enum { N = 12 };
    /* a perturbed grid of horizontal and vertical polylines with 3 vertices each */
    double x[5 * N * N], y[5 * N * N];
    size_t lc[2 * N * N + 1];
    size_t nv = 0, nl = 0;
    srand(7);
    double jx[N][N], jy[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            jx[i][j] = i * 50.0 + (rand() % 100) / 10.0;
            jy[i][j] = j * 50.0 + (rand() % 100) / 10.0;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            if (i + 1 < N) {
                lc[nl++] = nv;
                x[nv] = jx[i][j], y[nv++] = jy[i][j];
                x[nv] = (jx[i][j] + jx[i + 1][j]) / 2 + 3, y[nv++] = (jy[i][j] + jy[i + 1][j]) / 2;
                x[nv] = jx[i + 1][j], y[nv++] = jy[i + 1][j];
            }
            if (j + 1 < N) {
                lc[nl++] = nv;
                x[nv] = jx[i][j], y[nv++] = jy[i][j];
                x[nv] = jx[i][j + 1], y[nv++] = jy[i][j + 1];
            }
        }
    lc[nl] = nv;
    cc_net_input in = {0};
    in.n_lines = nl;
    in.line_coord = lc;
    in.x = x;
    in.y = y;
    cc_graph *g;
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_OK);
    CHECK_INT(cc_graph_node_count(g), N * N);
    CHECK_INT(cc_graph_edge_count(g), 2 * N * (N - 1));
    enum { M = 500 };
    double qx[M], qy[M];
    for (int i = 0; i < M; i++) {
        qx[i] = -300 + rand() % 1200 + (rand() % 1000) / 1000.0;
        qy[i] = -300 + rand() % 1200 + (rand() % 1000) / 1000.0;
    }
    cc_snap s[M];
    CHECK_INT(cc_graph_snap(ctx, g, M, qx, qy, s), CC_OK);
    int bad = 0;
    for (int i = 0; i < M; i++) {
        double bd = INFINITY;
        for (uint32_t e = 0; e < cc_graph_edge_count(g); e++) {
            cc_edge_info ei;
            cc_graph_edge(g, e, &ei);
            for (size_t k = 0; k + 1 < ei.n_coords; k++) {
                double ax = ei.x[k], ay = ei.y[k], dx = ei.x[k + 1] - ax, dy = ei.y[k + 1] - ay;
                double t = ((qx[i] - ax) * dx + (qy[i] - ay) * dy) / (dx * dx + dy * dy);
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                double d = hypot(qx[i] - ax - t * dx, qy[i] - ay - t * dy);
                if (d < bd) bd = d;
            }
        }
        if (fabs(bd - s[i].dist_m) > 1e-9) bad++;
        /* the snapped position lies on the reported edge at the reported offset */
        cc_edge_info ei;
        cc_graph_edge(g, s[i].edge, &ei);
        double acc = 0, px = NAN, py = NAN;
        for (size_t k = 0; k + 1 < ei.n_coords; k++) {
            double sl = hypot(ei.x[k + 1] - ei.x[k], ei.y[k + 1] - ei.y[k]);
            if (s[i].offset_m <= acc + sl + 1e-9) {
                double t = (s[i].offset_m - acc) / sl;
                px = ei.x[k] + t * (ei.x[k + 1] - ei.x[k]);
                py = ei.y[k] + t * (ei.y[k + 1] - ei.y[k]);
                break;
            }
            acc += sl;
        }
        if (!(hypot(px - s[i].x, py - s[i].y) < 1e-6)) bad++;
    }
    CHECK_INT(bad, 0);
    cc_graph_destroy(g);
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_profiles();
    test_walk_graph();
    test_drive_graph();
    test_snap_tolerance_and_errors();
    test_from_arcs();
    test_snap_brute();
    return cc_test_done();
}
