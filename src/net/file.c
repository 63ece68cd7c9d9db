/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prepared graph files (issue 18 item 3): a built graph written once (`carecircle prepare`)
 * and read back by window, so a part of a partitioned run touches only the edges near it.
 *
 * Layout (host order, little-endian only: the header's endian word says so), every section
 * starting at a multiple of 8, the sizes following from the header's counts:
 *   header (struct fhdr: magic "CCGRAPH1", version, counts, bbox, tile grid, file size)
 *   tile_off[tnx*tny+1] (uint64)   tile t lists the edges tile_edge[tile_off[t] .. [t+1]-1]:
 *   tile_edge[n_tile_ent] (uint32)  every edge whose polyline box meets the tile, ascending
 *   node_x, node_y (double), node_comp (uint32) [n_nodes]; comp_size, comp_node [n_comp]
 *   edge_from, edge_to, edge_tf, edge_tb (uint32), edge_len (double), edge_line (int64),
 *   edge_hw (uint32), edge_nosnap (uint8) [n_edges]; edge_coord[n_edges+1] (uint64)
 *   cx, cy, ccum [n_coords] (double); the snapping grid: grid_off[gnx*gny+1] (uint64),
 *   grid_seg[n_gseg], seg_edge[n_coords] (uint32), which a whole read copies instead of
 *   rebuilding it; the class names (NUL-terminated, hw_bytes in all)
 *   a 64-bit checksum of the header, the tile index and the class names.
 * The data sections are not summed (a window read must not read the whole file): a read
 * trusts nothing, and checks every count, offset, id and coordinate it uses.
 */
#include "net_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { S_TOFF, S_TEDGE, S_NX, S_NY, S_NCOMP, S_CSIZE, S_CNODE, S_EFROM, S_ETO, S_ETF, S_ETB,
       S_ELEN, S_ELINE, S_EHW, S_ENOSNAP, S_ECOORD, S_CX, S_CY, S_CCUM, S_GOFF, S_GSEG, S_SEGE, S_HW, S_SUM, S_END };

typedef struct fhdr {
    char magic[8];
    uint32_t version, endian;
    uint64_t n_nodes, n_edges, n_coords, n_comp, n_hw, hw_bytes, n_tile_ent;
    uint32_t max_arc_ds, snap_all, tnx, tny;
    double bbox[4];
    double tx0, ty0, tcell;
    double gx0, gy0, gcell; /* the snapping grid (net_internal.h), copied by whole reads */
    uint32_t gnx, gny;
    uint64_t n_gseg;
    uint64_t file_size;
} fhdr;

static const char MAGIC[8] = {'C', 'C', 'G', 'R', 'A', 'P', 'H', '1'};
#define ENDIAN_MARK 0x01020304u

struct cc_graph_file {
    cc_graph view; /* arrays point into the mapped file */
    fhdr h;
    const unsigned char *map;
    size_t size;
    uint64_t sec[S_END + 1];
    char *path;
};

/* Section offsets from the header's counts; 0 when they overflow. */
static int layout(const fhdr *h, uint64_t sec[S_END + 1])
{
    uint64_t ntile = (uint64_t)h->tnx * h->tny, ncell = (uint64_t)h->gnx * h->gny;
    const uint64_t bytes[S_END] = {
        (ntile + 1) * 8, h->n_tile_ent * 4, h->n_nodes * 8, h->n_nodes * 8, h->n_nodes * 4,
        h->n_comp * 4, h->n_comp * 4, h->n_edges * 4, h->n_edges * 4, h->n_edges * 4,
        h->n_edges * 4, h->n_edges * 8, h->n_edges * 8, h->n_edges * 4, h->n_edges,
        (h->n_edges + 1) * 8, h->n_coords * 8, h->n_coords * 8, h->n_coords * 8, (ncell + 1) * 8,
        h->n_gseg * 4, h->n_coords * 4, h->hw_bytes, 8};
    const uint64_t lim = (uint64_t)1 << 56;
    if (ntile >= lim || h->n_tile_ent >= lim || h->n_nodes >= lim || h->n_comp >= lim ||
        h->n_edges >= lim || h->n_coords >= lim || h->hw_bytes >= lim || ncell >= lim ||
        h->n_gseg >= lim)
        return 0;
    uint64_t at = sizeof(fhdr);
    for (int s = 0; s < S_END; s++) {
        sec[s] = at;
        at += (bytes[s] + 7) / 8 * 8;
        if (at >= lim) return 0;
    }
    sec[S_END] = at;
    return 1;
}

