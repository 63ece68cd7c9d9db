#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `carecircle check` prints whole lines however long the names: a scenario deep in folders with
# long names (a path of over 600 bytes) appears in full on the scenario line (the text was once
# formatted into fixed 512-byte buffers and cut short), and the counts of the sample are right.
set -uo pipefail
bin="$1"; src="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
long="$work/$(printf 'a%.0s' $(seq 200))/$(printf 'b%.0s' $(seq 200))/$(printf 'c%.0s' $(seq 200))"
mkdir -p "$long" && cp -r "$src/data/sample" "$long/sample" && cp -r "$src/data/targets" "$long/targets"
out="$("$bin" check "$long/sample/scenario.yaml" 2>&1)" || { echo "check failed: $out" >&2; exit 1; }
line="$(printf '%s\n' "$out" | grep '^scenario: ')"
case "$line" in *"($long/sample/scenario.yaml)") ;; *) echo "scenario line cut short: ${line:0:80}..." >&2; exit 1;; esac
printf '%s\n' "$out" | grep -qx 'demand points: 2363' || { echo "wrong demand point count" >&2; exit 1; }
printf '%s\n' "$out" | grep -qx 'districts: 2' || { echo "wrong district count" >&2; exit 1; }
printf '%s\n' "$out" | tail -1 | grep -q 'warning(s); inputs are usable$' || { echo "no closing line" >&2; exit 1; }
echo "check text: ok"
