//! Text layer: content lines (boilerplate dropped), sentences, direct
//! quotes and tokens, all with byte offsets into the original text.

use crate::lexicon::Lexicon;

/// A token with its byte range in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is.
    pub kind: TokenKind,
}

/// Token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, digits, internal hyphens/periods/apostrophes.
    Word,
    /// A possessive clitic ('s, ’s, ‘s, or a bare apostrophe after s).
    Possessive,
    /// An opening double quote.
    QuoteOpen,
    /// A closing double quote.
    QuoteClose,
    /// Any other punctuation character.
    Punct(char),
}

/// A sentence (or several, merged because one quote spans them).
#[derive(Debug, Clone)]
pub struct Unit {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Tokens inside.
    pub tokens: Vec<Token>,
    /// Each token's text, folded (lowercase, no diacritics): what the
    /// lexicons are matched against.
    pub folded: Folded,
    /// Quoted byte ranges (content between the marks) inside the unit.
    pub quotes: Vec<(usize, usize)>,
    /// Whether each token lies inside a direct quote.
    pub quoted: Vec<bool>,
    /// First token after a dateline ("GENEVA, March 3 (Reuters) -"), else 0.
    pub body_start: usize,
    /// Whether the unit is a headline-like line without final punctuation.
    pub headline: bool,
    /// Index of the paragraph (content line) it belongs to.
    pub paragraph: usize,
}

/// [`newsgraph_model::fold`] (lowercase, diacritics dropped, whitespace
/// runs as one space, none at the ends), appended to `out`. ASCII text,
/// nearly every token and name, is folded here without normalisation or
/// a temporary string; the rest goes through `fold`.
pub fn fold_into(out: &mut String, text: &str) {
    if !text.is_ascii() {
        out.push_str(&newsgraph_model::fold(text));
        return;
    }
    let start = out.len();
    // `char::is_whitespace` on ASCII: space and \t \n \x0B \x0C \r.
    let is_space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
    if !text.bytes().any(is_space) {
        // A token: lowercase it in one pass over the copy.
        out.push_str(text);
        out[start..].make_ascii_lowercase();
        return;
    }
    let mut pending_space = false;
    for b in text.bytes() {
        if is_space(b) {
            pending_space = out.len() > start;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(char::from(b.to_ascii_lowercase()));
    }
}

/// [`newsgraph_model::fold`], with [`fold_into`]'s fast path for ASCII.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text);
    out
}

/// The folded tokens of a unit, kept as one string in which they are
/// joined by single spaces: `folded[a..b]` is the tokens `a..b` joined with
/// " ", the form of the lexicon's multiword keys, so probing the lexicon
/// with a run of tokens builds no string (it did for every probe).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    text: String,
    /// Byte range of each token in `text`.
    spans: Vec<(usize, usize)>,
}

