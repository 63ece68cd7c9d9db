/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer_cc: the carecircle side of the peer benchmark (benchmarks/peers/README.md). Builds the
 * PEERS.md 100k grid from benchmarks/city.c (--plain, seed 42), puts the 1,000 facilities
 * exactly on junctions, times cc_route_catchments and cc_route_nearest with every junction as
 * a demand point, and writes the graph, the facilities and carecircle's answers to a folder so
 * that scipy, pgRouting, GRASS and QGIS see the same input and can be checked against it.
 *
 *   peer_cc --out DIR [--side 316] [--fac 1000] [--runs 5] [--threads 2]
 *
 * Walk 4.8 km/h: a 40 m block is exactly 300 ds, the 1,200 m limit exactly 9,000 ds, so every
 * time converts to whole metres (m = ds * 2 / 15) and the peers can work in metres.
 *
 * Files in DIR (node ids are carecircle's, 0-based; peers that need 1-based ids add 1):
 *   nodes.csv       id,x,y
 *   edges.csv       id,source,target,cost,reverse_cost   (cost = length in metres, both ways)
 *   facilities.csv  fac,node,x,y
 *   cc_catch.u32    little-endian uint32 triples (fac, node, metres), by facility then node
 *   cc_nearest.u32  uint32 pairs (metres, fac) per node; UINT32_MAX, UINT32_MAX when none
 *   cc_times.txt    key value lines: timings (median and min of --runs) and counts
 */
#include "carecircle/route.h"
#include "city.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(cc_ctx *ctx, const char *what)
{
    fprintf(stderr, "peer_cc: %s: %s\n", what, ctx ? cc_ctx_message(ctx) : "failed");
    exit(1);
}

static FILE *open_out(const char *dir, const char *name, const char *mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, mode);
    if (!f) {
        fprintf(stderr, "peer_cc: cannot write %s; check that --out exists and is writable\n",
                path);
        exit(1);
    }
    return f;
}

static uint32_t ds_to_m(uint32_t ds)
{
    if ((ds * 2u) % 15u) {
        fprintf(stderr, "peer_cc: time %u ds is not a whole number of metres at 4.8 km/h\n", ds);
        exit(1);
    }
    return ds * 2u / 15u;
}

