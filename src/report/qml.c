/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QGIS layer styles (.qml): the text of a QGIS 3 style file holding one renderer-v2 for the
 * layers carecircle writes (travel minutes, underserved areas by reason, catchments,
 * districts by target status). Symbol layer properties are written both as <Option> maps
 * (read by QGIS >= 3.10) and as legacy <prop k v> pairs (read by older 3.x), the way QGIS 3.22
 * itself writes them. Colours: ColorBrewer (Cynthia Brewer, colorbrewer2.org) RdYlGn and Set2.
 */
#include "carecircle/report.h"
#include "report_internal.h"

#include <string.h>

/* XML text with &, <, >, " and ' escaped (for attribute values and text); a control
 * character (C0, DEL, C1), which XML 1.0 cannot hold or a reader would choke on, becomes
 * U+FFFD. Shared with qgs.c (report_internal.h). */
cc_status cc__put_xml(cc_ctx *ctx, cc_buf *b, const char *s)
{
    cc_status st = CC_OK;
    for (; !st && *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *e = c == '&'    ? "&amp;"
                        : c == '<'  ? "&lt;"
                        : c == '>'  ? "&gt;"
                        : c == '"'  ? "&quot;"
                        : c == '\'' ? "&apos;"
                        : c < 0x20 || c == 0x7f ? "\xEF\xBF\xBD"
                                                : NULL;
        if (c == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F) {
            e = "\xEF\xBF\xBD";
            s++;
        }
        st = e ? cc_buf_puts(ctx, b, e) : cc_buf_putc(ctx, b, *s);
    }
    return st;
}
#define put_xml cc__put_xml

/* A QGIS expression column reference: "name" with embedded quotes doubled, XML-escaped. */
static cc_status put_column(cc_ctx *ctx, cc_buf *b, const char *field)
{
    cc_status st = put_xml(ctx, b, "\"");
    for (const char *s = field; !st && *s; s++) {
        char one[2] = {*s, '\0'};
        st = put_xml(ctx, b, *s == '"' ? "\"\"" : one);
    }
    return st ? st : put_xml(ctx, b, "\"");
}

/* The field must be usable in XML: non-empty, valid UTF-8, no control characters. */
static cc_status check_field(cc_ctx *ctx, const char *what, const char *field)
{
    if (!field || !*field)
        return cc_error(ctx, CC_ERR_INVALID, "QGIS style for %s: the field name is empty", what);
    const unsigned char *s = (const unsigned char *)field;
    for (size_t i = 0; s[i];) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        int ok = len > 0 && c >= 0x20 && c != 0x7f;
        for (size_t k = 1; ok && k < len; k++)
            ok = (s[i + k] & 0xc0) == 0x80;
        if (!ok)
            return cc_error(ctx, CC_ERR_INVALID,
                            "QGIS style for %s: field name has a control character or invalid "
                            "UTF-8 at byte %zu; rename the field",
                            what, i);
        i += len;
    }
    return CC_OK;
}

typedef struct rgba {
    int r, g, b, a;
} rgba;

/* One property as an <Option> entry and as a legacy <prop>. */
typedef struct prop {
    const char *k, *v;
} prop;

/* A <symbol> with one symbol layer. name: the symbol's index in the renderer. */
static cc_status put_symbol_ex(cc_ctx *ctx, cc_buf *b, cc_qml_geom geom, const char *name,
                               rgba fill, rgba outline, double alpha, const char *shape,
                               const char *size, const char *width);
static cc_status put_symbol(cc_ctx *ctx, cc_buf *b, cc_qml_geom geom, const char *name, rgba fill,
                            rgba outline, double alpha)
{
    return put_symbol_ex(ctx, b, geom, name, fill, outline, alpha, NULL, NULL, NULL);
}

/* shape, size: the marker's shape and size in mm (NULL: a 2 mm circle); width: the fill's
 * outline width in mm (NULL: 0.26). */
