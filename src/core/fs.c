/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Paths, folders, a monotonic clock, and the atomic output set: every output is written to a
 * temporary file in the target folder and renamed into place only when all succeeded, so a
 * failed or interrupted run never leaves a half-written file or destroys an earlier result.
 * A run's output folder also keeps a manifest of what the run wrote, so that the next run
 * removes only its own stale outputs (docs/outputs.md), and temporary files carry the
 * writer's pid, so that a later run removes those of a killed one.
 */
#include "internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
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

char *cc_path_slug(cc_ctx *ctx, const char *name)
{
    size_t n = strlen(name);
    char *s = cc_malloc(ctx, n + 2);
    if (!s) return NULL;
    size_t k = 0;
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        /* ASCII letters and digits, folded in ASCII: the C library's isalnum/tolower follow
         * the locale (under tr_TR 'I' does not become 'i'), and folder names must not. */
        int upper = *p >= 'A' && *p <= 'Z';
        if (upper || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80) {
            /* keep UTF-8 (Chinese names) as is */
            if (dash && k) s[k++] = '-';
            dash = 0;
            s[k++] = (char)(upper ? *p - 'A' + 'a' : *p);
        } else
            dash = 1;
    }
    if (!k) s[k++] = 'x';
    s[k] = '\0';
    return s;
}

/* dir_real holds path's file if it is that folder or the folder below it named `sub`. */
static int holds(const char *dir_real, const char *sub, const char *folder)
{
    size_t n = strlen(dir_real);
    if (strcmp(folder, dir_real) == 0) return 1;
    if (!sub || strncmp(folder, dir_real, n) != 0 || folder[n] != '/') return 0;
    size_t m = strlen(sub);
    return strncmp(folder + n + 1, sub, m) == 0 && (folder[n + 1 + m] == '/' || !folder[n + 1 + m]);
}

int cc_path_holds(const char *dir_real, const char *sub, const char *path)
{
    char buf[PATH_MAX], real[PATH_MAX];
    int vsi = strncmp(path, "/vsi", 4) == 0;
    /* GDAL virtual paths (/vsizip/a.zip/b.shp): the archive on disk is the input. */
    if (vsi) {
        const char *p = strchr(path + 4, '/');
        if (!p) return 0;
        path = p + 1;
        if (path[0] == '/' && path[1] == '/') path++; /* /vsizip//abs/a.zip */
    }
    if (cc_snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return 0;
    struct stat sb;
    /* The file; for a virtual path the longest leading part that exists (the archive). */
    while (lstat(buf, &sb) != 0) {
        char *slash = strrchr(buf, '/');
        if (!vsi || !slash || slash == buf) return 0;
        *slash = '\0';
    }
    /* The folder the name sits in (a symbolic link in the output folder would be replaced)... */
    char *slash = strrchr(buf, '/');
    const char *folder = slash ? (slash == buf ? "/" : buf) : ".";
    if (slash && slash != buf) *slash = '\0';
    if (realpath(folder, real) && holds(dir_real, sub, real)) return 1;
    if (slash && slash != buf) *slash = '/';
    /* ...and the real file behind links and `..`: its folder, or the folder itself. */
    if (!realpath(buf, real)) return 0;
    if (stat(real, &sb) == 0 && S_ISDIR(sb.st_mode) && holds(dir_real, sub, real)) return 1;
    char *rs = strrchr(real, '/');
    if (rs && rs != real) *rs = '\0';
    return holds(dir_real, sub, real);
}

int cc_path_real(const char *path, char *out)
{
    char buf[PATH_MAX];
    if (!path[0] || cc_snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
    /* The longest leading part that exists, resolved by realpath(3)... */
    size_t cut = strlen(buf);
    for (;;) {
        char c = buf[cut];
        buf[cut] = '\0';
        const char *head = cut ? buf : (path[0] == '/' ? "/" : ".");
        int ok = realpath(head, out) != NULL;
        buf[cut] = c;
        if (ok) break;
        if (cut == 0) return -1;
        while (cut > 0 && buf[cut - 1] == '/')
            cut--;
        while (cut > 0 && buf[cut - 1] != '/')
            cut--;
        if (cut == 1 && buf[0] == '/') cut = 0;
    }
    /* ...then the rest as mkdir -p creates it: plain folders, so `..` goes back one level. */
    size_t n = strlen(out);
    for (char *p = buf + cut; *p;) {
        while (*p == '/')
            p++;
        char *e = p;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 1 && out[n - 1] != '/')
                n--;
            if (n > 1) n--;
            out[n] = '\0';
        } else {
            if (n + 1 + len >= PATH_MAX) return -1;
            if (n > 1) out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
            out[n] = '\0';
        }
        p = e;
    }
    return 0;
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
    char *name;   /* path below the root folder: "coverage.csv", "variants/a/coverage.csv" */
    char *tmp;    /* in the root folder, so renaming into any sub-folder stays on one disk */
    char *final;  /* allocated up front so publishing needs no memory */
    FILE *fp;     /* open while being written */
    int finished; /* closed without error */
} cc__outfile;

