#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Variants that change little route little (src/pipeline/variant_reuse.c): a small scenario on
# the sample's data with variants that add, remove and move facilities, change a threshold and
# the population, change a type's speed or the demand snapping, is run twice: as it is (graphs
# borrowed, kept facilities' catchment rows, outlines and people reached copied from the
# baseline) and with CC_VARIANT_FULL_ROUTE=1 (every variant builds, routes and traces all).
# Every output file must be the same bytes, summary.json but for its timings and the routed /
# reused counts, which must be what each variant changed.
set -uo pipefail
bin="$1"; src="$2"
d="$src/data/sample"
work="${KEEP:-$(mktemp -d)}"; [ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

# the facilities with dc-03 moved about 200 m east under the same id
sed 's/\[114\.5096192,30\.4801731\]/[114.5117,30.4801731]/' "$d/facilities.geojson" > "$work/moved.geojson"
cat > "$work/scenario.yaml" <<Y
name: variant reuse
working_crs: auto
thresholds_min: [10, 15, 30]
network: {source: $d/roads.osm, layer: lines, mode: walk, max_snap_m: 300}
demand:
  elderly: {source: $d/elderly_60plus.tif}
facilities:
  day_care:
    source: $d/facilities.geojson
    where: "kind = '日间照料中心'"
    id_field: id
    capacity_field: beds
    serves: elderly
    threshold_min: 15
    speed_kmh: 3.2
  institution:
    source: $d/facilities.geojson
    where: "kind = '养老机构'"
    id_field: id
    capacity_field: beds
    serves: elderly
    threshold_min: 30
outputs: {bundle: no}
scenarios:
  - name: adds
    add_facilities: {day_care: {source: $d/planned.geojson, id_field: id}}
  - name: removes
    remove_facilities: {day_care: [dc-02, dc-05]}
  - name: moves
    set: {facilities.day_care.source: $work/moved.geojson}
  - name: adds at 10 min for more people
    set: {facilities.day_care.threshold_min: 10, demand.elderly.scale: 1.3}
    add_facilities: {day_care: {source: $d/planned.geojson, id_field: id}}
  - name: day care faster
    set: {facilities.day_care.speed_kmh: 4}
  - name: shorter snaps
    set: {network.demand_max_snap_m: 200}
    add_facilities: {day_care: {source: $d/planned.geojson, id_field: id}}
Y
"$bin" run "$work/scenario.yaml" --out "$work/reuse" --quiet --threads 2
CC_VARIANT_FULL_ROUTE=1 "$bin" run "$work/scenario.yaml" --out "$work/full" --quiet --threads 1
check "grep -q 114.5117 $work/moved.geojson"
strip() { grep -v -e '"threads"' -e '"timings_s"' -e '"routed_facilities"' -e '"reused_facilities"' "$1"; }
n=0
for f in $(cd "$work/full" && find . -type f ! -name .carecircle-manifest | sort); do
    n=$((n+1))
    if [ "${f##*/}" = summary.json ]; then
        check "diff <(strip $work/full/$f) <(strip $work/reuse/$f) >&2"
    else
        check "cmp $work/full/$f $work/reuse/$f"
    fi
done
check "[ $n -ge 70 ]" # every variant's files, not an empty folder
check "[ \$(cd $work/full && find . -type f | wc -l) = \$(cd $work/reuse && find . -type f | wc -l) ]"
# routed / reused per variant: the baseline has 6 day care centres and 2 institutions
counts() { printf '%s %s' "$(grep -o '"routed_facilities": [0-9]*' "$1" | grep -o '[0-9]*$')" \
                          "$(grep -o '"reused_facilities": [0-9]*' "$1" | grep -o '[0-9]*$')"; }
check "[ '$(counts $work/reuse/summary.json)' = '8 0' ]"
check "[ '$(counts $work/reuse/variants/adds/summary.json)' = '2 8' ]"
check "[ '$(counts $work/reuse/variants/removes/summary.json)' = '0 6' ]"
check "[ '$(counts $work/reuse/variants/moves/summary.json)' = '1 7' ]"
check "[ '$(counts $work/reuse/variants/adds-at-10-min-for-more-people/summary.json)' = '2 8' ]"
check "[ '$(counts $work/reuse/variants/day-care-faster/summary.json)' = '6 2' ]"
check "[ '$(counts $work/reuse/variants/shorter-snaps/summary.json)' = '10 0' ]"
check "[ '$(counts $work/full/variants/adds/summary.json)' = '10 0' ]"
check "grep -q '\"routing\": \"computed\"' $work/reuse/variants/adds/summary.json"
echo "variant_reuse: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
