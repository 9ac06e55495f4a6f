"""Finding source files, reading them safely, and their content hashes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from searchdoc.errors import SkipFile

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class SourceFile:
    """A file found under the paths given to `searchdoc index`."""

    path: Path  # absolute, symbolic links resolved
    display: str  # relative to the working directory when under it: what users cite

    @property
    def key(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class Problem:
    """A path that could not be used; reported as one line, the run going on."""

    display: str
    reason: str

    def __str__(self) -> str:
        return f"{self.display}: {self.reason}"


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd()) if path.is_relative_to(Path.cwd()) else str(path)
    except (ValueError, OSError):
        return str(path)


def discover(paths: Iterable[str], exclude: Iterable[Path] = ()) -> tuple[list[SourceFile], list[Problem]]:
    """Files under `paths` (recursively), sorted, each once; and the paths that failed.

    Hidden files and folders (``.git``) are passed over, as are the `exclude` folders (the
    index itself). Symbolic-link loops are detected by the real path of each folder.
    """
    found: dict[Path, SourceFile] = {}
    problems: list[Problem] = []
    excluded = {p.resolve() for p in exclude}
    for raw in paths:
        p = Path(raw).expanduser()
        if not os.path.lexists(p):
            problems.append(Problem(raw, "no such file or directory"))
            continue
        try:
            real = p.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.append(Problem(raw, "broken or looping symbolic link"))
            continue
        if real.is_dir():
            for f in _walk(real, excluded, problems):
                found.setdefault(f, SourceFile(f, display_path(f)))
        elif real.is_file():
            found.setdefault(real, SourceFile(real, display_path(real)))
        else:
            problems.append(Problem(raw, "not a regular file or directory"))
    return sorted(found.values(), key=lambda s: s.display), problems


def _walk(root: Path, excluded: set[Path], problems: list[Problem]) -> Iterator[Path]:
    seen: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        if folder in seen or folder in excluded:
            continue
        seen.add(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            problems.append(Problem(display_path(folder), f"cannot list: {e.strerror or e}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            full = Path(entry.path)
            try:
                real = full.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(Problem(display_path(full), "broken or looping symbolic link, skipped"))
                continue
            if real.is_dir():
                if _is_ancestor(real, folder):
                    problems.append(Problem(display_path(full), "symbolic-link loop, skipped"))
                else:
                    stack.append(real)
            elif real.is_file():
                yield real


def _is_ancestor(candidate: Path, folder: Path) -> bool:
    return candidate == folder or candidate in folder.parents


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or SkipFile with a reason a user can act on."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SkipFile(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, skipped")
        with open(path, "rb") as fh:
            return fh.read()
    except PermissionError:
        raise SkipFile("permission denied, skipped") from None
    except IsADirectoryError:
        raise SkipFile("is a directory, skipped") from None
    except OSError as e:
        raise SkipFile(f"cannot read ({e.strerror or e}), skipped") from None


def decode(data: bytes) -> tuple[str, list[str]]:
    """Text of a file's bytes, and warnings; SkipFile for what is not a text document."""
    if not data.strip():
        raise SkipFile("empty file, skipped")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise SkipFile("binary file, skipped")
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        warnings.append(
            f"invalid UTF-8 at byte {e.start}; {bad} undecodable byte sequence(s) replaced"
        )
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise SkipFile(f"a line of {longest:,} characters: not a text document, skipped")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings
