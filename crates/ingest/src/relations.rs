//! Relations: clause-local patterns around cue verbs and cue nouns, with
//! filters for negation, modality and conditionals, and pronoun / role-noun
//! carry-over to the last salient actor.

use newsgraph_model::{fold, ActorKind, RelationKind};

use crate::actors::{pronoun_class, role_noun, word, Cluster, DocActors, MentionRole, MentionSpan};
use crate::lexicon::{Cue, Frame, Lexicon};
use crate::text::{TokenKind, Unit};

/// A relation found in a unit, before ids are assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Relation kind.
    pub kind: RelationKind,
    /// Subject cluster.
    pub subject: usize,
    /// Object cluster.
    pub object: Option<usize>,
    /// The unit index.
    pub unit: usize,
    /// What was requested or rejected, as text, when found.
    pub event_label: Option<String>,
    /// Whether the thing rejected is an earlier request ("that request").
    pub refers_to_request: bool,
}

/// Who is salient for pronouns and definite descriptions.
#[derive(Debug, Default)]
struct Salience {
    person: Option<usize>,
    other: Option<usize>,
    history: Vec<usize>,
}

impl Salience {
    fn see(&mut self, cluster: usize, clusters: &[Cluster]) {
        match clusters[cluster].kind {
            ActorKind::Person => self.person = Some(cluster),
            _ => self.other = Some(cluster),
        }
        self.history.retain(|c| *c != cluster);
        self.history.push(cluster);
    }

    /// The most recent actor of a kind whose forms or descriptors use `noun`,
    /// else the most recent of the kind.
    fn by_role(&self, kind: ActorKind, noun: &str, clusters: &[Cluster]) -> Option<usize> {
        let fits = |c: &Cluster| {
            c.descriptors.iter().any(|d| d == noun)
                || c.forms
                    .iter()
                    .any(|f| fold(f).split(' ').any(|w| w == noun))
        };
        self.history
            .iter()
            .rev()
            .find(|&&c| clusters[c].kind == kind && fits(&clusters[c]))
            .or_else(|| {
                self.history
                    .iter()
                    .rev()
                    .find(|&&c| clusters[c].kind == kind)
            })
            .copied()
    }
}

const NEGATIONS: &[&str] = &[
    "not", "n't", "never", "no", "nor", "neither", "without", "cannot",
];
const BE: &[&str] = &[
    "is", "was", "were", "are", "be", "been", "being", "am", "has", "have", "had",
];
const SUBMIT: &[&str] = &[
    "submit",
    "submits",
    "submitted",
    "submitting",
    "send",
    "sends",
    "sent",
    "sending",
    "make",
    "makes",
    "made",
    "making",
    "file",
    "files",
    "filed",
    "filing",
    "lodge",
    "lodged",
    "issue",
    "issued",
    "issues",
    "deliver",
    "delivered",
    "present",
    "presented",
    "forward",
    "forwarded",
    "address",
    "addressed",
];
const ACTUALISED: &[&str] = &[
    "decided",
    "agreed",
    "voted",
    "moved",
    "chose",
    "opted",
    "resolved",
    "went",
    "proceeded",
];

/// Extracts relations from every unit of a document.
pub fn find_relations(
    text: &str,
    units: &[Unit],
    actors: &mut DocActors,
    lex: &Lexicon,
) -> Vec<Found> {
    let mut found = Vec::new();
    let mut salience = Salience::default();
    for (u, unit) in units.iter().enumerate() {
        let folded: Vec<String> = unit.tokens.iter().map(|t| fold(word(text, t))).collect();
        let mut mentions = actors.mentions[u].clone();
        resolve_references(unit, &folded, &mut mentions, &mut salience, actors, lex);
        let ctx = Ctx {
            text,
            unit,
            folded: &folded,
            mentions: &mentions,
            clusters: &actors.clusters,
            lex,
        };
        let before = found.len();
        ctx.cue_verbs(u, &mut found);
        ctx.cue_nouns(u, &mut found);
        ctx.according_to(u, &mut found);
        // Subjects become the most salient actors for the next sentence.
        for f in &found[before..] {
            salience.see(f.subject, &actors.clusters);
        }
    }
    found.sort_by_key(|f| f.unit);
    found.dedup();
    found
}

