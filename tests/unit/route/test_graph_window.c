/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cc_graph_window (issue 18): a part routes on the window of the global graph around its core.
 * On random grids (cc_graph_from_arcs, one-way and closed directions, islands) and on a
 * road-like network built from polylines (cc_graph_build, bike profile: one-way streets,
 * bridges, several classes), for random windows:
 *  (a) a point whose global snap distance is less than its distance to the window border snaps
 *      to the same record on the window (edge mapped through edge_global; bitwise);
 *  (b) catchments from facilities in a core rectangle, limit L, over points in the core are
 *      the same rows when the window is the core grown by L x the fastest arc speed plus the
 *      largest snap distance;
 *  (c) every window node has its global component id, component sizes are the global ones;
 * and the infinite window is the graph itself, array by array. Oracles: the global graph.
 */
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "cc_test.h"
#include "net/net_internal.h"
#include "cc_test_graphs.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The infinite window is g, array by array; its ids are the identity. A node on no edge
 * (the random grids have some) is in no window: then only the counts are compared. */
static void check_whole(cc_ctx *ctx, const cc_graph *g)
{
    cc_graph *w = NULL;
    CHECK_INT(cc_graph_window(ctx, g, -INFINITY, -INFINITY, INFINITY, INFINITY, &w), CC_OK);
    if (!w) return;
    uint32_t lone = 0;
    for (uint32_t i = 0; i < g->n_nodes; i++)
        lone += g->fwd_off[i] == g->fwd_off[i + 1] &&
                (g->symmetric || g->rev_off[i] == g->rev_off[i + 1]);
    if (lone) {
        CHECK_INT(w->n_nodes, g->n_nodes - lone);
        CHECK_INT(w->n_edges, g->n_edges);
    } else {
        graph_equal(w, g);
        int ident = 1;
        for (uint32_t i = 0; i < g->n_nodes; i++)
            ident &= cc_graph_node_global(w)[i] == i;
        for (uint32_t e = 0; e < g->n_edges; e++)
            ident &= cc_graph_edge_global(w)[e] == e;
        CHECK(ident);
    }
    CHECK(cc_graph_node_global(g) == NULL && cc_graph_edge_global(g) == NULL);
    cc_graph_destroy(w);
}

/* (c) and the window's make-up: edges are exactly those whose polyline box meets r. */
static void check_components(const cc_graph *g, const cc_graph *w, const double r[4])
{
    const uint32_t *ng = cc_graph_node_global(w), *eg = cc_graph_edge_global(w);
    size_t bad = 0, ne = 0;
    for (uint32_t e = 0; e < g->n_edges; e++) {
        cc_edge_info in;
        cc_graph_edge(g, e, &in);
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (size_t k = 0; k < in.n_coords; k++) {
            x0 = fmin(x0, in.x[k]), x1 = fmax(x1, in.x[k]);
            y0 = fmin(y0, in.y[k]), y1 = fmax(y1, in.y[k]);
        }
        if (x0 <= r[2] && x1 >= r[0] && y0 <= r[3] && y1 >= r[1]) {
            bad += ne >= cc_graph_edge_count(w) || eg[ne] != e;
            ne++;
        }
    }
    CHECK_INT(ne, cc_graph_edge_count(w));
    CHECK_INT(bad, 0);
    for (uint32_t i = 0; i < cc_graph_node_count(w); i++) {
        uint32_t c = cc_graph_node_component(w, i);
        bad += c != cc_graph_node_component(g, ng[i]) ||
               cc_graph_component_size(w, c) != cc_graph_component_size(g, c) ||
               (i && ng[i] <= ng[i - 1]);
        uint32_t lo = cc_graph_component_node(w, c, NULL, NULL);
        bad += lo > i || cc_graph_node_component(w, lo) != c;
    }
    for (uint32_t e = 0; e < cc_graph_edge_count(w); e++) {
        cc_edge_info a, b;
        cc_graph_edge(w, e, &a);
        cc_graph_edge(g, eg[e], &b);
        bad += ng[a.from] != b.from || ng[a.to] != b.to || a.time_fwd_ds != b.time_fwd_ds ||
               a.time_bwd_ds != b.time_bwd_ds || a.length_m != b.length_m ||
               a.component != b.component || a.n_coords != b.n_coords ||
               a.line_id != b.line_id || a.no_snap != b.no_snap ||
               (a.highway != b.highway && (!a.highway || !b.highway || strcmp(a.highway, b.highway)));
    }
    CHECK_INT(bad, 0);
    if (cc_graph_component_count(w) > 1)
        CHECK(cc_graph_component_size(w, 0) >= cc_graph_component_size(w, 1));
}

