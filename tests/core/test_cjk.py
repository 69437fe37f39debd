"""CJK bigrams: the column text, the query expressions, and the spans and evidence they give."""

from __future__ import annotations

from jinasearch.core import cjk
from jinasearch.core.retrieval.fusion import lexical_evidence, query_words
from jinasearch.core.retrieval.highlight import lexical_best_sentence, term_spans
from jinasearch.core.retrieval.keyword import fts_query

TEXT = "我们讨论数据库索引和全文检索。"


def test_grams_are_overlapping_bigrams_of_each_run() -> None:
    assert cjk.grams("数据库 索引") == "数据 据库 库 索引 引"
    assert cjk.grams("字") == "字"
    # Other letters glued to CJK become a word of their own; plain English gives nothing at all.
    assert cjk.grams("用SQLite建立 and more") == "用 SQLite 建立 立"
    assert cjk.grams("Volcanoes erupt molten lava.") == ""
    assert cjk.grams("データベースの索引") == "デー ータ タベ ベー ース スの の索 索引 引"
    assert cjk.grams("데이터베이스에서") == "데이 이터 터베 베이 이스 스에 에서 서"


def test_query_words_with_cjk_become_bigram_phrases() -> None:
    assert fts_query("数据库索引") == '{cjk cjk_context} : "数据 据库 库索 索引"'
    assert fts_query("索引") == '{cjk cjk_context} : "索引"'
    assert fts_query("检") == '{cjk cjk_context} : "检" *'
    assert fts_query("SQLite数据库") == '("SQLite" AND {cjk cjk_context} : "数据 据库")'
    # English queries are built exactly as before.
    assert fts_query("lava flows") == '"lava" OR "flows"'
    assert fts_query('parse_header "NEAR" -x') == '"parse header" OR "NEAR" OR "x"'


def test_spans_mark_the_matched_characters() -> None:
    spans = term_spans(TEXT, "数据库 检索")
    assert [TEXT[s:e] for s, e in spans] == ["数据库", "检索"]
    # Overlapping query words give one span; English words are marked as before.
    mixed = TEXT + " Lava flows."
    assert [mixed[s:e] for s, e in term_spans(mixed, "数据 据库 flowing")] == ["数据库", "flows"]
    assert term_spans("Lava flows.", "flowing") == [(5, 10)]


def test_cjk_words_count_as_lexical_evidence() -> None:
    # Both words, side by side with no space between them, as Chinese is written.
    assert lexical_evidence(TEXT, query_words("数据库 索引", lambda w: 1, 100))[0] == 1.0
    # Both words but not side by side ("索引和全文"): the pairs' share is not given.
    q = query_words("索引 全文", lambda w: 1, 100)
    assert lexical_evidence(TEXT, q)[0] == 0.75
    assert lexical_evidence("无关的文字", q)[0] == 0.0
    assert lexical_best_sentence("天气很好。\n\n我们讨论数据库索引。", "索引") == (7, 17)