static cc_status put_symbol_ex(cc_ctx *ctx, cc_buf *b, cc_qml_geom geom, const char *name,
                               rgba fill, rgba outline, double alpha, const char *shape,
                               const char *size, const char *width)
{
    static const char *type[] = {"marker", "line", "fill"};
    static const char *cls[] = {"SimpleMarker", "SimpleLine", "SimpleFill"};
    char fc[48], oc[48], al[48];
    cc_snprintf(fc, sizeof fc, "%d,%d,%d,%d", fill.r, fill.g, fill.b, fill.a);
    cc_snprintf(oc, sizeof oc, "%d,%d,%d,%d", outline.r, outline.g, outline.b, outline.a);
    cc_fmt_double(al, sizeof al, alpha, 3);
    prop marker[] = {
        {"name", shape ? shape : "circle"},
        {"color", fc},
        {"outline_color", oc},
        {"outline_style", "solid"},
        {"outline_width", "0.2"},
        {"size", size ? size : "2"},
        {"size_unit", "MM"}};
    prop line[] = {{"line_color", fc},
                   {"line_style", "solid"},
                   {"line_width", "0.6"},
                   {"line_width_unit", "MM"}};
    prop fillp[] = {{"color", fc},
                    {"style", "solid"},
                    {"outline_color", oc},
                    {"outline_style", "solid"},
                    {"outline_width", width ? width : "0.26"},
                    {"outline_width_unit", "MM"}};
    const prop *props = geom == CC_QML_POINT ? marker : geom == CC_QML_LINE ? line : fillp;
    size_t np = geom == CC_QML_POINT  ? sizeof marker / sizeof *marker
                : geom == CC_QML_LINE ? sizeof line / sizeof *line
                                      : sizeof fillp / sizeof *fillp;
    cc_status st = cc_buf_puts(ctx, b, "      <symbol type=\"");
    if (!st) st = cc_buf_puts(ctx, b, type[geom]);
    if (!st) st = cc_buf_puts(ctx, b, "\" name=\"");
    if (!st) st = put_xml(ctx, b, name);
    if (!st) st = cc_buf_puts(ctx, b, "\" alpha=\"");
    if (!st) st = cc_buf_puts(ctx, b, al);
    if (!st)
        st = cc_buf_puts(ctx, b,
                         "\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                         "        <layer class=\"");
    if (!st) st = cc_buf_puts(ctx, b, cls[geom]);
    if (!st)
        st = cc_buf_puts(ctx, b,
                         "\" enabled=\"1\" pass=\"0\" locked=\"0\">\n"
                         "          <Option type=\"Map\">\n");
    for (size_t i = 0; !st && i < np; i++) {
        st = cc_buf_puts(ctx, b, "            <Option type=\"QString\" name=\"");
        if (!st) st = cc_buf_puts(ctx, b, props[i].k);
        if (!st) st = cc_buf_puts(ctx, b, "\" value=\"");
        if (!st) st = cc_buf_puts(ctx, b, props[i].v);
        if (!st) st = cc_buf_puts(ctx, b, "\"/>\n");
    }
    if (!st) st = cc_buf_puts(ctx, b, "          </Option>\n");
    for (size_t i = 0; !st && i < np; i++) {
        st = cc_buf_puts(ctx, b, "          <prop k=\"");
        if (!st) st = cc_buf_puts(ctx, b, props[i].k);
        if (!st) st = cc_buf_puts(ctx, b, "\" v=\"");
        if (!st) st = cc_buf_puts(ctx, b, props[i].v);
        if (!st) st = cc_buf_puts(ctx, b, "\"/>\n");
    }
    if (!st) st = cc_buf_puts(ctx, b, "        </layer>\n      </symbol>\n");
    return st;
}

static cc_status put_header(cc_ctx *ctx, cc_buf *b)
{
    return cc_buf_puts(ctx, b,
                       "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                       "<qgis version=\"3.22\" styleCategories=\"Symbology\">\n");
}

static cc_status put_footer(cc_ctx *ctx, cc_buf *b)
{
    return cc_buf_puts(ctx, b, "  </renderer-v2>\n</qgis>\n");
}

/* Hand the finished buffer over, or free it on failure. */
static cc_status finish(cc_buf *b, cc_status st, char **out_text)
{
    if (st) {
        cc_buf_free(b);
        return st;
    }
    *out_text = b->s;
    return CC_OK;
}

static const rgba GREY = {160, 160, 160, 255};
static const rgba OUTLINE = {80, 80, 80, 255};

