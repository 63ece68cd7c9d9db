/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One part of a partitioned run: its window of each variant's global graph (its core grown
 * by the halo; cc_graph_window), its owned points and facilities snapped on the window (the window grown and
 * the part redone until every owned item's snap provably equals its snap on the whole graph),
 * and the catchments of its owned facilities over the window's points, in global indices.
 * docs/architecture.md "Partitioned runs" says why the result is exact.
 */
#include "carecircle/analysis.h"
#include "core/internal.h"
#include "partition.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cc__part_free(cc__part *pt)
{
    for (size_t v = 0; pt->var && v < pt->n_vars; v++) {
        cc_free(pt->var[v].pt);
        cc_free(pt->var[v].snap);
    }
    for (size_t t = 0; pt->type && t < pt->n_types; t++) {
        cc__part_type *q = &pt->type[t];
        cc_free(q->fac);
        cc_free(q->fsnap);
        cc_free(q->off);
        cc_free(q->pt);
        cc_free(q->tds);
    }
    cc_free(pt->var);
    cc_free(pt->type);
    memset(pt, 0, sizeof *pt);
}

/* The window of g over r (net module): every edge whose box meets r, in global order. When
   it holds every edge of g (*whole = 1), its ids are g's and every snap on it is global. */
static cc_status window_of(cc_ctx *ctx, const cc_graph *g, const double r[4],
                           const cc_graph **out, int *whole)
{
    cc_graph *w = NULL;
    cc_status rc = cc_graph_window(ctx, g, r[0], r[1], r[2], r[3], &w);
    *out = w;
    *whole = !rc && cc_graph_edge_count(w) == cc_graph_edge_count(g);
    return rc;
}

/* Global id of window edge e. */
static uint32_t edge_global(const cc_graph *w, uint32_t e)
{
    const uint32_t *ids = cc_graph_edge_global(w);
    return ids ? ids[e] : e;
}

static void window_free(const cc_graph *w, const cc_graph *g)
{
    if (w != g) cc_graph_destroy((cc_graph *)w);
}

/* Distance from (x, y) to the border of r, negative outside; infinite for the whole graph. */
static double border(const double r[4], int whole, double x, double y)
{
    if (whole) return INFINITY;
    return fmin(fmin(x - r[0], r[2] - x), fmin(y - r[1], r[3] - y));
}

/* One variant's work area in a part. */
typedef struct pv {
    double win[4];
    const cc_graph *w;
    int whole;
    size_t n_w;     /* window points */
    uint32_t *widx; /* their global indices, ascending */
    double *wx, *wy;
    cc_snap *wsnap;
} pv;

static void pv_free(pv *a, const cc_graph *g)
{
    window_free(a->w, g);
    cc_free(a->widx);
    cc_free(a->wx);
    cc_free(a->wy);
    cc_free(a->wsnap);
    memset(a, 0, sizeof *a);
}

/* The window's points: inside the window rectangle, or owned by the part. */
static cc_status window_points(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                               size_t v, pv *a)
{
    size_t n = 0, nd = st->dem.n;
    a->widx = cc_malloc_array(ctx, nd ? nd : 1, sizeof *a->widx);
    a->wx = cc_malloc_array(ctx, nd ? nd : 1, sizeof *a->wx);
    a->wy = cc_malloc_array(ctx, nd ? nd : 1, sizeof *a->wy);
    a->wsnap = cc_malloc_array(ctx, nd ? nd : 1, sizeof *a->wsnap);
    if (!a->widx || !a->wx || !a->wy || !a->wsnap) return CC_ERR_NOMEM;
    for (size_t i = 0; i < nd; i++) {
        double x = st->dem.x[i], y = st->dem.y[i];
        if (!a->whole && (size_t)p->pt_part[i] != k && !(border(a->win, 0, x, y) >= 0)) continue;
        a->widx[n] = (uint32_t)i, a->wx[n] = x, a->wy[n] = y;
        n++;
    }
    a->n_w = n;
    /* A window with every edge has the whole graph's ids: its snaps are the network
       stage's, already made. */
    if (a->whole) {
        memcpy(a->wsnap, st->vars[v].pts, n * sizeof *a->wsnap);
        return CC_OK;
    }
    return cc_route_snap(ctx, a->w, n, a->wx, a->wy, a->wsnap);
}

/* The halo an owned item's snap distance d asks for: d, or the whole graph when d is not a
   number (no edge in the window, or a point without coordinates). */
static double unsure(double d)
{
    return isfinite(d) ? d : INFINITY;
}

/* Snap the owned facilities of every type on variant v; *need: the snap distance the halo
   must allow (0 when every owned item's snap is provably global). */
static cc_status snap_owned(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                            size_t v, pv *a, cc__part *out, double *need)
{
    for (size_t t = 0; t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        cc__part_type *q = &out->type[t];
        if (f->variant != v) continue;
        double *x = cc_malloc_array(ctx, q->n_fac ? q->n_fac : 1, sizeof *x);
        double *y = cc_malloc_array(ctx, q->n_fac ? q->n_fac : 1, sizeof *y);
        cc_status rc = x && y ? CC_OK : CC_ERR_NOMEM;
        for (size_t j = 0; !rc && j < q->n_fac; j++)
            x[j] = f->x[q->fac[j]], y[j] = f->y[q->fac[j]];
        if (!rc) rc = cc_route_snap(ctx, a->w, q->n_fac, x, y, q->fsnap);
        for (size_t j = 0; !rc && j < q->n_fac; j++) {
            double d = q->fsnap[j].dist_m;
            if (!(d < border(a->win, a->whole, x[j], y[j]))) *need = fmax(*need, unsure(d));
        }
        cc_free(x);
        cc_free(y);
        if (rc) return rc;
    }
    for (size_t i = 0; i < a->n_w; i++) {
        double d = a->wsnap[i].dist_m;
        if ((size_t)p->pt_part[a->widx[i]] == k &&
            !(d < border(a->win, a->whole, a->wx[i], a->wy[i])))
            *need = fmax(*need, unsure(d));
    }
    return CC_OK;
}

/* The largest snap distance of the owned facilities on variant v. */
static double owned_fac_snap(const cc_study *st, size_t v, const cc__part *out)
{
    double s = 0;
    for (size_t t = 0; t < st->n_types; t++)
        for (size_t j = 0; st->fac[t].variant == v && j < out->type[t].n_fac; j++)
            if (isfinite(out->type[t].fsnap[j].dist_m)) s = fmax(s, out->type[t].fsnap[j].dist_m);
    return s;
}

/* Window and snaps of variant v for part k: the halo is reach + the owned facilities' largest
   snap + twice demand_max_snap_m; grown and redone until every owned snap is provably global
   (the window is the whole graph at worst). */
static cc_status part_window(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                             size_t v, uint32_t limit_ds, pv *a, cc__part *out)
{
    const cc_graph *g = st->vars[v].g;
    double reach = cc__halo_reach_m(g, limit_ds), dms = st->sc->network.demand_max_snap_m;
    double s = 0;
    for (;;) {
        double h = reach + s + 2 * dms;
        const double *c = &p->core[4 * k];
        a->win[0] = c[0] - h, a->win[1] = c[1] - h, a->win[2] = c[2] + h, a->win[3] = c[3] + h;
        cc_status rc = window_of(ctx, g, a->win, &a->w, &a->whole);
        if (!rc) rc = window_points(ctx, st, p, k, v, a);
        double need = 0;
        if (!rc) rc = snap_owned(ctx, st, p, k, v, a, out, &need);
        double sf = rc ? 0 : owned_fac_snap(st, v, out);
        if (rc || a->whole || (need == 0 && sf <= s && isfinite(h))) return rc;
        pv_free(a, g);
        s = fmax(fmax(sf, 2 * s + 1), need);
    }
}

/* Window snaps as the network stage leaves them: beyond demand_max_snap_m off the network;
   a point that is not owned and may snap differently on the whole graph (its snap reaches
   past the window's border) is left out: no route that matters reaches it (see the docs). */
static void settle_points(const cc_study *st, const cc__plan *p, size_t k, pv *a)
{
    double dms = st->sc->network.demand_max_snap_m;
    for (size_t i = 0; i < a->n_w; i++) {
        cc_snap *s = &a->wsnap[i];
        if (s->edge == CC_NONE) continue;
        if (s->dist_m > dms ||
            ((size_t)p->pt_part[a->widx[i]] != k && s->dist_m >= border(a->win, a->whole,
                                                                        a->wx[i], a->wy[i])))
            s->edge = CC_NONE;
    }
}

/* The catchments of type t's owned facilities over the window points, rows in global point
   indices (ascending within a facility, as the window keeps the global order). */
static cc_status route_type(cc_ctx *ctx, const cc_study *st, size_t t, uint32_t limit_ds,
                            const pv *a, cc__part_type *q)
{
    const cc_net_variant *var = &st->vars[st->fac[t].variant];
    cc_incidence *inc = NULL;
    cc_status rc = cc_route_catchments(ctx, a->w, var->prof, q->n_fac, q->fsnap, a->n_w, a->wsnap,
                                       limit_ds, &inc);
    if (rc) return rc;
    q->off = cc_malloc_array(ctx, q->n_fac + 1, sizeof *q->off);
    q->pt = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *q->pt);
    q->tds = cc_malloc_array(ctx, inc->n ? inc->n : 1, sizeof *q->tds);
    if (!q->off || !q->pt || !q->tds) rc = CC_ERR_NOMEM;
    for (size_t j = 0; !rc && j <= q->n_fac; j++)
        q->off[j] = inc->fac_off[j];
    for (size_t r = 0; !rc && r < inc->n; r++) {
        q->pt[r] = a->widx[inc->pt[r]];
        q->tds[r] = inc->time_ds[r];
    }
    for (size_t j = 0; !rc && j < q->n_fac; j++)
        if (q->fsnap[j].edge != CC_NONE) q->fsnap[j].edge = edge_global(a->w, q->fsnap[j].edge);
    cc_incidence_destroy(inc);
    return rc;
}