impl Folded {
    /// Folds each word with [`fold`].
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Folded {
        let words = words.into_iter();
        let mut folded = Folded {
            text: String::new(),
            spans: Vec::with_capacity(words.size_hint().0),
        };
        for word in words {
            if !folded.spans.is_empty() {
                folded.text.push(' ');
            }
            let start = folded.text.len();
            fold_into(&mut folded.text, word);
            folded.spans.push((start, folded.text.len()));
        }
        folded
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Token `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.spans.get(i).map(|&(s, e)| &self.text[s..e])
    }

    /// The tokens in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&(s, e)| &self.text[s..e])
    }
}

impl std::ops::Index<usize> for Folded {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        let (s, e) = self.spans[i];
        &self.text[s..e]
    }
}

impl std::ops::Index<std::ops::Range<usize>> for Folded {
    type Output = str;

    /// Tokens `a..b` joined by single spaces ("" when `a == b`); panics
    /// on a range out of bounds, as slicing would.
    fn index(&self, r: std::ops::Range<usize>) -> &str {
        let tokens = &self.spans[r];
        match (tokens.first(), tokens.last()) {
            (Some(first), Some(last)) => &self.text[first.0..last.1],
            _ => "",
        }
    }
}

impl Unit {
    /// Whether token `i` lies inside a direct quote.
    pub fn token_quoted(&self, i: usize) -> bool {
        self.quoted.get(i).copied().unwrap_or(false)
    }
}

/// Whether byte `at` lies strictly inside one of the sorted, disjoint spans.
fn inside_spans(spans: &[(usize, usize)], at: usize) -> bool {
    let i = spans.partition_point(|(s, _)| *s < at);
    i > 0 && at < spans[i - 1].1
}

/// The sentence as the parser should read it, byte for byte as long as
/// `s`: wire-service markup in angle brackets is blanked out. A stock
/// ticker ("Exxon Corp <XON>") goes entirely, the brackets around a name
/// ("<PC Acquisition Inc> said") go and the name stays. Neither is a word
/// of the sentence, and the treebank never saw them: left in, they break
/// the lists and appositions around them.
pub fn for_parser(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('<') && !s.contains('-') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut bytes = s.as_bytes().to_vec();
    let mut i = 0;
    while let Some(open) = s[i..].find('<').map(|k| i + k) {
        let Some(close) = s[open + 1..]
            .find(['>', '<', '\n'])
            .map(|k| open + 1 + k)
            .filter(|&c| s.as_bytes()[c] == b'>' && c - open <= 80)
        else {
            i = open + 1;
            continue;
        };
        let inner = &s[open + 1..close];
        let ticker = (1..=8).contains(&inner.len())
            && inner.bytes().any(|b| b.is_ascii_uppercase())
            && inner
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.');
        let name = inner.chars().next().is_some_and(char::is_uppercase);
        if ticker {
            bytes[open..=close].fill(b' ');
        } else if name {
            bytes[open] = b' ';
            bytes[close] = b' ';
        }
        i = close + 1;
    }
    blank_party_labels(s, &mut bytes);
    // Only ASCII bytes were replaced, by ASCII spaces.
    String::from_utf8(bytes).map_or(std::borrow::Cow::Borrowed(s), std::borrow::Cow::Owned)
}

/// The US press's party-and-state label after a politician's name
/// ("Mitch McConnell, R-Ky., said", "Bob Corker (R-Tenn.) said") is no
/// word of the sentence either: blanked with its commas or parentheses.
fn blank_party_labels(s: &str, bytes: &mut [u8]) {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 4 < b.len() {
        let open = b[i];
        if open != b',' && open != b'(' {
            i += 1;
            continue;
        }
        let mut k = i + 1;
        if open == b',' && b.get(k) == Some(&b' ') {
            k += 1;
        }
        let party = b.get(k).is_some_and(|c| matches!(c, b'R' | b'D' | b'I'))
            && b.get(k + 1) == Some(&b'-')
            && b.get(k + 2).is_some_and(u8::is_ascii_uppercase);
        if !party {
            i += 1;
            continue;
        }
        let state_end = (k + 2..b.len().min(k + 14))
            .find(|&j| !(b[j].is_ascii_alphabetic() || b[j] == b'.'))
            .unwrap_or(b.len());
        let close = if open == b'(' { b')' } else { b',' };
        if b.get(state_end) == Some(&close) {
            bytes[i..=state_end].fill(b' ');
            i = state_end + 1;
        } else {
            i += 1;
        }
    }
}

/// Words of a string (for lexicon keys): the same rules as [`tokenize`].
pub fn word_strings(text: &str) -> Vec<&str> {
    tokenize(text, 0)
        .into_iter()
        .filter(|t| !matches!(t.kind, TokenKind::QuoteOpen | TokenKind::QuoteClose))
        .map(|t| &text[t.start..t.end])
        .collect()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// A text's characters by index, as the tokenizer reads them (it looks a
/// few characters back and ahead).
trait CharIndex {
    /// Number of characters.
    fn count(&self) -> usize;
    /// Character `i`, if there is one.
    fn at(&self, i: usize) -> Option<char>;
    /// Byte offset of character `i`; the text's length past the end.
    fn offset(&self, i: usize) -> usize;
}

/// ASCII text, where character `i` is byte `i`: no table to build.
struct AsciiChars<'a>(&'a [u8]);

impl CharIndex for AsciiChars<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.0.get(i).map(|&b| char::from(b))
    }

    fn offset(&self, i: usize) -> usize {
        i.min(self.0.len())
    }
}

/// Any text: its characters decoded once with their byte offsets.
struct DecodedChars {
    chars: Vec<(usize, char)>,
    len: usize,
}

impl CharIndex for DecodedChars {
    fn count(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|(_, c)| *c)
    }

    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.len, |(o, _)| *o)
    }
}

/// Tokenizes `text`, whose first byte is at document offset `base`.
pub fn tokenize(text: &str, base: usize) -> Vec<Token> {
    if text.is_ascii() {
        tokenize_chars(&AsciiChars(text.as_bytes()), text.len(), base)
    } else {
        let chars = DecodedChars {
            chars: text.char_indices().collect(),
            len: text.len(),
        };
        tokenize_chars(&chars, text.len(), base)
    }
}

fn tokenize_chars(chars: &impl CharIndex, len: usize, base: usize) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(len / 5 + 1);
    let at = |i: usize| chars.at(i);
    let offset = |i: usize| chars.offset(i);
    // Character `i` where it is known to exist.
    let char_at = |i: usize| chars.at(i).unwrap_or(' ');
    let mut i = 0;
    while i < chars.count() {
        let c = char_at(i);
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            i += 1;
            while let Some(c) = at(i) {
                if c.is_alphanumeric() {
                    i += 1;
                } else if c == ','
                    && at(i - 1).is_some_and(|p| p.is_ascii_digit())
                    && (1..=3).all(|d| at(i + d).is_some_and(|n| n.is_ascii_digit()))
                    && !at(i + 4).is_some_and(|n| n.is_ascii_digit())
                {
                    // "1,000": a thousands separator stays in the number.
                    i += 1;
                } else if (c == '-' || c == '.' || c == '&')
                    && at(i + 1).is_some_and(char::is_alphanumeric)
                {
                    // "NATO-led", "U.S", "AT&T"; a period only between
                    // single letters or digits ("U.S.", "1.5").
                    if c == '.' {
                        let prev_single = i >= 1
                            && (i - 1 == start || at(i - 2).is_some_and(|p| !p.is_alphanumeric()))
                            || at(i - 1).is_some_and(|p| p.is_ascii_digit());
                        if !prev_single {
                            break;
                        }
                    }
                    i += 1;
                } else if is_apostrophe(c) && at(i + 1).is_some_and(char::is_alphabetic) {
                    // Possessive 's splits off; O'Brien and don't stay whole.
                    let is_possessive = at(i + 1).is_some_and(|n| n == 's' || n == 'S')
                        && !at(i + 2).is_some_and(char::is_alphanumeric);
                    if is_possessive {
                        break;
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            // Keep the final period of an abbreviation like "U.S." with it.
            if at(i) == Some('.')
                && i >= 2
                && at(i - 2) == Some('.')
                && at(i + 1).is_none_or(|n| !n.is_alphanumeric())
            {
                i += 1;
            }
            tokens.push(Token {
                start: base + offset(start),
                end: base + offset(i),
                kind: TokenKind::Word,
            });
            continue;
        }
        // Typewriter double quotes: two apostrophes (or two backquotes
        // opening), as archives and treebank-style text write them.
        if (c == '\'' || c == '`') && at(i + 1) == Some(c) {
            let prev_open = i == 0 || char_at(i - 1).is_whitespace() || char_at(i - 1) == '(';
            let next_open = at(i + 2)
                .is_some_and(|n| !n.is_whitespace() && !matches!(n, ',' | '.' | ';' | ')'));
            let kind = if c == '`' || (prev_open && next_open) {
                TokenKind::QuoteOpen
            } else {
                TokenKind::QuoteClose
            };
            tokens.push(Token {
                start: base + offset(i),
                end: base + offset(i + 2),
                kind,
            });
            i += 2;
            continue;
        }
        if is_apostrophe(c) {
            let prev_letter = i >= 1 && char_at(i - 1).is_alphanumeric();
            if prev_letter
                && at(i + 1).is_some_and(|n| n == 's' || n == 'S')
                && !at(i + 2).is_some_and(char::is_alphanumeric)
            {
                tokens.push(Token {
                    start: base + offset(i),
                    end: base + offset(i + 2),
                    kind: TokenKind::Possessive,
                });
                i += 2;
                continue;
            }
            if prev_letter
                && i >= 1
                && matches!(char_at(i - 1), 's' | 'S')
                && !at(i + 1).is_some_and(char::is_alphanumeric)
            {
                tokens.push(Token {
                    start: base + offset(i),
                    end: base + offset(i + 1),
                    kind: TokenKind::Possessive,
                });
                i += 1;
                continue;
            }
        }
        let kind = match c {
            '"' | '\u{201C}' => {
                let prev_open = i == 0
                    || char_at(i - 1).is_whitespace()
                    || matches!(
                        char_at(i - 1),
                        '(' | '[' | '\u{2014}' | '\u{2013}' | '-' | ':'
                    );
                let next_open = at(i + 1)
                    .is_some_and(|n| !n.is_whitespace() && !matches!(n, ',' | '.' | ';' | ')'));
                if prev_open && next_open {
                    TokenKind::QuoteOpen
                } else {
                    TokenKind::QuoteClose
                }
            }
            '\u{201E}' | '\u{00AB}' => TokenKind::QuoteOpen,
            '\u{201D}' | '\u{00BB}' => TokenKind::QuoteClose,
            c => TokenKind::Punct(c),
        };
        tokens.push(Token {
            start: base + offset(i),
            end: base + offset(i + 1),
            kind,
        });
        i += 1;
    }
    tokens
}

