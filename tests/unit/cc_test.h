/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny test harness: CHECK macros count passes and failures; cc_test_done() prints the
 * closing "N passed, N failed" line and returns the exit code.
 */
#ifndef CC_TEST_H
#define CC_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int cc_test_pass, cc_test_fail;

#define CC__REPORT(ok, ...)                                                                        \
    do {                                                                                           \
        if (ok) {                                                                                  \
            cc_test_pass++;                                                                        \
        } else {                                                                                   \
            cc_test_fail++;                                                                        \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);                                  \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK(cond) CC__REPORT((cond), "%s", #cond)
#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long cc__a = (long long)(a), cc__b = (long long)(b);                                  \
        CC__REPORT(cc__a == cc__b, "%s == %s (%lld vs %lld)", #a, #b, cc__a, cc__b);               \
    } while (0)
#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double cc__a = (double)(a), cc__b = (double)(b);                                           \
        CC__REPORT(fabs(cc__a - cc__b) <= (tol), "%s ~= %s (%.10g vs %.10g, tol %g)", #a, #b,      \
                   cc__a, cc__b, (double)(tol));                                                   \
    } while (0)
#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *cc__a = (a), *cc__b = (b);                                                     \
        CC__REPORT(cc__a && cc__b && strcmp(cc__a, cc__b) == 0, "%s == %s (\"%s\" vs \"%s\")", #a, \
                   #b, cc__a ? cc__a : "(null)", cc__b ? cc__b : "(null)");                       \
    } while (0)
/* The context message contains a substring. */
#define CHECK_CONTAINS(hay, needle)                                                                \
    do {                                                                                           \
        const char *cc__h = (hay), *cc__n = (needle);                                              \
        CC__REPORT(cc__h && strstr(cc__h, cc__n), "'%s' contains '%s'", cc__h ? cc__h : "(null)",  \
                   cc__n);                                                                         \
    } while (0)

static inline int cc_test_done(void)
{
    printf("%d passed, %d failed\n", cc_test_pass, cc_test_fail);
    return cc_test_fail ? 1 : 0;
}

#endif
