"""The per-document flow on Ray Data: discover on the driver, read files in Ray tasks with dyad's
own readers, clean + extract batches in a pool of actors (models loaded once per actor), and
write each batch's records as Parquet partitions (``dyad.scale.parquet``).

The output folder, like the inputs, must be reachable at the same path from every node of the
cluster (a local folder on one machine, a shared file system on several)."""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from dyad.errors import ConfigError
from dyad.ingest import discover, read_path
from dyad.records import Article, Document, Rejection
from dyad.scale.parquet import TABLES, document_from_json, from_json, to_json, write_partition
from dyad.settings import Settings

PARQUET_INPUT = ".parquet"


@dataclass(slots=True)
class ScaleReport:
    run: int = 0  # when the run started (ns since the epoch): orders runs written into one folder
    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    partitions: int = 0

    def add(self, table: str, rows: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + rows


def read_file_rows(row: dict, settings: Settings) -> Iterator[dict]:
    """One input file as rows of documents and rejections, read by dyad's own readers (Parquet
    rows by the JSON Lines field rules). Runs in a Ray task."""
    path = Path(row["path"])
    items = _read_parquet(path, settings) if path.name.lower().endswith(PARQUET_INPUT) else \
        read_path(path, max_bytes=settings.max_bytes, encoding=settings.encoding)
    for item_seq, item in enumerate(items):
        yield {"file_seq": row["file_seq"], "item_seq": item_seq, "rejected": isinstance(item, Rejection), "record": to_json(item)}


def _read_parquet(path: Path, settings: Settings) -> Iterator[Document | Rejection]:
    """A Parquet file of articles, one per row, with the columns of a JSON Lines input."""
    import json

    import pyarrow.parquet as pq

    from dyad.ingest.readers import _jsonl_record  # the JSON Lines field rules, applied to a row

    source = str(path)
    try:
        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
            for values in batch.to_pylist():
                number += 1
                line = json.dumps(values, ensure_ascii=False, default=str).encode("utf-8")
                yield _jsonl_record(line, source, f"{source}:row {number}", "utf-8", settings.max_bytes)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is a rejection, whatever pyarrow raises
        yield Rejection(source, f"{source}:row {number + 1}", "E-UNREADABLE", f"{source}: unreadable Parquet after row {number}: {exc}")


class ProcessBatch:
    """A Ray actor: cleans and extracts one batch of documents and writes its partitions.
    Loading spaCy and the event model happens once, here, not once per batch."""

    def __init__(self, settings: Settings, out: str, run: int) -> None:
        from dyad.extract.nlp import load_nlp

        self.settings, self.out, self.run = settings, Path(out), run
        if settings.extract:
            load_nlp()

    def __call__(self, batch: pa.Table) -> dict:
        from dyad.batch import process_documents

        rows = batch.to_pylist()
        ordered = [(row["file_seq"], row["item_seq"], from_json(Rejection, row["record"])) for row in rows if row["rejected"]]
        documents = [row for row in rows if not row["rejected"]]
        # One call for the whole batch (spaCy parses it in one pass); each document gives its article
        # or rejection, and an article is followed by its extraction (or an E-EXTRACT-FAILED rejection).
        records = iter(process_documents([document_from_json(row["record"]) for row in documents], self.settings,
                                         extract=self.settings.extract))
        for row in documents:
            first = next(records)
            ordered.append((row["file_seq"], row["item_seq"], first))
            if self.settings.extract and isinstance(first, Article):
                ordered.append((row["file_seq"], row["item_seq"], next(records)))
        counts = write_partition(self.out, ordered, self.run)
        return {"table": list(counts), "rows": list(counts.values())}  # one summary row per table


def run(inputs: list[Path], out: Path, settings: Settings, *, address: str | None = None, workers: int = 2,
        cpus_per_worker: float = 1.0) -> ScaleReport:
    """Run the job on Ray: an existing cluster when ``address`` (or $RAY_ADDRESS) is given, else a
    local Ray started for this run (and stopped after it)."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("[P100] Ray is not installed; install dyad with the extra: pip install 'dyad[ray]'") from exc
    out.mkdir(parents=True, exist_ok=True)
    report = ScaleReport(run=time.time_ns())
    files: list[Path] = []
    found_rejections = []
    for found in discover(list(inputs), (*settings.extensions, PARQUET_INPUT)):
        if isinstance(found, Rejection):
            found_rejections.append((-1, len(found_rejections), found))
        else:
            files.append(found)
    report.files = len(files)
    if found_rejections:
        _count(report, write_partition(out, found_rejections, report.run))
    if not files:
        return report
    started_here = not ray.is_initialized()
    if started_here:
        connect(ray, address, workers, cpus_per_worker)
    try:
        summaries = _dataset(ray, files, out, settings, workers, cpus_per_worker, report.run).take_all()
    finally:
        if started_here:
            ray.shutdown()
    for summary in summaries:
        report.add(summary["table"], summary["rows"])
    report.partitions = len(summaries) // len(TABLES) + (1 if found_rejections else 0)
    return report


def connect(ray, address: str | None, workers: int, cpus_per_worker: float) -> None:  # noqa: ANN001
    """Join the cluster at ``address`` or $RAY_ADDRESS; without either, start Ray on this machine
    (127.0.0.1, no dashboard, quiet logs) with CPUs for the actors and one more for the readers,
    which would otherwise wait for a free CPU forever."""
    address = address or os.environ.get("RAY_ADDRESS")
    quiet = {"logging_level": logging.WARNING, "log_to_driver": False, "configure_logging": True}
    if address:
        ray.init(address=address, **quiet)
    else:
        ray.init(num_cpus=math.ceil(max(workers, 1) * cpus_per_worker) + 1, include_dashboard=False,
                 _node_ip_address="127.0.0.1", **quiet)


def _dataset(ray, files: list[Path], out: Path, settings: Settings, workers: int, cpus_per_worker: float, run: int):  # noqa: ANN001, ANN202
    ray.data.DataContext.get_current().print_on_execution_start = False
    # Progress bars on a terminal; elsewhere Ray Data logs progress at INFO, which this keeps out.
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    items = [{"path": str(path), "file_seq": seq} for seq, path in enumerate(files)]
    return (ray.data.from_items(items, override_num_blocks=min(len(items), 1000))
            .flat_map(read_file_rows, fn_kwargs={"settings": settings}, num_cpus=0.25)
            .map_batches(ProcessBatch, fn_constructor_kwargs={"settings": settings, "out": str(out), "run": run},
                         # batches of at most 32 documents, so that a small corpus is still spread over the actors
                         batch_size=max(1, min(settings.batch_size, 32)), compute=ray.data.ActorPoolStrategy(size=max(workers, 1)),
                         num_cpus=cpus_per_worker, batch_format="pyarrow"))


def _count(report: ScaleReport, counts: dict[str, int]) -> None:
    for table, rows in counts.items():
        report.add(table, rows)
