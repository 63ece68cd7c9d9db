#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unit-based siting on a hand-checked fixture (tests/fixtures/usiting): one street, reach
# 500 m, rule 50 % of a community's elderly within reach. Communities: C1 p1 100 (within
# reach of f1: covered), C2 p2 60 + p3 40, C3 p4 40 + p5 60, C4 p6 35 + p8 30 + p7 35, C5 p9
# 100 (no candidate within 500 m), C6 nobody. Candidates: k1 reaches p2, k2 p3, k3 p5, k4
# p6, k5 p7, k6 p2 and p3. Target 0.8 of the 5 communities with people = 4 units:
#   1. k6 brings C2 (100 people; k1 also brings C2 but with 60)
#   2. k3 brings C3 (60)
#   3. no site brings C4 alone: k4 and k5 each add 35 of the 50 it misses (progress 0.7);
#      k4 has the lower index
#   4. k5 brings C4 (35 more, 70 %; progress min(35, 15) / 50 = 0.3) -> 4 units.
# Four sites are also the fewest (C4 needs two, C2 and C3 one each). Streets: S1 holds f1;
# S2 (C4) lacks one: best inside k4 (35, ties k5, lower index); S3 has no candidate.
set -euo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/usiting"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh"

"$bin" run "$fx/scenario.yaml" --out "$work/a" --quiet
u="$work/a/sites_communities.csv"
check "head -1 $u | grep -q 'rank,site_id,name,facility_type,lon,lat,unit_level,new_units,new_unit_ids,new_unit_names,progress,new_covered,cumulative_units,cumulative_unit_share,target_units,unit_rule,min_share,method'"
check "[ \$(wc -l < $u) -eq 5 ]"
check "grep -q '^1,k6,Site 6,day_care,[0-9.]*,[0-9.]*,community,1,C2,Community 2,1,100,2,0.4,4,covered,0.5,greedy_lookahead\$' $u"
check "grep -q '^2,k3,Site 3,day_care,[0-9.]*,[0-9.]*,community,1,C3,Community 3,1,60,3,0.6,4,covered,0.5,greedy_lookahead\$' $u"
check "grep -q '^3,k4,Site 4,day_care,[0-9.]*,[0-9.]*,community,0,,,0.7,35,3,0.6,4,' $u"
check "grep -q '^4,k5,Site 5,day_care,[0-9.]*,[0-9.]*,community,1,C4,Community 4,0.3,35,4,0.8,4,' $u"
# each street at least one: S2 gets k4, S3 has no candidate inside; S1 (has f1) is not listed
e="$work/a/sites_streets.csv"
check "grep -q '^street,S2,Street 2,2,k4,Site 4,day_care,[0-9.]*,[0-9.]*,35,best_inside\$' $e"
check "grep -qx 'street,S3,Street 3,0,,,day_care,,,,no_candidate' $e"
check "! grep -q ',S1,' $e"
check "[ \$(wc -l < $e) -eq 3 ]"
# GeoJSON: the four picks, and the one street with a site; a style beside each
check "[ \$(grep -o '\"site_id\"' $work/a/sites_communities.geojson | wc -l) -eq 4 ]"
check "grep -q '\"new_unit_ids\":\"C4\"' $work/a/sites_communities.geojson"
check "[ \$(grep -o '\"site_id\"' $work/a/sites_streets.geojson | wc -l) -eq 1 ]"
check "[ -s $work/a/sites_communities.qml ] && [ -s $work/a/sites_streets.qml ]"
# summary.json names every block; the warning says which street has no candidate
check "grep -q '\"name\": \"communities\"' $work/a/summary.json"
check "grep -q '\"units_covered_before\": 1' $work/a/summary.json"
check "grep -q '\"units_covered_after\": 4' $work/a/summary.json"
check "grep -q 'siting streets: 1 street units without a day_care have no candidate inside' $work/a/summary.json"
# the workbook has a sheet per named block
if command -v unzip >/dev/null; then
  check "unzip -p $work/a/carecircle.xlsx xl/workbook.xml | grep -q 'name=\"sites_communities\"'"
