/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle core: status codes, the context (errors, logging, progress, interrupt,
 * allocation hook), checked allocation, small containers, locale-independent number
 * formatting, hashing and atomic output files.
 *
 * Every fallible function returns cc_status; the detailed one-line message lives on the
 * context (cc_ctx_message). Library code never prints and never exits.
 */
#ifndef CARECIRCLE_CORE_H
#define CARECIRCLE_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CC_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define CC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CC_PRINTF(a, b)
#endif

/* One table gives the enum, the short name and the default message. */
#define CC_STATUS_TABLE(X)                                                                         \
    X(CC_OK, "ok", "success")                                                                      \
    X(CC_ERR_NOMEM, "out_of_memory", "out of memory")                                              \
    X(CC_ERR_INVALID, "invalid_argument", "invalid argument")                                      \
    X(CC_ERR_USAGE, "usage", "usage error")                                                        \
    X(CC_ERR_SCENARIO, "scenario", "scenario file error")                                          \
    X(CC_ERR_IO, "io", "input/output error")                                                       \
    X(CC_ERR_DATA, "data", "bad input data")                                                       \
    X(CC_ERR_CRS, "crs", "coordinate reference system error")                                      \
    X(CC_ERR_GEOM, "geometry", "geometry error")                                                   \
    X(CC_ERR_INTERRUPTED, "interrupted", "interrupted")                                            \
    X(CC_ERR_INTERNAL, "internal", "internal error")

typedef enum cc_status {
#define CC__ENUM(e, n, m) e,
    CC_STATUS_TABLE(CC__ENUM)
#undef CC__ENUM
        CC_STATUS_COUNT
} cc_status;

/** Short machine name of a status ("out_of_memory"). Never NULL. */
const char *cc_status_name(cc_status st);
/** Default human message of a status. Never NULL. */
const char *cc_status_message(cc_status st);

typedef enum cc_log_level {
    CC_LOG_DEBUG = 0,
    CC_LOG_INFO = 1,
    CC_LOG_WARN = 2,
    CC_LOG_ERROR = 3
} cc_log_level;

/** Log sink: receives one finished line without trailing newline. */
typedef void (*cc_log_fn)(void *userdata, cc_log_level level, const char *msg);
/** Progress sink: stage name and fraction done in [0,1]. Called from the calling thread only. */
typedef void (*cc_progress_fn)(void *userdata, const char *stage, double fraction);

typedef struct cc_ctx cc_ctx;

/** Create a context. Returns CC_ERR_NOMEM if it cannot be allocated. */
cc_status cc_ctx_create(cc_ctx **out);
/** Destroy a context and every handle it owns (the PROJ context). Accepts NULL. */
void cc_ctx_destroy(cc_ctx *ctx);

void cc_ctx_set_log(cc_ctx *ctx, cc_log_fn fn, void *userdata, cc_log_level min_level);
void cc_ctx_set_progress(cc_ctx *ctx, cc_progress_fn fn, void *userdata);
/** Change the minimum log level only; returns the previous one. */
cc_log_level cc_ctx_set_log_level(cc_ctx *ctx, cc_log_level min_level);

