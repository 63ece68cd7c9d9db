/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector writer: column arrays and a cc_geomcol into GDAL layers (GeoPackage bundle, graph
 * export, any GDAL vector driver that can create files). A cc_io_writer keeps one dataset open
 * for every layer of a file (and, in a GeoPackage, for the QGIS styles: styles.c).
 *
 * GeoPackages are written fast, with the content GDAL alone would write:
 * - A file the writer creates runs with PRAGMA synchronous = OFF and an in-memory rollback
 *   journal; it is removed on any failure and fsync'ed once when closed (the caller then renames
 *   it into place), so no commit waits for the disk.
 * - One OGRFeature (and, for single points, one geometry) serves every row of a layer.
 * - Each layer's spatial index (the gpkg_rtree_index extension) is bulk-loaded. GDAL 3.6 inserts
 *   the features into SQLite's R*-tree one at a time (about 27 s for 1e6 points); here the boxes
 *   are packed in memory (sort-tile-recursive) and written straight into the three shadow tables
 *   of SQLite's rtree module (node blobs, rowid -> leaf node, node -> parent; the layout is
 *   documented at the top of SQLite's ext/rtree/rtree.c). The boxes are the float bounds SQLite
 *   itself would store, the triggers and the gpkg_extensions row are the GeoPackage standard's,
 *   so SQLite, GDAL and QGIS use and maintain the index as one GDAL made; rtreecheck() accepts
 *   it (tests/unit/io/test_gpkg_write.c compares it with GDAL's own).
 * - A big layer (PART_MIN_ROWS rows or more, a new file, a CRS with an EPSG code) is written in
 *   two parts, by two threads when two are allowed, GDAL's feature writing being the cost that
 *   is left (about 8 us a row). A second thread writes the last rows, with their final feature
 *   ids, and then the index nodes into a part file beside the output, while this thread packs
 *   the index, writes the first rows and then the index maps. The part file is then attached
 *   and its rows and nodes copied in with INSERT ... SELECT (SQLite copies whole records).
 *   GDAL's feature-count triggers are dropped for that statement and re-created, and the count
 *   and extent are set to the values GDAL itself keeps. With one thread the part file is
 *   written first, on this thread, and the rest is the same. If the part cannot be attached,
 *   this thread writes those rows again: the content is the same.
 *
 * The bytes of a GeoPackage the writer creates depend on its content only. The statements on
 * the file and their order do not depend on the thread count (the part file is made with one
 * thread too; only this thread touches the output file, and it takes the part in once the
 * other thread has finished), so SQLite lays out the same pages; and the dates GDAL stamps
 * (gpkg_contents.last_change, at layer creation and when a layer is synced) are
 * cc_io_gpkg_date's: every GDAL call on such a file runs with GDAL's OGR_CURRENT_DATE option
 * set to it for this thread only (cc__date_pin; styles.c does the same and writes that date
 * into layer_styles.update_time).
 */
#include "io/io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The date of a GeoPackage without SOURCE_DATE_EPOCH (io.h: cc_io_gpkg_date). */
#define FIXED_DATE "2000-01-01T00:00:00.000Z"
/* SOURCE_DATE_EPOCH of 9999-12-31T23:59:59Z, the last second a GeoPackage date can hold. */
#define MAX_EPOCH 253402300799LL

/* ---- the date in the file ---- */

int cc_io_gpkg_date(char out[CC_IO_DATE_SIZE])
{
    cc_snprintf(out, CC_IO_DATE_SIZE, "%s", FIXED_DATE);
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return 0; /* empty: unset, as shells make it easy to write */
    /* Decimal digits only (no sign, blank or exponent), as the convention asks. */
    long long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (*s - '0');
        if (v > MAX_EPOCH) return -1;
    }
    time_t t = (time_t)v;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) return -1;
    cc_snprintf(out, CC_IO_DATE_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return 0;
}

