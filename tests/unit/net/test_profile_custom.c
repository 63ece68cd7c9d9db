/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net: user-defined profiles (cc_profile_customize). An empty customisation leaves every
 * built-in rule unchanged; class rules forbid, re-speed and slow exactly the lines of their
 * class; unlisted classes follow the base mode or are forbidden; UTF-8 class values; one-way
 * policy; validation; unused-class report.
 */
#include "carecircle/net.h"
#include "cc_test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Twelve unconnected lines, one edge each, 100 m long except line 12 (10.1 m). Line i runs
 * from (0, 10 i) to (len, 10 i), so its edge runs forward in the digitising direction. */
#define NL 13
static const char *const hw[NL] = {
    "footway", "steps",   "primary",       "residential", "主干路",      "支路",    "motorway",
    NULL,      "footway", "footway;steps", "service",     "residential", "crossing"};
static const char *const access_[NL] = {NULL, NULL,      NULL, NULL, NULL, NULL, NULL,
                                        NULL, "private", NULL, NULL, NULL, NULL};
static const char *const foot[NL] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                     NULL, NULL, NULL, "no", NULL, NULL};
static const char *const oneway[NL] = {NULL, NULL, NULL, "yes", NULL, NULL, NULL,
                                       NULL, NULL, NULL, NULL,  "-1", NULL};
static const char *const maxspeed[NL] = {NULL, NULL, NULL, NULL, "50", NULL, NULL,
                                         NULL, NULL, NULL, NULL, NULL, NULL};
static double xs[2 * NL], ys[2 * NL];
static size_t lc[NL + 1];
static int64_t ids[NL];

static cc_net_input fixture(void)
{
    for (size_t i = 0; i < NL; i++) {
        lc[i] = 2 * i;
        xs[2 * i] = 0;
        xs[2 * i + 1] = i == 12 ? 10.1 : 100;
        ys[2 * i] = ys[2 * i + 1] = 10.0 * (double)i;
        ids[i] = (int64_t)i;
    }
    lc[NL] = 2 * NL;
    cc_net_input in = {0};
    in.n_lines = NL;
    in.line_coord = lc;
    in.x = xs;
    in.y = ys;
    in.line_id = ids;
    in.highway = hw;
    in.access = access_;
    in.foot = foot;
    in.oneway = oneway;
    in.maxspeed = maxspeed;
    return in;
}

/* Times of line l in a graph: fwd/bwd in the digitising direction; -1 when the line is absent,
 * -2 for a direction without an arc. */
typedef struct lt {
    long fwd, bwd;
} lt;

static lt line_times(const cc_graph *g, int64_t l)
{
    lt t = {-1, -1};
    for (uint32_t e = 0; e < cc_graph_edge_count(g); e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        if (ei.line_id != l) continue;
        double x0, y0;
        cc_graph_node_xy(g, ei.from, &x0, &y0);
        uint32_t f = ei.time_fwd_ds, b = ei.time_bwd_ds;
        if (x0 != 0) { /* edge stored against the digitising direction */
            uint32_t s = f;
            f = b;
            b = s;
        }
        t.fwd = f == CC_NONE ? -2 : (long)f;
        t.bwd = b == CC_NONE ? -2 : (long)b;
    }
    return t;
}

#define CHECK_LINE(g, l, f, b)                                                                     \
    do {                                                                                           \
        lt cc__t = line_times((g), (l));                                                           \
        CC__REPORT(cc__t.fwd == (f) && cc__t.bwd == (b), "line %d: %ld/%ld, want %ld/%ld",         \
                   (int)(l), cc__t.fwd, cc__t.bwd, (long)(f), (long)(b));                          \
    } while (0)

static cc_graph *build(cc_ctx *ctx, const char *mode, double speed, const cc_profile_custom *spec)
{
    cc_net_input in = fixture();
    cc_profile *p = NULL;
    cc_graph *g = NULL;
    if (cc_profile_create(ctx, mode, speed, &p) != CC_OK) return NULL;
    if (spec && cc_profile_customize(ctx, p, spec) != CC_OK) {
        fprintf(stderr, "customize: %s\n", cc_ctx_message(ctx));
        cc_profile_destroy(p);
        return NULL;
    }
    if (cc_graph_build(ctx, &in, p, 0, &g) != CC_OK) fprintf(stderr, "%s\n", cc_ctx_message(ctx));
    cc_profile_destroy(p);
    return g;
}

