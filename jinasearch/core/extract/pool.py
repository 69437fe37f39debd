"""Choose how extraction runs (placeholder: in-process until the sandboxed runner lands)."""

from __future__ import annotations

from .runner import InlineRunner, Runner


def default_runner() -> Runner:
    return InlineRunner()
