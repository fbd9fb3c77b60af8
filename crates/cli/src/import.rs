//! `newsgraph import`: extracted graphs (the lines `extract --jsonl`
//! writes, from a pipe, files, or a Spark job's output directory) into the
//! store, through the same write pipeline as `ingest`
//! ([`crate::pipeline`]): per-document atomic writes, group commits, each
//! document reported once durable, unchanged documents skipped by content
//! hash, actors merged across documents as ingest merges them.
//!
//! A line is checked before anything is written: one document with its
//! text (every span must fall in it, every evidence sentence must be its
//! slice there, the given sha256 must be its hash), actors whose ids are
//! those their names give, relations and events whose ids are the
//! document's (or none, and they get them), and every reference resolved
//! within the line. A line that fails is reported and skipped; the others
//! go on. So the store cannot tell an imported document from an ingested
//! one, and `ingest` and `extract | import` of the same articles export
//! the same graph.
//!
//! Lines that name actors by name and omit ids are accepted too, so that
//! a graph made elsewhere (e.g. the truth of the synthetic corpus, via
//! `scripts/truth_to_import.py`) can be loaded and queried.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::AtomicBool;

use anyhow::Result;
use newsgraph_model::confidence::Basis;
use newsgraph_model::{
    content_sha256, Actor, ActorId, ActorKind, Confidence, Document, DocumentGraph, DocumentId,
    Event, EventId, Evidence, Mention, Relation, RelationId, RelationKind, Span,
};
use newsgraph_store::{PreparedDocument, Store};
use serde_json::{Map, Value};

use crate::inputs::{self, Items};
use crate::pipeline::{self, Item, Lines, Summary, Work};

/// How to run an import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest article text accepted, in bytes.
    pub max_bytes: usize,
    /// Which lines to print.
    pub lines: Lines,
    /// Decoding threads.
    pub jobs: usize,
}

/// The longest line read whole: a graph line holds its text (escaped: up
/// to six bytes per byte) and its evidence sentences, which repeat parts
/// of the text; a longer line is refused without being held in memory.
fn max_line(max_bytes: usize) -> usize {
    max_bytes.saturating_mul(16).saturating_add(1024 * 1024)
}

/// Imports every line under `paths`; stops early (after the current
/// group) when `stop` is set. Returns what was done even when a store
/// error ended the run early (the error is the second value).
pub fn import_paths(
    store: &Store,
    paths: &[PathBuf],
    options: &Options,
    stop: &AtomicBool,
) -> Result<(Summary, Option<anyhow::Error>)> {
    let inputs = inputs::for_import(paths)?;
    if inputs.is_empty() {
        anyhow::bail!("nothing to import: no JSON-lines files under the paths given");
    }
    let started = std::time::Instant::now();
    let run = pipeline::Run {
        store,
        lines: options.lines,
        jobs: options.jobs,
        total: inputs::count(&inputs),
        stop,
    };
    let max_bytes = options.max_bytes;
    let limit = max_line(max_bytes);
    let prepare = |item: Item| match item {
        Item::Line {
            origin,
            number,
            bytes,
        } => prepare(store, &Item::line_name(&origin, number), &bytes, max_bytes),
        other => other.failure(max_bytes),
    };
    let (summary, error) = pipeline::run(&run, Items::new(inputs, limit), prepare)?;
    let error = pipeline::print_summary(
        &summary.line("imported", "lines", started, store, ""),
        error,
    )?;
    Ok((summary, error))
}

/// `newsgraph import`: exit code 0, 1 if any line failed, 130 when
/// interrupted (see [`pipeline::run_to_exit_code`]).
pub async fn run(
    store: std::sync::Arc<Store>,
    paths: Vec<PathBuf>,
    options: Options,
) -> Result<std::process::ExitCode> {
    pipeline::run_to_exit_code("import", move |stop| {
        import_paths(&store, &paths, &options, stop)
    })
    .await
}

