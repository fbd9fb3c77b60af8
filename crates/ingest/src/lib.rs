#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod actors;
pub mod hash;
pub mod lexicon;
pub mod meta;
pub mod relations;
pub mod repair;
pub mod text;

use newsgraph_model::confidence::Basis;
use newsgraph_model::{
    content_sha256, Actor, ActorId, Document, DocumentGraph, Event, EventId, Evidence, Mention,
    Relation, RelationId, RelationKind, Span,
};

use hash::{FastMap, FastSet};
pub use lexicon::lexicon;
use newsgraph_syntax::{Model, ModelError};
use text::fold;

/// Default largest article accepted (10 MiB).
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Why an article was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file has no bytes, or only whitespace.
    #[error("article '{file}' is empty")]
    Empty {
        /// File name.
        file: String,
    },
    /// The file is larger than the limit.
    #[error("article '{file}' is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// File name.
        file: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The file is not valid UTF-8.
    #[error("article '{file}' is not valid UTF-8 at byte {at}")]
    NotUtf8 {
        /// File name.
        file: String,
        /// Offset of the first invalid byte.
        at: usize,
    },
    /// The file looks like binary data (NUL or many control bytes).
    #[error("article '{file}' looks like binary data ({reason})")]
    Binary {
        /// File name.
        file: String,
        /// What gave it away.
        reason: String,
    },
}

/// Checks raw article bytes and returns the text: not empty, not over
/// `max_bytes`, valid UTF-8, not binary.
pub fn decode_article<'a>(
    file: &str,
    bytes: &'a [u8],
    max_bytes: usize,
) -> Result<&'a str, IngestError> {
    if bytes.len() > max_bytes {
        return Err(IngestError::TooLarge {
            file: file.into(),
            size: bytes.len(),
            limit: max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::NotUtf8 {
        file: file.into(),
        at: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(IngestError::Empty { file: file.into() });
    }
    if let Some(at) = text.find('\0') {
        return Err(IngestError::Binary {
            file: file.into(),
            reason: format!("NUL byte at {at}"),
        });
    }
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'))
        .count();
    if control * 20 > text.chars().count() {
        return Err(IngestError::Binary {
            file: file.into(),
            reason: format!("{control} control characters"),
        });
    }
    Ok(text)
}

/// The byte ranges of a text's sentences, in order, cut as [`extract`]
/// cuts them: only content lines (page furniture such as bylines and
/// lines in another language are left out), split at sentence ends, with
/// the sentences that one direct quote spans kept together as one range.
/// Each range is trimmed and lies within one line of the text.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let lex = lexicon();
    text::content_lines(text, lex)
        .into_iter()
        .enumerate()
        .flat_map(|(paragraph, line)| text::units(text, line, paragraph))
        .map(|unit| (unit.start, unit.end))
        .collect()
}

/// Extracts a document's graph from its text. Never panics on any input;
/// runs in time linear in the text for all practical inputs.
pub fn extract(file: &str, text: &str) -> DocumentGraph {
    extract_with(file, text, &ExtractOptions::default()).graph
}

/// What [`extract_with`] does besides extracting the graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Also return the dependency trees the relation constructions read:
    /// those of the sentences that hold a relation cue (see
    /// [`relations::has_cue`]), parsed by the syntactic layer
    /// ([`newsgraph_syntax`]: UD tagger and parser). The graph is the
    /// same either way.
    pub syntax: bool,
}

/// A document's graph and what else [`extract_with`] was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The graph, exactly as [`extract`] returns it.
    pub graph: DocumentGraph,
    /// The parsed sentences, in text order: every sentence that holds a
    /// relation cue when [`ExtractOptions::syntax`] is on and the model
    /// loaded, none otherwise.
    pub parsed: Vec<ParsedSentence>,
    /// Why the syntactic layer could not run (its model did not load);
    /// extraction went on without it.
    pub syntax_error: Option<String>,
}

/// One sentence and its dependency tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSentence {
    /// The sentence's index among the sentences extraction cuts, which
    /// are the ranges [`sentences`] returns, in that order.
    pub unit: usize,
    /// First byte of the sentence in the text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Its words, tags and tree; word offsets point into the text.
    pub analysis: newsgraph_syntax::Analysis<'static>,
}

/// [`extract`], and with `options.syntax` the dependency trees of the
/// sentences that hold a relation cue. Every sentence is parsed (actor
/// recognition reads the trees: a country in a list of places, a name
/// that only modifies a noun), which costs little more than parsing the
/// cue sentences alone: in news most sentences hold a cue (62% of the
/// seed articles' sentences, 87% of the synthetic bench corpus's). A model that fails to load is returned as
/// [`Extracted::syntax_error`], never a panic, and the graph is extracted
/// all the same.
pub fn extract_with(file: &str, text: &str, options: &ExtractOptions) -> Extracted {
    let mut out = extract_using(file, text, Some(newsgraph_syntax::english()));
    if !options.syntax {
        out.parsed.clear();
    }
    out
}

