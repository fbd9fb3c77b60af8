#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub mod calendar;
pub mod confidence;
mod ids;
pub mod read;

pub use confidence::Confidence;
pub use ids::{ActorId, DocumentId, EventId, ParseIdError, RelationId};

/// Folds a name for comparison: NFKD, combining marks dropped, lower-cased,
/// typographic apostrophes mapped to `'`, whitespace runs collapsed.
///
/// This is the same folding the evaluation uses, so two surface forms that
/// fold alike are the same name everywhere in newsgraph.
pub fn fold(name: &str) -> String {
    if name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        // The common case (one ASCII word) needs no normalisation.
        return name.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
            // Letters NFKD does not decompose but readers treat as their base.
            'đ' | 'Đ' => 'd',
            'ł' | 'Ł' => 'l',
            'ø' | 'Ø' => 'o',
            'ß' => {
                out.push_str("ss");
                continue;
            }
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    out
}

/// Hashes parts into a stable 64-bit id (the first 8 bytes of SHA-256 over
/// the parts, each terminated by 0xFF so that ("ab","c") != ("a","bc")).
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
        hasher.update([0xFF]);
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// The SHA-256 of an article's text, as lowercase hex.
pub fn content_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// What kind of participant an actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActorKind {
    /// A named person.
    Person,
    /// A named organization, institution, company, party or body.
    Organization,
    /// A country or its government.
    Country,
    /// A collective of people ("protesters", "Serbs in northern Kosovo").
    Group,
}

impl ActorKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ActorKind; 4] = [
        ActorKind::Person,
        ActorKind::Organization,
        ActorKind::Country,
        ActorKind::Group,
    ];

    /// The lowercase name used in exports (`person`, `organization`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::Organization => "organization",
            ActorKind::Country => "country",
            ActorKind::Group => "group",
        }
    }
}

/// What a relation asserts about its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelationKind {
    /// The subject made a public statement (to the object, if named).
    Said,
    /// The subject asked, urged or demanded something of the object.
    Requested,
    /// The subject refused, rejected or opposed something of the object.
    Rejected,
}

impl RelationKind {
    /// Every kind, in a fixed order.
    pub const ALL: [RelationKind; 3] = [
        RelationKind::Said,
        RelationKind::Requested,
        RelationKind::Rejected,
    ];

    /// The lowercase name used in exports (`said`, `requested`, `rejected`).
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Said => "said",
            RelationKind::Requested => "requested",
            RelationKind::Rejected => "rejected",
        }
    }
}

/// Error for a kind name that is not one of the known kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown kind '{}'", self.0)
    }
}

impl std::error::Error for UnknownKind {}

impl FromStr for ActorKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActorKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

impl FromStr for RelationKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RelationKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// One ingested article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id, derived from the file name.
    pub id: DocumentId,
    /// The article's file name as ingested (no directory).
    pub file: String,
    /// The headline (first content line).
    pub title: String,
    /// The outlet, when the text names it ("Source: ...").
    pub source: Option<String>,
    /// Publication date (YYYY-MM-DD), when the text gives one.
    pub published: Option<String>,
    /// SHA-256 of the text, lowercase hex.
    pub sha256: String,
    /// Length of the text in bytes.
    pub bytes: u64,
    /// Where the article was published, when its feed gives it.
    pub url: Option<String>,
    /// Who wrote it, when its feed gives it.
    pub author: Option<String>,
}

impl Document {
    /// The id a document with this file name gets.
    pub fn id_for_file(file: &str) -> DocumentId {
        DocumentId(stable_hash(&[b"document", file.as_bytes()]))
    }
}

/// A participant: a person, organization, country or group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Stable id, derived from the folded canonical name.
    pub id: ActorId,
    /// Canonical name ("Aleksandar Vucic", "NATO", "Serbia").
    pub name: String,
    /// What kind of actor this is.
    pub kind: ActorKind,
    /// Other surface forms seen for this actor, sorted, without the name.
    pub aliases: Vec<String>,
}

impl Actor {
    /// The id an actor with this canonical name gets.
    pub fn id_for_name(name: &str) -> ActorId {
        ActorId(stable_hash(&[b"actor", fold(name).as_bytes()]))
    }

    /// The name followed by the aliases.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Something requested, rejected or stated: "the return of up to 1,000
/// Serbian security forces to Kosovo".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id, derived from the document and the event's position in it.
    pub id: EventId,
    /// The kind of relation that introduced the event.
    pub kind: RelationKind,
    /// A short label taken from the text.
    pub label: String,
    /// The date of the event (YYYY-MM-DD), when the text gives one.
    pub date: Option<String>,
    /// The document that reports it.
    pub document: DocumentId,
}

impl EventId {
    /// The id of the `n`th event (from 0) a document reports.
    pub fn nth_of(document: DocumentId, n: usize) -> EventId {
        EventId(stable_hash(&[
            b"event",
            &document.to_be_bytes(),
            &(n as u64).to_be_bytes(),
        ]))
    }
}

impl RelationId {
    /// The id of the `n`th relation (from 0) a document supports.
    pub fn nth_of(document: DocumentId, n: usize) -> RelationId {
        RelationId(stable_hash(&[
            b"relation",
            &document.to_be_bytes(),
            &(n as u64).to_be_bytes(),
        ]))
    }
}

/// A byte range `[start, end)` in a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// The text that supports a relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The whole sentence, exactly as in the text.
    pub sentence: String,
    /// Where the sentence is in the document's text.
    pub span: Span,
}

