/*
 * siting: exact maximal covering and p-median with GLPK's branch-and-cut (glp_intopt).
 * MCLP after Church & ReVelle (1974); p-median after ReVelle & Swain (1970), with the strong
 * linking rows x_ij <= y_j. For small and medium instances; the size guard points to greedy.
 */
#include "siting/siting_internal.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

/* What a MIP solve gave: a solution (found), a proof (optimal), the best proven bound on the
 * objective (for a maximisation: an upper bound; NAN when none), and whether the time limit
 * stopped it. */
typedef struct mip_out {
    int found, optimal, timed_out;
    double bound;
} mip_out;

/* Bound of the best active subproblem, recorded while the branch-and-cut runs: for a
 * maximisation, the optimum is at most max(the smallest such bound seen, the final incumbent). */
typedef struct mip_cb {
    double node_bound;
    int maximise;
    clock_t start;  /* the solver's CPU time is what the limit counts (not the wall clock, */
    double limit_s; /* which a loaded machine stretches); 0 = none */
    int stopped;
} mip_cb;

static double cpu_s(clock_t since)
{
    return (double)(clock() - since) / CLOCKS_PER_SEC;
}

static void mip_callback(glp_tree *tree, void *info)
{
    mip_cb *d = info;
    if (d->limit_s > 0 && !d->stopped && cpu_s(d->start) >= d->limit_s) {
        d->stopped = 1;
        glp_ios_terminate(tree);
    }
    if (glp_ios_reason(tree) != GLP_ISELECT) return;
    int p = glp_ios_best_node(tree);
    if (!p) return;
    double b = glp_ios_node_bound(tree, p);
    if (isnan(d->node_bound) || (d->maximise ? b < d->node_bound : b > d->node_bound))
        d->node_bound = b;
}

static int ms_of(double s)
{
    return s * 1000 > 2e9 ? 2000000000 : s * 1000 < 1 ? 1 : (int)(s * 1000);
}

/* Solve the loaded MIP quietly: the LP relaxation first (its value is a proven bound), then
 * branch-and-cut from that basis. A time limit that stops the solver is not an error
 * (out->timed_out, maybe with a solution); no feasible solution at all is CC_ERR_DATA. */
