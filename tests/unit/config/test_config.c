/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario files: a full scenario with every key, defaults, string-or-list keys, every class
 * of error with its exact file:line:col, --set overrides, and the allocation-failure hook.
 * Runs in tests/fixtures/scenarios so that relative paths and messages are predictable.
 */
#include "carecircle/config.h"
#include "cc_test.h"

#include <stdlib.h>
#include <unistd.h>

static cc_ctx *ctx;

/* Inline scenarios are parsed as "scenario.yaml" in the fixtures folder. */
static cc_status parse(const char *text, const char *const *ov, size_t nov, cc_scenario **out)
{
    return cc_scenario_parse(ctx, "scenario.yaml", text, strlen(text), ov, nov, out);
}

/* Parse must fail with st and exactly msg (or, if exact is 0, a message containing msg). */
static void expect_error(int line, const char *text, const char *const *ov, size_t nov,
                         cc_status st, const char *msg, int exact)
{
    cc_scenario *sc = (cc_scenario *)1;
    cc_status got = parse(text, ov, nov, &sc);
    if (got != st || sc != NULL ||
        (exact ? strcmp(cc_ctx_message(ctx), msg) != 0 : !strstr(cc_ctx_message(ctx), msg))) {
        cc_test_fail++;
        fprintf(stderr, "%s:%d: FAIL: status %s (want %s), message\n  got:  %s\n  want: %s\n",
                __FILE__, line, cc_status_name(got), cc_status_name(st), cc_ctx_message(ctx), msg);
    } else {
        cc_test_pass++;
    }
    if (sc && sc != (cc_scenario *)1) cc_scenario_destroy(sc);
}
#define EXPECT_EXACT(text, msg) expect_error(__LINE__, text, NULL, 0, CC_ERR_SCENARIO, msg, 1)
#define EXPECT_HAS(text, msg) expect_error(__LINE__, text, NULL, 0, CC_ERR_SCENARIO, msg, 0)

/* A valid scenario; the %s slot is line 9, inside facilities.day_care (keys at column 5). */
#define BASE                                                                                       \
    "name: t\n"                                                                                    \
    "demand:\n"                                                                                    \
    "  elderly: {source: data/pop60plus_a.tif}\n"                                                  \
    "  infants: {source: data/census.gpkg, count_field: n}\n"                                      \
    "facilities:\n"                                                                                \
    "  day_care:\n"                                                                                \
    "    source: data/day_care.geojson\n"                                                          \
    "    serves: elderly\n"

static char *with_line9(const char *line)
{
    static char buf[2048];
    snprintf(buf, sizeof buf, BASE "%s", line);
    return buf;
}

