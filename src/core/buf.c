/*
 * Small containers: a growable string builder with JSON/CSV escaping, and a growable array.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

cc_status cc_buf_reserve(cc_ctx *ctx, cc_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return CC_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) return cc_error(ctx, CC_ERR_NOMEM, "string buffer too large");
        cap *= 2;
    }
    char *s = cc_realloc_array(ctx, b->s, cap, 1);
    if (!s) return CC_ERR_NOMEM;
    b->s = s;
    b->cap = cap;
    return CC_OK;
}

cc_status cc_buf_append(cc_ctx *ctx, cc_buf *b, const char *s, size_t n)
{
    cc_status st = cc_buf_reserve(ctx, b, n);
    if (st) return st;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return CC_OK;
}

cc_status cc_buf_puts(cc_ctx *ctx, cc_buf *b, const char *s)
{
    return cc_buf_append(ctx, b, s, strlen(s));
}

cc_status cc_buf_putc(cc_ctx *ctx, cc_buf *b, char c)
{
    return cc_buf_append(ctx, b, &c, 1);
}

cc_status cc_buf_put_int(cc_ctx *ctx, cc_buf *b, long long v)
{
    char tmp[32];
    char *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return cc_buf_append(ctx, b, p, (size_t)(tmp + sizeof tmp - p));
}

cc_status cc_buf_put_double(cc_ctx *ctx, cc_buf *b, double v, int max_decimals)
{
    char tmp[48];
    size_t n = cc_fmt_double(tmp, sizeof tmp, v, max_decimals);
    return cc_buf_append(ctx, b, tmp, n);
}

cc_status cc_buf_put_json_string(cc_ctx *ctx, cc_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    cc_status st = cc_buf_putc(ctx, b, '"');
    for (const unsigned char *p = (const unsigned char *)s; !st && *p; p++) {
        unsigned char c = *p;
        if (c == '"')
            st = cc_buf_append(ctx, b, "\\\"", 2);
        else if (c == '\\')
            st = cc_buf_append(ctx, b, "\\\\", 2);
        else if (c == '\n')
            st = cc_buf_append(ctx, b, "\\n", 2);
        else if (c == '\r')
            st = cc_buf_append(ctx, b, "\\r", 2);
        else if (c == '\t')
            st = cc_buf_append(ctx, b, "\\t", 2);
        else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            st = cc_buf_append(ctx, b, e, 6);
        } else if (c == '<' || c == '>' || c == '&') {
            /* Escaped so the JSON can be embedded in HTML <script> blocks safely. */
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            st = cc_buf_append(ctx, b, e, 6);
        } else
            st = cc_buf_putc(ctx, b, (char)c);
    }
    if (!st) st = cc_buf_putc(ctx, b, '"');
    return st;
}

cc_status cc_buf_put_csv_field(cc_ctx *ctx, cc_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) return cc_buf_puts(ctx, b, s);
    cc_status st = cc_buf_putc(ctx, b, '"');
    for (const char *p = s; !st && *p; p++) {
        if (*p == '"')
            st = cc_buf_append(ctx, b, "\"\"", 2);
        else
            st = cc_buf_putc(ctx, b, *p);
    }
    if (!st) st = cc_buf_putc(ctx, b, '"');
    return st;
}

void cc_buf_reset(cc_buf *b)
{
    b->len = 0;
    if (b->s) b->s[0] = '\0';
}

void cc_buf_free(cc_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

cc_status cc_vec_reserve(cc_ctx *ctx, cc_vec *v, size_t cap)
{
    if (cap <= v->cap) return CC_OK;
    size_t ncap = v->cap ? v->cap : 16;
    while (ncap < cap) {
        if (ncap > ((size_t)-1) / 2) return cc_error(ctx, CC_ERR_NOMEM, "array too large");
        ncap *= 2;
    }
    void *d = cc_realloc_array(ctx, v->data, ncap, v->elem);
    if (!d) return CC_ERR_NOMEM;
    v->data = d;
    v->cap = ncap;
    return CC_OK;
}

cc_status cc_vec_push(cc_ctx *ctx, cc_vec *v, const void *elem)
{
    cc_status st = cc_vec_reserve(ctx, v, v->len + 1);
    if (st) return st;
    memcpy((char *)v->data + v->len * v->elem, elem, v->elem);
    v->len++;
    return CC_OK;
}

void cc_vec_free(cc_vec *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}
