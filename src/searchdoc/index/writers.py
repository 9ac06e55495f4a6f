"""Reading the changed files into the store: here, or (when there is enough to read) in
forked writer processes, each a consecutive run of the files (cut by bytes), each writing
segments of its own. A writer sends back typed messages: what reading each file came to,
the names each document states, its segments, or the error that stopped it.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from searchdoc import store
from searchdoc.errors import SkipFile, Unreadable

if TYPE_CHECKING:
    from searchdoc.entities.extract import SourceNames
    from searchdoc.ingest import Documents

# Files to read adding up to at least this many bytes are read and written by forked
# writer processes, one per CPU (up to MAX_WRITERS), each a consecutive run of them; on
# one CPU, by one forked process from BIG_BYTES (its memory is gone before the entities
# are made).
PARALLEL_MIN_BYTES = 256 * 1024
BIG_BYTES = 8 * 1024 * 1024
MAX_WRITERS = 4
NAMES_BATCH = 2000  # the names of a list's records are sent back this many at a time

Progress = Callable[[str, int, int], None]


@dataclass
class Item:
    """A file to read (or, `documents` set, a run of the records of a list read before
    the writers start), `index`: its place among the files to read."""

    index: int
    key: str
    display: str
    old_hash: str | None
    weight: int  # bytes: what the writers share out
    documents: Documents | None = None


@dataclass
class FileResult:
    """What reading a file came to: "new" (its manifest entry), "same" (its content hash:
    touched, not changed) or "skip" (the reason, and whether it is only unreadable now);
    the lines to report about it; the names its documents state."""

    kind: Literal["new", "same", "skip"]
    value: Any
    lines: list[str] = field(default_factory=list)
    unreadable: bool = False

@dataclass(frozen=True)
class FileRead:
    """A writer's message: what reading the file at `index` (among the files to read) came to."""

    index: int
    result: FileResult


@dataclass(frozen=True)
class NamesStated:
    """A writer's message: the names the documents of a source state (in batches)."""

    source: str
    names: list[SourceNames]


@dataclass(frozen=True)
class SegmentsWritten:
    """A writer's last message: the segments it wrote."""

    segments: list[Any]


@dataclass(frozen=True)
class WriterFailed:
    """A writer's last message when it failed: the error, as an OSError's arguments."""

    errno: int
    message: str


Message = FileRead | NamesStated | SegmentsWritten | WriterFailed


def manifest_entry(got: Any) -> dict[str, Any]:
    """The manifest entry of a file read (source and time added by the caller)."""
    return {"hash": got.digest, "size": got.size, "mtime_ns": got.mtime_ns,
            "inode": got.inode, "title": got.title, "passages": got.passages}



def read_lists(todo: list[Item], results: dict[int, FileResult]) -> list[Item]:
    """The items the writers share: each file to read, except that a large list is read
    here first (hashed, checked and counted, one record at a time): its records can then
    be shared out among the writers, and its result is known."""
    from searchdoc.ingest import Unchanged, is_large_list, read_file

    items: list[Item] = []
    for item in todo:
        if not is_large_list(Path(item.key), item.display):
            items.append(item)
            continue
        lines: list[str] = []
        try:
            got = read_file(Path(item.key), item.display, warn_into(lines, item.display),
                            item.old_hash)
        except SkipFile as e:
            results[item.index] = FileResult("skip", str(e), lines, isinstance(e, Unreadable))
            continue
        if isinstance(got, Unchanged):
            results[item.index] = FileResult("same", got.digest, lines)
            continue
        results[item.index] = FileResult("new", manifest_entry(got), lines)
        items.append(replace(item, documents=got.documents))
    return items


def warn_into(lines: list[str], display: str) -> Callable[[str], None]:
    """A warn function adding lines about a file (preceded by its name) to `lines`."""
    return lambda line: lines.append(f"{display}: {line}")


