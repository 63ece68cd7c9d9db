#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# carecircle.gpkg has the same bytes on every run: for any --threads value (a layer of 65,536
# rows or more takes the two-part path of src/io/write.c), in a locale with a decimal comma,
# and at any time of day: every date in it is 2000-01-01T00:00:00.000Z, or SOURCE_DATE_EPOCH
# when that is set (an unusable value gets a warning and the fixed date).
set -uo pipefail
bin="$1"; src="$2"
sample="$src/data/sample/scenario.yaml"
fixture="$src/tests/fixtures/e2e/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }
# First value of an SQL query on GeoPackage $1.
q() { ogrinfo -ro -q -sql "$2" "$1" 2>/dev/null | sed -n 's/^ *v ([^)]*) = //p' | head -1; }
# Every date in GeoPackage $1, distinct, one per line.
dates() {
    ogrinfo -ro -q -sql "SELECT DISTINCT '' || last_change AS v FROM gpkg_contents UNION SELECT DISTINCT '' || update_time AS v FROM layer_styles" "$1" 2>/dev/null |
        sed -n 's/^ *v ([^)]*) = //p' | sort -u
}

# A locale with a decimal comma, if the system has one (only that part is skipped otherwise).
comma=""
for l in de_DE.UTF-8 de_DE.utf8 fr_FR.UTF-8 fr_FR.utf8; do
    if [ "$(LC_ALL=$l locale decimal_point 2>/dev/null)" = "," ]; then comma=$l; break; fi
done
[ -n "$comma" ] || echo "note: no locale with a decimal comma installed; locale part skipped"
run2() { if [ -n "$comma" ]; then LC_ALL=$comma "$@"; else "$@"; fi; }

# The sample: two runs, one thread and two (the second in the comma locale), the runs more than
# a second apart (each takes about one): the bundle of the run and of every variant is the same.
LC_ALL=C "$bin" run "$sample" --out "$work/s1" --quiet --threads 1
run2 "$bin" run "$sample" --out "$work/s2" --quiet --threads 2
check "[ -s $work/s1/carecircle.gpkg ]"
check "cmp $work/s1/carecircle.gpkg $work/s2/carecircle.gpkg"
nv=0
for v in "$work"/s1/variants/*/; do
    v=$(basename "$v"); nv=$((nv+1))
    check "cmp $work/s1/variants/$v/carecircle.gpkg $work/s2/variants/$v/carecircle.gpkg"
done
check "[ $nv = 3 ]"
# Its dates: the fixed one, in gpkg_contents (8 tables) and layer_styles (7 rows) alike.
check "[ \"\$(dates $work/s1/carecircle.gpkg)\" = 2000-01-01T00:00:00.000Z ]"
check "[ \"\$(q $work/s1/carecircle.gpkg 'SELECT count(*) AS v FROM gpkg_contents')\" = 10 ]"
check "[ \"\$(q $work/s1/carecircle.gpkg \"SELECT count(*) AS v FROM layer_styles WHERE update_time = '2000-01-01T00:00:00.000Z'\")\" = 9 ]"

# A demand layer of 70,000 points (circles only, no network: quick), big enough for the
# writer's two parts: written by two threads or by one, the same bytes.
awk 'BEGIN { print "id,x,y,elderly"
             for (i = 0; i < 70000; i++)
                 printf "p%d,%d,%d,%d\n", i, 450000 + (i * 7919) % 20000,
                        3370000 + int(i / 20000) * 5000 + (i * 104729) % 5000, i % 17 }' \
    >"$work/demand.csv"
printf 'id,name,x,y,beds\nf1,A,455000,3372000,30\nf2,B,462000,3381000,20\n' >"$work/facilities.csv"
cat >"$work/big.yaml" <<'EOF'
name: Big layer
working_crs: EPSG:32650
demand:
  elderly: {source: demand.csv, x_field: x, y_field: y, crs: EPSG:32650, id_field: id, count_field: elderly}
facilities:
  day_care: {source: facilities.csv, x_field: x, y_field: y, crs: EPSG:32650, id_field: id,
             name_field: name, capacity_field: beds, serves: elderly, threshold_min: 15, speed_kmh: 3.2}
EOF
LC_ALL=C "$bin" run "$work/big.yaml" --out "$work/b1" --quiet --threads 1
run2 "$bin" run "$work/big.yaml" --out "$work/b2" --quiet --threads 2
check "[ \"\$(q $work/b1/carecircle.gpkg 'SELECT count(*) AS v FROM demand')\" = 70000 ]"
check "[ \"\$(q $work/b1/carecircle.gpkg \"SELECT rtreecheck('rtree_demand_geom') AS v\")\" = ok ]"
check "cmp $work/b1/carecircle.gpkg $work/b2/carecircle.gpkg"
check "[ -z \"\$(ls -A $work/b1 $work/b2 | grep '^\\.' | grep -vx .carecircle-manifest)\" ]"   # no part or temporary file left

# SOURCE_DATE_EPOCH sets every date (1700000000 s = 2023-11-14T22:13:20Z).
"$bin" run "$fixture" --out "$work/f0" --quiet
SOURCE_DATE_EPOCH=1700000000 "$bin" run "$fixture" --out "$work/f1" --quiet
check "[ \"\$(dates $work/f0/carecircle.gpkg)\" = 2000-01-01T00:00:00.000Z ]"
check "[ \"\$(dates $work/f1/carecircle.gpkg)\" = 2023-11-14T22:13:20.000Z ]"
check "! cmp -s $work/f0/carecircle.gpkg $work/f1/carecircle.gpkg"
# An unusable value: the fixed date, and one warning that names the variable.
SOURCE_DATE_EPOCH=yesterday "$bin" run "$fixture" --out "$work/f2" 2>"$work/err2" >/dev/null
rc=$?
check "[ $rc -eq 0 ]"
check "cmp $work/f0/carecircle.gpkg $work/f2/carecircle.gpkg"
check "[ \"\$(grep -c 'SOURCE_DATE_EPOCH=.yesterday. is not a whole number of seconds' $work/err2)\" = 1 ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
