"""Merge several reports' records of one agreement into one record that keeps their disagreements.

Parties are the same actor when a name or alias of one matches one of the other (the eval's
name similarity); terms and conditions are the same when their texts are (the eval's text
similarity). Each merged item keeps every report's evidence. A field is given a value only
when every report that states one agrees; otherwise it is a conflict with each report's value.
Records that share neither the agreement's name, nor two actors, nor an actor and a term with
the others are of another agreement: they are left out and named, never blended in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from summarizer.record.merged import (
    Conflict,
    ConflictField,
    MergedAgreement,
    MergedArticle,
    MergedCondition,
    MergedField,
    MergedParty,
    MergedRecord,
    Source,
    SourcedConfidence,
    SourcedEvidence,
    SourcedValue,
    StanceAt,
)
from summarizer.record.schema import Article, Condition, Evidence, Party, SummaryResult
from summarizer.text.similarity import (
    ITEM_THRESHOLD,
    PARTY_THRESHOLD,
    distinguishing_codes,
    name_similarity,
    text_similarity,
    with_names,
)

T = TypeVar("T")
#: Values that state nothing: a report that gives them does not disagree with one that knows.
_SILENT = frozenset({None, "unclear"})


@dataclass
class Input:
    """One record to merge, with where it came from."""

    record: SummaryResult
    record_file: str | None = None
    report_date: str | None = None


@dataclass
class MergeOutcome:
    """The merged record, and the records left out as another agreement's."""

    merged: MergedRecord
    left_out: list[Input] = field(default_factory=list)


def _names(party: Party) -> list[str]:
    return [party.name, *party.aliases]


def _alike(a: str, b: str) -> float:
    """``name_similarity``, but 0 for names that differ in a number or a code ("Division 25"
    and "Division 26", "Unit0-Omega Front" and "Unit1-Omega Front"): different actors, or
    different agreements, however alike the rest of the name."""
    if distinguishing_codes(a) != distinguishing_codes(b):
        return 0.0
    return name_similarity(a, b)


def _names_alike(left: Sequence[str], right: Sequence[str]) -> float:
    """Best ``_alike`` over all pairs of names; 0.0 if either list is empty."""
    return max((_alike(a, b) for a in left for b in right), default=0.0)


def _distinctive(party: Party) -> list[str]:
    """The names of a party that could belong to no other actor: proper names, not "the army"."""
    return [n for n in _names(party) if any(c.isupper() for c in n) and not n.startswith("the ")]


def _same_agreement(a: SummaryResult, b: SummaryResult) -> bool:
    """Whether two records tell of one agreement: the same name, or two actors in common, or
    one actor and one term, and no dates of different years. One shared actor alone is not
    enough: a government or an army signs many agreements."""
    a_date, b_date = a.agreement.date, b.agreement.date
    if a_date and b_date and a_date[:4] != b_date[:4]:
        return False  # the same actors, another year: another agreement
    a_name, b_name = a.agreement.name, b.agreement.name
    # Only a proper name ("the Harbour Accord") names one agreement; "ceasefire
    # agreement" could be any.
    if (
        a_name
        and b_name
        and any(c.isupper() for c in a_name)
        and any(c.isupper() for c in b_name)
        and _alike(a_name, b_name) >= PARTY_THRESHOLD
    ):
        return True
    shared_parties = sum(
        any(_names_alike(_distinctive(pa), _distinctive(pb)) >= PARTY_THRESHOLD for pb in b.parties)
        for pa in a.parties
        if _distinctive(pa)
    )
    shared_terms = any(
        text_similarity(x.text, y.text) >= ITEM_THRESHOLD for x in a.articles for y in b.articles
    )
    return shared_parties >= 2 or (shared_parties == 1 and shared_terms)


def _largest_group(inputs: Sequence[Input]) -> tuple[list[int], list[int]]:
    """Indices of the largest group of records linked by ``_same_agreement``, and the rest."""
    groups: list[list[int]] = []
    for i, item in enumerate(inputs):
        linked = [
            g for g in groups if any(_same_agreement(item.record, inputs[j].record) for j in g)
        ]
        merged = [i] + [j for g in linked for j in g]
        groups = [g for g in groups if g not in linked] + [sorted(merged)]
    best = max(groups, key=lambda g: (len(g), -g[0]))
    return best, [i for i in range(len(inputs)) if i not in best]


