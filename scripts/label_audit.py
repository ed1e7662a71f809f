"""A blind relabelling study of the training labels: are the models' misses the labels' fault?

    .venv/bin/python scripts/train_head.py --out=/tmp/h.npz --dump=/tmp/checker-oof.jsonl
    .venv/bin/python scripts/label_audit.py sample checker /tmp/checker-oof.jsonl /tmp/audit
    (annotators label /tmp/audit/chunk*.jsonl blind, into /tmp/audit/out-CHUNK-ANNOTATOR.jsonl)
    .venv/bin/python scripts/label_audit.py collect checker /tmp/audit corpus/audit/checker.jsonl
    .venv/bin/python scripts/label_audit.py score checker corpus/audit/checker.jsonl

(`screen` the same, with scripts/train_screen.py --dump=...). `sample` takes the training texts the
cross-validated model got wrong and a random sample of the rest, shuffles them, and writes them in
three chunks without their labels or the model's reading (`{"id", "stage", "text"}`; the screen's
without a stage), and a key that maps each chunk id back. Each chunk is labelled by two annotators
who read only the labelling guide. `collect` keeps, per training text, its category and the
annotators' labels (no text: the corpus has it). `score` prints, per category, how often the
annotators agree with each other and with the original label, and how often both overrule it.

Training files only: the held-out sets are never sampled, and the unseen batches are not in the
dumps (the training scripts keep them out).
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOLD = {"crisis", "no_contact_breach", "ultimatum", "hostile"}


def verdict(codes: list[str], length: bool = True) -> str:
    """The checker's verdict from its codes (corpus/LABELLING.md); with ``length=False`` a draft's
    length is left out (the annotators do not count words)."""
    found = set(codes) - (set() if length else {"too_long"})
    if found & HOLD:
        return "hold"
    return "revise" if found - {"generic"} else "send"


def reading(kind: str, labels: list[str]) -> str:
    """What is compared: the checker's verdict, or whether the screen marks crisis and which
    flags it raises."""
    return verdict(labels, length=False) if kind == "checker" else ",".join(sorted(labels))


def category(kind: str, row: dict[str, object]) -> str:
    if kind == "checker":
        said, read = verdict(row["codes"]), verdict(row["predicted"])  # type: ignore[arg-type]
        if said != "send" and read == "send":
            return "harmful_pass"
        if said == "hold" and read == "revise":
            return "hold_missed"
        if said == "send" and read != "send":
            return "good_blocked"
        return ""
    flags, found = set(row["flags"]), set(row["predicted"])  # type: ignore[call-overload]
    if "crisis" in flags and "crisis" not in found:
        return "crisis_missed"
    if not flags and found:
        return "ordinary_flagged"
    return ""


def sample(kind: str, dump: Path, folder: Path, randoms: int = 300, seed: int = 7) -> None:
    rng = random.Random(seed)
    rows = [json.loads(line) for line in dump.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if not str(r["id"]).startswith(("benign-", "bt-"))]
    chosen = {str(r["id"]): category(kind, r) for r in rows if category(kind, r)}
    if kind == "checker":  # the good-blocked drafts are many; 150 of them are enough to read
        blocked = sorted(i for i, c in chosen.items() if c == "good_blocked")
        for i in rng.sample(blocked, max(len(blocked) - 150, 0)):
            del chosen[i]
    rest = sorted(str(r["id"]) for r in rows if str(r["id"]) not in chosen)
    chosen |= {i: "random" for i in rng.sample(rest, randoms)}
    by_id = {str(r["id"]): r for r in rows}
    order = sorted(chosen)
    rng.shuffle(order)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "key.jsonl").open("w", encoding="utf-8") as key:
        for chunk in range(3):
            with (folder / f"chunk{chunk}.jsonl").open("w", encoding="utf-8") as out:
                for n, i in enumerate(order[chunk::3]):
                    blind = f"{kind[0]}{chunk}-{n:04d}"
                    line = {"id": blind, "stage": by_id[i].get("stage"), "text": by_id[i]["text"]}
                    if kind == "screen":
                        del line["stage"]
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                    key.write(json.dumps({"blind": blind, "id": i, "category": chosen[i]}) + "\n")
    print(f"wrote {len(order)} texts in 3 chunks to {folder}: {dict(Counter(chosen.values()))}")


def collect(kind: str, folder: Path, target: Path) -> None:
    field = "codes" if kind == "checker" else "flags"
    key = {k["blind"]: k for k in map(json.loads, (folder / "key.jsonl").read_text().splitlines())}
    labels: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for path in sorted(folder.glob("out-*-*.jsonl")):
        annotator = path.stem.rsplit("-", 1)[1]
        for line in path.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                labels[row["id"]][annotator] = sorted(row[field])
    missing = sorted(set(key) - set(labels))
    if missing:
        sys.exit(f"{len(missing)} texts have no annotator's labels, for example {missing[0]}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as out:
        for blind in sorted(key, key=lambda b: key[b]["id"]):
            given = [labels[blind][a] for a in sorted(labels[blind])]
            line = {"id": key[blind]["id"], "category": key[blind]["category"], field: given}
            out.write(json.dumps(line) + "\n")
    print(f"wrote {len(key)} texts to {target}")


def score(kind: str, audit: Path) -> None:
    field = "codes" if kind == "checker" else "flags"
    original = {}
    for path in (ROOT / "corpus" / kind).glob("*.jsonl"):
        if path.stem != "heldout":
            for line in path.read_text().splitlines():
                if line.strip():
                    row = json.loads(line)
                    original[row["id"]] = row[field]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    overruled: list[str] = []
    for line in audit.read_text().splitlines():
        row = json.loads(line)
        said = reading(kind, original[row["id"]])
        first, second = (reading(kind, labels) for labels in row[field])
        tally = counts[row["category"]]
        tally["texts"] += 1
        tally["annotators agree"] += first == second
        tally["annotator agrees with the label"] += (first == said) + (second == said)
        tally["both overrule the label"] += first == second != said
        if first == second != said:
            overruled.append(row["id"])
    measure = "verdict" if kind == "checker" else "flags"
    print(f"{kind}: blind relabelling by two annotators, compared by {measure}")
    for name, tally in sorted(counts.items()):
        n, both = tally["texts"], tally["both overrule the label"]
        print(
            f"  {name:<17} {n:4d} texts   annotators agree {tally['annotators agree'] / n:6.1%}"
            f"   agree with the label {tally['annotator agrees with the label'] / (2 * n):6.1%}"
            f"   both overrule it {both:3d} ({both / n:.1%})"
        )
    print(f"  overruled by both: {', '.join(sorted(overruled)) or 'none'}")


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 3 or args[0] not in {"sample", "collect", "score"} or args[1] not in {"checker", "screen"}:
        sys.exit(__doc__)
    command, kind, paths = args[0], args[1], [Path(a) for a in args[2:]]
    if command == "sample" and len(paths) == 2:
        sample(kind, *paths)
    elif command == "collect" and len(paths) == 2:
        collect(kind, *paths)
    elif command == "score" and len(paths) == 1:
        score(kind, paths[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
