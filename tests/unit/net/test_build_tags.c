/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net: the graph build works out each line's profile rule and edge flags once per distinct
 * combination of tag values. With thousands of disjoint lines drawn from a pool of values
 * (repeated, absent, empty, lists, hundreds of maxspeed values so the table grows several
 * times) every edge must still carry exactly what the line's own tags give: the times from
 * cc_profile_rule, the highway class, the bridge/tunnel no-snap flag, the source line.
 */
#include "carecircle/net.h"
#include "cc_test.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_LINES 6000

static const char *const hw_pool[] = {
    "residential", "footway",       "primary", "motorway", "trunk", "steps",
    "service",     "footway;steps", "",        NULL,       "track", "cycleway"};
static const char *const foot_pool[] = {NULL, "yes", "no", "designated", NULL, NULL};
static const char *const access_pool[] = {NULL, NULL, "private", "no", "yes"};
static const char *const sidewalk_pool[] = {NULL, "both", NULL, "no"};
static const char *const oneway_pool[] = {NULL, "yes", "-1", NULL, "no", "1"};
static const char *const bridge_pool[] = {NULL, "yes", NULL, "no", ""};
static const char *const tunnel_pool[] = {NULL, NULL, "yes", "building_passage", "no"};

/* What the build must make of a line's bridge / tunnel tags. */
static int expect_nosnap(const char *bridge, const char *tunnel)
{
    int b = bridge && *bridge && strcmp(bridge, "no") != 0;
    int t =
        tunnel && *tunnel && strcmp(tunnel, "no") != 0 && strcmp(tunnel, "building_passage") != 0;
    return b || t;
}

