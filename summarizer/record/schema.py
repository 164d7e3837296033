"""The record this tool returns: the output contract, as pydantic models.

These models are the source of truth; ``schemas/agreement.v1.json`` is generated from them
(``python -m summarizer.record.schema``) and a test fails when the two drift apart. This
module imports nothing else from the package.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.4"
#: Record versions this tool reads: 1.1 added provenance ``language`` and ``warnings``, 1.2
#: the confidence fields, 1.3 the English renderings, 1.4 the role "witness" and provenance
#: ``document_kind`` (all additive or optional), so an older record is read as it is.
READABLE_SCHEMA_VERSIONS = ("1", "1.1", "1.2", "1.3", "1.4")

Status = Literal["proposed", "signed", "in_force", "collapsed", "unclear"]
Stage = Literal[
    "pre_negotiation", "ceasefire", "partial", "comprehensive", "implementation", "renewal", "other"
]
AgreementType = Literal["interstate", "interstate_intrastate", "intrastate", "local"]
Role = Literal[
    "signatory", "negotiator", "guarantor", "mediator", "proposer", "opponent", "witness", "other"
]
ActorType = Literal["state", "rebel", "militia", "civilian", "external", "international", "other"]
Stance = Literal["accepts", "rejects", "conditional", "withdrew", "unclear"]
Outcome = Literal["accepted", "rejected", "pending", "unclear"]
Category = Literal[
    "ceasefire",
    "weapons_handover",
    "withdrawal",
    "security_guarantee",
    "amnesty_legal_status",
    "prisoner_release",
    "remains_exchange",
    "return_of_displaced",
    "freedom_of_movement",
    "humanitarian_access",
    "state_institutions",
    "territory_and_borders",
    "monitoring_and_implementation",
    "military_integration",
    "other",
]
Alignment = Literal["exact", "fuzzy"]
#: Who chose a piece of evidence: the model (its quote, aligned by the system) or a system rule.
Origin = Literal["model", "rule"]

ISO_DATE_PREFIX = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Strict):
    """A verbatim passage of the source that supports an item, located by the system."""

    quote: str = Field(description="The passage exactly as it stands in the source text.")
    start: int = Field(ge=0, description="Character offset (Python str index) where it starts.")
    end: int = Field(ge=0, description="Character offset one past its last character.")
    alignment: Alignment = Field(
        description="exact: the quote is the source text verbatim; fuzzy: the model's quote "
        "differed slightly and was aligned to the closest passage."
    )
    origin: Origin = Field(
        default="model",
        description="model: the model quoted or picked this passage; rule: a system rule chose "
        "it (a numbered provision, a sentence whose words state a stance, a demand clause).",
    )
    page: int | None = Field(
        default=None,
        ge=1,
        description="PDF sources: the page (1-based) the passage starts on; null otherwise.",
    )


SourceKind = Literal["text", "pdf", "docx", "html"]


class Source(_Strict):
    """Where the text came from: the file's kind and what its metadata or the user says of it.

    ``start``/``end`` of every evidence are offsets into the text extracted from the file,
    which is kept beside the record (``<name>.source.txt``) when it is not a plain text file.
    """

    kind: SourceKind = Field(default="text", description="text, pdf, docx or html.")
    title: str | None = Field(default=None, description="Title from the file's metadata.")
    outlet: str | None = Field(default=None, description="Publisher or site, when known.")
    url: str | None = Field(default=None, description="Where it was published, when known.")
    published: str | None = Field(
        default=None, description="Publication date as given (YYYY-MM-DD when known)."
    )
    pages: int | None = Field(default=None, description="PDF sources: number of pages.")


def _english(what: str) -> Any:
    """An optional English rendering (schema 1.3): the model's translation, marked as such."""
    return Field(
        default=None,
        description=f"The model's English translation of {what} (a machine translation, not "
        "words of the document; the original stays in its own field and every quote and "
        "offset is in the document's language). Null for a report in English, when the "
        "translation failed, or in a record made before schema 1.3.",
    )


