/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded catchments: one search per facility, OpenMP over facilities (dynamic schedule),
 * one workspace per thread, reset after each search by the list of nodes it reached. Demand
 * points are attached to the edge ends they can walk to (with the cost of getting there),
 * sorted by cost, so settling a node reports its points in one short scan, as rows into a
 * list. A flush turns a facility's rows into its catchment in point order through a bitmap
 * over the point indices, without sorting. Output is ordered by facility then point index and
 * does not depend on the thread count.
 */
#include "route_internal.h"

#include <omp.h>

cc_status cc__by_edge(cc_ctx *ctx, uint32_t n_edges, size_t n, const cc_snap *s, uint32_t **off_out,
                      uint32_t **idx_out);
cc_status cc__check_inputs(cc_ctx *ctx, const cc_graph_view *v, size_t n_fac, const cc_snap *fac,
                           size_t n_pts, const cc_snap *pts);

void cc_incidence_destroy(cc_incidence *inc)
{
    if (!inc) return;
    cc_free(inc->fac_off);
    cc_free(inc->pt);
    cc_free(inc->time_ds);
    cc_free(inc);
}

static int cmp_att(const void *a, const void *b)
{
    const cc__att *x = a, *y = b;
    if (x->cost != y->cost) return x->cost < y->cost ? -1 : 1;
    return (x->pt > y->pt) - (x->pt < y->pt);
}

/* Attach every point to the edge ends it may walk to: node a (against the edge direction) and
 * node b (with it), cost = leg + partial edge; attachments name points by the caller's index.
 * Points are taken in edge order (pe_idx). The costs
 * and the per-node sorts run on nt threads; only the counting sort between them is serial
 * (it was a tenth of the catchment time at 2 threads on the 100k benchmark). */
static cc_status attach(cc_ctx *ctx, const cc_graph_view *v, const cc_profile *prof, size_t n_in,
                        const uint32_t *pe_idx, const cc_snap *pts, int nt, uint32_t **off_out,
                        cc__att **att_out)
{
    size_t n_pts = n_in;
    uint32_t n = v->n_nodes;
    uint32_t *off = cc_calloc(ctx, (size_t)n + 2, sizeof *off);
    cc__att *att = cc_malloc_array(ctx, 2 * n_pts + 1, sizeof *att);
    /* per point and end (a, b): the end's node and the cost to it, CC_NONE when left out */
    uint32_t *cost = cc_malloc_array(ctx, 4 * n_pts + 1, sizeof *cost);
    if (!off || !att || !cost) {
        cc_free(off);
        cc_free(att);
        cc_free(cost);
        return CC_ERR_NOMEM;
    }
#pragma omp parallel for num_threads(nt) schedule(static, 4096)
    for (size_t i = 0; i < n_pts; i++) {
        const cc_snap *p = &pts[pe_idx[i]];
        uint32_t ta, tb, leg = cc_route_leg_ds(prof, p->dist_m);
        cc__pt_to_ends(v, p, &ta, &tb);
        ta = cc__add(ta, leg);
        tb = cc__add(tb, leg);
        /* An end the point reaches no sooner than by walking to the other end and along the
         * whole edge never gives it a better time (d(a) <= fwd + d(b)), nor a time within the
         * limit that the other end misses: leave it out. A point sitting on a junction then
         * has one attachment instead of two. */
        uint32_t ef = v->edge_time_fwd[p->edge], eb = v->edge_time_bwd[p->edge];
        if (ta != CC_NONE && ef != CC_NONE && cc__add(ta, ef) <= tb)
            tb = CC_NONE;
        else if (tb != CC_NONE && eb != CC_NONE && cc__add(tb, eb) <= ta)
            ta = CC_NONE;
        uint32_t *c = cost + 4 * i;
        c[0] = v->edge_from[p->edge];
        c[1] = ta;
        c[2] = v->edge_to[p->edge];
        c[3] = tb;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < 2 * n_pts; i++) {
            uint32_t u = cost[2 * i], c = cost[2 * i + 1];
            if (c == CC_NONE) continue;
            if (pass == 0)
                off[u + 2]++;
            else
                att[off[u + 1]++] = (cc__att){pe_idx[i / 2], c};
        }
        if (pass == 0)
            for (uint32_t u = 2; u < n + 2; u++)
                off[u] += off[u - 1];
    }
    cc_free(cost);