/* ---- Threads ----
 * The concurrency policy of the library:
 * - How many: every parallel stage runs on cc_ctx_thread_count(ctx) threads (the context's
 *   --threads, else OpenMP's default); no other copy of that rule.
 * - How: OpenMP parallel regions. A raw thread (pthread) only where work must overlap
 *   *different* sequential work rather than split a loop; each is listed here as an exception:
 *   src/pipeline/load_network.c reads the road network on one thread while the other layers load (a
 *   child context, joined after); src/io/write_part.c writes the second part of a large GeoPackage
 *   layer on one thread (its own GDAL handles, no context: the text of its failure comes back
 *   in its job and the caller records it; a stop flag ends it when the caller fails or is
 *   interrupted). Both run only when cc_ctx_thread_count(ctx) >= 2. (pthread_once in
 *   src/io/gdal_env.c starts no thread: it sets GDAL up once.)
 * - What a worker thread may touch: read-only shared inputs (a built graph, the study's
 *   arrays), its own slice of the outputs, its own workspaces. On the run's context it may call
 *   only the thread-safe calls: cc_malloc & co., cc_error (the last writer wins) and
 *   cc_ctx_interrupted. Anything else (log and progress sinks, the PROJ handle of
 *   cc__ctx_handle) goes through a child context of its own (cc_ctx_child), which also gives the
 *   thread its own error message. Progress is reported from the calling thread only.
 * - Memory: every allocation inside a parallel region or a thread goes through cc_malloc & co.
 *   on the run's context or a child, so the allocation-failure hook reaches it. Left outside
 *   the hook today: the part writer thread of src/io/write_part.c (no context), the array of
 *   cc__geos_make_valid (src/geom, a GEOS handle only), and what GDAL, GEOS and PROJ allocate.
 * - Errors come back at the join: a worker that fails records its error on its child (or sets a
 *   shared flag), stops its work, and the calling thread, after the region, takes the first
 *   error in a fixed order (cc_ctx_child_join in thread order) and returns it; workers never
 *   return early out of a region.
 * - Interrupt: workers poll cc_ctx_interrupted (a relaxed atomic load: cheap, race-free) every
 *   few thousand items of work; the calling thread turns it into CC_ERR_INTERRUPTED after the
 *   join (cc_check_interrupt).
 */

/** Threads for parallel stages; 0 = OpenMP's default (OMP_NUM_THREADS, else all cores). */
void cc_ctx_set_threads(cc_ctx *ctx, int threads);
/** The value set by cc_ctx_set_threads (0 = the default); for how many run, use the next. */
int cc_ctx_threads(const cc_ctx *ctx);
/** Number of threads a parallel stage runs on: cc_ctx_threads when > 0, else OpenMP's
 * default team size; at least 1. ctx may be NULL (the default). */
int cc_ctx_thread_count(const cc_ctx *ctx);

/**
 * A context for one worker thread, child of parent (which must outlive it). It shares the
 * root context's allocation counter and failure hook (cc_ctx_set_alloc_fail on the run
 * reaches the worker's allocations), sees the interrupt of parent and of its ancestors, and
 * has its own error message, log and progress sinks (none set) and GIS handles. Its thread
 * count is 1 (nested stages run on the worker itself). Allocated through the parent: on
 * failure CC_ERR_NOMEM with the message on the parent, *out NULL. Free with cc_ctx_destroy.
 * Call from the parent's thread (e.g. before the parallel region, one per thread).
 */
cc_status cc_ctx_child(cc_ctx *parent, cc_ctx **out);
/**
 * At the join: when rc is CC_OK and child holds an error, copy its status and message to the
 * parent and return that status; else return rc unchanged. Joining the children in a fixed
 * order (thread 0, 1, ...) with the running rc hands the parent the first error of that order.
 * child may be NULL. Call after the worker has finished; does not free the child.
 */
cc_status cc_ctx_child_join(cc_ctx *parent, cc_ctx *child, cc_status rc);

/** Ask running work to stop. Async-signal-safe: may be called from a signal handler. */
void cc_ctx_interrupt(cc_ctx *ctx);
/** Non-zero once cc_ctx_interrupt was called on ctx or one of its ancestors. A relaxed
 * atomic load, safe from any thread; poll it in long loops. */
int cc_ctx_interrupted(const cc_ctx *ctx);
/** Clear the interrupt flag. */
void cc_ctx_clear_interrupt(cc_ctx *ctx);
/** Returns CC_ERR_INTERRUPTED with a message when interrupted, else CC_OK. */
cc_status cc_check_interrupt(cc_ctx *ctx);

