/* SPDX-License-Identifier: Apache-2.0 */
/*
 * estate_rules of a targets file (src/config/targets_estates.c): the shipped Ankang and Anyang
 * rules with the figures of POLICY.md section 3.4, and bad rules refused by the targets parser
 * with path:line:col, the rule and what to do.
 */
#include "carecircle/targets.h"
#include "cc_test.h"

#include <string.h>

static cc_ctx *ctx;

#define RULE                                                                                       \
    "  - id: r\n"                                                                                  \
    "    jurisdiction: j\n"                                                                        \
    "    document: d\n"                                                                            \
    "    clause: c\n"                                                                              \
    "    quote: q\n"                                                                               \
    "    applies_to: new\n"                                                                        \
    "    service: elderly\n"
#define HEAD "targets: []\nestate_rules:\n" RULE

/* text must be refused with a message holding want. */
static void refused(int line, const char *text, const char *want)
{
    cc_target_set *s = NULL;
    cc_status st = cc_targets_parse(ctx, "t.yaml", text, strlen(text), &s);
    if (st != CC_ERR_SCENARIO || s || !strstr(cc_ctx_message(ctx), want)) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL: %s\n  got:  %s\n  want: %s\n", __FILE__, line,
                cc_status_name(st), cc_ctx_message(ctx), want);
    } else {
        cc_test_pass++;
    }
    cc_targets_destroy(s);
}

static void test_shipped(void)
{
    cc_estate_rules *ak = NULL, *ay = NULL;
    CHECK_INT(cc_targets_load_estate_rules(ctx, CC_SOURCE_DIR "/data/targets/ankang-2025.yaml",
                                           &ak),
              CC_OK);
    CHECK_INT(cc_targets_load_estate_rules(ctx, CC_SOURCE_DIR "/data/targets/anyang-2025.yaml",
                                           &ay),
              CC_OK);
    if (!ak || !ay) return;
    CHECK_INT(ak->n, 1);
    const cc_estate_rule *r = &ak->items[0];
    CHECK_STR(r->id, "AK2023-1/estate/elderly-new");
    CHECK_INT(r->applies_to, CC_ESTATE_NEW);
    CHECK_INT(r->combine_sum, 0); /* max */
    CHECK_INT(r->n_terms, 2);
    CHECK_INT(r->terms[0].per, CC_PER_RESIDENT);
    CHECK_NEAR(r->terms[0].m2, 0.1, 0);
    CHECK_INT(r->terms[1].per, CC_PER_100_HOUSEHOLDS);
    CHECK_NEAR(r->terms[1].m2, 20, 0);
    CHECK_STR(r->area, "land");
    CHECK_INT(ay->n, 3);
    const cc_estate_rule *old = &ay->items[1], *child = &ay->items[2];
    CHECK_STR(ay->items[0].id, "AY2022-37/estate/elderly-new");
    CHECK_NEAR(ay->items[0].terms[0].m2, 30, 0);
    CHECK_STR(old->id, "AY2022-37/estate/elderly-old");
    CHECK_INT(old->applies_to, CC_ESTATE_OLD);
    CHECK_NEAR(old->terms[0].m2, 20, 0);
    CHECK_NEAR(old->min_m2, 200, 0);
    CHECK_INT(child->service, CC_SERVICE_CHILDCARE);
    CHECK_INT(child->n_terms, 0);
    CHECK_NEAR(child->min_m2, 200, 0);
    CHECK_STR(old->area, "not_stated");
    cc_estate_rules_destroy(ak);
    cc_estate_rules_destroy(ay);
    /* The shipped files still load as targets files (their records untouched). */
    cc_target_set *ts = NULL;
    CHECK_INT(cc_targets_load(ctx, CC_SOURCE_DIR "/data/targets/anyang-2025.yaml", &ts), CC_OK);
    CHECK(ts && ts->n > 0);
    cc_targets_destroy(ts);
}

static void test_bad(void)
{
    refused(__LINE__, HEAD, "t.yaml:3:5: estate rule 'r' has no terms; add terms:");
    refused(__LINE__, HEAD "    terms: []\n", "t.yaml:10:12: estate rule 'r' has no terms");
    refused(__LINE__, HEAD "    terms: [{per: resident, m2: 0.1}, {per: household, m2: 1}]\n",
            "t.yaml:3:5: estate rule 'r' has 2 terms but no combine; add combine: max");
    refused(__LINE__, HEAD "    terms: [{per: person, m2: 0.1}]\n",
            "estate rule 'r': per 'person' is not valid; use one of resident, household, "
            "100_households");
    refused(__LINE__, HEAD "    terms: [{per: resident, m2: -1}]\n",
            "t.yaml:10:33: estate rule 'r': m2 must be a positive number of square metres, not "
            "'-1'; write it like m2: 20");
    refused(__LINE__, HEAD "    terms: [{per: resident}]\n", "the term has no m2");
    refused(__LINE__, HEAD "    terms: [{min_m2: 200, per: resident, m2: 1}]\n",
            "a term is either {per: ..., m2: ...} or {min_m2: ...}");
    refused(__LINE__, HEAD "    terms: [{min_m2: 200}]\n    servce: elderly\n",
            "t.yaml:11:5: unknown key 'servce' in estate rule 'r'; did you mean 'service'?");
    refused(__LINE__, HEAD "    terms: [{min_m2: 200}]\n" RULE "    terms: [{min_m2: 1}]\n",
            "estate rule id 'r' is used twice (first at line 3)");
    refused(__LINE__, "targets: []\nestate_rules: {id: r}\n",
            "t.yaml:2:15: estate_rules must be a list of rules");
    /* A good one parses. */
    const char *ok = HEAD "    terms: [{per: 100_households, m2: 20}, {min_m2: 200}]\n";
    cc_target_set *s = NULL;
    CHECK_INT(cc_targets_parse(ctx, "t.yaml", ok, strlen(ok), &s), CC_OK);
    cc_targets_destroy(s);
}

int main(void)
{
    if (cc_ctx_create(&ctx)) return 1;
    test_shipped();
    test_bad();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
