"""The draft as the rules see it: a normalised copy with the same offsets."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

# Curly quotes and look-alikes become plain ones; every replacement keeps the length.
_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCE_END = re.compile(r"[.!?\u2026]+(?=\s)")
_WORD = re.compile(r"[a-z0-9']+")
_SENTENCE_BREAK = re.compile(r"[.!?\u2026]+\s+|\n+")


def normalise(text: str) -> str:
    """Lower case and plain quotes, character for character (offsets stay valid)."""
    plain = text.translate(_SAME_LENGTH)
    lowered = plain.lower()
    if len(lowered) == len(plain):
        return lowered  # no character lowered to more than one: the common case, in C
    out = []
    for ch in plain:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


@dataclass(frozen=True)
class Draft:
    text: str
    norm: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", normalise(self.text))

    @cached_property
    def word_count(self) -> int:
        """Words split on whitespace, as the length rule counts them."""
        return len(self.text.split())

    @cached_property
    def sentence_count(self) -> int:
        """Sentences end at terminal punctuation (or a run of it) followed by whitespace."""
        body = self.text.strip()
        if not body:
            return 0
        return len(_SENTENCE_END.findall(body)) + 1

    @cached_property
    def _sentence_starts(self) -> list[int]:
        starts = [0]
        starts += [m.end() for m in _SENTENCE_BREAK.finditer(self.text)]
        return starts

    def sentence_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each non-blank sentence or line, trailing space trimmed."""
        bounds = [*self._sentence_starts, len(self.text)]
        spans = []
        for start, end in itertools.pairwise(bounds):
            piece = self.text[start:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                spans.append((start + lead, start + len(piece.rstrip())))
        return spans

    def sentence_of(self, index: int) -> int:
        """Which sentence (or line) an offset falls in, counting from 0."""
        return bisect_right(self._sentence_starts, index) - 1

    def words_before(self, index: int, count: int) -> list[str]:
        return _WORD.findall(self.norm[max(0, index - 60) : index])[-count:]
