"""The English cue words every rule reads, in one place so the lists cannot drift apart.

Each pattern says what a phrase of a news report signals (a refusal, a demand, a walk-out, an
agreement made or taking effect, a term announced); the rules that use it are named beside it.
The sentence splitter's abbreviations and the words too generic to name an actor are here too.
The steps that read these words are marked English-only (``extract.steps``) and do not run on
a report in another language, which the model reads alone.
"""

from __future__ import annotations

import re

from summarizer.record.schema import Category

# --- used by extract/rules/actors.py and stance.py ---

DISSENT = re.compile(
    r"\b(?:reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|denounc(?:e|es|ed|ing)|oppos(?:e|es|ed|ing)|"
    r"boycott(?:s|ed|ing)?|walk(?:s|ed)? out|walked away|withdr(?:ew|awn)|pull(?:s|ed)? out|"
    r"disown(?:s|ed)?|condemn(?:s|ed)?|capitulation|betrayal|treason|not (?:a )?party to)\b",
    re.IGNORECASE,
)

# Words that end the name of a place, not of an actor: "Velmora city", "the village of X".
PLACE_WORD = re.compile(r"\b(?:city|town|village|district|province|region)$", re.IGNORECASE)

# Words that attach a condition to an acceptance, and words of walking out of an agreement.
ON_CONDITION = re.compile(
    r"\b(?:only if|provided(?: that)?(?! for)|as long as|so long as|on condition)\b", re.IGNORECASE
)

WALKS_OUT = re.compile(
    r"(?<!not )(?<!never )\b(?:pull(?:s|ed|ing)? out of|withdr(?:aw|aws|awing|ew|awn) from|"
    r"walk(?:s|ed|ing)? out of|quit(?:s|ting)?)\s+(?:\S+\s+){0,3}?"
    r"(?:deal|agreement|truce|ceasefire|talks|accord|negotiations|process)\b",
    re.IGNORECASE,
)

# A person's name followed by one of these and another party's name speaks for that party:
# "Chief Tomas Ravel of the Haddu", "Colonel Arvid Lenk, who represents the army",
# "Ilse Marten, the envoy who heads the observers".
LINK = re.compile(
    r"\b(?:of|for|represents|representing|from|heads|leads|chairs|commands)\s+(?:the\s+)?",
    re.IGNORECASE,
)

# A group's name followed by one of these and a person's name is led by that person:
# "the Red Hills faction headed by Mahmud Teral".
LED_BY = re.compile(r"\b(?:headed|led|commanded|chaired)\s+by\s+", re.IGNORECASE)


# --- used by extract/rules/dates.py ---

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]

# A month and year in words: "March 2016", "Sept. 2019".
MONTH_YEAR = re.compile(
    r"\b(" + "|".join(m.capitalize() for m in MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?"
    r"|Oct|Nov|Dec)\.?),?\s+(\d{4})\b"
)

# A sentence that reports an agreement being made: "signed", "agreed to", "concluded" (the
# date rule and the check of a status "proposed" read it).
AGREEMENT_MADE = re.compile(
    r"\b(?:agreed|signed|signing|reached|concluded|struck|sealed|initialled|ratified|brokered)\b",
    re.IGNORECASE,
)


# --- used by extract/rules/conditions.py (the demand sweep) ---

# Not "calls for": reports use it for what an agreement provides ("the 2010 accord called
# for ..."), which would bring older agreements' terms in as demands.
# "asked for ..." and "asked the council to ..." report a demand too; "asked not to be identified"
# does not.
DEMAND_SWEEP_CUE = re.compile(
    r"\b(?:demand(?:s|ed|ing)?|insist(?:s|ed|ing)?|condition(?:s|ed)?|ultimatum|"
    r"want(?:s|ed)|sought|seek(?:s|ing)?|only if|unless|on condition|"
    r"provided(?! for)|as long as|trying to (?:secure|obtain|get)|"
    r"ask(?:s|ed)\s+(?!not\b)(?:for|(?:[\w\u2019'-]+\s+){1,3}?to))\b",
    re.IGNORECASE,
)


# --- used by extract/rules/derive.py ---

CATEGORY_PATTERNS: tuple[tuple[Category, str], ...] = (
    (
        "ceasefire",
        r"cease-?fire|truce|hostilities|stop(ping)? the (shelling|fighting|attacks)|shelling",
    ),
    ("weapons_handover", r"weapon|arms\b|arsenal|disarm|ammunition|heavy equipment"),
    ("withdrawal", r"withdraw|pull(ed|ing)? (out|back)|retreat|redeploy|evacuat"),
    ("security_guarantee", r"guarantee|protect|not be (pursued|prosecuted|arrested)|safety of"),
    (
        "amnesty_legal_status",
        r"amnesty|settle|status|pardon|prosecut|wanted|legaliz|legalis|dissident|deserter",
    ),
    ("prisoner_release", r"prisoner|detainee|captive|hostage|release"),
    ("remains_exchange", r"bodies|remains|corpse|missing person"),
    ("return_of_displaced", r"return|displaced|refugee|resettle"),
    ("freedom_of_movement", r"movement|checkpoint|roads?\b|passage|corridor|travel"),
    ("humanitarian_access", r"humanitarian|aid\b|relief|red crescent|red cross|medical|food"),
    (
        "state_institutions",
        r"institution|flag|administration|municipal|council|governance|services|election",
    ),
    ("territory_and_borders", r"border|crossing|territor|boundary|region from|area from"),
    (
        "monitoring_and_implementation",
        r"monitor|observer|military police|peacekeep|implement|commission|guarantor|verify",
    ),
    (
        "military_integration",
        r"enrol|enlist|integrat|recruit|join the (army|forces)|conscript|military service",
    ),
)

ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
)

