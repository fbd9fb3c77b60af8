// Small DOM helpers. Text from the API is only ever set as text nodes, never
// as HTML, so an article cannot inject markup into the page.

import { ACTOR_STYLE } from "./graph.js";
import { KIND_LABEL } from "./model.js";

/**
 * Creates an element: `h("a", { href, class: "x", onclick: fn }, "text", child)`.
 * Attributes that are null, undefined or false are left out; `true` sets an empty one.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "hidden") el.hidden = Boolean(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Like `h`, for SVG elements (inline charts): `svg("rect", { x: 0, width: 8 })`. */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Replaces the children of `el` (same rules as `h`: null, undefined and false are skipped). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A small coloured tag naming an actor kind. */
export function kindBadge(kind) {
  const s = ACTOR_STYLE[kind] ?? ACTOR_STYLE.GROUP;
  return h("span", { class: `badge badge-${kind.toLowerCase()}`, title: s.label }, s.label);
}

/** A small coloured tag naming a relation kind. */
export function relationBadge(kind) {
  return h("span", { class: `rel rel-${kind.toLowerCase()}` }, KIND_LABEL[kind]);
}

/** Arrow keys, Home and End move focus among `[data-nav]` items inside `container`. */
export function arrowKeys(container) {
  container.addEventListener("keydown", (e) => {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(e.key)) return;
    const items = [...container.querySelectorAll("[data-nav]")];
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
    items[Math.max(0, Math.min(items.length - 1, next))].focus();
  });
}

/** Offers `text` as a file download. */
export function download(filename, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
