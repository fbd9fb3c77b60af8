// Pure functions over API data: no DOM, no fetch, so that node's test runner
// checks them (test/model.test.js).

export const RELATION_KINDS = ["SAID", "REQUESTED", "REJECTED"];
export const ACTOR_KINDS = ["PERSON", "ORGANIZATION", "COUNTRY", "GROUP"];

export const KIND_LABEL = { SAID: "said", REQUESTED: "requested", REJECTED: "rejected" };

/** Case- and diacritic-insensitive form, as the server folds names. */
export function fold(s) {
  return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Orders search suggestions the way a person expects: an exact name first,
 * then names that start with the text, then words that do, then aliases.
 * Returns the actors with `match` (the alias that matched, if not the name).
 */
export function rankSuggestions(actors, text) {
  const q = fold(text.trim());
  const score = (s) => {
    const f = fold(s);
    if (f === q) return 0;
    if (f.startsWith(q)) return 1;
    if (f.split(/[\s\-–'’.]+/).some((w) => w.startsWith(q))) return 2;
    if (f.includes(q)) return 3;
    return 4;
  };
  return actors
    .map((actor) => {
      const nameScore = score(actor.name);
      let best = { score: nameScore, match: null };
      for (const alias of actor.aliases ?? []) {
        const s = score(alias) + 0.5;
        if (s < best.score) best = { score: s, match: alias };
      }
      return { ...actor, match: best.match, score: best.score };
    })
    .sort((a, b) => a.score - b.score || a.name.length - b.name.length || a.name.localeCompare(b.name));
}

/**
 * Whether a relation passes the kind, date and confidence filters. A
 * relation without a `confidence` (a server older than the field) passes
 * any minimum.
 */
export function relationPasses(rel, filters) {
  if (!filters.kinds.has(rel.kind)) return false;
  if (filters.minConfidence > 0 && typeof rel.confidence === "number" && rel.confidence < filters.minConfidence) return false;
  const date = rel.document?.published ?? null;
  if (date === null) return filters.undated;
  if (filters.from && date < filters.from) return false;
  if (filters.to && date > filters.to) return false;
  return true;
}

/** The id of the merged edge that carries a relation. */
export function edgeId(subjectId, objectId, kind) {
  return `${subjectId}>${objectId}>${kind}`;
}

/**
 * How widely the claim behind an edge is reported: the most distinct
 * documents and outlets (`corroboration`) over its relations, or null when
 * the server does not say.
 */
export function edgeCorroboration(edge) {
  let best = null;
  for (const r of edge.relations) {
    const c = r.corroboration;
    if (!c) continue;
    best = {
      documentCount: Math.max(best?.documentCount ?? 0, c.documentCount),
      sourceCount: Math.max(best?.sourceCount ?? 0, c.sourceCount),
    };
  }
  return best;
}

/**
 * An edge's label on the graph: its kind, "×n" for n sentences in view, and
 * when more than one document in the store supports it, "· 3 docs, 2
 * outlets". In a `dense` picture a lone, uncorroborated edge goes unlabelled
 * (its colour says its kind).
 */
export function edgeLabel(edge, { dense = false } = {}) {
  const n = edge.relations.length;
  const c = edgeCorroboration(edge);
  const corroborated = c !== null && c.documentCount > 1;
  if (n <= 1 && !corroborated && dense) return "";
  let label = KIND_LABEL[edge.kind] + (n > 1 ? ` ×${n}` : "");
  if (corroborated) label += ` · ${c.documentCount} docs, ${c.sourceCount} outlet${c.sourceCount === 1 ? "" : "s"}`;
  return label;
}

/**
 * Builds the drawable view of an ego network.
 *
 * `centre` is the actor; `relations` every relation fetched (its own and, at
 * depth 2, its neighbours'), possibly with duplicates. Relations with both
 * ends become edges, merged per (subject, object, kind) with a count; those
 * without an object stay with their subject as `solo`. Nodes are ranked
 * (the centre, then by hop, then by how much evidence ties them in) and
 * only the first `limit` are kept; `hidden` says how many were left out.
 */
export function buildView(centre, relations, filters, { depth = 1, limit = 150 } = {}) {
  const seen = new Set();
  const kept = [];
  for (const r of relations) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    if (relationPasses(r, filters)) kept.push(r);
  }

  const actors = new Map([[centre.id, { ...centre }]]);
  const edges = new Map();
  const solo = [];
  for (const r of kept) {
    if (r.subject) actors.set(r.subject.id, actors.get(r.subject.id) ?? { ...r.subject });
    if (r.object) actors.set(r.object.id, actors.get(r.object.id) ?? { ...r.object });
    if (!r.subject || !r.object) {
      if (r.subject?.id === centre.id || r.object?.id === centre.id) solo.push(r);
      continue;
    }
    const id = edgeId(r.subject.id, r.object.id, r.kind);
    let e = edges.get(id);
    if (!e) {
      e = { id, source: r.subject.id, target: r.object.id, kind: r.kind, relations: [] };
      edges.set(id, e);
    }
    e.relations.push(r);
  }

  // Hops from the centre over the edges (undirected), bounded by depth.
  const adjacent = new Map();
  for (const e of edges.values()) {
    for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
      if (!adjacent.has(a)) adjacent.set(a, []);
      adjacent.get(a).push([b, e.relations.length]);
    }
  }
  const hop = new Map([[centre.id, 0]]);
  let frontier = [centre.id];
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const next = [];
    for (const a of frontier) {
      for (const [b] of adjacent.get(a) ?? []) {
        if (!hop.has(b)) {
          hop.set(b, d);
          next.push(b);
        }
      }
    }
    frontier = next;
  }

  // Weight: evidence on edges towards actors nearer the centre.
  const weight = new Map();
  for (const [id, h] of hop) {
    let w = 0;
    for (const [b, n] of adjacent.get(id) ?? []) if ((hop.get(b) ?? Infinity) < h || h === 0) w += n;
    weight.set(id, w);
  }
  const ranked = [...hop.keys()].sort(
    (a, b) =>
      hop.get(a) - hop.get(b) ||
      weight.get(b) - weight.get(a) ||
      actors.get(a).name.localeCompare(actors.get(b).name),
  );
  const shown = new Set(ranked.slice(0, Math.max(1, limit)));
  const nodes = ranked
    .filter((id) => shown.has(id))
    .map((id) => ({ ...actors.get(id), hop: hop.get(id), weight: weight.get(id) }));
  const shownEdges = [...edges.values()]
    .filter((e) => shown.has(e.source) && shown.has(e.target))
    .sort((a, b) => b.relations.length - a.relations.length || a.id.localeCompare(b.id));
  return {
    centre: actors.get(centre.id),
    nodes,
    edges: shownEdges,
    solo,
    hidden: ranked.length - nodes.length,
    total: ranked.length,
  };
}

/**
 * The drawable view of one or more chains between the same two actors:
 * their actors and one edge per (subject, object, kind). Each actor gets a
 * `layer` (its step along the first chain that reaches it) and a `rank`
 * within that layer, for a left-to-right picture.
 */
export function pathView(startId, paths) {
  const actors = new Map();
  const edges = new Map();
  const perLayer = [];
  for (const path of paths) {
    pathSteps(startId, path).forEach((step, i) => {
      for (const [a, layer] of [[step.from, i], [step.to, i + 1]]) {
        if (!a || actors.has(a.id)) continue;
        perLayer[layer] = (perLayer[layer] ?? 0) + 1;
        actors.set(a.id, { ...a, layer, rank: perLayer[layer] - 1 });
      }
      const r = step.relation;
      if (r.subject && r.object) {
        const id = edgeId(r.subject.id, r.object.id, r.kind);
        if (!edges.has(id)) edges.set(id, { id, source: r.subject.id, target: r.object.id, kind: r.kind, relations: [] });
        const e = edges.get(id);
        if (!e.relations.some((x) => x.id === r.id)) e.relations.push(r);
      }
    });
  }
  const nodes = [...actors.values()].map((n) => ({ ...n, layerSize: perLayer[n.layer] }));
  return { nodes, edges: [...edges.values()] };
}

/**
 * The steps of a path in walking order from the actor `startId` (relations
 * may be followed against their direction): each with the actor it leaves,
 * the actor it reaches, its relation and whether it runs subject → object.
 */
export function pathSteps(startId, path) {
  const steps = [];
  let here = null;
  for (const r of path.relations) {
    if (here === null) here = r.object?.id === startId ? r.object : r.subject;
    const forward = r.subject?.id === here?.id;
    const to = forward ? r.object : r.subject;
    steps.push({ from: here, to, relation: r, forward });
    here = to;
  }
  return steps;
}

/**
 * Splits a document's text at UTF-8 byte offsets `start..end` (the API's
 * evidence span) into before / highlighted / after JavaScript strings.
 * JS strings are UTF-16, so the offsets cannot index the string directly.
 * Out-of-range or non-boundary offsets degrade to no highlight.
 */
export function splitAtBytes(text, start, end) {
  const bytes = new TextEncoder().encode(text);
  if (!(Number.isInteger(start) && Number.isInteger(end)) || start < 0 || end > bytes.length || start > end) {
    return { before: text, match: "", after: "" };
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    return {
      before: decoder.decode(bytes.subarray(0, start)),
      match: decoder.decode(bytes.subarray(start, end)),
      after: decoder.decode(bytes.subarray(end)),
    };
  } catch {
    return { before: text, match: "", after: "" };
  }
}

/** The part of `sentence` that is `quote`, for emphasis: [before, quote, after] or null. */
export function splitQuote(sentence, quote) {
  if (!quote) return null;
  const i = sentence.indexOf(quote);
  if (i < 0) return null;
  return [sentence.slice(0, i), quote, sentence.slice(i + quote.length)];
}

/** The Explorer's state as it appears in the URL's query string. */
export const DEFAULT_STATE = Object.freeze({
  actor: "",
  depth: 1,
  kinds: RELATION_KINDS,
  from: "",
  to: "",
  undated: true,
  minConfidence: 0,
  edge: "",
  pathFrom: "",
  pathTo: "",
  doc: "",
  hl: "",
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A minimum confidence from the URL: a number in [0, 1] with at most two decimals, else 0. */
export function parseConfidence(text) {
  if (!/^\s*(0|1)?(\.\d+)?\s*$/.test(text ?? "") || !/\d/.test(text)) return 0;
  const v = Math.round(Number(text) * 100) / 100;
  return v >= 0 && v <= 1 ? v : 0;
}

/** Reads the state from a query string; anything malformed falls back to the default. */
export function parseState(search) {
  const p = new URLSearchParams(search);
  const state = { ...DEFAULT_STATE };
  state.actor = (p.get("actor") ?? "").trim();
  state.depth = p.get("depth") === "2" ? 2 : 1;
  if (p.has("kinds")) {
    const kinds = (p.get("kinds") ?? "").split(",").map((k) => k.trim().toUpperCase());
    state.kinds = RELATION_KINDS.filter((k) => kinds.includes(k));
  }
  for (const key of ["from", "to"]) {
    const v = p.get(key) ?? "";
    state[key] = DATE.test(v) ? v : "";
  }
  state.undated = p.get("undated") !== "0";
  state.minConfidence = parseConfidence(p.get("minConfidence"));
  state.edge = p.get("edge") ?? "";
  state.pathFrom = (p.get("pathFrom") ?? "").trim();
  state.pathTo = (p.get("pathTo") ?? "").trim();
  state.doc = p.get("doc") ?? "";
  state.hl = /^\d+-\d+$/.test(p.get("hl") ?? "") ? p.get("hl") : "";
  return state;
}

/** Writes the state as a query string, leaving defaults out so links stay short. */
export function formatState(state) {
  const p = new URLSearchParams();
  if (state.actor) p.set("actor", state.actor);
  if (state.depth === 2) p.set("depth", "2");
  if (state.kinds.length !== RELATION_KINDS.length) p.set("kinds", state.kinds.join(","));
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  if (!state.undated) p.set("undated", "0");
  if (state.minConfidence > 0) p.set("minConfidence", String(state.minConfidence));
  if (state.edge) p.set("edge", state.edge);
  if (state.pathFrom) p.set("pathFrom", state.pathFrom);
  if (state.pathTo) p.set("pathTo", state.pathTo);
  if (state.doc) p.set("doc", state.doc);
  if (state.hl) p.set("hl", state.hl);
  const s = p.toString();
  return s ? `?${s}` : "";
}
