"""From files to documents, without the index: read a file's bytes, choose its format,
run its reader, build its documents' passages.

:func:`read_file` is the one way a source file becomes documents, for every format; the
index (:mod:`searchdoc.index.update`) decides which files to read and stores what comes back.

A list larger than LIST_STREAM_BYTES (CSV, JSON, JSON Lines, XML: a file of records) is never
held whole, nor are its documents: :class:`StreamedDocuments` reads the file again each
time its documents are walked (once here, to check and count them; once to index them;
once to extract their names), one record at a time.
"""

from __future__ import annotations

import importlib
import os
import sys
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO, Union

from searchdoc.errors import SkipFile, Unreadable
from searchdoc.models import Document
from searchdoc.readers import Warn

LIST_STREAM_BYTES = 8 * 1024 * 1024  # a larger list is streamed, its documents not kept
FILE_SECONDS = 30.0  # a file (not a streamed list) read for longer is skipped


class OverBudget(BaseException):
    """Reading one file took longer than its budget (a BaseException, as KeyboardInterrupt
    is: a reader's `except Exception` for one bad part of a file must not swallow it)."""


FILE_SECONDS_PER_MB = 10.0  # and this much more per megabyte of the file


def file_seconds(size: int = 0) -> float:
    """The time budget of reading one file of `size` bytes: SEARCHDOC_FILE_SECONDS (or
    FILE_SECONDS), and FILE_SECONDS_PER_MB more per megabyte (a book of 3,000 pages has
    time; a 100 KB PDF whose pages share one 4-million-glyph stream has 30 s)."""
    try:
        value = float(os.environ.get("SEARCHDOC_FILE_SECONDS", "") or FILE_SECONDS)
    except ValueError:
        value = FILE_SECONDS
    value = value if value > 0 else FILE_SECONDS
    return value + FILE_SECONDS_PER_MB * size / (1024 * 1024)


FILE_MB = 1024  # the memory a file's reading may take beyond what the process holds


def file_megabytes() -> int:
    """The memory budget of reading one file: SEARCHDOC_FILE_MB, else FILE_MB."""
    try:
        value = int(os.environ.get("SEARCHDOC_FILE_MB", "") or FILE_MB)
    except ValueError:
        return FILE_MB
    return value if value > 0 else FILE_MB


@contextmanager
def memory_budget(megabytes: int, data: bytes) -> Iterator[None]:
    """Let the code run inside take at most `megabytes` more address space (Linux's
    RLIMIT_AS, lowered for the read and restored after): a file that would take
    gigabytes ends in MemoryError, its own line, not the machine's memory. Not for a PDF,
    nor a message that may carry one: PDFium's allocator aborts the process when refused
    memory rather than failing one call, so those keep their own bounds (characters read,
    parts inflated, time)."""
    try:
        import resource
    except ImportError:
        yield
        return
    if (not sys.platform.startswith("linux") or data[:5] == b"%PDF-"
            or b"application/pdf" in data[:1 << 20] or b"%PDF-" in data[:1 << 20]):
        yield
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + megabytes * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            yield  # (a tighter limit is already set: it holds)
            return
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise OverBudget in the code run inside when it runs longer than `seconds` (by
    SIGALRM: where the system has it, in the main thread; elsewhere no budget). A file
    that would take minutes (a crafted PDF, a pathological input to a parser) costs its
    budget and one line, not the run."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread() or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield  # (a program that runs its own timer keeps it: no budget then)
        return

    def over(_signum: int, _frame: object) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, over)
    # (then again every half second: a raise that lands in a finalizer or a gc callback
    # is swallowed there, and the next one stops the reading)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
LIST_READERS = ("records", "xmllist")  # the readers of lists (each has a read_stream)
MAX_LIST_BYTES = 2 * 1024 * 1024 * 1024  # a list larger than this is skipped
_HEAD_BYTES = 4096


@dataclass(frozen=True)
class Unchanged:
    """A file read again whose content hash is the one indexed: touched, not changed."""

    digest: str


@dataclass(frozen=True)
class ReadFile:
    """A source file read: its content hash, size, time and inode as read, and its
    documents."""

    digest: str
    size: int
    mtime_ns: int
    inode: int
    documents: Documents

    @property
    def passages(self) -> int:
        return passage_count(self.documents)

    @property
    def title(self) -> str:
        if isinstance(self.documents, StreamedDocuments) or any(
                d.record is not None for d in self.documents[:1]):
            n = len(self.documents)
            return f"list of {n:,} record{'s' if n != 1 else ''}"
        return next((d.title for d in self.documents if d.title), "")


