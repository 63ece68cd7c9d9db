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
/* SQL text of one statement filling the index tables, and room for one more item. */
#define SQL_CHUNK (4u << 20)
#define SQL_CAP (SQL_CHUNK + (64u << 10))
/* Entries per json_each() array (rowid and parent maps). */
#define MAP_CHUNK 131072u
/* Longest layer or column name the writer accepts (they end up in SQL statements). */
#define NAME_MAX_BYTES 1000
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


/* ---- SQL text in a preallocated buffer (no allocation: usable from the part thread) ---- */

typedef struct sqlbuf {
    char *s;
    size_t len, cap;
    int overflow; /* an append did not fit */
} sqlbuf;

static void sb_reset(sqlbuf *b)
{
    b->len = 0;
    b->overflow = 0;
    if (b->s) b->s[0] = '\0';
}

static void sb_put(sqlbuf *b, const char *s, size_t n)
{
    if (b->overflow || b->len + n + 1 > b->cap) {
        b->overflow = 1;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sqlbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* s between `q` quotes with inner ones doubled: an identifier ("), a string literal ('). */
static void sb_quoted(sqlbuf *b, const char *s, char q)
{
    sb_put(b, &q, 1);
    for (const char *p = s; *p; p++) {
        const char *e = strchr(p, q);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        sb_put(b, p, n);
        if (!e) break;
        sb_put(b, e, 1);
        sb_put(b, e, 1);
        p = e;
    }
    sb_put(b, &q, 1);
}

static void sb_ident(sqlbuf *b, const char *s)
{
    sb_quoted(b, s, '"');
}

static void sb_literal(sqlbuf *b, const char *s)
{
    sb_quoted(b, s, '\'');
}

/* Decimal digits of v (integers only: no locale involved). */
static void sb_u64(sqlbuf *b, uint64_t v)
{
    char tmp[20], out[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    sb_put(b, out, n);
}

/* An SQL blob literal X'..'. */
static void sb_blob(sqlbuf *b, const unsigned char *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (b->overflow || b->len + 2 * n + 4 > b->cap) {
        b->overflow = 1;
        return;
    }
    char *o = b->s + b->len;
    *o++ = 'X';
    *o++ = '\'';
    for (size_t k = 0; k < n; k++) {
        *o++ = hex[p[k] >> 4];
        *o++ = hex[p[k] & 15];
    }
    *o++ = '\'';
    *o = '\0';
    b->len = (size_t)(o - b->s);
}

/* ---- statements through GDAL, failures as text (no context: usable from the part thread) ---- */

/* Run one statement; 0 on success, else -1 with GDAL's reason in msg. */
static int ds_exec(GDALDatasetH ds, cc__gdal_errs *e, const char *sql, char *msg, size_t cap)
{
    int fail0 = e->n_fail;
    e->msg[0] = '\0';
    OGRLayerH res = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (res) GDALDatasetReleaseResultSet(ds, res);
    if (e->n_fail == fail0) return 0;
    cc_snprintf(msg, cap, "%s", cc__io_gdal_msg(e, "unknown reason"));
    return -1;
}

/* Run the statement in b (-1 when it did not fit the buffer). */
static int sb_exec(GDALDatasetH ds, cc__gdal_errs *e, sqlbuf *b, char *msg, size_t cap)
{
    if (b->overflow) {
        cc_snprintf(msg, cap, "internal: SQL buffer too small");
        return -1;
    }
    return ds_exec(ds, e, b->s, msg, cap);
}

/* The first column of the first row of a query as text into out ("" when there is none). */
static int ds_query(GDALDatasetH ds, cc__gdal_errs *e, const char *sql, char *out, size_t out_cap,
                    char *msg, size_t cap)
{
    int fail0 = e->n_fail;
    e->msg[0] = '\0';
    out[0] = '\0';
    OGRLayerH res = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (res) {
        OGRFeatureH f = OGR_L_GetNextFeature(res);
        if (f) {
            if (OGR_F_IsFieldSetAndNotNull(f, 0))
                cc_snprintf(out, out_cap, "%s", OGR_F_GetFieldAsString(f, 0));
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(ds, res);
    }
    if (e->n_fail == fail0) return 0;
    cc_snprintf(msg, cap, "%s", cc__io_gdal_msg(e, "unknown reason"));
    return -1;
}

/* ---- packed R-tree for the GeoPackage spatial index ---- */

/* One box of the tree: minx, maxx, miny, maxy as SQLite's rtree stores them (32-bit floats
   rounded outwards), and the feature id (leaves) or node number (inner levels). */
typedef struct rt_box {
    float b[4];
    int64_t id;
} rt_box;

/* A double as the rtree module stores a lower / upper bound: the float, moved one step
   outwards when rounding went inwards (the same rule as SQLite's own insertion). */
static float rt_down(double d)
{
    float f = (float)d;
    if ((double)f > d) f = (float)(d * (d < 0 ? 1.0 + 1.0 / 8388608.0 : 1.0 - 1.0 / 8388608.0));
    return f;
}

static float rt_up(double d)
{
    float f = (float)d;
    if ((double)f < d) f = (float)(d * (d < 0 ? 1.0 - 1.0 / 8388608.0 : 1.0 + 1.0 / 8388608.0));
    return f;
}

/* Bounds of feature i's coordinates (x0, x1, y0, y1); 0 when it has none: then it has no index
   entry, as GDAL's triggers give none to an empty geometry. */
static int feat_bounds(const cc_geomcol *g, size_t i, double out[4])
{
    size_t p0 = g->feat_part[i], p1 = g->feat_part[i + 1];
    if (p1 <= p0) return 0;
    size_t a = g->part_coord[p0], e = g->part_coord[p1];
    if (e <= a) return 0;
    double x0 = g->x[a], x1 = x0, y0 = g->y[a], y1 = y0;
    for (size_t c = a + 1; c < e; c++) {
        double x = g->x[c], y = g->y[c];
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
    }
    out[0] = x0;
    out[1] = x1;
    out[2] = y0;
    out[3] = y1;
    return 1;
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int k = bytes - 1; k >= 0; k--, v >>= 8)
        p[k] = (unsigned char)(v & 0xff);
}


/* Sort key of a box: its centre along an axis (0 = x, 1 = y) as an unsigned integer in the
   same order as the doubles. */
static uint64_t rt_key(const rt_box *b, int axis)
{
    double c = (double)b->b[2 * axis] + (double)b->b[2 * axis + 1];
    uint64_t u;
    memcpy(&u, &c, sizeof u);
    return (u >> 63) ? ~u : u | 0x8000000000000000u;
}

/* Stable radix sort of e[0..n) by box centre along an axis, a byte per pass (passes where every
   key has the same byte are skipped); tmp[n] is scratch. Stable, so equal centres keep their
   order: the result depends on nothing but the input. */
static void rt_sort(rt_box *e, rt_box *tmp, size_t n, int axis)
{
    size_t cnt[256];
    rt_box *src = e, *dst = tmp;
    if (n < 2) return;
    for (int shift = 0; shift < 64; shift += 8) {
        memset(cnt, 0, sizeof cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(rt_key(&src[i], axis) >> shift) & 255]++;
        if (cnt[(rt_key(&src[0], axis) >> shift) & 255] == n) continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(rt_key(&src[i], axis) >> shift) & 255]++] = src[i];
        rt_box *t = src;
        src = dst;
        dst = t;
    }
    if (src != e) memcpy(e, src, n * sizeof *e);
}

/* Nodes of one level over n boxes: sort-tile-recursive slabs and nodes per slab (the sizes of
   a slab's nodes differ by at most one). Used both to count and to build. */
static size_t rt_slabs(size_t n, size_t M)
{
    return (size_t)ceil(sqrt((double)((n + M - 1) / M)));
}

/* Nodes of the packed tree of n boxes, at most M per node. */
static size_t rt_count(size_t n, size_t M)
{
    size_t total = 1;
    while (n > M) {
        size_t slabs = rt_slabs(n, M), up = 0;
        for (size_t s = 0; s < slabs; s++) {
            size_t m = n * (s + 1) / slabs - n * s / slabs;
            up += (m + M - 1) / M;
        }
        total += up;
        n = up;
    }
    return total;
}

/* A packed tree: every array is allocated by the caller, so either thread can build it. */
typedef struct rt_job {
    rt_box *box;   /* [n] the entries (reordered) */
    rt_box *other; /* [n / 2 + 2] the level above */
    rt_box *tmp;   /* [n] sort scratch */
    size_t n;
    int64_t *leaf_of; /* [span] leaf node of feature id fid0 + k, 0 = none */
    int64_t fid0;
    size_t span;
    int64_t *parent;      /* [n_nodes] parent of node number k + 2 */
    unsigned char *nodes; /* [n_nodes * node_size] node number k + 1 at k * node_size */
    size_t n_nodes, node_size, max_cells;
    int64_t next_node;
} rt_job;

/* Node holding boxes c[0..n) at `level` (0 = leaves); root = 1 makes it node 1 and stores the
   depth there. *out gets the node's own box and number for the level above. */
static void rt_node(rt_job *J, const rt_box *c, size_t n, int level, int root, rt_box *out)
{
    int64_t no = root ? 1 : J->next_node++;
    unsigned char *z = J->nodes + (size_t)(no - 1) * J->node_size;
    memset(z, 0, J->node_size);
    if (root) put_be(z, (uint64_t)level, 2); /* the tree depth lives in the root only */
    put_be(z + 2, (uint64_t)n, 2);
    rt_box box = c[0];
    for (size_t k = 0; k < n; k++) {
        unsigned char *cell = z + 4 + 24 * k;
        put_be(cell, (uint64_t)c[k].id, 8);
        for (int d = 0; d < 4; d++) {
            uint32_t u;
            memcpy(&u, &c[k].b[d], 4);
            put_be(cell + 8 + 4 * d, u, 4);
        }
        if (c[k].b[0] < box.b[0]) box.b[0] = c[k].b[0];
        if (c[k].b[1] > box.b[1]) box.b[1] = c[k].b[1];
        if (c[k].b[2] < box.b[2]) box.b[2] = c[k].b[2];
        if (c[k].b[3] > box.b[3]) box.b[3] = c[k].b[3];
        if (level == 0)
            J->leaf_of[c[k].id - J->fid0] = no;
        else
            J->parent[c[k].id - 2] = no;
    }
    box.id = no;
    *out = box;
}

/* Pack J->box into J->nodes (J->n_nodes = rt_count(n, max_cells) of them, made by the caller).
   0 on success, -1 if the tree would not match the count (cannot happen). */
static int rt_pack(rt_job *J)
{
    size_t M = J->max_cells;
    rt_box *cur = J->box, *up = J->other;
    size_t n = J->n;
    J->next_node = 2;
    for (int level = 0;; level++) {
        if (n <= M) {
            rt_node(J, cur, n, level, 1, &up[0]);
            break;
        }
        size_t slabs = rt_slabs(n, M), n_up = 0;
        rt_sort(cur, J->tmp, n, 0);
        for (size_t s = 0; s < slabs; s++) {
            size_t a = n * s / slabs, b = n * (s + 1) / slabs, m = b - a;
            if (!m) continue;
            rt_sort(cur + a, J->tmp, m, 1);
            size_t q = (m + M - 1) / M;
            for (size_t j = 0; j < q; j++) {
                size_t c0 = a + m * j / q, c1 = a + m * (j + 1) / q;
                if ((size_t)J->next_node > J->n_nodes || n_up > n / 2 + 1) return -1;
                rt_node(J, cur + c0, c1 - c0, level, 0, &up[n_up++]);
            }
        }
        /* Every node of a level holds at least two boxes (M >= 4, slabs of M or more), so a
           level at most halves and fits the other array. */
        rt_box *t = cur;
        cur = up;
        up = t;
        n = n_up;
    }
    return (size_t)J->next_node == J->n_nodes + 1 ? 0 : -1;
}

/* "<head><rtree><suffix><tail>" with the table name quoted. */
static void sb_table(sqlbuf *b, const char *head, const char *rtree, const char *suffix,
                     const char *tail)
{
    char name[NAME_MAX_BYTES * 2 + 32];
    cc_snprintf(name, sizeof name, "%s%s", rtree, suffix);
    sb_puts(b, head);
    sb_ident(b, name);
    sb_puts(b, tail);
}

/* The nodes into <rtree>_node as SQL blob literals, replacing the empty root. */
static int rt_sql_nodes(GDALDatasetH ds, cc__gdal_errs *e, sqlbuf *sql, const char *rtree,
                        const rt_job *J, char *msg, size_t cap)
{
    sb_reset(sql);
    sb_table(sql, "DELETE FROM ", rtree, "_node", " WHERE nodeno = 1");
    if (sb_exec(ds, e, sql, msg, cap)) return -1;
    sb_reset(sql);
    for (size_t k = 0; k < J->n_nodes; k++) {
        if (!sql->len)
            sb_table(sql, "INSERT INTO ", rtree, "_node", " (nodeno, data) VALUES ");
        else
            sb_put(sql, ",", 1);
        sb_put(sql, "(", 1);
        sb_u64(sql, (uint64_t)k + 1);
        sb_put(sql, ",", 1);
        sb_blob(sql, J->nodes + k * J->node_size, J->node_size);
        sb_put(sql, ")", 1);
        if (sql->len >= SQL_CHUNK || k + 1 == J->n_nodes) {
            if (sb_exec(ds, e, sql, msg, cap)) return -1;
            sb_reset(sql);
        }
    }
    return 0;
}

/* "INSERT INTO <rtree><suffix> <cols> SELECT key + base, value FROM json_each('[...]')" for
   v[0..n) (0 = no row), in chunks: far less SQL text to parse than rows of VALUES. */
static int rt_sql_map(GDALDatasetH ds, cc__gdal_errs *e, sqlbuf *sql, const char *rtree,
                      const char *suffix, const char *cols, const int64_t *v, size_t n,
                      int64_t base, char *msg, size_t cap)
{
    for (size_t a = 0; a < n; a += MAP_CHUNK) {
        size_t end = n - a < MAP_CHUNK ? n : a + MAP_CHUNK;
        char tail[160];
        cc_snprintf(tail, sizeof tail, " %s SELECT key + %lld, value FROM json_each('[", cols,
                    (long long)(base + (int64_t)a));
        sb_reset(sql);
        sb_table(sql, "INSERT INTO ", rtree, suffix, tail);
        for (size_t i = a; i < end; i++) {
            if (i > a) sb_put(sql, ",", 1);
            if (v[i] > 0)
                sb_u64(sql, (uint64_t)v[i]);
            else
                sb_put(sql, "null", 4);
        }
        sb_puts(sql, "]') WHERE value IS NOT NULL");
        if (sb_exec(ds, e, sql, msg, cap)) return -1;
    }
    return 0;
}

/* The rowid -> leaf and node -> parent maps. */
static int rt_sql_maps(GDALDatasetH ds, cc__gdal_errs *e, sqlbuf *sql, const char *rtree,
                       const rt_job *J, char *msg, size_t cap)
{
    if (rt_sql_map(ds, e, sql, rtree, "_rowid", "(rowid, nodeno)", J->leaf_of, J->span, J->fid0,
                   msg, cap))
        return -1;
    if (J->n_nodes > 1 && rt_sql_map(ds, e, sql, rtree, "_parent", "(nodeno, parentnode)",
                                     J->parent, J->n_nodes - 1, 2, msg, cap))
        return -1;
    return 0;
}

static long long rt_node_size(GDALDatasetH ds, cc__gdal_errs *e, sqlbuf *sql, const char *rtree,
                              char *msg, size_t cap)
{
    char name[NAME_MAX_BYTES * 2 + 32], out[32];
    cc_snprintf(name, sizeof name, "%s_node", rtree);
    sb_reset(sql);
    sb_puts(sql, "SELECT length(data) FROM ");
    sb_ident(sql, name);
    sb_puts(sql, " WHERE nodeno = 1");
    if (sql->overflow) {
        cc_snprintf(msg, cap, "internal: SQL buffer too small");
        return -1;
    }
    if (ds_query(ds, e, sql->s, out, sizeof out, msg, cap)) return -1;
    long long v = atoll(out);
    if (v < 4 + 24 * 4 || v > 4 + 24 * 65535) {
        cc_snprintf(msg, cap, "unexpected rtree node size '%s'", out);
        return -1;
    }
    return v;
}

/* "CREATE VIRTUAL TABLE <rtree> USING rtree(...)" */
static int rt_create(GDALDatasetH ds, cc__gdal_errs *e, sqlbuf *sql, const char *rtree, char *msg,
                     size_t cap)
{
    sb_reset(sql);
    sb_puts(sql, "CREATE VIRTUAL TABLE ");
    sb_ident(sql, rtree);
    sb_puts(sql, " USING rtree(id, minx, maxx, miny, maxy)");
    return sb_exec(ds, e, sql, msg, cap);
}

/* The GeoPackage standard's triggers keeping rtree `r` in step with table t, geometry column g
   and feature id column i (GeoPackage 1.2, "Extension: RTree Spatial Indexes"), and the
   gpkg_extensions row that registers the index. */
static int rt_register(GDALDatasetH ds, cc__gdal_errs *e, sqlbuf *sql, const char *r,
                       const char *t, const char *g, const char *i, char *msg, size_t cap)
{
    /* @T table, @G geometry column, @I feature id column, @R rtree table (quoted on output). */
    static const char *const trig[][2] = {
        {"insert", "AFTER INSERT ON @T WHEN (new.@G NOT NULL AND NOT ST_IsEmpty(NEW.@G)) BEGIN "
                   "INSERT OR REPLACE INTO @R VALUES (NEW.@I,ST_MinX(NEW.@G), ST_MaxX(NEW.@G),"
                   "ST_MinY(NEW.@G), ST_MaxY(NEW.@G)); END"},
        {"update1", "AFTER UPDATE OF @G ON @T WHEN OLD.@I = NEW.@I AND (NEW.@G NOTNULL AND NOT "
                    "ST_IsEmpty(NEW.@G)) BEGIN INSERT OR REPLACE INTO @R VALUES (NEW.@I,"
                    "ST_MinX(NEW.@G), ST_MaxX(NEW.@G),ST_MinY(NEW.@G), ST_MaxY(NEW.@G)); END"},
        {"update2", "AFTER UPDATE OF @G ON @T WHEN OLD.@I = NEW.@I AND (NEW.@G ISNULL OR "
                    "ST_IsEmpty(NEW.@G)) BEGIN DELETE FROM @R WHERE id = OLD.@I; END"},
        {"update3", "AFTER UPDATE ON @T WHEN OLD.@I != NEW.@I AND (NEW.@G NOTNULL AND NOT "
                    "ST_IsEmpty(NEW.@G)) BEGIN DELETE FROM @R WHERE id = OLD.@I; INSERT OR "
                    "REPLACE INTO @R VALUES (NEW.@I,ST_MinX(NEW.@G), ST_MaxX(NEW.@G),"
                    "ST_MinY(NEW.@G), ST_MaxY(NEW.@G)); END"},
        {"update4", "AFTER UPDATE ON @T WHEN OLD.@I != NEW.@I AND (NEW.@G ISNULL OR "
                    "ST_IsEmpty(NEW.@G)) BEGIN DELETE FROM @R WHERE id IN (OLD.@I, NEW.@I); END"},
        {"delete", "AFTER DELETE ON @T WHEN old.@G NOT NULL BEGIN DELETE FROM @R WHERE id = "
                   "OLD.@I; END"},
    };
    char name[NAME_MAX_BYTES * 2 + 32];
    for (size_t k = 0; k < sizeof trig / sizeof trig[0]; k++) {
        sb_reset(sql);
        cc_snprintf(name, sizeof name, "%s_%s", r, trig[k][0]);
        sb_puts(sql, "CREATE TRIGGER ");
        sb_ident(sql, name);
        sb_put(sql, " ", 1);
        for (const char *p = trig[k][1]; *p; p++) {
            if (*p != '@') {
                sb_put(sql, p, 1);
                continue;
            }
            p++;
            sb_ident(sql, *p == 'T' ? t : *p == 'G' ? g : *p == 'I' ? i : r);
        }
        if (sb_exec(ds, e, sql, msg, cap)) return -1;
    }
    /* The table may not exist yet in a new file (DDL of the GeoPackage standard). */
    if (ds_exec(ds, e,
                "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,"
                "extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,"
                "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))",
                msg, cap))
        return -1;
    sb_reset(sql);
    sb_puts(sql, "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                 "definition, scope) VALUES (");
    sb_literal(sql, t);
    sb_put(sql, ",", 1);
    sb_literal(sql, g);
    sb_puts(sql, ",'gpkg_rtree_index','http://www.geopackage.org/spec120/#extension_rtree',"
                 "'write-only')");
    return sb_exec(ds, e, sql, msg, cap);
}

/* ---- rows ---- */

static cc_status check_args(cc_ctx *ctx, const char *path, const char *layer_name,
                            const cc_geomcol *geom, size_t n, const cc_out_field *fields,
                            size_t n_fields)
{
    if (!layer_name || !*layer_name)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_write_layer: a layer name is required");
    if (strlen(layer_name) > NAME_MAX_BYTES)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_write_layer: %s: layer name longer than %d bytes",
                        path, NAME_MAX_BYTES);
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

/* The layer being written, as both threads see it (read-only while they run). */
typedef struct layer_def {
    const char *path, *layer, *crs;
    const cc_geomcol *geom;
    const cc_out_field *fields;
    size_t n_fields, n;
    OGRwkbGeometryType gtype;
    int multi;
} layer_def;

/* Create the layer and its fields in ds; idx[j] gets field j's index. NULL on failure (msg). */
static OGRLayerH make_layer(GDALDatasetH ds, cc__gdal_errs *e, const layer_def *L,
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
            cc_snprintf(msg, cap, "cannot create field '%s' in layer '%s' (%s)", fl->name,
                        L->layer, cc__io_gdal_msg(e, "unknown reason"));
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

/* Rows [a, b) of a layer through one reused feature. */
typedef struct rows_job {
    const layer_def *L;
    OGRLayerH lyr;
    OGRFeatureH f;
    const int *idx;
    size_t a, b;
    int set_fid;   /* give the first row its id a + 1 (a part file: the table's AUTOINCREMENT
                      then numbers the others, cheaper than explicit ids) */
    int check_fid; /* row i must get id i + 1 (the packed spatial index relies on it) */
    cc_ctx *ctx;   /* interrupt checks; NULL in the part thread */
    atomic_int *stop; /* raised when the other thread failed; may be NULL */
    cc__gdal_errs *e;
    char msg[700]; /* the failure ("" when the context holds it: interrupted) */
} rows_job;

static cc_status write_rows(rows_job *J)
{
    const layer_def *L = J->L;
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


/* ---- the part: rows [a, n) and the index nodes, into a file of their own (on a thread of
   its own, or first on this one) ---- */

#define PART_RTREE "cc_part_rtree"
#define PART_NODES "cc_part_nodes"

typedef struct part_job {
    const layer_def *L;
    const char *path;  /* the part file */
    GDALDatasetH ds;   /* opened by the caller, closed by the thread */
    size_t a;          /* first row */
    int *idx;          /* [n_fields] */
    const rt_job *rt;  /* packed index nodes to store, NULL for none */
    atomic_int stop;   /* raised by either thread on failure */
    atomic_int packed; /* raised when rt holds the packed tree (this thread waits for it) */
    cc_ctx *ctx;       /* interrupt checks when run on the caller's thread, else NULL */
    cc_status st;
    char msg[800];     /* the failure ("" when the context holds it: interrupted) */
} part_job;

static void *part_main(void *arg)
{
    part_job *P = arg;
    const layer_def *L = P->L;
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
    OGRLayerH lyr = make_layer(ds, &errs, L, srs, lco, P->idx, why, sizeof why);
    if (!lyr) goto done;
    if (!(f = OGR_F_Create(OGR_L_GetLayerDefn(lyr)))) {
        cc_snprintf(why, sizeof why, "out of memory");
        goto done;
    }
    if (GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE) in_tx = 1;
    rows_job R;
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
    cc_status st = write_rows(&R);
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
        const rt_job *J = P->rt;
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

/* Everything one layer's writing holds; freed by layer_free. */
typedef struct layer_run {
    OGRSpatialReferenceH srs;
    OGRFeatureH f;
    char **lco;
    int *idx;
    rt_job rt;       /* the packed index: boxes, then the tree */
    char *rtree;     /* its table */
    sqlbuf sql;
    part_job *part;  /* the part thread's job; NULL when this thread writes every row */
    pthread_t thread;
    int thread_started;
    char *part_path;
    char *tsql[8]; /* triggers of the table, re-created after the copy */
    size_t n_tsql;
} layer_run;

/* Stop and wait for the part thread; close and remove its file. */
static void part_end(layer_run *R)
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

static void layer_free(layer_run *R)
{
    part_end(R);
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

/* The packed tree's arrays for its R->rt.n boxes (ids in [1, n_rows]) and nodes of node_size
   bytes, then the tree itself. */
static cc_status rt_build(cc_ctx *ctx, rt_job *J, size_t n_rows, size_t node_size)
{
    J->node_size = node_size;
    J->max_cells = (node_size - 4) / 24;
    J->n_nodes = rt_count(J->n, J->max_cells);
    J->fid0 = 1;
    J->span = n_rows;
    J->other = cc_malloc_array(ctx, J->n / 2 + 2, sizeof *J->other);
    J->tmp = cc_malloc_array(ctx, J->n, sizeof *J->tmp);
    J->leaf_of = cc_calloc(ctx, n_rows, sizeof *J->leaf_of);
    J->parent = cc_calloc(ctx, J->n_nodes, sizeof *J->parent);
    J->nodes = cc_malloc_array(ctx, J->n_nodes, node_size);
    if (!J->other || !J->tmp || !J->leaf_of || !J->parent || !J->nodes) return CC_ERR_NOMEM;
    if (rt_pack(J))
        return cc_error(ctx, CC_ERR_INTERNAL, "spatial index: the packed tree has the wrong size");
    return CC_OK;
}

/* This layer in two parts? (a new GeoPackage, enough rows, and a CRS with an EPSG code, so
   that both files give it the same srs_id). Not the thread count: that decides only whether
   the part gets a thread of its own, never what the file receives. */
static int use_part(const cc_io_writer *w, const layer_def *L, OGRSpatialReferenceH srs)
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
static GDALDatasetH part_open(cc__gdal_errs *e, const char *path, int want_rtree, sqlbuf *sql,
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
    if (ds_exec(ds, e, "PRAGMA synchronous = OFF", msg, cap) ||
        ds_exec(ds, e, "PRAGMA journal_mode = MEMORY", msg, cap) ||
        (want_rtree && (rt_create(ds, e, sql, PART_RTREE, msg, cap) ||
                        (*node_size = rt_node_size(ds, e, sql, PART_RTREE, msg, cap)) < 0))) {
        GDALClose(ds);
        VSIUnlink(path);
        return NULL;
    }
    return ds;
}

static cc_status merge_part(cc_ctx *ctx, cc__gdal_errs *e, cc_io_writer *w, const layer_def *L,
                            layer_run *R, const char *rtree, const size_t ext[4], int *fallback)
{
    sqlbuf *sql = &R->sql;
    char why[700] = "", out[64];
    const char *path = w->path, *T = L->layer;
    *fallback = 0;
    sb_reset(sql);
    sb_puts(sql, "ATTACH DATABASE ");
    sb_literal(sql, R->part_path);
    sb_puts(sql, " AS cc_part");
    if (sb_exec(w->ds, e, sql, why, sizeof why)) {
        *fallback = 1; /* e.g. a GDAL that refuses ATTACH */
        return CC_OK;
    }
    int attached = 1, in_tx = 0;
    cc_status st = CC_OK;
    char *text = NULL;
    /* Same geometry SRS id in both files, else the copied geometries would lie. */
    char id_main[32] = "", id_part[32] = "";
    for (int k = 0; k < 2 && L->gtype != wkbNone; k++) {
        sb_reset(sql);
        sb_puts(sql, k ? "SELECT srs_id FROM cc_part.gpkg_geometry_columns WHERE table_name = "
                       : "SELECT srs_id FROM main.gpkg_geometry_columns WHERE table_name = ");
        sb_literal(sql, T);
        if (sql->overflow ||
            ds_query(w->ds, e, sql->s, k ? id_part : id_main, sizeof id_main, why, sizeof why))
            goto failed;
    }
    if (strcmp(id_main, id_part) != 0) {
        *fallback = 1;
        goto detach;
    }
    if (GDALDatasetStartTransaction(w->ds, FALSE) != OGRERR_NONE) goto failed;
    in_tx = 1;
    /* GDAL's feature-count triggers would run per row and keep SQLite from copying records
       whole: drop them for the copy, re-create them, and set the count they maintain. */
    sb_reset(sql);
    sb_puts(sql, "SELECT group_concat(name, char(10)) FROM sqlite_master WHERE type = 'trigger' "
                 "AND tbl_name = ");
    sb_literal(sql, T);
    char names[4096];
    if (sql->overflow || ds_query(w->ds, e, sql->s, names, sizeof names, why, sizeof why))
        goto failed;
    text = cc_malloc(ctx, 65536);
    if (!text) {
        st = CC_ERR_NOMEM;
        goto failed;
    }
    for (char *p = names; *p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        if (R->n_tsql == sizeof R->tsql / sizeof R->tsql[0]) {
            cc_snprintf(why, sizeof why, "too many triggers on the table");
            goto failed;
        }
        sb_reset(sql);
        sb_puts(sql, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ");
        sb_literal(sql, p);
        if (sql->overflow || ds_query(w->ds, e, sql->s, text, 65536, why, sizeof why))
            goto failed;
        if (!(R->tsql[R->n_tsql++] = cc_strdup(ctx, text))) {
            st = CC_ERR_NOMEM;
            goto failed;
        }
        sb_reset(sql);
        sb_puts(sql, "DROP TRIGGER ");
        sb_ident(sql, p);
        if (sb_exec(w->ds, e, sql, why, sizeof why)) goto failed;
        p = nl ? nl + 1 : p + strlen(p);
    }
    sb_reset(sql);
    sb_puts(sql, "INSERT INTO ");
    sb_ident(sql, T);
    sb_puts(sql, " SELECT * FROM cc_part.");
    sb_ident(sql, T);
    if (sb_exec(w->ds, e, sql, why, sizeof why)) goto failed;
    for (size_t k = 0; k < R->n_tsql; k++)
        if (ds_exec(w->ds, e, R->tsql[k], why, sizeof why)) goto failed;
    /* The count GDAL keeps in gpkg_ogr_contents (a GDAL extension), when the table has it. */
    if (ds_query(w->ds, e,
                 "SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_ogr_contents'", out,
                 sizeof out, why, sizeof why))
        goto failed;
    if (atoll(out) > 0) {
        sb_reset(sql);
        sb_puts(sql, "UPDATE gpkg_ogr_contents SET feature_count = ");
        sb_u64(sql, (uint64_t)L->n);
        sb_puts(sql, " WHERE lower(table_name) = lower(");
        sb_literal(sql, T);
        sb_puts(sql, ")");
        if (sb_exec(w->ds, e, sql, why, sizeof why)) goto failed;
    }
    /* The extent: GDAL saw only this thread's rows. Take the extremes from the features
       holding them, through the text GDAL writes them as (SQLite's printf "%.18g" read back:
       the very values GDAL would store). */
    if (L->gtype != wkbNone && ext[0] != (size_t)-1) {
        static const char *const col[4] = {"min_x", "max_x", "min_y", "max_y"};
        static const char *const fn[4] = {"ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"};
        const char *gcol = OGR_L_GetGeometryColumn(GDALDatasetGetLayerByName(w->ds, T));
        const char *fcol = OGR_L_GetFIDColumn(GDALDatasetGetLayerByName(w->ds, T));
        sb_reset(sql);
        sb_puts(sql, "UPDATE gpkg_contents SET ");
        for (int k = 0; k < 4; k++) {
            if (k) sb_put(sql, ", ", 2);
            sb_puts(sql, col[k]);
            sb_puts(sql, " = CAST(printf('%.18g', (SELECT ");
            sb_puts(sql, fn[k]);
            sb_put(sql, "(", 1);
            sb_ident(sql, gcol && *gcol ? gcol : "geom");
            sb_puts(sql, ") FROM ");
            sb_ident(sql, T);
            sb_puts(sql, " WHERE ");
            sb_ident(sql, fcol && *fcol ? fcol : "fid");
            sb_puts(sql, " = ");
            sb_u64(sql, (uint64_t)ext[k] + 1);
            sb_puts(sql, ")) AS REAL)");
        }
        sb_puts(sql, " WHERE lower(table_name) = lower(");
        sb_literal(sql, T);
        sb_puts(sql, ")");
        if (sb_exec(w->ds, e, sql, why, sizeof why)) goto failed;
    }
    if (R->rt.n) { /* the nodes (main already holds the vtab, its rowid and parent maps) */
        sb_reset(sql);
        sb_table(sql, "DELETE FROM ", rtree, "_node", "");
        if (sb_exec(w->ds, e, sql, why, sizeof why)) goto failed;
        sb_reset(sql);
        sb_table(sql, "INSERT INTO ", rtree, "_node", " (nodeno, data) SELECT fid, data FROM "
                                                      "cc_part." PART_NODES);
        if (sb_exec(w->ds, e, sql, why, sizeof why)) goto failed;
    }
    in_tx = 0;
    if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE) {
        cc_snprintf(why, sizeof why, "cannot commit (%s)", cc__io_gdal_msg(e, "unknown reason"));
        goto failed;
    }
detach:
    attached = 0;
    if (ds_exec(w->ds, e, "DETACH DATABASE cc_part", why, sizeof why)) goto failed;
    cc_free(text);
    return st;

failed:
    cc_free(text);
    if (in_tx) GDALDatasetRollbackTransaction(w->ds);
    if (attached) {
        char ignore[64];
        ds_exec(w->ds, e, "DETACH DATABASE cc_part", ignore, sizeof ignore);
    }
    if (st) return st;
    return cc_error(ctx, CC_ERR_IO, "%s: cannot copy the rows of layer '%s' written in parallel (%s)",
                    path, T, why[0] ? why : cc__io_gdal_msg(e, "unknown reason"));
}

cc_status cc_io_writer_add_layer(cc_ctx *ctx, cc_io_writer *w, const char *layer_name,
                                 const char *crs, const cc_geomcol *geom, size_t n_features,
                                 const cc_out_field *fields, size_t n_fields)
{
    if (!w || !w->ds)
        return cc_error(ctx, CC_ERR_INVALID, "cc_io_writer_add_layer: the writer is not open");
    cc_status st = check_args(ctx, w->path, layer_name, geom, n_features, fields, n_fields);
    if (st) return st;
    const char *path = w->path;
    GDALDatasetH ds = w->ds;
    cc__gdal_errs errs;
    cc__io_begin(&errs, ctx);
    cc__date_pin pin;
    cc__io_pin_date(&pin, w->gpkg && w->created);
    layer_run R;
    memset(&R, 0, sizeof R);
    layer_def L = {path, layer_name, crs, geom, fields, n_fields, n_features, wkbNone, 0};
    char why[700] = "";
    int in_tx = 0;
    size_t ext[4] = {(size_t)-1, (size_t)-1, (size_t)-1, (size_t)-1};
    rows_job J;
    memset(&J, 0, sizeof J);

    if (crs && *crs) {
        R.srs = OSRNewSpatialReference(NULL);
        if (!R.srs || OSRSetFromUserInput(R.srs, crs) != OGRERR_NONE) {
            st = cc_error(ctx, CC_ERR_CRS, "%s: output crs '%s' is not known to GDAL/PROJ", path,
                          crs);
            goto done;
        }
        OSRSetAxisMappingStrategy(R.srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    if (GDALDatasetGetLayerByName(ds, layer_name)) {
        st = cc_error(ctx, CC_ERR_IO, "%s: already has a layer '%s'; choose another name", path,
                      layer_name);
        goto done;
    }
    if (!GDALDatasetTestCapability(ds, ODsCCreateLayer)) {
        st = cc_error(ctx, CC_ERR_IO, "%s: the %s format cannot hold another layer", path,
                      GDALGetDriverShortName(w->drv));
        goto done;
    }
    if (geom && geom->kind != CC_GEOM_NONE) {
        for (size_t i = 0; i < n_features && !L.multi; i++) {
            size_t p0 = geom->feat_part[i], p1 = geom->feat_part[i + 1];
            L.multi = geom->kind == CC_GEOM_POLYGON ? count_outer(geom, p0, p1) > 1 : p1 - p0 > 1;
        }
        if (geom->kind == CC_GEOM_POINT) L.gtype = L.multi ? wkbMultiPoint : wkbPoint;
        if (geom->kind == CC_GEOM_LINE) L.gtype = L.multi ? wkbMultiLineString : wkbLineString;
        if (geom->kind == CC_GEOM_POLYGON) L.gtype = L.multi ? wkbMultiPolygon : wkbPolygon;
    }
    if (strcmp(GDALGetDriverShortName(w->drv), "GeoJSON") == 0 && R.srs &&
        cc__io_srs_epsg(R.srs) == 4326)
        R.lco = CSLSetNameValue(R.lco, "RFC7946", "YES");
    int indexed = w->gpkg && L.gtype != wkbNone; /* gets the packed spatial index */
    if (indexed) R.lco = CSLSetNameValue(R.lco, "SPATIAL_INDEX", "NO");
    R.idx = cc_malloc_array(ctx, n_fields ? n_fields : 1, sizeof *R.idx);
    if (!R.idx) {
        st = CC_ERR_NOMEM;
        goto done;
    }
    OGRLayerH lyr = make_layer(ds, &errs, &L, R.srs, R.lco, R.idx, why, sizeof why);
    if (!lyr) {
        st = cc_error(ctx, CC_ERR_IO, "%s: %s", path, why);
        goto done;
    }
    R.f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    if (!R.f) {
        st = cc_error(ctx, CC_ERR_NOMEM, "%s: out of memory writing layer '%s'", path, layer_name);
        goto done;
    }
    const char *gcol = indexed ? OGR_L_GetGeometryColumn(lyr) : NULL;
    const char *fcol = indexed ? OGR_L_GetFIDColumn(lyr) : NULL;
    if (!gcol || !*gcol) gcol = "geom";
    if (!fcol || !*fcol) fcol = "fid";
    if (indexed) {
        /* The index's boxes (row i gets feature id i + 1 in the new table) and the rows
           holding the extent's extremes. */
        R.rt.box = cc_malloc_array(ctx, n_features ? n_features : 1, sizeof *R.rt.box);
        R.rtree = cc_asprintf(ctx, "rtree_%s_%s", layer_name, gcol);
        R.sql.s = cc_malloc_array(ctx, SQL_CAP, 1);
        if (!R.rt.box || !R.rtree || !R.sql.s) {
            st = CC_ERR_NOMEM;
            goto done;
        }
        R.sql.cap = SQL_CAP;
        sb_reset(&R.sql);
        double lo[4] = {0};
        for (size_t i = 0; i < n_features; i++) {
            double b[4];
            if (!feat_bounds(geom, i, b)) continue;
            rt_box *x = &R.rt.box[R.rt.n++];
            x->b[0] = rt_down(b[0]);
            x->b[1] = rt_up(b[1]);
            x->b[2] = rt_down(b[2]);
            x->b[3] = rt_up(b[3]);
            x->id = (int64_t)i + 1;
            for (int k = 0; k < 4; k++) /* min_x, max_x, min_y, max_y */
                if (ext[k] == (size_t)-1 || ((k & 1) ? b[k] > lo[k] : b[k] < lo[k])) {
                    ext[k] = i;
                    lo[k] = b[k];
                }
        }
    }

    /* Rows from h on go to the part file, on a thread of its own when two are allowed. Its file
       is made here: its rtree table tells SQLite's node size, so the tree is packed before any
       row. */
    size_t h = n_features;
    if (use_part(w, &L, R.srs)) {
        long long ns = 0;
        if (!R.sql.s) {
            R.sql.s = cc_malloc_array(ctx, SQL_CAP, 1);
            R.sql.cap = R.sql.s ? SQL_CAP : 0;
            sb_reset(&R.sql);
        }
        R.part_path = cc_asprintf(ctx, "%s-part", path);
        R.part = cc_calloc(ctx, 1, sizeof *R.part);
        if (!R.sql.s || !R.part_path || !R.part ||
            !(R.part->idx = cc_malloc_array(ctx, n_fields ? n_fields : 1, sizeof *R.part->idx))) {
            st = CC_ERR_NOMEM;
            goto done;
        }
        R.part->ds = part_open(&errs, R.part_path, R.rt.n > 0, &R.sql, &ns, why, sizeof why);
        if (R.part->ds) {
            h = (size_t)((double)n_features * PART_MAIN_SHARE);
            R.part->L = &L;
            R.part->path = R.part_path;
            R.part->a = h;
            R.part->rt = R.rt.n ? &R.rt : NULL;
            atomic_init(&R.part->stop, 0);
            atomic_init(&R.part->packed, 0);
            if (two_threads(ctx) && pthread_create(&R.thread, NULL, part_main, R.part) == 0)
                R.thread_started = 1;
            /* Pack the tree while the part thread starts on its rows (it waits for it). */
            if (R.rt.n) {
                if ((st = rt_build(ctx, &R.rt, n_features, (size_t)ns))) goto done;
                atomic_store(&R.part->packed, 1);
            }
            if (!R.thread_started) {
                /* One thread: the part first, here. The output file then receives the very
                   statements it receives with two, so it gets the same bytes. */
                R.part->ctx = ctx;
                part_main(R.part);
                if (R.part->st) {
                    st = R.part->msg[0] ? cc_error(ctx, R.part->st, "%s", R.part->msg)
                                        : R.part->st; /* interrupted: the context says so */
                    goto done;
                }
            }
        } else {
            cc_log(ctx, CC_LOG_DEBUG, "%s: layer '%s' is written in one part (%s)", path,
                   layer_name, why);
            part_end(&R);
            cc_free(R.part->idx);
            cc_free(R.part);
            R.part = NULL;
        }
    }

    if (GDALDatasetTestCapability(ds, ODsCTransactions) &&
        GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE)
        in_tx = 1;
    J.L = &L;
    J.lyr = lyr;
    J.f = R.f;
    J.idx = R.idx;
    J.a = 0;
    J.b = h;
    J.check_fid = w->gpkg;
    J.ctx = ctx;
    J.stop = R.part ? &R.part->stop : NULL;
    J.e = &errs;
    st = write_rows(&J);
    if (st) {
        if (R.part && strcmp(J.msg, "stopped") == 0) { /* the part thread failed first */
            part_end(&R);
            st = cc_error(ctx, R.part->st, "%s", R.part->msg);
        } else if (J.msg[0]) {
            st = cc_error(ctx, st, "%s", J.msg);
        }
        goto done;
    }
    if (indexed) {
        /* The index table; with the tree packed already, its maps go in while the part thread
           may still be writing. */
        if (!in_tx && GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE) in_tx = 1;
        if (rt_create(ds, &errs, &R.sql, R.rtree, why, sizeof why)) goto index_failed;
        if (R.part && R.rt.n) {
            long long ns = rt_node_size(ds, &errs, &R.sql, R.rtree, why, sizeof why);
            if (ns < 0) goto index_failed;
            if ((size_t)ns != R.rt.node_size) {
                cc_snprintf(why, sizeof why, "node sizes differ (%lld, %zu)", ns, R.rt.node_size);
                goto index_failed;
            }
            if (rt_sql_maps(ds, &errs, &R.sql, R.rtree, &R.rt, why, sizeof why))
                goto index_failed;
        }
    }
    if (R.part) {
        /* ATTACH needs no open transaction: commit, then take the part's rows and nodes. */
        if (in_tx) {
            in_tx = 0;
            if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
                st = cc_error(ctx, CC_ERR_IO, "%s: cannot commit layer '%s' (%s); is the disk "
                              "full?", path, layer_name, cc__io_gdal_msg(&errs, "unknown reason"));
                goto done;
            }
        }
        if (R.thread_started) {
            pthread_join(R.thread, NULL);
            R.thread_started = 0;
        }
        if (R.part->st) {
            st = cc_error(ctx, R.part->st, "%s", R.part->msg);
            goto done;
        }
        int fallback = 0;
        st = merge_part(ctx, &errs, w, &L, &R, R.rtree, ext, &fallback);
        part_end(&R); /* removes the part file */
        if (st) goto done;
        if (GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE) in_tx = 1;
        if (fallback) {
            /* The part cannot be copied in: write its rows here, and the nodes as below. */
            cc_log(ctx, CC_LOG_DEBUG, "%s: layer '%s': rows of the part file written again",
                   path, layer_name);
            J.a = h;
            J.b = n_features;
            J.stop = NULL;
            if ((st = write_rows(&J))) {
                if (J.msg[0]) st = cc_error(ctx, st, "%s", J.msg);
                goto done;
            }
            if (R.rt.n && rt_sql_nodes(ds, &errs, &R.sql, R.rtree, &R.rt, why, sizeof why))
                goto index_failed;
        }
    } else if (indexed && R.rt.n) {
        long long ns = rt_node_size(ds, &errs, &R.sql, R.rtree, why, sizeof why);
        if (ns < 0) goto index_failed;
        if ((st = rt_build(ctx, &R.rt, n_features, (size_t)ns))) goto done;
        if (rt_sql_nodes(ds, &errs, &R.sql, R.rtree, &R.rt, why, sizeof why) ||
            rt_sql_maps(ds, &errs, &R.sql, R.rtree, &R.rt, why, sizeof why))
            goto index_failed;
    }
    if (indexed && rt_register(ds, &errs, &R.sql, R.rtree, layer_name, gcol, fcol, why, sizeof why))
        goto index_failed;
    if (in_tx) {
        in_tx = 0;
        if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
            st = cc_error(ctx, CC_ERR_IO, "%s: cannot commit layer '%s' (%s); is the disk full?",
                          path, layer_name, cc__io_gdal_msg(&errs, "unknown reason"));
            goto done;
        }
    }
    goto done;

index_failed:
    st = cc_error(ctx, CC_ERR_IO, "%s: cannot write the spatial index of layer '%s' (%s)", path,
                  layer_name, why);
done:
    if (in_tx) GDALDatasetRollbackTransaction(ds);
    layer_free(&R); /* stops and waits for the part thread first */
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
        if (ds_exec(w->ds, &errs, "PRAGMA synchronous = OFF", why, sizeof why) ||
            ds_exec(w->ds, &errs, "PRAGMA journal_mode = MEMORY", why, sizeof why)) {
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