/// Decodes and checks one line (worker side: no store writes).
fn prepare(store: &Store, what: &str, raw: &[u8], max_bytes: usize) -> Work {
    let (graph, text) = match decode(raw, max_bytes) {
        Ok(decoded) => decoded,
        Err(reason) => return Work::failed(what, reason),
    };
    let name = format!("{} ({what})", graph.document.file);
    let bytes = raw.len() as u64;
    if let Some(unchanged) = Work::unchanged(store, &name, &graph.document.file, &text, bytes) {
        return unchanged;
    }
    match PreparedDocument::new(graph, &text) {
        Ok(prepared) => Work::Ready {
            name,
            bytes,
            prepared: Box::new(prepared),
            parsed_sentences: 0,
        },
        Err(e) => Work::failed(name, e.to_string()),
    }
}

type Object = Map<String, Value>;

/// A line's document graph and text, or why it cannot be imported.
pub fn decode(raw: &[u8], max_bytes: usize) -> Result<(DocumentGraph, String), String> {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let line = std::str::from_utf8(raw)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.valid_up_to()))?;
    if line.trim().is_empty() {
        return Err("empty line".into());
    }
    let line: Object = match serde_json::from_str(line) {
        Ok(Value::Object(line)) => line,
        Ok(_) => return Err("not a JSON object".into()),
        Err(e) => return Err(format!("not JSON: {e}")),
    };
    if let Some(error) = line.get("error") {
        let id = line.get("id").map_or("null".into(), Value::to_string);
        let error = error
            .as_str()
            .map_or_else(|| error.to_string(), str::to_owned);
        return Err(format!("extraction failed for id {id}: {error}"));
    }
    let document = match line.get("documents") {
        Some(Value::Array(documents)) if documents.len() == 1 => object(&documents[0], "document")?,
        Some(Value::Array(documents)) => {
            return Err(format!(
                "\"documents\" holds {} documents, not one",
                documents.len()
            ))
        }
        _ => return Err("no \"documents\" array".into()),
    };
    let (document, text, mention_order) = read_document(document, max_bytes)?;
    let (mut mentions, actor_refs) = read_actors(array(&line, "actors")?)?;
    if let Some(order) = mention_order {
        order_mentions(&mut mentions, &order, &actor_refs)?;
    }
    let (events, event_refs) = read_events(array(&line, "events")?, document.id)?;
    let relations = read_relations(
        array(&line, "relations")?,
        &document,
        &text,
        &actor_refs,
        &event_refs,
    )?;
    Ok((
        DocumentGraph {
            document,
            mentions,
            events,
            relations,
        },
        text,
    ))
}

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Object, String> {
    value
        .as_object()
        .ok_or_else(|| format!("a {what} is not a JSON object"))
}

/// The array `key` of `line` (absent or null: empty).
fn array<'a>(line: &'a Object, key: &str) -> Result<&'a [Value], String> {
    match line.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("\"{key}\" is not an array")),
    }
}

fn string<'a>(object: &'a Object, key: &str, what: &str) -> Result<&'a str, String> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(format!("{what} has no \"{key}\"")),
        Some(_) => Err(format!("{what}'s \"{key}\" is not a string")),
    }
}

fn optional<'a>(object: &'a Object, key: &str, what: &str) -> Result<Option<&'a str>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("{what}'s \"{key}\" is not a string")),
    }
}

/// Checks that a given id is the expected one.
fn expect_id<T: FromStr + PartialEq + std::fmt::Display>(
    object: &Object,
    expected: T,
    what: &str,
) -> Result<(), String> {
    match optional(object, "id", what)? {
        None => Ok(()),
        Some(given) if given.parse::<T>().is_ok_and(|id| id == expected) => Ok(()),
        Some(given) => Err(format!(
            "{what} has id {given}, but its content gives {expected}"
        )),
    }
}

