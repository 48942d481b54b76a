"""Resolve: decide identity. Articles: new, unchanged, or a new version of one already kept.
People: two spellings of one person across articles become one actor (a recorded merge)."""

from dyad.resolve.versions import VersionDecision, decide_version

__all__ = ["VersionDecision", "decide_version"]
