"""The embedded default: Qwen2.5-Coder-1.5B-Instruct (GGUF) on llama-cpp-python, as a LangChain chat model."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from rag.config import Settings
from rag.errors import ProviderUnavailableError
from rag.generators.chat import ChatModelGenerator


class LocalGenerator(ChatModelGenerator):
    """Local GGUF model; needs no account. Prompt processing is the cost, so the prompt stays small."""

    name = "local"
    # ~85 prompt tokens/s on 2 cores: the best sentences only, not whole chunks.
    context_chars = 900
    sentences_per_source = 2

    def __init__(self, settings: Settings, **kwargs: object) -> None:
        super().__init__(settings, **kwargs)  # type: ignore[arg-type]
        self.path = settings.models_dir / settings.llm.local_model

    def describe(self) -> str:
        return f"local · {self.settings.llm.local_model}"

    def build_model(self) -> BaseChatModel:
        if not self.path.is_file():
            raise ProviderUnavailableError(f"the local model is missing ({self.path}); run `hoidap models fetch`")
        try:
            from langchain_community.chat_models import ChatLlamaCpp
        except ImportError as exc:
            raise ProviderUnavailableError("the local provider needs: pip install 'hoidap[local]'") from exc
        llm = self.settings.llm
        try:
            return ChatLlamaCpp(
                model_path=str(self.path),
                n_ctx=llm.local_context,
                n_threads=llm.local_threads,
                n_batch=512,
                max_tokens=min(llm.max_tokens, 256),
                temperature=llm.temperature,
                top_p=llm.top_p,
                repeat_penalty=1.1,
                streaming=True,
                verbose=False,
            )
        except Exception as exc:  # llama.cpp raises ValueError/RuntimeError on a bad file
            raise ProviderUnavailableError(f"cannot load the local model {self.path.name}: {exc}") from exc
