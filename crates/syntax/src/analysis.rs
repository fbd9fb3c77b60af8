//! A sentence in, its analysis out: tokens cut as the treebank cuts them
//! (with byte offsets into the document), UPOS tags, heads and labels.

use crate::conllu;
use crate::model::Model;
use crate::tokenize::{self, is_zero_width, Token};
use crate::Upos;

/// One word of an analysed sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'m> {
    /// The word as the parser read it.
    pub form: String,
    /// First byte in the document.
    pub start: usize,
    /// One past the last byte in the document.
    pub end: usize,
    /// Universal part of speech.
    pub upos: Upos,
    /// Penn Treebank part of speech (`VBN`, `IN`, `NNP`, ...).
    pub xpos: &'m str,
    /// The head word's number (1-based), 0 for the root.
    pub head: u32,
    /// The relation to the head (`nsubj`, `obl:agent`, `root`, ...).
    pub deprel: &'m str,
}

/// An analysed sentence: its words in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Analysis<'m> {
    /// The words; word `i` is number `i + 1` in `head`.
    pub words: Vec<Word<'m>>,
}

impl<'m> Analysis<'m> {
    /// The head of word `i` (0-based) as a 0-based index, `None` for the root.
    pub fn head_of(&self, i: usize) -> Option<usize> {
        let h = self.words.get(i)?.head as usize;
        h.checked_sub(1)
    }

    /// Indices of the words whose head is word `i` (0-based).
    pub fn dependents(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.words
            .iter()
            .enumerate()
            .filter(move |(_, w)| w.head as usize == i + 1)
            .map(|(j, _)| j)
    }

    /// The sentence as CoNLL-U lines (ID, FORM, UPOS, HEAD, DEPREL; the
    /// byte range in MISC as `Offsets=start:end`), with `text` as its
    /// `# text` comment when given.
    pub fn to_conllu(&self, sent_id: Option<&str>, text: Option<&str>) -> conllu::Sentence {
        let mut lines = Vec::with_capacity(self.words.len() + 2);
        if let Some(id) = sent_id {
            lines.push(conllu::Line::Comment(format!("# sent_id = {id}")));
        }
        if let Some(t) = text {
            let one_line: String = t
                .chars()
                .map(|c| {
                    if c == '\n' || c == '\r' || c == '\t' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            lines.push(conllu::Line::Comment(format!("# text = {one_line}")));
        }
        for (i, w) in self.words.iter().enumerate() {
            let mut word = conllu::Word::plain(i as u32 + 1, &w.form);
            word.upos = w.upos.as_str().to_string();
            word.xpos = w.xpos.to_string();
            word.head = Some(w.head);
            word.deprel = w.deprel.to_string();
            word.misc = format!("Offsets={}:{}", w.start, w.end);
            lines.push(conllu::Line::Word(word));
        }
        conllu::Sentence { lines }
    }
}

/// `form` as the tagger reads it, when that differs: typographic quotes
/// written as the treebank's ASCII ones, and without the zero-width
/// characters a web page left inside a word ([`is_zero_width`]). News
/// uses „ “ ” « » ‘ ’ and the treebank hardly does: a quote the tagger
/// has not seen makes it guess the words around it ("calls" after „ read
/// as a noun).
fn tagger_form(form: &str) -> Option<String> {
    let ascii = |c: char| match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2039}' | '\u{203A}' => '\'',
        c => c,
    };
    form.chars()
        .any(|c| ascii(c) != c || is_zero_width(c))
        .then(|| {
            form.chars()
                .filter(|&c| !is_zero_width(c))
                .map(ascii)
                .collect()
        })
}

impl Model {
    /// Tags and parses words already cut as the treebank cuts them.
    pub fn analyse_tokens(&self, tokens: Vec<Token>) -> Analysis<'_> {
        let read: Vec<Option<String>> = tokens.iter().map(|t| tagger_form(&t.form)).collect();
        let forms: Vec<&str> = tokens
            .iter()
            .zip(&read)
            .map(|(t, a)| a.as_deref().unwrap_or(&t.form))
            .collect();
        let views = self.tagger.views(&forms);
        let known = self.quote_tags(&tokens);
        let tags = self.tagger.tag_views_with(&views, &known);
        let arcs = self.parse_tagged(&views, &tags);
        let words = tokens
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let tag = tags.get(i).copied().unwrap_or(u8::MAX);
                Word {
                    form: t.form,
                    start: t.start,
                    end: t.end,
                    upos: self.tagger.tags().upos(tag),
                    xpos: self.tagger.tags().xpos(tag),
                    head: arcs.heads.get(i).copied().unwrap_or(0),
                    deprel: self
                        .parser
                        .label(arcs.labels.get(i).copied().unwrap_or(u8::MAX)),
                }
            })
            .collect();
        Analysis { words }
    }

    /// The tags of the quotation marks whose side the text shows: an
    /// opening (``) or closing ('') typographic mark, or a straight one
    /// with a space on one side only. Read as bare `"`, a mark's side is a
    /// guess, and a wrong guess ('the chief "has ties," X said' with the
    /// first mark read as closing) misleads the parser about the clauses.
    fn quote_tags(&self, tokens: &[Token]) -> Vec<Option<u8>> {
        let tags = self.tagger.tags();
        let (open, close) = (tags.number("PUNCT|``"), tags.number("PUNCT|''"));
        tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let glued_before = i > 0 && tokens[i - 1].end == t.start;
                let glued_after = tokens.get(i + 1).is_some_and(|n| n.start == t.end);
                match t.form.as_str() {
                    "\u{201C}" | "\u{201E}" | "\u{00AB}" | "\u{2018}" => open,
                    "\u{201D}" | "\u{00BB}" | "\u{2019}" => close,
                    "\"" if glued_after && !glued_before => open,
                    "\"" if glued_before && !glued_after => close,
                    _ => None,
                }
            })
            .collect()
    }

    /// Tokenises, tags and parses one sentence; `base` is the sentence's
    /// byte offset in its document, so that every word's range points
    /// into the document.
    pub fn analyse(&self, sentence: &str, base: usize) -> Analysis<'_> {
        self.analyse_tokens(tokenize::tokenize(sentence, base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_quotes_are_read_as_ascii_ones() {
        assert_eq!(tagger_form("\u{201E}").as_deref(), Some("\""));
        assert_eq!(tagger_form("\u{00AB}").as_deref(), Some("\""));
        assert_eq!(tagger_form("don\u{2019}t").as_deref(), Some("don't"));
        assert_eq!(tagger_form("plain"), None);
        assert_eq!(tagger_form("Vu\u{010D}i\u{0107}"), None);
    }

    #[test]
    fn a_zero_width_character_inside_a_word_is_not_read() {
        assert_eq!(tagger_form("De\u{200B}fense").as_deref(), Some("Defense"));
        assert_eq!(tagger_form("re\u{2060}\u{201D}").as_deref(), Some("re\""));
        let model = crate::english().unwrap_or_else(|e| panic!("shipped model: {e}"));
        let text = "The De\u{200B}fense Secretary urged calm.";
        let a = model.analyse(text, 0);
        let forms: Vec<&str> = a.words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(
            forms,
            ["The", "De\u{200B}fense", "Secretary", "urged", "calm", "."]
        );
        let plain = model.analyse("The Defense Secretary urged calm.", 0);
        let tags = |a: &Analysis| a.words.iter().map(|w| (w.upos, w.head)).collect::<Vec<_>>();
        assert_eq!(tags(&a), tags(&plain));
    }
}
