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
from olivebranch.coach.rules import PHRASE_CODES
from olivebranch.coach.rules.base import checker_rule, data
from olivebranch.coach.rules.generic import MESSAGE as GENERIC_MESSAGE
from olivebranch.coach.rules.no_contact_breach import MESSAGE as BREACH_MESSAGE
from olivebranch.coach.stages import Stage, applies
from olivebranch.coach.text import Draft, normalise

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from olivebranch.coach.encoder import Encoder

#: Codes the model may add; too_long stays purely deterministic.
MODEL_CODES = ("generic", *PHRASE_CODES, "over_apology", "no_contact_breach")
# The stages the head was trained with, in its one-hot order. Answering reads like
# a first message (the same limits apply), so it shares first_contact's slot.
STAGES = (
    Stage.NO_CONTACT,
    Stage.FIRST_CONTACT,
    Stage.FOLLOW_UP,
    Stage.REBUILDING,
    Stage.CONVERSATION,
)
_STAGE_SLOT = {**{stage: i for i, stage in enumerate(STAGES)}, Stage.ANSWERING: 1}
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


def sentence_units(text: str) -> list[tuple[int, int]]:
    """The sentences scored on their own: those of a message with two or more."""
    spans = Draft(text).sentence_spans()
    return spans if len(spans) >= 2 else []


def features(embeddings: npt.NDArray[np.float32], stages: Sequence[Stage]) -> npt.NDArray[np.float32]:
    """Each embedding with the stage as a one-hot tail (the dense features)."""
    import numpy as np

    onehot = np.zeros((len(stages), len(STAGES)), dtype=np.float32)
    for row, stage in enumerate(stages):
        onehot[row, _STAGE_SLOT[stage]] = 1.0
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
    sentence_codes: tuple[bool, ...] = ()

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
            sentence_codes=tuple(bool(b) for b in raw["sentence_codes"])
            if "sentence_codes" in raw.files
            else (),
        )


class LearnedDetector:
    """A checker detector: findings for the codes the head is confident about."""

    def __init__(self, encoder: Encoder, head: Head) -> None:
        self.encoder = encoder
        self.head = head

    def __call__(self, draft: Draft, stage: Stage) -> list[Finding]:
        """Score the draft (and, for longer drafts, each sentence). Most codes are judged on
        the whole draft; those the head marks (crisis) also on any single sentence. A finding
        points at the sentence that scores highest."""
        import numpy as np

        whole = (0, len(draft.text))
        spans = [whole, *sentence_units(draft.text)]
        texts = [draft.text[s:e] for s, e in spans]
        dense = features(self.encoder.embed(texts), [stage] * len(texts))
        probs = self.head.probabilities(dense, texts)
        by_sentence = np.array(self.head.sentence_codes or [False] * len(self.head.codes))
        score = np.where(by_sentence, probs.max(axis=0), probs[0])
        findings = []
        for column, code in enumerate(self.head.codes):
            if score[column] < self.head.thresholds[column]:
                continue
            if not applies(code, stage) or (code, stage) in RULES_ONLY:
                continue
            row = 0 if len(spans) == 1 else 1 + int(probs[1:, column].argmax())
            if code == "crisis" and hyperbole(draft, spans[row]):
                continue
            findings.append(Finding(code, *spans[row], message_for(code)))
        return findings


_LIGHT = re.compile(r"\b(lol|lmao|lmfao|haha+|hehe|jk|rofl)\b|😂|🤣|💀|😆|😅|🙃")


def hyperbole(draft: Draft, span: tuple[int, int], blocked: list[tuple[int, int]] | None = None) -> bool:
    """A model-only crisis reading of a sentence that is a known idiom, or carries a light
    marker ("i'm dead last lol"). The rules still catch plain statements; the screen asks
    this of every sentence of a text (``all_hyperbole``). ``blocked``: where the crisis
    exceptions match, if already known."""
    start, end = span
    if _LIGHT.search(draft.norm[start:end]):
        return True
    if blocked is None:
        blocked = checker_rule("crisis").blocked(draft)
    return any(s < end and start < e for s, e in blocked)


def all_hyperbole(draft: Draft) -> bool:
    """Every sentence of the text is a crisis idiom, a joke or a denial."""
    spans = draft.sentence_spans() or [(0, len(draft.text))]
    blocked = checker_rule("crisis").blocked(draft)
    return all(hyperbole(draft, span, blocked) for span in spans)


@cache
def default_detector() -> LearnedDetector | None:
    """The packaged model, loaded once per process; None if no head is trained."""
    head = load_head()
    if head is None:
        return None
    from olivebranch.coach.encoder import shared

    return LearnedDetector(shared(), head)
