/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Siting: the long-format cost matrix reader (quoting, BOM, CRLF, column names, cutoff and
 * unit factor, dense output) and its file:line error messages.
 */
#include "carecircle/siting.h"
#include "cc_test.h"
#include "siting/siting_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[512];

static void write_file(const char *text)
{
    snprintf(path, sizeof path, "%s/siting_matrix_%d.csv", CC_BINARY_DIR, (int)getpid());
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

static const char *pts[3] = {"a", "b,1", "c \"q\""};
static const char *cands[2] = {"S1", "S2"};

static cc_status read_m(cc_ctx *ctx, const cc_siting_matrix_spec *spec, cc_incidence **inc,
                        double **dense)
{
    return cc_siting_matrix_read(ctx, path, spec, 3, pts, 2, cands, inc, dense);
}

static void test_good(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    /* BOM, CRLF, quoted ids with a comma and doubled quotes, extra column, blank line,
     * spaces around an unquoted number, rows out of order. */
    write_file("\xEF\xBB\xBFnote,origin,destination,cost\r\n"
               "x,\"b,1\",S2,7.5\r\n"
               "\"multi\nline\",a,S2, 12 \r\n"
               "\r\n"
               "y,\"c \"\"q\"\"\",S1,3\r\n"
               "z,a,S1,0.25\r\n");
    cc_incidence *inc = NULL;
    double *dense = NULL;
    cc_siting_matrix_spec spec = {.cutoff = 10, .cost_to_ds = 600}; /* minutes -> ds */
    CHECK_INT(read_m(ctx, &spec, &inc, &dense), CC_OK);
    if (inc) {
        CHECK_INT(inc->n_fac, 2);
        CHECK_INT(inc->n, 3); /* a->S2 at 12 min is beyond the cutoff */
        CHECK_INT(inc->fac_off[1], 2);
        CHECK_INT(inc->pt[0], 0);
        CHECK_INT(inc->time_ds[0], 150); /* 0.25 min */
        CHECK_INT(inc->pt[1], 2);
        CHECK_INT(inc->time_ds[1], 1800);
        CHECK_INT(inc->pt[2], 1);
        CHECK_INT(inc->time_ds[2], 4500);
    }
    if (dense) {
        CHECK_NEAR(dense[0 * 2 + 1], 12, 0); /* the dense matrix ignores the cutoff */
        CHECK(isinf(dense[1 * 2 + 0]));
        CHECK_NEAR(dense[2 * 2 + 0], 3, 0);
    }
    cc_incidence_destroy(inc);
    cc_free(dense);

    /* Custom column names, no cutoff, unknown ids skipped on request. */
    write_file("from;x,to,minutes\nzzz,S1,1\na,S9,2\na,S1,4\n");
    cc_siting_matrix_spec s2 = {
        .origin_field = "from;x", .dest_field = "to", .cost_field = "minutes", .ignore_unknown = 1};
    CHECK_INT(read_m(ctx, &s2, &inc, NULL), CC_OK);
    if (inc) {
        CHECK_INT(inc->n, 1);
        CHECK_INT(inc->time_ds[0], 4);
        CHECK_INT(inc->fac_off[2], 1);
    }
    cc_incidence_destroy(inc);
    cc_ctx_destroy(ctx);
}

static void expect_error(const char *text, const cc_siting_matrix_spec *spec, cc_status want,
                         const char *msg)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    write_file(text);
    cc_incidence *inc = (cc_incidence *)ctx; /* must be reset to NULL */
    CHECK_INT(read_m(ctx, spec, &inc, NULL), want);
    CHECK(inc == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), msg);
    CHECK_CONTAINS(cc_ctx_message(ctx), path);
    cc_ctx_destroy(ctx);
}