#pragma omp parallel for num_threads(nt) schedule(static, 4096)
    for (uint32_t u = 0; u < n; u++) {
        uint32_t a = off[u], b = off[u + 1];
        if (b - a < 2) continue;
        if (b - a > 16) {
            qsort(att + a, b - a, sizeof *att, cmp_att);
            continue;
        }
        for (uint32_t i = a + 1; i < b; i++) {
            cc__att x = att[i];
            uint32_t j = i;
            while (j > a && cmp_att(&att[j - 1], &x) > 0) {
                att[j] = att[j - 1];
                j--;
            }
            att[j] = x;
        }
    }
    *off_out = off;
    *att_out = att;
    return CC_OK;
}

/* Per-thread state. */
typedef struct tl {
    cc_ctx *ctx; /* the thread's child context: its allocations meet the run's hook */
    cc__ws *w;
    cc__sink k; /* the rows of the current search, empty between searches */
    /* Two-level bitmap over the caller's point indices: bit c of l1 marks point c reached by
     * this search, bit j of l2 word i marks l1 word 64 * i + j non-empty. A flush walks the set
     * bits in index order, so a catchment comes out sorted by point without a sort. All zero
     * between flushes. */
    uint64_t *l1, *l2;
    uint32_t *tv; /* best time by caller's point index, for the points a flush is writing */
    uint32_t *opt, *otime; /* this thread's rows, facility after facility */
    size_t on, ocap;
    int nomem;
} tl;

static void tl_free(tl *t)
{
    if (!t) return;
    cc__ws_destroy(t->w);
    cc_free(t->k.row);
    cc_free(t->l1);
    cc_free(t->tv);
    cc_free(t->l2);
    cc_free(t->opt);
    cc_free(t->otime);
    cc_ctx_destroy(t->ctx);
    memset(t, 0, sizeof *t);
}

/* Append the facility's rows (by caller's point index, the smaller time of a point reported
 * twice) to the thread's buffer and empty the sink. */
static void flush(tl *t, size_t n_l2)
{
    size_t n = t->k.n; /* at least the rows this facility gets */
    t->k.n = 0;
    if (t->on + n > t->ocap) {
        /* 4 MiB at least: the buffers then come in huge pages from the start (memory is
         * committed as rows arrive, 2 MiB at a time), which saves a page fault every 1,024
         * rows, a quarter of the flush time on the benchmark VM */
        size_t cap = (t->on + n) * 2 + 4096;
        if (cap < ((size_t)1 << 20)) cap = (size_t)1 << 20;
        uint32_t *a = cc_realloc_array(t->ctx, t->opt, cap, sizeof *a), *b;
        if (a) t->opt = a;
        b = a ? cc_realloc_array(t->ctx, t->otime, cap, sizeof *b) : NULL;
        if (b) t->otime = b;
        if (!a || !b) {
            t->nomem = 1;
            return;
        }
        t->ocap = cap;
    }
    uint64_t *l1 = t->l1, *l2 = t->l2;
    uint32_t *tv = t->tv;
    const uint64_t *row = t->k.row;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = (uint32_t)(row[i] >> 32), time = (uint32_t)row[i];
        uint64_t bit = (uint64_t)1 << (c & 63), *w1 = &l1[c >> 6];
        if (*w1 & bit) { /* the point's other end: keep the smaller time */
            if (time < tv[c]) tv[c] = time;
            continue;
        }
        *w1 |= bit;
        l2[c >> 12] |= (uint64_t)1 << ((c >> 6) & 63);
        tv[c] = time;
    }
    uint32_t *op = t->opt + t->on, *ot = t->otime + t->on, *op0 = op;
    for (size_t i2 = 0; i2 < n_l2; i2++) {
        uint64_t x = l2[i2];
        if (!x) continue;
        l2[i2] = 0;
        do {
            size_t i1 = i2 * 64 + (size_t)__builtin_ctzll(x);
            x &= x - 1;
            uint64_t y = l1[i1];
            l1[i1] = 0;
            do {
                uint32_t c = (uint32_t)(i1 * 64 + (size_t)__builtin_ctzll(y));
                y &= y - 1;
                *op++ = c;
                *ot++ = tv[c];
            } while (y);
        } while (x);
    }
    t->on += (size_t)(op - op0);
}

