/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The workbook: tables given as CSV text written as the sheets of one .xlsx file through
 * GDAL's XLSX driver, numbers as numbers. The CSV text is the one written to the output folder,
 * so every figure has one definition: a sheet holds the same values as its CSV file.
 */
#include "io/io_internal.h"

#include <math.h>
#include <string.h>

/* A CSV table: cells row by row (the header row first), NULL for an empty cell. */
typedef struct csv_table {
    char **cell;
    size_t n_rows, n_cols; /* n_rows counts the header */
    size_t n_cells, cap;   /* cells set (a row cut short by an error included), allocated */
} csv_table;

static void table_free(csv_table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        cc_free(t->cell[i]);
    cc_free(t->cell);
    memset(t, 0, sizeof *t);
}

/* One field of RFC 4180 text at *p (advanced past it and its comma or line end) into b;
 *end_row is set at the end of a line. 0, or -1 for a quote left open. */
static int csv_field(cc_ctx *ctx, const char **p, const char *end, cc_buf *b, int *end_row,
                     cc_status *st)
{
    const char *s = *p;
    cc_buf_reset(b);
    *end_row = 0;
    if (s < end && *s == '"') {
        for (s++;; s++) {
            if (s >= end) return -1;
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    s++;
                } else {
                    s++;
                    break;
                }
            }
            if ((*st = cc_buf_putc(ctx, b, *s))) return 0;
        }
    } else {
        const char *e = s;
        while (e < end && *e != ',' && *e != '\n' && *e != '\r')
            e++;
        if (e > s && (*st = cc_buf_append(ctx, b, s, (size_t)(e - s)))) return 0;
        s = e;
    }
    if (s < end && *s == ',') {
        s++;
    } else {
        if (s < end && *s == '\r') s++;
        if (s < end && *s == '\n') s++;
        *end_row = 1;
    }
    *p = s;
    return 0;
}

/* Append a cell (NULL for empty) to t. */
static cc_status put_cell(cc_ctx *ctx, csv_table *t, size_t k, const cc_buf *b)
{
    if (k == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        char **c = cc_realloc_array(ctx, t->cell, cap, sizeof *c);
        if (!c) return CC_ERR_NOMEM;
        t->cell = c;
        t->cap = cap;
    }
    t->cell[k] = NULL;
    t->n_cells = k + 1;
    if (b->len && !(t->cell[k] = cc_strndup(ctx, b->s, b->len))) return CC_ERR_NOMEM;
    return CC_OK;
}

/* Parse the CSV text of sheet s into t: a leading byte-order mark skipped, short rows padded
   with empty cells, a row longer than the header refused. */
static cc_status parse_csv(cc_ctx *ctx, const cc_sheet *s, csv_table *t)
{
    const char *p = s->csv, *end = s->csv + s->csv_len;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    cc_buf b = {0};
    cc_status st = CC_OK;
    size_t k = 0, col = 0;
    while (!st && p < end) {
        int end_row = 0;
        if (csv_field(ctx, &p, end, &b, &end_row, &st) < 0) {
            st = cc_error(ctx, CC_ERR_INVALID, "workbook sheet '%s': a quoted field is not closed",
                          s->name);
            break;
        }
        if (st) break;
        if (t->n_rows > 0 && col >= t->n_cols) {
            st = cc_error(ctx, CC_ERR_INVALID,
                          "workbook sheet '%s': line %zu has more fields than the header (%zu)",
                          s->name, t->n_rows + 1, t->n_cols);
            break;
        }
        if ((st = put_cell(ctx, t, k++, &b))) break;
        col++;
        if (!end_row) continue;
        if (t->n_rows == 0) t->n_cols = col;
        for (; !st && col < t->n_cols; col++) /* a short row: empty cells */
            st = put_cell(ctx, t, k++, &(cc_buf){0});
        t->n_rows++;
        col = 0;
    }
    cc_buf_free(&b);
    if (!st && t->n_rows == 0)
        st = cc_error(ctx, CC_ERR_INVALID, "workbook sheet '%s': the table has no header", s->name);
    return st;
}

/* A number as the tables write them: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?, so that
   "007" (an id with leading zeros), "1,000", "+5" or " 5" stay text. *whole: no fraction or
   exponent. */
