//! Reading and writing CoNLL-U, the Universal Dependencies file format, so
//! that a well-formed file read and written back is the same bytes.
//!
//! A sentence is kept as its lines in file order (comments, words,
//! multiword-token ranges, empty nodes) rather than as separate lists, because
//! the order of those lines is information the writer must reproduce. Only
//! word lines are parsed into columns; multiword ranges and empty nodes are
//! validated and then kept as the raw line, since the tagger and parser work
//! on syntactic words only.
//!
//! Reading is strict about what the tree needs (ten columns, word IDs
//! consecutive from 1, every HEAD `_` or a word of the sentence, well-formed
//! ranges) and lenient about layout: `\r\n` line ends, a missing blank line
//! at the end of the file, repeated blank lines between sentences and a
//! leading byte-order mark are accepted. Written output always uses `\n` and
//! ends every sentence with one blank line.

use std::fmt::Write as _;

/// The names of the ten CoNLL-U columns, in file order.
const COLUMNS: [&str; 10] = [
    "ID", "FORM", "LEMMA", "UPOS", "XPOS", "FEATS", "HEAD", "DEPREL", "DEPS", "MISC",
];

/// One word line (integer ID) of a CoNLL-U sentence.
///
/// Columns other than `id` and `head` are kept as written, `_` included. A
/// value must not contain a tab or a line break, or the written line will not
/// read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Word index, 1-based and consecutive within the sentence.
    pub id: u32,
    /// Word form or punctuation symbol.
    pub form: String,
    /// Lemma or stem.
    pub lemma: String,
    /// Universal part-of-speech tag.
    pub upos: String,
    /// Language-specific part-of-speech tag (Penn Treebank for English).
    pub xpos: String,
    /// Morphological features, `Name=Value` pairs joined by `|`.
    pub feats: String,
    /// Head word ID, 0 for the root; `None` when the column is `_`.
    pub head: Option<u32>,
    /// Dependency relation to the head, possibly with a subtype (`nsubj:pass`).
    pub deprel: String,
    /// Enhanced dependency graph, kept unparsed.
    pub deps: String,
    /// Any other annotation (`SpaceAfter=No`, ...), kept unparsed.
    pub misc: String,
}

impl Word {
    /// A word with only an ID and a form; every other column is `_`.
    pub fn plain(id: u32, form: &str) -> Word {
        let blank = || "_".to_owned();
        Word {
            id,
            form: form.to_owned(),
            lemma: blank(),
            upos: blank(),
            xpos: blank(),
            feats: blank(),
            head: None,
            deprel: blank(),
            deps: blank(),
            misc: blank(),
        }
    }
}

/// A line of a sentence block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A comment, the full line including the leading `#`.
    Comment(String),
    /// A syntactic word (integer ID).
    Word(Word),
    /// A multiword token range, the raw line (`3-4\tdon't\t_...`).
    MultiWord(String),
    /// An empty node of the enhanced graph, the raw line (`8.1\twrite\t...`).
    Empty(String),
}

/// One sentence: its lines in file order, without the blank line ending it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// Comments, words, multiword ranges and empty nodes, as in the file.
    pub lines: Vec<Line>,
}

impl Sentence {
    /// The syntactic words, in order (multiword ranges and empty nodes left out).
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.lines.iter().filter_map(|line| match line {
            Line::Word(word) => Some(word),
            _ => None,
        })
    }

    /// The syntactic words, in order, for annotating them in place.
    pub fn words_mut(&mut self) -> impl Iterator<Item = &mut Word> {
        self.lines.iter_mut().filter_map(|line| match line {
            Line::Word(word) => Some(word),
            _ => None,
        })
    }

    /// The number of syntactic words.
    pub fn word_count(&self) -> usize {
        self.words().count()
    }

    /// The value of the `# text = ...` comment, if there is one.
    pub fn text(&self) -> Option<&str> {
        self.metadata("text")
    }

    /// The value of the `# sent_id = ...` comment, if there is one.
    pub fn sent_id(&self) -> Option<&str> {
        self.metadata("sent_id")
    }

    /// The value of the first `# key = value` comment with this key, trimmed.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.lines.iter().find_map(|line| match line {
            Line::Comment(comment) => {
                let rest = comment.strip_prefix('#')?.trim_start();
                let value = rest.strip_prefix(key)?.trim_start().strip_prefix('=')?;
                Some(value.trim())
            }
            _ => None,
        })
    }

    /// A sentence of plain words with IDs 1..=n, every other column `_`, no
    /// comments: the input shape for tagging already-tokenized text.
    pub fn from_forms(forms: &[&str]) -> Sentence {
        let lines = (1..)
            .zip(forms)
            .map(|(id, form)| Line::Word(Word::plain(id, form)))
            .collect();
        Sentence { lines }
    }
}

