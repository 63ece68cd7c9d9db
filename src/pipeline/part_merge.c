/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partitioned run's driver and merge: load the study, build the global graphs and snaps
 * (no routing), plan the parts, compute the parts this process owns (reusing part files whose
 * key matches), then read every part file, fill the routing tables in part order and run the
 * stages after routing exactly as a whole run does.
 */
#include "carecircle/analysis.h"
#include "core/internal.h"
#include "partition.h"

#include <math.h>
#include <string.h>

/* One part: reused when its file is valid, else computed and written. */
static cc_status do_part(cc_ctx *ctx, cc_study *st, const cc__plan *p, const char *dir,
                         size_t k, uint32_t limit_ds)
{
    cc__part pt;
    const char *why = NULL;
    cc_status rc = cc__part_read(ctx, st, p, dir, k, limit_ds, &pt, &why);
    if (!rc && !*why) {
        cc_log(ctx, CC_LOG_INFO, "part %zu/%zu (%s): reused", k + 1, p->n, p->label[k]);
        st->t_route += pt.route_s;
        cc__part_free(&pt);
        return CC_OK;
    }
    if (!rc) rc = cc__part_compute(ctx, st, p, k, limit_ds, &pt);
    if (!rc) rc = cc__part_write(ctx, st, p, dir, &pt);
    if (!rc)
        cc_log(ctx, CC_LOG_INFO, "part %zu/%zu (%s): computed, %zu demand points", k + 1, p->n,
               p->label[k], p->n_pts[k]);
    else if (cc_ctx_last_status(ctx) == rc)
        cc_error_prefix(ctx, "part %zu/%zu (%s)", k + 1, p->n, p->label[k]);
    st->t_route += pt.route_s;
    cc__part_free(&pt);
    return rc;
}

/* Part pt's tables into the study: its points' snaps, its facilities' snaps, and the number
   of rows of each of its facilities (rows[t][j]). */
static void fill_snaps(cc_study *st, const cc__part *pt, size_t **rows)
{
    for (size_t v = 0; v < pt->n_vars; v++)
        for (size_t i = 0; i < pt->var[v].n_pts; i++)
            st->vars[v].pts[pt->var[v].pt[i]] = pt->var[v].snap[i];
    for (size_t t = 0; t < pt->n_types; t++) {
        const cc__part_type *q = &pt->type[t];
        for (size_t j = 0; j < q->n_fac; j++) {
            st->fac[t].fsnap[q->fac[j]] = q->fsnap[j];
            rows[t][q->fac[j]] = (size_t)(q->off[j + 1] - q->off[j]);
        }
    }
}

/* Type t's incidence: offsets from the row counts, in facility order. */
static cc_status inc_alloc(cc_ctx *ctx, cc_fac_set *f, const size_t *rows)
{
    cc_incidence *inc = cc_calloc(ctx, 1, sizeof *inc);
    if (!inc) return CC_ERR_NOMEM;
    f->inc = inc;
    inc->n_fac = f->n;
    inc->fac_off = cc_malloc_array(ctx, f->n + 1, sizeof *inc->fac_off);
    if (!inc->fac_off) return CC_ERR_NOMEM;
    inc->fac_off[0] = 0;
    for (size_t j = 0; j < f->n; j++)
        inc->fac_off[j + 1] = inc->fac_off[j] + rows[j];
    inc->n = inc->fac_off[f->n];
    inc->pt = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->pt);
    inc->time_ds = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->time_ds);
    return inc->pt && inc->time_ds ? CC_OK : CC_ERR_NOMEM;
}

static void fill_rows(cc_study *st, const cc__part *pt)
{
    for (size_t t = 0; t < pt->n_types; t++) {
        const cc__part_type *q = &pt->type[t];
        cc_incidence *inc = st->fac[t].inc;
        for (size_t j = 0; j < q->n_fac; j++) {
            size_t o = inc->fac_off[q->fac[j]], n = (size_t)(q->off[j + 1] - q->off[j]);
            memcpy(inc->pt + o, q->pt + q->off[j], n * sizeof *inc->pt);
            memcpy(inc->time_ds + o, q->tds + q->off[j], n * sizeof *inc->time_ds);
        }
    }
}

/* A missing or damaged part, named with the command that makes it: the first is the run's
   error, each later one a warning line of its own. */
static cc_status missing_line(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                              const char *why, cc_buf *msg, size_t *n_bad)
{
    char *line = cc_asprintf(ctx,
                             "part %zu/%zu (%s): %s; run `carecircle run %s --partition %s "
                             "--part %zu/%zu` or rerun without --part",
                             k + 1, p->n, p->label[k], why, st->sc->path, p->spec,
                             cc__plan_job(p, k, p->n), p->n);
    cc_status rc = line ? CC_OK : CC_ERR_NOMEM;
    if (!rc && !(*n_bad)++)
        rc = cc_buf_puts(ctx, msg, line);
    else if (!rc)
        cc_log(ctx, CC_LOG_WARN, "%s", line);
    cc_free(line);
    return rc;
}

/* Read every part twice over: first to size the incidence lists, then to fill them (one part
   in memory at a time). */
