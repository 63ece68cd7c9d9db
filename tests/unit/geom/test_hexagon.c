/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hexagon aggregation and dissolve: grid indexing (pointy and flat), a hand fixture (two
 * clusters -> two areas; a ring of six hexagons around an empty one -> one polygon with a
 * hole), attributes (sums, weighted mean gap, nulls, reason mix, dominant reason), exact
 * population conservation and point-in-area agreement on random data, independence of the
 * point order, and errors.
 */
#include "carecircle/geom.h"
#include "cc_test.h"

#include <stdint.h>
#include <stdlib.h>

#define SQ3 1.7320508075688772

/* Centre of hexagon (q, r) in the default (pointy, 250 m, origin 0) grid. */
static void centre(int q, int r, double *x, double *y)
{
    *x = 250.0 * (q + r / 2.0);
    *y = 250.0 * SQ3 / 2.0 * r;
}

/* Twice the signed area of ring j. */
static double ring_area2(const cc_geom_polys *p, size_t j)
{
    double s = 0.0;
    for (size_t k = p->part_coord[j]; k + 1 < p->part_coord[j + 1]; k++)
        s += p->x[k] * p->y[k + 1] - p->x[k + 1] * p->y[k];
    return s;
}

static void test_index(void)
{
    int64_t q = 99, r = 99;
    CHECK(cc_geom_hex_index(NULL, 0, 0, &q, &r));
    CHECK_INT(q, 0);
    CHECK_INT(r, 0);
    CHECK(cc_geom_hex_index(NULL, 250, 0, &q, &r));
    CHECK_INT(q, 1);
    CHECK_INT(r, 0);
    CHECK(cc_geom_hex_index(NULL, 124, 0, &q, &r)); /* just inside hexagon (0, 0) */
    CHECK_INT(q, 0);
    CHECK(cc_geom_hex_index(NULL, 126, 0, &q, &r)); /* just inside hexagon (1, 0) */
    CHECK_INT(q, 1);
    double x, y;
    centre(-3, 2, &x, &y);
    CHECK(cc_geom_hex_index(NULL, x + 20, y - 30, &q, &r));
    CHECK_INT(q, -3);
    CHECK_INT(r, 2);
    /* Near the top corner of (0, 0) (at y = 144.3): above it lies row 1. */
    CHECK(cc_geom_hex_index(NULL, 1, 140, &q, &r));
    CHECK_INT(r, 0);
    CHECK(cc_geom_hex_index(NULL, 1, 150, &q, &r));
    CHECK_INT(r, 1);
    CHECK_INT(q, 0); /* centre (125, 216.5) */
    CHECK(cc_geom_hex_index(NULL, -1, 150, &q, &r));
    CHECK_INT(q, -1); /* centre (-125, 216.5) */
    /* Flat-topped, 100 m, origin (1000, 2000): x and y swapped. */
    cc_hex_params fp = {100.0, 1, 1000.0, 2000.0};
    CHECK(cc_geom_hex_index(&fp, 1000, 2100, &q, &r));
    CHECK_INT(q, 1);
    CHECK_INT(r, 0);
    CHECK(cc_geom_hex_index(&fp, 1000 + 100 * SQ3 / 2, 2000 + 50, &q, &r));
    CHECK_INT(q, 0);
    CHECK_INT(r, 1);
    CHECK(!cc_geom_hex_index(NULL, NAN, 0, &q, &r));
    CHECK(!cc_geom_hex_index(NULL, 1e300, 0, &q, &r));
}

