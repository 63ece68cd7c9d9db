/*
 * siting: exact maximal covering and p-median with GLPK's branch-and-cut (glp_intopt).
 * MCLP after Church & ReVelle (1974); p-median after ReVelle & Swain (1970), with the strong
 * linking rows x_ij <= y_j. For small and medium instances; the size guard points to greedy.
 */
#include "siting/siting_internal.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>

/* Solve the loaded MIP quietly; *optimal = 1 when proven optimal. CC_ERR_DATA when no
 * integer solution exists. */
static cc_status solve_mip(cc_ctx *ctx, glp_prob *lp, double time_limit_s, const char *what,
                           int *optimal)
{
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    if (time_limit_s > 0)
        parm.tm_lim = time_limit_s * 1000 > 2e9 ? 2000000000 : (int)(time_limit_s * 1000);
    int old = glp_term_out(GLP_OFF); /* library code never prints */
    int rc = glp_intopt(lp, &parm);
    glp_term_out(old);
    int ms = glp_mip_status(lp);
    *optimal = rc == 0 && ms == GLP_OPT;
    if (ms == GLP_OPT || ms == GLP_FEAS) return CC_OK;
    if (ms == GLP_NOFEAS || rc == GLP_ENOPFS || rc == GLP_ENODFS)
        return cc_error(ctx, CC_ERR_DATA, "siting: the %s model has no feasible solution", what);
    if (rc == GLP_ETMLIM)
        return cc_error(ctx, CC_ERR_DATA,
                        "siting: the %s solver found no solution within %g s; raise the time "
                        "limit or use the greedy mode",
                        what, time_limit_s);
    return cc_error(ctx, CC_ERR_INTERNAL, "siting: GLPK failed on the %s model (code %d)", what,
                    rc);
}

typedef struct nzbuf {
    int *ia, *ja;
    double *ar;
    size_t n;
} nzbuf;

static void nz_add(nzbuf *b, int i, int j, double v)
{
    b->n++;
    b->ia[b->n] = i;
    b->ja[b->n] = j;
    b->ar[b->n] = v;
}

static cc_status nz_alloc(cc_ctx *ctx, nzbuf *b, size_t n)
{
    b->n = 0;
    b->ia = cc_malloc_array(ctx, n + 1, sizeof *b->ia);
    b->ja = cc_malloc_array(ctx, n + 1, sizeof *b->ja);
    b->ar = cc_malloc_array(ctx, n + 1, sizeof *b->ar);
    return b->ia && b->ja && b->ar ? CC_OK : CC_ERR_NOMEM;
}

static void nz_free(nzbuf *b)
{
    cc_free(b->ia);
    cc_free(b->ja);
    cc_free(b->ar);
}

