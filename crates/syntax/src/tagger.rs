//! The part-of-speech tagger: greedy left-to-right tagging with an
//! averaged perceptron over the word, its affixes and shape, its
//! neighbours two either side and the two tags already chosen.
//!
//! It chooses among fine tags, each a pair of a universal tag and a Penn
//! Treebank tag as the treebank writes them (`VERB|VBN`, `ADP|IN`): the
//! finer tag tells the parser what UPOS alone does not (a past participle
//! from a past tense, `to` from a preposition), and the UPOS is read off
//! it.

use crate::features::{f1, f2, f3, mix, word_view, WordView};
use crate::perceptron::{best, Feature, SplitMix, Trainer, Weights};
use crate::Upos;

/// The tag value standing for "before the sentence".
const START: u64 = 100;
/// The word view standing for a position outside the sentence.
const PAD: WordView = WordView {
    lower: 0x5041_4400,
    suffix: [0x5041_4401; 4],
    prefix: [0x5041_4402; 2],
    shape: 0x5041_4403,
    flags: 0x5041_4404,
    class: 0x5041_4405,
    cluster: [0x5041_4406; 3],
};

/// How often a word must occur in the training data for the dictionary
/// to keep its tags: a word seen once would get a class that always
/// names its one tag, which the tagger would learn to trust too much.
const DICT_MIN_COUNT: u32 = 3;

/// The tag dictionary: for each word seen often enough in training (by
/// the hash of its lower-cased form), its ambiguity class, a hash of the
/// set of fine tags it was given. The class lets the tagger see what the
/// words to its right can be before it has tagged them, and the parser
/// see what a word can be besides the tag it got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagDict {
    classes: rustc_hash::FxHashMap<u64, u64>,
}

impl TagDict {
    /// A dictionary from `(word, class)` pairs.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u64, u64)>) -> TagDict {
        TagDict {
            classes: pairs.into_iter().collect(),
        }
    }

    /// Builds the dictionary from tagged sentences.
    pub fn build(sentences: &[TaggedSentence]) -> TagDict {
        let mut seen: rustc_hash::FxHashMap<u64, (u32, [u64; 4])> = Default::default();
        for s in sentences {
            for (v, &t) in s.views.iter().zip(&s.tags) {
                let e = seen.entry(v.lower).or_insert((0, [0; 4]));
                e.0 += 1;
                e.1[t as usize / 64] |= 1u64 << (t % 64);
            }
        }
        let classes = seen
            .into_iter()
            .filter(|(_, (n, _))| *n >= DICT_MIN_COUNT)
            .map(|(w, (_, set))| {
                let class = set.iter().fold(0x0043_4c41_5353_u64, |h, &b| mix(h, b));
                (w, class)
            })
            .collect();
        TagDict { classes }
    }

    /// The `(word, class)` pairs in word order: what the model file stores.
    pub fn pairs(&self) -> Vec<(u64, u64)> {
        let mut pairs: Vec<(u64, u64)> = self.classes.iter().map(|(w, c)| (*w, *c)).collect();
        pairs.sort_unstable();
        pairs
    }

    /// Number of words held.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether no word is held.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// Fills in the class of each view.
    pub fn classify(&self, views: &mut [WordView]) {
        for v in views {
            v.class = self
                .classes
                .get(&v.lower)
                .copied()
                .unwrap_or(crate::features::UNKNOWN_CLASS);
        }
    }
}

/// The fine tags a tagger chooses from: `UPOS|XPOS` names, by number.
#[derive(Debug, Clone, PartialEq)]
pub struct TagSet {
    names: Vec<String>,
    upos: Vec<Upos>,
}

impl TagSet {
    /// A tag set from `UPOS|XPOS` names (at most 255); a name whose UPOS
    /// part is not a universal tag is refused.
    pub fn new(names: Vec<String>) -> Result<TagSet, String> {
        if names.is_empty() || names.len() > 255 {
            return Err(format!("{} fine tags; 1 to 255 are supported", names.len()));
        }
        let mut upos = Vec::with_capacity(names.len());
        for n in &names {
            let u = n.split('|').next().unwrap_or("");
            upos.push(Upos::parse(u).ok_or_else(|| format!("fine tag '{n}' has no UPOS"))?);
        }
        Ok(TagSet { names, upos })
    }

