/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PROJ wrapper: the working-CRS choice, CRS classification and point transformers that chain
 * the GCJ-02 / BD-09 offsets (gcj02.c) with a PROJ transformation. This is the only file that
 * includes proj.h.
 *
 * Every PROJ context we create has network access disabled and a logger that keeps the last
 * error message instead of printing it, so PROJ never writes to stderr and its complaint can be
 * folded into our one-line error messages.
 */
#include "carecircle/crs.h"
#include "core/internal.h"

#include <proj.h>

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A PROJ context plus the last message PROJ logged on it. */
typedef struct proj_handle {
    PJ_CONTEXT *pc;
    char msg[512];
} proj_handle;

struct cc_crs_tx {
    proj_handle h;
    PJ *pj;       /* normalized (x = lon/easting) transformation between the PROJ-side CRSs */
    int src_kind; /* CC_CRS_PLAIN, CC_CRS_GCJ02 or CC_CRS_BD09 */
    int dst_kind;
    char *src; /* definitions as given, for messages */
    char *dst;
};

static void proj_logger(void *app_data, int level, const char *msg)
{
    proj_handle *h = app_data;
    if (level > PJ_LOG_ERROR || !msg) return;
    /* Keep one line: PROJ messages sometimes carry newlines. */
    size_t i = 0;
    for (; msg[i] && i + 1 < sizeof h->msg; i++)
        h->msg[i] = (msg[i] == '\n' || msg[i] == '\r') ? ' ' : msg[i];
    h->msg[i] = '\0';
}

static int proj_handle_init(proj_handle *h)
{
    h->msg[0] = '\0';
    h->pc = proj_context_create();
    if (!h->pc) return 0;
    proj_context_set_enable_network(h->pc, 0);
    proj_log_level(h->pc, PJ_LOG_ERROR);
    proj_log_func(h->pc, h, proj_logger);
    return 1;
}

/* The best description of the last PROJ failure on this handle. */
static const char *proj_handle_error(proj_handle *h)
{
    if (h->msg[0]) return h->msg;
    int e = proj_context_errno(h->pc);
    const char *s = e ? proj_context_errno_string(h->pc, e) : NULL;
    return s && *s ? s : "PROJ gave no reason";
}

static void proj_handle_reset(proj_handle *h)
{
    h->msg[0] = '\0';
}

/* The context's shared handle (slot CC__SLOT_PROJ), for the main-thread helpers. */
static void *shared_create(cc_ctx *ctx)
{
    proj_handle *h = cc_calloc(ctx, 1, sizeof *h); /* a worker's child context: the run's hook */
    if (!h) return NULL;
    if (!proj_handle_init(h)) {
        cc_free(h);
        return NULL;
    }
    return h;
}

static void shared_destroy(void *p)
{
    proj_handle *h = p;
    if (!h) return;
    proj_context_destroy(h->pc);
    cc_free(h);
}

static cc_status shared_handle(cc_ctx *ctx, proj_handle **out)
{
    *out = cc__ctx_handle(ctx, CC__SLOT_PROJ, shared_create, shared_destroy);
    if (!*out)
        return cc_error(ctx, CC_ERR_NOMEM,
                        "cannot create a PROJ context (out of memory or PROJ not usable); check "
                        "that proj.db is installed (package proj-data)");
    proj_handle_reset(*out);
    return CC_OK;
}

int cc_crs_offset_kind(const char *def)
{
    if (!def) return CC_CRS_PLAIN;
    while (isspace((unsigned char)*def))
        def++;
    size_t n = strlen(def);
    while (n > 0 && isspace((unsigned char)def[n - 1]))
        n--;
    if ((n == 5 && strncasecmp(def, "GCJ02", 5) == 0) ||
        (n == 6 && strncasecmp(def, "GCJ-02", 6) == 0))
        return CC_CRS_GCJ02;
    if ((n == 4 && strncasecmp(def, "BD09", 4) == 0) ||
        (n == 5 && strncasecmp(def, "BD-09", 5) == 0))
        return CC_CRS_BD09;
    return CC_CRS_PLAIN;
}

