"""Kill the indexer with SIGKILL in every phase of a run, restart it, and check the index every time.

    python benchmarks/crash.py [--rounds 40] [--seed 1] [--json OUT]

Each round changes the corpus (or starts from an empty data directory), starts the indexer in a
child process (sandboxed workers, FakeEmbedder slowed to 50 ms per batch so embedding takes a
visible share of the run), aims at a phase and SIGKILLs it there. The child writes a line per step
to a progress file (each step follows a commit once reading has begun), so a kill is aimed by
progress, not by a guessed delay: at a random fraction of the files to read ("extract"), of the
passages to embed ("embed"), at the FAISS save, or at a random moment in the run's first seconds
("early": up to the median time earlier rounds took to their first commit). Where it landed
is read back from the same file:
  start-up          no step yet: imports, the writer lock, opening and checking the database
  before 1st commit the scan, worker start-up and the first file, nothing of this run committed yet
  extract           after the first commit, files still to read
  embed             from the last file's commit on: background windows in flight, then the rest
  save              the FAISS file; or finished (the run ended before the kill)
Checks after each kill:
  at rest   : integrity_check ok, no duplicate passages, FTS rows == passages, passage counts match
  workers   : no extraction worker outlives the killed indexer
  restart   : the next start needs no manual step, and does not redo files committed before the kill
  finished  : FAISS ids == passages with vectors, nothing pending, no stray temp files
  equal     : same passages and same top-5 results for 6 fixed queries as a clean run of the same corpus
A round is consistent when every check passes. "Lost" is the work a kill threw away: the seconds
since the killed run's last commit (of passages or of vectors), or since its start when it had none.
FakeEmbedder: this measures crash safety, not search quality; the real model only makes rounds slower.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Aimed at, with weights: embedding is most of a real run (docs/benchmarks.md, "Indexing speed"), so
# it gets the largest share; "early" is the start of a run, before its first commit.
AIMS = {"early": 3, "extract": 2, "embed": 5, "save": 1}
LANDED = ("start-up", "before 1st commit", "extract", "embed", "save", "finished")
EMBED_DELAY = "0.05"  # seconds per FakeEmbedder batch of 16: embedding lasts about as long as extraction
LATER = {"extract": ("embed", "save", "done"), "embed": ("save", "done"), "save": ("done",)}


@dataclass(frozen=True)
class Step:
    """One line of the child's progress file."""

    t: float
    phase: str
    files_done: int
    files_total: int
    passages_done: int
    passages_total: int


def _steps(progress: Path) -> list[Step]:
    try:
        lines = progress.read_text().splitlines()
    except OSError:
        return []
    steps = []
    for line in lines:
        f = line.split()
        if len(f) == 6:  # a line the child is still writing is skipped until it is whole
            steps.append(Step(float(f[0]), f[1], *(int(x) for x in f[2:])))
    return steps


def _reached(aim: str, steps: list[Step], fraction: float) -> bool:
    """Whether the child is where `aim` wants the kill (or already past that phase: kill at once)."""
    for s in steps:
        if s.phase in LATER[aim]:
            return True
        if aim == "extract" and s.phase == "extract" and s.files_done >= max(1, math.ceil(fraction * s.files_total)):
            return True
        if aim == "embed" and s.phase == "embed" and s.passages_done >= fraction * s.passages_total:
            return True
        if aim == "save" and s.phase == "save":
            return True
    return False


def _read_all(steps: list[Step]) -> float | None:
    """When the last file was committed: from then on the run embeds (the background embedder's
    windows in flight, then what still waits), though its first embed step comes after a batch."""
    for s in steps:
        if s.phase == "extract" and s.files_done == s.files_total > 0:
            return s.t
    return None


def _landed(steps: list[Step], finished: bool) -> str:
    if finished:
        return "finished"
    if not steps:
        return "start-up"
    last = steps[-1]
    if last.phase == "extract" and last.files_done == last.files_total > 0:
        return "embed"
    return {"scan": "before 1st commit", "done": "save"}.get(last.phase, last.phase)


