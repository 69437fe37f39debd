#!/usr/bin/env bash
# Build the Linux one-folder bundle and the .deb. From the repository root:
#   packaging/build_linux.sh              uses $PYTHON (default .venv/bin/python), which must have the app,
#                                         the CPU torch wheel and pyinstaller installed
#   packaging/build_linux.sh --setup      first creates .venv-build with exactly that
# Outputs: build/dist/jinasearch/ (the bundle) and build/jinasearch_<version>_<arch>.deb
set -euo pipefail
source "$(dirname "$0")/build_common.sh"
if [ "${1:-}" = "--setup" ]; then
  # The CPU wheel of torch: the default Linux wheel from PyPI pulls in ~3 GB of CUDA libraries.
  setup_build_venv --extra-index-url https://download.pytorch.org/whl/cpu
fi
"$PYTHON" -c "import torch, sys; sys.exit('torch is a CUDA build; install the CPU wheel or pass CUDA=1' if torch.version.cuda and not '${CUDA:-}' else 0)"
run_pyinstaller
build/dist/jinasearch/jinasearch-gui --version
packaging/linux/make_deb.sh build/dist/jinasearch build
du -sh build/dist/jinasearch build/jinasearch_*.deb
