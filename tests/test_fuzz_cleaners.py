"""Fuzzing the cleaners: random and adversarial text and HTML go through cleaning; nothing raises,
every document becomes an article or a rejection with a reason, plain-text cleaning loses no
character, stored articles keep their raw input byte for byte, and every compiled regular
expression on the hot path answers adversarial input within a bound.
"""

from __future__ import annotations

import importlib
import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad.clean.html import _without_site_name, clean_html
from dyad.clean.text import clean_text
from dyad.pipeline import process_document
from dyad.records import Article, Document, Rejection
from dyad.settings import load_settings
from dyad.store import Store
from test_fuzz_readers import report_line

# importlib: ``dyad.ingest`` re-exports functions under its submodules' names.
clean_html_module = importlib.import_module("dyad.clean.html")
clean_text_module = importlib.import_module("dyad.clean.text")
textmeta_module = importlib.import_module("dyad.clean.textmeta")
decode_module = importlib.import_module("dyad.ingest.decode")
readers_module = importlib.import_module("dyad.ingest.readers")
SETTINGS = load_settings()
SCALE = float(os.environ.get("DYAD_FUZZ_SCALE", "1"))  # DYAD_FUZZ_SCALE=10: a ten times longer campaign
TRIED: dict[str, int] = {}
BODY = "The foreign ministers of both countries met in the capital on Monday to discuss trade and security. "


def tried(name: str, n: int = 1) -> None:
    TRIED[name] = TRIED.get(name, 0) + n


@pytest.fixture(scope="module", autouse=True)
def report_counts(request: pytest.FixtureRequest):
    yield
    report_line(request.config, "fuzz inputs tried (cleaners): " + ", ".join(f"{k}={v}" for k, v in sorted(TRIED.items())))


TEXT_FRAGMENTS = [
    BODY, "\n", "\n\n", "  ", "\t", "\r\n", "\x00", "\x0b", "\u2028", "\u200b", "\ufeff", "é", "日本語", "🙂", "\u0301",
    "LONDON (Reuters) — ", "DUSHANBE (Asia-Plus): ", "By Jane Doe", "Published: 21/04/2025", "March 3, 2025", "2025-11-29",
    "date 2025-11-29 ", "© 2023 Daily Planet. All Rights Reserved.", "Related Articles", "Read more: ", "Share", "Tweet",
    "Photo credit: AFP.", "(Picture: Reuters)", "• Home", "Home > World > Asia", "English | Русский | 中文", "Advertisement",
    "Sign up for the Daily Planet newsletter", "Xinhua News Agency: ", "1 comment", "Jane says:", "lorem ipsum", "A" * 50,
    ". " * 30, "- " * 30, "12:00 GMT", "Tags: ", "<p>", "{x=1}", "/path/to", "Photo credit:" + "x" * 200,
]
text_documents = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from(TEXT_FRAGMENTS), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(TEXT_FRAGMENTS), st.text(max_size=30)), max_size=30).map("".join),
)


