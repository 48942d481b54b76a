// Building DOM from data without ever parsing data as HTML: text goes through text nodes,
// attributes through setAttribute, links only when they are http(s) or in-app.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Return href when it is an in-app link (#/..., /path) or an absolute http(s) URL, else null. */
function safeHref(href) {
  if (typeof href !== "string") return null;
  if (href.startsWith("#") || (href.startsWith("/") && !href.startsWith("//"))) return href;
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key.startsWith("on")) {
      if (typeof value === "function") el.addEventListener(key.slice(2), value);
    } else if (key === "href") {
      const safe = safeHref(String(value));
      if (safe) el.setAttribute("href", safe);
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
}

export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h("a", {href, class}, "text", child...) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  return append(el, children);
}

/** SVG element: s("circle", {cx, cy, r}, s("title", {}, "tooltip")) */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  return append(el, children);
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Link to an in-app route, e.g. link("#/actor/" + id, name). */
export function link(route, ...children) {
  return h("a", { href: route }, ...children);
}

/** An external link: shown only for http(s) URLs; anything else is shown as plain text. */
export function externalLink(url, label) {
  const safe = safeHref(url);
  if (!safe || safe.startsWith("#") || safe.startsWith("/")) return h("span", { class: "muted" }, label ?? url ?? "");
  return h("a", { href: safe, target: "_blank", rel: "noopener noreferrer nofollow", class: "external" }, label ?? url);
}

export function enc(value) {
  return encodeURIComponent(value);
}
