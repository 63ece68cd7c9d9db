/* SPDX-License-Identifier: Apache-2.0 */
/*
 * siting internals shared by the greedy, exact and matrix files: input checks, the demand
 * left uncovered by existing facilities, a small RFC 4180 CSV row reader.
 */
#ifndef CC_SITING_INTERNAL_H
#define CC_SITING_INTERNAL_H

#include "carecircle/siting.h"

/**
 * Check the arrays of *in (sizes, point indices, ascending points per block, finite
 * non-negative demand and capacities). CC_ERR_INVALID with a one-line message.
 */
cc_status cc__siting_check(cc_ctx *ctx, const cc_siting_input *in);

/**
 * Demand left for new sites: *resid_out[i] (caller frees) is the demand of point i after the
 * existing facilities absorbed what they can (nearest-first, see docs/siting.md), or 0 when
 * the point is outside the chosen district. *total_pop = demand of the area, *base_pop = the
 * part of it covered by existing facilities.
 */
cc_status cc__siting_residual(cc_ctx *ctx, const cc_siting_input *in, double **resid_out,
                              double *total_pop, double *base_pop);

/** Capacity of candidate j in people (INFINITY when unlimited). */
double cc__siting_cand_cap(const cc_siting_input *in, size_t j);

/** The greedy itself, on a residual array it updates (used by greedy and exact). */
cc_status cc__siting_greedy_run(cc_ctx *ctx, const cc_siting_input *in, const cc_siting_opts *o,
                                double *resid, double total_pop, double base_pop,
                                cc_siting_result *res);

/* ---- CSV rows ---- */
typedef struct cc__csv {
    const char *path; /* for messages */
    const char *p, *end;
    size_t line;     /* 1-based line of the next character */
    size_t row_line; /* line where the last row started */
    cc_buf scratch;  /* fields of the current row, NUL-separated */
    size_t *off;     /* field start offsets into scratch.s */
    size_t n_fields, cap_fields;
} cc__csv;

/** Start reading text (not copied; must outlive the reader). Skips a UTF-8 BOM. */
void cc__csv_init(cc__csv *r, const char *path, const char *text, size_t len);
/**
 * Read the next non-empty row. *n_fields = 0 at end of input. Field k is
 * cc__csv_field(r, k). Unterminated quotes and junk after a closing quote are CC_ERR_DATA.
 */
cc_status cc__csv_next(cc_ctx *ctx, cc__csv *r, size_t *n_fields);
const char *cc__csv_field(const cc__csv *r, size_t k);
void cc__csv_free(cc__csv *r);

#endif