/// A content line of the article with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    /// First byte.
    pub start: usize,
    /// One past the last byte (trimmed).
    pub end: usize,
}

/// The article's content lines: non-empty, trimmed, not boilerplate, and
/// not in another language.
pub fn content_lines(text: &str, lex: &Lexicon) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut offset = 0;
    // Whether the last raw line was kept (a wrapped line continues it).
    let mut last_kept = false;
    let hard_wrapped = hard_wrapped(text);
    // Past the first blank line: the body, below the headline block.
    let mut in_body = false;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let body = raw.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let lead = body.len() - trimmed.len();
        let trimmed = trimmed.trim_end();
        if trimmed.is_empty() {
            in_body |= !out.is_empty();
        }
        if trimmed.is_empty() || is_boilerplate(trimmed, lex) || !looks_english(trimmed, lex) {
            last_kept = false;
            continue;
        }
        let line = Line {
            start: start + lead,
            end: start + lead + trimmed.len(),
        };
        match out.last_mut() {
            Some(previous)
                if last_kept
                    && lead == 0
                    && (hard_wrapped && in_body
                        || wrapped(&text[previous.start..previous.end], trimmed)) =>
            {
                previous.end = line.end;
            }
            _ => out.push(line),
        }
        last_kept = true;
    }
    out
}

