//! Argument checks (ids, dates) and the lists that filter, sort and page:
//! relations (read from the index the graph chooses), documents, actors.

use std::sync::Arc;

use async_graphql::Result;
use newsgraph_model as model;
use newsgraph_model::read::{EdgeDirection, Graph, GraphRead, RelationFilter};
use newsgraph_model::{fold, Confidence, RelationKind as ModelRelationKind};

use super::*;
use crate::error::{error, ErrorCode};

pub(crate) fn parse_id<T: std::str::FromStr>(id: &str, what: &str) -> Result<T> {
    id.parse().map_err(|_| {
        error(
            ErrorCode::BadUserInput,
            format!("'{id}' is not a {what} id"),
        )
    })
}

/// The sort key of a relation in the order `sort`.
pub(crate) fn relation_key(sort: RelationSort, graph: &dyn Graph, r: &model::Relation) -> String {
    let date = || {
        graph
            .document(r.document)
            .and_then(|d| d.published.as_deref())
    };
    match sort {
        RelationSort::Id => id_key(r.id.0),
        RelationSort::DateAsc => format!("{}:{}", date_key(date(), false), r.id),
        RelationSort::DateDesc => format!("{}:{}", date_key(date(), true), r.id),
    }
}

/// Validates a `minConfidence` argument: a number from 0 to 1.
pub(crate) fn parse_confidence(min: Option<f64>) -> Result<Option<Confidence>> {
    match min {
        None => Ok(None),
        Some(c) if (0.0..=1.0).contains(&c) => Ok(Confidence::from_score(c)),
        Some(c) => Err(error(
            ErrorCode::BadUserInput,
            format!("minConfidence must be a number from 0 to 1, not {c}"),
        )),
    }
}

/// Validates a YYYY-MM-DD date argument.
pub(crate) fn parse_date(date: Option<String>, name: &str) -> Result<Option<String>> {
    match date {
        None => Ok(None),
        Some(d) => {
            let ok = d.len() == 10
                && d.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                })
                && is_calendar_date(&d);
            if ok {
                Ok(Some(d))
            } else {
                Err(error(
                    ErrorCode::BadUserInput,
                    format!("{name} must be a date like 2022-12-18, not '{d}'"),
                ))
            }
        }
    }
}

