//! Document metadata from the text: headline, outlet, publication date,
//! and date expressions inside sentences.

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    // Every word of a dated sentence is tried: an ASCII word is compared
    // in place, and only when it is short enough to be a month.
    if w.is_ascii() {
        return if w.len() <= "september".len() {
            let mut lower = [0u8; 9];
            lower[..w.len()].copy_from_slice(w.as_bytes());
            lower.make_ascii_lowercase();
            month_lowercase(std::str::from_utf8(&lower[..w.len()]).ok()?)
        } else {
            None
        };
    }
    month_lowercase(&w.to_lowercase())
}

fn month_lowercase(w: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() == 3 && m.starts_with(w)) || (w == "sept" && *m == "september")
        })
        .map(|i| i as u32 + 1)
}

fn day(word: &str) -> Option<u32> {
    let w = word.trim_end_matches([',', '.']);
    let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(word: &str) -> Option<i32> {
    let w = word.trim_matches(|c: char| !c.is_ascii_digit());
    if w.len() != 4 {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

/// A calendar date, possibly without a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    /// Year, if stated.
    pub year: Option<i32>,
    /// Month 1-12.
    pub month: u32,
    /// Day 1-31.
    pub day: u32,
}

impl PartialDate {
    /// YYYY-MM-DD, when the year is known.
    pub fn iso(&self) -> Option<String> {
        self.year
            .map(|y| format!("{y:04}-{:02}-{:02}", self.month, self.day))
    }
}

/// Finds the first date in `text`: "December 18, 2022", "18 December 2022",
/// "2022-12-18", "18.12.2022", "Dec. 16" (no year).
pub fn find_date(text: &str) -> Option<PartialDate> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '|' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if let Some(d) = iso_date(w) {
            return Some(d);
        }
        if let Some(m) = month(w.trim_end_matches(',')) {
            // Month Day[, Year]
            if let Some(d) = words.get(i + 1).and_then(|n| day(n)) {
                let y = words.get(i + 2).and_then(|n| year(n));
                return Some(PartialDate {
                    year: y,
                    month: m,
                    day: d,
                });
            }
            // Day Month [Year]
            if let Some(d) = i
                .checked_sub(1)
                .and_then(|p| words.get(p))
                .and_then(|p| day(p))
            {
                let y = words.get(i + 1).and_then(|n| year(n));
                return Some(PartialDate {
                    year: y,
                    month: m,
                    day: d,
                });
            }
        }
    }
    None
}

fn iso_date(word: &str) -> Option<PartialDate> {
    let w = word.split('T').next().unwrap_or(word);
    let w = w.trim_matches(|c: char| !c.is_ascii_digit());
    // Three non-empty runs of digits, without collecting them (every word
    // of a dated sentence comes here).
    let mut parts = [""; 3];
    let mut n = 0;
    for part in w.split(['-', '.', '/']) {
        if n == parts.len() || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts[n] = part;
        n += 1;
    }
    if n != parts.len() {
        return None;
    }
    // A run of digits too long for a number is no date part.
    let num = |i: usize| parts[i].parse::<i64>().ok();
    let (y, m, d) = if parts[0].len() == 4 {
        (num(0)?, num(1)?, num(2)?)
    } else if parts[2].len() == 4 && w.contains('.') {
        (num(2)?, num(1)?, num(0)?)
    } else {
        return None;
    };
    let valid = (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    valid.then_some(PartialDate {
        year: Some(y as i32),
        month: m as u32,
        day: d as u32,
    })
}

/// The publication date: the first full date on a short line (a dateline
/// or timestamp) in the first lines of the article.
pub fn published(lines: &[&str]) -> Option<String> {
    lines
        .iter()
        .take(12)
        .filter(|l| l.split_whitespace().count() <= 10)
        .find_map(|l| find_date(l).and_then(|d| d.iso()))
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    newsgraph_model::calendar::days_from_civil(i64::from(y), m, d)
}

/// The civil date of a day number (years beyond `i32` do not occur).
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let (y, m, d) = newsgraph_model::calendar::civil_from_days(z);
    (y as i32, m, d)
}

