//! CSV in the layout `neo4j-admin database import` reads: one file per
//! node label and one per relationship shape, each with a header naming
//! its id spaces (`id:ID(Actor)`, `:START_ID(Actor)`, `:END_ID(Event)`),
//! labels, types and typed properties.
//!
//! Fields are quoted as RFC 4180 says (a field holding a comma, a double
//! quote, a CR or an LF is quoted and its quotes doubled; records end in
//! CRLF). An absent value is an empty unquoted field, which neo4j-admin
//! leaves out of the node; an empty string is `""`. Evidence sentences may
//! hold line breaks, so the import needs `--multiline-fields=true`. Actor
//! aliases are a `string[]` joined with neo4j-admin's default array
//! delimiter `;`.

use super::{Contents, Target};
use newsgraph_model::Relation;

/// One file of the CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    /// The file name: one of [`CSV_FILES`].
    pub name: &'static str,
    /// The file's text: a header line, then one record per node or edge.
    pub content: String,
}

/// The files [`to_csv`] writes, in its order: every one, header included,
/// even when it has no records.
pub const CSV_FILES: [&str; 8] = [
    NODES_DOCUMENTS,
    NODES_ACTORS,
    NODES_EVENTS,
    TO_ACTORS,
    TO_EVENTS,
    TO_DOCUMENTS,
    MENTIONS,
    REPORTS,
];

const NODES_DOCUMENTS: &str = "nodes-documents.csv";
const NODES_ACTORS: &str = "nodes-actors.csv";
const NODES_EVENTS: &str = "nodes-events.csv";
const TO_ACTORS: &str = "relationships-to-actors.csv";
const TO_EVENTS: &str = "relationships-to-events.csv";
const TO_DOCUMENTS: &str = "relationships-to-documents.csv";
const MENTIONS: &str = "relationships-mentions.csv";
const REPORTS: &str = "relationships-reports.csv";

/// The properties every relation edge carries, after its ends and type.
const RELATION_PROPERTIES: &str =
    "id,document,event,evidence,start:int,end:int,quote,confidence:float";

/// The selection as neo4j-admin import files: nodes `Document`, `Actor`
/// and `Event`; a relation is an edge of type `SAID`, `REQUESTED` or
/// `REJECTED` from its subject to its [`Target`] (an actor, an event or a
/// document, one file each, since each end names its id space); a document
/// `MENTIONS` the selected actors it names and `REPORTS` its events.
pub fn to_csv(contents: &Contents<'_>) -> Vec<CsvFile> {
    let mut documents =
        Table::new("id:ID(Document),:LABEL,file,title,source,published,url,author,sha256");
    let mut mentions = Table::new(":START_ID(Document),:END_ID(Actor),:TYPE");
    for (d, mentioned) in &contents.documents {
        let id = d.id.to_string();
        documents.record(&[
            Some(&id),
            Some("Document"),
            Some(&d.file),
            Some(&d.title),
            d.source.as_deref(),
            d.published.as_deref(),
            d.url.as_deref(),
            d.author.as_deref(),
            Some(&d.sha256),
        ]);
        for actor in mentioned {
            mentions.record(&[Some(&id), Some(&actor.to_string()), Some("MENTIONS")]);
        }
    }
    let mut actors = Table::new("id:ID(Actor),:LABEL,name,kind,aliases:string[]");
    for a in &contents.actors {
        let aliases = a.aliases.join(";");
        actors.record(&[
            Some(&a.id.to_string()),
            Some("Actor"),
            Some(&a.name),
            Some(a.kind.as_str()),
            Some(aliases.as_str()).filter(|s| !s.is_empty()),
        ]);
    }
    let mut events = Table::new("id:ID(Event),:LABEL,kind,label,date,document");
    let mut reports = Table::new(":START_ID(Document),:END_ID(Event),:TYPE");
    for e in &contents.events {
        let id = e.id.to_string();
        let document = e.document.to_string();
        events.record(&[
            Some(&id),
            Some("Event"),
            Some(e.kind.as_str()),
            Some(&e.label),
            e.date.as_deref(),
            Some(&document),
        ]);
        reports.record(&[Some(&document), Some(&id), Some("REPORTS")]);
    }
    let relations = |end: &str| {
        Table::new(&format!(
            ":START_ID(Actor),:END_ID({end}),:TYPE,{RELATION_PROPERTIES}"
        ))
    };
    let mut to_actors = relations("Actor");
    let mut to_events = relations("Event");
    let mut to_documents = relations("Document");
    for r in &contents.relations {
        let (table, end) = match Target::of(r) {
            Target::Actor(a) => (&mut to_actors, a.to_string()),
            Target::Event(e) => (&mut to_events, e.to_string()),
            Target::Document(d) => (&mut to_documents, d.to_string()),
        };
        relation_record(table, r, &end);
    }
    [
        (NODES_DOCUMENTS, documents),
        (NODES_ACTORS, actors),
        (NODES_EVENTS, events),
        (TO_ACTORS, to_actors),
        (TO_EVENTS, to_events),
        (TO_DOCUMENTS, to_documents),
        (MENTIONS, mentions),
        (REPORTS, reports),
    ]
    .into_iter()
    .map(|(name, table)| CsvFile {
        name,
        content: table.0,
    })
    .collect()
}

