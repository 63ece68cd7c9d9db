#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Keep the figures quoted in the docs equal to what the current run writes.

A figure in a Markdown file is written between two HTML comments (invisible when the page is
rendered):

    <!--= EXPR : FMT -->21.11<!--/-->

EXPR is a Python expression over the outputs of a run (the helpers below: ``row``, ``rows``,
``j``, ``feats``, ``fsum``, ``fcount``); FMT says how to print it (see ``FORMATS``). ``check``
compares every marked figure with the run and lists those that drifted; ``update`` rewrites
them in place. A figure quoted in the docs without a marker is not checked, so
``check --strict`` also lists decimal numbers outside markers, code blocks and fixed-text
regions (``<!--fixed-->`` … ``<!--/fixed-->``), or listed in an ``<!-- inputs: 3.2 4.73 -->``
comment of the file (numbers that are inputs or quoted from elsewhere, not results).

Usage:
    doc_figures.py check  OUTDIR FILE.md...   exit 1 when a figure differs from the run
    doc_figures.py update OUTDIR FILE.md...   rewrite the figures from the run
    doc_figures.py list   OUTDIR FILE.md...   print every figure with its expression

OUTDIR is a `carecircle run` output folder; a path inside an expression is relative to it
(``variants/2025-ageing/coverage.csv``).
"""
import csv
import json
import os
import re
import sys

MARK = re.compile(r"<!--=[ \t]*(?P<expr>[^\n]*?)[ \t]*:[ \t]*(?P<fmt>[a-z0-9_]+)[ \t]*-->"
                  r"(?P<val>[^\n]*?)<!--/-->")


class Run:
    """The outputs of one run, each file read once."""

    def __init__(self, outdir):
        self.outdir = outdir
        self.cache = {}

    def _path(self, name):
        p = os.path.join(self.outdir, name)
        if not os.path.isfile(p):
            raise LookupError(f"{name}: no such output in {self.outdir}")
        return p

    def table(self, name):
        if name not in self.cache:
            with open(self._path(name), encoding="utf-8-sig", newline="") as fp:
                self.cache[name] = list(csv.DictReader(fp))
        return self.cache[name]

    def json(self, name):
        if name not in self.cache:
            with open(self._path(name), encoding="utf-8") as fp:
                self.cache[name] = json.load(fp)
        return self.cache[name]


def _match(rec, flt):
    for k, v in flt.items():
        have = rec.get(k)
        if have is None:
            return False
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            try:
                if float(have) != float(v):
                    return False
            except (TypeError, ValueError):
                return False
        elif str(have) != str(v):
            return False
    return True


def helpers(run):
    def rows(src, **flt):
        return [r for r in run.table(src) if _match(r, flt)]

    def row(src, col, **flt):
        found = rows(src, **flt)
        if len(found) != 1:
            raise LookupError(f"{src} {flt}: {len(found)} rows match, expected 1")
        v = found[0].get(col)
        if v is None:
            raise LookupError(f"{src}: no column '{col}'")
        if v == "":
            return None
        try:
            return float(v)
        except ValueError:
            return v

    def j(src, path):
        v = run.json(src)
        for part in path.split("."):
            if isinstance(v, list):
                v = v[int(part)]
            elif isinstance(v, dict) and part in v:
                v = v[part]
            else:
                raise LookupError(f"{src}: no key '{path}' (stops at '{part}')")
        return v

    def feats(src, **flt):
        return [f["properties"] for f in run.json(src)["features"]
                if _match(f["properties"], flt)]

    def fsum(src, field, **flt):
        return sum(float(p[field] or 0) for p in feats(src, **flt))

    def fcount(src, **flt):
        return len(feats(src, **flt))

    def csum(src, col, **flt):
        return sum(float(r[col] or 0) for r in rows(src, **flt))

    def sql(src, query):
        """Rows of an OGR SQLite-dialect query over an output layer (as ogrinfo -dialect sqlite)."""
        from osgeo import ogr  # python3-gdal; only docs that quote a query need it
        key = (src, query)
        if key not in run.cache:
            ds = ogr.Open(run._path(src))
            lyr = ds.ExecuteSQL(query, dialect="SQLITE")
            if lyr is None:
                raise LookupError(f"{src}: query failed: {query}")
            out = []
            defn = lyr.GetLayerDefn()
            for f in lyr:
                out.append({defn.GetFieldDefn(i).GetName(): f.GetField(i)
                            for i in range(defn.GetFieldCount())})
            ds.ReleaseResultSet(lyr)
            run.cache[key] = out
        return run.cache[key]

    def q(src, query):
        """The single value of a one-row, one-column query."""
        res = sql(src, query)
        if len(res) != 1 or len(res[0]) != 1:
            raise LookupError(f"{src}: '{query}' gives {len(res)} rows, expected one value")
        return next(iter(res[0].values()))

    return {"row": row, "rows": rows, "sql": sql, "q": q, "j": j, "feats": feats, "fsum": fsum, "fcount": fcount,
            "csum": csum, "len": len, "min": min, "max": max, "abs": abs, "round": round,
            "sorted": sorted, "sum": sum, "str": str, "zip": zip, "float": float, "int": int}


def _group(s):
    """Digits with a comma every three, as the docs write them (locale-independent)."""
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    whole, dot, frac = s.partition(".")
    out = []
    while len(whole) > 3:
        out.insert(0, whole[-3:])
        whole = whole[:-3]
    out.insert(0, whole)
    return ("-" if neg else "") + ",".join(out) + dot + frac


def fmt(v, how):
    if how.endswith("z"):  # zero (or nothing) printed as a bare 0, as tables write it
        return "0" if not v else fmt(v, how[:-1])
    if v is None:
        return "unknown"
    if how == "s":
        return str(v)
    if how == "code":
        return f"`{v}`"
    x = float(v)
    if how.startswith("pct"):  # a share 0..1 printed as a percentage (the % sign stays outside)
        return f"{x * 100:.{int(how[3:])}f}"
    if how.startswith("pp"):  # a difference of shares in percentage points
        return f"{x * 100:+.{int(how[2:])}f}"
    if how.startswith("n"):  # a number with thousands separators and N decimals
        return _group(f"{x:.{int(how[1:])}f}")
    if how.startswith("f"):  # a number with N decimals, no separators
        return f"{x:.{int(how[1:])}f}"
    if how.startswith("sn"):  # signed, separators
        s = _group(f"{abs(x):.{int(how[2:])}f}")
        return ("+" if x >= 0 else "-") + s
    raise ValueError(f"unknown format '{how}'")


FORMATS = ("pctN (share as percent), ppN (signed points), nN (1,234.5), fN (1234.5), "
           "snN (+1,234), s (text), code (`text`); a trailing z prints zero as 0")


def _lineno(text, pos):
    return text.count("\n", 0, pos) + 1


def process(mode, run, files, strict):
    env = helpers(run)
    drift = 0
    for path in files:
        with open(path, encoding="utf-8") as fp:
            text = fp.read()
        # <!--let NAME = EXPR--> defines a shorthand for the markers of this file.
        fenv = dict(env, __builtins__={})
        for m in re.finditer(r"<!--let\s+(\w+)\s*=\s*(.*?)-->", text, flags=re.S):
            try:
                fenv[m.group(1)] = eval(m.group(2), fenv)
            except Exception as e:
                print(f"{path}:{_lineno(text, m.start())}: cannot define '{m.group(1)}': {e}")
                drift += 1
        out = []
        last = 0
        for m in MARK.finditer(text):
            line = _lineno(text, m.start())
            try:
                got = fmt(eval(m.group("expr"), fenv), m.group("fmt"))
            except Exception as e:  # a broken expression is drift too: say where
                print(f"{path}:{line}: cannot evaluate '{m.group('expr')}': {e}")
                drift += 1
                got = m.group("val")
            if mode == "list":
                print(f"{path}:{line}: {got}\t{m.group('expr')} : {m.group('fmt')}")
            elif got != m.group("val"):
                drift += 1
                if mode == "check":
                    print(f"{path}:{line}: the doc says {m.group('val')!r}, the run gives {got!r}"
                          f" ({m.group('expr')})")
            out.append(text[last:m.start("val")])
            out.append(got)
            last = m.end("val")
        out.append(text[last:])
        new = "".join(out)
        if mode == "update" and new != text:
            with open(path, "w", encoding="utf-8") as fp:
                fp.write(new)
        if strict:
            drift += unmarked(path, new)
    return drift


NUMBER = re.compile(r"(?<![\w.`/-])\d{1,3}(?:,\d{3})*\.\d+|(?<![\w.`/-])\d{1,3}(?:,\d{3})+(?![\d])")


def unmarked(path, text):
    """Decimal or thousands-grouped numbers outside markers, code and fixed regions."""
    masked = MARK.sub(lambda m: " " * len(m.group(0)), text)
    n = 0
    # A region quoting another file (<!--fixed: benchmarks/RESULTS.md-->): each of its figures
    # must stand in that file, so the quote cannot drift from its source.
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for m in re.finditer(r"<!--fixed:\s*(\S+?)\s*-->(.*?)<!--/fixed-->", masked, flags=re.S):
        src = os.path.join(root, m.group(1))
        try:
            with open(src, encoding="utf-8") as fp:
                body = fp.read()
        except OSError:
            print(f"{path}:{_lineno(text, m.start())}: the quoted file {m.group(1)} does not exist")
            n += 1
            continue
        region = re.sub(r"<!--.*?-->", " ", m.group(2), flags=re.S)
        for f in NUMBER.finditer(region):
            if f.group(0) not in body:
                print(f"{path}:{_lineno(text, m.start(2) + f.start())}: figure {f.group(0)} is not "
                      f"in {m.group(1)}, which this region quotes")
                n += 1
    masked = re.sub(r"<!--fixed(?::[^>]*)?-->.*?<!--/fixed-->",
                    lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked, flags=re.S)
    masked = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked, flags=re.S)
    masked = re.sub(r"```.*?```", lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked, flags=re.S)
    masked = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), masked)
    masked = re.sub(r"^(?: {4}|\t).*$", lambda m: " " * len(m.group(0)), masked, flags=re.M)
    allowed = set()
    for m in re.finditer(r"<!--\s*inputs:(.*?)-->", text, flags=re.S):
        allowed.update(m.group(1).split())
    for m in NUMBER.finditer(masked):
        if m.group(0) in allowed:
            continue
        print(f"{path}:{_lineno(masked, m.start())}: figure {m.group(0)} is not marked "
              f"(mark it <!--= EXPR : FMT -->…<!--/-->, or list it in <!-- inputs: … --> if it is an input)")
        n += 1
    return n


def main(argv):
    args = [a for a in argv[1:] if a != "--strict"]
    strict = "--strict" in argv
    if len(args) < 3 or args[0] not in ("check", "update", "list"):
        print(__doc__.strip().split("Usage:")[1], file=sys.stderr)
        return 2
    mode, outdir, files = args[0], args[1], args[2:]
    if not os.path.isdir(outdir):
        print(f"doc_figures: '{outdir}' is not a run's output folder", file=sys.stderr)
        return 2
    drift = process(mode, Run(outdir), files, strict)
    if mode == "check" and drift:
        print(f"doc_figures: {drift} figure(s) differ from the run; "
              f"`scripts/doc-figures.sh update` rewrites them", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
