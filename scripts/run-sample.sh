#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fresh machine to results in one command: install what is missing, build in Release,
# run the sample scenario (data/sample/scenario.yaml) and say where the outputs are.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build-release" Release
out="${1:-$root/out/sample}"
"$root/build-release/carecircle" run "$root/data/sample/scenario.yaml" --out "$out"
echo
echo "Outputs are in $out:"
ls -1 "$out"
