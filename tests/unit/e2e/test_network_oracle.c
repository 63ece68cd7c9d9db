/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Oracle on the sample's real network (Wuhan OSM): every demand cell's network time to its
 * nearest day-care centre from the parallel routing core equals, exactly in deciseconds, an
 * independent reference: a plain binary-heap Dijkstra written here over an adjacency list built
 * from the exported edge list (cc_graph_edge), not from the core's CSR arrays. Both walking
 * (symmetric) and driving (one-way streets) are checked, with 1 and 2 threads; catchments from
 * the parallel core are checked against the same reference.
 */
#include "carecircle/crs.h"
#include "carecircle/io.h"
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "cc_test.h"

#include <stdlib.h>

typedef struct adj {
    size_t *off;
    uint32_t *to, *t;
} adj;

/* Reverse adjacency: for an original arc u->w (time t) store w->u, so a search from the
   facilities gives the time from every node TO its nearest facility. */
static void build_rev(const cc_graph *g, adj *a)
{
    size_t n = cc_graph_node_count(g), m = cc_graph_edge_count(g);
    a->off = calloc(n + 1, sizeof *a->off);
    a->to = malloc(2 * m * sizeof *a->to);
    a->t = malloc(2 * m * sizeof *a->t);
    size_t *fill = calloc(n + 1, sizeof *fill);
    for (uint32_t e = 0; e < m; e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        if (ei.time_fwd_ds != CC_NONE) a->off[ei.to + 1]++;
        if (ei.time_bwd_ds != CC_NONE) a->off[ei.from + 1]++;
    }
    for (size_t i = 0; i < n; i++) a->off[i + 1] += a->off[i];
    for (size_t i = 0; i <= n; i++) fill[i] = a->off[i];
    for (uint32_t e = 0; e < m; e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        if (ei.time_fwd_ds != CC_NONE) { /* from -> to, reversed: to -> from */
            a->to[fill[ei.to]] = ei.from;
            a->t[fill[ei.to]++] = ei.time_fwd_ds;
        }
        if (ei.time_bwd_ds != CC_NONE) {
            a->to[fill[ei.from]] = ei.to;
            a->t[fill[ei.from]++] = ei.time_bwd_ds;
        }
    }
    free(fill);
}

/* Plain binary heap of (key, node). */
typedef struct heap {
    uint64_t *k;
    size_t n;
} heap;

