"""Find the files the app loads at run time (icons, the self-test sample) from source, a wheel or a bundle.

The files live in the repository's top-level `resources/` folder. A wheel installs them as data files
under `<prefix>/share/jinasearch`; a PyInstaller bundle carries them as `<bundle>/resources`. One lookup
serves all three ways of running.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path

ICON_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256, 512)


def candidates() -> list[Path]:
    """Where the resource folder may be, most specific first."""
    found: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # a frozen build: PyInstaller puts the collected data under sys._MEIPASS
        found.append(Path(bundle) / "resources")
    found.append(Path(__file__).resolve().parent.parent / "resources")  # a source checkout
    for prefix in (sysconfig.get_path("data"), sys.prefix, getattr(site, "USER_BASE", None)):
        if prefix:  # an installed wheel: data files under <prefix>/share/jinasearch
            found.append(Path(prefix) / "share" / "jinasearch")
    return found


def resources_dir() -> Path:
    """The folder holding the resource files."""
    places = candidates()
    for place in places:
        if (place / "icons").is_dir():
            return place
    raise FileNotFoundError(
        f"jinasearch resource files are missing (looked in {', '.join(map(str, places))}); reinstall the app"
    )


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