/// Why a CoNLL-U text could not be read. Every variant carries the 1-based
/// number of the offending line.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConlluError {
    /// A non-comment line does not have exactly ten tab-separated columns.
    #[error("line {}: expected 10 tab-separated columns, found {found}", grouped(.line))]
    ColumnCount {
        /// 1-based line number.
        line: usize,
        /// How many columns the line has.
        found: usize,
    },
    /// A column is the empty string (CoNLL-U writes `_` for "no value").
    #[error("line {}: the {column} column is empty (write '_' for no value)", grouped(.line))]
    EmptyColumn {
        /// 1-based line number.
        line: usize,
        /// Name of the column (`FORM`, `HEAD`, ...).
        column: &'static str,
    },
    /// The ID column is not a word ID, a range `a-b` or an empty node `i.j`.
    #[error(
        "line {}: ID '{id}' is not a word ID (1, 2, ...), a multiword range (3-4) or an empty node (8.1)",
        grouped(.line)
    )]
    BadId {
        /// 1-based line number.
        line: usize,
        /// The ID column as written.
        id: String,
    },
    /// A word ID does not follow the previous word's ID.
    #[error("line {}: word ID {found} out of sequence, expected {expected}", grouped(.line))]
    NonConsecutiveId {
        /// 1-based line number.
        line: usize,
        /// The ID the word should have had.
        expected: u32,
        /// The ID it has.
        found: u32,
    },
    /// The HEAD column is neither `_` nor a non-negative integer.
    #[error("line {}: HEAD '{head}' is not '_' or a word ID", grouped(.line))]
    BadHead {
        /// 1-based line number.
        line: usize,
        /// The HEAD column as written.
        head: String,
    },
    /// The HEAD points past the last word of the sentence.
    #[error("line {}: HEAD {head} is outside 0..={words}, the sentence has {words} words", grouped(.line))]
    HeadOutOfRange {
        /// 1-based line number.
        line: usize,
        /// The head ID.
        head: u32,
        /// How many words the sentence has.
        words: usize,
    },
    /// A multiword token range is malformed or misplaced.
    #[error("line {}: multiword range '{range}' {problem}", grouped(.line))]
    BadRange {
        /// 1-based line number.
        line: usize,
        /// The ID column as written.
        range: String,
        /// What is wrong with it.
        problem: String,
    },
    /// An empty node ID is malformed or misplaced.
    #[error("line {}: empty node '{id}' {problem}", grouped(.line))]
    BadEmptyNode {
        /// 1-based line number.
        line: usize,
        /// The ID column as written.
        id: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A block of lines between blank lines has no word line.
    #[error("line {}: sentence has no word lines", grouped(.line))]
    NoWords {
        /// 1-based number of the block's first line.
        line: usize,
    },
}

impl ConlluError {
    /// The 1-based number of the line the error is about.
    pub fn line(&self) -> usize {
        match self {
            ConlluError::ColumnCount { line, .. }
            | ConlluError::EmptyColumn { line, .. }
            | ConlluError::BadId { line, .. }
            | ConlluError::NonConsecutiveId { line, .. }
            | ConlluError::BadHead { line, .. }
            | ConlluError::HeadOutOfRange { line, .. }
            | ConlluError::BadRange { line, .. }
            | ConlluError::BadEmptyNode { line, .. }
            | ConlluError::NoWords { line } => *line,
        }
    }
}

/// A number with thousands separators, as people read line numbers: `1,204`.
fn grouped(n: &usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    // Digits left before the next separator: the first group is the short one.
    let mut group_left = match digits.len() % 3 {
        0 => 3,
        short => short,
    };
    for digit in digits.chars() {
        if group_left == 0 {
            out.push(',');
            group_left = 3;
        }
        out.push(digit);
        group_left -= 1;
    }
    out
}

