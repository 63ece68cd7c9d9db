/* SPDX-License-Identifier: Apache-2.0 */
/* route: nearest and catchments against a plain reference Dijkstra written here, on random
 * graphs and perturbed grids; same-edge cases by hand; thread counts and queues agree;
 * interrupt and out-of-memory paths. */
#include "carecircle/route.h"
#include "cc_test.h"
#include "route/route_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* ---- The reference: everything computed the plain way ---- */

typedef struct refg {
    uint32_t n, m;
    double *x, *y;
    uint32_t *from, *to, *tf, *tb;
    double *len;
} refg;

static uint32_t ref_part(uint32_t t, double frac)
{
    if (frac <= 0) return 0;
    if (t == CC_NONE) return CC_NONE;
    if (frac >= 1) return t;
    return (uint32_t)llround(t * frac);
}

static uint64_t plus(uint64_t a, uint64_t b)
{
    return (a >= CC_NONE || b >= CC_NONE) ? CC_NONE : a + b;
}

static uint32_t leg(double d, double kmh)
{
    return cc_time_ds(d, kmh, 1);
}

/* O(n^2) Dijkstra towards a facility: dist[v] = time from v to the facility's position. */
static void ref_to_fac(const refg *r, const cc_snap *f, double kmh, uint64_t *dist)
{
    char *done = calloc(r->n, 1);
    for (uint32_t v = 0; v < r->n; v++)
        dist[v] = CC_NONE;
    uint32_t e = f->edge;
    double fr = r->len[e] > 0 ? f->offset_m / r->len[e] : 0;
    uint64_t lf = leg(f->dist_m, kmh);
    uint64_t sa = plus(lf, ref_part(r->tf[e], fr)), sb = plus(lf, ref_part(r->tb[e], 1 - fr));
    if (sa < dist[r->from[e]]) dist[r->from[e]] = sa;
    if (sb < dist[r->to[e]]) dist[r->to[e]] = sb;
    for (;;) {
        uint32_t u = CC_NONE;
        for (uint32_t v = 0; v < r->n; v++)
            if (!done[v] && dist[v] < CC_NONE && (u == CC_NONE || dist[v] < dist[u])) u = v;
        if (u == CC_NONE) break;
        done[u] = 1;
        for (uint32_t k = 0; k < r->m; k++) {
            /* an arc x -> u lets x reach the facility through u */
            if (r->to[k] == u && r->tf[k] != CC_NONE && plus(dist[u], r->tf[k]) < dist[r->from[k]])
                dist[r->from[k]] = plus(dist[u], r->tf[k]);
            if (r->from[k] == u && r->tb[k] != CC_NONE && plus(dist[u], r->tb[k]) < dist[r->to[k]])
                dist[r->to[k]] = plus(dist[u], r->tb[k]);
        }
    }
    free(done);
}

static uint64_t ref_point(const refg *r, const cc_snap *p, const cc_snap *f, const uint64_t *dist,
                          double kmh)
{
    if (p->edge == CC_NONE) return CC_NONE;
    uint32_t e = p->edge;
    double fr = r->len[e] > 0 ? p->offset_m / r->len[e] : 0;
    uint64_t lp = leg(p->dist_m, kmh);
    uint64_t best = plus(plus(lp, ref_part(r->tb[e], fr)), dist[r->from[e]]);
    uint64_t vb = plus(plus(lp, ref_part(r->tf[e], 1 - fr)), dist[r->to[e]]);
    if (vb < best) best = vb;
    if (f->edge == e) {
        uint64_t d;
        if (p->offset_m == f->offset_m)
            d = 0;
        else if (p->offset_m < f->offset_m)
            d = ref_part(r->tf[e], (f->offset_m - p->offset_m) / r->len[e]);
        else
            d = ref_part(r->tb[e], (p->offset_m - f->offset_m) / r->len[e]);
        d = plus(plus(d, lp), leg(f->dist_m, kmh));
        if (d < best) best = d;
    }
    return best;
}

/* A perturbed grid (w x h) with random one-way and asymmetric times, some missing streets,
 * plus a few long random edges (bridges); symmetric = 1 keeps every edge two-way, equal. */
