/*
 * Paths, folders, a monotonic clock, and the atomic output set: every output is written to a
 * temporary file in the target folder and renamed into place only when all succeeded, so a
 * failed or interrupted run never leaves a half-written file or destroys an earlier result.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *cc_path_join(cc_ctx *ctx, const char *dir, const char *rel)
{
    if (!rel) return NULL;
    if (rel[0] == '/' || rel[0] == '\0' || strcmp(rel, "-") == 0 || !dir || !dir[0] ||
        strcmp(dir, ".") == 0)
        return cc_strdup(ctx, rel);
    /* GDAL virtual paths (/vsizip/ ...) start with '/', handled above. */
    return cc_asprintf(ctx, "%s/%s", dir, rel);
}

char *cc_path_dirname(cc_ctx *ctx, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return cc_strdup(ctx, ".");
    if (slash == path) return cc_strdup(ctx, "/");
    return cc_strndup(ctx, path, (size_t)(slash - path));
}

cc_status cc_mkdir_p(cc_ctx *ctx, const char *dir)
{
    char *tmp = cc_strdup(ctx, dir);
    if (!tmp) return CC_ERR_NOMEM;
    cc_status st = CC_OK;
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
                st = cc_error(ctx, CC_ERR_IO, "cannot create folder '%s': %s; choose another --out",
                              tmp, strerror(errno));
                break;
            }
            *p = c;
            if (c == '\0') break;
        }
    }
    free(tmp);
    if (st) return st;
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return cc_error(ctx, CC_ERR_IO, "'%s' is not a folder; choose another --out", dir);
    return CC_OK;
}

cc_status cc_read_text_file(cc_ctx *ctx, const char *path, const char *what, size_t max_bytes,
                            const char *hint, cc_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cc_error(ctx, CC_ERR_IO, "cannot open %s '%s': %s; check the path", what, path,
                        strerror(errno));
    cc_status st = CC_OK;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + got > max_bytes) {
            st = cc_error(ctx, CC_ERR_SCENARIO, "%s: the %s is larger than %zu MiB; %s", path, what,
                          max_bytes >> 20, hint);
            break;
        }
        if ((st = cc_buf_append(ctx, out, chunk, got))) break;
    }
    if (!st && ferror(f))
        st = cc_error(ctx, CC_ERR_IO, "cannot read %s '%s': %s; check that it is a file", what,
                      path, strerror(errno));
    fclose(f);
    if (!st && !out->s) st = cc_buf_append(ctx, out, "", 0); /* empty file: "" */
    return st;
}

double cc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct cc__outfile {
    char *name;
    char *tmp;
    char *final;  /* allocated up front so publishing needs no memory */
    FILE *fp;     /* open while being written */
    int finished; /* closed without error */
} cc__outfile;

struct cc_outset {
    char *dir;
    cc__outfile *files;
    size_t n, cap;
};

cc_status cc_outset_create(cc_ctx *ctx, const char *dir, cc_outset **out)
{
    *out = NULL;
    cc_status st = cc_mkdir_p(ctx, dir);
    if (st) return st;
    if (access(dir, W_OK) != 0)
        return cc_error(ctx, CC_ERR_IO, "output folder '%s' is not writable; choose another --out",
                        dir);
    cc_outset *s = cc_calloc(ctx, 1, sizeof *s);
    if (!s) return CC_ERR_NOMEM;
    s->dir = cc_strdup(ctx, dir);
    if (!s->dir) {
        free(s);
        return CC_ERR_NOMEM;
    }
    *out = s;
    return CC_OK;
}

static cc_status add_file(cc_ctx *ctx, cc_outset *set, const char *name, cc__outfile **of)
{
    if (strchr(name, '/') || strcmp(name, "..") == 0 || name[0] == '.' || !name[0])
        return cc_error(ctx, CC_ERR_INTERNAL, "output name '%s' is not a plain file name", name);
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        cc__outfile *f = cc_realloc_array(ctx, set->files, cap, sizeof *f);
        if (!f) return CC_ERR_NOMEM;
        set->files = f;
        set->cap = cap;
    }
    cc__outfile *f = &set->files[set->n];
    memset(f, 0, sizeof *f);
    f->name = cc_strdup(ctx, name);
    f->tmp = cc_asprintf(ctx, "%s/.%s.tmp-%ld-%zu", set->dir, name, (long)getpid(), set->n);
    f->final = cc_asprintf(ctx, "%s/%s", set->dir, name);
    if (!f->name || !f->tmp || !f->final) {
        free(f->name);
        free(f->tmp);
        free(f->final);
        return CC_ERR_NOMEM;
    }
    set->n++;
    *of = f;
    return CC_OK;
}

cc_status cc_outset_begin(cc_ctx *ctx, cc_outset *set, const char *name, FILE **fp)
{
    *fp = NULL;
    cc__outfile *f = NULL;
    cc_status st = add_file(ctx, set, name, &f);
    if (st) return st;
    f->fp = fopen(f->tmp, "wb");
    if (!f->fp)
        return cc_error(ctx, CC_ERR_IO, "cannot write '%s/%s': %s; check the output folder",
                        set->dir, name, strerror(errno));
    *fp = f->fp;
    return CC_OK;
}

cc_status cc_outset_end(cc_ctx *ctx, cc_outset *set, FILE *fp)
{
    for (size_t i = 0; i < set->n; i++) {
        cc__outfile *f = &set->files[i];
        if (f->fp != fp) continue;
        f->fp = NULL;
        int bad = ferror(fp) || fflush(fp) != 0;
        int err = errno;
        if (!bad && fsync(fileno(fp)) != 0 && errno != EINVAL) {
            bad = 1;
            err = errno;
        }
        if (fclose(fp) != 0 && !bad) {
            bad = 1;
            err = errno;
        }
        if (bad) {
            unlink(f->tmp);
            return cc_error(ctx, CC_ERR_IO,
                            "cannot write '%s/%s': %s; free disk space or choose another --out",
                            set->dir, f->name, strerror(err ? err : EIO));
        }
        f->finished = 1;
        return CC_OK;
    }
    return cc_error(ctx, CC_ERR_INTERNAL, "output stream not opened by this output set");
}

cc_status cc_outset_temp_path(cc_ctx *ctx, cc_outset *set, const char *name, const char **tmp_path)
{
    cc__outfile *f = NULL;
    cc_status st = add_file(ctx, set, name, &f);
    if (st) return st;
    f->finished = 1; /* the caller is responsible for writing it completely */
    *tmp_path = f->tmp;
    return CC_OK;
}

cc_status cc_outset_publish(cc_ctx *ctx, cc_outset *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (!set->files[i].finished)
            return cc_error(ctx, CC_ERR_INTERNAL, "output '%s' was not finished",
                            set->files[i].name);
    for (size_t i = 0; i < set->n; i++) {
        cc__outfile *f = &set->files[i];
        int rc = rename(f->tmp, f->final);
        int err = errno;
        if (rc != 0)
            return cc_error(ctx, CC_ERR_IO, "cannot move '%s' into place in '%s': %s", f->name,
                            set->dir, strerror(err));
        free(f->tmp);
        f->tmp = NULL;
    }
    return CC_OK;
}

const char *cc_outset_dir(const cc_outset *set)
{
    return set ? set->dir : NULL;
}

void cc_outset_destroy(cc_outset *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++) {
        cc__outfile *f = &set->files[i];
        if (f->fp) fclose(f->fp);
        if (f->tmp) unlink(f->tmp);
        free(f->tmp);
        free(f->name);
        free(f->final);
    }
    free(set->files);
    free(set->dir);
    free(set);
}
