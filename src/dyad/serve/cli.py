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
from dyad.errors import DyadError, StoreError
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
@click.option("--db", type=click.Path(dir_okay=False), envvar="DYAD_DB",
              help="Store: a SQLite file, or a PostgreSQL URL (postgresql://user@host/db). Default: $DYAD_DB,"
                   " else store.path in the config (dyad.db).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), envvar="DYAD_CONFIG",
              help="TOML file overriding the defaults per key (see dyad/defaults.toml).")
@click.version_option(package_name="dyad")
@click.pass_context
@_fail_cleanly
def main(ctx: click.Context, db: str | None, config: Path | None) -> None:
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
@click.option("--no-extract", is_flag=True, help="Store clean articles only; no actors or events (see 'dyad extract').")
@click.option("--workers", type=click.IntRange(min=1), help="Processes that clean and extract (default: [ingest] workers, one per CPU; 1: in this process).")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no summary.")
@click.pass_context
@_fail_cleanly
def ingest(ctx: click.Context, paths: tuple[Path, ...], max_bytes: int | None, encoding: str | None,
           batch_size: int | None, no_extract: bool, workers: int | None, quiet: bool) -> None:
    """Read files and folders (recursively) into the store.

    Reads .txt, .html/.htm, .jsonl (one article per line: "text" or "html", optional url, outlet,
    title, published, author) and .warc/.warc.gz. Input seen before adds nothing; a changed
    document becomes a new version and the old one is kept. Each new article's actors, places,
    times, figures and events are extracted (unless --no-extract). Bad input is recorded as a
    rejection and the rest goes on (exit code 1 when anything was rejected).
    """
    settings = with_overrides(_settings(ctx), max_bytes=max_bytes, encoding=encoding, batch_size=batch_size,
                              extract=False if no_extract else None, workers=workers)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} files"),
                        TimeElapsedColumn(), console=errors, disable=quiet or not errors.is_terminal, transient=True)
    with open_store(settings=settings) as store, progress:
        task = progress.add_task("ingesting", total=None)
        report = run_ingest(paths, store=store, settings=settings, command="ingest " + " ".join(map(str, paths)),
                            on_file=lambda name: progress.update(task, advance=1, description=Path(name).name[:40]))
    counts = report.counts
    if not quiet:
        console.print(f"{store.path}: {counts.added} added, {counts.new_versions} new versions, "
                      f"{counts.unchanged} unchanged, {counts.extracted} extracted, {counts.rejected} rejected (run {report.run_id}, {report.files} files)",
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
    for _source, locator in sources:
        console.print(f"  seen at {escape(locator)}", highlight=False)
    for name, value in article.metadata().items():
        where = escape(f" ← {value.evidence.quote!r} [{value.evidence.layer} {value.evidence.start}:{value.evidence.end}]") if value.evidence else ""
        basis = f" ({escape(value.basis)})" if value.basis else ""
        console.print(f"  {name}: [bold]{escape(value.value)}[/]  via {escape(value.source)}, confidence {value.confidence:.2f}{where}{basis}", highlight=False)
    console.print()
    console.print(escape(article.text), highlight=False)
    if removed:
        console.print("\n[bold]removed[/]")
        for block in article.removed:
            console.print(escape(f"  [{block.reason}] {block.text}"), highlight=False)
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


@export.command("events")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "plover"]), default="jsonl", show_default=True,
              help="jsonl: dyad's records with evidence; plover: PLOVER/POLECAT-style JSON objects, one per line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: standard output).")
