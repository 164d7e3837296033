"""An agreement's own text: told from its layout, its provisions taken as the candidate terms,
its parties read with witnesses, a proposal's points made conditions. Every text here is
invented."""

from __future__ import annotations

from typing import Any

from fakes import FakeChatServer, fake_provider, schema_name

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.extract.model.responses import ActorsDraft, TextActorsDraft
from summarizer.extract.steps import STEPS
from summarizer.text.provisions import is_agreement_text, provisions

AGREEMENT = """AGREEMENT ON A CESSATION OF HOSTILITIES

between the Government of Norland and the Eastern Front

Valmo, 3 March 2011

The Government of Norland and the Eastern Front (hereinafter "the Parties"),

Recalling their joint communiqué of January 2011 on the opening of talks,

Have agreed as follows:

Article 1
The Parties shall cease all military operations against each other from 06:00 on 5 March 2011.

Article 2
2.1 Each Party shall withdraw its forces five kilometres from the line of contact within ten days.
2.2 Heavy weapons shall be stored in depots that the Joint Commission inspects.

Article 3
3. The Joint Commission shall:
(a) investigate every reported violation of this Agreement within seventy-two hours;
(b) report its findings to both Parties and to the Guarantor.

Article 4
This Agreement enters into force upon signature and remains in force for six months.

For the Government of Norland
Arvid Holm
Minister of Defence

For the Eastern Front
Kasimir Vell

Witnessed by:
The Republic of Sundal
"""


def _lines(text: str) -> list[str]:
    return [text[p.start : p.end] for p in provisions(text)]


def test_numbered_paragraphs_and_paragraphs_under_numbered_headings_are_provisions():
    found = provisions(AGREEMENT)
    assert [p.number for p in found] == ["1", "2.1", "2.2", "(a)", "(b)", "4"]
    # Offsets slice the paragraph exactly; a lead-in to sub-provisions is not one of them.
    assert _lines(AGREEMENT)[0].startswith("The Parties shall cease all military operations")
    assert _lines(AGREEMENT)[3].startswith("(a) investigate")
    assert not any("The Joint Commission shall:" in line for line in _lines(AGREEMENT))
    # Title, preamble, date line and signature block are not provisions.
    joined = " ".join(_lines(AGREEMENT))
    for outside in ("Recalling", "Valmo", "Arvid Holm", "Sundal", "Have agreed"):
        assert outside not in joined
    assert is_agreement_text(AGREEMENT)


def test_a_date_line_numbers_nothing():
    line = "The Parties shall meet again in the town number {} for talks on the border."
    text = "DECLARATION\n\nValmo, 3 March 2011\n\n" + "\n\n".join(map(line.format, "abcdef"))
    assert provisions(text) == []
    assert not is_agreement_text(text)


def test_the_layout_is_read_in_any_language_and_script():
    russian = "\n".join(
        [
            "СОГЛАШЕНИЕ О ПРЕКРАЩЕНИИ ОГНЯ",
            "Статья 1",
            "Стороны прекращают огонь с 00:00 часов 5 марта.",
            "Статья 2",
            "Стороны отводят войска на пять километров от линии соприкосновения.",
            "Статья 3",
            "Создаётся совместная комиссия из трёх представителей каждой стороны.",
            "Статья 4",
            "Пленные освобождаются в течение десяти дней после подписания.",
            "Статья 5",
            "Соглашение вступает в силу с момента его подписания сторонами.",
        ]
    )
    assert [p.number for p in provisions(russian)] == ["1", "2", "3", "4", "5"]
    assert is_agreement_text(russian)


def test_a_report_is_not_an_agreement_text():
    report = (
        "Rebels and the government signed a truce on Tuesday in Valmo, officials said.\n\n"
        "Under the deal, the two sides agreed to:\n"
        "1. cease fire from midnight on Wednesday;\n"
        "2. pull back heavy weapons from the front;\n"
        "3. free prisoners within a week.\n\n"
        "Fighting had killed hundreds since January, and earlier truces collapsed within days "
        "as both sides accused each other of violations along the disputed river valley."
    )
    assert not is_agreement_text(report)


def test_a_feature_in_numbered_sections_is_not_an_agreement_text():
    paragraph = " ".join(["The talks dragged on through the rainy season as the town waited."] * 9)
    text = "\n\n".join(f"{n}. Part {n}\n\n{paragraph}\n\n{paragraph}" for n in ["I", "II", "III"])
    assert not is_agreement_text(text)


def test_the_two_kinds_of_document_run_their_own_steps():
    by_name = {s.name: s for s in STEPS}
    assert by_name["read_terms"].runs_on(agreement_text=False)
    assert not by_name["read_terms"].runs_on(agreement_text=True)
    assert by_name["take_provisions"].runs_on(agreement_text=True)
    assert not by_name["take_provisions"].runs_on(agreement_text=False)
    assert by_name["read_actors"].runs_on(agreement_text=True)


def test_only_the_agreement_text_pass_may_name_a_witness():
    def roles(model: type) -> list[str]:
        schema = model.model_json_schema()
        draft = next(v for k, v in schema["$defs"].items() if k.endswith("ActorDraft"))
        return list(draft["properties"]["role"]["enum"])

    assert "witness" not in roles(ActorsDraft)
    assert "witness" in roles(TextActorsDraft)


