// The Explorer: search an actor, see its ego network, read the evidence.
//
// One state object, mirrored in the URL's query string (model.js:
// parseState/formatState), drives everything: `sync()` loads what the state
// needs from /graphql and renders the graph, the side panel and the article
// view. Controls only ever change the state.

import * as api from "./api.js";
import { GraphCanvas, ACTOR_STYLE } from "./graph.js";
import { actorCombobox } from "./search.js";
import { h, svg, fill, kindBadge, relationBadge, arrowKeys, download } from "./dom.js";
import { bucketName, chooseInterval, timelineChart } from "./timeline.js";
import {
  RELATION_KINDS,
  KIND_LABEL,
  DEFAULT_STATE,
  buildView,
  pathView,
  pathSteps,
  parseState,
  formatState,
  splitAtBytes,
  splitQuote,
  fold,
  edgeId,
  edgeCorroboration,
} from "./model.js";

/** Most actors drawn at once; "Show more" adds this many again. */
const NODE_STEP = 150;
/** At depth 2, the neighbours whose own relations are fetched. */
const DEPTH2_NEIGHBOURS = 60;
/** Longest path the path finder asks for. */
const MAX_HOPS = 6;
/** Most chains of the shortest length the path finder lists. */
const MAX_CHAINS = 5;

const $ = (id) => document.getElementById(id);

const ui = {
  banner: $("banner"),
  search: $("search"),
  summary: $("graph-summary"),
  message: $("message"),
  showMore: $("show-more"),
  panel: $("panel"),
  depth: [...document.querySelectorAll('input[name="depth"]')],
  kinds: [...document.querySelectorAll('input[name="kind"]')],
  from: $("date-from"),
  to: $("date-to"),
  undated: $("undated"),
  minConfidence: $("min-confidence"),
  minConfidenceValue: $("min-confidence-value"),
  pathForm: $("path-form"),
  pathFrom: $("path-from"),
  pathTo: $("path-to"),
  pathToggle: $("path-toggle"),
  filtersToggle: $("filters-toggle"),
  toolbar: $("toolbar"),
  doc: $("doc"),
  docBody: $("doc-body"),
  docTitle: $("doc-title"),
  docMeta: $("doc-meta"),
  exportButtons: [...document.querySelectorAll("[data-export]")],
};

let state = parseState(location.search);
let limit = NODE_STEP;
let generation = 0;
/** What is on screen: the ego network or path and the view drawn from it. */
let shown = { ego: null, view: null, path: null };
const egoCache = new Map();
/** Timelines asked for, by query: `{ promise, value }` (value once answered). */
const timelineCache = new Map();

const graph = new GraphCanvas($("cy"), {
  onNode: (id) => {
    const node = graph.cy.getElementById(id);
    if (node.nonempty()) recentre(node.data("name"));
  },
  onEdge: (id) => setState({ edge: id }, { push: true }),
  onBackground: () => {
    if (state.edge) setState({ edge: "" }, { push: true });
  },
});
// For the browser test and for curious developers (see README).
window.newsgraphExplorer = { cy: graph.cy, get state() { return { ...state }; } };

// ---------------------------------------------------------------- state

