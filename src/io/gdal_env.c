/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GDAL set-up for the io module: one-time driver registration and options, a thread-local
 * error handler that captures GDAL's messages instead of printing them, the built-in OSM
 * driver configuration, opening files with a distinct message per failure, and CRS facts
 * (WKT, geographic, EPSG code) for loaded layers.
 */
#include "io/io_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * carecircle's own OSM driver configuration (GDAL's ini format). The lines layer exposes every
 * tag the walking/cycling/driving profiles look at; points and multipolygons expose the tags
 * used to find care facilities and residential buildings. Tags not listed stay in other_tags.
 */
static const char cc_osmconf[] =
    "# carecircle OSM configuration (built into the library; see docs/inputs.md)\n"
    "closed_ways_are_polygons=aeroway,amenity,boundary,building,building:part,craft,geological,"
    "historic,landuse,leisure,military,natural,office,place,shop,sport,tourism,"
    "highway=platform,public_transport=platform\n"
    "report_all_nodes=no\n"
    "report_all_ways=no\n"
    "\n"
    "[points]\n"
    "osm_id=yes\n"
    "osm_version=no\n"
    "osm_timestamp=no\n"
    "osm_uid=no\n"
    "osm_user=no\n"
    "osm_changeset=no\n"
    "attributes=name,amenity,social_facility,social_facility:for,healthcare,building,capacity,"
    "operator,opening_hours,highway,public_transport,shop,leisure,place,population,"
    "addr:street,addr:housenumber\n"
    "unsignificant=created_by,converted_by,source,time,ele,attribution\n"
    "ignore=created_by,converted_by,source,time,ele,note,todo,fixme,FIXME\n"
    "other_tags=yes\n"
    "\n"
    "[lines]\n"
    "osm_id=yes\n"
    "osm_version=no\n"
    "osm_timestamp=no\n"
    "osm_uid=no\n"
    "osm_user=no\n"
    "osm_changeset=no\n"
    "attributes=name,highway,foot,access,sidewalk,oneway,bridge,tunnel,maxspeed,layer,bicycle,"
    "motor_vehicle,motorcar,vehicle,junction,service,surface,footway,cycleway,area,ref,"
    "railway,waterway\n"
    "ignore=created_by,converted_by,source,time,ele,note,todo,fixme,FIXME\n"
    "other_tags=yes\n"
    "\n"
    "[multipolygons]\n"
    "osm_id=yes\n"
    "osm_version=no\n"
    "osm_timestamp=no\n"
    "osm_uid=no\n"
    "osm_user=no\n"
    "osm_changeset=no\n"
    "attributes=name,type,amenity,social_facility,social_facility:for,healthcare,building,"
    "building:levels,capacity,population,landuse,leisure,place,boundary,admin_level,shop,"
    "office,natural,historic,tourism,man_made,military,aeroway,craft,geological,sport\n"
    "ignore=area,created_by,converted_by,source,time,ele,note,todo,fixme,FIXME\n"
    "other_tags=yes\n"
    "\n"
    "[multilinestrings]\n"
    "osm_id=yes\n"
    "osm_version=no\n"
    "osm_timestamp=no\n"
    "osm_uid=no\n"
    "osm_user=no\n"
    "osm_changeset=no\n"
    "attributes=name,type,route\n"
    "ignore=area,created_by,converted_by,source,time,ele,note,todo,fixme,FIXME\n"
    "other_tags=yes\n"
    "\n"
    "[other_relations]\n"
    "osm_id=yes\n"
    "osm_version=no\n"
    "osm_timestamp=no\n"
    "osm_uid=no\n"
    "osm_user=no\n"
    "osm_changeset=no\n"
    "attributes=name,type\n"
    "ignore=area,created_by,converted_by,source,time,ele,note,todo,fixme,FIXME\n"
    "other_tags=yes\n";

#define CC__OSMCONF_PATH "/vsimem/carecircle/osmconf.ini"

static pthread_once_t cc__io_once = PTHREAD_ONCE_INIT;

