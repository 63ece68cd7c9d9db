/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The load stage's pieces, shared by its files (load*.c). Internal to the pipeline module.
 */
#ifndef CC_PIPELINE_LOAD_H
#define CC_PIPELINE_LOAD_H

#include "stages.h"

#include <pthread.h>

/* Checksum of one source file, worked out ahead (see cc__net_read). */
typedef struct cc__pre_hash {
    cc_status rc; /* of cc_sha256_file; its message in msg */
    char sha256[65];
    uint64_t size;
    char *msg;
} cc__pre_hash;

/* Record path, checksum and size of every source once; pre (may be NULL) holds checksums
 * already worked out, one per source. */
cc_status cc__record_inputs_pre(cc_ctx *ctx, cc_study *st, const char *role,
                                const cc_layer_spec *src, size_t features, const cc__pre_hash *pre);
cc_status cc__record_inputs(cc_ctx *ctx, cc_study *st, const char *role, const cc_layer_spec *src,
                            size_t features);
/* Ids from id_field must be unique: outputs refer to features by them. */
cc_status cc__check_unique_ids(cc_ctx *ctx, const cc_layer *L, const char *role);
/* A vector read request for a layer spec (selection, coordinates, ids and names). */
cc_vector_request cc__request_for(const cc_layer_spec *src, const char *role);
/* Read one layer spec as points (rasters: one point per cell). */
cc_status cc__read_points(cc_ctx *ctx, cc_study *st, const char *role, const cc_layer_spec *src,
                          const char *const *num, size_t n_num, int allow_null, int want_geom,
                          cc_layer **out);

/* load_crs.c: the working CRS from the demand blocks' WGS 84 points, outliers, projection. */
cc_status cc__choose_crs(cc_ctx *ctx, cc_study *st, cc_layer *const *blocks, double *const *lon,
                         double *const *lat, size_t nb);
cc_status cc__flag_outliers(cc_ctx *ctx, cc_study *st, const char *role, const char *what, size_t n,
                            const double *lon, const double *lat, char *const *id,
                            char *const *name);
/* WGS 84 copies of a layer's rep points (for outputs, the centre and the outlier check). */
cc_status cc__layer_lonlat(cc_ctx *ctx, const cc_layer *L, const char *role, double **lon,
                           double **lat);
/* Project rep points (and geometry) of a layer into the working CRS; lon/lat copies optional. */
cc_status cc__project_layer(cc_ctx *ctx, cc_study *st, cc_layer *L, const char *role, double **lon,
                            double **lat);

/* One file per kind of layer. */
cc_status cc__load_demand(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);
cc_status cc__load_facilities(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);
cc_status cc__load_districts(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);
/* `units:` levels (load_units.c), after the districts (the first level's parents). */
cc_status cc__load_units(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);
/* Deep copy of the n features of polygon column a into b (load_districts.c). */
cc_status cc__geomcol_copy(cc_ctx *ctx, const cc_geomcol *a, size_t n, cc_geomcol *b);

/*
 * The road network (usually the largest layer) is read on a thread of its own while the
 * demand, facility and district layers load (and its files are checksummed once they have):
 * a pthread, one of the exceptions core.h's threading policy lists. The thread has a child
 * context: its log lines are kept and replayed, and its error reported, at the point where
 * the network used to be read (after the other layers), so messages and their order are
 * those of a one-thread load. The thread's progress is not shown (the run's progress sink
 * need not be thread-safe); a Ctrl-C and the allocation-failure hook of the run reach it
 * through the child context.
 */
typedef struct cc__net_read {
    cc_ctx *ctx; /* the thread's context, a child of the run's */
    const cc_network_spec *ns;
    cc_layer *roads;
    cc_status rc;
    cc__pre_hash *hash; /* [ns->src.n_sources] */
    char **log_line;
    cc_log_level *log_level;
    size_t n_log, cap_log;
    int log_oom;
    pthread_t tid;
    int running;
} cc__net_read;

/* Start reading the network on its own thread; nothing starts (the network is then read in
 * turn) with one thread, without a network, or when the thread cannot be had. */
void cc__net_read_start(cc_ctx *ctx, const cc_scenario *sc, cc__net_read *nr);
/* Wait for the thread; with use = 1 hand its layer, log lines and error over to the run. */
cc_status cc__net_read_finish(cc_ctx *ctx, cc_study *st, cc__net_read *nr, int use);
/* The network read in turn (no thread). */
cc_status cc__load_network(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);

#endif
