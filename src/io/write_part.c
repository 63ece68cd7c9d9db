/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The part writer of a big GeoPackage layer (see write.c): the last rows and the index nodes
 * written into a part file beside the output, by a second thread when two are allowed, then
 * attached and copied into the output with INSERT ... SELECT.
 */
#include "io/io_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Rows from which a GeoPackage layer is written by two threads. */
#define PART_MIN_ROWS 65536
/* Share of the rows this thread writes (it also packs the index and writes its maps, the other
   thread its nodes; each row costs about the same in both). */
#define PART_MAIN_SHARE 0.47

/* ---- the part: rows [a, n) and the index nodes, into a file of their own (on a thread of
   its own, or first on this one) ---- */

#define PART_RTREE "cc_part_rtree"
#define PART_NODES "cc_part_nodes"

static void *part_main(void *arg)
{
    cc__part_job *P = arg;
    const cc__layer_def *L = P->L;
    cc__gdal_errs errs;
    cc__io_begin(&errs, NULL);
    GDALDatasetH ds = P->ds;
    OGRSpatialReferenceH srs = NULL;
    OGRFeatureH f = NULL, nf = NULL;
    char **lco = NULL;
    int in_tx = 0;
    char why[600] = "";
    P->st = CC_ERR_IO;
    if (L->crs && *L->crs) {
        srs = OSRNewSpatialReference(NULL);
        if (!srs || OSRSetFromUserInput(srs, L->crs) != OGRERR_NONE) {
            cc_snprintf(why, sizeof why, "crs '%s' is not known", L->crs);
            goto done;
        }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    lco = CSLSetNameValue(lco, "SPATIAL_INDEX", "NO");
    OGRLayerH lyr = cc__wr_make_layer(ds, &errs, L, srs, lco, P->idx, why, sizeof why);
    if (!lyr) goto done;
    if (!(f = OGR_F_Create(OGR_L_GetLayerDefn(lyr)))) {
        cc_snprintf(why, sizeof why, "out of memory");
        goto done;
    }
    if (GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE) in_tx = 1;
    cc__rows_job R;
    memset(&R, 0, sizeof R);
    R.L = L;
    R.lyr = lyr;
    R.f = f;
    R.idx = P->idx;
    R.a = P->a;
    R.b = L->n;
    R.set_fid = R.check_fid = 1;
    R.ctx = P->ctx;
    R.stop = &P->stop;
    R.e = &errs;
    cc_status st = cc__wr_rows(&R);
    if (st) {
        P->st = st;
        cc_snprintf(P->msg, sizeof P->msg, "%s", R.msg);
        goto done;
    }
    if (P->rt) {
        /* The other thread packs the tree while this one writes rows: wait for it (it takes a
           fraction of the rows' time, so this rarely waits at all). */
        while (!atomic_load(&P->packed)) {
            if (atomic_load(&P->stop)) {
                P->st = CC_ERR_INTERRUPTED;
                cc_snprintf(P->msg, sizeof P->msg, "stopped");
                goto done;
            }
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
        /* The nodes go to a table of their own through GDAL, bound as blobs: no SQL text. */
        const cc__rt_job *J = P->rt;
        OGRLayerH nl = GDALDatasetCreateLayer(ds, PART_NODES, NULL, wkbNone, NULL);
        OGRFieldDefnH fd = OGR_Fld_Create("data", OFTBinary);
        int ok = nl && OGR_L_CreateField(nl, fd, TRUE) == OGRERR_NONE &&
                 (nf = OGR_F_Create(OGR_L_GetLayerDefn(nl))) != NULL;
        OGR_Fld_Destroy(fd);
        for (size_t k = 0; ok && k < J->n_nodes; k++) {
            OGR_F_SetFID(nf, (GIntBig)k + 1);
            OGR_F_SetFieldBinary(nf, 0, (int)J->node_size, J->nodes + k * J->node_size);
            ok = OGR_L_CreateFeature(nl, nf) == OGRERR_NONE;
        }
        if (!ok) {
            cc_snprintf(why, sizeof why, "cannot store the index nodes (%s)",
                        cc__io_gdal_msg(&errs, "unknown reason"));
            goto done;
        }
    }
    if (in_tx) {
        in_tx = 0;
        if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
            cc_snprintf(why, sizeof why, "cannot commit (%s)",
                        cc__io_gdal_msg(&errs, "unknown reason"));
            goto done;
        }
    }
    OGR_F_Destroy(f);
    f = NULL;
    int fail0 = errs.n_fail;
    GDALClose(ds);
    ds = NULL;
    if (errs.n_fail > fail0) {
        cc_snprintf(why, sizeof why, "finishing the file failed (%s)",
                    cc__io_gdal_msg(&errs, "unknown reason"));
        goto done;
    }
    P->st = CC_OK;

done:
    if (P->st && !P->msg[0] && why[0])
        cc_snprintf(P->msg, sizeof P->msg, "%s: part file %s: %s", L->path, P->path, why);
    if (P->st) atomic_store(&P->stop, 1);
    if (in_tx) GDALDatasetRollbackTransaction(ds);
    if (nf) OGR_F_Destroy(nf);
    if (f) OGR_F_Destroy(f);
    if (ds) GDALClose(ds);
    P->ds = NULL;
    CSLDestroy(lco);
    if (srs) OSRDestroySpatialReference(srs);
    cc__io_end(&errs);
    return NULL;
}

/* ---- a layer ---- */

/* Stop and wait for the part thread; close and remove its file. */
void cc__part_end(cc__layer_run *R)
{
    if (R->thread_started) {
        atomic_store(&R->part->stop, 1);
        pthread_join(R->thread, NULL);
        R->thread_started = 0;
    }
    if (R->part && R->part->ds) { /* opened, but the thread never ran */
        GDALClose(R->part->ds);
        R->part->ds = NULL;
    }
    if (R->part_path) VSIUnlink(R->part_path);
}

void cc__layer_free(cc__layer_run *R)
{
    cc__part_end(R);
    if (R->f) OGR_F_Destroy(R->f);
    if (R->srs) OSRDestroySpatialReference(R->srs);
    CSLDestroy(R->lco);
    cc_free(R->idx);
    if (R->part) cc_free(R->part->idx);
    cc_free(R->part);
    cc_free(R->part_path);
    cc_free(R->rt.box);
    cc_free(R->rt.other);
    cc_free(R->rt.tmp);
    cc_free(R->rt.leaf_of);
    cc_free(R->rt.parent);
    cc_free(R->rt.nodes);
    cc_free(R->rtree);
    cc_free(R->sql.s);
    for (size_t k = 0; k < R->n_tsql; k++)
        cc_free(R->tsql[k]);
}

/* This layer in two parts? (a new GeoPackage, enough rows, and a CRS with an EPSG code, so
   that both files give it the same srs_id). Not the thread count: that decides only whether
   the part gets a thread of its own, never what the file receives. */
static int use_part(const cc_io_writer *w, const cc__layer_def *L, OGRSpatialReferenceH srs)
{
    if (!w->gpkg || !w->created || L->n < PART_MIN_ROWS) return 0;
    if (srs) {
        const char *auth = OSRGetAuthorityName(srs, NULL);
        if (!auth || strcmp(auth, "EPSG") != 0 || !OSRGetAuthorityCode(srs, NULL)) return 0;
    }
    return 1;
}

/* More than one thread allowed? */
static int two_threads(cc_ctx *ctx)
{
    return cc_ctx_thread_count(ctx) >= 2;
}

/* Create the part file, with an rtree table when want_rtree to learn SQLite's node size.
   NULL on failure (the reason in msg). */
static GDALDatasetH part_open(cc__gdal_errs *e, const char *path, int want_rtree, cc__sqlbuf *sql,
                              long long *node_size, char *msg, size_t cap)
{
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    VSIUnlink(path);
    e->msg[0] = '\0';
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds) {
        cc_snprintf(msg, cap, "cannot create %s (%s)", path, cc__io_gdal_msg(e, "unknown reason"));
        return NULL;
    }
    if (cc__ds_exec(ds, e, "PRAGMA synchronous = OFF", msg, cap) ||
        cc__ds_exec(ds, e, "PRAGMA journal_mode = MEMORY", msg, cap) ||
        (want_rtree && (cc__rt_create(ds, e, sql, PART_RTREE, msg, cap) ||
                        (*node_size = cc__rt_node_size(ds, e, sql, PART_RTREE, msg, cap)) < 0))) {
        GDALClose(ds);
        VSIUnlink(path);
        return NULL;
    }
    return ds;
}

