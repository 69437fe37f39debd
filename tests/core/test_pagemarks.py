"""Placing a passage among a page's characters: words folded, line-end hyphens joined, runs not strings."""

from __future__ import annotations

from jinasearch.core.pagemarks import find_terms, locate, page_words, terms_of, text_words


def test_words_fold_case_ligatures_and_join_marked_hyphens() -> None:
    chars = list("The ﬁle's com\x02mand\r\nRuns")
    assert [w.text for w in page_words(chars)] == ["the", "file", "s", "command", "runs"]
    command = page_words(chars)[3]
    assert "".join(chars[command.start : command.end]) == "com\x02mand"


def test_a_passage_is_placed_by_runs_of_words_not_verbatim() -> None:
    page = "Chapter 3  Shell Builtins\r\nThe read builtin reads a line from the standard input and splits it into words.\r\n12"
    words = page_words(list(page))
    where = locate(words, "the READ builtin reads a line from the standard   input and splits it into words.")
    assert where.placement == "found"
    ((start, end),) = where.ranges
    assert page[start:end] == "The read builtin reads a line from the standard input and splits it into words"


def test_lines_in_another_order_are_still_found() -> None:
    page = "splits it into words and returns.\r\nThe read builtin reads a line from the input and"
    where = locate(
        page_words(list(page)), "The read builtin reads a line from the input and splits it into words and returns."
    )
    assert where.placement == "found" and where.ranges == ((0, len(page)),)  # both lines, not the second alone


def test_a_passage_not_on_the_page_is_missing_and_no_passage_is_none() -> None:
    words = page_words(list("Apples and pears grow in the orchard."))
    assert locate(words, "The shell reads its input from a file").placement == "missing"
    assert locate(words, "").placement == "none"


def test_terms_and_phrases_are_found_wherever_they_are() -> None:
    page = "Exit status: the exit status of a pipeline is the exit status of the last command."
    words = page_words(list(page))
    found = find_terms(words, ["exit status", "pipeline"])
    assert [page[s:e] for s, e in found] == ["Exit status", "exit status", "pipeline", "exit status"]
    assert text_words("Exit-status") == ["exit", "status"]


def test_terms_come_from_a_hits_spans() -> None:
    assert terms_of("Prune the tomatoes, then water the Tomatoes", [(10, 18), (35, 43), (50, 60)]) == [
        "Tomatoes",
        "tomatoes",
    ]
