#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The ctest fixture cli_sample_run: one run of the sample scenario with default options into
# $3, which the CLI tests copy (tests/cli/lib_sample.sh) instead of each running it again.
set -euo pipefail
bin="$1"; src="$2"; out="$3"
rm -rf "$out" "$out.tmp"
"$bin" run "$src/data/sample/scenario.yaml" --out "$out.tmp" --quiet
mv "$out.tmp" "$out"
