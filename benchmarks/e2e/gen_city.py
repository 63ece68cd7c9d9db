#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Synthetic city for the end-to-end benchmark (the issue's 1e6-node, 4e6-arc bar).

    /usr/bin/python3 gen_city.py OUTDIR [--grid N] [--points P] [--facilities F] [--seed S]

Writes into OUTDIR (defaults: N = 1000, P = 1,000,000, F = 10,000, seed 20240611):

  roads.gpkg       layer 'roads': a perturbed N x N street grid, junction spacing 40 m, every
                   junction moved by up to +-3 m (uniform), one 2-point LINESTRING per block
                   (2 N (N - 1) lines) so neighbouring blocks share their junction vertex
                   exactly; field 'highway': 'primary' on every 25th row and column,
                   'residential' elsewhere. N = 1000 gives 1e6 junctions, 1,998,000 lines,
                   3,996,000 arcs once both directions are counted.
  demand.gpkg      layer 'demand': P points uniform over the grid's extent, field 'pop60'
                   (whole number, uniform 0..20).
  facilities.gpkg  layer 'facilities': F points uniform over the extent, fields 'id'
                   (1..F) and 'beds' (uniform 10..60).
  districts.gpkg   layer 'districts': a 4 x 4 grid of squares covering the extent, field
                   'name' ('D11' .. 'D44').