static void io_init_once(void)
{
    GDALAllRegister();
    /* Never write .aux.xml side files next to the user's inputs (e.g. after statistics). */
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    CPLSetConfigOption("CPL_DEBUG", "OFF");
    /* Say when a number is cut to fit a typed field ("40.9" into an Integer column): the
     * readers then parse the text themselves (numbers are read as numbers, docs/inputs.md).
     * Process-wide, as GDAL may read it once. */
    CPLSetConfigOption("OGR_SETFIELD_NUMERIC_WARNING", "YES");
    /* The first row of a spreadsheet is the header (docs/inputs.md). GDAL would guess, and
     * take a sheet whose cells are all text (coordinates typed as text) for headerless data
     * with fields Field1, Field2 ... */
    CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
    CPLSetConfigOption("OGR_ODS_HEADERS", "FORCE");
    /* No network access from format drivers: GML schema downloads, remote resources. */
    CPLSetConfigOption("GML_DOWNLOAD_WFS_SCHEMA", "NO");
    CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
    CPLSetConfigOption("GDAL_HTTP_MAX_RETRY", "0");
    /* The buffer is static: GDAL must not free it (bTakeOwnership = FALSE). */
    VSILFILE *fp = VSIFileFromMemBuffer(CC__OSMCONF_PATH, (GByte *)cc_osmconf,
                                        (vsi_l_offset)(sizeof cc_osmconf - 1), FALSE);
    if (fp) VSIFCloseL(fp);
}

void cc__io_init(void)
{
    pthread_once(&cc__io_once, io_init_once);
}

const char *cc__io_osmconf_path(void)
{
    cc__io_init();
    return CC__OSMCONF_PATH;
}

/* Copy [a, b) into dst (cap bytes), truncating. */
static void copy_span(char *dst, size_t cap, const char *a, const char *b)
{
    size_t n = (size_t)(b - a);
    if (n >= cap) n = cap - 1;
    memcpy(dst, a, n);
    dst[n] = '\0';
}

/*
 * GDAL's words when a value does not fit a typed field (GDAL 3.x, OGRFeature::SetField with
 * OGR_SETFIELD_NUMERIC_WARNING, and the CSV driver's one warning per layer):
 *   Value '1.5e3' of field LAYER.FIELD parsed incompletely to integer 1.
 *   Invalid value type found in record 4 for field FIELD. This warning will no longer be emitted
 */
static void note_number_warning(cc__gdal_errs *e, const char *msg)
{
    static const char v0[] = "Value '", v1[] = "' of field ", v2[] = " parsed incompletely";
    static const char b0[] = "Invalid value type found in record ", b1[] = " for field ";
    if (strncmp(msg, v0, sizeof v0 - 1) == 0) {
        const char *end = strstr(msg, v2);
        const char *of = NULL;
        for (const char *p = strstr(msg, v1); p && p < end; p = strstr(p + 1, v1))
            of = p; /* the last "' of field " before the tail: the value may hold quotes */
        if (!end || !of) return;
        if (e->n_numwarn == CC__NUMWARN_MAX) {
            /* keep the newest: those of features a where filter skipped come first */
            memmove(e->numwarn, e->numwarn + 1, sizeof e->numwarn[0] * (CC__NUMWARN_MAX - 1));
            e->n_numwarn--;
        }
        copy_span(e->numwarn[e->n_numwarn].raw, sizeof e->numwarn[0].raw, msg + sizeof v0 - 1,
                  of);
        copy_span(e->numwarn[e->n_numwarn].field, sizeof e->numwarn[0].field,
                  of + sizeof v1 - 1, end);
        const char *sp = strrchr(end, ' '); /* "... to integer 40." */
        e->numwarn[e->n_numwarn].to = sp ? CPLAtof(sp + 1) : 0;
        e->n_numwarn++;
    } else if (strncmp(msg, b0, sizeof b0 - 1) == 0) {
        char *q;
        long long rec = strtoll(msg + sizeof b0 - 1, &q, 10);
        if (rec <= 0 || strncmp(q, b1, sizeof b1 - 1) != 0) return;
        const char *f = q + sizeof b1 - 1, *dot = strstr(f, ". This warning");
        if (!dot) dot = f + strlen(f);
        e->badtype_record = rec;
        copy_span(e->badtype_field, sizeof e->badtype_field, f, dot);
    }
}

