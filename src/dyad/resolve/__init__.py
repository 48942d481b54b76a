"""Resolve: decide identity. Articles: new, unchanged, or a new version of one already kept.
People: two spellings of one person across articles become one actor (a recorded merge).
Events: reports of one event become one cluster, plans are linked to their fulfilment (events);
named projects with their aliases and status (projects); articles grouped into stories (stories)."""

from dyad.resolve.versions import VersionDecision, decide_version

__all__ = ["VersionDecision", "decide_version"]