/** Test hook: make the nth allocation from now (1-based) and every later one fail; 0 disables.
 * On a child context it sets its root's hook (all threads count together). */
void cc_ctx_set_alloc_fail(cc_ctx *ctx, long nth);
/** Number of allocations made through this context (a child: through its root, by every
 * thread) since creation. */
long cc_ctx_alloc_count(const cc_ctx *ctx);

/**
 * Record an error message on the context (printf-style, one line, no trailing period
 * needed) and return st. Thread-safe (the last writer wins).
 */
cc_status cc_error(cc_ctx *ctx, cc_status st, const char *fmt, ...) CC_PRINTF(3, 4);
cc_status cc_verror(cc_ctx *ctx, cc_status st, const char *fmt, va_list ap);
/** Prefix the current message with "prefix: " (to add file or feature context). */
void cc_error_prefix(cc_ctx *ctx, const char *fmt, ...) CC_PRINTF(2, 3);
/** The last error message ("" when none). Owned by the context. */
const char *cc_ctx_message(const cc_ctx *ctx);
/** The status given with the last error (CC_OK when none). */
cc_status cc_ctx_last_status(const cc_ctx *ctx);
void cc_ctx_clear_error(cc_ctx *ctx);

/** Emit a log line (printf-style). Thread-safe if the sink is. */
void cc_log(cc_ctx *ctx, cc_log_level level, const char *fmt, ...) CC_PRINTF(3, 4);
/** Report progress of a stage (fraction in [0,1]). */
void cc_progress(cc_ctx *ctx, const char *stage, double fraction);

/* ---- Allocation: all set CC_ERR_NOMEM on the context and return NULL on failure. Blocks
 * of 4 MiB and more are offered for transparent huge pages (cc_hint_huge). ---- */
void *cc_malloc(cc_ctx *ctx, size_t size);
/** n * size bytes, checked for overflow. */
void *cc_malloc_array(cc_ctx *ctx, size_t n, size_t size);
/** n * size zeroed bytes, checked for overflow. */
void *cc_calloc(cc_ctx *ctx, size_t n, size_t size);
/** Resize to n * size bytes, checked; on failure the old block is untouched. */
void *cc_realloc_array(cc_ctx *ctx, void *p, size_t n, size_t size);
char *cc_strdup(cc_ctx *ctx, const char *s);
char *cc_strndup(cc_ctx *ctx, const char *s, size_t n);
/** printf into a new string (locale of the process; do not use for numbers in outputs). */
char *cc_asprintf(cc_ctx *ctx, const char *fmt, ...) CC_PRINTF(2, 3);
void cc_free(void *p);
/** Advise the kernel to back the whole 2 MiB pages inside [p, p + bytes) with transparent
 * huge pages (madvise MADV_HUGEPAGE; nothing below 4 MiB or where unsupported). Large arrays
 * that are written once then fault in 2 MiB at a time instead of 4 KiB: on the benchmark VM
 * a small-page fault costs about 4 us, a tenth of the catchment stage. For blocks from
 * plain malloc/realloc, e.g. inside parallel regions; the cc_ allocators call it themselves. */
void cc_hint_huge(void *p, size_t bytes);
/** realloc (NULL on failure, p untouched), then cc_hint_huge over the block: the pages it has
 * not touched yet come in huge pages. Plain (no context): safe in parallel regions. */
void *cc_realloc_huge(void *p, size_t bytes);

/* ---- Growable byte buffer / string builder. Zero-initialise ({0}) before use. ---- */
typedef struct cc_buf {
    char *s;    /* NUL-terminated once anything was appended */
    size_t len; /* bytes, excluding the NUL */
    size_t cap;
} cc_buf;

