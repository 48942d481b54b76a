"""The development sets in ../shared/dev are read in place, never copied: no committed benchmark
result (where their scores land) quotes their text. A run of eight words shared with a dev file's
text is a quote; ids, offsets and labels are what the results may hold."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from conftest import REPO, require_shared

WORDS = re.compile(r"[A-Za-z][A-Za-z'-]+")
RUN = 8
# Dev texts that are markup pages or licences: their word runs are page chrome and legal text,
# which the project's own HTML and licence files share by nature.
SKIPPED = ("htmldate", "trafilatura")


def _runs(text: str) -> set[str]:
    words = [w.lower() for w in WORDS.findall(text)]
    return {" ".join(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _dev_texts(dev: Path):
    for path in sorted(dev.rglob("*")):
        if not path.is_file() or path.relative_to(dev).parts[0] in SKIPPED or "licen" in path.name.lower():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield archive.read(name).decode("utf-8", "ignore")
        else:
            yield path.read_bytes().decode("utf-8", "ignore")


def test_benchmark_results_quote_no_dev_text() -> None:
    dev = require_shared("dev")
    results = {path: _runs(path.read_text(encoding="utf-8")) for path in (REPO / "benchmarks" / "results").rglob("*")
               if path.is_file()}
    wanted = set().union(*results.values())
    quoted = set()
    for text in _dev_texts(dev):
        quoted |= wanted & _runs(text)
    found = {str(path.relative_to(REPO)): sorted(runs & quoted)[:3] for path, runs in results.items() if runs & quoted}
    assert found == {}, f"benchmark results quote dev data: {found}"
