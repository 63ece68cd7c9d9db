/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The GeoPackage spatial index bulk-loaded (see write.c): the boxes packed into an R-tree in
 * memory (sort-tile-recursive) and written straight into the shadow tables of SQLite's rtree
 * module, with the triggers and the gpkg_extensions row of the GeoPackage standard; and the
 * SQL text buffer and statement helpers the writer shares with the part writer.
 */
#include "io/io_internal.h"

#include <math.h>
#include <string.h>

/* Entries per json_each() array (rowid and parent maps). */
#define MAP_CHUNK 131072u

/* ---- SQL text in a preallocated buffer (no allocation: usable from the part thread) ---- */

void cc__sb_reset(cc__sqlbuf *b)
{
    b->len = 0;
    b->overflow = 0;
    if (b->s) b->s[0] = '\0';
}

void cc__sb_put(cc__sqlbuf *b, const char *s, size_t n)
{
    if (b->overflow || b->len + n + 1 > b->cap) {
        b->overflow = 1;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void cc__sb_puts(cc__sqlbuf *b, const char *s)
{
    cc__sb_put(b, s, strlen(s));
}

/* s between `q` quotes with inner ones doubled: an identifier ("), a string literal ('). */
static void sb_quoted(cc__sqlbuf *b, const char *s, char q)
{
    cc__sb_put(b, &q, 1);
    for (const char *p = s; *p; p++) {
        const char *e = strchr(p, q);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        cc__sb_put(b, p, n);
        if (!e) break;
        cc__sb_put(b, e, 1);
        cc__sb_put(b, e, 1);
        p = e;
    }
    cc__sb_put(b, &q, 1);
}

void cc__sb_ident(cc__sqlbuf *b, const char *s)
{
    sb_quoted(b, s, '"');
}

void cc__sb_literal(cc__sqlbuf *b, const char *s)
{
    sb_quoted(b, s, '\'');
}

/* Decimal digits of v (integers only: no locale involved). */
void cc__sb_u64(cc__sqlbuf *b, uint64_t v)
{
    char tmp[20], out[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    cc__sb_put(b, out, n);
}

/* An SQL blob literal X'..'. */
static void sb_blob(cc__sqlbuf *b, const unsigned char *p, size_t n)
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
int cc__ds_exec(GDALDatasetH ds, cc__gdal_errs *e, const char *sql, char *msg, size_t cap)
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
int cc__sb_exec(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *b, char *msg, size_t cap)
{
    if (b->overflow) {
        cc_snprintf(msg, cap, "internal: SQL buffer too small");
        return -1;
    }
    return cc__ds_exec(ds, e, b->s, msg, cap);
}

/* The first column of the first row of a query as text into out ("" when there is none). */
int cc__ds_query(GDALDatasetH ds, cc__gdal_errs *e, const char *sql, char *out, size_t out_cap,
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
static uint64_t rt_key(const cc__rt_box *b, int axis)
{
    double c = (double)b->b[2 * axis] + (double)b->b[2 * axis + 1];
    uint64_t u;
    memcpy(&u, &c, sizeof u);
    return (u >> 63) ? ~u : u | 0x8000000000000000u;
}

/* Stable radix sort of e[0..n) by box centre along an axis, a byte per pass (passes where every
   key has the same byte are skipped); tmp[n] is scratch. Stable, so equal centres keep their
   order: the result depends on nothing but the input. */
static void rt_sort(cc__rt_box *e, cc__rt_box *tmp, size_t n, int axis)
{
    size_t cnt[256];
    cc__rt_box *src = e, *dst = tmp;
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
        cc__rt_box *t = src;
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

/* Node holding boxes c[0..n) at `level` (0 = leaves); root = 1 makes it node 1 and stores the
   depth there. *out gets the node's own box and number for the level above. */
static void rt_node(cc__rt_job *J, const cc__rt_box *c, size_t n, int level, int root,
                    cc__rt_box *out)
{
    int64_t no = root ? 1 : J->next_node++;
    unsigned char *z = J->nodes + (size_t)(no - 1) * J->node_size;
    memset(z, 0, J->node_size);
    if (root) put_be(z, (uint64_t)level, 2); /* the tree depth lives in the root only */
    put_be(z + 2, (uint64_t)n, 2);
    cc__rt_box box = c[0];
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
static int rt_pack(cc__rt_job *J)
{
    size_t M = J->max_cells;
    cc__rt_box *cur = J->box, *up = J->other;
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
        cc__rt_box *t = cur;
        cur = up;
        up = t;
        n = n_up;
    }
    return (size_t)J->next_node == J->n_nodes + 1 ? 0 : -1;
}

/* "<head><rtree><suffix><tail>" with the table name quoted. */
void cc__sb_table(cc__sqlbuf *b, const char *head, const char *rtree, const char *suffix,
                  const char *tail)
{
    char name[CC__NAME_MAX_BYTES * 2 + 32];
    cc_snprintf(name, sizeof name, "%s%s", rtree, suffix);
    cc__sb_puts(b, head);
    cc__sb_ident(b, name);
    cc__sb_puts(b, tail);
}

/* The nodes into <rtree>_node as SQL blob literals, replacing the empty root. */
int cc__rt_sql_nodes(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree,
                     const cc__rt_job *J, char *msg, size_t cap)
{
    cc__sb_reset(sql);
    cc__sb_table(sql, "DELETE FROM ", rtree, "_node", " WHERE nodeno = 1");
    if (cc__sb_exec(ds, e, sql, msg, cap)) return -1;
    cc__sb_reset(sql);
    for (size_t k = 0; k < J->n_nodes; k++) {
        if (!sql->len)
            cc__sb_table(sql, "INSERT INTO ", rtree, "_node", " (nodeno, data) VALUES ");
        else
            cc__sb_put(sql, ",", 1);
        cc__sb_put(sql, "(", 1);
        cc__sb_u64(sql, (uint64_t)k + 1);
        cc__sb_put(sql, ",", 1);
        sb_blob(sql, J->nodes + k * J->node_size, J->node_size);
        cc__sb_put(sql, ")", 1);
        if (sql->len >= CC__SQL_CHUNK || k + 1 == J->n_nodes) {
            if (cc__sb_exec(ds, e, sql, msg, cap)) return -1;
            cc__sb_reset(sql);
        }
    }
    return 0;
}

/* "INSERT INTO <rtree><suffix> <cols> SELECT key + base, value FROM json_each('[...]')" for
   v[0..n) (0 = no row), in chunks: far less SQL text to parse than rows of VALUES. */
static int rt_sql_map(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree,
                      const char *suffix, const char *cols, const int64_t *v, size_t n,
                      int64_t base, char *msg, size_t cap)
{
    for (size_t a = 0; a < n; a += MAP_CHUNK) {
        size_t end = n - a < MAP_CHUNK ? n : a + MAP_CHUNK;
        char tail[160];
        cc_snprintf(tail, sizeof tail, " %s SELECT key + %lld, value FROM json_each('[", cols,
                    (long long)(base + (int64_t)a));
        cc__sb_reset(sql);
        cc__sb_table(sql, "INSERT INTO ", rtree, suffix, tail);
        for (size_t i = a; i < end; i++) {
            if (i > a) cc__sb_put(sql, ",", 1);
            if (v[i] > 0)
                cc__sb_u64(sql, (uint64_t)v[i]);
            else
                cc__sb_put(sql, "null", 4);
        }
        cc__sb_puts(sql, "]') WHERE value IS NOT NULL");
        if (cc__sb_exec(ds, e, sql, msg, cap)) return -1;
    }
    return 0;
}

/* The rowid -> leaf and node -> parent maps. */
int cc__rt_sql_maps(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree,
                    const cc__rt_job *J, char *msg, size_t cap)
{
    if (rt_sql_map(ds, e, sql, rtree, "_rowid", "(rowid, nodeno)", J->leaf_of, J->span, J->fid0,
                   msg, cap))
        return -1;
    if (J->n_nodes > 1 && rt_sql_map(ds, e, sql, rtree, "_parent", "(nodeno, parentnode)",
                                     J->parent, J->n_nodes - 1, 2, msg, cap))
        return -1;
    return 0;
}

long long cc__rt_node_size(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree,
                           char *msg, size_t cap)
{
    char name[CC__NAME_MAX_BYTES * 2 + 32], out[32];
    cc_snprintf(name, sizeof name, "%s_node", rtree);
    cc__sb_reset(sql);
    cc__sb_puts(sql, "SELECT length(data) FROM ");
    cc__sb_ident(sql, name);
    cc__sb_puts(sql, " WHERE nodeno = 1");
    if (sql->overflow) {
        cc_snprintf(msg, cap, "internal: SQL buffer too small");
        return -1;
    }
    if (cc__ds_query(ds, e, sql->s, out, sizeof out, msg, cap)) return -1;
    long long v = atoll(out);
    if (v < 4 + 24 * 4 || v > 4 + 24 * 65535) {
        cc_snprintf(msg, cap, "unexpected rtree node size '%s'", out);
        return -1;
    }
    return v;
}

/* "CREATE VIRTUAL TABLE <rtree> USING rtree(...)" */
int cc__rt_create(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree, char *msg,
                  size_t cap)
{
    cc__sb_reset(sql);
    cc__sb_puts(sql, "CREATE VIRTUAL TABLE ");
    cc__sb_ident(sql, rtree);
    cc__sb_puts(sql, " USING rtree(id, minx, maxx, miny, maxy)");
    return cc__sb_exec(ds, e, sql, msg, cap);
}

/* The GeoPackage standard's triggers keeping rtree `r` in step with table t, geometry column g
   and feature id column i (GeoPackage 1.2, "Extension: RTree Spatial Indexes"), and the
   gpkg_extensions row that registers the index. */
int cc__rt_register(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *r,
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
    char name[CC__NAME_MAX_BYTES * 2 + 32];
    for (size_t k = 0; k < sizeof trig / sizeof trig[0]; k++) {
        cc__sb_reset(sql);
        cc_snprintf(name, sizeof name, "%s_%s", r, trig[k][0]);
        cc__sb_puts(sql, "CREATE TRIGGER ");
        cc__sb_ident(sql, name);
        cc__sb_put(sql, " ", 1);
        for (const char *p = trig[k][1]; *p; p++) {
            if (*p != '@') {
                cc__sb_put(sql, p, 1);
                continue;
            }
            p++;
            cc__sb_ident(sql, *p == 'T' ? t : *p == 'G' ? g : *p == 'I' ? i : r);
        }
        if (cc__sb_exec(ds, e, sql, msg, cap)) return -1;
    }
    /* The table may not exist yet in a new file (DDL of the GeoPackage standard). */
    if (cc__ds_exec(ds, e,
                    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,"
                    "extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,"
                    "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))",
                    msg, cap))
        return -1;
    cc__sb_reset(sql);
    cc__sb_puts(sql, "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                     "definition, scope) VALUES (");
    cc__sb_literal(sql, t);
    cc__sb_put(sql, ",", 1);
    cc__sb_literal(sql, g);
    cc__sb_puts(sql, ",'gpkg_rtree_index','http://www.geopackage.org/spec120/#extension_rtree',"
                     "'write-only')");
    return cc__sb_exec(ds, e, sql, msg, cap);
}

/* The packed tree's arrays for its R->rt.n boxes (ids in [1, n_rows]) and nodes of node_size
   bytes, then the tree itself. */
cc_status cc__rt_build(cc_ctx *ctx, cc__rt_job *J, size_t n_rows, size_t node_size)
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

cc_status cc__rt_boxes(cc_ctx *ctx, cc__rt_job *J, const cc_geomcol *g, size_t n, size_t ext[4])
{
    J->box = cc_malloc_array(ctx, n ? n : 1, sizeof *J->box);
    if (!J->box) return CC_ERR_NOMEM;
    double lo[4] = {0};
    for (size_t i = 0; i < n; i++) {
        double b[4];
        if (!feat_bounds(g, i, b)) continue;
        cc__rt_box *x = &J->box[J->n++];
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
    return CC_OK;
}
