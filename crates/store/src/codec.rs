//! The one place values are turned into bytes and back.
//!
//! Every stored value is `[VALUE_VERSION, bincode bytes...]`, encoded with a
//! single explicit bincode 2 configuration (standard varint encoding, little
//! endian) and decoded with a size limit, so a corrupt or hostile value can
//! never make the decoder allocate more than [`DECODE_LIMIT`] bytes. Keys are
//! never encoded here: they are big-endian bytes built by hand in `keys`.
//!
//! A document's value has its own shape because it is nearly all of the
//! bytes ([`encode_document`]): the graph one article contributes and the
//! article's text, compressed together as one zstd frame. Its relations
//! keep only the *span* of their evidence sentence, the position of their
//! quote in it, and their endpoints and event as positions in the
//! document's own lists; its events keep their label as a span of the text.
//! Sentences, quotes and labels are slices of the text and actor ids are
//! repeated in the mentions, so storing them again would double the store.
//! [`decode_document`] slices them back out, and every such field falls
//! back to a stored copy when it is not a slice (or not in the lists).

use bincode::config::{Configuration, Limit, LittleEndian, Varint};
use newsgraph_model::confidence::Basis;
use newsgraph_model::{
    ActorId, Confidence, Document, DocumentGraph, Event, EventId, Evidence, Mention, Relation,
    RelationId, RelationKind, Span,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// Version byte at the front of every stored value.
pub const VALUE_VERSION: u8 = 1;

/// The largest value the decoder will materialise (64 MiB).
pub const DECODE_LIMIT: usize = 64 * 1024 * 1024;

type Config = Configuration<LittleEndian, Varint, Limit<DECODE_LIMIT>>;

fn config() -> Config {
    bincode::config::standard().with_limit::<DECODE_LIMIT>()
}

/// Encodes a value with its version byte.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![VALUE_VERSION];
    bincode::serde::encode_into_std_write(value, &mut out, config())
        .map_err(|e| StoreError::Codec(e.to_string()))?;
    Ok(out)
}

/// Decodes a value written by [`encode`], checking its version byte and
/// that nothing trails it.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    let (value, trailing) = decode_front(bytes)?;
    if trailing > 0 {
        return Err(StoreError::Codec(format!(
            "{trailing} trailing bytes after value"
        )));
    }
    Ok(value)
}

/// Decodes the value at the front of `bytes` written by [`encode`],
/// ignoring what follows it: for reading the leading fields of a record.
fn decode_prefix<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    decode_front(bytes).map(|(value, _)| value)
}

/// The value at the front of `bytes` (its version byte checked), and how
/// many bytes follow it.
fn decode_front<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, usize), StoreError> {
    let (version, body) = bytes
        .split_first()
        .ok_or_else(|| StoreError::Codec("empty value".into()))?;
    if *version != VALUE_VERSION {
        return Err(StoreError::Codec(format!(
            "value version {version} is not {VALUE_VERSION}"
        )));
    }
    let (value, read) = bincode::serde::decode_from_slice(body, config())
        .map_err(|e| StoreError::Codec(e.to_string()))?;
    Ok((value, body.len().saturating_sub(read)))
}

/// How a document value's payload is stored (the byte after the version).
const ZSTD: u8 = 1;

/// zstd level for document values: level 3 compresses a 2.6 KB article
/// about 2.5:1 at well over 100 MB/s per core, and the work is done on the
/// extraction threads, not by the writer.
const ZSTD_LEVEL: i32 = 3;

thread_local! {
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

fn compress(raw: &[u8]) -> Result<Vec<u8>, StoreError> {
    let fail = |e: std::io::Error| StoreError::Codec(format!("compressing a value: {e}"));
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let compressor = match cell.as_mut() {
            Some(c) => c,
            None => cell.insert(zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(fail)?),
        };
        compressor.compress(raw).map_err(fail)
    })
}

fn decompress(frame: &[u8], len: usize) -> Result<Vec<u8>, StoreError> {
    let fail = |e: std::io::Error| StoreError::Codec(format!("value does not decompress: {e}"));
    let raw = DECOMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let decompressor = match cell.as_mut() {
            Some(d) => d,
            None => cell.insert(zstd::bulk::Decompressor::new().map_err(fail)?),
        };
        decompressor.decompress(frame, len).map_err(fail)
    })?;
    if raw.len() != len {
        return Err(StoreError::Codec(format!(
            "value decompresses to {} bytes, not {len}",
            raw.len()
        )));
    }
    Ok(raw)
}

/// A string that is usually a slice of a known string (the text, or the
/// sentence): its range there, or its own words when it is not one.
#[derive(Serialize, Deserialize)]
enum Slice<S> {
    At { start: u32, end: u32 },
    Words(S),
}

impl<'a> Slice<&'a str> {
    fn of(part: &'a str, whole: &str) -> Slice<&'a str> {
        match whole.find(part) {
            Some(at) => Slice::At {
                start: at as u32,
                end: (at + part.len()) as u32,
            },
            None => Slice::Words(part),
        }
    }
}

impl Slice<String> {
    fn resolve(self, whole: &str, what: impl Fn() -> String) -> Result<String, StoreError> {
        match self {
            Slice::Words(words) => Ok(words),
            Slice::At { start, end } => whole
                .get(start as usize..end as usize)
                .map(str::to_owned)
                .ok_or_else(|| {
                    StoreError::Codec(format!("{} {start}..{end} is out of range", what()))
                }),
        }
    }
}

/// An actor or event named by its position in the document's mentions or
/// events (one byte instead of nine), or by id when it is not in them.
#[derive(Serialize, Deserialize)]
enum Ref<T> {
    Index(u32),
    Id(T),
}

#[derive(Serialize, Deserialize)]
struct StoredEvent<S> {
    id: EventId,
    kind: RelationKind,
    /// A slice of the text.
    label: Slice<S>,
    date: Option<S>,
}

#[derive(Serialize, Deserialize)]
struct StoredRelation<S> {
    id: RelationId,
    kind: RelationKind,
    subject: Ref<ActorId>,
    object: Option<Ref<ActorId>>,
    event: Option<Ref<EventId>>,
    span: Span,
    /// The sentence, only when it is not the text's slice at `span`.
    sentence: Option<S>,
    /// A slice of the sentence.
    quote: Option<Slice<S>>,
    /// The relation's confidence in hundredths (format version 4).
    confidence: u8,
}

/// A relation as format versions 2 and 3 stored it: without the
/// confidence that version 4 added at the end.
#[derive(Deserialize)]
struct StoredRelationV3 {
    id: RelationId,
    kind: RelationKind,
    subject: Ref<ActorId>,
    object: Option<Ref<ActorId>>,
    event: Option<Ref<EventId>>,
    span: Span,
    sentence: Option<String>,
    quote: Option<Slice<String>>,
}

impl From<StoredRelationV3> for StoredRelation<String> {
    fn from(r: StoredRelationV3) -> StoredRelation<String> {
        let confidence = Basis::unrecorded(
            r.kind,
            r.quote.is_some(),
            r.object.is_some(),
            r.event.is_some(),
        );
        StoredRelation {
            id: r.id,
            kind: r.kind,
            subject: r.subject,
            object: r.object,
            event: r.event,
            span: r.span,
            sentence: r.sentence,
            quote: r.quote,
            confidence: confidence.hundredths(),
        }
    }
}

/// A relation as format version 1 stored it, whole.
#[derive(Deserialize)]
pub(crate) struct RelationV1 {
    id: RelationId,
    kind: RelationKind,
    subject: ActorId,
    object: Option<ActorId>,
    event: Option<EventId>,
    document: newsgraph_model::DocumentId,
    evidence: Evidence,
    quote: Option<String>,
}

impl From<RelationV1> for Relation {
    fn from(r: RelationV1) -> Relation {
        Relation {
            confidence: Basis::unrecorded(
                r.kind,
                r.quote.is_some(),
                r.object.is_some(),
                r.event.is_some(),
            ),
            id: r.id,
            kind: r.kind,
            subject: r.subject,
            object: r.object,
            event: r.event,
            document: r.document,
            evidence: r.evidence,
            quote: r.quote,
        }
    }
}

/// A document record as written: borrows the graph being stored.
#[derive(Serialize)]
struct RecordOut<'a> {
    document: &'a Document,
    mentions: &'a [Mention],
    events: Vec<StoredEvent<&'a str>>,
    relations: Vec<StoredRelation<&'a str>>,
}

/// A document record as read. Its first two fields are [`DocumentHead`].
/// `D` and `R` are the document's and the relations' shapes: [`Document`]
/// and [`StoredRelation`]; [`StoredRelationV3`] in a store of format
/// version 3 and, with [`DocumentV2`], version 2.
#[derive(Deserialize)]
struct RecordIn<D = Document, R = StoredRelation<String>> {
    document: D,
    mentions: Vec<Mention>,
    events: Vec<StoredEvent<String>>,
    relations: Vec<R>,
}

