// Event page: every field with its evidence (click to mark the quote in the article), the sources,
// the analyst's review (confirm / correct / reject) with machine vs corrected values, and merges.

import { get, post, serverHealth, setToken } from "../api.js";
import { append, h, link, enc, externalLink } from "../dom.js";
import { textPane } from "../textview.js";
import { actorLinks, statusBadge, typeBadge } from "../eventlist.js";
import { actorNames } from "../format.js";
import { quadLabel } from "../quad.js";
import { mergeList } from "../merges.js";

const STATUSES = ["occurred", "ongoing", "planned", "proposed", "denied", "hypothetical"];

function valueView(value) {
  if (value === null || value === undefined || value === "") return h("span", { class: "muted" }, "—");
  if (Array.isArray(value)) return value.map((v, i) => [i ? ", " : null, valueView(v)]);
  if (typeof value === "object" && "amount" in value) {  // a figure: 6.4 billion tenge (US$12.7 million)
    const amount = typeof value.amount === "number" ? value.amount.toLocaleString("en") : value.amount;
    return h("span", {}, [value.qualifier, amount, value.unit].filter((v) => v !== null && v !== undefined && v !== "").join(" "),
      value.usd ? ` (US$${Number(value.usd).toLocaleString("en")})` : "");
  }
  if (typeof value === "object") {
    const label = value.name || value.text || value.value || value.id || JSON.stringify(value);
    return value.id && !value.place_id && !("lat" in value) ? link(`#/actor/${enc(value.id)}`, String(label)) : h("span", {}, String(label));
  }
  return h("span", {}, String(value));
}

function fieldRow(name, field, pane) {
  const evidence = field && field.evidence;
  const row = h("tr", { class: `field${evidence ? " has-evidence" : ""}${field && field.corrected ? " corrected" : ""}`, "data-field": name },
    h("th", {}, name),
    h("td", {}, valueView(field && field.value), field && field.corrected ? h("span", { class: "review-tag correct" }, "corrected") : null),
    h("td", { class: "quote" }, evidence ? `“${evidence.quote}”` : h("span", { class: "muted" }, "no evidence")));
  if (evidence) {
    row.title = "Show this evidence in the article";
    row.tabIndex = 0;
    row.addEventListener("keydown", (key) => key.key === "Enter" && row.click());
    row.addEventListener("click", () => {
      row.parentNode.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
      row.classList.add("selected");
      pane.highlight(evidence);
    });
  }
  return row;
}

/** One row per field; list fields (actors, recipients, figures) give one row per item. */
function fieldsTable(fields, pane) {
  const rows = Object.entries(fields || {}).flatMap(([name, field]) => (Array.isArray(field)
    ? field.map((item, i) => fieldRow(field.length > 1 ? `${name} ${i + 1}` : name, item, pane))
    : [fieldRow(name, field, pane)]));
  return h("table", { class: "fields" }, h("thead", {}, h("tr", {}, h("th", {}, "Field"), h("th", {}, "Value"), h("th", {}, "Evidence"))), h("tbody", {}, rows));
}

function sourcesList(sources, pane) {
  return h("ol", { class: "sources" }, (sources || []).map((source) => {
    const item = h("li", { class: "source", "data-article-id": source.article_id },
      h("div", {}, link(`#/article/${enc(source.article_id)}`, source.title || source.article_id)),
      h("div", { class: "muted small" }, [source.outlet, source.published].filter(Boolean).join(" · "), " ", source.url ? externalLink(source.url) : null),
      source.sentence ? h("blockquote", { class: "clickable" }, source.sentence.quote) : null);
    item.querySelector("blockquote")?.addEventListener("click", () => pane.highlight(source.sentence));
    return item;
  }));
}

