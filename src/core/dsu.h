/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Disjoint sets (union-find) over element ids 0..n-1, shared by the modules that group things:
 * net joins snapped line ends into junctions, geom joins neighbouring hexagons into areas.
 * The set array is a plain uint32_t parent[] made by cc_dsu_create and freed with cc_free.
 * The root of a set is always its lowest id, so numbering roots in id order numbers the sets in
 * the order of their first element (callers rely on this for deterministic output).
 * Not thread-safe: cc_dsu_find compresses paths (path halving) as it reads.
 */
#ifndef CC_CORE_DSU_H
#define CC_CORE_DSU_H

#include "carecircle/core.h"

#include <stddef.h>
#include <stdint.h>

/**
 * Allocate parent[n] with every id its own set (parent[i] = i). n must be below UINT32_MAX
 * (CC_ERR_DATA with a message otherwise); n == 0 gives a valid one-element array. The caller
 * frees *out with cc_free. CC_ERR_NOMEM when the allocation fails.
 */
cc_status cc_dsu_create(cc_ctx *ctx, size_t n, uint32_t **out);

/** Root (lowest id) of the set holding a. Halves the path from a as it goes. */
static inline uint32_t cc_dsu_find(uint32_t *parent, uint32_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    return a;
}

/** Join the sets of a and b; the lower of the two roots becomes the root. */
static inline void cc_dsu_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = cc_dsu_find(parent, a);
    b = cc_dsu_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

#endif