/* An empty customisation gives the built-in answer for every mode and many tag mixes. */
static void test_empty_spec_is_identity(void)
{
    static const char *const modes[] = {"walk", "walk_elderly", "bike", "drive"};
    static const char *const hws[] = {
        NULL,     "",         "footway", "steps", "primary",       "motorway",    "trunk",
        "主干路", "cycleway", "service", "track", "steps;footway", "residential", "construction"};
    static const char *const foots[] = {NULL, "yes", "no", "use_sidepath"};
    static const char *const accs[] = {NULL, "private", "no", "yes"};
    static const char *const sws[] = {NULL, "both"};
    static const char *const ows[] = {NULL, "yes", "-1", "no", "1;no"};
    static const char *const mss[] = {NULL, "50", "20 mph", "none"};
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    const cc_profile_custom none = {0};
    long diffs = 0, cases = 0;
    for (size_t m = 0; m < 4; m++) {
        cc_profile *a = NULL, *b = NULL;
        CHECK_INT(cc_profile_create(ctx, modes[m], 0, &a), CC_OK);
        CHECK_INT(cc_profile_create(ctx, modes[m], 0, &b), CC_OK);
        if (!a || !b) break;
        CHECK_INT(cc_profile_customize(ctx, b, &none), CC_OK);
        CHECK_INT(cc_profile_is_custom(a), 0);
        CHECK_INT(cc_profile_is_custom(b), 1);
        CHECK_STR(cc_profile_mode(b), modes[m]);
        for (size_t h = 0; h < sizeof hws / sizeof *hws; h++)
            for (size_t f = 0; f < 4; f++)
                for (size_t ac = 0; ac < 4; ac++)
                    for (size_t s = 0; s < 2; s++)
                        for (size_t o = 0; o < 5; o++)
                            for (size_t ms = 0; ms < 4; ms++) {
                                cc_line_rule ra, rb;
                                cc_profile_rule(a, hws[h], foots[f], accs[ac], sws[s], ows[o],
                                                mss[ms], &ra);
                                cc_profile_rule(b, hws[h], foots[f], accs[ac], sws[s], ows[o],
                                                mss[ms], &rb);
                                cases++;
                                diffs += ra.forward != rb.forward || ra.backward != rb.backward ||
                                         ra.speed_kmh != rb.speed_kmh || ra.factor != rb.factor;
                            }
        cc_profile_destroy(a);
        cc_profile_destroy(b);
    }
    CHECK_INT(cases, 4L * 14 * 4 * 4 * 2 * 5 * 4);
    CHECK_INT(diffs, 0);

    /* And the same graph for the fixture. */
    cc_graph *g0 = build(ctx, "walk_elderly", 0, NULL), *g1 = build(ctx, "walk_elderly", 0, &none);
    CHECK(g0 && g1);
    if (g0 && g1) {
        CHECK_INT(cc_graph_edge_count(g0), cc_graph_edge_count(g1));
        for (int64_t l = 0; l < NL; l++) {
            lt a = line_times(g0, l), b = line_times(g1, l);
            CHECK(a.fwd == b.fwd && a.bwd == b.bwd);
        }
        CHECK_LINE(g1, 1, 2250, 2250); /* steps: 100 m at 3.2 km/h x 2 */
    }
    cc_graph_destroy(g0);
    cc_graph_destroy(g1);
    cc_ctx_destroy(ctx);
}

