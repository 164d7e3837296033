"""The record's summary is composed by the system from grounded fields, never model prose."""

from __future__ import annotations

from summarizer.extract.summary import compose_summary
from summarizer.record.schema import Agreement, Article, Condition, Evidence, Party

DOC = (
    "The Harbour Truce was signed in Port Vell on 4 May 2021. Under the deal both sides "
    "agreed to withdraw heavy guns from the quay and to free all detainees. The Dockers' "
    "Union rejected it, and the Northern Brigade walked out."
)


def ev(quote: str) -> list[Evidence]:
    start = DOC.index(quote)
    return [Evidence(quote=quote, start=start, end=start + len(quote), alignment="exact")]


def party(name: str, role: str, stance: str) -> Party:
    return Party(name=name, role=role, actor_type="other", stance=stance, evidence=ev(name))  # type: ignore[arg-type]


def test_the_summary_says_what_was_agreed_by_whom_and_who_refused() -> None:
    agreement = Agreement(
        name="Harbour Truce", date="2021-05-04", location="Port Vell", status="signed"
    )
    parties = [
        party("Port Vell", "signatory", "accepts"),
        party("Dockers' Union", "opponent", "rejects"),
        party("Northern Brigade", "signatory", "withdrew"),
    ]
    articles = [
        Article(
            text="withdraw heavy guns from the quay",
            categories=["withdrawal"],
            evidence=ev("withdraw heavy guns from the quay"),
        ),
        Article(
            text="free all detainees",
            categories=["prisoner_release"],
            evidence=ev("free all detainees"),
        ),
    ]
    summary = compose_summary(agreement, parties, articles, [])
    assert summary == (
        "Harbour Truce (Port Vell, 2021-05-04) was signed. Terms: withdraw heavy guns from the "
        "quay; free all detainees. Signed by Port Vell. Rejected by Dockers' Union. Withdrawn "
        "from by Northern Brigade."
    )


def test_every_name_and_term_in_the_summary_is_a_string_of_the_record() -> None:
    agreement = Agreement(name=None, status="proposed")
    articles = [
        Article(text=f"term {i} " + "word " * 30, categories=["other"], evidence=[])
        for i in range(5)
    ]
    conditions = [
        Condition(
            text="free all detainees", proposed_by="Dockers' Union", outcome="accepted", evidence=[]
        ),
        Condition(text="a vote", proposed_by=None, outcome="pending", evidence=[]),
    ]
    summary = compose_summary(agreement, [], articles, conditions)
    assert summary is not None
    assert summary.startswith("An agreement was proposed but not agreed. Terms: term 0 word")
    assert "; and 2 more." in summary and "…" in summary
    assert summary.endswith("2 conditions were put forward by Dockers' Union (1 accepted).")
    shown = summary.split("Terms: ", 1)[1].split("; and", 1)[0].split("; ")
    texts = [a.text for a in articles]
    for piece in shown:  # each term shown is the start of a term of the record
        assert any(t.startswith(piece.removesuffix(" …")) for t in texts), piece


def test_an_empty_record_has_no_summary() -> None:
    assert compose_summary(Agreement(), [], [], []) is None


def test_a_lower_case_name_is_led_in_not_rewritten() -> None:
    summary = compose_summary(Agreement(name="ceasefire protocol", status="collapsed"), [], [], [])
    assert summary == "The ceasefire protocol was agreed and has since collapsed."
