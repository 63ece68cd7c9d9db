/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector reader: one layer of any GDAL vector source into column arrays (cc_layer), in source
 * order and source CRS, with validation that names the file and the feature, CSV line or
 * spreadsheet row of every problem.
 */
#include "io/io_internal.h"

#if GDAL_VERSION_NUM >= GDAL_COMPUTE_VERSION(3, 6, 0)
#include <ogr_recordbatch.h>
#define CC__ARROW 1 /* OGR_L_GetArrowStream */
#endif

#include <fcntl.h>
#include <iconv.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A GeoPackage value of numeric column `field` at feature fid, stored as text or real. */
typedef struct stored_text {
    int field;
    int64_t fid;
    char *text;
} stored_text;

static int cmp_stored(const void *a, const void *b)
{
    const stored_text *x = a, *y = b;
    if (x->field != y->field) return x->field < y->field ? -1 : 1;
    return (x->fid > y->fid) - (x->fid < y->fid);
}

/*
 * A second reading of a CSV source with every column as text (the .csvt left out), opened the
 * first time a .csvt-typed numeric cell reads as unset, and then read in step with the layer.
 */
typedef struct csvtext {
    int state;        /* 0 not opened yet, 1 open, -1 not available */
    char *dir, *name; /* its /vsimem/ folder and file */
    void *map;        /* the source file mapped into memory (local files), or NULL */
    size_t map_len;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureH feat; /* current feature (owned) */
    int64_t fid;      /* its fid; 0 before the first */
} csvtext;

typedef struct vreader {
    cc_ctx *ctx;
    const cc_vector_request *req;
    cc__gdal_errs errs;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureDefnH defn;
    OGRFeatureH feat;    /* current feature (owned) */
    OGRGeometryH linear; /* linearised copy of a curve geometry (owned) */
    const char *drv;     /* driver short name */
    int label_mode;      /* 0 feature N, 1 CSV line N, 2 spreadsheet row N */
    int recode;          /* convert text from req->encoding ourselves */
    int uses_xy, has_geom;
    int gbk_check; /* Shapefile text of undeclared encoding: watch for GBK that passes as UTF-8 */
    struct stored_text *stored; /* GeoPackage values stored as another type than the column's */
    size_t n_stored, cap_stored;
    int ix, iy, iid, iname;
    int *inum, *istr;
    cc_layer *L;
    size_t cap;
    cc__gcol gc;
    cc_geom_kind kind; /* kind seen so far */
    /* coordinate statistics for the geographic checks */
    int all_x_le90, any_y_gt90, all_y_le180, have_bad;
    int64_t swap_fid, bad_fid;
    double swap_x, swap_y, bad_x, bad_y;
    double ext[4];
    int have_ext;
    cc_geom_kind kind0; /* kind before the first feature (restored for a second attempt) */
    int bail;           /* Arrow path: this layer needs the feature-by-feature reader */
    int is_csv;         /* the CSV driver reads the source */
    csvtext raw;        /* CSV: the same bytes read again without the .csvt (csv_cell_text) */
} vreader;

static const char *kind_word(cc_geom_kind k)
{
    switch (k) {
    case CC_GEOM_POINT:
        return "points";
    case CC_GEOM_LINE:
        return "lines";
    case CC_GEOM_POLYGON:
        return "polygons";
    default:
        return "no geometry";
    }
}

static cc_geom_kind kind_of_type(OGRwkbGeometryType t)
{
    switch (wkbFlatten(t)) {
    case wkbPoint:
    case wkbMultiPoint:
        return CC_GEOM_POINT;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve:
        return CC_GEOM_LINE;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
    case wkbTriangle:
    case wkbTIN:
    case wkbPolyhedralSurface:
        return CC_GEOM_POLYGON;
    default:
        return CC_GEOM_NONE;
    }
}

/* "feature 12", "line 13" (CSV: header is line 1) or "row 13" (spreadsheets). */
static const char *flabel(const vreader *r, int64_t fid, char *buf, size_t n)
{
    if (r->label_mode == 1)
        cc_snprintf(buf, n, "line %lld", (long long)fid + 1);
    else if (r->label_mode == 2)
        cc_snprintf(buf, n, "row %lld", (long long)fid);
    else
        cc_snprintf(buf, n, "feature %lld", (long long)fid);
    return buf;
}

static const char *role_sfx(const vreader *r, char *buf, size_t n)
{
    if (r->req->role && *r->req->role)
        cc_snprintf(buf, n, " (%s)", r->req->role);
    else
        buf[0] = '\0';
    return buf;
}

static int is_utf8_name(const char *e)
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
static int is_blank(const char *s)
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
static double suggest_score(const vreader *r, int i, const char *name, int want_number)
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

static cc_status field_not_found(vreader *r, const char *what, const char *name)
{
    cc_ctx *ctx = r->ctx;
    cc_buf list = {0};
    int nf = OGR_FD_GetFieldCount(r->defn);
    const char *best = NULL;
    double best_sc = 0.5; /* below: no suggestion */
    int want_number = strcmp(what, "field") == 0 || strcmp(what, "x_field") == 0 ||
                      strcmp(what, "y_field") == 0;
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
    role_sfx(r, sfx, sizeof sfx);
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

static cc_status find_field(vreader *r, const char *what, const char *name, int required, int *idx)
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

/* ---- values ---- */

/* NUM_NAN: a typed column holding NaN; NUM_RANGE: beyond CC__NUM_MAX; NUM_TEXT: a typed
 * (.csvt) CSV column holding text that is no number, whose text GDAL does not give back. */
enum { NUM_OK = 0, NUM_NULL = 1, NUM_BAD = 2, NUM_INF = 3, NUM_NAN = 4, NUM_RANGE = 5, NUM_TEXT = 6 };

/* Largest magnitude read: every whole number up to it is exact in a double (2^53 ~ 9e15). */
#define CC__NUM_MAX 1e15

/* A number written as text, parsed locale-independently: NUM_OK, NUM_NULL (blank), NUM_BAD,
 * NUM_INF or NUM_RANGE. */
static int parse_number_text(const char *s, double *v)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (!*p) return NUM_NULL;
    if (cc_parse_double(s, v) != 0) {
        /* cc_parse_double allows spaces/tabs only; also accept a trailing CR from CSVs. */
        char tmp[128];
        size_t n = strlen(s);
        while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' '))
            n--;
        if (n >= sizeof tmp) return NUM_BAD;
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        if (cc_parse_double(tmp, v) != 0) return NUM_BAD;
    }
    if (!isfinite(*v)) return NUM_INF;
    if (fabs(*v) > CC__NUM_MAX) return NUM_RANGE;
    return NUM_OK;
}

/* GDAL's "LAYER.FIELD" (or "FIELD") names field fn. */
static int warned_field(const char *spec, const char *fn)
{
    size_t a = strlen(spec), b = strlen(fn);
    return a >= b && strcmp(spec + a - b, fn) == 0 && (a == b || spec[a - b - 1] == '.');
}

/* ---- the text of .csvt-typed CSV cells ----
 *
 * GDAL's CSV driver leaves a cell of a .csvt-typed Integer or Real column unset when its text
 * is no number ("1,000", "abc", "nan"), says so in one warning per layer, and does not give
 * the text back: an empty cell and "1,000" read the same. The text is read in a second pass
 * over the same bytes, still parsed by GDAL, but under a /vsimem/ name with no .csvt beside
 * it, so every column is text. The second reading starts only at the first unset typed cell
 * (a valid file costs nothing), reads only the columns needed, and follows the layer's fids
 * (a where filter skips features in the layer; the second reading has none).
 */

static void csv_text_close(csvtext *w)
{
    if (w->feat) OGR_F_Destroy(w->feat);
    if (w->ds) GDALClose(w->ds);
    if (w->name) VSIUnlink(w->name);
    if (w->dir) VSIRmdir(w->dir);
    if (w->map) munmap(w->map, w->map_len);
    cc_free(w->name);
    cc_free(w->dir);
    memset(w, 0, sizeof *w);
    w->state = -1;
}

/* The source file of a CSV layer: the path, or in a folder of CSV files the layer's file. */
static char *csv_file(vreader *r)
{
    struct stat st;
    const char *path = r->req->path;
    if (strncmp(path, "/vsi", 4) != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* the layer is named after its file; GDAL lists only the folder */
        char **files = VSIReadDir(path);
        char *hit = NULL;
        for (char **f = files; f && *f && !hit; f++)
            if (strcmp(CPLGetBasename(*f), OGR_L_GetName(r->lyr)) == 0 &&
                (cc__ascii_casecmp(CPLGetExtension(*f), "csv") == 0 ||
                 cc__ascii_casecmp(CPLGetExtension(*f), "tsv") == 0 ||
                 cc__ascii_casecmp(CPLGetExtension(*f), "psv") == 0))
                hit = cc_strdup(r->ctx, CPLFormFilename(path, *f, NULL));
        CSLDestroy(files);
        return hit;
    }
    return cc_strdup(r->ctx, path);
}

/* The bytes of file as /vsimem/ file w->name: mapped (local files, no copy) or read in. */
static int csv_text_bytes(vreader *r, const char *file)
{
    csvtext *w = &r->raw;
    GByte *bytes = NULL;
    vsi_l_offset n = 0;
    int own = 0;
    if (strncmp(file, "/vsi", 4) != 0) {
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m != MAP_FAILED) {
                w->map = m;
                w->map_len = (size_t)st.st_size;
                bytes = m;
                n = (vsi_l_offset)st.st_size;
            }
        }
        if (fd >= 0) close(fd);
    }
    if (!bytes) {
        if (!VSIIngestFile(NULL, file, &bytes, &n, -1)) return 0;
        own = 1; /* freed by GDAL with the /vsimem/ file */
    }
    /* Opened read-only by the CSV driver: the read-only mapping is never written. */
    VSILFILE *fp = VSIFileFromMemBuffer(w->name, bytes, n, own);
    if (!fp) {
        if (own) VSIFree(bytes);
        return 0;
    }
    VSIFCloseL(fp);
    return 1;
}

