/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prepared graph file reads (issue 18 item 3): open FILE.ccgraph and read either the whole
 * graph or the window of one 1/64 of its extent (the cell of an 8 x 8 split that holds the
 * extent's centre); print the time, the window's counts and the process's peak memory. Run
 * each mode in its own process so the peak is the mode's own.
 *
 *   bench_window FILE.ccgraph whole|window
 */
#include "carecircle/net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[2], "whole") != 0 && strcmp(argv[2], "window") != 0)) {
        fprintf(stderr, "usage: bench_window FILE.ccgraph whole|window\n");
        return 2;
    }
    cc_ctx *ctx = NULL;
    cc_graph_file *f = NULL;
    cc_graph *g = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    double t0 = cc_now();
    cc_status st = cc_graph_file_open(ctx, argv[1], &f);
    double t1 = cc_now(), r[4] = {-INFINITY, -INFINITY, INFINITY, INFINITY};
    if (!st && strcmp(argv[2], "window") == 0) {
        /* EXTENT=xmin,ymin,xmax,ymax (prepared.json's bbox of the variant) */
        const char *e = getenv("EXTENT");
        if (e && sscanf(e, "%lf,%lf,%lf,%lf", &r[0], &r[1], &r[2], &r[3]) == 4) {
            double w = (r[2] - r[0]) / 8, h = (r[3] - r[1]) / 8;
            double cx = r[0] + 4 * w, cy = r[1] + 4 * h;
            r[0] = cx, r[1] = cy, r[2] = cx + w, r[3] = cy + h;
        }
    }
    if (!st) st = cc_graph_file_window(ctx, f, r[0], r[1], r[2], r[3], &g);
    double t2 = cc_now();
    if (st) {
        fprintf(stderr, "bench_window: %s\n", cc_ctx_message(ctx));
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    printf("%s: open %.4f s, read %.4f s wall (process CPU %.3f s), %zu nodes, %zu edges, "
           "%zu components, peak %.1f MiB\n",
           argv[2], t1 - t0, t2 - t1, cpu, cc_graph_node_count(g), cc_graph_edge_count(g),
           cc_graph_component_count(g), (double)ru.ru_maxrss / 1024.0);
    cc_graph_destroy(g);
    cc_graph_file_close(f);
    cc_ctx_destroy(ctx);
    return 0;
}