/// A document as format versions 1 and 2 stored it: without the url and
/// author fields that version 3 added at the end.
#[derive(Deserialize)]
pub(crate) struct DocumentV2 {
    id: newsgraph_model::DocumentId,
    file: String,
    title: String,
    source: Option<String>,
    published: Option<String>,
    sha256: String,
    bytes: u64,
}

impl From<DocumentV2> for Document {
    fn from(d: DocumentV2) -> Document {
        Document {
            id: d.id,
            file: d.file,
            title: d.title,
            source: d.source,
            published: d.published,
            sha256: d.sha256,
            bytes: d.bytes,
            url: None,
            author: None,
        }
    }
}

/// The leading fields of a document record: what replacing or deleting a
/// document needs from the documents it shares actors with.
#[derive(Deserialize)]
pub struct DocumentHead {
    /// The document.
    pub document: Document,
    /// The actors it mentions, as it saw them.
    pub mentions: Vec<Mention>,
}

/// Encodes the graph one article contributes together with the article's
/// text: version byte, [`ZSTD`], the payload's length (u32, little endian),
/// then one zstd frame of the payload: the record's length (u32, little
/// endian), the record (bincode) and the text.
pub fn encode_document(graph: &DocumentGraph, text: &str) -> Result<Vec<u8>, StoreError> {
    let actor_at: std::collections::HashMap<ActorId, u32> = graph
        .mentions
        .iter()
        .enumerate()
        .map(|(i, m)| (m.actor, i as u32))
        .collect();
    let actor = |id: ActorId| match actor_at.get(&id) {
        Some(i) => Ref::Index(*i),
        None => Ref::Id(id),
    };
    let event = |id: EventId| match graph.events.iter().position(|e| e.id == id) {
        Some(i) => Ref::Index(i as u32),
        None => Ref::Id(id),
    };
    let events = graph
        .events
        .iter()
        .map(|e| StoredEvent {
            id: e.id,
            kind: e.kind,
            label: Slice::of(&e.label, text),
            date: e.date.as_deref(),
        })
        .collect();
    let relations = graph
        .relations
        .iter()
        .map(|r| {
            let sentence = r.evidence.sentence.as_str();
            let span = r.evidence.span;
            let sliced = text.get(span.start as usize..span.end as usize) == Some(sentence);
            StoredRelation {
                id: r.id,
                kind: r.kind,
                subject: actor(r.subject),
                object: r.object.map(actor),
                event: r.event.map(event),
                span,
                sentence: (!sliced).then_some(sentence),
                quote: r.quote.as_deref().map(|q| Slice::of(q, sentence)),
                confidence: r.confidence.hundredths(),
            }
        })
        .collect();
    let record = encode(&RecordOut {
        document: &graph.document,
        mentions: &graph.mentions,
        events,
        relations,
    })?;
    let payload_len = 4 + record.len() + text.len();
    if payload_len > DECODE_LIMIT {
        return Err(StoreError::Codec(format!(
            "a document of {payload_len} bytes is over the store's limit of {DECODE_LIMIT} bytes"
        )));
    }
    let mut payload = Vec::with_capacity(payload_len);
    payload.extend_from_slice(&(record.len() as u32).to_le_bytes());
    payload.extend_from_slice(&record);
    payload.extend_from_slice(text.as_bytes());
    let frame = compress(&payload)?;
    let mut out = Vec::with_capacity(6 + frame.len());
    out.push(VALUE_VERSION);
    out.push(ZSTD);
    out.extend_from_slice(&(payload_len as u32).to_le_bytes());
    out.extend_from_slice(&frame);
    Ok(out)
}

/// Decompresses a document value into its record bytes and its text.
fn open_document(bytes: &[u8]) -> Result<(Vec<u8>, usize), StoreError> {
    let [version, how, l0, l1, l2, l3, frame @ ..] = bytes else {
        return Err(StoreError::Codec("document value is truncated".into()));
    };
    if *version != VALUE_VERSION || *how != ZSTD {
        return Err(StoreError::Codec(format!(
            "document value version {version}.{how} is not {VALUE_VERSION}.{ZSTD}"
        )));
    }
    let len = u32::from_le_bytes([*l0, *l1, *l2, *l3]) as usize;
    if len > DECODE_LIMIT {
        return Err(StoreError::Codec(format!(
            "document value claims {len} bytes, over the limit of {DECODE_LIMIT}"
        )));
    }
    let payload = decompress(frame, len)?;
    let record_len = match payload.get(..4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
        _ => return Err(StoreError::Codec("document payload is truncated".into())),
    };
    if 4 + record_len > payload.len() {
        return Err(StoreError::Codec(format!(
            "document record of {record_len} bytes does not fit its payload"
        )));
    }
    Ok((payload, 4 + record_len))
}

