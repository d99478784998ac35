"""Amazon Bedrock at the network edge: botocore's Stubber checks the Converse request we send."""

from urllib.parse import unquote

import pytest
from botocore.stub import Stubber
from fake_bedrock import FakeBedrock

from rag.chain import AnswerChain
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


# --- End to end against a local server that speaks the Converse / ConverseStream REST endpoints ---


@pytest.fixture
def fake():
    server = FakeBedrock().start()
    yield server
    server.stop()


@pytest.fixture
def via_fake(settings, fake, monkeypatch):
    """A Bedrock generator whose boto3 client talks to the fake server through `endpoint_url`."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-do-not-log")
    settings.llm.bedrock_endpoint_url = fake.url
    settings.llm.bedrock_max_retries = 3
    return BedrockGenerator(settings)


def test_converse_stream_is_decoded_piece_by_piece(via_fake, fake):
    fake.answer = ["Amazon Bedrock ", "cung cấp nhiều ", "foundation models [1]."]
    pieces = list(via_fake.stream("Bedrock cung cấp gì?", [], [], "vi"))
    assert pieces == fake.answer
    (request,) = fake.requests
    model_id = via_fake.settings.llm.bedrock_model_id
    assert unquote(request["path"]) == f"/model/{model_id}/converse-stream"
    body = request["body"]
    assert body["inferenceConfig"]["maxTokens"] == via_fake.settings.llm.max_tokens
    assert body["system"][0]["text"] and body["messages"][-1]["role"] == "user"
    assert "Bedrock cung cấp gì?" in body["messages"][-1]["content"][0]["text"]
    assert request["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256")


def test_the_standard_aws_endpoint_variable_reaches_the_fake(settings, fake, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
    assert "".join(BedrockGenerator(settings).stream("Bedrock là gì?", [], [], "vi")) == "Bedrock trả lời."
    assert len(fake.requests) == 1


def test_throttling_is_retried_with_backoff(via_fake, fake):
    fake.script = ["throttle", "throttle"]
    assert "".join(via_fake.stream("Bedrock là gì?", [], [], "vi")) == "Bedrock trả lời."
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    ("script", "message"),
    [
        (["server_error"] * 4, "internal error"),
        (["throttle"] * 4, "throttling"),
        (["access_denied"], "refused access"),
        (["validation"], "rejected the request"),
        (["cut"], "cut off"),
    ],
)
def test_faults_become_plain_messages(via_fake, fake, script, message):
    fake.script = list(script)
    with pytest.raises(ProviderUnavailableError, match=message) as info:
        list(via_fake.stream("Bedrock là gì?", [], [], "vi"))
    assert "123456789012" not in str(info.value) and "fake-secret" not in str(info.value)
    retried = script[0] in ("server_error", "throttle")
    assert len(fake.requests) == (via_fake.settings.llm.bedrock_max_retries + 1 if retried else 1)


def test_chain_streams_a_grounded_bedrock_answer(chain, settings, fake, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    chain.settings.llm.bedrock_endpoint_url = fake.url
    fake.answer = ["Khả năng bảo mật mạnh mẽ ", "là tiêu chí số 1 ", "khi lựa chọn nền tảng [1]."]
    bedrock_chain = AnswerChain(chain.settings, chain.retriever, {"bedrock": BedrockGenerator(chain.settings)})
    events = list(bedrock_chain.stream("Tiêu chí số 1 khi lựa chọn nền tảng là gì?", provider="bedrock"))
    deltas = [value for kind, value in events if kind == "delta"]
    assert deltas == fake.answer
    answer = events[-1][1]
    assert not answer.refused and not answer.notice
    assert answer.references[0].chunk.source == "khao_sat.md"
    shape = answer.to_bedrock()
    assert shape["citations"] and "tiêu chí số 1" in shape["output"]["text"]


def test_a_cut_stream_falls_back_to_quotes_without_hanging(chain, fake, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    chain.settings.llm.bedrock_endpoint_url = fake.url
    fake.script = ["cut"]
    bedrock_chain = AnswerChain(chain.settings, chain.retriever, {"bedrock": BedrockGenerator(chain.settings)})
    events = list(bedrock_chain.stream("Tiêu chí số 1 khi lựa chọn nền tảng là gì?", provider="bedrock"))
    kinds = [kind for kind, _ in events]
    assert "reset" in kinds  # the half-written text is replaced
    answer = events[-1][1]
    assert "cut off" in answer.notice and answer.references
    assert "tiêu chí số 1" in answer.text
