/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sparse bounded search (cc_route_reach) against the full node-level search (cc_route_nodes):
 * on a random street grid with one-way streets and varied times, for both directions, one or
 * several sources with start times, several limits and one workspace reused for every search,
 * the list holds exactly the nodes cc_route_nodes reaches, each once, with the same times, in
 * order of non-decreasing time. Also: a source beyond the limit, no source, errors.
 */
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "cc_test.h"

#include <stdlib.h>

#define NONE UINT32_MAX

static cc_graph *make_grid(cc_ctx *ctx, int n, unsigned seed)
{
    size_t nn = (size_t)n * n, ne = 2 * (size_t)n * (n - 1), k = 0;
    uint32_t *fr = malloc(ne * 4), *to = malloc(ne * 4), *tf = malloc(ne * 4), *tb = malloc(ne * 4);
    double *x = malloc(nn * sizeof *x), *y = malloc(nn * sizeof *y);
    srand(seed);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            x[j * n + i] = 50.0 * i;
            y[j * n + i] = 50.0 * j;
        }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            uint32_t v = (uint32_t)(j * n + i);
            for (int d = 0; d < 2; d++) {
                if (d == 0 && i + 1 == n) continue;
                if (d == 1 && j + 1 == n) continue;
                fr[k] = v;
                to[k] = d == 0 ? v + 1 : v + (uint32_t)n;
                tf[k] = 20 + (uint32_t)(rand() % 80);
                int r = rand() % 10; /* one in five streets one-way, either way */
                tb[k] = r == 0 ? NONE : r == 1 ? tf[k] : 20 + (uint32_t)(rand() % 80);
                if (r == 2) {
                    tb[k] = tf[k];
                    tf[k] = NONE;
                }
                k++;
            }
        }
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, nn, x, y, k, fr, to, tf, tb, NULL, &g), CC_OK);
    free(fr);
    free(to);
    free(tf);
    free(tb);
    free(x);
    free(y);
    return g;
}

/* One search both ways; returns the number of nodes reached. */
static size_t check_one(cc_ctx *ctx, const cc_graph *g, cc_reach_ws *ws, int reverse, size_t ns,
                        const uint32_t *src, const uint32_t *st, uint32_t limit)
{
    size_t nn = cc_graph_node_count(g);
    uint32_t *full = malloc(nn * sizeof *full);
    unsigned char *seen = calloc(nn, 1);
    CHECK_INT(cc_route_nodes(ctx, g, reverse, ns, src, st, limit, full, NULL), CC_OK);
    size_t n = 0, want = 0, bad = 0;
    const uint32_t *node = NULL, *tm = NULL;
    CHECK_INT(cc_route_reach(ctx, ws, reverse, ns, src, st, limit, &n, &node, &tm), CC_OK);
    for (size_t v = 0; v < nn; v++)
        want += full[v] != NONE;
    CHECK_INT(n, want);
    for (size_t k = 0; k < n; k++) {
        if (node[k] >= nn || seen[node[k]] || full[node[k]] != tm[k] || tm[k] > limit ||
            (k && tm[k] < tm[k - 1]))
            bad++;
        else
            seen[node[k]] = 1;
    }
    CHECK_INT(bad, 0);
    free(full);
    free(seen);
    return n;
}

static void test_against_nodes(cc_ctx *ctx)
{
    cc_graph *g = make_grid(ctx, 40, 3);
    if (!g) return;
    cc_reach_ws *ws = NULL;
    CHECK_INT(cc_reach_ws_create(ctx, g, &ws), CC_OK);
    size_t total = 0;
    for (int rep = 0; rep < 6; rep++) {
        for (int reverse = 0; reverse < 2; reverse++) {
            uint32_t src[3] = {(uint32_t)(rep * 263 % 1600), (uint32_t)(rep * 911 % 1600), 5};
            uint32_t st[3] = {0, 150, 40};
            total += check_one(ctx, g, ws, reverse, 1, src, st, 600);
            total += check_one(ctx, g, ws, reverse, 3, src, st, 900);
            total += check_one(ctx, g, ws, reverse, 2, src, NULL, 300);
        }
    }
    CHECK(total > 5000); /* the searches cover many nodes */
    /* Unbounded: every node reachable. */
    uint32_t s0 = 820;
    size_t all = check_one(ctx, g, ws, 1, 1, &s0, NULL, NONE);
    CHECK(all > 1400);
    /* A source beyond the limit, and no source: nothing. */
    uint32_t late = 700;
    CHECK_INT(check_one(ctx, g, ws, 0, 1, &s0, &late, 600), 0);
    CHECK_INT(check_one(ctx, g, ws, 0, 0, NULL, NULL, 600), 0);
    /* The source alone at limit 0. */
    CHECK_INT(check_one(ctx, g, ws, 0, 1, &s0, NULL, 0), 1);
    /* Errors. */
    uint32_t bad = 1600;
    size_t n = 7;
    const uint32_t *node = NULL, *tm = NULL;
    CHECK_INT(cc_route_reach(ctx, ws, 0, 1, &bad, NULL, 600, &n, &node, &tm), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "source 0 is node 1600 but the graph has 1600 nodes");
    CHECK_INT(n, 0);
    /* and the workspace still works */
    CHECK(check_one(ctx, g, ws, 1, 1, &s0, NULL, 500) > 10);
    cc_reach_ws_destroy(ws);
    cc_reach_ws_destroy(NULL);
    cc_graph_destroy(g);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_against_nodes(ctx);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
