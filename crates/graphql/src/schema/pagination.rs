//! Page sizes, cursors, pages and the connection types.

use async_graphql::{Context, Object, Result, SimpleObject};
use newsgraph_model::read::GraphRead;
use newsgraph_model::RelationId;

use super::*;
use crate::error::{error, ErrorCode};
use crate::serial::Serial;

/// Largest `first` a list accepts.
pub const MAX_FIRST: usize = 1000;
/// `first` when none is given.
pub const DEFAULT_FIRST: usize = 50;

pub(crate) fn page_size(first: Option<i32>) -> Result<usize> {
    match first {
        None => Ok(DEFAULT_FIRST),
        Some(n) if n < 0 => Err(error(ErrorCode::BadUserInput, "first must not be negative")),
        Some(n) if n as usize > MAX_FIRST => Err(error(
            ErrorCode::LimitExceeded,
            format!("first is {n}; at most {MAX_FIRST} items per page"),
        )),
        Some(n) => Ok(n as usize),
    }
}

/// Pagination info of a connection.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(serial)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Cursor of the last item of this page (pass as `after`).
    pub end_cursor: Option<String>,
}

/// Where an item sits in its list: its cursor, encoded only when a query
/// asks for it (most front-ends read `nodes` and `pageInfo.endCursor`, so
/// most items never need one).
pub(crate) enum Cursor {
    /// The item's sort key.
    Key(String),
    /// The id of an item of a list in id order.
    Id(u64),
}

impl Cursor {
    /// The opaque cursor string.
    pub(crate) fn encode(&self) -> String {
        match self {
            Cursor::Key(key) => encode_cursor(key),
            Cursor::Id(id) => encode_cursor(&id_key(*id)),
        }
    }
}

/// One page: items with their cursors, the page info, the total count.
pub(crate) struct Page<T> {
    pub items: Vec<(Cursor, T)>,
    pub info: PageInfo,
    pub total: usize,
}