/// [`extract_with`] with the syntax model given (`None`: syntax off).
fn extract_using(
    file: &str,
    text: &str,
    syntax: Option<Result<&'static Model, &ModelError>>,
) -> Extracted {
    let lex = lexicon();
    let doc_id = Document::id_for_file(file);
    let lines = text::content_lines(text, lex);
    let raw_lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let (title, title_source) = title_and_source(raw_lines.first().copied().unwrap_or(""));
    let source = source_line(&raw_lines).or(title_source);
    let published = meta::published(&raw_lines);

    let mut units = Vec::new();
    for (p, line) in lines.iter().enumerate() {
        units.extend(text::units(text, *line, p));
    }
    // Sentences are parsed where a tree tells something: actor recognition
    // reads the trees around names (a place in a list, a name as a
    // modifier); the relation constructions read those of the sentences
    // that hold a cue.
    let (mut parsed, syntax_error) = match syntax {
        Some(Ok(model)) => (parse_units(model, text, &units, lex), None),
        Some(Err(e)) => (
            Vec::new(),
            Some(format!("the syntax model did not load: {e}")),
        ),
        None => (Vec::new(), None),
    };
    let mut all_trees: Vec<Option<&newsgraph_syntax::Analysis<'static>>> = vec![None; units.len()];
    for p in &parsed {
        if let Some(slot) = all_trees.get_mut(p.unit) {
            *slot = Some(&p.analysis);
        }
    }
    let mut doc_actors = actors::find_actors(text, &units, lex, &all_trees);
    let trees: Vec<Option<&newsgraph_syntax::Analysis<'static>>> = all_trees
        .iter()
        .zip(&units)
        .map(|(t, unit)| t.filter(|_| relations::has_cue(unit, lex)))
        .collect();
    let found = drop_unaddressed(relations::find_relations(
        text,
        &units,
        &mut doc_actors,
        lex,
        &trees,
    ));

    drop(trees);
    drop(all_trees);
    parsed.retain(|p| {
        units
            .get(p.unit)
            .is_some_and(|u| relations::has_cue(u, lex))
    });

    // Actors: participants and every relation endpoint.
    let mut used: Vec<bool> = doc_actors.clusters.iter().map(|c| c.participant).collect();
    for f in &found {
        used[f.subject] = true;
        if let Some(o) = f.object {
            used[o] = true;
        }
    }
    let ids: Vec<ActorId> = doc_actors
        .clusters
        .iter()
        .map(|c| Actor::id_for_name(&c.name))
        .collect();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut seen_ids: FastMap<ActorId, usize> = FastMap::default();
    for (i, c) in doc_actors.clusters.iter().enumerate() {
        if !used[i] {
            continue;
        }
        let aliases: Vec<String> = c
            .forms
            .iter()
            .filter(|f| fold(f) != fold(&c.name) || **f != c.name)
            .cloned()
            .collect();
        match seen_ids.get(&ids[i]) {
            Some(&at) => mentions[at].aliases.extend(aliases),
            None => {
                seen_ids.insert(ids[i], mentions.len());
                mentions.push(Mention {
                    actor: ids[i],
                    name: c.name.clone(),
                    kind: c.kind,
                    aliases,
                });
            }
        }
    }
    for m in &mut mentions {
        m.aliases.sort();
        m.aliases.dedup();
        m.aliases.retain(|a| *a != m.name);
    }

    let mut events: Vec<Event> = Vec::new();
    let mut relations_out: Vec<Relation> = Vec::new();
    let mut last_request: Option<EventId> = None;
    let mut event_by_label: FastMap<(RelationKind, String), EventId> = FastMap::default();
    for (n, f) in found.iter().enumerate() {
        let unit = &units[f.unit];
        let sentence = &text[unit.start..unit.end];
        let event = match (&f.event_label, f.kind) {
            (_, RelationKind::Rejected) if f.refers_to_request && last_request.is_some() => {
                last_request
            }
            (Some(label), RelationKind::Requested | RelationKind::Rejected) => {
                let key = (f.kind, fold(label));
                match event_by_label.get(&key) {
                    Some(id) => Some(*id),
                    None => {
                        let id = EventId::nth_of(doc_id, events.len());
                        events.push(Event {
                            id,
                            kind: f.kind,
                            label: label.clone(),
                            date: meta::event_date(sentence, published.as_deref()),
                            document: doc_id,
                        });
                        event_by_label.insert(key, id);
                        Some(id)
                    }
                }
            }
            _ => None,
        };
        if f.kind == RelationKind::Requested && event.is_some() {
            last_request = event;
        }
        let quote = (f.kind == RelationKind::Said && !unit.quotes.is_empty()).then(|| {
            unit.quotes
                .iter()
                .map(|(s, e)| text[*s..*e].trim())
                .collect::<Vec<_>>()
                .join(" … ")
        });
        relations_out.push(Relation {
            id: RelationId::nth_of(doc_id, n),
            kind: f.kind,
            subject: ids[f.subject],
            object: f.object.map(|o| ids[o]),
            event,
            document: doc_id,
            evidence: Evidence {
                sentence: sentence.to_owned(),
                span: Span {
                    start: unit.start as u32,
                    end: unit.end as u32,
                },
            },
            confidence: Basis {
                kind: f.kind,
                construction: f.construction,
                subject: f.resolution,
                quoted: quote.is_some(),
                addressed: f.object.is_some(),
                has_event: event.is_some(),
            }
            .confidence(),
            quote,
        });
    }

    let graph = DocumentGraph {
        document: Document {
            id: doc_id,
            file: file.to_owned(),
            title,
            source,
            published,
            sha256: content_sha256(text),
            bytes: text.len() as u64,
            url: None,
            author: None,
        },
        mentions,
        events,
        relations: relations_out,
    };
    Extracted {
        graph,
        parsed,
        syntax_error,
    }
}