static void test_full(void)
{
    cc_scenario *sc = NULL;
    CHECK_INT(cc_scenario_load(ctx, "full.yaml", NULL, 0, &sc), CC_OK);
    if (!sc) {
        fprintf(stderr, "%s\n", cc_ctx_message(ctx));
        return;
    }
    CHECK_STR(sc->path, "full.yaml");
    CHECK_STR(sc->dir, ".");
    CHECK_STR(sc->name, "Jianghan 2025 baseline");
    CHECK_STR(sc->working_crs, "EPSG:4547");
    CHECK_STR(sc->output_dir, "out/full");
    /* [30, 10, 5, 10] plus day_care 12.5 and childcare's default 15: sorted, unique. */
    CHECK_INT(sc->n_thresholds, 5);
    if (sc->n_thresholds == 5) {
        CHECK_NEAR(sc->thresholds_min[0], 5, 0);
        CHECK_NEAR(sc->thresholds_min[1], 10, 0);
        CHECK_NEAR(sc->thresholds_min[2], 12.5, 0);
        CHECK_NEAR(sc->thresholds_min[3], 15, 0);
        CHECK_NEAR(sc->thresholds_min[4], 30, 0);
    }

    const cc_network_spec *nw = &sc->network;
    CHECK_INT(nw->present, 1);
    CHECK_INT(nw->src.n_sources, 1);
    CHECK_STR(nw->src.sources[0], "data/roads.geojson");
    CHECK_STR(nw->src.layer, "roads");
    CHECK_STR(nw->src.where, "highway <> 'motorway'");
    CHECK_STR(nw->src.crs, "EPSG:4326");
    CHECK_STR(nw->src.encoding, "UTF-8");
    CHECK_STR(nw->src.id_field, "osm_id");
    CHECK_STR(nw->src.name_field, "name");
    CHECK(nw->src.x_field == NULL && nw->src.y_field == NULL);
    CHECK_STR(nw->mode, "walk_elderly");
    CHECK_NEAR(nw->speed_kmh, 3.6, 0);
    CHECK_NEAR(nw->snap_tolerance_m, 0.5, 0);
    CHECK_NEAR(nw->max_snap_m, 300, 0);
    CHECK_STR(nw->class_field, "fclass");
    CHECK_STR(nw->oneway_field, "is_oneway");
    CHECK_INT(nw->pos.line, 7);
    CHECK_INT(nw->pos.col, 3);
    CHECK_INT(nw->src.pos.line, 7);

    CHECK_INT(sc->n_demand, 2);
    const cc_demand_spec *el = cc_scenario_demand(sc, "elderly");
    const cc_demand_spec *inf = cc_scenario_demand(sc, "infants");
    CHECK(el == &sc->demand[0]);
    CHECK(inf == &sc->demand[1]);
    CHECK(cc_scenario_demand(sc, "residents") == NULL);
    if (el && inf) {
        CHECK_STR(el->label, "60岁及以上");
        CHECK_INT(el->src.n_sources, 2); /* a list of rasters on one grid */
        CHECK_STR(el->src.sources[0], "data/pop60plus_a.tif");
        CHECK_STR(el->src.sources[1], "data/pop60plus_b.tif");
        CHECK_NEAR(el->scale, 1.3, 0);
        CHECK(el->count_field == NULL);
        CHECK_INT(el->pos.line, 22);
        CHECK_INT(el->pos.col, 5);
        CHECK_INT(el->pos.set_index, 0);
        CHECK_STR(inf->label, "infants"); /* default: the group name */
        CHECK_INT(inf->src.n_sources, 1);
        CHECK_STR(inf->src.sources[0], "data/census.gpkg");
        CHECK_STR(inf->src.layer, "communities");
        CHECK_STR(inf->count_field, "age_0_3");
        CHECK_NEAR(inf->scale, 1, 0);
    }

    CHECK_INT(sc->n_facilities, 2);
    const cc_facility_spec *dc = cc_scenario_facility(sc, "day_care");
    const cc_facility_spec *cc = cc_scenario_facility(sc, "childcare");
    CHECK(cc_scenario_facility(sc, "clinic") == NULL);
    if (dc && cc) {
        CHECK_STR(dc->label, "社区日间照料中心");
        CHECK_STR(dc->src.where, "kind = '日间照料中心'");
        CHECK_STR(dc->src.crs, "GCJ02");
        CHECK_STR(dc->capacity_field, "beds");
        CHECK_INT(dc->n_serves, 1);
        CHECK_STR(dc->serves[0], "elderly");
        CHECK_NEAR(dc->threshold_min, 12.5, 0);
        CHECK_NEAR(dc->speed_kmh, 3.0, 0);
        CHECK_NEAR(dc->radius_m, 800, 0);
        CHECK_STR(dc->mode, "walk_elderly");
        CHECK_INT(dc->pos.line, 31);
        CHECK_INT(dc->pos.col, 5);
        CHECK_STR(cc->label, "childcare");
        CHECK_STR(cc->src.x_field, "lng");
        CHECK_STR(cc->src.y_field, "lat");
        CHECK_STR(cc->src.id_field, "id");
        CHECK_STR(cc->src.name_field, "name");
        CHECK_STR(cc->capacity_field, "slots");
        CHECK_INT(cc->n_serves, 2);
        CHECK_STR(cc->serves[0], "infants");
        CHECK_STR(cc->serves[1], "elderly");
        CHECK_NEAR(cc->threshold_min, 15, 0);
        CHECK_NEAR(cc->speed_kmh, 0, 0);
        CHECK_NEAR(cc->radius_m, 0, 0);
        CHECK(cc->mode == NULL);
    }

    CHECK_INT(sc->districts.present, 1);
    CHECK_STR(sc->districts.src.sources[0], "data/districts.geojson");
    CHECK_STR(sc->districts.src.name_field, "name");
    CHECK_STR(sc->districts.src.encoding, "GBK");
    CHECK_INT(sc->districts.pos.line, 49);
    CHECK_INT(sc->districts.pos.col, 12);

    /* sha256sum full.yaml */
    CHECK_STR(sc->sha256, "1fbd31631e304983b4865d411f70699a15f63f45bf4a5fd9c791f92123af686d");
    char w[128];
    CHECK_STR(cc_scenario_where(sc, dc ? dc->pos : nw->pos, w, sizeof w), "full.yaml:31:5");
    cc_srcpos none = {0, 0, 0};
    CHECK_STR(cc_scenario_where(sc, none, w, sizeof w), "full.yaml");
    cc_scenario_destroy(sc);

    /* Relative sources and output_dir resolve against the scenario's folder. */
    CHECK_INT(cc_scenario_load(ctx, "../scenarios/full.yaml", NULL, 0, &sc), CC_OK);
    if (sc) {
        CHECK_STR(sc->dir, "../scenarios");
        CHECK_STR(sc->network.src.sources[0], "../scenarios/data/roads.geojson");
        CHECK_STR(sc->demand[0].src.sources[1], "../scenarios/data/pop60plus_b.tif");
        CHECK_STR(sc->output_dir, "../scenarios/out/full");
        cc_scenario_destroy(sc);
    }
}

static void test_defaults(void)
{
    cc_scenario *sc = NULL;
    CHECK_INT(cc_scenario_load(ctx, "minimal.yaml", NULL, 0, &sc), CC_OK);
    if (!sc) return;
    CHECK_STR(sc->working_crs, "auto");
    CHECK(sc->output_dir == NULL);
    CHECK_INT(sc->n_thresholds, 5);
    static const double want[] = {5, 10, 15, 20, 30};
    for (size_t i = 0; i < 5 && i < sc->n_thresholds; i++)
        CHECK_NEAR(sc->thresholds_min[i], want[i], 0);
    CHECK_INT(sc->network.present, 0);
    CHECK_STR(sc->network.mode, "walk");
    CHECK_NEAR(sc->network.speed_kmh, 0, 0);
    CHECK_NEAR(sc->network.snap_tolerance_m, 0, 0);
    CHECK_NEAR(sc->network.max_snap_m, 250, 0);
    CHECK_STR(sc->network.class_field, "highway");
    CHECK_STR(sc->network.oneway_field, "oneway");
    CHECK_INT(sc->network.src.n_sources, 0);
    CHECK_INT(sc->districts.present, 0);
    CHECK_INT(sc->n_demand, 1);
    CHECK_STR(sc->demand[0].label, "elderly");
    CHECK_NEAR(sc->demand[0].scale, 1, 0);
    CHECK(sc->demand[0].src.layer == NULL && sc->demand[0].src.crs == NULL);
    CHECK_INT(sc->n_facilities, 1);
    CHECK_NEAR(sc->facilities[0].threshold_min, 15, 0);
    CHECK_INT(sc->facilities[0].n_serves, 1);
    CHECK_STR(sc->facilities[0].serves[0], "elderly");
    CHECK(sc->facilities[0].mode == NULL && sc->facilities[0].capacity_field == NULL);
    CHECK_STR(sc->sha256, "80f030d72a662bccebd0e977aeeaeece7a66d4d4564f7de9fbcd5718426afca1");
    cc_scenario_destroy(sc);

    /* One number for thresholds_min, merged with the facility's own 15; null values are
       absent keys; a quoted number is still a number; ~ and "" work as empty. */
    CHECK_INT(parse(BASE "    threshold_min: \"20\"\nthresholds_min: 7.5\nworking_crs: ~\n"
                         "output_dir:\n",
                    NULL, 0, &sc),
              CC_OK);
    if (sc) {
        CHECK_INT(sc->n_thresholds, 2);
        CHECK_NEAR(sc->thresholds_min[0], 7.5, 0);
        CHECK_NEAR(sc->thresholds_min[1], 20, 0);
        CHECK_STR(sc->working_crs, "auto");
        CHECK(sc->output_dir == NULL);
        CHECK_INT(sc->n_demand, 2);
        CHECK_STR(sc->demand[1].count_field, "n");
        cc_scenario_destroy(sc);
    }
}

