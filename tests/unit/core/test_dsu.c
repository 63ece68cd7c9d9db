/* SPDX-License-Identifier: Apache-2.0 */
/* Core: disjoint sets (cc_dsu_*), shared by the graph build (net) and hexagon areas (geom). */
#include "carecircle/core.h"
#include "cc_test.h"
#include "core/dsu.h"

#include <stdint.h>

static void test_groups(void)
{
    cc_ctx *ctx;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    uint32_t *p = NULL;
    CHECK_INT(cc_dsu_create(ctx, 10, &p), CC_OK);
    for (uint32_t i = 0; i < 10; i++)
        CHECK_INT(cc_dsu_find(p, i), i);
    /* groups {2, 5, 9}, {3, 7}, {0, 8, 4}; the root is the lowest id whatever the join order */
    cc_dsu_union(p, 9, 5);
    cc_dsu_union(p, 5, 2);
    cc_dsu_union(p, 7, 3);
    cc_dsu_union(p, 8, 4);
    cc_dsu_union(p, 4, 0);
    cc_dsu_union(p, 9, 2); /* already joined: no change */
    static const uint32_t want[10] = {0, 1, 2, 3, 0, 2, 6, 3, 0, 2};
    for (uint32_t i = 0; i < 10; i++)
        CHECK_INT(cc_dsu_find(p, i), want[i]);
    /* joining two groups keeps the lower root */
    cc_dsu_union(p, 7, 9);
    CHECK_INT(cc_dsu_find(p, 3), 2);
    CHECK_INT(cc_dsu_find(p, 7), 2);
    CHECK_INT(cc_dsu_find(p, 5), 2);
    CHECK_INT(cc_dsu_find(p, 8), 0);
    /* path halving leaves every element at most two steps from its root */
    for (uint32_t i = 0; i < 10; i++) {
        uint32_t r = cc_dsu_find(p, i);
        CHECK(p[i] == r || p[p[i]] == r);
    }
    cc_free(p);

    /* a long chain: 0 <- 1 <- ... <- 99999 all end in root 0 */
    CHECK_INT(cc_dsu_create(ctx, 100000, &p), CC_OK);
    for (uint32_t i = 99999; i > 0; i--)
        cc_dsu_union(p, i, i - 1);
    CHECK_INT(cc_dsu_find(p, 99999), 0);
    CHECK_INT(cc_dsu_find(p, 50000), 0);
    cc_free(p);

    /* n == 0 still gives an array to free */
    CHECK_INT(cc_dsu_create(ctx, 0, &p), CC_OK);
    CHECK(p != NULL);
    cc_free(p);
    cc_ctx_destroy(ctx);
}

static void test_limits(void)
{
    cc_ctx *ctx;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    uint32_t *p = (uint32_t *)&ctx; /* must be reset to NULL on failure */
    CHECK_INT(cc_dsu_create(ctx, (size_t)UINT32_MAX, &p), CC_ERR_DATA);
    CHECK(p == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "4294967295 elements");
    cc_ctx_set_alloc_fail(ctx, 1);
    CHECK_INT(cc_dsu_create(ctx, 4, &p), CC_ERR_NOMEM);
    CHECK(p == NULL);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_groups();
    test_limits();
    return cc_test_done();
}