static cc_status solve_mip(cc_ctx *ctx, glp_prob *lp, double time_limit_s, const char *what,
                           int need_bound, mip_out *out)
{
    clock_t c0 = clock();
    if (!need_bound) {
        /* GLPK's presolver on the whole MIP: faster on the large assignment models. */
        glp_iocp parm;
        glp_init_iocp(&parm);
        parm.presolve = GLP_ON;
        parm.msg_lev = GLP_MSG_OFF;
        mip_cb cb = {NAN, 0, c0, time_limit_s, 0};
        parm.cb_func = mip_callback;
        parm.cb_info = &cb;
        if (time_limit_s > 0) parm.tm_lim = ms_of(20 * time_limit_s + 60);
        int old = glp_term_out(GLP_OFF);
        int rc = glp_intopt(lp, &parm);
        glp_term_out(old);
        int ms = glp_mip_status(lp);
        out->optimal = rc == 0 && ms == GLP_OPT;
        out->found = ms == GLP_OPT || ms == GLP_FEAS;
        out->timed_out = rc == GLP_ETMLIM || rc == GLP_ESTOP;
        out->bound = out->optimal ? glp_mip_obj_val(lp) : NAN;
        if (out->found || out->timed_out) return CC_OK;
        if (ms == GLP_NOFEAS || rc == GLP_ENOPFS || rc == GLP_ENODFS)
            return cc_error(ctx, CC_ERR_DATA, "siting: the %s model has no feasible solution",
                            what);
        return cc_error(ctx, CC_ERR_INTERNAL, "siting: GLPK failed on the %s model (code %d)", what,
                        rc);
    }
    int maximise = glp_get_obj_dir(lp) == GLP_MAX;
    out->found = out->optimal = out->timed_out = 0;
    out->bound = NAN;
    int old = glp_term_out(GLP_OFF); /* library code never prints */
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.presolve = GLP_OFF;
    /* The relaxation's wall-clock guard is generous; its CPU time is checked after. */
    if (time_limit_s > 0) sp.tm_lim = ms_of(20 * time_limit_s + 60);
    int rc = glp_simplex(lp, &sp);
    int ls = glp_get_status(lp);
    if (rc == 0 && ls == GLP_OPT) out->bound = glp_get_obj_val(lp);
    if (rc == 0 && (ls == GLP_NOFEAS || ls == GLP_INFEAS)) {
        glp_term_out(old);
        return cc_error(ctx, CC_ERR_DATA, "siting: the %s model has no feasible solution", what);
    }
    double used = cpu_s(c0);
    if (rc == GLP_ETMLIM || ls != GLP_OPT || (time_limit_s > 0 && used >= time_limit_s)) {
        glp_term_out(old);
        if (ls != GLP_OPT && rc != GLP_ETMLIM && !(time_limit_s > 0 && used >= time_limit_s))
            return cc_error(ctx, CC_ERR_INTERNAL,
                            "siting: GLPK failed on the %s model's relaxation (code %d)", what, rc);
        out->timed_out = 1;
        return CC_OK;
    }
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_OFF; /* starts from the optimal relaxation above */
    parm.msg_lev = GLP_MSG_OFF;
    mip_cb cb = {NAN, maximise, c0, time_limit_s, 0};
    parm.cb_func = mip_callback;
    parm.cb_info = &cb;
    if (time_limit_s > 0) parm.tm_lim = ms_of(20 * time_limit_s + 60);
    rc = glp_intopt(lp, &parm);
    glp_term_out(old);
    int ms = glp_mip_status(lp);
    out->optimal = rc == 0 && ms == GLP_OPT;
    out->found = ms == GLP_OPT || ms == GLP_FEAS;
    out->timed_out = rc == GLP_ETMLIM || rc == GLP_ESTOP;
    if (out->optimal)
        out->bound = glp_mip_obj_val(lp);
    else if (!isnan(cb.node_bound)) {
        double b = cb.node_bound, inc = out->found ? glp_mip_obj_val(lp) : b;
        b = maximise ? (inc > b ? inc : b) : (inc < b ? inc : b);
        if (isnan(out->bound) || (maximise ? b < out->bound : b > out->bound)) out->bound = b;
    }
    if (out->found || out->timed_out) return CC_OK;
    if (ms == GLP_NOFEAS || rc == GLP_ENOPFS || rc == GLP_ENODFS)
        return cc_error(ctx, CC_ERR_DATA, "siting: the %s model has no feasible solution", what);
    return cc_error(ctx, CC_ERR_INTERNAL, "siting: GLPK failed on the %s model (code %d)", what,
                    rc);
}

