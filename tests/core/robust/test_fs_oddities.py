"""File-system oddities: loops, special files, odd names, unreadable entries, files that move under us."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from jinasearch.core import scan as scan_mod
from jinasearch.core.extract import runner as runner_mod
from jinasearch.core.indexing import changes as changes_mod
from jinasearch.core.scan import fs_path, record_path
from jinasearch.core.search import Searcher
from tests.core.store.check import check_finished, document_states, passage_keys
from tests.fakes import FakeEmbedder

from . import proc

ROOT = os.geteuid() == 0  # root reads chmod-000 files, so there the denial is injected at the same call


def test_symlink_loops_fifos_and_devices(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "a.txt").write_text("alpha notes about rivers")
    (docs / "sub" / "loop").symlink_to(docs)  # docs/sub/loop -> docs: a cycle
    (docs / "self").symlink_to(docs / "self")  # a link to itself
    (docs / "dangling.txt").symlink_to(docs / "nowhere.txt")
    os.mkfifo(docs / "pipe.txt")  # opening it would block forever
    try:
        os.mknod(docs / "dev.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
    except (PermissionError, OSError):
        pass
    ix = proc.index(tmp_path / "data", docs)
    states = document_states(proc.settings(tmp_path / "data"))
    assert list(states) == [str(docs / "sub" / "a.txt")]  # once, despite the loop; nothing special opened
    assert ix.summary.indexed == 1


def test_names_that_are_not_utf8_round_trip(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    raw = os.fsencode(docs) + b"/caf\xe9-\xff notes.txt"  # Latin-1 bytes: not valid UTF-8
    with open(raw, "wb") as fh:
        fh.write(b"the espresso machine makes strong coffee")
    (docs / "plain.txt").write_text("tea kettle")
    data = tmp_path / "data"
    ix = proc.index(data, docs)
    assert ix.summary.indexed == 2 and ix.summary.failed == 0
    s = Searcher(proc.settings(data), embedder=FakeEmbedder())
    try:
        hits = s.search("espresso coffee", k=1, mode="keyword")
    finally:
        s.close()
    assert hits and hits[0].path == record_path(os.fsdecode(raw))
    assert os.fsencode(fs_path(hits[0].path)) == raw  # the path a view opens is the real one
    assert proc.index(data, docs).summary.unchanged == 2  # stored form matches the next scan


def test_unreadable_files_and_folders_fail_with_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "locked" / "inside.txt").write_text("cannot be listed")
    (docs / "secret.txt").write_text("cannot be read")
    (docs / "open.txt").write_text("can be read")
    if ROOT:
        real_hash, real_scandir = runner_mod.file_hash, scan_mod.os.scandir

        def file_hash(path: str) -> str:
            if path.endswith("secret.txt"):
                raise PermissionError(13, "Permission denied")
            return real_hash(path)

        def scandir(path):  # type: ignore[no-untyped-def]
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied")
            return real_scandir(path)

        monkeypatch.setattr(runner_mod, "file_hash", file_hash)
        monkeypatch.setattr(scan_mod.os, "scandir", scandir)
    else:
        os.chmod(docs / "secret.txt", 0)
        os.chmod(docs / "locked", 0)
    try:
        ix = proc.index(tmp_path / "data", docs)
    finally:
        os.chmod(docs / "secret.txt", 0o644)
        os.chmod(docs / "locked", 0o755)
    states = document_states(proc.settings(tmp_path / "data"))
    assert states[str(docs / "secret.txt")] == ("failed", "permission denied")
    assert states[str(docs / "open.txt")] == ("indexed", None)
    assert (str(docs / "locked"), "cannot read folder: Permission denied") in ix.summary.errors


def test_changed_or_deleted_between_scan_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "grows.txt").write_text("old words about apples")
    (docs / "goes.txt").write_text("this file will vanish")
    (docs / "stays.txt").write_text("steady content about pears")
    real_scan = changes_mod.scan

    def scan_then_meddle(*a, **kw):  # type: ignore[no-untyped-def]
        yield from real_scan(*a, **kw)
        (docs / "grows.txt").write_text("new words about oranges and much more besides")
        (docs / "goes.txt").unlink()

    monkeypatch.setattr(changes_mod, "scan", scan_then_meddle)
    data = tmp_path / "data"
    proc.index(data, docs)
    states = document_states(proc.settings(data))
    assert states[str(docs / "goes.txt")] == ("failed", "file disappeared before it could be read")
    texts = [k[5] for k in passage_keys(proc.settings(data)) if k[0].endswith("grows.txt")]
    assert texts == ["new words about oranges and much more besides"]  # new text, never old or a mix
    monkeypatch.undo()
    again = proc.index(data, docs)
    assert again.summary.unchanged == 2 and again.summary.removed == 1  # what was stored matches the disk
    assert check_finished(proc.settings(data)) == []


def test_file_rewritten_during_extraction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "busy.txt"
    path.write_text("version one")
    info = next(iter(scan_mod.scan([tmp_path])))
    real_extract = runner_mod.extract
    writes = iter(["version two, longer", "version three, longer still"])

    def extract_while_writing(p: str, ocr=None):  # type: ignore[no-untyped-def]
        out = real_extract(p, ocr)
        nxt = next(writes, None)
        if nxt is not None:
            Path(p).write_text(nxt)
        return out

    monkeypatch.setattr(runner_mod, "extract", extract_while_writing)
    r = runner_mod.extract_one(info, None)
    # Read once, changed; read again, changed again: given up for this run, retried on the next.
    assert r.error == runner_mod.CHANGED and r.extracted is None and r.content_hash is None
    r = runner_mod.extract_one(next(iter(scan_mod.scan([tmp_path]))), None)
    assert r.extracted is not None and r.extracted.text == "version three, longer still"


def test_failed_files_are_not_retried_until_they_change(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bad.pdf").write_bytes(b"%PDF-1.4 nothing else")
    with open(docs / "huge.log", "wb") as fh:
        fh.truncate(250 * 1024 * 1024)  # sparse
    (docs / "ok.txt").write_text("fine")
    data = tmp_path / "data"
    first = proc.index(data, docs)
    assert (first.summary.indexed, first.summary.failed) == (1, 2)
    states = document_states(proc.settings(data))
    assert states[str(docs / "huge.log")][1].startswith("too large to index")
    second = proc.index(data, docs)
    assert (second.summary.indexed, second.summary.failed, second.summary.unchanged) == (0, 0, 3)
    (docs / "bad.pdf").write_text("still not a pdf, but changed")
    third = proc.index(data, docs)
    assert (third.summary.failed, third.summary.unchanged) == (1, 2)
