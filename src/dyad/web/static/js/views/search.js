// Search over articles and events.

import { get } from "../api.js";
import { append, h, link, enc, externalLink } from "../dom.js";
import { eventTable } from "../eventlist.js";

export async function renderSearch(root, { params, isCurrent }) {
  const q = params.get("q") || "";
  const input = h("input", { type: "search", name: "q", value: q, placeholder: "Words, names, places…", "aria-label": "Search query", class: "wide" });
  const form = h("form", { class: "toolbar" }, input, h("button", { type: "submit", class: "primary" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/search?${new URLSearchParams({ q: input.value })}`;
  });
  append(root, h("h1", {}, "Search"), form);
  if (!q.trim()) {
    const recent = await get("/articles", { limit: 20 });
    if (!isCurrent()) return;
    append(root, h("section", { class: "card" }, h("h2", {}, "Latest articles"), articleList(recent.items || [])));
    return;
  }
  const found = await get("/search", { q });
  if (!isCurrent()) return;
  append(root, 
    h("section", { class: "card" }, h("h2", {}, `Articles (${(found.articles || []).length})`), articleList(found.articles || [])),
    h("section", { class: "card" }, h("h2", {}, `Events (${(found.events || []).length})`), eventTable(found.events, { empty: "No events match." })));
}

function articleList(articles) {
  if (!articles.length) return h("p", { class: "muted" }, "No articles.");
  return h("ul", { class: "article-list" }, articles.map((article) => h("li", { "data-article-id": article.id },
    link(`#/article/${enc(article.id)}`, article.title || `Untitled article ${article.id}`),
    h("div", { class: "muted small" }, [article.outlet, article.published, article.dateline].filter(Boolean).join(" · "), " ",
      article.url ? externalLink(article.url) : null))));
}
