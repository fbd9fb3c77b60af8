//! The dependency parser: greedy arc-eager transitions with labels
//! (Nivre 2003), scored by an averaged perceptron over the rich feature
//! templates of Zhang & Nivre (2011), trained with the dynamic oracle of
//! Goldberg & Nivre (2012) so that it learns to recover from its own
//! mistakes.
//!
//! The artificial root sits at the bottom of the stack and takes exactly
//! one dependent, so every tree has one `root` as UD requires; words left
//! without a head when the buffer runs out are attached to that root word.
//!
//! Trained with [`TrainSettings::nonmono`], it uses instead the
//! non-monotonic arc-eager system of Honnibal, Goldberg & Johnson (2013)
//! over the same moves ([`Parser::non_monotonic`]): a left arc may replace
//! the head of the top word, and a reduce of a top word without a head
//! hangs it from the word below it. Its dynamic oracle is checked
//! against an exhaustive search. The unshift move of Honnibal & Johnson
//! (2015) is not implemented.

use crate::features::{f1, f2, f3, mix, WordView};
use crate::perceptron::{best, Feature, SplitMix, Trainer, Weights};

const NONE: u32 = u32::MAX;
const NONE_WORD: u64 = 0x4e4f_4e45_0001;
const ROOT_WORD: u64 = 0x524f_4f54_0001;
const NONE_TAG: u64 = 1001;
const ROOT_TAG: u64 = 1000;
const NONE_LABEL: u64 = 255;
/// Moves that are not arcs: shift and reduce come first.
const SHIFT: usize = 0;
const REDUCE: usize = 1;

/// A move of the arc-eager system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    Shift,
    Reduce,
    Left(u8),
    Right(u8),
}

impl Move {
    fn class(self) -> usize {
        match self {
            Move::Shift => SHIFT,
            Move::Reduce => REDUCE,
            Move::Left(l) => 2 + 2 * l as usize,
            Move::Right(l) => 3 + 2 * l as usize,
        }
    }

    fn from_class(c: usize) -> Move {
        match c {
            SHIFT => Move::Shift,
            REDUCE => Move::Reduce,
            c if c % 2 == 0 => Move::Left(((c - 2) / 2) as u8),
            c => Move::Right(((c - 3) / 2) as u8),
        }
    }
}

/// A dependency tree: for each word (in order), its head (0 for the root,
/// else the 1-based number of the head word) and its label's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arcs {
    /// Heads, one per word.
    pub heads: Vec<u32>,
    /// Label numbers, one per word (see [`Parser::label`]).
    pub labels: Vec<u8>,
}

/// The parser's configuration while it reads a sentence.
#[derive(Debug, Clone)]
struct State {
    /// Number of words; nodes are 0 (root) ..= n.
    n: usize,
    stack: Vec<u32>,
    /// First word of the buffer; the buffer is empty past `n`.
    front: usize,
    heads: Vec<u32>,
    labels: Vec<u8>,
    /// Leftmost and second leftmost dependents.
    left: Vec<[u32; 2]>,
    /// Rightmost and second rightmost dependents.
    right: Vec<[u32; 2]>,
    left_count: Vec<u8>,
    right_count: Vec<u8>,
    left_labels: Vec<u64>,
    right_labels: Vec<u64>,
    root_taken: bool,
    /// Whether the moves are those of the non-monotonic system
    /// ([`TrainSettings::nonmono`]).
    nonmono: bool,
    /// The label of the arc a non-monotonic reduce adds from a word (one
    /// from the root takes `root`).
    reduce_label: u8,
    /// Per word, the label a non-monotonic reduce gives it: the label of
    /// the best right arc when it was shifted (see
    /// [`State::note_reduce_label`]), else `reduce_label`.
    reduce_labels: Vec<u8>,
    root_label: u8,
}

impl State {
    fn new(n: usize) -> State {
        let mut stack = Vec::with_capacity(n + 1);
        stack.push(0);
        State {
            n,
            stack,
            front: 1,
            heads: vec![NONE; n + 1],
            labels: vec![0; n + 1],
            left: vec![[NONE; 2]; n + 1],
            right: vec![[NONE; 2]; n + 1],
            left_count: vec![0; n + 1],
            right_count: vec![0; n + 1],
            left_labels: vec![0; n + 1],
            right_labels: vec![0; n + 1],
            root_taken: false,
            nonmono: false,
            reduce_label: 0,
            reduce_labels: Vec::new(),
            root_label: 0,
        }
    }

    /// A state of the non-monotonic system: a reduce of a word without a
    /// head hangs it from the word below it with `reduce_label` (from the
    /// root with `root_label`).
    fn non_monotonic(n: usize, root_label: u8, reduce_label: u8) -> State {
        State {
            nonmono: true,
            reduce_label,
            reduce_labels: vec![reduce_label; n + 1],
            root_label,
            ..State::new(n)
        }
    }

    /// Notes `label`, that of the best right arc to the front word, as the
    /// label a non-monotonic reduce gives it if it is shifted now: such a
    /// reduce repairs that shift, and hangs it from the word that is now
    /// on top of the stack.
    fn note_reduce_label(&mut self, label: u8) {
        if let Some(slot) = self.reduce_labels.get_mut(self.front) {
            *slot = label;
        }
    }

    /// The word below the top of the stack.
    fn s1(&self) -> u32 {
        let k = self.stack.len();
        if k >= 2 {
            self.stack[k - 2]
        } else {
            NONE
        }
    }

    /// Whether a reduce is valid: the top word has a head, or (in the
    /// non-monotonic system) it can take the word below it as its head.
    fn can_reduce(&self) -> bool {
        let s0 = self.s0();
        if s0 == NONE || s0 == 0 {
            return false;
        }
        if self.heads[s0 as usize] != NONE {
            return true;
        }
        self.nonmono && {
            let s1 = self.s1();
            s1 != NONE && (s1 != 0 || !self.root_taken)
        }
    }

    /// Whether parsing is over: the buffer is empty (and, in the
    /// non-monotonic system, no reduce can attach the rest of the stack).
    fn done(&self) -> bool {
        self.front > self.n && (!self.nonmono || !self.can_reduce())
    }

    fn s0(&self) -> u32 {
        self.stack.last().copied().unwrap_or(NONE)
    }

    fn n0(&self) -> u32 {
        if self.front <= self.n {
            self.front as u32
        } else {
            NONE
        }
    }

    fn valid(&self, m: Move, root_label: u8) -> bool {
        let s0 = self.s0();
        let has_front = self.front <= self.n;
        match m {
            Move::Shift => has_front,
            Move::Reduce => self.can_reduce(),
            Move::Left(l) => {
                has_front
                    && s0 != NONE
                    && s0 != 0
                    && (self.nonmono || self.heads[s0 as usize] == NONE)
                    && l != root_label
            }
            Move::Right(l) => {
                has_front
                    && s0 != NONE
                    && if s0 == 0 {
                        l == root_label && !self.root_taken
                    } else {
                        l != root_label
                    }
            }
        }
    }

    /// Which moves are valid now, worked out once per decision rather
    /// than once per move.
    fn valid_moves(&self, root_label: u8) -> ValidMoves {
        let s0 = self.s0();
        let has_front = self.front <= self.n;
        let s0_word = s0 != NONE && s0 != 0;
        ValidMoves {
            shift: has_front,
            reduce: self.can_reduce(),
            left: has_front && s0_word && (self.nonmono || self.heads[s0 as usize] == NONE),
            right: has_front && s0 != NONE && (s0 != 0 || !self.root_taken),
            right_is_root: s0 == 0,
            root_label,
        }
    }

    fn attach(&mut self, head: u32, dep: u32, label: u8) {
        let (h, d) = (head as usize, dep as usize);
        self.heads[d] = head;
        self.labels[d] = label;
        let bit = 1u64 << (label % 64);
        if dep < head {
            // Left dependents arrive from the nearest outwards.
            self.left[h] = [dep, self.left[h][0]];
            self.left_count[h] = self.left_count[h].saturating_add(1);
            self.left_labels[h] |= bit;
        } else {
            self.right[h] = [dep, self.right[h][0]];
            self.right_count[h] = self.right_count[h].saturating_add(1);
            self.right_labels[h] |= bit;
        }
        if head == 0 {
            self.root_taken = true;
        }
    }