static cc_status no_solution(cc_ctx *ctx, const char *what, double time_limit_s)
{
    return cc_error(ctx, CC_ERR_DATA,
                    "siting: the %s solver found no solution within %g s; raise the time limit "
                    "or use the greedy mode",
                    what, time_limit_s);
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

/* Rank a chosen set (chosen[j] = 1) and write it as picks. Uncapacitated: the greedy
 * restricted to the set (largest marginal gain first, lowest index on ties). Capacitated
 * (served != NULL): by the people each site serves in the solution, largest first. resid is
 * left as it was; reach_pop is the residual in reach after the earlier picks took theirs. */
static cc_status rank_set(cc_ctx *ctx, const cc_siting_input *in, const double *resid,
                          uint8_t *chosen, const double *served, cc_siting_result *res)
{
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac, nch = 0;
    for (size_t j = 0; j < nc; j++)
        nch += chosen[j] == 1;
    double *r2 = cc_malloc_array(ctx, in->n_pts ? in->n_pts : 1, sizeof *r2);
    res->picks = cc_malloc_array(ctx, nch ? nch : 1, sizeof *res->picks);
    if (!r2 || !res->picks) {
        cc_free(r2);
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < in->n_pts; i++)
        r2[i] = resid[i];
    res->n_picks = 0;
    res->covered_pop = res->base_pop;
    while (res->n_picks < nch) {
        size_t best = nc;
        double bestg = -1, bestr = 0;
        for (size_t j = 0; j < nc; j++) {
            if (chosen[j] != 1) continue;
            double r = 0;
            for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
                if (c->time_ds[q] <= in->limit_ds) r += r2[c->pt[q]];
            double g = served ? served[j] : r;
            if (g > bestg) bestg = g, bestr = r, best = j;
        }
        chosen[best] = 2;
        if (served) {
            /* Take the served people from the points nearest-first up to what the site serves
               (only for reach_pop of later picks; the gain is the solution's flow). */
            double left = bestg;
            for (size_t q = c->fac_off[best]; q < c->fac_off[best + 1] && left > 0; q++)
                if (c->time_ds[q] <= in->limit_ds) {
                    double t = r2[c->pt[q]] < left ? r2[c->pt[q]] : left;
                    r2[c->pt[q]] -= t;
                    left -= t;
                }
        } else {
            for (size_t q = c->fac_off[best]; q < c->fac_off[best + 1]; q++)
                if (c->time_ds[q] <= in->limit_ds) r2[c->pt[q]] = 0;
        }
        cc_siting_pick *pk = &res->picks[res->n_picks++];
        pk->cand = (uint32_t)best;
        pk->gain_pop = bestg;
        pk->reach_pop = bestr > bestg ? bestr : bestg;
        res->covered_pop += bestg;
        pk->cum_pop = res->covered_pop;
        pk->cum_share = res->total_pop > 0 ? res->covered_pop / res->total_pop : 0;
    }
    cc_free(r2);
    return CC_OK;
}

/* Capacitated: the greedy's own rule (nearest-first filling, largest gain first) restricted to
 * the chosen set. When it serves as many people as the solver's flow, its picks are the
 * ranking (the same figures the greedy mode would write, independent of which of the equal
 * flows GLPK returned); *ok = 0 otherwise, and res is untouched. */
static cc_status rank_greedy_set(cc_ctx *ctx, const cc_siting_input *in, const double *resid,
                                 const uint8_t *chosen, double optimum, cc_siting_result *res,
                                 int *ok)
{
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac, nch = 0, m = 0;
    *ok = 0;
    for (size_t j = 0; j < nc; j++)
        if (chosen[j]) nch++, m += c->fac_off[j + 1] - c->fac_off[j];
    cc_incidence sub = {nch, NULL, NULL, NULL, m};
    uint32_t *map = cc_malloc_array(ctx, nch ? nch : 1, sizeof *map);
    double *cap = cc_malloc_array(ctx, nch ? nch : 1, sizeof *cap);
    double *r2 = cc_malloc_array(ctx, in->n_pts ? in->n_pts : 1, sizeof *r2);
    sub.fac_off = cc_malloc_array(ctx, nch + 1, sizeof *sub.fac_off);
    sub.pt = cc_malloc_array(ctx, m ? m : 1, sizeof *sub.pt);
    sub.time_ds = cc_malloc_array(ctx, m ? m : 1, sizeof *sub.time_ds);
    cc_siting_result gr = {0};
    cc_status st = map && cap && r2 && sub.fac_off && sub.pt && sub.time_ds ? CC_OK : CC_ERR_NOMEM;
    if (!st) {
        size_t a = 0, o = 0;
        sub.fac_off[0] = 0;
        for (size_t j = 0; j < nc; j++) {
            if (!chosen[j]) continue;
            for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++, o++) {
                sub.pt[o] = c->pt[q];
                sub.time_ds[o] = c->time_ds[q];
            }
            map[a] = (uint32_t)j;
            cap[a] = cc__siting_cand_cap(in, j);
            sub.fac_off[++a] = o;
        }
        for (size_t i = 0; i < in->n_pts; i++)
            r2[i] = resid[i];
        cc_siting_input si = *in;
        si.cand = &sub;
        si.cand_cap_pop = cap;
        cc_siting_opts go = {.k = nch};
        st = cc__siting_greedy_run(ctx, &si, &go, r2, res->total_pop, res->base_pop, &gr);
    }
    if (!st && gr.n_picks == nch && gr.covered_pop - gr.base_pop >= optimum - 1e-6) {
        for (size_t t = 0; t < gr.n_picks; t++)
            gr.picks[t].cand = map[gr.picks[t].cand];
        res->picks = gr.picks;
        res->n_picks = gr.n_picks;
        res->covered_pop = gr.covered_pop;
        gr.picks = NULL;
        *ok = 1;
    }
    cc_free(gr.picks);
    cc_free(map);
    cc_free(cap);
    cc_free(r2);
    cc_free(sub.fac_off);
    cc_free(sub.pt);
    cc_free(sub.time_ds);
    return st;
}

