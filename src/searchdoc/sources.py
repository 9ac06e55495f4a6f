"""Finding source files, reading them safely, and their content hashes."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from searchdoc.errors import SkipFile, Unreadable

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class SourceFile:
    """A file found under the paths given to `searchdoc index`, with what one stat of it
    said when it was found (what a re-index compares with the manifest)."""

    key: str  # the absolute path, symbolic links resolved
    display: str  # relative to the working directory when under it: what users cite
    size: int = 0
    mtime_ns: int = 0
    inode: int = 0

    @property
    def path(self) -> Path:
        return Path(self.key)

    @classmethod
    def of(cls, path: str, display: str, st: os.stat_result) -> SourceFile:
        return cls(path, display, st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass(frozen=True)
class Problem:
    """A path that could not be used; reported as one line, the run going on."""

    display: str
    reason: str

    def __str__(self) -> str:
        return f"{self.display}: {self.reason}"


def display_path(path: Path | str) -> str:
    """A path as users cite it: relative to the working directory when under it."""
    try:
        cwd = os.getcwd()
        path = str(path)
        if path == cwd:
            return "."
        return path[len(cwd) + 1:] if path.startswith(cwd.rstrip("/") + "/") else path
    except (ValueError, OSError):
        return str(path)


def discover(paths: Iterable[str], exclude: Iterable[Path] = ()) -> tuple[list[SourceFile], list[Problem]]:
    """Files under `paths` (recursively), sorted, each once; and the paths that failed.

    One stat per file (os.scandir says which entries are folders), real paths worked out
    only for the paths given and for symbolic links. Hidden files and folders (``.git``)
    are passed over, as are the `exclude` folders (the index itself) and any other
    searchdoc index (its generations hold every name of what it indexed: read as
    documents, they would be hits for every query). Symbolic-link loops are detected by
    the real path of each folder.
    """
    found: dict[str, SourceFile] = {}
    problems: list[Problem] = []
    excluded = {os.path.realpath(p) for p in exclude}
    for raw in paths:
        p = Path(raw).expanduser()
        if not os.path.lexists(p):
            problems.append(Problem(raw, "no such file or directory"))
            continue
        try:
            real = str(p.resolve(strict=True))
            st = os.stat(real)
        except (OSError, RuntimeError):
            problems.append(Problem(raw, _bad_link(p)))
            continue
        if not _utf8_name(real):
            problems.append(Problem(_printable(raw), "path is not valid UTF-8 (rename it)"))
        elif stat.S_ISDIR(st.st_mode):
            for f in _walk(real, excluded, problems):
                found.setdefault(f.key, f)
        elif stat.S_ISREG(st.st_mode):
            found.setdefault(real, SourceFile.of(real, display_path(real), st))
        else:
            problems.append(Problem(raw, "not a regular file or directory"))
    return sorted(found.values(), key=lambda s: s.display), problems


def _walk(root: str, excluded: set[str], problems: list[Problem]) -> Iterator[SourceFile]:
    """The files under a folder (its real path): each entry's type from os.scandir, one
    stat per file; a symbolic link is resolved (and checked for loops)."""
    seen: set[str] = set()
    stack = [(root, display_path(root))]
    while stack:
        folder, shown = stack.pop()
        if folder in seen or folder in excluded:
            continue
        seen.add(folder)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            problems.append(Problem(shown, f"cannot list folder ({_reason(e)}), skipped"))
            continue
        if _is_index([e.name for e in entries]):
            problems.append(Problem(shown, "a searchdoc index, skipped"))
            continue
        prefix = "" if shown == "." else shown + "/"
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            full = entry.path
            if not _utf8_name(name):
                problems.append(Problem(_printable(prefix + name),
                                        "file name is not valid UTF-8 (rename it), skipped"))
                continue
            try:
                if entry.is_symlink():
                    real = str(Path(full).resolve(strict=True))
                    st = os.stat(real)
                    is_dir, shown_as = stat.S_ISDIR(st.st_mode), display_path(real)
                else:
                    real, shown_as = full, prefix + name
                    is_dir = entry.is_dir(follow_symlinks=False)
                    if not is_dir:
                        st = entry.stat(follow_symlinks=False)
            except (OSError, RuntimeError):
                problems.append(Problem(prefix + name, _bad_link(Path(full))))
                continue
            if is_dir:
                if real == folder or folder.startswith(real.rstrip("/") + "/"):
                    problems.append(Problem(prefix + name, "symbolic-link loop, skipped"))
                else:
                    stack.append((real, shown_as))
            elif stat.S_ISREG(st.st_mode):
                yield SourceFile.of(real, shown_as, st)
            else:
                problems.append(Problem(prefix + name, "not a regular file, skipped"))


def _is_index(names: list[str]) -> bool:
    """Whether a folder holding these entries is a searchdoc index: its CURRENT file and
    generations (searchdoc.index.generations)."""
    return "CURRENT" in names and any(n.startswith("gen-") for n in names)


def _bad_link(path: Path) -> str:
    """Why a path cannot be resolved: a link pointing nowhere, or links in a loop."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic-link loop, skipped"
        if os.path.islink(path):
            return "broken symbolic link, skipped"
        return f"cannot read ({_reason(e)}), skipped"
    except (RuntimeError, ValueError):
        pass
    return "symbolic-link loop, skipped"


