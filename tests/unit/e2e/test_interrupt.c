/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupt: a run stopped from its progress callback (cc_ctx_interrupt, as the CLI's SIGINT
 * handler does) returns CC_ERR_INTERRUPTED with a one-line message, leaves the outputs of an
 * earlier run byte-for-byte untouched and leaves no temporary file in the output folder.
 * Swept over every progress report of the circle fixture, then once mid-way through loading
 * a large generated demand CSV (100 000 points).
 */
#include "carecircle/config.h"
#include "carecircle/core.h"
#include "carecircle/pipeline.h"
#include "cc_test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct stopper {
    cc_ctx *ctx;
    int calls;      /* progress reports seen */
    int stop_at;    /* interrupt at this report (1-based); 0 = at the first mid-way "load" */
    int stopped;    /* 1 once cc_ctx_interrupt was called */
    char stage[64]; /* stage at which it was called */
    double fraction;
} stopper;

static void on_progress(void *ud, const char *stage, double fraction)
{
    stopper *s = ud;
    s->calls++;
    if (s->stopped) return;
    int hit = s->stop_at > 0 ? s->calls == s->stop_at
                             : (!strcmp(stage, "load") && fraction > 0 && fraction < 1);
    if (hit) {
        s->stopped = 1;
        snprintf(s->stage, sizeof s->stage, "%s", stage);
        s->fraction = fraction;
        cc_ctx_interrupt(s->ctx);
    }
}

static void quiet_log(void *ud, cc_log_level lv, const char *msg)
{
    (void)ud;
    (void)lv;
    (void)msg;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* Snapshot of a folder: sorted "name\0content" concatenation, for equality checks. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *snapshot(const char *dir, int *n_files)
{
    DIR *d = opendir(dir);
    char *names[64];
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    size_t cap = 1, len = 0;
    char *out = calloc(1, 1);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t clen = 0;
        char *c = slurp(path, &clen);
        size_t nl = strlen(names[i]);
        cap = len + nl + 2 + clen + 1;
        out = realloc(out, cap);
        memcpy(out + len, names[i], nl);
        len += nl;
        out[len++] = '\n';
        if (c) memcpy(out + len, c, clen);
        len += clen;
        out[len++] = '\n';
        out[len] = '\0';
        free(c);
        free(names[i]);
    }
    *n_files = n;
    return out;
}

static cc_status run(const char *scenario, const char *out_dir, stopper *stop, char *msg,
                     size_t cap)
{
    cc_ctx *ctx = NULL;
    cc_scenario *sc = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return CC_ERR_NOMEM;
    cc_ctx_set_log(ctx, quiet_log, NULL, CC_LOG_DEBUG);
    if (stop) {
        stop->ctx = ctx;
        cc_ctx_set_progress(ctx, on_progress, stop);
    }
    cc_status st = cc_scenario_load(ctx, scenario, NULL, 0, &sc);
    if (st == CC_OK) {
        cc_run_options opt = {.out_dir = out_dir};
        st = cc_pipeline_run(ctx, sc, &opt, NULL);
    }
    snprintf(msg, cap, "%s", cc_ctx_message(ctx));
    cc_scenario_destroy(sc);
    cc_ctx_destroy(ctx);
    return st;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

int main(void)
{
    char tmpl[] = "/tmp/cc_int_XXXXXX";
    char *tmp = mkdtemp(tmpl);
    CHECK(tmp != NULL);
    if (!tmp) return cc_test_done();
    char out_dir[600], msg[1024];
    snprintf(out_dir, sizeof out_dir, "%s/out", tmp);
    const char *fixture = CC_FIXTURES "/e2e/scenario.yaml";

    /* Earlier results. */
    cc_status st = run(fixture, out_dir, NULL, msg, sizeof msg);
    CHECK_INT(st, CC_OK);
    int n_before = 0, n_after = 0;
    char *before = snapshot(out_dir, &n_before);
    CHECK(n_before >= 3);

    /* Every progress report of the fixture run as the interrupt point. */
    int reports = 0;
    for (int k = 1; k < 200; k++) {
        stopper s = {0};
        s.stop_at = k;
        st = run(fixture, out_dir, &s, msg, sizeof msg);
        if (!s.stopped) {
            /* Past the last report: the run completes and rewrites the same bytes. */
            CHECK_INT(st, CC_OK);
            reports = k - 1;
            break;
        }
        if (st != CC_ERR_INTERRUPTED &&
            !(st == CC_OK && !strcmp(s.stage, "writing") && s.fraction >= 1)) {
            fprintf(stderr, "interrupt at report %d (%s %.2f): status %s, '%s'\n", k, s.stage,
                    s.fraction, cc_status_name(st), msg);
            CHECK_INT(st, CC_ERR_INTERRUPTED);
        }
        if (st == CC_ERR_INTERRUPTED) {
            CHECK(msg[0] != '\0' && strchr(msg, '\n') == NULL);
            CHECK_CONTAINS(msg, "interrupt");
        }
        char *after = snapshot(out_dir, &n_after);
        CHECK_INT(n_after, n_before);
        CHECK(strcmp(after, before) == 0);
        free(after);
    }
    CHECK(reports >= 4);
    /* The completing run rewrote the outputs (summary.json holds timings): snapshot again. */
    free(before);
    before = snapshot(out_dir, &n_before);
    printf("fixture: interrupted at each of %d progress reports\n", reports);

    /* A large demand CSV next to a copy of the fixture; interrupt mid-way through loading. */
    char path[1200];
    snprintf(path, sizeof path, "%s/demand.csv", tmp);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs("id,x,y,elderly,infants\n", f);
        for (int i = 0; i < 100000; i++)
            fprintf(f, "q%d,%d,%d,%d,%d\n", i, 449000 + (i * 37) % 4000, 3370000 + (i * 91) % 5000,
                    1 + i % 7, i % 2);
        fclose(f);
    }
    size_t flen = 0;
    char *fac = slurp(CC_FIXTURES "/e2e/facilities.csv", &flen);
    char *yaml = slurp(fixture, &flen);
    CHECK(fac && yaml);
    snprintf(path, sizeof path, "%s/facilities.csv", tmp);
    write_file(path, fac ? fac : "");
    snprintf(path, sizeof path, "%s/big.yaml", tmp);
    write_file(path, yaml ? yaml : "");
    free(fac);
    free(yaml);
    stopper s = {0};
    st = run(path, out_dir, &s, msg, sizeof msg);
    CHECK(s.stopped);
    CHECK_INT(st, CC_ERR_INTERRUPTED);
    CHECK(strchr(msg, '\n') == NULL);
    char *after = snapshot(out_dir, &n_after);
    CHECK_INT(n_after, n_before);
    CHECK(strcmp(after, before) == 0);
    free(after);
    free(before);

    /* Clean up. */
    const char *names[] = {"demand.csv", "facilities.csv", "big.yaml"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, names[i]);
        unlink(path);
    }
    DIR *d = opendir(out_dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(path, sizeof path, "%s/%s", out_dir, e->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(out_dir);
    rmdir(tmp);
    return cc_test_done();
}
