"""Errors a user can cause, each with a message they can act on, and the exit codes."""

from __future__ import annotations

# Exit codes, as grep: 0 something found, 1 nothing found, 2 error.
EXIT_FOUND = 0
EXIT_NOT_FOUND = 1
EXIT_ERROR = 2


class SearchdocError(Exception):
    """Base class of every error a user can cause: `str(error)` is the one line printed
    on stderr, saying what to do; `exit_code` the command's exit status."""

    exit_code = EXIT_ERROR


class InvalidArgument(SearchdocError, ValueError):
    """A value the library cannot take (a limit of 0, a negative context)."""


class IndexMissing(SearchdocError):
    """No index at the path (and no seeds folder to build it from)."""


class IndexIncompatible(SearchdocError):
    """The index was written by another version of searchdoc: rebuild it."""


class IndexDamaged(IndexIncompatible):
    """The live generation cannot be read (files removed or truncated by hand, a bad disk)."""


class IndexLocked(SearchdocError):
    """Another update of the same index is running."""


class IndexWriteFailed(SearchdocError):
    """Writing a new generation failed (disk full, no permission): the previous index stands."""


class NothingIndexed(SearchdocError):
    """An update found nothing it could index (the index is unchanged)."""


class PassageNotFound(SearchdocError):
    """No passage with that id (ids come from hits)."""

    exit_code = EXIT_NOT_FOUND


class SkipFile(Exception):
    """A source file that cannot be indexed; the run goes on with the others."""


class Unreadable(SkipFile):
    """A source file that exists but cannot be read now (permission, I/O error): its content
    is unknown rather than gone, so the version indexed before, if any, is kept."""


class ClusterUnavailable(SearchdocError):
    """The OpenSearch cluster cannot be reached, or refused a request: nothing of the
    embedded index is changed."""
