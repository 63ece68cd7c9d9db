/* SPDX-License-Identifier: Apache-2.0 */
/* report: every column of estates.csv and estates_summary.csv has an English and a Chinese
   label for the workbook, and no two columns of one table share a label. */
#include "carecircle/report.h"
#include "cc_test.h"

#include <string.h>

static const char *const ESTATES[] = {
    "scenario",   "estate_id",    "estate",      "district_id", "district",     "unit_level",
    "unit_id",    "unit_name",    "households",  "residents",   "build_year",   "age",
    "rule_id",    "jurisdiction", "document",    "service",     "applies_to",   "area_basis",
    "required_m2", "provided_m2", "shortfall_m2", "compliant",  "status",       "note"};
static const char *const SUMMARY[] = {
    "scenario",  "district_id",    "district",          "rule_id",
    "jurisdiction", "service",     "applies_to",        "estates",
    "assessable", "not_assessable", "compliant_estates", "not_compliant_estates",
    "compliant_share", "shortfall_m2"};

static void labelled(const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int zh = 0; zh < 2; zh++) {
            const char *a = cc_report_column_label(cols[i], zh);
            CC__REPORT(a && *a, "column '%s' has a %s label", cols[i], zh ? "zh" : "en");
            for (size_t j = 0; a && j < i; j++) {
                const char *b = cc_report_column_label(cols[j], zh);
                CC__REPORT(!b || strcmp(a, b) != 0, "'%s' and '%s' share '%s'", cols[j], cols[i],
                           a);
            }
        }
}

int main(void)
{
    labelled(ESTATES, sizeof ESTATES / sizeof *ESTATES);
    labelled(SUMMARY, sizeof SUMMARY / sizeof *SUMMARY);
    CHECK_STR(cc_report_column_label("shortfall_m2", 1), "面积缺口(平方米)");
    CHECK_STR(cc_report_column_label("compliant", 1), "是否达标");
    return cc_test_done();
}
