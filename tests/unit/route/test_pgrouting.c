/* SPDX-License-Identifier: Apache-2.0 */
/* route oracle: pgRouting's documentation graph and its documented pgr_drivingDistance rows
 * (tests/fixtures/pgrouting, CC BY-SA 3.0). Cost 1 = 10 ds; limits are inclusive. */
#include "carecircle/route.h"
#include "cc_test.h"

#include <stdlib.h>
#include <string.h>

#define NV 18 /* vertex ids 1..17; 0 is unused */
#define NE 18

static uint32_t efrom[NE], eto[NE];
static double ecost[NE], erev[NE];
static double vx[NV], vy[NV];

typedef struct row {
    char query[8];
    int directed, equicost, start, node;
    double agg;
} row;
static row rows[64];
static int nrows;

static FILE *open_fixture(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/pgrouting/%s", CC_FIXTURES, name);
    FILE *f = fopen(path, "r");
    if (!f) fprintf(stderr, "cannot open %s\n", path);
    return f;
}

static int load(void)
{
    char line[512];
    FILE *f = open_fixture("edges.csv");
    if (!f) return 0;
    int n = 0;
    fgets(line, sizeof line, f); /* header */
    while (fgets(line, sizeof line, f) && n < NE) {
        int id, s, t;
        double c, r;
        if (sscanf(line, "%d,%d,%d,%lf,%lf", &id, &s, &t, &c, &r) != 5) continue;
        efrom[id - 1] = (uint32_t)s;
        eto[id - 1] = (uint32_t)t;
        ecost[id - 1] = c;
        erev[id - 1] = r;
        n++;
    }
    fclose(f);
    CHECK_INT(n, 18);
    f = open_fixture("vertices.csv");
    if (!f) return 0;
    vx[0] = -100;
    vy[0] = -100; /* unused id 0: an isolated node far away */
    fgets(line, sizeof line, f);
    int nv = 0;
    while (fgets(line, sizeof line, f)) {
        int id;
        double x, y;
        if (sscanf(line, "%d,%lf,%lf", &id, &x, &y) != 3) continue;
        vx[id] = x;
        vy[id] = y;
        nv++;
    }
    fclose(f);
    CHECK_INT(nv, 17);
    f = open_fixture("expected_drivingDistance.csv");
    if (!f) return 0;
    fgets(line, sizeof line, f);
    while (fgets(line, sizeof line, f) && nrows < 64) {
        row *r = &rows[nrows];
        char d[8], e[8];
        int pred, edge;
        double cost;
        if (sscanf(line, "%7[^,],%7[^,],%7[^,],%d,%d,%d,%d,%lf,%lf", r->query, d, e, &r->start,
                   &r->node, &pred, &edge, &cost, &r->agg) != 9)
            continue;
        r->directed = strcmp(d, "true") == 0;
        r->equicost = strcmp(e, "true") == 0;
        nrows++;
    }
    fclose(f);
    CHECK_INT(nrows, 49);
    return 1;
}

static uint32_t ds(double c)
{
    return c < 0 ? CC_NONE : (uint32_t)(c * 10 + 0.5);
}

/* directed: cost/reverse_cost as given; undirected: each edge both ways at its cheapest cost.
 * reversed swaps the directions (times towards a facility). */
static cc_graph *make(cc_ctx *ctx, int directed, int reversed)
{
    uint32_t tf[NE], tb[NE];
    for (int i = 0; i < NE; i++) {
        tf[i] = ds(ecost[i]);
        tb[i] = ds(erev[i]);
        if (!directed) {
            uint32_t m = tf[i] < tb[i] ? tf[i] : tb[i];
            tf[i] = tb[i] = m;
        }
        if (reversed) {
            uint32_t t = tf[i];
            tf[i] = tb[i];
            tb[i] = t;
        }
    }
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, NV, vx, vy, NE, efrom, eto, tf, tb, NULL, &g), CC_OK);
    return g;
}

/* Compare node labels with the rows of one query (and one start unless equicost). */
static void compare(const char *q, int start, int src_index, const uint32_t *dist,
                    const int32_t *owner)
{
    int expected = 0, reached = 0;
    for (int i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        if (strcmp(r->query, q) != 0) continue;
        if (!r->equicost && r->start != start) continue;
        if (r->equicost && r->start != start) continue;
        expected++;
        CHECK_INT(dist[r->node], ds(r->agg));
        if (owner) CHECK_INT(owner[r->node], src_index);
    }
    for (int v = 0; v < NV; v++)
        if (dist[v] != CC_NONE && (!owner || owner[v] == src_index)) reached++;
    CHECK_INT(reached, expected);
}

