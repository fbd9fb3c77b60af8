#!/usr/bin/env python3
"""Validate the lexicon files in crates/ingest/data/ (standard library only).

Usage: python3 scripts/lexicons/check_lexicons.py [crates/ingest/data]
Exits non-zero on a format error; prints cross-file overlaps as information.
"""
import os
import sys

TSV = {
    # file: (column count, {column index: allowed values})
    "countries.tsv": (5, {}),
    "organizations.tsv": ((4, 5), {1: {"organization", "group"}}),
    "titles.tsv": (2, {1: {"honorific", "role"}}),
    "said.tsv": (3, {2: {"intransitive", "addressee", "object", "negated"}}),
    "requested.tsv": (3, {2: {"intransitive", "addressee", "object", "negated"}}),
    "rejected.tsv": (3, {2: {"intransitive", "addressee", "object", "negated"}}),
    "cue_nouns.tsv": (2, {1: {"said", "requested", "rejected"}}),
    "groups.tsv": (2, {1: {"group", "authority"}}),
}
LISTS = ["common_words.txt", "outlets.txt", "org_heads.txt", "given_names.txt"]
LOWERCASE = {"organizations.tsv": [3], "titles.tsv": [0], "said.tsv": [0, 1], "requested.tsv": [0, 1],
             "rejected.tsv": [0, 1], "cue_nouns.tsv": [0], "groups.tsv": [0], "common_words.txt": [0]}

errors = []


def err(f, n, msg):
    errors.append(f"{f}:{n}: {msg}")


def records(path):
    name = os.path.basename(path)
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(name, 0, f"not UTF-8: {e}")
        return []
    lines = text.split("\n")
    if not lines or not lines[0].startswith("#"):
        err(name, 1, "file must start with a '#' header line")
    if not text.endswith("\n"):
        err(name, len(lines), "missing final newline")
    out = []
    for i, line in enumerate(lines, 1):
        if line.startswith("#") or line.strip() == "":
            continue
        if line != line.strip(" \r"):
            err(name, i, "leading/trailing spaces or CR")
        out.append((i, line))
    return out


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "crates/ingest/data"
    keys = {}
    for fn, (ncol, allowed) in TSV.items():
        seen = set()
        rows = records(os.path.join(d, fn))
        for i, line in rows:
            cols = line.split("\t")
            if len(cols) not in (ncol if isinstance(ncol, tuple) else (ncol,)):
                err(fn, i, f"{len(cols)} columns, want {ncol}")
                continue
            for c, vals in allowed.items():
                if cols[c] not in vals:
                    err(fn, i, f"column {c + 1} {cols[c]!r} not in {sorted(vals)}")
            if not cols[0]:
                err(fn, i, "empty first column")
            for c in LOWERCASE.get(fn, []):
                if cols[c] != cols[c].lower():
                    err(fn, i, f"column {c + 1} must be lowercase")
            for c in cols:
                for item in c.split("|") if c else []:
                    if item != item.strip() or not item:
                        err(fn, i, f"empty or space-padded list item in {c!r}")
            if cols[0] in seen:
                err(fn, i, f"duplicate key {cols[0]!r}")
            seen.add(cols[0])
        keys[fn] = seen
        print(f"{fn}: {len(rows)} entries")
    for fn in LISTS:
        seen = set()
        rows = records(os.path.join(d, fn))
        for i, line in rows:
            if "\t" in line:
                err(fn, i, "tab in a one-per-line list")
            if line in seen:
                err(fn, i, f"duplicate {line!r}")
            if 0 in LOWERCASE.get(fn, []) and line != line.lower():
                err(fn, i, "must be lowercase")
            seen.add(line)
        keys[fn] = seen
        print(f"{fn}: {len(rows)} entries")
    # cue forms unique across the three cue files
    owner = {}
    for fn in ("said.tsv", "requested.tsv", "rejected.tsv"):
        for i, line in records(os.path.join(d, fn)):
            for f in line.split("\t")[1].split("|"):
                if f in owner:
                    err(fn, i, f"form {f!r} also in {owner[f]}")
                owner[f] = fn
    # information: given names that are also country strings
    country_strings = set()
    for _, line in records(os.path.join(d, "countries.tsv")):
        for field in line.split("\t"):
            country_strings |= set(field.split("|"))
    both = sorted(keys["given_names.txt"] & country_strings)
    print(f"info: given names that are also country strings ({len(both)}): {' '.join(both)}")
    cw = keys["common_words.txt"]
    both = sorted(t for t in keys["titles.tsv"] if t in cw)
    print(f"info: titles that are also common words: {len(both)}")
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
