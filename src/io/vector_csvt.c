/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector reader, the second reading of a CSV source: the text of .csvt-typed cells that GDAL
 * leaves unset when they are no number.
 */
#include "io/io_internal.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the text of .csvt-typed CSV cells ----
 *
 * GDAL's CSV driver leaves a cell of a .csvt-typed Integer or Real column unset when its text
 * is no number ("1,000", "abc", "nan"), says so in one warning per layer, and does not give
 * the text back: an empty cell and "1,000" read the same. The text is read in a second pass
 * over the same bytes, still parsed by GDAL, but under a /vsimem/ name with no .csvt beside
 * it, so every column is text. The second reading starts only at the first unset typed cell
 * (a valid file costs nothing), reads only the columns needed, and follows the layer's fids
 * (a where filter skips features in the layer; the second reading has none).
 */

void cc__vr_csvt_close(cc__csvtext *w)
{
    if (w->feat) OGR_F_Destroy(w->feat);
    if (w->ds) GDALClose(w->ds);
    if (w->name) VSIUnlink(w->name);
    if (w->dir) VSIRmdir(w->dir);
    if (w->map) munmap(w->map, w->map_len);
    cc_free(w->name);
    cc_free(w->dir);
    memset(w, 0, sizeof *w);
    w->state = -1;
}

/* The source file of a CSV layer: the path, or in a folder of CSV files the layer's file. */
static char *csv_file(cc__vreader *r)
{
    struct stat st;
    const char *path = r->req->path;
    if (strncmp(path, "/vsi", 4) != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* the layer is named after its file; GDAL lists only the folder */
        char **files = VSIReadDir(path);
        char *hit = NULL;
        for (char **f = files; f && *f && !hit; f++)
            if (strcmp(CPLGetBasename(*f), OGR_L_GetName(r->lyr)) == 0 &&
                (cc__ascii_casecmp(CPLGetExtension(*f), "csv") == 0 ||
                 cc__ascii_casecmp(CPLGetExtension(*f), "tsv") == 0 ||
                 cc__ascii_casecmp(CPLGetExtension(*f), "psv") == 0))
                hit = cc_strdup(r->ctx, CPLFormFilename(path, *f, NULL));
        CSLDestroy(files);
        return hit;
    }
    return cc_strdup(r->ctx, path);
}

/* The bytes of file as /vsimem/ file w->name: mapped (local files, no copy) or read in. */
static int csv_text_bytes(cc__vreader *r, const char *file)
{
    cc__csvtext *w = &r->raw;
    GByte *bytes = NULL;
    vsi_l_offset n = 0;
    int own = 0;
    if (strncmp(file, "/vsi", 4) != 0) {
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m != MAP_FAILED) {
                w->map = m;
                w->map_len = (size_t)st.st_size;
                bytes = m;
                n = (vsi_l_offset)st.st_size;
            }
        }
        if (fd >= 0) close(fd);
    }
    if (!bytes) {
        if (!VSIIngestFile(NULL, file, &bytes, &n, -1)) return 0;
        own = 1; /* freed by GDAL with the /vsimem/ file */
    }
    /* Opened read-only by the CSV driver: the read-only mapping is never written. */
    VSILFILE *fp = VSIFileFromMemBuffer(w->name, bytes, n, own);
    if (!fp) {
        if (own) VSIFree(bytes);
        return 0;
    }
    VSIFCloseL(fp);
    return 1;
}

/* Open the second reading; 1 when it matches the layer (same fields, the needed ones text). */
static int csv_text_open(cc__vreader *r)
{
    static atomic_long seq;
    cc__csvtext *w = &r->raw;
    cc_ctx *ctx = r->ctx;
    w->state = -1;
    char *file = csv_file(r);
    if (!file) return 0;
    w->dir = cc_asprintf(ctx, "/vsimem/carecircle_csvtext_%ld", atomic_fetch_add(&seq, 1) + 1);
    /* the same file name (.tsv, .txt: the driver's choices depend on it), in a folder of its own */
    w->name = w->dir ? cc_asprintf(ctx, "%s/%s", w->dir, CPLGetFilename(file)) : NULL;
    char *gname = w->name ? cc_asprintf(ctx, "CSV:%s", w->name) : NULL;
    int ok = gname && csv_text_bytes(r, file);
    cc_free(file);
    if (ok) {
        const char *const drivers[] = {"CSV", NULL};
        w->ds = GDALOpenEx(gname, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    }
    cc_free(gname);
    if (!w->ds || GDALDatasetGetLayerCount(w->ds) != 1) return 0;
    w->lyr = GDALDatasetGetLayer(w->ds, 0);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(w->lyr);
    int nf = OGR_FD_GetFieldCount(r->defn);
    if (OGR_FD_GetFieldCount(d) != nf) return 0;
    for (int i = 0; i < nf; i++)
        if (strcmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)),
                   OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(r->defn, i))) != 0)
            return 0;
    /* Only the numeric columns read: the others (and a WKT geometry) are not built. */
    char **ignored = CSLAddString(NULL, "OGR_GEOMETRY");
    for (int i = 0; i < nf; i++) {
        int used = i == r->ix || i == r->iy;
        for (size_t k = 0; k < r->L->n_num && !used; k++)
            used = r->inum[k] == i;
        if (used && OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i)) != OFTString) {
            CSLDestroy(ignored);
            return 0;
        }
        if (!used) ignored = CSLAddString(ignored, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)));
    }
    OGR_L_SetIgnoredFields(w->lyr, (const char **)ignored);
    CSLDestroy(ignored);
    w->state = 1;
    return 1;
}

/*
 * The text of field idx of feature fid as in the file ("" when empty): 1, or 0 when the second
 * reading is not available. GDAL messages of the second reading are not the layer's: they are
 * put back as they were.
 */
int cc__vr_csvt_cell(cc__vreader *r, int idx, int64_t fid, const char **text)
{
    cc__csvtext *w = &r->raw;
    if (w->state < 0) return 0;
    int n_fail = r->errs.n_fail;
    char msg[sizeof r->errs.msg];
    memcpy(msg, r->errs.msg, sizeof msg);
    if (w->state == 0 && !csv_text_open(r)) {
        cc__vr_csvt_close(w);
        cc_log(r->ctx, CC_LOG_WARN,
               "%s: the text of .csvt-typed columns cannot be read again; a value in them that "
               "is no number may read as empty",
               r->req->path);
    }
    /* CSV fids rise through the file: step forward to this one */
    while (w->state > 0 && w->fid < fid) {
        if (w->feat) OGR_F_Destroy(w->feat);
        w->feat = OGR_L_GetNextFeature(w->lyr);
        if (!w->feat)
            cc__vr_csvt_close(w);
        else
            w->fid = (int64_t)OGR_F_GetFID(w->feat);
    }
    r->errs.n_fail = n_fail;
    memcpy(r->errs.msg, msg, sizeof msg);
    if (w->state <= 0 || w->fid != fid) return 0;
    *text = OGR_F_IsFieldSetAndNotNull(w->feat, idx) ? OGR_F_GetFieldAsString(w->feat, idx) : "";
    return 1;
}
