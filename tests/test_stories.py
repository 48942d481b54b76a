"""Stories: articles grouped by shared events, projects or people within a window; a partition
of the articles, independent of input order; browsable with `dyad stories`."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dyad.resolve.stories import ArticleKeys, group_stories, story_links
from dyad.serve.cli import main


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def article(ident: str, day: date | None = date(2025, 3, 1), *, events: set[str] = frozenset(), projects: set[str] = frozenset(),
            actors: set[str] = frozenset()) -> ArticleKeys:
    return ArticleKeys(ident, day, f"title {ident}", frozenset(events), frozenset(projects), frozenset(actors))


@pytest.mark.parametrize(("a", "b", "by"), [
    (article("a", events={"ev:1"}), article("b", date(2024, 1, 1), events={"ev:1"}), "event"),
    (article("a", projects={"project:x"}), article("b", date(2025, 3, 20), projects={"project:x"}), "project"),
    (article("a", None, projects={"project:x"}), article("b", date(2020, 1, 1), projects={"project:x"}), "project"),
    (article("a", actors={"person:p", "person:q"}), article("b", date(2025, 3, 31), actors={"person:p", "person:q", "org:r"}), "actors"),
])
def test_stories_linked(a: ArticleKeys, b: ArticleKeys, by: str) -> None:
    [link] = story_links([a, b])
    assert link["articles"] == ["a", "b"] and link["by"] == by
    [story] = group_stories([b, a])
    assert sorted(story.articles) == ["a", "b"] and story.links == (link,)


@pytest.mark.parametrize(("a", "b", "why"), [
    (article("a", actors={"person:p"}), article("b", actors={"person:p"}), "one shared person"),
    (article("a", actors={"person:p", "person:q"}), article("b", date(2025, 5, 1), actors={"person:p", "person:q"}), "two months apart"),
    (article("a", None, actors={"person:p", "person:q"}), article("b", actors={"person:p", "person:q"}), "undated: actors are not enough"),
    (article("a", projects={"project:x"}), article("b", date(2025, 6, 1), projects={"project:x"}), "same project, months apart"),
])
def test_stories_kept_apart(a: ArticleKeys, b: ArticleKeys, why: str) -> None:
    assert story_links([a, b]) == [], why
    assert len(group_stories([a, b])) == 2


def test_stories_story_is_dated_and_named_by_its_earliest_article() -> None:
    [story] = group_stories([article("z", date(2025, 3, 5), events={"ev:1"}), article("y", date(2025, 3, 2), events={"ev:1"}),
                             article("x", None, events={"ev:1"})])
    assert story.id == "story:y" and story.articles == ("y", "z", "x")
    assert (story.first_date, story.last_date) == ("2025-03-02", "2025-03-05")


_ARTICLES = st.builds(
    article,
    ident=st.text("abcdef", min_size=1, max_size=3),
    day=st.sampled_from([None, date(2025, 3, 1), date(2025, 3, 20), date(2025, 6, 1)]),
    events=st.sets(st.sampled_from(["ev:1", "ev:2"]), max_size=1),
    projects=st.sets(st.sampled_from(["project:x"]), max_size=1),
    actors=st.sets(st.sampled_from(["person:p", "person:q", "org:r"]), max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ARTICLES, min_size=1, max_size=10, unique_by=lambda a: a.id), st.randoms(use_true_random=False))
def test_stories_are_an_order_independent_partition(articles: list[ArticleKeys], rnd: random.Random) -> None:
    stories = group_stories(articles)
    members = [a for s in stories for a in s.articles]
    assert sorted(members) == sorted(a.id for a in articles)  # every article in exactly one story
    shuffled = articles[:]
    rnd.shuffle(shuffled)
    assert group_stories(shuffled) == stories


def test_stories_cli_groups_the_reports_of_one_meeting_and_a_plan_with_its_fulfilment(news_db: Path) -> None:
    stories = [json.loads(line) for line in run(news_db, "stories", "--json", "--min-articles", "2").splitlines()]
    titles = sorted(sorted(a["title"] for a in s["articles"]) for s in stories)
    assert titles == [["Agreements ahead", "Trade deal signed"], ["Kazakh and Uzbek ministers meet", "Top diplomats hold talks in Tashkent"]]
    assert all(link["by"] == "event" for s in stories for link in s["links"])
    listing = run(news_db, "stories")
    assert "2025-03-13 – 2025-03-14" in listing and "linked by event" in listing and "3 stories" in listing
