/*
 * The pipeline driver: load, circles, network routing, outputs, with stage timings and an
 * all-or-nothing publish of the output folder.
 */
#include "carecircle/pipeline.h"
#include "core/internal.h"
#include "stages.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <omp.h>
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

static cc_status run_study(cc_ctx *ctx, const cc_scenario *sc, cc_study *st, int heavy,
                           const char *cache_path, const cc_study *base)
{
    cc_status rc = cc__study_load(ctx, sc, st);
    st->cache_path = cache_path;
    st->base = base;
    if (!rc && !heavy) rc = cc__study_network(ctx, st, 0); /* check: build and snap, no routing */
    if (rc || !heavy) return rc;
    rc = cc__study_circles(ctx, st);
    if (!rc) rc = cc__study_network(ctx, st, 1);
    if (!rc) rc = cc__study_matrix(ctx, st); /* a planner's matrix replaces the network's reach */
    if (!rc) rc = cc__study_analyze(ctx, st);
    if (!rc) rc = cc__study_areas(ctx, st);
    if (!rc) rc = cc__study_siting(ctx, st);
    return rc;
}

cc_status cc_pipeline_run(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                          char **out_dir_used)
{
    if (out_dir_used) *out_dir_used = NULL;
    cc_study st;
    cc_outset *out = NULL;
    char *dir = NULL;
    int threads = cc_ctx_threads(ctx);
    cc_status rc;
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
    rc = check_out_dir(ctx, sc, dir, opt && opt->out_dir);
    if (!rc) rc = cc_outset_create_tracked(ctx, dir, &out);
    if (rc) {
        cc_free(dir);
        return rc;
    }
    char *cache = cc_asprintf(ctx, "%s/routing.cache", dir);
    if (!cache) {
        cc_outset_destroy(out);
        cc_free(dir);
        return CC_ERR_NOMEM;
    }
    rc = run_study(ctx, sc, &st, 1, cache, NULL);
    st.threads_used = threads > 0 ? threads : omp_get_max_threads();
    if (!rc) rc = cc_check_interrupt(ctx);
    if (!rc) rc = cc__study_write(ctx, &st, out);
    /* Variants: each a whole study written to variants/<name>/, compared with the baseline. */
    cc_outset **vout = sc->n_variants ? cc_calloc(ctx, sc->n_variants, sizeof *vout) : NULL;
    char **vdirs = sc->n_variants ? cc_calloc(ctx, sc->n_variants, sizeof *vdirs) : NULL;
    cc_buf cmp = {0};
    if (!rc && sc->n_variants && (!vout || !vdirs)) rc = CC_ERR_NOMEM;
    /* Folder names are unique and short (checked when the scenario was loaded). */
    for (size_t v = 0; !rc && v < sc->n_variants; v++) {
        char *slug = cc_pipeline_slug(ctx, sc->variants[v]->variant);
        vdirs[v] = slug ? cc_asprintf(ctx, "%s/variants/%s", dir, slug) : NULL;
        if (!vdirs[v])
            rc = CC_ERR_NOMEM;
        else /* written in the output folder, moved to variants/<slug>/ on publish */
            rc = cc_outset_create_sub(ctx, out, vdirs[v] + strlen(dir) + 1, &vout[v]);
        cc_free(slug);
    }
    if (!rc && sc->n_variants)
        rc = cc__compare_header(ctx, sc, &cmp);
    for (size_t v = 0; !rc && v < sc->n_variants; v++) {
        const cc_scenario *vs = sc->variants[v];
        const char *vdir = vdirs[v];
        char *vcache = cc_asprintf(ctx, "%s/routing.cache", vdir);
        if (!vcache) rc = CC_ERR_NOMEM;
        cc_study vst;
        memset(&vst, 0, sizeof vst);
        /* A variant's data warnings repeat the baseline's: they go to its summary.json only. */
        cc_log_level lv = cc_ctx_set_log_level(ctx, CC_LOG_ERROR);
        if (!rc) rc = run_study(ctx, vs, &vst, 1, vcache, &st);
        cc_ctx_set_log_level(ctx, lv);
        vst.threads_used = st.threads_used;
        if (!rc) rc = cc__study_write(ctx, &vst, vout[v]);
        if (!rc) rc = cc__compare(ctx, &st, &vst, &cmp);
        if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "variant '%s'", vs->variant);
        cc__study_free(&vst);
        cc_free(vcache);
        cc_progress(ctx, "variants", (double)(v + 1) / (double)sc->n_variants);
    }
    if (!rc && sc->n_variants) {
        FILE *fp = NULL;
        rc = cc_outset_begin(ctx, out, "comparison.csv", &fp);
        if (!rc && fwrite(cmp.s, 1, cmp.len, fp) != cmp.len)
            rc = cc_error(ctx, CC_ERR_IO, "cannot write comparison.csv (disk full?)");
        if (fp) {
            cc_status r2 = cc_outset_end(ctx, out, fp);
            if (!rc) rc = r2;
        }
    }
    cc_buf_free(&cmp);
    if (!rc) rc = cc_check_interrupt(ctx);
    /* The variants' sets are the output folder's children: one publish moves everything, and
       a failed run has created no variant folder. */
    if (!rc) rc = cc_outset_publish(ctx, out);
    for (size_t v = 0; vdirs && v < sc->n_variants; v++)
        cc_free(vdirs[v]);
    cc_free(vdirs);
    cc_free(vout);
    cc__study_free(&st);
    cc_free(cache);
    cc_outset_destroy(out);
    if (!rc && out_dir_used)
        *out_dir_used = dir;
    else
        cc_free(dir);
    return rc;
}