@click.pass_context
@_fail_cleanly
def export_events_command(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Events, one per real-world event (reports across articles clustered), with type, mode,
    context, status, actors and recipients (id, name, country, sector), date (value,
    granularity, basis), location, figures, the evidence of every report, and its sources."""
    from dyad.serve.export import plover_record
    from dyad.store.resolution import event_cluster_records

    with open_store(settings=_settings(ctx), readonly=True) as store:
        records = event_cluster_records(store.db)
    lines = (json.dumps(plover_record(r) if fmt == "plover" else r, ensure_ascii=False) for r in records)
    _write_lines(lines, output, f"{len(records)} events")


@export.command("actors")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: standard output).")
@click.pass_context
@_fail_cleanly
def export_actors_command(ctx: click.Context, output: Path | None) -> None:
    """Actors with id, name, aliases, kind, country, sector and roles (title, organization, since,
    until, evidence), one JSON object per line."""
    from dyad.serve.export import actor_record
    from dyad.store.extraction import actor_summaries

    with open_store(settings=_settings(ctx), readonly=True) as store:
        records = [actor_record(s) for s in actor_summaries(store.db)]
    _write_lines((json.dumps(r, ensure_ascii=False) for r in records), output, f"{len(records)} actors")


def _write_lines(lines, output: Path | None, summary: str) -> None:  # noqa: ANN001
    if output is None:
        for line in lines:
            click.echo(line)
        return
    with output.open("w", encoding="utf-8") as stream:
        for line in lines:
            stream.write(line + "\n")
    errors.print(f"{summary} written to {output}", highlight=False)


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


@main.command()
@click.option("--force", is_flag=True, help="Extract again articles that already have an extraction.")
@click.option("--workers", type=click.IntRange(min=1), help="Processes that extract (default: [ingest] workers, one per CPU; 1: in this process).")
@click.pass_context
@_fail_cleanly
def extract(ctx: click.Context, force: bool, workers: int | None) -> None:
    """Extract actors, places, times, figures and events from stored articles that lack them or
    were extracted by an older version of the extractor (all of them with --force); each article's
    earlier machine output is replaced in place."""
    from dyad.api import extract_stored

    settings = with_overrides(_settings(ctx), workers=workers)
    with open_store(settings=settings) as store:
        counts = extract_stored(store, settings=settings, force=force)
    console.print(f"{counts.extracted} articles extracted, {counts.rejected} failed", highlight=False)
    if counts.rejected:
        sys.exit(EXIT_REJECTIONS)


@main.group()
def scale() -> None:
    """Run the pipeline on Ray (a local one, or a cluster) into Parquet partitions; import them."""


@scale.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the Parquet partitions.")
@click.option("--address", help="Ray cluster to join (ray://host:10001 or host:6379); default $RAY_ADDRESS, else a local Ray.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Actors that clean and extract (each loads the models once).")
@click.option("--cpus-per-worker", type=click.FloatRange(min=0.05), default=1.0, show_default=True, help="CPUs Ray reserves per actor (fractions allowed).")
@click.option("--no-extract", is_flag=True, help="Clean articles only; no actors or events.")
@click.pass_context
@_fail_cleanly
def scale_run(ctx: click.Context, inputs: tuple[Path, ...], out: Path, address: str | None, workers: int,
              cpus_per_worker: float, no_extract: bool) -> None:
    """Read INPUT files and folders (as 'dyad ingest' does, plus .parquet files with the columns of
    a .jsonl input) on Ray, clean and extract them in a pool of actors, and write articles,
    extractions (as events, participants, actors and figures rows) and rejections as Parquet
    partitions under --out. 'dyad scale import DIR' loads them into the store. Exit code 1 when
    some inputs were rejected."""
    from dyad.scale.ray_job import run

    settings = with_overrides(_settings(ctx), extract=False if no_extract else None)
    report = run(list(inputs), out, settings, address=address, workers=workers, cpus_per_worker=cpus_per_worker)
    rows = ", ".join(f"{count} {table}" for table, count in report.rows.items()) or "nothing"
    console.print(f"{out}: {report.files} files, {rows} ({report.partitions} partitions)", highlight=False)
    if report.rows.get("rejections"):
        sys.exit(EXIT_REJECTIONS)


@scale.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
@_fail_cleanly
def scale_import(ctx: click.Context, folder: Path) -> None:
    """Load the partitions under FOLDER into the store with the same ids, deduplication and
    versions as 'dyad ingest', then resolve across articles. Importing twice adds nothing. Exit
    code 1 when rejections were recorded."""
    from dyad.scale.importer import import_partitions

    settings = _settings(ctx)
    with open_store(settings=settings) as store:
        report = import_partitions(folder, store=store, settings=settings)
    counts = report.counts
    console.print(f"{store.path}: {counts.added} added, {counts.new_versions} new versions, {counts.unchanged} unchanged, "
                  f"{counts.extracted} extracted, {counts.rejected} rejected (run {report.run_id})", highlight=False)
    if counts.rejected:
        sys.exit(EXIT_REJECTIONS)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--interval", type=click.FloatRange(min=0.05), default=5.0, show_default=True, help="Seconds between passes.")
@click.option("--settle", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="Leave files modified less than this many seconds ago for the next pass (they may be half-written).")
@click.option("--once", is_flag=True, help="One pass, then exit.")
@click.pass_context
@_fail_cleanly
def watch(ctx: click.Context, folder: Path, interval: float, settle: float, once: bool) -> None:
    """Ingest files under FOLDER as they arrive or change, each content exactly once (files taken
    in are recorded in the store); a restart after a crash resumes without losing or doubling
    anything. SIGINT or SIGTERM stops after the files in hand."""
    from dyad.watch import watch as run_watch

    settings = _settings(ctx)

    def show(report) -> None:  # noqa: ANN001
        c = report.counts
        if report.files or once:
            console.print(f"{len(report.files)} files: {c.added} added, {c.new_versions} new versions, {c.unchanged} unchanged, "
                          f"{c.extracted} extracted, {c.rejected} rejected", highlight=False)

    with open_store(settings=settings) as store:
        total = run_watch(folder, store, settings, interval=interval, once=once, settle=settle, on_pass=show)
    if not once:
        console.print("stopped", highlight=False)
    if once and total.rejected:
        sys.exit(EXIT_REJECTIONS)


@main.command()
@click.option("--kind", help="Only this kind: country, government, government body, igo, organization, person, collective.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (the export format).")
@click.pass_context
@_fail_cleanly
def actors(ctx: click.Context, kind: str | None, as_json: bool) -> None:
    """Actors found in the store, one identity each, most mentioned first."""
    from dyad.serve.export import actor_record
    from dyad.store.extraction import actor_summaries

    with open_store(settings=_settings(ctx), readonly=True) as store:
        summaries = list(actor_summaries(store.db, kind=kind))
    for summary in summaries:
        actor = summary.actor
        if as_json:
            click.echo(json.dumps(actor_record(summary), ensure_ascii=False))
            continue
        aliases = f"  aka {', '.join(actor.aliases[:4])}" if actor.aliases else ""
        click.echo(f"{actor.id:<34} {actor.kind:<16} {actor.country or '—':<4} {actor.sector or '—':<4} "
                   f"{summary.mentions:>3} mentions in {summary.articles} articles  {actor.name}{aliases}")
    if not as_json:
        console.print(f"{len(summaries)} actors", highlight=False)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
@_fail_cleanly
def people(ctx: click.Context, as_json: bool) -> None:
    """People with their roles over time (title, country, since, until) and where each is stated."""
    from dyad.serve.export import actor_record
    from dyad.store.extraction import actor_summaries

    with open_store(settings=_settings(ctx), readonly=True) as store:
        summaries = list(actor_summaries(store.db, kind="person"))
    for summary in summaries:
        person = summary.actor
        if as_json:
            click.echo(json.dumps(actor_record(summary), ensure_ascii=False))
            continue
        merged = f"  (merged: {', '.join(summary.merged_from)})" if summary.merged_from else ""
        click.echo(f"{person.name}  [{person.country or '—'}]  {summary.articles} articles{merged}")
        for role in person.roles:
            period = " – ".join(filter(None, (role.since and f"since {role.since}", role.until and f"until {role.until}")))
            click.echo(f"    {role.title}{f' ({role.country})' if role.country else ''}{f'  {period}' if period else ''}"
                       f"  ← {role.evidence.article_id[:12]} “{role.evidence.quote}”")
    if not as_json:
        console.print(f"{len(summaries)} people", highlight=False)


def _event_filter(actor: str | None, pair: tuple[str, str] | None, event_type: str | None, status: str | None,
                  since: str | None, until: str | None):  # noqa: ANN202
    from dyad.store.extraction import EventFilter

    return EventFilter(actor=actor, pair=pair, type=event_type.upper() if event_type else None, status=status,
                       since=since, until=until)


def _print_event(record: dict) -> None:
    names = lambda side: ", ".join(p["name"] for p in record[side]) or "—"  # noqa: E731
    date = record["date"]
    when = f"{date['value']} ({date['granularity']}, {date['basis']})" if date else "undated"
    place = f" @ {record['location']['name']}" if record["location"] else ""
    mode = f"/{record['mode']}" if record["mode"] else ""
    sources = f"  [{len(record['sources'])} source{'s' * (len(record['sources']) != 1)}]" if "sources" in record else ""
    click.echo(f"{when:<42} {record['type']}{mode:<12} {record['status']:<9} {names('actors')} → {names('recipients')}{place}{sources}")
    trigger = next(e for e in record["evidence"] if e["field"] == "trigger")
    click.echo(f"    “{record['evidence'][0]['quote'][:160]}”  [{record['article_id'][:12]} {trigger['start']}:{trigger['end']}]")


@main.command()
@click.option("--actor", help="Events with this actor on either side (id, name, alias or country code).")
@click.option("--pair", nargs=2, help="Events between two actors or countries (e.g. --pair KAZ AFG).")
@click.option("--type", "event_type", help="PLOVER event type (CONSULT, AGREE, AID...) or APPOINT.")
@click.option("--status", type=click.Choice(["occurred", "ongoing", "planned", "proposed", "denied", "hypothetical"]))
@click.option("--since", help="Events dated on or after this ISO date.")
@click.option("--until", help="Events dated on or before this ISO date.")
@click.option("--unclustered", is_flag=True, help="Every report on its own, as extracted, instead of one line per event.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (the export format).")
@click.pass_context
@_fail_cleanly
def events(ctx: click.Context, actor: str | None, pair: tuple[str, str] | None, event_type: str | None,
           status: str | None, since: str | None, until: str | None, unclustered: bool, as_json: bool) -> None:
    """Events by date, one per real-world event with the number of articles that report it:
    type, mode, status, actors → recipients, place, and the sentence that says so."""
    from dyad.store.extraction import event_records
    from dyad.store.resolution import event_cluster_records

    where = _event_filter(actor, pair or None, event_type, status, since, until)
    with open_store(settings=_settings(ctx), readonly=True) as store:
        records = event_records(store.db, where) if unclustered else event_cluster_records(store.db, where)
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            _print_event(record)
    if not as_json:
        console.print(f"{len(records)} events", highlight=False)


@main.command()
@click.argument("actors_", metavar="ACTOR [ACTOR]", nargs=-1, required=True)
@click.pass_context
@_fail_cleanly
def timeline(ctx: click.Context, actors_: tuple[str, ...]) -> None:
    """The events of one actor, or between two, in date order, one per real-world event (actors
    by id, name, alias or country code: 'dyad timeline KAZ AFG')."""
    from dyad.store.resolution import event_cluster_records

    if len(actors_) > 2:
        raise click.UsageError("give one actor, or two for a dyad")
    where = _event_filter(actors_[0] if len(actors_) == 1 else None, tuple(actors_) if len(actors_) == 2 else None,
                          None, None, None, None)
    with open_store(settings=_settings(ctx), readonly=True) as store:
        records = event_cluster_records(store.db, where)
    month = None
    for record in records:
        value = record["date"]["value"] if record["date"] else "undated"
        if value[:7] != month:
            month = value[:7]
            console.print(f"[bold]{month}[/]", highlight=False)
        _print_event(record)
    console.print(f"{len(records)} events", highlight=False)


@main.command()
@click.option("--undo", "undo_id", help="Undo the merge with this number (N for people, eN for events and projects); "
                                        "it will not be made again.")
@click.pass_context
@_fail_cleanly
def merges(ctx: click.Context, undo_id: str | None) -> None:
    """Cross-article merges: two spellings of one person, reports of one event (eN), names of
    one project (eN), each with the rule and what it compared."""
    with open_store(settings=_settings(ctx), readonly=undo_id is None) as store:
        if undo_id is not None:
            number = undo_id.removeprefix("e")
            if not number.isdigit():
                raise click.UsageError(f"--undo takes a merge number as 'dyad merges' lists it (12 or e12), not {undo_id!r}")
            (store.undo_resolution_merge if undo_id.startswith("e") else store.undo_merge)(int(number))
            console.print(f"merge {undo_id} undone", highlight=False)
            return
        rows, resolved = store.merges(), store.resolution_merges()
    for row in rows:
        state = f"undone {row['undone_at']}" if row["undone_at"] else "active"
        evidence = row["evidence"]
        click.echo(f"{row['id']:>4}  {row['from_id']} → {row['into_id']}  {row['rule']} score {row['score']}  [{state}]"
                   f"  names {evidence.get('names')}, shared {evidence.get('shared_titles')}")
    for row in resolved:
        state = f"undone {row['undone_at']}" if row["undone_at"] else "active"
        click.echo(f"{'e' + str(row['id']):>4}  {row['kind']} {row['from_id']} → {row['into_id']}  {row['rule']} score {row['score']:.3f}"
                   f"  [{state}]\n        “{_fit(row['from_text'] or '', 90).rstrip()}”\n      = “{_fit(row['into_text'] or '', 90).rstrip()}”")
    console.print(f"{len(rows) + len(resolved)} merges", highlight=False)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
@_fail_cleanly
def projects(ctx: click.Context, as_json: bool) -> None:
    """Named projects (railways, pipelines, corridors, programmes...) with their other names, the
    places they connect, the articles that mention them and their status over time."""
    from dyad.store.resolution import project_records

    with open_store(settings=_settings(ctx), readonly=True) as store:
        records = project_records(store.db)
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        aliases = f"  aka {', '.join(record['aliases'])}" if record["aliases"] else ""
        places = ", ".join(p["name"] for p in record["places"]) or "—"
        articles = len({m["article_id"] for m in record["mentioned_in"]})
        click.echo(f"{record['name']}  ({record['kind']}){aliases}\n    places: {places}; mentioned in {articles} articles,"
                   f" {len(record['events'])} events")
        for update in record["status_updates"]:
            click.echo(f"    {update['date'] or 'undated':<10} {update['status']:<12} “{update['quote']}”  [{update['article_id'][:12]}]")
    if not as_json:
        console.print(f"{len(records)} projects", highlight=False)


@main.command()
@click.option("--as-of", help="Judge due dates on this ISO date (default: the latest publication date in the store).")
@click.option("--state", type=click.Choice(["due", "met", "overdue", "open"]), help="Only commitments in this state.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
@_fail_cleanly
def commitments(ctx: click.Context, as_of: str | None, state: str | None, as_json: bool) -> None:
    """Planned and proposed events with their due date: met (a later report says it happened),
    overdue, due, or open (no date set), and the project they belong to."""
    from dyad.store.resolution import commitments as find_commitments

    with open_store(settings=_settings(ctx), readonly=True) as store:
        records = [r for r in find_commitments(store.db, as_of) if state is None or r["state"] == state]
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        due = f"due {record['due']['value']}" if record["due"] else "no due date"
        project = f"  project: {', '.join(p['name'] for p in record['projects'])}" if record["projects"] else ""
        met = f"  met by {', '.join(record['fulfilled_by'])}" if record["fulfilled_by"] else ""
        click.echo(f"{record['state']:<8} {due:<18} {record['type']:<8} {', '.join(p['name'] for p in record['actors']) or '—'}"
                   f" → {', '.join(p['name'] for p in record['recipients']) or '—'}{project}{met}")
        click.echo(f"    “{_fit(record['evidence'][0]['quote'], 150).rstrip()}”  [{record['article_id'][:12]}]")
    if not as_json:
        as_of_text = records[0]["as_of"] if records else as_of or "—"
        console.print(f"{len(records)} commitments as of {as_of_text}", highlight=False)


@main.command()
@click.option("--min-articles", type=click.IntRange(min=1), default=1, show_default=True, help="Only stories with at least this many articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
@_fail_cleanly
def stories(ctx: click.Context, min_articles: int, as_json: bool) -> None:
    """Articles grouped into stories (one developing situation: the same events, projects or
    people within a month), the largest first, with what links them."""
    from dyad.store.resolution import story_records

    with open_store(settings=_settings(ctx), readonly=True) as store:
        records = story_records(store.db, min_articles=min_articles)
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        period = " – ".join(dict.fromkeys(filter(None, (record["first_date"], record["last_date"])))) or "undated"
        click.echo(f"{record['id']}  {len(record['articles'])} articles  {period}  {record['title']}")
        for article in record["articles"]:
            click.echo(f"    {article['article_id'][:12]}  {article['date'] or '—':<10}  {article['outlet'] or '—':<18}"
                       f"  {article['title'] or Path(article['path']).name}")
        for link in record["links"]:
            click.echo(f"    linked by {link['by']}: {link['ref']}")
    if not as_json:
        console.print(f"{len(records)} stories", highlight=False)


@main.command("classify")
@click.argument("text")
@click.option("--threshold", type=click.FloatRange(0, 1), help="Model probability needed to change a rule event's type (default: [extract] model_threshold).")
@click.option("--json", "as_json", is_flag=True, help="One JSON list: per sentence, rules, model, combined, disagreements, fill.")
@_fail_cleanly
def classify(text: str, threshold: float | None, as_json: bool) -> None:
    """Debug view of event coding: per sentence of TEXT, the rule events, the learned model's
    prediction and the combined result, with their disagreements."""
    from dyad.extract.classifier import available, debug_text

    rows = debug_text(text, threshold)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not available():
        console.print("[yellow]event model unavailable: rules only[/]", highlight=False)
    for row in rows:
        console.print(f"[bold]{escape(row['sentence'])}[/]", highlight=False)
        rules = ", ".join(f"{e['type']} {e['confidence']:.2f} '{escape(e['trigger'])}'" for e in row["rules"]) or "none"
        console.print(f"  rules:    {rules}", highlight=False)
        model = row["model"]
        if model is not None:
            ranked = ", ".join(f"{label} {p:.2f}" for label, p in model["ranked"])
            mode = f" mode {model['mode']} {model['mode_probability']:.2f}" if model.get("mode") else ""
            console.print(f"  model:    {model['type']} {model['probability']:.2f}{mode}  ({escape(ranked)})", highlight=False)
        combined = ", ".join(f"{e['type']}{' ' + e['mode'] if e.get('mode') else ''} {e['confidence']:.2f}"
                             for e in row["combined"]) or "none"
        console.print(f"  combined: {combined}", highlight=False)
        for d in row["disagreements"]:
            console.print(f"  [yellow]disagree[/]: rule {d['rule_type']} {d['rule_confidence']:.2f} vs model "
                          f"{d['model_type']} {d['model_probability']:.2f}: {d['action']}", highlight=False)
        for e in row["fill"]:
            console.print(f"  fill:     {e['type']} {e['confidence']:.2f} '{escape(e['trigger'])}' "
                          f"{', '.join(e['actors']) or '-'} -> {', '.join(e['recipients']) or '-'} "
                          "(model-coded; added only with [extract] model_fill)", highlight=False)


@main.command()
@click.option("--host", help="Address to listen on (default: [serve] host, 127.0.0.1). Any other than loopback exposes the "
                             "store: then changes (reviews, undoing merges) need the bearer token.")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: [serve] port, 8765).")
@click.option("--token", envvar="DYAD_TOKEN", help="Bearer token that changes must carry (default: $DYAD_TOKEN; generated "
                                                   "and printed once when the host is exposed).")
@click.option("--no-browser-hint", is_flag=True, help="Do not print the address to open in a browser.")
@click.pass_context
@_fail_cleanly
def serve(ctx: click.Context, host: str | None, port: int | None, token: str | None, no_browser_hint: bool) -> None:
    """Serve the workbench (web UI at /) and its REST API (/api, OpenAPI spec at /api/openapi.json,
    docs at /docs) over the store, until Ctrl-C."""
    import uvicorn

    from dyad.web import create_app
    from dyad.web.security import LOOPBACK_NAMES, is_loopback, new_token

    settings = _settings(ctx)
    host, port = host or settings.serve_host, port or settings.serve_port
    exposed = not is_loopback(host)
    if exposed and not token:
        token = new_token()
        errors.print(f"token for changes (shown once): {token}", highlight=False)
    app = create_app(settings.db_path, settings, token, allowed_hosts=None if exposed else sorted(LOOPBACK_NAMES))
    if not no_browser_hint:
        shown = f"[{host}]" if ":" in host else host
        errors.print(f"dyad workbench on http://{shown}:{port}/ reading {app.state.store_name} (API docs: /docs; Ctrl-C stops)",
                     highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--since", help="First day, month or year (YYYY[-MM[-DD]]).")
@click.option("--until", help="Last day, month or year (YYYY[-MM[-DD]]).")
@click.option("--as-of", help="Judge commitments on this date (default: the latest publication date in the store).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (default: standard output).")
@click.pass_context
@_fail_cleanly
def brief(ctx: click.Context, a: str, b: str, since: str | None, until: str | None, as_of: str | None, output: Path | None) -> None:
    """A brief on the relationship of A and B as Markdown: key events by date, each with citations
    (outlet, date, quote, article id), their commitments (overdue, due, open, met) and the people
    who carried it, with their roles. A and B are ISO3 codes (KAZ), actor ids or names."""
    from dyad.brief import brief_data, render_markdown

    with open_store(settings=_settings(ctx), readonly=True) as store:
        text = render_markdown(brief_data(store.db, a, b, since=since, until=until, as_of=as_of))
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    errors.print(f"brief written to {output}", highlight=False)
