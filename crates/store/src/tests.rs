use super::*;
use newsgraph_model::{
    content_sha256, ActorKind, Document, Event, EventId, Evidence, Relation, RelationId,
    RelationKind, Span,
};
use std::collections::{BTreeMap, BTreeSet};

fn mention(name: &str, kind: ActorKind, aliases: &[&str]) -> Mention {
    Mention {
        actor: Actor::id_for_name(name),
        name: name.into(),
        kind,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
    }
}

/// A small article graph: `subject` requested something of `object`.
fn article(file: &str, text: &str, subject: &str, object: &str) -> DocumentGraph {
    let id = Document::id_for_file(file);
    let s = mention(subject, ActorKind::Country, &[]);
    let o = mention(object, ActorKind::Organization, &[]);
    let event = Event {
        id: EventId(id.0 ^ 1),
        kind: RelationKind::Requested,
        label: "the return of forces".into(),
        date: None,
        document: id,
    };
    let relation = Relation {
        id: RelationId(id.0 ^ 2),
        kind: RelationKind::Requested,
        subject: s.actor,
        object: Some(o.actor),
        event: Some(event.id),
        document: id,
        evidence: Evidence {
            sentence: text.into(),
            span: Span {
                start: 0,
                end: text.len() as u32,
            },
        },
        quote: None,
        confidence: newsgraph_model::Confidence::from_hundredths(73),
    };
    DocumentGraph {
        document: Document {
            id,
            file: file.into(),
            title: text.into(),
            source: None,
            published: None,
            sha256: content_sha256(text),
            bytes: text.len() as u64,
            url: None,
            author: None,
        },
        mentions: vec![s, o],
        events: vec![event],
        relations: vec![relation],
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    // sled's flush future completes on its own thread pool; a trivial
    // executor is enough for tests.
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn written_documents_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Serbia asked KFOR for the return of forces.";
    let graph = article("a.txt", text, "Serbia", "KFOR");
    {
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            block_on(store.put_document(&graph, text)).unwrap(),
            WriteOutcome::Added
        );
    }
    let store = Store::open(dir.path()).unwrap();
    let view = store.view();
    assert_eq!(view.document_count(), 1);
    assert_eq!(view.actor_count(), 2);
    let serbia = view.actors_named("SERBIA");
    assert_eq!(serbia.len(), 1);
    let out = view.actor_relations(serbia[0].id, EdgeDirection::Out, None);
    assert_eq!(out.len(), 1);
    // The view keeps the sentence's span; the store slices it out
    assert_eq!(out[0].evidence.sentence, "");
    assert_eq!(store.sentence(out[0]).unwrap(), text);
    let kfor = Actor::id_for_name("KFOR");
    assert_eq!(view.actor_relations(kfor, EdgeDirection::In, None).len(), 1);
    assert_eq!(
        store.text(graph.document.id).unwrap().as_deref(),
        Some(text)
    );
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn the_generation_moves_with_every_change_and_only_then() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let start = store.generation();
    let text = "Serbia asked KFOR.";
    let graph = article("a.txt", text, "Serbia", "KFOR");
    block_on(store.put_document(&graph, text)).unwrap();
    let added = store.generation();
    assert!(added > start, "an added document moves it");
    block_on(store.put_document(&graph, text)).unwrap();
    assert_eq!(store.generation(), added, "an unchanged document does not");
    let changed = "Kosovo asked EULEX.";
    block_on(store.put_document(&article("a.txt", changed, "Kosovo", "EULEX"), changed)).unwrap();
    let replaced = store.generation();
    assert!(replaced > added, "a replaced document moves it");
    assert!(!block_on(store.delete_document(Document::id_for_file("b.txt"))).unwrap());
    assert_eq!(store.generation(), replaced, "deleting nothing does not");
    assert!(block_on(store.delete_document(graph.document.id)).unwrap());
    assert!(store.generation() > replaced, "a deletion moves it");
}

