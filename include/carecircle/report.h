/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle report: what the run hands to people. This header holds the QGIS layer styles
 * (.qml files written next to each GeoJSON and stored in the GeoPackage's layer_styles table);
 * tables and the HTML report add their functions here.
 *
 * QML text is QGIS 3 style XML (<qgis version="3.22" styleCategories="Symbology"> with one
 * renderer-v2). Field names come from user data: they are quoted as QGIS expression column
 * references and XML-escaped. Every function is pure (no I/O, no shared state): thread-safe.
 */
#ifndef CARECIRCLE_REPORT_H
#define CARECIRCLE_REPORT_H

#include "carecircle/core.h"
#include "carecircle/io.h"
#include "carecircle/study.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Geometry of the layer a style is for (it picks marker, line or fill symbols). */
typedef enum cc_qml_geom { CC_QML_POINT = 0, CC_QML_LINE = 1, CC_QML_POLYGON = 2 } cc_qml_geom;

/**
 * Travel minutes (e.g. demand.geojson's `t_<type>_min`), rule-based so that null gets its own
 * class: 0-5, 5-10, 10-15, 15-20, 20-30 and > 30 minutes (each class holds its upper bound, so
 * exactly 15 is in 10-15), coloured green to red (ColorBrewer RdYlGn), null grey
 * ("unreachable"). *out_text is a new NUL-terminated string (cc_free). A field name that is
 * empty, not UTF-8 or holds control characters is CC_ERR_INVALID.
 */
cc_status cc_report_qml_minutes(cc_ctx *ctx, const char *field, cc_qml_geom geom, char **out_text);

/**
 * Underserved-area polygons categorised by the reason code in `field` (e.g. a dominant-reason
 * column): no_facility_in_reach, over_capacity, network_detour, off_network, island, covered,
 * and every other value grey. Fill symbols.
 */
cc_status cc_report_qml_reasons(cc_ctx *ctx, const char *field, char **out_text);

/**
 * Service areas (catchments.geojson): one semi-transparent fill (colour alpha 0.3) with a thin
 * darker outline, so overlapping catchments stay readable. *out_text as above.
 */
cc_status cc_report_qml_catchments(cc_ctx *ctx, char **out_text);

/**
 * Districts categorised by the target status in `field`: "met" green, "not_met" red,
 * "partial_area" (a district the study area only clips: no verdict) light grey, any other
 * value (no target, no data) grey. Fill symbols.
 */
cc_status cc_report_qml_districts(cc_ctx *ctx, const char *field, char **out_text);
/** Estates coloured by `field` (estates.geojson "status"): compliant, not_compliant,
    not_assessable, not_applicable. */
cc_status cc_report_qml_estates(cc_ctx *ctx, const char *field, char **out_text);

/**
 * Statistical units (units_<level>.geojson) categorised by the status in `field`: "covered"
 * green (every facility type with people there covers the unit), "not_covered" red,
 * "no_people" light grey, any other value grey. Fill symbols.
 */
cc_status cc_report_qml_units(cc_ctx *ctx, const char *field, char **out_text);

/**
 * Label of a column of the run's tables (coverage.csv, districts.csv, targets.csv, sites.csv,
 * comparison.csv) for people: readable English (zh = 0, "Population") or Chinese (zh = 1,
 * "人口"). NULL for a column the table does not know. Static strings: thread-safe.
 */
const char *cc_report_column_label(const char *column, int zh);

/* ---- One palette for every output (palette.c) ---- */
/** A reason code's text and colour: name (as cc_reason_name, the value in the outputs),
 * English and Chinese labels, colour as "#rrggbb" and as RGB. */
typedef struct cc_reason_style {
    const char *name, *label_en, *label_zh, *hex;
    unsigned char rgb[3];
} cc_reason_style;
/** The style of a cc_reason; any other value gets the grey "other" entry (name ""). Static
 * data: thread-safe. */
const cc_reason_style *cc_report_reason_style(int reason);
/** The colour of facility type type_index ("#rrggbb"; RGB into rgb when not NULL): distinct
 * for the first cc_report_type_colors() types, then repeating. ColorBrewer Dark2. */
const char *cc_report_type_color(size_t type_index, unsigned char rgb[3]);
size_t cc_report_type_colors(void);

/** A facility type as the per-type styles show it: `name` is the value of the layer's
 *  `facility_type` field, `label` the legend text (NULL: the name). The type's colour is its
 *  place in the list (the writers' palette, ColorBrewer Dark2). */
typedef struct cc_qml_type {
    const char *name, *label;
} cc_qml_type;

/**
 * Underserved areas (underserved.geojson: one feature per type and reason), rule-based: one
 * rule per type (`"facility_type" = '<name>'`, legend = its label) holding one rule per reason
 * (`"reason" = '<code>'`): filled in the reason's colour (ColorBrewer Set2, alpha 0.75),
 * outlined 0.8 mm in the type's colour, so each type's gaps stay apart where they overlap.
 */
cc_status cc_report_qml_underserved(cc_ctx *ctx, const cc_qml_type *types, size_t n_types,
                                    char **out_text);

/**
 * A layer categorised by `facility_type`, one category per type in its colour: points as 3 mm
 * squares (facilities), polygons as a translucent fill (alpha 0.3) with an outline in the
 * same colour (catchments). geom: CC_QML_POINT or CC_QML_POLYGON.
 */
cc_status cc_report_qml_types(cc_ctx *ctx, const cc_qml_type *types, size_t n_types,
                              cc_qml_geom geom, char **out_text);

/*
 * Writers of a run (internal names: the pipeline's write stage calls them in order). Each writes
 * its file(s) into the output set from the result tables of carecircle/study.h.
 */
/* Write one output file `name` of the set with fn (begin, fn, end; the file appears on publish). */
typedef cc_status (*cc__writer_fn)(cc_ctx *, const cc_study *, FILE *);
cc_status cc__write_one(cc_ctx *ctx, const cc_study *st, cc_outset *out, const char *name,
                        cc__writer_fn fn);
/* The same for a writer of one part of the study (arg: a unit level, ...). */
typedef cc_status (*cc__writer_arg_fn)(cc_ctx *, const cc_study *, const void *arg, FILE *);
cc_status cc__write_one_arg(cc_ctx *ctx, const cc_study *st, cc_outset *out, const char *name,
                            cc__writer_arg_fn fn, const void *arg);
cc_status cc__write_coverage(cc_ctx *ctx, const cc_study *st, cc_outset *out); /* coverage.csv */
cc_status cc__write_demand(cc_ctx *ctx, const cc_study *st, cc_outset *out);   /* demand.geojson */
cc_status cc__write_summary(cc_ctx *ctx, const cc_study *st, cc_outset *out);  /* summary.json */
cc_status cc__write_areas(cc_ctx *ctx, const cc_study *st, cc_outset *out);
cc_status cc__write_sites(cc_ctx *ctx, const cc_study *st, cc_outset *out);
/* capacities.csv (src/report/capacities.c); nothing when the study has no capacity rows */
cc_status cc__write_capacities(cc_ctx *ctx, const cc_study *st, cc_outset *out);
/* service_groups.csv (src/report/service_groups.c); nothing without service_groups */
cc_status cc__write_service_groups(cc_ctx *ctx, const cc_study *st, cc_outset *out);
/* colocation.csv (src/report/colocation.c); nothing without colocation */
cc_status cc__write_colocation(cc_ctx *ctx, const cc_study *st, cc_outset *out);
/* estates.csv, estates_summary.csv, estates.geojson, estates.qml (src/report/estates.c);
   nothing without estates */
cc_status cc__write_estates(cc_ctx *ctx, const cc_study *st, cc_outset *out);
cc_status cc__write_report(cc_ctx *ctx, const cc_study *st, cc_outset *out);
cc_status cc__write_bundle(cc_ctx *ctx, const cc_study *st, cc_outset *out);
/* The UTF-8 byte-order mark every CSV starts with unless outputs.csv_bom is off. */
#define CC_UTF8_BOM "\xEF\xBB\xBF"
/* 1 when output `name` is a CSV that gets the byte-order mark in this scenario. */
int cc__csv_bom(const cc_scenario *sc, const char *name);
/* comparison.csv: the rows of st->vres (the baseline's variants), formatted. */
cc_status cc__write_comparison(cc_ctx *ctx, const cc_study *st, cc_outset *out);
/* carecircle.qgs (qgs.c); variant_dirs: NULL, or per variant of st->sc its folder relative to
   the output folder (variants/<slug>), whose carecircle.gpkg the project shows too. */
cc_status cc__write_qgs(cc_ctx *ctx, const cc_study *st, cc_outset *out,
                        const char *const *variant_dirs);

/**
 * The QGIS project (carecircle.qgs) of a study as text: every layer of carecircle.gpkg,
 * styled with the QML above, grouped per facility type, then demand and districts, then one
 * group of the variants' underserved areas (variant_dirs as for cc__write_qgs). Relative
 * paths, shown in EPSG:3857, Chinese layer names with siting.labels zh. *out_text: cc_free.
 */
cc_status cc_report_qgs(cc_ctx *ctx, const cc_study *st, const char *const *variant_dirs,
                        char **out_text);
/* The text of `carecircle check` from the study it loaded and what it read beyond (check.c). */
cc_status cc__check_text(cc_ctx *ctx, const cc_check *c, cc_buf *report);

#ifdef __cplusplus
}
#endif
#endif
