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


class IndexDamaged(IndexIncompatible):
    """The live generation cannot be read (files removed or truncated by hand, a bad disk)."""


class IndexLocked(SearchdocError):
    pass


class IndexWriteFailed(SearchdocError):
    """Writing a new generation failed (disk full, no permission): the previous index stands."""


class NothingIndexed(SearchdocError):
    pass


class PassageNotFound(SearchdocError):
    exit_code = EXIT_NOT_FOUND


class SkipFile(Exception):
    """A source file that cannot be indexed; the run goes on with the others."""


class Unreadable(SkipFile):
    """A source file that exists but cannot be read now (permission, I/O error): its content
    is unknown rather than gone, so the version indexed before, if any, is kept."""