All layers are in EPSG:32650 (UTM 50N) around x = 450000, y = 3370000 (Wuhan's latitude).
Features are written in ogr transactions of 100,000. Prints the time each file took.
Python: Debian's /usr/bin/python3 with python3-gdal and python3-numpy.
"""
import argparse
import os
import struct
import sys
import time

import numpy as np
from osgeo import gdal, ogr, osr

SPACING_M = 40.0
JITTER_M = 3.0
X0, Y0 = 450000.0, 3370000.0
BATCH = 100_000


def new_layer(path, name, gtype, fields):
    """Create PATH as a fresh GeoPackage with one layer; fields: [(name, ogr type)]."""
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32650)
    lyr = ds.CreateLayer(name, srs, gtype)
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    return ds, lyr


def write_features(ds, lyr, wkbs, attrs):
    """Write one feature per WKB blob with attribute columns attrs {field: sequence}."""
    defn = lyr.GetLayerDefn()
    idx = [(defn.GetFieldIndex(k), v) for k, v in attrs.items()]
    ds.StartTransaction()
    for i, wkb in enumerate(wkbs):
        ft = ogr.Feature(defn)
        for fi, vals in idx:
            ft.SetField(fi, vals[i])
        ft.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
        lyr.CreateFeature(ft)
        if (i + 1) % BATCH == 0:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()


def point_wkbs(xy):
    """Little-endian 2D WKB points, one bytes object per row of xy."""
    rec = np.zeros(len(xy), dtype=[("bo", "u1"), ("t", "<u4"), ("x", "<f8"), ("y", "<f8")])
    rec["bo"], rec["t"], rec["x"], rec["y"] = 1, 1, xy[:, 0], xy[:, 1]
    raw = rec.tobytes()
    n = rec.dtype.itemsize
    return [raw[i * n:(i + 1) * n] for i in range(len(xy))]


def line_wkbs(a, b):
    """Little-endian 2D WKB 2-point linestrings from a[i] to b[i]."""
    rec = np.zeros(len(a), dtype=[("bo", "u1"), ("t", "<u4"), ("n", "<u4"), ("ax", "<f8"),
                                  ("ay", "<f8"), ("bx", "<f8"), ("by", "<f8")])
    rec["bo"], rec["t"], rec["n"] = 1, 2, 2
    rec["ax"], rec["ay"], rec["bx"], rec["by"] = a[:, 0], a[:, 1], b[:, 0], b[:, 1]
    raw = rec.tobytes()
    n = rec.dtype.itemsize
    return [raw[i * n:(i + 1) * n] for i in range(len(a))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--grid", type=int, default=1000)
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--facilities", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20240611)
    a = ap.parse_args()
    gdal.UseExceptions()
    gdal.SetConfigOption("OGR_SQLITE_SYNCHRONOUS", "OFF")
    os.makedirs(a.outdir, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    n = a.grid
    ext = (n - 1) * SPACING_M
    x0, y0 = X0 - ext / 2, Y0 - ext / 2

    # Junctions: row-major, node (r, c) = r * n + c.
    t = time.time()
    cc, rr = np.meshgrid(np.arange(n), np.arange(n))
    xy = np.empty((n * n, 2))
    xy[:, 0] = x0 + cc.ravel() * SPACING_M + rng.uniform(-JITTER_M, JITTER_M, n * n)
    xy[:, 1] = y0 + rr.ravel() * SPACING_M + rng.uniform(-JITTER_M, JITTER_M, n * n)
    node = np.arange(n * n).reshape(n, n)
    h_from, h_to = node[:, :-1].ravel(), node[:, 1:].ravel()   # along rows
    v_from, v_to = node[:-1, :].ravel(), node[1:, :].ravel()   # along columns
    src = np.concatenate([h_from, v_from])
    dst = np.concatenate([h_to, v_to])
    # A block is primary when it lies on a primary row (horizontal) or column (vertical).
    h_prim = (rr[:, :-1].ravel() % 25) == 0
    v_prim = (cc[:-1, :].ravel() % 25) == 0
    prim = np.concatenate([h_prim, v_prim])
    hw = np.where(prim, "primary", "residential")
    ds, lyr = new_layer(os.path.join(a.outdir, "roads.gpkg"), "roads", ogr.wkbLineString,
                        [("highway", ogr.OFTString)])
    write_features(ds, lyr, line_wkbs(xy[src], xy[dst]), {"highway": hw.tolist()})
    ds = None
    print(f"roads.gpkg: {n * n} junctions, {len(src)} lines ({int(prim.sum())} primary) "
          f"in {time.time() - t:.1f} s", flush=True)
    del xy, src, dst, hw, prim

    t = time.time()
    pts = np.column_stack([rng.uniform(x0, x0 + ext, a.points),
                           rng.uniform(y0, y0 + ext, a.points)])
    pop = rng.integers(0, 21, a.points)
    ds, lyr = new_layer(os.path.join(a.outdir, "demand.gpkg"), "demand", ogr.wkbPoint,
                        [("pop60", ogr.OFTInteger)])
    write_features(ds, lyr, point_wkbs(pts), {"pop60": pop.tolist()})
    ds = None
    print(f"demand.gpkg: {a.points} points, {int(pop.sum())} people in "
          f"{time.time() - t:.1f} s", flush=True)

    t = time.time()
    fac = np.column_stack([rng.uniform(x0, x0 + ext, a.facilities),
                           rng.uniform(y0, y0 + ext, a.facilities)])
    beds = rng.integers(10, 61, a.facilities)
    ds, lyr = new_layer(os.path.join(a.outdir, "facilities.gpkg"), "facilities", ogr.wkbPoint,
                        [("id", ogr.OFTInteger), ("beds", ogr.OFTInteger)])
    write_features(ds, lyr, point_wkbs(fac),
                   {"id": list(range(1, a.facilities + 1)), "beds": beds.tolist()})
    ds = None

    # Districts: 4 x 4 squares, 1 m beyond the extent on the outer sides.
    ds, lyr = new_layer(os.path.join(a.outdir, "districts.gpkg"), "districts", ogr.wkbPolygon,
                        [("name", ogr.OFTString)])
    step = (ext + 2.0) / 4
    wkbs, names = [], []
    for i in range(4):
        for j in range(4):
            ax, ay = x0 - 1.0 + j * step, y0 - 1.0 + i * step
            ring = [(ax, ay), (ax + step, ay), (ax + step, ay + step), (ax, ay + step),
                    (ax, ay)]
            wkbs.append(struct.pack("<BIII", 1, 3, 1, 5) +
                        b"".join(struct.pack("<dd", *p) for p in ring))
            names.append(f"D{i + 1}{j + 1}")
    write_features(ds, lyr, wkbs, {"name": names})
    ds = None
    print(f"facilities.gpkg: {a.facilities} facilities, districts.gpkg: 16 squares in "
          f"{time.time() - t:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
