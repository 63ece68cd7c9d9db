/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a part file (layout in part_file.c). Nothing read is trusted: the whole file's
 * checksum first, then every count against this run's plan (the owned points and facilities
 * must be exactly the plan's), every edge and component against the graphs, every point
 * index, row order and time against the run; never a read out of bounds.
 */
#include "core/internal.h"
#include "partition.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct rd {
    const unsigned char *p;
    size_t left;
    int ok;
} rd;

static uint64_t get_u64(rd *r)
{
    if (!r->ok || r->left < 8) return r->ok = 0, 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | r->p[i];
    r->p += 8, r->left -= 8;
    return v;
}

static uint32_t get_u32(rd *r)
{
    if (!r->ok || r->left < 4) return r->ok = 0, 0;
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4, r->left -= 4;
    return v;
}

static double get_f64(rd *r)
{
    uint64_t v = get_u64(r);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

/* n snaps on graph g: edges in range (or none), components in range. */
static int get_snaps(rd *r, const cc_graph *g, cc_snap *s, size_t n)
{
    size_t ne = cc_graph_edge_count(g), nc = cc_graph_component_count(g);
    for (size_t i = 0; r->ok && i < n; i++) {
        s[i].edge = get_u32(r);
        s[i].component = get_u32(r);
        s[i].offset_m = get_f64(r);
        s[i].dist_m = get_f64(r);
        s[i].x = get_f64(r);
        s[i].y = get_f64(r);
        if (s[i].edge != CC_NONE && (s[i].edge >= ne || s[i].component >= nc)) r->ok = 0;
    }
    return r->ok;
}

/* A count that must equal want and fit what is left at `each` bytes per item. */
static int get_count(rd *r, uint64_t want, size_t each)
{
    uint64_t n = get_u64(r);
    if (n != want || (each && n > r->left / each)) r->ok = 0;
    return r->ok;
}

static const char *read_var(cc_ctx *ctx, rd *r, const cc_study *st, const cc__plan *p, size_t k,
                            size_t v, cc__part_var *q)
{
    if (!get_count(r, p->n_pts[k], 44)) return "point count";
    q->n_pts = p->n_pts[k];
    q->pt = cc_malloc_array(ctx, q->n_pts ? q->n_pts : 1, sizeof *q->pt);
    q->snap = cc_malloc_array(ctx, q->n_pts ? q->n_pts : 1, sizeof *q->snap);
    if (!q->pt || !q->snap) return "memory";
    size_t m = 0;
    for (size_t i = 0; r->ok && i < st->dem.n; i++)
        if ((size_t)p->pt_part[i] == k && get_u32(r) != (q->pt[m++] = (uint32_t)i)) r->ok = 0;
    if (!r->ok) return "owned points";
    return get_snaps(r, st->vars[v].g, q->snap, q->n_pts) ? "" : "point snaps";
}

static const char *read_rows(cc_ctx *ctx, rd *r, const cc_study *st, uint32_t limit_ds,
                             cc__part_type *q)
{
    q->off = cc_malloc_array(ctx, q->n_fac + 1, sizeof *q->off);
    if (!q->off) return "memory";
    for (size_t j = 0; r->ok && j <= q->n_fac; j++) {
        q->off[j] = get_u64(r);
        if (j ? q->off[j] < q->off[j - 1] : q->off[0] != 0) r->ok = 0;
    }
    uint64_t rows = r->ok ? q->off[q->n_fac] : 0;
    if (!r->ok || rows > r->left / 8) return "row offsets";
    q->pt = cc_malloc_array(ctx, rows ? (size_t)rows : 1, sizeof *q->pt);
    q->tds = cc_malloc_array(ctx, rows ? (size_t)rows : 1, sizeof *q->tds);
    if (!q->pt || !q->tds) return "memory";
    for (uint64_t i = 0; i < rows; i++)
        q->pt[i] = get_u32(r);
    for (uint64_t i = 0; i < rows; i++)
        if ((q->tds[i] = get_u32(r)) > limit_ds) r->ok = 0;
    for (size_t j = 0; r->ok && j < q->n_fac; j++)
        for (uint64_t i = q->off[j]; i < q->off[j + 1]; i++)
            if (q->pt[i] >= st->dem.n || (i > q->off[j] && q->pt[i] <= q->pt[i - 1])) r->ok = 0;
    return r->ok ? "" : "rows";
}

static const char *read_type(cc_ctx *ctx, rd *r, const cc_study *st, const cc__plan *p,
                             size_t k, size_t t, uint32_t limit_ds, cc__part_type *q)
{
    const cc_fac_set *f = &st->fac[t];
    size_t n = 0;
    for (size_t j = 0; j < f->n; j++)
        n += (size_t)p->fac_part[t][j] == k;
    if (!get_count(r, n, 44)) return "facility count";
    q->fac = cc_malloc_array(ctx, n ? n : 1, sizeof *q->fac);
    q->fsnap = cc_malloc_array(ctx, n ? n : 1, sizeof *q->fsnap);
    if (!q->fac || !q->fsnap) return "memory";
    for (size_t j = 0; r->ok && j < f->n; j++)
        if ((size_t)p->fac_part[t][j] == k && get_u32(r) != (q->fac[q->n_fac++] = (uint32_t)j))
            r->ok = 0;
    if (!r->ok) return "owned facilities";
    if (!get_snaps(r, st->vars[f->variant].g, q->fsnap, n)) return "facility snaps";
    return read_rows(ctx, r, st, limit_ds, q);
}

/* The body after the checksum was found right. */
static const char *read_body(cc_ctx *ctx, rd *r, const cc_study *st, const cc__plan *p,
                             size_t k, uint32_t limit_ds, cc__part *out)
{
    unsigned char key[32];
    if (r->left < 40 || memcmp(r->p, "CCPT0001", 8) != 0) return "not a carecircle part file";
    if (cc__part_key(ctx, st, p, k, key)) return "memory";
    if (memcmp(r->p + 8, key, 32) != 0) return "made for another run or partition";
    r->p += 40, r->left -= 40;
    if (get_u64(r) != k || get_u64(r) != p->n || get_u64(r) != st->n_vars ||
        get_u64(r) != st->n_types || !r->ok)
        return "counts";
    out->k = k, out->n_vars = st->n_vars, out->n_types = st->n_types;
    out->var = cc_calloc(ctx, st->n_vars ? st->n_vars : 1, sizeof *out->var);
    out->type = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *out->type);
    if (!out->var || !out->type) return "memory";
    const char *why = "";
    for (size_t v = 0; !*why && v < st->n_vars; v++)
        why = read_var(ctx, r, st, p, k, v, &out->var[v]);
    for (size_t t = 0; !*why && t < st->n_types; t++)
        why = read_type(ctx, r, st, p, k, t, limit_ds, &out->type[t]);
    if (!*why) out->route_s = get_f64(r);
    if (!*why && (!r->ok || r->left)) why = r->ok ? "trailing bytes" : "truncated";
    return why;
}

