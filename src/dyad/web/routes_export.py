"""Exports as downloads, the same records as ``dyad export``: events (dyad's JSON Lines, PLOVER
JSON Lines, CSV, Parquet), articles (JSON Lines, CSV, Parquet) and actors (JSON Lines)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dyad.serve.export import actor_record, export_articles, plover_record
from dyad.store.extraction import actor_summaries
from dyad.store.resolution import event_cluster_records
from dyad.web.deps import Reader, open_store

router = APIRouter(prefix="/api/export", tags=["export"])

MEDIA = {"jsonl": "application/x-ndjson", "plover": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
         "parquet": "application/vnd.apache.parquet"}
SUFFIX = {"jsonl": "jsonl", "plover": "jsonl", "csv": "csv", "parquet": "parquet"}
_DOWNLOAD = {200: {"content": {media: {} for media in dict.fromkeys(MEDIA.values())},
                   "description": "The file, as an attachment"}}


def _download(body: bytes, fmt: str, name: str) -> Response:
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="dyad-{name}.{SUFFIX[fmt]}"'})


def _lines(records) -> bytes:  # noqa: ANN001
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def event_row(record: dict) -> dict:
    """An event flattened to one CSV / Parquet row (names and ids joined with '; ')."""
    names = lambda side, key: "; ".join(str(p[key]) for p in record[side])  # noqa: E731
    date, place = record["date"] or {}, record["location"] or {}
    sentence = next(e for e in record["evidence"] if e["field"] == "event")
    return {"id": record["id"], "type": record["type"], "mode": record["mode"], "status": record["status"],
            "date": date.get("value"), "granularity": date.get("granularity"), "date_basis": date.get("basis"),
            "actor_ids": names("actors", "id"), "actor_names": names("actors", "name"),
            "recipient_ids": names("recipients", "id"), "recipient_names": names("recipients", "name"),
            "place": place.get("name"), "place_country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
            "sources": len(record.get("sources", [])), "article_id": record["article_id"],
            "sentence_start": sentence["start"], "sentence_end": sentence["end"], "quote": sentence["quote"]}


def _csv(rows: list[dict]) -> bytes:
    stream = io.StringIO()
    if rows:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def _parquet(rows: list[dict]) -> bytes:
    import duckdb
    import pyarrow as pa

    with tempfile.TemporaryDirectory() as folder, duckdb.connect() as con:
        out = Path(folder) / "export.parquet"
        con.from_arrow(pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.string())})).write_parquet(str(out))
        return out.read_bytes()


@router.get("/events", responses=_DOWNLOAD, response_class=Response,
            summary="Events, one per real-world event: jsonl (with evidence), plover, csv or parquet")
def export_events(db: Reader, format: Annotated[Literal["jsonl", "plover", "csv", "parquet"], Query()] = "jsonl") -> Response:  # noqa: A002
    records = event_cluster_records(db)
    if format == "jsonl":
        return _download(_lines(records), format, "events")
    if format == "plover":
        return _download(_lines(plover_record(r) for r in records), format, "events")
    rows = [event_row(r) for r in records]
    return _download(_csv(rows) if format == "csv" else _parquet(rows), format, "events")


@router.get("/articles", responses=_DOWNLOAD, response_class=Response,
            summary="Articles with metadata evidence: jsonl, csv or parquet")
def export_articles_route(request: Request, format: Annotated[Literal["jsonl", "csv", "parquet"], Query()] = "jsonl") -> Response:  # noqa: A002
    # export_articles reads through a Store; this one is only read from.
    with open_store(request, readonly=True) as store:
        if format == "parquet":
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / "articles.parquet"
                export_articles(store, "parquet", out, io.StringIO())
                return _download(out.read_bytes(), format, "articles")
        stream = io.StringIO()
        export_articles(store, format, None, stream)
    return _download(stream.getvalue().encode("utf-8"), format, "articles")


@router.get("/actors", responses=_DOWNLOAD, response_class=Response, summary="Actors with aliases and roles with evidence (jsonl)")
def export_actors(db: Reader, format: Annotated[Literal["jsonl"], Query()] = "jsonl") -> Response:  # noqa: A002
    return _download(_lines(actor_record(s) for s in actor_summaries(db)), format, "actors")
