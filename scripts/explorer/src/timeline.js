// The timeline chart of the actor and edge panels, as pure functions: which
// bucket length suits a span of dates, and where each bar of a `timeline`
// answer goes. No DOM: main.js turns the layout into inline SVG, and node's
// test runner checks the arithmetic (test/timeline.test.js).

import { RELATION_KINDS, KIND_LABEL } from "./model.js";

/** Longest span (in days) drawn by day, then by week; longer ones by month. */
export const DAY_SPAN = 60;
export const WEEK_SPAN = 730;

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** Days since 1970-01-01 of a YYYY-MM-DD date (anything after the day is ignored), or null. */
export function dayNumber(date) {
  if (typeof date !== "string" || !DATE.test(date)) return null;
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Number.isNaN(t) ? null : Math.round(t / 86_400_000);
}

/**
 * The bucket length for a chart of relations published on `dates` (strings
 * or null for undated): DAY when they span at most DAY_SPAN days, WEEK up to
 * WEEK_SPAN, MONTH beyond (and when nothing is dated), so that a chart has
 * tens of bars rather than one or thousands.
 */
export function chooseInterval(dates) {
  let first = Infinity;
  let last = -Infinity;
  for (const d of dates) {
    const n = dayNumber(d);
    if (n === null) continue;
    if (n < first) first = n;
    if (n > last) last = n;
  }
  if (first > last) return "MONTH";
  const span = last - first;
  if (span <= DAY_SPAN) return "DAY";
  if (span <= WEEK_SPAN) return "WEEK";
  return "MONTH";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A bucket's name for people: "2023-05-14", "week of 2023-05-08" or "May 2023". */
export function bucketName(bucket, interval) {
  if (interval === "MONTH") return `${MONTHS[Number(bucket.start.slice(5, 7)) - 1]} ${bucket.start.slice(0, 4)}`;
  if (interval === "WEEK") return `week of ${bucket.start}`;
  return bucket.start;
}

/** "3 relations (1 said, 2 requested)": a count and its parts by kind. */
export function describeCounts(counts) {
  const total = RELATION_KINDS.reduce((n, k) => n + (counts[k.toLowerCase()] ?? 0), 0);
  const parts = RELATION_KINDS.filter((k) => counts[k.toLowerCase()] > 0).map((k) => `${counts[k.toLowerCase()]} ${KIND_LABEL[k]}`);
  const head = `${total} relation${total === 1 ? "" : "s"}`;
  return parts.length > 0 ? `${head} (${parts.join(", ")})` : head;
}

/** Width of one bar's slot and of the chart's drawing area, in SVG units. */
const SLOT = 10;
const BAR = 8;
const MIN_SLOTS = 12;
export const CHART_HEIGHT = 60;

/**
 * Lays out a `timeline` answer (`{ interval, buckets, total, undated }`) as
 * stacked bars, one per bucket, said at the bottom, then requested, then
 * rejected. `filters` (`{ kinds, from, to }`, as the page's) only dim what
 * they leave out: the chart stays the overview a reader picks dates from.
 *
 * Returns `{ width, height, max, bars, label, total, undated, dated }`:
 * each bar has its bucket, x, a `title` naming it with its counts, whether it
 * is `dimmed` (outside the dates) and its `segments` ({ kind, y, height,
 * dimmed }); `label` is the whole chart in words, for screen readers.
 */
export function timelineChart(timeline, { subject = "Relations", filters = null } = {}) {
  const { interval, buckets, total, undated } = timeline;
  const max = buckets.reduce((m, b) => Math.max(m, b.count), 0);
  const width = Math.max(buckets.length, MIN_SLOTS) * SLOT;
  const height = CHART_HEIGHT;
  const scale = max > 0 ? height / max : 0;
  const kinds = filters?.kinds ? new Set(filters.kinds) : null;
  const bars = buckets.map((bucket, i) => {
    const outside = Boolean(filters && ((filters.from && bucket.end < filters.from) || (filters.to && bucket.start > filters.to)));
    const segments = [];
    let top = height;
    for (const kind of RELATION_KINDS) {
      const n = bucket[kind.toLowerCase()] ?? 0;
      if (n === 0) continue;
      const h = n * scale;
      top -= h;
      segments.push({ kind, count: n, y: top, height: h, dimmed: outside || (kinds !== null && !kinds.has(kind)) });
    }
    return {
      start: bucket.start,
      end: bucket.end,
      count: bucket.count,
      x: i * SLOT + (SLOT - BAR) / 2,
      width: BAR,
      title: `${bucketName(bucket, interval)}: ${describeCounts(bucket)}`,
      dimmed: outside,
      segments,
    };
  });
  const dated = total - undated;
  const per = { DAY: "day", WEEK: "week", MONTH: "month" }[interval] ?? "month";
  let label = `${subject} per ${per}: ${total} relation${total === 1 ? "" : "s"}`;
  if (buckets.length > 0) {
    label += `, ${bucketName(buckets[0], interval)} to ${bucketName(buckets[buckets.length - 1], interval)}`;
    const busy = bars.filter((b) => b.count > 0).map((b) => b.title);
    label += `. ${busy.join("; ")}`;
  }
  label += `. ${undated} undated.`;
  return { width, height, max, bars, label, total, undated, dated, interval };
}
