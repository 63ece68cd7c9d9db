#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""List every C function in a source tree longer than a line limit and every .c/.h file
longer than a file limit; fail when one is not in the allow-list.

Usage: function_length.py SRC_DIR ALLOW_FILE [--max-function N] [--max-file N]

A function is found by brace matching: a '{' at nesting depth 0 whose preceding text (since the
last ';', '}' or preprocessor line) ends in ')' — optionally followed by attribute-like words —
and does not start with struct/union/enum/typedef or '='.  Its length is the count of lines from
the line of its name to the line of its closing brace, both included.  Comments, strings and
character literals are blanked first so braces inside them do not count.

Allow-list lines (blank lines and '#' comments ignored; both parts are fnmatch patterns):
    path/file.c              the file may be over the file limit
    path/file.c:function     that function may be over the function limit
    src/pipeline/*:*         every function in those files may be over the function limit
Paths are relative to the parent of SRC_DIR (so they read "src/io/write.c").
"""
import fnmatch
import os
import re
import sys


def blank_comments_and_strings(text):
    """Replace comment, string and char-literal contents by spaces, keeping newlines."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def blank_preprocessor(text):
    """Blank preprocessor lines (with their continuations) so macros do not confuse matching."""
    lines = text.split("\n")
    cont = False
    for k, line in enumerate(lines):
        if cont or line.lstrip().startswith("#"):
            cont = line.rstrip().endswith("\\")
            lines[k] = " " * len(line)
    return "\n".join(lines)


NAME_RE = re.compile(r"([A-Za-z_]\w*)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:[A-Za-z_]\w*\s*)*$",
                     re.S)


def functions(text):
    """Yield (name, first_line, last_line) for each function definition in C source text."""
    clean = blank_preprocessor(blank_comments_and_strings(text))
    depth = 0
    stmt_start = 0
    i = 0
    n = len(clean)
    while i < n:
        c = clean[i]
        if c == "{" and depth == 0:
            head = clean[stmt_start:i]
            m = NAME_RE.search(head)
            words = head.split()
            is_type = words and words[0] in ("struct", "union", "enum", "typedef")
            if m and not is_type and "=" not in head:
                end = match_brace(clean, i)
                first = clean.count("\n", 0, stmt_start + m.start(1)) + 1
                last = clean.count("\n", 0, end) + 1
                yield m.group(1), first, last
                i = end + 1
                stmt_start = i
                continue
            depth += 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
            if depth == 0:
                stmt_start = i + 1
        elif c == ";" and depth == 0:
            stmt_start = i + 1
        i += 1


def match_brace(clean, i):
    depth = 0
    for j in range(i, len(clean)):
        if clean[j] == "{":
            depth += 1
        elif clean[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(clean) - 1


def load_allow(path):
    allow = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                allow.append(line)
    return allow


def allowed(allow, rel, func=None):
    """Whether the file (func None) or the function func of file rel is on the allow-list."""
    for pat in allow:
        fpat, _, fname = pat.partition(":")
        if not fnmatch.fnmatch(rel, fpat):
            continue
        if func is None and not fname:
            return True
        if func is not None and fname and fnmatch.fnmatch(func, fname):
            return True
    return False


def main(argv):
    args = list(argv[1:])
    max_fn, max_file = 150, 1000
    for opt in ("--max-function", "--max-file"):
        if opt in args:
            k = args.index(opt)
            val = int(args[k + 1])
            del args[k:k + 2]
            if opt == "--max-function":
                max_fn = val
            else:
                max_file = val
    if len(args) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    src, allow_file = args
    allow = load_allow(allow_file)
    base = os.path.dirname(os.path.abspath(src))
    bad = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            nlines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
            if nlines > max_file:
                tag = "allowed" if allowed(allow, rel) else "FAIL"
                print(f"{tag}: {rel}: {nlines} lines (file limit {max_file})")
                if tag == "FAIL":
                    bad.append(rel)
            for name, first, last in functions(text):
                length = last - first + 1
                if length > max_fn:
                    tag = "allowed" if allowed(allow, rel, name) else "FAIL"
                    print(f"{tag}: {rel}:{first}: {name}() {length} lines "
                          f"(function limit {max_fn})")
                    if tag == "FAIL":
                        bad.append(f"{rel}:{name}")
    if bad:
        print(f"function_length: {len(bad)} over the limits and not in {allow_file}; "
              "split them (the allow-list must only shrink)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
