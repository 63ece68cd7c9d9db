/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The service-area construction that cc_geom_service_area replaced, kept as a test oracle
 * (shared by tests/unit/geom/test_servicearea_oracle.c and
 * tests/unit/e2e/test_servicearea_sample.c): every reached stretch, found by a loop over every
 * edge with the full node-time array, buffered with GEOS (8 segments per quarter circle), the
 * bands unioned (cascaded union) and the union simplified with GEOSTopologyPreserveSimplify.
 * Also our flat polygons as GEOS geometry, and the comparison of the two.
 */
#ifndef CC_TEST_SERVICEAREA_ORACLE_H
#define CC_TEST_SERVICEAREA_ORACLE_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include "carecircle/geom.h"
#include "cc_test.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NONE
#define NONE UINT32_MAX
#endif

static GEOSContextHandle_t gh;

typedef struct ospan {
    double a, b;
} ospan;

static int cmp_ospan(const void *va, const void *vb)
{
    const ospan *a = va, *b = vb;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static double frac(double spare, uint32_t t)
{
    return (t == NONE || spare < 0) ? -1.0 : spare / (double)t;
}

static double plen(const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t k = 0; k + 1 < n; k++)
        s += hypot(x[k + 1] - x[k], y[k + 1] - y[k]);
    return s;
}

static void at(const double *x, const double *y, size_t n, double d, size_t *seg, double *px,
               double *py)
{
    double acc = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        double l = hypot(x[k + 1] - x[k], y[k + 1] - y[k]);
        if (d <= acc + l || k + 2 == n) {
            double t = l > 0 ? (d - acc) / l : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            *seg = k;
            *px = x[k] + t * (x[k + 1] - x[k]);
            *py = y[k] + t * (y[k + 1] - y[k]);
            return;
        }
        acc += l;
    }
    *seg = 0;
    *px = x[0];
    *py = y[0];
}

/* The old service area of the network net with node times nt (n_nodes, NONE = unreached):
 * GEOS buffer of every reached stretch, unary union, topology-preserving simplification.
 * *reached gets the reached length. */
static GEOSGeometry *oracle(const cc_geom_network *t, const uint32_t *nt, int reverse, size_t n_src,
                            const cc_geom_source *src, uint32_t limit, double buf, double simp,
                            double *reached)
{
    GEOSGeometry **lines = calloc(4 * t->n_edges + 8, sizeof *lines);
    size_t nl = 0;
    ospan sp[16];
    double lim = limit;
    *reached = 0;
    for (size_t e = 0; e < t->n_edges; e++) {
        size_t nc = t->lines[e].n;
        if (nc < 2) continue;
        uint32_t u = t->from[e], v = t->to[e];
        const uint32_t *tf = t->time_fwd_ds, *tb = t->time_bwd_ds;
        uint32_t t_from = reverse ? tb[e] : tf[e], t_to = reverse ? tf[e] : tb[e];
        size_t ns = 0;
        if (nt[u] != NONE && nt[u] <= limit) {
            double f = frac(lim - nt[u], t_from);
            if (f > 0) sp[ns++] = (ospan){0, f < 1 ? f : 1};
        }
        if (nt[v] != NONE && nt[v] <= limit) {
            double f = frac(lim - nt[v], t_to);
            if (f > 0) sp[ns++] = (ospan){f < 1 ? 1 - f : 0, 1};
        }
        const double *x = t->lines[e].x, *y = t->lines[e].y;
        double len = plen(x, y, nc);
        for (size_t k = 0; k < n_src; k++) {
            if (src[k].edge != e || src[k].time_ds > limit) continue;
            double pos = len > 0 ? src[k].offset_m / len : 0;
            pos = pos < 0 ? 0 : pos > 1 ? 1 : pos;
            double spare = lim - src[k].time_ds;
            double fu = frac(spare, reverse ? tb[e] : tf[e]);
            double fd = frac(spare, reverse ? tf[e] : tb[e]);
            double a = fd > 0 ? pos - fd : pos, b = fu > 0 ? pos + fu : pos;
            if (a < 0) a = 0;
            if (b > 1) b = 1;
            if (b > a) sp[ns++] = (ospan){a, b};
        }
        if (!ns || !(len > 0)) continue;
        qsort(sp, ns, sizeof *sp, cmp_ospan);
        size_t k = 0;
        while (k < ns) {
            double a = sp[k].a, b = sp[k].b;
            for (k++; k < ns && sp[k].a <= b; k++)
                if (sp[k].b > b) b = sp[k].b;
            size_t sa, sb;
            double ax, ay, bx, by;
            at(x, y, nc, a * len, &sa, &ax, &ay);
            at(x, y, nc, b * len, &sb, &bx, &by);
            unsigned m = (unsigned)(2 + (sb > sa ? sb - sa : 0)), c = 0;
            GEOSCoordSequence *seq = GEOSCoordSeq_create_r(gh, m, 2);
            GEOSCoordSeq_setXY_r(gh, seq, c++, ax, ay);
            for (size_t q = sa + 1; q <= sb; q++)
                GEOSCoordSeq_setXY_r(gh, seq, c++, x[q], y[q]);
            GEOSCoordSeq_setXY_r(gh, seq, c++, bx, by);
            GEOSGeometry *ls = GEOSGeom_createLineString_r(gh, seq);
            lines[nl++] = GEOSBuffer_r(gh, ls, buf, 8);
            GEOSGeom_destroy_r(gh, ls);
            *reached += (b - a) * len;
        }
    }
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(gh, GEOS_GEOMETRYCOLLECTION, lines, (unsigned)nl);
    GEOSGeometry *u = GEOSUnaryUnion_r(gh, coll);
    GEOSGeom_destroy_r(gh, coll);
    free(lines);
    if (simp > 0) {
        GEOSGeometry *s = GEOSTopologyPreserveSimplify_r(gh, u, simp);
        GEOSGeom_destroy_r(gh, u);
        u = s;
    }
    return u;
}

