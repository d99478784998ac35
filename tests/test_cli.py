from conftest import MODELS
from typer.testing import CliRunner

from hoidap.cli import app

runner = CliRunner()


def test_ingest_reports_failures_by_file_and_exits_nonzero(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.md").write_bytes(b"")
    monkeypatch.setenv("HOIDAP_MODELS_DIR", str(MODELS))
    monkeypatch.setenv("HOIDAP_STORE__PATH", str(tmp_path / "index"))
    result = runner.invoke(app, ["ingest", "--corpus", str(corpus), "--no-progress"])
    assert result.exit_code == 1
    assert "empty.md: the file is empty" in result.output
    assert "failed" in result.output


def test_bad_setting_is_a_plain_message(monkeypatch):
    monkeypatch.setenv("HOIDAP_STORE__MODE", "server")
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 2
    assert "store.host" in result.output
    assert "Traceback" not in result.output


def test_missing_corpus_folder_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("HOIDAP_MODELS_DIR", str(MODELS))
    monkeypatch.setenv("HOIDAP_STORE__PATH", str(tmp_path / "index"))
    result = runner.invoke(app, ["ingest", "--corpus", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "nope: the corpus folder does not exist" in result.output


def test_retrieve_batch_writes_bedrock_shaped_lines(tmp_path, monkeypatch, embedder):
    import json

    from conftest import make_settings

    from ingest.pipeline import run_ingest

    settings = make_settings(tmp_path)
    (settings.ingest.corpus_dir / "a.md").write_text("# Bedrock\n\nAmazon Bedrock là dịch vụ được quản lý.\n")
    run_ingest(settings, embedder=embedder, show_progress=False)
    monkeypatch.setenv("HOIDAP_MODELS_DIR", str(MODELS))
    monkeypatch.setenv("HOIDAP_STORE__PATH", str(settings.store.path))
    monkeypatch.setenv("HOIDAP_STORE__COLLECTION", "test")
    monkeypatch.setattr("rag.embeddings.load_embedder", lambda _settings: embedder)
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": "q1", "question": "Bedrock là gì?", "lang": "vi"}\n{"id": 2, "question": "AWS?"}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["retrieve", "--batch", str(batch), "--out", str(out), "-k", "1"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["q1", 2]
    first = lines[0]["retrievalResults"][0]
    assert first["location"]["customDocumentLocation"]["id"] == "a.md"
    assert first["content"]["type"] == "TEXT" and first["metadata"]["source"] == "a.md"


def test_retrieve_batch_names_the_bad_line(tmp_path, monkeypatch):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": "q1", "question": "x"}\n{"id": "q2"}\n')
    monkeypatch.setenv("HOIDAP_MODELS_DIR", str(MODELS))
    monkeypatch.setenv("HOIDAP_STORE__PATH", str(tmp_path / "index"))
    result = runner.invoke(app, ["retrieve", "--batch", str(batch), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert "in.jsonl:2: missing field 'question'" in result.output
