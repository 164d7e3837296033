"""Reports in other languages: detected, always read by the model (never a silent empty
record), English-only rules skipped and said so; sentences split in any script. Every text
here is invented."""

from __future__ import annotations

import pytest
from fakes import FakeChatServer, fake_provider

from summarizer import Summarizer
from summarizer.extract.steps import ENGLISH_ONLY, STEPS
from summarizer.outputs.render import to_markdown
from summarizer.text.language import detect_language
from summarizer.text.segment import split_sentences

# The same short report in six languages: a ceasefire signed, a truce starting Monday.
REPORTS = {
    "fr": "Le gouvernement et les rebelles ont signé un cessez-le-feu à Bangui. "
    "La trêve entre en vigueur lundi.",
    "es": "El gobierno y los rebeldes firmaron un alto el fuego en Bangui. "
    "La tregua comenzará el lunes.",
    "de": "Die Regierung und die Rebellen unterzeichneten in Bangui einen Waffenstillstand. "
    "Die Waffenruhe beginnt am Montag.",
    "pt": "O governo e os rebeldes assinaram um cessar-fogo em Bangui. "
    "A trégua começa na segunda-feira.",
    "ru": "Правительство и повстанцы подписали в Банги соглашение о прекращении огня. "
    "Перемирие вступает в силу в понедельник.",
    "ar": "وقعت الحكومة والمتمردون اتفاقا لوقف إطلاق النار في بانغي. وتبدأ الهدنة يوم الاثنين.",
}


def _answers(text: str) -> dict[str, object]:
    """A model that quotes the report's first sentence as the term and finds no one."""
    first = split_sentences(text)[0].text
    return {
        "ArticlesDraft": {"terms": [{"quote": first}]},
        "ConditionsDraft": {
            "conditions": [],
            "name": None,
            "date": None,
            "location": None,
            "status": "signed",
            "stage": "ceasefire",
            "agreement_type": "intrastate",
        },
        "ActorsDraft": {"parties": []},
        "DissentDraft": {"actor": None, "actor_type": "other"},
        "DemandDraft": {"demand": None, "by": "", "outcome": "unclear"},
        "StanceDraft": {"sentence": 1, "stance": "accepts"},
    }


@pytest.mark.parametrize("code", sorted(REPORTS))
def test_a_report_in_another_language_reaches_the_model_and_says_so(code: str):
    text = REPORTS[code]
    assert detect_language(text).code == code
    server = FakeChatServer(answers=_answers(text))
    with Summarizer(provider=fake_provider(server)) as s:
        record = s.summarize(text)
    assert server.requests, "the report must reach the model"
    assert record.provenance.language == code
    assert record.articles, "the model's grounded term is kept"
    assert record.articles[0].evidence[0].quote == split_sentences(text)[0].text
    assert any("rules that read English words did not run" in w for w in record.provenance.warnings)
    assert "**Warning:**" in to_markdown(record, title="t")


def test_an_english_report_without_a_word_of_agreement_is_still_empty_unasked():
    text = "Fighting went on near the river town for a third day, residents said on Tuesday."
    server = FakeChatServer(answers=_answers(text))
    with Summarizer(provider=fake_provider(server)) as s:
        record = s.summarize(text)
    assert server.requests == []
    assert record.provenance.language == "en"
    assert record.provenance.warnings == []
    assert record.parties == record.articles == record.conditions == []


def test_english_only_steps_are_the_ones_that_read_cue_words():
    # Each step marked English-only reads lexicon.english; the passes and grounding do not.
    names = {s.name for s in STEPS}
    assert set(ENGLISH_ONLY) <= names
    assert "keep_reported_demands" in ENGLISH_ONLY  # would drop every non-English demand
    assert not {"read_terms", "ground_terms", "ask_stances", "build_articles"} & set(ENGLISH_ONLY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le gouvernement a signé. À Bangui, la trêve tient. Élections lundi.", 3),
        ("Правительство подписало. Повстанцы отказались.", 2),
        ("Η κυβέρνηση υπέγραψε. Οι αντάρτες αρνήθηκαν.", 2),
        ("وقعت الحكومة الاتفاق. المتمردون رفضوا؟ نعم.", 3),
        ("政府签署了协议。叛军拒绝了！会谈结束。", 3),
        ("सरकार ने समझौता किया। विद्रोहियों ने मना किया।", 2),
        ("¿Quién firmó? «Nadie», dijo el portavoz.", 2),
        ("The envoy (e.g. the army) left. Talks resumed.", 2),
    ],
)
def test_sentences_split_in_any_script_with_exact_offsets(text: str, expected: int):
    sentences = split_sentences(text)
    assert len(sentences) == expected
    for s in sentences:
        assert text[s.start : s.end] == s.text
