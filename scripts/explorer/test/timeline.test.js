// Unit tests of the timeline chart's layout: `node --test test/` (build.sh runs them).

import { test } from "node:test";
import assert from "node:assert/strict";
import { bucketName, chooseInterval, dayNumber, describeCounts, timelineChart, CHART_HEIGHT } from "../src/timeline.js";

function bucket(start, end, said = 0, requested = 0, rejected = 0) {
  return { start, end, count: said + requested + rejected, said, requested, rejected };
}

const MONTHLY = {
  interval: "MONTH",
  buckets: [bucket("2022-12-01", "2022-12-31", 1, 2, 0), bucket("2023-01-01", "2023-01-31"), bucket("2023-02-01", "2023-02-28", 0, 0, 6)],
  total: 11,
  undated: 2,
};

test("day numbers count from 1970-01-01 and ignore a time after the day", () => {
  assert.equal(dayNumber("1970-01-02"), 1);
  assert.equal(dayNumber("2023-03-01T10:00:00Z") - dayNumber("2023-02-28"), 1);
  assert.equal(dayNumber(null), null);
  assert.equal(dayNumber("yesterday"), null);
});

test("the interval follows the span of the dates: days, weeks, then months", () => {
  assert.equal(chooseInterval(["2023-05-01", null, "2023-06-30"]), "DAY", "60 days");
  assert.equal(chooseInterval(["2023-05-01", "2023-07-01"]), "WEEK", "61 days");
  assert.equal(chooseInterval(["2022-01-01", "2023-12-31"]), "WEEK", "two years less a day");
  assert.equal(chooseInterval(["2020-01-01", "2023-12-31"]), "MONTH");
  assert.equal(chooseInterval(["2023-05-01"]), "DAY", "one date");
  assert.equal(chooseInterval([null, "undated"]), "MONTH", "nothing dated");
  assert.equal(chooseInterval([]), "MONTH");
});

test("buckets are named as people say them", () => {
  assert.equal(bucketName(bucket("2023-05-01", "2023-05-31"), "MONTH"), "May 2023");
  assert.equal(bucketName(bucket("2023-05-08", "2023-05-14"), "WEEK"), "week of 2023-05-08");
  assert.equal(bucketName(bucket("2023-05-14", "2023-05-14"), "DAY"), "2023-05-14");
});

test("counts are described with their kinds", () => {
  assert.equal(describeCounts({ said: 1, requested: 2, rejected: 0 }), "3 relations (1 said, 2 requested)");
  assert.equal(describeCounts({ said: 0, requested: 0, rejected: 1 }), "1 relation (1 rejected)");
  assert.equal(describeCounts({ said: 0, requested: 0, rejected: 0 }), "0 relations");
});

test("one bar per bucket, kinds stacked from the bottom, the busiest bucket full height", () => {
  const chart = timelineChart(MONTHLY);
  assert.equal(chart.bars.length, 3);
  assert.equal(chart.max, 6);
  const [dec, jan, feb] = chart.bars;
  assert.deepEqual(dec.segments.map((s) => [s.kind, s.count]), [["SAID", 1], ["REQUESTED", 2]]);
  assert.equal(dec.segments[0].y + dec.segments[0].height, CHART_HEIGHT, "said sits on the baseline");
  assert.equal(dec.segments[1].y + dec.segments[1].height, dec.segments[0].y, "requested sits on said");
  assert.equal(dec.segments[1].y, CHART_HEIGHT / 2, "3 of at most 6: half height");
  assert.deepEqual(jan.segments, [], "an empty bucket keeps its place without a bar");
  assert.equal(feb.segments[0].y, 0);
  assert.ok(dec.x < jan.x && jan.x < feb.x && feb.x + feb.width <= chart.width);
});

test("each bar and the whole chart say their counts in words, undated included", () => {
  const chart = timelineChart(MONTHLY, { subject: "Relations of KFOR" });
  assert.equal(chart.bars[0].title, "Dec 2022: 3 relations (1 said, 2 requested)");
  assert.equal(
    chart.label,
    "Relations of KFOR per month: 11 relations, Dec 2022 to Feb 2023. Dec 2022: 3 relations (1 said, 2 requested); Feb 2023: 6 relations (6 rejected). 2 undated.",
  );
  assert.equal(chart.dated, 9);
  assert.equal(chart.bars.reduce((n, b) => n + b.count, 0) + chart.undated, chart.total);
});

test("a timeline with nothing dated has no bars and says so", () => {
  const chart = timelineChart({ interval: "MONTH", buckets: [], total: 3, undated: 3 }, { subject: "Relations" });
  assert.equal(chart.bars.length, 0);
  assert.equal(chart.max, 0);
  assert.equal(chart.label, "Relations per month: 3 relations. 3 undated.");
});

test("the page's filters dim what they leave out instead of hiding it", () => {
  const chart = timelineChart(MONTHLY, { filters: { kinds: ["SAID", "REJECTED"], from: "2023-01-15", to: "" } });
  const [dec, , feb] = chart.bars;
  assert.equal(dec.dimmed, true, "December ends before the 15th of January");
  assert.ok(dec.segments.every((s) => s.dimmed));
  assert.equal(feb.dimmed, false);
  assert.equal(feb.segments[0].dimmed, false);
  const kinds = timelineChart(MONTHLY, { filters: { kinds: ["SAID"], from: "", to: "" } });
  assert.deepEqual(kinds.bars[0].segments.map((s) => s.dimmed), [false, true], "requested is filtered out");
});