def _cluster(
    per_source: Sequence[tuple[str, Sequence[T]]], same: Callable[[T, T], bool]
) -> list[list[tuple[str, T]]]:
    """Group items across sources; an item joins the first cluster it matches that has no item
    of its own source yet (two items of one report stay apart), else starts one."""
    clusters: list[list[tuple[str, T]]] = []
    for source, items in per_source:
        for item in items:
            for cluster in clusters:
                if all(s != source for s, _ in cluster) and any(same(item, x) for _, x in cluster):
                    cluster.append((source, item))
                    break
            else:
                clusters.append([(source, item)])
    return clusters


def _equal(a: str, b: str) -> bool:
    return a == b


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name or place ("Port Vell" and "PORT VELL") agree."""
    return _alike(a, b) >= PARTY_THRESHOLD


def _same_date(a: str, b: str) -> bool:
    """Dates agree when one is a prefix of the other (2020-05 and 2020-05-04)."""
    return a.startswith(b) or b.startswith(a)


def _field(
    values: Sequence[tuple[str, str | None]], equal: Callable[[str, str], bool] = _equal
) -> MergedField:
    """A field from each source's value: agreed (the most precise value), or a conflict."""
    stated = [SourcedValue(source=s, value=v) for s, v in values if v not in _SILENT]
    given = [v.value for v in stated if v.value is not None]
    if any(not equal(a, b) for a in given for b in given):
        return MergedField(value=None, conflict=True, by_source=stated)
    value = max(given, key=len) if given else next((v for _, v in values if v is not None), None)
    return MergedField(value=value, conflict=False, by_source=stated)


def _evidence(source: str, evidence: Sequence[Evidence]) -> list[SourcedEvidence]:
    return [
        SourcedEvidence(
            source=source,
            quote=e.quote,
            start=e.start,
            end=e.end,
            alignment=e.alignment,
            origin=e.origin,
        )
        for e in evidence
    ]


def _confidences(
    cluster: Sequence[tuple[str, Party | Article | Condition]],
) -> dict[str, Any]:
    """The merged item's confidence (the highest) and each report's figure."""
    by_source = [
        SourcedConfidence(source=s, confidence=item.confidence)
        for s, item in cluster
        if item.confidence is not None
    ]
    return {
        "confidence": max((c.confidence for c in by_source), default=None),
        "confidence_by_source": by_source,
    }


def _party(
    cluster: list[tuple[str, Party]], dates: dict[str, str | None]
) -> tuple[MergedParty, list[tuple[ConflictField, MergedField]]]:
    names = Counter(p.name for _, p in cluster)
    name = max(names, key=lambda n: (names[n], -[p.name for _, p in cluster].index(n)))
    aliases = with_names([], [n for _, p in cluster for n in _names(p)], name)
    fields: dict[ConflictField, MergedField] = {
        "role": _field([(s, p.role) for s, p in cluster]),
        "actor_type": _field([(s, p.actor_type) for s, p in cluster]),
        "stance": _field([(s, p.stance) for s, p in cluster]),
    }
    timeline = [StanceAt(source=s, report_date=dates.get(s), stance=p.stance) for s, p in cluster]
    if any(t.report_date for t in timeline):
        timeline.sort(key=lambda t: (t.report_date is None, t.report_date or ""))
    party = MergedParty(
        name=name,
        aliases=aliases,
        role=fields["role"],
        actor_type=fields["actor_type"],
        stance=fields["stance"],
        stance_over_time=timeline,
        sources=[s for s, _ in cluster],
        evidence=[e for s, p in cluster for e in _evidence(s, p.evidence)],
        **_confidences(cluster),
    )
    return party, list(fields.items())


def _article(cluster: list[tuple[str, Article]]) -> MergedArticle:
    categories = []
    for _, a in cluster:
        categories += [c for c in a.categories if c not in categories]
    return MergedArticle(
        text=cluster[0][1].text,
        text_en=cluster[0][1].text_en,
        number=next((a.number for _, a in cluster if a.number), None),
        categories=categories,
        sources=[s for s, _ in cluster],
        evidence=[e for s, a in cluster for e in _evidence(s, a.evidence)],
        **_confidences(cluster),
    )


def _condition(
    cluster: list[tuple[str, Condition]], canonical: Callable[[str | None], str | None]
) -> MergedCondition:
    return MergedCondition(
        text=cluster[0][1].text,
        text_en=cluster[0][1].text_en,
        proposed_by=_field([(s, canonical(c.proposed_by)) for s, c in cluster]),
        outcome=_field([(s, c.outcome) for s, c in cluster]),
        sources=[s for s, _ in cluster],
        evidence=[e for s, c in cluster for e in _evidence(s, c.evidence)],
        **_confidences(cluster),
    )


