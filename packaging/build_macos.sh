#!/usr/bin/env bash
# Build jinasearch.app (and a .dmg) on macOS. From the repository root, with Xcode command line tools:
#   packaging/build_macos.sh              uses $PYTHON (default .venv/bin/python) with the app and pyinstaller
#   packaging/build_macos.sh --setup      first creates .venv-build with them (torch from PyPI is CPU/MPS on macOS)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-.venv/bin/python}"
if [ "${1:-}" = "--setup" ]; then
  python3 -m venv .venv-build
  PYTHON=.venv-build/bin/python
  "$PYTHON" -m pip install --upgrade pip
  "$PYTHON" -m pip install . pyinstaller
fi
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/pyinstaller \
  packaging/jinasearch.spec
APP=build/dist/jinasearch.app
"$APP/Contents/MacOS/jinasearch-gui" --version
# Ad-hoc signature so Gatekeeper lets a locally built app start; use a Developer ID to distribute it.
codesign --force --deep --sign - "$APP"
hdiutil create -volname jinasearch -srcfolder "$APP" -ov -format UDZO build/jinasearch.dmg
du -sh "$APP" build/jinasearch.dmg