/// Reads every sentence of a CoNLL-U text.
pub fn read(text: &str) -> Result<Vec<Sentence>, ConlluError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sentences = Vec::new();
    let mut block = SentenceReader::default();
    // `lines` takes off `\n` and `\r\n` and yields no empty last line for a
    // text ending in a line break.
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.is_empty() {
            if let Some(sentence) = block.finish()? {
                sentences.push(sentence);
            }
        } else {
            block.push(line, raw)?;
        }
    }
    if let Some(sentence) = block.finish()? {
        sentences.push(sentence);
    }
    Ok(sentences)
}

/// Writes sentences as CoNLL-U, each followed by one blank line.
pub fn write(sentences: &[Sentence], out: &mut String) {
    for sentence in sentences {
        write_sentence(sentence, out);
    }
}

/// Writes one sentence as CoNLL-U, followed by one blank line.
pub fn write_sentence(sentence: &Sentence, out: &mut String) {
    for line in &sentence.lines {
        match line {
            Line::Comment(raw) | Line::MultiWord(raw) | Line::Empty(raw) => out.push_str(raw),
            Line::Word(word) => write_word(word, out),
        }
        out.push('\n');
    }
    out.push('\n');
}

/// Writes sentences as a CoNLL-U string.
pub fn to_string(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    write(sentences, &mut out);
    out
}

fn write_word(word: &Word, out: &mut String) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{}", word.id);
    for column in [&word.form, &word.lemma, &word.upos, &word.xpos, &word.feats] {
        out.push('\t');
        out.push_str(column);
    }
    out.push('\t');
    match word.head {
        Some(head) => {
            let _ = write!(out, "{head}");
        }
        None => out.push('_'),
    }
    for column in [&word.deprel, &word.deps, &word.misc] {
        out.push('\t');
        out.push_str(column);
    }
}

/// The lines of the sentence being read, with what is needed to check the
/// next line against the ones before it.
#[derive(Default)]
struct SentenceReader {
    lines: Vec<Line>,
    /// Line number of `lines[0]`; the block has no gaps, so `lines[k]` is on
    /// line `first_line + k`.
    first_line: usize,
    /// Words read so far, which is also the ID of the last word.
    words: u32,
    /// The last multiword range: its line number, its end and its ID column.
    last_range: Option<(usize, u32, String)>,
    /// The last empty node, `(i, j)` of `i.j`.
    last_empty: Option<(u32, u32)>,
}

impl SentenceReader {
    fn push(&mut self, line: usize, raw: &str) -> Result<(), ConlluError> {
        if self.lines.is_empty() {
            self.first_line = line;
        }
        if raw.starts_with('#') {
            self.lines.push(Line::Comment(raw.to_owned()));
            return Ok(());
        }
        let columns = split_columns(line, raw)?;
        let id = columns[0];
        let parsed = if id.contains('-') {
            self.check_range(line, id)?;
            Line::MultiWord(raw.to_owned())
        } else if id.contains('.') {
            self.check_empty_node(line, id)?;
            Line::Empty(raw.to_owned())
        } else {
            Line::Word(self.parse_word(line, &columns)?)
        };
        self.lines.push(parsed);
        Ok(())
    }

    fn parse_word(&mut self, line: usize, columns: &[&str; 10]) -> Result<Word, ConlluError> {
        let [id, form, lemma, upos, xpos, feats, head, deprel, deps, misc] = *columns;
        let id = match parse_index(id) {
            Some(n) if n > 0 => n,
            _ => {
                return Err(ConlluError::BadId {
                    line,
                    id: id.to_owned(),
                })
            }
        };
        let expected = self.words + 1;
        if id != expected {
            return Err(ConlluError::NonConsecutiveId {
                line,
                expected,
                found: id,
            });
        }
        let head = match head {
            "_" => None,
            _ => Some(parse_index(head).ok_or_else(|| ConlluError::BadHead {
                line,
                head: head.to_owned(),
            })?),
        };
        self.words = id;
        Ok(Word {
            id,
            form: form.to_owned(),
            lemma: lemma.to_owned(),
            upos: upos.to_owned(),
            xpos: xpos.to_owned(),
            feats: feats.to_owned(),
            head,
            deprel: deprel.to_owned(),
            deps: deps.to_owned(),
            misc: misc.to_owned(),
        })
    }

