/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector reader, numbers: a numeric value of any field type, text parsed locale-independently,
 * values GDAL cut to fit read from their text (GDAL's warnings, GeoPackage values stored as
 * another type than their column's, the text of .csvt-typed CSV cells), and the message for
 * each kind of bad value.
 */
#include "io/io_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_stored(const void *a, const void *b)
{
    const cc__stored_text *x = a, *y = b;
    if (x->field != y->field) return x->field < y->field ? -1 : 1;
    return (x->fid > y->fid) - (x->fid < y->fid);
}

/* A number written as text, parsed locale-independently: CC__NUM_OK, CC__NUM_NULL (blank),
 * CC__NUM_BAD, CC__NUM_INF or CC__NUM_RANGE. */
int cc__vr_parse_number(const char *s, double *v)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (!*p) return CC__NUM_NULL;
    if (cc_parse_double(s, v) != 0) {
        /* cc_parse_double allows spaces/tabs only; also accept a trailing CR from CSVs. */
        char tmp[128];
        size_t n = strlen(s);
        while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' '))
            n--;
        if (n >= sizeof tmp) return CC__NUM_BAD;
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        if (cc_parse_double(tmp, v) != 0) return CC__NUM_BAD;
    }
    if (!isfinite(*v)) return CC__NUM_INF;
    if (fabs(*v) > CC__NUM_MAX) return CC__NUM_RANGE;
    return CC__NUM_OK;
}

/* GDAL's "LAYER.FIELD" (or "FIELD") names field fn. */
static int warned_field(const char *spec, const char *fn)
{
    size_t a = strlen(spec), b = strlen(fn);
    return a >= b && strcmp(spec + a - b, fn) == 0 && (a == b || spec[a - b - 1] == '.');
}

/*
 * Read a numeric value from any field type. Text is parsed locale-independently. A typed
 * column whose value GDAL cut to fit ("1.5e3" or "40.9" into an Integer column, 99999999999
 * clamped to 2147483647) is read from the file's text instead, so numbers are numbers
 * whatever the column type claims. *raw receives the text parsed, if any.
 */
int cc__vr_read_number(cc__vreader *r, int idx, int64_t fid, double *v, const char **raw)
{
    *raw = NULL;
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(r->defn, idx);
    const char *fn = OGR_Fld_GetNameRef(fd);
    OGRFieldType t = OGR_Fld_GetType(fd);
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        if (r->n_stored) {
            cc__stored_text key = {idx, fid, NULL};
            const cc__stored_text *e =
                bsearch(&key, r->stored, r->n_stored, sizeof *r->stored, cmp_stored);
            if (e) {
                *raw = e->text;
                return cc__vr_parse_number(*raw, v);
            }
        }
        /* GDAL's value must be the one the warning names: a where filter may have read (and
         * skipped) other features in the same call, whose warnings come first. */
        double got =
            OGR_F_IsFieldSetAndNotNull(r->feat, idx) ? OGR_F_GetFieldAsDouble(r->feat, idx) : NAN;
        for (int k = r->errs.n_numwarn - 1; k >= 0; k--)
            if (warned_field(r->errs.numwarn[k].field, fn) && r->errs.numwarn[k].to == got) {
                *raw = r->errs.numwarn[k].raw;
                return cc__vr_parse_number(*raw, v);
            }
        if (!OGR_F_IsFieldSetAndNotNull(r->feat, idx)) {
            /* empty, or text GDAL could not type (CSV): look at the text */
            const char *text;
            if (r->is_csv && cc__vr_csvt_cell(r, idx, fid, &text)) {
                *raw = text;
                return cc__vr_parse_number(text, v);
            }
            if (r->errs.badtype_record == (long long)fid && strcmp(r->errs.badtype_field, fn) == 0)
                return CC__NUM_TEXT;
            return CC__NUM_NULL;
        }
        *v = OGR_F_GetFieldAsDouble(r->feat, idx);
        if (isnan(*v)) return CC__NUM_NAN;
        if (!isfinite(*v)) return CC__NUM_INF;
        if (fabs(*v) > CC__NUM_MAX) return CC__NUM_RANGE;
        return CC__NUM_OK;
    }
    if (!OGR_F_IsFieldSetAndNotNull(r->feat, idx)) return CC__NUM_NULL;
    const char *s = OGR_F_GetFieldAsString(r->feat, idx);
    *raw = s;
    return cc__vr_parse_number(s, v);
}