cc_status cc_siting_mclp_exact(cc_ctx *ctx, const cc_siting_input *in, size_t k,
                               double time_limit_s, cc_siting_result **out)
{
    cc_status st;
    double *resid = NULL, *resid2 = NULL, total = 0, base = 0;
    int32_t *zrow = NULL; /* point -> its z column (1-based), 0 = not in the model */
    uint8_t *chosen = NULL;
    nzbuf nz = {0};
    glp_prob *lp = NULL;
    cc_siting_result *res = NULL, *gr = NULL;
    *out = NULL;
    if ((st = cc__siting_check(ctx, in))) return st;
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac;
    if (in->cand_cap_pop)
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: the exact mode handles uncapacitated new sites only; drop the "
                        "site capacity or use the greedy mode");
    if (k == 0 || k > nc)
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: cannot open %zu sites out of %zu candidates (infeasible); set "
                        "the count to 1..%zu",
                        k, nc, nc);
    res = cc_calloc(ctx, 1, sizeof *res);
    if (!res) return CC_ERR_NOMEM;
    if ((st = cc__siting_residual(ctx, in, &resid, &total, &base))) goto fail;

    /* Coverage variables only for points with people left that some candidate reaches. */
    zrow = cc_calloc(ctx, in->n_pts ? in->n_pts : 1, sizeof *zrow);
    if (!zrow) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    size_t nzv = 0, nrow_nz = 0;
    for (size_t q = 0; q < c->n; q++)
        if (c->time_ds[q] <= in->limit_ds && resid[c->pt[q]] > 0) {
            nrow_nz++;
            if (!zrow[c->pt[q]]) zrow[c->pt[q]] = -1;
        }
    for (size_t i = 0; i < in->n_pts; i++)
        if (zrow[i]) zrow[i] = (int32_t)(nc + ++nzv);
    size_t total_nz = nc + nzv + nrow_nz;
    if (total_nz > CC_SITING_EXACT_MAX_NZ) {
        st = cc_error(ctx, CC_ERR_INVALID,
                      "siting: the exact model would have %zu nonzeros (limit %d: %zu "
                      "candidates, %zu points); use the greedy mode or fewer candidates",
                      total_nz, CC_SITING_EXACT_MAX_NZ, nc, nzv);
        goto fail;
    }
    if ((st = nz_alloc(ctx, &nz, total_nz))) goto fail;

    /* Columns 1..nc: y_j; nc+1..nc+nzv: z_i. Row 1: sum y = k; row 1+t: z - sum y <= 0. */
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_cols(lp, (int)(nc + nzv));
    for (size_t j = 1; j <= nc + nzv; j++) {
        glp_set_col_kind(lp, (int)j, GLP_BV);
    }
    glp_add_rows(lp, (int)(1 + nzv));
    glp_set_row_bnds(lp, 1, GLP_FX, (double)k, (double)k);
    for (size_t j = 0; j < nc; j++)
        nz_add(&nz, 1, (int)(j + 1), 1.0);
    for (size_t i = 0; i < in->n_pts; i++)
        if (zrow[i]) {
            int col = zrow[i], row = col - (int)nc + 1;
            glp_set_obj_coef(lp, col, resid[i]);
            glp_set_row_bnds(lp, row, GLP_UP, 0.0, 0.0);
            nz_add(&nz, row, col, 1.0);
        }
    for (size_t j = 0; j < nc; j++)
        for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
            if (c->time_ds[q] <= in->limit_ds && zrow[c->pt[q]] > 0)
                nz_add(&nz, zrow[c->pt[q]] - (int)nc + 1, (int)(j + 1), -1.0);
    glp_load_matrix(lp, (int)nz.n, nz.ia, nz.ja, nz.ar);
    if ((st = solve_mip(ctx, lp, time_limit_s, "maximal covering", &res->proven_optimal)))
        goto fail;
    res->optimum_pop = glp_mip_obj_val(lp);

    /* Rank the chosen sites by marginal gain within the set: the greedy restricted to them. */
    chosen = cc_calloc(ctx, nc, 1);
    if (!chosen) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    size_t nch = 0;
    for (size_t j = 0; j < nc; j++)
        if (glp_mip_col_val(lp, (int)(j + 1)) > 0.5) chosen[j] = 1, nch++;
    res->picks = cc_malloc_array(ctx, nch ? nch : 1, sizeof *res->picks);
    resid2 = cc_malloc_array(ctx, in->n_pts ? in->n_pts : 1, sizeof *resid2);
    if (!res->picks || !resid2) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    for (size_t i = 0; i < in->n_pts; i++)
        resid2[i] = resid[i];
    res->total_pop = total;
    res->base_pop = base;
    res->covered_pop = base;
    while (res->n_picks < nch) {
        size_t best = nc;
        double bestg = -1;
        for (size_t j = 0; j < nc; j++) {
            if (chosen[j] != 1) continue;
            double g = 0;
            for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
                if (c->time_ds[q] <= in->limit_ds) g += resid2[c->pt[q]];
            if (g > bestg) bestg = g, best = j;
        }
        chosen[best] = 2;
        for (size_t q = c->fac_off[best]; q < c->fac_off[best + 1]; q++)
            if (c->time_ds[q] <= in->limit_ds) resid2[c->pt[q]] = 0;
        cc_siting_pick *pk = &res->picks[res->n_picks++];
        pk->cand = (uint32_t)best;
        pk->gain_pop = pk->reach_pop = bestg;
        res->covered_pop += bestg;
        pk->cum_pop = res->covered_pop;
        pk->cum_share = total > 0 ? res->covered_pop / total : 0;
    }

    /* The greedy list with the same k, for its gap. */
    gr = cc_calloc(ctx, 1, sizeof *gr);
    if (!gr) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    cc_siting_opts go = {.k = k};
    if ((st = cc__siting_greedy_run(ctx, in, &go, resid, total, base, gr))) goto fail;
    res->greedy_pop = gr->covered_pop - gr->base_pop;
    res->greedy_gap =
        res->optimum_pop > 0 ? (res->optimum_pop - res->greedy_pop) / res->optimum_pop : 0;
    st = CC_OK;
    *out = res;
    res = NULL;
fail:
    if (lp) glp_delete_prob(lp);
    nz_free(&nz);
    cc_free(zrow);
    cc_free(chosen);
    cc_free(resid);
    cc_free(resid2);
    cc_siting_result_destroy(gr);
    cc_siting_result_destroy(res);
    return st;
}

void cc_siting_pmedian_destroy(cc_siting_pmedian *pm)
{
    if (!pm) return;
    cc_free(pm->sites);
    cc_free(pm->assign);
    cc_free(pm);
}

static int allowed(double c)
{
    return isfinite(c);
}

