//! Corroboration: how many documents and outlets support the same
//! (subject, kind, object) triple, on one relation (`Relation.corroboration`)
//! and as grouped views of the graph (`relationGroups`, `RelationGroup`).
//!
//! A group is every relation with one subject, one kind and one object
//! (or none: "X said" without an addressee is its own group). Its
//! `documentCount` is the number of distinct documents among them; its
//! `sourceCount` the number of distinct outlets, by the documents'
//! `source` (case- and diacritic-insensitively), a document without a
//! source counting as an outlet of its own: two unsourced documents may
//! be one outlet, but nothing says so.

use std::collections::{BTreeMap, HashMap, HashSet};

use async_graphql::{Context, Object, Result, SimpleObject};
use newsgraph_model as model;
use newsgraph_model::read::{EdgeDirection, Graph};
use newsgraph_model::{fold, ActorId, DocumentId};

use super::*;

/// How many distinct documents and outlets support a relation's
/// (subject, kind, object) triple in the whole graph.
#[derive(SimpleObject, Clone, Copy, Debug)]
#[graphql(serial)]
pub struct Corroboration {
    /// Distinct documents with a relation of the same subject, kind and
    /// object (this relation's included).
    pub document_count: i64,
    /// Distinct outlets among those documents (by `Document.source`; a
    /// document without a source counts as one outlet of its own).
    pub source_count: i64,
}

/// The outlet a document counts as: its folded source, or itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Outlet {
    Named(String),
    Unnamed(DocumentId),
}

fn outlet_of(graph: &dyn Graph, document: DocumentId) -> Outlet {
    match graph.document(document).and_then(|d| d.source.as_deref()) {
        Some(source) if !source.trim().is_empty() => Outlet::Named(fold(source.trim())),
        _ => Outlet::Unnamed(document),
    }
}

/// Every relation of `r`'s group (same subject, kind and object), in id
/// order.
pub(crate) fn group_of<'a>(graph: &'a dyn Graph, r: &model::Relation) -> Vec<&'a model::Relation> {
    graph
        .actor_relations(r.subject, EdgeDirection::Out, Some(r.kind))
        .into_iter()
        .filter(|other| other.object == r.object)
        .collect()
}

/// Counts the documents and outlets of a group.
pub(crate) fn corroboration(graph: &dyn Graph, group: &[&model::Relation]) -> Corroboration {
    count_outlets(group, |d| outlet_of(graph, d))
}

/// Counts the documents of a group and their outlets, as `outlet` names
/// them.
fn count_outlets<K: std::hash::Hash + Eq>(
    group: &[&model::Relation],
    mut outlet: impl FnMut(DocumentId) -> K,
) -> Corroboration {
    let documents: HashSet<DocumentId> = group.iter().map(|r| r.document).collect();
    let outlets: HashSet<K> = documents.iter().map(|d| outlet(*d)).collect();
    Corroboration {
        document_count: documents.len() as i64,
        source_count: outlets.len() as i64,
    }
}

/// The relations of one (subject, kind, object) triple that a
/// `relationGroups` filter kept.
#[derive(Clone, Debug)]
pub struct RelationGroup {
    subject: ActorId,
    kind: model::RelationKind,
    object: Option<ActorId>,
    /// In id order.
    relations: Vec<model::Relation>,
    counts: Corroboration,
    earliest: Option<String>,
    latest: Option<String>,
}

/// A group before it is paged: its relations borrowed from the view.
struct Gathered<'a> {
    relations: Vec<&'a model::Relation>,
    counts: Corroboration,
}