/* GDAL's feature-count triggers on table T would run per row and keep SQLite from copying
   records whole: drop them for the copy, keeping their SQL in R->tsql to re-create them.
   CC_ERR_IO: the reason is in why. */
static cc_status drop_triggers(cc_ctx *ctx, cc__gdal_errs *e, GDALDatasetH ds, const char *T,
                               cc__layer_run *R, char *why, size_t cap)
{
    cc__sqlbuf *sql = &R->sql;
    cc__sb_reset(sql);
    cc__sb_puts(sql, "SELECT group_concat(name, char(10)) FROM sqlite_master WHERE type = "
                     "'trigger' AND tbl_name = ");
    cc__sb_literal(sql, T);
    char names[4096];
    if (sql->overflow || cc__ds_query(ds, e, sql->s, names, sizeof names, why, cap))
        return CC_ERR_IO;
    char *text = cc_malloc(ctx, 65536);
    if (!text) return CC_ERR_NOMEM;
    cc_status st = CC_OK;
    for (char *p = names; *p && !st;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        if (R->n_tsql == sizeof R->tsql / sizeof R->tsql[0]) {
            cc_snprintf(why, cap, "too many triggers on the table");
            st = CC_ERR_IO;
            break;
        }
        cc__sb_reset(sql);
        cc__sb_puts(sql, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ");
        cc__sb_literal(sql, p);
        if (sql->overflow || cc__ds_query(ds, e, sql->s, text, 65536, why, cap)) {
            st = CC_ERR_IO;
            break;
        }
        if (!(R->tsql[R->n_tsql++] = cc_strdup(ctx, text))) {
            st = CC_ERR_NOMEM;
            break;
        }
        cc__sb_reset(sql);
        cc__sb_puts(sql, "DROP TRIGGER ");
        cc__sb_ident(sql, p);
        if (cc__sb_exec(ds, e, sql, why, cap)) st = CC_ERR_IO;
        p = nl ? nl + 1 : p + strlen(p);
    }
    cc_free(text);
    return st;
}

/* The count GDAL keeps in gpkg_ogr_contents (a GDAL extension), when the file has it; and the
   extent: GDAL saw only this thread's rows. The extremes are taken from the features holding
   them, through the text GDAL writes them as (SQLite's printf "%.18g" read back: the very
   values GDAL would store). 0, or -1 with the reason in why. */
static int set_count_extent(cc__gdal_errs *e, GDALDatasetH ds, const cc__layer_def *L,
                            cc__sqlbuf *sql, const size_t ext[4], char *why, size_t cap)
{
    const char *T = L->layer;
    char out[64];
    if (cc__ds_query(ds, e, "SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_ogr_contents'",
                     out, sizeof out, why, cap))
        return -1;
    if (atoll(out) > 0) {
        cc__sb_reset(sql);
        cc__sb_puts(sql, "UPDATE gpkg_ogr_contents SET feature_count = ");
        cc__sb_u64(sql, (uint64_t)L->n);
        cc__sb_puts(sql, " WHERE lower(table_name) = lower(");
        cc__sb_literal(sql, T);
        cc__sb_puts(sql, ")");
        if (cc__sb_exec(ds, e, sql, why, cap)) return -1;
    }
    if (L->gtype == wkbNone || ext[0] == (size_t)-1) return 0;
    static const char *const col[4] = {"min_x", "max_x", "min_y", "max_y"};
    static const char *const fn[4] = {"ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"};
    const char *gcol = OGR_L_GetGeometryColumn(GDALDatasetGetLayerByName(ds, T));
    const char *fcol = OGR_L_GetFIDColumn(GDALDatasetGetLayerByName(ds, T));
    cc__sb_reset(sql);
    cc__sb_puts(sql, "UPDATE gpkg_contents SET ");
    for (int k = 0; k < 4; k++) {
        if (k) cc__sb_put(sql, ", ", 2);
        cc__sb_puts(sql, col[k]);
        cc__sb_puts(sql, " = CAST(printf('%.18g', (SELECT ");
        cc__sb_puts(sql, fn[k]);
        cc__sb_put(sql, "(", 1);
        cc__sb_ident(sql, gcol && *gcol ? gcol : "geom");
        cc__sb_puts(sql, ") FROM ");
        cc__sb_ident(sql, T);
        cc__sb_puts(sql, " WHERE ");
        cc__sb_ident(sql, fcol && *fcol ? fcol : "fid");
        cc__sb_puts(sql, " = ");
        cc__sb_u64(sql, (uint64_t)ext[k] + 1);
        cc__sb_puts(sql, ")) AS REAL)");
    }
    cc__sb_puts(sql, " WHERE lower(table_name) = lower(");
    cc__sb_literal(sql, T);
    cc__sb_puts(sql, ")");
    return cc__sb_exec(ds, e, sql, why, cap);
}

/* The copy inside the transaction: triggers dropped, rows, triggers back, count, extent and
   the index nodes (main already holds the vtab, its rowid and parent maps). CC_ERR_IO: the
   reason is in why. */
static cc_status copy_part(cc_ctx *ctx, cc__gdal_errs *e, GDALDatasetH ds, const cc__layer_def *L,
                           cc__layer_run *R, char *why, size_t cap)
{
    cc__sqlbuf *sql = &R->sql;
    const char *T = L->layer;
    cc_status st = drop_triggers(ctx, e, ds, T, R, why, cap);
    if (st) return st;
    cc__sb_reset(sql);
    cc__sb_puts(sql, "INSERT INTO ");
    cc__sb_ident(sql, T);
    cc__sb_puts(sql, " SELECT * FROM cc_part.");
    cc__sb_ident(sql, T);
    if (cc__sb_exec(ds, e, sql, why, cap)) return CC_ERR_IO;
    for (size_t k = 0; k < R->n_tsql; k++)
        if (cc__ds_exec(ds, e, R->tsql[k], why, cap)) return CC_ERR_IO;
    if (set_count_extent(e, ds, L, sql, R->ext, why, cap)) return CC_ERR_IO;
    if (R->rt.n) {
        cc__sb_reset(sql);
        cc__sb_table(sql, "DELETE FROM ", R->rtree, "_node", "");
        if (cc__sb_exec(ds, e, sql, why, cap)) return CC_ERR_IO;
        cc__sb_reset(sql);
        cc__sb_table(sql, "INSERT INTO ", R->rtree, "_node",
                     " (nodeno, data) SELECT fid, data FROM cc_part." PART_NODES);
        if (cc__sb_exec(ds, e, sql, why, cap)) return CC_ERR_IO;
    }
    return CC_OK;
}

/* Attach the part file and copy its rows and nodes in. *fallback = 1 when it cannot be attached
   or its SRS id differs: the caller then writes those rows itself. */
static cc_status merge_part(cc_ctx *ctx, cc__gdal_errs *e, cc_io_writer *w, const cc__layer_def *L,
                            cc__layer_run *R, int *fallback)
{
    cc__sqlbuf *sql = &R->sql;
    char why[700] = "";
    const char *T = L->layer;
    *fallback = 0;
    cc__sb_reset(sql);
    cc__sb_puts(sql, "ATTACH DATABASE ");
    cc__sb_literal(sql, R->part_path);
    cc__sb_puts(sql, " AS cc_part");
    if (cc__sb_exec(w->ds, e, sql, why, sizeof why)) {
        *fallback = 1; /* e.g. a GDAL that refuses ATTACH */
        return CC_OK;
    }
    int in_tx = 0;
    cc_status st = CC_OK;
    /* Same geometry SRS id in both files, else the copied geometries would lie. */
    char id_main[32] = "", id_part[32] = "";
    for (int k = 0; k < 2 && L->gtype != wkbNone && !st; k++) {
        cc__sb_reset(sql);
        cc__sb_puts(sql, k ? "SELECT srs_id FROM cc_part.gpkg_geometry_columns WHERE table_name = "
                           : "SELECT srs_id FROM main.gpkg_geometry_columns WHERE table_name = ");
        cc__sb_literal(sql, T);
        if (sql->overflow ||
            cc__ds_query(w->ds, e, sql->s, k ? id_part : id_main, sizeof id_main, why, sizeof why))
            st = CC_ERR_IO;
    }
    if (!st && strcmp(id_main, id_part) != 0) {
        *fallback = 1;
    } else if (!st) {
        if (GDALDatasetStartTransaction(w->ds, FALSE) != OGRERR_NONE) st = CC_ERR_IO;
        in_tx = !st;
        if (!st) st = copy_part(ctx, e, w->ds, L, R, why, sizeof why);
        if (!st) {
            in_tx = 0;
            if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE) {
                cc_snprintf(why, sizeof why, "cannot commit (%s)",
                            cc__io_gdal_msg(e, "unknown reason"));
                st = CC_ERR_IO;
            }
        }
    }
    if (!st) {
        if (!cc__ds_exec(w->ds, e, "DETACH DATABASE cc_part", why, sizeof why)) return CC_OK;
        st = CC_ERR_IO; /* detached or not, it is not tried again */
    } else {
        if (in_tx) GDALDatasetRollbackTransaction(w->ds);
        char ignore[64];
        cc__ds_exec(w->ds, e, "DETACH DATABASE cc_part", ignore, sizeof ignore);
    }
    if (st != CC_ERR_IO) return st;
    return cc_error(ctx, CC_ERR_IO,
                    "%s: cannot copy the rows of layer '%s' written in parallel (%s)", w->path, T,
                    why[0] ? why : cc__io_gdal_msg(e, "unknown reason"));
}

