"""The embedded default: Qwen2.5-Coder-1.5B-Instruct (GGUF) on llama-cpp-python, as a LangChain chat model."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from rag.config import Settings
from rag.errors import ProviderUnavailableError
from rag.generators.base import PromptBudget
from rag.generators.chat import ChatModelGenerator


class LocalGenerator(ChatModelGenerator):
    """Local GGUF model; needs no account. Prompt processing is the cost, so the prompt stays small."""

    name = "local"
    # 1-3 sentences; at ~30 tokens/s a longer answer would blow the full-answer target.
    max_answer_tokens = 160

    def __init__(self, settings: Settings, **kwargs: object) -> None:
        super().__init__(settings, **kwargs)  # type: ignore[arg-type]
        self.path = settings.models_dir / settings.llm.local_model
        # ~95 prompt tokens/s on 2 cores: the system prompt stays cached, and the rest must be read
        # within the first-token target, so only the best sentences and the last exchange go in.
        self.budget = PromptBudget(
            source_chars=settings.llm.local_prompt_chars,
            sentences_per_source=3,
            history_turns=2,
            history_chars=240,
            title_chars=40,
        )

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
                max_tokens=min(llm.max_tokens, self.max_answer_tokens),
                temperature=llm.temperature,
                top_p=llm.top_p,
                repeat_penalty=1.1,
                streaming=True,
                verbose=False,
            )
        except Exception as exc:  # llama.cpp raises ValueError/RuntimeError on a bad file
            raise ProviderUnavailableError(f"cannot load the local model {self.path.name}: {exc}") from exc
