"""The sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime.

Nothing is fetched: the model and tokenizer ship in ``coach/model/``. Telemetry
is switched off before onnxruntime is imported, and the session runs on one
thread unless told otherwise.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MAX_TOKENS = 128
DIM = 384
#: How many recent batches the encoder remembers: when a text is checked and then
#: screened in one request, the screen reuses the checker's embedding of it.
MEMO_SIZE = 16


class Encoder:
    def __init__(self, threads: int = 1, model_file: str | None = None) -> None:
        """``model_file`` reads another ONNX export of the same architecture (the training
        scripts' fold encoders); the app always uses the one that ships."""
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = files("olivebranch.coach").joinpath("model")
        self._tokenizer = Tokenizer.from_str(folder.joinpath("tokenizer.json").read_text("utf-8"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._untruncated: Tokenizer | None = None
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        source = Path(model_file) if model_file else folder.joinpath("encoder.onnx")
        model = source.read_bytes()
        self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self._memo: OrderedDict[tuple[str, ...], npt.NDArray[np.float32]] = OrderedDict()

    def windows(self, text: str, stride: int) -> list[tuple[int, int]]:
        """The character spans of the text's later windows, each as many tokens as the model
        reads, starting every ``stride`` tokens: the embedding of a text stops after its first
        MAX_TOKENS tokens, so a longer one is read window by window too. Empty for a text that
        fits."""
        if self._untruncated is None:
            from tokenizers import Tokenizer

            self._untruncated = Tokenizer.from_str(self._tokenizer.to_str())
            self._untruncated.no_truncation()
        offsets = self._untruncated.encode(text, add_special_tokens=False).offsets
        width = MAX_TOKENS - 2  # the model's own start and end tokens take two places
        if len(offsets) <= width:
            return []
        return [
            (offsets[start][0], offsets[min(start + width, len(offsets)) - 1][1])
            for start in range(stride, len(offsets) - width + stride, stride)
        ]

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Unit-length mean-pooled embeddings, one row per text (read-only).

        The int8 model's activations are quantised per batch, so a text's embedding
        depends a little on the texts beside it: only the same batch is reused."""
        key = tuple(texts)
        if key in self._memo:
            self._memo.move_to_end(key)
            return self._memo[key]
        result = self._embed(texts)
        result.setflags(write=False)
        self._memo[key] = result
        if len(self._memo) > MEMO_SIZE:
            self._memo.popitem(last=False)
        return result

    def _embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        import numpy as np

        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds: dict[str, Any] = {
            "input_ids": ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(ids),
        }
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: npt.NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


@cache
def shared(threads: int = 1) -> Encoder:
    """One encoder per process (loading it takes about a tenth of a second)."""
    return Encoder(threads)
