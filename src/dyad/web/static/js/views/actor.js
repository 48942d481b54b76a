// Actor page: aliases, roles over time, the network of counterparts and the latest events.

import { get } from "../api.js";
import { append, h, s, link, enc } from "../dom.js";
import { eventTable } from "../eventlist.js";
import { parseDate } from "../format.js";
import { mergeList } from "../merges.js";

/** Roles with a known start or end as bars on a time axis; an open end runs to today. */
function rolesTimeline(roles) {
  const dated = (roles || []).map((role) => ({ role, from: parseDate(role.since), to: parseDate(role.until) }))
    .filter((d) => d.from || d.to);
  if (!dated.length) return h("p", { class: "muted" }, (roles || []).length ? "No role has a known start or end." : "No roles recorded.");
  const year = 365 * 864e5;
  const times = dated.flatMap((d) => [d.from, d.to]).filter(Boolean).map((d) => d.getTime());
  const min = Math.min(...times) - (dated.some((d) => !d.from) ? year : year / 4);
  const max = Math.max(Date.now(), ...times) + year / 12;
  const width = 480;
  const left = 190;
  const x = (t) => left + ((t - min) / (max - min)) * (width - left - 10);
  const rowHeight = 26;
  const svg = s("svg", { viewBox: `0 0 ${width} ${dated.length * rowHeight + 26}`, class: "chart roles", role: "img", "aria-label": "Roles over time" });
  dated.forEach(({ role, from, to }, i) => {
    const y = i * rowHeight + 4;
    const start = x(from ? from.getTime() : min);
    const end = x(to ? to.getTime() : max);
    svg.append(
      s("text", { x: 0, y: y + 13, class: "role-label" }, shorten([role.title, role.organization].filter(Boolean).join(", "), 30)),
      s("rect", { x: start, y, width: Math.max(4, end - start), height: 17, rx: 3, class: `role-bar${from ? "" : " open-start"}${to ? "" : " open-end"}` },
        s("title", {}, `${role.title || ""} ${role.organization || ""} ${role.country || ""}: ${role.since || "?"} – ${role.until || "…"}${role.evidence ? `\n“${role.evidence.quote}”` : ""}`)));
  });
  const axisY = dated.length * rowHeight + 20;
  const firstYear = new Date(min).getUTCFullYear() + 1;
  for (let yr = firstYear; Date.UTC(yr, 0, 1) < max; yr += 1) {
    svg.append(s("text", { x: x(Date.UTC(yr, 0, 1)), y: axisY, class: "tick", "text-anchor": "middle" }, String(yr)),
      s("line", { x1: x(Date.UTC(yr, 0, 1)), x2: x(Date.UTC(yr, 0, 1)), y1: 0, y2: axisY - 10, class: "gridline" }));
  }
  return svg;
}

function roleSpan(role) {
  return role.since || role.until ? ` ${role.since || "…"} – ${role.until || "…"}` : "";
}

function shorten(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Radial layout: the actor in the middle, counterparts around it, edges as thick as their event count. */
function network(actor, counterparts) {
  const items = (counterparts || []).slice(0, 24);
  if (!items.length) return h("p", { class: "muted" }, "No counterparts yet.");
  const width = 940;
  const size = 480;
  const c = size / 2;
  const cx0 = width / 2;
  const radius = size / 2 - 60;
  const maxEvents = Math.max(...items.map((p) => p.events || 1));
  const svg = s("svg", { viewBox: `0 0 ${width} ${size}`, class: "chart network", role: "img", "aria-label": "Counterparts" });
  const edges = s("g", {});
  const nodes = s("g", {});
  items.forEach((p, i) => {
    const angle = (2 * Math.PI * i) / items.length - Math.PI / 2;
    const px = cx0 + 1.6 * radius * Math.cos(angle);
    const py = c + radius * Math.sin(angle);
    const tone = (p.weight || 0) > 0 ? "coop" : (p.weight || 0) < 0 ? "conf" : "neutral";
    edges.append(s("line", { x1: cx0, y1: c, x2: px, y2: py, class: `edge ${tone}`, "stroke-width": 1 + 7 * ((p.events || 1) / maxEvents) },
      s("title", {}, `${p.name}: ${p.events} events, weight ${(p.weight || 0).toFixed(2)}`)));
    const anchor = Math.cos(angle) > 0.2 ? "start" : Math.cos(angle) < -0.2 ? "end" : "middle";
    const dx = anchor === "start" ? 12 : anchor === "end" ? -12 : 0;
    const dy = anchor === "middle" ? (Math.sin(angle) > 0 ? 22 : -14) : 4;
    nodes.append(s("a", { href: `#/actor/${enc(p.id)}` },
      s("circle", { cx: px, cy: py, r: 5 + 6 * Math.sqrt((p.events || 1) / maxEvents), class: `node ${tone}` }),
      s("text", { x: px + dx, y: py + dy, "text-anchor": anchor, class: "node-label" }, `${shorten(p.name || p.id, 30)} (${p.events})`)));
  });
  nodes.append(s("circle", { cx: cx0, cy: c, r: 16, class: "node center" }),
    s("text", { x: cx0, y: c + 34, "text-anchor": "middle", class: "node-label center" }, actor.name || actor.id));
  svg.append(edges, nodes);
  return svg;
}

export async function renderActor(root, { id, isCurrent }) {
  const actor = await get(`/actors/${enc(id)}`);
  if (!isCurrent()) return;
  const facts = [["Kind", actor.kind], ["Country", actor.country], ["Sector", actor.sector], ["Id", actor.id]];
  append(root, [
    h("div", { class: "crumbs" }, link("#/dyad", "Dyad"), " / actor"),
    h("h1", {}, actor.name || actor.id),
    h("dl", { class: "facts" }, facts.filter(([, v]) => v).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("div", { class: "chips" }, (actor.aliases || []).map((alias) => h("span", { class: "chip" }, alias))),
    h("div", { class: "columns" },
      h("section", { class: "card grow2" }, h("h2", {}, "Counterparts"), network(actor, actor.counterparts),
        h("p", { class: "muted note" }, "Line width: events together; colour: cooperation (green) or conflict (red) on balance.")),
      h("section", { class: "card grow" }, h("h2", {}, "Roles over time"), rolesTimeline(actor.roles),
        h("ul", { class: "roles-list" }, (actor.roles || []).map((role) => h("li", {},
          [role.title, role.organization, role.country].filter(Boolean).join(", "), h("span", { class: "muted" }, roleSpan(role)),
          role.evidence ? link(`#/article/${enc(role.evidence.article_id)}`, " [source]") : null))))),
    h("section", { class: "card" }, h("h2", {}, "Latest events"), eventTable(actor.events)),
    actor.kind === "person" ? h("section", { class: "card" }, h("h2", {}, "Merged spellings"),
      await mergeList("person", new Set([actor.id, ...(actor.merged_from || [])]), () => window.dispatchEvent(new HashChangeEvent("hashchange")))) : null]);
}
