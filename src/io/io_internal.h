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

#include <pthread.h>
#include <stdatomic.h>

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

/* ---- the vector reader: read_vector.c and its parts vector_*.c ---- */

/* A GeoPackage value of numeric column `field` at feature fid, stored as text or real. */
typedef struct cc__stored_text {
    int field;
    int64_t fid;
    char *text;
} cc__stored_text;

/*
 * A second reading of a CSV source with every column as text (the .csvt left out), opened the
 * first time a .csvt-typed numeric cell reads as unset, and then read in step with the layer.
 */
typedef struct cc__csvtext {
    int state;        /* 0 not opened yet, 1 open, -1 not available */
    char *dir, *name; /* its /vsimem/ folder and file */
    void *map;        /* the source file mapped into memory (local files), or NULL */
    size_t map_len;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureH feat; /* current feature (owned) */
    int64_t fid;      /* its fid; 0 before the first */
} cc__csvtext;

/* The state of one cc_io_read_vector call. */
typedef struct cc__vreader {
    cc_ctx *ctx;
    const cc_vector_request *req;
    cc__gdal_errs errs;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureDefnH defn;
    OGRFeatureH feat;    /* current feature (owned) */
    OGRGeometryH linear; /* linearised copy of a curve geometry (owned) */
    const char *drv;     /* driver short name */
    int label_mode;      /* 0 feature N, 1 CSV line N, 2 spreadsheet row N */
    int recode;          /* convert text from req->encoding ourselves */
    int uses_xy, has_geom;
    int gbk_check; /* Shapefile text of undeclared encoding: watch for GBK that passes as UTF-8 */
    cc__stored_text *stored; /* GeoPackage values stored as another type than the column's */
    size_t n_stored, cap_stored;
    int ix, iy, iid, iname;
    int *inum, *istr;
    cc_layer *L;
    size_t cap;
    cc__gcol gc;
    cc_geom_kind kind; /* kind seen so far */
    /* coordinate statistics for the geographic checks */
    int all_x_le90, any_y_gt90, all_y_le180, have_bad;
    int64_t swap_fid, bad_fid;
    double swap_x, swap_y, bad_x, bad_y;
    double ext[4];
    int have_ext;
    cc_geom_kind kind0; /* kind before the first feature (restored for a second attempt) */
    int bail;           /* Arrow path: this layer needs the feature-by-feature reader */
    int is_csv;         /* the CSV driver reads the source */
    cc__csvtext raw;    /* CSV: the same bytes read again without the .csvt (cc__vr_csvt_cell) */
} cc__vreader;

/* read_vector.c */
/** "feature 12", "line 13" (CSV: header is line 1) or "row 13" (spreadsheets), in buf. */
const char *cc__vr_label(const cc__vreader *r, int64_t fid, char *buf, size_t n);
/** " (role)" of the request, or "", in buf. */
const char *cc__vr_role(const cc__vreader *r, char *buf, size_t n);
/** Room for n features in the per-feature arrays (so a layer of known size grows once). */
cc_status cc__vr_reserve_rows(cc__vreader *r, size_t n);
/** One more feature slot, its values unset. */
cc_status cc__vr_reserve_slot(cc__vreader *r);

/* vector_text.c */
/** 1 when e names UTF-8. */
int cc__vr_utf8_name(const char *e);
/** Nothing but blanks (an empty CSV cell, spaces). */
int cc__vr_blank(const char *s);
/** A declared encoding iconv does not know is refused. */
cc_status cc__vr_check_encoding(cc__vreader *r);
/** Find every field the request names (with a "did you mean" when one is missing). */
cc_status cc__vr_resolve_fields(cc__vreader *r);
/** Text of field idx of the current feature as a new UTF-8 string (NULL when null). */
cc_status cc__vr_read_text(cc__vreader *r, int idx, const char *fname, int64_t fid, char **out);

/* vector_number.c */
/* CC__NUM_NAN: a typed column holding NaN; CC__NUM_RANGE: beyond CC__NUM_MAX; CC__NUM_TEXT: a
 * typed (.csvt) CSV column holding text that is no number, whose text GDAL does not give back. */
