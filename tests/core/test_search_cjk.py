"""Chinese, Japanese and Korean documents found by substrings of their runs, in every search mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.models import Mode
from jinasearch.core.search import Searcher
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder

ZH = "关于存储：本系统支持数据库索引和全文检索，查询速度很快。\n\n另一段说明备份的步骤。"
JA = "この文書はデータベースの索引について説明します。"
KO = "이 문서는 데이터베이스에서 검색하는 방법을 설명합니다."


@pytest.fixture
def searcher(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "docs"
    write(root / "zh.txt", ZH)
    write(root / "ja.txt", JA)
    write(root / "ko.txt", KO)
    write(root / "en.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.")
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    s = Searcher(settings, embedder=FakeEmbedder())
    yield s
    s.close()


def found(searcher: Searcher, query: str, mode: Mode = "keyword") -> list[str]:
    return [Path(h.path).name for h in searcher.search(query, mode=mode, k=5, weak=mode != "keyword")]


@pytest.mark.parametrize("query", ["数据", "全文检索", "数据库索引和全文检索", "检"])
def test_chinese_substrings_find_the_document(searcher: Searcher, query: str) -> None:
    assert found(searcher, query) == ["zh.txt"]
    # Hybrid: the fake embedder's cosines are noise, but the words are seen as the query's.
    hit = next(h for h in searcher.search(query, k=5, weak=True) if h.path.endswith("zh.txt"))
    assert "keyword" in hit.sources and hit.evidence is not None and hit.evidence.words == 1.0


def test_japanese_and_korean_substrings(searcher: Searcher) -> None:
    assert found(searcher, "データベース") == ["ja.txt"]
    assert sorted(found(searcher, "索引")) == ["ja.txt", "zh.txt"]
    assert found(searcher, "데이터베이스") == ["ko.txt"]
    assert found(searcher, "검색") == ["ko.txt"]


def test_no_match_across_characters_that_are_not_next_to_each_other(searcher: Searcher) -> None:
    assert found(searcher, "索数") == []
    assert found(searcher, "存储备份") == []


def test_spans_mark_the_query_inside_the_run(searcher: Searcher) -> None:
    hit = searcher.search("数据库索引", mode="keyword", k=1)[0]
    assert [hit.text[s:e] for s, e in hit.term_spans] == ["数据库索引"]
    hit = searcher.search("데이터베이스", mode="hybrid", k=1)[0]
    assert [hit.text[s:e] for s, e in hit.term_spans] == ["데이터베이스"]


def test_english_alongside_is_found_as_before(searcher: Searcher) -> None:
    assert found(searcher, "lava") == ["en.txt"]
    assert found(searcher, "basalt lava", "hybrid")[0] == "en.txt"
