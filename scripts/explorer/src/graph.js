// The drawing: cytoscape with the fCoSE layout, styled like the DOT writer
// (actor kinds as shapes and fills, relation kinds as edge colours).

import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { KIND_LABEL, edgeCorroboration, edgeLabel } from "./model.js";

cytoscape.use(fcose);

/** Fill, border and shape per actor kind (fills as in the DOT export). */
export const ACTOR_STYLE = {
  PERSON: { fill: "#fde2c8", border: "#c7762b", shape: "ellipse", label: "Person" },
  ORGANIZATION: { fill: "#d6e4f5", border: "#4a6fa5", shape: "round-rectangle", label: "Organization" },
  COUNTRY: { fill: "#d9f0d3", border: "#4f8a3f", shape: "hexagon", label: "Country" },
  GROUP: { fill: "#eadcf2", border: "#8a5aa8", shape: "octagon", label: "Group" },
};

/** Edge colour per relation kind (as in the DOT export). */
export const RELATION_COLOUR = { SAID: "#4a6fa5", REQUESTED: "#d9822b", REJECTED: "#c23030" };

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

function stylesheet() {
  const style = [
    {
      selector: "node",
      style: {
        label: "data(name)",
        "font-family": FONT,
        "font-size": 12,
        "font-weight": 500,
        color: "#1f2933",
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 5,
        "text-wrap": "wrap",
        "text-max-width": 130,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": 2,
        "text-background-shape": "round-rectangle",
        "min-zoomed-font-size": 7,
        width: "data(size)",
        height: "data(size)",
        "border-width": 2,
        "overlay-padding": 6,
      },
    },
    {
      selector: "node.centre",
      style: { "border-width": 4, "font-size": 14, "font-weight": 700, "z-index": 10 },
    },
    {
      selector: "edge",
      style: {
        "curve-style": "bezier",
        "control-point-step-size": 56,
        width: "data(width)",
        "target-arrow-shape": "triangle",
        "arrow-scale": 1.1,
        label: "data(label)",
        "font-family": FONT,
        "font-size": 10,
        "font-weight": 600,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.9,
        "text-background-padding": 2,
        "text-background-shape": "round-rectangle",
        "min-zoomed-font-size": 8,
        "overlay-padding": 5,
      },
    },
    { selector: "edge.selected", style: { width: "mapData(width, 1, 8, 4, 10)", "z-index": 20, "overlay-color": "#f59f00", "overlay-opacity": 0.18, "overlay-padding": 7, "font-size": 12 } },
    { selector: "node:selected", style: { "overlay-opacity": 0 } },
    { selector: ".dimmed", style: { opacity: 0.3 } },
    { selector: ".faded", style: { opacity: 0.18 } },
    { selector: "node.path", style: { "border-width": 4 } },
    // Phone-sized canvases: the fitted graph is zoomed out, so letters start bigger.
    { selector: "node.big-labels", style: { "font-size": 15 } },
    { selector: "node.centre.big-labels", style: { "font-size": 17 } },
    { selector: "edge.big-labels", style: { "font-size": 12 } },
  ];
  for (const [kind, s] of Object.entries(ACTOR_STYLE)) {
    style.push({
      selector: `node[kind = "${kind}"]`,
      style: { shape: s.shape, "background-color": s.fill, "border-color": s.border },
    });
  }
  for (const [kind, colour] of Object.entries(RELATION_COLOUR)) {
    style.push({
      selector: `edge[kind = "${kind}"]`,
      style: { "line-color": colour, "target-arrow-color": colour, color: colour },
    });
  }
  return style;
}

/** Math.random replaced by a seeded generator while `fn` runs: the same graph lays out the same way. */
function withSeededRandom(seed, fn) {
  const saved = Math.random;
  let s = seed >>> 0 || 1;
  Math.random = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  try {
    return fn();
  } finally {
    Math.random = saved;
  }
}

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The graph canvas. `onNode(id)` and `onEdge(id)` are called on tap (and
 * on Enter in the connection list, through the same functions).
 */
