//! Repairs of trees the parser is known to get wrong around a relation
//! cue, applied before extraction reads them. Each repair is one named
//! construction, fires only on the tree shape of its misparse, and leaves
//! every other tree as the parser gave it. Models trained with other
//! settings or another shuffle of the treebank make these errors in
//! different sentences; repairing the shape, rather than reading each
//! wrong shape where a construction looks, keeps the constructions the
//! same whatever the model.

use newsgraph_syntax::{Analysis, Upos};

use crate::lexicon::{Frame, Lexicon};

/// How far a repair walks up the tree from a word: a deeper chain is no
/// phrase, and a long sentence must stay linear.
const HOPS: usize = 64;

/// Applies every repair to `a`, in order.
pub fn repair(a: &mut Analysis<'static>, lex: &Lexicon) {
    auxiliary_read_as_verb(a);
    perfect_auxiliary_misread(a);
    opening_participle_read_as_the_root(a, lex);
    main_verb_read_after_a_relative_clause(a);
    possessive_her_read_as_an_object(a);
    verb_read_as_noun(a, lex);
    said_cue_read_as_a_noun(a, lex);
    subject_read_as_root(a, lex);
    verb_read_as_modifier(a, lex);
    infinitive_read_as_modifier_of_addressee(a, lex);
    verb_read_as_part_of_a_name(a);
    cue_read_as_a_subordinator(a, lex);
    speaker_read_as_a_noun_after_a_quote(a, lex);
    subject_read_inside_a_prepositional_phrase(a);
    reporting_clause_read_as_a_relative_clause(a, lex);
    subject_inside_the_quote(a, lex);
    quote_words_hung_from_the_reporting_verb(a, lex);
    apposition_read_as_the_subject(a, lex);
    conjunct_under_another_preposition(a);
    name_split_at_its_honorific(a, lex);
    title_holder_hung_inside_the_title(a, lex);
    title_holder_read_as_the_object_of_of(a, lex);
    apposition_read_as_a_modifier(a);
    name_read_as_a_modifier_of_its_description(a);
    conjunct_read_as_an_apposition(a);
    name_read_as_a_compound_before_a_determiner(a);
}

/// Each word's dependents and the last quotation mark before it, found in
/// one pass over the sentence: asking word by word would make a repair
/// quadratic in the sentence's length, and a sentence may run to
/// hundreds of thousands of words. Built once per repair, when a word
/// first passes the repair's cheap checks of tag and label; a repair
/// that moves a word reads the dependents of the words it has not
/// touched yet.
struct Index {
    /// Dependents of word `i` are `deps[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    deps: Vec<usize>,
    /// The last quotation mark before each word.
    quote_before: Vec<Option<usize>>,
}

impl Index {
    fn new(a: &Analysis) -> Index {
        let n = a.words.len();
        let mut start = vec![0usize; n + 1];
        for j in 0..n {
            if let Some(h) = head(a, j) {
                start[h + 1] += 1;
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut deps = vec![0usize; start[n]];
        let mut quote_before = Vec::with_capacity(n);
        let mut last = None;
        for j in 0..n {
            if let Some(h) = head(a, j) {
                deps[fill[h]] = j;
                fill[h] += 1;
            }
            quote_before.push(last);
            if is_quote(a, j) {
                last = Some(j);
            }
        }
        Index {
            start,
            deps,
            quote_before,
        }
    }

    fn dependents(&self, i: usize) -> &[usize] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&from), Some(&to)) => self.deps.get(from..to).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn quote_before(&self, i: usize) -> Option<usize> {
        self.quote_before.get(i).copied().flatten()
    }
}

/// Whether word `v` is a cue of the `said` relation.
fn is_said_cue(a: &Analysis, lex: &Lexicon, v: usize) -> bool {
    lex.cues
        .get(&folded(a, v))
        .is_some_and(|c| c.relation == newsgraph_model::RelationKind::Said)
}

/// Whether word `j` is a quotation mark.
fn is_quote(a: &Analysis, j: usize) -> bool {
    a.words.get(j).is_some_and(|w| {
        matches!(
            w.form.as_str(),
            "\"" | "''" | "``" | "'" | "\u{201c}" | "\u{201d}"
        )
    })
}

fn folded(a: &Analysis, i: usize) -> String {
    a.words
        .get(i)
        .map_or_else(String::new, |w| w.form.to_lowercase())
}

fn head(a: &Analysis, i: usize) -> Option<usize> {
    a.head_of(i).filter(|h| *h < a.words.len())
}

/// Hangs every dependent of `from` but `except` from `to`.
fn move_dependents(a: &mut Analysis, from: usize, to: usize, except: usize) {
    for (j, w) in a.words.iter_mut().enumerate() {
        if j != except && j != to && w.head as usize == from + 1 {
            w.head = to as u32 + 1;
        }
    }
}

/// "The Greens have said they ...", read with "have" as the main verb
/// and "said" as its object: a form of "have" followed by a past
/// participle hanging from it (nothing but adverbs between: "has long
/// said", "had not asked") is the participle's auxiliary. The participle
/// takes the place of "have" in the tree and its dependents.
fn auxiliary_read_as_verb(a: &mut Analysis<'static>) {
    for h in 0..a.words.len() {
        if a.words[h].upos != Upos::VERB
            || !matches!(folded(a, h).as_str(), "have" | "has" | "had" | "'ve" | "'d")
        {
            continue;
        }
        let participle = (h + 1..a.words.len())
            .take_while(|&j| {
                j == h + 1
                    || matches!(a.words[j - 1].upos, Upos::ADV | Upos::PART)
                        && head(a, j - 1).is_some_and(|x| x == h || x == j)
            })
            .find(|&j| {
                a.words[j].xpos == "VBN"
                    && head(a, j) == Some(h)
                    && matches!(a.words[j].deprel, "obj" | "xcomp" | "ccomp" | "conj")
            });
        let Some(p) = participle else {
            continue;
        };
        move_dependents(a, h, p, p);
        let (hh, rel) = (a.words[h].head, a.words[h].deprel);
        a.words[p].head = hh;
        a.words[p].deprel = rel;
        a.words[h].head = p as u32 + 1;
        a.words[h].deprel = "aux";
        a.words[h].upos = Upos::AUX;
    }
}

/// "reported as having asked firms to pay", read with "having" as the
/// passive auxiliary or the subject of the verb after it: "having" hung
/// from the past verb right after it is its perfect auxiliary (a passive
/// would read "having been asked").
fn perfect_auxiliary_misread(a: &mut Analysis<'static>) {
    for i in 0..a.words.len().saturating_sub(1) {
        let v = i + 1;
        if a.words[i].deprel == "aux"
            || head(a, i) != Some(v)
            || a.words[v].upos != Upos::VERB
            || !matches!(a.words[v].xpos, "VBN" | "VBD")
            || folded(a, i) != "having"
        {
            continue;
        }
        a.words[i].deprel = "aux";
        a.words[i].upos = Upos::AUX;
        a.words[v].xpos = "VBN";
    }
}

/// "KFOR calls on Belgrade to ...", "Trump urges Congress to act": a
/// cue verb in the third person right after a name, read as a plural
/// noun with the name as its compound. When the word heads its clause
/// and the name is the word just before it, it is the verb: the name is
/// its subject, its prepositional modifiers are obliques and an
/// infinitive after it is its complement.
///
/// The same word may instead be read as the subject of the clause after
/// it ("Oxfam warns that it needs ...", with "warns" a subject of
/// "needs"): when "that" right after it marks that clause and the clause
/// has a subject of its own, the word is the verb, in the clause's place,
/// and the clause its complement.
fn verb_read_as_noun(a: &mut Analysis<'static>, lex: &Lexicon) {
    let mut index = None;
    for i in 1..a.words.len() {
        let w = &a.words[i];
        let clause = matches!(w.deprel, "root" | "ccomp" | "parataxis");
        let name_before = a.words[i - 1].upos == Upos::PROPN
            && head(a, i - 1) == Some(i)
            && a.words[i - 1].deprel == "compound";
        if !(w.xpos == "NNS" && name_before && lex.first_words.contains(&folded(a, i))) {
            continue;
        }
        // "KFOR calls on Belgrade to engage in dialogue" read as one noun
        // phrase, "calls" the subject of "dialogue" with no verb at all:
        // a noun with a subject and no copula heads no clause, and the
        // word takes its place.
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let w = &a.words[i];
        let nominal = head(a, i).filter(|&v| {
            w.deprel == "nsubj"
                && matches!(a.words[v].upos, Upos::NOUN | Upos::PROPN)
                && !ix.dependents(v).iter().any(|&d| a.words[d].deprel == "cop")
        });
        if let Some(v) = nominal {
            a.words[i].head = a.words[v].head;
            a.words[i].deprel = a.words[v].deprel;
            a.words[v].head = i as u32 + 1;
            a.words[v].deprel = "dep";
            let last = a.words.len() - 1;
            if head(a, last) == Some(v) && a.words[last].deprel == "punct" {
                a.words[last].head = i as u32 + 1;
            }
        } else if !clause {
            if let Some(v) = clause_with_this_subject(a, i) {
                a.words[i].upos = Upos::VERB;
                a.words[i].xpos = "VBZ";
                a.words[i].head = a.words[v].head;
                a.words[i].deprel = a.words[v].deprel;
                a.words[v].head = i as u32 + 1;
                a.words[v].deprel = "ccomp";
                a.words[i - 1].deprel = "nsubj";
                let last = a.words.len() - 1;
                if head(a, last) == Some(v) && a.words[last].deprel == "punct" {
                    a.words[last].head = i as u32 + 1;
                }
            }
            continue;
        }
        a.words[i].upos = Upos::VERB;
        a.words[i].xpos = "VBZ";
        a.words[i - 1].deprel = "nsubj";
        let to_infinitive = |a: &Analysis, c: usize| {
            ix.dependents(c)
                .iter()
                .any(|&m| a.words[m].deprel == "mark" && folded(a, m) == "to")
        };
        let dependents: Vec<usize> = ix.dependents(i).to_vec();
        for c in dependents {
            if head(a, c) != Some(i) {
                continue;
            }
            match a.words[c].deprel {
                "nmod" => a.words[c].deprel = "obl",
                "acl" if c > i && to_infinitive(a, c) => a.words[c].deprel = "xcomp",
                _ => {}
            }
        }
    }
}