cc_status cc_buf_reserve(cc_ctx *ctx, cc_buf *b, size_t extra);
cc_status cc_buf_append(cc_ctx *ctx, cc_buf *b, const char *s, size_t n);
cc_status cc_buf_puts(cc_ctx *ctx, cc_buf *b, const char *s);
cc_status cc_buf_putc(cc_ctx *ctx, cc_buf *b, char c);
cc_status cc_buf_put_int(cc_ctx *ctx, cc_buf *b, long long v);
/** Locale-independent decimal, at most max_decimals, trailing zeros trimmed; NaN/inf -> "null". */
cc_status cc_buf_put_double(cc_ctx *ctx, cc_buf *b, double v, int max_decimals);
/**
 * JSON string literal with quotes (RFC 8259); escapes quotes, backslashes and every control
 * character (C0, DEL, C1) as \\u00XX, and < > & likewise; each byte of invalid UTF-8 becomes
 * \\ufffd. NULL writes the literal null.
 */
cc_status cc_buf_put_json_string(cc_ctx *ctx, cc_buf *b, const char *s);
/**
 * CSV field (RFC 4180) of text: quoted when it holds a comma, quote, CR or LF. Text a
 * spreadsheet would run as a formula (first character = + - @ tab or CR, unless the whole text
 * is a decimal number) gets a leading apostrophe (OWASP's advice on CSV injection). Control
 * characters but tab, CR and LF, and invalid UTF-8, become U+FFFD. NULL writes an empty field.
 */
cc_status cc_buf_put_csv_field(cc_ctx *ctx, cc_buf *b, const char *s);
/** Whether cc_buf_put_csv_field puts an apostrophe before s. */
int cc_csv_needs_guard(const char *s);
/**
 * HTML/XML text or attribute value: & < > " ' escaped; control characters but tab, CR and LF
 * (which XML 1.0 cannot hold) and invalid UTF-8 become U+FFFD. NULL writes nothing.
 */
cc_status cc_buf_put_xml_text(cc_ctx *ctx, cc_buf *b, const char *s);
/** Text as is, but control characters except tab, CR, LF and invalid UTF-8 become U+FFFD. */
cc_status cc_buf_put_text(cc_ctx *ctx, cc_buf *b, const char *s);
/** 1 when s (NULL counts) is valid UTF-8 without control characters except tab, CR and LF. */
int cc_text_is_clean(const char *s);
/**
 * Length (1-4) of the valid UTF-8 sequence starting at s (NUL-terminated), its code point in
 * *cp (may be NULL); 0 for an invalid byte (overlong form, surrogate, above U+10FFFF, cut).
 */
size_t cc_utf8_next(const char *s, uint32_t *cp);
void cc_buf_reset(cc_buf *b); /* len = 0, keeps memory */
void cc_buf_free(cc_buf *b);

/* ---- Growable array of fixed-size elements. Zero-initialise and set elem before use. ---- */
typedef struct cc_vec {
    void *data;
    size_t len;
    size_t cap;
    size_t elem; /* element size in bytes */
} cc_vec;

cc_status cc_vec_reserve(cc_ctx *ctx, cc_vec *v, size_t cap);
cc_status cc_vec_push(cc_ctx *ctx, cc_vec *v, const void *elem);
/** Pointer to element i (no bounds check). */
#define CC_VEC_AT(v, type, i) (((type *)(v)->data)[i])
void cc_vec_free(cc_vec *v);

/* ---- Locale-independent number formatting. ---- */
/**
 * snprintf/vsnprintf in the "C" locale whatever the process or thread locale, so "%g" always
 * writes '.' as the decimal mark. Used for every message and output text.
 */
int cc_snprintf(char *out, size_t cap, const char *fmt, ...) CC_PRINTF(3, 4);
int cc_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap);
/**
 * Write v with at most max_decimals (0..9 exact rounding, half away from zero), trailing
 * zeros trimmed, '.' as the decimal mark whatever the locale. NaN and infinities are
 * written as "null". Returns the length written (excluding NUL); out needs 40 bytes.
 */