static void CPL_STDCALL io_error_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    cc__gdal_errs *e = (cc__gdal_errs *)CPLGetErrorHandlerUserData();
    if (!e) return;
    if (cls == CE_Failure || cls == CE_Fatal) {
        cc_snprintf(e->msg, sizeof e->msg, "%s", msg ? msg : "");
        /* GDAL messages sometimes end with a period or newline; our lines add their own. */
        size_t n = strlen(e->msg);
        while (n && (e->msg[n - 1] == '\n' || e->msg[n - 1] == '.' || e->msg[n - 1] == ' '))
            e->msg[--n] = '\0';
        e->n_fail++;
    } else if (cls == CE_Warning) {
        if (msg) note_number_warning(e, msg);
        if (e->ctx) cc_log(e->ctx, CC_LOG_DEBUG, "gdal: %s", msg ? msg : "");
    }
}

void cc__io_begin(cc__gdal_errs *e, cc_ctx *ctx)
{
    cc__io_init();
    memset(e, 0, sizeof *e);
    e->ctx = ctx;
    CPLPushErrorHandlerEx(io_error_handler, e);
    CPLErrorReset();
}

void cc__io_end(cc__gdal_errs *e)
{
    (void)e;
    CPLPopErrorHandler();
}

const char *cc__io_gdal_msg(const cc__gdal_errs *e, const char *fallback)
{
    return e->msg[0] ? e->msg : fallback;
}

static int is_network_path(const char *p)
{
    static const char *const pre[] = {"http://", "https://",  "ftp://",   "/vsicurl",
                                      "/vsis3",  "/vsigs",    "/vsiaz",   "/vsiadls",
                                      "/vsioss", "/vsiswift", "/vsihdfs", "/vsiwebhdfs"};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (cc__ascii_ncasecmp(p, pre[i], strlen(pre[i])) == 0) return 1;
    /* Prefixes like "CSV:" or "GPKG:" wrap a path; a URL inside them is also network. */
    return strstr(p, "://") != NULL;
}

/* path ends with sfx, compared in ASCII without case (".ZIP" too). */
static int has_suffix_ascii(const char *path, const char *sfx)
{
    size_t n = strlen(path), k = strlen(sfx);
    return n >= k && cc__ascii_casecmp(path + n - k, sfx) == 0;
}

cc_status cc__io_open(cc_ctx *ctx, cc__gdal_errs *e, const char *path, unsigned flags,
                      char **open_opts, const char *what, GDALDatasetH *out)
{
    return cc__io_open_as(ctx, e, path, path, flags, open_opts, what, out);
}

