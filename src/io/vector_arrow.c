/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector reader, the GeoPackage fast path: whole batches of features through GDAL's Arrow C
 * stream (GDAL >= 3.6), geometries parsed from WKB.
 */
#include "io/io_internal.h"

#if GDAL_VERSION_NUM >= GDAL_COMPUTE_VERSION(3, 6, 0)
#include <ogr_recordbatch.h>
#define CC__ARROW 1 /* OGR_L_GetArrowStream */
#endif

#include <math.h>
#include <stdatomic.h>
#include <string.h>

/* Forget a partial read, for a second attempt from the first feature. */
cc_status cc__vr_restart(cc__vreader *r)
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

static cc_status bail(cc__vreader *r)
{
    r->bail = 1;
    return CC_OK;
}

/* ---- fields the request uses ---- */

static int field_wanted(const cc__vreader *r, int i)
{
    if (i == r->ix || i == r->iy || i == r->iid || i == r->iname) return 1;
    for (size_t k = 0; k < r->L->n_num; k++)
        if (r->inum[k] == i) return 1;
    for (size_t k = 0; k < r->L->n_str; k++)
        if (r->istr[k] == i) return 1;
    return 0;
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

/* NUM_* as cc__vr_read_number would say, or -1 when only cc__vr_read_number can tell. */
static int arrow_number(const acol *c, int64_t i, double *v)
{
    if (acol_null(c, i)) return CC__NUM_NULL;
    if (c->fmt == 'i' || c->fmt == 'l') {
        *v = (double)acol_int(c, i);
        return fabs(*v) > CC__NUM_MAX ? CC__NUM_RANGE : CC__NUM_OK;
    }
    if (c->fmt == 'g') {
        *v = ((const double *)c->a->buffers[1])[i];
        if (isnan(*v)) return CC__NUM_NAN;
        if (!isfinite(*v)) return CC__NUM_INF;
        return fabs(*v) > CC__NUM_MAX ? CC__NUM_RANGE : CC__NUM_OK;
    }
    size_t n;
    const char *s = acol_text(c, i, &n);
    char tmp[128];
    if (!s || n >= sizeof tmp) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return cc__vr_parse_number(tmp, v);
}

/* Text value (NULL for null) as cc__vr_read_text makes it; bails on text that is not UTF-8. */
static cc_status arrow_text(cc__vreader *r, const acol *c, int64_t i, char **out)
{
    *out = NULL;
    if (acol_null(c, i)) return CC_OK;
    if (c->fmt == 'i' || c->fmt == 'l') {
        *out = cc__i64_str(r->ctx, acol_int(c, i));
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
static cc_status wkb_vertices(cc__vreader *r, wkbr *w, int64_t fid, uint32_t n, int dims, int hole)
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
        cc__vr_coord_stats(r, fid, x[k], y[k]);
    }
    return CC_OK;
}

/* A point, line string or polygon (type 1-3) whose header was read. */
static cc_status wkb_single(cc__vreader *r, wkbr *w, int64_t fid, uint32_t type, int dims)
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
static cc_status wkb_geometry(cc__vreader *r, wkbr *w, int64_t fid, cc_geom_kind *kind)
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
static cc_status arrow_attributes(cc__vreader *r, const acols *ac, int64_t row, size_t i,
                                  int64_t fid)
{
    const cc_vector_request *req = r->req;
    cc_layer *L = r->L;
    cc_status st;
    if (r->iid >= 0) {
        if ((st = arrow_text(r, &ac->field[r->iid], row, &L->id[i])) || r->bail) return st;
        if (!L->id[i] || cc__vr_blank(L->id[i])) return bail(r);
    } else if (!(L->id[i] = cc__i64_str(r->ctx, fid))) {
        return CC_ERR_NOMEM;
    }
    if (r->iname >= 0 && ((st = arrow_text(r, &ac->field[r->iname], row, &L->name[i])) || r->bail))
        return st;
    for (size_t k = 0; k < L->n_num; k++) {
        double v = NAN;
        int s = arrow_number(&ac->field[r->inum[k]], row, &v);
        if (s == CC__NUM_NULL && req->num_allow_null)
            v = NAN;
        else if (s != CC__NUM_OK || (req->num_nonneg && v < 0))
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

static cc_status arrow_batch(cc__vreader *r, acols *ac, int fid_child, int geom_child,
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
        if ((st = cc__vr_reserve_slot(r))) return st;
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
static cc_status stream_sql(cc__vreader *r, const char *fid, const char *geom, cc_buf *b)
{
    cc_ctx *ctx = r->ctx;
    cc_status st = cc_buf_puts(ctx, b, "SELECT ");
    if (!st) st = cc__vr_put_ident(ctx, b, fid);
    if (!st) st = cc_buf_puts(ctx, b, ", ");
    if (!st) st = cc__vr_put_ident(ctx, b, geom);
    int nf = OGR_FD_GetFieldCount(r->defn);
    for (int i = 0; !st && i < nf; i++)
        if (field_wanted(r, i)) {
            st = cc_buf_puts(ctx, b, ", ");
            if (!st)
                st = cc__vr_put_ident(ctx, b, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i)));
        }
    if (!st) st = cc_buf_puts(ctx, b, " FROM ");
    if (!st) st = cc__vr_put_ident(ctx, b, OGR_L_GetName(r->lyr));
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
cc_status cc__vr_read_arrow(cc__vreader *r, int *done)
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
        cc__vr_reserve_rows(r, (size_t)total)) {
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

cc_status cc__vr_read_arrow(cc__vreader *r, int *done)
{
    (void)r;
    *done = 0;
    return CC_OK;
}
#endif
