/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle siting: which new sites close the coverage gap. Works on plain arrays: the
 * demand per point, the sparse incidence of candidate sites (and of existing facilities) from
 * cc_route_catchments or from a user matrix, optional capacities in people. Modes:
 *
 *   - lazy-greedy maximal covering (MCLP), optionally capacity-aware, with K picks;
 *   - reach-a-target: the smallest greedy list that lifts the covered share to a target;
 *   - exact MCLP (capacities included) and exact p-median with GLPK (small and medium
 *     instances), reporting the optimality gap of the greedy list;
 *   - cc_siting_solve: the exact list whenever GLPK proves it optimal within a time limit,
 *     else the greedy list with a proven upper bound on the optimum and the gap to it;
 *   - units: the fewest sites that bring a share of statistical units (communities) into
 *     coverage, and the best site inside each unit that lacks a facility.
 *
 * The rules (what "covered" means with capacities, tie-breaks) are in docs/siting.md.
 * Every function is deterministic: the same inputs give the same picks for any thread count.
 */
#ifndef CARECIRCLE_SITING_H
#define CARECIRCLE_SITING_H

#include "carecircle/core.h"
#include "carecircle/route.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest MIP (constraint-matrix nonzeros) the exact modes accept; use greedy beyond it. */
#define CC_SITING_EXACT_MAX_NZ 200000

/**
 * One siting instance. Arrays are borrowed (caller-owned) and must outlive the call.
 * Only incidence rows with time_ds <= limit_ds count (UINT32_MAX: every row).
 */
typedef struct cc_siting_input {
    size_t n_pts;
    const double *demand_pop;     /**< [n_pts] people per demand point (served groups), >= 0 */
    const cc_incidence *cand;     /**< candidate sites: n_fac = number of candidates */
    const cc_incidence *existing; /**< existing facilities, or NULL when there are none */
    uint32_t limit_ds;            /**< threshold, deciseconds, inclusive */
    /** [cand->n_fac] people each new site can serve, or NULL = unlimited (plain MCLP). */
    const double *cand_cap_pop;
    /** [existing->n_fac] people each existing facility can serve, or NULL = unlimited. */
    const double *exist_cap_pop;
    /** [n_pts] district index per point (-1 = none), or NULL; used with district >= 0. */
    const int32_t *pt_district;
    /** Restrict the objective to one district (>= 0), or -1 for the whole area. */
    int32_t district;
} cc_siting_input;

/** Options of the greedy modes. Zero-initialise, then set. */
typedef struct cc_siting_opts {
    size_t k;            /**< at most k picks; 0 = no limit (only sensible with a target) */
    double target_share; /**< reach-a-target: stop once covered share >= this (0 = off) */
} cc_siting_opts;

/** One chosen site, in pick order. */
typedef struct cc_siting_pick {
    uint32_t cand;    /**< candidate index (row block of input->cand) */
    double gain_pop;  /**< people newly covered by this pick (its marginal gain) */
    double cum_pop;   /**< people covered after this pick (existing facilities included) */
    double cum_share; /**< cum_pop / total_pop (0 when total_pop is 0) */
    double reach_pop; /**< uncovered people within reach when picked (>= gain_pop) */
} cc_siting_pick;

/** Which list a result holds. */
typedef enum cc_siting_method {
    CC_SITING_METHOD_GREEDY = 0, /**< the lazy-greedy list */
    CC_SITING_METHOD_EXACT = 1   /**< the optimal set, proven by GLPK */
} cc_siting_method;

/** Why a cc_siting_solve result is the greedy list (CC_SITING_WHY_NONE when it is exact). */
typedef enum cc_siting_why {
    CC_SITING_WHY_NONE = 0,  /**< exact */
    CC_SITING_WHY_ASKED = 1, /**< exact mode "no" */
    CC_SITING_WHY_TIME = 2,  /**< the solver did not prove optimality within the time limit */
    CC_SITING_WHY_SIZE = 3,  /**< the model is over CC_SITING_EXACT_MAX_NZ */
    CC_SITING_WHY_EMPTY = 4  /**< nothing to choose (no pick adds anyone) */
} cc_siting_why;

