"""Reports in other languages: detected, always read by the model (never a silent empty
record), English-only rules skipped and said so; sentences split in any script. Every text
here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeChatServer, fake_provider
from rich.console import Console

from summarizer import Summarizer, SummaryResult
from summarizer.config import Settings
from summarizer.extract.model.translate import (
    MAX_CHARS,
    MAX_PASSAGES,
    batches,
    max_tokens,
    rendering,
    rendering_model,
)
from summarizer.extract.steps import ENGLISH_ONLY, STEPS
from summarizer.outputs.export import read_corpus, write_corpus
from summarizer.outputs.render import to_markdown, to_table
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


# --- English renderings (the model's translation) of a report in another language -----------


def _french_record(disabled: frozenset[str] = frozenset()) -> tuple[SummaryResult, FakeChatServer]:
    text = REPORTS["fr"]
    answers = _answers(text)
    conditions = dict(answers["ConditionsDraft"])  # type: ignore[call-overload]
    conditions["name"] = "cessez-le-feu"
    answers["ConditionsDraft"] = conditions
    server = FakeChatServer(answers=answers)
    settings = Settings(disabled_steps=disabled)
    with Summarizer(settings, provider=fake_provider(server, settings=settings)) as s:
        return s.summarize(text), server


def test_a_french_record_gets_english_renderings_marked_as_the_models_beside_its_own_words():
    record, server = _french_record()
    term = record.articles[0]
    # The original words and the evidence stay French; the rendering is the translator's.
    assert term.text.startswith("Le gouvernement")
    assert term.evidence[0].quote == split_sentences(REPORTS["fr"])[0].text
    assert term.text_en == f"EN: {' '.join(term.text.split())}"
    assert record.agreement.name == "cessez-le-feu"
    assert record.agreement.name_en == "EN: cessez-le-feu"
    assert record.provenance.translation is not None
    assert "model's translation" in record.provenance.translation
    assert "French" in record.provenance.translation
    # The summary reads the English renderings, each marked as the model's translation.
    assert record.agreement.summary is not None
    assert "EN: cessez-le-feu (tr.)" in record.agreement.summary
    assert f"{term.text_en.rstrip('.')} (tr.)" in record.agreement.summary
    translate = [r for r in server.requests if "Translation" in str(r.get("response_format"))]
    assert len(translate) == 1, "one call renders the name and every item"
    assert "translate" in record.provenance.usage_by_prompt
    assert any(p.id == "translate" for p in record.provenance.prompts)


def test_an_english_record_gets_no_rendering_and_no_translation_call():
    text = "The government and the rebels signed a ceasefire in Bangui. The truce starts Monday."
    server = FakeChatServer(answers=_answers(text))
    with Summarizer(provider=fake_provider(server)) as s:
        record = s.summarize(text)
    assert record.articles and all(a.text_en is None for a in record.articles)
    assert record.agreement.name_en is None and record.provenance.translation is None
    assert not [r for r in server.requests if "Translation" in str(r.get("response_format"))]


def test_a_switched_off_translation_says_so_and_asks_nothing():
    record, server = _french_record(frozenset({"translate"}))
    assert record.articles and record.articles[0].text_en is None
    assert record.provenance.translation == "not made: the translate step was switched off"
    assert not [r for r in server.requests if "Translation" in str(r.get("response_format"))]


def test_a_translation_that_never_validates_costs_the_renderings_not_the_record():
    text = REPORTS["fr"]
    answers = _answers(text)
    answers["Translation1"] = "this is not JSON"
    server = FakeChatServer(answers=answers)
    with Summarizer(provider=fake_provider(server)) as s:
        record = s.summarize(text)
    assert record.articles and record.articles[0].text_en is None
    assert record.provenance.translation is not None
    assert "1 of 1 passages got no English rendering" in record.provenance.translation
    assert record.provenance.translation in record.provenance.warnings


def test_a_french_record_shows_both_languages_in_markdown_table_and_export(tmp_path: Path):
    pd = pytest.importorskip("pandas")
    record, _ = _french_record()
    term = record.articles[0]
    md = to_markdown(record, title="t")
    assert f"{term.text_en} _(tr.; original: {' '.join(term.text.split())})_" in md
    assert "EN: cessez-le-feu _(tr.; original: cessez-le-feu)_" in md
    assert "the model's English translation" in md
    console = Console(width=200, record=True)
    console.print(to_table(record, title="t"))
    shown = console.export_text()
    assert term.text_en in shown and "Le gouvernement" in shown and "(tr.)" in shown
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "fr.json").write_text(record.model_dump_json(), encoding="utf-8")
    files = write_corpus(read_corpus(tmp_path / "records"), "csv", tmp_path / "out")
    tables = {f.stem: pd.read_csv(f) for f in files}
    assert tables["articles"]["text_en"][0] == term.text_en
    assert tables["articles"]["text"][0] == term.text
    assert tables["agreements"]["name_en"][0] == "EN: cessez-le-feu"


def test_a_record_made_before_renderings_still_loads_and_renders():
    record, _ = _french_record()
    assert record.articles[0].text_en is not None
    raw = json.loads(record.model_dump_json())
    raw["schema_version"] = raw["provenance"]["schema_version"] = "1.2"
    for item in [*raw["articles"], *raw["conditions"]]:
        item.pop("text_en")
    raw["agreement"].pop("name_en")
    raw["provenance"].pop("translation")
    old = SummaryResult.model_validate(raw)
    assert old.articles[0].text_en is None
    assert "_(tr.;" not in to_markdown(old, title="t")


def test_translation_batches_caps_and_renderings():
    assert batches([], None) == []
    short = ["a term"] * (MAX_PASSAGES * 2 + 1)
    assert [len(b) for b in batches(short, None)] == [MAX_PASSAGES, MAX_PASSAGES, 1]
    assert [i for b in batches(short, 10_000) for i in b] == list(range(len(short)))
    # A small context cuts long passages into more calls, each asking at least one.
    long = ["x" * 900] * 6
    assert len(batches(long, None)) == 1
    small = batches(long, 1200)
    assert len(small) > 1 and all(small) and [i for b in small for i in b] == list(range(6))
    assert batches(["x" * 9000], 100) == [[0]]
    # The cap grows with the passages' length: a long term gets room for its rendering.
    assert max_tokens(["x" * 300]) > max_tokens(["x" * 30]) > 0
    assert rendering("  a  ceasefire\n from Monday ") == "a ceasefire from Monday"
    assert rendering("") is None and rendering("   ") is None
    model = rendering_model(2)
    answer = model.model_validate({"1": "one", "2": "two"})
    assert answer.model_dump(by_alias=True) == {"1": "one", "2": "two"}
    with pytest.raises(ValueError):
        model.model_validate({"1": "one"})
    with pytest.raises(ValueError):  # the answer is bounded: a longer one is re-asked
        model.model_validate({"1": "x" * (MAX_CHARS + 1), "2": "two"})


def test_each_rendering_goes_to_its_own_item_without_a_name_and_with_conditions():
    text = (
        "Le gouvernement et les rebelles ont signé un cessez-le-feu à Bangui. "
        "Les rebelles libéreront les otages. "
        "Les rebelles exigent le départ du préfet."
    )
    sentences = [s.text for s in split_sentences(text)]
    answers = _answers(text)
    answers["ArticlesDraft"] = {"terms": [{"quote": sentences[0]}, {"quote": sentences[1]}]}
    fields = dict(answers["ConditionsDraft"])  # type: ignore[call-overload]
    fields["conditions"] = [{"quote": sentences[2], "by": "", "outcome": "pending"}]
    answers["ConditionsDraft"] = fields
    with Summarizer(provider=fake_provider(FakeChatServer(answers=answers))) as s:
        record = s.summarize(text)
    assert record.agreement.name is None and record.agreement.name_en is None
    assert len(record.articles) == 2 and len(record.conditions) == 1
    for item in [*record.articles, *record.conditions]:
        assert item.text_en == f"EN: {' '.join(item.text.split())}"


def test_a_non_english_record_with_nothing_to_render_asks_nothing():
    text = REPORTS["fr"]
    answers = _answers(text)
    answers["ArticlesDraft"] = {"terms": []}
    server = FakeChatServer(answers=answers)
    with Summarizer(provider=fake_provider(server)) as s:
        record = s.summarize(text)
    assert not record.articles and record.agreement.name is None
    assert record.provenance.translation == (
        "not needed: the record has no name, article or condition"
    )
    assert not [r for r in server.requests if "Translation" in str(r.get("response_format"))]