static cc_status merge_pass(cc_ctx *ctx, cc_study *st, const cc__plan *p, const char *dir,
                            uint32_t limit_ds, size_t **rows, int fill, cc_buf *msg)
{
    cc_status rc = CC_OK;
    size_t n_bad = 0;
    for (size_t k = 0; !rc && k < p->n; k++) {
        cc__part pt;
        const char *why = NULL;
        rc = cc__part_read(ctx, st, p, dir, k, limit_ds, &pt, &why);
        if (!rc && *why) rc = missing_line(ctx, st, p, k, why, msg, &n_bad);
        if (!rc && !*why) fill ? fill_rows(st, &pt) : fill_snaps(st, &pt, rows);
        cc__part_free(&pt);
    }
    if (!rc && n_bad > 1)
        rc = cc_buf_puts(ctx, msg, "; more parts are missing or damaged (the warnings above)");
    return rc;
}

static cc_status merge(cc_ctx *ctx, cc_study *st, const cc__plan *p, const char *dir,
                       uint32_t limit_ds)
{
    cc_buf msg = {0};
    size_t **rows = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *rows);
    cc_status rc = rows ? CC_OK : CC_ERR_NOMEM;
    for (size_t t = 0; !rc && t < st->n_types; t++)
        if (!(rows[t] = cc_calloc(ctx, st->fac[t].n ? st->fac[t].n : 1, sizeof **rows)))
            rc = CC_ERR_NOMEM;
    if (!rc) rc = merge_pass(ctx, st, p, dir, limit_ds, rows, 0, &msg);
    if (!rc && msg.len) rc = cc_error(ctx, CC_ERR_DATA, "%s", msg.s);
    for (size_t t = 0; !rc && t < st->n_types; t++)
        rc = inc_alloc(ctx, &st->fac[t], rows[t]);
    if (!rc) rc = merge_pass(ctx, st, p, dir, limit_ds, rows, 1, &msg);
    if (!rc && msg.len) rc = cc_error(ctx, CC_ERR_DATA, "%s", msg.s);
    /* each point's nearest facility from the merged incidence, as the whole run does */
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        uint32_t *tds = st->cache_tds[t];
        rc = cc_analysis_nearest(ctx, f->inc, st->dem.n, tds, f->net_fac);
        for (size_t i = 0; !rc && i < st->dem.n; i++)
            f->net_min[i] = tds[i] == CC_NONE ? INFINITY : tds[i] / 600.0;
    }
    for (size_t t = 0; rows && t < st->n_types; t++)
        cc_free(rows[t]);
    cc_free(rows);
    cc_buf_free(&msg);
    return rc;
}

struct cc_part_run {
    const cc_scenario *sc;
    cc_study st;
    cc__plan plan;
    cc_outset *out;
    char *dir, *cache;
    uint32_t limit_ds;
};

cc_status cc_part_run_open(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                           cc_part_run **out)
{
    cc_part_run *r = cc_calloc(ctx, 1, sizeof *r);
    *out = r;
    if (!r) return CC_ERR_NOMEM;
    r->sc = sc;
    r->limit_ds = cc__limit_ds(sc);
    cc_study *st = &r->st;
    cc_status rc = cc__run_open(ctx, sc, opt, &r->dir, &r->out, &r->cache);
    if (!rc) rc = cc__study_load(ctx, sc, st);
    st->prepared_dir = opt->prepared_dir; /* the global graphs from `carecircle prepare` */
    if (!rc && !st->roads)
        rc = cc_error(ctx, CC_ERR_USAGE, "--partition needs a network (network.source)");
    if (!rc) rc = cc__study_circles(ctx, st);
    if (!rc) rc = cc__study_network(ctx, st, 0);
    if (!rc) rc = cc__cache_key(ctx, st, r->limit_ds, st->cache_key);
    if (!rc) rc = cc__plan_make(ctx, st, opt->partition, &r->plan);
    if (!rc && opt->part_n > r->plan.n)
        rc = cc_error(ctx, CC_ERR_USAGE,
                      "--part %zu/%zu: the partition has only %zu parts; use at most %zu jobs",
                      opt->part_k, opt->part_n, r->plan.n, r->plan.n);
    return rc;
}

size_t cc_part_run_count(const cc_part_run *r)
{
    return r->plan.n;
}

const char *cc_part_run_label(const cc_part_run *r, size_t k)
{
    return r->plan.label[k];
}

size_t cc_part_run_points(const cc_part_run *r, size_t k)
{
    return r->plan.n_pts[k];
}

size_t cc_part_run_job(const cc_part_run *r, size_t k, size_t n_jobs)
{
    return cc__plan_job(&r->plan, k, n_jobs);
}

const char *cc_part_run_dir(const cc_part_run *r)
{
    return r->dir;
}

cc_status cc_part_run_part(cc_ctx *ctx, cc_part_run *r, size_t k)
{
    return do_part(ctx, &r->st, &r->plan, r->dir, k, r->limit_ds);
}

cc_status cc_part_run_finish(cc_ctx *ctx, cc_part_run *r)
{
    cc_status rc = merge(ctx, &r->st, &r->plan, r->dir, r->limit_ds);
    if (!rc) rc = cc__study_after_routing(ctx, &r->st);
    if (!rc) rc = cc__run_finish(ctx, r->sc, &r->st, r->out, r->dir);
    return rc;
}

void cc_part_run_close(cc_part_run *r)
{
    if (!r) return;
    cc__plan_free(&r->plan, r->st.n_types);
    cc__study_free(&r->st);
    cc_outset_destroy(r->out);
    cc_free(r->dir);
    cc_free(r->cache);
    cc_free(r);
}
