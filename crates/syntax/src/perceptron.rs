//! The averaged perceptron: a sparse table of per-class weights keyed by
//! hashed features, trained by mistake-driven updates and averaged over
//! every step (Collins 2002), then frozen into a compact read-only table.

use crate::pages::{PageArray, PageVec};
use rustc_hash::FxHashMap;

/// A hashed feature: a template and its values mixed into 64 bits.
pub type Feature = u64;

/// One class's weight under one feature, with what averaging needs.
#[derive(Debug, Clone, Copy)]
struct Param {
    class: u8,
    weight: f32,
    /// Sum of `weight` over every step before `stamp`.
    total: f64,
    /// The step at which `weight` last changed.
    stamp: u64,
    /// How many updates moved it.
    updates: u32,
}

/// Weights being learned. Classes are numbered `0..classes` (at most 256).
#[derive(Debug)]
pub struct Trainer {
    classes: usize,
    params: FxHashMap<Feature, Vec<Param>>,
    /// Number of training steps so far (one per decision).
    step: u64,
}

impl Trainer {
    /// An empty model over `classes` classes.
    pub fn new(classes: usize) -> Trainer {
        Trainer {
            classes: classes.min(256),
            params: FxHashMap::default(),
            step: 0,
        }
    }

    /// Adds each class's score under `features` into `scores` (which the
    /// caller sizes to the number of classes and zeroes).
    pub fn score(&self, features: &[Feature], scores: &mut [f32]) {
        for f in features {
            if let Some(params) = self.params.get(f) {
                for p in params {
                    if let Some(s) = scores.get_mut(p.class as usize) {
                        *s += p.weight;
                    }
                }
            }
        }
    }

    /// Counts one decision (call once per decision, right or wrong).
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Moves weight from the wrongly predicted class to the right one.
    pub fn update(&mut self, truth: usize, guess: usize, features: &[Feature]) {
        if truth == guess || truth >= self.classes || guess >= self.classes {
            return;
        }
        for &f in features {
            let params = self.params.entry(f).or_default();
            Self::nudge(params, truth as u8, 1.0, self.step);
            Self::nudge(params, guess as u8, -1.0, self.step);
        }
    }

    fn nudge(params: &mut Vec<Param>, class: u8, delta: f32, step: u64) {
        let at = match params.iter().position(|p| p.class == class) {
            Some(at) => at,
            None => {
                params.push(Param {
                    class,
                    weight: 0.0,
                    total: 0.0,
                    stamp: step,
                    updates: 0,
                });
                params.len() - 1
            }
        };
        let p = &mut params[at];
        p.total += (step - p.stamp) as f64 * p.weight as f64;
        p.stamp = step;
        p.weight += delta;
        p.updates = p.updates.saturating_add(1);
    }

    /// The averaged weights, with every weight whose magnitude is below
    /// `min_weight` dropped, and every feature that fewer than
    /// `min_updates` updates touched (a feature seen in one mistake is
    /// mostly noise, and the model's size is in its features), or whose
    /// largest weight is below `min_row`.
    pub fn average(&self, min_weight: f32, min_updates: u32, min_row: f32) -> Weights {
        let step = self.step.max(1);
        let mut keys: Vec<Feature> = self.params.keys().copied().collect();
        keys.sort_unstable();
        let mut table = Vec::new();
        for key in keys {
            let Some(params) = self.params.get(&key) else {
                continue;
            };
            let updates: u32 = params.iter().map(|p| p.updates).sum::<u32>() / 2;
            if updates < min_updates {
                continue;
            }
            let mut row: Vec<(u8, f32)> = params
                .iter()
                .map(|p| {
                    let total = p.total + (step - p.stamp) as f64 * p.weight as f64;
                    (p.class, (total / step as f64) as f32)
                })
                .filter(|(_, w)| w.abs() >= min_weight && *w != 0.0)
                .collect();
            if row.iter().all(|(_, w)| w.abs() < min_row) {
                continue;
            }
            row.sort_unstable_by_key(|(c, _)| *c);
            table.push((key, row));
        }
        Weights::from_rows(self.classes, table)
    }
}

/// Entries a slot holds in place; longer rows live in the overflow array.
const INLINE: usize = 6;

/// Fingerprints a probe reads at once.
const GROUP: usize = 8;

/// Overflow entries in a 64-byte cache line.
const LINE_ENTRIES: usize = 64 / std::mem::size_of::<Entry>();

/// One (class, weight) of a row in the overflow array.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, bytemuck::Pod, bytemuck::Zeroable)]
struct Entry {
    weight: i16,
    class: u8,
    unused: u8,
}

