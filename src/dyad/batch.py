"""The per-batch part of the flow, as one pure function: documents in, store records out.

``process_documents`` is what every executor maps over the input (dyad's local process pool,
an in-process run with one worker, a distributed engine): it reads nothing from the store and
writes nothing, so the caller decides where the records go. Models are loaded once per process
and cached (``dyad.extract.nlp.load_nlp``).
"""

from __future__ import annotations

from dyad.pipeline import process_document
from dyad.records import Article, Document, Extraction, Rejection
from dyad.settings import Settings

Record = Article | Extraction | Rejection

__all__ = ["Record", "extract_or_reject", "process_documents"]


def process_documents(documents: list[Document], settings: Settings, *, extract: bool = True,
                      skip_extraction: frozenset[str] = frozenset()) -> list[Record]:
    """Clean, assemble and (with ``extract``) extract each document, in input order: every
    Article is followed by its Extraction, or by an E-EXTRACT-FAILED rejection when extraction
    failed; a document that cannot be cleaned becomes a rejection. Articles whose id is in
    ``skip_extraction`` (already extracted in the store) are returned without an extraction."""
    records: list[Record] = []
    for document in documents:
        item = process_document(document, settings)
        records.append(item)
        if extract and isinstance(item, Article) and item.id not in skip_extraction:
            records.append(extract_or_reject(item, settings))
    return records


def extract_or_reject(article: Article, settings: Settings | None = None) -> Extraction | Rejection:
    """The article's extraction; a failure is recorded (the article itself is kept)."""
    from dyad.extract import extract_article

    model = (settings.extract_model, settings.model_threshold) if settings is not None else (None, None)
    try:
        return extract_article(article, model=model[0], model_threshold=model[1])
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
        return extraction_failure(article, exc)


def extraction_failure(article: Article, exc: BaseException) -> Rejection:
    return Rejection(article.source, article.locator, "E-EXTRACT-FAILED",
                     f"{article.locator}: article {article.id} stored, but extraction failed: {type(exc).__name__}: {exc}",
                     detail=repr(exc))