/* A file the previous run wrote, as its manifest records it. */
typedef struct cc__stale {
    char *path;
    unsigned long long size, ino;
    long long mtime_s;
    long mtime_ns;
    int in_folder; /* in variants/<slug>/ */
} cc__stale;

struct cc_outset {
    char *dir; /* where the files go */
    char *rel; /* NULL for a root set; "variants/<slug>" below the root for a child */
    cc_outset *root;
    cc_outset **kids; /* root: child sets, owned */
    size_t n_kids;
    cc__outfile *files;
    size_t n, cap;
    size_t seq;                /* root: temporary-file counter shared with the children */
    int tracked;               /* root: keep a manifest and remove the previous run's leftovers */
    char *man_tmp, *man_final; /* root, tracked: the manifest being published */
    cc__stale *stale;          /* root, tracked: the previous run's files this one does not write */
    size_t n_stale, stale_cap;
};

/* Temporary files are `.carecircle-tmp-<pid>-<n>-<name>` (GDAL may add `-journal`, `-wal`):
   a later run recognises them by the prefix and removes those whose process is gone. Before
   this naming, they were `.<name>.tmp-<pid>-<n>`; those are recognised too. */
#define CC__TMP_PREFIX ".carecircle-tmp-"
#define CC__MANIFEST ".carecircle-manifest"
#define CC__MANIFEST_HEAD "carecircle manifest 1"

/* The pid of a leftover temporary file's writer, or 0 when `name` is not one. */
static long leftover_pid(const char *name)
{
    const char *p = NULL;
    size_t np = strlen(CC__TMP_PREFIX);
    if (strncmp(name, CC__TMP_PREFIX, np) == 0)
        p = name + np;
    else if (name[0] == '.' && (p = strstr(name + 1, ".tmp-")) != NULL && p > name + 1)
        p += 5;
    if (!p || !isdigit((unsigned char)*p)) return 0;
    char *end;
    long pid = strtol(p, &end, 10);
    if (end[0] != '-' || !isdigit((unsigned char)end[1]) || pid <= 0) return 0;
    return pid;
}

/* Remove leftover temporary files in dir whose process no longer runs. Returns how many. */
static size_t sweep_leftovers(cc_ctx *ctx, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = leftover_pid(e->d_name);
        if (!pid || pid == (long)getpid()) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* still running (or not ours) */
        char *p = cc_asprintf(ctx, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (p && lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && unlink(p) == 0) removed++;
        cc_free(p);
    }
    closedir(d);
    return removed;
}

/* Earlier versions wrote a variant's temporary files inside variants/<slug>/: sweep those
   too, and remove a variant folder left empty by that (it held only a dead run's files). */
static void sweep_variant_leftovers(cc_ctx *ctx, const char *dir)
{
    char *vroot = cc_asprintf(ctx, "%s/variants", dir);
    DIR *d = vroot ? opendir(vroot) : NULL;
    size_t total = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *vd = cc_asprintf(ctx, "%s/%s", vroot, e->d_name);
        size_t k = vd ? sweep_leftovers(ctx, vd) : 0;
        if (k) rmdir(vd);
        total += k;
        cc_free(vd);
    }
    if (d) closedir(d);
    if (total) rmdir(vroot);
    cc_free(vroot);
}

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
    s->root = s;
    size_t k = sweep_leftovers(ctx, dir);
    sweep_variant_leftovers(ctx, dir);
    if (k)
        cc_log(ctx, CC_LOG_INFO,
               "removed %zu temporary file(s) of an earlier interrupted run in '%s'", k, dir);
    *out = s;
    return CC_OK;
}

cc_status cc_outset_create_tracked(cc_ctx *ctx, const char *dir, cc_outset **out)
{
    cc_status st = cc_outset_create(ctx, dir, out);
    if (!st) (*out)->tracked = 1;
    return st;
}

/* A path below the root must not run into a file where a folder is needed. */
static cc_status check_folder_free(cc_ctx *ctx, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return cc_error(ctx, CC_ERR_IO, "'%s' is not a folder; remove it or choose another --out",
                        path);
    return CC_OK;
}