static void test_yaml_errors(void)
{
    /* Syntax error: a flow list that is never closed. */
    EXPECT_HAS("name: t\ndemand: [a, b\nfacilities: {}\n", "scenario.yaml:3:");
    EXPECT_HAS("name: t\ndemand: [a, b\nfacilities: {}\n", "YAML syntax error");
    /* A tab where indentation is expected. */
    EXPECT_HAS("name: t\ndemand:\n\telderly: {}\n",
               "scenario.yaml:3:1: YAML syntax error: a tab character; YAML indents with spaces");
    EXPECT_EXACT("name: t\nworking_crs: a: b\n",
                 "scenario.yaml:2:15: YAML syntax error: mapping values are not allowed in this "
                 "context; put quotes around a value that contains ': ', or check the "
                 "indentation");
    EXPECT_EXACT("name: a\ndemand: {}\nname: b\n",
                 "scenario.yaml:3:1: duplicate key 'name' (first at line 1); remove one of them");
    EXPECT_EXACT(BASE "    serves: infants\n", "scenario.yaml:9:5: duplicate key 'serves' "
                                               "(first at line 8); remove one of them");
    EXPECT_HAS("name: &n t\n", "scenario.yaml:1:7: YAML anchors (&n) and aliases are not "
                               "supported; write the value out in full");
    EXPECT_HAS("name: t\nworking_crs: *n\n", "scenario.yaml:2:14: YAML aliases (*n)");
    EXPECT_EXACT("name: t\n---\nname: u\n",
                 "scenario.yaml:2:1: a second YAML document ('---') is not supported; keep one "
                 "scenario per file");
    EXPECT_HAS("name: !custom t\n", "scenario.yaml:1:7: YAML tag '!custom' is not supported");
    /* GBK bytes for 老人 in a file saved without UTF-8: line 2, column 10. */
    EXPECT_EXACT("name: t\ndemand: {\xC0\xCF\xC8\xCB: {}}\n",
                 "scenario.yaml:2:10: the file is not valid UTF-8 (byte 0xC0); save it with "
                 "UTF-8 encoding (e.g. from GBK: iconv -f GBK -t UTF-8)");
    /* A truncated UTF-8 sequence at the very end, after two characters on line 1. */
    EXPECT_HAS("\xE8\x80\x81\xE4\xBA\xBA\xE5", "scenario.yaml:1:3: the file is not valid UTF-8");
    EXPECT_EXACT("", "scenario.yaml:1:1: the scenario is empty; it needs at least name, demand "
                     "and facilities (see docs/scenario.md)");
    EXPECT_HAS("- name: t\n", "scenario.yaml:1:1: the scenario must be a mapping of keys");
    EXPECT_HAS("[a]: 1\n", "scenario.yaml:1:1: a key must be a name, not a list");
    /* A deeply nested value is refused without exhausting the stack. */
    char deep[400];
    memset(deep, '[', 300);
    deep[300] = '\0';
    EXPECT_HAS(deep, "nested deeper than 64 levels");
}

static void test_key_errors(void)
{
    EXPECT_EXACT("nmae: t\n", "scenario.yaml:1:1: unknown key 'nmae' at the top level; did you "
                              "mean 'name'?");
    EXPECT_EXACT(BASE "thresholds: [5]\n",
                 "scenario.yaml:9:1: unknown key 'thresholds' at the top level; did you mean "
                 "'thresholds_min'?");
    EXPECT_EXACT(with_line9("    treshold_min: 10\n"),
                 "scenario.yaml:9:5: unknown key 'treshold_min' in facilities.day_care; did you "
                 "mean 'threshold_min'?");
    EXPECT_EXACT("name: t\nnetwork: {source: data/roads.geojson, mdoe: walk}\n",
                 "scenario.yaml:2:39: unknown key 'mdoe' in network; did you mean 'mode'?");
    /* Nothing close: list the valid keys instead. */
    EXPECT_EXACT("name: t\ndemand:\n  elderly: {source: data/census.gpkg, colour: red}\n",
                 "scenario.yaml:3:39: unknown key 'colour' in demand.elderly; valid keys are: "
                 "source, layer, where, crs, encoding, x_field, y_field, id_field, name_field, "
                 "label, count_field, scale, buildings, cell_m, basis, counterpart");
    EXPECT_HAS(BASE "districts: {source: data/districts.geojson, name_field: n, mode: walk}\n",
               "scenario.yaml:9:60: unknown key 'mode' in districts");

    /* Wrong types. */
    EXPECT_EXACT(with_line9("    threshold_min: abc\n"),
                 "scenario.yaml:9:20: facilities.day_care.threshold_min must be a number, not "
                 "'abc'; write it like threshold_min: 15");
    EXPECT_EXACT(with_line9("    layer: [a, b]\n"),
                 "scenario.yaml:9:12: facilities.day_care.layer must be a single text value, not "
                 "a list; write it like layer: some_value");
    EXPECT_EXACT("name: t\ndemand:\n  elderly: {source: data/census.gpkg, scale: {x: 1}}\n",
                 "scenario.yaml:3:46: demand.elderly.scale must be a number, not a mapping; "
                 "write it like scale: 1.3");
    EXPECT_HAS(with_line9("    speed_kmh: 1e999\n"),
               "scenario.yaml:9:16: facilities.day_care.speed_kmh must be a finite number");
    EXPECT_EXACT("name: t\ndemand:\n  elderly: data/census.gpkg\n",
                 "scenario.yaml:3:12: demand.elderly must be a mapping of keys, not "
                 "'data/census.gpkg'; write it like elderly: {source: pop.tif}");
    EXPECT_HAS("name: [a]\n", "scenario.yaml:1:7: name must be a single text value, not a list");
    EXPECT_HAS(BASE "thresholds_min: {a: 1}\n",
               "scenario.yaml:9:17: thresholds_min must be a number or a list of numbers, not a "
               "mapping");
    EXPECT_HAS(BASE "thresholds_min: [5, ten]\n",
               "scenario.yaml:9:21: thresholds_min[1] must be a number, not 'ten'");

    /* Missing required keys. */
    EXPECT_EXACT("demand: {}\n", "scenario.yaml:1:1: missing required key 'name' at the top "
                                 "level; add e.g. name: Jianghan 2025 baseline");
    EXPECT_HAS("name: t\nfacilities: {}\n",
               "scenario.yaml:1:1: missing required key 'demand' at the top level");
    EXPECT_HAS("name: t\ndemand:\n  elderly: {source: data/census.gpkg}\n",
               "scenario.yaml:1:1: missing required key 'facilities' at the top level");
    EXPECT_HAS("name: t\ndemand: {}\n", "scenario.yaml:2:9: demand has no groups");
    EXPECT_EXACT("name: t\ndemand:\n  elderly: {layer: x}\n",
                 "scenario.yaml:3:12: missing required key 'source' in demand.elderly; add the "
                 "input file, e.g. source: data.gpkg");
    EXPECT_EXACT("name: t\ndemand:\n  elderly: {source: data/census.gpkg}\nfacilities:\n"
                 "  day_care: {source: data/day_care.geojson}\n",
                 "scenario.yaml:5:13: missing required key 'serves' in facilities.day_care; name "
                 "the demand group(s) it serves, e.g. serves: elderly");
    EXPECT_HAS(BASE "districts: {source: data/districts.geojson}\n",
               "scenario.yaml:9:12: missing required key 'name_field' in districts");
}

