/* SPDX-License-Identifier: Apache-2.0 */
/* analysis: nearest facility from the incidence list equals the multi-source search
 * (cc_route_nearest) on perturbed grids with one-way and slower-back streets, for any thread
 * count, also from rows assembled from two routings of parts of the facilities (a variant's
 * reuse); ties, points without rows and bad input by hand. */
#include "carecircle/analysis.h"
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "cc_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/*
 * What a variant that keeps some facilities does (src/pipeline/variant_reuse.c): the kept
 * facilities' rows come from another routing (the baseline's, here the even facilities in
 * reverse order), the others' from a routing of just them; assembled in facility order they
 * are the full routing's rows, and the nearest facility from them is the multi-source
 * search's, ties included.
 */
static void assembled_case(cc_ctx *ctx, const cc_graph *g, const cc_profile *prof, size_t n_fac,
                           const cc_snap *fac, size_t n_pts, const cc_snap *pts, uint32_t limit,
                           const cc_incidence *full, const uint32_t *t_ref, const int32_t *f_ref)
{
    size_t nb = (n_fac + 1) / 2, nn = n_fac / 2;
    cc_snap *bs = malloc(nb * sizeof *bs), *ns = malloc((nn ? nn : 1) * sizeof *ns);
    for (size_t k = 0; k < nb; k++)
        bs[k] = fac[2 * (nb - 1 - k)]; /* facility 2j is baseline facility nb - 1 - j */
    for (size_t k = 0; k < nn; k++)
        ns[k] = fac[2 * k + 1];
    cc_incidence *bi = NULL, *ni = NULL;
    CHECK_INT(cc_route_catchments(ctx, g, prof, nb, bs, n_pts, pts, limit, &bi), CC_OK);
    CHECK_INT(cc_route_catchments(ctx, g, prof, nn, ns, n_pts, pts, limit, &ni), CC_OK);
    size_t *off = malloc((n_fac + 1) * sizeof *off), rows = 0;
    uint32_t *pt = malloc((full->n + 1) * sizeof *pt), *tm = malloc((full->n + 1) * sizeof *tm);
    for (size_t j = 0; j < n_fac; j++) {
        const cc_incidence *src = j % 2 ? ni : bi;
        size_t s = j % 2 ? j / 2 : nb - 1 - j / 2, r0 = src->fac_off[s];
        size_t nr = src->fac_off[s + 1] - r0;
        off[j] = rows;
        CHECK(rows + nr <= full->n);
        if (rows + nr > full->n) break;
        memcpy(pt + rows, src->pt + r0, nr * sizeof *pt);
        memcpy(tm + rows, src->time_ds + r0, nr * sizeof *tm);
        rows += nr;
    }
    off[n_fac] = rows;
    CHECK_INT((long long)rows, (long long)full->n);
    CHECK(memcmp(off, full->fac_off, (n_fac + 1) * sizeof *off) == 0);
    CHECK(memcmp(pt, full->pt, rows * sizeof *pt) == 0);
    CHECK(memcmp(tm, full->time_ds, rows * sizeof *tm) == 0);
    cc_incidence as = {n_fac, off, pt, tm, rows};
    uint32_t *t = malloc(n_pts * sizeof *t);
    int32_t *f = malloc(n_pts * sizeof *f);
    CHECK_INT(cc_analysis_nearest(ctx, &as, n_pts, t, f), CC_OK);
    CHECK(memcmp(t, t_ref, n_pts * sizeof *t) == 0);
    CHECK(memcmp(f, f_ref, n_pts * sizeof *f) == 0);
    cc_incidence_destroy(bi);
    cc_incidence_destroy(ni);
    free(bs);
    free(ns);
    free(off);
    free(pt);
    free(tm);
    free(t);
    free(f);
}

