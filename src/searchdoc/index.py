"""The index: generations, the manifest, locking and atomic replacement, and the update
that streams changed files from their readers into the store.

Layout of an index folder::

    index/
      CURRENT          name of the live generation, replaced atomically (os.replace)
      .lock            held (flock) by the one `searchdoc index` writing
      gen-000007/      the store's files + manifest.json (+ entities.json, entities.hsh)

An update never writes into the live generation: it hard-links the live generation's
store files (immutable once written) into a new folder, applies the changes there,
commits, writes the manifest, and only then points CURRENT at it. A run that is
interrupted or killed leaves CURRENT, and so the previous index, untouched; its half-built
folder is removed by the next run. Readers hold a shared lock on the generation they
read, and old generations are removed only when nobody reads them.

An update plans by one stat per file (size, modification time and inode against the
manifest): only files that differ are read. They are read, parsed and written in one
pass, one file at a time, by this process or (when there is enough to read) by forked
writer processes, each taking a consecutive run of the files (cut by bytes): no stage
holds more than the file being written. The writers send back only the manifest entries,
the lines to report and the names each document states; the store is written through
:mod:`searchdoc.store`, the only module that speaks whoosh.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchdoc import store
from searchdoc.errors import (
    IndexDamaged,
    IndexIncompatible,
    IndexLocked,
    IndexMissing,
    IndexWriteFailed,
    NothingIndexed,
    SkipFile,
    Unreadable,
)
from searchdoc.normalize import NORMALIZER_VERSION

if TYPE_CHECKING:
    from searchdoc.aliases import EntityIndex, SourceNames
    from searchdoc.ingest import Documents
    from searchdoc.models import Passage
    from searchdoc.results import Update
    from searchdoc.sources import SourceFile

# 4: the store's own field classes (searchdoc.store); the manifest compares files by size,
# mtime_ns and inode
SCHEMA_VERSION = 4
INDEX_FORMAT = f"{SCHEMA_VERSION}.{NORMALIZER_VERSION}"
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
_READ_LOCK = ".readers"
ENTITY_FILES = ("entities.json", "entities.hsh")
# Files to read adding up to at least this many bytes are read and written by forked
# writer processes, one per CPU (up to MAX_WRITERS), each a consecutive run of them; on
# one CPU, by one forked process from BIG_BYTES (its memory is gone before the entities
# are made).
PARALLEL_MIN_BYTES = 256 * 1024
BIG_BYTES = 8 * 1024 * 1024
MAX_WRITERS = 4
NAMES_BATCH = 2000  # the names of a list's records are sent back this many at a time


# ---------------------------------------------------------------------------------------
# Reading


@dataclass
class IndexHandle:
    """An open generation of the index, with a shared lock held while it is read."""

    root: Path
    gen: Path
    _manifest: dict[str, Any] | None = None  # read when first asked for
    _reader: store.Reader | None = None
    _lock_fd: int | None = None
    _entities: EntityIndex | None = None

    @property
    def manifest(self) -> dict[str, Any]:
        if self._manifest is None:
            self._manifest = _read_manifest(self.gen)
        return self._manifest

    @property
    def reader(self) -> store.Reader:
        """The store of this generation, opened when first asked for."""
        if self._reader is None:
            self._reader = _open_store(self.gen, self.root)
        return self._reader

    def entity_index(self) -> EntityIndex:
        """The alias entities stored with this generation (loaded once)."""
        if self._entities is None:
            from searchdoc.aliases import EntityIndex

            self._entities = EntityIndex.load(self.gen)
        return self._entities

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> IndexHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_store(gen: Path, root: Path) -> store.Reader:
    """The store of a generation, its segments opened; IndexDamaged if unreadable."""
    try:
        return store.Reader(gen)
    except store.StoreError as e:
        raise IndexDamaged(
            f"the index at {root} is damaged ({e}); "
            f"run `searchdoc index --rebuild --index {root}`"
        ) from None


def _current_gen(root: Path) -> Path | None:
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise IndexMissing(f"cannot read the index at {root}: {e.strerror or e}") from None
    gen = root / name
    return gen if name and gen.is_dir() else None


def _read_manifest(gen: Path) -> dict[str, Any]:
    try:
        with open(gen / MANIFEST, encoding="utf-8") as fh:
            found = json.load(fh)
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def _manifest_format(gen: Path) -> str | None:
    """The format of a generation's manifest, read from its first line where it is
    written first (a query need not parse the list of every source); else the whole."""
    try:
        with open(gen / MANIFEST, encoding="utf-8") as fh:
            head = fh.read(200)
    except (OSError, ValueError):
        return None
    m = _FORMAT_HEAD.match(head)
    if m:
        return m.group(1)
    found = _read_manifest(gen).get("format")
    return found if isinstance(found, str) else None


_FORMAT_HEAD = re.compile(r'\{\s*"format":\s*"([^"\\]*)"')


def exists(root: Path) -> bool:
    return _current_gen(root) is not None


def open_index(root: Path) -> IndexHandle:
    """The live generation of the index at `root`, for reading."""
    for _attempt in range(5):
        gen = _current_gen(root)
        if gen is None:
            raise IndexMissing(
                f"no index at {root}; run `searchdoc index [PATH ...]` to build it"
            )
        try:
            fd = os.open(gen / _READ_LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            continue  # replaced and removed between reading CURRENT and opening: retry
        except OSError:
            fd = None  # a read-only index: read it without the lock
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if not (gen / MANIFEST).exists():  # removed while we waited: read the new one
                os.close(fd)
                continue
        found = _manifest_format(gen)
        if found != INDEX_FORMAT:
            if fd is not None:
                os.close(fd)
            raise IndexIncompatible(
                f"the index at {root} was built by another version of searchdoc "
                f"(format {found or 'unknown'}, this one reads {INDEX_FORMAT}); "
                f"run `searchdoc index --rebuild --index {root}`"
            )
        return IndexHandle(root, gen, _lock_fd=fd)
    raise IndexMissing(f"the index at {root} keeps changing; try again")


# ---------------------------------------------------------------------------------------
# Writing


Report = Callable[[str], None]
# progress(stage, done, total): stage "indexing": files read and written to the new
# generation, of those that changed.
Progress = Callable[[str, int, int], None]


@dataclass
class _Counts:
    """What an update did, as it goes (the result is a results.Update)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    passages: int = 0
    rebuilt: bool = False


