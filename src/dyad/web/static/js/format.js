// Small formatters for names, dates and event labels (plain strings; callers put them in text nodes).

export function actorNames(refs) {
  return (refs || []).map((ref) => ref.name || ref.id).join(", ") || "—";
}

export function eventLabel(event) {
  return event.mode ? `${event.type}/${event.mode}` : event.type;
}

/** "2025-04-21" / "2025-04" / "2025" → Date at the start of that period; anything else → null. */
export function parseDate(value) {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2] || 1) - 1, Number(match[3] || 1)));
}

export function dateText(event) {
  return event.date || "undated";
}

export function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
