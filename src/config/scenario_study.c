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
static const char *const siting_keys[] = {
    "facility", "candidates", "count",  "capacity", "target_share",       "district", "spacing_m",
    "exact",    "labels",     "matrix", "exclude",  "exact_time_limit_s", "objective"};
static const char *const siting_objectives[] = {"coverage", "p_median"};
static const char *const matrix_keys[] = {"source",     "origin_field", "destination_field",
                                          "cost_field", "unit",         "cutoff"};
static const char *const matrix_units[] = {"min", "s", "m"};
static const char *const label_langs[] = {"en", "zh"};
static const double default_thresholds_min[] = {5, 10, 15, 20, 30};

/* A facility type without a source has no facility yet: only siting can plan one. */
static cc_status check_greenfield(conv *c, const cc__ynode *root)
{
    const cc_scenario *sc = c->sc;
    for (size_t t = 0; t < sc->n_facilities; t++) {
        const cc_facility_spec *f = &sc->facilities[t];
        if (f->src.n_sources || (sc->siting.present && strcmp(sc->siting.facility, f->name) == 0))
            continue;
        const cc__ynode *fs = cc__yvalue(root, "facilities", NULL);
        return ERR(cc__yvalue(fs, f->name, NULL),
                   "missing required key 'source' in facilities.%s; add the input file, e.g. "
                   "source: sites.geojson (only the type that siting: places may have none, for a "
                   "greenfield plan)",
                   f->name);
    }
    return CC_OK;
}