/* walk + rules: forbid steps, footway at 3.5 km/h, primary x1.3, 主干路 x1.5, crossing x1.5. */
static void test_walk_rules(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    const cc_class_rule rules[] = {{"steps", 0, 0, 0},
                                   {"footway", 1, 3.5, 0},
                                   {"primary", 1, 0, 1.3},
                                   {"主干路", 1, 0, 1.5},
                                   {"crossing", 1, 0, 1.5}};
    cc_profile_custom spec = {rules, 5, 0, CC_ONEWAY_MODE};
    cc_graph *g = build(ctx, "walk", 0, &spec);
    CHECK(g != NULL);
    if (g) {
        CHECK_LINE(g, 0, 1029, 1029); /* footway: 100 m x 36 / 3.5 = 1028.57 */
        CHECK_LINE(g, 1, -1, -1);     /* steps forbidden */
        CHECK_LINE(g, 2, 1170, 1170); /* primary: 900 x 1.3 */
        CHECK_LINE(g, 3, 900, 900);   /* residential oneway=yes: walking ignores it */
        CHECK_LINE(g, 4, 1350, 1350); /* 主干路: unknown to walk, listed: 4 km/h x 1.5 */
        CHECK_LINE(g, 5, -1, -1);     /* 支路: unlisted, walk does not know it */
        CHECK_LINE(g, 6, -1, -1);     /* motorway: unlisted, walk excludes it */
        CHECK_LINE(g, 7, 900, 900);   /* untagged: as walk */
        CHECK_LINE(g, 8, -1, -1);     /* footway access=private: a class rule keeps access */
        CHECK_LINE(g, 9, 1029, 1029); /* "footway;steps": first value footway */
        CHECK_LINE(g, 10, -1, -1);    /* service foot=no */
        CHECK_LINE(g, 11, 900, 900);
        /* 10.1 m x 1.5: the factor is applied before rounding (136.35 -> 136), exactly like the
           built-in steps factor, not to the rounded time (91 x 1.5 = 136.5 -> 137). */
        CHECK_LINE(g, 12, 136, 136);
        CHECK_INT(cc_time_ds(10.1, 4.0, 1.5), 136);
        CHECK_INT(cc_graph_edge_count(g), 8);
    }
    cc_graph_destroy(g);

    /* The same rules on walk_elderly at 3 km/h: listed speed replaces the steps factor. */
    const cc_class_rule er[] = {{"steps", 1, 0, 1.5}, {"footway", 1, 2.5, 0}};
    cc_profile_custom es = {er, 2, 0, CC_ONEWAY_MODE};
    g = build(ctx, "walk_elderly", 3.0, &es);
    CHECK(g != NULL);
    if (g) {
        CHECK_LINE(g, 1, 3600, 3600); /* steps: 100 m at 3 km/h x 2 (built-in) x 1.5 */
        CHECK_LINE(g, 0, 1440, 1440); /* footway at 2.5 km/h */
        CHECK_LINE(g, 2, 1200, 1200); /* primary unlisted: base speed 3 km/h */
    }
    cc_graph_destroy(g);
    const cc_class_rule er2[] = {{"steps", 1, 2.0, 1.5}};
    cc_profile_custom es2 = {er2, 1, 0, CC_ONEWAY_MODE};
    g = build(ctx, "walk_elderly", 0, &es2);
    if (g) CHECK_LINE(g, 1, 2700, 2700); /* steps at 2 km/h (built-in x2 dropped) x 1.5 */
    CHECK(g != NULL);
    cc_graph_destroy(g);
    cc_ctx_destroy(ctx);
}

/* default: no - only listed classes remain, lines without a class are dropped too. */
static void test_forbid_unlisted(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    const cc_class_rule rules[] = {{"footway", 1, 0, 0}, {"主干路", 1, 5.0, 0}, {"支路", 1, 0, 2}};
    cc_profile_custom spec = {rules, 3, 1, CC_ONEWAY_MODE};
    cc_graph *g = build(ctx, "walk", 0, &spec);
    CHECK(g != NULL);
    if (g) {
        CHECK_INT(cc_graph_edge_count(g), 4);
        CHECK_LINE(g, 0, 900, 900);   /* footway at the walk speed */
        CHECK_LINE(g, 4, 720, 720);   /* 主干路 at 5 km/h */
        CHECK_LINE(g, 5, 1800, 1800); /* 支路 x 2 */
        CHECK_LINE(g, 9, 900, 900);   /* footway;steps */
        CHECK_LINE(g, 7, -1, -1);     /* untagged: not listed */
        CHECK_LINE(g, 3, -1, -1);
        CHECK_LINE(g, 8, -1, -1); /* listed footway, but access=private */
    }
    cc_graph_destroy(g);

    /* A non-OSM layer whose classes are all Chinese: nothing is usable for built-in walk... */
    static const char *const zh[] = {"主干路", "次干路", "支路", "人行道"};
    static const size_t zc[] = {0, 2, 4, 6, 8};
    static const double zx[] = {0, 100, 100, 200, 200, 300, 300, 400};
    static const double zy[] = {0, 0, 0, 0, 0, 0, 0, 0};
    cc_net_input in = {0};
    in.n_lines = 4;
    in.line_coord = zc;
    in.x = zx;
    in.y = zy;
    in.highway = zh;
    cc_profile *p = NULL;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &p), CC_OK);
    g = NULL;
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_ERR_DATA);
    /* ...and a profile naming them makes one 4-edge chain (人行道 at 5 km/h, 主干路 x 1.2). */
    const cc_class_rule zr[] = {
        {"主干路", 1, 0, 1.2}, {"次干路", 1, 0, 0}, {"支路", 1, 0, 0}, {"人行道", 1, 5, 0}};
    cc_profile_custom zs = {zr, 4, 1, CC_ONEWAY_MODE};
    CHECK_INT(cc_profile_customize(ctx, p, &zs), CC_OK);
    CHECK_INT(cc_graph_build(ctx, &in, p, 0, &g), CC_OK);
    if (g) {
        CHECK_INT(cc_graph_edge_count(g), 4);
        CHECK_INT(cc_graph_component_count(g), 1);
        long sum = 0;
        for (uint32_t e = 0; e < cc_graph_edge_count(g); e++) {
            cc_edge_info ei;
            cc_graph_edge(g, e, &ei);
            sum += ei.time_fwd_ds;
        }
        CHECK_INT(sum, 1080 + 900 + 900 + 720);
    }
    cc_graph_destroy(g);
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