/* (a): n random points around r; those snapped on g closer than the window border. */
static size_t check_snaps(cc_ctx *ctx, const cc_graph *g, const cc_graph *w, const double r[4])
{
    enum { NP = 400 };
    double px[NP], py[NP];
    cc_snap sg[NP], sw[NP];
    for (int i = 0; i < NP; i++) {
        px[i] = r[0] - 50 + (r[2] - r[0] + 100) * rndu();
        py[i] = r[1] - 50 + (r[3] - r[1] + 100) * rndu();
    }
    CHECK_INT(cc_route_snap(ctx, g, NP, px, py, sg), CC_OK);
    CHECK_INT(cc_route_snap(ctx, w, NP, px, py, sw), CC_OK);
    size_t tested = 0, bad = 0;
    for (int i = 0; i < NP; i++) {
        double border = fmin(fmin(px[i] - r[0], r[2] - px[i]), fmin(py[i] - r[1], r[3] - py[i]));
        if (sg[i].edge == CC_NONE || !(sg[i].dist_m < border)) continue;
        tested++;
        cc_snap m = sw[i];
        if (m.edge != CC_NONE) m.edge = cc_graph_edge_global(w)[m.edge];
        bad += memcmp(&m, &sg[i], sizeof m) != 0;
    }
    CHECK_INT(bad, 0);
    return tested;
}

/* (b): catchments within limit over points and facilities in a core; 1 when compared. */
static int check_catchments(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof,
                            const double core[4], uint32_t limit)
{
    enum { NP = 300, NF = 12 };
    double px[NP + NF], py[NP + NF];
    cc_snap sg[NP + NF], sw[NP + NF];
    for (int i = 0; i < NP + NF; i++) {
        px[i] = core[0] + (core[2] - core[0]) * rndu();
        py[i] = core[1] + (core[3] - core[1]) * rndu();
    }
    CHECK_INT(cc_route_snap(ctx, g, NP + NF, px, py, sg), CC_OK);
    /* fastest arc speed in m/ds and the largest snap distance */
    double v = 0, snap = 0;
    for (uint32_t e = 0; e < g->n_edges; e++) {
        uint32_t t = g->edge_tf[e] < g->edge_tb[e] ? g->edge_tf[e] : g->edge_tb[e];
        v = fmax(v, g->edge_len[e] / t);
    }
    for (int i = 0; i < NP + NF; i++)
        snap = fmax(snap, sg[i].dist_m);
    double h = v * limit + snap + 1;
    cc_graph *w = NULL;
    CHECK_INT(cc_graph_window(ctx, g, core[0] - h, core[1] - h, core[2] + h, core[3] + h, &w),
              CC_OK);
    if (!w) return 0;
    CHECK_INT(cc_route_snap(ctx, w, NP + NF, px, py, sw), CC_OK);
    cc_incidence *ig = NULL, *iw = NULL;
    CHECK_INT(cc_route_catchments(ctx, g, prof, NF, sg + NP, NP, sg, limit, &ig), CC_OK);
    CHECK_INT(cc_route_catchments(ctx, w, prof, NF, sw + NP, NP, sw, limit, &iw), CC_OK);
    int ok = ig && iw && ig->n == iw->n && SAME(ig->fac_off, iw->fac_off, NF + 1) &&
             SAME(ig->pt, iw->pt, ig->n) && SAME(ig->time_ds, iw->time_ds, ig->n);
    CHECK(ok);
    CHECK(ig && ig->n > 0); /* the comparison is not empty */
    cc_incidence_destroy(ig);
    cc_incidence_destroy(iw);
    cc_graph_destroy(w);
    return 1;
}