/* Open the second reading; 1 when it matches the layer (same fields, the needed ones text). */
static int csv_text_open(vreader *r)
{
    static atomic_long seq;
    csvtext *w = &r->raw;
    cc_ctx *ctx = r->ctx;
    w->state = -1;
    char *file = csv_file(r);
    if (!file) return 0;
    w->dir = cc_asprintf(ctx, "/vsimem/carecircle_csvtext_%ld", atomic_fetch_add(&seq, 1) + 1);
    /* the same file name (.tsv, .txt: the driver's choices depend on it), in a folder of its own */
    w->name = w->dir ? cc_asprintf(ctx, "%s/%s", w->dir, CPLGetFilename(file)) : NULL;
    char *gname = w->name ? cc_asprintf(ctx, "CSV:%s", w->name) : NULL;
    int ok = gname && csv_text_bytes(r, file);
    cc_free(file);
    if (ok) {
        const char *const drivers[] = {"CSV", NULL};
        w->ds = GDALOpenEx(gname, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    }
    cc_free(gname);
    if (!w->ds || GDALDatasetGetLayerCount(w->ds) != 1) return 0;
    w->lyr = GDALDatasetGetLayer(w->ds, 0);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(w->lyr);
    int nf = OGR_FD_GetFieldCount(r->defn);
    if (OGR_FD_GetFieldCount(d) != nf) return 0;
    for (int i = 0; i < nf; i++)
        if (strcmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)),
                   OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i))) != 0)
            return 0;
    /* Only the numeric columns read: the others (and a WKT geometry) are not built. */
    char **ignored = CSLAddString(NULL, "OGR_GEOMETRY");
    for (int i = 0; i < nf; i++) {
        int used = i == r->ix || i == r->iy;
        for (size_t k = 0; k < r->L->n_num && !used; k++)
            used = r->inum[k] == i;
        if (used && OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i)) != OFTString) {
            CSLDestroy(ignored);
            return 0;
        }
        if (!used) ignored = CSLAddString(ignored, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)));
    }
    OGR_L_SetIgnoredFields(w->lyr, (const char **)ignored);
    CSLDestroy(ignored);
    w->state = 1;
    return 1;
}

/*
 * The text of field idx of feature fid as in the file ("" when empty): 1, or 0 when the second
 * reading is not available. GDAL messages of the second reading are not the layer's: they are
 * put back as they were.
 */
static int csv_cell_text(vreader *r, int idx, int64_t fid, const char **text)
{
    csvtext *w = &r->raw;
    if (w->state < 0) return 0;
    int n_fail = r->errs.n_fail;
    char msg[sizeof r->errs.msg];
    memcpy(msg, r->errs.msg, sizeof msg);
    if (w->state == 0 && !csv_text_open(r)) {
        csv_text_close(w);
        cc_log(r->ctx, CC_LOG_WARN,
               "%s: the text of .csvt-typed columns cannot be read again; a value in them that "
               "is no number may read as empty",
               r->req->path);
    }
    /* CSV fids rise through the file: step forward to this one */
    while (w->state > 0 && w->fid < fid) {
        if (w->feat) OGR_F_Destroy(w->feat);
        w->feat = OGR_L_GetNextFeature(w->lyr);
        if (!w->feat)
            csv_text_close(w);
        else
            w->fid = (int64_t)OGR_F_GetFID(w->feat);
    }
    r->errs.n_fail = n_fail;
    memcpy(r->errs.msg, msg, sizeof msg);
    if (w->state <= 0 || w->fid != fid) return 0;
    *text = OGR_F_IsFieldSetAndNotNull(w->feat, idx) ? OGR_F_GetFieldAsString(w->feat, idx) : "";
    return 1;
}

/*
 * Read a numeric value from any field type. Text is parsed locale-independently. A typed
 * column whose value GDAL cut to fit ("1.5e3" or "40.9" into an Integer column, 99999999999
 * clamped to 2147483647) is read from the file's text instead, so numbers are numbers
 * whatever the column type claims. *raw receives the text parsed, if any.
 */
static int read_number(vreader *r, int idx, int64_t fid, double *v, const char **raw)
{
    *raw = NULL;
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(r->defn, idx);
    const char *fn = OGR_Fld_GetNameRef(fd);
    OGRFieldType t = OGR_Fld_GetType(fd);
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        if (r->n_stored) {
            stored_text key = {idx, fid, NULL};
            const stored_text *e =
                bsearch(&key, r->stored, r->n_stored, sizeof *r->stored, cmp_stored);
            if (e) {
                *raw = e->text;
                return parse_number_text(*raw, v);
            }
        }
        /* GDAL's value must be the one the warning names: a where filter may have read (and
         * skipped) other features in the same call, whose warnings come first. */
        double got = OGR_F_IsFieldSetAndNotNull(r->feat, idx)
                         ? OGR_F_GetFieldAsDouble(r->feat, idx)
                         : NAN;
        for (int k = r->errs.n_numwarn - 1; k >= 0; k--)
            if (warned_field(r->errs.numwarn[k].field, fn) && r->errs.numwarn[k].to == got) {
                *raw = r->errs.numwarn[k].raw;
                return parse_number_text(*raw, v);
            }
        if (!OGR_F_IsFieldSetAndNotNull(r->feat, idx)) {
            /* empty, or text GDAL could not type (CSV): look at the text */
            const char *text;
            if (r->is_csv && csv_cell_text(r, idx, fid, &text)) {
                *raw = text;
                return parse_number_text(text, v);
            }
            if (r->errs.badtype_record == (long long)fid &&
                strcmp(r->errs.badtype_field, fn) == 0)
                return NUM_TEXT;
            return NUM_NULL;
        }
        *v = OGR_F_GetFieldAsDouble(r->feat, idx);
        if (isnan(*v)) return NUM_NAN;
        if (!isfinite(*v)) return NUM_INF;
        if (fabs(*v) > CC__NUM_MAX) return NUM_RANGE;
        return NUM_OK;
    }
    if (!OGR_F_IsFieldSetAndNotNull(r->feat, idx)) return NUM_NULL;
    const char *s = OGR_F_GetFieldAsString(r->feat, idx);
    *raw = s;
    return parse_number_text(s, v);
}

/* The message for a value read_number refused (s is not NUM_OK / NUM_NULL). */
static cc_status number_error(vreader *r, int s, int64_t fid, const char *what, const char *fn,
                              const char *raw, double v)
{
    char lb[48], num[48];
    const char *at = flabel(r, fid, lb, sizeof lb);
    switch (s) {
    case NUM_BAD:
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' value '%s' is not a number (use '.' as the decimal "
                        "mark, no units or thousands separators)",
                        r->req->path, at, what, fn, raw ? raw : "");
    case NUM_NAN:
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' is not a number (NaN); fix or remove this feature",
                        r->req->path, at, what, fn);
    case NUM_TEXT:
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' holds text that is not a number (the .csvt declares "
                        "the column numeric); use '.' as the decimal mark, no units or "
                        "thousands separators",
                        r->req->path, at, what, fn);
    case NUM_RANGE:
        cc_fmt_double(num, sizeof num, v, 3);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s '%s' value '%s' is out of range (more than 10^15 in size); "
                        "check the value",
                        r->req->path, at, what, fn, raw ? raw : num);
    default:
        return cc_error(r->ctx, CC_ERR_DATA, "%s: %s: %s '%s' is infinite", r->req->path, at,
                        what, fn);
    }
}

/* Decimal text of an integer as a new string (a digit loop: no locale, no printf). */
static char *int_text(cc_ctx *ctx, int64_t v)
{
    char buf[24];
    char *e = buf + sizeof buf, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return cc_strndup(ctx, p, (size_t)(e - p));
}

/* Text of a field as a new UTF-8 string (NULL when null); recoded when asked. */
static cc_status read_text(vreader *r, int idx, const char *fname, int64_t fid, char **out)
{
    *out = NULL;
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(r->feat, idx)) return CC_OK;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(r->defn, idx));
    char *s;
    if (t == OFTInteger || t == OFTInteger64) {
        s = int_text(r->ctx, (int64_t)OGR_F_GetFieldAsInteger64(r->feat, idx));
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
                        r->req->path, flabel(r, fid, lb, sizeof lb), fname, gbk);
    }
    if (!CPLIsUTF8(s, -1)) {
        cc_free(s);
        char lb[48];
        if (r->req->encoding)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: field '%s' is not valid UTF-8 even after decoding from %s; "
                            "check the declared encoding",
                            r->req->path, flabel(r, fid, lb, sizeof lb), fname, r->req->encoding);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: field '%s' is not valid UTF-8; declare its encoding, e.g. "
                        "encoding: GBK",
                        r->req->path, flabel(r, fid, lb, sizeof lb), fname);
    }
    *out = s;
    return CC_OK;
}

/* ---- per-feature storage ---- */

