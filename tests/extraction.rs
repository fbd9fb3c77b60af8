//! The English-construction suite for `newsgraph_ingest::extract`.
//!
//! Each article under `tests/extraction/articles/` is short original wire copy
//! written for this suite. `tests/extraction/expected.json` says, per article,
//! which actors and (subject, relation, object) triples a careful annotator
//! would record (see `shared/eval/ANNOTATION.md`), which triples must *not*
//! be produced (negation, hypotheticals, expectations, futures), and which
//! names on boilerplate lines must not become actors. Every expectation is
//! tagged with the construction it exercises, so a failure names the piece of
//! English the extractor does not handle yet.
//!
//! Matching follows the scorer: names are compared after `fold`, and an
//! expected name matches a predicted actor when the expected name or one of
//! its `forms` equals the predicted name or one of its aliases. A null
//! expected object accepts any object. An actor marked `linked` must be one
//! predicted actor carrying the name and every form, which is what tests
//! in-document alias clustering (surname, acronym, diacritics, metonym).
//!
//! `tests/extraction/known_failures.txt` lists `file|construction` pairs that
//! fail today. They are reported but do not fail the test; a listed pair that
//! passes fails the test until it is removed, so the list only shrinks.

// Test harness code: a panic is how a helper reports a failed check.
// clippy.toml allows these inside #[test] functions only, not in helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use newsgraph_ingest::extract;
use newsgraph_model::{fold, ActorId, DocumentGraph};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Suite {
    articles: Vec<ArticleExpectation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleExpectation {
    file: String,
    #[serde(default)]
    actors: Vec<ExpectedActor>,
    #[serde(default)]
    relations: Vec<ExpectedRelation>,
    #[serde(default)]
    absent: Vec<AbsentRelation>,
    #[serde(default)]
    absent_actors: Vec<AbsentActor>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedActor {
    name: String,
    kind: String,
    #[serde(default)]
    forms: Vec<String>,
    /// One predicted actor must carry the name and every form.
    #[serde(default)]
    linked: bool,
    #[serde(default = "actor_construction")]
    construction: String,
}

fn actor_construction() -> String {
    "actor-named".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedRelation {
    subject: String,
    relation: String,
    object: Option<String>,
    construction: String,
}

/// A triple that must not be produced. `subject_forms` names the wrong
/// subject the way an extractor may spell it (a truncated name, a demonym),
/// so the check cannot pass just because the wrong actor is misspelt.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbsentRelation {
    subject: String,
    #[serde(default)]
    subject_forms: Vec<String>,
    relation: String,
    object: Option<String>,
    construction: String,
}

impl AbsentRelation {
    fn as_expected(&self) -> ExpectedRelation {
        ExpectedRelation {
            subject: self.subject.clone(),
            relation: self.relation.clone(),
            object: self.object.clone(),
            construction: self.construction.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbsentActor {
    name: String,
    construction: String,
}

/// Constructions the suite promises to cover; a test fails if an edit of
/// `expected.json` drops the last expectation of one of them.
const REQUIRED_CONSTRUCTIONS: &[&str] = &[
    "said-quote-before-attribution",
    "said-quote-after-attribution-colon",
    "said-inverted",
    "said-multi-sentence-quote",
    "said-curly-quotes",
    "said-unclosed-quote",
    "said-reported-that",
    "said-reported-no-that",
    "said-stated",
    "said-stressed",
    "said-noted",
    "said-pointed-out",
    "said-told-Y",
    "said-wrote",
    "said-according-to",
    "said-in-a-statement",
    "said-pronoun-subject",
    "said-title-only",
    "said-org-definite-description",
    "requested-asked-Y-to",
    "requested-called-on-Y-to",
    "requested-urged-Y-to",
    "requested-appealed-to-Y",
    "requested-demanded-that",
    "requested-demanded-X-from-Y",
    "requested-requested-X-from-Y",
    "requested-request-of-X-for",
    "requested-possessive-request-to-Y",
    "requested-submitted-request-to-Y",
    "requested-passive-asked-by",
    "rejected-Y-proposal",
    "rejected-refused-to",
    "rejected-denied-accusations-by-Y",
    "rejected-declined-invitation-from-Y",
    "rejected-dismissed",
    "rejected-opposed",
    "rejected-firmly-against",
    "rejected-not-recognized",
    "rejected-turned-down-Y-offer",
    "rejected-passive-rejected-by",
    "negative-expectation",
    "negative-hypothetical-could-if",
    "negative-hypothetical-would",
    "negative-future-will",
    "negative-negation-did-not",
    "negative-negation-has-not",
    "negative-readiness-if",
    "actor-title-person",
    "actor-apposition",
    "actor-acronym-expansion",
    "actor-capital-metonym",
    "actor-demonym-government",
    "actor-group",
    "actor-surname-only",
    "actor-diacritics",
    "boilerplate-byline",
    "boilerplate-photo-credit",
    "boilerplate-read-more",
    "boilerplate-share",
    "boilerplate-dateline",
];

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/extraction")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn load_suite() -> Suite {
    let path = suite_dir().join("expected.json");
    serde_json::from_str(&read(&path))
        .unwrap_or_else(|e| panic!("{} is not a valid suite: {e}", path.display()))
}

/// `file|construction` keys from `known_failures.txt`, with their line numbers.
fn load_known_failures() -> BTreeMap<(String, String), usize> {
    let path = suite_dir().join("known_failures.txt");
    let mut known = BTreeMap::new();
    for (n, line) in read(&path).lines().enumerate() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        let Some((file, construction)) = entry.split_once('|') else {
            panic!(
                "{}:{}: expected `file|construction  # why`, got {line:?}",
                path.display(),
                n + 1
            );
        };
        known.insert(
            (file.trim().to_owned(), construction.trim().to_owned()),
            n + 1,
        );
    }
    known
}

/// One predicted actor, with every form it answers to, folded.
struct PredictedActor {
    name: String,
    kind: &'static str,
    folded: BTreeSet<String>,
}

struct PredictedRelation {
    kind: &'static str,
    subject: usize,
    object: Option<usize>,
}

/// The extractor's output reduced to what the expectations talk about.
struct Predicted {
    actors: Vec<PredictedActor>,
    relations: Vec<PredictedRelation>,
}

impl Predicted {
    fn from_graph(graph: &DocumentGraph) -> Self {
        let mut actors: Vec<PredictedActor> = Vec::new();
        let mut index: HashMap<ActorId, usize> = HashMap::new();
        for m in &graph.mentions {
            let at = *index.entry(m.actor).or_insert_with(|| {
                actors.push(PredictedActor {
                    name: m.name.clone(),
                    kind: m.kind.as_str(),
                    folded: BTreeSet::new(),
                });
                actors.len() - 1
            });
            let folded = &mut actors[at].folded;
            folded.insert(fold(&m.name));
            folded.extend(m.aliases.iter().map(|a| fold(a)));
        }
        let mut endpoint = |id: ActorId, actors: &mut Vec<PredictedActor>| {
            *index.entry(id).or_insert_with(|| {
                // A relation endpoint without a mention is itself a defect;
                // keep it visible under its id rather than dropping it.
                actors.push(PredictedActor {
                    name: format!("<unmentioned actor {id}>"),
                    kind: "?",
                    folded: BTreeSet::new(),
                });
                actors.len() - 1
            })
        };
        let relations = graph
            .relations
            .iter()
            .map(|r| PredictedRelation {
                kind: r.kind.as_str(),
                subject: endpoint(r.subject, &mut actors),
                object: r.object.map(|o| endpoint(o, &mut actors)),
            })
            .collect();
        Predicted { actors, relations }
    }

    fn matches(&self, actor: usize, names: &BTreeSet<String>) -> bool {
        !self.actors[actor].folded.is_disjoint(names)
    }

    fn relation_matches(&self, r: &PredictedRelation, e: &Resolved) -> bool {
        r.kind == e.relation
            && self.matches(r.subject, &e.subject)
            && match (&e.object, r.object) {
                (None, _) => true,
                (Some(want), Some(got)) => self.matches(got, want),
                (Some(_), None) => false,
            }
    }

    fn show_relation(&self, r: &PredictedRelation) -> String {
        let object = r
            .object
            .map_or("null".to_owned(), |o| self.actors[o].name.clone());
        format!("({}, {}, {object})", self.actors[r.subject].name, r.kind)
    }

    fn show_actor(&self, a: &PredictedActor) -> String {
        let mut forms: Vec<&str> = a.folded.iter().map(String::as_str).collect();
        forms.retain(|f| *f != fold(&a.name));
        if forms.is_empty() {
            format!("{} [{}]", a.name, a.kind)
        } else {
            format!("{} [{}] aka {}", a.name, a.kind, forms.join(" / "))
        }
    }

    /// What the extractor produced about the actors matching `names`: their
    /// relations, or the article's actor list if none of them was found.
    fn about(&self, names: &BTreeSet<String>) -> String {
        let hits: Vec<usize> = (0..self.actors.len())
            .filter(|&a| self.matches(a, names))
            .collect();
        if hits.is_empty() {
            let all: Vec<String> = self.actors.iter().map(|a| self.show_actor(a)).collect();
            return format!("no such actor; actors: {}", all.join("; "));
        }
        let rels: Vec<String> = self
            .relations
            .iter()
            .filter(|r| hits.contains(&r.subject))
            .map(|r| self.show_relation(r))
            .collect();
        let actors: Vec<String> = hits
            .iter()
            .map(|&a| self.show_actor(&self.actors[a]))
            .collect();
        if rels.is_empty() {
            format!("actor {}; no relations from it", actors.join("; "))
        } else {
            format!(
                "actor {}; its relations: {}",
                actors.join("; "),
                rels.join(", ")
            )
        }
    }
}

/// An expected triple with names expanded to their folded forms.
struct Resolved {
    subject: BTreeSet<String>,
    relation: String,
    object: Option<BTreeSet<String>>,
}

/// The folded name and, if the article declares that actor, its forms.
fn forms_of(article: &ArticleExpectation, name: &str) -> BTreeSet<String> {
    let key = fold(name);
    let mut out = BTreeSet::from([key.clone()]);
    for a in &article.actors {
        if fold(&a.name) == key {
            out.extend(a.forms.iter().map(|f| fold(f)));
        }
    }
    out
}

fn resolve(article: &ArticleExpectation, e: &ExpectedRelation) -> Resolved {
    Resolved {
        subject: forms_of(article, &e.subject),
        relation: e.relation.clone(),
        object: e.object.as_deref().map(|o| forms_of(article, o)),
    }
}

fn triple(e: &ExpectedRelation) -> String {
    format!(
        "({}, {}, {})",
        e.subject,
        e.relation,
        e.object.as_deref().unwrap_or("null")
    )
}

/// The outcome of one expectation.
struct Check {
    file: String,
    construction: String,
    expectation: String,
    /// `None` when the expectation holds, else what was produced instead.
    failure: Option<String>,
}

fn check_article(article: &ArticleExpectation, graph: &DocumentGraph) -> Vec<Check> {
    let predicted = Predicted::from_graph(graph);
    let mut checks = Vec::new();
    let mut push = |construction: &str, expectation: String, failure: Option<String>| {
        checks.push(Check {
            file: article.file.clone(),
            construction: construction.to_owned(),
            expectation,
            failure,
        });
    };

    for a in &article.actors {
        let mut names = BTreeSet::from([fold(&a.name)]);
        names.extend(a.forms.iter().map(|f| fold(f)));
        let found = (0..predicted.actors.len())
            .filter(|&i| predicted.matches(i, &names))
            .filter(|&i| !a.linked || names.is_subset(&predicted.actors[i].folded))
            .any(|i| predicted.actors[i].kind == a.kind);
        let what = if a.linked {
            "one actor carrying"
        } else {
            "an actor named"
        };
        let forms = if a.forms.is_empty() {
            String::new()
        } else {
            format!(" / {}", a.forms.join(" / "))
        };
        push(
            &a.construction,
            format!("{what} {}{forms} [{}]", a.name, a.kind),
            (!found).then(|| predicted.about(&names)),
        );
    }

    for e in &article.relations {
        let want = resolve(article, e);
        let found = predicted
            .relations
            .iter()
            .any(|r| predicted.relation_matches(r, &want));
        push(
            &e.construction,
            format!("relation {}", triple(e)),
            (!found).then(|| predicted.about(&want.subject)),
        );
    }

    for a in &article.absent {
        let e = &a.as_expected();
        let mut unwanted = resolve(article, e);
        unwanted
            .subject
            .extend(a.subject_forms.iter().map(|f| fold(f)));
        let produced: Vec<String> = predicted
            .relations
            .iter()
            .filter(|r| predicted.relation_matches(r, &unwanted))
            .map(|r| predicted.show_relation(r))
            .collect();
        push(
            &e.construction,
            format!("no relation {}", triple(e)),
            (!produced.is_empty()).then(|| format!("produced {}", produced.join(", "))),
        );
    }

    for a in &article.absent_actors {
        let names = BTreeSet::from([fold(&a.name)]);
        let produced: Vec<String> = predicted
            .actors
            .iter()
            .enumerate()
            .filter(|(i, _)| predicted.matches(*i, &names))
            .map(|(_, p)| predicted.show_actor(p))
            .collect();
        push(
            &a.construction,
            format!("no actor {}", a.name),
            (!produced.is_empty()).then(|| format!("produced {}", produced.join("; "))),
        );
    }
    checks
}

fn run_suite() -> Vec<Check> {
    let suite = load_suite();
    let articles = suite_dir().join("articles");
    let mut checks = Vec::new();
    for article in &suite.articles {
        let text = read(&articles.join(&article.file));
        let graph = extract(&article.file, &text);
        checks.extend(check_article(article, &graph));
    }
    checks
}

fn construction_table(checks: &[Check], known: &BTreeMap<(String, String), usize>) -> String {
    #[derive(Default)]
    struct Row {
        total: usize,
        passed: usize,
        known: usize,
    }
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for c in checks {
        let row = rows.entry(&c.construction).or_default();
        row.total += 1;
        if c.failure.is_none() {
            row.passed += 1;
        } else if known.contains_key(&(c.file.clone(), c.construction.clone())) {
            row.known += 1;
        }
    }
    let width = rows.keys().map(|k| k.len()).max().unwrap_or(0).max(12);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<width$}  pass/total  known-failing",
        "construction"
    );
    let (mut passed, mut total) = (0, 0);
    for (construction, row) in &rows {
        let mark = if row.passed == row.total { " " } else { "x" };
        let _ = writeln!(
            out,
            "{mark} {construction:<width$}  {:>4}/{:<5}  {}",
            row.passed, row.total, row.known
        );
        passed += row.passed;
        total += row.total;
    }
    let _ = writeln!(out, "  {:<width$}  {passed:>4}/{total:<5}", "all");
    out
}

#[test]
fn extraction_constructions() {
    let checks = run_suite();
    let known = load_known_failures();

    // A `file|construction` group passes only when all its checks pass.
    let mut groups: BTreeMap<(String, String), Vec<&Check>> = BTreeMap::new();
    for c in &checks {
        groups
            .entry((c.file.clone(), c.construction.clone()))
            .or_default()
            .push(c);
    }

    let mut unexpected = String::new();
    let mut still_known = String::new();
    let mut fixed = String::new();
    let mut paste = String::new();
    for (key, group) in &groups {
        let failing: Vec<&&Check> = group.iter().filter(|c| c.failure.is_some()).collect();
        let listed = known.get(key);
        let report = if listed.is_some() {
            &mut still_known
        } else {
            &mut unexpected
        };
        for c in &failing {
            let _ = writeln!(
                report,
                "  {} | {}: expected {}\n      got: {}",
                c.file,
                c.construction,
                c.expectation,
                c.failure.as_deref().unwrap_or("")
            );
        }
        match (failing.is_empty(), listed) {
            (true, Some(line)) => {
                let _ = writeln!(
                    fixed,
                    "  known_failures.txt:{line}: {}|{} now passes: remove from known_failures.txt",
                    key.0, key.1
                );
            }
            (false, None) => {
                let _ = writeln!(paste, "{}|{}  # {}", key.0, key.1, failing[0].expectation);
            }
            _ => {}
        }
    }
    let stale: Vec<String> = known
        .iter()
        .filter(|(key, _)| !groups.contains_key(*key))
        .map(|((file, construction), line)| {
            format!("  known_failures.txt:{line}: {file}|{construction} matches no expectation")
        })
        .collect();

    println!("{}", construction_table(&checks, &known));
    if !still_known.is_empty() {
        println!("known failures (known_failures.txt):\n{still_known}");
    }

    let mut problems = String::new();
    if !unexpected.is_empty() {
        let _ = writeln!(
            problems,
            "failing expectations not in known_failures.txt:\n{unexpected}\n\
             (if a failure is accepted for now, add these lines to known_failures.txt:)\n{paste}"
        );
    }
    if !fixed.is_empty() {
        let _ = writeln!(problems, "fixed, so the list must shrink:\n{fixed}");
    }
    if !stale.is_empty() {
        let _ = writeln!(problems, "stale entries:\n{}", stale.join("\n"));
    }
    assert!(problems.is_empty(), "{problems}");
}

/// The suite itself stays complete: every article has expectations, every
/// expectation has an article, and every promised construction is covered.
#[test]
fn extraction_suite_is_complete() {
    let suite = load_suite();
    let on_disk: BTreeSet<String> = std::fs::read_dir(suite_dir().join("articles"))
        .expect("articles directory")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".txt"))
        .collect();
    let described: BTreeSet<String> = suite.articles.iter().map(|a| a.file.clone()).collect();
    assert_eq!(
        on_disk, described,
        "articles on disk and in expected.json differ"
    );
    assert_eq!(
        described.len(),
        suite.articles.len(),
        "an article is described twice"
    );

    let mut covered = BTreeSet::new();
    for a in &suite.articles {
        covered.extend(a.actors.iter().map(|x| x.construction.as_str()));
        covered.extend(a.relations.iter().map(|x| x.construction.as_str()));
        covered.extend(a.absent.iter().map(|x| x.construction.as_str()));
        covered.extend(a.absent_actors.iter().map(|x| x.construction.as_str()));
        let absent: Vec<ExpectedRelation> =
            a.absent.iter().map(AbsentRelation::as_expected).collect();
        for r in a.relations.iter().chain(&absent) {
            assert!(
                matches!(r.relation.as_str(), "said" | "requested" | "rejected"),
                "{}: unknown relation {:?}",
                a.file,
                r.relation
            );
        }
        for x in &a.actors {
            assert!(
                matches!(
                    x.kind.as_str(),
                    "person" | "organization" | "country" | "group"
                ),
                "{}: unknown actor kind {:?}",
                a.file,
                x.kind
            );
        }
    }
    let missing: Vec<&&str> = REQUIRED_CONSTRUCTIONS
        .iter()
        .filter(|c| !covered.contains(**c))
        .collect();
    assert!(
        missing.is_empty(),
        "constructions without an expectation: {missing:?}"
    );
}

