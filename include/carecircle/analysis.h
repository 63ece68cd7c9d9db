/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Analysis over plain arrays: straight-line (circle) nearest facility, coverage tallies,
 * 2SFCA-family accessibility ratios, reason codes for underserved points, coverage curves,
 * per-district indicators and their evaluation against policy targets (carecircle/targets.h).
 * No GIS library is used here; coordinates are metres in the working CRS, times are minutes
 * (doubles) unless a name says _ds. docs/analysis.md gives every formula with its source.
 */
#ifndef CARECIRCLE_ANALYSIS_H
#define CARECIRCLE_ANALYSIS_H

#include "carecircle/core.h"
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "carecircle/targets.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Straight-line nearest facility for every point, up to max_dist_m, using a uniform grid
 * hash (cell = max_dist_m) and squared distances. dist_m[i] = INFINITY and fac[i] = -1 when
 * no facility lies within max_dist_m (inclusive). Ties go to the lowest facility index, so
 * the result does not depend on the thread count. Runs in parallel over points with
 * cc_ctx_thread_count(ctx) threads. Facilities with non-finite coordinates are ignored.
 */
cc_status cc_analysis_circle_nearest(cc_ctx *ctx, size_t n_fac, const double *fx, const double *fy,
                                     size_t n_pts, const double *px, const double *py,
                                     double max_dist_m, double *dist_m, int32_t *fac);

/**
 * Population covered: the sum of weight[i] over points with value[i] <= limit (values that
 * are NaN or infinite never count). Summed in index order (deterministic).
 */
double cc_analysis_covered_sum(size_t n, const double *weight, const double *value, double limit);

/* ---- 2SFCA family ---------------------------------------------------------------------- */

typedef enum cc_decay_kind {
    CC_DECAY_NONE = 0,    /* weight 1 within t0_min: classic 2SFCA (Luo & Wang 2003) */
    CC_DECAY_STEP = 1,    /* step weights per travel-time band: E2SFCA (Luo & Qi 2009) */
    CC_DECAY_GAUSSIAN = 2 /* Gaussian decay to 0 at t0_min (Dai 2010) */
} cc_decay_kind;

/** One step band: weight for times in (previous upper_min, upper_min]. */
typedef struct cc_decay_band {
    double upper_min;
    double weight;
} cc_decay_band;

/**
 * Distance decay of the 2SFCA family. NONE and GAUSSIAN use t0_min (the catchment size);
 * STEP uses bands (ascending upper_min, the first band starts at 0; times beyond the last
 * band weigh 0; t0_min is ignored). The arrays are borrowed, not owned.
 */
typedef struct cc_decay {
    cc_decay_kind kind;
    double t0_min;
    const cc_decay_band *bands;
    size_t n_bands;
} cc_decay;

/**
 * The decay a facility type uses at its own threshold (the scenario's `decay`), so that the
 * catchment is exactly the threshold whatever other thresholds the run computes:
 * name NULL or "none": 2SFCA, weight 1 up to threshold_min; "gaussian": Gaussian with
 * t0_min = threshold_min (weight 0 at the threshold); "e2sfca": three bands, the thirds of the
 * threshold ((0, T/3], (T/3, 2T/3], (2T/3, T]) weighing 1.00, 0.68, 0.22 (Luo & Qi 2009),
 * written to bands (caller storage, borrowed by *out). CC_ERR_INVALID for another name or a
 * threshold that is not a positive finite number of minutes.
 */
cc_status cc_decay_for_threshold(cc_ctx *ctx, const char *name, double threshold_min,
                                 cc_decay_band bands[3], cc_decay *out);

/** Weight of travel time t_min under d (0 beyond the catchment, NaN time -> 0). */
double cc_decay_weight(const cc_decay *d, double t_min);

/** CC_OK when d is usable; CC_ERR_INVALID with a message naming what is wrong otherwise. */
cc_status cc_decay_check(cc_ctx *ctx, const cc_decay *d);

/**
 * Two-step floating catchment area (2SFCA / E2SFCA / Gaussian 2SFCA) over an incidence list.
 * Step 1: R_j = S_j / sum_{k in catchment j} W(t_kj) D_k. Step 2: A_i = sum_j W(t_ij) R_j.
 * Times come from inc->time_ds (deciseconds, / 600 = minutes).
 *
 * capacity [inc->n_fac] S_j (NaN = unknown: the facility is excluded, ratio_fac[j] = NaN,
 * and counted in *n_unknown, which may be NULL). demand [n_pts] D_i, people of the served
 * group (NaN or negative counts as 0). ratio_fac [inc->n_fac] receives R_j (supply per person
 * of weighted catchment demand; NaN when excluded or when the weighted demand is 0).
 * access [n_pts] receives A_i: 0 where no facility counts, NaN (unknown) where a facility of
 * unknown capacity reaches the point with a positive weight. Arrays are caller-owned.
 * Deterministic: every sum runs in index order (facility, then row), the same bits for any
 * thread count (cc_ctx_set_threads; the work is split by facility, then by point range).
 * Thread-safe for distinct outputs.
 */
