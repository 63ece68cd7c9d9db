/*
 * The routing cache (routing.cache in the output folder): the nearest-facility times and the
 * incidence lists of a run, keyed by a SHA-256 of everything they depend on (network file and
 * travel settings, working CRS, demand and facility coordinates, routing limit). A later run
 * into the same folder that changes only thresholds at or below the routed limit, targets,
 * capacities, population counts or scale factors reads them back instead of routing again.
 *
 * Layout (little-endian host order, checked by the key): "CCRC0001", 32-byte key, then per
 * facility type: n_pts, n_fac, n_rows (uint64), time_ds[n_pts], fac[n_pts], fac_off[n_fac+1]
 * (uint64), pt[n_rows], time[n_rows].
 */
#include "core/internal.h"
#include "study.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = {'C', 'C', 'R', 'C', '0', '0', '0', '1'};

static void upd_str(EVP_MD_CTX *md, const char *s)
{
    if (!s) s = "";
    EVP_DigestUpdate(md, s, strlen(s) + 1);
}

cc_status cc__cache_key(cc_ctx *ctx, const cc_study *st, uint32_t limit_ds, unsigned char key[32])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        return cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 init failed");
    }
    const cc_scenario *sc = st->sc;
    upd_str(md, "carecircle routing cache v1 " CC_VERSION_STRING);
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
    EVP_DigestUpdate(md, &ns->snap_tolerance_m, sizeof ns->snap_tolerance_m);
    EVP_DigestUpdate(md, &ns->demand_max_snap_m, sizeof ns->demand_max_snap_m);
    const cc_profile_spec *ps = &ns->profile;
    EVP_DigestUpdate(md, &ps->present, sizeof ps->present);
    EVP_DigestUpdate(md, &ps->forbid_unlisted, sizeof ps->forbid_unlisted);
    EVP_DigestUpdate(md, &ps->oneway, sizeof ps->oneway);
    for (size_t i = 0; ps->present && i < ps->n_classes; i++) {
        upd_str(md, ps->classes[i].name);
        EVP_DigestUpdate(md, &ps->classes[i].allow, sizeof ps->classes[i].allow);
        EVP_DigestUpdate(md, &ps->classes[i].speed_kmh, sizeof ps->classes[i].speed_kmh);
        EVP_DigestUpdate(md, &ps->classes[i].factor, sizeof ps->classes[i].factor);
    }
    upd_str(md, st->crs_def);
    EVP_DigestUpdate(md, &limit_ds, sizeof limit_ds);
    EVP_DigestUpdate(md, &st->dem.n, sizeof st->dem.n);
    EVP_DigestUpdate(md, st->dem.x, st->dem.n * sizeof *st->dem.x);
    EVP_DigestUpdate(md, st->dem.y, st->dem.n * sizeof *st->dem.y);
    for (size_t t = 0; t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        const cc_net_variant *v = &st->vars[f->variant];
        upd_str(md, v->mode);
        EVP_DigestUpdate(md, &v->custom, sizeof v->custom);
        EVP_DigestUpdate(md, &v->speed_kmh, sizeof v->speed_kmh);
        EVP_DigestUpdate(md, &f->n, sizeof f->n);
        EVP_DigestUpdate(md, f->x, f->n * sizeof *f->x);
        EVP_DigestUpdate(md, f->y, f->n * sizeof *f->y);
    }
    unsigned n = 0;
    EVP_DigestFinal_ex(md, key, &n);
    EVP_MD_CTX_free(md);
    return CC_OK;
}

