/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pipeline's stages: each fills part of the result tables (carecircle/study.h).
 * Internal to the pipeline module.
 */
#ifndef CC_PIPELINE_STAGES_H
#define CC_PIPELINE_STAGES_H

#include "carecircle/pipeline.h"
#include "carecircle/report.h"
#include "carecircle/study.h"

/* Network lines from the roads layer: one line per part, carrying its feature's tags (in the
   order load.c requests them). */
enum {
    CC__TAG_HIGHWAY,
    CC__TAG_FOOT,
    CC__TAG_ACCESS,
    CC__TAG_SIDEWALK,
    CC__TAG_ONEWAY,
    CC__TAG_BRIDGE,
    CC__TAG_TUNNEL,
    CC__TAG_MAXSPEED,
    CC__TAG_COUNT
};
typedef struct cc__net_lines {
    cc_net_input in;
    int64_t *line_id;
    const char **tags[CC__TAG_COUNT];
} cc__net_lines;
cc_status cc__profile_apply_spec(cc_ctx *ctx, const cc_profile_spec *ps, cc_profile *prof);
cc_status cc__net_lines_from_layer(cc_ctx *ctx, const cc_layer *L, cc__net_lines *nl);
/* For carecircle check: the lines variant v's mode leaves out, per class (highway or
   class_field value), most first; out->cls is the caller's to free (cc_free). */
struct cc_net_variant;
cc_status cc__net_left_out(cc_ctx *ctx, const struct cc_study *st, const struct cc_net_variant *v,
                           cc_left_out *out);
void cc__net_lines_free(cc__net_lines *nl);
/*
 * The first file the scenario (or a variant) reads that lies in the output folder whose real
 * path is `real` or below its variants/ (same_file 0), or that is the file `real` (same_file 1);
 * NULL when none. *key names the scenario key for messages.
 */
const char *cc__scenario_input(const cc_scenario *sc, const char *real, int same_file,
                               const char **key);

/* One study through the stages: heavy = 0 loads, builds graphs and snaps only (check);
   heavy = 1 routes (or reuses cache_path's results, or base's) and runs every stage. */
cc_status cc__run_study(cc_ctx *ctx, const cc_scenario *sc, cc_study *st, int heavy,
                        const char *cache_path, const cc_study *base);
/* cc__run_study reading the graphs from a `carecircle prepare` folder where they match
   (prepared_dir NULL: build them; a variant's run uses its baseline's folder). */
cc_status cc__run_study_prepared(cc_ctx *ctx, const cc_scenario *sc, cc_study *st, int heavy,
                                 const char *cache_path, const cc_study *base,
                                 const char *prepared_dir);
/* The graph of variant v read from st->prepared_dir (prepare.c): *out NULL when the folder was
   prepared for another network, settings or carecircle version (an info line says so). */
cc_status cc__prepared_graph(cc_ctx *ctx, const cc_study *st, const cc_net_variant *v,
                             cc_graph **out);
cc_status cc__study_load(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);
/* The stages after routing (siting matrix, analysis, areas, ..., siting), shared by a whole
   run and a partitioned run's merge. */
cc_status cc__study_after_routing(cc_ctx *ctx, cc_study *st);
/* A run's output folder (opt->out_dir, output_dir or out/<slug>), checked against the inputs,
   its output set and its routing.cache path; the caller frees all three. */
cc_status cc__run_open(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                       char **dir, cc_outset **out, char **cache);
/* After the stages: the variants, the write stage, the workbook, then the publish. */
cc_status cc__run_finish(cc_ctx *ctx, const cc_scenario *sc, cc_study *st, cc_outset *out,
                         const char *dir);
/* Polygons of a layer spec in the working CRS, as a located set (siting exclusions). */
cc_status cc__load_polyset(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, const char *role,
                           cc_polyset **out);
/* Candidate sites for siting: any point or polygon layer (representative points), in the
 * working CRS with WGS 84 copies; the caller owns the arrays. */
cc_status cc__load_candidates(cc_ctx *ctx, cc_study *st, const cc_layer_spec *src, double **x,
                              double **y, double **lon, double **lat, char ***id, char ***name,
                              size_t *n);
void cc__study_free(cc_study *st);
/* Memory: the graphs freed once no stage routes (before the write stage; study_free.c). */
void cc__study_drop_graphs(cc_study *st);
/* A variant against its baseline (compare.c): the comparison rows and the facilities it adds
   or leaves out, into *r (free with cc__variant_res_free). */
cc_status cc__compare(cc_ctx *ctx, const cc_study *base, const cc_study *var, cc_variant_res *r);
void cc__variant_res_free(cc_variant_res *r);
cc_status cc__study_warn(cc_ctx *ctx, cc_study *st, const char *fmt, ...) CC_PRINTF(3, 4);
cc_status cc__study_circles(cc_ctx *ctx, cc_study *st);
/* route = 0: build graphs and snap only (carecircle check). */
cc_status cc__study_network(cc_ctx *ctx, cc_study *st, int route);
cc_status cc__study_analyze(cc_ctx *ctx, cc_study *st);
/* Per level of `units:` and type: the districts' indicators and unit coverage (load_units.c). */
cc_status cc__study_units(cc_ctx *ctx, cc_study *st);
void cc__units_free(cc_study *st);
/* `estates:` (estates.c): the layer and its rules when loading; the verdicts per rule and the
   tallies per district after the districts' analysis. */