cc_status cc_report_qml_minutes(cc_ctx *ctx, const char *field, cc_qml_geom geom, char **out_text)
{
    /* (lower, upper] minutes; the first class also holds 0, the last has no upper bound. */
    static const int lower[] = {0, 5, 10, 15, 20, 30};
    static const int upper[] = {5, 10, 15, 20, 30, -1};
    static const rgba ramp[] = {{26, 152, 80, 255},   {145, 207, 96, 255}, {217, 239, 139, 255},
                                {254, 224, 139, 255}, {252, 141, 89, 255}, {215, 48, 39, 255}};
    *out_text = NULL;
    cc_status st = check_field(ctx, "travel minutes", field);
    if (st) return st;
    if (geom != CC_QML_POINT && geom != CC_QML_LINE && geom != CC_QML_POLYGON)
        return cc_error(ctx, CC_ERR_INVALID, "QGIS style: unknown geometry kind %d", (int)geom);
    cc_buf b = {0};
    st = put_header(ctx, &b);
    if (!st)
        st = cc_buf_puts(ctx, &b,
                         "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" "
                         "forceraster=\"0\" enableorderby=\"0\">\n"
                         "    <rules key=\"{carecircle-minutes-root}\">\n");
    char tmp[160];
    for (int c = 0; !st && c <= 6; c++) {
        cc_snprintf(tmp, sizeof tmp, "      <rule key=\"{carecircle-minutes-%d}\" symbol=\"%d\" ",
                    c, c);
        st = cc_buf_puts(ctx, &b, tmp);
        if (!st) st = cc_buf_puts(ctx, &b, "filter=\"");
        if (!st) st = put_column(ctx, &b, field);
        if (c == 6) {
            if (!st) st = cc_buf_puts(ctx, &b, " IS NULL\" label=\"unreachable (no time)\"/>\n");
            continue;
        }
        if (c == 0) {
            cc_snprintf(tmp, sizeof tmp, " &gt;= 0 AND ");
        } else {
            cc_snprintf(tmp, sizeof tmp, " &gt; %d", lower[c]);
        }
        if (!st) st = cc_buf_puts(ctx, &b, tmp);
        if (upper[c] >= 0) {
            if (!st && c > 0) st = cc_buf_puts(ctx, &b, " AND ");
            if (!st) st = put_column(ctx, &b, field);
            cc_snprintf(tmp, sizeof tmp, " &lt;= %d\" label=\"%d-%d min\"/>\n", upper[c], lower[c],
                        upper[c]);
        } else {
            cc_snprintf(tmp, sizeof tmp, "\" label=\"&gt; %d min\"/>\n", lower[c]);
        }
        if (!st) st = cc_buf_puts(ctx, &b, tmp);
    }
    if (!st) st = cc_buf_puts(ctx, &b, "    </rules>\n    <symbols>\n");
    for (int c = 0; !st && c <= 6; c++) {
        char name[16];
        cc_snprintf(name, sizeof name, "%d", c);
        st = put_symbol(ctx, &b, geom, name, c < 6 ? ramp[c] : GREY, OUTLINE, 1.0);
    }
    if (!st) st = cc_buf_puts(ctx, &b, "    </symbols>\n");
    if (!st) st = put_footer(ctx, &b);
    return finish(&b, st, out_text);
}

typedef struct category {
    const char *value, *label;
    rgba color;
} category;

/* A categorised fill renderer over `field`; the last category should be the "" fallback. */
static cc_status categorized(cc_ctx *ctx, const char *field, const category *cat, size_t n,
                             double alpha, char **out_text)
{
    cc_buf b = {0};
    cc_status st = put_header(ctx, &b);
    if (!st) st = cc_buf_puts(ctx, &b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"");
    if (!st) st = put_xml(ctx, &b, field);
    if (!st)
        st = cc_buf_puts(ctx, &b,
                         "\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n"
                         "    <categories>\n");
    char tmp[64];
    for (size_t i = 0; !st && i < n; i++) {
        st = cc_buf_puts(ctx, &b, "      <category value=\"");
        if (!st) st = put_xml(ctx, &b, cat[i].value);
        cc_snprintf(tmp, sizeof tmp, "\" symbol=\"%zu\" label=\"", i);
        if (!st) st = cc_buf_puts(ctx, &b, tmp);
        if (!st) st = put_xml(ctx, &b, cat[i].label);
        if (!st) st = cc_buf_puts(ctx, &b, "\" render=\"true\"/>\n");
    }
    if (!st) st = cc_buf_puts(ctx, &b, "    </categories>\n    <symbols>\n");
    for (size_t i = 0; !st && i < n; i++) {
        char name[24];
        cc_snprintf(name, sizeof name, "%zu", i);
        st = put_symbol(ctx, &b, CC_QML_POLYGON, name, cat[i].color, OUTLINE, alpha);
    }
    if (!st) st = cc_buf_puts(ctx, &b, "    </symbols>\n");
    if (!st) st = put_footer(ctx, &b);
    return finish(&b, st, out_text);
}

