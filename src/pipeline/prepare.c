/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `carecircle prepare S.yaml --out PREP_DIR` (issue 18 item 3): load the scenario's network,
 * build the graph of every routing variant (mode, speed, custom profile) as a run does, and
 * write each as PREP_DIR/graph-<variant>.ccgraph (a prepared graph file, net/file.c) with
 * PREP_DIR/prepared.json describing them (the network key a run must match, per variant the
 * mode, speed, profile, counts, extent, file name and size). Parts of a partitioned run then
 * read only their window of each graph.
 */
#include "carecircle/net.h"
#include "carecircle/pipeline.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* graph-<slug of mode, speed and profile>.ccgraph; caller frees. */
char *cc__prepared_name(cc_ctx *ctx, const cc_net_variant *v)
{
    char name[160], sp[40] = "", *slug, *out;
    if (v->speed_kmh > 0) cc_fmt_double(sp, sizeof sp, v->speed_kmh, 3);
    cc_snprintf(name, sizeof name, "%s%s%s%s", v->mode, *sp ? " " : "", *sp ? sp : "",
                v->custom ? " custom" : "");
    for (char *p = name; *p; p++)
        if (*p == '.') *p = 'p'; /* 4.5 -> 4p5: "4-5" would read as a range */
    if (!(slug = cc_path_slug(ctx, name))) return NULL;
    size_t n = strlen(slug) + 16;
    out = cc_malloc(ctx, n);
    if (out) cc_snprintf(out, n, "graph-%s.ccgraph", slug);
    cc_free(slug);
    return out;
}

static cc_status put_num(cc_ctx *ctx, cc_buf *b, const char *key, double v, int dec)
{
    cc_status st = cc_buf_puts(ctx, b, key);
    return st ? st : cc_buf_put_double(ctx, b, v, dec);
}

/* One variant's entry of prepared.json. */
static cc_status json_variant(cc_ctx *ctx, cc_buf *b, const cc_net_variant *v, const char *file,
                              uint64_t bytes)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (uint32_t i = 0; i < cc_graph_node_count(v->g); i++) {
        double x, y;
        cc_graph_node_xy(v->g, i, &x, &y);
        x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
        y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
    }
    cc_status st = cc_buf_puts(ctx, b, "    {\"mode\": ");
    if (!st) st = cc_buf_put_json_string(ctx, b, v->mode);
    if (!st) st = put_num(ctx, b, ", \"speed_kmh\": ", v->speed_kmh, 3);
    if (!st) st = cc_buf_puts(ctx, b, v->custom ? ", \"custom\": true" : ", \"custom\": false");
    if (!st) st = put_num(ctx, b, ", \"nodes\": ", (double)cc_graph_node_count(v->g), 0);
    if (!st) st = put_num(ctx, b, ", \"edges\": ", (double)cc_graph_edge_count(v->g), 0);
    if (!st) st = put_num(ctx, b, ", \"components\": ", (double)cc_graph_component_count(v->g), 0);
    if (!st) st = put_num(ctx, b, ", \"bbox\": [", x0, 2);
    if (!st) st = put_num(ctx, b, ", ", y0, 2);
    if (!st) st = put_num(ctx, b, ", ", x1, 2);
    if (!st) st = put_num(ctx, b, ", ", y1, 2);
    if (!st) st = cc_buf_puts(ctx, b, "], \"file\": ");
    if (!st) st = cc_buf_put_json_string(ctx, b, file);
    if (!st) st = put_num(ctx, b, ", \"bytes\": ", (double)bytes, 0);
    if (!st) st = cc_buf_puts(ctx, b, "}");
    return st;
}

/* Save every variant's graph and describe it in b. */
static cc_status save_variants(cc_ctx *ctx, const cc_study *st, const char *dir, cc_buf *b,
                               cc_buf *report)
{
    cc_status rc = CC_OK;
    for (size_t v = 0; !rc && v < st->n_vars; v++) {
        const cc_net_variant *var = &st->vars[v];
        char *name = cc__prepared_name(ctx, var), *path = NULL;
        if (name) path = cc_path_join(ctx, dir, name);
        rc = path ? cc_graph_save(ctx, var->g, path) : CC_ERR_NOMEM;
        struct stat sb;
        uint64_t bytes = !rc && stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
        if (!rc && v) rc = cc_buf_puts(ctx, b, ",\n");
        if (!rc) rc = json_variant(ctx, b, var, name, bytes);
        char line[600];
        cc_snprintf(line, sizeof line, "%s: %s at %g km/h, %zu nodes, %zu edges, %zu components\n",
                    path ? path : "", var->mode, cc_profile_speed_kmh(var->prof),
                    cc_graph_node_count(var->g), cc_graph_edge_count(var->g),
                    cc_graph_component_count(var->g));
        if (!rc && report) rc = cc_buf_puts(ctx, report, line);
        cc_free(name);
        cc_free(path);
    }
    return rc;
}

static cc_status write_text(cc_ctx *ctx, const char *path, const cc_buf *b)
{
    FILE *fp = fopen(path, "wb");
    int ok = fp && fwrite(b->s, 1, b->len, fp) == b->len;
    if (fp && fclose(fp) != 0) ok = 0;
    return ok ? CC_OK : cc_error(ctx, CC_ERR_IO, "%s: cannot write", path);
}

