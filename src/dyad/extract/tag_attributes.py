"""The attribute ruler's word and tag rules, applied as a table.

spaCy's English pipelines set every token's coarse part of speech, morphology and some lemmas
with an ``attribute_ruler``: a Matcher of some 180 patterns run over every token, and one Python
call per match, and every token matches (about a tenth of the whole pipeline's time on news).
Most of those rules test one token's fine-grained tag, lower-case form, dependency label or
whether it is a space, so :func:`table_attribute_rules` moves them into :class:`AttributeTable`,
which works out what they give per combination of those once and caches it; the ruler keeps the
others (several tokens, regular expressions) and the table asks it for their matches. Rules
still apply in the ruler's order (a later rule wins) and on the annotations as they were before
any of them applied, so the result is token for token the stock pipeline's
(tests/test_tag_attributes.py).
"""

from __future__ import annotations

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

FACTORY = "dyad_attribute_table"
Attrs = dict[int, int]
#: What a tabled rule may test, in the order of a token's key.
KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
KEY_IDS = [TAG, LOWER, DEP, IS_SPACE]
#: A test on one key attribute: (accepted values, True) for a value or IN, (values, False) for NOT_IN.
Test = tuple[frozenset[int], bool]
CACHE_LIMIT = 200_000  # combinations of key values remembered (news uses some tens of thousands)


class AttributeTable:
    """Applies a ruler's rules, the single-token tag/word ones by table lookup, the rest through
    the ruler's own matcher; see the module docstring."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        # (rule number, a test per key attribute or None for any, attributes)
        self.rules: list[tuple[int, tuple[Test | None, ...], Attrs]] = []
        self.rest: AttributeRuler | None = None
        self.rest_numbers: list[int] = []  # the rest's rule i is the ruler's rule rest_numbers[i]
        self.columns: list[int] = []
        # key -> (the rules it meets, the (column, value) settings they make)
        self._by_key: dict[tuple[int, ...], tuple[tuple[tuple[int, Attrs], ...], tuple[tuple[int, int], ...]]] = {}
        self._by_word: dict[int, list] = {}
        self._by_tag: dict[int, list] = {}
        self._general: list = []

    def take(self, ruler: AttributeRuler) -> None:
        """Take over ``ruler``'s rules, leaving it only those the table cannot hold."""
        rules, attrs = ruler.patterns, list(ruler.attrs)
        rest = []
        for number, (rule, rule_attrs) in enumerate(zip(rules, attrs)):
            keys = _table_keys(rule)
            if keys is None:
                rest.append(rule)
                self.rest_numbers.append(number)
                continue
            for tests in keys:
                self.rules.append((number, tuple(self._hashed(test) for test in tests), rule_attrs))
        ruler.clear()
        ruler.add_patterns(rest)
        self.rest = ruler
        self.columns = sorted({attr for rule_attrs in attrs for attr in rule_attrs})
        self._index()

    def _hashed(self, test: tuple[list[str | bool], bool] | None) -> Test | None:
        if test is None:
            return None
        values, accept = test
        # what doc.to_array gives: string hashes (0 for ""), 1/0 for IS_SPACE
        return frozenset(int(v) if isinstance(v, bool) else self.vocab.strings.add(v) if v else 0
                         for v in values), accept

    def _index(self) -> None:
        """Rules that name their words by the word, the others that name their tags by the tag, the
        rest apart: a new key is checked against a handful of rules, not all of them."""
        self._by_word, self._by_tag, self._general = {}, {}, []
        for rule in self.rules:
            tag_test, word_test = rule[1][0], rule[1][1]
            if word_test is not None and word_test[1]:
                for word in word_test[0]:
                    self._by_word.setdefault(word, []).append(rule)
            elif tag_test is not None and tag_test[1]:
                for tag in tag_test[0]:
                    self._by_tag.setdefault(tag, []).append(rule)
            else:
                self._general.append(rule)

    def _rules_for(self, key: tuple[int, ...]) -> tuple[tuple[int, Attrs], ...]:
        candidates = (*self._by_word.get(key[1], ()), *self._by_tag.get(key[0], ()), *self._general)
        return tuple(sorted(((number, attrs) for number, tests, attrs in candidates
                             if all(test is None or (value in test[0]) == test[1] for test, value in zip(tests, key))),
                            key=lambda hit: hit[0]))

    def _settings(self, hits: tuple[tuple[int, Attrs], ...]) -> tuple[tuple[int, int], ...]:
        """(column, value) once every rule hit has applied in turn (a later rule wins)."""
        merged: Attrs = {}
        for _number, attrs in hits:
            merged.update(attrs)
        return tuple((column, merged[attr]) for column, attr in enumerate(self.columns) if attr in merged)

    def _entry(self, key: tuple[int, ...]) -> tuple[tuple[tuple[int, Attrs], ...], tuple[tuple[int, int], ...]]:
        found = self._by_key.get(key)
        if found is None:
            if len(self._by_key) >= CACHE_LIMIT:  # bounded memory on an endless feed
                self._by_key.clear()
            hits = self._rules_for(key)
            found = self._by_key[key] = (hits, self._settings(hits))
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self.columns:
            return doc
        keys = [tuple(key) for key in doc.to_array(KEY_IDS).tolist()]
        settings = [self._entry(key)[1] for key in keys]
        rest = self.rest  # set by take(), which also sets the columns
        assert rest is not None
        # matched on the annotations before any rule applied, as the ruler does
        extra: dict[int, list[tuple[int, Attrs]]] = {}
        for rest_number, _match_id, start, end in rest.match(doc):
            token = doc[start:end][rest.indices[rest_number]].i
            extra.setdefault(token, []).append((self.rest_numbers[rest_number], rest.attrs[rest_number]))
        for token, found in extra.items():
            hits = sorted((*self._entry(keys[token])[0], *found), key=lambda hit: hit[0])
            settings[token] = self._settings(tuple(hits))
        values = doc.to_array(self.columns)
        rows = values.tolist()
        for row, changes in zip(rows, settings):
            for column, value in changes:
                row[column] = value
        values[:] = rows
        doc.from_array(self.columns, values)
        return doc


