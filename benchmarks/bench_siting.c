/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_siting: per-stage wall time (median of --runs) of siting on a synthetic city: snapping
 * the candidate sites, their catchments (one bounded search per candidate), the lazy greedy
 * for K picks without and with capacities; then a medium case small enough for the exact
 * GLPK MCLP, with the greedy's gap. Prints peak RSS, incidence rows and every pick's gain.
 * Not a test: numbers go to benchmarks/RESULTS.md.
 *
 *   bench_siting [--case large|medium|both] [--side N] [--plain] [--pts P] [--cand C]
 *                [--exist E] [--k K] [--cap PEOPLE] [--exist-cap PEOPLE] [--limit-m M]
 *                [--speed KMH] [--m-side N] [--m-pts P] [--m-cand C] [--m-exist E] [--m-k K]
 *                [--exact-limit-s S] [--threads T] [--runs R]
 *
 * Candidates and existing facilities are the generator's random facility points (seed 42):
 * the first E are the existing facilities, the next C the candidates. People per demand
 * point are uniform integers 0..20 from a separate fixed seed.
 */
#include "carecircle/route.h"
#include "carecircle/siting.h"
#include "city.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v); *lo and *hi get the fastest and slowest run. */
static double median(double *v, int n, double *lo, double *hi)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    *lo = v[0];
    *hi = v[n - 1];
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static void die(cc_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench_siting: %s: %s\n", what, cc_ctx_message(ctx));
    exit(1);
}

static uint64_t pop_state;
static unsigned pop_rand(void) /* xorshift64*, 0..20 */
{
    pop_state ^= pop_state >> 12;
    pop_state ^= pop_state << 25;
    pop_state ^= pop_state >> 27;
    return (unsigned)(((pop_state * 2685821657736338717ULL) >> 33) % 21);
}

static void row(const char *stage, double *t, int runs, const char *notes)
{
    double lo, hi, m = median(t, runs, &lo, &hi);
    printf("%-26s %10.4f %10.4f %10.4f  %s\n", stage, m, lo, hi, notes);
}

static void print_picks(const cc_siting_result *r)
{
    printf("  total %.0f people, existing cover %.0f (%.2f%%), after picks %.0f (%.2f%%)%s\n",
           r->total_pop, r->base_pop, 100.0 * r->base_pop / (r->total_pop ? r->total_pop : 1),
           r->covered_pop, 100.0 * r->covered_pop / (r->total_pop ? r->total_pop : 1),
           r->exhausted ? ", exhausted" : "");
    printf("  %4s %8s %12s %12s %10s\n", "pick", "cand", "gain_pop", "reach_pop", "cum_share");
    for (size_t i = 0; i < r->n_picks; i++)
        printf("  %4zu %8u %12.0f %12.0f %9.3f%%\n", i + 1, r->picks[i].cand, r->picks[i].gain_pop,
               r->picks[i].reach_pop, 100.0 * r->picks[i].cum_share);
}

typedef struct params {
    unsigned side;
    int plain;
    size_t n_pts, n_cand, n_exist, k;
    double cap, exist_cap, limit_m, speed, exact_limit_s;
    int runs, exact;
} params;