#[test]
fn same_content_is_a_no_op_and_changed_content_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let first = "Serbia asked KFOR.";
    let graph = article("a.txt", first, "Serbia", "KFOR");
    assert_eq!(
        block_on(store.put_document(&graph, first)).unwrap(),
        WriteOutcome::Added
    );
    assert_eq!(
        block_on(store.put_document(&graph, first)).unwrap(),
        WriteOutcome::Unchanged
    );

    let second = "Kosovo asked EULEX.";
    let changed = article("a.txt", second, "Kosovo", "EULEX");
    assert_eq!(
        block_on(store.put_document(&changed, second)).unwrap(),
        WriteOutcome::Replaced
    );
    let view = store.view();
    assert_eq!(view.document_count(), 1);
    assert!(
        view.actors_named("Serbia").is_empty(),
        "actors only the old version mentioned are gone"
    );
    assert_eq!(view.actors_named("Kosovo").len(), 1);
    assert_eq!(view.relation_count(), 1);
    drop(view);
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn actors_are_shared_across_documents_and_survive_deletion_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = article("a.txt", "Serbia asked KFOR.", "Serbia", "KFOR");
    let b = article("b.txt", "Serbia asked NATO.", "Serbia", "NATO");
    block_on(store.put_document(&a, "Serbia asked KFOR.")).unwrap();
    block_on(store.put_document(&b, "Serbia asked NATO.")).unwrap();
    let serbia = Actor::id_for_name("Serbia");
    assert_eq!(store.view().actor_documents(serbia).len(), 2);
    assert_eq!(store.view().neighbors(serbia, None).len(), 2);

    assert!(block_on(store.delete_document(a.document.id)).unwrap());
    assert!(!block_on(store.delete_document(a.document.id)).unwrap());
    let view = store.view();
    assert_eq!(view.actor_documents(serbia).len(), 1);
    assert!(view.actor(Actor::id_for_name("KFOR")).is_none());
    assert_eq!(view.relation_count(), 1);
    drop(view);
    assert!(store.verify().unwrap().is_empty());
    drop(store);
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.view().relation_count(), 1);
}

#[test]
fn shortest_path_follows_edges_both_ways_within_the_hop_limit() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    block_on(store.put_document(&article("a.txt", "x", "Serbia", "KFOR"), "x")).unwrap();
    block_on(store.put_document(&article("b.txt", "y", "Kosovo", "KFOR"), "y")).unwrap();
    let view = store.view();
    let path = view
        .shortest_path(
            Actor::id_for_name("Serbia"),
            Actor::id_for_name("Kosovo"),
            4,
            1000,
        )
        .unwrap();
    assert_eq!(path.len(), 2);
    assert!(view
        .shortest_path(
            Actor::id_for_name("Serbia"),
            Actor::id_for_name("Kosovo"),
            1,
            1000
        )
        .is_none());
    // A search that runs out of visits says so, unlike one that finds nothing
    let (serbia, kosovo) = (Actor::id_for_name("Serbia"), Actor::id_for_name("Kosovo"));
    assert_eq!(
        view.shortest_path_search(serbia, kosovo, 4, 2),
        PathSearchOutcome::OverBudget
    );
    assert_eq!(
        view.shortest_path_search(serbia, kosovo, 1, 1000),
        PathSearchOutcome::NoPath
    );
    assert!(matches!(
        view.shortest_path_search(serbia, kosovo, 4, 3),
        PathSearchOutcome::Found(path) if path.len() == 2
    ));
    let ego = view.ego_network(Actor::id_for_name("KFOR"), 1, 100);
    assert_eq!(ego.actors.len(), 3);
    assert_eq!(ego.relations.len(), 2);
}

#[test]
fn a_newer_format_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.insert(keys::format(), &(FORMAT_VERSION + 1).to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("newer newsgraph"), "{err}");
}

#[test]
fn a_foreign_sled_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.insert(b"something", b"else").unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("not a newsgraph store"), "{err}");
}