class StreamedDocuments:
    """The documents of a list, read from its file each time they are walked (records
    `start` to `stop` of it: a part of a list can be indexed by another process).

    :meth:`scan` reads the file once and counts each record's passages (4 bytes a
    record are kept); walking them again rebuilds the same documents with the same
    passage numbers. A file that changed since it was scanned stops the walk with an
    OSError (the index is not written from two versions of a file)."""

    def __init__(self, path: Path, source: str, start: int = 0, stop: int | None = None,
                 counts: array | None = None, stamp: tuple[int, int] | None = None) -> None:
        self.path = path
        self.source = source
        self.start = start
        self.counts = counts if counts is not None else array("I")
        self.stop = len(self.counts) if stop is None else stop
        self.stamp = stamp

    def scan(self, warn: Warn) -> None:
        """Read the whole list once: its warnings go to `warn`, SkipFile if it cannot be
        read; the passages of each record are counted."""
        self.stamp = _stamp(self.path)
        self.counts = array("I")
        for _raw, doc in self._walk(warn, build_all=True):
            self.counts.append(len(doc.passages) if doc is not None else 0)
        self.start, self.stop = 0, len(self.counts)

    def __iter__(self) -> Iterator[Document]:
        if _stamp(self.path) != self.stamp:
            raise OSError(0, f"{self.source} changed while it was being indexed; run "
                             "`searchdoc index` again")
        for _raw, doc in self._walk(lambda _w: None, build_all=False):
            if doc is not None and doc.passages:
                yield doc

    def _walk(self, warn: Warn, build_all: bool) -> Iterator[tuple[object, Document | None]]:
        from searchdoc.passages import build
        from searchdoc.readers import detect

        ordinal = 0
        with _open(self.path) as fh:
            head = fh.read(_HEAD_BYTES)
            fh.seek(0)
            # the list's reader (readers/records.py, readers/xmllist.py): its read_stream
            reader = importlib.import_module(f"searchdoc.readers.{detect(self.source, head).module}")
            for i, raw in enumerate(reader.read_stream(fh, self.source, warn)):
                if not build_all and i >= self.stop:
                    return
                if build_all or i >= self.start:
                    doc = build(raw, ordinal)
                    ordinal += len(doc.passages)
                    yield raw, doc
                else:
                    ordinal += self.counts[i]

    def __len__(self) -> int:
        return self.stop - self.start

    @property
    def passages(self) -> int:
        return sum(self.counts[self.start:self.stop])

    def part(self, start: int, stop: int) -> StreamedDocuments:
        """Records `start` to `stop` (counted from this part's first)."""
        return StreamedDocuments(self.path, self.source, self.start + start,
                                 self.start + stop, self.counts, self.stamp)

    def passage_counts(self) -> Sequence[int]:
        return self.counts[self.start:self.stop]


Documents = Union[tuple[Document, ...], StreamedDocuments]


def passage_count(documents: Documents) -> int:
    """The passages of a file's documents (without reading a streamed list again)."""
    if isinstance(documents, StreamedDocuments):
        return documents.passages
    return sum(len(d.passages) for d in documents)


def split_documents(documents: Documents, parts: int) -> list[Documents]:
    """The documents cut into at most `parts` runs of consecutive documents with about as
    many passages each (a list indexed by several processes)."""
    if isinstance(documents, StreamedDocuments):
        counts: Sequence[int] = documents.passage_counts()
    else:
        counts = [len(d.passages) for d in documents]
    total = sum(counts)
    bounds = [0]
    done = 0
    for i, n in enumerate(counts):
        if done >= total * len(bounds) / parts and len(bounds) < parts and i > bounds[-1]:
            bounds.append(i)
        done += n
    bounds.append(len(counts))
    if isinstance(documents, StreamedDocuments):
        return [documents.part(a, b) for a, b in pairwise(bounds) if b > a]
    return [documents[a:b] for a, b in pairwise(bounds) if b > a]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        raise Unreadable("removed while it was being indexed, skipped") from None
    return st.st_size, st.st_mtime_ns


def _open(path: Path) -> BinaryIO:
    """The file opened for reading, or SkipFile with the reason sources.read_bytes gives."""
    from searchdoc.sources import open_source

    return open_source(path)


