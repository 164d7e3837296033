"""The merged record: one agreement as several reports tell it, with every disagreement kept.

Each item lists the evidence of every report that supports it (source id plus offsets in that
report). A field the reports disagree on has no value, only each source's value, and appears
among the record's conflicts: nothing is silently resolved. ``schemas/merged.v1.json`` is
generated from these models (``python -m summarizer.record.merged``).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.record.schema import Alignment, Category, Origin

ConflictField = Literal[
    "name",
    "date",
    "location",
    "status",
    "stage",
    "agreement_type",
    "role",
    "actor_type",
    "stance",
    "proposed_by",
    "outcome",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    """One report the merged record draws on."""

    id: str = Field(description="Short id used by evidence and values: s1, s2, ...")
    record_file: str | None = Field(description="The record file it came from, if any.")
    source_sha256: str = Field(description="sha256 of the report's text.")
    report_date: str | None = Field(
        default=None, description="The report's date when the user gave one (ISO), else null."
    )


class SourcedEvidence(_Strict):
    """A passage of one report."""

    source: str = Field(description="Id of the report (see sources).")
    quote: str = Field(description="The passage, verbatim from that report.")
    start: int = Field(ge=0, description="Code-point offset in that report.")
    end: int = Field(ge=0, description="Offset one past the passage's end.")
    alignment: Alignment = Field(description="How the passage was aligned in its report.")
    origin: Origin = Field(default="model", description="Who chose the passage.")


class SourcedValue(_Strict):
    """What one report says a field is."""

    source: str = Field(description="Id of the report.")
    value: str | None = Field(description="The value that report gives.")


class SourcedConfidence(_Strict):
    """One report's confidence in an item (schema 1.2 records; see the record schema)."""

    source: str = Field(description="Id of the report.")
    confidence: float = Field(ge=0.0, le=1.0, description="That report's confidence.")


def _merged_confidence() -> Any:
    return Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="The highest confidence any report gives the item (the corroboration "
        "shows in sources, not in a number that assumes the reports independent); null when "
        "no report's record has one.",
    )


def _by_source() -> Any:
    return Field(
        default_factory=list, description="Each report's confidence, where its record has one."
    )


class MergedField(_Strict):
    """A field as the reports give it: one value when they agree, none when they conflict."""

    value: str | None = Field(
        description="The value every report that states one gives; null on a conflict."
    )
    conflict: bool = Field(description="True when the reports that state a value disagree.")
    by_source: list[SourcedValue] = Field(description="Each report's value, where it states one.")


class MergedAgreement(_Strict):
    """The agreement block across reports."""

    name: MergedField = Field(description="The agreement's name across reports.")
    date: MergedField = Field(description="The agreement's date across reports.")
    location: MergedField = Field(description="The agreement's location across reports.")
    status: MergedField = Field(description="The agreement's status across reports.")
    stage: MergedField = Field(description="The agreement's stage across reports.")
    agreement_type: MergedField = Field(
        description="The agreement's agreement type across reports."
    )


class StanceAt(_Strict):
    """A party's stance in one report, with that report's date."""

    source: str = Field(description="Id of the report.")
    report_date: str | None = Field(description="The report's date, if known.")
    stance: str = Field(description="The stance that report gives.")


class MergedParty(_Strict):
    """One actor across reports."""

    name: str = Field(description="Canonical name: the name most reports use.")
    aliases: list[str] = Field(description="Every other name any report uses.")
    role: MergedField = Field(description="The party's role across reports.")
    actor_type: MergedField = Field(description="Its actor type across reports.")
    stance: MergedField = Field(description="Its stance across reports.")
    stance_over_time: list[StanceAt] = Field(
        description="Each report's stance, ordered by report date when dates are given."
    )
    sources: list[str] = Field(description="Reports that name the party.")
    evidence: list[SourcedEvidence] = Field(description="Every report's evidence.")
    confidence: float | None = _merged_confidence()
    confidence_by_source: list[SourcedConfidence] = _by_source()


def _english() -> Any:
    """The English rendering of the item's text, as the record that gave ``text`` has it."""
    return Field(
        default=None,
        description="The model's English translation of text, from the report whose words "
        "text is (schema 1.3 records of a report not in English); null otherwise.",
    )


class MergedArticle(_Strict):
    """One agreed term across reports."""

    text: str = Field(description="The term, in the first report's words that state it.")
    text_en: str | None = _english()
    number: str | None = Field(default=None, description="Its number, when a report gives one.")
    categories: list[Category] = Field(description="Union of the reports' provision tags.")
    sources: list[str] = Field(description="Reports that state the term.")
    evidence: list[SourcedEvidence] = Field(description="Every report's evidence.")
    confidence: float | None = _merged_confidence()
    confidence_by_source: list[SourcedConfidence] = _by_source()


class MergedCondition(_Strict):
    """One condition across reports."""

    text: str = Field(description="The condition, in the first stating report's words.")
    text_en: str | None = _english()
    proposed_by: MergedField = Field(description="Who put it forward, across reports.")
    outcome: MergedField = Field(description="What became of it, across reports.")
    sources: list[str] = Field(description="Reports that state the condition.")
    evidence: list[SourcedEvidence] = Field(description="Every report's evidence.")
    confidence: float | None = _merged_confidence()
    confidence_by_source: list[SourcedConfidence] = _by_source()


class Conflict(_Strict):
    """A field the reports disagree on."""

    field: ConflictField = Field(description="Which field.")
    party: str | None = Field(description="The party (canonical name) for party fields, else null.")
    item: str | None = Field(default=None, description="The condition's text for condition fields.")
    values: list[SourcedValue] = Field(description="Each report's value.")


class MergedRecord(_Strict):
    """One agreement, from several reports' records."""

    schema_version: Literal["1", "1.1", "1.2"] = Field(
        default="1.2",
        description="Merged schema version (1.1 adds confidence, 1.2 English renderings).",
    )
    sources: list[Source] = Field(description="The reports, in the order given.")
    agreement: MergedAgreement = Field(description="The agreement block across reports.")
    parties: list[MergedParty] = Field(description="Every actor, once.")
    articles: list[MergedArticle] = Field(description="Every agreed term, once.")
    conditions: list[MergedCondition] = Field(description="Every condition, once.")
    conflicts: list[Conflict] = Field(description="Every disagreement between the reports.")
    tool_version: str = Field(description="Version of agreement-summarizer that merged them.")


def merged_json_schema() -> dict[str, object]:
    """The JSON Schema of the merged record, as committed in ``schemas/merged.v1.json``."""
    schema = MergedRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://agreement-summarizer/schemas/merged.v1.json"
    return schema


if __name__ == "__main__":
    print(json.dumps(merged_json_schema(), indent=2, ensure_ascii=False))
