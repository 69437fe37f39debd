"""Importing the extractors loads none of the formats' libraries, and the command line imports the
extractors only where it reads files or names a hit's page."""

from __future__ import annotations

import subprocess
import sys

# Each imported by the extractor that reads its format, when it reads a file (mail: the standard library's).
FORMAT_LIBRARIES = ("odfdo", "pptx", "openpyxl", "lxml", "PIL", "striprtf", "pypdf", "pypdfium2", "docx", "mailbox")


def test_importing_the_extractors_loads_no_format_library() -> None:
    code = (
        "import sys, jinasearch.core.extract;"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({FORMAT_LIBRARIES!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == ""


def test_the_command_line_starts_without_the_extractors() -> None:
    code = (
        "import sys, jinasearch.cli; print(','.join(m for m in sys.modules if m.startswith('jinasearch.core.extract')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == ""
