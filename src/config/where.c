/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The condition a facility must meet to count as its type (`condition:` of a facility type,
 * docs/scenario.md): comparisons of a named value with a number, joined by `and` and `or`;
 * `and` binds tighter than `or`; no parentheses. Parsed once into a flat list of comparisons,
 * evaluated per facility without allocation.
 */
#include "core/internal.h"
#include "carecircle/config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EXAMPLE "e.g. condition: \"beds >= 50 or floor_area >= 2000\""

typedef struct lexer {
    const char *s;
    size_t i;
    char *err;
    size_t cap;
} lexer;

static cc_status fail(lexer *lx, size_t at, const char *fmt, ...) CC_PRINTF(3, 4);
static cc_status fail(lexer *lx, size_t at, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(lx->err, lx->cap, "at character %zu: %s; " EXAMPLE, at + 1, what);
    return CC_ERR_SCENARIO;
}

static void skip_space(lexer *lx)
{
    while (lx->s[lx->i] == ' ' || lx->s[lx->i] == '\t')
        lx->i++;
}

static int is_name_start(char ch) { return isalpha((unsigned char)ch) || ch == '_'; }
static int is_name_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

/* The word at lx->i (a name or a keyword): its length, 0 when none. */
static size_t word_len(const lexer *lx)
{
    size_t n = 0;
    if (!is_name_start(lx->s[lx->i])) return 0;
    while (is_name_char(lx->s[lx->i + n]))
        n++;
    return n;
}

static int word_is(const lexer *lx, size_t n, const char *kw)
{
    return n == strlen(kw) && strncmp(lx->s + lx->i, kw, n) == 0;
}

static int read_op(lexer *lx)
{
    static const struct {
        const char *t;
        int op;
    } ops[] = {{">=", CC_WHERE_GE}, {"<=", CC_WHERE_LE}, {"==", CC_WHERE_EQ},
               {"!=", CC_WHERE_NE}, {">", CC_WHERE_GT},  {"<", CC_WHERE_LT}};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].t);
        if (strncmp(lx->s + lx->i, ops[k].t, n) == 0) {
            lx->i += n;
            return ops[k].op;
        }
    }
    return -1;
}

/* A number: digits, one optional point, an optional exponent (no sign before it: a
   condition compares with non-negative counts and areas, and -1 would read as a typo). */
static cc_status read_number(lexer *lx, double *out)
{
    size_t at = lx->i, n = 0;
    char buf[64];
    while (isdigit((unsigned char)lx->s[lx->i + n]) || lx->s[lx->i + n] == '.' ||
           ((lx->s[lx->i + n] == 'e' || lx->s[lx->i + n] == 'E') && n > 0) ||
           ((lx->s[lx->i + n] == '+' || lx->s[lx->i + n] == '-') && n > 0 &&
            (lx->s[lx->i + n - 1] == 'e' || lx->s[lx->i + n - 1] == 'E')))
        n++;
    if (n == 0 || n >= sizeof buf)
        return fail(lx, at, "expected a number after the comparison");
    memcpy(buf, lx->s + lx->i, n);
    buf[n] = '\0';
    if (cc_parse_double(buf, out) != 0 || !isfinite(*out))
        return fail(lx, at, "'%s' is not a number", buf);
    lx->i += n;
    return CC_OK;
}

static cc_status read_cmp(lexer *lx, const char *const *names, size_t n_names, cc_where_cmp *c)
{
    skip_space(lx);
    size_t at = lx->i, n = word_len(lx);
    if (n == 0) {
        if (!lx->s[lx->i]) return fail(lx, at, "the condition ends where a name was expected");
        return fail(lx, at, "expected a name, found '%c'", lx->s[lx->i]);
    }
    size_t v = n_names;
    for (size_t k = 0; k < n_names; k++)
        if (strlen(names[k]) == n && strncmp(names[k], lx->s + lx->i, n) == 0) v = k;
    if (v == n_names) {
        char list[256] = "";
        for (size_t k = 0; k < n_names; k++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", names[k]);
        }
        return fail(lx, at, "'%.*s' is not a declared capacity, flag or floor_area (declared: %s)",
                    (int)n, lx->s + lx->i, n_names ? list : "none");
    }
    lx->i += n;
    skip_space(lx);
    at = lx->i;
    int op = read_op(lx);
    if (op < 0) return fail(lx, at, "expected one of >= <= > < == != after '%s'", names[v]);
    skip_space(lx);
    c->var = v;
    c->op = op;
    c->or_next = 0;
    return read_number(lx, &c->value);
}

cc_status cc_where_parse(cc_ctx *ctx, const char *text, const char *const *names, size_t n_names,
                         cc_where *out, char *err, size_t err_cap)
{
    lexer lx = {text, 0, err, err_cap};
    memset(out, 0, sizeof *out);
    if (err_cap) err[0] = '\0';
    size_t cap = 4;
    out->cmp = cc_malloc_array(ctx, cap, sizeof *out->cmp);
    if (!out->cmp) return CC_ERR_NOMEM;
    cc_status st = CC_OK;
    for (;;) {
        if (out->n == cap) {
            cc_where_cmp *p = cc_realloc_array(ctx, out->cmp, cap * 2, sizeof *p);
            if (!p) {
                st = CC_ERR_NOMEM;
                break;
            }
            out->cmp = p;
            cap *= 2;
        }
        if ((st = read_cmp(&lx, names, n_names, &out->cmp[out->n]))) break;
        out->n++;
        skip_space(&lx);
        if (!text[lx.i]) break;
        size_t at = lx.i, n = word_len(&lx);
        if (word_is(&lx, n, "or"))
            out->cmp[out->n - 1].or_next = 1;
        else if (!word_is(&lx, n, "and")) {
            st = fail(&lx, at, "expected 'and' or 'or' after a comparison");
            break;
        }
        lx.i += n;
    }
    if (st) cc_where_free(out);
    return st;
}

static int cmp_holds(const cc_where_cmp *c, double x)
{
    if (isnan(x)) return 0; /* an unknown value meets no comparison */
    switch (c->op) {
    case CC_WHERE_GE: return x >= c->value;
    case CC_WHERE_LE: return x <= c->value;
    case CC_WHERE_GT: return x > c->value;
    case CC_WHERE_LT: return x < c->value;
    case CC_WHERE_EQ: return x == c->value;
    default: return x != c->value;
    }
}

int cc_where_eval(const cc_where *w, const double *values)
{
    if (!w || w->n == 0) return 1;
    int group = 1; /* the current and-group holds so far */
    for (size_t k = 0; k < w->n; k++) {
        group = group && cmp_holds(&w->cmp[k], values[w->cmp[k].var]);
        if (w->cmp[k].or_next || k + 1 == w->n) {
            if (group) return 1;
            group = 1;
        }
    }
    return 0;
}

void cc_where_free(cc_where *w)
{
    if (!w) return;
    cc_free(w->cmp);
    w->cmp = NULL;
    w->n = 0;
}