cc_status cc_report_qml_reasons(cc_ctx *ctx, const char *field, char **out_text)
{
    static const category cat[] = {
        {"no_facility_in_reach", "no facility in reach", {252, 141, 98, 255}},
        {"over_capacity", "facilities over capacity", {141, 160, 203, 255}},
        {"network_detour", "network detour (close, but far by path)", {231, 138, 195, 255}},
        {"off_network", "far from the network", {166, 216, 84, 255}},
        {"island", "on a network island", {255, 217, 47, 255}},
        {"covered", "covered", {102, 194, 165, 255}},
        {"", "other", {160, 160, 160, 255}},
    };
    *out_text = NULL;
    cc_status st = check_field(ctx, "underserved areas", field);
    return st ? st : categorized(ctx, field, cat, sizeof cat / sizeof *cat, 0.8, out_text);
}

cc_status cc_report_qml_districts(cc_ctx *ctx, const char *field, char **out_text)
{
    static const category cat[] = {
        {"met", "target met", {26, 152, 80, 255}},
        {"not_met", "target not met", {215, 48, 39, 255}},
        {"partial_area",
         "only partly in the study area: no district verdict",
         {222, 222, 222, 255}},
        {"", "no target or no data", {160, 160, 160, 255}},
    };
    *out_text = NULL;
    cc_status st = check_field(ctx, "districts", field);
    return st ? st : categorized(ctx, field, cat, sizeof cat / sizeof *cat, 0.6, out_text);
}

cc_status cc_report_qml_units(cc_ctx *ctx, const char *field, char **out_text)
{
    static const category cat[] = {
        {"covered", "every facility type covers the unit", {26, 152, 80, 255}},
        {"not_covered", "some facility type does not cover the unit", {215, 48, 39, 255}},
        {"no_people", "nobody of the served groups", {222, 222, 222, 255}},
        {"", "other", {160, 160, 160, 255}},
    };
    *out_text = NULL;
    cc_status st = check_field(ctx, "units", field);
    return st ? st : categorized(ctx, field, cat, sizeof cat / sizeof *cat, 0.6, out_text);
}

cc_status cc_report_qml_estates(cc_ctx *ctx, const char *field, char **out_text)
{
    static const category cat[] = {
        {"compliant", "meets every estate rule that applies", {26, 152, 80, 255}},
        {"not_compliant", "short of an estate rule", {215, 48, 39, 255}},
        {"not_assessable", "not assessable (a number is missing)", {160, 160, 160, 255}},
        {"", "no rule applies", {222, 222, 222, 255}},
    };
    *out_text = NULL;
    cc_status st = check_field(ctx, "estates", field);
    return st ? st : categorized(ctx, field, cat, sizeof cat / sizeof *cat, 0.6, out_text);
}

cc_status cc_report_qml_catchments(cc_ctx *ctx, char **out_text)
{
    *out_text = NULL;
    cc_buf b = {0};
    cc_status st = put_header(ctx, &b);
    if (!st)
        st = cc_buf_puts(ctx, &b,
                         "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" "
                         "forceraster=\"0\" enableorderby=\"0\">\n    <symbols>\n");
    /* Semi-transparent blue fill (colour alpha 77/255 = 0.3) with an opaque darker outline:
     * overlapping catchments stay readable and the map below shows through. */
    if (!st)
        st = put_symbol(ctx, &b, CC_QML_POLYGON, "0", (rgba){49, 130, 189, 77},
                        (rgba){8, 69, 148, 255}, 1.0);
    if (!st) st = cc_buf_puts(ctx, &b, "    </symbols>\n");
    if (!st) st = put_footer(ctx, &b);
    return finish(&b, st, out_text);
}

/* ---- one colour per facility type (palette.c) ---- */

static rgba type_rgba(size_t t, int alpha)
{
    int c[3];
    cc__palette_type(t, c);
    return (rgba){c[0], c[1], c[2], alpha};
}