static void make_graph(refg *r, uint32_t w, uint32_t h, int symmetric)
{
    r->n = w * h;
    r->x = malloc(r->n * sizeof *r->x);
    r->y = malloc(r->n * sizeof *r->y);
    uint32_t cap = 2 * r->n + 16;
    r->from = malloc(cap * sizeof *r->from);
    r->to = malloc(cap * sizeof *r->to);
    r->tf = malloc(cap * sizeof *r->tf);
    r->tb = malloc(cap * sizeof *r->tb);
    r->len = malloc(cap * sizeof *r->len);
    for (uint32_t j = 0; j < h; j++)
        for (uint32_t i = 0; i < w; i++) {
            r->x[j * w + i] = i * 40.0 + rnd(1000) / 100.0;
            r->y[j * w + i] = j * 40.0 + rnd(1000) / 100.0;
        }
    r->m = 0;
    for (uint32_t v = 0; v < r->n; v++) {
        uint32_t i = v % w, j = v / w;
        uint32_t nb[3] = {i + 1 < w ? v + 1 : CC_NONE, j + 1 < h ? v + w : CC_NONE, CC_NONE};
        if (rnd(40) == 0) nb[2] = rnd(r->n);
        for (int k = 0; k < 3; k++) {
            if (nb[k] == CC_NONE || nb[k] == v || rnd(10) == 0) continue;
            uint32_t e = r->m++;
            r->from[e] = v;
            r->to[e] = nb[k];
            r->len[e] = hypot(r->x[nb[k]] - r->x[v], r->y[nb[k]] - r->y[v]);
            uint32_t t = cc_time_ds(r->len[e], 4.0, 1);
            r->tf[e] = r->tb[e] = t;
            if (!symmetric) {
                int kind = (int)rnd(6);
                if (kind == 0) r->tf[e] = CC_NONE;
                if (kind == 1) r->tb[e] = CC_NONE;
                if (kind == 2) r->tb[e] = t * 2 + 1;
            }
        }
    }
}

static void free_graph(refg *r)
{
    free(r->x);
    free(r->y);
    free(r->from);
    free(r->to);
    free(r->tf);
    free(r->tb);
    free(r->len);
}

static void random_points(const refg *r, size_t n, double *x, double *y)
{
    double W = 0, H = 0;
    for (uint32_t v = 0; v < r->n; v++) {
        if (r->x[v] > W) W = r->x[v];
        if (r->y[v] > H) H = r->y[v];
    }
    for (size_t i = 0; i < n; i++) {
        int kind = (int)rnd(5);
        if (kind == 0) { /* exactly on a node */
            uint32_t v = rnd(r->n);
            x[i] = r->x[v];
            y[i] = r->y[v];
        } else if (kind == 1 && i > 0) { /* near an earlier point: same edge likely */
            x[i] = x[i - 1] + rnd(100) / 10.0 - 5;
            y[i] = y[i - 1] + rnd(100) / 10.0 - 5;
        } else {
            x[i] = -30 + rnd((uint32_t)(W + 60) * 10) / 10.0;
            y[i] = -30 + rnd((uint32_t)(H + 60) * 10) / 10.0;
        }
    }
}