export class GraphCanvas {
  constructor(container, { onNode, onEdge, onBackground }) {
    this.positions = new Map(); // actor id -> position, kept across redraws of one actor
    this.cy = cytoscape({
      container,
      style: stylesheet(),
      minZoom: 0.15,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: "single",
    });
    this.cy.on("tap", "node", (evt) => onNode(evt.target.id()));
    this.cy.on("tap", "edge", (evt) => onEdge(evt.target.id()));
    this.cy.on("tap", (evt) => {
      if (evt.target === this.cy) onBackground();
    });
    // Hovering an actor fades what is not connected to it.
    this.cy.on("mouseover", "node", (evt) => {
      const keep = evt.target.closedNeighborhood();
      this.cy.elements().not(keep).addClass("faded");
    });
    this.cy.on("mouseout", "node", () => this.cy.elements().removeClass("faded"));
    window.addEventListener("resize", () => this.cy.resize());
  }

  /**
   * Draws `view` ({ nodes, edges }) with `centreId` emphasised. `key` names
   * the layout (the actor and depth): within one key, actors keep the
   * positions they had, so toggling a filter does not reshuffle the picture.
   */
  draw(view, { centreId = null, key = "", pathIds = null, layered = false } = {}) {
    const cy = this.cy;
    if (this.key !== key) {
      this.positions.clear();
      this.key = key;
    }
    const maxWeight = Math.max(1, ...view.nodes.map((n) => n.weight ?? 1));
    // In a dense picture the colour says the kind; only counts are written out.
    const dense = view.edges.length > 40;
    const elements = [
      ...view.nodes.map((n) => ({
        group: "nodes",
        data: {
          id: n.id,
          name: n.name,
          kind: n.kind,
          size: n.id === centreId ? 58 : 30 + 20 * Math.sqrt((n.weight ?? 1) / maxWeight),
        },
        classes: [n.id === centreId ? "centre" : "", pathIds?.has(n.id) ? "path" : ""].join(" ").trim(),
      })),
      ...view.edges.map((e) => {
        const n = e.relations.length;
        const corroboration = edgeCorroboration(e);
        return {
          group: "edges",
          data: {
            id: e.id,
            source: e.source,
            target: e.target,
            kind: e.kind,
            count: n,
            width: Math.min(8, 1.5 + 1.6 * Math.log2(n + 0.0001) + 0.5),
            documents: corroboration?.documentCount ?? null,
            outlets: corroboration?.sourceCount ?? null,
            label: edgeLabel(e, { dense }),
          },
        };
      }),
    ];
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    if (Math.min(cy.width(), cy.height()) < 500) cy.elements().addClass("big-labels");
    const known = view.nodes.every((n) => this.positions.has(n.id));
    if (layered) {
      // A path reads left to right, one step after the other; parallel chains stack.
      const step = Math.min(cy.width(), cy.height()) < 500 ? 130 : 190;
      for (const n of view.nodes) {
        const zigzag = n.layerSize === 1 && n.layer % 2 === 1 ? 36 : 0;
        cy.getElementById(n.id).position({ x: n.layer * step, y: (n.rank - (n.layerSize - 1) / 2) * 120 + zigzag });
      }
      this.fitAspect(null);
    } else if (known && view.nodes.length > 0) {
      cy.nodes().forEach((node) => node.position({ ...this.positions.get(node.id()) }));
    } else {
      this.layout(centreId, key);
    }
    cy.nodes().forEach((node) => this.positions.set(node.id(), { ...node.position() }));
    this.fit();
  }

