#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write peer_cc's graph and facilities as GeoPackages for GRASS and QGIS.

    /usr/bin/python3 peer_gpkg.py DIR [N_START]

DIR/net.gpkg: one 2-point LINESTRING per edge (layer 'net', fields eid, source, target,
length_m); DIR/fac.gpkg: the facility junctions as points (layer 'fac', fields fac, node,
cat = fac + 1); DIR/fac_first<N>.gpkg: the first N_START facilities (QGIS subset). EPSG:32650,
coordinates shifted by (400000, 2500000) so they lie inside the UTM zone; lengths unchanged.
"""
import sys

import numpy as np
from osgeo import ogr, osr

X0, Y0 = 400000.0, 2500000.0


def layer(path, name, gtype, fields):
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32650)
    lyr = ds.CreateLayer(name, srs, gtype)
    for f in fields:
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTInteger))
    return ds, lyr


def write_fac(path, fac, node, xy):
    ds, lyr = layer(path, "fac", ogr.wkbPoint, ["fac", "node", "cat"])
    ds.StartTransaction()
    for f, v in zip(fac, node):
        ft = ogr.Feature(lyr.GetLayerDefn())
        ft["fac"], ft["node"], ft["cat"] = int(f), int(v), int(f) + 1
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(X0 + xy[v, 0], Y0 + xy[v, 1])
        ft.SetGeometry(g)
        lyr.CreateFeature(ft)
    ds.CommitTransaction()
    ds = None


def main():
    d = sys.argv[1]
    nstart = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    xy = np.loadtxt(f"{d}/nodes.csv", delimiter=",", skiprows=1)[:, 1:3]
    e = np.loadtxt(f"{d}/edges.csv", delimiter=",", skiprows=1, dtype=np.int64)
    fa = np.loadtxt(f"{d}/facilities.csv", delimiter=",", skiprows=1, usecols=(0, 1),
                    dtype=np.int64)
    ds, lyr = layer(f"{d}/net.gpkg", "net", ogr.wkbLineString,
                    ["eid", "source", "target", "length_m"])
    ds.StartTransaction()
    for eid, s, t, c, _ in e:
        ft = ogr.Feature(lyr.GetLayerDefn())
        ft["eid"], ft["source"], ft["target"], ft["length_m"] = int(eid), int(s), int(t), int(c)
        g = ogr.Geometry(ogr.wkbLineString)
        g.AddPoint_2D(X0 + xy[s, 0], Y0 + xy[s, 1])
        g.AddPoint_2D(X0 + xy[t, 0], Y0 + xy[t, 1])
        ft.SetGeometry(g)
        lyr.CreateFeature(ft)
    ds.CommitTransaction()
    ds = None
    write_fac(f"{d}/fac.gpkg", fa[:, 0], fa[:, 1], xy)
    write_fac(f"{d}/fac_first{nstart}.gpkg", fa[:nstart, 0], fa[:nstart, 1], xy)


if __name__ == "__main__":
    main()