fn text_str(payload: &[u8], text_at: usize) -> Result<&str, StoreError> {
    std::str::from_utf8(&payload[text_at..])
        .map_err(|e| StoreError::Codec(format!("stored text is not UTF-8: {e}")))
}

/// Decodes a document value written by [`encode_document`]: the graph
/// and the text.
pub fn decode_document(bytes: &[u8]) -> Result<(DocumentGraph, String), StoreError> {
    decode_document_as::<Document, StoredRelation<String>>(bytes)
}

/// [`decode_document`] for a value of a format version 2 store.
pub(crate) fn decode_document_v2(bytes: &[u8]) -> Result<(DocumentGraph, String), StoreError> {
    decode_document_as::<DocumentV2, StoredRelationV3>(bytes)
}

/// [`decode_document`] for a value of a format version 3 store.
pub(crate) fn decode_document_v3(bytes: &[u8]) -> Result<(DocumentGraph, String), StoreError> {
    decode_document_as::<Document, StoredRelationV3>(bytes)
}

fn decode_document_as<D, R>(bytes: &[u8]) -> Result<(DocumentGraph, String), StoreError>
where
    D: DeserializeOwned + Into<Document>,
    R: DeserializeOwned + Into<StoredRelation<String>>,
{
    let (payload, text_at) = open_document(bytes)?;
    let text = text_str(&payload, text_at)?;
    let graph = decode_graph::<D, R>(&payload[4..text_at], text, true)?;
    Ok((graph, text.to_owned()))
}

/// Decodes the graph of a document value with evidence sentences that are
/// spans of the text left empty (the view keeps spans only, see
/// [`crate::Store::sentence`]), without copying the text.
pub fn decode_document_spans(bytes: &[u8]) -> Result<DocumentGraph, StoreError> {
    let (payload, text_at) = open_document(bytes)?;
    let text = text_str(&payload, text_at)?;
    decode_graph::<Document, StoredRelation<String>>(&payload[4..text_at], text, false)
}

/// The graph of a record; `sentences`: whether to copy the evidence
/// sentences out of the text.
fn decode_graph<D, R>(
    record: &[u8],
    text: &str,
    sentences: bool,
) -> Result<DocumentGraph, StoreError>
where
    D: DeserializeOwned + Into<Document>,
    R: DeserializeOwned + Into<StoredRelation<String>>,
{
    let stored: RecordIn<D, R> = decode(record)?;
    let document: Document = stored.document.into();
    let doc = document.id;
    let mentions = stored.mentions;
    let mut events = Vec::with_capacity(stored.events.len());
    for e in stored.events {
        events.push(Event {
            id: e.id,
            kind: e.kind,
            label: e.label.resolve(text, || {
                format!("label of event {} of document {doc}", e.id)
            })?,
            date: e.date,
            document: doc,
        });
    }
    let actor = |r: Ref<ActorId>| match r {
        Ref::Id(id) => Ok(id),
        Ref::Index(i) => mentions
            .get(i as usize)
            .map(|m| m.actor)
            .ok_or_else(|| StoreError::Codec(format!("document {doc}: no mention {i}"))),
    };
    let event = |r: Ref<EventId>| match r {
        Ref::Id(id) => Ok(id),
        Ref::Index(i) => events
            .get(i as usize)
            .map(|e| e.id)
            .ok_or_else(|| StoreError::Codec(format!("document {doc}: no event {i}"))),
    };
    let mut relations = Vec::with_capacity(stored.relations.len());
    for r in stored.relations {
        let r: StoredRelation<String> = r.into();
        let slice = match &r.sentence {
            Some(s) => s.as_str(),
            None => text
                .get(r.span.start as usize..r.span.end as usize)
                .ok_or_else(|| {
                    StoreError::Codec(format!(
                        "relation {} of document {doc}: evidence span {}..{} is not in the text",
                        r.id, r.span.start, r.span.end
                    ))
                })?,
        };
        let quote = match r.quote {
            None => None,
            Some(q) => Some(q.resolve(slice, || {
                format!("quote of relation {} of document {doc}", r.id)
            })?),
        };
        let sentence = match r.sentence {
            Some(own) => own,
            None if sentences => slice.to_owned(),
            None => String::new(),
        };
        relations.push(Relation {
            id: r.id,
            kind: r.kind,
            subject: actor(r.subject)?,
            object: r.object.map(actor).transpose()?,
            event: r.event.map(event).transpose()?,
            document: doc,
            evidence: Evidence {
                sentence,
                span: r.span,
            },
            quote,
            confidence: Confidence::from_hundredths(r.confidence),
        });
    }
    Ok(DocumentGraph {
        document,
        mentions,
        events,
        relations,
    })
}