cc_status cc__io_check_path(cc_ctx *ctx, const char *path)
{
    if (!path || !*path) return cc_error(ctx, CC_ERR_INVALID, "no input file given");
    if (is_network_path(path))
        return cc_error(ctx, CC_ERR_IO,
                        "%s: network sources are not read; download the file first and give "
                        "its local path",
                        path);
    if (strncmp(path, "/vsi", 4) != 0) {
        struct stat st;
        if (stat(path, &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                return cc_error(ctx, CC_ERR_IO,
                                "%s: file not found; check the path (relative paths are "
                                "relative to the scenario file)",
                                path);
            return cc_error(ctx, CC_ERR_IO, "%s: cannot be opened (%s)", path, strerror(errno));
        }
        if (access(path, R_OK) != 0)
            return cc_error(ctx, CC_ERR_IO, "%s: not readable (%s); check its permissions", path,
                            strerror(errno));
        /* A FIFO, terminal, socket or device (/dev/stdin) would block GDAL's open for ever,
         * deaf to Ctrl-C: only files and folders (Shapefile folders, .gdb) are read. */
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
            return cc_error(ctx, CC_ERR_IO,
                            "%s: is not a regular file (a pipe, terminal or device); save the "
                            "data to a file and give its path",
                            path);
        if (S_ISREG(st.st_mode) && st.st_size == 0)
            return cc_error(ctx, CC_ERR_IO,
                            "%s: the file is empty (0 bytes); it may be a failed "
                            "download or copy",
                            path);
        if (S_ISREG(st.st_mode) && has_suffix_ascii(path, ".zip") &&
            !has_suffix_ascii(path, ".shp.zip") && !has_suffix_ascii(path, ".shz"))
            return cc_error(ctx, CC_ERR_IO,
                            "%s: is a zip archive; give the file inside it as "
                            "/vsizip/%s/NAME (e.g. /vsizip/%s/roads.shp), or unzip it",
                            path, path, path);
    }
    return CC_OK;
}

cc_status cc__io_open_as(cc_ctx *ctx, cc__gdal_errs *e, const char *path, const char *gdal_name,
                         unsigned flags, char **open_opts, const char *what, GDALDatasetH *out)
{
    *out = NULL;
    cc_status rc = cc__io_check_path(ctx, path);
    if (rc) return rc;
    e->msg[0] = '\0';
    GDALDatasetH ds = GDALOpenEx(gdal_name, flags | GDAL_OF_VERBOSE_ERROR, NULL,
                                 (const char *const *)open_opts, NULL);
    if (!ds)
        return cc_error(ctx, CC_ERR_IO,
                        "%s: cannot be read as a %s dataset (%s); the file may be corrupt, "
                        "truncated or not in a format GDAL reads",
                        path, what, cc__io_gdal_msg(e, "no driver recognised it"));
    *out = ds;
    return CC_OK;
}

/* A driver that reads vectors only (CSV, GeoJSON, Shapefile ...), so a raster driver that
 * also claims the file (XYZ claims any regular grid of numbers) guesses wrong. */
static int vector_only(GDALDriverH d)
{
    return d && GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, NULL) &&
           !GDALGetMetadataItem(d, GDAL_DCAP_RASTER, NULL);
}

int cc__io_vector_only_file(const char *path)
{
    cc__io_init();
    return vector_only(GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL));
}

cc_status cc__io_open_any(cc_ctx *ctx, cc__gdal_errs *e, const char *path, GDALDatasetH *out)
{
    *out = NULL;
    cc_status rc = cc__io_check_path(ctx, path); /* before GDAL's identify reads the file */
    if (rc) return rc;
    GDALDriverH d = path ? GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL) : NULL;
    if (!d) /* no vector driver knows it: a raster, or nothing */
        return cc__io_open(ctx, e, path, GDAL_OF_VECTOR | GDAL_OF_RASTER, NULL,
                           "vector or raster", out);
    char **opts = NULL;
    if (strcmp(GDALGetDriverShortName(d), "OSM") == 0)
        opts = CSLSetNameValue(opts, "CONFIG_FILE", cc__io_osmconf_path());
    /* A table (CSV, spreadsheet, GeoJSON ...) is opened by the vector drivers only: a CSV of
     * x,y,value rows on a regular grid is otherwise taken by GDAL's XYZ raster driver. */
    cc_status st = cc__io_open(ctx, e, path, GDAL_OF_VECTOR, opts, "vector", out);
    CSLDestroy(opts);
    if (vector_only(d)) return st;
    /* GeoPackage and friends hold vectors or rasters: look at the raster side when the
     * vector side is empty or does not open. */
    if (!st && GDALDatasetGetLayerCount(*out) > 0) return CC_OK;
    if (*out) GDALClose(*out);
    *out = NULL;
    cc_ctx_clear_error(ctx);
    return cc__io_open(ctx, e, path, GDAL_OF_VECTOR | GDAL_OF_RASTER, NULL, "vector or raster",
                       out);
}

int cc__io_srs_defined(OGRSpatialReferenceH srs)
{
    if (!srs || OSRIsLocal(srs)) return 0;
    /* GeoPackage srs_id 0 and -1 come back as placeholders named like this. */
    const char *name = OSRGetName(srs);
    if (name && strncmp(name, "Undefined ", 10) == 0) return 0;
    return 1;
}

