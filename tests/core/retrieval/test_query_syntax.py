"""The query syntax parser: operators where one is meant, plain text everywhere else."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from jinasearch.core.errors import UnknownFolderError, UnknownTypeError
from jinasearch.core.models import QUERY_SYNTAX, Filters
from jinasearch.core.retrieval.query_syntax import ParsedQuery, narrowed, parse_query, syntax_spans


@pytest.mark.parametrize(
    "query",
    [
        "how do I undo a commit",
        "https://example.com/a-b?x=1",
        "C:\\Users\\me\\notes.txt",
        "std::vector push_back",
        "meeting at 10:30 tomorrow",
        "e-mail x-ray follow-up",
        "a - b",
        "-",
        "--verbose flag",
        "-40 degrees",
        "shopt -s globstar",  # a command's option (docs-dev d03)
        "Does set -e stop my script?",  # (docs-dev d05)
        "rm -rf a folder",
        # A command's longer options, right after it, after another option or in its command line.
        "find -name",
        "ls -lah",
        "tar -xzf archive.tar.gz",
        "gcc -Wall -Wextra",
        "java -jar app.jar",
        "find . -exec",
        "how do I use find . -name x -print",
        "sudo find / -type f -newer",
        "tar -x -verbose",
        "word-",
        '"unbalanced quote',
        'it says "hello',
        'a 5" screen',
        '"" nothing in quotes',
        '"!?" punctuation only',
        "a* b** * 2*3 *.txt",
        "foo:bar key:value",
        "type: in: type:p%f in:",
        "-type:pdf",
        'in:"never closed',
        "ünïcödé ℕ 数据库",
    ],
)
def test_text_without_operators_is_plain_and_unchanged(query: str) -> None:
    parsed = parse_query(query)
    assert parsed.plain, parsed
    assert parsed.text == query == parsed.typed


def test_surrounding_space_is_stripped_and_nothing_is_empty() -> None:
    assert parse_query("  plain words \n") == ParsedQuery("plain words", "plain words")
    assert parse_query("") == ParsedQuery("", "")
    assert parse_query("   ").text == ""


def test_phrases_straight_and_typographic() -> None:
    p = parse_query('before "exact  phrase" after “curly one” „low“')
    assert p.phrases == ("exact phrase", "curly one", "low")
    assert p.text == "before exact phrase after curly one low"  # phrases are searched by meaning too
    assert not p.plain


def test_a_phrase_glued_to_a_word_ends_at_its_quote() -> None:
    p = parse_query('"ab cd"ef')
    assert p.phrases == ("ab cd",) and p.text == "ab cd ef"


def test_an_unbalanced_quote_after_a_phrase_is_text() -> None:
    p = parse_query('"ab" "cd')
    assert p.phrases == ("ab",) and p.text == 'ab "cd'


def test_exclusions() -> None:
    p = parse_query('jaguar -cars -"big cats" -cars')
    assert p.excluded == ("cars", "big cats")  # each once, in order
    assert p.text == "jaguar"  # never embedded or looked up
    assert parse_query("notes -e-mail").excluded == ("e-mail",)
    assert parse_query("a -foo, b").excluded == ()  # punctuation glued on: text
    assert parse_query("x -abc").excluded == ("abc",)
    assert parse_query("x -ab").plain  # two letters: an option such as -rf


def test_an_exclusion_not_after_a_command_still_excludes() -> None:
    assert parse_query("snake -python").excluded == ("python",)
    assert parse_query("python -pandas").excluded == ("pandas",)  # python's own options are -m, -c
    assert parse_query("find recipes -meat").excluded == ("meat",)  # not the option of find
    assert parse_query("cat -dog").excluded == ("dog",)  # an English word first, not taken for the command
    p = parse_query("jaguar -cars -lions")
    assert p.excluded == ("cars", "lions") and p.text == "jaguar"  # an exclusion is no option to follow
    p = parse_query("ls -lah -type:pdf type:md -draft")
    assert p.text == "ls -lah -type:pdf" and p.exts == ("md",) and p.excluded == ("draft",)


def test_a_star_after_a_phrase_goes_with_it() -> None:
    p = parse_query('"ab cd"* x -"ef"* "gh"**')
    assert p.phrases == ("ab cd", "gh") and p.excluded == ("ef",)
    assert p.text == "ab cd x gh"  # no bare `*` to embed
    assert p.prefixes == ()


def test_prefixes() -> None:
    p = parse_query("config* file parse_head*")
    assert p.prefixes == ("config", "parse_head")
    assert p.text == "config file parse_head"  # embedded without the star
    assert parse_query("数*").prefixes == ("数",)
    assert parse_query("a*").plain  # one letter would ask for a fifth of the dictionary


def test_filters() -> None:
    p = parse_query('invoices type:PDF type:.docx,md in:work in:"My Notes" IN:~/x')
    assert p.exts == ("pdf", "docx", "md")
    assert p.folders == ("work", "My Notes", "~/x")
    assert p.text == "invoices"


def test_only_operators_leave_no_text() -> None:
    assert parse_query("-draft type:pdf").text == ""


@dataclass(frozen=True)
class Folder:
    path: str


def indexed(*paths: str):  # type: ignore[no-untyped-def]
    return lambda: [Folder(p) for p in paths]


def test_narrowed_keeps_a_plain_query_filters_as_given() -> None:
    f = Filters(exts=(".pdf",))
    assert narrowed(parse_query("plain words"), f, indexed()) is f
    assert narrowed(parse_query("plain words"), None, indexed()) == Filters()
    assert not narrowed(parse_query("plain words"), None, indexed())  # falsy: no filter at all
    assert narrowed(parse_query("   "), f, indexed()) is None  # nothing to search


def test_narrowed_merges_with_the_callers_filters(tmp_path: Path) -> None:
    work, notes = str(tmp_path / "Work"), str(tmp_path / "notes")
    got = narrowed(parse_query('"a b" -cats type:pdf in:work x'), Filters(exts=(".PDF", ".md")), indexed(work, notes))
    assert got == Filters(folder=work, exts=("pdf",), phrases=("a b",), excluded=("cats",))
    assert narrowed(parse_query("type:docx x"), Filters(exts=(".pdf",)), indexed()) is None  # both cannot hold
    assert narrowed(parse_query("type:docx x"), Filters(), indexed()) == Filters(exts=("docx",))


def test_a_type_the_index_has_no_file_of_is_an_error_as_in_the_filter() -> None:
    def types() -> list[str]:
        return ["md", "pdf"]

    with pytest.raises(UnknownTypeError) as info:
        narrowed(parse_query("x type:zzz"), None, indexed(), types)
    assert info.value.asked == ("zzz",) and info.value.known == ("md", "pdf")
    assert narrowed(parse_query("x type:zzz,PDF"), None, indexed(), types) == Filters(exts=("zzz", "pdf"))
    assert narrowed(parse_query("x type:zzz"), None, indexed(), list) == Filters(exts=("zzz",))  # nothing indexed


def test_in_names_a_folder_by_name_or_path(tmp_path: Path) -> None:
    work, deep = str(tmp_path / "Work"), str(tmp_path / "a" / "Work")
    folders = indexed(deep, work)
    assert narrowed(parse_query("in:work x"), None, folders).folder == work  # the shorter path of two namesakes
    sub = os.path.join(work, "2024")
    assert narrowed(parse_query("in:Work/2024 x"), None, folders).folder == sub  # inside an indexed folder
    assert narrowed(parse_query(f"in:{sub} x"), None, folders).folder == sub  # an absolute path
    # The caller's folder holds the query's: the deeper one; apart: nothing can match.
    assert narrowed(parse_query("in:Work/2024 x"), Filters(folder=work), folders).folder == sub
    assert narrowed(parse_query("in:work x"), Filters(folder=str(tmp_path / "b")), folders) is None


def test_in_naming_no_indexed_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(UnknownFolderError) as info:
        narrowed(parse_query("in:nowhere x"), None, indexed(str(tmp_path / "Work")))
    assert info.value.folder == "nowhere" and info.value.indexed == (str(tmp_path / "Work"),)
    with pytest.raises(UnknownFolderError):
        narrowed(parse_query("in:/elsewhere x"), None, indexed(str(tmp_path / "Work")))


def test_in_finds_a_folder_inside_an_indexed_one_by_its_path(tmp_path: Path) -> None:
    (tmp_path / "Work" / "reports" / "2024").mkdir(parents=True)
    folders = indexed(str(tmp_path / "Work"))
    got = narrowed(parse_query("in:reports/2024 x"), None, folders)
    assert got is not None and got.folder == str(tmp_path / "Work" / "reports" / "2024")
    with pytest.raises(UnknownFolderError):
        narrowed(parse_query("in:reports/2025 x"), None, folders)


def test_spans_mark_phrases_whole_and_prefix_matches() -> None:
    text = "Open the Pod-Bay doors. The pod bay door is open; configuration and configs. parse_header()"
    parsed = parse_query('"pod bay doors" config* parse_head*')
    spans = syntax_spans(text, parsed)
    marked = [text[s:e] for s, e in spans]
    # Stems as FTS5's porter reads them: "door" matches "doors"; punctuation splits words.
    assert marked == ["Pod-Bay doors", "pod bay door", "configuration", "configs", "parse_header"]


def test_spans_join_overlaps_with_the_words_spans() -> None:
    text = "pod bay doors"
    spans = syntax_spans(text, parse_query('"pod bay"'), [(0, 3), (4, 7), (8, 13)])
    assert spans == ((0, 7), (8, 13))


def test_every_form_in_the_syntax_table_parses_as_an_operator() -> None:
    for form, _what in QUERY_SYNTAX:
        assert not parse_query(f"plain {form}").plain, form
