/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: locale-independent numbers. Mode 0 parses the input text with
 * cc_parse_double; whatever parses and is finite must survive a cc_fmt_double round trip.
 * Mode 1 takes 8 raw bytes as a double and checks the same round trip:
 * |parse(format(x, d)) - x| <= 10^-d (plus the double's own rounding for large values).
 */
#include "carecircle/core.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed check: name the line, then abort (libFuzzer saves the input). */
#ifndef CC_FUZZ_DIE
#define CC_FUZZ_DIE() (fprintf(stderr, "%s:%d: check failed\n", __FILE__, __LINE__), abort())
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(double x, int decimals)
{
    char out[64];
    memset(out, 'Z', sizeof out);
    size_t n = cc_fmt_double(out, 40, x, decimals);
    if (n >= 40 || out[n] != '\0' || strlen(out) != n) CC_FUZZ_DIE();
    if (!isfinite(x)) {
        if (strcmp(out, "null") != 0) CC_FUZZ_DIE();
        return;
    }
    if (strchr(out, ',') || strchr(out, 'e') || strchr(out, 'E')) {
        /* An exponent is allowed only for magnitudes that do not fit 40 bytes as decimals. */
        if (fabs(x) * pow(10.0, decimals) < 9.0e18) CC_FUZZ_DIE();
    }
    double y;
    if (cc_parse_double(out, &y) != 0) CC_FUZZ_DIE();
    double tol = pow(10.0, -decimals) * 0.5000001 + fabs(x) * 4e-16;
    if (!(fabs(y - x) <= tol)) CC_FUZZ_DIE();
    /* Trailing zeros are trimmed: a decimal part never ends in '0'. */
    if (strchr(out, '.') && !strchr(out, 'e') && out[n - 1] == '0') CC_FUZZ_DIE();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int mode = data[0] & 1;
    int decimals = (data[0] >> 1) % 10;
    if (mode == 1) {
        if (size < 9) return 0;
        double x;
        memcpy(&x, data + 1, sizeof x);
        round_trip(x, decimals);
        return 0;
    }
    char *s = malloc(size);
    if (!s) return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    double v = 12345.0;
    int rc = cc_parse_double(s, &v);
    if (rc == 0) {
        /* The value must equal strtod's reading of the same text (it has '.' only). Tiny
         * absolute differences (far below 1e-60, from digits past the 100th) are ignored. */
        char *end;
        double w = strtod(s, &end);
        if (isfinite(w) && isfinite(v) && fabs(w - v) > fabs(w) * 1e-15 + 1e-60) CC_FUZZ_DIE();
        round_trip(v, decimals);
    } else if (v != 12345.0) {
        CC_FUZZ_DIE(); /* a failed parse must not write the output */
    }
    free(s);
    return 0;
}
