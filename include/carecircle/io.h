/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle io: every file the engine reads or writes through GDAL.
 *
 * Vector layers (GPKG, Shapefile, GeoJSON, CSV/XLSX with coordinate columns, OSM PBF/XML, any
 * other GDAL vector driver) and raster cells (GeoTIFF population grids) are loaded into flat
 * column arrays in the SOURCE coordinate reference system; reprojection is the caller's job
 * (see crs). Coordinates are always x = easting/longitude, y = northing/latitude, whatever
 * axis order the CRS declares. Features keep their order in the source.
 *
 * This module is the only place that includes GDAL headers. GDAL never prints: its messages
 * become one-line errors on the context. Functions may be called from several threads at once
 * (each call uses its own GDAL handles), but not with the same cc_ctx at the same time.
 * docs/inputs.md describes the supported formats and options.
 */
#ifndef CARECIRCLE_IO_H
#define CARECIRCLE_IO_H

#include "carecircle/core.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cc_geom_kind {
    CC_GEOM_NONE = 0,
    CC_GEOM_POINT,
    CC_GEOM_LINE,
    CC_GEOM_POLYGON
} cc_geom_kind;

/**
 * Geometries of n features in flat arrays. Feature i owns parts feat_part[i] ..
 * feat_part[i+1]-1; part j owns coordinates part_coord[j] .. part_coord[j+1]-1. Multi-
 * geometries give several parts. Polygon rings are closed (first coordinate repeated at the
 * end); part_hole[j] = 1 marks an inner ring, which belongs to the nearest preceding outer
 * ring. A feature without geometry has no parts. For points and lines part_hole is all 0.
 */
typedef struct cc_geomcol {
    cc_geom_kind kind;
    size_t n_parts, n_coords;
    size_t *feat_part;        /* [n+1] */
    size_t *part_coord;       /* [n_parts+1] */
    unsigned char *part_hole; /* [n_parts] */
    double *x, *y;            /* [n_coords], source CRS, x = easting/longitude */
} cc_geomcol;

/** Free the arrays of a geometry column (not the struct) and zero it. Accepts NULL. */
void cc_io_geomcol_free(cc_geomcol *g);

/** What to read from one vector layer. Unused members are NULL / 0. */
typedef struct cc_vector_request {
    const char *path;         /* file (or folder, or /vsizip/ path); network URLs are refused */
    const char *layer;        /* NULL = the first layer whose geometry matches `expect` */
    const char *where;        /* OGR SQL attribute filter, NULL = all features */
    const char *encoding;     /* text encoding of the source, e.g. "GBK"; NULL = as declared */
    const char *crs_override; /* "EPSG:4547", WKT, PROJ string, or "GCJ02" / "BD09" verbatim */
    const char *x_field, *y_field; /* coordinate columns (CSV, XLSX, any table); NULL = geometry */
    const char *id_field, *name_field; /* optional */
    const char *const *num_fields;     /* numeric columns read as double */
    size_t n_num;
    const char *const *str_fields; /* string columns (a missing one is allowed: all NULL) */
    size_t n_str;
    int num_nonneg;      /* 1: negative numeric values are an error (counts, capacities) */
    int num_allow_null;  /* 1: null/empty numeric values become NAN; 0: error */
    cc_geom_kind expect; /* CC_GEOM_NONE = any; else the layer must hold this kind (multi ok) */
    int want_geometry;   /* 1: fill cc_layer.geom; rep_x/rep_y are always filled */
    const char *role;    /* for messages, e.g. "facilities.day_care"; a role starting with
                            "network" keeps only OSM ways with a highway tag */
} cc_vector_request;

