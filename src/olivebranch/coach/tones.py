"""The tones a reply can have (no imports: the command line loads this at start-up)."""

from __future__ import annotations

from enum import StrEnum


class Tone(StrEnum):
    WARM = "warm"
    NEUTRAL = "neutral"
    BRIEF = "brief"
    COOL = "cool"
    HOSTILE = "hostile"
