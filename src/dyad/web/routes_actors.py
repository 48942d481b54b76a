"""Actors (one identity each, merges followed) and people with their roles over time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from dyad.serve.export import actor_record
from dyad.store import queries
from dyad.store.extraction import actor_summaries
from dyad.web.deps import Limit, Offset, Reader, page
from dyad.web.models import Open, Page, Problem

router = APIRouter(prefix="/api", tags=["actors"])

Kind = Annotated[str | None, Query(max_length=40, description="country, government, government body, igo, organization, person, collective")]


@router.get("/actors", response_model=Page[Open], summary="Actors, most active first; q matches names and ids")
def list_actors(db: Reader, q: Annotated[str | None, Query(min_length=1, max_length=200)] = None, kind: Kind = None,
                limit: Limit = 50, offset: Offset = 0) -> dict:
    return queries.actor_page(db, q=q, kind=kind, limit=limit, offset=offset)


@router.get("/actors/{actor_id}", response_model=Open, responses={404: {"model": Problem}},
            summary="One actor: aliases, roles with evidence, counterparts and latest events")
def get_actor(db: Reader, actor_id: Annotated[str, Path(min_length=1, max_length=200)]) -> dict:
    detail = queries.actor_detail(db, actor_id)
    if detail is None:
        raise HTTPException(404, f"no actor {actor_id!r}")
    return detail


@router.get("/people", response_model=Page[Open], summary="People with their roles over time and the words that state each")
def list_people(db: Reader, limit: Limit = 50, offset: Offset = 0) -> dict:
    return page([actor_record(s) for s in actor_summaries(db, kind="person")], limit, offset)
