//! Relations: clause-local patterns around cue verbs and cue nouns, with
//! filters for negation, passives without an agent, modality and
//! conditionals, and carry-over of pronouns and definite descriptions
//! ("the mission", "the minister") to the last salient actor.

use newsgraph_model::confidence::{Construction, Resolution};
use newsgraph_model::{ActorKind, RelationKind};

use crate::actors::{pronoun_class, role_noun, Cluster, DocActors, MentionRole, MentionSpan};
use crate::hash::{FastMap, FastSet};
use crate::lexicon::{Cue, Frame, Lexicon};
use crate::text::{fold, Folded, TokenKind, Unit};

mod constructions;

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
    /// The cue word(s) that produced it, as written (for explanations).
    pub cue: String,
    /// Whether a noun produced it ("the request of X") rather than a verb.
    pub nominal: bool,
    /// The construction that found it.
    pub construction: Construction,
    /// How its subject was found.
    pub resolution: Resolution,
}

/// Who is salient for pronouns and definite descriptions.
#[derive(Debug, Default)]
struct Salience {
    /// Last person mentioned (outside quotes).
    person: Option<usize>,
    /// Last non-person mentioned (outside quotes).
    other: Option<usize>,
    /// Last non-person subject of a relation.
    speaker_other: Option<usize>,
    /// The previous sentence's first named non-person that no preposition
    /// governs: most often its subject, and what "It" goes on about.
    previous_other: Option<usize>,
    /// The people the previous sentence had as subjects (outside quotes),
    /// in order: whom "He said" at the start of the next goes on about.
    previous_subjects: Vec<usize>,
    /// Mentions in order, most recent last.
    history: Vec<usize>,
    /// Relation subjects in order, most recent last.
    speakers: Vec<usize>,
    /// Mentions so far per cluster.
    counts: FastMap<usize, usize>,
}

impl Salience {
    fn see(&mut self, cluster: usize, clusters: &[Cluster]) {
        match clusters[cluster].kind {
            ActorKind::Person => self.person = Some(cluster),
            _ => self.other = Some(cluster),
        }
        self.history.retain(|c| *c != cluster);
        self.history.push(cluster);
        if self.history.len() > SALIENCE_WINDOW {
            self.history.remove(0);
        }
        *self.counts.entry(cluster).or_default() += 1;
    }

    fn spoke(&mut self, cluster: usize, clusters: &[Cluster]) {
        if clusters[cluster].kind != ActorKind::Person {
            self.speaker_other = Some(cluster);
        }
        self.speakers.retain(|c| *c != cluster);
        self.speakers.push(cluster);
        if self.speakers.len() > SALIENCE_WINDOW {
            self.speakers.remove(0);
        }
    }

    /// "the mission": of the actors of the kind whose descriptors or names
    /// use the noun, the most mentioned so far (the article's main one),
    /// the most recent on a tie; else the last speaker of the kind; else
    /// the last mentioned of the kind.
    ///
    /// "the management", "the board": a company's organ stands for the
    /// company the article is about, and for nobody when it names none.
    fn by_role(&self, kind: ActorKind, noun: &str, clusters: &[Cluster]) -> Option<usize> {
        let organ = COMPANY_ORGANS.contains(&noun);
        let fits = |c: &Cluster| {
            if organ {
                return c.descriptors.iter().any(|d| d == "company");
            }
            c.descriptors.iter().any(|d| d == noun)
                || c.forms
                    .iter()
                    .any(|f| fold(f).split(' ').any(|w| w == noun))
        };
        let of_kind = |c: &&usize| clusters[**c].kind == kind;
        let count = |c: usize| self.counts.get(&c).copied().unwrap_or(0);
        let best = self
            .history
            .iter()
            .enumerate()
            .filter(|(_, c)| of_kind(c) && fits(&clusters[**c]))
            .max_by_key(|(recency, c)| (count(**c), *recency))
            .map(|(_, c)| c);
        if organ {
            return best.copied();
        }
        best.or_else(|| self.speakers.iter().rev().find(of_kind))
            .or_else(|| self.history.iter().rev().find(of_kind))
            .copied()
    }
}

/// Organs of a company that, as "the management", "the board", stand for
/// the company itself.
const COMPANY_ORGANS: &[&str] = &["management", "board"];

/// Adjectives that mark the next word as a noun ("a formal request").
const NOUN_ADJECTIVES: &[&str] = &[
    "formal", "written", "official", "new", "urgent", "fresh", "repeated", "latest", "earlier",
    "renewed", "previous", "public", "personal", "direct", "joint", "similar",
];
/// Words before "of" that leave the noun after it the head of the phrase.
const QUANTITIES: &[&str] = &[
    "thousands",
    "hundreds",
    "dozens",
    "millions",
    "scores",
    "tens",
    "some",
    "many",
    "most",
    "all",
    "several",
    "groups",
    "crowds",
    "hundred",
    "thousand",
    "million",
    "group",
    "crowd",
];
/// How many recent actors pronouns and definite descriptions choose from.
const SALIENCE_WINDOW: usize = 64;
const NEGATIONS: &[&str] = &["not", "n't", "never", "no", "nor", "neither", "cannot"];
/// Forms of "be" that make a following participle passive.
const BE: &[&str] = &["is", "was", "were", "are", "be", "been", "being", "am"];
/// Prepositions before a cue word mark it as a noun ("under pressure").
const PREPOSITIONS: &[&str] = &[
    "of", "for", "in", "on", "at", "by", "with", "from", "into", "under", "after", "before",
    "amid", "despite", "against", "about", "over", "without", "through", "during", "upon", "to",
    "as", "between", "among",
];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "any", "every", "each", "no", "another", "such",
];
/// Verbs that hand over a request ("submitted a request to Y").
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
    "lodges",
    "lodged",
    "issue",
    "issues",
    "issued",
    "deliver",
    "delivered",
    "present",
    "presented",
    "forward",
    "forwarded",
    "address",
    "addressed",
    "put",
    "puts",
];
/// Verbs that receive or answer a request ("KFOR received a request from X").
const RECEIVE: &[&str] = &[
    "received",
    "receives",
    "receive",
    "reacted",
    "reacts",
    "responded",
    "responds",
    "answered",
    "evaluating",
    "evaluate",
    "evaluates",
    "considering",
    "considers",
    "considered",
    "reviewing",
    "reviews",
    "reviewed",
    "rejected",
    "rejects",
    "refused",
    "declined",
    "accepted",
    "accepts",
    "granted",
    "approved",
    "denied",
    "examining",
    "analysing",
    "analyzing",
    "got",
    "gets",
];
/// Before "to", these make the infinitive an act that happened.
const ACTUALISED: &[&str] = &[
    "decided",
    "agreed",
    "voted",
    "moved",
    "chose",
    "opted",
    "resolved",
    "proceeded",
    "went",
    "began",
    "started",
];
/// Speech verbs that also take a non-speech object ("declared independence").
const SPEECH_OR_ACT: &[&str] = &[
    "declar", "announc", "claim", "post", "report", "publish", "issu", "reveal", "unveil",
];

