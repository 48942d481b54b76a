"""dyad: news about relations between states, turned into a sourced, queryable record.

The flow is ingest → clean → extract → resolve → store → serve; ``dyad.pipeline`` lists the
stages and ``dyad.records`` the record types they pass.
"""

from dyad.api import IngestReport, ingest, iter_articles, open_store
from dyad.errors import ConfigError, DyadError, NotFoundError, StoreError
from dyad.records import Article, Document, Evidence, MetaValue, Rejection, RemovedBlock
from dyad.settings import Settings, load_settings
from dyad.store import Store

__all__ = [
    "Article", "ConfigError", "Document", "DyadError", "Evidence", "IngestReport", "MetaValue",
    "NotFoundError", "Rejection", "RemovedBlock", "Settings", "Store", "StoreError", "ingest",
    "iter_articles", "load_settings", "open_store",
]
__version__ = "0.1.0"
