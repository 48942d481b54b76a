"""Serve: what reads the store for people and other programs — the CLI, exports and SQL."""