int cc__io_srs_epsg(OGRSpatialReferenceH srs)
{
    if (!srs) return 0;
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth && code && cc__ascii_casecmp(auth, "EPSG") == 0) return atoi(code);
    /* ESRI .prj files and hand-written WKT often carry no authority: ask PROJ for a match. */
    int epsg = 0, n = 0;
    int *conf = NULL;
    OGRSpatialReferenceH *m = OSRFindMatches(srs, NULL, &n, &conf);
    if (m && n > 0 && conf && conf[0] >= 90) {
        auth = OSRGetAuthorityName(m[0], NULL);
        code = OSRGetAuthorityCode(m[0], NULL);
        if (auth && code && cc__ascii_casecmp(auth, "EPSG") == 0) epsg = atoi(code);
    }
    if (m) OSRFreeSRSArray(m);
    CPLFree(conf);
    return epsg;
}

/* "GCJ02", "gcj-02", "BD09", "bd_09" ...: the Chinese web-map datums PROJ does not know. */
static int is_chinese_webmap_crs(const char *s)
{
    char norm[16];
    size_t k = 0;
    for (const char *p = s; *p && k + 1 < sizeof norm; p++)
        if (*p != '-' && *p != '_' && *p != ' ') norm[k++] = cc__ascii_lower(*p);
    norm[k] = '\0';
    return strcmp(norm, "gcj02") == 0 || strcmp(norm, "bd09") == 0 || strcmp(norm, "bd09ll") == 0;
}

cc_status cc__io_layer_crs(cc_ctx *ctx, cc_layer *L, OGRSpatialReferenceH srs,
                           const char *crs_override, const char *role)
{
    if (crs_override && *crs_override) {
        L->crs = cc_strdup(ctx, crs_override);
        if (!L->crs) return CC_ERR_NOMEM;
        if (is_chinese_webmap_crs(crs_override)) {
            L->crs_geographic = 1;
            L->crs_epsg = 0;
            return CC_OK;
        }
        if (strstr(crs_override, "://"))
            return cc_error(ctx, CC_ERR_CRS,
                            "%s: crs '%s' is a URL; give an EPSG code such as EPSG:4547 instead",
                            L->path, crs_override);
        OGRSpatialReferenceH h = OSRNewSpatialReference(NULL);
        if (!h) return cc_error(ctx, CC_ERR_NOMEM, "out of memory creating a CRS");
        if (OSRSetFromUserInput(h, crs_override) != OGRERR_NONE) {
            OSRDestroySpatialReference(h);
            return cc_error(ctx, CC_ERR_CRS,
                            "%s: crs '%s' is not a coordinate system GDAL/PROJ knows%s%s%s; use "
                            "e.g. EPSG:4547, a WKT or PROJ string, GCJ02 or BD09",
                            L->path, crs_override, role ? " (" : "", role ? role : "",
                            role ? ")" : "");
        }
        L->crs_geographic = OSRIsGeographic(h) ? 1 : 0;
        L->crs_epsg = cc__io_srs_epsg(h);
        OSRDestroySpatialReference(h);
        return CC_OK;
    }
    if (!cc__io_srs_defined(srs)) return CC_OK;
    char *wkt = NULL;
    const char *opts[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", NULL};
    if (OSRExportToWktEx(srs, &wkt, opts) != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        wkt = NULL;
        if (OSRExportToWkt(srs, &wkt) != OGRERR_NONE || !wkt) {
            CPLFree(wkt);
            return cc_error(ctx, CC_ERR_CRS,
                            "%s: its CRS cannot be written as WKT; set crs: EPSG:xxxx for this "
                            "layer",
                            L->path);
        }
    }
    L->crs = cc_strdup(ctx, wkt);
    CPLFree(wkt);
    if (!L->crs) return CC_ERR_NOMEM;
    L->crs_geographic = OSRIsGeographic(srs) ? 1 : 0;
    L->crs_epsg = cc__io_srs_epsg(srs);
    return CC_OK;
}

/* A digit loop: no locale, no printf (ids are made for every feature read). */
char *cc__i64_str(cc_ctx *ctx, int64_t v)
{
    char buf[24];
    char *e = buf + sizeof buf, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return cc_strndup(ctx, p, (size_t)(e - p));
}
