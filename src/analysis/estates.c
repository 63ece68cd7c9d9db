/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Estate compliance (POLICY.md section 3.4, docs/targets.md `estate_rules`): the area an
 * estate must provide for a service under a rule, the verdict against the area it provides,
 * and the tally per unit. Plain arrays; the rules are data from the targets file.
 */
#include "carecircle/analysis.h"

#include <math.h>
#include <string.h>

const char *cc_estate_status_name(cc_estate_status s)
{
    static const char *const names[] = {"compliant", "not_compliant", "not_assessable",
                                        "not_applicable"};
    return (unsigned)s < 4 ? names[s] : "?";
}

double cc_analysis_estate_required_m2(const cc_estate_rule *r, double households,
                                      double residents)
{
    double req = 0;
    for (size_t k = 0; k < r->n_terms; k++) {
        const cc_estate_term *t = &r->terms[k];
        double base = t->per == CC_PER_RESIDENT        ? residents
                      : t->per == CC_PER_HOUSEHOLD     ? households
                                                       : households / 100.0;
        /* An unknown or negative count makes the rule unassessable, never compliant. */
        if (!(base >= 0)) return NAN;
        double v = t->m2 * base;
        req = r->combine_sum ? req + v : (k == 0 || v > req ? v : req);
    }
    return req > r->min_m2 ? req : r->min_m2;
}

/* Whether rule r applies to an estate of age is_new (1 new, 0 old, -1 unknown): 1, 0, or -1
   when unknown. */
static int applies(const cc_estate_rule *r, int is_new)
{
    if (r->applies_to == CC_ESTATE_ALL) return 1;
    if (is_new < 0) return -1;
    return (r->applies_to == CC_ESTATE_NEW) == (is_new == 1);
}

cc_status cc_analysis_estates(cc_ctx *ctx, const cc_estate_rule *r, size_t n,
                              const double *households, const double *residents,
                              const int8_t *is_new, const double *provided_m2,
                              double *required_m2, double *shortfall_m2, uint8_t *status,
                              uint8_t *missing)
{
    if (!r || (n && (!households || !residents || !is_new || !required_m2 || !shortfall_m2 ||
                     !status || !missing)))
        return cc_error(ctx, CC_ERR_INVALID, "cc_analysis_estates: missing argument");
    int need_hh = 0, need_res = 0;
    for (size_t k = 0; k < r->n_terms; k++) {
        need_res |= r->terms[k].per == CC_PER_RESIDENT;
        need_hh |= r->terms[k].per != CC_PER_RESIDENT;
    }
    for (size_t i = 0; i < n; i++) {
        int a = applies(r, is_new[i]);
        required_m2[i] = shortfall_m2[i] = NAN;
        missing[i] = 0;
        if (a == 0) {
            status[i] = CC_ESTATE_NOT_APPLICABLE;
            continue;
        }
        double req = cc_analysis_estate_required_m2(r, households[i], residents[i]);
        double have = provided_m2 ? provided_m2[i] : NAN;
        if (a < 0 || isnan(req) || !(have >= 0)) {
            /* The required area is still shown when only the provided one is unknown. */
            if (a > 0) required_m2[i] = req;
            status[i] = CC_ESTATE_NOT_ASSESSABLE;
            missing[i] = (uint8_t)((need_hh && !(households[i] >= 0) ? CC_ESTATE_NO_HOUSEHOLDS : 0) |
                                   (need_res && !(residents[i] >= 0) ? CC_ESTATE_NO_RESIDENTS : 0) |
                                   (!provided_m2 ? CC_ESTATE_NO_FIELD
                                    : !(have >= 0) ? CC_ESTATE_NO_PROVIDED : 0) |
                                   (a < 0 ? CC_ESTATE_NO_AGE : 0));
            continue;
        }
        required_m2[i] = req;
        shortfall_m2[i] = have >= req ? 0 : req - have;
        status[i] = have >= req ? CC_ESTATE_COMPLIANT : CC_ESTATE_NOT_COMPLIANT;
    }
    return CC_OK;
}

cc_status cc_analysis_estates_summary(cc_ctx *ctx, size_t n, const uint8_t *status,
                                      const double *shortfall_m2, const int32_t *unit,
                                      size_t n_units, cc_estate_sum *out)
{
    if (!out || (n && (!status || !shortfall_m2 || !unit)))
        return cc_error(ctx, CC_ERR_INVALID, "cc_analysis_estates_summary: missing argument");
    memset(out, 0, (n_units + 2) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (status[i] == CC_ESTATE_NOT_APPLICABLE) continue;
        size_t u = unit[i] >= 0 && (size_t)unit[i] < n_units ? (size_t)unit[i] : n_units;
        cc_estate_sum *to[2] = {&out[u], &out[n_units + 1]};
        for (int k = 0; k < 2; k++) {
            to[k]->estates++;
            to[k]->assessable += status[i] <= CC_ESTATE_NOT_COMPLIANT;
            to[k]->compliant += status[i] == CC_ESTATE_COMPLIANT;
            if (status[i] == CC_ESTATE_NOT_COMPLIANT) to[k]->shortfall_m2 += shortfall_m2[i];
        }
    }
    return CC_OK;
}
