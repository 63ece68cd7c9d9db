#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# QGIS outputs of the sample run (issue 17 items 1-4): underserved.geojson holds one area per
# facility type and reason; every style (the .qml files, the GeoPackage's layer_styles, the
# layers of carecircle.qgs) references only fields of its layer (style_fields.py, which must
# also catch a doctored style); carecircle.qgs is well-formed, relative, points at layers that
# exist, groups per type, names its layers in Chinese with siting.labels zh, and has the same
# bytes for any thread count. The PyQGIS check (open, render) is scripts/test-qgis.sh.
set -uo pipefail
bin="$1"; src="$2"
sample="$src/data/sample/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }
py=/usr/bin/python3; [ -x "$py" ] || py=python3

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/a"    # all threads
"$bin" run "$sample" --out "$work/b" --quiet --threads 2 --set siting.labels=zh
"$bin" run "$sample" --out "$work/c" --quiet --threads 1
a="$work/a"

# Item 1: one feature per (type, reason), with the reason and type as fields; the sample's
# day care fails people for four reasons, each its own area.
ids=$("$py" -c "import json,sys; print(' '.join(f['properties']['id'] for f in json.load(open(sys.argv[1]))['features']))" "$a/underserved.geojson")
want=$(for t in day_care street_centre institution county_care health_centre childcare childcare_public childcare_hub meal_point; do
  for r in no_facility_in_reach network_detour off_network island; do
    # meal points have no facility yet: nobody is near one, so nobody is on a detour to it
    [ "$t:$r" = meal_point:network_detour ] || printf '%s:%s ' $t $r; done; done)
check "[ \"$ids \" = \"$want\" ]"
check "[ \"\$(ogrinfo -ro -q -sql \"SELECT COUNT(*) AS v FROM underserved WHERE reason = 'network_detour' AND facility_type = 'day_care'\" $a/carecircle.gpkg | sed -n 's/^ *v ([^)]*) = //p')\" = 1 ]"
check "! grep -q dominant_reason $a/underserved.geojson"
# the day-care network-detour area holds that reason's people (summary.json) to the cent
check "\"$py\" - \"$a\" <<'PY'
import json, sys
d = sys.argv[1]
s = json.load(open(d + '/summary.json'))
u = {f['properties']['id']: f['properties'] for f in json.load(open(d + '/underserved.geojson'))['features']}
want = s['facility_types']['day_care']['people']['elderly']['unserved_by_reason']['network_detour']
got = u['day_care:network_detour']['pop_elderly']
sys.exit(0 if abs(got - want) <= 0.011 else 1)
PY"

# Item 2: each type its colour, in the QML files and the GeoPackage.
check "grep -q 'value=\"day_care\"' $a/catchments.qml && grep -q 'value=\"childcare\"' $a/catchments.qml"
check "grep -q \"&quot;facility_type&quot; = &apos;childcare&apos;\" $a/underserved.qml"
sqlite3 "$a/carecircle.gpkg" "SELECT styleQML FROM layer_styles WHERE f_table_name = 'facilities'" > "$work/fac.qml"
check "grep -q 'attr=.facility_type.' $work/fac.qml"

# Item 4: every style's fields exist, and the checker catches one that does not.
for d in "$a" "$a"/variants/*; do check "\"$py\" $src/tests/cli/style_fields.py $d > /dev/null"; done
mkdir -p "$work/bad"; cp "$a"/underserved.* "$work/bad/"
sed -i 's/&quot;reason&quot;/\&quot;dominant_reason\&quot;/' "$work/bad/underserved.qml"
check "! \"$py\" $src/tests/cli/style_fields.py $work/bad > $work/bad.txt && grep -q \"field 'dominant_reason' is not in underserved.geojson\" $work/bad.txt"

# Item 3: the project.
q="$a/carecircle.qgs"
check "[ -s $q ] && \"$py\" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' $q"
check "cmp -s $q $work/c/carecircle.qgs"                       # any thread count
check "! grep -q '$work' $q && ! grep -q '<datasource>/' $q"    # relative paths only
check "[ \"\$(grep -c '<maplayer ' $q)\" = 34 ]"   # sites, 8 types x 3 + meal points (no facility: areas only), demand, estates, districts, 2 unit levels, 3 variants
check "grep -q '<layername>streets: coverage</layername>' $q && grep -q '<layername>社区：覆盖情况</layername>' $work/b/carecircle.qgs"
check "grep -q '<layer-tree-group name=\"社区日间照料中心\"' $q && grep -q '<layer-tree-group name=\"托育机构\"' $q"
check "grep -q '<authid>EPSG:3857</authid>' $q"
check "grep -q '<layername>社区日间照料中心：设施</layername>' $work/b/carecircle.qgs && grep -q '<layername>推荐选址</layername>' $work/b/carecircle.qgs"
check "grep -q '<layername>社区日间照料中心: facilities</layername>' $q"
for v in "$a"/variants/*; do check "[ -s $v/carecircle.qgs ] && ! grep -q 'variants/' $v/carecircle.qgs"; done

echo "qgis project: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
