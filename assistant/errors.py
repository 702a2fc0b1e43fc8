"""Known failures on the question path. Each carries a polite Norwegian message;
`Assistant.ask` is the one place that turns them into an `Answer`."""

__all__ = [
    "AssistantError",
    "UnsafeSql",
    "QueryTimeout",
    "QueryTooLarge",
    "UnknownKommune",
    "AmbiguousKommune",
    "NotUnderstood",
    "NoDataForYear",
    "DatabaseError",
]


class AssistantError(Exception):
    """Base of every known failure; `str(err)` is the message for the user."""

    status = "refused"

    def __init__(self, message: str, suggestions: list[str] | None = None, surface: str = ""):
        super().__init__(message)
        self.suggestions = suggestions or []
        self.surface = surface  # the words of the question the error is about


class UnsafeSql(AssistantError):
    """The validator rejected an SQL statement."""


class QueryTimeout(AssistantError):
    """A query ran past its time limit and was interrupted (or its worker was killed)."""

    status = "error"


class QueryTooLarge(AssistantError):
    """A query outgrew its memory: DuckDB refused it, or its worker process died."""

    status = "error"


class UnknownKommune(AssistantError):
    """No municipality matches the name; suggestions hold the closest names."""


class AmbiguousKommune(AssistantError):
    """Several municipalities share the name (Herøy, Våler); suggestions hold the choices."""

    status = "clarify"


class NotUnderstood(AssistantError):
    """The question is outside what the assistant answers, or could not be read."""


class NoDataForYear(AssistantError):
    """The asked year has no data; the message names the years that do."""


class DatabaseError(AssistantError):
    """The database file is missing or unreadable, or DuckDB failed on a validated query."""

    status = "error"
