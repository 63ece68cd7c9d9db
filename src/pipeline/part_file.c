/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Part files (OUT/parts/<k>.ccpart): what one part computed, for the merge.
 *
 * Layout, little-endian: "CCPT0001", a 32-byte key (SHA-256 of the routing cache key, the
 * partition spec, the part's index and count, and the part's owned points and facilities),
 * then k, n_parts, n_vars, n_types (uint64); per variant n (uint64), the owned points (uint32)
 * and their snaps; per type n (uint64), the owned facilities (uint32), their snaps, the row
 * offsets (uint64 [n + 1]), the rows' points and times (uint32); the routing seconds (float64);
 * last the SHA-256 of everything before it. A snap is edge, component (uint32), offset,
 * distance, x, y (float64).
 *
 * Anyone who can write the output folder can write these files, so a read trusts nothing: the
 * checksum first, then every count and index against this run's plan and graphs.
 */
#include "core/internal.h"
#include "partition.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char MAGIC[8] = {'C', 'C', 'P', 'T', '0', '0', '0', '1'};

/* ---- writing: little-endian through one buffer that also feeds the checksum ---- */

typedef struct wr {
    FILE *fp;
    cc_sha256 *md;
    int ok;
    size_t n; /* bytes waiting in buf: written and summed 64 KiB at a time, not per number */
    unsigned char buf[1 << 16];
} wr;

static void flush(wr *w)
{
    if (w->ok && w->n)
        w->ok = fwrite(w->buf, 1, w->n, w->fp) == w->n && cc_sha256_update(w->md, w->buf, w->n);
    w->n = 0;
}

static void put(wr *w, const void *p, size_t n)
{
    if (w->n + n > sizeof w->buf) flush(w);
    memcpy(w->buf + w->n, p, n); /* n <= 32: every put is one number, the magic or the key */
    w->n += n;
}

static void put_u64(wr *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(w, b, 8);
}

static void put_u32(wr *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(w, b, 4);
}

static void put_f64(wr *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    put_u64(w, v);
}

static void put_snaps(wr *w, const cc_snap *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put_u32(w, s[i].edge);
        put_u32(w, s[i].component);
        put_f64(w, s[i].offset_m);
        put_f64(w, s[i].dist_m);
        put_f64(w, s[i].x);
        put_f64(w, s[i].y);
    }
}

static void put_body(wr *w, const cc__plan *p, const cc__part *pt, const unsigned char key[32])
{
    put(w, MAGIC, 8);
    put(w, key, 32);
    put_u64(w, pt->k);
    put_u64(w, p->n);
    put_u64(w, pt->n_vars);
    put_u64(w, pt->n_types);
    for (size_t v = 0; v < pt->n_vars; v++) {
        const cc__part_var *q = &pt->var[v];
        put_u64(w, q->n_pts);
        for (size_t i = 0; i < q->n_pts; i++)
            put_u32(w, q->pt[i]);
        put_snaps(w, q->snap, q->n_pts);
    }
    for (size_t t = 0; t < pt->n_types; t++) {
        const cc__part_type *q = &pt->type[t];
        put_u64(w, q->n_fac);
        for (size_t j = 0; j < q->n_fac; j++)
            put_u32(w, q->fac[j]);
        put_snaps(w, q->fsnap, q->n_fac);
        for (size_t j = 0; j <= q->n_fac; j++)
            put_u64(w, q->off[j]);
        for (uint64_t r = 0; r < q->off[q->n_fac]; r++)
            put_u32(w, q->pt[r]);
        for (uint64_t r = 0; r < q->off[q->n_fac]; r++)
            put_u32(w, q->tds[r]);
    }
    put_f64(w, pt->route_s);
    flush(w);
}

cc_status cc__part_key(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                       unsigned char key[32])
{
    cc_sha256 *md;
    cc_status rc = cc_sha256_begin(ctx, &md);
    if (rc) return rc;
    uint64_t kn[2] = {k, p->n};
    int ok = cc_sha256_update(md, "carecircle part v1", 19) &&
             cc_sha256_update(md, st->cache_key, 32) &&
             cc_sha256_update(md, p->spec, strlen(p->spec) + 1) &&
             cc_sha256_update(md, kn, sizeof kn);
    for (size_t i = 0; ok && i < st->dem.n; i++)
        if ((size_t)p->pt_part[i] == k) ok = cc_sha256_update(md, &i, sizeof i);
    for (size_t t = 0; ok && t < st->n_types; t++) {
        ok = cc_sha256_update(md, &t, sizeof t);
        for (size_t j = 0; ok && j < st->fac[t].n; j++)
            if ((size_t)p->fac_part[t][j] == k) ok = cc_sha256_update(md, &j, sizeof j);
    }
    if (!ok) {
        cc_sha256_free(md);
        return cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 failed");
    }
    return cc_sha256_final(md, key) ? CC_OK : cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 failed");
}

cc_status cc__part_write(cc_ctx *ctx, const cc_study *st, const cc__plan *p, const char *dir,
                         const cc__part *pt)
{
    unsigned char key[32], sum[32];
    char *pdir = cc_asprintf(ctx, "%s/parts", dir);
    char *path = pdir ? cc_asprintf(ctx, "%s/%zu.ccpart", pdir, pt->k + 1) : NULL;
    char *tmp = path ? cc_asprintf(ctx, "%s/.%zu.ccpart.%ld.tmp", pdir, pt->k + 1,
                                   (long)getpid())
                     : NULL;
    wr *w = tmp ? cc_calloc(ctx, 1, sizeof *w) : NULL;
    cc_status rc = w ? cc_mkdir_p(ctx, pdir) : CC_ERR_NOMEM;
    if (!rc) rc = cc__part_key(ctx, st, p, pt->k, key);
    if (!rc) rc = cc_sha256_begin(ctx, &w->md);
    if (!rc && !(w->fp = fopen(tmp, "wb")))
        rc = cc_error(ctx, CC_ERR_IO, "%s: cannot create; check the permissions of --out", tmp);
    if (!rc) {
        w->ok = 1;
        put_body(w, p, pt, key);
        int ok = w->ok && cc_sha256_final(w->md, sum);
        w->md = NULL;
        ok = ok && fwrite(sum, 1, 32, w->fp) == 32;
        ok = fclose(w->fp) == 0 && ok;
        w->fp = NULL;
        if (!ok)
            rc = cc_error(ctx, CC_ERR_IO, "%s: write failed (disk full?); free disk space", tmp);
        else if (rename(tmp, path) != 0)
            rc = cc_error(ctx, CC_ERR_IO, "%s: cannot replace it (%s); remove it", path,
                          strerror(errno));
    }
    if (w && w->md) cc_sha256_free(w->md);
    if (w && w->fp) fclose(w->fp);
    if (rc && tmp) unlink(tmp);
    cc_free(w);
    cc_free(tmp);
    cc_free(path);
    cc_free(pdir);
    return rc;
}
