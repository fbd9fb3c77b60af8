//! JSON Lines: one JSON object per line, the records of the JSON export
//! ([`super::to_json`]) each with a `type` field: documents, actors and
//! events first (the nodes), then relations (the edges). A document lists
//! the selected actors it mentions, as in the JSON export; a relation
//! without an object has `"object": null`.

use serde_json::Value;

use super::{actor_json, document_json, event_json, relation_json, Contents};

/// The selection as JSON Lines (see the module doc); every line ends in `\n`.
pub fn to_jsonl(contents: &Contents<'_>) -> String {
    let mut out = String::new();
    let documents = contents.documents.iter().map(|(d, mentions)| {
        let mentions = mentions.iter().map(ToString::to_string).collect();
        ("document", document_json(d, mentions))
    });
    let actors = contents.actors.iter().map(|a| ("actor", actor_json(a)));
    let events = contents.events.iter().map(|e| ("event", event_json(e)));
    let relations = contents
        .relations
        .iter()
        .map(|r| ("relation", relation_json(r)));
    for (kind, mut record) in documents.chain(actors).chain(events).chain(relations) {
        if let Value::Object(fields) = &mut record {
            fields.insert("type".to_owned(), Value::from(kind));
        }
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::Tricky;

    #[test]
    fn one_typed_record_per_line_nodes_first_read_back_whole() {
        let tricky = Tricky::new();
        let text = to_jsonl(&tricky.contents());
        let records: Vec<Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let types: Vec<&str> = records
            .iter()
            .map(|r| r["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            ["document", "actor", "actor", "event", "relation", "relation"]
        );
        assert_eq!(records[1]["name"], "Smith, \"Jo\" <&>");
        assert_eq!(records[4]["evidence"], "He said: \"go, now\"\nand left.");
        assert_eq!(records[5]["object"], Value::Null);
        assert_eq!(records[0]["mentions"][1], "0000000000000002");
        // A line break inside a value stays escaped: one record, one line
        assert_eq!(text.lines().count(), records.len());
    }
}
