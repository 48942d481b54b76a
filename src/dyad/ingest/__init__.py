"""Ingest: find input files and read them into ``Document`` records (or ``Rejection`` records)."""

from dyad.ingest.discover import discover
from dyad.ingest.readers import read_path

__all__ = ["discover", "read_path"]
