#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# routing.cache is read from a folder anyone may write to, so it is never trusted: a cache with
# out-of-range indices or counts (its SHA-256 made to match), flipped payload bytes, a cut or
# lengthened file or a foreign file is ignored with exactly one warning line naming it, the run
# routes again and its outputs equal those of a clean run (byte for byte, but the timings); an
# intact cache is still reused without a warning.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
sc="$src/data/sample/scenario.yaml"
# The sample without variants, report and bundle: the cache is the same, the runs faster.
lite=(--set 'scenarios=[]' --set outputs.bundle=no --set outputs.report=no)
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1" >&2; fail=$((fail+1)); }

# Outputs of a folder without the run-dependent lines (timings, whether routing was reused) and
# without the caches themselves.
same_as_clean() {
  local d="$1" f rel
  while IFS= read -r f; do
    rel="${f#"$work/clean/"}"
    # The manifest records inodes and times of this folder's own files (docs/outputs.md).
    case "$rel" in *routing.cache | .carecircle-manifest) continue ;; esac
    if [ "${rel##*/}" = summary.json ]; then
      cmp -s <(grep -v '"timings_s"\|"routing":\|_facilities":' "$f") <(grep -v '"timings_s"\|"routing":\|_facilities":' "$d/$rel") || { echo "differs: $rel" >&2; return 1; }
    else
      cmp -s "$f" "$d/$rel" || { echo "differs: $rel" >&2; return 1; }
    fi
  done < <(find "$work/clean" -type f)
  [ "$(find "$work/clean" -type f | wc -l)" -eq "$(find "$d" -type f | wc -l)" ]
}

"$bin" run "$sc" "${lite[@]}" --out "$work/clean" --quiet || { echo "FAIL clean run" >&2; exit 1; }
cp "$work/clean/routing.cache" "$work/good.cache"
# The intact cache: reused, no warning.
"$bin" run "$sc" "${lite[@]}" --out "$work/clean" 2>"$work/err" >/dev/null
if ! grep -q "routing cache" "$work/err" && grep -q '"routing": "reused from routing.cache"' "$work/clean/summary.json"; then ok; else bad "intact cache not reused"; cat "$work/err" >&2; fi

# damage NAME WHY PYTHON: copy the clean outputs, change routing.cache with PYTHON (b is the file
# as a bytearray; fix() recomputes the trailing SHA-256), run again, expect one warning line
# naming the cache and WHY, no crash, outputs equal to the clean run.
damage() {
  local name="$1" why="$2" code="$3"
  local out="$work/$name"
  rm -rf "$out"; cp -r "$work/clean" "$out"
  "$py" - "$out/routing.cache" <<PY
import hashlib, struct, sys
path = sys.argv[1]
b = bytearray(open(path, "rb").read())
def fix():
    b[-32:] = hashlib.sha256(bytes(b[:-32])).digest()
# The first type's block: header at 40 (n_pts, n_fac, n_rows), then time_ds[n_pts],
# fac[n_pts], fac_off[n_fac+1], pt[n_rows], time[n_rows].
n_pts, n_fac, n_rows = struct.unpack_from("<QQQ", b, 40)
tds = 64; fac = tds + 4 * n_pts; off = fac + 4 * n_pts; pt = off + 8 * (n_fac + 1); tm = pt + 4 * n_rows
$code
open(path, "wb").write(b)
PY
  "$bin" run "$sc" "${lite[@]}" --out "$out" 2>"$work/err" >/dev/null; local rc=$?
  local w; w=$(grep -c "routing cache" "$work/err")
  if [ $rc -eq 0 ] && [ "$w" -eq 1 ] && grep -q "warning: routing cache '.*routing.cache' is damaged or foreign ($why); ignored, routing again" "$work/err" && \
     ! grep -q "reused from routing.cache" "$out/summary.json" && same_as_clean "$out"; then ok
  else bad "$name: rc=$rc, $w cache warnings, want '$why'"; cat "$work/err" >&2; fi
}
# Issue 14 item 2: a facility index of 0x7FFFFFFF with the key (and here the checksum) intact.
damage fac_index "facility index" 'struct.pack_into("<i", b, fac, 0x7FFFFFFF); fix()'
damage fac_index_neg "facility index" 'struct.pack_into("<i", b, fac + 4, -7); fix()'
damage point_index "demand point index" 'struct.pack_into("<I", b, pt, 0x7FFFFFFF); fix()'
damage offsets "facility offsets" 'struct.pack_into("<Q", b, off + 8, 1 << 40); fix()'
damage row_count "row count" 'struct.pack_into("<Q", b, 56, 1 << 60); fix()'
damage pt_count "counts" 'struct.pack_into("<Q", b, 40, n_pts + 1); fix()'
damage time_beyond "travel time" 'struct.pack_into("<I", b, tm, 0xFFFFFFF0); fix()'
damage nearest_time "nearest time" 'struct.pack_into("<I", b, tds + 4 * next(i for i in range(n_pts) if struct.unpack_from("<i", b, fac + 4 * i)[0] >= 0), 0xFFFFFFFF); fix()'
# Issue 14 item 3: 64 flipped bytes in the payload, checksum left as it was; cut files.
damage flipped "checksum mismatch" 'import random; r = random.Random(14)
for i in r.sample(range(72, len(b) - 32), 64): b[i] ^= 0xFF'
damage one_bit "checksum mismatch" 'b[len(b) // 2] ^= 1'
damage truncated "checksum mismatch" 'del b[len(b) // 2:]'
damage cut_checksum "checksum mismatch" 'del b[-1:]'
damage appended "trailing bytes" 'b += bytes(40); fix()'
damage foreign "not a carecircle routing cache" 'b[:] = b"PK\x03\x04 not a cache at all" + bytes(100)'
damage tiny "not a carecircle routing cache" 'b[:] = b"CCRC0002"'
# A cache of another carecircle version or for other inputs is stale, not damaged: no warning.
cp "$work/good.cache" "$work/clean/routing.cache"
printf 'CCRC0001' | dd of="$work/clean/routing.cache" bs=1 conv=notrunc status=none
"$bin" run "$sc" "${lite[@]}" --out "$work/clean" 2>"$work/err" >/dev/null; rc=$?
if [ $rc -eq 0 ] && ! grep -q "routing cache" "$work/err" && ! grep -q "reused from routing.cache" "$work/clean/summary.json"; then ok; else bad "old version: rc=$rc"; cat "$work/err" >&2; fi
# After a damaged cache was replaced by the rerun, the next run reuses it again.
"$bin" run "$sc" "${lite[@]}" --out "$work/flipped" --quiet
if grep -q '"routing": "reused from routing.cache"' "$work/flipped/summary.json"; then ok; else bad "rewritten cache not reused"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