/* The policy target files a run evaluates: parsed now, one line each (issue 14 item 15). */
static cc_status check_targets(cc_ctx *ctx, const cc_scenario *sc, cc_buf *report)
{
    cc_status rc = CC_OK;
    for (size_t i = 0; !rc && i < sc->n_targets; i++) {
        cc_target_set *ts = NULL;
        rc = cc_targets_load(ctx, sc->targets[i], &ts);
        if (!rc) {
            char tmp[600];
            cc_snprintf(tmp, sizeof tmp, "targets %s: %zu records\n", sc->targets[i], ts->n);
            rc = cc_buf_puts(ctx, report, tmp);
        }
        cc_targets_destroy(ts);
    }
    return rc;
}

/* Everything a variant reads (its own --set values, added facilities, removed ids), loaded
 * and snapped as for the baseline; its warnings repeat the baseline's, so they stay quiet. */
static cc_status check_variants(cc_ctx *ctx, const cc_scenario *sc, cc_buf *report)
{
    cc_status rc = CC_OK;
    for (size_t v = 0; !rc && v < sc->n_variants; v++) {
        const cc_scenario *vs = sc->variants[v];
        cc_study vst;
        cc_log_level lv = cc_ctx_set_log_level(ctx, CC_LOG_ERROR);
        rc = run_study(ctx, vs, &vst, 0, NULL, NULL);
        cc_buf ignored = {0};
        if (!rc) rc = check_targets(ctx, vs, &ignored);
        if (!rc) rc = cc__study_siting_check(ctx, &vst, &ignored);
        cc_buf_free(&ignored);
        cc_ctx_set_log_level(ctx, lv);
        if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "variant '%s'", vs->variant);
        if (!rc) {
            char tmp[600];
            cc_snprintf(tmp, sizeof tmp, "variant '%s': %zu demand points, inputs readable\n",
                        vs->variant, vst.dem.n);
            rc = cc_buf_puts(ctx, report, tmp);
        }
        cc__study_free(&vst);
    }
    return rc;
}

/* One line: demand beyond network.demand_max_snap_m, points and people of every group. */
static cc_status check_beyond_snap(cc_ctx *ctx, const cc_scenario *sc, const cc_study *st,
                                   cc_buf *report)
{
    char tmp[160], num[48];
    cc_fmt_double(num, sizeof num, sc->network.demand_max_snap_m, 1);
    cc_snprintf(tmp, sizeof tmp, "demand beyond %s m of the network (off_network): %zu points", num,
                st->q_dem_beyond_snap);
    cc_status rc = cc_buf_puts(ctx, report, tmp);
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        cc_fmt_double(num, sizeof num, st->q_dem_beyond_snap_pop ? st->q_dem_beyond_snap_pop[g] : 0,
                      1);
        cc_snprintf(tmp, sizeof tmp, ", %s %s", num, sc->demand[g].name);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc) rc = cc_buf_puts(ctx, report, "\n");
    return rc;
}