/* 64-bit checksum, 8 bytes at a time (the tail zero-padded). */
static uint64_t sum_add(uint64_t h, const unsigned char *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i += 8) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i < 8 ? (size_t)(n - i) : 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    return h;
}

/* ---- Writing ---- */

/* Tile index range of [lo, hi] along one axis (clamped; the same rule for edges and windows). */
static void tile_span(double lo, double hi, double o, double cell, uint32_t n, uint32_t out[2])
{
    double a = floor((lo - o) / cell), b = floor((hi - o) / cell);
    a = a < 0 ? 0 : a > n - 1 ? n - 1 : a;
    b = b < 0 ? 0 : b > n - 1 ? n - 1 : b;
    out[0] = (uint32_t)a;
    out[1] = (uint32_t)b;
}

/* The tile grid: about 64 edges per tile over the polylines' box. */
static void tile_grid(const cc_graph *g, fhdr *h)
{
    double *b = h->bbox;
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    size_t nc = g->edge_coord[g->n_edges];
    for (size_t k = 0; k < nc; k++) {
        b[0] = cc__min(b[0], g->cx[k]);
        b[1] = cc__min(b[1], g->cy[k]);
        b[2] = cc__max(b[2], g->cx[k]);
        b[3] = cc__max(b[3], g->cy[k]);
    }
    if (nc == 0) b[0] = b[1] = b[2] = b[3] = 0;
    double w = b[2] - b[0], ht = b[3] - b[1], nt = (double)(g->n_edges / 64 + 1);
    double cell = sqrt(w * ht / nt);
    if (!(cell > 0)) cell = cc__max(cc__max(w, ht) / nt, 1.0);
    while ((w / cell + 1) * (ht / cell + 1) > 4 * nt + 16)
        cell *= 1.5;
    h->tx0 = b[0];
    h->ty0 = b[1];
    h->tcell = cell;
    h->tnx = (uint32_t)(w / cell) + 1;
    h->tny = (uint32_t)(ht / cell) + 1;
}

/* tile_off and tile_edge of g (caller frees both). */
static cc_status tile_index(cc_ctx *ctx, const cc_graph *g, fhdr *h, uint64_t **off_out,
                            uint32_t **edge_out)
{
    size_t nt = (size_t)h->tnx * h->tny;
    uint64_t *off = cc_calloc(ctx, nt + 2, sizeof *off);
    uint32_t *te = NULL;
    if (!off) return CC_ERR_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t e = 0; e < g->n_edges; e++) {
            double b[4];
            uint32_t si[2], sj[2];
            cc__edge_box(g, e, b);
            tile_span(b[0], b[2], h->tx0, h->tcell, h->tnx, si);
            tile_span(b[1], b[3], h->ty0, h->tcell, h->tny, sj);
            for (uint32_t j = sj[0]; j <= sj[1]; j++)
                for (uint32_t i = si[0]; i <= si[1]; i++) {
                    size_t t = (size_t)j * h->tnx + i;
                    if (pass)
                        te[off[t + 1]++] = e;
                    else
                        off[t + 2]++;
                }
        }
        if (pass) break;
        for (size_t t = 2; t < nt + 2; t++)
            off[t] += off[t - 1];
        h->n_tile_ent = off[nt + 1];
        if (!(te = cc_malloc_array(ctx, h->n_tile_ent ? h->n_tile_ent : 1, sizeof *te))) {
            cc_free(off);
            return CC_ERR_NOMEM;
        }
    }
    *off_out = off;
    *edge_out = te;
    return CC_OK;
}

