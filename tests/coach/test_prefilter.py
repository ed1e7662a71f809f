"""The rules' prefilter only skips work: every rule finds exactly what running all its
patterns finds, on every training text (checker, everyday and screen corpora)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from olivebranch.coach.rules import PHRASE_CODES
from olivebranch.coach.rules.base import PhraseRule, _merge, checker_rule, load
from olivebranch.coach.rules.prefilter import needed
from olivebranch.coach.text import Draft
from olivebranch.safety.screen import SAFETY_RULES

CORPUS = Path(__file__).parent.parent.parent / "corpus"
TRAINING = [
    CORPUS / "checker" / "dev.jsonl",
    *sorted((CORPUS / "checker").glob("train-*.jsonl")),
    CORPUS / "benign" / "everyday-train.jsonl",
    *sorted((CORPUS / "screen").glob("train*.jsonl")),
]
RULES = [checker_rule(code) for code in PHRASE_CODES] + [
    load("abuse", SAFETY_RULES),
    load("harassment_risk", SAFETY_RULES),
]


def every_pattern(rule: PhraseRule, draft: Draft, stage: str | None = None) -> list[tuple[int, int, str]]:
    """The rule as it ran before the prefilter: every exception and every pattern."""
    blocked = [m.span() for p in rule.exceptions for m in p.finditer(draft.norm)]
    found = []
    for group in rule.groups:
        if stage in group.not_in_stages:
            continue
        for pattern in group.patterns:
            for match in pattern.finditer(draft.norm):
                start, end = match.span()
                if start == end or any(s < end and start < e for s, e in blocked):
                    continue
                if group.not_after and set(draft.words_before(start, 2)) & group.not_after:
                    continue
                found.append((start, end, group.message))
    return _merge(found)


def training_texts() -> list[str]:
    assert not any("heldout" in f.name for f in TRAINING)
    return [json.loads(line)["text"] for f in TRAINING for line in f.read_text().splitlines() if line.strip()]


def test_every_rule_finds_the_same_with_the_prefilter_on_the_training_texts() -> None:
    for text in training_texts():
        draft = Draft(text)
        for rule in RULES:
            assert rule.spans(draft, "conversation") == every_pattern(rule, draft, "conversation"), (
                rule.code,
                text,
            )


@pytest.mark.parametrize(
    ("pattern", "strings"),
    [
        (r"\bkms\b", {"kms"}),
        (r"\b(don\W?t|dont) want to (live|be here)\b", {" want to live", " want to be here"}),
        (r"\bsuicid(e|al)\b", {"suicide", "suicidal"}),
        (
            r"[^.!?\n]{0,30}\bthoughts of (hurting|harming) myself",
            {"thoughts of hurting myself", "thoughts of harming myself"},
        ),
        (r"\b\w+ly\b", None),
        (r"(?i)\bkms\b", None),
        (r"(a|b)", None),
    ],
)
def test_what_a_pattern_needs(pattern: str, strings: set[str] | None) -> None:
    found = needed(re.compile(pattern))
    assert (set(found) if found is not None else None) == strings


PATTERNS = [p for rule in RULES for group in rule.groups for p in group.patterns] + [
    p for rule in RULES for p in rule.exceptions
]


@given(st.sampled_from(PATTERNS), st.data())
def test_a_match_always_holds_a_needed_string(pattern: re.Pattern[str], data: st.DataObject) -> None:
    strings = needed(pattern)
    if strings is None:
        return
    text = data.draw(st.from_regex(pattern, fullmatch=True).filter(lambda t: "\n" not in t))
    assert any(s in text for s in strings)


def _normalise_char_by_char(text: str) -> str:
    from olivebranch.coach.text import _SAME_LENGTH

    out = []
    for ch in text.translate(_SAME_LENGTH):
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


@given(st.text())
def test_normalising_keeps_every_offset(text: str) -> None:
    from olivebranch.coach.text import normalise

    assert normalise(text) == _normalise_char_by_char(text)
    assert len(normalise(text)) == len(text)


def test_the_exceptions_are_found_the_same_with_the_prefilter() -> None:
    rule = checker_rule("crisis")
    for text in training_texts():
        draft = Draft(text)
        assert rule.blocked(draft) == [m.span() for p in rule.exceptions for m in p.finditer(draft.norm)]
