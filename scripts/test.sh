#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fresh machine to a tested build in one command: install what is missing, build (Debug,
# warnings as errors) and run every test with ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build-test" Debug
cd "$root/build-test"
ctest --output-on-failure -j"$(nproc)" "$@"
