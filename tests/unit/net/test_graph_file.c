/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prepared graph files (issue 18 item 3): cc_graph_save, then cc_graph_file_window over the
 * whole extent and over random rectangles equals cc_graph_window of the saved graph, array by
 * array (the oracle: the graph in memory). A damaged file never reads out of bounds: flipped
 * bytes in the header or tile index, cut or lengthened files are refused at open with one line
 * naming the file; flipped data bytes either read or are refused; NaN coordinates are refused.
 */
#include "carecircle/net.h"
#include "cc_test.h"
#include "net/net_internal.h"
#include "cc_test_graphs.h"

#include <stdio.h>

static const char *PATH = "test_graph_file.ccgraph", *BAD = "test_graph_file_bad.ccgraph";

static void same_window(cc_ctx *ctx, const cc_graph *g, cc_graph_file *f, const double r[4])
{
    cc_graph *a = NULL, *b = NULL;
    CHECK_INT(cc_graph_window(ctx, g, r[0], r[1], r[2], r[3], &a), CC_OK);
    CHECK_INT(cc_graph_file_window(ctx, f, r[0], r[1], r[2], r[3], &b), CC_OK);
    if (a && b) {
        graph_equal(b, a);
        if (a->n_nodes == b->n_nodes && a->n_edges == b->n_edges) {
            CHECK(SAME(cc_graph_node_global(a), cc_graph_node_global(b), a->n_nodes));
            CHECK(SAME(cc_graph_edge_global(a), cc_graph_edge_global(b), a->n_edges));
        }
    }
    cc_graph_destroy(a);
    cc_graph_destroy(b);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    *n = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *b = malloc(*n);
    if (fread(b, 1, *n, fp) != *n) *n = 0;
    fclose(fp);
    return b;
}

static void spill(const char *path, const unsigned char *b, size_t n)
{
    FILE *fp = fopen(path, "wb");
    fwrite(b, 1, n, fp);
    fclose(fp);
}

/* Open BAD and read windows from it: 0 = read, 1 = refused at open, 2 = refused by a window.
 * Anything refused names the file. */
static int try_bad(cc_ctx *ctx)
{
    cc_graph_file *f = NULL;
    cc_status st = cc_graph_file_open(ctx, BAD, &f);
    if (st) {
        CHECK_INT(st, CC_ERR_DATA);
        CHECK_CONTAINS(cc_ctx_message(ctx), BAD);
        return 1;
    }
    int res = 0;
    double r[2][4] = {{-INFINITY, -INFINITY, INFINITY, INFINITY}, {800, 900, 2000, 1500}};
    for (int k = 0; k < 2; k++) {
        cc_graph *w = NULL;
        st = cc_graph_file_window(ctx, f, r[k][0], r[k][1], r[k][2], r[k][3], &w);
        if (st) {
            CHECK_INT(st, CC_ERR_DATA);
            CHECK_CONTAINS(cc_ctx_message(ctx), BAD);
            res = 2;
        }
        cc_graph_destroy(w);
    }
    cc_graph_file_close(f);
    return res;
}

static void fuzz(cc_ctx *ctx, const cc_graph *g)
{
    size_t n = 0;
    unsigned char *orig = slurp(PATH, &n), *b = malloc(n + 1);
    CHECK(orig && n > 1000);
    if (!orig) return;
    /* odd rounds flip a byte of the header (152 bytes, summed): always refused */
    int refused_hdr = 0, n_hdr = 0, outcome[3] = {0, 0, 0};
    for (int it = 0; it < 300; it++) {
        memcpy(b, orig, n);
        size_t pos = it % 2 ? rnd(160) : rnd((uint32_t)n);
        b[pos] ^= (unsigned char)(1 + rnd(255));
        if (it % 2) n_hdr++;
        spill(BAD, b, n);
        int r = try_bad(ctx);
        outcome[r]++;
        if (it % 2) refused_hdr += r == 1;
    }
    CHECK_INT(refused_hdr, n_hdr);
    CHECK(outcome[0] > 0 && outcome[1] > 0);
    for (int it = 0; it < 30; it++) { /* cut anywhere, or one byte more */
        size_t len = it == 29 ? n + 1 : rnd((uint32_t)n);
        memcpy(b, orig, n);
        b[n] = 0;
        spill(BAD, b, len);
        CHECK_INT(try_bad(ctx), 1);
    }
    /* the last polyline values NaN (data is not summed: the window read checks them) */
    size_t hw = 0;
    for (uint32_t i = 0; i < g->n_hw; i++)
        hw += strlen(g->hw_names[i]) + 1;
    size_t ccum_end = n - 8 - (hw + 7) / 8 * 8;
    memcpy(b, orig, n);
    memset(b + ccum_end - 64, 0xff, 64);
    spill(BAD, b, n);
    CHECK_INT(try_bad(ctx), 2);
    CHECK_CONTAINS(cc_ctx_message(ctx), "edge data");
    free(orig);
    free(b);
    remove(BAD);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    cc_graph *g = road_like(ctx, 60);
    if (!g) return cc_test_done();
    CHECK_INT(cc_graph_save(ctx, g, PATH), CC_OK);
    cc_graph_file *f = NULL;
    CHECK_INT(cc_graph_file_open(ctx, PATH, &f), CC_OK);
    if (f) {
        const double whole[4] = {-INFINITY, -INFINITY, INFINITY, INFINITY};
        same_window(ctx, g, f, whole);
        for (int k = 0; k < 20; k++) {
            double x = 5400 * rndu(), y = 5400 * rndu(), w = 2000 * rndu(), h = 2000 * rndu();
            const double r[4] = {x - w / 2, y - h / 2, x + w / 2, y + h / 2};
            same_window(ctx, g, f, r);
        }
        const double point[4] = {2000, 2000, 2000, 2000}, away[4] = {-9e5, 0, -8e5, 10};
        same_window(ctx, g, f, point);
        same_window(ctx, g, f, away);
        cc_graph *w = NULL;
        CHECK_INT(cc_graph_file_window(ctx, f, 1, 0, 0, 1, &w), CC_ERR_INVALID);
        cc_graph_file_close(f);
    }
    fuzz(ctx, g);
    /* not a file, not a graph file, a window graph */
    CHECK_INT(cc_graph_file_open(ctx, "no/such/file.ccgraph", &f), CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "no/such/file.ccgraph");
    cc_graph *w = NULL;
    CHECK_INT(cc_graph_window(ctx, g, 0, 0, 500, 500, &w), CC_OK);
    CHECK_INT(cc_graph_save(ctx, w, BAD), CC_ERR_INVALID);
    CHECK_INT(cc_graph_save(ctx, g, "no/such/dir/x.ccgraph"), CC_ERR_IO);
    cc_graph_destroy(w);
    remove(PATH);
    cc_graph_destroy(g);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
