#!/usr/bin/env python3
"""Generate crates/ingest/data/{said,requested,rejected}.tsv.

Cue verb lists are curated by hand (below) from the standard "reporting verbs"
inventories of English grammar references (speech-act verbs of statement,
request/directive and refusal/opposition). Inflections are generated with the
PyPI package `lemminflect` (MIT licence) and checked by hand; EXTRA_FORMS and
DROP_FORMS hold the manual corrections.

Install:  pip install lemminflect
Usage:    python3 scripts/lexicons/gen_cues.py crates/ingest/data

Output format (one line per cue): lemma<TAB>forms<TAB>frame
  forms  = every inflection incl. the lemma, '|'-separated; British spellings
           are folded into the same line as the American lemma.
  frame  = intransitive | content | addressee | object | negated | directive
A multiword cue inflects its first word only ("call on|calls on|called on|calling on").
No surface form appears in more than one line or file (checked below).
"""
import os
import sys

from lemminflect import getAllInflections

# (lemma, frame, british/alternate spelling lemmas)
SAID = [
    # plain statement verbs: speaker + reported content, no addressee/object slot
    ("say", "intransitive", []),
    ("state", "intransitive", []),
    ("stress", "intransitive", []),
    ("add", "content", []),
    ("note", "intransitive", []),
    ("point out", "intransitive", []),
    ("make clear", "intransitive", []),
    ("write", "intransitive", []),
    ("announce", "intransitive", []),
    ("declare", "intransitive", []),
    ("proclaim", "intransitive", []),
    ("explain", "intransitive", []),
    ("elaborate", "intransitive", []),
    ("emphasize", "intransitive", ["emphasise"]),
    ("underline", "content", []),
    ("underscore", "intransitive", []),
    ("highlight", "content", []),
    ("insist", "intransitive", []),
    ("claim", "intransitive", []),
    ("allege", "intransitive", []),
    ("argue", "intransitive", []),
    ("contend", "intransitive", []),
    ("confirm", "intransitive", []),
    ("reiterate", "intransitive", []),
    ("repeat", "content", []),
    ("affirm", "intransitive", []),
    ("reaffirm", "intransitive", []),
    ("assert", "intransitive", []),
    ("reassert", "intransitive", []),
    ("remark", "intransitive", []),
    ("comment", "intransitive", []),
    ("maintain", "content", []),
    ("acknowledge", "intransitive", []),
    ("admit", "intransitive", []),
    ("concede", "content", []),
    ("confess", "intransitive", []),
    ("report", "intransitive", []),
    ("recall", "content", []),
    ("recount", "intransitive", []),
    ("reveal", "intransitive", []),
    ("disclose", "intransitive", []),
    ("clarify", "intransitive", []),
    ("specify", "intransitive", []),
    ("mention", "intransitive", []),
    ("suggest", "intransitive", []),
    ("observe", "content", []),
    ("hint", "intransitive", []),
    ("speculate", "intransitive", []),
    ("tweet", "intransitive", []),
    ("post", "intransitive", []),
    ("respond", "content", []),
    ("reply", "intransitive", []),
    ("answer", "content", []),
    ("retort", "intransitive", []),
    ("counter", "content", []),
    ("testify", "intransitive", []),
    ("vow", "intransitive", []),
    ("pledge", "intransitive", []),
    ("promise", "intransitive", []),
    ("complain", "intransitive", []),
    ("lament", "intransitive", []),
    ("apologize", "intransitive", ["apologise"]),
    ("quip", "intransitive", []),
    ("exclaim", "intransitive", []),
    ("speak", "intransitive", []),
    # the object is the person addressed
    ("tell", "addressee", []),
    ("inform", "addressee", []),
    ("notify", "addressee", []),
    ("assure", "addressee", []),
    ("reassure", "addressee", []),
    ("remind", "addressee", []),
    ("warn", "addressee", []),
    ("caution", "addressee", []),
    ("advise", "addressee", []),
    ("brief", "addressee", []),
    ("address", "addressee", []),
    ("thank", "addressee", []),
    ("congratulate", "addressee", []),
    # the direct object is the thing/person the statement is about
    ("describe", "object", []),
    ("express", "object", []),
    ("voice", "object", []),
    ("threaten", "object", []),
    ("accuse", "object", []),
    ("blame", "object", []),
    ("criticize", "object", ["criticise"]),
    ("condemn", "object", []),
    ("denounce", "object", []),
    ("decry", "object", []),
    ("deplore", "object", []),
    ("slam", "object", []),
    ("lash out at", "object", []),
    ("hit out at", "object", []),
    ("rail against", "object", []),
    ("welcome", "object", []),
    ("praise", "object", []),
    ("commend", "object", []),
    ("applaud", "object", []),
    ("hail", "object", []),
    ("laud", "object", []),
    ("endorse", "object", []),
    # proposals and recommendations are statements of a view, not requests of anyone
    ("propose", "object", []),
    ("recommend", "object", []),
]

