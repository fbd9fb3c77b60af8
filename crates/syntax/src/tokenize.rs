//! Cutting one sentence into the tokens the UD English EWT treebank would
//! have: clitics split from their hosts, punctuation split from words,
//! abbreviations, numbers, URLs and e-mail addresses kept whole.
//!
//! The tagger and parser were trained on EWT words, so the closer the cut is
//! to EWT's, the closer the input is to what the model has seen. The rules
//! below follow the majority pattern in the EWT training file, not a style
//! guide; where the treebank is inconsistent the comment says which way the
//! counts went.
//!
//! EWT writes every word exactly as it appears in the text (`don't` is the
//! words `do` + `n't`, `can't` is `ca` + `n't`), so a token's form is always
//! the slice of the sentence it covers: no normalisation is done.
//!
//! The cut is one left-to-right pass over the sentence with bounded
//! look-around, so it runs in linear time, and it works on byte offsets that
//! always fall on character boundaries, so it cannot panic on any input.

/// A token of a sentence as the treebank would cut it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the token's first byte in the document.
    pub start: usize,
    /// Byte offset one past the token's last byte in the document.
    pub end: usize,
    /// The word form: the text the token covers.
    pub form: String,
}

/// Tokens of `sentence`, with byte offsets shifted by `base` (the sentence's offset in its document).
///
/// Tokens are in order, never empty, never overlap and never cover
/// whitespace (a zero-width character between two letters is not a space:
/// it stays inside the word); `form` is the text between `start - base`
/// and `end - base`.
pub fn tokenize(sentence: &str, base: usize) -> Vec<Token> {
    let mut cutter = Cutter {
        text: sentence,
        spans: Vec::with_capacity(sentence.len() / 4 + 1),
    };
    cutter.sentence();
    let spans = split_final_period(sentence, cutter.spans);
    let mut tokens = Vec::with_capacity(spans.len() + 1);
    let mut push = |start: usize, end: usize| {
        if let Some(form) = sentence.get(start..end).filter(|f| !f.is_empty()) {
            tokens.push(Token {
                start: start + base,
                end: end + base,
                form: form.to_owned(),
            });
        }
    };
    let form = |i: usize| spans.get(i).and_then(|&(s, e)| sentence.get(s..e));
    for (i, &(start, end)) in spans.iter().enumerate() {
        if end - start == 3 && is_typed_it_is(form(i), form(i + 1)) {
            push(start, start + 2);
            push(start + 2, end);
        } else {
            push(start, end);
        }
    }
    tokens
}

/// What a character does to a token boundary.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Separates tokens and belongs to none: whitespace, control and
    /// zero-width characters.
    Space,
    /// Letters and digits of any script.
    Word,
    /// Combining marks, variation selectors, joiners and emoji modifiers:
    /// they belong to the character before them.
    Extend,
    /// Everything else: punctuation and symbols.
    Punct,
}

#[inline]
fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else if c.is_ascii_whitespace() || c.is_ascii_control() {
            Class::Space
        } else {
            Class::Punct
        };
    }
    if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() || c.is_control() || is_zero_width(c) {
        Class::Space
    } else if is_extender(c) {
        Class::Extend
    } else {
        Class::Punct
    }
}

/// The zero-width space, word joiner and byte-order mark: a space between
/// words, nothing inside one. Web pages leave them inside words
/// ("Def\u{200B}ense"), where they are not seen and break nothing.
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn is_extender(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}')
}

fn is_alnum(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

fn is_alpha(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphabetic)
}

fn is_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '`' | '\u{02BC}')
}

/// Sentence-final punctuation, which EWT keeps together in runs (`?!`, `...`).
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{2026}')
}

/// Punctuation that EWT keeps together when repeated (`--`, `!!`, `''`, `**`).
fn repeats_as_one(c: char) -> bool {
    c.is_ascii_punctuation() || matches!(c, '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}')
}

/// Emoticons and arrows EWT keeps as one token.
const EMOTICONS: &[&str] = &[
    ">:(", ":-)", ":-(", ";-)", ":-D", ":-P", ":-/", ":'(", "^_^", "-_-", "<--", "-->", ":)", ":(",
    ";)", ":D", ":P", ":p", ";P", ":/", "=)", "=(", "<3", "->", "<-", "=>", "(:",
];

/// Words EWT writes with a final period as one token. This list and the
/// others searched with `is_listed` are lower-case and sorted.
const ABBREVIATIONS: &[&str] = &[
    "adm", "al", "approx", "apr", "arrv", "assn", "attn", "aug", "ave", "blvd", "bros", "ca",
    "capt", "cf", "cmdr", "co", "col", "conf", "corp", "cpl", "dec", "dept", "dr", "drs", "ect",
    "eg", "esp", "et", "etc", "ext", "fax", "feb", "fri", "ft", "gen", "gov", "hon", "hrs", "hwy",
    "ie", "inc", "info", "jan", "jr", "jul", "jun", "lb", "lbs", "llc", "lt", "ltd", "min", "mins",
    "mob", "mr", "mrs", "ms", "mt", "nov", "oct", "oz", "para", "ph", "pp", "pres", "prof", "ps",
    "pvt", "rd", "reps", "rev", "sec", "sens", "sep", "sept", "sgt", "spec", "sr", "st", "sts",
    "supt", "tel", "thu", "thur", "thurs", "tue", "tues", "univ", "viz", "vol", "vols", "vs",
    "yrs",
];

/// Abbreviations that are also ordinary words, so taken only when capitalised
/// ("Sun." the day, not "the sun.").
const CAPITALISED_ABBREVIATIONS: &[&str] = &[
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky",
    "la", "mar", "mass", "md", "mich", "minn", "miss", "mo", "mon", "mont", "neb", "nev", "no",
    "nos", "okla", "ont", "ore", "pa", "penn", "que", "rep", "sat", "sen", "sun", "tenn", "tex",
    "va", "vt", "wash", "wed", "wis", "wyo",
];

/// First parts that EWT keeps attached to the rest of a hyphenated word
/// (`e-mail`, `non-profit`, `mid-1980s`); any other hyphen is its own token
/// (about 600 hyphens between letters are cut in EWT train, 200 kept, most
/// of those after these prefixes).
const HYPHEN_PREFIXES: &[&str] = &[
    "agro", "anti", "arch", "bi", "bio", "co", "counter", "cross", "cyber", "de", "e", "eco", "ex",
    "extra", "geo", "hyper", "infra", "inter", "intra", "macro", "mega", "micro", "mid", "mini",
    "mis", "multi", "neo", "non", "over", "pan", "para", "peri", "post", "pre", "pro", "pseudo",
    "psycho", "quasi", "re", "semi", "socio", "sub", "super", "trans", "tri", "ultra", "un", "uni",
    "wi",
];

