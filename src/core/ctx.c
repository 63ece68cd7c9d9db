/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The context: last error, log and progress sinks, interrupt flag, allocation counter and
 * fail hook, thread count, and lazily created GIS library handles.
 */
#include "internal.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CC__MSG_CAP 2048

struct cc_ctx {
    char msg[CC__MSG_CAP];
    cc_status last;
    atomic_flag msg_lock;
    cc_log_fn log_fn;
    void *log_ud;
    cc_log_level log_min;
    cc_progress_fn prog_fn;
    void *prog_ud;
    int threads;
    volatile sig_atomic_t interrupted;
    atomic_long alloc_count;
    atomic_long alloc_fail_at; /* 0 = never; else the allocation number that starts failing */
    void *slots[CC__SLOT_COUNT];
    void (*slot_free[CC__SLOT_COUNT])(void *);
};

/* Allocation bookkeeping lives here so alloc.c needs no access to the struct layout. */
int cc__ctx_alloc_allowed(cc_ctx *ctx)
{
    if (!ctx) return 1;
    long n = atomic_fetch_add(&ctx->alloc_count, 1) + 1;
    long fail = atomic_load(&ctx->alloc_fail_at);
    return !(fail > 0 && n >= fail);
}

cc_status cc_ctx_create(cc_ctx **out)
{
    cc_ctx *ctx = calloc(1, sizeof *ctx);
    *out = ctx;
    if (!ctx) return CC_ERR_NOMEM;
    atomic_flag_clear(&ctx->msg_lock);
    atomic_init(&ctx->alloc_count, 0);
    atomic_init(&ctx->alloc_fail_at, 0);
    ctx->log_min = CC_LOG_INFO;
    return CC_OK;
}

void cc_ctx_destroy(cc_ctx *ctx)
{
    if (!ctx) return;
    for (int i = CC__SLOT_COUNT - 1; i >= 0; i--)
        if (ctx->slots[i] && ctx->slot_free[i]) ctx->slot_free[i](ctx->slots[i]);
    free(ctx);
}

void *cc__ctx_handle(cc_ctx *ctx, int slot, void *(*create)(cc_ctx *), void (*destroy)(void *))
{
    if (slot < 0 || slot >= CC__SLOT_COUNT) return NULL;
    if (!ctx->slots[slot]) {
        ctx->slots[slot] = create(ctx);
        ctx->slot_free[slot] = destroy;
    }
    return ctx->slots[slot];
}

void cc_ctx_set_log(cc_ctx *ctx, cc_log_fn fn, void *userdata, cc_log_level min_level)
{
    ctx->log_fn = fn;
    ctx->log_ud = userdata;
    ctx->log_min = min_level;
}

cc_log_level cc_ctx_set_log_level(cc_ctx *ctx, cc_log_level min_level)
{
    cc_log_level old = ctx->log_min;
    ctx->log_min = min_level;
    return old;
}

void cc_ctx_set_progress(cc_ctx *ctx, cc_progress_fn fn, void *userdata)
{
    ctx->prog_fn = fn;
    ctx->prog_ud = userdata;
}

void cc_ctx_set_threads(cc_ctx *ctx, int threads)
{
    ctx->threads = threads < 0 ? 0 : threads;
}

int cc_ctx_threads(const cc_ctx *ctx)
{
    return ctx->threads;
}

void cc_ctx_interrupt(cc_ctx *ctx)
{
    ctx->interrupted = 1;
}

int cc_ctx_interrupted(const cc_ctx *ctx)
{
    return ctx && ctx->interrupted;
}

void cc_ctx_clear_interrupt(cc_ctx *ctx)
{
    ctx->interrupted = 0;
}

cc_status cc_check_interrupt(cc_ctx *ctx)
{
    if (cc_ctx_interrupted(ctx))
        return cc_error(ctx, CC_ERR_INTERRUPTED, "interrupted by the user; no output was changed");
    return CC_OK;
}

void cc_ctx_set_alloc_fail(cc_ctx *ctx, long nth)
{
    long base = atomic_load(&ctx->alloc_count);
    atomic_store(&ctx->alloc_fail_at, nth > 0 ? base + nth : 0);
}

long cc_ctx_alloc_count(const cc_ctx *ctx)
{
    return atomic_load(&((cc_ctx *)ctx)->alloc_count);
}

static void lock(cc_ctx *ctx)
{
    while (atomic_flag_test_and_set_explicit(&ctx->msg_lock, memory_order_acquire)) {
    }
}

static void unlock(cc_ctx *ctx)
{
    atomic_flag_clear_explicit(&ctx->msg_lock, memory_order_release);
}

cc_status cc_verror(cc_ctx *ctx, cc_status st, const char *fmt, va_list ap)
{
    if (!ctx) return st;
    lock(ctx);
    cc_vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    cc__line_clean(ctx->msg);
    ctx->last = st;
    unlock(ctx);
    return st;
}

cc_status cc_error(cc_ctx *ctx, cc_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_verror(ctx, st, fmt, ap);
    va_end(ap);
    return st;
}

void cc_error_prefix(cc_ctx *ctx, const char *fmt, ...)
{
    if (!ctx) return;
    char pre[1024];
    va_list ap;
    va_start(ap, fmt);
    cc_vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    lock(ctx);
    /* Shift the old message right and put "pre: " in front, truncating at the end. */
    size_t pl = strlen(pre), ol = strlen(ctx->msg);
    if (pl + 2 >= CC__MSG_CAP) pl = CC__MSG_CAP - 3;
    if (pl + 2 + ol >= CC__MSG_CAP) ol = CC__MSG_CAP - 3 - pl;
    memmove(ctx->msg + pl + 2, ctx->msg, ol);
    memcpy(ctx->msg, pre, pl);
    ctx->msg[pl] = ':';
    ctx->msg[pl + 1] = ' ';
    ctx->msg[pl + 2 + ol] = '\0';
    cc__line_clean(ctx->msg);
    unlock(ctx);
}

const char *cc_ctx_message(const cc_ctx *ctx)
{
    return ctx ? ctx->msg : "";
}

cc_status cc_ctx_last_status(const cc_ctx *ctx)
{
    return ctx ? ctx->last : CC_OK;
}

void cc_ctx_clear_error(cc_ctx *ctx)
{
    ctx->msg[0] = '\0';
    ctx->last = CC_OK;
}

void cc_log(cc_ctx *ctx, cc_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log_fn || level < ctx->log_min) return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    cc_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    cc__line_clean(line);
    ctx->log_fn(ctx->log_ud, level, line);
}

void cc_progress(cc_ctx *ctx, const char *stage, double fraction)
{
    if (!ctx || !ctx->prog_fn) return;
    if (fraction < 0) fraction = 0;
    if (fraction > 1) fraction = 1;
    ctx->prog_fn(ctx->prog_ud, stage, fraction);
}