cc_status cc__load_estates(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);
cc_status cc__study_estates(cc_ctx *ctx, cc_study *st);
void cc__estates_free(cc_study *st);
/* Served within capacity of group g per unit (reason covered) into u [nd + 2] as filled by
   cc_analysis_districts for the point units pt_district (analyze.c). */
void cc__fill_served(const cc_study *st, const cc_fac_set *f, size_t g, size_t nd,
                     const int32_t *pt_district, cc_district_stats *u);
/* Each district's area and the part inside the study area (the demand points' convex hull),
   with a warning naming the partial ones; called when the districts are loaded. */
cc_status cc__district_areas(cc_ctx *ctx, cc_study *st);

/* A variant's prepared graph file name: graph-<mode>[-<speed>][-custom].ccgraph (prepare.c). */
char *cc__prepared_name(cc_ctx *ctx, const cc_net_variant *v);
/* The network part of the routing cache key (network file, reading, profile, working CRS):
 * what a prepared graph (cc_pipeline_prepare) must match to stand for a build. */
cc_status cc__network_key(cc_ctx *ctx, const cc_study *st, unsigned char key[32]);
cc_status cc__cache_key(cc_ctx *ctx, const cc_study *st, uint32_t limit_ds, unsigned char key[32]);
/* What graphs and demand snaps depend on (the routing key without facilities and limit). */
cc_status cc__net_key(cc_ctx *ctx, const cc_study *st, unsigned char key[32]);
cc_status cc__cache_read(cc_ctx *ctx, cc_study *st, const char *path, const unsigned char key[32],
                         uint32_t limit_ds, uint32_t **tds_out, int *hit);
cc_status cc__cache_write(cc_ctx *ctx, const cc_study *st, cc_outset *out);

cc_status cc__study_areas(cc_ctx *ctx, cc_study *st);

/* A variant that changes little routes little (variant_reuse.c). Borrow the baseline's graph
   and demand snaps for v when the network inputs and demand coordinates are the baseline's
   (v->borrowed; nothing happens otherwise). */
cc_status cc__variant_borrow_graph(cc_ctx *ctx, cc_study *st, cc_net_variant *v);
/* Type t's incidence (f->inc) up to limit_ds: the baseline's rows of facilities it keeps (same
   id and coordinates on a borrowed graph), only the others routed; all routed otherwise. */
cc_status cc__variant_catchments(cc_ctx *ctx, cc_study *st, size_t t, uint32_t limit_ds);
/* The service-area outlines (parts[j]) and people reached (f->reached) of the facilities f
   keeps, copied from the baseline when they would be the same; *copied says whether they were
   (then the facilities with f->base_ix[j] >= 0 are done). */
cc_status cc__variant_outlines(cc_ctx *ctx, cc_study *st, cc_fac_set *f, cc_geom_polys *parts,
                               int *copied);
cc_status cc__variant_reached(cc_ctx *ctx, cc_study *st, cc_fac_set *f, int *copied);
/* Walking-speed sensitivity rows (f->sens) and the writers' tallies (f->reached_per_1000,
   st->district_verdicts), after the areas stage (analyze_sens.c). */
cc_status cc__study_sensitivity(cc_ctx *ctx, cc_study *st);
cc_status cc__study_tallies(cc_ctx *ctx, cc_study *st);
/* Named capacities, flags and floor areas per district and the whole area (st->cap_rows),
   after the analysis stage (capacities.c); nothing when no type declares them. */
cc_status cc__study_capacities(cc_ctx *ctx, cc_study *st);
/* The named capacities, then the flags (facilities with the flag), of f per unit for the
   target evaluation (fac_district as
   cc_analysis_districts reads it, NULL = every facility outside): *out is one block to
   cc_free, NULL when the type declares none. */
cc_status cc__cap_units(cc_ctx *ctx, const cc_fac_set *f, size_t nd, const int32_t *fac_district,
                        cc_cap_units **out);
/* Service groups' coverage per district and the whole area (st->sg_rows), from the types'
   per-point results, after the analysis stage (service_groups.c). */
cc_status cc__study_service_groups(cc_ctx *ctx, cc_study *st);
/* Co-location: each from-facility's nearest to-facility (st->coloc), through the routing
   module's nearest search, after the network stage (colocation.c). */
cc_status cc__study_colocation(cc_ctx *ctx, cc_study *st);
cc_status cc__study_siting(cc_ctx *ctx, cc_study *st);
/* siting.matrix given: the sited type's reach (incidence, nearest times) from the matrix. */
cc_status cc__study_matrix(cc_ctx *ctx, cc_study *st);
/* carecircle check: read every siting input a run would read, without routing. */
cc_status cc__study_siting_check(cc_ctx *ctx, cc_study *st, cc_siting_check *out);
void cc__siting_free(struct cc_siting_run *s);
/* siting_units.c: a block with objective units or each_unit, its candidates' incidence read. */
cc_status cc__siting_units(cc_ctx *ctx, cc_study *st, struct cc_siting_run *s);
/* The write stage: every writer of src/report in order, the routing cache among them. */
cc_status cc__study_write(cc_ctx *ctx, cc_study *st, cc_outset *out);

#endif