/* siting: {facility, candidates: auto | {layer keys}, count, capacity, target_share, ...} */
static cc_status read_siting(conv *c, const cc__ynode *root)
{
    const cc__ynode *v = cc__yvalue(root, "siting", NULL);
    if (!v || cc__yis_null(v)) return CC_OK;
    cc_siting_spec *ss = &c->sc->siting;
    cc_status st;
    const char *lb = "siting";
    if ((st = cc__scn_need_map(c, v, lb,
                               "siting: {facility: day_care, candidates: auto, count: 10}")) ||
        (st = cc__scn_check_keys(c, v, lb, siting_keys, N_OF(siting_keys), NULL, 0)))
        return st;
    ss->pos = cc__scn_pos_of(v);
    if (!cc__yvalue(v, "facility", NULL))
        return ERR(v,
                   "missing required key 'facility' in siting; name the facility type to "
                   "site, e.g. facility: %s",
                   c->sc->facilities[0].name);
    if ((st = cc__scn_opt_string(c, v, "facility", lb, &ss->facility))) return st;
    if (!cc_scenario_facility(c->sc, ss->facility)) {
        const cc__ynode *fv = cc__yvalue(v, "facility", NULL);
        return ERR(fv,
                   "siting.facility '%s' is not a facility type of this scenario; use one "
                   "of the keys under facilities:, e.g. %s",
                   ss->facility, c->sc->facilities[0].name);
    }
    const cc__ynode *cv = cc__yvalue(v, "candidates", NULL);
    if (!cv || (cv->kind == CC__Y_SCALAR && strcmp(cv->text, "auto") == 0))
        ss->auto_candidates = 1;
    else {
        if ((st = cc__scn_need_map(
                 c, cv, "siting.candidates",
                 "candidates: auto, or candidates: {source: idle_buildings.gpkg}")) ||
            (st = cc__scn_check_keys(c, cv, "siting.candidates", cc__scn_layer_keys,
                                     N_OF(cc__scn_layer_keys), NULL, 0)) ||
            (st = cc__scn_read_layer(c, cv, "siting.candidates", &ss->cand)))
            return st;
    }
    const cc__ynode *n;
    ss->count = 10;
    if ((st = cc__scn_opt_number(c, v, "count", lb, "count: 10", &ss->count, &n))) return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "count", ss->count, 0, 0, 100000, "sites", "")))
        return st;
    if (n && ss->count != (double)(long)ss->count)
        return ERR(n, "siting.count must be a whole number of sites, e.g. count: 10");
    if ((st = cc__scn_opt_number(c, v, "capacity", lb, "capacity: 40", &ss->capacity, &n)))
        return st;
    if (n && (st = cc__scn_check_zero_or_range(c, n, lb, "capacity", ss->capacity,
                                               CC__SMALLEST_POSITIVE, 1e9, "units",
                                               "; it is the beds or slots of each new site")))
        return st;
    if ((st = cc__scn_opt_number(c, v, "target_share", lb, "target_share: 0.9", &ss->target_share,
                                 &n)))
        return st;
    if (n &&
        (st = cc__scn_check_range(c, n, lb, "target_share", ss->target_share, CC__SMALLEST_POSITIVE,
                                  0, 1, "", "; write a share such as 0.9 for 90%")))
        return st;
    ss->spacing_m = 250;
    if ((st = cc__scn_opt_number(c, v, "spacing_m", lb, "spacing_m: 250", &ss->spacing_m, &n)))
        return st;
    if (n &&
        (st = cc__scn_check_range(c, n, lb, "spacing_m", ss->spacing_m, 1, 0, 100000, "m", "")))
        return st;
    if ((st = cc__scn_opt_string(c, v, "district", lb, &ss->district))) return st;
    char *ex = NULL, *labels = NULL;
    /* exact: auto (default) | yes | no; true/false read as yes/no. */
    if ((st = cc__scn_opt_choice(c, v, "exact", lb,
                                 (const char *const[]){"auto", "yes", "no", "true", "false"}, 5,
                                 "auto", &ex)))
        return st;
    ss->exact = strcmp(ex, "yes") == 0 || strcmp(ex, "true") == 0   ? 1
                : strcmp(ex, "no") == 0 || strcmp(ex, "false") == 0 ? 2
                                                                    : 0;
    cc_free(ex);
    ss->exact_time_limit_s = 10;
    if ((st = cc__scn_opt_number(c, v, "exact_time_limit_s", lb, "exact_time_limit_s: 10",
                                 &ss->exact_time_limit_s, &n)))
        return st;
    if (n && (st = cc__scn_check_range(c, n, lb, "exact_time_limit_s", ss->exact_time_limit_s, 0, 1,
                                       86400, "s", "; it bounds the exact solver's run")))
        return st;
    char *obj = NULL;
    if ((st = cc__scn_opt_choice(c, v, "objective", lb, siting_objectives, N_OF(siting_objectives),
                                 "coverage", &obj)))
        return st;
    ss->p_median = strcmp(obj, "p_median") == 0;
    cc_free(obj);
    if ((st =
             cc__scn_opt_choice(c, v, "labels", lb, label_langs, N_OF(label_langs), "en", &labels)))
        return st;
    ss->labels_zh = strcmp(labels, "zh") == 0;
    cc_free(labels);
    const cc__ynode *xv = cc__yvalue(v, "exclude", NULL);
    if (xv && !cc__yis_null(xv) &&
        ((st = cc__scn_need_map(c, xv, "siting.exclude",
                                "exclude: {source: protected_land.gpkg}")) ||
         (st = cc__scn_check_keys(c, xv, "siting.exclude", cc__scn_layer_keys,
                                  N_OF(cc__scn_layer_keys), NULL, 0)) ||
         (st = cc__scn_read_layer(c, xv, "siting.exclude", &ss->exclude))))
        return st;
    const cc__ynode *mv = cc__yvalue(v, "matrix", NULL);
    if (mv && !cc__yis_null(mv)) {
        const char *ml = "siting.matrix";
        if ((st = cc__scn_need_map(c, mv, ml, "matrix: {source: times.csv, unit: min}")) ||
            (st = cc__scn_check_keys(c, mv, ml, matrix_keys, N_OF(matrix_keys), NULL, 0)))
            return st;
        cc_layer_spec tmp;
        memset(&tmp, 0, sizeof tmp);
        if ((st = cc__scn_read_sources(c, mv, ml, &tmp))) {
            cc__scn_free_layer(&tmp);
            return st;
        }
        ss->matrix = tmp.sources[0];
        for (size_t i = 1; i < tmp.n_sources; i++)
            cc_free(tmp.sources[i]);
        cc_free(tmp.sources);
        if ((st = cc__scn_opt_string(c, mv, "origin_field", ml, &ss->m_origin)) ||
            (st = cc__scn_set_default(c, &ss->m_origin, "origin")) ||
            (st = cc__scn_opt_string(c, mv, "destination_field", ml, &ss->m_dest)) ||
            (st = cc__scn_set_default(c, &ss->m_dest, "destination")) ||
            (st = cc__scn_opt_string(c, mv, "cost_field", ml, &ss->m_cost)) ||
            (st = cc__scn_set_default(c, &ss->m_cost, "cost")) ||
            (st = cc__scn_opt_choice(c, mv, "unit", ml, matrix_units, N_OF(matrix_units), "min",
                                     &ss->m_unit)) ||
            (st = cc__scn_opt_number(c, mv, "cutoff", ml, "cutoff: 5000", &ss->m_cutoff, &n)))
            return st;
        if (n) {
            /* A plausible coverage limit in the matrix's unit (a day, or 1000 km). */
            int u = strcmp(ss->m_unit, "min") == 0 ? 0 : strcmp(ss->m_unit, "s") == 0 ? 1 : 2;
            static const double lo[] = {0.1, 1, 1}, hi[] = {1440, 86400, 1e6};
            static const char *const un[] = {"min", "s", "m"};
            if ((st = cc__scn_check_range(c, n, ml, "cutoff", ss->m_cutoff, lo[u], 0, hi[u], un[u],
                                          " (in the matrix's unit)")))
                return st;
        }
        if (strcmp(ss->m_unit, "m") == 0 && !(ss->m_cutoff > 0))
            return ERR(mv, "siting.matrix with unit: m needs a cutoff in metres, e.g. cutoff: "
                           "1000");
        if (ss->auto_candidates)
            return ERR(mv, "siting.matrix needs a candidates layer whose id_field matches the "
                           "matrix's destination ids; candidates: auto has no such ids");
    }
    if (ss->count == 0 && ss->target_share == 0)
        return ERR(v, "siting needs count > 0 or a target_share; e.g. count: 10");
    if (ss->p_median && !(ss->count > 0))
        return ERR(v, "siting.objective: p_median places a fixed number of sites; give count > 0, "
                      "e.g. count: 5");
    ss->present = 1;
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
    const cc__ynode *old = sv && sv->kind == CC__Y_MAP ? cc__yvalue(sv, "labels", NULL) : NULL;
    if (!top || cc__yis_null(top)) {
        sc->labels_zh = sc->siting.labels_zh;
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
        (st = read_siting(c, root)) ||
        (st = check_greenfield(c, root)) || (st = read_outputs(c, root)) ||
        (st = read_labels(c, root)))
        return st;
    return CC_OK;
}