// Pathological inputs: `extract` promises never to panic on any text. These
// only call it; speed is the bench's business, not a test's.

#[test]
fn extract_survives_empty_text() {
    let graph = extract("empty.txt", "");
    assert!(graph.relations.is_empty());
}

#[test]
fn extract_survives_only_quote_marks() {
    extract("quotes.txt", &"\"".repeat(100_000));
    extract("curly.txt", &"\u{201C}\u{201D}\u{201C}".repeat(33_334));
}

#[test]
fn extract_survives_one_word_of_a_megabyte() {
    extract("word.txt", &"Ministry".repeat(1 << 17));
}

#[test]
fn extract_survives_many_pronoun_sentences() {
    extract("he-said.txt", &"He said. ".repeat(200_000));
}

/// Regression: relations scanned back to the sentence start for every cue,
/// so one 2 MB sentence took minutes (quadratic); scans are now bounded.
#[test]
fn extract_survives_a_two_megabyte_sentence() {
    let clause = "the Minister of Foreign Affairs of Canada said that Mexico asked \
                  the WHO to reject \"the request\" and ";
    let mut text = String::from("Ottawa rejected ");
    while text.len() < 2 << 20 {
        text.push_str(clause);
    }
    text.push('.');
    extract("sentence.txt", &text);
}

