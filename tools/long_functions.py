#!/usr/bin/env python3
"""List C++ function bodies longer than a limit (default 80 lines) in the project's sources.

    python3 tools/long_functions.py [--limit 80] [DIR...]     (default: the library and cli folders)

A heuristic, not a parser: a function body starts at a line ending in '{' whose text looks like a
definition (a name followed by a parameter list, not a control statement, lambda, class or namespace) at
brace depth 0 or inside a class/namespace, and ends at its matching brace. Comments and string literals are
blanked first. Lambdas and local classes count toward the function that contains them.
"""
import argparse
import os
import re
import sys

DEFAULT_DIRS = ["common", "engine", "format", "timeline", "rules", "gis", "forces", "store", "cli"]
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|try)\b")
SCOPE = re.compile(r"^\s*(namespace|class|struct|enum|union|extern)\b")


def blank(text):
    """Replaces comments and string/char literal contents with spaces (keeps newlines)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + (m.group(1) if m else "") + '"', i)
            j = n if end < 0 else end + len(m.group(1) if m else "") + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c if j < n else text[i:]); i = j + 1
        else:
            out.append(c); i += 1
    return "".join(out)


def functions(path):
    lines = blank(open(path, encoding="utf-8", errors="replace").read()).split("\n")
    stack = []  # per open brace: 'scope' | 'func' | 'block'
    start, name, found = None, None, []
    header = ""
    for no, line in enumerate(lines, 1):
        header = (header + " " + line.strip())[-400:] if line.strip() else header
        for ch in line:
            if ch == "{":
                in_func = "func" in stack
                if in_func:
                    stack.append("block")
                elif SCOPE.match(header.split(";")[-1].split("}")[-1]):
                    stack.append("scope")
                else:
                    sig = header.split(";")[-1].split("}")[-1]
                    m = re.search(r"([~\w:<>]+)\s*\([^()]*(\([^()]*\)[^()]*)*\)[^(){]*$", sig[: sig.rfind("{") if "{" in sig else None])
                    if m and not CONTROL.match(sig) and "=" not in sig.split("(")[0]:
                        stack.append("func"); start, name = no, m.group(1)
                    else:
                        stack.append("block")
                header = ""
            elif ch == "}":
                kind = stack.pop() if stack else "block"
                if kind == "func" and "func" not in stack:
                    found.append((name, start, no))
                header = ""
            elif ch == ";":
                header = ""
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("dirs", nargs="*", default=DEFAULT_DIRS)
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows = []
    for d in a.dirs:
        for dp, _, fs in os.walk(os.path.join(root, d)):
            for f in fs:
                if f.endswith((".cc", ".h")):
                    p = os.path.join(dp, f)
                    for name, s, e in functions(p):
                        if e - s + 1 > a.limit:
                            rows.append((e - s + 1, os.path.relpath(p, root), s, name))
    for n, p, s, name in sorted(rows, reverse=True):
        print(f"{n:5d}  {p}:{s}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
