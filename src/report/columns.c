/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Column labels: every column of the tables a run writes (coverage.csv, districts.csv,
 * targets.csv, sites.csv, comparison.csv, the unit tables, capacities.csv, service_groups.csv,
 * colocation.csv, estates.csv, estates_summary.csv) with a readable English and a Chinese
 * label, for the workbook's headers (labels: zh) and any other client that shows a table to people. The CSV
 * files keep their column names; the Chinese terms of sites.csv are those of its 项目清单
 * headers (docs/outputs.md).
 */
#include "carecircle/report.h"

#include <stdlib.h>
#include <string.h>

typedef struct column_label {
    const char *column, *en, *zh;
} column_label;

/* Sorted by column name (bsearch). */
static const column_label COLUMNS[] = {
    {"age", "New or old", "新建或老旧"},
    {"analysed_area_km2", "Analysed area (km²)", "分析范围面积(平方公里)"},
    {"analysed_share", "Analysed share of area", "分析范围占比"},
    {"applies_to", "Applies to", "适用小区"},
    {"area_basis", "Area basis", "面积口径"},
    {"assessable", "Assessable", "可评估小区数"},
    {"attribute", "Attribute", "指标属性"},
    {"baseline", "Baseline", "基准值"},
    {"basis", "Basis", "口径"},
    {"build_year", "Build year", "建成年份"},
    {"capacity", "Capacity", "服务能力"},
    {"capacity_per_1000", "Capacity per 1000", "每千人服务能力"},
    {"clause", "Clause", "条款"},
    {"comparator", "Comparator", "比较符"},
    {"compliant", "Compliant", "是否达标"},
    {"compliant_estates", "Compliant estates", "达标小区数"},
    {"compliant_share", "Compliant share", "达标率"},
    {"coverage_figure", "Coverage figure", "覆盖口径"},
    {"covered", "Covered", "已覆盖"},
    {"covered_share", "Share of units covered", "覆盖单元占比"},
    {"cumulative_covered", "Cumulative covered", "累计覆盖人口"},
    {"cumulative_share", "Cumulative share", "累计覆盖率"},
    {"delta", "Change", "变化量"},
    {"denominator", "Denominator", "分母人群"},
    {"district", "District", "所属区县"},
    {"district_area_km2", "District area (km²)", "区县面积(平方公里)"},
    {"district_id", "District id", "区县编号"},
    {"document", "Document", "政策文件"},
    {"estate", "Estate", "小区名称"},
    {"estate_id", "Estate id", "小区编号"},
    {"estates", "Estates", "小区数"},
    {"facilities", "Facilities", "设施数"},
    {"facilities_known", "Facilities with a known value", "有数据的设施数"},
    {"facilities_without_capacity", "Facilities without capacity", "无服务能力数据的设施数"},
    {"facility_type", "Facility type", "设施类型"},
    {"facility_types", "Facility types", "设施类型组成"},
    {"from_type", "Facility type", "设施类型"},
    {"group", "Group", "服务人群"},
    {"groups", "Groups", "服务人群"},
    {"has_facility", "Has a facility", "有设施"},
    {"households", "Households", "户数"},
    {"id", "Id", "编号"},
    {"indicator", "Indicator", "指标编号"},
    {"jurisdiction", "Jurisdiction", "适用地区"},
    {"kind", "Kind", "类别"},
    {"label", "Label", "名称"},
    {"label_zh", "Chinese label", "中文名称"},
    {"lacking", "Lacking", "缺少"},
    {"lat", "Latitude", "纬度"},
    {"level", "Level", "层级"},
    {"lon", "Longitude", "经度"},
    {"max_min", "Limit (min)", "时间上限(分钟)"},
    {"method", "Method", "方法"},
    {"metres", "Metres", "距离(米)"},
    {"metric", "Metric", "指标"},
    {"min_share", "Rule: minimum share within reach", "覆盖判定最低可达比例"},
    {"minutes", "Minutes", "时间(分钟)"},
    {"name", "Name", "名称"},
    {"name_zh", "Indicator name", "指标名称"},
    {"nearest_id", "Nearest facility id", "最近设施编号"},
    {"nearest_name", "Nearest facility name", "最近设施名称"},
    {"need", "Need", "缺口"},
    {"new_covered", "Newly covered", "新增覆盖人口"},
    {"not_assessable", "Not assessable", "无法评估小区数"},
    {"not_compliant_estates", "Not compliant estates", "未达标小区数"},
    {"note", "Note", "说明"},
    {"over_capacity", "Over capacity", "超出服务能力人口"},
    {"parent_id", "Parent unit id", "上级单元编号"},
    {"part_of", "Part of", "所属总量"},
    {"partial", "Partly analysed", "部分分析"},
    {"per_1000", "Per 1000", "每千人"},
    {"population", "Population", "人口"},
    {"provided_m2", "Provided (m²)", "已配建面积(平方米)"},
    {"rank", "Rank", "排名"},
    {"reason", "Reason", "选址理由"},
    {"required_m2", "Required (m²)", "应配建面积(平方米)"},
    {"residents", "Residents", "居住人口"},
    {"rule_id", "Rule id", "配建规则编号"},
    {"scenario", "Scenario", "情景"},
    {"served_groups_share", "Served groups' share within reach", "服务人群可达比例"},
    {"served_people", "Served people", "服务人口"},
    {"served_within_capacity", "Served within capacity", "服务能力内覆盖人口"},
    {"served_within_capacity_population", "Served within capacity", "服务能力内覆盖人口"},
    {"served_within_capacity_share", "Served within capacity (share)", "服务能力内覆盖率"},
    {"service", "Service", "服务类别"},
    {"service_group", "Service group", "服务组合"},
    {"share", "Share", "占比"},
    {"shortfall", "Shortfall", "差距"},
    {"shortfall_m2", "Shortfall (m²)", "面积缺口(平方米)"},
    {"site_id", "Site id", "选址编号"},
    {"status", "Status", "达标情况"},
    {"suggested_capacity", "Suggested capacity", "建设规模"},
    {"table", "Table", "表"},
    {"target", "Target", "目标值"},
    {"target_id", "Target id", "目标编号"},
    {"targets_file", "Targets file", "目标文件"},
    {"threshold_m", "Reach (m)", "服务距离(米)"},
    {"threshold_min", "Reach (min)", "服务时间(分钟)"},
    {"to_type", "Nearest facility type", "邻近设施类型"},
    {"total", "Total", "合计"},
    {"uncovered_in_reach", "Uncovered within reach", "服务范围内未覆盖人口"},
    {"unit", "Unit", "单位"},
    {"unit_id", "Unit id", "单元编号"},
    {"unit_level", "Unit level", "单元层级"},
    {"unit_name", "Unit name", "单元名称"},
    {"units", "Units", "单元数"},
    {"units_with_people", "Units with people", "有人口的单元数"},
    {"value", "Value", "数值"},
    {"variant", "Variant", "方案"},
    {"with_facility", "Units with a facility", "有设施的单元数"},
    {"with_facility_share", "Share of units with a facility", "有设施单元占比"},
    {"within", "Within the limit", "是否在时限内"},
    {"within_reach_circle", "Within reach (circle)", "直线距离覆盖人口"},
    {"within_reach_circle_share", "Within reach (circle, share)", "直线距离覆盖率"},
    {"within_reach_network", "Within reach (network)", "路网覆盖人口"},
    {"within_reach_network_share", "Within reach (network, share)", "路网覆盖率"},
    {"within_reach_population", "Within reach", "覆盖人口"},
    {"within_reach_share", "Within reach (share)", "覆盖率"},
    {"year", "Year", "年份"},
};

static int cmp_column(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const column_label *)elem)->column);
}

const char *cc_report_column_label(const char *column, int zh)
{
    if (!column) return NULL;
    const column_label *c =
        bsearch(column, COLUMNS, sizeof COLUMNS / sizeof COLUMNS[0], sizeof COLUMNS[0], cmp_column);
    return c ? (zh ? c->zh : c->en) : NULL;
}