@settings(max_examples=int(200 * SCALE), deadline=3000, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(content=text_documents)
def test_clean_text_loses_no_character(content: str) -> None:
    """Every character is in a kept paragraph, a removed block or whitespace; each kept paragraph
    and removed block is exactly its raw span."""
    tried("clean_text")
    result = clean_text(content)
    covered = bytearray(len(content))
    for paragraph in result.paragraphs:
        assert content[paragraph.raw_start : paragraph.raw_end] == paragraph.text
        covered[paragraph.raw_start : paragraph.raw_end] = b"\x01" * (paragraph.raw_end - paragraph.raw_start)
    for block in result.removed:
        assert content[block.start : block.end] == block.text
        covered[block.start : block.end] = b"\x01" * (block.end - block.start)
    lost = "".join(c for c, seen in zip(content, covered) if not seen)
    assert not lost.strip(), f"characters neither kept nor removed: {lost!r}"
    for value in (result.title, result.outlet, result.published, result.dateline):
        if value is not None and value.evidence is not None and value.evidence.layer == "raw":
            assert content[value.evidence.start : value.evidence.end] == value.evidence.quote


HTML_FRAGMENTS = [
    "<html>", "</html>", "<head>", "<title>T</title>", "<body>", "</body>", f"<p>{BODY}</p>", f"<article><p>{BODY * 3}</p></article>",
    "<div>", "</div>", "<nav><a href='/'>Home</a></nav>", "<footer>© 2024 X</footer>", "<script>var x='<p>';</script>",
    "<style>p{}</style>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&nbsp;", "&#0;", "&#x10FFFF;", "&bogus;", "&lol9;",
    "<!DOCTYPE html>", "<!ENTITY x 'y'>", "<meta charset='utf-8'>", "<meta property='og:title' content='A | B'>",
    "<meta property='og:site_name' content='B'>", "<svg><p>", "<table><tr><td>", "</td></tr></table>", "<br>", "<p", ">",
    "<", "\x00", "\ufeff", "<?xml version='1.0'?>", "<time datetime='2024-01-01'>", "<h1>Title</h1>", "<div " + "a=1 " * 50 + ">",
]
html_documents = st.one_of(
    st.lists(st.sampled_from(HTML_FRAGMENTS), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(HTML_FRAGMENTS), st.text(max_size=20)), max_size=25).map("".join),
)


@settings(max_examples=int(80 * SCALE), deadline=5000, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(content=html_documents, url=st.sampled_from([None, "http://example.com/a", "not a url", ""]))
def test_html_documents_become_articles_or_rejections(content: str, url: str | None) -> None:
    tried("html")
    given_fields = (("url", url),) if url else ()
    document = Document("x.html", "x.html", url or "x.html", "html", content, given_fields)
    result = process_document(document, SETTINGS)
    assert isinstance(result, (Article, Rejection))
    if isinstance(result, Rejection):
        assert result.code in ("E-NO-BODY", "E-TOO-LARGE", "E-CLEAN-TIMEOUT"), result  # never E-CLEAN-FAILED
    else:
        for span in result.paragraphs:
            assert result.text[span.start : span.end] == span.quote


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory):
    with Store(tmp_path_factory.mktemp("fuzzstore") / "fuzz.db") as store:
        yield store


@settings(max_examples=int(60 * SCALE), deadline=5000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], database=None)
@given(content=st.one_of(text_documents.map(lambda t: BODY + t), html_documents.map(lambda h: f"<p>{BODY * 2}</p>" + h)),
       kind=st.sampled_from(["text", "html"]))
def test_stored_articles_keep_their_raw_input_exactly(fuzz_store: Store, content: str, kind: str) -> None:
    """What is stored is what was read: raw, text and paragraph spans come back unchanged."""
    tried("store-roundtrip")
    content = content.replace("\x00", "")  # NUL is rejected at decoding; cleaning never sees it
    result = process_document(Document("f", "f", "f", kind, content), SETTINGS)
    if isinstance(result, Rejection):
        return
    fuzz_store.write_batch(None, [result])
    back = fuzz_store.article(result.id)
    assert back.raw == content and back.text == result.text
    assert [(p.start, p.end) for p in back.paragraphs] == [(p.start, p.end) for p in result.paragraphs]
    assert back.removed == result.removed


# --- Adversarial HTML ----------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + f"]><html><body><p>&lol9;&lol9;&lol9;</p><p>{BODY * 3}</p></body></html>"
)
ADVERSARIAL_HTML = {
    "nested-divs-100k": "<html><body>" + "<div>" * 100_000 + f"<p>{BODY * 3}</p>" + "</div>" * 100_000 + "</body></html>",
    "unclosed-nesting-50k": "<html><body>" + "<div><span>" * 50_000 + BODY * 3,
    "nested-inline-200k": "<b>" * 200_000 + BODY * 3,
    "billion-laughs": LAUGHS,
    "entity-flood-200k": "<p>" + "&amp;" * 200_000 + f"</p><p>{BODY * 3}</p>",
    "attribute-flood-100k": "<div " + " ".join(f"a{i}='x'" for i in range(100_000)) + f"><p>{BODY * 3}</p></div>",
    "unclosed-comment": "<!--" * 100_000 + BODY * 3,
    "script-1MB": "<script>" + "var a='<p>x</p>';" * 60_000 + f"</script><p>{BODY * 3}</p>",
    "nul-and-controls": f"<p>{BODY}\x00\x01\x1b[0m{BODY}</p>",
    "tables-20k": "<table><tr><td>" * 20_000 + BODY * 3,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL_HTML))
