"""Clean: turn a ``Document`` into body paragraphs and metadata, with the boilerplate kept aside."""

from dyad.clean.assemble import assemble_article, clean_document

__all__ = ["assemble_article", "clean_document"]