static void test_nodes(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    uint32_t dist[NV];
    int32_t owner[NV];
    /* q5: directed from 11, limit 3 */
    cc_graph *g = make(ctx, 1, 0);
    uint32_t s11 = 11, s2[] = {11, 16};
    CHECK_INT(cc_route_nodes(ctx, g, 0, 1, &s11, NULL, 30, dist, owner), CC_OK);
    compare("q5", 11, 0, dist, NULL);
    CHECK_INT(dist[11], 0);
    CHECK_INT(dist[2], CC_NONE);
    /* a limit of 2.9 drops the rows at 3 */
    CHECK_INT(cc_route_nodes(ctx, g, 0, 1, &s11, NULL, 29, dist, owner), CC_OK);
    CHECK_INT(dist[1], CC_NONE);
    CHECK_INT(dist[3], 20);
    /* q6: equicost from 11 and 16 */
    CHECK_INT(cc_route_nodes(ctx, g, 0, 2, s2, NULL, 30, dist, owner), CC_OK);
    compare("q6", 11, 0, dist, owner);
    compare("q6", 16, 1, dist, owner);
    /* reverse = 1 on the reversed graph is the same search */
    cc_graph *gr = make(ctx, 1, 1);
    uint32_t dist2[NV];
    CHECK_INT(cc_route_nodes(ctx, gr, 1, 2, s2, NULL, 30, dist2, NULL), CC_OK);
    CHECK(memcmp(dist, dist2, sizeof dist) == 0);
    cc_graph_destroy(gr);
    cc_graph_destroy(g);
    /* q10: undirected, one search per start */
    g = make(ctx, 0, 0);
    CHECK_INT(cc_route_nodes(ctx, g, 0, 1, &s2[0], NULL, 30, dist, NULL), CC_OK);
    compare("q10", 11, 0, dist, NULL);
    CHECK_INT(cc_route_nodes(ctx, g, 0, 1, &s2[1], NULL, 30, dist, NULL), CC_OK);
    compare("q10", 16, 0, dist, NULL);
    uint32_t bad = 99;
    CHECK_INT(cc_route_nodes(ctx, g, 0, 1, &bad, NULL, 30, dist, NULL), CC_ERR_INVALID);
    cc_graph_destroy(g);
    cc_ctx_destroy(ctx);
}

/* The same answers through the point-level API: points at every vertex, facilities at 11
 * and 16, on the reversed graph (times towards the facility = times from the start). */
static void test_points(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *p;
    cc_profile_create(ctx, "walk", 0, &p);
    cc_graph *g = make(ctx, 1, 1);
    double px[NV - 1], py[NV - 1];
    for (int v = 1; v < NV; v++) {
        px[v - 1] = vx[v];
        py[v - 1] = vy[v];
    }
    cc_snap pts[NV - 1], fac[2];
    CHECK_INT(cc_graph_snap(ctx, g, NV - 1, px, py, pts), CC_OK);
    for (int i = 0; i < NV - 1; i++)
        CHECK_NEAR(pts[i].dist_m, 0, 1e-12);
    fac[0] = pts[11 - 1];
    fac[1] = pts[16 - 1];
    cc_incidence *inc = NULL;
    CHECK_INT(cc_route_catchments(ctx, g, p, 2, fac, NV - 1, pts, 30, &inc), CC_OK);
    uint32_t dist[NV];
    for (int f = 0; f < 2; f++) {
        for (int v = 0; v < NV; v++)
            dist[v] = CC_NONE;
        for (size_t k = inc->fac_off[f]; k < inc->fac_off[f + 1]; k++) {
            dist[inc->pt[k] + 1] = inc->time_ds[k];
            if (k > inc->fac_off[f]) CHECK(inc->pt[k] > inc->pt[k - 1]);
        }
        if (f == 0) compare("q5", 11, 0, dist, NULL);
        /* facility 16 alone, directed: its ball must contain q6's rows for 16 */
        if (f == 1) {
            CHECK_INT(dist[16], 0);
            CHECK_INT(dist[15], 10);
            CHECK_INT(dist[10], 20);
        }
    }
    CHECK_INT(inc->n_fac, 2);
    CHECK_INT(inc->fac_off[1], 13);
    cc_incidence_destroy(inc);
    uint32_t t[NV - 1];
    int32_t fo[NV - 1];
    CHECK_INT(cc_route_nearest(ctx, g, p, 2, fac, NV - 1, pts, 30, t, fo), CC_OK);
    int32_t owner[NV];
    for (int v = 1; v < NV; v++) {
        dist[v] = t[v - 1];
        owner[v] = fo[v - 1];
    }
    dist[0] = CC_NONE;
    owner[0] = -1;
    compare("q6", 11, 0, dist, owner);
    compare("q6", 16, 1, dist, owner);
    cc_graph_destroy(g);
    cc_profile_destroy(p);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    if (!load()) {
        CHECK(0);
        return cc_test_done();
    }
    test_nodes();
    test_points();
    return cc_test_done();
}
