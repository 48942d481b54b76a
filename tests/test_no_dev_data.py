"""The development sets in ../shared/dev are read in place, never copied: no file of the project
(code, comments, tests, docs, scripts, committed benchmark results, annotations) quotes their text.
A run of eight words shared with a dev file's text is a quote; ids, offsets, hashes and labels are
what the project may hold."""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from pathlib import Path

from conftest import REPO, require_shared

WORDS = re.compile(r"[A-Za-z][A-Za-z'-]+")
TAG = re.compile(r"<[^>]+>")
RUN = 8
# Dev texts that are markup pages or licences: their word runs are page chrome and legal text,
# which the project's own HTML and licence files share by nature.
SKIPPED = ("htmldate", "trafilatura")
# The project's own text files; vendored third-party code and the reference data built from
# ../shared/data (dictionaries of official names) are not the project's prose.
PROJECT = ("src", "tests", "docs", "scripts", "benchmarks", "training", "README.md")
NOT_PROSE = ("vendor",)
TEXT_SUFFIXES = {".py", ".md", ".txt", ".json", ".yaml", ".yml", ".toml", ".tsv", ".csv", ".html", ".js", ".css", ".cfg", ""}


def _runs(text: str) -> set[str]:
    words = [w.lower() for w in WORDS.findall(text)]
    return {" ".join(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _dev_texts(dev: Path):
    """Every dev text, gzipped and zipped ones opened, XML markup dropped (ECB+ and MEANTIME hold
    one word per element, so the words run on only without the tags)."""
    for path in sorted(dev.rglob("*")):
        if not path.is_file() or path.relative_to(dev).parts[0] in SKIPPED or "licen" in path.name.lower():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield TAG.sub(" ", archive.read(name).decode("utf-8", "ignore"))
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield TAG.sub(" ", data.decode("utf-8", "ignore"))


def _project_files() -> list[Path]:
    files = []
    for part in PROJECT:
        root = REPO / part
        candidates = [root] if root.is_file() else root.rglob("*")
        files += [path for path in candidates if path.is_file() and path.suffix in TEXT_SUFFIXES
                  and not set(path.relative_to(REPO).parts) & set(NOT_PROSE) and "__pycache__" not in path.parts]
    return files


def test_project_files_quote_no_dev_text() -> None:
    dev = require_shared("dev")
    runs = {path: _runs(path.read_text(encoding="utf-8", errors="ignore")) for path in _project_files()}
    assert any("benchmarks" in path.parts and "results" in path.parts for path in runs)  # the results are read
    wanted = set().union(*runs.values())
    quoted = set()
    for text in _dev_texts(dev):
        quoted |= wanted & _runs(text)
    found = {str(path.relative_to(REPO)): sorted(own & quoted)[:3] for path, own in runs.items() if own & quoted}
    assert found == {}, f"project files quote dev data: {found}"


def test_dev_texts_are_read_through_markup_and_archives(tmp_path: Path) -> None:
    """The check itself: a sentence stored one word per XML element, gzipped or zipped is found
    quoted in a comment."""
    sentence = "the envoy of one state met the envoy of another state today"
    (tmp_path / "xml").mkdir()
    words = "".join(f'<token t_id="{i}">{word}</token>' for i, word in enumerate(sentence.split()))
    (tmp_path / "xml" / "doc.xml").write_text(f"<Document>{words}</Document>", encoding="utf-8")
    (tmp_path / "texts.jsonl.gz").write_bytes(gzip.compress(json.dumps({"text": sentence}).encode()))
    with zipfile.ZipFile(tmp_path / "stories.zip", "w") as archive:
        archive.writestr("stories.csv", f"id,text\n1,{sentence}\n")
    texts = list(_dev_texts(tmp_path))
    quote = _runs(f"# as in '{sentence}'")
    assert len(texts) == 3 and all(quote & _runs(text) for text in texts)
    assert not quote & _runs("the envoy of one state met a minister")
