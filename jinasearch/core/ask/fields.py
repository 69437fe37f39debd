"""Field checks for records rebuilt from JSON (wire.py): a wrong type is a WireError, never a record holding it."""

from __future__ import annotations

from typing import Any


class WireError(ValueError):
    """A message that is not one of wire.py's records (bad JSON, a field missing or of the wrong type)."""


def as_str(x: object) -> str:
    if not isinstance(x, str):
        raise WireError(f"expected text, got {type(x).__name__}")
    return x


def as_bool(x: object) -> bool:
    if not isinstance(x, bool):
        raise WireError(f"expected true or false, got {type(x).__name__}")
    return x


def as_int(x: object) -> int:
    if isinstance(x, bool) or not isinstance(x, int):
        raise WireError(f"expected a whole number, got {type(x).__name__}")
    return x


def as_float(x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise WireError(f"expected a number, got {type(x).__name__}")
    return float(x)


def as_opt_float(x: object) -> float | None:
    return None if x is None else as_float(x)


def optional(body: dict[str, Any], key: str, kind: type) -> Any:
    """`body[key]` checked as `kind` (str, int or float); None when it is missing or null."""
    x = body.get(key)
    if x is None:
        return None
    return {str: as_str, int: as_int, float: as_float}[kind](x)


def list_at(body: dict[str, Any], key: str) -> list[Any]:
    x = body.get(key, [])
    if not isinstance(x, list):
        raise WireError(f"{key} must be a list")
    return x


def as_span(x: object) -> tuple[int, int]:
    if not isinstance(x, list) or len(x) != 2:
        raise WireError("a span is [start, end]")
    return as_int(x[0]), as_int(x[1])