static void hpush(heap *h, uint32_t key, uint32_t node)
{
    uint64_t v = (uint64_t)key << 32 | node;
    size_t i = h->n++;
    while (i && h->k[(i - 1) / 2] > v) {
        h->k[i] = h->k[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->k[i] = v;
}

static uint64_t hpop(heap *h)
{
    uint64_t top = h->k[0], last = h->k[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && h->k[c + 1] < h->k[c]) c++;
        if (h->k[c] >= last) break;
        h->k[i] = h->k[c];
        i = c;
    }
    h->k[i] = last;
    return top;
}

static uint32_t part(uint32_t t, double f)
{
    if (f <= 0) return 0;
    if (t == CC_NONE) return CC_NONE;
    if (f >= 1) return t;
    return (uint32_t)llround((double)t * f);
}

static uint32_t add(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s >= CC_NONE ? CC_NONE : (uint32_t)s;
}

static double frac(const cc_edge_info *ei, double off)
{
    if (!(ei->length_m > 0)) return 0;
    double f = off / ei->length_m;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Reference time from each point to its nearest facility (CC_NONE if above limit). */
static void reference(const cc_graph *g, const cc_profile *prof, size_t nf, const cc_snap *fs,
                      size_t np, const cc_snap *ps, uint32_t limit, uint32_t *out)
{
    size_t n = cc_graph_node_count(g);
    adj a;
    build_rev(g, &a);
    uint32_t *dist = malloc(n * sizeof *dist);
    for (size_t i = 0; i < n; i++) dist[i] = CC_NONE;
    heap h = {malloc((a.off[n] + 2 * nf + 1) * sizeof(uint64_t)), 0};
    for (size_t f = 0; f < nf; f++) {
        if (fs[f].edge == CC_NONE) continue;
        cc_edge_info ei;
        cc_graph_edge(g, fs[f].edge, &ei);
        uint32_t leg = cc_route_leg_ds(prof, fs[f].dist_m);
        double fr = frac(&ei, fs[f].offset_m);
        uint32_t ka = add(leg, part(ei.time_fwd_ds, fr)), kb = add(leg, part(ei.time_bwd_ds, 1 - fr));
        if (ka < dist[ei.from]) { dist[ei.from] = ka; hpush(&h, ka, ei.from); }
        if (kb < dist[ei.to]) { dist[ei.to] = kb; hpush(&h, kb, ei.to); }
    }
    while (h.n) {
        uint64_t top = hpop(&h);
        uint32_t d = (uint32_t)(top >> 32), u = (uint32_t)top;
        if (d != dist[u]) continue;
        for (size_t k = a.off[u]; k < a.off[u + 1]; k++) {
            uint32_t nd = add(d, a.t[k]);
            if (nd < dist[a.to[k]]) {
                dist[a.to[k]] = nd;
                hpush(&h, nd, a.to[k]);
            }
        }
    }
    for (size_t i = 0; i < np; i++) {
        uint32_t best = CC_NONE;
        if (ps[i].edge != CC_NONE) {
            cc_edge_info ei;
            cc_graph_edge(g, ps[i].edge, &ei);
            double fr = frac(&ei, ps[i].offset_m);
            uint32_t ta = add(part(ei.time_bwd_ds, fr), dist[ei.from]);
            uint32_t tb = add(part(ei.time_fwd_ds, 1 - fr), dist[ei.to]);
            best = ta < tb ? ta : tb;
            for (size_t f = 0; f < nf; f++) { /* facility on the same edge: direct */
                if (fs[f].edge != ps[i].edge) continue;
                double dp = ps[i].offset_m, df = fs[f].offset_m;
                uint32_t d = dp == df ? 0
                             : dp < df ? part(ei.time_fwd_ds, (df - dp) / ei.length_m)
                                       : part(ei.time_bwd_ds, (dp - df) / ei.length_m);
                d = add(d, cc_route_leg_ds(prof, fs[f].dist_m));
                if (d < best) best = d;
            }
            best = add(best, cc_route_leg_ds(prof, ps[i].dist_m));
        }
        out[i] = best <= limit ? best : CC_NONE;
    }
    free(h.k);
    free(dist);
    free(a.off);
    free(a.to);
    free(a.t);
}

static cc_layer *load(cc_ctx *ctx, const cc_vector_request *rq, const char *raster)
{
    cc_layer *L = NULL;
    cc_status st;
    if (raster) {
        const char *paths[1] = {raster};
        cc_raster_request rr = {paths, 1, 1, NULL, "demand"};
        st = cc_io_read_raster_cells(ctx, &rr, &L);
    } else
        st = cc_io_read_vector(ctx, rq, &L);
    CHECK_INT(st, CC_OK);
    if (st) {
        fprintf(stderr, "%s\n", cc_ctx_message(ctx));
        return NULL;
    }
    cc_crs_tx *tx = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, L->crs, "EPSG:32650", &tx), CC_OK);
    CHECK_INT(cc_crs_tx_apply(ctx, tx, L->n, L->rep_x, L->rep_y), CC_OK);
    if (L->geom.n_coords) CHECK_INT(cc_crs_tx_apply(ctx, tx, L->geom.n_coords, L->geom.x, L->geom.y), CC_OK);
    cc_crs_tx_destroy(tx);
    return L;
}

