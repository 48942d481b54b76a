"""Response models: they document the API in its OpenAPI spec and check every response. The
fields listed are the ones a client can rely on; records may carry more (extra fields allowed)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Problem(BaseModel):
    detail: Any


class Health(BaseModel):
    status: str
    store: str
    schema_version: int
    articles: int
    events: int
    token_required: bool


class Evidence(Open):
    article_id: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None


class ActorRef(Open):
    id: str
    name: str | None = None


class ArticleSummary(Open):
    id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    dateline: str | None = None
    url: str | None = None


class MetaField(Open):
    value: str
    source: str
    confidence: float
    basis: str | None = None
    layer: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None


class RemovedBlock(BaseModel):
    start: int
    end: int
    reason: str
    text: str


class ArticleEvent(BaseModel):
    id: str
    mention_id: str
    type: str
    mode: str | None
    status: str
    date: str | None
    quad: str | None
    reviewed: bool
    rejected: bool
    sentence: Evidence
    trigger: Evidence


class ArticleDetail(ArticleSummary):
    version: int
    key: str
    supersedes: str | None = None
    text: str
    paragraphs: list[list[int]]
    meta: dict[str, MetaField]
    removed: list[RemovedBlock]
    seen_at: list[dict[str, str]]
    events: list[ArticleEvent]


class EventSummary(Open):
    id: str
    type: str
    status: str
    actors: list[ActorRef]
    recipients: list[ActorRef]


class EventDetail(EventSummary):
    sources: list[Open]


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["confirm", "correct", "reject"]
    changes: dict[str, Any] = Field(default_factory=dict)
    note: str = Field("", max_length=2000)
    by: str = Field("workbench", min_length=1, max_length=100)


class Record(Open):
    """A record of the resolution layer (project, commitment, story, merge) as the CLI's --json prints it."""