void cc__io_pin_date(cc__date_pin *p, int on)
{
    p->on = on;
    p->old = NULL;
    if (!on) return;
    char date[CC_IO_DATE_SIZE];
    cc_io_gpkg_date(date);
    const char *old = CPLGetThreadLocalConfigOption(CC__DATE_OPTION, NULL);
    if (old) p->old = CPLStrdup(old);
    CPLSetThreadLocalConfigOption(CC__DATE_OPTION, date);
}

void cc__io_unpin_date(cc__date_pin *p)
{
    if (!p->on) return;
    CPLSetThreadLocalConfigOption(CC__DATE_OPTION, p->old);
    CPLFree(p->old);
    p->on = 0;
    p->old = NULL;
}

static int count_outer(const cc_geomcol *g, size_t p0, size_t p1)
{
    int n = 0;
    for (size_t p = p0; p < p1; p++)
        if (!g->part_hole || !g->part_hole[p]) n++;
    return n;
}

static void set_points(OGRGeometryH h, const cc_geomcol *g, size_t p)
{
    size_t a = g->part_coord[p], b = g->part_coord[p + 1];
    OGR_G_SetPointCount(h, (int)(b - a));
    for (size_t i = a; i < b; i++)
        OGR_G_SetPoint_2D(h, (int)(i - a), g->x[i], g->y[i]);
}

/* Geometry of feature i, or NULL for a feature without parts (*bad set on invalid input). */
static OGRGeometryH build_geom(const cc_geomcol *g, size_t i, int multi, int *bad)
{
    size_t p0 = g->feat_part[i], p1 = g->feat_part[i + 1];
    *bad = 0;
    if (p1 <= p0) return NULL;
    OGRGeometryH out = NULL, cur = NULL;
    if (g->kind == CC_GEOM_POINT) {
        out = OGR_G_CreateGeometry(multi ? wkbMultiPoint : wkbPoint);
        for (size_t p = p0; p < p1 && out; p++) {
            size_t c = g->part_coord[p];
            if (g->part_coord[p + 1] == c) continue;
            if (!multi) {
                OGR_G_SetPoint_2D(out, 0, g->x[c], g->y[c]);
                break;
            }
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(pt, 0, g->x[c], g->y[c]);
            OGR_G_AddGeometryDirectly(out, pt);
        }
    } else if (g->kind == CC_GEOM_LINE) {
        if (multi) out = OGR_G_CreateGeometry(wkbMultiLineString);
        for (size_t p = p0; p < p1; p++) {
            OGRGeometryH ls = OGR_G_CreateGeometry(wkbLineString);
            set_points(ls, g, p);
            if (!multi) {
                out = ls;
                break;
            }
            OGR_G_AddGeometryDirectly(out, ls);
        }
    } else if (g->kind == CC_GEOM_POLYGON) {
        if (multi) out = OGR_G_CreateGeometry(wkbMultiPolygon);
        for (size_t p = p0; p < p1; p++) {
            int hole = g->part_hole && g->part_hole[p];
            if (hole && !cur) {
                *bad = 1;
                break;
            }
            if (!hole) {
                if (cur && !multi) break; /* cannot happen: multi was chosen from the count */
                cur = OGR_G_CreateGeometry(wkbPolygon);
                if (multi)
                    OGR_G_AddGeometryDirectly(out, cur);
                else
                    out = cur;
            }
            OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
            set_points(ring, g, p);
            OGR_G_AddGeometryDirectly(cur, ring);
        }
        if (out && !*bad) OGR_G_CloseRings(out);
    }
    if (*bad && out) {
        OGR_G_DestroyGeometry(out);
        out = NULL;
    }
    return out;
}

/* ---- rows ---- */

