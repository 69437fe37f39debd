"""Importing the extractors loads none of the formats' libraries: every command line call imports them."""

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
