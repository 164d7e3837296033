"""Each rule of the pipeline on its own: a draft in, the draft it returns checked.

Every text here is invented. Rules are pure functions of a ``Draft``; none of them may see a
provider, which the last test checks on a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from summarizer.extract.model.responses import ActorDraft, ConditionDraft, ConditionsDraft
from summarizer.extract.rules import actors, agreement, conditions, stance, terms
from summarizer.extract.state import Demand, Draft, NumberedSpan, StepOrderError
from summarizer.extract.steps import STEPS
from summarizer.record.schema import Agreement, Article, Condition, Party
from summarizer.text.align import SourceIndex, span_evidence
from summarizer.text.segment import split_sentences


def draft_of(text: str, **fields: object) -> Draft:
    """A draft of ``text`` as the pipeline starts one, with ``fields`` set."""
    draft = Draft(text=text, sentences=split_sentences(text), index=SourceIndex(text))
    return replace(draft, **fields)  # type: ignore[arg-type]


def fields(**values: object) -> ConditionsDraft:
    base: dict[str, object] = {
        "conditions": [],
        "name": None,
        "date": None,
        "location": None,
        "status": "signed",
        "stage": None,
        "agreement_type": None,
    }
    return ConditionsDraft.model_validate({**base, **values})


def actor(name: str, role: str = "signatory", aliases: list[str] | None = None) -> ActorDraft:
    return ActorDraft(name=name, aliases=aliases or [], role=role, actor_type="rebel")  # type: ignore[arg-type]


def party(text: str, name: str, stance_: str = "accepts", role: str = "signatory") -> Party:
    start = text.index(name)
    return Party(
        name=name,
        aliases=[],
        role=role,  # type: ignore[arg-type]
        actor_type="rebel",
        stance=stance_,  # type: ignore[arg-type]
        evidence=[span_evidence(text, start, start + len(name))],
    )


def agreed(status: str = "signed") -> Agreement:
    return Agreement(
        name=None,
        date=None,
        location=None,
        status=status,  # type: ignore[arg-type]
        stage=None,
        agreement_type=None,
        summary=None,
    )


def test_every_rule_of_the_pipeline_is_covered_here():
    # A rule added to STEPS without a step-level test here fails this list.
    tested = {
        "ground_fields",
        "ground_terms",
        "listed_terms",
        "numbered_terms",
        "take_provisions",
        "build_articles",
        "clean_actors",
        "leave_out_places",
        "mediators_accept",
        "stance_fits_role",
        "stated_stances",
        "fold_spokespeople",
        "offer_terms",
        "ground_conditions",
        "keep_reported_demands",
        "build_conditions",
        "resolve_proposers",
        "closed_proposers",
        "proposal_points",
        "empty_when_nothing_found",
    }
    assert {s.name for s in STEPS if s.kind == "rule"} == tested


# --- the agreement block ---


def test_ground_fields_keeps_only_what_the_text_says():
    text = "The Marvel Valley Accord was signed in Ostrava on 3 May 2011 by both sides."
    draft = draft_of(
        text,
        fields=fields(
            name="marvel valley accord", date="2011-05-03", location="Paris", status="signed"
        ),
    )
    got = agreement.ground_fields(draft).read_agreement()
    assert got.name == "Marvel Valley Accord"  # the text's spelling, not the model's
    assert got.location is None  # not in the text
    assert got.date == "2011-05-03"
    assert got.status == "signed"


def test_a_rule_that_needs_a_pass_not_yet_run_says_which():
    with pytest.raises(StepOrderError, match="read_conditions"):
        agreement.ground_fields(draft_of("Some text."))


def test_empty_when_nothing_found_clears_the_block_only_when_nothing_is_grounded():
    draft = draft_of("Talks went on.", agreement=agreed("in_force"))
    assert agreement.empty_when_nothing_found(draft).read_agreement().status == "unclear"
    with_party = replace(draft, parties=[party("Talks went on.", "Talks")])
    assert agreement.empty_when_nothing_found(with_party).read_agreement().status == "in_force"


# --- terms ---


def test_ground_terms_drops_invented_quotes_and_splits_at_sentence_ends():
    text = "Fighters will leave the bridge by noon. Prisoners will be freed within a week."
    quotes = [
        "Fighters will leave the bridge by noon. Prisoners will be freed within a week.",
        "roads will be paved with gold",
    ]
    got = terms.ground_terms(draft_of(text, term_quotes=quotes))
    assert [ev.quote for ev in got.term_spans] == [
        "Fighters will leave the bridge by noon.",
        "Prisoners will be freed within a week.",
    ]
    assert got.dropped == 1


def test_listed_terms_takes_each_item_under_a_lead_in():
    text = (
        "Under the terms of the truce:\n"
        "- fighters withdraw from the old mill road\n"
        "- detainees are exchanged through the elders\n"
        "Residents were cautious."
    )
    got = terms.take_listed_terms(draft_of(text))
    quotes = [ev.quote for ev in got.term_spans]
    assert any("old mill road" in q for q in quotes)
    assert any("detainees are exchanged" in q for q in quotes)
    assert all(ev.origin == "rule" for ev in got.term_spans)


def test_numbered_terms_are_taken_whole_and_model_quotes_inside_them_left_out():
    text = (
        "Article 1 obliges the militia to leave the market town. "
        "Article 2 provides for a joint patrol on the river road."
    )
    inside = span_evidence(text, text.index("leave"), text.index(" the market"))
    got = terms.take_numbered_terms(draft_of(text, term_spans=[inside]))
    assert [n.number for n in got.numbered] == ["1", "2"]
    assert got.term_spans == []


def test_take_provisions_takes_each_numbered_paragraph_of_an_agreement_text():
    text = (
        "AGREEMENT\n\nRecalling the talks of May,\n\nArticle 1\n"
        "The Parties shall cease fire from midnight on the day of signature.\n\n"
        "Article 2\n2.1 Each Party shall free its prisoners within ten days of signature.\n"
    )
    got = terms.take_provisions(draft_of(text, agreement_text=True)).numbered
    assert [n.number for n in got] == ["1", "2.1"]
    assert text[got[1].start : got[1].end].startswith("2.1 Each Party shall free")


def test_proposal_points_makes_a_proposals_articles_its_issuers_conditions():
    text = "1. The Front proposes that both sides cease fire at once and free all detainees."
    article = Article(
        number="1",
        text=text,
        categories=[],
        evidence=[span_evidence(text, 0, len(text), "exact", "rule")],
    )
    issuer = party(text, "The Front", role="proposer")
    proposal = draft_of(
        text, articles=[article], parties=[issuer], fields=fields(status="proposed")
    )
    got = conditions.proposal_points(proposal)
    assert got.articles == []
    assert [(c.text, c.proposed_by, c.outcome) for c in got.conditions] == [
        (text, "The Front", "pending")
    ]
    # An agreement the parties concluded keeps its articles.
    signed = replace(proposal, fields=fields(status="signed"))
    assert conditions.proposal_points(signed) == signed


def test_build_articles_orders_numbered_and_model_terms_by_position():
    text = "A joint patrol will start. Article 3 obliges both sides to free all detainees."
    start = text.index("both sides")
    model_term = span_evidence(text, 0, len("A joint patrol will start"))
    draft = draft_of(
        text,
        numbered=[NumberedSpan("3", start, len(text) - 1)],
        term_spans=[model_term],
    )
    got = terms.build_articles(draft).articles
    assert [a.number for a in got] == [None, "3"]
    assert got[1].evidence[0].origin == "rule"
    assert "prisoner_release" in got[1].categories


# --- actors and stance ---


def test_clean_actors_merges_one_name_and_drops_aliases_the_text_never_uses():
    text = "The Lowland Front signed. The Front's envoy spoke."
    drafts = [
        actor("Lowland Front", aliases=["the Front", "Highland Army"]),
        actor("Lowland Front"),
    ]
    got = actors.clean_actors(draft_of(text, actors=drafts)).actors
    assert [a.name for a in got] == ["Lowland Front"]
    assert got[0].aliases == ["the Front"]


def test_leave_out_places_drops_the_dateline_town():
    text = "KORVA \u2014 The Korva council and the River Guard agreed a truce."
    drafts = [actor("Korva"), actor("River Guard")]
    got = actors.leave_out_places(draft_of(text, actors=drafts)).actors
    assert [a.name for a in got] == ["River Guard"]


def test_mediators_accept_settles_a_mediator_without_a_question():
    text = "Elder Council mediated the talks. The Hill Brigade signed."
    drafts = [actor("Elder Council", role="mediator"), actor("Hill Brigade")]
    got = stance.mediators_accept(draft_of(text, actors=drafts))
    assert list(got.settled) == ["Elder Council"]
    assert got.settled["Elder Council"].stance == "accepts"


def test_stance_fits_role_opens_only_the_stances_a_role_allows():
    drafts = [
        actor("North Guard"),
        actor("Dune Party", role="opponent"),
        actor("Aid Office", "other"),
    ]
    got = stance.stance_fits_role(draft_of("Text.", actors=drafts)).allowed_stances
    assert "rejects" not in got["North Guard"]
    assert "accepts" not in got["Dune Party"]
    assert "Aid Office" not in got


def test_stated_stances_a_stated_walk_out_overrides_the_model():
    text = "The Hill Brigade said it withdraws from the agreement after the shelling."
    draft = draft_of(text, parties=[party(text, "Hill Brigade", "rejects")])
    got = stance.stated_stances(draft).parties
    assert got[0].stance == "withdrew"
    assert got[0].evidence[0].origin == "rule"


def test_fold_spokespeople_folds_a_leader_into_the_group_with_the_same_stance():
    text = "Commander Ilan Voss of the Hill Brigade welcomed the deal. The Hill Brigade signed."
    parties = [party(text, "Hill Brigade"), party(text, "Ilan Voss")]
    got = actors.fold_spokespeople_into_parties(draft_of(text, parties=parties)).parties
    assert [p.name for p in got] == ["Hill Brigade"]
    assert "Ilan Voss" in got[0].aliases


# --- conditions ---


def test_offer_terms_moves_offered_terms_to_pending_conditions():
    text = "The envoy proposes that both armies would pull back five kilometres."
    art = Article(
        number=None,
        text="both armies would pull back five kilometres",
        categories=["withdrawal"],
        evidence=[span_evidence(text, text.index("both"), len(text) - 1)],
    )
    draft = draft_of(text, agreement=agreed("proposed"), articles=[art])
    got = conditions.offer_terms(draft)
    assert got.articles == []
    assert [c.outcome for c in got.conditions] == ["pending"]


def test_ground_conditions_keeps_one_span_per_demand():
    text = "The Hill Brigade demanded the release of its fighters."
    cond = ConditionDraft(quote="the release of its fighters", by="Hill Brigade", outcome="pending")
    invented = ConditionDraft(quote="a seat in parliament", by="x", outcome="pending")
    got = conditions.ground_conditions(draft_of(text, fields=fields(conditions=[cond, invented])))
    assert [d.evidence.quote for d in got.demand_spans] == ["the release of its fighters"]
    assert got.dropped == 1


def _demand(text: str, quote: str, by: str = "Hill Brigade") -> Demand:
    start = text.index(quote)
    answer = ConditionDraft(quote=quote, by=by, outcome="pending")
    return Demand(answer, span_evidence(text, start, start + len(quote)))


def test_keep_reported_demands_drops_spans_whose_sentence_reports_no_demand():
    text = "The Hill Brigade demanded an amnesty. The market reopened on Monday."
    spans = [_demand(text, "an amnesty"), _demand(text, "The market reopened")]
    got = conditions.keep_reported_demands(draft_of(text, demand_spans=spans))
    assert [d.evidence.quote for d in got.demand_spans] == ["an amnesty"]


def test_build_conditions_names_the_proposer_only_when_it_is_a_party():
    text = "The Hill Brigade demanded an amnesty."
    draft = draft_of(
        text, demand_spans=[_demand(text, "an amnesty")], parties=[party(text, "Hill Brigade")]
    )
    got = conditions.build_conditions(draft).conditions
    assert [(c.text, c.proposed_by) for c in got] == [("an amnesty", "Hill Brigade")]


def test_resolve_proposers_takes_the_party_named_before_the_demand():
    text = "The Hill Brigade demanded an amnesty."
    start = text.index("an amnesty")
    cond = Condition(
        text="an amnesty",
        proposed_by=None,
        outcome="pending",
        evidence=[span_evidence(text, start, start + len("an amnesty"))],
    )
    draft = draft_of(text, conditions=[cond], parties=[party(text, "Hill Brigade")])
    assert conditions.resolve_proposers(draft).conditions[0].proposed_by == "Hill Brigade"


def test_closed_proposers_never_keeps_a_name_that_is_not_a_party():
    text = "The Hill Brigade demanded an amnesty."
    cond = Condition(
        text="an amnesty",
        proposed_by="Someone Else",
        outcome="pending",
        evidence=[span_evidence(text, 27, 37)],
    )
    draft = draft_of(text, conditions=[cond], parties=[party(text, "Hill Brigade")])
    assert conditions.closed_proposers(draft).conditions[0].proposed_by is None


# --- layering ---


def test_the_rules_import_nothing_that_calls_a_model():
    modules = ", ".join(
        f"summarizer.extract.rules.{m}"
        for m in ("actors", "agreement", "conditions", "dates", "derive", "proposers", "stance")
    )
    code = (
        f"import sys, {modules}, summarizer.extract.rules.terms\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('openai', 'instructor', 'xllamacpp') or m.startswith("
        "('summarizer.providers', 'summarizer.extract.model.calls', 'summarizer.api')))\n"
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
