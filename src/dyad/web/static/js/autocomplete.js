// An input that suggests actors from /api/actors as one types; the picked actor's id is kept.

import { get } from "./api.js";
import { clear, h } from "./dom.js";

export function actorPicker(label, initial) {
  const input = h("input", { type: "text", autocomplete: "off", placeholder: "Country, government or person", "aria-label": label });
  const list = h("ul", { class: "suggestions", role: "listbox", hidden: true });
  const box = h("label", { class: "picker" }, h("span", { class: "picker-label" }, label), input, list);
  let picked = initial ? { ...initial } : null;
  if (picked) input.value = picked.name || picked.id;
  let timer = null;

  function choose(actor) {
    picked = actor;
    input.value = actor.name || actor.id;
    list.hidden = true;
  }

  async function suggest() {
    const q = input.value.trim();
    if (!q) {
      list.hidden = true;
      return;
    }
    const page = await get("/actors", { q, limit: 8 });
    clear(list);
    for (const actor of page.items || []) {
      const item = h("li", { role: "option" },
        h("span", { class: "s-name" }, actor.name || actor.id),
        h("span", { class: "s-meta" }, [actor.kind, actor.country].filter(Boolean).join(" · "), ` · ${actor.events ?? 0} ev.`));
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(actor);
      });
      list.append(item);
    }
    list.hidden = !list.children.length;
  }

  input.addEventListener("input", () => {
    picked = null;
    clearTimeout(timer);
    timer = setTimeout(() => suggest().catch(() => {}), 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !list.hidden && list.firstChild) {
      event.preventDefault();
      list.firstChild.dispatchEvent(new MouseEvent("mousedown"));
    }
  });
  input.addEventListener("blur", () => setTimeout(() => (list.hidden = true), 100));

  return {
    element: box,
    /** The picked actor's id, or what was typed (the API also takes ISO3 codes). */
    value: () => (picked ? picked.id : input.value.trim()),
  };
}