/** A loaded layer. Every pointer is owned by the layer; free it with cc_layer_destroy. */
typedef struct cc_layer {
    char *path, *layer_name;
    char *driver;       /* GDAL driver short name, e.g. "GPKG", "OSM", "GTiff" */
    char *crs;          /* source CRS as WKT2, or the crs_override text verbatim ("GCJ02");
                           NULL only for a table without geometry */
    int crs_geographic; /* 1 when the source CRS is geographic (lon/lat degrees) */
    int crs_epsg;       /* EPSG code of the CRS when known, else 0 */
    size_t n;           /* features */
    int64_t *fid;       /* [n] GDAL feature id; rasters: row * width + column */
    char **id;          /* [n] id_field value as text, or the fid as text */
    char **name;        /* [n] NULL when no name_field; entries may be NULL */
    size_t n_num, n_str;
    double **num;    /* [n_num][n]; NAN = null (when allowed) */
    char ***str;     /* [n_str][n], entries may be NULL; all NULL for a missing column, or
                        str[k] itself NULL after cc_layer_drop_empty_text */
    double *rep_x;   /* [n] one representative point per feature: the point itself (first of a */
    double *rep_y;   /* multipoint), an interior point of the largest polygon, the middle vertex
                        (index (k-1)/2 of k) of the longest line part; raster: cell centre */
    cc_geomcol geom; /* kind is always set; arrays only when want_geometry (NULL otherwise) */
    double cell_w, cell_h; /* rasters: cell size in source units; 0 for vectors */
    double extent[4];      /* minx, miny, maxx, maxy of what was read, in the source CRS */
} cc_layer;

/**
 * Read one vector layer. On success *out is a new layer (caller destroys it); on failure
 * *out is NULL and the context holds a one-line message naming the file and the feature
 * (fid), CSV line or spreadsheet row. Validates existence and readability of the file, layer
 * name, `where`, CRS presence, field names (ASCII case-insensitive, suggesting the most
 * similar), numbers (parsed from the file's text where a typed column would cut them; NaN,
 * text and magnitudes over 1e15 refused), non-empty ids, UTF-8 text (GBK passing as UTF-8 in
 * an undeclared Shapefile refused),
 * coordinate finiteness and range (geographic CRS: swapped lat/lon), geometry kind.
 * Coordinate-column sources without CRS and without crs_override are taken as EPSG:4326 when
 * every coordinate lies within lon/lat range (logged); otherwise they need crs_override.
 */
cc_status cc_io_read_vector(cc_ctx *ctx, const cc_vector_request *req, cc_layer **out);

/** Which rasters to read; all paths must share one grid (size, geotransform, CRS). */
typedef struct cc_raster_request {
    const char *const *paths;
    size_t n_paths;
    int band;                 /* 1-based; 0 = 1 */
    const char *crs_override; /* as for vectors */
    const char *role;
} cc_raster_request;

/**
 * Read raster cells as point features: one feature per cell whose summed value is > 0
 * (nodata, NaN, infinities and values <= 0 count as 0 in each file), rep_x/rep_y = cell
 * centre, num[0] = summed value, fid = row * width + column, features in row-major order.
 * geom.kind is CC_GEOM_NONE (cell squares follow from cell_w/cell_h). Several paths are
 * summed cell by cell and must share size, geotransform and CRS (error naming both files).
 * Rotated geotransforms are refused.
 */
cc_status cc_io_read_raster_cells(cc_ctx *ctx, const cc_raster_request *req, cc_layer **out);

/**
 * *is_raster = 1 if the path is a raster source, 0 if it has vector layers. A file that a
 * vector driver recognises is opened as a vector dataset first (a CSV of points on a regular
 * grid is a table, not the raster GDAL's XYZ driver would make of it); rasters only otherwise.
 * Sources with coordinate columns need no probing: they are tables (cc_io_read_vector).
 */
cc_status cc_io_source_kind(cc_ctx *ctx, const char *path, int *is_raster);

/** Free a layer and everything it owns. Accepts NULL. */
void cc_layer_destroy(cc_layer *layer);
/** Free what a layer holds per feature besides its geometry (fids, ids, names, number and
 *  text fields, representative points), keeping n, the geometry and the source's
 *  description: for a big layer whose attributes have been read into something else (the
 *  road network into its graphs). The freed arrays are NULL afterwards. */
