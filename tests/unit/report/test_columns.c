/* SPDX-License-Identifier: Apache-2.0 */
/* report: the column labels cover every column of the run's tables, in both languages, with
   no two columns of one table under the same label. */
#include "carecircle/report.h"
#include "cc_test.h"

#include <string.h>

/* The header lines of coverage.csv, districts.csv, targets.csv, sites.csv (English, and its
   metre-matrix column) and comparison.csv. */
static const char *const TABLES[] = {
    "scenario,facility_type,group,method,threshold_min,population,within_reach_population,"
    "within_reach_share,served_within_capacity_population,served_within_capacity_share",
    "scenario,district_id,district,facility_type,group,population,within_reach_network,"
    "within_reach_network_share,served_within_capacity,served_within_capacity_share,"
    "over_capacity,within_reach_circle,within_reach_circle_share,facilities,"
    "facilities_without_capacity,capacity,capacity_per_1000,district_area_km2,"
    "analysed_area_km2,analysed_share,partial",
    "scenario,targets_file,target_id,document,clause,attribute,jurisdiction,indicator,name_zh,"
    "year,level,district_id,district,analysed_share,partial,metric,facility_type,group,"
    "denominator,basis,coverage_figure,comparator,target,unit,value,status,shortfall,need,note",
    "rank,site_id,name,facility_type,lon,lat,district,new_covered,groups,cumulative_covered,"
    "cumulative_share,uncovered_in_reach,suggested_capacity,threshold_min,threshold_m,reason,"
    "method",
    "scenario,variant,table,facility_type,group,method,threshold_min,district,metric,baseline,"
    "value,delta",
};

static void test_every_column(void)
{
    for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++) {
        char line[1024], *save = NULL;
        const char *seen_zh[64], *seen_en[64];
        size_t n = 0;
        strcpy(line, TABLES[t]);
        for (char *c = strtok_r(line, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
            const char *en = cc_report_column_label(c, 0), *zh = cc_report_column_label(c, 1);
            CC__REPORT(en && zh && *en && *zh, "column '%s' has labels", c);
            if (!en || !zh) continue;
            for (size_t k = 0; k < n; k++) {
                CC__REPORT(strcmp(seen_zh[k], zh) != 0, "table %zu: '%s' taken twice", t, zh);
                CC__REPORT(strcmp(seen_en[k], en) != 0, "table %zu: '%s' taken twice", t, en);
            }
            seen_zh[n] = zh;
            seen_en[n++] = en;
        }
    }
}

static void test_known_labels(void)
{
    CHECK_STR(cc_report_column_label("population", 1), "人口");
    CHECK_STR(cc_report_column_label("population", 0), "Population");
    CHECK_STR(cc_report_column_label("rank", 1), "排名"); /* sites.csv's 项目清单 terms */
    CHECK_STR(cc_report_column_label("suggested_capacity", 1), "建设规模");
    CHECK_STR(cc_report_column_label("threshold_min", 1), "服务时间(分钟)");
    CHECK(cc_report_column_label("no_such_column", 1) == NULL);
    CHECK(cc_report_column_label(NULL, 0) == NULL);
}

int main(void)
{
    test_every_column();
    test_known_labels();
    return cc_test_done();
}