function setState(patch, { push = false } = {}) {
  state = { ...state, ...patch };
  const url = `${location.pathname}${formatState(state)}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  sync();
}

function recentre(name) {
  limit = NODE_STEP;
  setState({ actor: name, edge: "", pathFrom: "", pathTo: "" }, { push: true });
}

window.addEventListener("popstate", () => {
  state = parseState(location.search);
  sync();
});

// ---------------------------------------------------------------- loading

async function loadEgo(name, depth, minConfidence) {
  const key = `${fold(name)}|${depth}|${minConfidence}`;
  if (!egoCache.has(key)) {
    const promise = (async () => {
      const centre = await api.actorWithRelations({ name }, { minConfidence });
      if (!centre) return null;
      let relations = centre.relations;
      let neighboursCapped = 0;
      let truncated = centre.truncated;
      if (depth === 2) {
        const weight = new Map();
        for (const r of relations) {
          for (const a of [r.subject, r.object]) {
            if (a && a.id !== centre.id && r.subject && r.object) weight.set(a.id, (weight.get(a.id) ?? 0) + 1);
          }
        }
        const ids = [...weight.keys()].sort((a, b) => weight.get(b) - weight.get(a));
        neighboursCapped = Math.max(0, ids.length - DEPTH2_NEIGHBOURS);
        const more = await api.relationsOfMany(ids.slice(0, DEPTH2_NEIGHBOURS), { minConfidence });
        relations = relations.concat(...[...more.values()].map((a) => a.relations));
        truncated ||= [...more.values()].some((a) => a.truncated);
      }
      return { centre, relations, depth, neighboursCapped, truncated };
    })();
    egoCache.set(key, promise);
    promise.catch(() => egoCache.delete(key));
    if (egoCache.size > 30) egoCache.delete(egoCache.keys().next().value);
  }
  return egoCache.get(key);
}

function filters() {
  return { kinds: new Set(state.kinds), from: state.from, to: state.to, undated: state.undated, minConfidence: state.minConfidence };
}

/** Loads and renders whatever the state asks for. */
async function sync() {
  const mine = ++generation;
  const stale = () => mine !== generation;
  renderControls();
  try {
    if (state.pathFrom && state.pathTo) {
      await syncPath(stale);
    } else if (state.actor) {
      await syncEgo(stale);
    } else {
      await syncWelcome(stale);
    }
    if (!stale()) hideBanner();
  } catch (e) {
    if (!stale()) showFailure(e);
  }
  if (!stale()) renderExport();
  if (!stale()) await syncDocument(stale);
}

async function syncEgo(stale) {
  const sameActor = shown.ego && fold(shown.ego.query) === fold(state.actor) && shown.ego.depth === state.depth && shown.ego.minConfidence === state.minConfidence;
  if (!sameActor) {
    showMessage("loading", h("p", { class: "spinner" }, `Loading ${state.actor}…`));
    setSummary("loading");
  }
  const ego = await loadEgo(state.actor, state.depth, state.minConfidence);
  if (stale()) return;
  if (!ego) {
    shown = { ego: null, view: null, path: null };
    graph.draw({ nodes: [], edges: [] });
    renderUnknown(state.actor);
    return;
  }
  shown.ego = { ...ego, query: state.actor, minConfidence: state.minConfidence };
  shown.path = null;
  const view = buildView(ego.centre, ego.relations, filters(), { depth: state.depth, limit });
  shown.view = view;
  document.title = `${ego.centre.name} — newsgraph Explorer`;
  ui.search.value = ego.centre.name;
  graph.draw(view, { centreId: ego.centre.id, key: `${ego.centre.id}|${state.depth}` });
  graph.select(state.edge);
  setSummary("ready", { actor: ego.centre.name });
  ui.showMore.hidden = view.hidden === 0;
  ui.showMore.textContent = `Show ${Math.min(NODE_STEP, view.hidden)} more (${view.hidden} hidden)`;

  if (view.edges.length === 0) {
    const all = buildView(ego.centre, ego.relations, { ...filters(), kinds: new Set(RELATION_KINDS), from: "", to: "", undated: true, minConfidence: 0 }, { depth: state.depth });
    // Relations below the minimum confidence are not even fetched: any minimum may be what hides them.
    const filtered = all.edges.length > 0 || state.minConfidence > 0;
    showMessage(
      "empty",
      h("h2", {}, filtered ? `No connections of ${ego.centre.name} match the filters` : `${ego.centre.name} has no connections to other actors`),
      filtered
        ? h("p", {}, "Turn a relation kind back on, widen the dates or lower the confidence. ", h("button", { type: "button", class: "link", onclick: resetFilters }, "Reset filters"))
        : h("p", {}, view.solo.length > 0
            ? `The articles record ${view.solo.length} statement${view.solo.length === 1 ? "" : "s"} by ${ego.centre.name} without an addressee; they are listed in the panel.`
            : "Nothing in the articles links it to another actor yet."),
    );
    setSummary("empty", { actor: ego.centre.name });
    graph.lower();
  } else {
    hideMessage();
  }

  const edge = state.edge && view.edges.find((e) => e.id === state.edge);
  if (edge) renderEvidence(edge, ego.centre);
  else renderActor(ego, view);
}

async function syncPath(stale) {
  ui.pathForm.hidden = false;
  ui.pathToggle.setAttribute("aria-expanded", "true");
  pathBoxes.from.set(state.pathFrom);
  pathBoxes.to.set(state.pathTo);
  showMessage("loading", h("p", { class: "spinner" }, `Looking for a path from ${state.pathFrom} to ${state.pathTo}…`));
  setSummary("loading");
  const result = await api.shortestPaths(state.pathFrom, state.pathTo, { maxHops: MAX_HOPS, limit: MAX_CHAINS });
  if (stale()) return;
  shown = { ego: null, view: null, path: result };
  document.title = `${state.pathFrom} → ${state.pathTo} — newsgraph Explorer`;
  if (!result.from || !result.to) {
    graph.draw({ nodes: [], edges: [] });
    const missing = !result.from ? state.pathFrom : state.pathTo;
    renderUnknown(missing);
    renderPathPanel(result);
    return;
  }
  if (result.paths.length === 0) {
    graph.draw({ nodes: [result.from, result.to], edges: [] }, { key: `path|${result.from.id}|${result.to.id}` });
    setSummary("empty", { mode: "path" });
    showMessage(
      "empty",
      h("h2", {}, "No path found"),
      h("p", {}, `No chain of at most ${MAX_HOPS} relations links ${result.from.name} and ${result.to.name}.`),
    );
    renderPathPanel(result);
    return;
  }
  const view = pathView(result.from.id, result.paths);
  shown.view = view;
  const ids = new Set(view.nodes.map((n) => n.id));
  graph.draw(view, { centreId: result.from.id, key: `path|${result.from.id}|${result.to.id}`, pathIds: ids, layered: true });
  hideMessage();
  setSummary("ready", { mode: "path", length: result.paths[0].length });
  renderPathPanel(result);
  // A tapped connection: emphasise it and bring its step into view.
  graph.select(state.edge);
  const step = state.edge && ui.panel.querySelector(`[data-edge="${CSS.escape(state.edge)}"]`);
  if (step) {
    step.closest("details")?.setAttribute("open", "");
    step.classList.add("current");
    step.scrollIntoView({ block: "nearest" });
  }
}

async function syncWelcome(stale) {
  shown = { ego: null, view: null, path: null };
  graph.draw({ nodes: [], edges: [] });
  document.title = "newsgraph Explorer";
  ui.search.value = "";
  setSummary("welcome");
  ui.showMore.hidden = true;
  renderPanelIntro();
  showMessage("welcome", h("p", { class: "spinner" }, "Loading…"));
  const { stats, actors } = await api.overview();
  if (stale()) return;
  const top = actors.slice(0, 8);
  showMessage(
    "welcome",
    h("h2", {}, "Who said what to whom?"),
    h(
      "p",
      {},
      "Type a name in the search box — a person, an organization or a country. Names and aliases both work, with or without accents.",
    ),
    stats.actors === 0
      ? h("p", { class: "muted" }, "The store is empty: ingest some articles first (newsgraph ingest seed).")
      : h("p", { class: "muted" }, `The store holds ${stats.documents} articles, ${stats.actors} actors and ${stats.relations} relations.`),
    top.length > 0 ? h("p", { class: "try" }, "Try: ", top.map((a) => h("button", { type: "button", class: "chip", onclick: () => recentre(a.name) }, kindDot(a.kind), a.name))) : null,
  );
}

async function syncDocument(stale) {
  if (!state.doc) {
    if (ui.doc.open) ui.doc.close();
    return;
  }
  if (ui.doc.dataset.id === state.doc && ui.doc.dataset.hl === state.hl && ui.doc.open) return;
  ui.docTitle.textContent = "Loading the article…";
  ui.docMeta.textContent = "";
  fill(ui.docBody);
  if (!ui.doc.open) ui.doc.showModal();
  try {
    const doc = await api.documentText(state.doc);
    if (stale()) return;
    if (!doc) {
      ui.docTitle.textContent = "Article not found";
      ui.docBody.append(h("p", {}, "The store has no article with this id (it may have been replaced by a newer version)."));
      return;
    }
    ui.doc.dataset.id = state.doc;
    ui.doc.dataset.hl = state.hl;
    ui.docTitle.textContent = doc.title || "(untitled)";
    ui.docMeta.textContent = [doc.source ?? "source not named", doc.published ?? "undated"].join(" · ");
    const [start, end] = state.hl ? state.hl.split("-").map(Number) : [NaN, NaN];
    const parts = splitAtBytes(doc.text ?? "", start, end);
    const mark = parts.match ? h("mark", { id: "doc-highlight", tabindex: "-1" }, parts.match) : null;
    fill(ui.docBody, parts.before, mark, parts.after);
    if (mark) mark.scrollIntoView({ block: "center" });
  } catch (e) {
    if (stale()) return;
    ui.docTitle.textContent = "Could not load the article";
    fill(ui.docBody, h("p", {}, describeError(e)));
  }
}

// ---------------------------------------------------------------- rendering

function renderControls() {
  for (const r of ui.depth) r.checked = Number(r.value) === state.depth;
  for (const c of ui.kinds) c.checked = state.kinds.includes(c.value);
  ui.from.value = state.from;
  ui.to.value = state.to;
  ui.undated.checked = state.undated;
  ui.minConfidence.value = String(state.minConfidence);
  ui.minConfidenceValue.value = state.minConfidence.toFixed(2);
  // The path finder draws chains as the API finds them; the filters are for ego networks.
  for (const f of ui.toolbar.querySelectorAll("fieldset")) f.disabled = Boolean(state.pathFrom && state.pathTo);
}

/** Downloads need something drawn. */
function renderExport() {
  for (const b of ui.exportButtons) b.disabled = !(shown.view && shown.view.nodes.length > 0);
}

function setSummary(status, { actor = "", mode = "ego", length = 0 } = {}) {
  const { nodes, edges } = status === "ready" || status === "empty" ? graph.summary() : { nodes: 0, edges: 0 };
  // Zoom and download make sense only with something drawn.
  $("graph-pane").dataset.graph = nodes > 0 ? "some" : "none";
  const s = ui.summary;
  s.dataset.state = status;
  s.dataset.mode = mode;
  s.dataset.nodes = String(nodes);
  s.dataset.edges = String(edges);
  s.dataset.actor = actor;
  if (status === "ready" || status === "empty") {
    const what = mode === "path" ? `Path · ${length} step${length === 1 ? "" : "s"}` : actor;
    fill(s,
      h("strong", {}, what),
      h("span", {}, ` ${nodes} actor${nodes === 1 ? "" : "s"} · ${edges} connection${edges === 1 ? "" : "s"}`),
    );
    s.hidden = false;
  } else {
    fill(s);
    s.hidden = true;
  }
}

function showMessage(kind, ...content) {
  ui.message.dataset.kind = kind;
  fill(ui.message, h("div", { class: "message-card" }, ...content));
  ui.message.hidden = false;
}

function hideMessage() {
  ui.message.hidden = true;
  ui.message.dataset.kind = "";
}

async function renderUnknown(name) {
  setSummary("unknown");
  ui.showMore.hidden = true;
  document.title = "Unknown actor — newsgraph Explorer";
  const body = h("div", { class: "did-you-mean" });
  showMessage(
    "unknown",
    h("h2", {}, `No actor called “${name}”`),
    h("p", {}, "Check the spelling, or type part of the name in the search box to see suggestions."),
    body,
  );
  renderPanelIntro();
  // A friendlier dead end: actors sharing a word with what was asked.
  const word = name.split(/\s+/).sort((a, b) => b.length - a.length)[0];
  if (!word || word.length < 3) return;
  try {
    let { actors } = await api.searchActors(word, { first: 6 });
    if (actors.length === 0 && word.length > 4) ({ actors } = await api.searchActors(word.slice(0, 4), { first: 6 }));
    if (actors.length > 0 && ui.message.dataset.kind === "unknown") {
      body.append(h("p", { class: "try" }, "Did you mean: ", actors.map((a) => h("button", { type: "button", class: "chip", onclick: () => recentre(a.name) }, kindDot(a.kind), a.name))));
    }
  } catch {
    // The suggestions are a nicety; the message above already says what happened.
  }
}

function renderPanelIntro() {
  fill(ui.panel,
    h("h2", { class: "panel-title" }, "How to read the graph"),
    h("p", {}, "Each shape is an actor; each arrow says that one actor said something to, requested something of, or rejected another. A number on an arrow counts the sentences behind it."),
    legend(),
    h("p", { class: "muted" }, "Click an actor to centre on it. Click an arrow to read the sentences behind it, and open each in its article."),
  );
}

function legend() {
  return h(
    "div",
    { class: "legend-block" },
    h("ul", { class: "legend-list" }, Object.entries(ACTOR_STYLE).map(([kind, s]) => h("li", {}, shapeIcon(kind), s.label))),
    h("ul", { class: "legend-list" }, RELATION_KINDS.map((k) => h("li", {}, h("span", { class: `arrow arrow-${k.toLowerCase()}` }), KIND_LABEL[k]))),
  );
}

function shapeIcon(kind) {
  return h("span", { class: `shape shape-${kind.toLowerCase()}`, "aria-hidden": "true" });
}

function kindDot(kind) {
  return h("span", { class: `dot dot-${kind.toLowerCase()}`, "aria-hidden": "true" });
}

function actorLink(actor) {
  if (!actor) return h("em", {}, "someone unnamed");
  return h("button", { type: "button", class: "actor-link", onclick: () => recentre(actor.name), title: `Centre on ${actor.name}` }, kindDot(actor.kind), actor.name);
}

function renderActor(ego, view) {
  const c = ego.centre;
  const own = ego.relations.filter((r) => r.subject?.id === c.id || r.object?.id === c.id);
  const docs = new Set(own.map((r) => r.document?.id).filter(Boolean));
  const touching = view.edges.filter((e) => e.source === c.id || e.target === c.id);
  const others = view.edges.filter((e) => e.source !== c.id && e.target !== c.id);
  const list = h("ul", { class: "connections", "aria-label": `Connections of ${c.name}` });
  const shownEdges = [...touching, ...others].slice(0, 200);
  for (const e of shownEdges) {
    const s = view.nodes.find((n) => n.id === e.source);
    const t = view.nodes.find((n) => n.id === e.target);
    list.append(
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "connection", "data-nav": true, "data-edge": e.id, onclick: () => setState({ edge: e.id }, { push: true }) },
          h("span", { class: "connection-ends" }, s.name, h("span", { class: `arrow arrow-${e.kind.toLowerCase()}`, "aria-hidden": "true" }), t.name),
          h("span", { class: "connection-kind" }, relationBadge(e.kind), e.relations.length > 1 ? ` ×${e.relations.length}` : "", corroborationNote(e)),
        ),
      ),
    );
  }
  arrowKeys(list);
  const solo = view.solo;
  fill(ui.panel,
    h(
      "header",
      { class: "actor-card" },
      kindBadge(c.kind),
      h("h2", { id: "actor-name" }, c.name),
      c.aliases.length > 0 ? h("p", { class: "aliases" }, "Also: ", c.aliases.join(" · ")) : null,
      h(
        "p",
        { class: "counts" },
        `${touching.length} connection${touching.length === 1 ? "" : "s"} · ${solo.length} statement${solo.length === 1 ? "" : "s"} without an addressee · ${docs.size} article${docs.size === 1 ? "" : "s"}`,
      ),
      ego.neighboursCapped > 0 ? h("p", { class: "muted" }, `Depth 2 follows the ${DEPTH2_NEIGHBOURS} best-connected neighbours; ${ego.neighboursCapped} more are not expanded.`) : null,
      ego.truncated ? h("p", { class: "muted" }, "Some actors here have more relations than the Explorer loads at once; the busiest ones are shown in part.") : null,
    ),
    timelineSection(
      { actor: c.id, minConfidence: state.minConfidence },
      own.map((r) => r.document?.published),
      { subject: `Relations of ${c.name}`, heading: "Over time" },
    ),
    shownEdges.length > 0 ? h("h3", {}, "Connections") : null,
    shownEdges.length > 0 ? list : null,
    shownEdges.length > 0 ? h("p", { class: "hint" }, "Choose one to read the sentences behind it.") : null,
    solo.length > 0
      ? h(
          "details",
          { class: "solo", open: shownEdges.length === 0 },
          h("summary", {}, `Statements without an addressee (${solo.length})`),
          evidenceList(solo),
        )
      : null,
  );
}

function renderEvidence(edge, centre) {
  const s = edge.relations[0].subject;
  const t = edge.relations[0].object;
  const docs = new Set(edge.relations.map((r) => r.document?.id));
  const n = edge.relations.length;
  const corroboration = edgeCorroboration(edge);
  fill(ui.panel,
    h("button", { type: "button", class: "back", onclick: () => setState({ edge: "" }, { push: true }) }, `← ${centre.name}`),
    h(
      "header",
      { class: "evidence-head", id: "evidence", "data-edge": edge.id },
      h("h2", {}, actorLink(s), " ", relationBadge(edge.kind), " ", actorLink(t)),
      h("p", { class: "counts" }, `${n} sentence${n === 1 ? "" : "s"} from ${docs.size} article${docs.size === 1 ? "" : "s"}`),
      corroboration
        ? h(
            "p",
            { class: "counts corroboration", "data-documents": corroboration.documentCount, "data-outlets": corroboration.sourceCount },
            `Reported by ${corroboration.documentCount} document${corroboration.documentCount === 1 ? "" : "s"} from ${corroboration.sourceCount} outlet${corroboration.sourceCount === 1 ? "" : "s"} in the whole store`,
          )
        : null,
    ),
    timelineSection(
      { actor: s.id, counterpart: t.id, kind: edge.kind, minConfidence: state.minConfidence },
      pairRelations(edge).map((r) => r.document?.published),
      { subject: `“${KIND_LABEL[edge.kind]}” between ${s.name} and ${t.name}`, heading: "Over time, both directions" },
    ),
    h("h3", {}, "Evidence"),
    evidenceList(edge.relations),
  );
  ui.panel.querySelector("[data-nav]")?.focus({ preventScroll: true });
}

/** " · 3 docs" after a connection that more than one document reports, for the actor panel's list. */
function corroborationNote(edge) {
  const c = edgeCorroboration(edge);
  return c && c.documentCount > 1 ? h("span", { class: "docs", title: `Reported by ${c.documentCount} documents from ${c.sourceCount} outlet${c.sourceCount === 1 ? "" : "s"}` }, ` · ${c.documentCount} docs`) : null;
}

/** The loaded relations of an edge's kind between its two actors, either way round. */
function pairRelations(edge) {
  const ends = new Set([edge.source, edge.target]);
  const all = shown.ego?.relations ?? edge.relations;
  return all.filter((r) => r.kind === edge.kind && ends.has(r.subject?.id) && ends.has(r.object?.id) && r.subject.id !== r.object.id);
}

function loadTimeline(query, interval) {
  const key = JSON.stringify([query.actor, query.counterpart ?? null, query.kind ?? null, query.minConfidence ?? 0, interval]);
  let entry = timelineCache.get(key);
  if (!entry) {
    entry = { value: null, promise: api.timeline(query, interval) };
    const saved = entry;
    entry.promise.then((t) => (saved.value = t), () => timelineCache.delete(key));
    timelineCache.set(key, entry);
    if (timelineCache.size > 50) timelineCache.delete(timelineCache.keys().next().value);
  }
  return entry;
}

/**
 * A panel's "Over time" section: the API's timeline for `query`, per day,
 * week or month as suits the span of `dates` (the publication dates of the
 * relations already loaded), drawn as soon as it arrives.
 */
function timelineSection(query, dates, { subject, heading }) {
  const box = h("section", { class: "timeline" });
  const entry = loadTimeline(query, chooseInterval(dates));
  const draw = (t) => fill(box, h("h3", {}, heading), timelineFigure(t, subject));
  if (entry.value) draw(entry.value);
  else {
    fill(box, h("h3", {}, heading), h("p", { class: "muted spinner" }, "Loading the timeline…"));
    entry.promise.then(draw, (e) => fill(box, h("h3", {}, heading), h("p", { class: "muted" }, `No timeline: ${describeError(e)}`)));
  }
  return box;
}

/** Stacked bars by kind, with the page's filters dimming what they leave out. */
function timelineFigure(t, subject) {
  const chart = timelineChart(t, { subject, filters: { kinds: state.kinds, from: state.from, to: state.to } });
  const per = { DAY: "day", WEEK: "week", MONTH: "month" }[chart.interval];
  const plot = svg(
    "svg",
    { class: "timeline-plot", viewBox: `0 0 ${chart.width} ${chart.height}`, preserveAspectRatio: "none", role: "img", "aria-label": chart.label },
    svg("line", { class: "baseline", x1: 0, y1: chart.height, x2: chart.width, y2: chart.height }),
    chart.bars.map((b) =>
      svg(
        "g",
        { class: b.dimmed ? "bar dimmed" : "bar", "data-count": b.count, "data-start": b.start },
        svg("title", {}, b.title),
        svg("rect", { class: "hit", x: b.x - 1, y: 0, width: b.width + 2, height: chart.height }),
        b.segments.map((seg) =>
          svg("rect", { class: `seg seg-${seg.kind.toLowerCase()}${seg.dimmed ? " dimmed" : ""}`, x: b.x, y: seg.y, width: b.width, height: seg.height }),
        ),
      ),
    ),
  );
  const first = chart.bars[0];
  const last = chart.bars[chart.bars.length - 1];
  const kinds = RELATION_KINDS.filter((k) => chart.bars.some((b) => b.segments.some((s) => s.kind === k)));
  return h(
    "figure",
    { class: "timeline-chart", "data-total": chart.total, "data-undated": chart.undated, "data-interval": chart.interval, "data-buckets": chart.bars.length },
    chart.bars.length > 0 ? h("div", { class: "timeline-frame" }, h("span", { class: "timeline-max", "aria-hidden": "true" }, String(chart.max)), plot) : null,
    chart.bars.length > 0
      ? h("div", { class: "timeline-axis", "aria-hidden": "true" }, h("span", {}, bucketName(first, chart.interval)), chart.bars.length > 1 ? h("span", {}, bucketName(last, chart.interval)) : null)
      : null,
    h(
      "figcaption",
      {},
      h("span", { class: "timeline-total" }, `${chart.total} relation${chart.total === 1 ? "" : "s"}`),
      chart.bars.length > 0 ? ` · per ${per}` : "",
      ` · ${chart.undated} undated`,
      kinds.length > 0 ? h("span", { class: "timeline-key", "aria-hidden": "true" }, kinds.map((k) => h("span", { class: `key key-${k.toLowerCase()}` }, KIND_LABEL[k]))) : null,
    ),
  );
}

/** Evidence sentences, each with its quote, event, article and a link into the article. */
function evidenceList(relations) {
  const list = h("ol", { class: "evidence" });
  for (const r of relations) list.append(h("li", {}, evidenceItem(r)));
  arrowKeys(list);
  return list;
}

function evidenceItem(r) {
  const parts = splitQuote(r.evidence.sentence, r.quote);
  const sentence = parts
    ? h("blockquote", { class: "sentence" }, parts[0], h("q", { class: "quote" }, parts[1]), parts[2])
    : h("blockquote", { class: "sentence" }, r.evidence.sentence);
  const what = r.event
    ? h("p", { class: "event" }, r.kind === "REJECTED" ? "Rejected: " : r.kind === "REQUESTED" ? "Asked for: " : "About: ", h("strong", {}, r.event.label), r.event.date ? ` (${r.event.date})` : "")
    : null;
  const quote = r.quote && !parts ? h("p", { class: "quote-line" }, "Quote: ", h("q", { class: "quote" }, r.quote)) : null;
  const href = r.document ? `${location.pathname}${formatState({ ...state, doc: r.document.id, hl: `${r.evidence.start}-${r.evidence.end}` })}` : null;
  return h(
    "article",
    { class: "evidence-item" },
    what,
    sentence,
    quote,
    r.document
      ? h(
          "footer",
          {},
          docMeta(r.document),
          typeof r.confidence === "number"
            ? h("span", { class: "confidence-tag", title: "How sure the extraction is of this relation (0 to 1)" }, `confidence ${r.confidence.toFixed(2)}`)
            : null,
          h(
            "a",
            {
              href,
              class: "read",
              "data-nav": true,
              onclick: (e) => {
                if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                e.preventDefault();
                setState({ doc: r.document.id, hl: `${r.evidence.start}-${r.evidence.end}` }, { push: true });
              },
            },
            "Read in the article →",
          ),
        )
      : null,
  );
}

function docMeta(doc) {
  const bits = [doc.source, doc.published ?? "undated"].filter(Boolean);
  return h("span", { class: "doc-meta" }, h("cite", {}, doc.title || "(untitled)"), bits.length ? ` — ${bits.join(" · ")}` : "");
}

function renderPathPanel(result) {
  const panel = [];
  panel.push(h("h2", { class: "panel-title" }, "Path finder"));
  if (!result.from || !result.to) {
    panel.push(h("p", {}, `No actor called “${!result.from ? state.pathFrom : state.pathTo}”. Pick both ends from the suggestions.`));
  } else if (result.paths.length === 0) {
    panel.push(h("p", { id: "path-result", "data-length": "0", "data-chains": "0" }, `No chain of at most ${MAX_HOPS} relations links ${result.from.name} and ${result.to.name}.`));
  } else {
    const length = result.paths[0].length;
    const n = result.paths.length;
    const chains = result.paths.map((path, i) => {
      const steps = pathSteps(result.from.id, path);
      const list = h("ol", { class: "path-steps" });
      for (const step of steps) {
        const r = step.relation;
        list.append(
          h(
            "li",
            { "data-edge": r.subject && r.object ? edgeId(r.subject.id, r.object.id, r.kind) : null },
            h("p", { class: "step" }, actorLink(step.relation.subject), " ", relationBadge(step.relation.kind), " ", actorLink(step.relation.object)),
            evidenceItem(step.relation),
          ),
        );
      }
      arrowKeys(list);
      const route = [steps[0]?.from, ...steps.map((s) => s.to)].map((a) => a?.name ?? "?").join(" → ");
      return n === 1 ? list : h("details", { class: "chain", open: i === 0 }, h("summary", {}, h("span", { class: "chain-n" }, `Chain ${i + 1}`), " ", route), list);
    });
    panel.push(
      h(
        "div",
        { id: "path-result", "data-length": String(length), "data-chains": String(n) },
        h(
          "p",
          { class: "counts" },
          `${result.from.name} and ${result.to.name} are ${length} relation${length === 1 ? "" : "s"} apart` +
            (n > 1 ? `; ${n === MAX_CHAINS ? `the first ${n}` : `all ${n}`} shortest chains:` : ":"),
        ),
        chains,
      ),
    );
  }
  panel.push(h("button", { type: "button", class: "back", onclick: closePath }, "Close the path finder"));
  fill(ui.panel, ...panel);
}

// ---------------------------------------------------------------- errors

function describeError(e) {
  if (e instanceof api.ServerUnreachable) return "The newsgraph server is not answering. Check that `newsgraph serve` is still running.";
  if (e instanceof api.ApiError) return `The server refused the request: ${e.message}`;
  return `Something went wrong: ${e.message}`;
}

function showFailure(e) {
  console.error(e);
  setSummary("error");
  if (e instanceof api.ServerUnreachable) {
    showBanner(
      h("strong", {}, "Can't reach the newsgraph server. "),
      `The page could not load data from ${api.ENDPOINT}. Check that \`newsgraph serve\` is still running, then `,
      h("button", { type: "button", class: "link", onclick: () => (egoCache.clear(), sync()) }, "try again"),
      ".",
    );
    showMessage("unreachable", h("h2", {}, "The server is not answering"), h("p", {}, "Nothing can be shown until it is back. Your place is kept in the address bar: reload the page when the server runs again."));
  } else {
    showMessage("error", h("h2", {}, "That did not work"), h("p", {}, describeError(e)));
  }
}

