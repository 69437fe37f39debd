"""The app stays thin: it imports only the core's public modules and reads no meaning out of message text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from jinasearch.core import PUBLIC

GUI = Path(__file__).resolve().parents[2] / "jinasearch" / "gui"


def core_imports(path: Path) -> list[str]:
    """The core modules a GUI file imports, as 'jinasearch.core.<name>[.<sub>]'."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 2 and (module == "core" or module.startswith("core.")):
                module = "jinasearch." + module
            if module == "jinasearch.core":
                out += [f"jinasearch.core.{a.name}" for a in node.names]
            elif module.startswith("jinasearch.core."):
                out.append(module)
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("jinasearch.core")]
    return out


# The embedding-server backend (core/embed/server) has no facade of its own: the settings dialog needs
# its address check, its connection probe and its key keeping. One GUI module is the door to it, so
# the rest of the app stays on the public modules.
SERVER_DOOR = "server_link.py"
SERVER_BACKEND = "jinasearch.core.embed.server"


def test_gui_imports_only_the_public_core_modules() -> None:
    allowed = {f"jinasearch.core.{name}" for name in PUBLIC}
    found = {p.name: core_imports(p) for p in sorted(GUI.glob("*.py"))}
    assert sum(len(v) for v in found.values()) > 20  # the scan sees the imports at all
    offenders = {
        name: [m for m in mods if m not in allowed and not (name == SERVER_DOOR and m.startswith(SERVER_BACKEND))]
        for name, mods in found.items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert any(m.startswith(SERVER_BACKEND) for m in found[SERVER_DOOR])  # the exception is still needed


# Meaning must come as types (enums, Literals, exception objects), never parsed out of text: a GUI that
# tests the start of a message, slices a prefix off a note or looks for words in an error breaks the
# day someone rewords it.
PROSE_PARSING = re.compile(
    r"""(message|note|reason|text|msg|error|str\([a-z_.]+\))\s*(\.startswith\(|\[\d+:\]|\.split\()"""
    r"""|["'][^"']{3,}["']\s+in\s+[a-z_.]*(message|note|reason|msg|error)\b"""
    r"""|\.message\b"""
)


def test_gui_reads_no_meaning_out_of_core_message_text() -> None:
    hits = []
    for path in sorted(GUI.glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PROSE_PARSING.search(line):
                hits.append(f"{path.name}:{n}: {line.strip()}")
    assert hits == []


def test_the_pattern_catches_what_it_is_for() -> None:
    for bad in (
        'if p.message.startswith("re-embedding"):',
        "self.banner.show_error(note[6:].strip())",
        'action = "Re-embed" if "was built with model" in result.message else None',
        'if str(exc).startswith("model"):',
    ):
        assert PROSE_PARSING.search(bad), bad
    assert not PROSE_PARSING.search('if path.lower().endswith(".pdf"):')
