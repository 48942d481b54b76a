// Article page: metadata, clean text, the events read from it (click to mark the sentence) and the
// boilerplate that cleaning removed.

import { get } from "../api.js";
import { append, h, link, enc, externalLink } from "../dom.js";
import { statusBadge, typeBadge } from "../eventlist.js";

export async function renderArticle(root, { id, isCurrent }) {
  const article = await get(`/articles/${enc(id)}`);
  if (!isCurrent()) return;
  const chars = Array.from(article.text || "");
  const body = h("div", { class: "article-text reading" }, chars.join(""));
  const events = article.events || [];
  const meta = Object.entries(article.meta || {}).map(([key, item]) => {
    const value = item && typeof item === "object" && "value" in item ? item.value : item;
    return [h("dt", {}, key), h("dd", {}, typeof value === "object" ? JSON.stringify(value) : String(value ?? ""))];
  });

  const mark = (sentence) => {
    const marked = h("mark", { class: "evidence" }, chars.slice(sentence.start, sentence.end).join(""));
    body.replaceChildren(chars.slice(0, sentence.start).join(""), marked, chars.slice(sentence.end).join(""));
    marked.scrollIntoView({ block: "center" });
  };
  const table = events.length
    ? h("table", { class: "events" }, h("thead", {}, h("tr", {}, ["Date", "Type", "Status", "Sentence (click to mark it in the text)"].map((t) => h("th", {}, t)))),
      h("tbody", {}, events.map((event) => {
        const quote = h("td", { class: "summary clickable" }, event.sentence ? event.sentence.quote : "");
        if (event.sentence) quote.addEventListener("click", () => mark(event.sentence));
        return h("tr", { "data-event-id": event.id },
          h("td", { class: "nowrap" }, event.date || "undated"), h("td", {}, link(`#/event/${enc(event.id)}`, typeBadge(event))),
          h("td", {}, statusBadge(event.status)), quote);
      })))
    : h("p", { class: "muted" }, "No events were read from this article.");

  append(root, 
    h("div", { class: "crumbs" }, link("#/search", "Search"), " / article ", h("code", {}, article.id)),
    h("h1", { class: "article-title" }, article.title || h("span", { class: "muted" }, "(untitled)")),
    h("div", { class: "meta-line" }, [article.outlet, article.published, article.dateline].filter(Boolean).join(" · "),
      article.url ? [" · ", externalLink(article.url)] : null),
    h("div", { class: "columns" },
      h("section", { class: "card grow" }, h("h2", {}, "Text"), body),
      h("div", { class: "sidebar wide" },
        h("section", { class: "card" }, h("h2", {}, "Metadata"), meta.length ? h("dl", { class: "facts" }, meta) : h("p", { class: "muted" }, "None.")),
        h("section", { class: "card" }, h("h2", {}, `Removed boilerplate (${(article.removed || []).length})`),
          (article.removed || []).length
            ? h("ul", { class: "removed" }, article.removed.map((block) => h("li", {}, h("span", { class: "reason" }, block.reason || ""), " ", h("span", { class: "muted" }, block.text || ""))))
            : h("p", { class: "muted" }, "Nothing removed.")))),
    h("section", { class: "card" }, h("h2", {}, `Events (${events.length})`), table));
}
