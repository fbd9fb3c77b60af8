//! Feature hashing and the word views the templates read: a template
//! number and up to three values mixed into one 64-bit key, and each
//! token's lower-cased form, affixes and shape hashed once per sentence.

use crate::perceptron::Feature;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes `v` into `h` (a multiply-xorshift step; stable across platforms).
#[inline]
pub fn mix(h: u64, v: u64) -> u64 {
    let x = (h ^ v).wrapping_mul(K);
    x ^ (x >> 29)
}

/// The key of template `t` with one value.
#[inline]
pub fn f1(t: u32, a: u64) -> Feature {
    mix(mix(u64::from(t).wrapping_mul(0xA24B_AED4_963E_E407), a), 1)
}

/// The key of template `t` with two values.
#[inline]
pub fn f2(t: u32, a: u64, b: u64) -> Feature {
    mix(f1(t, a), b)
}

/// The key of template `t` with three values.
#[inline]
pub fn f3(t: u32, a: u64, b: u64, c: u64) -> Feature {
    mix(f2(t, a, b), c)
}

/// FNV-1a over bytes, then mixed: a string's hash for features.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// FNV-1a over bytes, then mixed.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h, bytes.len() as u64)
}

/// What the templates read of one token, hashed.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordView {
    /// The lower-cased form (numbers collapsed to their shape).
    pub lower: u64,
    /// Last one, two, three and four characters (lower-cased).
    pub suffix: [u64; 4],
    /// First one and two characters (lower-cased).
    pub prefix: [u64; 2],
    /// Character classes: `Xxxx`, `dd.d`, `xx-xx` (runs capped at 4).
    pub shape: u64,
    /// Flags: 1 capitalised, 2 all caps, 4 has a digit, 8 has a hyphen,
    /// 16 has a period, 32 is the first word of the sentence.
    pub flags: u64,
    /// The word's ambiguity class: which tags the training data gave it
    /// (see [`crate::tagger::TagDict`]), or a value for unknown words.
    pub class: u64,
    /// The word's cluster ([`crate::clusters`]): hashed path prefixes of
    /// [`crate::clusters::PREFIXES`] steps, then the whole path.
    pub cluster: [u64; 3],
}

/// The ambiguity class of a word the tag dictionary does not hold.
pub const UNKNOWN_CLASS: u64 = 0x554e_4b4e_4f57_4e00;

/// Hashes what the templates read of `form` (the `i`th word).
pub fn word_view(form: &str, i: usize) -> WordView {
    let mut lower = String::with_capacity(form.len());
    for c in form.chars() {
        lower.extend(c.to_lowercase());
    }
    let mut shape = String::with_capacity(8);
    let mut last = '\0';
    let mut run = 0;
    let mut flags = 0u64;
    let mut upper = 0;
    let mut letters = 0;
    for c in form.chars() {
        let class = if c.is_uppercase() {
            upper += 1;
            letters += 1;
            'X'
        } else if c.is_alphabetic() {
            letters += 1;
            'x'
        } else if c.is_ascii_digit() {
            flags |= 4;
            'd'
        } else {
            if c == '-' {
                flags |= 8;
            } else if c == '.' {
                flags |= 16;
            }
            c
        };
        if class == last {
            run += 1;
        } else {
            run = 1;
            last = class;
        }
        if run <= 4 {
            shape.push(class);
        }
    }
    if form.chars().next().is_some_and(char::is_uppercase) {
        flags |= 1;
    }
    if letters > 1 && upper == letters {
        flags |= 2;
    }
    if i == 0 {
        flags |= 32;
    }
    // Affixes are hashed as slices of `lower` at character boundaries:
    // this runs for every word of every parsed sentence.
    let tail = |k: usize| -> u64 {
        let start = lower.char_indices().rev().nth(k - 1).map_or(0, |(i, _)| i);
        hash_str(&lower[start..])
    };
    let head = |k: usize| -> u64 {
        let end = lower.char_indices().nth(k).map_or(lower.len(), |(i, _)| i);
        hash_str(&lower[..end])
    };
    // Numbers are many and alike: their shape says what matters.
    let numeric = flags & 4 != 0 && letters == 0;
    let lower_hash = hash_str(&lower);
    WordView {
        lower: if numeric {
            mix(hash_str(&shape), 0x004e_554d)
        } else {
            lower_hash
        },
        suffix: [tail(1), tail(2), tail(3), tail(4)],
        prefix: [head(1), head(2)],
        shape: hash_str(&shape),
        flags,
        class: UNKNOWN_CLASS,
        cluster: crate::clusters::english().of(lower_hash),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_with_the_same_values_differ() {
        assert_ne!(f1(1, 5), f1(2, 5));
        assert_ne!(f2(1, 5, 6), f2(1, 6, 5));
        assert_eq!(f3(3, 1, 2, 3), f3(3, 1, 2, 3));
    }

    #[test]
    fn word_views_fold_case_and_collapse_numbers() {
        assert_eq!(
            word_view("Minister", 1).lower,
            word_view("minister", 1).lower
        );
        assert_eq!(word_view("1,250", 1).lower, word_view("3,700", 1).lower);
        assert_ne!(word_view("1,250", 1).lower, word_view("1999", 1).lower);
        assert_eq!(word_view("NATO", 3).flags & 3, 3);
        assert_eq!(word_view("x", 0).flags & 32, 32);
        // Affixes count characters, not bytes.
        let v = word_view("Öl-Straße", 1);
        assert_eq!(v.suffix[0], hash_str("e"));
        assert_eq!(v.suffix[3], hash_str("raße"));
        assert_eq!(v.prefix[1], hash_str("öl"));
        assert_eq!(word_view("a", 1).suffix[3], hash_str("a"));
        // No panic on multi-byte text.
        let v = word_view("Ünïcødé—ß", 2);
        assert_eq!(v.flags & 1, 1);
    }
}