    /// Takes `dep`'s arc away (a non-monotonic left arc replaces it), and
    /// works out its old head's nearest dependents on that side afresh.
    fn detach(&mut self, dep: u32) {
        let d = dep as usize;
        let head = self.heads[d];
        if head == NONE {
            return;
        }
        self.heads[d] = NONE;
        self.labels[d] = 0;
        if head == 0 {
            self.root_taken = false;
        }
        let h = head as usize;
        let (mut near, mut count, mut bits) = ([NONE; 2], 0u8, 0u64);
        let mut note = |w: usize, heads: &[u32], labels: &[u8]| {
            if heads[w] == head {
                near = [w as u32, near[0]];
                count = count.saturating_add(1);
                bits |= 1u64 << (labels[w] % 64);
            }
        };
        if d < h {
            // Left dependents, from the nearest outwards.
            for w in (1..h).rev() {
                note(w, &self.heads, &self.labels);
            }
            self.left[h] = near;
            self.left_count[h] = count;
            self.left_labels[h] = bits;
        } else {
            // Right dependents, from the nearest outwards.
            for w in (h + 1)..=self.n {
                note(w, &self.heads, &self.labels);
            }
            self.right[h] = near;
            self.right_count[h] = count;
            self.right_labels[h] = bits;
        }
    }

    fn apply(&mut self, m: Move) {
        let s0 = self.s0();
        let n0 = self.front as u32;
        match m {
            Move::Shift => {
                self.stack.push(n0);
                self.front += 1;
            }
            Move::Reduce => {
                if self.nonmono && s0 != NONE && s0 != 0 && self.heads[s0 as usize] == NONE {
                    let s1 = self.s1();
                    let label = if s1 == 0 {
                        self.root_label
                    } else {
                        self.reduce_labels
                            .get(s0 as usize)
                            .copied()
                            .unwrap_or(self.reduce_label)
                    };
                    if s1 != NONE {
                        self.attach(s1, s0, label);
                    }
                }
                self.stack.pop();
            }
            Move::Left(l) => {
                if self.nonmono {
                    self.detach(s0);
                }
                self.attach(n0, s0, l);
                self.stack.pop();
            }
            Move::Right(l) => {
                self.attach(s0, n0, l);
                self.stack.push(n0);
                self.front += 1;
            }
        }
    }

    /// Words still without a head go under the root word (or the first of
    /// them becomes it), so that the result is one tree.
    fn finish(&mut self, root_label: u8, fallback_label: u8) -> Arcs {
        let mut root_word = (1..=self.n).find(|&w| self.heads[w] == 0);
        for w in 1..=self.n {
            if self.heads[w] != NONE {
                continue;
            }
            match root_word {
                Some(r) => {
                    self.heads[w] = r as u32;
                    self.labels[w] = fallback_label;
                }
                None => {
                    self.heads[w] = 0;
                    self.labels[w] = root_label;
                    root_word = Some(w);
                }
            }
        }
        Arcs {
            heads: self.heads[1..].to_vec(),
            labels: self.labels[1..].to_vec(),
        }
    }
}

/// The moves valid in one configuration (see [`State::valid`], which
/// says the same for one move).
#[derive(Debug, Clone, Copy)]
struct ValidMoves {
    shift: bool,
    reduce: bool,
    left: bool,
    right: bool,
    /// A right arc from the root must be labelled `root`; from a word, not.
    right_is_root: bool,
    root_label: u8,
}

impl ValidMoves {
    fn allows(&self, class: usize) -> bool {
        match Move::from_class(class) {
            Move::Shift => self.shift,
            Move::Reduce => self.reduce,
            Move::Left(l) => self.left && l != self.root_label,
            Move::Right(l) => self.right && ((l == self.root_label) == self.right_is_root),
        }
    }
}

/// The sentence as the feature templates read it (index 0 is the root).
struct Context {
    words: Vec<u64>,
    tags: Vec<u64>,
    /// Last three letters, for words the weights have not seen.
    suffixes: Vec<u64>,
    /// Capitalisation and digit flags.
    flags: Vec<u64>,
    /// Ambiguity classes: what else a word could have been tagged.
    classes: Vec<u64>,
    /// Clusters: hashed path prefixes, then the whole path.
    clusters: Vec<[u64; 3]>,
    /// Whether the templates that read clusters are filled.
    read_clusters: bool,
}

impl Context {
    fn new(views: &[WordView], tags: &[u8], read_clusters: bool) -> Context {
        let mut words = Vec::with_capacity(views.len() + 1);
        let mut t = Vec::with_capacity(views.len() + 1);
        let mut suffixes = Vec::with_capacity(views.len() + 1);
        let mut flags = Vec::with_capacity(views.len() + 1);
        words.push(ROOT_WORD);
        t.push(ROOT_TAG);
        suffixes.push(ROOT_WORD);
        flags.push(ROOT_WORD);
        let mut classes = Vec::with_capacity(views.len() + 1);
        classes.push(ROOT_WORD);
        let mut clusters = Vec::with_capacity(views.len() + 1);
        clusters.push([ROOT_WORD; 3]);
        for (i, v) in views.iter().enumerate() {
            words.push(v.lower);
            t.push(tags.get(i).map_or(NONE_TAG, |&u| u64::from(u)));
            suffixes.push(v.suffix[2]);
            flags.push(v.flags);
            classes.push(v.class);
            clusters.push(v.cluster);
        }
        Context {
            words,
            tags: t,
            suffixes,
            flags,
            classes,
            clusters,
            read_clusters,
        }
    }

    /// Node `x`'s cluster prefix `k` (0 and 1 the prefixes, 2 the path).
    fn c(&self, x: u32, k: usize) -> u64 {
        if x == NONE {
            return NONE_WORD;
        }
        self.clusters.get(x as usize).map_or(NONE_WORD, |c| c[k])
    }

    /// Node `x`'s value in `column`, or `missing` for no node.
    fn get(column: &[u64], x: u32, missing: u64) -> u64 {
        if x == NONE {
            missing
        } else {
            column.get(x as usize).copied().unwrap_or(missing)
        }
    }

    fn class(&self, x: u32) -> u64 {
        Self::get(&self.classes, x, NONE_WORD)
    }

    fn suffix(&self, x: u32) -> u64 {
        Self::get(&self.suffixes, x, NONE_WORD)
    }

    fn flags(&self, x: u32) -> u64 {
        Self::get(&self.flags, x, NONE_WORD)
    }

    fn w(&self, x: u32) -> u64 {
        Self::get(&self.words, x, NONE_WORD)
    }

    fn p(&self, x: u32) -> u64 {
        Self::get(&self.tags, x, NONE_TAG)
    }
}

fn distance_bucket(s0: u32, n0: u32) -> u64 {
    if s0 == NONE || n0 == NONE {
        return 0;
    }
    if s0 == 0 {
        return 9;
    }
    match n0.saturating_sub(s0) {
        d @ 0..=4 => u64::from(d),
        5..=6 => 5,
        7..=9 => 6,
        10..=14 => 7,
        _ => 8,
    }
}

/// Number of templates [`features`] fills, each at its own position,
/// when it reads clusters; without them the first [`PLAIN_TEMPLATES`].
const TEMPLATES: usize = 99;

/// Number of templates that do not read clusters.
#[cfg(test)]
const PLAIN_TEMPLATES: usize = 87;

/// The templates that read nothing but the words at the front of the
/// buffer (and the bias): the same for every move made while one word is
/// at the front. Templates of the front word's left dependents are not
/// among them (a left arc gives it one).
const FRONT_ONLY: [usize; 19] = [
    0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 21, 77, 80, 81, 84, 86, 87, 89,
];

/// [`FRONT_ONLY`] as one flag per template position.
fn front_only_mask() -> &'static [bool; TEMPLATES] {
    const MASK: [bool; TEMPLATES] = {
        let mut mask = [false; TEMPLATES];
        let mut i = 0;
        while i < FRONT_ONLY.len() {
            mask[FRONT_ONLY[i]] = true;
            i += 1;
        }
        mask
    };
    &MASK
}