/// Whether the whole text is hard-wrapped wire copy: its lines are cut
/// at one width (most between 45 and 80 characters, none past 85) and its
/// paragraphs start indented. In such a text a line that follows another
/// without indentation continues its paragraph, whatever it ends with.
fn hard_wrapped(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    let long = lines
        .iter()
        .filter(|l| (45..=80).contains(&l.chars().count()))
        .count();
    let indented = lines.iter().skip(1).any(|l| l.starts_with("  "));
    lines.len() >= 6
        && long * 10 >= lines.len() * 6
        && indented
        && lines.iter().all(|l| l.chars().count() <= 85)
}

/// Whether a line stops mid-sentence, so that the next line, when it
/// follows at once without indentation, continues it: hard-wrapped wire
/// copy ("The European Community accused the" / "United States of ...").
/// It does when it ends with a comma or a word that cannot end a
/// sentence ("the", "of", "which"), or with a lowercase word when the next
/// line starts in lowercase; a headline (capitals, title case, final
/// punctuation) or a line of verse does not.
fn wrapped(line: &str, next: &str) -> bool {
    let last_word = line.rsplit(char::is_whitespace).next().unwrap_or("");
    let lowercase_end =
        last_word.starts_with(char::is_lowercase) && last_word.ends_with(char::is_alphabetic);
    line.len() >= 30
        && (line.ends_with(',')
            || lowercase_end && CONTINUING.contains(&last_word)
            || lowercase_end && next.starts_with(char::is_lowercase))
}

/// Words after which a sentence goes on.
const CONTINUING: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "but", "as", "that", "which", "who", "whom", "whose", "its", "their", "his", "her", "our",
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "said",
    "than", "into", "over", "under", "about", "after", "before", "between", "against", "this",
    "these", "those", "some", "any", "no", "not",
];

fn glob(pattern: &str, text: &str) -> bool {
    let mut rest = text;
    for (i, part) in pattern.split('*').enumerate() {
        if part.is_empty() {
            continue;
        }
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else {
            match rest.find(part) {
                Some(p) => rest = &rest[p + part.len()..],
                None => return false,
            }
        }
    }
    pattern
        .rsplit('*')
        .next()
        .is_none_or(|p| p.is_empty() || rest.is_empty())
}