/// Extracts relations from every unit of a document.
pub fn find_relations(
    text: &str,
    units: &[Unit],
    actors: &mut DocActors,
    lex: &Lexicon,
    trees: &[Option<&newsgraph_syntax::Analysis<'static>>],
) -> Vec<Found> {
    let mut found = Vec::new();
    let mut salience = Salience::default();
    let shared = shared_surnames(&actors.clusters);
    let genders: Vec<Option<bool>> = actors.clusters.iter().map(|c| gender(c, lex)).collect();
    // The last unit each cluster was named in, for how far back a subject
    // carried into a sentence was named.
    let mut last_named: FastMap<usize, usize> = FastMap::default();
    for (u, unit) in units.iter().enumerate() {
        let folded = &unit.folded;
        let mut mentions = actors.mentions[u].clone();
        let refs = References {
            text,
            actors,
            lex,
            shared: &shared,
            genders: &genders,
        };
        let subjects = subject_tokens(unit, trees.get(u).copied().flatten());
        resolve_references(
            unit,
            folded,
            subjects.as_deref(),
            &mut mentions,
            &mut salience,
            &refs,
        );
        let mut mention_of: Vec<Option<u32>> = vec![None; folded.len()];
        for (n, m) in mentions.iter().enumerate() {
            for slot in mention_of.iter_mut().take(m.last).skip(m.first) {
                slot.get_or_insert(n as u32);
            }
        }
        let ctx = Ctx {
            text,
            unit,
            folded,
            mention_of: &mention_of,
            mentions: &mentions,
            clusters: &actors.clusters,
            lex,
            quoted: false,
            speaker: None,
        };
        let before = found.len();
        let tree = trees
            .get(u)
            .copied()
            .flatten()
            .map(|a| constructions::Tree::new(a, &ctx));
        match &tree {
            Some(t) => ctx.tree_verbs(t, u, &mut found),
            None => ctx.cue_verbs(u, &mut found),
        }
        let verb = if tree.is_some() {
            Construction::TreeVerb
        } else {
            Construction::PatternVerb
        };
        // Inside a quote, "we call on all sides" is the quoted speaker's
        // request, and "KFOR calls on Belgrade" is KFOR's.
        let speaker = found[before..]
            .iter()
            .find(|f| f.kind == RelationKind::Said)
            .map(|f| f.subject);
        if !unit.quotes.is_empty() {
            let quoted = Ctx {
                quoted: true,
                speaker,
                ..ctx
            };
            match &tree {
                Some(t) => quoted.tree_verbs(t, u, &mut found),
                None => quoted.cue_verbs(u, &mut found),
            }
        }
        let verbs_end = found.len();
        ctx.cue_nouns(u, &mut found);
        let nouns_end = found.len();
        ctx.according_to(u, &mut found);
        if let Some(t) = &tree {
            ctx.tree_according_to(t, u, &mut found);
        }
        let according_end = found.len();
        ctx.colon_speaker(u, &mut found);
        for (k, f) in found.iter_mut().enumerate().skip(before) {
            f.nominal = (verbs_end..nouns_end).contains(&k);
            f.construction = match k {
                k if k < verbs_end => verb,
                k if k < nouns_end => Construction::CueNoun,
                k if k < according_end => Construction::AccordingTo,
                _ => Construction::Colon,
            };
            f.resolution = resolution(&mentions, f.subject, u, &last_named);
        }
        for m in &mentions {
            if m.role == MentionRole::Name {
                last_named.insert(m.cluster, u);
            }
        }
        for f in &found[before..] {
            salience.spoke(f.subject, &actors.clusters);
        }
        // Groups become actors only by acting.
        for f in &found[before..] {
            actors.clusters[f.subject].participant = true;
        }
    }
    // One relation per (kind, subject, object) and sentence, whichever cue
    // found it first ("stated by X" and "X ... said" in one sentence).
    let mut seen = FastSet::default();
    found.retain(|f| seen.insert((f.unit, f.kind, f.subject, f.object)));
    found
}

/// How the subject `cluster` of a relation in unit `u` was found: named
/// in the unit, referred to there (a pronoun, a description), or carried
/// from the last unit that named it.
fn resolution(
    mentions: &[MentionSpan],
    cluster: usize,
    u: usize,
    last_named: &FastMap<usize, usize>,
) -> Resolution {
    let roles = mentions.iter().filter(|m| m.cluster == cluster);
    let mut referred = false;
    for m in roles {
        match m.role {
            MentionRole::Name => return Resolution::Named,
            MentionRole::Pronoun | MentionRole::Adjective => referred = true,
        }
    }
    if referred {
        return Resolution::Referred;
    }
    let back = last_named
        .get(&cluster)
        .map_or(u32::MAX, |at| u.saturating_sub(*at).max(1) as u32);
    Resolution::Carried(back)
}

/// Whether a unit holds a relation cue: a said / requested / rejected cue
/// of the lexicon, a cue noun, "against", "according to" or a form of
/// "call" (calling something something is a statement), anywhere in
/// it, in or out of quotes, whatever its reading. Every unit that
/// [`find_relations`] finds a relation in holds one (the rules start at
/// these words); the converse does not hold ("under pressure"). Costs a
/// set probe or two per token, with no allocation but for a word with a
/// hyphen.
pub fn has_cue(unit: &Unit, lex: &Lexicon) -> bool {
    let folded = &unit.folded;
    (0..folded.len()).any(|i| {
        let word = &folded[i];
        word == "against"
            || word == "according" && folded.get(i + 1) == Some("to")
            || matches!(word, "call" | "calls" | "called" | "calling")
            || lex.cue_nouns.contains_key(word)
            || lex.first_words.contains(word)
                && (1..=lex.max_cue_tokens.min(folded.len() - i))
                    .any(|n| lex.cues.contains_key(&folded[i..i + n]))
            // "re-iterated": a cue spelt with a hyphen.
            || word.contains('-') && lex.first_words.contains(&word.replace('-', ""))
    })
}

/// Surnames that two or more people of the article share ("Clinton" for
/// Bill and Hillary Clinton), folded, with those people's clusters in
/// order of appearance. Actor recognition leaves a bare shared surname
/// unlinked; salience decides ([`References::resolve`]).
fn shared_surnames(clusters: &[Cluster]) -> FastMap<String, Vec<usize>> {
    let mut by_surname: FastMap<String, Vec<usize>> = FastMap::default();
    for (c, cluster) in clusters.iter().enumerate() {
        if cluster.kind != ActorKind::Person {
            continue;
        }
        let words: Vec<&str> = cluster.name.split_whitespace().collect();
        if let [_, .., last] = words.as_slice() {
            by_surname.entry(fold(last)).or_default().push(c);
        }
    }
    by_surname.retain(|_, cs| cs.len() > 1);
    by_surname
}

/// What reference resolution reads besides the unit.
struct References<'a> {
    text: &'a str,
    actors: &'a DocActors,
    lex: &'a Lexicon,
    shared: &'a FastMap<String, Vec<usize>>,
    /// Each cluster's gender when known (`true`: female).
    genders: &'a [Option<bool>],
}

