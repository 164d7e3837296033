"""Stage: the parties. The model's actor list is cleaned, refusing actors it missed are asked
for, each actor's stance is decided by a constrained step of its own (a mediator's by rule),
the stance the words state overrides where it defines the label, and spokespeople fold into
the party they speak for."""

from __future__ import annotations

from dataclasses import replace

from summarizer.extract.rules.actors import (
    ask_stance,
    drop_places,
    find_dissenters,
    fold_spokespeople,
    mediator_party,
    merge_actors,
    stated_override,
)
from summarizer.extract.state import Calls, Draft
from summarizer.record.schema import Party, Stance


def clean_actors(draft: Draft) -> Draft:
    """One name is one entry; aliases the text never uses are dropped (grounding)."""
    return replace(draft, actors=merge_actors(draft.actors, draft.text, by_alias=False))


def leave_out_places(draft: Draft) -> Draft:
    """Rule: the dateline's town or a name ending "city", "village"... is a place, not an actor."""
    return replace(draft, actors=drop_places(draft.actors, draft.text))


def ask_dissenters(draft: Draft, calls: Calls) -> Draft:
    """Model: sentences with a word of refusal that name no known actor ask who refuses."""
    extra, cost = find_dissenters(
        calls.provider, calls.prompt("dissent"), draft.sentences, draft.actors, draft.label
    )
    calls.add(cost)
    return replace(draft, actors=[*draft.actors, *merge_actors(extra, draft.text)])


def mediators_accept(draft: Draft) -> Draft:
    """Rule: a mediator accepts what it brokered, without a stance call."""
    settled = dict(draft.settled)
    for actor in draft.actors:
        if actor.role == "mediator" and actor.name not in settled:
            party = mediator_party(draft.sentences, actor)
            if party is not None:
                settled[actor.name] = party
    return replace(draft, settled=settled)


#: The stances a role leaves open, by the labelling guide's definitions: a signatory signed
#: (it may attach conditions or pull out later, but it did not refuse); an opponent stated its
#: opposition (it does not simply accept).
_STANCES_OF_ROLE: dict[str, tuple[Stance, ...]] = {
    "signatory": ("accepts", "conditional", "withdrew"),
    "opponent": ("rejects", "conditional", "withdrew", "unclear"),
}


def stance_fits_role(draft: Draft) -> Draft:
    """Rule: the stance step may only choose stances the actor's role leaves open."""
    allowed = {a.name: _STANCES_OF_ROLE[a.role] for a in draft.actors if a.role in _STANCES_OF_ROLE}
    return replace(draft, allowed_stances=allowed)


def ask_stances(draft: Draft, calls: Calls) -> Draft:
    """Model: one constrained stance step per actor not settled by a rule.

    An actor no sentence names is dropped as ungrounded. Parties keep the actors' order.
    """
    parties: list[Party] = []
    dropped = draft.dropped
    for actor in draft.actors:
        party = draft.settled.get(actor.name)
        if party is None:
            party, cost = ask_stance(
                calls.provider,
                calls.prompt("stance"),
                draft.sentences,
                actor,
                draft.label,
                draft.allowed_stances.get(actor.name),
            )
            calls.add(cost)
        if party is None:
            dropped += 1
        else:
            parties.append(party)
    return replace(draft, parties=parties, dropped=dropped)


def stated_stances(draft: Draft) -> Draft:
    """Rule: "withdraws from the agreement" is "withdrew"; "will abide provided ..." is
    "conditional", when the sentence names the party (and no other) before those words."""
    parties: list[Party] = []
    for party in draft.parties:
        if party.name in draft.settled:
            parties.append(party)
            continue
        others = [n for p in draft.parties if p is not party for n in (p.name, *p.aliases)]
        override = stated_override(party, draft.sentences, others)
        if override is not None:
            party = party.model_copy(update={"stance": override[0], "evidence": [override[1]]})
        parties.append(party)
    return replace(draft, parties=parties)


def fold_spokespeople_into_parties(draft: Draft) -> Draft:
    """Rule: a leader or envoy tied to a group ("X of the Y") with the same stance folds in."""
    return replace(draft, parties=fold_spokespeople(draft.parties, draft.text))
