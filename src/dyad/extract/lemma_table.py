"""spaCy's rule lemmatizer with its results looked up per doc in one pass.

The lemmatizer caches its answer per (word, part of speech, morphology) but still makes a Python
call and sets a string on every token. :class:`LemmaTable` keeps the same answers in a table keyed
the same way, reads the keys of a whole doc at once and writes the lemmas back at once; a key not
seen before is answered by the lemmatizer itself, so the lemmas are the stock pipeline's
(tests/test_tag_attributes.py compares every token).
"""

from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

FACTORY = "dyad_lemma_table"
CACHE_LIMIT = 500_000  # keys remembered (a year of news uses a few hundred thousand)


class LemmaTable:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.lemmatizer: Lemmatizer | None = None
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or self.lemmatizer is None:
            return doc
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        rows = values.tolist()
        overwrite = self.lemmatizer.overwrite
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = self._lemmas.get(key)
            if found is None:
                if len(self._lemmas) >= CACHE_LIMIT:
                    self._lemmas.clear()
                    self.lemmatizer.cache.clear()  # its own cache keeps the same keys
                found = self._lemmas[key] = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(found)
        values[:, 3] = lemmas
        doc.from_array([LEMMA], values[:, 3:])
        return doc


@Language.factory(FACTORY)
def make_lemma_table(nlp: Language, name: str) -> LemmaTable:
    return LemmaTable(nlp.vocab)


def table_lemmas(nlp: Language, name: str = "lemmatizer") -> None:
    """Put a :class:`LemmaTable` in place of the rule lemmatizer, which it consults for new keys."""
    if name not in nlp.pipe_names or getattr(nlp.get_pipe(name), "mode", None) != "rule":
        return
    table: LemmaTable = nlp.add_pipe(FACTORY, before=name)
    table.lemmatizer = nlp.remove_pipe(name)[1]