cc_status cc_analysis_fca(cc_ctx *ctx, const cc_incidence *inc, const double *capacity,
                          size_t n_pts, const double *demand, const cc_decay *decay,
                          double *ratio_fac, double *access, size_t *n_unknown);

/**
 * Demand reached by each facility within threshold_min (inclusive) on the network:
 * served[j] = sum of demand[pt] over the facility's incidence rows with time <= threshold.
 * served [inc->n_fac] is caller-owned. Sums in row order.
 */
cc_status cc_analysis_served_demand(cc_ctx *ctx, const cc_incidence *inc, size_t n_pts,
                                    const double *demand, double threshold_min, double *served);

/**
 * Nearest facility for every point from an incidence list: time_ds[i] = the smallest time of
 * point i's rows and fac_out[i] its facility, ties to the lowest facility index; UINT32_MAX
 * and -1 for a point without rows. With an incidence computed up to limit_ds this equals
 * cc_route_nearest with the same limit (same times, same tie rule) without a second search.
 * Arrays [n_pts] are caller-owned. Runs on the context's threads (split by point range); the
 * result does not depend on the thread count.
 */
cc_status cc_analysis_nearest(cc_ctx *ctx, const cc_incidence *inc, size_t n_pts,
                              uint32_t *time_ds, int32_t *fac_out);

/* ---- Reason codes ---------------------------------------------------------------------- */

/** Why a point is (not) covered. Names (cc_reason_name) are the strings in outputs. */
typedef enum cc_reason {
    CC_REASON_COVERED = 0,          /* "covered": within the threshold, a facility has room */
    CC_REASON_OVER_CAPACITY,        /* "over_capacity": within the threshold, all are full */
    CC_REASON_NO_FACILITY_IN_REACH, /* "no_facility_in_reach" */
    CC_REASON_NETWORK_DETOUR,       /* "network_detour": inside the circle, beyond on the net */
    CC_REASON_OFF_NETWORK,          /* "off_network": snap distance > max_snap_m (or unsnapped) */
    CC_REASON_ISLAND,               /* "island": snapped onto a component other than 0 */
    CC_REASON_COUNT
} cc_reason;

/** Output name of a reason ("network_detour"); "unknown" out of range. */
const char *cc_reason_name(cc_reason r);

/** Inputs of cc_analysis_reasons for one facility type and its served group (borrowed). */
typedef struct cc_reason_input {
    size_t n_pts;
    const double *net_min;   /* [n_pts] network minutes to the nearest facility, INF unreachable */
    const int32_t *net_fac;  /* [n_pts] that facility or -1; NULL = derived from inc */
    const double *circle_m;  /* [n_pts] straight-line metres to the nearest facility, INF beyond */
    const cc_snap *snap;     /* [n_pts] snap results; NULL = no off_network / island checks */
    const cc_incidence *inc; /* catchments; NULL = no over_capacity test */
    const double *capacity;  /* [inc->n_fac] capacity, NaN unknown (never oversubscribed) */
    const double *demand;    /* [n_pts] people of the served group (for oversubscription) */
    double threshold_min;    /* service threshold */
    double radius_m;         /* circle radius (speed x threshold unless the scenario says) */
    double speed_kmh;        /* for straight-line minutes in the detour ratio */
    double max_snap_m;       /* off_network above this; <= 0 or NaN disables the test */
    double standard_per_person; /* capacity per person of the served group, e.g. 60 beds per
                                   1000 = 0.06; 0 or NaN = no standard, nothing oversubscribed */
} cc_reason_input;

/**
 * Reason code, gap minutes, detour ratio and binding facility for every point.
 * Precedence (docs/analysis.md): a point with net_min <= threshold is `covered`, or
 * `over_capacity` when every facility within the threshold is oversubscribed (served demand
 * x standard > capacity). Otherwise the first that holds of: off_network, island,
 * network_detour (circle_m <= radius_m), no_facility_in_reach.
 * gap_min = max(0, net_min - threshold), NaN (null) when net_min is infinite.
 * detour = net_min / (circle_m / speed), NaN unless both are finite and circle_m > 0.
 * binding_fac = the nearest facility on the network (net_fac, else the fastest incidence
 * row, ties to the lowest index), -1 when none. Output arrays [n_pts] are caller-owned; any
 * output may be NULL. counts[CC_REASON_COUNT] (may be NULL) receives points per reason.
 */
