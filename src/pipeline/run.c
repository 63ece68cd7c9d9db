/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pipeline driver: load, circles, network routing, outputs, with stage timings and an
 * all-or-nothing publish of the output folder.
 */
#include "carecircle/io.h"
#include "carecircle/pipeline.h"
#include "carecircle/report.h"
#include "core/internal.h"
#include "stages.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *cc_pipeline_slug(cc_ctx *ctx, const char *name)
{
    return cc_path_slug(ctx, name); /* in core: the scenario check needs it too */
}

/* Does the input at path meet `real`: lie in that output folder (or its variants/), or, with
   same_file, be that very file? */
static int meets(const char *real, int same_file, const char *path)
{
    if (!same_file) return cc_path_holds(real, "variants", path);
    char r[PATH_MAX];
    return realpath(path, r) && strcmp(r, real) == 0;
}

/* The first source of a layer that meets `real`, or NULL. */
static const char *layer_meets(const cc_layer_spec *l, const char *real, int same_file)
{
    for (size_t j = 0; j < l->n_sources; j++)
        if (meets(real, same_file, l->sources[j])) return l->sources[j];
    return NULL;
}

const char *cc__scenario_input(const cc_scenario *sc, const char *real, int same_file,
                               const char **key)
{
    const char *p;
#define TRY(expr, k)                                                                               \
    if ((p = (expr)) != NULL) return *key = (k), p
    if (meets(real, same_file, sc->path)) return *key = "the scenario file", sc->path;
    TRY(layer_meets(&sc->network.src, real, same_file), "network.source");
    TRY(layer_meets(&sc->districts.src, real, same_file), "districts.source");
    TRY(layer_meets(&sc->siting.cand, real, same_file), "siting.candidates");
    TRY(layer_meets(&sc->siting.exclude, real, same_file), "siting.exclude");
    for (size_t b = 0; b < sc->n_siting_more; b++)
        TRY(layer_meets(&sc->siting_more[b].cand, real, same_file), "siting.candidates");
    TRY(layer_meets(&sc->estates.src, real, same_file), "estates.source");
    for (size_t l = 0; l < sc->n_units; l++)
        TRY(layer_meets(&sc->units[l].src, real, same_file), "units source");
    for (size_t i = 0; i < sc->estates.n_rules; i++)
        if (meets(real, same_file, sc->estates.rules[i]))
            return *key = "estates.rules", sc->estates.rules[i];
    for (size_t g = 0; g < sc->n_demand; g++) {
        TRY(layer_meets(&sc->demand[g].src, real, same_file), "demand source");
        TRY(layer_meets(&sc->demand[g].buildings, real, same_file), "demand buildings");
    }
    for (size_t t = 0; t < sc->n_facilities; t++) {
        TRY(layer_meets(&sc->facilities[t].src, real, same_file), "facility source");
        TRY(layer_meets(&sc->facilities[t].add, real, same_file), "add_facilities");
    }
    if (sc->siting.matrix && meets(real, same_file, sc->siting.matrix))
        return *key = "siting.matrix", sc->siting.matrix;
    for (size_t i = 0; i < sc->n_targets; i++)
        if (meets(real, same_file, sc->targets[i])) return *key = "targets", sc->targets[i];
    for (size_t v = 0; v < sc->n_variants; v++)
        TRY(cc__scenario_input(sc->variants[v], real, same_file, key), *key);
#undef TRY
    return NULL;
}

/* Outputs must never overwrite an input, nor a later run read its own output as one: refuse
   an output folder (or its variants/ folder) that holds any input, by real path. */
static cc_status check_out_dir(cc_ctx *ctx, const cc_scenario *sc, const char *dir, int from_cli)
{
    char real[PATH_MAX];
    if (cc_path_real(dir, real) != 0) return CC_OK; /* mkdir reports a bad folder */
    const char *key = NULL, *p = cc__scenario_input(sc, real, 0, &key);
    if (!p) return CC_OK;
    return cc_error(ctx, from_cli ? CC_ERR_USAGE : CC_ERR_SCENARIO,
                    "%s '%s' holds an input (%s '%s'); outputs would overwrite it or be read as "
                    "input by the next run; choose another %s",
                    from_cli ? "--out" : "output_dir", dir, key, p,
                    from_cli ? "--out" : "output_dir (or --out)");
}