/// A copy of a checked-in store fixture (opening a store writes to it).
fn fixture(name: &str) -> tempfile::TempDir {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Every key and value in the store's sled tree.
fn all_records(store: &Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    store
        .db
        .iter()
        .map(|kv| {
            let (k, v) = kv.unwrap();
            (k.to_vec(), v.to_vec())
        })
        .collect()
}

/// What a test expects of the seed corpus in a store, checked through the
/// public API only.
fn assert_holds_the_seed(store: &Store, documents: usize, actors: usize, relations: usize) {
    let view = store.view();
    assert_eq!(view.document_count(), documents);
    assert_eq!(view.actor_count(), actors);
    assert_eq!(view.relation_count(), relations);
    let doc = view
        .document_by_file("003_fa833fea3d8bf09e.txt")
        .expect("the KFOR statement is stored");
    assert!(
        doc.title.starts_with("KFOR: Both Sides Must Refrain"),
        "{doc:?}"
    );
    let text = store.text(doc.id).unwrap().unwrap();
    assert_eq!(content_sha256(&text), doc.sha256);
    let serbia = view.actors_named("Belgrade");
    assert_eq!(serbia.len(), 1, "Belgrade is Serbia");
    assert_eq!(serbia[0].name, "Serbia");
    let kfor = Actor::id_for_name("KFOR");
    let asked = view.actor_relations(kfor, EdgeDirection::In, Some(RelationKind::Requested));
    assert!(
        asked.iter().any(|r| {
            let sentence = store.sentence(r).unwrap();
            r.subject == serbia[0].id && sentence.contains("request") && text.contains(&sentence)
                || r.document != doc.id
        }),
        "Serbia's request to KFOR, with its sentence"
    );
    for rel in view.relations() {
        let text = store.text(rel.document).unwrap().unwrap();
        let span = rel.evidence.span;
        assert_eq!(
            text[span.start as usize..span.end as usize],
            store.sentence(rel).unwrap()
        );
    }
    let all: Vec<&Relation> = view.relations().collect();
    for full in store.with_sentences(&all).unwrap() {
        assert!(!full.evidence.sentence.is_empty(), "{full:?}");
        assert_eq!(full.evidence.sentence, store.sentence(&full).unwrap());
    }
    drop(view);
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
}

/// Every document of tests/fixtures/store-v3 and -v4 has the url and
/// author of the feed they were ingested from.
fn assert_urls_and_authors(store: &Store) {
    let view = store.view();
    let documents: Vec<_> = view.documents().collect();
    assert!(documents
        .iter()
        .all(|d| d.author.as_deref() == Some("Seed Desk")));
    assert!(documents.iter().all(|d| d.url.as_deref().is_some_and(|u| u
        == format!(
            "https://example.org/seed/{}",
            d.file.trim_end_matches(".txt")
        ))));
}

#[test]
fn the_golden_store_of_this_format_opens_with_its_content() {
    // tests/fixtures/store-v4: the seed ingested by format version 4 from
    // a feed that gives each article a url and an author. A later format
    // must migrate it; do not regenerate it.
    let dir = fixture("store-v4");
    let store = Store::open(dir.path()).unwrap();
    assert_holds_the_seed(&store, 5, 24, 46);
    assert_eq!(store.view().event_count(), 7);
    assert_urls_and_authors(&store);
    // Confidence as extraction recorded it: not one estimate for all.
    let view = store.view();
    let scores: std::collections::BTreeSet<u8> = view
        .relations()
        .map(|r| r.confidence.hundredths())
        .collect();
    assert!(scores.len() > 3, "{scores:?}");
}

#[test]
fn a_version_3_store_is_migrated_on_open() {
    // tests/fixtures/store-v3: the seed ingested by format version 3 (no
    // confidence on a relation).
    let dir = fixture("store-v3");
    {
        let store = Store::open(dir.path()).unwrap();
        assert_holds_the_seed(&store, 5, 24, 46);
        assert_eq!(store.view().event_count(), 7);
        assert_urls_and_authors(&store);
        // Each relation's confidence is estimated from what it tells:
        // a quote, an addressee, an event.
        let view = store.view();
        for r in view.relations() {
            let estimate = newsgraph_model::confidence::Basis::unrecorded(
                r.kind,
                r.quote.is_some(),
                r.object.is_some(),
                r.event.is_some(),
            );
            assert_eq!(r.confidence, estimate, "{r:?}");
        }
    }
    // And the migrated store reopens as this version, unchanged.
    let store = Store::open(dir.path()).unwrap();
    let version = store.db.get(keys::format()).unwrap().unwrap();
    assert_eq!(version.as_ref(), FORMAT_VERSION.to_be_bytes());
    assert_holds_the_seed(&store, 5, 24, 46);
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
}

#[test]
fn a_version_2_store_is_migrated_on_open() {
    // tests/fixtures/store-v2: the seed ingested by format version 2 (no
    // url or author on a document).
    let dir = fixture("store-v2");
    {
        let store = Store::open(dir.path()).unwrap();
        assert_holds_the_seed(&store, 5, 25, 49);
        assert_eq!(store.view().event_count(), 17);
        let view = store.view();
        assert!(view
            .documents()
            .all(|d| d.url.is_none() && d.author.is_none()));
    }
    // And the migrated store reopens as this version, unchanged.
    let store = Store::open(dir.path()).unwrap();
    let version = store.db.get(keys::format()).unwrap().unwrap();
    assert_eq!(version.as_ref(), FORMAT_VERSION.to_be_bytes());
    assert_holds_the_seed(&store, 5, 25, 49);
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
}

#[test]
fn a_version_1_store_is_migrated_on_open() {
    // tests/fixtures/store-v1: the seed ingested by format version 1 (one
    // key per relation, event and mention, on-disk edge indexes).
    let dir = fixture("store-v1");
    {
        let store = Store::open(dir.path()).unwrap();
        assert_holds_the_seed(&store, 5, 25, 47);
        assert_eq!(store.view().event_count(), 16);
        let prefixes: std::collections::BTreeSet<u8> =
            all_records(&store).iter().map(|(k, _)| k[0]).collect();
        assert_eq!(
            prefixes,
            [keys::META, keys::ACTOR, keys::DOCUMENT]
                .into_iter()
                .collect(),
            "no version 1 key is left"
        );
    }
    // And the migrated store reopens as this version, unchanged.
    let store = Store::open(dir.path()).unwrap();
    let version = store.db.get(keys::format()).unwrap().unwrap();
    assert_eq!(version.as_ref(), FORMAT_VERSION.to_be_bytes());
    assert_holds_the_seed(&store, 5, 25, 47);
}

#[test]
fn an_unknown_older_format_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.insert(keys::format(), &0u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("format version 0") && err.contains("re-ingest"),
        "{err}"
    );
}

