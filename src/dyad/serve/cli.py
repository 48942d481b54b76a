"""The ``dyad`` command line: a thin Click wrapper over the library.

Exit codes: 0 done; 1 done, but some inputs were rejected (see ``dyad rejections``);
2 usage or configuration error; 3 other error; 4 the store cannot be opened or written;
5 a requested record does not exist.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from dyad.api import ingest as run_ingest
from dyad.api import open_store
from dyad.errors import DyadError
from dyad.pipeline import STAGES
from dyad.serve.export import FORMATS, article_record, export_articles
from dyad.settings import Settings, load_settings, with_overrides

EXIT_REJECTIONS = 1
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def _fail_cleanly(command: Callable) -> Callable:
    """Every library error becomes one line on stderr and its documented exit code."""

    @wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except DyadError as exc:
            errors.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
            sys.exit(exc.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="DYAD_DB",
              help="Store file (SQLite). Default: $DYAD_DB, else store.path in the config (dyad.db).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), envvar="DYAD_CONFIG",
              help="TOML file overriding the defaults per key (see dyad/defaults.toml).")
@click.version_option(package_name="dyad")
@click.pass_context
@_fail_cleanly
def main(ctx: click.Context, db: Path | None, config: Path | None) -> None:
    """dyad: news about relations between states, as a sourced, queryable record.

    \b
    Exit codes: 0 done; 1 done, some inputs rejected; 2 usage or config error;
    3 other error; 4 store cannot be opened or written; 5 record not found.
    """
    ctx.obj = {"settings": load_settings(config, db_path=db)}


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--max-bytes", type=click.IntRange(min=1), help="Reject inputs (files, JSON lines, WARC records) larger than this.")
@click.option("--encoding", help="Encoding of text inputs (default utf-8; e.g. cp1252).")
@click.option("--batch-size", type=click.IntRange(min=1), help="Articles per transaction.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no summary.")
@click.pass_context
@_fail_cleanly
def ingest(ctx: click.Context, paths: tuple[Path, ...], max_bytes: int | None, encoding: str | None,
           batch_size: int | None, quiet: bool) -> None:
    """Read files and folders (recursively) into the store.

    Reads .txt, .html/.htm, .jsonl (one article per line: "text" or "html", optional url, outlet,
    title, published, author) and .warc/.warc.gz. Input seen before adds nothing; a changed
    document becomes a new version and the old one is kept. Bad input is recorded as a
    rejection and the rest goes on (exit code 1 when anything was rejected).
    """
    settings = with_overrides(_settings(ctx), max_bytes=max_bytes, encoding=encoding, batch_size=batch_size)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} files"),
                        TimeElapsedColumn(), console=errors, disable=quiet or not errors.is_terminal, transient=True)
    with open_store(settings=settings) as store, progress:
        task = progress.add_task("ingesting", total=None)
        report = run_ingest(paths, store=store, settings=settings, command="ingest " + " ".join(map(str, paths)),
                            on_file=lambda name: progress.update(task, advance=1, description=Path(name).name[:40]))
    counts = report.counts
    if not quiet:
        console.print(f"{settings.db_path}: {counts.added} added, {counts.new_versions} new versions, "
                      f"{counts.unchanged} unchanged, {counts.rejected} rejected (run {report.run_id}, {report.files} files)",
                      highlight=False)
        if counts.rejected:
            console.print(f"  rejected: {', '.join(f'{c} {code}' for code, c in sorted(counts.rejected_by_code.items()))}"
                          f" — see 'dyad rejections --run {report.run_id}'", highlight=False)
    if counts.rejected:
        sys.exit(EXIT_REJECTIONS)


@main.group()
def articles() -> None:
    """List, show and search the stored articles."""


@articles.command("list")
@click.option("--all-versions", is_flag=True, help="Include superseded versions.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many articles.")
@click.pass_context
@_fail_cleanly
def articles_list(ctx: click.Context, all_versions: bool, as_json: bool, limit: int | None) -> None:
    """One line per article: id, published, outlet, dateline, title, source."""
    with open_store(settings=_settings(ctx), readonly=True) as store:
        rows = list(store.articles(all_versions=all_versions, limit=limit))
    if as_json:
        for article in rows:
            meta = article.metadata()
            click.echo(json.dumps({"id": article.id, "version": article.version, "source": article.source,
                                   **{k: v.value for k, v in meta.items()}}, ensure_ascii=False))
        return
    # Plain fixed-width lines: the short columns keep their width, the title takes what is left.
    width = max(console.width, 100)
    head = f"{'id':<16}  {'v':>2}  {'published':<10}  {'outlet':<18}  {'dateline':<12}  "
    click.echo(head + "title / source")
    for article in rows:
        meta = article.metadata()
        cell = lambda name, size: _fit(meta[name].value if name in meta else "—", size)  # noqa: E731
        line = f"{article.id:<16}  {article.version:>2}  {cell('published', 10)}  {cell('outlet', 18)}  {cell('dateline', 12)}  "
        title = meta["title"].value if "title" in meta else Path(article.source).name
        click.echo(line + _fit(title, width - len(line)).rstrip())
    console.print(f"{len(rows)} articles", highlight=False)


def _fit(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text.ljust(size) if len(text) <= size else text[: size - 1] + "…"


@articles.command("show")
@click.argument("article_id")
@click.option("--removed", is_flag=True, help="Also print the boilerplate that cleaning removed.")
@click.option("--raw", is_flag=True, help="Also print the raw input as stored.")
@click.option("--json", "as_json", is_flag=True, help="The article as one JSON object, with evidence.")
@click.pass_context
@_fail_cleanly
def articles_show(ctx: click.Context, article_id: str, removed: bool, raw: bool, as_json: bool) -> None:
    """One article: metadata with where each value came from, then the clean text.

    ARTICLE_ID may be a unique prefix of the id.
    """
    with open_store(settings=_settings(ctx), readonly=True) as store:
        article = store.article(article_id)
        sources = store.sources(article.id)
    if as_json:
        click.echo(json.dumps(article_record(article, sources, removed=removed, raw=raw), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{article.id}[/] version {article.version}" + (f" (supersedes {article.supersedes})" if article.supersedes else ""))
    for source, locator in sources:
        console.print(f"  seen at {escape(locator)}", highlight=False)
    for name, value in article.metadata().items():
        where = f" ← {escape(repr(value.evidence.quote))} [{value.evidence.layer} {value.evidence.start}:{value.evidence.end}]" if value.evidence else ""
        basis = f" ({escape(value.basis)})" if value.basis else ""
        console.print(f"  {name}: [bold]{escape(value.value)}[/]  via {escape(value.source)}, confidence {value.confidence:.2f}{where}{basis}", highlight=False)
    console.print()
    console.print(escape(article.text), highlight=False)
    if removed:
        console.print("\n[bold]removed[/]")
        for block in article.removed:
            console.print(f"  [{block.reason}] {escape(block.text)!s}", highlight=False)
    if raw:
        console.print("\n[bold]raw[/]")
        console.print(escape(article.raw), highlight=False)


@articles.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.pass_context
@_fail_cleanly
def articles_search(ctx: click.Context, query: str, limit: int) -> None:
    """Full-text search over titles and bodies (SQLite FTS5 syntax: words, "phrases", OR, NEAR)."""
    with open_store(settings=_settings(ctx), readonly=True) as store:
        hits = store.search(query, limit=limit)
    for article, snippet in hits:
        title = article.title.value if article.title else Path(article.source).name
        console.print(f"[bold]{article.id}[/] {escape(title)}\n    {escape(snippet)}", highlight=False)
    console.print(f"{len(hits)} matches", highlight=False)


@main.command()
@click.option("--run", "run_id", type=int, help="Only rejections of this ingest run.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
@_fail_cleanly
def rejections(ctx: click.Context, run_id: int | None, as_json: bool) -> None:
    """Inputs that did not become articles, with a code and the reason."""
    with open_store(settings=_settings(ctx), readonly=True) as store:
        rows = store.rejections(run_id=run_id)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            console.print(f"{row['code']:<16} {escape(row['message'])}", highlight=False)
    if not as_json:
        console.print(f"{len(rows)} rejections", highlight=False)


@main.group()
def export() -> None:
    """Write the store's records to files."""


