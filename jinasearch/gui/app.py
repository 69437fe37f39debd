"""Start the desktop app: `jinasearch-gui` / `python -m jinasearch`; --version and --self-test stay headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jinasearch-gui", description="Private desktop search over your documents.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument("--self-test", action="store_true", help="check the installation (model, index, search) and exit")
    p.add_argument(
        "--data-dir",
        type=Path,
        help="where the index lives (default: $JINASEARCH_DATA_DIR or the platform's user data folder)",
    )
    p.add_argument("folders", nargs="*", help="folders to add and index at start")
    return p


def _self_test() -> int:
    try:
        from ..selftest import run_self_test  # type: ignore[import-not-found]
    except ImportError:
        print(
            "jinasearch: the self-test is not available in this build (jinasearch.selftest is missing)", file=sys.stderr
        )
        return 1
    return int(run_self_test())


def _icon():  # type: ignore[no-untyped-def]
    try:
        from .. import resources  # type: ignore[attr-defined]
    except ImportError:
        return None
    getter = getattr(resources, "app_icon", None) or getattr(resources, "icon", None)
    try:
        return getter() if getter else None
    except Exception:  # noqa: BLE001 - an icon is never worth failing to start
        return None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.version:
        print(f"jinasearch {__version__}")
        return 0
    if args.self_test:
        return _self_test()

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ..core.config import default_data_dir
    from ..core.errors import JinaSearchError
    from ..core.heap import TRIM_EVERY_S, return_freed_memory
    from .ask_service import AskService
    from .window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "jinasearch"])
    app.setOrganizationName("jinasearch")
    app.setApplicationName("jinasearch")
    app.setApplicationDisplayName("jinasearch")
    icon = _icon()
    if icon is not None:
        app.setWindowIcon(icon)
    data_dir = (args.data_dir or default_data_dir()).expanduser()
    window = MainWindow(QSettings(), data_dir)
    ask = AskService(window.controller)  # answers `jinasearch search` once the model is in
    trim = QTimer()  # what model calls freed goes back to the system (core/heap.py)
    trim.timeout.connect(return_freed_memory)
    trim.start(int(TRIM_EVERY_S * 1000))
    window.show()

    def begin() -> None:
        try:
            window.start()
            if args.folders:
                window.add_folders([str(Path(f).expanduser().resolve()) for f in args.folders])
        except JinaSearchError as exc:
            window.banner.show_error(str(exc))

    QTimer.singleShot(0, begin)
    code = app.exec()
    trim.stop()
    ask.stop()
    window.shutdown()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
