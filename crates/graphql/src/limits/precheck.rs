//! What is refused before a request is parsed or validated: brackets
//! nested too deep (the parser would overflow the stack), and too many
//! tokens, directives or aliases (cheap ways to make one request cost the
//! parser, the validator or the resolvers far more than it cost to send:
//! 5,000 `@include` on one field are 90 kilobytes, and were answered with
//! 4,999 "Duplicate directive" errors, 1.1 megabytes).

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Request, ServerError};

use crate::Limits;

use super::codes::limit_exceeded;
use super::guard::thousands;

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

/// What one lexical pass counts in a query text, or the caps it is held
/// to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LexicalCounts {
    /// Tokens: names, numbers, strings and punctuators (`{`, `:`, `@`,
    /// `...`); commas, white space and comments are not tokens.
    pub tokens: usize,
    /// Directives (`@include(if: $x)` is one).
    pub directives: usize,
    /// Field aliases (`a: actor(...)` is one), in operations and fragments
    /// alike.
    pub aliases: usize,
}

/// The count that passed its cap first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexicalLimit {
    /// [`LexicalCounts::tokens`].
    Tokens,
    /// [`LexicalCounts::directives`].
    Directives,
    /// [`LexicalCounts::aliases`].
    Aliases,
}

/// What [`lexical_counts`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexicalScan {
    /// The counts when the scan ended: the whole text's, unless a cap was
    /// passed (the count past it is then its cap plus one).
    pub counts: LexicalCounts,
    /// The count that passed its cap, if one did.
    pub over: Option<LexicalLimit>,
    /// Bytes read before the scan ended.
    pub scanned: usize,
}

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_name_continue(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Counts the tokens, directives and aliases of a query text in one pass
/// over its bytes, and stops at the first token that passes a cap: a
/// hostile text costs at most `caps.tokens` tokens of work, however long
/// it is (a string literal is one token, read to its end).
///
/// The pass needs no parse and keeps no stack. Every `@` is a directive
/// (nothing else in an executable document uses it), and a name followed
/// by `:` outside parentheses is an alias (arguments, variable definitions
/// and object values, the other places a colon may follow a name, are all
/// inside parentheses). On a document that parses, the counts are those of
/// its syntax tree ([`aliases_in`]); a text that does not parse is refused
/// by the parser, if no cap refuses it first.
pub fn lexical_counts(query: &str, caps: LexicalCounts) -> LexicalScan {
    let bytes = query.as_bytes();
    let mut counts = LexicalCounts::default();
    let (mut i, mut parentheses, mut after_name) = (0usize, 0usize, false);
    while i < bytes.len() {
        let byte = bytes[i];
        let mut name = false;
        match byte {
            // Ignored: white space, line ends, commas and the byte order mark.
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            0xEF if bytes[i..].starts_with(b"\xEF\xBB\xBF") => {
                i += 3;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
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
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            _ if is_name_start(byte) => {
                i += 1;
                while i < bytes.len() && is_name_continue(bytes[i]) {
                    i += 1;
                }
                name = true;
            }
            // A number, and whatever letters, dots or signs cling to it
            // (`1.5e-3`; anything else there does not parse).
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len()
                    && (is_name_continue(bytes[i]) || matches!(bytes[i], b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
            }
            // Punctuators, and any other byte, one token each.
            _ => {
                match byte {
                    b'(' => parentheses += 1,
                    b')' => parentheses = parentheses.saturating_sub(1),
                    b'@' => counts.directives += 1,
                    b':' if after_name && parentheses == 0 => counts.aliases += 1,
                    _ => {}
                }
                i += 1;
            }
        }
        after_name = name;
        counts.tokens += 1;
        let over = if counts.tokens > caps.tokens {
            Some(LexicalLimit::Tokens)
        } else if counts.directives > caps.directives {
            Some(LexicalLimit::Directives)
        } else if counts.aliases > caps.aliases {
            Some(LexicalLimit::Aliases)
        } else {
            None
        };
        if over.is_some() {
            return LexicalScan {
                counts,
                over,
                scanned: i.min(bytes.len()),
            };
        }
    }
    LexicalScan {
        counts,
        over: None,
        scanned: bytes.len(),
    }
}

/// The error for a text over a lexical cap.
fn lexical_error(scan: &LexicalScan, caps: &LexicalCounts) -> Option<ServerError> {
    let (what, seen, cap) = match scan.over? {
        LexicalLimit::Tokens => (
            "tokens (names, values and punctuation)",
            scan.counts.tokens,
            caps.tokens,
        ),
        LexicalLimit::Directives => ("directives", scan.counts.directives, caps.directives),
        LexicalLimit::Aliases => ("aliases", scan.counts.aliases, caps.aliases),
    };
    Some(limit_exceeded(format!(
        "the query has at least {} {what}; at most {} are allowed",
        thousands(seen as u64),
        thousands(cap as u64)
    )))
}

/// Checks a request against the limits the schema cannot check itself,
/// and leaves it parsed (the schema then does not parse it again):
///
/// - brackets nested deeper than twice the recursion limit are refused
///   before parsing: the parser recurses once per level of a nested list
///   or object value and has no limit of its own there, so a few kilobytes
///   of `[[[[...` overflowed a worker's stack and aborted the whole server;
/// - more than `limits.tokens` tokens, `limits.directives` directives or
///   `limits.aliases` field aliases are refused before parsing too, by a
///   pass that stops at the first token over a cap ([`lexical_counts`]):
///   5,000 `@include` on one field were parsed and validated, and answered
///   with an error for each but the first.
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
    let caps = LexicalCounts {
        tokens: limits.tokens,
        directives: limits.directives,
        aliases: limits.aliases,
    };
    if let Some(error) = lexical_error(&lexical_counts(&request.query, caps), &caps) {
        return Err(error);
    }
    request.parsed_query()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use async_graphql::{Request, ServerError};

    use super::{aliases_in, check_request, lexical_counts, nesting_in};
    use super::{LexicalCounts, LexicalLimit};
    use crate::{ErrorCode, Limits};

    const NO_CAPS: LexicalCounts = LexicalCounts {
        tokens: usize::MAX,
        directives: usize::MAX,
        aliases: usize::MAX,
    };

    fn counts(query: &str) -> LexicalCounts {
        let scan = lexical_counts(query, NO_CAPS);
        assert_eq!(scan.over, None);
        assert_eq!(scan.scanned, query.len());
        scan.counts
    }

    fn check(query: &str, limits: &Limits) -> Result<(), ServerError> {
        check_request(&mut Request::new(query), limits)
    }

    /// The message of a LIMIT_EXCEEDED refusal.
    fn refusal(query: &str, limits: &Limits) -> String {
        let error = check(query, limits).expect_err("refused");
        assert!(ErrorCode::LimitExceeded.is_on(&error), "{error:?}");
        error.message
    }

    /// `n` fields `stats { documents }` with `aliased` of them aliased and
    /// `directives` directives on the first.
    fn query_with(n: usize, aliased: usize, directives: usize) -> String {
        let mut q = String::from("{");
        for i in 0..n {
            if i < aliased {
                q.push_str(&format!(" a{i}:"));
            }
            q.push_str(" stats");
            if i == 0 {
                q.push_str(&" @include(if: true)".repeat(directives));
            }
            q.push_str(" { documents }");
        }
        q.push_str(" }");
        q
    }

    #[test]
    fn lexical_counts_count_tokens_directives_and_aliases() {
        assert_eq!(
            counts("{ a }"),
            LexicalCounts {
                tokens: 3,
                directives: 0,
                aliases: 0
            }
        );
        // Commas, comments and white space are not tokens; `...`, a string,
        // a block string and a number are one each.
        let query = concat!(
            "# a comment: with a colon @ and brace {\n",
            "query Q($x: Boolean = true, $n: Float = -1.5e+3) {\n",
            "  first: actor(name: \"a: b @c\", filter: {kind: \"\"\"x: \\\"\"\" @y\"\"\"}) @include(if: $x) {\n",
            "    ... on Actor @skip(if: false) { n: name }\n",
            "    ...F,,,\n",
            "  }\n",
            "}\n",
            "fragment F on Actor { id, k: kind }",
        );
        let document = async_graphql::parser::parse_query(query).expect("it parses");
        let found = counts(query);
        assert_eq!(found.directives, 2);
        assert_eq!(found.aliases, 3);
        assert_eq!(found.aliases, aliases_in(&document));
        // Line by line, from the second: 17, 24, 15, 2, 1, 1, 10
        assert_eq!(found.tokens, 17 + 24 + 15 + 2 + 1 + 1 + 10);
    }

    #[test]
    fn each_count_is_accepted_at_its_cap_and_refused_one_over() {
        let limits = Limits {
            tokens: 500,
            directives: 5,
            aliases: 4,
            ..Limits::default()
        };
        // Aliases
        check(&query_with(6, 4, 0), &limits).expect("4 aliases");
        let message = refusal(&query_with(6, 5, 0), &limits);
        assert_eq!(
            message,
            "the query has at least 5 aliases; at most 4 are allowed"
        );
        // Directives
        check(&query_with(1, 0, 5), &limits).expect("5 directives");
        let message = refusal(&query_with(1, 0, 6), &limits);
        assert_eq!(
            message,
            "the query has at least 6 directives; at most 5 are allowed"
        );
        // Tokens: `{ }` and 5 per field; pad the last field to hit 500
        // exactly with `{ stats { documents documents ... } }`
        let at_cap = format!("{{ stats {{ {} }} }}", "documents ".repeat(500 - 5));
        assert_eq!(counts(&at_cap).tokens, 500);
        check(&at_cap, &limits).expect("500 tokens");
        let over = format!("{{ stats {{ {} }} }}", "documents ".repeat(500 - 4));
        let message = refusal(&over, &limits);
        assert_eq!(
            message,
            "the query has at least 501 tokens (names, values and punctuation); at most 500 are allowed"
        );
        // The default caps name their figures with thousands separators
        let message = refusal(&format!("{{ {} }}", "a ".repeat(6_000)), &Limits::default());
        assert!(
            message.contains("5,001 tokens") && message.contains("5,000"),
            "{message}"
        );
    }

    #[test]
    fn aliases_in_fragments_count_too() {
        let limits = Limits {
            aliases: 2,
            ..Limits::default()
        };
        let query =
            "{ stats { ...S } } fragment S on Stats { a: documents b: actors c: relations }";
        let message = refusal(query, &limits);
        assert!(message.contains("3 aliases"), "{message}");
    }

    /// Regression: 5,000 `@include` on one field (90 kilobytes) were
    /// parsed and validated, and answered with 4,999 errors (1.1 megabytes).
    #[test]
    fn five_thousand_includes_on_one_field_are_refused_after_the_fifty_first() {
        let query = query_with(1, 0, 5_000);
        let message = refusal(&query, &Limits::default());
        assert_eq!(
            message,
            "the query has at least 51 directives; at most 50 are allowed"
        );
        // The scan stopped at the 51st: a fraction of the text was read
        let caps = LexicalCounts {
            tokens: 5_000,
            directives: 50,
            aliases: 30,
        };
        let scan = lexical_counts(&query, caps);
        assert_eq!(scan.over, Some(LexicalLimit::Directives));
        assert!(
            scan.scanned < 1_000,
            "{} of {} bytes",
            scan.scanned,
            query.len()
        );
    }

    #[test]
    fn hostile_texts_are_refused_or_parsed_without_panic() {
        let limits = Limits::default();
        let caps = LexicalCounts {
            tokens: limits.tokens,
            directives: limits.directives,
            aliases: limits.aliases,
        };
        // 100,000 opening braces: too deep (which is checked first), and
        // too many tokens
        let braces = "{".repeat(100_000);
        let error = check(&braces, &limits).expect_err("refused");
        assert!(error.message.contains("deep"), "{error:?}");
        let scan = lexical_counts(&braces, caps);
        assert_eq!(scan.over, Some(LexicalLimit::Tokens));
        assert_eq!(scan.scanned, 5_001);
        // 100,000 fields: too many tokens, found in the first few kilobytes
        let fields = format!("{{ {} }}", "a ".repeat(100_000));
        assert!(refusal(&fields, &limits).contains("tokens"));
        assert!(lexical_counts(&fields, caps).scanned < 20_000);
        // A 10 MiB string is one token; a string of 256 KiB is then parsed
        // and answered (the parser's part is no limit's business)
        let long = |bytes: usize| {
            format!(
                "{{ actors(search: \"{}\") {{ totalCount }} }}",
                "x:@{".repeat(bytes / 4)
            )
        };
        assert_eq!(counts(&long(10 << 20)).tokens, 11);
        check(&long(256 << 10), &limits).expect("a long string is parsed");
        // Unterminated strings and block strings, a lone escape at the end,
        // characters outside ASCII and a byte order mark end the scan
        // without reading past the text
        for text in [
            "{ a(s: \"",
            "{ a(s: \"abc\\",
            "{ a(s: \"\"\"abc",
            "{ a(s: \"\"\"abc\\\"\"",
            "{ a(s: \"\"\"\"\"",
            "\u{feff}{ a }",
            "{ é: ü }",
            "-",
            "1e",
            "..",
            "",
        ] {
            let scan = lexical_counts(text, NO_CAPS);
            assert!(scan.scanned <= text.len(), "{text:?}");
            let _ = check(text, &limits);
        }
        assert_eq!(counts("\u{feff}{ a }").tokens, 3);
    }

    /// A random source for the generated documents (xorshift: the same
    /// documents on every run).
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn value(&mut self, depth: usize, out: &mut String) {
            match self.below(if depth == 0 { 4 } else { 6 }) {
                0 => out.push_str("-12.5e+3"),
                1 => out.push_str("\"a: b @c { ( \\\" ...\""),
                2 => out.push_str("\"\"\"x: @y \\\"\"\" {\"\"\""),
                3 => out.push_str("$v"),
                4 => {
                    out.push_str("{k: ");
                    self.value(depth - 1, out);
                    out.push_str(", l: 1}");
                }
                _ => {
                    out.push('[');
                    self.value(depth - 1, out);
                    out.push(' ');
                    self.value(depth - 1, out);
                    out.push(']');
                }
            }
        }

        fn directives(&mut self, out: &mut String) -> usize {
            let n = self.below(3);
            for _ in 0..n {
                out.push_str(" @d");
                if self.below(2) == 0 {
                    out.push_str("(if: ");
                    self.value(2, out);
                    out.push(')');
                }
            }
            n
        }

        /// A selection set; returns the directives written.
        fn selection_set(&mut self, depth: usize, out: &mut String) -> usize {
            let mut directives = 0;
            out.push_str(" {");
            for _ in 0..1 + self.below(3) {
                match self.below(if depth == 0 { 2 } else { 5 }) {
                    0 => out.push_str(" ...F"),
                    1 | 2 => {
                        if self.below(2) == 0 {
                            out.push_str(" al # a comment\n :");
                        }
                        out.push_str(" f");
                        if self.below(2) == 0 {
                            out.push_str("(a: ");
                            self.value(2, out);
                            out.push_str(", b:");
                            self.value(1, out);
                            out.push(')');
                        }
                        directives += self.directives(out);
                        if depth > 0 && self.below(2) == 0 {
                            directives += self.selection_set(depth - 1, out);
                        }
                    }
                    _ => {
                        out.push_str(" ... on T");
                        directives += self.directives(out);
                        directives += self.selection_set(depth - 1, out);
                    }
                }
            }
            out.push_str(" }");
            directives
        }
    }

    /// Generated documents with aliases, directives, arguments, object and
    /// list values, strings holding punctuation, comments and fragments:
    /// the counts of the lexical pass are those of the syntax tree.
    #[test]
    fn the_lexical_counts_agree_with_the_syntax_tree() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for _ in 0..500 {
            let mut text = String::from("query Q($v: [Int!] = [1, 2]) ");
            let mut directives = random.directives(&mut text);
            directives += random.selection_set(4, &mut text);
            text.push_str(" fragment F on T");
            directives += random.directives(&mut text);
            directives += random.selection_set(1, &mut text);
            let document = async_graphql::parser::parse_query(&text)
                .unwrap_or_else(|e| panic!("{text:?} does not parse: {e}"));
            let found = counts(&text);
            assert_eq!(found.aliases, aliases_in(&document), "{text:?}");
            assert_eq!(found.directives, directives, "{text:?}");
        }
    }

    /// Random runs of GraphQL's punctuation, names, numbers, strings and
    /// comments, mostly not documents: the pass reads each to its end
    /// without panicking.
    #[test]
    fn the_lexical_pass_survives_random_texts() {
        const PIECES: [&str; 24] = [
            "{", "}", "(", ")", "[", "]", ":", "@", "$", "...", "..", " a", "on", "1", "-", "e",
            "\"", "\"\"\"", "\\", "#", "\n", ",", "\u{feff}", "é",
        ];
        let mut random = Random(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let len = 1 + random.below(32);
            let text: String = (0..len)
                .map(|_| PIECES[random.below(PIECES.len())])
                .collect();
            let scan = lexical_counts(&text, NO_CAPS);
            assert_eq!(scan.over, None);
            assert_eq!(scan.scanned, text.len(), "{text:?}");
        }
    }

    /// The Explorer's longest query (scripts/explorer/src/api.js,
    /// `relationsOfMany`: 15 actors by alias, each with 300 relations) and
    /// GraphiQL's introspection query stay well under the default caps.
    #[test]
    fn the_explorers_and_graphiqls_queries_are_well_under_the_caps() {
        let neighbours = crate::tests::explorer_neighbours_query();
        let limits = Limits::default();
        let found = counts(&neighbours);
        assert_eq!(found.aliases, 15);
        assert!(found.aliases * 2 <= limits.aliases, "{found:?}");
        assert!(found.tokens * 4 < limits.tokens, "{found:?}");
        check(&neighbours, &limits).expect("within the caps");

        let introspection = counts(include_str!("../introspection.graphql"));
        assert!(
            introspection.tokens * 20 < limits.tokens,
            "{introspection:?}"
        );
        assert_eq!(introspection.directives, 0);
    }

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
