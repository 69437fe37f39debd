"""Whether a file of no known type is an mbox mailbox, known by its first bytes.

Mail programs keep a folder as one mbox file named after the folder, without a suffix: Thunderbird's
"Inbox" and "Sent" (beside their "Inbox.msf" summaries), Apple Mail's exported "mbox". Such a file is
read as mail when it starts like one; any other file without a suffix stays unread, as before. A
folder's name may hold a dot ("archive.2023"), so a file whose suffix no extractor reads is asked too.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..scan import fs_path

# What is read of a file of no known type: the start of its first message, whose header is rarely longer.
SNIFF_BYTES = 4096
# A header line: a field name (printable ASCII but the colon, RFC 5322 section 3.6.8), then a colon.
_HEADER_LINE = re.compile(rb"[!-9;-~]+:")


def looks_like_mbox(path: str | Path) -> bool:
    """Whether a file starts as an mbox does: a "From " line, then mail header lines up to the first
    blank line or the end of what is read. Every file of no known type that a scan meets is asked, so
    this reads SNIFF_BYTES at most, and only of a regular file (opening a FIFO would block)."""
    name = fs_path(os.fspath(path))
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            return False
        # Unbuffered, and the first line tested before the rest is split: most files asked are no
        # mail at all (a source tree's .o and .pyc files), and for them this is the whole cost.
        with open(name, "rb", buffering=0) as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    if not head.startswith(b"From "):
        return False
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    if len(head) == SNIFF_BYTES:
        lines.pop()  # cut off by the read
    if len(lines) < 2 or not _HEADER_LINE.match(lines[1]):
        return False
    for line in lines[2:]:
        if not line:
            return True  # the end of the first message's header
        if not (_HEADER_LINE.match(line) or line[:1] in (b" ", b"\t")):
            return False
    return True
