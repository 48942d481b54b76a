"""Openly licensed news sentences from shared/dev for dyad's event-model annotations.

    .venv/bin/python scripts/news_sentences.py [--shared PATH] [CORPUS ...]

Prints every candidate sentence as ``reference<TAB>hash<TAB>text`` (to the terminal, for an
annotator: nothing here writes dev text into the repository). The annotation file
(training/annotations/news_sentences.tsv) stores only the reference, the hash and the label;
``resolve`` finds the sentence again in shared/ and checks its hash. See
docs/annotation_guidelines.md.

Corpora (only openly licensed parts, and only splits no event-type benchmark scores):

- ``ecbplus``: ECB+ (CC BY 3.0), the training split (ECB_Train_corpus.txt: the split
  benchmarks/event_coref.py trains on; it scores the Dev split and MEANTIME). Reference
  ``ecbplus:<doc>:<sentence>``; text = the sentence's tokens, lightly detokenised.
- ``re3d``: re3d's CENTCOM (public domain), Wikipedia (CC BY-SA 3.0) and Australian DFAT
  (CC BY 3.0 AU) documents; BBC Online (CC BY-NC) and the EU Delegation (own legal notice) are
  left out. Reference ``re3d:<folder>:<document id>:<begin>:<end>`` (character offsets).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RE3D_FOLDERS = {"centcom": "CENTCOM", "wikipedia": "Wikipedia", "dfat": "Australian Department of Foreign Affairs"}
_NO_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|'S\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_NO_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")


def text_hash(text: str) -> str:
    """A short fingerprint of a sentence: enough to verify a reference, too short to hold text."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:10]


def detokenise(tokens: list[str]) -> str:
    return _NO_SPACE_AFTER.sub("", _NO_SPACE_BEFORE.sub("", " ".join(tokens)))


def ecbplus_sentences(shared: Path) -> dict[str, str]:
    sentences: dict[str, list[str]] = {}
    for line in (shared / "dev" / "ecbplus" / "ECB_Train_corpus.txt").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4:
            sentences.setdefault(f"ecbplus:{parts[0]}:{int(parts[1])}", []).append(parts[3])
    return {key: detokenise(tokens) for key, tokens in sentences.items()}


def re3d_documents(shared: Path) -> dict[str, str]:
    documents = {}
    for short, folder in RE3D_FOLDERS.items():
        with open(shared / "dev" / "re3d" / folder / "documents.json", encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    documents[f"{short}:{row['_id']}"] = row["text"]
    return documents


def re3d_sentences(shared: Path) -> dict[str, str]:
    """Sentences of the re3d documents by a plain splitter (line breaks, and . ! ? before a
    capital); the reference keeps the offsets, so the splitter can change without breaking it."""
    sentences = {}
    for key, text in re3d_documents(shared).items():
        for block in re.finditer(r"[^\n]+", text):
            start = block.start()
            for piece in re.split(r"(?<=[.!?])\s+(?=[\"'A-Z])", block.group()):
                begin = text.index(piece, start)
                start = begin + len(piece)
                if len(piece.split()) >= 5:
                    sentences[f"re3d:{key}:{begin}:{start}"] = piece
    return sentences


def resolve(reference: str, shared: Path, cache: dict | None = None) -> str | None:
    """The sentence a reference names, or None when shared/ has no such sentence."""
    cache = {} if cache is None else cache
    corpus = reference.split(":", 1)[0]
    if corpus == "ecbplus":
        if "ecbplus" not in cache:
            cache["ecbplus"] = ecbplus_sentences(shared)
        return cache["ecbplus"].get(reference)
    if corpus == "re3d":
        if "re3d" not in cache:
            cache["re3d"] = re3d_documents(shared)
        _, folder, document, begin, end = reference.split(":")
        text = cache["re3d"].get(f"{folder}:{document}")
        return None if text is None else text[int(begin):int(end)]
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DYAD_SHARED") or REPO.parent / "shared"))
    parser.add_argument("corpora", nargs="*", default=["ecbplus", "re3d"])
    args = parser.parse_args(argv)
    readers = {"ecbplus": ecbplus_sentences, "re3d": re3d_sentences}
    for corpus in args.corpora:
        for reference, text in readers[corpus](args.shared).items():
            print(f"{reference}\t{text_hash(text)}\t{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
