"""Generators backed by a LangChain chat model, fed Bedrock Converse-shaped requests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from rag.condense import Turn
from rag.config import Settings
from rag.generators.base import PromptBudget, Source, build_messages
from rag.generators.extractive import evidence_order


def converse_to_langchain(request: dict[str, Any]) -> list[BaseMessage]:
    """Converse system blocks and messages -> LangChain messages (text blocks only)."""
    out: list[BaseMessage] = []
    system = "\n".join(block["text"] for block in request.get("system", []) if "text" in block)
    if system:
        out.append(SystemMessage(content=system))
    for message in request["messages"]:
        text = "\n".join(block["text"] for block in message["content"] if "text" in block)
        out.append(HumanMessage(content=text) if message["role"] == "user" else AIMessage(content=text))
    return out


def inference_config(settings: Settings) -> dict[str, Any]:
    """Converse inferenceConfig from the settings."""
    llm = settings.llm
    return {"maxTokens": llm.max_tokens, "temperature": llm.temperature, "topP": llm.top_p, "stopSequences": []}


class ChatModelGenerator:
    """Base for generators that wrap a LangChain chat model; subclasses build the model."""

    name = "chat"
    can_stream = True
    budget = PromptBudget(source_chars=2400, sentences_per_source=4)

    def __init__(self, settings: Settings, model: BaseChatModel | None = None, **_: object) -> None:
        self.settings = settings
        self._model = model

    @property
    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = self.build_model()
        return self._model

    def build_model(self) -> BaseChatModel:
        raise NotImplementedError

    def describe(self) -> str:
        return self.name

    def request(self, question: str, sources: Sequence[Source], history: Sequence[Turn], lang: str) -> dict[str, Any]:
        """The Converse-shaped request this generator sends."""
        # The sentences an extractive answer would quote lead the sources: list blocks stay whole, and a
        # small model that only reads the top of its prompt still sees them.
        first = evidence_order(question, sources, history)
        req = build_messages(question, sources, history, lang, self.budget, first)
        req["inferenceConfig"] = inference_config(self.settings)
        return req

    def stream(self, question: str, sources: Sequence[Source], history: Sequence[Turn], lang: str) -> Iterator[str]:
        messages = converse_to_langchain(self.request(question, sources, history, lang))
        for piece in self.model.stream(messages):
            text = (
                piece.content
                if isinstance(piece.content, str)
                else "".join(part.get("text", "") for part in piece.content if isinstance(part, dict))
            )
            if text:
                yield text
