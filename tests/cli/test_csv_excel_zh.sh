#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 17 items 5 and 7: every CSV of a run starts with a UTF-8 byte-order mark (Excel on
# Chinese Windows reads a CSV without one as GBK), outputs.csv_bom: no leaves it out and
# changes nothing else, a bad value is a scenario error; with siting.labels: zh every text
# cell of sites.csv and sites.geojson is Chinese (type label, cell names, groups, reason,
# method), English otherwise.
set -uo pipefail
bin="$1"; src="$2"
sample="$src/data/sample/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }
bom=$(printf '\xef\xbb\xbf')
csvs="coverage.csv districts.csv targets.csv curve.csv sensitivity.csv sites.csv comparison.csv variants/2025-ageing/coverage.csv"

"$bin" run "$sample" --out "$work/on" --quiet --set siting.exact=yes --set siting.labels=zh \
  --set 'outputs={bundle: no, report: no}'
for f in $csvs; do
  check "[ \"\$(head -c 3 $work/on/$f)\" = \"$bom\" ]"
done
# No other output gets one (JSON must not start with a BOM, RFC 8259).
for f in summary.json demand.geojson sites.geojson; do
  check "[ \"\$(head -c 3 $work/on/$f)\" != \"$bom\" ]"
done
check "head -1 $work/on/coverage.csv | grep -qx '${bom}scenario,facility_type,group,method,threshold_min,population,within_reach_population,within_reach_share,served_within_capacity_population,served_within_capacity_share'"
check "head -1 $work/on/comparison.csv | grep -q '^${bom}scenario,variant,table,'"

"$bin" run "$sample" --out "$work/off" --quiet --set siting.exact=yes --set siting.labels=zh \
  --set 'outputs={bundle: no, report: no, csv_bom: no}'
for f in $csvs; do
  check "[ \"\$(head -c 3 $work/off/$f)\" != \"$bom\" ] && cmp -s <(tail -c +4 $work/on/$f) $work/off/$f"
done

# A bad value: exit 2, the key and the choices named, no output folder.
"$bin" run "$sample" --out "$work/bad" --quiet --set 'outputs={csv_bom: maybe}' 2> "$work/bad.err"
check "[ \$? -eq 2 ] && grep -q 'csv_bom' $work/bad.err && grep -q 'yes' $work/bad.err && [ ! -e $work/bad/coverage.csv ]"

# labels: zh: the exact cells of the first site of the sample's exact list.
check "grep -qx '1,auto-101,需求网格 889,社区日间照料中心,114.5099996,30.4916667,洪山区,522.51,60岁及以上,2133.25,0.27957,522.51,32,15,新增覆盖 523 人（60岁及以上），15 分钟以内，最优的 5 个选址之一（已证明最优）；覆盖率 21.1% → 28.0%,精确求解' $work/on/sites.csv"
check "grep -q '\"name\":\"需求网格 889\",\"facility_type\":\"社区日间照料中心\",\"district\":\"洪山区\"' $work/on/sites.geojson"
check "grep -q '\"reason\":\"新增覆盖 523 人（60岁及以上），15 分钟以内，最优的 5 个选址之一（已证明最优）；覆盖率 21.1% → 28.0%\",\"method\":\"精确求解\"' $work/on/sites.geojson"
check "! grep -q 'demand cell\|day_care\|elderly\|adds \|exact\$' $work/on/sites.csv"
# English by default: names, type and reason as before.
"$bin" run "$sample" --out "$work/en" --quiet --set siting.exact=yes --set scenarios=null \
  --set 'outputs={bundle: no, report: no}'
check "grep -q '^1,auto-101,demand cell 889,day_care,114.5099996,30.4916667,洪山区,522.51,elderly,2133.25,0.27957,522.51,32,15,\"adds 523 people (60岁及以上) within 15 min, one of the best 5 sites (proven optimal); coverage 21.1% -> 28.0%\",exact$' $work/en/sites.csv"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
