#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hostile and broken inputs for the readers (issues 13 and 14), through the command line.
# A refused input must exit with the documented code, print exactly one line on stderr, valid
# UTF-8, naming the file (or scenario position) and what to do, and leave the earlier results
# in the output folder byte for byte as they were. Inputs that are fine must give the right
# numbers. CC_SHOW=1 prints every message.
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/e2e"; hx="$src/tests/fixtures/io/hostile"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp "$fx"/* "$work/"
cp -r "$hx/gbk_nocpg" "$work/"
sc="$work/scenario.yaml"
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1" >&2; [ -f "$work/err" ] && cat "$work/err" >&2; fail=$((fail+1)); }

# An earlier result, kept for comparing after each refused run.
"$bin" run "$sc" --out "$work/keep" --quiet 2>"$work/err" || bad "baseline run"
cp -r "$work/keep" "$work/keep.before"

# expect NAME CODE FRAGMENT -- ARGS...: carecircle ARGS --out keep; code, one UTF-8 line,
# fragment, earlier output untouched. Runs under a time limit: a FIFO must not hang it.
expect() {
  local name="$1" code="$2" frag="$3"; shift 4
  timeout -s KILL 60 "$bin" "$@" --out "$work/keep" --quiet 2>"$work/err" >/dev/null
  local rc=$?
  [ -n "${CC_SHOW:-}" ] && echo "$name: $(cat "$work/err")" >&2
  local lines; lines=$(wc -l < "$work/err")
  if [ "$rc" -ne "$code" ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$frag" "$work/err" || \
     ! iconv -f UTF-8 -t UTF-8 "$work/err" >/dev/null 2>&1 || \
     ! diff -r "$work/keep" "$work/keep.before" >/dev/null; then
    echo "FAIL $name: rc=$rc (want $code), $lines stderr lines, want '$frag':" >&2
    cat "$work/err" >&2
    fail=$((fail+1))
  else
    pass=$((pass+1))
  fi
}
# summary NAME DIR JQ-LIKE-FRAGMENT: a successful run's summary.json holds the fragment.
summary_has() {
  if grep -qF -- "$3" "$2/summary.json" 2>/dev/null; then ok; else bad "$1: summary.json lacks '$3'"; fi
}

# --- 13.2: a point table on a regular grid is a table, never GDAL's XYZ raster ---
{
  echo "x,y,total,elderly"
  for y in 3372000 3372100 3372200; do for x in 450000 450100 450200; do
    echo "$x,$y,100,5"; done; done
} > "$work/grid.csv"
{
  echo "id,x,y,beds"
  for y in 3372000 3372100; do for x in 450000 450100; do echo "$(( (y-3372000)/100*2 + (x-450000)/100 + 1 )),$x,$y,10"; done; done
} > "$work/gridfac.csv"
"$bin" run "$sc" --out "$work/grid" --quiet --set demand.elderly.source=grid.csv \
  --set demand.elderly.id_field=null --set demand.infants.source=grid.csv \
  --set demand.infants.id_field=null --set demand.infants.count_field=total 2>"$work/err"
if [ $? -eq 0 ]; then
  summary_has grid_demand "$work/grid" '"points": 9'
  summary_has grid_demand "$work/grid" '"elderly": {"label": "elderly", "scale": 1, "population": 45}'
else bad grid_demand; fi
"$bin" run "$sc" --out "$work/gridfac" --quiet --set facilities.day_care.source=gridfac.csv \
  --set facilities.day_care.name_field=null 2>"$work/err"
if [ $? -eq 0 ]; then summary_has grid_facilities "$work/gridfac" '"facilities": 4'; else bad grid_facilities; fi
# the same table saved as .xyz and .txt: still a table with x_field/y_field
cp "$work/grid.csv" "$work/grid.xyz"; cp "$work/grid.csv" "$work/grid.txt"
for ext in xyz txt; do
  "$bin" run "$sc" --out "$work/grid_$ext" --quiet --set demand.elderly.source=grid.$ext \
    --set demand.elderly.id_field=null --set demand.infants.source=grid.$ext \
    --set demand.infants.id_field=null --set demand.infants.count_field=total 2>"$work/err"
  if [ $? -eq 0 ]; then summary_has "grid_$ext" "$work/grid_$ext" '"population": 45}'; else bad "grid_$ext"; fi
done
if "$bin" info "$work/grid.csv" 2>"$work/err" | grep "^driver: CSV" >/dev/null; then ok; else bad info_grid_csv; fi

# --- 14.14: FIFOs and /dev/stdin are refused at once, not read for ever ---
mkfifo "$work/pipe.csv"
expect fifo_source 1 "pipe.csv: is not a regular file (a pipe, terminal or device)" -- run "$sc" --set facilities.day_care.source=pipe.csv
expect stdin_source 1 "/dev/stdin: is not a regular file" -- run "$sc" --set facilities.day_care.source=/dev/stdin
if timeout -s KILL 20 "$bin" info "$work/pipe.csv" 2>"$work/err" >/dev/null; then bad info_fifo
elif grep -q "is not a regular file" "$work/err"; then ok; else bad info_fifo; fi

# --- 14.15 / 13.14: network addresses and zip archives ---
expect http_source 2 "is a network address; carecircle reads local files only: download the file first" -- run "$sc" --set facilities.day_care.source=http://example.com/facilities.csv
expect https_source 2 "download the file first" -- run "$sc" --set demand.elderly.source=https://example.com/d.csv
printf 'PK\003\004 not a real archive' > "$work/fac.zip"
expect zip_source 1 "fac.zip: is a zip archive; give the file inside it as /vsizip/" -- run "$sc" --set facilities.day_care.source=fac.zip

# --- 14.5: numbers are numbers, or refused with the line ---
printf 'id,name,x,y,beds\nf1,a,450000,3372000,30\nf2,b,452000,3372000,"1,000"\n' > "$work/comma.csv"
printf 'String,String,Real,Real,Integer\n' > "$work/comma.csvt"
expect typed_comma 1 "comma.csv: line 3: field 'beds' value '1,000' is not a number" -- run "$sc" --set facilities.day_care.source=comma.csv
printf 'id,name,x,y,beds\nf1,a,450000,3372000,30\nf2,b,452000,3372000,"1,000"\n' > "$work/comma2.csv"
expect text_comma 1 "comma2.csv: line 3: field 'beds' value '1,000' is not a number" -- run "$sc" --set facilities.day_care.source=comma2.csv
printf 'id,name,x,y,beds\nf1,a,450000,3372000,1e300\n' > "$work/huge.csv"
expect huge_number 1 "huge.csv: line 2: field 'beds' value '1e300' is out of range" -- run "$sc" --set facilities.day_care.source=huge.csv
printf 'id,name,x,y,beds\nf1,a,450000,3372000,1.5e3\nf2,b,452000,3372000,40.9\n' > "$work/typed.csv"
printf 'String,String,Real,Real,Integer\n' > "$work/typed.csvt"
"$bin" run "$sc" --out "$work/typed" --quiet --set facilities.day_care.source=typed.csv 2>"$work/err"
if [ $? -ne 0 ]; then bad typed_numbers
elif ! command -v ogrinfo >/dev/null; then ok # ran; the values are checked by io_test_hostile_readers
elif [ "$(ogrinfo -ro -al -q "$work/typed/carecircle.gpkg" facilities | grep -o 'capacity (Real) = .*' | tr '\n' ' ')" = \
       "capacity (Real) = 1500 capacity (Real) = 40.9 " ]; then ok
else bad "typed_numbers: capacities not 1500 and 40.9"; fi

# .csvt-typed columns: GDAL warns about one bad cell per layer (an Integer column's 1.5e3 already
# uses it) and leaves the others unset like empty cells; every one is refused with its line
printf 'id,x,y,elderly,infants\np1,450100,3372000,10,1\np2,450000,3372500,1.5e3,1\np3,451000,3372000,40,1\np4,452000,3372790,"1,000",1\np5,455000,3372000,abc,1\n' > "$work/dem5.csv"
printf 'String,Real,Real,Integer,Integer\n' > "$work/dem5.csvt"
expect typed_count_line5 1 "dem5.csv: line 5: field 'elderly' value '1,000' is not a number" -- run "$sc" --set demand.elderly.source=dem5.csv
printf 'id,name,x,y,beds\nf1,a,450000,3372000,1.5e3\nf2,b,452000,3372000,1.5e3\nf3,c,451000,3372500,n/a\n' > "$work/faclast.csv"
printf 'String,String,Real,Real,Integer\n' > "$work/faclast.csvt"
expect typed_capacity_last 1 "faclast.csv: line 4: field 'beds' value 'n/a' is not a number" -- run "$sc" --set facilities.day_care.source=faclast.csv
printf 'id,name,x,y,beds\nf1,a,450000,3372000,30\nf2,b,452000,n/a,20\nf3,c,451000,abc,5\n' > "$work/facxy.csv"
printf 'String,String,Real,Real,Integer\n' > "$work/facxy.csvt"
expect typed_coord_filtered 1 "facxy.csv: line 4: column 'y' value 'abc' is not a number" -- run "$sc" --set facilities.day_care.source=facxy.csv --set "facilities.day_care.where=id <> 'f2'"
if python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w"); [z.write(f,f.split("/")[-1]) for f in sys.argv[2:]]' \
     "$work/faclast.zip" "$work/faclast.csv" "$work/faclast.csvt" 2>/dev/null; then
  expect typed_capacity_zip 1 "faclast.csv: line 4: field 'beds' value 'n/a' is not a number" -- run "$sc" --set "facilities.day_care.source=/vsizip/$work/faclast.zip/faclast.csv"
fi
# a valid typed table with an empty capacity: the exact totals
printf 'id,x,y,elderly,infants\np1,450100,3372000,1.5e3,1\np2,450000,3372500,20,1\np3,451000,3372000,40.5,1\np4,452000,3372790,79.5,1\np5,455000,3372000,160,1\n' > "$work/demok.csv"
printf 'String,Real,Real,Integer,Integer\n' > "$work/demok.csvt"
printf 'id,name,x,y,beds\nf1,a,450000,3372000,1.5e3\nf2,b,452000,3372000,\n' > "$work/facok.csv"
printf 'String,String,Real,Real,Integer\n' > "$work/facok.csvt"
"$bin" run "$sc" --out "$work/typedok" --quiet --set demand.elderly.source=demok.csv \
  --set demand.infants.source=demok.csv --set facilities.day_care.source=facok.csv 2>"$work/err"
if [ $? -eq 0 ]; then
  summary_has typed_ok_population "$work/typedok" '"population": 1800,'
  summary_has typed_ok_reach "$work/typedok" '"within_reach": 1599.5,'
else bad typed_ok; fi

# --- 14.15: NaN coordinates, empty ids ---
printf 'id,name,x,y,beds\nf1,a,450000,3372000,30\nf2,b,nan,3372000,20\n' > "$work/nanfac.csv"
printf 'String,String,Real,Real,Integer\n' > "$work/nanfac.csvt"
expect nan_typed 1 "nanfac.csv: line 3: column 'x' value 'nan' is not a number" -- run "$sc" --set facilities.day_care.source=nanfac.csv
printf 'id,name,x,y,beds\nf1,a,450000,3372000,30\n,b,452000,3372000,20\n' > "$work/noid.csv"
expect empty_id 1 "noid.csv: line 3: id field 'id' is empty; every feature needs an id" -- run "$sc" --set facilities.day_care.source=noid.csv
printf 'id,x,y,elderly,infants\np1,450100,3372000,10,1\n  ,450000,3372500,20,1\n' > "$work/noiddem.csv"
expect empty_demand_id 1 "noiddem.csv: line 3: id field 'id' is empty" -- run "$sc" --set demand.elderly.source=noiddem.csv --set demand.infants.source=noiddem.csv

# --- 14.6: GBK Shapefile without .cpg ---
expect gbk_values 1 "field 'name' looks like GBK-encoded Chinese ('全元医院' when read as GBK)" -- run "$sc" --set facilities.day_care.source=gbk_nocpg/hosp.shp --set facilities.day_care.x_field=null --set facilities.day_care.y_field=null --set facilities.day_care.crs=null --set facilities.day_care.id_field=null --set facilities.day_care.capacity_field=null
expect gbk_field_names 1 "the field names look GBK-encoded" -- run "$sc" --set facilities.day_care.source=gbk_nocpg/fields.shp --set facilities.day_care.x_field=null --set facilities.day_care.y_field=null --set facilities.day_care.crs=null --set facilities.day_care.id_field=null --set facilities.day_care.capacity_field=null --set facilities.day_care.name_field=nmae
# declared (wrongly) as UTF-8: the raw GBK field name is listed as '?', stderr stays UTF-8
expect gbk_field_bytes 1 "not found (fields: ????)" -- run "$sc" --set facilities.day_care.source=gbk_nocpg/fields.shp --set facilities.day_care.x_field=null --set facilities.day_care.y_field=null --set facilities.day_care.crs=null --set facilities.day_care.id_field=null --set facilities.day_care.capacity_field=null --set facilities.day_care.name_field=nmae --set facilities.day_care.encoding=UTF-8

# --- 13.14: clearer messages ---
printf 'id,lon,lat,population\np1,450100,3372000,10\n' > "$work/pop.csv"
expect suggest_by_similarity 1 "did you mean 'population'?" -- run "$sc" --set demand.elderly.source=pop.csv --set demand.elderly.x_field=lon --set demand.elderly.y_field=lat --set demand.elderly.count_field=pop --set demand.infants.source=pop.csv --set demand.infants.x_field=lon --set demand.infants.y_field=lat --set demand.infants.count_field=population
expect where_type_mismatch 1 "compares a text column with a number (CSV columns are text); write CAST(field AS integer)" -- run "$sc" --set "facilities.day_care.where=beds > 25"
"$bin" run "$sc" --out "$work/cast" --quiet --set "facilities.day_care.where=CAST(beds AS integer) > 25" 2>"$work/err"
if [ $? -eq 0 ]; then summary_has where_cast "$work/cast" '"facilities": 1'; else bad where_cast; fi
if "$bin" info "$src/tests/fixtures/io/ways.osm" 2>"$work/err" >"$work/info.txt" && \
   grep -q "features: 5" "$work/info.txt" && ! grep -q "unknown" "$work/info.txt"; then ok; else bad info_osm_counts; fi

# --- 14.15: field names compare in ASCII, also under a Turkish locale ---
if mkdir -p "$work/loc" && localedef -i tr_TR -f UTF-8 "$work/loc/tr_TR.UTF-8" >/dev/null 2>&1; then
  LOCPATH="$work/loc" LC_ALL=tr_TR.UTF-8 "$bin" run "$sc" --out "$work/tr" --quiet \
    --set facilities.day_care.id_field=ID --set facilities.day_care.name_field=NAME 2>"$work/err"
  if [ $? -eq 0 ]; then summary_has tr_locale "$work/tr" '"facilities": 2'; else bad tr_locale; fi
  # a variant's folder name is the same in every locale ('I' folds to 'i')
  printf '\nscenarios:\n  - name: PLAN IX\n    set: {facilities.day_care.threshold_min: 10}\n' >> "$work/tr.yaml.tail"
  cat "$sc" "$work/tr.yaml.tail" > "$work/trv.yaml"
  LOCPATH="$work/loc" LC_ALL=tr_TR.UTF-8 "$bin" run "$work/trv.yaml" --out "$work/trv" --quiet 2>"$work/err"
  if [ $? -eq 0 ] && [ -d "$work/trv/variants/plan-ix" ]; then ok; else bad "tr_variant_slug: $(ls "$work/trv/variants" 2>&1)"; fi
else
  echo "localedef cannot build tr_TR.UTF-8: Turkish-locale case skipped" >&2
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
