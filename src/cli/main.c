/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The carecircle command: run, check, info. Parses arguments, wires Ctrl-C, SIGTERM and SIGHUP
 * to the context's interrupt flag, prints errors as one line and maps statuses to exit codes
 * (0 success, 1 analysis or input failure, 2 usage or scenario error, 128 + the signal's
 * number when stopped by one: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
 */
#include "carecircle/config.h"
#include "carecircle/core.h"
#include "carecircle/io.h"
#include "carecircle/pipeline.h"
#include "cli_mpi.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cc_ctx *g_ctx;
static volatile sig_atomic_t g_signal; /* the first stopping signal received */

static void on_signal(int sig)
{
    if (!g_signal) g_signal = sig;
    if (g_ctx) cc_ctx_interrupt(g_ctx);
}

/* Stop cleanly on sig. An ignored SIGHUP (nohup) stays ignored: the run goes on when the
   terminal closes. (A shell starts background jobs with SIGINT ignored; Ctrl-C and kill -INT
   still stop a run, as before.) */
static void catch_signal(int sig)
{
    struct sigaction old, sa;
    if (sig == SIGHUP && sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* --threads: digits only (no sign, blank or hex), 0 to 4096. */
static int parse_threads(const char *v, int *out)
{
    long t = 0;
    if (!*v || strlen(v) > 4) return -1;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        t = t * 10 + (*p - '0');
    }
    if (t > 4096) return -1;
    *out = (int)t;
    return 0;
}

/* "K/N" with 1 <= K <= N <= 1e6. */
static int parse_part(const char *s, size_t *k, size_t *n)
{
    char *end = NULL;
    errno = 0;
    unsigned long long a = strtoull(s, &end, 10), b;
    if (end == s || *end != '/' || !isdigit((unsigned char)s[0])) return -1;
    const char *t = end + 1;
    b = strtoull(t, &end, 10);
    if (end == t || *end || !isdigit((unsigned char)t[0]) || errno || a < 1 || a > b || b > 1000000)
        return -1;
    *k = (size_t)a, *n = (size_t)b;
    return 0;
}

/* An MPI launch: the MPI driver, or one clear line when this build has none. */
static cc_status run_mpi(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                         int *root, char **dir)
{
#ifdef CC_HAVE_MPI
    return cc_cli_mpi_run(ctx, sc, opt, root, dir);
#else
    (void)sc, (void)opt, (void)root, (void)dir;
    return cc_error(ctx, CC_ERR_USAGE,
                    "started by mpirun, but this carecircle was built without MPI; install "
                    "libopenmpi-dev and rebuild, or run the parts as jobs (--part K/N, then "
                    "carecircle merge)");
#endif
}

static const char *USAGE =
    "usage: carecircle run SCENARIO.yaml [--out DIR] [--threads N] [--set KEY=VALUE]... "
    "[--prepared PREP_DIR] [--quiet] [--progress]\n"
    "                      [--partition SPEC [--part K/N]]\n"
    "       carecircle merge SCENARIO.yaml --partition SPEC [--out DIR] [--set KEY=VALUE]...\n"
    "       carecircle check SCENARIO.yaml [--set KEY=VALUE]...\n"
    "       carecircle graph SCENARIO.yaml --out GRAPH.gpkg [--set KEY=VALUE]...\n"
    "       carecircle prepare SCENARIO.yaml --out PREP_DIR [--set KEY=VALUE]...\n"
    "       carecircle info FILE\n"
    "       carecircle --version | --help\n";

static const char *HELP =
    "\n"
    "carecircle measures who lives within a 15-minute service circle of elderly-care and\n"
    "childcare facilities, who does not, and by how much.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO    run the analysis and write every output (coverage.csv, demand.geojson,\n"
    "                  districts, targets, underserved areas, catchments, sites, variants,\n"
    "                  report.html, carecircle.gpkg, summary.json; see docs/outputs.md)\n"
    "  merge SCENARIO  merge the part files of a partitioned run (--partition, the same SPEC)\n"
    "                  from DIR/parts/ and write every output, as run does\n"
    "  check SCENARIO  validate the scenario and its inputs and print a data-quality report\n"
    "  graph SCENARIO  write the routable network (edges with class, length, times, islands)\n"
    "                  to a GeoPackage for inspection in QGIS (needs --out FILE.gpkg)\n"
    "  prepare SCENARIO  build every routing variant's graph once and write it to PREP_DIR\n"
    "                  (graph-<variant>.ccgraph, read by window through a tile index, and\n"
    "                  prepared.json; needs --out PREP_DIR; see docs/network.md)\n"
    "  info FILE       describe any GDAL-readable file: layers, CRS, counts, fields, extent;\n"
    "                  for a .ccgraph file its nodes, edges, arcs and components\n"
    "\n"
    "options:\n"
    "  --out DIR         output folder (default: out/<scenario name>)\n"
    "  --threads N       worker threads, 0 = all cores (results do not depend on it)\n"
    "  --set KEY=VALUE   override a scenario key, e.g. --set facilities.day_care.threshold_min=10\n"
    "  --prepared DIR    run: read each routing variant's graph from a `prepare` folder when\n"
    "                    it matches the scenario's network (same outputs, no graph build)\n"
    "  --partition SPEC  split the run into parts with identical results: districts, a units:\n"
    "                    level, a polygon layer file or grid:<n>km; part files in DIR/parts/\n"
    "                    are kept and reused (docs/partition.md)\n"
    "  --part K/N        with --partition: only job K of N's parts (a batch array), no merge;\n"
    "                    then carecircle merge\n"
    "  --quiet           print nothing but errors\n"
    "  --progress        show a progress bar even when stderr is not a terminal\n"
    "\n"
    "example (the bundled Wuhan sample):\n"
    "  carecircle check data/sample/scenario.yaml\n"
    "  carecircle run data/sample/scenario.yaml --out out/sample \\\n"
    "      --set facilities.day_care.threshold_min=10\n"
    "  carecircle info data/sample/elderly_60plus.tif\n"
    "\n"
    "exit codes: 0 success, 1 analysis or input failure, 2 usage or scenario error,\n"
    "130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP (terminal closed).\n"
    "Documentation: docs/ in the source tree.\n";

typedef struct cli {
    const char *cmd, *target, *out, *prepared, *partition;
    size_t part_k, part_n;
    const char **sets;
    size_t n_sets;
    int threads, quiet, progress;
} cli;

static int exit_code(cc_status st)
{
    switch (st) {
    case CC_OK:
        return 0;
    case CC_ERR_USAGE:
    case CC_ERR_SCENARIO:
        return 2;
    case CC_ERR_INTERRUPTED:
        return 130;
    default:
        return 1;
    }
}

/* A report on stdout (check, info) names features from the inputs: their control characters
   (an ESC drives the terminal) and invalid UTF-8 are printed as U+FFFD. */
static cc_status put_clean(cc_ctx *ctx, const char *text)
{
    cc_buf b = {0};
    cc_status st = cc_buf_put_text(ctx, &b, text);
    if (!st && b.s) fputs(b.s, stdout);
    cc_buf_free(&b);
    return st;
}

static void log_sink(void *ud, cc_log_level level, const char *msg)
{
    (void)ud;
    fprintf(stderr, "carecircle: %s%s\n", level >= CC_LOG_WARN ? "warning: " : "", msg);
}

typedef struct bar {
    const char *stage;
    int last;
} bar;

static void progress_sink(void *ud, const char *stage, double f)
{
    bar *b = ud;
    int pct = (int)(f * 100 + 0.5);
    if (b->stage == stage && pct == b->last) return;
    b->stage = stage;
    b->last = pct;
    int w = 30, fill = (int)(f * w + 0.5);
    fprintf(stderr, "\r%-10s [", stage);
    for (int i = 0; i < w; i++)
        fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%%s", pct, pct >= 100 ? "\n" : "");
    fflush(stderr);
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "carecircle: error: %s%s%s; see 'carecircle --help'\n", msg, arg ? " " : "",
            arg ? arg : "");
    return 2;
}

static int parse_args(int argc, char **argv, cli *c)
{
    memset(c, 0, sizeof *c);
    c->sets = calloc((size_t)argc, sizeof *c->sets);
    if (!c->sets) return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--partition") == 0 || strcmp(a, "--part") == 0) {
            if (i + 1 >= argc) return usage_error("missing value after", a);
            const char *v = argv[++i];
            if (a[6] == 0 && parse_part(v, &c->part_k, &c->part_n) != 0)
                return usage_error("--part needs K/N with 1 <= K <= N, got", v);
            if (a[6] != 0) c->partition = v;
        } else if (strcmp(a, "--out") == 0 || strcmp(a, "--threads") == 0 ||
                   strcmp(a, "--set") == 0 || strcmp(a, "--prepared") == 0) {
            if (i + 1 >= argc) return usage_error("missing value after", a);
            const char *v = argv[++i];
            if (a[2] == 'p')
                c->prepared = v;
            else if (a[2] == 'o')
                c->out = v;
            else if (a[2] == 's') {
                if (!strchr(v, '=')) return usage_error("--set needs KEY=VALUE, got", v);
                c->sets[c->n_sets++] = v;
            } else if (parse_threads(v, &c->threads) != 0) {
                char shown[48];
                snprintf(shown, sizeof shown, "'%.40s%s'", v, strlen(v) > 40 ? "..." : "");
                return usage_error("--threads needs a whole number from 0 to 4096, got", shown);
            }
        } else if (strncmp(a, "--set=", 6) == 0) {
            c->sets[c->n_sets++] = a + 6;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c->quiet = 1;
        } else if (strcmp(a, "--progress") == 0) {
            c->progress = 1;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a);
        } else if (!c->cmd) {
            c->cmd = a;
        } else if (!c->target) {
            c->target = a;
        } else {
            return usage_error("unexpected argument", a);
        }
    }
    return -1;
}