/** Result of a greedy or exact MCLP run. Free with cc_siting_result_destroy. */
typedef struct cc_siting_result {
    size_t n_picks;
    cc_siting_pick *picks; /**< [n_picks] */
    double total_pop;      /**< demand of the area (whole or the district) */
    double base_pop;       /**< covered by existing facilities before any pick */
    double covered_pop;    /**< covered after every pick */
    int target_reached;    /**< reach-a-target: 1 when covered share >= target; else 0 */
    int exhausted;         /**< 1 when no candidate is left or none adds anyone */
    /* Exact mode only (0 otherwise). */
    int proven_optimal; /**< 1 when GLPK proved optimality */
    double optimum_pop; /**< optimal newly covered people (objective) */
    double greedy_pop;  /**< newly covered people of the greedy list with the same k */
    double greedy_gap;  /**< (optimum - greedy) / optimum; 0 when optimum is 0 */
    /* Every mode. */
    int method; /**< cc_siting_method: which list picks holds */
    int why;    /**< cc_siting_why: why the list is greedy (cc_siting_solve only) */
    /** Proven upper bound on the newly covered people of any n_picks sites (the optimum
        when exact; NAN when no bound is known). */
    double bound_pop;
    /** (bound_pop - newly covered of this list) / bound_pop: 0 when exact, NAN without a
        bound. The list is within this share of the optimum. */
    double bound_gap;
} cc_siting_result;

/** Free a result. Accepts NULL. */
void cc_siting_result_destroy(cc_siting_result *res);

/**
 * People a site can serve: capacity units divided by the standard per person, e.g. 40 beds
 * at 60 beds per 1000 older residents -> 40 * 1000 / 60 = 666.67 people. per_1000 <= 0 gives
 * INFINITY (no capacity limit).
 */
double cc_siting_people_capacity(double capacity_units, double per_1000);

/**
 * Lazy-greedy MCLP. Each step picks the candidate with the largest gain (lowest candidate
 * index on ties): gain = min(uncovered people within reach, its capacity). Existing
 * facilities absorb demand first. Stops after opts->k picks, when the target share is reached,
 * or when no candidate adds anyone (exhausted). Initial gains are evaluated in parallel
 * (cc_ctx_thread_count); results do not depend on the thread count. *out is caller-owned.
 */
cc_status cc_siting_greedy(cc_ctx *ctx, const cc_siting_input *in, const cc_siting_opts *opts,
                           cc_siting_result **out);

/**
 * Exact MCLP with GLPK (existing facilities as in greedy). Uncapacitated: binary site
 * variables y_j, binary coverage variables z_i, sum y = k, z_i <= sum_{j reaches i} y_j,
 * maximise sum w_i z_i (w = uncovered people). With cand_cap_pop: a flow x_ij >= 0 of people
 * from point i to site j within reach, sum_j x_ij <= w_i, sum_i x_ij <= cap_j y_j,
 * x_ij <= w_i y_j, maximise sum x_ij (people are assigned to open sites optimally, not
 * nearest-first). Picks are the optimal set, ranked by marginal gain within the set
 * (capacitated: by the people each site serves in the solution); also runs the greedy with
 * the same k and reports its gap. time_limit_s (0 = none) bounds the solver; when hit,
 * proven_optimal is 0, bound_pop is the solver's proven bound and the best integer solution
 * found is returned. Refuses instances over CC_SITING_EXACT_MAX_NZ and k larger than the
 * candidate count (CC_ERR_INVALID, with a message).
 */
cc_status cc_siting_mclp_exact(cc_ctx *ctx, const cc_siting_input *in, size_t k,
                               double time_limit_s, cc_siting_result **out);

/** How cc_siting_solve chooses the list. */
typedef enum cc_siting_exact_mode {
    CC_SITING_EXACT_AUTO = 0, /**< exact when proven optimal within the limit, else greedy */
    CC_SITING_EXACT_YES = 1,  /**< exact, or fail with a message */
    CC_SITING_EXACT_NO = 2    /**< greedy only */
} cc_siting_exact_mode;