static void run_mode(const char *mode)
{
    cc_ctx *ctx = NULL;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    /* One two-vertex line per row of a grid: no line touches another. */
    size_t *coord = malloc((N_LINES + 1) * sizeof *coord);
    double *x = malloc(2 * N_LINES * sizeof *x), *y = malloc(2 * N_LINES * sizeof *y);
    const char **hw = malloc(N_LINES * sizeof *hw), **foot = malloc(N_LINES * sizeof *foot),
               **access = malloc(N_LINES * sizeof *access),
               **sidewalk = malloc(N_LINES * sizeof *sidewalk),
               **oneway = malloc(N_LINES * sizeof *oneway),
               **bridge = malloc(N_LINES * sizeof *bridge),
               **tunnel = malloc(N_LINES * sizeof *tunnel),
               **maxspeed = malloc(N_LINES * sizeof *maxspeed);
    int64_t *lid = malloc(N_LINES * sizeof *lid);
    char(*ms)[16] = malloc(N_LINES * sizeof *ms);
    for (size_t l = 0; l < N_LINES; l++) {
        coord[l] = 2 * l;
        double x0 = (double)(l % 80) * 50, y0 = (double)(l / 80) * 50;
        x[2 * l] = x0;
        y[2 * l] = y0;
        x[2 * l + 1] = x0 + 10 + (double)(l % 7);
        y[2 * l + 1] = y0 + (double)(l % 5);
        /* copies of the pool strings: equal values at different addresses */
        hw[l] = hw_pool[(l * 7) % 12] ? strdup(hw_pool[(l * 7) % 12]) : NULL;
        foot[l] = foot_pool[(l / 3) % 6];
        access[l] = access_pool[(l / 5) % 5];
        sidewalk[l] = sidewalk_pool[(l / 2) % 4];
        oneway[l] = oneway_pool[(l / 7) % 6];
        bridge[l] = bridge_pool[(l / 11) % 5];
        tunnel[l] = tunnel_pool[(l / 13) % 5];
        if (l % 4 == 0) {
            maxspeed[l] = NULL;
        } else {
            snprintf(ms[l], sizeof ms[l], l % 4 == 1 ? "%zu" : "%zu mph", 5 + l % 250);
            maxspeed[l] = ms[l];
        }
        lid[l] = 1000 + (int64_t)l;
    }
    coord[N_LINES] = 2 * N_LINES;
    cc_net_input in = {N_LINES, coord,    x,      y,      lid,    hw,      foot,
                       access,  sidewalk, oneway, bridge, tunnel, maxspeed};
    cc_profile *prof = NULL;
    CHECK_INT(cc_profile_create(ctx, mode, 0, &prof), CC_OK);
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_build(ctx, &in, prof, 0, &g), CC_OK);
    size_t allowed = 0;
    for (size_t l = 0; l < N_LINES; l++) {
        cc_line_rule r;
        cc_profile_rule(prof, hw[l], foot[l], access[l], sidewalk[l], oneway[l], maxspeed[l], &r);
        allowed += r.forward || r.backward;
    }
    CHECK(allowed > N_LINES / 4 && allowed < N_LINES);
    CHECK_INT(cc_graph_edge_count(g), allowed);
    size_t bad_time = 0, bad_hw = 0, bad_snap = 0, seen = 0;
    unsigned char *hit = calloc(N_LINES, 1);
    for (uint32_t e = 0; g && e < cc_graph_edge_count(g); e++) {
        cc_edge_info ei;
        cc_graph_edge(g, e, &ei);
        size_t l = (size_t)(ei.line_id - 1000);
        if (l >= N_LINES || hit[l]) {
            bad_time++;
            continue;
        }
        hit[l] = 1;
        seen++;
        cc_line_rule r;
        cc_profile_rule(prof, hw[l], foot[l], access[l], sidewalk[l], oneway[l], maxspeed[l], &r);
        double dx = x[2 * l + 1] - x[2 * l], dy = y[2 * l + 1] - y[2 * l];
        double len = sqrt(dx * dx + dy * dy); /* as the build measures it */
        uint32_t tf = r.forward ? cc_time_ds(len, r.speed_kmh, r.factor) : CC_NONE;
        uint32_t tb = r.backward ? cc_time_ds(len, r.speed_kmh, r.factor) : CC_NONE;
        /* the edge may run against the line (canonical node order) */
        int same_dir = ei.x[0] == x[2 * l] && ei.y[0] == y[2 * l];
        if ((same_dir ? ei.time_fwd_ds : ei.time_bwd_ds) != tf ||
            (same_dir ? ei.time_bwd_ds : ei.time_fwd_ds) != tb)
            bad_time++;
        const char *want_hw = hw[l] && *hw[l] ? hw[l] : NULL;
        if (!(want_hw ? ei.highway && strcmp(ei.highway, want_hw) == 0 : ei.highway == NULL))
            bad_hw++;
        if (ei.no_snap != expect_nosnap(bridge[l], tunnel[l])) bad_snap++;
    }
    CHECK_INT(seen, allowed);
    CHECK_INT(bad_time, 0);
    CHECK_INT(bad_hw, 0);
    CHECK_INT(bad_snap, 0);

    /* Out of memory anywhere in the build: CC_ERR_NOMEM and no graph, never a wrong one. */
    int ok = 0, nomem = 0, other = 0;
    for (long nth = 1; nth < 400 && !ok; nth++) {
        cc_graph *h = NULL;
        cc_ctx_set_alloc_fail(ctx, nth);
        cc_status st = cc_graph_build(ctx, &in, prof, 0, &h);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_OK) {
            ok = 1;
            CHECK_INT(cc_graph_edge_count(h), allowed);
        } else if (st == CC_ERR_NOMEM) {
            nomem++;
            CHECK(h == NULL);
        } else {
            other++;
        }
        cc_graph_destroy(h);
    }
    CHECK(ok);
    CHECK(nomem > 20);
    CHECK_INT(other, 0);

    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    for (size_t l = 0; l < N_LINES; l++)
        free((void *)hw[l]);
    free(hit);
    free(coord);
    free(x);
    free(y);
    free(hw);
    free(foot);
    free(access);
    free(sidewalk);
    free(oneway);
    free(bridge);
    free(tunnel);
    free(maxspeed);
    free(lid);
    free(ms);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    run_mode("walk");
    run_mode("drive");
    run_mode("bike");
    return cc_test_done();
}
