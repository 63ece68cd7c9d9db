#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Propose markers for unmarked figures in a Markdown file (a maintainer's aid, not a test).

For each decimal or thousands-grouped number outside markers, code and fixed regions, look for
an output value of the run that prints the same way, and wrap the number in a marker with that
expression. Numbers with no source are listed; a maintainer marks them by hand or puts them in
<!--fixed--> regions. Review the result with `git diff`: a value can match by chance.

    doc_figures_propose.py OUTDIR FILE.md [--write]
"""
import csv
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_figures as df  # noqa: E402

KEYS_ALWAYS = ("threshold_min", "speed_kmh", "rank", "minutes")
PRIORITY = ("coverage.csv", "districts.csv", "summary.json", "sites.csv", "targets.csv",
            "sensitivity.csv", "comparison.csv", "curve.csv", "catchments.geojson",
            "underserved.geojson", "demand.geojson")


def _num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def candidates(outdir):
    out = []
    for dirpath, _, names in sorted(os.walk(outdir)):
        for name in sorted(names):
            rel = os.path.relpath(os.path.join(dirpath, name), outdir)
            full = os.path.join(dirpath, name)
            if name.endswith(".csv"):
                with open(full, encoding="utf-8-sig", newline="") as fp:
                    rows = list(csv.DictReader(fp))
                if not rows:
                    continue
                cols = list(rows[0].keys())
                textcols = [c for c in cols if any(r[c] != "" and _num(r[c]) is None for r in rows)]
                keycols = [c for c in textcols if len({r[c] for r in rows}) > 1]
                keycols += [c for c in cols if c in KEYS_ALWAYS]
                for r in rows:
                    flt = ", ".join(f"{k}={r[k]!r}" if _num(r[k]) is None or k not in KEYS_ALWAYS
                                    else f"{k}={r[k]}" for k in keycols)
                    for c in cols:
                        if c in keycols:
                            continue
                        v = _num(r[c])
                        if v is None:
                            continue
                        sep = ", " if flt else ""
                        out.append((rel, f"row({rel!r}, {c!r}{sep}{flt})", v))
            elif name == "summary.json":
                def walk(v, path):
                    if isinstance(v, dict):
                        for k, w in v.items():
                            walk(w, path + [k])
                    elif isinstance(v, list):
                        for i, w in enumerate(v):
                            walk(w, path + [str(i)])
                    elif isinstance(v, (int, float)) and not isinstance(v, bool):
                        skip = ("timings_s", "size_bytes", "inputs", "circle_radius_m", "scale",
                                "speed_kmh", "threshold_min", "threads")
                        if any(p in skip for p in path):
                            return
                        out.append((rel, f"j({rel!r}, {'.'.join(path)!r})", float(v)))
                with open(full, encoding="utf-8") as fp:
                    walk(json.load(fp), [])
            elif name == "demand.geojson":
                with open(full, encoding="utf-8") as fp:
                    feats = [f["properties"] for f in json.load(fp)["features"]]
                if not feats:
                    continue
                groups = [k for k in feats[0] if k in ("elderly", "infants", "residents")]
                reasons = [k for k in feats[0] if k.startswith("reason_")]
                dists = sorted({f.get("district") or "" for f in feats})
                for rk in reasons:
                    for rv in sorted({f[rk] for f in feats if f[rk]}):
                        for d in [None] + dists:
                            flt = {rk: rv} if d is None else {rk: rv, "district": d}
                            sel = [f for f in feats if all(f.get(k) == v for k, v in flt.items())]
                            fl = ", ".join(f"{k}={v!r}" for k, v in flt.items())
                            out.append((rel, f"fcount({rel!r}, {fl})", float(len(sel))))
                            for g in groups:
                                out.append((rel, f"fsum({rel!r}, {g!r}, {fl})",
                                            sum(float(f[g] or 0) for f in sel)))
    return out


def rank(rel):
    base = os.path.basename(rel)
    p = PRIORITY.index(base) if base in PRIORITY else len(PRIORITY)
    return (not rel.startswith(PREFER), "/variants/" in rel, p)


PREFER = os.environ.get("PREFER", "base/")


def formats_for(s):
    """Formats that could print string s."""
    dec = len(s.split(".")[1]) if "." in s else 0
    fm = [f"n{dec}"] if "," in s else [f"pct{dec}", f"f{dec}"]
    return fm


def propose(outdir, path, write, lines=None):
    cands = sorted(candidates(outdir), key=lambda c: rank(c[0]))
    with open(path, encoding="utf-8") as fp:
        text = fp.read()
    # Positions that are already marked, fixed, or code are skipped exactly as the check does.
    masked = df.MARK.sub(lambda m: " " * len(m.group(0)), text)
    masked = re.sub(r"<!--fixed-->.*?<!--/fixed-->", lambda m: " " * len(m.group(0)), masked,
                    flags=re.S)
    masked = re.sub(r"```.*?```", lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked, flags=re.S)
    masked = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), masked)
    masked = re.sub(r"^(?: {4}|\t).*$", lambda m: " " * len(m.group(0)), masked, flags=re.M)
    edits = []
    missing = []
    for m in df.NUMBER.finditer(masked):
        s = m.group(0)
        hit = None
        digits = len(re.sub(r"[^0-9]", "", s).lstrip("0"))
        for how in (formats_for(s) if digits >= 4 else []):
            for rel, expr, v in cands:
                if how.startswith("pct") and not (0 <= v <= 1):
                    continue
                if df.fmt(v, how) == s:
                    hit = (expr, how)
                    break
            if hit:
                break
        line = df._lineno(text, m.start())
        if lines and not (lines[0] <= line <= lines[1]):
            continue
        if hit:
            edits.append((m.start(), m.end(), f"<!--= {hit[0]} : {hit[1]} -->{s}<!--/-->"))
            print(f"{path}:{line}: {s} <- {hit[0]} : {hit[1]}")
        else:
            missing.append((line, s))
    for line, s in missing:
        print(f"{path}:{line}: {s} NO SOURCE")
    if write:
        for a, b, rep in reversed(edits):
            text = text[:a] + rep + text[b:]
        with open(path, "w", encoding="utf-8") as fp:
            fp.write(text)
    print(f"{len(edits)} proposed, {len(missing)} without a source", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    rng = [a for a in sys.argv[3:] if a.startswith("--lines=")]
    lines = tuple(int(x) for x in rng[0][8:].split("-")) if rng else None
    propose(sys.argv[1], sys.argv[2], "--write" in sys.argv, lines)