fi
# the first block of the list writes sites.csv exactly as the same block written alone
"$bin" run "$fx/scenario.yaml" --out "$work/b" --quiet --set 'siting={facility: day_care, count: 2, candidates: {source: candidates.csv, x_field: x, y_field: y, crs: "EPSG:32650", id_field: id, name_field: name}}'
check "cmp -s $work/a/sites.csv $work/b/sites.csv"
check "cmp -s <(tail -n +2 $work/a/sites.geojson) <(tail -n +2 $work/b/sites.geojson)" # line 1: run id
check "[ ! -e $work/b/sites_communities.csv ] && ! grep -q siting_blocks $work/b/summary.json"
# Variants of the list (--set does not index lists): copies of the fixture, edited.
variant() { # name, then sed expressions
  local name="$1"; shift
  mkdir -p "$work/fx_$name"; cp "$fx"/* "$work/fx_$name/"
  for e in "$@"; do sed -i "$e" "$work/fx_$name/scenario.yaml"; done
}
# fewer units wanted: 0.6 -> 3 units, two sites
variant c 's/target_share: 0.8/target_share: 0.6/'
"$bin" run "$work/fx_c/scenario.yaml" --out "$work/c" --quiet
check "[ \$(wc -l < $work/c/sites_communities.csv) -eq 3 ]"
# all of them: C5 is out of every candidate's reach; the list stops at 4 units with a warning
variant d 's/target_share: 0.8/target_share: 1/'
"$bin" run "$work/fx_d/scenario.yaml" --out "$work/d" --quiet
check "grep -q 'siting communities: 4 of 5 community units reach the rule with 4 new day_care sites, short of the target 5 (4 with every candidate)' $work/d/summary.json"
# unit_rule: has_facility: communities lacking a day-care centre, best first: k6 (C2, 100
# people), k3 (C3, 60), k4 (C4, 35); 0.6 of the 6 communities = 4, C1 has one already
variant h 's/target_share: 0.8/target_share: 0.6\n    unit_rule: has_facility/'
"$bin" run "$work/fx_h/scenario.yaml" --out "$work/h" --quiet
h="$work/h/sites_communities.csv"
check "[ \$(wc -l < $h) -eq 4 ]"
check "grep -q '^1,k6,.*,community,1,C2,Community 2,1,100,2,0.3333,4,has_facility,0.5,best_per_unit\$' $h"
check "grep -q '^3,k4,.*,community,1,C4,Community 4,1,35,4,0.6667,4,has_facility' $h"

# Bad input: one line naming the file and key, exit 2, nothing written.
csv=sites.csv
badv() { # name, expected text, sed expressions
  local name="$1" want="$2"; shift 2
  variant "$name" "$@"
  set +e; fx="$work/fx_$name/scenario.yaml" bad "$name" "$want"; set -e
}
badv obj "scenario.yaml:31:16: siting[1].objective 'fewest' is not one of coverage, p_median, units, each_unit" 's/objective: units/objective: fewest/'
badv lvl "siting[1].unit_level 'village' is not a level of units: (street, community)" 's/unit_level: community/unit_level: village/'
badv share "scenario.yaml:33:19: siting[1].target_share is 1.5" 's/target_share: 0.8/target_share: 1.5/'
badv zero "scenario.yaml:33:19: siting[1].target_share is 0" 's/target_share: 0.8/target_share: 0/'
badv noname "scenario.yaml:34:5: missing required key 'name' in siting[2]" 's/^  - name: streets$/  - labels: en/'
badv dup "siting[2].name 'communities' is given twice" 's/name: streets/name: communities/'
badv rule "siting[1].unit_level needs objective: units or objective: each_unit" 's/objective: units/objective: coverage/'
badv name "siting[1].name 'Meal Points' must be 1 to 24 lower-case letters" 's/name: communities/name: Meal Points/'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
