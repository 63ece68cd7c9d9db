#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The sample scenario end to end: coverage.csv equals the reviewed golden file, the GeoJSON
# opens in GDAL with every demand cell, districts carry their Chinese names, the graph export
# holds the routable network, and `check`/`info` describe the inputs.
set -uo pipefail
bin="$1"; src="$2"
sample="$src/data/sample/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
bom=$(printf '\xef\xbb\xbf') # every CSV starts with a UTF-8 byte-order mark (outputs.csv_bom)
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out"
check "diff -u $src/tests/cli/golden/sample_coverage.csv $work/out/coverage.csv >&2"
check "ogrinfo -ro -so -al $work/out/demand.geojson | grep 'Feature Count: 2363' >/dev/null"
check "[ -s $work/out/routing.cache ]"
check "grep -q '\"district\":\"洪山区\"' $work/out/demand.geojson"
check "grep -q '\"district\":\"江夏区\"' $work/out/demand.geojson"
check "grep -q '\"definition\": \"EPSG:32650\"' $work/out/summary.json"
check "grep -q '\"points\": 2363' $work/out/summary.json"
check "grep -q '\"population\": 7630.49' $work/out/summary.json"
# Analytics: districts against targets, reasons, areas, catchments (figures from the reviewed run).
check "grep -q '^Optics Valley baseline,420115,江夏区,day_care,elderly,3538.03,1171.12,0.331008,1171.12,0.331008,0,2160.12,0.610545,5,0,170,48.049,2003.97,11.79,0.0059,yes$' $work/out/districts.csv"
check "grep -q 'AK2023-1/T2.5/2025,.*,met,0,0,met (4.81 >= 4.73)' $work/out/targets.csv"
check "grep -q 'AK2023-1/T1.5/2025,.*,not_met,73.8907,5639,needs 5639 more people to bring within reach' $work/out/targets.csv"
check "ogrinfo -ro -so -al $work/out/catchments.geojson | grep -q 'Feature Count: 33'"
check "ogrinfo -ro -so -al $work/out/districts.geojson | grep -q 'Feature Count: 2'"
check "ogrinfo -ro -so -al $work/out/underserved.geojson | grep -q 'Feature Count: [1-9]'"
check "grep -q '\"reason_day_care\":\"off_network\"' $work/out/demand.geojson"
check "grep -q '\"reason_day_care\":\"network_detour\"' $work/out/demand.geojson"
check "[ -s $work/out/demand.qml ] && [ -s $work/out/districts.qml ]"
check "grep -q '^Optics Valley baseline,day_care,elderly,network,15,1610.75,0.211093$' $work/out/curve.csv"
# Siting: five ranked day-care sites from underserved cells, the proven optimum by default
# (exact: auto; the greedy's five add 1760.60, the best five 1842.94).
check "grep -q '^1,auto-101,demand cell 889,day_care,114.5099996,30.4916667,洪山区,522.51,elderly,2133.25,0.27957,522.51,32,15,.*,exact$' $work/out/sites.csv"
check "grep -q '\"covered_after\": 3453.69, .*\"method\": \"exact\"' $work/out/summary.json"
check "[ \$(wc -l < $work/out/sites.csv) -eq 6 ]"
check "ogrinfo -ro -so -al $work/out/sites.geojson | grep -q 'Feature Count: 5'"
"$bin" run "$sample" --out "$work/exact" --quiet --set scenarios=null --set siting.capacity=0 --set siting.exact=yes --set siting.labels=zh
check "grep -q '\"exact_optimum\": 1842.94, \"greedy\": 1760.60, \"greedy_gap\": 0.044679, \"proven_optimal\": true' $work/exact/summary.json"
check "head -1 $work/exact/sites.csv | grep -q '^${bom}排名,选址编号,名称,设施类型,经度,纬度,所属区县,新增覆盖人口'"
# An exclusion layer keeps sites out of 洪山区: every pick is then in 江夏区.
"$bin" run "$sample" --out "$work/excl" --quiet --set scenarios=null --set "siting.exclude={source: districts.geojson, crs: GCJ02, where: \"name = '洪山区'\"}"
check "[ \$(cut -d, -f7 $work/excl/sites.csv | grep -c '江夏区') -eq 5 ]"
check "grep -q 'siting: 163 candidates lie in siting.exclude' $work/excl/summary.json"
# Variants in one run: comparison.csv against the baseline, each variant's outputs in
# variants/<name>/, routing shared when a variant changes nothing it depends on. Adding the
# best pair of sites (siting with count: 2) as planned centres covers exactly what the siting
# predicted for them (948.89; the greedy's pair covered 866.55).
check "grep -qx 'Optics Valley baseline,plan adds two centres,coverage,day_care,elderly,network,15,,within_reach_population,1610.75,2559.63,948.89' $work/out/comparison.csv"
check "grep -qx 'Optics Valley baseline,2025 ageing,coverage,day_care,elderly,network,15,,within_reach_population,1610.75,2093.97,483.22' $work/out/comparison.csv"
check "grep -q '^Optics Valley baseline,10-minute circles,district,day_care,elderly,network,10,江夏区,within_reach_share,0.331008,0.119987,-0.211021$' $work/out/comparison.csv"
check "grep -q '\"routing\": \"shared with the baseline\"' $work/out/variants/2025-ageing/summary.json"
check "grep -q '\"routing\": \"computed\"' $work/out/variants/plan-adds-two-centres/summary.json"
check "grep -q '\"variant\": \"10-minute circles\"' $work/out/variants/10-minute-circles/summary.json"
check "[ -s $work/out/variants/plan-adds-two-centres/demand.geojson ]"
# Sensitivity to walking speed from the same searches equals a fresh run at that speed, and a
# variant's demand.geojson says what changed for each cell.
check "grep -qx 'Optics Valley baseline,day_care,elderly,4,15,7630.49,2392.8,0.313584' $work/out/sensitivity.csv"
"$bin" run "$sample" --out "$work/speed4" --quiet --set facilities.day_care.speed_kmh=4 --set scenarios=null --set siting=null --set facilities.meal_point=null
check "grep -qx 'Optics Valley baseline,day_care,elderly,network,15,7630.49,2392.8,0.313584,1217.04,0.159497' $work/speed4/coverage.csv"
check "[ \$(grep -o '\"change_day_care\":\"gained\"' $work/out/variants/plan-adds-two-centres/demand.geojson | wc -l) -eq 190 ]"
# Optional outputs can be left out for very large runs; catchments keep their rows.
"$bin" run "$sample" --out "$work/lean" --quiet --set 'outputs={catchment_polygons: no, bundle: no, report: no}' --set scenarios=null
check "[ ! -e $work/lean/report.html ] && [ ! -e $work/lean/carecircle.gpkg ]"
check "ogrinfo -ro -so -al $work/lean/catchments.geojson | grep -q 'Feature Count: 33'"
check "cmp -s $work/lean/coverage.csv $work/out/coverage.csv"
# (The runs below leave the variants out: they check the baseline only.)
# Changing only a threshold re-runs the analytics from routing.cache without routing, and
# gives the same bytes as a fresh run with that threshold.
check "grep -q '\"routing\": \"computed\"' $work/out/summary.json"
"$bin" run "$sample" --out "$work/out" --quiet --set scenarios=null --set facilities.day_care.threshold_min=10
check "grep -q '\"routing\": \"reused from routing.cache\"' $work/out/summary.json"
check "grep -q '\"routing\": 0,' $work/out/summary.json"
"$bin" run "$sample" --out "$work/fresh10" --quiet --set scenarios=null --set facilities.day_care.threshold_min=10
for f in coverage.csv demand.geojson districts.csv targets.csv catchments.geojson underserved.geojson; do
  check "cmp -s $work/out/$f $work/fresh10/$f"
