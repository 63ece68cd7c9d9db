/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The routing cache (routing.cache in the output folder): the nearest-facility times and the
 * incidence lists of a run, keyed by a SHA-256 of everything they depend on (network file and
 * travel settings, working CRS, demand and facility coordinates, routing limit). A later run
 * into the same folder that changes only thresholds at or below the routed limit, targets,
 * capacities, population counts or scale factors reads them back instead of routing again.
 *
 * Layout (little-endian host order, checked by the key): "CCRC0002", 32-byte key, then per
 * facility type: n_pts, n_fac, n_rows (uint64), time_ds[n_pts], fac[n_pts], fac_off[n_fac+1]
 * (uint64), pt[n_rows], time[n_rows]; last the SHA-256 of everything before it.
 *
 * The file lies in a folder others may write to, so a read trusts nothing: a wrong checksum
 * (flipped bytes), a short or long file, a count or index out of range (a hand-made file with a
 * correct checksum) make the run warn in one line and route again, never read out of bounds.
 */
#include "core/internal.h"
#include "stages.h"

#include <stdint.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = {'C', 'C', 'R', 'C', '0', '0', '0', '2'};

static void upd_str(cc_sha256 *md, const char *s)
{
    if (!s) s = "";
    cc_sha256_update(md, s, strlen(s) + 1);
}

/* The digest when every step went well (ok), else 0; the hash is freed either way. */
static int sha_end(cc_sha256 *md, int ok, unsigned char digest[32])
{
    if (ok) return cc_sha256_final(md, digest);
    cc_sha256_free(md);
    return 0;
}

/* What the graphs and the demand points' snaps depend on: the network's files and reading
   settings, the travel profile's class rules, snapping, the working CRS. */
static void hash_network(cc_sha256 *md, const cc_study *st)
{
    const cc_scenario *sc = st->sc;
    for (size_t i = 0; i < st->inputs.len; i++) {
        const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        if (strcmp(r->role, "network") == 0) upd_str(md, r->sha256);
    }
    const cc_network_spec *ns = &sc->network;
    upd_str(md, ns->src.layer);
    upd_str(md, ns->src.where);
    upd_str(md, ns->src.crs);
    upd_str(md, ns->class_field);
    upd_str(md, ns->oneway_field);
    cc_sha256_update(md, &ns->snap_tolerance_m, sizeof ns->snap_tolerance_m);
    cc_sha256_update(md, &ns->demand_max_snap_m, sizeof ns->demand_max_snap_m);
    const cc_profile_spec *ps = &ns->profile;
    cc_sha256_update(md, &ps->present, sizeof ps->present);
    cc_sha256_update(md, &ps->forbid_unlisted, sizeof ps->forbid_unlisted);
    cc_sha256_update(md, &ps->oneway, sizeof ps->oneway);
    for (size_t i = 0; ps->present && i < ps->n_classes; i++) {
        upd_str(md, ps->classes[i].name);
        cc_sha256_update(md, &ps->classes[i].allow, sizeof ps->classes[i].allow);
        cc_sha256_update(md, &ps->classes[i].speed_kmh, sizeof ps->classes[i].speed_kmh);
        cc_sha256_update(md, &ps->classes[i].factor, sizeof ps->classes[i].factor);
    }
    upd_str(md, st->crs_def);
}

static void hash_demand(cc_sha256 *md, const cc_study *st)
{
    cc_sha256_update(md, &st->dem.n, sizeof st->dem.n);
    cc_sha256_update(md, st->dem.x, st->dem.n * sizeof *st->dem.x);
    cc_sha256_update(md, st->dem.y, st->dem.n * sizeof *st->dem.y);
}

cc_status cc__cache_key(cc_ctx *ctx, const cc_study *st, uint32_t limit_ds, unsigned char key[32])
{
    cc_sha256 *md;
    cc_status rc = cc_sha256_begin(ctx, &md);
    if (rc) return rc;
    upd_str(md, "carecircle routing cache v1 " CC_VERSION_STRING);
    hash_network(md, st);
    cc_sha256_update(md, &limit_ds, sizeof limit_ds);
    hash_demand(md, st);
    for (size_t t = 0; t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        const cc_net_variant *v = &st->vars[f->variant];
        upd_str(md, v->mode);
        cc_sha256_update(md, &v->custom, sizeof v->custom);
        cc_sha256_update(md, &v->speed_kmh, sizeof v->speed_kmh);
        cc_sha256_update(md, &f->n, sizeof f->n);
        cc_sha256_update(md, f->x, f->n * sizeof *f->x);
        cc_sha256_update(md, f->y, f->n * sizeof *f->y);
    }
    if (!cc_sha256_final(md, key)) return cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 failed");
    return CC_OK;
}

/* A key over the network (and the demand points' coordinates when with_demand). */
static cc_status key_of(cc_ctx *ctx, const cc_study *st, const char *what, int with_demand,
                        unsigned char key[32])
{
    cc_sha256 *md;
    cc_status rc = cc_sha256_begin(ctx, &md);
    if (rc) return rc;
    upd_str(md, what);
    hash_network(md, st);
    if (with_demand) hash_demand(md, st);
    if (!cc_sha256_final(md, key)) return cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 failed");
    return CC_OK;
}

