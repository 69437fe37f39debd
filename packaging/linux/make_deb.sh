#!/usr/bin/env bash
# Wrap a PyInstaller one-folder build into a .deb: the bundle under /opt/jinasearch, launchers in /usr/bin,
# the icon in the hicolor theme and the desktop entry. Usage (from the repository root):
#   packaging/linux/make_deb.sh [BUNDLE_DIR] [OUT_DIR]     defaults: build/dist/jinasearch build/
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUNDLE="${1:-$ROOT/build/dist/jinasearch}"
OUT="${2:-$ROOT/build}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/jinasearch/__init__.py")"
ARCH="$(dpkg --print-architecture)"
[ -x "$BUNDLE/jinasearch-gui" ] || { echo "no bundle at $BUNDLE; run packaging/build_linux.sh first" >&2; exit 1; }

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" "$STAGE/DEBIAN"
cp -a "$BUNDLE" "$STAGE/opt/jinasearch"
# The same executable is the command line when started under the name `jinasearch`.
ln -s jinasearch-gui "$STAGE/opt/jinasearch/jinasearch"
for name in jinasearch-gui jinasearch; do
  cat > "$STAGE/usr/bin/$name" <<SH
#!/bin/sh
exec /opt/jinasearch/$name "\$@"
SH
  chmod 0755 "$STAGE/usr/bin/$name"
done
install -m 0644 "$ROOT/packaging/linux/jinasearch.desktop" "$STAGE/usr/share/applications/jinasearch.desktop"
for size in 16 24 32 48 64 128 256 512; do
  dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 0644 "$ROOT/resources/icons/jinasearch-$size.png" "$dir/jinasearch.png"
done
mkdir -p "$STAGE/usr/share/icons/hicolor/scalable/apps"
install -m 0644 "$ROOT/resources/icons/jinasearch.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/jinasearch.svg"

SIZE_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<CTRL
Package: jinasearch
Version: $VERSION
Architecture: $ARCH
Maintainer: jinasearch developers <jinasearch@localhost>
Installed-Size: $SIZE_KB
Depends: libc6, libgl1, libegl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0
Section: utils
Priority: optional
Homepage: https://huggingface.co/jinaai/jina-embeddings-v2-small-en
Description: private local document search by meaning and by words
 Drop folders on jinasearch and search their text, PDF, DOCX and HTML files in plain language.
 Everything stays on this computer; the embedding model is downloaded once on first run.
CTRL
cat > "$STAGE/DEBIAN/postinst" <<'SH'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
SH
cp "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
chmod 0755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"

DEB="$OUT/jinasearch_${VERSION}_${ARCH}.deb"
# xz gives the smallest download and every dpkg reads it, but takes minutes on 1 GB; DEB_COMPRESS=zstd
# (dpkg >= 1.21.18: Debian 12, Ubuntu 21.10 and later) is many times faster for local builds.
COMPRESS="${DEB_COMPRESS:-xz}"
dpkg-deb --root-owner-group "-Z$COMPRESS" --build "$STAGE" "$DEB"
echo "$DEB"
