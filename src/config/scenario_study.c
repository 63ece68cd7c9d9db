/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario parser: the study-wide sections (thresholds, targets, siting, outputs), the
 * greenfield check, and the top level that reads every section in order.
 */
#include "scenario_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const top_keys[] = {
    "name",       "working_crs", "output_dir",     "thresholds_min", "network", "demand",
    "facilities", "districts",   "targets",        "target_year",    "siting",  "scenarios",
    "outputs",    "labels",      "service_groups", "colocation",     "units",   "unit_coverage",
    "estates"};
static const char *const output_keys[] = {"catchment_polygons", "bundle", "report", "workbook",
                                          "csv_bom"};
static const char *const label_langs[] = {"en", "zh"};
static const double default_thresholds_min[] = {5, 10, 15, 20, 30};

/* A facility type without a source has no facility yet: only siting can plan one. */
static cc_status check_greenfield(conv *c, const cc__ynode *root)
{
    const cc_scenario *sc = c->sc;
    for (size_t t = 0; t < sc->n_facilities; t++) {
        const cc_facility_spec *f = &sc->facilities[t];
        if (f->src.n_sources || cc__scn_siting_places(sc, f->name)) continue;
        const cc__ynode *fs = cc__yvalue(root, "facilities", NULL);
        return ERR(cc__yvalue(fs, f->name, NULL),
                   "missing required key 'source' in facilities.%s; add the input file, e.g. "
                   "source: sites.geojson (only the type that siting: places may have none, for a "
                   "greenfield plan)",
                   f->name);
    }
    return CC_OK;
}

/* outputs: {catchment_polygons, bundle, report, workbook, csv_bom}: yes/no, all yes by default. */
static cc_status read_outputs(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    sc->out_catchment_polygons = sc->out_bundle = sc->out_report = sc->out_workbook =
        sc->out_csv_bom = 1;
    const cc__ynode *v = cc__yvalue(root, "outputs", NULL);
    if (!v || cc__yis_null(v)) return CC_OK;
    cc_status st;
    if ((st = cc__scn_need_map(c, v, "outputs", "outputs: {catchment_polygons: no}")) ||
        (st = cc__scn_check_keys(c, v, "outputs", output_keys, N_OF(output_keys), NULL, 0)))
        return st;
    int *flags[] = {&sc->out_catchment_polygons, &sc->out_bundle, &sc->out_report,
                    &sc->out_workbook, &sc->out_csv_bom};
    for (size_t i = 0; i < N_OF(output_keys); i++) {
        char *val = NULL;
        if ((st = cc__scn_opt_choice(c, v, output_keys[i], "outputs",
                                     (const char *const[]){"yes", "no", "true", "false"}, 4, "yes",
                                     &val)))
            return st;
        *flags[i] = strcmp(val, "yes") == 0 || strcmp(val, "true") == 0;
        cc_free(val);
    }
    return CC_OK;
}

/* targets: a path or a list of paths to policy target files; target_year: 0 = every year. */
static cc_status read_targets(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    const cc__ynode *v = cc__yvalue(root, "targets", NULL);
    cc_status st;
    const cc__ynode *n;
    if ((st = cc__scn_opt_number(c, root, "target_year", "", "target_year: 2025",
                                 &sc->target_year_d, &n)))
        return st;
    if (n &&
        (st = cc__scn_check_zero_or_range(c, n, "", "target_year", sc->target_year_d, 1900, 2100,
                                          "", "; give a year such as 2025, or 0 for every year")))
        return st;
    if (n && sc->target_year_d != (int)sc->target_year_d)
        return ERR(n, "target_year must be a whole year such as 2025");
    sc->target_year = (int)sc->target_year_d;
    if (!v || cc__yis_null(v)) return CC_OK;
    if (v->kind == CC__Y_MAP) {
        char d[64];
        return ERR(v,
                   "targets must be a file path or a list of paths, not %s; write e.g. "
                   "targets: ../targets/ankang-2025.yaml",
                   cc__ydescribe(v, d, sizeof d));
    }
    cc_layer_spec ls;
    memset(&ls, 0, sizeof ls);
    size_t cnt = v->kind == CC__Y_SEQ ? v->n : 1;
    ls.sources = cc_calloc(c->ctx, cnt ? cnt : 1, sizeof *ls.sources);
    if (!ls.sources) return CC_ERR_NOMEM;
    for (size_t i = 0; !st && i < cnt; i++)
        st = cc__scn_add_source(c, &ls, v->kind == CC__Y_SEQ ? v->kids[i] : v, "targets");
    sc->targets = ls.sources;
    sc->n_targets = ls.n_sources;
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static cc_status read_thresholds(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    const cc__ynode *v = cc__yvalue(root, "thresholds_min", NULL);
    cc_status st;
    if (v && v->kind == CC__Y_MAP) {
        char d[64];
        return ERR(v,
                   "thresholds_min must be a number or a list of numbers, not %s; write e.g. "
                   "thresholds_min: [5, 10, 15]",
                   cc__ydescribe(v, d, sizeof d));
    }
    if (v && v->kind == CC__Y_SEQ && v->n == 0)
        return ERR(v, "thresholds_min is an empty list; give at least one, e.g. [15], or remove "
                      "the key for the default 5, 10, 15, 20, 30");
    size_t ng = !v ? N_OF(default_thresholds_min) : v->kind == CC__Y_SEQ ? v->n : 1;
    sc->thresholds_min = cc_malloc_array(c->ctx, ng + sc->n_facilities, sizeof(double));
    if (!sc->thresholds_min) return CC_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < ng; i++) {
        if (!v) {
            sc->thresholds_min[k++] = default_thresholds_min[i];
            continue;
        }
        const cc__ynode *e = v->kind == CC__Y_SEQ ? v->kids[i] : v;
        char fk[64];
        if (v->kind == CC__Y_SEQ)
            cc_snprintf(fk, sizeof fk, "thresholds_min[%zu]", i);
        else
            cc_snprintf(fk, sizeof fk, "thresholds_min");
        double x = 0;
        if ((st = cc__scn_node_number(c, e, fk, "thresholds_min: [5, 10, 15]", &x)) ||
            (st = cc__scn_check_threshold(c, e, fk, x)))
            return st;
        sc->thresholds_min[k++] = x;
    }
    for (size_t i = 0; i < sc->n_facilities; i++)
        sc->thresholds_min[k++] = sc->facilities[i].threshold_min;
    qsort(sc->thresholds_min, k, sizeof(double), cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || sc->thresholds_min[i] != sc->thresholds_min[u - 1])
            sc->thresholds_min[u++] = sc->thresholds_min[i];
    sc->n_thresholds = u;
    return CC_OK;
}