static cc_status check_args(cc_ctx *ctx, const char *path, const char *layer_name,
                            const cc_geomcol *geom, size_t n, const cc_out_field *fields,
                            size_t n_fields)
{
    if (!layer_name || !*layer_name)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_write_layer: a layer name is required");
    if (strlen(layer_name) > CC__NAME_MAX_BYTES)
        return cc_error(ctx, CC_ERR_INVALID,
                        "cc_io_write_layer: %s: layer name longer than %d bytes", path,
                        CC__NAME_MAX_BYTES);
    if (n_fields && !fields)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_write_layer: fields is NULL");
    for (size_t j = 0; j < n_fields; j++)
        if (!fields[j].name || !*fields[j].name || (n && !fields[j].values))
            return cc_error(ctx, CC_ERR_INVALID,
                            "cc_io_write_layer: %s: field %zu has no name or no values", path, j);
    if (geom && geom->kind != CC_GEOM_NONE && n > 0) {
        if (!geom->feat_part || geom->feat_part[n] > geom->n_parts ||
            (geom->n_parts &&
             (!geom->part_coord || geom->part_coord[geom->n_parts] > geom->n_coords)) ||
            (geom->n_coords && (!geom->x || !geom->y)))
            return cc_error(ctx, CC_ERR_INVALID,
                            "cc_io_write_layer: %s: geometry arrays do not match %zu features",
                            path, n);
        for (size_t c = 0; c < geom->n_coords; c++)
            if (!isfinite(geom->x[c]) || !isfinite(geom->y[c]))
                return cc_error(ctx, CC_ERR_INVALID,
                                "cc_io_write_layer: %s: coordinate %zu is not finite", path, c);
    }
    return CC_OK;
}

/* Create the layer and its fields in ds; idx[j] gets field j's index. NULL on failure (msg). */
OGRLayerH cc__wr_make_layer(GDALDatasetH ds, cc__gdal_errs *e, const cc__layer_def *L,
                            OGRSpatialReferenceH srs, char **lco, int *idx, char *msg, size_t cap)
{
    e->msg[0] = '\0';
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, L->layer, srs, L->gtype, lco);
    if (!lyr) {
        cc_snprintf(msg, cap, "cannot create layer '%s' (%s)", L->layer,
                    cc__io_gdal_msg(e, "unknown reason"));
        return NULL;
    }
    for (size_t j = 0; j < L->n_fields; j++) {
        const cc_out_field *fl = &L->fields[j];
        OGRFieldType t = fl->type == CC_FIELD_INT    ? OFTInteger64
                         : fl->type == CC_FIELD_REAL ? OFTReal
                                                     : OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(fl->name, t);
        OGRErr err = OGR_L_CreateField(lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE) {
            cc_snprintf(msg, cap, "cannot create field '%s' in layer '%s' (%s)", fl->name, L->layer,
                        cc__io_gdal_msg(e, "unknown reason"));
            return NULL;
        }
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (size_t j = 0; j < L->n_fields; j++)
        idx[j] = OGR_FD_GetFieldIndex(defn, L->fields[j].name);
    return lyr;
}

/* Feature fields of row i (every field is set, to a value or null, so one feature serves). */
static void set_fields(OGRFeatureH f, const int *idx, const cc_out_field *fields, size_t n_fields,
                       size_t i)
{
    for (size_t j = 0; j < n_fields; j++) {
        if (idx[j] < 0) continue;
        if (fields[j].type == CC_FIELD_INT) {
            OGR_F_SetFieldInteger64(f, idx[j], ((const int64_t *)fields[j].values)[i]);
        } else if (fields[j].type == CC_FIELD_REAL) {
            double v = ((const double *)fields[j].values)[i];
            if (isnan(v))
                OGR_F_SetFieldNull(f, idx[j]);
            else
                OGR_F_SetFieldDouble(f, idx[j], v);
        } else {
            const char *s = ((const char *const *)fields[j].values)[i];
            cc_buf t = {0};
            /* Control characters and invalid UTF-8 from input data become U+FFFD, as in every
               other output (a TEXT column must hold UTF-8). Rare: only such text is copied. */
            if (s && !cc_text_is_clean(s)) s = cc_buf_put_text(NULL, &t, s) || !t.s ? "" : t.s;
            if (s)
                OGR_F_SetFieldString(f, idx[j], s);
            else
                OGR_F_SetFieldNull(f, idx[j]);
            cc_buf_free(&t);
        }
    }
}

