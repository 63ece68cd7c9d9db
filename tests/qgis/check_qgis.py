#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Open OUT/carecircle.qgs in QGIS headless (PyQGIS, QT_QPA_PLATFORM=offscreen) and check it as
a planner would see it: the project CRS, every layer valid, its CRS EPSG:4326, its feature count
that of the GeoPackage layer (with the same filter) read by GDAL's ogrinfo, and of the GeoJSON
when one exists, every field the renderer uses present in the layer; then render the visible
layers to PNG and require a picture that is not blank (pixel variance).
Usage: check_qgis.py OUT_FOLDER PNG"""
import os
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,  # noqa: E402
                       QgsProject, QgsRenderContext)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def ogr_count(path, layer, where):
    cmd = ["ogrinfo", "-ro", "-so", path, layer] + (["-where", where] if where else [])
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Feature Count: "):
            return int(line.split(": ")[1])
    return None


def main(folder, png):
    app = QgsApplication([], False)
    app.initQgis()
    fails = []
    proj = QgsProject.instance()
    if not proj.read(os.path.join(folder, "carecircle.qgs")):
        print("FAIL: QGIS cannot read carecircle.qgs")
        return 1
    if proj.crs().authid() != "EPSG:3857":
        fails.append(f"project CRS {proj.crs().authid()}, not EPSG:3857")
    root = proj.layerTreeRoot()
    layers = [n.layer() for n in root.findLayers()]
    if len(layers) != len(proj.mapLayers()):
        fails.append("the layer tree does not hold every layer")
    for lyr in layers:
        name = lyr.name()
        if not lyr.isValid():
            fails.append(f"{name}: not valid ({lyr.source()})")
            continue
        if lyr.crs().authid() != "EPSG:4326":
            fails.append(f"{name}: CRS {lyr.crs().authid()}")
        parts = lyr.source().split("|")
        table = [p.split("=", 1)[1] for p in parts if p.startswith("layername=")][0]
        where = lyr.subsetString()
        want = ogr_count(parts[0], table, where)
        if lyr.featureCount() != want or not want:
            fails.append(f"{name}: {lyr.featureCount()} features, GDAL reads {want}")
        gj = os.path.join(os.path.dirname(parts[0]), table + ".geojson")
        if os.path.exists(gj) and ogr_count(gj, table, where) != want:
            fails.append(f"{name}: {want} features, {table}.geojson has {ogr_count(gj, table, where)}")
        have = set(lyr.fields().names())
        used = set(lyr.renderer().usedAttributes(QgsRenderContext()))
        if not used and lyr.renderer().type() != "singleSymbol":
            fails.append(f"{name}: the {lyr.renderer().type()} renderer uses no field")
        for f in sorted(used - have):
            fails.append(f"{name}: the renderer uses '{f}', not a field of the layer")
        print(f"  {name}: {lyr.featureCount()} features, {lyr.renderer().type()} on "
              f"{', '.join(sorted(used)) or '-'}")
    visible = [n.layer() for n in root.findLayers() if n.isVisible()]
    ms = QgsMapSettings()
    ms.setLayers(visible)
    ms.setDestinationCrs(proj.crs())
    ms.setOutputSize(QSize(1200, 900))
    ms.setBackgroundColor(QColor(255, 255, 255))
    view = proj.viewSettings().defaultViewExtent()  # the extent the project opens on
    if view.isEmpty():
        fails.append("the project has no default view extent")
    ms.setExtent(view if not view.isEmpty() else ms.fullExtent())
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(png)
    w, h = img.width(), img.height()
    vals, coloured = [], 0
    for y in range(0, h, 6):
        for x in range(0, w, 6):
            c = img.pixelColor(x, y)
            vals.append((c.red() + c.green() + c.blue()) / 3)
            coloured += (c.red(), c.green(), c.blue()) != (255, 255, 255)
    mean = sum(vals) / len(vals)
    var = sum((v - mean) ** 2 for v in vals) / len(vals)
    share = coloured / len(vals)
    print(f"  render: {len(visible)} visible layers, {w}x{h}, variance {var:.0f}, "
          f"{share:.0%} not white")
    if var < 100 or share < 0.05:
        fails.append(f"the rendered map is blank (variance {var:.0f}, {share:.0%} not white)")
    for f in fails:
        print(f"FAIL: {f}")
    print(f"check_qgis: {len(layers)} layers, {len(fails)} faults")
    app.exitQgis()
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
