/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text writer (cc_tw): a growable buffer in front of a FILE that keeps its first failure, so
 * output code is a plain list of calls with one status at the end (cc_tw_end). CSV fields get
 * their commas, JSON containers their commas, colons, newlines and indentation, so no writer
 * counts separators or indents by hand.
 */
#include "core/internal.h"

#include <math.h>
#include <string.h>

#define TW_FLUSH_BYTES (1u << 20)

void cc_tw_init(cc_tw *w, cc_ctx *ctx, FILE *fp, cc_tw_mode mode)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->fp = fp;
    w->mode = mode;
}

cc_status cc_tw_fail(cc_tw *w, cc_status rc)
{
    if (!w->rc) w->rc = rc;
    return w->rc;
}

cc_status cc_tw_flush(cc_tw *w, int force)
{
    if (w->rc || !w->fp) return w->rc;
    if (!force && w->buf.len < TW_FLUSH_BYTES) return CC_OK;
    if (w->buf.len && fwrite(w->buf.s, 1, w->buf.len, w->fp) != w->buf.len) {
        cc_status rc = CC_ERR_IO;
        if (w->ctx)
            rc = cc_error(w->ctx, CC_ERR_IO,
                          "write failed (disk full?); free disk space or choose another --out");
        return cc_tw_fail(w, rc);
    }
    cc_buf_reset(&w->buf);
    return CC_OK;
}

cc_status cc_tw_end(cc_tw *w)
{
    if (w->fp) {
        cc_tw_flush(w, 1);
        cc_buf_free(&w->buf);
    }
    return w->rc;
}

cc_status cc_tw_append(cc_tw *w, const char *s, size_t n)
{
    if (w->rc) return w->rc;
    cc_tw_fail(w, cc_buf_append(w->ctx, &w->buf, s, n));
    return cc_tw_flush(w, 0);
}

cc_status cc_tw_str(cc_tw *w, const char *s)
{
    return cc_tw_append(w, s, strlen(s));
}

cc_status cc_tw_putc(cc_tw *w, char c)
{
    return cc_tw_append(w, &c, 1);
}

cc_status cc_tw_printf(cc_tw *w, const char *fmt, ...)
{
    if (w->rc) return w->rc;
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = cc_vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return cc_tw_fail(w, CC_ERR_INTERNAL);
    if ((size_t)n < sizeof small) return cc_tw_append(w, small, (size_t)n);
    char *big = cc_malloc(w->ctx, (size_t)n + 1);
    if (!big) return cc_tw_fail(w, CC_ERR_NOMEM);
    va_start(ap, fmt);
    cc_vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    cc_tw_append(w, big, (size_t)n);
    cc_free(big);
    return w->rc;
}

cc_status cc_tw_num(cc_tw *w, double v, int decimals)
{
    if (w->rc) return w->rc;
    if (!isfinite(v) && w->mode == CC_TW_CSV) return CC_OK;
    char tmp[48];
    size_t n = cc_fmt_double(tmp, sizeof tmp, v, decimals);
    return cc_tw_append(w, tmp, n);
}

cc_status cc_tw_int(cc_tw *w, long long v)
{
    return cc_tw_printf(w, "%lld", v);
}

/* ---- CSV ---- */

/* The comma before every field of a row but the first. */
static cc_status csv_sep(cc_tw *w)
{
    if (w->row_started) return cc_tw_putc(w, ',');
    w->row_started = 1;
    return w->rc;
}

cc_status cc_tw_csv_field(cc_tw *w, const char *s)
{
    if (csv_sep(w)) return w->rc;
    cc_tw_fail(w, cc_buf_put_csv_field(w->ctx, &w->buf, s));
    return cc_tw_flush(w, 0);
}

cc_status cc_tw_csv_raw(cc_tw *w, const char *s)
{
    if (csv_sep(w)) return w->rc;
    return s ? cc_tw_str(w, s) : w->rc;
}

cc_status cc_tw_csv_num(cc_tw *w, double v, int decimals)
{
    if (csv_sep(w)) return w->rc;
    return cc_tw_num(w, v, decimals);
}

cc_status cc_tw_csv_int(cc_tw *w, long long v)
{
    if (csv_sep(w)) return w->rc;
    return cc_tw_int(w, v);
}

cc_status cc_tw_csv_empty(cc_tw *w)
{
    return csv_sep(w);
}

cc_status cc_tw_csv_row_end(cc_tw *w)
{
    w->row_started = 0;
    return cc_tw_putc(w, '\n');
}

/* ---- JSON ---- */

static cc_status indent(cc_tw *w, int levels)
{
    static const char sp[] = "                                                                ";
    size_t n = 2 * (size_t)levels;
    while (!w->rc && n) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        cc_tw_append(w, sp, k);
        n -= k;
    }
    return w->rc;
}