/// "City police say they are ...", read with "say" as a noun that the
/// words before it modify: a noun that is a cue of `said` and takes a
/// complement clause with a subject of its own is the verb, the noun
/// just before it its subject, and that noun takes the words before it.
fn said_cue_read_as_a_noun(a: &mut Analysis<'static>, lex: &Lexicon) {
    let mut index = None;
    for i in 1..a.words.len() {
        let s = i - 1;
        if a.words[i].upos != Upos::NOUN
            || !matches!(a.words[i].deprel, "root" | "ccomp" | "parataxis" | "conj")
            || head(a, s) != Some(i)
            || !matches!(a.words[s].upos, Upos::NOUN | Upos::PROPN)
            || !matches!(a.words[s].deprel, "compound" | "nmod" | "amod")
            || !is_said_cue(a, lex, i)
        {
            continue;
        }
        let ix = index.get_or_insert_with(|| Index::new(a));
        let clause = ix.dependents(i).iter().any(|&c| {
            c > i
                && a.words[c].deprel == "ccomp"
                && ix
                    .dependents(c)
                    .iter()
                    .any(|&d| d > i && a.words[d].deprel.starts_with("nsubj"))
        });
        if !clause {
            continue;
        }
        let before: Vec<usize> = ix
            .dependents(i)
            .iter()
            .copied()
            .filter(|&d| d < s)
            .collect();
        for d in before {
            a.words[d].head = s as u32 + 1;
        }
        a.words[i].upos = Upos::VERB;
        a.words[i].xpos = if folded(a, i).ends_with('s') {
            "VBZ"
        } else {
            "VBP"
        };
        a.words[s].deprel = "nsubj";
    }
}

/// The clause that word `i`, read as a noun, is a subject of, when
/// "that" right after `i` marks it and it has another subject.
fn clause_with_this_subject(a: &Analysis, i: usize) -> Option<usize> {
    let v = head(a, i).filter(|&v| v > i + 1)?;
    let marked = a.words.get(i + 1)?.deprel == "mark"
        && folded(a, i + 1) == "that"
        && head(a, i + 1) == Some(v);
    let own_subject = a
        .dependents(v)
        .any(|d| d != i && a.words[d].deprel.starts_with("nsubj"));
    (a.words[i].deprel == "nsubj" && marked && own_subject).then_some(v)
}

/// "The League and the RSPCA say they ...", read with the first subject
/// as the root and the verb as its conjunct: a cue verb conjoined to a
/// nominal root before it, with a subject of its own between them joined
/// by "and" or "or", is the root, the nominal its subject and the
/// verb's own subject a conjunct of it.
fn subject_read_as_root(a: &mut Analysis<'static>, lex: &Lexicon) {
    for v in 0..a.words.len() {
        if a.words[v].upos != Upos::VERB
            || a.words[v].deprel != "conj"
            || !lex.first_words.contains(&folded(a, v))
        {
            continue;
        }
        let Some(h) = head(a, v).filter(|&h| h < v) else {
            continue;
        };
        let nominal = matches!(a.words[h].upos, Upos::NOUN | Upos::PROPN);
        if !(nominal && a.words[h].deprel == "root") {
            continue;
        }
        let Some(s) = a
            .dependents(v)
            .find(|&s| a.words[s].deprel == "nsubj" && h < s && s < v)
        else {
            continue;
        };
        let Some(cc) = a.dependents(v).find(|&c| {
            a.words[c].deprel == "cc"
                && h < c
                && c < s
                && matches!(folded(a, c).as_str(), "and" | "or")
        }) else {
            continue;
        };
        // The root's punctuation after the verb (the full stop) and its
        // dependents after the verb belong to the verb.
        for j in v + 1..a.words.len() {
            if head(a, j) == Some(h) {
                a.words[j].head = v as u32 + 1;
            }
        }
        a.words[v].head = 0;
        a.words[v].deprel = "root";
        a.words[h].head = v as u32 + 1;
        a.words[h].deprel = "nsubj";
        a.words[s].head = h as u32 + 1;
        a.words[s].deprel = "conj";
        a.words[cc].head = s as u32 + 1;
    }
}

/// "Canada, a gold producer, also expressed reservations.", read as a
/// noun phrase: a cue verb in the past tense taken for a participle
/// modifying a noun, in a sentence with no other verb. Two shapes:
/// the verb as the adjective of a root noun after it ("expressed
/// reservations" with the subject hung from the noun or the verb), and
/// the verb as a clause on the root name or on its apposition ("Chile, a
/// copper exporter [that was] expressed ..."), with no agent. The verb
/// becomes the root: in the first shape the noun is its object and the
/// first nominal before it its subject, in the second the root name is
/// its subject.
fn verb_read_as_modifier(a: &mut Analysis<'static>, lex: &Lexicon) {
    let n = a.words.len();
    let nominal =
        |a: &Analysis, j: usize| matches!(a.words[j].upos, Upos::PROPN | Upos::NOUN | Upos::PRON);
    for v in 0..n {
        let w = &a.words[v];
        if w.upos != Upos::VERB
            || !matches!(w.deprel, "amod" | "acl")
            || !matches!(w.xpos, "VBD" | "VBN")
            || !lex.first_words.contains(&folded(a, v))
        {
            continue;
        }
        let other_verb =
            (0..n).any(|j| j != v && matches!(a.words[j].upos, Upos::VERB | Upos::AUX));
        let Some(h) = head(a, v).filter(|_| !other_verb) else {
            continue;
        };
        let is_root = |j: usize| a.words[j].deprel == "root" && nominal(a, j);
        let (subject, object) = if a.words[v].deprel == "amod" {
            if h < v || !(is_root(h) && a.words[h].upos == Upos::NOUN) {
                continue;
            }
            let Some(s) = (0..v)
                .find(|&j| matches!(head(a, j), Some(x) if x == h || x == v) && nominal(a, j))
            else {
                continue;
            };
            (s, Some(h))
        } else {
            let root = if is_root(h) {
                Some(h)
            } else {
                head(a, h).filter(|&r| a.words[h].deprel == "appos" && is_root(r))
            };
            let agent = a.dependents(v).any(|c| a.words[c].deprel == "obl:agent");
            match root {
                Some(r) if r < v && !agent => (r, None),
                _ => continue,
            }
        };
        // The sentence's head: the root noun, or the root name.
        let top = object.unwrap_or(subject);
        for j in 0..n {
            let before = j < v && object.is_some();
            let after = j > v && a.words[j].upos == Upos::PUNCT;
            if head(a, j) == Some(top) && j != v && j != subject && (before || after) {
                a.words[j].head = v as u32 + 1;
            }
        }
        a.words[v].head = 0;
        a.words[v].deprel = "root";
        a.words[subject].head = v as u32 + 1;
        a.words[subject].deprel = "nsubj";
        if let Some(o) = object {
            a.words[o].head = v as u32 + 1;
            a.words[o].deprel = "obj";
        }
    }
}

/// "warned the BBC to steer away", "urged the government to act", read
/// with the infinitive modifying the object ("a plan to cut"): after a
/// cue that addresses someone and asks something of them, an infinitive
/// right after the object is the verb's complement, what the addressee
/// is asked to do.
fn infinitive_read_as_modifier_of_addressee(a: &mut Analysis<'static>, lex: &Lexicon) {
    for v in 0..a.words.len() {
        let addressing = a.words[v].upos == Upos::VERB
            && lex
                .cues
                .get(&folded(a, v))
                .is_some_and(|c| matches!(c.frame, Frame::Addressee | Frame::Directive));
        if !addressing {
            continue;
        }
        let Some(o) = a
            .dependents(v)
            .find(|&o| a.words[o].deprel == "obj" && o > v)
        else {
            continue;
        };
        let infinitive = a.dependents(o).find(|&x| {
            x > o
                && a.words[x].deprel == "acl"
                && a.words[x].upos == Upos::VERB
                && a.dependents(x)
                    .any(|m| a.words[m].deprel == "mark" && folded(a, m) == "to")
        });
        if let Some(x) = infinitive {
            a.words[x].head = v as u32 + 1;
            a.words[x].deprel = "xcomp";
        }
    }
}

/// "The ministry, via its spokesman, said ...", read with the noun of
/// the phrase between commas as the verb's subject and the real subject
/// as a subject of that noun: a nominal that takes a preposition is no
/// subject. When a verb's subject has a preposition and a subject of its
/// own before it, that one is the verb's subject and the prepositional
/// phrase an oblique of the verb. So is a name hung from it that ends
/// right before the verb ("In a memo, aide Ann Lee said", with "Ann" a
/// modifier of "memo").
fn subject_read_inside_a_prepositional_phrase(a: &mut Analysis<'static>) {
    let mut index = None;
    for s in 1..a.words.len() {
        if a.words[s].deprel != "nsubj" || !matches!(a.words[s].upos, Upos::NOUN | Upos::PROPN) {
            continue;
        }
        let Some(v) = head(a, s).filter(|&v| v > s) else {
            continue;
        };
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let preposition = ix
            .dependents(s)
            .iter()
            .any(|&c| a.words[c].deprel == "case" && a.words[c].upos == Upos::ADP);
        if !preposition {
            continue;
        }
        let inner = ix
            .dependents(s)
            .iter()
            .copied()
            .find(|&c| c < s && a.words[c].deprel == "nsubj");
        let named = || {
            let last = (s + 1..v).rev().find(|&j| a.words[j].upos != Upos::PUNCT)?;
            let c = if a.words[last].deprel == "flat" {
                head(a, last)?
            } else {
                last
            };
            (head(a, c) == Some(s) && a.words[c].upos == Upos::PROPN).then_some(c)
        };
        if let Some(n) = inner.or_else(named) {
            a.words[n].head = v as u32 + 1;
            a.words[n].deprel = "nsubj";
            a.words[s].deprel = "obl";
        }
    }
}

/// '"...," the coach said.', read with the reporting verb as a relative
/// clause of the quoted verb: a relative clause modifies a nominal, never
/// a verb. A statement cue with a subject of its own, after a closing
/// quote, hung as a clause modifier from a verb inside the quote, is the
/// reporting clause (`parataxis`, as UD English has it).
fn reporting_clause_read_as_a_relative_clause(a: &mut Analysis<'static>, lex: &Lexicon) {
    let mut index = None;
    for v in 1..a.words.len() {
        if a.words[v].upos != Upos::VERB || !matches!(a.words[v].deprel, "acl" | "acl:relcl") {
            continue;
        }
        let Some(h) = head(a, v).filter(|&h| h < v) else {
            continue;
        };
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let Some(quote) = ix.quote_before(v).filter(|&q| q > h) else {
            continue;
        };
        let subject_after_quote = ix
            .dependents(v)
            .iter()
            .any(|&c| c > quote && a.words[c].deprel.starts_with("nsubj"));
        if subject_after_quote
            && matches!(a.words[h].upos, Upos::VERB | Upos::AUX)
            && is_said_cue(a, lex, v)
        {
            a.words[v].deprel = "parataxis";
        }
    }
}

