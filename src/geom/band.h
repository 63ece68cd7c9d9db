/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the service-area code (servicearea.c, band.c): the reusable per-thread scratch
 * memory and the band tracer that turns a set of line segments into the polygon of points
 * within a distance of them.
 */
#ifndef CC_GEOM_BAND_H
#define CC_GEOM_BAND_H

#include "carecircle/geom.h"

#include <stdint.h>

/** A crossing of the band edge with a grid edge, and the outline step leaving it. */
typedef struct cc__xpt {
    double x, y;   /* on the band edge */
    uint32_t seg;  /* the segment whose band edge it lies on */
    uint32_t next; /* the crossing the outline goes to next (in this point's cell) */
    double cx, cy; /* corner inserted on the way to next, when has_corner */
    int has_corner;
    uint32_t ci, cj; /* the cell the outline leaves it into */
    int side;        /* and the side of that cell it lies on: 0 bottom, 1 right, 2 top, 3 left */
} cc__xpt;

/** One step of a traced ring after simplification, for the crossing check. */
typedef struct cc__bseg {
    double x1, y1, x2, y2;
    double xmin, xmax, ymin, ymax;
    uint32_t ring, k;  /* ring and its step index */
    uint32_t a, b;     /* ring vertex range [a, b] it replaces (b may be the ring's size: 0) */
    unsigned char bad; /* crosses or touches another step */
} cc__bseg;

/** Scratch arrays, grown as needed and kept between calls. */
struct cc_service_ws {
    /* servicearea.c: the stretches of one edge, the index of each reached node in the
     * caller's list (UINT32_MAX between calls), the sources done, and the segments */
    void *span;
    size_t span_cap;
    uint32_t *nidx;
    size_t nidx_cap;
    unsigned char *src_done;
    size_t src_done_cap;
    uint64_t *elist; /* edge entries to look at, then the edges to draw */
    size_t elist_cap;
    double *seg; /* 4 per segment: ax, ay, bx, by (metres) */
    size_t seg_cap;
    /* band.c: the grid */
    float *d2;         /* squared distance to the nearest segment (capped) */
    uint32_t *sid;     /* that segment */
    uint32_t *hx;      /* crossing on the grid edge from vertex v to its right neighbour */
    uint32_t *vx;      /* ... to its upper neighbour */
    unsigned char *in; /* 1 when within the band */
    size_t grid_cap;
    int32_t *rlo, *rhi; /* per grid row, the columns any segment wrote */
    size_t row_cap;
    unsigned char *deep; /* per tile of 2 x 2 cells: wholly within r - cell of one segment */
    size_t deep_cap;
    uint32_t *sat; /* summed-area table of deep */
    size_t sat_cap;
    float *run; /* one row of squared distances */
    size_t run_cap;
    cc__xpt *pt;
    size_t pt_cap;
    /* rings: vertices, offsets, kept flags */
    double *rx, *ry;
    unsigned char *keep;
    size_t rv_cap;
    size_t *roff;
    double *rarea;
    uint32_t *rshell; /* holes: the shell they belong to */
    size_t ring_cap;
    uint32_t *stack;
    size_t stack_cap;
    cc__bseg *bs;
    size_t bs_cap;
};


/**
 * The band of points within r of the n_seg segments ws->seg (4 doubles each), traced on a
 * grid of `cell` metres, simplified by `simplify` (0 = none), appended to out as one feature.
 */
cc_status cc__band_trace(cc_ctx *ctx, cc_service_ws *ws, size_t n_seg, double r, double cell,
                         double simplify, cc_geom_polys *out);

#endif