    /// The names, by number.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of fine tags.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the set is empty (never, for a set built by [`TagSet::new`]).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The universal tag of fine tag `t`.
    pub fn upos(&self, t: u8) -> Upos {
        self.upos.get(t as usize).copied().unwrap_or(Upos::X)
    }

    /// The Penn Treebank part of fine tag `t`.
    pub fn xpos(&self, t: u8) -> &str {
        self.names
            .get(t as usize)
            .and_then(|n| n.split_once('|'))
            .map_or("_", |(_, x)| x)
    }

    /// The number of the fine tag named `name`.
    pub fn number(&self, name: &str) -> Option<u8> {
        self.names.iter().position(|n| n == name).map(|i| i as u8)
    }
}

/// A trained tagger.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagger {
    weights: Weights,
    tags: TagSet,
    dict: TagDict,
    clusters: bool,
}

/// Words of a sentence as the tagger reads them, without their ambiguity
/// classes (see [`Tagger::views`]).
pub fn views(forms: &[&str]) -> Vec<WordView> {
    forms
        .iter()
        .enumerate()
        .map(|(i, f)| word_view(f, i))
        .collect()
}

fn features(
    views: &[WordView],
    i: usize,
    t1: u64,
    t2: u64,
    clusters: bool,
    out: &mut Vec<Feature>,
) {
    out.clear();
    let at = |k: isize| -> WordView {
        let j = i as isize + k;
        if j < 0 {
            return PAD;
        }
        views.get(j as usize).copied().unwrap_or(PAD)
    };
    let (p2, p1, w, n1, n2) = (at(-2), at(-1), at(0), at(1), at(2));
    out.extend_from_slice(&[
        f1(0, 0),
        f1(1, w.lower),
        f1(2, w.suffix[0]),
        f1(3, w.suffix[1]),
        f1(4, w.suffix[2]),
        f1(5, w.suffix[3]),
        f1(6, w.prefix[0]),
        f1(7, w.prefix[1]),
        f1(8, w.shape),
        f1(9, w.flags),
        f1(10, p1.lower),
        f1(11, p2.lower),
        f1(12, n1.lower),
        f1(13, n2.lower),
        f1(14, p1.suffix[2]),
        f1(15, n1.suffix[2]),
        f1(16, t1),
        f1(17, t2),
        f2(18, t1, t2),
        f2(19, t1, w.lower),
        f2(20, p1.lower, w.lower),
        f2(21, w.lower, n1.lower),
        f1(22, n1.shape),
        f1(23, p1.shape),
        f2(24, w.flags, t1),
        f2(25, t1, n1.lower),
        f3(26, w.lower, n1.lower, n2.lower),
        f2(27, n1.suffix[1], w.lower),
        f2(28, w.shape, n1.shape),
        f1(29, n1.suffix[0]),
        // What the words around can be.
        f1(30, w.class),
        f1(31, n1.class),
        f1(32, n2.class),
        f2(33, w.class, n1.class),
        f2(34, t1, n1.class),
        f3(35, w.lower, n1.class, n2.class),
        f1(36, p1.class),
    ]);
    if !clusters {
        return;
    }
    out.extend_from_slice(&[
        // Which words they behave like.
        f1(37, w.cluster[2]),
        f1(38, w.cluster[0]),
        f1(39, w.cluster[1]),
        f1(40, n1.cluster[2]),
        f1(41, n1.cluster[0]),
        f1(42, p1.cluster[2]),
        f1(43, n2.cluster[1]),
        f2(44, t1, w.cluster[2]),
        f2(45, w.cluster[1], n1.cluster[1]),
    ]);
}

impl Tagger {
    /// A tagger with these weights over these tags.
    pub fn new(weights: Weights, tags: TagSet, dict: TagDict) -> Result<Tagger, String> {
        if weights.classes() != tags.len() {
            return Err(format!(
                "the weights score {} tags, the tag set has {}",
                weights.classes(),
                tags.len()
            ));
        }
        Ok(Tagger {
            weights,
            tags,
            dict,
            clusters: false,
        })
    }