size_t cc_fmt_double(char *out, size_t cap, double v, int max_decimals);
/** Parse a decimal number with '.' whatever the locale. Returns 0 on success. */
int cc_parse_double(const char *s, double *out);

/* ---- Hashing (SHA-256, via OpenSSL libcrypto). ---- */
/** hex must hold 65 bytes. */
cc_status cc_sha256_hex(cc_ctx *ctx, const void *data, size_t len, char hex[65]);
/** n bytes as 2n lowercase hex digits and a terminating NUL (hex holds 2n + 1). */
void cc_hex(const unsigned char *d, size_t n, char *hex);
/** Hash a file's bytes; also returns its size when size_out is not NULL. */
cc_status cc_sha256_file(cc_ctx *ctx, const char *path, char hex[65], uint64_t *size_out);
/* Streaming SHA-256 for data that comes in pieces (the routing cache's key and checksum):
   begin, update any number of times, then final (writes the 32-byte digest and frees) or free
   (abandons). update and final return 0 on failure, 1 otherwise. */
typedef struct cc_sha256 cc_sha256;
cc_status cc_sha256_begin(cc_ctx *ctx, cc_sha256 **out);
int cc_sha256_update(cc_sha256 *h, const void *data, size_t len);
int cc_sha256_final(cc_sha256 *h, unsigned char digest[32]);
void cc_sha256_free(cc_sha256 *h);

/* ---- Paths. ---- */
/** Join dir and rel unless rel is absolute ("-" and "" return a copy of rel). */
char *cc_path_join(cc_ctx *ctx, const char *dir, const char *rel);
/** Directory part of path ("." when none). */
char *cc_path_dirname(cc_ctx *ctx, const char *path);
/**
 * A file-name-safe form of a name: ASCII letters and digits lower-cased, UTF-8 kept, every run
 * of other characters one '-' ("Plan A" and "plan-a" both give "plan-a"; "x" when nothing is
 * left). At most as long as name (or 1). Caller frees; NULL when out of memory.
 */
char *cc_path_slug(cc_ctx *ctx, const char *name);
/**
 * 1 when the input at `path` lies in the folder whose real path (realpath(3)) is dir_real, or in
 * its sub-folder `sub` (NULL = none) or below: by the folder the name is in and by the real file
 * behind symbolic links and `..`; a folder input counts as lying in itself. GDAL virtual paths
 * (/vsizip/archive.zip/...) are judged by the archive. 0 when it does not or does not exist.
 */
int cc_path_holds(const char *dir_real, const char *sub, const char *path);
/**
 * The real path a folder has, or will have once cc_mkdir_p creates it: the longest leading part
 * that exists resolved by realpath(3), the rest normalised ("." dropped, ".." one level up).
 * out holds PATH_MAX bytes. Returns 0, or -1 when no part resolves or the result is too long.
 */
int cc_path_real(const char *path, char *out);
/**
 * Read a whole text file into out (NUL-terminated). `what` names the file in messages
 * ("scenario", "targets file"). A file larger than max_bytes is CC_ERR_SCENARIO with a message
 * ending in `hint`; an unreadable one CC_ERR_IO.
 */
cc_status cc_read_text_file(cc_ctx *ctx, const char *path, const char *what, size_t max_bytes,
                            const char *hint, cc_buf *out);
/** Create a directory and its parents (like mkdir -p). */
cc_status cc_mkdir_p(cc_ctx *ctx, const char *dir);
/** Monotonic wall-clock seconds, for stage timings. */
double cc_now(void);

/* ---- Atomic output set: write every output to a temporary file, publish all at once. ---- */
typedef struct cc_outset cc_outset;

/**
 * Create the folder (and parents) if needed and check that it is writable. Temporary files
 * are named `.carecircle-tmp-<pid>-<n>-<name>`; those left in the folder by a process that no
 * longer runs (killed, power cut) are removed here.
 */
