"""The command line contract: commands, JSON shape, and one-line errors with non-zero exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import jinasearch.core.indexing.loading as loading_mod
from jinasearch.cli import main
from tests.core.helpers import write
from tests.fakes import FakeEmbedder, use_fake_model

HIT_FIELDS = {
    "path",
    "path_bytes",
    "page",
    "unit",
    "title",
    "section",
    "score",
    "text",
    "char_start",
    "char_end",
    "sources",
    "highlights",
    "also_in",
}


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every model name loads the fake embedder (the real one is exercised in the model tests)."""
    use_fake_model(monkeypatch, tmp_path / "data")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(root / "volcano.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.")
    write(root / "bread.md", "Bread needs flour and yeast. Knead the dough until smooth.")
    write(root / "sub" / "tides.html", "<p>Tides follow the moon. Lava never reaches the sea here.</p>")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jinasearch: error: "), err
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0]


def test_index_search_status_remove(capsys, docs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "index", str(docs))
    assert code == 0
    assert out.strip() == out.strip().splitlines()[0]  # one summary line
    assert "4 files: 3 indexed, 0 unchanged, 1 failed" in out and "status" in err

    code, out, _ = run(capsys, "search", "basalt lava", "--json", "-k", "2")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 2
    for h in hits:
        assert set(h) == HIT_FIELDS
        assert isinstance(h["score"], float) and h["page"] is None
        assert all(0 <= s < e <= len(h["text"]) for s, e in h["highlights"])
        assert set(h["sources"]) <= {"semantic", "keyword"}
    assert hits[0]["path"] == str(docs / "volcano.txt")
    assert hits[0]["sources"] == ["semantic", "keyword"]
    assert {hits[0]["text"][s:e] for s, e in hits[0]["highlights"]} >= {"lava", "Basalt"}

    code, out, _ = run(capsys, "search", "lava", "--mode", "keyword", "--folder", str(docs / "sub"), "--json")
    assert [h["path"] for h in json.loads(out)] == [str(docs / "sub" / "tides.html")]
    code, out, _ = run(capsys, "search", "lava", "--mode", "keyword", "--type", "txt", "--type", "md", "--json")
    assert [h["path"] for h in json.loads(out)] == [str(docs / "volcano.txt")]
    code, out, _ = run(capsys, "search", "lava", "--after", "2999-01-01", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "search", "lava", "--before", "2999-01-01", "--mode", "keyword")
    assert code == 0 and "volcano.txt" in out and "*lava*" in out

    code, out, _ = run(capsys, "status", "--json")
    info = json.loads(out)
    assert info["indexed"] == 3 and info["failed"] == 1 and info["model"] == "fake-model" and info["dim"] == 32
    assert info["folders"][0]["path"] == str(docs)
    assert info["failed_files"][0]["path"].endswith("broken.pdf") and info["failed_files"][0]["reason"]
    code, out, _ = run(capsys, "status")
    assert "broken.pdf" in out and "3 files indexed" in out

    code, out, _ = run(capsys, "index", str(docs))
    assert "0 indexed, 4 unchanged" in out and "0 embedded" in out

    code, out, _ = run(capsys, "remove", str(docs))
    assert code == 0 and "removed" in out
    code, out, err = run(capsys, "search", "lava")
    assert_one_line_error(code, err, "empty")


def test_queries_file_prints_one_json_array_per_line(capsys, docs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "index", str(docs))
    qfile = tmp_path / "queries.txt"
    qfile.write_text("lava\n\nbread flour\nmoon tides\n", encoding="utf-8")
    code, out, _ = run(capsys, "search", "--queries", str(qfile), "--json", "-k", "1")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    results = [json.loads(line) for line in lines]
    assert [Path(r[0]["path"]).name for r in results] == ["volcano.txt", "bread.md", "tides.html"]
    code, out, _ = run(capsys, "search", "--queries", str(qfile), "-k", "1")
    assert out.count("# ") == 3


