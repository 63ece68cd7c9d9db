#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# units: on a hand-counted fixture (tests/fixtures/units, no network: the circle decides reach).
# day_care reaches 800 m: p1 (10 elderly), p2 (20) and p4 (80) are within, p3 (40) and p5 (160)
# are not. Streets: S1 holds p1-p3 and f1 (30 of 70 within: 0.428571, not covered at 0.5),
# S2 p4 and f2 (80 of 80: covered), S3 p5 (0 of 160), S4 nobody (share undefined: empty cells).
# Communities split S1 at x = 451000, where p3 lies on the border: it is counted once, in C1.
set -euo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/units"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh" # check(); bad() is this test's own, below

"$bin" run "$fx/scenario.yaml" --out "$work/a" --quiet
s="$work/a/units_street.csv"; c="$work/a/units_community.csv"; u="$work/a/unit_coverage.csv"
check "head -1 $s | grep -q 'scenario,level,unit_id,unit,parent_id,facility_type,group,population,.*,has_facility,served_groups_share,covered,mean_minutes,max_minutes,reached_share\$'"
check "grep -qx 'Fixture units,street,S1,West street,,day_care,elderly,70,,,30,0.428571,30,0.428571,1,30,428.571,yes,0.428571,no,,,' $s"
check "grep -qx 'Fixture units,street,S2,Middle street,,day_care,elderly,80,,,80,1,80,1,1,20,250,yes,1,yes,,,' $s"
check "grep -qx 'Fixture units,street,S3,East street,,day_care,elderly,160,,,0,0,0,0,0,0,0,no,0,no,,,' $s"
check "grep -qx 'Fixture units,street,S4,Empty street,,day_care,elderly,0,,,0,,0,,0,0,,no,,,,,' $s"
check "grep -q '^Fixture units,street,,(whole study area),,day_care,elderly,310,' $s"
# the border point p3 (40 people) is in C1 only; C2 holds nobody
check "grep -qx 'Fixture units,community,C1,West A,S1,day_care,elderly,70,,,30,0.428571,30,0.428571,1,30,428.571,yes,0.428571,no,,,' $c"
check "grep -qx 'Fixture units,community,C2,West B,S1,day_care,elderly,0,,,0,,0,,0,0,,no,,,,,' $c"
check "grep -q '^Fixture units,community,,(outside every unit),,day_care,elderly,0,' $c"
# summary: 4 units, 2 with a day-care centre (0.5); 3 with people, 1 covered (0.3333)
check "grep -qx 'Fixture units,street,day_care,4,2,0.5,3,1,0.3333,0.5' $u"
check "grep -qx 'Fixture units,community,day_care,4,2,0.5,3,1,0.3333,0.5' $u"
g="$work/a/units_street.geojson"
check "grep -q '\"day_care_covered\":null' $g"    # S4: nobody, covered undefined
check "grep -q '\"day_care_share\":0.4286,\"day_care_covered\":false' $g"
if command -v ogrinfo >/dev/null; then
  check "ogrinfo -ro -so -al $g | grep -q 'Feature Count: 4'"
fi
# a lower rule covers S1 too (0.428571 >= 0.4)
"$bin" run "$fx/scenario.yaml" --out "$work/b" --quiet --set 'unit_coverage={min_share: 0.4}'
check "grep -qx 'Fixture units,street,day_care,4,2,0.5,3,2,0.6667,0.4' $work/b/unit_coverage.csv"
# Without units: no unit file.
"$bin" run "$src/tests/fixtures/e2e/scenario.yaml" --out "$work/n" --quiet
check "[ ! -e $work/n/unit_coverage.csv ] && ! ls $work/n | grep -q '^units_'"
# Bad input: one line naming the file and feature, non-zero exit.
bad() { # expected-rc pattern --set...
  local want="$1" pat="$2"; shift 2
  set +e; "$bin" run "$fx/scenario.yaml" --out "$work/x" --quiet "$@" 2>"$work/err"; local rc=$?; set -e
  check "[ $rc -eq $want ] && [ \$(wc -l < $work/err) -eq 1 ] && grep -q \"$pat\" $work/err"
}
S="$fx/streets.geojson"
sed 's/"street": "S2"/"street": "S9"/' "$fx/communities.geojson" > "$work/badparent.geojson"
bad 1 "badparent.geojson (units community): feature 'C3' has parent code 'S9'" \
  --set "units=[{level: street, source: $S, crs: 'EPSG:32650', id_field: code, name_field: name}, {level: community, source: $work/badparent.geojson, crs: 'EPSG:32650', id_field: code, name_field: name, parent_field: street}]"
bad 2 "units\[0\].level 'town' is not one of county, street, community, village" --set "units=[{level: town, source: $S, name_field: name}]"
bad 2 "missing required key 'name_field' in units\[0\]" --set "units=[{level: street, source: $S}]"
bad 2 "level 'street' is listed twice" --set "units=[{level: street, source: $S, name_field: name}, {level: street, source: $S, name_field: name}]"
bad 2 "unit_coverage.min_share is 2" --set 'unit_coverage={min_share: 2}'
# An output folder holding a unit layer is refused before any work (it would be overwritten).
mkdir -p "$work/uo"; cp "$S" "$work/uo/streets.geojson"
set +e
"$bin" run "$fx/scenario.yaml" --out "$work/uo" --quiet \
  --set "units=[{level: street, source: $work/uo/streets.geojson, crs: 'EPSG:32650', id_field: code, name_field: name}]" 2> "$work/uo.err"
rc=$?; set -e
check "[ $rc -eq 2 ] && grep -q \"holds an input (units source '$work/uo/streets.geojson')\" $work/uo.err && [ ! -e $work/uo/unit_coverage.csv ]"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
