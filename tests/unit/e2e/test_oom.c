/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Out-of-memory sweep: load a scenario and run the whole pipeline with the allocation hook
 * failing the Nth allocation (and every later one), for N = 1, 2, ... until the run
 * succeeds. Every failing run must return CC_ERR_NOMEM (or a status whose message says out
 * of memory), leave the output folder empty (no half-written file, no temporary) and, under
 * the sanitizer build, neither leak nor crash.
 *
 * The circle fixture is swept at every N; the sample network scenario on a stride
 * (CC_OOM_STRIDE; by default about 40 points spread over the run, plus the last few
 * allocations) to keep the test fast. The sample is swept without its variants (each variant
 * is a whole run of the same stages), which makes each of its runs about 2.5 times cheaper;
 * the circle fixture is swept with one variant added, so the variant code still fails at
 * every allocation.
 */
#include "carecircle/config.h"
#include "carecircle/core.h"
#include "carecircle/pipeline.h"
#include "cc_test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void quiet_log(void *ud, cc_log_level lv, const char *msg)
{
    (void)ud;
    (void)lv;
    (void)msg;
}

/* Number of entries (other than . and ..) in dir; names the first one in first. */
static int dir_entries(const char *dir, char *first, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    first[0] = '\0';
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n == 0) snprintf(first, cap, "%s", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static void empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0) { /* a folder (variants/): empty it, then remove it */
            empty_dir(path);
            rmdir(path);
        }
    }
    closedir(d);
}

/*
 * One run with the nth allocation failing (0 = no failure). Returns the run's status; the
 * allocation count of the whole run goes to *allocs, the message to msg.
 */
static const char *const SAMPLE_SET[] = {"scenarios=null"};
static const char *const FIXTURE_SET[] = {
    "scenarios=[{name: ten minutes, set: {facilities.day_care.threshold_min: 10}}]"};

static cc_status run_once(const char *scenario, const char *const *set, size_t n_set,
                          const char *out_dir, long nth, long *allocs, char *msg, size_t cap)
{
    cc_ctx *ctx = NULL;
    cc_scenario *sc = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return CC_ERR_NOMEM;
    cc_ctx_set_log(ctx, quiet_log, NULL, CC_LOG_DEBUG);
    cc_ctx_set_threads(ctx, 2);
    cc_ctx_set_alloc_fail(ctx, nth);
    long base = cc_ctx_alloc_count(ctx);
    cc_status st = cc_scenario_load(ctx, scenario, set, n_set, &sc);
    if (st == CC_OK) {
        cc_run_options opt = {.out_dir = out_dir};
        char *used = NULL;
        st = cc_pipeline_run(ctx, sc, &opt, &used);
        cc_free(used);
    }
    if (allocs) *allocs = cc_ctx_alloc_count(ctx) - base;
    snprintf(msg, cap, "%s", cc_ctx_message(ctx));
    cc_scenario_destroy(sc);
    cc_ctx_destroy(ctx);
    return st;
}

/* A failing run is acceptable when it says out of memory. */
static int is_oom(cc_status st, const char *msg)
{
    return st == CC_ERR_NOMEM || strstr(msg, "out of memory") != NULL;
}

/*
 * Sweep N from 1 on a stride until a run succeeds; returns the number of failing runs checked.
 * Every failing run must be out of memory and leave out_dir empty.
 */
static long sweep(const char *name, const char *scenario, const char *const *set, size_t n_set,
                  const char *out_dir, long stride)
{
    char msg[1024], first[512];
    long total = 0;
    /* A clean run first: it must succeed and write outputs, and gives the allocation count. */
    cc_status st = run_once(scenario, set, n_set, out_dir, 0, &total, msg, sizeof msg);
    CHECK_INT(st, CC_OK);
    if (st != CC_OK) {
        fprintf(stderr, "%s: clean run failed: %s\n", name, msg);
        return 0;
    }
    CHECK(total > 10);
    CHECK(dir_entries(out_dir, first, sizeof first) >= 3);
    empty_dir(out_dir);
    CHECK_INT(dir_entries(out_dir, first, sizeof first), 0);

    /* stride 0: visit about 40 failure points spread over the whole run. */
    if (stride <= 0) stride = total / 40 > 7 ? total / 40 : 7;
    long checked = 0, bad = 0;
    for (long n = 1; n <= total + 1; n += (n + 8 > total ? 1 : stride)) {
        long allocs = 0;
        st = run_once(scenario, set, n_set, out_dir, n, &allocs, msg, sizeof msg);
        if (st == CC_OK) {
            /* The hook is past the last allocation: the run succeeded. Only possible at the end:
               a run that made allocation N and succeeded swallowed its failure. (The count of a
               2-thread run varies by a few: worker threads allocate through the hook too, and
               how much depends on which facilities each one gets.) */
            if (n <= allocs) {
                fprintf(stderr, "%s: N=%ld: run succeeded although allocation %ld failed\n", name,
                        n, n);
                bad++;
            }
            empty_dir(out_dir);
            break;
        }
        checked++;
        if (!is_oom(st, msg)) {
            fprintf(stderr, "%s: N=%ld: status %s, message '%s' (expected out of memory)\n", name,
                    n, cc_status_name(st), msg);
            bad++;
        }
        int left = dir_entries(out_dir, first, sizeof first);
        if (left != 0) {
            fprintf(stderr, "%s: N=%ld: %d file(s) left in the output folder, e.g. '%s'\n", name, n,
                    left, first);
            bad++;
            empty_dir(out_dir);
        }
        if (bad > 20) break;
    }
    CHECK_INT(bad, 0);
    printf("%s: %ld allocations in a full run, %ld failing runs checked\n", name, total, checked);
    return checked;
}

int main(void)
{
    char tmpl[] = "/tmp/cc_oom_XXXXXX";
    char *tmp = mkdtemp(tmpl);
    CHECK(tmp != NULL);
    if (!tmp) return cc_test_done();
    char out_dir[600];
    snprintf(out_dir, sizeof out_dir, "%s/out", tmp);

    const char *stride_env = getenv("CC_OOM_STRIDE");
    long stride = stride_env ? atol(stride_env) : 0; /* 0 = about 40 points */
    if (stride < 0) stride = 0;

    long n1 = sweep("circle fixture", CC_FIXTURES "/e2e/scenario.yaml", FIXTURE_SET, 1, out_dir, 1);
    CHECK(n1 > 10);
    long n2 = sweep("sample network", CC_SOURCE_DIR "/data/sample/scenario.yaml", SAMPLE_SET, 1,
                    out_dir, stride);
    CHECK(n2 > 10);

    rmdir(out_dir);
    rmdir(tmp);
    return cc_test_done();
}
