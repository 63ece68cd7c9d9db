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

#include "core/dsu.h"

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

/* Working state of one aggregation, shared by its stages and freed by hexwork_free. */
typedef struct hexwork {
    cc_ctx *ctx;
    const cc_hex_input *in;
    const cc_hex_params *p;
    cc_hex_areas *a;
    point_ref *refs; /* aggregated points sorted by (hexagon, index): refs[0 .. m) */
    size_t m;
    hex_key *hex;  /* unique hexagons in (r, q) order: hex[0 .. nh) */
    size_t *start; /* points of hexagon h: refs[start[h] .. start[h + 1]) */
    size_t nh;
    uint32_t *parent;    /* disjoint sets of hexagons; a root is its group's lowest hexagon */
    size_t *area_of_hex; /* area of each hexagon */
    size_t *order;       /* scratch for the geometry stage */
    size_t na;           /* areas */
    double *wsum, *wgap, *ugap; /* per area: weights, weighted gaps, unweighted gaps */
    size_t *ngap;               /* per area: points with a gap */
} hexwork;

static void hexwork_free(hexwork *w)
{
    cc_free(w->refs);
    cc_free(w->hex);
    cc_free(w->parent);
    cc_free(w->area_of_hex);
    cc_free(w->order);
    cc_free(w->start);
    cc_free(w->wsum);
    cc_free(w->wgap);
    cc_free(w->ugap);
    cc_free(w->ngap);
}

/* Stages 1 and 2: the hexagon of every aggregated point (inputs checked), points sorted by
 * hexagon then index, and the unique hexagons in (r, q) order. */
static cc_status hex_points(hexwork *w)
{
    cc_ctx *ctx = w->ctx;
    const cc_hex_input *in = w->in;
    cc_hex_areas *a = w->a;
    cc_status st;
    a->area_of_point = cc_malloc_array(ctx, in->n ? in->n : 1, sizeof *a->area_of_point);
    w->refs = cc_malloc_array(ctx, in->n ? in->n : 1, sizeof *w->refs);
    if (!a->area_of_point || !w->refs) return CC_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < in->n; i++) {
        a->area_of_point[i] = -1;
        if (in->underserved && !in->underserved[i]) continue;
        if ((st = check_point(ctx, in, i)) != CC_OK) return st;
        if (!cc_geom_hex_index(w->p, in->x[i], in->y[i], &w->refs[m].k.q, &w->refs[m].k.r))
            return cc_error(ctx, CC_ERR_DATA,
                            "underserved point %zu (%g, %g) is too far from the grid origin for "
                            "%g m hexagons; check the working CRS",
                            i, in->x[i], in->y[i], w->p->size_m);
        w->refs[m++].i = i;
    }
    qsort(w->refs, m, sizeof *w->refs, cmp_point_ref);
    w->m = m;
    w->hex = cc_malloc_array(ctx, m ? m : 1, sizeof *w->hex);
    w->start = cc_malloc_array(ctx, m + 1, sizeof *w->start);
    if (!w->hex || !w->start) return CC_ERR_NOMEM;
    size_t nh = 0;
    for (size_t k = 0; k < m; k++) {
        if (k == 0 || cmp_key(&w->refs[k].k, &w->hex[nh - 1]) != 0) {
            w->start[nh] = k;
            w->hex[nh++] = w->refs[k].k;
        }
    }
    w->start[nh] = m;
    w->nh = nh;
    return CC_OK;
}

/* Stage 3: connected groups (union of each hexagon with its edge neighbours that come later).
 * Roots are the lowest hexagon of their group, so numbering roots in hexagon order gives areas
 * ordered by their lowest hexagon. */
static cc_status hex_groups(hexwork *w)
{
    size_t nh = w->nh;
    cc_status st = cc_dsu_create(w->ctx, nh, &w->parent);
    if (st != CC_OK) return st;
    w->area_of_hex = cc_malloc_array(w->ctx, nh ? nh : 1, sizeof *w->area_of_hex);
    w->order = cc_malloc_array(w->ctx, nh ? nh : 1, sizeof *w->order);
    if (!w->area_of_hex || !w->order) return CC_ERR_NOMEM;
    static const int nb[3][2] = {{1, 0}, {0, 1}, {-1, 1}}; /* (dq, dr): the other 3 are mirrors */
    for (size_t h = 0; h < nh; h++) {
        for (int d = 0; d < 3; d++) {
            hex_key k = {w->hex[h].r + nb[d][1], w->hex[h].q + nb[d][0]};
            ptrdiff_t o = find_hex(w->hex, nh, k);
            if (o >= 0) cc_dsu_union(w->parent, (uint32_t)h, (uint32_t)o);
        }
    }
    size_t na = 0;
    for (size_t h = 0; h < nh; h++) {
        size_t root = cc_dsu_find(w->parent, (uint32_t)h);
        w->area_of_hex[h] = root == h ? na++ : w->area_of_hex[root];
    }
    w->na = na;
    return CC_OK;
}

