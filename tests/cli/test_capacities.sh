#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 16.3: named capacities, flags, floor area and a facility condition. The fixture
# (tests/fixtures/capacities) has five homes in two districts (West 400 elderly, East 600):
#   f1 West 60 beds, 40 nursing, public, 1500 m2   f2 West 20 beds, 5 nursing, 2500 m2
#   f3 East 30 beds, 800 m2 (fails "beds >= 50 or floor_area >= 2000": left out)
#   f4 East 80 beds, 40 nursing, area unknown      f5 East 50 beds, nursing unknown, 600 m2
# By hand: beds 210 (W 80, E 130), per 1000 elderly 210 / 200 / 216.667; nursing 85 of 210 =
# 0.4048 (W 45/80 = 0.5625, E 40/130 = 0.3077); public 1 of 4, East lacks one; floor area
# 4600 (W 4000 per 400 people = 10000 per 1000).
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/capacities/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
csv=capacities.csv
. "$src/tests/cli/lib_check.sh"

"$bin" run "$fx" --out "$work/a" --quiet
c="$work/a/capacities.csv"
check "head -1 $c | grep -q 'scenario,level,district_id,district,facility_type,kind,name,part_of,facilities,facilities_known,total,served_people,per_1000,share,lacking\$'"
check "grep -qx 'Fixture capacities,area,,(whole study area),day_care,capacity,beds,,4,4,210,1000,210,,' $c"
check "grep -qx 'Fixture capacities,district,E,East,day_care,capacity,beds,,2,2,130,600,216.667,,' $c"
check "grep -qx 'Fixture capacities,area,,(whole study area),day_care,capacity,nursing_beds,beds,4,3,85,1000,85,0.4048,' $c"
check "grep -qx 'Fixture capacities,district,W,West,day_care,capacity,nursing_beds,beds,2,2,45,400,112.5,0.5625,' $c"
check "grep -qx 'Fixture capacities,district,E,East,day_care,capacity,nursing_beds,beds,2,1,40,600,66.667,0.3077,' $c"
check "grep -qx 'Fixture capacities,area,,(whole study area),day_care,flag,public,,4,4,1,1000,,0.25,no' $c"
check "grep -qx 'Fixture capacities,district,E,East,day_care,flag,public,,2,2,0,600,,0,yes' $c"
check "grep -qx 'Fixture capacities,district,W,West,day_care,floor_area,floor_area,,2,2,4000,400,10000,,' $c"
check "[ \$(wc -l < $c) -eq 13 ]"
check "grep -q 'facilities.day_care: 1 of 5 facilities do not meet condition: beds' $work/a/summary.json"
# The condition leaves f3 out of the coverage too: 4 facilities in districts.csv.
check "grep -q '^Fixture capacities,,(whole study area),day_care,elderly,1000,.*,4,0,210,210,' $work/a/districts.csv"
# Targets on named capacities (tests/fixtures/capacities/targets.yaml): the nursing-bed share
# of West is 45 / 80 = 56.25 % against 60 %: x new nursing beds (also beds) with
# (45 + x) / (80 + x) >= 0.6 gives x >= 7.5, so 8; East has a home without nursing_beds.
t="$work/a/targets.csv"
check "grep -q '^Fixture capacities,targets.yaml,nursing-share,.*,W,West,.*,capacity_share,day_care,,,,,>=,60,%,56.25,not_met_partial_area,3.75,8,.*needs 8 more nursing_beds\$' $t"
check "grep -q \"nursing-share,.*,E,East,.*,not_evaluated,,,capacity unknown: 1 of the unit's facilities have no nursing_beds\" $t"
check "grep -q '^Fixture capacities,targets.yaml,nursing-per-1000,.*,W,West,.*,capacity_per_1000,day_care,,elderly,常住,,>=,100,张,112.5,met_partial_area,0,0,' $t"
# Without the new keys: no capacities.csv, and f3 counts again.
"$bin" run "$fx" --out "$work/b" --quiet --set facilities.day_care.capacities=null \
  --set facilities.day_care.flags=null --set facilities.day_care.floor_area_field=null \
  --set facilities.day_care.condition=null --set targets=null
check "[ ! -e $work/b/capacities.csv ]"
check "grep -q '^Fixture capacities,,(whole study area),day_care,elderly,1000,.*,5,0,240,240,' $work/b/districts.csv"

# Bad input (lib_check.sh bad): one clear line naming the key; non-zero exit; no output.
bad unknown "facilities.day_care.condition: at character 1: 'bedz' is not a declared capacity, flag or floor_area (declared: beds, nursing_beds, public, floor_area)" \
  --set 'facilities.day_care.condition=bedz >= 50'
bad syntax "facilities.day_care.condition: at character 6: expected one of >= <= > < == != after 'beds'" \
  --set 'facilities.day_care.condition=beds => 50'
bad partof "facilities.day_care.capacities.nursing_beds: part_of names 'slots', which is not another capacity of the type" \
  --set 'facilities.day_care.capacities={beds: beds, nursing_beds: {field: nursing_beds, part_of: slots}}'
echo "capacities: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
