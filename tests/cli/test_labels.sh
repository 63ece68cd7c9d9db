#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# labels: at the top level sets the language of every output for people (issue 17.7): the
# report, the QGIS project's layer names, sites.csv and the workbook's sheet names, also in a
# run without siting; siting.labels (its older place) still works, and the two may not disagree.
set -uo pipefail
bin="$1"; src="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }
sc="$src/data/sample/scenario.yaml"

"$bin" run "$sc" --out "$work/top" --quiet --set labels=zh
check "grep -q '<html lang=\"zh-CN\">' $work/top/report.html"
check "head -1 $work/top/sites.csv | grep -q '^.*排名,选址编号,名称,设施类型'"
check "grep -q 'name=\"社区日间照料中心' $work/top/carecircle.qgs"
check "unzip -p $work/top/carecircle.xlsx xl/workbook.xml | grep -q '覆盖率'"

# The old place gives the same tables and project (report.html names the overrides it ran with).
"$bin" run "$sc" --out "$work/old" --quiet --set siting.labels=zh
for f in sites.csv carecircle.qgs coverage.csv; do
  check "cmp -s $work/top/$f $work/old/$f"
done

# No siting: the report is still Chinese.
"$bin" run "$sc" --out "$work/nosite" --quiet --set labels=zh --set siting=null --set facilities.meal_point=null
check "[ ! -e $work/nosite/sites.csv ] && grep -q '<html lang=\"zh-CN\">' $work/nosite/report.html"

# English by default; the two keys disagreeing is an error naming both, and nothing is written.
"$bin" run "$sc" --out "$work/en" --quiet
check "grep -q '<html lang=\"en\">' $work/en/report.html"
"$bin" run "$sc" --out "$work/bad" --quiet --set labels=zh --set siting.labels=en 2> "$work/err"
rc=$?
check "[ $rc = 2 ] && [ ! -e $work/bad ]"
check "grep -q 'siting.labels: en disagrees with labels: zh at the top level; keep one' $work/err"
check "[ \$(wc -l < $work/err) = 1 ]"
"$bin" run "$sc" --out "$work/bad2" --quiet --set labels=fr 2> "$work/err2"
rc=$?
check "[ $rc = 2 ] && grep -q 'labels' $work/err2 && grep -q 'zh' $work/err2"

echo "labels: $pass passed, $fail failed"
[ "$fail" = 0 ]
