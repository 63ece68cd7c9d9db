#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# carecircle.gpkg: the sample run writes one GeoPackage whose layers hold the same features as
# the GeoJSON outputs, with one default QGIS style per layer in layer_styles (the same QML text
# as the .qml file beside each GeoJSON), and no temporary file is left behind.
set -uo pipefail
bin="$1"; src="$2"
sample="$src/data/sample/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }
# Feature count of layer $2 in file $1.
count() { ogrinfo -ro -so "$1" "$2" 2>/dev/null | sed -n 's/^Feature Count: //p'; }
# First value of an SQL query on the bundle.
q() { ogrinfo -ro -q -sql "$1" "$gpkg" 2>/dev/null | sed -n 's/^ *v ([^)]*) = //p' | head -1; }
# A file's bytes as upper-case hex (SQLite's hex()).
hexof() { od -An -v -tx1 "$1" | tr -d ' \n' | tr a-f A-F; }

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out"
out="$work/out"; gpkg="$out/carecircle.gpkg"
check "[ -s $gpkg ]"
check "ogrinfo -ro -so $gpkg | grep -q 'using driver .GPKG. successful'"

# Every layer has the feature count of its GeoJSON (and the sample's reviewed counts).
for layer in demand underserved catchments districts sites; do
    check "[ -n \"\$(count $gpkg $layer)\" ] && [ \"\$(count $gpkg $layer)\" = \"\$(count $out/$layer.geojson $layer)\" ]"
done
check "[ \"\$(count $gpkg demand)\" = 2363 ]"
check "[ \"\$(count $gpkg catchments)\" = 33 ]"     # 8 types: 6+4+2+1+9 elderly/resident, 6+2+3 childcare
check "[ \"\$(count $gpkg districts)\" = 2 ]"
check "[ \"\$(count $gpkg sites)\" = 5 ]"
check "[ \"\$(count $gpkg facilities)\" = 33 ]"
check "[ \"\$(count $gpkg units_street)\" = 9 ] && [ \"\$(count $out/units_street.geojson units_street)\" = 9 ]"
check "[ \"\$(count $gpkg units_community)\" = 32 ] && [ \"\$(count $out/units_community.geojson units_community)\" = 32 ]"
# units: the status the units style colours by, as in the GeoJSON
for st in covered not_covered no_people; do
  n=$(grep -o "\"status\":\"$st\"" "$out/units_community.geojson" | wc -l)
  check "[ \"\$(q \"SELECT count(*) AS v FROM units_community WHERE status = '$st'\")\" = $n ]"
done
check "[ \"\$(q \"SELECT count(*) AS v FROM units_community WHERE status = 'not_covered'\")\" -gt 0 ]"
# (the layer descriptions go to files: grep -q on a pipe would end ogrinfo early, and pipefail fail)
ogrinfo -ro -so "$gpkg" demand > "$work/demand.txt"; ogrinfo -ro -so "$gpkg" districts > "$work/districts.txt"
check "grep -q 'Geometry: Point' $work/demand.txt"
check "grep -Eq 'Geometry: (Multi )?Polygon' $work/districts.txt"
check "grep -q 'EPSG.*4326' $work/demand.txt"

# The demand layer carries the GeoJSON's fields and values.
for f in t_day_care_min within_reach_day_care served_day_care snap_day_care_m gap_day_care_min reason_day_care access_day_care \
         t_childcare_min reason_childcare elderly infants residents district; do
    check "grep -q '^$f: ' $work/demand.txt"
done
covered_json=$(grep -o '"within_reach_day_care":true' "$out/demand.geojson" | wc -l)
check "[ $covered_json -gt 0 ] && [ \"\$(q 'SELECT count(*) AS v FROM demand WHERE within_reach_day_care = 1')\" = $covered_json ]"
offnet_json=$(grep -o '"reason_day_care":"off_network"' "$out/demand.geojson" | wc -l)
check "[ $offnet_json -gt 0 ] && [ \"\$(q \"SELECT count(*) AS v FROM demand WHERE reason_day_care = 'off_network'\")\" = $offnet_json ]"
check "[ \"\$(q \"SELECT district AS v FROM demand WHERE district = '洪山区' LIMIT 1\")\" = 洪山区 ]"
# Districts: the status the districts style colours by; sites: the ranked list.
check "[ \"\$(q \"SELECT count(*) AS v FROM districts WHERE status IN ('met','not_met','no_target','partial_area')\")\" = 2 ]"
check "[ \"\$(q 'SELECT site_id AS v FROM sites WHERE rank = 1')\" = auto-101 ]"
check "[ \"\$(q 'SELECT new_covered AS v FROM sites WHERE rank = 1')\" = 522.51 ]"
check "[ \"\$(q \"SELECT count(*) AS v FROM facilities WHERE facility_type = 'day_care'\")\" -gt 0 ]"

# layer_styles: one default style per layer, named after it, on its geometry column.
check "[ \"\$(q 'SELECT count(*) AS v FROM layer_styles')\" = 9 ]"
for layer in demand underserved catchments districts facilities sites estates units_street units_community; do
    check "[ \"\$(q \"SELECT count(*) AS v FROM layer_styles WHERE f_table_name = '$layer' AND styleName = '$layer' AND useAsDefault = 1 AND f_geometry_column = 'geom' AND f_table_schema = ''\")\" = 1 ]"
done
for layer in demand underserved catchments districts estates units_street units_community; do
    check "[ \"\$(q \"SELECT hex(styleQML) AS v FROM layer_styles WHERE f_table_name = '$layer'\")\" = \"\$(hexof $out/$layer.qml)\" ]"
done
check "[ \"\$(q \"SELECT data_type AS v FROM gpkg_contents WHERE table_name = 'layer_styles'\")\" = attributes ]"
check "[ \"\$(q \"SELECT instr(styleQML, 'type=' || char(34) || 'singleSymbol') > 0 AS v FROM layer_styles WHERE f_table_name = 'sites'\")\" = 1 ]"

# Every layer has a valid spatial index (the writer packs it: src/io/write.c) holding one entry
# per feature with a geometry, registered as the GeoPackage standard asks; a spatial filter
# (which uses it) finds what a plain coordinate test finds.
for layer in demand underserved catchments districts facilities sites estates; do
    check "[ \"\$(q \"SELECT rtreecheck('rtree_${layer}_geom') AS v\")\" = ok ]"
    check "[ \"\$(q \"SELECT count(*) AS v FROM rtree_${layer}_geom\")\" = \"\$(q \"SELECT count(*) AS v FROM $layer WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)\")\" ]"
    check "[ \"\$(q \"SELECT 0 + HasSpatialIndex('$layer', 'geom') AS v\")\" = 1 ]"
done
check "[ \"\$(q \"SELECT count(*) AS v FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'\")\" = 9 ]"
spat=$(ogrinfo -ro -q -spat 114.50 30.47 114.52 30.49 "$gpkg" demand 2>/dev/null | grep -c '^OGRFeature')
check "[ $spat -gt 0 ] && [ $spat = \"\$(q 'SELECT count(*) AS v FROM demand WHERE ST_MinX(geom) BETWEEN 114.50 AND 114.52 AND ST_MinY(geom) BETWEEN 30.47 AND 30.49')\" ]"
# The feature counts GDAL keeps match the tables.
check "[ \"\$(q \"SELECT feature_count AS v FROM gpkg_ogr_contents WHERE table_name = 'demand'\")\" = 2363 ]"

# Atomic: nothing temporary is left in the output folder.
check "[ -z \"\$(ls -A $out | grep '^\\.' | grep -vx .carecircle-manifest)\" ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