static void test_value_errors(void)
{
    EXPECT_EXACT(with_line9("    mode: wlak\n"),
                 "scenario.yaml:9:11: facilities.day_care.mode 'wlak' is not a travel mode (walk, "
                 "walk_elderly, bike, drive); did you mean 'walk'?");
    EXPECT_EXACT("name: t\nnetwork:\n  source: data/roads.geojson\n  mode: teleport\n",
                 "scenario.yaml:4:9: network.mode 'teleport' is not a travel mode; use one of "
                 "walk, walk_elderly, bike, drive");
    EXPECT_EXACT(with_line9("    threshold_min: 0\n"),
                 "scenario.yaml:9:20: facilities.day_care.threshold_min is 0; a threshold must "
                 "be more than 0 minutes, e.g. 15");
    EXPECT_EXACT(with_line9("    threshold_min: -5\n"),
                 "scenario.yaml:9:20: facilities.day_care.threshold_min is -5; a threshold must "
                 "be more than 0 minutes, e.g. 15");
    EXPECT_EXACT(with_line9("    threshold_min: 10080\n"),
                 "scenario.yaml:9:20: facilities.day_care.threshold_min: a threshold of 10080 "
                 "minutes (a week) is not a service circle; use at most 240");
    EXPECT_HAS(BASE "thresholds_min: [5, 300]\n",
               "scenario.yaml:9:21: thresholds_min[1]: a threshold of 300 minutes (5 hours) is "
               "not a service circle; use at most 240");
    EXPECT_HAS(BASE "thresholds_min: []\n", "scenario.yaml:9:17: thresholds_min is an empty list");
    EXPECT_EXACT(with_line9("    speed_kmh: 0\n"),
                 "scenario.yaml:9:16: facilities.day_care.speed_kmh is 0; it must be at least "
                 "0.5 and at most 200 km/h; remove the key to use the network's speed");
    EXPECT_HAS(with_line9("    radius_m: 200000\n"),
               "scenario.yaml:9:15: facilities.day_care.radius_m is 200000; it must be at least "
               "1 and at most 100000 m");
    EXPECT_HAS("name: t\nnetwork: {source: data/roads.geojson, speed_kmh: -4}\n",
               "scenario.yaml:2:50: network.speed_kmh is -4; it must be 0 or between 0.5 and "
               "200 km/h (0 = the mode's default speed)");
    EXPECT_HAS("name: t\nnetwork: {source: data/roads.geojson, snap_tolerance_m: 60}\n",
               "network.snap_tolerance_m is 60; it must be at least 0 and at most 50 m");
    EXPECT_HAS("name: t\ndemand:\n  elderly: {source: data/census.gpkg, scale: 0}\n",
               "scenario.yaml:3:46: demand.elderly.scale is 0; it must be at least 1e-06 and "
               "at most 1000000 (it multiplies the counts");

    /* serves must name demand groups. */
    EXPECT_EXACT(BASE "    serves2: x\n", "scenario.yaml:9:5: unknown key 'serves2' in "
                                          "facilities.day_care; did you mean 'serves'?");
    EXPECT_EXACT("name: t\ndemand:\n  elderly: {source: data/census.gpkg}\n"
                 "  infants: {source: data/census.gpkg}\nfacilities:\n"
                 "  day_care: {source: data/day_care.geojson, serves: [elderly, elderley]}\n",
                 "scenario.yaml:6:63: facilities.day_care.serves: 'elderley' is not a demand "
                 "group; did you mean 'elderly'?");
    EXPECT_EXACT("name: t\ndemand:\n  elderly: {source: data/census.gpkg}\n"
                 "  infants: {source: data/census.gpkg}\nfacilities:\n"
                 "  day_care: {source: data/day_care.geojson, serves: students}\n",
                 "scenario.yaml:6:53: facilities.day_care.serves: 'students' is not a demand "
                 "group; use one of: elderly, infants");
    EXPECT_HAS("name: t\ndemand:\n  elderly: {source: data/census.gpkg}\nfacilities:\n"
               "  day_care: {source: data/day_care.geojson, serves: []}\n",
               "scenario.yaml:5:53: facilities.day_care.serves is an empty list");

    /* Coordinate columns go in pairs. */
    EXPECT_EXACT(with_line9("    x_field: lng\n"),
                 "scenario.yaml:9:5: x_field given without y_field in facilities.day_care; add "
                 "y_field with the latitude (or northing) column");
    EXPECT_HAS(with_line9("    y_field: lat\n"),
               "scenario.yaml:9:5: y_field given without x_field in facilities.day_care");

    /* Input files must exist; /vsi paths are GDAL's business. */
    EXPECT_EXACT("name: t\ndemand:\n  elderly: {source: data/pop60.tif}\n",
                 "scenario.yaml:3:21: file 'data/pop60.tif' not found (looked for "
                 "'data/pop60.tif'); check the path, which is relative to the scenario file");
    EXPECT_HAS("name: t\ndemand:\n  elderly:\n    source:\n      - data/pop60plus_a.tif\n"
               "      - data/nope.tif\n",
               "scenario.yaml:6:9: file 'data/nope.tif' not found");
    EXPECT_HAS("name: t\ndemand:\n  elderly: {source: []}\n",
               "scenario.yaml:3:21: demand.elderly.source is an empty list");
    cc_scenario *sc = NULL;
    CHECK_INT(cc_scenario_parse(ctx, "sub/scenario.yaml", BASE, strlen(BASE), NULL, 0, &sc),
              CC_ERR_SCENARIO);
    CHECK_STR(cc_ctx_message(ctx), "sub/scenario.yaml:3:21: file 'data/pop60plus_a.tif' not found "
                                   "(looked for 'sub/data/pop60plus_a.tif'); check the path, "
                                   "which is relative to the scenario file");
    const char *vsi = "name: t\ndemand:\n  e: {source: /vsizip/nowhere.zip/pop.tif}\n"
                      "facilities:\n  f: {source: data/day_care.geojson, serves: e}\n";
    CHECK_INT(parse(vsi, NULL, 0, &sc), CC_OK);
    if (sc) {
        CHECK_STR(sc->demand[0].src.sources[0], "/vsizip/nowhere.zip/pop.tif");
        cc_scenario_destroy(sc);
    }

    /* Group and type names become column names. */
    EXPECT_EXACT("name: t\ndemand:\n  elderly-60: {source: data/census.gpkg}\n",
                 "scenario.yaml:3:3: demand group name 'elderly-60' cannot become an output "
                 "column name; use only letters, digits and '_', not starting with a digit (e.g. "
                 "'elderly_60'), and put the display text in label:");
    EXPECT_HAS("name: t\ndemand:\n  elderly: {source: data/census.gpkg}\nfacilities:\n"
               "  2day: {source: data/day_care.geojson, serves: elderly}\n",
               "scenario.yaml:5:3: facility type name '2day' cannot become an output column name");
    EXPECT_HAS("name: t\ndemand:\n  老人: {source: data/census.gpkg}\n",
               "scenario.yaml:3:3: demand group name '老人' cannot become an output column "
               "name; use only letters, digits and '_', not starting with a digit, and put");
}