function showBanner(...content) {
  fill(ui.banner, ...content);
  ui.banner.hidden = false;
}

function hideBanner() {
  ui.banner.hidden = true;
}

// ---------------------------------------------------------------- controls

function resetFilters() {
  setState({ kinds: DEFAULT_STATE.kinds, from: "", to: "", undated: true, minConfidence: 0 });
}

function closePath() {
  ui.pathForm.hidden = true;
  ui.pathToggle.setAttribute("aria-expanded", "false");
  setState({ pathFrom: "", pathTo: "" }, { push: true });
}

$("search-form").addEventListener("submit", (e) => e.preventDefault());
actorCombobox(ui.search, {
  onPick: (actor) => {
    ui.search.blur();
    recentre(actor.name);
  },
  onError: (e) => showFailure(e),
});

// A phone's search box is too narrow for the full hint.
const narrow = window.matchMedia("(max-width: 500px)");
const placeholder = () => (ui.search.placeholder = narrow.matches ? "Find an actor…" : "Find a person, organization or country…");
narrow.addEventListener("change", placeholder);
placeholder();

const pathBoxes = {
  from: actorCombobox(ui.pathFrom, { onPick: () => ui.pathTo.focus(), onError: showFailure }),
  to: actorCombobox(ui.pathTo, { onPick: () => ui.pathForm.requestSubmit(), onError: showFailure }),
};