static void check_case(uint32_t w, uint32_t h, int symmetric, size_t n_fac, size_t n_pts,
                       uint32_t limit)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *prof;
    cc_profile_create(ctx, "walk", 0, &prof);
    double kmh = cc_profile_speed_kmh(prof);
    refg r;
    make_graph(&r, w, h, symmetric);
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, r.n, r.x, r.y, r.m, r.from, r.to, r.tf, r.tb, r.len, &g),
              CC_OK);
    double *px = malloc(n_pts * sizeof *px), *py = malloc(n_pts * sizeof *py);
    double *fx = malloc(n_fac * sizeof *fx), *fy = malloc(n_fac * sizeof *fy);
    random_points(&r, n_pts, px, py);
    random_points(&r, n_fac, fx, fy);
    for (size_t f = 0; f + 1 < n_fac; f += 4) { /* some facilities share a point's edge */
        size_t p = rnd((uint32_t)n_pts);
        fx[f] = px[p] + 1.5;
        fy[f] = py[p] - 0.5;
    }
    cc_snap *pts = malloc(n_pts * sizeof *pts), *fac = malloc(n_fac * sizeof *fac);
    CHECK_INT(cc_route_snap(ctx, g, n_pts, px, py, pts), CC_OK);
    CHECK_INT(cc_graph_snap(ctx, g, n_fac, fx, fy, fac), CC_OK);

    /* reference */
    uint64_t *dist = malloc(r.n * sizeof *dist);
    uint64_t *T = malloc(n_fac * n_pts * sizeof *T);
    for (size_t f = 0; f < n_fac; f++) {
        ref_to_fac(&r, &fac[f], kmh, dist);
        for (size_t p = 0; p < n_pts; p++)
            T[f * n_pts + p] = ref_point(&r, &pts[p], &fac[f], dist, kmh);
    }

    /* catchments for 1, 2, 4 threads and both queues */
    cc_incidence *first = NULL;
    int mismatches = 0, runs_differ = 0;
    size_t same_edge_pairs = 0, reached = 0;
    for (int run = 0; run < 4; run++) {
        int threads = run == 3 ? 2 : 1 << run;
        int queue = run == 3 ? CC_QUEUE_HEAP : CC_QUEUE_DIAL;
        cc_ctx_set_threads(ctx, threads);
        cc_incidence *inc = NULL;
        CHECK_INT(
            cc__route_catchments(ctx, g, prof, n_fac, fac, n_pts, pts, limit, queue, &inc, NULL),
            CC_OK);
        if (!inc) continue;
        if (!first) {
            first = inc;
            for (size_t f = 0; f < n_fac; f++) {
                size_t k = inc->fac_off[f];
                for (size_t p = 0; p < n_pts; p++) {
                    uint64_t t = T[f * n_pts + p];
                    if (t <= limit) {
                        reached++;
                        if (pts[p].edge == fac[f].edge) same_edge_pairs++;
                        if (k >= inc->fac_off[f + 1] || inc->pt[k] != p || inc->time_ds[k] != t)
                            mismatches++;
                        else
                            k++;
                    }
                }
                if (k != inc->fac_off[f + 1]) mismatches++;
            }
            continue;
        }
        if (inc->n != first->n ||
            memcmp(inc->fac_off, first->fac_off, (n_fac + 1) * sizeof *inc->fac_off) ||
            memcmp(inc->pt, first->pt, inc->n * sizeof *inc->pt) ||
            memcmp(inc->time_ds, first->time_ds, inc->n * sizeof *inc->time_ds))
            runs_differ++;
        cc_incidence_destroy(inc);
    }
    CHECK_INT(mismatches, 0);
    CHECK_INT(runs_differ, 0);
    CHECK(reached > n_fac); /* the case is not trivial */
    CHECK(same_edge_pairs > 0);
    cc_incidence_destroy(first);

    /* nearest: bounded and unbounded, both queues */
    uint32_t *tn = malloc(n_pts * sizeof *tn), *tn2 = malloc(n_pts * sizeof *tn2);
    int32_t *fn = malloc(n_pts * sizeof *fn), *fn2 = malloc(n_pts * sizeof *fn2);
    uint32_t limits[2] = {limit, UINT32_MAX};
    for (int li = 0; li < 2; li++) {
        int bad = 0, covered = 0;
        CHECK_INT(cc_route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, limits[li], tn, fn),
                  CC_OK);
        CHECK_INT(cc__route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, limits[li], CC_QUEUE_HEAP,
                                    tn2, fn2, NULL),
                  CC_OK);
        CHECK(memcmp(tn, tn2, n_pts * sizeof *tn) == 0);
        CHECK(memcmp(fn, fn2, n_pts * sizeof *fn) == 0);
        for (size_t p = 0; p < n_pts; p++) {
            uint64_t bt = CC_NONE;
            int32_t bf = -1;
            for (size_t f = 0; f < n_fac; f++)
                if (T[f * n_pts + p] < bt) {
                    bt = T[f * n_pts + p];
                    bf = (int32_t)f;
                }
            if (bt > limits[li] || bt >= CC_NONE) {
                bt = CC_NONE;
                bf = -1;
            }
            if (tn[p] != bt || fn[p] != bf) bad++;
            if (bf >= 0) covered++;
        }
        CHECK_INT(bad, 0);
        CHECK(covered > 0);
    }
    free(tn);
    free(tn2);
    free(fn);
    free(fn2);
    free(dist);
    free(T);
    free(px);
    free(py);
    free(fx);
    free(fy);
    free(pts);
    free(fac);
    cc_graph_destroy(g);
    free_graph(&r);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
}