/// A person's gender as the article gives it: a title ("Mr", "Ms",
/// "Mrs") in one of their forms, else their given name's usual gender
/// (`data/name_genders.tsv`); `true` is female.
fn gender(cluster: &Cluster, lex: &Lexicon) -> Option<bool> {
    if cluster.kind != ActorKind::Person {
        return None;
    }
    let titled = std::iter::once(&cluster.name)
        .chain(&cluster.forms)
        .find_map(|f| {
            match fold(f.split_whitespace().next().unwrap_or("")).trim_end_matches('.') {
                "mr" | "sir" | "lord" | "king" => Some(false),
                "ms" | "mrs" | "miss" | "madam" | "dame" | "lady" | "queen" => Some(true),
                _ => None,
            }
        });
    titled.or_else(|| {
        let first = cluster.name.split_whitespace().next()?;
        lex.genders.get(&fold(first)).copied()
    })
}

impl References<'_> {
    /// The person a shared surname at token `i` refers to: the one
    /// mentioned most recently, else the one mentioned most.
    fn surname(
        &self,
        unit: &Unit,
        folded: &Folded,
        i: usize,
        salience: &Salience,
    ) -> Option<usize> {
        let capitalised = unit
            .tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..))
            .is_some_and(|w| w.starts_with(char::is_uppercase));
        if !capitalised {
            return None;
        }
        let people = self.shared.get(&folded[i])?;
        let recency = |c: &usize| salience.history.iter().rposition(|h| h == c);
        people
            .iter()
            .filter(|c| recency(c).is_some())
            .max_by_key(|c| recency(c))
            .or_else(|| {
                people
                    .iter()
                    .max_by_key(|c| salience.counts.get(c).copied().unwrap_or(0))
            })
            .copied()
    }
}

/// For each token of `unit`, whether the tree reads its word as a subject
/// (`nsubj`, `nsubj:pass`); `None` without a tree.
fn subject_tokens(
    unit: &Unit,
    tree: Option<&newsgraph_syntax::Analysis<'static>>,
) -> Option<Vec<bool>> {
    let tree = tree?;
    Some(
        unit.tokens
            .iter()
            .map(|t| crate::actors::subject_at(tree, t.start))
            .collect(),
    )
}

/// A mention of cluster `c` by token `i` alone.
fn one_token(i: usize, c: usize, role: MentionRole) -> MentionSpan {
    MentionSpan {
        first: i,
        last: i + 1,
        cluster: c,
        role,
    }
}

