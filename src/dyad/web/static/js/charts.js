// SVG charts of the dyad view: the event timeline (lanes by status, colour by quad class) and the
// monthly cooperation-conflict trend. Sized by viewBox, so they scale with the page.

import { h, s } from "./dom.js";
import { QUADS, isIntended, quadClass, quadLabel } from "./quad.js";
import { actorNames, eventLabel, parseDate } from "./format.js";

const WIDTH = 1000;
const LEFT = 150;
const RIGHT = 24;

const LANES = [
  ["occurred", "Occurred", (status) => !isIntended(status) && status !== "denied" && status !== "hypothetical"],
  ["intended", "Planned / proposed", isIntended],
  ["other", "Denied / hypothetical", (status) => status === "denied" || status === "hypothetical"],
];

function timeScale(min, max) {
  const span = Math.max(max - min, 24 * 3600 * 1000);
  return (date) => LEFT + ((date - min) / span) * (WIDTH - LEFT - RIGHT);
}

function ticks(min, max) {
  const years = new Date(max).getUTCFullYear() - new Date(min).getUTCFullYear();
  const out = [];
  const cursor = new Date(Date.UTC(new Date(min).getUTCFullYear(), years > 2 ? 0 : new Date(min).getUTCMonth(), 1));
  const stepMonths = years > 8 ? 24 : years > 2 ? 12 : years > 0 ? 3 : 1;
  while (cursor <= max) {
    if (cursor >= min) out.push(new Date(cursor));
    cursor.setUTCMonth(cursor.getUTCMonth() + stepMonths);
  }
  return { dates: out, label: (d) => (stepMonths >= 12 ? String(d.getUTCFullYear()) : d.toISOString().slice(0, 7)) };
}