def _utf8_name(path: str) -> bool:
    """Whether a path can be stored and printed (names from the system may hold bytes that
    are not UTF-8, which Python carries as lone surrogates)."""
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _printable(path: str) -> str:
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _reason(e: OSError) -> str:
    return e.strerror.lower() if e.strerror else str(e)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or SkipFile with a reason a user can act on.

    A file larger than MAX_FILE_BYTES is refused from its size alone, without reading it
    (nor more than the limit of it, should it grow while it is read). A file that cannot be
    read at all raises Unreadable (a SkipFile): its content is unknown, not gone.
    """
    too_large = SkipFile(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, skipped")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise too_large
    except OSError as e:
        raise _skip(e) from None
    with open_source(path) as fh:
        try:
            data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as e:
            raise _skip(e) from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large
    return data


def open_source(path: Path) -> BinaryIO:
    """The file opened for reading in binary, or SkipFile (Unreadable where its content
    is unknown, not gone) with a reason a user can act on."""
    try:
        # O_NONBLOCK: a file replaced by a FIFO (or a device) since it was found must not
        # block the run in open(), with the lock held; only a regular file is read
        fh = open(path, "rb", opener=_nonblocking)
    except OSError as e:
        raise _skip(e) from None
    try:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise SkipFile("not a regular file, skipped")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fh.fileno(), True)
    except BaseException:
        fh.close()
        raise
    return fh


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _skip(e: OSError) -> SkipFile:
    """What a file that cannot be read is reported as."""
    if isinstance(e, PermissionError):
        return Unreadable("permission denied, skipped")
    if isinstance(e, IsADirectoryError):
        return SkipFile("is a directory, skipped")
    if isinstance(e, FileNotFoundError):
        return Unreadable("removed while it was being indexed, skipped")
    return Unreadable(f"cannot read ({_reason(e)}), skipped")


# Formats that are not text, by the bytes they start with (checked before decoding).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "zip archive or office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old office document"),
    (b"\x7fELF", "program"),
    (b"SQLite format 3\x00", "SQLite database"),
)
# Share of replaced bytes above which undecodable "text" is taken for a binary file.
_MAX_BAD_SHARE = 0.3


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def decode(data: bytes) -> tuple[str, list[str]]:
    """Text of a file's bytes, and warnings; SkipFile for what is not a text document.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read;
    invalid UTF-8 is decoded as far as it can be, the undecodable bytes replaced (and a
    warning says so). NUL bytes near the start, a known binary signature (PDF, images,
    archives), mostly undecodable bytes, or a line too long to be prose mark a file that is not
    a text document.
    """
    if not data.strip():
        raise SkipFile("empty file, skipped")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: a text that starts with those two bytes
        else:
            if not text.strip():
                raise SkipFile("empty file, skipped")
            return _text_checked(text, [])
    kind = _binary_kind(data)
    if kind is not None:
        raise SkipFile(f"binary file ({kind}), skipped")
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
        if bad > _MAX_BAD_SHARE * len(text):
            raise SkipFile(
                "binary, or text not in UTF-8 (mostly undecodable bytes), skipped"
            ) from None
        warnings.append(
            f"invalid UTF-8 at byte {e.start}; {bad} undecodable byte sequence(s) replaced"
        )
    return _text_checked(text, warnings)


def _text_checked(text: str, warnings: list[str]) -> tuple[str, list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_LINE_CHARS:  # only then can a line be too long: find the longest
        longest = max(map(len, text.split("\n")))
        if longest > MAX_LINE_CHARS:
            raise SkipFile(f"a line of {longest:,} characters: not a text document, skipped")
    return text, warnings
