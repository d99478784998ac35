"""The error tree of hoidap.

    HoidapError
    ├── ConfigError              settings that cannot work together
    ├── ModelError               a model is missing, corrupt or cannot load
    │   └── ModelFetchError      a package is missing or fails its checksum
    ├── IngestError              one input file cannot be indexed
    │   └── UnsupportedDocumentError   its type is not one we read
    ├── StoreUnavailableError    Chroma cannot be reached or opened
    ├── IndexEmptyError          nothing has been ingested yet
    ├── IndexLockedError         another process is writing the index
    ├── ProviderUnavailableError a generator cannot be used right now
    │   └── UnknownProviderError  no provider goes by that name (also a KeyError)
    └── InvalidQuestionError     a question we refuse to process (empty, too long)

Underlying libraries' errors are translated at the boundary with `raise ... from exc`.
Only the CLI and the UI turn these into messages for people. "The sources do not
contain this" is a normal answer, never an exception.
"""

from __future__ import annotations

from pathlib import Path


class HoidapError(Exception):
    """Base of every error hoidap raises on purpose."""


class ConfigError(HoidapError):
    """Settings that cannot work together."""


class ModelError(HoidapError):
    """A model is missing, corrupt or cannot be loaded."""


class ModelFetchError(ModelError):
    """A model package is missing from the registry or fails its checksum."""


class IngestError(HoidapError):
    """One input file cannot be indexed; names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedDocumentError(IngestError):
    """The file's type is not one hoidap reads."""


class StoreUnavailableError(HoidapError):
    """The Chroma store cannot be reached or opened."""


class IndexEmptyError(HoidapError):
    """Nothing has been ingested yet."""


class IndexLockedError(HoidapError):
    """Another process holds the writer lock of the embedded index."""


class ProviderUnavailableError(HoidapError):
    """A generator cannot be used right now (no credentials, no model, service down)."""


class UnknownProviderError(ProviderUnavailableError, KeyError):
    """No generator is registered under that name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown provider"


class InvalidQuestionError(HoidapError):
    """A question hoidap refuses to process, with the reason."""
