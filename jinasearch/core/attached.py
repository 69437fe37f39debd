"""Where a mail attachment lives in the index: a document of its own, under its mail file's path.

An attachment read as a document (core/extract/mail.py) is stored as `MAIL/NUMBER/NAME`: the mail
file's path, the message's number in it and the attachment's name. A regular file can never have
that path (MAIL is a file, not a folder), so it cannot collide with a file on disk, and what reads
paths as paths still works on it: the name's suffix is its type (`type:pdf` finds an attached PDF),
its base name is what a result card shows, and a folder filter on the mail's folder takes it in.
The row also records its mail's document (`parent_id`): it goes when the mail goes or changes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .scan import fs_path

# What a mail file is called: the suffixes core/extract/mail.py reads, and an attachment path's mail file.
EML_SUFFIXES = (".eml",)
MBOX_SUFFIXES = (".mbox", ".mbx")
MAIL_SUFFIXES = EML_SUFFIXES + MBOX_SUFFIXES


@dataclass(frozen=True)
class AttachedPath:
    """An attachment's place: its mail file, the message's number in it and its name."""

    mail: str
    message: int
    name: str


def attached_path(mail: str, message: int, name: str) -> str:
    return f"{mail}/{message}/{name}"


def split_attached(path: str) -> AttachedPath | None:
    """The attachment a path names, or None for any other path: read from the text (a message number,
    a name without separators, the mail file's suffix), and for a mailbox named otherwise (a
    Thunderbird folder, "Inbox" or "archive.2023", core/extract/mbox_sniff.py) from the disk: MAIL is a
    regular file there, which the folder of a real file's path can never be."""
    head, sep, name = path.rpartition("/")
    mail, sep2, number = head.rpartition("/")
    if not (sep and sep2 and name and number.isdigit()):
        return None
    if mail.lower().endswith(MAIL_SUFFIXES) or _is_file(mail):
        return AttachedPath(mail, int(number), name)
    return None


@lru_cache(maxsize=4096)
def _is_file(path: str) -> bool:
    """Whether a regular file is at `path`, asked of the disk once per path: a result card asks at every
    paint, and "~/Taxes/2023/receipt.pdf" is shaped like an attachment's path (a mailbox that appears
    under a name already asked about is known at the next start)."""
    return os.path.isfile(fs_path(path))


def unique_names(names: Iterable[str]) -> list[str]:
    """The names of one message's attachments, each unique: a second "scan.pdf" is "scan (2).pdf"."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        stem, ext = os.path.splitext(name)
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{stem} ({n}){ext}"
        seen.add(candidate)
        out.append(candidate)
    return out


def written_out(where: AttachedPath) -> Path:
    """A copy of the attachment, written out of its mail into a new private temporary folder, to open.
    AttachmentGoneError (core/errors.py) when the mail no longer holds it."""
    from .extract.mail_save import save_attached  # the mail readers, only when one is opened

    folder = Path(tempfile.mkdtemp(prefix="jinasearch-attachment-"))
    try:
        return save_attached(where, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # nothing to open: leave no empty folder behind
        raise