ui.pathForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const from = ui.pathFrom.value.trim();
  const to = ui.pathTo.value.trim();
  if (!from) return ui.pathFrom.focus();
  if (!to) return ui.pathTo.focus();
  setState({ pathFrom: from, pathTo: to, edge: "" }, { push: true });
});

ui.pathToggle.addEventListener("click", () => {
  if (!ui.pathForm.hidden) {
    if (state.pathFrom || state.pathTo) closePath();
    else {
      ui.pathForm.hidden = true;
      ui.pathToggle.setAttribute("aria-expanded", "false");
    }
    return;
  }
  ui.pathForm.hidden = false;
  ui.pathToggle.setAttribute("aria-expanded", "true");
  if (!ui.pathFrom.value && shown.ego) ui.pathFrom.value = shown.ego.centre.name;
  (ui.pathFrom.value ? ui.pathTo : ui.pathFrom).focus();
});
$("path-close").addEventListener("click", closePath);

ui.filtersToggle.addEventListener("click", () => {
  const open = ui.toolbar.classList.toggle("open");
  ui.filtersToggle.setAttribute("aria-expanded", String(open));
});

for (const r of ui.depth) {
  r.addEventListener("change", () => {
    limit = NODE_STEP;
    setState({ depth: Number(r.value) === 2 ? 2 : 1 });
  });
}
for (const c of ui.kinds) {
  c.addEventListener("change", () => setState({ kinds: ui.kinds.filter((k) => k.checked).map((k) => k.value) }));
}
ui.from.addEventListener("change", () => setState({ from: ui.from.value }));
ui.to.addEventListener("change", () => setState({ to: ui.to.value }));
ui.undated.addEventListener("change", () => setState({ undated: ui.undated.checked }));
// The number follows the thumb; the graph reloads when it is let go.
ui.minConfidence.addEventListener("input", () => (ui.minConfidenceValue.value = Number(ui.minConfidence.value).toFixed(2)));
ui.minConfidence.addEventListener("change", () => setState({ minConfidence: Number(ui.minConfidence.value) }));