/* The exact MCLP on a residual. soft = 1: a model over the size limit or a time limit without a
 * proof is not an error; res then has no picks and why = CC_SITING_WHY_SIZE / _TIME, with the
 * solver's bound in bound_pop when it has one. */
/* Uncapacitated model rows: columns nc+1..nc+npt are z_i (zcol[i]: point i's number 1..npt,
 * 0 when not in the model; turned into its column); row 1+t: z_i - sum_{j reaches i} y_j <= 0. */
static void model_cover(glp_prob *lp, nzbuf *nz, const cc_siting_input *in, size_t npt,
                        const double *resid, int32_t *zcol)
{
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac;
    glp_add_cols(lp, (int)npt);
    glp_add_rows(lp, (int)npt);
    for (size_t i = 0; i < in->n_pts; i++)
        if (zcol[i]) {
            int col = (int)nc + zcol[i], row = 1 + zcol[i];
            zcol[i] = col;
            glp_set_col_kind(lp, col, GLP_BV);
            glp_set_obj_coef(lp, col, resid[i]);
            glp_set_row_bnds(lp, row, GLP_UP, 0.0, 0.0);
            nz_add(nz, row, col, 1.0);
        }
    for (size_t j = 0; j < nc; j++)
        for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
            if (c->time_ds[q] <= in->limit_ds && zcol[c->pt[q]] > 0)
                nz_add(nz, zcol[c->pt[q]] - (int)nc + 1, (int)(j + 1), -1.0);
}

/* Capacitated model rows (prow[i]: point i's number 1..npt, 0 when not in the model; turned
 * into its row): rows 2..1+npt: sum_j x_ij <= w_i; rows 2+npt..1+npt+nc: sum_i x_ij - cap_j y_j
 * <= 0; then x_ij - w_i y_j <= 0 per pair. Columns nc+1..: x per pair, in incidence order. */
static void model_capacity(glp_prob *lp, nzbuf *nz, const cc_siting_input *in, size_t npt,
                           size_t npair, const double *resid, int32_t *prow)
{
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac;
    glp_add_rows(lp, (int)(npt + nc + npair));
    for (size_t i = 0; i < in->n_pts; i++)
        if (prow[i]) {
            prow[i] += 1;
            glp_set_row_bnds(lp, prow[i], GLP_UP, 0.0, resid[i]);
        }
    glp_add_cols(lp, (int)npair);
    int col = (int)nc, lrow = (int)(1 + npt + nc);
    for (size_t j = 0; j < nc; j++) {
        int srow = (int)(2 + npt + j);
        double reach = 0;
        for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
            if (c->time_ds[q] <= in->limit_ds && prow[c->pt[q]] > 0) {
                int i = (int)c->pt[q];
                reach += resid[i];
                col++;
                lrow++;
                glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
                glp_set_obj_coef(lp, col, 1.0);
                nz_add(nz, prow[i], col, 1.0);
                nz_add(nz, srow, col, 1.0);
                glp_set_row_bnds(lp, lrow, GLP_UP, 0.0, 0.0);
                nz_add(nz, lrow, col, 1.0);
                nz_add(nz, lrow, (int)(j + 1), -resid[i]);
            }
        double cj = cc__siting_cand_cap(in, j);
        if (!(cj < reach)) cj = reach; /* an unlimited site serves at most its reach */
        glp_set_row_bnds(lp, srow, GLP_UP, 0.0, 0.0);
        nz_add(nz, srow, (int)(j + 1), -cj);
    }
}

