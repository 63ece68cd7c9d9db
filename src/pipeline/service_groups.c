/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The service-groups stage (`service_groups:`, docs/scenario.md): for each group of facility
 * types, the people of its served demand groups within reach of ANY member type's facility
 * within that type's own threshold, by straight-line circle (the type's radius) and over the
 * network, for the whole area and per district. From the types' per-point results only (no
 * routing); sums run in point order, so they do not depend on the thread count.
 * service_groups.csv (src/report/service_groups.c) formats the rows.
 */
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <string.h>

/* within[i] = 1 when point i reaches a member of g (method m) within the member's threshold;
   returns 0 when a member lacks the method's results (network rows are then not made). */
static int mark_within(const cc_study *st, const cc_service_group *g, int m, unsigned char *within)
{
    size_t n = st->dem.n;
    memset(within, 0, n ? n : 1);
    for (size_t j = 0; j < g->n_types; j++) {
        const cc_fac_set *f = &st->fac[g->types[j]]; /* st->fac follows sc->facilities */
        if (m == 1 && !f->net_min) return 0;
        const double *v = m ? f->net_min : f->circle_m;
        double lim = m ? f->spec->threshold_min : f->radius_m;
        for (size_t i = 0; i < n; i++)
            if (isfinite(v[i]) && v[i] <= lim) within[i] = 1;
    }
    return 1;
}

/* Rows of one (group, method, demand group): the whole area, then each district. */
static void unit_rows(const cc_study *st, size_t s, int m, size_t grp, const unsigned char *within,
                      cc_sg_row *rows)
{
    size_t nd = st->n_districts, n = st->dem.n;
    const double *cnt = st->dem.count[grp];
    for (size_t u = 0; u <= nd; u++) {
        cc_sg_row *r = &rows[u];
        r->sgroup = s;
        r->group = grp;
        r->network = m;
        r->district = (int32_t)u - 1;
        r->population = r->within_reach = 0;
    }
    for (size_t i = 0; i < n; i++) {
        rows[0].population += cnt[i];
        if (within[i]) rows[0].within_reach += cnt[i];
        int32_t d = st->dem.district ? st->dem.district[i] : -1;
        if (d < 0 || (size_t)d >= nd) continue;
        rows[d + 1].population += cnt[i];
        if (within[i]) rows[d + 1].within_reach += cnt[i];
    }
    for (size_t u = 0; u <= nd; u++)
        rows[u].share = rows[u].population > 0 ? rows[u].within_reach / rows[u].population : NAN;
}

cc_status cc__study_service_groups(cc_ctx *ctx, cc_study *st)
{
    const cc_scenario *sc = st->sc;
    if (!sc->n_service_groups) return CC_OK;
    size_t nd = st->n_districts, cap = 0;
    for (size_t s = 0; s < sc->n_service_groups; s++)
        cap += sc->facilities[sc->service_groups[s].types[0]].n_serves * 2 * (nd + 1);
    st->sg_rows = cc_calloc(ctx, cap ? cap : 1, sizeof *st->sg_rows);
    unsigned char *within = cc_malloc(ctx, st->dem.n ? st->dem.n : 1);
    cc_status rc = st->sg_rows && within ? CC_OK : CC_ERR_NOMEM;
    size_t k = 0;
    for (size_t s = 0; !rc && s < sc->n_service_groups; s++) {
        const cc_service_group *g = &sc->service_groups[s];
        const cc_fac_set *f0 = &st->fac[g->types[0]];
        for (int m = 0; m < 2; m++) {
            if (!mark_within(st, g, m, within)) continue;
            for (size_t j = 0; j < f0->n_serves; j++) {
                unit_rows(st, s, m, f0->serves[j], within, st->sg_rows + k);
                k += nd + 1;
            }
        }
    }
    st->n_sg_rows = k;
    cc_free(within);
    return rc;
}