/// The feature templates of Zhang & Nivre (2011) for arc-eager, with the
/// second stack word added; template `t` at position `t`.
fn features(st: &State, cx: &Context, out: &mut Vec<Feature>) {
    out.clear();
    let s0 = st.s0();
    let n0 = st.n0();
    let n1 = if n0 != NONE && (n0 as usize) < st.n {
        n0 + 1
    } else {
        NONE
    };
    let n2 = if n1 != NONE && (n1 as usize) < st.n {
        n1 + 1
    } else {
        NONE
    };
    let n3 = if n2 != NONE && (n2 as usize) < st.n {
        n2 + 1
    } else {
        NONE
    };
    let s1 = if st.stack.len() >= 2 {
        st.stack[st.stack.len() - 2]
    } else {
        NONE
    };
    let get = |v: &Vec<u32>, x: u32| -> u32 {
        if x == NONE {
            NONE
        } else {
            v.get(x as usize).copied().unwrap_or(NONE)
        }
    };
    let pair = |v: &Vec<[u32; 2]>, x: u32, k: usize| -> u32 {
        if x == NONE {
            NONE
        } else {
            v.get(x as usize).map_or(NONE, |p| p[k])
        }
    };
    let label = |x: u32| -> u64 {
        if x == NONE || st.heads.get(x as usize).is_none_or(|h| *h == NONE) {
            NONE_LABEL
        } else {
            u64::from(st.labels[x as usize])
        }
    };
    let count = |v: &Vec<u8>, x: u32| -> u64 {
        if x == NONE {
            99
        } else {
            v.get(x as usize).map_or(99, |c| u64::from((*c).min(6)))
        }
    };
    let set = |v: &Vec<u64>, x: u32| -> u64 {
        if x == NONE {
            1 << 63
        } else {
            v.get(x as usize).copied().unwrap_or(1 << 63)
        }
    };
    let s0h = get(&st.heads, s0);
    let s0h2 = get(&st.heads, s0h);
    let s0l = pair(&st.left, s0, 0);
    let s0l2 = pair(&st.left, s0, 1);
    let s0r = pair(&st.right, s0, 0);
    let s0r2 = pair(&st.right, s0, 1);
    let n0l = pair(&st.left, n0, 0);
    let n0l2 = pair(&st.left, n0, 1);

    let (s0w, s0p) = (cx.w(s0), cx.p(s0));
    let (n0w, n0p) = (cx.w(n0), cx.p(n0));
    let (n1w, n1p) = (cx.w(n1), cx.p(n1));
    let (n2w, n2p) = (cx.w(n2), cx.p(n2));
    let s0wp = mix(s0w, s0p);
    let n0wp = mix(n0w, n0p);
    let d = distance_bucket(s0, n0);
    let (s0vl, s0vr, n0vl) = (
        count(&st.left_count, s0),
        count(&st.right_count, s0),
        count(&st.left_count, n0),
    );
    let (s0sl, s0sr, n0sl) = (
        set(&st.left_labels, s0),
        set(&st.right_labels, s0),
        set(&st.left_labels, n0),
    );

    out.extend_from_slice(&[
        f1(0, 0),
        // Single words.
        f1(1, s0wp),
        f1(2, s0w),
        f1(3, s0p),
        f1(4, n0wp),
        f1(5, n0w),
        f1(6, n0p),
        f2(7, n1w, n1p),
        f1(8, n1w),
        f1(9, n1p),
        f2(10, n2w, n2p),
        f1(11, n2w),
        f1(12, n2p),
        // Word pairs.
        f2(13, s0wp, n0wp),
        f2(14, s0wp, n0w),
        f2(15, s0w, n0wp),
        f2(16, s0wp, n0p),
        f2(17, s0p, n0wp),
        f2(18, s0w, n0w),
        f2(19, s0p, n0p),
        f2(20, n0p, n1p),
        // Three words.
        f3(21, n0p, n1p, n2p),
        f3(22, s0p, n0p, n1p),
        f3(23, cx.p(s0h), s0p, n0p),
        f3(24, s0p, cx.p(s0l), n0p),
        f3(25, s0p, cx.p(s0r), n0p),
        f3(26, s0p, n0p, cx.p(n0l)),
        // Distance.
        f2(27, s0w, d),
        f2(28, s0p, d),
        f2(29, n0w, d),
        f2(30, n0p, d),
        f3(31, s0w, n0w, d),
        f3(32, s0p, n0p, d),
        // Valency.
        f2(33, s0w, s0vr),
        f2(34, s0p, s0vr),
        f2(35, s0w, s0vl),
        f2(36, s0p, s0vl),
        f2(37, n0w, n0vl),
        f2(38, n0p, n0vl),
        // Unigrams of the neighbourhood.
        f1(39, cx.w(s0h)),
        f1(40, cx.p(s0h)),
        f1(41, label(s0)),
        f1(42, cx.w(s0l)),
        f1(43, cx.p(s0l)),
        f1(44, label(s0l)),
        f1(45, cx.w(s0r)),
        f1(46, cx.p(s0r)),
        f1(47, label(s0r)),
        f1(48, cx.w(n0l)),
        f1(49, cx.p(n0l)),
        f1(50, label(n0l)),
        // Third order.
        f1(51, cx.w(s0h2)),
        f1(52, cx.p(s0h2)),
        f1(53, label(s0h)),
        f1(54, cx.w(s0l2)),
        f1(55, cx.p(s0l2)),
        f1(56, label(s0l2)),
        f1(57, cx.w(s0r2)),
        f1(58, cx.p(s0r2)),
        f1(59, label(s0r2)),
        f1(60, cx.w(n0l2)),
        f1(61, cx.p(n0l2)),
        f1(62, label(n0l2)),
        f3(63, s0p, cx.p(s0l), cx.p(s0l2)),
        f3(64, s0p, cx.p(s0r), cx.p(s0r2)),
        f3(65, s0p, cx.p(s0h), cx.p(s0h2)),
        f3(66, n0p, cx.p(n0l), cx.p(n0l2)),
        // Label sets.
        f2(67, s0w, s0sr),
        f2(68, s0p, s0sr),
        f2(69, s0w, s0sl),
        f2(70, s0p, s0sl),
        f2(71, n0w, n0sl),
        f2(72, n0p, n0sl),
        // The second stack word.
        f1(73, cx.w(s1)),
        f1(74, cx.p(s1)),
        f3(75, cx.p(s1), s0p, n0p),
        f3(76, s0p, label(s0), n0p),
        // Word endings and capitals, for words the weights have not seen.
        f1(77, cx.suffix(n0)),
        f1(78, cx.suffix(s0)),
        f2(79, cx.suffix(n0), s0p),
        f2(80, cx.flags(n0), n0p),
        f3(81, n1p, n2p, cx.p(n3)),
        f3(82, s0w, n0p, n1p),
        // What the words could have been tagged besides their tags.
        f2(83, cx.class(s0), s0p),
        f2(84, cx.class(n0), n0p),
        f3(85, cx.class(s0), cx.class(n0), n0p),
        f2(86, cx.class(n1), n1p),
    ]);
    if !cx.read_clusters {
        return;
    }
    out.extend_from_slice(&[
        // Which words they behave like.
        f1(87, cx.c(n0, 2)),
        f1(88, cx.c(s0, 2)),
        f1(89, cx.c(n1, 2)),
        f2(90, cx.c(s0, 1), cx.c(n0, 1)),
        f2(91, s0p, cx.c(n0, 2)),
        f2(92, cx.c(s0, 2), n0p),
        f3(93, cx.c(s0, 0), cx.c(n0, 0), d),
        f1(94, cx.c(s0h, 1)),
        // A preposition between its candidate head and its object.
        f3(95, cx.c(s0, 1), n0w, cx.c(n1, 1)),
        f3(96, cx.c(s1, 1), n0w, cx.c(n1, 1)),
        f3(97, s0p, n0w, n1p),
        f3(98, cx.c(s0h, 1), n0w, cx.c(n1, 1)),
    ]);
}

/// A trained parser: weights over moves and the label names.
#[derive(Debug, Clone, PartialEq)]
pub struct Parser {
    weights: Weights,
    labels: Vec<String>,
    root_label: u8,
    fallback_label: u8,
    clusters: bool,
    nonmono: bool,
}

/// Why a parser cannot be built from its parts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LabelError {
    /// No `root` among the labels.
    #[error("the label set has no 'root'")]
    NoRoot,
    /// More labels than a move number can hold.
    #[error("{0} labels; at most 126 are supported")]
    TooMany(usize),
    /// The weights were trained for another number of moves.
    #[error("the weights score {found} moves, but {labels} labels need {expected}")]
    Mismatch {
        /// Moves the weights score.
        found: usize,
        /// Moves the labels need.
        expected: usize,
        /// Number of labels.
        labels: usize,
    },
}

fn label_numbers(labels: &[String]) -> Result<(u8, u8), LabelError> {
    if labels.len() > 126 {
        return Err(LabelError::TooMany(labels.len()));
    }
    let root = labels
        .iter()
        .position(|l| l == "root")
        .ok_or(LabelError::NoRoot)? as u8;
    let fallback = labels
        .iter()
        .position(|l| l == "parataxis")
        .or_else(|| labels.iter().position(|l| l == "dep"))
        .unwrap_or(root as usize) as u8;
    Ok((root, fallback))
}