static int is_number(const char *s, int *whole)
{
    const char *p = s;
    if (*p == '-') p++;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (*p >= '0' && *p <= '9')
            p++;
    } else {
        return 0;
    }
    *whole = 1;
    if (*p == '.') {
        *whole = 0;
        if (!(*++p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        *whole = 0;
        p++;
        if (*p == '-' || *p == '+') p++;
        if (!(*p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0' && (size_t)(p - s) < 32;
}

/* An identifier column ("id", "site_id", "district_id") stays text whatever it holds. */
static int id_column(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return (n == 2 && cc__ascii_casecmp(name, "id") == 0) ||
           (n > 3 && cc__ascii_casecmp(name + n - 3, "_id") == 0);
}

/* The type of column j: text, or numbers when every non-empty cell is one (whole numbers
   without an empty cell: integers). */
static cc_field_type column_type(const csv_table *t, size_t j)
{
    if (id_column(t->cell[j])) return CC_FIELD_STRING;
    int any = 0, all_whole = 1, empty = 0;
    for (size_t i = 1; i < t->n_rows; i++) {
        const char *c = t->cell[i * t->n_cols + j];
        int whole;
        if (!c) {
            empty = 1;
            continue;
        }
        if (!is_number(c, &whole)) return CC_FIELD_STRING;
        /* 15 digits: every such integer is exact in a double and in Excel */
        if (!whole || strlen(c) > 15) all_whole = 0;
        any = 1;
    }
    if (!any) return CC_FIELD_STRING;
    return all_whole && !empty ? CC_FIELD_INT : CC_FIELD_REAL;
}

/* The values of column j as the writer takes them. */
static cc_status column_values(cc_ctx *ctx, const csv_table *t, size_t j, cc_field_type type,
                               void **out)
{
    size_t n = t->n_rows - 1;
    if (type == CC_FIELD_STRING) {
        const char **v = cc_malloc_array(ctx, n ? n : 1, sizeof *v);
        if (!v) return CC_ERR_NOMEM;
        for (size_t i = 0; i < n; i++)
            v[i] = t->cell[(i + 1) * t->n_cols + j];
        *out = (void *)v;
        return CC_OK;
    }
    if (type == CC_FIELD_INT) {
        int64_t *v = cc_malloc_array(ctx, n ? n : 1, sizeof *v);
        if (!v) return CC_ERR_NOMEM;
        for (size_t i = 0; i < n; i++)
            v[i] = strtoll(t->cell[(i + 1) * t->n_cols + j], NULL, 10);
        *out = v;
        return CC_OK;
    }
    double *v = cc_malloc_array(ctx, n ? n : 1, sizeof *v);
    if (!v) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *c = t->cell[(i + 1) * t->n_cols + j];
        v[i] = NAN;
        if (c && cc_parse_double(c, &v[i]) != 0) v[i] = NAN;
    }
    *out = v;
    return CC_OK;
}

/* A name Excel accepts for a sheet: 1 to 31 characters, none of []:*?/\ . */
static int sheet_name_ok(const char *name)
{
    if (!name || !*name || strpbrk(name, "[]:*?/\\") || !CPLIsUTF8(name, -1)) return 0;
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    return chars <= 31;
}

/* One sheet into the open workbook. */
static cc_status add_sheet(cc_ctx *ctx, cc_io_writer *w, const cc_sheet *s)
{
    if (!sheet_name_ok(s->name))
        return cc_error(ctx, CC_ERR_INVALID,
                        "workbook: sheet name '%s' is not allowed (1 to 31 characters, none of "
                        "[]:*?/\\)",
                        s->name ? s->name : "");
    csv_table t;
    memset(&t, 0, sizeof t);
    cc_status st = parse_csv(ctx, s, &t);
    cc_out_field *f = st ? NULL : cc_calloc(ctx, t.n_cols, sizeof *f);
    if (!st && !f) st = CC_ERR_NOMEM;
    for (size_t j = 0; !st && j < t.n_cols; j++) {
        const char *col = t.cell[j] ? t.cell[j] : "";
        const char *label = s->header ? s->header(col, s->header_arg) : NULL;
        f[j].name = label && *label ? label : col;
        for (size_t m = 0; m < j; m++) /* a label taken already: the column's own name */
            if (strcmp(f[m].name, f[j].name) == 0) f[j].name = col;
        f[j].type = column_type(&t, j);
        st = column_values(ctx, &t, j, f[j].type, (void **)&f[j].values);
        if (!st && !*f[j].name)
            st = cc_error(ctx, CC_ERR_INVALID, "workbook sheet '%s': column %zu has no name",
                          s->name, j + 1);
    }
    if (!st) st = cc_io_writer_add_layer(ctx, w, s->name, NULL, NULL, t.n_rows - 1, f, t.n_cols);
    for (size_t j = 0; f && j < t.n_cols; j++)
        cc_free((void *)f[j].values);
    cc_free(f);
    table_free(&t);
    return st;
}

cc_status cc_io_write_workbook(cc_ctx *ctx, const char *path, const cc_sheet *sheets, size_t n)
{
    if (!path || !*path || (n && !sheets))
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_write_workbook: no path or no sheets");
    if (n == 0)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_write_workbook: %s: a workbook needs a sheet",
                        path);
    for (size_t k = 0; k < n; k++)
        for (size_t m = 0; m < k; m++)
            if (sheets[k].name && sheets[m].name && strcmp(sheets[k].name, sheets[m].name) == 0)
                return cc_error(ctx, CC_ERR_INVALID, "workbook: two sheets named '%s'",
                                sheets[k].name);
    cc_io_writer *w = NULL;
    cc_status st = cc_io_writer_open(ctx, path, "XLSX", 0, &w);
    for (size_t k = 0; !st && k < n; k++)
        st = add_sheet(ctx, w, &sheets[k]);
    if (st) {
        cc_io_writer_discard(w);
        return st;
    }
    return cc_io_writer_close(ctx, w);
}
