"""Events (one per real-world event, with every source), a dyad's view, its timeline and map,
search, and the one call here that changes the store: an analyst's review of an event."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from dyad.brief import resolve_party
from dyad.store import queries, review
from dyad.web.deps import ActorParam, DateParam, Limit, Offset, Reader, Writer, checked_range
from dyad.web.models import EventDetail, EventSummary, Open, Page, Problem, ReviewBody
from dyad.web.security import guard_mutation

router = APIRouter(prefix="/api", tags=["events"])

EventId = Annotated[str, Path(min_length=1, max_length=100, description="An event id (the id of its cluster)")]
Status = Literal["occurred", "ongoing", "planned", "proposed", "denied", "hypothetical"]
NOT_FOUND = {404: {"model": Problem, "description": "No such event or actor"}}


def party(db: sqlite3.Connection, text: str | None) -> str | None:
    """The actor id a query parameter names (404 when none, 400 when several)."""
    return None if text is None else resolve_party(db, text)["id"]


def pair(db: sqlite3.Connection, a: str | None, b: str | None) -> tuple[str | None, str | None]:
    if b is not None and a is None:
        raise HTTPException(422, "b needs a: give a=... as well (the pair is unordered)")
    ids = party(db, a), party(db, b)
    if ids[0] is not None and ids[0] == ids[1]:
        raise HTTPException(422, f"a={a!r} and b={b!r} name the same actor ({ids[0]}); a dyad needs two")
    return ids


@router.get("/events", response_model=Page[EventSummary], responses=NOT_FOUND,
            summary="Events by date; filter by an actor, an unordered pair a/b, type, status, dates and words")
def list_events(db: Reader, actor: ActorParam = None, a: ActorParam = None, b: ActorParam = None,
                type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{2,20}$", description="PLOVER type, e.g. CONSULT")] = None,  # noqa: A002
                status: Annotated[Status | None, Query()] = None, since: DateParam = None, until: DateParam = None,
                q: Annotated[str | None, Query(min_length=1, max_length=500, description="Words in the event's sentence")] = None,
                include_rejected: bool = False, limit: Limit = 50, offset: Offset = 0) -> dict:
    since, until = checked_range(since, until)
    a_id, b_id = pair(db, a, b)
    return queries.event_page(db, actor=party(db, actor), a=a_id, b=b_id, type=type.upper() if type else None, status=status,
                              since=since, until=until, q=q, limit=limit, offset=offset, include_rejected=include_rejected)


@router.get("/events/{event_id}", response_model=EventDetail, responses=NOT_FOUND,
            summary="One event: every field with its evidence, its sources, links and review history")
def get_event(db: Reader, event_id: EventId) -> dict:
    detail = queries.event_detail(db, event_id)
    if detail is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return detail


@router.post("/events/{event_id}/review", dependencies=[Depends(guard_mutation)], response_model=Open,
             responses={**NOT_FOUND, 401: {"model": Problem}, 413: {"model": Problem}, 429: {"model": Problem}},
             summary="Confirm, correct or reject an event; kept apart from machine output and shown over it")
def review_event(store: Writer, event_id: EventId, body: ReviewBody) -> dict:
    return review.record(store.db, event_id, body.action, body.changes, body.note, body.by)


@router.get("/dyad", response_model=Open, responses=NOT_FOUND,
            summary="Two actors' relationship: their events, month by month scores, people and places")
def dyad_view(db: Reader, a: Annotated[str, Query(min_length=1, max_length=200)], b: Annotated[str, Query(min_length=1, max_length=200)],
              since: DateParam = None, until: DateParam = None) -> dict:
    since, until = checked_range(since, until)
    a_id, b_id = pair(db, a, b)
    return queries.dyad_view(db, a_id, b_id, since=since, until=until)


@router.get("/timeline", response_model=Page[Open], responses=NOT_FOUND,
            summary="An actor's or a dyad's dated events, oldest first, compact")
def timeline(db: Reader, a: Annotated[str, Query(min_length=1, max_length=200)], b: ActorParam = None,
             since: DateParam = None, until: DateParam = None, limit: Limit = 500, offset: Offset = 0) -> dict:
    since, until = checked_range(since, until)
    a_id, b_id = pair(db, a, b)
    return queries.timeline(db, a_id, b_id, since=since, until=until, limit=limit, offset=offset)


@router.get("/map", response_model=Open, responses=NOT_FOUND, summary="Places and countries of events, with counts")
def map_points(db: Reader, a: ActorParam = None, b: ActorParam = None, since: DateParam = None, until: DateParam = None) -> dict:
    since, until = checked_range(since, until)
    a_id, b_id = pair(db, a, b)
    return queries.map_points(db, a=a_id, b=b_id, since=since, until=until)


@router.get("/search", response_model=Open, summary="Articles and events matching words")
def search(db: Reader, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict:
    return queries.search(db, q, limit=limit)
