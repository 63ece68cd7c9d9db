#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# report.html end to end: the sample's report is one self-contained, well-formed file (no
# script, stylesheet, image or font fetched from anywhere), names both districts, the first
# proposed site and the run id (scenario hash), is byte-identical across thread counts and
# locales, and shows data strings as text: a facility named <script>alert(1)</script> in the
# circle fixture comes out escaped, never as markup.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

# Well-formed: strict XML parse (the report is written as XML-clean HTML) and every HTML
# start tag closed in order (html.parser).
wellformed() {
  "$py" - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
path = sys.argv[1]
ET.parse(path)
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source", "area", "base"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.err = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID: self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if tag in VOID: return
        if not self.stack or self.stack[-1] != tag:
            self.err.append("unexpected </%s> at line %d (open: %s)" % (tag, self.getpos()[0], self.stack[-3:]))
        else:
            self.stack.pop()
p = P(); p.feed(open(path, encoding="utf-8").read()); p.close()
if p.stack: p.err.append("unclosed: %s" % p.stack)
if p.err:
    print("\n".join(p.err[:5]), file=sys.stderr); sys.exit(1)
PY
}
# Nothing is loaded from elsewhere: no link/img/iframe/object element, one inline <script>
# (the maps' pan, zoom and toggles) and no other, no src= or href= at all, no url(...) or
# @import in the CSS, no http(s):// URL anywhere. The page opens with no network.
selfcontained() {
  ! grep -Eiq '<(link|img|iframe|object|embed|audio|video)[[:space:]>]' "$1" &&
  [ "$(grep -Eio '<script[^>]*>' "$1" | sort -u)" = '<script>' ] &&
  [ "$(grep -Eio '<script' "$1" | wc -l)" -eq 1 ] &&
  ! grep -Eiq 'https?://' "$1" &&
  ! grep -Eiq '[[:space:]](src|href|xlink:href|srcset)[[:space:]]*=' "$1" &&
  ! grep -Eiq 'url[[:space:]]*\(|@import' "$1"
}

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out"
r="$work/out/report.html"
check "[ -s $r ]"
check "head -c 15 $r | grep -q '<!DOCTYPE html>'"
check "grep -q '<meta charset=\"utf-8\"/>' $r"
check "selfcontained $r"
check "wellformed $r"
check "grep -q '洪山区' $r && grep -q '江夏区' $r"
site=$(sed -n 2p "$work/out/sites.csv" | cut -d, -f2)
check "[ '$site' = auto-101 ]" # the exact list (issue 13.10)
check "grep -q '<code>$site</code>' $r"
hash=$(grep -o '"sha256": "[0-9a-f]\{64\}"' "$work/out/summary.json" | head -1 | grep -o '[0-9a-f]\{64\}')
check "[ -n '$hash' ] && grep -q '$hash' $r"
# Figures of the reviewed run: network shares in the headline and the district table.
check "grep -q '>21.1%</span> of 60岁及以上 (7,630) live <strong>within reach</strong>: 15 min on the network' $r"
check "grep -q '>35.2%</span> of 0-3岁 (948)' $r"
check "grep -q '<td class=\"n\">33.1%</td>' $r"   # 江夏区 day_care elderly network share
check "grep -q 'needs 5639 more people to bring within reach' $r"
check "[ \$(grep -c '<svg class=\"map\"' $r) -eq 9 ] && [ \$(grep -c '<svg class=\"chart\"' $r) -eq 9 ]"   # one per facility type
check "grep -q '<svg class=\"bars\"' $r"
check "[ \$(grep -o 'class=\"site\"' $r | wc -l) -eq 1 ] && grep -q '>5</text>' $r"
# Same bytes with one thread and a comma-decimal locale.
LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 "$bin" run "$src/data/sample/scenario.yaml" --out "$work/out1" --threads 1 --quiet 2>/dev/null
check "cmp -s $r $work/out1/report.html"

# Escaping: a hostile facility name in a copy of the circle fixture (no network, no districts).
cp -r "$src/tests/fixtures/e2e" "$work/fx"
"$py" - "$work/fx/facilities.csv" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read().replace("东湖日间照料中心", "<script>alert(1)</script>", 1)
open(p, "w", encoding="utf-8").write(s)
PY
check "grep -q '<script>alert(1)</script>' $work/fx/facilities.csv"
"$bin" run "$work/fx/scenario.yaml" --out "$work/fxout" --quiet
e="$work/fxout/report.html"
check "[ -s $e ]"
check "grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' $e"
check "[ \$(grep -ci '<script' $e) -eq 1 ] && ! grep -qi '<script>alert' $e"
check "grep -q 'Garden, &quot;South&quot; centre' $e"
check "wellformed $e"
check "selfcontained $e"
check "grep -q 'Fixture circles' $e && grep -q '<svg class=\"map\"' $e"

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