static void test_overrides(void)
{
    const char *text = BASE "    threshold_min: 15\n";
    cc_scenario *sc = NULL;

    /* Change a number, add a list, a quoted string, and a key inside a new mapping. */
    const char *ov[] = {"facilities.day_care.threshold_min=10",
                        "thresholds_min=[5, 10, 45]",
                        "name=\"a b\"",
                        "districts.source=data/districts.geojson",
                        "districts.name_field=name",
                        "network={source: data/roads.geojson}",
                        "network.mode=bike"};
    CHECK_INT(parse(text, ov, 7, &sc), CC_OK);
    if (sc) {
        CHECK_NEAR(sc->facilities[0].threshold_min, 10, 0);
        CHECK_INT(sc->n_thresholds, 3);
        CHECK_NEAR(sc->thresholds_min[2], 45, 0);
        CHECK_STR(sc->name, "a b");
        CHECK_INT(sc->districts.present, 1);
        CHECK_STR(sc->districts.src.sources[0], "data/districts.geojson");
        CHECK_STR(sc->districts.src.name_field, "name");
        CHECK_INT(sc->districts.pos.line, 0);
        CHECK_INT(sc->districts.pos.set_index, 4);
        CHECK_INT(sc->network.present, 1);
        CHECK_STR(sc->network.mode, "bike");
        CHECK_INT(sc->n_overrides, 7);
        char w[128];
        CHECK_STR(cc_scenario_where(sc, sc->districts.pos, w, sizeof w),
                  "--set districts.source=data/districts.geojson");
        /* The facility block itself still comes from the file. */
        CHECK_STR(cc_scenario_where(sc, sc->facilities[0].pos, w, sizeof w), "scenario.yaml:7:5");
        cc_scenario_destroy(sc);
    }

    /* The hash covers the text and each override (python3 hashlib over the same bytes). */
    const char *ov2[] = {"facilities.day_care.threshold_min=10", "name=\"a b\""};
    FILE *f = fopen("full.yaml", "rb");
    char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) fclose(f);
    CHECK_INT(cc_scenario_parse(ctx, "full.yaml", buf, n, ov2, 2, &sc), CC_OK);
    if (sc) {
        CHECK_STR(sc->sha256, "dd20a6031b1da00024361dba26a23885c47e13ef60f8db576e28bd5b97e8b702");
        CHECK_STR(sc->name, "a b");
        cc_scenario_destroy(sc);
    }

    /* A misspelt override key is caught like one in the file, located at the --set. */
    const char *bad1[] = {"facilities.day_care.treshold_min=10"};
    expect_error(__LINE__, text, bad1, 1, CC_ERR_SCENARIO,
                 "--set facilities.day_care.treshold_min=10: unknown key 'treshold_min' in "
                 "facilities.day_care; did you mean 'threshold_min'?",
                 1);
    const char *bad2[] = {"facilities.day_care.threshold_min=10080"};
    expect_error(__LINE__, text, bad2, 1, CC_ERR_SCENARIO,
                 "--set facilities.day_care.threshold_min=10080: facilities.day_care."
                 "threshold_min: a threshold of 10080 minutes (a week) is not a service circle",
                 0);
    const char *bad3[] = {"network.mode=wlak"};
    expect_error(__LINE__, text, bad3, 1, CC_ERR_SCENARIO,
                 "--set network.mode=wlak: missing required key 'source' in network", 0);
    const char *bad4[] = {"thresholds_min=[5, 10"};
    expect_error(__LINE__, text, bad4, 1, CC_ERR_SCENARIO,
                 "--set thresholds_min=[5, 10: YAML syntax error", 0);
    const char *bad5[] = {"threshold_min"};
    expect_error(__LINE__, text, bad5, 1, CC_ERR_SCENARIO,
                 "--set threshold_min: expected KEY=VALUE; write e.g. --set "
                 "facilities.day_care.threshold_min=10",
                 1);
    const char *bad6[] = {"name.first=x"};
    expect_error(__LINE__, text, bad6, 1, CC_ERR_SCENARIO,
                 "--set name.first=x: 'name' is 't', not a mapping of keys; override it as a "
                 "whole, e.g. --set name=...",
                 1);
    const char *bad7[] = {"facilities..x=1"};
    expect_error(__LINE__, text, bad7, 1, CC_ERR_SCENARIO,
                 "--set facilities..x=1: the key 'facilities..x' has an empty part", 0);
    const char *bad8[] = {"demand.elderly.source=data/none.tif"};
    expect_error(__LINE__, text, bad8, 1, CC_ERR_SCENARIO,
                 "--set demand.elderly.source=data/none.tif: file 'data/none.tif' not found", 0);
    const char *bad9[] = {"demand.elderly.scale=&a 2"};
    expect_error(__LINE__, text, bad9, 1, CC_ERR_SCENARIO,
                 "--set demand.elderly.scale=&a 2: YAML anchors (&a)", 0);

    /* Overrides are applied in order: the later one wins. */
    const char *ov3[] = {"facilities.day_care.threshold_min=10",
                         "facilities.day_care.threshold_min=20"};
    CHECK_INT(parse(text, ov3, 2, &sc), CC_OK);
    if (sc) {
        CHECK_NEAR(sc->facilities[0].threshold_min, 20, 0);
        cc_scenario_destroy(sc);
    }
    /* An empty file plus overrides is a scenario built on the command line. */
    const char *ov4[] = {"name=cli", "demand.elderly.source=data/census.gpkg",
                         "facilities.day_care={source: data/day_care.geojson, serves: elderly}"};
    CHECK_INT(parse("", ov4, 3, &sc), CC_OK);
    if (sc) {
        CHECK_STR(sc->name, "cli");
        CHECK_STR(sc->facilities[0].serves[0], "elderly");
        cc_scenario_destroy(sc);
    }
}