/// "Acme, the biggest toy maker, said ..." with its commas lost
/// ("Acme <ACM> the biggest toy maker said" once the ticker is left
/// out), read with the name as a compound of the noun after it: no
/// compound stands before its head's determiner. The name takes the
/// noun's place, and the noun phrase is its apposition.
fn name_read_as_a_compound_before_a_determiner(a: &mut Analysis<'static>) {
    let mut index = None;
    for w in 0..a.words.len() {
        if a.words[w].upos != Upos::PROPN || a.words[w].deprel != "compound" {
            continue;
        }
        let Some(h) = head(a, w).filter(|&h| h > w + 1) else {
            continue;
        };
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let det_between = ix
            .dependents(h)
            .iter()
            .any(|&d| d > w && d < h && a.words[d].deprel == "det");
        // A name of several words is headed by its last ("Acme Corp").
        let name_goes_on = a.words.get(w + 1).is_some_and(|n| {
            n.upos == Upos::PROPN && n.deprel == "compound" && head(a, w + 1) == Some(h)
        });
        if !det_between || name_goes_on {
            continue;
        }
        // The name's own words before it go with it.
        let mut j = w;
        while j > 0 && head(a, j - 1) == Some(h) {
            j -= 1;
            a.words[j].head = w as u32 + 1;
        }
        a.words[w].head = a.words[h].head;
        a.words[w].deprel = a.words[h].deprel;
        a.words[h].head = w as u32 + 1;
        a.words[h].deprel = "appos";
    }
}

/// '"It is late," said Ann Lee ...', read with a
/// word of the quote as a second subject of the reporting verb: a
/// statement cue with a subject after it has no other subject inside the
/// quote before it. That word is left without a relation it can be read
/// by (`dep`).
fn subject_inside_the_quote(a: &mut Analysis<'static>, lex: &Lexicon) {
    let mut index = None;
    for v in 1..a.words.len() {
        if a.words[v].upos != Upos::VERB {
            continue;
        }
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let subject = |c: &usize| a.words[*c].deprel.starts_with("nsubj");
        let deps = ix.dependents(v);
        if !deps.iter().any(|c| *c > v && subject(c)) || !is_said_cue(a, lex, v) {
            continue;
        }
        let quote = ix.quote_before(v);
        let inside: Vec<usize> = deps
            .iter()
            .copied()
            .filter(|&n| n < v && subject(&n) && quote.is_some_and(|q| q > n))
            .collect();
        for n in inside {
            a.words[n].deprel = "dep";
        }
    }
}

/// '"It will come, sooner or later," said Ann Lee.', read with words at
/// the end of the quote ("sooner or later", the comma, the closing mark)
/// hung from the reporting verb after it: the reporting clause takes
/// nothing from inside the quote it reports. A statement cue hung from
/// a word of the quote before it gives that word every dependent (but a
/// subject) that lies inside the quote, closing mark included.
fn quote_words_hung_from_the_reporting_verb(a: &mut Analysis<'static>, lex: &Lexicon) {
    let mut index = None;
    for v in 1..a.words.len() {
        if a.words[v].upos != Upos::VERB {
            continue;
        }
        let Some(h) = head(a, v).filter(|&h| h < v) else {
            continue;
        };
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        // The closing mark, with nothing but punctuation and the
        // reporting clause's own words between it and the verb.
        let Some(close) = ix.quote_before(v).filter(|&q| q > h) else {
            continue;
        };
        let Some(open) = ix.quote_before(close).filter(|&o| o < h) else {
            continue;
        };
        let inside: Vec<usize> = ix
            .dependents(v)
            .iter()
            .copied()
            .filter(|&c| c > open && c <= close && !a.words[c].deprel.starts_with("nsubj"))
            .collect();
        if inside.is_empty() || !is_said_cue(a, lex, v) {
            continue;
        }
        for c in inside {
            a.words[c].head = h as u32 + 1;
        }
    }
}

/// "Ann Lee, the trade minister, a member of the board, said ...", read
/// with the name as the root and the last noun phrase between commas as
/// the subject of the verb: a noun phrase with a determiner set off by
/// commas after the root's own phrase is an apposition of it, and the
/// root the verb's subject. The verb, hung from the root, takes its
/// place, with the root's dependents after the verb.
fn apposition_read_as_the_subject(a: &mut Analysis<'static>, lex: &Lexicon) {
    let n = a.words.len();
    let mut index = None;
    for s in 2..n {
        if a.words[s].upos != Upos::NOUN || a.words[s].deprel != "nsubj" {
            continue;
        }
        let Some(v) = head(a, s).filter(|&v| v > s) else {
            continue;
        };
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let deps = ix.dependents(s);
        // The phrase: its determiner and modifiers before the noun, its
        // own words after it up to the comma before the verb.
        // (The comma itself may hang from the noun.)
        let mut first = s;
        while let Some(&d) = ix
            .dependents(first)
            .iter()
            .find(|&&d| d < first && a.words[d].upos != Upos::PUNCT)
        {
            first = d;
        }
        let has_det = deps.iter().any(|&d| d < s && a.words[d].deprel == "det");
        let comma_before = first > 1 && a.words[first - 1].form == ",";
        let comma_after = a.words[v - 1].form == ",";
        if !(has_det && comma_before && comma_after && is_said_cue(a, lex, v)) {
            continue;
        }
        // The phrase before the comma, up to its top word before it.
        let mut t = first - 2;
        let mut steps = 0;
        while let Some(h) = head(a, t).filter(|&h| h < first - 1 && steps < HOPS) {
            t = h;
            steps += 1;
        }
        let root = a.words[t].head == 0 && a.words[t].deprel == "root";
        let nominal = matches!(a.words[t].upos, Upos::NOUN | Upos::PROPN);
        let preposition = ix
            .dependents(t)
            .iter()
            .any(|&c| a.words[c].deprel == "case");
        let under_root = {
            let mut at = v;
            let mut hops = 0;
            while at != t && hops < HOPS {
                match head(a, at) {
                    Some(h) => at = h,
                    None => break,
                }
                hops += 1;
            }
            at == t
        };
        if !(root && nominal && !preposition && under_root) {
            continue;
        }
        for j in v + 1..n {
            if head(a, j) == Some(t) {
                a.words[j].head = v as u32 + 1;
            }
        }
        a.words[v].head = 0;
        a.words[v].deprel = "root";
        a.words[t].head = v as u32 + 1;
        a.words[t].deprel = "nsubj";
        a.words[s].head = t as u32 + 1;
        a.words[s].deprel = "appos";
        // One root per sentence: done.
        return;
    }
}

/// "in touch with groups in Rome and also with the navy", read with "the
/// navy" as a conjunct of "Rome": a conjunct that repeats a preposition
/// is coordinated with the phrase of that preposition, not with a phrase
/// of another one inside it. A nominal conjunct whose preposition differs
/// from its head's goes to the nearest nominal above that takes the same
/// preposition.
fn conjunct_under_another_preposition(a: &mut Analysis<'static>) {
    let mut index = None;
    for b in 1..a.words.len() {
        if a.words[b].deprel != "conj" || !matches!(a.words[b].upos, Upos::NOUN | Upos::PROPN) {
            continue;
        }
        let Some(h) = head(a, b).filter(|&h| h < b) else {
            continue;
        };
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let preposition = |w: usize| {
            ix.dependents(w)
                .iter()
                .copied()
                .find(|&c| c < w && a.words[c].deprel == "case" && a.words[c].upos == Upos::ADP)
                .map(|c| folded(a, c))
        };
        let Some(own) = preposition(b) else {
            continue;
        };
        if preposition(h).is_none_or(|p| p == own) {
            continue;
        }
        let mut at = h;
        let mut target = None;
        for _ in 0..HOPS {
            let Some(up) = head(a, at) else {
                break;
            };
            if !matches!(a.words[up].upos, Upos::NOUN | Upos::PROPN | Upos::PRON) {
                break;
            }
            if preposition(up).as_deref() == Some(own.as_str()) {
                target = Some(up);
                break;
            }
            at = up;
        }
        if let Some(t) = target {
            a.words[b].head = t as u32 + 1;
        }
    }
}

/// "Mr Lane and Mr Kemp have said ...", read with the second surname as
/// a second subject of the verb and its honorific as the conjunct: an
/// honorific with no dependents after it, right before a name that is
/// not among them, begins that name. The name becomes a word of the
/// honorific's phrase (`flat`), which keeps its place in the tree.
fn name_split_at_its_honorific(a: &mut Analysis<'static>, lex: &Lexicon) {
    let n = a.words.len();
    let mut index = None;
    for t in 0..n.saturating_sub(1) {
        let name = t + 1;
        if a.words[t].upos != Upos::PROPN
            || a.words[name].upos != Upos::PROPN
            || head(a, name) == Some(t)
            || head(a, t) == Some(name)
            || lex.titles.get(&folded(a, t)).copied() != Some(true)
        {
            continue;
        }
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        if ix.dependents(t).iter().any(|&d| d > t) {
            continue;
        }
        // The name above the honorific would make a cycle.
        let mut at = t;
        let mut above = false;
        for _ in 0..HOPS {
            match head(a, at) {
                Some(h) if h == name => {
                    above = true;
                    break;
                }
                Some(h) => at = h,
                None => break,
            }
        }
        if above {
            continue;
        }
        a.words[name].head = t as u32 + 1;
        a.words[name].deprel = "flat";
    }
}

/// "Norwegian snack maker Halden Foods has ...", read with the name as a
/// modifier of the noun that describes it: a name right after a noun,
/// hung from it as `nmod` with no preposition and nothing between them
/// but the name's own words, is the head, and the noun its description
/// (`nmod:desc`, as the treebank has "maker Halden Foods").
fn name_read_as_a_modifier_of_its_description(a: &mut Analysis<'static>) {
    let mut index = None;
    for w in 1..a.words.len() {
        if a.words[w].upos != Upos::PROPN || a.words[w].deprel != "nmod" {
            continue;
        }
        let Some(h) = head(a, w).filter(|&h| h < w && a.words[h].upos == Upos::NOUN) else {
            continue;
        };
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let deps = ix.dependents(w);
        let own = (h + 1..w)
            .all(|j| deps.contains(&j) && matches!(a.words[j].deprel, "compound" | "flat"));
        if !own || deps.iter().any(|&c| a.words[c].deprel == "case") {
            continue;
        }
        a.words[w].head = a.words[h].head;
        a.words[w].deprel = a.words[h].deprel;
        a.words[h].head = w as u32 + 1;
        a.words[h].deprel = "nmod:desc";
    }
}

