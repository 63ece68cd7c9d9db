/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy targets on the `units:` levels (targets_units.c): unit_share inputs, records of a
 * unit level evaluated on each of its units, and the denominator group of a record's basis.
 * Internal to the pipeline module.
 */
#ifndef CC_PIPELINE_TARGETS_UNITS_H
#define CC_PIPELINE_TARGETS_UNITS_H

#include "carecircle/study.h"

/* The evaluation options of the districts' targets, with the unit_share tables they point to. */
typedef struct cc__tu {
    cc_target_opts opts;
    cc_unit_rule_table *rules;
    int32_t **in_unit; /* [n_in_unit] owned */
    size_t n_in_unit;
} cc__tu;

/* Options for evaluating targets on the districts (district_level: CC_LEVEL_* or -1): the
   year, unit_share tables placing each unit in its district, and the levels left to
   cc__tu_eval_units. Free with cc__tu_free. */
cc_status cc__tu_prepare(cc_ctx *ctx, const cc_study *st, int district_level, cc__tu *tu);
void cc__tu_free(cc__tu *tu);

/* Records of set `set` whose level is a `units:` level (not the districts'): one row per unit
   of it, appended to st->unit_target_res[set]. */
cc_status cc__tu_eval_units(cc_ctx *ctx, cc_study *st, size_t set, int district_level);

/* A record naming a basis (常住, 户籍) is computed on the demand group of that basis: its
   denominator group becomes the group's counterpart when the group is of the other basis
   (docs/scenario.md, demand `basis`, `counterpart`). Groups that state no basis stay. */
cc_status cc__tu_resolve_basis(cc_ctx *ctx, const cc_scenario *sc, cc_target_set *ts);

#endif
