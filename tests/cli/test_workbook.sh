#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# carecircle.xlsx on the sample: one sheet per table, each sheet the same figures as its CSV
# (read back by GDAL and written as CSV again), numbers as numbers and ids as text, Chinese
# sheet names and headers with labels: zh, and outputs.workbook: no writes none.
set -uo pipefail
bin="$1"; src="$2"
sample="$src/data/sample/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

# A sheet as CSV (GDAL quotes only where needed), and a CSV file without a byte-order mark.
sheet() { ogr2ogr -f CSV -lco STRING_QUOTING=IF_NEEDED /vsistdout/ "$1" "$2"; }
nobom() { sed '1s/^\xEF\xBB\xBF//' "$1"; }

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out"
book="$work/out/carecircle.xlsx"
check "[ -s $book ]"
check "[ \"\$(ogrinfo -ro -q $book | sed 's/^[0-9]*: //; s/ (None)\$//' | tr '\n' ' ')\" = 'coverage districts targets sites comparison unit_coverage units_street units_community capacities colocation estates estates_summary sites_meal_points sites_street_day_care sites_toddler_classes ' ]"
for t in coverage districts sites comparison unit_coverage units_street units_community capacities colocation estates estates_summary; do
    check "diff -u <(nobom $work/out/$t.csv) <(sheet $book $t) >&2"
done
# targets.csv: the same rows (GDAL quotes a text holding ';', the table does not)
check "[ \$(sheet $book targets | wc -l) -eq \$(wc -l < $work/out/targets.csv) ]"
check "sheet $book targets | grep 'AK2023-1/T1.5/2025,.*,not_met,73.8907,5639,needs 5639 more people to bring within reach' >/dev/null"
# one known figure: day care, network, 15 min within reach 0.211093 (a number, not text)
check "ogrinfo -ro -q $book coverage -where \"method = 'network' AND facility_type = 'day_care' AND threshold_min = 15\" | grep 'within_reach_share (Real) = 0.211093' >/dev/null"
check "ogrinfo -ro -so $book districts | grep 'district_id: String' >/dev/null"
check "ogrinfo -ro -so $book districts | grep 'population: Real' >/dev/null"
check "ogrinfo -ro -so $book sites | grep 'rank: Integer' >/dev/null"
check "ogrinfo -ro -q $book districts | grep 'district_id (String) = 420111' >/dev/null"

# labels: zh (sites.csv's 项目清单 headers): Chinese sheet names and column labels
"$bin" run "$sample" --out "$work/zh" --quiet --set siting.labels=zh
check "[ \"\$(ogrinfo -ro -q $work/zh/carecircle.xlsx | sed 's/^[0-9]*: //; s/ (None)\$//' | tr '\n' ' ')\" = '覆盖率 区县指标 目标评估 项目清单 方案比较 单元覆盖率 街道单元 社区单元 床位托位 设施邻近 小区配建 小区配建汇总 项目清单_meal_points 项目清单_street_day_care 项目清单_toddler_classes ' ]"
check "sheet $work/zh/carecircle.xlsx 项目清单 | sed -n 1p | grep '^排名,选址编号,名称,设施类型,经度,纬度,所属区县,新增覆盖人口' >/dev/null"
check "sheet $work/zh/carecircle.xlsx 覆盖率 | sed -n 1p | grep '^情景,设施类型,服务人群,方法,服务时间(分钟),人口,覆盖人口,覆盖率,' >/dev/null"
check "ogrinfo -ro -so $work/zh/carecircle.xlsx 区县指标 | grep '区县编号: String' >/dev/null"
check "sheet $work/zh/carecircle.xlsx 社区单元 | sed -n 1p | grep '单元编号,.*上级单元编号,.*有设施,服务人群可达比例,已覆盖' >/dev/null"
check "sheet $work/zh/carecircle.xlsx 单元覆盖率 | sed -n 1p | grep '单元数,有设施的单元数,有设施单元占比,有人口的单元数,已覆盖,覆盖单元占比,覆盖判定最低可达比例' >/dev/null"

# outputs.workbook: no
"$bin" run "$sample" --out "$work/none" --quiet --set outputs.workbook=no
check "[ -s $work/none/coverage.csv ] && [ ! -e $work/none/carecircle.xlsx ]"
# a bad value is a scenario error naming the key
"$bin" run "$sample" --out "$work/bad" --quiet --set outputs.workbook=maybe 2> "$work/err"
check "[ \$? -eq 2 ]"
check "grep -q 'workbook' $work/err"

echo "workbook: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