cc_status cc_pipeline_prepare(cc_ctx *ctx, const cc_scenario *sc, const char *dir, cc_buf *report)
{
    if (!sc->network.present)
        return cc_error(ctx, CC_ERR_SCENARIO,
                        "%s: the scenario has no network; add a network: block with a source",
                        sc->path);
    cc_study st;
    cc_buf b = {0};
    unsigned char key[32];
    char hex[65];
    char *json = NULL;
    cc_status rc = cc__study_load(ctx, sc, &st);
    if (!rc) rc = cc__study_network(ctx, &st, 0);
    if (!rc) rc = cc__network_key(ctx, &st, key);
    if (!rc) rc = cc_mkdir_p(ctx, dir);
    if (!rc) cc_hex(key, 32, hex);
    if (!rc) rc = cc_buf_puts(ctx, &b, "{\n  \"carecircle\": \"" CC_VERSION_STRING "\",\n");
    if (!rc) rc = cc_buf_puts(ctx, &b, "  \"network_key\": \"");
    if (!rc) rc = cc_buf_puts(ctx, &b, hex);
    if (!rc) rc = cc_buf_puts(ctx, &b, "\",\n  \"variants\": [\n");
    if (!rc) rc = save_variants(ctx, &st, dir, &b, report);
    if (!rc) rc = cc_buf_puts(ctx, &b, "\n  ]\n}\n");
    if (!rc) rc = (json = cc_path_join(ctx, dir, "prepared.json")) ? CC_OK : CC_ERR_NOMEM;
    if (!rc) rc = write_text(ctx, json, &b);
    cc_free(json);
    cc_buf_free(&b);
    cc__study_free(&st);
    return rc;
}

cc_status cc_pipeline_prepared_info(cc_ctx *ctx, const char *path, cc_buf *out)
{
    cc_graph_file *f = NULL;
    cc_graph *g = NULL;
    cc_status rc = cc_graph_file_open(ctx, path, &f);
    if (!rc) rc = cc_graph_file_window(ctx, f, -INFINITY, -INFINITY, INFINITY, INFINITY, &g);
    if (!rc) {
        char line[600];
        cc_snprintf(line, sizeof line,
                    "%s: prepared graph, %zu nodes, %zu edges, %zu arcs, %zu components\n", path,
                    cc_graph_node_count(g), cc_graph_edge_count(g), cc_graph_arc_count(g),
                    cc_graph_component_count(g));
        rc = cc_buf_puts(ctx, out, line);
    }
    cc_graph_destroy(g);
    cc_graph_file_close(f);
    return rc;
}

/* The prepared.json of st->prepared_dir lists this network key and variant file. */
static cc_status prepared_match(cc_ctx *ctx, const cc_study *st, const char *name, int *match)
{
    unsigned char key[32];
    char want[160];
    cc_buf json = {0};
    *match = 0;
    char *path = cc_path_join(ctx, st->prepared_dir, "prepared.json");
    cc_status rc = path ? cc__network_key(ctx, st, key) : CC_ERR_NOMEM;
    if (!rc)
        rc = cc_read_text_file(ctx, path, "--prepared folder's prepared.json", (size_t)1 << 20,
                               "run carecircle prepare again", &json);
    if (rc == CC_ERR_IO)
        cc_error(ctx, CC_ERR_IO, "--prepared %s: no readable prepared.json; run carecircle "
                                 "prepare SCENARIO --out %s first",
                 st->prepared_dir, st->prepared_dir);
    if (!rc) {
        char hex[65];
        cc_hex(key, 32, hex);
        cc_snprintf(want, sizeof want, "\"network_key\": \"%s\"", hex);
        char file[200];
        cc_snprintf(file, sizeof file, "\"file\": \"%s\"", name);
        *match = json.s && strstr(json.s, want) && strstr(json.s, file);
    }
    cc_buf_free(&json);
    cc_free(path);
    return rc;
}

cc_status cc__prepared_graph(cc_ctx *ctx, const cc_study *st, const cc_net_variant *v,
                             cc_graph **out)
{
    *out = NULL;
    int match = 0;
    char *name = cc__prepared_name(ctx, v), *path = NULL;
    cc_status rc = name ? prepared_match(ctx, st, name, &match) : CC_ERR_NOMEM;
    if (!rc && !match)
        cc_log(ctx, CC_LOG_INFO,
               "--prepared %s was prepared for another network, settings or carecircle version "
               "(or not for %s at %g km/h); building the graph",
               st->prepared_dir, v->mode, cc_profile_speed_kmh(v->prof));
    if (!rc && match) rc = (path = cc_path_join(ctx, st->prepared_dir, name)) ? CC_OK : CC_ERR_NOMEM;
    cc_graph_file *f = NULL;
    if (!rc && match) rc = cc_graph_file_open(ctx, path, &f);
    if (!rc && match)
        rc = cc_graph_file_window(ctx, f, -INFINITY, -INFINITY, INFINITY, INFINITY, out);
    cc_graph_file_close(f);
    cc_free(name);
    cc_free(path);
    return rc;
}
