/* SPDX-License-Identifier: Apache-2.0 */
/* Core threading: the thread-count rule, child contexts (allocation hook, interrupt, error
 * at the join) and the interrupt flag seen from inside an OpenMP loop. */
#include "carecircle/core.h"
#include "cc_test.h"

#include <omp.h>
#include <stdatomic.h>

static void test_thread_count(void)
{
    cc_ctx *ctx;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    /* 0 (the default): OpenMP's default team size, 3 (main() below) */
    CHECK_INT(cc_ctx_threads(ctx), 0);
    CHECK_INT(cc_ctx_thread_count(ctx), 3);
    CHECK_INT(cc_ctx_thread_count(NULL), 3);
    cc_ctx_set_threads(ctx, 5);
    CHECK_INT(cc_ctx_thread_count(ctx), 5);
    cc_ctx_set_threads(ctx, -2); /* negative means the default */
    CHECK_INT(cc_ctx_threads(ctx), 0);
    CHECK_INT(cc_ctx_thread_count(ctx), 3);
    omp_set_num_threads(2); /* the runtime's default as the program changes it */
    CHECK_INT(cc_ctx_thread_count(ctx), 2);
    omp_set_num_threads(3);
    /* a worker's child runs its nested stages on itself */
    cc_ctx_set_threads(ctx, 4);
    cc_ctx *kid = NULL;
    CHECK_INT(cc_ctx_child(ctx, &kid), CC_OK);
    CHECK_INT(cc_ctx_thread_count(kid), 1);
    cc_ctx_destroy(kid);
    cc_ctx_destroy(ctx);
}

/* Each of 4 threads fails on its own child; the join hands the parent thread 0's error only. */
static void test_child_errors(void)
{
    cc_ctx *ctx, *kid[4] = {0};
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    for (int t = 0; t < 4; t++)
        CHECK_INT(cc_ctx_child(ctx, &kid[t]), CC_OK);
#pragma omp parallel for num_threads(4) schedule(static, 1)
    for (int t = 0; t < 4; t++) {
        if (t == 0) continue; /* thread 0 succeeds */
        cc_error(kid[t], t == 1 ? CC_ERR_DATA : CC_ERR_GEOM, "feature %d: 100%% bad", t);
    }
    CHECK_INT(cc_ctx_last_status(ctx), CC_OK); /* nothing reaches the parent before the join */
    CHECK_STR(cc_ctx_message(ctx), "");
    cc_status rc = CC_OK;
    for (int t = 0; t < 4; t++)
        rc = cc_ctx_child_join(ctx, kid[t], rc);
    CHECK_INT(rc, CC_ERR_DATA);
    CHECK_INT(cc_ctx_last_status(ctx), CC_ERR_DATA);
    CHECK_STR(cc_ctx_message(ctx), "feature 1: 100% bad"); /* copied as is, '%' included */
    /* an error already in hand is kept; a NULL or clean child changes nothing */
    CHECK_INT(cc_ctx_child_join(ctx, kid[2], CC_ERR_IO), CC_ERR_IO);
    CHECK_STR(cc_ctx_message(ctx), "feature 1: 100% bad");
    CHECK_INT(cc_ctx_child_join(ctx, NULL, CC_OK), CC_OK);
    CHECK_INT(cc_ctx_child_join(ctx, kid[0], CC_OK), CC_OK);
    for (int t = 0; t < 4; t++)
        cc_ctx_destroy(kid[t]);
    cc_ctx_destroy(ctx);
}

