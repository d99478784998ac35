"""Generators behind one Protocol, chosen by name: extractive, local, bedrock."""

from rag.generators.base import REFUSAL_TOKEN, Generator, Source, get_generator, provider_names

__all__ = ["REFUSAL_TOKEN", "Generator", "Source", "get_generator", "provider_names"]