static void run(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, uint32_t limit)
{
    check_whole(ctx, g);
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (uint32_t i = 0; i < g->n_nodes; i++) {
        x0 = fmin(x0, g->node_x[i]), x1 = fmax(x1, g->node_x[i]);
        y0 = fmin(y0, g->node_y[i]), y1 = fmax(y1, g->node_y[i]);
    }
    size_t snapped = 0;
    for (int k = 0; k < 12; k++) {
        double wx = (x1 - x0) * (0.1 + 0.4 * rndu()), wy = (y1 - y0) * (0.1 + 0.4 * rndu());
        double r[4] = {x0 + (x1 - x0 - wx) * rndu(), y0 + (y1 - y0 - wy) * rndu(), 0, 0};
        r[2] = r[0] + wx;
        r[3] = r[1] + wy;
        cc_graph *w = NULL;
        CHECK_INT(cc_graph_window(ctx, g, r[0], r[1], r[2], r[3], &w), CC_OK);
        if (!w) continue;
        CHECK(cc_graph_edge_count(w) > 0 && cc_graph_edge_count(w) < cc_graph_edge_count(g));
        check_components(g, w, r);
        snapped += check_snaps(ctx, g, w, r);
        cc_graph_destroy(w);
    }
    CHECK(snapped > 1000); /* most random points do take part */
    int compared = 0;
    for (int k = 0; k < 6; k++) {
        double c = 0.2 + 0.4 * rndu(), d = 0.2 + 0.4 * rndu(), s = 0.15;
        double core[4] = {x0 + (x1 - x0) * c, y0 + (y1 - y0) * d, x0 + (x1 - x0) * (c + s),
                          y0 + (y1 - y0) * (d + s)};
        compared += check_catchments(ctx, g, prof, core, limit);
    }
    CHECK_INT(compared, 6);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    cc_ctx_set_threads(ctx, 2);
    cc_profile *walk = NULL, *bike = NULL;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &walk), CC_OK);
    CHECK_INT(cc_profile_create(ctx, "bike", 0, &bike), CC_OK);
    for (int k = 0; k < 2; k++) {
        cc_graph *g = random_grid(ctx, 60 + 20 * (uint32_t)k);
        if (g) run(ctx, g, walk, 3000);
        cc_graph_destroy(g);
    }
    cc_graph *r = road_like(ctx, 70);
    if (r) {
        CHECK(r->n_comp > 1 && !r->symmetric && !r->snap_all);
        run(ctx, r, bike, 1800);
    }
    /* errors: a graph without coordinates, a rectangle upside down or NaN */
    uint32_t from[] = {0}, to[] = {1}, t[] = {10};
    cc_graph *bare = NULL, *w = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, 2, NULL, NULL, 1, from, to, t, t, NULL, &bare), CC_OK);
    CHECK_INT(cc_graph_window(ctx, bare, 0, 0, 1, 1, &w), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "node coordinates");
    if (r) {
        CHECK_INT(cc_graph_window(ctx, r, 5, 0, 1, 1, &w), CC_ERR_INVALID);
        CHECK_CONTAINS(cc_ctx_message(ctx), "not a rectangle");
        CHECK_INT(cc_graph_window(ctx, r, 0, NAN, 1, 1, &w), CC_ERR_INVALID);
        CHECK(w == NULL);
        /* a window beside the network: empty, and routing on it finds nothing */
        CHECK_INT(cc_graph_window(ctx, r, -1e6, -1e6, -9e5, -9e5, &w), CC_OK);
        if (w) {
            CHECK_INT(cc_graph_node_count(w), 0);
            CHECK_INT(cc_graph_edge_count(w), 0);
            cc_snap s;
            double x = 0, y = 0;
            CHECK_INT(cc_route_snap(ctx, w, 1, &x, &y, &s), CC_OK);
            CHECK_INT(s.edge, CC_NONE);
        }
        cc_graph_destroy(w);
    }
    cc_graph_destroy(bare);
    cc_graph_destroy(r);
    cc_profile_destroy(walk);
    cc_profile_destroy(bike);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
