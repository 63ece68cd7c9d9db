/*
 * Vector reader: one layer of any GDAL vector source into column arrays (cc_layer), in source
 * order and source CRS, with validation that names the file and the feature, CSV line or
 * spreadsheet row of every problem.
 */
#include "io/io_internal.h"

#include <ctype.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    return strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "UTF8") == 0;
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
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
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t v = diag + (same ? 0 : 1);
            if (row[j] + 1 < v) v = row[j] + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
        }
    }
    return row[lb];
}

static cc_status field_not_found(vreader *r, const char *what, const char *name)
{
    cc_ctx *ctx = r->ctx;
    cc_buf list = {0};
    int nf = OGR_FD_GetFieldCount(r->defn);
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (int i = 0; i < nf; i++) {
        const char *fn = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i));
        if (i < 40) {
            if (i) cc_buf_puts(ctx, &list, ", ");
            cc_buf_puts(ctx, &list, fn);
        } else if (i == 40) {
            cc_buf_puts(ctx, &list, ", ...");
        }
        size_t d = edit_distance(name, fn);
        if (d < best_d) {
            best_d = d;
            best = fn;
        }
    }
    size_t len = strlen(name);
    size_t limit = len / 3 > 2 ? len / 3 : 2;
    char sfx[160];
    role_sfx(r, sfx, sizeof sfx);
    if (best && best_d <= limit)
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
    /* OGR's lookup is case-insensitive; prefer an exact match when both exist. */
    int nf = OGR_FD_GetFieldCount(r->defn);
    for (int i = 0; i < nf; i++)
        if (strcmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i)), name) == 0) {
            *idx = i;
            return CC_OK;
        }
    *idx = OGR_FD_GetFieldIndex(r->defn, name);
    if (*idx < 0 && required) return field_not_found(r, what, name);
    return CC_OK;
}

/* ---- values ---- */

enum { NUM_OK = 0, NUM_NULL = 1, NUM_BAD = 2, NUM_INF = 3 };

/* Read a numeric value from any field type; text is parsed locale-independently. */
static int read_number(vreader *r, int idx, double *v, const char **raw)
{
    *raw = NULL;
    if (!OGR_F_IsFieldSetAndNotNull(r->feat, idx)) return NUM_NULL;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(r->defn, idx));
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        *v = OGR_F_GetFieldAsDouble(r->feat, idx);
        if (isnan(*v)) return NUM_NULL;
        if (!isfinite(*v)) return NUM_INF;
        return NUM_OK;
    }
    const char *s = OGR_F_GetFieldAsString(r->feat, idx);
    *raw = s;
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
    return NUM_OK;
}

/* Text of a field as a new UTF-8 string (NULL when null); recoded when asked. */
static cc_status read_text(vreader *r, int idx, const char *fname, int64_t fid, char **out)
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

