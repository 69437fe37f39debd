"""Render the app icon's SVG source into the PNG sizes desktops use, a Windows .ico and a macOS .icns.

Run from the repository root after editing resources/icons/jinasearch.svg:

    python packaging/make_icons.py

Needs `cairosvg` (SVG -> PNG) and `Pillow` (ICO/ICNS writers); both are build-time tools only, the app
itself never imports them. The outputs are committed so that building the app does not need them.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "jinasearch.svg"
# The freedesktop hicolor sizes plus 512 (macOS/high-DPI); 1024 only feeds the .icns.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int) -> bytes:
    import cairosvg

    return cairosvg.svg2png(url=str(SVG), output_width=size, output_height=size)


def main() -> int:
    from PIL import Image

    images = {s: Image.open(io.BytesIO(render(s))).convert("RGBA") for s in set(PNG_SIZES + ICNS_SIZES)}
    for s in PNG_SIZES:
        # optimize=True keeps the committed files small; metadata-free so rebuilding is reproducible.
        images[s].save(ICONS / f"jinasearch-{s}.png", optimize=True)
    # ICO: every size rendered from the vector source (Pillow would otherwise downscale the largest).
    big = images[max(ICO_SIZES)]
    big.save(
        ICONS / "jinasearch.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    largest = images[max(ICNS_SIZES)]
    largest.save(ICONS / "jinasearch.icns", append_images=[images[s] for s in ICNS_SIZES[:-1]])
    for p in sorted(ICONS.iterdir()):
        print(f"{p.relative_to(ROOT)}  {p.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
