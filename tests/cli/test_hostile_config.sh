#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hostile scenarios, CRS and check (issue 14 items 4, 9, 10, 15; issue 13 item 14):
#  - a failed geocode at (0, 0) and a mostly-nodata raster reaching 80°E must not move
#    working_crs: auto off UTM 50N, and outliers are named in check and summary.json;
#  - facilities snapped onto a network island are named per type;
#  - scenario numbers out of range (4.9e-324, 1e308) are refused at parse time with file:line;
#  - check reads what run reads (targets, siting inputs, variants) and names the road classes
#    the mode leaves out; missing PROJ data says to install proj-data.
set -uo pipefail
bin="$1"; src="$2"
root="$(mktemp -d)"; trap 'rm -rf "$root"' EXIT
work="$root/sample"; mkdir -p "$work/targets" "$root/targets"
cp "$src"/data/sample/* "$work/"
cp "$src"/tests/fixtures/hconfig/elderly_points.csv "$work/"
cp "$src"/data/targets/ankang-2025.yaml "$root/targets/"
cp "$src"/data/targets/ankang-2025.yaml "$work/targets/"
cp "$src"/data/targets/anyang-2025.yaml "$root/targets/"   # the sample's estates.rules
pass=0; fail=0
check() { # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@"; then pass=$((pass+1)); else echo "FAIL: $what" >&2; fail=$((fail+1)); fi
}
has() { grep -qF -- "$2" "$1"; } # has FILE FIXED-STRING
# fails NAME CODE FRAGMENT ARGS...: exit code CODE, exactly one stderr line containing FRAGMENT.
fails() {
  local name="$1" code="$2" frag="$3"; shift 3
  "$bin" "$@" --quiet >/dev/null 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne "$code" ] || [ "$(wc -l < "$work/err")" -ne 1 ] || ! has "$work/err" "$frag"; then
    echo "FAIL $name: rc=$rc (want $code), want one line with '$frag':" >&2
    cat "$work/err" >&2
    fail=$((fail+1))
  else
    pass=$((pass+1))
  fi
}

# ---- 14.4: one demand row at (0, 0) --------------------------------------------------------
# The sample's 60+ raster as points (tests/fixtures/hconfig/elderly_points.csv: its 2363 data
# cells), the infants group derived as in the sample, plus one failed geocode at (0, 0).
cat > "$work/null.yaml" <<'EOF'
name: null island
working_crs: auto
network: {source: roads.osm, layer: lines, mode: walk, max_snap_m: 300}
demand:
  infants: {source: points.csv, x_field: lon, y_field: lat, crs: EPSG:4326, id_field: id,
            count_field: pop, scale: 0.1243}
facilities:
  childcare: {source: childcare_gcj02.csv, x_field: lng, y_field: lat, crs: GCJ02, id_field: id,
              name_field: name, capacity_field: slots, serves: infants, threshold_min: 15}
outputs: {catchment_polygons: no, bundle: no, report: no}
EOF
cp "$work/elderly_points.csv" "$work/points.csv"
"$bin" run "$work/null.yaml" --out "$work/clean" --quiet 2>"$work/err"
check "clean points run" test $? -eq 0
# Without the stray row: the sample's own figures (the raster gives 0.35158 too).
check "clean zone" has "$work/clean/summary.json" '"definition": "EPSG:32650"'
check "clean share" has "$work/clean/summary.json" '"infants": {"circle": 0.636621, "network": 0.35158}'
check "clean no outliers" has "$work/clean/summary.json" '"location_outliers": 0'
echo "geocode-failed,0,0,5" >> "$work/points.csv"
"$bin" run "$work/null.yaml" --out "$work/null" --quiet 2>"$work/err"
check "null-island run" test $? -eq 0
# Before the fix: the bbox centre (57.2E) chose EPSG:32640 and the share fell to 0.153519.
check "null-island zone stays 50N" has "$work/null/summary.json" '"definition": "EPSG:32650"'
# The 0.62 infants at (0, 0) count as not covered: 0.35158 * 948.47 / 949.09.
check "null-island share" has "$work/null/summary.json" '"infants": {"circle": 0.636204, "network": 0.351349}'
check "null-island outlier count" has "$work/null/summary.json" '"location_outliers": 1'
check "null-island outlier named" has "$work/null/summary.json" \
  "demand.infants: 1 of 2364 points lie far from the rest of the data (more than 100 km from its centre 114.5133, 30.4875, or at (0, 0)): 'geocode-failed' at (0, 0), 12337 km away (null island: a failed geocode?)"
"$bin" check "$work/null.yaml" > "$work/null-check.txt" 2>&1
check "null-island check exit" test $? -eq 0
check "null-island check warning" has "$work/null-check.txt" "warning: demand.infants: 1 of 2364 points lie far from the rest"
check "null-island check count" has "$work/null-check.txt" "; 1 location outliers"
check "null-island check zone" has "$work/null-check.txt" "working CRS: WGS 84 / UTM zone 50N (EPSG:32650)"

# ---- 14.4: a mostly-nodata raster reaching 80°E -------------------------------------------
# 3500 x 3 cells of 0.01° from 80°E to 115°E; data (50 people) only in the 18 columns over the
# sample area (114.38..114.56°E). Before the fix the extent's centre (97.5°E) chose EPSG:32647.
awk 'BEGIN{print "ncols 3500"; print "nrows 3"; print "xllcorner 80"; print "yllcorner 30.47";
     print "cellsize 0.01"; print "NODATA_value -9999";
     for (r = 0; r < 3; r++) { line = "";
       for (c = 0; c < 3500; c++) { lon = 80 + (c + 0.5) * 0.01;
         line = line (c ? " " : "") ((lon > 114.38 && lon < 114.56) ? "50" : "-9999") }
       print line } }' > "$work/wide.asc"
cat > "$work/wide.yaml" <<'EOF'
name: wide raster
working_crs: auto
network: {source: roads.osm, layer: lines, mode: walk, max_snap_m: 300}
demand:
  elderly: {source: wide.asc, crs: EPSG:4326}
facilities:
  day_care: {source: facilities.geojson, where: "kind = '日间照料中心'", id_field: id,
             name_field: name, serves: elderly, threshold_min: 15}
outputs: {catchment_polygons: no, bundle: no, report: no}
EOF
"$bin" run "$work/wide.yaml" --out "$work/wide" --quiet 2>"$work/err"
check "wide raster run" test $? -eq 0
check "wide raster zone 50N" has "$work/wide/summary.json" '"definition": "EPSG:32650"'
check "wide raster points" has "$work/wide/summary.json" '"points": 54'
check "wide raster figures" has "$work/wide/summary.json" '"elderly": {"circle": 0.166667, "network": 0.074074}'
check "wide raster no outliers" has "$work/wide/summary.json" '"location_outliers": 0'

# ---- 14.9 and 13.14: facilities on an island, road classes left out ------------------------
cat > "$work/islands.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[114.40,30.50],[114.405,30.50],[114.41,30.50]]}},
{"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[114.41,30.50],[114.415,30.50],[114.42,30.50]]}},
{"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[114.41,30.49],[114.41,30.495],[114.41,30.50]]}},
{"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[114.41,30.50],[114.41,30.505],[114.41,30.51]]}},
{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[114.43,30.505],[114.4303,30.505]]}},
{"type":"Feature","properties":{"highway":"motorway"},"geometry":{"type":"LineString","coordinates":[[114.40,30.48],[114.42,30.48]]}},
{"type":"Feature","properties":{"highway":"motorway"},"geometry":{"type":"LineString","coordinates":[[114.42,30.48],[114.44,30.48]]}},
{"type":"Feature","properties":{"highway":"trunk"},"geometry":{"type":"LineString","coordinates":[[114.40,30.52],[114.44,30.52]]}}
]}
EOF
printf 'id,name,lon,lat\nk1,孤岛诊所,114.43,30.505\nk2,Island clinic B,114.4303,30.505\n' > "$work/clinics.csv"
printf 'id,name,lon,lat\nh1,Central hub,114.41,30.50\n' > "$work/hubs.csv"
awk 'BEGIN{print "id,lon,lat,n"; for (i = 0; i <= 20; i++) printf "p%d,%.4f,30.5001,10\n", i, 114.40 + i * 0.001}' > "$work/people.csv"
cat > "$work/islands.yaml" <<'EOF'
name: islands
network: {source: islands.geojson, mode: walk}
demand:
  people: {source: people.csv, x_field: lon, y_field: lat, crs: EPSG:4326, id_field: id, count_field: n}
facilities:
  clinic: {source: clinics.csv, x_field: lon, y_field: lat, crs: EPSG:4326, id_field: id,
           name_field: name, serves: people}
  hub: {source: hubs.csv, x_field: lon, y_field: lat, crs: EPSG:4326, id_field: id,
        name_field: name, serves: people}
outputs: {catchment_polygons: no, bundle: no, report: no}
EOF
"$bin" check "$work/islands.yaml" > "$work/islands-check.txt" 2>&1
check "islands check exit" test $? -eq 0
check "islands named in check" has "$work/islands-check.txt" \
  "warning: facilities.clinic: 2 of 2 facilities snap onto a network island not connected to the main network, so they reach only the people on it: '孤岛诊所' (island of 2 nodes), 'Island clinic B' (island of 2 nodes)"
check "islands count in check" has "$work/islands-check.txt" "0 outside the study area, 2 on islands"
check "hub not named" bash -c "! grep -qF 'facilities.hub' '$work/islands-check.txt'"
check "classes left out" has "$work/islands-check.txt" \
  "network (walk at 4 km/h): 3 of 8 lines left out by the mode, by class: 2 motorway, 1 trunk"
"$bin" run "$work/islands.yaml" --out "$work/islands" --quiet 2>"$work/err"
check "islands run" test $? -eq 0
check "islands in summary" has "$work/islands/summary.json" '"facilities_on_islands": 2'
check "islands warning in summary" has "$work/islands/summary.json" "facilities.clinic: 2 of 2 facilities snap onto a network island"
"$bin" check "$work/scenario.yaml" > "$work/sample-check.txt" 2>&1
check "sample classes left out" has "$work/sample-check.txt" \
  "network (walk at 3.2 km/h): 27 of 253 lines left out by the mode, by class: 21 trunk_link, 5 trunk, 1 construction"

# ---- 14.10: numbers out of range, named with file:line at parse time -----------------------
fails tiny_threshold 2 "thresholds_min[0] is 4.94066e-324 minutes; a threshold must be at least 1 minute" \
  run "$work/scenario.yaml" --set 'thresholds_min=[4.9e-324]' --out "$work/o-tiny"
fails close_thresholds 2 "thresholds_min[1] is 10.0001; give at most 3 decimals" \
  run "$work/scenario.yaml" --set 'thresholds_min=[10, 10.0001]' --out "$work/o-close"
fails huge_scale 2 "demand.infants.scale is 1e+308; it must be at least 1e-06 and at most 1000000" \
  run "$work/scenario.yaml" --set demand.infants.scale=1e308 --out "$work/o-scale"
fails slow_speed 2 "facilities.day_care.speed_kmh is 1e-300; it must be at least 0.5" \
  run "$work/scenario.yaml" --set facilities.day_care.speed_kmh=1e-300 --out "$work/o-speed"
sed 's/set: {demand.elderly.scale: 1.30, demand.infants.scale: 0.0858}/set: {demand.elderly.scale: 1e308}/' \
  "$work/scenario.yaml" > "$work/variant-scale.yaml"
fails variant_scale 2 "scenarios[0] '2025 ageing': --set demand.elderly.scale=1e308" check "$work/variant-scale.yaml"
check "variant scale names the key" has "$work/err" "demand.elderly.scale is 1e+308"
check "nothing written" test ! -e "$work/o-tiny"

# ---- 14.15: check reads what run reads -----------------------------------------------------
# same_as_run NAME YAML FRAGMENT: run fails on YAML, and check fails with the same code and
# the same one-line message (containing FRAGMENT).
same_as_run() {
  "$bin" run "$2" --out "$work/o-$1" --quiet 2>"$work/run-err"
  local run_rc=$?
  check "$1: run rejects it" test "$run_rc" -ne 0
  fails "$1" "$run_rc" "$3" check "$2"
  check "$1: check and run give the same message" cmp -s "$work/err" "$work/run-err"
}
# A targets file run rejects (a record with a word for its value): check must reject it too.
sed '0,/    value: 38/s//    value: lots/' "$work/targets/ankang-2025.yaml" > "$work/targets/bad.yaml"
sed 's|^targets: \[../targets/ankang-2025.yaml, ../targets/anyang-2025.yaml\]|targets: targets/bad.yaml|' "$work/scenario.yaml" > "$work/badtargets.yaml"
same_as_run check_targets "$work/badtargets.yaml" "bad.yaml"
# Siting candidates run would read: the file exists, its id_field does not (read only after
# routing, so check used to call it usable).
sed 's/  candidates: auto/  candidates: {source: planned.geojson, id_field: no_such_id}/' "$work/scenario.yaml" > "$work/badcand.yaml"
same_as_run check_candidates "$work/badcand.yaml" "no_such_id"
# A variant that removes a facility id no layer has (found only when the variant is loaded).
sed 's/add_facilities: {day_care: {source: planned.geojson, id_field: id, name_field: name}}/remove_facilities: {day_care: [no-such-centre]}/' \
  "$work/scenario.yaml" > "$work/badvariant.yaml"
check "variant edit applied" has "$work/badvariant.yaml" "no-such-centre"
fails check_variant 2 "no-such-centre" check "$work/badvariant.yaml"
check "variant named" has "$work/err" "variant 'plan adds two centres'"
check "sample check lists targets" has "$work/sample-check.txt" "targets $work/../targets/ankang-2025.yaml: 89 records"
check "sample check lists variants" has "$work/sample-check.txt" "variant 'plan adds two centres': 2363 demand points, inputs readable"

# ---- 14.15: PROJ without its database ------------------------------------------------------
mkdir -p "$work/noproj"
PROJ_DATA="$work/noproj" PROJ_LIB="$work/noproj" \
  fails proj_data 1 "PROJ's database proj.db was not found (PROJ_DATA is '$work/noproj'); install the proj-data package (apt-get install proj-data)" \
  check "$work/scenario.yaml"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