/* Room for n features in the per-feature arrays (so a layer of known size grows once). */
static cc_status reserve_rows(vreader *r, size_t n)
{
    cc_ctx *ctx = r->ctx;
    cc_layer *L = r->L;
    if (n <= r->cap) return CC_OK;
    void *p;
#define CC__GROW(arr, T)                                                                           \
    do {                                                                                           \
        p = cc_realloc_array(ctx, (arr), n, sizeof(T));                                            \
        if (!p) return CC_ERR_NOMEM;                                                               \
        (arr) = p;                                                                                 \
    } while (0)
    CC__GROW(L->fid, int64_t);
    CC__GROW(L->id, char *);
    CC__GROW(L->rep_x, double);
    CC__GROW(L->rep_y, double);
    if (r->req->name_field) CC__GROW(L->name, char *);
    for (size_t k = 0; k < L->n_num; k++)
        CC__GROW(L->num[k], double);
    for (size_t k = 0; k < L->n_str; k++)
        CC__GROW(L->str[k], char *);
#undef CC__GROW
    r->cap = n;
    return CC_OK;
}

static cc_status reserve_slot(vreader *r)
{
    cc_layer *L = r->L;
    if (L->n == r->cap) {
        cc_status st = reserve_rows(r, r->cap ? r->cap * 2 : 256);
        if (st) return st;
    }
    size_t i = L->n++;
    L->fid[i] = 0;
    L->id[i] = NULL;
    L->rep_x[i] = L->rep_y[i] = NAN;
    if (L->name) L->name[i] = NULL;
    for (size_t k = 0; k < L->n_num; k++)
        L->num[k][i] = NAN;
    for (size_t k = 0; k < L->n_str; k++)
        L->str[k][i] = NULL;
    return CC_OK;
}

/* ---- coordinates ---- */

static cc_status nonfinite_error(vreader *r, int64_t fid)
{
    char lb[48];
    return cc_error(r->ctx, CC_ERR_DATA,
                    "%s: %s: a coordinate is NaN or infinite; fix or remove this feature",
                    r->req->path, flabel(r, fid, lb, sizeof lb));
}

/* Statistics of one finite coordinate for the geographic checks and the extent. */
static void coord_stats(vreader *r, int64_t fid, double x, double y)
{
    if (fabs(x) > 90) r->all_x_le90 = 0;
    if (fabs(y) > 180) r->all_y_le180 = 0;
    if (fabs(y) > 90 && !r->any_y_gt90) {
        r->any_y_gt90 = 1;
        r->swap_fid = fid;
        r->swap_x = x;
        r->swap_y = y;
    }
    if (!r->have_bad && (fabs(x) > 180 || fabs(y) > 90)) {
        r->have_bad = 1;
        r->bad_fid = fid;
        r->bad_x = x;
        r->bad_y = y;
    }
    if (!r->have_ext) {
        r->ext[0] = r->ext[2] = x;
        r->ext[1] = r->ext[3] = y;
        r->have_ext = 1;
    } else {
        if (x < r->ext[0]) r->ext[0] = x;
        if (y < r->ext[1]) r->ext[1] = y;
        if (x > r->ext[2]) r->ext[2] = x;
        if (y > r->ext[3]) r->ext[3] = y;
    }
}

static cc_status add_coord(vreader *r, int64_t fid, double x, double y)
{
    if (!isfinite(x) || !isfinite(y)) return nonfinite_error(r, fid);
    coord_stats(r, fid, x, y);
    return cc__gcol_coord(r->ctx, &r->gc, x, y);
}

/* Check and count coordinates just appended to the column (x, y: n of them). */
static cc_status check_coords(vreader *r, int64_t fid, const double *x, const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) return nonfinite_error(r, fid);
        coord_stats(r, fid, x[i], y[i]);
    }
    return CC_OK;
}

static cc_status add_curve(vreader *r, int64_t fid, OGRGeometryH g, int hole)
{
    cc_status st = cc__gcol_part(r->ctx, &r->gc, hole);
    if (st) return st;
    int n = OGR_G_GetPointCount(g);
    if (n <= 0) return CC_OK;
    double *x, *y;
    if ((st = cc__gcol_coords(r->ctx, &r->gc, (size_t)n, &x, &y))) return st;
    /* All points in one call rather than two calls per point. */
    OGR_G_GetPoints(g, x, sizeof *x, y, sizeof *y, NULL, 0);
    return check_coords(r, fid, x, y, (size_t)n);
}

static cc_status add_polygon(vreader *r, int64_t fid, OGRGeometryH g)
{
    int nr = OGR_G_GetGeometryCount(g);
    for (int k = 0; k < nr; k++) {
        cc_status st = add_curve(r, fid, OGR_G_GetGeometryRef(g, k), k > 0);
        if (st) return st;
    }
    return CC_OK;
}

/* Append the parts of one geometry; *kind receives its kind. */
static cc_status add_geometry(vreader *r, int64_t fid, OGRGeometryH g, cc_geom_kind *kind)
{
    char lb[48];
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    *kind = kind_of_type(t);
    cc_status st = CC_OK;
    int n;
    switch (t) {
    case wkbPoint:
        st = cc__gcol_part(r->ctx, &r->gc, 0);
        if (!st) st = add_coord(r, fid, OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
        return st;
    case wkbLineString:
        return add_curve(r, fid, g, 0);
    case wkbPolygon:
    case wkbTriangle:
        return add_polygon(r, fid, g);
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbTIN:
    case wkbPolyhedralSurface:
        n = OGR_G_GetGeometryCount(g);
        for (int k = 0; k < n && !st; k++) {
            OGRGeometryH sub = OGR_G_GetGeometryRef(g, k);
            if (OGR_G_IsEmpty(sub)) continue;
            if (t == wkbMultiPoint) {
                st = cc__gcol_part(r->ctx, &r->gc, 0);
                if (!st) st = add_coord(r, fid, OGR_G_GetX(sub, 0), OGR_G_GetY(sub, 0));
            } else if (t == wkbMultiLineString) {
                st = add_curve(r, fid, sub, 0);
            } else {
                st = add_polygon(r, fid, sub);
            }
        }
        return st;
    default:
        return cc_error(r->ctx, CC_ERR_GEOM,
                        "%s: %s: %s geometries are not supported; split them into points, "
                        "lines or polygons (e.g. ogr2ogr -explodecollections)",
                        r->req->path, flabel(r, fid, lb, sizeof lb), OGRGeometryTypeToName(t));
    }
}

/* ---- layer choice ---- */

static cc_status layer_list(vreader *r, cc_buf *b)
{
    int n = GDALDatasetGetLayerCount(r->ds);
    for (int i = 0; i < n; i++) {
        if (i) cc_buf_puts(r->ctx, b, ", ");
        cc_buf_puts(r->ctx, b, OGR_L_GetName(GDALDatasetGetLayer(r->ds, i)));
    }
    return CC_OK;
}

static cc_status choose_layer(vreader *r)
{
    const cc_vector_request *req = r->req;
    int n = GDALDatasetGetLayerCount(r->ds);
    char sfx[160];
    role_sfx(r, sfx, sizeof sfx);
    if (n == 0) {
        if (GDALGetRasterCount(r->ds) > 0)
            return cc_error(r->ctx, CC_ERR_DATA, "%s: is a raster, not a vector layer%s", req->path,
                            sfx);
        return cc_error(r->ctx, CC_ERR_DATA, "%s: holds no vector layers%s", req->path, sfx);
    }
    if (req->layer && *req->layer) {
        r->lyr = GDALDatasetGetLayerByName(r->ds, req->layer);
        if (!r->lyr) {
            cc_buf b = {0};
            layer_list(r, &b);
            cc_error(r->ctx, CC_ERR_DATA,
                     "%s: layer '%s' not found (layers: %s); set layer to one of these%s",
                     req->path, req->layer, b.s ? b.s : "", sfx);
            cc_buf_free(&b);
            return CC_ERR_DATA;
        }
        return CC_OK;
    }
    if (n == 1 || req->expect == CC_GEOM_NONE || req->x_field) {
        r->lyr = GDALDatasetGetLayer(r->ds, 0);
    } else {
        /* The first layer whose declared geometry matches (OSM: points, lines, multipolygons). */
        for (int i = 0; i < n && !r->lyr; i++) {
            OGRLayerH l = GDALDatasetGetLayer(r->ds, i);
            if (kind_of_type(OGR_L_GetGeomType(l)) == req->expect) r->lyr = l;
        }
        if (!r->lyr) r->lyr = GDALDatasetGetLayer(r->ds, 0);
    }
    if (n > 1) {
        cc_buf b = {0};
        layer_list(r, &b);
        cc_log(r->ctx, strcmp(r->drv, "OSM") == 0 ? CC_LOG_DEBUG : CC_LOG_INFO,
               "%s: using layer '%s' of %d (%s); set layer to choose another", req->path,
               OGR_L_GetName(r->lyr), n, b.s ? b.s : "");
        cc_buf_free(&b);
    }
    return CC_OK;
}

/* ---- the reader ---- */

static cc_status check_encoding(vreader *r)
{
    const char *enc = r->req->encoding;
    if (!enc || !*enc || is_utf8_name(enc)) return CC_OK;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: encoding '%s' is not known; use a name such as GBK, GB18030, BIG5, "
                        "SHIFT_JIS or CP1252",
                        r->req->path, enc);
    iconv_close(cd);
    return CC_OK;
}

