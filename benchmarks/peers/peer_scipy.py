#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""scipy side of the peer benchmark (benchmarks/peers/README.md).

Reads the graph and facilities written by peer_cc, times
scipy.sparse.csgraph.dijkstra(G, indices=fac, limit=1200) (1,000 catchments, dense
facility x node result) and dijkstra(..., min_only=True) (nearest facility for every node),
and checks both against carecircle's answers (cc_catch.u32, cc_nearest.u32).

    /usr/bin/python3 peer_scipy.py DIR [RUNS]

Prints key=value lines (one per measurement) for run-peers.sh.
"""
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

LIMIT_M = 1200


def main():
    d = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    e = np.loadtxt(f"{d}/edges.csv", delimiter=",", skiprows=1, dtype=np.int64)
    fac = np.loadtxt(f"{d}/facilities.csv", delimiter=",", skiprows=1, usecols=1, dtype=np.int64)
    n = int(np.loadtxt(f"{d}/nodes.csv", delimiter=",", skiprows=1, usecols=0).shape[0])
    t0 = time.perf_counter()
    # both directions as explicit arcs, like carecircle's CSR (398,160 arcs)
    src = np.concatenate([e[:, 1], e[:, 2]])
    dst = np.concatenate([e[:, 2], e[:, 1]])
    w = np.concatenate([e[:, 3], e[:, 4]]).astype(np.float64)
    G = csr_matrix((w, (src, dst)), shape=(n, n))
    t_build = time.perf_counter() - t0
    print(f"scipy_version={scipy.__version__}")
    print(f"scipy_build_s={t_build:.6f}")
    print(f"scipy_arcs={G.nnz}")

    # ---- catchments: one bounded search per facility, dense (n_fac x n) result
    tc = []
    D = None
    for _ in range(runs):
        D = None
        t0 = time.perf_counter()
        D = dijkstra(G, directed=True, indices=fac, limit=LIMIT_M)
        tc.append(time.perf_counter() - t0)
    print(f"scipy_catch_median_s={statistics.median(tc):.6f}")
    print(f"scipy_catch_min_s={min(tc):.6f}")
    print(f"scipy_catch_dense_mb={D.nbytes / 1e6:.0f}")

    cc = np.fromfile(f"{d}/cc_catch.u32", dtype="<u4").reshape(-1, 3)
    fi, ni = np.nonzero(D <= LIMIT_M)  # row-major: by facility, then node, like carecircle
    cost = D[fi, ni]
    rows_ok = len(fi) == len(cc)
    pairs_ok = rows_ok and np.array_equal(fi, cc[:, 0]) and np.array_equal(ni, cc[:, 1])
    cost_ok = pairs_ok and np.array_equal(cost, cc[:, 2].astype(np.float64))
    print(f"scipy_catch_rows={len(fi)}")
    print(f"cc_catch_rows={len(cc)}")
    if not pairs_ok:
        a = set(zip(fi.tolist(), ni.tolist()))
        b = set(zip(cc[:, 0].tolist(), cc[:, 1].tolist()))
        print(f"scipy_catch_only_scipy={len(a - b)}")
        print(f"scipy_catch_only_cc={len(b - a)}")
    elif not cost_ok:
        print(f"scipy_catch_cost_mismatch={int(np.count_nonzero(cost != cc[:, 2]))}")
    print(f"scipy_catch_check={'OK' if cost_ok else 'FAIL'}")

    # ---- nearest: one multi-source search
    tn = []
    for _ in range(runs):
        t0 = time.perf_counter()
        dist, _pred, srcs = dijkstra(G, directed=True, indices=fac, limit=LIMIT_M,
                                     min_only=True, return_predecessors=True)
        tn.append(time.perf_counter() - t0)
    print(f"scipy_near_median_s={statistics.median(tn):.6f}")
    print(f"scipy_near_min_s={min(tn):.6f}")
    ccn = np.fromfile(f"{d}/cc_nearest.u32", dtype="<u4").reshape(-1, 2)
    reach = np.isfinite(dist)
    cc_reach = ccn[:, 0] != 0xFFFFFFFF
    dist_ok = np.array_equal(reach, cc_reach) and np.array_equal(
        dist[reach], ccn[reach, 0].astype(np.float64))
    # the facility carecircle names must be at the nearest distance (ties may differ)
    pos = {int(v): i for i, v in enumerate(fac)}
    sfac = np.array([pos.get(int(s), -1) for s in srcs[reach]])
    same = int(np.count_nonzero(sfac == ccn[reach, 1].astype(np.int64)))
    cc_fac_at_min = bool(np.all(D[ccn[reach, 1].astype(np.int64), np.nonzero(reach)[0]] ==
                                dist[reach]))
    print(f"scipy_near_reached={int(reach.sum())}")
    print(f"cc_near_reached={int(cc_reach.sum())}")
    print(f"scipy_near_same_facility={same}")
    print(f"scipy_near_check={'OK' if dist_ok and cc_fac_at_min else 'FAIL'}")


if __name__ == "__main__":
    main()
