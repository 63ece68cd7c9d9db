/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One facility seeding for every search (issue 13.9): cc_route_facility_seeds gives the starts
 * cc_route_catchments and cc_route_nearest use, and cc_route_reach from them (what the service
 * areas draw) reaches every node at the time the routing gives a resident standing there.
 * The case that differed: a facility snapped onto the END of a one-way edge, so residents
 * arrive through that end node although the edge cannot be walked back to it.
 *
 *   D(0,100) ---- C(100,100)        A -> B one-way, the other three streets both ways,
 *      |              |             100 m each (900 ds at 4 km/h); the facility stands 5 m
 *   A(0,0)  ---->  B(100,0)  * F    beyond B and snaps to the end of A -> B (45 ds leg).
 */
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "cc_test.h"

#include <stdlib.h>

#define NONE UINT32_MAX

int main(void)
{
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    cc_ctx_set_threads(ctx, 2);
    cc_profile *prof = NULL;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &prof), CC_OK);
    double x[] = {0, 100, 100, 0}, y[] = {0, 0, 100, 100};
    uint32_t from[] = {0, 1, 2, 3}, to[] = {1, 2, 3, 0};
    uint32_t tf[] = {900, 900, 900, 900}, tb[] = {NONE, 900, 900, 900};
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, 4, x, y, 4, from, to, tf, tb, NULL, &g), CC_OK);
    if (!g) return cc_test_done();

    /* The facility: 5 m past B, level with A -> B; ties between A -> B and B -> C go to the
     * lower edge, so it sits at the very end (offset 100 m) of the one-way edge. */
    double fx = 103, fy = -4;
    cc_snap fac;
    CHECK_INT(cc_graph_snap(ctx, g, 1, &fx, &fy, &fac), CC_OK);
    CHECK_INT(fac.edge, 0);
    CHECK_NEAR(fac.offset_m, 100, 1e-9);
    CHECK_NEAR(fac.dist_m, 5, 1e-9);
    uint32_t leg = cc_route_leg_ds(prof, 5);
    CHECK_INT(leg, 45);

    /* Starts: A with the whole edge (900 + 45), B with the leg alone (it stands at B). */
    uint32_t sn[2], st[2];
    CHECK_INT(cc_route_facility_seeds(g, prof, &fac, 5000, sn, st), 2);
    CHECK_INT(sn[0], 0);
    CHECK_INT(st[0], 945);
    CHECK_INT(sn[1], 1);
    CHECK_INT(st[1], 45);
    /* A limit below a start leaves it out; an unsnapped facility has none. */
    CHECK_INT(cc_route_facility_seeds(g, prof, &fac, 500, sn, st), 1);
    CHECK_INT(sn[0], 1);
    cc_snap none = fac;
    none.edge = CC_NONE;
    CHECK_INT(cc_route_facility_seeds(g, prof, &none, 5000, sn, st), 0);

    /* The reached nodes and their times, as the service areas search. */
    uint32_t lim = 2000;
    size_t ns = cc_route_facility_seeds(g, prof, &fac, lim, sn, st);
    cc_reach_ws *ws = NULL;
    CHECK_INT(cc_reach_ws_create(ctx, g, &ws), CC_OK);
    size_t nr = 0;
    const uint32_t *rn = NULL, *rt = NULL;
    CHECK_INT(cc_route_reach(ctx, ws, 1, ns, sn, st, lim, &nr, &rn, &rt), CC_OK);
    uint32_t at[4] = {NONE, NONE, NONE, NONE};
    for (size_t k = 0; k < nr; k++)
        at[rn[k]] = rt[k];
    /* By hand: B is the facility's spot, C walks to B, A takes the one-way edge, D goes
     * through A or C (900 more). The old separate seeding started from A alone: B and C were
     * then 2700 + 945 and 1800 + 945 away, out of the service area. */
    CHECK_INT(nr, 4);
    CHECK_INT(at[0], 945);
    CHECK_INT(at[1], 45);
    CHECK_INT(at[2], 945);
    CHECK_INT(at[3], 1845);

    /* Residents standing at the four corners: catchments and nearest give the same times. */
    cc_snap pts[4];
    CHECK_INT(cc_graph_snap(ctx, g, 4, x, y, pts), CC_OK);
    cc_incidence *inc = NULL;
    CHECK_INT(cc_route_catchments(ctx, g, prof, 1, &fac, 4, pts, lim, &inc), CC_OK);
    uint32_t ct[4] = {NONE, NONE, NONE, NONE};
    for (size_t k = 0; inc && k < inc->n; k++)
        ct[inc->pt[k]] = inc->time_ds[k];
    uint32_t nt[4];
    int32_t nf[4];
    CHECK_INT(cc_route_nearest(ctx, g, prof, 1, &fac, 4, pts, lim, nt, nf), CC_OK);
    for (int v = 0; v < 4; v++) {
        CHECK_INT(ct[v], at[v]);
        CHECK_INT(nt[v], at[v]);
        CHECK_INT(nf[v], 0);
    }
    cc_incidence_destroy(inc);
    cc_reach_ws_destroy(ws);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