enum {
    CC__NUM_OK = 0,
    CC__NUM_NULL = 1,
    CC__NUM_BAD = 2,
    CC__NUM_INF = 3,
    CC__NUM_NAN = 4,
    CC__NUM_RANGE = 5,
    CC__NUM_TEXT = 6
};
/* Largest magnitude read: every whole number up to it is exact in a double (2^53 ~ 9e15). */
#define CC__NUM_MAX 1e15
/** A number written as text, parsed locale-independently: a CC__NUM_* code. */
int cc__vr_parse_number(const char *s, double *v);
/** Numeric value of field idx of the current feature (fid): a CC__NUM_* code; *raw the text
 * parsed, if any. */
int cc__vr_read_number(cc__vreader *r, int idx, int64_t fid, double *v, const char **raw);
/** The message for a value cc__vr_read_number refused (s is not CC__NUM_OK / CC__NUM_NULL). */
cc_status cc__vr_number_error(cc__vreader *r, int s, int64_t fid, const char *what, const char *fn,
                              const char *raw, double v);
/** An SQL identifier in double quotes, appended to b. */
cc_status cc__vr_put_ident(cc_ctx *ctx, cc_buf *b, const char *name);
/** GeoPackage: the values of the numeric columns read that are stored as another type. */
cc_status cc__vr_gpkg_stored_text(cc__vreader *r);
void cc__vr_free_stored(cc__vreader *r);

/* vector_csvt.c */
/** Close the second reading (state -1: not to be opened again). */
void cc__vr_csvt_close(cc__csvtext *w);
/** The text of field idx of feature fid as in the CSV file: 1, or 0 when not available. */
int cc__vr_csvt_cell(cc__vreader *r, int idx, int64_t fid, const char **text);

/* vector_geom.c */
const char *cc__vr_kind_word(cc_geom_kind k);
cc_geom_kind cc__vr_kind_of_type(OGRwkbGeometryType t);
/** Statistics of one finite coordinate for the geographic checks and the extent. */
void cc__vr_coord_stats(cc__vreader *r, int64_t fid, double x, double y);
/** The point of the current feature from the coordinate columns. */
cc_status cc__vr_coords_xy(cc__vreader *r, int64_t fid);
/** The parts of the current feature's geometry. */
cc_status cc__vr_coords_geom(cc__vreader *r, int64_t fid);
/** Swapped or out-of-range coordinates in a geographic CRS are refused. */
cc_status cc__vr_geographic_checks(cc__vreader *r);

/* vector_arrow.c */
/** Read the whole layer through the Arrow stream. *done: 1 read, 0 not tried, -1 tried and
 * given up (call cc__vr_restart, then read feature by feature). */
cc_status cc__vr_read_arrow(cc__vreader *r, int *done);
/** Forget a partial read, for a second attempt from the first feature. */
cc_status cc__vr_restart(cc__vreader *r);

/* A vector file being written (write.c); styles.c adds QGIS styles through the same dataset. */
struct cc_io_writer {
    GDALDatasetH ds;
    GDALDriverH drv;
    char *path;
    int created; /* 1: this writer made the file, so it is removed on failure */
    int gpkg;    /* GeoPackage: bulk-loaded spatial indexes, no per-commit sync when created */
};

/* ---- the vector writer: write.c, write_rtree.c (the spatial index), write_part.c (the part
   file of a big layer) ---- */

/* SQL text of one statement filling the index tables, and room for one more item. */
#define CC__SQL_CHUNK (4u << 20)
#define CC__SQL_CAP (CC__SQL_CHUNK + (64u << 10))
/* Longest layer or column name the writer accepts (they end up in SQL statements). */
#define CC__NAME_MAX_BYTES 1000

/* SQL text in a preallocated buffer (no allocation: usable from the part thread). */
typedef struct cc__sqlbuf {
    char *s;
    size_t len, cap;
    int overflow; /* an append did not fit */
} cc__sqlbuf;

