/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.html's variants section (html_variants.c) and the map layers beyond the first ones
 * (html_access.c: street network, access surface, the variants' facilities), called from
 * html.c's SECTIONS and html_map.c's map of each type.
 */
#ifndef CC_REPORT_HTML_LAYERS_H
#define CC_REPORT_HTML_LAYERS_H

#include "html_internal.h"

/* The variants section (baseline pages of a run with variants; nothing otherwise). */
cc_status cc__h_variants(cc_tw *w, const cc_study *st);

/* The estates section (runs with `estates:`; nothing otherwise), html_estates.c. */
cc_status cc__h_estates(cc_tw *w, const cc_study *st);

/* The map of type t: the layers under the others (street network, access surface), the
   layers on top (the variants' added and removed facilities), and their legend entries (inside
   the map's <ul class="legend">) with the notes after it. */
cc_status cc__h_layers_under(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_layers_over(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_layers_legend(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_layers_notes(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);

/* Limits of the map layers: street line vertices and access cells drawn per map. */
enum { CC__MAX_STREET_PTS = 30000, CC__MAX_ACCESS_CELLS = 20000 };

#endif
