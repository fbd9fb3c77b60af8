#!/usr/bin/env python3
"""Measure extraction quality on the evaluation sets in ../shared (`make eval`).

Usage:
    python3 scripts/eval.py [--bin PATH] [--shared DIR] [--out FILE]
                            [--check FLOOR.json] [--write-floor FLOOR.json] [--keep DIR]

Each set is ingested into a fresh temporary store with the real binary
(`newsgraph ingest DIR --db D -q`), exported (`newsgraph export --format json`)
and scored by the shared scorer with `--json`:

    set          articles                                gold                                  scorer
    seed         SHARED/seed/                            SHARED/eval/dev-gold.json             score.py
    news-dev     SHARED/eval/news-dev/articles/          SHARED/eval/news-dev/gold.json        score.py
    polnear-dev  SHARED/corpora/polnear/dev/ (*.txt)     SHARED/corpora/polnear/dev/annotations.jsonl
                                                                                           score_attribution.py

(`ingest` reads only *.txt, so annotations.jsonl beside the PolNeAR articles is
not ingested. The repository's seed/ holds the same five files as SHARED/seed/;
the gold describes the shared copy, so that is the one read.)

It prints one table (rows: actors, relations, said, requested, rejected for
seed and news-dev, and said for polnear-dev; columns P, R, F1, TP, FP, FN), the
time each set took, and writes every figure to --out as JSON. The articles and
gold are research-only: they are read from SHARED at run time and nothing
derived from them but these counts is written outside --keep and --out (both
belong under target/, which git ignores).

Figures. P, R and F1 are computed here from the scorer's counts, not copied
from its rounded output, so that a ratchet with no slack compares exact values
(they are checked against the scorer's rounded ones, to within its rounding).
For score.py: P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN); a ratio
with a zero denominator is undefined (null in JSON, "-" in the table). For
polnear-dev (score_attribution.py, `said` only), precision and recall count
different things: P = correct / judged predictions, R = found / named
statements, F1 = 2PR/(P+R). There the TP column is the recall side (named
statements found), FN the named statements missed and FP the judged
predictions that were wrong; the line under the table gives both sides.

The floor (--check, --write-floor). A floor file holds, per row, F1, P and R
(figures only). --check fails when the F1 of any row is below its floor by
more than 1e-9 (floating-point noise; no other slack), or when a row of the
floor is missing from the results, and lists every such row. Only F1 is
checked: a change that trades some precision for more recall (or the reverse)
at an equal or better F1 is a legitimate change, and a floor on P and R too
would freeze that balance. P and R are recorded for information and shown next
to a dropped F1. --write-floor records the current figures as the new floor
(after a deliberate improvement: `make eval-floor`) and prints what changed.

Options:
    --bin PATH            the newsgraph binary (default: target/release/newsgraph)
    --shared DIR          the shared folder (default: ../shared)
    --out FILE            the results as JSON (default: target/eval/eval.json)
    --check FLOOR.json    exit 1 if an F1 fell below its floor
    --write-floor FILE    record the current figures as the new floor
    --keep DIR            keep, per set, DIR/SET/export.json and the scorer's
                          verbose report DIR/SET/score.txt (every false positive
                          and negative) for error analysis
Default paths are relative to the repository root (this script's parent
folder); paths given on the command line are relative to the working folder.

Exit status: 0 done (and every F1 at or above its floor), 1 an F1 below its
floor, 2 missing input (SHARED, a gold file, an article folder, the binary, a
floor file) or bad usage, 3 a step failed (ingest, export or a scorer: its
output is printed). Python 3.11, standard library only.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Ratchet tolerance: absorbs floating-point noise only.
TOLERANCE = 1e-9
# How far a figure computed here may be from the scorer's rounded one
# (score.py rounds to 4 places, score_attribution.py to 3).
ROUNDING = 6e-4
RELATION_TYPES = ("said", "requested", "rejected")
EXIT_BELOW_FLOOR = 1
EXIT_MISSING = 2
EXIT_STEP_FAILED = 3
FLOOR_NOTE = ("F1, P and R of each row of `make eval` (scripts/eval.py). `make eval` fails when an F1 "
              "drops below its figure here (tolerance 1e-9); P and R are recorded for information. "
              "Raise with `make eval-floor` after a deliberate improvement.")


class Failure(Exception):
    """A run that cannot go on: message and exit status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def evaluation_sets(shared):
    """Each set: its name, article folder, gold file, scorer, and the scorer's kind of output."""
    return [
        {"name": "seed", "articles": shared / "seed", "gold": shared / "eval" / "dev-gold.json",
         "scorer": shared / "eval" / "score.py", "kind": "gold"},
        {"name": "news-dev", "articles": shared / "eval" / "news-dev" / "articles",
         "gold": shared / "eval" / "news-dev" / "gold.json", "scorer": shared / "eval" / "score.py", "kind": "gold"},
        {"name": "polnear-dev", "articles": shared / "corpora" / "polnear" / "dev",
         "gold": shared / "corpora" / "polnear" / "dev" / "annotations.jsonl",
         "scorer": shared / "eval" / "score_attribution.py", "kind": "attribution"},
    ]