/* The owned points' snaps of variant v, edges in global ids. */
static cc_status keep_points(cc_ctx *ctx, const cc__plan *p, size_t k, const pv *a,
                             cc__part_var *pv_out)
{
    size_t n = p->n_pts[k];
    pv_out->pt = cc_malloc_array(ctx, n ? n : 1, sizeof *pv_out->pt);
    pv_out->snap = cc_malloc_array(ctx, n ? n : 1, sizeof *pv_out->snap);
    if (!pv_out->pt || !pv_out->snap) return CC_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < a->n_w && m < n; i++) {
        if ((size_t)p->pt_part[a->widx[i]] != k) continue;
        cc_snap s = a->wsnap[i];
        if (s.edge != CC_NONE) s.edge = edge_global(a->w, s.edge);
        pv_out->pt[m] = a->widx[i];
        pv_out->snap[m++] = s;
    }
    pv_out->n_pts = m;
    return CC_OK;
}

/* The owned facilities of every type, ascending. */
static cc_status owned_facilities(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                                  cc__part *out)
{
    for (size_t t = 0; t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        cc__part_type *q = &out->type[t];
        q->fac = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *q->fac);
        q->fsnap = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *q->fsnap);
        if (!q->fac || !q->fsnap) return CC_ERR_NOMEM;
        for (size_t j = 0; j < f->n; j++)
            if ((size_t)p->fac_part[t][j] == k) q->fac[q->n_fac++] = (uint32_t)j;
    }
    return CC_OK;
}

