"""The family of known failures while loading and building. Each carries a Norwegian message
that names the file or table and the problem, fit to show a user as it is."""

__all__ = ["KommuneindeksError", "DataError", "FetchError", "ConfigError"]


class KommuneindeksError(Exception):
    """Base of every known failure; `str(err)` is a Norwegian message for the user."""


class DataError(KommuneindeksError):
    """An input file or response is malformed, incomplete or names unknown municipalities."""


class FetchError(KommuneindeksError):
    """Statistics Norway could not be reached or answered with an error."""


class ConfigError(KommuneindeksError):
    """A configuration file (weights, catalogue, vocabulary) is missing a key or has a bad value."""
