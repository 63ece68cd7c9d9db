/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polygon sets: ring layout, holes, multipolygons, overlaps (lowest index wins), boundaries,
 * repair of a bow-tie, areas, errors naming the feature, out-of-memory paths, and 1e5 random
 * points against a brute-force even-odd ray-casting oracle.
 */
#include "carecircle/geom.h"
#include "cc_test.h"

#include <stdlib.h>

/* ---- Building the flat ring layout ---- */
typedef struct layout {
    size_t feat_part[64], part_coord[256];
    unsigned char part_hole[256];
    double x[2048], y[2048];
    size_t n_feat, n_part, n_coord;
} layout;

static void ring(layout *l, int hole, size_t n, const double *xy)
{
    if (l->n_part == 0) l->part_coord[0] = 0;
    for (size_t k = 0; k < n; k++) {
        l->x[l->n_coord] = xy[2 * k];
        l->y[l->n_coord] = xy[2 * k + 1];
        l->n_coord++;
    }
    l->part_hole[l->n_part] = (unsigned char)hole;
    l->n_part++;
    l->part_coord[l->n_part] = l->n_coord;
}

static void end_feature(layout *l)
{
    l->n_feat++;
    l->feat_part[l->n_feat] = l->n_part;
}

#define RING(l, hole, ...)                                                                         \
    do {                                                                                           \
        const double cc__xy[] = {__VA_ARGS__};                                                     \
        ring(l, hole, sizeof cc__xy / sizeof cc__xy[0] / 2, cc__xy);                               \
    } while (0)

/* The fixture, in metres. */
static void build_fixture(layout *l)
{
    memset(l, 0, sizeof *l);
    /* 0: 100 m square (ring not closed) with a 20 m square hole (closed). Area 9600. */
    RING(l, 0, 0, 0, 100, 0, 100, 100, 0, 100);
    RING(l, 1, 40, 40, 60, 40, 60, 60, 40, 60, 40, 40);
    end_feature(l);
    /* 1: 100 m square. Area 10000. */
    RING(l, 0, 200, 0, 300, 0, 300, 100, 200, 100, 200, 0);
    end_feature(l);
    /* 2: a square overlapping 1 on [250,300] x [50,100]. */
    RING(l, 0, 250, 50, 350, 50, 350, 150, 250, 150);
    end_feature(l);
    /* 3: a small square inside the hole of 0. */
    RING(l, 0, 45, 45, 55, 45, 55, 55, 45, 55);
    end_feature(l);
    /* 4: multipolygon: two squares, the second with a hole. Area 2500 + 2500 - 100. */
    RING(l, 0, 400, 0, 450, 0, 450, 50, 400, 50);
    RING(l, 0, 500, 0, 550, 0, 550, 50, 500, 50);
    RING(l, 1, 510, 10, 520, 10, 520, 20, 510, 20);
    end_feature(l);
    /* 5: bow-tie (self-intersecting at (650, 50)): two triangles of 2500 m2 after repair. */
    RING(l, 0, 600, 0, 700, 100, 700, 0, 600, 100);
    end_feature(l);
    /* 6: concave polygon with slanted edges and a triangular hole. */
    RING(l, 0, 0, 200, 150, 200, 150, 260, 60, 260, 120, 330, 0, 330);
    RING(l, 1, 20, 220, 50, 220, 30, 250);
    end_feature(l);
    /* 7: a large triangle under 1, 2, 4 and 5: it wins only where none of them holds a point. */
    RING(l, 0, 250, -50, 800, -50, 525, 300);
    end_feature(l);
}

/* ---- Oracle: even-odd ray casting over every ring of a feature ---- */
static int ring_crossings(const layout *l, size_t j, double px, double py)
{
    size_t c0 = l->part_coord[j], c1 = l->part_coord[j + 1], m = c1 - c0;
    int inside = 0;
    for (size_t a = 0, b = m - 1; a < m; b = a++) {
        double xa = l->x[c0 + a], ya = l->y[c0 + a], xb = l->x[c0 + b], yb = l->y[c0 + b];
        if ((ya > py) != (yb > py) && px < (xb - xa) * (py - ya) / (yb - ya) + xa) inside = !inside;
    }
    return inside;
}

static int32_t brute_locate(const layout *l, double px, double py)
{
    for (size_t i = 0; i < l->n_feat; i++) {
        int inside = 0;
        for (size_t j = l->feat_part[i]; j < l->feat_part[i + 1]; j++)
            inside ^= ring_crossings(l, j, px, py);
        if (inside) return (int32_t)i;
    }
    return -1;
}

