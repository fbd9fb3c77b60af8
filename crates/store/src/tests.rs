use super::*;
use newsgraph_model::{content_sha256, ActorKind, EventId, Evidence, RelationKind, Span};

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
    assert_eq!(out[0].evidence.sentence, text);
    let kfor = Actor::id_for_name("KFOR");
    assert_eq!(view.actor_relations(kfor, EdgeDirection::In, None).len(), 1);
    assert_eq!(
        store.text(graph.document.id).unwrap().as_deref(),
        Some(text)
    );
    assert!(store.verify().unwrap().is_empty());
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
