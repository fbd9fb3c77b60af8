//! The model file: the tagger's and the parser's weights and the label
//! names in one versioned binary with a checksum, written and read here
//! and nowhere else.
//!
//! Layout (integers little-endian):
//! `NGSYNTAX` · format version u32 · body length u64 · body · CRC-32 of
//! the body u32. The body holds the fine tag names (`UPOS|XPOS`) and the
//! label names (each list a u32 count, then a u16 length and UTF-8 bytes
//! each), the CRC-32 of the word-cluster table the model was trained with
//! ([`crate::clusters`]; u32) and whether the tagger and the parser read
//! clusters (u8: 1 the tagger, 2 the parser; 4 if the parser makes the
//! moves of the non-monotonic system, [`Parser::non_monotonic`]), the tag dictionary (u32 count, then word and class u64 pairs in
//! word order), then the tagger's and the parser's weight tables. A table is:
//! classes u16, rows u32, entries u32, scale (f32 bits: what one step of a weight stands for), each row's
//! feature u64 (ascending), each row's entry count u8, each entry's
//! class u8, each entry's weight as an i16 number of steps.
//!
//! Version 5 adds, after the parser's table, a backward parser ([`crate::combine`]):
//! whether it reads clusters (u8: 1; 2 if it is non-monotonic), its table
//! and its gate ([`Model::backward_gate`], f32 bits). Version 4, read but
//! no longer written, is version 5 without the gate, which then is
//! [`BACKWARD_GATE`]. A model without a backward parser is written as
//! version 3, which has nothing after the parser's table, so that its
//! bytes do not change.
//!
//! A model whose tagger and parsers read no clusters loads whatever
//! cluster table the build has; one that reads them needs the table it
//! was trained with.

use crate::conllu;
use crate::features::WordView;
use crate::parser::{Arcs, LabelError, Parser};
use crate::perceptron::Weights;
use crate::tagger::{TagDict, TagSet, Tagger};
use crate::Upos;

const MAGIC: &[u8; 8] = b"NGSYNTAX";
/// The format this build writes for a model with a backward parser, and
/// reads.
pub const FORMAT_VERSION: u32 = 5;
/// The format of a model with a backward parser before its gate was
/// kept in the file, which this build reads.
pub const UNGATED_VERSION: u32 = 4;
/// The format of a model without a backward parser (version 4 less the
/// backward table), which this build also writes and reads.
pub const SINGLE_VERSION: u32 = 3;

/// Why a model file cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// Not a model file at all.
    #[error("not a newsgraph syntax model (bad magic bytes)")]
    Magic,
    /// Written by another version of the format.
    #[error("model format version {found}; this build reads versions {SINGLE_VERSION} to {FORMAT_VERSION}")]
    Version {
        /// The version in the file.
        found: u32,
    },
    /// Shorter than its header says.
    #[error("model file truncated: {0}")]
    Truncated(&'static str),
    /// The checksum does not match the body.
    #[error("model checksum mismatch (stored {stored:#010x}, computed {computed:#010x}): the file is damaged")]
    Checksum {
        /// The checksum in the file.
        stored: u32,
        /// The checksum of the body as read.
        computed: u32,
    },
    /// A field holds a value no writer produces.
    #[error("model file malformed: {0}")]
    Malformed(String),
    /// Trained with another word-cluster table than the one compiled in.
    #[error("the model was trained with word clusters {model:#010x}, but this build has {built:#010x}: retrain it (examples/train.rs)")]
    Clusters {
        /// The CRC-32 of the table the model was trained with.
        model: u32,
        /// The CRC-32 of the table in this build.
        built: u32,
    },
    /// The labels and the parser's weights do not fit together.
    #[error("model labels: {0}")]
    Labels(#[from] LabelError),
}

/// A tagger and a parser trained together.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The part-of-speech tagger.
    pub tagger: Tagger,
    /// The dependency parser.
    pub parser: Parser,
    /// A second parser trained on sentences read from their end, whose
    /// reading is combined with the first's ([`crate::combine`]), if the
    /// model has one.
    pub backward: Option<Parser>,
    /// The backward parser reads a sentence only when the forward
    /// reading attached some word by a margin below this one (in weight
    /// units): where the forward parser was sure of every move, the
    /// combination would keep its tree anyway, most of the time.
    pub backward_gate: f32,
}

