"""The int8 ONNX query encoder: same vectors as the PyTorch model (near enough), built and refused honestly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import MODELS

MODEL = MODELS / "embeddinggemma-300m"
QUESTIONS = [
    "Bảng hỏi trong nghiên cứu khách hàng GenAI của AWS dài bao nhiêu câu?",
    "Which investments in generative AI companies are mentioned?",
    "Ngoài tiền ra thì Claude được hưởng lợi từ những nguồn dữ liệu nào?",
]


@pytest.fixture(scope="module")
def torch_embedder():
    from rag.config import EmbeddingSettings, Settings
    from rag.embeddings import load_embedder

    return load_embedder(
        Settings(_env_file=None, models_dir=MODELS, embedding=EmbeddingSettings(query_encoder="torch"))
    )


def test_default_embedder_embeds_queries_with_the_onnx_graph(embedder) -> None:
    from rag.embeddings import SentenceTransformerEmbedder

    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder._queries is not None  # noqa: SLF001 - the switch under test
    vectors = embedder.embed_queries(QUESTIONS)
    assert vectors.shape == (3, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_onnx_queries_match_the_pytorch_model(embedder, torch_embedder) -> None:
    fast, exact = embedder.embed_queries(QUESTIONS), torch_embedder.embed_queries(QUESTIONS)
    cosines = np.sum(fast * exact, axis=1)
    assert cosines.min() > 0.95, cosines
    # each question is still nearest to its own exact vector, not to another question's
    assert (np.argmax(fast @ exact.T, axis=1) == np.arange(len(QUESTIONS))).all()


def test_a_batch_gives_the_same_vectors_as_one_at_a_time(embedder) -> None:
    together = embedder.embed_queries(QUESTIONS)
    alone = np.vstack([embedder.embed_queries([q]) for q in QUESTIONS])
    assert np.allclose(together, alone, atol=1e-5)


NAMED = "According to Filum.ai, how can GenAI personalise how-to videos?"
UNNAMED = "how can GenAI personalise how-to videos?"


def test_a_part_of_a_question_is_read_within_its_run(embedder, torch_embedder) -> None:
    whole, part = embedder.embed_query_with_part(NAMED, UNNAMED)
    assert np.allclose(whole, embedder.embed_queries([NAMED])[0], atol=1e-5)  # the same run's whole mean
    assert np.linalg.norm(part) == pytest.approx(1.0, abs=1e-4)
    # not the whole question's vector, nor the part embedded on its own: its tokens heard the names
    alone = embedder.embed_queries([UNNAMED])[0]
    assert float(part @ whole) < 0.98 and float(part @ alone) < 0.98
    assert float(part @ alone) > 0.8
    # the int8 graph's part is the PyTorch model's, near enough
    exact_whole, exact_part = torch_embedder.embed_query_with_part(NAMED, UNNAMED)
    assert float(part @ exact_part) > 0.95 and float(whole @ exact_whole) > 0.95


def test_a_parts_tokens_are_those_it_keeps_without_the_prompt_or_special_tokens() -> None:
    from rag.pooling import mean_vector, part_mask

    prompt, text, part = "q: ", "Theo Filum.ai, GenAI làm gì?", "GenAI làm gì?"
    start = len(prompt)
    pieces = ["Theo", " Filum", ".ai", ",", " GenAI", " làm", " gì", "?"]
    offsets, at = [(0, 0), (0, 2), (2, 3)], start  # a special token, then the prompt's
    for piece in pieces:
        offsets.append((at, at + len(piece)))
        at += len(piece)
    offsets.append((at, at))  # the end token
    mask = part_mask(text, part, offsets, start)
    tokens = ["<s>", "q:", " ", *pieces, "</s>"]
    assert [t for t, kept in zip(tokens, mask) if kept] == [" GenAI", " làm", " gì", "?"]
    vectors = np.eye(len(offsets), dtype=np.float32)
    assert np.allclose(mean_vector(vectors, mask), mask / np.linalg.norm(mask))


def test_an_encoder_of_the_older_format_must_be_built_again(tmp_path: Path) -> None:
    from hoidap.onnx_export import is_built
    from rag.errors import ModelError
    from rag.onnx_encoder import INFO, OnnxQueryEncoder, encoder_dir

    built = encoder_dir(MODEL)
    model = tmp_path / MODEL.name
    model.symlink_to(MODEL, target_is_directory=True)
    old = encoder_dir(model)
    old.mkdir()
    for file in built.iterdir():
        if file.name != INFO:
            (old / file.name).symlink_to(file)
    info = json.loads((built / INFO).read_text())
    (old / INFO).write_text(json.dumps(info))
    assert is_built(model)
    info["format"] = 1
    (old / INFO).write_text(json.dumps(info))
    assert not is_built(model)  # `hoidap models fetch` builds it again
    with pytest.raises(ModelError, match=r"built by an older hoidap; run `hoidap models fetch`"):
        OnnxQueryEncoder(old)


def test_documents_still_use_the_exact_model(embedder, torch_embedder) -> None:
    doc = ["Amazon Bedrock là một dịch vụ được quản lý hoàn toàn."]
    assert np.allclose(embedder.embed_documents(doc), torch_embedder.embed_documents(doc), atol=1e-5)


def test_missing_encoder_is_a_clear_error(tmp_path: Path) -> None:
    from rag.config import Settings
    from rag.embeddings import load_embedder
    from rag.errors import ModelError

    (tmp_path / "embeddinggemma-300m").symlink_to(MODEL, target_is_directory=True)
    with pytest.raises(ModelError, match=r"query encoder not found in .*embeddinggemma-300m\.query-int8.*models fetch"):
        load_embedder(Settings(_env_file=None, models_dir=tmp_path))


def test_is_built_follows_the_model_it_was_built_from(tmp_path: Path) -> None:
    from hoidap.onnx_export import is_built
    from rag.onnx_encoder import FORMAT, INFO, encoder_dir

    model = tmp_path / "m"
    model.mkdir()
    (model / ".hoidap-verified.json").write_text(json.dumps({"sha256": "aaa", "size": 1}))
    folder = encoder_dir(model)
    assert folder == tmp_path / "m.query-int8"
    assert not is_built(model)
    folder.mkdir()
    (folder / "model.onnx").write_bytes(b"x")
    (folder / INFO).write_text(json.dumps({"source": "aaa", "format": FORMAT}))
    assert is_built(model)
    (model / ".hoidap-verified.json").write_text(json.dumps({"sha256": "bbb", "size": 1}))
    assert not is_built(model)  # the model changed: the graph must be built again


@pytest.mark.slow
def test_build_exports_quantises_and_checks(tmp_path: Path) -> None:
    """The whole build (about 2.5 minutes): export, int8, probe check, then a usable encoder."""
    from hoidap.onnx_export import build_query_encoder, is_built
    from rag.onnx_encoder import OnnxQueryEncoder

    model = tmp_path / "embeddinggemma-300m"
    model.symlink_to(MODEL, target_is_directory=True)
    said: list[str] = []
    folder = build_query_encoder(model, progress=said.append)
    assert is_built(model)
    info = json.loads((folder / "encoder.json").read_text())
    assert info["dimension"] == 768 and info["min_probe_cosine"] >= 0.95
    assert not list(tmp_path.glob(".export-*"))  # the float graph was a temporary
    vec = OnnxQueryEncoder(folder).encode(["Amazon Bedrock là gì?"], info["prompts"]["query"])
    assert vec.shape == (1, 768)
    assert build_query_encoder(model, progress=said.append) == folder
    assert said[-1].endswith("already built")
    shutil.rmtree(folder)