/* The bounded search of one facility fc, up to limit_ds: every point it reaches goes into the
 * thread's sink t->k (flush() then turns the sink into rows). */
static void search_one(tl *t, const cc_graph_view *v, const cc_profile *prof, const cc_snap *fc,
                       const cc_snap *pts, const uint32_t *pe_off, const uint32_t *pe_idx,
                       uint32_t limit_ds, int queue, const uint32_t *att_off, const cc__att *att)
{
    cc__seed s[2];
    size_t ns = cc__fac_seeds(v, prof, fc, 0, limit_ds, s);
    if (ns == 2 && (s[1].key < s[0].key || (s[1].key == s[0].key && s[1].node < s[0].node))) {
        cc__seed x = s[0];
        s[0] = s[1];
        s[1] = x;
    }
    /* the sink is empty here: every flush resets it */
    if (queue == CC_QUEUE_DIAL)
        cc__search(t->w, 1, v->rev_off, v->rev_arc, s, ns, limit_ds, att_off, att, &t->k);
    else
        cc__search(t->w, 0, v->rev_off, v->rev_arc, s, ns, limit_ds, att_off, att, &t->k);
    /* points on the facility's own edge may also go straight along it */
    uint32_t e = fc->edge;
    if (e != CC_NONE) {
        uint32_t legf = cc_route_leg_ds(prof, fc->dist_m);
        for (uint32_t k = pe_off[e]; k < pe_off[e + 1]; k++) {
            uint32_t p = pe_idx[k];
            uint32_t d = cc__same_edge(v, e, pts[p].offset_m, fc->offset_m);
            if (d == CC_NONE) continue;
            uint32_t tt = cc__add(cc__add(d, legf), cc_route_leg_ds(prof, pts[p].dist_m));
            if (tt <= limit_ds) cc__sink_put(&t->k, p, tt);
        }
    }
}

/* The incidence list: each facility's rows copied from the thread that found them, in
 * facility order. CC_ERR_NOMEM when an allocation fails (*out is then NULL). Memory: the
 * searches' workspaces are freed first, and each thread's rows as soon as they are copied, so
 * the rows are held about once and a half at the peak, not twice. */
static cc_status gather(cc_ctx *ctx, int nt, tl *tls, size_t n_fac, const uint32_t *res_tid,
                        const size_t *res_start, const size_t *res_cnt, cc_incidence **out)
{
    *out = NULL;
    for (int i = 0; i < nt; i++) {
        tl *t = &tls[i];
        cc__ws_destroy(t->w);
        cc_free(t->k.row);
        cc_free(t->l1);
        cc_free(t->tv);
        cc_free(t->l2);
        t->w = NULL, t->k.row = NULL, t->l1 = t->l2 = NULL, t->tv = NULL;
    }
    cc_incidence *inc = cc_calloc(ctx, 1, sizeof *inc);
    if (!inc) return CC_ERR_NOMEM;
    inc->n_fac = n_fac;
    inc->fac_off = cc_malloc_array(ctx, n_fac + 1, sizeof *inc->fac_off);
    if (!inc->fac_off) {
        cc_incidence_destroy(inc);
        return CC_ERR_NOMEM;
    }
    inc->fac_off[0] = 0;
    for (size_t f = 0; f < n_fac; f++)
        inc->fac_off[f + 1] = inc->fac_off[f] + res_cnt[f];
    inc->n = inc->fac_off[n_fac];
    inc->pt = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->pt);
    inc->time_ds = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *inc->time_ds);
    if (!inc->pt || !inc->time_ds) {
        cc_incidence_destroy(inc);
        return CC_ERR_NOMEM;
    }
    for (int i = 0; i < nt; i++) {
        tl *t = &tls[i];
#pragma omp parallel for num_threads(nt) schedule(static, 64)
        for (size_t f = 0; f < n_fac; f++) {
            /* a facility that reaches nobody: its thread may own no rows */
            if (res_tid[f] != (uint32_t)i || !res_cnt[f]) continue;
            memcpy(inc->pt + inc->fac_off[f], t->opt + res_start[f],
                   res_cnt[f] * sizeof *inc->pt);
            memcpy(inc->time_ds + inc->fac_off[f], t->otime + res_start[f],
                   res_cnt[f] * sizeof *inc->time_ds);
        }
        cc_free(t->opt);
        cc_free(t->otime);
        t->opt = t->otime = NULL;
    }
    *out = inc;
    return CC_OK;
}

