// The printable brief (/brief?a=&b=&since=&until=): key events by date with citations, commitments
// by state and the people involved, from /api/brief.

import { get } from "./api.js";
import { h, clear, enc } from "./dom.js";
import { actorNames, eventLabel } from "./format.js";

const STATES = [["overdue", "Overdue"], ["due", "Due"], ["open", "Open"], ["met", "Met"]];

function citation(c) {
  return h("li", { class: "citation" },
    h("span", { class: "cite-meta" }, [c.outlet, c.published].filter(Boolean).join(", ") || "source", " "),
    h("q", {}, c.quote), " ", h("a", { href: `/#/article/${enc(c.article_id)}`, class: "ref" }, `[${c.article_id.slice(0, 12)}]`));
}

function eventItem(event) {
  return h("li", { class: "key-event" },
    h("div", { class: "ev-head" },
      h("span", { class: "ev-date" }, event.date || "undated"), " ",
      h("a", { href: `/#/event/${enc(event.id)}`, class: "ev-type" }, eventLabel(event)), ` (${event.status}) `,
      h("span", {}, `${actorNames(event.actors)} → ${actorNames(event.recipients)}`),
      event.reviewed ? h("span", { class: "reviewed" }, ` reviewed: ${event.reviewed.action}`) : null),
    h("ul", { class: "citations" }, (event.citations || []).map(citation)));
}

function commitments(data) {
  const all = STATES.flatMap(([state, label]) => (data.commitments?.[state] || []).map((c) => [label, c]));
  if (!all.length) return h("p", { class: "muted" }, "No commitments between them in this period.");
  return h("table", {}, h("thead", {}, h("tr", {}, ["State", "Due", "Commitment", "Source"].map((t) => h("th", {}, t)))),
    h("tbody", {}, all.map(([label, c]) => h("tr", { class: `state-${c.state}` },
      h("td", {}, label), h("td", { class: "nowrap" }, c.due || "—"),
      h("td", {}, `${c.type} (${c.status}): ${actorNames(c.actors)} → ${actorNames(c.recipients)}`,
        (c.projects || []).length ? h("div", { class: "muted" }, `Project: ${c.projects.map((p) => p.name).join(", ")}`) : null),
      h("td", {}, h("ul", { class: "citations" }, citation(c.citation)))))));
}

function people(data) {
  if (!(data.people || []).length) return h("p", { class: "muted" }, "No people named in these events.");
  return h("ul", { class: "people" }, data.people.map((p) => h("li", {},
    h("strong", {}, p.name), ` (${p.events} events)`,
    (p.roles || []).length ? h("ul", { class: "roles" }, p.roles.map((r) => h("li", {},
      [r.title, r.organization, r.country].filter(Boolean).join(", "),
      r.since || r.until ? h("span", { class: "muted" }, ` (${r.since || "…"} – ${r.until || "…"})`) : null))) : null)));
}

async function main() {
  const params = new URLSearchParams(location.search);
  const root = document.getElementById("brief");
  document.getElementById("print").addEventListener("click", () => window.print());
  try {
    const data = await get("/brief", Object.fromEntries(params));
    const period = [data.since, data.until].filter(Boolean).join(" to ") || "all dates in the store";
    document.title = `Brief: ${data.a.name} – ${data.b.name}`;
    clear(root).append(
      h("header", {}, h("div", { class: "kicker" }, "dyad brief"),
        h("h1", {}, `${data.a.name} – ${data.b.name}`),
        h("p", { class: "muted" }, `${data.a.id} and ${data.b.id}, ${period}. Generated ${new Date().toISOString().slice(0, 10)}.`)),
      h("section", {}, h("h2", {}, `Key events (${data.events.length})`),
        data.events.length ? h("ol", { class: "key-events" }, data.events.map(eventItem)) : h("p", { class: "muted" }, "No events between them in this period.")),
      h("section", {}, h("h2", {}, `Commitments${data.as_of ? ` as of ${data.as_of}` : ""}`), commitments(data)),
      h("section", {}, h("h2", {}, "People"), people(data)));
  } catch (error) {
    clear(root).append(h("p", { class: "error" }, error.message));
  }
  document.body.dataset.ready = "brief";
}

main();
