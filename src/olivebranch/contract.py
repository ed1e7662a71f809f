"""Input rules shared by the public contracts (`check`, `screen`).

Bad input never stops a batch: each JSONL line is read on its own, and a line
that cannot be used becomes an error naming the line and the problem.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 10_000
ALLOWED_CONTROLS = frozenset("\t\n\r")


class InputProblem(ValueError):
    """One input that cannot be used, in plain words."""


def text_problem(text: object) -> str | None:
    """Why a text cannot be checked, or None when it can."""
    if not isinstance(text, str):
        return "text must be a string"
    if not text.strip():
        return "text is empty"
    if len(text) > MAX_TEXT:
        return f"text is {len(text):,} characters long; the limit is {MAX_TEXT:,}"
    for index, ch in enumerate(text):
        if ch not in ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc":
            return f"text contains a control character (U+{ord(ch):04X}) at position {index}"
        if unicodedata.category(ch) == "Cs":
            return f"text is not valid UTF-8 (undecodable data at position {index})"
    return None


@dataclass(frozen=True)
class Line:
    """One usable input line."""

    number: int
    id: Any
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class BadLine:
    number: int
    id: Any
    problem: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "line": self.number, "error": f"line {self.number}: {self.problem}"}


def read_lines(
    raw_lines: Iterable[bytes], required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[Line | BadLine]:
    """Each non-blank line as a Line, or a BadLine saying what is wrong with it."""
    allowed = set(required) | set(optional)
    for number, raw in enumerate(raw_lines, 1):
        if not raw.strip():
            continue
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield BadLine(number, None, f"not valid UTF-8 (byte {err.start + 1})")
            continue
        try:
            value = json.loads(decoded)
        except json.JSONDecodeError as err:
            yield BadLine(number, None, f"not JSON ({err.msg} at column {err.colno})")
            continue
        if not isinstance(value, dict):
            yield BadLine(number, None, "must be a JSON object")
            continue
        ident = value.get("id")
        missing = [name for name in required if name not in value]
        unknown = sorted(set(value) - allowed)
        if missing:
            yield BadLine(number, ident, "missing field " + ", ".join(f"'{m}'" for m in missing))
        elif unknown:
            yield BadLine(number, ident, "unknown field " + ", ".join(f"'{u}'" for u in unknown))
        elif not isinstance(ident, str | int) or isinstance(ident, bool):
            yield BadLine(number, ident, "id must be a string or a number")
        elif (problem := text_problem(value.get("text"))) is not None:
            yield BadLine(number, ident, problem)
        else:
            yield Line(number, ident, value)