function machineVsCorrected(detail) {
  const machine = detail.reviewed && detail.reviewed.machine;
  if (!machine || !Object.keys(machine).length) return null;
  const current = (name) => {
    if (name === "actors" || name === "recipients") return actorNames(detail[name]);
    const value = detail[name];
    return value && typeof value === "object" ? value.name || JSON.stringify(value) : value;
  };
  const shown = (value) => (Array.isArray(value) ? value.map((v) => (v && typeof v === "object" ? v.name || v.id : v)).join(", ") : value && typeof value === "object" ? value.name || value.id || JSON.stringify(value) : value ?? "—");
  return h("table", { class: "diff" },
    h("thead", {}, h("tr", {}, h("th", {}, "Field"), h("th", {}, "Machine"), h("th", {}, "Corrected"))),
    h("tbody", {}, Object.entries(machine).map(([name, old]) =>
      h("tr", { "data-field": name }, h("th", {}, name), h("td", { class: "old" }, String(shown(old))), h("td", { class: "new" }, String(current(name) ?? "—"))))));
}

function reviewForm(detail, onDone, needsToken) {
  const action = h("select", { name: "action", "aria-label": "Review action" },
    ["confirm", "correct", "reject"].map((a) => h("option", { value: a }, a)));
  const input = (name, value, placeholder) => h("input", { type: "text", name, value: value ?? "", placeholder: placeholder || "" });
  const type = input("type", detail.type, "PLOVER type");
  const mode = input("mode", detail.mode, "mode");
  const status = h("select", { name: "status" }, STATUSES.map((st) => h("option", { value: st, selected: st === detail.status }, st)));
  const date = input("date", detail.date, "YYYY[-MM[-DD]]");
  const actors = input("actors", (detail.actors || []).map((a) => a.id).join(", "), "actor ids, comma-separated");
  const recipients = input("recipients", (detail.recipients || []).map((a) => a.id).join(", "), "actor ids, comma-separated");
  const note = h("textarea", { name: "note", rows: 2, placeholder: "Why (kept with the review)" });
  const token = h("input", { type: "password", name: "token", autocomplete: "off" });
  const by = h("input", { type: "text", name: "by", value: localStorage.getItem("dyad.reviewer") || "", placeholder: "workbench" });
  const message = h("p", { class: "form-message", role: "status" });
  const corrections = h("fieldset", { class: "corrections" }, h("legend", {}, "Corrected values"),
    h("label", {}, "Type", type), h("label", {}, "Mode", mode), h("label", {}, "Status", status), h("label", {}, "Date", date),
    h("label", {}, "Actors", actors), h("label", {}, "Recipients", recipients));
  const sync = () => (corrections.disabled = action.value !== "correct");
  action.addEventListener("change", sync);
  sync();

  const ids = (text) => text.split(",").map((t) => t.trim()).filter(Boolean);
  const form = h("form", { class: "review-form" },
    h("div", { class: "form-row" }, h("label", { class: "inline" }, "Action ", action), h("label", { class: "inline" }, "Reviewer ", by)),
    corrections, h("label", {}, "Note", note),
    needsToken ? h("label", {}, "Access token (this server changes the store only with it)", token) : null,
    h("div", { class: "form-row" }, h("button", { type: "submit", class: "primary" }, "Save review"), message));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = {};
    if (action.value === "correct") {
      const same = (p, q) => JSON.stringify(p) === JSON.stringify(q);
      if (type.value.trim() !== (detail.type || "")) changes.type = type.value.trim();
      if (mode.value.trim() !== (detail.mode || "")) changes.mode = mode.value.trim() || null;
      if (status.value !== detail.status) changes.status = status.value;
      if (date.value.trim() !== (detail.date || "")) changes.date = date.value.trim();
      if (!same(ids(actors.value), (detail.actors || []).map((a) => a.id))) changes.actors = ids(actors.value);
      if (!same(ids(recipients.value), (detail.recipients || []).map((a) => a.id))) changes.recipients = ids(recipients.value);
    }
    message.className = "form-message";
    message.textContent = "Saving…";
    try {
      if (token.value) setToken(token.value);
      const reviewer = by.value.trim();
      if (reviewer) localStorage.setItem("dyad.reviewer", reviewer);
      await post(`/events/${enc(detail.id)}/review`, { action: action.value, changes, note: note.value, ...(reviewer ? { by: reviewer } : {}) });
      message.textContent = "Saved.";
      onDone();
    } catch (error) {
      message.className = "form-message error";
      message.textContent = error.message;
    }
  });
  return form;
}

