/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Service areas against the construction they replace, kept here as the oracle: every reached
 * stretch buffered with GEOS (8 segments per quarter circle), the bands unioned and the union
 * simplified with GEOSTopologyPreserveSimplify, with the stretches found the old way (a loop
 * over every edge with the full node-time array). The new outline (distance grid and marching
 * squares, cc_geom_service_area) must be valid, have the same number of polygons and holes, and
 * differ from the oracle by less than 1% of its area (symmetric difference), on synthetic
 * street grids (dense, sparse with holes, diagonal polylines with one-way streets, two parts
 * joined by an edge without geometry), for both travel directions and with a facility in the
 * middle of an edge. The reached length equals the oracle's.
 */
#include "servicearea_oracle.h"

/* ---- A test network ---- */
typedef struct tnet {
    size_t nn, ne;
    double *nx, *ny; /* node coordinates */
    uint32_t *from, *to, *tf, *tb;
    size_t *nc;        /* polyline vertices per edge */
    double **ex, **ey; /* polylines */
    uint32_t *out_off, *out_edge, *in_off, *in_edge;
    cc_geom_line *lines;
    cc_geom_network net;
} tnet;

static void tnet_init(tnet *t, size_t nn, size_t max_e)
{
    memset(t, 0, sizeof *t);
    t->nn = nn;
    t->nx = calloc(nn, sizeof(double));
    t->ny = calloc(nn, sizeof(double));
    t->from = calloc(max_e, 4);
    t->to = calloc(max_e, 4);
    t->tf = calloc(max_e, 4);
    t->tb = calloc(max_e, 4);
    t->nc = calloc(max_e, sizeof(size_t));
    t->ex = calloc(max_e, sizeof(double *));
    t->ey = calloc(max_e, sizeof(double *));
}

/* Edge a -> b through k extra bend points (bx, by), time per metre `spm` (fwd / bwd; 0 = not
 * allowed); nogeom: no polyline. */
static void tnet_edge(tnet *t, uint32_t a, uint32_t b, size_t k, const double *bx, const double *by,
                      double spm_f, double spm_b, int nogeom)
{
    size_t e = t->ne++;
    t->from[e] = a;
    t->to[e] = b;
    size_t n = nogeom ? 0 : k + 2;
    t->nc[e] = n;
    t->ex[e] = calloc(k + 2, sizeof(double));
    t->ey[e] = calloc(k + 2, sizeof(double));
    t->ex[e][0] = t->nx[a];
    t->ey[e][0] = t->ny[a];
    for (size_t i = 0; i < k; i++) {
        t->ex[e][i + 1] = bx[i];
        t->ey[e][i + 1] = by[i];
    }
    t->ex[e][k + 1] = t->nx[b];
    t->ey[e][k + 1] = t->ny[b];
    double len = 0;
    for (size_t i = 0; i + 1 < k + 2; i++)
        len += hypot(t->ex[e][i + 1] - t->ex[e][i], t->ey[e][i + 1] - t->ey[e][i]);
    t->tf[e] = spm_f > 0 ? (uint32_t)fmax(1.0, round(len * spm_f)) : NONE;
    t->tb[e] = spm_b > 0 ? (uint32_t)fmax(1.0, round(len * spm_b)) : NONE;
}

