/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector reader: one layer of any GDAL vector source into column arrays (cc_layer), in source
 * order and source CRS, with validation that names the file and the feature, CSV line or
 * spreadsheet row of every problem. This file opens the source, chooses the layer and reads it
 * feature by feature through OGR; its parts are vector_text.c (encodings, field lookup, text
 * values), vector_number.c (numbers from text, GeoPackage values stored as another type),
 * vector_csvt.c (the text of .csvt-typed CSV cells), vector_geom.c (coordinates and geometry)
 * and vector_arrow.c (the GeoPackage fast path through the Arrow stream).
 */
#include "io/io_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "feature 12", "line 13" (CSV: header is line 1) or "row 13" (spreadsheets). */
const char *cc__vr_label(const cc__vreader *r, int64_t fid, char *buf, size_t n)
{
    if (r->label_mode == 1)
        cc_snprintf(buf, n, "line %lld", (long long)fid + 1);
    else if (r->label_mode == 2)
        cc_snprintf(buf, n, "row %lld", (long long)fid);
    else
        cc_snprintf(buf, n, "feature %lld", (long long)fid);
    return buf;
}

const char *cc__vr_role(const cc__vreader *r, char *buf, size_t n)
{
    if (r->req->role && *r->req->role)
        cc_snprintf(buf, n, " (%s)", r->req->role);
    else
        buf[0] = '\0';
    return buf;
}

/* ---- per-feature storage ---- */

/* Room for n features in the per-feature arrays (so a layer of known size grows once). */
cc_status cc__vr_reserve_rows(cc__vreader *r, size_t n)
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

cc_status cc__vr_reserve_slot(cc__vreader *r)
{
    cc_layer *L = r->L;
    if (L->n == r->cap) {
        cc_status st = cc__vr_reserve_rows(r, r->cap ? r->cap * 2 : 256);
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

/* ---- layer choice ---- */

static cc_status layer_list(cc__vreader *r, cc_buf *b)
{
    int n = GDALDatasetGetLayerCount(r->ds);
    for (int i = 0; i < n; i++) {
        if (i) cc_buf_puts(r->ctx, b, ", ");
        cc_buf_puts(r->ctx, b, OGR_L_GetName(GDALDatasetGetLayer(r->ds, i)));
    }
    return CC_OK;
}

static cc_status choose_layer(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    int n = GDALDatasetGetLayerCount(r->ds);
    char sfx[160];
    cc__vr_role(r, sfx, sizeof sfx);
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
            if (cc__vr_kind_of_type(OGR_L_GetGeomType(l)) == req->expect) r->lyr = l;
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

static cc_status open_source(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    char **opts = NULL;
    cc_status st = cc__io_check_path(r->ctx, req->path);
    if (st) return st;
    GDALDriverH d = GDALIdentifyDriverEx(req->path, GDAL_OF_VECTOR, NULL, NULL);
    int enc_given = req->encoding && *req->encoding && !cc__vr_utf8_name(req->encoding);
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
                        req->path, cc__vr_role(r, sfx, sizeof sfx));
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
static cc_status where_error(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    char sfx[160];
    cc__vr_role(r, sfx, sizeof sfx);
    const char *why = cc__io_gdal_msg(&r->errs, "syntax error");
    if (strstr(why, "Type mismatch"))
        return cc_error(
            r->ctx, CC_ERR_DATA,
            "%s: layer '%s': where \"%s\" compares a text column with a number%s; "
            "write CAST(field AS integer) (or AS real) in the expression%s%s",
            req->path, r->L->layer_name, req->where,
            strcmp(r->drv, "CSV") == 0 ? " (CSV columns are text)" : "",
            strcmp(r->drv, "CSV") == 0 ? ", or give the columns types in a .csvt file" : "", sfx);
    return cc_error(r->ctx, CC_ERR_DATA,
                    "%s: layer '%s': invalid where expression \"%s\" (%s); check field names "
                    "and quotes (text in 'single quotes')%s",
                    req->path, r->L->layer_name, req->where ? req->where : "", why, sfx);
}

static cc_status set_filter(cc__vreader *r)
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

static cc_status check_layer_kind(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    char sfx[160];
    cc__vr_role(r, sfx, sizeof sfx);
    if (r->uses_xy) {
        r->kind = CC_GEOM_POINT;
        if (req->expect != CC_GEOM_NONE && req->expect != CC_GEOM_POINT)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: layer '%s': points (from x_field/y_field) given where %s are "
                            "needed%s",
                            req->path, r->L->layer_name, cc__vr_kind_word(req->expect), sfx);
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
    cc_geom_kind lk = cc__vr_kind_of_type(OGR_L_GetGeomType(r->lyr));
    if (lk != CC_GEOM_NONE) r->kind = lk;
    if (req->expect != CC_GEOM_NONE && lk != CC_GEOM_NONE && lk != req->expect)
        return cc_error(r->ctx, CC_ERR_DATA, "%s: layer '%s': %s given where %s are needed%s",
                        req->path, r->L->layer_name, cc__vr_kind_word(lk),
                        cc__vr_kind_word(req->expect), sfx);
    return CC_OK;
}

static cc_status read_attributes(cc__vreader *r, size_t i, int64_t fid)
{
    const cc_vector_request *req = r->req;
    cc_layer *L = r->L;
    char lb[48];
    cc_status st;
    if (r->iid >= 0) {
        if ((st = cc__vr_read_text(r, r->iid, req->id_field, fid, &L->id[i]))) return st;
        if (!L->id[i] || cc__vr_blank(L->id[i]))
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: id field '%s' is empty; every feature needs an id", req->path,
                            cc__vr_label(r, fid, lb, sizeof lb), req->id_field);
    } else {
        if (!(L->id[i] = cc__i64_str(r->ctx, fid))) return CC_ERR_NOMEM;
    }
    if (r->iname >= 0 && (st = cc__vr_read_text(r, r->iname, req->name_field, fid, &L->name[i])))
        return st;
    for (size_t k = 0; k < L->n_num; k++) {
        const char *raw;
        double v = NAN;
        const char *fn = req->num_fields[k];
        int s = cc__vr_read_number(r, r->inum[k], fid, &v, &raw);
        if (s == CC__NUM_NULL) {
            if (!req->num_allow_null)
                return cc_error(r->ctx, CC_ERR_DATA,
                                "%s: %s: field '%s' is empty; fill it in or leave the feature out "
                                "with where:",
                                req->path, cc__vr_label(r, fid, lb, sizeof lb), fn);
            v = NAN;
        } else if (s != CC__NUM_OK) {
            return cc__vr_number_error(r, s, fid, "field", fn, raw, v);
        } else if (req->num_nonneg && v < 0) {
            char num[48];
            cc_fmt_double(num, sizeof num, v, 9);
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: field '%s' is negative (%s); counts and capacities must be "
                            "0 or more",
                            req->path, cc__vr_label(r, fid, lb, sizeof lb), fn, num);
        }
        L->num[k][i] = v;
    }
    for (size_t k = 0; k < L->n_str; k++)
        if ((st = cc__vr_read_text(r, r->istr[k], req->str_fields[k], fid, &L->str[k][i])))
            return st;
    return CC_OK;
}

/* Feature by feature through OGR: any driver, and every validation message. */
static cc_status read_features(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    cc_ctx *ctx = r->ctx;
    cc_layer *L = r->L;
    cc_status st;
    char sfx[160];
    cc__vr_role(r, sfx, sizeof sfx);
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
        if ((st = cc__vr_reserve_slot(r))) return st;
        size_t i = L->n - 1;
        L->fid[i] = fid;
        st = r->uses_xy ? cc__vr_coords_xy(r, fid) : cc__vr_coords_geom(r, fid);
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
                        L->n ? cc__vr_label(r, L->fid[L->n - 1], lb, sizeof lb) : "",
                        L->n ? "; " : "", cc__io_gdal_msg(&r->errs, "read error"));
    }
    return CC_OK;
}

