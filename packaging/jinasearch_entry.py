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
    # --self-test and --version never need a screen: answer them before Qt loads, so an installed build
    # can be checked on a server or in CI without display libraries.
    if "--self-test" in sys.argv[1:]:
        from jinasearch.selftest import run_self_test

        return run_self_test()
    if "--version" in sys.argv[1:]:
        from jinasearch import __version__

        print(f"jinasearch {__version__}")
        return 0
    from jinasearch.gui.app import main as gui_main

    return gui_main() or 0


if __name__ == "__main__":
    sys.exit(main())