/* Allocate the per-area attribute arrays of w->a and the stage's sums. */
static cc_status hex_alloc_attributes(hexwork *w)
{
    cc_ctx *ctx = w->ctx;
    cc_hex_areas *a = w->a;
    size_t na = w->na, na1 = na ? na : 1;
    size_t ng1 = w->in->n_groups ? w->in->n_groups : 1;
    size_t nr1 = w->in->n_reasons ? w->in->n_reasons : 1;
    a->pop = cc_calloc(ctx, ng1, na1 * sizeof *a->pop);
    a->pop_total = cc_calloc(ctx, na1, sizeof *a->pop_total);
    a->n_points = cc_calloc(ctx, na1, sizeof *a->n_points);
    a->n_hex = cc_calloc(ctx, na1, sizeof *a->n_hex);
    a->area_m2 = cc_calloc(ctx, na1, sizeof *a->area_m2);
    a->gap_mean_min = cc_calloc(ctx, na1, sizeof *a->gap_mean_min);
    a->gap_max_min = cc_calloc(ctx, na1, sizeof *a->gap_max_min);
    a->n_gap_null = cc_calloc(ctx, na1, sizeof *a->n_gap_null);
    a->reason_pop = cc_calloc(ctx, nr1, na1 * sizeof *a->reason_pop);
    a->reason_points = cc_calloc(ctx, nr1, na1 * sizeof *a->reason_points);
    a->dominant_reason = cc_calloc(ctx, na1, sizeof *a->dominant_reason);
    a->hex_q = cc_calloc(ctx, na1, sizeof *a->hex_q);
    a->hex_r = cc_calloc(ctx, na1, sizeof *a->hex_r);
    w->wsum = cc_calloc(ctx, na1, sizeof *w->wsum);
    w->wgap = cc_calloc(ctx, na1, sizeof *w->wgap);
    w->ugap = cc_calloc(ctx, na1, sizeof *w->ugap);
    w->ngap = cc_calloc(ctx, na1, sizeof *w->ngap);
    if (!a->pop || !a->pop_total || !a->n_points || !a->n_hex || !a->area_m2 || !a->gap_mean_min ||
        !a->gap_max_min || !a->n_gap_null || !a->reason_pop || !a->reason_points ||
        !a->dominant_reason || !a->hex_q || !a->hex_r || !w->wsum || !w->wgap || !w->ugap ||
        !w->ngap)
        return CC_ERR_NOMEM;
    return CC_OK;
}

/* Add point i (weight: its people) to area ar. */
static void hex_add_point(hexwork *w, size_t ar, size_t i)
{
    const cc_hex_input *in = w->in;
    cc_hex_areas *a = w->a;
    size_t na = w->na;
    double wt = 0.0;
    for (size_t gi = 0; gi < in->n_groups; gi++) {
        a->pop[gi * na + ar] += in->pop[gi][i];
        wt += in->pop[gi][i];
    }
    a->pop_total[ar] += wt;
    a->n_points[ar]++;
    a->area_of_point[i] = (int32_t)ar;
    double gap = in->gap_min ? in->gap_min[i] : NAN;
    if (isfinite(gap)) {
        w->wsum[ar] += wt;
        w->wgap[ar] += wt * gap;
        w->ugap[ar] += gap;
        w->ngap[ar]++;
        if (!(a->gap_max_min[ar] >= gap)) a->gap_max_min[ar] = gap;
    } else {
        a->n_gap_null[ar]++;
    }
    int32_t rc = in->reason ? in->reason[i] : -1;
    if (rc >= 0) {
        a->reason_pop[(size_t)rc * na + ar] += wt;
        a->reason_points[(size_t)rc * na + ar]++;
    }
}