static cc_status open_source(vreader *r)
{
    const cc_vector_request *req = r->req;
    char **opts = NULL;
    cc_status st = cc__io_check_path(r->ctx, req->path);
    if (st) return st;
    GDALDriverH d = GDALIdentifyDriverEx(req->path, GDAL_OF_VECTOR, NULL, NULL);
    int enc_given = req->encoding && *req->encoding && !is_utf8_name(req->encoding);
    char *csv_name = NULL;
    if (!d && req->x_field && *req->x_field && strncmp(req->path, "/vsi", 4) != 0) {
        /* Coordinate columns make the source a table, whatever its extension (.txt, .xyz,
         * .dat): read it with the CSV driver rather than let the XYZ raster driver grid it. */
        GDALDriverH rd = GDALIdentifyDriverEx(req->path, GDAL_OF_RASTER, NULL, NULL);
        if (!rd || strcmp(GDALGetDriverShortName(rd), "XYZ") == 0) {
            d = GDALGetDriverByName("CSV");
            if (d && !(csv_name = cc_asprintf(r->ctx, "CSV:%s", req->path))) return CC_ERR_NOMEM;
        }
    }
    const char *dn = d ? GDALGetDriverShortName(d) : "";
    if (!d && GDALIdentifyDriverEx(req->path, GDAL_OF_RASTER, NULL, NULL)) {
        char sfx[160];
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: is a raster, not a vector layer; rasters can only be demand "
                        "sources%s",
                        req->path, role_sfx(r, sfx, sizeof sfx));
    }
    if (strcmp(dn, "OSM") == 0) opts = CSLSetNameValue(opts, "CONFIG_FILE", cc__io_osmconf_path());
    if (strcmp(dn, "ESRI Shapefile") == 0 && req->encoding && *req->encoding)
        opts = CSLSetNameValue(opts, "ENCODING", req->encoding);
    st = cc__io_open_as(r->ctx, &r->errs, req->path, csv_name ? csv_name : req->path,
                                  GDAL_OF_VECTOR, opts, "vector", &r->ds);
    CSLDestroy(opts);
    cc_free(csv_name);
    if (st) return st;
    r->drv = GDALGetDriverShortName(GDALGetDatasetDriver(r->ds));
    if (strcmp(r->drv, "ESRI Shapefile") != 0 && enc_given) {
        /* Formats whose text is UTF-8 by definition: recoding would garble it. */
        static const char *const utf8_only[] = {"GPKG", "GeoJSON", "GeoJSONSeq", "TopoJSON",
                                                "XLSX", "ODS",     "OSM",        "FlatGeobuf",
                                                "KML",  "LIBKML",  "Parquet",    "Arrow"};
        int fixed = 0;
        for (size_t k = 0; k < sizeof utf8_only / sizeof utf8_only[0]; k++)
            if (strcmp(r->drv, utf8_only[k]) == 0) fixed = 1;
        if (fixed)
            cc_log(r->ctx, CC_LOG_WARN, "%s: encoding '%s' ignored: %s text is always UTF-8",
                   req->path, req->encoding, r->drv);
        else
            r->recode = 1;
    }
    r->is_csv = strcmp(r->drv, "CSV") == 0;
    if (r->is_csv)
        r->label_mode = 1;
    else if (strcmp(r->drv, "XLSX") == 0 || strcmp(r->drv, "ODS") == 0 ||
             strcmp(r->drv, "XLS") == 0)
        r->label_mode = 2;
    return CC_OK;
}

/* A where expression GDAL refused: its reason, and for a comparison of text with a number
 * (CSV columns are text unless a .csvt types them) how to compare numbers. */
static cc_status where_error(vreader *r)
{
    const cc_vector_request *req = r->req;
    char sfx[160];
    role_sfx(r, sfx, sizeof sfx);
    const char *why = cc__io_gdal_msg(&r->errs, "syntax error");
    if (strstr(why, "Type mismatch"))
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: layer '%s': where \"%s\" compares a text column with a number%s; "
                        "write CAST(field AS integer) (or AS real) in the expression%s%s",
                        req->path, r->L->layer_name, req->where,
                        strcmp(r->drv, "CSV") == 0 ? " (CSV columns are text)" : "",
                        strcmp(r->drv, "CSV") == 0 ? ", or give the columns types in a .csvt file"
                                                   : "",
                        sfx);
    return cc_error(r->ctx, CC_ERR_DATA,
                    "%s: layer '%s': invalid where expression \"%s\" (%s); check field names "
                    "and quotes (text in 'single quotes')%s",
                    req->path, r->L->layer_name, req->where ? req->where : "", why, sfx);
}

static cc_status set_filter(vreader *r)
{
    const cc_vector_request *req = r->req;
    int network_osm = strcmp(r->drv, "OSM") == 0 && req->role &&
                      strncmp(req->role, "network", 7) == 0 &&
                      strcmp(OGR_L_GetName(r->lyr), "lines") == 0;
    int has_where = req->where && *req->where;
    if (!has_where && !network_osm) return CC_OK;
    char *expr;
    if (has_where && network_osm)
        expr = cc_asprintf(r->ctx, "(%s) AND (highway IS NOT NULL)", req->where);
    else if (has_where)
        expr = cc_strdup(r->ctx, req->where);
    else
        expr = cc_strdup(r->ctx, "highway IS NOT NULL");
    if (!expr) return CC_ERR_NOMEM;
    r->errs.msg[0] = '\0';
    OGRErr err = OGR_L_SetAttributeFilter(r->lyr, expr);
    cc_free(expr);
    if (err != OGRERR_NONE) return where_error(r);
    return CC_OK;
}

static cc_status resolve_fields(vreader *r)
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

static cc_status check_layer_kind(vreader *r)
{
    const cc_vector_request *req = r->req;
    char sfx[160];
    role_sfx(r, sfx, sizeof sfx);
    if (r->uses_xy) {
        r->kind = CC_GEOM_POINT;
        if (req->expect != CC_GEOM_NONE && req->expect != CC_GEOM_POINT)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: layer '%s': points (from x_field/y_field) given where %s are "
                            "needed%s",
                            req->path, r->L->layer_name, kind_word(req->expect), sfx);
        return CC_OK;
    }
    r->has_geom = OGR_FD_GetGeomFieldCount(r->defn) > 0;
    if (!r->has_geom) {
        if (req->expect == CC_GEOM_NONE) return CC_OK;
        {
            cc_buf list = {0};
            int nf = OGR_FD_GetFieldCount(r->defn);
            for (int i = 0; i < nf && i < 40; i++) {
                if (i) cc_buf_puts(r->ctx, &list, ", ");
                cc_buf_puts(r->ctx, &list, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i)));
            }
            cc_error(r->ctx, CC_ERR_DATA,
                     "%s: layer '%s' has no geometry; for a table with coordinate columns set "
                     "x_field and y_field (columns: %s)%s",
                     req->path, r->L->layer_name, list.s ? list.s : "none", sfx);
            cc_buf_free(&list);
            return CC_ERR_DATA;
        }
    }
    cc_geom_kind lk = kind_of_type(OGR_L_GetGeomType(r->lyr));
    if (lk != CC_GEOM_NONE) r->kind = lk;
    if (req->expect != CC_GEOM_NONE && lk != CC_GEOM_NONE && lk != req->expect)
        return cc_error(r->ctx, CC_ERR_DATA, "%s: layer '%s': %s given where %s are needed%s",
                        req->path, r->L->layer_name, kind_word(lk), kind_word(req->expect), sfx);
    return CC_OK;
}

static cc_status read_coords_xy(vreader *r, int64_t fid)
{
    const char *names[2] = {r->req->x_field, r->req->y_field};
    int idx[2] = {r->ix, r->iy};
    double v[2];
    char lb[48];
    for (int k = 0; k < 2; k++) {
        const char *raw;
        int s = read_number(r, idx[k], fid, &v[k], &raw);
        if (s == NUM_NULL)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: column '%s' is empty; every row needs coordinates",
                            r->req->path, flabel(r, fid, lb, sizeof lb), names[k]);
        if (s != NUM_OK) return number_error(r, s, fid, "column", names[k], raw, v[k]);
    }
    cc_status st = cc__gcol_part(r->ctx, &r->gc, 0);
    if (!st) st = add_coord(r, fid, v[0], v[1]);
    return st;
}

static cc_status read_coords_geom(vreader *r, int64_t fid)
{
    char lb[48], sfx[160];
    OGRGeometryH g = OGR_F_GetGeometryRef(r->feat);
    if (!g || OGR_G_IsEmpty(g)) {
        if (r->req->expect == CC_GEOM_NONE && r->kind == CC_GEOM_NONE && !r->has_geom) return CC_OK;
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s has no geometry; fix it or leave it out with where:", r->req->path,
                        flabel(r, fid, lb, sizeof lb));
    }
    if (OGR_G_HasCurveGeometry(g, TRUE)) {
        r->linear = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (!r->linear)
            return cc_error(r->ctx, CC_ERR_GEOM, "%s: %s: curved geometry cannot be converted (%s)",
                            r->req->path, flabel(r, fid, lb, sizeof lb),
                            cc__io_gdal_msg(&r->errs, "unknown reason"));
        g = r->linear;
    }
    cc_geom_kind k;
    cc_status st = add_geometry(r, fid, g, &k);
    if (r->linear) {
        OGR_G_DestroyGeometry(r->linear);
        r->linear = NULL;
    }
    if (st) return st;
    if (r->req->expect != CC_GEOM_NONE && k != r->req->expect)
        return cc_error(r->ctx, CC_ERR_DATA, "%s: %s: %s given where %s are needed%s", r->req->path,
                        flabel(r, fid, lb, sizeof lb), kind_word(k), kind_word(r->req->expect),
                        role_sfx(r, sfx, sizeof sfx));
    if (r->kind == CC_GEOM_NONE) r->kind = k;
    if (k != r->kind)
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s mixed with %s in one layer; keep one kind with where: or "
                        "split the layer",
                        r->req->path, flabel(r, fid, lb, sizeof lb), kind_word(k),
                        kind_word(r->kind));
    return CC_OK;
}