def file_digest(path: Path) -> str:
    """sources.content_hash of a file's content, read in chunks."""
    import hashlib

    h = hashlib.sha256()
    with _open(path) as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()[:32]


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


def parse_document(text: str, source: str, fmt: str = "text") -> Document:
    """The first document of a decoded text in one of the text formats ("text",
    "markdown", "html"): a shortcut through the reader of that format and :func:`searchdoc.passages.build`."""
    from searchdoc.passages import build
    from searchdoc.readers import format_named, read
    from searchdoc.readers.base import RawDocument, lines_of

    reader = format_named(fmt)
    if not text.strip():
        return build(RawDocument(source, lines_of(text)))
    return build(next(read(source, text.encode("utf-8"), lambda _w: None, reader)))


def read_file(path: Path, source: str, warn: Warn, known_digest: str | None = None
              ) -> ReadFile | Unchanged:
    """Read and parse one file. Returns Unchanged (its content hash) when it equals
    `known_digest` (the file was touched, not changed): nothing to parse. SkipFile (or
    Unreadable) when it cannot be indexed."""
    from searchdoc.sources import content_hash, read_bytes

    try:
        st = path.stat()
    except OSError:
        raise Unreadable("removed while it was being indexed, skipped") from None
    if st.st_size > LIST_STREAM_BYTES and _is_list(path, source):
        return _read_list(path, source, warn, known_digest, st)
    data = read_bytes(path)
    digest = content_hash(data)
    if digest == known_digest:
        return Unchanged(digest)
    try:
        with time_budget(file_seconds(st.st_size)), memory_budget(file_megabytes(), data):
            documents = tuple(documents_of(data, source, warn))
    except SkipFile:
        raise
    except OverBudget:
        raise SkipFile(f"took more than {file_seconds(st.st_size):.0f} s to read (the budget "
                       "of a file: SEARCHDOC_FILE_SECONDS), skipped") from None
    except MemoryError:
        raise SkipFile(f"needed more than {file_megabytes():,} MB to read (the budget of a "
                       "file: SEARCHDOC_FILE_MB), skipped") from None
    except RecursionError:
        raise SkipFile("nested too deep to read, skipped") from None
    except Exception as e:  # noqa: BLE001 - a bug on one odd document must not stop the run
        why = " ".join(str(e).split())[:200]
        raise SkipFile(f"could not be parsed ({type(e).__name__}: {why}), skipped") from None
    if not documents:
        raise SkipFile("no text to index, skipped")
    return ReadFile(digest, st.st_size, st.st_mtime_ns, st.st_ino, documents)


def is_large_list(path: Path, source: str) -> bool:
    """Whether a file is a list read as a stream (larger than LIST_STREAM_BYTES): what
    :func:`read_file` reads one record at a time."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    try:
        return size > LIST_STREAM_BYTES and _is_list(path, source)
    except SkipFile:
        return False


def _is_list(path: Path, source: str) -> bool:
    """Whether a file is a list of records (by its name, or by its start)."""
    from searchdoc.readers import FORMATS, detect

    lists = {f.name for f in FORMATS if f.module in LIST_READERS}
    with _open(path) as fh:
        head = fh.read(_HEAD_BYTES)
    return detect(source, head).name in lists


def _read_list(path: Path, source: str, warn: Warn, known_digest: str | None,
               st: os.stat_result) -> ReadFile | Unchanged:
    """A large list, read as a stream: its documents are read again from the file when
    they are indexed (:class:`StreamedDocuments`)."""
    if st.st_size > MAX_LIST_BYTES:
        raise SkipFile(f"larger than {MAX_LIST_BYTES // 2**20:,} MB, skipped")
    digest = file_digest(path)
    if digest == known_digest:
        return Unchanged(digest)
    documents = StreamedDocuments(path, source)
    try:
        documents.scan(warn)
    except SkipFile:
        raise
    except OSError as e:
        raise Unreadable(f"cannot read ({(e.strerror or str(e)).lower()}), skipped") from None
    except Exception as e:  # noqa: BLE001 - a bug on one odd record must not stop the run
        raise SkipFile(f"could not be parsed ({type(e).__name__}: {e}), skipped") from None
    if not documents.passages:
        raise SkipFile("no text to index, skipped")
    return ReadFile(digest, st.st_size, st.st_mtime_ns, st.st_ino, documents)

