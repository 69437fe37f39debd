"""EPUB: the chapters in reading (spine) order, each a numbered unit, read with the HTML reader.

The package file (OPF) is read with zipfile and lxml rather than ebooklib: ebooklib's reader loads
every item of the book (images, fonts, audio) into memory before anything can be looked at, so a
per-chapter size cap cannot be kept, and one manifest entry whose file is missing fails the whole
book with a KeyError. Here only the spine's chapters are read, one at a time, each checked against
MAX_ITEM_BYTES first; a missing or oversized chapter is skipped and noted.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import ExtractionError
from .base import NO_TEXT, check_size
from .docx import check_zip
from .html import html_to_text
from .parts import Collector
from .plain import decode_bytes

# One chapter's XHTML above this is not read: books split text into files of well under 1 MB, and the
# HTML reader holds a tree several times the file's size.
MAX_ITEM_BYTES = 16 * 1024 * 1024
# The container and package files are a few KB; a huge one is damage or an attack, not a book.
_MAX_META_BYTES = 4 * 1024 * 1024
_HTML_TYPES = frozenset(("application/xhtml+xml", "text/html", "application/x-dtbook+xml"))
_HTML_SUFFIXES = (".xhtml", ".html", ".htm")
# Font obfuscation (IDPF, Adobe) scrambles only fonts; any other algorithm on a chapter is DRM.
_FONT_OBFUSCATION = frozenset(("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"))


@dataclass(frozen=True)
class Spine:
    """What the package file says: the book's title and its chapters' names in the zip, in order."""

    title: str
    chapters: tuple[str, ...]


def _local(el: Any) -> str:
    """An element's name without its namespace: EPUB 2 and 3 files and sloppy writers differ in prefixes."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml(zf: zipfile.ZipFile, name: str) -> Any:
    """A small XML member as an lxml tree, never resolving entities or fetching anything (a hostile
    package file must not read local files or expand a billion laughs)."""
    from lxml import etree

    info = zf.getinfo(name)
    if info.file_size > _MAX_META_BYTES:
        raise ExtractionError(f"damaged EPUB ({name} is {info.file_size / 1e6:.0f} MB)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    root = etree.fromstring(zf.read(name), parser=parser)
    if root is None:
        raise ExtractionError(f"damaged EPUB ({name} is not XML)")
    return root


def _package_name(zf: zipfile.ZipFile) -> str:
    """The OPF file's path: from META-INF/container.xml, else the only .opf in the archive."""
    try:
        container = _xml(zf, "META-INF/container.xml")
    except KeyError:
        container = None
    if container is not None:
        for el in container.iter():
            package = el.get("media-type", "application/oebps-package+xml") == "application/oebps-package+xml"
            if _local(el) == "rootfile" and el.get("full-path") and package:
                return str(el.get("full-path"))
    opfs = [n for n in zf.namelist() if n.lower().endswith(".opf")]
    if len(opfs) == 1:
        return opfs[0]
    raise ExtractionError("damaged EPUB (no package file: META-INF/container.xml missing or empty)")


def read_spine(zf: zipfile.ZipFile) -> Spine:
    """The title and the chapters (zip member names, spine order) of an open EPUB."""
    opf_name = _package_name(zf)
    try:
        opf = _xml(zf, opf_name)
    except KeyError:
        raise ExtractionError(f"damaged EPUB (package file {opf_name} missing)") from None
    base = posixpath.dirname(opf_name)
    title = next((" ".join("".join(el.itertext()).split()) for el in opf.iter() if _local(el) == "title"), "")
    manifest: dict[str, tuple[str, str]] = {}
    for el in opf.iter():
        if _local(el) == "item" and el.get("id") and el.get("href"):
            href = unquote(el.get("href").split("#", 1)[0])
            manifest[el.get("id")] = (posixpath.normpath(posixpath.join(base, href)), el.get("media-type", ""))
    chapters: list[str] = []
    for el in opf.iter():
        if _local(el) != "itemref" or el.get("idref") not in manifest:
            continue
        name, media = manifest[el.get("idref")]
        if (media in _HTML_TYPES or name.lower().endswith(_HTML_SUFFIXES)) and name not in chapters:
            chapters.append(name)
    if not chapters:
        raise ExtractionError("damaged EPUB (its spine lists no chapters)")
    return Spine(title, tuple(chapters))


def _refuse_drm(zf: zipfile.ZipFile, chapters: tuple[str, ...]) -> None:
    """Chapters encrypted by a DRM scheme are noise to the HTML reader: say so instead."""
    try:
        enc = _xml(zf, "META-INF/encryption.xml")
    except KeyError:
        return
    wanted = set(chapters)
    for data in enc.iter():
        if _local(data) != "EncryptedData":
            continue
        method = next((m.get("Algorithm", "") for m in data.iter() if _local(m) == "EncryptionMethod"), "")
        uris = {unquote(r.get("URI", "")) for r in data.iter() if _local(r) == "CipherReference"}
        if method not in _FONT_OBFUSCATION and uris & wanted:
            raise ExtractionError("encrypted EPUB (DRM-protected): its chapters cannot be read")


class EpubExtractor:
    suffixes = (".epub",)
    paged = True  # progress counts chapters: a stopped read says "at chapter 12 of 40"
    no_text = NO_TEXT
    unit = "chapter"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        check_zip(path)
        with zipfile.ZipFile(path) as zf:
            spine = read_spine(zf)
            _refuse_drm(zf, spine.chapters)
            sink.title(spine.title)
            by_lower = {n.lower(): n for n in zf.namelist()}  # hrefs whose case differs from the file's
            skipped: list[str] = []
            number = 0
            for done, name in enumerate(spine.chapters):
                markup = _chapter_markup(zf, by_lower.get(name.lower()), name, skipped)
                if markup is not None:
                    _, text, headings = html_to_text(markup)
                    if text.strip():
                        number += 1
                        sink.unit(number, text, headings)
                sink.progress(done + 1, len(spine.chapters))
        if skipped:
            sink.note(f"{len(skipped)} of {len(spine.chapters)} chapters not read ({'; '.join(skipped[:3])})")


def _chapter_markup(zf: zipfile.ZipFile, member: str | None, name: str, skipped: list[str]) -> str | None:
    """One chapter's decoded markup, or None (with the reason added to `skipped`) when it is missing,
    too large or cannot be decompressed."""
    if member is None:
        skipped.append(f"{name}: missing from the file")
        return None
    info = zf.getinfo(member)
    if info.file_size > MAX_ITEM_BYTES:
        skipped.append(f"{name}: {info.file_size / 1e6:.0f} MB, over the {MAX_ITEM_BYTES / 1e6:.0f} MB limit")
        return None
    try:
        data = zf.read(member)
    # A CRC error, a truncated member, a compression method zipfile lacks.
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as exc:
        skipped.append(f"{name}: damaged ({type(exc).__name__})")
        return None
    return decode_bytes(data)