static void run_case(cc_ctx *ctx, const char *name, const params *p)
{
    int runs = p->runs;
    char note[256];
    bench_city city;
    double t0 = cc_now();
    if (bench_city_make(&city, p->side, 40, p->plain, p->n_exist + p->n_cand, p->n_pts, 42)) {
        fprintf(stderr, "bench_siting: out of memory generating the city\n");
        exit(1);
    }
    double t_gen = cc_now() - t0;
    double *demand = malloc(p->n_pts * sizeof *demand);
    pop_state = 0x2545F4914F6CDD1DULL;
    for (size_t i = 0; i < p->n_pts; i++)
        demand[i] = (double)pop_rand();

    cc_profile *prof;
    if (cc_profile_create(ctx, "walk", p->speed, &prof)) die(ctx, "profile");
    uint32_t limit_ds = cc_time_ds(p->limit_m, p->speed, 1);
    cc_graph *g = NULL;
    t0 = cc_now();
    if (cc_graph_build(ctx, &city.in, prof, 0, &g)) die(ctx, "build");
    double t_build = cc_now() - t0;

    printf("\n== %s: side=%u%s nodes=%zu arcs=%zu demand points=%zu existing=%zu candidates=%zu "
           "k=%zu limit=%g m = %u ds at %g km/h runs=%d threads=%d\n",
           name, p->side, p->plain ? " (plain grid)" : " (city: river, rail, bridges)",
           cc_graph_node_count(g), cc_graph_arc_count(g), p->n_pts, p->n_exist, p->n_cand, p->k,
           p->limit_m, limit_ds, p->speed, runs, cc_ctx_threads(ctx));
    printf("%-26s %10s %10s %10s  %s\n", "stage", "median_s", "min_s", "max_s", "notes");
    printf("%-26s %10.4f %10s %10s  in memory, not a stage\n", "generate", t_gen, "-", "-");
    printf("%-26s %10.4f %10s %10s  once\n", "graph build", t_build, "-", "-");

    double *t = malloc((size_t)runs * sizeof *t);
    cc_snap *pts = malloc(p->n_pts * sizeof *pts);
    cc_snap *fac = malloc((p->n_exist + p->n_cand + 1) * sizeof *fac);
    cc_snap *ex = fac, *cand = fac + p->n_exist;
    const double *cx = city.fx + p->n_exist, *cy = city.fy + p->n_exist;

    t0 = cc_now();
    if (cc_route_snap(ctx, g, p->n_pts, city.px, city.py, pts)) die(ctx, "snap points");
    if (cc_route_snap(ctx, g, p->n_exist, city.fx, city.fy, ex)) die(ctx, "snap existing");
    printf("%-26s %10.4f %10s %10s  %zu demand points + %zu existing, once\n", "snap points",
           cc_now() - t0, "-", "-", p->n_pts, p->n_exist);
    for (int r = 0; r < runs; r++) {
        t0 = cc_now();
        if (cc_route_snap(ctx, g, p->n_cand, cx, cy, cand)) die(ctx, "snap candidates");
        t[r] = cc_now() - t0;
    }
    snprintf(note, sizeof note, "%zu candidates", p->n_cand);
    row("snap candidates", t, runs, note);

    cc_incidence *inc_ex = NULL, *inc_c = NULL;
    t0 = cc_now();
    if (cc_route_catchments(ctx, g, prof, p->n_exist, ex, p->n_pts, pts, limit_ds, &inc_ex))
        die(ctx, "existing catchments");
    snprintf(note, sizeof note, "%zu rows, once", inc_ex->n);
    printf("%-26s %10.4f %10s %10s  %s\n", "existing catchments", cc_now() - t0, "-", "-", note);
    for (int r = 0; r < runs; r++) {
        cc_incidence_destroy(inc_c);
        inc_c = NULL;
        t0 = cc_now();
        if (cc_route_catchments(ctx, g, prof, p->n_cand, cand, p->n_pts, pts, limit_ds, &inc_c))
            die(ctx, "candidate catchments");
        t[r] = cc_now() - t0;
    }
    snprintf(note, sizeof note, "%zu rows (%.0f per candidate, %.1f MB as pt+time)", inc_c->n,
             (double)inc_c->n / (double)(p->n_cand ? p->n_cand : 1), (double)inc_c->n * 8 / 1e6);
    row("candidate catchments", t, runs, note);

    cc_siting_input in = {0};
    in.n_pts = p->n_pts;
    in.demand_pop = demand;
    in.cand = inc_c;
    in.existing = p->n_exist ? inc_ex : NULL;
    in.limit_ds = limit_ds;
    in.district = -1;
    cc_siting_opts o = {0};
    o.k = p->k;

    cc_siting_result *res = NULL;
    for (int r = 0; r < runs; r++) {
        cc_siting_result_destroy(res);
        res = NULL;
        t0 = cc_now();
        if (cc_siting_greedy(ctx, &in, &o, &res)) die(ctx, "greedy");
        t[r] = cc_now() - t0;
    }
    snprintf(note, sizeof note, "%zu picks, +%.0f people", res->n_picks,
             res->covered_pop - res->base_pop);
    row("greedy, uncapacitated", t, runs, note);
    cc_siting_result *uncap = res;
    res = NULL;

    cc_siting_result *capr = NULL;
    double *ccap = NULL, *ecap = NULL;
    if (p->cap > 0) {
        ccap = malloc(p->n_cand * sizeof *ccap);
        for (size_t j = 0; j < p->n_cand; j++)
            ccap[j] = p->cap;
        in.cand_cap_pop = ccap;
        if (p->exist_cap > 0 && p->n_exist) {
            ecap = malloc(p->n_exist * sizeof *ecap);
            for (size_t j = 0; j < p->n_exist; j++)
                ecap[j] = p->exist_cap;
            in.exist_cap_pop = ecap;
        }
        for (int r = 0; r < runs; r++) {
            cc_siting_result_destroy(capr);
            capr = NULL;
            t0 = cc_now();
            if (cc_siting_greedy(ctx, &in, &o, &capr)) die(ctx, "greedy (capacitated)");
            t[r] = cc_now() - t0;
        }
        snprintf(note, sizeof note, "%zu picks, +%.0f people, cap %g per site, %g per existing",
                 capr->n_picks, capr->covered_pop - capr->base_pop, p->cap,
                 ecap ? p->exist_cap : INFINITY);
        row("greedy, capacitated", t, runs, note);
        in.cand_cap_pop = NULL;
        in.exist_cap_pop = NULL;
    }

    cc_siting_result *exr = NULL;
    if (p->exact) {
        for (int r = 0; r < runs; r++) {
            cc_siting_result_destroy(exr);
            exr = NULL;
            t0 = cc_now();
            if (cc_siting_mclp_exact(ctx, &in, p->k, p->exact_limit_s, &exr)) die(ctx, "exact");
            t[r] = cc_now() - t0;
        }
        snprintf(note, sizeof note,
                 "optimum +%.0f, greedy +%.0f, gap %.4f%%, %s (includes its greedy run)",
                 exr->optimum_pop, exr->greedy_pop, 100.0 * exr->greedy_gap,
                 exr->proven_optimal ? "proven optimal" : "NOT proven (time limit)");
        row("exact MCLP (GLPK)", t, runs, note);
    }

    printf("picks, greedy uncapacitated:\n");
    print_picks(uncap);
    if (capr) {
        printf("picks, greedy capacitated:\n");
        print_picks(capr);
    }
    if (exr) {
        printf("picks, exact:\n");
        print_picks(exr);
    }
    printf("peak RSS %.1f MiB (process so far), threads %d (0 = all cores)\n", peak_rss_mib(),
           cc_ctx_threads(ctx));

    cc_siting_result_destroy(uncap);
    cc_siting_result_destroy(capr);
    cc_siting_result_destroy(exr);
    free(ccap);
    free(ecap);
    cc_incidence_destroy(inc_c);
    cc_incidence_destroy(inc_ex);
    free(t);
    free(pts);
    free(fac);
    free(demand);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    bench_city_free(&city);
}