static cc_status mclp(cc_ctx *ctx, const cc_siting_input *in, size_t k, double time_limit_s,
                      int soft, const double *resid, const uint8_t *fix, cc_siting_result *res);

static int soft_fail(cc_siting_result *res, const cc_siting_result *ur)
{
    if (ur->why != CC_SITING_WHY_TIME) return 0;
    res->why = ur->why;
    res->bound_pop = ur->bound_pop;
    return 1;
}

/* Capacitated instances: the uncapacitated optimum is an upper bound, so when its set can
 * serve everyone it covers within the capacities (a flow with the sites fixed), that set is
 * optimal with capacities too, found without the harder model. *done = 1 then. */
static cc_status mclp_cap_shortcut(cc_ctx *ctx, const cc_siting_input *in, size_t k,
                                   double time_limit_s, const double *resid, cc_siting_result *res,
                                   int *done)
{
    *done = 0;
    cc_siting_input u = *in;
    u.cand_cap_pop = NULL;
    cc_siting_result ur = *res;
    ur.picks = NULL;
    clock_t c0 = clock();
    cc_status st = mclp(ctx, &u, k, time_limit_s, 1, resid, NULL, &ur);
    if (st || ur.method != CC_SITING_METHOD_EXACT) {
        /* Out of time (or size) already without capacities: its bound holds with them too. */
        cc_free(ur.picks);
        if (!st && soft_fail(res, &ur)) *done = 1;
        return st;
    }
    double left = time_limit_s > 0 ? time_limit_s - cpu_s(c0) : 0;
    if (time_limit_s > 0 && left <= 0) {
        cc_free(ur.picks);
        return CC_OK;
    }
    uint8_t *fix = cc_calloc(ctx, in->cand->n_fac ? in->cand->n_fac : 1, 1);
    if (!fix) {
        cc_free(ur.picks);
        return CC_ERR_NOMEM;
    }
    for (size_t t = 0; t < ur.n_picks; t++)
        fix[ur.picks[t].cand] = 1;
    double uopt = ur.optimum_pop;
    cc_free(ur.picks);
    cc_siting_result cr = *res;
    cr.picks = NULL;
    st = mclp(ctx, in, k, left, 1, resid, fix, &cr);
    cc_free(fix);
    if (!st && cr.method == CC_SITING_METHOD_EXACT && cr.optimum_pop >= uopt - 1e-6) {
        *res = cr;
        res->proven_optimal = 1;
        res->bound_pop = res->optimum_pop;
        *done = 1;
        return CC_OK;
    }
    cc_free(cr.picks);
    return st;
}