/// Abbreviations written with a slash that EWT keeps whole (`w/o`, `L/C`);
/// any other slash between words is its own token (`and/or`).
const SLASHED_LETTERS: &[&[u8]] = &[b"w/o", b"l/c", b"b/c", b"i/c", b"i/s", b"b/t"];

/// Units EWT splits from a number written against them (`5pm`, `10k`, `35mm`).
const UNITS: &[&str] = &[
    "am", "b", "bn", "cm", "ft", "gb", "ghz", "gw", "hr", "hrs", "hz", "k", "kb", "kg", "khz",
    "km", "kph", "kw", "kwh", "lb", "lbs", "m", "mb", "mg", "mhz", "mi", "min", "mins", "ml", "mm",
    "mmbtu", "mn", "mph", "mw", "mwh", "oz", "p", "pm", "sec", "secs", "tb", "usd", "yrs",
];

/// Clitics EWT splits from their host after an apostrophe (`I'm`, `we'll`).
const CLITICS: &[&str] = &["s", "m", "d", "ll", "re", "ve"];

/// Words that cannot follow the possessive `its`, so after which a typed
/// `its` is `it` + `s` ("its a shame", "its not"), as EWT writes it. Words
/// that can follow either ("its own", "its only", "its kind") are left out:
/// news text, unlike the web text of EWT, rarely drops the apostrophe.
const AFTER_ITS_IS: &[&str] = &[
    "a",
    "an",
    "the",
    "not",
    "been",
    "being",
    "getting",
    "going",
    "gonna",
    "just",
    "really",
    "definitely",
    "simply",
    "probably",
    "actually",
    "also",
    "always",
    "never",
    "too",
    "so",
    "ok",
    "okay",
    "like",
    "about",
    "because",
    "what",
    "that",
    "my",
    "your",
    "in",
    "on",
    "at",
    "for",
    "from",
    "nothing",
    "called",
];

/// One sentence being cut: the text and the byte spans found so far.
struct Cutter<'a> {
    text: &'a str,
    spans: Vec<(usize, usize)>,
}

