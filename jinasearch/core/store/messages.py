"""A mail file's messages as the store keeps them: what `from:`, `subject:` and date filters read."""

from __future__ import annotations

import sqlite3

from ..models import Extracted
from . import schema as sql


def note_messages(conn: sqlite3.Connection, doc_id: int, extracted: Extracted) -> None:
    """Replace a document's messages with a reading's (inside its transaction; none for other files)."""
    conn.execute(sql.DELETE_MESSAGES, (doc_id,))
    if extracted.messages:
        rows = ((doc_id, m.number, m.subject, m.sender, m.sent) for m in extracted.messages)
        conn.executemany(sql.INSERT_MESSAGE, rows)
