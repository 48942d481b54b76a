"""clean_html: body paragraphs, metadata with provenance, removed boilerplate, robustness."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from htmldate.utils import decode_file

from conftest import require_shared
from dyad.clean.html import HtmlSettings, clean_html, page_text
from dyad.records import CleanResult, Paragraph

SENTENCE = (
    "The foreign minister said on Tuesday that talks with the neighbouring state would resume in "
    "Geneva next week, after months of stalled negotiations over the disputed border."
)
BODY = "".join(f"<p>Paragraph {n}. {SENTENCE}</p>" for n in range(4))


def page(head: str = "", body: str = BODY) -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def assert_removed_offsets(html: str, result: CleanResult) -> None:
    rendering = page_text(html)
    for block in result.removed:
        assert rendering[block.start : block.end] == block.text


@pytest.mark.parametrize(
    "head, body, title, source",
    [
        (
            '<title>Talks resume | Daily Planet</title><meta property="og:title" content="Talks resume in Geneva">',
            BODY,
            "Talks resume in Geneva",
            "html:meta[og:title]",
        ),
        ("<title>Border talks resume in Geneva</title>", BODY, "Border talks resume in Geneva", "html:title"),
        ("<title>Site</title>", f"<article><h1>Talks resume</h1>{BODY}</article>", "Talks resume", "html:h1"),
    ],
)
def test_clean_html_title_from_its_field(head: str, body: str, title: str, source: str) -> None:
    result = clean_html(page(head, body))
    assert result.title is not None
    assert (result.title.value, result.title.source) == (title, source)


@pytest.mark.parametrize(
    "title_tag",
    ["Talks resume in Geneva | Daily Planet", "Daily Planet - Talks resume in Geneva"],
)
def test_clean_html_title_drops_site_name(title_tag: str) -> None:
    head = f'<title>{title_tag}</title><meta property="og:site_name" content="Daily Planet">'
    result = clean_html(page(head))
    assert result.title is not None and result.outlet is not None
    assert result.title.value == "Talks resume in Geneva"
    assert "Daily Planet" in result.title.basis
    assert (result.outlet.value, result.outlet.source) == ("Daily Planet", "html:meta[og:site_name]")


@pytest.mark.parametrize(
    "head, body, confidence",
    [
        ('<meta property="article:published_time" content="2024-03-12T08:00:00Z">', BODY, 0.9),
        ("", f"<div class='date'>Published on 12 March 2024</div>{BODY}", 0.9),
        ("", f"<div>{BODY}<p>This story was filed on March 12, 2024 from Geneva.</p></div>", 0.7),
    ],
)
def test_clean_html_published_from_meta_or_text(head: str, body: str, confidence: float) -> None:
    published = clean_html(page(head, body)).published
    assert published is not None
    assert (published.value, published.source, published.confidence) == ("2024-03-12", "html:htmldate", confidence)
    assert "original_date=True" in published.basis


@pytest.mark.parametrize(
    "head, body, source",
    [
        ('<meta name="author" content="Jane Smith">', BODY, "html:meta[author]"),
        ("", f"<div class='byline'>By Jane Smith</div>{BODY}", "html:trafilatura:author"),
    ],
)
def test_clean_html_author(head: str, body: str, source: str) -> None:
    author = clean_html(page(head, body)).author
    assert author is not None
    assert (author.value, author.source) == ("Jane Smith", source)


@pytest.mark.parametrize("head", ["", "<title>Border talks</title>"])
def test_clean_html_author_absent(head: str) -> None:
    assert clean_html(page(head)).author is None


@pytest.mark.parametrize(
    "given, value, source",
    [
        ("https://planet.example/world/talks?utm=feed", "https://planet.example/world/talks?utm=feed", "given:url"),
        (None, "https://planet.example/world/talks", "html:trafilatura:url"),
    ],
)
def test_clean_html_url_given_or_canonical(given: str | None, value: str, source: str) -> None:
    head = '<link rel="canonical" href="https://planet.example/world/talks">'
    url = clean_html(page(head), given).url
    assert url is not None
    assert (url.value, url.source) == (value, source)
    if given:
        assert "https://planet.example/world/talks" in url.basis


@pytest.mark.parametrize("paragraphs", [1, 4])
def test_clean_html_one_paragraph_per_paragraph(paragraphs: int) -> None:
    body = "".join(f"<p>Paragraph {n}. {SENTENCE}</p>" for n in range(paragraphs))
    result = clean_html(page("<title>Talks</title>", f"<article>{body}</article>"))
    assert result.paragraphs == tuple(Paragraph(f"Paragraph {n}. {SENTENCE}") for n in range(paragraphs))


@pytest.mark.parametrize(
    "chrome, reason",
    [
        ("<nav><ul><li><a href='/world'>World desk</a></li><li><a href='/sport'>Sport desk</a></li></ul></nav>", "nav"),
        ("<footer><p>Copyright Daily Planet. Imprint and privacy policy.</p></footer>", "footer"),
        ("<div role='navigation'><a href='/world'>World desk</a></div>", "nav"),
        ("<aside>Most read today: cats of the week</aside>", "aside"),
    ],
)
def test_clean_html_removes_boilerplate_with_reason(chrome: str, reason: str) -> None:
    html = page("<title>Talks</title>", f"{chrome}<article>{BODY}</article>{chrome}")
    result = clean_html(html)
    chrome_text = page_text(page(body=chrome))
    assert len(result.paragraphs) == 4
    assert all(chrome_text.split("\n")[0] not in p.text for p in result.paragraphs)
    assert [block.text for block in result.removed if block.reason == reason] == [chrome_text, chrome_text]
    assert_removed_offsets(html, result)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html></html>",
        "<html><body></body></html>",
        page("<title>Nothing here</title>", "<nav><a href='/'>Home</a></nav>"),
        page("<title>Scripts only</title>", "<script>var x = 1;</script><style>p {}</style>"),
    ],
)
def test_clean_html_no_body_gives_no_paragraphs(html: str) -> None:
    result = clean_html(html)
    assert result.paragraphs == ()
    assert_removed_offsets(html, result)


@pytest.mark.parametrize(
    "html",
    [
        "not html at all",
        "<<<>>>",
        "\x00\x01<html>",
        "<html><body><p>unclosed <b>bold <i>italic</p></div></span></body>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
        "<html><body>" + "<div>" * 5000 + f"<p>{SENTENCE}</p>" + "</div>" * 5000 + "</body></html>",
        "<html><body><p>a<!-- comment -->b<?pi x?>c</p></body></html>",
    ],
)
def test_clean_html_malformed_does_not_crash(html: str) -> None:
    result = clean_html(html)
    assert isinstance(result, CleanResult)
    assert_removed_offsets(html, result)


@pytest.mark.parametrize("max_chars", [10])
def test_clean_html_too_large_is_refused(max_chars: int) -> None:
    result = clean_html(page(), settings=HtmlSettings(max_chars=max_chars))
    assert result.paragraphs == ()
    assert [block.reason for block in result.removed] == ["too-large"]


@pytest.mark.parametrize("html", ["<html><body><p>a<!-- c -->b<br>c<script>x</script>d</p><?pi x?>tail</body></html>"])
def test_page_text_keeps_tails_and_drops_scripts(html: str) -> None:
    assert page_text(html).split("\n") == ["ab", "cd", "tail"]


FRAGMENTS = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<nav>", "</nav>", "<footer>", "<br>", "<!--", "-->", "<script>",
     "</script>", "&amp;", "&#xZZ;", "<", ">", "\x00", " ", "\n", "word", "Geneva", SENTENCE]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS | st.text(max_size=20), max_size=40).map("".join))
def test_clean_html_any_input_gives_consistent_result(html: str) -> None:
    result = clean_html(f"<html><body>{html}</body></html>")
    assert all(p.text and p.raw_start is None for p in result.paragraphs)
    assert_removed_offsets(f"<html><body>{html}</body></html>", result)


# --- real pages, read in place from the shared htmldate evaluation set ---

REAL_PAGES = [
    "latimes.com.bloomberg.html",
    "fivethirtyeight.com.endorsement.html",
    "blog.wikimedia.interactivemaps.html",
]


@pytest.fixture(scope="module")
def htmldate_set() -> Path:
    folder = require_shared("dev", "htmldate")
    if not (folder / "eval_default.json").is_file():
        pytest.skip(f"htmldate evaluation set not found in {folder}")
    return folder


@pytest.mark.parametrize("name", REAL_PAGES)
def test_clean_html_real_page(htmldate_set: Path, name: str) -> None:
    items = json.loads((htmldate_set / "eval_default.json").read_text(encoding="utf-8"))
    url, date = next((url, item["date"]) for url, item in items.items() if item["file"] == name)
    path = next(p for p in (htmldate_set / sub / f"{name}.gz" for sub in ("cache", "eval")) if p.is_file())
    html = decode_file(gzip.decompress(path.read_bytes()))
    result = clean_html(html, url)
    assert result.published is not None and result.published.value == date
    assert len(result.paragraphs) >= 10
    assert result.title is not None and result.outlet is not None and result.author is not None
    assert {"nav", "footer"} <= {block.reason for block in result.removed}
    assert_removed_offsets(html, result)


DATELINE_PAGE = """<!doctype html><html><head><title>Uzbekistan and Kazakhstan sign water deal | Steppe Wire</title>
<meta property="og:site_name" content="Steppe Wire"></head><body><nav><a href="/">Home</a></nav><article>
<h1>Uzbekistan and Kazakhstan sign water deal</h1>
<p>TASHKENT — Uzbek President Shavkat Mirziyoyev and Kazakh President Kassym-Jomart Tokayev signed an agreement on
sharing the waters of the Syr Darya on Tuesday, officials said, after two days of talks between the delegations.</p>
<p>The two leaders also agreed to meet again in June to review progress on a joint hydropower plant.</p>
</article></body></html>"""


def test_html_dateline_after_the_headline_is_read_and_is_no_actor() -> None:
    from dyad.extract import extract_article
    from dyad.pipeline import process_document
    from dyad.records import Document
    from dyad.settings import load_settings

    article = process_document(Document("p.html", "p.html", "p.html", "html", DATELINE_PAGE), load_settings())
    dateline = article.dateline
    assert dateline.value == "Tashkent" and dateline.evidence.layer == "text"
    assert article.text[dateline.evidence.start:dateline.evidence.end] == dateline.evidence.quote == "TASHKENT"
    extraction = extract_article(article)
    assert all(mention.evidence.quote != "TASHKENT" for mention in extraction.mentions)
    agree = next(event for event in extraction.events if event.type == "AGREE")
    assert "TASHKENT" not in {actor.evidence.quote for actor in agree.actors}


def test_html_without_a_dateline_has_none() -> None:
    page = DATELINE_PAGE.replace("TASHKENT — ", "")
    assert clean_html(page).dateline is None