/// One feature's row in the lookup table: 32 bytes without padding (so
/// that it can live in a zeroed mapping, see [`PageArray`]), so that a
/// lookup touches one cache line and most rows need nothing more.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, bytemuck::Pod, bytemuck::Zeroable)]
struct Slot {
    key: Feature,
    /// Where a row longer than `INLINE` starts in the overflow array.
    overflow: u32,
    weights: [i16; INLINE],
    classes: [u8; INLINE],
    /// Number of entries; 0 marks an empty slot.
    len: u8,
    unused: u8,
}

/// Frozen weights: for each feature, the classes it votes for, with
/// weights quantised to `i16` steps of `scale`, in an open-addressing
/// table (linear probing) keyed by the feature.
///
/// Beside the slots, one byte per slot holds a fingerprint of its key (0
/// for an empty slot): a lookup probes those bytes, 32 times denser than
/// the slots and mostly in cache, and reads a slot only when its
/// fingerprint matches, so a feature that is not in the table costs no
/// read of the slots, and a long probe costs no more than a short one.
/// That lets the table be up to 70% full rather than half (without the
/// fingerprints, 70% full was 15% slower): the parser's table takes 32 MB
/// instead of 64, and fewer lookups miss the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    classes: usize,
    scale: f32,
    /// In huge pages where the system gives them: lookups are random.
    slots: PageArray<Slot>,
    /// Each slot's key's fingerprint ([`fingerprint`]), 0 when empty.
    prints: PageArray<u8>,
    mask: usize,
    overflow: PageVec<Entry>,
    /// Rows that hold a weight for more than half the classes, also laid
    /// out densely (`stride` weights each, 0 where the sparse row has
    /// none): the most frequent features, added without looking at class
    /// numbers, several classes per instruction.
    dense: PageVec<i16>,
    stride: usize,
    features: usize,
    entries: usize,
}

/// In a slot whose row lives in the overflow array the inline arrays are
/// free: `classes[0] == DENSE` marks a dense copy, whose number is in
/// `classes[1..5]`.
const DENSE: u8 = 1;

impl Weights {
    /// Builds the table from rows of `f32` weights, quantising them.
    pub fn from_rows(classes: usize, rows: Vec<(Feature, Vec<(u8, f32)>)>) -> Weights {
        let max = rows
            .iter()
            .flat_map(|(_, r)| r.iter().map(|(_, w)| w.abs()))
            .fold(0f32, f32::max);
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let quantised = rows
            .into_iter()
            .map(|(k, r)| {
                let q = r
                    .into_iter()
                    .map(|(c, w)| (c, (w / scale).round().clamp(-32767.0, 32767.0) as i16))
                    .collect();
                (k, q)
            })
            .collect();
        Weights::from_quantised(classes, scale, quantised)
    }

    /// Builds the table from rows already quantised to steps of `scale`.
    pub fn from_quantised(
        classes: usize,
        scale: f32,
        rows: Vec<(Feature, Vec<(u8, i16)>)>,
    ) -> Weights {
        let mut w = Weights::with_capacity(classes, scale, rows.len());
        for (key, row) in rows {
            w.insert(key, &row);
        }
        w
    }

    /// An empty table sized for `rows` rows.
    pub fn with_capacity(classes: usize, scale: f32, rows: usize) -> Weights {
        // Room for every row within the 70% that `insert` allows.
        let capacity = (rows.saturating_mul(10) / 7 + 1).next_power_of_two().max(8);
        Weights {
            classes,
            scale,
            slots: PageArray::zeroed(capacity),
            prints: PageArray::zeroed(capacity + GROUP),
            mask: capacity - 1,
            overflow: PageVec::default(),
            dense: PageVec::default(),
            stride: classes.div_ceil(16) * 16,
            features: 0,
            entries: 0,
        }
    }

