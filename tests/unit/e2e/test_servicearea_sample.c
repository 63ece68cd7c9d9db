/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Service areas on the sample's real network (Wuhan OSM) against the GEOS construction they
 * replaced (tests/unit/geom/servicearea_oracle.h): for each of the twelve facilities, walking at
 * 3.2 km/h for 15 minutes and driving for 5, the facility's service area from the sparse
 * search (cc_route_reach, as the pipeline draws it) is valid, has the oracle's polygons and its
 * holes (within one), the same reached length, and differs from the oracle by less than 1% of
 * its area; the oracle gets its times from the full search (cc_route_nodes). Only this folder's
 * tests link the whole library (io, net, route, geom), hence the test lives here.
 */
#include "../geom/servicearea_oracle.h"
#include "carecircle/crs.h"
#include "carecircle/io.h"
#include "carecircle/net.h"
#include "carecircle/route.h"

static cc_layer *load(cc_ctx *ctx, const cc_vector_request *rq)
{
    cc_layer *L = NULL;
    if (cc_io_read_vector(ctx, rq, &L) != CC_OK) {
        fprintf(stderr, "%s\n", cc_ctx_message(ctx));
        return NULL;
    }
    cc_crs_tx *tx = NULL;
    CHECK_INT(cc_crs_tx_create(ctx, L->crs, "EPSG:32650", &tx), CC_OK);
    CHECK_INT(cc_crs_tx_apply(ctx, tx, L->n, L->rep_x, L->rep_y), CC_OK);
    if (L->geom.n_coords)
        CHECK_INT(cc_crs_tx_apply(ctx, tx, L->geom.n_coords, L->geom.x, L->geom.y), CC_OK);
    cc_crs_tx_destroy(tx);
    return L;
}

static void run_mode(cc_ctx *ctx, const cc_layer *roads, const cc_layer *fac, const char *mode,
                     double speed, double minutes, double *worst)
{
    size_t np = roads->geom.n_parts;
    int64_t *ids = malloc(np * sizeof *ids);
    const char **tags[8];
    for (int t = 0; t < 8; t++)
        tags[t] = malloc(np * sizeof(char *));
    for (size_t f = 0; f < roads->n; f++)
        for (size_t p = roads->geom.feat_part[f]; p < roads->geom.feat_part[f + 1]; p++) {
            ids[p] = roads->fid[f];
            for (int t = 0; t < 8; t++)
                tags[t][p] = roads->str[t][f];
        }
    cc_net_input in = {np,
                       roads->geom.part_coord,
                       roads->geom.x,
                       roads->geom.y,
                       ids,
                       tags[0],
                       tags[1],
                       tags[2],
                       tags[3],
                       tags[4],
                       tags[5],
                       tags[6],
                       tags[7]};
    cc_profile *prof = NULL;
    cc_graph *g = NULL;
    CHECK_INT(cc_profile_create(ctx, mode, speed, &prof), CC_OK);
    CHECK_INT(cc_graph_build(ctx, &in, prof, 0, &g), CC_OK);
    if (!g) goto out;
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    cc_geom_line *lines = malloc(v.n_edges * sizeof *lines);
    for (uint32_t e = 0; e < v.n_edges; e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        lines[e] = (cc_geom_line){ei.x, ei.y, ei.n_coords};
    }
    cc_geom_network net = {v.n_nodes,       v.n_edges,       v.edge_from, v.edge_to,
                           v.edge_time_fwd, v.edge_time_bwd, v.fwd_off,   v.fwd_edge,
                           v.rev_off,       v.rev_edge,      lines};
    cc_snap *fs = malloc(fac->n * sizeof *fs);
    CHECK_INT(cc_graph_snap(ctx, g, fac->n, fac->rep_x, fac->rep_y, fs), CC_OK);
    uint32_t lim = (uint32_t)llround(minutes * 600.0);
    uint32_t *full = malloc(v.n_nodes * sizeof *full);
    cc_reach_ws *rw = NULL;
    cc_service_ws *sw = cc_geom_service_ws_create(ctx);
    CHECK_INT(cc_reach_ws_create(ctx, g, &rw), CC_OK);
    size_t compared = 0;
    for (size_t j = 0; j < fac->n && rw && sw; j++) {
        const cc_snap *s = &fs[j];
        if (s->edge == CC_NONE) continue;
        /* the routing's starts, as src/pipeline/areas.c takes them */
        uint32_t leg = cc_route_leg_ds(prof, s->dist_m);
        uint32_t sn[2], st[2];
        size_t ns = cc_route_facility_seeds(g, prof, s, lim, sn, st);
        size_t nr = 0;
        const uint32_t *rn = NULL, *rt = NULL;
        CHECK_INT(cc_route_reach(ctx, rw, 1, ns, sn, st, lim, &nr, &rn, &rt), CC_OK);
        CHECK_INT(cc_route_nodes(ctx, g, 1, ns, sn, st, lim, full, NULL), CC_OK);
        cc_geom_source gs = {s->edge, s->offset_m, leg};
        cmp_result r = {0};
        cc_geom_polys p = {0};
        CHECK_INT(cc_geom_service_area(ctx, sw, &net, nr, rn, rt, 1, 1, &gs, lim, NULL, &p, &r.len),
                  CC_OK);
        GEOSGeometry *o = oracle(&net, full, 1, 1, &gs, lim, 50.0, 2.0, &r.oracle_len);
        compare_geom(&p, o, &r);
        char what[96];
        snprintf(what, sizeof what, "%s, facility %zu", mode, j);
        print_result(what, &r);
        CHECK(r.valid);
        CHECK(r.rel_diff < 0.01);
        CHECK_INT(r.parts, r.oracle_parts);
        CHECK(abs(r.holes - r.oracle_holes) <= 1);
        CHECK_NEAR(r.len, r.oracle_len, 1e-9 * r.oracle_len + 1e-9);
        if (r.rel_diff > *worst) *worst = r.rel_diff;
        compared += r.area > 0;
        cc_geom_polys_free(&p);
    }
    CHECK_INT(compared, 12); /* the sample's twelve facilities (day care and childcare) */
    cc_reach_ws_destroy(rw);
    cc_geom_service_ws_destroy(sw);
    free(full);
    free(fs);
    free(lines);
out:
    free(ids);
    for (int t = 0; t < 8; t++)
        free(tags[t]);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
}

int main(void)
{
    cc_ctx *ctx;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    gh = GEOS_init_r();
    const char *str[8] = {"highway", "foot",   "access", "sidewalk",
                          "oneway",  "bridge", "tunnel", "maxspeed"};
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
    fr.where = "kind IN ('日间照料中心', '托育机构')"; /* the day care and childcare points */
    fr.role = "facilities";
    cc_layer *roads = load(ctx, &rr);
    cc_layer *fac = load(ctx, &fr);
    double worst = 0;
    if (roads && fac) {
        run_mode(ctx, roads, fac, "walk_elderly", 3.2, 15.0, &worst);
        run_mode(ctx, roads, fac, "drive", 0, 5.0, &worst);
    }
    printf("largest difference from the GEOS construction: %.3f%% of the area\n", 100 * worst);
    cc_layer_destroy(roads);
    cc_layer_destroy(fac);
    GEOS_finish_r(gh);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