static cc_status read_attributes(vreader *r, size_t i, int64_t fid)
{
    const cc_vector_request *req = r->req;
    cc_layer *L = r->L;
    char lb[48];
    cc_status st;
    if (r->iid >= 0) {
        if ((st = read_text(r, r->iid, req->id_field, fid, &L->id[i]))) return st;
        if (!L->id[i] || is_blank(L->id[i]))
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: id field '%s' is empty; every feature needs an id", req->path,
                            flabel(r, fid, lb, sizeof lb), req->id_field);
    } else {
        if (!(L->id[i] = int_text(r->ctx, fid))) return CC_ERR_NOMEM;
    }
    if (r->iname >= 0 && (st = read_text(r, r->iname, req->name_field, fid, &L->name[i])))
        return st;
    for (size_t k = 0; k < L->n_num; k++) {
        const char *raw;
        double v = NAN;
        const char *fn = req->num_fields[k];
        int s = read_number(r, r->inum[k], fid, &v, &raw);
        if (s == NUM_NULL) {
            if (!req->num_allow_null)
                return cc_error(r->ctx, CC_ERR_DATA,
                                "%s: %s: field '%s' is empty; fill it in or leave the feature out "
                                "with where:",
                                req->path, flabel(r, fid, lb, sizeof lb), fn);
            v = NAN;
        } else if (s != NUM_OK) {
            return number_error(r, s, fid, "field", fn, raw, v);
        } else if (req->num_nonneg && v < 0) {
            char num[48];
            cc_fmt_double(num, sizeof num, v, 9);
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: field '%s' is negative (%s); counts and capacities must be "
                            "0 or more",
                            req->path, flabel(r, fid, lb, sizeof lb), fn, num);
        }
        L->num[k][i] = v;
    }
    for (size_t k = 0; k < L->n_str; k++)
        if ((st = read_text(r, r->istr[k], req->str_fields[k], fid, &L->str[k][i]))) return st;
    return CC_OK;
}

static cc_status geographic_checks(vreader *r)
{
    const cc_vector_request *req = r->req;
    char lb[48], xs[48], ys[48];
    if (r->all_x_le90 && r->any_y_gt90 && r->all_y_le180) {
        cc_fmt_double(xs, sizeof xs, r->swap_x, 7);
        cc_fmt_double(ys, sizeof ys, r->swap_y, 7);
        if (r->uses_xy)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: coordinates look swapped: every x is within ±90 but y reaches "
                            "beyond 90 (%s: x=%s, y=%s); swap x_field and y_field (x_field is the "
                            "longitude column)",
                            req->path, flabel(r, r->swap_fid, lb, sizeof lb), xs, ys);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: coordinates look swapped: every x is within ±90 but y reaches beyond "
                        "90 (%s: x=%s, y=%s); the file stores latitude first, re-export it with "
                        "longitude as x",
                        req->path, flabel(r, r->swap_fid, lb, sizeof lb), xs, ys);
    }
    if (r->have_bad) {
        cc_fmt_double(xs, sizeof xs, r->bad_x, 7);
        cc_fmt_double(ys, sizeof ys, r->bad_y, 7);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: coordinate (%s, %s) is out of range for a geographic CRS "
                        "(longitude within ±180, latitude within ±90); the data may be projected: "
                        "set crs to its real CRS",
                        req->path, flabel(r, r->bad_fid, lb, sizeof lb), xs, ys);
    }
    return CC_OK;
}

/* Feature by feature through OGR: any driver, and every validation message. */
static cc_status read_features(vreader *r)
{
    const cc_vector_request *req = r->req;
    cc_ctx *ctx = r->ctx;
    cc_layer *L = r->L;
    cc_status st;
    char sfx[160];
    role_sfx(r, sfx, sizeof sfx);
    GIntBig total = OGR_L_GetFeatureCount(r->lyr, FALSE);
    int fail0 = r->errs.n_fail;
    OGR_L_ResetReading(r->lyr);
    /* Some drivers (GPKG, SQLite) check the where expression only when reading starts. */
    r->errs.msg[0] = '\0';
    r->errs.n_numwarn = 0;
    r->errs.badtype_record = 0;
    r->feat = OGR_L_GetNextFeature(r->lyr);
    if (!r->feat && r->errs.n_fail > fail0 && req->where && *req->where) return where_error(r);
    size_t count = 0;
    for (; r->feat != NULL; r->feat = OGR_L_GetNextFeature(r->lyr)) {
        if ((++count & 4095) == 0) {
            if ((st = cc_check_interrupt(ctx))) return st;
            if (total > 0) cc_progress(ctx, "load", (double)count / (double)total);
        }
        int64_t fid = (int64_t)OGR_F_GetFID(r->feat);
        if ((st = reserve_slot(r))) return st;
        size_t i = L->n - 1;
        L->fid[i] = fid;
        st = r->uses_xy ? read_coords_xy(r, fid) : read_coords_geom(r, fid);
        if (st) return st;
        if ((st = cc__gcol_end_feature(ctx, &r->gc))) return st;
        size_t p0 = r->gc.g.feat_part[r->gc.n_feat - 1], p1 = r->gc.g.feat_part[r->gc.n_feat];
        cc__rep_point(&r->gc.g, r->kind, p0, p1, &L->rep_x[i], &L->rep_y[i]);
        if (!req->want_geometry) cc__gcol_drop_last_parts(&r->gc);
        if ((st = read_attributes(r, i, fid))) return st;
        OGR_F_Destroy(r->feat);
        r->feat = NULL;
        r->errs.n_numwarn = 0; /* the next feature's own */
    }
    if (r->errs.n_fail > fail0) {
        char lb[48];
        return cc_error(ctx, CC_ERR_IO,
                        "%s: reading stopped after %zu features (%s%s%s%s); the "
                        "file may be corrupt or truncated",
                        req->path, count, L->n ? "last read: " : "",
                        L->n ? flabel(r, L->fid[L->n - 1], lb, sizeof lb) : "", L->n ? "; " : "",
                        cc__io_gdal_msg(&r->errs, "read error"));
    }
    return CC_OK;
}

/* An SQL identifier in double quotes. */
static cc_status put_ident(cc_ctx *ctx, cc_buf *b, const char *name)
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
 * stored as another type (usually none) and keep their text, which read_number then parses.
 */
static cc_status gpkg_find_stored_text(vreader *r)
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
        if (!st) st = put_ident(ctx, &sql, fidname);
        if (!st) st = cc_buf_puts(ctx, &sql, " + 0 AS k, CAST(");
        if (!st) st = put_ident(ctx, &sql, OGR_Fld_GetNameRef(fd));
        if (!st) st = cc_buf_puts(ctx, &sql, " AS TEXT) AS v FROM ");
        if (!st) st = put_ident(ctx, &sql, OGR_L_GetName(r->lyr));
        if (!st) st = cc_buf_puts(ctx, &sql, " WHERE typeof(");
        if (!st) st = put_ident(ctx, &sql, OGR_Fld_GetNameRef(fd));
        if (!st)
            st = cc_buf_puts(ctx, &sql, t == OFTReal ? ") NOT IN ('integer', 'real', 'null')"
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
                if (!p) st = CC_ERR_NOMEM;
                else {
                    r->stored = p;
                    r->cap_stored = nc2;
                }
            }
            if (!st) {
                stored_text *e = &r->stored[r->n_stored];
                e->field = cols[c];
                e->fid = (int64_t)OGR_F_GetFieldAsInteger64(f, 0);
                e->text = cc_strdup(ctx, OGR_F_GetFieldAsString(f, 1));
                if (!e->text) st = CC_ERR_NOMEM;
                else r->n_stored++;
            }
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(r->ds, q);
        if (st) return st;
    }
    if (r->n_stored) qsort(r->stored, r->n_stored, sizeof *r->stored, cmp_stored);
    return CC_OK;
}

#ifdef CC__ARROW
/*
 * ---- GeoPackage through the Arrow C stream (GDAL >= 3.6) ----
 *
 * Whole batches of features with the geometry as WKB, several times faster than one OGR
 * feature at a time. It handles the common case only (points, lines, polygons and their
 * multi forms; integer, real and text columns; valid values). Anything else, and every
 * input problem, sets r->bail: the caller then starts over with read_features, which
 * handles every case and writes the message naming the feature.
 */

static cc_status bail(vreader *r)
{
    r->bail = 1;
    return CC_OK;
}

/* ---- fields the request uses ---- */

static int field_wanted(const vreader *r, int i)
{
    if (i == r->ix || i == r->iy || i == r->iid || i == r->iname) return 1;
    for (size_t k = 0; k < r->L->n_num; k++)
        if (r->inum[k] == i) return 1;
    for (size_t k = 0; k < r->L->n_str; k++)
        if (r->istr[k] == i) return 1;
    return 0;
}

/* Forget a partial read, for a second attempt from the first feature. */
static cc_status restart(vreader *r)
{
    cc_layer *L = r->L;
    for (size_t i = 0; i < L->n; i++) {
        cc_free(L->id[i]);
        if (L->name) cc_free(L->name[i]);
        for (size_t k = 0; k < L->n_str; k++)
            cc_free(L->str[k][i]);
    }
    L->n = 0;
    cc_io_geomcol_free(&r->gc.g);
    r->kind = r->kind0;
    r->all_x_le90 = r->all_y_le180 = 1;
    r->any_y_gt90 = r->have_bad = r->have_ext = 0;
    r->bail = 0;
    OGR_L_ResetReading(r->lyr);
    return cc__gcol_init(r->ctx, &r->gc);
}