impl Parser {
    /// A parser with these weights over the moves for `labels`.
    pub fn new(weights: Weights, labels: Vec<String>) -> Result<Parser, LabelError> {
        let (root_label, fallback_label) = label_numbers(&labels)?;
        let expected = 2 + 2 * labels.len();
        if weights.classes() != expected {
            return Err(LabelError::Mismatch {
                found: weights.classes(),
                expected,
                labels: labels.len(),
            });
        }
        Ok(Parser {
            weights,
            labels,
            root_label,
            fallback_label,
            clusters: false,
            nonmono: false,
        })
    }

    /// The same parser reading words' clusters too (when its weights were
    /// trained with them: [`TrainSettings::clusters`]).
    pub fn reading_clusters(mut self, on: bool) -> Parser {
        self.clusters = on;
        self
    }

    /// Whether it reads words' clusters.
    pub fn reads_clusters(&self) -> bool {
        self.clusters
    }

    /// The same parser making the moves of the non-monotonic arc-eager
    /// system (when its weights were trained with them:
    /// [`TrainSettings::nonmono`]). A left arc may then take a word that
    /// already has a head (replacing it), and a reduce may take one that
    /// has none: it hangs it from the word below it on the stack. A
    /// reduce predicts no label, so the word gets the label of the best
    /// right arc scored when it was shifted (that reduce repairs the
    /// shift; from the root, `root`). After the last word, reduces go on
    /// while they can attach the rest of the stack.
    pub fn non_monotonic(mut self, on: bool) -> Parser {
        self.nonmono = on;
        self
    }

    /// Whether it makes the moves of the non-monotonic system.
    pub fn is_non_monotonic(&self) -> bool {
        self.nonmono
    }

    /// The best valid move in state `st` by these scores: the valid moves
    /// (which the margins are taken over), the move's class and the move.
    /// In the non-monotonic system a shift also notes the label of the
    /// best right arc, which a reduce of the shifted word without a head
    /// will give it.
    fn decide(&self, st: &mut State, scores: &[i32]) -> (ValidMoves, usize, Move) {
        let valid = st.valid_moves(self.root_label);
        let chosen = best(scores, |c| valid.allows(c)).unwrap_or(SHIFT);
        let m = Move::from_class(chosen);
        if self.nonmono && m == Move::Shift {
            if let Some(c) = best(scores, |c| c % 2 == 1 && c > 2 && valid.allows(c)) {
                if let Move::Right(l) = Move::from_class(c) {
                    st.note_reduce_label(l);
                }
            }
        }
        (valid, chosen, m)
    }

    /// A fresh state for `n` words in this parser's system.
    fn state(&self, n: usize) -> State {
        if self.nonmono {
            State::non_monotonic(n, self.root_label, self.fallback_label)
        } else {
            State::new(n)
        }
    }

    /// The weights.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Every label, by number.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The name of label number `n`.
    pub fn label(&self, n: u8) -> &str {
        self.labels.get(n as usize).map_or("dep", String::as_str)
    }

    /// Parses a sentence tagged with fine tags.
    ///
    /// The templates that read only the buffer ([`FRONT_ONLY`]) give the
    /// same sums for every move made while the same word is at its front
    /// (a reduce or a left arc leaves it there): their sums are looked up
    /// once per front word and kept, which saves a tenth of the lookups.
    /// Integer sums do not depend on their order, so the moves are exactly
    /// those of scoring every feature each time.
    pub fn parse(&self, views: &[WordView], tags: &[u8]) -> Arcs {
        self.parse_margins(views, tags, None)
    }

    /// Parses, and writes into `margins` (one per word) how far the move
    /// that attached each word scored above the best other valid move, in
    /// the units of the weights (0 for a word attached when the buffer ran
    /// out).
    pub fn parse_margins(
        &self,
        views: &[WordView],
        tags: &[u8],
        mut margins: Option<&mut Vec<f32>>,
    ) -> Arcs {
        if let Some(m) = margins.as_deref_mut() {
            m.clear();
            m.resize(views.len(), 0.0);
        }
        let cx = Context::new(views, tags, self.clusters);
        let mut st = self.state(views.len());
        let classes = self.weights.classes();
        let mut scores = vec![0i32; classes];
        let mut front_sums = vec![0i32; classes];
        let mut summed_front = None;
        let mut feats = Vec::with_capacity(TEMPLATES);
        let mut front = Vec::with_capacity(FRONT_ONLY.len());
        let mut rest = Vec::with_capacity(TEMPLATES);
        while !st.done() {
            if st.front > st.n {
                // Non-monotonic, after the last word: only reduces are left.
                st.apply(Move::Reduce);
                continue;
            }
            features(&st, &cx, &mut feats);
            let fresh = summed_front != Some(st.front);
            front.clear();
            rest.clear();
            for (f, only_front) in feats.iter().zip(front_only_mask()) {
                if !only_front {
                    rest.push(*f);
                } else if fresh {
                    front.push(*f);
                }
            }
            if fresh {
                front_sums.fill(0);
                self.weights.score(&front, &mut front_sums);
                summed_front = Some(st.front);
            }
            scores.copy_from_slice(&front_sums);
            self.weights.score(&rest, &mut scores);
            let (valid, chosen, m) = self.decide(&mut st, &scores);
            if let Some(margins) = margins.as_deref_mut() {
                let dep = match m {
                    Move::Left(_) => Some(st.s0()),
                    Move::Right(_) => Some(st.front as u32),
                    Move::Reduce if st.nonmono && st.heads.get(st.s0() as usize) == Some(&NONE) => {
                        Some(st.s0())
                    }
                    _ => None,
                };
                if let Some(d) = dep.filter(|&d| d != 0 && d != NONE) {
                    let margin = best(&scores, |c| c != chosen && valid.allows(c))
                        .map_or(0, |c| scores[chosen].saturating_sub(scores[c]));
                    if let Some(slot) = margins.get_mut(d as usize - 1) {
                        *slot = margin as f32 * self.weights.scale();
                    }
                }
            }
            st.apply(m);
        }
        st.finish(self.root_label, self.fallback_label)
    }

    /// Parses a sentence read from its last word to its first, as a
    /// parser trained on reversed sentences ([`TreeSentence::reversed`])
    /// reads it; the tree and the margins come back in the sentence's own
    /// order.
    pub fn parse_backward(
        &self,
        views: &[WordView],
        tags: &[u8],
        mut margins: Option<&mut Vec<f32>>,
    ) -> Arcs {
        let views: Vec<WordView> = views.iter().rev().copied().collect();
        let tags: Vec<u8> = tags.iter().rev().copied().collect();
        let arcs = self.parse_margins(&views, &tags, margins.as_deref_mut());
        if let Some(m) = margins {
            m.reverse();
        }
        let n = arcs.heads.len() as u32;
        Arcs {
            heads: arcs
                .heads
                .iter()
                .rev()
                .map(|&h| if h == 0 { 0 } else { n + 1 - h })
                .collect(),
            labels: arcs.labels.into_iter().rev().collect(),
        }
    }
}

/// A sentence to learn from: words, the tags the parser will see (the
/// tagger's, not the gold ones), and the gold tree.
#[derive(Debug, Clone)]
pub struct TreeSentence {
    /// The words.
    pub views: Vec<WordView>,
    /// Fine tags as predicted.
    pub tags: Vec<u8>,
    /// Gold heads (0 for the root).
    pub heads: Vec<u32>,
    /// Gold label numbers.
    pub labels: Vec<u8>,
}

impl TreeSentence {
    /// The sentence with its words in reverse order, for a parser that
    /// reads from the end ([`Parser::parse_backward`]).
    pub fn reversed(&self) -> TreeSentence {
        let n = self.heads.len() as u32;
        TreeSentence {
            views: self.views.iter().rev().copied().collect(),
            tags: self.tags.iter().rev().copied().collect(),
            heads: self
                .heads
                .iter()
                .rev()
                .map(|&h| if h == 0 { 0 } else { n + 1 - h })
                .collect(),
            labels: self.labels.iter().rev().copied().collect(),
        }
    }
}

