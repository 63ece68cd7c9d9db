/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checked allocation through the context: overflow checks, the out-of-memory message, and
 * the test hook that makes the nth allocation fail. Blocks of 4 MiB and more are offered to
 * the kernel for transparent huge pages (cc_hint_huge).
 */
#include "internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int cc__ctx_alloc_allowed(cc_ctx *ctx);

static void *oom(cc_ctx *ctx, size_t bytes)
{
    cc_error(ctx, CC_ERR_NOMEM,
             "out of memory (could not allocate %zu bytes); close other programs or use a smaller "
             "study area",
             bytes);
    return NULL;
}

void cc_hint_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (!p || bytes < 2 * huge) return;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t b = ((uintptr_t)p + bytes) & ~(huge - 1);
    /* advice only: where the kernel has no huge pages the block keeps small ones */
    if (b > a) (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void *cc_realloc_huge(void *p, size_t bytes)
{
    /* realloc keeps the memory's peak low (a big block moves by remapping its pages, not by
     * a copy); the advice then covers the whole block, so pages not yet touched come huge */
    void *q = realloc(p, bytes ? bytes : 1);
    if (q) cc_hint_huge(q, bytes);
    return q;
}

void *cc_malloc(cc_ctx *ctx, size_t size)
{
    if (!cc__ctx_alloc_allowed(ctx)) return oom(ctx, size);
    void *p = malloc(size ? size : 1);
    if (!p) return oom(ctx, size);
    cc_hint_huge(p, size);
    return p;
}

void *cc_malloc_array(cc_ctx *ctx, size_t n, size_t size)
{
    size_t bytes;
    if (!cc__mul_ok(n, size, &bytes)) return oom(ctx, (size_t)-1);
    return cc_malloc(ctx, bytes);
}

void *cc_calloc(cc_ctx *ctx, size_t n, size_t size)
{
    size_t bytes;
    if (!cc__mul_ok(n, size, &bytes)) return oom(ctx, (size_t)-1);
    if (!cc__ctx_alloc_allowed(ctx)) return oom(ctx, bytes);
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) return oom(ctx, bytes);
    cc_hint_huge(p, bytes);
    return p;
}

void *cc_realloc_array(cc_ctx *ctx, void *p, size_t n, size_t size)
{
    size_t bytes;
    if (!cc__mul_ok(n, size, &bytes)) return oom(ctx, (size_t)-1);
    if (!cc__ctx_alloc_allowed(ctx)) return oom(ctx, bytes);
    void *q = cc_realloc_huge(p, bytes);
    return q ? q : oom(ctx, bytes);
}

char *cc_strndup(cc_ctx *ctx, const char *s, size_t n)
{
    char *d = cc_malloc(ctx, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cc_strdup(cc_ctx *ctx, const char *s)
{
    if (!s) return NULL;
    return cc_strndup(ctx, s, strlen(s));
}

char *cc_asprintf(cc_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = cc_vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        cc_error(ctx, CC_ERR_INTERNAL, "cannot format string '%s'", fmt);
        return NULL;
    }
    char *s = cc_malloc(ctx, (size_t)n + 1);
    if (!s) return NULL;
    va_start(ap, fmt);
    cc_vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void cc_free(void *p)
{
    free(p);
}

cc_status cc_grow_array(cc_ctx *ctx, void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return CC_OK;
    size_t c = *cap ? *cap : 64;
    while (c < need) {
        if (c > ((size_t)-1) / 2) return cc_error(ctx, CC_ERR_NOMEM, "out of memory: %zu elements", need);
        c *= 2;
    }
    void *q = cc_realloc_array(ctx, *p, c, elem);
    if (!q) return CC_ERR_NOMEM;
    *p = q;
    *cap = c;
    return CC_OK;
}
