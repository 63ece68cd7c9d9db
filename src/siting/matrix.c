/*
 * siting: bring your own matrix. Reads a long-format CSV (origin id, destination id, cost)
 * into the candidate incidence the siting modes use, and optionally a dense cost matrix for
 * the exact p-median. Origins are demand points, destinations are candidates (the resident
 * travels to the site, as in route.h).
 */
#include "siting/siting_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Matrices up to this size are read whole. */
#define MATRIX_MAX_BYTES ((size_t)4 << 30)

/* ---- id -> index: open addressing over borrowed strings ---- */
typedef struct idmap {
    const char *const *ids;
    uint32_t *slot; /* index + 1, 0 = empty */
    size_t mask;
} idmap;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static cc_status idmap_build(cc_ctx *ctx, idmap *m, size_t n, const char *const *ids,
                             const char *what)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    m->ids = ids;
    m->mask = cap - 1;
    m->slot = cc_calloc(ctx, cap, sizeof *m->slot);
    if (!m->slot) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!ids[i]) return cc_error(ctx, CC_ERR_INVALID, "siting: %s id %zu is NULL", what, i);
        size_t h = (size_t)fnv1a(ids[i]) & m->mask;
        while (m->slot[h]) {
            if (strcmp(ids[m->slot[h] - 1], ids[i]) == 0)
                return cc_error(ctx, CC_ERR_INVALID,
                                "siting: %s id '%s' is given twice (%u and %zu); ids must be "
                                "unique",
                                what, ids[i], m->slot[h] - 1, i);
            h = (h + 1) & m->mask;
        }
        m->slot[h] = (uint32_t)(i + 1);
    }
    return CC_OK;
}

static long idmap_find(const idmap *m, const char *s)
{
    size_t h = (size_t)fnv1a(s) & m->mask;
    while (m->slot[h]) {
        if (strcmp(m->ids[m->slot[h] - 1], s) == 0) return (long)m->slot[h] - 1;
        h = (h + 1) & m->mask;
    }
    return -1;
}

typedef struct mrow {
    uint32_t cand, pt;
    double cost;
    size_t line;
} mrow;