/* One box of the tree: minx, maxx, miny, maxy as SQLite's rtree stores them (32-bit floats
   rounded outwards), and the feature id (leaves) or node number (inner levels). */
typedef struct cc__rt_box {
    float b[4];
    int64_t id;
} cc__rt_box;

/* A packed tree: every array is allocated by the caller, so either thread can build it. */
typedef struct cc__rt_job {
    cc__rt_box *box;   /* [n] the entries (reordered) */
    cc__rt_box *other; /* [n / 2 + 2] the level above */
    cc__rt_box *tmp;   /* [n] sort scratch */
    size_t n;
    int64_t *leaf_of; /* [span] leaf node of feature id fid0 + k, 0 = none */
    int64_t fid0;
    size_t span;
    int64_t *parent;      /* [n_nodes] parent of node number k + 2 */
    unsigned char *nodes; /* [n_nodes * node_size] node number k + 1 at k * node_size */
    size_t n_nodes, node_size, max_cells;
    int64_t next_node;
} cc__rt_job;

/* The layer being written, as both threads see it (read-only while they run). */
typedef struct cc__layer_def {
    const char *path, *layer, *crs;
    const cc_geomcol *geom;
    const cc_out_field *fields;
    size_t n_fields, n;
    OGRwkbGeometryType gtype;
    int multi;
} cc__layer_def;

/* Rows [a, b) of a layer through one reused feature. */
typedef struct cc__rows_job {
    const cc__layer_def *L;
    OGRLayerH lyr;
    OGRFeatureH f;
    const int *idx;
    size_t a, b;
    int set_fid;      /* give the first row its id a + 1 (a part file: the table's AUTOINCREMENT
                         then numbers the others, cheaper than explicit ids) */
    int check_fid;    /* row i must get id i + 1 (the packed spatial index relies on it) */
    cc_ctx *ctx;      /* interrupt checks; NULL in the part thread */
    atomic_int *stop; /* raised when the other thread failed; may be NULL */
    cc__gdal_errs *e;
    char msg[700]; /* the failure ("" when the context holds it: interrupted) */
} cc__rows_job;

/* The part: rows [a, n) and the index nodes, into a file of their own (on a thread of its own,
   or first on the caller's). */
typedef struct cc__part_job {
    const cc__layer_def *L;
    const char *path;     /* the part file */
    GDALDatasetH ds;      /* opened by the caller, closed by the thread */
    size_t a;             /* first row */
    int *idx;             /* [n_fields] */
    const cc__rt_job *rt; /* packed index nodes to store, NULL for none */
    atomic_int stop;      /* raised by either thread on failure */
    atomic_int packed;    /* raised when rt holds the packed tree (this thread waits for it) */
    cc_ctx *ctx;          /* interrupt checks when run on the caller's thread, else NULL */
    cc_status st;
    char msg[800]; /* the failure ("" when the context holds it: interrupted) */
} cc__part_job;

/* Everything one layer's writing holds; freed by cc__layer_free. */
typedef struct cc__layer_run {
    OGRSpatialReferenceH srs;
    OGRFeatureH f;
    char **lco;
    int *idx;
    cc__rt_job rt; /* the packed index: boxes, then the tree */
    char *rtree;   /* its table */
    cc__sqlbuf sql;
    cc__part_job *part; /* the part thread's job; NULL when this thread writes every row */
    pthread_t thread;
    int thread_started;
    char *part_path;
    char *tsql[8]; /* triggers of the table, re-created after the copy */
    size_t n_tsql;
    OGRLayerH lyr;           /* the layer in the output */
    const char *gcol, *fcol; /* its geometry and fid columns */
    int indexed;             /* gets the packed spatial index */
    size_t ext[4];           /* rows holding min_x, max_x, min_y, max_y; (size_t)-1 none */
    size_t h;                /* rows [h, n) go to the part file */
    int in_tx;               /* a transaction is open on the output */
    cc__rows_job rows;       /* this thread's rows */
} cc__layer_run;

