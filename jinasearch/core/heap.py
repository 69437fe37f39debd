"""Give memory that was freed back to the system, for a long-running process (the app).

Every model call allocates tensors of a new size (a batch of passages, a search's sentences).
glibc's malloc keeps what they free for reuse, and after a large block is freed it serves the next
large ones from its heaps too, which it only trims from the top: over the 48 docs-dev searches the
app went from 518 MB to 700-780 MB on a quiet machine, 1,010 MB on a busy one, and stayed there.
`malloc_trim(0)` hands the free pages back (5 ms a call); every few seconds it keeps the app at
~675 MB, the searches as fast (37 s for the 48 either way). Fixing malloc's thresholds instead
(M_MMAP_THRESHOLD) keeps memory as low but maps fresh pages for every large tensor: searches took
15-20% longer (docs/benchmarks.md, "Memory"; benchmarks/memory.py).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

# How often the app hands freed memory back: soon after a search or a batch of indexing, rarely
# enough that it costs nothing (one call takes ~5 ms).
TRIM_EVERY_S = 10.0

_trim: Callable[[int], int] | None = None
_looked = False


def return_freed_memory() -> bool:
    """Hand the C library's free pages back to the system (glibc only: macOS and Windows return large
    freed blocks by themselves). Safe from any thread at any time. True when something was returned."""
    global _trim, _looked
    if not _looked:
        _looked = True
        if sys.platform.startswith("linux"):
            try:
                fn = ctypes.CDLL(None).malloc_trim
            except (OSError, AttributeError):  # another C library (musl) has none
                fn = None
            if fn is not None:
                fn.argtypes = [ctypes.c_size_t]
                fn.restype = ctypes.c_int
                _trim = fn
    return bool(_trim(0)) if _trim is not None else False
