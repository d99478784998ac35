"""The only code that knows an embedded Chroma folder from a Chroma server.

Two collections: `<name>` holds the chunks (cosine HNSW, our own embedding
function), `<name>__files` holds one record per ingested file (content hash,
chunk count) so ingestion can skip unchanged files and drop removed ones.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from rag.config import Settings
from rag.embeddings import Embedder
from rag.errors import ConfigError, IndexLockedError, StoreUnavailableError
from rag.segment import keyword_terms
from rag.types import KEYWORD_TERMS, Chunk, Sentence, parent_id

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_GET_PAGE = 2000


class _HoidapEmbeddingFunction(EmbeddingFunction[Documents]):
    """Makes Chroma embed with our model, so its downloading default never runs."""

    def __init__(self, embedder: Embedder | None) -> None:
        self._embedder = embedder

    def _model(self) -> Embedder:
        if self._embedder is None:  # rebuilt by Chroma from a stored config, without a model
            raise ConfigError("open the hoidap collection through rag.store.ChunkStore")
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's parameter name
        return list(self._model().embed_documents(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:  # noqa: A002
        return list(self._model().embed_queries(list(input)))

    @staticmethod
    def name() -> str:
        return "hoidap"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder.name if self._embedder else ""}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _HoidapEmbeddingFunction:
        return _HoidapEmbeddingFunction(None)

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]


def make_client(settings: Settings) -> Any:
    """PersistentClient for the embedded mode, HttpClient for a Chroma server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    store = settings.store
    try:
        if store.mode == "server":
            if not store.host:
                raise ConfigError("store.mode=server needs store.host (HOIDAP_STORE__HOST)")
            headers = {}
            if settings.chroma_token is not None:
                headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
            return chromadb.HttpClient(host=store.host, port=store.port, headers=headers, settings=chroma_settings)
        store.path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(store.path), settings=chroma_settings)
    except ConfigError:
        raise
    except Exception as exc:
        where = f"{store.host}:{store.port}" if store.mode == "server" else str(store.path)
        raise StoreUnavailableError(f"cannot open the Chroma store at {where}: {exc}") from exc


