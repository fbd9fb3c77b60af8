//! Language knowledge, loaded once from the data files in `data/`.
//!
//! Every table is a versioned text file compiled into the binary with
//! `include_str!`; the header of each file says where its facts come from.
//! Lookups are by folded (lowercase, diacritic-free) token sequences, so a
//! sentence is matched with a handful of hash probes per token.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use newsgraph_model::{ActorKind, RelationKind};

use crate::hash::{FastMap, FastSet};
use crate::text::fold;

/// How a cue verb relates its subject to what follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// Speaker only ("said", "stressed").
    Intransitive,
    /// Speaker only, and a statement only with something said: a clause,
    /// a quote or a colon ("added that ...", but not "adding to her lead";
    /// "maintained that ...", but not "maintains a lead").
    Content,
    /// The next actor is the addressee ("told Y", "urged Y", "called on Y").
    Addressee,
    /// The next noun phrase is the thing acted on ("rejected X's request").
    Object,
    /// A request only with an addressee and an infinitive ("ordered the
    /// troops to withdraw", "counselled Beijing to use restraint").
    Directive,
    /// Counts only when negated ("did not recognize").
    Negated,
    /// The thing acted on, and a relation only when it is someone's or
    /// someone: "blocked Obama's plan", "blocked the deal sought by X",
    /// not "blocked the road" (a verb with a physical sense too).
    Owned,
}

/// A verb (or multiword verb) that signals a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    /// The relation it signals.
    pub relation: RelationKind,
    /// How its arguments are found.
    pub frame: Frame,
}

/// A known named entity (country or organization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: ActorKind,
    /// Nouns the press uses for it ("alliance", "mission", "bloc").
    pub descriptors: Vec<String>,
}

/// How a gazetteer form refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormRole {
    /// The name or an alias ("Serbia", "NATO").
    Name,
    /// A capital used as a metonym ("Belgrade").
    Capital,
    /// An adjective ("Serbian").
    Adjective,
    /// The nation's people ("Serbs").
    People,
}

/// All loaded tables.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Entities by index.
    pub entities: Vec<Entity>,
    /// Folded token sequence -> (entity index, role, written in capitals).
    /// Forms written in capitals ("WHO", "OLAF") only match capitals.
    pub forms: FastMap<String, (usize, FormRole, bool)>,
    /// Longest form, in tokens.
    pub max_form_tokens: usize,
    /// Folded cue form (words joined by one space) -> cue.
    pub cues: FastMap<String, Cue>,
    /// Longest cue, in tokens.
    pub max_cue_tokens: usize,
    /// Folded noun -> relation ("request" -> requested).
    pub cue_nouns: FastMap<String, RelationKind>,
    /// Folded titles ("prime minister") -> is an honorific.
    pub titles: FastMap<String, bool>,
    /// Longest title, in tokens.
    pub max_title_tokens: usize,
    /// Lowercase common words that are not names when capitalised.
    pub common: FastSet<String>,
    /// Collective nouns -> whether they denote an authority (government).
    pub groups: FastMap<String, bool>,
    /// The group nouns (not authorities) of six bytes or more, which also
    /// name a group as the end of a compound ("dockworkers").
    pub group_suffixes: FastSet<String>,
    /// Longest of `group_suffixes`, in bytes.
    pub max_group_suffix: usize,
    /// Folded outlet names (sources, not actors).
    pub outlets: FastSet<String>,
    /// Head words that make a capitalised run an organization.
    pub org_heads: FastSet<String>,
    /// Head word -> the noun used for such a body later ("foods" -> "company").
    pub head_descriptors: FastMap<String, String>,
    /// Lowercase state-body nouns ("police", "armed forces").
    pub state_bodies: FastSet<String>,
    /// Given names.
    pub given_names: FastSet<String>,
    /// Folded given names of one gender (`true`: female), for "he"/"she".
    pub genders: FastMap<String, bool>,
    /// Role nouns for "the mission", "the minister" -> the kind they refer to.
    pub role_nouns: FastMap<String, ActorKind>,
    /// Words that make a cue hypothetical, modal or future.
    pub irrealis: FastSet<String>,
    /// Lowercase line prefixes / phrases that mark boilerplate lines.
    pub boilerplate: Boilerplate,
    /// Lines of the data files that could not be read (none in the
    /// tables shipped, which a test checks).
    pub errors: Vec<LexiconError>,
    /// First words of gazetteer forms, titles and cues: a token that is
    /// none of these cannot start a match, so no longer keys are built.
    pub first_words: FastSet<String>,
}