done
check "grep -q '\"routing\": \"computed\"' $work/fresh10/summary.json"
# A longer threshold than the cached routing limit routes again.
"$bin" run "$sample" --out "$work/out" --quiet --set scenarios=null --set facilities.day_care.threshold_min=45
check "grep -q '\"routing\": \"computed\"' $work/out/summary.json"
# A user-defined profile changes the routing (and the cache key): primary roads 1.5x slower.
"$bin" run "$sample" --out "$work/prof" --quiet --set scenarios=null --set 'network.profile={classes: {primary: {factor: 1.5}, stepz: no}}'
check "grep -q '^Optics Valley baseline,day_care,elderly,network,15,7630.49,1575.4,0.206462,1575.4,0.206462$' $work/prof/coverage.csv"
check "grep -q \"network.profile: class 'stepz'\" $work/prof/summary.json"
"$bin" graph "$sample" --out "$work/graph.gpkg" --quiet
check "ogrinfo -ro -so $work/graph.gpkg edges | grep -q 'Feature Count: 666'"
"$bin" check "$sample" > "$work/check.txt" 2>&1
check "grep -q 'working CRS: WGS 84 / UTM zone 50N (EPSG:32650)' $work/check.txt"
check "grep -q 'facilities day_care (社区日间照料中心): 6' $work/check.txt"
check "grep -q 'data quality: 647 demand points off the network, 24 on islands, 0 outside every district' $work/check.txt"
check "grep -q 'network (walk at 3.2 km/h): 463 nodes, 666 edges, 5 components' $work/check.txt"
check "grep -q '\"demand_off_network\": 647' $work/out/summary.json"
"$bin" info "$src/data/sample/elderly_60plus.tif" > "$work/info.txt"
check "grep -qi 'EPSG:4326' $work/info.txt"
"$bin" info "$src/data/sample/facilities.geojson" > "$work/info2.txt"
check "grep -q 'Feature count: 23\|features: 23\|23 features' $work/info2.txt"
# Network results too are the same bytes for 1, 2 and 4 threads and a comma-decimal locale.
"$bin" run "$sample" --out "$work/t1" --quiet --threads 1
LC_ALL=de_DE.UTF-8 "$bin" run "$sample" --out "$work/t2" --quiet --threads 2
"$bin" run "$sample" --out "$work/t4" --quiet --threads 4
for t in t2 t4; do
  for f in coverage.csv demand.geojson districts.csv districts.geojson targets.csv underserved.geojson catchments.geojson curve.csv sites.csv comparison.csv variants/plan-adds-two-centres/coverage.csv; do check "cmp -s $work/t1/$f $work/$t/$f"; done
  check "diff <(grep -v -e '\"threads\"' -e '\"timings_s\"' $work/t1/summary.json) <(grep -v -e '\"threads\"' -e '\"timings_s\"' $work/$t/summary.json) >/dev/null"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
