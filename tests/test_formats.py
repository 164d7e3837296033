"""PDF, Word and web pages in: their text, pages and metadata, and a clear error (exit 4) for
what cannot be read. The PDFs and the Word file are made here; the page is a fixture written
for the project."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from fakes import FakeChatServer, fake_provider
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from summarizer import InputError, Summarizer
from summarizer.cli import app
from summarizer.io.formats import load_document

PAGE = Path(__file__).parent / "data" / "pages" / "ceasefire-report.html"
TERM_1 = "Fighters will withdraw from the river crossing within a week."
TERM_2 = "Both sides will exchange all detainees held since the autumn."


def two_page_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.set_title("Korvath truce")
    for lead, term in (("The parties signed a truce in Korvath.", TERM_1), ("Article 2.", TERM_2)):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{lead} {term}")
    pdf.output(str(path))
    return path


def answers_quoting(*terms: str) -> FakeChatServer:
    server = FakeChatServer()
    server.answers["ArticlesDraft"] = {"terms": [{"quote": t} for t in terms]}
    return server


def test_a_pdf_gives_evidence_with_its_page_and_exact_offsets(tmp_path: Path):
    path = two_page_pdf(tmp_path / "truce.pdf")
    loaded = load_document(path)
    assert loaded.source.kind == "pdf" and loaded.source.pages == 2
    assert loaded.source.title == "Korvath truce"
    with Summarizer(provider=fake_provider(answers_quoting(TERM_1, TERM_2))) as s:
        record = s.summarize_file(path)
    pages = {a.evidence[0].quote: a.evidence[0].page for a in record.articles}
    assert pages == {TERM_1: 1, TERM_2: 2}
    for article in record.articles:
        for ev in article.evidence:
            assert loaded.text[ev.start : ev.end] == ev.quote
    assert record.source is not None and record.source.kind == "pdf"


def test_a_pdf_with_no_text_layer_is_a_clear_input_error(tmp_path: Path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a scan is an image: no text at all
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(InputError, match="no text layer") as caught:
        load_document(path)
    assert "OCR" in (caught.value.hint or "")


def test_a_corrupt_pdf_is_an_input_error(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF")
    with pytest.raises(InputError, match="PDF"):
        load_document(path)


def test_an_encrypted_pdf_is_an_input_error(tmp_path: Path):
    plain = two_page_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="encrypted"):
        load_document(path)


def test_a_word_file_gives_its_paragraphs_tables_and_title(tmp_path: Path):
    word = docx.Document()
    word.core_properties.title = "Korvath truce"
    word.add_paragraph("The parties signed a truce in Korvath.")
    word.add_paragraph(TERM_1)
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Article 2"
    table.rows[0].cells[1].text = TERM_2
    path = tmp_path / "truce.docx"
    word.save(str(path))
    loaded = load_document(path)
    assert TERM_1 in loaded.text and f"Article 2 | {TERM_2}" in loaded.text
    assert loaded.source.kind == "docx" and loaded.source.title == "Korvath truce"


def test_a_saved_page_gives_the_article_without_menus_and_its_metadata():
    loaded = load_document(PAGE)
    assert "withdraw from the river crossing" in loaded.text
    assert "newsletter" not in loaded.text and "Cookie" not in loaded.text
    source = loaded.source
    assert source.kind == "html"
    assert source.outlet == "The Marden Courier"
    assert source.url == "https://courier.example.org/world/valley-truce-korvath"
    assert source.published == "2021-03-14"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeChatServer:
    fake = answers_quoting(TERM_1, TERM_2)
    monkeypatch.setattr("summarizer.api.open_provider", lambda settings: fake_provider(fake))
    return fake


def test_the_cli_keeps_a_pdfs_text_beside_its_record(server: FakeChatServer, tmp_path: Path):
    path = two_page_pdf(tmp_path / "truce.pdf")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["summarize", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads((out / "truce.json").read_text(encoding="utf-8"))
    text = (out / "truce.source.txt").read_text(encoding="utf-8")
    for article in record["articles"]:
        ev = article["evidence"][0]
        assert text[ev["start"] : ev["end"]] == ev["quote"]
    assert record["source"]["kind"] == "pdf"


def test_the_cli_refuses_a_scanned_pdf_with_exit_4(server: FakeChatServer, tmp_path: Path):
    pdf = FPDF()
    pdf.add_page()
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    result = CliRunner().invoke(app, ["summarize", str(path)])
    assert result.exit_code == 4
    assert "no text layer" in result.stderr and "OCR" in result.stderr
    assert server.requests == []


def test_source_url_and_date_fill_the_source_block_of_a_text(
    server: FakeChatServer, tmp_path: Path
):
    path = tmp_path / "report.txt"
    path.write_text(f"The parties signed a truce in Korvath. {TERM_1} {TERM_2}", encoding="utf-8")
    args = ["summarize", str(path), "--format", "json", "--source-url", "https://x.example/a"]
    result = CliRunner().invoke(app, [*args, "--source-date", "2021-03-14"])
    assert result.exit_code == 0, result.output
    source = json.loads(result.stdout)["source"]
    assert source == {
        "kind": "text",
        "title": None,
        "outlet": None,
        "url": "https://x.example/a",
        "published": "2021-03-14",
        "pages": None,
    }
    bad = CliRunner().invoke(app, ["summarize", str(path), "--source-date", "2021-13-40"])
    assert bad.exit_code == 2