typedef struct wr {
    FILE *fp;
    uint64_t at, sum;
    int ok;
} wr;

/* Write section s of n bytes at its offset (zero padding before it); summed when asked. */
static void put(wr *w, const uint64_t *sec, int s, const void *p, uint64_t n, int summed)
{
    static const unsigned char zero[8];
    while (w->ok && w->at < sec[s]) {
        w->ok = fwrite(zero, 1, 1, w->fp) == 1;
        w->at++;
    }
    if (w->ok && n) w->ok = fwrite(p, 1, (size_t)n, w->fp) == (size_t)n;
    w->at += n;
    if (summed) w->sum = sum_add(w->sum, p, n);
}

static void put_arrays(wr *w, const cc_graph *g, const uint64_t *sec)
{
    uint64_t nn = g->n_nodes, ne = g->n_edges, nc = g->edge_coord[g->n_edges];
    put(w, sec, S_NX, g->node_x, nn * 8, 0);
    put(w, sec, S_NY, g->node_y, nn * 8, 0);
    put(w, sec, S_NCOMP, g->node_comp, nn * 4, 0);
    put(w, sec, S_CSIZE, g->comp_size, (uint64_t)g->n_comp * 4, 0);
    put(w, sec, S_CNODE, g->comp_node, (uint64_t)g->n_comp * 4, 0);
    put(w, sec, S_EFROM, g->edge_from, ne * 4, 0);
    put(w, sec, S_ETO, g->edge_to, ne * 4, 0);
    put(w, sec, S_ETF, g->edge_tf, ne * 4, 0);
    put(w, sec, S_ETB, g->edge_tb, ne * 4, 0);
    put(w, sec, S_ELEN, g->edge_len, ne * 8, 0);
    put(w, sec, S_ELINE, g->edge_line, ne * 8, 0);
    put(w, sec, S_EHW, g->edge_hw, ne * 4, 0);
    put(w, sec, S_ENOSNAP, g->edge_nosnap, ne, 0);
    uint64_t buf[512];
    for (uint64_t e = 0; e <= ne; e += 512) {
        uint64_t k = ne + 1 - e < 512 ? ne + 1 - e : 512;
        for (uint64_t i = 0; i < k; i++)
            buf[i] = g->edge_coord[e + i];
        put(w, sec, S_ECOORD, buf, k * 8, 0);
    }
    put(w, sec, S_CX, g->cx, nc * 8, 0);
    put(w, sec, S_CY, g->cy, nc * 8, 0);
    put(w, sec, S_CCUM, g->ccum, nc * 8, 0);
    size_t ncell = (size_t)g->gnx * g->gny;
    static const uint64_t none = 0;
    if (ncell)
        put(w, sec, S_GOFF, g->grid_off, (ncell + 1) * 8, 0);
    else
        put(w, sec, S_GOFF, &none, 8, 0);
    put(w, sec, S_GSEG, g->grid_seg, (ncell ? g->grid_off[ncell] : 0) * 4, 0);
    put(w, sec, S_SEGE, g->seg_edge, (ncell ? nc : 0) * 4, 0);
}

