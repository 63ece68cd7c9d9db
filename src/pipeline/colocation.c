/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The co-location stage (`colocation:`, docs/scenario.md): for each rule (from, to, max_min)
 * and each facility of `from`, the nearest facility of `to` over the network (one
 * multi-source search seeded at the `to` facilities on the `from` type's graph, through
 * cc_route_nearest) and the straight-line metres to it; without a network, the straight-line
 * nearest. colocation.csv (src/report/colocation.c) formats the rows.
 */
#include "carecircle/route.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <string.h>

/* Straight line: the nearest of b to each of a (ties to the lowest index). */
static void straight_nearest(const cc_fac_set *a, const cc_fac_set *b, cc_coloc_row *rows)
{
    for (size_t i = 0; i < a->n; i++) {
        double best = INFINITY;
        int32_t k = -1;
        for (size_t j = 0; j < b->n; j++) {
            double d = hypot(a->x[i] - b->x[j], a->y[i] - b->y[j]);
            if (d < best) {
                best = d;
                k = (int32_t)j;
            }
        }
        rows[i].to_fac = k;
    }
}

/* Network: b's facilities snapped on a's graph (b's own snaps when it routes on the same
   graph), one search from them to a's facilities. */
static cc_status network_nearest(cc_ctx *ctx, const cc_study *st, const cc_fac_set *a,
                                 const cc_fac_set *b, cc_coloc_row *rows)
{
    const cc_net_variant *var = &st->vars[a->variant];
    cc_snap *bs = (cc_snap *)b->fsnap, *own = NULL;
    uint32_t *tds = cc_malloc_array(ctx, a->n ? a->n : 1, sizeof *tds);
    int32_t *idx = cc_malloc_array(ctx, a->n ? a->n : 1, sizeof *idx);
    cc_status rc = tds && idx ? CC_OK : CC_ERR_NOMEM;
    if (!rc && b->variant != a->variant) {
        own = cc_malloc_array(ctx, b->n ? b->n : 1, sizeof *own);
        rc = own ? cc_route_snap(ctx, var->g, b->n, b->x, b->y, own) : CC_ERR_NOMEM;
        bs = own;
    }
    if (!rc)
        rc = cc_route_nearest(ctx, var->g, var->prof, b->n, bs, a->n, a->fsnap, UINT32_MAX, tds,
                              idx);
    for (size_t i = 0; !rc && i < a->n; i++) {
        rows[i].to_fac = idx[i];
        rows[i].minutes = idx[i] >= 0 ? tds[i] / 600.0 : NAN;
    }
    cc_free(own);
    cc_free(tds);
    cc_free(idx);
    return rc;
}

static cc_status rule_rows(cc_ctx *ctx, const cc_study *st, size_t r, cc_coloc_row *rows)
{
    const cc_colocation *co = &st->sc->colocation[r];
    /* st->fac follows sc->facilities (cc__load_facilities) */
    const cc_fac_set *a = &st->fac[co->from], *b = &st->fac[co->to];
    for (size_t i = 0; i < a->n; i++) {
        rows[i].rule = r;
        rows[i].from_fac = i;
        rows[i].to_fac = -1;
        rows[i].minutes = rows[i].metres = NAN;
    }
    int net = a->net_min && a->fsnap && b->fsnap && st->vars;
    cc_status rc = net ? network_nearest(ctx, st, a, b, rows) : CC_OK;
    if (!net) straight_nearest(a, b, rows);
    for (size_t i = 0; !rc && i < a->n; i++) {
        cc_coloc_row *w = &rows[i];
        if (w->to_fac < 0) continue;
        w->metres = hypot(a->x[i] - b->x[w->to_fac], a->y[i] - b->y[w->to_fac]);
        /* without a network: straight-line minutes at the from type's walking speed */
        double min = net ? w->minutes : w->metres / (a->speed_kmh * 1000.0 / 60.0);
        w->within = min <= co->max_min;
    }
    return rc;
}

cc_status cc__study_colocation(cc_ctx *ctx, cc_study *st)
{
    const cc_scenario *sc = st->sc;
    if (!sc->n_colocation) return CC_OK;
    size_t n = 0;
    for (size_t r = 0; r < sc->n_colocation; r++)
        n += st->fac[sc->colocation[r].from].n;
    st->coloc = cc_calloc(ctx, n ? n : 1, sizeof *st->coloc);
    if (!st->coloc) return CC_ERR_NOMEM;
    cc_status rc = CC_OK;
    size_t k = 0;
    for (size_t r = 0; !rc && r < sc->n_colocation; r++) {
        rc = rule_rows(ctx, st, r, st->coloc + k);
        k += st->fac[sc->colocation[r].from].n;
    }
    st->n_coloc = rc ? 0 : k;
    return rc;
}
