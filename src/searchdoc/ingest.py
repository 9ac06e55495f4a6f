"""From files to documents, without the index: read a file's bytes, choose its format,
run its reader, build its documents' passages.

:func:`read_file` is the one way a source file becomes documents, for every format; the
index (:mod:`searchdoc.index`) decides which files to read and stores what comes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from searchdoc.errors import SkipFile
from searchdoc.models import Document
from searchdoc.readers import Warn


@dataclass(frozen=True)
class ReadFile:
    """A source file read: its content hash, size and time as read, and its documents."""

    digest: str
    size: int
    mtime: float
    documents: tuple[Document, ...]

    @property
    def passages(self) -> int:
        return sum(len(d.passages) for d in self.documents)

    @property
    def title(self) -> str:
        return next((d.title for d in self.documents if d.title), "")


def documents_of(data: bytes, source: str, warn: Warn) -> Iterator[Document]:
    """The documents of a file's bytes (`source`: the name it is cited by), their passages
    numbered across the file. SkipFile when the file cannot be read at all."""
    from searchdoc.passages import build
    from searchdoc.readers import read

    ordinal = 0
    for raw in read(source, data, warn):
        try:
            doc = build(raw, ordinal)
        except RecursionError:
            raise SkipFile("too deeply nested to parse, skipped") from None
        ordinal += len(doc.passages)
        if doc.passages:
            yield doc


def read_file(path: Path, source: str, warn: Warn, known_digest: str | None = None
              ) -> ReadFile | str:
    """Read and parse one file. Returns its content hash alone (a str) when it equals
    `known_digest` (the file was touched, not changed): nothing to parse. SkipFile (or
    Unreadable) when it cannot be indexed."""
    from searchdoc.sources import content_hash, read_bytes

    try:
        st = path.stat()
    except OSError:
        from searchdoc.errors import Unreadable

        raise Unreadable("removed while it was being indexed, skipped") from None
    data = read_bytes(path)
    digest = content_hash(data)
    if digest == known_digest:
        return digest
    try:
        documents = tuple(documents_of(data, source, warn))
    except SkipFile:
        raise
    except Exception as e:  # noqa: BLE001 - a bug on one odd document must not stop the run
        raise SkipFile(f"could not be parsed ({type(e).__name__}: {e}), skipped") from None
    if not documents:
        raise SkipFile("no text to index, skipped")
    return ReadFile(digest, st.st_size, st.st_mtime, documents)
