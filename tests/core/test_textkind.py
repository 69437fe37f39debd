"""Prose or data: machine-made files (logs, tables, dumps, minified code) are data, documents are prose,
and the verdict reads a bounded sample of any text, read as the app reads it (core.extract)."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from jinasearch.core import textkind as tk
from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract, supported
from jinasearch.core.textkind import KindVerdict, classify
from tests.core import datafiles, prosefiles

REPO = Path(__file__).resolve().parents[2]
DOCS_DEV = Path(os.environ.get("DOCS_DEV_DIR", "/tmp/docs-dev"))
# Judged by content alone (as if they were .txt), these docs-dev pages are machine-made text: a table of
# release dates and a page that is mostly a sample report. As .html they are prose (textkind docstring).
DOCS_DEV_TABLES = {"sqlite/chronology.html", "sqlite/sqlanalyze.html"}


def read(path: Path) -> str:
    """The text the app would classify: through the extractor where it reads the format, else as is."""
    return extract(path).text if supported(path) else path.read_text(encoding="utf-8")


def fired(v: KindVerdict) -> list[str]:
    """The content signals at or over their marks."""
    marks = {
        "numbers": tk.NUMBERS_MIN,
        "line_shape": tk.LINE_SHAPE_MIN,
        "table": tk.TABLE_MIN,
        "repetition": tk.REPETITION_MIN,
        "long_lines": tk.LONG_LINES_MIN,
    }
    return [name for name, mark in marks.items() if getattr(v, name) >= mark]


DATA: list[tuple[str, Callable[[Path, float], None]]] = [
    ("app.log", datafiles.write_log),
    ("orders.csv", datafiles.write_csv),
    ("orders.tsv", datafiles.write_tsv),
    ("orders.jsonl", datafiles.write_jsonl),
    ("orders.json", datafiles.write_json),
    ("orders-one-line.json", lambda p, mb: datafiles.write_json(p, mb, indent=None)),
    ("orders.xml", datafiles.write_xml),
    ("bundle.min.js", datafiles.write_minified_js),
    ("readings.txt", datafiles.write_numbers),
]


@pytest.mark.parametrize(("name", "write"), DATA, ids=[n for n, _ in DATA])
def test_machine_made_files_are_data_by_type_and_by_content(
    tmp_path: Path, name: str, write: Callable[[Path, float], None]
) -> None:
    path = tmp_path / name
    write(path, 0.3)
    text = read(path)
    assert classify(path.suffix, text).kind == "data"
    # The same text saved as .txt is data by its content alone.
    v = classify(".txt", text)
    assert v.kind == "data" and v.reason not in ("", "suffix"), v


def test_a_log_with_stack_traces_and_sentences_is_told_by_its_line_beginnings(tmp_path: Path) -> None:
    datafiles.write_log(tmp_path / "app.txt", 2)
    v = classify(".txt", read(tmp_path / "app.txt"))
    assert v.reason == "line_shape" and v.sentences < tk.SENTENCES_PROSE


def _log_lines(fmt: str, rng: random.Random) -> str:
    ip, n = f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}", rng.randint(1, 99999)
    s, m = rng.randint(10, 59), rng.randint(10, 59)
    msg = rng.choice(("user logged in", "cache miss for key", "the upload finished but the thumbnail failed"))
    return {
        "apache": f'{ip} - - [05/Mar/2024:06:{m}:{s} +0000] "GET /item/{n} HTTP/1.1" 200 {n} "-" "curl/8.5.0"',
        "syslog": f"Mar  5 06:{m}:{s} web1 sshd[{n}]: Accepted publickey for anna from {ip} port {n} ssh2",
        "json": f'{{"ts": "2024-03-05T06:{m}:{s}.{n % 1000:03d}Z", "level": "info", "msg": "{msg}", "id": {n}}}',
        "python": f"2024-03-05 06:{m}:{s},{n % 1000:03d} - worker.jobs - INFO - {msg} {n}",
        "dmesg": f"[ {n % 900}.{n:06d}] usb 1-{n % 4}: new high-speed USB device number {n % 90} using xhci_hcd",
    }[fmt]


@pytest.mark.parametrize("fmt", ["apache", "syslog", "json", "python", "dmesg"])
def test_common_log_formats_saved_as_txt_are_data(fmt: str) -> None:
    rng = random.Random(fmt)
    text = "\n".join(_log_lines(fmt, rng) for _ in range(400))
    assert classify(".txt", text).kind == "data"


PROSE = [
    ("mail export", ".mbox", prosefiles.mbox),
    ("article with a table", ".md", prosefiles.markdown_article),
    ("manual page", ".txt", prosefiles.man_page),
    ("C source", ".c", prosefiles.c_source),
    ("Japanese", ".txt", prosefiles.japanese),
]


@pytest.mark.parametrize(("name", "suffix", "make"), PROSE, ids=[n for n, _, _ in PROSE])
def test_documents_are_prose_and_no_content_signal_fires(
    tmp_path: Path, name: str, suffix: str, make: Callable[[], str]
) -> None:
    path = tmp_path / f"doc{suffix if supported(f'x{suffix}') else '.txt'}"
    path.write_text(make(), encoding="utf-8")
    text = read(path)
    assert len(text) >= tk.MIN_CONTENT_CHARS  # judged by content, not waved through as short
    for s in (suffix, ".txt"):
        v = classify(s, text)
        assert v.kind == "prose" and v.reason == "", (s, v)
    assert fired(classify(".txt", text)) == []


def test_a_csv_of_peoples_own_words_is_prose(tmp_path: Path) -> None:
    """A data format whose rows are mostly sentences (reviews, survey answers) is searched by meaning."""
    (tmp_path / "reviews.csv").write_text(prosefiles.reviews_csv(), encoding="utf-8")
    v = classify(".csv", read(tmp_path / "reviews.csv"))
    assert v.kind == "prose" and v.sentences >= tk.SENTENCES_PROSE


def test_this_repositorys_code_and_docs_are_prose_even_as_txt() -> None:
    files = [*sorted((REPO / "jinasearch").rglob("*.py")), REPO / "README.md", REPO / "docs" / "architecture.md"]
    wrong = {str(p.relative_to(REPO)): classify(".txt", read(p)) for p in files if p.stat().st_size > 0}
    assert {k: v for k, v in wrong.items() if v.kind != "prose"} == {}


def test_minified_code_is_data_hand_written_code_prose(tmp_path: Path) -> None:
    datafiles.write_minified_js(tmp_path / "bundle.js", 0.1)
    assert classify(".js", read(tmp_path / "bundle.js")).reason == "long_lines"
    assert classify(".py", read(REPO / "jinasearch" / "core" / "textkind.py")).kind == "prose"


def test_short_texts_and_written_formats() -> None:
    assert classify(".txt", "") == KindVerdict("prose", "")
    assert classify(".json", '{"theme": "dark", "font_size": 12, "recent": [1, 2, 3]}').kind == "prose"
    assert classify(".csv", "a,b\n1,2\n").reason == "suffix"  # the type decides without content
    numbers = "\n".join(f"{i} {i * 3.5:.1f} {i * i}" for i in range(2000))
    assert classify(".txt", numbers).reason == "numbers"
    assert classify(".pdf", numbers).kind == "prose"  # a document format: written to be read


def test_a_50_mb_text_is_judged_from_a_bounded_sample_spread_over_it() -> None:
    log = "\n".join(
        f"2024-03-05 06:{i % 60:02d}:00,{i % 1000:03d} INFO job {i} done in {i % 97} ms" for i in range(5000)
    )
    text = "START first line\n" + (log + "\n") * (50_000_000 // len(log) + 1) + "END last line"
    assert len(text) >= 50_000_000
    lines = tk.sample_lines(text)
    assert sum(len(s) for s in lines) <= tk.SAMPLE_CHARS
    assert lines[0] == "START first line" and lines[-1] == "END last line"  # from the first to the last window
    heads = tk.line_heads(text)
    assert len(heads) <= tk.HEAD_PROBES * tk.HEAD_LINES and all(len(h) <= 24 for h in heads)
    v = classify(".txt", text)
    assert (v.kind, v.reason) == ("data", classify(".txt", log).reason)  # the sample says what the whole says


def test_a_line_longer_than_the_sample_is_read_in_windows() -> None:
    packed = "".join(f"var a{i}=b({i},c);" for i in range(3_000_000))  # one 50 MB line
    lines = tk.sample_lines(packed)
    assert len(lines) == tk.WINDOWS and sum(map(len, lines)) <= tk.SAMPLE_CHARS
    assert classify(".js", packed).reason == "long_lines"
    no_spaces = "東京の天気は晴れです。明日は雨が降るでしょう。" * 100_000  # prose without spaces: not packed code
    assert classify(".txt", no_spaces).kind == "prose"


@pytest.fixture(scope="module")
def docs_dev_texts() -> dict[str, str]:
    if not DOCS_DEV.is_dir():
        pytest.skip(
            f"docs-dev is not built at {DOCS_DEV} (set DOCS_DEV_DIR, or build it: "
            f"bash ../shared/eval/docs-dev/build.sh {DOCS_DEV})"
        )
    paths = sorted(p for p in DOCS_DEV.rglob("*") if p.is_file() and supported(p))
    return {str(p.relative_to(DOCS_DEV)): extract(p).text for p in paths}


def test_every_docs_dev_document_is_prose(docs_dev_texts: dict[str, str]) -> None:
    assert len(docs_dev_texts) >= 700
    verdicts = {name: classify(Path(name).suffix.lower(), text) for name, text in docs_dev_texts.items()}
    assert {n: v for n, v in verdicts.items() if v.kind != "prose"} == {}


def test_docs_dev_by_content_alone_is_prose_but_for_its_two_tables(docs_dev_texts: dict[str, str]) -> None:
    """The content marks hold on 760 real manuals and pages: saved as .txt, only the two pages that are
    machine-made text (a date table, a sample report) would be data."""
    data = {name for name, text in docs_dev_texts.items() if classify(".txt", text).kind == "data"}
    assert data <= DOCS_DEV_TABLES


def test_hostile_corpus_texts_in_many_encodings_are_prose(shared_dir: Path) -> None:
    """Real text in 51 encodings (Chinese, Japanese, Hebrew, Greek, Russian...): prose; the one dump
    among them (a macOS hardware registry listing) is data."""
    root = shared_dir / "corpora" / "hostile" / "chardet"
    if not root.is_dir():
        pytest.skip(f"no hostile corpus at {root}")
    verdicts = {}
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() in (".txt", ".html", ".srt") and supported(p):
            try:
                verdicts[str(p.relative_to(root))] = classify(p.suffix.lower(), extract(p).text)
            except ExtractionError:  # a file the extractor refuses is not this test's business
                continue
    assert len(verdicts) > 90
    assert {n for n, v in verdicts.items() if v.kind == "data"} == {"MacRoman/ioreg_output.txt"}