static cc_status save_to(cc_ctx *ctx, const cc_graph *g, FILE *fp, const char *path)
{
    fhdr h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    h.version = 1;
    h.endian = ENDIAN_MARK;
    h.n_nodes = g->n_nodes;
    h.n_edges = g->n_edges;
    h.n_coords = g->edge_coord[g->n_edges];
    h.n_comp = g->n_comp;
    h.n_hw = g->n_hw;
    for (uint32_t i = 0; i < g->n_hw; i++)
        h.hw_bytes += strlen(g->hw_names[i]) + 1;
    h.max_arc_ds = g->max_arc_ds;
    h.snap_all = (uint32_t)g->snap_all;
    h.gx0 = g->gx0;
    h.gy0 = g->gy0;
    h.gcell = g->gcell;
    h.gnx = g->gnx;
    h.gny = g->gny;
    h.n_gseg = g->gnx ? g->grid_off[(size_t)g->gnx * g->gny] : 0;
    tile_grid(g, &h);
    uint64_t *toff = NULL, sec[S_END + 1];
    uint32_t *tedge = NULL;
    cc_status st = tile_index(ctx, g, &h, &toff, &tedge);
    if (st) return st;
    if (!layout(&h, sec)) {
        cc_free(toff);
        cc_free(tedge);
        return cc_error(ctx, CC_ERR_DATA, "%s: the graph is too large for a prepared file", path);
    }
    h.file_size = sec[S_END];
    wr w = {fp, 0, 0xcbf29ce484222325ull, 1};
    w.ok = fwrite(&h, sizeof h, 1, fp) == 1;
    w.at = sizeof h;
    w.sum = sum_add(w.sum, (const unsigned char *)&h, sizeof h);
    put(&w, sec, S_TOFF, toff, ((uint64_t)h.tnx * h.tny + 1) * 8, 1);
    put(&w, sec, S_TEDGE, tedge, h.n_tile_ent * 4, 1);
    cc_free(toff);
    cc_free(tedge);
    put_arrays(&w, g, sec);
    char *blob = cc_malloc(ctx, h.hw_bytes ? h.hw_bytes : 1);
    if (!blob) return CC_ERR_NOMEM;
    for (uint32_t i = 0, at = 0; i < g->n_hw; i++) {
        size_t k = strlen(g->hw_names[i]) + 1;
        memcpy(blob + at, g->hw_names[i], k);
        at += (uint32_t)k;
    }
    put(&w, sec, S_HW, blob, h.hw_bytes, 1); /* summed as one piece, as the reader does */
    cc_free(blob);
    uint64_t sum = w.sum;
    put(&w, sec, S_SUM, &sum, 8, 0);
    if (!w.ok || w.at != sec[S_END])
        return cc_error(ctx, CC_ERR_IO, "%s: cannot write the prepared graph (disk full?)", path);
    return CC_OK;
}

cc_status cc_graph_save(cc_ctx *ctx, const cc_graph *g, const char *path)
{
    const uint32_t probe = ENDIAN_MARK;
    if (*(const unsigned char *)&probe != 4 || sizeof(size_t) != 8)
        return cc_error(ctx, CC_ERR_INVALID,
                        "%s: prepared graph files need a 64-bit little-endian machine", path);
    if (!g->has_xy || g->node_global)
        return cc_error(ctx, CC_ERR_INVALID,
                        "%s: only a whole graph with coordinates can be prepared", path);
    FILE *fp = fopen(path, "wb");
    if (!fp) return cc_error(ctx, CC_ERR_IO, "%s: cannot create the prepared graph file", path);
    cc_status st = save_to(ctx, g, fp, path);
    if (fclose(fp) != 0 && !st)
        st = cc_error(ctx, CC_ERR_IO, "%s: cannot write the prepared graph (disk full?)", path);
    if (st) remove(path);
    return st;
}

/* ---- Reading ---- */

static cc_status damaged(cc_ctx *ctx, const char *path, const char *why)
{
    return cc_error(ctx, CC_ERR_DATA,
                    "%s: prepared graph file is damaged or not one (%s); run carecircle prepare "
                    "again",
                    path, why);
}

#define AT(f, s, type) ((type *)(uintptr_t)((f)->map + (f)->sec[s]))