static cc_status reserve_slot(vreader *r)
{
    cc_ctx *ctx = r->ctx;
    cc_layer *L = r->L;
    if (L->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 256;
        void *p;
#define CC__GROW(arr, T)                                                                           \
    do {                                                                                           \
        p = cc_realloc_array(ctx, (arr), nc, sizeof(T));                                           \
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
        r->cap = nc;
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

static cc_status add_coord(vreader *r, int64_t fid, double x, double y)
{
    if (!isfinite(x) || !isfinite(y)) {
        char lb[48];
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: a coordinate is NaN or infinite; fix or remove this feature",
                        r->req->path, flabel(r, fid, lb, sizeof lb));
    }
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
    return cc__gcol_coord(r->ctx, &r->gc, x, y);
}

static cc_status add_curve(vreader *r, int64_t fid, OGRGeometryH g, int hole)
{
    cc_status st = cc__gcol_part(r->ctx, &r->gc, hole);
    if (st) return st;
    int n = OGR_G_GetPointCount(g);
    for (int i = 0; i < n; i++) {
        st = add_coord(r, fid, OGR_G_GetX(g, i), OGR_G_GetY(g, i));
        if (st) return st;
    }
    return CC_OK;
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
    GDALDriverH d = GDALIdentifyDriverEx(req->path, GDAL_OF_VECTOR, NULL, NULL);
    const char *dn = d ? GDALGetDriverShortName(d) : "";
    int enc_given = req->encoding && *req->encoding && !is_utf8_name(req->encoding);
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
    cc_status st = cc__io_open(r->ctx, &r->errs, req->path, GDAL_OF_VECTOR, opts, "vector", &r->ds);
    CSLDestroy(opts);
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
    if (strcmp(r->drv, "CSV") == 0)
        r->label_mode = 1;
    else if (strcmp(r->drv, "XLSX") == 0 || strcmp(r->drv, "ODS") == 0 ||
             strcmp(r->drv, "XLS") == 0)
        r->label_mode = 2;
    return CC_OK;
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
    if (err != OGRERR_NONE) {
        char sfx[160];
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: layer '%s': invalid where expression \"%s\" (%s); check field names "
                        "and quotes (text in 'single quotes')%s",
                        req->path, r->L->layer_name, has_where ? req->where : "",
                        cc__io_gdal_msg(&r->errs, "syntax error"), role_sfx(r, sfx, sizeof sfx));
    }
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
        int s = read_number(r, idx[k], &v[k], &raw);
        if (s == NUM_NULL)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: column '%s' is empty; every row needs coordinates",
                            r->req->path, flabel(r, fid, lb, sizeof lb), names[k]);
        if (s == NUM_BAD)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: column '%s' value '%s' is not a number (use '.' as the "
                            "decimal mark, no units)",
                            r->req->path, flabel(r, fid, lb, sizeof lb), names[k], raw ? raw : "");
        if (s == NUM_INF)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: a coordinate is NaN or infinite; fix or remove this feature",
                            r->req->path, flabel(r, fid, lb, sizeof lb));
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
        if (!L->id[i])
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: id field '%s' is empty; every feature needs an id", req->path,
                            flabel(r, fid, lb, sizeof lb), req->id_field);
    } else {
        if (!(L->id[i] = cc__i64_str(r->ctx, fid))) return CC_ERR_NOMEM;
    }
    if (r->iname >= 0 && (st = read_text(r, r->iname, req->name_field, fid, &L->name[i])))
        return st;
    for (size_t k = 0; k < L->n_num; k++) {
        const char *raw;
        double v = NAN;
        const char *fn = req->num_fields[k];
        int s = read_number(r, r->inum[k], &v, &raw);
        if (s == NUM_NULL) {
            if (!req->num_allow_null)
                return cc_error(r->ctx, CC_ERR_DATA,
                                "%s: %s: field '%s' is empty; fill it in or leave the feature out "
                                "with where:",
                                req->path, flabel(r, fid, lb, sizeof lb), fn);
            v = NAN;
        } else if (s == NUM_BAD) {
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: field '%s' value '%s' is not a number (use '.' as the "
                            "decimal mark, no units)",
                            req->path, flabel(r, fid, lb, sizeof lb), fn, raw ? raw : "");
        } else if (s == NUM_INF) {
            return cc_error(r->ctx, CC_ERR_DATA, "%s: %s: field '%s' is infinite", req->path,
                            flabel(r, fid, lb, sizeof lb), fn);
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
    if ((st = set_filter(r))) return st;
    if (req->x_field && *req->x_field && req->expect != CC_GEOM_NONE &&
        req->expect != CC_GEOM_POINT)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s: layer '%s': points (from x_field/y_field) given where %s are "
                        "needed%s",
                        req->path, L->layer_name, kind_word(req->expect), sfx);
    if ((st = resolve_fields(r))) return st;
    if ((st = check_layer_kind(r))) return st;

    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->lyr);
    if ((st = cc__io_layer_crs(ctx, L, srs, req->crs_override, req->role))) return st;
    if (!L->crs && r->has_geom)
        return cc_error(ctx, CC_ERR_CRS,
                        "%s: layer '%s' has no CRS; set crs: EPSG:xxxx for this layer%s", req->path,
                        L->layer_name, sfx);

    if ((st = cc__gcol_init(ctx, &r->gc))) return st;
    GIntBig total = OGR_L_GetFeatureCount(r->lyr, FALSE);
    int fail0 = r->errs.n_fail;
    OGR_L_ResetReading(r->lyr);
    /* Some drivers (GPKG, SQLite) check the where expression only when reading starts. */
    r->errs.msg[0] = '\0';
    r->feat = OGR_L_GetNextFeature(r->lyr);
    if (!r->feat && r->errs.n_fail > fail0 && req->where && *req->where)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s: layer '%s': invalid where expression \"%s\" (%s); check field names "
                        "and quotes (text in 'single quotes')%s",
                        req->path, L->layer_name, req->where,
                        cc__io_gdal_msg(&r->errs, "syntax error"), sfx);
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
    cc_io_geomcol_free(&r.gc.g);
    GDALClose(r.ds);
    cc__io_end(&r.errs);
    *out = L;
    return CC_OK;

fail:
    if (r.feat) OGR_F_Destroy(r.feat);
    if (r.linear) OGR_G_DestroyGeometry(r.linear);
    if (r.ds) GDALClose(r.ds);
    cc__io_end(&r.errs);
    cc_free(r.inum);
    cc_free(r.istr);
    cc_io_geomcol_free(&r.gc.g);
    cc_layer_destroy(L);
    return st;
}