#[test]
fn applied_documents_are_durable_after_one_flush() {
    // Given many documents applied without a flush each (group commit)
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        for i in 0..50 {
            let text = format!("Country{i} asked KFOR for help.");
            let graph = article(&format!("{i}.txt"), &text, &format!("Country{i}"), "KFOR");
            let prepared = PreparedDocument::new(graph, &text).unwrap();
            assert_eq!(store.apply_prepared(prepared).unwrap(), WriteOutcome::Added);
        }
        // When one flush covers them all
        store.flush_blocking().unwrap();
    }
    // Then all of them are there after a reopen, in one key each
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.view().document_count(), 50);
    assert_eq!(store.view().actor_count(), 51);
    let documents = all_records(&store)
        .iter()
        .filter(|(k, _)| k[0] == keys::DOCUMENT)
        .count();
    assert_eq!(documents, 50);
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn a_replaced_document_moves_to_one_new_key_and_keeps_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let first = "Serbia asked KFOR.";
    let second = "Kosovo asked EULEX.";
    let a = article("a.txt", first, "Serbia", "KFOR");
    block_on(store.put_document(&a, first)).unwrap();
    block_on(store.put_document(&article("b.txt", "x", "Serbia", "NATO"), "x")).unwrap();
    let changed = article("a.txt", second, "Kosovo", "EULEX");
    assert_eq!(
        block_on(store.put_document(&changed, second)).unwrap(),
        WriteOutcome::Replaced
    );
    let keys: Vec<Vec<u8>> = all_records(&store)
        .into_iter()
        .filter(|(k, _)| k[0] == keys::DOCUMENT)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        keys,
        vec![keys::document(1).to_vec(), keys::document(2).to_vec()]
    );
    assert_eq!(store.text(a.document.id).unwrap().as_deref(), Some(second));
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.text(a.document.id).unwrap().as_deref(), Some(second));
    assert!(
        store.view().actors_named("Serbia").len() == 1,
        "b.txt still mentions Serbia"
    );
    assert!(store.view().actors_named("KFOR").is_empty());
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn verify_reports_records_that_contradict_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let text = "Serbia asked KFOR.";
    block_on(store.put_document(&article("a.txt", text, "Serbia", "KFOR"), text)).unwrap();
    assert!(store.verify().unwrap().is_empty());

    // An actor record no document mentions, a stray key, a document whose
    // relation points at an actor without a record, and an undecodable value.
    let orphan = mention("Atlantis", ActorKind::Country, &[]).to_actor();
    store
        .db
        .insert(keys::actor(orphan.id), codec::encode(&orphan).unwrap())
        .unwrap();
    store.db.insert(b"zzz", b"?").unwrap();
    let mut dangling = article("b.txt", text, "Serbia", "KFOR");
    dangling.relations[0].object = Some(Actor::id_for_name("Nowhere"));
    store
        .db
        .insert(
            keys::document(7),
            codec::encode_document(&dangling, text).unwrap(),
        )
        .unwrap();
    store
        .db
        .insert(keys::document(8), &[1, 1, 0, 0][..])
        .unwrap();

    let problems = store.verify().unwrap().join("\n");
    for expected in [
        "is mentioned by no document",
        "unknown key",
        "which the document does not mention",
        "document key 8",
        "live view",
    ] {
        assert!(problems.contains(expected), "{expected}:\n{problems}");
    }
}

