"""Shared fixtures: real models and a real Chroma on tiny data; the environment is cleaned per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MODELS = Path(os.environ.get("HOIDAP_TEST_MODELS_DIR", REPO / "models"))


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HOIDAP_ or AWS_ variable from the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith(("HOIDAP_", "AWS_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def make_settings(tmp: Path, **overrides):
    from rag.config import IngestSettings, Settings, StoreSettings

    corpus = tmp / "corpus"
    corpus.mkdir(exist_ok=True)
    values = dict(
        models_dir=MODELS,
        store=StoreSettings(path=tmp / "index", collection="test"),
        ingest=IngestSettings(corpus_dir=corpus, chunk_size=400, chunk_overlap=60),
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def embedder():
    """The real EmbeddingGemma, loaded once for the whole run."""
    from rag.config import Settings
    from rag.embeddings import load_embedder

    if not (MODELS / "embeddinggemma-300m").is_dir():
        pytest.fail(f"EmbeddingGemma is not in {MODELS}: run `hoidap models fetch` (scripts/setup.sh does)")
    return load_embedder(Settings(_env_file=None, models_dir=MODELS))
