"""Cross-article resolution: projects, commitments, stories, and the merges behind them, with the
one call here that changes the store, undoing a merge."""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from dyad.store.resolution import commitments, project_records, resolution_merges, story_records
from dyad.web.deps import DateParam, Limit, Offset, Reader, Writer, checked_date, page
from dyad.web.models import Page, Problem, Record
from dyad.web.security import guard_mutation

router = APIRouter(prefix="/api", tags=["resolution"])


@router.get("/projects", response_model=Page[Record], summary="Named projects with other names, places, mentions, status over time")
def list_projects(db: Reader, limit: Limit = 50, offset: Offset = 0) -> dict:
    return page(project_records(db), limit, offset)


@router.get("/commitments", response_model=Page[Record],
            summary="Planned and proposed events with their due date: met, overdue, due or open")
def list_commitments(db: Reader, as_of: DateParam = None,
                     state: Annotated[Literal["due", "met", "overdue", "open"] | None, Query()] = None,
                     limit: Limit = 50, offset: Offset = 0) -> dict:
    records = commitments(db, checked_date(as_of, "as_of"))
    return page([r for r in records if state is None or r["state"] == state], limit, offset)


@router.get("/stories", response_model=Page[Record], summary="Articles grouped into stories, the largest first")
def list_stories(db: Reader, min_articles: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 limit: Limit = 50, offset: Offset = 0) -> dict:
    return page(story_records(db, min_articles=min_articles), limit, offset)


@router.get("/merges", response_model=Page[Record],
            summary="Merges of people (ids 12) and of events and projects (ids e12), with rule, score and state")
def list_merges(db: Reader, limit: Limit = 50, offset: Offset = 0) -> dict:
    people = [dict(r) | {"id": str(r["id"]), "kind": "person", "evidence": json.loads(r["evidence"])}
              for r in db.execute("SELECT * FROM actor_merges ORDER BY id")]
    others = [r | {"id": f"e{r['id']}"} for r in resolution_merges(db)]
    return page(people + others, limit, offset)


@router.post("/merges/{merge_id}/undo", dependencies=[Depends(guard_mutation)], response_model=Record,
             responses={401: {"model": Problem}, 404: {"model": Problem}, 429: {"model": Problem}},
             summary="Undo a merge (never made again); events are clustered again without it")
def undo_merge(store: Writer, merge_id: Annotated[str, Path(max_length=20, description="12 for people, e12 for events and projects")]) -> dict:
    found = re.fullmatch(r"(e?)([0-9]{1,12})", merge_id)
    if found is None:
        raise HTTPException(404, f"no merge {merge_id!r}: ids are numbers (people) or e + number (events, projects)")
    number = int(found.group(2))
    (store.undo_resolution_merge if found.group(1) else store.undo_merge)(number)
    return {"id": merge_id, "undone": True}
