#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check docs/questions.md against a run of the sample: every row that names an output file and
fields must name a file the run wrote and fields that file has (a CSV column, a GeoJSON feature
property, a JSON key path with dots), and the page's count of answered questions must be the
count of such rows. Usage: questions.py QUESTIONS_MD OUT_DIR; prints one line per fault."""
import csv
import json
import os
import re
import sys


def rows(md):
    out = []
    for line in open(md, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"\d+[a-z]?", cells[0]):
            out.append(cells)
    return out


def ticks(cell):
    return re.findall(r"`([^`]+)`", cell)


def fields_of(path):
    if path.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            return set(next(csv.reader(f)))
    data = json.load(open(path, encoding="utf-8"))
    if path.endswith(".geojson"):
        keys = set()
        for feat in data["features"]:
            keys |= set(feat["properties"].keys())
        return keys
    keys = set()

    def walk(v, pre):
        if isinstance(v, dict):
            for k, x in v.items():
                keys.add(pre + k)
                walk(x, pre + k + ".")
        elif isinstance(v, list):
            for x in v:
                walk(x, pre)
    walk(data, "")
    return keys


def main(md, out):
    faults, answered, total = [], 0, 0
    for num, question, fcell, dcell in rows(md):
        total += 1
        files, fields = ticks(fcell), ticks(dcell)
        if fcell == "—":
            if not dcell.startswith("—") or len(dcell) < 10:
                faults.append(f"question {num}: no file, and the field column gives no reason")
            continue
        answered += 1
        if not files or not fields:
            faults.append(f"question {num}: a file and at least one field in backticks are needed")
            continue
        have = set()
        for f in files:
            p = os.path.join(out, f)
            if not os.path.isfile(p):
                faults.append(f"question {num}: {f} is not written by the sample run")
                continue
            have |= fields_of(p)
        for fld in fields:
            if files and fld not in have:
                faults.append(f"question {num}: no field {fld} in {', '.join(files)}")
    text = open(md, encoding="utf-8").read()
    m = re.search(r"\*\*(\d+) of the (\d+) questions\*\*", text)
    if not m:
        faults.append("the page does not say '**N of the M questions**'")
    elif (int(m.group(1)), int(m.group(2))) != (answered, total):
        faults.append(f"the page says {m.group(1)} of {m.group(2)}; its table answers "
                      f"{answered} of {total}")
    for f in faults:
        print(f)
    print(f"questions: {answered} of {total} answered from the sample run, {len(faults)} faults",
          file=sys.stderr)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
