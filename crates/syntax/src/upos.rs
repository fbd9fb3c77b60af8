//! The seventeen universal part-of-speech tags.

use std::fmt;

/// A universal part-of-speech tag (UPOS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::upper_case_acronyms)]
pub enum Upos {
    /// Adjective.
    ADJ,
    /// Adposition.
    ADP,
    /// Adverb.
    ADV,
    /// Auxiliary.
    AUX,
    /// Coordinating conjunction.
    CCONJ,
    /// Determiner.
    DET,
    /// Interjection.
    INTJ,
    /// Noun.
    NOUN,
    /// Numeral.
    NUM,
    /// Particle.
    PART,
    /// Pronoun.
    PRON,
    /// Proper noun.
    PROPN,
    /// Punctuation.
    PUNCT,
    /// Subordinating conjunction.
    SCONJ,
    /// Symbol.
    SYM,
    /// Verb.
    VERB,
    /// Other.
    X,
}

impl Upos {
    /// Every tag, in the order of their numbers.
    pub const ALL: [Upos; 17] = [
        Upos::ADJ,
        Upos::ADP,
        Upos::ADV,
        Upos::AUX,
        Upos::CCONJ,
        Upos::DET,
        Upos::INTJ,
        Upos::NOUN,
        Upos::NUM,
        Upos::PART,
        Upos::PRON,
        Upos::PROPN,
        Upos::PUNCT,
        Upos::SCONJ,
        Upos::SYM,
        Upos::VERB,
        Upos::X,
    ];

    /// The tag as CoNLL-U writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Upos::ADJ => "ADJ",
            Upos::ADP => "ADP",
            Upos::ADV => "ADV",
            Upos::AUX => "AUX",
            Upos::CCONJ => "CCONJ",
            Upos::DET => "DET",
            Upos::INTJ => "INTJ",
            Upos::NOUN => "NOUN",
            Upos::NUM => "NUM",
            Upos::PART => "PART",
            Upos::PRON => "PRON",
            Upos::PROPN => "PROPN",
            Upos::PUNCT => "PUNCT",
            Upos::SCONJ => "SCONJ",
            Upos::SYM => "SYM",
            Upos::VERB => "VERB",
            Upos::X => "X",
        }
    }

    /// The tag written `s` in CoNLL-U, if it is one.
    pub fn parse(s: &str) -> Option<Upos> {
        Upos::ALL.iter().copied().find(|u| u.as_str() == s)
    }

    /// The tag's number (0..17).
    pub fn index(self) -> u8 {
        self as u8
    }

    /// The tag numbered `i`.
    pub fn from_index(i: usize) -> Option<Upos> {
        Upos::ALL.get(i).copied()
    }
}

impl fmt::Display for Upos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for (i, u) in Upos::ALL.iter().enumerate() {
            assert_eq!(Upos::parse(u.as_str()), Some(*u));
            assert_eq!(Upos::from_index(i), Some(*u));
            assert_eq!(u.index() as usize, i);
        }
        assert_eq!(Upos::parse("NN"), None);
    }
}
