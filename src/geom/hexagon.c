/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Underserved areas: underserved demand points aggregated into a regular hexagon grid, hexagons
 * that share an edge grouped (union-find on axial hexagon indices, not on geometry) and each
 * group dissolved into one polygon with GEOS. Each area carries the unserved people per group,
 * the gap statistics and the reason mix of the points inside it.
 *
 * Grid (axial coordinates, see "Hexagonal Grids", Amit Patel, redblobgames.com, 2013): for a
 * pointy-topped grid of flat-to-flat size w and circumradius R = w / sqrt(3), hexagon (q, r) is
 * centred at (w * (q + r/2), 1.5 * R * r) from the origin. Hexagon corners are computed on an
 * integer lattice (x in units of w/2, y in units of R/2) so that neighbours share bit-identical
 * vertices and the union is exact. The flat-topped grid is the same with x and y swapped.
 */
#include "geom/geom_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HEX_MAX_INDEX 1099511627776.0 /* 2^40 hexagons from the origin in any direction */

static const cc_hex_params hex_default = CC_HEX_PARAMS_DEFAULT;

int cc_geom_hex_index(const cc_hex_params *params, double x, double y, int64_t *q, int64_t *r)
{
    const cc_hex_params *p = params ? params : &hex_default;
    if (!(p->size_m > 0) || !isfinite(p->size_m) || !isfinite(x) || !isfinite(y)) return 0;
    double px = x - p->origin_x, py = y - p->origin_y;
    if (p->flat_top) {
        double t = px;
        px = py;
        py = t;
    }
    double R = p->size_m / sqrt(3.0);
    double fq = (sqrt(3.0) / 3.0 * px - py / 3.0) / R;
    double fr = (2.0 / 3.0 * py) / R;
    if (!(fabs(fq) < HEX_MAX_INDEX) || !(fabs(fr) < HEX_MAX_INDEX)) return 0;
    /* Cube rounding: round all three cube coordinates, then fix the one that moved most. */
    double fs = -fq - fr;
    double rq = nearbyint(fq), rr = nearbyint(fr), rs = nearbyint(fs);
    double dq = fabs(rq - fq), dr = fabs(rr - fr), ds = fabs(rs - fs);
    if (dq > dr && dq > ds)
        rq = -rr - rs;
    else if (dr > ds)
        rr = -rq - rs;
    *q = (int64_t)rq;
    *r = (int64_t)rr;
    return 1;
}

typedef struct hex_key {
    int64_t r, q; /* row first: the order of areas follows rows, then columns */
} hex_key;

typedef struct point_ref {
    hex_key k;
    size_t i; /* point index */
} point_ref;

static int cmp_key(const hex_key *a, const hex_key *b)
{
    if (a->r != b->r) return a->r < b->r ? -1 : 1;
    if (a->q != b->q) return a->q < b->q ? -1 : 1;
    return 0;
}

