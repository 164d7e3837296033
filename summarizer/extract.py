"""The extraction pipeline: passes over the document, then grounding and assembly.

Pass 1 (``terms``) asks for the agreed terms and the conditions as verbatim quotes plus the
agreement fields; pass 2 (``actors``) lists the actors with names, aliases, role and type. Then
one short constrained step per actor picks its stance from the sentences that name it: a single
call over the whole report labels every actor "accepts", so stance gets its own focused step.
The system then aligns every quote to the source, drops what it cannot find, merges duplicate
actors, and derives numbers, categories and the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summarizer.derive import (
    article_number,
    categories_for,
    split_enumeration,
    supported_date,
)
from summarizer.drafts import ActorDraft, ActorsDraft, DissentDraft, TermsDraft, stance_model
from summarizer.errors import InputError
from summarizer.ground import SourceIndex
from summarizer.prompt import PromptTemplate, load_prompt
from summarizer.providers import CallStats, Provider
from summarizer.schema import (
    Agreement,
    Article,
    Condition,
    Evidence,
    Party,
    PromptRef,
    Stance,
)
from summarizer.segment import Sentence, mentions, sentences_naming, split_sentences

#: The prompt templates the pipeline uses, in call order.
PROMPT_IDS = ("terms", "actors", "dissent", "stance")

#: Generation caps per call; grammar-constrained output ends well before these.
TERMS_MAX_TOKENS = 1500
ACTORS_MAX_TOKENS = 700
STANCE_MAX_TOKENS = 24
#: Sentences shown per actor in the stance step.
STANCE_SENTENCES = 8
DISSENT_MAX_TOKENS = 40
#: Sentences with a word of refusal checked for actors the actors pass missed.
DISSENT_SENTENCES = 4
# Words of refusal or walking out. A single call over the whole report tends to miss the actors
# who refuse, so sentences with these words get a question of their own.
_DISSENT = re.compile(
    r"\b(?:reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|denounc(?:e|es|ed|ing)|oppos(?:e|es|ed|ing)|"
    r"boycott(?:s|ed|ing)?|walk(?:s|ed)? out|walked away|withdr(?:ew|awn)|pull(?:s|ed)? out|"
    r"disown(?:s|ed)?|condemn(?:s|ed)?|capitulation|betrayal|treason|not (?:a )?party to)\b",
    re.IGNORECASE,
)
#: Tokens reserved in the context for instructions and the answer.
_RESERVED_TOKENS = 2200
#: A conservative characters-per-token figure for English news text.
_CHARS_PER_TOKEN = 3.0


@dataclass
class Extraction:
    """What the pipeline found, before provenance is attached."""

    agreement: Agreement
    parties: list[Party]
    articles: list[Article]
    conditions: list[Condition]
    prompts: list[PromptRef]
    stats: CallStats = field(default_factory=CallStats)
    dropped: int = 0


def _prompt_document(text: str) -> str:
    """The document as placed in a prompt: tags that would close the data block are defused."""
    return text.replace("<report>", "(report)").replace("</report>", "(/report)")


def check_fits(text: str, context_tokens: int | None) -> None:
    """Refuse a document too long for the model's context (chunking is not built yet).

    Raises:
        InputError: the estimated token count exceeds what the context leaves for the text.
    """
    if context_tokens is None:
        return
    budget = context_tokens - _RESERVED_TOKENS
    estimate = int(len(text) / _CHARS_PER_TOKEN)
    if estimate > budget:
        raise InputError(
            f"The document is about {estimate:,} tokens; the model's context leaves room for "
            f"{budget:,}.",
            hint="Split the report, or use a provider with a longer context.",
        )


def extract(text: str, provider: Provider) -> Extraction:
    """Run every pass over one document and assemble the grounded parts of the record.

    Raises:
        InputError: the document does not fit the model's context.
        ProviderError, ExtractionError, ConfigurationError: from the provider.
    """
    check_fits(text, provider.info.context_tokens)
    index = SourceIndex(text)
    stats = CallStats()
    document = _prompt_document(text)

    terms_prompt = load_prompt("terms")
    # The first call recomputes its prompt from scratch; later calls reuse the cached prefix
    # (system message + report), which is then the same on every run: fast and repeatable.
    terms = provider.structured(
        terms_prompt.render(document=document), TermsDraft, max_tokens=TERMS_MAX_TOKENS
    )
    stats.add(terms.stats)
    actors_prompt = load_prompt("actors")
    actors = provider.structured(
        actors_prompt.render(document=document),
        ActorsDraft,
        max_tokens=ACTORS_MAX_TOKENS,
        reuse_prefix=True,
    )
    stats.add(actors.stats)

    dropped = 0
    articles: list[Article] = []
    seen_spans: set[tuple[int, int]] = set()
    for term in terms.value.articles:
        spans = _term_spans(index, term.quote, seen_spans)
        dropped += spans is None
        for ev in spans or []:
            articles.append(
                Article(
                    number=article_number(text, ev.start, ev.end),
                    text=ev.quote,
                    categories=categories_for(ev.quote),
                    evidence=[ev],
                )
            )

    sentences = split_sentences(text)
    stance_prompt = load_prompt("stance")
    agreement_label = terms.value.name or "an agreement"
    drafts = merge_actors(actors.value.parties, text)
    dissent_prompt = load_prompt("dissent")
    extra, dissent_stats = find_dissenters(
        provider, dissent_prompt, sentences, drafts, agreement_label
    )
    stats.add(dissent_stats)
    drafts = merge_actors([*drafts, *extra], text)
    parties: list[Party] = []
    for draft in drafts:
        names = [draft.name, *draft.aliases]
        shown = sentences_naming(sentences, names, STANCE_SENTENCES)
        if not shown:
            dropped += 1  # an actor the text never names is not grounded
            continue
        stance, evidence, step = _stance(
            provider, stance_prompt, draft.name, draft.aliases, shown, agreement_label
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

    conditions: list[Condition] = []
    seen_spans = set()
    for cond in terms.value.conditions:
        spans = _term_spans(index, cond.quote, seen_spans)
        dropped += spans is None
        for ev in spans or []:
            conditions.append(
                Condition(
                    text=ev.quote,
                    proposed_by=resolve_party(cond.by, parties),
                    outcome=cond.outcome,
                    evidence=[ev],
                )
            )

    t = terms.value
    empty = not articles and not conditions and not parties
    agreement = Agreement(
        name=None if empty else t.name,
        date=None if empty else supported_date(t.date, text),
        location=None if empty else t.location,
        status="unclear" if empty else t.status,
        stage=None if empty else t.stage,
        agreement_type=None if empty else t.agreement_type,
        summary=None,
    )
    return Extraction(
        agreement=agreement,
        parties=parties,
        articles=articles,
        conditions=conditions,
        prompts=[terms_prompt.ref, actors_prompt.ref, dissent_prompt.ref, stance_prompt.ref],
        stats=stats,
        dropped=dropped,
    )


def _term_spans(
    index: SourceIndex, quote: str, seen: set[tuple[int, int]]
) -> list[Evidence] | None:
    """Ground a quoted term and split an enumeration into one span per term.

    Returns None when the quote is not in the source; spans already taken are left out, so
    a term quoted twice is one item.
    """
    ev = index.align(quote)
    if ev is None:
        return None
    found: list[Evidence] = []
    for start, end in split_enumeration(index.source, ev.start, ev.end):
        if (start, end) in seen or end <= start:
            continue
        seen.add((start, end))
        found.append(
            Evidence(quote=index.source[start:end], start=start, end=end, alignment=ev.alignment)
        )
    return found


def find_dissenters(
    provider: Provider,
    prompt: PromptTemplate,
    sentences: list[Sentence],
    drafts: list[ActorDraft],
    agreement_label: str,
) -> tuple[list[ActorDraft], CallStats]:
    """Ask, for sentences with a word of refusal that name no known actor, who refuses.

    An answer counts only when the name stands in that sentence; it becomes an actor with
    role "opponent" whose stance the stance step then decides.
    """
    stats = CallStats()
    found: list[ActorDraft] = []
    known = [[d.name, *d.aliases] for d in drafts]
    candidates = [
        s
        for s in sentences
        if _DISSENT.search(s.text) and not any(mentions(s.text, names) for names in known)
    ]
    for sentence in candidates[:DISSENT_SENTENCES]:
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
    folded_source = " ".join(source.casefold().split())
    party_keys = {_key(kept.name) for kept, _ in groups}
    merged: list[ActorDraft] = []
    for kept, names in groups:
        aliases: list[str] = []
        seen = {_key(kept.name)}
        for alias in names[1:]:
            key = _key(alias)
            if key in seen or key in party_keys:
                continue
            if " ".join(alias.casefold().split()) in folded_source:
                aliases.append(alias)
                seen.add(key)
        merged.append(kept.model_copy(update={"aliases": aliases}))
    return merged


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
