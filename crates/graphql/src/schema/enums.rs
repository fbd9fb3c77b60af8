//! The GraphQL enums, and their counterparts in the model.

use async_graphql::Enum;
use newsgraph_model as model;
use newsgraph_model::read::EdgeDirection;
use newsgraph_model::RelationKind as ModelRelationKind;

/// What kind of participant an actor is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ActorKind {
    /// A named person.
    Person,
    /// An organization, institution, company, party or body.
    Organization,
    /// A country or its government.
    Country,
    /// A collective of people.
    Group,
}

impl From<model::ActorKind> for ActorKind {
    fn from(k: model::ActorKind) -> Self {
        match k {
            model::ActorKind::Person => ActorKind::Person,
            model::ActorKind::Organization => ActorKind::Organization,
            model::ActorKind::Country => ActorKind::Country,
            model::ActorKind::Group => ActorKind::Group,
        }
    }
}

impl From<ActorKind> for model::ActorKind {
    fn from(k: ActorKind) -> Self {
        match k {
            ActorKind::Person => model::ActorKind::Person,
            ActorKind::Organization => model::ActorKind::Organization,
            ActorKind::Country => model::ActorKind::Country,
            ActorKind::Group => model::ActorKind::Group,
        }
    }
}

/// What a relation asserts about its subject.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RelationKind {
    /// The subject made a public statement.
    Said,
    /// The subject asked, urged or demanded something of the object.
    Requested,
    /// The subject refused, rejected or opposed something of the object.
    Rejected,
}

impl From<ModelRelationKind> for RelationKind {
    fn from(k: ModelRelationKind) -> Self {
        match k {
            ModelRelationKind::Said => RelationKind::Said,
            ModelRelationKind::Requested => RelationKind::Requested,
            ModelRelationKind::Rejected => RelationKind::Rejected,
        }
    }
}

impl From<RelationKind> for ModelRelationKind {
    fn from(k: RelationKind) -> Self {
        match k {
            RelationKind::Said => ModelRelationKind::Said,
            RelationKind::Requested => ModelRelationKind::Requested,
            RelationKind::Rejected => ModelRelationKind::Rejected,
        }
    }
}

/// Which of an actor's relations to follow.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Direction {
    /// Relations the actor is the subject of.
    Out,
    /// Relations the actor is the object of.
    In,
    /// Both.
    Both,
}

impl From<Direction> for EdgeDirection {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Out => EdgeDirection::Out,
            Direction::In => EdgeDirection::In,
            Direction::Both => EdgeDirection::Both,
        }
    }
}

/// Order of a list of relations.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum RelationSort {
    /// By id: stable, the default.
    #[default]
    Id,
    /// By the publication date of the supporting document, oldest first
    /// (undated last).
    DateAsc,
    /// By publication date, newest first (undated last).
    DateDesc,
}

/// Order of a list of actors.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ActorSort {
    /// By id: stable, the default.
    #[default]
    Id,
    /// By name, case- and diacritic-insensitively.
    Name,
    /// By number of relations, most first.
    Degree,
}

/// Order of a list of documents.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum DocumentSort {
    /// By id: stable, the default.
    #[default]
    Id,
    /// By publication date, newest first (undated last).
    DateDesc,
    /// By publication date, oldest first (undated last).
    DateAsc,
    /// By file name.
    File,
}

/// What an ingest did with the article.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum IngestOutcome {
    /// A new document was added.
    Added,
    /// The document (same file) was replaced by the new content.
    Replaced,
    /// The same content was already stored; nothing changed.
    Unchanged,
}