/* The reason of area k with the most people (ties: more points, then the lower code), -1 when
 * no point has one. */
static int32_t dominant_reason(const cc_hex_areas *a, size_t na, size_t k)
{
    int32_t best = -1;
    for (size_t rc = 0; rc < a->n_reasons; rc++) {
        size_t ix = rc * na + k;
        if (a->reason_points[ix] == 0) continue;
        if (best < 0) {
            best = (int32_t)rc;
            continue;
        }
        size_t bx = (size_t)best * na + k;
        if (a->reason_pop[ix] > a->reason_pop[bx] ||
            (a->reason_pop[ix] == a->reason_pop[bx] && a->reason_points[ix] > a->reason_points[bx]))
            best = (int32_t)rc;
    }
    return best;
}

/* Stage 4: attributes. Points are visited in (hexagon, index) order: sums are deterministic. */
static cc_status hex_attributes(hexwork *w)
{
    cc_status st = hex_alloc_attributes(w);
    if (st != CC_OK) return st;
    cc_hex_areas *a = w->a;
    size_t na = w->na;
    for (size_t k = 0; k < na; k++)
        a->gap_max_min[k] = NAN;
    double hex_area = w->p->size_m * w->p->size_m * sqrt(3.0) / 2.0;
    for (size_t h = 0; h < w->nh; h++) {
        size_t ar = w->area_of_hex[h];
        if (a->n_hex[ar]++ == 0) {
            a->hex_q[ar] = w->hex[h].q;
            a->hex_r[ar] = w->hex[h].r;
        }
        for (size_t k = w->start[h]; k < w->start[h + 1]; k++)
            hex_add_point(w, ar, w->refs[k].i);
    }
    for (size_t k = 0; k < na; k++) {
        a->area_m2[k] = (double)a->n_hex[k] * hex_area;
        a->gap_mean_min[k] = w->ngap[k] == 0  ? NAN
                             : w->wsum[k] > 0 ? w->wgap[k] / w->wsum[k]
                                              : w->ugap[k] / (double)w->ngap[k];
        a->dominant_reason[k] = dominant_reason(a, na, k);
    }
    return CC_OK;
}

/* Stage 5: geometry. Hexagons bucketed by area (a counting sort keeps hexagon order) and each
 * area's hexagons dissolved into its polygons. */
static cc_status hex_geometry(hexwork *w)
{
    cc_ctx *ctx = w->ctx;
    cc_hex_areas *a = w->a;
    size_t na = w->na;
    if (na == 0) return CC_OK;
    size_t *first = cc_calloc(ctx, na + 1, sizeof *first);
    if (!first) return CC_ERR_NOMEM;
    for (size_t k = 0; k < na; k++)
        first[k + 1] = first[k] + a->n_hex[k];
    size_t *fill = w->start; /* reuse: no longer needed */
    memcpy(fill, first, na * sizeof *fill);
    for (size_t h = 0; h < w->nh; h++)
        w->order[fill[w->area_of_hex[h]]++] = h;
    cc__geos g = {0};
    cc_status st = cc__geos_open(ctx, &g);
    for (size_t k = 0; k < na && !st; k++) {
        if ((k & 255) == 0 && (st = cc_check_interrupt(ctx)) != CC_OK) break;
        GEOSGeometry *u = dissolve(&g, w->p, w->hex, w->order + first[k], a->n_hex[k]);
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
    cc__geos_close(&g);
    cc_free(first);
    return st;
}

cc_status cc_geom_hex_dissolve(cc_ctx *ctx, const cc_hex_input *in, const cc_hex_params *params,
                               cc_hex_areas **out)
{
    const cc_hex_params *p = params ? params : &hex_default;
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
    hexwork w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.in = in;
    w.p = p;
    if (!(w.a = cc_calloc(ctx, 1, sizeof *w.a))) return CC_ERR_NOMEM;
    w.a->n_groups = in->n_groups;
    w.a->n_reasons = in->n_reasons;
    cc_status st = hex_points(&w);
    if (st == CC_OK) st = hex_groups(&w);
    if (st == CC_OK) st = hex_attributes(&w);
    if (st == CC_OK) st = hex_geometry(&w);
    hexwork_free(&w);
    if (st != CC_OK) {
        cc_geom_hex_areas_destroy(w.a);
        return st;
    }
    *out = w.a;
    return CC_OK;
}
