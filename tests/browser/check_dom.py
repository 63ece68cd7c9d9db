#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check what headless Chromium made of report.html (scripts/test-browser.sh): the rendered DOM
holds both district names, coverage figures and a map per facility type; the probe runs (tests/browser/probe.js)
saw no horizontal page scroll at 390 px, a working zoom and layer toggle, no resource request,
and, with the print styles at the A4 text width, every table inside the page; the PDF is A4
throughout (its page count is printed); the browser log holds no console message, failed load
or request. Usage: check_dom.py DOM LOG PROBE1400 PROBE390 PROBEPRINT PDF"""
import html
import json
import re
import sys

dom = open(sys.argv[1], encoding="utf-8").read()
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
errors = []
for needle in ("洪山区", "江夏区", "社区日间照料中心", "托育机构",
               "21.1%</span> of 60岁及以上", "35.2%</span> of 0-3岁", "33.1%"):
    if needle not in dom:
        errors.append("rendered DOM lacks %r" % needle)
n_types = len(re.findall(r"<section id=\"type-\d+\"", dom))
if n_types != 9 or len(re.findall(r"<svg class=\"map\"", dom)) != n_types:
    errors.append("rendered DOM does not hold a map for each of the sample's nine types")
if len(re.findall(r"<script", dom, re.I)) != 1 or re.search(r"<script[^>]*\ssrc", dom, re.I):
    errors.append("rendered DOM holds other than one inline script")


def probe(path):
    m = re.search(r'data-probe="([^"]*)"', open(path, encoding="utf-8").read())
    if not m:
        errors.append("%s: the probe did not run" % path)
        return {}
    return json.loads(html.unescape(m.group(1)))


wide, phone, printed = probe(sys.argv[3]), probe(sys.argv[4]), probe(sys.argv[5])
for name, p in (("1400 px", wide), ("390 px", phone), ("print", printed)):
    if not p:
        continue
    if p["resources"]:
        errors.append("%s: requests left the page: %s" % (name, p["resources"][:3]))
    if p["zoom"] != "2" or "scale(2)" not in (p["transform"] or ""):
        errors.append("%s: the zoom button did not zoom (%s, %s)" % (name, p["zoom"], p["transform"]))
    if p["hidden"] != "none" or p["shown"] == "none":
        errors.append("%s: the facilities toggle did not hide and show (%s, %s)"
                      % (name, p["hidden"], p["shown"]))
if phone and phone["scrollWidth"] > phone["innerWidth"]:
    errors.append("390 px: the page scrolls sideways (scrollWidth %d > %d)"
                  % (phone["scrollWidth"], phone["innerWidth"]))
if printed and printed["tableRight"] > printed["clientWidth"] + 0.5:
    errors.append("print: a table reaches %.1f px, beyond the A4 text width %d px"
                  % (printed["tableRight"], printed["clientWidth"]))
# The PDF: every page A4 (595.28 x 841.89 pt, 1 pt tolerance).
pdf = open(sys.argv[6], "rb").read()
boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
if not pages or not boxes:
    errors.append("print: no page in the PDF")
for b in boxes:
    w, h = float(b[2]) - float(b[0]), float(b[3]) - float(b[1])
    if abs(w - 595.28) > 1 or abs(h - 841.89) > 1:
        errors.append("print: a page is %.1f x %.1f pt, not A4" % (w, h))
        break
# Chromium writes page console output as "CONSOLE(...)" / ":INFO:CONSOLE" lines with
# --enable-logging=stderr, and failed loads as net::ERR_ lines.
for line in log.splitlines():
    if "CONSOLE" in line or "net::ERR_" in line or "Uncaught" in line:
        errors.append("browser log: " + line.strip()[:200])
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("DOM, phone, print (%d A4 pages), zoom, toggle and console checks passed" % pages)