int main(int argc, char **argv)
{
    params L = {.side = 1000,
                .n_pts = 1000000,
                .n_cand = 10000,
                .n_exist = 300,
                .k = 10,
                .cap = 5000,
                .exist_cap = 0,
                .limit_m = 1200,
                .speed = 4.8,
                .exact_limit_s = 0,
                .runs = 3,
                .exact = 0};
    params M = L;
    M.side = 250;
    M.n_pts = 20000;
    M.n_cand = 200;
    M.n_exist = 20;
    M.k = 5;
    M.cap = 0;
    M.exact = 1;
    M.exact_limit_s = 120;
    int threads = 0;
    const char *which = "both";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";
        if (!strcmp(a, "--plain")) {
            L.plain = M.plain = 1;
            continue;
        }
        if (!strcmp(a, "--case"))
            which = v;
        else if (!strcmp(a, "--side"))
            L.side = (unsigned)atoi(v);
        else if (!strcmp(a, "--pts"))
            L.n_pts = (size_t)atol(v);
        else if (!strcmp(a, "--cand"))
            L.n_cand = (size_t)atol(v);
        else if (!strcmp(a, "--exist"))
            L.n_exist = (size_t)atol(v);
        else if (!strcmp(a, "--k"))
            L.k = (size_t)atol(v);
        else if (!strcmp(a, "--cap"))
            L.cap = atof(v);
        else if (!strcmp(a, "--exist-cap"))
            L.exist_cap = atof(v);
        else if (!strcmp(a, "--limit-m"))
            L.limit_m = M.limit_m = atof(v);
        else if (!strcmp(a, "--speed"))
            L.speed = M.speed = atof(v);
        else if (!strcmp(a, "--m-side"))
            M.side = (unsigned)atoi(v);
        else if (!strcmp(a, "--m-pts"))
            M.n_pts = (size_t)atol(v);
        else if (!strcmp(a, "--m-cand"))
            M.n_cand = (size_t)atol(v);
        else if (!strcmp(a, "--m-exist"))
            M.n_exist = (size_t)atol(v);
        else if (!strcmp(a, "--m-k"))
            M.k = (size_t)atol(v);
        else if (!strcmp(a, "--exact-limit-s"))
            M.exact_limit_s = atof(v);
        else if (!strcmp(a, "--threads"))
            threads = atoi(v);
        else if (!strcmp(a, "--runs"))
            L.runs = M.runs = atoi(v);
        else {
            fprintf(stderr, "usage: see the header of benchmarks/bench_siting.c\n");
            return 2;
        }
        i++;
    }
    if (L.runs < 1) L.runs = M.runs = 1;
    cc_ctx *ctx;
    if (cc_ctx_create(&ctx)) return 1;
    cc_ctx_set_threads(ctx, threads);
    if (!strcmp(which, "large") || !strcmp(which, "both")) run_case(ctx, "large", &L);
    if (!strcmp(which, "medium") || !strcmp(which, "both")) run_case(ctx, "medium", &M);
    cc_ctx_destroy(ctx);
    return 0;
}
