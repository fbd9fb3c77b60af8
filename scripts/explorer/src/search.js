// An actor search box with suggestions as you type: an ARIA combobox
// (arrows move, Enter picks, Escape closes), used for the main search and
// for both ends of the path finder.

import { searchActors } from "./api.js";
import { fold, rankSuggestions } from "./model.js";
import { h, kindBadge } from "./dom.js";

let uid = 0;

/**
 * Wires `input` (and a listbox created next to it). `onPick(actor)` gets
 * `{ id?, name }`: a suggestion, or the typed text when none was chosen.
 * `onError(e)` reports a failed request (server down).
 */
export function actorCombobox(input, { onPick, onError, delay = 120 }) {
  const listId = `suggestions-${++uid}`;
  const list = h("ul", { id: listId, role: "listbox", class: "suggestions", hidden: true });
  input.after(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.autocomplete = "off";
  input.spellcheck = false;

  let items = [];
  let active = -1;
  let timer = 0;
  let generation = 0;
  let lastQuery = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const setActive = (i) => {
    const options = list.querySelectorAll('[role="option"]');
    options.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
    active = i;
    if (i >= 0 && options[i]) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const pick = (actor) => {
    close();
    input.value = actor.name;
    lastQuery = actor.name;
    onPick(actor);
  };

  const render = (text, ranked, total) => {
    list.replaceChildren();
    items = ranked;
    if (ranked.length === 0) {
      list.append(h("li", { class: "suggestion-empty", role: "presentation" }, `No actor matches “${text}”.`));
    }
    const q = fold(text.trim());
    ranked.forEach((actor, i) => {
      const option = h(
        "li",
        { id: `${listId}-${i}`, role: "option", class: "suggestion", "aria-selected": "false", "data-name": actor.name },
        kindBadge(actor.kind),
        h("span", { class: "suggestion-name" }, ...emphasise(actor.name, q)),
        actor.match ? h("span", { class: "suggestion-alias" }, "also “", ...emphasise(actor.match, q), "”") : null,
      );
      // mousedown, not click: it fires before the input's blur closes the list.
      option.addEventListener("mousedown", (e) => {
        e.preventDefault();
        pick(actor);
      });
      list.append(option);
    });
    if (total > ranked.length) {
      list.append(h("li", { class: "suggestion-more", role: "presentation" }, `${total - ranked.length} more — keep typing to narrow down`));
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    setActive(ranked.length > 0 ? 0 : -1);
  };

  const suggest = async () => {
    const text = input.value;
    if (text.trim().length === 0) {
      close();
      return;
    }
    if (text === lastQuery && !list.hidden) return;
    lastQuery = text;
    const mine = ++generation;
    try {
      const { actors, total } = await searchActors(text.trim(), { first: 20 });
      if (mine !== generation) return; // a newer keystroke won
      render(text, rankSuggestions(actors, text).slice(0, 10), total);
    } catch (e) {
      if (mine !== generation) return;
      close();
      onError(e);
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    lastQuery = null;
    timer = setTimeout(suggest, delay);
  });
  input.addEventListener("focus", () => {
    if (input.value.trim() && list.hidden && items.length > 0 && lastQuery === input.value) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", async (e) => {
    const open = !list.hidden && items.length > 0;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (!open) {
          lastQuery = null;
          await suggest();
        } else setActive((active + 1) % items.length);
        break;
      case "ArrowUp":
        e.preventDefault();
        if (open) setActive((active - 1 + items.length) % items.length);
        break;
      case "Home":
      case "End":
        if (open && e.altKey) {
          e.preventDefault();
          setActive(e.key === "Home" ? 0 : items.length - 1);
        }
        break;
      case "Enter": {
        e.preventDefault();
        clearTimeout(timer);
        if (open && active >= 0) {
          pick(items[active]);
        } else if (input.value.trim()) {
          // Typed faster than the suggestions: take the best match, or the text as typed.
          const text = input.value.trim();
          close();
          lastQuery = text;
          onPick({ name: text });
        }
        break;
      }
      case "Escape":
        if (!list.hidden) {
          e.preventDefault();
          close();
        }
        break;
      default:
    }
  });
  return { close, set: (text) => ((input.value = text), (lastQuery = text)) };
}

/** `text` with the part matching the folded query `q` wrapped in <mark>. */
function emphasise(text, q) {
  if (!q) return [text];
  // Folding can change lengths (ligatures); fall back to no emphasis then.
  const folded = fold(text);
  const i = folded.indexOf(q);
  if (i < 0 || folded.length !== text.length) return [text];
  return [text.slice(0, i), h("mark", {}, text.slice(i, i + q.length)), text.slice(i + q.length)];
}
