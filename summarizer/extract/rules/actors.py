"""Actors: clean the model's list, pick the sentences that may name a refusing actor it
missed, and fold spokespeople into the party they speak for.

A name is one party; an alias must stand in the text; a place is not an actor; a faction
built on a known name ("Tarvo Military Council" beside "Tarvo") is another actor.
"""

from __future__ import annotations

import re
from dataclasses import replace

from summarizer.extract.model.responses import ActorDraft, DissentDraft
from summarizer.extract.state import Draft
from summarizer.lexicon import english as lexicon
from summarizer.record.schema import Party
from summarizer.text.segment import Sentence, mentions
from summarizer.text.similarity import name_key as _key

#: Sentences with a word of refusal checked for actors the actors pass missed.
DISSENT_SENTENCES = 4


def clean_actors(draft: Draft) -> Draft:
    """One name is one entry; aliases the text never uses are dropped (grounding)."""
    return replace(draft, actors=merge_actors(draft.actors, draft.text))


def leave_out_places(draft: Draft) -> Draft:
    """Rule: the dateline's town or a name ending "city", "village"... is a place, not an actor."""
    return replace(draft, actors=drop_places(draft.actors, draft.text))


def fold_spokespeople_into_parties(draft: Draft) -> Draft:
    """Rule: a leader or envoy tied to a group ("X of the Y") with the same stance folds in."""
    return replace(draft, parties=fold_spokespeople(draft.parties, draft.text))


# A dateline: the place names in capitals that open a report ("KESSEL/VARNO — ").
_DATELINE = re.compile(r"\s*([^\W\d_a-z][^,\u2014\n]*?)\s*(?:,|\u2014)")


def drop_places(drafts: list[ActorDraft], source: str) -> list[ActorDraft]:
    """Leave out "actors" that are places: the dateline's town, or a name ending "city" etc.

    A small model lists the town an agreement covers as a party ("Port Aldeno",
    "Velmora city"); a place neither negotiates nor takes a position, and each one would cost
    a stance call. A capital used for its government ("Kampala") is not a place here.
    """
    places: set[str] = set()
    if (m := _DATELINE.match(source)) and m.group(1).isupper():
        places = {_key(p) for p in m.group(1).split("/")}
    return [
        d
        for d in drafts
        if _key(d.name) not in places and not lexicon.PLACE_WORD.search(d.name.strip())
    ]


def merge_actors(drafts: list[ActorDraft], source: str) -> list[ActorDraft]:
    """Clean the model's actor list: one actor is one party, every alias is in the text.

    Two drafts with the same name merge. Then aliases the text never uses are dropped (a
    small model invents "Ugandan troops"), as are duplicates and aliases that are another
    party's name.
    """
    groups: list[tuple[ActorDraft, list[str]]] = []
    for draft in drafts:
        name = draft.name.strip()
        if not name:
            continue
        names = [name, *(a.strip() for a in draft.aliases if a.strip())]
        for i, (kept, kept_names) in enumerate(groups):
            if _key(name) == _key(kept.name):
                groups[i] = (kept, [*kept_names, *names])
                break
        else:
            groups.append((draft.model_copy(update={"name": name}), names))
    party_keys = {_key(kept.name) for kept, _ in groups}
    merged: list[ActorDraft] = []
    for kept, names in groups:
        aliases: list[str] = []
        seen = {_key(kept.name)}
        for alias in names[1:]:
            key = _key(alias)
            if key in seen or key in party_keys:
                continue
            # Whole words only: "USA" must not pass because "accused" contains "usa".
            if mentions(source, [alias]) == 2:
                aliases.append(alias)
                seen.add(key)
        merged.append(kept.model_copy(update={"aliases": aliases}))
    return merged


def dissent_sentences(sentences: list[Sentence], drafts: list[ActorDraft]) -> list[Sentence]:
    """The sentences to ask who refuses: a word of refusal and no known actor named in full.

    Sentences that name no known actor come first, then those naming one only in part
    ("Kenyan posts" beside "Kenya"): a refusing lawmaker there is easily missed, while a
    sentence naming a known actor in full is already read by that actor's stance step.
    At most ``DISSENT_SENTENCES``, in that order.
    """
    known = [[d.name, *d.aliases] for d in drafts]
    strength = {
        i: max((mentions(_without_factions(s.text, names), names) for names in known), default=0)
        for i, s in enumerate(sentences)
        if lexicon.DISSENT.search(s.text)
    }
    ranked = sorted((i for i in strength if strength[i] < 2), key=lambda i: (strength[i], i))
    return [sentences[i] for i in ranked[:DISSENT_SENTENCES]]