static cc_polyset *make(cc_ctx *ctx, const layout *l, size_t *n_repaired, cc_status *st)
{
    cc_polyset *ps = NULL;
    *st = cc_geom_polyset_create(ctx, l->n_feat, l->feat_part, l->part_coord, l->part_hole, l->x,
                                 l->y, &ps, n_repaired);
    return ps;
}

static void test_fixture(cc_ctx *ctx)
{
    static layout l;
    build_fixture(&l);
    size_t rep = 99;
    cc_status st;
    cc_polyset *ps = make(ctx, &l, &rep, &st);
    CHECK_INT(st, CC_OK);
    if (!ps) return;
    CHECK_INT(rep, 1); /* only the bow-tie */
    CHECK_INT(cc_geom_polyset_count(ps), 8);
    CHECK_NEAR(cc_geom_polyset_area(ps, 0), 9600.0, 1e-9);
    CHECK_NEAR(cc_geom_polyset_area(ps, 1), 10000.0, 1e-9);
    CHECK_NEAR(cc_geom_polyset_area(ps, 4), 4900.0, 1e-9);
    CHECK_NEAR(cc_geom_polyset_area(ps, 5), 5000.0, 1e-9);
    CHECK_NEAR(cc_geom_polyset_area(ps, 6), 150.0 * 60 + 0.5 * (120 + 60) * 70 - 0.5 * 30 * 30,
               1e-9);
    CHECK_NEAR(cc_geom_polyset_area(ps, 99), 0.0, 0);
    double a, b, c, d;
    CHECK_INT(cc_geom_polyset_bounds(ps, 5, &a, &b, &c, &d), 1);
    CHECK(a == 600 && b == 0 && c == 700 && d == 100);
    CHECK_INT(cc_geom_polyset_bounds(ps, 8, &a, &b, &c, &d), 0);

    static const struct {
        double x, y;
        int32_t want;
        const char *why;
    } cases[] = {
        {10, 10, 0, "inside the square with a hole"},
        {42, 42, -1, "in the hole, outside the island"},
        {50, 50, 3, "on the island inside the hole"},
        {0, 50, 0, "on the outer edge"},
        {100, 100, 0, "on a corner"},
        {40, 50, 0, "on the hole's edge"},
        {45, 50, 3, "on the island's edge (inside the hole)"},
        {150, 50, -1, "between the squares"},
        {220, 20, 1, "square 1 only"},
        {275, 75, 1, "overlap of 1 and 2: lowest index"},
        {300, 75, 1, "right edge of 1, inside 2"},
        {275, 100, 1, "top edge of 1, inside 2"},
        {325, 125, 2, "square 2 only"},
        {200, 50, 1, "left edge of 1"},
        {425, 25, 4, "first part of the multipolygon"},
        {525, 40, 4, "second part of the multipolygon"},
        {515, 15, 7, "hole of the multipolygon, over the triangle"},
        {475, 25, 7, "between the parts, over the triangle"},
        {620, 50, 5, "left lobe of the bow-tie"},
        {680, 50, 5, "right lobe of the bow-tie"},
        {650, 50, 5, "the bow-tie's crossing point"},
        {650, 20, 7, "bottom wedge of the bow-tie: not part of it"},
        {600, 50, 5, "left edge of the bow-tie"},
        {10, 210, 6, "concave polygon"},
        {30, 230, -1, "triangular hole"},
        {100, 300, -1, "in the notch of the concave polygon"},
        {60, 300, 6, "upper arm of the concave polygon"},
        {1000, 1000, -1, "far away"},
        {-1e9, 5, -1, "very far away"},
    };
    size_t nc = sizeof cases / sizeof cases[0];
    double px[64], py[64];
    int32_t got[64];
    for (size_t k = 0; k < nc; k++) {
        px[k] = cases[k].x;
        py[k] = cases[k].y;
        got[k] = 12345;
    }
    px[nc] = NAN; /* a non-finite point is in no polygon */
    py[nc] = 0;
    CHECK_INT(cc_geom_polyset_locate(ctx, ps, nc + 1, px, py, got), CC_OK);
    for (size_t k = 0; k < nc; k++)
        CC__REPORT(got[k] == cases[k].want, "(%g, %g) %s: got %d, want %d", cases[k].x, cases[k].y,
                   cases[k].why, got[k], cases[k].want);
    CHECK_INT(got[nc], -1);
    CHECK_INT(cc_geom_polyset_locate(ctx, ps, 0, px, py, got), CC_OK);
    cc_geom_polyset_destroy(ps);
}