/// How a parser is trained.
#[derive(Debug, Clone, Copy)]
pub struct TrainSettings {
    /// Passes over the data.
    pub epochs: usize,
    /// Seed of the shuffles and of exploration.
    pub seed: u64,
    /// From which pass (0-based) a wrong prediction may be followed.
    pub explore_from: usize,
    /// How often a wrong prediction is followed from then on.
    pub explore_rate: f64,
    /// Weights smaller than this are dropped from the model.
    pub min_weight: f32,
    /// Features touched by fewer updates than this are dropped.
    pub min_updates: u32,
    /// Features whose largest weight is smaller than this are dropped.
    pub min_row: f32,
    /// Whether the templates read words' clusters ([`crate::clusters`]).
    pub clusters: bool,
    /// Whether to use the non-monotonic arc-eager system of Honnibal,
    /// Goldberg & Johnson (2013): a left arc may replace the head of the
    /// top word, and a reduce of a top word without a head hangs it from
    /// the word below it (see [`Parser::non_monotonic`]).
    pub nonmono: bool,
    /// In the non-monotonic system, what the oracle adds to the cost of
    /// a move for each repair the best tree it leaves reachable needs
    /// (against [`WRONG_HEAD`] 4 for a lost head and [`WRONG_LABEL`] 2 for
    /// a wrong label): 0 lets a wrong arc that can be repaired later cost
    /// nothing.
    pub repair_cost: u32,
}

/// Cost of each move: how many gold arcs still reachable it makes
/// unreachable (Goldberg & Nivre 2012), plus one for a wrong label.
fn costs(st: &State, heads: &[u32], labels: &[u8], root_label: u8, out: &mut [u32]) {
    let gh = |x: u32| -> u32 {
        (x as usize)
            .checked_sub(1)
            .and_then(|i| heads.get(i))
            .copied()
            .unwrap_or(NONE)
    };
    let gl = |x: u32| -> u8 {
        (x as usize)
            .checked_sub(1)
            .and_then(|i| labels.get(i))
            .copied()
            .unwrap_or(0)
    };
    let s0 = st.s0();
    let b = st.front;
    let n = st.n;
    let n0 = b as u32;
    let in_buffer = |x: u32| x != NONE && x != 0 && (x as usize) >= b && (x as usize) <= n;
    let root_open = !st.root_taken;
    out.fill(u32::MAX);
    let has_front = b <= n;

    // Dependents of s0 still in the buffer.
    let s0_deps_in_buffer = if s0 != NONE && s0 != 0 {
        (b..=n).filter(|&k| gh(k as u32) == s0).count() as u32
    } else {
        0
    };

    if has_front {
        // SHIFT: b0 loses its head in the stack and its headless
        // dependents in the stack.
        let mut c = 0;
        let h = gh(n0);
        for &k in &st.stack {
            if k == h && (k != 0 || root_open) {
                c += 1;
            }
            if k != 0 && st.heads[k as usize] == NONE && gh(k) == n0 {
                c += 1;
            }
        }
        out[SHIFT] = c;
    }
    if st.valid(Move::Reduce, root_label) {
        out[REDUCE] = s0_deps_in_buffer;
    }
    if has_front && s0 != NONE && s0 != 0 && st.heads[s0 as usize] == NONE {
        let h = gh(s0);
        let base = s0_deps_in_buffer + u32::from(in_buffer(h) && h != n0);
        for l in 0..((out.len() - 2) / 2) as u8 {
            let m = Move::Left(l);
            if st.valid(m, root_label) {
                out[m.class()] = base + u32::from(h == n0 && l != gl(s0));
            }
        }
    }
    if has_front && s0 != NONE {
        let h = gh(n0);
        let head_lost = in_buffer(h) || (h != s0 && st.stack.contains(&h) && (h != 0 || root_open));
        let mut base = u32::from(head_lost);
        for &k in &st.stack {
            if k != 0 && st.heads[k as usize] == NONE && gh(k) == n0 {
                base += 1;
            }
        }
        if s0 == 0 {
            base += ((b + 1)..=n).filter(|&k| gh(k as u32) == 0).count() as u32;
        }
        for l in 0..((out.len() - 2) / 2) as u8 {
            let m = Move::Right(l);
            if st.valid(m, root_label) {
                out[m.class()] = base + u32::from(h == s0 && l != gl(n0));
            }
        }
    }
}

/// The parts of a configuration that decide which trees it can still
/// reach: the non-monotonic oracle ([`NonMonoOracle`]) tries each move on
/// a copy of them.
#[derive(Debug, Default, Clone)]
struct Core {
    stack: Vec<u32>,
    front: usize,
    heads: Vec<u32>,
    labels: Vec<u8>,
    reduce_labels: Vec<u8>,
    root_taken: bool,
}

impl Core {
    fn copy_from(&mut self, st: &State) {
        self.stack.clone_from(&st.stack);
        self.front = st.front;
        self.heads.clone_from(&st.heads);
        self.labels.clone_from(&st.labels);
        self.reduce_labels.clone_from(&st.reduce_labels);
        self.root_taken = st.root_taken;
    }

    /// Makes move `m` (valid in the non-monotonic system) as
    /// [`State::apply`] does, on heads and labels only.
    fn apply(&mut self, m: Move, root_label: u8, reduce_label: u8) {
        let reduce_label = |s0: u32| {
            self.reduce_labels
                .get(s0 as usize)
                .copied()
                .unwrap_or(reduce_label)
        };
        let s0 = self.stack.last().copied().unwrap_or(NONE);
        let n0 = self.front as u32;
        match m {
            Move::Shift => {
                self.stack.push(n0);
                self.front += 1;
            }
            Move::Reduce => {
                if s0 != NONE && s0 != 0 && self.heads[s0 as usize] == NONE {
                    let k = self.stack.len();
                    if k >= 2 {
                        let s1 = self.stack[k - 2];
                        self.heads[s0 as usize] = s1;
                        self.labels[s0 as usize] = if s1 == 0 {
                            self.root_taken = true;
                            root_label
                        } else {
                            reduce_label(s0)
                        };
                    }
                }
                self.stack.pop();
            }
            Move::Left(l) => {
                if s0 != NONE && s0 != 0 {
                    if self.heads[s0 as usize] == 0 {
                        self.root_taken = false;
                    }
                    self.heads[s0 as usize] = n0;
                    self.labels[s0 as usize] = l;
                }
                self.stack.pop();
            }
            Move::Right(l) => {
                if let Some(slot) = self.heads.get_mut(n0 as usize) {
                    *slot = s0;
                }
                if let Some(slot) = self.labels.get_mut(n0 as usize) {
                    *slot = l;
                }
                if s0 == 0 {
                    self.root_taken = true;
                }
                self.stack.push(n0);
                self.front += 1;
            }
        }
    }
}

/// What a wrong head adds to the loss of the non-monotonic oracle.
const WRONG_HEAD: u32 = 4;
/// What a wrong label on a right head adds to it.
const WRONG_LABEL: u32 = 2;

/// The dynamic oracle of the non-monotonic arc-eager system (Honnibal,
/// Goldberg & Johnson 2013): the cost of a move is how much the loss of
/// the best tree still reachable grows when it is made.
///
/// The loss counts [`WRONG_HEAD`] for a word with a wrong head and
/// [`WRONG_LABEL`] for a right head with a wrong label (a reduce that attaches a word gives it a fixed
/// label, so a word may only be reachable with its head right). The best
/// reachable loss is taken word by word, as if the words' best arcs could
/// all be had together (as in Goldberg & Nivre's arc-decomposition):
///
/// - a word already reduced keeps its arc;
/// - a word in the buffer can still get its gold head if that head is in
///   the buffer or on the stack (the root only while it has no dependent,
///   or its dependent is a wrong one that a left arc can still move);
/// - a word on the stack can get a gold head from the buffer by a left
///   arc (which replaces any head it has); it keeps a head it has; and
///   without one it can get the word just below it by a reduce.
#[derive(Debug, Default)]
struct NonMonoOracle {
    /// What each repair the best tree still needs (a left arc replacing a
    /// head, a reduce attaching a word) adds to its loss: 0 counts the
    /// tree alone; more makes the oracle prefer the moves that need no
    /// repair later, as a monotonic oracle would, and leave the repairs
    /// to recover from wrong moves.
    repair: u32,
    core: Core,
    /// Position of each node on the stack, or [`NONE`].
    pos: Vec<u32>,
}

