#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check the DOM that headless Chromium rendered from report.html (--dump-dom output) and the
browser's log: both district names, coverage figures and the maps are in the rendered page, and
the log holds no console message or failed load. Usage: check_dom.py DOM.html LOG.txt"""
import re
import sys

dom = open(sys.argv[1], encoding="utf-8").read()
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
errors = []
for needle in ("洪山区", "江夏区", "社区日间照料中心", "托育机构",
               "21.1%</span> of 60岁及以上", "35.2%</span> of 0-3岁", "33.1%"):
    if needle not in dom:
        errors.append("rendered DOM lacks %r" % needle)
if len(re.findall(r"<svg class=\"map\"", dom)) != 2:
    errors.append("rendered DOM does not hold two maps")
if re.search(r"<script", dom, re.I):
    errors.append("rendered DOM holds a script element")
# Chromium writes page console output as "CONSOLE(...)" / ":INFO:CONSOLE" lines with
# --enable-logging=stderr, and failed loads as net::ERR_ lines.
for line in log.splitlines():
    if "CONSOLE" in line or "net::ERR_" in line or "Uncaught" in line:
        errors.append("browser log: " + line.strip()[:200])
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("DOM and console checks passed")