def test_adversarial_html_is_cleaned_or_rejected_in_bounded_time(name: str) -> None:
    content = ADVERSARIAL_HTML[name]
    started = time.monotonic()
    result = process_document(Document("x.html", "x.html", "x.html", "html", content), SETTINGS)
    elapsed = time.monotonic() - started
    tried("adversarial-html")
    assert isinstance(result, Article) or result.code in ("E-NO-BODY", "E-TOO-LARGE"), result
    assert elapsed < 10, f"{name}: {elapsed:.1f} s"
    if name == "billion-laughs" and isinstance(result, Article):
        assert len(result.text) < 10_000  # entities are not expanded a billion times


def test_attribute_flood_keeps_the_body() -> None:
    """A tag with 100,000 attributes loses them (libxml2 is quadratic in their number) but the text
    inside it is still read."""
    content = "<html><body><div " + " ".join(f"a{i}='x'" for i in range(100_000)) + f"><p>{BODY * 4}</p></div></body></html>"
    started = time.monotonic()
    result = clean_html(content)
    assert time.monotonic() - started < 5
    assert "foreign ministers" in " ".join(p.text for p in result.paragraphs)


# --- Regular expressions on the hot path ---------------------------------------------------------

HOT_MODULES = (clean_text_module, textmeta_module, clean_html_module, decode_module, readers_module)
# The longest input each call site can pass (a length check guards it), else LONG.
LONG = 20_000  # a quadratic pattern takes seconds here (0.14 s at 2,000 characters -> 14 s)
CALL_SITE_BOUND = {
    "dyad.clean.textmeta._DATELINE": textmeta_module._DATELINE_SCAN,
    "dyad.clean.textmeta._AGENCY_LEAD": textmeta_module._DATELINE_SCAN,
    "dyad.clean.text._CRUMB_SEPARATOR": 300,
    "dyad.clean.text._MENU_SEPARATOR": clean_text_module.MENU_LINE_LENGTH,
    "dyad.ingest.decode._META_CHARSET": decode_module._SNIFF,
    "dyad.clean.textmeta._DATE_LABEL": 120,
    "dyad.clean.textmeta._BYLINE": 120,
    "dyad.clean.textmeta._TIME": 120,
    "dyad.clean.textmeta._FILLER": 120,
}
ADVERSARIAL_UNITS = [
    "a", " ", "A", "1", ".", ". ", "A ", "- ", "by ", "By A", "published ", "Published: ", "12:00 ", "2020", "2020-", "1/",
    "© ", "(", "()", "photo ", "photo credit: ", "•", "A.", "A, ", "Aa ", "says", "\n", " \n", "x/", "<", "<a", "<meta ",
    "charset=", "=", "1 ", "1.", "’", "January 1 ", "read more ", "lorem ", "AAAA: ", " > ", "| ", "A -", "A- ", "Copyright ",
    "\u00a0", "é", "日", "ÉÉ ", "A'", "All ", "(AP) ", "a" * 40 + " ",
]


def hot_path_regexes() -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for module in HOT_MODULES:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__}.{name}"] = value
    for i, pattern in enumerate(clean_text_module._PATTERNS):
        found[f"dyad.clean.text._PATTERNS[{i}]:{pattern.reason}"] = pattern.regex
        CALL_SITE_BOUND.setdefault(f"dyad.clean.text._PATTERNS[{i}]:{pattern.reason}", min(pattern.max_length, LONG))
    return found