impl NonMonoOracle {
    /// The loss of the best tree reachable from `c` (see the type).
    fn best_loss(&mut self, c: &Core, heads: &[u32], labels: &[u8], reduce_label: u8) -> u32 {
        let n = c.heads.len().saturating_sub(1);
        self.pos.clear();
        self.pos.resize(n + 1, NONE);
        for (i, &x) in c.stack.iter().enumerate() {
            if let Some(p) = self.pos.get_mut(x as usize) {
                *p = i as u32;
            }
        }
        let in_buffer =
            |x: u32| x != 0 && x != NONE && (x as usize) >= c.front && (x as usize) <= n;
        // The root can still take a dependent: it has none, or a wrong one
        // still on the stack that a left arc can give another head.
        let root_free = !c.root_taken
            || (c.front <= n
                && c.stack.len() >= 2
                && c.heads[c.stack[1] as usize] == 0
                && heads.get(c.stack[1] as usize - 1).copied() != Some(0));
        let mut loss = 0;
        for d in 1..=n {
            let (g, gl) = match (heads.get(d - 1), labels.get(d - 1)) {
                (Some(&g), Some(&gl)) => (g, gl),
                _ => continue,
            };
            let kept = || {
                if c.heads[d] != g {
                    WRONG_HEAD
                } else {
                    WRONG_LABEL * u32::from(c.labels[d] != gl)
                }
            };
            let g_on_stack = self.pos.get(g as usize).is_some_and(|&p| p != NONE);
            let p = self.pos[d];
            loss += if in_buffer(d as u32) {
                if in_buffer(g) || (g_on_stack && (g != 0 || root_free)) {
                    0
                } else {
                    WRONG_HEAD
                }
            } else if p == NONE {
                kept()
            } else if in_buffer(g) {
                // A left arc: one that replaces a head is a repair.
                if c.heads[d] != NONE {
                    self.repair
                } else {
                    0
                }
            } else if c.heads[d] != NONE {
                kept()
            } else if p > 0 && c.stack[p as usize - 1] == g {
                // A reduce that attaches: a repair of a shift that should
                // have been a right arc.
                if g == 0 {
                    if c.root_taken {
                        WRONG_HEAD
                    } else {
                        self.repair
                    }
                } else {
                    let label = c.reduce_labels.get(d).copied().unwrap_or(reduce_label);
                    WRONG_LABEL * u32::from(label != gl) + self.repair
                }
            } else {
                WRONG_HEAD
            };
        }
        loss
    }

    /// The cost of every move in `st` (`u32::MAX` for invalid ones).
    fn costs(&mut self, st: &State, heads: &[u32], labels: &[u8], out: &mut [u32]) {
        out.fill(u32::MAX);
        let (root_label, reduce_label) = (st.root_label, st.reduce_label);
        let mut core = std::mem::take(&mut self.core);
        core.copy_from(st);
        let before = self.best_loss(&core, heads, labels, reduce_label);
        let gold = |x: u32| -> (u32, u8) {
            let i = (x as usize).wrapping_sub(1);
            match (heads.get(i), labels.get(i)) {
                (Some(&h), Some(&l)) => (h, l),
                _ => (NONE, 0),
            }
        };
        let label_count = (out.len().saturating_sub(2) / 2) as u8;
        let s0 = st.s0();
        let n0 = st.front as u32;
        let after = |m: Move, core: &mut Core, this: &mut Self| -> u32 {
            core.copy_from(st);
            core.apply(m, root_label, reduce_label);
            this.best_loss(core, heads, labels, reduce_label)
                .saturating_sub(before)
        };
        for m in [Move::Shift, Move::Reduce] {
            if st.valid(m, root_label) {
                out[m.class()] = after(m, &mut core, self);
            }
        }
        // Arcs: the cost with the gold label (or any valid one when the
        // head is not the gold one), plus `WRONG_LABEL` for another label
        // on a gold head.
        let arcs = [
            (
                st.valid_moves(root_label).left,
                s0,
                Move::Left as fn(u8) -> Move,
            ),
            (
                st.valid_moves(root_label).right,
                n0,
                Move::Right as fn(u8) -> Move,
            ),
        ];
        for (valid, dep, make) in arcs {
            if !valid {
                continue;
            }
            let (g, gl) = gold(dep);
            let head = if dep == s0 { n0 } else { s0 };
            let Some(first) = (0..label_count)
                .filter(|&l| st.valid(make(l), root_label))
                .min_by_key(|&l| l != gl)
            else {
                continue;
            };
            let base = after(make(first), &mut core, self);
            for l in 0..label_count {
                let m = make(l);
                if st.valid(m, root_label) {
                    out[m.class()] =
                        base + WRONG_LABEL * u32::from(g == head && first == gl && l != gl);
                }
            }
        }
        self.core = core;
    }
}

