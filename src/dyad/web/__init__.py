"""The workbench: a REST API over the store and the web UI that uses it (``dyad serve``)."""

from dyad.web.app import create_app

__all__ = ["create_app"]