impl<'a> Cutter<'a> {
    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..).and_then(|s| s.chars().next())
    }

    /// The character at `i` if it lies before `end`.
    /// Whether `c` at `i` is a zero-width character between two letters
    /// or digits ([`is_zero_width`]), which keeps them one word.
    fn zero_width_in_word(&self, i: usize, c: char) -> bool {
        let word = |w: Option<char>| w.is_some_and(|w| class(w) == Class::Word);
        is_zero_width(c) && word(self.char_before(i)) && word(self.char_at(i + c.len_utf8()))
    }

    fn char_before_end(&self, i: usize, end: usize) -> Option<char> {
        if i < end {
            self.char_at(i)
        } else {
            None
        }
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.text.get(..i).and_then(|s| s.chars().next_back())
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    fn push(&mut self, start: usize, end: usize) {
        if start < end {
            self.spans.push((start, end));
        }
    }

    /// Cuts the whole sentence, one whitespace-separated chunk at a time.
    fn sentence(&mut self) {
        let mut chunk_start = None;
        let bytes = self.text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let (space, len) = if b.is_ascii() {
                (b <= b' ' || b == 0x7F, 1)
            } else {
                self.char_at(i).map_or((true, 1), |c| {
                    let space = class(c) == Class::Space && !self.zero_width_in_word(i, c);
                    (space, c.len_utf8())
                })
            };
            match (space, chunk_start) {
                (true, Some(start)) => {
                    self.chunk(start, i);
                    chunk_start = None;
                }
                (false, None) => chunk_start = Some(i),
                _ => {}
            }
            i += len;
        }
        if let Some(start) = chunk_start {
            self.chunk(start, self.text.len());
        }
    }

    /// Cuts one chunk of text without whitespace.
    fn chunk(&mut self, start: usize, end: usize) {
        match self.address(start, end) {
            Some((url_start, url_end)) => {
                self.scan(start, url_start);
                self.push(url_start, url_end);
                self.scan(url_end, end);
            }
            None => self.scan(start, end),
        }
    }

    /// The span of a URL or e-mail address in the chunk, without the
    /// brackets, quotes and punctuation around it.
    fn address(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let chunk = self.slice(start, end);
        let bytes = chunk.as_bytes();
        // every address has one of these; most chunks have none
        if !bytes.iter().any(|&b| matches!(b, b':' | b'@' | b'.')) {
            return None;
        }
        let mut url_start = None;
        let mut url_end = bytes.len();
        if let Some(k) = chunk.find("://") {
            let scheme = bytes[..k]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
            if scheme >= 2 && k + 3 < bytes.len() {
                url_start = Some(k - scheme);
            }
        }
        if url_start.is_none() {
            url_start = find_www(bytes);
        }
        if url_start.is_none() {
            if let Some(at) = chunk.find('@') {
                let local = bytes[..at]
                    .iter()
                    .rev()
                    .take_while(|&&b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
                    .count();
                let domain = bytes[at + 1..]
                    .iter()
                    .take_while(|&&b| b.is_ascii_alphanumeric() || b".-_".contains(&b))
                    .count();
                let domain_text = &bytes[at + 1..at + 1 + domain];
                let dotted = domain_text
                    .windows(2)
                    .any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic());
                if local > 0 && dotted {
                    let mut s = at - local;
                    if bytes[..s].ends_with(b"mailto:") {
                        s -= 7;
                    }
                    url_start = Some(s);
                    url_end = at + 1 + domain;
                }
            }
        }
        let url_start = url_start?;
        // Trailing punctuation belongs to the sentence, except a closing
        // bracket that the address itself opened (Wikipedia's `Foo_(bar)`).
        let mut opened = bytes[url_start..url_end]
            .iter()
            .filter(|&&b| b == b'(')
            .count() as isize
            - bytes[url_start..url_end]
                .iter()
                .filter(|&&b| b == b')')
                .count() as isize;
        while url_end > url_start {
            let Some(&last) = bytes.get(url_end - 1) else {
                break;
            };
            // a truncated address keeps its dots ("https://example.org/some-long-...")
            let truncated = bytes[url_start..url_end].ends_with(b"..");
            let strip = match last {
                b'.' => !truncated,
                b',' | b';' | b':' | b'!' | b'?' | b'"' | b'\'' | b'>' | b']' | b'}' | b'*' => true,
                b')' if opened < 0 => {
                    opened += 1;
                    true
                }
                _ => false,
            };
            if strip {
                url_end -= 1;
            } else if chunk
                .get(..url_end)
                .is_some_and(|s| s.ends_with(['\u{2019}', '\u{201D}', '\u{BB}']))
            {
                url_end = chunk
                    .get(..url_end)
                    .and_then(|s| s.char_indices().next_back())
                    .map_or(url_start, |(i, _)| i);
            } else {
                break;
            }
        }
        // `www.` or `http://` alone is not an address.
        (url_end > url_start + 4 && chunk.is_char_boundary(url_end))
            .then_some((start + url_start, start + url_end))
    }

    /// Cuts `start..end`, a chunk or the part of one around an address.
    fn scan(&mut self, start: usize, end: usize) {
        let mut i = start;
        while i < end {
            let Some(c) = self.char_at(i) else { break };
            i = match class(c) {
                Class::Space => i + c.len_utf8(),
                Class::Word => self.word(i, i, end),
                Class::Extend | Class::Punct => self.punct(i, c, end),
            };
        }
    }

    /// Cuts a run of punctuation or symbols starting with `c` at `i`; returns
    /// where the next token may start.
    fn punct(&mut self, i: usize, c: char, end: usize) -> usize {
        let after = i + c.len_utf8();
        let next = self.char_before_end(after, end);
        let prev = self.char_before(i);
        let rest = self.slice(i, end);
        if let Some(len) = emoticon(rest, is_alnum(prev)) {
            self.push(i, i + len);
            return i + len;
        }
        if is_apostrophe(c) || c == '\u{2018}' {
            if let Some(j) = self.apostrophe(i, after, end, prev) {
                return j;
            }
        }
        // A sign or marker that belongs to what follows: `+44`, `#tag`,
        // `@name`, and a file extension cut from its name (`(draft).doc`).
        let leads = match c {
            '+' => is_digit(next),
            '#' | '@' => is_alpha(next),
            '.' => is_extension(self.slice(after, end)),
            _ => false,
        };
        if leads && !is_alnum(prev) {
            return self.word(i, after, end);
        }
        let mut j = after;
        if c == '\u{2018}' && next == Some('\u{2019}') {
            j += '\u{2019}'.len_utf8();
        } else if is_terminal(c) {
            j = terminal_run_end(rest).map_or(after, |len| i + len);
        } else if repeats_as_one(c) {
            while self.char_before_end(j, end) == Some(c) {
                j += c.len_utf8();
            }
        }
        j = self.extend(j, end);
        self.push(i, j);
        j
    }

    /// Cuts an apostrophe or single quote at `i` that is not inside a word,
    /// when it starts a token with what follows: a year (`'72`, `'60s`) or a
    /// clitic written apart from its host (`'s`, `'em`). `None` leaves it to
    /// the ordinary punctuation rules.
    fn apostrophe(
        &mut self,
        i: usize,
        after: usize,
        end: usize,
        prev: Option<char>,
    ) -> Option<usize> {
        let rest = self.slice(after, end).as_bytes();
        let digits = rest
            .iter()
            .take(3)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 2 {
            return Some(self.word(i, after, end));
        }
        if is_alnum(prev) {
            return None;
        }
        let letters = rest
            .iter()
            .take(3)
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let clitic = rest.get(..letters).unwrap_or_default();
        let tail_free = !is_alnum(self.char_before_end(after + letters, end));
        let known = CLITICS
            .iter()
            .chain(&["em"])
            .any(|k| clitic.eq_ignore_ascii_case(k.as_bytes()));
        if known && tail_free {
            self.push(i, after + letters);
            return Some(after + letters);
        }
        None
    }

    /// Skips combining marks and joiners after `j`, and the character a
    /// zero-width joiner joins, so an emoji sequence stays one token.
    fn extend(&self, mut j: usize, end: usize) -> usize {
        while let Some(e) = self.char_before_end(j, end) {
            if class(e) == Class::Extend {
                j += e.len_utf8();
                if e == '\u{200D}' {
                    if let Some(joined) = self
                        .char_before_end(j, end)
                        .filter(|&d| class(d) != Class::Space)
                    {
                        j += joined.len_utf8();
                    }
                }
            } else if (0x1F1E6..=0x1F1FF).contains(&(e as u32))
                && self
                    .char_before(j)
                    .is_some_and(|p| (0x1F1E6..=0x1F1FF).contains(&(p as u32)))
            {
                // The second regional indicator of a flag.
                j += e.len_utf8();
                break;
            } else {
                break;
            }
        }
        j
    }

    /// Cuts the word that starts at `start` and whose letters and digits
    /// begin at `i`; returns where the next token may start.
    fn word(&mut self, start: usize, i: usize, end: usize) -> usize {
        let mut j = i;
        let bytes = self.text.as_bytes();
        loop {
            // most of a word is ASCII letters and digits: skip them bytewise
            while j < end && bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            }
            let Some(c) = self.char_before_end(j, end) else {
                break;
            };
            match class(c) {
                Class::Word | Class::Extend => j += c.len_utf8(),
                // Between two letters or digits a zero-width character
                // is inside the word.
                Class::Space if j + c.len_utf8() < end && self.zero_width_in_word(j, c) => {
                    j += c.len_utf8()
                }
                Class::Space => break,
                Class::Punct => {
                    let after = j + c.len_utf8();
                    if !joins(self.char_before(j), c, self.slice(after, end)) {
                        break;
                    }
                    // A listed abbreviation run into the next word keeps
                    // its period and ends there ("Inc.The", "Nov.28", but
                    // "Ph.D").
                    let next_is_word = self
                        .slice(after, end)
                        .chars()
                        .take(2)
                        .all(char::is_alphanumeric);
                    if c == '.' && next_is_word && is_listed_abbreviation(self.slice(start, j)) {
                        self.emit_word(start, after);
                        return after;
                    }
                    j = after;
                }
            }
        }
        match self.char_before_end(j, end) {
            // An abbreviation keeps its period ("Dr.", "U.S.", "J."), but not
            // the first of several ("etc..."), unless there are exactly two
            // ("Inc.." is `Inc.` + `.`).
            Some('.')
                if is_abbreviation(last_segment(self.slice(start, j)))
                    && (self.char_before_end(j + 1, end) != Some('.')
                        || (self.char_before_end(j + 2, end) != Some('.'))) =>
            {
                j += 1;
            }
            // `US$`, `w/` ("with"), `Yahoo!`
            Some('$')
                if (1..=2).contains(&(j - start))
                    && self.slice(start, j).bytes().all(|b| b.is_ascii_uppercase()) =>
            {
                j += 1;
            }
            Some('/')
                if self.slice(start, j).eq_ignore_ascii_case("w")
                    && !is_alnum(self.char_before_end(j + 1, end)) =>
            {
                j += 1;
            }
            Some('!') if self.slice(start, j) == "Yahoo" => j += 1,
            _ => {}
        }
        self.emit_word(start, j);
        j
    }

    /// Emits a word, cutting off clitics, hyphens, slashes and units.
    fn emit_word(&mut self, start: usize, end: usize) {
        let word = self.slice(start, end);
        if let Some(cuts) = bare_contraction(word) {
            let mut from = start;
            for &cut in cuts {
                self.push(from, start + cut);
                from = start + cut;
            }
            self.push(from, end);
            return;
        }
        let stem_end = start + clitic_start(word);
        self.emit_stem(start, stem_end);
        self.push(stem_end, end);
    }

    /// Emits a word without clitics, cutting at the hyphens and slashes EWT
    /// cuts at.
    fn emit_stem(&mut self, start: usize, end: usize) {
        let bytes = self.slice(start, end).as_bytes();
        if !bytes.iter().any(|&b| b == b'-' || b == b'/') {
            self.emit_piece(start, end);
            return;
        }
        if is_dashed_date(bytes) {
            self.push(start, end);
            return;
        }
        let segment_end = |from: usize| {
            bytes[from..]
                .iter()
                .position(|&b| b == b'-' || b == b'/')
                .map_or(bytes.len(), |p| from + p)
        };
        let mut piece_start = 0;
        let mut left_start = 0;
        // Number groups joined by hyphens and slashes (`713-555-0100`,
        // `11/28/2000`) are judged as a whole; the chain is measured once,
        // when its first separator is reached, to keep the pass linear.
        let mut chain_end = 0;
        let mut chain_groups = 0;
        let mut k = segment_end(0);
        while k < bytes.len() {
            let left = &bytes[left_start..k];
            let right_end = segment_end(k + 1);
            let right = &bytes[k + 1..right_end];
            let numeric = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
            let keep = if right.is_empty() {
                // a trailing slash was let in on purpose (`w/`)
                true
            } else if numeric(left) && numeric(right) {
                if k >= chain_end {
                    let (groups, e) = number_chain(bytes, left_start);
                    chain_groups = groups;
                    chain_end = e;
                }
                keep_number_separator(bytes[k], chain_groups, left.len(), right.len())
            } else if bytes[k] == b'-' {
                // `e-mail` but `Lashkar-e-Taiba`
                let name_after_e =
                    left == b"e" && right.first().is_some_and(u8::is_ascii_uppercase);
                is_listed(HYPHEN_PREFIXES, left) && !name_after_e
            } else {
                SLASHED_LETTERS
                    .iter()
                    .any(|pair| pair.eq_ignore_ascii_case(&bytes[left_start..right_end]))
            };
            if !keep {
                self.emit_piece(start + piece_start, start + k);
                self.push(start + k, start + k + 1);
                piece_start = k + 1;
            }
            left_start = k + 1;
            k = right_end;
        }
        self.emit_piece(start + piece_start, end);
    }

    /// Emits a piece of a word, cutting a unit from the number before it
    /// (`5pm` is `5` + `pm`, `20th` stays whole).
    fn emit_piece(&mut self, start: usize, end: usize) {
        let bytes = self.slice(start, end).as_bytes();
        if bytes.first().is_some_and(u8::is_ascii_digit) {
            let number = bytes
                .iter()
                .take_while(|b| b.is_ascii_digit() || b".,:".contains(b))
                .count();
            let unit = &bytes[number..];
            if number < bytes.len() && bytes[number - 1].is_ascii_digit() && is_listed(UNITS, unit)
            {
                self.push(start, start + number);
                self.push(start + number, end);
                return;
            }
        }
        self.push(start, end);
    }
}

