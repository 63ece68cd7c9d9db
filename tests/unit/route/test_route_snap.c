/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cc_route_snap, the parallel snapping the pipeline uses for demand points and facilities
 * (issue 15 item 2: the pipeline had its own copy): the same snaps as cc_graph_snap for any
 * thread count, and the one failure (a graph without node coordinates) reported for any n,
 * also n = 0, once and from the calling thread.
 *
 *   A(0,0) ---- B(100,0) ---- C(200,0)     two 100 m streets both ways
 */
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "cc_test.h"

#include <stdlib.h>
#include <string.h>

enum { N = 10000 }; /* three slices of 4096 */

int main(void)
{
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    double x[] = {0, 100, 200}, y[] = {0, 0, 0};
    uint32_t from[] = {0, 1}, to[] = {1, 2}, t[] = {900, 900};
    cc_graph *g = NULL, *bare = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, 3, x, y, 2, from, to, t, t, NULL, &g), CC_OK);
    CHECK_INT(cc_graph_from_arcs(ctx, 3, NULL, NULL, 2, from, to, t, t, NULL, &bare), CC_OK);
    if (!g || !bare) return cc_test_done();

    double *px = malloc(N * sizeof *px), *py = malloc(N * sizeof *py);
    cc_snap *one = calloc(N, sizeof *one), *two = calloc(N, sizeof *two);
    for (size_t i = 0; i < N; i++) {
        px[i] = (double)(i % 250) - 25; /* some beyond either end */
        py[i] = (double)(i % 7) - 3;
    }
    cc_ctx_set_threads(ctx, 1);
    CHECK_INT(cc_route_snap(ctx, g, N, px, py, one), CC_OK);
    cc_ctx_set_threads(ctx, 2);
    CHECK_INT(cc_route_snap(ctx, g, N, px, py, two), CC_OK);
    CHECK(memcmp(one, two, N * sizeof *one) == 0);

    /* Point 9575 (third slice): x = 9575 % 250 - 25 = 50, y = 9575 % 7 - 3 = 3: 3 m off
     * A-B, 50 m along it. */
    CHECK_INT(two[9575].edge, 0);
    CHECK_NEAR(two[9575].offset_m, 50, 1e-9);
    CHECK_NEAR(two[9575].dist_m, 3, 1e-9);
    /* Point 8249 (third slice): x = 224, y = 0, beyond C: snaps to C at the end of B-C. */
    CHECK_INT(two[8249].edge, 1);
    CHECK_NEAR(two[8249].offset_m, 100, 1e-9);
    CHECK_NEAR(two[8249].dist_m, 24, 1e-9);
    cc_snap ref;
    CHECK_INT(cc_graph_snap(ctx, g, 1, &px[8249], &py[8249], &ref), CC_OK);
    CHECK(memcmp(&ref, &two[8249], sizeof ref) == 0);

    /* Without coordinates: an error for any n, with the graph's own message. */
    CHECK_INT(cc_route_snap(ctx, bare, 0, px, py, two), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "without node coordinates");
    CHECK_INT(cc_route_snap(ctx, bare, N, px, py, two), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "without node coordinates");

    free(px);
    free(py);
    free(one);
    free(two);
    cc_graph_destroy(g);
    cc_graph_destroy(bare);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
