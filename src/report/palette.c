/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One table of the reason codes (name, English and Chinese label, colour) and one of the
 * facility-type colours, for every writer: report.html, the QML styles, the GeoPackage and
 * the tables. Colours are ColorBrewer schemes by Cynthia A. Brewer, Pennsylvania State
 * University (colorbrewer2.org, Apache License 2.0): Set2 for the reasons, Dark2 for the
 * facility types (its first two colours swapped, as report.html has always drawn them), then
 * five dark colours of Paired, PRGn and BrBG so that twelve types differ. The QGIS styles, the
 * QGIS project and the report use these, so a type or a reason has one colour in every client.
 */
#include "core/internal.h"
#include "report_internal.h"

static const cc_reason_style REASONS[CC_REASON_COUNT] = {
    {"covered", "covered", "已覆盖", "#66c2a5", {102, 194, 165}},
    {"over_capacity", "facilities over capacity", "设施满员", "#8da0cb", {141, 160, 203}},
    {"no_facility_in_reach", "no facility in reach", "可达范围内无设施", "#fc8d62", {252, 141, 98}},
    {"network_detour",
     "network detour (close, but far by path)",
     "路网绕行（直线近，路程远）",
     "#e78ac3",
     {231, 138, 195}},
    {"off_network", "far from the network", "远离路网", "#a6d854", {166, 216, 84}},
    {"island", "on a network island", "位于路网孤岛", "#ffd92f", {255, 217, 47}},
};
/* Any other value (an unknown code, no reason). */
static const cc_reason_style OTHER = {"", "other", "其他", "#a0a0a0", {160, 160, 160}};

/* ColorBrewer Dark2 without its grey (7 colours: grey is the "other" reason), the first two
   swapped; then Paired's dark blue, PRGn's dark purple, BrBG's dark teal, Paired's dark green
   and PiYG's dark pink (12 in all; a 13th type takes the first colour again). */
static const struct {
    const char *hex;
    unsigned char rgb[3];
} TYPES[] = {
    {"#d95f02", {217, 95, 2}},   {"#1b9e77", {27, 158, 119}},  {"#7570b3", {117, 112, 179}},
    {"#e7298a", {231, 41, 138}}, {"#66a61e", {102, 166, 30}},  {"#e6ab02", {230, 171, 2}},
    {"#a6761d", {166, 118, 29}},  {"#1f78b4", {31, 120, 180}},  {"#762a83", {118, 42, 131}},
    {"#01665e", {1, 102, 94}},    {"#33a02c", {51, 160, 44}},   {"#c51b7d", {197, 27, 125}},
};
#define N_TYPES (sizeof TYPES / sizeof TYPES[0])

const cc_reason_style *cc_report_reason_style(int reason)
{
    return reason >= 0 && reason < CC_REASON_COUNT ? &REASONS[reason] : &OTHER;
}

const char *cc_report_type_color(size_t type_index, unsigned char rgb[3])
{
    size_t k = type_index % N_TYPES;
    if (rgb)
        for (int i = 0; i < 3; i++)
            rgb[i] = TYPES[k].rgb[i];
    return TYPES[k].hex;
}

size_t cc_report_type_colors(void)
{
    return N_TYPES;
}

/* The same colours as 0-255 ints for the QML and project writers (report_internal.h). */
void cc__palette_type(size_t t, int rgb[3])
{
    unsigned char c[3];
    cc_report_type_color(t, c);
    for (int i = 0; i < 3; i++)
        rgb[i] = c[i];
}

void cc__palette_reason(int reason, int rgb[3])
{
    const cc_reason_style *s = cc_report_reason_style(reason);
    for (int i = 0; i < 3; i++)
        rgb[i] = s->rgb[i];
}

cc_status cc__qml_types(cc_ctx *ctx, const cc_study *st, cc_qml_type **out)
{
    *out = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof **out);
    if (!*out) return CC_ERR_NOMEM;
    for (size_t t = 0; t < st->n_types; t++) {
        const char *label = st->fac[t].spec->label;
        (*out)[t].name = st->fac[t].spec->name;
        (*out)[t].label = label && *label ? label : NULL;
    }
    return CC_OK;
}
