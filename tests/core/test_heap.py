"""Freed memory goes back to the system when the app asks (glibc), and asking is harmless anywhere."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from jinasearch.core.heap import return_freed_memory


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_blocks_are_handed_back() -> None:
    return_freed_memory()
    before = rss_mb()
    # 300 MB in blocks under malloc's mmap threshold: they come from the heap, and stay when freed.
    blocks = [bytearray(100_000) for _ in range(3000)]
    held = rss_mb()
    keep = blocks[-1]  # one live block at the top: the heap cannot simply shrink from its end
    del blocks
    assert held - before > 200
    assert return_freed_memory() is True
    assert rss_mb() - before < 50
    del keep


def test_it_is_safe_from_any_thread_and_again() -> None:
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(return_freed_memory())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(isinstance(r, bool) for r in results)
