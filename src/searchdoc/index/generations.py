"""The generations of an index folder: which one is live (CURRENT), their manifests, the
writer's lock, the atomic switch, and the removal of the generations nobody reads.

Layout of an index folder::

    index/
      CURRENT          name of the live generation, replaced atomically (os.replace)
      .lock            held (flock) by the one `searchdoc index` writing
      gen-000007/      the store's files + manifest.json (+ entities.json, entities.hsh)
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from searchdoc import data
from searchdoc.errors import IndexLocked, IndexMissing, IndexWriteFailed
from searchdoc.names.keys import NORMALIZER_VERSION

# 4: the store's own field classes (searchdoc.store); the manifest compares files by size,
# mtime_ns and inode. The word lists' fingerprint is part of the format: editing one
# rebuilds the index.
SCHEMA_VERSION = 4
INDEX_FORMAT = f"{SCHEMA_VERSION}.{NORMALIZER_VERSION}.{data.fingerprint()}"
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
READ_LOCK = ".readers"
SIZES = "sizes.json"  # the size of every file of a generation, written at the switch
ENTITY_FILES = ("entities.json", "entities.hsh")
DEFAULT_SOURCES = "seeds"  # what a new index is built from when no path is given


def current_gen(root: Path) -> Path | None:
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise IndexMissing(f"cannot read the index at {root}: {e.strerror or e}") from None
    gen = root / name
    return gen if name and gen.is_dir() else None


def read_manifest(gen: Path) -> dict[str, Any]:
    try:
        with open(gen / MANIFEST, encoding="utf-8") as fh:
            found = json.load(fh)
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def manifest_format(gen: Path) -> str | None:
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
    found = read_manifest(gen).get("format")
    return found if isinstance(found, str) else None


_FORMAT_HEAD = re.compile(r'\{\s*"format":\s*"([^"\\]*)"')



_HELD: set[int] = set()  # descriptors of the write locks this process holds


def close_inherited_locks() -> None:
    """In a process forked by the writer: close its copies of the writer's lock, so the
    lock lives exactly as long as the process that took it (the kernel releases a flock
    when its last descriptor closes, and a child that outlives its parent must not keep
    every later run out)."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


class WriteLock:
    """The one writer's lock: an flock on ``.lock``, released by the kernel when the
    process holding it ends however it ends (kill -9 included), never held by the writer
    processes it forks. The file says the pid of the run holding it: a run that finds the
    pid of one that was stopped before it finished says so in one line."""

    def __init__(self, root: Path, wait: float) -> None:
        self.root = root
        self.wait = wait
        self.fd: int | None = None
        self.stopped: int | None = None  # the pid of a run stopped before it finished

    def __enter__(self) -> WriteLock:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise IndexWriteFailed(
                f"cannot write the index at {self.root}: {e.strerror or e}"
            ) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                _HELD.add(self.fd)
                self.stopped = self._mark()
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    raise IndexLocked(
                        f"another `searchdoc index` is writing {self.root}; "
                        "wait for it to finish (or pass --wait SECONDS)"
                    ) from None
                time.sleep(0.1)

    def _mark(self) -> int | None:
        """Write this run's pid into the lock file; the pid of a run that held the lock
        and ended without clearing it (killed), if any."""
        assert self.fd is not None
        try:
            before = os.pread(self.fd, 64, 0).decode("ascii", "replace").strip()
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            return None
        return int(before) if before.isdigit() and int(before) != os.getpid() else None

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)  # ended as it should: no pid left behind
            except OSError:
                pass
            _HELD.discard(self.fd)
            os.close(self.fd)
            self.fd = None



def same_file(entry: dict[str, Any], sf: Any) -> bool:
    """Whether a manifest entry says the file is as it was (size, time, inode)."""
    return (entry.get("size") == sf.size and entry.get("mtime_ns") == sf.mtime_ns
            and entry.get("inode") == sf.inode)



def is_live(root: Path, gen: Path) -> bool:
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip() == gen.name
    except OSError:
        return False


def switch_current(root: Path, gen: Path) -> None:
    """Make `gen` the live generation: every file of it on disk first (a power cut after
    the switch finds whole segments, entities and manifest), then CURRENT replaced."""
    sizes = {f.name: f.stat().st_size for f in gen.iterdir()
             if f.is_file() and not f.name.startswith(".") and f.name != SIZES}
    write_json(gen / SIZES, sizes)
    for f in gen.iterdir():
        if f.is_file() and not f.is_symlink():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(gen)
    tmp = root / f"{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / CURRENT)
    fsync_dir(root)


def damaged_files(gen: Path) -> str | None:
    """What is wrong with the files of a generation, by the sizes written at its switch
    (a truncated or missing segment, a file cut short by a full disk or a copy): None when
    each is whole (or the generation predates the record)."""
    try:
        with open(gen / SIZES, encoding="utf-8") as fh:
            sizes = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return f"{SIZES} unreadable"
    if not isinstance(sizes, dict):
        return f"{SIZES} unreadable"
    for name, size in sizes.items():
        try:
            now = os.stat(gen / name).st_size
        except OSError:
            return f"{name} missing"
        if now != size:
            return f"{name} is {now:,} bytes, written {size:,}"
    return None


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    """JSON written whole or not at all (the C encoder: no indentation)."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def generations(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("gen-*") if p.is_dir())


def next_number(root: Path) -> int:
    numbers = [int(p.name[4:]) for p in generations(root) if p.name[4:].isdigit()]
    return max(numbers, default=0) + 1


def remove_stale_generations(root: Path) -> None:
    """Remove generations that are not live and that no reader holds (writer lock held)."""
    live = current_gen(root)
    for gen in generations(root):
        if gen == live:
            continue
        # Always through the readers' lock, even where nobody has read yet (a half-built
        # generation, or one that was live but never queried): a reader may be opening it
        # right now, and must either hold it first or find it gone.
        lock = gen / READ_LOCK
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o600)
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


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