def _table_keys(rule: dict) -> list[tuple[tuple[list[str | bool], bool] | None, ...]] | None:
    """Per pattern of a rule, its test on each key attribute (None: any), or None when a pattern
    tests anything else, spans several tokens or the rule sets another token."""
    if rule.get("index", 0) != 0:
        return None
    keys = []
    for pattern in rule["patterns"]:
        if len(pattern) != 1 or not pattern[0] or set(pattern[0]) - set(KEY_ATTRS):
            return None
        tests = tuple(_test(pattern[0].get(attr)) for attr in KEY_ATTRS)
        if any(test is False for test in tests):
            return None
        keys.append(tests)
    return keys


def _test(test: object) -> tuple[list[str | bool], bool] | None | bool:
    """A Matcher test as (values, accept): a plain value or IN accepts the values, NOT_IN
    rejects them; None when absent, False when the table cannot hold it (regex, comparisons)."""
    if test is None:
        return None
    if isinstance(test, (str, bool)):
        return [test], True
    if isinstance(test, dict) and len(test) == 1 and set(test) <= {"IN", "NOT_IN"}:
        [(kind, values)] = test.items()
        if all(isinstance(v, str) for v in values):
            return list(values), kind == "IN"
    return False


@Language.factory(FACTORY)
def make_attribute_table(nlp: Language, name: str) -> AttributeTable:
    return AttributeTable(nlp.vocab)


def table_attribute_rules(nlp: Language, ruler_name: str = "attribute_ruler") -> None:
    """Put an :class:`AttributeTable` in place of the ruler; the ruler, holding only the rules the
    table cannot, leaves the pipeline and is consulted by the table."""
    if ruler_name not in nlp.pipe_names:
        return
    ruler: AttributeRuler = nlp.get_pipe(ruler_name)
    table: AttributeTable = nlp.add_pipe(FACTORY, before=ruler_name)
    table.take(ruler)
    nlp.remove_pipe(ruler_name)
