/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Disjoint sets: the allocation of the parent array (find and union are inline in dsu.h so the
 * hot loops of the graph build keep them inlined).
 */
#include "dsu.h"

cc_status cc_dsu_create(cc_ctx *ctx, size_t n, uint32_t **out)
{
    *out = NULL;
    if (n >= UINT32_MAX)
        return cc_error(ctx, CC_ERR_DATA,
                        "%zu elements are more than one grouping handles (4e9); use a smaller "
                        "study area",
                        n);
    uint32_t *p = cc_malloc_array(ctx, n ? n : 1, sizeof *p);
    if (!p) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint32_t)i;
    *out = p;
    return CC_OK;
}