ui.showMore.addEventListener("click", () => {
  limit += NODE_STEP;
  sync();
});

$("zoom-in").addEventListener("click", () => graph.cy.zoom({ level: graph.cy.zoom() * 1.25, renderedPosition: centreOfCanvas() }));
$("zoom-out").addEventListener("click", () => graph.cy.zoom({ level: graph.cy.zoom() / 1.25, renderedPosition: centreOfCanvas() }));
$("zoom-fit").addEventListener("click", () => graph.fit());

function centreOfCanvas() {
  return { x: graph.cy.width() / 2, y: graph.cy.height() / 2 };
}

ui.doc.addEventListener("close", () => {
  ui.doc.dataset.id = "";
  if (state.doc) setState({ doc: "", hl: "" }, { push: true });
});
$("doc-close").addEventListener("click", () => ui.doc.close());

// "/" jumps to the search box, as on many sites.
document.addEventListener("keydown", (e) => {
  if (e.key === "/" && !e.ctrlKey && !e.metaKey && !(e.target instanceof HTMLInputElement) && !ui.doc.open) {
    e.preventDefault();
    ui.search.focus();
    ui.search.select();
  }
});

// ---------------------------------------------------------------- export

/** The current view as a file: `format` is "svg", "dot" or "json". */
async function exportView(format) {
  const base = fileBase();
  if (format === "dot") {
    const text = shown.ego
      ? await api.dot({ actor: shown.ego.centre.id, depth: state.depth, minConfidence: state.minConfidence })
      : await api.dot({ from: shown.path.from.id, to: shown.path.to.id, maxHops: shown.path.paths[0]?.length ?? MAX_HOPS });
    return { filename: `${base}.dot`, type: "text/vnd.graphviz", text };
  }
  if (format === "svg") return { filename: `${base}.svg`, type: "image/svg+xml", text: graph.toSVG(base) };
  return { filename: `${base}.json`, type: "application/json", text: JSON.stringify(exportJson(), null, 2) + "\n" };
}
window.newsgraphExplorer.export = async (format) => (await exportView(format)).text;