    /// The same tagger reading words' clusters too (when its weights were
    /// trained with them).
    pub fn reading_clusters(mut self, on: bool) -> Tagger {
        self.clusters = on;
        self
    }

    /// Whether it reads words' clusters.
    pub fn reads_clusters(&self) -> bool {
        self.clusters
    }

    /// The tag dictionary.
    pub fn dict(&self) -> &TagDict {
        &self.dict
    }

    /// Words of a sentence as the tagger and the parser read them.
    pub fn views(&self, forms: &[&str]) -> Vec<WordView> {
        let mut v = views(forms);
        self.dict.classify(&mut v);
        v
    }

    /// The tags it chooses from.
    pub fn tags(&self) -> &TagSet {
        &self.tags
    }

    /// The weights.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Fine tags (numbers in [`Tagger::tags`]) of a sentence given as
    /// word views.
    pub fn tag_views(&self, views: &[WordView]) -> Vec<u8> {
        self.tag_views_with(views, &[])
    }

    /// Tags a sentence whose words at some positions have a known tag
    /// (`known[i]`, when there): those are kept, and the words after them
    /// are tagged knowing them.
    pub fn tag_views_with(&self, views: &[WordView], known: &[Option<u8>]) -> Vec<u8> {
        let mut tags = Vec::with_capacity(views.len());
        let mut feats = Vec::with_capacity(48);
        let mut scores = vec![0i32; self.tags.len()];
        let (mut t1, mut t2) = (START, START);
        for i in 0..views.len() {
            if let Some(&Some(tag)) = known.get(i) {
                tags.push(tag);
                t2 = t1;
                t1 = u64::from(tag);
                continue;
            }
            features(views, i, t1, t2, self.clusters, &mut feats);
            scores.fill(0);
            self.weights.score(&feats, &mut scores);
            let tag = best(&scores, |_| true).unwrap_or(0);
            tags.push(tag as u8);
            t2 = t1;
            t1 = tag as u64;
        }
        tags
    }

    /// Universal tags of a sentence given as word forms.
    pub fn tag(&self, forms: &[&str]) -> Vec<Upos> {
        self.tag_views(&self.views(forms))
            .into_iter()
            .map(|t| self.tags.upos(t))
            .collect()
    }
}

/// A sentence to learn from: its words and their gold tags.
#[derive(Debug, Clone)]
pub struct TaggedSentence {
    /// The words as the tagger reads them.
    pub views: Vec<WordView>,
    /// The gold fine tags (numbers in the tag set).
    pub tags: Vec<u8>,
}

/// Trains a tagger for `epochs` passes over `sentences`, shuffled by
/// `seed` before each pass; weights below `min_weight` and features
/// touched by fewer than `min_updates` updates are dropped. The
/// tag dictionary is built from `sentences`, and their views' classes
/// are filled in from it. With `clusters`, the templates also read
/// words' clusters ([`crate::clusters`]).
pub fn train(
    sentences: &mut [TaggedSentence],
    tags: TagSet,
    epochs: usize,
    seed: u64,
    min_weight: f32,
    min_updates: u32,
    clusters: bool,
) -> Tagger {
    let dict = TagDict::build(sentences);
    for s in sentences.iter_mut() {
        dict.classify(&mut s.views);
    }
    let sentences = &*sentences;
    let mut model = Trainer::new(tags.len());
    let mut rng = SplitMix::new(seed);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut feats = Vec::with_capacity(48);
    let mut scores = vec![0f32; tags.len()];
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &s in &order {
            let sentence = &sentences[s];
            let (mut t1, mut t2) = (START, START);
            for (i, gold) in sentence.tags.iter().enumerate() {
                features(&sentence.views, i, t1, t2, clusters, &mut feats);
                scores.fill(0.0);
                model.score(&feats, &mut scores);
                let guess = best(&scores, |_| true).unwrap_or(0);
                model.update(*gold as usize, guess, &feats);
                model.tick();
                t2 = t1;
                // Train on the tags the tagger will see: its own.
                t1 = guess as u64;
            }
        }
    }
    Tagger {
        weights: model.average(min_weight, min_updates, 0.0),
        tags,
        dict,
        clusters,
    }
}