def _server(status: str, parties: list[dict[str, Any]]) -> FakeChatServer:
    return FakeChatServer(
        answers={
            "TextFieldsDraft": {
                "conditions": [],
                "name": "AGREEMENT ON A CESSATION OF HOSTILITIES",
                "date": "2011-03-03",
                "location": "Valmo",
                "status": status,
                "stage": "ceasefire",
                "agreement_type": "intrastate",
            },
            "TextActorsDraft": {"parties": parties},
            "StanceDraft": {"sentence": 1, "stance": "accepts"},
        }
    )


PARTIES = [
    {
        "name": "Government of Norland",
        "aliases": ["Arvid Holm"],
        "role": "signatory",
        "actor_type": "state",
    },
    {"name": "Republic of Sundal", "aliases": [], "role": "witness", "actor_type": "external"},
]


def _summarize(server: FakeChatServer) -> Any:
    settings = Settings(min_confidence=0.0)
    with Summarizer(settings, provider=fake_provider(server, settings=settings)) as s:
        return s.summarize(AGREEMENT)


def test_an_agreement_text_gets_its_provisions_as_articles_and_no_terms_pass():
    server = _server("signed", PARTIES)
    record = _summarize(server)
    names = [schema_name(r) for r in server.requests]
    # No terms pass, and the fields pass asks for no demand: the model writes no quote.
    assert "ArticlesDraft" not in names and "ConditionsDraft" not in names
    assert "ActorsDraft" not in names
    assert "TextFieldsDraft" in names and "TextActorsDraft" in names
    assert [a.number for a in record.articles] == ["1", "2.1", "2.2", "(a)", "(b)", "4"]
    for article in record.articles:
        ev = article.evidence[0]
        assert AGREEMENT[ev.start : ev.end] == ev.quote == article.text
    assert record.conditions == []
    assert [(p.name, p.role) for p in record.parties] == [
        ("Government of Norland", "signatory"),
        ("Republic of Sundal", "witness"),
    ]
    assert record.provenance.document_kind == "agreement_text"
    assert "actors_text" in [p.id for p in record.provenance.prompts]


def test_a_proposals_provisions_are_its_issuers_conditions():
    issuer = {"name": "Eastern Front", "aliases": [], "role": "proposer", "actor_type": "rebel"}
    record = _summarize(_server("proposed", [issuer]))
    assert record.articles == []
    assert len(record.conditions) == 6
    assert {(c.proposed_by, c.outcome) for c in record.conditions} == {("Eastern Front", "pending")}
    assert record.conditions[0].text.startswith("The Parties shall cease all military operations")


def test_a_paragraph_broken_at_every_line_of_a_page_is_one_provision():
    # As a PDF's text layer gives it: each printed line ends with a line break.
    wrapped = AGREEMENT.replace(
        "Each Party shall withdraw its forces five kilometres from",
        "Each Party shall withdraw its forces five kilometres from the front and from\n",
    ).replace("from the front and from\n the line", "from the front and from\nthe line")
    found = provisions(wrapped)
    assert [p.number for p in found] == ["1", "2.1", "2.2", "(a)", "(b)", "4"]
    assert "\n" in wrapped[found[1].start : found[1].end]
    assert wrapped[found[1].start : found[1].end].endswith("within ten days.")


def test_a_numbered_list_of_signatories_is_no_provision():
    signed = AGREEMENT + (
        "\nFor the movements\n"
        "1. Gen. Tomas Berg, Chairman, Eastern Front (Northern Command)\n"
        "2. Col. Ilse Marek, Chairman of the Central Council, Valley Defence Forces "
        "and allied militias\n"
    )
    assert [p.number for p in provisions(signed)] == ["1", "2.1", "2.2", "(a)", "(b)", "4"]


def test_definitions_and_a_lead_in_under_a_heading_are_no_provisions():
    text = AGREEMENT.replace(
        "Article 1\n",
        "Article 1\nFor the purposes of this Agreement:\n"
        '(a) "the Parties" means the Government of Norland and the Eastern Front;\n'
        "(b) \u00abthe Line\u00bb means the line of contact on the date of signature.\n\n"
        "Article 1\n",
    )
    numbers = [p.number for p in provisions(text)]
    assert numbers == ["1", "2.1", "2.2", "(a)", "(b)", "4"]


def test_windows_line_ends_change_nothing():
    crlf = AGREEMENT.replace("\n", "\r\n")
    assert [p.number for p in provisions(crlf)] == ["1", "2.1", "2.2", "(a)", "(b)", "4"]
    assert all(not crlf[p.start : p.end].endswith("\r") for p in provisions(crlf))
    # A blank line between two paragraphs keeps them apart, even after a line that ends no
    # sentence (which a line break alone would join to the next).
    two = (
        "Article 1\r\nThe Parties shall keep the line of contact quiet and report every "
        "incident to the Commission\r\n\r\nThe Joint Commission shall meet in Valmo every "
        "week while this Agreement remains in force.\r\n"
    )
    assert len(provisions(two)) == 1  # the first paragraph ends no sentence: not a provision
    assert provisions(two)[0].number == "1"
    assert two[provisions(two)[0].start :].startswith("The Joint Commission")