static cc_status mclp(cc_ctx *ctx, const cc_siting_input *in, size_t k, double time_limit_s,
                      int soft, const double *resid, const uint8_t *fix, cc_siting_result *res)
{
    cc_status st = CC_OK;
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac;
    int cap = in->cand_cap_pop != NULL;
    int32_t *zcol = NULL; /* uncapacitated: point -> its z column (1-based), 0 = not in the model */
    int32_t *prow = NULL; /* capacitated: point -> its row of sum_j x_ij <= w_i, 0 = none */
    uint8_t *chosen = NULL;
    double *served = NULL;
    nzbuf nz = {0};
    glp_prob *lp = NULL;
    res->bound_pop = NAN;
    if (cap && !fix) {
        int done = 0;
        clock_t c0 = clock();
        if ((st = mclp_cap_shortcut(ctx, in, k, time_limit_s, resid, res, &done)) || done)
            return st;
        /* The full model gets what the shortcut left of the limit (at least a moment, so
           that it still reports its LP bound or times out cleanly). */
        if (time_limit_s > 0) {
            time_limit_s -= cpu_s(c0);
            if (time_limit_s < 1e-9) time_limit_s = 1e-9;
        }
    }

    /* Pairs that matter: within the limit, to a point with people left. */
    size_t npair = 0, npt = 0;
    int32_t *mark = cc_calloc(ctx, in->n_pts ? in->n_pts : 1, sizeof *mark);
    if (!mark) return CC_ERR_NOMEM;
    for (size_t q = 0; q < c->n; q++)
        if (c->time_ds[q] <= in->limit_ds && resid[c->pt[q]] > 0) {
            npair++;
            if (!mark[c->pt[q]]) mark[c->pt[q]] = -1;
        }
    for (size_t i = 0; i < in->n_pts; i++)
        if (mark[i]) mark[i] = (int32_t)++npt;
    /* uncapacitated: nc (sum y) + npt (z) + npair (-y); capacitated: nc + npair (point rows)
       + npair + nc (site rows) + 2 npair (linking). */
    size_t total_nz = cap ? 2 * nc + 4 * npair : nc + npt + npair;
    if (total_nz > CC_SITING_EXACT_MAX_NZ) {
        cc_free(mark);
        if (soft) {
            res->why = CC_SITING_WHY_SIZE;
            return CC_OK;
        }
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: the exact model would have %zu nonzeros (limit %d: %zu "
                        "candidates, %zu points); use the greedy mode or fewer candidates",
                        total_nz, CC_SITING_EXACT_MAX_NZ, nc, npt);
    }
    if ((st = nz_alloc(ctx, &nz, total_nz))) goto fail;
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_cols(lp, (int)nc);
    glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, 1, GLP_FX, (double)k, (double)k);
    for (size_t j = 0; j < nc; j++) {
        glp_set_col_kind(lp, (int)(j + 1), GLP_BV);
        if (fix) glp_set_col_bnds(lp, (int)(j + 1), GLP_FX, fix[j], fix[j]);
        nz_add(&nz, 1, (int)(j + 1), 1.0);
    }
    if (!cap) {
        zcol = mark;
        mark = NULL;
        model_cover(lp, &nz, in, npt, resid, zcol);
    } else {
        prow = mark;
        mark = NULL;
        model_capacity(lp, &nz, in, npt, npair, resid, prow);
    }
    glp_load_matrix(lp, (int)nz.n, nz.ia, nz.ja, nz.ar);
    mip_out mo;
    if ((st = solve_mip(ctx, lp, time_limit_s, "maximal covering", 1, &mo))) goto fail;
    res->bound_pop = mo.bound;
    if (!mo.optimal && soft) {
        res->why = CC_SITING_WHY_TIME;
        goto fail; /* st is CC_OK: no picks, the bound only */
    }
    if (!mo.found) {
        st = no_solution(ctx, "maximal covering", time_limit_s);
        goto fail;
    }
    res->proven_optimal = mo.optimal;
    res->optimum_pop = glp_mip_obj_val(lp);
    chosen = cc_calloc(ctx, nc ? nc : 1, 1);
    served = cap ? cc_calloc(ctx, nc ? nc : 1, sizeof *served) : NULL;
    if (!chosen || (cap && !served)) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    for (size_t j = 0; j < nc; j++)
        if (glp_mip_col_val(lp, (int)(j + 1)) > 0.5) chosen[j] = 1;
    if (cap) {
        int col = (int)nc;
        for (size_t j = 0; j < nc; j++)
            for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
                if (c->time_ds[q] <= in->limit_ds && prow[c->pt[q]] > 0) {
                    double x = glp_mip_col_val(lp, ++col);
                    if (chosen[j] && x > 0) served[j] += x;
                }
        /* The solver's flow to 1e-9 people: the same digits on every machine. */
        for (size_t j = 0; j < nc; j++)
            served[j] = round(served[j] * 1e9) / 1e9;
    }
    int ranked = 0;
    if (cap && (st = rank_greedy_set(ctx, in, resid, chosen, res->optimum_pop, res, &ranked)))
        goto fail;
    if (!ranked && (st = rank_set(ctx, in, resid, chosen, served, res))) goto fail;
    res->optimum_pop = res->covered_pop - res->base_pop; /* from the picks: no solver round-off */
    if (mo.optimal) res->bound_pop = res->optimum_pop;
    res->method = CC_SITING_METHOD_EXACT;
