"""The per-batch part of the flow, as pure functions: documents in, store records out.

``process_documents`` is what every executor maps over the input (dyad's local process pool in
``dyad.executor``, an in-process run with one worker, a distributed engine): it reads nothing
from the store and writes nothing, so the caller decides where the records go. Models are loaded
once per process and cached (``dyad.extract.nlp.load_nlp``). The paragraphs of all articles in a
batch go through spaCy in one ``nlp.pipe`` call, which batches them better than one call per
article.
"""

from __future__ import annotations

from dataclasses import dataclass

from dyad.pipeline import process_document
from dyad.records import Article, Document, Extraction, Rejection
from dyad.settings import Settings

Record = Article | Extraction | Rejection

__all__ = ["DocumentTask", "Record", "document_groups", "extract_articles", "process_documents"]


def process_documents(documents: list[Document], settings: Settings, *, extract: bool = True,
                      skip_extraction: frozenset[str] = frozenset()) -> list[Record]:
    """Clean, assemble and (with ``extract``) extract each document, in input order: every
    Article is followed by its Extraction, or by an E-EXTRACT-FAILED rejection when extraction
    failed; a document that cannot be cleaned becomes a rejection. Articles whose id is in
    ``skip_extraction`` (already extracted in the store) are returned without an extraction."""
    groups = document_groups(documents, settings, extract=extract, skip_extraction=skip_extraction)
    return [record for group in groups for record in group]


def document_groups(documents: list[Document], settings: Settings, *, extract: bool = True,
                    skip_extraction: frozenset[str] = frozenset()) -> list[list[Record]]:
    """``process_documents``, one list per document (what a store batch must keep together)."""
    groups: list[list[Record]] = [[process_document(document, settings)] for document in documents]
    if extract:
        todo = [group for group in groups if isinstance(group[0], Article) and group[0].id not in skip_extraction]
        for group, extraction in zip(todo, extract_articles([group[0] for group in todo], settings)):
            group.append(extraction)
    return groups


def extract_articles(articles: list[Article], settings: Settings | None = None) -> list[Extraction | Rejection]:
    """Each article's extraction, or an E-EXTRACT-FAILED rejection (the article itself is kept),
    in order. spaCy parses the paragraphs of all of them in one pass."""
    from dyad.extract.nlp import load_nlp, parse_articles

    try:
        parsed = parse_articles(articles, load_nlp())
    except Exception:  # noqa: BLE001 - the batch failed as a whole: each article on its own finds the culprit
        return [extract_or_reject(article, settings) for article in articles]
    return [extract_or_reject(article, settings, paragraphs) for article, paragraphs in zip(articles, parsed)]


def extract_or_reject(article: Article, settings: Settings | None = None, parsed: list | None = None) -> Extraction | Rejection:
    """The article's extraction (from its ``parsed`` paragraphs when given); a failure is recorded."""
    from dyad.extract import extract_article

    # The run's own settings, read once (None: extract_article reads them per article)
    model = {"model": settings.extract_model, "model_threshold": settings.model_threshold,
             "model_fill": settings.model_fill, "fill_threshold": settings.model_fill_threshold} if settings is not None else {}
    try:
        return extract_article(article, parsed=parsed, **model)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
        return extraction_failure(article, exc)


def extraction_failure(article: Article, exc: BaseException | str) -> Rejection:
    reason = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else exc
    return Rejection(article.source, article.locator, "E-EXTRACT-FAILED",
                     f"{article.locator}: article {article.id} stored, but extraction failed: {reason}",
                     detail=repr(exc))


# -- what dyad.executor maps ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DocumentTask:
    """One input item for the pool: a document read (or the rejection its reading produced), and
    the ids of the articles already extracted under its key, which need no extraction again."""

    document: Document | Rejection
    extracted: frozenset[str] = frozenset()


def run_document_tasks(tasks: list[DocumentTask], settings: Settings) -> list[list[Record]]:
    documents = [task.document for task in tasks if isinstance(task.document, Document)]
    skip = frozenset().union(*(task.extracted for task in tasks))
    groups = iter(document_groups(documents, settings, extract=settings.extract, skip_extraction=skip))
    return [next(groups) if isinstance(task.document, Document) else [task.document] for task in tasks]


def document_crashed(task: DocumentTask, message: str) -> Rejection:
    document = task.document
    return Rejection(document.source, document.locator, "E-WORKER-CRASHED",
                     f"{document.locator}: not stored: {message}", detail=message)


def run_extractions(articles: list[Article], settings: Settings) -> list[list[Record]]:
    return [[extraction] for extraction in extract_articles(articles, settings)]


def extraction_crashed(article: Article, message: str) -> Rejection:
    return extraction_failure(article, message)
