#!/usr/bin/env python3
"""How well confidence orders relations: precision by confidence band.

Reads the exports `make eval` keeps in target/eval (run it first), drops the
relations under each threshold, scores what is left with the evaluation's own
scorers, and prints, per evaluation set, how many relations each band holds
and how many of those the scorer judged correct. Nothing is written.

    make eval && python3 scripts/confidence_bands.py [--shared ../shared]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

# Band edges: [0, 0.75), [0.75, 0.85), [0.85, 1].
EDGES = [0.0, 0.75, 0.85]


def judged(scorer, gold, export, kind):
    """(correct, judged) predictions of an export, as the scorer counts them."""
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(export), "--json"],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    if kind == "gold":
        rel = result["relations"]
        return rel["tp"], rel["tp"] + rel["fp"]
    return result["correct_predictions"], result["judged_predictions"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--kept", default="target/eval", type=Path, help="where make eval kept its exports")
    args = ap.parse_args()
    sets = [
        ("news-dev", args.shared / "eval/news-dev/gold.json", args.shared / "eval/score.py", "gold"),
        ("polnear-dev", args.shared / "corpora/polnear/dev/annotations.jsonl",
         args.shared / "eval/score_attribution.py", "attribution"),
    ]
    print(f"{'set':<12} {'band':<12} {'relations':>9} {'correct':>8} {'judged':>7} {'precision':>9}")
    for name, gold, scorer, kind in sets:
        path = args.kept / name / "export.json"
        if not path.exists():
            sys.exit(f"{path} is missing: run `make eval` first")
        export = json.loads(path.read_text())
        at_least = []
        with tempfile.TemporaryDirectory() as tmp:
            for edge in EDGES:
                kept = dict(export, relations=[r for r in export["relations"] if r["confidence"] >= edge])
                filtered = Path(tmp) / "export.json"
                filtered.write_text(json.dumps(kept))
                at_least.append((len(kept["relations"]),) + judged(scorer, gold, filtered, kind))
        at_least.append((0, 0, 0))
        for i, low in enumerate(EDGES):
            high = EDGES[i + 1] if i + 1 < len(EDGES) else 1.0
            count, correct, seen = (a - b for a, b in zip(at_least[i], at_least[i + 1]))
            precision = f"{correct / seen:.2f}" if seen else "-"
            band = f"[{low:.2f}, {high:.2f}{']' if high == 1.0 else ')'}"
            print(f"{name:<12} {band:<12} {count:>9} {correct:>8} {seen:>7} {precision:>9}")


if __name__ == "__main__":
    main()
