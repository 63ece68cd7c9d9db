/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers of the io module: GDAL set-up, error capture, opening files with clear
 * messages, growable geometry columns and representative points. Only src/io includes this.
 */
#ifndef CC_IO_INTERNAL_H
#define CC_IO_INTERNAL_H

#include "carecircle/io.h"
#include "core/internal.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/* ---- ASCII-only case folding: identifiers (field names, suffixes, EPSG) compare the same in
 * every locale (the C functions fold 'I' to dotless 'ı' under tr_TR, or not at all). */
static inline char cc__ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}
static inline int cc__ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)cc__ascii_lower(a[i]);
        unsigned char y = (unsigned char)cc__ascii_lower(b[i]);
        if (x != y || !x) return (int)x - (int)y;
    }
    return 0;
}
static inline int cc__ascii_casecmp(const char *a, const char *b)
{
    return cc__ascii_ncasecmp(a, b, (size_t)-1);
}

/* GDAL messages of one call, captured by a thread-local handler instead of printed. */
#define CC__NUMWARN_MAX 8
typedef struct cc__gdal_errs {
    cc_ctx *ctx;
    char msg[512]; /* last CE_Failure/CE_Fatal message, "" when none */
    int n_fail;
    /* Numbers GDAL parsed only in part while filling a typed field ("1.5e3" into an Integer
     * column gives 1): the field ("layer.field") and the text as in the file, so the reader
     * can parse the text itself. The reader clears n_numwarn before each feature. */
    int n_numwarn;
    struct {
        char field[160];
        char raw[96];
        double to; /* the value GDAL made of it */
    } numwarn[CC__NUMWARN_MAX];
    /* CSV: the first value of a typed (.csvt) column that is no number at all, which GDAL
     * leaves unset without a word but this one warning per layer. */
    long long badtype_record; /* 0 when none */
    char badtype_field[160];
} cc__gdal_errs;

/** Register GDAL drivers and set process-wide options once (thread-safe). */
void cc__io_init(void);
/** Push a capturing error handler for this thread; pair with cc__io_end. */
void cc__io_begin(cc__gdal_errs *e, cc_ctx *ctx);
void cc__io_end(cc__gdal_errs *e);
/** The captured GDAL message, or `fallback` when GDAL said nothing. */
const char *cc__io_gdal_msg(const cc__gdal_errs *e, const char *fallback);

/** GDAL's OGR_CURRENT_DATE set, for this thread only, to cc_io_gpkg_date's date around the
 * calls on a GeoPackage the writer created, then put back as it was, so that no other GDAL use
 * sees it. */
#define CC__DATE_OPTION "OGR_CURRENT_DATE" /* GDAL's date for the GeoPackages it writes */
typedef struct cc__date_pin {
    int on;
    char *old; /* this thread's previous value (CPLStrdup), NULL when it had none */
} cc__date_pin;
/** Pin the date when on (else nothing); pair with cc__io_unpin_date. */
void cc__io_pin_date(cc__date_pin *p, int on);
void cc__io_unpin_date(cc__date_pin *p);

/** Path of the built-in OSM driver configuration (a /vsimem/ file made at init). */
const char *cc__io_osmconf_path(void);

/**
 * Open path with GDALOpenEx(flags). Checks first that it is local, exists and is readable,
 * so each failure gets its own message. open_opts may be NULL. what = "vector" / "raster".
 */
cc_status cc__io_open(cc_ctx *ctx, cc__gdal_errs *e, const char *path, unsigned flags,
                      char **open_opts, const char *what, GDALDatasetH *out);

/**
 * Open a source whose kind is not known yet (vector or raster). A file a vector driver
 * recognises is opened as a vector dataset (rasters are tried only when that driver also
 * reads rasters and finds no layers), so tables are never read by a raster driver.
 */
cc_status cc__io_open_any(cc_ctx *ctx, cc__gdal_errs *e, const char *path, GDALDatasetH *out);

/** 1 when a vector-only driver (CSV, GeoJSON, Shapefile ...) recognises path. */
int cc__io_vector_only_file(const char *path);

/**
 * Check a source path before GDAL touches it (identifying a driver opens the file): refuses
 * network addresses, missing, unreadable, empty and non-regular files (FIFOs, /dev/stdin block
 * for ever) and plain .zip archives (use /vsizip/). /vsi paths are left to GDAL.
 */
cc_status cc__io_check_path(cc_ctx *ctx, const char *path);

/** cc__io_open checking path but handing gdal_name to GDAL (e.g. "CSV:" + path). */
cc_status cc__io_open_as(cc_ctx *ctx, cc__gdal_errs *e, const char *path, const char *gdal_name,
                         unsigned flags, char **open_opts, const char *what, GDALDatasetH *out);

/** Fill crs text, geographic flag and EPSG code of a layer from an override or an SRS. */
cc_status cc__io_layer_crs(cc_ctx *ctx, cc_layer *L, OGRSpatialReferenceH srs,
                           const char *crs_override, const char *role);

/** 0 for NULL, local (engineering) and GeoPackage "Undefined ..." SRS, else 1. */
int cc__io_srs_defined(OGRSpatialReferenceH srs);

/** EPSG code of an SRS when known (authority or confident identification), else 0. */
int cc__io_srs_epsg(OGRSpatialReferenceH srs);

/* ---- growable geometry column ---- */
typedef struct cc__gcol {
    cc_geomcol g;
    size_t cap_feat, cap_parts, cap_coords;
    size_t n_feat; /* features finished (feat_part has n_feat+1 entries) */
} cc__gcol;

cc_status cc__gcol_init(cc_ctx *ctx, cc__gcol *c);
/** Start a new part; coordinates follow with cc__gcol_coord. */
cc_status cc__gcol_part(cc_ctx *ctx, cc__gcol *c, int hole);
cc_status cc__gcol_coord(cc_ctx *ctx, cc__gcol *c, double x, double y);
/** Append n coordinates to the current part; *x and *y receive where to write them. */
cc_status cc__gcol_coords(cc_ctx *ctx, cc__gcol *c, size_t n, double **x, double **y);
/** Close the current feature (its parts are those added since the previous end). */
cc_status cc__gcol_end_feature(cc_ctx *ctx, cc__gcol *c);
/** Forget the last finished feature's parts and coordinates (keeps feature count). */
void cc__gcol_drop_last_parts(cc__gcol *c);
/** Hand the arrays over to dst (shrinks nothing) and reset c. */
void cc__gcol_take(cc__gcol *c, cc_geomcol *dst);

/**
 * Representative point of feature parts [p0, p1) of kind in g: first point, middle vertex of
 * the longest line part, or an interior point of the largest polygon. Returns 0 when the
 * feature has no coordinates.
 */
int cc__rep_point(const cc_geomcol *g, cc_geom_kind kind, size_t p0, size_t p1, double *x,
                  double *y);

/* A vector file being written (write.c); styles.c adds QGIS styles through the same dataset. */
struct cc_io_writer {
    GDALDatasetH ds;
    GDALDriverH drv;
    char *path;
    int created; /* 1: this writer made the file, so it is removed on failure */
    int gpkg;    /* GeoPackage: bulk-loaded spatial indexes, no per-commit sync when created */
};

/** Vector layers read whole through GDAL's Arrow stream (the GeoPackage fast path) since the
 * process started; tests use it to see that the fast path ran. */
long cc__io_stream_layers(void);

/** Integer to new string ("123"). */
char *cc__i64_str(cc_ctx *ctx, int64_t v);

#endif
