"""Stories: articles about one developing situation, grouped so that an analyst can read them
together. Two articles are in one story when (rule ``story.v1``):

- they report the same event (one event cluster has members in both), or one reports a plan and
  the other its fulfilment; or
- they name the same project, published within ``WINDOW`` of each other (or either has no
  publication date: a project is specific enough to link on its own); or
- published within ``WINDOW`` of each other, they name at least ``MIN_SHARED_ACTORS`` of the
  same specific actors (people, organisations, government bodies: not countries or
  governments, which half the corpus shares).

Stories are the connected components of those links. Keys are compared only among articles that
share them and, for actors, only within the window, so cost grows with the articles per key and
window. The result does not depend on input order: a story's id is its earliest article's.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

RULE = "story.v1"
WINDOW = timedelta(days=30)
MIN_SHARED_ACTORS = 2
GENERIC_KINDS = frozenset({"country", "government", "collective"})


@dataclass(frozen=True, slots=True)
class ArticleKeys:
    """What links an article to others: event clusters, projects and specific actors it names;
    ``date`` is its publication date."""

    id: str
    date: date | None
    title: str
    events: frozenset[str] = frozenset()
    projects: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    articles: tuple[str, ...]
    first_date: str | None
    last_date: str | None
    links: tuple[dict, ...] = field(default=())


def story_links(articles: list[ArticleKeys]) -> list[dict]:
    """Pairs of articles of one story, each with why, ordered by ids."""
    by_event, by_project, by_actor = defaultdict(list), defaultdict(list), defaultdict(list)
    for article in articles:
        for key in article.events:
            by_event[key].append(article)
        for key in article.projects:
            by_project[key].append(article)
        for key in article.actors:
            by_actor[key].append(article)
    links: dict[tuple[str, str], dict] = {}

    # Keys in sorted order: a pair linked by two events names the same one on every run
    for key in sorted(by_event):
        for a, b in combinations(sorted(by_event[key], key=lambda x: x.id), 2):
            links.setdefault((a.id, b.id), {"articles": [a.id, b.id], "by": "event", "ref": key})
    for key in sorted(by_project):
        for a, b in _windowed_pairs(by_project[key], undated_too=True):
            links.setdefault((a.id, b.id), {"articles": [a.id, b.id], "by": "project", "ref": key})
    for key, members in by_actor.items():
        for a, b in _windowed_pairs(members, undated_too=False):
            common = a.actors & b.actors
            # each pair once, at its first shared actor (no table of every pair sharing one)
            if len(common) >= MIN_SHARED_ACTORS and min(common) == key:
                links.setdefault((a.id, b.id), {"articles": [a.id, b.id], "by": "actors", "ref": ", ".join(sorted(common))})
    return [links[k] for k in sorted(links)]


def _windowed_pairs(members: list[ArticleKeys], *, undated_too: bool):  # noqa: ANN202
    """Pairs of articles published within the window (a sliding window over dates, so cost
    grows with the articles in it), and with ``undated_too`` every undated one with each other."""
    dated = sorted((a for a in members if a.date), key=lambda a: (a.date, a.id))
    for i, a in enumerate(dated):
        for b in dated[i + 1:]:
            if b.date - a.date > WINDOW:
                break
            yield tuple(sorted((a, b), key=lambda x: x.id))
    if undated_too:
        undated = sorted((a for a in members if not a.date), key=lambda a: a.id)
        for a in undated:
            for b in members:
                if b.id != a.id and (b.date or a.id < b.id):
                    yield tuple(sorted((a, b), key=lambda x: x.id))


def group_stories(articles: list[ArticleKeys]) -> list[Story]:
    """Articles in stories: the connected components of ``story_links``; every article is in one."""
    parent = {a.id: a.id for a in articles}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links = story_links(articles)
    for link in links:
        a, b = (find(x) for x in link["articles"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[ArticleKeys]] = defaultdict(list)
    for article in articles:
        members[find(article.id)].append(article)
    # each link once, under its story (a scan of every link per story was quadratic)
    story_of_links: dict[str, list[dict]] = defaultdict(list)
    for link in links:
        story_of_links[find(link["articles"][0])].append(link)
    stories = []
    for root, group in members.items():
        group.sort(key=lambda a: (a.date is None, a.date or date.min, a.id))
        dates = [a.date for a in group if a.date]
        stories.append(Story("story:" + group[0].id, group[0].title, tuple(a.id for a in group),
                             min(dates).isoformat() if dates else None, max(dates).isoformat() if dates else None,
                             tuple(story_of_links[root])))
    return sorted(stories, key=lambda s: s.id)


def load_article_keys(db: sqlite3.Connection) -> list[ArticleKeys]:
    from dyad.store.resolution import PUBLISHED, article_dates, project_groups
    from dyad.store.extraction import resolved_id

    dates = {k: v for k, v in article_dates(db).items() if v[1] == PUBLISHED}
    events, projects, actors = defaultdict(set), defaultdict(set), defaultdict(set)
    fulfils = dict(db.execute("SELECT to_cluster, from_cluster FROM event_links").fetchall())
    for article_id, cluster_id in db.execute("SELECT e.article_id, c.cluster_id FROM event_clusters c JOIN events e ON e.id = c.event_id"):
        events[article_id].add(cluster_id)
        if cluster_id in fulfils:  # a plan and the report of it happening: one story
            events[article_id].add(fulfils[cluster_id])
    group = project_groups(db)
    for article_id, project_id in db.execute("SELECT article_id, project_id FROM project_mentions"):
        projects[article_id].add(group.get(project_id, project_id))
    kinds = dict(db.execute("SELECT id, kind FROM actors").fetchall())
    for article_id, actor_id in db.execute("SELECT DISTINCT article_id, actor_id FROM actor_mentions"):
        if kinds.get(actor_id) not in GENERIC_KINDS:
            actors[article_id].add(resolved_id(db, actor_id))
    keys = []
    for article_id, title, text in db.execute("SELECT id, title, text FROM current_articles ORDER BY id"):
        value = dates.get(article_id, (None,))[0]
        keys.append(ArticleKeys(article_id, _day(value), title or " ".join(text.split())[:80],
                                frozenset(events[article_id]), frozenset(projects[article_id]), frozenset(actors[article_id])))
    return keys


def _day(value: str | None) -> date | None:
    """The first day of an ISO date at any granularity."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(*parts[:3])


def resolve_stories(db: sqlite3.Connection) -> list[Story]:
    """Group the store's articles into stories (inside the caller's transaction)."""
    from dyad.store.resolution import write_stories

    stories = group_stories(load_article_keys(db))
    write_stories(db, stories)
    return stories