cc_status cc__study_circles(cc_ctx *ctx, cc_study *st)
{
    double t0 = cc_now();
    double tmax = cc__max_threshold(st->sc);
    for (size_t t = 0; t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        size_t n = st->dem.n ? st->dem.n : 1;
        f->circle_m = cc_malloc_array(ctx, n, sizeof *f->circle_m);
        f->circle_fac = cc_malloc_array(ctx, n, sizeof *f->circle_fac);
        if (!f->circle_m || !f->circle_fac) return CC_ERR_NOMEM;
        /* One search to the largest radius any reported threshold needs. */
        double rmax = f->radius_m * tmax / f->spec->threshold_min;
        cc_status rc = cc_analysis_circle_nearest(ctx, f->n, f->x, f->y, st->dem.n, st->dem.x,
                                                  st->dem.y, rmax, f->circle_m, f->circle_fac);
        if (rc) return rc;
        cc_progress(ctx, "circles", (double)(t + 1) / (double)st->n_types);
    }
    st->t_circle = cc_now() - t0;
    return cc_check_interrupt(ctx);
}

cc_status cc__run_study(cc_ctx *ctx, const cc_scenario *sc, cc_study *st, int heavy,
                        const char *cache_path, const cc_study *base)
{
    return cc__run_study_prepared(ctx, sc, st, heavy, cache_path, base,
                                  base ? base->prepared_dir : NULL);
}

cc_status cc__run_study_prepared(cc_ctx *ctx, const cc_scenario *sc, cc_study *st, int heavy,
                                 const char *cache_path, const cc_study *base,
                                 const char *prepared_dir)
{
    cc_status rc = cc__study_load(ctx, sc, st);
    st->cache_path = cache_path;
    st->base = base;
    st->prepared_dir = prepared_dir;
    if (!rc && !heavy) rc = cc__study_network(ctx, st, 0); /* check: build and snap, no routing */
    if (rc || !heavy) return rc;
    rc = cc__study_circles(ctx, st);
    if (!rc) rc = cc__study_network(ctx, st, 1);
    return rc ? rc : cc__study_after_routing(ctx, st);
}

cc_status cc__study_after_routing(cc_ctx *ctx, cc_study *st)
{
    cc_status rc = cc__study_matrix(ctx, st); /* a planner's matrix replaces the network's reach */
    if (!rc) rc = cc__study_analyze(ctx, st);
    if (!rc) rc = cc__study_areas(ctx, st);
    if (!rc) rc = cc__study_sensitivity(ctx, st);
    if (!rc) rc = cc__study_tallies(ctx, st);
    if (!rc) rc = cc__study_capacities(ctx, st);
    if (!rc) rc = cc__study_estates(ctx, st);
    if (!rc) rc = cc__study_service_groups(ctx, st);
    if (!rc) rc = cc__study_colocation(ctx, st);
    if (!rc) rc = cc__study_siting(ctx, st);
    return rc;
}

/* The workbook's sheets: the tables the run wrote, in this order, each named after its CSV or
   in Chinese with labels: zh. */
static const struct {
    const char *file, *en, *zh;
} SHEETS[] = {{"coverage.csv", "coverage", "覆盖率"},
              {"districts.csv", "districts", "区县指标"},
              {"targets.csv", "targets", "目标评估"},
              {"sites.csv", "sites", "项目清单"},
              {"comparison.csv", "comparison", "方案比较"},
              {"unit_coverage.csv", "unit_coverage", "单元覆盖率"},
              {"units_county.csv", "units_county", "区县单元"},
              {"units_street.csv", "units_street", "街道单元"},
              {"units_community.csv", "units_community", "社区单元"},
              {"units_village.csv", "units_village", "村单元"},
              {"capacities.csv", "capacities", "床位托位"},
              {"service_groups.csv", "service_groups", "服务组合覆盖"},
              {"colocation.csv", "colocation", "设施邻近"},
              {"estates.csv", "estates", "小区配建"},
              {"estates_summary.csv", "estates_summary", "小区配建汇总"}};
#define N_SHEETS (sizeof SHEETS / sizeof SHEETS[0])

static const char *zh_header(const char *column, void *arg)
{
    (void)arg;
    return cc_report_column_label(column, 1);
}

/* carecircle.xlsx: the tables read back as written to the folder (one definition of every
   figure), one sheet each. */