/* Nearest on a star of 14,000 spokes (100 ds each) with one facility at the hub and 5,000
 * facilities 99 % of the way out on spokes 0..4999: the hub settles at 0 and fills the Dial
 * pool with 14,000 leaves at 100 (its room was sized for the 10,002 seeds plus slack), then
 * thousands of seeds go in at key 1, more than the room left.
 * A seed push past the pool's end was possible here once; the sanitizer suite catches it,
 * and the heap queue, which has no pool, is the oracle for the answers. */
static void test_seed_batch(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *prof;
    cc_profile_create(ctx, "walk", 0, &prof);
    const uint32_t spokes = 14000, n_fac = 5001, n_pts = 200;
    const double R = 2000;
    double *x = malloc((spokes + 1) * sizeof *x), *y = malloc((spokes + 1) * sizeof *y);
    uint32_t *from = malloc(spokes * sizeof *from), *to = malloc(spokes * sizeof *to);
    uint32_t *tt = malloc(spokes * sizeof *tt);
    double *len = malloc(spokes * sizeof *len);
    x[0] = y[0] = 0;
    for (uint32_t i = 0; i < spokes; i++) {
        double a = 2 * M_PI * i / spokes;
        x[i + 1] = R * cos(a);
        y[i + 1] = R * sin(a);
        from[i] = 0;
        to[i] = i + 1;
        tt[i] = 100;
        len[i] = R;
    }
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, spokes + 1, x, y, spokes, from, to, tt, tt, len, &g), CC_OK);
    double *fx = malloc(n_fac * sizeof *fx), *fy = malloc(n_fac * sizeof *fy);
    fx[0] = fy[0] = 0; /* at the hub */
    for (uint32_t f = 1; f < n_fac; f++) {
        fx[f] = 0.99 * x[f];
        fy[f] = 0.99 * y[f];
    }
    double *px = malloc(n_pts * sizeof *px), *py = malloc(n_pts * sizeof *py);
    for (uint32_t p = 0; p < n_pts; p++) { /* leaves all round the star */
        px[p] = x[1 + p * (spokes / n_pts)];
        py[p] = y[1 + p * (spokes / n_pts)];
    }
    cc_snap *fac = malloc(n_fac * sizeof *fac), *pts = malloc(n_pts * sizeof *pts);
    CHECK_INT(cc_graph_snap(ctx, g, n_fac, fx, fy, fac), CC_OK);
    CHECK_INT(cc_route_snap(ctx, g, n_pts, px, py, pts), CC_OK);
    uint32_t *t1 = malloc(n_pts * sizeof *t1), *t2 = malloc(n_pts * sizeof *t2);
    int32_t *f1 = malloc(n_pts * sizeof *f1), *f2 = malloc(n_pts * sizeof *f2);
    CHECK_INT(cc__route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, UINT32_MAX, CC_QUEUE_DIAL,
                                t1, f1, NULL),
              CC_OK);
    CHECK_INT(cc__route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, UINT32_MAX, CC_QUEUE_HEAP,
                                t2, f2, NULL),
              CC_OK);
    CHECK(memcmp(t1, t2, n_pts * sizeof *t1) == 0);
    CHECK(memcmp(f1, f2, n_pts * sizeof *f1) == 0);
    /* point 0 sits on leaf 1, 1 ds from the facility out on its spoke; point 199 on leaf
     * 13,931, whose spoke has no facility: 100 ds to the hub facility (index 0) */
    CHECK_INT(t1[0], 1);
    CHECK_INT(f1[0], 1);
    CHECK_INT(t1[199], 100);
    CHECK_INT(f1[199], 0);
    free(t1);
    free(t2);
    free(f1);
    free(f2);
    free(px);
    free(py);
    free(fx);
    free(fy);
    free(pts);
    free(fac);
    free(x);
    free(y);
    free(from);
    free(to);
    free(tt);
    free(len);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
}