/* Incidence lists (edge << 1 | end) and the geom view. */
static void tnet_finish(tnet *t)
{
    t->out_off = calloc(t->nn + 1, 4);
    t->in_off = calloc(t->nn + 1, 4);
    t->out_edge = calloc(2 * t->ne + 1, 4);
    t->in_edge = calloc(2 * t->ne + 1, 4);
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *fo = calloc(t->nn + 1, 4), *fi = calloc(t->nn + 1, 4);
        for (size_t e = 0; e < t->ne; e++) {
            uint32_t a = t->from[e], b = t->to[e];
            /* out of a (end 0) when a -> b allowed, out of b (end 1) when b -> a allowed;
             * into b (end 1) when a -> b, into a (end 0) when b -> a */
            if (t->tf[e] != NONE) {
                if (pass) {
                    t->out_edge[t->out_off[a] + fo[a]++] = (uint32_t)(e << 1);
                    t->in_edge[t->in_off[b] + fi[b]++] = (uint32_t)(e << 1 | 1);
                } else {
                    t->out_off[a + 1]++;
                    t->in_off[b + 1]++;
                }
            }
            if (t->tb[e] != NONE) {
                if (pass) {
                    t->out_edge[t->out_off[b] + fo[b]++] = (uint32_t)(e << 1 | 1);
                    t->in_edge[t->in_off[a] + fi[a]++] = (uint32_t)(e << 1);
                } else {
                    t->out_off[b + 1]++;
                    t->in_off[a + 1]++;
                }
            }
        }
        if (!pass)
            for (size_t v = 0; v < t->nn; v++) {
                t->out_off[v + 1] += t->out_off[v];
                t->in_off[v + 1] += t->in_off[v];
            }
        free(fo);
        free(fi);
    }
    t->lines = calloc(t->ne + 1, sizeof *t->lines);
    for (size_t e = 0; e < t->ne; e++)
        t->lines[e] = (cc_geom_line){t->ex[e], t->ey[e], t->nc[e]};
    t->net = (cc_geom_network){t->nn,      t->ne,       t->from,   t->to,      t->tf,   t->tb,
                               t->out_off, t->out_edge, t->in_off, t->in_edge, t->lines};
}

static void tnet_free(tnet *t)
{
    for (size_t e = 0; e < t->ne; e++) {
        free(t->ex[e]);
        free(t->ey[e]);
    }
    free(t->nx);
    free(t->ny);
    free(t->from);
    free(t->to);
    free(t->tf);
    free(t->tb);
    free(t->nc);
    free(t->ex);
    free(t->ey);
    free(t->out_off);
    free(t->out_edge);
    free(t->in_off);
    free(t->in_edge);
    free(t->lines);
}

/* Times between every node and the sources (reverse 1: node TO source), plain O(n^2). */
static void times(const tnet *t, int reverse, size_t ns, const uint32_t *sn, const uint32_t *st,
                  uint32_t *d)
{
    unsigned char *done = calloc(t->nn, 1);
    for (size_t v = 0; v < t->nn; v++)
        d[v] = NONE;
    for (size_t k = 0; k < ns; k++)
        if (st[k] < d[sn[k]]) d[sn[k]] = st[k];
    for (;;) {
        size_t u = t->nn;
        for (size_t v = 0; v < t->nn; v++)
            if (!done[v] && d[v] != NONE && (u == t->nn || d[v] < d[u])) u = v;
        if (u == t->nn) break;
        done[u] = 1;
        for (size_t e = 0; e < t->ne; e++) {
            /* reverse 1: relax w -> u arcs backwards (time from w to u) */
            uint32_t w, c;
            if (t->from[e] == u) {
                w = t->to[e];
                c = reverse ? t->tb[e] : t->tf[e];
            } else if (t->to[e] == u) {
                w = t->from[e];
                c = reverse ? t->tf[e] : t->tb[e];
            } else
                continue;
            if (c == NONE) continue;
            if (d[u] + c < d[w]) d[w] = d[u] + c;
        }
    }
    free(done);
}

/* Run both constructions for one facility given by its source nodes (and optional edge
 * source) and compare. */
