import pytest
from pydantic import ValidationError

from rag.config import Settings


def test_env_prefix_and_nested_sections(monkeypatch):
    monkeypatch.setenv("HOIDAP_STORE__MODE", "server")
    monkeypatch.setenv("HOIDAP_STORE__HOST", "127.0.0.1")
    monkeypatch.setenv("HOIDAP_RETRIEVAL__K", "7")
    monkeypatch.setenv("HOIDAP_LLM__PROVIDER", "extractive")
    s = Settings(_env_file=None)
    assert (s.store.mode, s.store.host, s.retrieval.k, s.llm.provider) == ("server", "127.0.0.1", 7, "extractive")


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("HOIDAP_INGEST__CHUNK_SIZE=1234\n")
    assert Settings(_env_file=env).ingest.chunk_size == 1234


def test_server_mode_without_host_is_a_config_error(monkeypatch):
    monkeypatch.setenv("HOIDAP_STORE__MODE", "server")
    with pytest.raises(ValidationError, match="store.host"):
        Settings(_env_file=None)


def test_overlap_must_be_below_chunk_size(monkeypatch):
    monkeypatch.setenv("HOIDAP_INGEST__CHUNK_SIZE", "200")
    monkeypatch.setenv("HOIDAP_INGEST__CHUNK_OVERLAP", "200")
    with pytest.raises(ValidationError, match="chunk_overlap"):
        Settings(_env_file=None)


def test_unknown_provider_is_rejected(monkeypatch):
    monkeypatch.setenv("HOIDAP_LLM__PROVIDER", "gpt")
    with pytest.raises(ValidationError, match="provider"):
        Settings(_env_file=None)