  layout(centreId, key) {
    const cy = this.cy;
    const n = cy.nodes().length;
    if (n === 0) return;
    const incremental = this.positions.size > 0;
    // A phone-sized canvas gets a tighter layout, so that fitting it does not shrink the labels.
    const compact = Math.min(cy.width(), cy.height()) < 500;
    if (incremental) {
      // New actors start next to a neighbour that already has a place.
      cy.nodes().forEach((node) => {
        const p = this.positions.get(node.id());
        if (p) {
          node.position({ ...p });
        } else {
          const anchor = node.neighborhood("node").filter((m) => this.positions.has(m.id()))[0];
          const base = anchor ? this.positions.get(anchor.id()) : { x: 0, y: 0 };
          const a = (hash(node.id()) % 360) * (Math.PI / 180);
          node.position({ x: base.x + 60 * Math.cos(a), y: base.y + 60 * Math.sin(a) });
        }
      });
    }
    const options = {
      name: "fcose",
      quality: "proof",
      randomize: !incremental,
      animate: false,
      fit: false,
      nodeDimensionsIncludeLabels: true,
      packComponents: true,
      nodeRepulsion: () => 9000,
      idealEdgeLength: () => (compact ? 70 : n > 60 ? 90 : 140),
      edgeElasticity: () => 0.35,
      nodeSeparation: compact ? 50 : 80,
      numIter: 2500,
      tile: true,
    };
    if (centreId && cy.getElementById(centreId).nonempty()) {
      options.fixedNodeConstraint = [{ nodeId: centreId, position: this.positions.get(centreId) ?? { x: 0, y: 0 } }];
    }
    if (n === 1) {
      cy.nodes().position({ x: 0, y: 0 });
      return;
    }
    withSeededRandom(hash(key), () => cy.layout(options).run());
    this.fitAspect(centreId);
  }

  /**
   * Turns the picture a quarter when its shape fights the canvas (a wide
   * layout on a tall phone screen, or the reverse), so that it fills the
   * screen instead of shrinking to fit.
   */
  fitAspect(centreId) {
    const cy = this.cy;
    const bb = cy.nodes().boundingBox();
    const wideGraph = bb.w > bb.h * 1.25;
    const tallGraph = bb.h > bb.w * 1.25;
    const tallCanvas = cy.height() > cy.width() * 1.2;
    const wideCanvas = cy.width() > cy.height() * 1.2;
    if (!((wideGraph && tallCanvas) || (tallGraph && wideCanvas))) return;
    const pivot = (centreId && cy.getElementById(centreId).nonempty() ? cy.getElementById(centreId).position() : null) ?? {
      x: (bb.x1 + bb.x2) / 2,
      y: (bb.y1 + bb.y2) / 2,
    };
    const { x: cx, y: cy0 } = { ...pivot };
    cy.nodes().positions((node) => {
      const p = node.position();
      return { x: cx - (p.y - cy0), y: cy0 + (p.x - cx) };
    });
  }

