// PLOVER quad classes: colour and label, shared by every view.

export const QUADS = [
  ["verbal_cooperation", "Verbal cooperation"],
  ["material_cooperation", "Material cooperation"],
  ["verbal_conflict", "Verbal conflict"],
  ["material_conflict", "Material conflict"],
];

const LABEL = Object.fromEntries(QUADS);

export function quadLabel(quad) {
  return LABEL[quad] || "Unclassified";
}

/** CSS class carrying the quad colour (see --q-* in app.css). */
export function quadClass(quad) {
  return LABEL[quad] ? `q-${quad}` : "q-none";
}

/** Planned and proposed events are drawn apart (hollow markers, their own lane). */
export function isIntended(status) {
  return status === "planned" || status === "proposed";
}