/// Decodes only the document and its mentions from a document value.
pub fn decode_document_head(bytes: &[u8]) -> Result<DocumentHead, StoreError> {
    let (payload, text_at) = open_document(bytes)?;
    decode_prefix(&payload[4..text_at])
}

/// Decodes only the text from a document value.
pub fn decode_document_text(bytes: &[u8]) -> Result<String, StoreError> {
    let (payload, text_at) = open_document(bytes)?;
    text_str(&payload, text_at).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_model::{Actor, ActorKind};

    #[test]
    fn values_round_trip() {
        let actor = Actor {
            id: Actor::id_for_name("NATO"),
            name: "NATO".into(),
            kind: ActorKind::Organization,
            aliases: vec!["North Atlantic Treaty Organization".into()],
        };
        let bytes = encode(&actor).unwrap();
        assert_eq!(bytes[0], VALUE_VERSION);
        assert_eq!(decode::<Actor>(&bytes).unwrap(), actor);
    }

    #[test]
    fn corrupt_values_are_errors_not_panics() {
        assert!(decode::<Actor>(&[]).is_err());
        assert!(decode::<Actor>(&[9, 1, 2]).is_err());
        assert!(decode::<Actor>(&[VALUE_VERSION, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        // A length prefix claiming a huge string must hit the limit, not allocate.
        let mut huge = vec![VALUE_VERSION, 0, 0xfd];
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode::<Actor>(&huge).is_err());
        let mut trailing = encode(&"x".to_string()).unwrap();
        trailing.push(0);
        assert!(decode::<String>(&trailing).is_err());
    }

    #[test]
    fn documents_round_trip_with_slices_and_every_fallback() {
        use newsgraph_model::Span;
        let text = "Serbia asked KFOR to return. \"We will not,\" KFOR said.";
        let doc = Document {
            id: Document::id_for_file("a.txt"),
            file: "a.txt".into(),
            title: "Serbia asked KFOR".into(),
            source: None,
            published: Some("2022-12-16".into()),
            sha256: newsgraph_model::content_sha256(text),
            bytes: text.len() as u64,
            url: Some("https://example.org/a".into()),
            author: Some("Ana Lind".into()),
        };
        let mention = |name: &str| Mention {
            actor: Actor::id_for_name(name),
            name: name.into(),
            kind: ActorKind::Country,
            aliases: vec![],
        };
        let event = |label: &str, n: u64| Event {
            id: EventId(n),
            kind: RelationKind::Requested,
            label: label.into(),
            date: None,
            document: doc.id,
        };
        let relation = |n: u64, sentence: &str, span: (u32, u32), quote: Option<&str>| Relation {
            id: RelationId(n),
            kind: RelationKind::Said,
            subject: Actor::id_for_name("Serbia"),
            object: Some(Actor::id_for_name("Nowhere")), // not among the mentions
            event: Some(EventId(if n == 1 { 10 } else { 99 })), // 99: not an event of the document
            document: doc.id,
            evidence: Evidence {
                sentence: sentence.into(),
                span: Span {
                    start: span.0,
                    end: span.1,
                },
            },
            quote: quote.map(str::to_owned),
            confidence: Confidence::from_hundredths(n as u8 * 10),
        };
        let graph = DocumentGraph {
            document: doc.clone(),
            mentions: vec![mention("Serbia"), mention("KFOR")],
            events: vec![event("return", 10), event("a label not in the text", 11)],
            relations: vec![
                // A slice of the text, quote inside the sentence.
                relation(
                    1,
                    "\"We will not,\" KFOR said.",
                    (29, 54),
                    Some("We will not,"),
                ),
                // Not a slice of the text, quote not in the sentence.
                relation(
                    2,
                    "A sentence from elsewhere.",
                    (0, 5),
                    Some("two … quotes"),
                ),
            ],
        };
        assert_eq!(&text[29..54], "\"We will not,\" KFOR said.");
        let bytes = encode_document(&graph, text).unwrap();
        let (back, back_text) = decode_document(&bytes).unwrap();
        assert_eq!(back, graph);
        assert_eq!(back_text, text);
        assert_eq!(decode_document_text(&bytes).unwrap(), text);
        let head = decode_document_head(&bytes).unwrap();
        assert_eq!(
            (head.document, head.mentions),
            (doc, graph.mentions.clone())
        );
        // Truncated or altered values are errors, never panics.
        for cut in [0, 1, 5, 6, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode_document(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut claims_more = bytes.clone();
        claims_more[2..6].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode_document(&claims_more).is_err());
    }
}
