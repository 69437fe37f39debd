"""The entry point: --version and --self-test stay headless; the window opens before torch is imported."""

from __future__ import annotations

import subprocess
import sys

HEAVY = "('torch', 'faiss', 'sentence_transformers', 'transformers')"


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()


def test_version_prints_and_creates_no_window() -> None:
    out = _run(
        "import sys; from jinasearch.gui.app import main; code = main(['--version']); "
        f"print(code, [m for m in sys.modules if m.split('.')[0] in {HEAVY} + ('PySide6',)])"
    )
    assert out.splitlines() == ["jinasearch 0.1.0", "0 []"]


def test_python_m_jinasearch_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "jinasearch", "--version"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "jinasearch 0.1.0"


def test_window_is_shown_before_any_heavy_import(tmp_path) -> None:
    code = f"""
import os, sys
os.environ['QT_QPA_PLATFORM'] = 'offscreen'
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pathlib import Path
app = QApplication([])
from jinasearch.gui.window import MainWindow
w = MainWindow(QSettings(r'{tmp_path}/s.ini', QSettings.Format.IniFormat), Path(r'{tmp_path}/data'), watch=False)
w.show()
app.processEvents()
print(w.isVisible(), [m for m in sys.modules if m.split('.')[0] in {HEAVY}])
w.shutdown()
"""
    assert _run(code) == "True []"