def _confidence(what: str) -> Any:
    """An optional probability field (schema 1.2) with its description."""
    return Field(
        default=None,
        ge=0.0,
        le=1.0,
        description=f"Probability that {what}, computed by the system from the model's token "
        "probabilities of a verification question and calibrated on labelled reports (never a "
        "number the model wrote); null when the provider returned no token probabilities or "
        "the record predates schema 1.2.",
    )


class Agreement(_Strict):
    """The agreement as a whole."""

    name: str | None = Field(
        default=None, description="Name of the agreement, if the text has one."
    )
    name_en: str | None = _english("the name")
    date: str | None = Field(
        default=None,
        pattern=ISO_DATE_PREFIX,
        description="ISO 8601 prefix (YYYY, YYYY-MM or YYYY-MM-DD) only where the text supports "
        "it; a weekday alone is not a date.",
    )
    location: str | None = Field(default=None, description="Place the agreement concerns.")
    status: Status = Field(default="unclear", description="Where the agreement stands.")
    stage: Stage | None = Field(default=None, description="PA-X stage; null with no agreement.")
    agreement_type: AgreementType | None = Field(
        default=None, description="PA-X agreement type; null with no agreement."
    )
    summary: str | None = Field(
        default=None,
        description="A few short sentences the system composes from this record's grounded "
        "fields (never free model text): what was agreed, by whom, who refused or withdrew, "
        "the status. For a report not in English the terms and the name are given in their "
        "English renderings where there is one, each marked (tr.): the model's translation, "
        "see name_en and text_en. Null for an empty record.",
    )
    status_confidence: float | None = _confidence("the status is right")
    date_confidence: float | None = _confidence("the date is right (null with no date)")


class Party(_Strict):
    """An actor that negotiates, signs, guarantees, mediates, proposes, opposes or takes a stand."""

    name: str = Field(description="The actor's canonical name.")
    aliases: list[str] = Field(default_factory=list, description="Other names the text uses.")
    role: Role = Field(description="The actor's role in the agreement.")
    actor_type: ActorType = Field(description="ACLED-like actor type.")
    stance: Stance = Field(description="The actor's stance toward the agreement.")
    evidence: list[Evidence] = Field(description="Passages that support the stance.")
    confidence: float | None = _confidence("the actor belongs in the record")
    role_confidence: float | None = _confidence("the role is right")
    stance_confidence: float | None = _confidence("the stance is right")


class Article(_Strict):
    """One agreed term of the agreement."""

    number: str | None = Field(
        default=None, description="The term's number when the text gives one."
    )
    text: str = Field(description="The term, in the source's words.")
    text_en: str | None = _english("the term")
    categories: list[Category] = Field(description="PA-X-style provision tags.")
    evidence: list[Evidence] = Field(description="Passages that state the term.")
    confidence: float | None = _confidence("this is a term of the agreement")


class Condition(_Strict):
    """A demand or condition put forward by a party during negotiation."""

    text: str = Field(description="The condition, in the source's words.")
    text_en: str | None = _english("the condition")
    proposed_by: str | None = Field(description="Name of the party that put it forward.")
    outcome: Outcome = Field(description="What became of it.")
    evidence: list[Evidence] = Field(description="Passages that state the condition.")
    confidence: float | None = _confidence("this is a condition put forward")
    proposer_confidence: float | None = _confidence("the proposer is right (null with no proposer)")


class Usage(_Strict):
    """Token counts summed over every model call and every attempt."""

    prompt_tokens: int = Field(default=0, description="Prompt tokens over all attempts.")
    completion_tokens: int = Field(default=0, description="Generated tokens over all attempts.")
    total_tokens: int = Field(default=0, description="Sum of the two.")