/// The boilerplate entries (lowercase), grouped by how they match a line.
#[derive(Debug, Default)]
pub struct Boilerplate {
    /// Labels ("source:", "photo:"): a line starting with one is furniture
    /// at any length.
    pub labels: Vec<String>,
    /// Phrases ("read more"): a short line starting with one as whole words.
    pub phrases: Vec<String>,
    /// Globs with `*` ("page * of *") that do not start with `*`, or have
    /// no literal part.
    pub anchored: Vec<String>,
    /// Globs that start with `*` and have a literal part ("*getty images*").
    pub floating: Vec<String>,
    /// The first literal of every floating glob: a line that contains none
    /// of them matches none of those globs, and one scan tells. `None` when
    /// the automaton could not be built (then every glob is tried).
    pub floating_literals: Option<AhoCorasick>,
}

impl Boilerplate {
    fn new(entries: impl Iterator<Item = String>) -> Boilerplate {
        let mut b = Boilerplate::default();
        let mut literals = Vec::new();
        for entry in entries {
            if entry.contains('*') {
                match entry.split('*').find(|p| !p.is_empty()) {
                    Some(first) if entry.starts_with('*') => {
                        literals.push(first.to_owned());
                        b.floating.push(entry);
                    }
                    _ => b.anchored.push(entry),
                }
            } else if entry.ends_with(':') {
                b.labels.push(entry);
            } else {
                b.phrases.push(entry);
            }
        }
        b.floating_literals = AhoCorasick::new(&literals).ok();
        b
    }
}

/// A line of a data file that does not say what its format says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table} line {line}: {message}")]
pub struct LexiconError {
    /// Which table ("said.tsv").
    pub table: &'static str,
    /// The line number (1-based).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::str::FromStr for Frame {
    type Err = String;

    fn from_str(s: &str) -> Result<Frame, String> {
        Ok(match s {
            "intransitive" => Frame::Intransitive,
            "content" => Frame::Content,
            "addressee" => Frame::Addressee,
            "object" => Frame::Object,
            "negated" => Frame::Negated,
            "directive" => Frame::Directive,
            "owned" => Frame::Owned,
            other => {
                return Err(format!(
                    "unknown frame {other:?} (expected intransitive, content, addressee, object, negated, directive or owned)"
                ))
            }
        })
    }
}

/// Reads a cue table (`lemma<TAB>forms<TAB>frame`): each form's token
/// key and its cue. A missing or unknown frame, or a line without forms,
/// is an error naming the line.
pub fn cue_table(data: &str, relation: RelationKind) -> Result<Vec<(String, Cue)>, LexiconError> {
    let table = match relation {
        RelationKind::Said => "said.tsv",
        RelationKind::Requested => "requested.tsv",
        RelationKind::Rejected => "rejected.tsv",
    };
    let mut out = Vec::new();
    for (n, line) in data.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let row: Vec<&str> = line.split('\t').map(str::trim).collect();
        let error = |message: String| LexiconError {
            table,
            line: n + 1,
            message,
        };
        let frame: Frame = row
            .get(2)
            .ok_or_else(|| error("no frame column".into()))?
            .parse()
            .map_err(error)?;
        let forms: Vec<&str> = list(row.get(1)).collect();
        if forms.is_empty() {
            return Err(error("no forms".into()));
        }
        for form in forms {
            out.push((token_key(form), Cue { relation, frame }));
        }
    }
    Ok(out)
}

/// The lexicon, loaded on first use.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

fn rows(data: &str) -> impl Iterator<Item = Vec<&str>> {
    data.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn list<'a>(field: Option<&&'a str>) -> impl Iterator<Item = &'a str> {
    field
        .copied()
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Splits folded text into the token sequence the matcher compares with.
pub fn token_key(text: &str) -> String {
    let mut out = String::new();
    for word in crate::text::word_strings(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&fold(word));
    }
    out
}

