/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The context: last error, log and progress sinks, interrupt flag, allocation counter and
 * fail hook, thread count, and lazily created GIS library handles. A child context (for a
 * worker thread) shares its root's allocation counter and hook and sees its parent's interrupt;
 * the threading rules are in core.h.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CC__MSG_CAP 2048

/* The interrupt is set from a signal handler and read by worker threads: a lock-free atomic
 * is both async-signal-safe and free of data races (a volatile sig_atomic_t is not the latter). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free for the interrupt flag");

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
    atomic_int interrupted; /* relaxed loads and stores: a flag, it orders nothing */
    atomic_long alloc_count;
    atomic_long alloc_fail_at; /* 0 = never; else the allocation number that starts failing */
    cc_ctx *parent;            /* NULL for a root context; else whose interrupt this one sees */
    cc_ctx *root;              /* the context that counts allocations (itself for a root) */
    void *slots[CC__SLOT_COUNT];
    void (*slot_free[CC__SLOT_COUNT])(void *);
};

static void lock(cc_ctx *ctx)
{
    while (atomic_flag_test_and_set_explicit(&ctx->msg_lock, memory_order_acquire)) {
    }
}

static void unlock(cc_ctx *ctx)
{
    atomic_flag_clear_explicit(&ctx->msg_lock, memory_order_release);
}

/* Allocation bookkeeping lives here so alloc.c needs no access to the struct layout. */
int cc__ctx_alloc_allowed(cc_ctx *ctx)
{
    if (!ctx) return 1;
    ctx = ctx->root;
    long n = atomic_fetch_add(&ctx->alloc_count, 1) + 1;
    long fail = atomic_load(&ctx->alloc_fail_at);
    return !(fail > 0 && n >= fail);
}

/* A zeroed context made ready; parent NULL for a root. */
static void ctx_init(cc_ctx *ctx, cc_ctx *parent)
{
    atomic_flag_clear(&ctx->msg_lock);
    atomic_init(&ctx->alloc_count, 0);
    atomic_init(&ctx->alloc_fail_at, 0);
    atomic_init(&ctx->interrupted, 0);
    ctx->parent = parent;
    ctx->root = parent ? parent->root : ctx;
    ctx->log_min = CC_LOG_INFO;
}

cc_status cc_ctx_create(cc_ctx **out)
{
    cc_ctx *ctx = calloc(1, sizeof *ctx);
    *out = ctx;
    if (!ctx) return CC_ERR_NOMEM;
    ctx_init(ctx, NULL);
    return CC_OK;
}

cc_status cc_ctx_child(cc_ctx *parent, cc_ctx **out)
{
    *out = NULL;
    if (!parent) return CC_ERR_INVALID;
    /* through the parent's hook: the out-of-memory sweep reaches a worker's own context too */
    cc_ctx *ctx = cc_calloc(parent, 1, sizeof *ctx);
    *out = ctx;
    if (!ctx) return CC_ERR_NOMEM;
    ctx_init(ctx, parent);
    ctx->threads = 1; /* a worker runs its nested stages on itself */
    return CC_OK;
}

cc_status cc_ctx_child_join(cc_ctx *parent, cc_ctx *child, cc_status rc)
{
    if (rc != CC_OK || !child || child->last == CC_OK) return rc;
    /* the message as it stands, not through a format, so that '%' in it stays as it is */
    lock(parent);
    memcpy(parent->msg, child->msg, sizeof parent->msg);
    parent->last = child->last;
    unlock(parent);
    return child->last;
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
    atomic_store_explicit(&ctx->interrupted, 1, memory_order_relaxed);
}

int cc_ctx_interrupted(const cc_ctx *ctx)
{
    /* a child stops when any of its ancestors was asked to */
    for (; ctx; ctx = ctx->parent)
        if (atomic_load_explicit(&((cc_ctx *)ctx)->interrupted, memory_order_relaxed)) return 1;
    return 0;
}

void cc_ctx_clear_interrupt(cc_ctx *ctx)
{
    atomic_store_explicit(&ctx->interrupted, 0, memory_order_relaxed);
}

cc_status cc_check_interrupt(cc_ctx *ctx)
{
    if (cc_ctx_interrupted(ctx))
        return cc_error(ctx, CC_ERR_INTERRUPTED, "interrupted by the user; no output was changed");
    return CC_OK;
}

void cc_ctx_set_alloc_fail(cc_ctx *ctx, long nth)
{
    ctx = ctx->root;
    long base = atomic_load(&ctx->alloc_count);
    atomic_store(&ctx->alloc_fail_at, nth > 0 ? base + nth : 0);
}

long cc_ctx_alloc_count(const cc_ctx *ctx)
{
    return atomic_load(&ctx->root->alloc_count);
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
