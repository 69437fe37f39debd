# Sourced by build_linux.sh and build_macos.sh: the steps the two builds share.
# Runs from the repository root; PYTHON (default .venv/bin/python) must have the app and pyinstaller.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-.venv/bin/python}"

# Create .venv-build with the app and pyinstaller; extra arguments go to pip (e.g. an index URL).
setup_build_venv() {
  python3 -m venv .venv-build
  PYTHON=.venv-build/bin/python
  "$PYTHON" -m pip install --upgrade pip
  "$PYTHON" -m pip install "$@" . pyinstaller
}

# The one-folder bundle (Linux) or .app (macOS) under build/dist, from packaging/jinasearch.spec.
run_pyinstaller() {
  "$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/pyinstaller \
    packaging/jinasearch.spec
}