/* A QGIS expression string literal: 'text' with single quotes doubled, XML-escaped. */
static cc_status put_literal(cc_ctx *ctx, cc_buf *b, const char *v)
{
    cc_status st = put_xml(ctx, b, "'");
    for (const char *s = v; !st && *s; s++) {
        char one[2] = {*s, '\0'};
        st = put_xml(ctx, b, *s == '\'' ? "''" : one);
    }
    return st ? st : put_xml(ctx, b, "'");
}

/* `"field" = 'value'` as an XML attribute value. */
static cc_status put_equals(cc_ctx *ctx, cc_buf *b, const char *field, const char *value)
{
    cc_status st = put_column(ctx, b, field);
    if (!st) st = cc_buf_puts(ctx, b, " = ");
    return st ? st : put_literal(ctx, b, value);
}

static cc_status check_types(cc_ctx *ctx, const char *what, const cc_qml_type *types, size_t n)
{
    cc_status st = n ? CC_OK
                     : cc_error(ctx, CC_ERR_INVALID, "QGIS style for %s: no facility type", what);
    for (size_t t = 0; !st && t < n; t++)
        st = check_field(ctx, what, types[t].name);
    return st; /* a label is text: written with its control characters replaced */
}

static const char *const REASON_LABEL[CC_REASON_COUNT] = {
    "covered",
    "facilities over capacity",
    "no facility in reach",
    "network detour (close, but far by path)",
    "far from the network",
    "on a network island",
};

cc_status cc_report_qml_underserved(cc_ctx *ctx, const cc_qml_type *types, size_t n_types,
                                    char **out_text)
{
    *out_text = NULL;
    cc_status st = check_types(ctx, "underserved areas", types, n_types);
    if (st) return st;
    cc_buf b = {0};
    st = put_header(ctx, &b);
    if (!st)
        st = cc_buf_puts(ctx, &b,
                         "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" "
                         "forceraster=\"0\" enableorderby=\"0\">\n"
                         "    <rules key=\"{carecircle-underserved-root}\">\n");
    char tmp[160];
    for (size_t t = 0; !st && t < n_types; t++) {
        cc_snprintf(tmp, sizeof tmp, "      <rule key=\"{carecircle-underserved-%zu}\" filter=\"",
                    t);
        st = cc_buf_puts(ctx, &b, tmp);
        if (!st) st = put_equals(ctx, &b, "facility_type", types[t].name);
        if (!st) st = cc_buf_puts(ctx, &b, "\" label=\"");
        if (!st) st = put_xml(ctx, &b, types[t].label ? types[t].label : types[t].name);
        if (!st) st = cc_buf_puts(ctx, &b, "\">\n");
        for (int r = 1; !st && r < CC_REASON_COUNT; r++) {
            cc_snprintf(tmp, sizeof tmp,
                        "        <rule key=\"{carecircle-underserved-%zu-%d}\" symbol=\"%zu\" "
                        "filter=\"",
                        t, r, t * (CC_REASON_COUNT - 1) + (size_t)(r - 1));
            st = cc_buf_puts(ctx, &b, tmp);
            if (!st) st = put_equals(ctx, &b, "reason", cc_reason_name((cc_reason)r));
            if (!st) st = cc_buf_puts(ctx, &b, "\" label=\"");
            if (!st) st = put_xml(ctx, &b, REASON_LABEL[r]);
            if (!st) st = cc_buf_puts(ctx, &b, "\"/>\n");
        }
        if (!st) st = cc_buf_puts(ctx, &b, "      </rule>\n");
    }
    if (!st) st = cc_buf_puts(ctx, &b, "    </rules>\n    <symbols>\n");
    /* Fill: the reason's colour; outline: the type's, wide, so two types stay apart. */
    for (size_t t = 0; !st && t < n_types; t++)
        for (int r = 1; !st && r < CC_REASON_COUNT; r++) {
            char name[48];
            int c[3];
            cc__palette_reason(r, c);
            cc_snprintf(name, sizeof name, "%zu", t * (CC_REASON_COUNT - 1) + (size_t)(r - 1));
            st = put_symbol_ex(ctx, &b, CC_QML_POLYGON, name, (rgba){c[0], c[1], c[2], 255},
                               type_rgba(t, 255), 0.75, NULL, NULL, "0.8");
        }
    if (!st) st = cc_buf_puts(ctx, &b, "    </symbols>\n");
    if (!st) st = put_footer(ctx, &b);
    return finish(&b, st, out_text);
}