    /// Adds a feature's row of quantised weights (at most 255 entries).
    /// A feature already present keeps its first row, and a table already
    /// 70% full refuses more rows, so that lookups stay short.
    pub fn insert(&mut self, key: Feature, row: &[(u8, i16)]) {
        let row = &row[..row.len().min(255)];
        if row.is_empty() || (self.features + 1) * 10 > self.slots.len() * 7 {
            return;
        }
        let mut at = (key as usize) & self.mask;
        while self.slots[at].len != 0 && self.slots[at].key != key {
            at = (at + 1) & self.mask;
        }
        if self.slots[at].len != 0 {
            return;
        }
        let mut slot = Slot {
            key,
            len: row.len() as u8,
            ..Slot::default()
        };
        if row.len() <= INLINE {
            for (i, &(c, w)) in row.iter().enumerate() {
                slot.classes[i] = c;
                slot.weights[i] = w;
            }
        } else {
            slot.overflow = self.overflow.len() as u32;
            for &(class, weight) in row {
                self.overflow.extend_from_slice(&[Entry {
                    weight,
                    class,
                    unused: 0,
                }]);
            }
            if row.len() * 2 > self.classes && self.classes <= 256 {
                let number = (self.dense.len() / self.stride.max(1)) as u32;
                let at = self.dense.len();
                self.dense.extend_zeroed(self.stride);
                for &(c, w) in row {
                    if let Some(d) = self.dense.get_mut(at + usize::from(c)) {
                        *d = w;
                    }
                }
                slot.classes[0] = DENSE;
                slot.classes[1..5].copy_from_slice(&number.to_le_bytes());
            }
        }
        self.slots[at] = slot;
        self.prints[at] = fingerprint(key);
        if at < GROUP {
            // The bytes past the end repeat the first ones, so that a
            // probe's group read near the end goes on at the start.
            self.prints[self.mask + 1 + at] = fingerprint(key);
        }
        self.entries += row.len();
        self.features += 1;
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// What one quantisation step of a weight stands for.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Number of features kept.
    pub fn features(&self) -> usize {
        self.features
    }

    /// Number of (feature, class) weights kept.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether no weight is kept.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The arrays as slices, borrowed once per call rather than once per
    /// feature: each borrow of a [`PageArray`] checks its store.
    fn tables(&self) -> Tables<'_> {
        Tables {
            slots: &self.slots,
            prints: &self.prints,
            overflow: &self.overflow,
            dense: &self.dense,
            mask: self.mask,
            stride: self.stride,
        }
    }

    /// Adds each class's score under `features` into `scores`, in
    /// quantisation steps.
    ///
    /// Most of the time goes to cache misses on the table, so the work is
    /// done in passes whose reads do not depend on each other, which the
    /// processor overlaps: first the home fingerprint of every feature is
    /// read, then the fingerprints are probed, which leaves the slots
    /// whose fingerprint matches; those slots are read, then their rows
    /// added (a slot whose key differs after all sends its feature on
    /// probing). The sums are the same as adding the rows one feature at
    /// a time. Adding the rows is the other half of the cost (frequent
    /// features carry a weight for most classes): they add into a
    /// 256-counter array that a class number indexes without a check.
    #[inline]
    pub fn score(&self, features: &[Feature], scores: &mut [i32]) {
        let t = self.tables();
        const CHUNK: usize = 128;
        let mut found = [(0u32, 0u32); CHUNK];
        // Rows add into one counter per possible class number, which a
        // `u8` indexes without a bounds check; classes past the caller's
        // count are dropped at the end, as before.
        let mut sums = [0i32; 256];
        for features in features.chunks(CHUNK) {
            let mut touched = 0u8;
            for &f in features {
                touched ^= t.prints[(f as usize) & t.mask];
            }
            std::hint::black_box(touched);
            let mut hits = 0;
            for (i, &f) in features.iter().enumerate() {
                if let Some(at) = t.probe(f, (f as usize) & t.mask) {
                    found[hits] = (at as u32, i as u32);
                    hits += 1;
                }
            }
            let found = &found[..hits];
            let mut touched = 0u8;
            for &(at, _) in found {
                touched ^= t.slots[at as usize].len;
            }
            std::hint::black_box(touched);
            // Rows too long for their slot are in the overflow array:
            // one read per cache line of each.
            let mut touched = 0u8;
            for &(at, _) in found {
                let slot = &t.slots[at as usize];
                let len = slot.len as usize;
                if len > INLINE {
                    let start = slot.overflow as usize;
                    let row = t.overflow.get(start..start + len).unwrap_or(&[]);
                    for entry in row.iter().step_by(LINE_ENTRIES) {
                        touched ^= entry.class;
                    }
                    if let Some(last) = row.last() {
                        touched ^= last.class;
                    }
                }
            }
            std::hint::black_box(touched);
            for &(at, i) in found {
                let (at, i) = (at as usize, i as usize);
                let f = features[i];
                if t.slots[at].key == f {
                    t.add_row(&t.slots[at], &mut sums);
                } else if let Some(at) = t.probe_key(f, (at + 1) & t.mask) {
                    // The fingerprint matched another key's.
                    t.add_row(&t.slots[at], &mut sums);
                }
            }
        }
        for (s, sum) in scores.iter_mut().zip(sums) {
            *s += sum;
        }
    }

