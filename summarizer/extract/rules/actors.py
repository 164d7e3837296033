"""Actors: clean the model's list, find refusing actors it missed, decide each one's stance.

A single call over the whole report labels every actor "accepts" and misses those who refuse,
so stance gets a short constrained step per actor that sees only the sentences naming it, and
sentences with a word of refusal that name no known actor get a question of their own.
"""

from __future__ import annotations

import re

from summarizer.extract.lexicon import english as lexicon
from summarizer.extract.model.prompt import PromptTemplate
from summarizer.extract.model.responses import ActorDraft, DissentDraft, stance_model
from summarizer.providers import CallStats, Provider
from summarizer.record.schema import Evidence, Origin, Party, Stance
from summarizer.text.segment import Sentence, mentions, sentences_naming

STANCE_MAX_TOKENS = 24
DISSENT_MAX_TOKENS = 40
#: Sentences shown per actor in the stance step.
STANCE_SENTENCES = 8
#: Sentences with a word of refusal checked for actors the actors pass missed.
DISSENT_SENTENCES = 4


def _key(name: str) -> str:
    return " ".join(name.casefold().split()).removeprefix("the ")


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


def merge_actors(
    drafts: list[ActorDraft], source: str, *, by_alias: bool = True
) -> list[ActorDraft]:
    """Clean the model's actor list: one actor is one party, every alias is in the text.

    Two drafts merge when they have the same name, or (``by_alias``) when one's name is the
    other's alias. Then aliases the text never uses are dropped (a small model invents
    "Ugandan troops"), as are duplicates and aliases that are another party's name.
    """
    groups: list[tuple[ActorDraft, list[str]]] = []
    for draft in drafts:
        name = draft.name.strip()
        if not name:
            continue
        names = [name, *(a.strip() for a in draft.aliases if a.strip())]
        for i, (kept, kept_names) in enumerate(groups):
            kept_keys = {_key(n) for n in kept_names}
            same = _key(name) == _key(kept.name)
            if same or (
                by_alias
                and (_key(name) in kept_keys or _key(kept.name) in {_key(n) for n in names})
            ):
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


def find_dissenters(
    provider: Provider,
    prompt: PromptTemplate,
    sentences: list[Sentence],
    drafts: list[ActorDraft],
    agreement_label: str,
) -> tuple[list[ActorDraft], CallStats]:
    """Ask, for sentences with a word of refusal that name no known actor in full, who refuses.

    An answer counts only when the name stands in that sentence; it becomes an actor with
    role "opponent" whose stance the stance step then decides.
    """
    stats = CallStats()
    found: list[ActorDraft] = []
    known = [[d.name, *d.aliases] for d in drafts]
    # Sentences that name no known actor come first, then those naming one only in part
    # ("Kenyan posts" beside "Kenya"): a refusing lawmaker there is easily missed, while a
    # sentence naming a known actor in full is already read by that actor's stance step.
    strength = {
        i: max((mentions(_without_factions(s.text, names), names) for names in known), default=0)
        for i, s in enumerate(sentences)
        if lexicon.DISSENT.search(s.text)
    }
    ranked = sorted((i for i in strength if strength[i] < 2), key=lambda i: (strength[i], i))
    for sentence in [sentences[i] for i in ranked[:DISSENT_SENTENCES]]:
        messages = prompt.render(agreement=agreement_label, sentence=sentence.text)
        result = provider.structured(
            messages, DissentDraft, max_tokens=DISSENT_MAX_TOKENS, reuse_prefix=True
        )
        stats.add(result.stats)
        actor = (result.value.actor or "").strip()
        if not actor or mentions(sentence.text, [actor]) < 2:
            continue  # no one, or a name the sentence does not contain
        if any(mentions(actor, names) and not _faction_of(actor, names) for names in known):
            continue
        known.append([actor])
        found.append(
            ActorDraft(name=actor, aliases=[], role="opponent", actor_type=result.value.actor_type)
        )
    return found, stats


# Small words inside a proper name ("Front for the Liberation of ...").
_NAME_JOINERS = frozenset(["of", "the", "for", "and", "de", "du", "des", "la", "al", "el"])


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
            if any(w not in _NAME_JOINERS for w in extra):
                return True
    return False


def _without_factions(text: str, names: list[str]) -> str:
    """The sentence with every longer proper name built on one of ``names`` blanked out, so a
    faction's name does not count as naming the actor it broke from."""
    for name in names:
        for m in reversed(_extensions(text, name)):
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


def stance_sentences(sentences: list[Sentence], names: list[str]) -> list[Sentence]:
    """The sentences a stance is judged from: those naming the actor, at most eight."""
    return sentences_naming(sentences, names, STANCE_SENTENCES)


def ask_stance(
    provider: Provider,
    prompt: PromptTemplate,
    sentences: list[Sentence],
    draft: ActorDraft,
    agreement_label: str,
    allowed: tuple[Stance, ...] | None = None,
) -> tuple[Party | None, CallStats]:
    """One constrained stance step for one actor; None when no sentence names it.

    The model picks one of the sentences that name the actor (the grammar allows no other)
    and a stance (one of ``allowed`` when given); the sentence is the party's evidence.
    """
    shown = stance_sentences(sentences, [draft.name, *draft.aliases])
    if not shown:
        return None, CallStats()
    stance, evidence, stats = _stance(
        provider, prompt, draft.name, draft.aliases, shown, agreement_label, allowed
    )
    return party_of(draft, stance, evidence), stats


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


def _stance(
    provider: Provider,
    prompt: PromptTemplate,
    actor: str,
    aliases: list[str],
    shown: list[Sentence],
    agreement_label: str,
    allowed: tuple[Stance, ...] | None = None,
) -> tuple[Stance, Evidence, CallStats]:
    """Ask for one actor's stance, constrained to the sentences shown (and stances allowed)."""
    messages = prompt.render(
        agreement=agreement_label,
        actor=actor,
        aliases=aliases,
        sentences=[s.text for s in shown],
    )
    result = provider.structured(
        messages,
        stance_model(len(shown), allowed),
        max_tokens=STANCE_MAX_TOKENS,
        reuse_prefix=True,
    )
    return result.value.stance, sentence_evidence(shown[result.value.sentence - 1]), result.stats


def sentence_evidence(sentence: Sentence, origin: Origin = "model") -> Evidence:
    """A whole sentence of the source as evidence; its offsets are the segmenter's."""
    return Evidence(
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        alignment="exact",
        origin=origin,
    )


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