cc_status cc_outset_create(cc_ctx *ctx, const char *dir, cc_outset **out);
/**
 * As cc_outset_create, for a folder that a run owns: publish records every file written in
 * the hidden `.carecircle-manifest`, then removes the files the previous manifest lists that
 * this publish did not write (and variant folders left empty), only while each is still the
 * file carecircle wrote (same inode, size and modification time). Nothing else is removed.
 */
cc_status cc_outset_create_tracked(cc_ctx *ctx, const char *dir, cc_outset **out);
/**
 * A set for the sub-folder `rel` (e.g. "variants/plan-a") of parent's root folder, owned and
 * published by that root (do not publish or destroy it). Its temporary files lie in the root
 * folder and the sub-folder is created only on publish, so a failed or killed run leaves no
 * folder behind. A level of rel that exists as a file is an error now.
 */
cc_status cc_outset_create_sub(cc_ctx *ctx, cc_outset *parent, const char *rel, cc_outset **out);
/** Open a temporary file in the folder that will become `name` on publish. */
cc_status cc_outset_begin(cc_ctx *ctx, cc_outset *set, const char *name, FILE **fp);
/** Flush, check for write errors (full disk), fsync and close a file opened by begin. */
cc_status cc_outset_end(cc_ctx *ctx, cc_outset *set, FILE *fp);
/**
 * Reserve a temporary path for a file that another library writes (e.g. GDAL); the
 * caller writes it and the file becomes `name` on publish. *tmp_path is owned by the set.
 */
cc_status cc_outset_temp_path(cc_ctx *ctx, cc_outset *set, const char *name, const char **tmp_path);
/**
 * Where the finished file `name` of this set lies until publish (its temporary path, owned by
 * the set), so that a later output can read it back; NULL when the set has no such finished
 * file. The last one written wins.
 */
const char *cc_outset_finished(const cc_outset *set, const char *name);
/**
 * Rename every finished temporary file to its name, the children's too (a tracked set then
 * updates its manifest). Returns an error if any is unfinished.
 */
cc_status cc_outset_publish(cc_ctx *ctx, cc_outset *set);
/** Final path of a published name (owned by the set), or NULL. */
const char *cc_outset_dir(const cc_outset *set);
/** Remove unpublished temporary files and free, with the children. Accepts NULL and ignores
 * a child. */
void cc_outset_destroy(cc_outset *set);

/* ---- Text writer: a cc_buf in front of a FILE that keeps its first error. ----
 * Every call after a failure (out of memory, a failed write) does nothing, so a writer is a
 * plain list of calls ended by cc_tw_end, which returns the first failure. The buffer goes to
 * the file whenever it passes 1 MiB and at the end; with fp NULL the text stays in w->buf.
 * CSV: fields and numbers get their separating commas by themselves; cc_tw_csv_row_end ends
 * the row. JSON: containers, keys and values get their commas, colons and (in the block
 * layout) newlines and indentation by themselves. Not thread-safe: one writer per thread. */
typedef enum cc_tw_mode {
    CC_TW_CSV = 0, /* a non-finite number is an empty cell */
    CC_TW_JSON = 1 /* a non-finite number is null */
} cc_tw_mode;
/** Layout of a JSON container: one member a line indented two spaces a level ("k": v), all
 * on one line ("k": v, "k2": v2), or compact ("k":v,"k2":v2, as GeoJSON). An empty block
 * container is written {} or []. */
typedef enum cc_tw_layout { CC_TW_BLOCK = 0, CC_TW_INLINE = 1, CC_TW_COMPACT = 2 } cc_tw_layout;
#define CC_TW_MAX_DEPTH 32
typedef struct cc_tw {
    cc_ctx *ctx; /* for messages; NULL in worker threads (the status alone) */
    FILE *fp;    /* NULL: keep the text in buf */
    cc_buf buf;
    cc_status rc; /* the first failure, CC_OK until then */
    cc_tw_mode mode;
    int row_started; /* CSV: a field is on the current row */
    int depth;       /* JSON: open containers */
    int after_key;   /* JSON: a key waits for its value */
    unsigned char layout[CC_TW_MAX_DEPTH], empty[CC_TW_MAX_DEPTH];
} cc_tw;

