"""dyad's named errors. A caller's mistake raises one of these at once, with a code and the fix;
a bad article is not an error but a ``Rejection`` record, and the batch goes on."""


class DyadError(Exception):
    """Base of dyad's errors; the CLI turns each into a one-line message and an exit code."""

    exit_code = 3


class ConfigError(DyadError):
    """A setting or a config file is wrong."""

    exit_code = 2


class StoreError(DyadError):
    """The store cannot be opened or written (locked, newer schema, not a dyad store)."""

    exit_code = 4


class NotFoundError(DyadError):
    """A requested article or record does not exist."""

    exit_code = 5


class ValidationError(DyadError):
    """A caller's input is invalid (an analyst's review naming an unknown type, a malformed date...)."""

    exit_code = 2