static int cmp_point_ref(const void *va, const void *vb)
{
    const point_ref *a = va, *b = vb;
    int c = cmp_key(&a->k, &b->k);
    if (c) return c;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Index of key k in the sorted unique array, or -1. */
static ptrdiff_t find_hex(const hex_key *hex, size_t n, hex_key k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(&hex[mid], &k);
        if (c == 0) return (ptrdiff_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static size_t uf_find(size_t *parent, size_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    return a;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    /* The lower index becomes the root, so a root is its group's lowest hexagon. */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* The hexagon polygon of key k (corners on the integer lattice). */
static GEOSGeometry *hex_polygon(cc__geos *g, const cc_hex_params *p, hex_key k)
{
    static const int corner[6][2] = {{1, -1}, {1, 1}, {0, 2}, {-1, 1}, {-1, -1}, {0, -2}};
    double half_w = p->size_m / 2.0, half_R = p->size_m / sqrt(3.0) / 2.0;
    /* Centre on the lattice: X = 2q + r (units of w/2), Y = 3r (units of R/2). The lattice
     * integers stay below 2^43, exact in a double. */
    double cx = 2.0 * (double)k.q + (double)k.r, cy = 3.0 * (double)k.r;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(g->h, 7, 2);
    if (!seq) return NULL;
    for (unsigned c = 0; c < 7; c++) {
        double X = cx + corner[c % 6][0], Y = cy + corner[c % 6][1];
        double x = X * half_w, y = Y * half_R;
        if (p->flat_top) {
            double t = x;
            x = y;
            y = t;
        }
        if (!GEOSCoordSeq_setXY_r(g->h, seq, c, p->origin_x + x, p->origin_y + y)) {
            GEOSCoordSeq_destroy_r(g->h, seq);
            return NULL;
        }
    }
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(g->h, seq);
    if (!ring) return NULL;
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(g->h, ring, NULL, 0);
    if (!poly) GEOSGeom_destroy_r(g->h, ring);
    return poly;
}

/* Union of the hexagons hex[idx[0..m-1]]; one hexagon is returned as it is. */
static GEOSGeometry *dissolve(cc__geos *g, const cc_hex_params *p, const hex_key *hex,
                              const size_t *idx, size_t m)
{
    if (m == 1) return hex_polygon(g, p, hex[idx[0]]);
    if (m > (size_t)0xffffffffu) return NULL;
    GEOSGeometry **polys = calloc(m, sizeof *polys);
    if (!polys) return NULL;
    GEOSGeometry *out = NULL;
    size_t k = 0;
    for (; k < m; k++)
        if (!(polys[k] = hex_polygon(g, p, hex[idx[k]]))) break;
    if (k == m) {
        GEOSGeometry *coll =
            GEOSGeom_createCollection_r(g->h, GEOS_GEOMETRYCOLLECTION, polys, (unsigned)m);
        if (coll) {
            out = GEOSUnaryUnion_r(g->h, coll);
            GEOSGeom_destroy_r(g->h, coll);
        } else {
            for (size_t j = 0; j < m; j++)
                GEOSGeom_destroy_r(g->h, polys[j]);
        }
    } else {
        for (size_t j = 0; j < k; j++)
            GEOSGeom_destroy_r(g->h, polys[j]);
    }
    free(polys);
    return out;
}

void cc_geom_hex_areas_destroy(cc_hex_areas *a)
{
    if (!a) return;
    cc_geom_polys_free(&a->geom);
    cc_free(a->pop);
    cc_free(a->pop_total);
    cc_free(a->n_points);
    cc_free(a->n_hex);
    cc_free(a->area_m2);
    cc_free(a->gap_mean_min);
    cc_free(a->gap_max_min);
    cc_free(a->n_gap_null);
    cc_free(a->reason_pop);
    cc_free(a->reason_points);
    cc_free(a->dominant_reason);
    cc_free(a->hex_q);
    cc_free(a->hex_r);
    cc_free(a->area_of_point);
    cc_free(a);
}

/* Check the inputs of aggregated point i. */
static cc_status check_point(cc_ctx *ctx, const cc_hex_input *in, size_t i)
{
    if (!isfinite(in->x[i]) || !isfinite(in->y[i]))
        return cc_error(ctx, CC_ERR_DATA,
                        "underserved point %zu: coordinates are not finite numbers; fix or drop "
                        "the point before aggregating",
                        i);
    for (size_t gi = 0; gi < in->n_groups; gi++) {
        double v = in->pop[gi][i];
        if (!isfinite(v) || v < 0)
            return cc_error(ctx, CC_ERR_DATA,
                            "underserved point %zu: population of group %zu is %s; counts must "
                            "be finite and >= 0",
                            i, gi, isfinite(v) ? "negative" : "not a finite number");
    }
    if (in->reason &&
        (in->reason[i] < -1 || (in->reason[i] >= 0 && (size_t)in->reason[i] >= in->n_reasons)))
        return cc_error(ctx, CC_ERR_DATA,
                        "underserved point %zu: reason code %d is out of range (0..%zu, or -1 "
                        "for none)",
                        i, (int)in->reason[i], in->n_reasons ? in->n_reasons - 1 : 0);
    return CC_OK;
}

cc_status cc_geom_hex_dissolve(cc_ctx *ctx, const cc_hex_input *in, const cc_hex_params *params,
                               cc_hex_areas **out)
{
    const cc_hex_params *p = params ? params : &hex_default;
    cc_status st = CC_OK;
    cc__geos g = {0};
    point_ref *refs = NULL;
    hex_key *hex = NULL;
    size_t *parent = NULL, *area_of_hex = NULL, *order = NULL, *start = NULL;
    double *wsum = NULL, *wgap = NULL, *ugap = NULL;
    size_t *ngap = NULL;
    *out = NULL;

    if (!(p->size_m > 0) || !isfinite(p->size_m) || !isfinite(p->origin_x) ||
        !isfinite(p->origin_y))
        return cc_error(ctx, CC_ERR_INVALID,
                        "hexagon size must be a positive number of metres (got %g) and the "
                        "origin finite",
                        p->size_m);
    if (in->n_groups && !in->pop)
        return cc_error(ctx, CC_ERR_INVALID, "hexagon aggregation: %zu groups but no population",
                        in->n_groups);

    cc_hex_areas *a = cc_calloc(ctx, 1, sizeof *a);
    if (!a) return CC_ERR_NOMEM;
    a->n_groups = in->n_groups;
    a->n_reasons = in->n_reasons;
    a->area_of_point = cc_malloc_array(ctx, in->n ? in->n : 1, sizeof *a->area_of_point);
    refs = cc_malloc_array(ctx, in->n ? in->n : 1, sizeof *refs);
    if (!a->area_of_point || !refs) {
        st = CC_ERR_NOMEM;
        goto fail;
    }

    /* 1. Hexagon of every aggregated point; sort points by hexagon (then index). */
    size_t m = 0;
    for (size_t i = 0; i < in->n; i++) {
        a->area_of_point[i] = -1;
        if (in->underserved && !in->underserved[i]) continue;
        if ((st = check_point(ctx, in, i)) != CC_OK) goto fail;
        if (!cc_geom_hex_index(p, in->x[i], in->y[i], &refs[m].k.q, &refs[m].k.r)) {
            st = cc_error(ctx, CC_ERR_DATA,
                          "underserved point %zu (%g, %g) is too far from the grid origin for "
                          "%g m hexagons; check the working CRS",
                          i, in->x[i], in->y[i], p->size_m);
            goto fail;
        }
        refs[m++].i = i;
    }
    qsort(refs, m, sizeof *refs, cmp_point_ref);

    /* 2. Unique hexagons, in (r, q) order. */
    hex = cc_malloc_array(ctx, m ? m : 1, sizeof *hex);
    start = cc_malloc_array(ctx, m + 1, sizeof *start); /* points of hexagon h: start[h].. */
    if (!hex || !start) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    size_t nh = 0;
    for (size_t k = 0; k < m; k++) {
        if (k == 0 || cmp_key(&refs[k].k, &hex[nh - 1]) != 0) {
            start[nh] = k;
            hex[nh++] = refs[k].k;
        }
    }
    start[nh] = m;

    /* 3. Connected groups: union each hexagon with its edge neighbours that come later. */
    parent = cc_malloc_array(ctx, nh ? nh : 1, sizeof *parent);
    area_of_hex = cc_malloc_array(ctx, nh ? nh : 1, sizeof *area_of_hex);
    order = cc_malloc_array(ctx, nh ? nh : 1, sizeof *order);
    if (!parent || !area_of_hex || !order) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    for (size_t h = 0; h < nh; h++)
        parent[h] = h;
    static const int nb[3][2] = {{1, 0}, {0, 1}, {-1, 1}}; /* (dq, dr): the other 3 are mirrors */
    for (size_t h = 0; h < nh; h++) {
        for (int d = 0; d < 3; d++) {
            hex_key k = {hex[h].r + nb[d][1], hex[h].q + nb[d][0]};
            ptrdiff_t o = find_hex(hex, nh, k);
            if (o >= 0) uf_union(parent, h, (size_t)o);
        }
    }
    /* Roots are the lowest hexagon of their group, so numbering roots in hexagon order gives
     * areas ordered by their lowest hexagon. */
    size_t na = 0;
    for (size_t h = 0; h < nh; h++) {
        size_t root = uf_find(parent, h);
        area_of_hex[h] = root == h ? na++ : area_of_hex[root];
    }

    /* 4. Attributes. Points are visited in (hexagon, index) order: sums are deterministic. */
    size_t na1 = na ? na : 1;
    a->pop = cc_calloc(ctx, in->n_groups ? in->n_groups : 1, na1 * sizeof *a->pop);
    a->pop_total = cc_calloc(ctx, na ? na : 1, sizeof *a->pop_total);
    a->n_points = cc_calloc(ctx, na ? na : 1, sizeof *a->n_points);
    a->n_hex = cc_calloc(ctx, na ? na : 1, sizeof *a->n_hex);
    a->area_m2 = cc_calloc(ctx, na ? na : 1, sizeof *a->area_m2);
    a->gap_mean_min = cc_calloc(ctx, na ? na : 1, sizeof *a->gap_mean_min);
    a->gap_max_min = cc_calloc(ctx, na ? na : 1, sizeof *a->gap_max_min);
    a->n_gap_null = cc_calloc(ctx, na ? na : 1, sizeof *a->n_gap_null);
    a->reason_pop = cc_calloc(ctx, in->n_reasons ? in->n_reasons : 1, na1 * sizeof *a->reason_pop);
    a->reason_points =
        cc_calloc(ctx, in->n_reasons ? in->n_reasons : 1, na1 * sizeof *a->reason_points);
    a->dominant_reason = cc_calloc(ctx, na ? na : 1, sizeof *a->dominant_reason);
    a->hex_q = cc_calloc(ctx, na ? na : 1, sizeof *a->hex_q);
    a->hex_r = cc_calloc(ctx, na ? na : 1, sizeof *a->hex_r);
    wsum = cc_calloc(ctx, na ? na : 1, sizeof *wsum);
    wgap = cc_calloc(ctx, na ? na : 1, sizeof *wgap);
    ugap = cc_calloc(ctx, na ? na : 1, sizeof *ugap);
    ngap = cc_calloc(ctx, na ? na : 1, sizeof *ngap);
    if (!a->pop || !a->pop_total || !a->n_points || !a->n_hex || !a->area_m2 || !a->gap_mean_min ||
        !a->gap_max_min || !a->n_gap_null || !a->reason_pop || !a->reason_points ||
        !a->dominant_reason || !a->hex_q || !a->hex_r || !wsum || !wgap || !ugap || !ngap) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    for (size_t k = 0; k < na; k++)
        a->gap_max_min[k] = NAN;
    double hex_area = p->size_m * p->size_m * sqrt(3.0) / 2.0;
    for (size_t h = 0; h < nh; h++) {
        size_t ar = area_of_hex[h];
        if (a->n_hex[ar]++ == 0) {
            a->hex_q[ar] = hex[h].q;
            a->hex_r[ar] = hex[h].r;
        }
        for (size_t k = start[h]; k < start[h + 1]; k++) {
            size_t i = refs[k].i;
            double w = 0.0;
            for (size_t gi = 0; gi < in->n_groups; gi++) {
                a->pop[gi * na + ar] += in->pop[gi][i];
                w += in->pop[gi][i];
            }
            a->pop_total[ar] += w;
            a->n_points[ar]++;
            a->area_of_point[i] = (int32_t)ar;
            double gap = in->gap_min ? in->gap_min[i] : NAN;
            if (isfinite(gap)) {
                wsum[ar] += w;
                wgap[ar] += w * gap;
                ugap[ar] += gap;
                ngap[ar]++;
                if (!(a->gap_max_min[ar] >= gap)) a->gap_max_min[ar] = gap;
            } else {
                a->n_gap_null[ar]++;
            }
            int32_t rc = in->reason ? in->reason[i] : -1;
            if (rc >= 0) {
                a->reason_pop[(size_t)rc * na + ar] += w;
                a->reason_points[(size_t)rc * na + ar]++;
            }
        }
    }
    for (size_t k = 0; k < na; k++) {
        a->area_m2[k] = (double)a->n_hex[k] * hex_area;
        a->gap_mean_min[k] = ngap[k] == 0  ? NAN
                             : wsum[k] > 0 ? wgap[k] / wsum[k]
                                           : ugap[k] / (double)ngap[k];
        int32_t best = -1;
        for (size_t rc = 0; rc < in->n_reasons; rc++) {
            size_t ix = rc * na + k;
            if (a->reason_points[ix] == 0) continue;
            if (best < 0) {
                best = (int32_t)rc;
                continue;
            }
            size_t bx = (size_t)best * na + k;
            if (a->reason_pop[ix] > a->reason_pop[bx] ||
                (a->reason_pop[ix] == a->reason_pop[bx] &&
                 a->reason_points[ix] > a->reason_points[bx]))
                best = (int32_t)rc;
        }
        a->dominant_reason[k] = best;
    }

    /* 5. Geometry: hexagons bucketed by area (counting sort keeps hexagon order), dissolved. */
    if (na > 0) {
        size_t *first = cc_calloc(ctx, na + 1, sizeof *first);
        if (!first) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
        for (size_t k = 0; k < na; k++)
            first[k + 1] = first[k] + a->n_hex[k];
        size_t *fill = start; /* reuse: no longer needed */
        memcpy(fill, first, na * sizeof *fill);
        for (size_t h = 0; h < nh; h++)
            order[fill[area_of_hex[h]]++] = h;
        if ((st = cc__geos_open(ctx, &g)) != CC_OK) {
            cc_free(first);
            goto fail;
        }
        for (size_t k = 0; k < na && !st; k++) {
            if ((k & 255) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) break;
            GEOSGeometry *u = dissolve(&g, p, hex, order + first[k], a->n_hex[k]);
            if (!u) {
                st = cc_error(ctx, CC_ERR_GEOM,
                              "underserved area %zu (%zu hexagons from hexagon q=%lld r=%lld): "
                              "cannot dissolve the hexagons (%s)",
                              k, a->n_hex[k], (long long)a->hex_q[k], (long long)a->hex_r[k],
                              cc__geos_reason(&g));
                break;
            }
            st = cc__geos_append_polys(ctx, &g, u, &a->geom);
            GEOSGeom_destroy_r(g.h, u);
        }
        cc_free(first);
        if (st) goto fail;
    }

    cc__geos_close(&g);
    cc_free(refs);
    cc_free(hex);
    cc_free(parent);
    cc_free(area_of_hex);
    cc_free(order);
    cc_free(start);
    cc_free(wsum);
    cc_free(wgap);
    cc_free(ugap);
    cc_free(ngap);
    *out = a;
    return CC_OK;
fail:
    cc__geos_close(&g);
    cc_free(refs);
    cc_free(hex);
    cc_free(parent);
    cc_free(area_of_hex);
    cc_free(order);
    cc_free(start);
    cc_free(wsum);
    cc_free(wgap);
    cc_free(ugap);
    cc_free(ngap);
    cc_geom_hex_areas_destroy(a);
    return st;
}
