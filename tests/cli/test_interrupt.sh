#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Ctrl-C: a run on a large generated demand CSV (2e6 points, circle fixture) gets SIGINT once
# it is under way; it must exit 130 with one line on stderr, leave the earlier outputs
# byte-for-byte untouched and leave no temporary file in the output folder.
set -uo pipefail
bin="$1"; src="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

fx="$src/tests/fixtures/e2e"
"$bin" run "$fx/scenario.yaml" --out "$work/out" --quiet
check "[ -s $work/out/coverage.csv ]"
(cd "$work/out" && sha256sum * | sort) > "$work/before.sha"

cp "$fx/scenario.yaml" "$fx/facilities.csv" "$work/"
awk 'BEGIN { print "id,x,y,elderly,infants";
             for (i = 0; i < 2000000; i++)
               printf "q%d,%d,%d,%d,%d\n", i, 449000 + (i*37)%4000, 3370000 + (i*91)%5000, 1 + i%7, i%2 }' \
    > "$work/demand.csv"

"$bin" run "$work/scenario.yaml" --out "$work/out" --quiet 2> "$work/err.txt" &
pid=$!
# A background job of a script starts with SIGINT ignored until carecircle installs its handler:
# wait for the handler (SigCgt bit 2 in /proc) so a loaded machine cannot lose the signal.
for _ in $(seq 200); do
  cgt=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || break
  [ -n "$cgt" ] && (( 0x$cgt & 2 )) && break
  sleep 0.05
done
sleep "${CC_INTERRUPT_AFTER:-1}"
kill -INT "$pid" 2>/dev/null
wait "$pid"; rc=$?
check "[ $rc -eq 130 ]"
check "[ \$(wc -l < $work/err.txt) -eq 1 ]"
check "grep -qi 'interrupt' $work/err.txt"
(cd "$work/out" && sha256sum * | sort) > "$work/after.sha"
check "diff -u $work/before.sha $work/after.sha >&2"
check "[ \$(ls -A $work/out | grep -vx .carecircle-manifest | wc -l) -eq \$(wc -l < $work/before.sha) ]"
[ "$fail" -eq 0 ] || { echo "stderr was:" >&2; cat "$work/err.txt" >&2; echo "exit $rc" >&2; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
