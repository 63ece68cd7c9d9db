#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 13.3: "covered" means two figures, within reach and served within capacity
# (docs/analysis.md), and every table, map and the report add up. Runs the sample with all its
# variants and checks, for the baseline and every variant, that summary.json, coverage.csv,
# districts.csv, demand.geojson and underserved.geojson agree (tests/cli/covered_sums.py), then
# the 2025-ageing figures of the issue: 7,826 outside reach + 569 over capacity = 8,395 unserved.
set -uo pipefail
bin="$1"; src="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out"
n_var=$(ls -d "$work"/out/variants/*/ 2>/dev/null | wc -l)
check "[ $n_var -eq 3 ]"
check "python3 $src/tests/cli/covered_sums.py $work/out $work/out/variants/*/"
age="$work/out/variants/2025-ageing"
check "grep -q '\"elderly\": {\"population\": 9919.64, \"within_reach\": 2093.97, \"served_within_capacity\": 1524.64, \"outside_reach\": 7825.67, \"unserved\": 8395, \"unserved_by_reason\": {\"over_capacity\": 569.33, ' $age/summary.json"
check "grep -q '^Optics Valley baseline,day_care,elderly,network,15,9919.64,2093.97,0.211093,1524.64,0.153699$' $age/coverage.csv"
# The target says which figure it reads and how many within reach are at full centres.
check "grep -q 'AK2023-1/T1.5/2025,.*,(whole study area),,,coverage_share,day_care,elderly,,,within_reach,>=,95,%,21.1093,not_met,73.8907,7330,\"needs 7330 more people to bring within reach; of those within reach, 569 are over capacity (not served within capacity)\"' $age/targets.csv"
# The report states both figures and reasons that add up to the unserved.
check "grep -q '7,826</strong> people are outside reach' $age/report.html"
check "grep -q '1,525) are <strong>served within capacity</strong>' $age/report.html"
check "grep -q '8,395</strong> people are not served within capacity: the 7,826 outside reach and 569 within reach of full facilities only' $age/report.html"
check "grep -q 'adding up to 8,395' $age/report.html"
echo "covered sums: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
