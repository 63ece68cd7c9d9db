#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18 item 3: `carecircle prepare` writes every routing variant's graph of the sample
# (walk at 4 km/h and 3.2 km/h) as a prepared graph file and prepared.json; each file read back
# whole through its tile index (`carecircle info FILE.ccgraph`) has the node, edge and component
# counts `carecircle check` reports for that variant; a damaged file is refused with its name.
# `run --prepared` reads the graphs from the folder and writes the sample run's bytes.
set -uo pipefail
bin="$1"; src="$2"
sc="$src/data/sample/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

"$bin" prepare "$sc" --out "$work/prep" --quiet
check "[ -f $work/prep/graph-walk.ccgraph ] && [ -f $work/prep/graph-walk-3p2.ccgraph ]"
check "[ \$(ls $work/prep | wc -l) -eq 3 ]"
"$bin" check "$sc" > "$work/check.txt" 2>&1
for v in "walk 4 graph-walk" "walk 3.2 graph-walk-3p2"; do
    set -- $v
    f="$work/prep/$3.ccgraph"
    want=$(sed -n "s/^network ($1 at $2 km\/h): \([0-9]*\) nodes, \([0-9]*\) edges, \([0-9]*\) components$/\1 \2 \3/p" "$work/check.txt")
    got=$("$bin" info "$f" | sed -n 's/.*prepared graph, \([0-9]*\) nodes, \([0-9]*\) edges, [0-9]* arcs, \([0-9]*\) components$/\1 \2 \3/p')
    check "[ -n '$want' ] && [ '$want' = '$got' ]"
    # prepared.json names the file with its size and the same counts
    size=$(stat -c %s "$f")
    check "grep -q '\"file\": \"$3.ccgraph\", \"bytes\": $size}' $work/prep/prepared.json"
    set -- $want
    check "grep -q '\"nodes\": $1, \"edges\": $2, \"components\": $3, .*\"$(basename "$f")\"' $work/prep/prepared.json"
done
check "grep -Eq '\"network_key\": \"[0-9a-f]{64}\"' $work/prep/prepared.json"
# the same scenario prepared again gives the same bytes
"$bin" prepare "$sc" --out "$work/prep2" --quiet
check "cmp -s $work/prep/graph-walk.ccgraph $work/prep2/graph-walk.ccgraph"
check "cmp -s $work/prep/prepared.json $work/prep2/prepared.json"
# a damaged file (a byte of the tile index flipped, or cut short) is refused with its name
bad="$work/bad.ccgraph"
cp "$work/prep/graph-walk.ccgraph" "$bad"
printf '\x7f' | dd of="$bad" bs=1 seek=200 conv=notrunc 2>/dev/null
"$bin" info "$bad" > "$work/bad.txt" 2>&1; rc=$?
check "[ $rc -eq 1 ] && grep -q 'bad.ccgraph: prepared graph file is damaged' $work/bad.txt"
head -c 1000 "$work/prep/graph-walk.ccgraph" > "$bad"
"$bin" info "$bad" > "$work/bad.txt" 2>&1; rc=$?
check "[ $rc -eq 1 ] && [ \$(wc -l < $work/bad.txt) -eq 1 ] && grep -q 'bad.ccgraph: .*damaged' $work/bad.txt"
# usage: --out is required
"$bin" prepare "$sc" > "$work/usage.txt" 2>&1; rc=$?
check "[ $rc -eq 2 ] && grep -q 'prepare needs --out PREP_DIR' $work/usage.txt"

# run --prepared reads the graphs from the folder: the same outputs as the sample run
# (CC_SAMPLE_RUN, built), every byte but summary.json's timings and the folder's manifest
if [ -n "${CC_SAMPLE_RUN:-}" ] && [ -d "$CC_SAMPLE_RUN" ]; then
    "$bin" run "$sc" --out "$work/run" --quiet --prepared "$work/prep"
    diffs=$(cd "$CC_SAMPLE_RUN" && find . -type f ! -name summary.json ! -name .carecircle-manifest |
        while read -r f; do cmp -s "$f" "$work/run/$f" || echo "$f"; done)
    check "[ -z '$diffs' ]"
    check "[ \$(find $work/run -type f | wc -l) -eq \$(find $CC_SAMPLE_RUN -type f | wc -l) ]"
    check "diff <(grep -v timings_s $CC_SAMPLE_RUN/summary.json) <(grep -v timings_s $work/run/summary.json) >/dev/null"
fi
# ... and really reads them: a damaged graph file there stops the run with its name
cp -r "$work/prep" "$work/prep3"
printf '\x7f' | dd of="$work/prep3/graph-walk.ccgraph" bs=1 seek=200 conv=notrunc 2>/dev/null
"$bin" run "$sc" --out "$work/run3" --quiet --prepared "$work/prep3" > "$work/run3.txt" 2>&1; rc=$?
check "[ $rc -eq 1 ] && grep -q 'prep3/graph-walk.ccgraph: prepared graph file is damaged' $work/run3.txt"
check "[ ! -e $work/run3/coverage.csv ]"
# a folder prepared for other network settings is not used: the graph is built as usual
# (the small off-network fixture: prepared as it is, run with another snap tolerance)
fx="$src/tests/fixtures/offnet/scenario.yaml"
"$bin" prepare "$fx" --out "$work/prepfx" --quiet
printf '\x7f' | dd of="$(ls "$work"/prepfx/graph-*.ccgraph | head -1)" bs=1 seek=200 conv=notrunc 2>/dev/null
"$bin" run "$fx" --out "$work/run4" --quiet --set network.snap_tolerance_m=0.5 \
    --prepared "$work/prepfx" > "$work/run4.txt" 2>&1; rc=$?
"$bin" run "$fx" --out "$work/run4b" --quiet --set network.snap_tolerance_m=0.5
check "[ $rc -eq 0 ] && cmp -s $work/run4/coverage.csv $work/run4b/coverage.csv"
# a folder without prepared.json: one line saying what to do
"$bin" run "$sc" --out "$work/run5" --quiet --prepared "$work/none" > "$work/run5.txt" 2>&1; rc=$?
check "[ $rc -ne 0 ] && grep -q 'carecircle prepare' $work/run5.txt"
"$bin" check "$sc" --prepared "$work/prep" > "$work/usage2.txt" 2>&1; rc=$?
check "[ $rc -eq 2 ] && grep -q 'prepared is an option of run' $work/usage2.txt"

echo "test_prepare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