/* The first coordinate of feature i, or -1 when it has none. */
static long long first_coord(const cc_geomcol *g, size_t i)
{
    for (size_t p = g->feat_part[i]; p < g->feat_part[i + 1]; p++)
        if (g->part_coord[p + 1] > g->part_coord[p]) return (long long)g->part_coord[p];
    return -1;
}

cc_status cc__wr_rows(cc__rows_job *J)
{
    const cc__layer_def *L = J->L;
    const cc_geomcol *geom = L->geom;
    OGRFeatureH f = J->f;
    int reuse_point = L->gtype == wkbPoint; /* single points reuse the feature's geometry */
    J->msg[0] = '\0';
    for (size_t i = J->a; i < J->b; i++) {
        if ((i & 4095) == 4095) {
            cc_status st = J->ctx ? cc_check_interrupt(J->ctx) : CC_OK;
            if (st) return st;
            if (J->stop && atomic_load(J->stop)) {
                cc_snprintf(J->msg, sizeof J->msg, "stopped");
                return CC_ERR_INTERRUPTED;
            }
        }
        OGR_F_SetFID(f, J->set_fid && i == J->a ? (GIntBig)(i + 1) : OGRNullFID);
        set_fields(f, J->idx, L->fields, L->n_fields, i);
        if (L->gtype != wkbNone) {
            long long c = reuse_point ? first_coord(geom, i) : -1;
            OGRGeometryH cur = c >= 0 ? OGR_F_GetGeometryRef(f) : NULL;
            if (cur && OGR_G_GetGeometryType(cur) == wkbPoint) {
                OGR_G_SetPoint_2D(cur, 0, geom->x[c], geom->y[c]);
            } else {
                int bad = 0;
                OGRGeometryH g = build_geom(geom, i, L->multi, &bad);
                if (bad) {
                    cc_snprintf(J->msg, sizeof J->msg,
                                "cc_io_write_layer: %s: feature %zu starts with an inner ring",
                                L->path, i);
                    return CC_ERR_INVALID;
                }
                OGR_F_SetGeometryDirectly(f, g); /* NULL clears the previous row's */
            }
        }
        J->e->msg[0] = '\0';
        if (OGR_L_CreateFeature(J->lyr, f) != OGRERR_NONE) {
            cc_snprintf(J->msg, sizeof J->msg, "%s: cannot write feature %zu of layer '%s' (%s)",
                        L->path, i, L->layer, cc__io_gdal_msg(J->e, "unknown reason"));
            return CC_ERR_IO;
        }
        if (J->check_fid && OGR_F_GetFID(f) != (GIntBig)(i + 1)) {
            cc_snprintf(J->msg, sizeof J->msg,
                        "%s: feature %zu of layer '%s' got id %lld; expected %zu", L->path, i,
                        L->layer, (long long)OGR_F_GetFID(f), i + 1);
            return CC_ERR_INTERNAL;
        }
    }
    return CC_OK;
}

/* ---- a layer ---- */

/* The layer's CRS, geometry type and creation options, the layer and its fields in the output,
   the feature reused for every row, and the index's boxes. */
