"""Actors: clean the model's list, find refusing actors it missed, decide each one's stance.

A single call over the whole report labels every actor "accepts" and misses those who refuse,
so stance gets a short constrained step per actor that sees only the sentences naming it, and
sentences with a word of refusal that name no known actor get a question of their own.
"""

from __future__ import annotations

import re

from summarizer.drafts import ActorDraft, DissentDraft, stance_model
from summarizer.prompt import PromptTemplate
from summarizer.providers import CallStats, Provider
from summarizer.schema import Evidence, Party, Stance
from summarizer.segment import Sentence, mentions, sentences_naming

STANCE_MAX_TOKENS = 24
DISSENT_MAX_TOKENS = 40
#: Sentences shown per actor in the stance step.
STANCE_SENTENCES = 8
#: Sentences with a word of refusal checked for actors the actors pass missed.
DISSENT_SENTENCES = 4
_DISSENT = re.compile(
    r"\b(?:reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|denounc(?:e|es|ed|ing)|oppos(?:e|es|ed|ing)|"
    r"boycott(?:s|ed|ing)?|walk(?:s|ed)? out|walked away|withdr(?:ew|awn)|pull(?:s|ed)? out|"
    r"disown(?:s|ed)?|condemn(?:s|ed)?|capitulation|betrayal|treason|not (?:a )?party to)\b",
    re.IGNORECASE,
)


def _key(name: str) -> str:
    return " ".join(name.casefold().split()).removeprefix("the ")


def merge_actors(drafts: list[ActorDraft], source: str) -> list[ActorDraft]:
    """Clean the model's actor list: one actor is one party, every alias is in the text.

    Two drafts merge when one's name is the other's name or alias. Then aliases the text never
    uses are dropped (a small model invents "Syrian troops"), as are duplicates and aliases
    that are another party's name.
    """
    groups: list[tuple[ActorDraft, list[str]]] = []
    for draft in drafts:
        name = draft.name.strip()
        if not name:
            continue
        names = [name, *(a.strip() for a in draft.aliases if a.strip())]
        for i, (kept, kept_names) in enumerate(groups):
            kept_keys = {_key(n) for n in kept_names}
            if _key(name) in kept_keys or _key(kept.name) in {_key(n) for n in names}:
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
    # ("Tajik posts" beside "Tajikistan"): a refusing lawmaker there is easily missed, while a
    # sentence naming a known actor in full is already read by that actor's stance step.
    strength = {
        i: max((mentions(s.text, names) for names in known), default=0)
        for i, s in enumerate(sentences)
        if _DISSENT.search(s.text)
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
        if any(mentions(actor, names) for names in known):
            continue
        known.append([actor])
        found.append(
            ActorDraft(name=actor, aliases=[], role="opponent", actor_type=result.value.actor_type)
        )
    return found, stats


def decide_stances(
    provider: Provider,
    prompt: PromptTemplate,
    sentences: list[Sentence],
    drafts: list[ActorDraft],
    agreement_label: str,
) -> tuple[list[Party], int, CallStats]:
    """One constrained stance step per actor; returns the parties, actors dropped, and cost.

    An actor no sentence names is dropped as ungrounded. The sentence the model picks is the
    party's evidence.
    """
    stats = CallStats()
    parties: list[Party] = []
    dropped = 0
    for draft in drafts:
        shown = sentences_naming(sentences, [draft.name, *draft.aliases], STANCE_SENTENCES)
        if not shown:
            dropped += 1
            continue
        stance, evidence, step = _stance(
            provider, prompt, draft.name, draft.aliases, shown, agreement_label
        )
        stats.add(step)
        parties.append(
            Party(
                name=draft.name,
                aliases=draft.aliases,
                role=draft.role,
                actor_type=draft.actor_type,
                stance=stance,
                evidence=[evidence],
            )
        )
    return parties, dropped, stats


def _stance(
    provider: Provider,
    prompt: PromptTemplate,
    actor: str,
    aliases: list[str],
    shown: list[Sentence],
    agreement_label: str,
) -> tuple[Stance, Evidence, CallStats]:
    """Ask for one actor's stance, constrained to the sentences shown."""
    messages = prompt.render(
        agreement=agreement_label,
        actor=actor,
        aliases=aliases,
        sentences=[s.text for s in shown],
    )
    result = provider.structured(
        messages, stance_model(len(shown)), max_tokens=STANCE_MAX_TOKENS, reuse_prefix=True
    )
    chosen = shown[result.value.sentence - 1]
    evidence = Evidence(quote=chosen.text, start=chosen.start, end=chosen.end, alignment="exact")
    return result.value.stance, evidence, result.stats


def resolve_party(name: str, parties: list[Party]) -> str | None:
    """The canonical name of the party a free-text proposer refers to, else the text itself."""
    wanted = name.strip()
    if not wanted:
        return None
    best, best_score = None, 0
    for party in parties:
        score = mentions(wanted, [party.name, *party.aliases])
        if score > best_score:
            best, best_score = party.name, score
    return best or wanted
