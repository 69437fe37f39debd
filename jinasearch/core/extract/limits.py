"""How long a file may take, judged by what it is doing: CPU time scaled to its size, and signs of progress.

A fixed wall-clock limit per file punished exactly the documents people care most about: a normal
261-page manual took 13 s of pypdf under load and failed at 30 s on a busy machine. Here nothing
counts the wall clock while a parser works: a worker watches its own CPU time (which a busy machine
does not inflate) and its progress (pages, blocks), and ends a read only when
- it has used more CPU than the file's budget (BASE plus PER_MB for each megabyte), or
- it made no progress (no new page or block) for STALL_CPU_S of CPU time, or
- it has been idle, using no CPU and making no progress, for IDLE_S (waiting on a dead network drive).
What was read before a stall is kept; the rest is recorded with the reason. The runner kills a
worker only when it hears nothing from it at all for SILENT_S (frozen, or stuck holding the GIL).
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    base_cpu_s: float = 60.0
    cpu_s_per_mb: float = 20.0
    stall_cpu_s: float = 30.0
    idle_s: float = 120.0
    silent_s: float = 60.0
    # How often a busy worker says it is alive (and how far it got).
    heartbeat_s: float = 1.0

    @classmethod
    def uniform(cls, seconds: float) -> Limits:
        """Every limit `seconds`, nothing per MB (tests of misbehaving parsers)."""
        return cls(seconds, 0.0, seconds, seconds, max(seconds * 2, 2.0), min(1.0, seconds / 4))

    def cpu_budget(self, size: int) -> float:
        return self.base_cpu_s + self.cpu_s_per_mb * size / MB


DEFAULT_LIMITS = Limits()
