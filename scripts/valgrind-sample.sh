#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run the sample scenario under valgrind memcheck on a Debug build (build-valgrind/, no
# sanitizers): fails (exit 9) on any memory error or definite leak. Possible and reachable
# leaks are listed but do not fail the run (GDAL/PROJ keep caches until exit).
# Usage: scripts/valgrind-sample.sh [extra carecircle args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${CC_VALGRIND_BUILD_DIR:-$root/build-valgrind}"
CC_WITH_CHECK_TOOLS=1 "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCC_WITH_SANITIZERS=OFF \
    -DCC_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$dir" --target carecircle -j"${JOBS:-$(nproc)}"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
start=$(date +%s)
rc=0
valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --error-exitcode=9 --track-origins=yes --num-callers=30 --log-file="$dir/valgrind.log" \
    "$dir/carecircle" run "$root/data/sample/scenario.yaml" --out "$out/sample" --quiet \
    --threads 2 "$@" || rc=$?
grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost' "$dir/valgrind.log" >&2 || true
echo "valgrind-sample: exit $rc, $(( $(date +%s) - start )) s under valgrind (log $dir/valgrind.log)" >&2
exit $rc
