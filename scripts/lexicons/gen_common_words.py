#!/usr/bin/env python3
"""Generate crates/ingest/data/common_words.txt.

Words that, when capitalised at sentence start or in headlines, are NOT names.

Sources:
  * hand-written closed-class list below (articles, pronouns, prepositions,
    conjunctions, auxiliaries, modals, determiners, discourse adverbs,
    weekdays, months) - general English grammar;
  * the most frequent English words from the PyPI package `wordfreq` 3.x
    (code Apache-2.0; its word-frequency data is CC BY-SA 4.0), restricted to
    words the SCOWL word list (Debian package wamerican/wbritish,
    /usr/share/dict/{american,british}-english; permissive SCOWL licence)
    lists in lowercase.
Excluded (may be names): given names in given_names.txt, the 500 most
frequent US Census 1990 surnames (PyPI `names`, public domain data) unless the
word is very frequent (Zipf >= 5.0, e.g. "long", "white"), every string of
countries.tsv / organizations.tsv / outlets.txt, and the AMBIGUOUS list below
(Will, Mark, Rose, May, Bill, Chase, Grant...). Month names are kept except
"may".

Install:  pip install wordfreq names ; apt-get install wamerican wbritish
Usage:    python3 scripts/lexicons/gen_common_words.py crates/ingest/data > crates/ingest/data/common_words.txt
(given_names.txt, countries.tsv, organizations.tsv and outlets.txt must exist first)
"""
import os
import re
import sys

import names as names_pkg
from wordfreq import top_n_list, zipf_frequency

TARGET_FREQUENT = 3000  # accepted words from the frequency list
SURNAME_TOP = 500
SURNAME_KEEP_ZIPF = 5.0

FUNCTION_WORDS = """
a an the this that these those such what which whose whatever whichever
i me my mine myself you your yours yourself yourselves he him his himself she her hers herself
it its itself we us our ours ourselves they them their theirs themselves one ones oneself
who whom whoever whomever anybody anyone anything everybody everyone everything nobody none
nothing somebody someone something each either neither both all any some many much more most
few fewer fewest less least several enough other others another own same such various certain
no not nor only just even also too very quite rather somewhat almost nearly
about above across after against along alongside amid amidst among amongst around as at
before behind below beneath beside besides between beyond by despite down during except
for from in inside into like near nearby of off on onto opposite out outside over past per
since than through throughout till to toward towards under underneath unlike until unto up
upon via with within without according regarding concerning including excluding following
plus minus versus vs
and but or so yet because although though while whereas whether if unless once
lest whenever wherever however moreover furthermore nevertheless nonetheless therefore thus
hence accordingly consequently meanwhile meantime otherwise instead likewise similarly
besides additionally also finally firstly secondly thirdly lastly namely notably
eventually initially originally previously subsequently currently recently lately
apparently evidently obviously clearly certainly surely indeed actually really basically
generally usually typically normally often sometimes always never ever again already still
yet soon now then today tomorrow yesterday tonight later earlier here there where when why how
perhaps maybe probably possibly presumably reportedly allegedly supposedly reputedly
ultimately overall altogether anyway anyhow regardless nonetheless elsewhere
especially particularly specifically mainly mostly largely partly fully entirely
together alone abroad ahead aside away back forward instead rather
is am are was were be been being have has had having do does did doing done
can cannot could shall should would might must ought need dare
isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't can't couldn't
shouldn't wouldn't mightn't mustn't won't shan't it's that's there's here's what's who's
let's i'm i've i'd i'll you're you've you'd you'll he's he'd he'll she's she'd she'll
we're we've we'd we'll they're they've they'd they'll
yes no oh ok okay please thanks
first second third fourth fifth last next previous former latter earlier later
zero two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred thousand million billion trillion dozens hundreds thousands millions billions
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
"""