/* What goes before a value or a key: nothing after a key, else the separator the enclosing
   container's layout asks for. */
static cc_status json_before(cc_tw *w)
{
    if (w->rc) return w->rc;
    if (w->after_key) {
        w->after_key = 0;
        return CC_OK;
    }
    if (w->depth == 0) return CC_OK;
    int d = w->depth - 1, first = w->empty[d];
    w->empty[d] = 0;
    switch (w->layout[d] & 0x7f) {
    case CC_TW_BLOCK:
        cc_tw_str(w, first ? "\n" : ",\n");
        return indent(w, w->depth);
    case CC_TW_INLINE:
        return first ? CC_OK : cc_tw_str(w, ", ");
    default:
        return first ? CC_OK : cc_tw_putc(w, ',');
    }
}

static cc_status json_open(cc_tw *w, char c, cc_tw_layout layout)
{
    if (json_before(w)) return w->rc;
    if (w->depth >= CC_TW_MAX_DEPTH) return cc_tw_fail(w, CC_ERR_INTERNAL);
    w->layout[w->depth] = (unsigned char)(layout | (c == '[' ? 0x80 : 0));
    w->empty[w->depth] = 1;
    w->depth++;
    return cc_tw_putc(w, c);
}

cc_status cc_tw_json_object(cc_tw *w, cc_tw_layout layout)
{
    return json_open(w, '{', layout);
}

cc_status cc_tw_json_array(cc_tw *w, cc_tw_layout layout)
{
    return json_open(w, '[', layout);
}

cc_status cc_tw_json_close(cc_tw *w)
{
    if (w->rc) return w->rc;
    if (w->depth == 0 || w->after_key) return cc_tw_fail(w, CC_ERR_INTERNAL);
    int d = --w->depth;
    /* The bracket matching the opening one (kept in the layout's high bit). */
    char close = (w->layout[d] & 0x80) ? ']' : '}';
    if ((w->layout[d] & 0x7f) == CC_TW_BLOCK && !w->empty[d]) {
        cc_tw_putc(w, '\n');
        indent(w, d);
    }
    return cc_tw_putc(w, close);
}

/* The colon after a key (a space too in block and line layouts). */
static cc_status key_colon(cc_tw *w)
{
    int compact = w->depth > 0 && (w->layout[w->depth - 1] & 0x7f) == CC_TW_COMPACT;
    cc_tw_str(w, compact ? ":" : ": ");
    w->after_key = 1;
    return w->rc;
}

cc_status cc_tw_json_key(cc_tw *w, const char *key)
{
    if (json_before(w)) return w->rc;
    cc_tw_fail(w, cc_buf_put_json_string(w->ctx, &w->buf, key));
    return key_colon(w);
}

cc_status cc_tw_json_key_encoded(cc_tw *w, const char *enc, size_t n)
{
    if (json_before(w)) return w->rc;
    cc_tw_fail(w, cc_buf_append(w->ctx, &w->buf, enc, n));
    return key_colon(w);
}

cc_status cc_tw_json_str(cc_tw *w, const char *s)
{
    if (json_before(w)) return w->rc;
    cc_tw_fail(w, cc_buf_put_json_string(w->ctx, &w->buf, s));
    return cc_tw_flush(w, 0);
}

cc_status cc_tw_json_num(cc_tw *w, double v, int decimals)
{
    if (json_before(w)) return w->rc;
    char tmp[48];
    size_t n = cc_fmt_double(tmp, sizeof tmp, v, decimals); /* non-finite: null */
    return cc_tw_append(w, tmp, n);
}

cc_status cc_tw_json_int(cc_tw *w, long long v)
{
    if (json_before(w)) return w->rc;
    return cc_tw_int(w, v);
}

cc_status cc_tw_json_bool(cc_tw *w, int v)
{
    return cc_tw_json_raw(w, v ? "true" : "false");
}

cc_status cc_tw_json_null(cc_tw *w)
{
    return cc_tw_json_raw(w, "null");
}

cc_status cc_tw_json_raw(cc_tw *w, const char *json)
{
    if (json_before(w)) return w->rc;
    return cc_tw_str(w, json);
}

cc_status cc_tw_json_kstr(cc_tw *w, const char *key, const char *s)
{
    cc_tw_json_key(w, key);
    return cc_tw_json_str(w, s);
}

cc_status cc_tw_json_knum(cc_tw *w, const char *key, double v, int decimals)
{
    cc_tw_json_key(w, key);
    return cc_tw_json_num(w, v, decimals);
}

cc_status cc_tw_json_kint(cc_tw *w, const char *key, long long v)
{
    cc_tw_json_key(w, key);
    return cc_tw_json_int(w, v);
}

cc_status cc_tw_json_kbool(cc_tw *w, const char *key, int v)
{
    cc_tw_json_key(w, key);
    return cc_tw_json_bool(w, v);
}