void cc_layer_drop_attributes(cc_layer *layer);
/** Free each text column that holds no value (missing from the source, or null in every
 *  feature): its str[k] becomes NULL. A road layer's eight tag columns take 8 bytes per line
 *  each, most of them empty outside OSM. */
void cc_layer_drop_empty_text(cc_layer *layer);

/**
 * Append a human-readable description of any GDAL-readable file to out (for `carecircle
 * info`): driver, per layer the geometry type, CRS (name and EPSG code when known), feature
 * count, fields with types and extent; for rasters size, bands, data type, nodata,
 * geotransform, CRS and extent. Numbers are locale-independent.
 */
cc_status cc_io_info(cc_ctx *ctx, const char *path, cc_buf *out);

typedef enum cc_field_type { CC_FIELD_INT, CC_FIELD_REAL, CC_FIELD_STRING } cc_field_type;

/** One output column: values is int64_t[n], double[n] (NAN = null) or const char *[n] (NULL =
 * null). */
typedef struct cc_out_field {
    const char *name;
    cc_field_type type;
    const void *values;
} cc_out_field;

/**
 * Write n_features features as one layer through GDAL (driver "GPKG", "GeoJSON", or any
 * GDAL vector driver that can create files). append = 0 creates the file (replacing an
 * existing one); append = 1 adds a layer to an existing file (error if the layer exists).
 * crs is any user input GDAL understands ("EPSG:4326"), NULL = none; geom may be NULL (or kind
 * CC_GEOM_NONE) for a table without geometry; its coordinates must be in crs with x = easting
 * / longitude. A feature with several outer parts is written as a multi-geometry (and then
 * the layer type is multi). Polygon rings that are not closed are closed. GeoJSON in
 * EPSG:4326 is written as RFC 7946. On failure a file this call created is removed.
 */
cc_status cc_io_write_layer(cc_ctx *ctx, const char *path, const char *driver,
                            const char *layer_name, int append, const char *crs,
                            const cc_geomcol *geom, size_t n_features, const cc_out_field *fields,
                            size_t n_fields);

/**
 * A vector file being written: several layers (and, in a GeoPackage, their QGIS styles)
 * through one open dataset, which is much faster than reopening the file per layer.
 * cc_io_write_layer is open + one layer + close.
 */
typedef struct cc_io_writer cc_io_writer;

/**
 * Start writing path with a GDAL vector driver ("GPKG", "GeoJSON", ...): append = 0 creates the
 * file (replacing an existing one), append = 1 opens an existing file to add layers. A
 * GeoPackage this call creates is written without waiting for the disk at each commit (it is
 * removed on failure and synced once by cc_io_writer_close), and its bytes depend on its
 * content only: every date in it (gpkg_contents.last_change, layer_styles.update_time) is
 * cc_io_gpkg_date's, and the thread count changes nothing. Finish with cc_io_writer_close,
 * or cc_io_writer_discard after a failure.
 */
cc_status cc_io_writer_open(cc_ctx *ctx, const char *path, const char *driver, int append,
                            cc_io_writer **out);

/**
 * Add one layer, as cc_io_write_layer describes (error if the layer exists). In a GeoPackage
 * every layer with geometry gets its spatial index (gpkg_rtree_index, bulk-loaded: the same
 * entries GDAL would make), and in a GeoPackage the writer created, a layer of 65,536 features
 * or more is written in two parts, the second one through a temporary file "<path>-part" that
 * is always removed: by a second thread when the context allows more than one
 * (cc_ctx_thread_count >= 2), else first on this one, so that the file gets the same bytes
 * either way.
 * On failure the layer's features are rolled back; the writer should then be discarded.
 */
cc_status cc_io_writer_add_layer(cc_ctx *ctx, cc_io_writer *w, const char *layer_name,
                                 const char *crs, const cc_geomcol *geom, size_t n_features,
                                 const cc_out_field *fields, size_t n_fields);