static void test_load_errors(void)
{
    cc_scenario *sc = (cc_scenario *)1;
    CHECK_INT(cc_scenario_load(ctx, "does_not_exist.yaml", NULL, 0, &sc), CC_ERR_IO);
    CHECK(sc == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "cannot open scenario 'does_not_exist.yaml'");
    CHECK_INT(cc_scenario_load(ctx, "data", NULL, 0, &sc), CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "cannot read scenario 'data'");
    CHECK_INT(cc_scenario_parse(ctx, "x.yaml", NULL, 3, NULL, 0, &sc), CC_ERR_INVALID);
    cc_scenario_destroy(NULL);
    CHECK(cc_scenario_demand(NULL, "x") == NULL);
}

static void test_suggest_helpers(void)
{
    cc_scenario *sc = NULL;
    /* Case differences and transpositions count as typos. */
    EXPECT_HAS("Name: t\n", "did you mean 'name'?");
    EXPECT_HAS("name: t\nnetwork: {source: data/roads.geojson, mode: Walk}\n",
               "did you mean 'walk'?");
    EXPECT_HAS("name: t\nnetwork: {source: data/roads.geojson, mode: bkie}\n",
               "did you mean 'bike'?");
    CHECK_INT(parse("name: t\n", NULL, 0, &sc), CC_ERR_SCENARIO);
}

static void test_alloc_failures(void)
{
    const char *ov[] = {"facilities.day_care.threshold_min=10", "districts.name_field=n2",
                        "network.speed_kmh=5"};
    cc_scenario *sc = NULL;
    long before = cc_ctx_alloc_count(ctx);
    CHECK_INT(cc_scenario_load(ctx, "full.yaml", ov, 3, &sc), CC_OK);
    long total = cc_ctx_alloc_count(ctx) - before;
    CHECK(total > 50);
    cc_scenario_destroy(sc);
    int bad = 0, nomem = 0;
    for (long n = 1; n <= total + 1; n++) {
        cc_ctx_set_alloc_fail(ctx, n);
        sc = (cc_scenario *)1;
        cc_status st = cc_scenario_load(ctx, "full.yaml", ov, 3, &sc);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st == CC_ERR_NOMEM && sc == NULL) {
            nomem++;
        } else if (st == CC_OK && sc != NULL && n == total + 1) {
            CHECK_NEAR(sc->facilities[0].threshold_min, 10, 0);
        } else {
            bad++;
            fprintf(stderr, "alloc fail at %ld: %s: %s\n", n, cc_status_name(st),
                    cc_ctx_message(ctx));
        }
        if (st == CC_OK) cc_scenario_destroy(sc);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(nomem, total);
}

/* network.profile: a user-defined travel profile (docs/network.md section 2a). */
#define NETP BASE "network:\n  source: data/roads.geojson\n  profile:\n"