/// Parses every unit that a tree can tell anything about, after its
/// dateline ("PARIS, May 3 (Reuters) -", not part of the sentence).
fn parse_units(
    model: &'static Model,
    text: &str,
    units: &[text::Unit],
    lex: &lexicon::Lexicon,
) -> Vec<ParsedSentence> {
    units
        .iter()
        .enumerate()
        .filter(|(_, unit)| needs_tree(text, unit, lex))
        .map(|(u, unit)| {
            let from = unit
                .tokens
                .get(unit.body_start)
                .map_or(unit.start, |t| t.start)
                .clamp(unit.start, unit.end);
            let mut analysis = model.analyse(&text::for_parser(&text[from..unit.end]), from);
            repair::repair(&mut analysis, lex);
            ParsedSentence {
                unit: u,
                start: unit.start,
                end: unit.end,
                analysis,
            }
        })
        .collect()
}

/// Whether a unit's tree is read at all: the relation constructions read
/// the trees of units with a cue, actor recognition reads them around
/// names. A unit with neither a cue nor a capitalised word (a common word
/// opening the sentence aside) has no use for one: "It was a long day."
fn needs_tree(text: &str, unit: &text::Unit, lex: &lexicon::Lexicon) -> bool {
    if relations::has_cue(unit, lex) {
        return true;
    }
    let mut words = unit
        .tokens
        .iter()
        .enumerate()
        .skip(unit.body_start)
        .filter(|(_, t)| t.kind == text::TokenKind::Word);
    let capitalised = |t: &text::Token| {
        text.get(t.start..t.end)
            .is_some_and(|w| w.starts_with(char::is_uppercase))
    };
    let opening_common = words.next().is_some_and(|(i, t)| {
        !capitalised(t) || unit.folded.get(i).is_some_and(|w| lex.common.contains(w))
    });
    !opening_common || words.any(|(_, t)| capitalised(t))
}

/// A request named by a noun without an addressee ("Serbia made the
/// request") is dropped when the same subject makes a request with a named
/// addressee in the article: it refers back to that request.
fn drop_unaddressed(found: Vec<relations::Found>) -> Vec<relations::Found> {
    let addressed: FastSet<(RelationKind, usize)> = found
        .iter()
        .filter(|f| f.object.is_some())
        .map(|f| (f.kind, f.subject))
        .collect();
    found
        .into_iter()
        .filter(|f| f.object.is_some() || !f.nominal || !addressed.contains(&(f.kind, f.subject)))
        .collect()
}

/// "Headline | Outlet" -> ("Headline", Some("Outlet")).
fn title_and_source(line: &str) -> (String, Option<String>) {
    let line: String = line.chars().take(300).collect();
    match line.rsplit_once(" | ") {
        Some((title, outlet))
            if !outlet.trim().is_empty() && outlet.split_whitespace().count() <= 5 =>
        {
            (title.trim().to_owned(), Some(outlet.trim().to_owned()))
        }
        _ => (line.trim().to_owned(), None),
    }
}

/// "Source: Outlet" lines; in "Source: Headline – outlet.com – Agency" the
/// part that looks like a site name wins.
fn source_line(lines: &[&str]) -> Option<String> {
    let line = lines.iter().find_map(|l| {
        let lower = l.to_lowercase();
        lower
            .starts_with("source:")
            .then(|| l["source:".len()..].trim())
    })?;
    let normalized = line.replace('\u{a0}', " ");
    let parts: Vec<String> = normalized
        .split(" \u{2013} ")
        .flat_map(|p| p.split(" - "))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let site = parts.iter().find(|p| {
        let p = p.to_lowercase();
        [".com", ".org", ".net", ".info", ".eu", ".co."]
            .iter()
            .any(|t| p.contains(t))
    });
    site.cloned()
        .or_else(|| {
            if parts.len() > 1 {
                parts.last().cloned()
            } else {
                parts.first().cloned()
            }
        })
        .filter(|s| s.split_whitespace().count() <= 8)
}

#[cfg(test)]
mod tests;
