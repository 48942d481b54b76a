// Merges the resolver made (two reports of one event, two spellings of one person), with undo.

import { get, post } from "./api.js";
import { h, link, enc } from "./dom.js";

const ROUTE = { event: "#/event/", person: "#/actor/", actor: "#/actor/" };

/** The merges of ``kind`` touching any of ``ids``, each with an Undo button; ``onUndo`` re-renders. */
export async function mergeList(kind, ids, onUndo) {
  const page = await get("/merges");
  const merges = (page.items || []).filter((m) => m.kind === kind && (ids.has(m.from_id) || ids.has(m.into_id)));
  if (!merges.length) return h("p", { class: "muted" }, "No merges.");
  const route = ROUTE[kind] || "#/event/";
  return h("ul", { class: "merges" }, merges.map((merge) => {
    const names = (merge.evidence && merge.evidence.names) || [];  // the spellings a person merge joined
    const undo = h("button", { type: "button", class: "small", "data-merge-id": merge.id }, "Undo");
    const message = h("span", { class: "form-message error" });
    undo.addEventListener("click", async () => {
      undo.disabled = true;
      try {
        await post(`/merges/${enc(merge.id)}/undo`, {});
        onUndo();
      } catch (error) {
        message.textContent = ` ${error.message}`;
        undo.disabled = false;
      }
    });
    return h("li", {},
      h("div", {}, link(`${route}${enc(merge.from_id)}`, merge.from_text || merge.from_id), h("span", { class: "arrow" }, " ⟶ "),
        link(`${route}${enc(merge.into_id)}`, merge.into_text || merge.into_id)),
      names.length ? h("div", {}, names.join(" · ")) : null,
      h("div", { class: "muted small" }, `${merge.rule || ""} · score ${merge.score != null ? Number(merge.score).toFixed(2) : "?"} `,
        merge.undone_at ? "· undone" : undo, message));
  }));
}
