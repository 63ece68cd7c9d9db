/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `carecircle graph`: write the routable network of a scenario to a GeoPackage (one feature
 * per edge with class, length, times both ways, component and island flag) so a planner can
 * inspect in QGIS what the routing actually uses.
 */
#include "carecircle/crs.h"
#include "carecircle/pipeline.h"
#include "core/internal.h"
#include "stages.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge_cols {
    int64_t *edge, *from, *to, *line_id, *component, *island;
    double *length, *tf, *tb;
    const char **highway;
    size_t *feat_part, *part_coord;
    double *x, *y;
} edge_cols;

static void cols_free(edge_cols *c)
{
    cc_free(c->edge);
    cc_free(c->from);
    cc_free(c->to);
    cc_free(c->line_id);
    cc_free(c->component);
    cc_free(c->island);
    cc_free(c->length);
    cc_free(c->tf);
    cc_free(c->tb);
    cc_free((void *)c->highway);
    cc_free(c->feat_part);
    cc_free(c->part_coord);
    cc_free(c->x);
    cc_free(c->y);
}

static cc_status write_edges(cc_ctx *ctx, cc_study *st, const cc_graph *g, const char *tmp)
{
    size_t ne = cc_graph_edge_count(g), nc = 0, m = ne ? ne : 1;
    edge_cols c = {0};
    cc_status rc = CC_OK;
    for (uint32_t e = 0; e < ne; e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        nc += ei.n_coords;
    }
    c.edge = cc_malloc_array(ctx, m, sizeof(int64_t));
    c.from = cc_malloc_array(ctx, m, sizeof(int64_t));
    c.to = cc_malloc_array(ctx, m, sizeof(int64_t));
    c.line_id = cc_malloc_array(ctx, m, sizeof(int64_t));
    c.component = cc_malloc_array(ctx, m, sizeof(int64_t));
    c.island = cc_malloc_array(ctx, m, sizeof(int64_t));
    c.length = cc_malloc_array(ctx, m, sizeof(double));
    c.tf = cc_malloc_array(ctx, m, sizeof(double));
    c.tb = cc_malloc_array(ctx, m, sizeof(double));
    c.highway = cc_malloc_array(ctx, m, sizeof(char *));
    c.feat_part = cc_malloc_array(ctx, m + 1, sizeof(size_t));
    c.part_coord = cc_malloc_array(ctx, m + 1, sizeof(size_t));
    c.x = cc_malloc_array(ctx, nc ? nc : 1, sizeof(double));
    c.y = cc_malloc_array(ctx, nc ? nc : 1, sizeof(double));
    if (!c.edge || !c.from || !c.to || !c.line_id || !c.component || !c.island || !c.length ||
        !c.tf || !c.tb || !c.highway || !c.feat_part || !c.part_coord || !c.x || !c.y) {
        rc = CC_ERR_NOMEM;
        goto done;
    }
    size_t at = 0;
    c.feat_part[0] = c.part_coord[0] = 0;
    for (uint32_t e = 0; e < ne; e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        c.edge[e] = e;
        c.from[e] = ei.from;
        c.to[e] = ei.to;
        c.line_id[e] = ei.line_id;
        c.component[e] = ei.component;
        c.island[e] = ei.component != 0;
        c.length[e] = round(ei.length_m * 100) / 100;
        c.tf[e] = ei.time_fwd_ds == CC_NONE ? NAN : ei.time_fwd_ds / 10.0;
        c.tb[e] = ei.time_bwd_ds == CC_NONE ? NAN : ei.time_bwd_ds / 10.0;
        c.highway[e] = ei.highway;
        memcpy(c.x + at, ei.x, ei.n_coords * sizeof(double));
        memcpy(c.y + at, ei.y, ei.n_coords * sizeof(double));
        at += ei.n_coords;
        c.feat_part[e + 1] = e + 1;
        c.part_coord[e + 1] = at;
    }
    rc = cc_crs_tx_apply(ctx, st->to_wgs84, nc, c.x, c.y);
    if (rc) goto done;
    cc_geomcol gc = {0};
    gc.kind = CC_GEOM_LINE;
    gc.n_parts = ne;
    gc.n_coords = nc;
    gc.feat_part = c.feat_part;
    gc.part_coord = c.part_coord;
    gc.x = c.x;
    gc.y = c.y;
    cc_out_field f[] = {
        {"edge", CC_FIELD_INT, c.edge},           {"from_node", CC_FIELD_INT, c.from},
        {"to_node", CC_FIELD_INT, c.to},          {"source_fid", CC_FIELD_INT, c.line_id},
        {"highway", CC_FIELD_STRING, c.highway},  {"length_m", CC_FIELD_REAL, c.length},
        {"time_fwd_s", CC_FIELD_REAL, c.tf},      {"time_bwd_s", CC_FIELD_REAL, c.tb},
        {"component", CC_FIELD_INT, c.component}, {"island", CC_FIELD_INT, c.island},
    };
    rc = cc_io_write_layer(ctx, tmp, "GPKG", "edges", 0, "EPSG:4326", &gc, ne, f,
                           sizeof f / sizeof f[0]);
done:
    cols_free(&c);
    return rc;
}