def dissenter_named(
    answer: DissentDraft, sentence: Sentence, known: list[list[str]]
) -> ActorDraft | None:
    """The refusing actor an answer names, or None.

    An answer counts only when the name stands in that sentence and is not a known actor (a
    faction built on a known name is another actor); it becomes an actor with role
    "opponent" whose stance the stance step then decides.
    """
    actor = (answer.actor or "").strip()
    if not actor or mentions(sentence.text, [actor]) < 2:
        return None  # no one, or a name the sentence does not contain
    if any(mentions(actor, names) and not _faction_of(actor, names) for names in known):
        return None
    return ActorDraft(name=actor, aliases=[], role="opponent", actor_type=answer.actor_type)


def _extensions(text: str, name: str) -> list[re.Match[str]]:
    """Occurrences of ``name`` that run on into more capitalised words of a longer name."""
    if not name.strip():
        return []
    tail = r"(?:\s+(?:(?:of|the|for|and|de|al)\s+)*[^\W\d_a-z][\w\u2019'-]*)+"
    return list(re.finditer(rf"\b{re.escape(name)}{tail}", text))


def _faction_of(actor: str, names: list[str]) -> bool:
    """Whether ``actor`` is a longer proper name built on one of ``names``.

    "Tarvo Military Council" is built on "Tarvo": a breakaway faction, another actor, while
    "Tarvo's leadership" or "Tarvo officials" is Tarvo itself.
    """
    for name in names:
        if not name.strip() or _key(name) == _key(actor):
            continue
        for m in _extensions(actor, name):
            extra = actor[m.start() + len(name) : m.end()].split()
            if any(w not in lexicon.NAME_JOINERS for w in extra):
                return True
    return False


def _without_factions(text: str, names: list[str]) -> str:
    """The sentence with every longer proper name built on one of ``names`` blanked out, so a
    faction's name does not count as naming the actor it broke from."""
    for name in names:
        for m in reversed(_extensions(text, name)):
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


_LINK_WINDOW = 80


def fold_spokespeople(parties: list[Party], source: str) -> list[Party]:
    """Fold a party that the text ties to another party with the same stance into its aliases.

    A small model lists a leader or envoy beside the group they speak for ("Chief Tomas
    Ravel of the Haddu", "the faction headed by Mahmud Teral"), which makes one actor
    two parties. Only a party whose stance is the same is folded: a delegate who rejects
    what their group accepted stays a party.
    """
    kept = list(parties)
    for original in parties:
        # The party as it stands now: it may have taken in aliases, or been folded already.
        person = next((p for p in kept if p.name == original.name), None)
        if person is None:
            continue
        for i, group in enumerate(kept):
            if group is person or group.stance != person.stance:
                continue
            group_names = [group.name, *group.aliases]
            if _speaks_for(source, person.name, group_names) or _led_by(
                source, group_names, [person.name, *person.aliases]
            ):
                known = {_key(n) for n in [group.name, *group.aliases]}
                extra = [n for n in [person.name, *person.aliases] if _key(n) not in known]
                kept[i] = group.model_copy(update={"aliases": [*group.aliases, *extra]})
                kept.remove(person)
                break
    return kept


def _speaks_for(source: str, name: str, group_names: list[str]) -> bool:
    """Whether the text writes ``name`` followed closely by "of/for/represents" a group name."""
    # The tie must be in the same clause: a list ("X and Y of the Z") ties only its last name.
    return _linked(source, name, lexicon.LINK, _CLAUSE_OR_LIST, 2, group_names, strength=1)


_CLAUSE = re.compile(r"[.;\n]")

_CLAUSE_OR_LIST = re.compile(r"[.;\n]|\band\b")


def _led_by(source: str, group_names: list[str], person_names: list[str]) -> bool:
    """Whether the text writes a group name followed closely by "headed/led by" the person."""
    return any(
        _linked(source, name, lexicon.LED_BY, _CLAUSE, 3, person_names, strength=2)
        for name in group_names
    )


def _linked(
    source: str,
    name: str,
    link: re.Pattern[str],
    cut: re.Pattern[str],
    words: int,
    targets: list[str],
    *,
    strength: int,
) -> bool:
    """Whether ``name`` stands in the text followed closely by ``link`` and one of ``targets``.

    The text after each occurrence of ``name`` is read up to ``_LINK_WINDOW`` characters and
    cut at the first ``cut``; a ``link`` in it must be followed, within ``words`` words, by a
    target that ``mentions`` rates at least ``strength``.
    """
    at = source.find(name)
    while at >= 0:
        after = source[at + len(name) : at + len(name) + _LINK_WINDOW]
        window = cut.split(after)[0]
        for found in link.finditer(window):
            following = " ".join(window[found.end() :].split()[:words])
            if following and mentions(following, targets) >= strength:
                return True
        at = source.find(name, at + 1)
    return False
