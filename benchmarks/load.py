"""Concurrent chat sessions against a running UI, through Gradio's API (gradio_client).

Each session asks a question and then a follow-up that carries the conversation,
as a consultant would. Reports errors and latency percentiles.

    python benchmarks/load.py --url http://127.0.0.1:7860/ --sessions 20 --provider extractive
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

QUESTIONS = [
    ("Khi chọn nền tảng GenAI, tiêu chí nào quan trọng nhất?", "Năm trước nó cũng đứng đầu à?"),
    ("Bộ khảo sát gồm bao nhiêu câu hỏi?", "Xoay quanh mấy lĩnh vực?"),
    ("Which criterion matters most when choosing a GenAI platform?", "Was it first last year too?"),
    ("Amazon Bedrock hỗ trợ những gì qua một API?", "Còn bảo mật thì sao?"),
]


def _text(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def session(url: str, index: int, provider: str, k: int) -> dict[str, Any]:
    """One consultant: a question, then a follow-up with the conversation so far."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    first, follow_up = QUESTIONS[index % len(QUESTIONS)]
    history: list[dict[str, Any]] = []
    latencies, errors = [], []
    for question in (first, follow_up):
        started = time.perf_counter()
        try:
            chat, _sources, proposal, _box, _ = client.predict(question, history, provider, k, api_name="/ask")
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            break
        latencies.append(time.perf_counter() - started)
        answer = _text(chat[-1]) if chat else ""
        if not answer or answer.lower().startswith(("lỗi", "error")):
            errors.append(f"session {index}: no answer to {question!r}: {answer[:120]!r}")
        history = chat
    client.close()
    return {"latencies": latencies, "errors": errors}


def run_load(url: str, sessions: int = 20, provider: str = "extractive", k: int = 5, deadline_s: float = 600) -> dict:
    """`sessions` concurrent sessions; every request is counted, bounded by `deadline_s` overall."""
    started = time.perf_counter()
    latencies: list[float] = []
    errors: list[str] = []
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(session, url, i, provider, k) for i in range(sessions)]
        for future in as_completed(futures, timeout=deadline_s):
            result = future.result()
            latencies += result["latencies"]
            errors += result["errors"]
    wall = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] if ordered else float("nan")

    return {
        "sessions": sessions,
        "requests": len(latencies),
        "errors": errors,
        "p50_s": pct(0.50),
        "p95_s": pct(0.95),
        "max_s": ordered[-1] if ordered else float("nan"),
        "mean_s": statistics.fmean(latencies) if latencies else float("nan"),
        "wall_s": wall,
        "throughput_rps": len(latencies) / wall if wall else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--provider", default="extractive")
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run_load(args.url, args.sessions, args.provider, args.k), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
