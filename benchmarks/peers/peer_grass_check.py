#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Check GRASS v.net.alloc's allocation against carecircle's nearest distances.

    /usr/bin/python3 peer_grass_check.py DIR alloc.gpkg

v.net.alloc writes the network as pieces (edges, split where two centres are equally far),
each with the category (fac + 1) of its centre. Every piece is sampled at five points along
each of its segments; at each, the distance via the piece's centre (from either end of the
grid edge under it) must equal the nearest-facility distance there, computed from
carecircle's node distances (cc_nearest.u32): min(d(u) + t, d(v) + 40 - t). The per-centre
node distances come from scipy (limit 1,400 m). The pieces must also cover the whole
network (199,080 x 40 m). Prints key=value lines.
"""
import sys

import numpy as np
from osgeo import ogr
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

X0, Y0, SP = 400000.0, 2500000.0, 40.0


def main():
    d, path = sys.argv[1:3]
    xy = np.loadtxt(f"{d}/nodes.csv", delimiter=",", skiprows=1)[:, 1:3]
    n = len(xy)
    side = int(round(np.sqrt(n)))
    cell = np.empty(n, dtype=np.int64)  # grid cell j * side + i -> node id
    cell[np.rint(xy[:, 1] / SP).astype(np.int64) * side + np.rint(xy[:, 0] / SP).astype(
        np.int64)] = np.arange(n)
    e = np.loadtxt(f"{d}/edges.csv", delimiter=",", skiprows=1, dtype=np.int64)
    fac = np.loadtxt(f"{d}/facilities.csv", delimiter=",", skiprows=1, usecols=1, dtype=np.int64)
    G = csr_matrix((np.concatenate([e[:, 3], e[:, 4]]).astype(float),
                    (np.concatenate([e[:, 1], e[:, 2]]), np.concatenate([e[:, 2], e[:, 1]]))),
                   shape=(n, n))
    D = dijkstra(G, indices=fac, limit=1400.0)
    ccn = np.fromfile(f"{d}/cc_nearest.u32", dtype="<u4").reshape(-1, 2)
    near = np.where(ccn[:, 0] == 0xFFFFFFFF, np.inf, ccn[:, 0].astype(float))

    ds = ogr.Open(path)
    lyr = ds.GetLayer(0)
    ax, ay, bx, by, cat = [], [], [], [], []
    pieces = 0
    for ft in lyr:
        g = ft.GetGeometryRef()
        c = ft.GetField("cat")
        parts = [g.GetGeometryRef(k) for k in range(g.GetGeometryCount())] \
            if g.GetGeometryCount() else [g]
        for p in parts:
            pts = p.GetPoints()
            for (x1, y1), (x2, y2) in zip(pts[:-1], pts[1:]):
                ax.append(x1), ay.append(y1), bx.append(x2), by.append(y2), cat.append(c)
        pieces += 1
    ax, ay = np.array(ax) - X0, np.array(ay) - Y0
    bx, by = np.array(bx) - X0, np.array(by) - Y0
    cat = np.array(cat, dtype=np.int64)
    seglen = np.hypot(bx - ax, by - ay)
    keep = seglen > 1e-9
    ax, ay, bx, by, cat, seglen = ax[keep], ay[keep], bx[keep], by[keep], cat[keep], seglen[keep]
    bad = np.zeros(len(ax), dtype=bool)
    for f in (0.01, 0.25, 0.5, 0.75, 0.99):
        px, py = ax + f * (bx - ax), ay + f * (by - ay)
        vert = np.abs(ax - bx) < 1e-6  # runs along y
        i0 = np.where(vert, np.rint(px / SP), np.floor(px / SP)).astype(np.int64)
        j0 = np.where(vert, np.floor(py / SP), np.rint(py / SP)).astype(np.int64)
        i1, j1 = np.where(vert, i0, i0 + 1), np.where(vert, j0 + 1, j0)
        u, v = cell[j0 * side + i0], cell[j1 * side + i1]
        t = np.where(vert, py - j0 * SP, px - i0 * SP)
        m = np.minimum(near[u] + t, near[v] + SP - t)
        fc = cat - 1
        mc = np.minimum(D[fc, u] + t, D[fc, v] + SP - t)
        bad |= np.abs(mc - m) > 1e-6
    total = float(seglen.sum())
    expect = len(e) * SP
    print(f"grass_pieces={pieces}")
    print(f"grass_len_m={total:.0f}")
    print(f"grass_bad={int(bad.sum())}")
    ok = not bad.any() and abs(total - expect) < 1e-3 * expect
    print(f"grass_check={'OK' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