/**
 * The list a planner gets: runs the greedy (opts), then, unless mode is CC_SITING_EXACT_NO,
 * the exact MCLP with k = the greedy's pick count and time_limit_s (> 0). Returns the exact
 * set when GLPK proves it optimal (method CC_SITING_METHOD_EXACT); otherwise (mode AUTO) the
 * greedy list with why set and bound_pop = the smallest proven upper bound known (the
 * solver's, and the sum of the k largest single-site gains; uncapacitated also the greedy's
 * own bound f(S) + the k largest gains left). Mode YES fails (CC_ERR_DATA) where AUTO falls
 * back. Deterministic for any thread count (whether the solver finishes within the time
 * limit depends on the machine). *out is caller-owned.
 */
cc_status cc_siting_solve(cc_ctx *ctx, const cc_siting_input *in, const cc_siting_opts *opts,
                          cc_siting_exact_mode mode, double time_limit_s, cc_siting_result **out);

/**
 * A unit-based siting instance (docs/siting.md, "Units"): statistical units (communities,
 * streets) and the rule that makes one covered, the one of unit_coverage.csv: the unit has
 * served people and (unit_reach + people newly within reach) / unit_pop >= min_share.
 * Arrays are borrowed. Capacities play no part (the rule counts people within reach).
 */
typedef struct cc_siting_unit_input {
    size_t n_pts;
    const double *demand_pop; /**< [n_pts] served people per demand point, >= 0 */
    const uint8_t *reached;   /**< [n_pts] 1: within reach of an existing facility; NULL none */
    const int32_t *pt_unit;   /**< [n_pts] unit of each point, -1 outside every unit */
    size_t n_units;
    const double *unit_pop;   /**< [n_units] served people of each unit (the stage's figure) */
    const double *unit_reach; /**< [n_units] of them within reach before any new site */
    double min_share;         /**< the rule's share, in [0, 1] */
    const cc_incidence *cand; /**< candidate sites; rows with time_ds > limit_ds are ignored */
    uint32_t limit_ds;
} cc_siting_unit_input;

/** One pick of the unit greedy, in pick order. */
typedef struct cc_siting_unit_pick {
    uint32_t cand;    /**< candidate index */
    size_t n_new;     /**< units this pick brings over the rule */
    size_t first_new; /**< its units are new_units[first_new .. first_new + n_new) */
    double progress;  /**< sum over units not yet covered of the share of their missing
                           people this pick brings (the lookahead; >= n_new) */
    double gain_pop;  /**< served people newly within reach (in and outside the units) */
    size_t cum_units; /**< units covered after this pick (existing facilities included) */
} cc_siting_unit_pick;

/** Result of cc_siting_units_greedy. Free with cc_siting_unit_result_destroy. */
typedef struct cc_siting_unit_result {
    size_t n_picks;
    cc_siting_unit_pick *picks; /**< [n_picks] */
    uint32_t *new_units;        /**< units brought in, by pick, ascending within a pick */
    size_t n_with_people;       /**< units with served people (the share's denominator) */
    size_t base_units;          /**< covered before any pick */
    size_t covered_units;       /**< covered after every pick */
    size_t target_units;        /**< ceil(target_share * n_with_people); 0 without a target */
    size_t reachable_units;     /**< units covered if every candidate were built */
    int target_reached;         /**< 1 when covered_units >= target_units (target given) */
    int exhausted;              /**< 1 when no candidate helps any unit any more */
} cc_siting_unit_result;

void cc_siting_unit_result_destroy(cc_siting_unit_result *res);

/**
 * The fewest sites that bring a target share of units into coverage, by a greedy with a
 * lookahead: each step picks the candidate that brings the most units over the rule; ties
 * (and steps where no single site brings a unit over) go to the most progress (sum over the
 * units still short of the rule, and reachable with every candidate, of
 * min(people it adds, people still missing) / people missing at the start), then the most
 * served people newly within reach, then the lowest candidate index. Stops after k picks
 * (0 = no limit), once covered_units >= ceil(target_share * n_with_people) (target_share 0
 * = off; then k > 0 is needed), or when no candidate makes progress (exhausted).
 * Deterministic. *out is caller-owned.
 */