/// The default [`Model::backward_gate`], chosen on EWT dev with the
/// forward and backward parsers both pruned to rows of at least 2
/// (`--set min_row=2`): the backward parser then reads 52% of the words,
/// and UAS is 86.52% against 86.54% when it reads every sentence and
/// 86.01% for the forward reading alone (`examples/train.rs --score
/// MODEL --gate 10`).
pub const BACKWARD_GATE: f32 = 10.0;

impl Model {
    /// Writes this model's UPOS, HEAD and DEPREL into a CoNLL-U sentence,
    /// keeping its tokens and every other column.
    pub fn annotate(&self, sentence: &mut conllu::Sentence) {
        let forms: Vec<String> = sentence.words().map(|w| w.form.clone()).collect();
        let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
        let views = self.tagger.views(&refs);
        let tags = self.tagger.tag_views(&views);
        let arcs = self.parse_tagged(&views, &tags);
        for (i, w) in sentence.words_mut().enumerate() {
            if let (Some(tag), Some(head), Some(label)) =
                (tags.get(i), arcs.heads.get(i), arcs.labels.get(i))
            {
                w.upos = self.tagger.tags().upos(*tag).as_str().to_string();
                w.head = Some(*head);
                w.deprel = self.parser.label(*label).to_string();
            }
        }
    }

    /// Parses a tagged sentence. Punctuation takes no dependents in UD:
    /// a word the parser hung from a punctuation mark ("according to
    /// Angela Merkel." read with "Angela" under the full stop) goes to the
    /// mark's nearest ancestor that is a word, as an oblique or a nominal
    /// modifier when it has a preposition, else as an unspecified `dep`
    /// (the label it had was chosen for the mark). A model with a backward
    /// parser combines its reading with the forward one first
    /// ([`crate::combine`]).
    pub fn parse_tagged(&self, views: &[WordView], tags: &[u8]) -> Arcs {
        let mut arcs = match &self.backward {
            None => self.parser.parse(views, tags),
            Some(backward) => {
                let (mut fm, mut bm) = (Vec::new(), Vec::new());
                let forward = self.parser.parse_margins(views, tags, Some(&mut fm));
                if fm.iter().any(|&m| m < self.backward_gate) {
                    let back = backward.parse_backward(views, tags, Some(&mut bm));
                    crate::combine::combine(&forward, &fm, &back, &bm)
                } else {
                    forward
                }
            }
        };
        let upos = |node: u32| -> Option<Upos> {
            let t = tags.get(node.checked_sub(1)? as usize)?;
            Some(self.tagger.tags().upos(*t))
        };
        let label = |name: &str| self.parser.labels().iter().position(|l| l == name);
        let n = arcs.heads.len();
        for i in 0..n {
            let mut head = arcs.heads[i];
            let mut steps = 0;
            while upos(head) == Some(Upos::PUNCT) && steps < n {
                head = arcs.heads[head as usize - 1];
                steps += 1;
            }
            // One root: a word under a mark that is the root stays.
            if head == 0 || head == arcs.heads[i] || head == i as u32 + 1 {
                continue;
            }
            arcs.heads[i] = head;
            let has_case = (0..n).any(|d| {
                arcs.heads[d] == i as u32 + 1 && self.parser.label(arcs.labels[d]) == "case"
            });
            let nominal = matches!(
                upos(head),
                Some(Upos::NOUN | Upos::PROPN | Upos::PRON | Upos::NUM)
            );
            let name = match (has_case, nominal) {
                (true, true) => "nmod",
                (true, false) => "obl",
                // The label was chosen for a head it no longer has.
                (false, _) => "dep",
            };
            if let Some(l) = label(name) {
                arcs.labels[i] = l as u8;
            }
        }
        arcs
    }

