/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-type QGIS styles (issue 17.2): the underserved areas' rule renderer (one rule per type,
 * one per reason inside it; fill = the reason's colour, outline = the type's) and the
 * categorised facilities / catchments styles (one category per type in its colour), with
 * hostile type names escaped and empty ones refused; and the sites marker.
 */
#include "carecircle/report.h"
#include "report/report_internal.h"
#include "cc_test.h"

#include <stdlib.h>
#include <string.h>

int main(void)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    cc_qml_type types[] = {{"day_care", "社区日间照料中心"}, {"child'care", NULL}};
    char *under = NULL, *fac = NULL, *area = NULL, *marker = NULL, *bad = (char *)"x";
    CHECK_INT(cc_report_qml_underserved(ctx, types, 2, &under), CC_OK);
    CHECK_INT(cc_report_qml_types(ctx, types, 2, CC_QML_POINT, &fac), CC_OK);
    CHECK_INT(cc_report_qml_types(ctx, types, 2, CC_QML_POLYGON, &area), CC_OK);
    CHECK_INT(cc__qml_marker(ctx, "star", "227,26,28,255", "5", &marker), CC_OK);
    if (!under || !fac || !area || !marker) return cc_test_done();

    /* Underserved: a rule per type holding a rule per reason (5 each: 10 symbols). */
    CHECK_CONTAINS(under, "type=\"RuleRenderer\"");
    CHECK_CONTAINS(under, "<rule key=\"{carecircle-underserved-0}\" filter=\"&quot;facility_type"
                          "&quot; = &apos;day_care&apos;\" label=\"社区日间照料中心\">");
    /* a quote in a type name is doubled inside the QGIS string literal, then XML-escaped */
    CHECK_CONTAINS(under, "&apos;child&apos;&apos;care&apos;\" label=\"child&apos;care\"");
    CHECK_CONTAINS(under, "symbol=\"6\" filter=\"&quot;reason&quot; = "
                          "&apos;no_facility_in_reach&apos;\" label=\"no facility in reach\"/>");
    CHECK(strstr(under, "<symbol type=\"fill\" name=\"9\"") != NULL);
    CHECK(strstr(under, "<symbol type=\"fill\" name=\"10\"") == NULL);
    CHECK(strstr(under, "dominant_reason") == NULL);
    /* symbol 1 = day care, no facility in reach: Set2 orange fill, Dark2 orange outline */
    const char *s1 = strstr(under, "<symbol type=\"fill\" name=\"1\"");
    CHECK(s1 && strstr(s1, "name=\"color\" value=\"252,141,98,255\""));
    CHECK(s1 && strstr(s1, "name=\"outline_color\" value=\"217,95,2,255\""));
    CHECK(s1 && strstr(s1, "name=\"outline_width\" value=\"0.8\""));
    /* symbol 5 = childcare's first reason: the second type's outline (Dark2 teal) */
    const char *s5 = strstr(under, "<symbol type=\"fill\" name=\"5\"");
    CHECK(s5 && strstr(s5, "name=\"outline_color\" value=\"27,158,119,255\""));

    /* Facilities: squares in the type's colour; catchments: its colour at alpha 77. */
    CHECK_CONTAINS(fac, "type=\"categorizedSymbol\" attr=\"facility_type\"");
    CHECK_CONTAINS(fac, "<category value=\"child&apos;care\" symbol=\"1\" label=\"child&apos;care\"");
    CHECK_CONTAINS(fac, "<symbol type=\"marker\" name=\"1\"");
    CHECK_CONTAINS(fac, "name=\"name\" value=\"square\"");
    CHECK_CONTAINS(fac, "name=\"color\" value=\"27,158,119,255\"");
    CHECK_CONTAINS(area, "name=\"color\" value=\"217,95,2,77\"");
    CHECK_CONTAINS(area, "name=\"outline_color\" value=\"217,95,2,255\"");
    CHECK_CONTAINS(marker, "name=\"name\" value=\"star\"");

    /* No type, or a type with an empty name: refused with a message. */
    CHECK_INT(cc_report_qml_underserved(ctx, types, 0, &bad), CC_ERR_INVALID);
    CHECK(bad == NULL);
    cc_qml_type empty[] = {{"", NULL}};
    CHECK_INT(cc_report_qml_types(ctx, empty, 1, CC_QML_POINT, &bad), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "field name is empty");
    CHECK_INT(cc_report_qml_types(ctx, types, 2, CC_QML_LINE, &bad), CC_ERR_INVALID);

    /* A label with control characters (a hostile scenario) is written with U+FFFD, not refused. */
    cc_qml_type ctl[] = {{"day_care", "-label\x01\x1b\xc2\x85x"}};
    char *lab = NULL;
    CHECK_INT(cc_report_qml_types(ctx, ctl, 1, CC_QML_POINT, &lab), CC_OK);
    CHECK(lab && strstr(lab, "label=\"-label\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx\""));
    cc_free(lab);

    /* The palette: types cycle after twelve, an unknown reason is grey. */
    int a[3], b[3];
    cc__palette_type(0, a);
    cc__palette_type(12, b);
    CHECK(a[0] == b[0] && a[1] == b[1] && a[2] == b[2]);
    cc__palette_reason(99, a);
    CHECK(a[0] == 160 && a[1] == 160 && a[2] == 160);

    cc_free(under);
    cc_free(fac);
    cc_free(area);
    cc_free(marker);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