static cc_status layer_create(cc_ctx *ctx, cc_io_writer *w, cc__layer_def *L, cc__layer_run *R,
                              cc__gdal_errs *e)
{
    const char *path = w->path, *crs = L->crs, *layer_name = L->layer;
    const cc_geomcol *geom = L->geom;
    char why[700] = "";
    if (crs && *crs) {
        R->srs = OSRNewSpatialReference(NULL);
        if (!R->srs || OSRSetFromUserInput(R->srs, crs) != OGRERR_NONE)
            return cc_error(ctx, CC_ERR_CRS, "%s: output crs '%s' is not known to GDAL/PROJ", path,
                            crs);
        OSRSetAxisMappingStrategy(R->srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    if (GDALDatasetGetLayerByName(w->ds, layer_name))
        return cc_error(ctx, CC_ERR_IO, "%s: already has a layer '%s'; choose another name", path,
                        layer_name);
    if (!GDALDatasetTestCapability(w->ds, ODsCCreateLayer))
        return cc_error(ctx, CC_ERR_IO, "%s: the %s format cannot hold another layer", path,
                        GDALGetDriverShortName(w->drv));
    if (geom && geom->kind != CC_GEOM_NONE) {
        for (size_t i = 0; i < L->n && !L->multi; i++) {
            size_t p0 = geom->feat_part[i], p1 = geom->feat_part[i + 1];
            L->multi = geom->kind == CC_GEOM_POLYGON ? count_outer(geom, p0, p1) > 1 : p1 - p0 > 1;
        }
        if (geom->kind == CC_GEOM_POINT) L->gtype = L->multi ? wkbMultiPoint : wkbPoint;
        if (geom->kind == CC_GEOM_LINE) L->gtype = L->multi ? wkbMultiLineString : wkbLineString;
        if (geom->kind == CC_GEOM_POLYGON) L->gtype = L->multi ? wkbMultiPolygon : wkbPolygon;
    }
    if (strcmp(GDALGetDriverShortName(w->drv), "GeoJSON") == 0 && R->srs &&
        cc__io_srs_epsg(R->srs) == 4326)
        R->lco = CSLSetNameValue(R->lco, "RFC7946", "YES");
    R->indexed = w->gpkg && L->gtype != wkbNone;
    if (R->indexed) R->lco = CSLSetNameValue(R->lco, "SPATIAL_INDEX", "NO");
    R->idx = cc_malloc_array(ctx, L->n_fields ? L->n_fields : 1, sizeof *R->idx);
    if (!R->idx) return CC_ERR_NOMEM;
    R->lyr = cc__wr_make_layer(w->ds, e, L, R->srs, R->lco, R->idx, why, sizeof why);
    if (!R->lyr) return cc_error(ctx, CC_ERR_IO, "%s: %s", path, why);
    R->f = OGR_F_Create(OGR_L_GetLayerDefn(R->lyr));
    if (!R->f)
        return cc_error(ctx, CC_ERR_NOMEM, "%s: out of memory writing layer '%s'", path,
                        layer_name);
    R->gcol = R->indexed ? OGR_L_GetGeometryColumn(R->lyr) : NULL;
    R->fcol = R->indexed ? OGR_L_GetFIDColumn(R->lyr) : NULL;
    if (!R->gcol || !*R->gcol) R->gcol = "geom";
    if (!R->fcol || !*R->fcol) R->fcol = "fid";
    if (!R->indexed) return CC_OK;
    /* The index's boxes (row i gets feature id i + 1 in the new table) and the rows holding the
       extent's extremes. */
    cc_status st = cc__rt_boxes(ctx, &R->rt, geom, L->n, R->ext);
    if (st) return st;
    R->rtree = cc_asprintf(ctx, "rtree_%s_%s", layer_name, R->gcol);
    R->sql.s = cc_malloc_array(ctx, CC__SQL_CAP, 1);
    if (!R->rtree || !R->sql.s) return CC_ERR_NOMEM;
    R->sql.cap = CC__SQL_CAP;
    cc__sb_reset(&R->sql);
    return CC_OK;
}

static cc_status index_error(cc_ctx *ctx, const cc__layer_def *L, const char *why)
{
    return cc_error(ctx, CC_ERR_IO, "%s: cannot write the spatial index of layer '%s' (%s)",
                    L->path, L->layer, why);
}

static cc_status commit_error(cc_ctx *ctx, const cc__layer_def *L, cc__gdal_errs *e)
{
    return cc_error(ctx, CC_ERR_IO, "%s: cannot commit layer '%s' (%s); is the disk full?", L->path,
                    L->layer, cc__io_gdal_msg(e, "unknown reason"));
}

/* This thread's rows [0, h), then the index table, and its maps when the part writes the
   nodes. */
static cc_status layer_rows(cc_ctx *ctx, cc_io_writer *w, const cc__layer_def *L, cc__layer_run *R,
                            cc__gdal_errs *e)
{
    GDALDatasetH ds = w->ds;
    char why[700] = "";
    if (GDALDatasetTestCapability(ds, ODsCTransactions) &&
        GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE)
        R->in_tx = 1;
    cc__rows_job *J = &R->rows;
    J->L = L;
    J->lyr = R->lyr;
    J->f = R->f;
    J->idx = R->idx;
    J->a = 0;
    J->b = R->h;
    J->check_fid = w->gpkg;
    J->ctx = ctx;
    J->stop = R->part ? &R->part->stop : NULL;
    J->e = e;
    cc_status st = cc__wr_rows(J);
    if (st) {
        if (R->part && strcmp(J->msg, "stopped") == 0) { /* the part thread failed first */
            cc__part_end(R);
            return cc_error(ctx, R->part->st, "%s", R->part->msg);
        }
        return J->msg[0] ? cc_error(ctx, st, "%s", J->msg) : st;
    }
    if (!R->indexed) return CC_OK;
    /* The index table; with the tree packed already, its maps go in while the part thread may
       still be writing. */
    if (!R->in_tx && GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE) R->in_tx = 1;
    if (cc__rt_create(ds, e, &R->sql, R->rtree, why, sizeof why)) return index_error(ctx, L, why);
    if (R->part && R->rt.n) {
        long long ns = cc__rt_node_size(ds, e, &R->sql, R->rtree, why, sizeof why);
        if (ns < 0) return index_error(ctx, L, why);
        if ((size_t)ns != R->rt.node_size) {
            cc_snprintf(why, sizeof why, "node sizes differ (%lld, %zu)", ns, R->rt.node_size);
            return index_error(ctx, L, why);
        }
        if (cc__rt_sql_maps(ds, e, &R->sql, R->rtree, &R->rt, why, sizeof why))
            return index_error(ctx, L, why);
    }
    return CC_OK;
}

/* The part taken in, or the index of a layer written in one part; the index registered and the
   layer committed. */
static cc_status layer_finish(cc_ctx *ctx, cc_io_writer *w, const cc__layer_def *L,
                              cc__layer_run *R, cc__gdal_errs *e)
{
    GDALDatasetH ds = w->ds;
    char why[700] = "";
    cc_status st;
    if (R->part) {
        if ((st = cc__part_finish(ctx, w, L, R, e))) return st;
    } else if (R->indexed && R->rt.n) {
        long long ns = cc__rt_node_size(ds, e, &R->sql, R->rtree, why, sizeof why);
        if (ns < 0) return index_error(ctx, L, why);
        if ((st = cc__rt_build(ctx, &R->rt, L->n, (size_t)ns))) return st;
        if (cc__rt_sql_nodes(ds, e, &R->sql, R->rtree, &R->rt, why, sizeof why) ||
            cc__rt_sql_maps(ds, e, &R->sql, R->rtree, &R->rt, why, sizeof why))
            return index_error(ctx, L, why);
    }
    if (R->indexed &&
        cc__rt_register(ds, e, &R->sql, R->rtree, L->layer, R->gcol, R->fcol, why, sizeof why))
        return index_error(ctx, L, why);
    if (R->in_tx) {
        R->in_tx = 0;
        if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) return commit_error(ctx, L, e);
    }
    return CC_OK;
}

cc_status cc_io_writer_add_layer(cc_ctx *ctx, cc_io_writer *w, const char *layer_name,
                                 const char *crs, const cc_geomcol *geom, size_t n_features,
                                 const cc_out_field *fields, size_t n_fields)
{
    if (!w || !w->ds)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_writer_add_layer: the writer is not open");
    cc_status st = check_args(ctx, w->path, layer_name, geom, n_features, fields, n_fields);
    if (st) return st;
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    cc__date_pin pin;
    cc__io_pin_date(&pin, w->gpkg && w->created);
    cc__layer_run R;
    memset(&R, 0, sizeof R);
    for (int k = 0; k < 4; k++)
        R.ext[k] = (size_t)-1;
    R.h = n_features;
    cc__layer_def L = {w->path, layer_name, crs, geom, fields, n_fields, n_features, wkbNone, 0};
    st = layer_create(ctx, w, &L, &R, &errs);
    /* Rows from h on go to the part file, on a thread of its own when two are allowed. */
    if (!st) st = cc__part_start(ctx, w, &L, &R, &errs);
    if (!st) st = layer_rows(ctx, w, &L, &R, &errs);
    if (!st) st = layer_finish(ctx, w, &L, &R, &errs);
    if (R.in_tx) GDALDatasetRollbackTransaction(w->ds);
    cc__layer_free(&R); /* stops and waits for the part thread first */
    cc__io_unpin_date(&pin);
    cc__io_end(&errs);
    return st;
}

/* ---- the writer ---- */

/* An unusable SOURCE_DATE_EPOCH was reported (once a process). */
static atomic_int bad_epoch_told;

cc_status cc_io_writer_open(cc_ctx *ctx, const char *path, const char *driver, int append,
                            cc_io_writer **out)
{
    *out = NULL;
    if (!path || !*path || !driver || !*driver)
        return cc_error(ctx, CC_ERR_INVALID,
                        "cc_io_write_layer: path, driver and layer name are required");
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    cc_status st = CC_OK;
    cc_io_writer *w = cc_calloc(ctx, 1, sizeof *w);
    if (!w || !(w->path = cc_strdup(ctx, path))) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    w->drv = GDALGetDriverByName(driver);
    if (!w->drv || !GDALGetMetadataItem(w->drv, GDAL_DCAP_VECTOR, NULL)) {
        st = cc_error(ctx, CC_ERR_INVALID,
                      "%s: '%s' is not a GDAL vector driver (use GPKG or "
                      "GeoJSON)",
                      path, driver);
        goto fail;
    }
    if (append) {
        w->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR, NULL,
                           NULL, NULL);
        if (!w->ds) {
            st = cc_error(ctx, CC_ERR_IO, "%s: cannot be opened to add a layer (%s)", path,
                          cc__io_gdal_msg(&errs, "unknown reason"));
            goto fail;
        }
        w->drv = GDALGetDatasetDriver(w->ds); /* the file decides */
    } else {
        VSIStatBufL sb;
        if (VSIStatL(path, &sb) == 0) {
            /* Replace: the caller writes to a temporary name (cc_outset) and renames. */
            if (GDALDeleteDataset(w->drv, path) != CE_None) VSIUnlink(path);
        }
        errs.msg[0] = '\0';
        int gpkg = strcmp(GDALGetDriverShortName(w->drv), "GPKG") == 0;
        char date[CC_IO_DATE_SIZE];
        if (gpkg && cc_io_gpkg_date(date) && !atomic_exchange(&bad_epoch_told, 1))
            cc_log(ctx, CC_LOG_WARN,
                   "SOURCE_DATE_EPOCH='%.40s' is not a whole number of seconds since "
                   "1970-01-01 UTC (up to the year 9999); GeoPackages get the date %s instead",
                   getenv("SOURCE_DATE_EPOCH"), date);
        cc__date_pin pin;
        cc__io_pin_date(&pin, gpkg);
        w->ds = GDALCreate(w->drv, path, 0, 0, 0, GDT_Unknown, NULL);
        cc__io_unpin_date(&pin);
        if (!w->ds) {
            st = cc_error(ctx, CC_ERR_IO,
                          "%s: cannot be created (%s); check the folder exists and "
                          "is writable",
                          path, cc__io_gdal_msg(&errs, "unknown reason"));
            goto fail;
        }
        w->created = 1;
    }
    w->gpkg = strcmp(GDALGetDriverShortName(w->drv), "GPKG") == 0;
    if (w->gpkg && w->created) {
        /* A new file is removed on failure and synced once when closed (see the top). */
        char why[600];
        if (cc__ds_exec(w->ds, &errs, "PRAGMA synchronous = OFF", why, sizeof why) ||
            cc__ds_exec(w->ds, &errs, "PRAGMA journal_mode = MEMORY", why, sizeof why)) {
            st = cc_error(ctx, CC_ERR_IO, "%s: cannot set up the new file (%s)", path, why);
            goto fail;
        }
    }
    cc__io_end(&errs);
    *out = w;
    return CC_OK;

fail:
    cc__io_end(&errs);
    cc_io_writer_discard(w);
    return st;
}

