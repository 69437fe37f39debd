"""Entry point of the frozen app: the desktop window, or the command line when run under the name `jinasearch`."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path


def main() -> int:
    # Extraction worker processes re-run this executable; freeze_support lets them become workers.
    multiprocessing.freeze_support()
    if Path(sys.argv[0]).stem.lower() == "jinasearch":
        from jinasearch.cli import main as cli_main

        return cli_main()
    # The app's own main answers --version and --self-test before it loads Qt (no screen needed).
    from jinasearch.gui.app import main as gui_main

    return gui_main() or 0


if __name__ == "__main__":
    sys.exit(main())
