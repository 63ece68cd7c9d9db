/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Facility conditions (`condition:`) and attributes (capacities, flags, floor_area_field): the
 * grammar's precedence and operators on hand-checked values, every kind of syntax error with
 * its character position, and the scenario keys with their file:line:col messages.
 */
#include "carecircle/config.h"
#include "cc_test.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static cc_ctx *ctx;
static const char *const names[] = {"beds", "nursing_beds", "public", "floor_area"};

/* Evaluate text over values v, or -1 when it does not parse. */
static int eval(const char *text, const double *v)
{
    cc_where w;
    char err[300];
    if (cc_where_parse(ctx, text, names, 4, &w, err, sizeof err) != CC_OK) return -1;
    int r = cc_where_eval(&w, v);
    cc_where_free(&w);
    return r;
}

static void test_eval(void)
{
    const double big[] = {60, 10, 0, 500};   /* 60 beds, 500 m2 */
    const double wide[] = {20, 5, 1, 2500};  /* 20 beds, 2500 m2, public */
    const double small[] = {20, 5, 0, 500};
    const double unknown[] = {NAN, NAN, NAN, NAN};
    const char *comp = "beds >= 50 or floor_area >= 2000";
    CHECK_INT(eval(comp, big), 1);
    CHECK_INT(eval(comp, wide), 1);
    CHECK_INT(eval(comp, small), 0);
    CHECK_INT(eval(comp, unknown), 0);
    /* and binds tighter than or: (public == 1 and beds > 10) or nursing_beds > 8 */
    const char *prec = "public == 1 and beds > 10 or nursing_beds > 8";
    CHECK_INT(eval(prec, big), 1);   /* second group: 10 > 8 */
    CHECK_INT(eval(prec, wide), 1);  /* first group */
    CHECK_INT(eval(prec, small), 0);
    CHECK_INT(eval("beds<=20 and floor_area<600", small), 1);
    CHECK_INT(eval("beds < 20", small), 0);
    CHECK_INT(eval("public != 0", wide), 1);
    CHECK_INT(eval("public != 0", unknown), 0);
    CHECK_INT(eval("floor_area >= 2e3", wide), 1);
    CHECK_INT(eval("floor_area >= 2.5e3", wide), 1);
    CHECK_INT(eval("floor_area > 2.5e3", wide), 0);
    CHECK_INT(cc_where_eval(NULL, big), 1);
}

static void expect_err(int line, const char *text, const char *msg)
{
    cc_where w = {(cc_where_cmp *)1, 7};
    char err[300];
    cc_status st = cc_where_parse(ctx, text, names, 4, &w, err, sizeof err);
    if (st != CC_ERR_SCENARIO || w.n != 0 || w.cmp != NULL || strcmp(err, msg) != 0) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL: %s\n  got:  %s\n  want: %s\n", __FILE__, line,
                cc_status_name(st), err, msg);
    } else {
        cc_test_pass++;
    }
}
#define EXPECT_ERR(text, msg) expect_err(__LINE__, text, msg)
#define EG "; e.g. condition: \"beds >= 50 or floor_area >= 2000\""

static void test_syntax(void)
{
    EXPECT_ERR("", "at character 1: the condition ends where a name was expected" EG);
    EXPECT_ERR("beds >= 50 or", "at character 14: the condition ends where a name was expected" EG);
    EXPECT_ERR("bed >= 50", "at character 1: 'bed' is not a declared capacity, flag or "
                            "floor_area (declared: beds, nursing_beds, public, floor_area)" EG);
    EXPECT_ERR("beds => 50", "at character 6: expected one of >= <= > < == != after 'beds'" EG);
    EXPECT_ERR("beds >= fifty", "at character 9: expected a number after the comparison" EG);
    EXPECT_ERR("beds >= 1.2.3", "at character 9: '1.2.3' is not a number" EG);
    EXPECT_ERR("beds >= 50 || public == 1",
               "at character 12: expected 'and' or 'or' after a comparison" EG);
    EXPECT_ERR("(beds >= 50)", "at character 1: expected a name, found '('" EG);
    EXPECT_ERR("beds >= -5", "at character 9: expected a number after the comparison" EG);
}

