from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.io.load import MAX_DOCUMENT_BYTES, check_text, decode_document, read_document


def test_utf8_with_bom_and_crlf_is_normalised():
    assert decode_document("\ufeffa\r\nb".encode()) == "a\nb"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("caf\u00e9".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_bytes_are_refused_with_a_clear_message(data: bytes, fragment: str):
    with pytest.raises(InputError, match=fragment) as info:
        decode_document(data, name="doc.txt")
    assert info.value.hint


def test_control_characters_look_binary():
    with pytest.raises(InputError, match="binary"):
        check_text("a\x01b\x02" * 50)


def test_huge_file_is_refused_before_reading(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(InputError, match="too large"):
        read_document(big)


def test_missing_file_and_directory(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


def test_utf16_with_a_byte_order_mark_is_read_as_text():
    from summarizer.io.load import decode_document

    text = "Les deux parties ont signé l'accord à Goma."
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
        assert decode_document(bom + text.encode(encoding)) == text


def test_nul_bytes_without_a_byte_order_mark_are_still_binary():
    from summarizer.errors import InputError
    from summarizer.io.load import decode_document

    with pytest.raises(InputError, match="binary"):
        decode_document(b"abc\x00def")
