"""The review page in a real headless browser (Debian's chromium, driven by selenium).

Pages are made by the CLI (``summarizer review``) from records the pipeline made for the dev
reports (``tests/data/records``). The browser tests click items and highlights, add items from
a selection, save gold, and check a hostile report runs nothing. Chromium is installed by
``.ci/run`` from apt; without it these tests fail, unless ``SUMMARIZER_SKIP_BROWSER=1`` skips
them on purpose.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import SummaryResult
from summarizer.cli import app
from summarizer.io.load import sha256_text
from summarizer.outputs.review.gold import gold_problems

ROOT = Path(__file__).resolve().parent.parent
RECORDS = Path(__file__).resolve().parent / "data" / "records" / "dev"
SEEDS = ROOT / "seeds"
runner = CliRunner()

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module."""
    if os.environ.get("SUMMARIZER_SKIP_BROWSER") == "1":
        pytest.skip("SUMMARIZER_SKIP_BROWSER=1")
    if CHROMIUM is None or DRIVER is None:
        pytest.fail(
            "chromium and chromedriver are needed: apt-get install chromium chromium-driver"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def make_page(record: Path, document: Path | None, out: Path) -> Path:
    """The review page of a record, made by the CLI."""
    args = ["review", str(record), "-o", str(out)]
    if document is not None:
        args += ["--document", str(document)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return out


def open_page(browser: Any, page: Path, downloads: Path | None = None) -> None:
    """Load a page and wait until its script has built it."""
    browser.get_log("browser")  # drop what earlier pages logged
    if downloads is not None:
        browser.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
    browser.get(page.as_uri())
    for _ in range(100):
        if browser.execute_script("return document.body.dataset.ready") == "1":
            return
        time.sleep(0.05)
    raise AssertionError("the page never finished building")


def click(browser: Any, css: str) -> None:
    """Click the first element matching ``css``."""
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, css).click()


def highlighted(browser: Any) -> str:
    """The text of the report's highlighted (selected) segments, in order."""
    return str(
        browser.execute_script(
            "return Array.from(document.querySelectorAll('#doc .seg.selected'))"
            ".map(s => s.textContent).join('')"
        )
    )


def wait_for_file(folder: Path, pattern: str) -> Path:
    """A downloaded file, once complete: Chrome may show it before its last byte is written."""
    for _ in range(100):
        for path in folder.glob(pattern):
            if path.name.endswith(".crdownload"):
                continue
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            return path
        time.sleep(0.05)
    raise AssertionError(f"no complete {pattern} downloaded into {folder}")


def select_span(browser: Any, start: int, end: int) -> None:
    """Select report text from code point ``start`` to ``end`` as a user's drag would."""
    browser.execute_script(
        """
        const [start, end] = [arguments[0], arguments[1]];
        function point(offset) {
          for (const seg of document.querySelectorAll('#doc .seg')) {
            const a = Number(seg.dataset.start), b = Number(seg.dataset.end);
            if (a <= offset && offset <= b) {
              const head = Array.from(seg.textContent).slice(0, offset - a).join('');
              return [seg.firstChild, head.length];
            }
          }
        }
        const range = document.createRange();
        range.setStart(...point(start));
        range.setEnd(...point(end));
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        """,
        start,
        end,
    )


def test_clicking_an_item_highlights_exactly_its_quote(browser: Any, tmp_path: Path) -> None:
    page = make_page(RECORDS / "kabwelu-2020.json", SEEDS / "kabwelu-2020.txt", tmp_path / "p.html")
    record = SummaryResult.model_validate_json((RECORDS / "kabwelu-2020.json").read_text())
    open_page(browser, page)
    cards = browser.execute_script(
        "return Array.from(document.querySelectorAll('.card')).map(c => c.id)"
    )
    items = [*record.parties, *record.articles, *record.conditions]
    assert len(cards) == len(items)
    checked = 0
    for card_id, item in zip(cards, items, strict=True):
        if len(item.evidence) != 1:
            continue
        click(browser, f"#{card_id}")
        assert highlighted(browser) == item.evidence[0].quote
        checked += 1
    assert checked >= 5
    assert browser.get_log("browser") == []


def test_clicking_a_highlight_selects_its_item(browser: Any, tmp_path: Path) -> None:
    page = make_page(
        RECORDS / "tell-ghazal-2022.json", SEEDS / "tell-ghazal-2022.txt", tmp_path / "p.html"
    )
    open_page(browser, page)
    first = browser.execute_script(
        "const s = document.querySelector('#doc .seg.hit'); s.scrollIntoView();"
        "return s.dataset.items"
    )
    click(browser, "#doc .seg.hit")
    selected = browser.execute_script(
        "return Array.from(document.querySelectorAll('.card.selected')).map(c => c.id)"
    )
    assert selected == [first.split(" ")[0]]


def test_a_party_added_from_a_selection_is_saved_as_gold_with_python_offsets(
    browser: Any, tmp_path: Path
) -> None:
    # Astral and accented characters before the selection: JavaScript counts them as two
    # units or one, Python as one code point each.
    text = (
        "\U0001f54a Peace at Örnsköld: the Fjärde Brigade and the town council signed a truce "
        "on Monday, agreeing to a ceasefire and to reopen the bridge. " * 3
    ) + "The Dockers\u2019 Union rejected the truce."
    document = tmp_path / "ornskold-truce.txt"
    document.write_text(text, encoding="utf-8")
    record = json.loads((RECORDS / "kabwelu-2020.json").read_text())
    record.update(parties=[], articles=[], conditions=[])
    record["agreement"].update(name=None, location=None, date=None, summary=None)
    record["provenance"]["source_sha256"] = sha256_text(text)
    (tmp_path / "r.json").write_text(json.dumps(record), encoding="utf-8")
    page = make_page(tmp_path / "r.json", document, tmp_path / "p.html")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    open_page(browser, page, downloads)
    click(browser, "#toggle-correct")
    start = text.index("Dockers\u2019 Union")
    end = start + len("Dockers\u2019 Union")
    select_span(browser, start, end)
    click(browser, "#add-party")
    message = browser.execute_script("return document.getElementById('message').textContent")
    assert f"({start}\u2013{end})" in message
    select_span(browser, text.index("a ceasefire"), text.index("a ceasefire") + len("a ceasefire"))
    click(browser, "#add-article")
    click(browser, "#save-gold")
    saved = json.loads(wait_for_file(downloads, "*.gold.json").read_text(encoding="utf-8"))
    assert gold_problems(saved, text) == []
    assert saved["document"] == "ornskold-truce.txt"
    assert [p["name"] for p in saved["parties"]] == ["Dockers\u2019 Union"]
    assert saved["parties"][0]["evidence"] == [{"quote": "Dockers\u2019 Union"}]
    assert [a["text"] for a in saved["articles"]] == ["a ceasefire"]
    # Filed with the CLI, it passes the same checks and lands in the gold folder.
    gold_file = tmp_path / "downloads" / "ornskold-truce.gold.json"
    result = runner.invoke(
        app,
        [
            "review",
            "--import",
            str(gold_file),
            "--into",
            str(tmp_path / "gold"),
            "--document",
            str(document),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "gold" / "ornskold-truce.json").read_text()) == saved


def test_changing_a_stance_and_marking_an_item_wrong_reach_the_gold_file(
    browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page = make_page(RECORDS / "kabwelu-2020.json", SEEDS / "kabwelu-2020.txt", tmp_path / "p.html")
    record = SummaryResult.model_validate_json((RECORDS / "kabwelu-2020.json").read_text())
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    open_page(browser, page, downloads)
    click(browser, "#toggle-correct")
    first = browser.find_element(By.CSS_SELECTOR, ".card.party")
    Select(first.find_element(By.CSS_SELECTOR, "select[data-field=stance]")).select_by_value(
        "rejects"
    )
    wrong = browser.find_element(By.CSS_SELECTOR, ".card.article")
    wrong.find_element(By.CSS_SELECTOR, "button[data-verdict=wrong]").click()
    click(browser, "#save-gold")
    saved = json.loads(wait_for_file(downloads, "*.gold.json").read_text(encoding="utf-8"))
    assert gold_problems(saved, (SEEDS / "kabwelu-2020.txt").read_text(encoding="utf-8")) == []
    assert saved["parties"][0]["stance"] == "rejects"
    assert len(saved["articles"]) == len(record.articles) - 1
    assert saved["must_not_appear"] == [{"kind": "article", "text": record.articles[0].text}]


def test_a_hostile_report_runs_no_script_and_shows_its_text(browser: Any, tmp_path: Path) -> None:
    hostile = '<script>alert("doc")</script> <img src=x onerror=alert("img")> signed a truce.'
    text = (SEEDS / "busra-al-sham-2018.txt").read_text(encoding="utf-8") + "\n" + hostile + "\n"
    document = tmp_path / "hostile.txt"
    document.write_text(text, encoding="utf-8")
    record = json.loads((RECORDS / "busra-al-sham-2018.json").read_text())
    start = text.index(hostile)
    record["provenance"]["source_sha256"] = sha256_text(text)
    record["agreement"]["name"] = '<img src=x onerror=alert("name")>'
    record["articles"].append(
        {
            "number": None,
            "text": hostile,
            "categories": ["other"],
            "evidence": [
                {
                    "quote": hostile,
                    "start": start,
                    "end": start + len(hostile),
                    "alignment": "exact",
                }
            ],
        }
    )
    (tmp_path / "r.json").write_text(json.dumps(record), encoding="utf-8")
    page = make_page(tmp_path / "r.json", document, tmp_path / "p.html")
    open_page(browser, page)
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert hostile in browser.execute_script("return document.getElementById('doc').textContent")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.scripts.length") == 2  # the data and the page's
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_saving_every_dev_record_unedited_scores_1_against_it(browser: Any, tmp_path: Path) -> None:
    gold_dir, predictions = tmp_path / "gold", tmp_path / "predictions" / "roundtrip"
    gold_dir.mkdir()
    predictions.mkdir(parents=True)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    records = sorted(RECORDS.glob("*.json"))
    assert len(records) == 16
    for record in records:
        document = SEEDS / f"{record.stem}.txt"
        page = make_page(record, document, tmp_path / f"{record.stem}.html")
        open_page(browser, page, downloads)
        click(browser, "#toggle-correct")
        click(browser, "#save-gold")
        saved = wait_for_file(downloads, f"{record.stem}.gold.json")
        text = document.read_text(encoding="utf-8")
        gold = json.loads(saved.read_text(encoding="utf-8"))
        assert gold_problems(gold, text) == [], record.stem
        (gold_dir / f"{record.stem}.json").write_text(json.dumps(gold), encoding="utf-8")
        shutil.copy(record, predictions / record.name)
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text(
        f'[splits.roundtrip]\ngold = "{gold_dir}"\ndocuments = "{SEEDS}"\n', encoding="utf-8"
    )
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        [
            "eval",
            "--thresholds",
            str(thresholds),
            "--predictions",
            str(tmp_path / "predictions"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    metrics = json.loads((out / "report.json").read_text())["splits"]["roundtrip"]
    metrics = metrics.get("metrics", metrics)
    for name in (
        "articles_f1",
        "conditions_f1",
        "parties_f1",
        "stance_accuracy",
        "proposer_accuracy",
        "grounded_share",
        "date_accuracy",
    ):
        assert metrics[name] == pytest.approx(1.0), name
    assert metrics["fabricated_dates"] == 0


# --- without a browser: the CLI around the page -----------------------------------------------


def test_summarize_format_html_writes_a_page_per_document_and_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import SEED, fake_provider

    monkeypatch.setattr("summarizer.api.open_provider", lambda settings: fake_provider())
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    (folder / "b.txt").write_text(
        "Report b.\n\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["summarize", str(folder), "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "a.html",
        "a.json",
        "b.html",
        "b.json",
        "index.html",
    ]
    page = (out / "a.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script>" in page and "http://" not in page.split("</style>")[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="./a.html"' in index and 'href="./b.html"' in index
    # A second run is all skipped, and still writes the index.
    again = runner.invoke(app, ["summarize", str(folder), "--out", str(out), "--format", "html"])
    assert again.exit_code == 0 and "review pages:" in again.stderr


def test_review_refuses_a_document_the_record_was_not_made_from(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "review",
            str(RECORDS / "kabwelu-2020.json"),
            "--document",
            str(SEEDS / "tell-ghazal-2022.txt"),
            "-o",
            str(tmp_path / "p.html"),
        ],
    )
    assert result.exit_code == 4
    assert "not the text the record was made from" in result.stderr
    assert not (tmp_path / "p.html").exists()


def test_review_of_a_file_that_is_not_a_record_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"agreement": 1}', encoding="utf-8")
    result = runner.invoke(app, ["review", str(bad)])
    assert result.exit_code == 4 and "not a record of this tool" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_refuses_gold_that_fails_a_check_and_never_overwrites(tmp_path: Path) -> None:
    gold = json.loads((ROOT / "evals" / "gold" / "dev" / "kabwelu-2020.json").read_text())
    document = SEEDS / "kabwelu-2020.txt"
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(gold), encoding="utf-8")
    gold["parties"][0]["evidence"] = [{"quote": "words the report never says"}]
    bad.write_text(json.dumps(gold), encoding="utf-8")
    into = tmp_path / "gold"
    refused = runner.invoke(
        app, ["review", "--import", str(bad), "--into", str(into), "--document", str(document)]
    )
    assert refused.exit_code == 4 and "quote not in the document" in refused.stderr
    assert not into.exists() or not any(into.iterdir())
    args = ["review", "--import", str(good), "--into", str(into), "--document", str(document)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 4 and "already exists" in again.stderr
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


@pytest.mark.parametrize(
    "broken", [{"parties": "abc"}, {"parties": [{"aliases": [3]}]}, [1, 2], "text"]
)
def test_import_of_a_malformed_gold_file_is_an_input_error_not_a_crash(
    tmp_path: Path, broken: object
) -> None:
    path = tmp_path / "g.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    args = [
        "review",
        "--import",
        str(path),
        "--into",
        str(tmp_path / "gold"),
        "--document",
        str(SEEDS / "kabwelu-2020.txt"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 4, result.stderr
    assert "schema" in result.stderr and "This is a bug" not in result.stderr


def test_cards_are_shaded_by_confidence_and_can_be_ordered_least_sure_first(
    browser: Any, tmp_path: Path
) -> None:
    record = SummaryResult.model_validate_json((RECORDS / "kabwelu-2020.json").read_text())
    sure = [0.95, 0.2, 0.6, 0.45, 0.85, 0.7][: len(record.articles)]
    assert len(sure) >= 3
    articles = [
        a.model_copy(update={"confidence": c})
        for a, c in zip(record.articles[: len(sure)], sure, strict=True)
    ]
    articles += record.articles[len(sure) :]  # beyond the list: no confidence (goes last)
    path = tmp_path / "record.json"
    path.write_text(record.model_copy(update={"articles": articles}).model_dump_json())
    open_page(browser, make_page(path, SEEDS / "kabwelu-2020.txt", tmp_path / "p.html"))

    def shown() -> list[tuple[str | None, str]]:
        return [
            (c["confidence"], c["cls"])
            for c in browser.execute_script(
                "return Array.from(document.querySelectorAll('#list-articles .card'))"
                ".map(c => ({confidence: c.dataset.confidence || null, cls: c.className}))"
            )
        ]

    in_order = shown()
    assert [c for c, _ in in_order][: len(sure)] == [f"{v:.3f}" for v in sure]
    levels = {c: cls for c, cls in in_order}
    assert "unsure" in levels["0.200"] and "check" in levels["0.600"] and "sure" in levels["0.950"]
    click(browser, "#order-unsure")
    ranked = [c for c, _ in shown()]
    assert ranked[: len(sure)] == [f"{v:.3f}" for v in sorted(sure)]
    assert all(c is None for c in ranked[len(sure) :])
    click(browser, "#order-unsure")
    assert [c for c, _ in shown()] == [c for c, _ in in_order]
    assert browser.get_log("browser") == []


def test_an_arabic_record_shows_english_renderings_and_its_own_words_right_to_left(
    browser: Any, tmp_path: Path
) -> None:
    from fakes import FakeChatServer, fake_provider
    from test_languages import REPORTS, _answers

    from summarizer import Summarizer

    text = REPORTS["ar"]
    with Summarizer(provider=fake_provider(FakeChatServer(answers=_answers(text)))) as s:
        record = s.summarize(text)
    assert record.articles and record.articles[0].text_en
    (tmp_path / "ar.txt").write_text(text, encoding="utf-8")
    (tmp_path / "ar.json").write_text(record.model_dump_json(), encoding="utf-8")
    open_page(browser, make_page(tmp_path / "ar.json", tmp_path / "ar.txt", tmp_path / "p.html"))
    shown = browser.execute_script(
        "const card = document.querySelector('#list-articles .card');"
        "const direction = n => getComputedStyle(n).direction;"
        "return {title: card.querySelector('.title').textContent,"
        " badge: card.querySelector('.badge.translated') !== null,"
        " original: card.querySelector('.original').textContent,"
        " originalDir: direction(card.querySelector('.original')),"
        " evidenceDir: direction(card.querySelector('.ev')),"
        " docDir: direction(document.getElementById('doc')),"
        " docLang: document.getElementById('doc').lang};"
    )
    assert shown["title"].startswith(record.articles[0].text_en)
    assert shown["badge"] and shown["original"] == record.articles[0].text
    assert shown["originalDir"] == shown["evidenceDir"] == shown["docDir"] == "rtl"
    assert shown["docLang"] == "ar"
    assert browser.get_log("browser") == []