/// "said UK Secretary of State Ann Lee", read with the name as the
/// object of "of" and the title's last word as the name's compound: a
/// name hung from a title by "of", with a compound between "of" and the
/// name, is the title's holder (its apposition, as with a comma), and
/// the compound is the object of "of".
fn title_holder_read_as_the_object_of_of(a: &mut Analysis<'static>, lex: &Lexicon) {
    let mut index = None;
    for w in 3..a.words.len() {
        if a.words[w].upos != Upos::PROPN || a.words[w].deprel != "nmod" {
            continue;
        }
        let Some(t) = head(a, w).filter(|&t| t < w) else {
            continue;
        };
        if !lex.titles.contains_key(&folded(a, t)) {
            continue;
        }
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let deps = ix.dependents(w);
        let Some(o) = deps
            .iter()
            .copied()
            .find(|&o| o > t && a.words[o].deprel == "case" && folded(a, o) == "of")
        else {
            continue;
        };
        let Some(c) = deps.iter().copied().rfind(|&c| {
            c > o
                && matches!(a.words[c].upos, Upos::PROPN | Upos::NOUN)
                && a.words[c].deprel == "compound"
        }) else {
            continue;
        };
        let before: Vec<usize> = deps.iter().copied().filter(|&d| d < c).collect();
        for d in before {
            a.words[d].head = c as u32 + 1;
        }
        a.words[c].head = t as u32 + 1;
        a.words[c].deprel = "nmod";
        a.words[w].deprel = "appos";
    }
}

/// "the Minister of Defense, Ann Lee, said ...", read with the name as an
/// apposition of "Defense": a name set off by a comma after a title and
/// its "of" phrase names the holder of the title. A proper-noun
/// apposition hung from the noun of an "of" phrase that modifies a title
/// ("minister", "head", "chairman") goes to the title.
fn title_holder_hung_inside_the_title(a: &mut Analysis<'static>, lex: &Lexicon) {
    let mut index = None;
    for w in 2..a.words.len() {
        if a.words[w].upos != Upos::PROPN
            || a.words[w].deprel != "appos"
            || a.words[w - 1].form != ","
        {
            continue;
        }
        let Some(h) = head(a, w).filter(|&h| h < w) else {
            continue;
        };
        let Some(t) = head(a, h).filter(|&t| t < h) else {
            continue;
        };
        if a.words[h].deprel != "nmod" || !lex.titles.contains_key(&folded(a, t)) {
            continue;
        }
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let of = ix
            .dependents(h)
            .iter()
            .any(|&c| c < h && a.words[c].deprel == "case" && folded(a, c) == "of");
        if of {
            a.words[w].head = t as u32 + 1;
        }
    }
}

/// "The oil companies, Acme Corp, Bolt and Cord, had said ...", read with
/// the names as a nominal modifier of the noun before them: a nominal
/// modifier takes a preposition or a possessive. A name set off by a
/// comma after its noun, hung from it as `nmod` with no case marker, is
/// its apposition.
fn apposition_read_as_a_modifier(a: &mut Analysis<'static>) {
    let mut index = None;
    for w in 1..a.words.len() {
        if a.words[w].upos != Upos::PROPN || a.words[w].deprel != "nmod" {
            continue;
        }
        let Some(h) = head(a, w).filter(|&h| h < w) else {
            continue;
        };
        if !matches!(a.words[h].upos, Upos::NOUN | Upos::PROPN) {
            continue;
        }
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        let deps = ix.dependents(w);
        let marked = deps.iter().any(|&c| a.words[c].deprel == "case");
        // The comma right before the name's first word.
        let first = deps
            .iter()
            .copied()
            .find(|&c| c < w && a.words[c].upos != Upos::PUNCT)
            .unwrap_or(w);
        let comma = first > h + 1 && a.words[first - 1].form == ",";
        if !marked && comma {
            a.words[w].deprel = "appos";
        }
    }
}

/// "Speaking before supporters on Monday, Ann Lee said ...", read with
/// the participle as the root and "before supporters said" as a clause
/// under it: a finite cue verb hung as an adverbial clause from a
/// participle that opens the sentence, with the comma closing the
/// participle's phrase between them, is the main verb. A subordinator
/// of the verb's and a subject of the verb's before that comma are the
/// participle's preposition and its object.
fn opening_participle_read_as_the_root(a: &mut Analysis<'static>, lex: &Lexicon) {
    let Some(r) = a.words.iter().position(|w| w.upos != Upos::PUNCT) else {
        return;
    };
    if a.words[r].deprel != "root" || a.words[r].xpos != "VBG" {
        return;
    }
    let n = a.words.len();
    let Some(v) = (r + 1..n).find(|&v| {
        head(a, v) == Some(r)
            && a.words[v].deprel == "advcl"
            && matches!(a.words[v].xpos, "VBD" | "VBZ" | "VBP")
            && is_said_cue(a, lex, v)
    }) else {
        return;
    };
    let Some(comma) = (r + 1..v)
        .rev()
        .find(|&c| a.words[c].form == "," && head(a, c) == Some(r))
    else {
        return;
    };
    let deps: Vec<usize> = a.dependents(v).collect();
    let mark = deps
        .iter()
        .copied()
        .find(|&m| m < comma && a.words[m].deprel == "mark");
    let early_subject = deps
        .iter()
        .copied()
        .find(|&s| s < comma && a.words[s].deprel.starts_with("nsubj"));
    if let (Some(m), Some(s)) = (mark, early_subject) {
        a.words[m].head = s as u32 + 1;
        a.words[m].deprel = "case";
        a.words[m].upos = Upos::ADP;
        a.words[s].head = r as u32 + 1;
        a.words[s].deprel = "obl";
    } else if mark.is_some() || early_subject.is_some() {
        return;
    }
    // The participle's own words before the comma stay with it; the
    // punctuation after the verb goes with the verb.
    for j in deps.iter().copied().filter(|&j| j < comma) {
        if a.words[j].head == v as u32 + 1 {
            a.words[j].head = r as u32 + 1;
        }
    }
    for j in v + 1..n {
        if head(a, j) == Some(r) && a.words[j].upos == Upos::PUNCT {
            a.words[j].head = v as u32 + 1;
        }
    }
    a.words[v].head = 0;
    a.words[v].deprel = "root";
    a.words[r].head = v as u32 + 1;
    a.words[r].deprel = "advcl";
}

/// "Ann Lee, the former governor, who has backed Bo's bid, called it
/// ...", read with the name as the root and the verb as a modifier of a
/// noun in the relative clause: a past or present verb hung as `acl`
/// right after a comma, in a sentence whose root is a name, is the main
/// verb, and the name its subject.
fn main_verb_read_after_a_relative_clause(a: &mut Analysis<'static>) {
    let Some(r) = a.words.iter().position(|w| w.deprel == "root") else {
        return;
    };
    if a.words[r].upos != Upos::PROPN {
        return;
    }
    let Some(v) = (r + 2..a.words.len()).find(|&v| {
        a.words[v].deprel == "acl"
            && a.words[v].upos == Upos::VERB
            && matches!(a.words[v].xpos, "VBD" | "VBZ")
            && a.words[v - 1].form == ","
    }) else {
        return;
    };
    let n = a.words.len();
    for j in v + 1..n {
        if head(a, j) == Some(r) {
            a.words[j].head = v as u32 + 1;
        }
    }
    a.words[v].head = 0;
    a.words[v].deprel = "root";
    a.words[r].head = v as u32 + 1;
    a.words[r].deprel = "nsubj";
}

/// "adding to her wins", read with "her" as the object and "wins" as a
/// verb of its own: "her" followed by a verb in the third person with
/// no subject, both hung from the same word, is the possessive of a
/// plural noun.
fn possessive_her_read_as_an_object(a: &mut Analysis<'static>) {
    let mut index = None;
    for w in 0..a.words.len().saturating_sub(1) {
        let x = w + 1;
        if folded(a, w) != "her"
            || !matches!(a.words[w].deprel, "obl" | "obj" | "iobj")
            || a.words[x].xpos != "VBZ"
            || head(a, x).is_none()
            || head(a, x) != head(a, w)
        {
            continue;
        }
        let ix: &Index = index.get_or_insert_with(|| Index::new(a));
        if ix
            .dependents(x)
            .iter()
            .any(|&d| a.words[d].deprel.starts_with("nsubj"))
        {
            continue;
        }
        let cases: Vec<usize> = ix
            .dependents(w)
            .iter()
            .copied()
            .filter(|&c| a.words[c].deprel == "case")
            .collect();
        for c in cases {
            a.words[c].head = x as u32 + 1;
        }
        a.words[x].upos = Upos::NOUN;
        a.words[x].xpos = "NNS";
        a.words[x].deprel = a.words[w].deprel;
        a.words[w].head = x as u32 + 1;
        a.words[w].deprel = "nmod:poss";
        a.words[w].xpos = "PRP$";
    }
}

/// "Acme Corp, Bolt Foods and the Cord Trust have said ...", read with
/// the second name as an apposition of the first: a name set off by a
/// comma after another name that has a conjunct joined by "and" or "or"
/// after it is one more conjunct of the list.
fn conjunct_read_as_an_apposition(a: &mut Analysis<'static>) {
    // For each name, the last of its conjuncts joined by "and" or "or",
    // found once: a list of thousands of names stays linear.
    let mut last_joined: Option<Vec<Option<usize>>> = None;
    for w in 1..a.words.len() {
        if a.words[w].upos != Upos::PROPN || a.words[w].deprel != "appos" {
            continue;
        }
        let Some(h) = head(a, w).filter(|&h| h < w && a.words[h].upos == Upos::PROPN) else {
            continue;
        };
        let last = last_joined.get_or_insert_with(|| {
            let ix = Index::new(a);
            let mut last = vec![None; a.words.len()];
            for c in 0..a.words.len() {
                let joined = a.words[c].deprel == "conj"
                    && ix.dependents(c).iter().any(|&d| {
                        a.words[d].deprel == "cc" && matches!(folded(a, d).as_str(), "and" | "or")
                    });
                if let (true, Some(g)) = (joined, head(a, c)) {
                    last[g] = last[g].max(Some(c));
                }
            }
            last
        });
        if last.get(h).copied().flatten().is_some_and(|c| c > w) {
            a.words[w].deprel = "conj";
        }
    }
}

/// "Press secretary Sarah Sanders issued a statement ...", read with
/// the verb as one more word of the name: a finite verb hung from a
/// name that is the sentence's root, as part of it (`flat`, `compound`),
/// is the main verb, and the name its subject.
fn verb_read_as_part_of_a_name(a: &mut Analysis<'static>) {
    for v in 1..a.words.len() {
        let w = &a.words[v];
        if w.upos != Upos::VERB
            || !matches!(w.xpos, "VBD" | "VBZ" | "VBP")
            || !matches!(w.deprel, "flat" | "compound")
        {
            continue;
        }
        let Some(h) = head(a, v).filter(|&h| h < v) else {
            continue;
        };
        if a.words[h].upos != Upos::PROPN || a.words[h].deprel != "root" {
            continue;
        }
        for j in v + 1..a.words.len() {
            if head(a, j) == Some(h) {
                a.words[j].head = v as u32 + 1;
            }
        }
        a.words[v].head = 0;
        a.words[v].deprel = "root";
        a.words[h].head = v as u32 + 1;
        a.words[h].deprel = "nsubj";
    }
}