cc_status cc__part_compute(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                           uint32_t limit_ds, cc__part *out)
{
    memset(out, 0, sizeof *out);
    out->k = k;
    out->n_vars = st->n_vars;
    out->n_types = st->n_types;
    out->var = cc_calloc(ctx, st->n_vars ? st->n_vars : 1, sizeof *out->var);
    out->type = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *out->type);
    cc_status rc = out->var && out->type ? CC_OK : CC_ERR_NOMEM;
    if (!rc) rc = owned_facilities(ctx, st, p, k, out);
    double t0 = cc_now();
    for (size_t v = 0; !rc && v < st->n_vars; v++) {
        pv a;
        memset(&a, 0, sizeof a);
        rc = part_window(ctx, st, p, k, v, limit_ds, &a, out);
        if (!rc) settle_points(st, p, k, &a);
        for (size_t t = 0; !rc && t < st->n_types; t++)
            if (st->fac[t].variant == v) rc = route_type(ctx, st, t, limit_ds, &a, &out->type[t]);
        if (!rc) rc = keep_points(ctx, p, k, &a, &out->var[v]);
        pv_free(&a, st->vars[v].g);
    }
    out->route_s = cc_now() - t0;
    if (!rc) rc = cc_check_interrupt(ctx);
    return rc;
}