cc_status cc_siting_units_greedy(cc_ctx *ctx, const cc_siting_unit_input *in, size_t k,
                                 double target_share, cc_siting_unit_result **out);

/**
 * "Each unit at least one": for every unit u with want[u] != 0, the candidate inside it
 * (cand_unit[j] == u) that brings the most served people newly within reach (lowest index on
 * ties) into best[u] and its people into best_pop[u]; best[u] = -1 when no candidate lies in
 * u (or want[u] is 0). Deterministic.
 */
cc_status cc_siting_units_best_inside(cc_ctx *ctx, const cc_siting_unit_input *in,
                                      const int32_t *cand_unit, const uint8_t *want, int32_t *best,
                                      double *best_pop);

/** Result of the exact p-median. Free with cc_siting_pmedian_destroy. */
typedef struct cc_siting_pmedian {
    size_t p;
    uint32_t *sites;  /**< [p] chosen candidate indices, ascending */
    int32_t *assign;  /**< [n_pts] candidate each point is assigned to (nearest open site,
                           lowest index on ties; -1 when its weight is 0 and no site is
                           allowed) */
    double objective; /**< sum_i w_i * cost(i, assign_i) */
    double mean_cost; /**< objective / sum_i w_i (the weighted mean distance or time) */
    int proven_optimal;
} cc_siting_pmedian;

void cc_siting_pmedian_destroy(cc_siting_pmedian *pm);

/**
 * Exact p-median with GLPK on a dense cost matrix cost[i * n_cand + j] (point i to candidate
 * j; INFINITY or NaN = not allowed): open exactly p sites, assign every point to an open
 * site, minimise the weighted total cost. Assignment variables are continuous (the optimum
 * is integral once the sites are binary). Refuses instances over CC_SITING_EXACT_MAX_NZ.
 * A point with positive weight and no allowed candidate is CC_ERR_DATA.
 */
cc_status cc_siting_pmedian_exact(cc_ctx *ctx, size_t n_pts, size_t n_cand, const double *cost,
                                  const double *weight, size_t p, double time_limit_s,
                                  cc_siting_pmedian **out);

/** Column names and reading rules of a long-format cost matrix CSV. Zero-initialise. */
typedef struct cc_siting_matrix_spec {
    const char *origin_field; /**< demand point id column; NULL = "origin" */
    const char *dest_field;   /**< candidate id column; NULL = "destination" */
    const char *cost_field;   /**< cost column; NULL = "cost" */
    double cutoff;            /**< keep pairs with cost <= cutoff (inclusive); <= 0 = keep all */
    /** time_ds = round(cost * cost_to_ds), e.g. 600 for minutes, 10 for seconds; 0 = 1. */
    double cost_to_ds;
    int ignore_unknown; /**< 1: skip rows whose ids are not in the lists; 0: error */
} cc_siting_matrix_spec;

/**
 * Read a long-format matrix (one row per origin, destination, cost; RFC 4180 quoting, a
 * header row, comma separator, UTF-8 BOM and CRLF tolerated) into an incidence with one
 * block per candidate (cand_ids order) and points in pt_ids order. Duplicate pairs,
 * unknown ids (unless ignore_unknown), missing columns and bad or negative costs are
 * CC_ERR_DATA with a "file:line: ..." message. *out is caller-owned (cc_incidence_destroy).
 * dense_out (may be NULL) receives a caller-owned n_pts * n_cand cost matrix (INFINITY where
 * the file has no pair; the cutoff does not apply) for cc_siting_pmedian_exact.
 */
cc_status cc_siting_matrix_read(cc_ctx *ctx, const char *path, const cc_siting_matrix_spec *spec,
                                size_t n_pts, const char *const *pt_ids, size_t n_cand,
                                const char *const *cand_ids, cc_incidence **out,
                                double **dense_out);

#ifdef __cplusplus
}
#endif
#endif
