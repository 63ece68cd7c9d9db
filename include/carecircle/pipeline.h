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

/** Folder-safe slug of a scenario name ("Optics Valley baseline" -> "optics-valley-baseline"). */
char *cc_pipeline_slug(cc_ctx *ctx, const char *name);

#ifdef __cplusplus
}
#endif
#endif