cc_status cc_pipeline_check(cc_ctx *ctx, const cc_scenario *sc, cc_buf *report)
{
    cc_study st;
    cc_status rc = run_study(ctx, sc, &st, 0, NULL, NULL);
    /* What a run reads after routing: read it now, so that check never calls usable what
       run rejects. */
    cc_buf later = {0};
    if (!rc) rc = check_targets(ctx, sc, &later);
    if (!rc) rc = cc__study_siting_check(ctx, &st, &later);
    if (!rc) rc = check_variants(ctx, sc, &later);
    if (rc) {
        cc_buf_free(&later);
        cc__study_free(&st);
        return rc;
    }
    char tmp[512];
    cc_snprintf(tmp, sizeof tmp, "scenario: %s (%s)\nworking CRS: %s (%s)\n", sc->name, sc->path,
                st.crs_name ? st.crs_name : "?", st.crs_def ? st.crs_def : "?");
    rc = cc_buf_puts(ctx, report, tmp);
    for (size_t g = 0; !rc && g < st.dem.n_groups; g++) {
        char pop[48];
        cc_fmt_double(pop, sizeof pop, st.dem.total[g], 1);
        cc_snprintf(tmp, sizeof tmp, "demand %s (%s): %s people\n", sc->demand[g].name,
                    sc->demand[g].label, pop);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc) {
        cc_snprintf(tmp, sizeof tmp, "demand points: %zu\n", st.dem.n);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    for (size_t t = 0; !rc && t < st.n_types; t++) {
        const cc_fac_set *f = &st.fac[t];
        char r[48];
        cc_fmt_double(r, sizeof r, f->radius_m, 0);
        cc_snprintf(tmp, sizeof tmp,
                    "facilities %s (%s): %zu, threshold %g min, circle radius %s m\n",
                    f->spec->name, f->spec->label, f->n, f->spec->threshold_min, r);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && sc->districts.present) {
        cc_snprintf(tmp, sizeof tmp, "districts: %zu\n", st.n_districts);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && st.roads) {
        cc_snprintf(tmp, sizeof tmp, "network lines: %zu\n", st.roads->n);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    for (size_t v = 0; !rc && v < st.n_vars; v++) {
        const cc_net_variant *var = &st.vars[v];
        cc_snprintf(tmp, sizeof tmp,
                    "network (%s at %g km/h): %zu nodes, %zu edges, %zu components\n", var->mode,
                    cc_profile_speed_kmh(var->prof), cc_graph_node_count(var->g),
                    cc_graph_edge_count(var->g), cc_graph_component_count(var->g));
        rc = cc_buf_puts(ctx, report, tmp);
        if (!rc) rc = cc__net_left_out(ctx, &st, var, report);
    }
    if (!rc) {
        cc_snprintf(tmp, sizeof tmp,
                    "data quality: %zu demand points off the network, %zu on islands, %zu outside "
                    "every district; %zu districts without demand; %zu facilities without "
                    "capacity, %zu off the network, %zu outside the study area, %zu on "
                    "islands; %zu location outliers\n",
                    st.q_off_network, st.q_on_islands, st.q_outside_districts, st.q_districts_empty,
                    st.q_fac_no_capacity, st.q_fac_off_network, st.q_fac_outside,
                    st.q_fac_on_islands, st.q_outliers);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && st.roads) rc = check_beyond_snap(ctx, sc, &st, report);
    if (!rc && later.len) rc = cc_buf_puts(ctx, report, later.s);
    cc_buf_free(&later);
    for (size_t i = 0; !rc && i < st.warnings.len; i++) {
        cc_snprintf(tmp, sizeof tmp, "warning: %s\n", CC_VEC_AT(&st.warnings, char *, i));
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc) {
        cc_snprintf(tmp, sizeof tmp, "%zu warning(s); inputs are usable\n", st.warnings.len);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    cc__study_free(&st);
    return rc;
}
