"""An open generation of the index, for reading: the store's reader, the entities and the
manifest, under a shared lock (old generations are removed only when nobody reads them)."""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchdoc import store
from searchdoc.errors import IndexDamaged, IndexIncompatible, IndexMissing, SkipFile
from searchdoc.index.generations import (
    INDEX_FORMAT,
    MANIFEST,
    READ_LOCK,
    current_gen,
    manifest_format,
    read_manifest,
    same_file,
)

if TYPE_CHECKING:
    from searchdoc.entities.lookup import EntityIndex
    from searchdoc.models import Passage


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
            self._manifest = read_manifest(self.gen)
        return self._manifest

    @property
    def reader(self) -> store.Reader:
        """The store of this generation, opened when first asked for."""
        if self._reader is None:
            self._reader = open_store(self.gen, self.root)
        return self._reader

    def entity_index(self) -> EntityIndex:
        """The alias entities stored with this generation (loaded once)."""
        if self._entities is None:
            from searchdoc.entities.lookup import EntityIndex

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


def open_store(gen: Path, root: Path) -> store.Reader:
    """The store of a generation, its segments opened; IndexDamaged if unreadable (or a
    file of it is not as it was written)."""
    from searchdoc.index.generations import damaged_files

    wrong = damaged_files(gen)
    if wrong is not None:
        raise IndexDamaged(f"the index at {root} is damaged ({wrong}); run `searchdoc index "
                           f"--index {root}` to rebuild it from its sources")
    try:
        return store.Reader(gen)
    except store.StoreError as e:
        raise IndexDamaged(
            f"the index at {root} is damaged ({e}); "
            f"run `searchdoc index --index {root}` to rebuild it from its sources"
        ) from None



def exists(root: Path) -> bool:
    return current_gen(root) is not None


def open_index(root: Path) -> IndexHandle:
    """The live generation of the index at `root`, for reading."""
    for _attempt in range(5):
        gen = current_gen(root)
        if gen is None:
            raise IndexMissing(
                f"no index at {root}; run `searchdoc index [PATH ...]` to build it"
            )
        try:
            fd = os.open(gen / READ_LOCK, os.O_RDONLY | os.O_CREAT, 0o600)
        except FileNotFoundError:
            continue  # replaced and removed between reading CURRENT and opening: retry
        except OSError:
            fd = None  # a read-only index: read it without the lock
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if not (gen / MANIFEST).exists():  # removed while we waited: read the new one
                os.close(fd)
                if current_gen(root) == gen:  # ...unless it is still the live one: damage
                    raise IndexDamaged(
                        f"the index at {root} is damaged ({MANIFEST} missing); run "
                        f"`searchdoc index --index {root}` to rebuild it from its sources")
                continue
        found = manifest_format(gen)
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


def sources(root: Path) -> list[dict[str, Any]]:
    """The indexed sources with whether each file has changed since it was indexed."""
    with open_index(root) as handle:
        return source_rows(handle.manifest)


def source_rows(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources of a manifest, by name, each with its path and status."""
    return [{**entry, "path": key, "status": _status(key, entry)}
            for key, entry in sorted(manifest.get("sources", {}).items(),
                                     key=lambda kv: kv[1]["source"])]


def _status(path: str, entry: dict[str, Any]) -> str:
    from searchdoc.ingest import file_digest
    from searchdoc.sources import SourceFile

    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    if same_file(entry, SourceFile.of(path, "", st)):
        return "unchanged"
    try:
        # hashed in chunks: a list larger than the 20 MB of a text file is indexed too
        return "unchanged" if file_digest(Path(path)) == entry["hash"] else "changed"
    except SkipFile:
        return "unreadable"


def document_passages(handle: IndexHandle, source: str) -> list[Passage]:
    """Every passage of one source, in document order."""
    return handle.reader.passages_of(source)
