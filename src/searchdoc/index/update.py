"""The update of an index: plan from one stat per file, read the changed files into a new
generation (:mod:`.writers`), store the entities, switch to it (:mod:`.generations`).

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

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchdoc import store
from searchdoc.errors import IndexDamaged, IndexWriteFailed, NothingIndexed
from searchdoc.index.generations import (
    DEFAULT_SOURCES,
    ENTITY_FILES,
    INDEX_FORMAT,
    MANIFEST,
    WriteLock,
    current_gen,
    is_live,
    next_number,
    now,
    read_manifest,
    remove_stale_generations,
    same_file,
    switch_current,
    write_json,
)
from searchdoc.index.handle import open_store
from searchdoc.index.writers import (
    FileResult,
    Item,
    Message,
    Progress,
    collect,
    read_lists,
    write_in_parallel,
    write_items,
    writer_count,
)

if TYPE_CHECKING:
    from searchdoc.entities.extract import SourceNames
    from searchdoc.results import Update
    from searchdoc.sources import SourceFile

Report = Callable[[str], None]
# progress(stage, done, total): stage "indexing": files read and written to the new
# generation, of those that changed.


@dataclass
class Counts:
    """What an update did, as it goes (the result is a results.Update)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    passages: int = 0
    rebuilt: bool = False


@dataclass
class UpdatePlan:
    keep: dict[str, dict[str, Any]] = field(default_factory=dict)
    todo: list[Item] = field(default_factory=list)
    old: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # by key
    remove: list[str] = field(default_factory=list)  # source display names to delete
    restat: bool = False  # some entries' size, time or inode changed, not their content



@contextmanager
def _private(root: Path) -> Iterator[None]:
    """What the run writes is its owner's alone (folders 0700, files 0600): an index holds
    the text of its sources, and a source readable by its owner only must not become
    readable by others through it. The index folder made so too, when this user owns it."""
    old = os.umask(0o077)
    try:
        try:
            if root.is_dir() and root.stat().st_uid == os.getuid():
                os.chmod(root, 0o700)
        except OSError:
            pass
        yield
    finally:
        os.umask(old)


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

    counts = Counts()
    with _private(root), WriteLock(root, wait) as lock:
        if lock.stopped is not None:
            report(f"{root}: the last `searchdoc index` (pid {lock.stopped}) was stopped before "
                   "it finished; its unfinished work is discarded, the index it left is used")
        remove_stale_generations(root)
        old_gen = current_gen(root)
        manifest = read_manifest(old_gen) if old_gen else {}
        if old_gen is not None and manifest.get("format") != INDEX_FORMAT:
            report(
                f"{root}: built by another version of searchdoc "
                f"(format {manifest.get('format', 'unknown')}); rebuilding it from its sources"
            )
            rebuild = True
        elif old_gen is not None and not rebuild:
            try:
                open_store(old_gen, root).close()
            except IndexDamaged as e:
                report(f"{e}".split("; run ")[0] + "; rebuilding it from its sources")
                rebuild = True
        counts.rebuilt = rebuild
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
            "built": now(),
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



def _plan(files: list[SourceFile], old_sources: dict[str, dict[str, Any]],
          counts: Counts) -> UpdatePlan:
    """What to do, from one stat of each file (made when it was found): a file as the
    manifest has it is kept without being opened; the others are to be read."""
    plan = UpdatePlan()
    seen: set[str] = set()
    # The name a passage is cited by is the path relative to the working directory, which
    # depends on where each run starts: two files must never share one (deleting one's
    # passages would delete the other's). A clash gets the absolute path.
    taken: dict[str, str] | None = None
    for sf in files:
        seen.add(sf.key)
        old = old_sources.get(sf.key)
        if old is not None and same_file(old, sf):
            plan.keep[sf.key] = old
            counts.unchanged += 1
            continue
        if taken is None:  # only when some file is to be read
            taken = {e["source"]: k for k, e in old_sources.items() if os.path.exists(k)}
        display = sf.display if taken.get(sf.display, sf.key) == sf.key else sf.key
        taken[display] = sf.key
        plan.old[sf.key] = old
        plan.todo.append(Item(len(plan.todo), sf.key, display,
                               old["hash"] if old else None, max(sf.size, 1)))
    for key, old in old_sources.items():
        if key in seen:
            continue
        if _gone(key):
            plan.remove.append(old["source"])
            counts.removed += 1
        else:  # outside the paths of this run, or in a folder that cannot be listed now
            plan.keep[key] = old  # (as an unreadable file's): kept as it is
    return plan


def _gone(path: str) -> bool:
    """Whether a file is no more: the system says so (not merely that it may not be
    looked at, as under a folder whose permissions changed)."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _write_generation(
    root: Path,
    base: Path | None,
    plan: UpdatePlan,
    manifest: dict[str, Any],
    counts: Counts,
    report: Report,
    progress: Progress | None,
    nothing: NothingIndexed,
) -> None:
    gen = root / f"gen-{next_number(root):06d}"
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
        from searchdoc.entities.persist import store_entities

        store_entities(gen, base, fresh, plan.remove)
        write_json(gen / MANIFEST, manifest)
        switch_current(root, gen)
    except BaseException:
        if not is_live(root, gen):  # Ctrl-C just after the switch: the new one is live
            shutil.rmtree(gen, ignore_errors=True)
        raise
    remove_stale_generations(root)


def _ingest(writer: store.Writer, plan: UpdatePlan, counts: Counts, report: Report,
            progress: Progress | None) -> tuple[list[Any], dict[str, list[SourceNames]]]:
    """Read, parse and write the files to read (here or in writer processes); apply what
    each came to to the plan and the counts, in the order of the files. Returns the new
    segments and the names each document read states (by source)."""
    results: dict[int, FileResult] = {}
    total = len(plan.todo)
    items = read_lists(plan.todo, results)
    workers = writer_count(items)
    printed = _Printer(plan, results, report)
    if workers:
        segments, names = write_in_parallel(writer, items, workers, results, printed.flush,
                                            progress, total)
    else:
        builder = writer.builder()
        names = [{}]

        def receive(message: Message) -> None:
            collect(message, results, names[0])
            printed.flush()

        offset = total - len(items)  # lists read before, or skipped
        done = (lambda n: progress("indexing", offset + n, total)) if progress else None
        try:
            write_items(items, builder, receive, done)
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

    def __init__(self, plan: UpdatePlan, results: dict[int, FileResult], report: Report) -> None:
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


def _kept(item: Item, result: FileResult, plan: UpdatePlan) -> bool:
    """Whether a file skipped keeps the version indexed before: it is there but cannot
    be read now (its content is unknown, not gone)."""
    return bool(plan.old.get(item.key)) and result.unreadable and os.path.exists(item.key)


def _apply(item: Item, result: FileResult, plan: UpdatePlan, counts: Counts) -> None:
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
        plan.keep[item.key] = {"source": item.display, **result.value, "indexed": now()}


def _stamp(path: str) -> dict[str, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}