static void test_fixture(cc_ctx *ctx)
{
    /* Points: cluster A at hexagons (0,0) x2 and (1,0); cluster B at (5,5); a ring of six
     * around (10,-4) (its centre empty); one covered point in the empty centre. */
    static const int hq[] = {0, 0, 1, 5, 11, 9, 10, 10, 11, 9, 10};
    static const int hr[] = {0, 0, 0, 5, -4, -4, -3, -5, -5, -3, -4};
    enum { N = 11 };
    double x[N], y[N], g0[N], g1[N], gap[N];
    unsigned char und[N];
    int32_t reason[N];
    for (int i = 0; i < N; i++) {
        centre(hq[i], hr[i], &x[i], &y[i]);
        x[i] += (i % 3) * 10.0; /* off-centre, still inside */
        y[i] -= (i % 2) * 15.0;
        g0[i] = 10 + i;
        g1[i] = i % 2;
        gap[i] = 2.0 * i;
        und[i] = 1;
        reason[i] = i % 3;
    }
    und[10] = 0;  /* the centre of the ring is covered */
    gap[1] = NAN; /* a null gap in cluster A */
    reason[2] = -1;
    const double *pop[2] = {g0, g1};
    cc_hex_input in = {N, x, y, und, 2, pop, gap, 3, reason};
    cc_hex_areas *a = NULL;
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, NULL, &a), CC_OK);
    if (!a) return;
    const cc_geom_polys *p = &a->geom;
    double hex_area = 250.0 * 250.0 * SQ3 / 2.0;
    CHECK_INT(p->n, 3);
    /* Order by lowest hexagon (r, then q): the ring (r = -5) first, then A (r = 0), then B. */
    CHECK_INT(a->hex_r[0], -5);
    CHECK_INT(a->hex_q[0], 10);
    CHECK_INT(a->hex_r[1], 0);
    CHECK_INT(a->hex_q[1], 0);
    CHECK_INT(a->hex_r[2], 5);
    CHECK_INT(a->hex_q[2], 5);
    CHECK_INT(a->n_hex[0], 6);
    CHECK_INT(a->n_hex[1], 2);
    CHECK_INT(a->n_hex[2], 1);
    CHECK_INT(a->n_points[0], 6);
    CHECK_INT(a->n_points[1], 3);
    CHECK_INT(a->n_points[2], 1);

    /* Ring: one outer ring (18 corners + closing point) and one hole (the empty hexagon). */
    CHECK_INT(p->feat_part[1] - p->feat_part[0], 2);
    CHECK_INT(p->part_hole[0], 0);
    CHECK_INT(p->part_hole[1], 1);
    CHECK_INT(p->part_coord[1] - p->part_coord[0], 19);
    CHECK_INT(p->part_coord[2] - p->part_coord[1], 7);
    CHECK(ring_area2(p, 0) > 0); /* outer counter-clockwise */
    CHECK(ring_area2(p, 1) < 0); /* hole clockwise */
    CHECK_NEAR(ring_area2(p, 1) / -2.0, hex_area, 1e-3);
    CHECK_NEAR(cc_geom_polys_area(p, 0), 6 * hex_area, 1e-3);
    CHECK_NEAR(a->area_m2[0], 6 * hex_area, 1e-6);
    /* A: two hexagons merged into one ring of 10 corners. */
    CHECK_INT(p->feat_part[2] - p->feat_part[1], 1);
    size_t ja = p->feat_part[1];
    CHECK_INT(p->part_coord[ja + 1] - p->part_coord[ja], 11);
    CHECK_NEAR(cc_geom_polys_area(p, 1), 2 * hex_area, 1e-3);
    CHECK_INT(p->feat_part[3] - p->feat_part[2], 1);
    CHECK_NEAR(cc_geom_polys_area(p, 2), hex_area, 1e-3);
    /* Rings are closed. */
    for (size_t j = 0; j < p->n_parts; j++) {
        CHECK(p->x[p->part_coord[j]] == p->x[p->part_coord[j + 1] - 1]);
        CHECK(p->y[p->part_coord[j]] == p->y[p->part_coord[j + 1] - 1]);
    }

    /* Attributes of A: points 0, 1, 2. */
    size_t n = p->n;
    CHECK_NEAR(a->pop[0 * n + 1], 10 + 11 + 12, 0);
    CHECK_NEAR(a->pop[1 * n + 1], 0 + 1 + 0, 0);
    CHECK_NEAR(a->pop_total[1], 34, 0);
    /* Gap of point 1 is null: mean over points 0 (w 10, gap 0) and 2 (w 12, gap 4). */
    CHECK_NEAR(a->gap_mean_min[1], (10 * 0.0 + 12 * 4.0) / 22.0, 1e-12);
    CHECK_NEAR(a->gap_max_min[1], 4.0, 0);
    CHECK_INT(a->n_gap_null[1], 1);
    /* Reasons of A: point 0 -> 0 (10 people), point 1 -> 1 (12 people), point 2 -> none. */
    CHECK_NEAR(a->reason_pop[0 * n + 1], 10, 0);
    CHECK_NEAR(a->reason_pop[1 * n + 1], 12, 0);
    CHECK_NEAR(a->reason_pop[2 * n + 1], 0, 0);
    CHECK_INT(a->reason_points[1 * n + 1], 1);
    CHECK_INT(a->dominant_reason[1], 1);
    /* B: point 3 only, reason 0. */
    CHECK_NEAR(a->pop_total[2], 13 + 1, 0);
    CHECK_NEAR(a->gap_mean_min[2], 6.0, 1e-12);
    CHECK_INT(a->dominant_reason[2], 0);
    /* Ring: points 4..9, reasons 1,2,0,1,2,0, people (14+0)(15+1)(16+0)(17+1)(18+0)(19+1). */
    CHECK_NEAR(a->reason_pop[0 * n + 0], 16 + 20, 0);
    CHECK_NEAR(a->reason_pop[1 * n + 0], 14 + 18, 0);
    CHECK_NEAR(a->reason_pop[2 * n + 0], 16 + 18, 0);
    CHECK_INT(a->dominant_reason[0], 0);
    CHECK_NEAR(a->gap_max_min[0], 18.0, 0);
    CHECK_INT(a->n_gap_null[0], 0);
    CHECK_INT(a->area_of_point[0], 1);
    CHECK_INT(a->area_of_point[3], 2);
    CHECK_INT(a->area_of_point[7], 0);
    CHECK_INT(a->area_of_point[10], -1);

    /* The polygons as a polygon set: the covered centre point falls in no area. */
    cc_polyset *ps = NULL;
    CHECK_INT(cc_geom_polyset_create(ctx, p->n, p->feat_part, p->part_coord, p->part_hole, p->x,
                                     p->y, &ps, NULL),
              CC_OK);
    int32_t idx[N];
    if (ps) {
        CHECK_INT(cc_geom_polyset_locate(ctx, ps, N, x, y, idx), CC_OK);
        for (int i = 0; i < N; i++)
            CHECK_INT(idx[i], a->area_of_point[i]);
    }
    cc_geom_polyset_destroy(ps);
    cc_geom_hex_areas_destroy(a);
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static double urand(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* Random points: exact conservation (dyadic counts), every area polygon holds exactly its
 * points, areas equal hexagon counts, and the point order does not matter. */
static void test_random(cc_ctx *ctx, const cc_hex_params *hp, int dyadic)
{
    enum { N = 4000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    double *g0 = malloc(N * sizeof *g0), *g1 = malloc(N * sizeof *g1);
    double *gap = malloc(N * sizeof *gap);
    unsigned char *und = malloc(N);
    int32_t *reason = malloc(N * sizeof *reason), *idx = malloc(N * sizeof *idx);
    double want0 = 0, want1 = 0;
    size_t want_n = 0;
    for (int i = 0; i < N; i++) {
        x[i] = 500000 + urand() * 8000;
        y[i] = 3400000 + urand() * 8000;
        g0[i] = dyadic ? (double)(rnd() % 64) / 8.0 : urand() * 37.1;
        g1[i] = dyadic ? (double)(rnd() % 16) / 4.0 : urand() * 3.3;
        gap[i] = (rnd() % 10) == 0 ? NAN : urand() * 20;
        und[i] = (rnd() % 100) < 20;
        reason[i] = (int32_t)(rnd() % 4) - 1;
        if (und[i]) {
            want0 += g0[i];
            want1 += g1[i];
            want_n++;
        }
    }
    const double *pop[2] = {g0, g1};
    cc_hex_input in = {N, x, y, und, 2, pop, gap, 3, reason};
    cc_hex_areas *a = NULL;
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, hp, &a), CC_OK);
    if (!a) goto done;
    size_t n = a->geom.n;
    CHECK(n > 20);
    size_t holes = 0;
    for (size_t j = 0; j < a->geom.n_parts; j++)
        holes += a->geom.part_hole[j];
    CHECK(holes > 0); /* sparse enough for many areas, dense enough for enclosed gaps */
    double s0 = 0, s1 = 0, sr = 0, st = 0;
    size_t sn = 0;
    for (size_t k = 0; k < n; k++) {
        s0 += a->pop[k];
        s1 += a->pop[n + k];
        st += a->pop_total[k];
        for (size_t rc = 0; rc < 3; rc++)
            sr += a->reason_pop[rc * n + k];
        sn += a->n_points[k];
        CHECK_NEAR(cc_geom_polys_area(&a->geom, k), a->area_m2[k], 1e-6 * a->area_m2[k]);
        if (k > 0)
            CHECK(a->hex_r[k - 1] < a->hex_r[k] ||
                  (a->hex_r[k - 1] == a->hex_r[k] && a->hex_q[k - 1] < a->hex_q[k]));
    }
    if (dyadic) {
        CHECK(s0 == want0);
        CHECK(s1 == want1);
        CHECK(st == want0 + want1);
    } else {
        CHECK_NEAR(s0, want0, 1e-9 * want0);
        CHECK_NEAR(s1, want1, 1e-9 * want1);
    }
    CHECK(sr <= st + 1e-9);
    CHECK_INT(sn, want_n);

    /* Every underserved point lies in its own area's polygon, every other in none or any. */
    cc_polyset *ps = NULL;
    CHECK_INT(cc_geom_polyset_create(ctx, n, a->geom.feat_part, a->geom.part_coord,
                                     a->geom.part_hole, a->geom.x, a->geom.y, &ps, NULL),
              CC_OK);
    if (ps) {
        size_t repaired = 99;
        cc_geom_polyset_destroy(ps);
        ps = NULL;
        CHECK_INT(cc_geom_polyset_create(ctx, n, a->geom.feat_part, a->geom.part_coord,
                                         a->geom.part_hole, a->geom.x, a->geom.y, &ps, &repaired),
                  CC_OK);
        CHECK_INT(repaired, 0); /* the dissolved polygons are valid as they are */
        CHECK_INT(cc_geom_polyset_locate(ctx, ps, N, x, y, idx), CC_OK);
        int bad = 0;
        for (int i = 0; i < N; i++)
            if (und[i] && idx[i] != a->area_of_point[i]) bad++;
        CHECK_INT(bad, 0);
    }
    cc_geom_polyset_destroy(ps);

    /* Reversed point order: the same polygons, byte for byte. */
    for (int i = 0; i < N / 2; i++) {
        int j = N - 1 - i;
        double t;
        t = x[i], x[i] = x[j], x[j] = t;
        t = y[i], y[i] = y[j], y[j] = t;
        t = g0[i], g0[i] = g0[j], g0[j] = t;
        t = g1[i], g1[i] = g1[j], g1[j] = t;
        t = gap[i], gap[i] = gap[j], gap[j] = t;
        unsigned char u = und[i];
        und[i] = und[j], und[j] = u;
        int32_t rr = reason[i];
        reason[i] = reason[j], reason[j] = rr;
    }
    cc_hex_areas *b = NULL;
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, hp, &b), CC_OK);
    if (b) {
        CHECK_INT(b->geom.n, n);
        CHECK_INT(b->geom.n_coords, a->geom.n_coords);
        if (b->geom.n_coords == a->geom.n_coords) {
            CHECK(memcmp(a->geom.x, b->geom.x, a->geom.n_coords * sizeof(double)) == 0);
            CHECK(memcmp(a->geom.y, b->geom.y, a->geom.n_coords * sizeof(double)) == 0);
        }
        if (b->geom.n == n) {
            CHECK(memcmp(a->n_points, b->n_points, n * sizeof(size_t)) == 0);
            if (dyadic) CHECK(memcmp(a->pop, b->pop, n * sizeof(double)) == 0);
        }
    }
    cc_geom_hex_areas_destroy(b);
    cc_geom_hex_areas_destroy(a);
