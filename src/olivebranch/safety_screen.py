"""The `screen` command's work and the screen's use across the program (outer layer)."""

from __future__ import annotations

from typing import Any

from olivebranch.safety.screen import ScreenResult, screen


def detectors() -> list[Any]:
    from olivebranch.safety.learned import default_screen_detector

    detector = default_screen_detector()
    return [detector] if detector is not None else []


def screen_text(text: str) -> ScreenResult:
    return screen(text, detectors())


def screen_json(ident: Any, result: ScreenResult, region: str | None) -> dict[str, Any]:
    from olivebranch.safety.resources import help_for_flags, load

    lines = help_for_flags(load(), [f.value for f in result.flags], region, result.writer_caused_harm)
    return {
        "id": ident,
        "flags": [f.value for f in result.flags],
        "matches": [
            {"flag": m.flag.value, "start": m.start, "end": m.end, "reason": m.reason} for m in result.matches
        ],
        "resources": [r.as_json() for r in lines],
    }