#[test]
fn a_truncated_or_corrupt_store_value_is_an_error_on_open_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        let text = "Serbia asked KFOR.";
        block_on(store.put_document(&article("a.txt", text, "Serbia", "KFOR"), text)).unwrap();
        let (key, value) = all_records(&store)
            .into_iter()
            .find(|(k, _)| k[0] == keys::DOCUMENT)
            .unwrap();
        store.db.insert(key, &value[..value.len() / 2]).unwrap();
        store.db.flush().unwrap();
    }
    let err = Store::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("unreadable"), "{err}");
}

mod dump {
    use super::*;
    use crate::backup::{restore, MAGIC};

    fn seed_store() -> (tempfile::TempDir, Store) {
        let dir = fixture("store-v4");
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    fn dump_of(store: &Store) -> Vec<u8> {
        let mut out = Vec::new();
        let summary = store.backup(&mut out).unwrap();
        assert_eq!(summary.records as usize, all_records(store).len());
        out
    }

    #[test]
    fn a_dump_round_trips_every_key_and_value_exactly() {
        let (_dir, store) = seed_store();
        let dump = dump_of(&store);
        assert_eq!(dump[..8], MAGIC);
        let target = tempfile::tempdir().unwrap();
        let new = target.path().join("restored");
        let summary = restore(dump.as_slice(), &new).unwrap();
        assert_eq!(summary.format_version, FORMAT_VERSION);
        let restored = Store::open(&new).unwrap();
        assert_eq!(all_records(&restored), all_records(&store));
        assert_holds_the_seed(&restored, 5, 24, 46);
        // And the restored store dumps to the same bytes.
        assert_eq!(dump_of(&restored), dump);
    }

    #[test]
    fn a_corrupt_dump_is_refused_and_leaves_nothing_behind() {
        let (_dir, store) = seed_store();
        let dump = dump_of(&store);
        let target = tempfile::tempdir().unwrap();
        let new = target.path().join("restored");
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("empty", Vec::new(), "truncated"),
            (
                "not a dump",
                b"hello world, this is not a dump".to_vec(),
                "not a newsgraph dump",
            ),
            (
                "flipped bit in a record",
                {
                    let mut d = dump.clone();
                    let at = d.len() / 2;
                    d[at] ^= 0x10;
                    d
                },
                "corrupt",
            ),
            (
                "truncated mid-record",
                dump[..dump.len() / 2].to_vec(),
                "truncated",
            ),
            ("no trailer", dump[..dump.len() - 25].to_vec(), "truncated"),
            (
                "garbage after the trailer",
                {
                    let mut d = dump.clone();
                    d.push(0);
                    d
                },
                "after its trailer",
            ),
        ];
        for (what, bytes, message) in cases {
            let err = restore(bytes.as_slice(), &new).unwrap_err().to_string();
            assert!(err.contains(message), "{what}: {err}");
            assert!(
                !new.exists(),
                "{what}: a refused dump left '{}'",
                new.display()
            );
            let leftovers: Vec<_> = std::fs::read_dir(target.path()).unwrap().collect();
            assert!(leftovers.is_empty(), "{what}: staging left behind");
        }
    }

