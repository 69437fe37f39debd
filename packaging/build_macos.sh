#!/usr/bin/env bash
# Build jinasearch.app (and a .dmg) on macOS. From the repository root, with Xcode command line tools:
#   packaging/build_macos.sh              uses $PYTHON (default .venv/bin/python) with the app and pyinstaller
#   packaging/build_macos.sh --setup      first creates .venv-build with them (torch from PyPI is CPU/MPS on macOS)
set -euo pipefail
source "$(dirname "$0")/build_common.sh"
if [ "${1:-}" = "--setup" ]; then
  setup_build_venv  # torch from PyPI is CPU/MPS on macOS
fi
run_pyinstaller
APP=build/dist/jinasearch.app
"$APP/Contents/MacOS/jinasearch-gui" --version
# Ad-hoc signature so Gatekeeper lets a locally built app start; use a Developer ID to distribute it.
codesign --force --deep --sign - "$APP"
hdiutil create -volname jinasearch -srcfolder "$APP" -ov -format UDZO build/jinasearch.dmg
du -sh "$APP" build/jinasearch.dmg
