#!/usr/bin/env python3
"""Generate crates/syntax/data/clusters.txt: word clusters for the tagger and
the parser.

Source: the PyPI package `spacy-lookups-data` 1.0.5 (MIT licence, ExplosionAI
GmbH), tables `en_lexeme_cluster` (hierarchical Brown clusters, 1,000 leaves)
and `en_lexeme_prob` (log probabilities). No article text is involved.

Each cluster is a path in a binary tree, stored by the source as an integer
whose lowest bit is the path's first step: `value & ((1 << k) - 1)` is the
path's first k steps, so words that share low bits share an ancestor.

The table is keyed by the lower-cased word (the tagger's and the parser's word
view is lower-cased): where several spellings of one word have a cluster, the
most probable spelling's is kept. Words without a cluster are left out.

Install:  pip download spacy-lookups-data==1.0.5 --no-deps -d /tmp/sl
Usage:    python3 scripts/syntax/gen_clusters.py /tmp/sl/spacy_lookups_data-1.0.5-py2.py3-none-any.whl \
              crates/syntax/data/clusters.txt

Output: a comment header, then one line per word: word<TAB>cluster, sorted
by word (bytes), so that the same package gives the same file.
"""
import gzip
import json
import sys
import zipfile


def table(wheel, name):
    with zipfile.ZipFile(wheel) as z:
        with z.open(f"spacy_lookups_data/data/{name}.json.gz") as f:
            return json.loads(gzip.decompress(f.read()))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_clusters.py WHEEL OUT")
    wheel, out = sys.argv[1], sys.argv[2]
    clusters = table(wheel, "en_lexeme_cluster")
    probs = table(wheel, "en_lexeme_prob")
    best = {}
    for word, cluster in clusters.items():
        if not cluster or "\t" in word or "\n" in word or not word.strip():
            continue
        key = word.lower()
        prob = probs.get(word, -30.0)
        # The most probable spelling wins; ties go to the smaller cluster
        # number, so the choice never depends on the table's order.
        rank = (prob, -cluster)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, cluster)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Word clusters (hierarchical Brown clusters) from the PyPI package\n")
        f.write("# spacy-lookups-data 1.0.5 (MIT licence, (c) 2019 ExplosionAI GmbH),\n")
        f.write("# made by scripts/syntax/gen_clusters.py. word<TAB>cluster; the\n")
        f.write("# cluster's lowest bit is the first step of its path in the tree.\n")
        for key in sorted(best, key=lambda w: w.encode("utf-8")):
            f.write(f"{key}\t{best[key][1]}\n")
    print(f"{len(best)} words -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