    #[test]
    fn a_dropped_record_is_caught_by_the_trailer() {
        let (_dir, store) = seed_store();
        let dump = dump_of(&store);
        // Cut the first record out whole: every remaining record is intact.
        let key_len = u32::from_be_bytes(dump[21..25].try_into().unwrap()) as usize;
        let value_len = u32::from_be_bytes(dump[25..29].try_into().unwrap()) as usize;
        let record_end = 20 + 9 + key_len + value_len + 4;
        let mut cut = dump[..20].to_vec();
        cut.extend_from_slice(&dump[record_end..]);
        let target = tempfile::tempdir().unwrap();
        let err = restore(cut.as_slice(), &target.path().join("new"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("incomplete"), "{err}");
    }

    #[test]
    fn restore_never_writes_into_a_non_empty_directory() {
        let (dir, store) = seed_store();
        let dump = dump_of(&store);
        let err = restore(dump.as_slice(), dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("not empty"), "{err}");
        // An empty directory is fine.
        let empty = tempfile::tempdir().unwrap();
        restore(dump.as_slice(), empty.path()).unwrap();
        assert_eq!(
            Store::open(empty.path()).unwrap().view().document_count(),
            5
        );
    }

    #[test]
    fn a_dump_of_a_newer_format_is_refused() {
        let (_dir, store) = seed_store();
        let mut dump = dump_of(&store);
        dump[12..16].copy_from_slice(&(FORMAT_VERSION + 1).to_be_bytes());
        let crc = crc32fast::hash(&dump[..16]);
        dump[16..20].copy_from_slice(&crc.to_be_bytes());
        let target = tempfile::tempdir().unwrap();
        let err = restore(dump.as_slice(), &target.path().join("new"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("newer newsgraph"), "{err}");
    }
}

/// A tiny deterministic generator for the randomised tests.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % n
    }
}

const POOL: [&str; 7] = ["Serbia", "Kosovo", "NATO", "KFOR", "EU", "Russia", "UN"];

/// An article over some actors of `POOL` with `n` relations of random
/// kinds between random pairs (self-relations and object-less ones too).
fn random_article(file: &str, version: usize, n: usize, rng: &mut Lcg) -> DocumentGraph {
    let id = Document::id_for_file(file);
    let text = format!("{file} version {version}");
    let names: Vec<&str> = (0..3 + rng.below(3))
        .map(|_| POOL[rng.below(POOL.len())])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mentions: Vec<Mention> = names
        .iter()
        .map(|n| mention(n, ActorKind::Organization, &[]))
        .collect();
    let relations = (0..n)
        .map(|i| {
            let subject = mentions[rng.below(mentions.len())].actor;
            let object = match rng.below(5) {
                0 => None,
                _ => Some(mentions[rng.below(mentions.len())].actor),
            };
            Relation {
                id: RelationId(id.0.wrapping_add(1 + i as u64 * 7_919)),
                kind: RelationKind::ALL[rng.below(3)],
                subject,
                object,
                event: None,
                document: id,
                evidence: Evidence {
                    sentence: text.clone(),
                    span: Span {
                        start: 0,
                        end: text.len() as u32,
                    },
                },
                quote: None,
                confidence: newsgraph_model::Confidence::from_hundredths(rng.below(101) as u8),
            }
        })
        .collect();
    DocumentGraph {
        document: Document {
            id,
            file: file.into(),
            title: text.clone(),
            source: None,
            published: None,
            sha256: content_sha256(&text),
            bytes: text.len() as u64,
            url: None,
            author: None,
        },
        mentions,
        events: Vec::new(),
        relations,
    }
}

