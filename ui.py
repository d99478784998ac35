"""The Gradio chat: streaming answers, source cards, follow-ups, copy-for-proposal, feedback.

`build_demo(chain)` makes the Blocks; `main()` warms the models up and serves on
127.0.0.1:7860 (settings `HOIDAP_UI__HOST` / `__PORT`). Document text is always
escaped before it reaches the page.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from rag.answer import Answer
from rag.chain import AnswerChain
from rag.config import Settings
from rag.errors import HoidapError
from rag.generators.base import provider_names
from rag.segment import language

EXAMPLES = [
    "Khảo sát GenAI của AWS thu thập phản hồi ở những khu vực nào?",
    "Amazon Bedrock giúp doanh nghiệp điều gì?",
    "Which strategic investments in generative AI are mentioned?",
    "How many guests attended the GenAI Open Innovation launch?",
]

CSS = """
.source-card {border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px 12px; margin-bottom: 10px;}
.source-card .meta {color: var(--body-text-color-subdued); font-size: 0.85em; margin-bottom: 6px;}
.source-card .passage {white-space: pre-wrap; font-size: 0.92em; max-height: 16em; overflow-y: auto;}
.source-card mark {background: #fde68a; color: inherit; padding: 0 2px;}
.notice {color: #b45309; font-size: 0.9em;}
"""

COPY_JS = """
(text) => {
  if (!text) { return []; }
  const done = () => { const b = document.querySelector('#copy-proposal'); if (b) { b.dataset.copied = '1'; } };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    const area = document.createElement('textarea');
    area.value = text; document.body.appendChild(area); area.select();
    document.execCommand('copy'); document.body.removeChild(area); done();
  }
  return [];
}
"""


def render_sources(answer: Answer | None) -> str:
    """Source cards as escaped HTML: title, author, date, file, section and the passage with the quote marked."""
    if answer is None:
        return "<p>Nguồn được trích dẫn sẽ hiện ở đây. / Cited sources appear here.</p>"
    if answer.refused or not answer.references:
        return "<p>Không có nguồn nào được trích dẫn. / No source was cited.</p>"
    cards = []
    for i, ref in enumerate(answer.references):
        meta = ref.chunk.metadata
        quotes = [s.quotes[i] for s in answer.sentences if i in s.quotes]
        bits = [html.escape(str(meta.get("title", ref.chunk.source)))]
        bits += [html.escape(str(meta[key])) for key in ("author", "date") if meta.get(key)]
        bits.append(f"<code>{html.escape(ref.chunk.source)}</code>")
        section = f" · {html.escape(str(meta['section']))}" if meta.get("section") else ""
        cards.append(
            f'<div class="source-card" data-source="{html.escape(ref.chunk.source, quote=True)}">'
            f"<div><b>[{i + 1}]</b> {' · '.join(bits)}</div>"
            f'<div class="meta">{section.lstrip(" ·")}</div>'
            f'<div class="passage">{_highlight(ref.chunk.text, quotes)}</div></div>'
        )
    return "\n".join(cards)


def _highlight(text: str, quotes: list[str]) -> str:
    """Escape the passage and wrap each cited sentence in <mark>.

    A quote of several lines joined by " · " (a byline's "David Hajdu · Jun 5 · 3 min read") marks each line.
    """
    pieces = [piece for q in quotes if q for piece in ([q] if q in text else q.split(" · "))]
    starts = ((text.find(q), q) for q in pieces if q)
    spans = sorted({(start, start + len(q)) for start, q in starts if start >= 0})
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def log_feedback(path: Path, record: dict[str, Any]) -> None:
    """Append one feedback record to the local JSONL log."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"time": int(time.time()), **record}, ensure_ascii=False) + "\n")


def build_demo(chain: AnswerChain, settings: Settings | None = None) -> gr.Blocks:
    """The chat UI around an AnswerChain (tests pass a chain built on tiny data)."""
    settings = settings or chain.settings
    providers = provider_names()

    def model_line(provider: str) -> str:
        try:
            return f"**Mô hình / model:** {chain.generator(provider).describe()}"
        except HoidapError as exc:
            return f"**Mô hình / model:** {provider} — {exc}"

    def respond(
        message: str, chat: list[dict[str, Any]], turns: list[dict[str, str]], provider: str, k: float
    ) -> Iterator[tuple[Any, ...]]:
        chat = list(chat or [])
        turns = list(turns or [])
        chat.append({"role": "user", "content": message})
        chat.append({"role": "assistant", "content": "…"})
        yield chat, turns, gr.skip(), gr.skip(), "", ""
        answer: Answer | None = None
        streamed = ""
        try:
            for kind, value in chain.stream(message, turns, provider=provider, k=int(k)):
                if kind == "delta":
                    streamed += value
                    chat[-1] = {"role": "assistant", "content": streamed}
                    yield chat, turns, gr.skip(), gr.skip(), gr.skip(), gr.skip()
                elif kind == "reset":
                    streamed = value
                elif kind == "answer":
                    answer = value
        except HoidapError as exc:
            chat[-1] = {"role": "assistant", "content": f"Lỗi / error: {exc}"}
            yield chat, turns, render_sources(None), "", gr.skip(), gr.skip()
            return
        assert answer is not None
        lang = language(answer.question)
        chat[-1] = {"role": "assistant", "content": answer.text}
        turns += [{"role": "user", "content": answer.question}, {"role": "assistant", "content": answer.text}]
        notice = f'<p class="notice">{html.escape(answer.notice)}</p>' if answer.notice else ""
        # The question box was cleared at the start; leave alone what the user has typed since.
        yield chat, turns, notice + render_sources(answer), answer.to_markdown(lang), gr.skip(), gr.skip()

    def reset() -> tuple[Any, ...]:
        return [], [], render_sources(None), "", "", ""

    def feedback(data: gr.LikeData, chat: list[dict[str, Any]], comment: str) -> str:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        answer = chat[index]["content"] if 0 <= index < len(chat) else ""
        question = next((m["content"] for m in reversed(chat[:index]) if m["role"] == "user"), "")
        log_feedback(
            settings.ui.feedback_log,
            {"question": question, "answer": answer, "liked": bool(data.liked), "comment": comment or ""},
        )
        return "Cảm ơn phản hồi của bạn! / Thanks for the feedback!"

    with gr.Blocks(title="hoidap — hỏi đáp") as demo:
        gr.Markdown("## hoidap — hỏi đáp có trích dẫn / answers with citations")
        model_md = gr.Markdown(model_line(settings.llm.provider), elem_id="model-info")
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Hội thoại / conversation",
                    height=480,
                    elem_id="chat",
                    sanitize_html=True,
                    feedback_options=["Like", "Dislike"],
                )
                question = gr.Textbox(
                    placeholder="Hỏi bằng tiếng Việt hoặc tiếng Anh… / Ask in Vietnamese or English…",
                    show_label=False,
                    elem_id="question",
                    max_length=4000,
                )
                with gr.Row():
                    send = gr.Button("Gửi / Ask", variant="primary", elem_id="send")
                    new_chat = gr.Button("Cuộc trò chuyện mới / New conversation", elem_id="new-chat")
                    copy = gr.Button("Sao chép cho đề xuất / Copy for proposal", elem_id="copy-proposal")
                gr.Examples(EXAMPLES, inputs=question, label="Ví dụ / examples")
                comment = gr.Textbox(label="Góp ý kèm đánh giá (tuỳ chọn) / optional comment with your rating", lines=1)
                thanks = gr.Markdown("")
            with gr.Column(scale=2):
                with gr.Accordion("Cài đặt / settings", open=False):
                    provider = gr.Dropdown(
                        providers, value=settings.llm.provider, label="Nhà cung cấp / provider", elem_id="provider"
                    )
                    k = gr.Slider(1, 10, value=settings.retrieval.k, step=1, label="Số nguồn / sources (k)")
                sources = gr.HTML(render_sources(None), elem_id="sources", label="Nguồn / sources")
                proposal = gr.Textbox(
                    label="Văn bản cho đề xuất (Markdown) / proposal text",
                    lines=6,
                    interactive=False,
                    buttons=["copy"],
                    elem_id="proposal",
                )
        outputs = [chatbot, turns, sources, proposal, question, thanks]
        send.click(respond, [question, chatbot, turns, provider, k], outputs, api_name="ask")
        question.submit(respond, [question, chatbot, turns, provider, k], outputs, api_name=False)
        new_chat.click(reset, None, outputs, api_name="new_conversation")
        copy.click(None, [proposal], None, js=COPY_JS)
        provider.change(model_line, provider, model_md, api_name=False)
        chatbot.like(feedback, [chatbot, comment], thanks, api_name=False)
    return demo


def build_chain(settings: Settings) -> AnswerChain:
    """Load the embedder, open the index and warm the default generator up."""
    from rag.embeddings import load_embedder
    from rag.retrieval import HybridRetriever

    retriever = HybridRetriever(settings, load_embedder(settings))
    retriever.warm_up()
    return AnswerChain(settings, retriever)


def main(settings: Settings | None = None) -> None:
    """Serve the chat (127.0.0.1:7860 by default)."""
    settings = settings or Settings()
    chain = build_chain(settings)
    try:  # load the local model now rather than on the first question
        generator = chain.generator()
        if hasattr(generator, "model"):
            _ = generator.model
    except HoidapError as exc:
        print(f"note: {exc}; the chat will fall back to extractive answers")
    demo = build_demo(chain, settings)
    demo.queue(default_concurrency_limit=4).launch(
        server_name=settings.ui.host, server_port=settings.ui.port, show_error=False, css=CSS
    )


if __name__ == "__main__":
    main()