cc_status cc_outset_create_sub(cc_ctx *ctx, cc_outset *parent, const char *rel, cc_outset **out)
{
    *out = NULL;
    cc_outset *root = parent->root;
    if (!rel[0] || rel[0] == '/' || rel[0] == '.' || strstr(rel, "/.") || strstr(rel, "//") ||
        rel[strlen(rel) - 1] == '/')
        return cc_error(ctx, CC_ERR_INTERNAL, "output folder '%s' is not a plain relative path",
                        rel);
    cc_status st = CC_OK;
    char *full = cc_asprintf(ctx, "%s/%s", root->dir, rel);
    if (!full) return CC_ERR_NOMEM;
    /* Each level that exists must be a folder (checked now, not after the whole run). */
    for (char *p = full + strlen(root->dir) + 1; !st; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        st = check_folder_free(ctx, full);
        *p = c;
        if (!c) break;
    }
    cc_outset **kids =
        st ? NULL : cc_realloc_array(ctx, root->kids, root->n_kids + 1, sizeof *kids);
    cc_outset *s = kids ? cc_calloc(ctx, 1, sizeof *s) : NULL;
    if (kids) root->kids = kids;
    if (!st && (!s || !(s->rel = cc_strdup(ctx, rel)))) st = CC_ERR_NOMEM;
    if (st) {
        if (s) free(s);
        cc_free(full);
        return st;
    }
    s->dir = full;
    s->root = root;
    root->kids[root->n_kids++] = s;
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
    f->name = set->rel ? cc_asprintf(ctx, "%s/%s", set->rel, name) : cc_strdup(ctx, name);
    f->tmp = cc_asprintf(ctx, "%s/" CC__TMP_PREFIX "%ld-%zu-%s", set->root->dir, (long)getpid(),
                         set->root->seq, name);
    f->final = cc_asprintf(ctx, "%s/%s", set->dir, name);
    if (!f->name || !f->tmp || !f->final) {
        free(f->name);
        free(f->tmp);
        free(f->final);
        return CC_ERR_NOMEM;
    }
    set->root->seq++;
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
                            set->dir, strrchr(f->final, '/') + 1, strerror(err ? err : EIO));
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

const char *cc_outset_finished(const cc_outset *set, const char *name)
{
    const char *hit = NULL;
    for (size_t i = 0; i < set->n; i++) {
        const cc__outfile *f = &set->files[i];
        const char *base = strrchr(f->final, '/');
        if (f->finished && !f->fp && strcmp(base ? base + 1 : f->final, name) == 0) hit = f->tmp;
    }
    return hit;
}

/* ---- The manifest: one line per published file, "size<TAB>mtime<TAB>inode<TAB>path". ---- */

/* A manifest path carecircle could have written: "name" or "variants/<slug>/name", no
   component empty or starting with '.'. Anything else in a manifest is ignored. */
static int manifest_path_ok(const char *rel)
{
    int slashes = 0;
    if (!rel[0] || rel[0] == '.') return 0;
    for (const char *p = rel; *p; p++) {
        if ((unsigned char)*p < 0x20) return 0;
        if (*p != '/') continue;
        slashes++;
        if (p[1] == '\0' || p[1] == '.' || p[1] == '/') return 0;
    }
    return slashes == 0 || (slashes == 2 && strncmp(rel, "variants/", 9) == 0);
}

static int in_set(const cc_outset *root, const char *rel)
{
    for (size_t k = 0; k <= root->n_kids; k++) {
        const cc_outset *s = k ? root->kids[k - 1] : root;
        for (size_t i = 0; i < s->n; i++)
            if (strcmp(s->files[i].name, rel) == 0) return 1;
    }
    return 0;
}