/* One straight one-way edge of 100 m (900 ds): the along-edge cases by hand. */
static void test_same_edge(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *prof;
    cc_profile_create(ctx, "walk", 0, &prof);
    double x[] = {0, 100}, y[] = {0, 0};
    uint32_t from = 0, to = 1, tf = 900, tb = CC_NONE;
    cc_graph *g;
    CHECK_INT(cc_graph_from_arcs(ctx, 2, x, y, 1, &from, &to, &tf, &tb, NULL, &g), CC_OK);
    double px[] = {20, 90, 70}, py[] = {3, 0, 0}, fxx = 70, fyy = -4;
    cc_snap pts[3], fac;
    CHECK_INT(cc_graph_snap(ctx, g, 3, px, py, pts), CC_OK);
    CHECK_INT(cc_graph_snap(ctx, g, 1, &fxx, &fyy, &fac), CC_OK);
    CHECK_NEAR(pts[0].offset_m, 20, 1e-12);
    CHECK_NEAR(fac.dist_m, 4, 1e-12);
    CHECK_INT(cc_route_leg_ds(prof, 3), 27);
    uint32_t t[3];
    int32_t f[3];
    /* 50 m of 100 (450) + 3 m leg (27) + 4 m leg (36) = 513; the point past the facility
     * cannot walk back against the one-way edge; the point at the facility's spot is 36 away */
    CHECK_INT(cc_route_nearest(ctx, g, prof, 1, &fac, 3, pts, 513, t, f), CC_OK);
    CHECK_INT(t[0], 513);
    CHECK_INT(f[0], 0);
    CHECK_INT(t[1], CC_NONE);
    CHECK_INT(f[1], -1);
    CHECK_INT(t[2], 36);
    CHECK_INT(cc_route_nearest(ctx, g, prof, 1, &fac, 3, pts, 512, t, f), CC_OK);
    CHECK_INT(t[0], CC_NONE);
    CHECK_INT(f[0], -1);
    cc_incidence *inc;
    CHECK_INT(cc_route_catchments(ctx, g, prof, 1, &fac, 3, pts, 513, &inc), CC_OK);
    CHECK_INT(inc->n, 2);
    CHECK_INT(inc->pt[0], 0);
    CHECK_INT(inc->time_ds[0], 513);
    CHECK_INT(inc->pt[1], 2);
    CHECK_INT(inc->time_ds[1], 36);
    cc_incidence_destroy(inc);
    cc_graph_destroy(g);

    /* two-way: the point past the facility walks back 20 m = 180 ds */
    tb = 900;
    CHECK_INT(cc_graph_from_arcs(ctx, 2, x, y, 1, &from, &to, &tf, &tb, NULL, &g), CC_OK);
    CHECK_INT(cc_route_nearest(ctx, g, prof, 1, &fac, 3, pts, UINT32_MAX, t, f), CC_OK);
    CHECK_INT(t[1], 180 + 36);
    /* two facilities at equal time: the lower index wins */
    cc_snap two[2] = {fac, fac};
    CHECK_INT(cc_route_nearest(ctx, g, prof, 2, two, 3, pts, UINT32_MAX, t, f), CC_OK);
    CHECK_INT(f[0], 0);
    CHECK_INT(f[1], 0);
    /* an unsnapped facility is ignored, an unsnapped point is unreachable */
    two[0].edge = CC_NONE;
    pts[2].edge = CC_NONE;
    CHECK_INT(cc_route_nearest(ctx, g, prof, 2, two, 3, pts, UINT32_MAX, t, f), CC_OK);
    CHECK_INT(f[0], 1);
    CHECK_INT(f[2], -1);
    two[0].edge = 7; /* not an edge of this graph */
    CHECK_INT(cc_route_nearest(ctx, g, prof, 2, two, 3, pts, UINT32_MAX, t, f), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "facility 0 is snapped to edge 7");
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
}