/// Hop distance between two actors over relations with objects, by a
/// plain breadth-first search over every relation.
fn brute_distance(view: &GraphView, from: ActorId, to: ActorId) -> Option<usize> {
    let mut dist = BTreeMap::from([(from, 0usize)]);
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            return dist.get(&at).copied();
        }
        let d = dist[&at];
        for r in view.relations() {
            let Some(o) = r.object else { continue };
            let next = if r.subject == at {
                o
            } else if o == at {
                r.subject
            } else {
                continue;
            };
            if let std::collections::btree_map::Entry::Vacant(e) = dist.entry(next) {
                e.insert(d + 1);
                queue.push_back(next);
            }
        }
    }
    None
}

/// What the traversal and listing answers are for every actor (pair).
fn answers(view: &GraphView) -> Vec<String> {
    let ids: Vec<ActorId> = POOL.iter().map(|n| Actor::id_for_name(n)).collect();
    let mut out = Vec::new();
    for a in &ids {
        let rels: Vec<RelationId> = view
            .actor_relations(*a, EdgeDirection::Both, None)
            .iter()
            .map(|r| r.id)
            .collect();
        let neighbors: Vec<ActorId> = view.neighbors(*a, None).iter().map(|x| x.id).collect();
        let hood = view.neighborhood(*a, 2, &[RelationKind::Said], 1000);
        // A scan-bounded search answers the same or gives up; it gives up
        // only when it would read more neighbour entries than allowed.
        for max_scan in [0, 1, 3, 8, usize::MAX] {
            match view.neighborhood_within(*a, 2, &[RelationKind::Said], 1000, max_scan) {
                Some(within) => {
                    assert_eq!(within.hops, hood.hops);
                    assert_eq!(within.relations_per_hop, hood.relations_per_hop);
                    assert_eq!(within.truncated, hood.truncated);
                }
                None => assert!(
                    max_scan < usize::MAX && !view.neighbors(*a, None).is_empty(),
                    "gave up at {max_scan} on an actor without neighbours"
                ),
            }
        }
        // Over every kind, a neighbourhood reads only where neighbours
        // lead (NeighborList's node indices): it answers as one that names
        // the three kinds, which reads every entry's counts, whatever the
        // budget.
        for budget in [1, 2, 3, 1000] {
            let all = view.neighborhood(*a, 2, &[], budget);
            let named = view.neighborhood(*a, 2, &RelationKind::ALL, budget);
            assert_eq!(all.hops, named.hops, "budget {budget}");
            assert_eq!(all.relations_per_hop, named.relations_per_hop);
            assert_eq!(all.truncated, named.truncated, "budget {budget}");
        }
        // And its hops are the actors at distance 1 and 2, its first
        // count the relations linking the actor to another.
        let all = view.neighborhood(*a, 2, &[], 1000);
        for (hop, actors) in all.hops.iter().enumerate() {
            let mut found = actors.clone();
            found.sort_unstable();
            let expected: Vec<ActorId> = ids
                .iter()
                .copied()
                .filter(|b| brute_distance(view, *a, *b) == Some(hop + 1))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            assert_eq!(found, expected, "hop {}", hop + 1);
        }
        let linking = view
            .relations()
            .filter(|r| {
                r.object
                    .is_some_and(|o| o != r.subject && (r.subject == *a || o == *a))
            })
            .count();
        assert_eq!(all.relations_per_hop.first().copied().unwrap_or(0), linking);
        out.push(format!(
            "{a} {rels:?} {neighbors:?} {:?} {:?} {:?} {:?}",
            hood.hops, hood.relations_per_hop, all.hops, all.relations_per_hop
        ));
        for b in &ids {
            let path: Option<Vec<RelationId>> = view
                .shortest_path(*a, *b, 6, 1000)
                .map(|p| p.iter().map(|r| r.id).collect());
            out.push(format!("{a}->{b} {path:?}"));
        }
    }
    out
}

