#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Check pgRouting's answers against carecircle's (benchmarks/peers/README.md).

    /usr/bin/python3 peer_pgr_check.py DIR pgr_catch.csv pgr_near.csv

pgr_catch.csv: root node, node, agg_cost (0-based node ids) from pgr_drivingDistance(1200);
pgr_near.csv: the same with equicost (each node once, under its nearest root). Prints
key=value lines.
"""
import sys

import numpy as np


def load(path):
    a = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    return a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2]


def main():
    d, pc, pn = sys.argv[1:4]
    fac_node = np.loadtxt(f"{d}/facilities.csv", delimiter=",", skiprows=1, usecols=1,
                          dtype=np.int64)
    n = int(np.loadtxt(f"{d}/nodes.csv", delimiter=",", skiprows=1, usecols=0).shape[0])
    fac_of_node = np.full(n, -1, dtype=np.int64)
    fac_of_node[fac_node] = np.arange(len(fac_node))

    # catchments: same (facility, node) set and the same costs
    cc = np.fromfile(f"{d}/cc_catch.u32", dtype="<u4").reshape(-1, 3).astype(np.int64)
    root, node, cost = load(pc)
    f = fac_of_node[root]
    key = f * n + node
    order = np.argsort(key, kind="stable")
    key, cost = key[order], cost[order]
    cc_key = cc[:, 0] * n + cc[:, 1]
    print(f"pgr_catch_rows_checked={len(key)}")
    ok = (f >= 0).all() and np.array_equal(key, cc_key) and np.array_equal(cost, cc[:, 2])
    if not ok:
        print(f"pgr_catch_only_pgr={len(np.setdiff1d(key, cc_key))}")
        print(f"pgr_catch_only_cc={len(np.setdiff1d(cc_key, key))}")
    print(f"pgr_catch_check={'OK' if ok else 'FAIL'}")

    # nearest (equicost): every node once, at carecircle's nearest distance
    ccn = np.fromfile(f"{d}/cc_nearest.u32", dtype="<u4").reshape(-1, 2).astype(np.int64)
    root, node, cost = load(pn)
    once = len(np.unique(node)) == len(node)
    dist = np.full(n, -1.0)
    dist[node] = cost
    cc_dist = np.where(ccn[:, 0] == 0xFFFFFFFF, -1, ccn[:, 0]).astype(np.float64)
    same = int(np.count_nonzero(fac_of_node[root] == ccn[node, 1]))
    print(f"pgr_near_nodes={len(node)}")
    print(f"pgr_near_same_facility={same}")
    ok = once and np.array_equal(dist, cc_dist)
    if not ok:
        print(f"pgr_near_dist_mismatch={int(np.count_nonzero(dist != cc_dist))}")
    print(f"pgr_near_check={'OK' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
