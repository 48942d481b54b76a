"""The brief on a dyad as JSON (the web UI's printable /brief page renders it) or Markdown."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from dyad.brief import brief_data, render_markdown
from dyad.web.deps import DateParam, Reader, checked_date, checked_range
from dyad.web.models import Open, Problem

router = APIRouter(prefix="/api", tags=["brief"])

Side = Annotated[str, Query(min_length=1, max_length=200, description="An actor id, an ISO3 country code or a name")]


@router.get("/brief", response_model=Open,
            responses={200: {"content": {"text/markdown": {}}}, 400: {"model": Problem}, 404: {"model": Problem}},
            summary="Key events by date with citations, commitments (open, due, met, overdue), people with roles")
def brief(db: Reader, a: Side, b: Side, since: DateParam = None, until: DateParam = None, as_of: DateParam = None,
          format: Annotated[Literal["json", "markdown"], Query()] = "json"):  # noqa: A002, ANN201
    since, until = checked_range(since, until)
    data = brief_data(db, a, b, since=since, until=until, as_of=checked_date(as_of, "as_of"))
    if format == "markdown":
        return PlainTextResponse(render_markdown(data), media_type="text/markdown; charset=utf-8")
    return data
