"""library.check_filters: filters that can only find nothing are refused with the reason, as typed errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.errors import UnknownFolderError, UnknownTypeError
from jinasearch.core.library import check_filters
from jinasearch.core.models import Filters
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder


@pytest.fixture
def indexed(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "docs"
    write(root / "geo" / "volcano.txt", "Volcanoes erupt molten lava.")
    write(root / "food" / "bread.md", "Bread needs flour and yeast.")
    write(root / "README", "A file without a suffix.")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")  # failed: no passages, so no searchable pdf
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    return settings, root


def test_a_folder_outside_every_indexed_folder_is_refused_naming_them(indexed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    with pytest.raises(UnknownFolderError) as err:
        check_filters(settings, Filters(folder=str(tmp_path / "elsewhere")))
    assert err.value.indexed == (str(root),) and str(root) in str(err.value)
    # A sibling whose name starts the same is not inside it.
    with pytest.raises(UnknownFolderError):
        check_filters(settings, Filters(folder=str(root) + "-old"))
    for inside in (root, root / "geo", root / "gone", tmp_path):  # in, under (even deleted), or holding one
        assert check_filters(settings, Filters(folder=str(inside))) == ()


def test_types_the_index_has_no_searchable_file_of(indexed) -> None:  # type: ignore[no-untyped-def]
    settings, _root = indexed
    with pytest.raises(UnknownTypeError) as err:
        check_filters(settings, Filters(exts=("pdf", "docx")))
    assert err.value.asked == ("pdf", "docx") and err.value.known == ("md", "txt")
    assert "it has: md, txt" in str(err.value)
    assert check_filters(settings, Filters(exts=("TXT", ".pdf"))) == ("pdf",)  # some found: the rest named
    assert check_filters(settings, Filters(exts=("md",))) == ()


def test_an_index_with_nothing_searchable_leaves_the_search_to_say_so(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert check_filters(settings, Filters(folder="/nowhere", exts=("pdf",))) == ()
    (tmp_path / "empty").mkdir()
    run_index(settings, [tmp_path / "empty"], FakeEmbedder())
    assert check_filters(settings, Filters(folder="/nowhere", exts=("pdf",))) == ()


def test_removing_a_folder_gives_its_space_back(tmp_path: Path) -> None:
    """The file shrinks when a folder goes (VACUUM), so removing the only folder leaves a small index."""
    from jinasearch.core.library import remove_folder

    root = tmp_path / "docs"
    for i in range(60):
        write(root / f"note{i}.txt", f"Note {i}. " + " ".join(f"word{i}x{j}" for j in range(400)))
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())

    def size() -> int:
        return sum(p.stat().st_size for p in settings.data_dir.glob("index.sqlite3*"))

    full = size()
    assert remove_folder(settings, str(root)) == 60
    assert size() < full / 4