cc_status cc_report_qml_types(cc_ctx *ctx, const cc_qml_type *types, size_t n_types,
                              cc_qml_geom geom, char **out_text)
{
    *out_text = NULL;
    cc_status st = check_types(ctx, "facility types", types, n_types);
    if (st) return st;
    if (geom != CC_QML_POINT && geom != CC_QML_POLYGON)
        return cc_error(ctx, CC_ERR_INVALID, "QGIS style: unknown geometry kind %d", (int)geom);
    cc_buf b = {0};
    st = put_header(ctx, &b);
    if (!st)
        st = cc_buf_puts(ctx, &b,
                         "  <renderer-v2 type=\"categorizedSymbol\" attr=\"facility_type\" "
                         "symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n"
                         "    <categories>\n");
    char tmp[64];
    for (size_t t = 0; !st && t < n_types; t++) {
        st = cc_buf_puts(ctx, &b, "      <category value=\"");
        if (!st) st = put_xml(ctx, &b, types[t].name);
        cc_snprintf(tmp, sizeof tmp, "\" symbol=\"%zu\" label=\"", t);
        if (!st) st = cc_buf_puts(ctx, &b, tmp);
        if (!st) st = put_xml(ctx, &b, types[t].label ? types[t].label : types[t].name);
        if (!st) st = cc_buf_puts(ctx, &b, "\" render=\"true\"/>\n");
    }
    if (!st) st = cc_buf_puts(ctx, &b, "    </categories>\n    <symbols>\n");
    /* Points: a square in the type's colour; areas: its colour at alpha 0.3 (77/255), so
     * overlapping catchments stay readable, with an opaque outline of the same colour. */
    for (size_t t = 0; !st && t < n_types; t++) {
        char name[24];
        cc_snprintf(name, sizeof name, "%zu", t);
        st = geom == CC_QML_POINT
                 ? put_symbol_ex(ctx, &b, geom, name, type_rgba(t, 255), (rgba){255, 255, 255, 255},
                                 1.0, "square", "3", NULL)
                 : put_symbol_ex(ctx, &b, geom, name, type_rgba(t, 77), type_rgba(t, 255), 1.0,
                                 NULL, NULL, "0.4");
    }
    if (!st) st = cc_buf_puts(ctx, &b, "    </symbols>\n");
    if (!st) st = put_footer(ctx, &b);
    return finish(&b, st, out_text);
}

/* A single-symbol marker (sites), as QGIS 3.22 writes one. */
cc_status cc__qml_marker(cc_ctx *ctx, const char *shape, const char *color, const char *size,
                         char **out_text)
{
    *out_text = cc_asprintf(
        ctx,
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        "<qgis version=\"3.22\" styleCategories=\"Symbology\">\n"
        "  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
        "enableorderby=\"0\">\n"
        "    <symbols>\n"
        "      <symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" "
        "force_rhr=\"0\">\n"
        "        <layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\">\n"
        "          <Option type=\"Map\">\n"
        "            <Option type=\"QString\" name=\"name\" value=\"%s\"/>\n"
        "            <Option type=\"QString\" name=\"color\" value=\"%s\"/>\n"
        "            <Option type=\"QString\" name=\"outline_color\" value=\"255,255,255,255\"/>\n"
        "            <Option type=\"QString\" name=\"outline_style\" value=\"solid\"/>\n"
        "            <Option type=\"QString\" name=\"outline_width\" value=\"0.4\"/>\n"
        "            <Option type=\"QString\" name=\"size\" value=\"%s\"/>\n"
        "            <Option type=\"QString\" name=\"size_unit\" value=\"MM\"/>\n"
        "          </Option>\n"
        "          <prop k=\"name\" v=\"%s\"/>\n"
        "          <prop k=\"color\" v=\"%s\"/>\n"
        "          <prop k=\"outline_color\" v=\"255,255,255,255\"/>\n"
        "          <prop k=\"outline_style\" v=\"solid\"/>\n"
        "          <prop k=\"outline_width\" v=\"0.4\"/>\n"
        "          <prop k=\"size\" v=\"%s\"/>\n"
        "          <prop k=\"size_unit\" v=\"MM\"/>\n"
        "        </layer>\n"
        "      </symbol>\n"
        "    </symbols>\n"
        "  </renderer-v2>\n"
        "</qgis>\n",
        shape, color, size, shape, color, size);
    return *out_text ? CC_OK : CC_ERR_NOMEM;
}
