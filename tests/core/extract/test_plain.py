"""Plain text: encodings are detected (BOMs, charset-normalizer), binary is refused, whitespace normalised."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract, supported
from jinasearch.core.extract.base import clean_text, looks_binary
from jinasearch.core.extract.plain import decode_bytes

FRENCH = (
    "Le café était fermé, alors nous sommes allés à la crêperie près de l'église. "
    "Là, la propriétaire nous a servi une galette complète et un cidre très frais. "
) * 3
JAPANESE = "東京の天気は晴れです。明日は雨が降るでしょう。日本語の文章を正しく読み取れるか確認します。" * 3


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", FRENCH),
        ("cp1252", FRENCH + " “quotes” — dash"),
        ("utf-16", FRENCH),
        ("utf-8-sig", FRENCH),
        ("shift_jis", JAPANESE),
        ("utf-16", JAPANESE),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, text: str) -> None:
    f = tmp_path / "doc.txt"
    f.write_bytes(text.encode(encoding))
    assert extract(f).text == clean_text(text)


def test_decode_bytes_never_raises_on_garbage() -> None:
    assert isinstance(decode_bytes(bytes(range(128, 256)) * 10), str)
    assert decode_bytes(b"") == ""


def test_markdown_and_code_are_text(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\nSome *words*.\n")
    (tmp_path / "b.py").write_text("def parse_header(x):\n    return x\n")
    assert extract(tmp_path / "a.md").text == "# Title\n\nSome *words*."
    assert "parse_header" in extract(tmp_path / "b.py").text
    assert supported("x.RST") and supported("y.rs") and not supported("z.exe")


def test_binary_empty_and_unsupported_fail_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"abc\x00\x01\x02def")
    (tmp_path / "empty.txt").write_bytes(b"  \n\n ")
    (tmp_path / "x.exe").write_bytes(b"MZ")
    for name, reason in (("bin.txt", "binary"), ("empty.txt", "no text"), ("x.exe", "unsupported")):
        with pytest.raises(ExtractionError) as err:
            extract(tmp_path / name)
        assert reason in err.value.reason
    with pytest.raises(ExtractionError, match="disappeared"):
        extract(tmp_path / "gone.txt")


def test_clean_text_keeps_paragraphs_and_drops_controls() -> None:
    assert clean_text("a\r\nb\t\t c\x07\n\n\n\n\nd  ") == "a\nb c\n\nd"
    assert looks_binary(b"a\x00b") and not looks_binary(b"\xff\xfea\x00")