static void test_profile(void)
{
    cc_scenario *sc = NULL;
    const char *text = BASE "network:\n"                                  /* 9 */
                            "  source: data/roads.geojson\n"              /* 10 */
                            "  mode: walk_elderly\n"                      /* 11 */
                            "  class_field: 道路等级\n"                   /* 12 */
                            "  profile:\n"                                /* 13 */
                            "    speed_kmh: 2.5\n"                        /* 14 */
                            "    default: no\n"                           /* 15 */
                            "    oneway: respect\n"                       /* 16 */
                            "    classes:\n"                              /* 17 */
                            "      steps: no\n"                           /* 18 */
                            "      footway: {speed_kmh: 3.5}\n"           /* 19 */
                            "      primary: {factor: 1.3}\n"              /* 20 */
                            "      主干路: {factor: 1.5, speed_kmh: 4}\n" /* 21 */
                            "      人行道: Yes\n"                         /* 22 */
                            "      path: {}\n"                            /* 23 */
                            "      \"no\": true\n"; /* 24: a class called no */
    CHECK_INT(parse(text, NULL, 0, &sc), CC_OK);
    if (sc) {
        const cc_profile_spec *ps = &sc->network.profile;
        CHECK_INT(ps->present, 1);
        CHECK_INT(ps->pos.line, 14);
        CHECK_INT(ps->pos.col, 5);
        CHECK_NEAR(sc->network.speed_kmh, 2.5, 0); /* merged into network.speed_kmh */
        CHECK_INT(ps->forbid_unlisted, 1);
        CHECK_INT(ps->oneway, 2);
        CHECK_STR(sc->network.class_field, "道路等级");
        CHECK_INT(ps->n_classes, 7);
        if (ps->n_classes == 7) {
            static const char *const names[] = {"steps",  "footway", "primary", "主干路",
                                                "人行道", "path",    "no"};
            static const int allow[] = {0, 1, 1, 1, 1, 1, 1};
            static const double speed[] = {0, 3.5, 0, 4, 0, 0, 0};
            static const double factor[] = {1, 1, 1.3, 1.5, 1, 1, 1};
            for (size_t i = 0; i < 7; i++) {
                CHECK_STR(ps->classes[i].name, names[i]);
                CHECK_INT(ps->classes[i].allow, allow[i]);
                CHECK_NEAR(ps->classes[i].speed_kmh, speed[i], 0);
                CHECK_NEAR(ps->classes[i].factor, factor[i], 0);
                CHECK_INT(ps->classes[i].pos.line, 18 + (int)i);
                CHECK_INT(ps->classes[i].pos.col, 7);
            }
        }
        cc_scenario_destroy(sc);
    }

    /* No profile: nothing present; an equal speed in both places is fine; network speed 0
       (the mode's default) does not conflict; --set reaches class rules. */
    CHECK_INT(parse(BASE "network: {source: data/roads.geojson}\n", NULL, 0, &sc), CC_OK);
    if (sc) {
        CHECK_INT(sc->network.profile.present, 0);
        CHECK_INT(sc->network.profile.n_classes, 0);
        CHECK(sc->network.profile.classes == NULL);
        CHECK_INT(sc->network.profile.oneway, 0);
        cc_scenario_destroy(sc);
    }
    CHECK_INT(parse(BASE "network:\n  source: data/roads.geojson\n  speed_kmh: 3\n  profile: "
                         "{speed_kmh: 3.0, classes: {}}\n",
                    NULL, 0, &sc),
              CC_OK);
    if (sc) {
        CHECK_INT(sc->network.profile.present, 1);
        CHECK_INT(sc->network.profile.n_classes, 0);
        CHECK_INT(sc->network.profile.forbid_unlisted, 0);
        CHECK_NEAR(sc->network.speed_kmh, 3, 0);
        cc_scenario_destroy(sc);
    }
    CHECK_INT(parse(BASE "network:\n  source: data/roads.geojson\n  speed_kmh: 0\n  profile: "
                         "{speed_kmh: 2.5, default: yes, oneway: ignore}\n",
                    NULL, 0, &sc),
              CC_OK);
    if (sc) {
        CHECK_NEAR(sc->network.speed_kmh, 2.5, 0);
        CHECK_INT(sc->network.profile.oneway, 1);
        cc_scenario_destroy(sc);
    }
    const char *ov[] = {"network.profile.classes.steps=no",
                        "network.profile.classes.primary={factor: 2}"};
    CHECK_INT(parse(NETP "    default: false\n", ov, 2, &sc), CC_OK);
    if (sc) {
        const cc_profile_spec *ps = &sc->network.profile;
        CHECK_INT(ps->forbid_unlisted, 1);
        CHECK_INT(ps->n_classes, 2);
        if (ps->n_classes == 2) {
            CHECK_STR(ps->classes[0].name, "steps");
            CHECK_INT(ps->classes[0].allow, 0);
            CHECK_INT(ps->classes[0].pos.set_index, 1);
            CHECK_NEAR(ps->classes[1].factor, 2, 0);
            char w[128];
            CHECK_STR(cc_scenario_where(sc, ps->classes[1].pos, w, sizeof w),
                      "--set network.profile.classes.primary={factor: 2}");
        }
        cc_scenario_destroy(sc);
    }
}