/* The whole file (at most 2^40 bytes) into *buf; NULL *buf when it is absent. */
static cc_status slurp(cc_ctx *ctx, const char *path, unsigned char **buf, size_t *n)
{
    *buf = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) return CC_OK;
    struct stat sb;
    cc_status rc = CC_OK;
    if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size < ((off_t)1 << 40)) {
        *n = (size_t)sb.st_size;
        *buf = cc_malloc(ctx, *n ? *n : 1);
        if (!*buf)
            rc = CC_ERR_NOMEM;
        else if (fread(*buf, 1, *n, fp) != *n)
            *n = 0;
    }
    fclose(fp);
    return rc;
}

static int sum_ok(cc_ctx *ctx, const unsigned char *b, size_t n)
{
    cc_sha256 *md;
    unsigned char sum[32];
    if (n < 32 || cc_sha256_begin(ctx, &md)) return 0;
    int ok = cc_sha256_update(md, b, n - 32);
    if (!ok) cc_sha256_free(md);
    return ok && cc_sha256_final(md, sum) && memcmp(sum, b + n - 32, 32) == 0;
}

cc_status cc__part_read(cc_ctx *ctx, const cc_study *st, const cc__plan *p, const char *dir,
                        size_t k, uint32_t limit_ds, cc__part *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = "missing";
    char *path = cc_asprintf(ctx, "%s/parts/%zu.ccpart", dir, k + 1);
    unsigned char *buf = NULL;
    size_t n = 0;
    cc_status rc = path ? slurp(ctx, path, &buf, &n) : CC_ERR_NOMEM;
    if (!rc && buf) {
        rd r = {buf, n - 32, 1};
        *why = !sum_ok(ctx, buf, n) ? "damaged (checksum)"
                                    : read_body(ctx, &r, st, p, k, limit_ds, out);
        if (strcmp(*why, "memory") == 0) rc = CC_ERR_NOMEM;
    }
    if (rc || **why) cc__part_free(out);
    cc_free(buf);
    cc_free(path);
    return rc;
}
