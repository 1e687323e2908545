#!/usr/bin/env python3
"""Wasm size by crate, from `twiggy top --format csv` of a Wasm optimised with its names kept.

Reads the CSV on stdin; prints each crate's share of the code and data (custom sections such
as the names themselves are left out, since the shipped file has none)."""
import csv
import re
import sys
from collections import Counter

sizes = Counter()
for row in csv.DictReader(sys.stdin):
    name, size = row["Name"], int(row["ShallowSize"])
    if name.startswith("custom section") or "subsection" in name:
        continue
    if name.startswith("data segment") or name.startswith("data["):
        crate = "(data: strings, tables)"
    elif re.match(r"^(code|elem|table|type|import|export|global)\[", name) or name.startswith(("import ", "export ", "table", "type")):
        crate = "(unnamed: glue, types, imports)"
    else:
        # "<tachys::view::... as ...>::f::h12": the crate is the first path segment.
        m = re.match(r"^[<&*\s(]*(?:dyn |impl |mut |const )*([A-Za-z_][A-Za-z0-9_]*)", name)
        crate = m.group(1) if m else "(other)"
        crate = re.sub(r"\[[0-9a-f]+\]$", "", crate)
        if re.match(r"^[A-Z]$|^(char|str|bool|[iu](8|16|32|64|128|size)|f32|f64)$", crate):
            crate = "(generic impls: <T as …>)"
        elif re.match(r"^[A-Z][A-Za-z]*_[0-9]+", crate):
            crate = "app (island components)"
    sizes[crate] += size

total = sum(sizes.values())
top = int(sys.argv[1]) if len(sys.argv) > 1 else 15
print(f"  {'crate':<34} {'bytes':>9} {'share':>7}")
for crate, size in sizes.most_common(top):
    print(f"  {crate:<34} {size:>9} {100 * size / total:>6.1f}%")
rest = total - sum(s for _, s in sizes.most_common(top))
if rest:
    print(f"  {'(the other crates)':<34} {rest:>9} {100 * rest / total:>6.1f}%")