    /// The rows in feature order, quantised: what the model file stores.
    pub fn rows(&self) -> Vec<(Feature, Vec<(u8, i16)>)> {
        let t = self.tables();
        let mut rows: Vec<(Feature, Vec<(u8, i16)>)> = t
            .slots
            .iter()
            .filter(|s| s.len != 0)
            .map(|s| {
                let (classes, weights, long) = t.row(s);
                let mut row: Vec<(u8, i16)> = classes
                    .iter()
                    .copied()
                    .zip(weights.iter().copied())
                    .collect();
                row.extend(long.iter().map(|e| (e.class, e.weight)));
                (s.key, row)
            })
            .collect();
        rows.sort_unstable_by_key(|(k, _)| *k);
        rows
    }

    /// Bytes held in memory.
    pub fn memory_bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>()
            + self.prints.len()
            + self.overflow.capacity() * std::mem::size_of::<Entry>()
            + self.dense.capacity() * std::mem::size_of::<i16>()
    }
}

/// [`Weights`]' arrays borrowed as slices, for lookups.
struct Tables<'a> {
    slots: &'a [Slot],
    prints: &'a [u8],
    overflow: &'a [Entry],
    dense: &'a [i16],
    mask: usize,
    stride: usize,
}

impl<'a> Tables<'a> {
    /// `slot`'s row: inline, or in the overflow array.
    fn row<'s>(&self, slot: &'s Slot) -> (&'s [u8], &'s [i16], &'a [Entry]) {
        let len = slot.len as usize;
        if len <= INLINE {
            (&slot.classes[..len], &slot.weights[..len], &[])
        } else {
            let start = slot.overflow as usize;
            let row = self.overflow.get(start..start + len).unwrap_or(&[]);
            (&[], &[], row)
        }
    }

    /// Adds `slot`'s row into `sums`.
    #[inline]
    fn add_row(&self, slot: &Slot, sums: &mut [i32; 256]) {
        if let Some(row) = self.dense_row(slot) {
            for (s, &w) in sums.iter_mut().zip(row) {
                *s += i32::from(w);
            }
            return;
        }
        let (classes, weights, long) = self.row(slot);
        for (&c, &w) in classes.iter().zip(weights) {
            sums[usize::from(c)] += i32::from(w);
        }
        for e in long {
            sums[usize::from(e.class)] += i32::from(e.weight);
        }
    }

    /// The dense copy of `slot`'s row, when it has one.
    #[inline]
    fn dense_row(&self, slot: &Slot) -> Option<&'a [i16]> {
        if (slot.len as usize) <= INLINE || slot.classes[0] != DENSE {
            return None;
        }
        let mut number = [0u8; 4];
        number.copy_from_slice(&slot.classes[1..5]);
        let at = u32::from_le_bytes(number) as usize * self.stride;
        self.dense.get(at..at + self.stride)
    }

    /// The first slot from `at` on whose fingerprint is `f`'s, before an
    /// empty one: where `f` may be.
    ///
    /// Eight fingerprints are read as one `u64` and searched at once for
    /// the wanted byte and for a zero one (the "has a zero byte" bit trick:
    /// the lowest byte it flags is exact, bytes above may be flagged
    /// wrongly and are never used), so that a probe takes no branch per
    /// slot, which mispredicted often: scoring the parser's features takes
    /// 3-8% less time (the same lookups replayed in one process, on EWT,
    /// PolNeAR and synthetic sentences) and finds the same slots.
    #[inline]
    fn probe(&self, f: Feature, mut at: usize) -> Option<usize> {
        const LOW: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let wanted = LOW * u64::from(fingerprint(f));
        loop {
            let mut group = [0u8; GROUP];
            group.copy_from_slice(self.prints.get(at..at + GROUP)?);
            let x = u64::from_le_bytes(group);
            let empty = x.wrapping_sub(LOW) & !x & HIGH;
            let y = x ^ wanted;
            let same = y.wrapping_sub(LOW) & !y & HIGH;
            // Bits below the first empty byte's.
            let before_empty = (empty & empty.wrapping_neg()).wrapping_sub(1);
            let hits = same & before_empty;
            if hits != 0 {
                return Some((at + (hits.trailing_zeros() / 8) as usize) & self.mask);
            }
            if empty != 0 {
                return None;
            }
            at = (at + GROUP) & self.mask;
        }
    }

    /// The slot holding `f`, probing from `at`.
    fn probe_key(&self, f: Feature, mut at: usize) -> Option<usize> {
        loop {
            at = self.probe(f, at)?;
            if self.slots[at].key == f {
                return Some(at);
            }
            at = (at + 1) & self.mask;
        }
    }
}