impl Lexicon {
    fn load() -> Lexicon {
        let mut lex = Lexicon::default();
        for row in rows(include_str!("../data/countries.tsv")) {
            let Some(name) = row.first().filter(|n| !n.is_empty()) else {
                continue;
            };
            let index = lex.add_entity(name, ActorKind::Country, Vec::new());
            lex.add_form(name, index, FormRole::Name);
            for alias in list(row.get(4)) {
                lex.add_form(alias, index, FormRole::Name);
            }
            for capital in list(row.get(1)) {
                lex.add_form(capital, index, FormRole::Capital);
            }
            for adjective in list(row.get(2)) {
                lex.add_form(adjective, index, FormRole::Adjective);
            }
            for people in list(row.get(3)) {
                lex.add_form(people, index, FormRole::People);
            }
        }
        for row in rows(include_str!("../data/role_nouns.tsv")) {
            if let (Some(noun), Some(Ok(kind))) = (row.first(), row.get(1).map(|k| k.parse())) {
                lex.role_nouns.insert(token_key(noun), kind);
            }
        }
        for row in rows(include_str!("../data/organizations.tsv")) {
            let Some(name) = row.first().filter(|n| !n.is_empty()) else {
                continue;
            };
            let kind = row
                .get(1)
                .and_then(|k| k.parse().ok())
                .unwrap_or(ActorKind::Organization);
            let descriptors: Vec<String> = list(row.get(3)).map(fold).collect();
            for d in &descriptors {
                // "the alliance", "the lender": every descriptor is a role noun.
                lex.role_nouns.entry(d.clone()).or_insert(kind);
            }
            let index = lex.add_entity(name, kind, descriptors);
            lex.add_form(name, index, FormRole::Name);
            for alias in list(row.get(2)) {
                lex.add_form(alias, index, FormRole::Name);
            }
            for adjective in list(row.get(4)) {
                lex.add_form(adjective, index, FormRole::Adjective);
            }
        }
        for (data, relation) in [
            (include_str!("../data/said.tsv"), RelationKind::Said),
            (
                include_str!("../data/requested.tsv"),
                RelationKind::Requested,
            ),
            (include_str!("../data/rejected.tsv"), RelationKind::Rejected),
        ] {
            match cue_table(data, relation) {
                Ok(cues) => {
                    for (key, cue) in cues {
                        lex.max_cue_tokens = lex.max_cue_tokens.max(key.split(' ').count());
                        lex.cues.entry(key).or_insert(cue);
                    }
                }
                Err(e) => lex.errors.push(e),
            }
        }
        for row in rows(include_str!("../data/cue_nouns.tsv")) {
            if let (Some(noun), Some(Ok(rel))) = (row.first(), row.get(1).map(|r| r.parse())) {
                lex.cue_nouns.insert(fold(noun), rel);
            }
        }
        for row in rows(include_str!("../data/titles.tsv")) {
            if let Some(title) = row.first() {
                let key = token_key(title);
                lex.max_title_tokens = lex.max_title_tokens.max(key.split(' ').count());
                lex.titles
                    .insert(key, row.get(1).is_some_and(|c| *c == "honorific"));
            }
        }
        for row in rows(include_str!("../data/groups.tsv")) {
            if row.get(1).is_some_and(|k| *k == "commentator") {
                continue;
            }
            if let Some(noun) = row.first() {
                lex.groups
                    .insert(fold(noun), row.get(1).is_some_and(|k| *k == "authority"));
            }
        }
        lex.group_suffixes = lex
            .groups
            .iter()
            .filter(|(noun, authority)| !**authority && noun.len() >= 6)
            .map(|(noun, _)| noun.clone())
            .collect();
        lex.max_group_suffix = lex
            .group_suffixes
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(0);
        let words = |data: &'static str| {
            rows(data)
                .filter_map(|r| r.first().map(|w| fold(w)))
                .collect::<FastSet<String>>()
        };
        lex.common = words(include_str!("../data/common_words.txt"));
        lex.outlets = rows(include_str!("../data/outlets.txt"))
            .filter_map(|r| r.first().map(|w| token_key(w)))
            .collect();
        lex.org_heads = words(include_str!("../data/org_heads.txt"));
        for row in rows(include_str!("../data/org_heads.txt")) {
            if let (Some(head), Some(noun)) = (row.first(), row.get(1).filter(|n| !n.is_empty())) {
                lex.head_descriptors.insert(fold(head), fold(noun));
            }
        }
        lex.given_names = words(include_str!("../data/given_names.txt"));
        for row in rows(include_str!("../data/name_genders.tsv")) {
            if let [name, gender] = row.as_slice() {
                match *gender {
                    "f" => lex.genders.insert(fold(name), true),
                    "m" => lex.genders.insert(fold(name), false),
                    other => {
                        lex.errors.push(LexiconError {
                            table: "name_genders.tsv",
                            line: 0,
                            message: format!("{name}: unknown gender {other:?} (expected f or m)"),
                        });
                        None
                    }
                };
            }
        }
        lex.state_bodies = rows(include_str!("../data/state_bodies.txt"))
            .filter_map(|r| r.first().map(|w| token_key(w)))
            .collect();
        lex.irrealis = words(include_str!("../data/irrealis.txt"));
        let firsts: Vec<String> = lex
            .forms
            .keys()
            .chain(lex.titles.keys())
            .chain(lex.cues.keys())
            .filter_map(|k| k.split(' ').next().map(str::to_owned))
            .collect();
        lex.first_words = firsts.into_iter().collect();
        lex.boilerplate = Boilerplate::new(
            rows(include_str!("../data/boilerplate.txt"))
                .filter_map(|r| r.first().map(|w| w.to_lowercase())),
        );
        lex
    }

    fn add_entity(&mut self, name: &str, kind: ActorKind, descriptors: Vec<String>) -> usize {
        self.entities.push(Entity {
            name: name.to_owned(),
            kind,
            descriptors,
        });
        self.entities.len() - 1
    }

    fn add_form(&mut self, form: &str, index: usize, role: FormRole) {
        let key = token_key(form);
        if key.is_empty() {
            return;
        }
        self.max_form_tokens = self.max_form_tokens.max(key.split(' ').count());
        let capitals = form.chars().any(char::is_alphabetic)
            && form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        // The first table to claim a form keeps it: countries load first,
        // and a name beats a later adjective or capital with the same key.
        self.forms.entry(key).or_insert((index, role, capitals));
    }

    /// The entity index and role of a folded token sequence, if any;
    /// `surface` is the text as written, checked against forms that are
    /// written in capitals (so "Who" is not WHO).
    pub fn lookup(&self, key: &str, surface: &str) -> Option<(usize, FormRole)> {
        let (i, role, capitals) = *self.forms.get(key)?;
        let surface_capitals = surface
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        (!capitals || surface_capitals).then_some((i, role))
    }

    /// The entity and role a folded token sequence names, ignoring case.
    pub fn form(&self, key: &str) -> Option<(&Entity, FormRole)> {
        self.forms
            .get(key)
            .and_then(|(i, role, _)| self.entities.get(*i).map(|e| (e, *role)))
    }

    /// The canonical name of a known entity this name refers to, if any
    /// ("Belgrade" -> "Serbia", "Vucic" -> none).
    pub fn canonical(&self, name: &str) -> Option<&str> {
        match self.form(&token_key(name)) {
            Some((entity, FormRole::Name | FormRole::Capital)) => Some(&entity.name),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_tables_load_without_errors() {
        assert_eq!(lexicon().errors, []);
        let cue = lexicon().cues.get("ordered").copied();
        assert_eq!(
            cue,
            Some(Cue {
                relation: RelationKind::Requested,
                frame: Frame::Directive
            })
        );
    }

    #[test]
    fn an_unknown_or_missing_frame_is_an_error_naming_the_line() {
        let table = "# comment\nurge\turge|urged\taddressee\nplead\tplead|pleaded\tadressee\n";
        let err = cue_table(table, RelationKind::Requested).unwrap_err();
        assert_eq!((err.table, err.line), ("requested.tsv", 3));
        assert!(
            err.to_string().contains("unknown frame \"adressee\""),
            "{err}"
        );
        let err = cue_table("say\tsay|said\n", RelationKind::Said).unwrap_err();
        assert!(err.message.contains("no frame"), "{err}");
        let err = cue_table("say\t\tintransitive\n", RelationKind::Said).unwrap_err();
        assert!(err.message.contains("no forms"), "{err}");
        let ok = cue_table(
            "call on\tcall on|called on\taddressee\n",
            RelationKind::Requested,
        );
        assert_eq!(ok.map(|c| c.len()), Ok(2));
    }
}