/* The header: magic, version, byte order, counts against the file's size, tile grid. */
static const char *check_header(cc_graph_file *f)
{
    const fhdr *h = &f->h;
    if (memcmp(h->magic, MAGIC, 8) != 0) return "magic";
    if (h->version != 1) return "version";
    if (h->endian != ENDIAN_MARK) return "byte order";
    if (!layout(h, f->sec) || h->file_size != f->sec[S_END] || f->size != f->sec[S_END])
        return "size";
    if (h->n_nodes >= CC_NONE || h->n_edges >= CC_NONE || h->n_comp > h->n_nodes ||
        h->n_hw >= CC_NONE || h->max_arc_ds < 1 || h->snap_all > 1 || !h->tnx || !h->tny ||
        !h->gnx != !h->gny || (!h->gnx && h->n_gseg) || h->n_gseg >= CC_NONE)
        return "counts";
    if (!isfinite(h->tx0) || !isfinite(h->ty0) || !(h->tcell > 0) || !isfinite(h->tcell))
        return "tile grid";
    for (int k = 0; k < 4; k++)
        if (!isfinite(h->bbox[k])) return "bbox";
    uint64_t sum = 0xcbf29ce484222325ull;
    sum = sum_add(sum, f->map, sizeof(fhdr));
    sum = sum_add(sum, f->map + f->sec[S_TOFF], ((uint64_t)h->tnx * h->tny + 1) * 8);
    sum = sum_add(sum, f->map + f->sec[S_TEDGE], h->n_tile_ent * 4);
    sum = sum_add(sum, f->map + f->sec[S_HW], h->hw_bytes);
    uint64_t want;
    memcpy(&want, f->map + f->sec[S_SUM], 8);
    if (sum != want) return "checksum";
    return "";
}

/* The tile offsets and the class names, into f->view. */
static const char *check_index(cc_ctx *ctx, cc_graph_file *f, cc_status *st)
{
    const fhdr *h = &f->h;
    const uint64_t *off = AT(f, S_TOFF, const uint64_t);
    uint64_t nt = (uint64_t)h->tnx * h->tny;
    if (off[0] != 0 || off[nt] != h->n_tile_ent) return "tile index";
    for (uint64_t t = 0; t < nt; t++)
        if (off[t + 1] < off[t]) return "tile index";
    cc_graph *v = &f->view;
    v->hw_names = cc_calloc(ctx, h->n_hw ? h->n_hw : 1, sizeof *v->hw_names);
    if (!v->hw_names) return *st = CC_ERR_NOMEM, "memory";
    const char *p = AT(f, S_HW, const char), *end = p + h->hw_bytes;
    for (uint64_t i = 0; i < h->n_hw; i++) {
        const char *z = memchr(p, 0, (size_t)(end - p));
        if (!z) return "class names";
        v->hw_names[i] = (char *)(uintptr_t)p;
        p = z + 1;
    }
    if (p != end) return "class names";
    return "";
}

static void set_view(cc_graph_file *f)
{
    cc_graph *v = &f->view;
    v->n_nodes = (uint32_t)f->h.n_nodes;
    v->n_edges = (uint32_t)f->h.n_edges;
    v->n_hw = (uint32_t)f->h.n_hw;
    v->n_comp = (uint32_t)f->h.n_comp;
    v->has_xy = 1;
    v->max_arc_ds = f->h.max_arc_ds;
    v->snap_all = (int)f->h.snap_all;
    v->node_x = AT(f, S_NX, double);
    v->node_y = AT(f, S_NY, double);
    v->node_comp = AT(f, S_NCOMP, uint32_t);
    v->comp_size = AT(f, S_CSIZE, uint32_t);
    v->comp_node = AT(f, S_CNODE, uint32_t);
    v->edge_from = AT(f, S_EFROM, uint32_t);
    v->edge_to = AT(f, S_ETO, uint32_t);
    v->edge_tf = AT(f, S_ETF, uint32_t);
    v->edge_tb = AT(f, S_ETB, uint32_t);
    v->edge_len = AT(f, S_ELEN, double);
    v->edge_line = AT(f, S_ELINE, int64_t);
    v->edge_hw = AT(f, S_EHW, uint32_t);
    v->edge_nosnap = AT(f, S_ENOSNAP, uint8_t);
    v->edge_coord = AT(f, S_ECOORD, size_t);
    v->cx = AT(f, S_CX, double);
    v->cy = AT(f, S_CY, double);
    v->ccum = AT(f, S_CCUM, double);
    v->gx0 = f->h.gx0;
    v->gy0 = f->h.gy0;
    v->gcell = f->h.gcell;
    v->gnx = f->h.gnx;
    v->gny = f->h.gny;
    v->grid_off = AT(f, S_GOFF, size_t);
    v->grid_seg = AT(f, S_GSEG, uint32_t);
    v->seg_edge = AT(f, S_SEGE, uint32_t);
}

