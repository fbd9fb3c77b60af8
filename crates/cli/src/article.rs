//! Articles as JSON objects (`extract --jsonl` input, `ingest` feeds):
//! `{"id", "text", "title"?, "url"?, "source"?, "published"?, "author"?}`.
//!
//! One reading of such an object for every command, so that `ingest` of a
//! feed, `extract --jsonl` and `import` of its output give the same
//! document: the same name (the id), the same text (a title becomes the
//! headline line of the text, as in an article file) and the same
//! metadata (given metadata wins over what extraction reads in the text).

use newsgraph_model::DocumentGraph;
use serde_json::{Map, Value};

/// The optional metadata fields of an article; each must be a string (or
/// null) when present.
const OPTIONAL_STRINGS: [&str; 5] = ["title", "url", "source", "published", "author"];

/// Bytes of JSON a line may take beyond its text's share: a text of
/// `max_bytes` can grow sixfold when escaped (`\u0001` for one byte), and
/// the other fields need room too.
const LINE_SLACK: usize = 64 * 1024;

/// The longest article line read whole for articles of at most
/// `max_bytes`; a longer one is refused without being held in memory.
pub fn max_line(max_bytes: usize) -> usize {
    max_bytes.saturating_mul(6).saturating_add(LINE_SLACK)
}

/// An article read from a JSON object, checked and ready to extract.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The id as given (a string or a number), for answers.
    pub id: Value,
    /// The id, as a string (a number's JSON text): the document's file name.
    pub name: String,
    /// The text as extraction and the store see it: the title as its
    /// first line when one is given, then the text; no byte order mark.
    pub text: String,
    /// The outlet, when given.
    pub source: Option<String>,
    /// The publication date (YYYY-MM-DD), when given.
    pub published: Option<String>,
    /// Where the article was published, when given.
    pub url: Option<String>,
    /// Who wrote it, when given.
    pub author: Option<String>,
}

/// Why a line is not an article: the message, and the id to answer with
/// (JSON null when the line has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub id: Value,
    pub message: String,
}

impl Rejected {
    fn without_id(message: String) -> Rejected {
        Rejected {
            id: Value::Null,
            message,
        }
    }
}

/// Reads one line of a feed: a JSON object, checked as `decode_article`
/// checks an article file (UTF-8, not empty or binary, at most
/// `max_bytes`, title included). Messages start with `what` ("line 4").
pub fn from_line(what: &str, raw: &[u8], max_bytes: usize) -> Result<Article, Rejected> {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let text = std::str::from_utf8(raw).map_err(|e| {
        Rejected::without_id(format!(
            "{what} is not valid UTF-8 at byte {}",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(Rejected::without_id(format!("{what} is empty")));
    }
    let object = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(Rejected::without_id(format!("{what} is not a JSON object"))),
        Err(e) => return Err(Rejected::without_id(format!("{what} is not JSON: {e}"))),
    };
    from_object(&object, max_bytes).map_err(|message| Rejected {
        id: object.get("id").cloned().unwrap_or(Value::Null),
        message: format!("{what}: {message}"),
    })
}

/// Reads an article from a JSON object.
pub fn from_object(article: &Map<String, Value>, max_bytes: usize) -> Result<Article, String> {
    let name = name(article)?;
    let text = match article.get("text") {
        None | Some(Value::Null) => return Err("no \"text\"".into()),
        Some(Value::String(text)) => text,
        Some(_) => return Err("\"text\" is not a string".into()),
    };
    for key in OPTIONAL_STRINGS {
        optional_string(article, key)?;
    }
    let checked = |text: &str| {
        newsgraph_ingest::decode_article(&name, text.as_bytes(), max_bytes)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    checked(text)?;
    // A title is the headline line of an article file: ingest reads the
    // first line as the title (and an outlet after " | "), then the text.
    // Offsets count in this text, as in a file laid out so.
    let text = match optional_string(article, "title")?.map(one_line) {
        Some(title) if !title.is_empty() => format!("{title}\n\n{text}"),
        _ => text.clone(),
    };
    checked(&text)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_owned();
    let given = |key: &str| -> Result<Option<String>, String> {
        Ok(optional_string(article, key)?
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned))
    };
    let published = match given("published")? {
        None => None,
        Some(date) => Some(
            newsgraph_ingest::meta::find_date(&date)
                .and_then(|d| d.iso())
                .ok_or_else(|| {
                    format!(
                        "\"published\" is not a date with a year (\"2020-05-01\", \"2020-05-01T09:30:00Z\", \"May 1, 2020\"): {date:?}"
                    )
                })?,
        ),
    };
    Ok(Article {
        id: article.get("id").cloned().unwrap_or(Value::Null),
        name,
        text,
        source: given("source")?,
        published,
        url: given("url")?,
        author: given("author")?,
    })
}

impl Article {
    /// The article's graph, with the given metadata on its document.
    pub fn extract(&self, options: &newsgraph_ingest::ExtractOptions) -> Extracted {
        let extracted = newsgraph_ingest::extract_with(&self.name, &self.text, options);
        let mut graph = extracted.graph;
        if let Some(source) = &self.source {
            graph.document.source = Some(source.clone());
        }
        if let Some(published) = &self.published {
            graph.document.published = Some(published.clone());
        }
        graph.document.url = self.url.clone();
        graph.document.author = self.author.clone();
        Extracted {
            graph,
            parsed_sentences: extracted.parsed.len(),
        }
    }
}

/// An article's graph, and how many sentences the syntactic layer parsed.
pub struct Extracted {
    pub graph: DocumentGraph,
    pub parsed_sentences: usize,
}

/// The article's name: its id as a string (a number's JSON text).
fn name(article: &Map<String, Value>) -> Result<String, String> {
    match article.get("id") {
        None | Some(Value::Null) => Err("no \"id\"".into()),
        Some(Value::String(s)) if s.trim().is_empty() => Err("\"id\" is empty".into()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(_) => Err("\"id\" is neither a string nor a number".into()),
    }
}

/// The optional string field `key` (absent and null are `None`).
pub fn optional_string<'a>(
    object: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{key}\" is not a string")),
    }
}