/* One column of a batch: format 'i' int32, 'l' int64, 'g' double, 'u'/'U' text with 32/64-bit
 * offsets, 'z'/'Z' binary likewise. */
typedef struct acol {
    const struct ArrowArray *a;
    char fmt;
} acol;

static int acol_null(const acol *c, int64_t i)
{
    const uint8_t *valid = c->a->buffers[0];
    return c->a->null_count != 0 && valid && !((valid[i >> 3] >> (i & 7)) & 1);
}

/* Bytes of text or binary value i; NULL when the offsets make no sense. */
static const unsigned char *acol_bytes(const acol *c, int64_t i, size_t *n)
{
    int64_t a, b;
    if (c->fmt == 'u' || c->fmt == 'z') {
        const int32_t *o = c->a->buffers[1];
        a = o[i];
        b = o[i + 1];
    } else {
        const int64_t *o = c->a->buffers[1];
        a = o[i];
        b = o[i + 1];
    }
    if (a < 0 || b < a) return NULL;
    *n = (size_t)(b - a);
    return (const unsigned char *)c->a->buffers[2] + a;
}

/* Text value i as OGR_F_GetFieldAsString gives it: up to the first NUL. */
static const char *acol_text(const acol *c, int64_t i, size_t *n)
{
    const char *s = (const char *)acol_bytes(c, i, n);
    const char *nul = s ? memchr(s, '\0', *n) : NULL;
    if (nul) *n = (size_t)(nul - s);
    return s;
}

static int64_t acol_int(const acol *c, int64_t i)
{
    if (c->fmt == 'i') return ((const int32_t *)c->a->buffers[1])[i];
    return ((const int64_t *)c->a->buffers[1])[i];
}

/* NUM_* as read_number would say, or -1 when only read_number can tell. */
static int arrow_number(const acol *c, int64_t i, double *v)
{
    if (acol_null(c, i)) return NUM_NULL;
    if (c->fmt == 'i' || c->fmt == 'l') {
        *v = (double)acol_int(c, i);
        return fabs(*v) > CC__NUM_MAX ? NUM_RANGE : NUM_OK;
    }
    if (c->fmt == 'g') {
        *v = ((const double *)c->a->buffers[1])[i];
        if (isnan(*v)) return NUM_NAN;
        if (!isfinite(*v)) return NUM_INF;
        return fabs(*v) > CC__NUM_MAX ? NUM_RANGE : NUM_OK;
    }
    size_t n;
    const char *s = acol_text(c, i, &n);
    char tmp[128];
    if (!s || n >= sizeof tmp) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return parse_number_text(tmp, v);
}

/* Text value (NULL for null) as read_text makes it; bails on text that is not UTF-8. */
static cc_status arrow_text(vreader *r, const acol *c, int64_t i, char **out)
{
    *out = NULL;
    if (acol_null(c, i)) return CC_OK;
    if (c->fmt == 'i' || c->fmt == 'l') {
        *out = int_text(r->ctx, acol_int(c, i));
        return *out ? CC_OK : CC_ERR_NOMEM;
    }
    size_t n;
    const char *s = acol_text(c, i, &n);
    if (!s || n > 0x7fffffff || !CPLIsUTF8(s, (int)n)) return bail(r);
    *out = cc_strndup(r->ctx, s, n);
    return *out ? CC_OK : CC_ERR_NOMEM;
}

/* ---- WKB ---- */

typedef struct wkbr {
    const unsigned char *p, *end;
    int swap; /* byte order differs from this machine's */
} wkbr;

static int host_little(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

static int wkb_u32(wkbr *w, uint32_t *v)
{
    if (w->end - w->p < 4) return 0;
    unsigned char b[4];
    memcpy(b, w->p, 4);
    w->p += 4;
    if (w->swap) {
        unsigned char t = b[0];
        b[0] = b[3];
        b[3] = t;
        t = b[1];
        b[1] = b[2];
        b[2] = t;
    }
    memcpy(v, b, 4);
    return 1;
}

static double wkb_f64_at(const wkbr *w, const unsigned char *p)
{
    unsigned char b[8];
    if (w->swap)
        for (int k = 0; k < 8; k++)
            b[k] = p[7 - k];
    else
        memcpy(b, p, 8);
    double v;
    memcpy(&v, b, 8);
    return v;
}

/* Byte order and type of the next geometry: base type 1-6 (point .. multipolygon) and the
 * doubles per vertex (2 to 4: Z and M are read past). 0 for anything else. */
static int wkb_head(wkbr *w, uint32_t *type, int *dims)
{
    if (w->p >= w->end || *w->p > 1) return 0;
    w->swap = (*w->p++ == 1) != host_little();
    uint32_t t;
    if (!wkb_u32(w, &t)) return 0;
    int z = (t & 0x80000000u) != 0, m = (t & 0x40000000u) != 0;
    if (t & 0x20000000u) return 0; /* EWKB with an SRID */
    t &= 0x0fffffffu;
    if (t >= 3000) {
        z = m = 1;
        t -= 3000;
    } else if (t >= 2000) {
        m = 1;
        t -= 2000;
    } else if (t >= 1000) {
        z = 1;
        t -= 1000;
    }
    if (t < 1 || t > 6) return 0;
    *type = t;
    *dims = 2 + z + m;
    return 1;
}

/* n vertices of dims doubles into a new part: a point (n = 1), a line string or a ring. */
static cc_status wkb_vertices(vreader *r, wkbr *w, int64_t fid, uint32_t n, int dims, int hole)
{
    size_t step = 8 * (size_t)dims;
    if (n == 0 || (size_t)(w->end - w->p) / step < n) return bail(r);
    double *x, *y;
    cc_status st = cc__gcol_part(r->ctx, &r->gc, hole);
    if (!st) st = cc__gcol_coords(r->ctx, &r->gc, n, &x, &y);
    if (st) return st;
    for (uint32_t k = 0; k < n; k++, w->p += step) {
        x[k] = wkb_f64_at(w, w->p);
        y[k] = wkb_f64_at(w, w->p + 8);
        /* NaN is also how WKB writes an empty point */
        if (!isfinite(x[k]) || !isfinite(y[k])) return bail(r);
        coord_stats(r, fid, x[k], y[k]);
    }
    return CC_OK;
}

/* A point, line string or polygon (type 1-3) whose header was read. */
static cc_status wkb_single(vreader *r, wkbr *w, int64_t fid, uint32_t type, int dims)
{
    if (type == 1) return wkb_vertices(r, w, fid, 1, dims, 0);
    uint32_t n;
    if (!wkb_u32(w, &n)) return bail(r);
    if (type == 2) return wkb_vertices(r, w, fid, n, dims, 0);
    if (n == 0) return bail(r); /* empty polygon */
    for (uint32_t k = 0; k < n; k++) {
        uint32_t nv;
        if (!wkb_u32(w, &nv)) return bail(r);
        cc_status st = wkb_vertices(r, w, fid, nv, dims, k > 0);
        if (st || r->bail) return st;
    }
    return CC_OK;
}

/* Parts of one WKB geometry, as add_geometry makes them from the OGR geometry. */
static cc_status wkb_geometry(vreader *r, wkbr *w, int64_t fid, cc_geom_kind *kind)
{
    static const cc_geom_kind kinds[7] = {CC_GEOM_NONE,    CC_GEOM_POINT, CC_GEOM_LINE,
                                          CC_GEOM_POLYGON, CC_GEOM_POINT, CC_GEOM_LINE,
                                          CC_GEOM_POLYGON};
    uint32_t type, n;
    int dims;
    if (!wkb_head(w, &type, &dims)) return bail(r);
    *kind = kinds[type];
    if (type <= 3) return wkb_single(r, w, fid, type, dims);
    /* multi: an empty one or an empty member needs OGR's rules (bail) */
    if (!wkb_u32(w, &n) || n == 0) return bail(r);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t sub;
        if (!wkb_head(w, &sub, &dims) || sub != type - 3) return bail(r);
        cc_status st = wkb_single(r, w, fid, sub, dims);
        if (st || r->bail) return st;
    }
    return CC_OK;
}

/* ---- columns and batches ---- */

typedef struct acols {
    acol fid, geom;
    acol *field; /* [number of OGR fields]; fmt 0 = not in the stream */
} acols;

/* The attributes of feature i of a batch, as read_attributes stores them. */
static cc_status arrow_attributes(vreader *r, const acols *ac, int64_t row, size_t i, int64_t fid)
{
    const cc_vector_request *req = r->req;
    cc_layer *L = r->L;
    cc_status st;
    if (r->iid >= 0) {
        if ((st = arrow_text(r, &ac->field[r->iid], row, &L->id[i])) || r->bail) return st;
        if (!L->id[i] || is_blank(L->id[i])) return bail(r);
    } else if (!(L->id[i] = int_text(r->ctx, fid))) {
        return CC_ERR_NOMEM;
    }
    if (r->iname >= 0 && ((st = arrow_text(r, &ac->field[r->iname], row, &L->name[i])) || r->bail))
        return st;
    for (size_t k = 0; k < L->n_num; k++) {
        double v = NAN;
        int s = arrow_number(&ac->field[r->inum[k]], row, &v);
        if (s == NUM_NULL && req->num_allow_null)
            v = NAN;
        else if (s != NUM_OK || (req->num_nonneg && v < 0))
            return bail(r);
        L->num[k][i] = v;
    }
    for (size_t k = 0; k < L->n_str; k++)
        if (r->istr[k] >= 0 &&
            ((st = arrow_text(r, &ac->field[r->istr[k]], row, &L->str[k][i])) || r->bail))
            return st;
    return CC_OK;
}

