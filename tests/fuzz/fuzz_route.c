/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: graph build + snapping + nearest-facility routing on random line sets.
 * The input decodes into a few lines with small integer coordinates (10 m grid, so lines
 * share vertices and cross), a highway class per line, then a few facility and demand
 * points. The graph is built with the walk profile; cc_route_nearest must equal a plain
 * reference written here: an O(n^2) Dijkstra on the graph view (itself checked against
 * cc_route_nodes), with the documented costs at snapped positions (docs/network.md): the
 * off-network leg at each end at the profile's base speed, the partial edge time
 * round(time x fraction), and the direct path when point and facility share an edge.
 * Any mismatch aborts.
 */
#include "carecircle/core.h"
#include "carecircle/net.h"
#include "carecircle/route.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed check: name the line, then abort (libFuzzer saves the input). */
#ifndef CC_FUZZ_DIE
#define CC_FUZZ_DIE() (fprintf(stderr, "%s:%d: check failed\n", __FILE__, __LINE__), abort())
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NONE UINT32_MAX
#define MAX_LINES 8
#define MAX_V 5
#define MAX_FAC 4
#define MAX_PTS 6

typedef struct reader {
    const uint8_t *d;
    size_t n, i;
} reader;

static unsigned next(reader *r)
{
    return r->i < r->n ? r->d[r->i++] : 0;
}

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s >= NONE ? NONE : (uint32_t)s;
}

/* Fraction frac of a traversal taking t ds (documented rounding: nearest, half away). */
static uint32_t part(uint32_t t, double frac)
{
    if (frac <= 0) return 0;
    if (t == NONE) return NONE;
    if (frac >= 1) return t;
    return (uint32_t)llround((double)t * frac);
}

