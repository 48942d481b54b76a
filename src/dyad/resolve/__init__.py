"""Resolve: decide identity. For articles: new, unchanged, or a new version of one already kept."""

from dyad.resolve.versions import VersionDecision, decide_version

__all__ = ["VersionDecision", "decide_version"]
