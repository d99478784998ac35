"""A small local HTTP server that speaks Bedrock Runtime's Converse and ConverseStream REST endpoints.

The network edge, faked faithfully: boto3 reaches it through `endpoint_url` (or
`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`), ConverseStream answers in the
`application/vnd.amazon.eventstream` binary framing that botocore decodes, and
errors carry the `x-amzn-ErrorType` header botocore maps to exception codes.
Each request takes the next scripted behaviour; the default answers normally.
"""

from __future__ import annotations

import json
import struct
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ERRORS = {
    "throttle": (429, "ThrottlingException", "Rate exceeded"),
    "server_error": (500, "InternalServerException", "internal failure"),
    "access_denied": (403, "AccessDeniedException", "not authorized for account 123456789012"),
    "validation": (400, "ValidationException", "The provided model identifier is invalid."),
}


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return struct.pack("!B", len(raw_name)) + raw_name + struct.pack("!BH", 7, len(raw_value)) + raw_value


def event_frame(event_type: str, payload: dict[str, Any]) -> bytes:
    """One message of the AWS event-stream framing (prelude, CRCs, string headers, JSON payload)."""
    headers = (
        _header(":event-type", event_type)
        + _header(":content-type", "application/json")
        + _header(":message-type", "event")
    )
    body = json.dumps(payload).encode()
    total = 12 + len(headers) + len(body) + 4
    prelude = struct.pack("!II", total, len(headers))
    prelude += struct.pack("!I", zlib.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + headers + body
    return message + struct.pack("!I", zlib.crc32(message) & 0xFFFFFFFF)


def stream_events(pieces: list[str], stop: bool = True) -> list[bytes]:
    """ConverseStream's event sequence for a text answer written in `pieces`."""
    frames = [event_frame("messageStart", {"role": "assistant"})]
    frames += [event_frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": p}}) for p in pieces]
    if stop:
        frames.append(event_frame("contentBlockStop", {"contentBlockIndex": 0}))
        frames.append(event_frame("messageStop", {"stopReason": "end_turn"}))
        frames.append(
            event_frame(
                "metadata",
                {"usage": {"inputTokens": 50, "outputTokens": 20, "totalTokens": 70}, "metrics": {"latencyMs": 12}},
            )
        )
    return frames


@dataclass
class FakeBedrock:
    """Scripted behaviours ("ok", "throttle", "server_error", "access_denied", "validation", "cut")."""

    answer: list[str] = field(default_factory=lambda: ["Bedrock ", "trả lời."])
    script: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def next_behaviour(self) -> str:
        return self.script.pop(0) if self.script else "ok"

    def start(self) -> FakeBedrock:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                path = self.path
                fake.requests.append({"path": path, "body": body, "headers": dict(self.headers)})
                behaviour = fake.next_behaviour()
                if behaviour in ERRORS:
                    status, code, message = ERRORS[behaviour]
                    data = json.dumps({"message": message}).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("x-amzn-ErrorType", f"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if path.endswith("/converse-stream"):
                    frames = stream_events(fake.answer, stop=behaviour != "cut")
                    data = b"".join(frames)
                    self.send_response(200)
                    self.send_header("Content-Type", "application/vnd.amazon.eventstream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    for frame in frames:
                        self.wfile.write(frame)
                        self.wfile.flush()
                    return
                if path.endswith("/converse"):
                    data = json.dumps(
                        {
                            "output": {"message": {"role": "assistant", "content": [{"text": "".join(fake.answer)}]}},
                            "stopReason": "end_turn",
                            "usage": {"inputTokens": 50, "outputTokens": 20, "totalTokens": 70},
                            "metrics": {"latencyMs": 12},
                        }
                    ).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(404)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