/// "Police say they are ...", read with "say" as a subordinator ("say,
/// for instance") and the clause after it as a modifier of the noun: a
/// statement cue tagged as a subordinator right after a root nominal is
/// the main verb, the nominal its subject and the clause its complement.
fn cue_read_as_a_subordinator(a: &mut Analysis<'static>, lex: &Lexicon) {
    for v in 1..a.words.len() {
        // (The tags first: folding allocates, and few words are marks.)
        let mark =
            matches!(a.words[v].upos, Upos::SCONJ | Upos::ADP) && a.words[v].deprel == "mark";
        let said = || is_said_cue(a, lex, v);
        if !mark || !said() {
            continue;
        }
        let h = v - 1;
        let root_nominal =
            a.words[h].deprel == "root" && matches!(a.words[h].upos, Upos::NOUN | Upos::PROPN);
        let Some(clause) = head(a, v).filter(|&c| c > v && head(a, c) == Some(h)) else {
            continue;
        };
        if !root_nominal || !matches!(a.words[clause].upos, Upos::VERB | Upos::AUX | Upos::ADJ) {
            continue;
        }
        for j in v + 1..a.words.len() {
            if head(a, j) == Some(h) {
                a.words[j].head = v as u32 + 1;
            }
        }
        a.words[v].upos = Upos::VERB;
        a.words[v].xpos = if folded(a, v).ends_with('s') {
            "VBZ"
        } else {
            "VBP"
        };
        a.words[v].head = 0;
        a.words[v].deprel = "root";
        a.words[h].head = v as u32 + 1;
        a.words[h].deprel = "nsubj";
        a.words[clause].head = v as u32 + 1;
        a.words[clause].deprel = "ccomp";
    }
}

