/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the io unit tests: a vector read request with defaults, and a read that
 * must fail with a message fragment. Each test file defines `static cc_ctx *ctx;` first.
 */
#ifndef CC_IO_TEST_UTIL_H
#define CC_IO_TEST_UTIL_H

#include "carecircle/io.h"
#include "cc_test.h"

#include <string.h>

static cc_vector_request base(const char *path)
{
    cc_vector_request r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.role = "test";
    return r;
}

/* A table with coordinate columns x, y (and id, numeric fields when given). */
static inline cc_vector_request table(const char *path, const char *x, const char *y,
                                      const char *id, const char **nums, size_t n_num)
{
    cc_vector_request r = base(path);
    r.x_field = x;
    r.y_field = y;
    r.id_field = id;
    r.num_fields = nums;
    r.n_num = n_num;
    return r;
}

/* Read expecting failure; returns the status and checks the message fragment. */
static cc_status read_fail(const cc_vector_request *r, const char *fragment, const char *file,
                           int line)
{
    cc_layer *L = (cc_layer *)1;
    cc_status st = cc_io_read_vector(ctx, r, &L);
    if (st == CC_OK || L != NULL || !strstr(cc_ctx_message(ctx), fragment)) {
        fprintf(stderr, "%s:%d: expected failure with '%s', got status %d, message '%s'\n", file,
                line, fragment, (int)st, cc_ctx_message(ctx));
        cc_test_fail++;
        cc_layer_destroy(L == (cc_layer *)1 ? NULL : L);
    } else {
        cc_test_pass++;
    }
    return st;
}
#define READ_FAIL(r, frag) read_fail(&(r), (frag), __FILE__, __LINE__)

#endif