function axis(x, min, max, y) {
  const group = s("g", { class: "axis" }, s("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y, y2: y }));
  const { dates, label } = ticks(min, max);
  for (const date of dates) {
    group.append(
      s("line", { x1: x(date), x2: x(date), y1: y, y2: y + 5 }),
      s("text", { x: x(date), y: y + 18, "text-anchor": "middle" }, label(date)));
  }
  return group;
}

/** Events on a time axis, one lane per status group; click a marker to open the event. */
export function timeline(events, onOpen) {
  const dated = events.map((event) => ({ event, when: parseDate(event.date) })).filter((d) => d.when);
  if (!dated.length) return h("p", { class: "muted" }, "None of these events has a date yet.");
  const times = dated.map((d) => d.when.getTime());
  const pad = Math.max((Math.max(...times) - Math.min(...times)) * 0.03, 15 * 24 * 3600 * 1000);
  const min = Math.min(...times) - pad;
  const max = Math.max(...times) + pad;
  const x = timeScale(min, max);
  const laneHeight = 64;
  // occurred and planned lanes always; the denied / hypothetical lane only when it has events
  const lanes = LANES.filter(([key, , test]) => key !== "other" || dated.some((d) => test(d.event.status)));
  const height = lanes.length * laneHeight + 36;
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "chart timeline", role: "img", "aria-label": "Event timeline" });
  lanes.forEach(([key, title, test], index) => {
    const top = index * laneHeight;
    const mid = top + laneHeight / 2;
    svg.append(
      s("rect", { x: 0, y: top, width: WIDTH, height: laneHeight, class: index % 2 ? "lane odd" : "lane" }),
      s("text", { x: 12, y: mid + 4, class: "lane-label" }, title),
      s("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: mid, y2: mid, class: "lane-line" }));
    const stacks = new Map();
    for (const { event, when } of dated.filter((d) => test(d.event.status))) {
      const px = Math.round(x(when));
      const slot = Math.round(px / 10);
      const n = stacks.get(slot) || 0;
      stacks.set(slot, n + 1);
      const py = mid + (n % 2 ? 1 : -1) * Math.ceil(n / 2) * 11;
      const hollow = key === "intended";
      const marker = s("a", { href: `#/event/${encodeURIComponent(event.id)}`, class: "marker-link", "data-event-id": event.id },
        s("circle", { cx: px, cy: Math.max(top + 8, Math.min(top + laneHeight - 8, py)), r: 6,
          class: `marker ${quadClass(event.quad)}${hollow ? " hollow" : ""}` },
          s("title", {}, `${event.date} · ${eventLabel(event)} (${event.status}) · ${quadLabel(event.quad)}\n`
            + `${actorNames(event.actors)} → ${actorNames(event.recipients)}\n${event.summary || ""}`)));
      marker.addEventListener("click", (click) => {
        if (onOpen) {
          click.preventDefault();
          onOpen(event);
        }
      });
      svg.append(marker);
    }
  });
  svg.append(axis(x, min, max, lanes.length * laneHeight + 4));
  return svg;
}

function monthRange(first, last) {
  const out = [];
  let [year, month] = first.split("-").map(Number);
  const [endYear, endMonth] = last.split("-").map(Number);
  while (year < endYear || (year === endYear && month <= endMonth)) {
    out.push(`${year}-${String(month).padStart(2, "0")}`);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return out;
}

/** Monthly score (cooperation > 0 > conflict) as a line over stacked event counts by quad class. */
export function trend(months) {
  const known = (months || []).filter((m) => /^\d{4}-\d{2}$/.test(m.month)).sort((p, q) => p.month.localeCompare(q.month));
  if (!known.length) return h("p", { class: "muted" }, "No dated events to chart by month.");
  const byMonth = new Map(known.map((m) => [m.month, m]));
  const all = monthRange(known[0].month, known[known.length - 1].month).map((month) => byMonth.get(month) || { month, score: 0, events: 0, by_quad: {}, empty: true });
  const height = 230;
  const scoreTop = 16;
  const scoreBottom = 110;
  const barBottom = 200;
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "chart trend", role: "img", "aria-label": "Monthly cooperation-conflict trend" });
  const step = (WIDTH - LEFT - RIGHT) / all.length;
  const cx = (i) => LEFT + step * (i + 0.5);
  const maxScore = Math.max(1, ...all.map((m) => Math.abs(m.score || 0)));
  const sy = (score) => (scoreTop + scoreBottom) / 2 - (score / maxScore) * ((scoreBottom - scoreTop) / 2);
  const maxCount = Math.max(1, ...all.map((m) => m.events || 0));
  const by = (count) => (count / maxCount) * (barBottom - scoreBottom - 22);

  svg.append(
    s("text", { x: 12, y: sy(maxScore) + 4, class: "lane-label" }, "Cooperation"),
    s("text", { x: 12, y: sy(-maxScore) + 4, class: "lane-label" }, "Conflict"),
    s("text", { x: 12, y: barBottom - 20, class: "lane-label" }, "Events / month"),
    s("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: sy(0), y2: sy(0), class: "zero" }),
    s("text", { x: LEFT - 6, y: sy(maxScore) + 4, "text-anchor": "end", class: "tick" }, `+${maxScore.toFixed(1)}`),
    s("text", { x: LEFT - 6, y: sy(-maxScore) + 4, "text-anchor": "end", class: "tick" }, `−${maxScore.toFixed(1)}`),
    s("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: barBottom, y2: barBottom, class: "baseline" }));

  all.forEach((m, i) => {
    let y = barBottom;
    const barWidth = Math.max(2, Math.min(28, step * 0.7));
    for (const [quad] of QUADS) {
      const count = (m.by_quad || {})[quad] || 0;
      if (!count) continue;
      y -= by(count);
      svg.append(s("rect", { x: cx(i) - barWidth / 2, y, width: barWidth, height: by(count), class: `bar ${quadClass(quad)}` },
        s("title", {}, `${m.month}: ${count} ${quadLabel(quad).toLowerCase()}`)));
    }
  });
  const points = all.filter((m) => !m.empty).map((m) => [cx(all.indexOf(m)), sy(m.score || 0), m]);
  svg.append(s("polyline", { points: points.map(([px, py]) => `${px},${py}`).join(" "), class: "score-line" }));
  for (const [px, py, m] of points) {
    svg.append(s("circle", { cx: px, cy: py, r: 3.5, class: (m.score || 0) >= 0 ? "score-dot coop" : "score-dot conf" },
      s("title", {}, `${m.month}: score ${(m.score || 0).toFixed(2)}, ${m.events} events${m.planned ? `, ${m.planned} planned` : ""}`)));
  }
  const labelEvery = Math.ceil(all.length / 12);
  all.forEach((m, i) => {
    if (i % labelEvery === 0) svg.append(s("text", { x: cx(i), y: barBottom + 18, "text-anchor": "middle", class: "tick" }, m.month));
  });
  return svg;
}

export function legend() {
  return h("div", { class: "legend" },
    QUADS.map(([quad, label]) => h("span", { class: "legend-item" }, h("i", { class: `swatch ${quadClass(quad)}` }), label)),
    h("span", { class: "legend-item" }, h("i", { class: "swatch hollow" }), "Planned / proposed"));
}
