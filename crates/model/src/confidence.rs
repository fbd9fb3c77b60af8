//! How sure extraction is of a relation: a score in [0, 1] computed from
//! how the relation was found, never learned from evaluation articles.
//!
//! The score starts from the construction that found the relation (a cue
//! verb read on the dependency tree is the most reliable; a cue noun or a
//! token pattern used when no tree was available the least), then moves
//! with what is known to go wrong in each step: a subject that is not
//! named in the sentence itself but carried over from earlier ones (a
//! pronoun, "the ministry") costs more the further back its last name
//! is; a quotation makes a `said` relation surer; a request or rejection
//! that names neither whom it addresses nor what it is about is weaker.
//! ARCHITECTURE.md ("Confidence") gives the table and what it measures.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::RelationKind;

/// A relation's confidence, in hundredths: 0 (a guess) to 100 (certain).
///
/// Kept as an integer so that relations stay `Eq` and the store spends one
/// byte on it; serialized as a number in [0, 1] with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Confidence(u8);

impl Confidence {
    /// The highest confidence.
    pub const MAX: Confidence = Confidence(100);

    /// From hundredths; above 100 is 100.
    pub fn from_hundredths(n: u8) -> Confidence {
        Confidence(n.min(100))
    }

    /// From a score, rounded to hundredths and clamped to [0, 1]; `None`
    /// for a score that is not a number.
    pub fn from_score(score: f64) -> Option<Confidence> {
        if score.is_nan() {
            return None;
        }
        Some(Confidence((score.clamp(0.0, 1.0) * 100.0).round() as u8))
    }

    /// In hundredths.
    pub fn hundredths(self) -> u8 {
        self.0
    }

    /// As a score in [0, 1].
    pub fn score(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Confidence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.score())
    }
}

impl<'de> Deserialize<'de> for Confidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Confidence, D::Error> {
        let score = f64::deserialize(d)?;
        if !(0.0..=1.0).contains(&score) {
            return Err(serde::de::Error::custom(format!(
                "confidence {score} is not in [0, 1]"
            )));
        }
        Confidence::from_score(score)
            .ok_or_else(|| serde::de::Error::custom("confidence is not a number"))
    }
}

/// The construction that found a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construction {
    /// A cue verb read on the sentence's dependency tree ("X urged Y to").
    TreeVerb,
    /// A cue verb found by token patterns (the sentence had no tree).
    PatternVerb,
    /// An attribution phrase ("according to X").
    AccordingTo,
    /// A cue noun ("X's request", "a call by X").
    CueNoun,
    /// A speaker before a colon ("X: ...").
    Colon,
    /// Not recorded: a relation from a store written before confidence
    /// existed (format version 2 and older).
    Unrecorded,
}

impl Construction {
    /// The score a relation found this way starts from, in hundredths.
    fn base(self) -> i32 {
        match self {
            Construction::TreeVerb => 80,
            Construction::AccordingTo => 78,
            Construction::PatternVerb => 68,
            Construction::Colon => 62,
            Construction::CueNoun => 60,
            Construction::Unrecorded => 65,
        }
    }
}

/// How a relation's subject was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Named in the relation's sentence.
    Named,
    /// In the sentence as a pronoun or a description ("she", "the ministry")
    /// resolved to an actor named in this sentence or just before.
    Referred,
    /// Not in the sentence: last named this many sentences before (1 is
    /// the previous sentence).
    Carried(u32),
    /// Not recorded (see [`Construction::Unrecorded`]).
    Unrecorded,
}

/// What a relation's confidence is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    /// What the relation asserts.
    pub kind: RelationKind,
    /// The construction that found it.
    pub construction: Construction,
    /// How its subject was found.
    pub subject: Resolution,
    /// Whether it carries a quotation.
    pub quoted: bool,
    /// Whether it names whom it addresses.
    pub addressed: bool,
    /// Whether it names the thing requested or rejected.
    pub has_event: bool,
}

impl Basis {
    /// The confidence of a relation whose construction and resolution
    /// were not recorded (a store written before confidence existed, an
    /// import line without one): what is still known of how it was found.
    pub fn unrecorded(
        kind: RelationKind,
        quoted: bool,
        addressed: bool,
        has_event: bool,
    ) -> Confidence {
        Basis {
            kind,
            construction: Construction::Unrecorded,
            subject: Resolution::Unrecorded,
            quoted,
            addressed,
            has_event,
        }
        .confidence()
    }

    /// The confidence of a relation found this way.
    pub fn confidence(&self) -> Confidence {
        let mut score = self.construction.base();
        score -= match self.subject {
            Resolution::Named => 0,
            Resolution::Referred => 6,
            // Each sentence back costs more; past five it is mostly luck.
            Resolution::Carried(n) => 8 + 4 * n.min(6) as i32,
            Resolution::Unrecorded => 0,
        };
        if self.quoted {
            score += 10;
        }
        if self.kind != RelationKind::Said {
            if self.addressed {
                score += 4;
            }
            if !self.addressed && !self.has_event {
                score -= 10;
            }
        }
        // Never certain, never nothing: the score orders, it does not prove.
        Confidence(score.clamp(5, 98) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(construction: Construction, subject: Resolution) -> Basis {
        Basis {
            kind: RelationKind::Said,
            construction,
            subject,
            quoted: false,
            addressed: false,
            has_event: false,
        }
    }

    #[test]
    fn a_named_speaker_on_the_tree_is_surer_than_a_carried_one() {
        let named = basis(Construction::TreeVerb, Resolution::Named).confidence();
        let referred = basis(Construction::TreeVerb, Resolution::Referred).confidence();
        let near = basis(Construction::TreeVerb, Resolution::Carried(1)).confidence();
        let far = basis(Construction::TreeVerb, Resolution::Carried(4)).confidence();
        assert!(named > referred && referred > near && near > far);
        assert_eq!(named, Confidence(80));
    }

    #[test]
    fn a_quote_raises_and_a_bare_request_lowers() {
        let plain = basis(Construction::TreeVerb, Resolution::Named);
        let quoted = Basis {
            quoted: true,
            ..plain
        };
        assert!(quoted.confidence() > plain.confidence());
        let bare = Basis {
            kind: RelationKind::Requested,
            ..plain
        };
        let addressed = Basis {
            addressed: true,
            ..bare
        };
        assert!(bare.confidence() < plain.confidence());
        assert!(addressed.confidence() > plain.confidence());
    }

    #[test]
    fn the_score_stays_inside_its_bounds() {
        let worst = Basis {
            kind: RelationKind::Rejected,
            ..basis(Construction::CueNoun, Resolution::Carried(u32::MAX))
        };
        assert!(worst.confidence().hundredths() >= 5);
        let best = Basis {
            quoted: true,
            ..basis(Construction::TreeVerb, Resolution::Named)
        };
        assert!(best.confidence().hundredths() <= 98);
    }

    #[test]
    fn it_serializes_as_a_score_and_refuses_one_outside_zero_to_one() {
        let c = Confidence::from_hundredths(87);
        assert_eq!(serde_json::to_string(&c).unwrap_or_default(), "0.87");
        let back: Confidence = serde_json::from_str("0.87").unwrap_or_default();
        assert_eq!(back, c);
        assert!(serde_json::from_str::<Confidence>("1.5").is_err());
        assert!(serde_json::from_str::<Confidence>("-0.1").is_err());
        assert_eq!(c.to_string(), "0.87");
        assert_eq!(Confidence::from_hundredths(250), Confidence::MAX);
    }
}