#[test]
fn extract_survives_random_characters() {
    // Control characters, combining marks, quotes, dashes, bidi marks,
    // capitalised fragments and CJK, in an order no article would use.
    const PALETTE: &[&str] = &[
        "\0",
        "\u{1}",
        "\u{7}",
        "\u{1b}",
        "\u{7f}",
        "\u{85}",
        "\r",
        "\n",
        "\n\n",
        "\t",
        " ",
        "\u{a0}",
        "\u{2028}",
        "\u{200b}",
        "\u{200f}",
        "\u{feff}",
        "\u{301}",
        "\u{308}",
        "\u{327}",
        "\u{20dd}",
        "\"",
        "'",
        "\u{201c}",
        "\u{201d}",
        "\u{2018}",
        "\u{2019}",
        "\u{ab}",
        "\u{bb}",
        "-",
        "\u{2014}",
        ".",
        ",",
        ":",
        ";",
        "(",
        ")",
        "?",
        "!",
        "U.S.",
        "Mr.",
        "A",
        "Z",
        "a",
        "é",
        "\u{130}",
        "\u{df}",
        "\u{3a3}",
        "\u{416}",
        "\u{5d0}",
        "\u{627}",
        "\u{4e2d}",
        "\u{1f600}",
        "said",
        "asked",
        "rejected",
        "urged",
        "to",
        "by",
        "the",
        "not",
        "Canada",
        "WHO",
        "President",
        "Núñez",
        "according",
        "He",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..8 {
        let mut text = String::new();
        for _ in 0..50_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let pick = (state >> 33) as usize % PALETTE.len();
            text.push_str(PALETTE[pick]);
            if state >> 62 == 0 {
                // A raw code point from the whole range, surrogates skipped.
                if let Some(c) = char::from_u32((state >> 11) as u32 % 0x11_0000) {
                    text.push(c);
                }
            }
        }
        extract(&format!("random-{round}.txt"), &text);
    }
}