static void test_profile_errors(void)
{
    EXPECT_EXACT(NETP "    onway: respect\n",
                 "scenario.yaml:12:5: unknown key 'onway' in network.profile; did you mean "
                 "'oneway'?");
    EXPECT_EXACT(BASE "network:\n  source: data/roads.geojson\n  profil: {}\n",
                 "scenario.yaml:11:3: unknown key 'profil' in network; did you mean 'profile'?");
    EXPECT_EXACT(NETP "    classes:\n      primary: {factr: 1.3}\n",
                 "scenario.yaml:13:17: unknown key 'factr' in network.profile.classes.primary; "
                 "did you mean 'factor'?");
    EXPECT_EXACT(NETP "    classes:\n      primary: {factor: -1}\n",
                 "scenario.yaml:13:25: network.profile.classes.primary.factor is -1; it must be "
                 "at least 0.01 and at most 100 (it multiplies the travel time; 1 = unchanged)");
    EXPECT_EXACT(NETP "    classes:\n      primary: {factor: 0}\n",
                 "scenario.yaml:13:25: network.profile.classes.primary.factor is 0; it must be "
                 "at least 0.01 and at most 100 (it multiplies the travel time; 1 = unchanged)");
    EXPECT_EXACT(NETP "    classes:\n      footway: {speed_kmh: abc}\n",
                 "scenario.yaml:13:28: network.profile.classes.footway.speed_kmh must be a "
                 "number, not 'abc'; write it like speed_kmh: 3.5");
    EXPECT_EXACT(NETP "    classes:\n      footway: {speed_kmh: 500}\n",
                 "scenario.yaml:13:28: network.profile.classes.footway.speed_kmh is 500; it must "
                 "be at least 0.5 and at most 200 km/h; remove the key to keep the mode's "
                 "speed");
    EXPECT_EXACT(NETP "    classes:\n      steps: maybe\n",
                 "scenario.yaml:13:14: network.profile.classes.steps must be yes, no or a "
                 "mapping such as {speed_kmh: 3.5} or {factor: 1.3}, not 'maybe'");
    EXPECT_EXACT(NETP "    classes:\n      台阶: 2\n",
                 "scenario.yaml:13:11: network.profile.classes.台阶 must be yes, no or a "
                 "mapping such as {speed_kmh: 3.5} or {factor: 1.3}, not '2'");
    EXPECT_HAS(NETP "    classes:\n      steps: [no]\n",
               "scenario.yaml:13:14: network.profile.classes.steps must be yes, no or a "
               "mapping such as {speed_kmh: 3.5} or {factor: 1.3}, not a list");
    EXPECT_EXACT(NETP "    classes:\n      steps:\n",
                 "scenario.yaml:13:7: network.profile.classes.steps has no value; write yes, "
                 "no, or a mapping such as {speed_kmh: 3.5} or {factor: 1.3}");
    /* An empty class name is refused by the YAML layer already. */
    EXPECT_HAS(NETP "    classes:\n      \"\": no\n",
               "scenario.yaml:13:7: a key must be a name, not ''");
    EXPECT_HAS(NETP "    classes:\n      \"st\\0eps\": no\n",
               "scenario.yaml:13:7: network.profile.classes has an empty class name or one with "
               "a NUL character");
    EXPECT_EXACT(NETP "    classes: [steps]\n",
                 "scenario.yaml:12:14: network.profile.classes must be a mapping of keys, not a "
                 "list; write it like classes: {steps: no, footway: {speed_kmh: 3.5}}");
    EXPECT_EXACT(NETP "    default: sometimes\n",
                 "scenario.yaml:12:14: network.profile.default must be yes (classes not listed: "
                 "as the mode decides) or no (classes not listed are not used), not "
                 "'sometimes'");
    EXPECT_EXACT(NETP "    oneway: respekt\n",
                 "scenario.yaml:12:13: network.profile.oneway 'respekt' is not ignore or "
                 "respect; did you mean 'respect'?");
    EXPECT_EXACT(NETP "    oneway: both\n",
                 "scenario.yaml:12:13: network.profile.oneway 'both' is not ignore or respect; "
                 "remove the key to keep the mode's rule");
    EXPECT_EXACT(NETP "    speed_kmh: abc\n",
                 "scenario.yaml:12:16: network.profile.speed_kmh must be a number, not 'abc'; "
                 "write it like speed_kmh: 2.5");
    EXPECT_EXACT(BASE "network:\n  source: data/roads.geojson\n  speed_kmh: 4\n  profile:\n"
                      "    speed_kmh: 3\n",
                 "scenario.yaml:13:16: network.profile.speed_kmh is 3 but network.speed_kmh is "
                 "4; give the base speed once, in either key");
    EXPECT_EXACT(BASE "network:\n  source: data/roads.geojson\n  profile: walk\n",
                 "scenario.yaml:11:12: network.profile must be a mapping of keys, not 'walk'; "
                 "write it like profile: {classes: {steps: no, primary: {factor: 1.3}}}");
    /* An error from --set names the override. */
    const char *ov[] = {"network.profile.classes.steps={factor: -2}"};
    expect_error(__LINE__, NETP "    default: yes\n", ov, 1, CC_ERR_SCENARIO,
                 "--set network.profile.classes.steps={factor: -2}: "
                 "network.profile.classes.steps.factor is -2",
                 0);
}

/* Every allocation failure while reading a profile gives CC_ERR_NOMEM and leaks nothing. */
static void test_profile_alloc_failures(void)
{
    const char *text = NETP "    classes: {steps: no, 主干路: {factor: 1.5}, footway: yes}\n";
    cc_scenario *sc = NULL;
    long before = cc_ctx_alloc_count(ctx);
    CHECK_INT(parse(text, NULL, 0, &sc), CC_OK);
    long total = cc_ctx_alloc_count(ctx) - before;
    cc_scenario_destroy(sc);
    int bad = 0;
    for (long n = 1; n <= total; n++) {
        cc_ctx_set_alloc_fail(ctx, n);
        sc = (cc_scenario *)1;
        cc_status st = parse(text, NULL, 0, &sc);
        cc_ctx_set_alloc_fail(ctx, 0);
        if (st != CC_ERR_NOMEM || sc != NULL) bad++;
        if (st == CC_OK && sc) cc_scenario_destroy(sc);
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    if (chdir(CC_FIXTURES "/scenarios") != 0) {
        perror(CC_FIXTURES "/scenarios");
        return 1;
    }
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_full();
    test_defaults();
    test_yaml_errors();
    test_key_errors();
    test_value_errors();
    test_overrides();
    test_load_errors();
    test_suggest_helpers();
    test_alloc_failures();
    test_profile();
    test_profile_errors();
    test_profile_alloc_failures();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
