"""The scoring behind `make eval`, on a small table whose figures are worked out by hand."""

from __future__ import annotations

import pytest

from olivebranch.coach.evaluation import Example, Prediction, format_report, score
from olivebranch.coach.findings import Verdict


def ex(codes: set[str], verdict: str) -> Example:
    return Example("x", "first_contact", "...", frozenset(codes), Verdict(verdict))


def pred(codes: set[str], verdict: str) -> Prediction:
    return Prediction(frozenset(codes), Verdict(verdict))


PAIRS = [
    (ex(set(), "send"), pred(set(), "send")),  # right
    (ex(set(), "send"), pred({"pressure"}, "revise")),  # good message blocked
    (ex({"neediness"}, "revise"), pred(set(), "send")),  # harmful passed
    (ex({"crisis"}, "hold"), pred({"crisis"}, "hold")),  # crisis caught
    (ex({"crisis", "neediness"}, "hold"), pred({"neediness"}, "revise")),  # crisis missed
]


def test_the_figures_match_a_hand_count() -> None:
    report = score(PAIRS)
    assert report.total == 5
    assert report.verdict_accuracy == pytest.approx(2 / 5)
    assert report.harmful_pass_rate == pytest.approx(1 / 3)
    assert report.good_blocked_rate == pytest.approx(1 / 2)
    assert report.hold_recall == pytest.approx(1 / 2)
    assert report.crisis_recall == pytest.approx(1 / 2)
    needy = report.codes["neediness"]
    assert (needy.tp, needy.fp, needy.fn) == (1, 0, 1)
    assert needy.recall == pytest.approx(0.5) and needy.precision == pytest.approx(1.0)
    assert report.codes["pressure"].precision == pytest.approx(0.0)
    # codes present in the labels: neediness (F1 2/3) and crisis (F1 2/3); pressure never labelled
    assert report.macro_f1 == pytest.approx(2 / 3)


def test_the_report_names_every_figure() -> None:
    text = format_report("dev", score(PAIRS))
    for words in (
        "verdict accuracy",
        "harmful pass rate",
        "good blocked rate",
        "hold recall",
        "crisis recall",
        "macro F1 over codes",
        "neediness",
        "grand_gesture",
    ):
        assert words in text