/* Overlap resolution does not depend on order: feed squares 2 and 1 in swapped order. */
static void test_overlap_order(cc_ctx *ctx)
{
    static layout l;
    memset(&l, 0, sizeof l);
    RING(&l, 0, 250, 50, 350, 50, 350, 150, 250, 150);
    end_feature(&l);
    RING(&l, 0, 200, 0, 300, 0, 300, 100, 200, 100);
    end_feature(&l);
    cc_status st;
    cc_polyset *ps = make(ctx, &l, NULL, &st);
    CHECK_INT(st, CC_OK);
    if (!ps) return;
    double x[3] = {275, 220, 325}, y[3] = {75, 20, 125};
    int32_t got[3];
    CHECK_INT(cc_geom_polyset_locate(ctx, ps, 3, x, y, got), CC_OK);
    CHECK_INT(got[0], 0);
    CHECK_INT(got[1], 1);
    CHECK_INT(got[2], 0);
    cc_geom_polyset_destroy(ps);
}

/* 1e5 random points: identical to the brute-force even-odd oracle. */
static void test_random_against_oracle(cc_ctx *ctx)
{
    static layout l;
    build_fixture(&l);
    cc_status st;
    cc_polyset *ps = make(ctx, &l, NULL, &st);
    CHECK_INT(st, CC_OK);
    if (!ps) return;
    size_t n = 100000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    int32_t *got = malloc(n * sizeof *got);
    if (!x || !y || !got) goto done;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (size_t k = 0; k < n; k++) {
        /* xorshift64*: uniform doubles over the fixture's extent plus a margin */
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        double u = (double)((s * 2685821657736338717ull) >> 11) / 9007199254740992.0;
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        double v = (double)((s * 2685821657736338717ull) >> 11) / 9007199254740992.0;
        x[k] = -100.0 + 1000.0 * u;
        y[k] = -100.0 + 500.0 * v;
    }
    CHECK_INT(cc_geom_polyset_locate(ctx, ps, n, x, y, got), CC_OK);
    size_t mismatches = 0, hits[9] = {0};
    for (size_t k = 0; k < n; k++) {
        int32_t want = brute_locate(&l, x[k], y[k]);
        if (got[k] != want) {
            if (mismatches < 5)
                fprintf(stderr, "mismatch at (%.9g, %.9g): got %d, oracle %d\n", x[k], y[k], got[k],
                        want);
            mismatches++;
        }
        hits[want + 1]++;
    }
    CHECK_INT(mismatches, 0);
    /* Every feature and the outside were actually exercised. */
    for (int i = 0; i < 9; i++)
        CC__REPORT(hits[i] > 5, "class %d hit %zu times", i - 1, hits[i]);
done:
    free(x);
    free(y);
    free(got);
    cc_geom_polyset_destroy(ps);
}

