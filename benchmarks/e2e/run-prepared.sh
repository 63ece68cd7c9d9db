#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Prepared networks on the e2e city (issue 18 item 3; benchmarks/RESULTS.md 2026-12-06):
# `carecircle prepare` time and peak memory, the .ccgraph size, a whole read and a 1/64-area
# window read (bench_window, each in its own process), and the `lean` run (no polygons, bundle
# or report) built vs --prepared: wall time, summary.json's network_build, outputs compared.
#
#   benchmarks/e2e/run-prepared.sh DATA_DIR BUILD_DIR      # DATA_DIR from run-e2e.sh / gen_city.py
#
# BUILD_DIR: a Release build with -DCC_BUILD_BENCHMARKS=ON (carecircle and bench_window).
set -u
data=$1; build=$2; work=${WORK:-/tmp/carecircle-prepared}
mkdir -p "$work"
sed "s#source: \([a-z]*\)\.gpkg#source: $data/\1.gpkg#" "$data/scenario.yaml" > "$work/scenario.yaml"
{ cat "$work/scenario.yaml"; echo "outputs: {catchment_polygons: no, bundle: no, report: no}"; } \
    > "$work/lean.yaml"
echo "== machine: $(nproc) cores; $(uptime)"
rm -rf "$work/prep" "$work/built" "$work/prepared"
/usr/bin/time -f "prepare: %e s wall, %U s user, %S s sys, %M KB peak" "$build/carecircle" prepare "$work/scenario.yaml" \
    --out "$work/prep" --quiet --threads 2
ls -l "$work/prep"
f=$(ls "$work"/prep/graph-*.ccgraph | head -1)
bbox=$(sed -n 's/.*"bbox": \[\([^]]*\)\].*/\1/p' "$work/prep/prepared.json" | head -1 | tr -d ' ')
"$build/benchmarks/bench_window" "$f" whole
EXTENT=$bbox "$build/benchmarks/bench_window" "$f" window
for m in built prepared; do
    extra=(); [ $m = prepared ] && extra=(--prepared "$work/prep")
    /usr/bin/time -f "run $m: %e s wall, %U s user, %S s sys, %M KB peak" "$build/carecircle" run "$work/lean.yaml" \
        --out "$work/$m" --quiet --threads 2 "${extra[@]}"
    grep -o '"network_build": [0-9.]*' "$work/$m/summary.json"
done
n=0
for x in $(cd "$work/built" && find . -type f ! -name summary.json ! -name .carecircle-manifest); do
    cmp -s "$work/built/$x" "$work/prepared/$x" || { echo "differs: $x"; n=$((n+1)); }
done
echo "outputs differing (but summary.json): $n"
echo "== after: $(uptime)"