/// The length of the emoticon `rest` starts with, if any. After a letter or
/// digit only a bracketed one ending the chunk counts ("thanks:)").
fn emoticon(rest: &str, after_word: bool) -> Option<usize> {
    if !rest.starts_with([':', ';', '=', '^', '<', '>', '-', '(']) {
        return None;
    }
    EMOTICONS.iter().find_map(|emoticon| {
        let tail = rest.strip_prefix(emoticon)?;
        let ends_chunk = tail.is_empty();
        let free = match tail.chars().next() {
            None => true,
            // "(:" is more often a bracket and a colon
            Some(_) if *emoticon == "(:" => false,
            Some(t) => !t.is_alphanumeric(),
        };
        let bracketed = emoticon.ends_with([')', '(']);
        (free && (!after_word || (ends_chunk && bracketed))).then_some(emoticon.len())
    })
}

/// Whether `rest`, after a period, is a file extension: two to four ASCII
/// letters and digits, ending the chunk or followed by punctuation.
fn is_extension(rest: &str) -> bool {
    let letters = rest
        .bytes()
        .take(5)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    (2..=4).contains(&letters)
        && rest.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && !rest
            .get(letters..)
            .and_then(|t| t.chars().next())
            .is_some_and(|c| c.is_alphanumeric() || c == '.')
}

/// The length of the run of sentence-final punctuation `rest` starts with:
/// `?!`, `.?` and `!!!.` are one token, but an ellipsis is cut from what
/// follows or precedes it (`...` + `?`), as EWT mostly does.
fn terminal_run_end(rest: &str) -> Option<usize> {
    let mut end = 0;
    let mut previous: Option<(char, usize)> = None; // the last char and its run length
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_terminal(c) {
            break;
        }
        match previous {
            Some((p, run)) if p == c => previous = Some((c, run + 1)),
            Some((p, run)) => {
                let dots_before = p == '.' && run >= 2;
                let dots_after = c == '.' && chars.peek() == Some(&'.');
                if dots_before || dots_after {
                    break;
                }
                previous = Some((c, 1));
            }
            None => previous = Some((c, 1)),
        }
        end += c.len_utf8();
    }
    (end > 0).then_some(end)
}