cc_status cc_graph_file_open(cc_ctx *ctx, const char *path, cc_graph_file **out)
{
    *out = NULL;
    const uint32_t probe = ENDIAN_MARK;
    if (*(const unsigned char *)&probe != 4 || sizeof(size_t) != 8)
        return cc_error(ctx, CC_ERR_INVALID,
                        "%s: prepared graph files need a 64-bit little-endian machine", path);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return cc_error(ctx, CC_ERR_IO, "%s: cannot open the prepared graph file", path);
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (uint64_t)sb.st_size < sizeof(fhdr) + 16) {
        close(fd);
        return damaged(ctx, path, "size");
    }
    cc_graph_file *f = cc_calloc(ctx, 1, sizeof *f);
    if (!f || !(f->path = cc_strdup(ctx, path))) {
        close(fd);
        cc_free(f);
        return CC_ERR_NOMEM;
    }
    f->size = (size_t)sb.st_size;
    void *m = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        cc_graph_file_close(f);
        return cc_error(ctx, CC_ERR_IO, "%s: cannot map the prepared graph file", path);
    }
    f->map = m;
    memcpy(&f->h, f->map, sizeof f->h);
    cc_status st = CC_OK;
    const char *why = check_header(f);
    if (!*why) why = check_index(ctx, f, &st);
    if (st || *why) {
        cc_graph_file_close(f);
        return st ? st : damaged(ctx, path, why);
    }
    set_view(f);
    *out = f;
    return CC_OK;
}

void cc_graph_file_close(cc_graph_file *f)
{
    if (!f) return;
    if (f->map) munmap((void *)(uintptr_t)f->map, f->size);
    cc_free(f->view.hw_names);
    cc_free(f->path);
    cc_free(f);
}

/* The edges of the tiles meeting r, ascending and each once (*ne of them in *out). */
static cc_status tile_edges(cc_ctx *ctx, const cc_graph_file *f, const double r[4],
                            uint32_t **out, size_t *ne)
{
    const fhdr *h = &f->h;
    const uint64_t *off = AT(f, S_TOFF, const uint64_t);
    const uint32_t *te = AT(f, S_TEDGE, const uint32_t);
    uint32_t si[2] = {1, 0}, sj[2] = {1, 0};
    if (r[0] <= h->bbox[2] && r[2] >= h->bbox[0] && r[1] <= h->bbox[3] && r[3] >= h->bbox[1]) {
        tile_span(r[0], r[2], h->tx0, h->tcell, h->tnx, si);
        tile_span(r[1], r[3], h->ty0, h->tcell, h->tny, sj);
    }
    size_t n = 0;
    for (uint32_t j = sj[0]; j <= sj[1]; j++)
        for (uint32_t i = si[0]; i <= si[1]; i++) {
            size_t t = (size_t)j * h->tnx + i;
            n += off[t + 1] - off[t];
        }
    uint32_t *a = cc_malloc_array(ctx, n ? n : 1, sizeof *a);
    uint32_t *tmp = cc_malloc_array(ctx, n ? n : 1, sizeof *tmp);
    size_t *cnt = cc_malloc_array(ctx, 65537, sizeof *cnt);
    cc_status st = a && tmp && cnt ? CC_OK : CC_ERR_NOMEM;
    size_t k = 0;
    for (uint32_t j = sj[0]; !st && j <= sj[1]; j++)
        for (uint32_t i = si[0]; i <= si[1]; i++) {
            size_t t = (size_t)j * h->tnx + i;
            for (uint64_t q = off[t]; q < off[t + 1]; q++)
                a[k++] = te[q];
        }
    if (!st) *ne = cc__sort_unique(a, tmp, cnt, k);
    cc_free(tmp);
    cc_free(cnt);
    if (st) cc_free(a);
    *out = st ? NULL : a;
    return st;
}

