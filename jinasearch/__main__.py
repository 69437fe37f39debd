"""`python -m jinasearch` opens the desktop app (the command line is `jinasearch`)."""

from __future__ import annotations

import sys

from .gui.app import main

if __name__ == "__main__":
    sys.exit(main())