/* The part job for rows [h, n), with its file; 0 when the file cannot be made (the reason in
   why: the layer is then written in one part). */
static cc_status part_prepare(cc_ctx *ctx, cc_io_writer *w, const cc__layer_def *L,
                              cc__layer_run *R, cc__gdal_errs *e, long long *ns, char *why,
                              size_t cap)
{
    if (!R->sql.s) {
        R->sql.s = cc_malloc_array(ctx, CC__SQL_CAP, 1);
        R->sql.cap = R->sql.s ? CC__SQL_CAP : 0;
        cc__sb_reset(&R->sql);
    }
    R->part_path = cc_asprintf(ctx, "%s-part", w->path);
    R->part = cc_calloc(ctx, 1, sizeof *R->part);
    if (!R->sql.s || !R->part_path || !R->part ||
        !(R->part->idx = cc_malloc_array(ctx, L->n_fields ? L->n_fields : 1, sizeof *R->part->idx)))
        return CC_ERR_NOMEM;
    R->part->ds = part_open(e, R->part_path, R->rt.n > 0, &R->sql, ns, why, cap);
    return CC_OK;
}

cc_status cc__part_start(cc_ctx *ctx, cc_io_writer *w, const cc__layer_def *L, cc__layer_run *R,
                         cc__gdal_errs *e)
{
    /* The part file is made here: its rtree table tells SQLite's node size, so the tree is
       packed before any row. */
    if (!use_part(w, L, R->srs)) return CC_OK;
    long long ns = 0;
    char why[700] = "";
    cc_status st = part_prepare(ctx, w, L, R, e, &ns, why, sizeof why);
    if (st) return st;
    if (!R->part->ds) {
        cc_log(ctx, CC_LOG_DEBUG, "%s: layer '%s' is written in one part (%s)", w->path, L->layer,
               why);
        cc__part_end(R);
        cc_free(R->part->idx);
        cc_free(R->part);
        R->part = NULL;
        return CC_OK;
    }
    R->h = (size_t)((double)L->n * PART_MAIN_SHARE);
    R->part->L = L;
    R->part->path = R->part_path;
    R->part->a = R->h;
    R->part->rt = R->rt.n ? &R->rt : NULL;
    atomic_init(&R->part->stop, 0);
    atomic_init(&R->part->packed, 0);
    if (two_threads(ctx) && pthread_create(&R->thread, NULL, part_main, R->part) == 0)
        R->thread_started = 1;
    /* Pack the tree while the part thread starts on its rows (it waits for it). */
    if (R->rt.n) {
        if ((st = cc__rt_build(ctx, &R->rt, L->n, (size_t)ns))) return st;
        atomic_store(&R->part->packed, 1);
    }
    if (!R->thread_started) {
        /* One thread: the part first, here. The output file then receives the very statements
           it receives with two, so it gets the same bytes. */
        R->part->ctx = ctx;
        part_main(R->part);
        if (R->part->st)
            return R->part->msg[0] ? cc_error(ctx, R->part->st, "%s", R->part->msg)
                                   : R->part->st; /* interrupted: the context says so */
    }
    return CC_OK;
}