/// A title on one line (a headline never spans lines in a file).
fn one_line(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = newsgraph_ingest::DEFAULT_MAX_BYTES;

    #[test]
    fn a_title_becomes_the_headline_line_and_metadata_is_trimmed() {
        let article = from_line(
            "line 1",
            br#"{"id":12,"title":" Talks\nstall ","text":"Nothing.","source":" The Planet ","url":"https://example.org/a","author":null}"#,
            MAX,
        )
        .unwrap();
        assert_eq!(article.name, "12");
        assert_eq!(article.text, "Talks stall\n\nNothing.");
        assert_eq!(article.source.as_deref(), Some("The Planet"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(article.author, None);
    }

    #[test]
    fn published_dates_are_read_in_the_usual_forms_or_refused() {
        let published = |value: &str| {
            let line = format!(r#"{{"id":"a","text":"Nothing.","published":{value:?}}}"#);
            from_line("line 1", line.as_bytes(), MAX).map(|a| a.published)
        };
        assert_eq!(published("2020-05-01"), Ok(Some("2020-05-01".into())));
        assert_eq!(
            published("2020-05-01T09:30:00Z"),
            Ok(Some("2020-05-01".into()))
        );
        assert_eq!(published("May 1, 2020"), Ok(Some("2020-05-01".into())));
        assert_eq!(published(" "), Ok(None));
        let refused = published("yesterday").unwrap_err();
        assert_eq!(refused.id, "a");
        assert!(refused.message.contains("\"published\""), "{refused:?}");
    }

    #[test]
    fn bad_lines_say_why_with_the_id_when_there_is_one() {
        let message = |line: &[u8]| from_line("line 3", line, MAX).unwrap_err();
        assert_eq!(message(b"").message, "line 3 is empty");
        assert_eq!(message(b"[1]").message, "line 3 is not a JSON object");
        assert!(message(b"{").message.starts_with("line 3 is not JSON"));
        assert_eq!(
            message(b"\xff").message,
            "line 3 is not valid UTF-8 at byte 0"
        );
        let no_text = message(br#"{"id":"x"}"#);
        assert_eq!(
            (no_text.id, no_text.message.as_str()),
            ("x".into(), "line 3: no \"text\"")
        );
        assert_eq!(message(br#"{"text":"a"}"#).message, "line 3: no \"id\"");
        assert_eq!(
            message(br#"{"id":"x","text":"a","url":1}"#).message,
            "line 3: \"url\" is not a string"
        );
        let too_big = format!(r#"{{"id":"x","text":"{}"}}"#, "a".repeat(20));
        assert!(from_line("line 3", too_big.as_bytes(), 10).is_err());
    }
}
