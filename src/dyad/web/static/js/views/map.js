// Map: events per country (shaded) and per place (circles) on the bundled Natural Earth 110m
// country shapes (vendored world-atlas, drawn with d3-geo); no tiles, nothing from the network.

import { get } from "../api.js";
import { append, h, s, link, enc } from "../dom.js";

let shapes = null;

async function loadShapes() {
  if (!shapes) {
    const [world, isoNumeric] = await Promise.all(
      ["/static/vendor/countries-110m.json", "/static/vendor/iso-numeric.json"].map((url) => fetch(url).then((r) => r.json())));
    const countries = window.topojson.feature(world, world.objects.countries).features;
    const names = Object.fromEntries(countries.map((f) => [isoNumeric[f.id], f.properties.name]));
    shapes = { countries, isoNumeric, names };
  }
  return shapes;
}

function shade(count, max) {
  if (!count) return "country";
  const step = Math.min(5, 1 + Math.floor((4 * Math.log1p(count)) / Math.log1p(max)));
  return `country heat-${step}`;
}

function zoomToggle(params, whole) {
  const next = new URLSearchParams(params);
  if (whole) next.delete("world");
  else next.set("world", "1");
  return next;
}

export async function renderMap(root, { params, isCurrent }) {
  const a = params.get("a") || "";
  const b = params.get("b") || "";
  const [data, geo] = await Promise.all([
    get("/map", { a, b, since: params.get("since"), until: params.get("until") }), loadShapes()]);
  if (!isCurrent()) return;
  const width = 960;
  const height = 500;
  const counts = new Map((data.countries || []).map((c) => [c.iso3, c.events]));
  const withEvents = geo.countries.filter((f) => counts.has(geo.isoNumeric[f.id]));
  const whole = params.get("world") === "1" || !withEvents.length;
  // Zoomed to the countries with events (with a margin), unless the whole world is asked for.
  const projection = whole
    ? window.d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" })
    : window.d3.geoNaturalEarth1().fitExtent([[width * 0.3, height * 0.25], [width * 0.7, height * 0.75]], { type: "FeatureCollection", features: withEvents });
  const path = window.d3.geoPath(projection);
  const maxCount = Math.max(1, ...counts.values());
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart map", role: "img", "aria-label": "Events by country and place" },
    s("path", { d: path({ type: "Sphere" }), class: "sphere" }),
    s("path", { d: path(window.d3.geoGraticule10()), class: "graticule" }));
  for (const feature of geo.countries) {
    const iso3 = geo.isoNumeric[feature.id];
    const count = counts.get(iso3) || 0;
    svg.append(s("path", { d: path(feature), class: shade(count, maxCount), "data-iso3": iso3 || "" },
      s("title", {}, `${feature.properties.name}${count ? `: ${count} events` : ""}`)));
  }
  const places = (data.places || []).filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  const maxPlace = Math.max(1, ...places.map((p) => p.events || 0));
  for (const place of [...places].sort((p, q) => q.events - p.events)) {
    const point = projection([place.lon, place.lat]);
    if (!point) continue;
    svg.append(s("circle", { cx: point[0], cy: point[1], r: 3 + 9 * Math.sqrt((place.events || 1) / maxPlace), class: "place" },
      s("title", {}, `${place.name} (${place.country || "?"}): ${place.events} events`)));
  }
  const filter = a && b ? `${a} ⇄ ${b}` : a || b || "all events";
  append(root, 
    h("div", { class: "title-row" }, h("h1", {}, "Map"), h("div", { class: "muted" }, filter,
      a || b ? [" · ", link("#/map", "all events")] : null, " · ", link(`#/map?${zoomToggle(params, whole)}`, whole ? "zoom to events" : "whole world"))),
    h("div", { class: "columns" },
      h("section", { class: "card grow map-card" }, svg,
        h("div", { class: "legend" }, h("span", { class: "legend-item" }, h("i", { class: "swatch heat-5" }), "more events"),
          h("span", { class: "legend-item" }, h("i", { class: "swatch heat-1" }), "fewer"),
          h("span", { class: "legend-item" }, h("i", { class: "swatch place-swatch" }), "event place"))),
      h("div", { class: "sidebar" },
        h("section", { class: "card side" }, h("h3", {}, "Countries"), h("ol", { class: "ranked" },
          [...(data.countries || [])].sort((p, q) => q.events - p.events).slice(0, 15).map((c) =>
            h("li", {}, link(`#/actor/${enc(c.iso3)}`, geo.names[c.iso3] || c.iso3), h("span", { class: "count" }, String(c.events)))))),
        h("section", { class: "card side" }, h("h3", {}, "Places"), h("ol", { class: "ranked" },
          [...places].sort((p, q) => q.events - p.events).slice(0, 15).map((p) =>
            h("li", {}, h("span", {}, `${p.name}${p.country ? ` (${p.country})` : ""}`), h("span", { class: "count" }, String(p.events)))))))));
}
