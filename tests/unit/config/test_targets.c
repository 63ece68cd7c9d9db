/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Targets files: the shipped Ankang and Anyang files load with the values of POLICY.md, a
 * small good file gives every field, bad files give path:line:col messages; unit_share
 * records and their errors.
 */
#include "carecircle/targets.h"
#include "cc_test.h"

#include <stdlib.h>

static cc_ctx *ctx;

#define REC                                                                                        \
    "targets:\n"                                                                                   \
    "  - id: a\n"                                                                                  \
    "    jurisdiction: 安康市\n"                                                                \
    "    indicator: T2.5\n"                                                                        \
    "    name_zh: 每千人口拥有3岁以下婴幼儿托位数(个)\n"                           \
    "    comparator: \">=\"\n"                                                                     \
    "    value: 4.73\n"                                                                            \
    "    unit: 个\n"                                                                              \
    "    denominator: {group: residents, basis: 常住}\n"                                         \
    "    level: county\n"                                                                          \
    "    year: 2025\n"                                                                             \
    "    document: AK2023-1\n"                                                                     \
    "    clause: 表2 第5行\n"                                                                   \
    "    attribute: 约束性\n"                                                                   \
    "    quote: \"4.73\"\n"                                                                        \
    "    metric: capacity_per_1000\n"                                                              \
    "    facility_type: childcare\n"

/* A unit_share record without its metric keys (metric: unit_share, unit_level, unit_rule). */
#define US_HEAD                                                                                    \
    "targets:\n"                                                                                   \
    "  - id: AK/street-share/2024\n"                                                               \
    "    jurisdiction: 安康市\n"                                                                \
    "    indicator: T1.11\n"                                                                       \
    "    name_zh: 乡镇(街道)范围内具备综合功能的养老服务机构覆盖率\n"       \
    "    comparator: \">=\"\n"                                                                     \
    "    value: 40\n"                                                                              \
    "    unit: \"%\"\n"                                                                            \
    "    level: city\n"                                                                            \
    "    year: 2024\n"                                                                             \
    "    document: AK2023-1\n"                                                                     \
    "    clause: 表1 第11行\n"                                                                  \
    "    attribute: 约束性\n"                                                                   \
    "    quote: \"40\"\n"                                                                          \
    "    facility_type: street_centre\n"

static void expect(int line, const char *text, const char *msg)
{
    cc_target_set *s = (cc_target_set *)1;
    cc_status st = cc_targets_parse(ctx, "t.yaml", text, strlen(text), &s);
    if (st != CC_ERR_SCENARIO || s || strcmp(cc_ctx_message(ctx), msg) != 0) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL: %s\n  got:  %s\n  want: %s\n", __FILE__, line,
                cc_status_name(st), cc_ctx_message(ctx), msg);
    } else {
        cc_test_pass++;
    }
    if (s && s != (cc_target_set *)1) cc_targets_destroy(s);
}
#define EXPECT(text, msg) expect(__LINE__, text, msg)

static void test_good(void)
{
    cc_target_set *s = NULL;
    CHECK_INT(cc_targets_parse(ctx, "t.yaml", REC "    noun: slots\n", strlen(REC) + 16, &s),
              CC_OK);
    if (!s) return;
    CHECK_INT(s->n, 1);
    const cc_target *t = &s->items[0];
    CHECK_STR(t->id, "a");
    CHECK_STR(t->name_zh, "每千人口拥有3岁以下婴幼儿托位数(个)");
    CHECK_INT(t->cmp, CC_CMP_GE);
    CHECK_NEAR(t->value, 4.73, 0);
    CHECK_STR(t->denom_group, "residents");
    CHECK_STR(t->denom_basis, "常住");
    CHECK_INT(t->level, CC_LEVEL_COUNTY);
    CHECK_INT(t->year, 2025);
    CHECK_STR(t->attribute, "约束性");
    CHECK_INT(t->metric, CC_METRIC_CAPACITY_PER_1000);
    CHECK_STR(t->facility_type, "childcare");
    CHECK_STR(t->noun, "slots");
    CHECK(t->group == NULL);
    CHECK_INT(t->line, 2);
    cc_targets_destroy(s);
}