#define BASE                                                                                       \
    "name: t\n"                                                                                    \
    "demand:\n"                                                                                    \
    "  elderly: {source: data/pop60plus_a.tif}\n"                                                  \
    "facilities:\n"                                                                                \
    "  day_care:\n"                                                                                \
    "    source: data/day_care.geojson\n"                                                          \
    "    serves: elderly\n"

static cc_scenario *parse(const char *more)
{
    char buf[2048];
    snprintf(buf, sizeof buf, BASE "%s", more);
    cc_scenario *sc = NULL;
    cc_scenario_parse(ctx, "scenario.yaml", buf, strlen(buf), NULL, 0, &sc);
    return sc;
}

static void expect_scn(int line, const char *more, const char *msg)
{
    cc_scenario *sc = parse(more);
    if (sc || strcmp(cc_ctx_message(ctx), msg) != 0) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL\n  got:  %s\n  want: %s\n", __FILE__, line,
                cc_ctx_message(ctx), msg);
    } else {
        cc_test_pass++;
    }
    cc_scenario_destroy(sc);
}
#define EXPECT_SCN(more, msg) expect_scn(__LINE__, more, msg)

static void test_scenario(void)
{
    cc_scenario *sc = parse("    capacities: {beds: beds, nursing_beds: {field: nb, part_of: beds}}\n"
                            "    flags: {public: is_public}\n"
                            "    floor_area_field: area_m2\n"
                            "    condition: beds >= 50 or floor_area >= 2000\n");
    CHECK(sc != NULL);
    if (!sc) {
        fprintf(stderr, "%s\n", cc_ctx_message(ctx));
        return;
    }
    const cc_facility_spec *f = &sc->facilities[0];
    CHECK_INT(cc_facility_attr_count(f), 4);
    CHECK_STR(cc_facility_attr_name(f, 1), "nursing_beds");
    CHECK_STR(cc_facility_attr_field(f, 1), "nb");
    CHECK_STR(f->capacities[1].part_of, "beds");
    CHECK(f->capacities[0].part_of == NULL);
    CHECK_STR(cc_facility_attr_name(f, 2), "public");
    CHECK_STR(cc_facility_attr_field(f, 2), "is_public");
    CHECK_STR(cc_facility_attr_name(f, 3), "floor_area");
    CHECK_STR(cc_facility_attr_field(f, 3), "area_m2");
    CHECK_INT(f->where.n, 2);
    CHECK_INT(f->where.cmp[1].var, 3);
    CHECK_INT(f->where_pos.line, 11);
    cc_scenario_destroy(sc);

    EXPECT_SCN("    capacities: {beds: beds}\n    condition: beds >= 50 or area >= 2000\n",
               "scenario.yaml:9:16: facilities.day_care.condition: at character 15: 'area' is not a "
               "declared capacity, flag or floor_area (declared: beds)" EG);
    EXPECT_SCN("    capacities: {beds: beds}\n    condition: beds >= 50 or\n",
               "scenario.yaml:9:16: facilities.day_care.condition: at character 14: the condition "
               "ends where a name was expected" EG);
    EXPECT_SCN("    capacities: {nursing_beds: {field: nb, part_of: beds}}\n",
               "scenario.yaml:8:53: facilities.day_care.capacities.nursing_beds: part_of names "
               "'beds', which is not another capacity of the type; declare it under capacities "
               "or remove part_of");
    EXPECT_SCN("    capacities: {beds: beds}\n    flags: {beds: b}\n",
               "scenario.yaml:9:13: facilities.day_care.flags: 'beds' is declared twice "
               "(capacities and flags share one list of names); rename one");
    EXPECT_SCN("    capacities: {floor_area: a}\n",
               "scenario.yaml:8:18: facilities.day_care.capacities: the name 'floor_area' is "
               "reserved for floor_area_field; choose another name");
    EXPECT_SCN("    capacities: {beds: {part_of: x}}\n",
               "scenario.yaml:8:24: missing required key 'field' in "
               "facilities.day_care.capacities.beds; name the column, e.g. capacities: {beds: "
               "beds, nursing_beds: {field: nursing_beds, part_of: beds}}");
}

int main(void)
{
    if (cc_ctx_create(&ctx)) return 1;
    if (chdir(CC_FIXTURES "/scenarios") != 0) return 1;
    test_eval();
    test_syntax();
    test_scenario();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