/* The message for a value cc__vr_read_number refused (s is not CC__NUM_OK / CC__NUM_NULL). */
cc_status cc__vr_number_error(cc__vreader *r, int s, int64_t fid, const char *what, const char *fn,
                              const char *raw, double v)
{
    char lb[48], num[48];
    const char *at = cc__vr_label(r, fid, lb, sizeof lb);
    switch (s) {
    case CC__NUM_BAD:
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' value '%s' is not a number (use '.' as the decimal "
                        "mark, no units or thousands separators)",
                        r->req->path, at, what, fn, raw ? raw : "");
    case CC__NUM_NAN:
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' is not a number (NaN); fix or remove this feature",
                        r->req->path, at, what, fn);
    case CC__NUM_TEXT:
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' holds text that is not a number (the .csvt declares "
                        "the column numeric); use '.' as the decimal mark, no units or "
                        "thousands separators",
                        r->req->path, at, what, fn);
    case CC__NUM_RANGE:
        cc_fmt_double(num, sizeof num, v, 3);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' value '%s' is out of range (more than 10^15 in size); "
                        "check the value",
                        r->req->path, at, what, fn, raw ? raw : num);
    default:
        return cc_error(r->ctx, CC_ERR_DATA, "%s: %s: %s '%s' is infinite", r->req->path, at, what,
                        fn);
    }
}

/* An SQL identifier in double quotes. */
cc_status cc__vr_put_ident(cc_ctx *ctx, cc_buf *b, const char *name)
{
    cc_status st = cc_buf_putc(ctx, b, '"');
    for (const char *c = name; !st && *c; c++)
        st = *c == '"' ? cc_buf_puts(ctx, b, "\"\"") : cc_buf_putc(ctx, b, *c);
    if (!st) st = cc_buf_putc(ctx, b, '"');
    return st;
}

/*
 * GeoPackage columns are SQLite columns: an INTEGER column can hold 40.9 or the text '1,000',
 * which GDAL reads as 40 and 1 without a word. For each numeric column read, find the values
 * stored as another type (usually none) and keep their text, which cc__vr_read_number then parses.
 */
cc_status cc__vr_gpkg_stored_text(cc__vreader *r)
{
    if (strcmp(r->drv, "GPKG") != 0) return CC_OK;
    const char *fidname = OGR_L_GetFIDColumn(r->lyr);
    if (!fidname || !*fidname) return CC_OK;
    cc_ctx *ctx = r->ctx;
    int cols[2 + 64];
    size_t nc = 0;
    if (r->ix >= 0) cols[nc++] = r->ix;
    if (r->iy >= 0) cols[nc++] = r->iy;
    for (size_t k = 0; k < r->L->n_num && nc < sizeof cols / sizeof cols[0]; k++)
        cols[nc++] = r->inum[k];
    for (size_t c = 0; c < nc; c++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(r->defn, cols[c]);
        OGRFieldType t = OGR_Fld_GetType(fd);
        if (t != OFTInteger && t != OFTInteger64 && t != OFTReal) continue;
        cc_buf sql = {0};
        cc_status st = cc_buf_puts(ctx, &sql, "SELECT ");
        if (!st) st = cc__vr_put_ident(ctx, &sql, fidname);
        if (!st) st = cc_buf_puts(ctx, &sql, " + 0 AS k, CAST(");
        if (!st) st = cc__vr_put_ident(ctx, &sql, OGR_Fld_GetNameRef(fd));
        if (!st) st = cc_buf_puts(ctx, &sql, " AS TEXT) AS v FROM ");
        if (!st) st = cc__vr_put_ident(ctx, &sql, OGR_L_GetName(r->lyr));
        if (!st) st = cc_buf_puts(ctx, &sql, " WHERE typeof(");
        if (!st) st = cc__vr_put_ident(ctx, &sql, OGR_Fld_GetNameRef(fd));
        if (!st)
            st = cc_buf_puts(ctx, &sql,
                             t == OFTReal ? ") NOT IN ('integer', 'real', 'null')"
                                          : ") NOT IN ('integer', 'null')");
        if (st) {
            cc_buf_free(&sql);
            return CC_ERR_NOMEM;
        }
        OGRLayerH q = GDALDatasetExecuteSQL(r->ds, sql.s, NULL, NULL);
        cc_buf_free(&sql);
        if (!q) continue;
        OGRFeatureH f;
        while (!st && (f = OGR_L_GetNextFeature(q)) != NULL) {
            if (r->n_stored == r->cap_stored) {
                size_t nc2 = r->cap_stored ? 2 * r->cap_stored : 16;
                void *p = cc_realloc_array(ctx, r->stored, nc2, sizeof *r->stored);
                if (!p)
                    st = CC_ERR_NOMEM;
                else {
                    r->stored = p;
                    r->cap_stored = nc2;
                }
            }
            if (!st) {
                cc__stored_text *e = &r->stored[r->n_stored];
                e->field = cols[c];
                e->fid = (int64_t)OGR_F_GetFieldAsInteger64(f, 0);
                e->text = cc_strdup(ctx, OGR_F_GetFieldAsString(f, 1));
                if (!e->text)
                    st = CC_ERR_NOMEM;
                else
                    r->n_stored++;
            }
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(r->ds, q);
        if (st) return st;
    }
    if (r->n_stored) qsort(r->stored, r->n_stored, sizeof *r->stored, cmp_stored);
    return CC_OK;
}

void cc__vr_free_stored(cc__vreader *r)
{
    for (size_t k = 0; k < r->n_stored; k++)
        cc_free(r->stored[k].text);
    cc_free(r->stored);
}
