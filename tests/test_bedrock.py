"""Amazon Bedrock at the network edge: botocore's Stubber checks the Converse request we send."""

import pytest
from botocore.stub import Stubber

from rag.errors import ProviderUnavailableError
from rag.generators.bedrock import BedrockGenerator, plain_bedrock_error
from rag.generators.chat import converse_to_langchain


@pytest.fixture
def bedrock(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.llm.bedrock_max_retries = 0
    generator = BedrockGenerator(settings)
    return generator


def _request():
    return {
        "system": [{"text": "Chỉ dùng NGUỒN."}],
        "messages": [{"role": "user", "content": [{"text": "NGUỒN: [1] Bedrock.\n\nCÂU HỎI: Bedrock là gì?"}]}],
    }


def test_converse_request_parameters_reach_bedrock(bedrock):
    model = bedrock.model
    client = model.client
    response = {
        "output": {"message": {"role": "assistant", "content": [{"text": "Bedrock là dịch vụ được quản lý [1]."}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 10, "outputTokens": 8, "totalTokens": 18},
        "metrics": {"latencyMs": 5},
    }
    expected = {
        "modelId": bedrock.settings.llm.bedrock_model_id,
        "messages": [{"role": "user", "content": [{"text": "NGUỒN: [1] Bedrock.\n\nCÂU HỎI: Bedrock là gì?"}]}],
        "system": [{"text": "Chỉ dùng NGUỒN."}],
        "inferenceConfig": {
            "maxTokens": bedrock.settings.llm.max_tokens,
            "temperature": bedrock.settings.llm.temperature,
            "topP": bedrock.settings.llm.top_p,
        },
    }
    with Stubber(client) as stub:
        stub.add_response("converse", response, expected)
        reply = model.invoke(converse_to_langchain(_request()))
        stub.assert_no_pending_responses()
    assert "dịch vụ được quản lý" in reply.content if isinstance(reply.content, str) else str(reply.content)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("AccessDeniedException", "refused access"),
        ("ValidationException", "rejected the request"),
        ("ThrottlingException", "throttling"),
    ],
)
def test_bedrock_errors_become_plain_messages(bedrock, code, message):
    model = bedrock.model
    with Stubber(model.client) as stub:
        stub.add_client_error(
            "converse", service_error_code=code, service_message="secret detail", http_status_code=400
        )
        with pytest.raises(Exception) as info:
            model.invoke(converse_to_langchain(_request()))
    text = plain_bedrock_error(info.value)
    assert message in text and "secret detail" not in text


def test_missing_credentials_are_a_plain_message(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    generator = BedrockGenerator(settings)
    with pytest.raises(ProviderUnavailableError, match="credentials"):
        list(generator.stream("Bedrock là gì?", [], [], "vi"))
