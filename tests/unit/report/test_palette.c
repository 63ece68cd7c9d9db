/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one palette (issue 15 item 1): every reason code has the analysis module's name, an
 * English and a Chinese label and a colour whose hex and RGB agree; an unknown code is the grey
 * "other"; facility types get distinct colours that repeat after the palette's length.
 */
#include "cc_test.h"
#include "carecircle/report.h"

#include <stdio.h>

int main(void)
{
    for (int r = 0; r < CC_REASON_COUNT; r++) {
        const cc_reason_style *s = cc_report_reason_style(r);
        CHECK_STR(s->name, cc_reason_name((cc_reason)r));
        CHECK(s->label_en[0] && s->label_zh[0]);
        char hex[8];
        snprintf(hex, sizeof hex, "#%02x%02x%02x", s->rgb[0], s->rgb[1], s->rgb[2]);
        CHECK_STR(hex, s->hex);
    }
    CHECK_STR(cc_report_reason_style(CC_REASON_NO_FACILITY_IN_REACH)->hex, "#fc8d62");
    CHECK_STR(cc_report_reason_style(CC_REASON_NO_FACILITY_IN_REACH)->label_zh, "可达范围内无设施");
    CHECK_STR(cc_report_reason_style(CC_REASON_ISLAND)->label_en, "on a network island");
    CHECK_STR(cc_report_reason_style(-1)->label_en, "other");
    CHECK_STR(cc_report_reason_style(CC_REASON_COUNT)->hex, "#a0a0a0");

    size_t n = cc_report_type_colors();
    CHECK_INT(n, 12);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(cc_report_type_color(i, NULL), cc_report_type_color(j, NULL)) != 0);
        CHECK_STR(cc_report_type_color(i + n, NULL), cc_report_type_color(i, NULL));
    }
    unsigned char rgb[3];
    CHECK_STR(cc_report_type_color(0, rgb), "#d95f02");
    CHECK_INT(rgb[0], 217);
    CHECK_INT(rgb[1], 95);
    CHECK_INT(rgb[2], 2);
    CHECK_STR(cc_report_type_color(1, NULL), "#1b9e77");
    return cc_test_done();
}
