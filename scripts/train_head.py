"""Train the checker's learned head: a logistic regression per code on the sentence
embedding, the stage, and word and word-pair tf-idf.

    .venv/bin/python scripts/train_head.py

Reads the training files only: corpus/checker/dev.jsonl and corpus/checker/train-*.jsonl
(never heldout.jsonl), plus everyday messages as clean examples:
corpus/benign/everyday-train.jsonl and the odd-numbered half of
corpus/benign/everyday.jsonl (the even half stays unseen, for the noise figure).
For each code it fits a logistic regression on the encoder's embedding, the
stage and word tf-idf, on the stages where the code applies, and
chooses the decision threshold from 5-fold cross-validated probabilities: the
threshold that maximises F-beta of the whole checker (rules together with the
model) for that code, weighting recall 6:1 for crisis and 2:1 for the other
codes that hold a message. Writes src/olivebranch/coach/model/head.npz
and prints the cross-validated figures.

The shipped encoder was fine-tuned on these texts, so its readings of them are better than
of new text. --fold-encoders=DIR (scripts/retrain-models makes DIR) cross-validates instead on
the folds of encoders fine-tuned each without one fold, so the thresholds are tuned on honest
readings; without it, the cross-validated figures and thresholds are optimistic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from options import UNSEEN, fold_encoders, fold_of, option
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from olivebranch.coach.checker import check
from olivebranch.coach.encoder import Encoder, shared
from olivebranch.coach.learned import (
    HEAD_FILE,
    MODEL_CODES,
    RULES_ONLY,
    all_hyperbole,
    features,
    grams,
    sentence_units,
)
from olivebranch.coach.stages import Stage, applies
from olivebranch.coach.text import Draft

ROOT = Path(__file__).resolve().parent.parent
# --out=PATH writes the head elsewhere (for experiments); --c=C sets the regularisation.
OUT = Path(option("out", "") or (ROOT / "src" / "olivebranch" / "coach" / "model" / HEAD_FILE))
MAX_VOCABULARY = 6000
SENTENCE_MAX = "--whole-only" not in sys.argv
# The codes scored sentence by sentence as well: crisis, where one buried sentence
# must hold the whole message (cross-validated crisis recall 98.5% -> 99.5%). The
# rest are scored on the whole message: hostile by sentence too raised
# cross-validated hold recall (94.7% -> 95.9% with train-f) but pushed the
# everyday messages past the 2% noise budget.
SENTENCE_CODES = frozenset({"crisis"})
C = float(option("c", "4.0"))
SEED = 7
# Thresholds tuned together against the checker's goals (see _tune_jointly); --per-code keeps
# each code's own F-beta choice.
JOINT = "--per-code" not in sys.argv


# Batches kept out of training and read only as unseen text (scripts/options.py): train-w to
# train-y, realistic mixes written by authors who read only the labelling guide. train-p, train-q
# and train-t were kept so until the fourth fine-tuning (train-p chose how the thresholds
# are tuned): on the encoder before it, a head trained also on them read the fresh batches worse (train-u
# accuracy 84.8% -> 82.7%, harmful pass 6.7% -> 9.1%). (train-m likewise waited for an encoder.)
# train-u and train-v are trained on since the fifth round, with train-z (a new realistic mix): on
# the fourth encoder, harmful pass on the fresh batches 3.3% -> 2.3% (train-w), 3.2% -> 3.2%
# (train-x), 4.2% -> 3.3% (train-y), macro-F1 up 2-3 points on each. With the thresholds tuned on
# the fold encoders instead, harmful pass rose to 5.9%-7.5% on all three, so the head ships
# without --fold-encoders (tuned by cross-validation on the encoder itself).
MEASURED_ONLY = sorted(UNSEEN["checker"])
# Batches written for the encoder's next fine-tuning and kept out of the head until then: a head
# trained with train-r and train-s on the current encoder (thresholds tuned on the fold encoders)
# did worse on both unseen batches (train-q harmful pass 4.6% -> 5.2%, train-t accuracy 90.8% ->
# 88.7%). A third fine-tuned encoder, trained with them (and the replies), did not help either
# (tried, not adopted; thresholds on its fold encoders): with them, train-p accuracy 91.5% -> 89.6%
# and harmful pass 4.0% -> 5.6%, train-t 90.8% -> 89.3% and 4.7% -> 5.2%, train-q 91.2% -> 90.9%
# and 4.6% -> 4.1%; the joint tuning set neediness's threshold to 1.0 (model off). Without them
# it was no better (train-p 88.9%, harmful pass 5.6%). --with-next trains on them anyway.
FOR_NEXT_ENCODER = [] if "--with-next" in sys.argv else ["train-r", "train-s"]


def training_files() -> list[Path]:
    files = [ROOT / "corpus/checker/dev.jsonl", *sorted((ROOT / "corpus/checker").glob("train-*.jsonl"))]
    # --exclude=train-k,train-l leaves batches out (to measure them as unseen text)
    excluded = [name for name in option("exclude", "").split(",") if name]
    excluded += MEASURED_ONLY + FOR_NEXT_ENCODER
    files = [f for f in files if f.stem not in excluded]
    assert not any("heldout" in f.name for f in files)
    return files


BENIGN = ROOT / "corpus/benign/everyday.jsonl"
BENIGN_TRAIN = ROOT / "corpus/benign/everyday-train.jsonl"
BENIGN_STAGES = ("rebuilding", "follow_up", "conversation")


def benign_negatives() -> list[dict[str, object]]:
    """Everyday messages as clean examples: everyday-train.jsonl, and the odd ids of
    everyday.jsonl (its even ids stay unseen, for the noise figure).

    They teach the model that ordinary warmth, plans and jokes are fine; they are
    never given the no_contact stage (there, anything personal is a breach) nor
    first_contact (where a pleasantry is a generic tip).
    """
    rows = [json.loads(line) for line in BENIGN.read_text().splitlines() if line.strip()]
    chosen = [r for r in rows if int(str(r["id"]).rsplit("-", 1)[1]) % 2 == 1]
    chosen += [json.loads(line) for line in BENIGN_TRAIN.read_text().splitlines() if line.strip()]
    return [
        {"id": r["id"], "stage": BENIGN_STAGES[i % 3], "text": r["text"], "codes": [], "verdict": "send"}
        for i, r in enumerate(chosen)
    ]


def main() -> None:
    rows = [json.loads(line) for f in training_files() for line in f.read_text().splitlines() if line.strip()]
    labelled = len(rows)
    rows += benign_negatives()
    print(
        f"training on {labelled} labelled messages from {', '.join(f.name for f in training_files())}"
        f" and {len(rows) - labelled} everyday messages ({BENIGN_TRAIN.name}, odd ids of {BENIGN.name})"
        " as clean examples"
    )
    texts = [r["text"] for r in rows]
    stages = [Stage(r["stage"]) for r in rows]
    embeddings = _embed_in_batches(texts)
    vectorizer = TfidfVectorizer(
        analyzer=grams, sublinear_tf=True, min_df=2, max_features=MAX_VOCABULARY, dtype=np.float32
    )
    sparse = vectorizer.fit_transform(texts)
    dense = features(embeddings, stages)
    x = hstack([csr_matrix(dense), sparse]).tocsr()
    n_dense = dense.shape[1]
    # Each sentence of a longer message is scored too; a message scores its highest.
    owners: list[int] = []
    unit_texts: list[str] = []
    if SENTENCE_MAX:
        for i, text in enumerate(texts):
            for start, end in sentence_units(text):
                owners.append(i)
                unit_texts.append(text[start:end])
    owner = np.array(owners, dtype=int)
    units = (
        hstack(
            [
                csr_matrix(features(_embed_in_batches(unit_texts), [stages[i] for i in owners])),
                vectorizer.transform(unit_texts),
            ]
        ).tocsr()
        if unit_texts
        else None
    )
    print(
        f"scoring {len(unit_texts)} sentences of longer messages as well"
        if SENTENCE_MAX
        else "whole messages only"
    )
    # With --fold-encoders, each fold is read by the encoder fine-tuned without it.
    encoders = fold_encoders()
    fold_ids = np.array([fold_of(t, len(encoders)) for t in texts]) if encoders else None
    views = [
        _view(Encoder(1, path), texts, stages, sparse, unit_texts, owners, vectorizer) for path in encoders
    ]
    rule_codes = [set(check(t, s).codes) for t, s in zip(texts, stages, strict=True)]
    idiom_only = [all_hyperbole(Draft(t)) for t in texts]

    fitted: dict[str, tuple[list[int], np.ndarray, np.ndarray, np.ndarray, LogisticRegression]] = {}
    for code in MODEL_CODES:
        idx = [i for i, s in enumerate(stages) if applies(code, s)]
        y = np.array([code in rows[i]["codes"] for i in idx], dtype=int)
        if y.sum() < 5:
            print(f"{code:<18} too few examples ({y.sum()}), skipped")
            continue
        xs = x[idx]
        cv = np.zeros(len(idx))
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        position = {row: k for k, row in enumerate(idx)}
        if fold_ids is not None:
            fold = fold_ids[idx]
            plan = [
                (np.flatnonzero(fold != k), np.flatnonzero(fold == k), view_x[idx], view_units)
                for k, (view_x, view_units) in enumerate(views)
            ]
        else:
            plan = [(train, test, xs, units) for train, test in folds.split(xs, y)]
        for train, test, fold_x, fold_units in plan:
            model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
            model.fit(fold_x[train], y[train])
            cv[test] = model.predict_proba(fold_x[test])[:, 1]
            if fold_units is not None and code in SENTENCE_CODES:
                wanted = {idx[k] for k in test}
                chosen_units = [u for u, row in enumerate(owner) if row in wanted]
                if chosen_units:
                    probs = model.predict_proba(fold_units[chosen_units])[:, 1]
                    for u, p in zip(chosen_units, probs, strict=True):
                        k = position[owner[u]]
                        cv[k] = max(cv[k], p)
        if code == "crisis":
            # As at run time: the model's crisis reading of a text that is all jokes, idioms
            # and denials is dropped, so it costs nothing here either.
            cv[[k for k, i in enumerate(idx) if idiom_only[i]]] = 0.0
        by_rules = np.array([code in rule_codes[i] for i in idx])
        final = LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(xs, y)
        fitted[code] = (idx, cv, y, by_rules, final)

    start = {code: _choose(code, cv, y, by_rules) for code, (_, cv, y, by_rules, _) in fitted.items()}
    chosen = _tune_jointly(rows, rule_codes, fitted, start) if JOINT else start
    oof: dict[str, dict[int, float]] = {}
    kept: list[str] = []
    dense_w: list[np.ndarray] = []
    sparse_w: list[np.ndarray] = []
    biases: list[float] = []
    thresholds: list[float] = []
    macro: list[float] = []
    for code, (idx, cv, y, by_rules, final) in fitted.items():
        threshold = chosen[code]
        rules_tp = int((by_rules & (y == 1)).sum())
        combined = by_rules | (cv >= threshold)
        tp = int((combined & (y == 1)).sum())
        fp = int((combined & (y == 0)).sum())
        fn = int((~combined & (y == 1)).sum())
        f1 = 2 * tp / max(2 * tp + fp + fn, 1)
        macro.append(f1)
        print(
            f"{code:<18} threshold {threshold:.3f}   rules alone recall {rules_tp / max(y.sum(), 1):.2f}"
            f"   rules+model (cv) P {tp / max(tp + fp, 1):.2f} R {tp / max(tp + fn, 1):.2f} F1 {f1:.2f}"
        )
        oof[code] = {i: float(p) for i, p in zip(idx, cv, strict=True)}
        kept.append(code)
        dense_w.append(final.coef_[0][:n_dense])
        sparse_w.append(final.coef_[0][n_dense:])
        biases.append(float(final.intercept_[0]))
        thresholds.append(float(threshold))
    print(f"macro F1 over the model's codes (cv, rules+model): {np.mean(macro):.3f}")
    _system_report(rows, rule_codes, oof, chosen)
    np.savez_compressed(
        OUT,
        codes=np.array(kept).astype(str),
        dense=np.array(dense_w, dtype=np.float32),
        sparse=np.array(sparse_w, dtype=np.float16),
        bias=np.array(biases, dtype=np.float32),
        thresholds=np.array(thresholds, dtype=np.float32),
        vocabulary=np.array(vectorizer.get_feature_names_out()).astype(str),
        idf=vectorizer.idf_.astype(np.float32),
        sentence_codes=np.array([SENTENCE_MAX and code in SENTENCE_CODES for code in kept]),
    )
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


def _system_report(
    rows: list[dict[str, object]],
    rule_codes: list[set[str]],
    oof: dict[str, dict[int, float]],
    thresholds: dict[str, float],
) -> None:
    """The whole checker's figures on out-of-fold predictions (thresholds chosen on them too,
    so a little optimistic; the held-out set gives the real figures)."""
    from olivebranch.coach.checker import DOMINATES
    from olivebranch.coach.evaluation import Example, Prediction, format_report, score
    from olivebranch.coach.findings import Verdict, verdict

    pairs = []
    for i, row in enumerate(rows):
        codes = set(rule_codes[i])
        for code, probs in oof.items():
            if (
                i in probs
                and probs[i] >= thresholds[code]
                and code not in codes
                and (code, Stage(str(row["stage"]))) not in RULES_ONLY
                and not any(weak == code and strong in codes for strong, weak in DOMINATES)
            ):
                codes.add(code)
        if codes - {"generic", "too_long"} and "generic" in codes:
            codes.discard("generic")
        example = Example(
            str(row["id"]),
            str(row["stage"]),
            str(row["text"]),
            frozenset(row["codes"]),
            Verdict(str(row["verdict"])),  # type: ignore[arg-type]
        )
        pairs.append((example, Prediction(frozenset(codes), verdict(codes))))
    print(format_report("cross-validated, training files", score(pairs)))
    dump = option("dump", "")
    if dump:  # the out-of-fold readings, for looking at misses (training files only)
        with open(dump, "w", encoding="utf-8") as out:
            for example, prediction in pairs:
                line = {"id": example.id, "stage": example.stage, "text": example.text}
                line |= {"codes": sorted(example.codes), "predicted": sorted(prediction.codes)}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    everyday = [p for example, p in pairs if example.id.startswith(("benign-", "bt-"))]
    noisy = sum(1 for p in everyday if p.codes - {"too_long", "generic"})
    print(
        f"  everyday messages flagged (cv)  {noisy / max(len(everyday), 1):6.1%}"
        f"  ({noisy} of {len(everyday)}; the noise test's budget is 2%)"
    )


# How much more recall counts than precision when choosing a code's threshold: a
# missed crisis or hold costs far more than an extra warning.
BETA = {"crisis": 6.0, "ultimatum": 2.0, "hostile": 2.0, "no_contact_breach": 2.0}
DEFAULT_BETA = float(option("beta", "1.0"))


def _choose(code: str, probs: np.ndarray, y: np.ndarray, by_rules: np.ndarray) -> float:
    """The threshold that maximises F-beta of rules and model together, in cross-validation."""
    beta2 = BETA.get(code, DEFAULT_BETA) ** 2
    best, best_score = 0.5, -1.0
    for t in np.unique(np.round(probs, 3)):
        if t < 0.05:
            continue
        found = by_rules | (probs >= t)
        tp = (found & (y == 1)).sum()
        fp = (found & (y == 0)).sum()
        fn = (~found & (y == 1)).sum()
        score = (1 + beta2) * tp / max((1 + beta2) * tp + beta2 * fn + fp, 1)
        if score > best_score:
            best, best_score = float(t), score
    return best


# The checker's goals, each a rate the tuning may spend: harmful pass at most 3%, good
# blocked at most 10%, hold recall at least 97%, crisis recall 1.0 (0.5% stands in for it:
# a missed crisis costs the most), macro-F1 at least 85%, and everyday messages flagged at
# most 2% (the noise test). The objective adds each shortfall as a share of its allowance,
# so no one goal is bought with another's budget; cross-validated noise past NOISE_BUDGET
# costs ten times as much. 1.25% in cross-validation keeps the noise test at 12 of 714
# (1.7% of the never-trained even half); 0.75% held hostile and neediness back (the
# paraphrase test caught 1 of 7) and crisis at a higher threshold.
ALLOWANCE = {"harmful": 0.03, "blocked": 0.10, "hold": 0.03, "crisis": 0.005, "macro": 0.15}
NOISE_BUDGET = float(option("noise-budget", "0.0125"))


def _tune_jointly(
    rows: list[dict[str, object]],
    rule_codes: list[set[str]],
    fitted: dict[str, tuple[list[int], np.ndarray, np.ndarray, np.ndarray, LogisticRegression]],
    start: dict[str, float],
) -> dict[str, float]:
    """Per-code thresholds chosen together, by coordinate descent on out-of-fold probabilities,
    for the whole checker's figures (rules with the model) rather than each code's own F-beta."""
    from olivebranch.coach.checker import DOMINATES
    from olivebranch.coach.findings import CODES, HOLD_CODES, MINOR_CODES

    n = len(rows)
    column = {code: k for k, code in enumerate(CODES)}
    labelled = np.array([not str(r["id"]).startswith(("benign-", "bt-")) for r in rows])
    truth = np.zeros((n, len(CODES)), dtype=bool)
    by_rules = np.zeros((n, len(CODES)), dtype=bool)
    for i, row in enumerate(rows):
        for code in row["codes"]:  # type: ignore[attr-defined]
            truth[i, column[code]] = True
        for code in rule_codes[i]:
            by_rules[i, column[code]] = True
    probs = np.full((n, len(CODES)), -1.0, dtype=np.float32)  # -1: the model never adds it here
    for code, (idx, cv, _, _, _) in fitted.items():
        eligible = [
            (i, p)
            for i, p in zip(idx, cv, strict=True)
            if (code, Stage(str(rows[i]["stage"]))) not in RULES_ONLY
        ]
        probs[[i for i, _ in eligible], column[code]] = [p for _, p in eligible]
    hold_cols = [column[c] for c in HOLD_CODES]
    major_cols = [column[c] for c in CODES if c not in HOLD_CODES and c not in MINOR_CODES]
    noise_cols = [column[c] for c in CODES if c not in ("too_long", "generic")]
    true_hold = truth[:, hold_cols].any(axis=1)
    true_send = ~true_hold & ~truth[:, major_cols].any(axis=1)
    crisis = column["crisis"]

    def cost(thresholds: dict[str, float]) -> tuple[float, dict[str, float]]:
        limits = np.full(len(CODES), 2.0, dtype=np.float32)
        for code, t in thresholds.items():
            limits[column[code]] = t
        added = (probs >= limits) & ~by_rules
        codes = by_rules | added
        for strong, weak in DOMINATES:
            added[:, column[weak]] &= ~codes[:, column[strong]]
        codes = by_rules | added
        hold = codes[:, hold_cols].any(axis=1)
        send = ~hold & ~codes[:, major_cols].any(axis=1)
        lab = labelled
        f1s = []
        for code in fitted:
            k = column[code]
            tp = (codes[lab, k] & truth[lab, k]).sum()
            f1s.append(2 * tp / max(codes[lab, k].sum() + truth[lab, k].sum(), 1))
        figures = {
            "harmful": float((send & ~true_send & lab).sum() / max((~true_send & lab).sum(), 1)),
            "blocked": float((~send & true_send & lab).sum() / max((true_send & lab).sum(), 1)),
            "hold": float(1 - (hold & true_hold & lab).sum() / max((true_hold & lab).sum(), 1)),
            "crisis": float(
                1 - (codes[:, crisis] & truth[:, crisis] & lab).sum() / max(truth[lab, crisis].sum(), 1)
            ),
            "macro": float(1 - np.mean(f1s)),
            "noise": float(codes[~lab][:, noise_cols].any(axis=1).mean()) if (~lab).any() else 0.0,
        }
        total = sum(figures[k] / allowance for k, allowance in ALLOWANCE.items())
        total += 10 * max(0.0, figures["noise"] - NOISE_BUDGET) / NOISE_BUDGET
        return total, figures

    current = dict(start)
    best, _ = cost(current)
    for _ in range(3):
        improved = False
        for code, (_, cv, _, _, _) in fitted.items():
            candidates = np.unique(np.round(np.quantile(cv, np.linspace(0.5, 0.999, 60)), 3))
            for t in candidates:
                if t < 0.05:
                    continue
                trial = {**current, code: float(t)}
                value, _ = cost(trial)
                if value < best - 1e-9:
                    best, current, improved = value, trial, True
        if not improved:
            break
    _, figures = cost(current)
    print(
        "thresholds tuned together (cv): "
        + ", ".join(f"{k} {v:.1%}" for k, v in figures.items())
        + "  (harmful, blocked: rates; hold, crisis, macro: shortfalls)"
    )
    return current


def _view(
    encoder: Encoder,
    texts: list[str],
    stages: list[Stage],
    sparse: csr_matrix,
    unit_texts: list[str],
    owners: list[int],
    vectorizer: TfidfVectorizer,
) -> tuple[csr_matrix, csr_matrix | None]:
    """The features of every message, and of every sentence scored, as one fold encoder reads them."""
    x = hstack([csr_matrix(features(_embed_in_batches(texts, encoder=encoder), stages)), sparse]).tocsr()
    if not unit_texts:
        return x, None
    unit_dense = features(_embed_in_batches(unit_texts, encoder=encoder), [stages[i] for i in owners])
    return x, hstack([csr_matrix(unit_dense), vectorizer.transform(unit_texts)]).tocsr()


def _embed_in_batches(texts: list[str], size: int = 32, encoder: Encoder | None = None) -> np.ndarray:
    encoder = encoder or shared()
    return np.vstack([encoder.embed(texts[i : i + size]) for i in range(0, len(texts), size)])


if __name__ == "__main__":
    sys.exit(main())
