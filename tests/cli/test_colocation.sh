#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 16.5: co-location. The fixture (tests/fixtures/colocation) has one street along
# y 3372000, walking at 6 km/h (100 m a minute); day care a1 450000, a2 452000, a3 453400;
# health centres h1 450600, h2 453500. By hand: a1 -> h1 600 m = 6 min (within 10), a2 -> h1
# 1400 m = 14 min (h2 is 1500 m; beyond 10), a3 -> h2 100 m = 1 min.
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/colocation/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
csv=colocation.csv
. "$src/tests/cli/lib_check.sh"

"$bin" run "$fx" --out "$work/a" --quiet
c="$work/a/colocation.csv"
p='Fixture colocation,day_care'
check "head -1 $c | grep -q 'scenario,from_type,id,name,to_type,nearest_id,nearest_name,minutes,metres,max_min,within\$'"
check "grep -qx '$p,a1,Day care 1,health_centre,h1,Health centre 1,6,600,10,yes' $c"
check "grep -qx '$p,a2,Day care 2,health_centre,h1,Health centre 1,14,1400,10,no' $c"
check "grep -qx '$p,a3,Day care 3,health_centre,h2,Health centre 2,1,100,10,yes' $c"
check "[ \$(wc -l < $c) -eq 4 ]"
# Another walking speed for the to type: the time is still on the from type's graph (6 km/h).
"$bin" run "$fx" --out "$work/s" --quiet --set facilities.health_centre.speed_kmh=3
check "grep -qx '$p,a2,Day care 2,health_centre,h1,Health centre 1,14,1400,10,no' $work/s/colocation.csv"
# A stricter limit: a1 (6 min) is beyond 5.
"$bin" run "$fx" --out "$work/m" --quiet --set 'colocation=[{from: day_care, to: health_centre, max_min: 5}]'
check "grep -qx '$p,a1,Day care 1,health_centre,h1,Health centre 1,6,600,5,no' $work/m/colocation.csv"
# Without a network: straight-line nearest, no minutes, within at 6 km/h (600 m = 6 min).
"$bin" run "$fx" --out "$work/n" --quiet --set network=null
check "grep -qx '$p,a1,Day care 1,health_centre,h1,Health centre 1,,600,10,yes' $work/n/colocation.csv"
check "grep -qx '$p,a2,Day care 2,health_centre,h1,Health centre 1,,1400,10,no' $work/n/colocation.csv"
# Without the key: no colocation.csv.
"$bin" run "$fx" --out "$work/b" --quiet --set colocation=null
check "[ ! -e $work/b/colocation.csv ]"

# Bad input: one clear line naming the file and key; non-zero exit; no output.
bad unknown "colocation[0].to names facility type 'clinic', which the scenario does not declare under facilities:; use one of its facility types" \
  --set 'colocation=[{from: day_care, to: clinic, max_min: 10}]'
bad same "colocation[0]: from and to are both 'day_care'; name two different facility types" \
  --set 'colocation=[{from: day_care, to: day_care, max_min: 10}]'
bad nomax "missing required key 'max_min' in colocation[0]" \
  --set 'colocation=[{from: day_care, to: health_centre}]'
bad notlist "colocation must be a list of rules" \
  --set 'colocation={from: day_care, to: health_centre, max_min: 10}'
echo "colocation: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
