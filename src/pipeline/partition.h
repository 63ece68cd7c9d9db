/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partitioned runs (docs/architecture.md "Partitioned runs", docs/partition.md): the plan
 * (parts, their cores, who owns each point and facility), one part's computation on a window
 * of the global graph, the part files, and the merge. Internal to the pipeline module.
 */
#ifndef CC_PIPELINE_PARTITION_H
#define CC_PIPELINE_PARTITION_H

#include "carecircle/pipeline.h"
#include "stages.h"

/* The parts of a study: cores (rectangles; polygons for ownership), owners, labels. */
typedef struct cc__plan {
    const char *spec;   /* the --partition text */
    size_t n;           /* parts */
    double *core;       /* [4 n] xmin, ymin, xmax, ymax of each part's core */
    char **label;       /* [n] "district 'Hongshan'", "grid cell 3,4" (column, row from 1) */
    int32_t *pt_part;   /* [dem.n] owning part of each demand point */
    int32_t **fac_part; /* [n_types][fac n] owning part of each facility */
    size_t *n_pts;      /* [n] owned demand points */
} cc__plan;

/* The plan of st (after load) for spec: districts, a unit level name, grid:<n>km|m, or a
   polygon layer path. */
cc_status cc__plan_make(cc_ctx *ctx, cc_study *st, const char *spec, cc__plan *p);
void cc__plan_free(cc__plan *p, size_t n_types);
/* Owner of a point at (x, y) given the polygon answer poly (-1: in no core): nearest core
   rectangle, ties to the lower part. */
int32_t cc__plan_nearest_core(const cc__plan *p, double x, double y);
/* Grid cell owning (x, y) in a grid of nx x ny cells of size s from (x0, y0): closed cells,
   the first in row-major order from the south-west (a point on a shared edge goes to the
   lower cell); outside the grid, the nearest cell. Returns row * nx + column. */
size_t cc__grid_cell(double x, double y, double x0, double y0, double s, size_t nx, size_t ny);
/* Job (1..n_jobs) computing part k: parts sorted by owned points, most first (ties to the
   lower part), dealt round robin. */
size_t cc__plan_job(const cc__plan *p, size_t k, size_t n_jobs);

/* The halo of a variant: metres a route of limit_ds can cover on g (the largest metres per
   decisecond of any arc, times limit_ds + 1 for the two rounded partial edges). */
double cc__halo_reach_m(const cc_graph *g, uint32_t limit_ds);

/* What one part computed (its tables, global indices). */
typedef struct cc__part_var {
    size_t n_pts;
    uint32_t *pt; /* owned points, ascending */
    cc_snap *snap;
} cc__part_var;
typedef struct cc__part_type {
    size_t n_fac;
    uint32_t *fac; /* owned facilities, ascending */
    cc_snap *fsnap;
    uint64_t *off; /* [n_fac + 1] rows of each owned facility */
    uint32_t *pt, *tds;
} cc__part_type;
typedef struct cc__part {
    size_t k, n_vars, n_types;
    cc__part_var *var;
    cc__part_type *type;
    double route_s; /* seconds spent routing (summary timings) */
} cc__part;

cc_status cc__part_compute(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                           uint32_t limit_ds, cc__part *out);
void cc__part_free(cc__part *pt);

/* The part file's key: SHA-256 of the routing key, the spec, k, n and part k's owned lists. */
cc_status cc__part_key(cc_ctx *ctx, const cc_study *st, const cc__plan *p, size_t k,
                       unsigned char key[32]);
/* OUT/parts/<k+1>.ccpart, written to a temporary file and renamed. */
cc_status cc__part_write(cc_ctx *ctx, const cc_study *st, const cc__plan *p, const char *dir,
                         const cc__part *pt);
/* Read and check part k: *ok = 0 (with *why) when missing, damaged or foreign. */
cc_status cc__part_read(cc_ctx *ctx, const cc_study *st, const cc__plan *p, const char *dir,
                        size_t k, uint32_t limit_ds, cc__part *out, const char **why);

#endif