/* Equal times through the two ends of the point's edge: the lower facility index wins. */
static void test_ties(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *prof;
    cc_profile_create(ctx, "walk", 0, &prof);
    double x[] = {0, 100, 200, 300}, y[] = {0, 0, 0, 0};
    uint32_t from[] = {0, 1, 2}, to[] = {1, 2, 3}, tt[] = {900, 900, 900};
    cc_graph *g;
    CHECK_INT(cc_graph_from_arcs(ctx, 4, x, y, 3, from, to, tt, tt, NULL, &g), CC_OK);
    double fx[] = {250, 50}, fy[] = {0, 0}, px = 150, py = 0;
    cc_snap fac[2], pt;
    cc_graph_snap(ctx, g, 2, fx, fy, fac);
    cc_graph_snap(ctx, g, 1, &px, &py, &pt);
    uint32_t t;
    int32_t f;
    CHECK_INT(cc_route_nearest(ctx, g, prof, 2, fac, 1, &pt, UINT32_MAX, &t, &f), CC_OK);
    CHECK_INT(t, 900);
    CHECK_INT(f, 0);
    cc_snap swapped[2] = {fac[1], fac[0]};
    CHECK_INT(cc_route_nearest(ctx, g, prof, 2, swapped, 1, &pt, UINT32_MAX, &t, &f), CC_OK);
    CHECK_INT(f, 0);
    /* node labels: both facilities reach node 1 and 2; duplicates tie at every node */
    cc_snap dup[3] = {fac[1], fac[1], fac[0]};
    CHECK_INT(cc_route_nearest(ctx, g, prof, 3, dup, 1, &pt, UINT32_MAX, &t, &f), CC_OK);
    CHECK_INT(f, 0);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
}

static int n_progress;
static double last_fraction;
static void on_progress(void *ud, const char *stage, double fraction)
{
    (void)ud;
    if (strcmp(stage, "routing") == 0) {
        n_progress++;
        last_fraction = fraction;
    }
}

static void test_interrupt_nomem_progress(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *prof;
    cc_profile_create(ctx, "walk", 0, &prof);
    refg r;
    make_graph(&r, 12, 12, 1);
    cc_graph *g;
    CHECK_INT(cc_graph_from_arcs(ctx, r.n, r.x, r.y, r.m, r.from, r.to, r.tf, r.tb, r.len, &g),
              CC_OK);
    double px[60], py[60];
    random_points(&r, 60, px, py);
    cc_snap s[60];
    CHECK_INT(cc_graph_snap(ctx, g, 60, px, py, s), CC_OK);
    cc_ctx_set_progress(ctx, on_progress, NULL);
    cc_incidence *inc = NULL;
    CHECK_INT(cc_route_catchments(ctx, g, prof, 20, s, 60, s, 3000, &inc), CC_OK);
    CHECK(n_progress >= 2);
    CHECK_NEAR(last_fraction, 1.0, 0);
    /* a point at a facility's own position is at time leg + leg */
    CHECK(inc->fac_off[1] > inc->fac_off[0]);
    int found = 0;
    for (size_t k = inc->fac_off[5]; k < inc->fac_off[6]; k++)
        if (inc->pt[k] == 5) found = inc->time_ds[k] == 2 * cc_route_leg_ds(prof, s[5].dist_m);
    CHECK(found);
    cc_incidence_destroy(inc);

    cc_ctx_interrupt(ctx);
    inc = NULL;
    CHECK_INT(cc_route_catchments(ctx, g, prof, 20, s, 60, s, 3000, &inc), CC_ERR_INTERRUPTED);
    CHECK(inc == NULL);
    uint32_t t[60];
    int32_t f[60];
    CHECK_INT(cc_route_nearest(ctx, g, prof, 20, s, 60, s, 3000, t, f), CC_ERR_INTERRUPTED);
    cc_ctx_clear_interrupt(ctx);

    int nomem = 0;
    for (long nth = 1; nth < 40; nth++) {
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = cc_route_catchments(ctx, g, prof, 20, s, 60, s, 3000, &inc);
        cc_status st2 = cc_route_nearest(ctx, g, prof, 20, s, 60, s, 3000, t, f);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            cc_incidence_destroy(inc);
            break;
        }
        CHECK_INT(st, CC_ERR_NOMEM);
        CHECK(st2 == CC_OK || st2 == CC_ERR_NOMEM);
        nomem++;
    }
    CHECK(nomem >= 5);
    cc_graph_destroy(g);
    free_graph(&r);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_same_edge();
    test_ties();
    test_seed_batch();
    check_case(14, 11, 0, 24, 300, 2500); /* asymmetric, one-way: reverse CSR */
    check_case(14, 11, 1, 24, 300, 2500); /* symmetric: shared CSR */
    check_case(20, 20, 0, 40, 500, 6000); /* larger limit */
    check_case(9, 7, 0, 10, 150, 100000); /* limit beyond every time */
    test_interrupt_nomem_progress();
    return cc_test_done();
}
