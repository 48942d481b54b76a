"""Cross-article merging of people: the explicit rule, its blocking, and order independence."""

from __future__ import annotations

import random

import pytest

from dyad.resolve.actors import Person, compare, decide_merges

SPECIAL = frozenset({"special representative for afghanistan"})


def person(name: str, country: str | None = "KAZ", titles: frozenset[str] = SPECIAL, mentions: int = 1) -> Person:
    return Person("person:" + name.lower().replace(" ", "-"), name, country, titles, mentions)


@pytest.mark.parametrize(
    ("a", "b"),
    [(person("Yerkin Tukumov", mentions=9), person("Yerkin Tokumov")),
     (person("Ilham Aliyev", "AZE", frozenset({"president"}), 3), person("Ilham Aliev", "AZE", frozenset({"president"})))],
)
def test_resolve_actors_near_spellings_with_same_role_merge(a: Person, b: Person) -> None:
    decision = compare(a, b)
    assert decision is not None and decision.into_id == a.id and decision.from_id == b.id
    assert decision.evidence["shared_titles"]


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [(person("Kassym-Jomart Tokayev", titles=frozenset({"president"})), person("Yerkin Tokumov"), "different given name"),
     (person("Yerkin Tukumov"), person("Yerkin Tukumov", "AFG"), "identical name is one id already"),
     (person("Yerkin Tukumov"), person("Yerkin Tokumov", "AFG"), "different country"),
     (person("Yerkin Tukumov"), person("Yerkin Tokumov", None), "unknown country"),
     (person("Yerkin Tukumov"), person("Yerkin Tokumov", titles=frozenset({"minister of energy"})), "no shared role"),
     (person("Ali Khan"), person("Ali Shah"), "surnames too far apart"),
     (person("Ali Khan"), person("Ali Kahn", titles=frozenset()), "no roles at all")],
)
def test_resolve_actors_rule_refuses(a: Person, b: Person, why: str) -> None:
    assert compare(a, b) is None, why


def test_resolve_actors_tokayev_and_tokumov_are_never_compared() -> None:
    people = [person("Kassym-Jomart Tokayev", titles=SPECIAL), person("Yerkin Tokumov"), person("Yerkin Tukumov", mentions=4)]
    merges = decide_merges(people)
    assert [(m.from_id, m.into_id) for m in merges] == [("person:yerkin-tokumov", "person:yerkin-tukumov")]


def test_resolve_actors_result_does_not_depend_on_input_order() -> None:
    people = [person("Yerkin Tukumov", mentions=4), person("Yerkin Tokumov"), person("Yerkin Tukamov"),
              person("Serik Zhumangarin", titles=frozenset({"deputy prime minister"})),
              person("Serik Jumangarin", titles=frozenset({"deputy prime minister"}), mentions=2)]
    expected = decide_merges(people)
    for seed in range(5):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        assert decide_merges(shuffled) == expected