static void test_errors(void)
{
    cc_siting_matrix_spec d = {0};
    expect_error("origin,dest,cost\na,S1,1\n", &d, CC_ERR_DATA,
                 ":1: column 'destination' not found (columns: origin, dest, cost)");
    expect_error("origin,destination,cost\na,S1,1\nq,S1,2\n", &d, CC_ERR_DATA,
                 ": 1 rows name ids that match no demand point (origin) or no facility or "
                 "candidate (destination), e.g. origin 'q' (line 3);");
    expect_error("origin,destination,cost\na,S1,1\na,S3,2\n", &d, CC_ERR_DATA,
                 "e.g. destination 'S3' (line 3);");
    /* Issue 13.12: every unknown id is counted and the first five distinct ones listed. */
    expect_error("origin,destination,cost\nq,S1,1\nq,S2,1\na,X1,2\nr,X2,1\ns,S1,1\nt,S1,1\n"
                 "u,S1,1\n",
                 &d, CC_ERR_DATA,
                 ": 7 rows name ids that match no demand point (origin) or no facility or "
                 "candidate (destination), e.g. origin 'q' (line 2), destination 'X1' (line 4), "
                 "origin 'r' (line 5), origin 's' (line 6), origin 't' (line 7); fix the ids");
    expect_error("origin,destination,cost\na,S1,1\n\"b,1\",S1,1\na,S1,2\n", &d, CC_ERR_DATA,
                 ":4: pair ('a', 'S1') already given on line 2");
    expect_error("origin,destination,cost,x\na,S1,1,5\na,S2,nan,5\n", &d, CC_ERR_DATA,
                 ":3: cost 'nan'");
    expect_error("origin,destination,cost\na,S1,abc\n", &d, CC_ERR_DATA,
                 ":2: cost 'abc' is not a number >= 0");
    expect_error("origin,destination,cost\na,S1,-3\n", &d, CC_ERR_DATA, ":2: cost '-3'");
    expect_error("origin,destination,cost\na,S1,\n", &d, CC_ERR_DATA, ":2: cost ''");
    expect_error("origin,destination,cost\na,S1\n", &d, CC_ERR_DATA,
                 ":2: 2 fields, expected at least 3");
    expect_error("origin,destination,cost\n\"a,S1,1\nb,S1,2\n", &d, CC_ERR_DATA,
                 ":2: quoted field never closed");
    expect_error("origin,destination,cost\n\"a\"x,S1,1\n", &d, CC_ERR_DATA,
                 ":2: unexpected 'x' after a closing quote");
    expect_error("", &d, CC_ERR_DATA, "the cost matrix is empty");
    cc_siting_matrix_spec big = {.cost_to_ds = 1e9};
    expect_error("origin,destination,cost\na,S1,100\n", &big, CC_ERR_DATA,
                 ":2: cost 100 times the unit factor");

    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    const char *dup[2] = {"S1", "S1"};
    cc_incidence *inc = NULL;
    CHECK_INT(cc_siting_matrix_read(ctx, path, NULL, 3, pts, 2, dup, &inc, NULL), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "candidate id 'S1' is given twice");
    CHECK_INT(cc_siting_matrix_read(ctx, "/nonexistent/m.csv", NULL, 3, pts, 2, cands, &inc, NULL),
              CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "/nonexistent/m.csv");
    /* Out-of-memory at every allocation: NOMEM, nothing leaked (valgrind run). */
    write_file("origin,destination,cost\na,S1,1\n\"b,1\",S2,2\n");
    for (long nth = 1; nth < 20; nth++) {
        double *dense = NULL;
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = cc_siting_matrix_read(ctx, path, NULL, 3, pts, 2, cands, &inc, &dense);
        cc_ctx_set_alloc_fail(ctx, 0);
        CHECK(st == CC_OK || st == CC_ERR_NOMEM);
        if (st == CC_OK) {
            CHECK_INT(inc->n, 2);
            cc_incidence_destroy(inc);
            cc_free(dense);
        }
    }
    cc_ctx_destroy(ctx);
    unlink(path);
}

int main(void)
{
    test_good();
    test_errors();
    return cc_test_done();
}
