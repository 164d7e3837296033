"""The pipeline, top to bottom: every model call and every rule a report goes through.

Each step is a function from draft to draft: a rule lives in ``rules/`` in the module of its
concept (``terms``, ``actors``, ``stance``, ``conditions``, ``agreement``) and never sees the
model; a model step lives in ``model/`` (``passes``, ``requote``, ``questions``) and also gets the
document's ``Calls``, the one place a model is called.
A step marked switchable can be turned off by name (``Settings.disabled_steps``), and
``summarizer eval --ablate`` measures what each one is worth on dev and on test. The other
steps are the record's contract (grounding, closed sets, assembly) and always run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, cast

from summarizer.errors import ConfigurationError
from summarizer.extract.model.calls import Calls
from summarizer.extract.model.passes import check_fits, read_actors, read_conditions, read_terms
from summarizer.extract.model.questions import ask_demands, ask_dissenters, ask_stances
from summarizer.extract.model.requote import requote_demands, requote_terms
from summarizer.extract.rules import actors, agreement, conditions, stance, terms
from summarizer.extract.rules.derive import speaks_of_an_agreement
from summarizer.extract.state import Draft
from summarizer.providers import Provider
from summarizer.text.align import SourceIndex
from summarizer.text.segment import split_sentences

#: The prompt templates the pipeline may use, in call order.
PROMPT_IDS = (
    "articles",
    "conditions",
    "fields_text",
    "actors",
    "actors_text",
    "requote",
    "dissent",
    "stance",
    "demand",
    "verify",
    "translate",
)
Rule = Callable[[Draft], Draft]
ModelStep = Callable[[Draft, Calls], Draft]


#: What a document is: a report about an agreement, or the agreement's own text.
Reads = Literal["any", "report", "agreement_text"]


@dataclass(frozen=True)
class Step:
    """One named step: a model call or a rule, whether settings may switch it off, whether
    it reads English cue words (``lexicon.english``) and so runs only on English, and which
    kind of document it reads (``reads``)."""

    name: str
    kind: Literal["model", "rule"]
    run: Rule | ModelStep
    switchable: bool
    english_only: bool = False
    reads: Reads = "any"

    def runs_on(self, agreement_text: bool) -> bool:
        """Whether the step reads this kind of document."""
        if self.reads == "any":
            return True
        return (self.reads == "agreement_text") == agreement_text

    def apply(self, draft: Draft, calls: Calls) -> Draft:
        """Run the step on a draft; a model step also gets the document's calls."""
        if self.kind == "model":
            return cast(ModelStep, self.run)(draft, calls)
        return cast(Rule, self.run)(draft)

    @property
    def summary(self) -> str:
        """The first paragraph of the step function's docstring, on one line."""
        doc = (self.run.__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split())


def _model(
    name: str,
    run: ModelStep,
    *,
    switchable: bool = False,
    english_only: bool = False,
    reads: Reads = "any",
) -> Step:
    return Step(name, "model", run, switchable, english_only, reads)


def _rule(
    name: str,
    run: Rule,
    *,
    switchable: bool = True,
    english_only: bool = False,
    reads: Reads = "any",
) -> Step:
    return Step(name, "rule", run, switchable, english_only, reads)


