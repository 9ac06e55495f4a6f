"""Errors a user can cause, each with a message they can act on, and the exit codes."""

from __future__ import annotations

# Exit codes, as grep: 0 something found, 1 nothing found, 2 error.
EXIT_FOUND = 0
EXIT_NOT_FOUND = 1
EXIT_ERROR = 2


class SearchdocError(Exception):
    """Base class: `str(error)` is the one line printed on stderr."""

    exit_code = EXIT_ERROR


class IndexMissing(SearchdocError):
    pass


class IndexIncompatible(SearchdocError):
    pass


class IndexLocked(SearchdocError):
    pass


class NothingIndexed(SearchdocError):
    pass


class PassageNotFound(SearchdocError):
    exit_code = EXIT_NOT_FOUND


class SkipFile(Exception):
    """A source file that cannot be indexed; the run goes on with the others."""