cc_status cc__route_catchments(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                               const cc_snap *fac, size_t n_pts, const cc_snap *pts,
                               uint32_t limit_ds, int queue, cc_incidence **out,
                               cc_route_stats *stats)
{
    *out = NULL;
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    cc_status st = cc__check_inputs(ctx, &v, n_fac, fac, n_pts, pts);
    if (st != CC_OK) return st;
    if (limit_ds >= CC_NONE) limit_ds = CC_NONE - 1;
    uint32_t maxw = v.max_arc_ds;
    if (queue == CC_QUEUE_DIAL && maxw >= (1u << 22)) queue = CC_QUEUE_HEAP;
    int nt = cc_ctx_thread_count(ctx);

    uint32_t *att_off = NULL, *pe_off = NULL, *pe_idx = NULL, *res_tid = NULL;
    uint32_t *fe_off = NULL, *fe_idx = NULL;
    cc__att *att = NULL;
    size_t *res_start = NULL, *res_cnt = NULL;
    tl *tls = NULL;
    cc_incidence *inc = NULL;
    size_t n_l1 = (n_pts + 63) / 64 + 1, n_l2 = (n_l1 + 63) / 64; /* flush bitmap words */

    st = CC_ERR_NOMEM;
    if ((st = cc__by_edge(ctx, v.n_edges, n_pts, pts, &pe_off, &pe_idx)) != CC_OK) goto fail;
    if ((st = attach(ctx, &v, prof, pe_off[v.n_edges], pe_idx, pts, nt, &att_off, &att)) != CC_OK)
        goto fail;
    st = CC_ERR_NOMEM;
    res_tid = cc_malloc_array(ctx, n_fac + 1, sizeof *res_tid);
    res_start = cc_malloc_array(ctx, n_fac + 1, sizeof *res_start);
    res_cnt = cc_malloc_array(ctx, n_fac + 1, sizeof *res_cnt);
    tls = cc_calloc(ctx, (size_t)nt, sizeof *tls);
    if (!res_tid || !res_start || !res_cnt || !tls) goto fail;
    for (int i = 0; i < nt; i++)
        if ((st = cc_ctx_child(ctx, &tls[i].ctx)) != CC_OK) goto fail;
    st = CC_ERR_NOMEM;
    for (size_t f = 0; f < n_fac; f++) {
        res_tid[f] = 0;
        res_start[f] = res_cnt[f] = 0; /* unsnapped facilities reach nobody */
    }
    /* Process facilities in edge order (edges follow the Hilbert order of their nodes): the
     * searches one thread runs one after another then overlap in memory and find the graph
     * and their state arrays in cache. The output order does not depend on it. */
    if ((st = cc__by_edge(ctx, v.n_edges, n_fac, fac, &fe_off, &fe_idx)) != CC_OK) goto fail;
    st = CC_ERR_NOMEM;
    size_t n_run = fe_off[v.n_edges];

    int stop = 0, nomem = 0;
    size_t done = 0;
    cc_progress(ctx, "routing", 0.0);
#pragma omp parallel num_threads(nt)
    {
        int tid = omp_get_thread_num();
        tl *t = &tls[tid];
        t->w = cc__ws_create(t->ctx, v.n_nodes, maxw, queue, 0);
        t->k.row = cc_malloc_array(t->ctx, 3 * n_pts + 1, sizeof *t->k.row);
        t->l1 = cc_calloc(t->ctx, n_l1, sizeof *t->l1);
        t->tv = cc_malloc_array(t->ctx, n_pts ? n_pts : 1, sizeof *t->tv);
        t->l2 = cc_calloc(t->ctx, n_l2, sizeof *t->l2);
        if (!t->w || !t->k.row || !t->l1 || !t->l2 || !t->tv) {
#pragma omp atomic write
            nomem = 1;
        }
        double next_report = 0.01;
#pragma omp for schedule(dynamic, 4)
        for (size_t i = 0; i < n_run; i++) {
            size_t f = fe_idx[i];
            int halt;
#pragma omp atomic read
            halt = stop;
            if (halt) continue;
            int bad;
#pragma omp atomic read
            bad = nomem;
            if (bad || cc_ctx_interrupted(ctx)) {
#pragma omp atomic write
                stop = 1;
                continue;
            }
            size_t start = t->on;
            search_one(t, &v, prof, &fac[f], pts, pe_off, pe_idx, limit_ds, queue, att_off, att);
            flush(t, n_l2);
            if (t->w->nomem || t->nomem) {
#pragma omp atomic write
                nomem = 1;
            }
            res_tid[f] = (uint32_t)tid;
            res_start[f] = start;
            res_cnt[f] = t->on - start;
            size_t d;
#pragma omp atomic capture
            d = ++done;
            if (tid == 0 && (double)d >= next_report * (double)n_run) {
                cc_progress(ctx, "routing", (double)d / (double)n_run);
                next_report = (double)d / (double)n_run + 0.01;
            }
        }
    }
    if (nomem) {
        st = cc_error(ctx, CC_ERR_NOMEM,
                      "out of memory while routing %zu catchments; use "
                      "fewer threads, a shorter threshold or a smaller study area",
                      n_fac);
        goto fail;
    }
    if (stop || cc_ctx_interrupted(ctx)) {
        st = cc_check_interrupt(ctx);
        if (st == CC_OK) st = cc_error(ctx, CC_ERR_INTERNAL, "routing stopped early");
        goto fail;
    }
    if (stats) {
        memset(stats, 0, sizeof *stats);
        for (int i = 0; i < nt; i++)
            if (tls[i].w) {
                stats->arcs_scanned += tls[i].w->scanned;
                stats->nodes_settled += tls[i].w->settled;
            }
        stats->threads = nt;
        stats->queue = queue;
    }
    /* The searches' inputs are done with: freed before the rows are gathered (the peak). */
    cc_free(att_off), cc_free(att), cc_free(pe_off), cc_free(pe_idx);
    att_off = pe_off = pe_idx = NULL, att = NULL;
    if ((st = gather(ctx, nt, tls, n_fac, res_tid, res_start, res_cnt, &inc)) != CC_OK) goto fail;
    cc_progress(ctx, "routing", 1.0);
    *out = inc;
    inc = NULL;
    st = CC_OK;
fail:
    cc_incidence_destroy(inc);
    if (tls)
        for (int i = 0; i < nt; i++)
            tl_free(&tls[i]);
    cc_free(tls);
    cc_free(att_off);
    cc_free(att);
    cc_free(pe_off);
    cc_free(pe_idx);
    cc_free(fe_off);
    cc_free(fe_idx);
    cc_free(res_tid);
    cc_free(res_start);
    cc_free(res_cnt);
    return st;
}

cc_status cc_route_catchments(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                              const cc_snap *fac, size_t n_pts, const cc_snap *pts,
                              uint32_t limit_ds, cc_incidence **out)
{
    return cc__route_catchments(ctx, g, prof, n_fac, fac, n_pts, pts, limit_ds, CC__QUEUE_DEFAULT,
                                out, NULL);
}