#: The pipeline, in order. Names are what ``disabled_steps`` and the ablation table use.
STEPS: tuple[Step, ...] = (
    # The three whole-document passes; the first computes the document's prompt prefix. An
    # agreement's own text has no terms pass: its provisions are taken from its layout.
    _model("read_terms", read_terms, reads="report"),
    _model("read_conditions", read_conditions),
    _model("read_actors", read_actors),
    _rule("ground_fields", agreement.ground_fields, switchable=False),
    # Terms.
    _rule("ground_terms", terms.ground_terms, switchable=False),
    _model("requote_terms", requote_terms, switchable=True),
    _rule("listed_terms", terms.take_listed_terms, english_only=True, reads="report"),
    _rule("numbered_terms", terms.take_numbered_terms, english_only=True, reads="report"),
    _rule("take_provisions", terms.take_provisions, switchable=False, reads="agreement_text"),
    _rule("build_articles", terms.build_articles, switchable=False),
    # Parties.
    _rule("clean_actors", actors.clean_actors, switchable=False),
    _rule("leave_out_places", actors.leave_out_places, english_only=True),
    _model("ask_dissenters", ask_dissenters, switchable=True, english_only=True, reads="report"),
    _rule("mediators_accept", stance.mediators_accept),
    _rule("stance_fits_role", stance.stance_fits_role),
    _model("ask_stances", ask_stances),
    _rule("stated_stances", stance.stated_stances, english_only=True),
    _rule("fold_spokespeople", actors.fold_spokespeople_into_parties, english_only=True),
    # Conditions.
    _rule("offer_terms", conditions.offer_terms, english_only=True, reads="report"),
    _rule("ground_conditions", conditions.ground_conditions, switchable=False),
    _model("requote_demands", requote_demands, switchable=True),
    _rule("keep_reported_demands", conditions.keep_reported_demands, english_only=True),
    _rule("build_conditions", conditions.build_conditions, switchable=False),
    _model("ask_demands", ask_demands, switchable=True, english_only=True, reads="report"),
    _rule("resolve_proposers", conditions.resolve_proposers, english_only=True),
    _rule("closed_proposers", conditions.closed_proposers, switchable=False),
    _rule("proposal_points", conditions.proposal_points, reads="agreement_text"),
    # The agreement block.
    _rule("empty_when_nothing_found", agreement.empty_when_nothing_found, switchable=False),
)

#: Steps on the whole record, after the chunks are combined (``run.extract``): "verify" asks
#: the model about every item and gives it a calibrated confidence; "translate" renders a
#: report's name, articles and conditions in English when the report is in another language.
RECORD_STEPS: tuple[str, ...] = ("verify", "translate")

#: Names of the steps settings may switch off, in pipeline order.
SWITCHABLE: tuple[str, ...] = (
    *(s.name for s in STEPS if s.switchable),
    *RECORD_STEPS,
)


#: The steps that read English cue words, in pipeline order.
ENGLISH_ONLY: tuple[str, ...] = tuple(s.name for s in STEPS if s.english_only)


def run_pipeline(
    text: str,
    provider: Provider,
    disabled: frozenset[str] = frozenset(),
    *,
    language: str | None = None,
    agreement_text: bool = False,
) -> tuple[Draft, Calls]:
    """Run every step over one document, skipping the switchable steps named in ``disabled``.

    An English report that never uses a word of agreement, proposal or demand is not sent to
    the model: its record is empty. A report in another language (``language``, its English
    name; None for English) always goes to the model, and the steps that read English cue
    words (``ENGLISH_ONLY``) are skipped: on other words they would find nothing or, worse,
    drop what the model found. An agreement's own text (``agreement_text``) runs the steps
    that read one (``Step.reads``) in place of those that read a report.

    Raises:
        ConfigurationError: ``disabled`` names a step that does not exist or cannot be off.
        InputError: the document does not fit the model's context.
        ProviderError, ExtractionError: from the provider.
    """
    unknown = sorted(disabled - set(SWITCHABLE))
    if unknown:
        raise ConfigurationError(
            f"No switchable step named {', '.join(unknown)}.",
            hint=f"Steps that can be switched off: {', '.join(SWITCHABLE)}.",
        )
    check_fits(text, provider.info.context_tokens)
    english = language is None
    calls = Calls(provider, text)
    draft = Draft(
        text=text,
        sentences=split_sentences(text),
        index=SourceIndex(text),
        language=language or "English",
        agreement_text=agreement_text,
    )
    if english and not agreement_text and not speaks_of_an_agreement(text):
        return replace(draft, agreement=agreement.empty_agreement()), calls
    for step in STEPS:
        if (
            step.name in disabled
            or (step.english_only and not english)
            or not step.runs_on(agreement_text)
        ):
            continue
        draft = step.apply(draft, calls)
    return draft, calls
