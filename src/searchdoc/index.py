"""The index: whoosh schema, build and incremental update, the manifest, locking and
atomic replacement.

Layout of an index folder::

    index/
      CURRENT          name of the live generation, replaced atomically (os.replace)
      .lock            held (flock) by the one `searchdoc index` writing
      gen-000007/      whoosh files + manifest.json (+ entities.json) of one generation

An update never writes into the live generation: it hard-links the live generation's
whoosh files (immutable once written) into a new folder, applies the changes there,
commits, writes the manifest, and only then points CURRENT at it. A run that is
interrupted or killed leaves CURRENT, and so the previous index, untouched; its half-built
folder is removed by the next run. Readers hold a shared lock on the generation they
read, and old generations are removed only when nobody reads them.
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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchdoc.aliases import ENTITIES_FILE, EntityIndex, write_entities
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
from searchdoc.models import Passage
from searchdoc.normalize import NORMALIZER_VERSION

if TYPE_CHECKING:
    from searchdoc.ingest import Documents
    from searchdoc.sources import SourceFile

SCHEMA_VERSION = 3  # 3: headings in the text fields; the names field (title, stated names)
INDEX_FORMAT = f"{SCHEMA_VERSION}.{NORMALIZER_VERSION}"
DEFAULT_INDEX = "index"
DEFAULT_SOURCES = "seeds"
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
_READ_LOCK = ".readers"
# A new index of at least this many passages is written by several processes (up to
# MAX_WRITERS, one per CPU), each its own whoosh segment of consecutive sources.
PARALLEL_MIN_PASSAGES = 20_000
MAX_WRITERS = 4
WRITER_MB = 256  # whoosh's posting buffer, shared out among the writer processes
# A writer process starts a new segment after this many passages: its memory (whoosh's
# terms and per-document data) grows with its segment (a list of 600,000 records).
MAX_SEGMENT_PASSAGES = 150_000


def default_index_dir() -> Path:
    return Path(os.environ.get("SEARCHDOC_INDEX") or DEFAULT_INDEX)


def schema() -> Any:
    """The fields of a passage. ``body``, ``folded`` and ``variant`` hold the three forms
    of the passage's words and of its section heading (a heading is evidence for the
    passages under it); ``names`` holds every form of the document's title and of the names
    it states for its subject (a record's name and aliases, an ``Alias:`` field): evidence
    for every passage of the document, and what says the document is about a name."""
    from whoosh.fields import ID, STORED, TEXT, Schema

    from searchdoc.analysis import ALL, EXACT, FOLDED, KEYS, NAMES, UnitAnalyzer

    return Schema(
        id=ID(stored=True, unique=True),
        source=ID(stored=True, sortable=True),  # a column: the source of a docnum
        body=TEXT(analyzer=UnitAnalyzer(EXACT), phrase=False),
        folded=TEXT(analyzer=UnitAnalyzer(FOLDED), phrase=False),
        variant=TEXT(analyzer=UnitAnalyzer(KEYS), phrase=False),
        names=TEXT(analyzer=UnitAnalyzer(NAMES), phrase=False),
        cites=TEXT(analyzer=UnitAnalyzer(ALL), phrase=False),
        meta=STORED(),
    )


def passage_record(p: Passage, names: Sequence[str] = ()) -> dict[str, Any]:
    """The fields of a passage for whoosh; `names`: the names its document states."""
    cites = " ".join(f"{c.text} {c.url or ''}" for c in p.citations)
    searched = f"{p.text}\n{p.section}" if p.section else p.text
    stated = [n for n in names if n != p.title]
    return {
        "id": p.id,
        "source": p.source,
        "body": searched,
        "folded": searched,
        "variant": searched,
        "names": "\n".join([p.title, *stated]),
        "cites": cites,
        "meta": {
            "text": p.text,
            "ordinal": p.ordinal,
            "title": p.title,
            "section": p.section,
            "line_start": p.line_start,
            "line_end": p.line_end,
            "kind": p.kind,
            "citations": [[c.text, c.url] for c in p.citations],
            "fields": [[f.key, f.value, f.line] for f in p.fields],
            "page": p.page,
            "record": p.record,
            "names": stated,
        },
    }


def passage_from_stored(stored: dict[str, Any]) -> Passage:
    from searchdoc.models import Citation, Field

    m = stored["meta"]
    return Passage(
        source=stored["source"],
        ordinal=m["ordinal"],
        title=m["title"],
        section=m["section"],
        line_start=m["line_start"],
        line_end=m["line_end"],
        text=m["text"],
        citations=tuple(Citation(t, u) for t, u in m["citations"]),
        kind=m["kind"],
        fields=tuple(Field(k, v, line) for k, v, line in m["fields"]),
        page=m.get("page"),
        record=m.get("record"),
    )


def stated_names(stored: dict[str, Any]) -> list[str]:
    """The names the document of a stored passage states for its subject (besides its
    title)."""
    return list(stored["meta"].get("names", ()))


# ---------------------------------------------------------------------------------------
# Reading


@dataclass
class IndexHandle:
    """An open generation of the index, with a shared lock held while it is read."""

    root: Path
    gen: Path
    _manifest: dict[str, Any] | None = None  # read when first asked for
    _ix: Any = None
    _lock_fd: int | None = None
    _entities: EntityIndex | None = None

    @property
    def manifest(self) -> dict[str, Any]:
        if self._manifest is None:
            self._manifest = _read_manifest(self.gen)
        return self._manifest

    @property
    def ix(self) -> Any:
        if self._ix is None:
            self._ix = _open_whoosh(self.gen, self.root)
        return self._ix

    def entity_index(self) -> EntityIndex:
        """The alias entities stored with this generation (loaded once)."""
        if self._entities is None:
            self._entities = EntityIndex.load(self.gen)
        return self._entities

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()
            self._ix = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> IndexHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_whoosh(gen: Path, root: Path) -> Any:
    """The whoosh index of a generation, its segments checked; IndexDamaged if unreadable."""
    from whoosh.index import open_dir

    try:
        ix = open_dir(str(gen))
        ix.reader().close()  # opens every segment file: fails now rather than mid-query
        return ix
    except Exception as e:  # noqa: BLE001 - whoosh raises many kinds for missing or truncated files
        raise IndexDamaged(
            f"the index at {root} is damaged ({type(e).__name__}: {e}); "
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
        return json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
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


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    passages: int = 0
    rebuilt: bool = False

    def line(self) -> str:
        return (
            f"indexed: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped} skipped ({self.passages} passages)"
        )


Report = Callable[[str], None]
# progress(stage, done, total): stage "reading" (files read and parsed) then "indexing"
# (parsed files written to the new generation).
Progress = Callable[[str, int, int], None]


@dataclass
class _Planned:
    source: SourceFile
    digest: str
    documents: Documents  # a tuple, or a list read again from its file when walked
    size: int
    mtime: float

    @property
    def passages(self) -> int:
        from searchdoc.ingest import passage_count

        return passage_count(self.documents)  # a streamed list is not read again


@dataclass
class _Plan:
    keep: dict[str, dict[str, Any]] = field(default_factory=dict)
    parse: list[_Planned] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)  # source display names to delete
    updated: set[str] = field(default_factory=set)


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
) -> Summary:
    """Bring the index at `root` up to date with the files under `paths`.

    Without `paths`: the folders the index was built from, or ``seeds/`` for a new index.
    New files are added, changed ones (by content hash) re-indexed, deleted ones removed.
    `report` receives one line per file that cannot be indexed.
    """
    with _WriteLock(root, wait):
        _remove_stale_generations(root)
        old_gen = _current_gen(root)
        manifest = _read_manifest(old_gen) if old_gen else {}
        summary = Summary()
        if old_gen is not None and manifest.get("format") != INDEX_FORMAT:
            report(
                f"{root}: built by another version of searchdoc "
                f"(format {manifest.get('format', 'unknown')}); rebuilding it from its sources"
            )
            rebuild = True
        elif old_gen is not None and not rebuild:
            try:
                _open_whoosh(old_gen, root).close()
            except IndexDamaged as e:
                report(f"{e}".split("; run ")[0] + "; rebuilding it from its sources")
                rebuild = True
        if rebuild:
            summary.rebuilt = True
        old_roots = [r for r in manifest.get("roots") or [] if isinstance(r, str)]
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
        summary.skipped += len(problems)  # every path reported is counted as skipped
        plan = _plan(files, old_sources, summary, report, progress)
        if not (summary.added or summary.updated or summary.unchanged or plan.remove):
            raise NothingIndexed(
                "nothing to index: no readable text file under " + ", ".join(roots) + unchanged
            )
        if old_gen is not None and not rebuild and not plan.parse and not plan.remove:
            summary.passages = sum(s["passages"] for s in plan.keep.values())
            return summary
        # Roots are kept absolute, so that a run from another folder (cron) finds them.
        new_roots = _absolute(roots) + ([] if rebuild else _absolute(old_roots))
        new_manifest = {
            "format": INDEX_FORMAT,
            "roots": sorted({r for r in new_roots if os.path.lexists(r)}),
            "built": _now(),
            "sources": plan.keep,
        }
        try:
            _write_generation(root, old_gen if not rebuild else None, plan, new_manifest, progress)
        except OSError as e:  # disk full, no permission: the half-built generation is gone
            raise IndexWriteFailed(
                f"cannot write the index at {root} ({e.strerror or e}); "
                "the previous index is unchanged"
            ) from None
        summary.passages = sum(s["passages"] for s in plan.keep.values())
        return summary


def _prefixed(report: Report, display: str) -> Callable[[str], None]:
    """`report`, each line preceded by the name of the file it is about."""
    return lambda line: report(f"{display}: {line}")


def _absolute(roots: Sequence[str]) -> list[str]:
    return [os.path.abspath(os.path.expanduser(r)) for r in roots]


def _plan(
    files: list[SourceFile],
    old_sources: dict[str, dict[str, Any]],
    summary: Summary,
    report: Report,
    progress: Progress | None = None,
) -> _Plan:
    from searchdoc.ingest import read_file

    plan = _Plan()
    seen: set[str] = set()
    todo: list[tuple[SourceFile, dict[str, Any] | None]] = []
    for sf in files:  # first, without reading: what has the same size and time is unchanged
        seen.add(sf.key)
        old = old_sources.get(sf.key)
        try:
            st = sf.path.stat()
        except OSError:
            st = None  # vanished since it was found: reported below
        if old and st and old["size"] == st.st_size and old["mtime"] == st.st_mtime:
            plan.keep[sf.key] = old
            summary.unchanged += 1
        else:
            todo.append((sf, old))
    # The name a passage is cited by is the path relative to the working directory, which
    # depends on where each run starts: two files must never share one (deleting one's
    # passages would delete the other's). A clash gets the absolute path.
    taken = {e["source"]: k for k, e in old_sources.items() if os.path.exists(k)}
    for n, (sf, old) in enumerate(todo, 1):
        if progress is not None:
            progress("reading", n, len(todo))
        display = sf.display if taken.get(sf.display, sf.key) == sf.key else str(sf.path)
        try:
            got = read_file(sf.path, display, _prefixed(report, display),
                            old["hash"] if old else None)
        except SkipFile as e:
            summary.skipped += 1
            if old and isinstance(e, Unreadable) and os.path.exists(sf.path):
                report(f"{display}: {e}; the version indexed before is kept")
                plan.keep[sf.key] = old  # content unknown, not gone
            else:
                report(f"{display}: {e}")
                if old:
                    plan.remove.append(old["source"])
                    summary.removed += 1
            continue
        if isinstance(got, str):  # touched, not changed
            assert old is not None  # (a digest is returned only for a file indexed before)
            try:
                st = sf.path.stat()
                plan.keep[sf.key] = {**old, "size": st.st_size, "mtime": st.st_mtime}
            except OSError:
                plan.keep[sf.key] = old  # type: ignore[assignment]
            summary.unchanged += 1
            continue
        taken[display] = sf.key
        plan.parse.append(_Planned(sf, got.digest, got.documents, got.size, got.mtime))
        if old:
            plan.remove.append(old["source"])
            plan.updated.add(sf.key)
            summary.updated += 1
        else:
            summary.added += 1
        plan.keep[sf.key] = {
            "source": display,
            "hash": got.digest,
            "size": got.size,
            "mtime": got.mtime,
            "title": got.title,
            "passages": got.passages,
            "indexed": _now(),
        }
    for key, old in old_sources.items():
        if key not in seen and not os.path.exists(key):
            plan.remove.append(old["source"])
            summary.removed += 1
        elif key not in seen and key not in plan.keep:
            plan.keep[key] = old  # outside the paths of this run: kept as it is
    return plan


def _write_generation(
    root: Path,
    base: Path | None,
    plan: _Plan,
    manifest: dict[str, Any],
    progress: Progress | None,
) -> None:
    from whoosh.index import create_in, open_dir
    from whoosh.query import Prefix

    gen = root / f"gen-{_next_number(root):06d}"
    try:
        gen.mkdir()
        if base is not None:
            _link_whoosh_files(base, gen)
            ix = open_dir(str(gen))
        else:
            ix = create_in(str(gen), schema())
        workers = _writer_count(plan) if base is None else 0
        writer = ix.writer(limitmb=WRITER_MB, compound=False)
        try:
            for source in plan.remove:
                writer.delete_by_term("source", source)
                # and the documents found inside it (a message's attachments: mail.eml/a.pdf)
                writer.delete_by_query(Prefix("source", source + "/"))
            if workers:
                segments = _write_in_parallel(ix, plan.parse, workers, progress)
            else:
                segments = []
                total = len(plan.parse)
                _add_documents(writer, plan.parse, None if progress is None else
                               lambda n: progress("indexing", n, total))
            # one document at a time: a streamed list is read again, never held
            write_entities(gen, base, (d for p in plan.parse for d in p.documents), plan.remove)
        except BaseException:
            writer.cancel()
            raise
        if segments:  # the segments of the writer processes, in the order of the sources
            writer.commit(mergetype=lambda _w, existing: list(existing) + segments)
        else:
            writer.commit(merge=True)
        ix.close()
        _write_json(gen / MANIFEST, manifest)
        _switch_current(root, gen)
    except BaseException:
        if not _is_live(root, gen):  # Ctrl-C just after the switch: the new one is live
            shutil.rmtree(gen, ignore_errors=True)
        raise
    _remove_stale_generations(root)


def _writer_count(plan: _Plan) -> int:
    """How many processes write a new index: one per CPU (up to MAX_WRITERS) for a big
    one, where the system can fork (one on one CPU: its memory is released before the
    entities are made); 0 otherwise (this process writes it)."""
    import multiprocessing

    passages = sum(p.passages for p in plan.parse)
    if passages < PARALLEL_MIN_PASSAGES or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return max(1, min(_cpus(), MAX_WRITERS, sum(len(p.documents) for p in plan.parse)))


def _cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _write_in_parallel(ix: Any, todo: list[_Planned], workers: int,
                       progress: Progress | None) -> list[Any]:
    """Index the documents in `workers` forked processes, each writing one whoosh segment
    of consecutive documents; the segments, in order (document numbers, and so the order
    of equal scores, are those of a build by one process).

    The processes ignore Ctrl-C (this process handles it, and kills them); a process
    that fails makes the build fail with its error (OSError: the caller keeps the old
    index)."""
    import multiprocessing
    import signal
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    chunks = _split(todo, workers)
    done = ctx.Array("l", len(chunks), lock=False)  # documents written, per process
    procs = []
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:  # forked with Ctrl-C blocked: a process ignores it before it can arrive
        for i, chunk in enumerate(chunks):
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_write_segment, args=(ix, chunk, i, done, send),
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
    pending = {recv: (k, proc) for k, (proc, recv) in enumerate(procs)}
    try:
        while pending:  # a process that fails ends the build at once
            for ready in wait(list(pending), timeout=0.2):
                conn: Any = ready  # (one of the pipes given)
                k, proc = pending.pop(conn)
                try:
                    kind, value = conn.recv()
                except EOFError:  # killed (out of memory?) before it could say why
                    proc.join()
                    kind, value = "error", (0, f"a writer process ended (exit {proc.exitcode})")
                if kind == "error":
                    raise OSError(*value)
                segments[k] = value
            if progress is not None:
                progress("indexing", min(sum(done), len(todo)), len(todo))
        for proc, _recv in procs:
            proc.join()
    except BaseException:
        _stop(procs)
        raise
    if progress is not None:
        progress("indexing", len(todo), len(todo))
    return [segment for written in segments for segment in written]


def _split(todo: list[_Planned], parts: int) -> list[list[_Planned]]:
    """Consecutive runs of documents with about as many passages each (a file with more
    than its share, a long list, is cut into runs of its records)."""
    from searchdoc.ingest import split_documents

    total = sum(p.passages for p in todo)
    todo = [piece for p in todo for piece in (
        [p] if p.passages <= total / parts else
        [_Planned(p.source, p.digest, d, p.size, p.mtime)
         for d in split_documents(p.documents, math.ceil(p.passages * parts / total))])]
    chunks: list[list[_Planned]] = [[]]
    written = 0
    for planned in todo:
        if written >= total * len(chunks) / parts and len(chunks) < parts:
            chunks.append([])
        chunks[-1].append(planned)
        written += planned.passages
    return [c for c in chunks if c]


def _write_segment(ix: Any, chunk: list[_Planned], i: int, done: Any, send: Any) -> None:
    """In a writer process: one segment of the chunk's passages, sent back as whoosh's
    Segment object (or ("error", (errno, message)))."""
    import signal

    from whoosh.writing import SegmentWriter

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        segments, written = [], 0
        for run in _segment_runs(chunk):  # a writer's memory grows with its segment
            writer = SegmentWriter(ix, _lk=False, limitmb=max(WRITER_MB // len(done), 32),
                                   compound=False)
            _add_documents(writer, run, _progress_from(done, i, written))
            segments.append(writer._finalize_segment())
            written += len(run)
        send.send(("segment", segments))
    except OSError as e:
        send.send(("error", (e.errno or 0, e.strerror or str(e))))
    except BaseException as e:  # noqa: BLE001 - reported to the parent as one line
        send.send(("error", (0, f"{type(e).__name__}: {e}")))
    finally:
        send.close()


def _segment_runs(chunk: list[_Planned]) -> list[list[_Planned]]:
    """The chunk of a writer process in runs of at most MAX_SEGMENT_PASSAGES passages (a
    long list cut into runs of its records), each written as one segment."""
    from searchdoc.ingest import split_documents

    runs: list[list[_Planned]] = [[]]
    size = 0
    for p in chunk:
        pieces = [p] if p.passages <= MAX_SEGMENT_PASSAGES else [
            _Planned(p.source, p.digest, d, p.size, p.mtime)
            for d in split_documents(p.documents, math.ceil(p.passages / MAX_SEGMENT_PASSAGES))]
        for piece in pieces:
            if runs[-1] and size + piece.passages > MAX_SEGMENT_PASSAGES:
                runs.append([])
                size = 0
            runs[-1].append(piece)
            size += piece.passages
    return [run for run in runs if run]


def _progress_from(done: Any, i: int, base: int) -> Callable[[int], None]:
    """A writer process's count of documents written, from `base`, into `done[i]`."""
    def report(n: int) -> None:
        done[i] = base + n
    return report


def _add_documents(writer: Any, todo: list[_Planned], done: Callable[[int], None] | None) -> None:
    """Add the passages of the documents to a whoosh writer; `done(n)` after each document."""
    from searchdoc.aliases import extract_names

    for n, planned in enumerate(todo, 1):
        for doc in planned.documents:
            names = list(dict.fromkeys(s.name for s in extract_names(doc)))
            for p in doc.passages:
                writer.add_document(**passage_record(p, names))
        if done is not None:
            done(n)


def _stop(procs: list[tuple[Any, Any]]) -> None:
    for proc, _recv in procs:
        if proc.is_alive():
            proc.kill()
        proc.join()


def _is_live(root: Path, gen: Path) -> bool:
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip() == gen.name
    except OSError:
        return False


def _link_whoosh_files(base: Path, gen: Path) -> None:
    for f in base.iterdir():
        if f.name in (MANIFEST, _READ_LOCK, ENTITIES_FILE) or f.name.endswith("LOCK") \
                or not f.is_file():
            continue
        try:
            os.link(f, gen / f.name)
        except OSError:
            shutil.copy2(f, gen / f.name)


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
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
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
            out.append({**entry, "path": key, "status": _status(Path(key), entry)})
        return out


def _status(path: Path, entry: dict[str, Any]) -> str:
    from searchdoc.ingest import file_digest

    try:
        st = path.stat()
    except OSError:
        return "missing"
    if st.st_size == entry["size"] and st.st_mtime == entry["mtime"]:
        return "unchanged"
    try:
        # hashed in chunks: a list larger than the 20 MB of a text file is indexed too
        return "unchanged" if file_digest(path) == entry["hash"] else "changed"
    except SkipFile:
        return "unreadable"


def document_passages(handle: IndexHandle, source: str) -> list[Passage]:
    """Every passage of one source, in document order."""
    with handle.ix.searcher() as s:
        return sorted(
            (passage_from_stored(d) for d in s.documents(source=source)),
            key=lambda p: p.ordinal,
        )