static double frac_of(const cc_graph_view *v, uint32_t e, double off)
{
    double len = v->edge_len_m[e];
    if (!(len > 0)) return 0;
    double f = off / len;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* All-pairs forward shortest times by repeated O(n^2) Dijkstra (n is small). */
static void all_pairs(const cc_graph_view *v, uint32_t *D)
{
    uint32_t n = v->n_nodes;
    unsigned char *done = malloc(n ? n : 1);
    for (uint32_t s = 0; s < n; s++) {
        uint32_t *d = D + (size_t)s * n;
        for (uint32_t u = 0; u < n; u++)
            d[u] = NONE;
        memset(done, 0, n);
        d[s] = 0;
        for (;;) {
            uint32_t best = NONE, u = NONE;
            for (uint32_t k = 0; k < n; k++)
                if (!done[k] && d[k] < best) best = d[k], u = k;
            if (u == NONE) break;
            done[u] = 1;
            for (uint32_t a = v->fwd_off[u]; a < v->fwd_off[u + 1]; a++) {
                uint32_t h = v->fwd_arc[a].head, t = sat_add(d[u], v->fwd_arc[a].time_ds);
                if (t < d[h]) d[h] = t;
            }
        }
    }
    free(done);
}

static const char *const HIGHWAYS[] = {NULL,       "footway", "residential", "steps",
                                       "motorway", "path",    "primary",     "service"};
static const char *const ONEWAYS[] = {NULL, NULL, "yes", "-1"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size, 0};
    size_t n_lines = 1 + next(&r) % MAX_LINES;
    size_t line_coord[MAX_LINES + 1];
    double x[MAX_LINES * MAX_V], y[MAX_LINES * MAX_V];
    const char *hw[MAX_LINES], *ow[MAX_LINES];
    size_t nv = 0;
    for (size_t i = 0; i < n_lines; i++) {
        unsigned h = next(&r);
        hw[i] = HIGHWAYS[h % 8];
        ow[i] = ONEWAYS[(h >> 3) % 4];
        size_t k = 2 + next(&r) % (MAX_V - 1);
        line_coord[i] = nv;
        for (size_t j = 0; j < k; j++) {
            unsigned c = next(&r);
            x[nv] = 10.0 * (c & 7);
            y[nv] = 10.0 * ((c >> 3) & 7);
            nv++;
        }
    }
    line_coord[n_lines] = nv;
    size_t n_fac = 1 + next(&r) % MAX_FAC, n_pts = 1 + next(&r) % MAX_PTS;
    double px[MAX_FAC + MAX_PTS], py[MAX_FAC + MAX_PTS];
    for (size_t i = 0; i < n_fac + n_pts; i++) {
        px[i] = (double)next(&r) * 0.3 - 2.0;
        py[i] = (double)next(&r) * 0.3 - 2.0;
    }
    unsigned lim = next(&r);
    uint32_t limit = lim < 128 ? NONE : (uint32_t)(lim - 128) * 20;

    cc_ctx *ctx = NULL;
    cc_profile *prof = NULL;
    cc_graph *g = NULL;
    uint32_t *D = NULL, *dn = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 0;
    cc_ctx_set_threads(ctx, 1);
    if (cc_profile_create(ctx, "walk", 0, &prof) != CC_OK) CC_FUZZ_DIE();
    cc_net_input in;
    memset(&in, 0, sizeof in);
    in.n_lines = n_lines;
    in.line_coord = line_coord;
    in.x = x;
    in.y = y;
    in.highway = hw;
    in.oneway = ow;
    cc_status st = cc_graph_build(ctx, &in, prof, 0, &g);
    if (st != CC_OK) {
        if (st != CC_ERR_DATA) CC_FUZZ_DIE(); /* only "no usable line" may fail */
        goto done;
    }
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    if (v.n_nodes != cc_graph_node_count(g) || v.n_edges != cc_graph_edge_count(g)) CC_FUZZ_DIE();
    uint32_t n = v.n_nodes;
    D = malloc((size_t)n * n * sizeof *D);
    dn = malloc((size_t)n * sizeof *dn);
    if (!D || !dn) goto done;
    all_pairs(&v, D);
    for (uint32_t s = 0; s < n; s++) {
        if (cc_route_nodes(ctx, g, 0, 1, &s, NULL, NONE, dn, NULL) != CC_OK) CC_FUZZ_DIE();
        for (uint32_t u = 0; u < n; u++)
            if (dn[u] != D[(size_t)s * n + u]) {
                fprintf(stderr, "cc_route_nodes %u->%u: %u, reference %u\n", s, u, dn[u],
                        D[(size_t)s * n + u]);
                CC_FUZZ_DIE();
            }
    }

    cc_snap snaps[MAX_FAC + MAX_PTS];
    if (cc_graph_snap(ctx, g, n_fac + n_pts, px, py, snaps) != CC_OK) CC_FUZZ_DIE();
    const cc_snap *fac = snaps, *pts = snaps + n_fac;
    uint32_t t_eng[MAX_PTS];
    int32_t f_eng[MAX_PTS];
    if (cc_route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, limit, t_eng, f_eng) != CC_OK)
        CC_FUZZ_DIE();

    for (size_t i = 0; i < n_pts; i++) {
        const cc_snap *p = &pts[i];
        uint32_t bt = NONE;
        int32_t bf = -1;
        for (size_t f = 0; f < n_fac && p->edge != NONE; f++) {
            const cc_snap *q = &fac[f];
            if (q->edge == NONE) continue;
            uint32_t best = NONE;
            uint32_t pe = p->edge, qe = q->edge;
            if (pe == qe) {
                double len = v.edge_len_m[pe];
                uint32_t d;
                if (p->offset_m == q->offset_m || !(len > 0))
                    d = 0;
                else if (p->offset_m < q->offset_m)
                    d = part(v.edge_time_fwd[pe], (q->offset_m - p->offset_m) / len);
                else
                    d = part(v.edge_time_bwd[pe], (p->offset_m - q->offset_m) / len);
                best = d;
            }
            double fp = frac_of(&v, pe, p->offset_m), fq = frac_of(&v, qe, q->offset_m);
            /* point -> its edge's ends; the facility's edge ends -> the facility */
            uint32_t pu[2] = {v.edge_from[pe], v.edge_to[pe]};
            uint32_t pt[2] = {part(v.edge_time_bwd[pe], fp), part(v.edge_time_fwd[pe], 1 - fp)};
            uint32_t qu[2] = {v.edge_from[qe], v.edge_to[qe]};
            uint32_t qt[2] = {part(v.edge_time_fwd[qe], fq), part(v.edge_time_bwd[qe], 1 - fq)};
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++) {
                    if (pt[a] == NONE || qt[b] == NONE) continue;
                    uint32_t t = sat_add(sat_add(pt[a], D[(size_t)pu[a] * n + qu[b]]), qt[b]);
                    if (t < best) best = t;
                }
            if (getenv("CC_FUZZ_VERBOSE"))
                fprintf(stderr, "point %zu -> facility %zu (edge %u off %.3f dist %.3f): %u ds\n",
                        i, f, q->edge, q->offset_m, q->dist_m, best);
            if (best == NONE) continue;
            best = sat_add(sat_add(best, cc_route_leg_ds(prof, p->dist_m)),
                           cc_route_leg_ds(prof, q->dist_m));
            if (best < bt) {
                bt = best;
                bf = (int32_t)f;
            }
        }
        uint32_t eff = limit >= NONE ? NONE - 1 : limit;
        if (bt > eff) {
            bt = NONE;
            bf = -1;
        }
        if (bt != t_eng[i] || bf != f_eng[i]) {
            fprintf(stderr,
                    "point %zu (edge %u, offset %.6f, dist %.6f): cc_route_nearest %u ds via "
                    "facility %d, reference %u ds via %d (limit %u)\n",
                    i, p->edge, p->offset_m, p->dist_m, t_eng[i], f_eng[i], bt, bf, limit);
            CC_FUZZ_DIE();
        }
    }
done:
    free(D);
    free(dn);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
    return 0;
}