static cmp_result compare(cc_ctx *ctx, const tnet *t, int reverse, size_t ns, const uint32_t *sn,
                          const uint32_t *st, size_t n_src, const cc_geom_source *src,
                          uint32_t limit)
{
    cmp_result r = {0};
    uint32_t *nt = malloc(t->nn * sizeof *nt);
    times(t, reverse, ns, sn, st, nt);
    uint32_t *node = malloc(t->nn * sizeof *node), *tm = malloc(t->nn * sizeof *tm);
    size_t nr = 0;
    /* the reached list in descending node order (a search lists them by time) */
    for (size_t v = t->nn; v-- > 0;)
        if (nt[v] <= limit) {
            node[nr] = (uint32_t)v;
            tm[nr++] = nt[v];
        }
    cc_geom_polys p = {0};
    CHECK_INT(cc_geom_service_area(ctx, NULL, &t->net, nr, node, tm, reverse, n_src, src, limit,
                                   NULL, &p, &r.len),
              CC_OK);
    GEOSGeometry *o = oracle(&t->net, nt, reverse, n_src, src, limit, 50.0, 2.0, &r.oracle_len);
    compare_geom(&p, o, &r);
    cc_geom_polys_free(&p);
    free(nt);
    free(node);
    free(tm);
    return r;
}

/* Valid, within max_rel of the oracle's area, the same number of polygons, the oracle's holes
 * (of at least 400 m2) as expected and ours within one (a gap narrower than a grid cell
 * between two bands may close into a hole or open one up), the same reached length. */
static void check_result(const char *what, cmp_result r, int parts, int holes, double max_rel)
{
    print_result(what, &r);
    CHECK(r.valid);
    CHECK(r.rel_diff < max_rel);
    CHECK_INT(r.parts, parts);
    CHECK_INT(r.oracle_parts, parts);
    CHECK_INT(r.oracle_holes, holes);
    CHECK(abs(r.holes - holes) <= 1);
    CHECK_NEAR(r.len, r.oracle_len, 1e-9 * r.oracle_len + 1e-9);
}

/* A perturbed n x n street grid of `spacing` metres (junctions moved by up to +-jitter),
 * walked at 4.8 km/h (0.75 ds per metre). */
static void grid_net(tnet *t, int n, double spacing, double jitter, unsigned seed)
{
    tnet_init(t, (size_t)n * n, 2 * (size_t)n * n);
    srand(seed);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            t->nx[j * n + i] = i * spacing + jitter * (2.0 * rand() / RAND_MAX - 1);
            t->ny[j * n + i] = j * spacing + jitter * (2.0 * rand() / RAND_MAX - 1);
        }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            uint32_t v = (uint32_t)(j * n + i);
            if (i + 1 < n) tnet_edge(t, v, v + 1, 0, NULL, NULL, 0.75, 0.75, 0);
            if (j + 1 < n) tnet_edge(t, v, v + (uint32_t)n, 0, NULL, NULL, 0.75, 0.75, 0);
        }
    tnet_finish(t);
}

static void test_dense_grid(cc_ctx *ctx)
{
    /* gen_city's streets: 40 m blocks, +-3 m: a solid catchment, no holes. */
    tnet t;
    grid_net(&t, 30, 40.0, 3.0, 11);
    uint32_t s = 15 * 30 + 14, t0 = 60;
    cmp_result r = compare(ctx, &t, 1, 1, &s, &t0, 0, NULL, 3000);
    check_result("dense grid", r, 1, 0, 0.01);
    CHECK(r.area > 1.0e6);
    r = compare(ctx, &t, 0, 1, &s, &t0, 0, NULL, 3000);
    check_result("dense grid, from the facility", r, 1, 0, 0.01);
    /* A facility in the middle of an edge near the corner (its own partial edge). */
    uint32_t s2[2] = {0, 1}, t2[2] = {400, 420};
    cc_geom_source src = {0, 18.0, 380};
    r = compare(ctx, &t, 1, 2, s2, t2, 1, &src, 900);
    check_result("corner facility", r, 1, 0, 0.01);
    tnet_free(&t);
}

