#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 16.4: service groups, the union of their types' coverage. The fixture
# (tests/fixtures/service_groups) has one street along y 3372000, districts West (x < 451000)
# and East, walking at 6 km/h (100 m a minute):
#   day_care a1 at x 450500: 5 min = 500 m on the street, circle 300 m
#   care_station b1 at x 451800: 10 min = 1000 m, circle 500 m
#   p1 450300 W 100: a1 200 m (network and circle)
#   p2 450900 W 200: a1 400 m, b1 900 m (network of both, no circle)
#   p3 451200 E 300: b1 600 m (network only)
#   p4 452100 E 400: b1 300 m (network and circle)
#   p5 453000 E 500: b1 1200 m (neither)
# By hand: network 100+200+300+400 = 1000 of 1500 (not 300 + 900: p2 counts once), W 300 of
# 300, E 700 of 1200; circle 100 + 400 = 500 of 1500, W 100 of 300, E 400 of 1200.
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/service_groups/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
csv=service_groups.csv
. "$src/tests/cli/lib_check.sh"

"$bin" run "$fx" --out "$work/a" --quiet
c="$work/a/service_groups.csv"
pre='Fixture service groups'
mid='community_elderly_care,Community elderly care,社区养老服务设施,day_care;care_station,elderly'
check "head -1 $c | grep -q 'scenario,level,district_id,district,service_group,label,label_zh,facility_types,group,method,population,within_reach_population,within_reach_share\$'"
check "grep -qx '$pre,area,,(whole study area),$mid,network,1500,1000,0.666667' $c"
check "grep -qx '$pre,district,W,West,$mid,network,300,300,1' $c"
check "grep -qx '$pre,district,E,East,$mid,network,1200,700,0.583333' $c"
check "grep -qx '$pre,area,,(whole study area),$mid,circle,1500,500,0.333333' $c"
check "grep -qx '$pre,district,W,West,$mid,circle,300,100,0.333333' $c"
check "grep -qx '$pre,district,E,East,$mid,circle,1200,400,0.333333' $c"
check "[ \$(wc -l < $c) -eq 7 ]"
# The members' own rows (coverage.csv, own thresholds) are unchanged: 300 and 900.
check "grep -q '^$pre,day_care,elderly,network,5,1500,300,' $work/a/coverage.csv"
check "grep -q '^$pre,care_station,elderly,network,10,1500,900,' $work/a/coverage.csv"
# A group of one type equals that type's coverage.csv row.
"$bin" run "$fx" --out "$work/one" --quiet --set 'service_groups.community_elderly_care.types=[care_station]'
check "grep -q '^$pre,area,,(whole study area),community_elderly_care,.*,care_station,elderly,network,1500,900,0.6\$' $work/one/service_groups.csv"
# Without the key: no service_groups.csv.
"$bin" run "$fx" --out "$work/b" --quiet --set service_groups=null
check "[ ! -e $work/b/service_groups.csv ]"

# Bad input: one clear line naming the file and key; non-zero exit; no output.
bad unknown "service_groups.community_elderly_care.types names facility type 'clinic', which the scenario does not declare under facilities:; use one of its facility types" \
  --set 'service_groups.community_elderly_care.types=[day_care, clinic]'
bad serves "service_groups.community_elderly_care.types: 'care_station' serves other demand groups than 'day_care'; a service group's types must serve the same groups" \
  --set facilities.care_station.serves=young
bad notlist "service_groups.community_elderly_care needs a list of its facility types under types:" \
  --set service_groups.community_elderly_care.types=day_care
bad twice "service_groups.community_elderly_care.types names 'day_care' twice; list each type once" \
  --set 'service_groups.community_elderly_care.types=[day_care, day_care]'
echo "service_groups: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
