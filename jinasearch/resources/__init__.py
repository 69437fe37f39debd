"""Find the files the app loads at run time (icons, the self-test sample) from source, a wheel or a bundle.

The files live inside the package (`jinasearch/resources/...`) so that a wheel carries them as package data
and PyInstaller collects them next to the package; one lookup then serves all three ways of running.
"""

from __future__ import annotations

import sys
from pathlib import Path

ICON_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256, 512)


def resources_dir() -> Path:
    """The folder holding the resource files."""
    here = Path(__file__).resolve().parent
    if (here / "icons").is_dir():
        return here
    # A frozen build whose module __file__ does not point at the collected data (e.g. a zipped archive):
    # PyInstaller unpacks/collects data under sys._MEIPASS with the same relative layout.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        frozen = Path(bundle) / "jinasearch" / "resources"
        if frozen.is_dir():
            return frozen
    raise FileNotFoundError(f"jinasearch resource files are missing (looked in {here}); reinstall the app")


def resource_path(*parts: str) -> Path:
    """The path of one resource, e.g. resource_path("icons", "jinasearch.svg"); raises if it is missing."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"jinasearch resource not found: {'/'.join(parts)} (in {resources_dir()})")
    return path


def icon_path(size: int | None = None) -> Path:
    """The app icon: the SVG without a size, else the smallest PNG at least `size` pixels (or the largest)."""
    if size is None:
        return resource_path("icons", "jinasearch.svg")
    best = next((s for s in ICON_SIZES if s >= size), ICON_SIZES[-1])
    return resource_path("icons", f"jinasearch-{best}.png")


def icon_paths() -> list[Path]:
    """Every PNG size, smallest first: what a QIcon wants so each screen scale gets a crisp image."""
    return [icon_path(s) for s in ICON_SIZES]


def sample_dir() -> Path:
    """The tiny document set `--self-test` indexes."""
    return resource_path("sample")


def app_icon():  # type: ignore[no-untyped-def]
    """The app icon as a QIcon with every PNG size (crisp at any scale); needs a QGuiApplication."""
    from PySide6.QtGui import QIcon  # lazily: this module is also used headless (self-test, packaging)

    icon = QIcon()
    for path in icon_paths():
        icon.addFile(str(path))
    return icon


__all__ = ["ICON_SIZES", "app_icon", "icon_path", "icon_paths", "resource_path", "resources_dir", "sample_dir"]