/// The document, its text, and the order of its mentions when given.
fn read_document(
    object: &Object,
    max_bytes: usize,
) -> Result<(Document, String, Option<Vec<String>>), String> {
    let file = string(object, "file", "the document")?;
    if file.trim().is_empty() {
        return Err("the document's \"file\" is empty".into());
    }
    let text = match object.get("text") {
        Some(Value::String(text)) => text,
        None | Some(Value::Null) => {
            return Err(
                "the document has no \"text\" (lines of `newsgraph extract --jsonl` carry it)"
                    .into(),
            )
        }
        Some(_) => return Err("the document's \"text\" is not a string".into()),
    };
    newsgraph_ingest::decode_article(file, text.as_bytes(), max_bytes)
        .map_err(|e| e.to_string())?;
    let id = Document::id_for_file(file);
    expect_id(object, id, "the document")?;
    let sha256 = content_sha256(text);
    if let Some(given) = optional(object, "sha256", "the document")? {
        if !given.eq_ignore_ascii_case(&sha256) {
            return Err(format!(
                "the document's sha256 {given} is not that of its text ({sha256})"
            ));
        }
    }
    let published = match optional(object, "published", "the document")? {
        None => None,
        Some(date) if is_iso_date(date) => Some(date.to_owned()),
        Some(date) => {
            return Err(format!(
                "the document's \"published\" is not a date (YYYY-MM-DD): {date:?}"
            ))
        }
    };
    let mention_order = match object.get("mentions") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ids)) => Some(
            ids.iter()
                .map(|id| {
                    id.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| "the document's \"mentions\" are not strings".to_owned())
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err("the document's \"mentions\" is not an array".into()),
    };
    let document = Document {
        id,
        file: file.to_owned(),
        title: string(object, "title", "the document")?.to_owned(),
        source: optional(object, "source", "the document")?.map(str::to_owned),
        published,
        sha256,
        bytes: text.len() as u64,
        url: optional(object, "url", "the document")?.map(str::to_owned),
        author: optional(object, "author", "the document")?.map(str::to_owned),
    };
    Ok((document, text.clone(), mention_order))
}

