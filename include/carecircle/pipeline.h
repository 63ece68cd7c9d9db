/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The end-to-end pipeline: scenario -> inputs (GDAL) -> working CRS (PROJ) -> circles and
 * network routing -> analysis -> outputs written atomically. The CLI calls only this and
 * the config API.
 */
#ifndef CARECIRCLE_PIPELINE_H
#define CARECIRCLE_PIPELINE_H

#include "carecircle/config.h"
#include "carecircle/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_run_options {
    const char *out_dir; /* NULL = scenario output_dir, else out/<slug of the scenario name> */
    const char *prepared_dir; /* NULL, or a `carecircle prepare` folder: each routing variant's
                                 graph is read from it instead of built when it matches */
    /* A partitioned run (docs/partition.md): NULL = one whole run; else "districts", a unit
       level, a polygon layer path or "grid:<n>km" / "grid:<n>m". The parts' files go to
       <out>/parts/ and stay there; a valid one is reused. */
    const char *partition;
    size_t part_k, part_n; /* part_n > 0: only job part_k (1..part_n)'s parts, no merge */
    int merge;             /* 1: no part computed, only the merge of <out>/parts/ */
} cc_run_options;

/**
 * Run the scenario and write every output into the output folder. On any error no output
 * file is changed (earlier results stay intact). *out_dir_used (may be NULL) receives the
 * folder written, owned by the caller. With opt->partition the results are byte-identical to
 * a whole run's (timings apart); with opt->part_n only part files are written.
 */
cc_status cc_pipeline_run(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                          char **out_dir_used);

/**
 * A partitioned run step by step (what `carecircle run --partition` and the MPI driver do):
 * open loads the study, builds its graphs and plans the parts (opt->partition; opt->out_dir
 * as for cc_pipeline_run); part computes part k (0-based) and writes OUT/parts/<k+1>.ccpart,
 * or keeps a valid one; finish reads every part file, merges and writes every output as
 * cc_pipeline_run does (byte-identical, timings apart); a missing or damaged part is an error
 * naming it, and nothing is published.
 */
typedef struct cc_part_run cc_part_run;
cc_status cc_part_run_open(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                           cc_part_run **out);
size_t cc_part_run_count(const cc_part_run *r);
/** "grid cell 3,4", "district '洪山区'": for messages. */
const char *cc_part_run_label(const cc_part_run *r, size_t k);
/** Demand points part k owns (the scheduling weight). */
size_t cc_part_run_points(const cc_part_run *r, size_t k);
/** The job (1..n_jobs) that computes part k among n_jobs: parts sorted by owned points,
    most first, dealt round robin. */
size_t cc_part_run_job(const cc_part_run *r, size_t k, size_t n_jobs);
const char *cc_part_run_dir(const cc_part_run *r);
cc_status cc_part_run_part(cc_ctx *ctx, cc_part_run *r, size_t k);
cc_status cc_part_run_finish(cc_ctx *ctx, cc_part_run *r);
void cc_part_run_close(cc_part_run *r);

/**
 * Validate the scenario's inputs without routing: load every layer, reproject, and append a
 * data-quality report (counts, extents, working CRS, warnings) to report.
 */
cc_status cc_pipeline_check(cc_ctx *ctx, const cc_scenario *sc, cc_buf *report);

/**
 * Build the scenario's routable network and write it to out_path (a .gpkg, replaced
 * atomically): layer `edges` with edge, from_node, to_node, source_fid, highway, length_m,
 * time_fwd_s, time_bwd_s (null where that direction is not allowed), component and island.
 * A short description (nodes, edges, components) is appended to report when not NULL.
 */
cc_status cc_pipeline_graph(cc_ctx *ctx, const cc_scenario *sc, const char *out_path,
                            cc_buf *report);

/**
 * `carecircle prepare`: build the graph of every routing variant of the scenario (each
 * distinct mode, speed and profile of its facility types, as a run builds them) and write
 * dir/graph-<variant>.ccgraph (prepared graph files, read by window) and dir/prepared.json
 * (carecircle version, the network key, per variant mode, speed_kmh, custom, nodes, edges,
 * components, bbox, file, bytes). dir is created. A line per file is appended to report.
 */
cc_status cc_pipeline_prepare(cc_ctx *ctx, const cc_scenario *sc, const char *dir,
                              cc_buf *report);

/** `carecircle info FILE.ccgraph`: one line with the prepared graph's nodes, edges, arcs and
 *  components (read back whole through its tile index); a damaged file is an error naming it. */
cc_status cc_pipeline_prepared_info(cc_ctx *ctx, const char *path, cc_buf *out);

/** Folder-safe slug of a scenario name ("Optics Valley baseline" -> "optics-valley-baseline"). */
char *cc_pipeline_slug(cc_ctx *ctx, const char *name);

#ifdef __cplusplus
}
#endif
#endif
