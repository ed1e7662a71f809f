"""The reply reader: what the ex's reply says, and what it means for the next step.

Tone comes from a small learned head (``model/reply_head.npz``) on the same
sentence encoder as the checker; rules in ``reply.toml`` make sure a request for
no contact is never missed and a closing or hostile reply is never read as warm.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from olivebranch.coach.learned import grams
from olivebranch.coach.text import normalise
from olivebranch.coach.tones import Tone

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from olivebranch.coach.encoder import Encoder


TONES = tuple(Tone)
REPLY_HEAD = "reply_head.npz"
BRIEF_WORDS = 2


@dataclass(frozen=True)
class NextStep:
    code: str
    text: str


NEXT_STEPS = {
    Tone.WARM: NextStep(
        "answer_lightly",
        "A warm reply. Answer at a relaxed pace, keep it light and short, and let things "
        "build slowly; no relationship talk yet.",
    ),
    Tone.NEUTRAL: NextStep(
        "give_it_time",
        "A polite reply, not yet a warm one. Don't push; give it time before you write again, "
        "and keep the next message light.",
    ),
    Tone.BRIEF: NextStep(
        "give_it_time",
        "A short reply. Don't read too much into it either way, and don't push; give it time "
        "before you write again.",
    ),
    Tone.COOL: NextStep(
        "give_space",
        "A cool or closing reply. Give them space; don't argue or ask why. Put your energy "
        "into your own life for now.",
    ),
    Tone.HOSTILE: NextStep(
        "step_back",
        "A hostile reply. Don't engage or defend yourself; step back and look after yourself. "
        "Talk it over with someone you trust.",
    ),
}
RESPECT_BOUNDARY = NextStep(
    "respect_boundary",
    "They asked not to be contacted. Respect that fully: no more messages, no matter how "
    "the reply was worded. The program moves you to moving on.",
)


@dataclass(frozen=True)
class ReplyReading:
    tone: Tone
    no_contact_requested: bool
    logistics: bool

    @property
    def next_step(self) -> NextStep:
        return RESPECT_BOUNDARY if self.no_contact_requested else NEXT_STEPS[self.tone]


@dataclass(frozen=True)
class ReplyRules:
    no_contact: tuple[re.Pattern[str], ...]
    closing: tuple[re.Pattern[str], ...]
    practical: tuple[re.Pattern[str], ...]
    #: Phrases that say the opposite of a request ("you don't have to stop texting me"):
    #: a no-contact match overlapping one of them does not count.
    not_no_contact: tuple[re.Pattern[str], ...] = ()
    #: An invitation to be in touch ("can we talk on the phone this week?"): a reply with one
    #: asks for no contact only if a request phrase says so, not on the model's reading alone.
    invites: tuple[re.Pattern[str], ...] = ()
    #: An invitation put off ("let's talk one day, for now i need space"): not an invitation.
    defers: tuple[re.Pattern[str], ...] = ()


@cache
def rules() -> ReplyRules:
    raw: dict[str, Any] = tomllib.loads(files("olivebranch.coach").joinpath("reply.toml").read_text("utf-8"))
    return ReplyRules(
        *(
            tuple(re.compile(p) for p in raw.get(key, ()))
            for key in ("no_contact", "closing", "practical", "not_no_contact", "invites", "defers")
        )
    )


def asks_no_contact(text: str) -> bool:
    """Whether the reply asks not to be contacted, by the rules (negations excluded)."""
    norm = normalise(text)
    found = rules()
    blocked = [m.span() for p in found.not_no_contact for m in p.finditer(norm)]
    return any(
        not any(s < m.end() and m.start() < e for s, e in blocked)
        for p in found.no_contact
        for m in p.finditer(norm)
    )


def invites_contact(text: str) -> bool:
    """Whether the reply invites the writer to be in touch now, by the rules (an invitation put
    off, "let's talk when the kids are older, for now i need space", is not one)."""
    norm = normalise(text)
    found = rules()
    return any(p.search(norm) for p in found.invites) and not any(p.search(norm) for p in found.defers)


def is_closing(text: str) -> bool:
    norm = normalise(text)
    return any(p.search(norm) for p in rules().closing)


@dataclass(frozen=True)
class ReplyHead:
    dense: npt.NDArray[np.float32]  # outputs x 384; outputs: the tones, then ncr, logistics
    sparse: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float32]
    ncr_threshold: float
    logistics_threshold: float
    warm_margin: float

    @classmethod
    def thresholds_only(
        cls, ncr_threshold: float, logistics_threshold: float, warm_margin: float
    ) -> ReplyHead:
        """A head with its thresholds and no weights, for ``decide`` on scores computed elsewhere
        (cross-validation in scripts/train_reply.py, and the tests)."""
        import numpy as np

        empty = np.zeros(0, dtype=np.float32)
        return cls(
            dense=np.zeros((0, 0), dtype=np.float32),
            sparse=np.zeros((0, 0), dtype=np.float32),
            bias=empty,
            vocabulary={},
            idf=empty,
            ncr_threshold=ncr_threshold,
            logistics_threshold=logistics_threshold,
            warm_margin=warm_margin,
        )

    def scores(self, embedding: npt.NDArray[np.float32], text: str) -> npt.NDArray[np.float32]:
        import numpy as np

        logits = self.dense @ embedding + self.bias
        counts: dict[int, int] = {}
        for gram in grams(text):
            index = self.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if counts:
            indices = list(counts)
            values = (1.0 + np.log(np.array([counts[i] for i in indices], dtype=np.float32))) * (
                self.idf[indices]
            )
            logits = logits + self.sparse[:, indices] @ (values / np.linalg.norm(values))
        result: npt.NDArray[np.float32] = logits
        return result


@cache
def load_reply_head() -> ReplyHead | None:
    import numpy as np

    path = files("olivebranch.coach").joinpath("model", REPLY_HEAD)
    if not path.is_file():
        return None
    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as raw:
        return ReplyHead(
            dense=raw["dense"].astype(np.float32),
            sparse=raw["sparse"].astype(np.float32),
            bias=raw["bias"].astype(np.float32),
            vocabulary={str(g): i for i, g in enumerate(raw["vocabulary"])},
            idf=raw["idf"].astype(np.float32),
            ncr_threshold=float(raw["ncr_threshold"]),
            logistics_threshold=float(raw["logistics_threshold"]),
            warm_margin=float(raw["warm_margin"]),
        )


class ReplyReader:
    def __init__(self, encoder: Encoder, head: ReplyHead) -> None:
        self.encoder = encoder
        self.head = head

    def __call__(self, text: str) -> ReplyReading:
        return decide(text, self.head.scores(self.encoder.embed([text])[0], text), self.head)


def decide(text: str, logits: npt.NDArray[np.float32], head: ReplyHead) -> ReplyReading:
    """The reading from the head's scores and the rules (also used to cross-validate)."""
    import numpy as np

    tone_logits = logits[: len(TONES)]
    probs = np.exp(tone_logits - tone_logits.max())
    probs = probs / probs.sum()
    # The model's reading of a request gives way to an invitation to talk; a request phrase
    # does not ("can we talk about the kids only? otherwise please don't text me").
    ncr = asks_no_contact(text) or (
        _sigmoid(logits[len(TONES)]) >= head.ncr_threshold and not invites_contact(text)
    )
    order = [TONES[i] for i in np.argsort(-probs)]
    tone = order[0]
    # A close call: warm leads cool and hostile taken together by less than the margin ("oh we
    # adopted a dog, me and sam. anyway glad you're good" reads warm 0.6, neutral 0.2, cool and
    # hostile 0.2 between them: not warm enough to count as warm).
    cold = probs[TONES.index(Tone.COOL)] + probs[TONES.index(Tone.HOSTILE)]
    if tone is Tone.WARM and (ncr or is_closing(text) or probs.max() - cold < head.warm_margin):
        tone = order[1]  # never read a closing reply, or a close call with one, as warm
    if tone is Tone.WARM:
        tone = Tone.WARM if not ncr else Tone.COOL
    if tone not in (Tone.HOSTILE, Tone.COOL) and _words(text) <= BRIEF_WORDS and not ncr:
        tone = Tone.BRIEF
    logistics = (
        not ncr
        and tone in (Tone.NEUTRAL, Tone.BRIEF)
        and _sigmoid(logits[len(TONES) + 1]) >= head.logistics_threshold
    )
    return ReplyReading(tone, bool(ncr), bool(logistics))


def _words(text: str) -> int:
    """Words of a reply; an emoji or a run of punctuation is not a word ("haha yes 😂" is two)."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def _sigmoid(x: float) -> float:
    import math

    return 1.0 / (1.0 + math.exp(-float(x)))


@cache
def default_reader() -> ReplyReader | None:
    head = load_reply_head()
    if head is None:
        return None
    from olivebranch.coach.encoder import shared

    return ReplyReader(shared(), head)