fn is_iso_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// The mentions, and what each relation may call an actor: its id as
/// written on the line, and its name.
fn read_actors(items: &[Value]) -> Result<(Vec<Mention>, HashMap<String, ActorId>), String> {
    let mut mentions: Vec<Mention> = Vec::new();
    let mut at: HashMap<ActorId, usize> = HashMap::new();
    let mut refs: HashMap<String, ActorId> = HashMap::new();
    for item in items {
        let actor = object(item, "actor")?;
        let name = string(actor, "name", "an actor")?;
        let what = format!("actor {name:?}");
        if name.trim().is_empty() {
            return Err("an actor's \"name\" is empty".into());
        }
        let kind = ActorKind::from_str(string(actor, "kind", &what)?)
            .map_err(|e| format!("{what}: unknown kind {:?}", e.0))?;
        let id = Actor::id_for_name(name);
        expect_id(actor, id, &what)?;
        let mut aliases: Vec<String> = Vec::new();
        for alias in array(actor, "aliases")? {
            let alias = alias
                .as_str()
                .ok_or_else(|| format!("{what} has an alias that is not a string"))?;
            aliases.push(alias.to_owned());
        }
        if let Some(given) = optional(actor, "id", &what)? {
            refs.insert(given.to_owned(), id);
        }
        refs.insert(name.to_owned(), id);
        match at.get(&id) {
            // Two forms of one actor (names that fold alike): one mention,
            // as extraction makes it.
            Some(&i) => {
                let mention = &mut mentions[i];
                mention.aliases.push(name.to_owned());
                mention.aliases.extend(aliases);
            }
            None => {
                at.insert(id, mentions.len());
                mentions.push(Mention {
                    actor: id,
                    name: name.to_owned(),
                    kind,
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
    Ok((mentions, refs))
}

/// Puts the mentions in the order the document lists them (the order
/// extraction found them in, which the store keeps); any it does not
/// list follow in their own order.
fn order_mentions(
    mentions: &mut [Mention],
    order: &[String],
    refs: &HashMap<String, ActorId>,
) -> Result<(), String> {
    let mut rank: HashMap<ActorId, usize> = HashMap::new();
    for (i, reference) in order.iter().enumerate() {
        let id = refs.get(reference).ok_or_else(|| {
            format!("the document mentions {reference}, not an actor of the line")
        })?;
        rank.entry(*id).or_insert(i);
    }
    mentions.sort_by_key(|m| rank.get(&m.actor).copied().unwrap_or(usize::MAX));
    Ok(())
}

/// Where each given id sits among the `count` ids a document's events or
/// relations have (`nth` gives the `n`th); without ids, the list order.
/// Ids are given for all or none.
fn positions<T>(
    items: &[&Object],
    what: &str,
    nth: impl Fn(usize) -> T,
) -> Result<Vec<usize>, String>
where
    T: FromStr + Eq + std::hash::Hash,
{
    let given: Vec<Option<&str>> = items
        .iter()
        .map(|o| optional(o, "id", what))
        .collect::<Result<_, _>>()?;
    if given.iter().all(Option::is_none) {
        return Ok((0..items.len()).collect());
    }
    if given.iter().any(Option::is_none) {
        return Err(format!("some {what}s have ids and some do not"));
    }
    let valid: HashMap<T, usize> = (0..items.len()).map(|n| (nth(n), n)).collect();
    let mut seen = vec![false; items.len()];
    let mut out = Vec::with_capacity(items.len());
    for id in given.into_iter().flatten() {
        let n = id
            .parse::<T>()
            .ok()
            .and_then(|id| valid.get(&id).copied())
            .ok_or_else(|| format!("{what} id {id} is not one of this document's"))?;
        if std::mem::replace(&mut seen[n], true) {
            return Err(format!("{what} id {id} is given twice"));
        }
        out.push(n);
    }
    Ok(out)
}

/// The events in their document order, and what relations may call each:
/// its id as written, or its position in the line.
fn read_events(
    items: &[Value],
    document: DocumentId,
) -> Result<(Vec<Event>, HashMap<String, EventId>), String> {
    let objects: Vec<&Object> = items
        .iter()
        .map(|e| object(e, "event"))
        .collect::<Result<_, _>>()?;
    let positions = positions(&objects, "event", |n| EventId::nth_of(document, n))?;
    let mut events: Vec<(usize, Event)> = Vec::with_capacity(objects.len());
    let mut refs = HashMap::new();
    for (i, (event, n)) in objects.iter().zip(positions).enumerate() {
        let what = format!("event {i}");
        let kind = RelationKind::from_str(string(event, "kind", &what)?)
            .map_err(|e| format!("{what}: unknown kind {:?}", e.0))?;
        check_document(event, document, &what)?;
        let id = EventId::nth_of(document, n);
        refs.insert(i.to_string(), id);
        if let Some(given) = optional(event, "id", &what)? {
            refs.insert(given.to_owned(), id);
        }
        let date = match optional(event, "date", &what)? {
            Some(date) if !is_iso_date(date) => {
                return Err(format!(
                    "{what}'s \"date\" is not a date (YYYY-MM-DD): {date:?}"
                ))
            }
            date => date.map(str::to_owned),
        };
        events.push((
            n,
            Event {
                id,
                kind,
                label: string(event, "label", &what)?.to_owned(),
                date,
                document,
            },
        ));
    }
    events.sort_by_key(|(n, _)| *n);
    Ok((events.into_iter().map(|(_, e)| e).collect(), refs))
}

fn check_document(object: &Object, document: DocumentId, what: &str) -> Result<(), String> {
    match optional(object, "document", what)? {
        None => Ok(()),
        Some(given) if given.parse::<DocumentId>() == Ok(document) => Ok(()),
        Some(given) => Err(format!(
            "{what} belongs to document {given}, not to the line's {document}"
        )),
    }
}

/// A reference to an actor or event of the line: a string (an id as
/// written, or a name), or for events a position.
fn reference<T: Copy>(
    value: &Value,
    refs: &HashMap<String, T>,
    what: &str,
    role: &str,
) -> Result<Option<T>, String> {
    let key = match value {
        Value::Null => return Ok(None),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(format!(
                "{what}'s \"{role}\" is neither a string nor a number"
            ))
        }
    };
    refs.get(&key)
        .copied()
        .map(Some)
        .ok_or_else(|| format!("{what}'s {role} {key} is not on the line"))
}

fn read_relations(
    items: &[Value],
    document: &Document,
    text: &str,
    actors: &HashMap<String, ActorId>,
    events: &HashMap<String, EventId>,
) -> Result<Vec<Relation>, String> {
    let objects: Vec<&Object> = items
        .iter()
        .map(|r| object(r, "relation"))
        .collect::<Result<_, _>>()?;
    let positions = positions(&objects, "relation", |n| RelationId::nth_of(document.id, n))?;
    let mut relations: Vec<(usize, Relation)> = Vec::with_capacity(objects.len());
    for (i, (relation, n)) in objects.iter().zip(positions).enumerate() {
        let what = format!("relation {i}");
        let kind = RelationKind::from_str(string(relation, "relation", &what)?)
            .map_err(|e| format!("{what}: unknown relation {:?}", e.0))?;
        check_document(relation, document.id, &what)?;
        let field = |key: &str| relation.get(key).unwrap_or(&Value::Null);
        let subject = reference(field("subject"), actors, &what, "subject")?
            .ok_or_else(|| format!("{what} has no \"subject\""))?;
        let object = reference(field("object"), actors, &what, "object")?;
        let event = reference(field("event"), events, &what, "event")?;
        let span = read_span(field("span"), text, &what)?;
        let sentence = &text[span.start as usize..span.end as usize];
        if let Some(evidence) = optional(relation, "evidence", &what)? {
            if evidence != sentence {
                return Err(format!(
                    "{what}'s \"evidence\" is not the text at its span {}..{}",
                    span.start, span.end
                ));
            }
        }
        let quote = optional(relation, "quote", &what)?.map(str::to_owned);
        relations.push((
            n,
            Relation {
                id: RelationId::nth_of(document.id, n),
                kind,
                subject,
                object,
                event,
                document: document.id,
                evidence: Evidence {
                    sentence: sentence.to_owned(),
                    span,
                },
                confidence: match relation.get("confidence") {
                    None | Some(Value::Null) => {
                        Basis::unrecorded(kind, quote.is_some(), object.is_some(), event.is_some())
                    }
                    Some(value) => read_confidence(value, &what)?,
                },
                quote,
            },
        ));
    }
    relations.sort_by_key(|(n, _)| *n);
    Ok(relations.into_iter().map(|(_, r)| r).collect())
}

/// A relation's `"confidence"`: a number in [0, 1].
fn read_confidence(value: &Value, what: &str) -> Result<Confidence, String> {
    value
        .as_f64()
        .filter(|c| (0.0..=1.0).contains(c))
        .and_then(Confidence::from_score)
        .ok_or_else(|| format!("{what}'s \"confidence\" is not a number from 0 to 1: {value}"))
}

/// `[start, end]`: a non-empty byte range of the text on character
/// boundaries.
fn read_span(value: &Value, text: &str, what: &str) -> Result<Span, String> {
    let bound = |v: Option<&Value>| {
        v.and_then(Value::as_u64)
            .and_then(|b| u32::try_from(b).ok())
    };
    let (start, end) = match value.as_array().map(Vec::as_slice) {
        Some([start, end]) => (bound(Some(start)), bound(Some(end))),
        _ => (None, None),
    };
    let (Some(start), Some(end)) = (start, end) else {
        return Err(format!("{what}'s \"span\" is not [start, end]"));
    };
    if start >= end || text.get(start as usize..end as usize).is_none() {
        return Err(format!(
            "{what}'s span {start}..{end} is not a range of the text's {} bytes",
            text.len()
        ));
    }
    Ok(Span { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MAX: usize = newsgraph_ingest::DEFAULT_MAX_BYTES;
    const TEXT: &str = "Talks stall\n\nThe minister Anna Brekke urged Norland to return.";

    /// A line naming actors by name, without ids (as a graph made
    /// elsewhere would).
    fn line() -> Value {
        json!({
            "documents": [{"file": "a.txt", "title": "Talks stall", "text": TEXT}],
            "actors": [
                {"name": "Anna Brekke", "kind": "person", "aliases": ["Brekke"]},
                {"name": "Norland", "kind": "country"}
            ],
            "events": [{"kind": "requested", "label": "to return"}],
            "relations": [{"subject": "Anna Brekke", "relation": "requested", "object": "Norland",
                           "event": 0, "span": [13, 62]}]
        })
    }

    fn decode_value(line: &Value) -> Result<(DocumentGraph, String), String> {
        decode(line.to_string().as_bytes(), MAX)
    }

    #[test]
    fn a_line_without_ids_gets_the_ids_extraction_would_give() {
        let (graph, text) = decode_value(&line()).unwrap();
        assert_eq!(text, TEXT);
        let document = Document::id_for_file("a.txt");
        assert_eq!(graph.document.id, document);
        assert_eq!(graph.document.sha256, content_sha256(TEXT));
        assert_eq!(graph.mentions[0].actor, Actor::id_for_name("Anna Brekke"));
        assert_eq!(graph.mentions[0].aliases, ["Brekke"]);
        let relation = &graph.relations[0];
        assert_eq!(relation.id, RelationId::nth_of(document, 0));
        assert_eq!(relation.object, Some(Actor::id_for_name("Norland")));
        assert_eq!(relation.event, Some(EventId::nth_of(document, 0)));
        assert_eq!(relation.evidence.sentence, &TEXT[13..62]);
    }

    #[test]
    fn given_ids_must_be_those_the_content_gives_and_set_the_order() {
        let document = Document::id_for_file("a.txt");
        let mut good = line();
        good["relations"] = json!([
            {"id": RelationId::nth_of(document, 1).to_string(), "subject": "Norland",
             "relation": "said", "span": [13, 62]},
            {"id": RelationId::nth_of(document, 0).to_string(), "subject": "Anna Brekke",
             "relation": "said", "span": [13, 62]}
        ]);
        let (graph, _) = decode_value(&good).unwrap();
        assert_eq!(
            graph.relations[0].subject,
            Actor::id_for_name("Anna Brekke")
        );

        let refused = |edit: &dyn Fn(&mut Value)| {
            let mut line = line();
            edit(&mut line);
            decode_value(&line).unwrap_err()
        };
        let other = RelationId::nth_of(Document::id_for_file("b.txt"), 0).to_string();
        assert!(refused(&|l| l["relations"][0]["id"] = json!(other)).contains("not one of"));
        assert!(
            refused(&|l| l["actors"][1]["id"] = json!("0000000000000001"))
                .contains("content gives")
        );
        assert!(refused(&|l| l["documents"][0]["sha256"] = json!("00")).contains("sha256"));
    }

    #[test]
    fn every_inconsistency_is_refused_with_a_reason() {
        let refused = |edit: &dyn Fn(&mut Value)| {
            let mut line = line();
            edit(&mut line);
            decode_value(&line).unwrap_err()
        };
        assert!(refused(&|l| l["relations"][0]["span"] = json!([40, 4000])).contains("span"));
        assert!(refused(&|l| l["relations"][0]["span"] = json!([1])).contains("span"));
        assert!(
            refused(&|l| l["relations"][0]["evidence"] = json!("Something else."))
                .contains("evidence")
        );
        assert!(refused(&|l| l["relations"][0]["subject"] = json!("Nobody"))
            .contains("not on the line"));
        assert!(refused(&|l| l["relations"][0]["event"] = json!(3)).contains("not on the line"));
        assert!(refused(&|l| l["actors"][0]["kind"] = json!("planet")).contains("unknown kind"));
        assert!(refused(&|l| l["documents"][0]["text"] = Value::Null).contains("no \"text\""));
        assert!(
            refused(&|l| l["documents"][0]["published"] = json!("May 1")).contains("published")
        );
        assert!(refused(&|l| l["documents"] = json!([])).contains("not one"));
        assert!(refused(&|l| *l = json!({"id": 3, "error": "no text"}))
            .contains("extraction failed for id 3: no text"));
        assert!(decode(b"{", MAX).unwrap_err().starts_with("not JSON"));
        assert_eq!(decode(b" ", MAX).unwrap_err(), "empty line");
    }
}