/** Start a writer (any earlier content of w is ignored: zero it or cc_tw_end it first). */
void cc_tw_init(cc_tw *w, cc_ctx *ctx, FILE *fp, cc_tw_mode mode);
/** Text as is / n bytes as is / one character / printf in the "C" locale (cc_snprintf). */
cc_status cc_tw_str(cc_tw *w, const char *s);
cc_status cc_tw_append(cc_tw *w, const char *s, size_t n);
cc_status cc_tw_putc(cc_tw *w, char c);
cc_status cc_tw_printf(cc_tw *w, const char *fmt, ...) CC_PRINTF(2, 3);
/** A number with at most `decimals` decimals (cc_fmt_double); non-finite by the mode. */
cc_status cc_tw_num(cc_tw *w, double v, int decimals);
cc_status cc_tw_int(cc_tw *w, long long v);
/** Record a failure (the first one wins); returns the status kept. */
cc_status cc_tw_fail(cc_tw *w, cc_status rc);
/** Write the buffer to the file when it holds more than 1 MiB (force: whatever it holds). */
cc_status cc_tw_flush(cc_tw *w, int force);
/** Flush, free the buffer, and return the first failure. A writer with fp NULL keeps its text:
 * take w->buf before calling it, or call cc_buf_free yourself. */
cc_status cc_tw_end(cc_tw *w);

/* CSV: a field (cc_buf_put_csv_field quoting), text as is (names already safe), a number
 * (empty when non-finite), an empty cell; then the row's newline. */
cc_status cc_tw_csv_field(cc_tw *w, const char *s);
cc_status cc_tw_csv_raw(cc_tw *w, const char *s);
cc_status cc_tw_csv_num(cc_tw *w, double v, int decimals);
cc_status cc_tw_csv_int(cc_tw *w, long long v);
cc_status cc_tw_csv_empty(cc_tw *w);
cc_status cc_tw_csv_row_end(cc_tw *w);

/* JSON: open a container (as the value of the last key or an element), close the innermost,
 * a key, and values: string (NULL is null), number (non-finite is null), integer, boolean,
 * null, and text already formatted as JSON. */
cc_status cc_tw_json_object(cc_tw *w, cc_tw_layout layout);
cc_status cc_tw_json_array(cc_tw *w, cc_tw_layout layout);
cc_status cc_tw_json_close(cc_tw *w);
cc_status cc_tw_json_key(cc_tw *w, const char *key);
/* A key already encoded as a JSON string, quotes included (from cc_buf_put_json_string), for
   keys written millions of times: the same bytes as cc_tw_json_key without escaping again. */
cc_status cc_tw_json_key_encoded(cc_tw *w, const char *enc, size_t n);
cc_status cc_tw_json_str(cc_tw *w, const char *s);
cc_status cc_tw_json_num(cc_tw *w, double v, int decimals);
cc_status cc_tw_json_int(cc_tw *w, long long v);
cc_status cc_tw_json_bool(cc_tw *w, int v);
cc_status cc_tw_json_null(cc_tw *w);
cc_status cc_tw_json_raw(cc_tw *w, const char *json);
/* A key and its value in one call. */
cc_status cc_tw_json_kstr(cc_tw *w, const char *key, const char *s);
cc_status cc_tw_json_knum(cc_tw *w, const char *key, double v, int decimals);
cc_status cc_tw_json_kint(cc_tw *w, const char *key, long long v);
cc_status cc_tw_json_kbool(cc_tw *w, const char *key, int v);

#ifdef __cplusplus
}
#endif
#endif