/** cc_io_gpkg_add_style on the writer's GeoPackage (error for other formats). */
cc_status cc_io_writer_add_style(cc_ctx *ctx, cc_io_writer *w, const char *layer,
                                 const char *style_name, const char *qml, int use_as_default);

/**
 * Close the file and free the writer. On failure (e.g. a full disk) the error is on the
 * context, and a file the writer created is removed. Accepts NULL.
 */
cc_status cc_io_writer_close(cc_ctx *ctx, cc_io_writer *w);

/** Close and free the writer, removing the file if the writer created it. Accepts NULL. */
void cc_io_writer_discard(cc_io_writer *w);

/* ---- the workbook ---- */

/** One sheet of a workbook: a name and its table as CSV text. */
typedef struct cc_sheet {
    const char *name; /**< sheet name: 1 to 31 characters (UTF-8), none of []:*?/\ */
    const char *csv;  /**< the table as written to its CSV file (RFC 4180, header line first; a
                           leading UTF-8 byte-order mark is skipped) */
    size_t csv_len;   /**< bytes of csv */
    /** Header label of a CSV column (e.g. Chinese); NULL or "" keeps the column name. May be
     * NULL. Called once per column with header_arg. */
    const char *(*header)(const char *column, void *header_arg);
    void *header_arg;
} cc_sheet;

/**
 * Write the n sheets as one .xlsx workbook at path (replaced; removed again on failure)
 * through GDAL's XLSX driver. Numbers are numbers: a column whose every non-empty cell is a
 * number as the tables write them (-?digits, optional .digits and exponent; no leading zero,
 * sign '+', blank or separator) is numeric: whole numbers of up to 15 digits with no empty cell
 * give an integer column, the others a real one with empty cells left empty. Every other
 * column is text, and so is an identifier column (named `id` or ending in `_id`), so "007"
 * and "420111" stay as written. A malformed table (a quote left open, a line with more fields
 * than the header) is CC_ERR_INVALID. Not thread-safe with other GDAL writes to the same path.
 */
cc_status cc_io_write_workbook(cc_ctx *ctx, const char *path, const cc_sheet *sheets, size_t n);

/** Size of a GeoPackage date "YYYY-MM-DDTHH:MM:SS.sssZ" with its terminating NUL. */
#define CC_IO_DATE_SIZE 25

/**
 * The date stamped into every GeoPackage a cc_io_writer creates, so that the same content
 * gives the same bytes: the time in the environment variable SOURCE_DATE_EPOCH (whole seconds
 * since 1970-01-01 UTC, the reproducible-builds convention) when it is set and not empty, else
 * the fixed 2000-01-01T00:00:00.000Z. Written to out as "YYYY-MM-DDTHH:MM:SS.000Z" (UTC). Returns 0, or
 * -1 when SOURCE_DATE_EPOCH is set but is not such a number up to year 9999 (out then holds
 * the fixed date).
 */
int cc_io_gpkg_date(char out[CC_IO_DATE_SIZE]);

/**
 * Store a QGIS layer style in a GeoPackage's `layer_styles` table, the table QGIS itself
 * writes when a style is saved "in the database" and reads when a layer is opened: columns
 * id, f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML,
 * styleSLD, useAsDefault, description, owner, ui, update_time. The table is created when
 * missing (a non-spatial 'attributes' table registered in gpkg_contents). The row names
 * `layer` and its geometry column, with empty catalog and schema (what QGIS matches on).
 * A row for the same layer and style_name is replaced; use_as_default = 1 makes this row the
 * only default of the layer (QGIS then loads it when the layer is opened).
 * style_name is at most 30 characters (QGIS's column width); qml is the QGIS style XML text
 * (e.g. from cc_report_qml_*). The file must exist and hold `layer` (error lists the
 * layers). Not for concurrent use on the same file.
 */
cc_status cc_io_gpkg_add_style(cc_ctx *ctx, const char *gpkg_path, const char *layer,
                               const char *style_name, const char *qml, int use_as_default);

#ifdef __cplusplus
}
#endif
#endif