    fn check_range(&mut self, line: usize, id: &str) -> Result<(), ConlluError> {
        let bad = |problem: String| ConlluError::BadRange {
            line,
            range: id.to_owned(),
            problem,
        };
        let (start, end) = id
            .split_once('-')
            .and_then(|(start, end)| Some((parse_index(start)?, parse_index(end)?)))
            .ok_or_else(|| bad("is not two word IDs joined by '-'".to_owned()))?;
        if start == 0 || start >= end {
            return Err(bad("must span at least two words, like 3-4".to_owned()));
        }
        let next = self.words + 1;
        if start != next {
            return Err(bad(format!(
                "must come just before its first word; the next word is {next}"
            )));
        }
        if let Some((_, last_end, _)) = self.last_range {
            if start <= last_end {
                return Err(bad(format!(
                    "overlaps the range before it, which ends at {last_end}"
                )));
            }
        }
        self.last_range = Some((line, end, id.to_owned()));
        Ok(())
    }

    fn check_empty_node(&mut self, line: usize, id: &str) -> Result<(), ConlluError> {
        let bad = |problem: String| ConlluError::BadEmptyNode {
            line,
            id: id.to_owned(),
            problem,
        };
        let (word, index) = id
            .split_once('.')
            .and_then(|(word, index)| Some((parse_index(word)?, parse_index(index)?)))
            .filter(|&(_, index)| index > 0)
            .ok_or_else(|| bad("is not a word ID and a positive index joined by '.'".to_owned()))?;
        if word != self.words {
            return Err(bad(format!(
                "must come just after word {word}; the last word is {}",
                self.words
            )));
        }
        let expected = match self.last_empty {
            Some((last_word, last_index)) if last_word == word => last_index + 1,
            _ => 1,
        };
        if index != expected {
            return Err(bad(format!(
                "is out of sequence, expected {word}.{expected}"
            )));
        }
        self.last_empty = Some((word, index));
        Ok(())
    }

    /// Ends the block at a blank line or the end of the text: checks what
    /// needs the whole sentence and hands it over, or `None` for no lines.
    fn finish(&mut self) -> Result<Option<Sentence>, ConlluError> {
        if self.lines.is_empty() {
            return Ok(None);
        }
        let reader = std::mem::take(self);
        if reader.words == 0 {
            return Err(ConlluError::NoWords {
                line: reader.first_line,
            });
        }
        let words = reader.words;
        if let Some((line, end, range)) = reader.last_range {
            if end > words {
                return Err(ConlluError::BadRange {
                    line,
                    range,
                    problem: format!("ends past the last word, {words}"),
                });
            }
        }
        for (offset, line) in reader.lines.iter().enumerate() {
            if let Line::Word(Word {
                head: Some(head), ..
            }) = line
            {
                if *head > words {
                    return Err(ConlluError::HeadOutOfRange {
                        line: reader.first_line + offset,
                        head: *head,
                        words: words as usize,
                    });
                }
            }
        }
        Ok(Some(Sentence {
            lines: reader.lines,
        }))
    }
}

/// Splits a line into its ten columns, none of them empty.
fn split_columns(line: usize, raw: &str) -> Result<[&str; 10], ConlluError> {
    let mut columns = [""; 10];
    let mut found = 0;
    for (slot, value) in raw.split('\t').enumerate() {
        if let Some(column) = columns.get_mut(slot) {
            *column = value;
        }
        found = slot + 1;
    }
    if found != columns.len() {
        return Err(ConlluError::ColumnCount { line, found });
    }
    if let Some((column, _)) = COLUMNS
        .iter()
        .zip(columns)
        .find(|(_, value)| value.is_empty())
    {
        return Err(ConlluError::EmptyColumn { line, column });
    }
    Ok(columns)
}

/// A non-negative integer written the one canonical way (ASCII digits, no
/// sign, no leading zero), so that what is read writes back the same.
fn parse_index(text: &str) -> Option<u32> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Invented sentences: comments, a multiword token, an empty node, a
    /// comment between words, a `_` head.
    const SAMPLE: &str = "\
# newdoc id = invented-harbour
# sent_id = invented-1
# text = Kim won't sail today.
1\tKim\tKim\tPROPN\tNNP\tNumber=Sing\t4\tnsubj\t4:nsubj\t_
2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_
2\two\twill\tAUX\tMD\tVerbForm=Fin\t4\taux\t4:aux\t_
3\tn't\tnot\tPART\tRB\tPolarity=Neg\t4\tadvmod\t4:advmod\t_
4\tsail\tsail\tVERB\tVB\tVerbForm=Inf\t0\troot\t0:root\t_
5\ttoday\ttoday\tNOUN\tNN\tNumber=Sing\t4\tobl:tmod\t4:obl:tmod\tSpaceAfter=No
6\t.\t.\tPUNCT\t.\t_\t4\tpunct\t4:punct\t_