done:
    free(x), free(y), free(g0), free(g1), free(gap), free(und), free(reason), free(idx);
}

static void test_errors(cc_ctx *ctx)
{
    double x[4] = {0, 10, 20, NAN}, y[4] = {0, 0, 0, 0}, g[4] = {1, 2, 3, 4};
    unsigned char und[4] = {1, 1, 1, 0};
    int32_t reason[4] = {0, 1, 5, 0};
    const double *pop[1] = {g};
    cc_hex_areas *a = (cc_hex_areas *)1;
    /* The non-finite point is not underserved: ignored. Reason 5 of point 2 is out of range. */
    cc_hex_input in = {4, x, y, und, 1, pop, NULL, 2, reason};
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, NULL, &a), CC_ERR_DATA);
    CHECK(a == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "underserved point 2: reason code 5");
    reason[2] = -1;
    und[3] = 1;
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, NULL, &a), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "underserved point 3: coordinates are not finite");
    und[3] = 0;
    g[1] = -1;
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, NULL, &a), CC_ERR_DATA);
    CHECK_CONTAINS(cc_ctx_message(ctx), "point 1: population of group 0 is negative");
    g[1] = 2;
    cc_hex_params bad = {0.0, 0, 0, 0};
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, &bad, &a), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "hexagon size must be a positive");
    /* Nothing underserved: no areas, still a valid result. */
    memset(und, 0, sizeof und);
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, NULL, &a), CC_OK);
    if (a) {
        CHECK_INT(a->geom.n, 0);
        CHECK_INT(a->area_of_point[0], -1);
    }
    cc_geom_hex_areas_destroy(a);
    /* All three on one row, 10 m apart: one hexagon, one area, sum 6. */
    und[0] = und[1] = und[2] = 1;
    CHECK_INT(cc_geom_hex_dissolve(ctx, &in, NULL, &a), CC_OK);
    if (a) {
        CHECK_INT(a->geom.n, 1);
        CHECK_NEAR(a->pop[0], 6, 0);
        CHECK_INT(a->dominant_reason[0], 1); /* reason 0: 1 person; reason 1: 2 people */
    }
    cc_geom_hex_areas_destroy(a);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_index();
    test_fixture(ctx);
    cc_hex_params def = CC_HEX_PARAMS_DEFAULT;
    test_random(ctx, &def, 1);
    cc_hex_params flat = {230.0, 1, 123.25, -77.5};
    test_random(ctx, &flat, 1);
    test_random(ctx, &def, 0);
    test_errors(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