/* The run's allocation counter and failure hook reach the children's allocations. */
static void test_child_alloc_hook(void)
{
    cc_ctx *ctx, *kid[2] = {0};
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    long base = cc_ctx_alloc_count(ctx);
    for (int t = 0; t < 2; t++)
        CHECK_INT(cc_ctx_child(ctx, &kid[t]), CC_OK);
    CHECK_INT(cc_ctx_alloc_count(ctx), base + 2); /* a child is allocated through its parent */
    /* 2 threads x 10 allocations: all counted on the root, the 15th and later fail */
    cc_ctx_set_alloc_fail(ctx, 15);
    int got = 0;
#pragma omp parallel for num_threads(2) schedule(static) reduction(+ : got)
    for (int i = 0; i < 20; i++) {
        void *p = cc_malloc(kid[omp_get_thread_num()], 16);
        got += p != NULL;
        cc_free(p);
    }
    CHECK_INT(got, 14);
    CHECK_INT(cc_ctx_alloc_count(ctx), base + 22);
    CHECK_INT(cc_ctx_alloc_count(kid[1]), base + 22);
    cc_status rc = CC_OK;
    for (int t = 0; t < 2; t++)
        rc = cc_ctx_child_join(ctx, kid[t], rc);
    CHECK_INT(rc, CC_ERR_NOMEM);
    CHECK_CONTAINS(cc_ctx_message(ctx), "out of memory");
    /* a child cannot be had once the hook fails: NOMEM on the parent */
    cc_ctx *k3 = (cc_ctx *)1;
    CHECK_INT(cc_ctx_child(ctx, &k3), CC_ERR_NOMEM);
    CHECK(k3 == NULL);
    /* the hook set through a child is the root's */
    cc_ctx_set_alloc_fail(kid[0], 0);
    void *p = cc_malloc(ctx, 8);
    CHECK(p != NULL);
    cc_free(p);
    cc_ctx_set_alloc_fail(kid[1], 1);
    CHECK(cc_malloc(ctx, 8) == NULL);
    for (int t = 0; t < 2; t++)
        cc_ctx_destroy(kid[t]);
    cc_ctx_destroy(ctx);
}

/* A Ctrl-C on the run, raised by one worker while the others loop, is seen by every worker
 * through its child (and grandchild) within the loop, which then stops early. */
static void test_interrupt_in_loop(void)
{
    cc_ctx *ctx, *kid[4] = {0}, *grand = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    for (int t = 0; t < 4; t++)
        CHECK_INT(cc_ctx_child(ctx, &kid[t]), CC_OK);
    CHECK_INT(cc_ctx_child(kid[3], &grand), CC_OK);
    CHECK(!cc_ctx_interrupted(grand));
    const long n = 4000000;
    atomic_long seen = 0, done = 0;
    /* 0.5 of the loop in, thread 0 interrupts the run (as the CLI's signal handler does) */
#pragma omp parallel for num_threads(4) schedule(dynamic, 1000)
    for (long i = 0; i < n; i++) {
        int t = omp_get_thread_num();
        cc_ctx *mine = t == 3 ? grand : kid[t];
        if (i == n / 2) cc_ctx_interrupt(ctx);
        if (cc_ctx_interrupted(mine)) {
            atomic_fetch_add_explicit(&seen, 1, memory_order_relaxed);
            continue;
        }
        atomic_fetch_add_explicit(&done, 1, memory_order_relaxed);
    }
    CHECK(atomic_load(&seen) > 0);
    CHECK(atomic_load(&done) < n); /* the rest of the loop was skipped */
    CHECK_INT(atomic_load(&seen) + atomic_load(&done), n);
    CHECK(cc_ctx_interrupted(grand));
    /* the workers turn it into their error; the parent gets it at the join */
    cc_status rc = CC_OK;
    CHECK_INT(cc_check_interrupt(kid[2]), CC_ERR_INTERRUPTED);
    for (int t = 0; t < 4; t++)
        rc = cc_ctx_child_join(ctx, kid[t], rc);
    CHECK_INT(rc, CC_ERR_INTERRUPTED);
    CHECK_CONTAINS(cc_ctx_message(ctx), "interrupted");
    /* an interrupt of a child stays with it and its descendants */
    cc_ctx_clear_interrupt(ctx);
    CHECK(!cc_ctx_interrupted(grand));
    cc_ctx_interrupt(kid[3]);
    CHECK(cc_ctx_interrupted(grand));
    CHECK(cc_ctx_interrupted(kid[3]));
    CHECK(!cc_ctx_interrupted(ctx));
    CHECK(!cc_ctx_interrupted(kid[0]));
    cc_ctx_destroy(grand);
    for (int t = 0; t < 4; t++)
        cc_ctx_destroy(kid[t]);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    /* OpenMP's default team size (what OMP_NUM_THREADS sets) that the rule falls back to */
    omp_set_num_threads(3);
    test_thread_count();
    test_child_errors();
    test_child_alloc_hook();
    test_interrupt_in_loop();
    return cc_test_done();
}