/// A said / requested / rejected relation between actors, traced to a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Stable id, derived from the document and the relation's position in it.
    pub id: RelationId,
    /// What the relation asserts.
    pub kind: RelationKind,
    /// Who said, requested or rejected.
    pub subject: ActorId,
    /// Who was addressed, asked or rejected, when the text names them.
    pub object: Option<ActorId>,
    /// The thing requested or rejected, when the text names it.
    pub event: Option<EventId>,
    /// The document the evidence comes from.
    pub document: DocumentId,
    /// The supporting sentence.
    pub evidence: Evidence,
    /// The quoted words, exactly as in the text, when the relation is a quote.
    pub quote: Option<String>,
    /// How sure extraction is of it (see [`confidence`]).
    pub confidence: Confidence,
}

/// An actor as one document saw it: the name and kind it gives, and the
/// surface forms it uses. The global [`Actor`] merges these over documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The actor.
    pub actor: ActorId,
    /// The canonical name this document gives.
    pub name: String,
    /// The kind this document gives.
    pub kind: ActorKind,
    /// Surface forms used in this document, without the name.
    pub aliases: Vec<String>,
}

impl Mention {
    /// The actor as this one document saw it.
    pub fn to_actor(&self) -> Actor {
        Actor {
            id: self.actor,
            name: self.name.clone(),
            kind: self.kind,
            aliases: self.aliases.clone(),
        }
    }
}

/// Everything one article contributes to the graph: written and replaced
/// as one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentGraph {
    /// The document.
    pub document: Document,
    /// The actors it mentions (every relation endpoint is among them).
    pub mentions: Vec<Mention>,
    /// The events it reports.
    pub events: Vec<Event>,
    /// The relations it supports.
    pub relations: Vec<Relation>,
}

/// Merges actor views (the same id seen in several documents) into one
/// actor: the most frequent name wins (ties: the longest, then the
/// smallest), kinds likewise, and every other form becomes an alias.
pub fn merge_mentions<'a>(mentions: impl IntoIterator<Item = &'a Mention>) -> Option<Actor> {
    let mut names: Vec<&str> = Vec::new();
    let mut kinds: Vec<ActorKind> = Vec::new();
    let mut forms: Vec<&str> = Vec::new();
    let mut id = None;
    for m in mentions {
        id = Some(m.actor);
        names.push(&m.name);
        kinds.push(m.kind);
        forms.push(&m.name);
        forms.extend(m.aliases.iter().map(String::as_str));
    }
    let id = id?;
    let name = most_common(&names, |a, b| a.len().cmp(&b.len()).then(b.cmp(a)))?.to_owned();
    let kind = most_common(&kinds, |a, b| b.cmp(a))?;
    let mut aliases: Vec<String> = forms
        .into_iter()
        .filter(|f| *f != name)
        .map(str::to_owned)
        .collect();
    aliases.sort();
    aliases.dedup();
    Some(Actor {
        id,
        name,
        kind,
        aliases,
    })
}

fn most_common<T: Copy + Eq>(
    items: &[T],
    tie_break: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Option<T> {
    let mut best: Option<(T, usize)> = None;
    for item in items {
        let count = items.iter().filter(|x| *x == item).count();
        best = match best {
            Some((b, c)) if c > count || (c == count && tie_break(&b, item).is_ge()) => {
                Some((b, c))
            }
            _ => Some((*item, count)),
        };
    }
    best.map(|(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics_case_and_extra_space() {
        assert_eq!(fold("  Aleksandar   Vučić "), "aleksandar vucic");
        assert_eq!(fold("Miloš Vučević"), fold("Milos Vucevic"));
        assert_eq!(fold("Netanyahu’s office"), "netanyahu's office");
        assert_eq!(fold("Đukanović"), "dukanovic");
    }

    #[test]
    fn actor_ids_agree_across_spellings() {
        assert_eq!(
            Actor::id_for_name("Aleksandar Vučić"),
            Actor::id_for_name("aleksandar vucic")
        );
        assert_ne!(Actor::id_for_name("Serbia"), Actor::id_for_name("Kosovo"));
    }

    #[test]
    fn stable_hash_separates_parts() {
        assert_ne!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"a", b"bc"]));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in ActorKind::ALL {
            assert_eq!(k.as_str().parse::<ActorKind>(), Ok(k));
        }
        for k in RelationKind::ALL {
            assert_eq!(k.as_str().to_uppercase().parse::<RelationKind>(), Ok(k));
        }
        assert!("monster".parse::<ActorKind>().is_err());
    }

    #[test]
    fn merge_prefers_the_most_frequent_name_and_keeps_every_form() {
        let id = Actor::id_for_name("Aleksandar Vucic");
        let m = |name: &str, aliases: &[&str]| Mention {
            actor: id,
            name: name.into(),
            kind: ActorKind::Person,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        };
        let a = m("Aleksandar Vucic", &["Vucic"]);
        let b = m("Aleksandar Vučić", &["Vučić"]);
        let c = m("Aleksandar Vucic", &[]);
        let merged = merge_mentions([&a, &b, &c]).unwrap();
        assert_eq!(merged.name, "Aleksandar Vucic");
        assert_eq!(merged.aliases, vec!["Aleksandar Vučić", "Vucic", "Vučić"]);
        assert!(merge_mentions(std::iter::empty()).is_none());
    }

    #[test]
    fn content_hash_is_hex_sha256() {
        assert_eq!(
            content_sha256(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