static void test_shipped(void)
{
    cc_target_set *s = NULL;
    CHECK_INT(cc_targets_load(ctx, CC_SOURCE_DIR "/data/targets/ankang-2025.yaml", &s), CC_OK);
    if (!s) {
        fprintf(stderr, "%s\n", cc_ctx_message(ctx));
        return;
    }
    CHECK_INT(s->n, 89);
    /* The T2.5 ramp of AK2023-1 Table 2: 1.12 ... 4.73, 2020 on the 户籍 basis. */
    const double t25[] = {1.12, 1.47, 2.31, 3.08, 3.93, 4.73};
    const double t17[] = {49, 53, 54, 57, 58, 60};
    int seen25 = 0, seen17 = 0, none = 0;
    for (size_t i = 0; i < s->n; i++) {
        const cc_target *t = &s->items[i];
        if (strcmp(t->indicator, "T2.5") == 0 && strstr(t->id, "-text")) {
            /* the text's 2020 figure, on residents: 3379 / 249万 = 1.357 */
            CHECK_NEAR(t->value, 1.36, 0);
            CHECK_STR(t->denom_basis, "常住");
        } else if (strcmp(t->indicator, "T2.5") == 0) {
            CHECK_NEAR(t->value, t25[t->year - 2020], 0);
            CHECK_STR(t->denom_basis, t->year == 2020 ? "户籍" : "常住");
            CHECK_STR(t->attribute, "约束性");
            seen25++;
        }
        if (strcmp(t->indicator, "T1.7") == 0 && !strstr(t->id, "户籍")) {
            CHECK_NEAR(t->value, t17[t->year - 2020], 0);
            CHECK_STR(t->denom_group, "elderly");
            seen17++;
        }
        none += t->metric == CC_METRIC_NONE;
    }
    CHECK_INT(seen25, 6);
    CHECK_INT(seen17, 6);
    CHECK_INT(none, 16); /* T1.6, T2.8, T2.9: they need estates */
    cc_targets_destroy(s);
    CHECK_INT(cc_targets_load(ctx, CC_SOURCE_DIR "/data/targets/anyang-2025.yaml", &s), CC_OK);
    if (!s) return;
    CHECK_INT(s->n, 16);
    CHECK_STR(s->items[1].id, "AY2022-37/slots-per-1000/2025");
    CHECK_NEAR(s->items[1].value, 4.5, 0);
    CHECK_STR(s->items[1].document, "AY2022-37 安政办〔2022〕37号");
    cc_targets_destroy(s);
}

static void test_bad(void)
{
    EXPECT(REC "    facilty_type: x\n",
           "t.yaml:18:5: unknown key 'facilty_type' in target 'a'; did you mean 'facility_type'?");
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", REC);
    char *p = strstr(buf, "\">=\"");
    memcpy(p, "\"=>\"", 4);
    EXPECT(buf, "t.yaml:6:17: target 'a': comparator '=>' is not valid; did you mean '>='? (one of "
                ">=, >, <=, <, ==)");
    snprintf(buf, sizeof buf, "%s", REC);
    p = strstr(buf, "    value: 4.73\n");
    memmove(p, p + 16, strlen(p + 16) + 1);
    EXPECT(buf, "t.yaml:2:5: target 'a' has no value; add value: 4.73");
    snprintf(buf, sizeof buf, "%s", REC);
    p = strstr(buf, "4.73\n");
    memcpy(p, "lots", 4);
    EXPECT(buf, "t.yaml:7:12: target 'a': value must be a number, not 'lots'; write it like "
                "value: 4.73");
    EXPECT("targets:\n  - {id: b, metric: coverage_shar}\n",
           "t.yaml:2:5: target 'b' has no jurisdiction; add jurisdiction: 安康市");
    EXPECT("target: []\n",
           "t.yaml:1:1: unknown key 'target' in the targets file; did you mean 'targets'?");
    EXPECT(REC "  - id: a\n",
           "t.yaml:18:5: target 'a' has no jurisdiction; add jurisdiction: 安康市");
    /* Duplicate ids: the second record is otherwise complete. */
    snprintf(buf, sizeof buf, REC "%s", strstr(REC, "  - id: a"));
    EXPECT(buf, "t.yaml:18:9: target id 'a' is used twice (first at line 2); give each record "
                "its own id");
    snprintf(buf, sizeof buf, "%s", REC);
    p = strstr(buf, "capacity_per_1000");
    memcpy(p, "capacity_per_100 ", 17);
    EXPECT(buf, "t.yaml:16:13: target 'a': metric 'capacity_per_100' is not valid; did you mean "
                "'capacity_per_1000'? (one of none, coverage_share, capacity_per_1000, "
                "facility_count, capacity_share, unit_share, capacity_total, flag_share)");
    cc_target_set *s = NULL;
    CHECK_INT(cc_targets_load(ctx, "no/such/targets.yaml", &s), CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "cannot open targets file 'no/such/targets.yaml'");
    CHECK_INT(cc_targets_parse(ctx, "e.yaml", "", 0, &s), CC_ERR_SCENARIO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "e.yaml: the targets file is empty");
}

