/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Locale-independent number formatting and parsing. Outputs must be byte-identical under any
 * LC_NUMERIC, so numbers are built from integers rather than printf("%f").
 */
#include "internal.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One "C" locale object for the process, created on first use. */
static locale_t cc__c_loc = (locale_t)0;
static pthread_once_t cc__c_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    cc__c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

int cc_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap)
{
    pthread_once(&cc__c_once, c_locale_init);
    locale_t old = cc__c_loc ? uselocale(cc__c_loc) : (locale_t)0;
    int n = vsnprintf(out, cap, fmt, ap);
    if (cc__c_loc) uselocale(old);
    return n;
}

int cc_snprintf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = cc_vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return n;
}

static const double pow10_tab[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

size_t cc_fmt_double(char *out, size_t cap, double v, int max_decimals)
{
    char tmp[64];
    size_t n = 0;
    if (!isfinite(v)) {
        n = 4;
        memcpy(tmp, "null", 4);
    } else {
        if (max_decimals < 0) max_decimals = 0;
        if (max_decimals > 9) max_decimals = 9;
        double scale = pow10_tab[max_decimals];
        double a = fabs(v) * scale;
        if (a < 9.0e18) {
            /* Round half away from zero on the scaled value. */
            unsigned long long u = (unsigned long long)(a + 0.5);
            unsigned long long ip = u / (unsigned long long)scale;
            unsigned long long fp = u % (unsigned long long)scale;
            char digits[32];
            int nd = 0;
            do {
                digits[nd++] = (char)('0' + ip % 10);
                ip /= 10;
            } while (ip);
            if (v < 0 && u != 0) tmp[n++] = '-';
            while (nd)
                tmp[n++] = digits[--nd];
            if (fp) {
                char frac[16];
                for (int i = max_decimals - 1; i >= 0; i--) {
                    frac[i] = (char)('0' + fp % 10);
                    fp /= 10;
                }
                int len = max_decimals;
                while (len > 0 && frac[len - 1] == '0')
                    len--;
                tmp[n++] = '.';
                memcpy(tmp + n, frac, (size_t)len);
                n += (size_t)len;
            }
        } else {
            /* Huge values: exponent form; replace a locale decimal comma if any. */
            int k = snprintf(tmp, sizeof tmp, "%.17g", v);
            n = k > 0 ? (size_t)k : 0;
            for (size_t i = 0; i < n; i++)
                if (tmp[i] == ',') tmp[i] = '.';
        }
    }
    if (cap == 0) return n;
    size_t m = n < cap - 1 ? n : cap - 1;
    memcpy(out, tmp, m);
    out[m] = '\0';
    return m;
}

int cc_parse_double(const char *s, double *out)
{
    /*
     * Strict: [ws][sign]digits[.digits][e[sign]digits][ws], '.' only. The digits are
     * rebuilt as "<int><frac>e<exp-len(frac)>" so strtod never sees a decimal mark and the
     * result does not depend on LC_NUMERIC.
     */
    const char *p = s;
    char num[128];
    size_t k = 0, fn = 0;
    int any = 0, exp10 = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '+' || *p == '-') num[k++] = *p++;
    int nonzero = 0; /* leading zeros carry no digits: skip them so they cannot fill num */
    while (*p >= '0' && *p <= '9') {
        if (*p != '0') nonzero = 1;
        if (nonzero) {
            if (k < 100)
                num[k++] = *p;
            else
                exp10++; /* dropped integer digits still count */
        }
        p++;
        any = 1;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (*p != '0') nonzero = 1;
            if (!nonzero)
                exp10--; /* a leading fractional zero: shift the exponent, store nothing */
            else if (k < 100) {
                num[k++] = *p;
                fn++;
            }
            p++;
            any = 1;
        }
    }
    if (!any) return -1;
    if (!nonzero) num[k++] = '0'; /* the value is zero */
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = 0, e = 0;
        if (*p == '+' || *p == '-') eneg = (*p++ == '-');
        if (!(*p >= '0' && *p <= '9')) return -1;
        while (*p >= '0' && *p <= '9') {
            if (e < 100000) e = e * 10 + (*p - '0');
            p++;
        }
        exp10 += eneg ? -e : e;
    }
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (*p) return -1;
    snprintf(num + k, sizeof num - k, "e%d", exp10 - (int)fn);
    char *end;
    double v = strtod(num, &end);
    if (*end) return -1;
    *out = v;
    return 0;
}