/* The network part of the key (prepared.json): the graphs depend on nothing else. */
cc_status cc__network_key(cc_ctx *ctx, const cc_study *st, unsigned char key[32])
{
    return key_of(ctx, st, "carecircle network v1 " CC_VERSION_STRING, 0, key);
}

/* What a variant's borrowed graphs and demand snaps depend on (variant_reuse.c). */
cc_status cc__net_key(cc_ctx *ctx, const cc_study *st, unsigned char key[32])
{
    return key_of(ctx, st, "network and demand snaps", 1, key);
}

/* Reading trusts nothing read (not even as a size to allocate) before it is checked against
   the file's size and this run; r->left is what is left of the file before its checksum. */
typedef struct rd {
    FILE *fp;
    uint64_t left;
} rd;

static int rd_get(rd *r, void *p, size_t elem, size_t n)
{
    size_t bytes;
    if (!cc__mul_ok(elem, n, &bytes) || bytes > r->left) return 0;
    if (n && fread(p, elem, n, r->fp) != n) return 0;
    r->left -= bytes;
    return 1;
}

/* 1 when the last 32 bytes of the file are the SHA-256 of the size - 32 before them. */
static int sum_ok(FILE *fp, uint64_t size, cc_status *rc, cc_ctx *ctx)
{
    cc_sha256 *md;
    if ((*rc = cc_sha256_begin(ctx, &md)) != CC_OK) return 0;
    unsigned char buf[1 << 16], want[32], sum[32];
    uint64_t left = size - 32;
    int ok = 1;
    while (ok && left) {
        size_t k = left < sizeof buf ? (size_t)left : sizeof buf;
        ok = fread(buf, 1, k, fp) == k && cc_sha256_update(md, buf, k);
        left -= k;
    }
    ok = sha_end(md, ok && fread(want, 1, 32, fp) == 32, sum);
    return ok && memcmp(sum, want, 32) == 0;
}

/* Why the cache was refused, for the warning ("" when it is fine). */
static const char *check_type(const cc_fac_set *f, const cc_incidence *inc, size_t n_pts,
                              const uint32_t *tds, uint32_t limit_ds)
{
    /* Offsets start at 0, never go down and end at the row count. */
    if (inc->fac_off[0] != 0 || inc->fac_off[f->n] != inc->n) return "facility offsets";
    for (size_t j = 0; j < f->n; j++) {
        if (inc->fac_off[j + 1] < inc->fac_off[j]) return "facility offsets";
        /* Within a facility: points in range and ascending, times within the routed limit. */
        for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++) {
            if (inc->pt[k] >= n_pts || (k > inc->fac_off[j] && inc->pt[k] <= inc->pt[k - 1]))
                return "demand point index";
            if (inc->time_ds[k] > limit_ds) return "travel time";
        }
    }
    for (size_t i = 0; i < n_pts; i++) {
        int32_t nf = f->net_fac[i];
        if (nf < -1 || (nf >= 0 && (size_t)nf >= f->n)) return "facility index";
        if ((nf < 0) != (tds[i] == CC_NONE) || (tds[i] != CC_NONE && tds[i] > limit_ds))
            return "nearest time";
    }
    return "";
}

/* Read one type's block; returns "" or why it is refused. On "", f->inc is set. */
static const char *read_type(cc_ctx *ctx, rd *r, cc_study *st, cc_fac_set *f, uint32_t *tds,
                             uint32_t limit_ds, cc_status *rc)
{
    uint64_t hdr[3];
    const size_t n_pts = st->dem.n;
    if (!rd_get(r, hdr, sizeof *hdr, 3)) return "truncated";
    if (hdr[0] != n_pts || hdr[1] != f->n) return "counts";
    /* The rows must fit in what is left of the file (and in memory) before anything is
       allocated for them: a forged count must not make us allocate terabytes. */
    uint64_t fixed = 8 * (uint64_t)n_pts + 8 * ((uint64_t)f->n + 1);
    if (fixed > r->left || hdr[2] > (r->left - fixed) / 8 ||
        (n_pts && hdr[2] > (uint64_t)n_pts * (uint64_t)f->n) || hdr[2] > SIZE_MAX / 8)
        return "row count";
    cc_incidence *inc = cc_calloc(ctx, 1, sizeof *inc);
    uint64_t *off = cc_malloc_array(ctx, f->n + 1, sizeof *off);
    if (inc) {
        inc->n_fac = f->n;
        inc->n = (size_t)hdr[2];
        inc->fac_off = cc_malloc_array(ctx, f->n + 1, sizeof *inc->fac_off);
        inc->pt = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->pt);
        inc->time_ds = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->time_ds);
    }
    const char *why = "";
    if (!inc || !off || !inc->fac_off || !inc->pt || !inc->time_ds) {
        *rc = CC_ERR_NOMEM;
        why = "memory";
    } else if (!rd_get(r, tds, sizeof *tds, n_pts) ||
               !rd_get(r, f->net_fac, sizeof *f->net_fac, n_pts) ||
               !rd_get(r, off, sizeof *off, f->n + 1) ||
               !rd_get(r, inc->pt, sizeof *inc->pt, inc->n) ||
               !rd_get(r, inc->time_ds, sizeof *inc->time_ds, inc->n))
        why = "truncated";
    for (size_t j = 0; !*why && j <= f->n; j++) {
        if (off[j] > inc->n) why = "facility offsets";
        inc->fac_off[j] = (size_t)off[j];
    }
    if (!*why) why = check_type(f, inc, n_pts, tds, limit_ds);
    cc_free(off);
    if (*why)
        cc_incidence_destroy(inc);
    else
        f->inc = inc;
    return why;
}

