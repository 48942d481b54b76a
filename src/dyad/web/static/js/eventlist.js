// A table of event summaries (EventSummary from the API), each row opening the event page.

import { h, link, enc } from "./dom.js";
import { isIntended, quadClass, quadLabel } from "./quad.js";
import { dateText, eventLabel } from "./format.js";

export function actorLinks(refs) {
  if (!refs || !refs.length) return h("span", { class: "muted" }, "—");
  return refs.flatMap((ref, i) => [i ? ", " : null, link(`#/actor/${enc(ref.id)}`, ref.name || ref.id)]);
}

export function typeBadge(event) {
  return h("span", { class: `badge ${quadClass(event.quad)}${isIntended(event.status) ? " hollow" : ""}`, title: quadLabel(event.quad) }, eventLabel(event));
}

export function statusBadge(status) {
  return h("span", { class: `status status-${status}` }, status);
}

export function eventTable(events, { empty = "No events." } = {}) {
  if (!events || !events.length) return h("p", { class: "muted" }, empty);
  const rows = events.map((event) => h("tr", { "data-event-id": event.id, class: event.reviewed ? "reviewed" : null },
    h("td", { class: "nowrap" }, dateText(event)),
    h("td", {}, link(`#/event/${enc(event.id)}`, typeBadge(event))),
    h("td", {}, statusBadge(event.status)),
    h("td", {}, actorLinks(event.actors), h("span", { class: "arrow" }, " → "), actorLinks(event.recipients)),
    h("td", { class: "summary" }, link(`#/event/${enc(event.id)}`, event.summary || "")),
    h("td", { class: "num" }, String(event.sources ?? "")),
    h("td", {}, event.reviewed ? h("span", { class: `review-tag ${event.reviewed.action}` }, event.reviewed.action) : null)));
  return h("table", { class: "events" },
    h("thead", {}, h("tr", {}, ["Date", "Type", "Status", "Who → whom", "Sentence", "Src", "Review"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows));
}