/// Resolves pronouns, shared surnames and role nouns in order, inserting
/// mentions for them, and updates salience with every mention outside
/// quotes.
fn resolve_references(
    unit: &Unit,
    folded: &Folded,
    subjects: Option<&[bool]>,
    mentions: &mut Vec<MentionSpan>,
    salience: &mut Salience,
    refs: &References,
) {
    let (actors, lex) = (refs.actors, refs.lex);
    let mut added = Vec::new();
    let mut next = 0;
    let mut i = 0;
    // The sentence's first named non-person outside quotes: "Beijing denied
    // the video that it said showed ..." - "it" is Beijing.
    let mut sentence_other: Option<usize> = None;
    // The people this sentence has had as subjects so far (outside quotes).
    let mut sentence_subjects: Vec<usize> = Vec::new();
    let see_until = |limit: usize,
                     next: &mut usize,
                     salience: &mut Salience,
                     sentence_other: &mut Option<usize>,
                     sentence_subjects: &mut Vec<usize>| {
        while *next < mentions.len() && mentions[*next].first <= limit {
            let m = mentions[*next];
            let quoted = unit.token_quoted(m.first);
            if m.role == MentionRole::Name && !quoted {
                salience.see(m.cluster, &actors.clusters);
                let governed = m.first > 0
                    && matches!(
                        &folded[m.first - 1],
                        "of" | "in" | "at" | "to" | "from" | "by" | "with" | "for" | "on"
                    );
                // Without a tree, the sentence's first person no
                // preposition governs is most often its subject.
                let subject = match subjects {
                    Some(s) => (m.first..m.last).any(|k| s.get(k) == Some(&true)),
                    None => sentence_subjects.is_empty() && !governed,
                };
                if subject && actors.clusters[m.cluster].kind == ActorKind::Person {
                    sentence_subjects.push(m.cluster);
                }
                if sentence_other.is_none()
                    && !governed
                    && actors.clusters[m.cluster].kind != ActorKind::Person
                {
                    *sentence_other = Some(m.cluster);
                }
            }
            *next += 1;
        }
    };
    while i < folded.len() {
        see_until(
            i,
            &mut next,
            salience,
            &mut sentence_other,
            &mut sentence_subjects,
        );
        // Mentions are sorted and disjoint: only the last one started can cover i.
        let covered = next > 0 && mentions[next - 1].last > i;
        if covered || unit.token_quoted(i) {
            i += 1;
            continue;
        }
        if let Some(is_person) = pronoun_class(&folded[i]) {
            let target = if is_person {
                // "she" is the last person who can be a she.
                let female = match &folded[i] {
                    "she" | "her" | "hers" | "herself" => Some(true),
                    "he" | "him" | "his" | "himself" => Some(false),
                    _ => None,
                };
                let fits = |c: &usize| {
                    actors.clusters[*c].kind == ActorKind::Person
                        && (female.is_none()
                            || refs
                                .genders
                                .get(*c)
                                .copied()
                                .flatten()
                                .is_none_or(|g| Some(g) == female))
                };
                // "Rendell praised Sanders ..., but he said": a subject
                // pronoun goes on about a subject, this sentence's last
                // or else the previous sentence's first, before a more
                // recent object.
                let nominative = matches!(&folded[i], "he" | "she");
                let subject = if nominative {
                    sentence_subjects
                        .iter()
                        .rev()
                        .find(|c| fits(c))
                        .or_else(|| salience.previous_subjects.iter().find(|c| fits(c)))
                        .copied()
                } else {
                    None
                };
                let c =
                    subject.or_else(|| salience.history.iter().rev().find(|c| fits(c)).copied());
                if let (Some(c), true) = (c, nominative) {
                    sentence_subjects.push(c);
                }
                c.or(salience.person)
            } else {
                // "it" is no plural group ("supporters", "protesters").
                let singular = matches!(&folded[i], "it" | "its" | "itself");
                let fits = |c: &usize| !singular || actors.clusters[*c].kind != ActorKind::Group;
                sentence_other
                    .filter(fits)
                    .or(salience.previous_other.filter(fits))
                    .or(salience.speaker_other.filter(fits))
                    .or(salience.other.filter(fits))
            };
            if let Some(c) = target {
                added.push(one_token(i, c, MentionRole::Pronoun));
            }
            i += 1;
            continue;
        }
        if let Some(c) = refs.surname(unit, folded, i, salience) {
            salience.see(c, &actors.clusters);
            added.push(one_token(i, c, MentionRole::Name));
            i += 1;
            continue;
        }
        if let Some((kind, len, noun)) = role_noun(folded, i, lex) {
            // "The Centers for Disease Control": the noun begins a name,
            // whether or not the name is known ("The League Against Cruel
            // Sports said" names no actor of the article).
            let capital = |k: usize| {
                unit.tokens.get(k).is_some_and(|t| {
                    refs.text
                        .get(t.start..t.end)
                        .is_some_and(|w| w.starts_with(char::is_uppercase))
                })
            };
            // "the management of Halden Group": the company is named.
            let of_named = COMPANY_ORGANS.contains(&noun.as_str())
                && folded.get(i + len).is_some_and(|w| w == "of")
                && capital(i + len + 1);
            let named = mentions.get(next).is_some_and(|m| m.first < i + len)
                || capital(i + len - 1) && capital(i + len)
                || of_named;
            // A company named in the sentence leaves its organ unresolved:
            // "the offer from X was rejected by the board" is not X's board.
            let organ_named_here = |c: &usize| {
                COMPANY_ORGANS.contains(&noun.as_str()) && mentions.iter().any(|m| m.cluster == *c)
            };
            if let Some(c) = salience
                .by_role(kind, &noun, &actors.clusters)
                .filter(|c| !named && !organ_named_here(c))
            {
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
    see_until(
        usize::MAX,
        &mut next,
        salience,
        &mut sentence_other,
        &mut sentence_subjects,
    );
    salience.previous_other = sentence_other;
    salience.previous_subjects = sentence_subjects;
    mentions.extend(added);
    mentions.sort_by_key(|m| m.first);
}

struct Ctx<'a> {
    text: &'a str,
    unit: &'a Unit,
    folded: &'a Folded,
    mentions: &'a [MentionSpan],
    /// For each token, the mention covering it (index into `mentions`).
    mention_of: &'a [Option<u32>],
    clusters: &'a [Cluster],
    lex: &'a Lexicon,
    /// Whether this pass reads cues inside direct quotes.
    quoted: bool,
    /// The quoted speaker, for "we" / "I" inside quotes.
    speaker: Option<usize>,
}

impl Ctx<'_> {
    fn w(&self, i: usize) -> &str {
        self.folded.get(i).unwrap_or("")
    }

    fn before(&self, i: usize, n: usize) -> &str {
        i.checked_sub(n).map_or("", |k| self.w(k))
    }

    fn in_quote(&self, i: usize) -> bool {
        self.unit.token_quoted(i)
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

    fn is_possessive(&self, i: usize) -> bool {
        self.unit
            .tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Possessive)
    }

    fn mention_at(&self, i: usize) -> Option<&MentionSpan> {
        self.mention_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|m| self.mentions.get(m as usize))
    }

    fn surface(&self, a: usize, b: usize) -> String {
        self.text[self.unit.tokens[a].start..self.unit.tokens[b - 1].end].to_owned()
    }

    /// The cue starting at token `i`: its length and data.
    fn cue_at(&self, i: usize) -> Option<(usize, Cue)> {
        if !self.lex.first_words.contains(&self.folded[i]) {
            return None;
        }
        (1..=self.lex.max_cue_tokens.min(self.folded.len() - i))
            .rev()
            .find_map(|n| self.lex.cues.get(&self.folded[i..i + n]).map(|c| (n, *c)))
    }

    fn negated(&self, i: usize) -> bool {
        (i.saturating_sub(3)..i).any(|k| NEGATIONS.contains(&self.w(k)))
    }

    /// Hypothetical, conditional, expected or future: an irrealis word in
    /// the few words before the cue, an "if" earlier in the clause, or an
    /// infinitive not introduced by a completed decision ("decided to").
    fn irrealis(&self, i: usize) -> bool {
        let clause_start = self.clause_start(i);
        // Words inside a quote belong to the quoted speaker's clauses.
        let unquoted = |k: &usize| self.quoted || !self.in_quote(*k);
        if (clause_start..i)
            .filter(unquoted)
            .any(|k| matches!(self.w(k), "if" | "unless" | "whether"))
        {
            return true;
        }
        let mut k = i;
        let mut seen = 0;
        while k > clause_start && seen < 4 {
            k -= 1;
            if self.unit.tokens[k].kind != TokenKind::Word || !unquoted(&k) {
                break;
            }
            seen += 1;
            if self.lex.irrealis.contains(self.w(k)) {
                return true;
            }
        }
        let mut p = i;
        if self.before(p, 1) == "be" {
            p -= 1;
        }
        if self.before(p, 1) == "to" {
            // "decided late Thursday to submit": a completed decision.
            return !(2..=4).any(|n| ACTUALISED.contains(&self.before(p, n)));
        }
        false
    }

    /// Token index where the clause containing token `i` starts.
    fn clause_start(&self, i: usize) -> usize {
        // A clause is looked for within the last 60 tokens: subjects are
        // near their verbs, and the search stays linear on endless sentences.
        let floor = i.saturating_sub(60);
        let mut k = i;
        while k > floor {
            let prev = k - 1;
            if self.is_punct(prev, &[';', ':'])
                || matches!(
                    self.w(prev),
                    "that"
                        | "but"
                        | "while"
                        | "whereas"
                        | "although"
                        | "because"
                        | "after"
                        | "when"
                )
            {
                return k;
            }
            k -= 1;
        }
        floor
    }

    /// Whether a mention can be a subject: not an adjective, not the object
    /// of a preposition, not a possessor of a following noun.
    fn subject_like(&self, m: &MentionSpan) -> bool {
        // "after", "before", "as" also introduce clauses: "after Serbia decided".
        let governed =
            |w: &str| PREPOSITIONS.contains(&w) && !matches!(w, "after" | "before" | "as");
        // "Thousands of protesters demanded": the quantity is not the head.
        let quantity_of =
            self.before(m.first, 1) == "of" && QUANTITIES.contains(&self.before(m.first, 2));
        let after_preposition = !quantity_of && governed(self.before(m.first, 1))
            || self.before(m.first, 1) == "the" && governed(self.before(m.first, 2));
        m.role != MentionRole::Adjective && !after_preposition && !self.is_possessive(m.last)
    }

    /// The subject of the cue at `i`: the nearest subject-like mention to
    /// the left in the clause (skipping quotes), with coordinated partners.
    fn subject_left(&self, i: usize) -> Vec<usize> {
        let start = self.clause_start(i);
        if !self.quoted {
            // "The OAS, which sent 80 observers, is against": a closed
            // relative clause is skipped to its antecedent.
            let mut comma_seen = false;
            for k in (start..i).rev() {
                if self.in_quote(k) {
                    continue;
                }
                if self.is_punct(k, &[',']) {
                    comma_seen = true;
                }
                if comma_seen
                    && matches!(self.w(k), "which" | "who")
                    && k >= 1
                    && self.is_punct(k - 1, &[','])
                {
                    for back in 2..=4 {
                        if let Some(m) = k.checked_sub(back).and_then(|p| self.mention_at(p)) {
                            return vec![m.cluster];
                        }
                    }
                    break;
                }
            }
            // "..., after turning down the offer": a gerund after a
            // subordinator shares the main clause's subject.
            if start == i
                && matches!(
                    self.w(start.wrapping_sub(1)),
                    "after" | "before" | "while" | "by" | "since"
                )
                && start >= 1
            {
                return self.subject_left(start - 1);
            }
        }
        // "Vucic thanked Stoltenberg ... and added": a coordinated verb
        // shares the clause's first subject, not the nearest noun.
        if !self.quoted && self.before(i, 1) == "and" {
            let first = (start..i)
                .filter_map(|k| self.mention_at(k).filter(|m| m.first == k))
                .find(|m| self.subject_like(m) && !self.in_quote(m.first));
            if let Some(m) = first {
                return vec![m.cluster];
            }
        }
        let mut k = i;
        while k > start {
            k -= 1;
            if self.quoted {
                // Inside a quote only an adjacent subject counts: "KFOR
                // calls on", "we urge".
                if !self.in_quote(k) || i - k > 3 {
                    return Vec::new();
                }
                if matches!(self.w(k), "we" | "i") {
                    return self.speaker.into_iter().collect();
                }
            } else if self.in_quote(k) || self.is_quote_mark(k) {
                continue;
            }
            if matches!(self.w(k), "who" | "which") && self.is_punct(k.wrapping_sub(1), &[',']) {
                // "X, who ... said": the antecedent just before the comma.
                let comma = k - 1;
                for back in 1..=3 {
                    if let Some(m) = comma.checked_sub(back).and_then(|p| self.mention_at(p)) {
                        return vec![m.cluster];
                    }
                }
                return Vec::new();
            }
            if let Some(m) = self.mention_at(k) {
                let m = *m;
                k = m.first;
                if !self.subject_like(&m) {
                    continue;
                }
                let mut subjects = vec![m.cluster];
                self.coordinated_left(m.first, &mut subjects);
                return subjects;
            }
        }
        Vec::new()
    }

    /// "Amoco Corp <AN>, ARCO, Exxon Corp and Union Oil had said",
    /// "groups including X, the Y, and Z said": the names of a list that
    /// ends just before the verb at token `v` (auxiliaries and "all"
    /// between), its last two joined by "and" or "or", speak together
    /// when the tree found one of them as the subject (`subjects`): the
    /// parser seldom hangs a long list right. A comma alone before the
    /// last name is no list ("Iran and the US, Russia said").
    fn listed_before(&self, v: usize, subjects: &mut Vec<usize>) {
        let mut end = v;
        while end > 0
            && (matches!(
                self.w(end - 1),
                "have" | "has" | "had" | "all" | "both" | "also" | "each" | "would" | "will"
            ) || self.is_punct(end - 1, &[',']))
        {
            end -= 1;
        }
        let mut items = Vec::new();
        let mut at = end;
        let mut last_joined_by_and = false;
        loop {
            // A stock ticker after a company's name: "Exxon Corp <XON>".
            if at >= 3 && self.w(at - 1) == ">" && self.w(at - 3) == "<" {
                at -= 3;
            }
            let Some(m) = at
                .checked_sub(1)
                .and_then(|k| self.mention_at(k))
                .filter(|m| m.last == at && m.role != MentionRole::Adjective)
            else {
                break;
            };
            if !items.contains(&m.cluster) {
                items.push(m.cluster);
            }
            let mut sep = m.first;
            if sep > 0 && self.w(sep - 1) == "the" {
                sep -= 1;
            }
            let and = sep > 0 && matches!(self.w(sep - 1), "and" | "or");
            if and {
                sep -= 1;
            }
            let comma = sep > 0 && self.is_punct(sep - 1, &[',']);
            if comma {
                sep -= 1;
            }
            if items.len() == 1 {
                last_joined_by_and = and;
            }
            if !(and || comma) || self.in_quote(sep) != self.in_quote(v) {
                break;
            }
            at = sep;
        }
        if items.len() >= 2 && last_joined_by_and && items.iter().any(|c| subjects.contains(c)) {
            for c in items.into_iter().rev() {
                if !subjects.contains(&c) {
                    subjects.push(c);
                }
            }
        }
    }

    fn coordinated_left(&self, first: usize, out: &mut Vec<usize>) {
        let mut at = first;
        while at >= 2 && (self.w(at - 1) == "and" || self.is_punct(at - 1, &[','])) {
            match self.mention_at(at - 2) {
                Some(m) if m.role != MentionRole::Adjective && !out.contains(&m.cluster) => {
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
            // "said Mr. Jebens": the period of a title ends nothing.
            let title_period = || crate::text::abbreviation_period(self.text, &self.unit.tokens, k);
            if self.is_punct(k, &['.', ';', ':', '!', '?']) && !title_period()
                || self.is_quote_mark(k)
            {
                break;
            }
            if let Some(m) = self.mention_at(k) {
                if m.role == MentionRole::Adjective && !allow_adjective {
                    k = m.last;
                    words += 1;
                    continue;
                }
                // "said Knights of Columbus chief Carl Anderson": a body
                // named before a person's title names the person's
                // employer; the person speaks.
                if let Some(p) = self.person_after_title(m.last) {
                    return vec![p];
                }
                let mut out = vec![m.cluster];
                let mut at = m.last;
                while at < self.folded.len() && (self.w(at) == "and" || self.is_punct(at, &[','])) {
                    let next = if self.w(at + 1) == "the" {
                        at + 2
                    } else {
                        at + 1
                    };
                    match self.mention_at(next) {
                        Some(n) if n.first == next && !out.contains(&n.cluster) => {
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

    /// The person named right after a title that starts at token `k`
    /// (after a possessive "'s"): up to six words, one of them a title or
    /// a noun for a person's role, then a person's name ("Knights of
    /// Columbus chief Carl Anders", "UK Chancellor of the Exchequer Gordon
    /// Brown", "the company's chief executive Tom Baxter").
    fn person_after_title(&self, k: usize) -> Option<usize> {
        let start = k + usize::from(matches!(self.w(k), "'s" | "\u{2019}s"));
        let title = |j: usize| {
            let w = self.w(j);
            self.lex.titles.contains_key(w) || self.lex.role_nouns.contains_key(w)
        };
        let mut titled = false;
        for j in start..start + 7 {
            if let Some(p) = self.mention_at(j) {
                let person = self.clusters[p.cluster].kind == ActorKind::Person;
                // A title may open the person's own mention.
                return (p.first == j && person && (titled || title(j))).then_some(p.cluster);
            }
            let t = self
                .unit
                .tokens
                .get(j)
                .filter(|t| t.kind == TokenKind::Word)?;
            // Only the words of a title: capitalised ones, "of", "the",
            // and lower-case ones before a title ("press secretary"),
            // never a verb ("says the pope").
            let capitalised = self
                .text
                .get(t.start..t.end)
                .is_some_and(|w| w.starts_with(char::is_uppercase));
            let before_title = (j..j + 3).any(title);
            if self.lex.cues.contains_key(self.w(j))
                || !capitalised && !matches!(self.w(j), "of" | "the" | "for") && !before_title
            {
                return None;
            }
            titled |= title(j);
        }
        None
    }

    /// Text of the thing requested or rejected after token `i`, up to the
    /// end of the clause (at most 20 words).
    fn label_after(&self, i: usize) -> Option<String> {
        let mut k = i;
        while k < self.folded.len() && matches!(self.w(k), "that" | "on" | "for" | "to" | "upon") {
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
        (k > start).then(|| self.surface(start, k))
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
        cue: String,
    ) {
        for &s in subjects {
            let objs: Vec<Option<usize>> = if objects.is_empty() {
                vec![None]
            } else {
                objects.iter().map(|o| Some(*o)).collect()
            };
            for o in objs {
                out.push(Found {
                    kind,
                    subject: s,
                    object: o.filter(|o| *o != s),
                    unit,
                    event_label: label.clone(),
                    refers_to_request: refers,
                    cue: cue.clone(),
                    nominal: false,
                    // Both set by `find_relations`, which knows which
                    // construction ran and what the sentence names.
                    construction: Construction::PatternVerb,
                    resolution: Resolution::Named,
                });
            }
        }
    }

    fn cue_verbs(&self, u: usize, out: &mut Vec<Found>) {
        let mut i = 0;
        while i < self.folded.len() {
            if self.unit.tokens[i].kind != TokenKind::Word
                || self.in_quote(i) != self.quoted
                || self.mention_at(i).is_some()
            {
                i += 1;
                continue;
            }
            // A capitalised cue word inside a sentence is part of a name.
            let capitalised =
                self.text[self.unit.tokens[i].start..].starts_with(char::is_uppercase);
            let against = self.be_against(i);
            let cue = if capitalised && i > 0 {
                None
            } else {
                self.cue_at(i).or(against)
            };
            let Some((len, cue)) = cue else {
                i += 1;
                continue;
            };
            let end = i + len;
            let cue_text = self.surface(i, end);
            i = end;
            let start = end - len;
            let negated = self.negated(start);
            let (kind, ok) = match cue.frame {
                Frame::Negated => (RelationKind::Rejected, negated),
                // Directives need the tree to find their infinitive, and
                // owned frames to find whose the thing acted on is.
                Frame::Directive | Frame::Owned => (cue.relation, false),
                _ => (cue.relation, !negated),
            };
            // A noun reading ("the request", "under pressure", "its call")
            // is left to the cue-noun rules.
            let prev = self.before(start, 1);
            // ... or after an adjective ("a formal request") or another
            // cue verb ("rejected calls for talks").
            let noun_reading = DETERMINERS.contains(&prev)
                || PREPOSITIONS.contains(&prev) && prev != "to"
                || self.is_possessive(start.wrapping_sub(1))
                || NOUN_ADJECTIVES.contains(&prev)
                || start >= 1 && self.cue_at(start - 1).is_some_and(|(n, _)| n == 1);
            if !ok || noun_reading || self.irrealis(start) || self.reported_content(start) {
                continue;
            }
            // Passive: "was rejected by X"; without an agent, nobody to name.
            let be_before = BE.contains(&prev)
                || prev.ends_with("ly") && BE.contains(&self.before(start, 2))
                || prev == "also" && BE.contains(&self.before(start, 2));
            if be_before && against.is_none() {
                if self.w(end) == "by" {
                    let agents = self.prefer_person(end + 1, self.actors_right(end + 1, 12, false));
                    if !agents.is_empty() {
                        let objects = if kind == RelationKind::Said {
                            Vec::new()
                        } else {
                            self.patient_owner(start)
                        };
                        self.push(out, u, kind, &agents, &objects, None, false, cue_text);
                    }
                }
                continue;
            }
            if kind == RelationKind::Said
                && SPEECH_OR_ACT.iter().any(|p| self.w(start).starts_with(p))
                && self.w(end) != "that"
                && (DETERMINERS.contains(&self.w(end))
                    || self.unit.tokens.get(end).is_some_and(|t| {
                        t.kind == TokenKind::Word
                            && !matches!(
                                self.w(end),
                                "that"
                                    | "on"
                                    | "in"
                                    | "at"
                                    | "late"
                                    | "earlier"
                                    | "yesterday"
                                    | "today"
                                    | "last"
                                    | "this"
                            )
                    }))
            {
                continue;
            }
            let mut subjects = self.subject_left(start);
            if subjects.is_empty() && kind == RelationKind::Said && !self.quoted {
                // Inverted attribution: '..." said Vucic', 'emphasized
                // representatives from the mission'.
                subjects = self.actors_right(end, 6, false);
            }
            if subjects.is_empty() {
                continue;
            }
            let (objects, label) = match cue.frame {
                Frame::Addressee => {
                    let mut skip = end;
                    while matches!(
                        self.w(skip),
                        "the" | "all" | "both" | "on" | "to" | "with" | "upon"
                    ) || (skip < end + 4
                        && self.mention_at(skip).is_none()
                        && self.lex.titles.contains_key(self.w(skip)))
                    {
                        skip += 1;
                    }
                    match self.mention_at(skip) {
                        Some(m) if m.role != MentionRole::Adjective => {
                            let objects = self.actors_right(skip, 1, false);
                            let mut after = m.last;
                            while let Some(n) = self
                                .mention_at(after + 1)
                                .filter(|_| self.w(after) == "and" || self.is_punct(after, &[',']))
                            {
                                after = n.last;
                            }
                            (objects, self.label_after(after))
                        }
                        _ => (Vec::new(), self.label_after(end)),
                    }
                }
                Frame::Object | Frame::Negated | Frame::Directive | Frame::Owned => {
                    let objects = if kind == RelationKind::Rejected {
                        // "denied reports that the fund ...": the content of
                        // the complement is not the rejected party.
                        let until_that = (end..self.folded.len().min(end + 10))
                            .find(|&k| self.w(k) == "that")
                            .map_or(10, |k| k - end);
                        self.rejected_party(end, until_that)
                    } else if self.w(end) == "that" {
                        // "requested that the commission resume talks"
                        let mut at = end + 1;
                        while at < end + 4
                            && self.mention_at(at).is_none()
                            && (self.w(at) == "the" || self.lex.titles.contains_key(self.w(at)))
                        {
                            at += 1;
                        }
                        self.actors_right(at, 1, false)
                    } else {
                        self.source_actor(end)
                    };
                    (objects, self.label_after(end))
                }
                Frame::Intransitive | Frame::Content => {
                    if kind == RelationKind::Rejected {
                        // "is categorically against the return of Serbian forces"
                        (self.rejected_party(end, 10), self.label_after(end))
                    } else if kind == RelationKind::Said && self.w(end) == "to" {
                        // "spoke to Y", "wrote to Y"
                        (self.actors_right(end + 1, 2, false), None)
                    } else {
                        (Vec::new(), None)
                    }
                }
            };
            let request_noun = |k: usize| {
                matches!(
                    self.w(k),
                    "request"
                        | "requests"
                        | "demand"
                        | "demands"
                        | "appeal"
                        | "call"
                        | "proposal"
                        | "plea"
                )
            };
            let refers = matches!(self.w(end), "the" | "that" | "this") && request_noun(end + 1)
                || self.is_possessive(end + 1) && request_noun(end + 2);
            // Objects a sentence names outside the verb phrase: "In a letter
            // to X, Y wrote", "Addressing X, Y said"; "Y refused ..., as
            // demanded by X".
            let objects = if objects.is_empty() {
                match kind {
                    RelationKind::Said => self.framing_addressee(start),
                    RelationKind::Rejected => self.demanded_by(end),
                    RelationKind::Requested => objects,
                }
            } else {
                objects
            };
            let label = if kind == RelationKind::Said {
                None
            } else {
                label
            };
            self.push(out, u, kind, &subjects, &objects, label, refers, cue_text);
        }
    }

    /// "is (categorically) against": a rejection without a verb.
    fn be_against(&self, i: usize) -> Option<(usize, Cue)> {
        let after_be = BE.contains(&self.before(i, 1))
            || self.before(i, 1).ends_with("ly") && BE.contains(&self.before(i, 2));
        (self.w(i) == "against" && after_be).then_some((
            1,
            Cue {
                relation: RelationKind::Rejected,
                frame: Frame::Intransitive,
            },
        ))
    }

    /// Whose thing is rejected: the owner of "X's offer" first, else the
    /// first actor named or implied by an adjective ("Serbian forces").
    fn rejected_party(&self, i: usize, window: usize) -> Vec<usize> {
        let end = (i + window).min(self.folded.len());
        let stop = (i..end)
            .find(|&k| self.is_punct(k, &['.', ';', ':', '!', '?']) || self.is_quote_mark(k))
            .unwrap_or(end);
        let owner = (i..stop).find_map(|k| {
            self.mention_at(k).filter(|m| {
                m.first == k && m.role != MentionRole::Adjective && self.is_possessive(m.last)
            })
        });
        if let Some(m) = owner {
            return vec![m.cluster];
        }
        self.actors_right(i, stop - i, true)
    }

    /// "In a letter to X, Y wrote ...", "Addressing X, Y said ...": the
    /// addressee named in a framing phrase before the speaker.
    fn framing_addressee(&self, cue: usize) -> Vec<usize> {
        let frame_end = match (self.w(0), self.w(1), self.w(2), self.w(3)) {
            ("addressing" | "writing", _, _, _) => Some(1),
            (
                "in",
                "a" | "his" | "her" | "its" | "their",
                "letter" | "message" | "statement" | "speech",
                "to",
            ) => Some(4),
            _ => None,
        };
        let Some(at) = frame_end.filter(|&at| at < cue) else {
            return Vec::new();
        };
        let at = if self.w(at) == "to" { at + 1 } else { at };
        let at = if self.w(at) == "the" { at + 1 } else { at };
        match self.mention_at(at) {
            Some(m) if m.role != MentionRole::Adjective && m.last <= cue => vec![m.cluster],
            _ => Vec::new(),
        }
    }

    /// "..., as demanded by X": the party whose demand is refused.
    fn demanded_by(&self, from: usize) -> Vec<usize> {
        let end = (from + 30).min(self.folded.len());
        (from..end.saturating_sub(3))
            .find(|&k| {
                self.w(k) == "as"
                    && matches!(
                        self.w(k + 1),
                        "demanded" | "requested" | "proposed" | "sought" | "asked"
                    )
                    && self.w(k + 2) == "by"
            })
            .map(|k| self.actors_right(k + 3, 3, false))
            .unwrap_or_default()
    }

    /// The owner of a passive's patient: "a plan drawn up by the AU was
    /// rejected" -> the AU; "Serbia's request was rejected" -> Serbia.
    fn patient_owner(&self, i: usize) -> Vec<usize> {
        let start = self.clause_start(i);
        (start..i)
            .rev()
            .filter(|k| !self.in_quote(*k))
            .find_map(|k| self.mention_at(k))
            .map(|m| vec![m.cluster])
            .unwrap_or_default()
    }

    /// "denied reports that X demanded ...": a cue inside the content of
    /// reports, claims or accusations is not asserted by the text.
    fn reported_content(&self, i: usize) -> bool {
        let start = self.clause_start(i);
        start >= 1
            && self.w(start - 1) == "that"
            && (start.saturating_sub(4)..start - 1).any(|k| {
                matches!(
                    self.w(k),
                    "reports"
                        | "report"
                        | "claims"
                        | "claim"
                        | "allegations"
                        | "accusations"
                        | "suggestions"
                        | "rumours"
                        | "rumors"
                        | "speculation"
                        | "suggestion"
                )
            })
    }

    /// "by the Secretary General of the alliance, Jens Stoltenberg": the
    /// named person in the agent phrase wins over the body.
    fn prefer_person(&self, from: usize, agents: Vec<usize>) -> Vec<usize> {
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

    /// "the request of X for Y", "X's request to Y", "submitted a request
    /// to Y", "received a request from X".
    fn cue_nouns(&self, u: usize, out: &mut Vec<Found>) {
        for i in 0..self.folded.len() {
            let Some(&kind) = self.lex.cue_nouns.get(self.w(i)) else {
                continue;
            };
            if kind != RelationKind::Requested || self.in_quote(i) || self.mention_at(i).is_some() {
                continue;
            }
            let prev = self.before(i, 1);
            let nominal = DETERMINERS.contains(&prev)
                || matches!(
                    prev,
                    "formal" | "written" | "official" | "new" | "urgent" | "fresh" | "repeated"
                )
                || self.is_possessive(i.wrapping_sub(1))
                || self
                    .mention_at(i.wrapping_sub(1))
                    .is_some_and(|m| m.role == MentionRole::Adjective);
            if !nominal {
                continue;
            }
            let cue_text = self.surface(i, i + 1);
            // Requester: "request of/from/by X", "X's request", "Serbian request".
            let mut requester: Vec<usize> = Vec::new();
            if matches!(self.w(i + 1), "of" | "from" | "by") {
                let at = if self.w(i + 2) == "the" { i + 3 } else { i + 2 };
                if let Some(m) = self
                    .mention_at(at)
                    .filter(|m| m.role != MentionRole::Adjective)
                {
                    requester = vec![m.cluster];
                }
            }
            if requester.is_empty() && self.is_possessive(i.wrapping_sub(1)) {
                if let Some(m) = self.mention_at(i.wrapping_sub(2)) {
                    requester = vec![m.cluster];
                }
            }
            if requester.is_empty() {
                if let Some(m) = self.mention_at(i.wrapping_sub(1)) {
                    requester = vec![m.cluster];
                }
            }
            // Addressee: "to Y" in the noun phrase (before its "for" part).
            let mut addressee: Vec<usize> = Vec::new();
            let mut k = i + 1;
            while k < self.folded.len()
                && k < i + 14
                && !self.is_punct(k, &['.', ';', ','])
                && self.w(k) != "for"
            {
                if self.w(k) == "to" {
                    let at = if self.w(k + 1) == "the" { k + 2 } else { k + 1 };
                    if let Some(m) = self
                        .mention_at(at)
                        .filter(|m| m.role == MentionRole::Name || m.role == MentionRole::Pronoun)
                    {
                        addressee = vec![m.cluster];
                    }
                    break;
                }
                k += 1;
            }
            // The verb governing the noun phrase: skip back over its
            // determiners, adjectives and possessor ("rejected the Azerbaijani
            // government's request").
            let mut g = i;
            let mut steps = 0;
            while g > 0 && steps < 8 {
                let k = g - 1;
                let in_np = DETERMINERS.contains(&self.w(k))
                    || self.is_possessive(k)
                    || self.mention_at(k).is_some()
                    || matches!(
                        self.w(k),
                        "formal"
                            | "written"
                            | "official"
                            | "new"
                            | "urgent"
                            | "fresh"
                            | "repeated"
                            | "latest"
                            | "earlier"
                    )
                    || self.lex.titles.contains_key(self.w(k));
                if !in_np {
                    break;
                }
                g = k;
                steps += 1;
            }
            let governing = g
                .checked_sub(1)
                .filter(|k| self.unit.tokens[*k].kind == TokenKind::Word);
            // "Wilson may reject Rojas' proposal": a request only mentioned
            // under a modal or condition is still reported, not denied, but
            // the sentence asserts nothing about it.
            if governing.is_some_and(|v| self.irrealis(v)) {
                continue;
            }
            if requester.is_empty() {
                // "X submitted a request to Y"
                let Some(v) = governing.filter(|&v| SUBMIT.contains(&self.w(v))) else {
                    continue;
                };
                if self.irrealis(v) || self.negated(v) {
                    continue;
                }
                requester = self.subject_left(v);
            } else if addressee.is_empty() {
                // "KFOR received / reacted to the request of X": the clause
                // subject is the addressee.
                let receiver = governing
                    .map(|v| {
                        if self.w(v) == "to" {
                            v.saturating_sub(1)
                        } else {
                            v
                        }
                    })
                    .filter(|&v| {
                        RECEIVE.contains(&self.w(v))
                            || self
                                .cue_at(v)
                                .is_some_and(|(_, c)| c.relation == RelationKind::Rejected)
                    });
                if let Some(v) = receiver {
                    addressee = self
                        .subject_left(v)
                        .into_iter()
                        .filter(|s| !requester.contains(s))
                        .take(1)
                        .collect();
                }
            }
            if requester.is_empty() {
                continue;
            }
            let mut k = i + 1;
            while k < self.folded.len()
                && k < i + 12
                && self.w(k) != "for"
                && !self.is_punct(k, &['.', ';', ','])
            {
                k += 1;
            }
            let label = (self.w(k) == "for")
                .then(|| self.label_after(k + 1))
                .flatten();
            self.push(
                out,
                u,
                RelationKind::Requested,
                &requester,
                &addressee,
                label,
                false,
                cue_text,
            );
        }
    }

    /// "Pence: Flowers won't be at debate", transcripts' "WALLACE: Let's
    /// start": a person's name opening a line, then a colon and what they
    /// said (three words at least).
    fn colon_speaker(&self, u: usize, out: &mut Vec<Found>) {
        let start = usize::from(self.is_quote_mark(0));
        let Some(m) = self.mention_at(start).filter(|m| m.first == start) else {
            return;
        };
        let words_after = self.unit.tokens[m.last..]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .count();
        if m.role == MentionRole::Name
            && self.clusters[m.cluster].kind == ActorKind::Person
            && self.is_punct(m.last, &[':'])
            && words_after >= 3
        {
            self.said_by(out, u, m.cluster, ":");
        }
    }

    /// A statement by `speaker` to nobody in particular.
    fn said_by(&self, out: &mut Vec<Found>, u: usize, speaker: usize, cue: &str) {
        self.push(
            out,
            u,
            RelationKind::Said,
            &[speaker],
            &[],
            None,
            false,
            cue.into(),
        );
    }

    /// "according to X" -> X said.
    fn according_to(&self, u: usize, out: &mut Vec<Found>) {
        for i in 0..self.folded.len().saturating_sub(2) {
            if self.w(i) == "according" && self.w(i + 1) == "to" && !self.in_quote(i) {
                let speakers = self.actors_right(i + 2, 3, false);
                if let Some(&s) = speakers.first() {
                    self.said_by(out, u, s, "according to");
                }
            }
        }
    }
}