cc_status cc_analysis_reasons(cc_ctx *ctx, const cc_reason_input *in, uint8_t *reason,
                              double *gap_min, double *detour, int32_t *binding_fac,
                              size_t *counts);

/**
 * People per reason: pop_out[r] = sum of weight[i] over points with reason[i] == r (NaN or
 * negative weights count 0), summed in index order. The two coverage figures follow from it
 * (docs/analysis.md): within reach = pop_out[covered] + pop_out[over_capacity]; served within
 * capacity = pop_out[covered]; unserved = the sum over every other reason = total - served.
 * pop_out [CC_REASON_COUNT] is caller-owned. Reasons out of range make CC_ERR_INVALID.
 */
cc_status cc_analysis_reason_people(cc_ctx *ctx, size_t n, const double *weight,
                                    const uint8_t *reason, double *pop_out);

/* ---- Coverage curve -------------------------------------------------------------------- */

/**
 * Covered share against time: share[s] = sum of weight[i] with minutes[i] <= steps_min[s],
 * divided by the total weight (NaN when the total is 0). steps_min ascending; NULL means
 * 0, 1, ..., n_steps-1 minutes. covered (may be NULL) receives the covered weight per step.
 * Non-finite minutes never count but stay in the total. Deterministic (bins in index order).
 */
cc_status cc_analysis_curve(cc_ctx *ctx, size_t n, const double *weight, const double *minutes,
                            size_t n_steps, const double *steps_min, double *share,
                            double *covered);

/** Straight-line minutes: out[i] = dist_m[i] / (speed_kmh / 60 * 1000); INF stays INF. */
cc_status cc_analysis_circle_minutes(cc_ctx *ctx, size_t n, const double *dist_m, double speed_kmh,
                                     double *out_min);

/* ---- Districts and targets ------------------------------------------------------------- */

/** Indicators of one district for one facility type and one demand group. */
typedef struct cc_district_stats {
    double population;     /* people of the group in the district */
    double covered_net;    /* of those, within threshold_min on the network */
    double covered_circle; /* of those, within radius_m in a straight line */
    size_t n_fac;          /* facilities of the type located in the district */
    size_t n_fac_unknown;  /* of those, with unknown (NaN) capacity */
    double capacity;       /* sum of the known capacities; NaN (unknown) when the unit has
                              facilities and none has a known capacity */
    double capacity_known; /* sum of the known capacities, 0 when none is known: a lower
                              bound of the capacity when n_fac_unknown > 0 */
    double per_1000;       /* capacity * 1000 / population; NaN (unknown) when the population
                              is 0 or any facility of the unit has an unknown capacity */
    /* Area, filled by the caller (cc_analysis_districts leaves them 0 = not known):
       the district's area and the part of it inside the study area, m2. */
    double area_m2;
    double analysed_m2;
    double served;         /* of those, served within capacity (reason covered:
                              within reach and not turned away by capacity); filled by the
                              caller from the reason codes; cc_analysis_districts sets NaN
                              (unknown) */
} cc_district_stats;

/** A unit with less than this share of its area inside the study area is partly analysed. */
#define CC_DISTRICT_PARTIAL_SHARE 0.95

/**
 * 1 when the unit is only partly analysed: its area is known (area_m2 > 0) and less than
 * CC_DISTRICT_PARTIAL_SHARE of it lies in the study area (analysed_m2). Its figures then
 * describe the analysed part only, never the whole district.
 */
int cc_district_partial(const cc_district_stats *s);

/**
 * Per-district tallies. pt_district [n_pts] holds 0..n_districts-1 or -1 (outside);
 * fac_district [n_fac] likewise. out [n_districts + 2] is caller-owned: 0..n_districts-1
 * the districts, [n_districts] "outside", [n_districts + 1] the whole area (the sum of all).
 * net_min / circle_m may be NULL (covered counts 0). Sums in index order, so a district's
 * figures equal the sum over its points exactly in the same order.
 */
cc_status cc_analysis_districts(cc_ctx *ctx, size_t n_districts, size_t n_pts,
                                const int32_t *pt_district, const double *pop,
                                const double *net_min, const double *circle_m, double threshold_min,
                                double radius_m, size_t n_fac, const int32_t *fac_district,
                                const double *capacity, cc_district_stats *out);

