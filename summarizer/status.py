"""The agreement's status and stage, checked against what the report and the record say.

A small model calls nearly every deal "signed", even one the report says collapsed or took
effect, and calls a village's reconciliation deal "comprehensive". The system corrects what
the report's own words, and the PA-X definitions, settle.
"""

from __future__ import annotations

from collections.abc import Iterable

from summarizer import lexicon
from summarizer.schema import AgreementType, Stage, Stance, Status


def checked_status(status: Status, stances: Iterable[Stance], source: str) -> Status:
    """The status, corrected where the report's words settle it.

    "collapsed" when a party withdrew and the report says a deal collapsed or broke down
    (both, so a broken-down older truce the report recalls does not count); else "in_force"
    for a deal the model calls "signed" that the report says took effect or came into force.
    A proposal stays a proposal.
    """
    if status in ("proposed", "unclear"):
        return status
    if "withdrew" in stances and lexicon.BROKE_DOWN.search(source):
        return "collapsed"
    if status == "signed" and lexicon.TOOK_EFFECT_PAST.search(source):
        return "in_force"
    return status


def checked_stage(stage: Stage | None, agreement_type: AgreementType | None) -> Stage | None:
    """The PA-X stage; a local agreement is never "comprehensive".

    PA-X's comprehensive stage is a framework to settle the whole conflict; an agreement
    limited to a town, valley or community settles some issues ("partial") at most.
    """
    if stage == "comprehensive" and agreement_type == "local":
        return "partial"
    return stage
