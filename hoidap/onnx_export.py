"""Build the int8 ONNX query encoder from the fetched embedding model (part of `hoidap models fetch`).

The sentence-transformers pipeline is exported with PyTorch's ONNX exporter,
then onnxruntime's dynamic quantiser turns its matrix weights into int8 per
output channel. The graph stops before the mean: it gives each token's vector
through the dense projections (affine, so projecting each token and then taking
the mean is projecting the mean). The encoder then pools all the tokens for the
question's vector, and only some of them for a part of the question read in its
context, from the same run (`OnnxQueryEncoder.encode_with_part`). The result is
checked against the PyTorch model on probe texts before it is put in place: a
graph that drifts is refused, not used.

optimum's exporter would be the usual tool, but it pins transformers below the
version sentence-transformers needs here, so the two library calls are made
directly.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from hoidap.models import VERIFIED_MARKER
from rag.embeddings import embedding_dimension
from rag.errors import ModelFetchError
from rag.onnx_encoder import FORMAT, GRAPH, INFO, OnnxQueryEncoder, encoder_dir

Progress = Callable[[str], None]

# Built graphs must stay this close (cosine) to the PyTorch model on every probe.
MIN_COSINE = 0.95
# Queries are at most 2,000 characters; inside EmbeddingGemma's 512-token attention window.
MAX_TOKENS = 512
PROBES = (
    "Amazon Bedrock là gì?",
    "Khảo sát của AWS có hỏi cả những người không dính dáng gì tới việc triển khai GenAI không?",
    "Which strategic investments in generative AI players are mentioned across the sources?",
    "Bảo mật là tiêu chí số 1 khi doanh nghiệp lựa chọn nền tảng AI tạo sinh. " * 12,
)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The exporter and the quantiser print pages of advice; the progress line says what happens."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def _source_id(model_dir: Path) -> str:
    """What the encoder was built from: the fetched model's verified hash, or its weights' size and time."""
    marker = model_dir / VERIFIED_MARKER
    with contextlib.suppress(OSError, ValueError):
        return str(json.loads(marker.read_text())["sha256"])
    weights = model_dir / "model.safetensors"
    stat = weights.stat() if weights.exists() else None
    return f"{stat.st_size}:{int(stat.st_mtime)}" if stat else "unknown"


def is_built(model_dir: Path) -> bool:
    """True when the encoder exists and was built from this very model."""
    folder = encoder_dir(model_dir)
    try:
        info = json.loads((folder / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (folder / GRAPH).is_file() and info.get("source") == _source_id(model_dir) and info.get("format") == FORMAT


def _token_modules(model: Any) -> list[Any]:
    """The modules after the transformer, checked to be mean pooling and then affine maps only.

    Only then can each token go through the projections before the mean and give the same vector;
    any other pipeline is refused (set `HOIDAP_EMBEDDING__QUERY_ENCODER=torch` for it).
    """
    import torch

    modules = list(model)
    pooling, projections = modules[1] if len(modules) > 1 else None, modules[2:]
    if getattr(pooling, "pooling_mode", None) != "mean" or getattr(pooling, "include_prompt", None) is not True:
        raise ModelFetchError(f"the query encoder needs mean pooling over every token, not {pooling!r}")
    affine = [m for m in projections if isinstance(getattr(m, "activation_function", None), torch.nn.Identity)]
    last = projections[len(affine) :]
    if projections[: len(affine)] != affine or any(type(m).__name__ != "Normalize" for m in last):
        raise ModelFetchError(f"the query encoder needs affine projections after the pooling, not {projections!r}")
    return affine


def build_query_encoder(model_dir: Path, progress: Progress | None = None, force: bool = False) -> Path:
    """Export, quantise, check and install the query encoder of `model_dir`; a second call does nothing."""
    say = progress or (lambda _msg: None)
    target = encoder_dir(model_dir)
    if not force and is_built(model_dir):
        say(f"{target.name}: already built")
        return target
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelFetchError(f"building the query encoder needs onnx, onnxscript and onnxruntime: {exc}") from exc

    say(f"{target.name}: loading {model_dir.name}")
    model = SentenceTransformer(
        str(model_dir), device="cpu", local_files_only=True, model_kwargs={"attn_implementation": "eager"}
    ).eval()
    prompts = dict(model.prompts or {})
    dimension = embedding_dimension(model)
    projections = _token_modules(model)

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            features = self.model[0]({"input_ids": input_ids, "attention_mask": attention_mask})
            tokens = features["token_embeddings"]
            for dense in projections:
                tokens = dense({dense.module_input_name: tokens})[dense.module_output_name]
            return tokens

    with tempfile.TemporaryDirectory(dir=model_dir.parent, prefix=".export-") as tmp_name:
        tmp = Path(tmp_name)
        full, staging = tmp / "full.onnx", tmp / "encoder"
        staging.mkdir()
        sample = model.tokenizer(["xin chào"], return_tensors="pt")
        batch, seq = torch.export.Dim("batch"), torch.export.Dim("sequence")
        say(f"{target.name}: exporting to ONNX (about 90 s)")
        try:
            with _quiet(), torch.inference_mode(False):
                torch.onnx.export(
                    Pipeline().eval(),
                    (sample["input_ids"], sample["attention_mask"]),
                    str(full),
                    input_names=["input_ids", "attention_mask"],
                    output_names=["token_vectors"],
                    dynamic_shapes={"input_ids": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: seq}},
                    dynamo=True,
                    external_data=True,
                )
        except Exception as exc:  # the exporter raises many kinds; any means no encoder
            raise ModelFetchError(f"{model_dir.name}: ONNX export failed: {exc}") from exc
        say(f"{target.name}: quantising to int8 (about 30 s)")
        with _quiet():
            quantize_dynamic(
                str(full),
                str(staging / GRAPH),
                op_types_to_quantize=["MatMul"],
                per_channel=True,
                weight_type=QuantType.QInt8,
                use_external_data_format=True,
            )
        model.tokenizer.save_pretrained(str(staging))
        info = {
            "source": _source_id(model_dir),
            "format": FORMAT,
            "dimension": dimension,
            "prompts": prompts,
            "max_tokens": MAX_TOKENS,
        }
        (staging / INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")

        say(f"{target.name}: checking against the PyTorch model")
        prompt = prompts.get("query", "")
        expected = model.encode(list(PROBES), prompt=prompt, normalize_embeddings=True, convert_to_numpy=True)
        encoder = OnnxQueryEncoder(staging)
        cosines = np.sum(encoder.encode(list(PROBES), prompt) * expected, axis=1)
        if float(cosines.min()) < MIN_COSINE:
            raise ModelFetchError(
                f"{model_dir.name}: the int8 query encoder drifts from the model (cosine {cosines.min():.3f} "
                f"< {MIN_COSINE}); set HOIDAP_EMBEDDING__QUERY_ENCODER=torch"
            )
        info["min_probe_cosine"] = round(float(cosines.min()), 4)
        (staging / INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
        del encoder
        if target.exists():
            shutil.rmtree(target)
        staging.replace(target)
    say(f"{target.name}: ready (cosine to the PyTorch model ≥ {info['min_probe_cosine']})")
    return target