REQUESTED = [
    ("ask", "addressee", []),
    ("ask for", "object", []),
    ("request", "object", []),
    ("call on", "addressee", []),
    ("call upon", "addressee", []),
    ("call for", "object", []),
    ("urge", "addressee", []),
    ("appeal to", "addressee", []),
    ("appeal for", "object", []),
    ("demand", "object", []),
    ("press", "addressee", []),
    ("press for", "object", []),
    ("push for", "object", []),
    ("pressure", "addressee", []),
    ("pressurize", "addressee", ["pressurise"]),
    ("implore", "addressee", []),
    ("beg", "addressee", []),
    ("beseech", "addressee", []),
    ("entreat", "addressee", []),
    ("plead with", "addressee", []),
    ("lean on", "addressee", []),
    ("plead for", "object", []),
    ("invite", "addressee", []),
    ("summon", "addressee", []),
    ("instruct", "addressee", []),
    # requests only with an addressee and an infinitive ("ordered the troops to withdraw")
    ("order", "directive", []),
    ("direct", "directive", []),
    ("counsel", "directive", []),
    ("push", "directive", []),
    ("challenge", "directive", []),
    ("command", "directive", []),
    ("seek", "object", []),
    ("solicit", "object", []),
    ("petition", "addressee", []),
    ("lobby", "addressee", []),
    ("lobby for", "object", []),
    ("campaign for", "object", []),
    ("exhort", "addressee", []),
    ("encourage", "addressee", []),
    ("insist on", "object", []),
    ("advocate", "object", []),
    ("advocate for", "object", []),
]

REJECTED = [
    ("reject", "object", []),
    ("refuse", "object", []),
    ("deny", "object", []),
    ("decline", "object", []),
    ("dismiss", "object", []),
    ("oppose", "object", []),
    ("turn down", "object", []),
    ("rebuff", "object", []),
    ("rule out", "object", []),
    ("veto", "object", []),
    # "blocked the road" is no rejection: only what is someone's ("blocked Obama's plan")
    ("block", "owned", []),
    ("repudiate", "object", []),
    ("disavow", "object", []),
    ("renounce", "object", []),
    ("spurn", "object", []),
    ("snub", "object", []),
    ("boycott", "object", []),
    ("refute", "object", []),
    ("rebut", "object", []),
    ("contest", "object", []),
    ("dispute", "object", []),
    ("contradict", "object", []),
    ("object to", "object", []),
    ("resist", "object", []),
    ("say no to", "object", []),
    ("protest against", "object", []),
    ("vote against", "object", []),
    ("vote down", "object", []),
    ("brush off", "object", []),
    ("brush aside", "object", []),
    ("scoff at", "object", []),
    ("balk at", "object", ["baulk at"]),
    ("push back against", "object", []),
    ("push back on", "object", []),
    ("overrule", "object", []),
    ("thwart", "object", []),
    ("quash", "object", []),
    ("overturn", "object", []),
    ("strike down", "object", []),
    ("shoot down", "object", []),
    ("laugh off", "object", []),
    ("shrug off", "object", []),
    ("wave away", "object", []),
    ("wave off", "object", []),
    ("swat away", "object", []),
    ("bat away", "object", []),
    # counts as a rejection only when negated ("did not recognise", "refused to accept" is handled by 'refuse')
    ("recognize", "negated", ["recognise"]),
    ("accept", "negated", []),
    ("approve", "negated", []),
    ("agree", "negated", []),
    ("support", "negated", []),
]