cc_status cc__part_finish(cc_ctx *ctx, cc_io_writer *w, const cc__layer_def *L, cc__layer_run *R,
                          cc__gdal_errs *e)
{
    GDALDatasetH ds = w->ds;
    /* ATTACH needs no open transaction: commit, then take the part's rows and nodes. */
    if (R->in_tx) {
        R->in_tx = 0;
        if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
            return cc_error(ctx, CC_ERR_IO, "%s: cannot commit layer '%s' (%s); is the disk full?",
                            w->path, L->layer, cc__io_gdal_msg(e, "unknown reason"));
    }
    if (R->thread_started) {
        pthread_join(R->thread, NULL);
        R->thread_started = 0;
    }
    if (R->part->st) return cc_error(ctx, R->part->st, "%s", R->part->msg);
    int fallback = 0;
    cc_status st = merge_part(ctx, e, w, L, R, &fallback);
    cc__part_end(R); /* removes the part file */
    if (st) return st;
    if (GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE) R->in_tx = 1;
    if (!fallback) return CC_OK;
    /* The part cannot be copied in: write its rows here, and the nodes as a one-part layer. */
    cc_log(ctx, CC_LOG_DEBUG, "%s: layer '%s': rows of the part file written again", w->path,
           L->layer);
    cc__rows_job *J = &R->rows;
    J->a = R->h;
    J->b = L->n;
    J->stop = NULL;
    if ((st = cc__wr_rows(J))) return J->msg[0] ? cc_error(ctx, st, "%s", J->msg) : st;
    char why[700] = "";
    if (R->rt.n && cc__rt_sql_nodes(ds, e, &R->sql, R->rtree, &R->rt, why, sizeof why))
        return cc_error(ctx, CC_ERR_IO, "%s: cannot write the spatial index of layer '%s' (%s)",
                        w->path, L->layer, why);
    return CC_OK;
}
