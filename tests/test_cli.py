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
    result = runner.invoke(app, ["ingest", "--corpus", str(corpus), "--quiet"])
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