class ChunkStore:
    """Chunks and per-file records in Chroma; every consumer may inject its own `client`."""

    def __init__(self, settings: Settings, embedder: Embedder, client: Any | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.client = client if client is not None else make_client(settings)
        name = settings.store.collection
        ef = _HoidapEmbeddingFunction(embedder)
        hnsw = {
            "space": "cosine",
            "ef_search": settings.store.hnsw_search_ef,
            "ef_construction": settings.store.hnsw_construction_ef,
            "max_neighbors": settings.store.hnsw_m,
        }
        try:
            self.chunks = self.client.get_or_create_collection(
                name,
                configuration={"hnsw": hnsw},
                metadata={"embedder": embedder.name},
                embedding_function=ef,
            )
            self.sentences = self.client.get_or_create_collection(
                f"{name}__sentences", configuration={"hnsw": hnsw}, embedding_function=ef
            )
            self.files = self.client.get_or_create_collection(
                f"{name}__files", configuration={"hnsw": {"space": "cosine"}}, embedding_function=ef
            )
        except ConfigError:
            raise
        except Exception as exc:
            raise StoreUnavailableError(f"cannot open collection {name!r}: {exc}") from exc
        built_with = (self.chunks.metadata or {}).get("embedder")
        if built_with and built_with != embedder.name:
            raise ConfigError(
                f"the index {name!r} was built with {built_with}, but the embedder is now "
                f"{embedder.name}; run `hoidap ingest --rebuild` (or choose another store.collection)"
            )
        # every record's vector, per collection, for exact search of a small index (`_nearest`)
        self._vectors: dict[str, _Vectors] = {}

    # ---- chunks -------------------------------------------------------------
    def count(self) -> int:
        return int(self.chunks.count())

    def forget_vectors(self) -> None:
        """Drop the vectors held for exact search: the index changed (here, or in another process)."""
        self._vectors.clear()

    def upsert(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        """Upsert by id, so a re-run after a crash never duplicates a chunk."""
        if not chunks:
            return
        self.forget_vectors()
        self.chunks.upsert(
            ids=[c.id for c in chunks],
            documents=[c.text for c in chunks],
            metadatas=[c.store_metadata() for c in chunks],  # type: ignore[misc]
            embeddings=embeddings,
        )

    def upsert_sentences(self, sentences: Sequence[Sentence], embeddings: np.ndarray) -> None:
        if not sentences:
            return
        self.forget_vectors()
        self.sentences.upsert(
            ids=[s.id for s in sentences],
            documents=[s.text for s in sentences],
            metadatas=[s.store_metadata() for s in sentences],  # type: ignore[misc]
            embeddings=embeddings,
        )

    def sentences_for(self, chunk_ids: Sequence[str]) -> list[tuple[Sentence, np.ndarray]]:
        """The stored sentences (with vectors) of these chunks, in document order."""
        if not chunk_ids:
            return []
        page = self.sentences.get(
            where={"parent": {"$in": list(chunk_ids)}}, include=["documents", "metadatas", "embeddings"]
        )
        out = []
        for sid, doc, meta, vec in zip(page["ids"], page["documents"], page["metadatas"], page["embeddings"]):
            meta = meta or {}
            sentence = Sentence(
                id=sid,
                parent=str(meta.get("parent", "")),
                text=doc or "",
                source=str(meta.get("source", "")),
                start=int(meta.get("start", 0)),
                end=int(meta.get("end", 0)),
                doc_hash=str(meta.get("doc_hash", "")),
                section=str(meta.get("section", "")),
            )
            out.append((sentence, np.asarray(vec, dtype=np.float32)))
        out.sort(key=lambda item: (item[0].parent, item[0].start))
        return out

    def delete_source(self, source: str, keep_hash: str | None = None) -> None:
        """Remove a file's chunks and sentences, except those of the version `keep_hash` when given."""
        where: dict[str, Any] = {"source": source}
        if keep_hash is not None:
            where = {"$and": [{"source": source}, {"doc_hash": {"$ne": keep_hash}}]}
        self.forget_vectors()
        self.chunks.delete(where=where)
        self.sentences.delete(where=where)

    def query(self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks with cosine similarity (1 - distance), best first."""
        n = self.count()
        if n == 0:
            return []
        res = self.chunks.query(
            query_embeddings=[embedding],
            n_results=min(k, n),
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        out: list[tuple[Chunk, float]] = []
        for cid, doc, meta, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0]):
            out.append((Chunk.from_store(cid, doc or "", dict(meta or {})), 1.0 - float(dist)))
        return out

    def nearest_chunk_ids(
        self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest chunks, best first; ids only, which is ~3x faster."""
        return self._nearest(self.chunks, embedding, k, where)

    def query_sentences(
        self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(parent chunk id, cosine similarity) of the nearest sentences, best first."""
        return [(parent_id(sid), sim) for sid, sim in self._nearest(self.sentences, embedding, k, where)]

    def _nearest(
        self, collection: Any, embedding: np.ndarray, k: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        """(id, cosine similarity) of a collection's `k` nearest records, best first.

        A small index is searched exactly, from its vectors held in memory: Chroma rebuilds the HNSW graph of
        a collection of 100 to 1,000 records at every start, at random, and its approximate search then
        returned another neighbour for 1 question in 200 from one process to the next (the answers too).
        """
        sources = _sources_wanted(where)
        if sources is None and where is not None:
            return _nearest(collection, embedding, k, where)
        vectors = self._vectors.get(collection.name)
        if vectors is None:
            n = int(collection.count())
            if n > self.settings.store.exact_search_max:
                return _nearest(collection, embedding, k, where, n)
            try:
                vectors = _Vectors.of(collection)
            except Exception:  # noqa: BLE001 - Chroma's own search still answers; exact search waits
                # (after an ingest killed mid-write, reading every vector fails with "Error finding id" until
                # the next ingest completes, while Chroma's search answers from what it holds)
                return _nearest(collection, embedding, k, where)
            self._vectors[collection.name] = vectors
        return vectors.nearest(embedding, k, sources)

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        """Chunks by id (those a sentence search found but the chunk search did not)."""
        if not ids:
            return []
        page = self.chunks.get(ids=list(ids), include=["documents", "metadatas"])
        return [
            Chunk.from_store(cid, doc or "", dict(meta or {}))
            for cid, doc, meta in zip(page["ids"], page["documents"], page["metadatas"])
        ]

    def embeddings_for(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by chunk id (for similarity of keyword-only hits, and MMR)."""
        if not ids:
            return {}
        page = self.chunks.get(ids=list(ids), include=["embeddings"])
        return {cid: np.asarray(vec, dtype=np.float32) for cid, vec in zip(page["ids"], page["embeddings"])}

    def signature(self) -> str:
        """Changes whenever any file is added, replaced or removed (cheap: one record per file)."""
        records = self.file_records()
        return "|".join(f"{k}:{records[k].get('doc_hash')}" for k in sorted(records))

    def iter_chunks(self, include_embeddings: bool = False) -> Iterator[tuple[Chunk, np.ndarray | None]]:
        """Every stored chunk, page by page (for the keyword index and exact-search checks)."""
        include = ["documents", "metadatas"] + (["embeddings"] if include_embeddings else [])
        for page in _pages(self.chunks, include):
            embs = page.get("embeddings") if include_embeddings else None
            for i, cid in enumerate(page["ids"]):
                chunk = Chunk.from_store(cid, page["documents"][i] or "", dict(page["metadatas"][i] or {}))
                yield chunk, (np.asarray(embs[i]) if embs is not None else None)

    def iter_sentence_terms(self) -> Iterator[tuple[str, str, list[str]]]:
        """(parent chunk id, source, keyword terms) of every stored sentence, page by page, for the sentence
        keyword index; terms an older ingest did not store are computed from the text."""
        for page in _pages(self.sentences, ["documents", "metadatas"]):
            for doc, meta in zip(page["documents"], page["metadatas"]):
                meta = meta or {}
                stored = meta.get(KEYWORD_TERMS)
                terms = stored.split() if isinstance(stored, str) and stored else keyword_terms(doc or "")
                yield str(meta.get("parent", "")), str(meta.get("source", "")), terms

    # ---- per-file records ---------------------------------------------------
    def file_records(self) -> dict[str, dict[str, Any]]:
        """source -> {doc_hash, chunks, ...} for every ingested file."""
        return {
            fid: dict(meta or {})
            for page in _pages(self.files, ["metadatas"])
            for fid, meta in zip(page["ids"], page["metadatas"])
        }

    def set_file_record(self, source: str, record: dict[str, Any]) -> None:
        # Chroma needs a vector per record; these records are never searched.
        self.files.upsert(ids=[source], metadatas=[record], embeddings=[[1.0]], documents=[source])

    def delete_file_record(self, source: str) -> None:
        self.files.delete(ids=[source])

    def drop_all(self) -> None:
        """Delete both collections (used by `ingest --rebuild`)."""
        name = self.settings.store.collection
        self.forget_vectors()
        for coll in (name, f"{name}__sentences", f"{name}__files"):
            try:
                self.client.delete_collection(coll)
            except Exception:  # noqa: S112 - a missing collection is already what we want
                continue


class _Vectors:
    """A collection's ids, sources and unit vectors, searched exactly; ties go to the record stored first."""

    def __init__(self, ids: list[str], sources: list[str], vectors: np.ndarray) -> None:
        self.ids = ids
        self.sources = np.array(sources, dtype=object)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1))
        self.vectors = vectors / np.maximum(norms, 1e-12)

    @classmethod
    def of(cls, collection: Any) -> _Vectors:
        ids: list[str] = []
        sources: list[str] = []
        parts: list[np.ndarray] = []
        for page in _pages(collection, ["embeddings", "metadatas"]):
            ids += page["ids"]
            sources += [str((meta or {}).get("source", "")) for meta in page["metadatas"]]
            parts.append(np.asarray(page["embeddings"], dtype=np.float32))
        return cls(ids, sources, np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32))

    def nearest(self, embedding: np.ndarray, k: int, sources: list[str] | None) -> list[tuple[str, float]]:
        if not self.ids:
            return []
        query = np.asarray(embedding, dtype=np.float32)
        sims = self.vectors @ (query / max(float(np.linalg.norm(query)), 1e-12))
        order = np.argsort(-sims, kind="stable")
        if sources is not None:
            order = order[np.isin(self.sources[order], sources)]
        return [(self.ids[i], float(sims[i])) for i in order[:k]]


def _pages(collection: Any, include: list[str]) -> Iterator[Any]:
    """Every record of a collection, `_GET_PAGE` at a time (Chroma's `get` results)."""
    offset = 0
    while True:
        page = collection.get(include=include, limit=_GET_PAGE, offset=offset)
        if not page["ids"]:
            return
        yield page
        offset += len(page["ids"])


def _sources_wanted(where: dict[str, Any] | None) -> list[str] | None:
    """The sources a filter keeps, when it filters on nothing else ({"source": {"$in": [...]}}); else None."""
    if not where or set(where) != {"source"}:
        return None
    value = where["source"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"$in"}:
        return [str(v) for v in value["$in"]]
    return None


def _nearest(
    collection: Any, embedding: np.ndarray, k: int, where: dict[str, Any] | None, n: int | None = None
) -> list[tuple[str, float]]:
    """(id, cosine similarity) of a collection's `k` nearest records (of its `n`, counted when not given),
    without their documents."""
    n = int(collection.count()) if n is None else n
    if n == 0:
        return []
    res = collection.query(query_embeddings=[embedding], n_results=min(k, n), where=where, include=["distances"])
    return [(rid, 1.0 - float(dist)) for rid, dist in zip(res["ids"][0], res["distances"][0])]


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time for the embedded store; a server serialises writes itself."""
    if settings.store.mode == "server":
        yield
        return
    path: Path = settings.store.path
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".writer.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexLockedError(
                f"another process is already writing the index at {path}; wait for it to finish"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
