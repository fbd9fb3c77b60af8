//! `timeline`: how many relations, by kind, per day, week or month.
//!
//! A relation is dated by its document's publication date, as the
//! `since`/`until` filters date it; relations from undated documents are
//! counted apart (`undated`). Buckets run without gaps from the first
//! dated relation to the last (empty ones have zero counts), so a chart
//! can draw them as they come.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use newsgraph_model::calendar::{civil_from_days, days_from_civil};
use newsgraph_model::read::{EdgeDirection, RelationFilter};
use newsgraph_model::RelationKind as ModelRelationKind;

use crate::schema::{error, parse_confidence, parse_date, reader, ErrorCode, RelationKind};

/// Most buckets one timeline may hold (27 years of days).
pub const MAX_BUCKETS: usize = 10_000;

/// How long a timeline bucket is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum TimelineInterval {
    /// One calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    #[default]
    Month,
}

/// The relations of one bucket.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
#[graphql(serial)]
pub struct TimelineBucket {
    /// First day of the bucket (YYYY-MM-DD).
    pub start: String,
    /// Last day of the bucket (YYYY-MM-DD).
    pub end: String,
    /// Relations of every kind asked for.
    pub count: i64,
    /// Of which `said`.
    pub said: i64,
    /// Of which `requested`.
    pub requested: i64,
    /// Of which `rejected`.
    pub rejected: i64,
}

/// Relation counts over time.
#[derive(SimpleObject, Debug)]
#[graphql(serial)]
pub struct Timeline {
    /// The bucket length.
    pub interval: TimelineInterval,
    /// From the bucket of the first dated relation to that of the last,
    /// without gaps.
    pub buckets: Vec<TimelineBucket>,
    /// Relations counted, dated or not.
    pub total: i64,
    /// Relations whose document has no publication date (in no bucket).
    pub undated: i64,
}

/// The `timeline` field (flattened into the query root).
pub(crate) struct Timelines;

#[Object(serial)]
impl Timelines {
    /// Relations per day, week or month: of one actor (either side), of a
    /// pair of actors (`actor` and `counterpart`, either direction), or of
    /// the whole graph; of one kind or all; between `since` and `until`
    /// (YYYY-MM-DD, by the document's publication date). For charts: the
    /// Explorer's actor and edge panels draw it.
    // One argument per filter: the GraphQL API's shape.
    #[allow(clippy::too_many_arguments)]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        actor: Option<String>,
        counterpart: Option<String>,
        kind: Option<RelationKind>,
        since: Option<String>,
        until: Option<String>,
        min_confidence: Option<f64>,
        #[graphql(default)] interval: TimelineInterval,
    ) -> Result<Timeline> {
        let view = reader(ctx)?;
        if counterpart.is_some() && actor.is_none() {
            return Err(error(
                ErrorCode::BadUserInput,
                "counterpart needs an actor: the timeline of a pair is asked as actor and counterpart",
            ));
        }
        let actor = actor
            .as_deref()
            .map(|a| view.require_actor(a))
            .transpose()?;
        let counterpart = counterpart
            .as_deref()
            .map(|c| view.require_actor(c))
            .transpose()?;
        let kind: Option<ModelRelationKind> = kind.map(Into::into);
        let filter = RelationFilter {
            kinds: kind.into_iter().collect(),
            actor: actor.map(|a| (a, EdgeDirection::Both)),
            counterpart,
            since: parse_date(since, "since")?,
            until: parse_date(until, "until")?,
            min_confidence: parse_confidence(min_confidence)?,
            ..RelationFilter::default()
        };
        let dates = view.relations_matching(&filter, None).map(|r| {
            (
                view.document(r.document)
                    .and_then(|d| d.published.as_deref())
                    .and_then(day_number),
                r.kind,
            )
        });
        count(dates, interval)
    }
}

/// Counts dated kinds into buckets.
fn count(
    dates: impl Iterator<Item = (Option<i64>, ModelRelationKind)>,
    interval: TimelineInterval,
) -> Result<Timeline> {
    let mut counted: std::collections::BTreeMap<i64, [i64; 3]> = Default::default();
    let (mut total, mut undated) = (0i64, 0i64);
    for (day, kind) in dates {
        total += 1;
        let Some(day) = day else {
            undated += 1;
            continue;
        };
        let slot = match kind {
            ModelRelationKind::Said => 0,
            ModelRelationKind::Requested => 1,
            ModelRelationKind::Rejected => 2,
        };
        counted.entry(bucket_start(day, interval)).or_default()[slot] += 1;
    }
    let mut buckets = Vec::new();
    if let (Some((&first, _)), Some((&last, _))) =
        (counted.first_key_value(), counted.last_key_value())
    {
        let mut start = first;
        while start <= last {
            if buckets.len() == MAX_BUCKETS {
                return Err(error(
                    ErrorCode::LimitExceeded,
                    format!(
                        "the timeline would hold more than {MAX_BUCKETS} buckets: ask for a longer interval or a shorter range"
                    ),
                ));
            }
            let next = next_start(start, interval);
            let [said, requested, rejected] = counted.get(&start).copied().unwrap_or_default();
            buckets.push(TimelineBucket {
                start: day_string(start),
                end: day_string(next - 1),
                count: said + requested + rejected,
                said,
                requested,
                rejected,
            });
            start = next;
        }
    }
    Ok(Timeline {
        interval,
        buckets,
        total,
        undated,
    })
}

