/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small containers: a growable string builder with JSON/CSV/XML escaping, and a growable array.
 * Every text writer here takes NULL, repairs invalid UTF-8 and never copies control characters
 * raw into a format that cannot hold them (docs/outputs.md, "Text in outputs").
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

/* U+FFFD REPLACEMENT CHARACTER: what invalid UTF-8 and unwritable control characters become. */
static const char REPL[] = "\xEF\xBF\xBD";

size_t cc_utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c = p[0];
    size_t n;
    uint32_t min;
    if (c < 0x80) {
        if (cp) *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, c &= 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, c &= 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, c &= 0x07, min = 0x10000;
    else
        return 0;
    /* A NUL terminator is no continuation byte, so this never reads past the string. */
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (p[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    if (cp) *cp = c;
    return n;
}

/* A character no text output carries raw: C0 controls but tab, LF and CR, DEL, C1 controls. */
static int is_ctrl(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
}

void cc__line_clean(char *s)
{
    for (char *p = s; *p;) {
        uint32_t c;
        size_t n = cc_utf8_next(p, &c);
        if (n && (c == '\n' || c == '\r' || c == '\t'))
            *p = ' ';
        else if (!n || is_ctrl(c)) {
            /* A C1 control is two bytes: both become '?'. */
            for (size_t k = 0; k < (n ? n : 1); k++)
                p[k] = '?';
        }
        p += n ? n : 1;
    }
}

int cc_text_is_clean(const char *s)
{
    if (!s) return 1;
    for (const char *p = s; *p;) {
        uint32_t c;
        size_t n = cc_utf8_next(p, &c);
        if (!n || is_ctrl(c)) return 0;
        p += n;
    }
    return 1;
}

/* Marks a byte that starts no valid UTF-8 sequence, for the escapers below. */
#define BAD_BYTE 0xFFFFFFFFu

/* Copy s, writing esc(c) instead of each character for which esc gives a replacement (c is
   BAD_BYTE for each byte of invalid UTF-8); runs of plain text are copied at once. */
static cc_status put_escaped(cc_ctx *ctx, cc_buf *b, const char *s, const char *(*esc)(uint32_t))
{
    cc_status st = CC_OK;
    const char *run = s, *p = s;
    while (!st && *p) {
        uint32_t c;
        size_t n = cc_utf8_next(p, &c);
        const char *e = esc(n ? c : BAD_BYTE);
        if (!e) {
            p += n;
            continue;
        }
        st = cc_buf_append(ctx, b, run, (size_t)(p - run));
        if (!st) st = cc_buf_puts(ctx, b, e);
        p += n ? n : 1;
        run = p;
    }
    if (!st) st = cc_buf_append(ctx, b, run, (size_t)(p - run));
    return st;
}

static const char *text_esc(uint32_t c)
{
    return c == BAD_BYTE || is_ctrl(c) ? REPL : NULL;
}

cc_status cc_buf_put_text(cc_ctx *ctx, cc_buf *b, const char *s)
{
    return s ? put_escaped(ctx, b, s, text_esc) : CC_OK;
}

cc_status cc_buf_put_json_string(cc_ctx *ctx, cc_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) return cc_buf_append(ctx, b, "null", 4);
    cc_status st = cc_buf_putc(ctx, b, '"');
    const char *run = s, *p = s;
    while (!st && *p) {
        unsigned char b0 = (unsigned char)*p;
        if (b0 >= 0x20 && b0 < 0x7f && b0 != '"' && b0 != '\\' && b0 != '<' && b0 != '>' &&
            b0 != '&') {
            p++; /* printable ASCII needing no escape: the common case, no UTF-8 decoding */
            continue;
        }
        uint32_t c;
        size_t n = cc_utf8_next(p, &c);
        const char *e = NULL;
        char u[6] = {'\\', 'u', '0', '0', 0, 0};
        if (!n)
            e = "\\ufffd"; /* invalid UTF-8 (RFC 8259 wants UTF-8): one per bad byte */
        else if (c == '"')
            e = "\\\"";
        else if (c == '\\')
            e = "\\\\";
        else if (c == '\n')
            e = "\\n";
        else if (c == '\r')
            e = "\\r";
        else if (c == '\t')
            e = "\\t";
        else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '<' || c == '>' || c == '&') {
            /* Controls (C0, DEL, C1) as six-character escapes; < > & too, so the JSON can be
               embedded in HTML <script> blocks safely. */
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
        } else {
            p += n; /* plain text: copied with its run */
            continue;
        }
        st = cc_buf_append(ctx, b, run, (size_t)(p - run));
        if (!st) st = e ? cc_buf_puts(ctx, b, e) : cc_buf_append(ctx, b, u, 6);
        p += n ? n : 1;
        run = p;
    }
    if (!st) st = cc_buf_append(ctx, b, run, (size_t)(p - run));
    if (!st) st = cc_buf_putc(ctx, b, '"');
    return st;
}

static const char *xml_esc(uint32_t c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return text_esc(c); /* XML 1.0 has no way to write these, not even as &#...; */
    }
}

cc_status cc_buf_put_xml_text(cc_ctx *ctx, cc_buf *b, const char *s)
{
    return s ? put_escaped(ctx, b, s, xml_esc) : CC_OK;
}

/* A whole decimal number ("-3.5", "+86", "1e-3"): a spreadsheet reads it as a number, never as a
   formula, so it needs no neutralising. */
static int is_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    int digits = 0;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (!digits) return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int cc_csv_needs_guard(const char *s)
{
    if (!s) return 0;
    switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
        return 1;
    case '+':
    case '-':
        return !is_number(s);
    default:
        return 0;
    }
}

static const char *csv_esc(uint32_t c)
{
    return c == '"' ? "\"\"" : text_esc(c);
}

cc_status cc_buf_put_csv_field(cc_ctx *ctx, cc_buf *b, const char *s)
{
    if (!s) return CC_OK; /* an empty field */
    int guard = cc_csv_needs_guard(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (!guard && !quote && cc_text_is_clean(s)) return cc_buf_puts(ctx, b, s);
    cc_status st = quote ? cc_buf_putc(ctx, b, '"') : CC_OK;
    /* OWASP's advice against formula injection: a cell that a spreadsheet would read as a
       formula starts with an apostrophe, which it shows as text. */
    if (!st && guard) st = cc_buf_putc(ctx, b, '\'');
    if (!st) st = put_escaped(ctx, b, s, csv_esc);
    if (!st && quote) st = cc_buf_putc(ctx, b, '"');
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