@dataclass
class _Item:
    """A file to read (or, `documents` set, a run of the records of a list read before
    the writers start), `index`: its place among the files to read."""

    index: int
    key: str
    display: str
    old_hash: str | None
    weight: int  # bytes: what the writers share out
    documents: Documents | None = None


@dataclass
class _Result:
    """What reading a file came to: "new" (its manifest entry), "same" (its content hash:
    touched, not changed) or "skip" (the reason, and whether it is only unreadable now);
    the lines to report about it; the names its documents state."""

    kind: str
    value: Any
    lines: list[str] = field(default_factory=list)
    unreadable: bool = False


@dataclass
class _Plan:
    keep: dict[str, dict[str, Any]] = field(default_factory=dict)
    todo: list[_Item] = field(default_factory=list)
    old: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # by key
    remove: list[str] = field(default_factory=list)  # source display names to delete
    restat: bool = False  # some entries' size, time or inode changed, not their content


class _WriteLock:
    def __init__(self, root: Path, wait: float) -> None:
        self.root = root
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> _WriteLock:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise IndexWriteFailed(
                f"cannot write the index at {self.root}: {e.strerror or e}"
            ) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    raise IndexLocked(
                        f"another `searchdoc index` is writing {self.root}; "
                        "wait for it to finish (or pass --wait SECONDS)"
                    ) from None
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)