/** A named capacity of a facility type (`capacities:`) per unit, laid out as the units of
    cc_stats_table: [n_units + 2]. */
typedef struct cc_cap_units {
    const char *name;
    const double *total;     /* sum of the known values of the unit's facilities */
    const size_t *n_unknown; /* facilities of the unit without a value */
} cc_cap_units;

/** District figures for one (facility type, group) pair, named by scenario keys. */
typedef struct cc_stats_table {
    const char *facility_type;
    const char *group;
    const cc_district_stats *units; /* [n_units + 2] as filled by cc_analysis_districts */
    const cc_cap_units *caps;       /* the type's named capacities (NULL when none) */
    size_t n_caps;
} cc_stats_table;

typedef enum cc_target_status {
    CC_TARGET_MET = 0,
    CC_TARGET_NOT_MET = 1,
    CC_TARGET_NOT_EVALUATED = 2,
    /* The verdict holds for the analysed part of a district the study area only clips
       (cc_district_partial), not for the district: never report it as the district's. */
    CC_TARGET_MET_PARTIAL = 3,
    CC_TARGET_NOT_MET_PARTIAL = 4
} cc_target_status;

/** "met", "not_met", "not_evaluated", "met_partial_area", "not_met_partial_area". */
const char *cc_target_status_name(cc_target_status s);

/** One (target record, unit) result. */
typedef struct cc_target_result {
    size_t target; /* index into the target set */
    int64_t unit;  /* district index; -1 = the whole area (city-level records) */
    cc_target_status status;
    double value;     /* computed indicator in the target's unit; NaN when not evaluated */
    double shortfall; /* target - value in the target's unit (0 when met; for <, <=
                         the excess value - target); NaN when not evaluated */
    double need;      /* concrete: people still to cover, capacity units or facilities
                         to add (0 when met; NaN when not evaluated or not countable) */
    char note[400];   /* "needs 212 more slots", or why it was not evaluated */
    int32_t layer;    /* -1: `unit` is a district or the whole area; else the index of the
                         unit level (`units:`) whose unit `unit` is (set by the caller) */
} cc_target_result;

/**
 * The units of one level for one facility type, as unit_share records count them: the unit
 * verdicts of the units stage (has a facility, covered), never recomputed here.
 */
typedef struct cc_unit_rule_table {
    const char *level;         /* level of the units counted, e.g. "community" */
    const char *facility_type; /* scenario facility key */
    size_t n;                  /* units of the level */
    const uint8_t *has_fac;    /* [n] 1: a facility of the type lies in the unit */
    const uint8_t *covered;    /* [n] 1: covered by the level's rule */
    const double *share;       /* [n] served people's share within reach; NaN: the unit has
                                  none of them (no covered verdict, not counted by `covered`) */
    const int32_t *in_unit;    /* [n] the evaluated unit (district, or unit of the record's
                                  level) each lies in through its parent codes, -1 none;
                                  NULL: no parent chain leads there */
} cc_unit_rule_table;

/** What cc_analysis_targets_evaluate_opts needs beyond the district tables. */
typedef struct cc_target_opts {
    const cc_unit_rule_table *rules; /* unit_share inputs, one per (level, type) */
    size_t n_rules;
    const int *years; /* keep only records of these years; n_years 0 = every year */
    size_t n_years;
    unsigned skip_levels; /* bit CC_LEVEL_x set: records of that level are evaluated
                             elsewhere (on a `units:` level) and give no rows here */
    const char *units_name; /* what the evaluated units are, for notes ("districts") */
} cc_target_opts;

/**
 * Evaluate every target record against every unit. Records at unit level "city" are
 * evaluated once on the whole area; other levels on each district, unless district_level
 * (CC_LEVEL_* of the districts layer, or -1 = unknown) differs, in which case they are
 * reported not_evaluated with the reason. year (0 = all) keeps only records of that year.
 * Records whose facility type or group has no table, or whose metric the engine cannot
 * compute, are reported not_evaluated with the reason, never dropped. A verdict on a unit that
 * is only partly analysed (cc_district_partial) is CC_TARGET_MET_PARTIAL or
 * CC_TARGET_NOT_MET_PARTIAL, its note saying how much of the district was analysed.
 * capacity_per_1000 with facilities of unknown capacity in the unit: met (value NaN) when the
 * known capacities alone reach a lower target, not_met when they already exceed an upper
 * one, else not_evaluated ("capacity unknown"). A city-level facility_count is evaluated on the
 * whole area only, and with districts (n_districts > 0) its note says it is not divided among
 * them. *out (cc_free) and *n_out receive the results in record order, then unit order.
 */