/* labels: en | zh, the language of every output meant for people (report.html, the QGIS
   project's layer names, sites.csv, the workbook's sheets and headers). siting.labels, its
   older place, is still read; when both are given they must agree. */
static cc_status read_labels(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    const cc__ynode *top = cc__yvalue(root, "labels", NULL);
    const cc__ynode *sv = cc__yvalue(root, "siting", NULL);
    /* the list form: the first block's siting.labels */
    const cc__ynode *sb = sv && sv->kind == CC__Y_SEQ && sv->n ? sv->kids[0] : sv;
    const cc__ynode *old = sb && sb->kind == CC__Y_MAP ? cc__yvalue(sb, "labels", NULL) : NULL;
    if (!top || cc__yis_null(top)) {
        sc->labels_zh = sc->siting.labels_zh;
        for (size_t b = 0; b < sc->n_siting_more; b++) /* one language for every block */
            sc->siting_more[b].labels_zh = sc->labels_zh;
        return CC_OK;
    }
    char *lang = NULL;
    cc_status st =
        cc__scn_opt_choice(c, root, "labels", "", label_langs, N_OF(label_langs), "en", &lang);
    if (st) return st;
    int zh = strcmp(lang, "zh") == 0;
    cc_free(lang);
    if (old && !cc__yis_null(old) && zh != sc->siting.labels_zh)
        return ERR(old,
                   "siting.labels: %s disagrees with labels: %s at the top level; keep "
                   "one of them (labels: at the top level sets the language of every "
                   "output)",
                   sc->siting.labels_zh ? "zh" : "en", zh ? "zh" : "en");
    sc->labels_zh = sc->siting.labels_zh = zh;
    for (size_t b = 0; b < sc->n_siting_more; b++)
        sc->siting_more[b].labels_zh = zh;
    return CC_OK;
}

cc_status cc__scn_convert(conv *c, const cc__ynode *root)
{
    cc_scenario *sc = c->sc;
    cc_status st;
    cc__ynode top = {0}; /* position 1:1 for an empty file */
    top.line = top.col = 1;
    if (!root)
        return ERR(&top, "the scenario is empty; it needs at least name, demand and facilities "
                         "(see docs/scenario.md)");
    if (root->kind != CC__Y_MAP) {
        char d[64];
        return ERR(root,
                   "the scenario must be a mapping of keys (name:, demand:, facilities: "
                   "...), not %s; see docs/scenario.md",
                   cc__ydescribe(root, d, sizeof d));
    }
    if ((st = cc__scn_check_keys(c, root, "", top_keys, N_OF(top_keys), NULL, 0))) return st;

    if (!cc__yvalue(root, "name", NULL))
        return ERR(root, "missing required key 'name' at the top level; add e.g. name: Jianghan "
                         "2025 baseline");
    if ((st = cc__scn_opt_string(c, root, "name", "", &sc->name))) return st;
    if ((st = cc__scn_opt_string(c, root, "working_crs", "", &sc->working_crs)) ||
        (st = cc__scn_set_default(c, &sc->working_crs, "auto")))
        return st;
    const cc__ynode *od = cc__yvalue(root, "output_dir", NULL);
    if (od) {
        if ((st = cc__scn_scalar_text(c, od, "output_dir", "output_dir: out/baseline"))) return st;
        if (!(sc->output_dir = cc_path_join(c->ctx, sc->dir, od->text))) return CC_ERR_NOMEM;
    }
    if ((st = cc__scn_read_network(c, root)) || (st = cc__scn_read_demand(c, root)) ||
        (st = cc__scn_read_facilities(c, root)) || (st = cc__scn_read_districts(c, root)) ||
        (st = cc__scn_read_service_groups(c, root)) || (st = cc__scn_read_colocation(c, root)) ||
        (st = cc__scn_read_units(c, root)) || (st = read_thresholds(c, root)) ||
        (st = read_targets(c, root)) || (st = cc__scn_read_estates(c, root)) ||
        (st = cc__scn_read_siting(c, root)) ||
        (st = check_greenfield(c, root)) || (st = read_outputs(c, root)) ||
        (st = read_labels(c, root)))
        return st;
    return CC_OK;
}