def ratio(num, den):
    return num / den if den else None


def row_from_counts(tp, fp, fn):
    return {"p": ratio(tp, tp + fp), "r": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn),
            "tp": tp, "fp": fp, "fn": fn}


def check_rounding(row, reported, where):
    """The scorer's own (rounded) P, R, F1 must agree with ours: else its definitions changed."""
    for ours, theirs in (("p", "precision"), ("r", "recall"), ("f1", "f1")):
        a, b = row[ours], reported.get(theirs)
        if a is None or b is None:
            continue  # undefined: score.py says null, score_attribution.py 0.0
        if abs(a - b) > ROUNDING:
            raise Failure(f"{where}: {theirs} computed from the counts is {a:.6f} but the scorer reports {b}; "
                          "has the scorer changed its definitions? (see scripts/eval.py's docstring)",
                          EXIT_STEP_FAILED)


def rows_from_score(name, result):
    """Rows of a score.py --json result."""
    rows = {}
    for key, label in (("actors", "actors"), ("relations", "relations")):
        s = result[key]
        rows[f"{name} {label}"] = row_from_counts(s["tp"], s["fp"], s["fn"])
        check_rounding(rows[f"{name} {label}"], s, f"{name} {label}")
    for t in RELATION_TYPES:
        s = result["relations_by_type"][t]
        rows[f"{name} {t}"] = row_from_counts(s["tp"], s["fp"], s["fn"])
        check_rounding(rows[f"{name} {t}"], s, f"{name} {t}")
    return rows


def rows_from_attribution(name, result):
    """Rows of a score_attribution.py --json result (said only)."""
    found, named = result["found"], result["named_statements"]
    correct, judged = result["correct_predictions"], result["judged_predictions"]
    p, r = ratio(correct, judged), ratio(found, named)
    if p is None or r is None:
        f1 = None
    else:  # as the scorer: 0 when P and R are both 0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    row = {"p": p, "r": r, "f1": f1, "tp": found, "fp": judged - correct, "fn": named - found,
           "correct_predictions": correct, "judged_predictions": judged,
           "unjudgeable_predictions": result.get("unjudgeable_predictions"),
           "named_statements": named, "recall_all_named": result.get("recall_all_named")}
    check_rounding(row, result, f"{name} said")
    return {f"{name} said": row}


def run(cmd, what, **kw):
    """Runs a step; a non-zero exit is a Failure that shows its output."""
    try:
        proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, errors="backslashreplace",
                              stdin=subprocess.DEVNULL, **kw)
    except OSError as e:
        raise Failure(f"{what}: cannot run {cmd[0]}: {e.strerror or e}", EXIT_STEP_FAILED) from None
    if proc.returncode != 0:
        shown = " ".join(str(c) for c in cmd)
        output = "".join(f"\n--- {name} ---\n{text.rstrip()[-4000:]}"
                         for name, text in (("stderr", proc.stderr), ("stdout", proc.stdout)) if text.strip())
        raise Failure(f"{what} failed (exit status {proc.returncode}): {shown}{output or ' (no output)'}",
                      EXIT_STEP_FAILED)
    return proc


