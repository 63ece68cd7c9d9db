#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every QGIS style a run writes references only fields that exist in its layer.

Usage: style_fields.py OUT_FOLDER. Parses every <name>.qml beside <name>.geojson, every row of
carecircle.gpkg's layer_styles table and every layer embedded in carecircle.qgs; extracts the
fields each renderer uses (attr="..." of categorised/graduated renderers and the "quoted" column
references of rule filters and expressions) and checks each is a field of the layer: the
GeoJSON's property keys, the GeoPackage table's columns (PRAGMA table_info). Prints one line per
fault and exits 1 when there is one."""
import json
import os
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET

COLUMN = re.compile(r'"((?:[^"]|"")+)"')


def used_fields(root):
    """Field names a renderer-v2 element (or a whole QML document) refers to."""
    out = set()
    for el in root.iter():
        if el.tag == "renderer-v2" and el.get("attr"):
            a = el.get("attr")
            out |= {m.replace('""', '"') for m in COLUMN.findall(a)} if '"' in a else {a}
        for key in ("filter", "expression"):
            if el.get(key):
                out |= {m.replace('""', '"') for m in COLUMN.findall(el.get(key))}
    return out


def geojson_fields(path):
    keys = set()
    for f in json.load(open(path, encoding="utf-8"))["features"]:
        keys |= set(f["properties"])
    return keys


def main(folder):
    fails, checked = [], 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".qml"):
            continue
        gj = os.path.join(folder, name[:-4] + ".geojson")
        if not os.path.exists(gj):
            fails.append(f"{name}: no {os.path.basename(gj)} beside it")
            continue
        have = geojson_fields(gj)
        root = ET.parse(os.path.join(folder, name)).getroot()
        use = used_fields(root)
        single = any(r.get("type") == "singleSymbol" for r in root.iter("renderer-v2"))
        if not use and not single:  # one symbol for every feature (a sites list) needs no field
            fails.append(f"{name}: the renderer uses no field")
        for f in sorted(use - have):
            fails.append(f"{name}: field '{f}' is not in {os.path.basename(gj)}")
        checked += 1
    gpkg = os.path.join(folder, "carecircle.gpkg")
    cols = {}
    if os.path.exists(gpkg):
        db = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
        for (table,) in db.execute("SELECT table_name FROM gpkg_contents"):
            cols[table] = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
        for table, style, qml in db.execute(
                "SELECT f_table_name, styleName, styleQML FROM layer_styles"):
            if table not in cols:
                fails.append(f"layer_styles '{style}': no layer '{table}'")
                continue
            for f in sorted(used_fields(ET.fromstring(qml)) - cols[table]):
                fails.append(f"layer_styles '{style}': field '{f}' is not in layer '{table}'")
            checked += 1
    qgs = os.path.join(folder, "carecircle.qgs")
    if os.path.exists(qgs):
        for ml in ET.parse(qgs).getroot().iter("maplayer"):
            src = ml.findtext("datasource")
            parts = src.split("|")
            table = [p[len("layername="):] for p in parts if p.startswith("layername=")][0]
            path = os.path.normpath(os.path.join(folder, parts[0]))
            if not os.path.exists(path):
                fails.append(f"carecircle.qgs: {src}: no file {parts[0]}")
                continue
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            have = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
            if not have:
                fails.append(f"carecircle.qgs: {src}: no layer '{table}'")
            sub = [p[len("subset="):] for p in parts if p.startswith("subset=")]
            use = used_fields(ml.find("renderer-v2")) | (
                {m for m in COLUMN.findall(sub[0])} if sub else set())
            for f in sorted(use - have):
                fails.append(f"carecircle.qgs: layer '{ml.findtext('layername')}': field '{f}' "
                             f"is not in '{table}'")
            checked += 1
    for f in fails:
        print(f"FAIL: {f}")
    print(f"style_fields: {checked} styles checked, {len(fails)} faults")
    return 1 if fails or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
