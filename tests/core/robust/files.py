"""Generators for the files robustness tests need: a small corpus, PDFs (whole and truncated), DOCX bombs."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

TOPICS = (
    "volcano eruption lava magma crater ash",
    "sourdough bread flour yeast oven crust",
    "violin concerto orchestra melody bow strings",
    "glacier ice climate melting fjord",
    "chess opening gambit bishop knight endgame",
    "honeybee hive pollen queen nectar",
    "submarine sonar hull depth torpedo periscope",
    "tomato garden compost seedling greenhouse",
    "telescope nebula galaxy orbit comet astronomer",
    "bicycle chain gear pedal saddle spoke",
    "pottery kiln glaze clay wheel ceramic",
    "lighthouse keeper fog coast beacon storm",
)


def pdf_bytes(pages: list[str]) -> bytes:
    """A minimal valid PDF with one line of Helvetica text per page (no library needed)."""
    objs: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font_obj = 3 + 2 * n_pages
    for i, text in enumerate(pages):
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 11 Tf 40 750 Td ({safe}) Tj ET".encode()
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font_obj} 0 R >> >> >>".encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))


def write_docx_bomb(path: Path, expands_mb: int = 64) -> None:
    """A DOCX-shaped zip whose one member inflates ~1000x: the classic decompression bomb."""
    block = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(expands_mb):
                fh.write(block)


def sentence(rng: random.Random, topic: str) -> str:
    words = topic.split()
    return " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))).capitalize() + "."


def make_corpus(root: Path, n_text: int = 40, seed: int = 7) -> Path:
    """Text, Markdown, HTML, PDF and DOCX files with distinct topical content (deterministic)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n_text):
        topic = TOPICS[i % len(TOPICS)]
        paras = ["\n".join(sentence(rng, topic) for _ in range(rng.randint(3, 8))) for _ in range(rng.randint(1, 6))]
        sub = root / f"d{i % 4}"
        sub.mkdir(exist_ok=True)
        suffix = (".txt", ".md")[i % 2]
        (sub / f"note{i:03d}{suffix}").write_text(f"Note {i} about {topic.split()[0]}\n\n" + "\n\n".join(paras))
    for i in range(3):
        topic = TOPICS[(i * 5) % len(TOPICS)]
        pages = [sentence(rng, topic) + " " + sentence(rng, topic) for _ in range(3)]
        (root / f"report{i}.pdf").write_bytes(pdf_bytes(pages))
        write_docx(root / f"letter{i}.docx", [sentence(rng, TOPICS[(i * 7) % len(TOPICS)]) for _ in range(4)])
        (root / f"page{i}.html").write_text(
            f"<html><head><title>Page {i}</title></head><body><p>"
            f"{sentence(rng, TOPICS[(i * 3) % len(TOPICS)])}</p></body></html>"
        )
    return root


QUERIES = (
    "volcano lava crater",
    "bread yeast oven",
    "galaxy comet orbit",
    "chess knight endgame",
    "honeybee pollen",
    "lighthouse fog storm",
)