static int acol_bind(acol *c, const struct ArrowArray *a, int64_t len)
{
    c->a = a;
    int nbuf = (c->fmt == 'u' || c->fmt == 'U' || c->fmt == 'z' || c->fmt == 'Z') ? 3 : 2;
    return a && a->offset == 0 && a->length >= len && a->n_buffers == nbuf &&
           (len == 0 || (a->buffers[1] && (nbuf == 2 || a->buffers[2])));
}

static cc_status arrow_batch(vreader *r, acols *ac, int fid_child, int geom_child,
                             const int *child_of, const struct ArrowArray *b, size_t *count,
                             GIntBig total)
{
    cc_ctx *ctx = r->ctx;
    cc_layer *L = r->L;
    const cc_vector_request *req = r->req;
    cc_status st;
    int64_t len = b->length;
    if (b->offset != 0 || len < 0) return bail(r);
    if (!acol_bind(&ac->fid, b->children[fid_child], len) ||
        !acol_bind(&ac->geom, b->children[geom_child], len))
        return bail(r);
    int nf = OGR_FD_GetFieldCount(r->defn);
    for (int f = 0; f < nf; f++)
        if (ac->field[f].fmt && !acol_bind(&ac->field[f], b->children[child_of[f]], len))
            return bail(r);
    for (int64_t row = 0; row < len; row++) {
        if ((++*count & 4095) == 0) {
            if ((st = cc_check_interrupt(ctx))) return st;
            if (total > 0) cc_progress(ctx, "load", (double)*count / (double)total);
        }
        if (acol_null(&ac->fid, row) || acol_null(&ac->geom, row)) return bail(r);
        int64_t fid = acol_int(&ac->fid, row);
        if ((st = reserve_slot(r))) return st;
        size_t i = L->n - 1;
        L->fid[i] = fid;
        size_t n;
        const unsigned char *g = acol_bytes(&ac->geom, row, &n);
        if (!g) return bail(r);
        wkbr w = {g, g + n, 0};
        cc_geom_kind k = CC_GEOM_NONE;
        if ((st = wkb_geometry(r, &w, fid, &k)) || r->bail) return st;
        if (req->expect != CC_GEOM_NONE && k != req->expect) return bail(r);
        if (r->kind == CC_GEOM_NONE) r->kind = k;
        if (k != r->kind) return bail(r);
        if ((st = cc__gcol_end_feature(ctx, &r->gc))) return st;
        size_t p0 = r->gc.g.feat_part[r->gc.n_feat - 1], p1 = r->gc.g.feat_part[r->gc.n_feat];
        cc__rep_point(&r->gc.g, r->kind, p0, p1, &L->rep_x[i], &L->rep_y[i]);
        if (!req->want_geometry) cc__gcol_drop_last_parts(&r->gc);
        if ((st = arrow_attributes(r, ac, row, i, fid)) || r->bail) return st;
    }
    return CC_OK;
}

/* Stream column of a field name (-1 when absent); sets its format when one we read. */
static int find_child(const struct ArrowSchema *sc, const char *name, char *fmt)
{
    for (int64_t c = 0; c < sc->n_children; c++) {
        const struct ArrowSchema *ch = sc->children[c];
        if (!ch->name || strcmp(ch->name, name) != 0) continue;
        *fmt = (ch->format && ch->format[0] && !ch->format[1] && strchr("ilguUzZ", ch->format[0]))
                   ? ch->format[0]
                   : 0;
        return (int)c;
    }
    return -1;
}

/*
 * Bind layer field idx (if used) to its stream column; 0 when missing, of a type not handled,
 * or typed differently in the query than in the layer (then the values could differ).
 */
static int use_field(acols *ac, int *child_of, const struct ArrowSchema *sc, OGRFeatureDefnH defn,
                     OGRFeatureDefnH qdefn, int idx, int numeric)
{
    if (idx < 0) return 1;
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, idx);
    const char *name = OGR_Fld_GetNameRef(fd);
    int q = OGR_FD_GetFieldIndex(qdefn, name);
    OGRFieldDefnH qd = q >= 0 ? OGR_FD_GetFieldDefn(qdefn, q) : NULL;
    if (!qd || strcmp(OGR_Fld_GetNameRef(qd), name) != 0 ||
        OGR_Fld_GetType(qd) != OGR_Fld_GetType(fd) ||
        OGR_Fld_GetSubType(qd) != OGR_Fld_GetSubType(fd))
        return 0;
    char fmt = 0;
    int c = find_child(sc, name, &fmt);
    if (c < 0 || !fmt || fmt == 'z' || fmt == 'Z' || (!numeric && fmt == 'g')) return 0;
    ac->field[idx].fmt = fmt;
    child_of[idx] = c;
    return 1;
}

/*
 * The query the stream reads: the fid, the geometry and the fields the request uses, in the
 * layer's order, with the where filter as the layer applies it (GPKG passes it to SQLite as
 * is), so rows come in the same order as from the layer.
 */
static cc_status stream_sql(vreader *r, const char *fid, const char *geom, cc_buf *b)
{
    cc_ctx *ctx = r->ctx;
    cc_status st = cc_buf_puts(ctx, b, "SELECT ");
    if (!st) st = put_ident(ctx, b, fid);
    if (!st) st = cc_buf_puts(ctx, b, ", ");
    if (!st) st = put_ident(ctx, b, geom);
    int nf = OGR_FD_GetFieldCount(r->defn);
    for (int i = 0; !st && i < nf; i++)
        if (field_wanted(r, i)) {
            st = cc_buf_puts(ctx, b, ", ");
            if (!st) st = put_ident(ctx, b, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i)));
        }
    if (!st) st = cc_buf_puts(ctx, b, " FROM ");
    if (!st) st = put_ident(ctx, b, OGR_L_GetName(r->lyr));
    if (!st && r->req->where && *r->req->where) {
        st = cc_buf_puts(ctx, b, " WHERE ");
        if (!st) st = cc_buf_puts(ctx, b, r->req->where);
    }
    return st;
}

static atomic_long stream_layers; /* layers read whole through the stream (for tests) */

long cc__io_stream_layers(void)
{
    return atomic_load(&stream_layers);
}

/*
 * Read the whole layer through the Arrow stream. *done: 1 read, 0 not tried, -1 tried and
 * given up (the caller restarts, then read_features does it).
 *
 * The stream is that of an SQL result layer rather than of the table layer: GDAL 3.6's table
 * layer streams through worker threads (a prefetch thread, or an asynchronous one when there
 * is a filter or the fids have gaps), whose GDAL messages bypass this thread's error handler
 * and whose hand-over had a race fixed only in GDAL 3.11.4. A result layer's stream runs
 * in the calling thread.
 */
static cc_status read_features_arrow(vreader *r, int *done)
{
    *done = 0;
    if (strcmp(r->drv, "GPKG") != 0 || r->uses_xy || !r->has_geom || r->recode || r->n_stored ||
        OGR_FD_GetGeomFieldCount(r->defn) != 1)
        return CC_OK;
    /* CARECIRCLE_GPKG_ARROW=NO (environment or GDAL configuration option) turns the fast path
     * off: a way round a GDAL build whose stream misbehaves, and how the tests compare both. */
    if (!CPLTestBoolean(CPLGetConfigOption("CARECIRCLE_GPKG_ARROW", "YES"))) return CC_OK;
    const char *fidname = OGR_L_GetFIDColumn(r->lyr);
    const char *gname = OGR_L_GetGeometryColumn(r->lyr);
    if (!fidname || !*fidname || !gname || !*gname) return CC_OK;
    *done = -1;
    cc_ctx *ctx = r->ctx;
    cc_status st = CC_OK;
    int nf = OGR_FD_GetFieldCount(r->defn);
    acols ac;
    memset(&ac, 0, sizeof ac);
    ac.field = cc_calloc(ctx, nf > 0 ? (size_t)nf : 1, sizeof *ac.field);
    int *child_of = cc_malloc_array(ctx, nf > 0 ? (size_t)nf : 1, sizeof *child_of);
    cc_buf sql = {0};
    if (!ac.field || !child_of || stream_sql(r, fidname, gname, &sql)) {
        cc_free(ac.field);
        cc_free(child_of);
        cc_buf_free(&sql);
        return CC_ERR_NOMEM;
    }
    struct ArrowArrayStream stream;
    struct ArrowSchema schema;
    memset(&stream, 0, sizeof stream);
    memset(&schema, 0, sizeof schema);
    int fail0 = r->errs.n_fail;
    GIntBig total = OGR_L_GetFeatureCount(r->lyr, FALSE);
    /* without a filter the count is the layer's: make room once */
    if (total > 0 && total < ((GIntBig)1 << 32) && !(r->req->where && *r->req->where) &&
        reserve_rows(r, (size_t)total)) {
        cc_free(ac.field);
        cc_free(child_of);
        cc_buf_free(&sql);
        return CC_ERR_NOMEM;
    }
    OGRLayerH q = GDALDatasetExecuteSQL(r->ds, sql.s, NULL, NULL);
    cc_buf_free(&sql);
    char **opts = CSLSetNameValue(NULL, "INCLUDE_FID", "YES");
    int have = q && opts && OGR_L_GetArrowStream(q, &stream, opts);
    CSLDestroy(opts);
    if (!have || stream.get_schema(&stream, &schema) != 0 || !schema.release) {
        bail(r);
        goto out;
    }
    OGRFeatureDefnH qdefn = OGR_L_GetLayerDefn(q);
    char fmt = 0, gfmt = 0;
    int fid_child = find_child(&schema, fidname, &fmt);
    int geom_child = find_child(&schema, gname, &gfmt);
    int ok = fid_child >= 0 && fmt == 'l' && geom_child >= 0 && (gfmt == 'z' || gfmt == 'Z') &&
             strcmp(OGR_L_GetFIDColumn(q), fidname) == 0 &&
             use_field(&ac, child_of, &schema, r->defn, qdefn, r->iid, 0) &&
             use_field(&ac, child_of, &schema, r->defn, qdefn, r->iname, 0);
    for (size_t k = 0; ok && k < r->L->n_num; k++)
        ok = use_field(&ac, child_of, &schema, r->defn, qdefn, r->inum[k], 1);
    for (size_t k = 0; ok && k < r->L->n_str; k++)
        ok = use_field(&ac, child_of, &schema, r->defn, qdefn, r->istr[k], 0);
    if (!ok) {
        bail(r);
        goto out;
    }
    ac.fid.fmt = 'l';
    ac.geom.fmt = gfmt;
    size_t count = 0;
    while (!st && !r->bail) {
        struct ArrowArray b;
        memset(&b, 0, sizeof b);
        if (stream.get_next(&stream, &b) != 0) {
            bail(r);
            break;
        }
        if (!b.release) break; /* end of stream */
        if (b.n_children != schema.n_children)
            bail(r);
        else
            st = arrow_batch(r, &ac, fid_child, geom_child, child_of, &b, &count, total);
        b.release(&b);
    }
out:
    if (schema.release) schema.release(&schema);
    if (stream.release) stream.release(&stream);
    if (q) GDALDatasetReleaseResultSet(r->ds, q);
    cc_free(ac.field);
    cc_free(child_of);
    if (st) return st;
    /* GDAL complained, or nothing was read: read_features reports it. */
    if (r->bail || r->errs.n_fail > fail0 || r->L->n == 0) return CC_OK;
    *done = 1;
    atomic_fetch_add(&stream_layers, 1);
    return CC_OK;
}
#else
long cc__io_stream_layers(void)
{
    return 0;
}
#endif