static cc_status write_workbook(cc_ctx *ctx, const cc_scenario *sc, cc_outset *out)
{
    int zh = sc->siting.labels_zh;
    /* the fixed tables, then sites_<name>.csv of the list form's siting blocks */
    enum { MAX_SHEETS = N_SHEETS + 16 };
    cc_sheet sheets[MAX_SHEETS];
    cc_buf text[MAX_SHEETS];
    char file[16][64], sheet[16][64];
    memset(text, 0, sizeof text);
    size_t n = 0, nb = sc->n_siting_more < 16 ? sc->n_siting_more : 16;
    cc_status rc = CC_OK;
    for (size_t k = 0; !rc && k < N_SHEETS + nb; k++) {
        const char *fn = k < N_SHEETS ? SHEETS[k].file : file[k - N_SHEETS];
        const char *nm = k < N_SHEETS ? (zh ? SHEETS[k].zh : SHEETS[k].en) : sheet[k - N_SHEETS];
        if (k >= N_SHEETS) {
            const char *bn = sc->siting_more[k - N_SHEETS].name;
            cc_snprintf(file[k - N_SHEETS], sizeof file[0], "sites_%s.csv", bn);
            cc_snprintf(sheet[k - N_SHEETS], sizeof sheet[0], zh ? "项目清单_%s" : "sites_%s", bn);
        }
        const char *path = cc_outset_finished(out, fn);
        if (!path) continue;
        rc = cc_read_text_file(ctx, path, fn, (size_t)1 << 30, "", &text[n]);
        if (rc) break;
        sheets[n] = (cc_sheet){nm, text[n].s, text[n].len, zh ? zh_header : NULL, NULL};
        n++;
    }
    const char *tmp = NULL;
    if (!rc && n) rc = cc_outset_temp_path(ctx, out, "carecircle.xlsx", &tmp);
    if (!rc && n) rc = cc_io_write_workbook(ctx, tmp, sheets, n);
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "carecircle.xlsx");
    for (size_t k = 0; k < MAX_SHEETS; k++)
        cc_buf_free(&text[k]);
    return rc;
}

/* One variant: a whole study written to variants/<slug>/ (moved there on publish), then only
   its comparison with the baseline is kept (*r); the variant's study is freed. */
static cc_status run_variant(cc_ctx *ctx, cc_study *st, const cc_scenario *vs, cc_outset *out,
                             const char *dir, cc_variant_res *r)
{
    char *slug = cc_pipeline_slug(ctx, vs->variant);
    char *vdir = slug ? cc_asprintf(ctx, "%s/variants/%s", dir, slug) : NULL;
    char *vcache = vdir ? cc_asprintf(ctx, "%s/routing.cache", vdir) : NULL;
    cc_free(slug);
    cc_outset *vout = NULL;
    /* Folder names are unique and short (checked when the scenario was loaded). */
    cc_status rc =
        vcache ? cc_outset_create_sub(ctx, out, vdir + strlen(dir) + 1, &vout) : CC_ERR_NOMEM;
    cc_study vst;
    memset(&vst, 0, sizeof vst);
    /* A variant's data warnings repeat the baseline's: they go to its summary.json only. */
    cc_log_level lv = cc_ctx_set_log_level(ctx, CC_LOG_ERROR);
    if (!rc) rc = cc__run_study(ctx, vs, &vst, 1, vcache, st);
    cc_ctx_set_log_level(ctx, lv);
    vst.threads_used = st->threads_used;
    if (!rc) cc__study_drop_graphs(&vst);
    if (!rc) rc = cc__study_write(ctx, &vst, vout);
    if (!rc) rc = cc__compare(ctx, st, &vst, r);
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "variant '%s'", vs->variant);
    cc__study_free(&vst);
    cc_free(vcache);
    cc_free(vdir);
    return rc;
}

/* Every variant of the baseline st, one study at a time; st->vres keeps their results. */
static cc_status run_variants(cc_ctx *ctx, cc_study *st, cc_outset *out, const char *dir)
{
    const cc_scenario *sc = st->sc;
    if (!sc->n_variants) return CC_OK;
    st->vres = cc_calloc(ctx, sc->n_variants, sizeof *st->vres);
    if (!st->vres) return CC_ERR_NOMEM;
    cc_status rc = CC_OK;
    for (size_t v = 0; !rc && v < sc->n_variants; v++) {
        rc = run_variant(ctx, st, sc->variants[v], out, dir, &st->vres[v]);
        st->n_vres = v + 1; /* freed with the study, also a failed one's partial rows */
        cc_progress(ctx, "variants", (double)(v + 1) / (double)sc->n_variants);
    }
    return rc;
}