static void test_oneway_and_drive(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile_custom resp = {NULL, 0, 0, CC_ONEWAY_RESPECT};
    cc_graph *g = build(ctx, "walk", 0, &resp);
    CHECK(g != NULL);
    if (g) {
        CHECK_LINE(g, 3, 900, -2);  /* oneway=yes */
        CHECK_LINE(g, 11, -2, 900); /* oneway=-1 */
        CHECK_LINE(g, 0, 900, 900);
        cc_graph_view v;
        cc_graph_get_view(g, &v);
        CHECK_INT(v.symmetric, 0); /* one-way arcs: a separate reverse CSR */
    }
    cc_graph_destroy(g);

    /* drive: ignore one-way tags, primary x 2, 主干路 allowed (drive does not know it). */
    const cc_class_rule dr[] = {{"primary", 1, 0, 2.0}, {"主干路", 1, 0, 0}};
    cc_profile_custom ds = {dr, 2, 0, CC_ONEWAY_IGNORE};
    g = build(ctx, "drive", 0, &ds);
    CHECK(g != NULL);
    if (g) {
        CHECK_LINE(g, 2, 120, 120); /* 100 m at 60 km/h = 60 ds, x 2 */
        CHECK_LINE(g, 3, 120, 120); /* residential oneway=yes, ignored: 30 km/h */
        CHECK_LINE(g, 4, 72, 72);   /* 主干路 with maxspeed 50 */
        CHECK_LINE(g, 6, 36, 36);   /* motorway unlisted, implied one-way ignored */
        CHECK_LINE(g, 0, -1, -1);   /* footway: drive excludes it */
    }
    cc_graph_destroy(g);
    cc_profile_custom dm = {dr, 2, 0, CC_ONEWAY_MODE};
    g = build(ctx, "drive", 0, &dm);
    if (g) {
        CHECK_LINE(g, 3, 120, -2);
        CHECK_LINE(g, 11, -2, 120);
        CHECK_LINE(g, 6, 36, -2); /* motorway implied one-way kept */
    }
    CHECK(g != NULL);
    cc_graph_destroy(g);

    cc_profile *p = NULL;
    cc_line_rule r;
    CHECK_INT(cc_profile_create(ctx, "drive", 0, &p), CC_OK);
    CHECK_INT(cc_profile_customize(ctx, p, &ds), CC_OK);
    cc_profile_rule(p, "主干路", NULL, NULL, NULL, "yes", NULL, &r);
    CHECK(r.forward && r.backward);
    CHECK_NEAR(r.speed_kmh, 30, 0);
    cc_profile_rule(p, "主干路", NULL, "private", NULL, NULL, NULL, &r);
    CHECK(!r.forward && !r.backward);
    cc_profile_rule(p, "primary", NULL, NULL, NULL, NULL, "80", &r);
    CHECK_NEAR(r.speed_kmh, 80, 0);
    CHECK_NEAR(r.factor, 2.0, 0);
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

static void test_validation_and_unused(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *p = NULL;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &p), CC_OK);
    if (!p) return;
    const cc_class_rule good[] = {{"steps", 0, 0, 0}};
    cc_profile_custom gs = {good, 1, 0, CC_ONEWAY_MODE};
    CHECK_INT(cc_profile_customize(ctx, p, &gs), CC_OK);

    const cc_class_rule dup[] = {{"footway", 1, 0, 0}, {"path", 1, 0, 0}, {"footway", 0, 0, 0}};
    cc_profile_custom s = {dup, 3, 0, CC_ONEWAY_MODE};
    CHECK_INT(cc_profile_customize(ctx, p, &s), CC_ERR_INVALID);
    CHECK_STR(cc_ctx_message(ctx),
              "custom profile: class 'footway' is listed twice; keep one rule per class");
    const cc_class_rule neg[] = {{"primary", 1, 0, -1}};
    s.classes = neg;
    s.n_classes = 1;
    CHECK_INT(cc_profile_customize(ctx, p, &s), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "class 'primary' has time factor -1");
    const cc_class_rule nanspeed[] = {{"primary", 1, NAN, 0}};
    s.classes = nanspeed;
    CHECK_INT(cc_profile_customize(ctx, p, &s), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "class 'primary' has speed nan km/h");
    const cc_class_rule noname[] = {{"", 1, 0, 0}};
    s.classes = noname;
    CHECK_INT(cc_profile_customize(ctx, p, &s), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "class rule 0 has no class name");
    s.classes = good;
    s.oneway = (cc_oneway_policy)7;
    CHECK_INT(cc_profile_customize(ctx, p, &s), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "oneway policy 7 is unknown");
    CHECK_INT(cc_profile_customize(ctx, p, NULL), CC_ERR_INVALID);

    /* Failed calls left the first customisation in place: steps still forbidden. */
    cc_line_rule r;
    cc_profile_rule(p, "steps", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(!r.forward && !r.backward);
    cc_profile_rule(p, "path", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(r.forward && r.backward);

    /* A second customisation replaces the first. */
    const cc_class_rule second[] = {{"path", 0, 0, 0}};
    cc_profile_custom s2 = {second, 1, 0, CC_ONEWAY_MODE};
    CHECK_INT(cc_profile_customize(ctx, p, &s2), CC_OK);
    cc_profile_rule(p, "steps", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(r.forward && r.backward);
    cc_profile_rule(p, "path", NULL, NULL, NULL, NULL, NULL, &r);
    CHECK(!r.forward);

    /* Classes that never occur: counted, the first in the order given. */
    cc_net_input in = fixture();
    const cc_class_rule un[] = {
        {"steps", 0, 0, 0}, {"未知", 1, 0, 0}, {"footway", 1, 0, 0}, {"aaa", 1, 0, 0}};
    cc_profile_custom us = {un, 4, 0, CC_ONEWAY_MODE};
    CHECK_INT(cc_profile_customize(ctx, p, &us), CC_OK);
    const char *first = NULL;
    CHECK_INT(cc_profile_unused_classes(p, &in, &first), 2);
    CHECK_STR(first, "未知");
    cc_profile *plain = NULL;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &plain), CC_OK);
    first = "x";
    CHECK_INT(cc_profile_unused_classes(plain, &in, &first), 0);
    CHECK(first == NULL);
    cc_profile_destroy(plain);

    /* Out of memory while copying the rules: error, profile unchanged, nothing leaked. */
    for (long n = 1; n <= 2; n++) { /* the rule array, then the class name */
        cc_ctx_set_alloc_fail(ctx, n);
        cc_status st = cc_profile_customize(ctx, p, &s2);
        cc_ctx_set_alloc_fail(ctx, 0);
        CHECK_INT(st, CC_ERR_NOMEM);
        cc_profile_rule(p, "aaa", NULL, NULL, NULL, NULL, NULL, &r);
        CHECK(r.forward); /* still the previous rules: aaa allowed */
    }
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_empty_spec_is_identity();
    test_walk_rules();
    test_forbid_unlisted();
    test_oneway_and_drive();
    test_validation_and_unused();
    return cc_test_done();
}