/* Read the cache into every type's net_min/net_fac/inc; *hit = 0 when absent, stale or
   damaged (a damaged or foreign file gets a one-line warning; the caller routes again). */
cc_status cc__cache_read(cc_ctx *ctx, cc_study *st, const char *path, const unsigned char key[32],
                         uint32_t limit_ds, uint32_t **tds_out, int *hit)
{
    *hit = 0;
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp) return CC_OK;
    struct stat sb;
    rd r = {fp, 0};
    cc_status rc = CC_OK;
    const char *why = "";
    int stale = 0;
    char magic[8];
    unsigned char k[32];
    if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < 8 + 32 + 32) {
        why = "not a carecircle routing cache";
        goto done;
    }
    r.left = (uint64_t)sb.st_size - 32; /* the checksum at the end */
    if (!rd_get(&r, magic, 1, 8) || memcmp(magic, MAGIC, 4) != 0) {
        why = "not a carecircle routing cache";
        goto done;
    }
    if (memcmp(magic, MAGIC, 8) != 0 || !rd_get(&r, k, 1, 32) || memcmp(k, key, 32) != 0) {
        /* Another carecircle version, network, points or settings: stale, not damaged. */
        stale = 1;
        goto done;
    }
    /* First the checksum over the whole file (flipped bytes, a cut or lengthened file), then
       the contents, each count and index against this run (a forged file with a correct sum). */
    if (fseek(fp, 0, SEEK_SET) != 0 || !sum_ok(fp, (uint64_t)sb.st_size, &rc, ctx) ||
        fseek(fp, 40, SEEK_SET) != 0) {
        if (!rc) why = "checksum mismatch";
        goto done;
    }
    for (size_t t = 0; !*why && t < st->n_types; t++)
        why = read_type(ctx, &r, st, &st->fac[t], tds_out[t], limit_ds, &rc);
    if (!rc && !*why && r.left != 0) why = "trailing bytes";
done:
    fclose(fp);
    if (rc || *why || stale) {
        for (size_t t = 0; t < st->n_types; t++) {
            cc_incidence_destroy(st->fac[t].inc);
            st->fac[t].inc = NULL;
        }
    }
    if (rc) return rc;
    /* Anyone who can write to the output folder can write this file: never trust it. */
    if (*why)
        cc_log(ctx, CC_LOG_WARN,
               "routing cache '%s' is damaged or foreign (%s); ignored, routing again", path, why);
    else if (stale)
        cc_log(ctx, CC_LOG_INFO, "routing cache '%s' does not match this run; routing again", path);
    else
        *hit = 1;
    return CC_OK;
}

/* Writing: every byte also goes into the SHA-256 written at the end. */
static int wr_put(FILE *fp, cc_sha256 *md, const void *p, size_t elem, size_t n)
{
    return fwrite(p, elem, n, fp) == n && cc_sha256_update(md, p, elem * n);
}

static cc_status cache_write(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_sha256 *md;
    cc_status rc = cc_sha256_begin(ctx, &md);
    if (rc) return rc;
    int ok = wr_put(fp, md, MAGIC, 1, 8) && wr_put(fp, md, st->cache_key, 1, 32);
    for (size_t t = 0; ok && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        uint64_t hdr[3] = {st->dem.n, f->n, f->inc->n};
        ok = wr_put(fp, md, hdr, sizeof *hdr, 3) &&
             wr_put(fp, md, st->cache_tds[t], sizeof **st->cache_tds, st->dem.n) &&
             wr_put(fp, md, f->net_fac, sizeof *f->net_fac, st->dem.n);
        for (size_t j = 0; ok && j <= f->n; j++) {
            uint64_t o = f->inc->fac_off[j];
            ok = wr_put(fp, md, &o, sizeof o, 1);
        }
        ok = ok && wr_put(fp, md, f->inc->pt, sizeof *f->inc->pt, f->inc->n) &&
             wr_put(fp, md, f->inc->time_ds, sizeof *f->inc->time_ds, f->inc->n);
    }
    unsigned char sum[32];
    ok = sha_end(md, ok, sum) && fwrite(sum, 1, 32, fp) == 32;
    return ok ? CC_OK
              : cc_error(ctx, CC_ERR_IO,
                         "write failed (disk full?); free disk space or choose "
                         "another --out");
}

cc_status cc__cache_write(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    if (!st->cache_tds) return CC_OK;
    return cc__write_one(ctx, st, out, "routing.cache", cache_write);
}