def update(
    root: Path,
    paths: Sequence[str] | None = None,
    *,
    rebuild: bool = False,
    wait: float = 0.0,
    report: Report = lambda _msg: None,
    progress: Progress | None = None,
) -> Update:
    """Bring the index at `root` up to date with the files under `paths`.

    Without `paths`: the folders the index was built from, or ``seeds/`` for a new index.
    New files are added, changed ones (by size, time and inode, then content hash)
    re-indexed, deleted ones removed. `report` receives one line per file that cannot be
    indexed.
    """
    from searchdoc.results import Update

    counts = _Counts()
    with _WriteLock(root, wait):
        _remove_stale_generations(root)
        old_gen = _current_gen(root)
        manifest = _read_manifest(old_gen) if old_gen else {}
        if old_gen is not None and manifest.get("format") != INDEX_FORMAT:
            report(
                f"{root}: built by another version of searchdoc "
                f"(format {manifest.get('format', 'unknown')}); rebuilding it from its sources"
            )
            rebuild = True
        elif old_gen is not None and not rebuild:
            try:
                _open_store(old_gen, root).close()
            except IndexDamaged as e:
                report(f"{e}".split("; run ")[0] + "; rebuilding it from its sources")
                rebuild = True
        counts.rebuilt = rebuild
        old_roots = [r for r in manifest.get("roots") or [] if isinstance(r, str)]
        from searchdoc.api import DEFAULT_SOURCES

        roots = list(paths) if paths else (old_roots or [DEFAULT_SOURCES])
        old_sources: dict[str, dict[str, Any]] = {} if rebuild else dict(manifest.get("sources", {}))
        from searchdoc.sources import discover  # (not imported for a query)

        files, problems = discover(roots, exclude=[root])
        unchanged = f" (the index at {root} is unchanged)" if old_gen is not None else ""
        if not any(os.path.lexists(Path(r).expanduser()) for r in roots):
            # one line says it all: which paths, and that nothing was indexed
            missing = "; ".join(str(p) for p in problems)
            raise NothingIndexed(f"{missing}: nothing to index{unchanged}")
        for problem in problems:
            report(str(problem))
        counts.skipped += len(problems)  # every path reported is counted as skipped
        plan = _plan(files, old_sources, counts)
        nothing = NothingIndexed(
            "nothing to index: no readable text file under " + ", ".join(roots) + unchanged)
        if not (plan.todo or plan.remove or counts.unchanged):
            raise nothing
        if old_gen is not None and not rebuild and not (plan.todo or plan.remove or plan.restat):
            counts.passages = sum(s["passages"] for s in plan.keep.values())
            return Update(**vars(counts))
        # Roots are kept absolute, so that a run from another folder (cron) finds them.
        new_roots = _absolute(roots) + ([] if rebuild else _absolute(old_roots))
        new_manifest = {
            "format": INDEX_FORMAT,
            "roots": sorted({r for r in new_roots if os.path.lexists(r)}),
            "built": _now(),
            "sources": plan.keep,
        }
        try:
            _write_generation(root, old_gen if not rebuild else None, plan, new_manifest,
                              counts, report, progress, nothing)
        except OSError as e:  # disk full, no permission: the half-built generation is gone
            raise IndexWriteFailed(
                f"cannot write the index at {root} ({e.strerror or e}); "
                "the previous index is unchanged"
            ) from None
        counts.passages = sum(s["passages"] for s in plan.keep.values())
        return Update(**vars(counts))


def _absolute(roots: Sequence[str]) -> list[str]:
    return [os.path.abspath(os.path.expanduser(r)) for r in roots]


def _same_file(entry: dict[str, Any], sf: SourceFile) -> bool:
    """Whether a manifest entry says the file is as it was (size, time, inode)."""
    return (entry.get("size") == sf.size and entry.get("mtime_ns") == sf.mtime_ns
            and entry.get("inode") == sf.inode)


def _plan(files: list[SourceFile], old_sources: dict[str, dict[str, Any]],
          counts: _Counts) -> _Plan:
    """What to do, from one stat of each file (made when it was found): a file as the
    manifest has it is kept without being opened; the others are to be read."""
    plan = _Plan()
    seen: set[str] = set()
    # The name a passage is cited by is the path relative to the working directory, which
    # depends on where each run starts: two files must never share one (deleting one's
    # passages would delete the other's). A clash gets the absolute path.
    taken: dict[str, str] | None = None
    for sf in files:
        seen.add(sf.key)
        old = old_sources.get(sf.key)
        if old is not None and _same_file(old, sf):
            plan.keep[sf.key] = old
            counts.unchanged += 1
            continue
        if taken is None:  # only when some file is to be read
            taken = {e["source"]: k for k, e in old_sources.items() if os.path.exists(k)}
        display = sf.display if taken.get(sf.display, sf.key) == sf.key else sf.key
        taken[display] = sf.key
        plan.old[sf.key] = old
        plan.todo.append(_Item(len(plan.todo), sf.key, display,
                               old["hash"] if old else None, max(sf.size, 1)))
    for key, old in old_sources.items():
        if key in seen:
            continue
        if not os.path.exists(key):
            plan.remove.append(old["source"])
            counts.removed += 1
        else:
            plan.keep[key] = old  # outside the paths of this run: kept as it is
    return plan