/// Whether punctuation `c` after `prev` and before `rest` stays inside a word.
fn joins(prev: Option<char>, c: char, rest: &str) -> bool {
    let next = rest.chars().next();
    match c {
        // `3.5`, `U.S`, `enron.com`, `file.doc`
        '.' => is_alnum(prev) && is_alnum(next),
        // `1,000` but not `May 11,2000`
        ',' => {
            let digits = rest.bytes().take(4).take_while(u8::is_ascii_digit).count();
            is_digit(prev) && digits == 3
        }
        // `5:30`
        ':' => is_digit(prev) && is_digit(next),
        // cut again later where EWT cuts them
        '-' | '/' | '_' | '@' => is_alnum(prev) && is_alnum(next),
        // `don't`, `O'Brien`: clitics are cut again later
        '\'' | '\u{2019}' | '`' | '\u{02BC}' => is_alnum(prev) && is_alpha(next),
        // `AT&T`, `f*ck`, soft hyphen
        '&' | '*' | '\u{AD}' => is_alpha(prev) && is_alpha(next),
        _ => false,
    }
}

/// Whether `word`, followed by a period, is an abbreviation that keeps it.
fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    // an initial: "J."
    if chars.next().is_none() {
        return first.is_alphabetic();
    }
    // letters and periods in short runs: "U.S", "p.m", "Ph.D", "a.k.a"
    if word.contains('.')
        && word.split('.').all(|run| {
            (1..=2).contains(&run.chars().count()) && run.chars().all(char::is_alphabetic)
        })
    {
        return true;
    }
    is_listed_abbreviation(word)
}

/// The part of `word` after its last hyphen or slash: "D-N.Y" ends with
/// the abbreviation "N.Y".
fn last_segment(word: &str) -> &str {
    word.rfind(['-', '/']).map_or(word, |k| &word[k + 1..])
}

/// Whether `word` is in the lists of abbreviations.
fn is_listed_abbreviation(word: &str) -> bool {
    is_listed(ABBREVIATIONS, word.as_bytes())
        || (word.starts_with(|c: char| c.is_ascii_uppercase())
            && is_listed(CAPITALISED_ABBREVIATIONS, word.as_bytes()))
}

/// Whether `word`, lower-cased, is in `list` (lower-case, sorted, entries
/// of at most 8 bytes).
fn is_listed(list: &[&str], word: &[u8]) -> bool {
    let mut lower = [0u8; 8];
    let Some(lower) = lower.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    list.binary_search_by(|entry| entry.as_bytes().cmp(lower))
        .is_ok()
}

/// The cut points of a contraction the clitic rules miss, mostly written
/// without an apostrophe (`dont` is `do` + `nt`, `gonna` is `gon` + `na`).
/// Only words that EWT (nearly) always cuts are here; `its`, `id` or `ill`
/// are ordinary words too. A short word in capitals is an acronym (`IM`,
/// `HES`), not a contraction.
fn bare_contraction(word: &str) -> Option<&'static [usize]> {
    let acronym = word.len() <= 3 && word.bytes().all(|b| b.is_ascii_uppercase());
    if !(2..=8).contains(&word.len()) || acronym {
        return None;
    }
    let mut lower = [0u8; 8];
    let lower = lower.get_mut(..word.len())?;
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let cuts: &'static [usize] = match &*lower {
        b"i'ma" => &[1, 3],
        b"cannot" => &[3],
        b"dont" => &[2],
        b"cant" => &[2],
        b"wont" => &[2],
        b"didnt" => &[3],
        b"doesnt" => &[4],
        b"isnt" => &[2],
        b"wasnt" => &[3],
        b"arent" => &[3],
        b"werent" => &[4],
        b"couldnt" => &[5],
        b"wouldnt" => &[5],
        b"shouldnt" => &[6],
        b"havent" => &[4],
        b"hasnt" => &[3],
        b"hadnt" => &[3],
        b"aint" => &[2],
        b"im" => &[1],
        b"ive" => &[1],
        b"gonna" => &[3],
        b"gotta" => &[3],
        b"wanna" => &[3],
        b"outta" => &[3],
        b"dunno" => &[2, 3],
        b"thats" => &[4],
        b"theres" => &[5],
        b"whats" => &[4],
        b"heres" => &[4],
        b"youre" => &[3],
        b"theyre" => &[4],
        b"hes" => &[2],
        b"shes" => &[3],
        b"elses" => &[4],
        _ => return None,
    };
    Some(cuts)
}

/// Where the clitic at the end of `word` starts (`word.len()` if none):
/// `n't` after its host, or an apostrophe before `s`, `m`, `d`, `ll`, `re`
/// or `ve`. A number keeps its `'s` (`80's`), as EWT does 15 times in 16.
fn clitic_start(word: &str) -> usize {
    // the apostrophes' bytes: ', `, and the lead bytes of ’ and ʼ
    if !word
        .bytes()
        .any(|b| matches!(b, b'\'' | b'`' | 0xE2 | 0xCA))
    {
        return word.len();
    }
    let mut tail = word.char_indices().rev();
    let t = tail.next();
    let a = tail.next();
    let n = tail.next();
    if let (Some((_, t)), Some((_, a)), Some((n_at, n))) = (t, a, n) {
        if t.eq_ignore_ascii_case(&'t')
            && is_apostrophe(a)
            && n.eq_ignore_ascii_case(&'n')
            && n_at > 0
        {
            return n_at;
        }
    }
    let Some((apostrophe_at, apostrophe)) =
        word.char_indices().rev().find(|&(_, c)| is_apostrophe(c))
    else {
        return word.len();
    };
    let clitic = &word[apostrophe_at + apostrophe.len_utf8()..];
    let host_last = word[..apostrophe_at].chars().next_back();
    let known = CLITICS.iter().any(|k| k.eq_ignore_ascii_case(clitic));
    if known && apostrophe_at > 0 && !(clitic.eq_ignore_ascii_case("s") && is_digit(host_last)) {
        apostrophe_at
    } else {
        word.len()
    }
}

