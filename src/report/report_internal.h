/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers of the writers (src/report): buffered output, GeoJSON pieces, site text.
 */
#ifndef CC_REPORT_INTERNAL_H
#define CC_REPORT_INTERNAL_H

#include "carecircle/report.h"
#include "carecircle/study.h"

#include <stdio.h>

/* The text columns of site k of a siting run (sites.csv, sites.geojson, the bundle). */
typedef struct cc__site_text {
    char groups[256], reason[600], scale[64];
    const char *type; /* the type's name, or its scenario label with siting.labels: zh */
    const char *district;
    const char *method; /* "exact", "greedy" or "p_median" */
} cc__site_text;
void cc__site_row(const cc_study *st, const cc_siting_run *s, size_t k, cc__site_text *r);
/* sites_units.c: a block with a unit objective (arg: its cc_siting_run): the units each
   site brings into coverage (units), or each unit without a facility and its best site
   (each_unit). */
cc_status cc__sites_units_csv(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp);
cc_status cc__sites_units_geojson(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp);
cc_status cc__summary_siting_more(cc_tw *w, const cc_study *st);
/* A style text (rc: the status of making it) written to fp; frees text (areas.c). */
cc_status cc__put_text(cc_ctx *ctx, FILE *fp, cc_status rc, char *text);

/* A district's name for tables (areas_csv.c): its id when it has no name; n_districts and
   n_districts + 1 are "(outside every district)" and "(whole study area)". */
const char *cc__district_label(const cc_study *st, size_t d);
/* 1 when target t counts registered (户籍) people but its denominator group does not declare
   `basis: registered`: its verdict is flagged as computed on another count (areas_csv.c). */
int cc__registered_caveat(const cc_study *st, const cc_target *t);
/* Output helpers (tables.c). */
/* GeoJSON pieces on a text writer (cc_tw, JSON mode): the collection's opening; a feature's
   opening up to its "geometry" key (the geometry comes next; index 0 is the first feature); a
   point feature up to its open "properties" object; the feature's end (closes properties and
   the feature); the collection's end. */
cc_status cc__gj_begin(cc_tw *w, const char *name, const cc_study *st);
cc_status cc__gj_feature(cc_tw *w, size_t index, const char *id);
cc_status cc__gj_point(cc_tw *w, size_t index, const char *id, double lon, double lat);
cc_status cc__gj_feature_end(cc_tw *w);
cc_status cc__gj_end(cc_tw *w);
/* Geometry of polygon feature i of a column as a MultiPolygon (null when it has no rings). */
void cc__gj_polygon(cc_tw *w, const size_t *fp, const size_t *pc, const unsigned char *hole,
                    const double *x, const double *y, size_t i);
/* A unit's status for maps (units_<level>.geojson, the GeoPackage, the QGIS project): "covered"
   when every facility type whose served groups have people in unit d covers it, "not_covered"
   when one does not (types_not_covered > 0), "no_people" when no type has anyone there. */
const char *cc__unit_status(const cc_study *st, const cc_unit_layer *u, size_t d);
/* units_<level>.csv, .geojson and .qml per level of `units:`, unit_coverage.csv (units.c) */
cc_status cc__write_units(cc_ctx *ctx, const cc_study *st, cc_outset *out);

/* Estate i's failed rules, "id; id" (estates.c); its age "new", "old" or NULL when unknown. */
const char *cc__estate_failed_rules(const cc_estate_layer *e, size_t i, char *buf, size_t cap);
const char *cc__estate_age(const cc_estate_layer *e, size_t i);

/* The area tables (areas_csv.c): districts.csv, targets.csv, curve.csv, sensitivity.csv. */
cc_status cc__districts_csv(cc_ctx *ctx, const cc_study *st, FILE *fp);
cc_status cc__targets_csv(cc_ctx *ctx, const cc_study *st, FILE *fp);
cc_status cc__curve_csv(cc_ctx *ctx, const cc_study *st, FILE *fp);
cc_status cc__sensitivity_csv(cc_ctx *ctx, const cc_study *st, FILE *fp);

/* The siting block of summary.json, a member of its top-level object (sites.c). */
cc_status cc__summary_siting(cc_tw *w, const cc_study *st);

/* Colours (palette.c): facility type t (scenario order; repeats after 7) and reason code
 * (grey outside 0 .. CC_REASON_COUNT-1), as 0-255 RGB. */
void cc__palette_type(size_t t, int rgb[3]);
void cc__palette_reason(int reason, int rgb[3]);
/* The study's facility types for the per-type styles (*out: a new array of n_types, cc_free;
 * the strings are the scenario's). */
cc_status cc__qml_types(cc_ctx *ctx, const cc_study *st, cc_qml_type **out);
/* XML text, escaped, control characters (C0, DEL, C1) as U+FFFD (qml.c). */
cc_status cc__put_xml(cc_ctx *ctx, cc_buf *b, const char *s);
/* A single-symbol marker style (sites): shape ("star"), colour "r,g,b,a", size in mm (qml.c). */
cc_status cc__qml_marker(cc_ctx *ctx, const char *shape, const char *color, const char *size,
                         char **out_text);

#endif
