// Article page: metadata, clean text, the events read from it (click to mark the sentence) and the
// boilerplate that cleaning removed.

import { get } from "../api.js";
import { h, link, enc, externalLink } from "../dom.js";
import { eventTable } from "../eventlist.js";

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

  const table = eventTable(events, { empty: "No events were read from this article." });
  table.querySelectorAll?.("tbody tr").forEach((row, i) => {
    const sentence = events[i].evidence || events[i].sentence;
    if (!sentence) return;
    row.addEventListener("click", (click) => {
      if (click.target.closest("a")) return;
      const mark = h("mark", { class: "evidence" }, chars.slice(sentence.start, sentence.end).join(""));
      body.replaceChildren(chars.slice(0, sentence.start).join(""), mark, chars.slice(sentence.end).join(""));
      mark.scrollIntoView({ block: "center" });
    });
  });

  root.append(
    h("div", { class: "crumbs" }, link("#/search", "Search"), " / article ", h("code", {}, article.id)),
    h("h1", { class: "article-title" }, article.title || "(untitled)"),
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