/// Sorts `items` by `key` and slices the page after the `after` cursor.
/// Keys must be unique (they end with the item's id), so cursors are
/// stable while the data does not change.
pub(crate) fn paginate<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Page<T>> {
    let first = page_size(first)?;
    let total = items.len();
    let mut keyed: Vec<(String, T)> = items.into_iter().map(|i| (key(&i), i)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let start = match after {
        None => 0,
        Some(cursor) => {
            let decoded = decode_cursor(&cursor)?;
            keyed.partition_point(|(k, _)| *k <= decoded)
        }
    };
    let mut items: Vec<(Cursor, T)> = keyed
        .into_iter()
        .skip(start)
        .take(first + 1)
        .map(|(k, i)| (Cursor::Key(k), i))
        .collect();
    let has_next_page = items.len() > first;
    items.truncate(first);
    let end_cursor = items.last().map(|(c, _)| c.encode());
    Ok(Page {
        items,
        info: PageInfo {
            has_next_page,
            end_cursor,
        },
        total,
    })
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// An id as the 16 hex digits its `Display` writes, without the `fmt`
/// machinery: the sort key of every item of a list in id order (which for
/// a hub actor of a large store is a thousand keys per page).
pub(crate) fn id_key(id: u64) -> String {
    let mut digits = [0u8; 16];
    for (i, digit) in digits.iter_mut().enumerate() {
        *digit = HEX[((id >> ((15 - i) * 4)) & 0xf) as usize];
    }
    // ASCII digits: always valid UTF-8, so this borrows, then copies once.
    String::from_utf8_lossy(&digits).into_owned()
}

pub(crate) fn encode_cursor(key: &str) -> String {
    let mut out = String::with_capacity(1 + key.len() * 2);
    out.push('c');
    // Two hex digits per byte, without a `format!` (and its allocation)
    // per byte: every page item gets a cursor.
    for b in key.bytes() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

pub(crate) fn decode_cursor(cursor: &str) -> Result<String> {
    let bad = || {
        error(
            ErrorCode::BadUserInput,
            format!("'{cursor}' is not a cursor from this API"),
        )
    };
    let hex = cursor.strip_prefix('c').ok_or_else(bad)?;
    if hex.len() % 2 != 0 || hex.len() > 4096 {
        return Err(bad());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<std::result::Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    String::from_utf8(bytes).map_err(|_| bad())
}

/// A date key that sorts undated items last in both directions.
pub(crate) fn date_key(date: Option<&str>, newest_first: bool) -> String {
    match date {
        Some(d) if newest_first => {
            // Invert the digits so that later dates sort first.
            let inverted: String = d
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(n) => char::from_digit(9 - n, 10).unwrap_or(c),
                    None => c,
                })
                .collect();
            format!("0{inverted}")
        }
        Some(d) => format!("0{d}"),
        None => "1".to_owned(),
    }
}

macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $doc:literal) => {
        #[doc = concat!("A page of ", $doc, ".")]
        pub struct $conn {
            pub(crate) edges: Vec<$edge>,
            pub(crate) page_info: PageInfo,
            pub(crate) total: Total,
        }

        #[Object(serial)]
        impl $conn {
            /// The items of this page with their cursors.
            async fn edges(&self) -> Serial<&$edge> {
                Serial(self.edges.iter().collect())
            }
            /// The items of this page, without cursors.
            async fn nodes(&self) -> Serial<&$node> {
                Serial(self.edges.iter().map(|e| &e.node).collect())
            }
            /// Where this page ends.
            async fn page_info(&self) -> &PageInfo {
                &self.page_info
            }
            /// How many items match, in all pages (counted only when asked).
            async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
                Ok(match &self.total {
                    Total::Known(n) => *n as i64,
                    Total::Count(count) => count(reader(ctx)?.graph()) as i64,
                })
            }
        }

        #[doc = concat!("One of ", $doc, " with its cursor.")]
        pub struct $edge {
            pub(crate) cursor: Cursor,
            pub(crate) node: $node,
        }

        #[doc = concat!("One of ", $doc, " with its cursor.")]
        #[Object(serial)]
        impl $edge {
            /// Opaque cursor; pass as `after` to continue after this item.
            async fn cursor(&self) -> String {
                self.cursor.encode()
            }
            /// The item.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        impl $conn {
            pub(crate) fn from_page<T>(page: Page<T>, wrap: impl Fn(T) -> $node) -> Self {
                $conn {
                    edges: page
                        .items
                        .into_iter()
                        .map(|(cursor, node)| $edge {
                            cursor,
                            node: wrap(node),
                        })
                        .collect(),
                    page_info: page.info,
                    total: Total::Known(page.total),
                }
            }
        }
    };
}

/// The `totalCount` of a connection: known from the page, or counted over
/// the view only when a query asks for it (a page read in id order does
/// not see every item).
pub(crate) enum Total {
    Known(usize),
    Count(Box<Counter>),
}

/// Counts the items of a connection over a view of the graph.
pub(crate) type Counter = dyn Fn(&GraphRead<'_>) -> usize + Send + Sync;

connection!(ActorConnection, ActorEdge, Actor, "actors");
connection!(DocumentConnection, DocumentEdge, Document, "documents");
connection!(EventConnection, EventEdge, Event, "events");
connection!(RelationConnection, RelationEdge, Relation, "relations");
connection!(
    RelationGroupConnection,
    RelationGroupEdge,
    RelationGroup,
    "relation groups"
);

/// The relation id of a cursor of a list in id order.
pub(crate) fn relation_cursor(cursor: &str) -> Result<RelationId> {
    let key = decode_cursor(cursor)?;
    match u64::from_str_radix(&key, 16) {
        Ok(id) if key.len() == 16 => Ok(RelationId(id)),
        _ => Err(error(
            ErrorCode::BadUserInput,
            format!("'{cursor}' is not a cursor of a list in id order (was it taken with another sort?)"),
        )),
    }
}
