"""Cooperation-conflict scoring of PLOVER events: each type's quad class and weight, from
src/dyad/data/plover_scores.json (built by scripts/build_plover_scores.py from PLOVER's own
score table; see there for the one sign correction and for APPOINT).

A dyad's monthly score is the sum of the weights of the events that occurred (or are ongoing)
between the two sides that month; planned, proposed, denied and hypothetical events do not move
it (planned and proposed ones are counted apart)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
# Statuses that are something that happened; the others are intentions or non-events.
SCORED_STATUSES = frozenset({"occurred", "ongoing"})
PLANNED_STATUSES = frozenset({"planned", "proposed"})


@cache
def _table() -> dict[str, dict]:
    text = resources.files("dyad").joinpath("data", "plover_scores.json").read_text("utf-8")
    return json.loads(text)["types"]


def event_types() -> tuple[str, ...]:
    """Every event type dyad knows: PLOVER's sixteen and APPOINT."""
    return tuple(sorted(_table()))


def modes(plover_type: str) -> tuple[str, ...]:
    """The modes a type may carry (PLOVER's and the ones dyad's extractor adds)."""
    return tuple(_entry(plover_type)["modes"])


def quad_class(plover_type: str) -> str:
    """verbal_cooperation | material_cooperation | verbal_conflict | material_conflict."""
    return _entry(plover_type)["quad"]


def weight(plover_type: str, mode: str | None = None) -> float:
    """Cooperation (+) or conflict (-) on PLOVER's -10..+10 scale; a mode PLOVER scores
    (CONSULT visit 4.0 vs CONSULT 2.5) refines the type's weight."""
    entry = _entry(plover_type)
    refined = entry["modes"].get(mode.lower()) if mode else None
    return float(refined if refined is not None else entry["weight"])


def _entry(plover_type: str) -> dict:
    try:
        return _table()[plover_type.upper()]
    except KeyError:
        raise ValueError(f"unknown event type {plover_type!r}; known: {', '.join(event_types())}") from None