cc_status cc_siting_pmedian_exact(cc_ctx *ctx, size_t n_pts, size_t n_cand, const double *cost,
                                  const double *weight, size_t p, double time_limit_s,
                                  cc_siting_pmedian **out)
{
    cc_status st = CC_OK;
    nzbuf nz = {0};
    glp_prob *lp = NULL;
    cc_siting_pmedian *pm = NULL;
    *out = NULL;
    if (!cost || !weight || n_cand == 0)
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: p-median needs costs, weights and candidates");
    if (p == 0 || p > n_cand)
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: cannot open %zu sites out of %zu candidates (infeasible); set "
                        "p to 1..%zu",
                        p, n_cand, n_cand);
    size_t npairs = 0, nrows_pts = 0;
    double wsum = 0;
    for (size_t i = 0; i < n_pts; i++) {
        if (!(weight[i] >= 0) || isinf(weight[i]))
            return cc_error(ctx, CC_ERR_INVALID,
                            "siting: weight of point %zu is %g; it must be a finite number >= 0", i,
                            weight[i]);
        if (weight[i] == 0) continue;
        size_t d = 0;
        for (size_t j = 0; j < n_cand; j++) {
            double cij = cost[i * n_cand + j];
            if (allowed(cij) && cij < 0)
                return cc_error(ctx, CC_ERR_INVALID,
                                "siting: cost from point %zu to candidate %zu is negative (%g)", i,
                                j, cij);
            d += allowed(cij);
        }
        if (d == 0)
            return cc_error(ctx, CC_ERR_DATA,
                            "siting: point %zu (weight %g) reaches no candidate; give it a cost "
                            "or weight 0",
                            i, weight[i]);
        npairs += d;
        nrows_pts++;
        wsum += weight[i];
    }
    size_t total_nz = n_cand + 3 * npairs;
    if (total_nz > CC_SITING_EXACT_MAX_NZ)
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: the p-median model would have %zu nonzeros (limit %d); use "
                        "fewer points or candidates",
                        total_nz, CC_SITING_EXACT_MAX_NZ);
    pm = cc_calloc(ctx, 1, sizeof *pm);
    if (!pm) return CC_ERR_NOMEM;
    pm->p = p;
    pm->sites = cc_malloc_array(ctx, p, sizeof *pm->sites);
    pm->assign = cc_malloc_array(ctx, n_pts ? n_pts : 1, sizeof *pm->assign);
    if (!pm->sites || !pm->assign) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    if ((st = nz_alloc(ctx, &nz, total_nz))) goto fail;

    /* Columns 1..n_cand: y_j (binary); then x_ij in [0,1] per allowed pair. Rows: 1: sum y = p;
     * then one row sum_j x_ij = 1 per weighted point; then x_ij - y_j <= 0 per pair. */
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, (int)(n_cand + npairs));
    glp_add_rows(lp, (int)(1 + nrows_pts + npairs));
    glp_set_row_bnds(lp, 1, GLP_FX, (double)p, (double)p);
    for (size_t j = 0; j < n_cand; j++) {
        glp_set_col_kind(lp, (int)(j + 1), GLP_BV);
        nz_add(&nz, 1, (int)(j + 1), 1.0);
    }
    int col = (int)n_cand, arow = 1, lrow = (int)(1 + nrows_pts);
    for (size_t i = 0; i < n_pts; i++) {
        if (weight[i] == 0) continue;
        arow++;
        glp_set_row_bnds(lp, arow, GLP_FX, 1.0, 1.0);
        for (size_t j = 0; j < n_cand; j++) {
            double cij = cost[i * n_cand + j];
            if (!allowed(cij)) continue;
            col++;
            lrow++;
            glp_set_col_bnds(lp, col, GLP_DB, 0.0, 1.0);
            glp_set_obj_coef(lp, col, weight[i] * cij);
            nz_add(&nz, arow, col, 1.0);
            glp_set_row_bnds(lp, lrow, GLP_UP, 0.0, 0.0);
            nz_add(&nz, lrow, col, 1.0);
            nz_add(&nz, lrow, (int)(j + 1), -1.0);
        }
    }
    glp_load_matrix(lp, (int)nz.n, nz.ia, nz.ja, nz.ar);
    if ((st = solve_mip(ctx, lp, time_limit_s, "p-median", &pm->proven_optimal))) goto fail;

    size_t ns = 0;
    for (size_t j = 0; j < n_cand && ns < p; j++)
        if (glp_mip_col_val(lp, (int)(j + 1)) > 0.5) pm->sites[ns++] = (uint32_t)j;
    if (ns != p) {
        st = cc_error(ctx, CC_ERR_INTERNAL, "siting: p-median solution opened %zu of %zu sites", ns,
                      p);
        goto fail;
    }
    /* Assign every point to its nearest open site (lowest index on ties) and recompute the
     * objective from the costs, so it does not carry solver round-off. */
    double obj = 0;
    for (size_t i = 0; i < n_pts; i++) {
        int32_t best = -1;
        double bc = INFINITY;
        for (size_t s = 0; s < p; s++) {
            double cij = cost[i * n_cand + pm->sites[s]];
            if (allowed(cij) && cij < bc) bc = cij, best = (int32_t)pm->sites[s];
        }
        pm->assign[i] = best;
        if (weight[i] > 0) {
            if (best < 0) {
                st =
                    cc_error(ctx, CC_ERR_INTERNAL, "siting: p-median left point %zu unassigned", i);
                goto fail;
            }
            obj += weight[i] * bc;
        }
    }
    pm->objective = obj;
    pm->mean_cost = wsum > 0 ? obj / wsum : 0;
    *out = pm;
    pm = NULL;
fail:
    if (lp) glp_delete_prob(lp);
    nz_free(&nz);
    cc_siting_pmedian_destroy(pm);
    return st;
}
