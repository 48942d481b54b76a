// The workbench's router: #/dyad?a=&b=, #/event/ID, #/actor/ID, #/article/ID, #/map, #/search?q=.

import { clear, h } from "./dom.js";
import { renderDyad } from "./views/dyad.js";
import { renderEvent } from "./views/event.js";
import { renderActor } from "./views/actor.js";
import { renderArticle } from "./views/article.js";
import { renderMap } from "./views/map.js";
import { renderSearch } from "./views/search.js";

const ROUTES = {
  "": renderDyad,
  dyad: renderDyad,
  event: renderEvent,
  actor: renderActor,
  article: renderArticle,
  map: renderMap,
  search: renderSearch,
};

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, search = ""] = raw.split("?");
  const [name = "", ...rest] = path.split("/");
  return { name, id: rest.length ? decodeURIComponent(rest.join("/")) : null, params: new URLSearchParams(search) };
}

let rendering = 0;

async function route() {
  const { name, id, params } = parseHash();
  document.body.dataset.ready = "";  // tests wait for the next view's name here
  const view = document.getElementById("view");
  const render = ROUTES[name];
  document.querySelectorAll("[data-nav]").forEach((a) => a.classList.toggle("active", a.dataset.nav === (name || "dyad")));
  const token = ++rendering;
  const root = h("div", { class: "page" });
  clear(view).append(root);
  if (!render) {
    root.append(h("p", { class: "error" }, "No such page."));
    return;
  }
  root.append(h("p", { class: "loading" }, "Loading…"));
  try {
    await render(root, { id, params, isCurrent: () => token === rendering });
    root.querySelector(":scope > .loading")?.remove();
  } catch (error) {
    if (token !== rendering) return;
    clear(root).append(h("p", { class: "error" }, error.message || String(error)));
  }
  document.body.dataset.ready = name || "dyad";
}

document.getElementById("quicksearch").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = new FormData(event.target).get("q");
  location.hash = `#/search?${new URLSearchParams({ q })}`;
});
window.addEventListener("hashchange", route);
route();
