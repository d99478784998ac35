"""Amazon Bedrock through langchain-aws's ChatBedrockConverse (the Converse / ConverseStream APIs).

Credentials come from boto3's default chain. Throttling is retried by botocore
with backoff; every other failure becomes a `ProviderUnavailableError` with a
plain message, which lets the chain fall back to extractive answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel

from rag.condense import Turn
from rag.errors import ProviderUnavailableError
from rag.generators.base import PromptBudget, Source
from rag.generators.chat import ChatModelGenerator

_MESSAGES = {
    "AccessDeniedException": "Amazon Bedrock refused access to the model (check the IAM policy and model access)",
    "ValidationException": "Amazon Bedrock rejected the request (check the model id and region)",
    "ThrottlingException": "Amazon Bedrock is throttling requests; try again shortly",
    "ResourceNotFoundException": "the Bedrock model id was not found in this region",
    "ModelNotReadyException": "the Bedrock model is not ready; try again shortly",
    "ServiceUnavailableException": "Amazon Bedrock is unavailable right now",
    "InternalServerException": "Amazon Bedrock had an internal error",
    "ModelTimeoutException": "the Bedrock model timed out",
}


class BedrockGenerator(ChatModelGenerator):
    """Amazon Bedrock foundation model via Converse; larger context than the local model."""

    name = "bedrock"
    reasons_about_evidence = True  # a large model notices what the sources do not say
    budget = PromptBudget(source_chars=6000, sentences_per_source=8)

    def describe(self) -> str:
        return f"bedrock · {self.settings.llm.bedrock_model_id} ({self.settings.llm.bedrock_region})"

    def build_model(self) -> BaseChatModel:
        try:
            from botocore.config import Config
            from langchain_aws import ChatBedrockConverse
        except ImportError as exc:
            raise ProviderUnavailableError("the bedrock provider needs: pip install 'hoidap[bedrock]'") from exc
        llm = self.settings.llm
        kwargs: dict[str, Any] = {}
        if llm.bedrock_endpoint_url:
            kwargs["endpoint_url"] = llm.bedrock_endpoint_url
        try:
            return ChatBedrockConverse(
                model=llm.bedrock_model_id,
                region_name=llm.bedrock_region,
                max_tokens=llm.max_tokens,
                temperature=llm.temperature,
                top_p=llm.top_p,
                config=Config(
                    retries={"total_max_attempts": llm.bedrock_max_retries + 1, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=60,
                ),
                **kwargs,
            )
        except Exception as exc:  # missing region/credentials surface here or on first call
            raise ProviderUnavailableError(plain_bedrock_error(exc)) from exc

    def stream(self, question: str, sources: Sequence[Source], history: Sequence[Turn], lang: str) -> Iterator[str]:
        try:
            yield from super().stream(question, sources, history, lang)
        except ProviderUnavailableError:
            raise
        except Exception as exc:
            raise ProviderUnavailableError(plain_bedrock_error(exc)) from exc


def plain_bedrock_error(exc: BaseException) -> str:
    """A message a consultant can act on, from botocore's exception (never a secret)."""
    from botocore.exceptions import (
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
    )

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (NoCredentialsError, PartialCredentialsError)):
            return "no AWS credentials were found (configure a profile, environment variables or a role)"
        if isinstance(seen, NoRegionError):
            return "no AWS region is set (HOIDAP_LLM__BEDROCK_REGION)"
        if isinstance(seen, EndpointConnectionError):
            return "cannot reach the Amazon Bedrock endpoint"
        if isinstance(seen, ConnectionError) and "messageStop" in str(seen):
            return "the Amazon Bedrock response stream was cut off before it finished"
        if isinstance(seen, ClientError):
            code = seen.response.get("Error", {}).get("Code", "")
            return _MESSAGES.get(code, f"Amazon Bedrock returned {code or 'an error'}")
        seen = seen.__cause__ or seen.__context__
    name = type(exc).__name__
    if "EventStream" in name or "Stream" in name or "IncompleteRead" in name:
        return "the Amazon Bedrock response stream was cut off"
    return f"Amazon Bedrock failed ({name})"
