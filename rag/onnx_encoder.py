"""The query side of EmbeddingGemma as an int8 ONNX graph run by onnxruntime.

A question is embedded on every request, and on 2 cores the float32 PyTorch
model takes about 110 ms for it, twice the whole retrieval budget. The same
network exported to ONNX with its matrix weights quantised to int8 (per
channel) takes about 25 ms and stays within about 0.99 cosine of the original
(0.97 on long passages), so the documents keep their float32 vectors and only
queries (and answer sentences, which are compared like queries) go through
this graph. `hoidap models fetch`
builds it (`hoidap/onnx_export.py`). The graph gives each token's vector and the
mean is taken here, so one run also gives a part of the question read in its
context (`rag/pooling.py`).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from rag.errors import ModelError
from rag.pooling import mean_vector, part_mask

GRAPH = "model.onnx"
INFO = "encoder.json"
# 2: the graph gives token vectors and the mean is taken here (1 gave the mean only)
FORMAT = 2


def encoder_dir(model_dir: Path) -> Path:
    """Where the query graph of the model in `model_dir` lives: beside it, never inside it."""
    return model_dir.with_name(f"{model_dir.name}.query-int8")


class OnnxQueryEncoder:
    """Tokenizer + int8 graph -> L2-normalised sentence embeddings, the same as the model's own pipeline."""

    def __init__(self, folder: Path, threads: int = 2) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        graph, info_file = folder / GRAPH, folder / INFO
        if not graph.is_file() or not info_file.is_file():
            raise ModelError(
                f"query encoder not found in {folder}; run `hoidap models fetch` "
                "(or set HOIDAP_EMBEDDING__QUERY_ENCODER=torch)"
            )
        try:
            info = json.loads(info_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read {info_file}: {exc}") from exc
        if info.get("format") != FORMAT:  # refused before its graph takes seconds to load
            raise ModelError(
                f"the query encoder in {folder} was built by an older hoidap; "
                "run `hoidap models fetch` to build it again"
            )
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            self._session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a damaged or partial export is unusable, whatever the reason
            raise ModelError(f"cannot load the query encoder in {folder}: {exc}") from exc
        self.dimension = int(info["dimension"])
        self.prompts: dict[str, str] = dict(info.get("prompts") or {})
        self._max_tokens = int(info.get("max_tokens") or 512)
        self._lock = threading.Lock()

    def encode(self, texts: list[str], prompt: str | None) -> np.ndarray:
        # One text per run: activations are quantised per run, and padding in a batch coarsens them.
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = mean_vector(self._token_vectors(f"{prompt or ''}{text}")[0])
        return vectors

    def encode_with_part(self, text: str, part: str, prompt: str | None) -> tuple[np.ndarray, np.ndarray]:
        """`text`'s vector and `part`'s (pieces of `text`) read within it, from one run."""
        tokens, offsets = self._token_vectors(f"{prompt or ''}{text}")
        mask = part_mask(text, part, offsets, len(prompt or ""))
        whole = mean_vector(tokens)
        return whole, (mean_vector(tokens, mask) if mask.any() else whole)

    def _token_vectors(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Each token's projected vector, and its characters in `text`."""
        tokens = self._tokenizer(
            text, truncation=True, max_length=self._max_tokens, return_tensors="np", return_offsets_mapping=True
        )
        feeds = {
            "input_ids": tokens["input_ids"].astype(np.int64),
            "attention_mask": tokens["attention_mask"].astype(np.int64),
        }
        with self._lock:
            vectors = self._session.run(None, feeds)[0][0]
        return np.asarray(vectors, dtype=np.float32), [tuple(o) for o in tokens["offset_mapping"][0].tolist()]