def evaluate(s, binary, keep):
    """Ingests, exports and scores one set; returns its rows and timings."""
    name = s["name"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSGRAPH_")}
    env.setdefault("RUST_LOG", "warn")
    with tempfile.TemporaryDirectory(prefix=f"newsgraph-eval-{name}-") as tmp:
        db, export = Path(tmp) / "db", Path(tmp) / "export.json"
        t0 = time.perf_counter()
        run([binary, "ingest", s["articles"], "--db", db, "-q"], f"{name}: ingest", env=env)
        t1 = time.perf_counter()
        run([binary, "export", "--format", "json", "--db", db, "-o", export], f"{name}: export", env=env)
        t2 = time.perf_counter()
        proc = run([sys.executable, s["scorer"], s["gold"], export, "--json"], f"{name}: {s['scorer'].name}")
        t3 = time.perf_counter()
        try:
            result = json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            raise Failure(f"{name}: {s['scorer'].name} --json printed no JSON ({e.msg}):\n{proc.stdout[:2000]}"
                          f"\n--- stderr ---\n{proc.stderr}", EXIT_STEP_FAILED) from None
        try:
            rows = rows_from_score(name, result) if s["kind"] == "gold" else rows_from_attribution(name, result)
        except (KeyError, TypeError) as e:
            raise Failure(f"{name}: {s['scorer'].name} --json output lacks an expected field ({e!r})",
                          EXIT_STEP_FAILED) from None
        if keep is not None:
            out = keep / name
            out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(export, out / "export.json")
            verbose = run([sys.executable, s["scorer"], s["gold"], out / "export.json", "--verbose"],
                          f"{name}: {s['scorer'].name} --verbose")
            (out / "score.txt").write_text(verbose.stdout + verbose.stderr, encoding="utf-8")
    articles = sum(1 for p in Path(s["articles"]).rglob("*.txt"))
    notes = [w for w in proc.stderr.splitlines() if w.strip()]
    if s["kind"] == "attribution" and result.get("missing_articles"):
        notes.append(f"{result['missing_articles']} gold article(s) absent from the export "
                     "(the export lists only documents with actors)")
    timing = {"ingest": t1 - t0, "export": t2 - t1, "score": t3 - t2, "total": t3 - t0}
    return rows, {"articles": articles, "seconds": timing, "notes": notes}


def fmt(x, width=6):
    return f"{'-':>{width}}" if x is None else f"{x:>{width}.3f}"


def render_table(rows):
    label_w = max(len(k) for k in rows) + 2
    out = [f"{'':<{label_w}}{'P':>6}{'R':>7}{'F1':>7}{'TP':>7}{'FP':>6}{'FN':>6}"]
    for label, r in rows.items():
        out.append(f"{label:<{label_w}}{fmt(r['p'])} {fmt(r['r'])} {fmt(r['f1'])}"
                   f"{r['tp']:>7}{r['fp']:>6}{r['fn']:>6}")
    return "\n".join(out)


def load_floor(path):
    try:
        floor = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise Failure(f"cannot read the floor file {path}: {e.strerror or e}", EXIT_MISSING) from None
    except json.JSONDecodeError as e:
        raise Failure(f"the floor file {path} is not valid JSON: {e.msg} at line {e.lineno}", EXIT_MISSING) from None
    rows = floor.get("rows") if isinstance(floor, dict) else None
    if not isinstance(rows, dict) or not all(isinstance(v, dict) for v in rows.values()):
        raise Failure(f"the floor file {path} has no \"rows\" object of {{\"f1\": ...}} objects", EXIT_MISSING)
    return rows


def check(rows, floor_rows):
    """Every row whose F1 is below its floor, as lines; and the rows above it."""
    drops, raised = [], []
    for label, f in floor_rows.items():
        want = f.get("f1")
        if not isinstance(want, (int, float)) or isinstance(want, bool):
            continue  # an undefined F1 sets no floor
        got = rows.get(label)
        if got is None:
            drops.append(f"  {label}: in the floor but not measured any more")
            continue
        if got["f1"] is None or got["f1"] < want - TOLERANCE:
            now = "undefined" if got["f1"] is None else f"{got['f1']:.4f}"
            drops.append(f"  {label}: F1 {now} < floor {want:.4f} (down {want - (got['f1'] or 0.0):.2g}); "
                         f"P {fmt(got['p'], 0).strip()} (floor {fmt(f.get('p'), 0).strip()}), "
                         f"R {fmt(got['r'], 0).strip()} (floor {fmt(f.get('r'), 0).strip()})")
        elif got["f1"] > want + TOLERANCE:
            raised.append(f"{label} {want:.3f} -> {got['f1']:.3f}")
    unfloored = [label for label in rows if label not in floor_rows]
    return drops, raised, unfloored


def write_floor(rows, path):
    old = {}
    if Path(path).exists():
        try:
            old = load_floor(path)
        except Failure:
            old = {}
    # One row a line, so that raising the floor is a readable diff.
    lines = [f"  {json.dumps(label)}: {json.dumps({'f1': r['f1'], 'p': r['p'], 'r': r['r']})}"
             for label, r in rows.items()]
    text = "{\n \"note\": " + json.dumps(FLOOR_NOTE) + ",\n \"rows\": {\n" + ",\n".join(lines) + "\n }\n}\n"
    json.loads(text)  # well-formed by construction; fail here rather than at the next --check
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    changes = []
    for label, r in rows.items():
        before = old.get(label, {}).get("f1")
        if before is None or abs(before - (r["f1"] or 0.0)) > TOLERANCE:
            changes.append(f"{label} {'(none)' if before is None else f'{before:.3f}'} -> {fmt(r['f1'], 0).strip()}")
    return changes


def main(argv=None):
    ap = argparse.ArgumentParser(prog="eval.py", description="Measure extraction quality on ../shared's evaluation "
                                 "sets; see the docstring at the top of this file.")
    ap.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "newsgraph",
                    help="the newsgraph binary (default: target/release/newsgraph)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared folder (default: ../shared)")
    ap.add_argument("--out", type=Path, default=REPO / "target" / "eval" / "eval.json",
                    help="write the results here as JSON (default: target/eval/eval.json)")
    ap.add_argument("--check", type=Path, metavar="FLOOR.json", help="exit 1 if an F1 fell below its floor")
    ap.add_argument("--write-floor", type=Path, metavar="FLOOR.json", help="record the current figures as the floor")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="keep each set's export and verbose scorer report here")
    args = ap.parse_args(argv)
    try:
        return evaluate_all(args)
    except Failure as e:
        print(f"eval.py: error: {e}", file=sys.stderr)
        return e.status