/* The options of run and merge that go together (usage errors, exit code 2). */
static int check_run_options(const cli *c, int is_run, int is_merge, int mpi)
{
    int rc = 0;
    if (c->prepared && !is_run && !is_merge) {
        rc = usage_error("--prepared is an option of run and merge, not of", c->cmd);
        return rc;
    }
    if ((c->partition || c->part_n) && !is_run && !is_merge) {
        rc = usage_error("--partition and --part belong to run and merge, not", c->cmd);
        return rc;
    }
    if ((is_merge && !c->partition) || (c->part_n && !c->partition)) {
        rc = usage_error(is_merge ? "merge needs --partition SPEC (the runs' SPEC)"
                                  : "--part needs --partition SPEC",
                         NULL);
        return rc;
    }
    if (is_merge && c->part_n) {
        rc = usage_error("merge takes no --part", NULL);
        return rc;
    }
    if (mpi && (!c->partition || c->part_n)) {
        rc = usage_error(c->part_n ? "under mpirun, rank 0 deals the parts: drop --part"
                                  : "under mpirun, run needs --partition SPEC (the ranks share "
                                    "its parts)",
                         NULL);
        return rc;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* Honour the user's locale like any program; outputs must not depend on it (tested). */
    setlocale(LC_ALL, "");
#if defined(__GLIBC__)
    /* Blocks from 128 KiB straight from the kernel and back to it when freed: glibc otherwise
       raises this threshold after each big free and keeps later mid-sized blocks in its heap,
       which held about 80 MB more at the peak of a 1e6-node run (benchmarks/RESULTS.md). */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)) {
        printf("carecircle %s\n", CC_VERSION_STRING);
        return 0;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        printf("%s%s", USAGE, HELP);
        return 0;
    }
    cli c;
    int pr = parse_args(argc, argv, &c);
    if (pr >= 0) {
        free(c.sets);
        return pr;
    }
    int rc = 0;
    if (!c.cmd) {
        rc = usage_error("missing command", NULL);
        goto out_free;
    }
    int is_run = strcmp(c.cmd, "run") == 0, is_check = strcmp(c.cmd, "check") == 0,
        is_info = strcmp(c.cmd, "info") == 0, is_graph = strcmp(c.cmd, "graph") == 0,
        is_prepare = strcmp(c.cmd, "prepare") == 0, is_merge = strcmp(c.cmd, "merge") == 0;
    if (!is_run && !is_check && !is_info && !is_graph && !is_prepare && !is_merge) {
        rc = usage_error("unknown command", c.cmd);
        goto out_free;
    }
    if (!c.target) {
        rc = usage_error(is_info ? "info needs a FILE" : "missing SCENARIO.yaml", NULL);
        goto out_free;
    }
    int mpi = is_run && cc_cli_mpi_launched();
    rc = check_run_options(&c, is_run, is_merge, mpi);
    if (rc) goto out_free;
    if ((is_graph || is_prepare) && !c.out) {
        rc = usage_error(is_graph ? "graph needs --out FILE.gpkg" : "prepare needs --out PREP_DIR",
                         NULL);
        goto out_free;
    }
    cc_ctx *ctx;
    if (cc_ctx_create(&ctx) != CC_OK) {
        fprintf(stderr, "carecircle: error: out of memory\n");
        rc = 1;
        goto out_free;
    }
    g_ctx = ctx;
    /* Ctrl-C, `kill` and a closing terminal (SSH) all stop the run cleanly: outputs are
       published whole or not at all, and temporary files are removed. */
    catch_signal(SIGINT);
    catch_signal(SIGTERM);
    catch_signal(SIGHUP);
    /* A file-size limit must turn into a write error we can report, not a kill. */
    signal(SIGXFSZ, SIG_IGN);
    cc_ctx_set_threads(ctx, c.threads);
    /* check prints its warnings in the report; the others log them to stderr */
    if (!c.quiet && !is_check) cc_ctx_set_log(ctx, log_sink, NULL, CC_LOG_WARN);
    bar b = {NULL, -1};
    if (!c.quiet && (c.progress || isatty(STDERR_FILENO)))
        cc_ctx_set_progress(ctx, progress_sink, &b);

    cc_status st = CC_OK;
    if (is_info) {
        cc_buf out = {0};
        size_t tl = strlen(c.target);
        if (tl > 8 && strcmp(c.target + tl - 8, ".ccgraph") == 0)
            st = cc_pipeline_prepared_info(ctx, c.target, &out);
        else
            st = cc_io_info(ctx, c.target, &out);
        if (!st && out.s) st = put_clean(ctx, out.s);
        cc_buf_free(&out);
    } else {
        cc_scenario *sc = NULL;
        st = cc_scenario_load(ctx, c.target, c.sets, c.n_sets, &sc);
        if (!st && is_graph) {
            cc_buf out = {0};
            st = cc_pipeline_graph(ctx, sc, c.out, &out);
            if (!st && out.s && !c.quiet) printf("%sgraph written to %s\n", out.s, c.out);
            cc_buf_free(&out);
        } else if (!st && is_prepare) {
            cc_buf out = {0};
            st = cc_pipeline_prepare(ctx, sc, c.out, &out);
            if (!st && out.s && !c.quiet) printf("%sprepared network written to %s/\n", out.s, c.out);
            cc_buf_free(&out);
        } else if (!st && is_check) {
            cc_buf out = {0};
            st = cc_pipeline_check(ctx, sc, &out);
            if (!st && out.s) st = put_clean(ctx, out.s);
            cc_buf_free(&out);
        } else if (!st) {
            cc_run_options opt = {.out_dir = c.out,
                                  .prepared_dir = c.prepared,
                                  .partition = c.partition,
                                  .part_k = c.part_k,
                                  .part_n = c.part_n,
                                  .merge = is_merge};
            char *dir = NULL;
            int root = 1;
            if (mpi)
                st = run_mpi(ctx, sc, &opt, &root, &dir);
            else
                st = cc_pipeline_run(ctx, sc, &opt, &dir);
            if (!root) c.quiet = 1, st = CC_OK; /* rank 0 reports */
            if (!st && !c.quiet && c.part_n)
                printf("carecircle: parts of job %zu/%zu written to %s/parts/\n", c.part_k,
                       c.part_n, dir);
            else if (!st && !c.quiet)
                printf("carecircle: results written to %s/\n", dir);
            cc_free(dir);
        }
        cc_scenario_destroy(sc);
    }
    if (st) {
        if (b.last >= 0 && b.last < 100) fputc('\n', stderr);
        int sig = g_signal;
        if (st == CC_ERR_INTERRUPTED && (sig == SIGTERM || sig == SIGHUP))
            fprintf(stderr, "carecircle: error: stopped by %s; no output was changed\n",
                    sig == SIGHUP ? "SIGHUP (the terminal or SSH session closed; use nohup or "
                                    "tmux for long runs)"
                                  : "SIGTERM");
        else
            fprintf(stderr, "carecircle: error: %s\n",
                    cc_ctx_message(ctx)[0] ? cc_ctx_message(ctx) : cc_status_message(st));
        rc = exit_code(st);
        if (st == CC_ERR_INTERRUPTED && sig) rc = 128 + sig;
    }
    g_ctx = NULL;
    cc_ctx_destroy(ctx);
out_free:
    free(c.sets);
    return rc;
}
