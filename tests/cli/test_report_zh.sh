#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# report.html in Chinese (issue 17.8): with labels: zh the sample's page is wholly Chinese
# (<html lang="zh-CN">, no visible text node with an ASCII word of 3+ letters outside an
# allow-list: names and ids from the data, file names, units, OSM/WorldPop attribution), and
# in English by default (<html lang="en">). Both pages open with no network: no external URL.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

"$bin" run "$src/data/sample/scenario.yaml" --out "$work/zh" --quiet --set siting.labels=zh
. "$src/tests/cli/lib_sample.sh"
sample_run "$work/en"
zh="$work/zh/report.html"; en="$work/en/report.html"
check "[ -s $zh ] && [ -s $en ]"
check "grep -q '<html lang=\"zh-CN\">' $zh"
check "grep -q '<html lang=\"en\">' $en"
check "grep -q '<h2>概览</h2>' $zh && grep -q '<h2>Headline</h2>' $en"
check "grep -q '>21.1%</span> 的 60岁及以上（7,630）居住在<strong>可达范围内</strong>：15 分钟（路网）' $zh"
check "grep -q '<h2>数据来源与许可</h2>' $zh && grep -q 'OpenStreetMap' $zh && grep -q 'WorldPop' $zh"
check "! grep -Eq 'https?://' $zh && ! grep -Eq 'https?://' $en"

# Visible text of the Chinese page: every text node outside <style>, <script>, <code> and
# elements marked lang="en" (the pipeline's English warnings, said so on the page).
nomixed() {
  "$py" - "$1" "$src" <<'PY'
import re, sys, glob
from html.parser import HTMLParser
path, src = sys.argv[1], sys.argv[2]
# Names and ids from the data: every ASCII word of the scenario and the target sets it reads.
allow = set()
for f in [src + "/data/sample/scenario.yaml"] + glob.glob(src + "/data/targets/*"):
    text = open(f, encoding="utf-8", errors="replace").read()
    if f.endswith(".yaml"):  # values only, not the comments
        text = "\n".join(l.split(" #")[0] for l in text.splitlines() if not l.lstrip().startswith("#"))
    allow |= set(re.findall(r"[A-Za-z]{3,}", text))
# and the ids of the sample's features (inst-420111, hc-420111-S11: data, shown as they are)
for f in glob.glob(src + "/data/sample/*.geojson"):
    allow |= set(re.findall(r"[A-Za-z]{3,}", " ".join(re.findall(r'"id": ?"([^"]*)"', open(f, encoding="utf-8").read()))))
allow |= {"OSM", "OpenStreetMap", "ODbL", "WorldPop", "www", "worldpop", "org", "SHA", "WGS",
          "UTM", "zone", "carecircle", "csv", "json", "geojson", "summary", "sites", "targets",
          # automatic candidate names (sites.c names them "demand cell N")
          "demand", "cell"}
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = []
    def handle_starttag(self, tag, attrs):
        if tag in VOID: return
        self.stack.append((tag, dict(attrs).get("lang")))
    def handle_endtag(self, tag):
        if tag in VOID: return
        if self.stack and self.stack[-1][0] == tag: self.stack.pop()
    def handle_data(self, d):
        if any(t in ("style", "script", "code") or (l == "en" and t != "html")
               for t, l in self.stack):
            return
        for w in re.findall(r"[A-Za-z]{3,}", d):
            if w not in allow: self.bad.append((w, d.strip()[:70]))
p = P(); p.feed(open(path, encoding="utf-8").read())
for w, d in p.bad[:10]:
    print("English word %r in: %s" % (w, d), file=sys.stderr)
sys.exit(1 if p.bad else 0)
PY
}
check "nomixed $zh"
# The check can fail: the English page is full of English words.
check "! nomixed $en 2>/dev/null"

echo "report_zh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
