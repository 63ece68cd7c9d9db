#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Headless-Chromium check of report.html (issue 17.13): runs the sample scenario and opens the
# report in Debian's chromium (installed with a CJK font when missing), with every host name
# unresolvable so that any request leaving the page fails and shows in the log.
#  - the rendered DOM holds the district names and coverage figures (tests/browser/check_dom.py);
#  - at 1400 px and at 390 px: screenshots; at 390 px no horizontal page scroll
#    (document.scrollingElement.scrollWidth <= the viewport);
#  - zoom and a layer toggle of a map driven through the DOM (tests/browser/probe.js, injected
#    into a copy of the report);
#  - print: the page printed to PDF is A4 (every page's MediaBox), its page count is stated, and
#    with the print styles applied at the A4 text width (190 mm = 718 px) every table's right
#    edge lies inside the page;
#  - no console message, failed load or resource request in any of the runs.
# Usage: scripts/test-browser.sh [OUTDIR]   (screenshots report.png and report-phone.png go to
# OUTDIR, default /tmp/carecircle-browser; BIN=path/to/carecircle chooses the binary)
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
outdir="${1:-${TMPDIR:-/tmp}/carecircle-browser}"
bin="${BIN:-}"
if [ -z "$bin" ]; then
  for b in "$src/build/carecircle" "$src"/build*/carecircle; do [ -x "$b" ] && { bin="$b"; break; }; done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "test-browser: no carecircle binary; build first or set BIN" >&2; exit 2; }
command -v chromium >/dev/null || CC_WITH_BROWSER=1 "$src/scripts/install-deps.sh"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$outdir"
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/out" --quiet
report="$work/out/report.html"
[ -s "$report" ] || { echo "test-browser: $report was not written" >&2; exit 1; }
py=/usr/bin/python3; [ -x "$py" ] || py=python3
chrome() {
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-extensions \
    --host-resolver-rules="MAP * ~NOTFOUND" --hide-scrollbars \
    --user-data-dir="$(mktemp -d -p "$work")" --enable-logging=stderr --v=0 "$@"
}
# Copies with the probe: as is, and with the print styles applied on screen.
"$py" - "$report" "$src/tests/browser/probe.js" "$work" <<'PY'
import sys
html, probe, work = open(sys.argv[1], encoding="utf-8").read(), open(sys.argv[2]).read(), sys.argv[3]
tail = "<script>\n" + probe + "</script>\n</body>"
open(work + "/probe.html", "w", encoding="utf-8").write(html.replace("</body>", tail))
printed = html.replace("@media print{", "@media all{").replace("</body>", tail)
open(work + "/probe-print.html", "w", encoding="utf-8").write(printed)
PY
: > "$work/log.txt"
run_dom() { # WIDTH FILE OUT
  chrome --window-size="$1,900" --virtual-time-budget=5000 --dump-dom "file://$2" > "$3" 2>> "$work/log.txt"
}
run_dom 1400 "$report" "$work/dom.html"
run_dom 1400 "$work/probe.html" "$work/probe-1400.html"
run_dom 390 "$work/probe.html" "$work/probe-390.html"
run_dom 718 "$work/probe-print.html" "$work/probe-print.html.out"
chrome --screenshot="$outdir/report.png" --window-size=1400,4000 "file://$report" > /dev/null 2>> "$work/log.txt"
chrome --screenshot="$outdir/report-phone.png" --window-size=390,4000 "file://$report" > /dev/null 2>> "$work/log.txt"
chrome --print-to-pdf="$outdir/report.pdf" --no-pdf-header-footer "file://$report" > /dev/null 2>> "$work/log.txt"
for f in report.png report-phone.png report.pdf; do
  [ -s "$outdir/$f" ] || { echo "test-browser: $outdir/$f was not written" >&2; exit 1; }
done
"$py" "$src/tests/browser/check_dom.py" "$work/dom.html" "$work/log.txt" \
  "$work/probe-1400.html" "$work/probe-390.html" "$work/probe-print.html.out" "$outdir/report.pdf"
echo "test-browser: screenshots and PDF in $outdir"