REGEXES = hot_path_regexes()


def test_every_hot_path_regex_is_enumerated() -> None:
    # A new compiled regex in these modules is timed automatically; this pins that there are many.
    assert len(REGEXES) >= 40, sorted(REGEXES)


_SUBJECTS: dict[int, list[tuple[str, str]]] = {}


def adversarial_subjects(bound: int) -> list[tuple[str, str]]:
    """Each unit repeated up to ``bound`` characters, with and without a spoiling last character."""
    if bound not in _SUBJECTS:
        _SUBJECTS[bound] = [
            (repr(unit + tail), (unit * (bound // len(unit) + 1))[: bound - len(tail)] + tail)
            for unit in ADVERSARIAL_UNITS
            for tail in ("", "!", "\x00", "A")
        ]
    return _SUBJECTS[bound]


@pytest.mark.parametrize("name", sorted(REGEXES))
def test_hot_path_regex_is_fast_on_adversarial_input(name: str) -> None:
    """search, match and up to 1,000 finditer matches on each adversarial string, as long as the
    call site allows (LONG where nothing limits it): under 1 s each (linear patterns take
    milliseconds; a quadratic one takes seconds; the margin is for a loaded machine)."""
    pattern, bound = REGEXES[name], CALL_SITE_BOUND.get(name, LONG)
    worst = (0.0, "")
    for label, text in adversarial_subjects(bound):
        subject = text.encode("utf-8", "replace")[:bound] if isinstance(pattern.pattern, bytes) else text
        started = time.monotonic()
        pattern.search(subject)
        pattern.match(subject)
        for _, _ in zip(range(1000), pattern.finditer(subject)):
            pass
        worst = max(worst, (time.monotonic() - started, label))
        tried("regex-inputs")
    assert worst[0] < 1.0, f"{name}: {worst[1]} took {worst[0]:.2f} s"


@pytest.mark.parametrize("unit", ["- ", " -", "| ", "a -", "-", " ", "A | B "])
def test_title_site_name_patterns_are_fast_on_adversarial_titles(unit: str) -> None:
    """``_without_site_name`` builds two regexes from the page's own title and site name: fast on
    a hostile title at the longest it searches, and on much longer ones (left as they are)."""
    title = unit * (20_000 // len(unit))
    started = time.monotonic()
    for site in ("B", unit * 50, "x" * 100):
        _without_site_name(title[: clean_html_module._MAX_TITLE_LENGTH - 1] + "!", site)
        _without_site_name(title[: clean_html_module._MAX_TITLE_LENGTH], site)
        tried("regex-inputs", 2)
    for site in ("B", unit * 50, "x" * 100):
        _without_site_name(title + "!", site)
        _without_site_name(title, site)
        tried("regex-inputs", 2)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("unit", ["A\n", "the a\n", "A.", "1 ", "x/", "Published: 2020-01-01\n", "By A ", "• a\n", "© 2020 "])
def test_clean_text_of_a_pathological_100k_document_is_bounded(unit: str) -> None:
    content = unit * (100_000 // len(unit))
    started = time.monotonic()
    result = process_document(Document("x.txt", "x.txt", "x.txt", "text", content), SETTINGS)
    tried("pathological-text")
    assert isinstance(result, (Article, Rejection))
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("tag", ["svg", "math", "iframe", "object", "video", "label", "map", "picture", "rdf"])
def test_fragment_rooted_in_an_element_htmldate_deletes_does_not_fail(tag: str) -> None:
    """Found by the fuzzer: "<svg><p><html>" parses to a tree whose root htmldate deletes, and
    lxml's drop_tree asserted (E-CLEAN-FAILED). The root now gets a parent."""
    for content in (f"<{tag}><p><html>", f"<{tag}><p>{BODY * 3}</p></{tag}><p>x"):
        result = process_document(Document("x.html", "x.html", "x.html", "html", content), SETTINGS)
        assert isinstance(result, Article) or result.code == "E-NO-BODY", result
