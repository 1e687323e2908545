#!/usr/bin/env python3
"""The import graph of a Rust crate's modules, and whether it has a cycle.

    python3 .ci/imports.py server/src app/src     # each crate: its arrows, then its cycles
    python3 .ci/imports.py --dot server/src | dot -Tsvg > server.svg   # a picture (graphviz)

At every folder level the entries of that folder (its files and sub-folders) are the nodes, and
an arrow A -> B means that something in A names something in B (a `use`, or a path such as
`crate::b::f`). A folder's own `mod.rs` (or the crate's `lib.rs`) declares the entries and is
not a node of its own level. The script exits with 1 if any level has a cycle: arrows must
point one way at every level. Comments, strings and `#[cfg(test)] mod tests` blocks are left
out (tests may reach anywhere in their own file's module).
"""
import os
import re
import sys
from collections import defaultdict

ROOTS = ("lib.rs", "main.rs")


def modules(src):
    """Module path (tuple of names) -> file, for every module file under src."""
    found = {}
    for dirpath, _, files in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        for f in files:
            if not f.endswith(".rs"):
                continue
            if parts == () and f in ROOTS:
                found.setdefault((), os.path.join(dirpath, f))
            elif f == "mod.rs":
                found[parts] = os.path.join(dirpath, f)
            else:
                found[parts + (f[:-3],)] = os.path.join(dirpath, f)
    return found


def strip(code):
    """Code without comments, string/char literals and test modules."""
    out, i, n = [], 0, len(code)
    while i < n:
        c = code[i]
        if code.startswith("//", i):
            j = code.find("\n", i)
            i = n if j < 0 else j
        elif code.startswith("/*", i):
            j = code.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "r" and re.match(r'r#*"', code[i:i + 10]) and not (i and (code[i - 1].isalnum() or code[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', code[i:]).group(1)
            j = code.find('"' + hashes, i + 2 + len(hashes))
            i = n if j < 0 else j + 1 + len(hashes)
            out.append('""')
        elif c == '"':
            j = i + 1
            while j < n and code[j] != '"':
                j += 2 if code[j] == "\\" else 1
            i = j + 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", code[i:i + 4]) or re.match(r"'\\u\{[0-9a-fA-F]+\}'", code[i:i + 12]):
            i = code.find("'", i + 2) + 1
            out.append("' '")
        else:
            out.append(c)
            i += 1
    text = "".join(out)
    # Test modules: from `#[cfg(test)] mod x {` to its matching brace.
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+\w+\s*\{", text)
        if not m:
            return text
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        text = text[:m.start()] + text[j:]


def use_paths(tree, prefix=()):
    """Expands a use tree (`a::{b, c::d as e, self}`) into paths."""
    tree = tree.strip()
    if not tree:
        return []
    depth, start, items = 0, 0, []
    if tree.startswith("{") and tree.endswith("}"):
        inner = tree[1:-1]
        for k, ch in enumerate(inner):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                items.append(inner[start:k])
                start = k + 1
        items.append(inner[start:])
        return [p for it in items for p in use_paths(it, prefix)]
    head, sep, rest = tree.partition("::")
    head = head.split(" as ")[0].strip()
    if not sep:
        return [prefix] if head in ("self", "*") else [prefix + (head,)]
    return use_paths(rest, prefix + (head,))


def references(code):
    """Paths a file names: its `use` items and inline `crate::`/`super::`/`self::` paths."""
    refs = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        refs.extend(use_paths(re.sub(r"\s+", " ", m.group(1))))
    for m in re.finditer(r"\b((?:crate|super|self)(?:\s*::\s*\w+)+)", code):
        refs.append(tuple(p.strip() for p in m.group(1).split("::")))
    return refs


def resolve(path, here, mods):
    """The module a path points into, as an absolute module path; None if outside the crate."""
    if not path:
        return None
    if path[0] == "crate":
        base, rest = (), path[1:]
    elif path[0] in ("super", "self"):
        base, rest = here, path
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
    elif here + (path[0],) in mods:  # a child module named without `self::`
        base, rest = here, path
    else:
        return None  # another crate
    target = base
    for seg in rest:
        if target + (seg,) in mods:
            target = target + (seg,)
        else:
            break
    return target


def graph(src):
    mods = modules(src)
    levels = defaultdict(lambda: defaultdict(set))  # folder -> node -> {nodes}
    for here, path in mods.items():
        with open(path, encoding="utf-8") as f:
            code = strip(f.read())
        for ref in references(code):
            target = resolve(ref, here, mods)
            if target is None:
                continue
            k = 0
            while k < min(len(here), len(target)) and here[k] == target[k]:
                k += 1
            if k < len(here) and k < len(target):
                levels[here[:k]][here[k]].add(target[k])
    return levels


def cycles(edges):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    nodes = set(edges) | {t for ts in edges.values() for t in ts}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main(argv):
    dot = "--dot" in argv
    srcs = [a for a in argv if not a.startswith("--")] or ["server/src", "app/src"]
    bad = 0
    for src in srcs:
        levels = graph(src)
        if dot:
            top = levels.get((), {})
            print(f'digraph "{src}" {{\n  rankdir=BT; node [shape=box, fontname=sans];')
            for a in sorted(top):
                for b in sorted(top[a]):
                    print(f'  "{a}" -> "{b}";')
            print("}")
            continue
        print(f"{src}")
        for folder in sorted(levels):
            name = "/".join(folder) or "(crate)"
            edges = levels[folder]
            print(f"  {name}:")
            for a in sorted(edges):
                print(f"    {a} -> {', '.join(sorted(edges[a]))}")
            for comp in cycles(edges):
                bad += 1
                print(f"    CYCLE in {name}: {' <-> '.join(comp)}")
    if not dot:
        print("no cycle" if bad == 0 else f"{bad} cycle(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