/// Whether a line is page furniture rather than article content.
pub fn is_boilerplate(line: &str, lex: &Lexicon) -> bool {
    let lower = line.to_lowercase();
    // Only "at most 12" and "at most 40" are asked of the count.
    let words = lower.split_whitespace().take(41).count();
    // A byline: "By Anna Smith", "By Tomás Herrera, Reuters".
    let byline = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
        .is_some_and(|rest| rest.starts_with(char::is_uppercase));
    if byline && words <= 12 {
        return true;
    }
    if !lower.chars().any(char::is_alphabetic) {
        return true;
    }
    let b = &lex.boilerplate;
    // "Source: ...", "Photo: ...": labels mark furniture at any length.
    b.labels
        .iter()
        .any(|label| lower.starts_with(label.as_str()))
        || words <= 12
            && b.phrases.iter().any(|phrase| {
                lower.starts_with(phrase.as_str())
                    && lower[phrase.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphabetic())
            })
        || words <= 40
            && (b.anchored.iter().any(|g| glob(g, &lower))
                || b.floating_literals
                    .as_ref()
                    .is_none_or(|literals| literals.is_match(&lower))
                    && b.floating.iter().any(|g| glob(g, &lower)))
}

/// A line of eight or more words with no English function word is taken
/// to be in another language (a footer, a caption in the source language).
fn looks_english(line: &str, lex: &Lexicon) -> bool {
    const FUNCTION: &[&str] = &[
        "the", "a", "an", "of", "to", "in", "and", "is", "was", "for", "on", "that", "with", "by",
        "it", "as", "at", "from", "he", "she", "they", "has", "have", "be", "are", "were", "said",
        "if", "not", "but", "or", "we", "you", "his", "her", "their", "this", "will", "would",
    ];
    let _ = lex;
    // Runs on every line: words are compared in place, and only a
    // non-ASCII word (whose lowercase may differ in length) is lowercased.
    let is_function = |w: &str| {
        if w.is_ascii() {
            FUNCTION.iter().any(|f| f.eq_ignore_ascii_case(w))
        } else {
            FUNCTION.contains(&w.to_lowercase().as_str())
        }
    };
    let mut words = 0;
    let mut function = false;
    // "he'd", "it's", "they're": a contraction's first part counts.
    for w in line
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
        .map(|w| w.split(['\'', '\u{2019}']).next().unwrap_or(w))
        .filter(|w| !w.is_empty())
    {
        words += 1;
        function = function || is_function(w);
        if words >= 8 && function {
            return true;
        }
    }
    words < 8 || function
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr",
    "sen", "rep", "gov", "pres", "st", "jr", "sr", "no", "nos", "vs", "etc", "inc", "corp", "ltd",
    "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "rev", "fr", "hon", "est", "approx", "dept", "univ", "assn", "bros", "e.g", "i.e",
    "u.s", "u.k", "u.n", "e.u", "a.m", "p.m",
];

/// Whether token `i` is the period of an abbreviation or an initial
/// ("Mr.", "Sen.", "J."), written right after it: no sentence end.
pub(crate) fn abbreviation_period(text: &str, tokens: &[Token], i: usize) -> bool {
    let (Some(t), Some(p)) = (tokens.get(i), i.checked_sub(1).and_then(|p| tokens.get(p))) else {
        return false;
    };
    t.kind == TokenKind::Punct('.')
        && p.kind == TokenKind::Word
        && p.end == t.start
        && text.get(p.start..p.end).is_some_and(|w| {
            let w = w.to_lowercase();
            ABBREVIATIONS.contains(&w.as_str())
                || (w.chars().count() == 1 && w.chars().all(char::is_alphabetic))
        })
}

