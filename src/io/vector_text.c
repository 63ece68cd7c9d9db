/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector reader, names and text: the declared encoding checked, text that is really GBK
 * recognised, fields found by name with a "did you mean" when they are not, and text values
 * read as UTF-8.
 */
#include "io/io_internal.h"

#include <iconv.h>
#include <string.h>

int cc__vr_utf8_name(const char *e)
{
    return cc__ascii_casecmp(e, "UTF-8") == 0 || cc__ascii_casecmp(e, "UTF8") == 0;
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
}

/* Nothing but blanks (an empty CSV cell, spaces). */
int cc__vr_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

/* Next code point of valid UTF-8 text at *p (advanced). */
static unsigned utf8_next(const unsigned char **p)
{
    const unsigned char *q = *p;
    unsigned c = *q++;
    int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (n) c &= 0x3Fu >> n;
    for (; n > 0 && (*q & 0xC0) == 0x80; n--)
        c = (c << 6) | (*q++ & 0x3Fu);
    *p = q;
    return c;
}

/* Chinese text: CJK ideographs, CJK and full-width punctuation. */
static int is_cjk(unsigned c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFF00 && c <= 0xFFEF) || c == 0x00B7 || (c >= 0x2010 && c <= 0x2027);
}

/* Every non-ASCII character of UTF-8 text is Chinese (and there is at least one). */
static int all_cjk(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int any = 0;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        if (!is_cjk(utf8_next(&p))) return 0;
        any = 1;
    }
    return any;
}

/*
 * Text read without a declared encoding that is really GBK/GB18030: its bytes decode as
 * GB18030 to Chinese text, but read as UTF-8 (when they happen to be valid) they do not
 * ("全元医院" in GBK reads as "ȫԪҽԺ"). gbk (cap bytes) receives the GB18030 reading.
 */
static int looks_gbk(const char *s, char *gbk, size_t cap)
{
    if (is_ascii(s)) return 0;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return 0;
    char *in = (char *)s, *out = gbk;
    size_t nin = strlen(s), nout = cap - 1;
    size_t rc = iconv(cd, &in, &nin, &out, &nout);
    iconv_close(cd);
    if (rc == (size_t)-1 || nin != 0) return 0;
    *out = '\0';
    if (!all_cjk(gbk)) return 0;
    return !CPLIsUTF8(s, -1) || !all_cjk(s);
}

/* ---- the reader ---- */

cc_status cc__vr_check_encoding(cc__vreader *r)
{
    const char *enc = r->req->encoding;
    if (!enc || !*enc || cc__vr_utf8_name(enc)) return CC_OK;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: encoding '%s' is not known; use a name such as GBK, GB18030, BIG5, "
                        "SHIFT_JIS or CP1252",
                        r->req->path, enc);
    iconv_close(cd);
    return CC_OK;
}

/* ---- field lookup with a "did you mean" ---- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            int same = cc__ascii_lower(a[i - 1]) == cc__ascii_lower(b[j - 1]);
            size_t v = diag + (same ? 0 : 1);
            if (row[j] + 1 < v) v = row[j] + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
        }
    }
    return row[lb];
}

/* a holds b, in ASCII without case ("pop" in "population"). */
static int contains_ascii(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    for (size_t i = 0; lb && i + lb <= la; i++)
        if (cc__ascii_ncasecmp(a + i, b, lb) == 0) return 1;
    return 0;
}

/*
 * How well field fn answers a misspelt name (higher is better, <= 0 no suggestion): edit
 * similarity (1 - distance / longer length), a bonus when one name holds the other
 * ("pop" / "population"), and the field's type: a number is wanted for counts and
 * coordinates, so a text column of another drivers' typed layer ranks lower, and a column
 * already used for coordinates is never offered for something else.
 */
static double suggest_score(const cc__vreader *r, int i, const char *name, int want_number)
{
    const char *fn = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i));
    size_t d = edit_distance(name, fn);
    if (d == (size_t)-1 || !*fn) return 0;
    size_t la = strlen(name), lb = strlen(fn), m = la > lb ? la : lb;
    double sc = 1.0 - (double)d / (double)m;
    if ((la >= 3 && contains_ascii(fn, name)) || (lb >= 3 && contains_ascii(name, fn))) sc += 0.5;
    if (i == r->ix || i == r->iy) sc -= 1.0;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(r->defn, i));
    int numeric = t == OFTInteger || t == OFTInteger64 || t == OFTReal;
    int csv = r->drv && strcmp(r->drv, "CSV") == 0; /* CSV columns are all text */
    if (want_number && !numeric && !csv) sc -= 0.25;
    if (want_number && numeric) sc += 0.1;
    return sc;
}