/// Trains a parser on `sentences` with the dynamic oracle. `progress` is
/// called after each pass with its number and the share of moves that
/// were right.
pub fn train(
    sentences: &[TreeSentence],
    labels: Vec<String>,
    settings: TrainSettings,
    mut progress: impl FnMut(usize, f64),
) -> Result<Parser, LabelError> {
    let (root_label, fallback_label) = label_numbers(&labels)?;
    let classes = 2 + 2 * labels.len();
    let mut model = Trainer::new(classes);
    let mut rng = SplitMix::new(settings.seed);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut feats = Vec::with_capacity(TEMPLATES);
    let mut scores = vec![0f32; classes];
    let mut cost = vec![0u32; classes];
    let mut oracle = NonMonoOracle {
        repair: settings.repair_cost,
        ..NonMonoOracle::default()
    };
    for epoch in 0..settings.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &s in &order {
            let sentence = &sentences[s];
            let cx = Context::new(&sentence.views, &sentence.tags, settings.clusters);
            let n = sentence.views.len();
            let mut st = if settings.nonmono {
                State::non_monotonic(n, root_label, fallback_label)
            } else {
                State::new(n)
            };
            while !st.done() {
                if st.front > st.n {
                    // Non-monotonic, after the last word: only reduces
                    // are left, and nothing to learn.
                    st.apply(Move::Reduce);
                    continue;
                }
                features(&st, &cx, &mut feats);
                scores.fill(0.0);
                model.score(&feats, &mut scores);
                if settings.nonmono {
                    let valid = st.valid_moves(root_label);
                    if let Some(c) = best(&scores, |c| c % 2 == 1 && c > 2 && valid.allows(c)) {
                        if let Move::Right(l) = Move::from_class(c) {
                            st.note_reduce_label(l);
                        }
                    }
                    oracle.costs(&st, &sentence.heads, &sentence.labels, &mut cost);
                } else {
                    costs(
                        &st,
                        &sentence.heads,
                        &sentence.labels,
                        root_label,
                        &mut cost,
                    );
                }
                let min = cost.iter().copied().min().unwrap_or(0);
                let Some(guess) = best(&scores, |c| cost[c] != u32::MAX) else {
                    break;
                };
                let Some(gold) = best(&scores, |c| cost[c] == min) else {
                    break;
                };
                total += 1;
                if cost[guess] == min {
                    right += 1;
                } else {
                    model.update(gold, guess, &feats);
                }
                model.tick();
                let next = if cost[guess] == min
                    || (epoch >= settings.explore_from && rng.unit() < settings.explore_rate)
                {
                    guess
                } else {
                    gold
                };
                st.apply(Move::from_class(next));
            }
        }
        progress(epoch, right as f64 / total.max(1) as f64);
    }
    Ok(Parser {
        weights: model.average(settings.min_weight, settings.min_updates, settings.min_row),
        labels,
        root_label,
        fallback_label,
        clusters: settings.clusters,
        nonmono: settings.nonmono,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Invented sentences with left arcs, reductions and long stacks.
    const SENTENCES: [&str; 4] = [
        "The minister, who had refused the offer on Monday, told reporters that the union's demands were not acceptable .",
        "Officials in the capital asked the court to dismiss the case , but the judge declined .",
        "\" We will never accept this , \" said the spokeswoman for the company .",
        "Rain .",
    ];

    fn views_and_tags(sentence: &str) -> (Vec<WordView>, Vec<u8>) {
        let model = crate::english().expect("the shipped model loads");
        let forms: Vec<&str> = sentence.split(' ').collect();
        let views = model.tagger.views(&forms);
        let tags = model.tagger.tag_views(&views);
        (views, tags)
    }

    #[test]
    fn front_only_templates_read_nothing_but_the_buffer() {
        let model = crate::english().expect("the shipped model loads");
        let mut by_front: std::collections::HashMap<(usize, usize, bool), Vec<Feature>> =
            std::collections::HashMap::new();
        let mut feats = Vec::new();
        for (s, sentence) in SENTENCES.iter().enumerate() {
            for read_clusters in [false, true] {
                let (views, tags) = views_and_tags(sentence);
                let cx = Context::new(&views, &tags, read_clusters);
                let mut st = State::new(views.len());
                let mut scores = vec![0i32; model.parser.weights.classes()];
                let mut moves = 0;
                while !st.done() {
                    features(&st, &cx, &mut feats);
                    let all = if read_clusters {
                        TEMPLATES
                    } else {
                        PLAIN_TEMPLATES
                    };
                    assert_eq!(feats.len(), all);
                    let front: Vec<Feature> = FRONT_ONLY
                        .iter()
                        .filter(|&&t| t < all)
                        .map(|&t| feats[t])
                        .collect();
                    let seen = by_front
                        .entry((s, st.front, read_clusters))
                        .or_insert_with(|| front.clone());
                    assert_eq!(*seen, front, "sentence {s}, front {}", st.front);
                    scores.fill(0);
                    model.parser.weights.score(&feats, &mut scores);
                    let valid = st.valid_moves(model.parser.root_label);
                    let chosen = best(&scores, |c| valid.allows(c)).unwrap_or(SHIFT);
                    st.apply(Move::from_class(chosen));
                    moves += 1;
                }
                assert!(moves >= views.len());
            }
        }
        // Some fronts stayed for more than one move, or the test says nothing.
        assert!(by_front.len() < SENTENCES.iter().map(|s| s.split(' ').count() * 4).sum());
    }

    #[test]
    fn kept_front_sums_choose_the_moves_that_scoring_everything_chooses() {
        let model = crate::english().expect("the shipped model loads");
        let parser = &model.parser;
        for sentence in SENTENCES {
            let (views, tags) = views_and_tags(sentence);
            let cx = Context::new(&views, &tags, parser.clusters);
            let mut st = parser.state(views.len());
            let mut scores = vec![0i32; parser.weights.classes()];
            let mut feats = Vec::new();
            while !st.done() {
                features(&st, &cx, &mut feats);
                scores.fill(0);
                parser.weights.score(&feats, &mut scores);
                let (_, _, m) = parser.decide(&mut st, &scores);
                st.apply(m);
            }
            let everything = st.finish(parser.root_label, parser.fallback_label);
            assert_eq!(parser.parse(&views, &tags), everything, "{sentence}");
        }
    }

    fn labels() -> Vec<String> {
        ["root", "nsubj", "obj", "punct", "parataxis"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// Follows the cheapest move (lowest class on ties) from the start:
    /// with a projective gold tree the oracle must rebuild it exactly.
    #[test]
    fn a_reversed_sentence_keeps_its_tree() {
        // "Anna read books ." with "read" the root.
        let s = TreeSentence {
            views: crate::tagger::views(&["Anna", "read", "books", "."]),
            tags: vec![1, 3, 0, 2],
            heads: vec![2, 0, 2, 2],
            labels: vec![0, 3, 1, 2],
        };
        let r = s.reversed();
        assert_eq!(r.heads, vec![3, 3, 0, 3]);
        assert_eq!(r.labels, vec![2, 1, 3, 0]);
        assert_eq!(r.tags, vec![2, 0, 3, 1]);
        assert_eq!(r.views[3].lower, s.views[0].lower);
        assert_eq!(r.reversed().heads, s.heads);
    }

    /// Follows the cheapest move that `costs` gives from `st` to the end
    /// (lowest class on ties), checking that one always costs nothing.
    fn follow_oracle(mut st: State, mut costs: impl FnMut(&State, &mut [u32])) -> Arcs {
        let mut cost = vec![0u32; 2 + 2 * labels().len()];
        while !st.done() {
            costs(&st, &mut cost);
            let min = cost.iter().copied().min().unwrap_or(u32::MAX);
            assert_eq!(min, 0, "a projective tree always has a zero-cost move");
            let c = cost.iter().position(|&x| x == min).unwrap_or(0);
            st.apply(Move::from_class(c));
        }
        st.finish(0, 4)
    }

    fn oracle_parse(heads: &[u32], labs: &[u8]) -> Arcs {
        follow_oracle(State::new(heads.len()), |st, cost| {
            costs(st, heads, labs, 0, cost)
        })
    }

    #[test]
    fn the_oracle_rebuilds_projective_trees() {
        // "She saw him ." : saw <- She, saw -> him, saw -> .
        let heads = [2, 0, 2, 2];
        let labs = [1, 0, 2, 3];
        let arcs = oracle_parse(&heads, &labs);
        assert_eq!(arcs.heads, heads);
        assert_eq!(arcs.labels, labs);
        // A right-branching chain and a left-branching one.
        let heads = [0, 1, 2, 3];
        let labs = [0, 2, 2, 2];
        assert_eq!(oracle_parse(&heads, &labs).heads, heads);
        let heads = [2, 3, 4, 0];
        let labs = [1, 1, 1, 0];
        assert_eq!(oracle_parse(&heads, &labs).heads, heads);
    }

    /// Follows the cheapest move of the non-monotonic oracle from the
    /// start (lowest class on ties).
    fn non_monotonic_oracle_parse(heads: &[u32], labs: &[u8], repair: u32) -> Arcs {
        let mut oracle = NonMonoOracle {
            repair,
            ..NonMonoOracle::default()
        };
        follow_oracle(State::non_monotonic(heads.len(), 0, 4), |st, cost| {
            oracle.costs(st, heads, labs, cost)
        })
    }

    #[test]
    fn the_non_monotonic_oracle_rebuilds_projective_trees() {
        for (heads, labs) in [
            (vec![2, 0, 2, 2], vec![1, 0, 2, 3]),
            (vec![0, 1, 2, 3], vec![0, 2, 2, 2]),
            (vec![2, 3, 4, 0], vec![1, 1, 1, 0]),
            (vec![3, 3, 0, 5, 3, 5, 3], vec![1, 2, 0, 1, 2, 4, 3]),
        ] {
            for repair in [0, 1] {
                let arcs = non_monotonic_oracle_parse(&heads, &labs, repair);
                assert_eq!(arcs.heads, heads);
                assert_eq!(arcs.labels, labs);
            }
        }
        let mut rng = SplitMix::new(3);
        for _ in 0..300 {
            let n = 1 + (rng.next_u64() % 9) as usize;
            let (heads, labs) = random_projective_tree(n, &mut rng);
            for repair in [0, 1] {
                let arcs = non_monotonic_oracle_parse(&heads, &labs, repair);
                assert_eq!(arcs.heads, heads);
                assert_eq!(arcs.labels, labs);
            }
        }
    }

    /// A random projective tree over `n` words with one root (label 0)
    /// and labels from 1 to 4.
    fn random_projective_tree(n: usize, rng: &mut SplitMix) -> (Vec<u32>, Vec<u8>) {
        loop {
            let heads: Vec<u32> = (1..=n)
                .map(|d| loop {
                    let h = (rng.next_u64() % (n as u64 + 1)) as u32;
                    if h as usize != d {
                        break h;
                    }
                })
                .collect();
            if heads.iter().filter(|&&h| h == 0).count() != 1 {
                continue;
            }
            // A tree: every word reaches the root.
            let tree = (1..=n).all(|d| {
                let mut x = d as u32;
                for _ in 0..=n {
                    if x == 0 {
                        return true;
                    }
                    x = heads[x as usize - 1];
                }
                false
            });
            // Projective: no two arcs cross (the root's arc spans 0..r).
            let span = |d: usize| {
                let h = heads[d - 1] as usize;
                (h.min(d), h.max(d))
            };
            let projective = (1..=n).all(|a| {
                (1..=n).all(|b| {
                    let ((i, j), (k, l)) = (span(a), span(b));
                    !(i < k && k < j && j < l)
                })
            });
            if tree && projective {
                let labs = heads
                    .iter()
                    .map(|&h| {
                        if h == 0 {
                            0
                        } else {
                            1 + (rng.next_u64() % 4) as u8
                        }
                    })
                    .collect();
                return (heads, labs);
            }
        }
    }

    /// The loss of a finished state (2 for a wrong or missing head, 1 for
    /// a wrong label), as the oracle counts it.
    fn final_loss(st: &State, heads: &[u32], labs: &[u8]) -> u32 {
        (1..=st.n)
            .map(|d| {
                if st.heads[d] != heads[d - 1] {
                    2
                } else {
                    u32::from(st.labels[d] != labs[d - 1])
                }
            })
            .sum()
    }

    /// The moves tried by the exhaustive search: every move, with the
    /// gold label of its dependent and one other.
    fn some_moves(st: &State, labs: &[u8]) -> Vec<Move> {
        let mut out = vec![Move::Shift, Move::Reduce];
        for l in 0..5u8 {
            let keep = |d: u32| {
                let gl = labs.get((d as usize).wrapping_sub(1)).copied();
                Some(l) == gl || l == 0 || Some(l) == gl.map(|g| 1 + g % 4)
            };
            if keep(st.s0()) {
                out.push(Move::Left(l));
            }
            if keep(st.front as u32) {
                out.push(Move::Right(l));
            }
        }
        out.retain(|&m| st.valid(m, 0));
        out
    }

    type Key = (Vec<u32>, usize, Vec<u32>, Vec<u8>);

    /// The least loss of any finished state reachable from `st`.
    fn exhaustive_best(
        st: &State,
        heads: &[u32],
        labs: &[u8],
        memo: &mut std::collections::HashMap<Key, u32>,
    ) -> u32 {
        if st.done() {
            return final_loss(st, heads, labs);
        }
        let key = (
            st.stack.clone(),
            st.front,
            st.heads.clone(),
            st.labels.clone(),
        );
        if let Some(&v) = memo.get(&key) {
            return v;
        }
        let mut best = u32::MAX;
        for m in some_moves(st, labs) {
            let mut next = st.clone();
            next.apply(m);
            best = best.min(exhaustive_best(&next, heads, labs, memo));
        }
        memo.insert(key, best);
        best
    }

    /// From random configurations of random projective trees, each move's
    /// cost is what it adds to the least loss an exhaustive search can
    /// still reach (twice it: a wrong head counts 4); with a cost for
    /// repairs, the cheapest moves still lose nothing.
    #[test]
    fn non_monotonic_costs_match_an_exhaustive_search() {
        let mut rng = SplitMix::new(11);
        let mut oracle = NonMonoOracle::default();
        let mut penalised = NonMonoOracle {
            repair: 1,
            ..NonMonoOracle::default()
        };
        let mut cost = vec![0u32; 12];
        let mut cost_p = vec![0u32; 12];
        let (mut checked, mut wrong, mut lossy) = (0, Vec::new(), Vec::new());
        for _ in 0..400 {
            let n = 2 + (rng.next_u64() % 5) as usize;
            let (heads, labs) = random_projective_tree(n, &mut rng);
            let mut st = State::non_monotonic(n, 0, 4);
            let steps = rng.next_u64() % (2 * n as u64);
            for _ in 0..steps {
                // The label a reduce would give the front word, as the
                // parser notes it when it shifts.
                st.note_reduce_label(1 + (rng.next_u64() % 4) as u8);
                let moves = some_moves(&st, &labs);
                if st.done() || moves.is_empty() {
                    break;
                }
                let m = moves[(rng.next_u64() % moves.len() as u64) as usize];
                st.apply(m);
            }
            if st.done() || st.front > st.n {
                continue;
            }
            let mut memo = std::collections::HashMap::new();
            let best = exhaustive_best(&st, &heads, &labs, &mut memo);
            let mut core = Core::default();
            core.copy_from(&st);
            assert_eq!(
                oracle.best_loss(&core, &heads, &labs, 4),
                2 * best,
                "best loss of {heads:?} {labs:?} at {st:?}"
            );
            oracle.costs(&st, &heads, &labs, &mut cost);
            penalised.costs(&st, &heads, &labs, &mut cost_p);
            let min_p = cost_p.iter().copied().min().unwrap_or(0);
            for m in some_moves(&st, &labs) {
                let mut next = st.clone();
                next.apply(m);
                let truth = 2 * (exhaustive_best(&next, &heads, &labs, &mut memo) - best);
                checked += 1;
                if cost[m.class()] != truth {
                    wrong.push((heads.clone(), m, cost[m.class()], truth));
                }
                if cost_p[m.class()] == min_p && truth != 0 {
                    lossy.push((heads.clone(), m, truth));
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        assert!(
            wrong.is_empty(),
            "{} of {checked}: {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
        assert!(
            lossy.is_empty(),
            "{} of {checked}: {:?}",
            lossy.len(),
            &lossy[..lossy.len().min(5)]
        );
    }

    #[test]
    fn every_parse_is_one_tree_with_one_root() {
        // Untrained weights: every move scores zero, so the parser shifts
        // and the leftovers are gathered under one root.
        let parser = Parser::new(Weights::from_rows(12, Vec::new()), labels())
            .unwrap_or_else(|e| unreachable!("{e}"));
        let views = crate::tagger::views(&["a", "b", "c"]);
        let arcs = parser.parse(&views, &[0, 0, 0]);
        assert_eq!(arcs.heads.iter().filter(|&&h| h == 0).count(), 1);
        assert!(arcs.heads.iter().all(|&h| (h as usize) <= 3));
        let empty = parser.parse(&[], &[]);
        assert!(empty.heads.is_empty());
    }

    #[test]
    fn valid_moves_agree_with_valid() {
        // Walk a few configurations and compare the two ways of asking.
        let mut st = State::new(4);
        let classes = 2 + 2 * 5;
        for m in [Move::Shift, Move::Right(1), Move::Reduce, Move::Shift] {
            let v = st.valid_moves(0);
            for c in 0..classes {
                assert_eq!(v.allows(c), st.valid(Move::from_class(c), 0), "class {c}");
            }
            if st.valid(m, 0) {
                st.apply(m);
            }
        }
    }

    #[test]
    fn non_monotonic_valid_moves_agree_with_valid() {
        let mut rng = SplitMix::new(5);
        let classes = 2 + 2 * 5;
        for _ in 0..200 {
            let n = 1 + (rng.next_u64() % 7) as usize;
            let mut st = State::non_monotonic(n, 0, 4);
            while !st.done() {
                let v = st.valid_moves(0);
                let valid: Vec<usize> = (0..classes)
                    .filter(|&c| st.valid(Move::from_class(c), 0))
                    .collect();
                for c in 0..classes {
                    assert_eq!(v.allows(c), valid.contains(&c), "class {c} in {st:?}");
                }
                assert!(!valid.is_empty(), "a state not done has a valid move");
                st.apply(Move::from_class(
                    valid[(rng.next_u64() % valid.len() as u64) as usize],
                ));
            }
            // Every word but those left over has one head, and the
            // dependents' records agree with the heads.
            for h in 0..=n {
                let right: Vec<u32> = ((h + 1)..=n)
                    .filter(|&d| st.heads[d] == h as u32)
                    .map(|d| d as u32)
                    .collect();
                assert_eq!(st.right_count[h] as usize, right.len(), "{st:?}");
                let nearest = [
                    right.last().copied().unwrap_or(NONE),
                    right.iter().rev().nth(1).copied().unwrap_or(NONE),
                ];
                assert_eq!(st.right[h], nearest, "{st:?}");
            }
            assert!(st.heads.iter().filter(|&&h| h == 0).count() <= 1);
        }
    }

    #[test]
    fn a_non_monotonic_left_arc_replaces_a_head() {
        // "a b c": 0 -> a, a -> b, then c takes b from a.
        let mut st = State::non_monotonic(3, 0, 4);
        for m in [Move::Right(0), Move::Right(2)] {
            st.apply(m);
        }
        assert_eq!(st.right[1], [2, NONE]);
        assert!(st.valid(Move::Left(1), 0));
        let mut mono = State::new(3);
        for m in [Move::Right(0), Move::Right(2)] {
            mono.apply(m);
        }
        assert!(!mono.valid(Move::Left(1), 0) && mono.valid(Move::Reduce, 0));
        st.apply(Move::Left(1));
        assert_eq!(st.heads[2], 3);
        assert_eq!(
            (st.right[1], st.right_count[1], st.right_labels[1]),
            ([NONE; 2], 0, 0)
        );
        assert_eq!(st.left[3], [2, NONE]);
        // c has no head: a reduce hangs it from a with the reduce label.
        st.apply(Move::Shift);
        assert!(st.done() || st.valid(Move::Reduce, 0));
        st.apply(Move::Reduce);
        assert_eq!((st.heads[3], st.labels[3]), (1, 4));
        assert_eq!(st.finish(0, 4).heads, [0, 3, 1]);
    }

    #[test]
    fn moves_number_and_unnumber() {
        for m in [Move::Shift, Move::Reduce, Move::Left(0), Move::Right(7)] {
            assert_eq!(Move::from_class(m.class()), m);
        }
    }

    #[test]
    fn a_label_set_without_root_is_refused() {
        let err = Parser::new(Weights::from_rows(4, Vec::new()), vec!["nsubj".into()]);
        assert_eq!(err, Err(LabelError::NoRoot));
    }
}
