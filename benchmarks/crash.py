"""Kill the indexer with SIGKILL at random moments, restart it, and check the index every time.

    python benchmarks/crash.py [--rounds 60] [--seed 1]

Each round changes the corpus (or starts from an empty data directory), starts the indexer in a
child process (sandboxed workers, FakeEmbedder slowed to 50 ms per batch so embedding takes a
visible share of the run), picks a phase at random, SIGKILLs it at a random moment after that phase
begins (or after a random delay, for start-up), and then checks:
  at rest   : integrity_check ok, no duplicate passages, FTS rows == passages, passage counts match
  workers   : no extraction worker outlives the killed indexer
  restart   : the next start needs no manual step, and does not redo files committed before the kill
  finished  : FAISS ids == passages with vectors, nothing pending, no stray temp files
  equal     : same passages and same top-5 results for 6 fixed queries as a clean run of the same corpus
A round is consistent when every check passes. FakeEmbedder: this measures crash safety, not
search quality, and the real model would only make each round slower.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


PHASES = ("start-up", "scan", "extract", "embed", "save")
EMBED_DELAY = "0.05"  # seconds per FakeEmbedder batch of 16: embedding lasts about as long as extraction


def _phases(progress: Path) -> list[str]:
    try:
        return progress.read_text().split()
    except OSError:
        return []


def mutate(corpus: Path, rng: random.Random, round_no: int) -> str:
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
    return "changed ~25% of files, deleted 2, added 2"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from tests.core.robust import proc
    from tests.core.robust.files import make_corpus
    from tests.core.store.check import check_at_rest, check_finished, passage_keys

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="jinasearch-crash-"))
    corpus = make_corpus(work / "corpus", n_text=60, seed=args.seed)
    data = work / "data"

    rounds = []
    for n in range(1, args.rounds + 1):
        fresh = n == 1 or rng.random() < 0.3
        if fresh:
            shutil.rmtree(data, ignore_errors=True)
        else:
            mutate(corpus, rng, n)
        tag = f"crash-{args.seed}-{n}"
        progress = work / f"progress-{n}.txt"
        # Aim at a phase, then kill at a random moment inside it: a plain random delay lands mostly in
        # start-up (imports) on a machine this slow, and rarely in the short phases that matter most.
        target = rng.choice(PHASES)
        t0 = time.monotonic()
        child = proc.start(data, corpus, "--embed-delay", EMBED_DELAY, "--progress-file", str(progress), tag=tag)
        if target != "start-up":
            while child.poll() is None and target not in _phases(progress):
                time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 1.5 if target == "start-up" else 0.4))
        delay = time.monotonic() - t0
        finished_first = child.poll() is not None
        child.kill()
        child.communicate()
        phases = _phases(progress)
        where = "finished" if finished_first else (phases[-1] if phases else "start-up")
        problems: list[str] = [f"at rest: {p}" for p in check_at_rest(proc.settings(data))]
        deadline = time.monotonic() + 10
        while proc.processes_tagged(tag) and time.monotonic() < deadline:
            time.sleep(0.1)
        if proc.processes_tagged(tag):
            problems.append("extraction workers outlived the indexer")
        committed = proc.committed_files(data, corpus)
        try:
            summary = proc.run(data, corpus, tag=tag)
        except AssertionError as exc:
            problems.append(f"restart failed: {str(exc)[-300:]}")
            summary = None
        if summary is not None and summary["unchanged"] != committed:
            problems.append(f"restart redid files: {committed} committed, {summary['unchanged']} skipped")
        problems += [f"finished: {p}" for p in check_finished(proc.settings(data))]
        clean = work / f"clean-{n}"
        proc.index(clean, corpus)
        if passage_keys(proc.settings(data)) != passage_keys(proc.settings(clean)):
            problems.append("passages differ from a clean run")
        if proc.top_results(data) != proc.top_results(clean):
            problems.append("top results differ from a clean run")
        shutil.rmtree(clean)
        rounds.append(
            {
                "round": n,
                "fresh": fresh,
                "aimed_at": target,
                "kill_after_s": round(delay, 2),
                "killed_in": where,
                "committed_before_kill": committed,
                "problems": problems,
            }
        )
        print(
            f"round {n:3d}: {'fresh' if fresh else 'changed'}, aimed at {target:8s}, killed after {delay:5.2f}s in {where:9s} "
            f"committed={committed:3d} -> {problems if problems else 'consistent'}",
            flush=True,
        )

    ok = sum(1 for r in rounds if not r["problems"])
    where = collections.Counter(r["killed_in"] for r in rounds)
    report = {
        "rounds": len(rounds),
        "consistent": ok,
        "killed_in_phase": dict(where.most_common()),
        "failures": [r for r in rounds if r["problems"]],
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({**report, "all_rounds": rounds}, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok == len(rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