def _write_generation(
    root: Path,
    base: Path | None,
    plan: _Plan,
    manifest: dict[str, Any],
    counts: _Counts,
    report: Report,
    progress: Progress | None,
    nothing: NothingIndexed,
) -> None:
    gen = root / f"gen-{_next_number(root):06d}"
    try:
        gen.mkdir()
        writer = store.Writer(gen, base, skip=(MANIFEST, *ENTITY_FILES))
        try:
            segments, fresh = _ingest(writer, plan, counts, report, progress)
            if not (counts.added or counts.updated or counts.unchanged or plan.remove):
                raise nothing
            for source in plan.remove:
                writer.delete_source(source)
            if segments or plan.remove or base is None:
                writer.commit(segments)
            else:  # only sizes or times changed: the store as it was
                writer.cancel()
        except BaseException:
            writer.cancel()
            raise
        from searchdoc.aliases import store_entities

        store_entities(gen, base, fresh, plan.remove)
        _write_json(gen / MANIFEST, manifest)
        _switch_current(root, gen)
    except BaseException:
        if not _is_live(root, gen):  # Ctrl-C just after the switch: the new one is live
            shutil.rmtree(gen, ignore_errors=True)
        raise
    _remove_stale_generations(root)


# ---------------------------------------------------------------------------------------
# Reading the changed files into the store


def _ingest(writer: store.Writer, plan: _Plan, counts: _Counts, report: Report,
            progress: Progress | None) -> tuple[list[Any], dict[str, list[SourceNames]]]:
    """Read, parse and write the files to read (here or in writer processes); apply what
    each came to to the plan and the counts, in the order of the files. Returns the new
    segments and the names each document read states (by source)."""
    results: dict[int, _Result] = {}
    total = len(plan.todo)
    items = _read_lists(plan.todo, results)
    workers = _writer_count(items)
    printed = _Printer(plan, results, report)
    if workers:
        segments, names = _write_in_parallel(writer, items, workers, results, printed,
                                             progress, total)
    else:
        builder = writer.builder()
        names = [{}]

        def collect(message: tuple[Any, ...]) -> None:
            _collect(message, results, names[0])
            printed.flush()

        offset = total - len(items)  # lists read before, or skipped
        done = (lambda n: progress("indexing", offset + n, total)) if progress else None
        try:
            _write_items(items, builder, collect, done)
            segments = builder.finish()
        except BaseException:
            builder.cancel()
            raise
    printed.flush()
    for item in plan.todo:
        _apply(item, results[item.index], plan, counts)
    fresh: dict[str, list[SourceNames]] = {}
    for part in names:  # in the order of the files (a list cut into runs: in order too)
        for source, said in part.items():
            fresh.setdefault(source, []).extend(said)
    return segments, fresh


class _Printer:
    """Prints the lines about each file in the order of the files, as soon as the
    results of every file before it are in."""

    def __init__(self, plan: _Plan, results: dict[int, _Result], report: Report) -> None:
        self.plan, self.results, self.report = plan, results, report
        self.next = 0

    def flush(self) -> None:
        todo = self.plan.todo
        while self.next < len(todo) and self.next in self.results:
            item, result = todo[self.next], self.results[self.next]
            for line in result.lines:
                self.report(line)
            if result.kind == "skip":
                kept = _kept(item, result, self.plan)
                self.report(f"{item.display}: {result.value}"
                            + ("; the version indexed before is kept" if kept else ""))
            self.next += 1


def _kept(item: _Item, result: _Result, plan: _Plan) -> bool:
    """Whether a file skipped keeps the version indexed before: it is there but cannot
    be read now (its content is unknown, not gone)."""
    return bool(plan.old.get(item.key)) and result.unreadable and os.path.exists(item.key)


def _apply(item: _Item, result: _Result, plan: _Plan, counts: _Counts) -> None:
    """Update the plan and counts with what reading one file came to."""
    old = plan.old.get(item.key)
    if result.kind == "skip":
        counts.skipped += 1
        if old and _kept(item, result, plan):
            plan.keep[item.key] = old  # content unknown, not gone
        elif old:
            plan.remove.append(old["source"])
            counts.removed += 1
    elif result.kind == "same":  # touched, not changed
        assert old is not None  # (a digest is returned only for a file indexed before)
        stamp = _stamp(item.key)
        plan.keep[item.key] = {**old, **stamp} if stamp else old
        plan.restat = plan.restat or stamp is not None
        counts.unchanged += 1
    else:
        if old:
            plan.remove.append(old["source"])
            counts.updated += 1
        else:
            counts.added += 1
        plan.keep[item.key] = {"source": item.display, **result.value, "indexed": _now()}


