// Unit tests of the Explorer's pure functions: `node --test test/` (build.sh runs them).

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildView,
  edgeCorroboration,
  edgeId,
  edgeLabel,
  fold,
  formatState,
  parseConfidence,
  parseState,
  pathSteps,
  pathView,
  rankSuggestions,
  relationPasses,
  splitAtBytes,
  splitQuote,
  DEFAULT_STATE,
} from "../src/model.js";

const A = { id: "a", name: "KFOR", kind: "ORGANIZATION" };
const B = { id: "b", name: "Serbia", kind: "COUNTRY" };
const C = { id: "c", name: "Kosovo", kind: "COUNTRY" };
const D = { id: "d", name: "Russia", kind: "COUNTRY" };

let n = 0;
function rel(kind, subject, object, published = null) {
  n += 1;
  return {
    id: `r${n}`,
    kind,
    subject,
    object,
    quote: null,
    evidence: { sentence: `sentence ${n}`, start: 0, end: 1 },
    event: null,
    document: { id: "doc", title: "t", source: null, published },
  };
}

const ALL = { kinds: new Set(["SAID", "REQUESTED", "REJECTED"]), from: "", to: "", undated: true };

test("fold drops case and diacritics like the server", () => {
  assert.equal(fold("Vučić"), "vucic");
  assert.equal(fold("ÉCOLE"), "ecole");
});

test("suggestions: exact, then prefix, then word prefix, then aliases", () => {
  const actors = [
    { name: "Office for Public Relations of KFOR", aliases: [] },
    { name: "KFOR", aliases: [] },
    { name: "Serbia", aliases: ["Belgrade"] },
  ];
  assert.deepEqual(rankSuggestions(actors, "kfo").map((a) => a.name), ["KFOR", "Office for Public Relations of KFOR", "Serbia"]);
  const [serbia] = rankSuggestions([actors[2]], "belg");
  assert.equal(serbia.match, "Belgrade");
});

test("parallel relations of one kind merge into one edge with a count", () => {
  const rels = [rel("REQUESTED", B, A), rel("REQUESTED", B, A), rel("REJECTED", B, A), rel("SAID", A, null)];
  const view = buildView(A, rels, ALL);
  assert.equal(view.nodes.length, 2);
  assert.equal(view.edges.length, 2);
  const requested = view.edges.find((e) => e.id === edgeId("b", "a", "REQUESTED"));
  assert.equal(requested.relations.length, 2);
  assert.equal(view.solo.length, 1, "a statement without addressee stays with its subject");
});

test("duplicates fetched twice (depth 2) are counted once", () => {
  const r = rel("REQUESTED", B, A);
  const view = buildView(A, [r, r], ALL);
  assert.equal(view.edges[0].relations.length, 1);
});

test("filters by kind and by publication date, undated optional", () => {
  const rels = [rel("SAID", A, B, "2022-12-18"), rel("REQUESTED", A, C, "2023-05-01"), rel("REJECTED", A, D, null)];
  assert.equal(buildView(A, rels, { ...ALL, kinds: new Set(["SAID"]) }).edges.length, 1);
  const dated = buildView(A, rels, { ...ALL, from: "2023-01-01", undated: false });
  assert.deepEqual(dated.nodes.map((x) => x.name), ["KFOR", "Kosovo"]);
  assert.equal(buildView(A, rels, { ...ALL, to: "2022-12-31" }).edges.length, 2);
});

test("a minimum confidence hides the relations below it, and only those", () => {
  const sure = { ...rel("SAID", A, B), confidence: 0.9 };
  const edge = { ...rel("SAID", A, C), confidence: 0.5 };
  const unsure = { ...rel("SAID", A, D), confidence: 0.49 };
  const filters = { ...ALL, minConfidence: 0.5 };
  assert.deepEqual([sure, edge, unsure].map((r) => relationPasses(r, filters)), [true, true, false]);
  assert.deepEqual(buildView(A, [sure, edge, unsure], filters).nodes.map((x) => x.name), ["KFOR", "Kosovo", "Serbia"]);
  assert.equal(relationPasses(unsure, { ...ALL, minConfidence: 0 }), true, "0 hides nothing");
  assert.equal(relationPasses(rel("SAID", A, B), filters), true, "no confidence from an older server: kept");
});

test("an edge is labelled with its corroboration when more than one document supports it", () => {
  const corroborated = (documentCount, sourceCount) => ({ ...rel("REQUESTED", B, A), corroboration: { documentCount, sourceCount } });
  const edge = (...relations) => ({ kind: "REQUESTED", relations });
  assert.equal(edgeLabel(edge(corroborated(1, 1))), "requested");
  assert.equal(edgeLabel(edge(corroborated(1, 1)), { dense: true }), "");
  assert.equal(edgeLabel(edge(corroborated(3, 2))), "requested · 3 docs, 2 outlets");
  assert.equal(edgeLabel(edge(corroborated(2, 1)), { dense: true }), "requested · 2 docs, 1 outlet");
  assert.equal(edgeLabel(edge(corroborated(2, 1), corroborated(3, 1))), "requested ×2 · 3 docs, 1 outlet", "the most over its relations");
  assert.deepEqual(edgeCorroboration(edge(corroborated(2, 2), corroborated(3, 1))), { documentCount: 3, sourceCount: 2 });
  assert.equal(edgeCorroboration(edge(rel("SAID", A, B))), null, "an older server says nothing");
  assert.equal(edgeLabel(edge(rel("SAID", A, B), rel("SAID", A, B))), "requested ×2");
});