    /// The model as file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::new();
        write_names(self.tagger.tags().names(), &mut body);
        write_names(self.parser.labels(), &mut body);
        body.extend_from_slice(&crate::clusters::english().crc().to_le_bytes());
        // A monotonic parser leaves the third bit clear, so that the bytes
        // of models from before it do not change.
        let reads = u8::from(self.tagger.reads_clusters())
            | (u8::from(self.parser.reads_clusters()) << 1)
            | (u8::from(self.parser.is_non_monotonic()) << 2);
        body.push(reads);
        let dict = self.tagger.dict().pairs();
        body.extend_from_slice(&(dict.len() as u32).to_le_bytes());
        for (w, c) in &dict {
            body.extend_from_slice(&w.to_le_bytes());
            body.extend_from_slice(&c.to_le_bytes());
        }
        write_weights(self.tagger.weights(), &mut body);
        write_weights(self.parser.weights(), &mut body);
        // A model without a backward parser keeps the format before it,
        // byte for byte.
        let version = match &self.backward {
            None => SINGLE_VERSION,
            Some(backward) => {
                body.push(
                    u8::from(backward.reads_clusters())
                        | (u8::from(backward.is_non_monotonic()) << 1),
                );
                write_weights(backward.weights(), &mut body);
                body.extend_from_slice(&self.backward_gate.to_bits().to_le_bytes());
                FORMAT_VERSION
            }
        };
        let mut out = Vec::with_capacity(body.len() + 24);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        out
    }

    /// Reads a model from file bytes, checking magic, version and checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8, "magic")? != MAGIC {
            return Err(ModelError::Magic);
        }
        let version = r.u32("version")?;
        if !(SINGLE_VERSION..=FORMAT_VERSION).contains(&version) {
            return Err(ModelError::Version { found: version });
        }
        let len = usize::try_from(r.u64("body length")?)
            .map_err(|_| ModelError::Malformed("body length".into()))?;
        let body = r.take(len, "body")?;
        let stored = r.u32("checksum")?;
        let computed = crc32fast::hash(body);
        if stored != computed {
            return Err(ModelError::Checksum { stored, computed });
        }
        let mut r = Reader { bytes: body, at: 0 };
        let tags = TagSet::new(read_names(&mut r, "tag")?).map_err(ModelError::Malformed)?;
        let labels = read_names(&mut r, "label")?;
        let model_clusters = r.u32("cluster table checksum")?;
        let reads = r.take(1, "cluster flags")?[0];
        if reads > 7 {
            return Err(ModelError::Malformed(format!("cluster flags {reads}")));
        }
        let words = r.u32("dictionary size")? as usize;
        let mut pairs = Vec::with_capacity(words.min(1 << 20));
        for _ in 0..words {
            pairs.push((r.u64("dictionary word")?, r.u64("dictionary class")?));
        }
        let dict = TagDict::from_pairs(pairs);
        let tagger = read_weights(&mut r)?;
        let parser = read_weights(&mut r)?;
        let mut backward_gate = BACKWARD_GATE;
        let mut backward_reads = 0;
        let backward = if version == SINGLE_VERSION {
            None
        } else {
            backward_reads = r.take(1, "backward cluster flag")?[0];
            if backward_reads > 3 {
                return Err(ModelError::Malformed(format!(
                    "backward cluster flag {backward_reads}"
                )));
            }
            let weights = read_weights(&mut r)?;
            if version == FORMAT_VERSION {
                backward_gate = f32::from_bits(r.u32("backward gate")?);
                if backward_gate.is_nan() {
                    return Err(ModelError::Malformed("backward gate NaN".into()));
                }
            }
            Some(
                Parser::new(weights, labels.clone())?
                    .reading_clusters(backward_reads & 1 != 0)
                    .non_monotonic(backward_reads & 2 != 0),
            )
        };
        if r.at != body.len() {
            return Err(ModelError::Malformed("bytes after the last table".into()));
        }
        // Checked after the whole body is read, so that a damaged file is
        // named as such first.
        let built = crate::clusters::english().crc();
        if (reads & 3 != 0 || backward_reads & 1 != 0) && model_clusters != built {
            return Err(ModelError::Clusters {
                model: model_clusters,
                built,
            });
        }
        Ok(Model {
            tagger: Tagger::new(tagger, tags, dict)
                .map_err(ModelError::Malformed)?
                .reading_clusters(reads & 1 != 0),
            parser: Parser::new(parser, labels)?
                .reading_clusters(reads & 2 != 0)
                .non_monotonic(reads & 4 != 0),
            backward,
            backward_gate,
        })
    }
}