/* A PROJ string ("+proj=utm +zone=50 ...") describes an operation unless it says +type=crs;
 * users mean a CRS, so add it. Returns a new string or NULL (NOMEM). */
static char *crs_def_fixup(cc_ctx *ctx, const char *def)
{
    const char *p = def;
    while (isspace((unsigned char)*p))
        p++;
    int is_proj_string = (*p == '+' && strstr(p, "proj=")) || strncmp(p, "proj=", 5) == 0;
    if (is_proj_string && !strstr(p, "type=crs")) return cc_asprintf(ctx, "%s +type=crs", p);
    return cc_strdup(ctx, p);
}

/* PROJ found no proj.db: every EPSG code then fails with "no database context", which
 * says nothing to a planner. */
static int proj_db_missing(proj_handle *h)
{
    const char *db = proj_context_get_database_path(h->pc);
    return !db || !*db;
}

static cc_status proj_db_error(cc_ctx *ctx, const char *what, const char *def)
{
    const char *env = getenv("PROJ_DATA");
    const char *var = "PROJ_DATA";
    if (!env || !*env) {
        env = getenv("PROJ_LIB");
        var = "PROJ_LIB";
    }
    char where[600] = "";
    if (env && *env) cc_snprintf(where, sizeof where, " (%s is '%s')", var, env);
    return cc_error(ctx, CC_ERR_CRS,
                    "cannot read %s '%s': PROJ's database proj.db was not found%s; install the "
                    "proj-data package (apt-get install proj-data), or set PROJ_DATA to the "
                    "folder that holds proj.db",
                    what, def, where);
}

/* What to write instead, for messages about layer CRSs and about the working CRS. */
static const char HINT_LAYER[] =
    "write e.g. crs: EPSG:4326 (longitude/latitude), crs: EPSG:4547 (CGCS2000 Gauss-Kruger), "
    "a WKT or PROJ string, or crs: GCJ02 / BD09 for coordinates copied from Chinese web maps";
static const char HINT_WORKING[] =
    "write e.g. working_crs: auto (UTM) or working_crs: EPSG:4547 (CGCS2000 / 3-degree "
    "Gauss-Kruger CM 114E)";

/* Parse def into a CRS object on handle h. what: "source CRS", "working_crs", ... and hint:
 * what to write instead, for messages. */
static cc_status parse_crs(cc_ctx *ctx, proj_handle *h, const char *def, const char *what,
                           const char *hint, PJ **out)
{
    *out = NULL;
    if (!def || !*def) return cc_error(ctx, CC_ERR_CRS, "%s is empty; %s", what, hint);
    char *fixed = crs_def_fixup(ctx, def);
    if (!fixed) return CC_ERR_NOMEM;
    proj_handle_reset(h);
    PJ *obj = proj_create(h->pc, fixed);
    cc_free(fixed);
    if (!obj && proj_db_missing(h)) return proj_db_error(ctx, what, def);
    if (!obj)
        return cc_error(ctx, CC_ERR_CRS, "%s '%s' is not a CRS PROJ understands (%s); %s", what,
                        def, proj_handle_error(h), hint);
    if (!proj_is_crs(obj)) {
        proj_destroy(obj);
        return cc_error(ctx, CC_ERR_CRS, "%s '%s' is a coordinate operation, not a CRS; %s", what,
                        def, hint);
    }
    *out = obj;
    return CC_OK;
}

/* The horizontal part of a CRS: the source of a BoundCRS (+towgs84) and the first member of a
 * CompoundCRS (horizontal + vertical). Returns a new reference or NULL. */
static PJ *horizontal_crs(PJ_CONTEXT *pc, const PJ *crs)
{
    PJ *cur = proj_clone(pc, crs);
    for (int guard = 0; cur && guard < 4; guard++) {
        PJ_TYPE t = proj_get_type(cur);
        PJ *next = NULL;
        if (t == PJ_TYPE_BOUND_CRS)
            next = proj_get_source_crs(pc, cur);
        else if (t == PJ_TYPE_COMPOUND_CRS)
            next = proj_crs_get_sub_crs(pc, cur, 0);
        else
            break;
        proj_destroy(cur);
        cur = next;
    }
    return cur;
}

