#!/usr/bin/env python3
"""Turn the truth graph of the synthetic corpus into `newsgraph import` lines.

    python3 scripts/truth_to_import.py CORPUS_DIR > truth-import.jsonl
    newsgraph import truth-import.jsonl --db data/truth.db

CORPUS_DIR is a directory written by `gen_corpus.py --out CORPUS_DIR`: its
`truth.jsonl` (one line per article: file, title, source, published, actors,
relations with the intended (subject, relation, object) and the evidence
sentence) and the article files it names. Each truth line becomes one import
line: the document with the article's text (import keeps the text, and every
relation's evidence is a span of it), the actors by name, and the relations
naming their subject and object by name, with the byte span of their evidence
sentence in the text. Ids are left out: import derives them from the file and
the names exactly as extraction does, so the truth store and an ingested
store can be queried side by side, answer by answer.

A relation whose evidence sentence is not in the article's text (a corpus
changed since its truth was written) is left out and counted on stderr; the
exit code is 1 if any was.
"""
import argparse
import json
import os
import sys


def convert(corpus, out, err):
    """Writes one import line per truth line; returns (articles, relations,
    relations left out)."""
    articles = relations = missing = 0
    with open(os.path.join(corpus, "truth.jsonl"), encoding="utf-8") as truth:
        for number, line in enumerate(truth, 1):
            if not line.strip():
                continue
            article = json.loads(line)
            with open(os.path.join(corpus, article["file"]), encoding="utf-8") as f:
                text = f.read()
            data = text.encode("utf-8")
            lines = []
            for rel in article["relations"]:
                evidence = rel["evidence"].encode("utf-8")
                start = data.find(evidence)
                if start < 0:
                    missing += 1
                    print(f"truth.jsonl line {number}: evidence not in {article['file']}: "
                          f"{rel['evidence'][:60]!r}", file=err)
                    continue
                lines.append({"subject": rel["subject"], "relation": rel["relation"],
                              "object": rel["object"], "span": [start, start + len(evidence)]})
            out.write(json.dumps({
                "documents": [{"file": article["file"], "title": article["title"],
                               "source": article.get("source"), "published": article.get("published"),
                               "text": text}],
                "actors": [{"name": a["name"], "kind": a["kind"], "aliases": a.get("aliases", [])}
                           for a in article["actors"]],
                "relations": lines,
            }, ensure_ascii=False) + "\n")
            articles += 1
            relations += len(lines)
    return articles, relations, missing


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="a directory written by gen_corpus.py (truth.jsonl and the articles)")
    a = ap.parse_args()
    try:
        articles, relations, missing = convert(a.corpus, sys.stdout, sys.stderr)
    except (OSError, ValueError, KeyError) as e:
        print(f"truth_to_import.py: error: {e}", file=sys.stderr)
        return 2
    print(f"converted {articles} articles, {relations} relations"
          + (f"; {missing} relations left out (evidence not in the text)" if missing else ""),
          file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