def _count(data: Path, query: str, *args: object) -> int:
    """One number from the index, read-only (0 before the database or its schema exists)."""
    db = data / "index.sqlite3"
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute(query, args).fetchone()[0] or 0)
    except sqlite3.Error:
        return 0  # killed before the schema's first commit
    finally:
        conn.close()


def kill_one(
    data: Path, corpus: Path, progress: Path, tag: str, aim: str, rng: random.Random, first_commits: list[float]
) -> dict[str, Any]:
    """Start the child, kill it where `aim` says, and describe where the kill landed and what it cost."""
    from tests.core.robust import proc

    files_before = proc.committed_files(data, corpus)
    last_id = _count(data, "SELECT MAX(id) FROM passages")
    fraction = rng.uniform(0.0, 0.9)
    early = statistics.median(first_commits) if first_commits else 1.0
    t0 = time.monotonic()
    child = proc.start(data, corpus, "--embed-delay", EMBED_DELAY, "--progress-file", str(progress), tag=tag)
    if aim == "early":
        deadline = t0 + rng.uniform(0.0, early)
        while child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
    else:
        # A changed corpus leaves a short embedding phase (its first step may be its last): there an
        # embed kill comes at a random moment after the last file's commit instead.
        within = rng.uniform(0.0, 0.3) if files_before else math.inf
        while child.poll() is None:
            steps = _steps(progress)
            done = _read_all(steps) if aim == "embed" else None
            if _reached(aim, steps, fraction) or (done is not None and time.monotonic() - done >= within):
                break
            time.sleep(0.002)
        # Then a moment more: a kill right after a commit would always find nothing to lose.
        time.sleep(rng.uniform(0.0, 0.03 if aim == "save" else 0.05))
    t_kill = time.monotonic()
    finished = child.poll() is not None
    child.kill()
    child.communicate()
    steps = _steps(progress)
    files_after = proc.committed_files(data, corpus)
    commits = [s.t for s in steps if s.phase in ("extract", "embed")]
    firsts = [s.t - t0 for s in steps if s.phase == "extract"]
    return {
        "aimed_at": aim,
        "killed_in": _landed(steps, finished),
        "kill_after_s": round(t_kill - t0, 3),
        "first_commit_s": round(firsts[0], 3) if firsts else None,
        "lost_s": 0.0 if finished else round(t_kill - (commits[-1] if commits else t0), 3),
        "files_committed": files_after - files_before,
        # Vectors of the passages this run added (ids above the highest before it).
        "vectors_written": _count(data, "SELECT COUNT(*) FROM passages WHERE vector IS NOT NULL AND id > ?", last_id),
        "committed_before_kill": files_after,
    }


def check_after(work: Path, data: Path, corpus: Path, tag: str, committed: int, n: int) -> dict[str, Any]:
    """Restart on the killed index and compare with a clean run of the same corpus."""
    from tests.core.robust import proc
    from tests.core.store.check import check_at_rest, check_finished, passage_keys

    problems: list[str] = [f"at rest: {p}" for p in check_at_rest(proc.settings(data))]
    deadline = time.monotonic() + 10
    while proc.processes_tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    if proc.processes_tagged(tag):
        problems.append("extraction workers outlived the indexer")
    resumed = True
    try:
        summary = proc.run(data, corpus, tag=tag)
    except (AssertionError, subprocess.TimeoutExpired) as exc:
        problems.append(f"restart failed: {str(exc)[-300:]}")
        summary, resumed = None, False
    if summary is not None and summary["unchanged"] != committed:
        problems.append(f"restart redid files: {committed} committed, {summary['unchanged']} skipped")
        resumed = False
    problems += [f"finished: {p}" for p in check_finished(proc.settings(data))]
    clean = work / f"clean-{n}"
    proc.index(clean, corpus)
    if passage_keys(proc.settings(data)) != passage_keys(proc.settings(clean)):
        problems.append("passages differ from a clean run")
    if proc.top_results(data) != proc.top_results(clean):
        problems.append("top results differ from a clean run")
    shutil.rmtree(clean)
    return {"problems": problems, "resumed": resumed}


