#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The include graph, checked against the build's layering.

The one statement of the layering is the list of cc_module() lines in CMakeLists.txt, from
the lowest module to the highest: each module names the modules it links, all declared above
it (so the links cannot form a circle). A module may include:
  - its own private headers (src/<module>/*.h, by "x.h" or "<module>/x.h");
  - the public headers include/carecircle/<m>.h of itself and of every module it links,
    directly or through them;
  - core/internal.h and core/dsu.h, core's helpers shared by every module (every module links core).
src/cli links carecircle_lib (every module), so it may include every public header and the
umbrella include/carecircle.h. A public header include/carecircle/<m>.h belongs to module <m>,
or, when no module has that name, to the module with a source file src/<module>/<m>.c
(targets.h: config). Public headers include only public headers. The headers of an external
library (<gdal.h>, <proj.h>, <geos_c.h>, <yaml.h>, <openssl/*.h>, <glpk.h>) may be included
only by the module whose cc_module() line links it (GLPK: only src/siting/exact.c).

Everything else fails, with file:line, what was included, and what the module links; so does
a link to a module declared lower down. ALLOWED below lists the violations that exist today, each with why.

  check_includes.py [--root DIR]               check; exit 1 on a violation
  check_includes.py [--root DIR] --table       print the Markdown table of who may include whom
  check_includes.py [--root DIR] --check-doc F exit 1 unless F holds that table between
                                               <!--arch-table--> and <!--/arch-table-->
"""
import argparse
import os
import re
import sys

# Violations that exist today: (including file, included header) -> why it is tolerated.
# An entry that no longer matches anything is reported, so that the list can only shrink.
ALLOWED = {
}

SHARED_PRIVATE = {"core/internal.h", "core/dsu.h"}  # core helpers every module may include
# The headers of each external library, by the CMake target a cc_module() line links for it:
# only the module that links the target itself may include them (GDAL only in io, ...).
EXTERNAL = [
    (r"(gdal|gdal_\w+|ogr_\w+|cpl_\w+)\.h", "GDAL::GDAL"),
    (r"proj\.h", "PROJ::proj"),
    (r"geos_c\.h", "GEOS::geos_c"),
    (r"yaml\.h", "PkgConfig::YAML"),
    (r"openssl/\w+\.h", "OpenSSL::Crypto"),
    (r"glpk\.h", "${GLPK_LIBRARY}"),
]
ONLY_FILES = {"glpk.h": {"src/siting/exact.c"}}  # narrower still: GLPK in one file
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SYSTEM_RE = re.compile(r"^\s*#\s*include\s+<([^>]+)>")
MODULE_RE = re.compile(r"^\s*cc_module\(\s*(\w+)([^)]*)\)", re.M)


def fail_setup(msg):
    print(f"check_includes: {msg}", file=sys.stderr)
    sys.exit(2)


def read_layering(root):
    """Modules in cc_module() order and the modules each links directly."""
    path = os.path.join(root, "CMakeLists.txt")
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"#[^\n]*", "", text)
    order, links, external = [], {}, {}
    for m in MODULE_RE.finditer(text):
        order.append(m.group(1))
        links[m.group(1)] = m.group(2).split()
        for dep in links[m.group(1)]:
            external.setdefault(dep, m.group(1))
    EXTERNAL_OWNER.update({t: external.get(t) for _, t in EXTERNAL})
    if not order:
        fail_setup(f"{path}: no cc_module() lines")
    for i, name in enumerate(order):
        links[name] = [d for d in links[name] if d in links]
        for d in links[name]:
            if d not in order[:i]:
                print(f"check_includes: {path}: cc_module({name}) links {d}, which is declared "
                      f"below it; the cc_module() lines go from the lowest module to the "
                      f"highest", file=sys.stderr)
                sys.exit(1)
    if not re.search(r"target_link_libraries\(\s*carecircle\s+PRIVATE\s+carecircle_lib\s*\)", text):
        fail_setup(f"{path}: cannot see how src/cli links the library (carecircle_lib)")
    links["cli"] = list(order)  # carecircle_lib holds every module
    return order + ["cli"], links


def closure(links):
    """Module -> every module it links, directly or not; exits on a cycle."""
    reach = {}

    def visit(mod, path):
        if mod in path:
            cyc = " -> ".join(path[path.index(mod):] + [mod])
            print(f"check_includes: CMakeLists.txt: the modules link in a circle: {cyc}",
                  file=sys.stderr)
            sys.exit(1)
        if mod not in reach:
            out = set()
            for d in links[mod]:
                out |= {d} | visit(d, path + [mod])
            reach[mod] = out
        return reach[mod]

    for mod in links:
        visit(mod, [])
    return reach


def header_owner(root, modules, stem):
    if stem in modules:
        return stem
    owners = [m for m in modules if os.path.isfile(os.path.join(root, "src", m, stem + ".c"))]
    return owners[0] if len(owners) == 1 else None


def source_files(root):
    for top in ("src", "include"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")


def classify(root, modules, rel):
    """(module, is_public) of a file, or (None, _) for the umbrella header."""
    parts = rel.split("/")
    if parts[0] == "src":
        return (parts[1] if len(parts) > 2 else None), False
    if parts == ["include", "carecircle.h"]:
        return None, True
    if len(parts) == 3 and parts[1] == "carecircle":
        stem = parts[2][:-2]
        owner = header_owner(root, modules, stem)
        if owner is None:
            fail_setup(f"{rel}: no module owns this header (name it after its module)")
        return owner, True
    return None, True


def target_of(root, modules, rel, inc):
    """What `#include "inc"` in rel reaches: (module, kind) with kind public/private/umbrella."""
    if inc == "carecircle.h":
        return None, "umbrella"
    m = re.fullmatch(r"carecircle/(\w+)\.h", inc)
    if m and os.path.isfile(os.path.join(root, "include", inc)):
        owner = header_owner(root, modules, m.group(1))
        return owner, "public"
    here = os.path.dirname(rel)
    if os.path.isfile(os.path.join(root, here, inc)):
        full = os.path.normpath(os.path.join(here, inc)).replace(os.sep, "/")
    elif os.path.isfile(os.path.join(root, "src", inc)):
        full = "src/" + inc
    else:
        return None, "unknown"
    parts = full.split("/")
    if parts[0] == "src" and len(parts) > 2:
        return parts[1], "private"
    if parts[0] == "include":
        return target_of(root, modules, rel, "/".join(parts[1:]))
    return None, "unknown"


def violations(root):
    modules, links = read_layering(root)
    reach = closure(links)
    found = []
    for rel in source_files(root):
        mod, public = classify(root, modules, rel)
        if mod is None and not public:
            continue  # a file directly under src/: not in a module
        lines = open(os.path.join(root, rel), encoding="utf-8", errors="replace").readlines()
        for no, line in enumerate(lines, 1):
            m = SYSTEM_RE.match(line)
            why = external_violation(rel, mod, m.group(1)) if m else None
            if why and (rel, m.group(1)) not in ALLOWED:
                found.append(f"{rel}:{no}: {mod or 'the umbrella header'} includes <{m.group(1)}>: {why}")
            elif why:
                ALLOWED_SEEN.add((rel, m.group(1)))
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            inc = m.group(1)
            tmod, kind = target_of(root, modules, rel, inc)
            who = mod if mod else "the umbrella header"
            may = ({mod} | reach.get(mod, set())) if mod else set(modules)
            why = None
            if kind == "unknown":
                why = "not found under include/ or src/"
            elif kind == "umbrella":
                if mod != "cli":
                    why = "only src/cli may include the umbrella header"
            elif public and kind == "private":
                why = "a public header includes a private one"
            elif kind == "private" and tmod != mod and inc not in SHARED_PRIVATE:
                why = f"a private header of {tmod}"
            elif tmod not in may:
                linked = " ".join(links.get(mod, [])) or "nothing" if mod else ""
                why = f"{who} does not link {tmod} (it links: {linked})"
            if why and (rel, inc) not in ALLOWED:
                found.append(f"{rel}:{no}: {who} includes \"{inc}\": {why}")
            elif why:
                ALLOWED_SEEN.add((rel, inc))
    return found, modules, links, reach


ALLOWED_SEEN = set()
EXTERNAL_OWNER = {}  # CMake target -> the module whose cc_module() line links it


def external_violation(rel, mod, inc):
    """Why `#include <inc>` may not stand in rel (module mod), or None."""
    for pattern, target in EXTERNAL:
        if not re.fullmatch(pattern, inc):
            continue
        owner = EXTERNAL_OWNER.get(target)
        if inc in ONLY_FILES and rel not in ONLY_FILES[inc]:
            return f"only {', '.join(sorted(ONLY_FILES[inc]))} may include it"
        if mod != owner:
            return f"only {owner} links {target}, so only src/{owner} may include it"
    return None


def table(modules, links, reach):
    rows = ["| module | links (CMakeLists.txt) | may include the public headers of |", "|---|---|---|"]
    for mod in modules:
        direct = "every module (carecircle_lib)" if mod == "cli" else " ".join(links[mod]) or "–"
        may = [m for m in modules if m in reach[mod] or m == mod]
        rows.append(f"| {mod} | {direct} | {', '.join(may)} |")
    return "\n".join(rows) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--check-doc")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    found, modules, links, reach = violations(root)
    if a.table:
        sys.stdout.write(table(modules, links, reach))
        return 0
    if a.check_doc:
        text = open(a.check_doc, encoding="utf-8").read()
        m = re.search(r"<!--arch-table-->\n(.*?)<!--/arch-table-->", text, re.S)
        if not m or m.group(1) != table(modules, links, reach):
            print(f"check_includes: {a.check_doc}: the table of who may include whom differs "
                  f"from CMakeLists.txt; paste the output of `{sys.argv[0]} --table` between "
                  "<!--arch-table--> and <!--/arch-table-->", file=sys.stderr)
            return 1
        return 0
    for v in found:
        print(v, file=sys.stderr)
    for stale in sorted(set(ALLOWED) - ALLOWED_SEEN):
        if not os.path.isfile(os.path.join(root, stale[0])):
            continue  # another tree (the test's fixture)
        print(f"note: allow-list entry {stale} matches nothing any more; remove it",
              file=sys.stderr)
    if found:
        print(f"check_includes: {len(found)} include(s) break the layering of CMakeLists.txt "
              "(docs/architecture.md: who may include whom)", file=sys.stderr)
        return 1
    print(f"check_includes: {len(modules)} modules, every include within the layering "
          f"({len(ALLOWED_SEEN)} allowed exception(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