# Ambiguous with names: never in the list even if frequent.
AMBIGUOUS = """
will mark rose may bill chase grant frank hope joy faith grace guy jack pat sue don art ray
dean drew gene rich earl bob max sky lee kim van von bush price king prince
duke major page rush hunt cook miller baker hill park wood stone woods fox love young
white black brown green gray grey long little bell rice ford walker hunter bishop pope
dawn summer autumn victoria georgia jordan chad china turkey india
apple amazon google facebook twitter windows android shell target oracle
""".split()

# Vulgar words and fragments/abbreviations that are not useful as "common words" here.
JUNK = set("""
shit fuck fucking fucked damn ass bitch crap dick pussy sexy porn lol omg wanna gonna
la le el de da di des du ii iii iv etc re non anti vs pre co ex
mo pp mm em ca ha ah yo op vol tho id pa ma bullshit sucks suck idiot
trump wales jersey oxford cambridge
""".split())

SURNAME_FILE = "dist.all.last"
DICTS = ["/usr/share/dict/american-english", "/usr/share/dict/british-english"]


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line


def main():
    datadir = sys.argv[1] if len(sys.argv) > 1 else "crates/ingest/data"
    lower = set()
    for d in DICTS:
        if not os.path.exists(d):
            sys.exit(f"{d} missing: apt-get install wamerican wbritish")
        with open(d, encoding="utf-8") as fh:
            lower |= {w.strip() for w in fh if w.strip().islower()}

    excluded = set(AMBIGUOUS)
    excluded |= {n.lower() for n in read_lines(os.path.join(datadir, "given_names.txt"))}
    for line in read_lines(os.path.join(datadir, "countries.tsv")):
        for field in line.split("\t"):
            for s in field.split("|"):
                excluded.add(s.lower())
    for line in read_lines(os.path.join(datadir, "organizations.tsv")):
        f = line.split("\t")
        for s in [f[0]] + f[2].split("|"):
            excluded.add(s.lower())
    for line in read_lines(os.path.join(datadir, "outlets.txt")):
        excluded.add(line.lower())
        if line.lower().startswith("the "):
            excluded.add(line[4:].lower())
    with open(os.path.join(os.path.dirname(names_pkg.__file__), SURNAME_FILE), encoding="ascii") as fh:
        surnames = [l.split()[0].lower() for l in fh if l.strip()][:SURNAME_TOP]
    for s in surnames:
        if zipf_frequency(s, "en") < SURNAME_KEEP_ZIPF:
            excluded.add(s)

    closed = []
    for w in FUNCTION_WORDS.split():
        if w not in closed and w != "may":
            closed.append(w)
    out = list(closed)
    seen = set(out)
    n = 0
    for w in top_n_list("en", 20000):
        if n >= TARGET_FREQUENT:
            break
        if not re.fullmatch(r"[a-z]{2,}", w) or w in seen:
            continue
        if w not in lower or w in excluded or w in JUNK:
            continue
        out.append(w)
        seen.add(w)
        n += 1

    wr = sys.stdout.write
    wr("# common_words.txt - lowercase English words that are NOT names when capitalised (sentence start, headlines).\n")
    wr("# Format: one lowercase word per line. First the closed-class words (articles, pronouns, prepositions,\n")
    wr("# conjunctions, auxiliaries, modals, determiners, discourse adverbs, weekdays, months except 'may'),\n")
    wr(f"# then the {TARGET_FREQUENT} most frequent other English words in frequency order.\n")
    wr("# Deliberately absent (can be names): given names (given_names.txt), frequent surnames, country/org/outlet\n")
    wr("# strings, and ambiguous words such as will, mark, rose, may, bill, chase, grant, hope, young, white.\n")
    wr("# Sources: closed-class list written by hand from English grammar; frequency ranking from the PyPI package\n")
    wr("# wordfreq 3.x (code Apache-2.0, frequency data CC BY-SA 4.0 - this list is derived from it); filtered by the\n")
    wr("# SCOWL word lists (Debian wamerican/wbritish, permissive SCOWL licence) and US Census 1990 surnames (PyPI\n")
    wr("# `names`, public-domain data). Generated by scripts/lexicons/gen_common_words.py - edit the script, not this file.\n")
    for w in out:
        wr(w + "\n")


if __name__ == "__main__":
    main()