/* metric unit_share: a good record gives its unit level and rule; without unit_level or
   unit_rule, with an unknown rule or level, or with the keys on another metric, one line names
   the file, the line, the record id and what to do. */
static void test_unit_share_good(void)
{
    const char *text = US_HEAD "    metric: unit_share\n"
                               "    unit_level: street\n"
                               "    unit_rule: has_facility\n";
    cc_target_set *s = NULL;
    CHECK_INT(cc_targets_parse(ctx, "t.yaml", text, strlen(text), &s), CC_OK);
    if (!s) return;
    const cc_target *t = &s->items[0];
    CHECK_INT(t->metric, CC_METRIC_UNIT_SHARE);
    CHECK_STR(t->unit_level, "street");
    CHECK_INT(t->unit_rule, CC_UNIT_RULE_HAS_FACILITY);
    CHECK_STR(cc_metric_name(t->metric), "unit_share");
    CHECK_STR(cc_unit_rule_name(CC_UNIT_RULE_COVERED), "covered");
    cc_targets_destroy(s);
    /* a village-level record and the covered rule */
    text = US_HEAD "    metric: unit_share\n"
                   "    unit_level: village\n"
                   "    unit_rule: covered\n";
    CHECK_INT(cc_targets_parse(ctx, "t.yaml", text, strlen(text), &s), CC_OK);
    if (!s) return;
    CHECK_STR(s->items[0].unit_level, "village");
    CHECK_INT(s->items[0].unit_rule, CC_UNIT_RULE_COVERED);
    CHECK_STR(cc_unit_level_name(CC_LEVEL_VILLAGE), "village");
    cc_targets_destroy(s);
}

static void test_unit_share_bad(void)
{
    EXPECT(US_HEAD "    metric: unit_share\n    unit_rule: covered\n",
           "t.yaml:2:5: target 'AK/street-share/2024': metric unit_share needs unit_level, the "
           "level of the units counted; add unit_level: community (county, street, community "
           "or village)");
    EXPECT(US_HEAD "    metric: unit_share\n    unit_level: street\n",
           "t.yaml:2:5: target 'AK/street-share/2024': metric unit_share needs unit_rule, the "
           "test a unit passes; add unit_rule: has_facility (a facility inside) or unit_rule: "
           "covered (its people within reach)");
    EXPECT(US_HEAD "    metric: unit_share\n    unit_level: street\n    unit_rule: has_facilty\n",
           "t.yaml:18:16: target 'AK/street-share/2024': unit_rule 'has_facilty' is not valid; "
           "did you mean 'has_facility'? (one of has_facility, covered)");
    EXPECT(US_HEAD "    metric: unit_share\n    unit_level: township\n    unit_rule: covered\n",
           "t.yaml:17:17: target 'AK/street-share/2024': unit_level 'township' is not valid; "
           "use one of county, street, community, village");
    EXPECT(US_HEAD "    metric: flag_share\n",
           "t.yaml:2:5: target 'AK/street-share/2024' has no flag; add flag: inclusive");
    EXPECT(US_HEAD "    metric: facility_count\n    flag: inclusive\n",
           "t.yaml:17:11: target 'AK/street-share/2024': flag belongs to metric flag_share only; "
           "remove it or write metric: flag_share");
    EXPECT(US_HEAD "    metric: facility_count\n    unit_rule: covered\n",
           "t.yaml:17:16: target 'AK/street-share/2024': unit_rule belongs to metric "
           "unit_share only; remove it or write metric: unit_share");
}

int main(void)
{
    if (cc_ctx_create(&ctx)) return 1;
    test_good();
    test_shipped();
    test_bad();
    test_unit_share_good();
    test_unit_share_bad();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