/* Read the cache into every type's net_min/net_fac/inc; *hit = 0 when absent or stale. */
cc_status cc__cache_read(cc_ctx *ctx, cc_study *st, const char *path, const unsigned char key[32],
                         uint32_t **tds_out, int *hit)
{
    *hit = 0;
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp) return CC_OK;
    char magic[8];
    unsigned char k[32];
    cc_status rc = CC_OK;
    int ok = fread(magic, 1, 8, fp) == 8 && memcmp(magic, MAGIC, 8) == 0 &&
             fread(k, 1, 32, fp) == 32 && memcmp(k, key, 32) == 0;
    for (size_t t = 0; ok && !rc && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        uint64_t hdr[3];
        ok = fread(hdr, sizeof *hdr, 3, fp) == 3 && hdr[0] == st->dem.n && hdr[1] == f->n;
        if (!ok) break;
        cc_incidence *inc = cc_calloc(ctx, 1, sizeof *inc);
        uint64_t *off = cc_malloc_array(ctx, f->n + 1, sizeof *off);
        if (!inc || !off) {
            cc_free(inc);
            cc_free(off);
            rc = CC_ERR_NOMEM;
            break;
        }
        inc->n_fac = f->n;
        inc->n = (size_t)hdr[2];
        inc->fac_off = cc_malloc_array(ctx, f->n + 1, sizeof *inc->fac_off);
        inc->pt = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->pt);
        inc->time_ds = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->time_ds);
        if (!inc->fac_off || !inc->pt || !inc->time_ds) rc = CC_ERR_NOMEM;
        ok = !rc && fread(tds_out[t], sizeof **tds_out, st->dem.n, fp) == st->dem.n &&
             fread(f->net_fac, sizeof *f->net_fac, st->dem.n, fp) == st->dem.n &&
             fread(off, sizeof *off, f->n + 1, fp) == f->n + 1 &&
             fread(inc->pt, sizeof *inc->pt, inc->n, fp) == inc->n &&
             fread(inc->time_ds, sizeof *inc->time_ds, inc->n, fp) == inc->n;
        for (size_t j = 0; ok && j <= f->n; j++)
            inc->fac_off[j] = (size_t)off[j];
        cc_free(off);
        if (ok && !rc)
            f->inc = inc;
        else
            cc_incidence_destroy(inc);
    }
    if (ok && !rc) ok = fgetc(fp) == EOF;
    fclose(fp);
    if (rc) return rc;
    if (!ok) {
        /* A stale or damaged cache is simply ignored: route again. */
        for (size_t t = 0; t < st->n_types; t++) {
            cc_incidence_destroy(st->fac[t].inc);
            st->fac[t].inc = NULL;
        }
        cc_log(ctx, CC_LOG_INFO, "routing cache '%s' does not match this run; routing again", path);
        return CC_OK;
    }
    *hit = 1;
    return CC_OK;
}

static cc_status cache_write(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    int ok = fwrite(MAGIC, 1, 8, fp) == 8 && fwrite(st->cache_key, 1, 32, fp) == 32;
    for (size_t t = 0; ok && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        uint64_t hdr[3] = {st->dem.n, f->n, f->inc->n};
        ok = fwrite(hdr, sizeof *hdr, 3, fp) == 3 &&
             fwrite(st->cache_tds[t], sizeof **st->cache_tds, st->dem.n, fp) == st->dem.n &&
             fwrite(f->net_fac, sizeof *f->net_fac, st->dem.n, fp) == st->dem.n;
        for (size_t j = 0; ok && j <= f->n; j++) {
            uint64_t o = f->inc->fac_off[j];
            ok = fwrite(&o, sizeof o, 1, fp) == 1;
        }
        ok = ok && fwrite(f->inc->pt, sizeof *f->inc->pt, f->inc->n, fp) == f->inc->n &&
             fwrite(f->inc->time_ds, sizeof *f->inc->time_ds, f->inc->n, fp) == f->inc->n;
    }
    return ok ? CC_OK
              : cc_error(ctx, CC_ERR_IO,
                         "write failed (disk full?); free disk space or choose "
                         "another --out");
}

cc_status cc__cache_write(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    if (!st->cache_tds) return CC_OK;
    return cc__write_one(ctx, st, out, "routing.cache", cache_write);
}