def test_only_the_json_output_pays_for_best_sentences(capsys, docs: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The printed list shows the query's words, not the best sentence: it must not cost a model call."""
    from jinasearch.core.search import Searcher

    run(capsys, "index", str(docs))
    calls: list[int] = []
    real = Searcher.sentence_spans

    def counted(self, query, texts, **kw):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return real(self, query, texts, **kw)

    monkeypatch.setattr(Searcher, "sentence_spans", counted)
    code, out, _ = run(capsys, "search", "lava", "--no-app")
    assert code == 0 and "volcano.txt" in out and calls == []
    code, out, _ = run(capsys, "search", "lava", "--no-app", "--json")
    assert code == 0 and calls and any(len(h["highlights"]) > 0 for h in json.loads(out))


def test_data_dir_option_and_env(capsys, docs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(capsys, "index", str(docs), "--data-dir", str(tmp_path / "elsewhere"), "--exclude", "*.md")
    assert code == 0 and (tmp_path / "elsewhere" / "index.sqlite3").exists()
    assert not (tmp_path / "data").exists()
    code, out, _ = run(capsys, "status", "--data-dir", str(tmp_path / "elsewhere"), "--json")
    assert json.loads(out)["indexed"] == 2


def test_error_missing_path(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "index", str(tmp_path / "no-such-folder"))
    assert_one_line_error(code, err, "does not exist", "no-such-folder")


def test_error_missing_and_empty_index(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for argv in (["search", "x"], ["status"], ["remove", str(tmp_path)]):
        code, _, err = run(capsys, *argv)
        assert_one_line_error(code, err, "no index")
    (tmp_path / "empty").mkdir()
    assert run(capsys, "index", str(tmp_path / "empty"))[0] == 0
    code, _, err = run(capsys, "search", "x")
    assert_one_line_error(code, err, "empty")
    code, _, err = run(capsys, "remove", str(tmp_path / "never-added"))
    assert_one_line_error(code, err, "not an indexed folder")


def test_search_during_a_first_run_that_has_committed_nothing(capsys, docs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.core.config import Settings
    from jinasearch.core.indexer import Indexer

    run_ = Indexer(Settings(data_dir=tmp_path / "data", model="fake-model")).index([docs])
    assert next(run_).phase == "scan"  # holding the writer lock, nothing committed
    code, _, err = run(capsys, "search", "lava")
    assert_one_line_error(code, err, "indexing, nothing committed yet; try again in a moment")
    assert code == 2
    for _ in run_:
        pass
    code, out, _ = run(capsys, "search", "lava", "--json")
    assert code == 0 and json.loads(out)


def test_error_model_mismatch(capsys, docs: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "index", str(docs))
    code, _, err = run(capsys, "index", str(docs), "--model", "another-model")
    assert_one_line_error(code, err, "fake-model", "another-model", "--reembed")
    code, _, err = run(capsys, "search", "lava", "--model", "another-model")
    assert_one_line_error(code, err, "fake-model")
    code, out, _ = run(capsys, "index", str(docs), "--model", "another-model", "--reembed")
    assert code == 0 and "embedded" in out


def test_error_unwritable_data_dir(capsys, docs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "index", str(docs), "--data-dir", str(blocker / "data"))
    assert_one_line_error(code, err, "cannot write to data directory", "--data-dir")
    if os.geteuid() != 0:  # root writes through permissions; the case above covers it there
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        code, _, err = run(capsys, "index", str(docs), "--data-dir", str(ro))
        assert_one_line_error(code, err, "cannot write")


def test_usage_errors(capsys, docs: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "search")
    assert_one_line_error(code, err, "--queries")
    code, _, err = run(capsys, "search", "x", "--queries", str(docs / "missing.txt"))
    assert_one_line_error(code, err)
    run(capsys, "index", str(docs))
    code, _, err = run(capsys, "search", "--queries", str(docs / "missing.txt"))
    assert_one_line_error(code, err, "cannot read")
    with pytest.raises(SystemExit) as exc:
        main(["search", "x", "-k", "0"])
    assert exc.value.code != 0
    assert main([]) == 0


def test_filters_that_can_find_nothing_say_why(capsys, docs: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["search", "lava", "--type", ""])
    assert exc.value.code == 2 and "'' is not a file type; give a suffix such as pdf" in capsys.readouterr().err
    run(capsys, "index", str(docs))
    code, out, err = run(capsys, "search", "lava", "--folder", str(tmp_path / "nonexistent"))
    assert_one_line_error(code, err, "is not under any indexed folder", f"indexed: {docs}")
    assert code == 2 and out == ""
    code, _, err = run(capsys, "search", "lava", "--type", "docx")
    assert_one_line_error(code, err, "no docx files", "it has: html, md, txt")
    code, out, err = run(capsys, "search", "lava", "--mode", "keyword", "--type", "docx", "--type", ".TXT", "--json")
    assert code == 0 and "no docx files" in err and [Path(h["path"]).name for h in json.loads(out)] == ["volcano.txt"]
    monkeypatch.chdir(docs)  # a relative folder is taken from where the command runs
    code, out, _ = run(capsys, "search", "lava", "--mode", "keyword", "--folder", "sub", "--json")
    assert code == 0 and [Path(h["path"]).name for h in json.loads(out)] == ["tides.html"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="these file systems only take UTF-8 names")
def test_a_name_that_is_not_utf8_comes_out_openable(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import base64

    root = tmp_path / "docs"
    root.mkdir()
    name = os.path.join(os.fsencode(root), b"caf\xe9.txt")
    with open(name, "wb") as fh:
        fh.write(b"Espresso is brewed under pressure.")
    with open(os.path.join(os.fsencode(root), b"bro\xffken.pdf"), "wb") as fh:
        fh.write(b"%PDF-1.4 nothing")
    assert run(capsys, "index", str(root))[0] == 0
    code, out, _ = run(capsys, "search", "espresso", "--mode", "keyword", "--json")
    hit = json.loads(out)[0]
    assert code == 0 and hit["path"] == str(root / "caf\ufffd.txt")  # readable; the exact name is in path_bytes
    assert base64.b64decode(hit["path_bytes"]) == name
    with open(base64.b64decode(hit["path_bytes"]), "rb") as fh:
        assert fh.read().startswith(b"Espresso")
    code, out, _ = run(capsys, "search", "espresso", "--mode", "keyword")
    assert code == 0 and "caf\ufffd.txt" in out
    code, out, _ = run(capsys, "status", "--json")
    failed = json.loads(out)["failed_files"][0]
    assert failed["path"].endswith("bro\ufffdken.pdf") and failed["reason"]
    assert os.path.exists(base64.b64decode(failed["path_bytes"]))
    folder = json.loads(out)["folders"][0]
    assert base64.b64decode(folder["path_bytes"]) == os.fsencode(root) and folder["path"] == str(root)


def test_cli_process_exits_cleanly_without_loading_torch(tmp_path: Path) -> None:
    env = {**os.environ, "JINASEARCH_DATA_DIR": str(tmp_path / "d")}
    proc = subprocess.run(
        [sys.executable, "-m", "jinasearch.cli", "index", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parents[1],
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr


def test_before_and_after_include_the_named_day(capsys, docs: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    noon = datetime(2024, 5, 31, 12, 0).timestamp()
    os.utime(docs / "volcano.txt", (noon, noon))
    run(capsys, "index", str(docs))
    for flag in ("--before", "--after"):
        code, out, _ = run(capsys, "search", "lava", "--mode", "keyword", flag, "2024-05-31", "--json")
        assert str(docs / "volcano.txt") in [h["path"] for h in json.loads(out)], flag
    code, out, _ = run(capsys, "search", "lava", "--mode", "keyword", "--before", "2024-05-30", "--json")
    assert json.loads(out) == []
    with pytest.raises(SystemExit):
        main(["search", "lava", "--before", "31/05/2024"])


def test_status_shows_a_model_switch_under_way(capsys, docs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.core.store import Store
    from jinasearch.core.store.staging import Staging

    run(capsys, "index", str(docs))
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0 and json.loads(out)["switching_to"] is None
    store = Store(tmp_path / "data" / "index.sqlite3")
    try:
        Staging(store).begin("another-model")  # as a re-embed cancelled before its first batch leaves it
    finally:
        store.close()
    code, out, _ = run(capsys, "status", "--json")
    switch = json.loads(out)["switching_to"]
    assert code == 0 and switch["model"] == "another-model" and switch["staged"] == 0 and switch["remaining"] > 0
    code, out, _ = run(capsys, "status")
    assert "switching to model another-model" in out and "--model another-model" in out


def test_status_lists_what_the_built_in_rules_skipped_and_the_switch_indexes_it(capsys, docs: Path) -> None:  # type: ignore[no-untyped-def]
    write(docs / "node_modules" / "pkg" / "readme.md", "A package readme about left padding.")
    write(docs / "env" / "plan.txt", "The glaze recipe for the spring firing.")  # a user's folder, no pyvenv.cfg
    code, out, err = run(capsys, "index", str(docs))
    assert code == 0 and "5 files: 4 indexed" in out and "skipped by built-in rules" in err
    code, out, _ = run(capsys, "status", "--json")
    [skip] = json.loads(out)["skipped"]
    assert (skip["path"], skip["rule"]) == (str(docs / "node_modules"), "node_modules") and skip["path_bytes"]
    code, out, _ = run(capsys, "status")
    assert f"{docs / 'node_modules'}: node_modules" in out and "--no-default-excludes" in out

    code, out, err = run(capsys, "index", str(docs), "--no-default-excludes")
    assert code == 0 and "1 indexed" in out and "skipped by built-in rules" not in err
    code, out, _ = run(capsys, "status", "--json")
    assert json.loads(out)["skipped"] == [] and json.loads(out)["indexed"] == 5


def test_the_readme_and_the_help_name_every_built_in_rule() -> None:
    from jinasearch.cli_args import rules_help
    from jinasearch.core.config import DEFAULT_EXCLUDE_RULES

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "--no-default-excludes" in readme
    for rule in DEFAULT_EXCLUDE_RULES:
        assert f"`{rule}`" in readme and rule in rules_help(), rule


def test_the_readme_lists_exactly_the_json_fields_search_prints() -> None:
    import re

    from jinasearch.cli_output import hit_json
    from jinasearch.core.models import Hit

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    bullet = readme.split("`search --json` prints a JSON array of hits:", 1)[1].split("\n- ", 1)[0]
    documented = {w for w in re.findall(r"`([^`]+)`", bullet) if re.fullmatch(r"[a-z_]+", w)}
    printed = set(hit_json(Hit(1, 1, "/a.txt", None, 1.0, "text", 0, 4, ("keyword",))))
    assert documented == printed == HIT_FIELDS


def json_keys(value: object) -> set[str]:
    """Every key of a JSON value, nested ones included."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()


def test_the_readme_lists_exactly_the_json_keys_status_prints(capsys, docs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import re

    from jinasearch.core.store import Store
    from jinasearch.core.store.staging import Staging

    write(docs / "node_modules" / "pkg" / "readme.md", "A package readme.")  # skipped, where a rule skips it
    run(capsys, "index", str(docs))
    store = Store(tmp_path / "data" / "index.sqlite3")
    try:
        Staging(store).begin("another-model")  # so that switching_to is an object, not null
    finally:
        store.close()
    code, out, _ = run(capsys, "status", "--json")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    bullet = readme.split("`status --json` prints one object:", 1)[1].split("\n- ", 1)[0]
    documented = {w for w in re.findall(r"`([^`]+)`", bullet) if re.fullmatch(r"[a-z_]+", w)}
    assert code == 0 and documented == json_keys(json.loads(out))


def test_status_of_an_index_without_vectors_says_so(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Not 'None dimensions': an index made while the model could not be loaded has no vectors yet."""
    from jinasearch.core.errors import ModelUnavailableError

    def unavailable(name: str, device: str = "auto") -> FakeEmbedder:
        raise ModelUnavailableError(f"model '{name}' is not downloaded yet")

    monkeypatch.setattr(loading_mod, "load_embedder", unavailable)
    write(tmp_path / "d" / "a.txt", "a note about glaciers")
    data = tmp_path / "data"
    assert main(["index", "--data-dir", str(data), "--no-progress", str(tmp_path / "d")]) == 3  # keyword only
    capsys.readouterr()
    assert main(["status", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "None" not in out and "(no vectors yet)" in out


def test_a_device_this_machine_lacks_is_refused_with_the_reason(capsys, docs: Path) -> None:  # type: ignore[no-untyped-def]
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    with pytest.raises(SystemExit) as exit_:
        main(["index", "--device", "cuda", str(docs)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --device" in err and "no CUDA" in err and "use cpu" in err


def test_a_passage_in_two_files_is_one_hit_with_also_in(capsys, docs: Path) -> None:  # type: ignore[no-untyped-def]
    write(docs / "copy" / "volcano.txt", (docs / "volcano.txt").read_text())
    assert run(capsys, "index", str(docs))[0] == 0
    code, out, _ = run(capsys, "search", "basalt lava", "--json", "--mode", "keyword")
    hits = json.loads(out)
    same = [h for h in hits if "Basalt" in h["text"]]
    assert code == 0 and len(same) == 1
    (other,) = same[0]["also_in"]
    assert {same[0]["path"], other["path"]} == {str(docs / "volcano.txt"), str(docs / "copy" / "volcano.txt")}
    assert set(other) == {"path", "path_bytes"}
    code, out, _ = run(capsys, "search", "basalt lava", "--mode", "keyword")
    assert f"    also in: {other['path']}" in out
