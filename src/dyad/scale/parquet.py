"""dyad's records as Parquet rows, one folder of partition files per table, and back.

Layout of an output folder (each ``part-<digest>.parquet`` holds what one batch produced)::

    articles/      one row per article: metadata values as columns, evidence as JSON
    extractions/   one row per extracted article: the whole Extraction as JSON (what import reads)
    events/        one row per event         } flat copies of the extractions,
    participants/  one row per actor/recipient } for querying the partitions directly
    actors/        one row per actor per article } (DuckDB, pandas, Spark)
    figures/       one row per figure        }
    rejections/    one row per rejected input

``run`` (when the run started, in nanoseconds), ``file_seq`` and ``item_seq`` keep the order the
inputs were discovered and read in, so an import versions documents exactly as ``dyad ingest``
would, also when several runs wrote into one folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import types
import typing
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dyad import records
from dyad.records import METADATA_FIELDS, Article, Document, Extraction, Rejection
from dyad.store.extraction import EXTRACTOR_VERSION

Record = Article | Extraction | Rejection
Ordered = tuple[int, int, Record]  # (file_seq, item_seq, record)

_SEQ = [("run", pa.int64()), ("file_seq", pa.int64()), ("item_seq", pa.int64())]
SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("article_id", pa.string()), ("key", pa.string()), ("source", pa.string()), ("locator", pa.string()),
        ("kind", pa.string()), *((name, pa.string()) for name in METADATA_FIELDS), ("text", pa.string()),
        ("raw", pa.string()), ("paragraphs", pa.string()), ("metadata", pa.string()), ("removed", pa.string()), *_SEQ]),
    "extractions": pa.schema([("article_id", pa.string()), ("extractor", pa.string()), ("record", pa.string())]),
    "events": pa.schema([
        ("event_id", pa.string()), ("article_id", pa.string()), ("type", pa.string()), ("mode", pa.string()),
        ("status", pa.string()), ("confidence", pa.float64()), ("date", pa.string()), ("date_granularity", pa.string()),
        ("date_basis", pa.string()), ("place_id", pa.string()), ("place_name", pa.string()), ("place_country", pa.string()),
        ("sentence", pa.string()), ("trigger", pa.string()), ("trigger_start", pa.int64()), ("trigger_end", pa.int64())]),
    "participants": pa.schema([
        ("event_id", pa.string()), ("article_id", pa.string()), ("role", pa.string()), ("seq", pa.int64()),
        ("actor_id", pa.string()), ("quote", pa.string()), ("start", pa.int64()), ("end", pa.int64())]),
    "actors": pa.schema([
        ("article_id", pa.string()), ("actor_id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
        ("country", pa.string()), ("sector", pa.string()), ("parent", pa.string())]),
    "figures": pa.schema([
        ("article_id", pa.string()), ("event_id", pa.string()), ("kind", pa.string()), ("amount", pa.float64()),
        ("unit", pa.string()), ("qualifier", pa.string()), ("usd", pa.float64()), ("quote", pa.string()),
        ("start", pa.int64()), ("end", pa.int64())]),
    "rejections": pa.schema([
        ("source", pa.string()), ("locator", pa.string()), ("code", pa.string()), ("message", pa.string()),
        ("detail", pa.string()), *_SEQ]),
}
TABLES = tuple(SCHEMAS)


# --- records <-> plain JSON ---------------------------------------------------------------------

def to_json(record: object) -> str:
    return json.dumps(dataclasses.asdict(record), ensure_ascii=False)  # type: ignore[call-overload]


def from_json(cls: type, text: str) -> object:
    return rebuild(cls, json.loads(text))


def rebuild(hint: object, data: object) -> object:
    """A record (or a value inside one) from its ``dataclasses.asdict`` form, guided by the type hints."""
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return rebuild(next(arg for arg in typing.get_args(hint) if arg is not type(None)), data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(rebuild(args[0], item) for item in data)  # type: ignore[union-attr]
        return tuple(rebuild(arg, item) for arg, item in zip(args, data))  # type: ignore[call-overload]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint, vars(records))
        return hint(**{f.name: rebuild(hints[f.name], data[f.name]) for f in dataclasses.fields(hint)})  # type: ignore[index]
    return data  # str, int, float, bool, Literal


def document_from_json(text: str) -> Document:
    return from_json(Document, text)  # type: ignore[return-value]


# --- records -> rows ------------------------------------------------------------------------------

def article_row(article: Article, run: int, file_seq: int, item_seq: int) -> dict:
    meta = article.metadata()
    return {
        "article_id": article.id, "key": article.key, "source": article.source, "locator": article.locator,
        "kind": article.kind, **{name: meta[name].value if name in meta else None for name in METADATA_FIELDS},
        "text": article.text, "raw": article.raw,
        "paragraphs": json.dumps([[p.start, p.end] for p in article.paragraphs]),
        "metadata": json.dumps({name: dataclasses.asdict(value) for name, value in meta.items()}, ensure_ascii=False),
        "removed": json.dumps([dataclasses.asdict(block) for block in article.removed], ensure_ascii=False),
        "run": run, "file_seq": file_seq, "item_seq": item_seq,
    }


def extraction_rows(extraction: Extraction) -> dict[str, list[dict]]:
    article = extraction.article_id
    rows: dict[str, list[dict]] = {"extractions": [{"article_id": article, "extractor": EXTRACTOR_VERSION,
                                                    "record": to_json(extraction)}],
                                   "events": [], "participants": [], "actors": [], "figures": []}
    for event in extraction.events:
        date, place = event.date, event.place
        rows["events"].append({
            "event_id": event.id, "article_id": article, "type": event.type, "mode": event.mode, "status": event.status,
            "confidence": event.confidence, "date": date.value if date else None,
            "date_granularity": date.granularity if date else None, "date_basis": date.basis if date else None,
            "place_id": place.id if place else None, "place_name": place.name if place else None,
            "place_country": place.country if place else None, "sentence": event.evidence.quote,
            "trigger": event.trigger.quote, "trigger_start": event.trigger.start, "trigger_end": event.trigger.end})
        for role, refs in (("actor", event.actors), ("recipient", event.recipients)):
            rows["participants"].extend(
                {"event_id": event.id, "article_id": article, "role": role, "seq": seq, "actor_id": ref.actor_id,
                 "quote": ref.evidence.quote, "start": ref.evidence.start, "end": ref.evidence.end}
                for seq, ref in enumerate(refs))
    rows["actors"] = [{"article_id": article, "actor_id": a.id, "name": a.name, "kind": a.kind, "country": a.country,
                       "sector": a.sector, "parent": a.parent} for a in extraction.actors]
    event_of_figure = {(f.evidence.start, f.evidence.end): e.id for e in extraction.events for f in e.figures}
    rows["figures"] = [{"article_id": article, "event_id": event_of_figure.get((f.evidence.start, f.evidence.end)),
                        "kind": f.kind, "amount": f.amount, "unit": f.unit, "qualifier": f.qualifier, "usd": f.usd,
                        "quote": f.evidence.quote, "start": f.evidence.start, "end": f.evidence.end}
                       for f in extraction.figures]
    return rows


def rows_by_table(items: Iterable[Ordered], run: int = 0) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for file_seq, item_seq, record in items:
        if isinstance(record, Article):
            tables["articles"].append(article_row(record, run, file_seq, item_seq))
        elif isinstance(record, Extraction):
            for name, rows in extraction_rows(record).items():
                tables[name].extend(rows)
        else:
            tables["rejections"].append({**dataclasses.asdict(record), "run": run, "file_seq": file_seq, "item_seq": item_seq})
    return tables


def write_partition(out: Path, items: list[Ordered], run: int = 0) -> dict[str, int]:
    """Write one batch's records as one file per table; returns rows written per table.

    The file name is a digest of the batch's content, and each file is written beside its final
    name and renamed into place: a batch that a worker retries overwrites its own files whole,
    and a reader never sees half a file."""
    digest = hashlib.sha256()
    for file_seq, item_seq, record in items:
        digest.update(f"{file_seq}:{item_seq}:{type(record).__name__}:{_identity(record)}\x00".encode())
    name = f"part-{digest.hexdigest()[:20]}.parquet"
    counts = {}
    for table, rows in rows_by_table(items, run).items():
        folder = out / table
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.{os.getpid()}.tmp"
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), partial)
        os.replace(partial, folder / name)
        counts[table] = len(rows)
    return counts


def _identity(record: Record) -> str:
    if isinstance(record, Article):
        return record.id
    if isinstance(record, Extraction):
        return record.article_id
    return f"{record.locator}:{record.code}"


# --- rows -> records ------------------------------------------------------------------------------

def article_from_row(row: dict) -> Article:
    ident, text = row["article_id"], row["text"]
    meta = {name: rebuild(records.MetaValue, value) for name, value in json.loads(row["metadata"]).items()}
    return Article(
        id=ident, key=row["key"], source=row["source"], locator=row["locator"], kind=row["kind"], raw=row["raw"],
        text=text, paragraphs=tuple(records.Evidence("text", s, e, text[s:e], ident) for s, e in json.loads(row["paragraphs"])),
        removed=tuple(rebuild(records.RemovedBlock, block) for block in json.loads(row["removed"])),  # type: ignore[misc]
        **{name: meta.get(name) for name in METADATA_FIELDS})  # type: ignore[arg-type]


def rejection_from_row(row: dict) -> Rejection:
    return Rejection(row["source"], row["locator"], row["code"], row["message"], row["detail"] or "")