test("depth bounds the hops and the limit caps the nodes, centre first", () => {
  const rels = [rel("SAID", A, B), rel("SAID", B, C), rel("SAID", C, D)];
  assert.equal(buildView(A, rels, ALL, { depth: 1 }).nodes.length, 2);
  const two = buildView(A, rels, ALL, { depth: 2 });
  assert.deepEqual(two.nodes.map((x) => x.name), ["KFOR", "Serbia", "Kosovo"]);
  const capped = buildView(A, rels, ALL, { depth: 2, limit: 2 });
  assert.equal(capped.nodes.length, 2);
  assert.equal(capped.hidden, 1);
  assert.equal(capped.nodes[0].id, "a");
  assert.ok(capped.edges.every((e) => e.source !== "c" && e.target !== "c"));
});

test("a path is walked from its start, against relation direction where needed", () => {
  const path = { length: 2, relations: [rel("REQUESTED", A, C), rel("REJECTED", D, C)] };
  const steps = pathSteps("a", path);
  assert.deepEqual(steps.map((s) => [s.from.name, s.to.name, s.forward]), [["KFOR", "Kosovo", true], ["Kosovo", "Russia", false]]);
  const back = pathSteps("d", { length: 2, relations: [rel("REJECTED", D, C), rel("REQUESTED", A, C)] });
  assert.deepEqual(back.map((s) => s.to.name), ["Kosovo", "KFOR"]);
});

test("chains of one length draw left to right, parallel ones stacked", () => {
  const viaC = { length: 2, relations: [rel("REQUESTED", A, C), rel("REJECTED", D, C)] };
  const viaB = { length: 2, relations: [rel("SAID", B, A), rel("SAID", D, B)] };
  const view = pathView("a", [viaC, viaB]);
  const at = Object.fromEntries(view.nodes.map((n) => [n.name, [n.layer, n.rank, n.layerSize]]));
  assert.deepEqual(at, { KFOR: [0, 0, 1], Kosovo: [1, 0, 2], Russia: [2, 0, 1], Serbia: [1, 1, 2] });
  assert.equal(view.edges.length, 4);
});

test("evidence byte offsets highlight the right text in non-ASCII articles", () => {
  // „ and “ are 3 bytes in UTF-8 but 1 UTF-16 unit each; é is 2 bytes.
  const text = "Café owners said: „KFOR calls on Belgrade,“ said the mission. Next.";
  const sentence = "„KFOR calls on Belgrade,“ said the mission.";
  const start = new TextEncoder().encode(text.slice(0, text.indexOf(sentence))).length;
  const end = start + new TextEncoder().encode(sentence).length;
  const parts = splitAtBytes(text, start, end);
  assert.equal(parts.match, sentence);
  assert.equal(parts.before + parts.match + parts.after, text);
});

test("bad offsets degrade to no highlight, never to broken text", () => {
  const text = "„ab“";
  assert.deepEqual(splitAtBytes(text, 1, 3), { before: text, match: "", after: "" }); // inside „
  assert.deepEqual(splitAtBytes(text, 0, 999), { before: text, match: "", after: "" });
  assert.deepEqual(splitAtBytes(text, NaN, NaN), { before: text, match: "", after: "" });
});

test("the quote inside its sentence is found for emphasis", () => {
  assert.deepEqual(splitQuote('"We are ready," he said.', "We are ready,"), ['"', "We are ready,", '," he said.'.slice(1)]);
  assert.equal(splitQuote("no quote here", "elsewhere"), null);
  assert.equal(splitQuote("x", null), null);
});

test("the URL round-trips the state and leaves defaults out", () => {
  const state = { ...DEFAULT_STATE, actor: "Vučić", depth: 2, kinds: ["SAID", "REJECTED"], from: "2022-01-01", undated: false, minConfidence: 0.35 };
  const search = formatState(state);
  assert.deepEqual(parseState(search), state);
  assert.equal(formatState(DEFAULT_STATE), "");
  assert.equal(formatState({ ...DEFAULT_STATE, actor: "KFOR" }), "?actor=KFOR");
});

test("malformed URL values fall back to defaults", () => {
  const s = parseState("?actor=%20KFOR%20&depth=9&kinds=BOGUS,said&from=yesterday&hl=1-x");
  assert.equal(s.actor, "KFOR");
  assert.equal(s.depth, 1);
  assert.deepEqual(s.kinds, ["SAID"]);
  assert.equal(s.from, "");
  assert.equal(s.hl, "");
  assert.equal(s.minConfidence, 0);
});

test("the minimum confidence in the URL is a number in [0, 1], else none", () => {
  assert.equal(parseState("?minConfidence=0.75").minConfidence, 0.75);
  assert.equal(formatState({ ...DEFAULT_STATE, minConfidence: 0.75 }), "?minConfidence=0.75");
  assert.equal(parseConfidence(".5"), 0.5);
  assert.equal(parseConfidence("1"), 1);
  assert.equal(parseConfidence("0.333"), 0.33);
  for (const bad of ["1.5", "-0.2", "abc", "", ".", null, "0x1", "1e-1"]) assert.equal(parseConfidence(bad), 0, String(bad));
});