/* After the stages: the variants, the write stage, the workbook, then the publish. */
cc_status cc__run_finish(cc_ctx *ctx, const cc_scenario *sc, cc_study *st, cc_outset *out,
                         const char *dir)
{
    st->threads_used = cc_ctx_thread_count(ctx);
    cc_status rc = cc_check_interrupt(ctx);
    /* The variants first, so that the baseline's outputs (comparison.csv, report.html) read
       their results. */
    if (!rc) rc = run_variants(ctx, st, out, dir);
    if (!rc) cc__study_drop_graphs(st); /* no variant is left to share them */
    if (!rc) rc = cc__study_write(ctx, st, out);
    if (!rc && sc->out_workbook) rc = write_workbook(ctx, sc, out);
    if (!rc) rc = cc_check_interrupt(ctx);
    /* The variants' sets are the output folder's children: one publish moves everything, and
       a failed run has created no variant folder. */
    if (!rc) rc = cc_outset_publish(ctx, out);
    return rc;
}

cc_status cc__run_open(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                       char **dir_out, cc_outset **out, char **cache)
{
    char *dir = NULL;
    if (opt && opt->out_dir)
        dir = cc_strdup(ctx, opt->out_dir);
    else if (sc->output_dir)
        dir = cc_strdup(ctx, sc->output_dir);
    else {
        char *slug = cc_pipeline_slug(ctx, sc->name);
        dir = slug ? cc_asprintf(ctx, "out/%s", slug) : NULL;
        cc_free(slug);
    }
    if (!dir) return CC_ERR_NOMEM;
    /* Check the output folder first: a typo in --out should not cost a whole run. */
    cc_status rc = check_out_dir(ctx, sc, dir, opt && opt->out_dir);
    if (!rc) rc = cc_outset_create_tracked(ctx, dir, out);
    if (!rc && !(*cache = cc_asprintf(ctx, "%s/routing.cache", dir))) rc = CC_ERR_NOMEM;
    if (rc) {
        cc_outset_destroy(*out);
        *out = NULL;
        cc_free(dir);
        return rc;
    }
    *dir_out = dir;
    return CC_OK;
}

/* A partitioned run in this process: the parts of its job (all without --part), then the
   merge unless it is one job of several. */
static cc_status run_partitioned(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                                 char **out_dir_used)
{
    cc_part_run *r = NULL;
    cc_status rc = cc_part_run_open(ctx, sc, opt, &r);
    size_t n = rc ? 0 : cc_part_run_count(r);
    for (size_t k = 0; !rc && !opt->merge && k < n; k++)
        if (!opt->part_n || cc_part_run_job(r, k, opt->part_n) == opt->part_k) {
            rc = cc_part_run_part(ctx, r, k);
            cc_progress(ctx, "parts", (double)(k + 1) / (double)n);
        }
    if (!rc && !opt->part_n) rc = cc_part_run_finish(ctx, r);
    if (!rc && out_dir_used) *out_dir_used = cc_strdup(ctx, cc_part_run_dir(r));
    cc_part_run_close(r);
    return rc;
}

cc_status cc_pipeline_run(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                          char **out_dir_used)
{
    if (out_dir_used) *out_dir_used = NULL;
    if (opt && opt->partition) return run_partitioned(ctx, sc, opt, out_dir_used);
    cc_study st;
    cc_outset *out = NULL;
    char *dir = NULL, *cache = NULL;
    cc_status rc = cc__run_open(ctx, sc, opt, &dir, &out, &cache);
    if (rc) return rc;
    rc = cc__run_study_prepared(ctx, sc, &st, 1, cache, NULL, opt ? opt->prepared_dir : NULL);
    if (!rc) rc = cc__run_finish(ctx, sc, &st, out, dir);
    cc__study_free(&st);
    cc_free(cache);
    cc_outset_destroy(out);
    if (!rc && out_dir_used)
        *out_dir_used = dir;
    else
        cc_free(dir);
    return rc;
}