/// How many digit groups the chain of numbers joined by `-` or `/` that
/// starts at `from` has, and where it ends.
fn number_chain(bytes: &[u8], from: usize) -> (usize, usize) {
    let mut groups = 0;
    let mut i = from;
    loop {
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let next = i + digits;
        if digits == 0 {
            return (groups, i.saturating_sub(1).max(from));
        }
        groups += 1;
        // the chain continues only through a separator followed by a
        // whole group of digits
        let continues = matches!(bytes.get(next), Some(b'-' | b'/'))
            && bytes.get(next + 1).is_some_and(u8::is_ascii_digit);
        if !continues {
            return (groups, next);
        }
        i = next + 1;
    }
}

/// Whether a hyphen or slash between two groups of digits stays: phone
/// numbers, zip codes and dates stay whole, ranges (`1990-1995`, `5-10`) and
/// fractions (`1/2`) are cut.
fn keep_number_separator(separator: u8, groups: usize, left: usize, right: usize) -> bool {
    if groups >= 3 {
        return true;
    }
    if separator == b'/' {
        !((left == 1 && right == 1) || left == 4)
    } else {
        left >= 5 || (right >= 4 && left != 4 && left != 2)
    }
}

/// Whether `bytes` is a date like `01-Feb-02`, which EWT keeps whole.
fn is_dashed_date(bytes: &[u8]) -> bool {
    let mut parts = bytes.split(|&b| b == b'-');
    let (Some(day), Some(month), Some(year), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let digits = |s: &[u8], n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.iter().all(u8::is_ascii_digit)
    };
    const MONTHS: &[&[u8]] = &[
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    digits(day, 1..=2)
        && digits(year, 2..=4)
        && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(month))
}