# A lead-in that announces the agreement's terms: "Under the truce's terms:",
# "The accord provides:".
TERMS_LEAD_IN = re.compile(
    r"\b(?:terms?|agree\w*|deal|accord|provi\w+|plan|memorandum|protocol|pact|treaty|truce|"
    r"cease-?fire|points?|commit\w*|stipulat\w*|under\s+(?:it|the))\b[^\n]*:\s*$",
    re.IGNORECASE,
)

# Words without which a report describes no agreement and no proposal.
AGREEMENT_WORDS = re.compile(
    r"\b(?:agree\w*|deal|accord|truce|cease-?fire|armistice|protocol|pact|treaty|arrangement|"
    r"settlement|reconciliation|memorandum|offer\w*|propos\w*|plan|demand\w*|conditions|"
    r"ultimatum|sign(?:s|ed|ing)|signatur\w*)\b",
    re.IGNORECASE,
)

# Words that mark a sentence as reporting a demand, offer, refusal or a condition attached to
# an acceptance ("only if", "provided", "as long as") in negotiation.
DEMAND_WORDS = re.compile(
    r"\b(?:demand\w*|condition\w*|insist\w*|call(?:s|ed|ing)? for|want\w*|sought|seek\w*|"
    r"offer\w*|ultimat\w*|propos\w*|request\w*|ask\w*|press(?:es|ed|ing)? for|refus\w*|"
    r"reject\w*|only if|provided(?! for)|as long as|unless|"
    r"trying to (?:secure|obtain|get))\b",
    re.IGNORECASE,
)

# The words after which a reported demand's content begins: "demanded that <content>".
# Verbs only: the noun in "gave up the demand after ..." does not start a demand.
DEMAND_CUE = re.compile(
    r"\b(?:demanded(?: that)?|demands that|insist(?:s|ed)(?: that| on)?|want(?:s|ed)|sought|"
    r"asked for|only if|provided(?: that)?(?! for)|as long as|on condition that|unless)"
    r"\s+[\u201c\"\u2018']?",
    re.IGNORECASE,
)

AFTER_THE_DEMAND = re.compile(r"(?:from|since|during|in|at|on|for|by|of)\b", re.IGNORECASE)

# A sentence that goes on with the list before it: "The terms also cover ...".
CONTINUES = re.compile(r"\b(?:also|in addition|furthermore|as well)\b", re.IGNORECASE)


# --- used by extract/rules/proposers.py ---

# A sentence whose subject points back to an actor named before: "The movement had insisted",
# "Later, they said ...".
ANAPHOR = re.compile(
    r"\W*(?:\w+,\s+)?(?:he|she|it|they|his|her|its|their"
    r"|the\s+(?:group|movement|militia|faction|rebels|brigade|gang))\b",
    re.IGNORECASE,
)


# --- used by extract/rules/conditions.py ---

# Words of a sentence that puts terms forward rather than reporting them agreed: "the plan
# would give ...", "under the proposal ...", "the draft offers ...".
OFFER_WORDS = re.compile(
    r"\b(?:propos\w*|offer\w*|plan\b|plans\b|draft\w*|would|suggest\w*|envisag\w*)",
    re.IGNORECASE,
)


# --- used by text/segment.py ---

# Abbreviations that end in a period without ending the sentence.
ABBREVIATIONS = (
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Gen.",
    "Col.",
    "Lt.",
    "Maj.",
    "Capt.",
    "Sgt.",
    "St.",
    "U.S.",
    "U.N.",
    "No.",
    "Art.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "approx.",
    "vs.",
    "e.g.",
    "i.e.",
)

#: Words too generic to identify an actor on their own.
GENERIC = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "with",
        "government",
        "forces",
        "force",
        "army",
        "military",
        "delegation",
        "delegations",
        "opposition",
        "faction",
        "factions",
        "group",
        "groups",
        "party",
        "parties",
        "council",
        "committee",
        "police",
        "people",
        "civilian",
        "civilians",
        "representatives",
        "representative",
        "national",
        "state",
        "states",
        "leaders",
        "leader",
        "officials",
        "official",
        "side",
        "sides",
        "movement",
        "front",
        "union",
        "ministry",
        "minister",
        "local",
        "regional",
        "international",
        "armed",
        "rebels",
        "rebel",
        "fighters",
        "militia",
        "militias",
        "security",
    ]
)


# --- used by extract/rules/derive.py (numbered provisions) ---

# A sentence that opens with a numbered provision: "Article 4 obliges ...", "Under Article 6
# the army will ...", "The second provides for ...", "Under the third, the militia ...".
NUMBERED_TERM = re.compile(
    r"(?:(?P<under>Under\s+)(?:the\s+)?|The\s+)?"
    r"(?:(?:Article|Point|Clause|Paragraph|Section|Item)\s+(?P<digits>\d{1,2})\b|"
    r"(?P<ordinal>" + "|".join(ORDINALS) + r")\b(?:\s+(?:article|point|clause))?)"
    r"(?:\s+of\s+the\s+\w+)?"
    r"(?P<verb>\s+(?:provides(?:\s+for|\s+that)?|obliges|sets\s+up|creates|establishes|"
    r"allows|grants|declares|states(?:\s+that)?|requires|guarantees|commits|calls\s+for|"
    r"stipulates(?:\s+that)?|bans|forbids))?[,:]?\s+",
    re.IGNORECASE,
)


# --- used by extract/rules/actors.py (factions) ---

# Small words inside a proper name ("Front for the Liberation of ...").
NAME_JOINERS = frozenset(["of", "the", "for", "and", "de", "du", "des", "la", "al", "el"])