/// A key's fingerprint: its top byte, never 0 (which marks an empty slot).
/// The home slot comes from the low bits, so the two are independent.
#[inline]
fn fingerprint(key: Feature) -> u8 {
    ((key >> 56) as u8).max(1)
}

/// The highest-scoring class among those `allowed`, ties going to the
/// lowest class number (so decisions are deterministic).
pub fn best<S: PartialOrd + Copy>(scores: &[S], allowed: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<(usize, S)> = None;
    for (c, &s) in scores.iter().enumerate() {
        if !allowed(c) {
            continue;
        }
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((c, s));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_averages_it() {
        // Class 0 when feature 1 is on, class 1 when feature 2 is on.
        let mut t = Trainer::new(2);
        let data = [(vec![1u64, 9], 0usize), (vec![2u64, 9], 1usize)];
        for _ in 0..5 {
            for (feats, truth) in &data {
                let mut scores = [0.0; 2];
                t.score(feats, &mut scores);
                let guess = best(&scores, |_| true).unwrap_or(0);
                t.update(*truth, guess, feats);
                t.tick();
            }
        }
        let w = t.average(0.0, 0, 0.0);
        for (feats, truth) in &data {
            let mut scores = [0; 2];
            w.score(feats, &mut scores);
            assert_eq!(best(&scores, |_| true), Some(*truth));
        }
        // The bias-like feature 9 was pushed both ways and averages out small.
        assert!(w.features() >= 2);
    }

    #[test]
    fn probes_wrap_around_the_end_of_the_table() {
        // Every key's home is one of the last slots, so that runs of full
        // slots go past the end and on at the start; fingerprints (the top
        // byte) differ, some are equal.
        let rows: Vec<(Feature, Vec<(u8, i16)>)> = (0..40u64)
            .map(|i| {
                (
                    ((i % 7) << 56) | (1 << 40) | (i << 12) | (63 - i % 3),
                    vec![(1, i as i16 + 1)],
                )
            })
            .collect();
        let w = Weights::from_quantised(2, 1.0, rows.clone());
        assert_eq!(w.features(), 40);
        assert_eq!(w.mask, 63);
        for (k, row) in &rows {
            let mut scores = [0i32; 2];
            w.score(&[*k], &mut scores);
            assert_eq!(scores[1], i32::from(row[0].1), "{k:x}");
        }
        for missing in [63, (3 << 56) | 62, (9 << 56) | 61] {
            let mut scores = [0i32; 2];
            w.score(&[missing], &mut scores);
            assert_eq!(scores, [0, 0], "{missing:x}");
        }
    }

    #[test]
    fn best_respects_the_mask_and_breaks_ties_low() {
        assert_eq!(best(&[1.0, 3.0, 3.0], |_| true), Some(1));
        assert_eq!(best(&[1.0, 3.0, 3.0], |c| c != 1), Some(2));
        assert_eq!(best(&[1.0], |_| false), None);
    }

    #[test]
    fn the_table_finds_every_row_and_only_those() {
        // Rows short and long, keys that collide in the low bits.
        let rows: Vec<(Feature, Vec<(u8, f32)>)> = (0..500u64)
            .map(|i| {
                let len = (i % 9 + 1) as usize;
                (
                    i << 20,
                    (0..len).map(|c| (c as u8, (i + c as u64) as f32)).collect(),
                )
            })
            .collect();
        let w = Weights::from_rows(10, rows.clone());
        assert_eq!(w.features(), 500);
        for (k, row) in &rows {
            let mut scores = [0i32; 10];
            w.score(&[*k], &mut scores);
            for &(c, x) in row {
                let got = scores[c as usize] as f32 * w.scale();
                assert!((got - x).abs() <= w.scale(), "{k} {c}: {got} vs {x}");
            }
        }
        let mut scores = [0i32; 10];
        w.score(&[12345], &mut scores);
        assert_eq!(scores, [0; 10]);
        // Rows come back in key order, as stored.
        let back = w.rows();
        assert_eq!(back.len(), 500);
        assert!(back.windows(2).all(|p| p[0].0 < p[1].0));
        assert_eq!(Weights::from_quantised(10, w.scale(), back), w);
    }
}

/// A small deterministic random source for shuffling and exploration
/// (SplitMix64), so that training gives the same model on every machine.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Shuffles `items` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}
