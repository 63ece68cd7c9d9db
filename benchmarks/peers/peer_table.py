#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Print the peer benchmark table from the key=value results (benchmarks/peers/README.md).

    /usr/bin/python3 peer_table.py DIR

Reads DIR/cc_times.txt ("key value") and DIR/peer_*.kv ("key=value"). Seconds are medians of
the repetitions (min s: the fastest one; "-" for tools run once); the ratio is the tool's median
over carecircle's median (2 threads, same task).
"""
import glob
import sys


def main():
    d = sys.argv[1]
    kv = {}
    with open(f"{d}/cc_times.txt") as f:
        for line in f:
            k, v = line.split()
            kv["cc_" + k] = v
    for p in sorted(glob.glob(f"{d}/peer_*.kv")):
        with open(p) as f:
            for line in f:
                if "=" in line:
                    k, v = line.strip().split("=", 1)
                    kv[k] = v
    g = kv.get
    t = int(g("cc_threads", "2"))
    cc_c = float(g(f"cc_catchments_t{t}_median_s"))
    cc_n = float(g(f"cc_nearest_t{t}_median_s"))
    rows = []

    def add(tool, task, secs, base, check, smin=None):
        if secs is None:
            return
        s = float(secs)
        m = f"{float(smin):.3f}" if smin is not None else "-"
        r = "-" if base is None else f"{s / base:.0f}x" if s / base >= 10 else f"{s / base:.1f}x"
        rows.append((tool, task, f"{s:.3f}", m, r, check))

    crow = g("cc_catchment_rows")
    add(f"carecircle ({t} threads)", "1,000 catchments", cc_c, cc_c, f"{crow} rows (reference)",
        g(f"cc_catchments_t{t}_min_s"))
    add("carecircle (1 thread)", "1,000 catchments", g("cc_catchments_t1_median_s"), cc_c,
        f"{crow} rows (reference)", g("cc_catchments_t1_min_s"))
    if g("scipy_catch_check"):
        add(f"scipy {g('scipy_version')} dijkstra(limit=1200)", "1,000 catchments",
            g("scipy_catch_median_s"), cc_c,
            f"{g('scipy_catch_check')} ({g('scipy_catch_rows')} = {crow} pairs, costs equal)"
            if g("scipy_catch_check") == "OK" else
            f"FAIL ({g('scipy_catch_rows')} vs {crow} pairs)", g("scipy_catch_min_s"))
    if g("pgr_catch_check"):
        add(f"pgRouting {g('pgr_version')} pgr_drivingDistance", "1,000 catchments",
            g("pgr_catch_median_s"), cc_c,
            f"{g('pgr_catch_check')} ({g('pgr_catch_rows')} = {crow} rows, costs equal)"
            if g("pgr_catch_check") == "OK" else
            f"FAIL ({g('pgr_catch_rows')} vs {crow} rows)", g("pgr_catch_min_s"))
    if g("qgis_check"):
        n = int(g("qgis_starts"))
        scaled = float(g("qgis_s")) * 1000 / n if n != 1000 else float(g("qgis_s"))
        task = "1,000 catchments" if n == 1000 else f"{n} catchments, time x{1000 / n:g}"
        add(f"QGIS {g('qgis_version')} serviceareafromlayer", task, scaled, cc_c,
            f"{g('qgis_check')} ({g('qgis_nodes')} = {g('qgis_cc_nodes')} (start, node) pairs "
            f"< 1200 m; cut points at 1200 m within {g('qgis_cut_max_dev_m')} m)")
    add(f"carecircle ({t} threads)", "nearest for 99,856 nodes", cc_n, cc_n,
        "all reached (reference)", g(f"cc_nearest_t{t}_min_s"))
    add("carecircle (1 thread)", "nearest for 99,856 nodes", g("cc_nearest_t1_median_s"), cc_n,
        "all reached (reference)", g("cc_nearest_t1_min_s"))
    if g("scipy_near_check"):
        add("scipy dijkstra(min_only=True)", "nearest for 99,856 nodes", g("scipy_near_median_s"),
            cc_n, f"{g('scipy_near_check')} ({g('scipy_near_reached')} distances equal; same "
            f"facility {g('scipy_near_same_facility')}, rest ties)", g("scipy_near_min_s"))
    if g("pgr_near_check"):
        add("pgRouting pgr_drivingDistance equicost", "nearest for 99,856 nodes",
            g("pgr_near_median_s"), cc_n,
            f"{g('pgr_near_check')} ({g('pgr_near_nodes')} distances equal; same facility "
            f"{g('pgr_near_same_facility')})", g("pgr_near_min_s"))
    if g("grass_check"):
        add(f"GRASS {g('grass_version')} v.net.alloc", "nearest (whole network)",
            g("grass_alloc_s"), cc_n,
            f"{g('grass_check')} ({g('grass_pieces')} pieces, {g('grass_len_m')} m allocated; "
            f"{g('grass_bad')} at a wrong distance)")
        add("GRASS v.in.ogr + v.net connect", "(input, not in the ratio above)",
            float(g("grass_import_s")) + float(g("grass_connect_s")), None, "-")
    head = ("tool", "task", "median s", "min s", "ratio", "agreement with carecircle")
    w = [max(len(r[i]) for r in rows + [head]) for i in range(6)]
    print("| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |")
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(r)) + " |")
    fails = [r for r in rows if "FAIL" in r[5]]
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
