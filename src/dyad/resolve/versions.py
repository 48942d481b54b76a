"""Article versions. The id is a content hash and the key names the document across edits
(its URL, or where it was read), so:

- an id already stored: the same content again, nothing is added (its new source is noted);
- a key never seen: version 1;
- a key seen with other content: the next version, pointing at the one it supersedes; the older
  version stays in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class VersionDecision:
    outcome: Literal["unchanged", "new", "new-version"]
    version: int
    supersedes: str | None = None


def decide_version(article_id: str, id_known: bool, latest: tuple[str, int] | None) -> VersionDecision:
    """``latest`` is the (id, version) most recently stored under the article's key, if any."""
    if id_known:
        return VersionDecision("unchanged", latest[1] if latest else 1)
    if latest is None:
        return VersionDecision("new", 1)
    return VersionDecision("new-version", latest[1] + 1, supersedes=latest[0])