@export.command("articles")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: standard output; required for parquet).")
@click.option("--removed", is_flag=True, help="Include the removed boilerplate of each article.")
@click.option("--raw", is_flag=True, help="Include the raw input of each article.")
@click.option("--all-versions", is_flag=True, help="Include superseded versions.")
@click.pass_context
@_fail_cleanly
def export_articles_command(ctx: click.Context, fmt: str, output: Path | None, removed: bool, raw: bool, all_versions: bool) -> None:
    """Articles with id, source, outlet, title, published, dateline, text and each value's evidence."""
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs -o FILE")
    with open_store(settings=_settings(ctx), readonly=True) as store:
        count = export_articles(store, fmt, output, sys.stdout, all_versions=all_versions, removed=removed, raw=raw)
    if output:
        errors.print(f"{count} articles written to {output}", highlight=False)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
@click.pass_context
@_fail_cleanly
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts: articles, versions, sources, rejections by code, outlets."""
    with open_store(settings=_settings(ctx), readonly=True) as store:
        numbers = store.stats()
    if as_json:
        click.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
        return
    for name, value in numbers.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "—"
        console.print(f"{name:>16}  {escape(str(value))}", highlight=False)


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per row.")
@click.pass_context
@_fail_cleanly
def sql(ctx: click.Context, query: str, as_json: bool) -> None:
    """Run a DuckDB SQL query over the store's tables (articles, current_articles, article_meta,
    article_sources, removed_blocks, rejections, runs)."""
    import duckdb

    from dyad.store.analytics import query as run_query

    with open_store(settings=_settings(ctx), readonly=True) as store:
        try:
            columns, rows = run_query(store, query)
        except duckdb.Error as exc:
            raise click.UsageError(f"SQL error: {exc}") from exc
    if as_json:
        for row in rows:
            click.echo(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str))
        return
    table = Table(*columns, box=None, pad_edge=False)
    for row in rows:
        table.add_row(*(escape("" if v is None else str(v)) for v in row))
    console.print(table)


@main.command()
def stages() -> None:
    """The pipeline's stages in order, with what each reads and writes."""
    for stage in STAGES:
        console.print(f"[bold]{stage.name:<17}[/] {stage.module:<24} reads {', '.join(stage.reads) or '—'}; "
                      f"writes {', '.join(stage.writes) or '—'}\n{'':18}{escape(stage.doc)}", highlight=False)