fn relation_record(table: &mut Table, r: &Relation, end: &str) {
    let kind = r.kind.as_str().to_uppercase();
    table.record(&[
        Some(&r.subject.to_string()),
        Some(end),
        Some(&kind),
        Some(&r.id.to_string()),
        Some(&r.document.to_string()),
        r.event.map(|e| e.to_string()).as_deref(),
        Some(&r.evidence.sentence),
        Some(&r.evidence.span.start.to_string()),
        Some(&r.evidence.span.end.to_string()),
        r.quote.as_deref(),
        Some(&r.confidence.to_string()),
    ]);
}

/// A CSV file being written: its header, then records.
struct Table(String);

impl Table {
    fn new(header: &str) -> Table {
        let mut text = String::with_capacity(header.len() + 2);
        text.push_str(header);
        text.push_str("\r\n");
        Table(text)
    }

    /// Appends a record; `None` is an empty, unquoted field.
    fn record(&mut self, fields: &[Option<&str>]) {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            if let Some(value) = field {
                push_field(&mut self.0, value);
            }
        }
        self.0.push_str("\r\n");
    }
}

/// Appends one field, quoted when RFC 4180 requires it, and when empty
/// (an empty quoted field is an empty string to neo4j-admin, an empty
/// unquoted one no value).
fn push_field(out: &mut String, value: &str) {
    if value.is_empty() || value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::Tricky;

    fn file<'a>(files: &'a [CsvFile], name: &str) -> &'a str {
        &files.iter().find(|f| f.name == name).unwrap().content
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let mut s = String::new();
        for v in [
            "plain",
            "a,b",
            "say \"no\"",
            "two\nlines",
            "cr\r",
            "",
            "<&>",
        ] {
            push_field(&mut s, v);
            s.push('|');
        }
        assert_eq!(
            s,
            "plain|\"a,b\"|\"say \"\"no\"\"\"|\"two\nlines\"|\"cr\r\"|\"\"|<&>|"
        );
    }

    #[test]
    fn every_file_has_its_neo4j_header_and_one_record_per_node_or_edge() {
        let tricky = Tricky::new();
        let files = to_csv(&tricky.contents());
        let names: Vec<_> = files.iter().map(|f| f.name).collect();
        assert_eq!(names, CSV_FILES);
        assert_eq!(
            file(&files, NODES_ACTORS),
            "id:ID(Actor),:LABEL,name,kind,aliases:string[]\r\n\
             0000000000000001,Actor,\"Smith, \"\"Jo\"\" <&>\",person,J.;Jo\r\n\
             0000000000000002,Actor,NATO,organization,\r\n"
        );
        let to_actors = file(&files, TO_ACTORS);
        assert!(to_actors.starts_with(
            ":START_ID(Actor),:END_ID(Actor),:TYPE,id,document,event,evidence,start:int,end:int,quote,confidence:float\r\n"
        ));
        assert!(
            to_actors.contains(
                "0000000000000001,0000000000000002,REQUESTED,00000000000000a1,00000000000000d1,00000000000000e1,\"He said: \"\"go, now\"\"\nand left.\",3,29,\"go, now\",0.85\r\n"
            ),
            "{to_actors}"
        );
        assert_eq!(file(&files, TO_EVENTS).lines().count(), 1);
        assert_eq!(
            file(&files, TO_DOCUMENTS),
            ":START_ID(Actor),:END_ID(Document),:TYPE,id,document,event,evidence,start:int,end:int,quote,confidence:float\r\n\
             0000000000000002,00000000000000d1,SAID,00000000000000a2,00000000000000d1,,Fine.,30,35,,0.05\r\n"
        );
        assert_eq!(
            file(&files, MENTIONS),
            ":START_ID(Document),:END_ID(Actor),:TYPE\r\n\
             00000000000000d1,0000000000000001,MENTIONS\r\n\
             00000000000000d1,0000000000000002,MENTIONS\r\n"
        );
        assert!(file(&files, NODES_DOCUMENTS)
            .contains(",Document,\"a,b.txt\",\"Title \"\"x\"\"\",,2024-01-02,,,"));
        assert!(file(&files, REPORTS).ends_with("00000000000000d1,00000000000000e1,REPORTS\r\n"));
    }
}