static cc_status field_not_found(cc__vreader *r, const char *what, const char *name)
{
    cc_ctx *ctx = r->ctx;
    cc_buf list = {0};
    int nf = OGR_FD_GetFieldCount(r->defn);
    const char *best = NULL;
    double best_sc = 0.5; /* below: no suggestion */
    int want_number =
        strcmp(what, "field") == 0 || strcmp(what, "x_field") == 0 || strcmp(what, "y_field") == 0;
    int gbk_names = 0;
    char tmp[256];
    for (int i = 0; i < nf; i++) {
        const char *fn = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i));
        if (i < 40) {
            if (i) cc_buf_puts(ctx, &list, ", ");
            cc_buf_puts(ctx, &list, fn);
        } else if (i == 40) {
            cc_buf_puts(ctx, &list, ", ...");
        }
        if (r->gbk_check && looks_gbk(fn, tmp, sizeof tmp)) gbk_names = 1;
        double sc = suggest_score(r, i, name, want_number);
        if (sc > best_sc) {
            best_sc = sc;
            best = fn;
        }
    }
    char sfx[160];
    cc__vr_role(r, sfx, sizeof sfx);
    if (gbk_names) {
        cc_error(ctx, CC_ERR_DATA,
                 "%s: layer '%s': %s '%s' not found; the field names look GBK-encoded and the "
                 "Shapefile declares no encoding (.cpg): add encoding: GBK to this layer%s",
                 r->req->path, r->L->layer_name, what, name, sfx);
    } else if (best)
        cc_error(ctx, CC_ERR_DATA,
                 "%s: layer '%s': %s '%s' not found (fields: %s); did you mean '%s'?%s",
                 r->req->path, r->L->layer_name, what, name, list.s ? list.s : "none", best, sfx);
    else
        cc_error(ctx, CC_ERR_DATA,
                 "%s: layer '%s': %s '%s' not found (fields: %s); set it to one of these%s",
                 r->req->path, r->L->layer_name, what, name, list.s ? list.s : "none", sfx);
    cc_buf_free(&list);
    return CC_ERR_DATA;
}

static cc_status find_field(cc__vreader *r, const char *what, const char *name, int required,
                            int *idx)
{
    *idx = -1;
    if (!name || !*name) return CC_OK;
    /* Case-insensitive like OGR, but in ASCII: OGR's lookup folds case with the C library,
     * which under a Turkish locale does not match "ID" with "id". An exact match wins. */
    int nf = OGR_FD_GetFieldCount(r->defn);
    for (int i = 0; i < nf; i++)
        if (strcmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i)), name) == 0) {
            *idx = i;
            return CC_OK;
        }
    for (int i = 0; i < nf && *idx < 0; i++)
        if (cc__ascii_casecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i)), name) == 0)
            *idx = i;
    if (*idx < 0 && required) return field_not_found(r, what, name);
    return CC_OK;
}

cc_status cc__vr_resolve_fields(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    cc_status st;
    if ((req->x_field && *req->x_field) != (req->y_field && *req->y_field))
        return cc_error(r->ctx, CC_ERR_INVALID, "%s: set both x_field and y_field, or neither",
                        req->path);
    r->uses_xy = req->x_field && *req->x_field;
    if ((st = find_field(r, "x_field", req->x_field, 1, &r->ix))) return st;
    if ((st = find_field(r, "y_field", req->y_field, 1, &r->iy))) return st;
    if ((st = find_field(r, "id_field", req->id_field, 1, &r->iid))) return st;
    if ((st = find_field(r, "name_field", req->name_field, 1, &r->iname))) return st;
    for (size_t k = 0; k < req->n_num; k++)
        if ((st = find_field(r, "field", req->num_fields[k], 1, &r->inum[k]))) return st;
    for (size_t k = 0; k < req->n_str; k++) {
        /* A NULL or missing string column is allowed: it reads as all NULL. */
        if ((st = find_field(r, "field", req->str_fields[k], 0, &r->istr[k]))) return st;
        if (r->istr[k] < 0 && req->str_fields[k] && *req->str_fields[k])
            cc_log(r->ctx, CC_LOG_DEBUG, "%s: layer '%s' has no field '%s'; left empty", req->path,
                   r->L->layer_name, req->str_fields[k] ? req->str_fields[k] : "");
    }
    return CC_OK;
}

/* Text of a field as a new UTF-8 string (NULL when null); recoded when asked. */
cc_status cc__vr_read_text(cc__vreader *r, int idx, const char *fname, int64_t fid, char **out)
{
    *out = NULL;
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(r->feat, idx)) return CC_OK;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(r->defn, idx));
    char *s;
    if (t == OFTInteger || t == OFTInteger64) {
        s = cc__i64_str(r->ctx, (int64_t)OGR_F_GetFieldAsInteger64(r->feat, idx));
    } else {
        const char *v = OGR_F_GetFieldAsString(r->feat, idx);
        if (r->recode && !is_ascii(v)) {
            char *u = CPLRecode(v, r->req->encoding, CPL_ENC_UTF8);
            s = cc_strdup(r->ctx, u ? u : "");
            CPLFree(u);
        } else {
            s = cc_strdup(r->ctx, v);
        }
    }
    if (!s) return CC_ERR_NOMEM;
    char gbk[512];
    /* Invalid UTF-8 gets the message below; this is GBK that happens to be valid UTF-8. */
    if (r->gbk_check && CPLIsUTF8(s, -1) && looks_gbk(s, gbk, sizeof gbk)) {
        char lb[48];
        cc_free(s);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: field '%s' looks like GBK-encoded Chinese ('%s' when read as "
                        "GBK) but the Shapefile declares no encoding (no .cpg); add encoding: "
                        "GBK to this layer",
                        r->req->path, cc__vr_label(r, fid, lb, sizeof lb), fname, gbk);
    }
    if (!CPLIsUTF8(s, -1)) {
        cc_free(s);
        char lb[48];
        if (r->req->encoding)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: field '%s' is not valid UTF-8 even after decoding from %s; "
                            "check the declared encoding",
                            r->req->path, cc__vr_label(r, fid, lb, sizeof lb), fname,
                            r->req->encoding);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: field '%s' is not valid UTF-8; declare its encoding, e.g. "
                        "encoding: GBK",
                        r->req->path, cc__vr_label(r, fid, lb, sizeof lb), fname);
    }
    *out = s;
    return CC_OK;
}
