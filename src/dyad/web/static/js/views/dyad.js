// Dyad view: two actors, their events on a timeline and the monthly cooperation-conflict trend.

import { get } from "../api.js";
import { append, h, link, enc } from "../dom.js";
import { actorPicker } from "../autocomplete.js";
import { legend, timeline, trend } from "../charts.js";
import { eventTable } from "../eventlist.js";
import { isIntended } from "../quad.js";
import { plural } from "../format.js";

/** The pair of countries with most events together: the default dyad after a first ingest. */
async function busiestDyad() {
  const [actors, events] = await Promise.all([get("/actors", { limit: 500 }), get("/events", { limit: 500 })]);
  const country = new Map((actors.items || []).map((a) => [a.id, a.country]));
  const rank = new Map((actors.items || []).map((a, i) => [a.id, i]));  // most events first
  const byRank = (p, q) => (rank.get(p) ?? 1e9) - (rank.get(q) ?? 1e9) || p.localeCompare(q);
  const counts = new Map();
  for (const event of events.items || []) {
    const sides = [...new Set([...(event.actors || []), ...(event.recipients || [])].map((r) => country.get(r.id)).filter(Boolean))].sort(byRank);
    sides.forEach((p, i) => sides.slice(i + 1).forEach((q) => counts.set(`${p}|${q}`, (counts.get(`${p}|${q}`) || 0) + 1)));
  }
  const best = [...counts].sort((p, q) => q[1] - p[1] || p[0].localeCompare(q[0]))[0];  // ties: a fixed order
  return best ? best[0].split("|") : null;
}

/** By date (a year before its months and days), undated events last. */
function chronological(p, q) {
  const key = (e) => (/^\d{4}/.test(e.date || "") ? e.date : "9999");
  return key(p).localeCompare(key(q)) || String(p.id).localeCompare(String(q.id));
}

function stat(label, value, cls) {
  return h("div", { class: `stat ${cls || ""}` }, h("div", { class: "stat-value" }, String(value)), h("div", { class: "stat-label" }, label));
}

function sideList(title, items, route) {
  return h("section", { class: "card side" }, h("h3", {}, title),
    items && items.length
      ? h("ol", { class: "ranked" }, items.slice(0, 12).map((item) => h("li", {},
        route && item.id ? link(route(item), item.name || item.id) : h("span", {}, item.name || item.place_id || ""),
        h("span", { class: "count" }, String(item.events ?? "")))))
      : h("p", { class: "muted" }, "None."));
}

export async function renderDyad(root, { params, isCurrent }) {
  let a = params.get("a");
  let b = params.get("b");
  if (!a || !b) {
    const best = await busiestDyad();
    if (!isCurrent()) return;
    if (!best) {
      append(root, h("h1", {}, "Dyad"), h("p", { class: "muted" }, "The store has no events between two countries yet. Ingest some articles first (dyad ingest)."));
      return;
    }
    [a, b] = best;
  }
  const since = params.get("since") || "";
  const until = params.get("until") || "";
  const data = await get("/dyad", { a, b, since, until });
  if (!isCurrent()) return;

  const pickA = actorPicker("Actor A", data.a);
  const pickB = actorPicker("Actor B", data.b);
  const sinceInput = h("input", { type: "text", value: since, placeholder: "YYYY[-MM[-DD]]", "aria-label": "Since", size: 11 });
  const untilInput = h("input", { type: "text", value: until, placeholder: "YYYY[-MM[-DD]]", "aria-label": "Until", size: 11 });
  const form = h("form", { class: "toolbar dyad-form" },
    pickA.element, h("span", { class: "vs" }, "⇄"), pickB.element,
    h("label", { class: "picker small" }, h("span", { class: "picker-label" }, "Since"), sinceInput),
    h("label", { class: "picker small" }, h("span", { class: "picker-label" }, "Until"), untilInput),
    h("button", { type: "submit", class: "primary" }, "Show dyad"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams({ a: pickA.value(), b: pickB.value() });
    if (sinceInput.value.trim()) next.set("since", sinceInput.value.trim());
    if (untilInput.value.trim()) next.set("until", untilInput.value.trim());
    location.hash = `#/dyad?${next}`;
  });

  const events = [...(data.events || [])].sort(chronological);
  const intended = events.filter((e) => isIntended(e.status)).length;
  const coop = events.filter((e) => (e.quad || "").endsWith("cooperation")).length;
  const conflict = events.filter((e) => (e.quad || "").endsWith("conflict")).length;
  const undated = events.filter((e) => !/^\d{4}/.test(e.date || "")).length;
  const briefQuery = new URLSearchParams({ a: data.a.id, b: data.b.id });
  if (since) briefQuery.set("since", since);
  if (until) briefQuery.set("until", until);

  append(root, 
    form,
    h("div", { class: "title-row" },
      h("h1", { class: "dyad-title" },
        link(`#/actor/${enc(data.a.id)}`, data.a.name || data.a.id), h("span", { class: "vs" }, " ⇄ "),
        link(`#/actor/${enc(data.b.id)}`, data.b.name || data.b.id)),
      h("div", { class: "actions" },
        h("a", { class: "button", href: `#/map?${briefQuery}` }, "Map"),
        h("a", { class: "button", href: `/brief?${briefQuery}`, target: "_blank" }, "Printable brief"))),
    h("div", { class: "stats" },
      stat("events", events.length), stat("occurred", events.length - intended), stat("planned / proposed", intended, "intended"),
      stat("cooperation", coop, "coop"), stat("conflict", conflict, "conf"), stat("undated", undated)),
    h("section", { class: "card" }, h("div", { class: "card-head" }, h("h2", {}, "Timeline"), legend()),
      timeline(events, (event) => (location.hash = `#/event/${enc(event.id)}`)),
      undated ? h("p", { class: "muted note" }, `${plural(undated, "event")} without a date are listed in the table below.`) : null),
    h("section", { class: "card" }, h("h2", {}, "Monthly cooperation – conflict"), trend(data.months)),
    h("div", { class: "columns" },
      h("section", { class: "card grow" }, h("h2", {}, `Events (${events.length})`), eventTable(events, { empty: "No events between these two in this period." })),
      h("div", { class: "sidebar" },
        sideList("People", data.people, (p) => `#/actor/${enc(p.id)}`),
        sideList("Places", data.places, null))));
}