static void test_errors_and_repairs(cc_ctx *ctx)
{
    static layout l;
    cc_status st;
    cc_polyset *ps;
    size_t rep;

    /* A degenerate hole (2 points) is dropped and counted; the feature survives. */
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 10, 0, 10, 10, 0, 10);
    RING(&l, 1, 2, 2, 3, 3);
    end_feature(&l);
    RING(&l, 0, 20, 0, 30, 0, 30, 10, 20, 10);
    end_feature(&l);
    ps = make(ctx, &l, &rep, &st);
    CHECK_INT(st, CC_OK);
    CHECK_INT(rep, 1);
    CHECK_NEAR(cc_geom_polyset_area(ps, 0), 100.0, 1e-9);
    cc_geom_polyset_destroy(ps);

    /* A feature whose only ring has no area is empty after repair: error naming it. */
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 10, 0, 10, 10, 0, 10);
    end_feature(&l);
    RING(&l, 0, 0, 0, 10, 0, 20, 0);
    end_feature(&l);
    ps = (cc_polyset *)ctx;
    st = cc_geom_polyset_create(ctx, l.n_feat, l.feat_part, l.part_coord, l.part_hole, l.x, l.y,
                                &ps, &rep);
    CHECK_INT(st, CC_ERR_GEOM);
    CHECK(ps == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "feature 1: the polygon is empty after repair");

    /* Too few points, and no rings at all. */
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 10, 0, 10, 10, 0, 10);
    end_feature(&l);
    end_feature(&l);
    ps = make(ctx, &l, &rep, &st);
    CHECK_INT(st, CC_ERR_GEOM);
    CHECK_CONTAINS(cc_ctx_message(ctx), "feature 1: the polygon is empty (no ring");

    /* A hole before any outer ring. */
    memset(&l, 0, sizeof l);
    RING(&l, 1, 0, 0, 10, 0, 10, 10, 0, 10);
    end_feature(&l);
    ps = make(ctx, &l, &rep, &st);
    CHECK_INT(st, CC_ERR_GEOM);
    CHECK_CONTAINS(cc_ctx_message(ctx), "feature 0: ring 0 is a hole but no outer ring");

    /* A non-finite vertex. */
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 10, 0, 10, 10, 0, 10);
    end_feature(&l);
    RING(&l, 0, 0, 0, 10, 0, 10, NAN, 0, 10);
    end_feature(&l);
    ps = make(ctx, &l, &rep, &st);
    CHECK_INT(st, CC_ERR_GEOM);
    CHECK_CONTAINS(cc_ctx_message(ctx), "feature 1: ring 0, vertex 2 is not a finite number");

    /* A hole outside its shell is repaired (structure method: the hole is subtracted). */
    memset(&l, 0, sizeof l);
    RING(&l, 0, 0, 0, 10, 0, 10, 10, 0, 10);
    RING(&l, 1, 5, 5, 15, 5, 15, 15, 5, 15);
    end_feature(&l);
    ps = make(ctx, &l, &rep, &st);
    CHECK_INT(st, CC_OK);
    CHECK_INT(rep, 1);
    CHECK_NEAR(cc_geom_polyset_area(ps, 0), 75.0, 1e-9);
    if (ps) {
        double x[2] = {2, 7}, y[2] = {2, 7};
        int32_t got[2];
        CHECK_INT(cc_geom_polyset_locate(ctx, ps, 2, x, y, got), CC_OK);
        CHECK_INT(got[0], 0);
        CHECK_INT(got[1], -1);
    }
    cc_geom_polyset_destroy(ps);

    /* An empty set locates nothing. */
    size_t zero = 0;
    ps = NULL;
    CHECK_INT(cc_geom_polyset_create(ctx, 0, &zero, &zero, NULL, NULL, NULL, &ps, &rep), CC_OK);
    if (ps) {
        double x = 1, y = 1;
        int32_t got = 7;
        CHECK_INT(cc_geom_polyset_locate(ctx, ps, 1, &x, &y, &got), CC_OK);
        CHECK_INT(got, -1);
        CHECK_INT(cc_geom_polyset_count(ps), 0);
    }
    cc_geom_polyset_destroy(ps);
    cc_geom_polyset_destroy(NULL);
}

static void test_out_of_memory_and_interrupt(cc_ctx *ctx)
{
    static layout l;
    build_fixture(&l);
    int failures = 0;
    for (long k = 1; k <= 10; k++) {
        cc_polyset *ps = NULL;
        cc_ctx_set_alloc_fail(ctx, k);
        cc_status st = cc_geom_polyset_create(ctx, l.n_feat, l.feat_part, l.part_coord, l.part_hole,
                                              l.x, l.y, &ps, NULL);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            cc_geom_polyset_destroy(ps);
            continue;
        }
        failures++;
        CHECK_INT(st, CC_ERR_NOMEM);
        CHECK(ps == NULL);
    }
    CHECK(failures >= 7);
    cc_status st;
    cc_polyset *ps = make(ctx, &l, NULL, &st);
    if (ps) {
        double x = 10, y = 10;
        int32_t got;
        cc_ctx_interrupt(ctx);
        CHECK_INT(cc_geom_polyset_locate(ctx, ps, 1, &x, &y, &got), CC_ERR_INTERRUPTED);
        cc_ctx_clear_interrupt(ctx);
        CHECK_INT(cc_geom_polyset_locate(ctx, ps, 1, &x, &y, &got), CC_OK);
        CHECK_INT(got, 0);
    }
    cc_geom_polyset_destroy(ps);
}

int main(void)
{
    cc_ctx *ctx;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_fixture(ctx);
    test_overlap_order(ctx);
    test_random_against_oracle(ctx);
    test_errors_and_repairs(ctx);
    test_out_of_memory_and_interrupt(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