/* Our polygons as a GEOS MultiPolygon (feature 0). */
static GEOSGeometry *to_geos(const cc_geom_polys *p)
{
    size_t r0 = p->feat_part[0], r1 = p->feat_part[1];
    GEOSGeometry **polys = calloc(r1 - r0 + 1, sizeof *polys);
    GEOSGeometry **holes = calloc(r1 - r0 + 1, sizeof *holes);
    size_t np = 0;
    for (size_t r = r0; r < r1;) {
        GEOSGeometry *shell = NULL;
        size_t nh = 0, q = r;
        do {
            size_t c0 = p->part_coord[q], c1 = p->part_coord[q + 1];
            GEOSCoordSequence *seq = GEOSCoordSeq_create_r(gh, (unsigned)(c1 - c0), 2);
            for (size_t c = c0; c < c1; c++)
                GEOSCoordSeq_setXY_r(gh, seq, (unsigned)(c - c0), p->x[c], p->y[c]);
            GEOSGeometry *ring = GEOSGeom_createLinearRing_r(gh, seq);
            if (q == r)
                shell = ring;
            else
                holes[nh++] = ring;
            q++;
        } while (q < r1 && p->part_hole[q]);
        CHECK(!p->part_hole[r]);
        polys[np++] = GEOSGeom_createPolygon_r(gh, shell, holes, (unsigned)nh);
        r = q;
    }
    GEOSGeometry *m = GEOSGeom_createCollection_r(gh, GEOS_MULTIPOLYGON, polys, (unsigned)np);
    free(polys);
    free(holes);
    return m;
}

/* Holes of at least min_m2 (smaller ones depend on the resolution of either method). */
static int count_holes(const GEOSGeometry *g, double min_m2)
{
    int n = 0, k = GEOSGetNumGeometries_r(gh, g);
    for (int i = 0; i < k; i++) {
        const GEOSGeometry *pg = GEOSGetGeometryN_r(gh, g, i);
        int nh = GEOSGetNumInteriorRings_r(gh, pg);
        for (int q = 0; q < nh; q++) {
            GEOSGeometry *ring = GEOSGeom_clone_r(gh, GEOSGetInteriorRingN_r(gh, pg, q));
            GEOSGeometry *hp = GEOSGeom_createPolygon_r(gh, ring, NULL, 0);
            double a = 0;
            GEOSArea_r(gh, hp, &a);
            if (getenv("CC_TEST_HOLES") && a < 50) printf("  small hole %.3f m2\n", a);
            n += a >= min_m2;
            GEOSGeom_destroy_r(gh, hp);
        }
    }
    return n;
}

typedef struct cmp_result {
    double rel_diff; /* symmetric difference / oracle area */
    double area;     /* oracle area */
    int parts, oracle_parts, holes, oracle_holes, valid;
    double len, oracle_len;
    size_t coords, oracle_coords;
} cmp_result;

/* Compare our polygons p (feature 0) with the oracle o (consumed): validity, area of the
 * symmetric difference, polygons, holes of at least 400 m2 (about 20 m across: smaller ones
 * come and go with either method's resolution). */
static void compare_geom(const cc_geom_polys *p, GEOSGeometry *o, cmp_result *r)
{
    GEOSGeometry *m = to_geos(p);
    r->valid = GEOSisValid_r(gh, m) == 1;
    GEOSGeometry *d = GEOSSymDifference_r(gh, m, o);
    double ad = 0;
    GEOSArea_r(gh, d, &ad);
    GEOSArea_r(gh, o, &r->area);
    r->rel_diff = r->area > 0 ? ad / r->area : ad;
    r->parts = GEOSGetNumGeometries_r(gh, m);
    r->oracle_parts = GEOSGetNumGeometries_r(gh, o);
    r->holes = count_holes(m, 400.0);
    r->oracle_holes = count_holes(o, 400.0);
    r->coords = p->n_coords;
    r->oracle_coords = (size_t)GEOSGetNumCoordinates_r(gh, o);
    GEOSGeom_destroy_r(gh, d);
    GEOSGeom_destroy_r(gh, m);
    GEOSGeom_destroy_r(gh, o);
}

static void print_result(const char *what, const cmp_result *r)
{
    if (getenv("CC_TEST_VERBOSE"))
        printf("%s: area %.0f m2, diff %.4f%%, parts %d/%d, holes %d/%d, len %.1f/%.1f, "
               "coords %zu/%zu, valid %d\n",
               what, r->area, 100 * r->rel_diff, r->parts, r->oracle_parts, r->holes,
               r->oracle_holes, r->len, r->oracle_len, r->coords, r->oracle_coords, r->valid);
}

#endif