def _stamp(path: str) -> dict[str, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def _entry(got: Any) -> dict[str, Any]:
    """The manifest entry of a file read (source and time added by the caller)."""
    return {"hash": got.digest, "size": got.size, "mtime_ns": got.mtime_ns,
            "inode": got.inode, "title": got.title, "passages": got.passages}


def _read_lists(todo: list[_Item], results: dict[int, _Result]) -> list[_Item]:
    """The items the writers share: each file to read, except that a large list is read
    here first (hashed, checked and counted, one record at a time): its records can then
    be shared out among the writers, and its result is known."""
    from searchdoc.ingest import is_large_list, read_file

    items: list[_Item] = []
    for item in todo:
        if not is_large_list(Path(item.key), item.display):
            items.append(item)
            continue
        lines: list[str] = []
        try:
            got = read_file(Path(item.key), item.display, _lines(lines, item.display),
                            item.old_hash)
        except SkipFile as e:
            results[item.index] = _Result("skip", str(e), lines, isinstance(e, Unreadable))
            continue
        if isinstance(got, str):
            results[item.index] = _Result("same", got, lines)
            continue
        results[item.index] = _Result("new", _entry(got), lines)
        items.append(replace(item, documents=got.documents))
    return items


def _lines(lines: list[str], display: str) -> Callable[[str], None]:
    """A warn function adding lines about a file (preceded by its name) to `lines`."""
    return lambda line: lines.append(f"{display}: {line}")


def _writer_count(items: list[_Item]) -> int:
    """How many processes read and write the files: one per CPU (up to MAX_WRITERS) when
    they add up to PARALLEL_MIN_BYTES, one on one CPU from BIG_BYTES (its memory is gone
    before the entities are made), where the system can fork; 0 otherwise (this process
    does)."""
    import multiprocessing

    size = sum(i.weight for i in items)
    if size < PARALLEL_MIN_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cpus = min(_cpus(), MAX_WRITERS)
    if cpus < 2 and size < BIG_BYTES:
        return 0
    pieces = sum(len(i.documents) if i.documents is not None else 1 for i in items)
    return max(1, min(cpus, pieces))


def _cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _split(items: list[_Item], parts: int) -> list[list[_Item]]:
    """Consecutive runs of the items with about as many bytes each (a list with more
    than its share is cut into runs of its records)."""
    from searchdoc.ingest import passage_count, split_documents

    total = sum(i.weight for i in items)
    pieces: list[_Item] = []
    for item in items:
        docs = item.documents
        if docs is None or item.weight <= total / parts or len(docs) < 2:
            pieces.append(item)
            continue
        passages = max(passage_count(docs), 1)
        for run in split_documents(docs, math.ceil(item.weight * parts / total)):
            pieces.append(replace(item, documents=run,
                                  weight=item.weight * passage_count(run) // passages))
    chunks: list[list[_Item]] = [[]]
    written = 0
    for piece in pieces:
        if chunks[-1] and written >= total * len(chunks) / parts and len(chunks) < parts:
            chunks.append([])
        chunks[-1].append(piece)
        written += piece.weight
    return [c for c in chunks if c]


def _write_items(items: list[_Item], builder: store.SegmentBuilder,
                 send: Callable[[tuple[Any, ...]], None],
                 done: Callable[[int], None] | None) -> None:
    """Read, parse and add each item's passages to the builder, one file at a time;
    `send` gets ("file", index, _Result) per file read here, ("names", source, [...]) with
    the names its documents state; `done(n)` after each item."""
    from searchdoc.ingest import read_file

    for n, item in enumerate(items, 1):
        if item.documents is not None:  # records of a list read before
            _add_documents(builder, item.documents, send)
        else:
            lines: list[str] = []
            try:
                got = read_file(Path(item.key), item.display, _lines(lines, item.display),
                                item.old_hash)
            except SkipFile as e:
                send(("file", item.index, _Result("skip", str(e), lines,
                                                  isinstance(e, Unreadable))))
            else:
                if isinstance(got, str):
                    send(("file", item.index, _Result("same", got, lines)))
                else:
                    _add_documents(builder, got.documents, send)
                    send(("file", item.index, _Result("new", _entry(got), lines)))
                del got  # (its documents are gone before the next file is read)
        if done is not None:
            done(n)


def _add_documents(builder: store.SegmentBuilder, documents: Documents,
                   send: Callable[[tuple[Any, ...]], None]) -> None:
    """Add the passages of the documents, each with the names its document states; send
    those names (one document at a time: a list is never held)."""
    from searchdoc.aliases import SourceNames

    batch: list[SourceNames] = []
    source = None
    for doc in documents:
        if doc.source != source or len(batch) >= NAMES_BATCH:
            if batch:
                send(("names", source, batch))
            batch, source = [], doc.source
        said = SourceNames.of(doc)
        batch.append(said)
        names = list(dict.fromkeys(s.name for s in said.names))
        for p in doc.passages:
            builder.add(p, names)
    if batch:
        send(("names", source, batch))


def _collect(message: tuple[Any, ...], results: dict[int, _Result],
             fresh: dict[str, list[SourceNames]]) -> None:
    if message[0] == "file":
        results[message[1]] = message[2]
    elif message[0] == "names":
        fresh.setdefault(message[1], []).extend(message[2])


def _write_in_parallel(writer: store.Writer, items: list[_Item], workers: int,
                       results: dict[int, _Result], printed: _Printer,
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
    procs = []
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:  # forked with Ctrl-C blocked: a process ignores it before it can arrive
        for i, chunk in enumerate(chunks):
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_writer_process,
                               args=(writer.builder(memory), chunk, i, done, send),
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
                        message = ("error",
                                   (0, f"a writer process ended (exit {proc.exitcode})"))
                    if message[0] == "error":
                        raise OSError(*message[1])
                    if message[0] == "segments":
                        segments[k] = message[1]
                        del pending[conn]
                    else:
                        _collect(message, results, names[k])
            printed.flush()
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


def _writer_process(builder: store.SegmentBuilder, chunk: list[_Item], i: int, done: Any,
                    send: Any) -> None:
    """In a writer process: read and write the chunk's items, sending each result and
    the names of each document as it goes, then its segments (or ("error", (errno,
    message)))."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        _write_items(chunk, builder, send.send, lambda n: done.__setitem__(i, n))
        send.send(("segments", builder.finish()))
    except OSError as e:
        send.send(("error", (e.errno or 0, e.strerror or str(e))))
    except BaseException as e:  # noqa: BLE001 - reported to the parent as one line
        send.send(("error", (0, f"{type(e).__name__}: {e}")))
    finally:
        send.close()


def _stop(procs: list[tuple[Any, Any]]) -> None:
    for proc, _recv in procs:
        if proc.is_alive():
            proc.kill()
        proc.join()


# ---------------------------------------------------------------------------------------
# Generations


def _is_live(root: Path, gen: Path) -> bool:
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip() == gen.name
    except OSError:
        return False


def _switch_current(root: Path, gen: Path) -> None:
    tmp = root / f"{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, data: Any) -> None:
    """JSON written whole or not at all (the C encoder: no indentation)."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _generations(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("gen-*") if p.is_dir())


def _next_number(root: Path) -> int:
    numbers = [int(p.name[4:]) for p in _generations(root) if p.name[4:].isdigit()]
    return max(numbers, default=0) + 1


def _remove_stale_generations(root: Path) -> None:
    """Remove generations that are not live and that no reader holds (writer lock held)."""
    live = _current_gen(root)
    for gen in _generations(root):
        if gen == live:
            continue
        # Always through the readers' lock, even where nobody has read yet (a half-built
        # generation, or one that was live but never queried): a reader may be opening it
        # right now, and must either hold it first or find it gone.
        lock = gen / _READ_LOCK
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError:
            shutil.rmtree(gen, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # a reader still uses it
        shutil.rmtree(gen, ignore_errors=True)
        os.close(fd)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def sources(root: Path) -> list[dict[str, Any]]:
    """The indexed sources with whether each file has changed since it was indexed."""
    with open_index(root) as handle:
        out = []
        for key, entry in sorted(handle.manifest.get("sources", {}).items(),
                                 key=lambda kv: kv[1]["source"]):
            out.append({**entry, "path": key, "status": _status(key, entry)})
        return out


def _status(path: str, entry: dict[str, Any]) -> str:
    from searchdoc.ingest import file_digest
    from searchdoc.sources import SourceFile

    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    if _same_file(entry, SourceFile.of(path, "", st)):
        return "unchanged"
    try:
        # hashed in chunks: a list larger than the 20 MB of a text file is indexed too
        return "unchanged" if file_digest(Path(path)) == entry["hash"] else "changed"
    except SkipFile:
        return "unreadable"


def document_passages(handle: IndexHandle, source: str) -> list[Passage]:
    """Every passage of one source, in document order."""
    return handle.reader.passages_of(source)
