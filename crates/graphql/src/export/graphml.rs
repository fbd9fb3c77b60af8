//! GraphML, as Gephi, NetworkX (`read_graphml`) and yEd read it: one
//! directed graph whose nodes are the documents, actors and events, and
//! whose edges are the relations (subject to [`Target`]) and the
//! documents' `mentions` and `reports` edges, with their properties as
//! typed `<data>` declared by `<key>`s.
//!
//! Node ids are the export ids prefixed by the node's type (`actor:…`,
//! `document:…`, `event:…`), so that they are unique across types; a
//! relation's edge has the relation id as its id (NetworkX's edge key) and
//! as its `relation` property (what tools that drop edge ids keep). Every node has `type`
//! and `label` (the name, title or event label: what Gephi shows), every
//! edge `label` (`said`, `requested`, `rejected`, `mentions`, `reports`).
//! An absent value is a missing `<data>`. Actor aliases are joined with `;`.

use std::fmt::Write;

use super::{Contents, Target};

/// `(key id, for, attr.name, attr.type)` of every property written.
const KEYS: [(&str, &str, &str, &str); 24] = [
    ("n_type", "node", "type", "string"),
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_aliases", "node", "aliases", "string"),
    ("n_file", "node", "file", "string"),
    ("n_source", "node", "source", "string"),
    ("n_published", "node", "published", "string"),
    ("n_url", "node", "url", "string"),
    ("n_author", "node", "author", "string"),
    ("n_sha256", "node", "sha256", "string"),
    ("n_date", "node", "date", "string"),
    ("n_document", "node", "document", "string"),
    ("e_label", "edge", "label", "string"),
    ("e_relation", "edge", "relation", "string"),
    ("e_subject", "edge", "subject", "string"),
    ("e_object", "edge", "object", "string"),
    ("e_event", "edge", "event", "string"),
    ("e_document", "edge", "document", "string"),
    ("e_evidence", "edge", "evidence", "string"),
    ("e_start", "edge", "start", "int"),
    ("e_end", "edge", "end", "int"),
    ("e_quote", "edge", "quote", "string"),
    ("e_confidence", "edge", "confidence", "double"),
    ("e_target", "edge", "target", "string"),
];

/// The selection as a GraphML document (see the module doc).
pub fn to_graphml(contents: &Contents<'_>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (id, domain, name, kind) in KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        );
    }
    out.push_str("  <graph id=\"newsgraph\" edgedefault=\"directed\">\n");
    for (d, _) in &contents.documents {
        let mut node = Element::open(&mut out, "node", &format!("document:{}", d.id), None);
        node.data("n_type", Some("document"));
        node.data("n_label", Some(&d.title));
        node.data("n_file", Some(&d.file));
        node.data("n_source", d.source.as_deref());
        node.data("n_published", d.published.as_deref());
        node.data("n_url", d.url.as_deref());
        node.data("n_author", d.author.as_deref());
        node.data("n_sha256", Some(&d.sha256));
        node.close();
    }
    for a in &contents.actors {
        let mut node = Element::open(&mut out, "node", &format!("actor:{}", a.id), None);
        node.data("n_type", Some("actor"));
        node.data("n_label", Some(&a.name));
        node.data("n_kind", Some(a.kind.as_str()));
        let aliases = a.aliases.join(";");
        node.data(
            "n_aliases",
            Some(aliases.as_str()).filter(|s| !s.is_empty()),
        );
        node.close();
    }
    for e in &contents.events {
        let mut node = Element::open(&mut out, "node", &format!("event:{}", e.id), None);
        node.data("n_type", Some("event"));
        node.data("n_label", Some(&e.label));
        node.data("n_kind", Some(e.kind.as_str()));
        node.data("n_date", e.date.as_deref());
        node.data("n_document", Some(&e.document.to_string()));
        node.close();
    }
    for r in &contents.relations {
        let (target, target_type) = match Target::of(r) {
            Target::Actor(a) => (format!("actor:{a}"), "actor"),
            Target::Event(e) => (format!("event:{e}"), "event"),
            Target::Document(d) => (format!("document:{d}"), "document"),
        };
        let ends = (format!("actor:{}", r.subject), target);
        let mut edge = Element::open(&mut out, "edge", &r.id.to_string(), Some(&ends));
        edge.data("e_label", Some(r.kind.as_str()));
        edge.data("e_relation", Some(&r.id.to_string()));
        edge.data("e_subject", Some(&r.subject.to_string()));
        edge.data("e_object", r.object.map(|o| o.to_string()).as_deref());
        edge.data("e_event", r.event.map(|e| e.to_string()).as_deref());
        edge.data("e_document", Some(&r.document.to_string()));
        edge.data("e_evidence", Some(&r.evidence.sentence));
        edge.data("e_start", Some(&r.evidence.span.start.to_string()));
        edge.data("e_end", Some(&r.evidence.span.end.to_string()));
        edge.data("e_quote", r.quote.as_deref());
        edge.data("e_confidence", Some(&r.confidence.to_string()));
        edge.data("e_target", Some(target_type));
        edge.close();
    }
    for (d, mentioned) in &contents.documents {
        for actor in mentioned {
            let ends = (format!("document:{}", d.id), format!("actor:{actor}"));
            let mut edge = Element::open_anonymous(&mut out, &ends);
            edge.data("e_label", Some("mentions"));
            edge.close();
        }
    }
    for e in &contents.events {
        let ends = (
            format!("document:{}", e.document),
            format!("event:{}", e.id),
        );
        let mut edge = Element::open_anonymous(&mut out, &ends);
        edge.data("e_label", Some("reports"));
        edge.close();
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// A `<node>` or `<edge>` being written, its `<data>` children after it.
struct Element<'o> {
    out: &'o mut String,
    tag: &'static str,
}

