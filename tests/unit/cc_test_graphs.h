/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Graphs for the window and prepared-file tests (include after cc_test.h and
 * net/net_internal.h): a random grid with one-way streets and islands, a road-like network
 * built from polylines, and an array-by-array comparison of two graphs.
 */
#ifndef CC_TEST_GRAPHS_H
#define CC_TEST_GRAPHS_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;
static inline uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}
static inline double rndu(void)
{
    return (double)rnd(1u << 30) / (double)(1u << 30);
}

/* A jittered n x n grid, 100 m apart; each street kept with p 0.85, times from the length at
 * 1.2 m/s with noise, a tenth one-way either way; a few nodes left isolated (islands). */
static inline cc_graph *random_grid(cc_ctx *ctx, uint32_t n)
{
    uint32_t nn = n * n, ne = 0;
    double *x = malloc(nn * sizeof *x), *y = malloc(nn * sizeof *y);
    uint32_t *from = malloc(2 * nn * sizeof *from), *to = malloc(2 * nn * sizeof *to);
    uint32_t *tf = malloc(2 * nn * sizeof *tf), *tb = malloc(2 * nn * sizeof *tb);
    for (uint32_t i = 0; i < nn; i++) {
        x[i] = (double)(i % n) * 100 + rndu() * 30;
        y[i] = (double)(i / n) * 100 + rndu() * 30;
    }
    for (uint32_t i = 0; i < nn; i++)
        for (int d = 0; d < 2; d++) {
            uint32_t j = d ? i + n : i + 1;
            if ((d ? i / n + 1 >= n : i % n + 1 >= n) || rnd(100) >= 85) continue;
            double len = hypot(x[j] - x[i], y[j] - y[i]);
            uint32_t t = (uint32_t)(len / 1.2 * (0.8 + 0.4 * rndu())) + 1;
            uint32_t k = rnd(20);
            from[ne] = i;
            to[ne] = j;
            tf[ne] = k == 0 ? CC_NONE : t;
            tb[ne] = k == 1 ? CC_NONE : k == 2 ? t + 7 : t;
            ne++;
        }
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, nn, x, y, ne, from, to, tf, tb, NULL, &g), CC_OK);
    free(x);
    free(y);
    free(from);
    free(to);
    free(tf);
    free(tb);
    return g;
}

/* Streets along the rows and columns of a jittered lattice (90 m), each line a run of 1-4
 * lattice steps with two wiggled vertices in each step; some steps missing, random classes,
 * one-way tags and bridges. */
static inline cc_graph *road_like(cc_ctx *ctx, uint32_t n)
{
    static const char *const hw[] = {"residential", "footway", "primary", "service", "steps"};
    size_t cap = 4 * (size_t)n * n, nl = 0, nv = 0;
    size_t *coord = malloc((cap + 1) * sizeof *coord);
    double *vx = malloc(3 * cap * 2 * sizeof *vx), *vy = malloc(3 * cap * 2 * sizeof *vy);
    const char **h = calloc(cap, sizeof *h), **ow = calloc(cap, sizeof *ow),
               **br = calloc(cap, sizeof *br);
    double *lx = malloc((size_t)n * n * sizeof *lx), *ly = malloc((size_t)n * n * sizeof *ly);
    for (uint32_t i = 0; i < n * n; i++) {
        lx[i] = (double)(i % n) * 90 + rndu() * 20;
        ly[i] = (double)(i / n) * 90 + rndu() * 20;
    }
    for (int d = 0; d < 2; d++)
        for (uint32_t r = 0; r < n; r++) {
            uint32_t s = 0;
            while (s + 1 < n) {
                uint32_t len = 1 + rnd(4);
                if (s + len >= n) len = n - 1 - s;
                if (rnd(10) == 0) {
                    s += len;
                    continue;
                }
                coord[nl] = nv;
                for (uint32_t k = s; k <= s + len; k++) {
                    uint32_t p = d ? k * n + r : r * n + k;
                    vx[nv] = lx[p];
                    vy[nv++] = ly[p];
                    if (k == s + len) break;
                    uint32_t q = d ? (k + 1) * n + r : r * n + k + 1;
                    for (int m = 1; m <= 2; m++) {
                        vx[nv] = lx[p] + (lx[q] - lx[p]) * m / 3 + (rndu() - 0.5) * 12;
                        vy[nv++] = ly[p] + (ly[q] - ly[p]) * m / 3 + (rndu() - 0.5) * 12;
                    }
                }
                h[nl] = hw[rnd(5)];
                ow[nl] = rnd(8) == 0 ? "yes" : NULL;
                br[nl] = rnd(30) == 0 ? "yes" : NULL;
                nl++;
                s += len;
            }
        }
    coord[nl] = nv;
    cc_net_input in = {.n_lines = nl, .line_coord = coord, .x = vx, .y = vy, .highway = h,
                       .oneway = ow, .bridge = br};
    cc_profile *prof = NULL;
    cc_graph *g = NULL;
    CHECK_INT(cc_profile_create(ctx, "bike", 0, &prof), CC_OK);
    CHECK_INT(cc_graph_build(ctx, &in, prof, 0, &g), CC_OK);
    cc_profile_destroy(prof);
    free(coord);
    free(vx);
    free(vy);
    free(h);
    free(ow);
    free(br);
    free(lx);
    free(ly);
    return g;
}

