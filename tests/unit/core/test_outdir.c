/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Output-folder safety (issue 14: 7, 8, 13, 15): slugs, real paths of folders not yet made,
 * which folder holds an input, the manifest of a tracked output set (stale outputs removed,
 * the user's files kept), variant sub-sets made only on publish, leftovers of dead processes.
 */
#include "carecircle/core.h"
#include "cc_test.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[64];

static void put(const char *rel, const char *text)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    FILE *f = fopen(p, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *rel)
{
    char p[PATH_MAX];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    return lstat(p, &sb) == 0;
}

static cc_status write_one(cc_ctx *ctx, cc_outset *s, const char *name)
{
    FILE *fp = NULL;
    cc_status st = cc_outset_begin(ctx, s, name, &fp);
    if (!st) fputs(name, fp);
    if (fp) {
        cc_status r2 = cc_outset_end(ctx, s, fp);
        if (!st) st = r2;
    }
    return st;
}

static void test_slug(cc_ctx *ctx)
{
    const char *in[] = {"Plan A", "plan-a", "  PLAN--a!! ", "!!", "方案 二", "a_b.c"};
    const char *want[] = {"plan-a", "plan-a", "plan-a", "x", "方案-二", "a-b-c"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
        char *s = cc_path_slug(ctx, in[i]);
        CHECK_STR(s, want[i]);
        free(s);
    }
}

static void test_real(void)
{
    char real_tmp[PATH_MAX], out[PATH_MAX], want[PATH_MAX + 16], p[PATH_MAX];
    CHECK(realpath(tmp, real_tmp) != NULL);
    snprintf(p, sizeof p, "%s/no/such/../x/./y/..", tmp);
    CHECK_INT(cc_path_real(p, out), 0);
    snprintf(want, sizeof want, "%s/no/x", real_tmp);
    CHECK_STR(out, want);
    snprintf(p, sizeof p, "%s/new/..", tmp);
    CHECK_INT(cc_path_real(p, out), 0);
    CHECK_STR(out, real_tmp);
    char lk[PATH_MAX];
    snprintf(lk, sizeof lk, "%s/link", tmp);
    CHECK_INT(symlink(tmp, lk), 0);
    snprintf(p, sizeof p, "%s/link/in/", tmp);
    CHECK_INT(cc_path_real(p, out), 0);
    snprintf(want, sizeof want, "%s/in", real_tmp);
    CHECK_STR(out, want);
    unlink(lk);
}

static void test_holds(void)
{
    char d[PATH_MAX], real_d[PATH_MAX], p[PATH_MAX];
    snprintf(d, sizeof d, "%s/o", tmp);
    mkdir(d, 0777);
    snprintf(p, sizeof p, "%s/o/variants", tmp);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/o/variants/a", tmp);
    mkdir(p, 0777);
    CHECK(realpath(d, real_d) != NULL);
    put("o/in.csv", "x");
    put("o/variants/a/in.csv", "x");
    put("elsewhere.csv", "x");
    snprintf(p, sizeof p, "%s/o/in.csv", tmp);
    CHECK_INT(cc_path_holds(real_d, NULL, p), 1);
    snprintf(p, sizeof p, "%s/o/../o/in.csv", tmp);
    CHECK_INT(cc_path_holds(real_d, NULL, p), 1);
    snprintf(p, sizeof p, "%s/o/variants/a/in.csv", tmp);
    CHECK_INT(cc_path_holds(real_d, NULL, p), 0);
    CHECK_INT(cc_path_holds(real_d, "variants", p), 1);
    snprintf(p, sizeof p, "%s/elsewhere.csv", tmp);
    CHECK_INT(cc_path_holds(real_d, "variants", p), 0);
    snprintf(p, sizeof p, "%s/o/missing.csv", tmp);
    CHECK_INT(cc_path_holds(real_d, "variants", p), 0);
    /* A link in the folder to a file elsewhere, and a zip member of an archive in it. */
    char lk[PATH_MAX], target[PATH_MAX];
    snprintf(lk, sizeof lk, "%s/o/link.csv", tmp);
    snprintf(target, sizeof target, "%s/elsewhere.csv", tmp);
    CHECK_INT(symlink(target, lk), 0);
    CHECK_INT(cc_path_holds(real_d, NULL, lk), 1);
    put("o/a.zip", "PK");
    snprintf(p, sizeof p, "/vsizip/%s/o/a.zip/inner/b.shp", tmp);
    CHECK_INT(cc_path_holds(real_d, NULL, p), 1);
    /* A folder input that is the folder itself. */
    CHECK_INT(cc_path_holds(real_d, NULL, d), 1);
}

static void test_manifest(cc_ctx *ctx)
{
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s/m", tmp);
    cc_outset *s = NULL, *v = NULL;
    /* Run 1: two files and a variant. */
    CHECK_INT(cc_outset_create_tracked(ctx, d, &s), CC_OK);
    CHECK_INT(write_one(ctx, s, "a.csv"), CC_OK);
    CHECK_INT(write_one(ctx, s, "old.csv"), CC_OK);
    CHECK_INT(cc_outset_create_sub(ctx, s, "variants/plan-a", &v), CC_OK);
    CHECK_INT(write_one(ctx, v, "a.csv"), CC_OK);
    CHECK_INT(exists("m/variants"), 0); /* made only on publish */
    CHECK_INT(cc_outset_publish(ctx, s), CC_OK);
    cc_outset_destroy(s);
    CHECK(exists("m/old.csv") && exists("m/variants/plan-a/a.csv") &&
          exists("m/.carecircle-manifest"));
    put("m/mine.txt", "user");
    /* Run 2: only a.csv; old.csv and the variant go, the user's file stays. */
    CHECK_INT(cc_outset_create_tracked(ctx, d, &s), CC_OK);
    CHECK_INT(write_one(ctx, s, "a.csv"), CC_OK);
    CHECK_INT(cc_outset_publish(ctx, s), CC_OK);
    cc_outset_destroy(s);
    CHECK(exists("m/a.csv") && exists("m/mine.txt"));
    CHECK(!exists("m/old.csv") && !exists("m/variants"));
    /* A failed run (unfinished set) changes nothing and leaves no temporary file. */
    CHECK_INT(cc_outset_create_tracked(ctx, d, &s), CC_OK);
    CHECK_INT(cc_outset_create_sub(ctx, s, "variants/b", &v), CC_OK);
    CHECK_INT(write_one(ctx, v, "x.csv"), CC_OK);
    cc_outset_destroy(s);
    CHECK(!exists("m/variants"));
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 3", d); /* a.csv mine.txt manifest */
    CHECK_INT(system(cmd), 0);
}

static void test_leftovers(cc_ctx *ctx)
{
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s/k", tmp);
    mkdir(d, 0777);
    pid_t dead = fork();
    if (dead == 0) _exit(0);
    waitpid(dead, NULL, 0);
    char name[128];
    snprintf(name, sizeof name, "k/.carecircle-tmp-%ld-0-coverage.csv", (long)dead);
    put(name, "x");
    snprintf(name, sizeof name, "k/.coverage.csv.tmp-%ld-4", (long)dead);
    put(name, "x");
    snprintf(name, sizeof name, "k/.carecircle-tmp-%ld-1-x.csv", (long)getppid()); /* alive */
    put(name, "x");
    put("k/.hidden-user-file", "x");
    cc_outset *s = NULL;
    CHECK_INT(cc_outset_create(ctx, d, &s), CC_OK);
    cc_outset_destroy(s);
    snprintf(name, sizeof name, "k/.carecircle-tmp-%ld-0-coverage.csv", (long)dead);
    CHECK(!exists(name));
    snprintf(name, sizeof name, "k/.coverage.csv.tmp-%ld-4", (long)dead);
    CHECK(!exists(name));
    snprintf(name, sizeof name, "k/.carecircle-tmp-%ld-1-x.csv", (long)getppid());
    CHECK(exists(name));
    CHECK(exists("k/.hidden-user-file"));
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/cc_outdir_XXXXXX");
    if (!mkdtemp(tmp)) return 1;
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    test_slug(ctx);
    test_real();
    test_holds();
    test_manifest(ctx);
    test_leftovers(ctx);
    cc_ctx_destroy(ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", tmp);
    return cc_test_done();
}