def writer_count(items: list[Item]) -> int:
    """How many processes read and write the files: one per CPU (up to MAX_WRITERS) when
    they add up to PARALLEL_MIN_BYTES, one on one CPU from BIG_BYTES (its memory is gone
    before the entities are made), where the system can fork; 0 otherwise (this process
    does)."""
    import multiprocessing

    size = sum(i.weight for i in items)
    if size < PARALLEL_MIN_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cpus = min(cpu_count(), MAX_WRITERS)
    if cpus < 2 and size < BIG_BYTES:
        return 0
    pieces = sum(len(i.documents) if i.documents is not None else 1 for i in items)
    return max(1, min(cpus, pieces))


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _split(items: list[Item], parts: int) -> list[list[Item]]:
    """Consecutive runs of the items with about as many bytes each (a list with more
    than its share is cut into runs of its records)."""
    from searchdoc.ingest import passage_count, split_documents

    total = sum(i.weight for i in items)
    pieces: list[Item] = []
    for item in items:
        docs = item.documents
        if docs is None or item.weight <= total / parts or len(docs) < 2:
            pieces.append(item)
            continue
        passages = max(passage_count(docs), 1)
        for run in split_documents(docs, math.ceil(item.weight * parts / total)):
            pieces.append(replace(item, documents=run,
                                  weight=item.weight * passage_count(run) // passages))
    chunks: list[list[Item]] = [[]]
    written = 0
    for piece in pieces:
        if chunks[-1] and written >= total * len(chunks) / parts and len(chunks) < parts:
            chunks.append([])
        chunks[-1].append(piece)
        written += piece.weight
    return [c for c in chunks if c]


def write_items(items: list[Item], builder: store.SegmentBuilder,
                send: Callable[[Message], None],
                done: Callable[[int], None] | None) -> None:
    """Read, parse and add each item's passages to the builder, one file at a time;
    `send` gets a FileRead per file read here and NamesStated with the names its
    documents state; `done(n)` after each item."""
    from searchdoc.ingest import Unchanged, read_file

    for n, item in enumerate(items, 1):
        if item.documents is not None:  # records of a list read before
            _add_documents(builder, item.documents, send)
        else:
            lines: list[str] = []
            try:
                got = read_file(Path(item.key), item.display, warn_into(lines, item.display),
                                item.old_hash)
            except SkipFile as e:
                send(FileRead(item.index, FileResult("skip", str(e), lines,
                                                     isinstance(e, Unreadable))))
            else:
                if isinstance(got, Unchanged):
                    send(FileRead(item.index, FileResult("same", got.digest, lines)))
                else:
                    _add_documents(builder, got.documents, send)
                    send(FileRead(item.index, FileResult("new", manifest_entry(got), lines)))
                del got  # (its documents are gone before the next file is read)
        if done is not None:
            done(n)


def _add_documents(builder: store.SegmentBuilder, documents: Documents,
                   send: Callable[[Message], None]) -> None:
    """Add the passages of the documents, each with the names its document states; send
    those names (one document at a time: a list is never held)."""
    from searchdoc.entities.extract import SourceNames

    batch: list[SourceNames] = []
    source = ""  # (no document's: a file's name is never empty)
    for doc in documents:
        if doc.source != source or len(batch) >= NAMES_BATCH:
            if batch:
                send(NamesStated(source, batch))
            batch, source = [], doc.source
        said = SourceNames.of(doc)
        batch.append(said)
        names = list(dict.fromkeys(s.name for s in said.names))
        for p in doc.passages:
            builder.add(p, names)
    if batch:
        send(NamesStated(source, batch))


def collect(message: Message, results: dict[int, FileResult],
            fresh: dict[str, list[SourceNames]]) -> None:
    """Keep what a FileRead or NamesStated message says."""
    if isinstance(message, FileRead):
        results[message.index] = message.result
    elif isinstance(message, NamesStated):
        fresh.setdefault(message.source, []).extend(message.names)


def write_in_parallel(writer: store.Writer, items: list[Item], workers: int,
                      results: dict[int, FileResult], flush: Callable[[], None],
                       progress: Progress | None, total: int,
                       ) -> tuple[list[Any], list[dict[str, list[SourceNames]]]]:
    """Read and write the items in `workers` forked processes, each a consecutive run of
    them as segments of its own; the segments, in order (document numbers, and so the
    order of equal scores, are those of a build by one process), and the names stated
    in each process's documents.

    The processes ignore Ctrl-C (this process handles it, and kills them); a process
    that fails makes the build fail with its error (OSError: the caller keeps the old
    index)."""
    import multiprocessing
    import signal
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    chunks = _split(items, workers)
    done = ctx.Array("l", len(chunks), lock=False)  # items read and written, per process
    memory = max(store.WRITER_MB // len(chunks), 32)
    procs: list[tuple[Any, Any]] = []
    parent = os.getpid()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:  # forked with Ctrl-C blocked: a process ignores it before it can arrive
        for i, chunk in enumerate(chunks):
            recv, send = ctx.Pipe(duplex=False)
            # (the pipes of the processes forked before: this one closes its copies)
            inherited = [r for _p, r in procs] + [recv]
            proc = ctx.Process(target=_writer_process,
                               args=(writer.builder(memory), chunk, i, done, send, parent,
                                     inherited),
                               daemon=True)
            proc.start()
            send.close()
            procs.append((proc, recv))
    except BaseException:
        _stop(procs)
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    segments: list[Any] = [None] * len(procs)
    names: list[dict[str, list[SourceNames]]] = [{} for _ in procs]
    pending = {recv: (k, proc) for k, (proc, recv) in enumerate(procs)}
    files = sum(len(c) for c in chunks)
    try:
        while pending:  # a process that fails ends the build at once
            for ready in wait(list(pending), timeout=0.2):
                conn: Any = ready  # (one of the pipes given)
                k, proc = pending[conn]
                while conn in pending and conn.poll():
                    try:
                        message = conn.recv()
                    except EOFError:  # killed (out of memory?) before it could say why
                        proc.join()
                        message = WriterFailed(0, f"a writer process ended (exit {proc.exitcode})")
                    if isinstance(message, WriterFailed):
                        raise OSError(message.errno, message.message)
                    if isinstance(message, SegmentsWritten):
                        segments[k] = message.segments
                        del pending[conn]
                    else:
                        collect(message, results, names[k])
            flush()
            if progress is not None:
                progress("indexing", min(sum(done), files, total), total)
        for proc, _recv in procs:
            proc.join()
    except BaseException:
        _stop(procs)
        raise
    if progress is not None:
        progress("indexing", total, total)
    return [segment for written in segments for segment in written], names


def _writer_process(builder: store.SegmentBuilder, chunk: list[Item], i: int, done: Any,
                    send: Any, parent: int, inherited: list[Any]) -> None:
    """In a writer process: read and write the chunk's items, sending each result and
    the names of each document as it goes, then its segments (or WriterFailed).

    It dies with the process that forked it: the kernel kills it when its parent ends
    (Linux), and everywhere its pipe to the parent is its own (the other processes'
    copies closed), so a write to a parent that is gone fails. It holds no copy of the
    writer's lock."""
    import signal

    from searchdoc.index.generations import close_inherited_locks

    _die_with_parent(parent)
    close_inherited_locks()
    for conn in inherited:
        conn.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        write_items(chunk, builder, send.send, lambda n: done.__setitem__(i, n))
        send.send(SegmentsWritten(builder.finish()))
    except OSError as e:
        send.send(WriterFailed(e.errno or 0, e.strerror or str(e)))
    except BaseException as e:  # noqa: BLE001 - reported to the parent as one line
        send.send(WriterFailed(0, f"{type(e).__name__}: {e}"))
    finally:
        send.close()


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent ends (Linux's
    PR_SET_PDEATHSIG); and end now if the parent is already gone."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _stop(procs: list[tuple[Any, Any]]) -> None:
    for proc, _recv in procs:
        if proc.is_alive():
            proc.kill()
        proc.join()
