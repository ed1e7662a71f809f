"""The screen's learned head: one logistic output per flag on the shared encoder."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from olivebranch.coach.learned import Head, all_hyperbole, sentence_units
from olivebranch.coach.rules.base import checker_rule
from olivebranch.coach.text import Draft
from olivebranch.safety.screen import FLAGS, Flag, Match

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from olivebranch.coach.encoder import Encoder

SCREEN_HEAD = "screen_head.npz"
REASONS = {
    Flag.CRISIS: (
        "This sounds like you may not be safe with yourself right now. You don't have to hold "
        "that alone: the lines below are free and there at any hour."
    ),
    Flag.ABUSE: (
        "Something here sounds like harm, fear or control in the relationship. If that's right, "
        "support and safety come first; if the screen misread you, you can review it."
    ),
    Flag.HARASSMENT_RISK: (
        "Something here sounds like watching or contacting them in ways they haven't chosen. "
        "That has to stop, for their safety and for your own recovery."
    ),
}


class ScreenDetector:
    """Scores the text for every flag: as a whole, window by window when it is longer than the
    encoder reads at once, and (if the head was trained so) sentence by sentence."""

    def __init__(self, encoder: Encoder, head: Head, sentences: bool, window_stride: int = 0) -> None:
        self.encoder = encoder
        self.head = head
        self.sentences = sentences
        self.window_stride = window_stride

    def __call__(self, draft: Draft) -> list[Match]:
        spans, probs = self._score(draft.text)
        found = []
        for column, flag in enumerate(FLAGS):
            row = int(probs[:, column].argmax())
            if probs[row, column] < self.head.thresholds[column]:
                continue
            if flag is Flag.CRISIS and (all_hyperbole(draft) or self._set_aside_explains(draft, column)):
                continue  # jokes, idioms and denials only: the checker's model reads them so too
            found.append(Match(flag, *spans[row], REASONS[flag]))
        return found

    def _score(self, text: str) -> tuple[list[tuple[int, int]], npt.NDArray[np.float32]]:
        """The spans read (the whole text first) and each one's probability of every flag."""
        spans = [(0, len(text))]
        if self.window_stride:
            spans += self.encoder.windows(text, self.window_stride)
        if self.sentences:
            spans += sentence_units(text)
        texts = [text[s:e] for s, e in spans]
        return spans, self.head.probabilities(self.encoder.embed(texts), texts)

    def _set_aside_explains(self, draft: Draft, column: int) -> bool:
        """The crisis reading comes from what the crisis rules set aside (a joke, an idiom, a
        denial: "she asked if i'd thought about ending it and honestly, no. just sad"): read
        without those parts, the rest of the text no longer reaches the threshold."""
        blocked = sorted(checker_rule("crisis").blocked(draft))
        if not blocked:
            return False
        pieces, start = [], 0
        for s, e in blocked:
            pieces.append(draft.text[start:s])
            start = max(start, e)
        pieces.append(draft.text[start:])
        rest = " ".join(p.strip() for p in pieces if p.strip())
        if not rest:
            return True
        _, probs = self._score(rest)
        return bool(probs[:, column].max() < self.head.thresholds[column])


@cache
def default_screen_detector() -> ScreenDetector | None:
    import numpy as np

    path = files("olivebranch.safety").joinpath("model", SCREEN_HEAD)
    if not path.is_file():
        return None
    from olivebranch.coach.encoder import shared

    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as raw:
        head = Head(
            codes=tuple(f.value for f in FLAGS),
            dense=raw["weights"].astype(np.float32),
            sparse=raw["sparse"].astype(np.float32),
            bias=raw["bias"].astype(np.float32),
            thresholds=raw["thresholds"].astype(np.float32),
            vocabulary={str(g): i for i, g in enumerate(raw["vocabulary"])},
            idf=raw["idf"].astype(np.float32),
        )
        # window_stride: 0 (heads trained before long texts were read in windows) reads the
        # whole text only.
        stride = int(raw["window_stride"]) if "window_stride" in raw.files else 0
        return ScreenDetector(shared(), head, bool(raw["sentences"]), stride)