impl<'a> Gathered<'a> {
    /// A group of relations that share subject, kind and object (at least
    /// one).
    fn of(relations: Vec<&'a model::Relation>, counts: Corroboration) -> Gathered<'a> {
        Gathered { relations, counts }
    }

    /// The sort key of the default order: most documents first, then most
    /// outlets, then subject, kind and object ids (so that a cursor is
    /// stable).
    fn key(&self) -> String {
        let Some(r) = self.relations.first() else {
            return String::new();
        };
        format!(
            "{:010}:{:010}:{}:{}:{}",
            i64::from(u32::MAX) - self.counts.document_count,
            i64::from(u32::MAX) - self.counts.source_count,
            id_key(r.subject.0),
            r.kind.as_str(),
            r.object.map_or_else(|| "-".to_owned(), |o| id_key(o.0)),
        )
    }

    /// The group as the API shows it (only for the groups of a page).
    fn group(self, graph: &dyn Graph) -> RelationGroup {
        let dates: Vec<&str> = self
            .relations
            .iter()
            .filter_map(|r| graph.document(r.document)?.published.as_deref())
            .collect();
        let first = self.relations.first();
        RelationGroup {
            subject: first.map_or(ActorId(0), |r| r.subject),
            kind: first.map_or(model::RelationKind::Said, |r| r.kind),
            object: first.and_then(|r| r.object),
            earliest: dates.iter().min().map(|d| d.to_string()),
            latest: dates.iter().max().map(|d| d.to_string()),
            counts: self.counts,
            relations: self.relations.into_iter().cloned().collect(),
        }
    }
}

/// One outlet's evidence in a group: its earliest relation.
#[derive(Clone, Debug)]
pub struct SourceEvidence {
    source: Option<String>,
    relation: Relation,
}

#[Object(serial)]
impl SourceEvidence {
    /// The outlet, as its first document names it (null: a document
    /// without a source, counted as an outlet of its own).
    async fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    /// The supporting sentence of the outlet's earliest relation.
    async fn sentence(&self, ctx: &Context<'_>) -> Result<String> {
        ports(ctx)?
            .graph
            .sentence(&self.relation.0)
            .map_err(|e| internal("reading an evidence sentence", e))
    }
    /// The document it comes from.
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<Document>> {
        Ok(reader(ctx)?
            .document(self.relation.0.document)
            .cloned()
            .map(Document))
    }
    /// The relation itself (its quote, event, confidence).
    async fn relation(&self) -> &Relation {
        &self.relation
    }
}

#[Object(serial)]
impl RelationGroup {
    /// Who said, requested or rejected.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        Ok(reader(ctx)?.actor(self.subject).cloned().map(Actor))
    }
    /// What the relations assert.
    async fn kind(&self) -> RelationKind {
        self.kind.into()
    }
    /// Whom they address (null: relations without an addressee).
    async fn object(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        let view = reader(ctx)?;
        Ok(self.object.and_then(|o| view.actor(o)).cloned().map(Actor))
    }
    /// Distinct documents among the group's relations.
    async fn document_count(&self) -> i64 {
        self.counts.document_count
    }
    /// Distinct outlets among those documents (see `Corroboration`).
    async fn source_count(&self) -> i64 {
        self.counts.source_count
    }
    /// How many relations the group holds (a document may hold several).
    async fn relation_count(&self) -> i64 {
        self.relations.len() as i64
    }
    /// The earliest publication date among its documents (YYYY-MM-DD).
    async fn earliest(&self) -> Option<&str> {
        self.earliest.as_deref()
    }
    /// The latest publication date among its documents.
    async fn latest(&self) -> Option<&str> {
        self.latest.as_deref()
    }
    /// The highest confidence among its relations, from 0 to 1.
    async fn confidence(&self) -> f64 {
        self.relations
            .iter()
            .map(|r| r.confidence)
            .max()
            .unwrap_or_default()
            .score()
    }
    /// Evidence from each outlet: its earliest relation (by publication
    /// date, then id), outlets in the order of that date.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Vec<SourceEvidence>> {
        let view = reader(ctx)?;
        let dated = |r: &model::Relation| {
            let date = view.document(r.document).and_then(|d| d.published.clone());
            (date.is_none(), date, r.id)
        };
        let mut first: BTreeMap<Outlet, &model::Relation> = BTreeMap::new();
        for r in &self.relations {
            let outlet = outlet_of(&**view, r.document);
            match first.get(&outlet) {
                Some(kept) if dated(kept) <= dated(r) => {}
                _ => {
                    first.insert(outlet, r);
                }
            }
        }
        let mut evidence: Vec<&model::Relation> = first.into_values().collect();
        evidence.sort_by_key(|r| dated(r));
        Ok(evidence
            .into_iter()
            .map(|r| SourceEvidence {
                source: view.document(r.document).and_then(|d| d.source.clone()),
                relation: Relation(r.clone()),
            })
            .collect())
    }
    /// The group's relations, in id order.
    async fn relations(
        &self,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let items: Vec<&model::Relation> = self.relations.iter().collect();
        let page = paginate(items, |r| id_key(r.id.0), first, after)?;
        Ok(RelationConnection::from_page(page, |r| Relation(r.clone())))
    }
}

/// The groups of the relations `relations` (those a filter kept), with at
/// least `min_documents` documents each, paged in the default order.
pub(crate) fn group_page<'a>(
    graph: &dyn Graph,
    relations: impl Iterator<Item = &'a model::Relation>,
    min_documents: usize,
    first: Option<i32>,
    after: Option<String>,
) -> Result<RelationGroupConnection> {
    type Triple = (ActorId, model::RelationKind, Option<ActorId>);
    let mut by_triple: BTreeMap<Triple, Vec<&model::Relation>> = BTreeMap::new();
    for r in relations {
        by_triple
            .entry((r.subject, r.kind, r.object))
            .or_default()
            .push(r);
    }
    let mut numbers: HashMap<Outlet, usize> = HashMap::new();
    let mut outlet_at: HashMap<DocumentId, usize> = HashMap::new();
    let groups: Vec<Gathered<'_>> = by_triple
        .into_values()
        .map(|rs| {
            // Many groups share documents: each document's outlet is
            // folded once and numbered.
            let counts = count_outlets(&rs, |d| {
                *outlet_at.entry(d).or_insert_with(|| {
                    let next = numbers.len();
                    *numbers.entry(outlet_of(graph, d)).or_insert(next)
                })
            });
            Gathered::of(rs, counts)
        })
        .filter(|g| g.counts.document_count as usize >= min_documents)
        .collect();
    let page = paginate(groups, Gathered::key, first, after)?;
    Ok(RelationGroupConnection::from_page(page, |g| g.group(graph)))
}