static int cmp_mrow(const void *a, const void *b)
{
    const mrow *x = a, *y = b;
    if (x->cand != y->cand) return x->cand < y->cand ? -1 : 1;
    if (x->pt != y->pt) return x->pt < y->pt ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static long find_col(const cc__csv *r, size_t nf, const char *name)
{
    for (size_t k = 0; k < nf; k++)
        if (strcmp(cc__csv_field(r, k), name) == 0) return (long)k;
    return -1;
}

/* The message for a header without column `name` (it lists the columns there are). */
static cc_status missing_column(cc_ctx *ctx, const cc__csv *r, size_t nf, const char *name)
{
    cc_status st = CC_OK;
    cc_buf cols = {0};
    for (size_t k = 0; k < nf && !st; k++) {
        if (k) st = cc_buf_puts(ctx, &cols, ", ");
        if (!st) st = cc_buf_puts(ctx, &cols, cc__csv_field(r, k));
    }
    if (!st)
        st = cc_error(ctx, CC_ERR_DATA,
                      "%s:%zu: column '%s' not found (columns: %s); set the matrix "
                      "origin/destination/cost field names",
                      r->path, r->row_line, name, cols.s ? cols.s : "");
    cc_buf_free(&cols);
    return st;
}

/* The message for n_unknown rows with ids that match nothing; the first n_shown named. */
static cc_status unknown_ids(cc_ctx *ctx, const char *path, size_t n_unknown, size_t n_shown,
                             char *const *shown, const int *kind, const size_t *line)
{
    cc_status st = CC_OK;
    cc_buf msg = {0};
    for (size_t u = 0; u < n_shown && !st; u++) {
        char one[200];
        cc_snprintf(one, sizeof one, "%s%s '%.120s' (line %zu)", u ? ", " : "",
                    kind[u] ? "origin" : "destination", shown[u], line[u]);
        st = cc_buf_puts(ctx, &msg, one);
    }
    if (!st)
        st = cc_error(ctx, CC_ERR_DATA,
                      "%s: %zu rows name ids that match no demand point (origin) or no "
                      "facility or candidate (destination), e.g. %s; fix the ids or the "
                      "origin/destination id fields",
                      path, n_unknown, msg.s ? msg.s : "");
    cc_buf_free(&msg);
    return st;
}

/* The incidence list of the n sorted rows rw within cutoff (0 = all), costs times scale in
 * deciseconds. *out is NULL on failure. */
static cc_status to_incidence(cc_ctx *ctx, const char *path, const mrow *rw, size_t n_rows,
                              size_t n_cand, double cutoff, double scale, cc_incidence **out)
{
    *out = NULL;
    size_t nkeep = 0;
    for (size_t k = 0; k < n_rows; k++)
        nkeep += !(cutoff > 0) || rw[k].cost <= cutoff;
    cc_incidence *inc = cc_calloc(ctx, 1, sizeof *inc);
    if (!inc) return CC_ERR_NOMEM;
    inc->n_fac = n_cand;
    inc->fac_off = cc_calloc(ctx, n_cand + 1, sizeof *inc->fac_off);
    inc->pt = cc_malloc_array(ctx, nkeep ? nkeep : 1, sizeof *inc->pt);
    inc->time_ds = cc_malloc_array(ctx, nkeep ? nkeep : 1, sizeof *inc->time_ds);
    if (!inc->fac_off || !inc->pt || !inc->time_ds) {
        cc_incidence_destroy(inc);
        return CC_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t k = 0; k < n_rows; k++) {
        if (cutoff > 0 && rw[k].cost > cutoff) continue;
        double t = nearbyint(rw[k].cost * scale);
        if (t >= (double)UINT32_MAX) {
            cc_incidence_destroy(inc);
            return cc_error(ctx, CC_ERR_DATA,
                            "%s:%zu: cost %g times the unit factor %g overflows deciseconds; "
                            "check the cost unit",
                            path, rw[k].line, rw[k].cost, scale);
        }
        inc->pt[n] = rw[k].pt;
        inc->time_ds[n] = (uint32_t)t;
        inc->fac_off[rw[k].cand + 1]++;
        n++;
    }
    for (size_t j = 0; j < n_cand; j++)
        inc->fac_off[j + 1] += inc->fac_off[j];
    inc->n = n;
    *out = inc;
    return CC_OK;
}

cc_status cc_siting_matrix_read(cc_ctx *ctx, const char *path, const cc_siting_matrix_spec *spec,
                                size_t n_pts, const char *const *pt_ids, size_t n_cand,
                                const char *const *cand_ids, cc_incidence **out, double **dense_out)
{
    cc_status st;
    cc_buf text = {0};
    cc__csv r;
    idmap mp = {0}, mc = {0};
    cc_vec rows = {.elem = sizeof(mrow)};
    cc_incidence *inc = NULL;
    double *dense = NULL;
    cc_siting_matrix_spec def = {0};
    enum { N_SHOWN = 5 };
    char *shown[N_SHOWN] = {0};
    int shown_kind[N_SHOWN] = {0}; /* 1 origin, 0 destination */
    size_t shown_line[N_SHOWN] = {0}, n_shown = 0, n_unknown = 0;
    cc__csv_init(&r, path, "", 0);
    *out = NULL;
    if (dense_out) *dense_out = NULL;
    if (!spec) spec = &def;
    const char *fo = spec->origin_field ? spec->origin_field : "origin";
    const char *fd = spec->dest_field ? spec->dest_field : "destination";
    const char *fcost = spec->cost_field ? spec->cost_field : "cost";
    double scale = spec->cost_to_ds > 0 ? spec->cost_to_ds : 1.0;
    if (n_pts >= UINT32_MAX || n_cand >= UINT32_MAX)
        return cc_error(ctx, CC_ERR_INVALID, "siting: too many points or candidates");

    if ((st = idmap_build(ctx, &mp, n_pts, pt_ids, "demand point"))) goto fail;
    if ((st = idmap_build(ctx, &mc, n_cand, cand_ids, "candidate"))) goto fail;
    if ((st = cc_read_text_file(ctx, path, "cost matrix", MATRIX_MAX_BYTES, "split it by candidate",
                                &text)))
        goto fail;
    cc__csv_init(&r, path, text.s, text.len);

    size_t nf;
    if ((st = cc__csv_next(ctx, &r, &nf))) goto fail;
    if (nf == 0) {
        st = cc_error(ctx, CC_ERR_DATA,
                      "%s: the cost matrix is empty; it needs a header row "
                      "(%s,%s,%s) and one row per pair",
                      path, fo, fd, fcost);
        goto fail;
    }
    long co = find_col(&r, nf, fo), cd = find_col(&r, nf, fd), cc = find_col(&r, nf, fcost);
    if (co < 0 || cd < 0 || cc < 0) {
        st = missing_column(ctx, &r, nf, co < 0 ? fo : cd < 0 ? fd : fcost);
        goto fail;
    }
    size_t need = (size_t)(co > cd ? (co > cc ? co : cc) : (cd > cc ? cd : cc)) + 1;
    for (;;) {
        if ((st = cc__csv_next(ctx, &r, &nf))) goto fail;
        if (nf == 0) break;
        if (nf < need) {
            st = cc_error(ctx, CC_ERR_DATA, "%s:%zu: %zu fields, expected at least %zu", path,
                          r.row_line, nf, need);
            goto fail;
        }
        const char *so = cc__csv_field(&r, (size_t)co), *sd = cc__csv_field(&r, (size_t)cd);
        const char *sc = cc__csv_field(&r, (size_t)cc);
        long io = idmap_find(&mp, so), id = idmap_find(&mc, sd);
        if (io < 0 || id < 0) {
            if (spec->ignore_unknown) continue;
            /* Keep reading: the message lists the first few unknown ids, not only one. */
            const char *bad = io < 0 ? so : sd;
            int seen = 0;
            for (size_t u = 0; u < n_shown; u++)
                seen |= shown_kind[u] == (io < 0) && strcmp(shown[u], bad) == 0;
            if (!seen && n_shown < N_SHOWN) {
                if (!(shown[n_shown] = cc_strdup(ctx, bad))) {
                    st = CC_ERR_NOMEM;
                    goto fail;
                }
                shown_kind[n_shown] = io < 0;
                shown_line[n_shown++] = r.row_line;
            }
            n_unknown++;
            continue;
        }
        double cost;
        if (cc_parse_double(sc, &cost) != 0 || !isfinite(cost) || cost < 0) {
            st = cc_error(ctx, CC_ERR_DATA,
                          "%s:%zu: cost '%s' is not a number >= 0; write a plain decimal such "
                          "as 1234.5",
                          path, r.row_line, sc);
            goto fail;
        }
        mrow m = {(uint32_t)id, (uint32_t)io, cost, r.row_line};
        if ((st = cc_vec_push(ctx, &rows, &m))) goto fail;
    }
    if (n_unknown) {
        st = unknown_ids(ctx, path, n_unknown, n_shown, shown, shown_kind, shown_line);
        goto fail;
    }
    mrow *rw = rows.data;
    if (rows.len) qsort(rw, rows.len, sizeof *rw, cmp_mrow);
    for (size_t k = 1; k < rows.len; k++)
        if (rw[k].cand == rw[k - 1].cand && rw[k].pt == rw[k - 1].pt) {
            st = cc_error(ctx, CC_ERR_DATA,
                          "%s:%zu: pair ('%s', '%s') already given on line %zu; keep one row "
                          "per pair",
                          path, rw[k].line, pt_ids[rw[k].pt], cand_ids[rw[k].cand], rw[k - 1].line);
            goto fail;
        }

    if (dense_out) {
        if (n_cand && n_pts > SIZE_MAX / n_cand) {
            st = cc_error(ctx, CC_ERR_NOMEM, "siting: a dense %zu x %zu matrix is too large", n_pts,
                          n_cand);
            goto fail;
        }
        dense = cc_malloc_array(ctx, n_pts * n_cand > 0 ? n_pts * n_cand : 1, sizeof *dense);
        if (!dense) {
            st = CC_ERR_NOMEM;
            goto fail;
        }
        for (size_t k = 0; k < n_pts * n_cand; k++)
            dense[k] = INFINITY;
        for (size_t k = 0; k < rows.len; k++)
            dense[(size_t)rw[k].pt * n_cand + rw[k].cand] = rw[k].cost;
    }

    if ((st = to_incidence(ctx, path, rw, rows.len, n_cand, spec->cutoff, scale, &inc))) goto fail;
    *out = inc;
    inc = NULL;
    if (dense_out) *dense_out = dense;
    dense = NULL;
fail:
    cc_incidence_destroy(inc);
    cc_free(dense);
    cc_vec_free(&rows);
    cc__csv_free(&r);
    cc_buf_free(&text);
    cc_free(mp.slot);
    cc_free(mc.slot);
    for (size_t u = 0; u < n_shown; u++)
        cc_free(shown[u]);
    return st;
}
