"""Crosswalk from the record's closed sets to PA-X codes (Peace Agreements Database, University
of Edinburgh), so an exported table can be set beside PA-X rows.

The codes are the values and column names of the PA-X dataset (codebook v3, checked against
the v3 and v6 data files; the README's crosswalk table gives each mapping with its reasoning
and how close it is). A category maps to the PA-X provision columns that code the same
subject; a PA-X column is read as "present" (PA-X scores some 0-3 by depth, which a record
does not measure). "other" has no PA-X column.
"""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.record.schema import AgreementType, Category, Stage

#: Our stage -> PA-X ``Stage``. PA-X files a ceasefire's renewal under ``Cea``, which a record
#: cannot tell from another renewal, so "renewal" is ``Ren``.
STAGE: dict[Stage, str] = {
    "pre_negotiation": "Pre",
    "ceasefire": "Cea",
    "partial": "SubPar",
    "comprehensive": "SubComp",
    "implementation": "Imp",
    "renewal": "Ren",
    "other": "Oth",
}

#: Our agreement type -> PA-X ``Agtp``.
AGREEMENT_TYPE: dict[AgreementType, str] = {
    "interstate": "Inter",
    "interstate_intrastate": "InterIntra",
    "intrastate": "Intra",
    "local": "IntraLocal",
}

#: Our provision category -> the PA-X provision columns that code its subject.
PROVISIONS: dict[Category, tuple[str, ...]] = {
    "ceasefire": ("Ce",),
    "weapons_handover": ("DdrDemil", "SsrDdr"),
    "withdrawal": ("SsrFf",),
    "security_guarantee": ("SsrGua",),
    "amnesty_legal_status": ("TjAm",),
    "prisoner_release": ("TjPrire",),
    "remains_exchange": ("TjMis",),
    "return_of_displaced": ("GRef",),
    "freedom_of_movement": ("CprFmov", "HrMob"),
    "humanitarian_access": ("DevHum", "HrMob"),
    "state_institutions": ("Pol",),
    "territory_and_borders": ("StBor",),
    "monitoring_and_implementation": ("ImPK", "ImE"),
    "military_integration": ("MpsMe",),
    "other": (),
}


def provision_codes(categories: Iterable[Category]) -> str | None:
    """The PA-X provision columns of some categories, each once, in the order the categories
    give them, as a ``; ``-joined cell (None when none maps)."""
    codes: list[str] = []
    for category in categories:
        codes += [c for c in PROVISIONS[category] if c not in codes]
    return "; ".join(codes) or None