static cc_status read_all(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    cc_ctx *ctx = r->ctx;
    cc_status st;
    char sfx[160];
    cc__vr_role(r, sfx, sizeof sfx);

    if ((st = cc__vr_check_encoding(r))) return st;
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
    r->gbk_check = strcmp(r->drv, "ESRI Shapefile") == 0 && !(req->encoding && *req->encoding) &&
                   !OGR_L_TestCapability(r->lyr, OLCStringsAsUTF8);
    if ((st = set_filter(r))) return st;
    if (req->x_field && *req->x_field && req->expect != CC_GEOM_NONE &&
        req->expect != CC_GEOM_POINT)
        return cc_error(ctx, CC_ERR_DATA,
                        "%s: layer '%s': points (from x_field/y_field) given where %s are "
                        "needed%s",
                        req->path, L->layer_name, cc__vr_kind_word(req->expect), sfx);
    if ((st = cc__vr_resolve_fields(r))) return st;
    if ((st = check_layer_kind(r))) return st;
    if ((st = cc__vr_gpkg_stored_text(r))) return st;

    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->lyr);
    if ((st = cc__io_layer_crs(ctx, L, srs, req->crs_override, req->role))) return st;
    if (!L->crs && r->has_geom)
        return cc_error(ctx, CC_ERR_CRS,
                        "%s: layer '%s' has no CRS; set crs: EPSG:xxxx for this layer%s", req->path,
                        L->layer_name, sfx);

    if ((st = cc__gcol_init(ctx, &r->gc))) return st;
    r->kind0 = r->kind;
    int done = 0;
    if ((st = cc__vr_read_arrow(r, &done))) return st;
    if (done < 0 && (st = cc__vr_restart(r))) return st;
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
    if (L->crs_geographic && (st = cc__vr_geographic_checks(r))) return st;

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

    cc__vreader r;
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
    cc__vr_free_stored(&r);
    cc_io_geomcol_free(&r.gc.g);
    cc__vr_csvt_close(&r.raw);
    GDALClose(r.ds);
    cc__io_end(&r.errs);
    *out = L;
    return CC_OK;

fail:
    if (r.feat) OGR_F_Destroy(r.feat);
    if (r.linear) OGR_G_DestroyGeometry(r.linear);
    cc__vr_csvt_close(&r.raw);
    if (r.ds) GDALClose(r.ds);
    cc__io_end(&r.errs);
    cc_free(r.inum);
    cc_free(r.istr);
    cc__vr_free_stored(&r);
    cc_io_geomcol_free(&r.gc.g);
    cc_layer_destroy(L);
    return st;
}
