"""Suggestions: a better draft when the verdict is revise, and what to do instead on hold.

The rewrite keeps the sentences nothing was found in, within the stage's length
limits; when too little is left (or it would be generic), it offers a light shape
with a placeholder. Whatever it offers has passed the checker with verdict
``send`` for the same stage, or nothing is offered.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any

from olivebranch.coach.checker import CheckResult
from olivebranch.coach.findings import Severity, Verdict
from olivebranch.coach.stages import LENGTH_LIMITS, Stage
from olivebranch.coach.text import Draft

Checker = Callable[[str, Stage], CheckResult]


def suggestion(result: CheckResult, checker: Checker) -> str | None:
    """A draft that passes for the stage, or None (hold, send, or nothing safe to offer)."""
    if result.verdict is not Verdict.REVISE:
        return None
    for candidate in (_kept(result), *shapes(result.stage)):
        if candidate and checker(candidate, result.stage).verdict is Verdict.SEND:
            return candidate
    return None


@cache
def _data() -> dict[str, Any]:
    """suggestions.toml: the shapes offered per stage, and what to do instead of a hold."""
    text = files("olivebranch.coach").joinpath("suggestions.toml").read_text("utf-8")
    parsed: dict[str, Any] = tomllib.loads(text)
    return parsed


def shapes(stage: Stage) -> list[str]:
    return [str(s) for s in _data()["shapes"].get(stage.value, [])]


def instead(result: CheckResult) -> str | None:
    """On hold: why not now, and what to do instead (the most serious reason first)."""
    if result.verdict is not Verdict.HOLD:
        return None
    texts = _data()["instead"]
    codes = {f.code for f in result.findings if f.severity is Severity.HOLD}
    for code in ("crisis", "no_contact_breach", "hostile", "ultimatum"):
        if code in codes:
            return str(texts[code])
    return str(texts["default"])


def _kept(result: CheckResult) -> str:
    """The draft's clean sentences, trimmed to the stage's limits."""
    draft = Draft(result.text)
    whole = len(result.text)
    marked = [(f.start, f.end) for f in result.findings if f.end - f.start < whole]
    if any(f.end - f.start >= whole and f.code != "too_long" for f in result.findings):
        return ""  # something about the whole message: nothing of it can stay as it is
    kept: list[str] = []
    most_sentences, most_words = LENGTH_LIMITS.get(result.stage, (None, 10_000))
    words = 0
    for start, end in draft.sentence_spans():
        if any(s < end and start < e for s, e in marked):
            continue
        sentence = result.text[start:end].strip()
        count = len(sentence.split())
        if most_sentences is not None and len(kept) >= most_sentences:
            break
        if words + count > most_words:
            break
        kept.append(sentence)
        words += count
    return " ".join(kept)