def merge_records(inputs: Sequence[Input], *, tool_version: str = "") -> MergeOutcome:
    """Merge records of one agreement (see the module docstring).

    Args:
        inputs: the records, in the order their reports should be listed.
        tool_version: recorded in the merged record.

    Returns:
        The merged record of the largest group of records that are of one agreement, and the
        records left out.

    Raises:
        ValueError: no record given.
    """
    if not inputs:
        raise ValueError("nothing to merge")
    keep, rest = _largest_group(inputs)
    kept = [inputs[i] for i in keep]
    ids = [f"s{i}" for i in range(1, len(kept) + 1)]
    dates = {sid: item.report_date for sid, item in zip(ids, kept, strict=True)}
    records = list(zip(ids, (k.record for k in kept), strict=True))

    conflicts = _Conflicts()
    agreement = _merged_agreement(records, conflicts)
    parties: list[MergedParty] = []
    party_clusters = _cluster(
        [(s, r.parties) for s, r in records],
        lambda x, y: _names_alike(_names(x), _names(y)) >= PARTY_THRESHOLD,
    )
    for group in party_clusters:
        party, fields = _party(group, dates)
        for name, merged in fields:
            conflicts.note(name, merged, party=party.name)
        parties.append(party)
    articles = [
        _article(c)
        for c in _cluster(
            [(s, r.articles) for s, r in records],
            lambda x, y: text_similarity(x.text, y.text) >= ITEM_THRESHOLD,
        )
    ]
    conditions = _merged_conditions(records, parties, conflicts)
    record = MergedRecord(
        sources=[
            Source(
                id=sid,
                record_file=item.record_file,
                source_sha256=item.record.provenance.source_sha256,
                report_date=item.report_date,
            )
            for sid, item in zip(ids, kept, strict=True)
        ],
        agreement=agreement,
        parties=parties,
        articles=articles,
        conditions=conditions,
        conflicts=conflicts.found,
        tool_version=tool_version,
    )
    return MergeOutcome(record, [inputs[i] for i in rest])


class _Conflicts:
    """The conflicts found while merging, in the order found."""

    def __init__(self) -> None:
        self.found: list[Conflict] = []

    def note(
        self,
        field: ConflictField,
        merged: MergedField,
        party: str | None = None,
        item: str | None = None,
    ) -> MergedField:
        """List ``merged`` as a conflict when the reports disagree on it; return it."""
        if merged.conflict:
            self.found.append(
                Conflict(field=field, party=party, item=item, values=merged.by_source)
            )
        return merged


_EQUAL_BY_FIELD: dict[ConflictField, Callable[[str, str], bool]] = {
    "name": _same_name,
    "location": _same_name,
    "date": _same_date,
}


def _merged_agreement(
    records: list[tuple[str, SummaryResult]], conflicts: _Conflicts
) -> MergedAgreement:
    """The agreement block: each field the reports agree on, or a conflict."""
    fields = {
        name: conflicts.note(
            name,
            _field(
                [(s, getattr(r.agreement, name)) for s, r in records],
                _EQUAL_BY_FIELD.get(name, _equal),
            ),
        )
        for name in ("name", "date", "location", "status", "stage", "agreement_type")
    }
    return MergedAgreement(**fields)


def _merged_conditions(
    records: list[tuple[str, SummaryResult]],
    parties: list[MergedParty],
    conflicts: _Conflicts,
) -> list[MergedCondition]:
    """One condition per cluster of alike conditions; a proposer named as its merged party,
    so two spellings of one party are not a conflict."""

    def canonical(name: str | None) -> str | None:
        if name is None:
            return None
        found = (
            p for p in parties if _names_alike([name], [p.name, *p.aliases]) >= PARTY_THRESHOLD
        )
        return next((p.name for p in found), name)

    conditions = []
    for cluster in _cluster(
        [(s, r.conditions) for s, r in records],
        lambda x, y: text_similarity(x.text, y.text) >= ITEM_THRESHOLD,
    ):
        condition = _condition(cluster, canonical)
        conflicts.note("proposed_by", condition.proposed_by, item=condition.text)
        conflicts.note("outcome", condition.outcome, item=condition.text)
        conditions.append(condition)
    return conditions