fail:
    if (lp) glp_delete_prob(lp);
    nz_free(&nz);
    cc_free(mark);
    cc_free(zcol);
    cc_free(prow);
    cc_free(chosen);
    cc_free(served);
    return st;
}

/* Sum of the k largest single-site gains min(cap_j, residual in reach): a proven upper bound
 * on what any k sites add (coverage, also with capacities, is subadditive). */
static double topk_bound(const cc_siting_input *in, const double *resid, size_t k, double *g)
{
    const cc_incidence *c = in->cand;
    size_t nc = c->n_fac;
    for (size_t j = 0; j < nc; j++) {
        double r = 0;
        for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
            if (c->time_ds[q] <= in->limit_ds) r += resid[c->pt[q]];
        double cj = cc__siting_cand_cap(in, j);
        g[j] = r < cj ? r : cj;
    }
    double s = 0;
    /* Partial selection: k passes over nc (k is small next to the candidates). */
    for (size_t t = 0; t < k && t < nc; t++) {
        size_t b = 0;
        for (size_t j = 1; j < nc; j++)
            if (g[j] > g[b]) b = j;
        s += g[b];
        g[b] = -1;
    }
    return s;
}

/* Proven bound of a greedy list res (uncapacitated also Nemhauser-Wolsey-Fisher's
 * f(S) + the k largest gains left after S). */
static cc_status greedy_bound(cc_ctx *ctx, const cc_siting_input *in, const double *resid,
                              const cc_siting_result *res, double *bound)
{
    size_t k = res->n_picks, nc = in->cand->n_fac;
    double *g = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g);
    double *r2 = cc_malloc_array(ctx, in->n_pts ? in->n_pts : 1, sizeof *r2);
    if (!g || !r2) {
        cc_free(g);
        cc_free(r2);
        return CC_ERR_NOMEM;
    }
    double b = topk_bound(in, resid, k, g);
    if (!in->cand_cap_pop) {
        const cc_incidence *c = in->cand;
        for (size_t i = 0; i < in->n_pts; i++)
            r2[i] = resid[i];
        for (size_t t = 0; t < k; t++) {
            size_t j = res->picks[t].cand;
            for (size_t q = c->fac_off[j]; q < c->fac_off[j + 1]; q++)
                if (c->time_ds[q] <= in->limit_ds) r2[c->pt[q]] = 0;
        }
        double b2 = (res->covered_pop - res->base_pop) + topk_bound(in, r2, k, g);
        if (b2 < b) b = b2;
    }
    cc_free(g);
    cc_free(r2);
    *bound = b;
    return CC_OK;
}

cc_status cc_siting_mclp_exact(cc_ctx *ctx, const cc_siting_input *in, size_t k,
                               double time_limit_s, cc_siting_result **out)
{
    cc_status st;
    double *resid = NULL, total = 0, base = 0;
    cc_siting_result *res = NULL, *gr = NULL;
    *out = NULL;
    if ((st = cc__siting_check(ctx, in))) return st;
    size_t nc = in->cand->n_fac;
    if (k == 0 || k > nc)
        return cc_error(ctx, CC_ERR_INVALID,
                        "siting: cannot open %zu sites out of %zu candidates (infeasible); set "
                        "the count to 1..%zu",
                        k, nc, nc);
    res = cc_calloc(ctx, 1, sizeof *res);
    gr = cc_calloc(ctx, 1, sizeof *gr);
    if (!res || !gr) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    if ((st = cc__siting_residual(ctx, in, &resid, &total, &base))) goto fail;
    res->total_pop = total;
    res->base_pop = base;
    res->covered_pop = base;
    if ((st = mclp(ctx, in, k, time_limit_s, 0, resid, NULL, res))) goto fail;
    res->bound_gap = 0;
    if (!res->proven_optimal && res->bound_pop > 0)
        res->bound_gap = (res->bound_pop - res->optimum_pop) / res->bound_pop;

    /* The greedy list with the same k, for its gap. */
    cc_siting_opts go = {.k = k};
    if ((st = cc__siting_greedy_run(ctx, in, &go, resid, total, base, gr))) goto fail;
    res->greedy_pop = gr->covered_pop - gr->base_pop;
    res->greedy_gap =
        res->optimum_pop > 0 ? (res->optimum_pop - res->greedy_pop) / res->optimum_pop : 0;
    *out = res;
    res = NULL;
fail:
    cc_free(resid);
    cc_siting_result_destroy(gr);
    cc_siting_result_destroy(res);
    return st;
}