/* write.c */
/** Create the layer and its fields in ds; idx[j] gets field j's index. NULL on failure (msg). */
OGRLayerH cc__wr_make_layer(GDALDatasetH ds, cc__gdal_errs *e, const cc__layer_def *L,
                            OGRSpatialReferenceH srs, char **lco, int *idx, char *msg, size_t cap);
/** Write rows [J->a, J->b); the failure in J->msg ("" when the context holds it). */
cc_status cc__wr_rows(cc__rows_job *J);

/* write_rtree.c: SQL text (every append a no-op once one did not fit) */
void cc__sb_reset(cc__sqlbuf *b);
void cc__sb_put(cc__sqlbuf *b, const char *s, size_t n);
void cc__sb_puts(cc__sqlbuf *b, const char *s);
/** s as an SQL identifier ("...") / string literal ('...'). */
void cc__sb_ident(cc__sqlbuf *b, const char *s);
void cc__sb_literal(cc__sqlbuf *b, const char *s);
/** Decimal digits of v. */
void cc__sb_u64(cc__sqlbuf *b, uint64_t v);
/** "<head><rtree><suffix><tail>" with the table name quoted. */
void cc__sb_table(cc__sqlbuf *b, const char *head, const char *rtree, const char *suffix,
                  const char *tail);
/* Statements through GDAL, failures as text in msg (no context: usable from the part thread);
   0 on success, else -1. */
int cc__ds_exec(GDALDatasetH ds, cc__gdal_errs *e, const char *sql, char *msg, size_t cap);
int cc__sb_exec(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *b, char *msg, size_t cap);
/** The first column of the first row of a query as text into out ("" when there is none). */
int cc__ds_query(GDALDatasetH ds, cc__gdal_errs *e, const char *sql, char *out, size_t out_cap,
                 char *msg, size_t cap);

/* write_rtree.c: the packed index */
/** The boxes of the n features of g into J->box (row i gets feature id i + 1) and the rows
 * holding the extent's extremes into ext (min_x, max_x, min_y, max_y). */
cc_status cc__rt_boxes(cc_ctx *ctx, cc__rt_job *J, const cc_geomcol *g, size_t n, size_t ext[4]);
/** The packed tree's arrays for its J->n boxes (ids in [1, n_rows]), then the tree. */
cc_status cc__rt_build(cc_ctx *ctx, cc__rt_job *J, size_t n_rows, size_t node_size);
int cc__rt_create(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree, char *msg,
                  size_t cap);
/** SQLite's node size of an rtree table; -1 on failure. */
long long cc__rt_node_size(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree,
                           char *msg, size_t cap);
int cc__rt_sql_nodes(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree,
                     const cc__rt_job *J, char *msg, size_t cap);
int cc__rt_sql_maps(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *rtree,
                    const cc__rt_job *J, char *msg, size_t cap);
int cc__rt_register(GDALDatasetH ds, cc__gdal_errs *e, cc__sqlbuf *sql, const char *r,
                    const char *table, const char *gcol, const char *fcol, char *msg, size_t cap);

/* write_part.c */
/** Start the part of a big layer when it gets one (R->h is then its first row, else n). */
cc_status cc__part_start(cc_ctx *ctx, cc_io_writer *w, const cc__layer_def *L, cc__layer_run *R,
                         cc__gdal_errs *e);
/** Wait for the part and copy it into the output (or write its rows again here). */
cc_status cc__part_finish(cc_ctx *ctx, cc_io_writer *w, const cc__layer_def *L, cc__layer_run *R,
                          cc__gdal_errs *e);
/** Stop and wait for the part thread; close and remove its file. */
void cc__part_end(cc__layer_run *R);
/** Free what R holds (stops and waits for the part thread first). */
void cc__layer_free(cc__layer_run *R);

/** Vector layers read whole through GDAL's Arrow stream (the GeoPackage fast path) since the
 * process started; tests use it to see that the fast path ran. */
long cc__io_stream_layers(void);

/** Integer to new string ("123"). */
char *cc__i64_str(cc_ctx *ctx, int64_t v);

#endif