static void test_sparse_grid(cc_ctx *ctx)
{
    /* 160 m blocks: every block reached all round leaves a hole of about 60 m across. */
    tnet t;
    grid_net(&t, 14, 160.0, 5.0, 5);
    uint32_t s = 7 * 14 + 6, t0 = 0;
    cmp_result r = compare(ctx, &t, 1, 1, &s, &t0, 0, NULL, 1500);
    check_result("sparse grid", r, 1, 167, 0.01);
    tnet_free(&t);
}

static void test_diagonals(cc_ctx *ctx)
{
    /* Radial streets with bends and one-way ring streets: concave corners at every bend. */
    const int rays = 12, rings = 6;
    tnet t;
    tnet_init(&t, 1 + (size_t)rays * rings, 4 * (size_t)rays * rings);
    for (int k = 0; k < rays; k++)
        for (int q = 0; q < rings; q++) {
            double ang = 2 * 3.14159265358979 * k / rays + 0.05 * q, rad = 120.0 * (q + 1);
            t.nx[1 + k * rings + q] = rad * cos(ang);
            t.ny[1 + k * rings + q] = rad * sin(ang);
        }
    for (int k = 0; k < rays; k++)
        for (int q = 0; q < rings; q++) {
            uint32_t v = (uint32_t)(1 + k * rings + q), w = q ? v - 1 : 0;
            double bx = 0.5 * (t.nx[v] + (q ? t.nx[w] : 0)) + 25.0 * (k % 2 ? 1 : -1);
            double by = 0.5 * (t.ny[v] + (q ? t.ny[w] : 0)) + 15.0;
            tnet_edge(&t, w, v, 1, &bx, &by, 0.75, 0.75, 0);
            uint32_t nxt = (uint32_t)(1 + ((k + 1) % rays) * rings + q);
            tnet_edge(&t, v, nxt, 0, NULL, NULL, 0.75, q % 2 ? 0.0 : 0.75, 0);
        }
    tnet_finish(&t);
    uint32_t s = 0, t0 = 0;
    cmp_result r = compare(ctx, &t, 1, 1, &s, &t0, 0, NULL, 600);
    check_result("radial, towards", r, 1, 33, 0.01);
    r = compare(ctx, &t, 0, 1, &s, &t0, 0, NULL, 600);
    check_result("radial, from", r, 1, 33, 0.01);
    tnet_free(&t);
}

static void test_two_parts(cc_ctx *ctx)
{
    /* Two 6 x 6 grids 1 km apart joined by an edge without geometry (a ferry): two polygons. */
    tnet t;
    tnet_init(&t, 72, 200);
    for (int g = 0; g < 2; g++)
        for (int j = 0; j < 6; j++)
            for (int i = 0; i < 6; i++) {
                t.nx[g * 36 + j * 6 + i] = g * 1000.0 + i * 40.0;
                t.ny[g * 36 + j * 6 + i] = j * 40.0;
            }
    for (int g = 0; g < 2; g++)
        for (int j = 0; j < 6; j++)
            for (int i = 0; i < 6; i++) {
                uint32_t v = (uint32_t)(g * 36 + j * 6 + i);
                if (i + 1 < 6) tnet_edge(&t, v, v + 1, 0, NULL, NULL, 0.75, 0.75, 0);
                if (j + 1 < 6) tnet_edge(&t, v, v + 6, 0, NULL, NULL, 0.75, 0.75, 0);
            }
    tnet_edge(&t, 5, 36, 0, NULL, NULL, 0.01, 0.01, 1);
    tnet_finish(&t);
    uint32_t s = 0, t0 = 0;
    cmp_result r = compare(ctx, &t, 1, 1, &s, &t0, 0, NULL, 800);
    check_result("two parts", r, 2, 0, 0.01);
    tnet_free(&t);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    gh = GEOS_init_r();
    test_dense_grid(ctx);
    test_sparse_grid(ctx);
    test_diagonals(ctx);
    test_two_parts(ctx);
    GEOS_finish_r(gh);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
