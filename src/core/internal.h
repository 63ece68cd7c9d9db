/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal helpers shared across modules (not part of the public API).
 */
#ifndef CC_CORE_INTERNAL_H
#define CC_CORE_INTERNAL_H

#include "carecircle/core.h"

/* Per-context handle slots (created lazily, destroyed with the ctx): the PROJ context of the
   crs module. GEOS needs none: src/geom makes a GEOS handle per call or per worker. */
enum { CC__SLOT_PROJ = 0, CC__SLOT_COUNT = 1 };

/**
 * Return the handle stored in `slot`, creating it with create(ctx) on first use. destroy is
 * called on ctx destruction. Not thread-safe: call from the main thread only.
 */
void *cc__ctx_handle(cc_ctx *ctx, int slot, void *(*create)(cc_ctx *), void (*destroy)(void *));

#define CC_UNUSED(x) ((void)(x))

/**
 * Make the array *p (capacity *cap elements of elem bytes) hold at least need elements,
 * doubling from 64; *p and *cap change only on success. CC_ERR_NOMEM on failure.
 */
cc_status cc_grow_array(cc_ctx *ctx, void **p, size_t *cap, size_t need, size_t elem);

/* Overflow-safe size multiply: returns 0 on overflow and sets *out. */
static inline int cc__mul_ok(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > (size_t)-1 / a) return 0;
    *out = a * b;
    return 1;
}

/*
 * Make a message one line of valid UTF-8, in place: newline, CR and tab become a space, other
 * control characters (an ESC could drive the user's terminal) and each byte of invalid UTF-8
 * (data in a legacy encoding, or a character cut by truncation) become '?'.
 */
void cc__line_clean(char *s);

#endif