def mutate(corpus: Path, rng: random.Random, round_no: int) -> None:
    """Change ~25% of the files, delete 2, add 2."""
    from tests.core.robust.files import TOPICS, sentence

    files = sorted(p for p in corpus.rglob("note*") if p.is_file())
    for p in rng.sample(files, k=max(1, len(files) // 4)):
        topic = rng.choice(TOPICS)
        p.write_text(
            "\n\n".join(
                " ".join(sentence(rng, topic) for _ in range(rng.randint(2, 6))) for _ in range(rng.randint(1, 5))
            )
        )
    for p in rng.sample(files, k=2):
        p.unlink()
    for i in range(2):
        (corpus / f"d{i}" / f"note_r{round_no}_{i}.txt").write_text(sentence(rng, rng.choice(TOPICS)) * 3)


def table(rounds: list[dict[str, Any]]) -> str:
    """Per phase where the kill landed: the Markdown table docs/benchmarks.md shows."""

    def med(xs: list[float]) -> str:
        return f"{statistics.median(xs):.0f}" if xs else "–"

    lines = [
        "| killed in | kills | consistent | resumed without redoing committed files "
        "| files / new passages' vectors the killed run committed (median) | work lost: median / max s |",
        "|---|---|---|---|---|---|",
    ]
    for phase in LANDED:
        rs = [r for r in rounds if r["killed_in"] == phase]
        if not rs:
            continue
        ok = sum(not r["problems"] for r in rs)
        resumed = sum(r["resumed"] for r in rs)
        lost = [r["lost_s"] for r in rs]
        lines.append(
            f"| {phase} | {len(rs)} | {ok} / {len(rs)} | {resumed} / {len(rs)} "
            f"| {med([r['files_committed'] for r in rs])} / {med([r['vectors_written'] for r in rs])} "
            f"| {statistics.median(lost):.2f} / {max(lost):.2f} |"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from tests.core.robust.files import make_corpus

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="jinasearch-crash-"))
    corpus = make_corpus(work / "corpus", n_text=60, seed=args.seed)
    data = work / "data"
    rounds: list[dict[str, Any]] = []
    for n in range(1, args.rounds + 1):
        aim = rng.choices(list(AIMS), weights=list(AIMS.values()))[0]
        # A changed corpus leaves little to embed once reading is done (the background embedder took
        # most of it): kills aimed at embedding start from an empty index more often.
        fresh = n == 1 or rng.random() < (0.6 if aim == "embed" else 0.3)
        if fresh:
            shutil.rmtree(data, ignore_errors=True)
        else:
            mutate(corpus, rng, n)
        tag = f"crash-{args.seed}-{n}"
        firsts = [r["first_commit_s"] for r in rounds if r["first_commit_s"] is not None]
        r = {"round": n, "fresh": fresh, **kill_one(data, corpus, work / f"progress-{n}.txt", tag, aim, rng, firsts)}
        r.update(check_after(work, data, corpus, tag, r["committed_before_kill"], n))
        rounds.append(r)
        print(
            f"round {n:3d}: {'fresh' if fresh else 'changed'}, aimed at {aim:7s}, killed after {r['kill_after_s']:5.2f}s"
            f" in {r['killed_in']:17s} files+{r['files_committed']:3d} vectors+{r['vectors_written']:4d}"
            f" lost {r['lost_s']:5.2f}s -> {r['problems'] or 'consistent'}",
            flush=True,
        )
    ok = sum(not r["problems"] for r in rounds)
    print(f"\n{ok} of {len(rounds)} rounds consistent\n\n{table(rounds)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        failures = [r for r in rounds if r["problems"]]
        args.json.write_text(json.dumps({"rounds": len(rounds), "consistent": ok, "failures": failures, "all": rounds}))
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok == len(rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
