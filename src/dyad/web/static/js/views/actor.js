// Actor page: aliases, roles over time, the network of counterparts and the latest events.

import { get } from "../api.js";
import { append, h, s, link, enc } from "../dom.js";
import { eventTable } from "../eventlist.js";
import { parseDate } from "../format.js";
import { mergeList } from "../merges.js";

function rolesTimeline(roles) {
  const dated = (roles || []).map((role) => ({ role, from: parseDate(role.since), to: parseDate(role.until) }));
  if (!dated.length) return h("p", { class: "muted" }, "No roles recorded.");
  const times = dated.flatMap((d) => [d.from, d.to]).filter(Boolean).map((d) => d.getTime());
  const now = Date.now();
  const min = times.length ? Math.min(...times) : now - 365 * 864e5;
  const max = Math.max(times.length ? Math.max(...times) : now, min + 365 * 864e5);
  const width = 640;
  const left = 230;
  const x = (t) => left + ((t - min) / (max - min)) * (width - left - 16);
  const rowHeight = 24;
  const svg = s("svg", { viewBox: `0 0 ${width} ${dated.length * rowHeight + 24}`, class: "chart roles", role: "img", "aria-label": "Roles over time" });
  dated.forEach(({ role, from, to }, i) => {
    const y = i * rowHeight + 4;
    const start = from ? x(from.getTime()) : left;
    const end = to ? x(to.getTime()) : width - 16;
    svg.append(
      s("text", { x: 0, y: y + 13, class: "tick" }, [role.title, role.organization || role.country].filter(Boolean).join(", ").slice(0, 40)),
      s("rect", { x: start, y, width: Math.max(6, end - start), height: 16, rx: 3, class: from ? "role-bar" : "role-bar undated" },
        s("title", {}, `${role.title || ""} ${role.organization || ""} ${role.country || ""}: ${role.since || "?"} – ${role.until || "…"}${role.evidence ? `\n“${role.evidence.quote}”` : ""}`)));
  });
  const axisY = dated.length * rowHeight + 18;
  svg.append(s("text", { x: left, y: axisY, class: "tick" }, new Date(min).toISOString().slice(0, 10)),
    s("text", { x: width - 16, y: axisY, class: "tick", "text-anchor": "end" }, new Date(max).toISOString().slice(0, 10)));
  return svg;
}

/** Radial layout: the actor in the middle, counterparts around it, edges as thick as their event count. */
function network(actor, counterparts) {
  const items = (counterparts || []).slice(0, 24);
  if (!items.length) return h("p", { class: "muted" }, "No counterparts yet.");
  const width = 760;
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
    const px = cx0 + 1.45 * radius * Math.cos(angle);
    const py = c + radius * Math.sin(angle);
    const tone = (p.weight || 0) > 0 ? "coop" : (p.weight || 0) < 0 ? "conf" : "neutral";
    edges.append(s("line", { x1: cx0, y1: c, x2: px, y2: py, class: `edge ${tone}`, "stroke-width": 1 + 7 * ((p.events || 1) / maxEvents) },
      s("title", {}, `${p.name}: ${p.events} events, weight ${(p.weight || 0).toFixed(2)}`)));
    const anchor = Math.cos(angle) > 0.2 ? "start" : Math.cos(angle) < -0.2 ? "end" : "middle";
    const dx = anchor === "start" ? 12 : anchor === "end" ? -12 : 0;
    const dy = anchor === "middle" ? (Math.sin(angle) > 0 ? 22 : -14) : 4;
    nodes.append(s("a", { href: `#/actor/${enc(p.id)}` },
      s("circle", { cx: px, cy: py, r: 5 + 6 * Math.sqrt((p.events || 1) / maxEvents), class: `node ${tone}` }),
      s("text", { x: px + dx, y: py + dy, "text-anchor": anchor, class: "node-label" }, `${p.name || p.id} (${p.events})`)));
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
      h("section", { class: "card grow" }, h("h2", {}, "Counterparts"), network(actor, actor.counterparts),
        h("p", { class: "muted note" }, "Line width: events together; colour: cooperation (green) or conflict (red) on balance.")),
      h("section", { class: "card grow" }, h("h2", {}, "Roles over time"), rolesTimeline(actor.roles),
        h("ul", { class: "roles-list" }, (actor.roles || []).map((role) => h("li", {},
          [role.title, role.organization, role.country].filter(Boolean).join(", "), h("span", { class: "muted" }, ` ${role.since || "?"} – ${role.until || "…"}`),
          role.evidence ? link(`#/article/${enc(role.evidence.article_id)}`, " [source]") : null))))),
    h("section", { class: "card" }, h("h2", {}, "Latest events"), eventTable(actor.events)),
    actor.kind === "person" ? h("section", { class: "card" }, h("h2", {}, "Merged spellings"),
      await mergeList("person", new Set([actor.id, ...(actor.merged_from || [])]), () => window.dispatchEvent(new HashChangeEvent("hashchange")))) : null]);
}