/// Whether a YYYY-MM-DD string (digits already checked) names a real day:
/// "2022-99-99" and "2023-02-30" are refused, not silently matched.
pub(crate) fn is_calendar_date(d: &str) -> bool {
    let field = |range: std::ops::Range<usize>| d.get(range).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (field(0..4), field(5..7), field(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A page of the relations that pass `filter`, in the order `sort`.
///
/// In id order (the default) the page is read straight from the index the
/// graph chooses for the filter: it costs what it reads, however many
/// relations the index holds, and `totalCount` is counted only when
/// asked. Other orders sort every relation that passes.
pub(crate) fn relations_of(
    view: &GraphRead<'_>,
    filter: RelationFilter,
    sort: RelationSort,
    first: Option<i32>,
    after: Option<String>,
) -> Result<RelationConnection> {
    if sort != RelationSort::Id {
        let all: Vec<&model::Relation> = view.relations_matching(&filter, None).collect();
        let page = paginate(all, |r| relation_key(sort, &**view, r), first, after)?;
        return Ok(RelationConnection::from_page(page, |r| Relation(r.clone())));
    }
    let first = page_size(first)?;
    let after = after.map(|c| relation_cursor(&c)).transpose()?;
    let mut kept: Vec<&model::Relation> = view
        .relations_matching(&filter, after)
        .take(first + 1)
        .collect();
    let has_next_page = kept.len() > first;
    kept.truncate(first);
    let edges: Vec<RelationEdge> = kept
        .into_iter()
        .map(|r| RelationEdge {
            cursor: Cursor::Id(r.id.0),
            node: Relation(r.clone()),
        })
        .collect();
    let end_cursor = edges.last().map(|e| e.cursor.encode());
    let count = move |view: &GraphRead<'_>| view.relations_matching(&filter, None).count();
    Ok(RelationConnection {
        edges,
        page_info: PageInfo {
            has_next_page,
            end_cursor,
        },
        total: Total::Count(Box::new(count)),
    })
}

/// Which of an actor's relations a list field holds: its arguments.
pub(crate) struct RelationArgs {
    pub direction: EdgeDirection,
    pub kinds: Vec<ModelRelationKind>,
    /// The other side, by name, alias or id.
    pub counterpart: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub search: Option<String>,
    pub min_confidence: Option<f64>,
    pub sort: Option<RelationSort>,
}

impl RelationArgs {
    /// Relations of one kind in one direction, with no other condition.
    pub(crate) fn of(direction: EdgeDirection, kind: ModelRelationKind) -> RelationArgs {
        RelationArgs {
            direction,
            kinds: vec![kind],
            counterpart: None,
            since: None,
            until: None,
            search: None,
            min_confidence: None,
            sort: None,
        }
    }
}

/// Where a page starts and how long it is: a list field's `first` and
/// `after`.
pub(crate) struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
}

/// A date range from `since` and `until` arguments (YYYY-MM-DD, checked).
pub(crate) struct DateRange {
    since: Option<String>,
    until: Option<String>,
}

impl DateRange {
    /// The range the arguments give; BAD_USER_INPUT for a malformed date.
    pub(crate) fn parse(since: Option<String>, until: Option<String>) -> Result<DateRange> {
        Ok(DateRange {
            since: parse_date(since, "since")?,
            until: parse_date(until, "until")?,
        })
    }

    /// Whether an item of this date passes: any item when the range is
    /// open at both ends, else only a dated item within it.
    pub(crate) fn admits(&self, date: Option<&str>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        date.is_some_and(|d| {
            self.since.as_deref().is_none_or(|s| d >= s)
                && self.until.as_deref().is_none_or(|u| d <= u)
        })
    }
}

/// Which documents a list field holds, and their order: its arguments.
pub(crate) struct DocumentArgs {
    pub since: Option<String>,
    pub until: Option<String>,
    /// Text in the title or file name.
    pub search: Option<String>,
    pub sort: Option<DocumentSort>,
}

/// Pages documents with date filters, text search on titles and sort.
pub(crate) fn document_page(
    docs: Vec<&model::Document>,
    args: DocumentArgs,
    page: PageArgs,
) -> Result<DocumentConnection> {
    let DocumentArgs {
        since,
        until,
        search,
        sort,
    } = args;
    let (first, after) = (page.first, page.after);
    let dates = DateRange::parse(since, until)?;
    let needle = search.as_deref().map(fold);
    let kept: Vec<&model::Document> = docs
        .into_iter()
        .filter(|d| dates.admits(d.published.as_deref()))
        .filter(|d| {
            needle.as_ref().is_none_or(|n| {
                fold(&d.title).contains(n.as_str()) || fold(&d.file).contains(n.as_str())
            })
        })
        .collect();
    let sort = sort.unwrap_or_default();
    let page = paginate(
        kept,
        |d| match sort {
            DocumentSort::Id => id_key(d.id.0),
            DocumentSort::DateDesc => {
                format!("{}:{}", date_key(d.published.as_deref(), true), d.id)
            }
            DocumentSort::DateAsc => {
                format!("{}:{}", date_key(d.published.as_deref(), false), d.id)
            }
            DocumentSort::File => format!("{}\0{}", d.file, d.id),
        },
        first,
        after,
    )?;
    Ok(DocumentConnection::from_page(page, |d| Document(d.clone())))
}

/// Pages actors with search, kind filter and sort.
pub(crate) fn actor_page(
    view: &dyn Graph,
    actors: Vec<&Arc<model::Actor>>,
    sort: Option<ActorSort>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<ActorConnection> {
    let sort = sort.unwrap_or_default();
    let page = paginate(
        actors,
        |a| match sort {
            ActorSort::Id => id_key(a.id.0),
            // NUL sorts before any character of a name, so that "Kosovo"
            // comes before "Kosovo police" (a ':' would sort after the space).
            ActorSort::Name => format!("{}\0{}", fold(&a.name), a.id),
            ActorSort::Degree => format!(
                "{:012}:{}",
                u32::MAX as usize - view.degree(a.id).min(u32::MAX as usize),
                a.id
            ),
        },
        first,
        after,
    )?;
    Ok(ActorConnection::from_page(page, |a| Actor(a.clone())))
}
