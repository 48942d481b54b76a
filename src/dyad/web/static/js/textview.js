// An article's text in a pane where one evidence span at a time is marked and scrolled to.

import { get } from "./api.js";
import { h, clear, link, enc } from "./dom.js";

export function textPane() {
  const heading = h("div", { class: "pane-head" });
  const body = h("div", { class: "article-text", tabindex: "0" });
  const element = h("div", { class: "text-pane" }, heading, body);
  let articleId = null;
  let chars = [];

  async function show(id) {
    if (id === articleId) return;
    const article = await get(`/articles/${enc(id)}`);
    articleId = id;
    chars = Array.from(article.text || "");
    const about = [article.outlet, article.published, article.dateline].filter(Boolean).join(" · ");
    clear(heading).append(link(`#/article/${enc(id)}`, article.title || `Article ${id}`), about ? h("div", { class: "muted small" }, about) : null);
    clear(body).append(chars.join(""));
  }

  /** Mark evidence {article_id, start, end} (code-point offsets, as stored) and bring it into view. */
  async function highlight(evidence) {
    if (!evidence || !evidence.article_id) return null;
    await show(evidence.article_id);
    const mark = h("mark", { class: "evidence" }, chars.slice(evidence.start, evidence.end).join(""));
    clear(body).append(chars.slice(0, evidence.start).join(""), mark, chars.slice(evidence.end).join(""));
    // scroll the pane only (it is the offset parent), so the clicked field stays in view
    body.scrollTop = Math.max(0, mark.offsetTop - body.clientHeight / 3);
    return mark;
  }

  return { element, show, highlight };
}