int main(int argc, char **argv)
{
    unsigned side = 316;
    size_t n_fac = 1000;
    int runs = 5, threads = 2;
    const char *out = NULL;
    const double sp = 40, speed = 4.8, limit_m = 1200;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";
        if (!strcmp(a, "--out"))
            out = v, i++;
        else if (!strcmp(a, "--side"))
            side = (unsigned)atoi(v), i++;
        else if (!strcmp(a, "--fac"))
            n_fac = (size_t)atol(v), i++;
        else if (!strcmp(a, "--runs"))
            runs = atoi(v), i++;
        else if (!strcmp(a, "--threads"))
            threads = atoi(v), i++;
        else {
            fprintf(stderr, "usage: see the header of benchmarks/peers/peer_cc.c\n");
            return 2;
        }
    }
    if (!out || side < 2 || runs < 1) {
        fprintf(stderr, "peer_cc: --out DIR is required (see the header of peer_cc.c)\n");
        return 2;
    }
    cc_ctx *ctx;
    if (cc_ctx_create(&ctx)) die(NULL, "context");
    bench_city city;
    if (bench_city_make(&city, side, sp, 1, n_fac, 0, 42)) die(NULL, "out of memory (city)");
    cc_profile *prof;
    if (cc_profile_create(ctx, "walk", speed, &prof)) die(ctx, "profile");
    uint32_t limit_ds = cc_time_ds(limit_m, speed, 1);
    if (cc_time_ds(sp, speed, 1) != 300 || limit_ds != 9000) {
        fprintf(stderr, "peer_cc: expected 300 ds per block and 9000 ds limit\n");
        return 1;
    }
    cc_graph *g;
    double t0 = cc_now();
    if (cc_graph_build(ctx, &city.in, prof, 0, &g)) die(ctx, "build");
    double t_build = cc_now() - t0;
    size_t nn = cc_graph_node_count(g), ne = cc_graph_edge_count(g);
    if (nn != (size_t)side * side) {
        fprintf(stderr, "peer_cc: %zu nodes, expected %u\n", nn, side * side);
        return 1;
    }

    /* grid cell -> carecircle node id (Hilbert order) */
    uint32_t *cell = malloc(nn * sizeof *cell);
    double *nx = malloc(nn * sizeof *nx), *ny = malloc(nn * sizeof *ny);
    if (!cell || !nx || !ny) die(NULL, "out of memory");
    for (uint32_t v = 0; v < nn; v++) {
        cc_graph_node_xy(g, v, &nx[v], &ny[v]);
        long i = lround(nx[v] / sp), j = lround(ny[v] / sp);
        cell[(size_t)j * side + (size_t)i] = v;
    }
    /* Facilities: the generator's random points moved to the nearest junction; a junction
     * already taken moves the facility to the next free cell (row-major), so all are distinct
     * and every tool sees 1,000 separate roots. */
    char *taken = calloc(nn, 1);
    uint32_t *fac_node = malloc(n_fac * sizeof *fac_node);
    double *fx = malloc(n_fac * sizeof *fx), *fy = malloc(n_fac * sizeof *fy);
    if (!taken || !fac_node || !fx || !fy) die(NULL, "out of memory");
    size_t moved = 0;
    for (size_t f = 0; f < n_fac; f++) {
        size_t c = (size_t)lround(city.fy[f] / sp) * side + (size_t)lround(city.fx[f] / sp);
        if (taken[c]) moved++;
        while (taken[c])
            c = (c + 1) % nn;
        taken[c] = 1;
        fac_node[f] = cell[c];
        fx[f] = nx[cell[c]];
        fy[f] = ny[cell[c]];
    }
    cc_snap *pts = malloc(nn * sizeof *pts), *fac = malloc(n_fac * sizeof *fac);
    if (!pts || !fac) die(NULL, "out of memory");
    if (cc_route_snap(ctx, g, nn, nx, ny, pts)) die(ctx, "snap points");
    if (cc_route_snap(ctx, g, n_fac, fx, fy, fac)) die(ctx, "snap facilities");
    for (size_t i = 0; i < nn; i++)
        if (pts[i].dist_m != 0) die(NULL, "a junction did not snap onto itself");
    for (size_t i = 0; i < n_fac; i++)
        if (fac[i].dist_m != 0) die(NULL, "a facility did not snap onto its junction");

    /* input files */
    FILE *fo = open_out(out, "nodes.csv", "w");
    fprintf(fo, "id,x,y\n");
    for (uint32_t v = 0; v < nn; v++)
        fprintf(fo, "%u,%.1f,%.1f\n", v, nx[v], ny[v]);
    fclose(fo);
    fo = open_out(out, "edges.csv", "w");
    fprintf(fo, "id,source,target,cost,reverse_cost\n");
    for (uint32_t e = 0; e < ne; e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        if (ei.length_m != sp || ei.time_fwd_ds != 300 || ei.time_bwd_ds != 300)
            die(NULL, "an edge is not a 40 m two-way block");
        fprintf(fo, "%u,%u,%u,%.0f,%.0f\n", e, ei.from, ei.to, ei.length_m, ei.length_m);
    }
    fclose(fo);
    fo = open_out(out, "facilities.csv", "w");
    fprintf(fo, "fac,node,x,y\n");
    for (size_t f = 0; f < n_fac; f++)
        fprintf(fo, "%zu,%u,%.1f,%.1f\n", f, fac_node[f], fx[f], fy[f]);
    fclose(fo);

    /* timings: threads as asked, then 1 thread */
    double *tc = malloc((size_t)runs * sizeof *tc), *tn = malloc((size_t)runs * sizeof *tn);
    uint32_t *near_ds = malloc(nn * sizeof *near_ds);
    int32_t *near_f = malloc(nn * sizeof *near_f);
    if (!tc || !tn || !near_ds || !near_f) die(NULL, "out of memory");
    FILE *ft = open_out(out, "cc_times.txt", "w");
    fprintf(ft, "nodes %zu\nedges %zu\narcs %zu\nfacilities %zu\nfacilities_moved %zu\n", nn, ne,
            cc_graph_arc_count(g), n_fac, moved);
    fprintf(ft, "build_s %.6f\n", t_build);
    cc_incidence *inc = NULL;
    int tlist[2] = {threads, 1};
    for (int ti = 0; ti < (threads == 1 ? 1 : 2); ti++) {
        cc_ctx_set_threads(ctx, tlist[ti]);
        for (int r = 0; r < runs; r++) {
            cc_incidence_destroy(inc);
            inc = NULL;
            t0 = cc_now();
            if (cc_route_catchments(ctx, g, prof, n_fac, fac, nn, pts, limit_ds, &inc))
                die(ctx, "catchments");
            tc[r] = cc_now() - t0;
            t0 = cc_now();
            if (cc_route_nearest(ctx, g, prof, n_fac, fac, nn, pts, limit_ds, near_ds, near_f))
                die(ctx, "nearest");
            tn[r] = cc_now() - t0;
        }
        double minc = tc[0], minn = tn[0];
        for (int r = 1; r < runs; r++) {
            if (tc[r] < minc) minc = tc[r];
            if (tn[r] < minn) minn = tn[r];
        }
        fprintf(ft, "catchments_t%d_median_s %.6f\ncatchments_t%d_min_s %.6f\n", tlist[ti],
                median(tc, runs), tlist[ti], minc);
        fprintf(ft, "nearest_t%d_median_s %.6f\nnearest_t%d_min_s %.6f\n", tlist[ti],
                median(tn, runs), tlist[ti], minn);
    }
    fprintf(ft, "threads %d\nruns %d\ncatchment_rows %zu\n", threads, runs, inc->n);
    fclose(ft);

    /* answers */
    fo = open_out(out, "cc_catch.u32", "wb");
    for (size_t f = 0; f < n_fac; f++)
        for (size_t k = inc->fac_off[f]; k < inc->fac_off[f + 1]; k++) {
            uint32_t row[3] = {(uint32_t)f, inc->pt[k], ds_to_m(inc->time_ds[k])};
            fwrite(row, sizeof row, 1, fo);
        }
    fclose(fo);
    fo = open_out(out, "cc_nearest.u32", "wb");
    for (size_t i = 0; i < nn; i++) {
        uint32_t row[2] = {near_f[i] < 0 ? UINT32_MAX : ds_to_m(near_ds[i]),
                           near_f[i] < 0 ? UINT32_MAX : (uint32_t)near_f[i]};
        fwrite(row, sizeof row, 1, fo);
    }
    fclose(fo);
    printf("peer_cc: %zu nodes, %zu edges, %zu facilities (%zu moved to a free junction), "
           "%zu catchment rows; files in %s\n",
           nn, ne, n_fac, moved, inc->n, out);

    cc_incidence_destroy(inc);
    free(tc);
    free(tn);
    free(near_ds);
    free(near_f);
    free(pts);
    free(fac);
    free(taken);
    free(fac_node);
    free(fx);
    free(fy);
    free(cell);
    free(nx);
    free(ny);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    bench_city_free(&city);
    cc_ctx_destroy(ctx);
    return 0;
}