for (const b of ui.exportButtons) {
  b.addEventListener("click", async () => {
    try {
      const { filename, type, text } = await exportView(b.dataset.export);
      download(filename, type, text);
    } catch (e) {
      showFailure(e);
    }
  });
}

function fileBase() {
  const name = shown.ego ? shown.ego.centre.name : `${state.pathFrom}-to-${state.pathTo}`;
  return `newsgraph-${name.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "")}`;
}

/** The current view: its actors and its merged connections with every relation behind them. */
function exportJson() {
  const view = shown.view ?? { nodes: [], edges: [] };
  return {
    view: shown.ego ? { actor: shown.ego.centre.name, depth: state.depth } : { pathFrom: state.pathFrom, pathTo: state.pathTo },
    filters: { kinds: state.kinds, from: state.from || null, to: state.to || null, includeUndated: state.undated, minConfidence: state.minConfidence },
    url: location.href,
    actors: view.nodes.map(({ id, name, kind, aliases }) => ({ id, name, kind, ...(aliases ? { aliases } : {}) })),
    connections: view.edges.map((e) => ({
      subject: e.source,
      object: e.target,
      kind: e.kind,
      count: e.relations.length,
      relations: e.relations.map((r) => ({
        id: r.id,
        confidence: r.confidence,
        corroboration: r.corroboration,
        quote: r.quote,
        event: r.event,
        evidence: r.evidence,
        document: r.document,
      })),
    })),
  };
}

// ---------------------------------------------------------------- start

sync();