#define SAME(a, b, n) (memcmp((a), (b), (size_t)(n) * sizeof *(a)) == 0)

/* Every array of w equals g's (w's ids are compared with gid / eid when given). */
static inline void graph_equal(const cc_graph *w, const cc_graph *g)
{
    CHECK_INT(w->n_nodes, g->n_nodes);
    CHECK_INT(w->n_edges, g->n_edges);
    CHECK_INT(w->n_arcs, g->n_arcs);
    if (w->n_nodes != g->n_nodes || w->n_edges != g->n_edges) return;
    uint32_t nn = g->n_nodes, ne = g->n_edges;
    size_t nc = g->edge_coord[ne];
    CHECK(SAME(w->node_x, g->node_x, nn) && SAME(w->node_y, g->node_y, nn));
    CHECK(SAME(w->edge_from, g->edge_from, ne) && SAME(w->edge_to, g->edge_to, ne));
    CHECK(SAME(w->edge_tf, g->edge_tf, ne) && SAME(w->edge_tb, g->edge_tb, ne));
    CHECK(SAME(w->edge_len, g->edge_len, ne) && SAME(w->edge_line, g->edge_line, ne));
    CHECK(SAME(w->edge_hw, g->edge_hw, ne) && SAME(w->edge_nosnap, g->edge_nosnap, ne));
    CHECK(SAME(w->edge_coord, g->edge_coord, ne + 1));
    CHECK(SAME(w->cx, g->cx, nc) && SAME(w->cy, g->cy, nc) && SAME(w->ccum, g->ccum, nc));
    CHECK_INT(w->n_hw, g->n_hw);
    for (uint32_t i = 0; i < g->n_hw && i < w->n_hw; i++)
        CHECK_STR(w->hw_names[i], g->hw_names[i]);
    CHECK_INT(w->symmetric, g->symmetric);
    CHECK(SAME(w->fwd_off, g->fwd_off, nn + 1) && SAME(w->fwd_edge, g->fwd_edge, g->n_arcs));
    CHECK(SAME(w->fwd_arc, g->fwd_arc, g->n_arcs));
    if (!g->symmetric) {
        CHECK(SAME(w->rev_off, g->rev_off, nn + 1) && SAME(w->rev_edge, g->rev_edge, g->n_arcs));
        CHECK(SAME(w->rev_arc, g->rev_arc, g->n_arcs));
    }
    CHECK_INT(w->max_arc_ds, g->max_arc_ds);
    CHECK_INT(w->n_comp, g->n_comp);
    CHECK(SAME(w->node_comp, g->node_comp, nn));
    CHECK(SAME(w->comp_size, g->comp_size, g->n_comp) &&
          SAME(w->comp_node, g->comp_node, g->n_comp));
    CHECK_INT(w->snap_all, g->snap_all);
    CHECK(w->gx0 == g->gx0 && w->gy0 == g->gy0 && w->gcell == g->gcell);
    CHECK(w->gnx == g->gnx && w->gny == g->gny);
    size_t ncell = (size_t)g->gnx * g->gny;
    if (ncell) {
        CHECK(SAME(w->grid_off, g->grid_off, ncell + 1));
        CHECK(SAME(w->grid_seg, g->grid_seg, g->grid_off[ncell]));
        CHECK(SAME(w->seg_edge, g->seg_edge, nc));
    }
}

#endif