# sent_id = invented-2
# text = Ada painted the barn and Lee the shed.
1\tAda\tAda\tPROPN\tNNP\tNumber=Sing\t2\tnsubj\t2:nsubj\t_
2\tpainted\tpaint\tVERB\tVBD\tTense=Past\t0\troot\t0:root\t_
3\tthe\tthe\tDET\tDT\t_\t4\tdet\t4:det\t_
4\tbarn\tbarn\tNOUN\tNN\tNumber=Sing\t2\tobj\t2:obj\t_
5\tand\tand\tCCONJ\tCC\t_\t6\tcc\t6.1:cc\t_
6\tLee\tLee\tPROPN\tNNP\tNumber=Sing\t2\tconj\t6.1:nsubj\t_
6.1\tpainted\tpaint\tVERB\tVBD\tTense=Past\t_\t_\t2:conj:and\tCopyOf=2
# an invented comment between words
7\tthe\tthe\tDET\tDT\t_\t8\tdet\t8:det\t_
8\tshed\tshed\tNOUN\tNN\tNumber=Sing\t6\torphan\t6.1:obj\tSpaceAfter=No
9\t.\t.\tPUNCT\t.\t_\t_\tpunct\t2:punct\t_

";

    #[test]
    fn a_well_formed_text_round_trips_byte_for_byte() {
        let sentences = read(SAMPLE).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(to_string(&sentences), SAMPLE);
    }

    #[test]
    fn lines_are_classified_and_words_parsed() {
        let sentences = read(SAMPLE).unwrap();
        let first = &sentences[0];
        assert_eq!(first.text(), Some("Kim won't sail today."));
        assert_eq!(first.sent_id(), Some("invented-1"));
        assert_eq!(first.metadata("newdoc id"), Some("invented-harbour"));
        assert!(matches!(&first.lines[3], Line::Word(w) if w.form == "Kim"));
        assert!(matches!(&first.lines[4], Line::MultiWord(raw) if raw.starts_with("2-3\twon't\t")));
        let forms: Vec<_> = first.words().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, ["Kim", "wo", "n't", "sail", "today", "."]);
        let ids: Vec<_> = first.words().map(|w| w.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
        let sail = first.words().nth(3).unwrap();
        assert_eq!(sail.head, Some(0));
        assert_eq!(sail.deprel, "root");
        assert_eq!(sail.feats, "VerbForm=Inf");

        let second = &sentences[1];
        assert_eq!(second.word_count(), 9);
        assert!(second
            .lines
            .iter()
            .any(|l| matches!(l, Line::Empty(raw) if raw.starts_with("6.1\tpainted\t"))));
        assert_eq!(second.words().last().unwrap().head, None);
    }

    #[test]
    fn crlf_and_a_missing_final_blank_line_are_accepted() {
        let without_final_blank = SAMPLE.trim_end_matches('\n');
        let crlf = without_final_blank.replace('\n', "\r\n");
        for text in [without_final_blank, crlf.as_str()] {
            let sentences = read(text).unwrap();
            assert_eq!(to_string(&sentences), SAMPLE);
        }
    }

    #[test]
    fn repeated_blank_lines_and_a_byte_order_mark_are_accepted() {
        let text = format!("\u{feff}\n\n{}\n\n", SAMPLE.replace("\n\n", "\n\n\n"));
        let sentences = read(&text).unwrap();
        assert_eq!(to_string(&sentences), SAMPLE);
    }

    #[test]
    fn an_empty_text_has_no_sentences() {
        assert_eq!(read("").unwrap(), []);
        assert_eq!(read("\n\n").unwrap(), []);
    }

    #[test]
    fn edited_words_are_written_back() {
        let mut sentence = Sentence::from_forms(&["Ships", "sail", "."]);
        for (word, (upos, head)) in
            sentence
                .words_mut()
                .zip([("NOUN", 2), ("VERB", 0), ("PUNCT", 2)])
        {
            word.upos = upos.to_owned();
            word.head = Some(head);
        }
        let text = to_string(std::slice::from_ref(&sentence));
        assert_eq!(
            text,
            "1\tShips\t_\tNOUN\t_\t_\t2\t_\t_\t_\n\
             2\tsail\t_\tVERB\t_\t_\t0\t_\t_\t_\n\
             3\t.\t_\tPUNCT\t_\t_\t2\t_\t_\t_\n\n"
        );
        assert_eq!(read(&text).unwrap(), [sentence]);
    }

    #[test]
    fn from_forms_numbers_words_from_one() {
        let sentence = Sentence::from_forms(&["Rain", "fell"]);
        assert_eq!(sentence.lines.len(), 2);
        assert_eq!(sentence.words().next(), Some(&Word::plain(1, "Rain")));
        assert_eq!(sentence.words().nth(1), Some(&Word::plain(2, "fell")));
        assert_eq!(sentence.text(), None);
        assert_eq!(Sentence::from_forms(&[]).word_count(), 0);
    }

    /// `text` with line `line` (1-based) replaced.
    fn with_line(line: usize, replacement: &str) -> String {
        let mut lines: Vec<&str> = SAMPLE.split('\n').collect();
        lines[line - 1] = replacement;
        lines.join("\n")
    }

    fn error_of(text: &str) -> ConlluError {
        match read(text) {
            Err(error) => error,
            Ok(sentences) => panic!("read {} sentences, expected an error", sentences.len()),
        }
    }

    #[test]
    fn a_wrong_column_count_names_the_line() {
        let error = error_of(&with_line(6, "2\two\twill\tAUX\tMD\tVerbForm=Fin\t4"));
        assert_eq!(error, ConlluError::ColumnCount { line: 6, found: 7 });
        assert_eq!(
            error.to_string(),
            "line 6: expected 10 tab-separated columns, found 7"
        );
        let spaces = with_line(4, "1 Kim Kim PROPN NNP Number=Sing 4 nsubj 4:nsubj _");
        assert_eq!(
            error_of(&spaces),
            ConlluError::ColumnCount { line: 4, found: 1 }
        );
    }

    #[test]
    fn large_line_numbers_are_grouped_by_thousands() {
        let mut text = String::new();
        for _ in 0..601 {
            text.push_str("1\tGo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n\n");
        }
        text.push_str("1\tGo\tgo\tVERB\n");
        let error = error_of(&text);
        assert_eq!(error.line(), 1_203);
        assert_eq!(
            error.to_string(),
            "line 1,203: expected 10 tab-separated columns, found 4"
        );
        assert_eq!(grouped(&0), "0");
        assert_eq!(grouped(&999), "999");
        assert_eq!(grouped(&1_000), "1,000");
        assert_eq!(grouped(&1_234_567), "1,234,567");
    }

    #[test]
    fn an_empty_column_is_an_error() {
        let error = error_of(&with_line(
            4,
            "1\tKim\t\tPROPN\tNNP\tNumber=Sing\t4\tnsubj\t4:nsubj\t_",
        ));
        assert_eq!(
            error,
            ConlluError::EmptyColumn {
                line: 4,
                column: "LEMMA"
            }
        );
    }

    #[test]
    fn non_consecutive_word_ids_are_an_error() {
        let skipped = with_line(
            7,
            "4\tn't\tnot\tPART\tRB\tPolarity=Neg\t4\tadvmod\t4:advmod\t_",
        );
        let error = error_of(&skipped);
        assert_eq!(
            error,
            ConlluError::NonConsecutiveId {
                line: 7,
                expected: 3,
                found: 4
            }
        );
        assert_eq!(
            error.to_string(),
            "line 7: word ID 4 out of sequence, expected 3"
        );
        // Each sentence numbers its words from 1 again.
        let from_two = with_line(
            14,
            "2\tAda\tAda\tPROPN\tNNP\tNumber=Sing\t2\tnsubj\t2:nsubj\t_",
        );
        assert_eq!(
            error_of(&from_two),
            ConlluError::NonConsecutiveId {
                line: 14,
                expected: 1,
                found: 2
            }
        );
    }

    #[test]
    fn malformed_word_ids_are_an_error() {
        for id in ["0", "01", "+1", "x", "1.5.2"] {
            let line = format!("{id}\tKim\tKim\tPROPN\tNNP\tNumber=Sing\t4\tnsubj\t4:nsubj\t_");
            let error = error_of(&with_line(4, &line));
            assert_eq!(error.line(), 4, "{id}: {error}");
        }
    }

    #[test]
    fn a_head_outside_the_sentence_is_an_error() {
        // Checked when the sentence is complete: 7 would be fine with 7 words.
        let error = error_of(&with_line(
            4,
            "1\tKim\tKim\tPROPN\tNNP\tNumber=Sing\t7\tnsubj\t4:nsubj\t_",
        ));
        assert_eq!(
            error,
            ConlluError::HeadOutOfRange {
                line: 4,
                head: 7,
                words: 6
            }
        );
        assert_eq!(
            error.to_string(),
            "line 4: HEAD 7 is outside 0..=6, the sentence has 6 words"
        );
        // The last word may be the head.
        let last = with_line(
            4,
            "1\tKim\tKim\tPROPN\tNNP\tNumber=Sing\t6\tnsubj\t4:nsubj\t_",
        );
        assert!(read(&last).is_ok());
    }

    #[test]
    fn a_head_that_is_not_a_number_is_an_error() {
        for head in ["-1", "four", "04", "1.1"] {
            let line = format!("1\tKim\tKim\tPROPN\tNNP\tNumber=Sing\t{head}\tnsubj\t4:nsubj\t_");
            let error = error_of(&with_line(4, &line));
            assert_eq!(
                error,
                ConlluError::BadHead {
                    line: 4,
                    head: head.to_owned()
                }
            );
        }
    }

    #[test]
    fn malformed_or_misplaced_ranges_are_an_error() {
        let range_line = |id: &str| format!("{id}\twon't\t_\t_\t_\t_\t_\t_\t_\t_");
        // Line 5 is the `2-3` range, just before word 2.
        for id in ["2-2", "3-2", "2-", "-3", "a-b", "0-1", "3-4", "1-2"] {
            let error = error_of(&with_line(5, &range_line(id)));
            assert!(
                matches!(&error, ConlluError::BadRange { line: 5, range, .. } if range == id),
                "{id}: {error}"
            );
        }
        // A range reaching past the last word is found when the sentence ends.
        let error = error_of(&with_line(5, &range_line("2-9")));
        assert_eq!(
            error.to_string(),
            "line 5: multiword range '2-9' ends past the last word, 6"
        );
        // Two ranges over the same words.
        let twice = SAMPLE.replacen(
            "2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n",
            "2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n",
            1,
        );
        assert_eq!(error_of(&twice).line(), 6);
    }

    #[test]
    fn malformed_or_misplaced_empty_nodes_are_an_error() {
        let node_line = |id: &str| {
            format!("{id}\tpainted\tpaint\tVERB\tVBD\tTense=Past\t_\t_\t2:conj:and\tCopyOf=2")
        };
        // Line 20 is the `6.1` empty node, just after word 6.
        for id in ["6.0", "6.2", "5.1", "7.1", "6.", ".1", "6.01"] {
            let error = error_of(&with_line(20, &node_line(id)));
            assert!(
                matches!(&error, ConlluError::BadEmptyNode { line: 20, id: got, .. } if got == id),
                "{id}: {error}"
            );
        }
        // An empty node before the first word is `0.1`.
        let first = "0.1\tsaid\tsay\tVERB\tVBD\t_\t_\t_\t0:root\t_\n\
                     1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t0.1:discourse\t_\n";
        assert_eq!(to_string(&read(first).unwrap()), format!("{first}\n"));
    }

    #[test]
    fn a_block_of_comments_only_is_an_error() {
        let text = "# sent_id = invented-3\n\n1\tGo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n";
        assert_eq!(error_of(text), ConlluError::NoWords { line: 1 });
    }

    #[test]
    fn the_ewt_dev_file_round_trips_byte_for_byte() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/treebanks/ud-english-ewt/en_ewt-ud-dev.conllu"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipping: treebank not found at {path}");
            return;
        };
        let sentences = read(&text).unwrap();
        assert_eq!(sentences.len(), 2001);
        assert!(sentences.iter().all(|s| s.sent_id().is_some()));
        assert!(to_string(&sentences) == text, "round trip differs");
    }
}