cc_status cc_pipeline_graph(cc_ctx *ctx, const cc_scenario *sc, const char *out_path,
                            cc_buf *report)
{
    if (!sc->network.present)
        return cc_error(ctx, CC_ERR_SCENARIO,
                        "%s: the scenario has no network; add a network: "
                        "block with a source",
                        sc->path);
    size_t n = strlen(out_path);
    if (n < 5 || strcmp(out_path + n - 5, ".gpkg") != 0)
        return cc_error(ctx, CC_ERR_USAGE, "--out '%s' must name a .gpkg file", out_path);
    char real[PATH_MAX];
    const char *key = NULL,
               *input = realpath(out_path, real) ? cc__scenario_input(sc, real, 1, &key) : NULL;
    if (input) /* e.g. --out roads.gpkg: the export would replace its own source */
        return cc_error(ctx, CC_ERR_USAGE, "--out '%s' is an input (%s '%s'); choose another --out",
                        out_path, key, input);
    cc_study st;
    cc__net_lines nl;
    memset(&nl, 0, sizeof nl);
    cc_profile *prof = NULL;
    cc_graph *g = NULL;
    cc_outset *out = NULL;
    char *dir = NULL;
    const char *tmp = NULL;
    cc_status rc = cc__study_load(ctx, sc, &st);
    if (!rc) rc = cc__net_lines_from_layer(ctx, st.roads, &nl);
    if (!rc) rc = cc_profile_create(ctx, sc->network.mode, sc->network.speed_kmh, &prof);
    if (!rc) rc = cc__profile_apply_spec(ctx, &sc->network.profile, prof);
    if (!rc) rc = cc_graph_build(ctx, &nl.in, prof, sc->network.snap_tolerance_m, &g);
    if (!rc) {
        dir = cc_path_dirname(ctx, out_path);
        rc = dir ? cc_outset_create(ctx, dir, &out) : CC_ERR_NOMEM;
    }
    if (!rc) {
        const char *base = strrchr(out_path, '/');
        rc = cc_outset_temp_path(ctx, out, base ? base + 1 : out_path, &tmp);
    }
    if (!rc) rc = write_edges(ctx, &st, g, tmp);
    if (!rc) rc = cc_outset_publish(ctx, out);
    if (!rc && report) {
        size_t ncomp = cc_graph_component_count(g);
        char line[512];
        cc_snprintf(line, sizeof line,
                    "network: %zu nodes, %zu edges, %zu arcs, mode %s at %g km/h\n"
                    "components: %zu (main %zu nodes, %zu islands)\n",
                    cc_graph_node_count(g), cc_graph_edge_count(g), cc_graph_arc_count(g),
                    cc_profile_mode(prof), cc_profile_speed_kmh(prof), ncomp,
                    cc_graph_component_size(g, 0), ncomp - 1);
        rc = cc_buf_puts(ctx, report, line);
    }
    cc_outset_destroy(out);
    cc_free(dir);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc__net_lines_free(&nl);
    cc__study_free(&st);
    return rc;
}