cc_status cc_analysis_targets_evaluate(cc_ctx *ctx, const cc_target_set *targets, size_t n_tables,
                                       const cc_stats_table *tables, size_t n_districts,
                                       int district_level, int year, cc_target_result **out,
                                       size_t *n_out);

/** Verdict of one estate under one estate rule (cc_analysis_estates). */
typedef enum cc_estate_status {
    CC_ESTATE_COMPLIANT = 0,  /* provided >= required */
    CC_ESTATE_NOT_COMPLIANT,  /* provided < required: shortfall > 0 */
    CC_ESTATE_NOT_ASSESSABLE, /* a number the rule needs is unknown (NaN) */
    CC_ESTATE_NOT_APPLICABLE  /* the rule is for new estates and the estate is old, or so */
} cc_estate_status;

/** What an unassessable estate lacks for a rule (bits of cc_analysis_estates' missing). */
enum {
    CC_ESTATE_NO_HOUSEHOLDS = 1,
    CC_ESTATE_NO_RESIDENTS = 2,
    CC_ESTATE_NO_PROVIDED = 4, /* the provided area of the rule's service */
    CC_ESTATE_NO_FIELD = 8,    /* the scenario names no provided-area field for the service */
    CC_ESTATE_NO_AGE = 16      /* new or old unknown, for a rule of new or old estates */
};

/** "compliant", "not_compliant", "not_assessable", "not_applicable". */
const char *cc_estate_status_name(cc_estate_status s);

/**
 * The area one estate must provide under rule r, in m2: the max (or sum, r->combine_sum) of
 * the terms (m2 per resident, per household, per 100 households), and at least r->min_m2.
 * NaN when a number a term needs is NaN or negative. Pure; thread-safe.
 */
double cc_analysis_estate_required_m2(const cc_estate_rule *r, double households,
                                      double residents);

/**
 * Rule r on n estates. is_new[i]: 1 new, 0 old, -1 unknown (a rule for all estates ignores
 * it); provided_m2 NULL = the scenario has no field for the rule's service (every applicable
 * estate not assessable). Out arrays of n: required_m2 and shortfall_m2 (NaN where not
 * assessable or not applicable; shortfall = max(0, required - provided)), status
 * (cc_estate_status) and missing (CC_ESTATE_NO_* bits of what a not assessable estate lacks,
 * 0 otherwise).
 */
cc_status cc_analysis_estates(cc_ctx *ctx, const cc_estate_rule *r, size_t n,
                              const double *households, const double *residents,
                              const int8_t *is_new, const double *provided_m2,
                              double *required_m2, double *shortfall_m2, uint8_t *status,
                              uint8_t *missing);

/** One rule's tally over the estates of a unit. */
typedef struct cc_estate_sum {
    size_t estates;      /* estates the rule applies to (status other than not_applicable) */
    size_t assessable;   /* of them, compliant or not compliant */
    size_t compliant;    /* of them, compliant */
    double shortfall_m2; /* sum of the not compliant estates' shortfalls */
} cc_estate_sum;

/**
 * Tally one rule's statuses per unit: unit[i] is estate i's unit (0 .. n_units-1, or -1 for
 * none); out[n_units + 2]: each unit, then the estates in no unit, then all estates.
 */
cc_status cc_analysis_estates_summary(cc_ctx *ctx, size_t n, const uint8_t *status,
                                      const double *shortfall_m2, const int32_t *unit,
                                      size_t n_units, cc_estate_sum *out);

/**
 * As cc_analysis_targets_evaluate, with unit_share inputs, a list of years and levels left to
 * another evaluation (opts; NULL = none, every year). The "districts" may be the units of one
 * `units:` level (district_level its CC_LEVEL_*): the tables then hold that level's figures.
 * unit_share: the percent of the units of the record's unit_level (the rules table of that
 * level and facility type) that pass its unit_rule, counted in the whole area or in the
 * evaluated unit (in_unit); `covered` counts among the units with people of the served
 * groups. need = units to add to the passing ones. A level or type without a rules table, or
 * units with no parent chain to the evaluated unit, give not_evaluated with the reason.
 */
cc_status cc_analysis_targets_evaluate_opts(cc_ctx *ctx, const cc_target_set *targets,
                                            size_t n_tables, const cc_stats_table *tables,
                                            size_t n_districts, int district_level,
                                            const cc_target_opts *opts, cc_target_result **out,
                                            size_t *n_out);

#ifdef __cplusplus
}
#endif
#endif