/* Push a file's data to the disk (the writer turned off SQLite's own syncs). */
static cc_status sync_file(cc_ctx *ctx, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int bad = fd < 0 || (fsync(fd) != 0 && errno != EINVAL);
    int err = errno;
    if (fd >= 0 && close(fd) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (bad)
        return cc_error(ctx, CC_ERR_IO, "%s: finishing the file failed (%s); is the disk full?",
                        path, strerror(err ? err : EIO));
    return CC_OK;
}

cc_status cc_io_writer_close(cc_ctx *ctx, cc_io_writer *w)
{
    if (!w) return CC_OK;
    cc_status st = CC_OK;
    if (w->ds) {
        cc__gdal_errs errs;
        cc__io_begin(&errs, ctx);
        int fail0 = errs.n_fail;
        cc__date_pin pin; /* GDAL syncs the layers, and their dates, when closing */
        cc__io_pin_date(&pin, w->gpkg && w->created);
        GDALClose(w->ds);
        cc__io_unpin_date(&pin);
        w->ds = NULL;
        if (errs.n_fail > fail0)
            st = cc_error(ctx, CC_ERR_IO, "%s: finishing the file failed (%s); is the disk full?",
                          w->path, cc__io_gdal_msg(&errs, "unknown reason"));
        cc__io_end(&errs);
    }
    if (!st && w->created && w->gpkg) st = sync_file(ctx, w->path);
    if (st) {
        cc_io_writer_discard(w);
        return st;
    }
    cc_free(w->path);
    cc_free(w);
    return CC_OK;
}

void cc_io_writer_discard(cc_io_writer *w)
{
    if (!w) return;
    cc__gdal_errs errs;
    cc__io_begin(&errs, NULL);
    if (w->ds) GDALClose(w->ds);
    if (w->created && GDALDeleteDataset(w->drv, w->path) != CE_None) VSIUnlink(w->path);
    cc__io_end(&errs);
    cc_free(w->path);
    cc_free(w);
}

cc_status cc_io_write_layer(cc_ctx *ctx, const char *path, const char *driver,
                            const char *layer_name, int append, const char *crs,
                            const cc_geomcol *geom, size_t n_features, const cc_out_field *fields,
                            size_t n_fields)
{
    if (!path || !*path || !driver || !*driver || !layer_name || !*layer_name)
        return cc_error(ctx, CC_ERR_INVALID,
                        "cc_io_write_layer: path, driver and layer name are "
                        "required");
    cc_status st = check_args(ctx, path, layer_name, geom, n_features, fields, n_fields);
    if (st) return st;
    cc_io_writer *w = NULL;
    st = cc_io_writer_open(ctx, path, driver, append, &w);
    if (!st)
        st = cc_io_writer_add_layer(ctx, w, layer_name, crs, geom, n_features, fields, n_fields);
    if (st) {
        cc_io_writer_discard(w);
        return st;
    }
    return cc_io_writer_close(ctx, w);
}
