"""Errors with one-line messages that name the file (and line) they are about."""
from __future__ import annotations

from pathlib import Path


def _rebuilt(cls, args: tuple, state: dict) -> "PaperhouseError":
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class PaperhouseError(Exception):
    """Base class: str(err) is the one line a person reads."""

    def __reduce__(self):
        # Pickled whole (message and attributes), so an error raised in the gate worker process is
        # raised again in the run as it was; the default would call __init__ with the message alone.
        return (_rebuilt, (type(self), self.args, self.__dict__))


class FeedError(PaperhouseError):
    """A feed file that cannot be accepted. Carries the file, the line (if any) and the reason."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None):
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class SnapshotNotReady(PaperhouseError):
    """The source has no snapshot for the requested day yet (try again later)."""


class SourceUnavailable(PaperhouseError):
    """The source did not answer (server errors, timeouts, refused connections) even after retries."""


class GateFailed(PaperhouseError):
    """A quality gate stopped the run. str() names the expectation, the row count and an example."""

    def __init__(self, message: str, report_path: Path | None = None, warnings: list[str] = ()):
        self.report_path = report_path
        self.warnings = list(warnings)  # days of the same run that passed with a warning
        super().__init__(message)


class BuildFailed(PaperhouseError):
    """dbt did not build the staging warehouse. `failed_nodes` names the tests or models that
    failed on the data (empty when dbt itself could not run)."""

    def __init__(self, message: str, failed_nodes: list[str] | None = None):
        self.failed_nodes = list(failed_nodes or [])
        super().__init__(message)