cc_status cc_siting_solve(cc_ctx *ctx, const cc_siting_input *in, const cc_siting_opts *opts,
                          cc_siting_exact_mode mode, double time_limit_s, cc_siting_result **out)
{
    cc_status st;
    double *r0 = NULL, total = 0, base = 0;
    cc_siting_result *gr = NULL, *ex = NULL;
    *out = NULL;
    if ((st = cc_siting_greedy(ctx, in, opts, &gr))) return st;
    ex = cc_calloc(ctx, 1, sizeof *ex);
    if (!ex) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    if ((st = cc__siting_residual(ctx, in, &r0, &total, &base))) goto fail;
    gr->method = CC_SITING_METHOD_GREEDY;
    size_t k = gr->n_picks;
    double gval = gr->covered_pop - gr->base_pop;
    if ((st = greedy_bound(ctx, in, r0, gr, &gr->bound_pop))) goto fail;
    gr->why = mode == CC_SITING_EXACT_NO ? CC_SITING_WHY_ASKED : CC_SITING_WHY_EMPTY;
    if (mode != CC_SITING_EXACT_NO && k > 0) {
        ex->total_pop = total;
        ex->base_pop = base;
        ex->covered_pop = base;
        if ((st = mclp(ctx, in, k, time_limit_s, 1, r0, NULL, ex))) goto fail;
        if (ex->method == CC_SITING_METHOD_EXACT) {
            /* Proven optimal: the planner's list. */
            ex->greedy_pop = gval;
            ex->greedy_gap = ex->optimum_pop > 0 ? (ex->optimum_pop - gval) / ex->optimum_pop : 0;
            ex->bound_gap = 0;
            ex->why = CC_SITING_WHY_NONE;
            ex->target_reached = opts->target_share > 0 && ex->total_pop > 0 &&
                                 ex->covered_pop / ex->total_pop >= opts->target_share - 1e-12;
            *out = ex;
            ex = NULL;
            goto fail; /* st is CC_OK */
        }
        gr->why = ex->why;
        if (ex->bound_pop < gr->bound_pop) gr->bound_pop = ex->bound_pop;
        if (mode == CC_SITING_EXACT_YES) {
            st = ex->why == CC_SITING_WHY_SIZE
                     ? cc_error(ctx, CC_ERR_DATA,
                                "siting: exact: yes, but the model is too large for the solver "
                                "(over %d nonzeros); use exact: auto for the greedy list with a "
                                "bound, or fewer candidates",
                                CC_SITING_EXACT_MAX_NZ)
                     : cc_error(ctx, CC_ERR_DATA,
                                "siting: exact: yes, but the solver did not prove optimality "
                                "within %g s; raise exact_time_limit_s or use exact: auto (the "
                                "greedy list with a proven bound)",
                                time_limit_s);
            goto fail;
        }
    }
    if (gr->bound_pop < gval) gr->bound_pop = gval; /* round-off only */
    gr->bound_gap = gr->bound_pop > 0 ? (gr->bound_pop - gval) / gr->bound_pop : 0;
    *out = gr;
    gr = NULL;
fail:
    cc_free(r0);
    cc_siting_result_destroy(gr);
    cc_siting_result_destroy(ex);
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
    mip_out mo;
    if ((st = solve_mip(ctx, lp, time_limit_s, "p-median", 0, &mo))) goto fail;
    if (!mo.found) {
        st = no_solution(ctx, "p-median", time_limit_s);
        goto fail;
    }
    pm->proven_optimal = mo.optimal;

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
