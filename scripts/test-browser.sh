#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Headless-Chromium check of report.html: runs the sample scenario, opens the report in
# Debian's chromium (installed with a CJK font when missing), checks the rendered DOM for the
# district names and coverage figures, checks the browser log for console errors and failed
# loads, and writes a full-page screenshot ($1, default /tmp/carecircle-report.png; the one in
# docs/images/report.png was made this way).
# Usage: scripts/test-browser.sh [SCREENSHOT.png]   (BIN=path/to/carecircle to choose the binary)
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
shot="${1:-${TMPDIR:-/tmp}/carecircle-report.png}"
bin="${BIN:-}"
if [ -z "$bin" ]; then
  for b in "$src/build/carecircle" "$src"/build*/carecircle; do [ -x "$b" ] && { bin="$b"; break; }; done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "test-browser: no carecircle binary; build first or set BIN" >&2; exit 2; }
# chromium and a CJK font come from install-deps (CC_WITH_BROWSER=1).
CC_WITH_BROWSER=1 "$src/scripts/install-deps.sh"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/out" --quiet
report="$work/out/report.html"
[ -s "$report" ] || { echo "test-browser: $report was not written" >&2; exit 1; }
chrome() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-extensions \
    --user-data-dir="$(mktemp -d -p "$work")" --enable-logging=stderr --v=0 "$@"
}
chrome --dump-dom "file://$report" > "$work/dom.html" 2> "$work/log1.txt"
mkdir -p "$(dirname "$shot")"
chrome --hide-scrollbars --screenshot="$shot" --window-size=1280,4000 "file://$report" \
  > /dev/null 2> "$work/log2.txt"
cat "$work/log1.txt" "$work/log2.txt" > "$work/log.txt"
[ -s "$shot" ] || { echo "test-browser: no screenshot written" >&2; exit 1; }
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" "$src/tests/browser/check_dom.py" "$work/dom.html" "$work/log.txt"
echo "test-browser: screenshot $shot"
