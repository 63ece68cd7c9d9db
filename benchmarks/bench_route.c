/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_route: per-stage wall time (median of --runs) of graph build, snapping, nearest
 * facility and bounded catchments on a synthetic city; arcs scanned per second, peak RSS,
 * thread count and queue. Not a test: numbers go to benchmarks/RESULTS.md.
 *
 *   bench_route [--side N] [--spacing M] [--plain] [--fac F] [--pts P | --pts-nodes]
 *               [--limit-m M] [--speed KMH] [--threads T] [--runs R] [--queue dial|heap|both]
 */
#include "carecircle/route.h"
#include "city.h"
#include "route/route_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

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

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Resident memory now (MiB), from /proc/self/statm; -1 when unreadable. */
static double rss_now_mib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = -1, res = -1;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = -1;
    fclose(f);
    return res < 0 ? -1 : (double)res * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

static void die(cc_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench_route: %s: %s\n", what, cc_ctx_message(ctx));
    exit(1);
}

int main(int argc, char **argv)
{
    unsigned side = 316;
    double spacing = 40, limit_m = 1200, speed = 4.8;
    int plain = 0, threads = 0, runs = 5, pts_nodes = 0;
    size_t n_fac = 1000, n_pts = 0;
    const char *queue_arg = "dial";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";
        if (!strcmp(a, "--side"))
            side = (unsigned)atoi(v), i++;
        else if (!strcmp(a, "--spacing"))
            spacing = atof(v), i++;
        else if (!strcmp(a, "--plain"))
            plain = 1;
        else if (!strcmp(a, "--fac"))
            n_fac = (size_t)atol(v), i++;
        else if (!strcmp(a, "--pts"))
            n_pts = (size_t)atol(v), i++;
        else if (!strcmp(a, "--pts-nodes"))
            pts_nodes = 1;
        else if (!strcmp(a, "--limit-m"))
            limit_m = atof(v), i++;
        else if (!strcmp(a, "--speed"))
            speed = atof(v), i++;
        else if (!strcmp(a, "--threads"))
            threads = atoi(v), i++;
        else if (!strcmp(a, "--runs"))
            runs = atoi(v), i++;
        else if (!strcmp(a, "--queue"))
            queue_arg = v, i++;
        else {
            fprintf(stderr, "usage: see the header of benchmarks/bench_route.c\n");
            return 2;
        }
    }
    if (runs < 1) runs = 1;
    if (!n_pts) n_pts = (size_t)side * side;
    cc_ctx *ctx;
    if (cc_ctx_create(&ctx)) return 1;
    cc_ctx_set_threads(ctx, threads);
    bench_city city;
    double t0 = cc_now();
    if (bench_city_make(&city, side, spacing, plain, n_fac, n_pts, 42)) {
        fprintf(stderr, "bench_route: out of memory generating the city\n");
        return 1;
    }
    double t_gen = cc_now() - t0;
    cc_profile *prof;
    if (cc_profile_create(ctx, "walk", speed, &prof)) die(ctx, "profile");
    uint32_t limit_ds = cc_time_ds(limit_m, speed, 1);

    double *tb = malloc((size_t)runs * sizeof *tb), *ts = malloc((size_t)runs * sizeof *ts);
    cc_graph *g = NULL;
    double rss_before = rss_now_mib(), rss_graph = -1;
    for (int r = 0; r < runs; r++) {
        cc_graph_destroy(g);
        g = NULL;
        t0 = cc_now();
        if (cc_graph_build(ctx, &city.in, prof, 0, &g)) die(ctx, "build");
        tb[r] = cc_now() - t0;
        if (r == 0) rss_graph = rss_now_mib() - rss_before; /* the first graph's resident size */
    }
    size_t nn = cc_graph_node_count(g);
    if (pts_nodes) { /* demand at every junction, as in PEERS.md "nearest for every node" */
        n_pts = nn;
        city.px = realloc(city.px, nn * sizeof *city.px);
        city.py = realloc(city.py, nn * sizeof *city.py);
        for (uint32_t i = 0; i < nn; i++)
            cc_graph_node_xy(g, i, &city.px[i], &city.py[i]);
    }
    cc_snap *pts = malloc(n_pts * sizeof *pts), *fac = malloc(n_fac * sizeof *fac);
    for (int r = 0; r < runs; r++) {
        t0 = cc_now();
        if (cc_route_snap(ctx, g, n_pts, city.px, city.py, pts)) die(ctx, "snap");
        if (cc_route_snap(ctx, g, n_fac, city.fx, city.fy, fac)) die(ctx, "snap");
        ts[r] = cc_now() - t0;
    }
    int nt = threads > 0 ? threads : 0;
    {
        /* locality of the node order: share of arcs whose head is within 1024 ids of the tail */
        cc_graph_view v;
        cc_graph_get_view(g, &v);
        size_t near = 0;
        for (uint32_t u = 0; u < v.n_nodes; u++)
            for (uint32_t k = v.fwd_off[u]; k < v.fwd_off[u + 1]; k++) {
                uint32_t h = v.fwd_arc[k].head;
                near += (h > u ? h - u : u - h) < 1024;
            }
        printf("node order: %.1f%% of arcs join nodes less than 1024 ids apart\n",
               100.0 * (double)near / (double)(cc_graph_arc_count(g) ? cc_graph_arc_count(g) : 1));
    }
    printf("bench_route: side=%u%s nodes=%zu edges=%zu arcs=%zu components=%zu facilities=%zu "
           "points=%zu limit=%g m = %u ds at %g km/h runs=%d\n",
           side, plain ? " (plain grid)" : " (city: river, rail, bridges)", nn,
           cc_graph_edge_count(g), cc_graph_arc_count(g), cc_graph_component_count(g), n_fac, n_pts,
           limit_m, limit_ds, speed, runs);
    printf("%-22s %10s %10s %14s  %s\n", "stage", "median_s", "min_s", "arcs_per_s", "notes");
    printf("%-22s %10.4f %10s %14s  in memory, not a stage\n", "generate", t_gen, "-", "-");
    double mb = median(tb, runs), ms = median(ts, runs);
    printf("%-22s %10.4f %10.4f %14s  %zu lines\n", "build", mb, tb[0], "-", city.in.n_lines);
    printf("%-22s %10.4f %10.4f %14s  %zu points + %zu facilities\n", "snap", ms, ts[0], "-", n_pts,
           n_fac);

    int queues[2], nq = 0;
    if (!strcmp(queue_arg, "both") || !strcmp(queue_arg, "dial")) queues[nq++] = CC_QUEUE_DIAL;
    if (!strcmp(queue_arg, "both") || !strcmp(queue_arg, "heap")) queues[nq++] = CC_QUEUE_HEAP;
    uint32_t *tn = malloc(n_pts * sizeof *tn);
    int32_t *fn = malloc(n_pts * sizeof *fn);
    for (int qi = 0; qi < nq; qi++) {
        int q = queues[qi];
        const char *qn = q == CC_QUEUE_DIAL ? "dial" : "heap";
        cc_route_stats st = {0};
        for (int r = 0; r < runs; r++) {
            t0 = cc_now();
            if (cc__route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, limit_ds, q, tn, fn, &st))
                die(ctx, "nearest");
            tb[r] = cc_now() - t0;
        }
        size_t covered = 0;
        for (size_t i = 0; i < n_pts; i++)
            covered += fn[i] >= 0;
        double m = median(tb, runs);
        char name[64];
        snprintf(name, sizeof name, "nearest (%s)", qn);
        printf("%-22s %10.4f %10.4f %14.3e  covered %.1f%%, %llu arcs, 1 search + %s point "
               "lookups\n",
               name, m, tb[0], (double)st.arcs_scanned / m, 100.0 * (double)covered / (double)n_pts,
               (unsigned long long)st.arcs_scanned, "parallel");
        for (int r = 0; r < runs; r++) {
            cc_incidence *inc = NULL;
            t0 = cc_now();
            if (cc__route_catchments(ctx, g, prof, n_fac, fac, n_pts, pts, limit_ds, q, &inc, &st))
                die(ctx, "catchments");
            tb[r] = cc_now() - t0;
            if (r == runs - 1) {
                m = median(tb, runs);
                snprintf(name, sizeof name, "catchments (%s)", qn);
                printf("%-22s %10.4f %10.4f %14.3e  %zu rows (%.0f per facility), %.0f nodes "
                       "settled per facility, %d threads\n",
                       name, m, tb[0], (double)st.arcs_scanned / m, inc->n,
                       (double)inc->n / (double)(n_fac ? n_fac : 1),
                       (double)st.nodes_settled / (double)(n_fac ? n_fac : 1), st.threads);
            }
            cc_incidence_destroy(inc);
        }
    }
    printf("peak RSS %.1f MiB, threads %d (0 = all cores)\n", peak_rss_mib(), nt);
    /* Memory per unit: the graph's resident growth over its nodes (CSR both ways, edges,
     * geometry, snapping grid), a snapped point, an incidence row, and the search state each
     * thread keeps per node (time, touched list) and per point (time by point index, one bit
     * in the flush bitmap; the row list's room of 24 B per point is committed only as far as a
     * catchment fills it). */
    printf("memory: graph %.0f B per node (%.1f MiB resident for %zu nodes, %zu arcs); per "
           "point %zu B snapped + up to %zu B attachments; incidence row %zu B; search state per "
           "thread %zu B per node + %zu B and 1 bit per point\n",
           rss_graph * 1048576.0 / (double)(nn ? nn : 1), rss_graph, nn, cc_graph_arc_count(g),
           sizeof(cc_snap), 2 * sizeof(cc__att) + sizeof(uint32_t), sizeof(uint32_t) * 2,
           sizeof(cc__node) + sizeof(uint32_t), sizeof(uint32_t));
    free(tn);
    free(fn);
    free(pts);
    free(fac);
    free(tb);
    free(ts);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    bench_city_free(&city);
    cc_ctx_destroy(ctx);
    return 0;
}