static void grid_case(uint32_t w, uint32_t h, size_t n_fac, size_t n_pts, uint32_t limit,
                      size_t *reached_out)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_profile *prof;
    CHECK_INT(cc_profile_create(ctx, "walk", 0, &prof), CC_OK);
    uint32_t n = w * h, cap = 2 * n, m = 0;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *len = malloc(cap * sizeof *len);
    uint32_t *from = malloc(cap * sizeof *from), *to = malloc(cap * sizeof *to);
    uint32_t *tf = malloc(cap * sizeof *tf), *tb = malloc(cap * sizeof *tb);
    for (uint32_t v = 0; v < n; v++) {
        x[v] = (v % w) * 40.0 + rnd(600) / 100.0;
        y[v] = (v / w) * 40.0 + rnd(600) / 100.0;
    }
    for (uint32_t v = 0; v < n; v++) {
        uint32_t nb[2] = {v % w + 1 < w ? v + 1 : UINT32_MAX, v / w + 1 < h ? v + w : UINT32_MAX};
        for (int k = 0; k < 2; k++) {
            if (nb[k] == UINT32_MAX || rnd(12) == 0) continue;
            from[m] = v;
            to[m] = nb[k];
            len[m] = hypot(x[nb[k]] - x[v], y[nb[k]] - y[v]);
            uint32_t t = (uint32_t)lround(len[m] / (4.0 / 3.6) * 10.0);
            tf[m] = tb[m] = t;
            int kind = (int)rnd(8);
            if (kind == 0) tf[m] = UINT32_MAX;
            if (kind == 1) tb[m] = UINT32_MAX;
            if (kind == 2) tb[m] = 2 * t + 1;
            m++;
        }
    }
    cc_graph *g = NULL;
    CHECK_INT(cc_graph_from_arcs(ctx, n, x, y, m, from, to, tf, tb, len, &g), CC_OK);
    double W = (w - 1) * 40.0, H = (h - 1) * 40.0;
    double *px = malloc(n_pts * sizeof *px), *py = malloc(n_pts * sizeof *py);
    double *fx = malloc(n_fac * sizeof *fx), *fy = malloc(n_fac * sizeof *fy);
    for (size_t i = 0; i < n_pts; i++) {
        px[i] = rnd((uint32_t)W * 10) / 10.0;
        py[i] = rnd((uint32_t)H * 10) / 10.0;
    }
    for (size_t j = 0; j < n_fac; j++) {
        /* every third facility doubles the one before: equal times, ties to the lower index */
        fx[j] = j % 3 == 2 ? fx[j - 1] : rnd((uint32_t)W * 10) / 10.0;
        fy[j] = j % 3 == 2 ? fy[j - 1] : rnd((uint32_t)H * 10) / 10.0;
    }
    cc_snap *pts = malloc(n_pts * sizeof *pts), *fac = malloc(n_fac * sizeof *fac);
    CHECK_INT(cc_route_snap(ctx, g, n_pts, px, py, pts), CC_OK);
    CHECK_INT(cc_graph_snap(ctx, g, n_fac, fx, fy, fac), CC_OK);
    uint32_t *t_ref = malloc(n_pts * sizeof *t_ref), *t = malloc(n_pts * sizeof *t);
    int32_t *f_ref = malloc(n_pts * sizeof *f_ref), *f = malloc(n_pts * sizeof *f);
    CHECK_INT(cc_route_nearest(ctx, g, prof, n_fac, fac, n_pts, pts, limit, t_ref, f_ref), CC_OK);
    cc_incidence *inc = NULL;
    CHECK_INT(cc_route_catchments(ctx, g, prof, n_fac, fac, n_pts, pts, limit, &inc), CC_OK);
    size_t reached = 0, odd = 0;
    for (size_t i = 0; i < n_pts; i++) {
        reached += f_ref[i] >= 0;
        odd += f_ref[i] >= 0 && f_ref[i] % 3 == 2; /* a doubled facility never wins a tie */
    }
    CHECK_INT((long long)odd, 0);
    for (int threads = 1; threads <= 3; threads++) {
        cc_ctx_set_threads(ctx, threads);
        memset(t, 0xab, n_pts * sizeof *t);
        CHECK_INT(cc_analysis_nearest(ctx, inc, n_pts, t, f), CC_OK);
        CHECK(memcmp(t, t_ref, n_pts * sizeof *t) == 0);
        CHECK(memcmp(f, f_ref, n_pts * sizeof *f) == 0);
    }
    assembled_case(ctx, g, prof, n_fac, fac, n_pts, pts, limit, inc, t_ref, f_ref);
    /* a list made for fewer points is refused */
    CHECK_INT(cc_analysis_nearest(ctx, inc, n_pts / 2, t, f), CC_ERR_INVALID);
    CHECK(strstr(cc_ctx_message(ctx), "other demand points") != NULL);
    *reached_out = reached;
    cc_incidence_destroy(inc);
    free(t_ref);
    free(t);
    free(f_ref);
    free(f);
    free(pts);
    free(fac);
    free(px);
    free(py);
    free(fx);
    free(fy);
    free(x);
    free(y);
    free(len);
    free(from);
    free(to);
    free(tf);
    free(tb);
    cc_graph_destroy(g);
    cc_profile_destroy(prof);
    cc_ctx_destroy(ctx);
}

static void by_hand(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    /* facility 0 reaches points 0 (90 ds) and 2 (50); facility 1 reaches 0 (90) and 1 (10);
       facility 2 reaches nothing; point 3 has no row. */
    size_t off[4] = {0, 2, 4, 4};
    uint32_t pt[4] = {0, 2, 0, 1}, tm[4] = {90, 50, 90, 10};
    cc_incidence inc = {3, off, pt, tm, 4};
    uint32_t t[4];
    int32_t f[4];
    CHECK_INT(cc_analysis_nearest(ctx, &inc, 4, t, f), CC_OK);
    CHECK_INT(t[0], 90);
    CHECK_INT(f[0], 0); /* tie at 90 ds: the lower index */
    CHECK_INT(t[1], 10);
    CHECK_INT(f[1], 1);
    CHECK_INT(t[2], 50);
    CHECK_INT(f[2], 0);
    CHECK_INT(t[3], UINT32_MAX);
    CHECK_INT(f[3], -1);
    CHECK_INT(cc_analysis_nearest(ctx, NULL, 4, t, f), CC_ERR_INVALID);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    size_t r1 = 0, r2 = 0;
    by_hand();
    grid_case(30, 25, 40, 2000, 2400, &r1);   /* 4-minute limit: many points out of reach */
    grid_case(20, 20, 12, 1500, 100000, &r2); /* beyond every time */
    CHECK(r1 > 300 && r1 < 2000);
    CHECK(r2 > 1400);
    return cc_test_done();
}
