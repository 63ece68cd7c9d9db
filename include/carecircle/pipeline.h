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
} cc_run_options;

/**
 * Run the scenario and write every output into the output folder. On any error no output
 * file is changed (earlier results stay intact). *out_dir_used (may be NULL) receives the
 * folder written, owned by the caller.
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