/// Finds `www.` at the start of the chunk or after punctuation.
fn find_www(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = bytes[from..]
        .windows(4)
        .position(|w| w.eq_ignore_ascii_case(b"www."))
    {
        let at = from + p;
        let starts = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if starts && bytes.get(at + 4).is_some_and(u8::is_ascii_alphanumeric) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// EWT cuts the period off the last word of a sentence even when the word
/// is an abbreviation ("... and so on etc." ends with `etc` + `.`: 31 of the
/// 32 sentence-final `etc.` in EWT are cut).
fn split_final_period(text: &str, mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    if let Some(&(start, end)) = spans.last() {
        let form = text.get(start..end).unwrap_or("");
        if form.len() > 1 && form.ends_with('.') && !form.bytes().all(|b| b == b'.') {
            if let Some(last) = spans.last_mut() {
                *last = (start, end - 1);
            }
            spans.push((end - 1, end));
        }
    }
    spans
}

/// A typed `its` is `it` + `s` when what follows cannot follow a
/// possessive ("its a shame", "its not"); EWT writes it so.
fn is_typed_it_is(form: Option<&str>, next: Option<&str>) -> bool {
    form.is_some_and(|f| f.eq_ignore_ascii_case("its"))
        && next.is_some_and(|next| AFTER_ITS_IS.iter().any(|w| w.eq_ignore_ascii_case(next)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms of `tokenize(text, 0)`.
    fn forms(text: &str) -> Vec<String> {
        tokenize(text, 0).into_iter().map(|t| t.form).collect()
    }

    /// Asserts the forms of `text`, given as one space-separated string.
    fn check(text: &str, expected: &str) {
        assert_eq!(
            forms(text),
            expected.split(' ').collect::<Vec<_>>(),
            "cutting {text:?}"
        );
    }

    /// The invariants every cut keeps, whatever the input.
    fn assert_invariants(text: &str, base: usize) {
        let tokens = tokenize(text, base);
        let mut previous_end = base;
        for token in &tokens {
            assert!(token.start < token.end, "empty token {token:?} in {text:?}");
            assert!(
                token.start >= previous_end,
                "overlap at {token:?} in {text:?}"
            );
            assert!(
                token.end <= base + text.len(),
                "{token:?} past the end of {text:?}"
            );
            let covered = text.get(token.start - base..token.end - base);
            assert_eq!(
                covered,
                Some(token.form.as_str()),
                "form of {token:?} in {text:?}"
            );
            assert!(
                !token
                    .form
                    .chars()
                    .any(|c| class(c) == Class::Space && !is_zero_width(c)),
                "whitespace in {token:?} of {text:?}"
            );
            previous_end = token.end;
        }
    }

    #[test]
    fn offsets_are_shifted_by_the_sentence_offset() {
        let tokens = tokenize("Ann didn't go.", 100);
        let spans: Vec<_> = tokens
            .iter()
            .map(|t| (t.start, t.end, t.form.as_str()))
            .collect();
        assert_eq!(
            spans,
            [
                (100, 103, "Ann"),
                (104, 107, "did"),
                (107, 110, "n't"),
                (111, 113, "go"),
                (113, 114, ".")
            ]
        );
    }

    #[test]
    fn negation_clitics_are_cut_before_the_n() {
        check("Pat doesn't know.", "Pat does n't know .");
        check(
            "We can't stay and won't leave.",
            "We ca n't stay and wo n't leave .",
        );
        check("They DIDN'T ask.", "They DID N'T ask .");
        check("It isn\u{2019}t mine.", "It is n\u{2019}t mine .");
    }

    #[test]
    fn pronoun_and_possessive_clitics_are_cut_at_the_apostrophe() {
        check(
            "I'm sure you're right, we've seen it.",
            "I 'm sure you 're right , we 've seen it .",
        );
        check("She'll say he'd come.", "She 'll say he 'd come .");
        check(
            "Lena's dog met the twins' cat.",
            "Lena 's dog met the twins ' cat .",
        );
        check("Omar\u{2019}s bike", "Omar \u{2019}s bike");
        check("the 1970's fashion", "the 1970's fashion");
        check("Ms. O'Hara liked it", "Ms. O'Hara liked it");
        check("I'ma call", "I 'm a call");
    }

    #[test]
    fn contractions_without_apostrophes_are_cut_as_the_treebank_cuts_them() {
        check("i dont think im gonna go", "i do nt think i m gon na go");
        check("You cannot wait", "You can not wait");
        check("with its own way", "with its own way");
        check("its a long road", "it s a long road");
        check("Its army and its not", "Its army and it s not");
    }

    #[test]
    fn hyphenated_compounds_are_cut_except_after_prefixes() {
        check("a long-term plan", "a long - term plan");
        check("a two-year-old horse", "a two - year - old horse");
        check(
            "send an e-mail to the co-chair",
            "send an e-mail to the co-chair",
        );
        check(
            "non-profit and anti-war groups",
            "non-profit and anti-war groups",
        );
        check("in the mid-1990s", "in the mid-1990s");
        check("the Jaish-e-Qamar group", "the Jaish - e - Qamar group");
    }

    #[test]
    fn slashes_are_cut_except_in_dates_and_short_forms() {
        check(
            "tea and/or coffee w/o sugar",
            "tea and / or coffee w/o sugar",
        );
        check("go w/ Sam", "go w/ Sam");
    }

    #[test]
    fn numbers_keep_phone_and_date_shapes_and_cut_ranges() {
        check(
            "Call 555-0134 or 1-800-555-0199 now",
            "Call 555-0134 or 1-800-555-0199 now",
        );
        check(
            "on 12/25/2019 at 9:30, due 07-Mar-19",
            "on 12/25/2019 at 9:30 , due 07-Mar-19",
        );
        check(
            "from 1998-2002 for 5-10 days",
            "from 1998 - 2002 for 5 - 10 days",
        );
        check("about 1/2 of 24/7", "about 1 / 2 of 24/7");
        check(
            "Paid $1,250.50 for 3.5 kg, up 12%.",
            "Paid $ 1,250.50 for 3.5 kg , up 12 % .",
        );
        check("paid US$40 on May 3,2001", "paid US$ 40 on May 3 , 2001");
        check("at 5pm or 10:30AM for 30k", "at 5 pm or 10:30 AM for 30 k");
        check("on the 21st, call +44 20", "on the 21st , call +44 20");
    }

    #[test]
    fn abbreviations_keep_their_period_except_at_the_end() {
        check(
            "Dr. Lee met Mr. J. Smith of Acme Inc. at 3 p.m. today",
            "Dr. Lee met Mr. J. Smith of Acme Inc. at 3 p.m. today",
        );
        check(
            "He moved to the U.S. in May.",
            "He moved to the U.S. in May .",
        );
        check("He moved to the U.S.", "He moved to the U.S .");
        check("apples, pears, etc.", "apples , pears , etc .");
        check("sold to Acme Inc..", "sold to Acme Inc. .");
        check("met on Nov.3 in town", "met on Nov. 3 in town");
        check("a Ph.D. from Ore.", "a Ph.D. from Ore .");
        check(
            "Sen. Ada Lee (D-Ore.) spoke",
            "Sen. Ada Lee ( D - Ore. ) spoke",
        );
        check("It was late. We left", "It was late . We left");
    }

    #[test]
    fn addresses_stay_whole() {
        check(
            "See https://example.org/a-b/c?d=1&e=2, or (www.example.com).",
            "See https://example.org/a-b/c?d=1&e=2 , or ( www.example.com ) .",
        );
        check(
            "Mail <jo.doe@example.net> or jo@example.net.",
            "Mail < jo.doe@example.net > or jo@example.net .",
        );
        check(
            "the page https://en.example.org/wiki/Foo_(bar) here",
            "the page https://en.example.org/wiki/Foo_(bar) here",
        );
        check(
            "open (final draft).pdf now",
            "open ( final draft ) .pdf now",
        );
    }

    #[test]
    fn punctuation_is_cut_and_runs_stay_together() {
        check(
            "Wait... what?! No -- never!!!",
            "Wait ... what ?! No -- never !!!",
        );
        check("Really...? Yes.?", "Really ... ? Yes .?");
        check("(see [note]; then: go)", "( see [ note ] ; then : go )");
        check("\"Yes,\" she said.", "\" Yes , \" she said .");
        check(
            "\u{201C}Fine\u{201D} and \u{2018}ok\u{2019}",
            "\u{201C} Fine \u{201D} and \u{2018} ok \u{2019}",
        );
        check(
            "a \u{2018}\u{2019}quote\u{2019}\u{2019} here",
            "a \u{2018}\u{2019} quote \u{2019}\u{2019} here",
        );
        check("great :) see you, Sam:)", "great :) see you , Sam :)");
        check("AT&T and R&D", "AT&T and R&D");
        check("in '72 and the '60s", "in '72 and the '60s");
        check("I love 'jazz'", "I love ' jazz '");
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        check("nice \u{1F44D}\u{1F3FD}!", "nice \u{1F44D}\u{1F3FD} !");
        check("cafe\u{301} ok", "cafe\u{301} ok");
        check("\u{1F1EB}\u{1F1F7} fans", "\u{1F1EB}\u{1F1F7} fans");
        check(
            "\u{1F468}\u{200D}\u{1F469} here",
            "\u{1F468}\u{200D}\u{1F469} here",
        );
    }

    #[test]
    fn word_lists_are_sorted_lower_case_and_short() {
        for list in [
            ABBREVIATIONS,
            CAPITALISED_ABBREVIATIONS,
            HYPHEN_PREFIXES,
            UNITS,
        ] {
            assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "{list:?} is not sorted"
            );
            for entry in list {
                assert!(
                    entry.len() <= 8 && *entry == entry.to_ascii_lowercase(),
                    "{entry}"
                );
            }
        }
    }

    #[test]
    fn a_zero_width_character_between_letters_stays_in_the_word() {
        let forms =
            |t: &str| -> Vec<String> { tokenize(t, 0).into_iter().map(|t| t.form).collect() };
        assert_eq!(forms("De\u{200B}fense chief"), ["De\u{200B}fense", "chief"]);
        assert_eq!(forms("a\u{2060}b c"), ["a\u{2060}b", "c"]);
        // Beside a space or a mark it is a space.
        assert_eq!(forms("end\u{200B}. \u{200B}Next"), ["end", ".", "Next"]);
        assert_eq!(forms("one\u{200B}\u{200B}two"), ["one", "two"]);
    }

    #[test]
    fn empty_and_blank_sentences_have_no_tokens() {
        assert!(tokenize("", 7).is_empty());
        assert!(tokenize(" \t\n\u{200B}\u{0}", 7).is_empty());
    }

    #[test]
    fn invariants_hold_on_generated_text() {
        const PIECES: &[&str] = &[
            "a",
            "Word",
            "don't",
            "n't",
            "'",
            "\u{2019}",
            "'s",
            "-",
            "--",
            "/",
            ".",
            "...",
            ",",
            "1",
            "42",
            "000",
            ":",
            "@",
            "#",
            "+",
            "$",
            "%",
            "(",
            ")",
            "\"",
            "http://",
            "www.",
            "x@y.z",
            " ",
            "  ",
            "\t",
            "\u{301}",
            "\u{200D}",
            "\u{1F600}",
            "\u{1F1EB}",
            "\u{FE0F}",
            "\u{0}",
            "\u{7F}",
            "\u{AD}",
            "\u{200B}",
            "é",
            "日本",
            "U.S.",
            "e-",
            "1-800-",
            "5pm",
            "its",
            ":)",
            "&",
            "*",
            "`",
            "\u{2018}",
            "\u{201C}",
            "_",
            "mailto:",
            "<",
            ">",
            "\u{FFFD}",
            "Inc",
            "w",
            "Yahoo",
            "!",
            "?",
            "Feb",
            "I'ma",
            "\u{2026}",
        ];
        // xorshift: deterministic, so a failure reproduces
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let len = (next() % 12) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            assert_invariants(&text, (next() % 1000) as usize);
        }
    }

    #[test]
    fn long_inputs_take_linear_time() {
        // pathological repetitions: each must finish quickly, not quadratically
        for piece in [
            "1-", "a-", "its a ", "...", "x@", "1/", "'", "a.", "http://a", "\u{200D}",
        ] {
            let text = piece.repeat(200_000 / piece.len());
            let started = std::time::Instant::now();
            assert_invariants(&text, 0);
            assert!(
                started.elapsed().as_secs() < 5,
                "{piece:?} repeated is slow"
            );
        }
    }

    /// A sentence of a CoNLL-U file: its text and its words.
    struct GoldSentence {
        text: String,
        words: Vec<String>,
    }

    /// The sentences of a CoNLL-U file: `# text = ` lines and the forms of
    /// word lines (not multi-word token ranges, not empty nodes).
    fn read_conllu(contents: &str) -> Vec<GoldSentence> {
        let mut sentences = Vec::new();
        let mut text = None;
        let mut words = Vec::new();
        for line in contents.lines().chain(std::iter::once("")) {
            if let Some(t) = line.strip_prefix("# text = ") {
                text = Some(t.to_owned());
            } else if line.is_empty() {
                if let Some(text) = text.take() {
                    sentences.push(GoldSentence {
                        text,
                        words: std::mem::take(&mut words),
                    });
                }
                words.clear();
            } else if !line.starts_with('#') {
                let mut columns = line.split('\t');
                let id = columns.next().unwrap_or("");
                let form = columns.next().unwrap_or("");
                if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
                    words.push(form.to_owned());
                }
            }
        }
        sentences
    }

    /// Byte spans of the gold words in the text, found by scanning forward;
    /// a form the text does not have is skipped.
    fn gold_spans(sentence: &GoldSentence) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let mut at = 0;
        for word in &sentence.words {
            let Some(rest) = sentence.text.get(at..) else {
                break;
            };
            if let Some(found) = rest.find(word.as_str()) {
                let start = at + found;
                spans.push((start, start + word.len()));
                at = start + word.len();
            }
        }
        spans
    }

    /// Token F1 by byte span over a treebank file, or `None` when it is
    /// absent. With `TOKENIZE_SHOW_DIFFS` set, prints every sentence cut
    /// differently (to the terminal only: treebank text stays out of the
    /// repository).
    fn span_f1(path: &str) -> Option<f64> {
        let contents = std::fs::read_to_string(path).ok()?;
        let show = std::env::var_os("TOKENIZE_SHOW_DIFFS").is_some();
        let (mut matched, mut predicted, mut gold) = (0usize, 0usize, 0usize);
        for sentence in read_conllu(&contents) {
            let expected = gold_spans(&sentence);
            let got: Vec<(usize, usize)> = tokenize(&sentence.text, 0)
                .iter()
                .map(|t| (t.start, t.end))
                .collect();
            let expected_set: std::collections::HashSet<_> = expected.iter().collect();
            let hits = got
                .iter()
                .filter(|span| expected_set.contains(span))
                .count();
            if show && (hits != got.len() || hits != expected.len()) {
                let cut = |spans: &[(usize, usize)]| {
                    spans
                        .iter()
                        .map(|&(s, e)| &sentence.text[s..e])
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                eprintln!("GOLD {}\nOURS {}\n", cut(&expected), cut(&got));
            }
            matched += hits;
            predicted += got.len();
            gold += expected.len();
        }
        let precision = matched as f64 / predicted.max(1) as f64;
        let recall = matched as f64 / gold.max(1) as f64;
        Some(2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE))
    }

    /// Throughput over the treebank text, for `cargo test --release -- --ignored`.
    #[test]
    #[ignore = "a measurement, not a check; run in release mode"]
    fn throughput() {
        let path = format!("{TREEBANKS}/ud-english-ewt/en_ewt-ud-train.conllu");
        let Ok(contents) = std::fs::read_to_string(&path) else {
            eprintln!("skipping tokenize::throughput: treebank {path} is absent");
            return;
        };
        let texts: Vec<String> = read_conllu(&contents).into_iter().map(|s| s.text).collect();
        let bytes: usize = texts.iter().map(String::len).sum::<usize>() * 10;
        let started = std::time::Instant::now();
        let mut tokens = 0;
        for _ in 0..10 {
            for text in &texts {
                tokens += tokenize(text, 0).len();
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "tokenize: {:.1} MB/s, {:.0} tokens/s",
            bytes as f64 / seconds / 1e6,
            tokens as f64 / seconds
        );
    }

    const TREEBANKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/treebanks");

    #[test]
    fn agrees_with_the_treebank_cut() {
        let dev = format!("{TREEBANKS}/ud-english-ewt/en_ewt-ud-dev.conllu");
        let Some(dev_f1) = span_f1(&dev) else {
            eprintln!("skipping tokenize::agrees_with_the_treebank_cut: treebank {dev} is absent");
            return;
        };
        eprintln!("tokenize: token F1 on EWT dev {dev_f1:.4}");
        for other in [
            "ud-english-ewt/en_ewt-ud-test.conllu",
            "ud-english-pud/en_pud-ud-test.conllu",
        ] {
            if let Some(f1) = span_f1(&format!("{TREEBANKS}/{other}")) {
                eprintln!("tokenize: token F1 on {other} {f1:.4}");
            }
        }
        assert!(dev_f1 >= 0.99, "token F1 on EWT dev fell to {dev_f1:.4}");
    }
}
