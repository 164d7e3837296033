"""Short constrained questions, one per sentence or per actor, after the three passes.

A single pass over a whole report labels every actor "accepts", misses actors who refuse and
returns agreed terms where demands were asked for. So each actor's stance, each sentence with
a word of refusal that names no known actor, and each sentence with a word of demand that no
condition covers gets a question of its own. Which sentences are asked and which answers
count is decided by rules (``rules.actors``, ``rules.stance``, ``rules.conditions``); this
module only asks.
"""

from __future__ import annotations

from dataclasses import replace

from summarizer.extract.model.calls import Calls
from summarizer.extract.model.responses import DemandDraft, DissentDraft, stance_model
from summarizer.extract.rules.actors import dissent_sentences, dissenter_named, merge_actors
from summarizer.extract.rules.conditions import demand_evidence, demand_sentences
from summarizer.extract.rules.proposers import party_meant
from summarizer.extract.rules.stance import party_of, stance_sentences
from summarizer.extract.state import Demand, Draft
from summarizer.record.schema import Condition, Party
from summarizer.text.align import sentence_evidence

STANCE_MAX_TOKENS = 24
DISSENT_MAX_TOKENS = 40
DEMAND_MAX_TOKENS = 120


def ask_dissenters(draft: Draft, calls: Calls) -> Draft:
    """Model: sentences with a word of refusal that name no known actor ask who refuses."""
    template = calls.prompt("dissent")
    known = [[d.name, *d.aliases] for d in draft.actors]
    found = []
    for sentence in dissent_sentences(draft.sentences, draft.actors):
        answer = calls.ask_about(
            template,
            DissentDraft,
            DISSENT_MAX_TOKENS,
            agreement=draft.label,
            sentence=sentence.text,
        )
        actor = dissenter_named(answer, sentence, known)
        if actor is not None:
            known.append([actor.name])
            found.append(actor)
    return replace(draft, actors=[*draft.actors, *merge_actors(found, draft.text)])


def ask_stances(draft: Draft, calls: Calls) -> Draft:
    """Model: one constrained stance step per actor not settled by a rule.

    The model picks one of the sentences that name the actor (the grammar allows no other)
    and a stance (one the actor's role leaves open, when a rule said so); the sentence is the
    party's evidence. An actor no sentence names is dropped as ungrounded. Parties keep the
    actors' order.
    """
    parties: list[Party] = []
    dropped = draft.dropped
    for actor in draft.actors:
        party = draft.settled.get(actor.name)
        if party is None:
            template = calls.prompt("stance")
            shown = stance_sentences(draft.sentences, [actor.name, *actor.aliases])
            if shown:
                answer = calls.ask_about(
                    template,
                    stance_model(len(shown), draft.allowed_stances.get(actor.name)),
                    STANCE_MAX_TOKENS,
                    agreement=draft.label,
                    actor=actor.name,
                    aliases=actor.aliases,
                    sentences=[s.text for s in shown],
                )
                evidence = sentence_evidence(shown[answer.sentence - 1])
                party = party_of(actor, answer.stance, evidence)
        if party is None:
            dropped += 1
        else:
            parties.append(party)
    return replace(draft, parties=parties, dropped=dropped)


def ask_demands(draft: Draft, calls: Calls) -> Draft:
    """Model: sentences with a word of demand that no condition covers ask which demand.

    An answer counts only where its demand stands in the sentence (see ``demand_evidence``).
    """
    covered = [(c.evidence[0].start, c.evidence[0].end) for c in draft.conditions]
    asked = demand_sentences(draft.sentences, covered)
    template = calls.prompt("demand")
    demands: list[Demand] = []
    for sentence in asked:
        answer = calls.ask_about(
            template, DemandDraft, DEMAND_MAX_TOKENS, agreement=draft.label, sentence=sentence.text
        )
        evidence = demand_evidence(answer, sentence)
        if evidence is not None:
            demands.append(Demand(answer, evidence))
    added = [
        Condition(
            text=d.evidence.quote,
            proposed_by=party_meant(d.answer.by, draft.parties),
            outcome=d.answer.outcome,
            evidence=[d.evidence],
        )
        for d in demands
    ]
    return replace(
        draft,
        conditions=[*draft.conditions, *added],
        demand_spans=[*draft.demand_spans, *demands],
    )
