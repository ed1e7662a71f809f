"""The learned part of the checker: a small logistic head on sentence embeddings.

It sees what phrase lists cannot (paraphrase: "the apartment is so quiet now")
and only adds codes the rules did not find. The head is trained by
scripts/train_head.py and stored as plain numbers in ``model/head.json``;
inference is numpy.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from olivebranch.coach.findings import Finding
from olivebranch.coach.rules.base import data
from olivebranch.coach.rules.generic import MESSAGE as GENERIC_MESSAGE
from olivebranch.coach.rules.no_contact_breach import MESSAGE as BREACH_MESSAGE
from olivebranch.coach.stages import Stage, applies
from olivebranch.coach.text import Draft, normalise

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from olivebranch.coach.encoder import Encoder

#: Codes the model may add; too_long stays purely deterministic.
MODEL_CODES = (
    "generic",
    "crisis",
    "ultimatum",
    "hostile",
    "guilt_trip",
    "pressure",
    "pleading",
    "neediness",
    "relationship_talk",
    "jealousy_play",
    "grand_gesture",
    "over_apology",
    "no_contact_breach",
)
STAGES = tuple(Stage)
# Where a stage exempts part of a code, the rules alone decide: in the honest
# conversation, asking to talk is the point, so the model adds no pressure there.
RULES_ONLY = frozenset({("pressure", Stage.CONVERSATION)})
HEAD_FILE = "head.npz"
_TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")


def grams(text: str) -> list[str]:
    """Words and symbols (emoji, "?!"), and their pairs: the sparse features."""
    tokens = [t.replace("'", "") for t in _TOKEN.findall(normalise(text))]
    tokens = [t for t in tokens if t]
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def features(embeddings: npt.NDArray[np.float32], stages: Sequence[Stage]) -> npt.NDArray[np.float32]:
    """Each embedding with the stage as a one-hot tail (the dense features)."""
    import numpy as np

    onehot = np.zeros((len(stages), len(STAGES)), dtype=np.float32)
    for row, stage in enumerate(stages):
        onehot[row, STAGES.index(stage)] = 1.0
    return np.hstack([embeddings, onehot])


def message_for(code: str) -> str:
    if code == "no_contact_breach":
        return BREACH_MESSAGE
    if code == "generic":
        return GENERIC_MESSAGE
    return str(data(code)["message"])


@dataclass(frozen=True)
class Head:
    codes: tuple[str, ...]
    dense: npt.NDArray[np.float32]  # codes x dense features
    sparse: npt.NDArray[np.float32]  # codes x vocabulary
    bias: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float32]

    def tfidf(self, text: str) -> tuple[list[int], npt.NDArray[np.float32]]:
        """Sparse tf-idf of one text (sublinear tf, unit length), as (indices, values)."""
        import numpy as np

        counts: dict[int, int] = {}
        for gram in grams(text):
            index = self.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        indices = list(counts)
        if not indices:
            return [], np.zeros(0, dtype=np.float32)
        values = (1.0 + np.log(np.array([counts[i] for i in indices], dtype=np.float32))) * self.idf[indices]
        return indices, values / np.linalg.norm(values)

    def probabilities(self, dense: npt.NDArray[np.float32], texts: Sequence[str]) -> npt.NDArray[np.float32]:
        import numpy as np

        logits = dense @ self.dense.T + self.bias
        for row, text in enumerate(texts):
            indices, values = self.tfidf(text)
            if indices:
                logits[row] += self.sparse[:, indices] @ values
        result: npt.NDArray[np.float32] = 1.0 / (1.0 + np.exp(-logits))
        return result


@cache
def load_head() -> Head | None:
    """The trained head, or None when none has been trained yet."""
    import numpy as np

    path = files("olivebranch.coach").joinpath("model", HEAD_FILE)
    if not path.is_file():
        return None
    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as raw:
        vocabulary = [str(v) for v in raw["vocabulary"]]
        return Head(
            codes=tuple(str(c) for c in raw["codes"]),
            dense=raw["dense"].astype(np.float32),
            sparse=raw["sparse"].astype(np.float32),
            bias=raw["bias"].astype(np.float32),
            thresholds=raw["thresholds"].astype(np.float32),
            vocabulary={gram: i for i, gram in enumerate(vocabulary)},
            idf=raw["idf"].astype(np.float32),
        )


class LearnedDetector:
    """A checker detector: findings for the codes the head is confident about."""

    def __init__(self, encoder: Encoder, head: Head) -> None:
        self.encoder = encoder
        self.head = head

    def __call__(self, draft: Draft, stage: Stage) -> list[Finding]:
        x = features(self.encoder.embed([draft.text]), [stage])
        probs = self.head.probabilities(x, [draft.text])[0]
        found = [
            code
            for code, p, t in zip(self.head.codes, probs, self.head.thresholds, strict=True)
            if p >= t and applies(code, stage) and (code, stage) not in RULES_ONLY
        ]
        if not found:
            return []
        spans = self._spans(draft, stage, found)
        return [Finding(code, *spans[code], message_for(code)) for code in found]

    def _spans(self, draft: Draft, stage: Stage, codes: list[str]) -> dict[str, tuple[int, int]]:
        """The sentence that scores highest for each code (the whole draft if it is one sentence)."""
        sentences = draft.sentence_spans()
        whole = (0, len(draft.text))
        if len(sentences) < 2:
            return dict.fromkeys(codes, whole)
        texts = [draft.text[s:e] for s, e in sentences]
        dense = features(self.encoder.embed(texts), [stage] * len(texts))
        probs = self.head.probabilities(dense, texts)
        spans = {}
        for code in codes:
            column = self.head.codes.index(code)
            best = int(probs[:, column].argmax())
            spans[code] = sentences[best]
        return spans


@cache
def default_detector() -> LearnedDetector | None:
    """The packaged model, loaded once per process; None if no head is trained."""
    head = load_head()
    if head is None:
        return None
    from olivebranch.coach.encoder import shared

    return LearnedDetector(shared(), head)