/* The previous manifest's entries that this run does not write: candidates for removal. */
static cc_status read_stale(cc_ctx *ctx, cc_outset *root, const char *mpath)
{
    struct stat sb;
    cc_buf old = {0};
    if (lstat(mpath, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size >= (1 << 24)) return CC_OK;
    cc_status st = cc_read_text_file(ctx, mpath, "manifest", 1 << 24, "", &old);
    if (st == CC_ERR_NOMEM) return st;
    size_t nh = strlen(CC__MANIFEST_HEAD);
    if (st || strncmp(old.s, CC__MANIFEST_HEAD, nh) != 0 || old.s[nh] != '\n') {
        cc_buf_free(&old); /* unreadable or not ours: nothing is removed */
        return CC_OK;
    }
    st = CC_OK;
    for (const char *line = old.s + nh + 1; !st && *line;) {
        const char *eol = strchr(line, '\n');
        if (!eol) break; /* a cut-off last line is not trusted */
        cc__stale e = {0};
        int off = 0;
        char *rel = NULL;
        if (sscanf(line, "%llu\t%lld.%ld\t%llu\t%n", &e.size, &e.mtime_s, &e.mtime_ns, &e.ino,
                   &off) == 4 &&
            off > 0 && line + off < eol &&
            !(rel = cc_strndup(ctx, line + off, (size_t)(eol - line - off))))
            st = CC_ERR_NOMEM;
        if (rel && manifest_path_ok(rel) && !in_set(root, rel)) {
            e.path = cc_asprintf(ctx, "%s/%s", root->dir, rel);
            e.in_folder = strchr(rel, '/') != NULL;
            if (!e.path || cc_grow_array(ctx, (void **)&root->stale, &root->stale_cap,
                                         root->n_stale + 1, sizeof e) != CC_OK) {
                cc_free(e.path);
                st = CC_ERR_NOMEM;
            } else
                root->stale[root->n_stale++] = e;
        }
        cc_free(rel);
        line = eol + 1;
    }
    cc_buf_free(&old);
    return st;
}

/* Before any rename: the new manifest written to a temporary file (a file keeps its inode,
   size and modification time when renamed), and the previous one read. A failure here is a
   failure of the run, with nothing published yet. */
static cc_status prepare_manifest(cc_ctx *ctx, cc_outset *root)
{
    cc_buf b = {0};
    root->man_final = cc_asprintf(ctx, "%s/" CC__MANIFEST, root->dir);
    root->man_tmp = cc_asprintf(ctx, "%s/" CC__TMP_PREFIX "%ld-%zu-manifest", root->dir,
                                (long)getpid(), root->seq);
    cc_status st = root->man_final && root->man_tmp ? CC_OK : CC_ERR_NOMEM;
    if (!st) st = read_stale(ctx, root, root->man_final);
    if (!st) st = cc_buf_puts(ctx, &b, CC__MANIFEST_HEAD "\n");
    for (size_t k = 0; !st && k <= root->n_kids; k++) {
        const cc_outset *s = k ? root->kids[k - 1] : root;
        for (size_t i = 0; !st && i < s->n; i++) {
            struct stat sb;
            if (lstat(s->files[i].tmp, &sb) != 0) {
                st = cc_error(ctx, CC_ERR_IO, "cannot find the written '%s' in '%s': %s",
                              s->files[i].name, root->dir, strerror(errno));
                break;
            }
            char line[96];
            cc_snprintf(line, sizeof line, "%llu\t%lld.%09ld\t%llu\t",
                        (unsigned long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
                        (long)sb.st_mtim.tv_nsec, (unsigned long long)sb.st_ino);
            st = cc_buf_puts(ctx, &b, line);
            if (!st) st = cc_buf_puts(ctx, &b, s->files[i].name);
            if (!st) st = cc_buf_putc(ctx, &b, '\n');
        }
    }
    if (!st) {
        FILE *fp = fopen(root->man_tmp, "wb");
        int bad =
            !fp || fwrite(b.s, 1, b.len, fp) != b.len || fflush(fp) != 0 || fsync(fileno(fp)) != 0;
        int err = errno;
        if (fp && fclose(fp) != 0 && !bad) {
            bad = 1;
            err = errno;
        }
        if (bad)
            st = cc_error(ctx, CC_ERR_IO,
                          "cannot write '%s': %s; free disk space or choose another --out",
                          root->man_final, strerror(err ? err : EIO));
    }
    cc_buf_free(&b);
    return st;
}

/* After the renames: remove what the previous manifest lists and this run did not write, if
   still the very file carecircle wrote (same inode, size and modification time): a file the
   user replaced or edited stays, and so does anything the manifest does not list. Needs no
   memory, so it cannot fail half-way. */
static void remove_stale(cc_ctx *ctx, cc_outset *root)
{
    size_t removed = 0;
    for (size_t i = 0; i < root->n_stale; i++) {
        cc__stale *e = &root->stale[i];
        struct stat sb;
        if (lstat(e->path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
            (unsigned long long)sb.st_size != e->size || (unsigned long long)sb.st_ino != e->ino ||
            (long long)sb.st_mtim.tv_sec != e->mtime_s || sb.st_mtim.tv_nsec != e->mtime_ns ||
            unlink(e->path) != 0)
            continue;
        removed++;
        if (e->in_folder) { /* its variant folder, if now empty */
            char *slash = strrchr(e->path, '/');
            *slash = '\0';
            rmdir(e->path);
            *slash = '/';
        }
    }
    if (!removed) return;
    int any_variant = 0;
    for (size_t k = 0; k < root->n_kids; k++)
        any_variant |= strncmp(root->kids[k]->rel, "variants/", 9) == 0;
    if (!any_variant) { /* variants/ itself, if now empty: "<dir>/variants" from a path */
        for (size_t i = 0; i < root->n_stale; i++) {
            cc__stale *e = &root->stale[i];
            char *slash = e->in_folder ? strrchr(e->path, '/') : NULL;
            if (!slash) continue;
            *slash = '\0';
            char *vslash = strrchr(e->path, '/');
            *vslash = '\0';
            rmdir(e->path);
            *vslash = '/';
            *slash = '/';
            break;
        }
    }
    cc_log(ctx, CC_LOG_INFO,
           "removed %zu output(s) of the previous run in '%s' that this run does not write",
           removed, root->dir);
}

static cc_status publish_one(cc_ctx *ctx, cc_outset *set)
{
    for (size_t i = 0; i < set->n; i++) {
        cc__outfile *f = &set->files[i];
        int rc = rename(f->tmp, f->final);
        int err = errno;
        if (rc != 0)
            return cc_error(ctx, CC_ERR_IO, "cannot move '%s' into place in '%s': %s",
                            strrchr(f->final, '/') + 1, set->dir, strerror(err));
        free(f->tmp);
        f->tmp = NULL;
    }
    return CC_OK;
}

/* A failed publish leaves no child folder behind: remove, deepest first, every empty folder
 * on the way from each child's folder up to (not including) the root's. Allocation-free (the
 * failure may be out of memory); a folder holding anything, an earlier run's included, stays. */
static void unmake_kid_dirs(const cc_outset *set)
{
    size_t root_len = strlen(set->dir);
    for (size_t k = 0; k < set->n_kids; k++) {
        char path[PATH_MAX];
        size_t len = strlen(set->kids[k]->dir);
        if (len >= sizeof path || len <= root_len) continue;
        memcpy(path, set->kids[k]->dir, len + 1);
        while (len > root_len && (rmdir(path) == 0 || errno == ENOENT)) {
            while (len > root_len && path[len - 1] != '/')
                len--;
            while (len > root_len && path[len - 1] == '/')
                len--;
            path[len] = '\0';
        }
    }
}

cc_status cc_outset_publish(cc_ctx *ctx, cc_outset *set)
{
    if (set->root != set)
        return cc_error(ctx, CC_ERR_INTERNAL, "a child output set is published with its root");
    for (size_t k = 0; k <= set->n_kids; k++) {
        const cc_outset *s = k ? set->kids[k - 1] : set;
        for (size_t i = 0; i < s->n; i++)
            if (!s->files[i].finished)
                return cc_error(ctx, CC_ERR_INTERNAL, "output '%s' was not finished",
                                s->files[i].name);
    }
    cc_status st = set->tracked ? prepare_manifest(ctx, set) : CC_OK;
    /* Children's folders exist only from now on: an interrupted run leaves none behind. */
    for (size_t k = 0; !st && k < set->n_kids; k++)
        st = cc_mkdir_p(ctx, set->kids[k]->dir);
    if (st) unmake_kid_dirs(set);
    for (size_t k = 0; !st && k <= set->n_kids; k++)
        st = publish_one(ctx, k ? set->kids[k - 1] : set);
    if (st || !set->tracked) return st;
    if (rename(set->man_tmp, set->man_final) != 0)
        return cc_error(ctx, CC_ERR_IO, "cannot move '%s' into place: %s", CC__MANIFEST,
                        strerror(errno));
    cc_free(set->man_tmp);
    set->man_tmp = NULL;
    remove_stale(ctx, set);
    return CC_OK;
}

const char *cc_outset_dir(const cc_outset *set)
{
    return set ? set->dir : NULL;
}

static void destroy_one(cc_outset *set)
{
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
    free(set->rel);
    free(set);
}

void cc_outset_destroy(cc_outset *set)
{
    if (!set || set->root != set) return; /* a child goes with its root */
    for (size_t k = 0; k < set->n_kids; k++)
        destroy_one(set->kids[k]);
    free(set->kids);
    if (set->man_tmp) unlink(set->man_tmp);
    free(set->man_tmp);
    free(set->man_final);
    for (size_t i = 0; i < set->n_stale; i++)
        free(set->stale[i].path);
    free(set->stale);
    destroy_one(set);
}