/// Resolves pronouns and role nouns in order, inserting mentions for them,
/// and updates salience with every mention.
fn resolve_references(
    unit: &Unit,
    folded: &[String],
    mentions: &mut Vec<MentionSpan>,
    salience: &mut Salience,
    actors: &DocActors,
    lex: &Lexicon,
) {
    let mut added = Vec::new();
    let mut next_mention = 0;
    let mut i = 0;
    while i < folded.len() {
        while next_mention < mentions.len() && mentions[next_mention].first <= i {
            let m = mentions[next_mention];
            if m.role == MentionRole::Name {
                salience.see(m.cluster, &actors.clusters);
            }
            next_mention += 1;
        }
        let covered = mentions.iter().any(|m| i >= m.first && i < m.last);
        if covered || unit.in_quote(unit.tokens[i].start) {
            i += 1;
            continue;
        }
        if let Some(is_person) = pronoun_class(&folded[i]) {
            let target = if is_person {
                salience.person
            } else {
                salience.other
            };
            if let Some(c) = target {
                added.push(MentionSpan {
                    first: i,
                    last: i + 1,
                    cluster: c,
                    role: MentionRole::Pronoun,
                });
            }
            i += 1;
            continue;
        }
        if let Some((kind, len, noun)) = role_noun(folded, i, lex) {
            if let Some(c) = salience.by_role(kind, &noun, &actors.clusters) {
                added.push(MentionSpan {
                    first: i,
                    last: i + len,
                    cluster: c,
                    role: MentionRole::Pronoun,
                });
            }
            i += len;
            continue;
        }
        i += 1;
    }
    while next_mention < mentions.len() {
        let m = mentions[next_mention];
        if m.role == MentionRole::Name {
            salience.see(m.cluster, &actors.clusters);
        }
        next_mention += 1;
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.first);
}

struct Ctx<'a> {
    text: &'a str,
    unit: &'a Unit,
    folded: &'a [String],
    mentions: &'a [MentionSpan],
    clusters: &'a [Cluster],
    lex: &'a Lexicon,
}