impl<'o> Element<'o> {
    fn open(
        out: &'o mut String,
        tag: &'static str,
        id: &str,
        ends: Option<&(String, String)>,
    ) -> Element<'o> {
        let _ = write!(out, "    <{tag} id=\"{}\"", xml_escape(id));
        Self::ends(out, tag, ends)
    }

    /// An edge without an id (its ends say what it is).
    fn open_anonymous(out: &'o mut String, ends: &(String, String)) -> Element<'o> {
        out.push_str("    <edge");
        Self::ends(out, "edge", Some(ends))
    }

    fn ends(
        out: &'o mut String,
        tag: &'static str,
        ends: Option<&(String, String)>,
    ) -> Element<'o> {
        if let Some((source, target)) = ends {
            let _ = write!(
                out,
                " source=\"{}\" target=\"{}\"",
                xml_escape(source),
                xml_escape(target)
            );
        }
        out.push_str(">\n");
        Element { out, tag }
    }

    /// A property; nothing when it is absent.
    fn data(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            let _ = writeln!(
                self.out,
                "      <data key=\"{key}\">{}</data>",
                xml_escape(value)
            );
        }
    }

    fn close(self) {
        let _ = writeln!(self.out, "    </{}>", self.tag);
    }
}

/// Escapes text for XML content or a double-quoted attribute: the five
/// markup characters as entities, tab, line feed and carriage return as
/// character references (so that a parser keeps them as they were), and
/// the characters XML 1.0 cannot hold at all (other C0 controls,
/// U+FFFE, U+FFFF) left out.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::Tricky;

    #[test]
    fn markup_line_breaks_and_forbidden_characters_are_escaped() {
        assert_eq!(
            xml_escape("<a href=\"x\">Tom & Jerry's</a>\n\r\t\u{1}\u{FFFF}é"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;&#10;&#13;&#9;é"
        );
    }

    #[test]
    fn nodes_and_edges_carry_their_escaped_properties() {
        let tricky = Tricky::new();
        let xml = to_graphml(&tricky.contents());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml "));
        assert!(xml.ends_with("  </graph>\n</graphml>\n"));
        // 1 document + 2 actors + 1 event; 2 relations + 2 mentions + 1 report
        assert_eq!(xml.matches("<node id=").count(), 4);
        assert_eq!(xml.matches("<edge").count(), 5);
        assert!(xml.contains(
            "    <node id=\"actor:0000000000000001\">\n      <data key=\"n_type\">actor</data>\n      \
             <data key=\"n_label\">Smith, &quot;Jo&quot; &lt;&amp;&gt;</data>\n"
        ));
        assert!(xml.contains("<data key=\"n_aliases\">J.;Jo</data>"));
        assert!(xml.contains(
            "    <edge id=\"00000000000000a1\" source=\"actor:0000000000000001\" target=\"actor:0000000000000002\">\n"
        ));
        assert!(xml.contains(
            "<data key=\"e_evidence\">He said: &quot;go, now&quot;&#10;and left.</data>"
        ));
        // A relation without an object or event points at its document
        assert!(xml.contains(
            "<edge id=\"00000000000000a2\" source=\"actor:0000000000000002\" target=\"document:00000000000000d1\">"
        ));
        assert!(xml.contains(
            "<edge source=\"document:00000000000000d1\" target=\"event:00000000000000e1\">\n      <data key=\"e_label\">reports</data>"
        ));
        // Absent values are left out, not written empty
        assert!(!xml.contains("<data key=\"e_quote\"></data>"));
        assert!(!xml.contains("<data key=\"n_source\">"));
    }
}
