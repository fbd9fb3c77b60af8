//! What is refused before a request is parsed or validated: brackets
//! nested too deep (the parser would overflow the stack) and too many
//! aliases (a cheap way to multiply work in one request).

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Request, ServerError};

use crate::Limits;

fn count_aliases(set: &SelectionSet, count: &mut usize) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                if field.node.alias.is_some() {
                    *count += 1;
                }
                count_aliases(&field.node.selection_set.node, count);
            }
            Selection::InlineFragment(fragment) => {
                count_aliases(&fragment.node.selection_set.node, count)
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

/// Aliases in every operation and fragment of a document.
pub fn aliases_in(document: &ExecutableDocument) -> usize {
    let mut count = 0;
    for (_, op) in document.operations.iter() {
        count_aliases(&op.node.selection_set.node, &mut count);
    }
    for fragment in document.fragments.values() {
        count_aliases(&fragment.node.selection_set.node, &mut count);
    }
    count
}

/// The deepest nesting of `{`, `[` and `(` in a query text, outside
/// strings, block strings and comments.
pub fn nesting_in(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Checks a request against the limits the schema cannot check itself,
/// and leaves it parsed (the schema then does not parse it again):
///
/// - brackets nested deeper than twice the recursion limit are refused
///   before parsing: the parser recurses once per level of a nested list
///   or object value and has no limit of its own there, so a few kilobytes
///   of `[[[[...` overflowed a worker's stack and aborted the whole server;
/// - more than `limits.aliases` field aliases are refused.
pub fn check_request(request: &mut Request, limits: &Limits) -> Result<(), ServerError> {
    let max_nesting = limits.recursion.saturating_mul(2);
    let nesting = nesting_in(&request.query);
    if nesting > max_nesting {
        return Err(ServerError::new(
            format!(
                "the query is nested too deep: {nesting} levels of brackets; at most {max_nesting} are allowed"
            ),
            None,
        ));
    }
    let aliases = aliases_in(request.parsed_query()?);
    if aliases > limits.aliases {
        return Err(ServerError::new(
            format!(
                "the query uses {aliases} aliases; at most {} are allowed",
                limits.aliases
            ),
            None,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::nesting_in;

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert_eq!(nesting_in("{ a }"), 1);
        assert_eq!(nesting_in("{ a(x: [[1]]) { b } }"), 4);
        assert_eq!(nesting_in(r#"{ a(s: "[[[[{{{{") }"#), 2);
        assert_eq!(nesting_in(r#"{ a(s: "\"[[[[") }"#), 2);
        assert_eq!(nesting_in("{ a(s: \"\"\"[[[ \\\"\"\" [[[\"\"\") }"), 2);
        assert_eq!(nesting_in("# [[[[[\n{ a }"), 1);
        // Unbalanced closers do not underflow.
        assert_eq!(nesting_in("}}} { a }"), 1);
        // An unterminated string or block string ends the scan.
        assert_eq!(nesting_in("{ a(s: \"[[[[ "), 2);
        assert_eq!(nesting_in("{ a(s: \"\"\"[[[[ "), 2);
    }
}
