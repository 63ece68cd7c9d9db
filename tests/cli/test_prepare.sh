#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18 item 3: `carecircle prepare` writes every routing variant's graph of the sample
# (walk at 4 km/h and 3.2 km/h) as a prepared graph file and prepared.json; each file read back
# whole through its tile index (`carecircle info FILE.ccgraph`) has the node, edge and component
# counts `carecircle check` reports for that variant; a damaged file is refused with its name.
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

echo "test_prepare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