fn write_names(names: &[String], out: &mut Vec<u8>) {
    out.extend_from_slice(&(names.len() as u32).to_le_bytes());
    for n in names {
        let bytes = &n.as_bytes()[..n.len().min(u16::MAX as usize)];
        out.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
        out.extend_from_slice(bytes);
    }
}

fn read_names(r: &mut Reader<'_>, what: &'static str) -> Result<Vec<String>, ModelError> {
    let count = r.u32("name count")? as usize;
    let mut names = Vec::with_capacity(count.min(256));
    for _ in 0..count {
        let n = r.u16("name length")? as usize;
        let name = std::str::from_utf8(r.take(n, what)?)
            .map_err(|_| ModelError::Malformed(format!("a {what} name is not UTF-8")))?;
        names.push(name.to_string());
    }
    Ok(names)
}

fn write_weights(w: &Weights, out: &mut Vec<u8>) {
    let rows = w.rows();
    let entries: usize = rows.iter().map(|(_, r)| r.len()).sum();
    out.extend_from_slice(&(w.classes() as u16).to_le_bytes());
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    out.extend_from_slice(&(entries as u32).to_le_bytes());
    out.extend_from_slice(&w.scale().to_bits().to_le_bytes());
    for (k, _) in &rows {
        out.extend_from_slice(&k.to_le_bytes());
    }
    for (_, r) in &rows {
        out.push(r.len() as u8);
    }
    for (_, r) in &rows {
        out.extend(r.iter().map(|(c, _)| *c));
    }
    for (_, r) in &rows {
        for (_, q) in r {
            out.extend_from_slice(&q.to_le_bytes());
        }
    }
}