/* 1 when the mapped snapping grid can be copied for a whole read (every edge already
 * checked by edge_ok): offsets, segments within their edge, each vertex's edge. */
static int grid_ok(const cc_graph *v, const fhdr *h)
{
    if (!h->gnx) return 1;
    if (!isfinite(h->gx0) || !isfinite(h->gy0) || !(h->gcell > 0) || !isfinite(h->gcell))
        return 0;
    size_t ncell = (size_t)h->gnx * h->gny;
    if (v->grid_off[0] != 0 || v->grid_off[ncell] != h->n_gseg) return 0;
    for (size_t c = 0; c < ncell; c++)
        if (v->grid_off[c + 1] < v->grid_off[c]) return 0;
    for (uint32_t e = 0; e < v->n_edges; e++)
        for (size_t k = v->edge_coord[e]; k < v->edge_coord[e + 1]; k++)
            if (v->seg_edge[k] != e) return 0;
    for (uint64_t q = 0; q < h->n_gseg; q++) {
        uint32_t s = v->grid_seg[q];
        if (s >= h->n_coords || v->seg_edge[s] >= v->n_edges) return 0;
        uint32_t e = v->seg_edge[s];
        if (s < v->edge_coord[e] || s + 1 >= v->edge_coord[e + 1]) return 0;
    }
    return 1;
}

static int finite_at(const double *a, size_t i)
{
    return isfinite(a[i]);
}

/* 1 when edge e's own values can be used: ids, times, class, polyline range, coordinates. */
static int edge_ok(const cc_graph *v, const fhdr *h, uint32_t e)
{
    if (e >= v->n_edges) return 0;
    size_t a = v->edge_coord[e], b = v->edge_coord[e + 1];
    if (a > b || b > h->n_coords) return 0;
    for (size_t k = a; k < b; k++)
        if (!finite_at(v->cx, k) || !finite_at(v->cy, k) || !finite_at(v->ccum, k)) return 0;
    uint32_t n[2] = {v->edge_from[e], v->edge_to[e]}, t[2] = {v->edge_tf[e], v->edge_tb[e]};
    for (int i = 0; i < 2; i++) {
        if (n[i] >= v->n_nodes || v->node_comp[n[i]] >= v->n_comp) return 0;
        if (!finite_at(v->node_x, n[i]) || !finite_at(v->node_y, n[i])) return 0;
        if (t[i] == 0 || (t[i] != CC_NONE && t[i] > h->max_arc_ds)) return 0;
    }
    return (v->edge_hw[e] == CC_NONE || v->edge_hw[e] < v->n_hw) && isfinite(v->edge_len[e]);
}

cc_status cc_graph_file_window(cc_ctx *ctx, cc_graph_file *f, double xmin, double ymin,
                               double xmax, double ymax, cc_graph **out)
{
    *out = NULL;
    if (cc__window_rect(ctx, xmin, ymin, xmax, ymax)) return CC_ERR_INVALID;
    const double r[4] = {xmin, ymin, xmax, ymax};
    uint32_t *edges = NULL;
    size_t n = 0, ne = 0;
    cc_status st = tile_edges(ctx, f, r, &edges, &n);
    for (size_t i = 0; !st && i < n; i++) {
        if (!edge_ok(&f->view, &f->h, edges[i])) st = damaged(ctx, f->path, "edge data");
        else if (cc__edge_meets(&f->view, edges[i], r)) edges[ne++] = edges[i];
    }
    if (!st && ne == f->view.n_edges && !grid_ok(&f->view, &f->h))
        st = damaged(ctx, f->path, "snap grid");
    if (!st) st = cc__graph_subset(ctx, &f->view, ne, edges, out);
    cc_free(edges);
    return st;
}