  fit() {
    const cy = this.cy;
    cy.resize();
    if (cy.nodes().length === 0) return;
    cy.fit(cy.elements(), Math.min(cy.width(), cy.height()) < 500 ? 20 : 40);
    // A graph of a few actors should not be blown up to fill the screen.
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center();
    }
  }

  /** Moves the picture into the lower part of the canvas, below a message. */
  lower() {
    const cy = this.cy;
    if (cy.zoom() > 1) cy.zoom({ level: 1, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    const bb = cy.elements().renderedBoundingBox();
    cy.panBy({ x: cy.width() / 2 - (bb.x1 + bb.x2) / 2, y: cy.height() * 0.72 - (bb.y1 + bb.y2) / 2 });
  }

  /** Emphasises one edge (and its two actors) and dims the rest; none when `edgeId` is empty. */
  select(edgeId) {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().unselect().removeClass("selected dimmed");
      const edge = edgeId ? cy.getElementById(edgeId) : cy.collection();
      if (edge.nonempty()) {
        cy.elements().not(edge.union(edge.connectedNodes())).addClass("dimmed");
        edge.addClass("selected");
      }
    });
  }

  summary() {
    return { nodes: this.cy.nodes().length, edges: this.cy.edges().length };
  }

  /** The drawn graph as a standalone SVG document (what is on screen, not a re-layout). */
  toSVG(title) {
    const cy = this.cy;
    const bb = cy.elements().boundingBox({ includeLabels: true, includeOverlays: false });
    const pad = 24;
    const w = Math.ceil(bb.w + 2 * pad);
    const h = Math.ceil(bb.h + 2 * pad);
    const x0 = bb.x1 - pad;
    const y0 = bb.y1 - pad;
    const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    const f = (v) => Math.round(v * 10) / 10;
    const out = [];
    out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${f(x0)} ${f(y0)} ${w} ${h}" width="${w}" height="${h}" font-family="Helvetica, Arial, sans-serif">`);
    out.push(`<title>${esc(title)}</title>`);
    out.push("<defs>");
    for (const [kind, colour] of Object.entries(RELATION_COLOUR)) {
      out.push(`<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`);
    }
    out.push("</defs>");
    out.push(`<rect x="${f(x0)}" y="${f(y0)}" width="${w}" height="${h}" fill="#ffffff"/>`);
    cy.edges().forEach((e) => {
      const colour = RELATION_COLOUR[e.data("kind")];
      const s = e.sourceEndpoint();
      const t = e.targetEndpoint();
      const cps = e.controlPoints();
      let d;
      if (cps && cps.length === 1) d = `M${f(s.x)},${f(s.y)} Q${f(cps[0].x)},${f(cps[0].y)} ${f(t.x)},${f(t.y)}`;
      else if (cps && cps.length > 1) d = `M${f(s.x)},${f(s.y)} ` + cps.map((p) => `L${f(p.x)},${f(p.y)}`).join(" ") + ` L${f(t.x)},${f(t.y)}`;
      else d = `M${f(s.x)},${f(s.y)} L${f(t.x)},${f(t.y)}`;
      out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="${f(e.data("width"))}" marker-end="url(#arrow-${e.data("kind")})"><title>${esc(e.source().data("name"))} ${KIND_LABEL[e.data("kind")]} ${esc(e.target().data("name"))} (${e.data("count")})</title></path>`);
      const m = e.midpoint();
      if (e.data("label")) out.push(`<text x="${f(m.x)}" y="${f(m.y)}" font-size="10" font-weight="bold" fill="${colour}" text-anchor="middle" dominant-baseline="middle" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(e.data("label"))}</text>`);
    });
    cy.nodes().forEach((node) => {
      const p = node.position();
      const r = node.data("size") / 2;
      const s = ACTOR_STYLE[node.data("kind")] ?? ACTOR_STYLE.GROUP;
      const sw = node.hasClass("centre") ? 4 : 2;
      const attrs = `fill="${s.fill}" stroke="${s.border}" stroke-width="${sw}"`;
      if (s.shape === "ellipse") {
        out.push(`<circle cx="${f(p.x)}" cy="${f(p.y)}" r="${f(r)}" ${attrs}/>`);
      } else if (s.shape === "round-rectangle") {
        out.push(`<rect x="${f(p.x - r)}" y="${f(p.y - r)}" width="${f(2 * r)}" height="${f(2 * r)}" rx="${f(r / 4)}" ${attrs}/>`);
      } else {
        const sides = s.shape === "hexagon" ? 6 : 8;
        const offset = s.shape === "hexagon" ? 0 : Math.PI / 8;
        const pts = Array.from({ length: sides }, (_, i) => {
          const a = offset + (2 * Math.PI * i) / sides;
          return `${f(p.x + r * Math.cos(a))},${f(p.y + r * Math.sin(a))}`;
        }).join(" ");
        out.push(`<polygon points="${pts}" ${attrs}/>`);
      }
      const weight = node.hasClass("centre") ? "bold" : "normal";
      const size = node.hasClass("centre") ? 14 : 12;
      out.push(`<text x="${f(p.x)}" y="${f(p.y + r + 6 + size)}" font-size="${size}" font-weight="${weight}" fill="#1f2933" text-anchor="middle" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(node.data("name"))}</text>`);
    });
    out.push("</svg>");
    return out.join("\n") + "\n";
  }
}