/// Splits one content line into sentence units, merging sentences that one
/// direct quote spans. `paragraph` is the line's index.
pub fn units(text: &str, line: Line, paragraph: usize) -> Vec<Unit> {
    let slice = &text[line.start..line.end];
    let tokens = tokenize(slice, line.start);
    let quotes = quote_spans(&tokens, line.start, line.end);
    // Sentence boundaries as token indices (exclusive ends).
    let mut bounds = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if let TokenKind::Punct('.' | '!' | '?') = t.kind {
            let mut j = i + 1;
            while j < tokens.len()
                && matches!(
                    tokens[j].kind,
                    TokenKind::Punct('.' | '!' | '?' | ')') | TokenKind::QuoteClose
                )
            {
                j += 1;
            }
            let next = tokens.get(j);
            let is_abbrev = j == i + 1 && abbreviation_period(text, &tokens, i);
            let starts_sentence = next.is_none_or(|n| {
                let c = text[n.start..].chars().next().unwrap_or(' ');
                c.is_uppercase()
                    || c.is_ascii_digit()
                    || n.kind == TokenKind::QuoteOpen
                    || matches!(
                        n.kind,
                        TokenKind::Punct('\u{2014}' | '\u{2013}' | '-' | '(' | '[')
                    )
            });
            if !is_abbrev && starts_sentence && next.is_some() {
                bounds.push(j);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    bounds.push(tokens.len());
    // Merge across boundaries that fall inside a quote.
    let inside_quote = |at: usize| inside_spans(&quotes, at);
    let mut merged = Vec::new();
    let mut from = 0;
    for b in bounds {
        if b == 0 || b > tokens.len() {
            continue;
        }
        let end_byte = tokens[b - 1].end;
        if b < tokens.len() && inside_quote(end_byte) {
            continue;
        }
        if from < b {
            merged.push((from, b));
        }
        from = b;
    }
    let headline = !slice.ends_with(['.', '!', '?', '"', '\u{201D}', '\u{201C}', ')', ':']);
    merged
        .into_iter()
        .map(|(a, b)| {
            let start = tokens[a].start;
            let end = tokens[b - 1].end;
            let unit_quotes: Vec<(usize, usize)> = quotes
                .iter()
                .filter(|(s, e)| *e > start && *s < end)
                .map(|(s, e)| ((*s).max(start), (*e).min(end)))
                .collect();
            let quoted = tokens[a..b]
                .iter()
                .map(|t| {
                    let i = unit_quotes.partition_point(|(s, _)| *s <= t.start);
                    i > 0 && t.start < unit_quotes[i - 1].1
                })
                .collect();
            Unit {
                start,
                end,
                quoted,
                body_start: if a == 0 {
                    dateline_end(text, &tokens[a..b])
                } else {
                    0
                },
                folded: Folded::new(tokens[a..b].iter().map(|t| &text[t.start..t.end])),
                tokens: tokens[a..b].to_vec(),
                quotes: unit_quotes,
                headline,
                paragraph,
            }
        })
        .collect()
}

/// A dateline opens a story's first paragraph: a place in capitals, maybe a
/// country, a date or an agency, then a dash ("ANTWERP, Belgium, Oct 9
/// (Reuters) - ..."). Returns the index of the first token after the dash,
/// or 0 when the line has no dateline.
fn dateline_end(text: &str, tokens: &[Token]) -> usize {
    let Some(first) = tokens.first() else {
        return 0;
    };
    // "Washington (CNN) Donald Trump says ...": a place in one to three
    // capitalised words, then a news agency in parentheses.
    let capitalised = |t: &Token| {
        t.kind == TokenKind::Word && text[t.start..t.end].starts_with(char::is_uppercase)
    };
    if let Some(open) = tokens
        .iter()
        .take(4)
        .position(|t| t.kind == TokenKind::Punct('('))
        .filter(|&o| o > 0 && tokens[..o].iter().all(capitalised))
    {
        let close = tokens
            .iter()
            .enumerate()
            .skip(open + 1)
            .take(4)
            .find(|(_, t)| t.kind == TokenKind::Punct(')'))
            .map(|(i, _)| i);
        let agency = |c: &usize| {
            let words: Vec<&str> = tokens[open + 1..*c]
                .iter()
                .map(|t| &text[t.start..t.end])
                .collect();
            crate::lexicon::lexicon()
                .outlets
                .contains(&fold(&words.join(" ")))
        };
        if let Some(close) = close.filter(|c| *c > open + 1 && agency(c)) {
            let dash = tokens
                .get(close + 1)
                .is_some_and(|t| matches!(t.kind, TokenKind::Punct('-' | '\u{2014}' | '\u{2013}')));
            let next = close + 1 + usize::from(dash);
            if tokens.get(next).is_some_and(capitalised) {
                return next;
            }
        }
    }
    let place = &text[first.start..first.end];
    let capitals = place.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && place
            .chars()
            .all(|c| c.is_uppercase() || c == '.' || c == '-');
    if !capitals
        || !matches!(
            tokens.get(1).map(|t| t.kind),
            Some(TokenKind::Punct(',' | '-' | '\u{2014}' | '\u{2013}' | '('))
        )
    {
        return 0;
    }
    tokens
        .iter()
        .take(16)
        .position(|t| matches!(t.kind, TokenKind::Punct('-' | '\u{2014}' | '\u{2013}')))
        .map_or(0, |dash| dash + 1)
}

/// Pairs quote marks into quoted ranges. A closing mark with no opener
/// quotes from the start of the line; an opener with no closer quotes to
/// its end.
fn quote_spans(tokens: &[Token], line_start: usize, line_end: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for t in tokens {
        match t.kind {
            TokenKind::QuoteOpen if open.is_none() => open = Some(t.end),
            TokenKind::QuoteClose => match open.take() {
                Some(s) => spans.push((s, t.start)),
                None if spans.is_empty() => spans.push((line_start, t.start)),
                None => {}
            },
            _ => {}
        }
    }
    if let Some(s) = open {
        spans.push((s, line_end));
    }
    spans.retain(|(s, e)| e > s);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_reads_no_tickers() {
        let s = "Exxon Corp <XON>, Mobil <MOB.N> and <PC Acquisition Inc> said; 3 < 4 > 2 <b>";
        let p = for_parser(s);
        assert_eq!(p.len(), s.len());
        assert_eq!(
            p,
            "Exxon Corp      , Mobil         and  PC Acquisition Inc  said; 3 < 4 > 2 <b>"
        );
        assert!(matches!(
            for_parser("no brackets"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            for_parser("Mitch Rowe, R-Ky., said; Ann Cole (D-N.Y.) said; a well-known R-type"),
            "Mitch Rowe         said; Ann Cole          said; a well-known R-type"
        );
    }

    #[test]
    fn hard_wrapped_lines_are_joined_and_headlines_and_verse_are_not() {
        let lex = crate::lexicon::lexicon();
        let lines = |text: &str| -> Vec<String> {
            content_lines(text, lex)
                .into_iter()
                .map(|l| text[l.start..l.end].to_owned())
                .collect()
        };
        let wire =
            "TRADE TALKS OPEN IN GENEVA\n\nThe trade ministers of forty countries accused the\n\
                    United States of breaking a commitment to free trade\n\
                    through a tax on imported fuel.\n    The talks resume on Monday.\n";
        assert_eq!(
            lines(wire),
            [
                "TRADE TALKS OPEN IN GENEVA",
                "The trade ministers of forty countries accused the\nUnited States of breaking a commitment to free trade\nthrough a tax on imported fuel.",
                "The talks resume on Monday.",
            ]
        );
        let headline = "The Long History Of Trade Wars Between Friends\nThe ministers met again on Monday in Geneva.\n";
        assert_eq!(lines(headline).len(), 2);
        let verse = "Be the leader who shines in a smaller crowd\nGet those jokes off, and smile at them.\n";
        assert_eq!(lines(verse).len(), 2);
        // Wire copy cut at one width with indented paragraphs: a line
        // ending in a capitalised word or a full stop goes on all the same.
        let wire = "BOND MARKET STALLED BY CRISIS\nDate: 1987-10-19\n\n\
                    The thriving market in Luxembourg\n\
                    franc bond issues has been stalled by the government\n\
                    crisis, which forced up interest rates, dealers said.\n\
                    \x20   On Monday, the king accepted the resignation of the\n\
                    prime minister's coalition and asked him to try again.\n\
                    \x20   The issue was put off until next week, Halvard Brun\n\
                    of the Luxembourg bank said on Tuesday in a statement.\n";
        assert_eq!(
            lines(wire)[2..],
            [
                "The thriving market in Luxembourg\nfranc bond issues has been stalled by the government\ncrisis, which forced up interest rates, dealers said.",
                "On Monday, the king accepted the resignation of the\nprime minister's coalition and asked him to try again.",
                "The issue was put off until next week, Halvard Brun\nof the Luxembourg bank said on Tuesday in a statement.",
            ]
        );
    }
    use crate::lexicon::lexicon;

    fn words(s: &str) -> Vec<&str> {
        word_strings(s)
    }

    #[test]
    fn fold_matches_the_model_fold() {
        for text in [
            "",
            "  ",
            "Prime  Minister\t",
            " NATO-led U.S. ",
            "a\x0Bb\x0Cc\r\nd\x1Fe",
            "\"Quote,\" 1,000!",
            "Vučić's Đorđe",
            "Straße İstanbul ß",
            "O\u{2019}Brien",
        ] {
            assert_eq!(fold(text), newsgraph_model::fold(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fold_matches_the_model_fold_on_any_text(text in "\\PC{0,40}|[ -~\t\n\x0B\x0C\r]{0,40}") {
            proptest::prop_assert_eq!(fold(&text), newsgraph_model::fold(&text));
        }
    }

    #[test]
    fn tokens_keep_abbreviations_hyphens_and_split_possessives() {
        assert_eq!(
            words("The U.S. and NATO-led forces"),
            ["The", "U.S.", "and", "NATO-led", "forces"]
        );
        assert_eq!(
            words("Serbia's army, NATO‘s force"),
            ["Serbia", "'s", "army", ",", "NATO", "‘s", "force"]
        );
        assert_eq!(words("O'Brien said 1,000"), ["O'Brien", "said", "1,000"]);
    }

    fn sentences(text: &str) -> Vec<String> {
        let line = Line {
            start: 0,
            end: text.len(),
        };
        units(text, line, 0)
            .into_iter()
            .map(|u| text[u.start..u.end].to_string())
            .collect()
    }

    #[test]
    fn sentences_respect_abbreviations_initials_and_quotes() {
        assert_eq!(
            sentences("Dr. Smith met Gen. J. R. Allen in the U.S. capital. He left."),
            [
                "Dr. Smith met Gen. J. R. Allen in the U.S. capital.",
                "He left."
            ]
        );
        assert_eq!(
            sentences("\"We agree. We will act,\" the minister said. Talks resume."),
            [
                "\"We agree. We will act,\" the minister said.",
                "Talks resume."
            ]
        );
        assert_eq!(
            sentences("Prices rose 1.5 percent... and fell."),
            ["Prices rose 1.5 percent... and fell."]
        );
    }

    #[test]
    fn quote_marks_pair_by_context() {
        let text = "„The goal is peace,“ he said, and “more” later";
        let line = Line {
            start: 0,
            end: text.len(),
        };
        let u = &units(text, line, 0)[0];
        let quoted: Vec<&str> = u.quotes.iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(quoted, ["The goal is peace,", "more"]);
        let missing_open = "We stay,” the general said.";
        let u = &units(
            missing_open,
            Line {
                start: 0,
                end: missing_open.len(),
            },
            0,
        )[0];
        assert_eq!(u.quotes, vec![(0, "We stay,".len())]);
    }

    #[test]
    fn two_apostrophes_or_backquotes_are_a_double_quote() {
        let quoted = |text: &str| -> Vec<String> {
            let line = Line {
                start: 0,
                end: text.len(),
            };
            let u = &units(text, line, 0)[0];
            u.quotes
                .iter()
                .map(|(s, e)| text[*s..*e].to_owned())
                .collect()
        };
        assert_eq!(
            quoted("''Prices will fall,'' said the minister."),
            ["Prices will fall,"]
        );
        assert_eq!(
            quoted("``Prices will fall,'' said the minister."),
            ["Prices will fall,"]
        );
        // One apostrophe stays what it was.
        assert!(quoted("The farmers' union said 'no'.").is_empty());
    }

    #[test]
    fn a_place_and_its_agency_in_parentheses_are_a_dateline() {
        let body = |line: &str| {
            let unit = units(
                line,
                Line {
                    start: 0,
                    end: line.len(),
                },
                0,
            )
            .remove(0);
            unit.folded[unit.body_start..unit.folded.len()].to_owned()
        };
        assert!(body("Washington (CNN) Ann Cole says she will run.").starts_with("ann cole"));
        assert!(body("LONDON (Reuters) - Ann Cole said so.").starts_with("ann cole"));
        // An acronym after a name is no agency.
        assert!(body("Human Rights Watch (HRW) Director Ann Cole said so.").starts_with("human"));
    }

    #[test]
    fn boilerplate_and_foreign_lines_are_not_content() {
        let lex = lexicon();
        for line in [
            "Read more:",
            "page 1 of 32 go to page",
            "Tanjug/AP Photo/Visar Kryeziu",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "Enlarge this image toggle caption Ann Cole/WXYZ Ann Cole/WXYZ",
            "The minister waves to supporters in Halden on Monday. (Photo: Ann Cole, Agency)",
            "Follow Ann Cole on Twitter @anncole.",
        ] {
            assert!(is_boilerplate(line, lex), "{line}");
        }
        assert!(!is_boilerplate(
            "Shares of the company fell sharply on Monday after the report.",
            lex
        ));
        let text = "Headline here\n\nPreuzimanje i objavljivanje tekstova sa portala nije dozvoljeno bez navođenja izvora.\nThe minister said the talks went well.\n";
        let lines = content_lines(text, lex);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            &text[lines[1].start..lines[1].end],
            "The minister said the talks went well."
        );
    }

    #[test]
    fn a_line_whose_function_words_are_contracted_or_conditional_is_english() {
        let lex = lexicon();
        for line in [
            "Marston says he'd keep Lindqvist's reforms if elected governor.",
            "Marston says she\u{2019}d keep every Lindqvist program if reelected next November.",
        ] {
            assert!(looks_english(line, lex), "{line}");
            assert_eq!(content_lines(line, lex).len(), 1, "{line}");
        }
        assert!(!looks_english(
            "Preuzimanje tekstova sa portala nije dozvoljeno bez navođenja izvora.",
            lex
        ));
    }
}
