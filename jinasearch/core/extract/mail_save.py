"""An attachment found in the index, written out of its mail file so that a person can open it.

An attachment is a document of the index (core/attached.py) but not a file on disk; to open it, the
mail is read again up to its message and the attachment's bytes are written, under its own name, into
a folder of the caller's (a private temporary one: the app's opener).
"""

from __future__ import annotations

from pathlib import Path

from ..attached import AttachedPath
from ..errors import AttachmentGoneError, ExtractionError


def save_attached(where: AttachedPath, folder: Path) -> Path:
    """Write the attachment `where` names into `folder`; its path. AttachmentGoneError when the mail
    file no longer holds it (changed or removed since the index read it)."""
    from .mail import messages_in
    from .mail_parts import named_attachments, payload_of

    mail = Path(where.mail)
    try:
        for item in messages_in(mail):
            if item.number != where.message:
                continue
            for name, part in named_attachments(item.msg):
                if name == where.name:
                    out = folder / name
                    out.write_bytes(payload_of(part))
                    return out
            break
    except (OSError, ExtractionError) as exc:
        raise AttachmentGoneError(f"cannot read {mail.name} again to open {where.name}: {exc}") from None
    raise AttachmentGoneError(
        f"{mail.name} no longer holds {where.name} (message {where.message}); index the folder again to update it"
    )
