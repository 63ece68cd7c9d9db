#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bad input through the command line: every case must exit with the documented code, print
# exactly one line on stderr that names the file (or scenario position) and says what to do,
# and leave no output folder content behind (earlier results intact).
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/e2e"; io="$src/tests/fixtures/io"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp "$fx"/* "$work/"
cp "$io/facilities.gpkg" "$io/swapped.csv" "$work/"
sc="$work/scenario.yaml"
pass=0; fail=0
# expect NAME CODE FRAGMENT -- ARGS...: run carecircle with ARGS, check code, one line, fragment.
expect() {
  local name="$1" code="$2" frag="$3"; shift 4
  local out="$work/out-$name"
  "$bin" "$@" --out "$out" --quiet 2>"$work/err" >/dev/null
  local rc=$?
  [ -n "${CC_SHOW:-}" ] && echo "$name: $(cat "$work/err")" >&2
  local lines; lines=$(wc -l < "$work/err")
  if [ "$rc" -ne "$code" ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$frag" "$work/err" || \
     [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
    echo "FAIL $name: rc=$rc (want $code), $lines stderr lines, want '$frag':" >&2
    cat "$work/err" >&2
    fail=$((fail+1))
  else
    pass=$((pass+1))
  fi
}
printf 'name: x\ndemand:\n  elderly: {source: demand.csv\n' > "$work/syntax.yaml"
expect yaml_syntax 2 "syntax.yaml:" -- run "$work/syntax.yaml"
expect missing_scenario 1 "nope.yaml" -- run "$work/nope.yaml"
expect unknown_key 2 "did you mean 'threshold_min'" -- run "$sc" --set facilities.day_care.treshold_min=10
expect wrong_type 2 "threshold_min" -- run "$sc" --set facilities.day_care.threshold_min=abc
expect absurd_threshold 2 "10080" -- run "$sc" --set facilities.day_care.threshold_min=10080
expect zero_threshold 2 "threshold_min" -- run "$sc" --set facilities.day_care.threshold_min=0
expect missing_file 2 "not found" -- run "$sc" --set demand.elderly.source=missing.csv
expect unknown_group 2 "serves" -- run "$sc" --set facilities.day_care.serves=elders
expect bad_mode 2 "mode" -- run "$sc" --set network.source=demand.csv --set network.mode=swim
expect missing_field 1 "no_such_field" -- run "$sc" --set demand.elderly.count_field=no_such_field
printf 'id,x,y,elderly,infants\np1,450100,3372000,abc,1\n' > "$work/nonnum.csv"
expect non_numeric 1 "nonnum.csv" -- run "$sc" --set demand.elderly.source=nonnum.csv --set demand.infants.source=nonnum.csv
printf 'id,x,y,elderly,infants\np1,450100,3372000,-5,1\n' > "$work/neg.csv"
expect negative 1 "neg.csv" -- run "$sc" --set demand.elderly.source=neg.csv --set demand.infants.source=neg.csv
printf 'id,x,y,elderly,infants\np1,nan,3372000,5,1\n' > "$work/nanxy.csv"
expect nan_coord 1 "nanxy.csv" -- run "$sc" --set demand.elderly.source=nanxy.csv --set demand.infants.source=nanxy.csv
expect unknown_layer 1 "facilities" -- run "$sc" --set facilities.day_care.source=facilities.gpkg --set facilities.day_care.layer=nope --set facilities.day_care.x_field=null --set facilities.day_care.y_field=null
expect empty_layer 1 "empty" -- run "$sc" --set facilities.day_care.source=facilities.gpkg --set facilities.day_care.layer=empty --set facilities.day_care.crs=null --set facilities.day_care.x_field=null --set facilities.day_care.y_field=null --set facilities.day_care.id_field=null
expect no_crs 1 "crs" -- run "$sc" --set facilities.day_care.source=facilities.gpkg --set facilities.day_care.layer=nocrs --set facilities.day_care.crs=null --set facilities.day_care.x_field=null --set facilities.day_care.y_field=null --set facilities.day_care.id_field=null
expect swapped 1 "swap" -- run "$sc" --set facilities.day_care.source=swapped.csv --set facilities.day_care.x_field=lon --set facilities.day_care.y_field=lat --set facilities.day_care.crs=EPSG:4326 --set facilities.day_care.capacity_field=null --set facilities.day_care.name_field=null
expect far_away 1 "facilities.csv" -- run "$sc" --set facilities.day_care.crs=EPSG:32651
expect points_for_lines 1 "lines" -- run "$sc" --set network.source=demand.csv --set network.x_field=x --set network.y_field=y --set network.crs=EPSG:32650
printf 'id,name,x,y,beds\nf1,a,450000,3372000,30\nf2,b,452000,3372000,20\nf1,c,451000,3372000,10\n' > "$work/dupfac.csv"
expect duplicate_ids 1 "id 'f1' is used by features" -- run "$sc" --set facilities.day_care.source=dupfac.csv
expect bad_threads 2 "--threads" -- run "$sc" --threads many
expect unknown_command 2 "unknown command" -- frobnicate "$sc"
# An output "folder" below a regular file cannot be created.
"$bin" run "$sc" --out "$work/demand.csv/sub" --quiet 2>"$work/err"; rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l < "$work/err")" -eq 1 ] && grep -q "demand.csv/sub" "$work/err"; then pass=$((pass+1)); else echo "FAIL out_not_dir: rc=$rc" >&2; cat "$work/err" >&2; fail=$((fail+1)); fi
# A full disk (file-size limit) fails cleanly and keeps the earlier result.
. "$src/tests/cli/lib_sample.sh"
sample_run "$work/full"
cp "$work/full/demand.geojson" "$work/demand.before"
( ulimit -f 200; "$bin" run "$src/data/sample/scenario.yaml" --out "$work/full" --quiet --set facilities.day_care.threshold_min=10 2>"$work/err" ); rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l < "$work/err")" -eq 1 ] && grep -q "demand.geojson" "$work/err" && \
   cmp -s "$work/full/demand.geojson" "$work/demand.before" && [ -z "$(ls -A "$work/full" | grep '^\.' | grep -vx '.carecircle-manifest')" ]; then
  pass=$((pass+1)); else echo "FAIL full_disk: rc=$rc" >&2; cat "$work/err" >&2; fail=$((fail+1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
