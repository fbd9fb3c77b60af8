//! What a sentence's dependency tree says about a name's part in it: a
//! place where something happens ("outbreaks in Iran, Italy and South
//! Korea") or a word that only modifies a noun ("the Iraq War", "U.S.
//! companies") is no participant, unlike a subject, an object or an owner
//! ("sanctions on Iran", "told China", "Iran's leaders").

use newsgraph_syntax::{Analysis, Upos};

/// Prepositions that make their noun a direction, or for a body the
/// addressee ("testimony to Congress").
const DIRECTION_CASES: &[&str] = &["to", "towards", "toward", "into", "via", "through"];

/// Prepositions that make their noun a place.
const PLACE_CASES: &[&str] = &[
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "across",
    "around",
    "throughout",
    "within",
];

/// The part a name plays in its sentence, as far as it tells whether the
/// name's bearer takes part in what the sentence reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// The object of a preposition of place or direction ("in Iran").
    Place,
    /// A modifier of the noun at this word index ("the Iraq War").
    Modifier(usize),
    /// A piece of a longer name ("the Uruguay Round").
    InLongerName,
    /// Anything else: subject, object, owner, addressee ...
    Other,
}

/// A tree with each word's dependents listed, so that asking about every
/// name of a sentence costs time linear in the sentence, however long.
pub(super) struct Tree<'a, 'm> {
    tree: &'a Analysis<'m>,
    children: Vec<Vec<usize>>,
}

impl<'a, 'm> Tree<'a, 'm> {
    pub(super) fn new(tree: &'a Analysis<'m>) -> Self {
        let mut children = vec![Vec::new(); tree.words.len()];
        for i in 0..tree.words.len() {
            if let Some(list) = tree.head_of(i).and_then(|h| children.get_mut(h)) {
                list.push(i);
            }
        }
        Tree { tree, children }
    }

    fn label(&self, i: usize) -> &str {
        self.tree.words.get(i).map_or("", |w| w.deprel)
    }

    fn head_of(&self, i: usize) -> Option<usize> {
        self.tree.head_of(i).filter(|&h| h < self.tree.words.len())
    }

    fn dependents(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.children.get(i).into_iter().flatten().copied()
    }

    /// The form of word `i`.
    pub(super) fn form(&self, i: usize) -> Option<&str> {
        self.tree.words.get(i).map(|w| w.form.as_str())
    }

    /// The word that heads the words inside the byte range `start..end`:
    /// the first whose head lies outside it. `None` when no word lies
    /// inside.
    fn head_word(&self, start: usize, end: usize) -> Option<usize> {
        let words = &self.tree.words;
        let from = words.partition_point(|w| w.start < start);
        let to = words.partition_point(|w| w.start < end);
        let inside =
            |i: usize| (from..to).contains(&i) && words.get(i).is_some_and(|w| w.end <= end);
        (from..to)
            .filter(|&i| inside(i))
            .find(|&i| self.head_of(i).is_none_or(|h| !inside(h)))
    }

    /// Whether the words in bytes `start..end` stand as a noun phrase of
    /// their own rather than modify a noun: "Cuban said", not "Cuban
    /// officials".
    /// A modifier the parser hangs from a verb ("Cuban said" read as an
    /// adjective of "said") modifies nothing.
    pub(super) fn stands_alone(&self, start: usize, end: usize) -> bool {
        let nominal = |i: usize| {
            self.tree.words.get(i).is_some_and(|w| {
                matches!(w.upos, Upos::NOUN | Upos::PROPN | Upos::PRON | Upos::NUM)
            })
        };
        self.head_word(start, end).is_some_and(|h| {
            !matches!(self.label(h), "amod" | "compound" | "flat" | "det")
                || self.head_of(h).is_some_and(|n| !nominal(n))
        })
    }

    /// The part the name spanning bytes `start..end` plays. A member of a
    /// list or an apposition ("Paris, France") plays the part of the
    /// list's first member. With `directions`, the object of "to", "into"
    /// ... ("a trip to India") is a place too.
    pub(super) fn part(&self, start: usize, end: usize, directions: bool) -> Part {
        let Some(mut h) = self.head_word(start, end) else {
            return Part::Other;
        };
        let outside = |i: usize| {
            self.tree
                .words
                .get(i)
                .is_some_and(|w| w.end <= start || w.start >= end)
        };
        if self.label(h) == "flat" && self.head_of(h).is_some_and(outside)
            || self
                .dependents(h)
                .any(|d| self.label(d) == "flat" && outside(d))
        {
            return Part::InLongerName;
        }
        // Bounded walk up the lists: each step goes to an earlier word in a
        // well-formed tree, but a malformed one must not loop.
        for _ in 0..self.tree.words.len() {
            if !matches!(self.label(h), "conj" | "appos") {
                break;
            }
            match self.head_of(h) {
                Some(up) => h = up,
                None => break,
            }
        }
        let label = self.label(h);
        if label == "compound" {
            if let Some(noun) = self.head_of(h) {
                return Part::Modifier(noun);
            }
        }
        let oblique = label == "obl" || label.starts_with("obl:") || label == "nmod";
        let place = oblique
            && self.dependents(h).any(|d| {
                let case = self.form(d).unwrap_or("").to_lowercase();
                self.label(d) == "case"
                    && (PLACE_CASES.contains(&case.as_str())
                        || directions && DIRECTION_CASES.contains(&case.as_str()))
            });
        if place {
            Part::Place
        } else {
            Part::Other
        }
    }
}
