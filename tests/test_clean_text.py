"""Cleaning of plain-text scrapes: body paragraphs kept verbatim, boilerplate set aside by kind,
the title found, and nothing of the input lost."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SEEDS
from dyad.clean.text import clean_text
from dyad.records import CleanResult

GOLD = yaml.safe_load((FIXTURES / "seeds_gold.yaml").read_text(encoding="utf-8"))["articles"]

BODY_1 = (
    "The finance ministers of the two countries met on Monday to discuss a new trade agreement, "
    "officials said after the talks in the capital."
)
BODY_2 = (
    "The agreement would lower tariffs on agricultural goods and open new transit routes for "
    "freight, according to a statement released by the ministry."
)
BODY_3 = (
    "Both sides said they expected the deal to be signed before the end of the year, although "
    "several technical questions remain open."
)
BODY = f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}"


def clean_body(result: CleanResult) -> str:
    return "\n\n".join(p.text for p in result.paragraphs)


def reasons_of(result: CleanResult, text: str) -> set[str]:
    """The reasons of the removed blocks that hold ``text``."""
    return {b.reason for b in result.removed if text in b.text}


def assert_lossless(content: str, result: CleanResult) -> None:
    """Every character is in a kept paragraph, a removed block or whitespace; spans are verbatim."""
    spans = [(p.raw_start, p.raw_end) for p in result.paragraphs] + [(b.start, b.end) for b in result.removed]
    position = 0
    for start, end in sorted(spans):
        assert start >= position, "spans overlap"
        assert not content[position:start].strip(), f"lost text: {content[position:start]!r}"
        position = end
    assert not content[position:].strip(), f"lost text: {content[position:]!r}"
    for paragraph in result.paragraphs:
        assert paragraph.text == content[paragraph.raw_start : paragraph.raw_end]
        assert paragraph.text and paragraph.text == paragraph.text.strip()
    for block in result.removed:
        assert block.text == content[block.start : block.end] and block.reason


# --- Golden tests on the seeds -----------------------------------------------------------------------


@pytest.mark.parametrize("expected", [g for g in GOLD if "title" in g], ids=lambda g: g["file"])
def test_clean_text_seed_title_matches_gold(expected: dict) -> None:
    result = clean_text((SEEDS / expected["file"]).read_text(encoding="utf-8"))
    if expected["title"] is None:
        assert result.title is None
    else:
        assert result.title is not None and result.title.value == expected["title"]
        evidence = result.title.evidence
        assert evidence.layer == "raw" and evidence.quote == expected["title"]
        assert all(expected["title"] not in p.text for p in result.paragraphs)


@pytest.mark.parametrize("name", ["000_4d6f36eb68b93e70.txt", "001_c5d17af669edc9c4.txt"])
def test_clean_text_seed_without_title_line_has_no_title(name: str) -> None:
    assert clean_text((SEEDS / name).read_text(encoding="utf-8")).title is None


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_clean_text_seed_is_lossless(path) -> None:
    content = path.read_text(encoding="utf-8")
    assert_lossless(content, clean_text(content))


@pytest.mark.parametrize("name", ["004_046a58d4f5734002.txt"])
def test_clean_text_seed_scrape_keeps_exactly_the_four_body_paragraphs(name: str) -> None:
    result = clean_text((SEEDS / name).read_text(encoding="utf-8"))
    assert len(result.paragraphs) == 4
    assert result.paragraphs[0].text.startswith("RASC News Agency: Serik Zhumangarin")
    assert result.paragraphs[-1].text.endswith("Afghanistani people?")


@pytest.mark.parametrize("expected", [g for g in GOLD if "body_must_not_contain" in g], ids=lambda g: g["file"])
def test_clean_text_seed_body_has_no_boilerplate(expected: dict) -> None:
    text = clean_body(clean_text((SEEDS / expected["file"]).read_text(encoding="utf-8")))
    for unwanted in expected["body_must_not_contain"]:
        assert unwanted not in text


@pytest.mark.parametrize("name", ["000_4d6f36eb68b93e70.txt"])
def test_clean_text_seed_keeps_every_paragraph_and_subheading(name: str) -> None:
    content = (SEEDS / name).read_text(encoding="utf-8")
    result = clean_text(content)
    blocks = [b.strip() for b in content.split("\n\n") if b.strip()]
    assert len(result.paragraphs) == len(blocks)
    assert "Strategic engagement" in [p.text for p in result.paragraphs]
    assert result.paragraphs[0].text.startswith("KABUL (Ariana News):")  # the scrape prefix is gone
    assert [b.reason for b in result.removed] == ["scrape-prefix"]


@pytest.mark.parametrize("name", ["003_c551aa05802c21eb.txt"])
def test_clean_text_seed_drops_promo_and_photo_credit_keeps_subheading(name: str) -> None:
    result = clean_text((SEEDS / name).read_text(encoding="utf-8"))
    text = clean_body(result)
    assert "Transport and education initiatives" in [p.text for p in result.paragraphs]
    assert "Photo credit" not in text and "sent directly to you" not in text
    assert {b.reason for b in result.removed} >= {"promo", "photo-caption"}


# --- Boilerplate kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "boilerplate, reason",
    [
        ("• Home\n• World\n• Business\n• Sport\n• Videos", "nav-menu"),
        ("English | Français\nDeutsch | Español\nРусский | فارسی", "language-menu"),
        ("• English\n  • Deutsch\n  • العربية", "language-menu"),
        ("EN | RU | KZ", "language-menu"),
        ("SHARE", "share"),
        ("Facebook Like\nTwitter Follow\nYoutube Subscribe", "share"),
        ("Follow Us", "share"),
        ("© 2024 Example Media. All Rights Reserved.", "footer"),
        ("Privacy Policy", "footer"),
        ("- ADVERTISEMENT -", "advert"),
        ("Ad imageAd image", "advert"),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. Vivamus a odio ex.", "placeholder"),
        ("Welcome Back!\n\nSign in to your account\n\nLost your password?", "login"),
        ("Removed from reading list\n\nUndo", "reading-list"),
        ("Get The Daily Planet stories sent directly to you! Sign up via the website.", "promo"),
        ("Sign up for our weekly newsletter on regional politics", "promo"),
        ("Photo credit: the ministry's press service.", "photo-credit"),
        ("Tags: trade, transport, agriculture", "tags"),
        ("Skip to content", "nav-menu"),
    ],
)
def test_clean_text_boilerplate_is_removed_with_its_reason(boilerplate: str, reason: str) -> None:
    for content in (f"{boilerplate}\n\n{BODY}", f"{BODY}\n\n{boilerplate}"):
        result = clean_text(content)
        assert clean_body(result) == BODY
        assert reasons_of(result, boilerplate.split("\n")[0]) == {reason}
        assert_lossless(content, result)


@pytest.mark.parametrize("heading", ["Related Articles", "Read more", "You may also like", "Most Popular"])
def test_clean_text_related_heading_ends_the_article(heading: str) -> None:
    teaser = "An earlier report described how the negotiations were prepared over several months of meetings."
    content = f"{BODY}\n\n{heading}\n\nMinister resigns after budget row\n\n12/03/2024\n\n{teaser}"
    result = clean_text(content)
    assert clean_body(result) == BODY
    assert reasons_of(result, "Minister resigns") == {"related"}
    assert reasons_of(result, "12/03/2024") == {"related"}


@pytest.mark.parametrize("crumbs", ["Example News > Politics > Ministers agree on trade deal"])
def test_clean_text_breadcrumb_is_removed(crumbs: str) -> None:
    result = clean_text(f"{crumbs}\n\n{BODY}")
    assert reasons_of(result, crumbs) == {"breadcrumb"}
    assert clean_body(result) == BODY


@pytest.mark.parametrize("prefix", ["date 2024-03-05 ", "published: 2024-03-05T10:00:00Z "])
def test_clean_text_scrape_prefix_is_cut_from_the_first_paragraph(prefix: str) -> None:
    content = prefix + BODY
    result = clean_text(content)
    assert result.paragraphs[0].text == BODY_1
    assert result.removed[0].reason == "scrape-prefix" and result.removed[0].text == prefix.strip()


@pytest.mark.parametrize("credit", ["Photo credit: Reuters.", "Image credit: the ministry"])
def test_clean_text_photo_credit_after_a_short_caption_drops_the_caption(credit: str) -> None:
    caption = "The ministers shake hands after the talks."
    result = clean_text(f"{BODY_1}\n\n{caption} {credit}\n\n{BODY_2}")
    assert clean_body(result) == f"{BODY_1}\n\n{BODY_2}"
    assert reasons_of(result, caption) == {"photo-caption"}


@pytest.mark.parametrize("credit", ["Photo credit: Reuters."])
def test_clean_text_photo_credit_after_a_long_paragraph_is_cut_off(credit: str) -> None:
    paragraph = f"{BODY_2} {BODY_3}"
    result = clean_text(f"{BODY_1}\n\n{paragraph} {credit}")
    assert clean_body(result) == f"{BODY_1}\n\n{paragraph}"
    assert reasons_of(result, credit) == {"photo-credit"}


# --- Body region -------------------------------------------------------------------------------------


@pytest.mark.parametrize("subheading", ["Trade and transit", "What comes next"])
def test_clean_text_subheading_between_paragraphs_is_kept(subheading: str) -> None:
    result = clean_text(f"{BODY_1}\n\n{subheading}\n\n{BODY_2}\n\n{BODY_3}")
    assert [p.text for p in result.paragraphs] == [BODY_1, subheading, BODY_2, BODY_3]


@pytest.mark.parametrize("links", [["Floods hit the north", "Election date set", "Prices rise again", "Team wins the cup"]])
def test_clean_text_run_of_short_lines_splits_the_body(links: list[str]) -> None:
    stray = "A reader wrote that the same thing had happened in his town the year before, he said."
    result = clean_text(BODY + "\n\n" + "\n".join(links) + f"\n\n{stray}")
    assert clean_body(result) == BODY
    assert reasons_of(result, links[0]) == {"short-run"}
    assert reasons_of(result, stray) == {"outside-body"}


@pytest.mark.parametrize("closing", ["Talks resume next week.", "He declined to comment."])
def test_clean_text_short_sentence_after_the_body_is_kept(closing: str) -> None:
    result = clean_text(f"{BODY}\n\n{closing}")
    assert result.paragraphs[-1].text == closing


@pytest.mark.parametrize("width", [60, 72])
def test_clean_text_hard_wrapped_paragraph_is_joined(width: int) -> None:
    import textwrap

    wrapped = "\n".join(textwrap.wrap(BODY_1 + " " + BODY_2, width))
    result = clean_text(f"{wrapped}\n\n{BODY_3}")
    assert result.paragraphs[-1].text == BODY_3
    assert "".join(p.text for p in result.paragraphs[:-1]).replace("\n", " ").startswith(BODY_1[:60])


@pytest.mark.parametrize("content", ["", "   \n\n\t", "Home\nWorld\nSport"])
def test_clean_text_without_a_body_keeps_nothing(content: str) -> None:
    result = clean_text(content)
    assert result.paragraphs == () and result.title is None
    assert_lossless(content, result)


# --- Title -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Ministers agree to cut tariffs on farm goods", "Will the trade deal hold?"])
def test_clean_text_first_line_headline_is_the_title(title: str) -> None:
    content = f"{title}\n{BODY}"
    result = clean_text(content)
    assert result.title is not None and result.title.value == title
    assert result.title.evidence.start == 0 and result.title.evidence.quote == title
    assert clean_body(result) == BODY
    assert reasons_of(result, title) == {"title"}


@pytest.mark.parametrize("title", ["Ministers agree to cut tariffs on farm goods"])
def test_clean_text_title_before_published_line_confirmed_by_breadcrumb(title: str) -> None:
    content = f"Example News\n\n• Home\n• World\n• Sport\n\nExample News > World > {title}\n\n{title}\n\nPublished 05/03/2024\nSHARE\n\n{BODY}"
    result = clean_text(content)
    assert result.title.value == title and result.title.confidence >= 0.9
    assert content[result.title.evidence.start : result.title.evidence.end] == title
    assert result.title.evidence.start == content.index(f"\n{title}\n") + 1
    assert clean_body(result) == BODY


@pytest.mark.parametrize(
    "content",
    [
        BODY,  # the body starts at once
        f"Related Articles\nMinisters agree to cut tariffs on farm goods\n\n{BODY}",  # a link, not a title
        f"The ministers met again.\n{BODY}",  # a sentence, not a headline
    ],
)
def test_clean_text_no_title_is_invented(content: str) -> None:
    assert clean_text(content).title is None


# --- Invariant: nothing is lost ------------------------------------------------------------------------

LINES = [
    BODY_1, BODY_2, BODY_3, "Strategic engagement", "• Home", "  • Sport", "English | Français", "SHARE",
    "Facebook Like", "© 2023 Example. All Rights Reserved.", "Related Articles", "- ADVERTISEMENT -",
    "Lorem ipsum dolor sit amet.", "Sign in to your account", "Undo", "Site > Section > A title here",
    "Published 21/04/2025", "date 2025-11-29 ", "Photo credit: someone.", "X NewsX News", "",
    "Get The Example Times stories sent directly to you!", "lower case continuation of a line",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES) | st.text(max_size=40), max_size=30), st.sampled_from(["\n", "\n\n", "\r\n", " \n\t\n"]))
def test_clean_text_line_mixtures_lose_nothing(lines: list[str], separator: str) -> None:
    content = separator.join(lines)
    assert_lossless(content, clean_text(content))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_clean_text_arbitrary_text_loses_nothing(content: str) -> None:
    assert_lossless(content, clean_text(content))
