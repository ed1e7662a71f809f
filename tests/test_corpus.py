"""The labelled corpora are well formed, and no held-out text leaks into training.

A mislabelled line or a held-out text copied into a training file would silently
inflate every figure `make eval` reports; these checks stop that at commit time.
The held-out files are only read here to compare normalised texts, never to tune.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from olivebranch.coach.findings import CODES, HOLD_CODES
from olivebranch.coach.stages import Stage
from olivebranch.coach.tones import Tone
from olivebranch.safety.screen import FLAGS

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
KINDS = {"ordinary", "abuse", "crisis", "harassment", "mixed"}


def rows(path: Path) -> list[dict[str, object]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as error:  # pragma: no cover - the message is the point
                pytest.fail(f"{path.name}:{number}: not JSON ({error})")
    return out


def norm(text: object) -> str:
    """Case, spacing and punctuation ignored; emoji kept (a lone 👍 is not a lone ❤️)."""
    return re.sub(r"[\s.,!?;:'\"\u2018\u2019\u201c\u201d-]+", " ", str(text).lower()).strip()


def files(corpus: str) -> list[Path]:
    return sorted((CORPUS / corpus).glob("*.jsonl"))


def expected_verdict(codes: list[str]) -> str:
    if HOLD_CODES & set(codes):
        return "hold"
    return "revise" if set(codes) - {"generic"} else "send"


@pytest.mark.parametrize("path", files("checker"), ids=lambda p: p.name)
def test_checker_lines_follow_the_labelling_guide(path: Path) -> None:
    for row in rows(path):
        where = f"{path.name} {row.get('id')}"
        assert set(row) == {"id", "stage", "text", "codes", "verdict"}, where
        assert row["stage"] in set(Stage), where
        codes = row["codes"]
        assert isinstance(codes, list) and codes == sorted(set(codes)), where
        assert set(codes) <= set(CODES), where
        assert row["verdict"] == expected_verdict(codes), where
        assert isinstance(row["text"], str) and row["text"].strip(), where


@pytest.mark.parametrize("path", files("screen"), ids=lambda p: p.name)
def test_screen_lines_follow_the_labelling_guide(path: Path) -> None:
    for row in rows(path):
        where = f"{path.name} {row.get('id')}"
        assert set(row) == {"id", "text", "flags", "kind", "writer_caused_harm"}, where
        flags = row["flags"]
        assert isinstance(flags, list) and flags == sorted(set(flags)), where
        assert set(flags) <= {f.value for f in FLAGS}, where
        assert row["kind"] in KINDS, where
        assert not row["writer_caused_harm"] or "abuse" in flags, where
        assert isinstance(row["text"], str) and row["text"].strip(), where


@pytest.mark.parametrize("path", files("replies"), ids=lambda p: p.name)
def test_reply_lines_follow_the_labelling_guide(path: Path) -> None:
    for row in rows(path):
        where = f"{path.name} {row.get('id')}"
        assert row["tone"] in set(Tone), where
        assert isinstance(row["no_contact_requested"], bool), where
        assert isinstance(row["text"], str) and row["text"].strip(), where


@pytest.mark.parametrize("corpus", ["checker", "screen", "replies", "benign"])
def test_ids_are_unique_and_no_held_out_text_is_in_training(corpus: str) -> None:
    ids: set[object] = set()
    held_out: set[str] = set()
    training: dict[str, str] = {}
    for path in files(corpus):
        for row in rows(path):
            assert row["id"] not in ids, f"{path.name}: id {row['id']} is used twice"
            ids.add(row["id"])
            if "heldout" in path.name:
                held_out.add(norm(row["text"]))
            else:
                training.setdefault(norm(row["text"]), f"{path.name} {row['id']}")
    leaked = sorted(where for text, where in training.items() if text in held_out)
    assert not leaked, f"held-out texts found in training: {leaked[:5]}"


@pytest.mark.parametrize("corpus", ["checker", "screen"])
def test_label_audits_read_training_texts_only(corpus: str) -> None:
    """corpus/audit/ holds a blind relabelling of training texts (scripts/label_audit.py): every
    line names a training text, never a held-out one, with two annotators' well-formed labels."""
    training = {row["id"] for path in files(corpus) if "heldout" not in path.name for row in rows(path)}
    held_out = {row["id"] for row in rows(CORPUS / corpus / "heldout.jsonl")}
    field, allowed = ("codes", set(CODES)) if corpus == "checker" else ("flags", {f.value for f in FLAGS})
    audit = rows(CORPUS / "audit" / f"{corpus}.jsonl")
    assert len(audit) >= 300
    for row in audit:
        where = f"audit/{corpus}.jsonl {row.get('id')}"
        assert row["id"] in training and row["id"] not in held_out, where
        assert set(row) == {"id", "category", field}, where
        labels = row[field]
        assert isinstance(labels, list) and len(labels) == 2, where
        for given in labels:
            assert given == sorted(set(given)) and set(given) <= allowed, where