static cc_status read_all(vreader *r)
{
    const cc_vector_request *req = r->req;
    cc_ctx *ctx = r->ctx;
    cc_status st;
    char sfx[160];
    role_sfx(r, sfx, sizeof sfx);

    if ((st = check_encoding(r))) return st;
    if ((st = open_source(r))) return st;
    if ((st = choose_layer(r))) return st;
    cc_layer *L = r->L;
    if (!(L->path = cc_strdup(ctx, req->path))) return CC_ERR_NOMEM;
    if (!(L->layer_name = cc_strdup(ctx, OGR_L_GetName(r->lyr)))) return CC_ERR_NOMEM;
    if (!(L->driver = cc_strdup(ctx, r->drv))) return CC_ERR_NOMEM;
    r->defn = OGR_L_GetLayerDefn(r->lyr);
    if (strcmp(r->drv, "OSM") == 0) {
        /* Tell the OSM driver only this layer is wanted; otherwise it buffers the others and
         * large extracts fail with "too many features accumulated". */
        char *sql = cc_asprintf(ctx, "SET interest_layers = %s", L->layer_name);
        if (!sql) return CC_ERR_NOMEM;
        OGRLayerH res = GDALDatasetExecuteSQL(r->ds, sql, NULL, NULL);
        if (res) GDALDatasetReleaseResultSet(r->ds, res);
        cc_free(sql);
    }
    /* A Shapefile whose encoding nobody declared (no .cpg, no code page in the .dbf, no
     * encoding:) hands over its bytes as they are: watch for GBK. */
    r->gbk_check = strcmp(r->drv, "ESRI Shapefile") == 0 &&
                   !(req->encoding && *req->encoding) &&
                   !OGR_L_TestCapability(r->lyr, OLCStringsAsUTF8);
    if ((st = set_filter(r))) return st;
    if (req->x_field && *req->x_field && req->expect != CC_GEOM_NONE &&
        req->expect != CC_GEOM_POINT)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s: layer '%s': points (from x_field/y_field) given where %s are "
                        "needed%s",
                        req->path, L->layer_name, kind_word(req->expect), sfx);
    if ((st = resolve_fields(r))) return st;
    if ((st = check_layer_kind(r))) return st;
    if ((st = gpkg_find_stored_text(r))) return st;

    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->lyr);
    if ((st = cc__io_layer_crs(ctx, L, srs, req->crs_override, req->role))) return st;
    if (!L->crs && r->has_geom)
        return cc_error(ctx, CC_ERR_CRS,
                        "%s: layer '%s' has no CRS; set crs: EPSG:xxxx for this layer%s", req->path,
                        L->layer_name, sfx);

    if ((st = cc__gcol_init(ctx, &r->gc))) return st;
    r->kind0 = r->kind;
    int done = 0;
#ifdef CC__ARROW
    if ((st = read_features_arrow(r, &done))) return st;
    if (done < 0 && (st = restart(r))) return st;
#endif
    if (done != 1 && (st = read_features(r))) return st;
    if (L->n == 0) {
        if (req->where && *req->where)
            return cc_error(ctx, CC_ERR_DATA,
                            "%s: layer '%s': no features match where \"%s\"; check the "
                            "expression and values%s",
                            req->path, L->layer_name, req->where, sfx);
        return cc_error(ctx, CC_ERR_DATA, "%s: layer '%s' has no features%s", req->path,
                        L->layer_name, sfx);
    }
    cc_progress(ctx, "load", 1.0);

    if (r->uses_xy && !L->crs) {
        /* Coordinate columns without a CRS: plain lon/lat is by far the usual case. */
        int swapped = r->all_x_le90 && r->any_y_gt90 && r->all_y_le180;
        if (!swapped && r->have_bad)
            return cc_error(ctx, CC_ERR_CRS,
                            "%s: layer '%s' has no CRS and its coordinates are not longitude/"
                            "latitude; set crs: EPSG:xxxx for this layer%s",
                            req->path, L->layer_name, sfx);
        OGRSpatialReferenceH h = OSRNewSpatialReference(NULL);
        if (!h) return cc_error(ctx, CC_ERR_NOMEM, "out of memory");
        OSRImportFromEPSG(h, 4326);
        st = cc__io_layer_crs(ctx, L, h, NULL, req->role);
        OSRDestroySpatialReference(h);
        if (st) return st;
        L->crs_epsg = 4326;
        if (!swapped)
            cc_log(ctx, CC_LOG_INFO,
                   "%s: no CRS given for columns %s/%s; taking them as EPSG:4326 longitude/"
                   "latitude (set crs to override)",
                   req->path, req->x_field, req->y_field);
    }
    if (L->crs_geographic && (st = geographic_checks(r))) return st;

    if (r->have_ext) memcpy(L->extent, r->ext, sizeof L->extent);
    if (req->want_geometry) cc__gcol_take(&r->gc, &L->geom);
    L->geom.kind = r->kind; /* after the take, which brings the column's own kind */
    return CC_OK;
}

static void free_stored(vreader *r)
{
    for (size_t k = 0; k < r->n_stored; k++)
        cc_free(r->stored[k].text);
    cc_free(r->stored);
}

cc_status cc_io_read_vector(cc_ctx *ctx, const cc_vector_request *req, cc_layer **out)
{
    if (!out) return cc_error(ctx, CC_ERR_INVALID, "cc_io_read_vector: out is NULL");
    *out = NULL;
    if (!req || !req->path || !*req->path)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_read_vector: no path given");
    if ((req->n_num && !req->num_fields) || (req->n_str && !req->str_fields))
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_read_vector: field list is NULL");
    for (size_t k = 0; k < req->n_num; k++)
        if (!req->num_fields[k] || !*req->num_fields[k])
            return cc_error(ctx, CC_ERR_INVALID, "cc_io_read_vector: empty numeric field name");

    vreader r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.req = req;
    r.ix = r.iy = r.iid = r.iname = -1;
    r.all_x_le90 = r.all_y_le180 = 1;
    cc_status st = CC_OK;
    cc__io_begin(&r.errs, ctx);

    cc_layer *L = cc_calloc(ctx, 1, sizeof *L);
    if (!L) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    r.L = L;
    L->n_num = req->n_num;
    L->n_str = req->n_str;
    if (req->n_num) {
        L->num = cc_calloc(ctx, req->n_num, sizeof *L->num);
        r.inum = cc_malloc_array(ctx, req->n_num, sizeof *r.inum);
        if (!L->num || !r.inum) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
    }
    if (req->n_str) {
        L->str = cc_calloc(ctx, req->n_str, sizeof *L->str);
        r.istr = cc_malloc_array(ctx, req->n_str, sizeof *r.istr);
        if (!L->str || !r.istr) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
    }
    st = read_all(&r);
    if (st) goto fail;

    cc_free(r.inum);
    cc_free(r.istr);
    free_stored(&r);
    cc_io_geomcol_free(&r.gc.g);
    csv_text_close(&r.raw);
    GDALClose(r.ds);
    cc__io_end(&r.errs);
    *out = L;
    return CC_OK;

fail:
    if (r.feat) OGR_F_Destroy(r.feat);
    if (r.linear) OGR_G_DestroyGeometry(r.linear);
    csv_text_close(&r.raw);
    if (r.ds) GDALClose(r.ds);
    cc__io_end(&r.errs);
    cc_free(r.inum);
    cc_free(r.istr);
    free_stored(&r);
    cc_io_geomcol_free(&r.gc.g);
    cc_layer_destroy(L);
    return st;
}