#[test]
fn the_view_indexes_agree_with_the_relations_through_random_edits_and_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut rng = Lcg(42);
    for step in 0..120 {
        let file = format!("a{}.txt", rng.below(12));
        if rng.below(4) == 0 {
            block_on(store.delete_document(Document::id_for_file(&file))).unwrap();
        } else {
            let graph = random_article(&file, step, rng.below(6), &mut rng);
            let text = graph.document.title.clone();
            block_on(store.put_document(&graph, &text)).unwrap();
        }
        let view = store.view();
        assert_eq!(view.check_invariants(), Vec::<String>::new(), "step {step}");
        // Every page of an actor's relations is the filtered id-ordered list
        for name in POOL {
            let a = Actor::id_for_name(name);
            for direction in [EdgeDirection::Out, EdgeDirection::In, EdgeDirection::Both] {
                let mut expected: Vec<RelationId> = view
                    .relations()
                    .filter(|r| direction.admits(a, r))
                    .map(|r| r.id)
                    .collect();
                expected.sort();
                let listed: Vec<RelationId> = view
                    .actor_relations(a, direction, None)
                    .iter()
                    .map(|r| r.id)
                    .collect();
                assert_eq!(listed, expected, "step {step}");
                if let Some(mid) = expected.get(expected.len() / 2) {
                    let after: Vec<RelationId> = view
                        .actor_relations_after(a, direction, Some(*mid))
                        .map(|r| r.id)
                        .collect();
                    assert_eq!(after, expected[expected.len() / 2 + 1..], "step {step}");
                }
            }
            // Shortest paths are as long as a brute-force search says, and chains
            for name_b in POOL {
                let b = Actor::id_for_name(name_b);
                let path = view.shortest_path(a, b, 6, 1000);
                let expected = if view.actor(a).is_some() && view.actor(b).is_some() {
                    brute_distance(&view, a, b)
                } else {
                    None
                };
                assert_eq!(
                    path.as_ref().map(Vec::len),
                    expected,
                    "step {step}: {name}->{name_b}"
                );
                if let Some(path) = path {
                    let mut at = a;
                    for r in path {
                        at = if r.subject == at {
                            r.object.unwrap()
                        } else {
                            r.subject
                        };
                    }
                    assert_eq!(at, b, "step {step}: the path is a chain");
                }
            }
        }
    }
    let live = answers(&store.view());
    drop(store);
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.view().check_invariants(), Vec::<String>::new());
    assert_eq!(
        answers(&reopened.view()),
        live,
        "the rebuilt view answers as the live one"
    );
}

#[test]
fn a_relation_id_stored_twice_is_indexed_once_under_its_last_actors_after_a_reopen() {
    // Given two documents whose relations share an id (a store written by a
    // buggy or foreign writer), with different actors
    let dir = tempfile::tempdir().unwrap();
    let text = "Serbia asked KFOR.";
    let first = article("a.txt", text, "Serbia", "KFOR");
    let mut second = article("b.txt", text, "Kosovo", "NATO");
    second.relations[0].id = first.relations[0].id;
    {
        let store = Store::open(dir.path()).unwrap();
        block_on(store.put_document(&first, text)).unwrap();
        block_on(store.put_document(&second, text)).unwrap();
    }

    // When the store is reopened (the view rebuilt from the records)
    let store = Store::open(dir.path()).unwrap();
    let view = store.view();

    // Then the last written copy is the relation, indexed under its own
    // actors only, once each
    let id = first.relations[0].id;
    assert_eq!(
        view.relation(id).map(|r| r.subject),
        Some(Actor::id_for_name("Kosovo"))
    );
    let ids_of = |name: &str| -> Vec<RelationId> {
        view.actor_relations(Actor::id_for_name(name), EdgeDirection::Both, None)
            .iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids_of("Kosovo"), vec![id]);
    assert_eq!(ids_of("NATO"), vec![id]);
    assert!(ids_of("Serbia").is_empty() && ids_of("KFOR").is_empty());
    assert_eq!(view.relation_count(), 1);
}