fn read_weights(r: &mut Reader<'_>) -> Result<Weights, ModelError> {
    let classes = r.u16("classes")? as usize;
    let rows = r.u32("rows")? as usize;
    let entries = r.u32("entries")? as usize;
    let scale = f32::from_bits(r.u32("scale")?);
    if !scale.is_finite() || scale <= 0.0 {
        return Err(ModelError::Malformed(format!("weight scale {scale}")));
    }
    let keys = r.take(rows.saturating_mul(8), "features")?;
    let lens = r.take(rows, "row lengths")?;
    let classes_of = r.take(entries, "classes")?;
    let weights = r.take(entries.saturating_mul(2), "weights")?;
    if lens.iter().map(|&l| l as usize).sum::<usize>() != entries {
        return Err(ModelError::Malformed("row lengths do not add up".into()));
    }
    let mut table = Weights::with_capacity(classes, scale, rows);
    let mut row: Vec<(u8, i16)> = Vec::with_capacity(256);
    let mut at = 0;
    let mut last: Option<u64> = None;
    for (key, &len) in keys.chunks_exact(8).zip(lens) {
        let mut k = [0u8; 8];
        k.copy_from_slice(key);
        let key = u64::from_le_bytes(k);
        if last.is_some_and(|l| l >= key) {
            return Err(ModelError::Malformed("features out of order".into()));
        }
        last = Some(key);
        row.clear();
        for e in at..at + len as usize {
            let class = classes_of[e];
            if class as usize >= classes {
                return Err(ModelError::Malformed(format!("class {class} of {classes}")));
            }
            row.push((
                class,
                i16::from_le_bytes([weights[2 * e], weights[2 * e + 1]]),
            ));
        }
        at += len as usize;
        table.insert(key, &row);
    }
    Ok(table)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).ok_or(ModelError::Truncated(what))?;
        let out = self
            .bytes
            .get(self.at..end)
            .ok_or(ModelError::Truncated(what))?;
        self.at = end;
        Ok(out)
    }

    fn u16(&mut self, what: &'static str) -> Result<u16, ModelError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, ModelError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, ModelError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::{self, TrainSettings, TreeSentence};
    use crate::tagger::TaggedSentence;

    /// Forms, fine tags, heads and labels of an invented sentence.
    type Example = (
        &'static [&'static str],
        &'static [u8],
        &'static [u32],
        &'static [u8],
    );

    /// A tiny model from three invented sentences: enough to exercise
    /// training, the file format and determinism (not accuracy).
    fn tiny_model(seed: u64) -> Model {
        tiny_model_in(seed, false)
    }

    /// [`tiny_model`], in the non-monotonic system or not.
    fn tiny_model_in(seed: u64, nonmono: bool) -> Model {
        let tags = TagSet::new(
            ["NOUN|NN", "PROPN|NNP", "PUNCT|.", "VERB|VBD"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        let labels: Vec<String> = ["nsubj", "obj", "punct", "root"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // (forms, fine tags, heads, labels)
        let data: [Example; 3] = [
            (
                &["Anna", "read", "books", "."],
                &[1, 3, 0, 2],
                &[2, 0, 2, 2],
                &[0, 3, 1, 2],
            ),
            (
                &["Tom", "sold", "cars", "."],
                &[1, 3, 0, 2],
                &[2, 0, 2, 2],
                &[0, 3, 1, 2],
            ),
            (
                &["Paris", "rejected", "it", "."],
                &[1, 3, 0, 2],
                &[2, 0, 2, 2],
                &[0, 3, 1, 2],
            ),
        ];
        let mut tagged: Vec<TaggedSentence> = data
            .iter()
            .map(|(f, t, _, _)| TaggedSentence {
                views: crate::tagger::views(f),
                tags: t.to_vec(),
            })
            .collect();
        let tagger = crate::tagger::train(&mut tagged, tags, 3, seed, 0.0, 0, seed & 1 == 0);
        let trees: Vec<TreeSentence> = data
            .iter()
            .map(|(f, t, h, l)| TreeSentence {
                views: tagger.views(f),
                tags: t.to_vec(),
                heads: h.to_vec(),
                labels: l.to_vec(),
            })
            .collect();
        let settings = TrainSettings {
            epochs: 4,
            seed,
            explore_from: 1,
            explore_rate: 0.9,
            min_weight: 0.0,
            min_updates: 0,
            min_row: 0.0,
            clusters: seed & 1 == 0,
            nonmono,
            repair_cost: 1,
        };
        let parser = parser::train(&trees, labels.clone(), settings, |_, _| {})
            .unwrap_or_else(|e| unreachable!("{e}"));
        let backward = (seed >= 10).then(|| {
            let reversed: Vec<TreeSentence> = trees.iter().map(TreeSentence::reversed).collect();
            parser::train(&reversed, labels, settings, |_, _| {})
                .unwrap_or_else(|e| unreachable!("{e}"))
        });
        Model {
            tagger,
            parser,
            backward,
            backward_gate: BACKWARD_GATE,
        }
    }

    #[test]
    fn a_model_with_a_backward_parser_keeps_it_in_its_file() {
        let single = tiny_model(7).to_bytes();
        assert_eq!(single[8..12], SINGLE_VERSION.to_le_bytes());
        let mut model = tiny_model(12);
        model.backward_gate = 15.5;
        let bytes = model.to_bytes();
        assert_eq!(bytes[8..12], FORMAT_VERSION.to_le_bytes());
        let back = Model::from_bytes(&bytes).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(back.backward_gate, 15.5);
        // The backward parser alone gives the tree in the sentence's order.
        let Some(backward) = &back.backward else {
            panic!("the backward parser was not read back")
        };
        let views = back.tagger.views(&["Tom", "sold", "cars", "."]);
        let mut margins = Vec::new();
        let arcs = backward.parse_backward(&views, &[1, 3, 0, 2], Some(&mut margins));
        assert_eq!(arcs.heads, [2, 0, 2, 2]);
        assert_eq!(margins.len(), 4);
        assert_eq!(back.to_bytes(), bytes);
        let mut s = conllu::Sentence::from_forms(&["Anna", "sold", "books", "."]);
        back.annotate(&mut s);
        let heads: Vec<Option<u32>> = s.words().map(|w| w.head).collect();
        assert_eq!(heads, [Some(2), Some(0), Some(2), Some(2)]);
    }

    #[test]
    fn the_backward_reading_is_combined_only_below_the_gate() {
        let mut model = tiny_model(12);
        let Some(backward) = model.backward.clone() else {
            panic!("the tiny model has no backward parser")
        };
        let views = model.tagger.views(&["Tom", "sold", "cars", "to", "Anna"]);
        // A tag sequence on which the two readings give different trees.
        let mut found = None;
        for code in 0..4u32.pow(5) {
            let tags: Vec<u8> = (0..5).map(|i| (code / 4u32.pow(i) % 4) as u8).collect();
            let (mut fm, mut bm) = (Vec::new(), Vec::new());
            let forward = model.parser.parse_margins(&views, &tags, Some(&mut fm));
            let back = backward.parse_backward(&views, &tags, Some(&mut bm));
            let both = crate::combine::combine(&forward, &fm, &back, &bm);
            if both.heads != forward.heads {
                found = Some((tags, forward, both, fm));
                break;
            }
        }
        let Some((tags, forward, both, margins)) = found else {
            panic!("no sentence on which the two readings differ")
        };
        let least = margins.iter().copied().fold(f32::INFINITY, f32::min);
        model.backward_gate = least;
        assert_eq!(model.parse_tagged(&views, &tags).heads, forward.heads);
        model.backward_gate = f32::INFINITY;
        assert_eq!(model.parse_tagged(&views, &tags).heads, both.heads);
        model.backward_gate = least + 0.5;
        assert_eq!(model.parse_tagged(&views, &tags).heads, both.heads);
    }

    #[test]
    fn the_same_training_gives_the_same_bytes() {
        let a = tiny_model(7).to_bytes();
        let b = tiny_model(7).to_bytes();
        assert_eq!(a, b);
        let back = Model::from_bytes(&a).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(back.to_bytes(), a, "reading and writing keeps every byte");
        let mut s = conllu::Sentence::from_forms(&["Anna", "sold", "books", "."]);
        back.annotate(&mut s);
        let heads: Vec<Option<u32>> = s.words().map(|w| w.head).collect();
        assert_eq!(heads, [Some(2), Some(0), Some(2), Some(2)]);
    }

    #[test]
    fn a_model_reading_clusters_says_so_in_its_file() {
        let model = tiny_model(2);
        assert!(model.tagger.reads_clusters() && model.parser.reads_clusters());
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(back.tagger.reads_clusters() && back.parser.reads_clusters());
        assert_eq!(back.to_bytes(), bytes);
        let plain =
            Model::from_bytes(&tiny_model(1).to_bytes()).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!plain.tagger.reads_clusters() && !plain.parser.reads_clusters());
    }

    #[test]
    fn a_non_monotonic_parser_says_so_in_its_file() {
        for seed in [2, 7, 12] {
            let model = tiny_model_in(seed, true);
            assert!(model.parser.is_non_monotonic());
            let bytes = model.to_bytes();
            let back = Model::from_bytes(&bytes).unwrap_or_else(|e| unreachable!("{e}"));
            assert!(back.parser.is_non_monotonic());
            assert_eq!(back.parser.reads_clusters(), seed & 1 == 0);
            if let Some(backward) = &back.backward {
                assert!(backward.is_non_monotonic());
            }
            assert_eq!(back.to_bytes(), bytes);
            let mut s = conllu::Sentence::from_forms(&["Anna", "sold", "books", "."]);
            back.annotate(&mut s);
            let heads: Vec<Option<u32>> = s.words().map(|w| w.head).collect();
            assert_eq!(heads, [Some(2), Some(0), Some(2), Some(2)]);
        }
        // A monotonic parser leaves the flag clear.
        let plain =
            Model::from_bytes(&tiny_model(12).to_bytes()).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!plain.parser.is_non_monotonic());
        assert!(plain.backward.is_some_and(|b| !b.is_non_monotonic()));
    }

    #[test]
    fn a_damaged_file_is_refused_with_the_reason() {
        let bytes = tiny_model(1).to_bytes();
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x40;
        assert!(matches!(
            Model::from_bytes(&flipped),
            Err(ModelError::Checksum { .. })
        ));
        assert!(matches!(
            Model::from_bytes(&bytes[..bytes.len() - 3]),
            Err(ModelError::Truncated(_))
        ));
        assert!(matches!(
            Model::from_bytes(b"NOTAMODEL..."),
            Err(ModelError::Magic)
        ));
        let mut newer = bytes.clone();
        newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let err = Model::from_bytes(&newer).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("model format version 6; this build reads versions 3 to 5")
        );
        assert!(Model::from_bytes(&[]).is_err());
    }

    /// The same file with its body replaced, as a writer would frame it.
    fn reframed(bytes: &[u8], version: u32, body: &[u8]) -> Vec<u8> {
        let mut out = bytes[..8].to_vec();
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
        out
    }

    #[test]
    fn a_file_from_before_the_gate_reads_with_the_default_gate() {
        let mut model = tiny_model(12);
        model.backward_gate = 3.0;
        let bytes = model.to_bytes();
        // Version 4 is version 5 without the gate's four bytes at the end.
        let old = reframed(&bytes, UNGATED_VERSION, &bytes[20..bytes.len() - 8]);
        let back = Model::from_bytes(&old).unwrap_or_else(|e| panic!("version 4: {e}"));
        assert_eq!(back.backward_gate, BACKWARD_GATE);
        assert!(back.backward.is_some());
        let mut nan = bytes[20..bytes.len() - 4].to_vec();
        let at = nan.len() - 4;
        nan[at..].copy_from_slice(&f32::NAN.to_bits().to_le_bytes());
        let err = Model::from_bytes(&reframed(&bytes, FORMAT_VERSION, &nan)).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("model file malformed: backward gate NaN")
        );
    }

    /// The file of the tiny model with this seed, with the cluster table
    /// checksum it records changed.
    fn with_other_clusters(seed: u64) -> Vec<u8> {
        let bytes = tiny_model(seed).to_bytes();
        // Skip the header and the two name lists to the cluster checksum.
        let mut at = 20;
        for _ in 0..2 {
            let count =
                u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
            at += 4;
            for _ in 0..count {
                at += 2 + usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
            }
        }
        let built = crate::clusters::english().crc();
        assert_eq!(bytes[at..at + 4], built.to_le_bytes());
        let mut other = bytes.clone();
        other[at] ^= 1;
        let end = other.len() - 4;
        let crc = crc32fast::hash(&other[20..end]);
        other[end..].copy_from_slice(&crc.to_le_bytes());
        other
    }

    #[test]
    fn a_model_trained_with_other_clusters_is_refused() {
        let built = crate::clusters::english().crc();
        // Seed 2: the tagger and the parser read clusters.
        match Model::from_bytes(&with_other_clusters(2)) {
            Err(ModelError::Clusters { model, built: b }) => {
                assert_eq!((model ^ built, b), (1, built));
            }
            other => panic!("expected a cluster mismatch, got {other:?}"),
        }
        // Seed 1: neither reads them, and the table does not matter.
        let model = Model::from_bytes(&with_other_clusters(1));
        assert!(model.is_ok(), "{:?}", model.err());
    }

    #[test]
    fn the_shipped_model_reads_back_to_its_bytes() {
        // Every row found room in the tables: none was refused.
        let bytes = include_bytes!("../model/en_ewt.ngsm");
        let model = Model::from_bytes(bytes).unwrap_or_else(|e| panic!("shipped model: {e}"));
        assert!(model.to_bytes() == bytes.as_slice());
    }

    #[test]
    fn the_shipped_model_loads() {
        let model = crate::english().unwrap_or_else(|e| panic!("shipped model: {e}"));
        assert!(model.parser.labels().iter().any(|l| l == "nsubj:pass"));
        assert!(model.tagger.tags().len() > 17);
    }
}
