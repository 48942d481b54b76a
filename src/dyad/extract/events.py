"""PLOVER events from a parsed paragraph: who did what to whom, and whether it happened.

``code_events`` reads one paragraph (a parsed spaCy ``Doc`` whose text starts at ``offset`` in the
article's clean text) with the actor mentions found in it, and returns one ``Event`` per act. Each
event's ``evidence`` is its sentence, so that the caller can attach the sentence's date, place and
figures; ``trigger`` quotes the words that name the act. Ids, dates, places and figures are left to
the caller.

For each sentence, in order:

1. Boilerplate (reader prompts, "Sign up...", breadcrumbs, imperatives to the reader) is skipped.
2. Triggers are found with the trigger table (``triggers.py``). A status verb that governs a
   trigger ("plans to visit", "denied attacking", "called for talks") lends its status and is no
   trigger itself. A trigger governed by another ("threatened to impose sanctions", "condemned the
   attack") is part of it: it names the outer act's recipient when that has none ("threatened to
   break relations with Russia"), and a nominal restatement of the same type lends its explicit
   status ("submitted a draft memorandum, with signing scheduled for 2026").
3. Participants. The subject side is the predicate's subject (with conjuncts; a passive's "by"
   agent; a coordinated or controlled verb's inherited subject); the object side its direct
   object (a passive's subject; a demand's addressee: "urged that Canada drop"). The trigger
   row says which side is the actor: the subject, except for hosting, where the visitor (object)
   is the actor and the host the recipient. Prepositions add recipients ("met with X", "visit to
   X", "sanctions on X"); "between A and B" adds actors. Conjoined subjects with no recipient stay
   together as actors (PLOVER's reciprocal rule), and "signed a deal with X" makes X a co-actor. A
   noun phrase names the actor its head names ("Tokayev of Kazakhstan" is Tokayev); a head that
   names none lends its modifier's ("Afghanistan's authorities", "Israeli soldiers") or that of
   its "of"/"from"/"in" complement ("delegations from Uzbekistan", "protesters in Baghdad").
4. Pronouns and "the two officials"/"both sides" are resolved to the one (or two) compatible
   actors in the same sentence before them or in the previous sentence; when that is not clear
   they are left out: the coder abstains rather than guesses.
5. Status: denied (negation, "denied", "failed to"), hypothetical ("could", "may", "if", a bare
   "would"), proposed ("proposed", "suggested", "called for"), planned ("will", "is expected to",
   "plans to", "scheduled for", "to be signed", "would" in reported speech, "planned
   construction"), ongoing ("continues to", present progressive), else occurred (past, perfect,
   and the present of headlines).
6. PLOVER rules (manual, AGREE, CONCEDE and PROTEST sections), and dyad's readings of the same kind:
   - "Cooperative actions of types CONSULT, SUPPORT, COOPERATE, and AID reported in future tense
     ... should be coded as AGREE": a *planned* CONSULT/SUPPORT/COOPERATE/AID becomes AGREE with
     status planned (its mode is dropped: AGREE has none). Proposed, hypothetical and denied acts
     keep their type: the manual's rule is about the future tense.
   - "Announcements of future retreats should be coded as CONCEDE": a planned RETREAT is CONCEDE.
   - Diplomatic protests are ACCUSE disapprove: a PROTEST whose actors are all states or
     governments is coded so. "The topic of the protest ... is not coded": a sentence with a
     PROTEST keeps no REQUEST.
   - dyad: an *announced* conflictual act (ASSAULT, SANCTION, PROTEST, COERCE: "will impose
     sanctions", "stands ready to declare a curfew") and any act made conditional ("will
     withdraw unless", "may halt mediation if") are THREATEN, as CAMEO 13x codes them.
   - dyad: "X said Y must/should act" is a REQUEST by X to Y (CAMEO 10x).
   - dyad: a planned or proposed act with no actor of its own, reported by a speaker
     ("Zhumangarin stated that an agreement would be signed"), takes the speaker as actor: the
     statement is the speaker's commitment.
7. Mode and context: the trigger row's, then cue words in the clause (table rows of kind
   ``cue``: "phone" -> CONSULT phone, "tank" -> ASSAULT heavy-weapons, "trade" -> economic); a
   meeting with an IGO is multilateral.
8. Confidence: the trigger row's base confidence, +0.1 when both sides are named (or two actors
   act together), -0.1 when there is no actor, -0.1 when a participant came from a pronoun,
   -0.1 when the actor is the speaker of a reported statement; clipped to [0.05, 0.99].
9. One event per act: events of one sentence with the same type and the same participants are
   merged, so a meeting between A and B is never A→B plus B→A.

An event needs at least one named participant (APPOINT: the appointee, its recipient).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from dyad.extract.nlp import text_of
from dyad.extract.triggers import QUANTITY_NOUNS, Trigger, TriggerMatch, TriggerTable, counted, find_triggers, load_triggers
from dyad.plans import planned_type
from dyad.records import Actor, ActorRef, Event, Evidence, Mention

__all__ = ["MODEL_CODED", "code_events", "code_sentences_as"]

BREADCRUMB = re.compile(r"\S\s+>\s+\S.*\S\s+>\s+\S")  # "Home > World > Story title"
BOILERPLATE = re.compile(
    r"\b(subscribe|sign up|sign in|log in|newsletter|all rights reserved|follow us|click here|read more|"
    r"cookies?|advertisement|share this|related articles?)\b", re.IGNORECASE)

# Status cues: verbs (or adjectives) that govern a trigger and say whether its act happened.
DENY_CUES = frozenset({"deny", "refute"})
PROPOSE_CUES = frozenset({"propose", "suggest", "recommend"})
PLAN_CUES = frozenset({"plan", "schedule", "expect", "intend", "aim", "set", "due", "prepare", "hope",
                       "want", "seek", "go", "ready", "willing", "poise"})
FAIL_CUES = frozenset({"fail", "refrain"})
ONGOING_CUES = frozenset({"continue", "keep"})
HYPOTHETICAL_MODALS = frozenset({"could", "might", "may", "should", "must", "can"})
FUTURE_MODALS = frozenset({"will", "shall", "'ll", "wo"})
CONDITION_MARKS = frozenset({"if", "unless", "whether"})
NOUN_PLAN_MODIFIERS = frozenset({"plan", "schedule", "upcoming", "forthcoming", "future", "expect", "next",
                                 "prospective", "intend"})
NOUN_PROPOSE_MODIFIERS = frozenset({"propose", "suggest"})
NOUN_ONGOING_MODIFIERS = frozenset({"ongoing", "continue"})
REPORTING_VERBS = frozenset({"say", "state", "tell", "announce", "report", "add", "note", "confirm", "claim",
                             "affirm", "declare", "stress", "emphasize", "emphasise", "indicate", "reveal",
                             "write", "explain", "insist", "assert", "disclose", "inform"})

# Dependency paths along which a trigger is governed by the word above it.
GOVERNED_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "nsubjpass", "attr", "oprd",
                           "acomp", "dative", "compound", "nmod"})
OBJECT_DEPS = ("dobj", "dative")
RECIPIENT_PREPS = frozenset({"to", "against", "on", "upon", "toward", "towards", "from", "into", "at"})
# "aid for X", "support for X"; but "called for X", "blamed X for Y" name no recipient.
FOR_RECIPIENT_TYPES = frozenset({"AID", "SUPPORT", "COOPERATE", "AGREE"})
# Verbs whose object noun names the act ("held talks", "paid a visit", "sustaining aid deliveries"):
# their subject is the nominal trigger's actor. Status verbs ("proposed talks") count too.
LIGHT_VERBS = frozenset({"hold", "have", "pay", "make", "conduct", "carry", "give", "deliver", "provide", "send",
                         "launch", "stage", "organize", "organise", "begin", "start", "continue", "resume",
                         "sustain", "maintain", "expand", "complete", "attend", "join", "receive", "reach",
                         "sign", "seal", "accept", "offer", "announce", "grant", "extend", "renew", "open",
                         "speed", "accelerate", "declare", "impose", "order"})
CO_ACTOR_PREPS = frozenset({"between", "among", "amongst"})
# Nouns that stand for two parties in "the two officials", "both sides".
PARTY_NOUNS = {"official": "person", "leader": "person", "minister": "person", "president": "person",
               "counterpart": "person", "envoy": "person", "diplomat": "person", "country": "state",
               "nation": "state", "government": "state", "state": "state", "side": "any", "party": "any",
               "delegation": "any"}
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})
STATE_KINDS = frozenset({"country", "government", "government body"})
DEONTIC_MODALS = frozenset({"must", "should", "ought"})
# A demand's mode by the act demanded (PLOVER REQUEST modes).
REQUEST_MODES = {"CONSULT": "meet", "AGREE": "meet", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist",
                 "RETREAT": "yield", "CONCEDE": "yield"}
# An announced conflictual act is a threat; its THREATEN mode by the act threatened.
THREAT_MODES = {"ASSAULT": "violence", "MOBILIZE": "violence", "SANCTION": "relations", "PROTEST": "restrict",
                "RETREAT": "relations", "REJECT": "relations", "COERCE": "restrict"}
CONFLICT_TYPES = frozenset({"ASSAULT", "SANCTION", "PROTEST", "COERCE"})


@dataclass
class _Sides:
    """Who acts and who receives, as the grammar gives them."""

    subject: list[ActorRef] = field(default_factory=list)
    object: list[ActorRef] = field(default_factory=list)
    co_actors: list[ActorRef] = field(default_factory=list)
    recipients: list[ActorRef] = field(default_factory=list)


@dataclass(frozen=True)
class _Status:
    value: str
    explicit: bool  # read from a cue rather than from tense alone
    announced: bool = False  # a stated future ("will", "plans to"), not a purpose ("to protest")


@dataclass
class _Coded:
    event: Event
    explicit_status: bool
    participants: frozenset[str]


def code_events(doc: Doc, offset: int, mentions: list[Mention], actors: dict[str, Actor],
                article_id: str) -> list[Event]:
    """The PLOVER events of one parsed paragraph, in text order. ``mentions`` carry evidence in the
    article's clean text (layer "text") and ``ref`` = an id of ``actors``; a mention whose ref is
    not an actor (a place, say) names no participant."""
    reader = _Reader(doc, offset, mentions, actors, article_id, load_triggers())
    events: list[Event] = []
    sentences = list(doc.sents)
    for number, sentence in enumerate(sentences):
        if not _is_boilerplate(sentence):
            previous = sentences[number - 1] if number else None
            events.extend(reader.sentence_events(sentence, previous))
    return events


#: Context tag of an event whose type the learned model read (no trigger in the table named it).
MODEL_CODED = "model-coded"


def code_sentences_as(doc: Doc, offset: int, mentions: list[Mention], actors: dict[str, Actor], article_id: str,
                      readings: list[tuple[Span, str, float]]) -> list[Event]:
    """Events of types read elsewhere (the learned model: sentence, type, calibrated probability)
    for sentences of the paragraph where the trigger table found none. The sentence's main verb
    (under a reporting verb, the reported one) stands in as a verb trigger of that type, and
    participants, status, the PLOVER rules, mode cues and evidence follow exactly as for a table
    trigger; the event is tagged ``MODEL_CODED`` and its confidence is the model's probability.
    A sentence that is boilerplate, has no verb, or names no participant gives no event."""
    reader = _Reader(doc, offset, mentions, actors, article_id, load_triggers())
    previous = {s.end: s for s in doc.sents}
    events = []
    for sentence, event_type, probability in readings:
        verb = _main_verb(sentence)
        if verb is None or _is_boilerplate(sentence):
            continue
        trigger = Trigger("verb", verb.lemma_.lower(), (), event_type, None, (), "actor", False, probability, "model")
        reader.previous = previous.get(sentence.start)
        coded = reader._code(TriggerMatch(trigger, verb, ()), sentence)
        if coded is not None:
            events.append(replace(coded.event, context=tuple(sorted({*coded.event.context, MODEL_CODED})),
                                  confidence=round(probability, 3)))
    return events


def _main_verb(sentence: Span) -> Token | None:
    verb = sentence.root
    while verb.lemma_.lower() in REPORTING_VERBS:
        reported = next((child for child in verb.children if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX")), None)
        if reported is None:
            break
        verb = reported
    return verb if verb.pos_ in ("VERB", "AUX") else None


def _is_boilerplate(sentence: Span) -> bool:
    text = text_of(sentence.doc)[sentence.start_char:sentence.end_char]
    if BOILERPLATE.search(text) or BREADCRUMB.search(text):
        return True
    root = sentence.root
    return root.tag_ == "VB" and not any(child.dep_.startswith("nsubj") for child in root.children)


class _Reader:
    """Codes the sentences of one paragraph."""

    def __init__(self, doc: Doc, offset: int, mentions: list[Mention], actors: dict[str, Actor],
                 article_id: str, table: TriggerTable) -> None:
        self.doc, self.offset, self.actors, self.article_id, self.table = doc, offset, actors, article_id, table
        self.mention_at: dict[int, Mention] = {}
        self.mention_spans: set[tuple[int, int]] = set()
        for mention in mentions:
            if mention.ref not in actors:
                continue
            start, end = mention.evidence.start - offset, mention.evidence.end - offset
            span = doc.char_span(start, end, alignment_mode="expand") if 0 <= start < end <= len(text_of(doc)) else None
            for token in span or ():
                self.mention_at.setdefault(token.i, mention)
            self.mention_spans.add((mention.evidence.start, mention.evidence.end))
        self.previous: Span | None = None

    # --- one sentence ---

    def sentence_events(self, sentence: Span, previous: Span | None) -> list[Event]:
        self.previous = previous
        matches = find_triggers(sentence, self.table)
        cue_heads = {match.anchor.i for match in matches if _status_cue(match.anchor) and _governs_any(match, matches)}
        matches = [match for match in matches if match.anchor.i not in cue_heads]
        governors = {match.anchor.i: _governing_match(match, matches) for match in matches}
        coded: dict[int, _Coded] = {}
        for match in matches:
            if governors[match.anchor.i] is None and (found := self._code(match, sentence)) is not None:
                coded[match.anchor.i] = found
        for match in matches:
            governor = governors[match.anchor.i]
            outer = coded.get(governor.anchor.i) if governor is not None else None
            if outer is None:
                continue
            if match.trigger.kind == "noun" and match.trigger.type == governor.trigger.type:
                outer = _with_status(outer, _noun_status(match.anchor))  # "with signing scheduled for 2026"
            if not outer.event.recipients:  # "threatened to break relations with Russia": Russia is the target
                outer = self._with_recipients(outer, _assign(self._sides(match), match.trigger.subject)[1])
            coded[governor.anchor.i] = outer
        events = [item.event for item in _merge_same_acts(list(coded.values()))]
        if any(event.type == "PROTEST" for event in events):
            # PLOVER: "the topic of the protest—which will typically be a REQUEST—is not coded"
            events = [event for event in events if event.type != "REQUEST"]
        return events

    def _with_recipients(self, item: _Coded, recipients: list[ActorRef]) -> _Coded:
        actor_ids = {ref.actor_id for ref in item.event.actors}
        added = tuple(ref for ref in recipients if ref.actor_id not in actor_ids)
        if not added:
            return item
        participants = actor_ids | {ref.actor_id for ref in added}
        return replace(item, event=replace(item.event, recipients=added), participants=frozenset(participants))

    def _code(self, match: TriggerMatch, sentence: Span) -> _Coded | None:
        trigger = match.trigger
        status = _noun_status(match.anchor) if match.trigger.kind == "noun" else _verb_status(match.anchor)
        sides = self._sides(match)
        actors, recipients = _assign(sides, trigger.subject)
        event_type, mode, speaker = trigger.type, trigger.mode, False
        clause = match.anchor if trigger.kind == "verb" else _light_verb(match.anchor)
        if clause is not None and _modals(clause) & DEONTIC_MODALS and (said := self._speaker(match.anchor)):
            # "X said Y must return the helicopter": X demands that Y act
            event_type, mode, status = "REQUEST", REQUEST_MODES.get(trigger.type), _Status("occurred", True)
            actors, recipients, speaker = said, actors, True
        elif not actors and status.value in ("planned", "proposed"):
            actors = self._speaker(match.anchor)
            speaker = bool(actors)
        recipients = [ref for ref in recipients if ref.actor_id not in {a.actor_id for a in actors}]
        if (trigger.type == "APPOINT" and not recipients) or not (actors or recipients):
            return None
        conditional = clause is not None and _is_conditional(clause)
        event_type, mode = _plover_rules(event_type, mode, status, conditional, actors, self.actors)
        lemmas = _clause_lemmas(match.anchor)
        mode = mode or self._cue_mode(event_type, lemmas, actors + recipients)
        context = sorted({*trigger.context, *(c for cue in self.table.cues_for(lemmas, event_type) for c in cue.context)})
        anaphoric = any((ref.evidence.start, ref.evidence.end) not in self.mention_spans for ref in actors + recipients)
        confidence = _confidence(trigger.confidence, actors, recipients, anaphoric and not speaker, speaker)
        event = Event(
            id="", article_id=self.article_id, type=event_type, status=status.value,
            evidence=self._evidence(sentence.start_char, sentence.end_char),
            trigger=self._trigger_evidence(match), mode=mode, context=tuple(context),
            actors=tuple(actors), recipients=tuple(recipients), confidence=confidence,
        )
        participants = frozenset(ref.actor_id for ref in actors + recipients)
        return _Coded(event, status.explicit, participants)

    def _cue_mode(self, event_type: str, lemmas: set[str], parties: list[ActorRef]) -> str | None:
        modes = [cue.mode for cue in self.table.cues_for(lemmas, event_type) if cue.mode and cue.type == event_type]
        if modes:
            return modes[0]
        if event_type == "CONSULT" and any(self.actors[ref.actor_id].kind == "igo" for ref in parties):
            return "multilateral"
        return None

    # --- participants ---

    def _sides(self, match: TriggerMatch) -> _Sides:
        sides = _Sides()
        anchor, trigger = match.anchor, match.trigger
        predicate = anchor if trigger.kind == "verb" else _light_verb(anchor)
        if trigger.kind == "noun":
            self._noun_sides(anchor, trigger.type, sides)
        if predicate is not None:
            self._verb_sides(predicate, sides, skip=anchor)
            if trigger.type == "REQUEST" and not sides.object:  # "urged that Canada drop the tariffs": Canada is asked
                for clause in (child for child in predicate.children if child.dep_ == "ccomp"):
                    sides.object.extend(ref for subject in _subjects(clause) for ref in self._named(subject))
        carriers = [anchor, *match.tokens]
        if predicate is not None:
            carriers += [predicate, *(counted(child) for child in predicate.children if child.dep_ in ("dobj", "nsubjpass"))]
        carriers += [_of_object(carrier) for carrier in carriers if carrier.pos_ == "NOUN" and _of_object(carrier)]
        seen: set[int] = set()
        for carrier in carriers:
            if carrier.i not in seen:
                seen.add(carrier.i)
                for prep in carrier.children:
                    if prep.dep_ == "prep":
                        self._prep_side(prep, trigger, sides)
        return sides

    def _noun_sides(self, noun: Token, event_type: str, sides: _Sides) -> None:
        """Participants a nominal trigger names itself: "his appointment", "a visit by X",
        "the appointment of X", "Kazakh-Afghan talks"."""
        modifiers: list[ActorRef] = []
        for child in noun.children:
            if child.dep_ == "poss":
                (sides.object if event_type == "APPOINT" else sides.subject).extend(self._named(child))
            elif child.dep_ == "prep" and child.lower_ == "by":
                sides.subject.extend(self._pobj_refs(child))
            elif child.dep_ == "prep" and child.lower_ == "of" and event_type == "APPOINT":
                sides.object.extend(self._pobj_refs(child))
            elif child.dep_ in ("compound", "amod", "nmod") and child.i in self.mention_at:
                modifiers.extend(self._named(child))
        if not sides.subject and _light_verb(noun) is None:
            sides.subject.extend(modifiers)  # "Kazakh-Afghan talks", "US aid"

    def _verb_sides(self, verb: Token, sides: _Sides, skip: Token) -> None:
        passive = any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children)
        subjects = _subjects(verb)
        named = [token for token in subjects if token.i in self.mention_at]
        if len(subjects) > 1 and named:  # a title parsed as a second subject: "Special Envoy ... Yerkin Tukumov paid"
            subjects = named
        for token in subjects:
            (sides.object if passive else sides.subject).extend(self._named(token))
        for child in verb.children:
            if child.dep_ == "agent":
                sides.subject.extend(self._pobj_refs(child))
            elif child.dep_ in OBJECT_DEPS and child.i != skip.i:
                sides.object.extend(self._named(counted(child)))

    def _prep_side(self, prep: Token, trigger: Trigger, sides: _Sides) -> None:
        """"between A and B" and a co-party "with X" act together; "with", "to", "against", "on"...
        name the recipient (a meeting's: "with" and "to", and "in" for a visit's host)."""
        word = prep.lower_
        if word in CO_ACTOR_PREPS or (word == "with" and trigger.reciprocal):
            sides.co_actors.extend(self._pobj_refs(prep))
        elif trigger.type == "CONSULT":
            if word in ("with", "to") or (word == "in" and trigger.mode == "visit"):
                sides.recipients.extend(self._pobj_refs(prep))
        elif word == "with" or word in RECIPIENT_PREPS or (word == "for" and trigger.type in FOR_RECIPIENT_TYPES):
            sides.recipients.extend(self._pobj_refs(prep))

    def _pobj_refs(self, prep: Token) -> list[ActorRef]:
        return [ref for pobj in prep.children if pobj.dep_ == "pobj" for ref in self._named(pobj)]

    def _named(self, head: Token) -> list[ActorRef]:
        """The actors a noun phrase names, its conjuncts included."""
        refs: list[ActorRef] = []
        for token in (head, *head.conjuncts):
            refs.extend(self._named_one(token))
        return _unique(refs)

    def _named_one(self, token: Token, depth: int = 0) -> list[ActorRef]:
        if token.i in self.mention_at:
            return [self._ref(self.mention_at[token.i])]
        lower = token.lower_
        if token.pos_ == "PRON" or (lower in RELATIVE_PRONOUNS and token.dep_.startswith("nsubj")):
            return self._resolve_pronoun(token)
        if token.lemma_.lower() in PARTY_NOUNS and _counts_two(token):
            return self._resolve_pair(token)
        for dep in ("appos", "compound", "amod", "nmod", "poss"):
            found = [self._ref(self.mention_at[child.i]) for child in token.children
                     if child.dep_ == dep and child.i in self.mention_at]
            if found:
                return found
        if depth == 0:  # "members of the Association", "delegations from Uzbekistan", "protesters in Baghdad"
            for word in ("of", "from", "in"):
                for prep in token.children:
                    if prep.dep_ == "prep" and prep.lower_ == word:
                        found = [ref for pobj in prep.children if pobj.dep_ == "pobj"
                                 for each in (pobj, *pobj.conjuncts) for ref in self._named_one(each, 1)]
                        if found:
                            return found
        return []

    def _speaker(self, anchor: Token) -> list[ActorRef]:
        """The subject of the reporting verb whose statement contains ``anchor``."""
        token = anchor
        while token.head.i != token.i:
            if token.dep_ == "ccomp" and token.head.lemma_.lower() in REPORTING_VERBS:
                return [ref for subject in _subjects(token.head) for ref in self._named(subject)]
            token = token.head
        return []

    # --- anaphora ---

    def _resolve_pronoun(self, pronoun: Token) -> list[ActorRef]:
        lower = pronoun.lower_
        if lower in RELATIVE_PRONOUNS:
            clause = pronoun.head
            return self._named(clause.head) if clause.dep_ == "relcl" and clause.head.i != pronoun.i else []
        if lower in PERSON_PRONOUNS:
            want = "person"
        elif lower in THING_PRONOUNS:
            want = "thing"
        else:
            return []  # "they", "we": too loose to resolve without more than a sentence
        found = self._antecedents(pronoun, want, 1)
        return [ActorRef(found[0].ref, self._evidence(pronoun.idx, pronoun.idx + len(pronoun.text)))] if found else []

    def _resolve_pair(self, noun: Token) -> list[ActorRef]:
        found = self._antecedents(noun, PARTY_NOUNS[noun.lemma_.lower()], 2)
        span = noun.doc[noun.left_edge.i: noun.i + 1]
        return [ActorRef(mention.ref, self._evidence(span.start_char, span.end_char)) for mention in found]

    def _antecedents(self, anaphor: Token, want: str, count: int) -> list[Mention]:
        """The ``count`` compatible actors the anaphor refers to, or [] when that is not clear:
        first those named earlier in its sentence, else (for a fronted "his" before the subject)
        the sentence's subject, else the previous sentence's."""
        sentence = anaphor.sent
        before = self._distinct(sentence, want, lambda token: token.i < anaphor.i)
        if before:
            return before if len(before) == count else []
        subject = self._distinct(sentence, want, lambda token: token.dep_.startswith("nsubj") and token.head == sentence.root)
        if count == 1 and len(subject) == 1:
            return subject
        if self.previous is None:
            return []
        earlier = self._distinct(self.previous, want, lambda token: True)
        if len(earlier) == count:
            return earlier
        if count == 1:
            leading = self._distinct(self.previous, want, lambda token: token.dep_.startswith("nsubj")
                                     and token.head == self.previous.root)
            return leading if len(leading) == 1 else []
        return []

    def _distinct(self, span: Span, want: str, where) -> list[Mention]:
        found: dict[str, Mention] = {}
        for token in span:
            mention = self.mention_at.get(token.i)
            if mention and where(token) and _compatible(self.actors[mention.ref], want):
                found.setdefault(mention.ref, mention)
        return list(found.values())

    # --- evidence ---

    def _ref(self, mention: Mention) -> ActorRef:
        evidence = mention.evidence if mention.evidence.article_id else replace(mention.evidence, article_id=self.article_id)
        return ActorRef(mention.ref, evidence)

    def _evidence(self, start: int, end: int) -> Evidence:
        return Evidence("text", self.offset + start, self.offset + end, text_of(self.doc)[start:end], self.article_id)

    def _trigger_evidence(self, match: TriggerMatch) -> Evidence:
        tokens = [match.anchor, *match.tokens]
        start = min(token.idx for token in tokens)
        end = max(token.idx + len(token.text) for token in tokens)
        return self._evidence(start, end)


# --- grammar helpers ---


def _subjects(verb: Token) -> list[Token]:
    """The verb's grammatical subjects; a verb without one inherits it: a coordinated verb from its
    first conjunct, a controlled infinitive from its controller ("X plans to visit", "urged X to"),
    a participle clause from its main verb, a participle modifying a noun from that noun."""
    own = [child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")]
    if own:
        return own
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "conj":
        return _subjects(head)
    if verb.dep_ == "xcomp":
        objects = [child for child in head.children if child.dep_ == "dobj"]
        return objects or _subjects(head)
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN") and not any(c.dep_ == "mark" for c in verb.children):
        return _subjects(head)
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        return [head]
    return []


def _light_verb(noun: Token) -> Token | None:
    """The light or status verb a nominal trigger is the object of ("held talks", "aid was
    delivered", "proposed talks", "called for talks"), also through a quantity noun ("held a series
    of meetings"); None when the noun stands alone or under another verb ("framed the visit")."""
    position = noun
    head = noun.head
    if head.dep_ == "prep" and head.lower_ == "of" and head.head.lemma_.lower() in QUANTITY_NOUNS:
        position = head.head
    verb = position.head
    if position.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and verb.pos_ in ("VERB", "AUX"):
        return verb if verb.lemma_.lower() in LIGHT_VERBS or _status_cue(verb) else None
    if position.dep_ == "pobj" and verb.dep_ == "prep" and _status_cue(verb.head):  # "called for talks"
        return verb.head
    return None


def _of_object(noun: Token) -> Token | None:
    """The noun's "of" complement ("memorandum of *understanding* with X"), whose prepositions
    belong to the noun phrase as a whole."""
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((pobj for pobj in prep.children if pobj.dep_ == "pobj"), None)
    return None


def _counts_two(noun: Token) -> bool:
    """"the two officials", "both sides", "the sides"."""
    words = {child.lower_ for child in noun.children if child.dep_ in ("det", "nummod", "predet")}
    return bool(words & {"two", "both"}) or ("the" in words and noun.tag_ == "NNS" and noun.lemma_.lower() == "side")


def _compatible(actor: Actor, want: str) -> bool:
    if want == "person":
        return actor.kind == "person"
    if want == "state":
        return actor.kind in ("country", "government")
    if want == "thing":
        return actor.kind not in ("person", "collective")
    return True


def _unique(refs: list[ActorRef]) -> list[ActorRef]:
    """The first reference to each actor."""
    first: dict[str, ActorRef] = {}
    for ref in refs:
        first.setdefault(ref.actor_id, ref)
    return list(first.values())


def _assign(sides: _Sides, subject_role: str) -> tuple[list[ActorRef], list[ActorRef]]:
    """Actors and recipients from the grammatical sides. Conjoined subjects acting on no one are
    joint actors; so are co-parties ("between A and B", "a deal with X")."""
    if subject_role == "recipient":
        actors, recipients = sides.object, sides.subject + sides.recipients
    else:
        actors, recipients = sides.subject, sides.object + sides.recipients
    return _unique(actors + sides.co_actors), _unique(recipients)


def _governs_any(match: TriggerMatch, matches: list[TriggerMatch]) -> bool:
    return any(_governing_match(other, [match]) is match for other in matches if other is not match)


def _governing_match(match: TriggerMatch, matches: list[TriggerMatch]) -> TriggerMatch | None:
    """The trigger whose object or complement this trigger is part of, if any."""
    anchors = {other.anchor.i: other for other in matches if other is not match}
    token = match.anchor
    while token.dep_ in GOVERNED_DEPS and token.head.i != token.i:
        token = token.head
        if token.i in anchors:
            return anchors[token.i]
    return None


def _status_cue(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if lemma in DENY_CUES:
        return "denied"
    if lemma in PROPOSE_CUES or (lemma == "call" and any(c.dep_ == "prep" and c.lower_ == "for" for c in token.children)):
        return "proposed"
    if lemma in PLAN_CUES:
        return "planned"
    if lemma in ONGOING_CUES:
        return "ongoing"
    return None


def _modals(verb: Token) -> set[str]:
    return {child.lower_ for child in verb.children if child.tag_ == "MD"}


def _is_conditional(verb: Token) -> bool:
    """"will withdraw ... unless", "may halt ... if": the act hangs on a condition."""
    return any(child.dep_ == "advcl" and any(mark.dep_ == "mark" and mark.lower_ in CONDITION_MARKS
                                             for mark in child.children) for child in verb.children)


def _verb_status(verb: Token) -> _Status:
    """What the grammar says about whether the act of ``verb`` happened."""
    children = list(verb.children)
    if any(child.dep_ == "neg" or child.lower_ == "never" for child in children):
        return _Status("denied", True)
    governors = _governors(verb)
    cues = [cue for governor in governors if (cue := _status_cue(governor))]
    if any(any(child.dep_ == "neg" for child in governor.children) for governor in governors) or "denied" in cues \
            or any(governor.lemma_.lower() in FAIL_CUES for governor in governors):
        return _Status("denied", True)
    marks = {child.lower_ for token in (verb, *governors) for child in token.children if child.dep_ == "mark"}
    modals = _modals(verb)
    if marks & CONDITION_MARKS or modals & HYPOTHETICAL_MODALS:
        return _Status("hypothetical", True)
    if "proposed" in cues:
        return _Status("proposed", True)
    if modals & FUTURE_MODALS or "planned" in cues:
        return _Status("planned", True, announced=True)
    if "would" in modals:
        return _Status("planned", True, announced=True) if _is_reported(verb) else _Status("hypothetical", True)
    if "ongoing" in cues:
        return _Status("ongoing", True)
    if verb.tag_ == "VB" and any(child.lower_ == "to" and child.dep_ == "aux" for child in children):
        return _infinitive_status(verb)
    if verb.tag_ == "VBG" and any(child.lower_ in ("is", "are", "am", "'s", "'re") for child in children):
        return _Status("ongoing", True)
    return _Status("occurred", False)


def _infinitive_status(verb: Token) -> _Status:
    """"attempted to assassinate", "began to withdraw": as the verb above says; "to be signed",
    "arrived to sign", "ready to talk": an act still to come; "Russia's decision to recognize"
    speaks of a decision taken, so the act's status is left to tense (occurred)."""
    passive = any(child.dep_ == "auxpass" for child in verb.children)
    if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB" and not passive:
        return _verb_status(verb.head)
    if verb.dep_ == "acl" and not passive:
        return _Status("occurred", False)
    return _Status("planned", True)


def _noun_status(noun: Token) -> _Status:
    """A nominal trigger's own modifiers ("planned construction", "signing scheduled for"),
    else the status of the verb it belongs to."""
    for child in noun.children:
        if child.dep_ in ("amod", "acl", "compound", "nmod"):
            lemma = child.lemma_.lower()
            if lemma in NOUN_PROPOSE_MODIFIERS:
                return _Status("proposed", True)
            if lemma in NOUN_PLAN_MODIFIERS:
                return _Status("planned", True, announced=True)
            if lemma in NOUN_ONGOING_MODIFIERS:
                return _Status("ongoing", True)
    verb = next((token for token in noun.ancestors if token.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return _Status("occurred", False)
    cue = _status_cue(verb)  # "proposed talks", "called for talks"
    return _Status(cue, True, announced=cue == "planned") if cue else _verb_status(verb)


def _governors(verb: Token) -> list[Token]:
    """The words whose complement the verb is ("expected" in "is expected to hold")."""
    found = []
    token = verb
    while token.dep_ in ("xcomp", "ccomp", "pcomp", "pobj", "prep") and token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX", "ADJ"):
            found.append(token)
    return found


def _is_reported(verb: Token) -> bool:
    return any(token.lemma_.lower() in REPORTING_VERBS for token in verb.ancestors)


def _clause_lemmas(anchor: Token) -> set[str]:
    """The lemmas of the trigger's clause, without nested clauses: where mode and context cues count."""
    top = anchor
    while top.dep_ in ("dobj", "pobj", "prep", "nsubjpass", "compound", "amod") and top.head.i != top.i:
        top = top.head
    lemmas: set[str] = set()
    stack = [top]
    while stack:
        token = stack.pop()
        lemmas.add(token.lemma_.lower())
        stack.extend(child for child in token.children
                     if child.dep_ not in ("ccomp", "advcl", "relcl", "acl", "parataxis", "conj"))
    return lemmas


def _plover_rules(event_type: str, mode: str | None, status: _Status, conditional: bool, actors: list[ActorRef],
                  known: dict[str, Actor]) -> tuple[str, str | None]:
    # A conditional plan is a threat first ("will withdraw unless"); cooperative types are never
    # threats, so for them the order does not matter
    if (status.announced and event_type in CONFLICT_TYPES) or (
            conditional and status.value in ("planned", "hypothetical") and event_type in THREAT_MODES):
        return "THREATEN", "arrest" if mode == "arrest" else THREAT_MODES[event_type]
    planned = planned_type(event_type, status.value)
    if planned != event_type:
        return planned, None
    if event_type == "PROTEST" and actors and all(
            known[ref.actor_id].kind in STATE_KINDS or known[ref.actor_id].sector == "GOV" for ref in actors):
        return "ACCUSE", "disapprove"
    return event_type, mode


def _confidence(base: float, actors: list[ActorRef], recipients: list[ActorRef], anaphoric: bool, speaker: bool) -> float:
    score = base
    if actors and recipients or len(actors) > 1:
        score += 0.1
    if not actors:
        score -= 0.1
    if anaphoric:
        score -= 0.1
    if speaker:
        score -= 0.1
    return round(min(0.99, max(0.05, score)), 2)


def _with_status(item: _Coded, status: _Status) -> _Coded:
    if item.explicit_status or not status.explicit:
        return item
    return replace(item, event=replace(item.event, status=status.value), explicit_status=True)


def _merge_same_acts(coded: list[_Coded]) -> list[_Coded]:
    """One event per (type, participants) in a sentence; a later mention's explicit status wins
    over an earlier default one."""
    kept: dict[tuple[str, frozenset[str]], _Coded] = {}
    for item in coded:
        key = (item.event.type, item.participants)
        first = kept.get(key)
        if first is None:
            kept[key] = item
        else:
            kept[key] = _with_status(first, _Status(item.event.status, item.explicit_status))
    return list(kept.values())