/// The first day of the bucket that holds `day`.
fn bucket_start(day: i64, interval: TimelineInterval) -> i64 {
    match interval {
        TimelineInterval::Day => day,
        // 1970-01-01 was a Thursday: Monday is 3 days before it.
        TimelineInterval::Week => day - (day + 3).rem_euclid(7),
        TimelineInterval::Month => {
            let (y, m, _) = civil_from_days(day);
            days_from_civil(y, m, 1)
        }
    }
}

/// The first day of the bucket after the one starting on `start`.
fn next_start(start: i64, interval: TimelineInterval) -> i64 {
    match interval {
        TimelineInterval::Day => start + 1,
        TimelineInterval::Week => start + 7,
        TimelineInterval::Month => {
            let (y, m, _) = civil_from_days(start);
            if m == 12 {
                days_from_civil(y + 1, 1, 1)
            } else {
                days_from_civil(y, m + 1, 1)
            }
        }
    }
}

/// Days since 1970-01-01 of a YYYY-MM-DD date (`None` if it is not one).
fn day_number(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: u32 = date.get(5..7)?.parse().ok()?;
    let d: u32 = date.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

fn day_string(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ModelRelationKind::{Rejected, Requested, Said};

    fn day(date: &str) -> Option<i64> {
        day_number(date)
    }

    #[test]
    fn day_numbers_round_trip_through_leap_years_and_centuries() {
        for date in [
            "1970-01-01",
            "2000-02-29",
            "1900-03-01",
            "2024-12-31",
            "2100-01-01",
        ] {
            assert_eq!(day_string(day(date).unwrap()), date);
        }
        assert_eq!(day("1970-01-02"), Some(1));
        assert_eq!(day("2024-13-01"), None);
        assert_eq!(day("2024-1-01"), None);
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2024-06-05 is a Wednesday.
        let wednesday = day("2024-06-05").unwrap();
        assert_eq!(
            day_string(bucket_start(wednesday, TimelineInterval::Week)),
            "2024-06-03"
        );
        let sunday = day("2024-06-09").unwrap();
        assert_eq!(
            day_string(bucket_start(sunday, TimelineInterval::Week)),
            "2024-06-03"
        );
        assert_eq!(
            day_string(bucket_start(wednesday, TimelineInterval::Month)),
            "2024-06-01"
        );
        let december = day("2023-12-20").unwrap();
        let start = bucket_start(december, TimelineInterval::Month);
        assert_eq!(
            day_string(next_start(start, TimelineInterval::Month)),
            "2024-01-01"
        );
    }

    #[test]
    fn buckets_run_without_gaps_and_count_by_kind() {
        let dates = [
            (day("2024-01-15"), Said),
            (day("2024-01-20"), Requested),
            (day("2024-03-02"), Rejected),
            (None, Said),
        ];
        let timeline = count(dates.into_iter(), TimelineInterval::Month).unwrap();
        let starts: Vec<&str> = timeline.buckets.iter().map(|b| b.start.as_str()).collect();
        assert_eq!(starts, ["2024-01-01", "2024-02-01", "2024-03-01"]);
        assert_eq!(timeline.buckets[0].end, "2024-01-31");
        assert_eq!(
            (
                timeline.buckets[0].count,
                timeline.buckets[0].said,
                timeline.buckets[0].requested
            ),
            (2, 1, 1)
        );
        assert_eq!(timeline.buckets[1].count, 0);
        assert_eq!(timeline.buckets[2].rejected, 1);
        assert_eq!((timeline.total, timeline.undated), (4, 1));
        let empty = count(std::iter::empty(), TimelineInterval::Day).unwrap();
        assert!(empty.buckets.is_empty());
    }

    #[test]
    fn too_many_buckets_is_a_limit_not_a_huge_answer() {
        let dates = [(day("1900-01-01"), Said), (day("2099-12-31"), Said)];
        assert!(count(dates.into_iter(), TimelineInterval::Day).is_err());
        let weeks = count(dates.into_iter(), TimelineInterval::Month).unwrap();
        assert_eq!(weeks.buckets.len(), 200 * 12);
    }
}