class PromptUsage(_Strict):
    """What the calls of one prompt (a pass, or one kind of question) cost (schema 1.2)."""

    calls: int = Field(description="Model calls made with this prompt.")
    prompt_tokens: int = Field(description="Prompt tokens sent, over all attempts.")
    completion_tokens: int = Field(description="Generated tokens, over all attempts.")


class PromptRef(_Strict):
    """Which prompt template produced part of the record."""

    id: str = Field(description="Template id.")
    version: str = Field(description="Template version.")
    sha256: str = Field(description="sha256 of the template file.")


class Provenance(_Strict):
    """How the record was made, so it can be reproduced and audited."""

    provider: str = Field(description="embedded, openai or openai-compatible.")
    model: str = Field(description="Model id or GGUF metadata name.")
    model_sha256: str | None = Field(default=None, description="sha256 of a local model file.")
    base_url: str | None = Field(default=None, description="Server URL for remote providers.")
    prompts: list[PromptRef] = Field(description="Every prompt template used.")
    schema_version: str = Field(description="Version of this record schema.")
    calls: int = Field(description="Model calls made (passes and per-party steps).")
    attempts: int = Field(description="Model requests including validation re-asks.")
    usage: Usage = Field(description="Token usage summed over all attempts.")
    usage_by_prompt: dict[str, PromptUsage] = Field(
        default_factory=dict,
        description="The same per prompt id (articles, conditions, actors, the questions, "
        "verify): where the tokens go. Replayed answers count what they cost live.",
    )
    duration_s: float = Field(description="Wall time of the extraction in seconds.")
    source_sha256: str = Field(description="sha256 of the source text (UTF-8).")
    dropped_items: int = Field(
        default=0, description="Items dropped because their evidence was not in the source."
    )
    disabled_steps: list[str] = Field(
        default_factory=list,
        description="Pipeline steps switched off for this record (ablation); empty normally.",
    )
    tool_version: str = Field(description="Version of agreement-summarizer.")
    language: str | None = Field(
        default=None,
        description="ISO 639-1 code of the language the source was detected to be in "
        "(null: not told, or a record made before schema 1.1).",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What a reader should know about how the source was read (another "
        "language, rules that did not run); empty when nothing.",
    )
    confidence: str | None = Field(
        default=None,
        description="How the items' confidence was computed (the calibration used and the "
        "items kept at or above --min-confidence), or why there is none (schema 1.2).",
    )
    translation: str | None = Field(
        default=None,
        description="For a report not in English: how the English renderings (name_en, "
        "text_en) were made (the model's translation) or why there are none; null for a "
        "report in English (schema 1.3).",
    )
    document_kind: Literal["report", "agreement_text"] | None = Field(
        default=None,
        description="What the source was read as: a report about an agreement, or the "
        "agreement's own text, told from its layout (numbered provisions); its provisions "
        "are then the candidate articles, and its parties may be witnesses (schema 1.4; "
        "null in older records).",
    )


class SummaryResult(_Strict):
    """The agreement record with its provenance: what ``summarize`` returns."""

    schema_version: Literal["1", "1.1", "1.2", "1.3", "1.4"] = Field(
        default="1.4", description="Record schema version."
    )
    agreement: Agreement = Field(description="The agreement as a whole.")
    parties: list[Party] = Field(description="Every actor with a role or a stance.")
    articles: list[Article] = Field(description="The agreed terms, one per item.")
    conditions: list[Condition] = Field(description="Conditions put forward in negotiation.")
    source: Source | None = Field(
        default=None, description="The source file's kind and metadata (schema 1.1; optional)."
    )
    provenance: Provenance = Field(description="How this record was made.")


def record_json_schema() -> dict[str, object]:
    """Return the JSON Schema of the record, as committed in ``schemas/agreement.v1.json``."""
    schema = SummaryResult.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://agreement-summarizer/schemas/agreement.v1.json"
    return schema


if __name__ == "__main__":
    print(json.dumps(record_json_schema(), indent=2, ensure_ascii=False))