static int type_is_geographic(PJ_TYPE t)
{
    return t == PJ_TYPE_GEOGRAPHIC_CRS || t == PJ_TYPE_GEOGRAPHIC_2D_CRS ||
           t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

cc_status cc_crs_is_geographic(cc_ctx *ctx, const char *def, int *geographic)
{
    *geographic = 0;
    if (cc_crs_offset_kind(def) != CC_CRS_PLAIN) {
        *geographic = 1;
        return CC_OK;
    }
    proj_handle *h;
    cc_status st = shared_handle(ctx, &h);
    if (st) return st;
    PJ *crs = NULL, *hz = NULL;
    st = parse_crs(ctx, h, def, "CRS", HINT_LAYER, &crs);
    if (st) goto fail;
    hz = horizontal_crs(h->pc, crs);
    PJ_TYPE t = hz ? proj_get_type(hz) : PJ_TYPE_UNKNOWN;
    if (type_is_geographic(t)) {
        *geographic = 1;
    } else if (t == PJ_TYPE_PROJECTED_CRS) {
        *geographic = 0;
    } else {
        st = cc_error(ctx, CC_ERR_CRS,
                      "CRS '%s' is neither geographic nor projected (geocentric, vertical or "
                      "engineering); write a 2D CRS, e.g. crs: EPSG:4326 or crs: EPSG:32650",
                      def);
        goto fail;
    }
fail:
    proj_destroy(hz);
    proj_destroy(crs);
    return st;
}

/* UTM zone number (1..60) containing lon/lat, with the Norway and Svalbard exceptions of the
 * UTM grid (zone 32V widened to 3E..12E; zones 31X..37X, with 32X, 34X and 36X unused). */
static int utm_zone(double lon, double lat)
{
    int zone = (int)floor((lon + 180.0) / 6.0) + 1;
    if (zone < 1) zone = 1;
    if (zone > 60) zone = 60;
    if (lat >= 56.0 && lat < 64.0 && lon >= 3.0 && lon < 12.0) zone = 32;
    if (lat >= 72.0 && lat < 84.0 && lon >= 0.0 && lon < 42.0) {
        if (lon < 9.0)
            zone = 31;
        else if (lon < 21.0)
            zone = 33;
        else if (lon < 33.0)
            zone = 35;
        else
            zone = 37;
    }
    return zone;
}

/* Projected CRS whose every axis is in metres. Writes the reason into why (for the message)
 * when not. */
static int is_metric_projected(PJ_CONTEXT *pc, const PJ *hz, char *why, size_t why_cap)
{
    PJ_TYPE t = proj_get_type(hz);
    if (type_is_geographic(t)) {
        cc_snprintf(why, why_cap, "a geographic CRS (degrees)");
        return 0;
    }
    if (t != PJ_TYPE_PROJECTED_CRS) {
        cc_snprintf(why, why_cap, "not a projected CRS");
        return 0;
    }
    PJ *cs = proj_crs_get_coordinate_system(pc, hz);
    int n = cs ? proj_cs_get_axis_count(pc, cs) : 0;
    int ok = n >= 2;
    if (!ok) cc_snprintf(why, why_cap, "a CRS with fewer than two axes");
    for (int i = 0; i < n && ok; i++) {
        double factor = 0;
        const char *unit = NULL;
        if (!proj_cs_get_axis_info(pc, cs, i, NULL, NULL, NULL, &factor, &unit, NULL, NULL) ||
            fabs(factor - 1.0) > 1e-12) {
            ok = 0;
            cc_snprintf(why, why_cap, "a projected CRS in %s",
                     unit ? unit : "units other than metres");
        }
    }
    proj_destroy(cs);
    return ok;
}

cc_status cc_crs_working(cc_ctx *ctx, const char *spec, double lon, double lat, char **out_def,
                         char **out_name)
{
    *out_def = NULL;
    if (out_name) *out_name = NULL;
    char *def = NULL, *name = NULL;
    PJ *crs = NULL, *hz = NULL;
    proj_handle *h;
    cc_status st = shared_handle(ctx, &h);
    if (st) return st;

    if (!spec || !*spec || strcasecmp(spec, "auto") == 0) {
        if (!isfinite(lon) || !isfinite(lat) || lon < -180.0 || lon > 180.0 || lat < -90.0 ||
            lat > 90.0) {
            st = cc_error(ctx, CC_ERR_CRS,
                          "working_crs: auto needs the data's centre in degrees, got (%g, %g); "
                          "check the input layers' CRS or set working_crs, e.g. EPSG:32650",
                          lon, lat);
            goto fail;
        }
        if (lat > 84.0 || lat < -80.0) {
            st = cc_error(ctx, CC_ERR_CRS,
                          "working_crs: auto cannot use UTM at latitude %.3f (UTM covers 80S to "
                          "84N); set working_crs to a polar CRS such as EPSG:3413 or EPSG:3031",
                          lat);
            goto fail;
        }
        int zone = utm_zone(lon, lat);
        def = cc_asprintf(ctx, "EPSG:%d", (lat >= 0.0 ? 32600 : 32700) + zone);
        if (!def) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
        st = parse_crs(ctx, h, def, "working_crs", HINT_WORKING, &crs);
        if (st) goto fail;
    } else {
        st = parse_crs(ctx, h, spec, "working_crs", HINT_WORKING, &crs);
        if (st) goto fail;
        hz = horizontal_crs(h->pc, crs);
        char why[160] = "not a CRS";
        if (!hz || !is_metric_projected(h->pc, hz, why, sizeof why)) {
            st = cc_error(ctx, CC_ERR_CRS,
                          "working_crs '%s' is %s, but it must be a projected CRS in metres; %s",
                          spec, why, HINT_WORKING);
            goto fail;
        }
        /* Prefer the authority code: short, and what provenance records should show. */
        const char *auth = proj_get_id_auth_name(crs, 0), *code = proj_get_id_code(crs, 0);
        def = auth && code ? cc_asprintf(ctx, "%s:%s", auth, code) : cc_strdup(ctx, spec);
        if (!def) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
    }
    if (out_name) {
        const char *nm = proj_get_name(crs);
        name = cc_strdup(ctx, nm ? nm : def);
        if (!name) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
        *out_name = name;
        name = NULL;
    }
    *out_def = def;
    def = NULL;
fail:
    proj_destroy(hz);
    proj_destroy(crs);
    cc_free(def);
    cc_free(name);
    return st;
}

const char *cc_crs_tx_src(const cc_crs_tx *tx)
{
    return tx->src;
}

const char *cc_crs_tx_dst(const cc_crs_tx *tx)
{
    return tx->dst;
}

cc_status cc_crs_tx_create(cc_ctx *ctx, const char *src, const char *dst, cc_crs_tx **out)
{
    *out = NULL;
    cc_status st = CC_OK;
    PJ *s = NULL, *d = NULL, *op = NULL;
    cc_crs_tx *tx = cc_calloc(ctx, 1, sizeof *tx);
    if (!tx) return CC_ERR_NOMEM;
    tx->src = cc_strdup(ctx, src ? src : "");
    tx->dst = cc_strdup(ctx, dst ? dst : "");
    if (!tx->src || !tx->dst) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    if (!proj_handle_init(&tx->h)) {
        st = cc_error(ctx, CC_ERR_NOMEM,
                      "cannot create a PROJ context (out of memory or PROJ not usable); check "
                      "that proj.db is installed (package proj-data)");
        goto fail;
    }
    /* The offsets are defined on WGS 84 longitude/latitude; PROJ sees EPSG:4326 instead. */
    tx->src_kind = cc_crs_offset_kind(src);
    tx->dst_kind = cc_crs_offset_kind(dst);
    st = parse_crs(ctx, &tx->h, tx->src_kind ? "EPSG:4326" : src, "source CRS", HINT_LAYER, &s);
    if (st) goto fail;
    st = parse_crs(ctx, &tx->h, tx->dst_kind ? "EPSG:4326" : dst, "target CRS", HINT_LAYER, &d);
    if (st) goto fail;
    proj_handle_reset(&tx->h);
    op = proj_create_crs_to_crs_from_pj(tx->h.pc, s, d, NULL, NULL);
    if (!op) {
        st = cc_error(ctx, CC_ERR_CRS,
                      "no transformation from '%s' to '%s' (%s); check both CRS definitions", src,
                      dst, proj_handle_error(&tx->h));
        goto fail;
    }
    tx->pj = proj_normalize_for_visualization(tx->h.pc, op);
    if (!tx->pj) {
        st =
            cc_error(ctx, CC_ERR_CRS, "cannot set longitude-first axis order for '%s' -> '%s' (%s)",
                     src, dst, proj_handle_error(&tx->h));
        goto fail;
    }
    proj_destroy(op);
    proj_destroy(s);
    proj_destroy(d);
    *out = tx;
    return CC_OK;
fail:
    proj_destroy(op);
    proj_destroy(s);
    proj_destroy(d);
    cc_crs_tx_destroy(tx);
    return st;
}

static cc_status point_error(cc_ctx *ctx, cc_crs_tx *tx, size_t i, double x0, double y0)
{
    char xs[40], ys[40];
    cc_fmt_double(xs, sizeof xs, x0, 7);
    cc_fmt_double(ys, sizeof ys, y0, 7);
    const char *why = !isfinite(x0) || !isfinite(y0) ? "not a finite number"
                      : tx->h.msg[0]                 ? tx->h.msg
                                                     : "outside the area where the CRS is defined";
    return cc_error(ctx, CC_ERR_CRS,
                    "point %zu (%s, %s) cannot be transformed from %s to %s (%s); check the "
                    "coordinates and the layer's crs (x must be longitude or easting)",
                    i, xs, ys, tx->src, tx->dst, why);
}

/* Points go through PROJ in blocks; a copy of each block's input lets an error message show
 * the coordinates as the caller gave them. */
#define CC__TX_BLOCK 4096

cc_status cc_crs_tx_apply(cc_ctx *ctx, cc_crs_tx *tx, size_t n, double *x, double *y)
{
    if (n == 0) return CC_OK;
    size_t cap = n < CC__TX_BLOCK ? n : CC__TX_BLOCK;
    double *keep = cc_malloc_array(ctx, cap, 2 * sizeof(double));
    if (!keep) return CC_ERR_NOMEM;
    cc_status st = CC_OK;
    for (size_t off = 0; off < n; off += cap) {
        size_t m = n - off < cap ? n - off : cap;
        double *bx = x + off, *by = y + off;
        for (size_t k = 0; k < m; k++) {
            keep[2 * k] = bx[k];
            keep[2 * k + 1] = by[k];
            if (!isfinite(bx[k]) || !isfinite(by[k])) {
                st = point_error(ctx, tx, off + k, bx[k], by[k]);
                goto fail;
            }
            if (tx->src_kind == CC_CRS_GCJ02)
                cc_crs_gcj02_to_wgs84(bx[k], by[k], &bx[k], &by[k]);
            else if (tx->src_kind == CC_CRS_BD09)
                cc_crs_bd09_to_wgs84(bx[k], by[k], &bx[k], &by[k]);
        }
        proj_handle_reset(&tx->h);
        proj_errno_reset(tx->pj);
        proj_trans_generic(tx->pj, PJ_FWD, bx, sizeof(double), m, by, sizeof(double), m, NULL, 0, 0,
                           NULL, 0, 0);
        for (size_t k = 0; k < m; k++) {
            /* PROJ marks a point it cannot transform with HUGE_VAL (infinity). */
            if (!isfinite(bx[k]) || !isfinite(by[k])) {
                st = point_error(ctx, tx, off + k, keep[2 * k], keep[2 * k + 1]);
                goto fail;
            }
            if (tx->dst_kind == CC_CRS_GCJ02)
                cc_crs_wgs84_to_gcj02(bx[k], by[k], &bx[k], &by[k]);
            else if (tx->dst_kind == CC_CRS_BD09)
                cc_crs_wgs84_to_bd09(bx[k], by[k], &bx[k], &by[k]);
        }
    }
fail:
    cc_free(keep);
    return st;
}

void cc_crs_tx_destroy(cc_crs_tx *tx)
{
    if (!tx) return;
    proj_destroy(tx->pj);
    if (tx->h.pc) proj_context_destroy(tx->h.pc);
    cc_free(tx->src);
    cc_free(tx->dst);
    cc_free(tx);
}
