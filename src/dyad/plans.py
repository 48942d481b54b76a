"""PLOVER's types for plans, shared by extraction (which codes a plan) and resolution (which
links a plan to the act that fulfils it): a promise to cooperate is AGREE, an announced retreat is
CONCEDE (the manual's AGREE and CONCEDE sections); any other planned act keeps its type."""

from __future__ import annotations

COOPERATIVE_TYPES = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
_PLAN_OF = {**{event_type: "AGREE" for event_type in COOPERATIVE_TYPES}, "RETREAT": "CONCEDE"}

# The acts that fulfil a plan of each type: the type itself and the acts planned as it.
FULFILLED_BY = {plan: (plan, *sorted(act for act, planned in _PLAN_OF.items() if planned == plan))
                for plan in sorted(set(_PLAN_OF.values()))}


def planned_type(event_type: str, status: str) -> str:
    """PLOVER's type for an act of ``event_type`` with ``status``."""
    return _PLAN_OF.get(event_type, event_type) if status == "planned" else event_type
