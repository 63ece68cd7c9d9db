/* SPDX-License-Identifier: Apache-2.0 */
/*
 * siting: a small RFC 4180 CSV row reader for cost matrices (quoted fields with "" escapes and
 * embedded newlines, CRLF or LF, a UTF-8 BOM; unquoted fields are trimmed of spaces and tabs).
 */
#include "siting/siting_internal.h"

#include <string.h>

void cc__csv_init(cc__csv *r, const char *path, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->p = text;
    r->end = text + len;
    r->line = 1;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        r->p += 3;
}

void cc__csv_free(cc__csv *r)
{
    cc_buf_free(&r->scratch);
    cc_free(r->off);
    r->off = NULL;
}

const char *cc__csv_field(const cc__csv *r, size_t k)
{
    return r->scratch.s + r->off[k];
}

static cc_status start_field(cc_ctx *ctx, cc__csv *r)
{
    if (r->n_fields == r->cap_fields) {
        size_t nc = r->cap_fields ? 2 * r->cap_fields : 16;
        size_t *o = cc_realloc_array(ctx, r->off, nc, sizeof *o);
        if (!o) return CC_ERR_NOMEM;
        r->off = o;
        r->cap_fields = nc;
    }
    r->off[r->n_fields++] = r->scratch.len;
    return CC_OK;
}

static int is_eol(char ch)
{
    return ch == '\n' || ch == '\r';
}

/* Consume one line end (CRLF, LF or CR). */
static void eat_eol(cc__csv *r)
{
    if (r->p < r->end && *r->p == '\r') r->p++;
    if (r->p < r->end && *r->p == '\n') r->p++;
    r->line++;
}

cc_status cc__csv_next(cc_ctx *ctx, cc__csv *r, size_t *n_fields)
{
    cc_status st;
    *n_fields = 0;
    r->n_fields = 0;
    cc_buf_reset(&r->scratch);
    /* Skip empty lines. */
    while (r->p < r->end && is_eol(*r->p))
        eat_eol(r);
    if (r->p >= r->end) return CC_OK;
    r->row_line = r->line;
    for (;;) {
        if ((st = start_field(ctx, r))) return st;
        if (r->p < r->end && *r->p == '"') {
            size_t open_line = r->line;
            r->p++;
            for (;;) {
                if (r->p >= r->end)
                    return cc_error(ctx, CC_ERR_DATA,
                                    "%s:%zu: quoted field never closed; add the closing '\"'",
                                    r->path, open_line);
                char ch = *r->p++;
                if (ch == '"') {
                    if (r->p < r->end && *r->p == '"') {
                        r->p++;
                    } else {
                        break;
                    }
                } else if (ch == '\n') {
                    r->line++;
                }
                if ((st = cc_buf_putc(ctx, &r->scratch, ch))) return st;
            }
            while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
                r->p++;
            if (r->p < r->end && *r->p != ',' && !is_eol(*r->p))
                return cc_error(ctx, CC_ERR_DATA,
                                "%s:%zu: unexpected '%c' after a closing quote; quote the whole "
                                "field and double inner quotes",
                                r->path, r->line, *r->p);
        } else {
            const char *s = r->p;
            while (r->p < r->end && *r->p != ',' && !is_eol(*r->p))
                r->p++;
            const char *e = r->p;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if ((st = cc_buf_append(ctx, &r->scratch, s, (size_t)(e - s)))) return st;
        }
        if ((st = cc_buf_putc(ctx, &r->scratch, '\0'))) return st;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end) eat_eol(r);
        break;
    }
    *n_fields = r->n_fields;
    return CC_OK;
}