def evaluate_all(args):
    shared = args.shared
    if not (shared / "eval").is_dir():
        raise Failure(f"the shared folder {shared} (with eval/) is missing; pass --shared DIR", EXIT_MISSING)
    sets = evaluation_sets(shared)
    missing = [f"{what} {s[what]}" for s in sets for what in ("articles", "gold", "scorer")
               if not (s[what].is_dir() if what == "articles" else s[what].is_file())]
    if missing:
        raise Failure("missing evaluation input:\n  " + "\n  ".join(missing), EXIT_MISSING)
    if not args.bin.is_file():
        raise Failure(f"no binary at {args.bin}; build it with `cargo build --release --locked` or pass --bin",
                      EXIT_MISSING)
    floor_rows = load_floor(args.check) if args.check else None

    rows, sets_out = {}, {}
    for s in sets:
        set_rows, info = evaluate(s, args.bin.resolve(), args.keep)
        rows.update(set_rows)
        sets_out[s["name"]] = {"articles_dir": str(s["articles"]), "gold": str(s["gold"]),
                               "scorer": s["scorer"].name, **info}
        t = info["seconds"]
        print(f"{s['name']}: {info['articles']} articles in {t['total']:.2f} s "
              f"(ingest {t['ingest']:.2f}, export {t['export']:.2f}, score {t['score']:.2f})")
        for n in info["notes"]:
            print(f"  note: {n}")

    print()
    print(render_table(rows))
    for label, r in rows.items():
        if "correct_predictions" in r:
            print(f"{label}: P = {r['correct_predictions']}/{r['judged_predictions']} judged predictions correct "
                  f"({r['unjudgeable_predictions']} unjudgeable left out), R = {r['tp']}/{r['named_statements']} "
                  "named statements found; TP/FN are the recall side, FP the wrong judged predictions")

    result = {"bin": str(args.bin), "shared": str(shared), "sets": sets_out, "rows": rows}
    status = 0
    if floor_rows is not None:
        drops, raised, unfloored = check(rows, floor_rows)
        result["check"] = {"floor": str(args.check), "dropped": drops, "raised": raised}
        print()
        if drops:
            print(f"FAILED: {len(drops)} figure(s) below the floor in {args.check} (F1, tolerance {TOLERANCE:g}):")
            print("\n".join(drops))
            status = EXIT_BELOW_FLOOR
        else:
            checked = sum(1 for f in floor_rows.values() if isinstance(f.get("f1"), (int, float)))
            print(f"ok: all {checked} F1 figures at or above the floor in {args.check}")
        if raised:
            print("above the floor (after a deliberate improvement, raise it with `make eval-floor`): "
                  + "; ".join(raised))
        if unfloored:
            print("no floor yet (not checked): " + ", ".join(unfloored))
    if args.write_floor:
        changes = write_floor(rows, args.write_floor)
        print(f"floor written to {args.write_floor}"
              + (": " + "; ".join(changes) if changes else " (unchanged)"))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"results: {args.out}" + (f"; exports and scorer reports: {args.keep}/" if args.keep else ""))
    return status


if __name__ == "__main__":
    sys.exit(main())