fn parse_iso(iso: &str) -> Option<(i32, u32, u32)> {
    let mut it = iso.split('-');
    Some((
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    ))
}

/// The date a sentence gives for what it reports, resolved against the
/// publication date: an explicit date ("on December 16", year taken from
/// the publication date) or a weekday ("on Thursday": the latest such day
/// on or before publication).
pub fn event_date(sentence: &str, published: Option<&str>) -> Option<String> {
    let pub_date = published.and_then(parse_iso);
    if let Some(d) = find_date(sentence) {
        return match (d.year, pub_date) {
            (Some(_), _) => d.iso(),
            (None, Some((y, _, _))) => PartialDate { year: Some(y), ..d }.iso(),
            (None, None) => None,
        };
    }
    let (y, m, d) = pub_date?;
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(wd) = WEEKDAYS.iter().position(|x| x == w) else {
            continue;
        };
        let before = i
            .checked_sub(1)
            .and_then(|p| words.get(p))
            .copied()
            .unwrap_or("");
        let after = words.get(i + 1).copied().unwrap_or("");
        if before == "next" || after == "next" {
            return None;
        }
        let today = days_from_civil(y, m, d);
        // 1970-01-01 was a Thursday (index 3 with Monday = 0).
        let today_wd = (today + 3).rem_euclid(7);
        let back = (today_wd - wd as i64).rem_euclid(7);
        let (yy, mm, dd) = civil_from_days(today - back);
        return Some(format!("{yy:04}-{mm:02}-{dd:02}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_formats() {
        let full = |s: &str| find_date(s).and_then(|d| d.iso());
        assert_eq!(
            full("15:46 | December 18, 2022").as_deref(),
            Some("2022-12-18")
        );
        assert_eq!(
            full("Published 3 March 2021 by staff").as_deref(),
            Some("2021-03-03")
        );
        assert_eq!(full("2020-02-29T10:00").as_deref(), Some("2020-02-29"));
        assert_eq!(full("Belgrade, 05.11.2019").as_deref(), Some("2019-11-05"));
        assert_eq!(
            find_date("On Dec. 16, the minister said").map(|d| (d.month, d.day, d.year)),
            Some((12, 16, None))
        );
        assert_eq!(find_date("We may go"), None);
    }

    /// Regression: a part too long for a number was dropped from the
    /// parsed parts and the date read a missing one: a panic.
    #[test]
    fn a_date_part_too_long_for_a_number_is_no_date() {
        assert_eq!(find_date("2022-12-99999999999999999999"), None);
        assert_eq!(find_date("99999999999999999999.12.2022"), None);
        let text =
            "Talks | Daily\nMay 3, 2022-12-99999999999999999999\nSerbia asked Kosovo to stop.\n";
        let _ = crate::extract("long-date.txt", text);
    }

    #[test]
    fn weekdays_resolve_to_the_latest_such_day() {
        // 2022-12-18 was a Sunday.
        assert_eq!(
            event_date("Serbia asked on Thursday", Some("2022-12-18")).as_deref(),
            Some("2022-12-15")
        );
        assert_eq!(
            event_date("It happened on Sunday", Some("2022-12-18")).as_deref(),
            Some("2022-12-18")
        );
        assert_eq!(
            event_date("On December 16, he said", Some("2022-12-18")).as_deref(),
            Some("2022-12-16")
        );
        assert_eq!(
            event_date("They meet next Monday", Some("2022-12-18")),
            None
        );
        assert_eq!(event_date("On Thursday", None), None);
    }

    #[test]
    fn published_date_comes_from_a_short_dateline() {
        let lines = [
            "NATO calls on the parties",
            "15:46 | December 18, 2022",
            "On December 20, 2022 more happened in a long sentence here",
        ];
        assert_eq!(published(&lines).as_deref(), Some("2022-12-18"));
        assert_eq!(published(&["No date in this text at all."]), None);
    }
}
