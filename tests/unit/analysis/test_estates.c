/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Estate compliance (src/analysis/estates.c) with hand-computed answers: Ankang's
 * max(0.1 m2 x residents, 20 m2 per 100 households) with each term binding, Anyang's old-estate
 * 20 m2 per 100 households with the 200 m2 minimum binding, a sum rule, unknown numbers and
 * ages (not assessable, never compliant), rules that do not apply, and the tally per unit.
 */
#include "carecircle/analysis.h"
#include "cc_test.h"

#include <math.h>

static cc_estate_term ak_terms[] = {{CC_PER_RESIDENT, 0.1}, {CC_PER_100_HOUSEHOLDS, 20}};
static cc_estate_term ay_terms[] = {{CC_PER_100_HOUSEHOLDS, 20}};

static void test_required(void)
{
    cc_estate_rule ak = {.applies_to = CC_ESTATE_NEW, .terms = ak_terms, .n_terms = 2};
    /* 3000 residents, 1000 households: 300 m2 (residents) > 200 m2 (households). */
    CHECK_NEAR(cc_analysis_estate_required_m2(&ak, 1000, 3000), 300, 1e-9);
    /* 1000 residents, 1000 households: 100 < 200, the household term binds. */
    CHECK_NEAR(cc_analysis_estate_required_m2(&ak, 1000, 1000), 200, 1e-9);
    CHECK(isnan(cc_analysis_estate_required_m2(&ak, NAN, 1000)));
    CHECK(isnan(cc_analysis_estate_required_m2(&ak, -5, 1000)));
    ak.combine_sum = 1; /* 100 + 200 */
    CHECK_NEAR(cc_analysis_estate_required_m2(&ak, 1000, 1000), 300, 1e-9);
    cc_estate_rule ay = {.applies_to = CC_ESTATE_OLD, .terms = ay_terms, .n_terms = 1,
                         .min_m2 = 200};
    /* 500 households: 100 m2 < the 200 m2 minimum; 2000 households: 400 m2. */
    CHECK_NEAR(cc_analysis_estate_required_m2(&ay, 500, NAN), 200, 1e-9);
    CHECK_NEAR(cc_analysis_estate_required_m2(&ay, 2000, NAN), 400, 1e-9);
    cc_estate_rule only_min = {.min_m2 = 200}; /* a childcare room of 200 m2, no terms */
    CHECK_NEAR(cc_analysis_estate_required_m2(&only_min, NAN, NAN), 200, 0);
}

static void test_verdicts(cc_ctx *ctx)
{
    cc_estate_rule ak = {.applies_to = CC_ESTATE_NEW, .terms = ak_terms, .n_terms = 2};
    double hh[] = {1000, 1000, 1000, NAN, 1000, 500};
    double res[] = {3000, 1000, 1000, 2620, 1000, 1310};
    int8_t is_new[] = {1, 1, 0, 1, -1, 1};
    double have[] = {250, 200, 0, 500, 900, NAN};
    double req[6], sf[6];
    uint8_t stt[6], miss[6];
    CHECK_INT(cc_analysis_estates(ctx, &ak, 6, hh, res, is_new, have, req, sf, stt, miss), CC_OK);
    CHECK_INT(stt[0], CC_ESTATE_NOT_COMPLIANT);
    CHECK_NEAR(req[0], 300, 1e-9);
    CHECK_NEAR(sf[0], 50, 1e-9);
    CHECK_INT(stt[1], CC_ESTATE_COMPLIANT); /* exactly the required 200 m2 */
    CHECK_NEAR(sf[1], 0, 0);
    CHECK_INT(stt[2], CC_ESTATE_NOT_APPLICABLE); /* old estate, rule for new ones */
    CHECK(isnan(req[2]) && isnan(sf[2]));
    CHECK_INT(stt[3], CC_ESTATE_NOT_ASSESSABLE); /* households unknown */
    CHECK_INT(miss[3], CC_ESTATE_NO_HOUSEHOLDS);
    CHECK_INT(miss[4], CC_ESTATE_NO_AGE);
    CHECK_INT(miss[5], CC_ESTATE_NO_PROVIDED);
    CHECK_INT(miss[0], 0);
    CHECK(isnan(req[3]));
    CHECK_INT(stt[4], CC_ESTATE_NOT_ASSESSABLE); /* age unknown */
    CHECK_INT(stt[5], CC_ESTATE_NOT_ASSESSABLE); /* provided area unknown: required still shown */
    CHECK_NEAR(req[5], 131, 1e-9);               /* max(0.1 x 1310, 20 x 5) */
    CHECK(isnan(sf[5]));
    /* No field for the service: every applicable estate not assessable. */
    CHECK_INT(cc_analysis_estates(ctx, &ak, 6, hh, res, is_new, NULL, req, sf, stt, miss), CC_OK);
    CHECK_INT(stt[0], CC_ESTATE_NOT_ASSESSABLE);
    CHECK_INT(miss[0], CC_ESTATE_NO_FIELD);
    CHECK_INT(stt[2], CC_ESTATE_NOT_APPLICABLE);

    cc_estate_rule ay = {.applies_to = CC_ESTATE_OLD, .terms = ay_terms, .n_terms = 1,
                         .min_m2 = 200};
    double hh2[] = {500, 2000, 800};
    double res2[] = {NAN, NAN, NAN}; /* the rule needs no residents */
    int8_t new2[] = {0, 0, 0};
    double have2[] = {120, 400, 0};
    int32_t unit[] = {1, 1, -1};
    CHECK_INT(cc_analysis_estates(ctx, &ay, 3, hh2, res2, new2, have2, req, sf, stt, miss), CC_OK);
    CHECK_INT(stt[0], CC_ESTATE_NOT_COMPLIANT);
    CHECK_NEAR(sf[0], 80, 1e-9); /* 200 - 120 */
    CHECK_INT(stt[1], CC_ESTATE_COMPLIANT);
    CHECK_NEAR(sf[2], 200, 1e-9); /* max(160, 200) - 0 */
    cc_estate_sum sum[4];
    CHECK_INT(cc_analysis_estates_summary(ctx, 3, stt, sf, unit, 2, sum), CC_OK);
    CHECK_INT(sum[0].estates, 0);
    CHECK_INT(sum[1].estates, 2);
    CHECK_INT(sum[1].compliant, 1);
    CHECK_NEAR(sum[1].shortfall_m2, 80, 1e-9);
    CHECK_INT(sum[2].estates, 1); /* outside every unit */
    CHECK_INT(sum[3].estates, 3);
    CHECK_INT(sum[3].assessable, 3);
    CHECK_INT(sum[3].compliant, 1);
    CHECK_NEAR(sum[3].shortfall_m2, 280, 1e-9);
    CHECK_INT(cc_analysis_estates(ctx, &ay, 3, NULL, res2, new2, have2, req, sf, stt, miss),
              CC_ERR_INVALID);
}

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx)) return 1;
    test_required();
    test_verdicts(ctx);
    CHECK_STR(cc_estate_status_name(CC_ESTATE_NOT_ASSESSABLE), "not_assessable");
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
