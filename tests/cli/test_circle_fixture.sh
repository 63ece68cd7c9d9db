#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End to end on a hand-counted fixture: coverage.csv figures, demand.geojson fields,
# summary.json provenance, atomic outputs, --set overrides, and locale/thread determinism.
set -euo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/e2e"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail=0; pass=0
bom=$(printf '\xef\xbb\xbf') # every CSV starts with a UTF-8 byte-order mark (outputs.csv_bom)
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

"$bin" run "$fx/scenario.yaml" --out "$work/a" --quiet
cov="$work/a/coverage.csv"
check "[ \"\$(head -1 $cov)\" = '${bom}scenario,facility_type,group,method,threshold_min,population,within_reach_population,within_reach_share,served_within_capacity_population,served_within_capacity_share' ]"
check "grep -qx 'Fixture circles,day_care,elderly,circle,5,310,10,0.032258,,' $cov"
check "grep -qx 'Fixture circles,day_care,elderly,circle,10,310,30,0.096774,,' $cov"
check "grep -qx 'Fixture circles,day_care,elderly,circle,15,310,110,0.354839,,' $cov"
check "grep -qx 'Fixture circles,day_care,elderly,circle,20,310,150,0.483871,,' $cov"
check "grep -qx 'Fixture circles,day_care,elderly,circle,30,310,150,0.483871,,' $cov"
check "[ \$(wc -l < $cov) -eq 6 ]"   # header + 5 thresholds; infants are not served by day_care
dem="$work/a/demand.geojson"
check "grep -q '\"id\":\"p4\"' $dem"
check "grep -q '\"d_day_care_m\":790' $dem"
check "grep -q '\"nearest_day_care\":\"f2\"' $dem"
check "grep -q '\"d_day_care_m\":null' $dem"   # p5 beyond the 30-minute circle
check "grep -q '\"sha256\": \"[0-9a-f]\{64\}\"' $work/a/summary.json"
check "grep -q '\"definition\": \"EPSG:32650\"' $work/a/summary.json"
check "grep -q '\"elderly\": {\"circle\": 0.354839}' $work/a/summary.json"
# ogrinfo opens the GeoJSON and counts 5 features
if command -v ogrinfo >/dev/null; then
  check "ogrinfo -ro -so -al $dem | grep -q 'Feature Count: 5'"
fi
# --set changes the threshold: at 10 min the circle is 533.3 m -> p1, p2 = 30 people
"$bin" run "$fx/scenario.yaml" --out "$work/b" --quiet --set facilities.day_care.threshold_min=10
check "grep -q '\"elderly\": {\"circle\": 0.096774}' $work/b/summary.json"
# Determinism: threads and a comma-decimal locale give the same bytes (summary minus run lines).
"$bin" run "$fx/scenario.yaml" --out "$work/t1" --quiet --threads 1
LC_ALL=de_DE.UTF-8 "$bin" run "$fx/scenario.yaml" --out "$work/t4" --quiet --threads 4
for f in coverage.csv demand.geojson; do check "cmp -s $work/t1/$f $work/t4/$f"; done
check "diff <(grep -v -e '\"threads\"' -e '\"timings_s\"' $work/t1/summary.json) <(grep -v -e '\"threads\"' -e '\"timings_s\"' $work/t4/summary.json) >/dev/null"
# A failing run (bad --set) leaves the earlier results byte-identical and no temp files.
cp "$cov" "$work/cov.before"
set +e
"$bin" run "$fx/scenario.yaml" --out "$work/a" --quiet --set facilities.day_care.threshold_min=abc 2>"$work/err"
rc=$?
set -e
check "[ $rc -eq 2 ]"
check "[ \$(wc -l < $work/err) -eq 1 ]"
check "grep -q 'threshold_min' $work/err"
check "cmp -s $cov $work/cov.before"
check "[ -z \"\$(ls -A $work/a | grep '^\\.' | grep -vx .carecircle-manifest)\" ]"
# A run failing on its input data (after the output folder was opened) changes nothing either.
set +e
"$bin" run "$fx/scenario.yaml" --out "$work/a" --quiet --set demand.elderly.count_field=no_such_field 2>"$work/err2"
rc=$?
set -e
check "[ $rc -eq 1 ]"
check "[ \$(wc -l < $work/err2) -eq 1 ]"
check "grep -q 'no_such_field' $work/err2"
check "cmp -s $cov $work/cov.before"
check "[ -z \"\$(ls -A $work/a | grep '^\\.' | grep -vx .carecircle-manifest)\" ]"
# Siting from the planner's own travel-time matrix (no network): existing f1 covers p1, p2 and
# f2 covers p4 (110 people); c1 reaches p3 and p5 within 15 min (200 people), c2 only p3 (40).
"$bin" run "$fx/scenario.yaml" --out "$work/m" --quiet \
  --set 'siting={facility: day_care, count: 1, candidates: {source: candidates.csv, x_field: x, y_field: y, crs: "EPSG:32650", id_field: id, name_field: name}, matrix: {source: matrix.csv, unit: min}}'
check "grep -q '^1,c1,Old school,day_care,.*,200,elderly,310,1,200,,15,' $work/m/sites.csv"
check "grep -q '\"covered_before\": 110.00, \"covered_after\": 310.00' $work/m/summary.json"
# Population per polygon spread to a 100 m grid by area: community A (300 x 200 m, 60 people)
# becomes 6 cells of 10, B (one cell, 30). At 5 min (266.7 m) 5 cells of A and B's cell are in.
"$bin" run "$fx/scenario.yaml" --out "$work/poly" --quiet --set 'demand={elderly: {source: communities.gpkg, id_field: code, count_field: elderly}}' --set facilities.day_care.serves=elderly
check "grep -qx 'Fixture circles,day_care,elderly,circle,5,90,80,0.888889,,' $work/poly/coverage.csv"
check "grep -q '\"points\": 7' $work/poly/summary.json"
check "grep -q '\"id\":\"A#5\"' $work/poly/demand.geojson"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
