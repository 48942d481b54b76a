"""The attribute ruler's tag table, applied as a table.

spaCy's English pipelines map every fine-grained tag to its coarse part of speech and morphology
with an ``attribute_ruler``: a Matcher pattern per tag, so every token of every text is one
match and one Python call to set its attributes (about a tenth of the whole pipeline's time on
news). Those rules test nothing but the tag, so :func:`split_tag_rules` moves the leading run of
them into :class:`TagAttributes`, which sets the same attributes on a whole doc with numpy; the
ruler keeps the rest (words, dependencies), which still run after the table, in the same order.
The result is token for token what the stock pipeline gives (tests/test_tag_attributes.py).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

FACTORY = "dyad_tag_attributes"


class TagAttributes:
    """Sets the attributes that rules keyed on a token's tag alone give it; a later rule for the
    same tag overrides an earlier one, as in the ruler."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.table: dict[int, dict[int, int]] = {}

    def add(self, tag: str, attrs: dict[int, int]) -> None:
        self.table.setdefault(self.vocab.strings.add(tag), {}).update(attrs)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self.table:
            return doc
        columns = sorted({attr for attrs in self.table.values() for attr in attrs})
        values = doc.to_array([TAG, *columns])
        tags = values[:, 0]
        for tag in np.unique(tags):
            attrs = self.table.get(int(tag))
            if attrs:
                rows = tags == tag
                for column, attr in enumerate(columns, start=1):
                    if attr in attrs:
                        values[rows, column] = attrs[attr]
        doc.from_array(columns, values[:, 1:])
        return doc


@Language.factory(FACTORY)
def make_tag_attributes(nlp: Language, name: str) -> TagAttributes:
    return TagAttributes(nlp.vocab)


def split_tag_rules(nlp: Language, ruler_name: str = "attribute_ruler") -> None:
    """Move the ruler's leading rules of the form ``[{"TAG": tag}]`` into a table component placed
    just before it. Rules after the first other rule stay in the ruler, so the order in which
    rules apply (later ones win) is unchanged."""
    if ruler_name not in nlp.pipe_names:
        return
    ruler: AttributeRuler = nlp.get_pipe(ruler_name)
    rules = ruler.patterns
    lead = 0
    while lead < len(rules) and _tag_only(rules[lead]):
        lead += 1
    if not lead:
        return
    table: TagAttributes = nlp.add_pipe(FACTORY, before=ruler_name)
    for rule, attrs in zip(rules[:lead], ruler.attrs[:lead]):
        for pattern in rule["patterns"]:
            table.add(pattern[0]["TAG"], attrs)
    ruler.clear()
    ruler.add_patterns(rules[lead:])


def _tag_only(rule: dict) -> bool:
    return rule.get("index", 0) == 0 and all(
        len(pattern) == 1 and set(pattern[0]) == {"TAG"} and isinstance(pattern[0]["TAG"], str)
        for pattern in rule["patterns"])
