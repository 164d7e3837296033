"""Stance: which stances an actor's role leaves open, a mediator's by rule, and the stance
the words state where they define the label. The stance question itself is asked in
``model.questions.ask_stances``, over the sentences ``stance_sentences`` picks.
"""

from __future__ import annotations

import re
from dataclasses import replace

from summarizer.extract.model.responses import ActorDraft
from summarizer.extract.state import Draft
from summarizer.lexicon import english as lexicon
from summarizer.record.schema import Evidence, Party, Stance
from summarizer.text.align import sentence_evidence
from summarizer.text.segment import Sentence, mentions, sentences_naming

#: Sentences shown per actor in the stance step.
STANCE_SENTENCES = 8


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


def stance_sentences(sentences: list[Sentence], names: list[str]) -> list[Sentence]:
    """The sentences a stance is judged from: those naming the actor, at most eight."""
    return sentences_naming(sentences, names, STANCE_SENTENCES)


def party_of(draft: ActorDraft, stance: Stance, evidence: Evidence) -> Party:
    """The record's party for an actor, its stance and the evidence of it."""
    return Party(
        name=draft.name,
        aliases=draft.aliases,
        role=draft.role,
        actor_type=draft.actor_type,
        stance=stance,
        evidence=[evidence],
    )


def mediator_party(sentences: list[Sentence], draft: ActorDraft) -> Party | None:
    """A mediator accepts what it brokered: its party, evidenced by the first sentence naming it.

    Every mediator in the hand-labelled dev set accepts; not so a guarantor (a ministry that
    refuses to negotiate is called a guarantor by the model), which gets its own step.
    """
    shown = stance_sentences(sentences, [draft.name, *draft.aliases])
    if not shown:
        return None
    return party_of(draft, "accepts", sentence_evidence(shown[0], "rule"))


def stated_override(
    party: Party, sentences: list[Sentence], others: list[str]
) -> tuple[Stance, Evidence] | None:
    """The stance the words state for a party where they override the model's, if any.

    The small model reads "withdraws from the agreement" as rejection and "will abide by it
    provided ..." as acceptance; those words are the definitions of "withdrew" and
    "conditional". A walk-out the words state always wins; a stated condition wins over
    "accepts" or "unclear", never over a refusal.
    """
    names = [party.name, *party.aliases]
    stated = _stated_stance(stance_sentences(sentences, names), names, others)
    if stated is None or not (stated[0] == "withdrew" or party.stance in _OPEN_TO_IT):
        return None
    return stated[0], sentence_evidence(stated[1], "rule")


#: Stances a stated condition overrides; a refusal or a walk-out stays what it is.
_OPEN_TO_IT = ("accepts", "unclear")


def _stated_stance(
    shown: list[Sentence], names: list[str], others: list[str]
) -> tuple[Stance, Sentence] | None:
    """The stance the words of a sentence state for the actor, if any, and that sentence.

    "FVF's leader said the group withdraws from the Kessel agreement" states "withdrew";
    "The Northern Brigade would keep the truce as long as the prisoners are freed" states
    "conditional". The actor must be named before those words and no other actor with it:
    when another is named there too, whose stance it is is unclear, and the model's stands.
    A walk-out is looked for first, in every sentence, then a condition.
    """
    cues: tuple[tuple[Stance, re.Pattern[str]], ...] = (
        ("withdrew", lexicon.WALKS_OUT),
        ("conditional", lexicon.ON_CONDITION),
    )
    for label, cue_words in cues:
        for sentence in shown:
            cue = cue_words.search(sentence.text)
            if cue is None:
                continue
            before = sentence.text[: cue.start()]
            if mentions(before, names) and not mentions(before, others):
                return label, sentence
    return None