/// '"...," Civic Watch added.', read with the name as a noun hung
/// from the quote and the verb as its participle ("the sum added"): a
/// statement cue right after a nominal that itself follows the closing
/// quote, with no subject of its own, is the reporting verb and the
/// nominal its subject.
fn speaker_read_as_a_noun_after_a_quote(a: &mut Analysis<'static>, lex: &Lexicon) {
    for v in 1..a.words.len() {
        let w = &a.words[v];
        if w.upos != Upos::VERB
            || !matches!(w.deprel, "acl" | "amod")
            || !matches!(w.xpos, "VBD" | "VBN" | "VBZ" | "VBP")
        {
            continue;
        }
        let h = v - 1;
        if head(a, v) != Some(h) || !matches!(a.words[h].upos, Upos::NOUN | Upos::PROPN) {
            continue;
        }
        // The nominal's own words before it ("Civic", "the"), then the
        // closing quote with or without a comma.
        let mut first = h;
        while first > 0 && head(a, first - 1) == Some(h) && a.words[first - 1].upos != Upos::PUNCT {
            first -= 1;
        }
        let quote = |j: usize| matches!(a.words[j].form.as_str(), "\"" | "''" | "\u{201d}" | "'");
        let after_quote = first >= 1 && quote(first - 1)
            || first >= 2 && quote(first - 2) && a.words[first - 1].form == ",";
        let said = || is_said_cue(a, lex, v);
        let has_subject = a
            .dependents(v)
            .any(|c| a.words[c].deprel.starts_with("nsubj"));
        if !after_quote || has_subject || !said() {
            continue;
        }
        for j in v + 1..a.words.len() {
            if head(a, j) == Some(h) {
                a.words[j].head = v as u32 + 1;
            }
        }
        a.words[v].head = a.words[h].head;
        a.words[v].deprel = a.words[h].deprel;
        if a.words[v].xpos == "VBN" {
            a.words[v].xpos = "VBD";
        }
        a.words[h].head = v as u32 + 1;
        a.words[h].deprel = "nsubj";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_syntax::Word;

    /// A tree from (form, upos, xpos, head, deprel) rows, offsets made up.
    fn tree(rows: &[(&str, Upos, &'static str, u32, &'static str)]) -> Analysis<'static> {
        let mut at = 0;
        let words = rows
            .iter()
            .map(|&(form, upos, xpos, head, deprel)| {
                let w = Word {
                    form: form.to_owned(),
                    start: at,
                    end: at + form.len(),
                    upos,
                    xpos,
                    head,
                    deprel,
                };
                at += form.len() + 1;
                w
            })
            .collect();
        Analysis { words }
    }

    fn heads(a: &Analysis<'static>) -> Vec<(u32, &'static str)> {
        a.words.iter().map(|w| (w.head, w.deprel)).collect()
    }

    #[test]
    fn a_said_cue_read_as_a_noun_with_a_clause_is_the_verb() {
        use Upos::*;
        // The city police say they are busy .
        let rows = |second: &'static str| {
            tree(&[
                ("The", DET, "DT", 4, "det"),
                ("city", NOUN, "NN", 3, "compound"),
                ("police", NOUN, "NNS", 4, "compound"),
                ("say", NOUN, "NN", 0, "root"),
                ("they", PRON, "PRP", 7, second),
                ("are", AUX, "VBP", 7, "cop"),
                ("busy", ADJ, "JJ", 4, "ccomp"),
                (".", PUNCT, ".", 4, "punct"),
            ])
        };
        let mut a = rows("nsubj");
        repair(&mut a, crate::lexicon());
        assert_eq!((a.words[3].upos, a.words[3].xpos), (VERB, "VBP"));
        assert_eq!(
            heads(&a)[..4],
            [(3, "det"), (3, "compound"), (4, "nsubj"), (0, "root")]
        );
        // A clause without a subject of its own leaves the noun a noun.
        let mut b = rows("obj");
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }

    #[test]
    fn a_said_verb_under_an_opening_participle_is_the_main_verb() {
        use Upos::*;
        // Speaking before crowds , Ann said no .
        let mut a = tree(&[
            ("Speaking", VERB, "VBG", 0, "root"),
            ("before", SCONJ, "IN", 6, "mark"),
            ("crowds", NOUN, "NNS", 6, "nsubj"),
            (",", PUNCT, ",", 1, "punct"),
            ("Ann", PROPN, "NNP", 6, "nsubj"),
            ("said", VERB, "VBD", 1, "advcl"),
            ("no", INTJ, "UH", 6, "obj"),
            (".", PUNCT, ".", 1, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(
            heads(&a),
            vec![
                (6, "advcl"),
                (3, "case"),
                (1, "obl"),
                (1, "punct"),
                (6, "nsubj"),
                (0, "root"),
                (6, "obj"),
                (6, "punct"),
            ]
        );
        // A verb that is no cue of `said` stays where it is.
        let mut b = a.clone();
        b.words[5].form = "slept".into();
        b.words[0].head = 0;
        b.words[0].deprel = "root";
        b.words[5].head = 1;
        b.words[5].deprel = "advcl";
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }

    #[test]
    fn a_verb_after_a_relative_clause_and_a_comma_is_the_main_verb() {
        use Upos::*;
        // Ann , who backed Bo 's bid , called it weak .
        let mut a = tree(&[
            ("Ann", PROPN, "NNP", 0, "root"),
            (",", PUNCT, ",", 4, "punct"),
            ("who", PRON, "WP", 4, "nsubj"),
            ("backed", VERB, "VBD", 1, "acl:relcl"),
            ("Bo", PROPN, "NNP", 7, "nmod:poss"),
            ("'s", PART, "POS", 5, "case"),
            ("bid", NOUN, "NN", 4, "obj"),
            (",", PUNCT, ",", 9, "punct"),
            ("called", VERB, "VBD", 7, "acl"),
            ("it", PRON, "PRP", 9, "obj"),
            ("weak", ADJ, "JJ", 9, "xcomp"),
            (".", PUNCT, ".", 1, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        let h = heads(&a);
        assert_eq!(
            (h[0], h[8], h[11]),
            ((9, "nsubj"), (0, "root"), (9, "punct"))
        );
        assert_eq!(h[3], (1, "acl:relcl"));
    }

    #[test]
    fn her_before_a_verb_without_a_subject_is_a_possessive() {
        use Upos::*;
        // Ann is adding to her wins .
        let rows = |third: &'static str| {
            tree(&[
                ("Ann", PROPN, "NNP", 3, "nsubj"),
                ("is", AUX, "VBZ", 3, "aux"),
                ("adding", VERB, "VBG", 0, "root"),
                ("to", ADP, "IN", 5, "case"),
                ("her", PRON, "PRP", 3, "obl"),
                ("wins", VERB, third, 3, "ccomp"),
                (".", PUNCT, ".", 3, "punct"),
            ])
        };
        let mut a = rows("VBZ");
        repair(&mut a, crate::lexicon());
        assert_eq!((a.words[5].upos, a.words[5].xpos), (NOUN, "NNS"));
        assert_eq!(heads(&a)[3..6], [(6, "case"), (6, "nmod:poss"), (3, "obl")]);
        // A verb in the past is no plural noun.
        let mut b = rows("VBD");
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }

    #[test]
    fn a_name_read_as_an_apposition_inside_a_list_is_a_conjunct() {
        use Upos::*;
        // Acme , Bolt and Cord said no .
        let rows = |cc: &'static str| {
            tree(&[
                ("Acme", PROPN, "NNP", 6, "nsubj"),
                (",", PUNCT, ",", 3, "punct"),
                ("Bolt", PROPN, "NNP", 1, "appos"),
                (cc, CCONJ, "CC", 5, "cc"),
                ("Cord", PROPN, "NNP", 1, "conj"),
                ("said", VERB, "VBD", 0, "root"),
                ("no", INTJ, "UH", 6, "obj"),
            ])
        };
        let mut a = rows("and");
        repair(&mut a, crate::lexicon());
        assert_eq!(heads(&a)[2], (1, "conj"));
        let mut b = rows("but");
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b)[2], (1, "appos"));
    }

    #[test]
    fn a_name_hung_from_the_noun_that_describes_it_is_the_head() {
        use Upos::*;
        // toy maker Acme Corp has said no .
        let rows = |between: &'static str| {
            tree(&[
                ("toy", NOUN, "NN", 2, "compound"),
                ("maker", NOUN, "NN", 6, "nsubj"),
                (between, PROPN, "NNP", 4, "compound"),
                ("Corp", PROPN, "NNP", 2, "nmod"),
                ("has", AUX, "VBZ", 6, "aux"),
                ("said", VERB, "VBN", 0, "root"),
                ("no", INTJ, "UH", 6, "obj"),
            ])
        };
        let mut a = rows("Acme");
        repair(&mut a, crate::lexicon());
        assert_eq!(
            heads(&a)[..4],
            [
                (2, "compound"),
                (4, "nmod:desc"),
                (4, "compound"),
                (6, "nsubj")
            ]
        );
        // A comma between them makes an apposition, not this.
        let mut b = rows(",");
        b.words[2].upos = PUNCT;
        b.words[2].deprel = "punct";
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b.words[1], before.words[1]);
    }

    #[test]
    fn a_name_read_as_the_object_of_a_titles_of_is_its_holder() {
        use Upos::*;
        // said Secretary of State Ann Lee .
        let mut a = tree(&[
            ("said", VERB, "VBD", 0, "root"),
            ("Secretary", PROPN, "NNP", 1, "nsubj"),
            ("of", ADP, "IN", 5, "case"),
            ("State", PROPN, "NNP", 5, "compound"),
            ("Ann", PROPN, "NNP", 2, "nmod"),
            ("Lee", PROPN, "NNP", 5, "flat"),
            (".", PUNCT, ".", 1, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(
            heads(&a)[1..6],
            [
                (1, "nsubj"),
                (4, "case"),
                (2, "nmod"),
                (2, "appos"),
                (5, "flat")
            ]
        );
    }

    #[test]
    fn having_before_a_past_verb_is_its_perfect_auxiliary() {
        use Upos::*;
        // Bolt was reported as having asked Spain .
        let rows = |having: (Upos, &'static str, u32, &'static str), verb: &'static str| {
            tree(&[
                ("Bolt", PROPN, "NNP", 3, "nsubj:pass"),
                ("was", AUX, "VBD", 3, "aux:pass"),
                ("reported", VERB, "VBN", 0, "root"),
                ("as", SCONJ, "IN", 6, "mark"),
                ("having", having.0, having.1, having.2, having.3),
                ("asked", VERB, verb, 3, "advcl"),
                ("Spain", PROPN, "NNP", 6, "iobj"),
                (".", PUNCT, ".", 3, "punct"),
            ])
        };
        for mut a in [
            rows((AUX, "VBG", 6, "aux:pass"), "VBN"),
            rows((AUX, "VBG", 6, "nsubj"), "VBD"),
        ] {
            repair(&mut a, crate::lexicon());
            let w = &a.words[4];
            assert_eq!((w.upos, w.head, w.deprel), (AUX, 6, "aux"));
            assert_eq!(a.words[5].xpos, "VBN");
        }
        // "having" as a verb of its own stays one.
        let mut b = rows((VERB, "VBG", 3, "advcl"), "VBN");
        b.words[5].head = 5;
        b.words[5].deprel = "obj";
        repair(&mut b, crate::lexicon());
        assert_eq!(b.words[4].deprel, "advcl");
    }

    #[test]
    fn a_subject_with_a_preposition_gives_way_to_the_subject_before_it() {
        use Upos::*;
        // The ministry , via its spokesman , said no .
        let mut a = tree(&[
            ("The", DET, "DT", 2, "det"),
            ("ministry", NOUN, "NN", 6, "nsubj"),
            (",", PUNCT, ",", 6, "punct"),
            ("via", ADP, "IN", 6, "case"),
            ("its", PRON, "PRP$", 6, "nmod:poss"),
            ("spokesman", NOUN, "NN", 8, "nsubj"),
            (",", PUNCT, ",", 8, "punct"),
            ("said", VERB, "VBD", 0, "root"),
            ("no", INTJ, "UH", 8, "obj"),
            (".", PUNCT, ".", 8, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!((a.words[1].head, a.words[1].deprel), (8, "nsubj"));
        assert_eq!((a.words[5].head, a.words[5].deprel), (8, "obl"));
        // A subject without a preposition keeps its own subject-like
        // dependents as they are: nothing here is a prepositional phrase.
        let mut b = tree(&[
            ("Officials", NOUN, "NNS", 3, "nsubj"),
            ("members", NOUN, "NNS", 3, "nsubj"),
            ("said", VERB, "VBD", 0, "root"),
        ]);
        b.words[0].head = 2;
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn a_name_ending_before_the_verb_is_the_subject_not_the_phrase_it_hangs_from() {
        use Upos::*;
        // In a memo , aide Ann Lee said no .
        let mut a = tree(&[
            ("In", ADP, "IN", 3, "case"),
            ("a", DET, "DT", 3, "det"),
            ("memo", NOUN, "NN", 9, "nsubj"),
            (",", PUNCT, ",", 5, "punct"),
            ("aide", NOUN, "NN", 6, "compound"),
            ("Ann", PROPN, "NNP", 3, "nmod"),
            ("Lee", PROPN, "NNP", 6, "flat"),
            (",", PUNCT, ",", 9, "punct"),
            ("said", VERB, "VBD", 0, "root"),
            ("no", INTJ, "UH", 9, "obj"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!((a.words[5].head, a.words[5].deprel), (9, "nsubj"));
        assert_eq!((a.words[2].head, a.words[2].deprel), (9, "obl"));
    }

    #[test]
    fn a_word_of_the_quote_is_no_second_subject_of_the_reporting_verb() {
        use Upos::*;
        // " It is late , " said Ann .
        let mut a = tree(&[
            ("\"", PUNCT, "``", 7, "punct"),
            ("It", PRON, "PRP", 7, "nsubj"),
            ("is", AUX, "VBZ", 7, "cop"),
            ("late", ADJ, "JJ", 7, "advmod"),
            (",", PUNCT, ",", 7, "punct"),
            ("\"", PUNCT, "''", 7, "punct"),
            ("said", VERB, "VBD", 0, "root"),
            ("Ann", PROPN, "NNP", 7, "nsubj"),
            (".", PUNCT, ".", 7, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(a.words[1].deprel, "dep");
        assert_eq!(a.words[7].deprel, "nsubj");
        // One subject before the verb, none after: it stays.
        let mut b = tree(&[
            ("\"", PUNCT, "``", 3, "punct"),
            ("Go", VERB, "VB", 5, "ccomp"),
            ("\"", PUNCT, "''", 5, "punct"),
            ("Ann", PROPN, "NNP", 5, "nsubj"),
            ("said", VERB, "VBD", 0, "root"),
        ]);
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn a_reporting_verb_read_as_a_relative_clause_of_the_quote_is_parataxis() {
        use Upos::*;
        // " We will win , " the coach said .
        let mut a = tree(&[
            ("\u{201c}", PUNCT, "``", 4, "punct"),
            ("We", PRON, "PRP", 4, "nsubj"),
            ("will", AUX, "MD", 4, "aux"),
            ("win", VERB, "VB", 0, "root"),
            (",", PUNCT, ",", 4, "punct"),
            ("\u{201d}", PUNCT, "''", 4, "punct"),
            ("the", DET, "DT", 8, "det"),
            ("coach", NOUN, "NN", 9, "nsubj"),
            ("said", VERB, "VBD", 4, "acl:relcl"),
            (".", PUNCT, ".", 4, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!((a.words[8].head, a.words[8].deprel), (4, "parataxis"));
        // A relative clause of a noun stays one: "the plan the coach said
        // would work".
        let mut b = tree(&[
            ("the", DET, "DT", 2, "det"),
            ("plan", NOUN, "NN", 0, "root"),
            ("the", DET, "DT", 4, "det"),
            ("coach", NOUN, "NN", 5, "nsubj"),
            ("said", VERB, "VBD", 2, "acl:relcl"),
        ]);
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn a_name_before_a_determiner_is_no_compound() {
        use Upos::*;
        // Acme the biggest toy maker , said no .
        let mut a = tree(&[
            ("Acme", PROPN, "NNP", 5, "compound"),
            ("the", DET, "DT", 5, "det"),
            ("biggest", ADJ, "JJS", 5, "amod"),
            ("toy", NOUN, "NN", 5, "compound"),
            ("maker", NOUN, "NN", 7, "nsubj"),
            (",", PUNCT, ",", 5, "punct"),
            ("said", VERB, "VBD", 0, "root"),
            ("no", INTJ, "UH", 7, "obj"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!((a.words[0].head, a.words[0].deprel), (7, "nsubj"));
        assert_eq!((a.words[4].head, a.words[4].deprel), (1, "appos"));
        assert_eq!(a.words[1].head, 5, "the determiner stays with its noun");
        // A name of two words: "Acme Corp the biggest toy maker said".
        let mut c = tree(&[
            ("Acme", PROPN, "NNP", 5, "compound"),
            ("Corp", PROPN, "NNP", 5, "compound"),
            ("the", DET, "DT", 5, "det"),
            ("biggest", ADJ, "JJS", 5, "amod"),
            ("maker", NOUN, "NN", 6, "nsubj"),
            ("said", VERB, "VBD", 0, "root"),
        ]);
        repair(&mut c, crate::lexicon());
        assert_eq!(
            heads(&c),
            vec![
                (2, "compound"),
                (6, "nsubj"),
                (5, "det"),
                (5, "amod"),
                (2, "appos"),
                (0, "root"),
            ]
        );
        // The determiner before the name: "the Acme toy maker said".
        let mut b = tree(&[
            ("the", DET, "DT", 4, "det"),
            ("Acme", PROPN, "NNP", 4, "compound"),
            ("toy", NOUN, "NN", 4, "compound"),
            ("maker", NOUN, "NN", 5, "nsubj"),
            ("said", VERB, "VBD", 0, "root"),
        ]);
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn have_read_as_the_main_verb_becomes_the_auxiliary() {
        use Upos::*;
        // The Greens have said they would go .
        let mut a = tree(&[
            ("The", DET, "DT", 2, "det"),
            ("Greens", PROPN, "NNPS", 3, "nsubj"),
            ("have", VERB, "VBP", 0, "root"),
            ("said", VERB, "VBN", 3, "obj"),
            ("they", PRON, "PRP", 7, "nsubj"),
            ("would", AUX, "MD", 7, "aux"),
            ("go", VERB, "VB", 4, "ccomp"),
            (".", PUNCT, ".", 3, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(
            heads(&a),
            vec![
                (2, "det"),
                (4, "nsubj"),
                (4, "aux"),
                (0, "root"),
                (7, "nsubj"),
                (7, "aux"),
                (4, "ccomp"),
                (4, "punct"),
            ]
        );
        assert_eq!(a.words[2].upos, AUX);
    }

    #[test]
    fn have_with_a_noun_object_stays_the_verb() {
        use Upos::*;
        // They have said things . ("said" an adjective-like participle
        // would still be VBN; a noun object is not repaired.)
        let rows = [
            ("They", PRON, "PRP", 2, "nsubj"),
            ("have", VERB, "VBP", 0, "root"),
            ("plans", NOUN, "NNS", 2, "obj"),
            (".", PUNCT, ".", 2, "punct"),
        ];
        let mut a = tree(&rows);
        let before = a.clone();
        repair(&mut a, crate::lexicon());
        assert_eq!(a, before);
        // A participle further off, after a noun, is not the auxiliary's.
        let mut b = tree(&[
            ("They", PRON, "PRP", 2, "nsubj"),
            ("had", VERB, "VBD", 0, "root"),
            ("the", DET, "DT", 4, "det"),
            ("letter", NOUN, "NN", 2, "obj"),
            ("signed", VERB, "VBN", 2, "xcomp"),
        ]);
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }

    #[test]
    fn a_cue_read_as_a_plural_noun_after_a_name_is_the_verb() {
        use Upos::*;
        // KFOR calls on Belgrade to talk .
        let mut a = tree(&[
            ("KFOR", PROPN, "NNP", 2, "compound"),
            ("calls", NOUN, "NNS", 0, "root"),
            ("on", ADP, "IN", 4, "case"),
            ("Belgrade", PROPN, "NNP", 2, "nmod"),
            ("to", PART, "TO", 6, "mark"),
            ("talk", VERB, "VB", 2, "acl"),
            (".", PUNCT, ".", 2, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(a.words[1].upos, VERB);
        assert_eq!(
            heads(&a),
            vec![
                (2, "nsubj"),
                (0, "root"),
                (4, "case"),
                (2, "obl"),
                (6, "mark"),
                (2, "xcomp"),
                (2, "punct"),
            ]
        );
        // Oxfam warns that it needs money .
        let mut c = tree(&[
            ("Oxfam", PROPN, "NNP", 2, "compound"),
            ("warns", NOUN, "NNS", 5, "nsubj"),
            ("that", SCONJ, "IN", 5, "mark"),
            ("it", PRON, "PRP", 5, "nsubj"),
            ("needs", VERB, "VBZ", 0, "root"),
            ("money", NOUN, "NN", 5, "obj"),
            (".", PUNCT, ".", 5, "punct"),
        ]);
        repair(&mut c, crate::lexicon());
        assert_eq!(c.words[1].upos, VERB);
        assert_eq!(
            heads(&c),
            vec![
                (2, "nsubj"),
                (0, "root"),
                (5, "mark"),
                (5, "nsubj"),
                (2, "ccomp"),
                (5, "obj"),
                (2, "punct"),
            ]
        );
        // Read as the subject of a noun with no copula and no verb.
        // NATO calls on Rome to join talks .
        let mut e = tree(&[
            ("NATO", PROPN, "NNP", 2, "compound"),
            ("calls", NOUN, "NNS", 8, "nsubj"),
            ("on", ADP, "IN", 4, "case"),
            ("Rome", PROPN, "NNP", 2, "nmod"),
            ("to", PART, "TO", 6, "mark"),
            ("join", VERB, "VB", 2, "acl"),
            ("in", ADP, "IN", 8, "case"),
            ("talks", NOUN, "NNS", 0, "root"),
            (".", PUNCT, ".", 8, "punct"),
        ]);
        repair(&mut e, crate::lexicon());
        assert_eq!(e.words[1].upos, VERB);
        assert_eq!(
            heads(&e),
            vec![
                (2, "nsubj"),
                (0, "root"),
                (4, "case"),
                (2, "obl"),
                (6, "mark"),
                (2, "xcomp"),
                (8, "case"),
                (2, "dep"),
                (2, "punct"),
            ]
        );
        // With a copula the noun heads a clause: "calls" stays its subject.
        let mut f = tree(&[
            ("NATO", PROPN, "NNP", 2, "compound"),
            ("calls", NOUN, "NNS", 8, "nsubj"),
            ("on", ADP, "IN", 4, "case"),
            ("Rome", PROPN, "NNP", 2, "nmod"),
            ("are", AUX, "VBP", 8, "cop"),
            ("the", DET, "DT", 8, "det"),
            ("first", ADJ, "JJ", 8, "amod"),
            ("step", NOUN, "NN", 0, "root"),
            (".", PUNCT, ".", 8, "punct"),
        ]);
        let before = f.clone();
        repair(&mut f, crate::lexicon());
        assert_eq!(f, before);
        // Without a subject of its own the clause keeps the noun as one:
        // "Oxfam warns that matter" is no clause with a subject.
        let mut d = tree(&[
            ("Oxfam", PROPN, "NNP", 2, "compound"),
            ("warns", NOUN, "NNS", 4, "nsubj"),
            ("that", SCONJ, "IN", 4, "mark"),
            ("matter", VERB, "VBP", 0, "root"),
            (".", PUNCT, ".", 4, "punct"),
        ]);
        let before = heads(&d);
        repair(&mut d, crate::lexicon());
        assert_eq!(heads(&d), before);
        // A plural noun that is no cue stays a noun: "Apple shares rose".
        let mut b = tree(&[
            ("Apple", PROPN, "NNP", 2, "compound"),
            ("shares", NOUN, "NNS", 3, "nsubj"),
            ("rose", VERB, "VBD", 0, "root"),
        ]);
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }

    #[test]
    fn a_first_subject_read_as_the_root_becomes_the_subject() {
        use Upos::*;
        // The League and the Society say they will help .
        let mut a = tree(&[
            ("The", DET, "DT", 2, "det"),
            ("League", PROPN, "NNP", 0, "root"),
            ("and", CCONJ, "CC", 7, "cc"),
            ("the", DET, "DT", 5, "det"),
            ("Society", PROPN, "NNP", 7, "nsubj"),
            ("say", VERB, "VBP", 2, "conj"),
            ("they", PRON, "PRP", 9, "nsubj"),
            ("will", AUX, "MD", 9, "aux"),
            ("help", VERB, "VB", 6, "ccomp"),
            (".", PUNCT, ".", 2, "punct"),
        ]);
        // ("say" is word 6: the cc and the subject hang from it.)
        a.words[2].head = 6;
        a.words[4].head = 6;
        repair(&mut a, crate::lexicon());
        assert_eq!(
            heads(&a),
            vec![
                (2, "det"),
                (6, "nsubj"),
                (5, "cc"),
                (5, "det"),
                (2, "conj"),
                (0, "root"),
                (9, "nsubj"),
                (9, "aux"),
                (6, "ccomp"),
                (6, "punct"),
            ]
        );
        // A verb conjoined to a noun with no subject of its own between
        // them is left alone.
        let mut b = tree(&[
            ("Statements", NOUN, "NNS", 0, "root"),
            ("and", CCONJ, "CC", 3, "cc"),
            ("said", VERB, "VBD", 1, "conj"),
        ]);
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }
    /// The right tree of "Canada , a producer , also expressed
    /// reservations .", which both misreadings of its verb repair to.
    fn apposition_then_verb() -> Vec<(u32, &'static str)> {
        vec![
            (7, "nsubj"),
            (4, "punct"),
            (4, "det"),
            (1, "appos"),
            (7, "punct"),
            (7, "advmod"),
            (0, "root"),
            (7, "obj"),
            (7, "punct"),
        ]
    }

    #[test]
    fn a_cue_read_as_the_adjective_of_a_root_noun_is_the_main_verb() {
        use Upos::*;
        // Canada , a producer , also expressed reservations .
        let mut a = tree(&[
            ("Canada", PROPN, "NNP", 7, "obl:unmarked"),
            (",", PUNCT, ",", 4, "punct"),
            ("a", DET, "DT", 4, "det"),
            ("producer", NOUN, "NN", 1, "appos"),
            (",", PUNCT, ",", 7, "punct"),
            ("also", ADV, "RB", 7, "advmod"),
            ("expressed", VERB, "VBN", 8, "amod"),
            ("reservations", NOUN, "NNS", 0, "root"),
            (".", PUNCT, ".", 8, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(heads(&a), apposition_then_verb());
        // A headline's participle with no nominal before it stays one
        // ("Expressed fears grow" has another verb; "Rejected offers"
        // has no subject).
        let mut b = tree(&[
            ("Rejected", VERB, "VBN", 2, "amod"),
            ("offers", NOUN, "NNS", 0, "root"),
        ]);
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }
    #[test]
    fn a_cue_read_as_a_clause_on_the_root_name_is_the_main_verb() {
        use Upos::*;
        // Chile , a exporter , also expressed reservations .
        let mut a = tree(&[
            ("Chile", PROPN, "NNP", 0, "root"),
            (",", PUNCT, ",", 4, "punct"),
            ("an", DET, "DT", 4, "det"),
            ("exporter", NOUN, "NN", 1, "appos"),
            (",", PUNCT, ",", 7, "punct"),
            ("also", ADV, "RB", 7, "advmod"),
            ("expressed", VERB, "VBN", 4, "acl"),
            ("reservations", NOUN, "NNS", 7, "obj"),
            (".", PUNCT, ".", 1, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(heads(&a), apposition_then_verb());
        // With an agent it is a participle: "the plan, rejected by the
        // court".
        let mut b = tree(&[
            ("Plan", PROPN, "NNP", 0, "root"),
            ("rejected", VERB, "VBN", 1, "acl"),
            ("by", ADP, "IN", 4, "case"),
            ("court", NOUN, "NN", 2, "obl:agent"),
        ]);
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }
    #[test]
    fn an_infinitive_after_an_addressee_is_what_the_addressee_is_asked() {
        use Upos::*;
        // Marlow warned the BBC to steer away .
        let rows = [
            ("Marlow", PROPN, "NNP", 2, "nsubj"),
            ("warned", VERB, "VBD", 0, "root"),
            ("the", DET, "DT", 4, "det"),
            ("BBC", PROPN, "NNP", 2, "obj"),
            ("to", PART, "TO", 6, "mark"),
            ("steer", VERB, "VB", 4, "acl"),
            ("away", ADV, "RB", 6, "advmod"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        assert_eq!((a.words[5].head, a.words[5].deprel), (2, "xcomp"));
        // After a cue whose object is the thing ("announced a plan to
        // cut jobs") the infinitive stays the noun's.
        let mut b = tree(&rows);
        b.words[1].form = "announced".to_owned();
        let before = b.clone();
        repair(&mut b, crate::lexicon());
        assert_eq!(b, before);
    }

    #[test]
    fn a_verb_read_as_part_of_a_name_is_the_main_verb() {
        use Upos::*;
        // Sarah Sanders issued a statement .
        let mut a = tree(&[
            ("Sarah", PROPN, "NNP", 0, "root"),
            ("Sanders", PROPN, "NNP", 1, "flat"),
            ("issued", VERB, "VBD", 1, "flat"),
            ("a", DET, "DT", 5, "det"),
            ("statement", NOUN, "NN", 3, "obj"),
            (".", PUNCT, ".", 1, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(
            heads(&a),
            vec![
                (3, "nsubj"),
                (1, "flat"),
                (0, "root"),
                (5, "det"),
                (3, "obj"),
                (3, "punct"),
            ]
        );
    }

    #[test]
    fn a_statement_cue_read_as_a_subordinator_is_the_main_verb() {
        use Upos::*;
        // Police say they are searching .
        let mut a = tree(&[
            ("Police", NOUN, "NNS", 0, "root"),
            ("say", SCONJ, "IN", 5, "mark"),
            ("they", PRON, "PRP", 5, "nsubj"),
            ("are", AUX, "VBP", 5, "aux"),
            ("searching", VERB, "VBG", 1, "acl"),
            (".", PUNCT, ".", 1, "punct"),
        ]);
        repair(&mut a, crate::lexicon());
        assert_eq!(
            heads(&a),
            vec![
                (2, "nsubj"),
                (0, "root"),
                (5, "nsubj"),
                (5, "aux"),
                (2, "ccomp"),
                (2, "punct"),
            ]
        );
        assert_eq!((a.words[1].upos, a.words[1].xpos), (VERB, "VBP"));
    }

    #[test]
    fn a_speaker_read_as_a_noun_after_a_quote_speaks() {
        use Upos::*;
        // " It is done , " Civic Watch added .
        let rows = [
            ("\"", PUNCT, "``", 4, "punct"),
            ("It", PRON, "PRP", 4, "nsubj"),
            ("is", AUX, "VBZ", 4, "aux:pass"),
            ("done", VERB, "VBN", 0, "root"),
            (",", PUNCT, ",", 8, "punct"),
            ("\"", PUNCT, "''", 8, "punct"),
            ("Civic", ADJ, "JJ", 8, "amod"),
            ("Watch", NOUN, "NN", 4, "parataxis"),
            ("added", VERB, "VBN", 8, "acl"),
            (".", PUNCT, ".", 8, "punct"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        let mut expected: Vec<(u32, &str)> = rows.iter().map(|r| (r.3, r.4)).collect();
        expected[7] = (9, "nsubj");
        expected[8] = (4, "parataxis");
        expected[9] = (9, "punct");
        assert_eq!(heads(&a), expected);
        assert_eq!(a.words[8].xpos, "VBD");
        // Without the quote before it, a participle modifies its noun:
        // "They counted the points added ."
        let mut b = tree(&[
            ("They", PRON, "PRP", 2, "nsubj"),
            ("counted", VERB, "VBD", 0, "root"),
            ("the", DET, "DT", 4, "det"),
            ("points", NOUN, "NNS", 2, "obj"),
            ("added", VERB, "VBN", 4, "acl"),
            (".", PUNCT, ".", 2, "punct"),
        ]);
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn words_at_the_end_of_a_quote_belong_to_the_quote_not_the_reporting_verb() {
        use Upos::*;
        // " It will come , sooner or later , " said Ann .
        let rows = [
            ("\"", PUNCT, "``", 4, "punct"),
            ("It", PRON, "PRP", 4, "nsubj"),
            ("will", AUX, "MD", 4, "aux"),
            ("come", VERB, "VB", 0, "root"),
            (",", PUNCT, ",", 11, "punct"),
            ("sooner", ADV, "RBR", 11, "advmod"),
            ("or", CCONJ, "CC", 8, "cc"),
            ("later", ADV, "RBR", 6, "conj"),
            (",", PUNCT, ",", 6, "punct"),
            ("\"", PUNCT, "''", 6, "punct"),
            ("said", VERB, "VBD", 4, "parataxis"),
            ("Ann", PROPN, "NNP", 11, "nsubj"),
            (".", PUNCT, ".", 11, "punct"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        let mut expected: Vec<(u32, &str)> = rows.iter().map(|r| (r.3, r.4)).collect();
        expected[4] = (4, "punct");
        expected[5] = (4, "advmod");
        assert_eq!(heads(&a), expected);
        // After the quote, the reporting verb's own words stay: "..., " Ann
        // said later .
        let mut b = tree(&[
            ("\"", PUNCT, "``", 2, "punct"),
            ("Go", VERB, "VB", 0, "root"),
            ("\"", PUNCT, "''", 2, "punct"),
            ("Ann", PROPN, "NNP", 5, "nsubj"),
            ("said", VERB, "VBD", 2, "parataxis"),
            ("later", ADV, "RB", 5, "advmod"),
            (".", PUNCT, ".", 2, "punct"),
        ]);
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn a_second_apposition_is_no_subject_of_the_verb() {
        use Upos::*;
        // Ann Lee , the trade minister , a member of the board , said it .
        let rows = [
            ("Ann", PROPN, "NNP", 0, "root"),
            ("Lee", PROPN, "NNP", 1, "flat"),
            (",", PUNCT, ",", 6, "punct"),
            ("the", DET, "DT", 6, "det"),
            ("trade", NOUN, "NN", 6, "compound"),
            ("minister", NOUN, "NN", 1, "appos"),
            (",", PUNCT, ",", 1, "punct"),
            ("a", DET, "DT", 9, "det"),
            ("member", NOUN, "NN", 14, "nsubj"),
            ("of", ADP, "IN", 12, "case"),
            ("the", DET, "DT", 12, "det"),
            ("board", NOUN, "NN", 9, "nmod"),
            (",", PUNCT, ",", 14, "punct"),
            ("said", VERB, "VBD", 1, "parataxis"),
            ("it", PRON, "PRP", 14, "obj"),
            (".", PUNCT, ".", 1, "punct"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        let got = heads(&a);
        assert_eq!(got[13], (0, "root"));
        assert_eq!(got[0], (14, "nsubj"));
        assert_eq!(got[8], (1, "appos"));
        assert_eq!(got[15], (14, "punct"));
        // The same with the comma before the second phrase hung from it.
        let mut rows = rows;
        rows[6].3 = 9;
        let mut c = tree(&rows);
        repair(&mut c, crate::lexicon());
        assert_eq!(heads(&c)[8], (1, "appos"));
        assert_eq!(heads(&c)[0], (14, "nsubj"));
        // A phrase before the comma that is not the root ("In Rome, a
        // member of the board said it.") is left as it is.
        let mut b = tree(&[
            ("In", ADP, "IN", 2, "case"),
            ("Rome", PROPN, "NNP", 9, "obl"),
            (",", PUNCT, ",", 9, "punct"),
            ("a", DET, "DT", 5, "det"),
            ("member", NOUN, "NN", 9, "nsubj"),
            ("of", ADP, "IN", 8, "case"),
            ("the", DET, "DT", 8, "det"),
            ("board", NOUN, "NN", 5, "nmod"),
            ("said", VERB, "VBD", 0, "root"),
            ("it", PRON, "PRP", 9, "obj"),
            (".", PUNCT, ".", 9, "punct"),
        ]);
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn a_conjunct_that_repeats_a_preposition_joins_the_phrase_of_that_preposition() {
        use Upos::*;
        // They talk with groups in Rome and also with the navy .
        let rows = [
            ("They", PRON, "PRP", 2, "nsubj"),
            ("talk", VERB, "VBP", 0, "root"),
            ("with", ADP, "IN", 4, "case"),
            ("groups", NOUN, "NNS", 2, "obl"),
            ("in", ADP, "IN", 6, "case"),
            ("Rome", PROPN, "NNP", 4, "nmod"),
            ("and", CCONJ, "CC", 11, "cc"),
            ("also", ADV, "RB", 11, "advmod"),
            ("with", ADP, "IN", 11, "case"),
            ("the", DET, "DT", 11, "det"),
            ("navy", NOUN, "NN", 6, "conj"),
            (".", PUNCT, ".", 2, "punct"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        assert_eq!(heads(&a)[10], (4, "conj"));
        // The same preposition, or none above that takes it, leaves the
        // conjunct where it is: "with groups in Rome and in Milan".
        let mut rows_b = rows;
        rows_b[8].0 = "in";
        let mut b = tree(&rows_b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b)[10], (6, "conj"));
        let mut rows_c = rows;
        rows_c[8].0 = "for";
        let mut c = tree(&rows_c);
        repair(&mut c, crate::lexicon());
        assert_eq!(heads(&c)[10], (6, "conj"));
    }

    #[test]
    fn a_name_split_from_its_honorific_joins_it() {
        use Upos::*;
        // Mr Lane and Mr Kemp have said it .
        let rows = [
            ("Mr", PROPN, "NNP", 7, "nsubj"),
            ("Lane", PROPN, "NNP", 1, "flat"),
            ("and", CCONJ, "CC", 4, "cc"),
            ("Mr", PROPN, "NNP", 1, "conj"),
            ("Kemp", PROPN, "NNP", 7, "nsubj"),
            ("have", AUX, "VBP", 7, "aux"),
            ("said", VERB, "VBN", 0, "root"),
            ("it", PRON, "PRP", 7, "obj"),
            (".", PUNCT, ".", 7, "punct"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        let mut expected: Vec<(u32, &str)> = rows.iter().map(|r| (r.3, r.4)).collect();
        expected[4] = (4, "flat");
        assert_eq!(heads(&a), expected);
        // A name headed by its last word keeps that shape: "Mr" hangs
        // from "Kemp".
        let mut b = tree(&[
            ("Mr", PROPN, "NNP", 2, "compound"),
            ("Kemp", PROPN, "NNP", 3, "nsubj"),
            ("said", VERB, "VBD", 0, "root"),
            ("it", PRON, "PRP", 3, "obj"),
        ]);
        let before = heads(&b);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b), before);
    }

    #[test]
    fn the_holder_of_a_title_is_its_apposition_not_its_object() {
        use Upos::*;
        // the Minister of Defense , Ann Lee , said it .
        let rows = [
            ("the", DET, "DT", 2, "det"),
            ("Minister", PROPN, "NNP", 9, "nsubj"),
            ("of", ADP, "IN", 4, "case"),
            ("Defense", PROPN, "NNP", 2, "nmod"),
            (",", PUNCT, ",", 6, "punct"),
            ("Ann", PROPN, "NNP", 4, "appos"),
            ("Lee", PROPN, "NNP", 6, "flat"),
            (",", PUNCT, ",", 6, "punct"),
            ("said", VERB, "VBD", 0, "root"),
            ("it", PRON, "PRP", 9, "obj"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        assert_eq!(heads(&a)[5], (2, "appos"));
        // A place after a noun that is no title stays where it is: "the
        // capital of France , Paris".
        let mut rows = rows;
        rows[1].0 = "capital";
        rows[1].1 = NOUN;
        let mut b = tree(&rows);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b)[5], (4, "appos"));
    }

    #[test]
    fn a_name_after_a_comma_with_no_preposition_is_an_apposition() {
        use Upos::*;
        // The firms , Acme Corp and Bolt , had said it .
        let rows = [
            ("The", DET, "DT", 2, "det"),
            ("firms", NOUN, "NNS", 10, "nsubj"),
            (",", PUNCT, ",", 5, "punct"),
            ("Acme", PROPN, "NNP", 5, "compound"),
            ("Corp", PROPN, "NNP", 2, "nmod"),
            ("and", CCONJ, "CC", 7, "cc"),
            ("Bolt", PROPN, "NNP", 5, "conj"),
            (",", PUNCT, ",", 2, "punct"),
            ("had", AUX, "VBD", 10, "aux"),
            ("said", VERB, "VBN", 0, "root"),
            ("it", PRON, "PRP", 10, "obj"),
        ];
        let mut a = tree(&rows);
        repair(&mut a, crate::lexicon());
        assert_eq!(heads(&a)[4], (2, "appos"));
        // With its preposition it is a modifier: "the firms of Acme Corp".
        let mut rows = rows;
        rows[2] = ("of", ADP, "IN", 5, "case");
        let mut b = tree(&rows);
        repair(&mut b, crate::lexicon());
        assert_eq!(heads(&b)[4], (2, "nmod"));
    }
}