impl Ctx<'_> {
    fn w(&self, i: usize) -> &str {
        self.folded.get(i).map(String::as_str).unwrap_or("")
    }

    fn in_quote(&self, i: usize) -> bool {
        self.unit
            .tokens
            .get(i)
            .is_some_and(|t| self.unit.in_quote(t.start))
    }

    fn is_punct(&self, i: usize, chars: &[char]) -> bool {
        matches!(self.unit.tokens.get(i).map(|t| t.kind), Some(TokenKind::Punct(c)) if chars.contains(&c))
    }

    fn is_quote_mark(&self, i: usize) -> bool {
        matches!(
            self.unit.tokens.get(i).map(|t| t.kind),
            Some(TokenKind::QuoteClose | TokenKind::QuoteOpen)
        )
    }

    fn mention_at(&self, i: usize) -> Option<&MentionSpan> {
        self.mentions.iter().find(|m| i >= m.first && i < m.last)
    }

    fn speaker_ok(&self, m: &MentionSpan) -> bool {
        m.role != MentionRole::Adjective
    }

    /// The cue starting at token `i`: its length and data.
    fn cue_at(&self, i: usize) -> Option<(usize, Cue)> {
        (1..=self.lex.max_cue_tokens.min(self.folded.len() - i))
            .rev()
            .find_map(|n| {
                self.lex
                    .cues
                    .get(&self.folded[i..i + n].join(" "))
                    .map(|c| (n, *c))
            })
    }

    fn negated(&self, i: usize) -> bool {
        (i.saturating_sub(3)..i).any(|k| NEGATIONS.contains(&self.w(k)))
    }

    /// Hypothetical, conditional, expected or future: an irrealis word in
    /// the few words before the cue, an "if" earlier in the clause, or an
    /// infinitive not introduced by a completed decision ("decided to").
    fn irrealis(&self, i: usize) -> bool {
        let clause_start = self.clause_start(i);
        if (clause_start..i).any(|k| matches!(self.w(k), "if" | "unless" | "whether")) {
            return true;
        }
        let mut k = i;
        let mut seen = 0;
        while k > clause_start && seen < 4 {
            k -= 1;
            if self.unit.tokens[k].kind != TokenKind::Word {
                break;
            }
            seen += 1;
            let w = self.w(k);
            if self.lex.irrealis.contains(w) {
                return true;
            }
        }
        // "to ask", "to be rejected"
        let mut p = i;
        if p >= 1 && self.w(p - 1) == "be" {
            p -= 1;
        }
        if p >= 1 && self.w(p - 1) == "to" {
            let before = if p >= 2 { self.w(p - 2) } else { "" };
            return !ACTUALISED.contains(&before);
        }
        false
    }

    /// Token index where the clause containing token `i` starts.
    fn clause_start(&self, i: usize) -> usize {
        let mut k = i;
        while k > 0 {
            let prev = k - 1;
            if self.is_punct(prev, &[';', ':'])
                || matches!(
                    self.w(prev),
                    "that" | "but" | "while" | "whereas" | "although" | "because"
                )
            {
                return k;
            }
            k -= 1;
        }
        0
    }

    /// The subject of the cue at `i`: the nearest usable mention to the
    /// left in the clause (skipping quotes), with its coordinated partners.
    fn subject_left(&self, i: usize) -> Vec<usize> {
        let start = self.clause_start(i);
        let mut k = i;
        while k > start {
            k -= 1;
            if self.in_quote(k) || self.is_quote_mark(k) {
                continue;
            }
            if self.w(k) == "who" || self.w(k) == "which" {
                // "X, who ... said": the antecedent before the relative.
                let mut j = k;
                while j > 0 && self.is_punct(j - 1, &[',']) {
                    j -= 1;
                }
                if let Some(m) = j.checked_sub(1).and_then(|p| self.mention_at(p)) {
                    return vec![m.cluster];
                }
                return Vec::new();
            }
            if let Some(m) = self.mention_at(k) {
                if !self.speaker_ok(m) {
                    continue;
                }
                // Skip possessors: "Serbia's army said" -> not Serbia.
                if self
                    .unit
                    .tokens
                    .get(m.last)
                    .is_some_and(|t| t.kind == TokenKind::Possessive)
                    && m.last < i
                {
                    k = m.first;
                    continue;
                }
                let mut subjects = vec![m.cluster];
                self.coordinated_left(m.first, &mut subjects);
                return subjects;
            }
        }
        Vec::new()
    }

    fn coordinated_left(&self, first: usize, out: &mut Vec<usize>) {
        let mut at = first;
        while at >= 2 && (self.w(at - 1) == "and" || self.is_punct(at - 1, &[','])) {
            match self.mention_at(at - 2) {
                Some(m) if self.speaker_ok(m) && !out.contains(&m.cluster) => {
                    out.push(m.cluster);
                    at = m.first;
                }
                _ => break,
            }
        }
    }

    /// Mentions (with coordination) starting within `window` words after `i`.
    fn actors_right(&self, i: usize, window: usize, allow_adjective: bool) -> Vec<usize> {
        let mut k = i;
        let mut words = 0;
        while k < self.folded.len() && words < window {
            if self.is_punct(k, &['.', ';', ':', '!', '?']) {
                break;
            }
            if let Some(m) = self.mention_at(k) {
                if m.role == MentionRole::Adjective && !allow_adjective {
                    k = m.last;
                    words += 1;
                    continue;
                }
                let mut out = vec![m.cluster];
                let mut at = m.last;
                while at < self.folded.len() && (self.w(at) == "and" || self.is_punct(at, &[','])) {
                    match self.mention_at(at + 1) {
                        Some(n) if n.first == at + 1 && !out.contains(&n.cluster) => {
                            out.push(n.cluster);
                            at = n.last;
                        }
                        _ => break,
                    }
                }
                return out;
            }
            if self.unit.tokens[k].kind == TokenKind::Word {
                words += 1;
            }
            k += 1;
        }
        Vec::new()
    }

    /// Text of the thing requested or rejected after token `i`, up to the
    /// end of the clause (at most 20 words).
    fn label_after(&self, i: usize) -> Option<String> {
        let mut k = i;
        while k < self.folded.len() && matches!(self.w(k), "that" | "on" | "for" | "to") {
            k += 1;
        }
        let start = k;
        let mut words = 0;
        while k < self.folded.len() && words < 20 {
            if self.is_punct(k, &['.', ';', ':', '!', '?', ',', '(']) || self.is_quote_mark(k) {
                break;
            }
            words += 1;
            k += 1;
        }
        (k > start).then(|| {
            self.text[self.unit.tokens[start].start..self.unit.tokens[k - 1].end].to_owned()
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut Vec<Found>,
        unit: usize,
        kind: RelationKind,
        subjects: &[usize],
        objects: &[usize],
        label: Option<String>,
        refers: bool,
    ) {
        for &s in subjects {
            let objs: Vec<Option<usize>> = if objects.is_empty() {
                vec![None]
            } else {
                objects.iter().map(|o| Some(*o)).collect()
            };
            for o in objs {
                let o = o.filter(|o| *o != s);
                if self.clusters[s].kind == ActorKind::Group
                    && kind == RelationKind::Said
                    && self.clusters[s].forms.is_empty()
                {
                    continue;
                }
                out.push(Found {
                    kind,
                    subject: s,
                    object: o,
                    unit,
                    event_label: label.clone(),
                    refers_to_request: refers,
                });
            }
        }
    }

    fn cue_verbs(&self, u: usize, out: &mut Vec<Found>) {
        let mut i = 0;
        while i < self.folded.len() {
            if self.unit.tokens[i].kind != TokenKind::Word
                || self.in_quote(i)
                || self.mention_at(i).is_some()
            {
                i += 1;
                continue;
            }
            let Some((len, cue)) = self.cue_at(i) else {
                i += 1;
                continue;
            };
            let end = i + len;
            let negated = self.negated(i);
            let (kind, ok) = match cue.frame {
                Frame::Negated => (RelationKind::Rejected, negated),
                _ => (cue.relation, !negated),
            };
            // Nouns that look like verbs ("the request", "a call"): handled as nouns.
            let determiner_before = i > 0
                && matches!(
                    self.w(i - 1),
                    "the" | "a" | "an" | "this" | "that" | "its" | "his" | "her" | "their" | "our"
                );
            if !ok || determiner_before || self.irrealis(i) {
                i = end;
                continue;
            }
            let passive = i >= 1 && BE.contains(&self.w(i - 1)) && self.w(end) == "by"
                || i >= 2
                    && BE.contains(&self.w(i - 2))
                    && self.w(i - 1).ends_with("ly")
                    && self.w(end) == "by";
            if passive {
                let agents = self.actors_right(end + 1, 12, false);
                let agent = self.prefer_person(end + 1, agents);
                if !agent.is_empty() {
                    let patient = self.subject_left(i);
                    let objects = if kind == RelationKind::Said {
                        Vec::new()
                    } else {
                        patient
                    };
                    self.push(out, u, kind, &agent, &objects, None, false);
                }
                i = end;
                continue;
            }
            let mut subjects = self.subject_left(i);
            if subjects.is_empty() && kind == RelationKind::Said {
                // Inverted attribution: '..." said Vucic', 'emphasized representatives from the mission'.
                subjects = self.actors_right(end, 6, false);
            }
            if subjects.is_empty() {
                i = end;
                continue;
            }
            let (objects, label) = match cue.frame {
                Frame::Addressee => {
                    let mut skip = end;
                    while matches!(self.w(skip), "the" | "all" | "both" | "on" | "to" | "with") {
                        skip += 1;
                    }
                    let objects = if self.mention_at(skip).is_some() {
                        self.actors_right(skip, 1, false)
                    } else {
                        Vec::new()
                    };
                    let after = self
                        .mentions
                        .iter()
                        .filter(|m| m.first >= skip)
                        .map(|m| m.last)
                        .next()
                        .filter(|_| !objects.is_empty())
                        .unwrap_or(end);
                    (objects, self.label_after(after))
                }
                Frame::Object | Frame::Negated => {
                    let objects = if kind == RelationKind::Rejected {
                        self.actors_right(end, 10, true)
                    } else {
                        self.source_actor(end)
                    };
                    (objects, self.label_after(end))
                }
                Frame::Intransitive => {
                    if kind == RelationKind::Rejected {
                        // "is categorically against the return of Serbian forces"
                        (self.actors_right(end, 10, true), self.label_after(end))
                    } else {
                        (Vec::new(), None)
                    }
                }
            };
            let refers = matches!(self.w(end), "the" | "that" | "this")
                && matches!(
                    self.w(end + 1),
                    "request" | "requests" | "demand" | "demands" | "appeal" | "call" | "proposal"
                )
                || self
                    .unit
                    .tokens
                    .get(end + 1)
                    .is_some_and(|t| t.kind == TokenKind::Possessive)
                    && matches!(
                        self.w(end + 2),
                        "request" | "demand" | "appeal" | "call" | "proposal"
                    );
            let label = if kind == RelationKind::Said {
                None
            } else {
                label
            };
            self.push(out, u, kind, &subjects, &objects, label, refers);
            i = end;
        }
    }

    fn prefer_person(&self, from: usize, agents: Vec<usize>) -> Vec<usize> {
        // "by the Secretary General of the alliance, Jens Stoltenberg": the
        // named person in the agent phrase wins over the body.
        let mut k = from;
        while k < self.folded.len() && !self.is_punct(k, &['.', ';']) && k < from + 14 {
            if let Some(m) = self.mention_at(k) {
                if self.clusters[m.cluster].kind == ActorKind::Person && m.role == MentionRole::Name
                {
                    return vec![m.cluster];
                }
                k = m.last;
                continue;
            }
            k += 1;
        }
        agents
    }

    /// "demanded ... from X": the addressee of an object-frame request.
    fn source_actor(&self, i: usize) -> Vec<usize> {
        let mut k = i;
        while k < self.folded.len() && k < i + 12 && !self.is_punct(k, &['.', ';', ',']) {
            if self.w(k) == "from" {
                return self.actors_right(k + 1, 2, false);
            }
            k += 1;
        }
        Vec::new()
    }

    /// "the request of X for Y", "X's request to Y", "submitted a request to Y",
    /// "received a request from X".
    fn cue_nouns(&self, u: usize, out: &mut Vec<Found>) {
        for i in 0..self.folded.len() {
            let Some(&kind) = self.lex.cue_nouns.get(self.w(i)) else {
                continue;
            };
            if kind != RelationKind::Requested || self.in_quote(i) || self.mention_at(i).is_some() {
                continue;
            }
            if self.lex.cues.contains_key(self.w(i))
                && !(i > 0
                    && matches!(
                        self.w(i - 1),
                        "the"
                            | "a"
                            | "an"
                            | "this"
                            | "that"
                            | "its"
                            | "his"
                            | "her"
                            | "their"
                            | "our"
                            | "formal"
                            | "written"
                            | "official"
                    )
                    || self
                        .unit
                        .tokens
                        .get(i.wrapping_sub(1))
                        .is_some_and(|t| t.kind == TokenKind::Possessive))
            {
                continue;
            }
            // Requester.
            let mut requester: Vec<usize> = Vec::new();
            if matches!(self.w(i + 1), "of" | "from" | "by") {
                requester = self.actors_right(i + 2, 2, false);
            }
            if requester.is_empty()
                && i >= 2
                && self.unit.tokens[i - 1].kind == TokenKind::Possessive
            {
                if let Some(m) = self.mention_at(i - 2) {
                    requester = vec![m.cluster];
                }
            }
            if requester.is_empty() && i >= 1 {
                if let Some(m) = self
                    .mention_at(i - 1)
                    .filter(|m| m.role == MentionRole::Adjective)
                {
                    requester = vec![m.cluster];
                }
            }
            // Addressee: "to Y" in the noun phrase.
            let mut addressee: Vec<usize> = Vec::new();
            let mut k = i + 1;
            while k < self.folded.len() && k < i + 14 && !self.is_punct(k, &['.', ';', ',']) {
                if self.w(k) == "to" {
                    if let Some(m) = self.mention_at(k + 1) {
                        if m.role == MentionRole::Name {
                            addressee = vec![m.cluster];
                        }
                    }
                    break;
                }
                k += 1;
            }
            // The verb governing the noun.
            let verb_at = (i.saturating_sub(4)..i)
                .rev()
                .find(|&k| SUBMIT.contains(&self.w(k)));
            if requester.is_empty() {
                if let Some(v) = verb_at {
                    if self.irrealis(v) {
                        continue;
                    }
                    requester = self.subject_left(v);
                }
            } else if addressee.is_empty() {
                // "KFOR received / reacted to the request of X": the clause
                // subject is the addressee.
                let subject = self.subject_left(i.saturating_sub(
                    if i > 0 && matches!(self.w(i - 1), "the" | "a" | "that" | "this") {
                        1
                    } else {
                        0
                    },
                ));
                addressee = subject
                    .into_iter()
                    .filter(|s| !requester.contains(s))
                    .take(1)
                    .collect();
            }
            if requester.is_empty() {
                continue;
            }
            let label = if self.w(i + 1) == "for" {
                self.label_after(i + 2)
            } else {
                let mut k = i + 1;
                while k < self.folded.len()
                    && k < i + 10
                    && self.w(k) != "for"
                    && !self.is_punct(k, &['.', ';', ','])
                {
                    k += 1;
                }
                if self.w(k) == "for" {
                    self.label_after(k + 1)
                } else {
                    None
                }
            };
            self.push(
                out,
                u,
                RelationKind::Requested,
                &requester,
                &addressee,
                label,
                false,
            );
        }
    }

    /// "according to X" -> X said.
    fn according_to(&self, u: usize, out: &mut Vec<Found>) {
        for i in 0..self.folded.len().saturating_sub(2) {
            if self.w(i) == "according" && self.w(i + 1) == "to" && !self.in_quote(i) {
                let speakers = self.actors_right(i + 2, 3, false);
                if let Some(&s) = speakers.first() {
                    self.push(out, u, RelationKind::Said, &[s], &[], None, false);
                }
            }
        }
    }
}