static void run_mode(cc_ctx *ctx, const cc_layer *roads, const cc_layer *fac, const cc_layer *dem,
                     const char *mode, double speed)
{
    /* One line per feature part with the feature's tags. */
    size_t np = roads->geom.n_parts;
    const char **tags[8];
    int64_t *ids = malloc(np * sizeof *ids);
    for (int t = 0; t < 8; t++) tags[t] = calloc(np, sizeof(char *));
    for (size_t f = 0; f < roads->n; f++)
        for (size_t p = roads->geom.feat_part[f]; p < roads->geom.feat_part[f + 1]; p++) {
            ids[p] = roads->fid[f];
            for (int t = 0; t < 8; t++) tags[t][p] = roads->str[t][f];
        }
    cc_net_input in = {np, roads->geom.part_coord, roads->geom.x, roads->geom.y, ids,
                       tags[0], tags[1], tags[2], tags[3], tags[4], tags[5], tags[6], tags[7]};
    cc_profile *prof = NULL;
    cc_graph *g = NULL;
    CHECK_INT(cc_profile_create(ctx, mode, speed, &prof), CC_OK);
    CHECK_INT(cc_graph_build(ctx, &in, prof, 0, &g), CC_OK);
    CHECK(cc_graph_node_count(g) > 400);
    cc_snap *fs = malloc(fac->n * sizeof *fs), *ps = malloc(dem->n * sizeof *ps);
    CHECK_INT(cc_graph_snap(ctx, g, fac->n, fac->rep_x, fac->rep_y, fs), CC_OK);
    CHECK_INT(cc_graph_snap(ctx, g, dem->n, dem->rep_x, dem->rep_y, ps), CC_OK);
    uint32_t limit = 30 * 600;
    uint32_t *ref = malloc(dem->n * sizeof *ref), *got = malloc(dem->n * sizeof *got);
    int32_t *owner = malloc(dem->n * sizeof *owner);
    reference(g, prof, fac->n, fs, dem->n, ps, limit, ref);
    size_t reached = 0;
    for (size_t i = 0; i < dem->n; i++) reached += ref[i] != CC_NONE;
    CHECK(reached > dem->n / 4); /* the comparison covers many points */
    for (int threads = 1; threads <= 2; threads++) {
        cc_ctx_set_threads(ctx, threads);
        CHECK_INT(cc_route_nearest(ctx, g, prof, fac->n, fs, dem->n, ps, limit, got, owner), CC_OK);
        size_t bad = 0;
        for (size_t i = 0; i < dem->n; i++) bad += got[i] != ref[i];
        CHECK_INT(bad, 0);
        /* Catchments: each point's best time over all facilities equals the nearest time. */
        cc_incidence *inc = NULL;
        CHECK_INT(cc_route_catchments(ctx, g, prof, fac->n, fs, dem->n, ps, limit, &inc), CC_OK);
        if (inc) {
            uint32_t *best = malloc(dem->n * sizeof *best);
            for (size_t i = 0; i < dem->n; i++) best[i] = CC_NONE;
            for (size_t k = 0; k < inc->n; k++)
                if (inc->time_ds[k] < best[inc->pt[k]]) best[inc->pt[k]] = inc->time_ds[k];
            bad = 0;
            for (size_t i = 0; i < dem->n; i++) bad += best[i] != ref[i];
            CHECK_INT(bad, 0);
            free(best);
            cc_incidence_destroy(inc);
        }
    }
    printf("%s: %zu nodes, %zu edges, %zu of %zu cells within 30 min\n", mode,
           cc_graph_node_count(g), cc_graph_edge_count(g), reached, dem->n);
    free(ref);
    free(got);
    free(owner);
    free(fs);
    free(ps);
    free(ids);
    for (int t = 0; t < 8; t++) free(tags[t]);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
}

int main(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    const char *str[8] = {"highway", "foot", "access", "sidewalk", "oneway", "bridge", "tunnel", "maxspeed"};
    cc_vector_request rr = {0};
    rr.path = CC_SOURCE_DIR "/data/sample/roads.osm";
    rr.layer = "lines";
    rr.str_fields = str;
    rr.n_str = 8;
    rr.expect = CC_GEOM_LINE;
    rr.want_geometry = 1;
    rr.role = "network";
    cc_vector_request fr = {0};
    fr.path = CC_SOURCE_DIR "/data/sample/facilities.geojson";
    fr.id_field = "id";
    fr.role = "facilities";
    cc_layer *roads = load(ctx, &rr, NULL);
    cc_layer *fac = load(ctx, &fr, NULL);
    cc_layer *dem = load(ctx, NULL, CC_SOURCE_DIR "/data/sample/elderly_60plus.tif");
    if (roads && fac && dem) {
        CHECK_INT(dem->n, 2363);
        run_mode(ctx, roads, fac, dem, "walk_elderly", 3.2);
        run_mode(ctx, roads, fac, dem, "drive", 0);
    }
    cc_layer_destroy(roads);
    cc_layer_destroy(fac);
    cc_layer_destroy(dem);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
