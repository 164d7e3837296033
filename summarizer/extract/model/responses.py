"""What the model is asked to write: lean response models, one per pass.

These are kept apart from the record (``schema``): the model writes only what the system cannot
derive. Offsets, alignment, article numbers, categories, canonical proposer names and provenance
are the system's. Every generated token costs about 45 ms on the embedded model, so field names
are short and there are no free-text fields the record does not need.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.record.schema import ActorType, AgreementType, Outcome, Role, Stage, Stance, Status


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Caps on lists and strings become part of the grammar the runtime enforces, so a small model
# that starts repeating itself is stopped by the schema instead of running to max_tokens.
QUOTE_CHARS = 250
NAME_CHARS = 80
MAX_ARTICLES = 16
MAX_CONDITIONS = 12
# An agreement rarely has more than a handful of parties; past eight, a small model's list is
# mostly bystanders, and every actor costs a stance call.
MAX_ACTORS = 8
#: A long report (an analysis piece, a statement quoted at length) states more terms and names
#: more actors than a wire story: past this many words the list caps are raised by half.
LONG_REPORT_WORDS = 1200
LONG_FACTOR = 1.5
MAX_ALIASES = 6
#: An agreement's own text names every party in its signature block: a cessation of
#: hostilities among many movements may have twenty signatories and their witnesses.
MAX_TEXT_ACTORS = 24

#: The roles the actors pass on a news report may give. ``witness`` is not among them: the
#: labelling guide codes a witness in a report as ``other``; the pass on an agreement's own
#: text, whose signature block says who witnesses, has it (``TextActorDraft``).
ReportRole = Literal[
    "signatory", "negotiator", "guarantor", "mediator", "proposer", "opponent", "other"
]


class TermDraft(_Draft):
    """One agreed term, as the shortest verbatim passage that states it."""

    quote: str = Field(
        max_length=QUOTE_CHARS, description="Exact words from the report stating this one term."
    )


class ConditionDraft(_Draft):
    """One demand put forward in negotiation."""

    quote: str = Field(
        max_length=QUOTE_CHARS, description="Exact words from the report stating this one demand."
    )
    by: str = Field(max_length=NAME_CHARS, description="Who put it forward.")
    outcome: Outcome = Field(description="accepted, rejected, pending or unclear.")


class ArticlesDraft(_Draft):
    """Pass 1: the agreed terms, one quote per term."""

    terms: list[TermDraft] = Field(
        max_length=MAX_ARTICLES, description="Agreed terms, one item per term."
    )


class ConditionsDraft(_Draft):
    """Pass 2: the conditions put forward, and the agreement fields."""

    conditions: list[ConditionDraft] = Field(
        max_length=MAX_CONDITIONS, description="Demands or offers, one item each."
    )
    name: str | None = Field(max_length=NAME_CHARS, description="The agreement's name, or null.")
    date: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY as stated, else null.")
    location: str | None = Field(
        max_length=NAME_CHARS, description="Place the agreement concerns, or null."
    )
    status: Status
    stage: Stage | None
    agreement_type: AgreementType | None


class TextFieldsDraft(ConditionsDraft):
    """Pass 2 on an agreement's own text: the agreement's fields only. Its demands are not
    asked for (the list's cap of 0 makes the grammar close it at once): the system reads the
    provisions from the text's layout, and a proposal's points are its conditions."""

    conditions: list[ConditionDraft] = Field(max_length=0, description="Always empty.")


class ActorDraft(_Draft):
    """One actor, under every name the report uses for it."""

    name: str = Field(
        max_length=NAME_CHARS, description="The actor's name as the report writes it."
    )
    aliases: list[str] = Field(
        max_length=MAX_ALIASES, description="Other names the report uses for the same actor."
    )
    role: ReportRole
    actor_type: ActorType


class ActorsDraft(_Draft):
    """Pass 3: the actors."""

    parties: list[ActorDraft] = Field(max_length=MAX_ACTORS)


class TextActorDraft(ActorDraft):
    """One party of an agreement's own text: any role, ``witness`` too."""

    role: Role  # type: ignore[assignment]


class TextActorsDraft(_Draft):
    """Pass 3 on an agreement's own text: its parties."""

    parties: list[TextActorDraft] = Field(max_length=MAX_TEXT_ACTORS)


class DissentDraft(_Draft):
    """Per dissent sentence: the actor that refuses or walks out, if any."""

    actor: str | None = Field(max_length=NAME_CHARS)
    actor_type: ActorType


class DemandDraft(_Draft):
    """Per demand sentence: the demand it reports, if any."""

    demand: str | None = Field(max_length=QUOTE_CHARS)
    by: str = Field(max_length=NAME_CHARS)
    outcome: Outcome


class StanceDraft(_Draft):
    """Per-actor step: the sentence that shows the stance, then the stance."""

    sentence: int
    stance: Stance


def stance_model(
    sentence_count: int, stances: tuple[Stance, ...] | None = None
) -> type[StanceDraft]:
    """A StanceDraft whose ``sentence`` may only be one of the numbered sentences shown, and
    whose ``stance`` only one of ``stances`` when given.

    Constraining the number in the schema means the runtime's grammar cannot pick a sentence
    that was not offered, so the evidence is always one the system can locate.
    """
    choices = tuple(range(1, sentence_count + 1))
    field_type = Literal[choices]  # type: ignore[valid-type]
    fields: dict[str, Any] = {"sentence": (field_type, ...)}
    if stances is not None:
        fields["stance"] = (Literal[stances], ...)
    model: type[StanceDraft] = create_model("StanceDraft", __base__=StanceDraft, **fields)
    return model


def scaled(model: type[BaseModel], field: str, cap: int) -> type[BaseModel]:
    """``model`` with the list ``field`` capped at ``cap`` items (same name and description).

    Used for long reports; short ones keep the fixed models, so their requests stay the same.
    """
    annotation = model.model_fields[field].annotation
    description = model.model_fields[field].description
    definitions: dict[str, Any] = {
        field: (annotation, Field(max_length=cap, description=description))
    }
    return create_model(model.__name__, __base__=model, __doc__=model.__doc__, **definitions)
