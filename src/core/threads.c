/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one rule for how many threads a parallel stage runs on (core.h, "Threads"). The only
 * place core uses OpenMP: it asks the runtime for its default team size.
 */
#include "internal.h"

#include <omp.h>

int cc_ctx_thread_count(const cc_ctx *ctx)
{
    int t = ctx ? cc_ctx_threads(ctx) : 0;
    if (t > 0) return t;
    /* OMP_NUM_THREADS when set, else the cores this process may run on */
    t = omp_get_max_threads();
    return t > 0 ? t : 1;
}