# lemminflect gives some archaic/misspelled/odd forms: drop them.
DROP_FORMS = {
    "plead": {"plead"},  # lemminflect also lists 'plead' as a past form; pleaded|pled are kept
}
EXTRA_FORMS = {}


def verb_forms(word):
    infl = getAllInflections(word, upos="VERB")
    if not infl:
        sys.exit(f"lemminflect has no inflections for {word!r}")
    forms = [word]
    for tag in ("VBZ", "VBD", "VBN", "VBG"):
        for f in infl.get(tag, ()):
            if f not in forms:
                forms.append(f)
    return forms


def cue_forms(lemma):
    head, _, rest = lemma.partition(" ")
    heads = verb_forms(head)
    drop = DROP_FORMS.get(head, set())
    out = []
    for i, h in enumerate(heads):
        if i > 0 and h in drop:
            continue
        out.append(h + (" " + rest if rest else ""))
    return out + EXTRA_FORMS.get(lemma, [])


HEADERS = {
    "said": "verbs that introduce a statement (reporting/speech-act verbs: 'X said', 'X told Y', 'X criticised Y')",
    "requested": "verbs that introduce a request, appeal or demand ('X urged Y to', 'X called for Z')",
    "rejected": "verbs that express a rejection/refusal/opposition ('X rejected Z'); frame 'negated' = rejection only under negation",
}


def write(path, kind, entries, seen):
    lines = []
    for lemma, frame, variants in entries:
        forms = []
        for lem in [lemma] + variants:
            for f in cue_forms(lem):
                if f not in forms:
                    forms.append(f)
        for f in forms:
            if f in seen:
                sys.exit(f"form {f!r} of {lemma!r} already used by {seen[f]!r}")
            seen[f] = lemma
        lines.append(f"{lemma}\t{'|'.join(forms)}\t{frame}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"# {kind}.tsv - {HEADERS[kind]}\n")
        fh.write("# Format: lemma<TAB>forms<TAB>frame ; forms = all inflections incl. the lemma (base|3sg|past|past participle|gerund),\n")
        fh.write("#   '|'-separated, British spellings folded into the American lemma's line; multiword cues inflect the first word.\n")
        fh.write("# frame: intransitive = speaker only (content follows as a clause/quote); content = the same, but a statement\n")
        fh.write("#   only with something said (a clause, a quote, a colon: 'added that', not 'adding to her lead'); addressee = the object is the person/body\n")
        fh.write("#   addressed ('told Y', 'urged Y', 'called on Y'); object = the direct object is the thing acted on ('rejected X',\n")
        fh.write("#   'called for X', 'criticised X'); negated = counts as this relation only when negated ('did not recognise X');\n")
        fh.write("#   directive = a request only with an addressee and an infinitive ('ordered the troops to withdraw');\n")
        fh.write("#   owned = like object, but a relation only when the thing acted on is someone's ('blocked Obama's plan', not 'blocked the road').\n")
        fh.write("# No surface form occurs in more than one line of said/requested/rejected.tsv.\n")
        fh.write("# Source: verb list curated by hand from English grammar references' inventories of reporting verbs;\n")
        fh.write("#   inflections generated with lemminflect (PyPI, MIT licence) and checked by hand.\n")
        fh.write("# Generated by scripts/lexicons/gen_cues.py - edit the script, not this file.\n")
        for l in lines:
            fh.write(l + "\n")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "crates/ingest/data"
    seen = {}
    write(os.path.join(outdir, "said.tsv"), "said", SAID, seen)
    write(os.path.join(outdir, "requested.tsv"), "requested", REQUESTED, seen)
    write(os.path.join(outdir, "rejected.tsv"), "rejected", REJECTED, seen)


if __name__ == "__main__":
    main()