function historyList(history) {
  if (!history || !history.length) return h("div", { class: "history" }, h("p", { class: "muted" }, "Not reviewed yet."));
  return h("div", { class: "history" }, h("ol", {}, history.map((record) => h("li", {},
    h("span", { class: `review-tag ${record.action}` }, record.action), " ",
    h("span", { class: "muted" }, [record.by, record.at].filter(Boolean).join(" · ")),
    record.changes && Object.keys(record.changes).length
      ? h("div", { class: "changes" }, Object.entries(record.changes).map(([field, value]) => h("span", { class: "change" }, h("b", {}, field), " → ", Array.isArray(value) ? value.join(", ") : String(value ?? "—"))))
      : null,
    record.note ? h("div", { class: "note" }, record.note) : null))));
}

export async function renderEvent(root, { id, isCurrent }) {
  const detail = await get(`/events/${enc(id)}`);
  if (!isCurrent()) return;
  const pane = textPane();
  const rerender = () => window.dispatchEvent(new HashChangeEvent("hashchange"));
  const sentence = (detail.sources || [])[0]?.sentence;
  const headline = h("blockquote", { class: "headline clickable", title: "Show in the article" }, detail.summary || "");
  headline.addEventListener("click", () => pane.highlight(sentence));
  const diff = machineVsCorrected(detail);

  append(root, 
    h("div", { class: "crumbs" }, link("#/dyad", "Dyad"), " / event ", h("code", {}, detail.id)),
    h("div", { class: "title-row" },
      h("h1", {}, typeBadge(detail), " ", h("span", { class: "who" }, actorLinks(detail.actors), " → ", actorLinks(detail.recipients))),
      h("div", { class: "meta-line" }, statusBadge(detail.status), " ", h("span", {}, detail.date || "undated"),
        detail.granularity ? h("span", { class: "muted" }, ` (${detail.granularity})`) : null, " · ", quadLabel(detail.quad),
        detail.place ? [" · ", detail.place.name] : null,
        detail.reviewed ? h("span", { class: `review-tag ${detail.reviewed.action}` }, `reviewed: ${detail.reviewed.action}`) : null)),
    h("div", { class: "columns event-columns" },
      h("div", { class: "grow" },
        headline,
        h("section", { class: "card" }, h("h2", {}, "Fields and evidence"), fieldsTable(detail.fields, pane)),
        diff ? h("section", { class: "card" }, h("h2", {}, "Machine vs corrected"), diff) : null,
        h("section", { class: "card" }, h("h2", {}, `Sources (${(detail.sources || []).length})`), sourcesList(detail.sources, pane)),
        (detail.links || []).length ? h("section", { class: "card" }, h("h2", {}, "Linked events"),
          h("ul", {}, detail.links.map((l) => h("li", {}, `${l.kind}: `, link(`#/event/${enc(l.event_id)}`, l.event_id))))) : null,
        h("section", { class: "card" }, h("h2", {}, "Review"), reviewForm(detail, rerender, (await serverHealth()).token_required), h("h3", {}, "History"), historyList(detail.history)),
        h("section", { class: "card" }, h("h2", {}, "Merged reports"),
          await mergeList("event", new Set([detail.id, ...(detail.sources || []).map((src) => src.event_id)]), rerender))),
      h("aside", { class: "sticky" }, pane.element)));
  if (sentence) await pane.highlight(sentence);
}
